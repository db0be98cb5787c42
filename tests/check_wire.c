/*
 * check_wire: unit tests for sim/wire.c.
 *
 * The Internet checksum against RFC 1071's worked example and against a
 * byte-at-a-time reference over every alignment and many lengths; one SYN
 * against a byte vector derived by hand (and read back by tshark, which
 * called both checksums good); encode -> decode round trips of every field;
 * every wire_decode error, one mutation at a time; option layouts; sequence
 * arithmetic across the 2^32 wrap.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define ADDR_A 0xC0000201u      /* 192.0.2.1 (RFC 5737) */
#define ADDR_B 0xC0000202u      /* 192.0.2.2 */

/* --------------------------------------------------------------- helpers */

/* The textbook RFC 1071 sum: one big-endian 16-bit word at a time. */
static uint32_t ref_sum(const uint8_t *p, size_t len, uint32_t initial)
{
	uint64_t sum = initial;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}

/* Deterministic filler (Knuth's MMIX LCG), never rand(). */
static uint64_t lcg_state;

static uint8_t lcg_byte(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint8_t)(lcg_state >> 56);
}

static void fill(uint8_t *p, size_t n, uint64_t seed)
{
	lcg_state = seed;
	while (n--)
		*p++ = lcg_byte();
}

/* Recomputes the IPv4 header checksum of pkt (IHL 5) with the reference. */
static void fix_ip_csum(uint8_t *pkt)
{
	uint16_t c;

	pkt[10] = pkt[11] = 0;
	c = (uint16_t)~ref_sum(pkt, 20, 0);
	pkt[10] = (uint8_t)(c >> 8);
	pkt[11] = (uint8_t)c;
}

/* Recomputes the TCP checksum (IHL 5, length from the IP header). */
static void fix_tcp_csum(uint8_t *pkt)
{
	size_t tcp_len = (size_t)(pkt[2] << 8 | pkt[3]) - 20;
	uint32_t pseudo = ref_sum(pkt + 12, 8, 0) + 6 + (uint32_t)tcp_len;
	uint16_t c;

	pkt[36] = pkt[37] = 0;
	c = (uint16_t)~ref_sum(pkt + 20, tcp_len, pseudo);
	pkt[36] = (uint8_t)(c >> 8);
	pkt[37] = (uint8_t)c;
}

/* ------------------------------------------------------------- checksum */

START_TEST(test_rfc1071_example)
{
	/* RFC 1071 §3: these bytes sum to ddf2, so the checksum is 220d. */
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	ck_assert_uint_eq(inet_sum(b, sizeof(b), 0), 0xddf2);
	ck_assert_uint_eq(inet_checksum(b, sizeof(b), 0), 0x220d);
	/* Same data in two pieces, the first sum carried as 'initial'. */
	ck_assert_uint_eq(inet_sum(b + 4, 4, inet_sum(b, 4, 0)), 0xddf2);
	/* Data followed by its checksum sums to ones'-complement zero. */
	{
		uint8_t c[10];

		memcpy(c, b, 8);
		c[8] = 0x22;
		c[9] = 0x0d;
		ck_assert_uint_eq(inet_sum(c, sizeof(c), 0), 0xffff);
		ck_assert_uint_eq(inet_checksum(c, sizeof(c), 0), 0);
	}
}
END_TEST

START_TEST(test_odd_lengths)
{
	/* RFC 1071 §4.1: an odd final byte is padded with a zero low byte. */
	static const uint8_t b[] = { 0xab, 0xcd, 0xef };

	ck_assert_uint_eq(inet_sum(b, 0, 0), 0);
	ck_assert_uint_eq(inet_sum(b, 1, 0), 0xab00);
	ck_assert_uint_eq(inet_sum(b, 2, 0), 0xabcd);
	ck_assert_uint_eq(inet_sum(b, 3, 0), 0x9ace);  /* abcd + ef00 = 1_9acd */
	ck_assert_uint_eq(inet_sum(b + 1, 2, 0), 0xcdef);
	ck_assert_uint_eq(inet_sum(b + 1, 1, 0), 0xcd00);
	ck_assert_uint_eq(inet_checksum(b, 0, 0), 0xffff);
	ck_assert_uint_eq(inet_sum(b, 0, 0x1fffe), 0xffff);
}
END_TEST

/* One alignment per loop iteration (_i = byte offset into the buffer). */
#define BIG (65535 + 8)
static uint8_t big[BIG];

START_TEST(test_sum_matches_reference)
{
	static const uint32_t initials[] = { 0, 1, 0xffff, 0x12345, 0xfffe0001, 0xffffffff };
	static const size_t longs[] = { 511, 1023, 1460, 1461, 1500, 9001, 65494, 65495, 65535 };
	size_t off = (size_t)_i, len, k, j;

	fill(big, BIG, 0x5eed0000 + off);
	for (k = 0; k < sizeof(initials) / sizeof(initials[0]); k++) {
		uint32_t init = initials[k];

		for (len = 0; len <= 300; len++) {
			uint32_t want = ref_sum(big + off, len, init);

			ck_assert_uint_eq(inet_sum(big + off, len, init), want);
			ck_assert_uint_eq(inet_checksum(big + off, len, init),
					  (uint16_t)~want);
		}
		for (j = 0; j < sizeof(longs) / sizeof(longs[0]); j++) {
			len = longs[j];
			ck_assert_uint_eq(inet_sum(big + off, len, init),
					  ref_sum(big + off, len, init));
		}
	}
}
END_TEST

START_TEST(test_sum_extremes)
{
	/* All ones: every addition carries. All zeros: the only zero sum. */
	memset(big, 0xff, BIG);
	ck_assert_uint_eq(inet_sum(big + 1, 65535, 0), ref_sum(big + 1, 65535, 0));
	ck_assert_uint_eq(inet_sum(big, 65534, 0xffffffff), 0xffff);
	memset(big, 0, BIG);
	ck_assert_uint_eq(inet_sum(big + 3, 65535, 0), 0);
	ck_assert_uint_eq(inet_checksum(big + 3, 65535, 0), 0xffff);
}
END_TEST

/*
 * Longer than any packet: the vector lanes are emptied every 1 MiB, and
 * with every bit set each 16-bit addition is at its largest, so a lane
 * that overflowed would change the sum (2^32 is 1 modulo 0xffff).
 */
START_TEST(test_sum_of_megabytes)
{
	size_t n = (8u << 20) + 3;
	uint8_t *b = malloc(n);

	ck_assert_ptr_nonnull(b);
	memset(b, 0xff, n);
	ck_assert_uint_eq(inet_sum(b, n, 0), ref_sum(b, n, 0));
	ck_assert_uint_eq(inet_sum(b, n - 3, 0), 0xffff);
	fill(b, n, 0x5eed);
	ck_assert_uint_eq(inet_sum(b + 1, n - 1, 7), ref_sum(b + 1, n - 1, 7));
	free(b);
}
END_TEST

/* ------------------------------------------------------------ SYN bytes */

static const struct tcp_seg SYN_SEG = {
	.src_addr = ADDR_A, .dst_addr = ADDR_B,
	.src_port = 49152, .dst_port = 8000,
	.seq = 0x12345678, .ack = 0,
	.flags = TH_SYN, .wnd = 64240, .ip_id = 0x1c46, .ttl = 0,
	.opt = {
		.has_mss = true, .mss = 1460,
		.sack_permitted = true,
		.has_ts = true, .ts_val = 1000, .ts_ecr = 0,
		.has_wscale = true, .wscale = 7,
	},
};

/*
 * Derived by hand. IP words 4500 003c 1c46 4000 4006 0000 c000 0201 c000
 * 0202 sum to 2_658b -> 658d, checksum 9a72. TCP pseudo-header c000 0201
 * c000 0202 0006 0028 sums to 1_8431; the TCP header and options (below,
 * checksum zero) to 2_fe94; together 4_82c5 -> 82c9, checksum 7d36.
 * tshark 4.0.17 with ip/tcp.check_checksum on reads this packet as
 * 192.0.2.1:49152 -> 192.0.2.2:8000 SYN, MSS 1460, SACK permitted,
 * TSval 1000 TSecr 0, NOP, window scale 7; both checksums "Good".
 */
static const uint8_t SYN_BYTES[60] = {
	/* IPv4: v4 IHL5, TOS 0, len 60, id 1c46, DF, TTL 64, TCP, csum */
	0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00,
	0x40, 0x06, 0x9a, 0x72,
	0xc0, 0x00, 0x02, 0x01,                         /* 192.0.2.1 */
	0xc0, 0x00, 0x02, 0x02,                         /* 192.0.2.2 */
	/* TCP: ports 49152 -> 8000, seq, ack 0 */
	0xc0, 0x00, 0x1f, 0x40,
	0x12, 0x34, 0x56, 0x78,
	0x00, 0x00, 0x00, 0x00,
	0xa0, 0x02, 0xfa, 0xf0,                         /* doff 10, SYN, wnd 64240 */
	0x7d, 0x36, 0x00, 0x00,                         /* checksum, urgent 0 */
	0x02, 0x04, 0x05, 0xb4,                         /* MSS 1460 */
	0x04, 0x02, 0x08, 0x0a,                         /* SACK-perm, TS kind/len */
	0x00, 0x00, 0x03, 0xe8,                         /* TSval 1000 */
	0x00, 0x00, 0x00, 0x00,                         /* TSecr 0 */
	0x01, 0x03, 0x03, 0x07,                         /* NOP, WS 7 */
};

START_TEST(test_syn_exact_bytes)
{
	uint8_t buf[128];
	size_t n, i;

	memset(buf, 0xa5, sizeof(buf));
	n = wire_encode(&SYN_SEG, buf, sizeof(buf));
	ck_assert_uint_eq(n, sizeof(SYN_BYTES));
	for (i = 0; i < n; i++)
		ck_assert_msg(buf[i] == SYN_BYTES[i], "byte %zu: got %02x want %02x",
			      i, buf[i], SYN_BYTES[i]);
	ck_assert_uint_eq(buf[n], 0xa5);              /* nothing past the end */
	ck_assert_uint_eq(inet_checksum(buf, 20, 0), 0);
	ck_assert_uint_eq(wire_opts_len(&SYN_SEG.opt), 20);
	/* Exactly enough room works, one byte less does not. */
	ck_assert_uint_eq(wire_encode(&SYN_SEG, buf, 60), 60);
	ck_assert_uint_eq(wire_encode(&SYN_SEG, buf, 59), 0);
}
END_TEST

/* ------------------------------------------------------------- ECN marks */

/*
 * RFC 3168 §5 and §6.1: a data segment "hi" with ACK and CWR, sent ECT(0),
 * then marked CE by a router. IPv4 header checksum by hand (RFC 1071):
 * 4502 + 002a + 0007 + 4000 + 4006 + c000 + 0201 + c000 + 0202 = 2493c,
 * folded 493e, complemented b6c1; with TOS 03 the first word is 4503, so
 * b6c0, which RFC 1624 eqn. 3 gives as ~(~b6c1 + ~4502 + 4503). The TCP
 * checksum (dfba) covers neither, so it stays. tshark 4.0 reads both
 * versions with good checksums, "ECT(0)" and "CE" in ip.dsfield.ecn.
 */
static const struct tcp_seg ECT_SEG = {
	.src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 49152, .dst_port = 8000,
	.seq = 1, .ack = 1, .flags = TH_ACK | TH_CWR, .wnd = 1000, .ip_id = 7,
	.ecn = IP_ECN_ECT0, .payload = (const uint8_t *)"hi", .len = 2,
};

static const uint8_t ECT_BYTES[] = {
	0x45, 0x02, 0x00, 0x2a, 0x00, 0x07, 0x40, 0x00, 0x40, 0x06, 0xb6, 0xc1,
	0xc0, 0x00, 0x02, 0x01, 0xc0, 0x00, 0x02, 0x02,
	0xc0, 0x00, 0x1f, 0x40, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
	0x50, 0x90, 0x03, 0xe8, 0xdf, 0xba, 0x00, 0x00, 'h', 'i',
};

START_TEST(test_ecn_exact_bytes)
{
	uint8_t buf[64];
	struct tcp_seg d;
	size_t n, i;

	n = wire_encode(&ECT_SEG, buf, sizeof(buf));
	ck_assert_uint_eq(n, sizeof(ECT_BYTES));
	for (i = 0; i < n; i++)
		ck_assert_msg(buf[i] == ECT_BYTES[i], "byte %zu: got %02x want %02x",
			      i, buf[i], ECT_BYTES[i]);
	ck_assert_uint_eq(wire_ecn(buf, n), IP_ECN_ECT0);
	ck_assert_uint_eq(wire_decode(buf, n, &d), WIRE_OK);
	ck_assert_uint_eq(d.ecn, IP_ECN_ECT0);
	ck_assert_uint_eq(d.flags, TH_ACK | TH_CWR);

	/* The router's mark: TOS 02 -> 03, checksum b6c1 -> b6c0, nothing else. */
	ck_assert(wire_set_ce(buf, n));
	for (i = 0; i < n; i++) {
		uint8_t want = i == 1 ? 0x03 : i == 11 ? 0xc0 : ECT_BYTES[i];
		ck_assert_msg(buf[i] == want, "byte %zu: got %02x want %02x", i, buf[i], want);
	}
	ck_assert_uint_eq(inet_checksum(buf, 20, 0), 0);
	ck_assert_uint_eq(wire_ecn(buf, n), IP_ECN_CE);
	ck_assert_uint_eq(wire_decode(buf, n, &d), WIRE_OK);
	ck_assert_uint_eq(d.ecn, IP_ECN_CE);
	/* Marking again changes nothing: CE stays CE, the checksum stays right. */
	ck_assert(wire_set_ce(buf, n));
	ck_assert_uint_eq(buf[1], 0x03);
	ck_assert_uint_eq(buf[11], 0xc0);
}
END_TEST

/*
 * wire_peek on ECT_BYTES (ACK|CWR, 2 bytes of data): the flags and payload
 * length from the length fields alone, so a bad checksum does not matter;
 * anything that is not an unfragmented IPv4 TCP packet with lengths that
 * agree is refused and writes nothing.
 */
START_TEST(test_peek)
{
	uint8_t buf[64];
	uint8_t flags = 0;
	uint32_t payload = 0;

	memcpy(buf, ECT_BYTES, sizeof(ECT_BYTES));
	ck_assert(wire_peek(buf, sizeof(ECT_BYTES), &flags, &payload));
	ck_assert_uint_eq(flags, TH_ACK | TH_CWR);
	ck_assert_uint_eq(payload, 2);
	/* Ethernet padding past the total length is not payload. */
	ck_assert(wire_peek(buf, sizeof(ECT_BYTES) + 4, &flags, &payload));
	ck_assert_uint_eq(payload, 2);
	buf[11] ^= 0xff;                                /* IP checksum broken: still read */
	ck_assert(wire_peek(buf, sizeof(ECT_BYTES), &flags, &payload));
	buf[11] ^= 0xff;

	static const struct { size_t at; uint8_t value; size_t len; } bad[] = {
		{ 0, 0x45, 19 },                        /* shorter than an IP header */
		{ 0, 0x65, sizeof(ECT_BYTES) },         /* IPv6 version */
		{ 0, 0x44, sizeof(ECT_BYTES) },         /* IHL 4 */
		{ 3, 0x2b, sizeof(ECT_BYTES) },         /* total length past the bytes */
		{ 3, 0x27, sizeof(ECT_BYTES) },         /* total length below 40 */
		{ 9, 17, sizeof(ECT_BYTES) },           /* UDP */
		{ 6, 0x20, sizeof(ECT_BYTES) },         /* more fragments */
		{ 7, 0x01, sizeof(ECT_BYTES) },         /* a fragment offset */
		{ 32, 0x40, sizeof(ECT_BYTES) },        /* data offset 4 */
		{ 32, 0x60, sizeof(ECT_BYTES) },        /* data offset 6: past the segment */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memcpy(buf, ECT_BYTES, sizeof(ECT_BYTES));
		buf[bad[i].at] = bad[i].value;
		flags = 0x5a;
		payload = 77;
		ck_assert_msg(!wire_peek(buf, bad[i].len, &flags, &payload), "case %zu", i);
		ck_assert_uint_eq(flags, 0x5a);
		ck_assert_uint_eq(payload, 77);
	}
}
END_TEST

/* Every codepoint round-trips; only the ECN bits of TOS are written; the
 * incremental update agrees with a full recompute over many headers
 * (ids, lengths and addresses that move the checksum everywhere, the
 * 0x0000/0xffff edge included). */
START_TEST(test_ecn_codepoints)
{
	static const enum ip_ecn cps[] = { IP_ECN_NOT_ECT, IP_ECN_ECT1, IP_ECN_ECT0, IP_ECN_CE };
	uint8_t buf[64], ref[64];
	struct tcp_seg s = ECT_SEG, d;
	size_t n;

	for (size_t k = 0; k < 4; k++) {
		s.ecn = cps[k];
		n = wire_encode(&s, buf, sizeof(buf));
		ck_assert_uint_eq(buf[1], cps[k]);
		ck_assert_uint_eq(wire_decode(buf, n, &d), WIRE_OK);
		ck_assert_uint_eq(d.ecn, cps[k]);
		ck_assert_uint_eq(wire_ecn(buf, n), cps[k]);
	}
	/* Not ECN-capable: a router must not mark it (RFC 3168 §5). */
	s.ecn = IP_ECN_NOT_ECT;
	n = wire_encode(&s, buf, sizeof(buf));
	memcpy(ref, buf, n);
	ck_assert(!wire_set_ce(buf, n));
	ck_assert_int_eq(memcmp(buf, ref, n), 0);
	ck_assert_uint_eq(wire_ecn(buf, 19), IP_ECN_NOT_ECT);
	/* The IPv4 header alone (20 bytes) says the field. */
	s.ecn = IP_ECN_ECT1;
	n = wire_encode(&s, buf, sizeof(buf));
	ck_assert_uint_eq(wire_ecn(buf, IP_HDR_LEN), IP_ECN_ECT1);
	ck_assert(wire_set_ce(buf, IP_HDR_LEN));
	ck_assert_uint_eq(wire_ecn(buf, IP_HDR_LEN), IP_ECN_CE);
	ck_assert_uint_eq(inet_checksum(buf, IP_HDR_LEN, 0), 0);
	/* ECT(1) is ECN-capable too. */
	for (uint32_t id = 0; id < 70000; id += 7) {
		s.ecn = id % 2 ? IP_ECN_ECT1 : IP_ECN_ECT0;
		s.ip_id = (uint16_t)id;
		s.src_addr = ADDR_A + id * 2654435761u;
		n = wire_encode(&s, buf, sizeof(buf));
		ck_assert(wire_set_ce(buf, n));
		memcpy(ref, buf, n);
		fix_ip_csum(ref);
		ck_assert_msg(buf[10] == ref[10] && buf[11] == ref[11],
			      "id %u: incremental %02x%02x, recomputed %02x%02x", id,
			      buf[10], buf[11], ref[10], ref[11]);
	}
}
END_TEST

/* --------------------------------------------------------- option layout */

struct layout_case {
	const char *name;
	struct tcp_opts opt;
	size_t len;
	uint8_t bytes[TCP_OPT_MAX];
};

static const struct layout_case LAYOUTS[] = {
	{ "none", { .nsack = 0 }, 0, { 0 } },
	{ "mss", { .has_mss = true, .mss = 536 }, 4, { 2, 4, 0x02, 0x18 } },
	{ "sackperm+ts", { .sack_permitted = true, .has_ts = true,
			   .ts_val = 0x01020304, .ts_ecr = 0xa0b0c0d0 }, 12,
	  { 4, 2, 8, 10, 1, 2, 3, 4, 0xa0, 0xb0, 0xc0, 0xd0 } },
	{ "ts only", { .has_ts = true, .ts_val = 5, .ts_ecr = 6 }, 12,
	  { 1, 1, 8, 10, 0, 0, 0, 5, 0, 0, 0, 6 } },
	{ "sackperm only", { .sack_permitted = true }, 4, { 1, 1, 4, 2 } },
	{ "wscale", { .has_wscale = true, .wscale = 14 }, 4, { 1, 3, 3, 14 } },
	{ "syn no ts", { .has_mss = true, .mss = 1460, .sack_permitted = true,
			 .has_wscale = true, .wscale = 2 }, 12,
	  { 2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 2 } },
	{ "one sack", { .nsack = 1, .sack = { { 0x11111111, 0x22222222 } } }, 12,
	  { 1, 1, 5, 10, 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22 } },
	{ "ts+two sacks", { .has_ts = true, .ts_val = 7, .ts_ecr = 8, .nsack = 2,
			    .sack = { { 1, 2 }, { 3, 4 } } }, 32,
	  { 1, 1, 8, 10, 0, 0, 0, 7, 0, 0, 0, 8,
	    1, 1, 5, 18, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4 } },
	/* RFC 2018 §3: four blocks fill the 40 bytes when alone... */
	{ "four sacks", { .nsack = 4, .sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } } }, 36,
	  { 1, 1, 5, 34, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4,
	    0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8 } },
	/* ...three beside timestamps: the oldest block is left off. */
	{ "ts+four sacks", { .has_ts = true, .ts_val = 1, .ts_ecr = 2, .nsack = 4,
			     .sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } } }, 40,
	  { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
	    1, 1, 5, 26, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0, 4,
	    0, 0, 0, 5, 0, 0, 0, 6 } },
	/* Every option at once: 20 bytes of SYN options leave room for two. */
	{ "everything", { .has_mss = true, .mss = 1, .sack_permitted = true,
			  .has_ts = true, .ts_val = 2, .ts_ecr = 3,
			  .has_wscale = true, .wscale = 4, .nsack = 3,
			  .sack = { { 5, 6 }, { 7, 8 }, { 9, 10 } } }, 40,
	  { 2, 4, 0, 1, 4, 2, 8, 10, 0, 0, 0, 2, 0, 0, 0, 3, 1, 3, 3, 4,
	    1, 1, 5, 18, 0, 0, 0, 5, 0, 0, 0, 6, 0, 0, 0, 7, 0, 0, 0, 8 } },
};

START_TEST(test_option_layout)
{
	const struct layout_case *c = &LAYOUTS[_i];
	struct tcp_seg s = { .src_addr = ADDR_A, .dst_addr = ADDR_B,
			     .flags = TH_ACK, .opt = c->opt };
	uint8_t buf[128];
	size_t n;

	ck_assert_msg(wire_opts_len(&c->opt) == c->len, "%s: opts_len %zu want %zu",
		      c->name, wire_opts_len(&c->opt), c->len);
	memset(buf, 0xa5, sizeof(buf));
	n = wire_encode(&s, buf, sizeof(buf));
	ck_assert_uint_eq(n, 40 + c->len);
	ck_assert_uint_eq(buf[32] >> 4, (20 + c->len) / 4);
	ck_assert_msg(memcmp(buf + 40, c->bytes, c->len) == 0, "%s: option bytes", c->name);
}
END_TEST

/* ------------------------------------------------------------ round trip */

static uint8_t payload[65495];

static const struct tcp_seg ROUND_TRIPS[] = {
	/* 0: the SYN above */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 49152, .dst_port = 8000,
	  .seq = 0x12345678, .flags = TH_SYN, .wnd = 64240, .ip_id = 0x1c46,
	  .opt = { .has_mss = true, .mss = 1460, .sack_permitted = true, .has_ts = true,
		   .ts_val = 1000, .has_wscale = true, .wscale = 7 } },
	/* 1: SYN-ACK with every SYN option */
	{ .src_addr = ADDR_B, .dst_addr = ADDR_A, .src_port = 8000, .dst_port = 49152,
	  .seq = 0xfffffff0, .ack = 0x12345679, .flags = TH_SYN | TH_ACK, .wnd = 65535,
	  .ip_id = 0, .ttl = 255,
	  .opt = { .has_mss = true, .mss = 65495, .sack_permitted = true, .has_ts = true,
		   .ts_val = 0xdeadbeef, .ts_ecr = 1000, .has_wscale = true, .wscale = 14 } },
	/* 2: SYN without timestamps */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 1, .dst_port = 65535,
	  .seq = 0, .flags = TH_SYN, .wnd = 1024,
	  .opt = { .has_mss = true, .mss = 536, .sack_permitted = true,
		   .has_wscale = true, .wscale = 15 } },
	/* 3: SYN with timestamps only */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 2, .dst_port = 3,
	  .seq = 77, .flags = TH_SYN, .wnd = 1,
	  .opt = { .has_ts = true, .ts_val = 1, .ts_ecr = 0 } },
	/* 4: a full-sized data segment with timestamps */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 49152, .dst_port = 8000,
	  .seq = 0x12345679, .ack = 0xfffffff1, .flags = TH_ACK | TH_PSH, .wnd = 502,
	  .ip_id = 0x1234,
	  .opt = { .has_ts = true, .ts_val = 1100, .ts_ecr = 0xdeadbeef },
	  .payload = payload, .len = 1448 },
	/* 5: a pure ACK with timestamps and three SACK blocks */
	{ .src_addr = ADDR_B, .dst_addr = ADDR_A, .src_port = 8000, .dst_port = 49152,
	  .seq = 0xfffffff1, .ack = 0x1234567a, .flags = TH_ACK, .wnd = 0,
	  .opt = { .has_ts = true, .ts_val = 5, .ts_ecr = 6, .nsack = 3,
		   .sack = { { 0xffffff00, 0x00000100 }, { 10, 20 }, { 30, 40 } } } },
	/* 6: four SACK blocks, no timestamps */
	{ .src_addr = ADDR_B, .dst_addr = ADDR_A, .src_port = 8000, .dst_port = 49152,
	  .seq = 9, .ack = 10, .flags = TH_ACK, .wnd = 100,
	  .opt = { .nsack = 4, .sack = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } } } },
	/* 7: FIN with an odd-length payload */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 49152, .dst_port = 8000,
	  .seq = 1, .ack = 1, .flags = TH_FIN | TH_ACK | TH_PSH, .wnd = 512,
	  .ip_id = 0xffff, .ttl = 1,
	  .payload = (const uint8_t *)"Hi, gopher?", .len = 11 },
	/* 8: a bare RST at the top of sequence space */
	{ .src_addr = ADDR_B, .dst_addr = ADDR_A, .src_port = 8000, .dst_port = 49152,
	  .seq = 0xffffffff, .flags = TH_RST },
	/* 9: urgent data */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 4, .dst_port = 5,
	  .seq = 100, .ack = 200, .flags = TH_URG | TH_ACK, .wnd = 300, .urp = 3,
	  .payload = payload + 1, .len = 3 },
	/* 10: the largest packet: 20 + 20 + 65495 = 65535 */
	{ .src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 6, .dst_port = 7,
	  .seq = 0x80000000, .ack = 0x7fffffff, .flags = TH_ACK, .wnd = 0xffff,
	  .payload = payload, .len = 65495 },
};

static uint8_t rt_buf[65536];

/* A fill that copies from the bytes ctx points to, from offset off. */
static unsigned fills;
static const uint8_t *fill_out;
static bool fill_bias;          /* the sum it returns one too high */

static uint32_t fill_from(void *ctx, uint64_t off, uint8_t *out, size_t len)
{
	fills++;
	fill_out = out;
	memcpy(out, (const uint8_t *)ctx + off, len);
	return fill_bias ? inet_sum(out, len, 0) % 0xffff + 1 : inet_sum(out, len, 0);
}

START_TEST(test_round_trip)
{
	const struct tcp_seg *in = &ROUND_TRIPS[_i];
	struct tcp_seg out;
	size_t n, hdr = 40 + wire_opts_len(&in->opt);
	unsigned k;

	fill(payload, sizeof(payload), 42);
	n = wire_encode(in, rt_buf, sizeof(rt_buf));
	ck_assert_uint_eq(n, hdr + in->len);
	memset(&out, 0x5a, sizeof(out));
	ck_assert_int_eq(wire_decode(rt_buf, n, &out), WIRE_OK);
	ck_assert_uint_eq(out.src_addr, in->src_addr);
	ck_assert_uint_eq(out.dst_addr, in->dst_addr);
	ck_assert_uint_eq(out.src_port, in->src_port);
	ck_assert_uint_eq(out.dst_port, in->dst_port);
	ck_assert_uint_eq(out.seq, in->seq);
	ck_assert_uint_eq(out.ack, in->ack);
	ck_assert_uint_eq(out.flags, in->flags);
	ck_assert_uint_eq(out.wnd, in->wnd);
	ck_assert_uint_eq(out.urp, in->urp);
	ck_assert_uint_eq(out.ip_id, in->ip_id);
	ck_assert_uint_eq(out.ttl, in->ttl ? in->ttl : IP_DEFAULT_TTL);
	ck_assert_int_eq(out.opt.has_mss, in->opt.has_mss);
	if (in->opt.has_mss)
		ck_assert_uint_eq(out.opt.mss, in->opt.mss);
	ck_assert_int_eq(out.opt.has_wscale, in->opt.has_wscale);
	if (in->opt.has_wscale)
		ck_assert_uint_eq(out.opt.wscale, in->opt.wscale);
	ck_assert_int_eq(out.opt.sack_permitted, in->opt.sack_permitted);
	ck_assert_int_eq(out.opt.has_ts, in->opt.has_ts);
	if (in->opt.has_ts) {
		ck_assert_uint_eq(out.opt.ts_val, in->opt.ts_val);
		ck_assert_uint_eq(out.opt.ts_ecr, in->opt.ts_ecr);
	}
	ck_assert_uint_eq(out.opt.nsack, in->opt.nsack);
	for (k = 0; k < in->opt.nsack; k++) {
		ck_assert_uint_eq(out.opt.sack[k].left, in->opt.sack[k].left);
		ck_assert_uint_eq(out.opt.sack[k].right, in->opt.sack[k].right);
	}
	ck_assert_uint_eq(out.len, in->len);
	ck_assert_ptr_eq(out.payload, rt_buf + hdr);
	if (in->len)
		ck_assert_int_eq(memcmp(out.payload, in->payload, in->len), 0);
	/* A correct packet, IP header and TCP part, each sum to zero. */
	ck_assert_uint_eq(inet_checksum(rt_buf, 20, 0), 0);

	/* A fill makes the payload in the packet, once, and gives its sum, which
	 * the checksum takes instead of summing the bytes: the same packet.
	 * wire_seg_payload makes the payload elsewhere. */
	if (in->len) {
		static uint8_t again[sizeof(rt_buf)];
		struct tcp_seg filled = *in;
		static uint8_t made[65495];

		filled.payload = NULL;
		filled.fill = fill_from;
		filled.fill_ctx = (void *)in->payload;
		filled.fill_off = 0;
		fills = 0;
		ck_assert_uint_eq(wire_encode(&filled, again, sizeof(again)), n);
		ck_assert_mem_eq(again, rt_buf, n);
		ck_assert_uint_eq(fills, 1);
		ck_assert_ptr_eq(fill_out, again + hdr);
		ck_assert_ptr_eq(wire_seg_payload(&filled, made), made);
		ck_assert_mem_eq(made, in->payload, in->len);
		ck_assert_ptr_eq(wire_seg_payload(in, made), in->payload);
		/* The fill's sum is the one the checksum takes: one too high
		 * makes a bad checksum, and nothing else differs. */
		fill_bias = true;
		ck_assert_uint_eq(wire_encode(&filled, again, sizeof(again)), n);
		fill_bias = false;
		ck_assert_int_eq(wire_decode(again, n, &out), WIRE_ETCPCSUM);
		ck_assert_mem_eq(again + 20 + 18, rt_buf + 20 + 18, n - 38);
	}
}
END_TEST

START_TEST(test_encode_limits)
{
	struct tcp_seg s = ROUND_TRIPS[10];
	static uint8_t buf[65540];

	ck_assert_uint_eq(wire_encode(&s, buf, sizeof(buf)), 65535);
	ck_assert_uint_eq(wire_encode(&s, buf, 65534), 0);
	s.opt.has_ts = true;                          /* 12 bytes too many */
	ck_assert_uint_eq(wire_encode(&s, buf, sizeof(buf)), 0);
	s.opt.has_ts = false;
	s.len = 0xffffffff;
	ck_assert_uint_eq(wire_encode(&s, buf, sizeof(buf)), 0);
	s.len = 0;
	ck_assert_uint_eq(wire_encode(&s, buf, 39), 0);
	ck_assert_uint_eq(wire_encode(&s, buf, 40), 40);
}
END_TEST

/* ---------------------------------------------------------------- decode */

/*
 * The packet every error case starts from: 192.0.2.1:49152 -> 192.0.2.2:8000
 * ACK|PSH with timestamps (bytes 40-51) and 13 bytes of payload (52-64).
 */
#define BASE_LEN 65
static const struct tcp_seg BASE_SEG = {
	.src_addr = ADDR_A, .dst_addr = ADDR_B, .src_port = 49152, .dst_port = 8000,
	.seq = 1000, .ack = 2000, .flags = TH_ACK | TH_PSH, .wnd = 1000, .ip_id = 7,
	.opt = { .has_ts = true, .ts_val = 0x01020304, .ts_ecr = 0x05060708 },
	.payload = (const uint8_t *)"hello, world!", .len = 13,
};

enum { NONE, XOR, SET };

struct decode_case {
	const char *name;
	struct { uint8_t op, off, val; } edit[3];
	bool new_opts;                  /* replace bytes 40-51 with opts */
	uint8_t opts[12];
	bool fix_ip, fix_tcp;           /* recompute the checksum after editing */
	int len;                        /* 0: BASE_LEN; > 0: that many bytes */
	enum wire_err want;
};

#define OPTS(...) .new_opts = true, .fix_tcp = true, .opts = { __VA_ARGS__ }

static const struct decode_case DECODES[] = {
	{ "unchanged", .want = WIRE_OK },
	{ "ethernet padding ignored", .len = BASE_LEN + 7, .want = WIRE_OK },
	/* Checksums: one bit each. */
	{ "payload bit", { { XOR, 60, 0x01 } }, .want = WIRE_ETCPCSUM },
	{ "tcp seq bit", { { XOR, 25, 0x80 } }, .want = WIRE_ETCPCSUM },
	{ "tcp option bit", { { XOR, 47, 0x10 } }, .want = WIRE_ETCPCSUM },
	{ "tcp checksum bit", { { XOR, 37, 0x04 } }, .want = WIRE_ETCPCSUM },
	{ "ip ttl bit", { { XOR, 8, 0x01 } }, .want = WIRE_EIPCSUM },
	{ "ip id bit", { { XOR, 4, 0x40 } }, .want = WIRE_EIPCSUM },
	{ "ip source bit", { { XOR, 15, 0x02 } }, .want = WIRE_EIPCSUM },
	{ "ip checksum bit", { { XOR, 10, 0x80 } }, .want = WIRE_EIPCSUM },
	{ "ip source bit, ip fixed", { { XOR, 15, 0x02 } }, .fix_ip = true,
	  .want = WIRE_ETCPCSUM },     /* the pseudo-header covers addresses */
	/* Lengths. */
	{ "empty", .len = -1, .want = WIRE_ETRUNC },
	{ "19 bytes", .len = 19, .want = WIRE_ETRUNC },
	{ "ip header only", .len = 20, .want = WIRE_ETRUNC },
	{ "one byte short", .len = BASE_LEN - 1, .want = WIRE_ETRUNC },
	{ "total length past end", { { SET, 3, BASE_LEN + 1 } }, .want = WIRE_ETRUNC },
	{ "total length < 40", { { SET, 3, 39 } }, .want = WIRE_ETRUNC },
	{ "short and not ipv4", { { SET, 0, 0x65 } }, .len = 10, .want = WIRE_ETRUNC },
	/* Version and IHL, before anything else in the header. */
	{ "version 6", { { SET, 0, 0x65 } }, .want = WIRE_EVERSION },
	{ "ihl 4", { { SET, 0, 0x44 } }, .want = WIRE_EVERSION },
	{ "ihl 0", { { SET, 0, 0x40 } }, .want = WIRE_EVERSION },
	/* Protocol and fragments, checked before the IP checksum. */
	{ "udp", { { SET, 9, 17 } }, .want = WIRE_EPROTO },
	{ "udp, ip fixed", { { SET, 9, 17 } }, .fix_ip = true, .want = WIRE_EPROTO },
	{ "more fragments", { { SET, 6, 0x20 } }, .fix_ip = true, .want = WIRE_EPROTO },
	{ "DF|MF", { { SET, 6, 0x60 } }, .want = WIRE_EPROTO },
	{ "fragment offset", { { SET, 7, 0x01 } }, .fix_ip = true, .want = WIRE_EPROTO },
	{ "high fragment offset", { { SET, 6, 0x50 } }, .want = WIRE_EPROTO },
	{ "DF alone is fine", { { SET, 6, 0x00 } }, .fix_ip = true, .want = WIRE_OK },
	/* TCP data offset, checked before the TCP checksum. */
	{ "data offset 4", { { SET, 32, 0x40 } }, .want = WIRE_EOPTS },
	{ "data offset 0", { { SET, 32, 0x00 } }, .want = WIRE_EOPTS },
	{ "data offset past packet", { { SET, 32, 0xf0 } }, .want = WIRE_EOPTS },
	{ "data offset 5", { { SET, 32, 0x50 } }, .fix_tcp = true, .want = WIRE_OK },
	/* Options (checksum fixed, so only the option itself is wrong). */
	{ "mss len 3", OPTS(2, 3, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "mss len 5", OPTS(2, 5, 5, 1, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "wscale len 4", OPTS(3, 4, 7, 0, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "sackperm len 3", OPTS(4, 3, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "ts len 9", OPTS(8, 9, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1), .want = WIRE_EOPTS },
	{ "ts len 12", OPTS(8, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), .want = WIRE_EOPTS },
	{ "sack len 2", OPTS(5, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "sack len 11", OPTS(5, 11, 0, 0, 0, 1, 0, 0, 0, 2, 0, 1), .want = WIRE_EOPTS },
	{ "option len 0", OPTS(30, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "option len 1", OPTS(1, 1, 30, 1, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "option past header", OPTS(1, 1, 30, 11, 1, 1, 1, 1, 1, 1, 1, 1), .want = WIRE_EOPTS },
	{ "kind in last byte", OPTS(1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2), .want = WIRE_EOPTS },
	{ "unknown kind skipped", OPTS(30, 6, 9, 9, 9, 9, 2, 4, 1, 0, 1, 1), .want = WIRE_OK },
	{ "eol ends the list", OPTS(1, 0, 2, 3, 0xff, 0xff, 0, 0, 0, 0, 0, 0), .want = WIRE_OK },
	{ "option filling the header", OPTS(30, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), .want = WIRE_OK },
};

START_TEST(test_decode_errors)
{
	const struct decode_case *c = &DECODES[_i];
	uint8_t pkt[128];
	struct tcp_seg s;
	size_t len = BASE_LEN;
	unsigned k;
	enum wire_err e;

	memset(pkt, 0, sizeof(pkt));
	ck_assert_uint_eq(wire_encode(&BASE_SEG, pkt, sizeof(pkt)), BASE_LEN);
	if (c->new_opts)
		memcpy(pkt + 40, c->opts, sizeof(c->opts));
	for (k = 0; k < 3; k++) {
		if (c->edit[k].op == XOR)
			pkt[c->edit[k].off] ^= c->edit[k].val;
		else if (c->edit[k].op == SET)
			pkt[c->edit[k].off] = c->edit[k].val;
	}
	if (c->fix_ip)
		fix_ip_csum(pkt);
	if (c->fix_tcp)
		fix_tcp_csum(pkt);
	if (c->len < 0)
		len = 0;
	else if (c->len > 0)
		len = (size_t)c->len;
	e = wire_decode(pkt, len, &s);
	ck_assert_msg(e == c->want, "%s: got %d (%s), want %d (%s)", c->name,
		      e, wire_strerror(e), c->want, wire_strerror(c->want));
	/* Sums known good: every check but the two sums is made. */
	e = wire_decode_known(pkt, len, &s, true);
	ck_assert_msg(e == (c->want == WIRE_EIPCSUM || c->want == WIRE_ETCPCSUM ? WIRE_OK : c->want),
		      "%s, sums known good: got %d (%s)", c->name, e, wire_strerror(e));
	ck_assert_int_eq(wire_decode_known(pkt, len, &s, false), c->want);
}
END_TEST

START_TEST(test_decode_option_details)
{
	uint8_t pkt[128];
	struct tcp_seg s;
	/* Unknown kind 30 (len 6), then MSS 1460, NOP, EOL, then junk. */
	static const uint8_t opts[12] = { 30, 6, 9, 9, 9, 9, 2, 4, 0x05, 0xb4, 1, 0 };

	ck_assert_uint_eq(wire_encode(&BASE_SEG, pkt, sizeof(pkt)), BASE_LEN);
	memcpy(pkt + 40, opts, sizeof(opts));
	fix_tcp_csum(pkt);
	ck_assert_int_eq(wire_decode(pkt, BASE_LEN, &s), WIRE_OK);
	ck_assert(s.opt.has_mss);
	ck_assert_uint_eq(s.opt.mss, 1460);
	ck_assert(!s.opt.has_ts);
	ck_assert(!s.opt.has_wscale);
	ck_assert_uint_eq(s.opt.nsack, 0);
	ck_assert_uint_eq(s.len, 13);
	ck_assert_int_eq(memcmp(s.payload, "hello, world!", 13), 0);
	/* Padding past the IP total length is not payload. */
	memset(pkt + BASE_LEN, 0xee, 10);
	ck_assert_int_eq(wire_decode(pkt, BASE_LEN + 10, &s), WIRE_OK);
	ck_assert_uint_eq(s.len, 13);
}
END_TEST

START_TEST(test_strerror)
{
	static const enum wire_err all[] = { WIRE_OK, WIRE_ETRUNC, WIRE_EVERSION,
		WIRE_EPROTO, WIRE_EIPCSUM, WIRE_ETCPCSUM, WIRE_EOPTS };
	size_t i, j, n = sizeof(all) / sizeof(all[0]);

	ck_assert_str_eq(wire_strerror(WIRE_ETCPCSUM), "bad TCP checksum");
	ck_assert_str_eq(wire_strerror(WIRE_EIPCSUM), "bad IP header checksum");
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(wire_strerror(all[i]));
		for (j = 0; j < i; j++)
			ck_assert_str_ne(wire_strerror(all[i]), wire_strerror(all[j]));
	}
}
END_TEST

START_TEST(test_ipv4_format)
{
	char buf[16];

	ck_assert_str_eq(ipv4_format(ADDR_A, buf), "192.0.2.1");
	ck_assert_str_eq(ipv4_format(0, buf), "0.0.0.0");
	ck_assert_str_eq(ipv4_format(0xffffffff, buf), "255.255.255.255");
	ck_assert_str_eq(ipv4_format(0x0a000001, buf), "10.0.0.1");
}
END_TEST

/* -------------------------------------------------------------- sequence */

/* a compared with b: -1 below, 0 equal, 1 above (RFC 9293 §3.4). */
static const struct { uint32_t a, b; int cmp; } SEQS[] = {
	{ 0, 0, 0 },
	{ 1, 2, -1 },
	{ 2, 1, 1 },
	{ 0xffffffff, 0, -1 },
	{ 0, 0xffffffff, 1 },
	{ 0xffffff00, 0x00000100, -1 },
	{ 0x00000100, 0xffffff00, 1 },
	{ 0xffffff00, 0xffffff00, 0 },
	{ 0xfffffff0, 0x00000010, -1 },
	{ 0x00000010, 0xfffffff0, 1 },
	{ 0, 0x7fffffff, -1 },
	{ 0x7fffffff, 0x80000000, -1 },
	{ 0x80000000, 0x7fffffff, 1 },
	{ 0x12345678, 0x12345679, -1 },
};

START_TEST(test_seq_compare)
{
	uint32_t a = SEQS[_i].a, b = SEQS[_i].b;
	int cmp = SEQS[_i].cmp;

	ck_assert_int_eq(seq_lt(a, b), cmp < 0);
	ck_assert_int_eq(seq_leq(a, b), cmp <= 0);
	ck_assert_int_eq(seq_gt(a, b), cmp > 0);
	ck_assert_int_eq(seq_geq(a, b), cmp >= 0);
	ck_assert_uint_eq(seq_max(a, b), cmp < 0 ? b : a);
	ck_assert_uint_eq(seq_min(a, b), cmp < 0 ? a : b);
}
END_TEST

START_TEST(test_seq_in_across_wrap)
{
	const uint32_t lo = 0xffffff00, hi = 0x00000100;

	ck_assert(seq_in(0xffffff00, lo, hi));
	ck_assert(seq_in(0xffffffff, lo, hi));
	ck_assert(seq_in(0x00000000, lo, hi));
	ck_assert(seq_in(0x000000ff, lo, hi));
	ck_assert(!seq_in(0x00000100, lo, hi));        /* b is excluded */
	ck_assert(!seq_in(0xfffffeff, lo, hi));
	ck_assert(!seq_in(0x80000000, lo, hi));
	ck_assert(!seq_in(lo, lo, lo));                 /* empty range */
	/* Walking from lo to hi one step at a time stays in order. */
	{
		uint32_t x;
		unsigned steps = 0;

		for (x = lo; x != hi; x++, steps++) {
			ck_assert(seq_lt(x, x + 1));
			ck_assert(seq_in(x, lo, hi));
		}
		ck_assert_uint_eq(steps, 0x200);
	}
}
END_TEST

static Suite *wire_suite(void)
{
	Suite *s = suite_create("wire");
	TCase *tc;

	tc = tcase_create("checksum");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_rfc1071_example);
	tcase_add_test(tc, test_odd_lengths);
	tcase_add_loop_test(tc, test_sum_matches_reference, 0, 8);
	tcase_add_test(tc, test_sum_extremes);
	tcase_add_test(tc, test_sum_of_megabytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("encode");
	tcase_add_test(tc, test_syn_exact_bytes);
	tcase_add_test(tc, test_ecn_exact_bytes);
	tcase_add_test(tc, test_ecn_codepoints);
	tcase_add_test(tc, test_peek);
	tcase_add_loop_test(tc, test_option_layout, 0,
			    (int)(sizeof(LAYOUTS) / sizeof(LAYOUTS[0])));
	tcase_add_loop_test(tc, test_round_trip, 0,
			    (int)(sizeof(ROUND_TRIPS) / sizeof(ROUND_TRIPS[0])));
	tcase_add_test(tc, test_encode_limits);
	suite_add_tcase(s, tc);

	tc = tcase_create("decode");
	tcase_add_loop_test(tc, test_decode_errors, 0,
			    (int)(sizeof(DECODES) / sizeof(DECODES[0])));
	tcase_add_test(tc, test_decode_option_details);
	tcase_add_test(tc, test_strerror);
	tcase_add_test(tc, test_ipv4_format);
	suite_add_tcase(s, tc);

	tc = tcase_create("sequence");
	tcase_add_loop_test(tc, test_seq_compare, 0, (int)(sizeof(SEQS) / sizeof(SEQS[0])));
	tcase_add_test(tc, test_seq_in_across_wrap);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(wire_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
