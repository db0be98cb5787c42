/*
 * capture: pcap files written through libpcap, one per capture point.
 *
 * This file owns the pcap writer behind capture.h: writing a
 * nanosecond-precision header to the stream it is given, framing each IPv4
 * packet (Ethernet or raw), stamping it with the virtual time, counting
 * bytes against the optional limit, and flushing at the end. world taps
 * every packet a captured host sends or receives into capture_packet; main
 * opens the stream (output.h) and decides whether the file is kept.
 *
 * The pcap format and its nanosecond variant (magic 0xa1b23c4d) are
 * libpcap's (pcap-savefile(5)); with PCAP_TSTAMP_PRECISION_NANO the
 * tv_usec field of struct pcap_pkthdr carries nanoseconds.
 *
 * Hot path: capture_packet frames the packet into the capture's ring, one
 * copy, and a thread of the capture's own writes it (see "The writer
 * thread" below). No allocation.
 *
 * libpcap is loaded when the first capture opens (capture_load_libpcap),
 * not when the program starts: with its own dependencies it is most of the
 * dynamic loader's work at start-up, which a run without a pcap capture
 * (capture: none, pcapng, a sweep that keeps no captures) does not need.
 * The header still gives its types; the six functions used here are looked
 * up by name in the library the build found (PCAP_SONAME, from configure).
 */
/*
 * <pcap/pcap.h> uses the BSD types u_char and u_int, which a strict
 * _POSIX_C_SOURCE build hides; ask the C library for them (glibc and musl
 * read _DEFAULT_SOURCE, macOS _DARWIN_C_SOURCE).
 */
#define _DEFAULT_SOURCE 1
#define _DARWIN_C_SOURCE 1
#define _GNU_SOURCE 1           /* fallocate(2), where there is one */

#include "config.h"
#include "capture.h"
#include "frame.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CAPTURE_SNAPLEN 262144  /* libpcap's default; more than any IPv4 packet */
#define ETH_HDR_LEN FRAME_ETH_HDR_LEN
#define IPV4_MAX_LEN 65535
#define NS_PER_SEC 1000000000ull

#define PCAP_FILE_HDR_LEN 24    /* pcap-savefile(5) */
#define PCAP_REC_HDR_LEN 16

/*
 * The writer thread. capture_packet frames each packet into a ring of
 * records in memory, and a thread of the capture's own hands them to
 * libpcap (pcap_dump), whose stream makes the write(2) calls: the
 * simulation goes on on one processor while the kernel copies the file
 * into the page cache on another. What is written does not depend on the
 * thread: each record is framed, counted and held to max_bytes by
 * capture_packet, in order, and the writer writes the records in that
 * order and nothing else.
 *
 * The two meet under one mutex once every RING_CHUNK bytes: capture_packet
 * hands over what it has framed and learns how much room the writer has
 * given back; the writer takes at most RING_CHUNK bytes at a time, writes
 * them and gives their room back. Each waits on a condition only when the
 * ring is full or empty. The hand-over does not wake a waiting writer:
 * waking a thread is a system call on the framing thread (and, in a virtual
 * machine, an interrupt sent to the other processor), once a chunk, 4,000
 * times in a 1 GB capture. A writer with nothing to write looks again
 * WRITER_PACE_NS later instead, twice as long after each look that finds
 * nothing (up to WRITER_PACE_MAX_NS, so that an idle writer costs next to
 * nothing), and is woken only when capture_packet must wait for room, or
 * the capture closes; what is written, and when the run ends, never depends
 * on those periods. A record never wraps: one that would not fit
 * before the ring's end follows a skip record there, and starts at 0. A
 * write failure is the writer's to notice (the stream's error flag after
 * each record); from then on it writes nothing, and capture_packet returns
 * false from the next meeting on, which comes at the latest when the
 * ring's room runs out.
 */
#define RING_SIZE (2u << 20)
#define RING_CHUNK (256u << 10)
#define REC_SKIP UINT32_MAX     /* the caplen of a skip record */
/* Under a chunk's time at the run's fastest (about 80 us for 256 KiB), so
 * that a chunk seldom waits for the writer to look. */
#define WRITER_PACE_NS 50000L
#define WRITER_PACE_MAX_NS 10000000L

/*
 * Disk space reserved ahead of the writes, in a file the capture may
 * reserve in (capture_open's reserve): fallocate(2) with
 * FALLOC_FL_KEEP_SIZE, so the file's size still grows only as it is
 * written. A file system that allocates as pages are written (ext4's
 * delayed allocation) then finds its blocks already there: writing 1 GB
 * takes a third less time in the kernel on ext4. Each reservation is as
 * large as what is already reserved, from RESERVE_MIN to RESERVE_MAX, so
 * that a small capture reserves little; capture_close gives back what was
 * not written. A reservation that fails (no such call, no room left, a file
 * system without it) ends the reserving and nothing else: the writes then
 * find out what they would have found.
 */
#define RESERVE_MIN (1u << 20)
#define RESERVE_MAX (64u << 20)

struct ring_rec {               /* then caplen bytes of frame, padded to 16 */
	uint64_t ts_ns;
	uint32_t caplen;
	uint32_t len;
};

/* A record's room in the ring: header and frame, rounded up to 16 bytes
 * (so that every header is aligned, and a skip record always fits). */
static size_t rec_room(size_t caplen)
{
	return (sizeof(struct ring_rec) + caplen + 15) & ~(size_t)15;
}

/* libpcap's writer, as pcap/pcap.h declares it. */
static struct {
	void *handle;                   /* NULL until loaded */
	pcap_t *(*open_dead_with_tstamp_precision)(int, int, u_int);
	pcap_dumper_t *(*dump_fopen)(pcap_t *, FILE *);
	char *(*geterr)(pcap_t *);
	void (*close)(pcap_t *);
	void (*dump)(u_char *, const struct pcap_pkthdr *, const u_char *);
	int (*dump_flush)(pcap_dumper_t *);
} lib;

/* dlsym, keeping the first failure's message in why (a later call that
 * succeeds clears dlerror's). */
static void *lib_symbol(void *handle, const char *name, char *why, size_t whylen)
{
	void *f = dlsym(handle, name);

	if (!f && !why[0]) {
		const char *e = dlerror();
		snprintf(why, whylen, "%s", e ? e : name);
	}
	return f;
}

/* At exit: the library goes as it came, so that a leak checker finds
 * nothing of it left. */
static void unload_libpcap(void)
{
	if (lib.handle)
		dlclose(lib.handle);
	lib.handle = NULL;
}

int capture_load_libpcap(const char *soname, char *err, size_t errlen)
{
	char why[256] = "";
	void *h;

	if (lib.handle)
		return 0;
	h = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		const char *e = dlerror();
		snprintf(why, sizeof(why), "%s", e ? e : "not found");
	} else {
		/* POSIX dlsym: a function's address comes back as a void *. */
		lib.open_dead_with_tstamp_precision = (pcap_t *(*)(int, int, u_int))
			lib_symbol(h, "pcap_open_dead_with_tstamp_precision", why, sizeof(why));
		lib.dump_fopen = (pcap_dumper_t *(*)(pcap_t *, FILE *))
			lib_symbol(h, "pcap_dump_fopen", why, sizeof(why));
		lib.geterr = (char *(*)(pcap_t *))lib_symbol(h, "pcap_geterr", why, sizeof(why));
		lib.close = (void (*)(pcap_t *))lib_symbol(h, "pcap_close", why, sizeof(why));
		lib.dump = (void (*)(u_char *, const struct pcap_pkthdr *, const u_char *))
			lib_symbol(h, "pcap_dump", why, sizeof(why));
		lib.dump_flush = (int (*)(pcap_dumper_t *))
			lib_symbol(h, "pcap_dump_flush", why, sizeof(why));
		if (!why[0]) {
			lib.handle = h;
			atexit(unload_libpcap);
			return 0;
		}
		dlclose(h);
	}
	snprintf(err, errlen, "cannot load libpcap (%s) to write a pcap capture: %s", soname, why);
	return -1;
}

/*
 * The fields fall in four groups by the threads that use them, each group
 * in cache lines of its own (CACHE_LINE apart): when a line that one thread
 * writes for every record also holds what the other reads for every record,
 * the line goes back and forth between the processors once a record.
 */
#define CACHE_LINE 64

struct capture {
	/* Set by capture_open, then only read, by both threads. */
	pcap_t *pcap;                   /* a "dead" handle: only describes the file */
	pcap_dumper_t *dump;            /* libpcap's writer on the stream */
	FILE *file;                     /* the stream: the caller's, never closed here */
	uint8_t *ring;                  /* RING_SIZE bytes */
	enum capture_linktype linktype;
	uint32_t snaplen;               /* bytes kept of each frame */
	uint64_t max_bytes;             /* 0: no limit */
	const char *name;               /* for messages */

	/* capture_packet's own (the run's thread). Offsets in the ring count
	 * bytes since the start, skips included; a record is at its offset
	 * % RING_SIZE. */
	_Alignas(CACHE_LINE) int write_errno;  /* first write failure known, 0 if none */
	bool full;                      /* max_bytes reached: nothing more written */
	uint64_t count;                 /* packets written */
	uint64_t bytes;                 /* file size so far */
	uint64_t framed;                /* records framed */
	uint64_t handed;                /* of those, handed over */
	uint64_t room_to;               /* framed may grow to this */

	/* Where the two meet. */
	_Alignas(CACHE_LINE) pthread_t writer;
	pthread_mutex_t lock;           /* guards the fields below */
	pthread_cond_t more;            /* published grew, or closing */
	pthread_cond_t room;            /* consumed grew */
	uint64_t published;             /* records the writer may take */
	uint64_t consumed;              /* records written, their room free */
	bool closing;                   /* nothing more will be published */
	bool writer_waits, framer_waits;
	int writer_errno;               /* the writer's first failure */

	/* The writer's own (capture_open sets them, capture_close reads them). */
	_Alignas(CACHE_LINE) uint64_t written;  /* bytes given to the stream */
	uint64_t reserved;              /* the file's first bytes with space reserved */
	bool reserve;                   /* may reserve more */
};

/* Under c->lock: publishes what is framed, learns the room and any failure. */
static void meet(struct capture *c)
{
	c->published = c->framed;
	c->handed = c->framed;
	c->room_to = c->consumed + RING_SIZE;
	c->write_errno = c->writer_errno;       /* the writer's is the only one */
}

/* Waits until framed may grow to upto, or the writer has failed. */
static void wait_for_room(struct capture *c, uint64_t upto)
{
	pthread_mutex_lock(&c->lock);
	meet(c);
	while (c->room_to < upto && !c->write_errno) {
		if (c->writer_waits)
			pthread_cond_signal(&c->more);
		c->framer_waits = true;
		pthread_cond_wait(&c->room, &c->lock);
		c->framer_waits = false;
		meet(c);
	}
	pthread_mutex_unlock(&c->lock);
}

/* Reserves disk space for the file's first upto bytes (see RESERVE_MIN). */
static void reserve_to(struct capture *c, uint64_t upto)
{
#ifdef FALLOC_FL_KEEP_SIZE
	while (c->reserve && c->reserved < upto) {
		uint64_t step = c->reserved < RESERVE_MIN ? RESERVE_MIN :
				c->reserved > RESERVE_MAX ? RESERVE_MAX : c->reserved;

		if (fallocate(fileno(c->file), FALLOC_FL_KEEP_SIZE, (off_t)c->reserved,
			      (off_t)step) != 0)
			c->reserve = false;
		else
			c->reserved += step;
	}
#else
	(void)c;
	(void)upto;
#endif
}

/* The moment ns (under a second) from now, for pthread_cond_timedwait
 * (whose clock is CLOCK_REALTIME). */
static const struct timespec *deadline_in(struct timespec *t, long ns)
{
	clock_gettime(CLOCK_REALTIME, t);
	t->tv_nsec += ns;
	if (t->tv_nsec >= 1000000000L) {
		t->tv_sec++;
		t->tv_nsec -= 1000000000L;
	}
	return t;
}

/* Writes the records that start in [from, to) with libpcap; the first
 * failure in *err, after which nothing more is written. Returns where the
 * last one ends. */
static uint64_t write_records(struct capture *c, uint64_t from, uint64_t to, int *err)
{
	flockfile(c->file);             /* once, not in every fwrite */
	while (from < to) {
		size_t at = from % RING_SIZE;
		const struct ring_rec *r = (const struct ring_rec *)(c->ring + at);

		if (r->caplen == REC_SKIP) {
			from += RING_SIZE - at;
			continue;
		}
		if (!*err) {
			struct pcap_pkthdr h;

			memset(&h, 0, sizeof(h));
			h.ts.tv_sec = (time_t)(r->ts_ns / NS_PER_SEC);
			h.ts.tv_usec = (suseconds_t)(r->ts_ns % NS_PER_SEC);   /* nanoseconds */
			h.caplen = r->caplen;
			h.len = r->len;
			/* pcap_dump returns nothing; a failed write (full disk, a
			 * closed pipe) only sets the stream's error flag. */
			errno = 0;
			lib.dump((u_char *)c->dump, &h, (const u_char *)(r + 1));
			if (ferror_unlocked(c->file))
				*err = errno ? errno : EIO;
			c->written += PCAP_REC_HDR_LEN + r->caplen;
		}
		from += rec_room(r->caplen);
	}
	funlockfile(c->file);
	return from;
}

static void *writer_main(void *arg)
{
	struct capture *c = arg;
	uint64_t done = 0;
	long pace = WRITER_PACE_NS;
	int err = 0;

	pthread_mutex_lock(&c->lock);
	for (;;) {
		uint64_t to;

		while (c->published == done && !c->closing) {
			struct timespec t;

			c->writer_waits = true;
			pthread_cond_timedwait(&c->more, &c->lock, deadline_in(&t, pace));
			c->writer_waits = false;
			if (c->published == done)
				pace = pace < WRITER_PACE_MAX_NS / 2 ? 2 * pace : WRITER_PACE_MAX_NS;
		}
		pace = WRITER_PACE_NS;
		if (c->published == done)
			break;                  /* closing, and everything written */
		to = c->published;
		pthread_mutex_unlock(&c->lock);
		/* At most a chunk at a time, so that its room comes back soon;
		 * the last record taken may end past the chunk. A record takes
		 * no more of the file than of the ring. */
		if (to - done > RING_CHUNK)
			to = done + RING_CHUNK;
		reserve_to(c, c->written + (to - done) + PCAP_REC_HDR_LEN + ETH_HDR_LEN + IPV4_MAX_LEN);
		done = write_records(c, done, to, &err);
		pthread_mutex_lock(&c->lock);
		c->consumed = done;
		c->writer_errno = err;          /* its first failure; it stays */
		if (c->framer_waits)
			pthread_cond_signal(&c->room);
	}
	pthread_mutex_unlock(&c->lock);
	return NULL;
}

/* The ring and its writer; 0, or an errno. Signals stay with the main thread. */
static int start_writer(struct capture *c)
{
	sigset_t all, old;
	int e, made = 0;                /* of the lock and the two conditions */

	c->ring = malloc(RING_SIZE);
	if (!c->ring)
		return ENOMEM;
	c->room_to = RING_SIZE;
	/* Each may fail (EAGAIN, ENOMEM: pthread_mutex_init(3p)). */
	e = pthread_mutex_init(&c->lock, NULL);
	if (!e) {
		made = 1;
		e = pthread_cond_init(&c->more, NULL);
	}
	if (!e) {
		made = 2;
		e = pthread_cond_init(&c->room, NULL);
	}
	if (!e) {
		made = 3;
		sigfillset(&all);
		pthread_sigmask(SIG_SETMASK, &all, &old);
		e = pthread_create(&c->writer, NULL, writer_main, c);
		pthread_sigmask(SIG_SETMASK, &old, NULL);
	}
	if (e) {
		if (made > 2)
			pthread_cond_destroy(&c->room);
		if (made > 1)
			pthread_cond_destroy(&c->more);
		if (made > 0)
			pthread_mutex_destroy(&c->lock);
		free(c->ring);
	}
	return e;
}

/* Publishes the rest, lets the writer finish and waits for it. */
static void stop_writer(struct capture *c)
{
	pthread_mutex_lock(&c->lock);
	meet(c);
	c->closing = true;
	pthread_cond_signal(&c->more);
	pthread_mutex_unlock(&c->lock);
	pthread_join(c->writer, NULL);
	c->write_errno = c->writer_errno;
	pthread_cond_destroy(&c->room);
	pthread_cond_destroy(&c->more);
	pthread_mutex_destroy(&c->lock);
	free(c->ring);
}

struct capture *capture_open(FILE *f, const char *name, enum capture_linktype lt,
			     uint32_t snaplen, uint64_t max_bytes, bool reserve,
			     char *err, size_t errlen)
{
	struct capture *c;
	int dlt = lt == LINKTYPE_RAW_IP ? DLT_RAW : DLT_EN10MB, e;

	if (capture_load_libpcap(PCAP_SONAME, err, errlen) != 0)
		return NULL;
	/* C11: the size of an aligned type is a multiple of its alignment. */
	c = aligned_alloc(_Alignof(struct capture), sizeof(*c));
	if (c)
		memset(c, 0, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "%s: %s", name, strerror(ENOMEM));
		return NULL;
	}
	c->linktype = lt;
	c->snaplen = snaplen ? snaplen : CAPTURE_SNAPLEN;
	c->max_bytes = max_bytes;
	c->name = name;
	c->file = f;
	c->pcap = lib.open_dead_with_tstamp_precision(dlt, (int)c->snaplen,
						       PCAP_TSTAMP_PRECISION_NANO);
	if (!c->pcap) {
		snprintf(err, errlen, "%s: cannot set up a pcap writer", name);
		free(c);
		return NULL;
	}
	/* Writes the file header; the dumper is the stream itself. */
	c->dump = lib.dump_fopen(c->pcap, f);
	if (!c->dump) {
		snprintf(err, errlen, "cannot write capture file %s: %s", name,
			 lib.geterr(c->pcap));
		lib.close(c->pcap);
		free(c);
		return NULL;
	}
	c->bytes = PCAP_FILE_HDR_LEN;
	c->reserve = reserve;
	c->written = PCAP_FILE_HDR_LEN;
	e = start_writer(c);
	if (e) {
		snprintf(err, errlen, "%s: cannot start the capture's writer: %s", name, strerror(e));
		lib.close(c->pcap);
		free(c);
		return NULL;
	}
	return c;
}

bool capture_packet(struct capture *c, uint64_t now_ns, const uint8_t *ip, size_t len)
{
	size_t iplen = len, caplen, room, skip, at;
	struct ring_rec *r;
	uint8_t *data;

	if (c->full || c->write_errno)
		return false;
	/* No IPv4 packet is longer; keep the record's size bounded regardless. */
	if (iplen > IPV4_MAX_LEN)
		iplen = IPV4_MAX_LEN;
	caplen = iplen;
	if (c->linktype == LINKTYPE_ETHERNET) {
		caplen += ETH_HDR_LEN;
		len += ETH_HDR_LEN;
	}
	/* Like tcpdump -s: the record keeps the first snaplen bytes, and
	 * its len field still says how long the frame was. */
	if (caplen > c->snaplen)
		caplen = c->snaplen;
	if (c->max_bytes && c->bytes + PCAP_REC_HDR_LEN + caplen > c->max_bytes) {
		c->full = true;
		return false;
	}
	room = rec_room(caplen);
	at = c->framed % RING_SIZE;
	skip = at + room > RING_SIZE ? RING_SIZE - at : 0;
	if (c->framed + skip + room > c->room_to) {
		wait_for_room(c, c->framed + skip + room);
		if (c->write_errno)
			return false;
	}
	if (skip) {
		((struct ring_rec *)(c->ring + at))->caplen = REC_SKIP;
		c->framed += skip;
		at = 0;
	}
	r = (struct ring_rec *)(c->ring + at);
	r->ts_ns = now_ns;
	r->caplen = (uint32_t)caplen;
	r->len = (uint32_t)len;
	data = (uint8_t *)(r + 1);
	if (c->linktype == LINKTYPE_ETHERNET && caplen >= ETH_HDR_LEN) {
		/* Ethernet II framing (frame.h): the made-up header, then the
		 * packet, as far as the snaplen keeps it. */
		frame_ethernet_header(data, ip, iplen);
		memcpy(data + ETH_HDR_LEN, ip, caplen - ETH_HDR_LEN);
	} else if (c->linktype == LINKTYPE_ETHERNET) {
		uint8_t eth[ETH_HDR_LEN];      /* a snaplen inside the header */

		frame_ethernet_header(eth, ip, iplen);
		memcpy(data, eth, caplen);
	} else {
		memcpy(data, ip, caplen);
	}
	c->framed += room;
	if (c->framed - c->handed >= RING_CHUNK) {
		pthread_mutex_lock(&c->lock);
		meet(c);
		pthread_mutex_unlock(&c->lock);
		if (c->write_errno)
			return false;
	}
	c->count++;
	c->bytes += PCAP_REC_HDR_LEN + caplen;
	return true;
}

uint64_t capture_count(const struct capture *c)
{
	return c->count;
}

uint64_t capture_bytes(const struct capture *c)
{
	return c->bytes;
}

int capture_close(struct capture *c, char *err, size_t errlen)
{
	int rc = 0;

	if (!c)
		return 0;
	stop_writer(c);
	/* The final flush is where a short file usually shows up. */
	errno = 0;
	if (!c->write_errno && (lib.dump_flush(c->dump) != 0 || ferror(c->file)))
		c->write_errno = errno ? errno : EIO;
	/* The space reserved past the end goes back (see RESERVE_MIN). */
	if (!c->write_errno && c->reserved > c->written &&
	    ftruncate(fileno(c->file), (off_t)c->written) != 0)
		c->write_errno = errno;
	if (c->write_errno) {
		snprintf(err, errlen, "cannot write capture file %s: %s", c->name,
			 strerror(c->write_errno));
		rc = -1;
	} else if (c->full) {
		snprintf(err, errlen, "capture file %s reached its limit of %" PRIu64
			 " bytes (--max-capture)", c->name, c->max_bytes);
		rc = -1;
	}
	/* Not pcap_dump_close: that would close the caller's stream. */
	lib.close(c->pcap);
	free(c);
	return rc;
}
