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
 * Hot path: capture_packet copies the packet once, into a frame buffer owned
 * by the capture (Ethernet), or not at all (raw IP). No allocation.
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

#include "config.h"
#include "capture.h"
#include "frame.h"

#include <dlfcn.h>
#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CAPTURE_SNAPLEN 262144  /* libpcap's default; more than any IPv4 packet */
#define ETH_HDR_LEN FRAME_ETH_HDR_LEN
#define IPV4_MAX_LEN 65535
#define NS_PER_SEC 1000000000ull

#define PCAP_FILE_HDR_LEN 24    /* pcap-savefile(5) */
#define PCAP_REC_HDR_LEN 16

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

struct capture {
	pcap_t *pcap;                   /* a "dead" handle: only describes the file */
	pcap_dumper_t *dump;            /* libpcap's writer on the stream */
	FILE *file;                     /* the stream: the caller's, never closed here */
	int write_errno;                /* first write failure, 0 if none */
	bool full;                      /* max_bytes reached: nothing more written */
	enum capture_linktype linktype;
	uint32_t snaplen;               /* bytes kept of each frame */
	uint64_t count;                 /* packets written */
	uint64_t bytes;                 /* file size so far */
	uint64_t max_bytes;             /* 0: no limit */
	const char *name;               /* for messages */
	uint8_t frame[ETH_HDR_LEN + IPV4_MAX_LEN];
};

struct capture *capture_open(FILE *f, const char *name, enum capture_linktype lt,
			     uint32_t snaplen, uint64_t max_bytes, char *err, size_t errlen)
{
	struct capture *c;
	int dlt = lt == LINKTYPE_RAW_IP ? DLT_RAW : DLT_EN10MB;

	if (capture_load_libpcap(PCAP_SONAME, err, errlen) != 0)
		return NULL;
	c = calloc(1, sizeof(*c));
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
	return c;
}

/* Ethernet II framing (frame.h): the made-up header, then the packet. */
static size_t frame_ethernet(struct capture *c, const uint8_t *ip, size_t len)
{
	frame_ethernet_header(c->frame, ip, len);
	memcpy(c->frame + ETH_HDR_LEN, ip, len);
	return ETH_HDR_LEN + len;
}

bool capture_packet(struct capture *c, uint64_t now_ns, const uint8_t *ip, size_t len)
{
	struct pcap_pkthdr h;
	const uint8_t *data = ip;
	size_t caplen = len;

	if (c->full || c->write_errno)
		return false;
	/* No IPv4 packet is longer; keep the frame buffer safe regardless. */
	if (caplen > IPV4_MAX_LEN)
		caplen = IPV4_MAX_LEN;
	memset(&h, 0, sizeof(h));
	h.ts.tv_sec = (time_t)(now_ns / NS_PER_SEC);
	h.ts.tv_usec = (suseconds_t)(now_ns % NS_PER_SEC);     /* nanoseconds */
	if (c->linktype == LINKTYPE_ETHERNET) {
		caplen = frame_ethernet(c, ip, caplen);
		len += ETH_HDR_LEN;
		data = c->frame;
	}
	/* Like tcpdump -s: the record keeps the first snaplen bytes, and
	 * its len field still says how long the frame was. */
	if (caplen > c->snaplen)
		caplen = c->snaplen;
	if (c->max_bytes && c->bytes + PCAP_REC_HDR_LEN + caplen > c->max_bytes) {
		c->full = true;
		return false;
	}
	h.caplen = (bpf_u_int32)caplen;
	h.len = (bpf_u_int32)len;
	/*
	 * pcap_dump returns nothing; a failed write (full disk, a closed
	 * pipe) only sets the stream's error flag. Remember why while errno
	 * still says so, so that capture_close can report it.
	 */
	errno = 0;
	lib.dump((u_char *)c->dump, &h, data);
	if (ferror(c->file)) {
		c->write_errno = errno ? errno : EIO;
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
	/* The final flush is where a short file usually shows up. */
	errno = 0;
	if (!c->write_errno && (lib.dump_flush(c->dump) != 0 || ferror(c->file)))
		c->write_errno = errno ? errno : EIO;
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
