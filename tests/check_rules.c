/*
 * check_rules: path rules keyed to TCP meaning (sim/rules.h).
 *
 * First the classifier and the rule list alone, fed scripted conversations
 * as wire bytes: which packet each rule hits, across SYN, SYN-ACK and FIN
 * retransmissions, a fast retransmit and an RTO retransmission of the same
 * segment, a retransmission that coalesces two segments, one that carries
 * new data too, sequence wrap-around and a second connection. A rule that
 * delays by 2^i ns marks what rule i hit, so one verdict tells every rule
 * that hit a packet. Then the order rules apply in, time windows, ranges,
 * the text of a rule and the YAML form with its errors. Last, whole runs
 * built in code: the rules against the real TCP of both hosts, with exact
 * virtual times for delays and duplicates, and the summary's counters.
 */
#include <check.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "engine.h"
#include "link.h"
#include "report.h"
#include "rules.h"
#include "scenario.h"
#include "summary.h"
#include "tcp.h"
#include "wire.h"
#include "world.h"

#define MS NS_PER_MS
#define S NS_PER_S

/* ---- the list alone ---- */

static uint8_t zeros[2048];

/* A packet from 192.0.2.1:49152 to 192.0.2.2:8000 as a host would encode it. */
static size_t packet(uint8_t *buf, uint32_t seq, uint8_t flags, uint32_t len)
{
	struct tcp_seg s = {
		.src_addr = 0xC0000201u, .dst_addr = 0xC0000202u,
		.src_port = 49152, .dst_port = 8000,
		.seq = seq, .ack = (flags & TH_ACK) ? 5001 : 0, .flags = flags, .wnd = 65535,
		.payload = zeros, .len = len,
	};
	size_t n = wire_encode(&s, buf, sizeof zeros);

	ck_assert_uint_gt(n, 0);
	return n;
}

/* Rule i delays by 2^i ns: a verdict's delay is the set of rules that hit. */
static struct rule marker(enum rule_class what, uint64_t first, uint64_t last, int i)
{
	return (struct rule){ .action = RULE_DELAY, .what = what, .first = first, .last = last,
			      .delay_ns = UINT64_C(1) << i };
}

#define BIT(i) (UINT64_C(1) << (i))

struct step {
	uint32_t seq;
	uint8_t flags;
	uint32_t len;
	uint64_t hit;           /* the rules that hit it, as bits */
};

/* Offers the steps as packets 1, 2, 3 ... at 1 ms apart; checks each one's hits. */
static void run_steps(struct rules *rs, const struct step *st, size_t n)
{
	uint8_t buf[sizeof zeros];

	for (size_t i = 0; i < n; i++) {
		size_t len = packet(buf, st[i].seq, st[i].flags, st[i].len);
		struct rule_verdict v = rules_judge(rs, buf, len, i + 1, (i + 1) * MS);

		ck_assert_msg(v.delay_ns == st[i].hit, "packet %zu: rules hit 0x%" PRIx64
			      ", expected 0x%" PRIx64, i + 1, v.delay_ns, st[i].hit);
		ck_assert_uint_eq(v.drop_rule, 0);
		ck_assert_uint_eq(v.copies, 0);
	}
}

/*
 * The client's direction of one connection, 100-byte segments from ISS
 * 1000: the SYN and its retransmission, the handshake ACK, data segments
 * 1-5, segment 3 fast-retransmitted, then resent after an RTO together
 * with segment 4 (one packet, 1201-1401), segment 5 resent together with
 * the new bytes 1501-1601 (segment 6), the FIN and its retransmission.
 */
START_TEST(client_direction_classes)
{
	const struct rule r[RULES_MAX] = {
		marker(RC_SYN, 1, 1, 0),
		marker(RC_SYN, 2, 2, 1),
		marker(RC_HANDSHAKE_ACK, 1, 1, 2),
		marker(RC_PURE_ACK, 1, 1, 3),
		marker(RC_DATA_SEGMENT, 3, 3, 4),
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 3, .delay_ns = BIT(5) },
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 2, .last = 2,
		  .of_data_segment = 3, .delay_ns = BIT(6) },
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 4, .delay_ns = BIT(7) },
		marker(RC_RETRANSMISSION, 1, RULE_ALL, 8),
		marker(RC_DATA_SEGMENT, 6, 6, 9),
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 5, .delay_ns = BIT(10) },
		marker(RC_FIN, 1, 1, 11),
		marker(RC_FIN, 2, 2, 12),
		marker(RC_SYN_ACK, 1, RULE_ALL, 13),
		marker(RC_PURE_ACK, 2, RULE_ALL, 14),
		marker(RC_PACKET, 4, 5, 15),
	};
	const struct step st[] = {
		{ 1000, TH_SYN, 0, BIT(0) },
		{ 1000, TH_SYN, 0, BIT(1) },                    /* the SYN resent: syn 2 */
		{ 1001, TH_ACK, 0, BIT(2) | BIT(3) },           /* handshake ACK, pure ACK 1 */
		{ 1001, TH_ACK, 100, BIT(15) },                 /* data 1 (packet 4) */
		{ 1101, TH_ACK | TH_PSH, 100, BIT(15) },        /* data 2 (packet 5) */
		{ 1201, TH_ACK, 100, BIT(4) },                  /* data 3 */
		{ 1301, TH_ACK, 100, 0 },                       /* data 4 */
		{ 1401, TH_ACK, 0, BIT(14) },                   /* pure ACK 2 */
		{ 1201, TH_ACK, 100, BIT(5) | BIT(8) },         /* fast retransmit of 3 */
		{ 1401, TH_ACK, 100, 0 },                       /* data 5 */
		{ 1201, TH_ACK, 200, BIT(6) | BIT(7) | BIT(8) },/* RTO: 3 again, and 4 */
		{ 1401, TH_ACK, 200, BIT(8) | BIT(9) | BIT(10) },  /* 5 again, and new: data 6 */
		{ 1501, TH_ACK, 100, BIT(8) },                  /* data 6's bytes: not segment 5's */
		{ 1601, TH_ACK | TH_FIN, 0, BIT(11) },          /* the FIN: not a pure ACK */
		{ 1601, TH_ACK | TH_FIN, 0, BIT(12) },          /* the FIN resent */
		{ 1602, TH_ACK, 0, BIT(14) },                   /* pure ACK 3 */
	};
	struct rules *rs = rules_new(r, RULES_MAX);

	run_steps(rs, st, sizeof st / sizeof st[0]);
	/* Each rule's hits, as the summary reports them. */
	static const uint64_t hits[RULES_MAX] = { 1, 1, 1, 1, 1, 1, 1, 1, 4, 1, 1, 1, 1, 0, 2, 2 };
	for (size_t i = 0; i < RULES_MAX; i++)
		ck_assert_msg(rules_hits(rs, i) == hits[i], "rule %zu hit %" PRIu64, i + 1,
			      rules_hits(rs, i));
	rules_free(rs);
}
END_TEST

/*
 * The server's direction: its SYN-ACK and the one it resends for the
 * client's resent SYN are syn_ack 1 and 2, never a SYN; it sent no SYN of
 * its own, so none of its ACKs is a handshake ACK.
 */
START_TEST(server_direction_classes)
{
	const struct rule r[] = {
		marker(RC_SYN, 1, RULE_ALL, 0),
		marker(RC_SYN_ACK, 1, 1, 1),
		marker(RC_SYN_ACK, 2, 2, 2),
		marker(RC_HANDSHAKE_ACK, 1, RULE_ALL, 3),
		marker(RC_PURE_ACK, 1, 1, 4),
		marker(RC_DATA_SEGMENT, 1, 1, 5),
		marker(RC_ACK, 1, RULE_ALL, 6),
	};
	const struct step st[] = {
		{ 5000, TH_SYN | TH_ACK, 0, BIT(1) | BIT(6) },
		{ 5000, TH_SYN | TH_ACK, 0, BIT(2) | BIT(6) },
		{ 5001, TH_ACK, 0, BIT(4) | BIT(6) },
		{ 5001, TH_ACK | TH_PSH, 50, BIT(5) | BIT(6) },
		{ 5051, TH_ACK | TH_FIN, 0, BIT(6) },
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);

	run_steps(rs, st, sizeof st / sizeof st[0]);
	ck_assert_uint_eq(rules_hits(rs, 0), 0);
	ck_assert_uint_eq(rules_hits(rs, 3), 0);
	ck_assert_uint_eq(rules_hits(rs, 6), 5);
	rules_free(rs);
}
END_TEST

/* Sequence numbers wrap at 2^32 (RFC 9293 §3.4): new and old data still tell apart. */
START_TEST(sequence_wrap_around)
{
	const struct rule r[] = {
		marker(RC_DATA_SEGMENT, 2, 2, 0),
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 1, .delay_ns = BIT(1) },
		marker(RC_RETRANSMISSION, 1, RULE_ALL, 2),
		marker(RC_DATA_SEGMENT, 1, 1, 3),
	};
	const struct step st[] = {
		{ 0xFFFFFF00u, TH_SYN, 0, 0 },
		{ 0xFFFFFF01u, TH_ACK, 0, 0 },
		{ 0xFFFFFF01u, TH_ACK, 0x200, BIT(3) },     /* data 1: ...FF01 to 0x101, across 0 */
		{ 0x00000101u, TH_ACK, 0x100, BIT(0) },     /* data 2: 0x101 to 0x201 */
		{ 0x00000000u, TH_ACK, 0x80, BIT(1) | BIT(2) },   /* bytes of data 1, past the wrap */
		{ 0x00000201u, TH_ACK, 0x10, 0 },           /* data 3 */
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);

	run_steps(rs, st, sizeof st / sizeof st[0]);
	rules_free(rs);
}
END_TEST

/*
 * A SYN with another ISN starts over: the new connection's bytes are new
 * data (numbering goes on), though they overlap the old segment 1's
 * numbers, and never a retransmission of it.
 */
START_TEST(second_connection_starts_a_new_sequence_space)
{
	const struct rule r[] = {
		marker(RC_RETRANSMISSION, 1, RULE_ALL, 0),
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = RULE_ALL,
		  .of_data_segment = 1, .delay_ns = BIT(1) },
		marker(RC_DATA_SEGMENT, 2, 2, 2),
		marker(RC_HANDSHAKE_ACK, 2, 2, 3),
		marker(RC_SYN, 2, 2, 4),
	};
	const struct step st[] = {
		{ 1000, TH_SYN, 0, 0 },
		{ 1001, TH_ACK, 0, 0 },
		{ 1001, TH_ACK, 100, 0 },                   /* data 1: 1001-1101 */
		{ 1101, TH_RST | TH_ACK, 0, 0 },
		{ 1050, TH_SYN, 0, BIT(4) },                /* a new connection */
		{ 1051, TH_ACK, 0, BIT(3) },                /* its handshake ACK */
		{ 1051, TH_ACK, 100, BIT(2) },              /* data 2: 1051-1151 */
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);

	run_steps(rs, st, sizeof st / sizeof st[0]);
	rules_free(rs);
}
END_TEST

/*
 * Every rule that hits applies, in order: delays add up, copies add up, and
 * a drop ends it, so the rules after it neither act on nor count the packet.
 */
START_TEST(rules_apply_in_order_until_a_drop)
{
	const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 3, .last = 3 },
		{ .action = RULE_DELAY, .what = RC_ACK, .first = 1, .last = RULE_ALL,
		  .delay_ns = 10 * MS },
		{ .action = RULE_DUPLICATE, .what = RC_DATA_SEGMENT, .first = 1, .last = RULE_ALL,
		  .times = 2 },
		{ .action = RULE_DELAY, .what = RC_DATA_SEGMENT, .first = 2, .last = 3,
		  .delay_ns = 5 * MS },
		{ .action = RULE_DUPLICATE, .what = RC_DATA_SEGMENT, .first = 2, .last = 2,
		  .times = 1 },
	};
	static const struct { uint32_t seq, len; struct rule_verdict v; } want[] = {
		{ 1001, 0, { .delay_ns = 10 * MS } },                            /* handshake ACK */
		{ 1001, 100, { .delay_ns = 10 * MS, .copies = 2 } },             /* data 1 */
		{ 1101, 100, { .delay_ns = 15 * MS, .copies = 3 } },             /* data 2 */
		{ 1201, 100, { .drop_rule = 1 } },                               /* data 3 */
		{ 1301, 100, { .delay_ns = 10 * MS, .copies = 2 } },             /* data 4 */
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);
	uint8_t buf[sizeof zeros];

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t len = packet(buf, want[i].seq, TH_ACK, want[i].len);
		struct rule_verdict v = rules_judge(rs, buf, len, i + 1, 0);

		ck_assert_uint_eq(v.drop_rule, want[i].v.drop_rule);
		ck_assert_uint_eq(v.delay_ns, want[i].v.delay_ns);
		ck_assert_uint_eq(v.copies, want[i].v.copies);
	}
	ck_assert_uint_eq(rules_hits(rs, 0), 1);
	ck_assert_uint_eq(rules_hits(rs, 1), 4);     /* not data 3: dropped before it */
	ck_assert_uint_eq(rules_hits(rs, 2), 3);
	ck_assert_uint_eq(rules_hits(rs, 3), 1);
	ck_assert_uint_eq(rules_hits(rs, 4), 1);
	rules_free(rs);
}
END_TEST

/* A window [from, to) holds its start and not its end; ordinals count outside it too. */
START_TEST(time_window_is_half_open)
{
	const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_ACK, .first = 1, .last = RULE_ALL,
		  .from_ns = 1 * S, .to_ns = 2 * S },
		{ .action = RULE_DROP, .what = RC_PURE_ACK, .first = 2, .last = 2, .from_ns = 3 * S },
		{ .action = RULE_DROP, .what = RC_PURE_ACK, .first = 6, .last = 6, .from_ns = 3 * S },
	};
	static const struct { uint64_t at; uint32_t drop_rule; } want[] = {
		{ 1 * S - 1, 0 }, { 1 * S, 1 }, { 2 * S - 1, 1 }, { 2 * S, 0 },   /* pure ACKs 1-4 */
		{ 3 * S, 0 },           /* pure ACK 5 */
		{ 3 * S + 1, 3 },       /* pure ACK 6 (the 2nd was before the window) */
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);
	uint8_t buf[sizeof zeros];

	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		size_t len = packet(buf, 1001, TH_ACK, 0);

		ck_assert_uint_eq(rules_judge(rs, buf, len, i + 1, want[i].at).drop_rule,
				  want[i].drop_rule);
	}
	ck_assert_uint_eq(rules_hits(rs, 0), 2);
	ck_assert_uint_eq(rules_hits(rs, 1), 0);
	rules_free(rs);
}
END_TEST

/* packet N..M is the drop: list's numbering; a packet that is not TCP is only a packet. */
START_TEST(packet_range_by_number)
{
	const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_PACKET, .first = 10, .last = 20 },
		{ .action = RULE_DUPLICATE, .what = RC_ACK, .first = 1, .last = RULE_ALL, .times = 1 },
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);
	uint8_t buf[sizeof zeros];
	size_t len = packet(buf, 1001, TH_ACK, 0);
	uint64_t dropped = 0;

	for (uint64_t n = 1; n <= 30; n++) {
		struct rule_verdict v = rules_judge(rs, buf, len, n, 0);

		ck_assert_uint_eq(v.drop_rule != 0, n >= 10 && n <= 20);
		dropped += v.drop_rule != 0;
	}
	ck_assert_uint_eq(dropped, 11);
	/* Damaged bytes decode to nothing: only the packet number counts. */
	buf[len - 1] ^= 1;
	ck_assert_uint_eq(rules_judge(rs, buf, len, 15, 0).drop_rule, 1);
	ck_assert_uint_eq(rules_judge(rs, buf, len, 31, 0).copies, 0);
	ck_assert_uint_eq(rules_hits(rs, 0), 12);
	ck_assert_uint_eq(rules_hits(rs, 1), 19);
	rules_free(rs);
}
END_TEST

/* ---- on a link ---- */

static struct engine leng;
static struct packet_pool lpool;
static uint64_t larrive[8];
static uint32_t llen[8];
static int nlarrive;

static void ldeliver(void *ctx, struct packet *p, uint64_t now_ns)
{
	(void)ctx;
	ck_assert_int_lt(nlarrive, 8);
	larrive[nlarrive] = now_ns;
	llen[nlarrive++] = p->len;
	packet_put(&lpool, p);
}

/*
 * On a link of 8 Mbit/s (1000 bytes take 1 ms), 10 ms delay: a data
 * segment of 1000 bytes with 2 copies, then two pure ACKs delayed 3 ms,
 * the second of them on the drop list, then another data segment, all
 * offered at 0. The copies take the wire after the segment, so the ACK
 * starts at 3 ms; the drop list still drops packet 3, the rule having hit
 * it; the second segment overtakes the delayed ACK.
 */
START_TEST(copies_take_the_wire_and_the_drop_list_counts_as_before)
{
	static const struct rule r[] = {
		{ .action = RULE_DUPLICATE, .what = RC_DATA_SEGMENT, .first = 1, .last = 1, .times = 2 },
		{ .action = RULE_DELAY, .what = RC_PURE_ACK, .first = 1, .last = RULE_ALL,
		  .delay_ns = 3 * MS },
	};
	static uint64_t drop3[] = { 3 };
	static const struct { uint32_t seq, len; } offer[] = {
		{ 1001, 960 }, { 1961, 0 }, { 1961, 0 }, { 1961, 960 },
	};
	static const uint64_t want[] = { 11 * MS, 12 * MS, 13 * MS, 14040 * NS_PER_US,
					 16040 * NS_PER_US };
	static const uint32_t want_len[] = { 1000, 1000, 1000, 1000, 40 };
	struct link_cfg cfg;
	struct link l;

	engine_init(&leng);
	packet_pool_init(&lpool, 1500);
	nlarrive = 0;
	link_cfg_defaults(&cfg);
	cfg.rate_bps = 8000000;
	cfg.rules = r;
	cfg.nrules = 2;
	cfg.drop = drop3;
	cfg.ndrop = 1;
	link_init(&l, &leng, &lpool, &cfg, 1, "link.a_to_b", ldeliver, NULL);
	for (size_t i = 0; i < 4; i++) {
		struct packet *p = packet_get(&lpool);
		const struct link_verdict *v;

		p->len = (uint32_t)packet(p->data, offer[i].seq, TH_ACK, offer[i].len);
		v = link_judge(&l, p);
		ck_assert_int_eq(v->fate, i == 2 ? LINK_DROP_SCRIPTED : LINK_ACCEPTED);
		ck_assert_uint_eq(v->copies, i == 0 ? 2 : 0);
		ck_assert_uint_eq(v->rule_delay_ns, i == 1 || i == 2 ? 3 * MS : 0);
		link_commit(&l, p);
	}
	ck_assert_uint_eq(link_in_flight(&l), 5);
	while (engine_step(&leng, UINT64_MAX))
		;
	ck_assert_int_eq(nlarrive, 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(larrive[i], want[i]);
		ck_assert_uint_eq(llen[i], want_len[i]);
	}
	ck_assert_uint_eq(l.st.packets, 4);
	ck_assert_uint_eq(l.st.duplicated, 2);
	ck_assert_uint_eq(l.st.dropped, 1);
	ck_assert_uint_eq(l.st.delivered, 5);
	ck_assert_uint_eq(link_in_flight(&l), 0);
	ck_assert_uint_eq(rules_hits(l.rules, 0), 1);
	ck_assert_uint_eq(rules_hits(l.rules, 1), 2);
	engine_free(&leng);
	link_free(&l);
	packet_pool_free(&lpool);
}
END_TEST

/* The copies wait in the queue like the packets they copy: the next packet finds them there. */
START_TEST(copies_fill_the_queue)
{
	static const struct rule r[] = {
		{ .action = RULE_DUPLICATE, .what = RC_DATA_SEGMENT, .first = 1, .last = 1, .times = 2 },
	};
	struct link_cfg cfg;
	struct link l;

	engine_init(&leng);
	packet_pool_init(&lpool, 1500);
	nlarrive = 0;
	link_cfg_defaults(&cfg);
	cfg.queue_packets = 2;
	cfg.rules = r;
	cfg.nrules = 1;
	link_init(&l, &leng, &lpool, &cfg, 1, "link.a_to_b", ldeliver, NULL);
	/* The segment is on the wire, its 2 copies wait: the queue is full. */
	for (size_t i = 0; i < 2; i++) {
		struct packet *p = packet_get(&lpool);

		p->len = (uint32_t)packet(p->data, 1001 + 100 * (uint32_t)i, TH_ACK, 100);
		ck_assert_int_eq(link_judge(&l, p)->fate, i ? LINK_DROP_QUEUE : LINK_ACCEPTED);
		link_commit(&l, p);
	}
	while (engine_step(&leng, UINT64_MAX))
		;
	ck_assert_int_eq(nlarrive, 3);
	ck_assert_uint_eq(l.st.queue_drops, 1);
	engine_free(&leng);
	link_free(&l);
	packet_pool_free(&lpool);
}
END_TEST

/*
 * A data segment owns the bytes it carried first: segment 2 here resends
 * segment 1's bytes 1001-1101 with the new 1101-1201, so a later packet
 * holding only 1001-1101 is a retransmission of segment 1, not of 2.
 */
START_TEST(a_segment_owns_only_its_new_bytes)
{
	const struct rule r[] = {
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = RULE_ALL,
		  .of_data_segment = 2, .delay_ns = BIT(0) },
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = RULE_ALL,
		  .of_data_segment = 1, .delay_ns = BIT(1) },
		marker(RC_DATA_SEGMENT, 2, 2, 2),
	};
	const struct step st[] = {
		{ 1000, TH_SYN, 0, 0 },
		{ 1001, TH_ACK, 100, 0 },                       /* data 1: 1001-1101 */
		{ 1001, TH_ACK, 200, BIT(1) | BIT(2) },         /* 1 again, and data 2: 1101-1201 */
		{ 1001, TH_ACK, 100, BIT(1) },                  /* segment 1's bytes only */
		{ 1151, TH_ACK, 10, BIT(0) },                   /* segment 2's */
	};
	struct rules *rs = rules_new(r, sizeof r / sizeof r[0]);

	run_steps(rs, st, sizeof st / sizeof st[0]);
	rules_free(rs);
}
END_TEST

/* ---- the text of a rule ---- */

START_TEST(rule_text_reads_back_as_written)
{
	static const struct { struct rule r; const char *text; } cases[] = {
		{ { .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 3, .last = 3 },
		  "drop: {data_segment: 3}" },
		{ { .action = RULE_DROP, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		    .of_data_segment = 3 }, "drop: {retransmission: 1, of_data_segment: 3}" },
		{ { .action = RULE_DELAY, .what = RC_SYN_ACK, .first = 1, .last = 1,
		    .delay_ns = 2 * S }, "delay: {syn_ack: 1, by: 2s}" },
		{ { .action = RULE_DUPLICATE, .what = RC_PURE_ACK, .first = 5, .last = 5,
		    .times = 3 }, "duplicate: {pure_ack: 5, times: 3}" },
		{ { .action = RULE_DROP, .what = RC_ACK, .first = 1, .last = RULE_ALL,
		    .from_ns = 1 * S, .to_ns = 2 * S }, "drop: {ack: all, from: 1s, to: 2s}" },
		{ { .action = RULE_DROP, .what = RC_PACKET, .first = 10, .last = 20 },
		  "drop: {packet: 10..20}" },
		{ { .action = RULE_DELAY, .what = RC_PURE_ACK, .first = 4, .last = RULE_ALL,
		    .delay_ns = 1500 * MS, .to_ns = 7 }, "delay: {pure_ack: 4.., by: 1500ms, to: 7ns}" },
		{ { .action = RULE_DROP, .what = RC_HANDSHAKE_ACK, .first = 1, .last = 1,
		    .from_ns = 250 * NS_PER_US }, "drop: {handshake_ack: 1, from: 250us}" },
		{ { .action = RULE_DROP, .what = RC_FIN, .first = 1, .last = 2 },
		  "drop: {fin: 1..2}" },
		{ { .action = RULE_DROP, .what = RC_SYN, .first = 1, .last = 1 }, "drop: {syn: 1}" },
	};
	char buf[96];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		ck_assert_ptr_null(rule_check(&cases[i].r));
		ck_assert_uint_eq(rule_format(&cases[i].r, buf, sizeof buf), strlen(cases[i].text));
		ck_assert_str_eq(buf, cases[i].text);
	}
	/* Cut short, still a string. */
	ck_assert_uint_eq(rule_format(&cases[1].r, buf, 10), strlen(cases[1].text));
	ck_assert_str_eq(buf, "drop: {re");
}
END_TEST

START_TEST(rule_check_refuses_what_rules_new_cannot_take)
{
	static const struct rule bad[] = {
		{ .action = RULE_DROP, .what = RC_SYN, .first = 0, .last = 1 },
		{ .action = RULE_DROP, .what = RC_SYN, .first = 3, .last = 2 },
		{ .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 1, .last = 1,
		  .of_data_segment = 2 },
		{ .action = RULE_DROP, .what = RC_ACK, .first = 1, .last = 1, .from_ns = 5, .to_ns = 5 },
		{ .action = RULE_DELAY, .what = RC_ACK, .first = 1, .last = 1 },
		{ .action = RULE_DROP, .what = RC_ACK, .first = 1, .last = 1, .delay_ns = 1 },
		{ .action = RULE_DUPLICATE, .what = RC_ACK, .first = 1, .last = 1, .times = 101 },
		{ .action = RULE_DELAY, .what = RC_ACK, .first = 1, .last = 1,
		  .delay_ns = RULE_DELAY_MAX_NS + 1 },
		{ .action = RULE_DROP, .what = RC_COUNT, .first = 1, .last = 1 },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		ck_assert_msg(rule_check(&bad[i]) != NULL, "case %zu", i);
}
END_TEST

/* ---- YAML ---- */

/* Parses text (a YAML list) with rules_parse_yaml: 0 and the rules, or -1 and *err. */
static int parse(const char *text, struct rule **out, size_t *n, struct rules_error *err)
{
	yaml_parser_t p;
	yaml_document_t doc;
	int rc;

	ck_assert(yaml_parser_initialize(&p));
	yaml_parser_set_input_string(&p, (const unsigned char *)text, strlen(text));
	ck_assert(yaml_parser_load(&p, &doc));
	rc = rules_parse_yaml(&doc, yaml_document_get_root_node(&doc), out, n, err);
	yaml_document_delete(&doc);
	yaml_parser_delete(&p);
	return rc;
}

/* The brief's sentences, as written in a scenario, and what they become. */
START_TEST(yaml_reads_like_the_sentence)
{
	static const char *const text =
		"- drop: {data_segment: 3}\n"
		"- drop: {retransmission: 1, of_data_segment: 3}\n"
		"- delay: {syn_ack: true, by: 2s}\n"
		"- duplicate: {pure_ack: 5, times: 3}\n"
		"- drop: {ack: all, from: 1s, to: 2s}\n"
		"- drop: {packet: 10..20}\n"
		"- duplicate:\n"
		"    data_segment: 7..\n"
		"- drop: {handshake_ack: TRUE}\n"
		"- delay: {fin: 2, by: 0.5ms, from: 0ns}\n";
	static const char *const back[] = {
		"drop: {data_segment: 3}",
		"drop: {retransmission: 1, of_data_segment: 3}",
		"delay: {syn_ack: 1, by: 2s}",
		"duplicate: {pure_ack: 5, times: 3}",
		"drop: {ack: all, from: 1s, to: 2s}",
		"drop: {packet: 10..20}",
		"duplicate: {data_segment: 7.., times: 1}",
		"drop: {handshake_ack: 1}",
		"delay: {fin: 2, by: 500us}",
	};
	struct rules_error err;
	struct rule *r;
	size_t n;
	char buf[96];

	ck_assert_int_eq(parse(text, &r, &n, &err), 0);
	ck_assert_uint_eq(n, 9);
	for (size_t i = 0; i < n; i++) {
		rule_format(&r[i], buf, sizeof buf);
		ck_assert_str_eq(buf, back[i]);
		ck_assert_ptr_null(rule_check(&r[i]));
	}
	ck_assert_int_eq(r[2].action, RULE_DELAY);
	ck_assert_int_eq(r[2].what, RC_SYN_ACK);
	ck_assert_uint_eq(r[2].delay_ns, 2 * S);
	ck_assert_uint_eq(r[4].from_ns, 1 * S);
	ck_assert_uint_eq(r[4].to_ns, 2 * S);
	ck_assert_uint_eq(r[4].last, RULE_ALL);
	ck_assert_uint_eq(r[6].first, 7);
	ck_assert_uint_eq(r[6].last, RULE_ALL);
	ck_assert_uint_eq(r[1].loc.line, 2);
	ck_assert_uint_eq(r[1].loc.col, 3);
	ck_assert_uint_eq(r[6].loc.line, 7);
	free(r);

	ck_assert_int_eq(parse("[]", &r, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	ck_assert_ptr_null(r);
}
END_TEST

static const struct { const char *text; const char *msg; } BAD[] = {
	{ "drop: {syn: 1}", "1:1: rules: must be a list, e.g. rules: [drop: {data_segment: 3}]" },
	{ "- drop", "1:3: a rule is one action (drop, delay or duplicate) and what it applies "
		    "to, e.g. - drop: {data_segment: 3}" },
	{ "- {drop: {syn: 1}, delay: {syn: 1, by: 1s}}",
	  "1:3: a rule is one action (drop, delay or duplicate) and what it applies to, "
	  "e.g. - drop: {data_segment: 3}" },
	{ "- dorp: {syn: 1}", "1:3: unknown action 'dorp' (expected drop, delay or duplicate)" },
	{ "- [drop]: {syn: 1}", "1:3: a rule's action must be a scalar: drop, delay or duplicate" },
	{ "- drop: 3", "1:9: 'drop' must be a mapping, e.g. drop: {data_segment: 3}" },
	{ "- drop: {}", "1:9: drop: say which packets: packet, data_segment, retransmission, syn, "
			"syn_ack, handshake_ack, fin, pure_ack or ack" },
	{ "- drop: {from: 1s}", "1:9: drop: say which packets: packet, data_segment, "
				"retransmission, syn, syn_ack, handshake_ack, fin, pure_ack or ack" },
	{ "- drop: {syn: 1, fin: 1}",
	  "1:18: drop: one kind of packet per rule, not both 'syn' and 'fin'" },
	{ "- drop: {segment: 3}", "1:10: unknown key 'segment' in 'drop'" },
	{ "- drop: {syn: 1, syn: 2}", "1:18: duplicate key 'syn'" },
	{ "- drop: {data_segment: 0}", "1:24: data_segment: must be at least 1 (the first is 1)" },
	{ "- drop: {data_segment: -1}",
	  "1:24: data_segment: expected a number (3), a range (3..5) or all, not '-1'" },
	{ "- drop: {data_segment: third}",
	  "1:24: data_segment: expected a number (3), a range (3..5) or all, not 'third'" },
	{ "- drop: {data_segment: 99999999999999999999}", "1:24: data_segment: too large" },
	{ "- drop: {data_segment: true}",
	  "1:24: data_segment: true is for the one of a kind (syn, syn_ack, handshake_ack, fin); "
	  "say which: a number (3), a range (3..5) or all" },
	{ "- drop: {packet: 20..10}", "1:18: packet: the range 20..10 is empty" },
	{ "- drop: {packet: 0..10}", "1:18: packet: must be at least 1 (the first is 1)" },
	{ "- drop: {packet: 1..x}", "1:18: packet: '1..x' is not a range such as 3..5 or 3.." },
	{ "- drop: {packet: ..5}", "1:18: packet: '..5' is not a range such as 3..5 or 3.." },
	{ "- drop: {packet: 1...5}", "1:18: packet: '1...5' is not a range such as 3..5 or 3.." },
	{ "- drop: {packet: [1]}", "1:18: 'packet' must be a scalar" },
	{ "- drop: {syn: 1, by: 2s}", "1:18: 'by' is for delay rules only" },
	{ "- delay: {syn: 1, times: 2}", "1:19: 'times' is for duplicate rules only" },
	{ "- delay: {syn: 1}", "1:10: delay: missing key 'by' (how long, e.g. by: 2s)" },
	{ "- delay: {syn: 1, by: 0s}", "1:23: by: must be greater than 0" },
	{ "- delay: {syn: 1, by: 2}", "1:23: by: a time needs a unit: ns, us, ms, s or min" },
	{ "- delay: {syn: 1, by: 3601s}", "1:23: by: must be at most 3600s" },
	{ "- delay: {syn: 1, by: 99999999999999999999s}", "1:23: by: must be at most 3600s" },
	{ "- duplicate: {syn: 1, times: 0}", "1:30: times: must be between 1 and 100" },
	{ "- duplicate: {syn: 1, times: 101}", "1:30: times: must be between 1 and 100" },
	{ "- drop: {syn: 1, of_data_segment: 3}",
	  "1:35: of_data_segment goes with retransmission, e.g. {retransmission: 1, "
	  "of_data_segment: 3}" },
	{ "- drop: {retransmission: 1, of_data_segment: 0}",
	  "1:46: of_data_segment: must be between 1 and 18446744073709551614" },
	{ "- drop: {ack: all, from: 2s, to: 1s}", "1:34: to: must be later than from" },
	{ "- drop: {ack: all, to: 0s}", "1:24: to: must be later than from" },
	{ "- drop: {syn: \"1\\0\"}", "1:15: syn: a NUL character (\\0) is not allowed here" },
	{ "- drop: {[syn]: 1}", "1:10: a key in 'drop' must be a scalar" },
};

START_TEST(yaml_errors_are_located)
{
	struct rules_error err;
	struct rule *r = (struct rule *)&err;
	size_t n = 99;
	char got[256];

	ck_assert_int_eq(parse(BAD[_i].text, &r, &n, &err), -1);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(n, 0);
	snprintf(got, sizeof got, "%u:%u: %s", err.line, err.col, err.msg);
	ck_assert_str_eq(got, BAD[_i].msg);
}
END_TEST

START_TEST(yaml_at_most_sixteen_rules)
{
	char text[1024] = "";
	struct rules_error err;
	struct rule *r;
	size_t n;

	for (int i = 0; i < RULES_MAX; i++)
		strcat(text, "- drop: {syn: 1}\n");
	ck_assert_int_eq(parse(text, &r, &n, &err), 0);
	ck_assert_uint_eq(n, RULES_MAX);
	free(r);
	strcat(text, "- drop: {fin: 1}\n");
	ck_assert_int_eq(parse(text, &r, &n, &err), -1);
	ck_assert_str_eq(err.msg, "rules: at most 16 rules in one direction");
	ck_assert_uint_eq(err.line, 17);
	ck_assert_uint_eq(err.col, 3);
}
END_TEST

/* ---- whole runs ---- */

/* What the observer saw of one packet. */
struct seen {
	enum pkt_event_kind kind;
	uint64_t time_ns;
	enum host_id from;
	uint32_t seq, ack;          /* relative to the sender's ISS and the receiver's */
	uint8_t flags;
	uint32_t len;
	uint64_t number;            /* on its link */
	enum link_fate fate;
	uint32_t rule, copy, copies;
	uint64_t rule_delay_ns, arrival_ns;
	char note[128];             /* link_verdict_format */
};

#define MAX_SEEN 4096
static struct seen seen[MAX_SEEN];
static size_t nseen;
static uint32_t iss[2];

static bool record(void *ctx, const struct pkt_event *ev)
{
	struct seen *e = &seen[nseen];
	enum host_id to = (enum host_id)(1 - ev->from);

	(void)ctx;
	ck_assert_uint_lt(nseen, MAX_SEEN);
	ck_assert_ptr_nonnull(ev->seg);
	if (ev->kind == PKT_SENT && (ev->seg->flags & TH_SYN))
		iss[ev->from] = ev->seg->seq;
	*e = (struct seen){
		.kind = ev->kind, .time_ns = ev->time_ns, .from = ev->from,
		.seq = ev->seg->seq - iss[ev->from],
		.ack = (ev->seg->flags & TH_ACK) ? ev->seg->ack - iss[to] : 0,
		.flags = ev->seg->flags, .len = ev->seg->len,
		.number = ev->verdict->number, .fate = ev->verdict->fate,
		.rule = ev->verdict->rule, .copy = ev->verdict->copy, .copies = ev->verdict->copies,
		.rule_delay_ns = ev->verdict->rule_delay_ns, .arrival_ns = ev->verdict->arrival_ns,
	};
	link_verdict_format(ev->link, ev->verdict, e->note, sizeof e->note);
	nseen++;
	return true;
}

static struct app_step steps[6];

/* 100 Mbit/s, 5 ms each way; client: connect, send n, close; server: sink. */
static void base(struct scenario *s, uint64_t n)
{
	scenario_defaults(s);
	s->link.a_to_b.rate_bps = s->link.b_to_a.rate_bps = 100000000;
	s->link.a_to_b.delay_ns = s->link.b_to_a.delay_ns = 5 * MS;
	steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = n };
	steps[2] = (struct app_step){ .kind = STEP_CLOSE };
	s->client.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = steps, .nsteps = 3 };
	s->server.app = (struct app_cfg){ .kind = APP_SINK };
	s->capture = CAPTURE_NONE;
	nseen = 0;
}

static struct world *run(struct scenario *s, struct summary *sum)
{
	struct world *w = world_new(s, 1);

	world_observe(w, &(struct observer){ .packet = record });
	world_run(w);
	summary_collect(sum, w);
	return w;
}

static void done(struct world *w, struct scenario *s)
{
	world_free(w);
	free(s->name);
}

/* The packet the observer saw: sent by `from` as its link's packet `number`, or its arrival. */
static const struct seen *find(enum pkt_event_kind kind, enum host_id from, uint64_t number,
			       uint32_t copy)
{
	for (size_t i = 0; i < nseen; i++)
		if (seen[i].kind == kind && seen[i].from == from && seen[i].number == number &&
		    seen[i].copy == copy)
			return &seen[i];
	ck_abort_msg("no packet %" PRIu64 " (copy %u) %s by the %s", number, copy,
		     kind == PKT_SENT ? "sent" : "arrived", from == HOST_CLIENT ? "client" : "server");
	return NULL;
}

static const struct seen *sent(enum host_id from, uint64_t number)
{
	return find(PKT_SENT, from, number, 0);
}

/* Serialization of an IP packet of len bytes at 100 Mbit/s, in ns. */
static uint64_t ser(uint64_t len)
{
	return (len * 8 * S + 100000000 - 1) / 100000000;
}

/* The SYN-ACK reaches the client at 2 * (5 ms + ser(48)): 10.007680 ms. */
#define HANDSHAKE_NS (2 * (5 * MS + 3840))

/*
 * "Drop the 3rd data segment and its first retransmission", 20 segments:
 * the client's packets are the SYN (1), the handshake ACK (2), then data
 * 1, 2, 3 ... so segment 3 is packet 5. Segments 4-10 arrive beyond the
 * hole; the third duplicate ACK (for segment 6) brings the fast retransmit
 * of segment 3 (RFC 5681 §3.2), its first retransmission, dropped too; the
 * RTO, restarted by that retransmission, resends it 1 s later (RFC 6298
 * (5.1); SRTT 10 ms gives the 1 s floor of (2.4)), and that one arrives.
 */
START_TEST(third_segment_and_its_fast_retransmit)
{
	static const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 3, .last = 3 },
		{ .action = RULE_DROP, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 3 },
	};
	/* The third duplicate ACK: segment 6 finishes at the handshake + ser(40) +
	 * 6 ser(1500) (segment 3 never took the wire), 5 ms on, ser(40) and 5 ms back. */
	const uint64_t fr_ns = HANDSHAKE_NS + ser(40) + 6 * ser(1500) + 5 * MS + ser(40) + 5 * MS;
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct seen *e;

	base(&s, 20 * 1460);
	s.link.a_to_b.rules = r;
	s.link.a_to_b.nrules = 2;
	w = run(&s, &sum);
	e = sent(HOST_CLIENT, 5);
	ck_assert_uint_eq(e->seq, 1 + 2 * 1460);
	ck_assert_uint_eq(e->len, 1460);
	ck_assert_uint_eq(e->time_ns, HANDSHAKE_NS);
	ck_assert_int_eq(e->fate, LINK_DROP_RULE);
	ck_assert_uint_eq(e->rule, 1);
	ck_assert_str_eq(e->note, "dropped by link: rule 1, drop: {data_segment: 3}");
	/* Packets 6-18 are segments 4-16; 19 is the fast retransmit. */
	e = sent(HOST_CLIENT, 19);
	ck_assert_uint_eq(fr_ns, 20734080);
	ck_assert_uint_eq(e->time_ns, fr_ns);
	ck_assert_uint_eq(e->seq, 1 + 2 * 1460);
	ck_assert_int_eq(e->fate, LINK_DROP_RULE);
	ck_assert_uint_eq(e->rule, 2);
	ck_assert_str_eq(e->note, "dropped by link: rule 2, drop: {retransmission: 1, "
			 "of_data_segment: 3}");
	/* Every other packet passed; the RTO's copy of segment 3 is packet 24. */
	for (uint64_t n = 1; n <= 25; n++)
		ck_assert_int_eq(sent(HOST_CLIENT, n)->fate,
				 n == 5 || n == 19 ? LINK_DROP_RULE : LINK_ACCEPTED);
	e = sent(HOST_CLIENT, 24);
	ck_assert_uint_eq(e->seq, 1 + 2 * 1460);
	ck_assert_uint_eq(e->time_ns, fr_ns + 1 * S);
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_CLIENT, 24, 0)->time_ns,
			  fr_ns + 1 * S + ser(1500) + 5 * MS);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].n, 2);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[0], 1);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[1], 1);
	ck_assert_uint_eq(sum.rules[HOST_SERVER].n, 0);
	ck_assert_uint_eq(sum.link[HOST_CLIENT].dropped, 2);
	ck_assert_uint_eq(sum.link[HOST_CLIENT].packets, 25);
	ck_assert_uint_eq(sum.host[HOST_CLIENT].tcp.fast_retransmits, 1);
	ck_assert_uint_eq(sum.host[HOST_CLIENT].tcp.rto_timeouts, 1);
	ck_assert_uint_eq(sum.host[HOST_SERVER].app.bytes_received, 20 * 1460);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/*
 * The last of 3 segments and its first retransmission: no duplicate ACK
 * can come, so the RTO repairs it. The client's FIN (packet 6) reaches the
 * server beyond the hole; the ACK it draws, of segment 2, arrives at A and
 * restarts the timer (RFC 6298 (5.3)); the RTO's retransmission (with the
 * FIN, 1 s later) is dropped; the doubled RTO (5.5) resends it 2 s after.
 */
START_TEST(last_segment_and_its_rto_retransmission)
{
	static const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 3, .last = 3 },
		{ .action = RULE_DROP, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 3 },
	};
	/* ACK, segments 1 and 2, the FIN on the wire; 5 ms; the ACK back. */
	const uint64_t a_ns = HANDSHAKE_NS + ser(40) + 2 * ser(1500) + ser(40) + 5 * MS +
			      ser(40) + 5 * MS;
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct seen *e;

	base(&s, 3 * 1460);
	s.link.a_to_b.rules = r;
	s.link.a_to_b.nrules = 2;
	w = run(&s, &sum);
	ck_assert_int_eq(sent(HOST_CLIENT, 5)->rule, 1);
	ck_assert_uint_eq(sent(HOST_CLIENT, 6)->flags, TH_ACK | TH_FIN);
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_SERVER, 3, 0)->ack, 1 + 2 * 1460);
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_SERVER, 3, 0)->time_ns, a_ns);
	e = sent(HOST_CLIENT, 7);
	ck_assert_uint_eq(e->seq, 1 + 2 * 1460);
	ck_assert_uint_eq(e->len, 1460);
	ck_assert_uint_eq(e->time_ns, a_ns + 1 * S);
	ck_assert_uint_eq(e->rule, 2);
	e = sent(HOST_CLIENT, 8);
	ck_assert_uint_eq(e->seq, 1 + 2 * 1460);
	ck_assert_uint_eq(e->time_ns, a_ns + 3 * S);
	ck_assert_int_eq(e->fate, LINK_ACCEPTED);
	ck_assert_uint_eq(sum.host[HOST_CLIENT].tcp.rto_timeouts, 2);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[0], 1);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[1], 1);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/*
 * Three 100-byte writes without Nagle; segments 2 and 3 dropped. After the
 * RTO the client resends bytes 101-301 in one packet: the first
 * retransmission of segment 2 and of segment 3 at once, so both rules
 * delay it (1 ms + 2 ms).
 */
START_TEST(retransmission_coalescing_two_segments)
{
	static const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 2, .last = 3 },
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 2, .delay_ns = 1 * MS },
		{ .action = RULE_DELAY, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 3, .delay_ns = 2 * MS },
	};
	/* Segment 1's ACK arrives after the ACK and segment 1 on the wire, 5 ms,
	 * ser(40), 5 ms: the timer restarts there (RFC 6298 (5.3)). */
	const uint64_t a_ns = HANDSHAKE_NS + ser(40) + ser(140) + 5 * MS + ser(40) + 5 * MS;
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct seen *e;

	base(&s, 100);
	steps[2] = steps[3] = steps[1];
	steps[4] = (struct app_step){ .kind = STEP_CLOSE };
	s.client.app.nsteps = 5;
	s.client.tcp.nagle = false;
	s.link.a_to_b.rules = r;
	s.link.a_to_b.nrules = 3;
	w = run(&s, &sum);
	ck_assert_int_eq(sent(HOST_CLIENT, 4)->rule, 1);
	ck_assert_int_eq(sent(HOST_CLIENT, 5)->rule, 1);
	ck_assert_uint_eq(sent(HOST_CLIENT, 6)->flags, TH_ACK | TH_FIN);
	e = sent(HOST_CLIENT, 7);
	ck_assert_uint_eq(e->time_ns, a_ns + 1 * S);
	ck_assert_uint_eq(e->seq, 101);
	ck_assert_uint_eq(e->len, 200);
	ck_assert_uint_eq(e->rule_delay_ns, 3 * MS);
	ck_assert_str_eq(e->note, "delayed +3 ms by a rule");
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_CLIENT, 7, 0)->time_ns,
			  a_ns + 1 * S + ser(240) + 5 * MS + 3 * MS);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[0], 2);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[1], 1);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[2], 1);
	ck_assert_uint_eq(sum.host[HOST_SERVER].app.bytes_received, 300);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/*
 * "Delay the SYN-ACK by 2 s". The client's SYN times out after the initial
 * RTO of 1 s (RFC 6298 (2.1)) and is resent at exactly 1 s: a SYN, not the
 * SYN-ACK. The server's own RTO resends its SYN-ACK at 1 s + 5.003840 ms,
 * and the resent SYN draws another at the same moment: syn_ack 2 and 3,
 * not delayed; the connection opens on the first of them. The delayed
 * original arrives at 2 s + 10.007680 ms, a stale duplicate.
 */
START_TEST(syn_ack_delayed_two_seconds)
{
	static const struct rule r[] = {
		{ .action = RULE_DELAY, .what = RC_SYN_ACK, .first = 1, .last = 1, .delay_ns = 2 * S },
	};
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct seen *e;

	base(&s, 1460);
	s.link.b_to_a.rules = r;
	s.link.b_to_a.nrules = 1;
	w = run(&s, &sum);
	e = sent(HOST_SERVER, 1);
	ck_assert_uint_eq(e->flags, TH_SYN | TH_ACK);
	ck_assert_uint_eq(e->rule_delay_ns, 2 * S);
	ck_assert_str_eq(e->note, "delayed +2000 ms by a rule");
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_SERVER, 1, 0)->time_ns, 2 * S + HANDSHAKE_NS);
	e = sent(HOST_CLIENT, 2);
	ck_assert_uint_eq(e->flags, TH_SYN);
	ck_assert_uint_eq(e->time_ns, 1 * S);
	for (uint64_t n = 2; n <= 3; n++) {
		e = sent(HOST_SERVER, n);
		ck_assert_uint_eq(e->flags, TH_SYN | TH_ACK);
		ck_assert_uint_eq(e->time_ns, 1 * S + 5 * MS + ser(48));
		ck_assert_uint_eq(e->rule_delay_ns, 0);
	}
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_SERVER, 2, 0)->time_ns, 1 * S + HANDSHAKE_NS);
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_SERVER, 3, 0)->time_ns,
			  1 * S + HANDSHAKE_NS + ser(48));
	ck_assert_uint_eq(sum.rules[HOST_SERVER].hits[0], 1);
	ck_assert_uint_eq(sum.host[HOST_CLIENT].tcp.retransmissions, 1);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/*
 * "Duplicate the 5th ACK three times", on the server's ACKs of 20
 * segments: its pure ACKs are packets 2-6, for segments 1, 3, 5, 7 and 9
 * (every second one, RFC 5681 §4.2), the 5th acknowledging segment 9's
 * end, byte 13141. The copies follow it on the wire,
 * one ser(40) apart, and are three duplicate ACKs to the client (RFC 5681
 * §2): it fast-retransmits segment 10, needlessly, on the third.
 */
START_TEST(fifth_pure_ack_duplicated_three_times)
{
	static const struct rule r[] = {
		{ .action = RULE_DUPLICATE, .what = RC_PURE_ACK, .first = 5, .last = 5, .times = 3 },
	};
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct seen *e;
	uint64_t at;

	base(&s, 20 * 1460);
	s.link.b_to_a.rules = r;
	s.link.b_to_a.nrules = 1;
	w = run(&s, &sum);
	e = sent(HOST_SERVER, 6);
	/* Segment 9 reaches the server at the handshake + ser(40) + 9 ser(1500) + 5 ms. */
	ck_assert_uint_eq(e->time_ns, HANDSHAKE_NS + ser(40) + 9 * ser(1500) + 5 * MS);
	ck_assert_uint_eq(e->ack, 1 + 9 * 1460);
	ck_assert_uint_eq(e->copies, 3);
	ck_assert_str_eq(e->note, "3 duplicates follow");
	at = e->time_ns + ser(40) + 5 * MS;
	ck_assert_uint_eq(find(PKT_ARRIVED, HOST_SERVER, 6, 0)->time_ns, at);
	for (uint32_t i = 1; i <= 3; i++) {
		const struct seen *c = find(PKT_ARRIVED, HOST_SERVER, 6, i);
		char note[32];

		ck_assert_uint_eq(c->time_ns, at + i * ser(40));
		ck_assert_uint_eq(c->ack, 1 + 9 * 1460);
		snprintf(note, sizeof note, "duplicate %u of 3", i);
		ck_assert_str_eq(c->note, note);
	}
	/* The fast retransmit, on the third copy. */
	e = sent(HOST_CLIENT, 23);
	ck_assert_uint_eq(e->seq, 1 + 9 * 1460);
	ck_assert_uint_eq(e->time_ns, at + 3 * ser(40));
	ck_assert_uint_eq(sum.host[HOST_CLIENT].tcp.fast_retransmits, 1);
	ck_assert_uint_eq(sum.host[HOST_CLIENT].tcp.dupacks_received, 3);
	ck_assert_uint_eq(sum.link[HOST_SERVER].duplicated, 3);
	ck_assert_uint_eq(sum.link[HOST_SERVER].delivered, sum.link[HOST_SERVER].packets + 3);
	ck_assert_uint_eq(sum.host[HOST_CLIENT].net.packets_received,
			  sum.link[HOST_SERVER].packets + 3);
	ck_assert_uint_eq(sum.rules[HOST_SERVER].hits[0], 1);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/*
 * The SYN and the final handshake ACK lost: the SYN is resent after the
 * initial RTO, 1 s (RFC 6298 (2.1)); the lost ACK is not resent, and the
 * client's first data segment, which carries the same ACK, completes the
 * server's handshake (RFC 9293 §3.10.7.4, SYN-RECEIVED).
 */
START_TEST(lost_syn_and_lost_handshake_ack)
{
	static const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_HANDSHAKE_ACK, .first = 1, .last = 1 },
		{ .action = RULE_DROP, .what = RC_SYN, .first = 1, .last = 1 },
	};
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct seen *e;

	base(&s, 3 * 1460);
	s.link.a_to_b.rules = r;
	s.link.a_to_b.nrules = 2;
	w = run(&s, &sum);
	ck_assert_uint_eq(sent(HOST_CLIENT, 1)->rule, 2);
	e = sent(HOST_CLIENT, 2);
	ck_assert_uint_eq(e->flags, TH_SYN);
	ck_assert_uint_eq(e->time_ns, 1 * S);
	ck_assert_int_eq(e->fate, LINK_ACCEPTED);
	e = sent(HOST_CLIENT, 3);
	ck_assert_uint_eq(e->flags, TH_ACK);
	ck_assert_uint_eq(e->len, 0);
	ck_assert_uint_eq(e->time_ns, 1 * S + HANDSHAKE_NS);
	ck_assert_uint_eq(e->rule, 1);
	/* Segment 1 arrives: its ACK is the server's first, of segment 1. */
	e = sent(HOST_SERVER, 2);
	ck_assert_uint_eq(e->time_ns, 1 * S + HANDSHAKE_NS + ser(1500) + 5 * MS);
	ck_assert_uint_eq(e->ack, 1461);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[0], 1);
	ck_assert_uint_eq(sum.rules[HOST_CLIENT].hits[1], 1);
	ck_assert_uint_eq(sum.host[HOST_SERVER].app.bytes_received, 3 * 1460);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/* "Drop every ACK between 15.2 ms and 15.9 ms": the server's packets sent then. */
START_TEST(acks_in_a_time_window)
{
	static const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_ACK, .first = 1, .last = RULE_ALL,
		  .from_ns = 15200 * NS_PER_US, .to_ns = 15900 * NS_PER_US },
	};
	struct scenario s;
	struct summary sum;
	struct world *w;
	uint64_t in_window = 0;

	base(&s, 20 * 1460);
	s.link.b_to_a.rules = r;
	s.link.b_to_a.nrules = 1;
	w = run(&s, &sum);
	for (size_t i = 0; i < nseen; i++) {
		const struct seen *e = &seen[i];
		bool in = e->time_ns >= r[0].from_ns && e->time_ns < r[0].to_ns;

		if (e->kind != PKT_SENT || e->from != HOST_SERVER)
			continue;
		ck_assert_int_eq(e->fate, in ? LINK_DROP_RULE : LINK_ACCEPTED);
		in_window += in;
	}
	/* The ACKs of segments 3, 5 and 7 (packets 3-5), every 240 us from 15.370880 ms. */
	ck_assert_uint_eq(in_window, 3);
	ck_assert_uint_eq(sent(HOST_SERVER, 3)->time_ns, HANDSHAKE_NS + ser(40) + 3 * ser(1500) +
			  5 * MS);
	ck_assert_uint_eq(sent(HOST_SERVER, 3)->time_ns, 15370880);
	ck_assert_uint_eq(sent(HOST_SERVER, 2)->time_ns, 15370880 - 2 * ser(1500));
	ck_assert_uint_eq(sent(HOST_SERVER, 6)->time_ns, 15370880 + 6 * ser(1500));
	ck_assert_int_eq(sent(HOST_SERVER, 5)->fate, LINK_DROP_RULE);
	ck_assert_int_eq(sent(HOST_SERVER, 6)->fate, LINK_ACCEPTED);
	ck_assert_uint_eq(sum.rules[HOST_SERVER].hits[0], 3);
	ck_assert_uint_eq(sum.link[HOST_SERVER].dropped, 3);
	ck_assert(sum.host[HOST_SERVER].app.data_intact);
	done(w, &s);
}
END_TEST

/* What out(f, sum) writes, in *buf (malloc'ed). */
static void output_of(void (*out)(FILE *, const struct summary *), const struct summary *sum,
		      char **buf)
{
	size_t len = 0;
	FILE *f;

	*buf = NULL;
	f = open_memstream(buf, &len);
	ck_assert_ptr_nonnull(f);
	out(f, sum);
	fclose(f);
}

/*
 * The summary: each direction's rules with their hits, in the JSON (only
 * the rules it has), the text and expect:.
 */
START_TEST(summary_counts_each_rule)
{
	static const struct rule r[] = {
		{ .action = RULE_DROP, .what = RC_DATA_SEGMENT, .first = 3, .last = 3 },
		{ .action = RULE_DROP, .what = RC_RETRANSMISSION, .first = 1, .last = 1,
		  .of_data_segment = 3 },
	};
	struct scenario s;
	struct summary sum;
	struct world *w;
	char *json, *text = NULL;
	const char *back;
	size_t len = 0;
	FILE *f;
	struct scn_expect x[] = {
		{ .key = "link.client_to_server.rules.2.hits", .op = EXPECT_EQ,
		  .type = EXPECT_NUMBER, .number = 1, .loc = { 9, 3 } },
		{ .key = "link.client_to_server.rules.1.rule", .op = EXPECT_EQ,
		  .type = EXPECT_STRING, .string = "drop: {data_segment: 3}", .loc = { 10, 3 } },
		{ .key = "link.client_to_server.rules.3.hits", .op = EXPECT_EQ,
		  .type = EXPECT_NUMBER, .number = 0, .loc = { 11, 3 } },
		{ .key = "link.server_to_client.rules.1.hits", .op = EXPECT_GE,
		  .type = EXPECT_NUMBER, .number = 0, .loc = { 12, 3 } },
	};

	base(&s, 20 * 1460);
	s.link.a_to_b.rules = r;
	s.link.a_to_b.nrules = 2;
	w = run(&s, &sum);
	output_of(report_json, &sum, &json);
	ck_assert_ptr_nonnull(strstr(json,
		"    \"client_to_server\": {\n"
		"      \"packets\": 25,\n"
		"      \"dropped\": 2,\n"
		"      \"queue_drops\": 0,\n"
		"      \"reordered\": 0,\n"
		"      \"duplicated\": 0,\n"
		"      \"corrupted\": 0,\n"
		"      \"ce_marked\": 0,\n"
		"      \"rule_drops\": 2,\n"
		"      \"drop_list_drops\": 0,\n"
		"      \"blackout_drops\": 0,\n"
		"      \"loss_drops\": 0,\n"
		"      \"jittered\": 0,\n"
		"      \"rules\": {\n"
		"        \"1\": {\n"
		"          \"rule\": \"drop: {data_segment: 3}\",\n"
		"          \"hits\": 1\n"
		"        },\n"
		"        \"2\": {\n"
		"          \"rule\": \"drop: {retransmission: 1, of_data_segment: 3}\",\n"
		"          \"hits\": 1\n"
		"        }\n"
		"      }\n"
		"    },\n"
		"    \"server_to_client\": {\n"));
	/* The other direction has none: no "rules" there. */
	back = strstr(json, "\"server_to_client\"");
	ck_assert_ptr_nonnull(back);
	ck_assert_ptr_null(strstr(back, "rules"));
	free(json);

	output_of(report_text, &sum, &text);
	ck_assert_ptr_nonnull(strstr(text,
		"  link client->server: 25 packets, 2 dropped, 0 queue drops\n"
		"    rule 1  drop: {data_segment: 3}  hit 1 packet\n"
		"    rule 2  drop: {retransmission: 1, of_data_segment: 3}  hit 1 packet\n"
		"  link server->client: "));
	free(text);

	s.file = (char *)"t.yaml";
	s.expect = x;
	s.nexpect = 4;
	text = NULL;
	f = open_memstream(&text, &len);
	ck_assert_int_eq(report_check(&s, &sum, f), 2);
	fclose(f);
	ck_assert_str_eq(text,
		"t.yaml:11:3: expect link.client_to_server.rules.3.hits == 0 failed: no such rule; "
		"this direction has 2\n"
		"t.yaml:12:3: expect link.server_to_client.rules.1.hits >= 0 failed: no such rule; "
		"this direction has 0\n");
	free(text);
	s.expect = NULL;
	s.nexpect = 0;
	s.file = NULL;
	done(w, &s);
}
END_TEST

static void add_world_tests(TCase *tc)
{
	tcase_add_test(tc, third_segment_and_its_fast_retransmit);
	tcase_add_test(tc, last_segment_and_its_rto_retransmission);
	tcase_add_test(tc, retransmission_coalescing_two_segments);
	tcase_add_test(tc, syn_ack_delayed_two_seconds);
	tcase_add_test(tc, fifth_pure_ack_duplicated_three_times);
	tcase_add_test(tc, lost_syn_and_lost_handshake_ack);
	tcase_add_test(tc, acks_in_a_time_window);
	tcase_add_test(tc, summary_counts_each_rule);
}

int main(void)
{
	Suite *su = suite_create("rules");
	TCase *tc = tcase_create("classify");
	int failed;
	SRunner *sr;

	tcase_add_test(tc, client_direction_classes);
	tcase_add_test(tc, server_direction_classes);
	tcase_add_test(tc, sequence_wrap_around);
	tcase_add_test(tc, second_connection_starts_a_new_sequence_space);
	tcase_add_test(tc, rules_apply_in_order_until_a_drop);
	tcase_add_test(tc, time_window_is_half_open);
	tcase_add_test(tc, packet_range_by_number);
	tcase_add_test(tc, copies_take_the_wire_and_the_drop_list_counts_as_before);
	tcase_add_test(tc, copies_fill_the_queue);
	tcase_add_test(tc, a_segment_owns_only_its_new_bytes);
	suite_add_tcase(su, tc);
	tc = tcase_create("text");
	tcase_add_test(tc, rule_text_reads_back_as_written);
	tcase_add_test(tc, rule_check_refuses_what_rules_new_cannot_take);
	tcase_add_test(tc, yaml_reads_like_the_sentence);
	tcase_add_loop_test(tc, yaml_errors_are_located, 0, sizeof BAD / sizeof BAD[0]);
	tcase_add_test(tc, yaml_at_most_sixteen_rules);
	suite_add_tcase(su, tc);
	tc = tcase_create("world");
	add_world_tests(tc);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
