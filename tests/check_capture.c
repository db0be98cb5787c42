/*
 * check_capture: unit tests for sim/capture.c.
 *
 * Writes a short conversation of wire_encode'd segments with both link
 * types into a fresh mkdtemp directory and reads it back with libpcap as an
 * independent reader: link type, nanosecond timestamps, lengths, bytes, the
 * MAC addresses derived from the IPv4 addresses. Then the stream's life
 * (a full disk reported, the caller's stream left open, the size limit, a
 * writer thread, lock or condition that cannot be made) and many records
 * through the writer's ring into a file and a slow or closed pipe; disk
 * space reserved ahead of the writes and given back; a writer that is not
 * woken for each hand-over, is woken for a full ring, and looks less often
 * when idle. A snaplen cuts long frames to their first bytes and keeps
 * their length. If $TSHARK names a tshark binary, it must find both
 * checksums good and raise no warning or error on the file.
 */
#define _GNU_SOURCE 1           /* RTLD_NEXT, dlvsym: the C library past this file's own */
#define _DEFAULT_SOURCE 1       /* u_char and friends for <pcap/pcap.h> */
#define _DARWIN_C_SOURCE 1

#include <check.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "config.h"
#include "capture.h"
#include "wire.h"

#define ADDR_C 0xC0000201u      /* 192.0.2.1, the client */
#define ADDR_S 0xC0000202u      /* 192.0.2.2, the server */

/* ------------------------------------------------------------- fixtures */

static char dir[256];
static char path[300];
static FILE *stream;            /* the file the capture writes to */

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_capture.XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cap.pcap", dir);
}

static void remove_dir(void)
{
	remove(path);
	ck_assert_int_eq(rmdir(dir), 0);     /* fails if anything else was left */
}

static bool exists(const char *p)
{
	struct stat st;

	return lstat(p, &st) == 0;
}

/* A capture on a new file at path; cap_close closes both. */
static struct capture *cap_open(enum capture_linktype lt, uint32_t snaplen, uint64_t max_bytes,
				char *err, size_t errlen)
{
	struct capture *c;

	stream = fopen(path, "w");
	ck_assert_ptr_nonnull(stream);
	c = capture_open(stream, "cap.pcap", lt, snaplen, max_bytes, false, err, errlen);
	ck_assert_msg(c != NULL, "capture_open: %s", err);
	return c;
}

static int cap_close(struct capture *c, char *err, size_t errlen)
{
	int rc = capture_close(c, err, errlen);

	ck_assert_int_eq(fclose(stream), 0);
	stream = NULL;
	return rc;
}

/* ------------------------------------------------------------- packets */

#define NPKT 4

/* A handshake and one exchange of data, as the client would see it. */
static const struct tcp_seg SEGS[NPKT] = {
	{ .src_addr = ADDR_C, .dst_addr = ADDR_S, .src_port = 49152, .dst_port = 8000,
	  .seq = 0x12345678, .flags = TH_SYN, .wnd = 64240, .ip_id = 1,
	  .opt = { .has_mss = true, .mss = 1460, .sack_permitted = true, .has_ts = true,
		   .ts_val = 1000, .has_wscale = true, .wscale = 7 } },
	{ .src_addr = ADDR_S, .dst_addr = ADDR_C, .src_port = 8000, .dst_port = 49152,
	  .seq = 0xfffffff0, .ack = 0x12345679, .flags = TH_SYN | TH_ACK, .wnd = 65160,
	  .opt = { .has_mss = true, .mss = 1460, .sack_permitted = true, .has_ts = true,
		   .ts_val = 5000, .ts_ecr = 1000, .has_wscale = true, .wscale = 7 } },
	{ .src_addr = ADDR_C, .dst_addr = ADDR_S, .src_port = 49152, .dst_port = 8000,
	  .seq = 0x12345679, .ack = 0xfffffff1, .flags = TH_ACK | TH_PSH, .wnd = 502,
	  .ip_id = 2, .opt = { .has_ts = true, .ts_val = 1050, .ts_ecr = 5000 },
	  .payload = (const uint8_t *)"Hi, gopher?", .len = 11 },
	{ .src_addr = ADDR_S, .dst_addr = ADDR_C, .src_port = 8000, .dst_port = 49152,
	  .seq = 0xfffffff1, .ack = 0x12345684, .flags = TH_ACK, .wnd = 509,
	  .opt = { .has_ts = true, .ts_val = 5050, .ts_ecr = 1050 } },
};

/* 1.000000001 s exercises the last nanosecond digit, 2.5 s a half second. */
static const uint64_t TIMES[NPKT] = {
	1000000001ull, 2500000000ull, 2500000000ull, 3999999999ull,
};

static uint8_t pkts[NPKT][128];
static size_t pkt_len[NPKT];

static void encode_all(void)
{
	int i;

	for (i = 0; i < NPKT; i++) {
		pkt_len[i] = wire_encode(&SEGS[i], pkts[i], sizeof(pkts[i]));
		ck_assert_uint_ne(pkt_len[i], 0);
	}
}

static void write_capture(enum capture_linktype lt)
{
	char err[512] = "";
	struct capture *c;
	int i;

	c = cap_open(lt, 0, 0, err, sizeof(err));
	for (i = 0; i < NPKT; i++)
		ck_assert(capture_packet(c, TIMES[i], pkts[i], pkt_len[i]));
	ck_assert_uint_eq(capture_count(c), NPKT);
	ck_assert_msg(cap_close(c, err, sizeof(err)) == 0, "close: %s", err);
}

/* The Ethernet header a capture must give the IPv4 packet ip (iplen bytes):
 * 02:00 + destination address, 02:00 + source, IPv4; zeros for a packet
 * too short to hold the addresses. */
static void want_eth_header(uint8_t hdr[14], const uint8_t *ip, size_t iplen)
{
	memset(hdr, 0, 14);
	hdr[0] = hdr[6] = 0x02;
	if (iplen >= 20) {
		memcpy(hdr + 2, ip + 16, 4);
		memcpy(hdr + 8, ip + 12, 4);
	}
	hdr[12] = 0x08;
}

/* -------------------------------------------------------------- reading */

static const struct {
	enum capture_linktype lt;
	int dlt;                        /* what libpcap reports when reading */
	uint32_t linktype;              /* what the file header holds */
	size_t hdr;                     /* link-layer header bytes */
} LINKS[] = {
	{ LINKTYPE_ETHERNET, DLT_EN10MB, 1, 14 },
	{ LINKTYPE_RAW_IP, DLT_RAW, 101, 0 },
};

START_TEST(test_write_and_read_back)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	uint32_t fhdr[6];
	FILE *f;
	pcap_t *p;
	int i;

	make_dir();
	encode_all();
	write_capture(LINKS[_i].lt);
	ck_assert(exists(path));

	/* pcap-savefile(5): nanosecond magic, v2.4, snaplen, link type. */
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(fhdr, 4, 6, f), 6);
	fclose(f);
	ck_assert_uint_eq(fhdr[0], 0xa1b23c4d);
	ck_assert_uint_eq(fhdr[1], 2 | 4u << 16);
	ck_assert_uint_eq(fhdr[4], 262144);
	ck_assert_uint_eq(fhdr[5], LINKS[_i].linktype);

	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	ck_assert_msg(p != NULL, "%s", errbuf);
	ck_assert_int_eq(pcap_datalink(p), LINKS[_i].dlt);
	ck_assert_int_eq(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	for (i = 0; i < NPKT; i++) {
		size_t hl = LINKS[_i].hdr;

		ck_assert_int_eq(pcap_next_ex(p, &h, &data), 1);
		ck_assert_uint_eq((uint64_t)h->ts.tv_sec, TIMES[i] / 1000000000ull);
		ck_assert_uint_eq((uint64_t)h->ts.tv_usec, TIMES[i] % 1000000000ull);
		ck_assert_uint_eq(h->caplen, hl + pkt_len[i]);
		ck_assert_uint_eq(h->len, hl + pkt_len[i]);
		ck_assert_int_eq(memcmp(data + hl, pkts[i], pkt_len[i]), 0);
		if (hl) {
			uint8_t want[14];

			want_eth_header(want, pkts[i], pkt_len[i]);
			ck_assert_int_eq(memcmp(data, want, 14), 0);
		}
	}
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	remove_dir();
}
END_TEST

START_TEST(test_client_mac)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct pcap_pkthdr *h;
	const u_char *data;
	static const uint8_t client_to_server[12] = {
		0x02, 0x00, 0xc0, 0x00, 0x02, 0x02,     /* dst 192.0.2.2 */
		0x02, 0x00, 0xc0, 0x00, 0x02, 0x01,     /* src 192.0.2.1 */
	};
	pcap_t *p;

	make_dir();
	encode_all();
	write_capture(LINKTYPE_ETHERNET);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	ck_assert_msg(p != NULL, "%s", errbuf);
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), 1);
	ck_assert_int_eq(memcmp(data, client_to_server, 12), 0);
	pcap_close(p);
	remove_dir();
}
END_TEST

/* ------------------------------------------------------------ life cycle */

/* Closing flushes but leaves the stream to its owner, who may write on. */
START_TEST(test_close_keeps_the_stream)
{
	char err[512] = "";
	struct capture *c;
	struct stat st;

	make_dir();
	encode_all();
	c = cap_open(LINKS[_i].lt, 0, 0, err, sizeof(err));
	ck_assert(capture_packet(c, 0, pkts[0], pkt_len[0]));
	ck_assert_int_eq(capture_close(c, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 24 + 16 + LINKS[_i].hdr + pkt_len[0]);
	ck_assert_int_eq(fputc('x', stream), 'x');
	ck_assert_int_eq(fclose(stream), 0);
	stream = NULL;
	remove_dir();
}
END_TEST

START_TEST(test_empty_capture_kept)
{
	char err[512] = "";
	struct capture *c;
	struct stat st;

	make_dir();
	c = cap_open(LINKTYPE_ETHERNET, 0, 0, err, sizeof(err));
	ck_assert_uint_eq(capture_count(c), 0);
	ck_assert_uint_eq(capture_bytes(c), 24);
	ck_assert_int_eq(cap_close(c, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 24);               /* the file header alone */
	remove_dir();
}
END_TEST

/*
 * max_bytes: a record that would take the file past the limit is not
 * written, nor anything after it; close says so. Raw IP, so each record of
 * packet 0 is 16 + pkt_len[0] bytes: a limit of two records and a byte
 * short of the third keeps exactly two.
 */
START_TEST(test_size_limit)
{
	char err[512] = "", want[128];
	struct capture *c;
	struct stat st;
	uint64_t rec, limit;

	make_dir();
	encode_all();
	rec = 16 + pkt_len[0];
	limit = 24 + 3 * rec - 1;
	c = cap_open(LINKTYPE_RAW_IP, 0, limit, err, sizeof(err));
	ck_assert(capture_packet(c, 0, pkts[0], pkt_len[0]));
	ck_assert(capture_packet(c, 1, pkts[0], pkt_len[0]));
	ck_assert(!capture_packet(c, 2, pkts[0], pkt_len[0]));
	/* A smaller record would fit, but the file stops at the first miss. */
	ck_assert(!capture_packet(c, 3, pkts[0], 20));
	ck_assert_uint_eq(capture_count(c), 2);
	ck_assert_uint_eq(capture_bytes(c), 24 + 2 * rec);
	ck_assert_int_eq(cap_close(c, err, sizeof(err)), -1);
	snprintf(want, sizeof want, "capture file cap.pcap reached its limit of %llu bytes"
		 " (--max-capture)", (unsigned long long)limit);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 24 + 2 * rec);
	/* Exactly at the limit is still within it. */
	c = cap_open(LINKTYPE_RAW_IP, 0, 24 + rec, err, sizeof(err));
	ck_assert(capture_packet(c, 0, pkts[0], pkt_len[0]));
	ck_assert(!capture_packet(c, 1, pkts[0], pkt_len[0]));
	ck_assert_int_eq(cap_close(c, err, sizeof(err)), -1);
	remove_dir();
}
END_TEST

/*
 * A full disk: the stream is /dev/full, so every write fails with ENOSPC
 * once stdio flushes. The writer thread notices; capture_packet says the
 * capture cannot go on at the latest when the ring's room runs out (here
 * within 3 MiB of records: the ring holds 2 MiB, handed over 256 KiB at a
 * time), or only close says so when one packet never reaches the disk.
 * Closing must say so either way.
 */
static const int FULL_DISK_PACKETS[] = { 1, 1 << 30 };
#define FULL_DISK_ROOM (3u << 20)

START_TEST(test_full_disk_reported)
{
	char err[512] = "";
	struct capture *c;
	bool ok = true;
	int i;

	if (access("/dev/full", W_OK) != 0)
		return;                 /* not on this system: nothing to test */
	make_dir();
	encode_all();
	stream = fopen("/dev/full", "w");
	ck_assert_ptr_nonnull(stream);
	c = capture_open(stream, "full.pcap", LINKTYPE_ETHERNET, 0, 0, false, err, sizeof(err));
	if (!c) {
		/* The header alone may already fail, when stdio writes it at once. */
		ck_assert_msg(strstr(err, "full.pcap") != NULL, "message: %s", err);
		fclose(stream);
		remove_dir();
		return;
	}
	for (i = 0; i < FULL_DISK_PACKETS[_i] && ok; i++) {
		ok = capture_packet(c, (uint64_t)i, pkts[i % NPKT], pkt_len[i % NPKT]);
		ck_assert_uint_le(capture_bytes(c), FULL_DISK_ROOM);
	}
	ck_assert(ok == (FULL_DISK_PACKETS[_i] == 1));
	ck_assert_int_eq(capture_close(c, err, sizeof(err)), -1);
	fclose(stream);
	stream = NULL;
	ck_assert_msg(strstr(err, strerror(ENOSPC)) != NULL, "message: %s", err);
	ck_assert_msg(strncmp(err, "cannot write capture file full.pcap: ", 37) == 0, "message: %s", err);
	remove_dir();
}
END_TEST

/*
 * Many records through the writer's ring (2 MiB, handed over 256 KiB at a
 * time), each case to 6 MiB of file: the file must be the records in
 * order, as pcap-savefile(5) lays them out, built here byte by byte from
 * what each packet was.
 *
 * The lengths: every one from 20 to 1,600 bytes, so that a record is left
 * over at every end of the ring it does not fill and the writer's 256 KiB
 * end inside records; records that end exactly at the ring's end, after a
 * first lap that leaves 16 bytes over (the least a record takes); the
 * longest IPv4 packet framed in Ethernet, exactly 64 KiB in the ring, and
 * longer ones cut to it; frames cut by small snaplens, and packets too
 * short to hold the addresses the Ethernet header is made of.
 *
 * The sinks: a file; a pipe whose reader starts late, so that the ring
 * fills and the run waits for the writer to give room back; the same
 * pipe's reader closing without reading, a failure noticed while the run
 * waits. And a limit (--max-capture) met after several hand-overs.
 */
#define RING_FILE_BYTES (6u << 20)
#define LATE_READER_NS 100000000L       /* 100 ms */

enum sink { TO_FILE, TO_LATE_PIPE, TO_CLOSED_PIPE };

static size_t many_len(size_t i)
{
	return 20 + i * 37 % 1581;
}

/* Raw IP: 1,008 bytes take 1 KiB of ring with their record's header. */
static size_t fit_len(size_t i)
{
	return i == 0 ? 992 : 1008;
}

static size_t eth_len(size_t i)
{
	static const size_t lens[] = { 65506, 65535, 70000, 0, 13, 19, 20, 1500 };

	return lens[i % (sizeof(lens) / sizeof(lens[0]))];
}

static size_t snap_len(size_t i)
{
	return i % 3 ? many_len(i) : i % 41;
}

static const struct ring_case {
	enum capture_linktype lt;
	uint32_t snaplen;               /* 0: the capture's default */
	size_t (*len)(size_t i);
	uint64_t max_bytes;
	enum sink sink;
} RING_CASES[] = {
	{ LINKTYPE_RAW_IP, 0, many_len, 0, TO_FILE },
	{ LINKTYPE_RAW_IP, 0, fit_len, 0, TO_FILE },
	{ LINKTYPE_ETHERNET, 0, eth_len, 0, TO_FILE },
	{ LINKTYPE_ETHERNET, 1, snap_len, 0, TO_FILE },
	{ LINKTYPE_ETHERNET, 13, snap_len, 0, TO_FILE },
	{ LINKTYPE_ETHERNET, 14, snap_len, 0, TO_FILE },
	{ LINKTYPE_ETHERNET, 96, snap_len, 0, TO_FILE },
	{ LINKTYPE_RAW_IP, 0, many_len, 3000000, TO_FILE },
	{ LINKTYPE_ETHERNET, 0, many_len, 0, TO_LATE_PIPE },
	{ LINKTYPE_RAW_IP, 0, many_len, 0, TO_CLOSED_PIPE },
};

static uint8_t many_byte(size_t i, size_t k)
{
	return (uint8_t)(i * 131 + k * 7 + (i >> 8));
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);               /* the writer's byte order: the host's */
}

/* Packet i's frame as the file must hold it: in frame, its length back. */
static size_t expected_frame(const struct ring_case *rc, const uint8_t *pkt, size_t len,
			     uint8_t *frame)
{
	size_t iplen = len > 65535 ? 65535 : len, n = 0;

	if (rc->lt == LINKTYPE_ETHERNET) {
		want_eth_header(frame, pkt, iplen);
		n = 14;
	}
	memcpy(frame + n, pkt, iplen);
	return n + iplen;
}

struct reader {                 /* the pipe's other end */
	int fd;
	bool reads;                     /* false: closes without reading */
	uint8_t *got;
	size_t len, cap;
};

static void *reader_main(void *arg)
{
	struct reader *r = arg;
	struct timespec late = { 0, LATE_READER_NS };
	ssize_t n;

	nanosleep(&late, NULL);
	while (r->reads && (n = read(r->fd, r->got + r->len, r->cap - r->len)) > 0)
		r->len += (size_t)n;
	close(r->fd);
	return NULL;
}

START_TEST(test_many_records_through_the_ring)
{
	const struct ring_case *rc = &RING_CASES[_i];
	static uint8_t pkt[70000], frame[70000];
	char err[512] = "";
	struct reader rd = { .fd = -1 };
	struct capture *c;
	pthread_t reader;
	size_t i, k = 24, cap = RING_FILE_BYTES + (128u << 10);
	uint64_t limit = rc->max_bytes;
	uint8_t *want, *got;
	bool ok = true;
	long got_len;

	make_dir();
	if (rc->sink == TO_FILE) {
		c = cap_open(rc->lt, rc->snaplen, limit, err, sizeof(err));
	} else {
		int fds[2];

		signal(SIGPIPE, SIG_IGN);       /* the main thread's last flush */
		ck_assert_int_eq(pipe(fds), 0);
		rd.fd = fds[0];
		rd.reads = rc->sink == TO_LATE_PIPE;
		rd.cap = cap;
		rd.got = malloc(cap);
		ck_assert_ptr_nonnull(rd.got);
		stream = fdopen(fds[1], "w");
		ck_assert_ptr_nonnull(stream);
		ck_assert_int_eq(pthread_create(&reader, NULL, reader_main, &rd), 0);
		c = capture_open(stream, "cap.pcap", rc->lt, rc->snaplen, limit, false, err, sizeof(err));
		ck_assert_msg(c != NULL, "capture_open: %s", err);
	}
	want = malloc(cap);
	ck_assert_ptr_nonnull(want);
	memset(want, 0, 24);
	for (i = 0; k < RING_FILE_BYTES && ok; i++) {
		size_t len = rc->len(i), flen, caplen;
		uint64_t t = 1000000000ull * i + i;

		for (size_t j = 0; j < len; j++)
			pkt[j] = many_byte(i, j);
		flen = expected_frame(rc, pkt, len, frame);
		caplen = rc->snaplen && flen > rc->snaplen ? rc->snaplen : flen;
		ok = capture_packet(c, t, pkt, len);
		if (limit && k + 16 + caplen > limit) {
			ck_assert_msg(!ok, "packet %zu passed the limit", i);
			break;
		}
		if (rc->sink == TO_CLOSED_PIPE) {
			/* Noticed at the latest when the ring's room runs out: the
			 * ring, a hand-over, the pipe's and the stream's buffers. */
			ck_assert_uint_le(capture_bytes(c), 3u << 20);
			continue;
		}
		ck_assert_msg(ok, "packet %zu", i);
		put32(want + k, (uint32_t)(t / 1000000000u));
		put32(want + k + 4, (uint32_t)(t % 1000000000u));
		put32(want + k + 8, (uint32_t)caplen);
		put32(want + k + 12, (uint32_t)(len + (rc->lt == LINKTYPE_ETHERNET ? 14 : 0)));
		memcpy(want + k + 16, frame, caplen);
		k += 16 + caplen;
	}
	if (rc->sink == TO_CLOSED_PIPE) {
		ck_assert_msg(!ok, "a closed pipe was never noticed");
		ck_assert_int_eq(cap_close(c, err, sizeof(err)), -1);
		ck_assert_str_eq(err, "cannot write capture file cap.pcap: Broken pipe");
		pthread_join(reader, NULL);
		free(rd.got);
		free(want);
		remove_dir();
		return;
	}
	ck_assert_uint_eq(capture_bytes(c), k);
	ck_assert_uint_eq(capture_count(c), i);
	if (limit) {
		ck_assert(!capture_packet(c, 0, pkt, 0));       /* and nothing after */
		ck_assert_int_eq(cap_close(c, err, sizeof(err)), -1);
		ck_assert_msg(strstr(err, "reached its limit of 3000000 bytes") != NULL, "%s", err);
	} else {
		ck_assert_msg(cap_close(c, err, sizeof(err)) == 0, "close: %s", err);
	}

	if (rc->sink == TO_FILE) {
		FILE *f = fopen(path, "rb");

		ck_assert_ptr_nonnull(f);
		ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
		got_len = ftell(f);
		rewind(f);
		got = malloc(cap);
		ck_assert_ptr_nonnull(got);
		ck_assert_uint_eq(fread(got, 1, (size_t)got_len, f), (size_t)got_len);
		fclose(f);
	} else {
		pthread_join(reader, NULL);
		got = rd.got;
		got_len = (long)rd.len;
	}
	ck_assert_int_eq(got_len, (long)k);
	/* The file header is libpcap's (test_write_and_read_back reads it). */
	for (i = 24; i < k && got[i] == want[i]; i++)
		;
	ck_assert_msg(i == k, "the file differs from byte %zu on", i);
	free(got);
	free(want);
	remove_dir();
}
END_TEST

/*
 * The writer thread cannot be started (pthread_create fails when the
 * process has too many threads): capture_open says so, and leaves the
 * stream to its owner. pthread_create is the test's own here, failing
 * while fail_thread holds an errno and otherwise the C library's.
 */
static int fail_thread;

/*
 * The C library's own name, for the test's functions of the same name to
 * pass calls on to: the version programs link against where there are
 * several (dlsym alone may find an older one, as for the conditions).
 */
static void *libc_symbol(const char *name)
{
	void *f = NULL;

#if defined(__GLIBC__) && defined(__x86_64__)
	f = dlvsym(RTLD_NEXT, name, "GLIBC_2.3.2");
#endif
	if (!f)
		f = dlsym(RTLD_NEXT, name);
	ck_assert_ptr_nonnull(f);
	return f;
}

int pthread_create(pthread_t *t, const pthread_attr_t *attr, void *(*start)(void *), void *arg)
{
	int (*next)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *);

	if (fail_thread)
		return fail_thread;
	next = (int (*)(pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
		libc_symbol("pthread_create");
	return next(t, attr, start, arg);
}

/*
 * pthread_mutex_init and pthread_cond_init are the test's own too: while
 * fail_init_at is n > 0, the n-th call from now fails with EAGAIN (the
 * lock, then each of the two conditions capture_open makes).
 */
static int fail_init_at;

static int init_fails(void)
{
	return fail_init_at > 0 && --fail_init_at == 0;
}

int pthread_mutex_init(pthread_mutex_t *m, const pthread_mutexattr_t *a)
{
	static int (*next)(pthread_mutex_t *, const pthread_mutexattr_t *);

	if (init_fails())
		return EAGAIN;
	if (!next)
		next = (int (*)(pthread_mutex_t *, const pthread_mutexattr_t *))
			libc_symbol("pthread_mutex_init");
	return next(m, a);
}

int pthread_cond_init(pthread_cond_t *cond, const pthread_condattr_t *a)
{
	static int (*next)(pthread_cond_t *, const pthread_condattr_t *);

	if (init_fails())
		return EAGAIN;
	if (!next)
		next = (int (*)(pthread_cond_t *, const pthread_condattr_t *))
			libc_symbol("pthread_cond_init");
	return next(cond, a);
}

/*
 * capture_open on a new file at path while *trigger holds value (then 0):
 * it must fail with the message for a writer that cannot start, and leave
 * the stream to its caller; the next capture must work. Returns what
 * *trigger held when capture_open returned.
 */
static int open_refused(int *trigger, int value)
{
	char err[512] = "";
	struct capture *c;
	int left;

	make_dir();
	stream = fopen(path, "w");
	ck_assert_ptr_nonnull(stream);
	*trigger = value;
	c = capture_open(stream, "cap.pcap", LINKTYPE_RAW_IP, 0, 0, false, err, sizeof(err));
	left = *trigger;
	*trigger = 0;
	ck_assert_ptr_null(c);
	ck_assert_str_eq(err, "cap.pcap: cannot start the capture's writer: "
			 "Resource temporarily unavailable");
	ck_assert_int_eq(fputc('x', stream), 'x');      /* still the caller's */
	ck_assert_int_eq(fclose(stream), 0);
	stream = NULL;
	/* A writer can be started again, and the next capture works. */
	write_capture(LINKTYPE_RAW_IP);
	remove_dir();
	return left;
}

/* Each of the three failing, the lock and then each condition. */
START_TEST(test_no_writer_lock)
{
	ck_assert_int_eq(open_refused(&fail_init_at, _i + 1), 0);      /* reached */
}
END_TEST

START_TEST(test_no_writer_thread)
{
	open_refused(&fail_thread, EAGAIN);
}
END_TEST

/* ------------------------------------------------ reserved disk space */

/*
 * fallocate is the test's own here: it notes each call (and the file's size
 * then) and, unless fail_reserve holds an errno to fail with, passes it on
 * to the C library.
 */
#define MAX_RESERVES 64

static struct reserve_call {
	int mode;
	off_t off, len;
	off_t size_then;                /* the file's size when it was made */
} reserves[MAX_RESERVES];
static int nreserves;
static int fail_reserve;

int fallocate(int fd, int mode, off_t off, off_t len)
{
	int (*next)(int, int, off_t, off_t);
	struct stat st;

	ck_assert_int_lt(nreserves, MAX_RESERVES);
	ck_assert_int_eq(fstat(fd, &st), 0);
	reserves[nreserves++] = (struct reserve_call){ mode, off, len, st.st_size };
	if (fail_reserve) {
		errno = fail_reserve;
		return -1;
	}
	next = (int (*)(int, int, off_t, off_t))libc_symbol("fallocate");
	return next(fd, mode, off, len);
}

/* 1,000 bytes of raw IPv4 packet i, 1,016 in the file with the header. */
#define RESERVE_PKT 1000
#define RESERVE_FILE_BYTES (6u << 20)

/* A capture of packets until the file holds RESERVE_FILE_BYTES, at file
 * (reserve as given); returns the file's size. */
static uint64_t write_reserved(const char *file, bool reserve)
{
	static uint8_t pkt[RESERVE_PKT];
	char err[512] = "";
	struct capture *c;
	FILE *f = fopen(file, "w");
	size_t i;

	ck_assert_ptr_nonnull(f);
	c = capture_open(f, "cap.pcap", LINKTYPE_RAW_IP, 0, 0, reserve, err, sizeof(err));
	ck_assert_msg(c != NULL, "capture_open: %s", err);
	for (i = 0; capture_bytes(c) < RESERVE_FILE_BYTES; i++) {
		for (size_t j = 0; j < sizeof(pkt); j++)
			pkt[j] = many_byte(i, j);
		ck_assert(capture_packet(c, 1000 * i, pkt, sizeof(pkt)));
	}
	ck_assert_msg(capture_close(c, err, sizeof(err)) == 0, "close: %s", err);
	ck_assert_int_eq(fclose(f), 0);
	return 24 + 1016 * (uint64_t)i;
}

/* Whether two files hold the same bytes. */
static bool same_bytes(const char *a, const char *b)
{
	FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
	int ca, cb;

	ck_assert_ptr_nonnull(fa);
	ck_assert_ptr_nonnull(fb);
	do {
		ca = getc(fa);
		cb = getc(fb);
	} while (ca == cb && ca != EOF);
	fclose(fa);
	fclose(fb);
	return ca == cb;
}

/*
 * A file the capture may reserve in: the space is reserved ahead of the
 * writes, each reservation as large as all before it (1 MiB, 1 MiB, 2 MiB,
 * 4 MiB for a 6 MiB file), with the file's size kept; at close what was not
 * written is given back, and the bytes are those of a capture that reserved
 * nothing.
 */
START_TEST(test_reserves_ahead)
{
	static const off_t want_off[] = { 0, 1 << 20, 2 << 20, 4 << 20 };
	static const off_t want_len[] = { 1 << 20, 1 << 20, 2 << 20, 4 << 20 };
	char plain[320];
	uint64_t size;
	struct stat st;

	make_dir();
	snprintf(plain, sizeof(plain), "%s/plain.pcap", dir);
	nreserves = 0;
	size = write_reserved(plain, false);
	ck_assert_int_eq(nreserves, 0);         /* not asked to */
	ck_assert_uint_eq(write_reserved(path, true), size);
	ck_assert_int_eq(nreserves, 4);
	for (int i = 0; i < nreserves; i++) {
		ck_assert_int_eq(reserves[i].mode, FALLOC_FL_KEEP_SIZE);
		ck_assert_int_eq(reserves[i].off, want_off[i]);
		ck_assert_int_eq(reserves[i].len, want_len[i]);
		ck_assert_int_le(reserves[i].size_then, reserves[i].off);      /* ahead */
	}
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, (off_t)size);
	/* 8 MiB were reserved; what holds no bytes went back. */
	ck_assert_int_lt((off_t)st.st_blocks * 512, (off_t)size + (1 << 20));
	ck_assert(same_bytes(path, plain));
	remove(plain);
	remove_dir();
}
END_TEST

/* A file system that cannot reserve: one attempt, then the writes alone,
 * and the same bytes. */
START_TEST(test_reserve_refused)
{
	char plain[320];
	struct stat st;
	uint64_t size;

	make_dir();
	snprintf(plain, sizeof(plain), "%s/plain.pcap", dir);
	size = write_reserved(plain, false);
	nreserves = 0;
	fail_reserve = EOPNOTSUPP;
	write_reserved(path, true);
	fail_reserve = 0;
	ck_assert_int_eq(nreserves, 1);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, (off_t)size);
	ck_assert(same_bytes(path, plain));
	remove(plain);
	remove_dir();
}
END_TEST

/* ------------------------------------------------------ the writer's pace */

/*
 * pthread_cond_signal and pthread_cond_timedwait are the test's own here:
 * the first counts the calls the framing thread (framer) makes, the second
 * waits an hour instead while long_pace is set; both then pass the call on.
 */
static pthread_t framer;
static int framer_signals;
static int writer_waits;                /* timed waits by any other thread */
static bool long_pace;

int pthread_cond_signal(pthread_cond_t *cond)
{
	static int (*next)(pthread_cond_t *);

	if (!next)
		next = (int (*)(pthread_cond_t *))libc_symbol("pthread_cond_signal");
	if (pthread_equal(pthread_self(), framer))
		framer_signals++;
	return next(cond);
}

int pthread_cond_timedwait(pthread_cond_t *cond, pthread_mutex_t *m, const struct timespec *t)
{
	static int (*next)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *);
	struct timespec later;

	if (!next)
		next = (int (*)(pthread_cond_t *, pthread_mutex_t *, const struct timespec *))
			libc_symbol("pthread_cond_timedwait");
	if (!pthread_equal(pthread_self(), framer))
		writer_waits++;
	if (long_pace) {
		later = *t;
		later.tv_sec += 3600;
		t = &later;
	}
	return next(cond, m, t);
}

/* The file's size as the kernel has it. */
static off_t file_size(const char *p)
{
	struct stat st;

	ck_assert_int_eq(stat(p, &st), 0);
	return st.st_size;
}

/*
 * Hand-overs a writer with nothing to do waits for: each 256 KiB chunk is
 * framed, then the run pauses. The framing thread never wakes the writer
 * for a chunk (a system call each time); the writer finds each one by
 * itself, so the file grows while the run goes on, and the one wake is the
 * close's.
 */
#define PACE_CHUNKS 12
#define PACE_PAUSE_NS 2000000L          /* 2 ms: many of the writer's looks */

START_TEST(test_writer_not_woken_per_chunk)
{
	static uint8_t pkt[RESERVE_PKT];
	struct timespec pause = { 0, PACE_PAUSE_NS };
	char err[512] = "";
	struct capture *c;
	uint64_t i = 0;

	make_dir();
	c = cap_open(LINKTYPE_RAW_IP, 0, 0, err, sizeof(err));
	framer = pthread_self();
	framer_signals = 0;
	for (int k = 1; k <= PACE_CHUNKS; k++) {
		while (capture_bytes(c) < (uint64_t)k * (256u << 10) * 1016 / 1024 + 24)
			ck_assert(capture_packet(c, i++, pkt, sizeof(pkt)));
		nanosleep(&pause, NULL);
	}
	/* Twelve chunks handed over; the stream's 1 MiB buffer may hold the
	 * last of them, the ring one not yet handed over. */
	nanosleep(&pause, NULL);
	ck_assert_int_eq(framer_signals, 0);
	ck_assert_int_ge(file_size(path), (off_t)(PACE_CHUNKS - 6) * (256 << 10));
	ck_assert_msg(cap_close(c, err, sizeof(err)) == 0, "close: %s", err);
	ck_assert_int_eq(framer_signals, 1);
	ck_assert_int_eq(file_size(path), (off_t)(24 + 1016 * i));
	remove_dir();
}
END_TEST

/*
 * A writer with nothing to write looks again 50 us later, then twice as
 * long each time, up to 10 ms, which it has reached 20 ms in (after 8
 * looks, 12.75 ms): in the next 200 ms it looks about 20 times, not 4,000
 * (no slower look) or 5 (no limit). Late timers on a busy machine only
 * make it fewer.
 */
#define IDLE_NS 200000000L

START_TEST(test_idle_writer_looks_less_often)
{
	struct timespec idle = { 0, IDLE_NS }, settle = { 0, 20000000L };
	char err[512] = "";
	struct capture *c;
	int looks;

	make_dir();
	framer = pthread_self();
	c = cap_open(LINKTYPE_RAW_IP, 0, 0, err, sizeof(err));
	nanosleep(&settle, NULL);
	writer_waits = 0;
	nanosleep(&idle, NULL);
	looks = writer_waits;
	ck_assert_msg(cap_close(c, err, sizeof(err)) == 0, "close: %s", err);
	ck_assert_int_ge(looks, 10);
	ck_assert_int_le(looks, 21);
	remove_dir();
}
END_TEST

/*
 * A writer that would look again only in an hour: a run that fills the
 * ring wakes it, and so does the close, so the capture completes at once.
 */
START_TEST(test_writer_woken_when_the_ring_is_full)
{
	static uint8_t pkt[RESERVE_PKT];
	struct timespec settle = { 0, 20000000L };
	char err[512] = "";
	struct capture *c;
	uint64_t i = 0;

	make_dir();
	long_pace = true;
	c = cap_open(LINKTYPE_RAW_IP, 0, 0, err, sizeof(err));
	framer = pthread_self();
	framer_signals = 0;
	nanosleep(&settle, NULL);       /* the writer is waiting by then */
	while (capture_bytes(c) < (6u << 20))
		ck_assert(capture_packet(c, i++, pkt, sizeof(pkt)));
	ck_assert_int_ge(framer_signals, 1);
	ck_assert_msg(cap_close(c, err, sizeof(err)) == 0, "close: %s", err);
	long_pace = false;
	ck_assert_int_eq(file_size(path), (off_t)(24 + 1016 * i));
	remove_dir();
}
END_TEST

/* -------------------------------------------------------------- snaplen */

/* A full-sized data segment: 20 + 20 + 1460 = 1500 bytes of IPv4. */
static const uint8_t *big_payload(void)
{
	static uint8_t payload[1460];
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	return payload;
}

static size_t encode_big(uint8_t *out, size_t outlen)
{
	struct tcp_seg seg = {
		.src_addr = ADDR_C, .dst_addr = ADDR_S, .src_port = 49152, .dst_port = 8000,
		.seq = 0x12345684, .ack = 0xfffffff1, .flags = TH_ACK, .wnd = 502, .ip_id = 3,
		.payload = big_payload(), .len = 1460,
	};
	size_t n = wire_encode(&seg, out, outlen);

	ck_assert_uint_eq(n, 1500);
	return n;
}

/* Reads the file header's snaplen field (pcap-savefile(5): the fifth word). */
static uint32_t file_snaplen(void)
{
	uint32_t fhdr[6];
	FILE *f = fopen(path, "rb");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fread(fhdr, 4, 6, f), 6);
	fclose(f);
	return fhdr[4];
}

static const uint32_t SNAPLENS[] = {
	0,              /* everything */
	96,             /* the smallest a scenario allows */
	100,
	1513,           /* one byte short of the Ethernet frame */
	1514,           /* exactly the Ethernet frame */
	1500,           /* exactly the raw IPv4 packet */
	262144,         /* the largest a scenario allows */
};

/*
 * Each frame is written as min(frame, snaplen) bytes, its first ones, with
 * len the whole frame; the short handshake packets are kept whole. The
 * file header says the snaplen (libpcap's 262144 for 0).
 */
START_TEST(test_snaplen)
{
	uint32_t snap = SNAPLENS[_i % (sizeof(SNAPLENS) / sizeof(SNAPLENS[0]))];
	size_t li = _i / (sizeof(SNAPLENS) / sizeof(SNAPLENS[0]));
	size_t hl = LINKS[li].hdr, big_len, i;
	char errbuf[PCAP_ERRBUF_SIZE], err[512] = "";
	uint8_t big[1600];
	struct pcap_pkthdr *h;
	const u_char *data;
	struct capture *c;
	pcap_t *p;

	make_dir();
	encode_all();
	big_len = encode_big(big, sizeof(big));
	c = cap_open(LINKS[li].lt, snap, 0, err, sizeof(err));
	capture_packet(c, TIMES[0], pkts[0], pkt_len[0]);
	capture_packet(c, TIMES[1], big, big_len);
	capture_packet(c, TIMES[2], pkts[2], pkt_len[2]);
	ck_assert_uint_eq(capture_count(c), 3);
	ck_assert_msg(cap_close(c, err, sizeof(err)) == 0, "close: %s", err);

	ck_assert_uint_eq(file_snaplen(), snap ? snap : 262144);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	ck_assert_msg(p != NULL, "%s", errbuf);
	ck_assert_int_eq(pcap_snapshot(p), (int)(snap ? snap : 262144));
	for (i = 0; i < 3; i++) {
		const uint8_t *ip = i == 1 ? big : pkts[i];
		size_t len = hl + (i == 1 ? big_len : pkt_len[i]);
		size_t want = snap && snap < len ? snap : len;

		ck_assert_int_eq(pcap_next_ex(p, &h, &data), 1);
		ck_assert_uint_eq((uint64_t)h->ts.tv_usec, TIMES[i] % 1000000000ull);
		ck_assert_uint_eq(h->len, len);
		ck_assert_uint_eq(h->caplen, want);
		/* The bytes kept are the frame's first ones. */
		ck_assert_int_eq(memcmp(data + hl, ip, want - hl), 0);
	}
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	remove_dir();
}
END_TEST

/* The record header and the kept bytes, and nothing more, are on disk. */
START_TEST(test_snaplen_file_size)
{
	char err[512] = "";
	uint8_t big[1600];
	struct capture *c;
	struct stat st;

	make_dir();
	encode_big(big, sizeof(big));
	c = cap_open(LINKTYPE_RAW_IP, 96, 0, err, sizeof(err));
	capture_packet(c, 0, big, 1500);
	capture_packet(c, 1, big, 1500);
	ck_assert_uint_eq(capture_bytes(c), 24 + 2 * (16 + 96));
	ck_assert_int_eq(cap_close(c, err, sizeof(err)), 0);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_size, 24 + 2 * (16 + 96));
	remove_dir();
}
END_TEST

/* ---------------------------------------------------------------- tshark */

/* Runs tshark on path; returns its stdout (fields), fails on exit status. */
static void run_tshark(const char *tshark, char *out, size_t outlen)
{
	char cmd[2048];
	FILE *f;
	size_t n;
	int st;

	/* Quoted with '...': refuse paths that would need more than that. */
	ck_assert_msg(!strchr(tshark, '\'') && !strchr(path, '\''), "unquotable path");
	/* An empty profile directory, so no user preference changes the result. */
	snprintf(cmd, sizeof(cmd),
		 "WIRESHARK_CONFIG_DIR='%s' '%s' -r '%s' -n "
		 "-o ip.check_checksum:TRUE -o tcp.check_checksum:TRUE "
		 "-T fields -e frame.number -e ip.checksum.status -e tcp.checksum.status "
		 "-e _ws.expert.severity -e _ws.expert.message -E 'separator=|' "
		 "2>/dev/null", dir, tshark, path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	st = pclose(f);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tshark failed: %s", cmd);
}

START_TEST(test_tshark_reads_it)
{
	const char *tshark = getenv("TSHARK");
	char out[8192], *line, *save = NULL;
	int frames = 0;

	if (!tshark || !*tshark)
		return;                 /* no independent reader configured */
	make_dir();
	encode_all();
	write_capture(LINKS[_i].lt);
	run_tshark(tshark, out, sizeof(out));
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *sev, *msg;
		long s;

		frames++;
		/* number|ip status|tcp status|severities|messages; 1 is "Good". */
		ck_assert_msg(strchr(line, '|') && strncmp(strchr(line, '|'), "|1|1|", 5) == 0,
			      "checksums not good: %s", line);
		sev = strchr(line, '|') + 5;
		msg = strchr(sev, '|');
		ck_assert_ptr_nonnull(msg);
		ck_assert_msg(!strstr(msg, "alformed") && !strstr(msg, "hecksum"),
			      "expert: %s", line);
		/* PI_WARN is 0x00600000: chat and notes only. */
		for (s = strtol(sev, &sev, 10); ; s = strtol(sev + 1, &sev, 10)) {
			ck_assert_msg(s < 0x00600000, "expert: %s", line);
			if (*sev != ',')
				break;
		}
	}
	ck_assert_int_eq(frames, NPKT);
	remove_dir();
}
END_TEST

/*
 * libpcap is loaded when the first capture opens. A library that is not
 * there is said by name, nothing is written, and the library the build
 * found still loads afterwards, once.
 */
START_TEST(test_libpcap_loaded_by_name)
{
	char err[512];
	const char *want = "cannot load libpcap (libtcpsim-none.so.0) to write a pcap capture: ";

	ck_assert_int_eq(capture_load_libpcap("libtcpsim-none.so.0", err, sizeof(err)), -1);
	ck_assert_msg(strncmp(err, want, strlen(want)) == 0 && strstr(err, "libtcpsim-none.so.0: "),
		      "message: %s", err);
	/* A library that is there but is not libpcap: the first function it
	 * lacks is named. */
	ck_assert_int_eq(capture_load_libpcap("libm.so.6", err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, "cannot load libpcap (libm.so.6) to write a pcap capture: ") == err &&
		      strstr(err, "pcap_open_dead_with_tstamp_precision"), "message: %s", err);
	ck_assert_int_eq(capture_load_libpcap(PCAP_SONAME, err, sizeof(err)), 0);
	/* Loaded: later calls have nothing to do, whatever they name. */
	ck_assert_int_eq(capture_load_libpcap("libtcpsim-none.so.0", err, sizeof(err)), 0);
	make_dir();
	ck_assert_int_eq(cap_close(cap_open(LINKTYPE_RAW_IP, 0, 0, err, sizeof(err)), err, sizeof(err)), 0);
	remove_dir();
}
END_TEST

static Suite *capture_suite(void)
{
	Suite *s = suite_create("capture");
	int nlinks = (int)(sizeof(LINKS) / sizeof(LINKS[0]));
	TCase *tc;

	tc = tcase_create("format");
	tcase_add_loop_test(tc, test_write_and_read_back, 0, nlinks);
	tcase_add_test(tc, test_client_mac);
	tcase_add_test(tc, test_libpcap_loaded_by_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("snaplen");
	tcase_add_loop_test(tc, test_snaplen, 0,
			    nlinks * (int)(sizeof(SNAPLENS) / sizeof(SNAPLENS[0])));
	tcase_add_test(tc, test_snaplen_file_size);
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_add_loop_test(tc, test_close_keeps_the_stream, 0, nlinks);
	tcase_add_test(tc, test_empty_capture_kept);
	tcase_add_test(tc, test_size_limit);
	tcase_add_loop_test(tc, test_many_records_through_the_ring, 0,
			    (int)(sizeof(RING_CASES) / sizeof(RING_CASES[0])));
	tcase_add_test(tc, test_no_writer_thread);
	tcase_add_loop_test(tc, test_no_writer_lock, 0, 3);
	tcase_add_test(tc, test_reserves_ahead);
	tcase_add_test(tc, test_reserve_refused);
	tcase_add_test(tc, test_writer_not_woken_per_chunk);
	tcase_add_test(tc, test_writer_woken_when_the_ring_is_full);
	tcase_add_test(tc, test_idle_writer_looks_less_often);
	tcase_add_loop_test(tc, test_full_disk_reported, 0,
			    (int)(sizeof(FULL_DISK_PACKETS) / sizeof(FULL_DISK_PACKETS[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("tshark");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_tshark_reads_it, 0, nlinks);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(capture_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
