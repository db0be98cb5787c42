/*
 * check_sack: SACK (RFC 2018, RFC 2883), RFC 6675 loss recovery and PRR
 * (RFC 6937), packetdrill style (see tests/tcp_harness.h).
 *
 * Groups: negotiation (the SYN options and their byte layout), the
 * receiver's blocks (ordering, recency, the 3-vs-4 limit, D-SACK), the
 * sender's scoreboard (IsLost, NextSeg in given scoreboards), a scripted
 * recovery with pipe after every ACK and every segment and its instant,
 * the RTO that keeps the scoreboard, PRR's sndcnt per ACK, and RFC 6937
 * §3.1's example tables, for PRR and for RFC 6675, ACK by ACK.
 *
 * Conventions (tests/tcp_testdefs.h): our ISS 1000, the peer's 5000; S(off) and
 * P(off) are the sequence numbers of byte off of our stream and the
 * peer's. A client handshake ends at T = 100 ms. MTU 1500, MSS 1460.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_harness.h"

static struct tcp_cfg sack_cfg(void)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.sack = true;
	return cfg;
}

static struct harness *sack_client(const struct tcp_cfg *cfg, const struct h_peer *peer)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_client(h, peer, T);
	return h;
}

/* ====================================================================
 * Negotiation: RFC 2018 §2, SACK-permitted "may be sent in a SYN ... MUST
 * NOT be sent on non-SYN segments"; in use only when both SYNs carry it.
 * ==================================================================== */

static const struct nego_case {
	const char *name;
	bool server;                 /* we are the passive side */
	bool ours, peers;            /* cfg.sack, the peer's SYN(-ACK) offers it */
	bool want_ok;
} NEGOS[] = {
	{ "client, both", false, true, true, true },
	{ "client, peer does not", false, true, false, false },
	{ "client, we do not", false, false, true, false },
	{ "server, both", true, true, true, true },
	{ "server, peer does not", true, true, false, false },
	{ "server, we do not", true, false, true, false },
};

START_TEST(test_negotiation)
{
	const struct nego_case *c = &NEGOS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h;

	cfg.sack = c->ours;
	peer.sack = c->peers;
	h = h_new(&cfg, MTU, ISS);
	/* The handshake helpers assert that our SYN carries SACK-permitted
	 * iff cfg.sack, and our SYN-ACK iff both. */
	if (c->server)
		h_established_server(h, &peer, 0, T);
	else
		h_established_client(h, &peer, T);
	ck_assert_msg(tcp_sack_in_use(h->ep) == c->want_ok, "%s", c->name);
	h_free(h);
}
END_TEST

/*
 * The SYN's options as Linux lays them out with timestamps and window
 * scale: MSS, SACK-permitted, timestamps, NOP, window scale (20 bytes);
 * without timestamps MSS, NOP, NOP, SACK-permitted, NOP, window scale.
 */
START_TEST(test_syn_layout)
{
	static const uint8_t WITH_TS[] = {
		0x02, 0x04, 0x05, 0xb4, 0x04, 0x02, 0x08, 0x0a,
		0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x03, 0x03, 0x02,
	};
	static const uint8_t NO_TS[] = {
		0x02, 0x04, 0x05, 0xb4, 0x01, 0x01, 0x04, 0x02, 0x01, 0x03, 0x03, 0x02,
	};
	for (int ts = 0; ts < 2; ts++) {
		struct tcp_cfg cfg = sack_cfg();
		struct harness *h;
		struct tcp_seg syn;
		uint8_t pkt[100];
		size_t n;
		const uint8_t *want = ts ? WITH_TS : NO_TS;
		size_t want_len = ts ? sizeof(WITH_TS) : sizeof(NO_TS);

		cfg.timestamps = ts;
		h = h_new(&cfg, MTU, ISS);
		h_connect(h);
		syn = h_expect_tx_mask(h, 0, SEND(.flags = TH_SYN), HF_FLAGS);
		n = wire_encode(&syn, pkt, sizeof(pkt));
		ck_assert_uint_eq(n, 40 + want_len);
		ck_assert_uint_eq(pkt[32] >> 4, (20 + want_len) / 4);
		for (size_t i = 0; i < want_len; i++) {
			if (ts && i >= 8 && i < 16)
				continue;    /* TSval and TSecr */
			ck_assert_uint_eq(pkt[40 + i], want[i]);
		}
		h_free(h);
	}
}
END_TEST

/* ====================================================================
 * Receiver: RFC 2018 §4 and RFC 2883 §4. The peer plays the sender: it
 * sends 1000-byte segments at the offsets given; every segment is answered
 * at once (delayed ACK off) and the ACK's blocks are asserted exactly.
 * ==================================================================== */

#define MAXB 4
struct arrival {
	uint32_t off, len;
	uint32_t ack;                /* the ACK number, as an offset of the peer's stream */
	int nblk;
	uint32_t blk[MAXB][2];       /* offsets, left and right */
};

static const struct rcv_case {
	const char *name;
	bool ts;
	int n;
	struct arrival a[8];
} RCVS[] = {
	{ "first block is the newest; the rest by recency", false, 5, {
		{ 1000, 1000, 0, 1, { { 1000, 2000 } } },
		{ 3000, 1000, 0, 2, { { 3000, 4000 }, { 1000, 2000 } } },
		{ 5000, 1000, 0, 3, { { 5000, 6000 }, { 3000, 4000 }, { 1000, 2000 } } },
		/* joins the first two islands: one block, reported first */
		{ 2000, 1000, 0, 2, { { 1000, 4000 }, { 5000, 6000 } } },
		{ 7000, 1000, 0, 3, { { 7000, 8000 }, { 1000, 4000 }, { 5000, 6000 } } },
	} },
	{ "four blocks without timestamps", false, 6, {
		{ 1000, 1000, 0, 1, { { 1000, 2000 } } },
		{ 3000, 1000, 0, 2, { { 3000, 4000 }, { 1000, 2000 } } },
		{ 5000, 1000, 0, 3, { { 5000, 6000 }, { 3000, 4000 }, { 1000, 2000 } } },
		{ 7000, 1000, 0, 4, { { 7000, 8000 }, { 5000, 6000 }, { 3000, 4000 }, { 1000, 2000 } } },
		/* a fifth island: the oldest report drops out */
		{ 9000, 1000, 0, 4, { { 9000, 10000 }, { 7000, 8000 }, { 5000, 6000 }, { 3000, 4000 } } },
		/* data beside the forgotten one brings it back first */
		{ 2000, 500, 0, 4, { { 1000, 2500 }, { 9000, 10000 }, { 7000, 8000 }, { 5000, 6000 } } },
	} },
	{ "three blocks beside timestamps", true, 4, {
		{ 1000, 1000, 0, 1, { { 1000, 2000 } } },
		{ 3000, 1000, 0, 2, { { 3000, 4000 }, { 1000, 2000 } } },
		{ 5000, 1000, 0, 3, { { 5000, 6000 }, { 3000, 4000 }, { 1000, 2000 } } },
		{ 7000, 1000, 0, 3, { { 7000, 8000 }, { 5000, 6000 }, { 3000, 4000 } } },
	} },
	{ "the hole filled: acknowledged blocks go", false, 4, {
		{ 1000, 1000, 0, 1, { { 1000, 2000 } } },
		{ 3000, 1000, 0, 2, { { 3000, 4000 }, { 1000, 2000 } } },
		{ 0, 1000, 2000, 1, { { 3000, 4000 } } },
		{ 2000, 1000, 4000, 0, { { 0 } } },
	} },
	{ "D-SACK of a duplicate below RCV.NXT", false, 4, {
		{ 0, 1000, 1000, 0, { { 0 } } },
		{ 2000, 1000, 1000, 1, { { 2000, 3000 } } },
		{ 0, 1000, 1000, 2, { { 0, 1000 }, { 2000, 3000 } } },
		/* reported once */
		{ 4000, 1000, 1000, 2, { { 4000, 5000 }, { 2000, 3000 } } },
	} },
	{ "D-SACK of a duplicate within an island", false, 4, {
		{ 2000, 1000, 0, 1, { { 2000, 3000 } } },
		{ 3000, 1000, 0, 1, { { 2000, 4000 } } },
		{ 5000, 1000, 0, 2, { { 5000, 6000 }, { 2000, 4000 } } },
		/* RFC 2883 §4 (2): the duplicate, then the island holding it */
		{ 3000, 1000, 0, 3, { { 3000, 4000 }, { 2000, 4000 }, { 5000, 6000 } } },
	} },
	{ "D-SACK of the part received before", false, 2, {
		{ 0, 1000, 1000, 0, { { 0 } } },
		{ 500, 1000, 1500, 1, { { 500, 1000 } } },
	} },
};

START_TEST(test_receiver_blocks)
{
	const struct rcv_case *c = &RCVS[_i];
	struct tcp_cfg cfg = sack_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h;

	cfg.timestamps = c->ts;
	peer.ts = c->ts;
	h = sack_client(&cfg, &peer);
	for (int k = 0; k < c->n; k++) {
		const struct arrival *a = &c->a[k];
		uint64_t at = MS(200) + MS(k);
		struct tcp_seg got;

		h_inject(h, at, SEND(.seq = P(a->off), .ack = S(0), .len = a->len,
				     .opt = { .has_ts = c->ts, .ts_val = 200 + (uint32_t)k }));
		got = h_expect_tx_mask(h, at, SEND(.seq = S(0), .ack = P(a->ack)),
				       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
		ck_assert_msg(got.opt.nsack == a->nblk, "%s: arrival %d: %u blocks, want %d",
			      c->name, k, got.opt.nsack, a->nblk);
		for (int b = 0; b < a->nblk; b++) {
			ck_assert_uint_eq(got.opt.sack[b].left, P(a->blk[b][0]));
			ck_assert_uint_eq(got.opt.sack[b].right, P(a->blk[b][1]));
		}
		/* What the wire carries: the encoder keeps every block. */
		{
			uint8_t pkt[1600];
			struct tcp_seg back;
			size_t n = wire_encode(&got, pkt, sizeof(pkt));

			ck_assert_uint_gt(n, 0);
			ck_assert_uint_le(n, MTU);
			ck_assert_int_eq(wire_decode(pkt, n, &back), WIRE_OK);
			ck_assert_uint_eq(back.opt.nsack, got.opt.nsack);
		}
		h_expect_no_tx(h);
	}
	h_free(h);
}
END_TEST

/*
 * RFC 9293 §3.10.7.4: segments within the window beyond RCV.NXT are "held
 * for later processing", however many holes lie between them. The peer
 * sends 40 segments of 100 bytes with a 100-byte hole before each (more
 * islands than any fixed table would hold, as when a queue drops every
 * third segment of a burst), then fills the holes in order. With SACK,
 * each ACK's first block is the island just received (RFC 2018 §4); with
 * or without, each fill acknowledges up to the next hole, and the last
 * everything: no island was thrown away.
 */
#define NISLANDS 40

START_TEST(test_receiver_many_islands)
{
	bool sack = _i == 0;
	struct tcp_cfg cfg = h_default_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h;
	uint64_t at = MS(200);

	cfg.sack = sack;
	peer.sack = sack;
	h = sack_client(&cfg, &peer);
	for (uint32_t k = 0; k < NISLANDS; k++, at += MS(1)) {
		struct tcp_seg got;

		h_inject(h, at, SEND(.seq = P(200 * k + 100), .ack = S(0), .len = 100));
		got = h_expect_tx_mask(h, at, SEND(.seq = S(0), .ack = P(0)),
				       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
		ck_assert_uint_eq(got.opt.nsack, sack ? (k < 4 ? k + 1 : 4) : 0);
		if (sack) {
			ck_assert_uint_eq(got.opt.sack[0].left, P(200 * k + 100));
			ck_assert_uint_eq(got.opt.sack[0].right, P(200 * k + 200));
		}
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(h->ep->stats.ooo_segments_received, NISLANDS);
	for (uint32_t k = 0; k < NISLANDS; k++, at += MS(1)) {
		struct tcp_seg got;
		uint32_t left = NISLANDS - 1 - k;

		h_inject(h, at, SEND(.seq = P(200 * k), .ack = S(0), .len = 100));
		got = h_expect_tx_mask(h, at, SEND(.seq = S(0), .ack = P(200 * k + 200)),
				       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
		/* the islands still held, the most recently received first */
		ck_assert_uint_eq(got.opt.nsack, sack ? (left < 4 ? left : 4) : 0);
		for (uint32_t b = 0; b < got.opt.nsack; b++) {
			ck_assert_uint_eq(got.opt.sack[b].left, P(200 * (NISLANDS - 1 - b) + 100));
			ck_assert_uint_eq(got.opt.sack[b].right, P(200 * (NISLANDS - 1 - b) + 200));
		}
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(h->ep->nooo, 0);
	h_expect_read(h, 200 * NISLANDS);
	h_free(h);
}
END_TEST

/*
 * A FIN ends the peer's stream (RFC 9293 §3.10.7.4, "eighth, check the FIN
 * bit"): an island a broken peer sent beyond it is dropped when the FIN is
 * accepted, and the FIN's ACK carries no SACK block (RFC 2018 §4 reports
 * data held in the receiver's queue, and there is none beyond the FIN).
 */
START_TEST(test_receiver_island_beyond_fin)
{
	struct tcp_cfg cfg = sack_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h = sack_client(&cfg, &peer);
	struct tcp_seg got;

	h_inject(h, MS(200), SEND(.seq = P(2000), .ack = S(0), .len = 1000));
	got = h_expect_tx_mask(h, MS(200), SEND(.seq = S(0), .ack = P(0)),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 1);
	ck_assert_uint_eq(got.opt.sack[0].left, P(2000));
	ck_assert_uint_eq(got.opt.sack[0].right, P(3000));
	h_inject(h, MS(201), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(0), .len = 1000));
	got = h_expect_tx_mask(h, MS(201), SEND(.seq = S(0), .ack = P(1000) + 1),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 0);
	ck_assert_uint_eq(h->ep->nooo, 0);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/*
 * RFC 2883 §4 reports an old duplicate as a D-SACK block, below the ACK
 * field. A segment 2^31 away sits where RFC 9293 §3.4's comparisons break
 * down: 10 bytes and a FIN whose end, FIN counted, is RCV.NXT + 2^31 are
 * taken as old (answered with an ACK), but the text alone ends just ahead
 * of RCV.NXT, so it is no duplicate to report: the ACK carries no block. A
 * duplicate wholly behind RCV.NXT still gets its D-SACK.
 */
START_TEST(test_dsack_half_space)
{
	static const uint8_t text[10];
	struct tcp_cfg cfg = sack_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h = sack_client(&cfg, &peer);
	struct tcp_seg got;
	uint32_t far = P(0) + 0x80000000u - 11;

	h_inject(h, MS(200), SEND(.flags = TH_ACK | TH_FIN, .seq = far, .ack = S(0), .len = 10,
				  .payload = text));
	got = h_expect_tx_mask(h, MS(200), SEND(.seq = S(0), .ack = P(0)),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 0);
	h_inject(h, MS(201), SEND(.seq = P(0) - 10, .ack = S(0), .len = 10, .payload = text));
	got = h_expect_tx_mask(h, MS(201), SEND(.seq = S(0), .ack = P(0)),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 1);
	ck_assert_uint_eq(got.opt.sack[0].left, P(0) - 10);
	ck_assert_uint_eq(got.opt.sack[0].right, P(0));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/*
 * The window reopens while data is outstanding and nothing can leave: a
 * peer that SACKs all it has not yet acknowledged, and reopens its window
 * to exactly what is outstanding. The persist timer stops, and the
 * retransmission timer watches the data again (RFC 6298 (5.1)), so the
 * connection does not stall. S(0) .. S(2) at T; at T + 100 ms an ACK of
 * nothing with a zero window; 1000 more bytes wait, and the persist timer,
 * not the retransmission timer, runs; at T + 150 ms the same ACK SACKs all
 * three. At T + 200 ms
 * the window is 4380 again: the RTO restarts, and at T + 1.2 s resends
 * S(0), SACKed or not (RFC 2018 §8: the segment at the left edge goes
 * after a timeout "whether or not the SACKed bit is on").
 */
START_TEST(test_window_reopen_keeps_rexmt)
{
	struct tcp_cfg cfg = sack_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h = sack_client(&cfg, &peer);
	struct tcp_seg s = { SEND_TEMPL, .seq = P(0), .ack = S(0), .wnd = 0 };

	ck_assert_uint_eq(h_send(h, 3 * MSS), 3 * MSS);
	ck_assert_uint_eq(h_discard_tx(h), 3);
	h_inject(h, T + MS(100), &s);
	ck_assert_uint_eq(h_send(h, 1000), 1000);
	h_expect_no_tx(h);
	ck_assert(timer_armed(&h->ep->persist_timer));
	ck_assert(!timer_armed(&h->ep->rexmt_timer));
	s.opt.nsack = 1;
	s.opt.sack[0].left = S(0);
	s.opt.sack[0].right = S(3 * MSS);
	h_inject(h, T + MS(150), &s);
	h_expect_no_tx(h);
	s.wnd = 3 * MSS;
	h_inject(h, T + MS(200), &s);
	h_expect_no_tx(h);
	ck_assert(!timer_armed(&h->ep->persist_timer));
	ck_assert(timer_armed(&h->ep->rexmt_timer));
	ck_assert_uint_eq(h->ep->rexmt_timer.when_ns, T + MS(1200));
	h_run_until(h, T + MS(1200));
	h_expect_tx_mask(h, T + MS(1200), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_free(h);
}
END_TEST

/*
 * RFC 6691 §2: "the sender MUST reduce the TCP data length to account for
 * any IP or TCP options that it is including": the peer's MSS (536 here,
 * under the 1460 the MTU allows) bounds payload and options together. With
 * an island held, a 536-byte data segment has no room for a SACK block and
 * carries none; a 100-byte one carries it (2 NOPs and 10 bytes).
 */
START_TEST(test_blocks_within_peer_mss)
{
	struct tcp_cfg cfg = sack_cfg();
	struct h_peer peer = PEER_SACK;
	struct harness *h;
	struct tcp_seg got;
	uint8_t pkt[1600];

	peer.mss = 536;
	h = sack_client(&cfg, &peer);
	h_inject(h, MS(200), SEND(.seq = P(1000), .ack = S(0), .len = 500));
	got = h_expect_tx_mask(h, MS(200), SEND(.seq = S(0), .ack = P(0)),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 1);
	ck_assert_uint_eq(h_send(h, 636), 636);
	got = h_expect_tx_mask(h, MS(200), SEND(.seq = S(0), .ack = P(0), .len = 536),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 0);
	ck_assert_uint_eq(wire_encode(&got, pkt, sizeof(pkt)), 40 + 536);
	got = h_expect_tx_mask(h, MS(200), SEND(.flags = TH_ACK | TH_PSH, .seq = S(536), .ack = P(0), .len = 100),
			       HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN);
	ck_assert_uint_eq(got.opt.nsack, 1);
	ck_assert_uint_eq(got.opt.sack[0].left, P(1000));
	ck_assert_uint_eq(got.opt.sack[0].right, P(1500));
	ck_assert_uint_eq(wire_encode(&got, pkt, sizeof(pkt)), 40 + 12 + 100);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Sender: the scene. A client at T with 40000 bytes queued sends its
 * initial window of 10 segments (S(0) .. S(14600)) at T; the peer answers
 * with ACKs of S(0) carrying the SACK blocks a test gives.
 * ==================================================================== */

#define QUEUED 40000u

static struct harness *sack_sender(struct tcp_cfg *cfg)
{
	struct harness *h = sack_client(cfg, &PEER_SACK);

	ck_assert_uint_eq(h_send(h, QUEUED), QUEUED);
	for (int k = 0; k < (int)(cfg->initial_cwnd); k++)
		h_expect_tx_mask(h, T, SEND(.seq = S(SEG(k)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	return h;
}

/* An ACK of S(ack_seg) with blocks of whole segments [from, to). */
struct blk { int from, to; };

static uint16_t peer_wnd = 65535;    /* the window field of peer_sack's ACKs */

static void peer_sack(struct harness *h, uint64_t at, int ack_seg, const struct blk *b, int n)
{
	struct tcp_seg s = { SEND_TEMPL, .seq = P(0), .ack = S(SEG(ack_seg)), .wnd = peer_wnd };

	s.opt.nsack = (uint8_t)n;
	for (int i = 0; i < n; i++) {
		s.opt.sack[i].left = S(SEG(b[i].from));
		s.opt.sack[i].right = S(SEG(b[i].to));
	}
	h_inject(h, at, &s);
}

/*
 * RFC 6675 §4 IsLost(SeqNum): true "when either DupThresh discontiguous
 * SACKed sequences have arrived above 'SeqNum' or more than (DupThresh - 1)
 * * SMSS bytes with sequence numbers greater than 'SeqNum' have been
 * SACKed". Asked of S(0) with limited transmit off (nothing new leaves).
 */
static const struct islost_case {
	const char *name;
	int n;
	uint32_t blk[3][2];          /* byte offsets */
	bool want;
} ISLOSTS[] = {
	{ "one segment above", 1, { { SEG(1), SEG(2) } }, false },
	{ "two segments above", 1, { { SEG(1), SEG(3) } }, false },
	{ "three segments above", 1, { { SEG(1), SEG(4) } }, true },
	{ "three apart", 3, { { SEG(6), SEG(7) }, { SEG(4), SEG(5) }, { SEG(2), SEG(3) } }, true },
	/* partly SACKed segments are split: three SACKed pieces */
	{ "2 SMSS in three pieces", 1, { { SEG(1) + 100, SEG(3) + 100 } }, true },
	/* 2 * SMSS bytes exactly: not "more than" */
	{ "two segments, 2 SMSS exactly", 2, { { SEG(4), SEG(5) }, { SEG(2), SEG(3) } }, false },
};

START_TEST(test_is_lost)
{
	const struct islost_case *c = &ISLOSTS[_i];
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;
	struct tcp_seg s = { SEND_TEMPL };

	cfg.limited_transmit = false;
	h = sack_sender(&cfg);
	s.seq = P(0);
	s.ack = S(0);
	s.opt.nsack = (uint8_t)c->n;
	for (int i = 0; i < c->n; i++) {
		s.opt.sack[i].left = S(c->blk[i][0]);
		s.opt.sack[i].right = S(c->blk[i][1]);
	}
	h_inject(h, MS(200), &s);
	ck_assert_msg(tcp_sack_is_lost(h->ep, 0) == c->want, "%s", c->name);
	h_free(h);
}
END_TEST

/*
 * RFC 6675 §4 NextSeg() in given scoreboards, asked after the ACK (no
 * recovery: limited transmit off and fewer than DupThresh DupAcks, or
 * with the rules' conditions set up by hand where the RFC's variables say).
 */
static const struct nextseg_case {
	const char *name;
	int nblk;
	struct blk blk[3];
	uint64_t high_rxt;           /* RFC 6675 HighRxt, one past */
	bool rescue_done;
	uint32_t peer_wnd;           /* 65535, or the window so far used */
	int want_rule;
	uint64_t want_start, want_end;
} NEXTSEGS[] = {
	/* (1): S(0) is lost (3 SACKed above) */
	{ "rule 1: the first lost hole", 1, { { 1, 4 } }, 0, false, 65535, 1, SEG(0), SEG(1) },
	/* (1) past HighRxt: S(0) resent, S(4) lost too (S5..S7 SACKed) */
	{ "rule 1: above HighRxt", 2, { { 5, 8 }, { 1, 4 } }, SEG(1), false, 65535, 1, SEG(4), SEG(5) },
	/* (2): nothing lost, new data allowed */
	{ "rule 2: new data", 1, { { 1, 2 } }, 0, false, 65535, 2, SEG(10), SEG(10) },
	/* (3): the window is full; S(0) is below a SACK but not lost */
	{ "rule 3: not lost, below a SACK", 1, { { 1, 2 } }, 0, false, 14600, 3, SEG(0), SEG(1) },
	/* (3) past HighRxt */
	{ "rule 3: above HighRxt", 1, { { 3, 4 } }, SEG(1), false, 14600, 3, SEG(1), SEG(2) },
	/* (4): everything below the highest SACK resent: the rescue takes
	 * the highest unSACKed segment */
	{ "rule 4: rescue", 1, { { 1, 2 } }, SEG(2), false, 14600, 4, SEG(9), SEG(10) },
	{ "rule 4: once", 1, { { 1, 2 } }, SEG(2), true, 14600, 0, 0, 0 },
};

START_TEST(test_next_seg)
{
	const struct nextseg_case *c = &NEXTSEGS[_i];
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;
	uint64_t start = 99, end = 99;
	int rule = -1;
	bool any;

	cfg.limited_transmit = false;
	h = sack_sender(&cfg);
	peer_wnd = (uint16_t)c->peer_wnd;
	peer_sack(h, MS(200), 0, c->blk, c->nblk);
	peer_wnd = 65535;
	h_discard_tx(h);
	/* The rules' state, as loss recovery would leave it. */
	h->ep->sb.high_rxt = c->high_rxt;
	h->ep->sb.rescue_set = c->rescue_done;
	h->ep->sb.rescue_rxt = SEG(10);
	any = tcp_sack_next_seg(h->ep, &start, &end, &rule);
	ck_assert_msg(any == (c->want_rule != 0), "%s: rule %d", c->name, rule);
	if (any) {
		ck_assert_msg(rule == c->want_rule, "%s: rule %d, want %d", c->name, rule,
			      c->want_rule);
		ck_assert_uint_eq(start, c->want_start);
		ck_assert_uint_eq(end, c->want_end);
	}
	h_free(h);
}
END_TEST

/*
 * A cumulative ACK that brings nothing newly SACKed keeps what was SACKed
 * above it: S(0) .. S(3) acknowledged, S(5) .. S(7) still SACKed, so the
 * highest SACKed octet stays S(8) and NextSeg (1) names S(4), lost with
 * three segments SACKed above it (RFC 6675 §4).
 */
START_TEST(test_next_seg_after_cum_ack)
{
	static const struct blk first[] = { { 5, 8 }, { 1, 4 } }, again[] = { { 5, 8 } };
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;
	uint64_t start = 99, end = 99;
	int rule = -1;

	cfg.limited_transmit = false;
	h = sack_sender(&cfg);
	peer_sack(h, MS(200), 0, first, 2);
	peer_sack(h, MS(201), 4, again, 1);
	h_discard_tx(h);
	ck_assert_uint_eq(h->ep->sb.high_sacked, SEG(8));
	h->ep->sb.high_rxt = SEG(4);
	ck_assert(tcp_sack_next_seg(h->ep, &start, &end, &rule));
	ck_assert_int_eq(rule, 1);
	ck_assert_uint_eq(start, SEG(4));
	ck_assert_uint_eq(end, SEG(5));
	h_free(h);
}
END_TEST

/* ====================================================================
 * A scripted recovery (RFC 6675 §5 with cwnd = ssthresh, recovery:
 * rfc6675). S(0), S(2) and S(4) are lost; the peer SACKs each segment
 * that arrives. Every ACK's pipe, and every segment sent with its instant
 * and its reason, are asserted.
 * ==================================================================== */

struct sent { int seg; enum tcp_why_kind kind; };
#define NO_PIPE UINT64_MAX           /* out of recovery: pipe is not kept */
struct step {
	uint64_t at_ms;
	int ack_seg;
	int nblk;
	struct blk blk[3];
	uint64_t want_pipe;          /* after the ACK and what it sent */
	int nsent;
	struct sent sent[3];
	enum tcp_cc_state want_cc;
};

static void run_steps(struct harness *h, const struct step *st, int n)
{
	for (int k = 0; k < n; k++) {
		const struct step *s = &st[k];
		uint64_t at = MS(s->at_ms);

		peer_sack(h, at, s->ack_seg, s->blk, s->nblk);
		for (int j = 0; j < s->nsent; j++) {
			const struct h_tx *t = &h->tx[h->tx_head];

			ck_assert_msg(h_pending_tx(h) > 0, "%llu ms: segment %d not sent (pipe %llu cwnd %llu)",
				      (unsigned long long)s->at_ms, s->sent[j].seg,
				      (unsigned long long)h->ep->sb.pipe,
				      (unsigned long long)tcp_cwnd(h->ep));
			ck_assert_msg(t->why.kind == s->sent[j].kind, "step %d (%llu ms): kind %s, want %s",
				      k, (unsigned long long)s->at_ms, tcp_why_kind_name(t->why.kind),
				      tcp_why_kind_name(s->sent[j].kind));
			h_expect_tx_mask(h, at, SEND(.seq = S(SEG(s->sent[j].seg)), .len = MSS),
					 HF_AT | HF_SEQ | HF_LEN);
		}
		if (h_pending_tx(h))
			fprintf(stderr, "step %d: unexpected segment\n", k);
		h_expect_no_tx(h);
		ck_assert_msg(s->want_pipe == NO_PIPE || h->ep->sb.pipe == s->want_pipe, "step %d (%llu ms): pipe %llu, want %llu",
			      k, (unsigned long long)s->at_ms, (unsigned long long)h->ep->sb.pipe,
			      (unsigned long long)s->want_pipe);
		ck_assert_uint_eq(tcp_cc_state(h->ep), s->want_cc);
	}
}

#define RCV TCP_CC_RECOVERY
#define OPN TCP_CC_OPEN

START_TEST(test_recovery_rfc6675)
{
	static const struct step STEPS[] = {
		/* S1 arrives: a DupAck (§2); (1.c) pipe 9 segments, cwnd 10:
		 * limited transmit sends S10 */
		{ 200, 0, 1, { { 1, 2 } }, SEG(10), 1, { { 10, TCP_WHY_LIMITED_TRANSMIT } }, OPN },
		{ 201, 0, 2, { { 3, 4 }, { 1, 2 } }, SEG(10), 1, { { 11, TCP_WHY_LIMITED_TRANSMIT } }, OPN },
		/* third DupAck: recovery; ssthresh = cwnd = 14600 / 2 (the two
		 * limited-transmit segments not counted); S0 resent; pipe =
		 * S0's retransmission + S2, S4, S6 .. S11 */
		{ 202, 0, 3, { { 5, 6 }, { 3, 4 }, { 1, 2 } }, SEG(9), 1,
		  { { 0, TCP_WHY_SACK_FAST_RETRANSMIT } }, RCV },
		/* S2 lost now (S3, S5, S6 above): out of pipe */
		{ 203, 0, 3, { { 5, 7 }, { 3, 4 }, { 1, 2 } }, SEG(7), 0, { { 0 } }, RCV },
		/* S4 lost too */
		{ 204, 0, 3, { { 5, 8 }, { 3, 4 }, { 1, 2 } }, SEG(5), 0, { { 0 } }, RCV },
		/* cwnd - pipe = 1 SMSS: NextSeg rule 1, S2 */
		{ 205, 0, 3, { { 5, 9 }, { 3, 4 }, { 1, 2 } }, SEG(5), 1,
		  { { 2, TCP_WHY_SACK_RETRANSMIT } }, RCV },
		{ 206, 0, 3, { { 5, 10 }, { 3, 4 }, { 1, 2 } }, SEG(5), 1,
		  { { 4, TCP_WHY_SACK_RETRANSMIT } }, RCV },
		/* the limited-transmit segments arrive: rule 2, new data */
		{ 300, 0, 3, { { 5, 11 }, { 3, 4 }, { 1, 2 } }, SEG(5), 1, { { 12, TCP_WHY_DATA } }, RCV },
		{ 301, 0, 3, { { 5, 12 }, { 3, 4 }, { 1, 2 } }, SEG(5), 1, { { 13, TCP_WHY_DATA } }, RCV },
		/* S0's repair: cumulative ACK to S2 (S1 was SACKed) */
		{ 302, 2, 2, { { 5, 12 }, { 3, 4 } }, SEG(5), 1, { { 14, TCP_WHY_DATA } }, RCV },
		{ 305, 4, 1, { { 5, 12 } }, SEG(5), 1, { { 15, TCP_WHY_DATA } }, RCV },
		/* S4's repair: the ACK covers RecoveryPoint (S12): recovery
		 * ends, cwnd 7300 with 4 segments out: one more leaves */
		{ 306, 12, 0, { { 0 } }, NO_PIPE, 1, { { 16, TCP_WHY_DATA } }, OPN },
	};
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;

	cfg.recovery = TCP_RECOVERY_RFC6675;
	h = sack_sender(&cfg);
	run_steps(h, STEPS, 2);
	run_steps(h, STEPS + 2, 1);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 7300);
	run_steps(h, STEPS + 3, NELEM(STEPS) - 3);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 7300);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_recoveries, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_retransmits, 3);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 3);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 0);
	h_free(h);
}
END_TEST

/*
 * RFC 6675 §5.1: after a timeout the SACK information stays and only the
 * holes are resent. S(0) and S(5) are lost; the first ACK SACKs S(1) ..
 * S(4), which makes S(0) lost at once (IsLost, §5 1.b) and starts recovery
 * with its fast retransmit; the second SACKs S(6) .. S(9): S(5) goes by
 * NextSeg rule 1, then new data S(10) .. S(12). Every one of those is lost
 * too. The timeout (1 s after recovery began) resends S(0) alone; its ACK
 * (to S(5)) lets S(5) and S(10) go (cwnd 2 SMSS), stepping over S(6) ..
 * S(9), which the peer holds; the next ACK, S(11) and S(12), then new data.
 */
START_TEST(test_rto_keeps_scoreboard)
{
	static const struct blk B1[] = { { 1, 5 } };
	static const struct blk B2[] = { { 6, 10 }, { 1, 5 } };
	static const struct { int seg; enum tcp_why_kind kind; } WANT[] = {
		{ 0, TCP_WHY_SACK_FAST_RETRANSMIT },
		{ 5, TCP_WHY_SACK_RETRANSMIT }, { 10, TCP_WHY_DATA }, { 11, TCP_WHY_DATA },
		{ 12, TCP_WHY_DATA },
		{ 0, TCP_WHY_RTO_RETRANSMIT },
		{ 5, TCP_WHY_SACK_HOLE_AFTER_RTO }, { 10, TCP_WHY_SACK_HOLE_AFTER_RTO },
		{ 11, TCP_WHY_SACK_HOLE_AFTER_RTO }, { 12, TCP_WHY_SACK_HOLE_AFTER_RTO },
		{ 13, TCP_WHY_DATA },
	};
	static const uint64_t AT_MS[] = { 150, 151, 151, 151, 151, 1150, 1250, 1250, 1350, 1350, 1350 };
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;

	cfg.limited_transmit = false;
	h = sack_sender(&cfg);
	peer_sack(h, MS(150), 0, B1, 1);
	peer_sack(h, MS(151), 0, B2, 2);
	h_run_until(h, MS(1150));
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_LOSS);
	peer_sack(h, MS(1250), 5, B2, 1);
	peer_sack(h, MS(1350), 11, NULL, 0);
	for (int k = 0; k < NELEM(WANT); k++) {
		const struct h_tx *t = &h->tx[h->tx_head];

		ck_assert_msg(h_pending_tx(h) > 0, "segment %d not sent", k);
		ck_assert_msg(t->why.kind == WANT[k].kind, "segment %d: %s, want %s", k,
			      tcp_why_kind_name(t->why.kind), tcp_why_kind_name(WANT[k].kind));
		h_expect_tx_mask(h, MS(AT_MS[k]), SEND(.seq = S(SEG(WANT[k].seg)), .len = MSS),
				 HF_AT | HF_SEQ | HF_LEN);
	}
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->data_retransmissions, 7);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_recoveries, 1);
	h_free(h);
}
END_TEST

/* ====================================================================
 * PRR (RFC 6937 §3), the single loss of its §3.1 example without limited
 * transmit: 20 segments in flight, the first lost, ssthresh = 10 segments,
 * RecoverFS = 20 segments (the flight is exactly the window). sndcnt on each ACK is
 * CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out while pipe >
 * ssthresh: one segment every other ACK, the fast retransmit first.
 * ==================================================================== */

struct prr_step {
	int64_t sndcnt;
	uint64_t pipe;               /* after the ACK, before sending */
	int nsent;
	int seg;                     /* the segment sent (if one) */
};

START_TEST(test_prr_one_loss)
{
	static const struct prr_step STEPS[] = {
		/* ACKs of S1, S2: DupAcks, no recovery yet (nothing sent) */
		{ 0, 0, 0, 0 }, { 0, 0, 0, 0 },
		/* S3: recovery; prr_delivered 1460: CEIL(1460 * 14600 / 29200) =
		 * 730; the fast retransmit of S0 leaves (prr_out 1460) */
		{ 730, SEG(16), 1, 0 },
		{ 0, SEG(16), 0, 0 },        /* CEIL(2920 / 2) - 1460 */
		{ 730, SEG(15), 1, 20 },     /* CEIL(4380 / 2) - 1460: new data (rule 2) */
		{ 0, SEG(15), 0, 0 },
		{ 730, SEG(14), 1, 21 },
		{ 0, SEG(14), 0, 0 },
		{ 730, SEG(13), 1, 22 },
		{ 0, SEG(13), 0, 0 },
		{ 730, SEG(12), 1, 23 },
		{ 0, SEG(12), 0, 0 },
		{ 730, SEG(11), 1, 24 },
		{ 0, SEG(11), 0, 0 },
		/* S15: pipe = ssthresh: the reduction bound, MIN(ssthresh - pipe, ...) = 0 */
		{ 0, SEG(10), 0, 0 },
		/* pipe 9 segments < ssthresh: PRR-SSRB, MIN(ssthresh - pipe,
		 * MAX(prr_delivered - prr_out, DeliveredData) + MSS) = MIN(1460, ...) */
		{ 1460, SEG(9), 1, 25 },
		{ 1460, SEG(9), 1, 26 },
		{ 1460, SEG(9), 1, 27 },
		{ 1460, SEG(9), 1, 28 },
	};
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;
	struct blk b = { 1, 1 };

	cfg.initial_cwnd = 20;
	cfg.limited_transmit = false;
	h = sack_sender(&cfg);
	ck_assert_uint_eq(h_send(h, 20000), 20000);    /* new data for the whole recovery */
	h_expect_no_tx(h);
	for (int k = 0; k < NELEM(STEPS); k++) {
		uint64_t at = MS(200) + MS(k);

		b.to = k + 2;
		peer_sack(h, at, 0, &b, 1);
		if (k >= 2 || h->ep->in_recovery) {
			ck_assert_msg(h->ep->sb.sndcnt == STEPS[k].sndcnt, "ACK %d: sndcnt %lld, want %lld",
				      k + 1, (long long)h->ep->sb.sndcnt, (long long)STEPS[k].sndcnt);
			ck_assert_msg(h->ep->sb.pipe - (uint64_t)STEPS[k].nsent * MSS == STEPS[k].pipe,
				      "ACK %d: pipe %llu", k + 1, (unsigned long long)h->ep->sb.pipe);
		}
		if (STEPS[k].nsent)
			h_expect_tx_mask(h, at, SEND(.seq = S(SEG(STEPS[k].seg)), .len = MSS),
					 HF_AT | HF_SEQ | HF_LEN);
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 14600);
	ck_assert_uint_eq(h->ep->sb.recover_fs, 29200);
	/* The repair's ACK ends recovery: cwnd = ssthresh (RFC 6937 §3). */
	peer_sack(h, MS(300), 20, NULL, 0);
	h_discard_tx(h);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 14600);
	h_free(h);
}
END_TEST

/*
 * Heavy loss: S(0) .. S(11) lost of 20, so that pipe (5 segments when
 * recovery begins on the ACK of S(14)) is far below ssthresh (10) and the
 * reduction bound decides how fast it may grow back: PRR-SSRB, a slow
 * start, MAX(prr_delivered - prr_out, DeliveredData) + MSS = 2 segments per
 * ACK of one; PRR-CRB, conservative, prr_delivered - prr_out = 1.
 */
START_TEST(test_prr_reduction_bound)
{
	static const int TO[] = { 13, 14, 15, 16 };      /* S12, S13, S14 (recovery), S15 */
	static const int64_t WANT[2][4] = {
		{ 0, 0, 2920, 2920 },    /* SSRB: MIN(ssthresh - pipe, 1460 + 1460) */
		{ 0, 0, 1460, 1460 },    /* CRB: MIN(ssthresh - pipe, 1460) */
	};
	static const int NSENT[2][4] = { { 0, 0, 2, 2 }, { 0, 0, 1, 1 } };

	for (int v = 0; v < 2; v++) {
		struct tcp_cfg cfg = sack_cfg();
		struct harness *h;
		struct blk b = { 12, 12 };
		int seg = 0;

		cfg.initial_cwnd = 20;
		cfg.limited_transmit = false;
		cfg.recovery = v ? TCP_RECOVERY_PRR_CRB : TCP_RECOVERY_PRR;
		h = sack_sender(&cfg);
		for (int k = 0; k < NELEM(TO); k++) {
			uint64_t at = MS(200) + MS(k);

			b.to = TO[k];
			peer_sack(h, at, 0, &b, 1);
			if (k >= 2)
				ck_assert_msg(h->ep->sb.sndcnt == WANT[v][k], "%s ACK %d: sndcnt %lld",
					      v ? "CRB" : "SSRB", k + 1, (long long)h->ep->sb.sndcnt);
			/* the holes in order, from S(0) */
			for (int j = 0; j < NSENT[v][k]; j++, seg++)
				h_expect_tx_mask(h, at, SEND(.seq = S(SEG(seg)), .len = MSS),
						 HF_AT | HF_SEQ | HF_LEN);
			h_expect_no_tx(h);
		}
		h_free(h);
	}
}
END_TEST

/* ====================================================================
 * RFC 6937 §3.1's examples, reproduced ACK by ACK. The scene is the RFC's:
 * 20 segments in flight (cwnd = FlightSize = pipe = 20), standard Reno
 * halving, bulk data, limited transmit (RFC 3042) on, so that the first two
 * DupAcks each send a new segment and the third starts recovery with the
 * fast retransmit; the peer SACKs every segment that arrives. For each ACK
 * of the first round trip the tables give pipe after the ACK (before what
 * the ACK lets leave; the RFC 6675 rows fix that reading: ACK 3 shows 18,
 * the fast retransmit not yet counted) and what leaves: N new segments or
 * R retransmissions. The RFC leaves which data to send out of scope; here
 * each R is the lowest hole not yet resent (RFC 6675 NextSeg rule 1) and
 * each N the next new segment.
 *
 * The tables' one assumption the simulator does not share: their ssthresh
 * is 11 segments, FlightSize 22 / 2 with the two limited-transmit segments
 * counted (the RFC 6675 rows show cwnd 11; the PRR row's silent ACK 17 and
 * its sends on ACKs 18 and 19, marked ssthresh - pipe, need ssthresh 11),
 * although the RFC's prose says 10. RFC 5681 §3.2 step 2 says segments
 * sent by limited transmit "MUST NOT be included" when ssthresh is
 * halved, and RFC 6675 §5 (4.2) repeats it; the simulator keeps them out
 * (ssthresh 10). The test reproduces the tables' FlightSize by clearing
 * that count (lt_bytes) before the ACK that starts recovery. RecoverFS is
 * snd.nxt - snd.una = 22 segments in both (RFC 6937 §3).
 * ==================================================================== */

#define EX_ACKS 19
struct rfc_example {
	const char *name;
	enum tcp_recovery recovery;
	uint8_t cwnd[EX_ACKS];       /* segments; 0: not in the table (PRR does not use it) */
	uint8_t pipe[EX_ACKS];       /* segments, after the ACK, before what it sends */
	const char *sent[EX_ACKS];   /* "", "N", "R", or a count and a letter ("7R") */
};

/*
 * Plays one example: ACKs j = 0 .. n-1 each SACK one more segment,
 * [first, first + j + 1), with SND.UNA at S(0); n_lost segments from S(0)
 * are the holes.
 */
static void run_rfc_example(const struct rfc_example *ex, int first, int n, int n_lost)
{
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;
	struct blk b = { first, first };
	int next_new = 20, next_hole = 0;

	cfg.initial_cwnd = 20;
	cfg.limited_transmit = true;
	cfg.recovery = ex->recovery;
	h = sack_sender(&cfg);
	ck_assert_uint_eq(h_send(h, 20000), 20000);    /* new data for the whole round trip */
	h_expect_no_tx(h);
	for (int j = 0; j < n; j++) {
		const char *want = ex->sent[j];
		int count = want[0] >= '0' && want[0] <= '9' ? want[0] - '0' : want[0] != '\0';
		bool rexmt = want[0] != '\0' && want[strlen(want) - 1] == 'R';
		uint64_t at = MS(200) + MS(j);
		uint64_t pipe;

		if (j == 2) {
			/* the two limited-transmit segments, kept out of FlightSize
			 * by RFC 5681 §3.2 step 2; the RFC's tables count them */
			ck_assert_uint_eq(h->ep->lt_bytes, 2 * MSS);
			h->ep->lt_bytes = 0;
		}
		b.to = first + j + 1;
		peer_sack(h, at, 0, &b, 1);
		ck_assert_msg(h_pending_tx(h) == (size_t)count, "%s, ACK %d: %zu sent, want %d (%s)",
			      ex->name, first + j, h_pending_tx(h), count, want);
		pipe = h->ep->sb.pipe - (uint64_t)count * MSS;
		ck_assert_msg(pipe == SEG(ex->pipe[j]), "%s, ACK %d: pipe %llu segments, want %u",
			      ex->name, first + j, (unsigned long long)(pipe / MSS), ex->pipe[j]);
		if (ex->cwnd[j])
			ck_assert_msg(tcp_cwnd(h->ep) == SEG(ex->cwnd[j]), "%s, ACK %d: cwnd %llu, want %u",
				      ex->name, first + j, (unsigned long long)(tcp_cwnd(h->ep) / MSS),
				      ex->cwnd[j]);
		for (int k = 0; k < count; k++) {
			int seg = rexmt ? next_hole++ : next_new++;

			h_expect_tx_mask(h, at, SEND(.seq = S(SEG(seg)), .len = MSS),
					 HF_AT | HF_SEQ | HF_LEN);
		}
		ck_assert_int_le(next_hole, n_lost);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_cc_state(h->ep), j < 2 ? TCP_CC_OPEN : TCP_CC_RECOVERY);
	}
	ck_assert_uint_eq(tcp_ssthresh(h->ep), SEG(11));
	ck_assert_uint_eq(h->ep->sb.recover_fs, SEG(22));
	h_free(h);
}

/*
 * The first example: segment 0 of 20 lost, ACKs of segments 1 .. 19.
 * RFC 6675 sends nothing from the fast retransmit until pipe falls to
 * cwnd - 1 (ACK 12), then one segment per ACK; PRR one every other ACK,
 * then, with pipe at ssthresh, ssthresh - pipe. With one loss both
 * reduction bounds give the same (RFC 6937 §3.1).
 *
 * The PRR pipe row as the RFC prints it (19 19 18 18 18 17 17 16 16 15 15
 * 14 14 13 13 12 12 11 10) has one value too many: 18 stands under ACKs 4
 * and 5 although ACK 4 sends nothing and ACK 5 delivers a segment, and
 * from there on each value is the one of the ACK before (the RFC's own
 * marks say so: ACK 18 sends by ssthresh - pipe, which needs pipe 10, not
 * the printed 11). Below is the row without the extra 18, and ACK 19's
 * value, which the shift pushed off the end: 10 (ACK 18 sent one, ACK 19
 * delivered one).
 */
static const struct rfc_example ONE_LOSS[] = {
	{ "RFC 6675", TCP_RECOVERY_RFC6675,
	  { 20, 20, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11 },
	  { 19, 19, 18, 18, 17, 16, 15, 14, 13, 12, 11, 10, 10, 10, 10, 10, 10, 10, 10 },
	  { "N", "N", "R", "", "", "", "", "", "", "", "", "N", "N", "N", "N", "N", "N", "N", "N" } },
	{ "PRR-SSRB", TCP_RECOVERY_PRR, { 0 },
	  { 19, 19, 18, 18, 17, 17, 16, 16, 15, 15, 14, 14, 13, 13, 12, 12, 11, 10, 10 },
	  { "N", "N", "R", "", "N", "", "N", "", "N", "", "N", "", "N", "", "N", "", "", "N", "N" } },
	{ "PRR-CRB", TCP_RECOVERY_PRR_CRB, { 0 },
	  { 19, 19, 18, 18, 17, 17, 16, 16, 15, 15, 14, 14, 13, 13, 12, 12, 11, 10, 10 },
	  { "N", "N", "R", "", "N", "", "N", "", "N", "", "N", "", "N", "", "N", "", "", "N", "N" } },
};

START_TEST(test_rfc6937_one_loss)
{
	run_rfc_example(&ONE_LOSS[_i], 1, EX_ACKS, 1);
}
END_TEST

/*
 * The second example: segments 0 .. 14 lost, so that only the ACKs of
 * segments 15 .. 19 come back in the round trip. RFC 6675 fills pipe up to
 * cwnd at once (seven retransmissions on the ACK that starts recovery);
 * PRR-CRB sends what was delivered, one per ACK, so pipe stays at 4;
 * PRR-SSRB one more per ACK, so pipe grows by one per ACK, as in slow start.
 */
static const struct rfc_example BURST[] = {
	{ "RFC 6675", TCP_RECOVERY_RFC6675,
	  { 20, 20, 11, 11, 11 }, { 19, 19, 4, 10, 10 }, { "N", "N", "7R", "R", "R" } },
	{ "PRR-CRB", TCP_RECOVERY_PRR_CRB,
	  { 0 }, { 19, 19, 4, 4, 4 }, { "N", "N", "R", "R", "R" } },
	{ "PRR-SSRB", TCP_RECOVERY_PRR,
	  { 0 }, { 19, 19, 4, 5, 6 }, { "N", "N", "2R", "2R", "2R" } },
};

START_TEST(test_rfc6937_burst_loss)
{
	run_rfc_example(&BURST[_i], 15, 5, 15);
}
END_TEST

/* The annotation texts of SACK's retransmissions (held here and in check_why). */
START_TEST(test_why_texts)
{
	struct tcp_cfg cfg = sack_cfg();
	struct harness *h;
	char buf[256];

	cfg.recovery = TCP_RECOVERY_RFC6675;
	h = sack_sender(&cfg);
	{
		static const struct blk B[] = { { 1, 4 } };
		peer_sack(h, MS(200), 0, B, 1);
	}
	ck_assert_uint_gt(h_pending_tx(h), 0);
	tcp_why_format(&h->tx[h->tx_head].why, &h->tx[h->tx_head].seg, buf, sizeof(buf));
	ck_assert_str_eq(buf, "SACK fast retransmit of 1:1461 (DupAcks 1, 3 SACKed above)"
		" | cwnd 7300 ssthresh 7300 flight 14600 rto 1s | recovery");
	h_free(h);
}
END_TEST

static Suite *sack_suite(void)
{
	Suite *s = suite_create("sack");
	TCase *tc;

	tc = tcase_create("negotiation");
	tcase_add_loop_test(tc, test_negotiation, 0, NELEM(NEGOS));
	tcase_add_test(tc, test_syn_layout);
	suite_add_tcase(s, tc);

	tc = tcase_create("receiver");
	tcase_add_loop_test(tc, test_receiver_blocks, 0, NELEM(RCVS));
	tcase_add_loop_test(tc, test_receiver_many_islands, 0, 2);
	tcase_add_test(tc, test_receiver_island_beyond_fin);
	tcase_add_test(tc, test_dsack_half_space);
	tcase_add_test(tc, test_window_reopen_keeps_rexmt);
	tcase_add_test(tc, test_blocks_within_peer_mss);
	suite_add_tcase(s, tc);

	tc = tcase_create("scoreboard");
	tcase_add_loop_test(tc, test_is_lost, 0, NELEM(ISLOSTS));
	tcase_add_loop_test(tc, test_next_seg, 0, NELEM(NEXTSEGS));
	tcase_add_test(tc, test_next_seg_after_cum_ack);
	suite_add_tcase(s, tc);

	tc = tcase_create("recovery");
	tcase_add_test(tc, test_recovery_rfc6675);
	tcase_add_test(tc, test_rto_keeps_scoreboard);
	tcase_add_test(tc, test_why_texts);
	suite_add_tcase(s, tc);

	tc = tcase_create("prr");
	tcase_add_test(tc, test_prr_one_loss);
	tcase_add_test(tc, test_prr_reduction_bound);
	tcase_add_loop_test(tc, test_rfc6937_one_loss, 0, NELEM(ONE_LOSS));
	tcase_add_loop_test(tc, test_rfc6937_burst_loss, 0, NELEM(BURST));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sack_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
