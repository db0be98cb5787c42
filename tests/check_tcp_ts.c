/*
 * check_tcp_ts: RFC 7323 timestamps at one endpoint, packetdrill style
 * (tests/tcp_harness.h): the timestamp clock (§5.4), TS.Recent and what
 * an ACK echoes (§4.3), RTT measurement from every ACK with Appendix G's
 * gains (§4.1), and PAWS (§5.3, §5.5).
 *
 * Conventions (tests/tcp_testdefs.h): our ISS is 1000 and the peer's 5000; a
 * client handshake sends the SYN at 0 and gets the SYN-ACK at T = 100 ms.
 * With timestamps on both sides the peer's SYN-ACK carries TSval 100 and
 * TSecr 0 (our SYN's TSval: our clock reads 0 at 0), so TS.Recent is 100
 * and the first RTT sample is 100 ms. Our clock is 1000 Hz from 0 unless a
 * test says otherwise: at virtual time t ms it reads t. SMSS is 1448
 * (1460 less the 12 bytes of the option).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_harness.h"     /* and tcp_testdefs.h: ISS, MTU, T, S(), SEND(), RECV() ... */

/* This file's own: the SMSS the timestamps option leaves of the MSS, and
 * a peer that offers timestamps. */
#define SMSS 1448u                  /* MSS less the 12 bytes of the option */
#define DAYS(x) ((uint64_t)(x) * 86400 * NS_PER_S)
#define TS(v, e) .opt = { .has_ts = true, .ts_val = (v), .ts_ecr = (e) }

static const struct h_peer PEER = {
	.iss = PEER_ISS, .wnd = 65535, .mss = 1460, .wscale = 0, .ts = true,
};

static struct tcp_cfg ts_cfg(void)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.timestamps = true;
	return cfg;
}

static struct harness *est_client(const struct tcp_cfg *cfg)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_client(h, &PEER, T);
	return h;
}

/* ====================================================================
 * The timestamp clock (RFC 7323 §5.4): initial + floor(t * rate), mod 2^32.
 * ==================================================================== */

static const struct clock_case {
	uint32_t rate_hz, initial;
	uint64_t now_ns;
	uint32_t want;
} CLOCKS[] = {
	{ 1000, 0, 0, 0 },
	{ 1000, 0, MS(1) - 1, 0 },
	{ 1000, 0, MS(1), 1 },
	{ 1000, 0, SEC(10) + MS(7) + 999999, 10007 },
	/* the tcpdump tutorial's SYN, TS val 678438397, at its host's time 0 */
	{ 1000, 678438397, 0, 678438397 },
	{ 1000, 678438397, US(40096), 678438437 },
	{ 100, 1000000, US(20048), 1000002 },
	{ 100, 1000000, MS(10) - 1, 1000000 },
	{ 1, 7, SEC(3) + MS(999), 10 },
	{ 3, 0, SEC(1) - 1, 2 },
	{ 3, 0, SEC(1), 3 },
	/* the clock wraps modulo 2^32 */
	{ 1000, 0xfffffff0u, MS(20), 4 },
	/* 30 days at 1 kHz: 2 592 000 000 ticks, past 2^31 */
	{ 1000, 0, DAYS(30), 2592000000u },
	/* no overflow however long the run: 2^63 ns is 9223372036854 ms */
	{ 1000, 0, UINT64_C(1) << 63, (uint32_t)UINT64_C(9223372036854) },
	{ 1000, 0, UINT64_MAX, (uint32_t)UINT64_C(18446744073709) },
};

START_TEST(test_ts_clock)
{
	const struct clock_case *c = &CLOCKS[_i];
	struct tcp_cfg cfg = ts_cfg();

	cfg.ts_rate_hz = c->rate_hz;
	cfg.ts_initial = c->initial;
	ck_assert_uint_eq(tcp_ts_clock(&cfg, c->now_ns), c->want);
}
END_TEST

/* The clock as the segments carry it: a 100 Hz clock starting at
 * 678438397 stamps the SYN at 25 ms with 678438399 and the ACK of the
 * SYN-ACK at 125 ms with 678438409; the ACK echoes the peer's TSval. */
START_TEST(test_ts_clock_on_the_wire)
{
	const struct tcp_seg syn = {
		.flags = TH_SYN, .seq = ISS, .wnd = 65535,
		.opt = { .has_mss = true, .mss = 1460, .has_wscale = true, .wscale = 2,
			 .has_ts = true, .ts_val = 678438399, .ts_ecr = 0 },
	};
	const struct tcp_seg synack = {
		.flags = TH_SYN | TH_ACK, .seq = PEER_ISS, .ack = ISS + 1, .wnd = 65535,
		.opt = { .has_mss = true, .mss = 1460, .has_wscale = true, .wscale = 0,
			 .has_ts = true, .ts_val = 4242, .ts_ecr = 678438399 },
	};
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h;

	cfg.ts_rate_hz = 100;
	cfg.ts_initial = 678438397;
	h = h_new(&cfg, MTU, ISS);
	h_run_until(h, MS(25));
	h_connect(h);
	h_expect_tx(h, MS(25), &syn);
	h_inject(h, MS(125), &synack);
	h_expect_tx(h, MS(125), RECV(.seq = ISS + 1, .ack = PEER_ISS + 1, TS(678438409, 4242)));
	h_expect_no_tx(h);
	/* RTT: 10 ticks of 10 ms. */
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(100));
	h_free(h);
}
END_TEST

/* ====================================================================
 * TS.Recent (RFC 7323 §4.3, §5.3 R3): the TSval of the segment that
 * covers Last.ACK.sent; what a delayed ACK, a duplicate ACK and the ACK of
 * a filled hole echo.
 * ==================================================================== */

START_TEST(test_ts_recent_sequence)
{
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h;

	cfg.delayed_ack_ns = MS(200);
	h = est_client(&cfg);
	ck_assert_uint_eq(h->ep->ts_recent, 100);     /* the SYN-ACK's */

	/* A: in order at Last.ACK.sent: TS.Recent 110; the ACK is delayed. */
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1000, TS(110, 100)));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->ts_recent, 110);
	/* B: in order but beyond Last.ACK.sent (the ACK still owed is for
	 * A's left edge): TS.Recent stays. 2000 bytes < 2 * SMSS: still delayed. */
	h_inject(h, T + MS(20), SEND(.seq = P(1000), .ack = S(0), .len = 1000, TS(120, 100)));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->ts_recent, 110);
	/* §4.3 (A): the delayed ACK, 200 ms after A, echoes the earliest
	 * segment it acknowledges, A, not the latest, B: the peer's RTT then
	 * counts the time the ACK waited. */
	h_run_until(h, T + MS(210));
	h_expect_tx(h, T + MS(210), RECV(.seq = S(0), .ack = P(2000), .wnd = (BUF - 2000) >> 2,
					  TS(310, 110)));
	h_expect_no_tx(h);
	/* §4.3 (B): D, beyond a hole: its duplicate ACK echoes the last
	 * segment that advanced the left edge; TS.Recent stays 110. */
	h_inject(h, T + MS(230), SEND(.seq = P(3000), .ack = S(0), .len = 1000, TS(130, 100)));
	h_expect_tx(h, T + MS(230), RECV(.seq = S(0), .ack = P(2000), .wnd = (BUF - 2000) >> 2,
					  TS(330, 110)));
	ck_assert_uint_eq(h->ep->ts_recent, 110);
	/* §4.3 (C): C fills the hole: it is at Last.ACK.sent, its TSval (125,
	 * older than D's but not than TS.Recent) is echoed. */
	h_inject(h, T + MS(240), SEND(.seq = P(2000), .ack = S(0), .len = 1000, TS(125, 100)));
	h_expect_tx(h, T + MS(240), RECV(.seq = S(0), .ack = P(4000), .wnd = (BUF - 4000) >> 2,
					  TS(340, 125)));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->ts_recent, 125);
	/* A pure ACK at Last.ACK.sent updates it too (SEG.SEQ <= Last.ACK.sent
	 * <= SEG.SEQ + 0, the BSD reading of the rule). */
	h_inject(h, T + MS(250), SEND(.seq = P(4000), .ack = S(0), TS(140, 100)));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->ts_recent, 140);
	/* A segment wholly below Last.ACK.sent does not, although newer:
	 * it is answered with an ACK that echoes 140. */
	h_inject(h, T + MS(260), SEND(.seq = P(0), .ack = S(0), .len = 1000, TS(150, 100)));
	h_expect_tx(h, T + MS(260), RECV(.seq = S(0), .ack = P(4000), .wnd = (BUF - 4000) >> 2,
					  TS(360, 140)));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->ts_recent, 140);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 0);
	h_expect_read(h, 4000);
	h_free(h);
}
END_TEST

/* A passive open takes the SYN's TSval as TS.Recent; a retransmitted SYN
 * updates it, and the SYN-ACK sent again echoes the newer one. */
START_TEST(test_ts_recent_from_syn)
{
	struct tcp_seg syn = {
		.flags = TH_SYN, .seq = PEER_ISS, .wnd = 65535,
		.opt = { .has_mss = true, .mss = 1460, .has_wscale = true, .wscale = 0,
			 .has_ts = true, .ts_val = 77 },
	};
	struct tcp_seg synack = {
		.flags = TH_SYN | TH_ACK, .seq = ISS, .ack = PEER_ISS + 1, .wnd = 65535,
		.opt = { .has_mss = true, .mss = 1460, .has_wscale = true, .wscale = 2,
			 .has_ts = true, .ts_val = 5003, .ts_ecr = 77 },
	};
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h;

	cfg.ts_initial = 5000;
	h = h_new(&cfg, MTU, ISS);
	h_listen(h);
	h_inject(h, MS(3), &syn);
	h_expect_tx(h, MS(3), &synack);
	syn.opt.ts_val = 577;
	h_inject(h, MS(500), &syn);
	synack.opt.ts_val = 5500;
	synack.opt.ts_ecr = 577;
	h_expect_tx(h, MS(500), &synack);
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->ts_recent, 577);
	h_free(h);
}
END_TEST

/* ====================================================================
 * RTTM (RFC 7323 §4.1) with Appendix G's gains.
 * ==================================================================== */

/*
 * Ten segments (IW 10, 14480 bytes) leave at T with TSval 100. SRTT is
 * 100 ms and RTTVAR 50 ms from the SYN-ACK. min_rto 1 ms shows the RTO.
 *   ACK of 2 segments at T + 50 ms, TSecr 100: R' = 50 ms, FlightSize
 *     14480: ExpectedSamples = ceil(14480 / 2896) = 5, beta' = 1/20,
 *     alpha' = 1/40: RTTVAR = 50 + (|100 - 50| - 50) / 20 = 50 ms,
 *     SRTT = 100 - 50/40 = 98.75 ms, RTO = 98.75 + 4 * 50 = 298.75 ms.
 *   ACK of 2 more at T + 60 ms, TSecr 100: R' = 60 ms, FlightSize 11584:
 *     ExpectedSamples 4: RTTVAR = 50 - (50 - 38.75) / 16 = 49.296875 ms,
 *     SRTT = 98.75 - 38.75 / 32 = 97.5390625 ms, rounded down to the
 *     nanosecond: 97539062 ns; RTO 97539062 + 4 * 49296875 ns.
 * Without Appendix G (alpha = 1/8) the first ACK alone would make SRTT
 * 93.75 ms.
 */
START_TEST(test_rttm_appendix_g)
{
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h;

	cfg.min_rto_ns = MS(1);
	h = est_client(&cfg);
	ck_assert_uint_eq(h->ep->rtt.srtt_ns, MS(100));
	ck_assert_uint_eq(h->ep->rtt.rttvar_ns, MS(50));
	ck_assert_uint_eq(h_send(h, 10 * SMSS), 10 * SMSS);
	ck_assert_uint_eq(h_discard_tx(h), 10);

	h_inject(h, T + MS(50), SEND(.seq = P(0), .ack = S(2 * SMSS), TS(150, 100)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(50));
	ck_assert_uint_eq(h->ep->rtt.rttvar_ns, MS(50));
	ck_assert_uint_eq(h->ep->rtt.srtt_ns, 98750000);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), 298750000);

	h_inject(h, T + MS(60), SEND(.seq = P(0), .ack = S(4 * SMSS), TS(160, 100)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(60));
	ck_assert_uint_eq(h->ep->rtt.rttvar_ns, 49296875);
	ck_assert_uint_eq(h->ep->rtt.srtt_ns, 97539062);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), 97539062 + 4 * 49296875);
	/* One sample per ACK of new data: the SYN-ACK's and these two. */
	ck_assert_uint_eq(tcp_stats(h->ep)->rtt_samples, 3);
	/* A duplicate ACK acknowledges nothing new: no sample. */
	h_inject(h, T + MS(70), SEND(.seq = P(0), .ack = S(4 * SMSS), TS(170, 100)));
	ck_assert_uint_eq(tcp_stats(h->ep)->rtt_samples, 3);
	h_free(h);
}
END_TEST

/*
 * The TS clock's resolution (1 ms at 1000 Hz; 10 ms at 100 Hz): data sent
 * at T (100 ms, a tick boundary) and ACKed after the given round trip reads
 * as whole ticks, and 0 ticks as 1 (the clock cannot see less).
 */
static const struct res_case {
	uint32_t rate_hz;
	uint64_t rtt_ns;
	uint64_t want_ns;
} RESOLUTION[] = {
	{ 1000, US(300), MS(1) },
	{ 1000, US(999), MS(1) },
	{ 1000, US(1000), MS(1) },
	{ 1000, US(1999), MS(1) },
	{ 1000, US(2000), MS(2) },
	{ 1000, US(41283), MS(41) },
	{ 100, US(300), MS(10) },
	{ 100, MS(19), MS(10) },
	{ 100, MS(20), MS(20) },
};

START_TEST(test_rttm_resolution)
{
	const struct res_case *c = &RESOLUTION[_i];
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h;
	uint32_t tsval;

	cfg.ts_rate_hz = c->rate_hz;
	h = est_client(&cfg);
	tsval = tcp_ts_clock(&cfg, T);
	ck_assert_uint_eq(h_send(h, 100), 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100,
			       TS(tsval, 100)));
	h_inject(h, T + c->rtt_ns, SEND(.seq = P(0), .ack = S(100), TS(200, tsval)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), c->want_ns);
	ck_assert_uint_eq(tcp_stats(h->ep)->rtt_samples, 2);
	h_free(h);
}
END_TEST

/*
 * A retransmission is timed by its echo (no Karn ambiguity): 1000 bytes at
 * T, TSval 100, unacknowledged; the timeout at T + 1 s resends them with
 * TSval 1100; the ACK at T + 1.05 s echoes 1100: R' = 50 ms (not the
 * 1050 ms since the first copy). SRTT = 7/8 * 100 + 1/8 * 50 = 93.75 ms
 * (ExpectedSamples 1: 1000 bytes in flight); the sample ends the backoff:
 * RTO 1 s again, not 2 s.
 */
START_TEST(test_rttm_retransmission_sampled)
{
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h = est_client(&cfg);

	ck_assert_uint_eq(h_send(h, 1000), 1000);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 1000,
			       TS(100, 100)));
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
					 .len = 1000, TS(1100, 100)));
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(2));
	h_inject(h, T + SEC(1) + MS(50), SEND(.seq = P(0), .ack = S(1000), TS(1150, 1100)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(50));
	ck_assert_uint_eq(h->ep->rtt.srtt_ns, 93750000);
	ck_assert_uint_eq(h->ep->rtt.rttvar_ns, MS(50));
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(1));
	h_free(h);
}
END_TEST

/*
 * A SYN that timed out: the SYN-ACK echoes the retransmitted SYN's TSval
 * (1000, sent at 1 s) and arrives at 1.1 s: R = 100 ms, a valid sample, so
 * RFC 6298 (5.7)'s 3 s fallback (for "no valid RTT sample") does not
 * apply: RTO = max(1 s, 100 + 4 * 50 ms) = 1 s. Karn would have no sample
 * and 3 s (check_tcp's test_syn_timeout_rto_3s).
 */
START_TEST(test_rttm_syn_retransmitted)
{
	const struct tcp_seg synack = {
		.flags = TH_SYN | TH_ACK, .seq = PEER_ISS, .ack = ISS + 1, .wnd = 65535,
		.opt = { .has_mss = true, .mss = 1460, .has_ts = true, .ts_val = 9, .ts_ecr = 1000 },
	};
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h = h_new(&cfg, MTU, ISS);

	h_connect(h);
	h_run_until(h, SEC(1));
	ck_assert_uint_eq(h_discard_tx(h), 2);
	h_inject(h, SEC(1) + MS(100), &synack);
	h_expect_state(h, TCPS_ESTABLISHED);
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(100));
	ck_assert_uint_eq(h->ep->rtt.srtt_ns, MS(100));
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(1));
	h_free(h);
}
END_TEST

/* An echo ahead of our clock is no TSval of ours: no RTTM sample; the
 * segment timed since T (Karn) gives one instead, 30 ms. */
START_TEST(test_rttm_future_echo)
{
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h = est_client(&cfg);

	ck_assert_uint_eq(h_send(h, 100), 100);
	h_discard_tx(h);
	h_inject(h, T + MS(30), SEND(.seq = P(0), .ack = S(100), TS(200, 131)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(30));
	ck_assert_uint_eq(tcp_stats(h->ep)->rtt_samples, 2);
	h_free(h);
}
END_TEST

/* ====================================================================
 * PAWS (RFC 7323 §5.3, §5.5).
 * ==================================================================== */

/* Client established, 1000 bytes in with TSval 110 (ACKed at once,
 * echoing 110): TS.Recent 110, RCV.NXT P(1000). */
static struct harness *paws_client(void)
{
	struct tcp_cfg cfg = ts_cfg();
	struct harness *h = est_client(&cfg);

	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1000, TS(110, 100)));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2,
					 TS(110, 110)));
	h_expect_read(h, 1000);
	h_discard_events(h);
	return h;
}

/* The next 1000 bytes with an older TSval are an old duplicate: discarded
 * (not delivered, RCV.NXT stays), answered by an ACK of RCV.NXT that
 * echoes TS.Recent, counted. The same bytes with a newer TSval are taken. */
START_TEST(test_paws_drops_and_acks)
{
	struct harness *h = paws_client();

	h_inject(h, T + MS(20), SEND(.seq = P(1000), .ack = S(0), .len = 1000, TS(105, 100)));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1000),
					       .wnd = (BUF - 1000) >> 2, TS(120, 110)));
	ck_assert_int_eq(h->tx[h->tx_head - 1].why.kind, TCP_WHY_ACK_PAWS);
	ck_assert_uint_eq(h->tx[h->tx_head - 1].why.n, 105);
	ck_assert_uint_eq(h->tx[h->tx_head - 1].why.arg, 110);
	h_expect_no_tx(h);
	h_expect_no_event(h);
	ck_assert_uint_eq(h->ep->rcv_nxt, P(1000));
	ck_assert_uint_eq(h->ep->ts_recent, 110);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->dup_segments_received, 0);

	h_inject(h, T + MS(30), SEND(.seq = P(1000), .ack = S(0), .len = 1000, TS(111, 100)));
	h_expect_tx(h, T + MS(30), RECV(.seq = S(0), .ack = P(2000), .wnd = (BUF - 2000) >> 2,
					 TS(130, 111)));
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 1000);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 1);
	h_free(h);
}
END_TEST

/* RFC 7323 §5.2: "older" modulo 2^32, within 2^31. A pure ACK at RCV.NXT
 * with the TSval given, against the TS.Recent given. */
static const struct paws_case {
	uint32_t recent, tsval;
	bool dropped;
} PAWS_CMP[] = {
	{ 110, 109, true },
	{ 110, 110, false },
	{ 110, 111, false },
	{ 0xfffffff0u, 5, false },               /* newer across the wrap */
	{ 5, 0xfffffff0u, true },                /* older across the wrap */
	{ 110, 110 + 0x7fffffffu, false },       /* 2^31 - 1 ahead: newer */
	{ 110, 110 + 0x80000000u, true },        /* 2^31 ahead: taken as older */
	{ 0, 0xffffffffu, true },
};

START_TEST(test_paws_modular)
{
	const struct paws_case *c = &PAWS_CMP[_i];
	struct harness *h = paws_client();

	h->ep->ts_recent = c->recent;
	h_inject(h, T + MS(20), SEND(.seq = P(1000), .ack = S(0), TS(c->tsval, 100)));
	if (c->dropped) {
		h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1000),
						 .wnd = (BUF - 1000) >> 2, TS(120, c->recent)));
		ck_assert_uint_eq(h->ep->ts_recent, c->recent);
	} else {
		ck_assert_uint_eq(h->ep->ts_recent, c->tsval);
	}
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, c->dropped);
	h_free(h);
}
END_TEST

/* R1's exception: a RST with an old TSval is not discarded. At RCV.NXT it
 * resets the connection; in the window but not at RCV.NXT it gets RFC
 * 5961's challenge ACK, which still echoes TS.Recent: the RST's older
 * TSval is not recorded (R3: SEG.TSval >= TS.Recent). */
START_TEST(test_paws_spares_rst)
{
	struct harness *h = paws_client();

	h_inject(h, T + MS(20), SEND(.flags = TH_RST, .seq = P(1000) + 10, .ack = S(0), .wnd = 0,
				     TS(50, 100)));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2,
					 TS(120, 110)));
	h_expect_state(h, TCPS_ESTABLISHED);
	ck_assert_uint_eq(h->ep->ts_recent, 110);

	h_inject(h, T + MS(30), SEND(.flags = TH_RST, .seq = P(1000), .ack = S(0), .wnd = 0,
				     TS(50, 100)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_RESET);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 0);
	h_free(h);
}
END_TEST

/* A SYN on the synchronized connection with an old TSval: PAWS discards
 * it first, and its ACK is the PAWS ACK, not RFC 5961's challenge ACK. */
START_TEST(test_paws_syn_in_synchronized_state)
{
	struct harness *h = paws_client();

	h_inject(h, T + MS(20), SEND(.flags = TH_SYN, .seq = P(1000), .ack = 0, TS(90, 0)));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2,
					 TS(120, 110)));
	ck_assert_int_eq(h->tx[h->tx_head - 1].why.kind, TCP_WHY_ACK_PAWS);
	h_expect_state(h, TCPS_ESTABLISHED);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 1);
	h_free(h);
}
END_TEST

/*
 * RFC 7323 §5.5: TS.Recent last set at T + 10 ms. After exactly 24 days an
 * old TSval is still discarded; after more than 24 days TS.Recent is
 * invalid and the segment is taken, its TSval the new TS.Recent. The
 * realistic case: the peer's 1 kHz clock ran on for 25 days, 2 160 000 000
 * ticks, more than 2^31, so its newest TSval compares as older.
 */
START_TEST(test_paws_idle_24_days)
{
	struct harness *h = paws_client();
	uint64_t set = T + MS(10);
	uint32_t later = 110 + 2160000000u;

	h_inject(h, set + DAYS(24), SEND(.seq = P(1000), .ack = S(0), .len = 10, TS(105, 100)));
	ck_assert_uint_eq(h_discard_tx(h), 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 1);
	ck_assert_uint_eq(h->ep->rcv_nxt, P(1000));

	h_inject(h, set + DAYS(24) + 1, SEND(.seq = P(1000), .ack = S(0), .len = 10, TS(105, 100)));
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 1);
	ck_assert_uint_eq(h->ep->rcv_nxt, P(1010));
	ck_assert_uint_eq(h->ep->ts_recent, 105);
	ck_assert_uint_eq(h_discard_tx(h), 1);

	/* 25 days on from there, the peer's clock has wrapped past 2^31. */
	h_inject(h, set + DAYS(49) + 1, SEND(.seq = P(1010), .ack = S(0), .len = 10,
					      TS(later, 100)));
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 1);
	ck_assert_uint_eq(h->ep->rcv_nxt, P(1020));
	ck_assert_uint_eq(h->ep->ts_recent, later);
	h_free(h);
}
END_TEST

/* ====================================================================
 * The option where it is not in use: none of the rules above applies.
 * ==================================================================== */

/*
 * We did not offer timestamps (the default); the peer puts the option on
 * its segments anyway. No TS.Recent is kept, no PAWS (a TSval that would
 * be "older" than anything is taken), no option on our ACKs, and the RTT
 * is Karn's timing of the segment (30 ms), not the echo's (130 ms).
 */
START_TEST(test_ts_not_negotiated)
{
	struct harness *h = est_client(NULL);

	ck_assert(!h->ep->ts_ok);
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 100, TS(5, 0)));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_inject(h, T + MS(20), SEND(.seq = P(100), .ack = S(0), .len = 100, TS(0xfffffff0u, 0)));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(200), .wnd = (BUF - 200) >> 2));
	ck_assert_uint_eq(h->ep->ts_recent, 0);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 0);
	ck_assert_uint_eq(h_send(h, 100), 100);
	h_discard_tx(h);
	h_inject(h, T + MS(50), SEND(.seq = P(200), .ack = S(100), TS(7, 0)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(30));
	h_expect_read(h, 200);
	h_free(h);
}
END_TEST

/*
 * Timestamps in use, but a segment comes without the option (RFC 7323
 * §3.2 asks that it be dropped; it is taken, as Linux does): it is not
 * discarded by PAWS, leaves TS.Recent alone, and an ACK without it is
 * timed by Karn's rule (data sent at T + 20 ms, ACKed at T + 45 ms: 25 ms).
 */
START_TEST(test_ts_segment_without_option)
{
	struct harness *h = paws_client();

	h_inject(h, T + MS(20), SEND(.seq = P(1000), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(2000), .wnd = (BUF - 2000) >> 2,
					 TS(120, 110)));
	ck_assert_uint_eq(h->ep->ts_recent, 110);
	ck_assert_uint_eq(tcp_stats(h->ep)->paws_dropped, 0);
	ck_assert_uint_eq(h_send(h, 100), 100);
	h_discard_tx(h);
	h_inject(h, T + MS(45), SEND(.seq = P(2000), .ack = S(100)));
	ck_assert_uint_eq(tcp_last_rtt_ns(h->ep), MS(25));
	ck_assert_uint_eq(h->ep->ts_recent, 110);
	h_expect_read(h, 1000);
	h_free(h);
}
END_TEST

static Suite *tcp_ts_suite(void)
{
	Suite *s = suite_create("tcp_ts");
	TCase *tc;

	tc = tcase_create("clock");
	tcase_add_loop_test(tc, test_ts_clock, 0, NELEM(CLOCKS));
	tcase_add_test(tc, test_ts_clock_on_the_wire);
	suite_add_tcase(s, tc);

	tc = tcase_create("ts-recent");
	tcase_add_test(tc, test_ts_recent_sequence);
	tcase_add_test(tc, test_ts_recent_from_syn);
	suite_add_tcase(s, tc);

	tc = tcase_create("rttm");
	tcase_add_test(tc, test_rttm_appendix_g);
	tcase_add_loop_test(tc, test_rttm_resolution, 0, NELEM(RESOLUTION));
	tcase_add_test(tc, test_rttm_retransmission_sampled);
	tcase_add_test(tc, test_rttm_syn_retransmitted);
	tcase_add_test(tc, test_rttm_future_echo);
	suite_add_tcase(s, tc);

	tc = tcase_create("paws");
	tcase_add_test(tc, test_paws_drops_and_acks);
	tcase_add_loop_test(tc, test_paws_modular, 0, NELEM(PAWS_CMP));
	tcase_add_test(tc, test_paws_spares_rst);
	tcase_add_test(tc, test_paws_syn_in_synchronized_state);
	tcase_add_test(tc, test_paws_idle_24_days);
	suite_add_tcase(s, tc);

	tc = tcase_create("not-in-use");
	tcase_add_test(tc, test_ts_not_negotiated);
	tcase_add_test(tc, test_ts_segment_without_option);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tcp_ts_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
