/*
 * check_pcapng: unit tests for sim/pcapng.c.
 *
 * First the bytes themselves, written to a memory stream and compared with
 * blocks spelled out by hand from draft-ietf-opsawg-pcapng: the Section
 * Header Block, Interface Description Blocks, Enhanced Packet Blocks with
 * comments of 1 to 5 bytes and packets of 20 to 23 (every padding), both
 * directions, snaplen, the cut of a comment too long for its option. Then
 * the stream's life: the size limit, a write failing at each block, or at
 * the last flush, with or without errno, the caller's stream left open, a
 * bad interface id aborting. Then independent readers on a file: libpcap
 * (link type, lengths, nanosecond timestamps, bytes, two interfaces) and,
 * when tshark can be found ($TSHARK, else PATH), Wireshark: interface
 * names, comments, times and directions as it shows them, no malformed
 * frame, and its dissection of the file's own block structure clean.
 */
#define _GNU_SOURCE 1           /* fopencookie; u_char and friends for <pcap/pcap.h> */
#define _DEFAULT_SOURCE 1
#define _DARWIN_C_SOURCE 1

#include <check.h>
#include <errno.h>
#include <limits.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "frame.h"
#include "pcapng.h"
#include "wire.h"

#define APPL "tcpsim " PACKAGE_VERSION
#define ROUND4(n) (((n) + 3) & ~(size_t)3)
/* The SHB: 24 bytes of fields, shb_userappl, opt_endofopt, trailer. */
#define SHB_LEN (24 + 4 + ROUND4(strlen(APPL)) + 4 + 4)

#define ADDR_C 0xC0000201u      /* 192.0.2.1, the client */
#define ADDR_S 0xC0000202u      /* 192.0.2.2, the server */

/* A 23-byte stand-in for an IPv4 packet: the writer reads only the
 * addresses (for Ethernet framing), so the rest need not be valid. */
static const uint8_t PKT[23] = {
	0x45, 0x00, 0x00, 0x17,         /* version 4, IHL 5, total length 23 */
	0x00, 0x01, 0x00, 0x00,         /* id 1, no fragment */
	0x40, 0x06, 0x00, 0x00,         /* TTL 64, TCP, checksum unset */
	0xc0, 0x00, 0x02, 0x01,         /* source 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,         /* destination 192.0.2.2 */
	0xaa, 0xbb, 0xcc,               /* "payload" */
};

/* ------------------------------------------------------- memory streams */

struct mem {
	FILE *f;
	char *buf;
	size_t len;
};

static struct pcapng *mem_open(struct mem *m, uint64_t max_bytes)
{
	char err[512] = "";
	struct pcapng *c;

	m->buf = NULL;
	m->len = 0;
	m->f = open_memstream(&m->buf, &m->len);
	ck_assert_ptr_nonnull(m->f);
	c = pcapng_open(m->f, "mem.pcapng", max_bytes, err, sizeof(err));
	ck_assert_msg(c != NULL, "pcapng_open: %s", err);
	return c;
}

/* Closes the capture, which must succeed; the stream's buffer then holds
 * the whole file. */
static void close_ok(struct pcapng *c)
{
	char err[512] = "";

	ck_assert_msg(pcapng_close(c, err, sizeof(err)) == 0, "close: %s", err);
}

static void mem_free(struct mem *m)
{
	ck_assert_int_eq(fclose(m->f), 0);
	free(m->buf);
}

/* Asserts that want (n bytes) is at off in the file, showing the first
 * byte that differs. */
static void assert_bytes(const struct mem *m, size_t off, const uint8_t *want, size_t n)
{
	size_t i;

	ck_assert_uint_ge(m->len, off + n);
	for (i = 0; i < n; i++)
		ck_assert_msg((uint8_t)m->buf[off + i] == want[i],
			      "byte %zu: 0x%02x, want 0x%02x", off + i,
			      (uint8_t)m->buf[off + i], want[i]);
}

static uint32_t le32(const void *p)
{
	const uint8_t *b = p;

	return b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

/* --------------------------------------------------------------- §4.1 SHB */

START_TEST(test_shb_bytes)
{
	/* pcapng §4.1, little-endian. */
	static const uint8_t head[24] = {
		0x0a, 0x0d, 0x0d, 0x0a,         /* block type: SHB */
		0, 0, 0, 0,                     /* block total length: checked below */
		0x4d, 0x3c, 0x2b, 0x1a,         /* byte-order magic 0x1A2B3C4D */
		0x01, 0x00, 0x00, 0x00,         /* major version 1, minor 0 */
		0xff, 0xff, 0xff, 0xff,         /* section length -1: not given */
		0xff, 0xff, 0xff, 0xff,
	};
	static const uint8_t userappl_hdr[2] = { 0x04, 0x00 }; /* shb_userappl */
	static const uint8_t zeros[4];
	size_t n = strlen(APPL), len = SHB_LEN;
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	ck_assert_uint_eq(pcapng_bytes(c), len);
	ck_assert_uint_eq(pcapng_count(c), 0);
	close_ok(c);
	ck_assert_uint_eq(m.len, len);
	assert_bytes(&m, 0, head, 4);
	ck_assert_uint_eq(le32(m.buf + 4), len);
	assert_bytes(&m, 8, head + 8, 16);
	/* shb_userappl: code 4, length, the text unterminated, padding. */
	assert_bytes(&m, 24, userappl_hdr, 2);
	ck_assert_uint_eq((uint8_t)m.buf[26] | (uint8_t)m.buf[27] << 8, n);
	assert_bytes(&m, 28, (const uint8_t *)APPL, n);
	assert_bytes(&m, 28 + n, zeros, ROUND4(n) - n);
	/* opt_endofopt, then the length again. */
	assert_bytes(&m, 28 + ROUND4(n), zeros, 4);
	ck_assert_uint_eq(le32(m.buf + len - 4), len);
	mem_free(&m);
}
END_TEST

/* The version tcpsim has today, byte for byte: nothing of the machine. */
START_TEST(test_shb_literal)
{
	static const uint8_t want[48] = {
		0x0a, 0x0d, 0x0d, 0x0a,         /* block type: SHB */
		0x30, 0x00, 0x00, 0x00,         /* block total length 48 */
		0x4d, 0x3c, 0x2b, 0x1a,         /* byte-order magic */
		0x01, 0x00, 0x00, 0x00,         /* version 1.0 */
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, /* section length -1 */
		0x04, 0x00, 0x0c, 0x00,         /* shb_userappl, 12 bytes */
		't', 'c', 'p', 's', 'i', 'm', ' ', '0', '.', '1', '.', '0',
		0x00, 0x00, 0x00, 0x00,         /* opt_endofopt */
		0x30, 0x00, 0x00, 0x00,         /* block total length 48 */
	};
	struct pcapng *c;
	struct mem m;

	if (strcmp(PACKAGE_VERSION, "0.1.0") != 0)
		return;                 /* test_shb_bytes covers any version */
	c = mem_open(&m, 0);
	close_ok(c);
	ck_assert_uint_eq(m.len, sizeof(want));
	assert_bytes(&m, 0, want, sizeof(want));
	mem_free(&m);
}
END_TEST

/* --------------------------------------------------------------- §4.2 IDB */

/* Ethernet, whole frames, if_name "client" and a 10-byte description. */
static const uint8_t IDB_CLIENT[60] = {
	0x01, 0x00, 0x00, 0x00,                 /* block type: IDB */
	0x3c, 0x00, 0x00, 0x00,                 /* block total length 60 */
	0x01, 0x00, 0x00, 0x00,                 /* LINKTYPE_ETHERNET 1, reserved 0 */
	0x00, 0x00, 0x00, 0x00,                 /* snaplen 0: no limit */
	0x02, 0x00, 0x06, 0x00,                 /* if_name, 6 bytes */
	'c', 'l', 'i', 'e', 'n', 't', 0x00, 0x00,
	0x03, 0x00, 0x0a, 0x00,                 /* if_description, 10 bytes */
	't', 'h', 'e', ' ', 'c', 'l', 'i', 'e', 'n', 't', 0x00, 0x00,
	0x09, 0x00, 0x01, 0x00,                 /* if_tsresol, 1 byte */
	0x09, 0x00, 0x00, 0x00,                 /* 10^-9 s, padding */
	0x00, 0x00, 0x00, 0x00,                 /* opt_endofopt */
	0x3c, 0x00, 0x00, 0x00,                 /* block total length 60 */
};

/* Raw IPv4, snaplen 96, if_name "server", no description. */
static const uint8_t IDB_SERVER[44] = {
	0x01, 0x00, 0x00, 0x00,                 /* block type: IDB */
	0x2c, 0x00, 0x00, 0x00,                 /* block total length 44 */
	0xe4, 0x00, 0x00, 0x00,                 /* LINKTYPE_IPV4 228, reserved 0 */
	0x60, 0x00, 0x00, 0x00,                 /* snaplen 96 */
	0x02, 0x00, 0x06, 0x00,                 /* if_name, 6 bytes */
	's', 'e', 'r', 'v', 'e', 'r', 0x00, 0x00,
	0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, /* if_tsresol 9 */
	0x00, 0x00, 0x00, 0x00,                 /* opt_endofopt */
	0x2c, 0x00, 0x00, 0x00,
};

/* No name (NULL), no description (""), snaplen 262144. */
static const uint8_t IDB_ANON[32] = {
	0x01, 0x00, 0x00, 0x00,                 /* block type: IDB */
	0x20, 0x00, 0x00, 0x00,                 /* block total length 32 */
	0x01, 0x00, 0x00, 0x00,                 /* Ethernet */
	0x00, 0x00, 0x04, 0x00,                 /* snaplen 0x40000 */
	0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, /* if_tsresol 9 */
	0x00, 0x00, 0x00, 0x00,                 /* opt_endofopt */
	0x20, 0x00, 0x00, 0x00,
};

/* An empty name is left out too; a 1-byte description takes 3 of padding. */
static const uint8_t IDB_X[40] = {
	0x01, 0x00, 0x00, 0x00,                 /* block type: IDB */
	0x28, 0x00, 0x00, 0x00,                 /* block total length 40 */
	0xe4, 0x00, 0x00, 0x00,                 /* LINKTYPE_IPV4 */
	0x01, 0x00, 0x00, 0x00,                 /* snaplen 1 */
	0x03, 0x00, 0x01, 0x00, 'x', 0x00, 0x00, 0x00, /* if_description "x" */
	0x09, 0x00, 0x01, 0x00, 0x09, 0x00, 0x00, 0x00, /* if_tsresol 9 */
	0x00, 0x00, 0x00, 0x00,                 /* opt_endofopt */
	0x28, 0x00, 0x00, 0x00,
};

START_TEST(test_idb_bytes)
{
	struct pcapng *c;
	struct mem m;
	size_t off = SHB_LEN;

	c = mem_open(&m, 0);
	ck_assert_int_eq(pcapng_add_interface(c, "client", "the client", LINKTYPE_ETHERNET, 0), 0);
	ck_assert_int_eq(pcapng_add_interface(c, "server", NULL, LINKTYPE_RAW_IP, 96), 1);
	ck_assert_int_eq(pcapng_add_interface(c, NULL, "", LINKTYPE_ETHERNET, 262144), 2);
	ck_assert_int_eq(pcapng_add_interface(c, "", "x", LINKTYPE_RAW_IP, 1), 3);
	ck_assert_uint_eq(pcapng_bytes(c), SHB_LEN + 60 + 44 + 32 + 40);
	ck_assert_uint_eq(pcapng_count(c), 0);
	close_ok(c);
	ck_assert_uint_eq(m.len, SHB_LEN + 60 + 44 + 32 + 40);
	assert_bytes(&m, off, IDB_CLIENT, sizeof(IDB_CLIENT));
	off += sizeof(IDB_CLIENT);
	assert_bytes(&m, off, IDB_SERVER, sizeof(IDB_SERVER));
	off += sizeof(IDB_SERVER);
	assert_bytes(&m, off, IDB_ANON, sizeof(IDB_ANON));
	off += sizeof(IDB_ANON);
	assert_bytes(&m, off, IDB_X, sizeof(IDB_X));
	mem_free(&m);
}
END_TEST

/* The ids go on counting up to the most a file can describe. */
START_TEST(test_many_interfaces)
{
	struct pcapng *c;
	struct mem m;
	int i;

	c = mem_open(&m, 0);
	for (i = 0; i < PCAPNG_MAX_INTERFACES; i++)
		ck_assert_int_eq(pcapng_add_interface(c, "if", NULL, LINKTYPE_RAW_IP, 0), i);
	ck_assert(pcapng_packet(c, PCAPNG_MAX_INTERFACES - 1, 0, PKT, sizeof(PKT), true, NULL));
	close_ok(c);
	/* The packet names the last interface. */
	ck_assert_uint_eq(le32(m.buf + SHB_LEN + PCAPNG_MAX_INTERFACES * 40 + 8),
			  PCAPNG_MAX_INTERFACES - 1);
	mem_free(&m);
}
END_TEST

/* --------------------------------------------------------------- §4.3 EPB */

/* Raw IPv4 on interface 0 at 0x1_23456789 ns (both timestamp halves used),
 * PKT, inbound, no comment. */
static const uint8_t EPB_RAW[68] = {
	0x06, 0x00, 0x00, 0x00,                 /* block type: EPB */
	0x44, 0x00, 0x00, 0x00,                 /* block total length 68 */
	0x00, 0x00, 0x00, 0x00,                 /* interface 0 */
	0x01, 0x00, 0x00, 0x00,                 /* timestamp, upper 32 bits */
	0x89, 0x67, 0x45, 0x23,                 /* timestamp, lower 32 bits */
	0x17, 0x00, 0x00, 0x00,                 /* captured length 23 */
	0x17, 0x00, 0x00, 0x00,                 /* original length 23 */
	0x45, 0x00, 0x00, 0x17, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00,
	0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0xaa, 0xbb, 0xcc,
	0x00,                                   /* padding to 32 bits */
	0x02, 0x00, 0x04, 0x00,                 /* epb_flags, 4 bytes */
	0x01, 0x00, 0x00, 0x00,                 /* inbound */
	0x00, 0x00, 0x00, 0x00,                 /* opt_endofopt */
	0x44, 0x00, 0x00, 0x00,                 /* block total length 68 */
};
#define EPB_RAW_OPTS 60                 /* where EPB_RAW's options begin */

/* Ethernet on interface 1 at 1.000000001 s, outbound, comment "xyz". */
static const uint8_t EPB_ETH[92] = {
	0x06, 0x00, 0x00, 0x00,                 /* block type: EPB */
	0x5c, 0x00, 0x00, 0x00,                 /* block total length 92 */
	0x01, 0x00, 0x00, 0x00,                 /* interface 1 */
	0x00, 0x00, 0x00, 0x00,                 /* timestamp 1000000001 ns */
	0x01, 0xca, 0x9a, 0x3b,
	0x25, 0x00, 0x00, 0x00,                 /* captured length 37 */
	0x25, 0x00, 0x00, 0x00,                 /* original length 37 */
	0x02, 0x00, 0xc0, 0x00, 0x02, 0x02,     /* destination MAC: 02:00 + 192.0.2.2 */
	0x02, 0x00, 0xc0, 0x00, 0x02, 0x01,     /* source MAC: 02:00 + 192.0.2.1 */
	0x08, 0x00,                             /* ethertype IPv4 */
	0x45, 0x00, 0x00, 0x17, 0x00, 0x01, 0x00, 0x00, 0x40, 0x06, 0x00, 0x00,
	0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02, 0xaa, 0xbb, 0xcc,
	0x00, 0x00, 0x00,                       /* padding to 32 bits */
	0x02, 0x00, 0x04, 0x00,                 /* epb_flags, 4 bytes */
	0x02, 0x00, 0x00, 0x00,                 /* outbound */
	0x01, 0x00, 0x03, 0x00,                 /* opt_comment, 3 bytes */
	'x', 'y', 'z', 0x00,
	0x00, 0x00, 0x00, 0x00,                 /* opt_endofopt */
	0x5c, 0x00, 0x00, 0x00,                 /* block total length 92 */
};

START_TEST(test_epb_bytes)
{
	size_t off = SHB_LEN + sizeof(IDB_SERVER) + sizeof(IDB_CLIENT);
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	ck_assert_int_eq(pcapng_add_interface(c, "server", NULL, LINKTYPE_RAW_IP, 96), 0);
	ck_assert_int_eq(pcapng_add_interface(c, "client", "the client", LINKTYPE_ETHERNET, 0), 1);
	ck_assert(pcapng_packet(c, 0, 0x123456789ull, PKT, sizeof(PKT), false, NULL));
	ck_assert(pcapng_packet(c, 1, 1000000001ull, PKT, sizeof(PKT), true, "xyz"));
	ck_assert_uint_eq(pcapng_count(c), 2);
	ck_assert_uint_eq(pcapng_bytes(c), off + sizeof(EPB_RAW) + sizeof(EPB_ETH));
	close_ok(c);
	ck_assert_uint_eq(m.len, off + sizeof(EPB_RAW) + sizeof(EPB_ETH));
	assert_bytes(&m, off, EPB_RAW, sizeof(EPB_RAW));
	assert_bytes(&m, off + sizeof(EPB_RAW), EPB_ETH, sizeof(EPB_ETH));
	mem_free(&m);
}
END_TEST

/*
 * Comments of every length modulo 4: the option's length field says the
 * text's length, the padding makes up the rest with zeros. EPB_RAW with
 * the comment between epb_flags and opt_endofopt.
 */
static const struct {
	const char *text;
	uint8_t opt[12];                /* the opt_comment option as written */
	size_t optlen;
} COMMENTS[] = {
	{ "a", { 0x01, 0x00, 0x01, 0x00, 'a', 0, 0, 0 }, 8 },
	{ "ab", { 0x01, 0x00, 0x02, 0x00, 'a', 'b', 0, 0 }, 8 },
	{ "abc", { 0x01, 0x00, 0x03, 0x00, 'a', 'b', 'c', 0 }, 8 },
	{ "abcd", { 0x01, 0x00, 0x04, 0x00, 'a', 'b', 'c', 'd' }, 8 },
	{ "abcde", { 0x01, 0x00, 0x05, 0x00, 'a', 'b', 'c', 'd', 'e', 0, 0, 0 }, 12 },
	{ "\xc3\xa9", { 0x01, 0x00, 0x02, 0x00, 0xc3, 0xa9, 0, 0 }, 8 }, /* UTF-8 "é" */
	{ "", { 0 }, 0 },               /* empty: no option at all */
};

START_TEST(test_epb_comment)
{
	static const uint8_t tail[4] = { 0 };   /* opt_endofopt */
	size_t off = SHB_LEN + sizeof(IDB_SERVER), total = sizeof(EPB_RAW) + COMMENTS[_i].optlen;
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	ck_assert_int_eq(pcapng_add_interface(c, "server", NULL, LINKTYPE_RAW_IP, 96), 0);
	ck_assert(pcapng_packet(c, 0, 0x123456789ull, PKT, sizeof(PKT), false, COMMENTS[_i].text));
	ck_assert_uint_eq(pcapng_bytes(c), off + total);
	close_ok(c);
	ck_assert_uint_eq(m.len, off + total);
	assert_bytes(&m, off, EPB_RAW, 4);
	ck_assert_uint_eq(le32(m.buf + off + 4), total);
	assert_bytes(&m, off + 8, EPB_RAW + 8, EPB_RAW_OPTS - 8);
	assert_bytes(&m, off + EPB_RAW_OPTS, COMMENTS[_i].opt, COMMENTS[_i].optlen);
	assert_bytes(&m, off + EPB_RAW_OPTS + COMMENTS[_i].optlen, tail, 4);
	ck_assert_uint_eq(le32(m.buf + off + total - 4), total);
	mem_free(&m);
}
END_TEST

/*
 * Packets of 20 to 23 bytes, raw and framed: 0 to 3 bytes of zero padding
 * after the frame, the options right after it, and the block a multiple
 * of 4 long.
 */
START_TEST(test_epb_padding)
{
	size_t plen = 20 + (size_t)(_i % 4), hl = _i < 4 ? 0 : 14, frame = hl + plen;
	size_t pad = ROUND4(frame) - frame, total = 28 + frame + pad + 8 + 4 + 4;
	size_t off = SHB_LEN + 32;
	static const uint8_t zeros[3];
	static const uint8_t flags_out[8] = { 0x02, 0x00, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00 };
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL,
					      hl ? LINKTYPE_ETHERNET : LINKTYPE_RAW_IP, 0), 0);
	ck_assert(pcapng_packet(c, 0, 7, PKT, plen, true, NULL));
	close_ok(c);
	ck_assert_uint_eq(m.len, off + total);
	ck_assert_uint_eq(total % 4, 0);
	ck_assert_uint_eq(le32(m.buf + off + 4), total);
	ck_assert_uint_eq(le32(m.buf + off + 20), frame);       /* captured */
	ck_assert_uint_eq(le32(m.buf + off + 24), frame);       /* original */
	assert_bytes(&m, off + 28 + hl, PKT, plen);
	assert_bytes(&m, off + 28 + frame, zeros, pad);
	assert_bytes(&m, off + 28 + frame + pad, flags_out, 8);
	ck_assert_uint_eq(le32(m.buf + off + total - 8), 0);    /* opt_endofopt */
	ck_assert_uint_eq(le32(m.buf + off + total - 4), total);
	mem_free(&m);
}
END_TEST

/* A packet too short for addresses gets zero addresses, as in capture.c,
 * even right after one that had them. */
START_TEST(test_epb_short_packet)
{
	static const uint8_t want[14] = {
		0x02, 0x00, 0, 0, 0, 0, 0x02, 0x00, 0, 0, 0, 0, 0x08, 0x00,
	};
	size_t off = SHB_LEN + 32 + sizeof(EPB_ETH) - 8;       /* EPB_ETH has a comment */
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	pcapng_add_interface(c, NULL, NULL, LINKTYPE_ETHERNET, 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), false, NULL));
	ck_assert(pcapng_packet(c, 0, 0, PKT, 19, false, NULL));
	close_ok(c);
	ck_assert_uint_eq(le32(m.buf + off + 20), 14 + 19);
	assert_bytes(&m, off + 28, want, 14);
	assert_bytes(&m, off + 28 + 14, PKT, 19);
	mem_free(&m);
}
END_TEST

/*
 * frame.h on its own, into a buffer of 0xff so that every byte it leaves
 * alone shows: 02:00 + destination, 02:00 + source, IPv4's ethertype; zero
 * addresses for a packet shorter than an IPv4 header.
 */
START_TEST(test_frame_header)
{
	static const size_t lens[] = { 23, 20, 19, 0 };
	uint8_t want[14] = { 0x02, 0x00, 0xc0, 0x00, 0x02, 0x02, 0x02, 0x00, 0xc0, 0x00, 0x02, 0x01,
			     0x08, 0x00 };
	uint8_t hdr[15];

	memset(hdr, 0xff, sizeof(hdr));
	if (lens[_i] < 20) {
		memset(want + 2, 0, 4);
		memset(want + 8, 0, 4);
	}
	frame_ethernet_header(hdr, PKT, lens[_i]);
	ck_assert_int_eq(memcmp(hdr, want, 14), 0);
	ck_assert_uint_eq(hdr[14], 0xff);       /* and nothing past the header */
}
END_TEST

/* ---------------------------------------------------------------- snaplen */

static const struct {
	enum capture_linktype lt;
	uint32_t snaplen;
	size_t caplen;                  /* of PKT's 23 bytes, framed or not */
} SNAPS[] = {
	{ LINKTYPE_RAW_IP, 0, 23 },     /* no limit */
	{ LINKTYPE_RAW_IP, 1, 1 },
	{ LINKTYPE_RAW_IP, 22, 22 },
	{ LINKTYPE_RAW_IP, 23, 23 },    /* exactly the packet */
	{ LINKTYPE_RAW_IP, 24, 23 },
	{ LINKTYPE_ETHERNET, 0, 37 },
	{ LINKTYPE_ETHERNET, 10, 10 },  /* part of the Ethernet header only */
	{ LINKTYPE_ETHERNET, 14, 14 },  /* the header, none of the packet */
	{ LINKTYPE_ETHERNET, 15, 15 },
	{ LINKTYPE_ETHERNET, 36, 36 },  /* a byte short of the frame */
	{ LINKTYPE_ETHERNET, 37, 37 },
	{ LINKTYPE_ETHERNET, 96, 37 },
};

/* Captured length min(frame, snaplen), original the whole frame, the bytes
 * kept the frame's first ones, then zeros to 32 bits. */
START_TEST(test_snaplen)
{
	bool eth = SNAPS[_i].lt == LINKTYPE_ETHERNET;
	size_t caplen = SNAPS[_i].caplen, frame = eth ? 37 : 23;
	size_t total = 28 + ROUND4(caplen) + 8 + 4 + 4, off = SHB_LEN + 32, i;
	const uint8_t *want = eth ? EPB_ETH + 28 : PKT;
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, SNAPS[_i].lt, SNAPS[_i].snaplen), 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), true, NULL));
	ck_assert_uint_eq(pcapng_bytes(c), off + total);
	close_ok(c);
	ck_assert_uint_eq(m.len, off + total);
	ck_assert_uint_eq(le32(m.buf + SHB_LEN + 12), SNAPS[_i].snaplen);
	ck_assert_uint_eq(le32(m.buf + off + 4), total);
	ck_assert_uint_eq(le32(m.buf + off + 20), caplen);
	ck_assert_uint_eq(le32(m.buf + off + 24), frame);
	assert_bytes(&m, off + 28, want, caplen);
	for (i = caplen; i < ROUND4(caplen); i++)
		ck_assert_uint_eq((uint8_t)m.buf[off + 28 + i], 0);
	ck_assert_uint_eq(le32(m.buf + off + 28 + ROUND4(caplen)), 0x00040002); /* epb_flags */
	mem_free(&m);
}
END_TEST

/* No IPv4 packet is longer than 65535 bytes: more is cut there, and the
 * original length still says what was given. */
START_TEST(test_oversized_packet)
{
	size_t n = 70000, hl = _i ? 14 : 0, off = SHB_LEN + 32;
	uint8_t *big = calloc(1, n);
	struct pcapng *c;
	struct mem m;

	ck_assert_ptr_nonnull(big);
	memcpy(big, PKT, sizeof(PKT));
	big[n - 1] = 0x5a;
	c = mem_open(&m, 0);
	pcapng_add_interface(c, NULL, NULL, _i ? LINKTYPE_ETHERNET : LINKTYPE_RAW_IP, 0);
	ck_assert(pcapng_packet(c, 0, 0, big, n, false, NULL));
	close_ok(c);
	ck_assert_uint_eq(le32(m.buf + off + 20), hl + 65535);
	ck_assert_uint_eq(le32(m.buf + off + 24), hl + n);
	ck_assert_uint_eq(le32(m.buf + off + 4), 28 + ROUND4(hl + 65535) + 16);
	ck_assert_uint_eq(m.len, off + 28 + ROUND4(hl + 65535) + 16);
	assert_bytes(&m, off + 28 + hl, big, 65535);
	free(big);
	mem_free(&m);
}
END_TEST

/* --------------------------------------------------------- long comments */

/*
 * A comment longer than an option can hold (65535 bytes) keeps its first
 * 65535 bytes, fewer if that would split a UTF-8 character; one of exactly
 * 65535 is kept whole; one made of continuation bytes only, which has no
 * boundary to cut at, is left out.
 */
static const struct {
	size_t len;                     /* of the comment */
	const char *at;                 /* written at offset 65533 */
	unsigned char fill;
	size_t kept;
} LONG[] = {
	{ 65535, "", 'a', 65535 },
	{ 65536, "", 'a', 65535 },
	{ 70000, "", 'a', 65535 },
	{ 70000, "a\xc3\xa9", 'a', 65534 },     /* "é" across the cut */
	{ 70000, "\xe2\x82\xac", 'a', 65533 },  /* "€": its last two bytes past it */
	{ 70000, "ab\xc3", 'a', 65535 },        /* a character starts just past it */
	{ 70000, "", 0x80, 0 },
};

START_TEST(test_long_comment)
{
	size_t len = LONG[_i].len, kept = LONG[_i].kept, off = SHB_LEN + 32, i;
	size_t opts = off + 28 + 24 + 8, total;
	char *s = malloc(len + 1);
	struct pcapng *c;
	struct mem m;

	ck_assert_ptr_nonnull(s);
	memset(s, LONG[_i].fill, len);
	memcpy(s + 65533, LONG[_i].at, strlen(LONG[_i].at));
	s[len] = '\0';
	c = mem_open(&m, 0);
	pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), true, s));
	close_ok(c);
	total = 28 + 24 + 8 + (kept ? 4 + ROUND4(kept) : 0) + 4 + 4;
	ck_assert_uint_eq(m.len, off + total);
	ck_assert_uint_eq(le32(m.buf + off + 4), total);
	if (kept) {
		ck_assert_uint_eq(le32(m.buf + opts), 1 | (uint32_t)kept << 16);
		assert_bytes(&m, opts + 4, (const uint8_t *)s, kept);
		for (i = kept; i < ROUND4(kept); i++)
			ck_assert_uint_eq((uint8_t)m.buf[opts + 4 + i], 0);
	}
	ck_assert_uint_eq(le32(m.buf + off + total - 8), 0);    /* opt_endofopt */
	free(s);
	mem_free(&m);
}
END_TEST

/* ---------------------------------------------------------------- limits */

/*
 * max_bytes counts every block: the SHB alone may not fit (nothing is
 * written, and pcapng_open says why), nor an IDB, nor an EPB; a block that
 * would pass the limit is not written, nor anything after it, and close
 * says so. Exactly at the limit is still within it.
 */
START_TEST(test_limit_shb)
{
	char err[512] = "", want[128];
	struct mem m;

	m.buf = NULL;
	m.f = open_memstream(&m.buf, &m.len);
	ck_assert_ptr_nonnull(m.f);
	ck_assert_ptr_null(pcapng_open(m.f, "x.pcapng", SHB_LEN - 1, err, sizeof(err)));
	snprintf(want, sizeof(want), "capture file x.pcapng reached its limit of %zu bytes"
		 " (--max-capture)", SHB_LEN - 1);
	ck_assert_str_eq(err, want);
	fflush(m.f);
	ck_assert_uint_eq(m.len, 0);
	mem_free(&m);
}
END_TEST

START_TEST(test_limit_idb)
{
	char err[512] = "", want[128];
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, SHB_LEN + 44 + 43);
	ck_assert_int_eq(pcapng_add_interface(c, "client", NULL, LINKTYPE_RAW_IP, 0), 0);
	ck_assert_int_eq(pcapng_add_interface(c, "server", NULL, LINKTYPE_RAW_IP, 0), -1);
	/* A smaller block would fit, but the file stops at the first miss. */
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0), -1);
	ck_assert(!pcapng_packet(c, 0, 0, PKT, 1, true, NULL));
	ck_assert_uint_eq(pcapng_bytes(c), SHB_LEN + 44);
	ck_assert_int_eq(pcapng_close(c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "capture file mem.pcapng reached its limit of %zu bytes"
		 " (--max-capture)", SHB_LEN + 44 + 43);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(m.len, SHB_LEN + 44);
	mem_free(&m);
}
END_TEST

START_TEST(test_limit_epb)
{
	size_t rec = sizeof(EPB_RAW), head = SHB_LEN + sizeof(IDB_SERVER);
	uint64_t limit = head + 3 * rec - 1;
	char err[512] = "", want[128];
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, limit);
	ck_assert_int_eq(pcapng_add_interface(c, "server", NULL, LINKTYPE_RAW_IP, 96), 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), false, NULL));
	ck_assert(pcapng_packet(c, 0, 1, PKT, sizeof(PKT), false, NULL));
	ck_assert(!pcapng_packet(c, 0, 2, PKT, sizeof(PKT), false, NULL));
	ck_assert(!pcapng_packet(c, 0, 3, PKT, 1, false, NULL));
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0), -1);
	ck_assert_uint_eq(pcapng_count(c), 2);
	ck_assert_uint_eq(pcapng_bytes(c), head + 2 * rec);
	ck_assert_int_eq(pcapng_close(c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "capture file mem.pcapng reached its limit of %llu bytes"
		 " (--max-capture)", (unsigned long long)limit);
	ck_assert_str_eq(err, want);
	ck_assert_uint_eq(m.len, head + 2 * rec);
	mem_free(&m);

	/* Exactly at the limit: every block fits, and close is content. */
	c = mem_open(&m, head + rec);
	ck_assert_int_eq(pcapng_add_interface(c, "server", NULL, LINKTYPE_RAW_IP, 96), 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), false, NULL));
	close_ok(c);
	ck_assert_uint_eq(m.len, head + rec);
	mem_free(&m);
}
END_TEST

/* ---------------------------------------------------------- write errors */

/*
 * A stream that takes `room` bytes, then fails every write: with errno
 * set to `err`, or left alone when err is 0 (some streams fail without
 * saying why; the message is then EIO's, not a stale errno).
 */
struct sink {
	size_t room;
	int err;
	size_t taken;
};

static ssize_t sink_write(void *cookie, const char *buf, size_t n)
{
	struct sink *s = cookie;

	(void)buf;
	if (n > s->room - s->taken) {
		if (s->err)
			errno = s->err;
		return 0;
	}
	s->taken += n;
	return (ssize_t)n;
}

/* Unbuffered, so that each block meets the failure as it is written. */
static FILE *sink_open(struct sink *s, size_t room, int err, bool buffered)
{
	cookie_io_functions_t io = { .write = sink_write };
	FILE *f;

	s->room = room;
	s->err = err;
	s->taken = 0;
	f = fopencookie(s, "w", io);
	ck_assert_ptr_nonnull(f);
	if (!buffered)
		ck_assert_int_eq(setvbuf(f, NULL, _IONBF, 0), 0);
	return f;
}

static const struct {
	int err;
	const char *why;
} ERRS[] = {
	{ ENOSPC, "No space left on device" },
	{ 0, "Input/output error" },
};

START_TEST(test_write_fails_at_shb)
{
	char err[512] = "", want[256];
	struct sink s;
	FILE *f = sink_open(&s, 0, ERRS[_i].err, false);

	errno = EDOM;                   /* stale: must not be what is reported */
	ck_assert_ptr_null(pcapng_open(f, "w.pcapng", 0, err, sizeof(err)));
	snprintf(want, sizeof(want), "cannot write capture file w.pcapng: %s", ERRS[_i].why);
	ck_assert_str_eq(err, want);
	fclose(f);
}
END_TEST

START_TEST(test_write_fails_at_idb)
{
	char err[512] = "", want[256];
	struct pcapng *c;
	struct sink s;
	FILE *f = sink_open(&s, SHB_LEN, ERRS[_i].err, false);

	c = pcapng_open(f, "w.pcapng", 0, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	errno = EDOM;
	ck_assert_int_eq(pcapng_add_interface(c, "client", NULL, LINKTYPE_ETHERNET, 0), -1);
	ck_assert_uint_eq(pcapng_bytes(c), SHB_LEN);
	/* The interface was not added: an id of 0 would abort. */
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_ETHERNET, 0), -1);
	ck_assert_int_eq(pcapng_close(c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot write capture file w.pcapng: %s", ERRS[_i].why);
	ck_assert_str_eq(err, want);
	fclose(f);
}
END_TEST

START_TEST(test_write_fails_at_epb)
{
	char err[512] = "", want[256];
	struct pcapng *c;
	struct sink s;
	FILE *f = sink_open(&s, SHB_LEN + 32 + sizeof(EPB_RAW), ERRS[_i].err, false);

	c = pcapng_open(f, "w.pcapng", 0, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0), 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), true, NULL));
	errno = EDOM;
	ck_assert(!pcapng_packet(c, 0, 1, PKT, sizeof(PKT), true, NULL));
	ck_assert(!pcapng_packet(c, 0, 2, PKT, 1, true, NULL));
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0), -1);
	ck_assert_uint_eq(pcapng_count(c), 1);
	ck_assert_uint_eq(pcapng_bytes(c), SHB_LEN + 32 + sizeof(EPB_RAW));
	ck_assert_int_eq(pcapng_close(c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot write capture file w.pcapng: %s", ERRS[_i].why);
	ck_assert_str_eq(err, want);
	fclose(f);
}
END_TEST

/* Buffered, everything fits in stdio's buffer: only the flush fails. */
START_TEST(test_write_fails_at_close)
{
	char err[512] = "", want[256];
	struct pcapng *c;
	struct sink s;
	FILE *f = sink_open(&s, 0, ERRS[_i].err, true);

	c = pcapng_open(f, "w.pcapng", 0, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0), 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), true, NULL));
	ck_assert_uint_eq(s.taken, 0);
	errno = EDOM;
	ck_assert_int_eq(pcapng_close(c, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "cannot write capture file w.pcapng: %s", ERRS[_i].why);
	ck_assert_str_eq(err, want);
	fclose(f);
}
END_TEST

/* ------------------------------------------------------------ life cycle */

/* Closing flushes, but leaves the stream to its owner, who may write on;
 * a failing close needs no room for its message; closing NULL is a no-op. */
START_TEST(test_close)
{
	struct pcapng *c;
	struct mem m;

	c = mem_open(&m, 0);
	pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0);
	ck_assert(pcapng_packet(c, 0, 0, PKT, sizeof(PKT), true, NULL));
	ck_assert_int_eq(pcapng_close(c, NULL, 0), 0);
	ck_assert_uint_eq(m.len, SHB_LEN + 32 + sizeof(EPB_RAW));
	ck_assert_int_eq(fputc('x', m.f), 'x');
	ck_assert_int_eq(fflush(m.f), 0);
	ck_assert_uint_eq(m.len, SHB_LEN + 32 + sizeof(EPB_RAW) + 1);
	mem_free(&m);

	c = mem_open(&m, SHB_LEN);
	ck_assert_int_eq(pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0), -1);
	ck_assert_int_eq(pcapng_close(c, NULL, 0), -1);
	mem_free(&m);

	ck_assert_int_eq(pcapng_close(NULL, NULL, 0), 0);
}
END_TEST

/* An interface that was never added is a bug in the caller: abort. */
START_TEST(test_bad_interface)
{
	struct pcapng *c;
	struct mem m;
	int i;

	c = mem_open(&m, 0);
	pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0);
	switch (_i) {
	case 0:
		pcapng_packet(c, -1, 0, PKT, sizeof(PKT), true, NULL);
		break;
	case 1:
		pcapng_packet(c, 1, 0, PKT, sizeof(PKT), true, NULL);
		break;
	default:
		for (i = 1; i <= PCAPNG_MAX_INTERFACES; i++)
			pcapng_add_interface(c, NULL, NULL, LINKTYPE_RAW_IP, 0);
		break;
	}
}
END_TEST

/* ------------------------------------------------------- files, readers */

static char dir[256];
static char path[300];

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_pcapng.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/cap.pcapng", dir);
}

static void remove_dir(void)
{
	remove(path);
	ck_assert_int_eq(rmdir(dir), 0);     /* fails if anything else was left */
}

#define NPKT 4

/* A handshake and one exchange of data (wire_encode'd, valid checksums). */
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

/*
 * What each host's side of the link saw: each packet leaves one interface
 * and, 5 ms later, arrives at the other. Timestamps use the last
 * nanosecond digit, whole seconds and the 32-bit lower half's wrap.
 */
#define NREC 8
static const struct {
	int pkt, iface;
	bool outbound;
	uint64_t t;
	const char *comment;
	const char *time;               /* as tshark shows frame.time_epoch */
} RECS[NREC] = {
	{ 0, 0, true, 1000000001ull, "SYN: the client opens", "1.000000001" },
	{ 0, 1, false, 1005000001ull, NULL, "1.005000001" },
	{ 1, 1, true, 1005000001ull, "r\xc3\xa9ponse", "1.005000001" },
	{ 1, 0, false, 1010000001ull, NULL, "1.010000001" },
	{ 2, 0, true, 2000000000ull, "data, 11 bytes", "2.000000000" },
	{ 2, 1, false, 2005000000ull, NULL, "2.005000000" },
	{ 3, 1, true, 4294967295ull, "ACK", "4.294967295" },
	{ 3, 0, false, 4299967296ull, NULL, "4.299967296" },
};

static const char *const IF_NAMES[2] = { "client", "server" };
static const char *const IF_DESCS[2] = {
	"192.0.2.1, the client's side of the link",
	"192.0.2.2, the server's side of the link",
};

static void write_file(enum capture_linktype lt, uint32_t snaplen)
{
	char err[512] = "";
	struct pcapng *c;
	FILE *f;
	int i;

	encode_all();
	f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	c = pcapng_open(f, "cap.pcapng", 0, err, sizeof(err));
	ck_assert_msg(c != NULL, "%s", err);
	for (i = 0; i < 2; i++)
		ck_assert_int_eq(pcapng_add_interface(c, IF_NAMES[i], IF_DESCS[i], lt, snaplen), i);
	for (i = 0; i < NREC; i++)
		ck_assert(pcapng_packet(c, RECS[i].iface, RECS[i].t, pkts[RECS[i].pkt],
					pkt_len[RECS[i].pkt], RECS[i].outbound, RECS[i].comment));
	ck_assert_msg(pcapng_close(c, err, sizeof(err)) == 0, "close: %s", err);
	ck_assert_int_eq(fclose(f), 0);
}

static const struct {
	enum capture_linktype lt;
	int dlt;                        /* what libpcap reports */
	size_t hdr;                     /* link-layer header bytes */
	uint32_t snaplen;
} LINKS[] = {
	{ LINKTYPE_ETHERNET, DLT_EN10MB, 14, 0 },
	{ LINKTYPE_RAW_IP, DLT_IPV4, 0, 0 },
	{ LINKTYPE_ETHERNET, DLT_EN10MB, 14, 64 },
	{ LINKTYPE_RAW_IP, DLT_IPV4, 0, 60 },
};

/* libpcap reads pcapng: both interfaces' packets, in nanoseconds. */
START_TEST(test_libpcap_reads_it)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	size_t hl = LINKS[_i].hdr;
	uint32_t snap = LINKS[_i].snaplen;
	struct pcap_pkthdr *h;
	const u_char *data;
	pcap_t *p;
	int i;

	make_dir();
	write_file(LINKS[_i].lt, snap);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	ck_assert_msg(p != NULL, "%s", errbuf);
	ck_assert_int_eq(pcap_datalink(p), LINKS[_i].dlt);
	ck_assert_int_eq(pcap_get_tstamp_precision(p), PCAP_TSTAMP_PRECISION_NANO);
	if (snap)
		ck_assert_int_eq(pcap_snapshot(p), (int)snap);
	for (i = 0; i < NREC; i++) {
		const uint8_t *ip = pkts[RECS[i].pkt];
		size_t len = hl + pkt_len[RECS[i].pkt];
		size_t want = snap && snap < len ? snap : len;

		ck_assert_int_eq(pcap_next_ex(p, &h, &data), 1);
		ck_assert_uint_eq((uint64_t)h->ts.tv_sec, RECS[i].t / 1000000000ull);
		ck_assert_uint_eq((uint64_t)h->ts.tv_usec, RECS[i].t % 1000000000ull);
		ck_assert_uint_eq(h->len, len);
		ck_assert_uint_eq(h->caplen, want);
		ck_assert_int_eq(memcmp(data + hl, ip, want - hl), 0);
		if (hl) {
			/* 02:00 + destination address, 02:00 + source, IPv4. */
			uint8_t mac[14] = { 0x02, 0x00, 0, 0, 0, 0, 0x02, 0x00, 0, 0, 0, 0,
					    0x08, 0x00 };

			memcpy(mac + 2, ip + 16, 4);
			memcpy(mac + 8, ip + 12, 4);
			ck_assert_int_eq(memcmp(data, mac, 14), 0);
		}
	}
	ck_assert_int_eq(pcap_next_ex(p, &h, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
	remove_dir();
}
END_TEST

/* ---------------------------------------------------------------- tshark */

/* $TSHARK if set (make check sets it, empty when configure found none),
 * else tshark on PATH; NULL when there is none. */
static const char *find_tshark(void)
{
	static char found[4096];
	const char *env = getenv("TSHARK"), *p;
	size_t n;

	if (env)
		return *env ? env : NULL;
	for (p = getenv("PATH"); p && *p; p += n + (p[n] == ':')) {
		n = strcspn(p, ":");
		snprintf(found, sizeof(found), "%.*s/tshark", (int)n, p);
		if (n && access(found, X_OK) == 0)
			return found;
	}
	return NULL;
}

/* Runs tshark on path with args; its stdout in out; fails on exit status. */
static void run_tshark(const char *tshark, const char *args, char *out, size_t outlen)
{
	char cmd[2048];
	FILE *f;
	size_t n;
	int st;

	/* Quoted with '...': refuse paths that would need more than that. */
	ck_assert_msg(!strchr(tshark, '\'') && !strchr(path, '\''), "unquotable path");
	/* An empty profile directory, so no user preference changes the result. */
	snprintf(cmd, sizeof(cmd), "WIRESHARK_CONFIG_DIR='%s' '%s' -n -r '%s' %s 2>/dev/null",
		 dir, tshark, path, args);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(out, 1, outlen - 1, f);
	out[n] = '\0';
	st = pclose(f);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "tshark failed: %s", cmd);
}

/*
 * Wireshark shows each packet's interface, comment, time to the
 * nanosecond and direction (1 inbound, 2 outbound: tshark 4.0 prints
 * them in hex) as written, checksums intact, nothing malformed; and its
 * dissector of the pcapng format itself (-X read_format) finds every
 * block where it should be and nothing to complain about.
 */
START_TEST(test_tshark_reads_it)
{
	const char *tshark = find_tshark();
	char out[8192], *line, *save = NULL;
	int i = 0;

	if (!tshark) {
		fprintf(stderr, "check_pcapng: no tshark: test_tshark_reads_it skipped\n");
		return;
	}
	make_dir();
	write_file(LINKS[_i].lt, 0);
	run_tshark(tshark, "-o tcp.check_checksum:TRUE -T fields -e frame.interface_name "
		   "-e frame.comment -e frame.time_epoch -e frame.packet_flags_direction "
		   "-e tcp.checksum.status -E separator='|'", out, sizeof(out));
	for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save), i++) {
		char *f[5], *rest = line, *end;
		int k;

		ck_assert_int_lt(i, NREC);
		for (k = 0; k < 5; k++)
			f[k] = strsep(&rest, "|");
		ck_assert_msg(f[4] != NULL && rest == NULL, "fields: %s", line);
		ck_assert_str_eq(f[0], IF_NAMES[RECS[i].iface]);
		ck_assert_str_eq(f[1], RECS[i].comment ? RECS[i].comment : "");
		ck_assert_str_eq(f[2], RECS[i].time);
		ck_assert_uint_eq(strtoul(f[3], &end, 0), RECS[i].outbound ? 2 : 1);
		ck_assert_msg(*f[3] && !*end, "direction: %s", f[3]);
		ck_assert_str_eq(f[4], "1");    /* Good */
	}
	ck_assert_int_eq(i, NREC);

	run_tshark(tshark, "-Y _ws.malformed", out, sizeof(out));
	ck_assert_str_eq(out, "");

	/* The file as pcapng blocks: one frame, the block types and lengths
	 * in order, no expert message (a bad length or padding has one). */
	run_tshark(tshark, "-X 'read_format:MIME Files Format' -T fields -e pcapng.block.type "
		   "-e _ws.expert.message -e _ws.malformed -E separator='|'", out, sizeof(out));
	ck_assert_str_eq(out, "0x0a0d0d0a,0x00000001,0x00000001,0x00000006,0x00000006,"
			 "0x00000006,0x00000006,0x00000006,0x00000006,0x00000006,"
			 "0x00000006||\n");
	remove_dir();
}
END_TEST

static Suite *pcapng_suite(void)
{
	Suite *s = suite_create("pcapng");
	TCase *tc;

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
	tc = tcase_create("blocks");
	tcase_add_test(tc, test_shb_bytes);
	tcase_add_test(tc, test_shb_literal);
	tcase_add_test(tc, test_idb_bytes);
	tcase_add_test(tc, test_many_interfaces);
	tcase_add_test(tc, test_epb_bytes);
	tcase_add_loop_test(tc, test_epb_comment, 0, N(COMMENTS));
	tcase_add_loop_test(tc, test_epb_padding, 0, 8);
	tcase_add_test(tc, test_epb_short_packet);
	tcase_add_loop_test(tc, test_frame_header, 0, 4);
	tcase_add_loop_test(tc, test_snaplen, 0, N(SNAPS));
	tcase_add_loop_test(tc, test_oversized_packet, 0, 2);
	tcase_add_loop_test(tc, test_long_comment, 0, N(LONG));
	suite_add_tcase(s, tc);

	tc = tcase_create("lifecycle");
	tcase_add_test(tc, test_limit_shb);
	tcase_add_test(tc, test_limit_idb);
	tcase_add_test(tc, test_limit_epb);
	tcase_add_loop_test(tc, test_write_fails_at_shb, 0, N(ERRS));
	tcase_add_loop_test(tc, test_write_fails_at_idb, 0, N(ERRS));
	tcase_add_loop_test(tc, test_write_fails_at_epb, 0, N(ERRS));
	tcase_add_loop_test(tc, test_write_fails_at_close, 0, N(ERRS));
	tcase_add_test(tc, test_close);
	tcase_add_loop_test_raise_signal(tc, test_bad_interface, SIGABRT, 0, 3);
	suite_add_tcase(s, tc);

	tc = tcase_create("readers");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, test_libpcap_reads_it, 0, N(LINKS));
	tcase_add_loop_test(tc, test_tshark_reads_it, 0, 2);
	suite_add_tcase(s, tc);
#undef N
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(pcapng_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
