/*
 * check_tcp: the TCP endpoint, packetdrill style.
 *
 * One endpoint (192.0.2.1:49152) on a virtual clock; the test plays the peer
 * (192.0.2.2:8000). Each test injects segments at exact virtual times and
 * asserts the exact segments the endpoint emits in reply: flags, sequence
 * and acknowledgment numbers, window field, payload length and bytes,
 * options, and the instant they leave. See tests/tcp_harness.h.
 *
 * Groups follow the state the endpoint is in (as smoltcp's tests do):
 * CLOSED, LISTEN, SYN-SENT, SYN-RECEIVED, ESTABLISHED (sending, timers,
 * receiving, RST/SYN), teardown, zero window, sequence wrap-around, loss
 * recovery (duplicate ACKs, fast retransmit, NewReno); then the mechanisms
 * that shape the flow: delayed ACK, Nagle, receiver SWS avoidance, the
 * persist timer's backoff, the counters kept as Wireshark classifies
 * segments, and a reader blocked in read(). Each group names the RFC text it holds the endpoint to. Where
 * cases differ only in data they are a table run by tcase_add_loop_test.
 *
 * Conventions (tests/tcp_testdefs.h): our ISS is 1000 and the peer's 5000
 * unless a test says otherwise; S(off) is the sequence number of byte off of
 * our stream (S(0) is ISS+1), P(off) the same for the peer's. A client
 * handshake ends at T = 100 ms (SYN at 0, SYN-ACK at 100 ms: SRTT 100 ms,
 * RTO 1 s by the 1 s minimum). MTU 1500, so both MSS options say 1460; the
 * peer offers window scale 0, so its window fields are bytes and ours are
 * shifted by 2 (131072-byte buffer, RFC 7323 §2.3).
 */
#include <check.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_harness.h"     /* and tcp_testdefs.h: ISS, MSS, T, S(), SEND(), RECV() ... */

/* This file's peer: no SACK, no timestamps. */
static const struct h_peer PEER = { .iss = PEER_ISS, .wnd = 65535, .mss = MSS, .wscale = 0 };

/* A client in ESTABLISHED at T (SYN at 0, SYN-ACK at T). */
static struct harness *est_client(const struct tcp_cfg *cfg)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_client(h, &PEER, T);
	return h;
}

/* A server in ESTABLISHED at T (SYN at 0, the handshake's ACK at T). */
static struct harness *est_server(const struct tcp_cfg *cfg)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_server(h, &PEER, 0, T);
	return h;
}

/* Expects n bytes of our stream from offset off at time at, in SMSS-sized
 * segments (PSH on the last one when psh_last), acknowledging ack. */
static void expect_data(struct harness *h, uint64_t at, uint64_t off, uint64_t n,
			uint32_t smss, uint32_t ack, uint16_t wnd, bool psh_last)
{
	while (n > 0) {
		uint32_t len = n > smss ? smss : (uint32_t)n;
		uint8_t flags = TH_ACK | (n == len && psh_last ? TH_PSH : 0);

		h_expect_tx(h, at, RECV(.flags = flags, .seq = S(off), .ack = ack, .wnd = wnd,
					.len = len));
		off += len;
		n -= len;
	}
}

/* ====================================================================
 * CLOSED: RFC 9293 §3.10.7.1 "If the state is CLOSED (i.e., TCB does not
 * exist)": a RST is dropped; a segment with ACK gets <SEQ=SEG.ACK><CTL=RST>;
 * any other gets <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, SEG.LEN counting
 * SYN and FIN.
 * ==================================================================== */

static const struct reset_case {
	const char *name;
	uint8_t flags;
	uint32_t seq, ack, len;
	bool reply;
	uint8_t want_flags;
	uint32_t want_seq, want_ack;
} RESETS[] = {
	{ "SYN", TH_SYN, 100, 0, 0, true, TH_RST | TH_ACK, 0, 101 },
	{ "SYN with data", TH_SYN, 100, 0, 5, true, TH_RST | TH_ACK, 0, 106 },
	{ "ACK", TH_ACK, 100, 7000, 0, true, TH_RST, 7000, 0 },
	{ "ACK with data", TH_ACK | TH_PSH, 100, 7000, 50, true, TH_RST, 7000, 0 },
	{ "FIN+ACK", TH_FIN | TH_ACK, 100, 9, 0, true, TH_RST, 9, 0 },
	{ "FIN with data", TH_FIN | TH_PSH, 100, 0, 10, true, TH_RST | TH_ACK, 0, 111 },
	{ "no flags", 0, 0xffffffffu, 0, 1, true, TH_RST | TH_ACK, 0, 0 },
	{ "SYN+FIN", TH_SYN | TH_FIN, 100, 0, 0, true, TH_RST | TH_ACK, 0, 102 },
	{ "RST", TH_RST, 100, 0, 0, false, 0, 0, 0 },
	{ "RST+ACK", TH_RST | TH_ACK, 100, 7000, 0, false, 0, 0, 0 },
};

START_TEST(test_closed_reset_for)
{
	const struct reset_case *c = &RESETS[_i];
	struct tcp_seg in = {
		.src_addr = H_PEER_ADDR, .dst_addr = H_LOCAL_ADDR,
		.src_port = H_PEER_PORT, .dst_port = H_LOCAL_PORT,
		.flags = c->flags, .seq = c->seq, .ack = c->ack, .wnd = 1000,
		.payload = h_pattern(0), .len = c->len,
	};
	struct tcp_seg rst;
	bool reply;

	memset(&rst, 0xa5, sizeof(rst));
	reply = tcp_reset_for(&in, &rst);
	ck_assert_msg(reply == c->reply, "%s: reply %d", c->name, reply);
	if (!c->reply)
		return;
	ck_assert_uint_eq(rst.flags, c->want_flags);
	ck_assert_uint_eq(rst.seq, c->want_seq);
	ck_assert_uint_eq(rst.ack, c->want_ack);
	ck_assert_uint_eq(rst.len, 0);
	ck_assert_uint_eq(rst.wnd, 0);
	ck_assert_uint_eq(rst.src_addr, H_LOCAL_ADDR);
	ck_assert_uint_eq(rst.dst_addr, H_PEER_ADDR);
	ck_assert_uint_eq(rst.src_port, H_LOCAL_PORT);
	ck_assert_uint_eq(rst.dst_port, H_PEER_PORT);
	ck_assert(!rst.opt.has_mss && !rst.opt.has_wscale && !rst.opt.has_ts);
}
END_TEST

/* An endpoint never opened owns nothing and says nothing (the host answers
 * with tcp_reset_for). */
START_TEST(test_closed_endpoint_silent)
{
	struct harness *h = h_new(NULL, MTU, ISS);
	struct tcp_seg syn = {
		.src_addr = H_PEER_ADDR, .dst_addr = H_LOCAL_ADDR,
		.src_port = H_PEER_PORT, .dst_port = H_LOCAL_PORT,
		.flags = TH_SYN, .seq = 1, .wnd = 1000,
	};

	ck_assert(!tcp_owns(h->ep, &syn));
	h_inject(h, MS(5), &syn);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * LISTEN: RFC 9293 §3.10.7.2. A RST is ignored; an ACK gets
 * <SEQ=SEG.ACK><CTL=RST>; a SYN gets <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
 * The SYN-ACK carries our MSS (RFC 9293 §3.7.1: MTU - 40), a window scale
 * only if the SYN had one (RFC 7323 §2.2) with the smallest shift that lets
 * the field cover the buffer (§2.3), timestamps only if both want them
 * (§3.2), and an unscaled window field min(buffer, 65535) (§2.2).
 * ==================================================================== */

START_TEST(test_listen_ignores_rst)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_listen(h);
	h_inject(h, MS(1), SEND(.flags = TH_RST, .seq = 100));
	h_inject(h, MS(2), SEND(.flags = TH_RST | TH_ACK, .seq = 100, .ack = 7));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_LISTEN);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

START_TEST(test_listen_rst_for_ack)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_listen(h);
	h_inject(h, MS(3), SEND(.seq = 100, .ack = 7777));
	h_expect_tx(h, MS(3), RECV(.flags = TH_RST, .seq = 7777, .ack = 0, .wnd = 0));
	/* A SYN+ACK has an ACK too. */
	h_inject(h, MS(4), SEND(.flags = TH_SYN | TH_ACK, .seq = 100, .ack = 0x80000000u));
	h_expect_tx(h, MS(4), RECV(.flags = TH_RST, .seq = 0x80000000u, .ack = 0, .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_LISTEN);
	h_free(h);
}
END_TEST

static const struct listen_case {
	const char *name;
	uint64_t rcvbuf;             /* 0: the default, 131072 */
	bool no_ws;                  /* window_scaling: false */
	bool ts;                     /* timestamps: true */
	uint32_t cfg_mss;
	uint32_t mtu;                /* 0: 1500 */
	int syn_ws;                  /* H_NO_WS or the SYN's shift */
	bool syn_ts;
	uint16_t want_wnd, want_mss;
	bool want_ws;
	uint8_t want_shift;
	bool want_ts;
} LISTENS[] = {
	{ "default, SYN offers WS 7", 0, false, false, 0, 0, 7, false, 65535, 1460, true, 2, false },
	{ "SYN without WS", 0, false, false, 0, 0, H_NO_WS, false, 65535, 1460, false, 0, false },
	{ "buffer 65535: shift 0", 65535, false, false, 0, 0, 0, false, 65535, 1460, true, 0, false },
	{ "buffer 65536: shift 1", 65536, false, false, 0, 0, 0, false, 65535, 1460, true, 1, false },
	{ "buffer 1 MiB: shift 5", 1u << 20, false, false, 0, 0, 14, false, 65535, 1460, true, 5, false },
	{ "buffer 16 KiB", 16384, false, false, 0, 0, 3, false, 16384, 1460, true, 0, false },
	{ "window_scaling off", 0, true, false, 0, 0, 7, false, 65535, 1460, false, 0, false },
	{ "MTU 9000", 0, false, false, 0, 9000, 7, false, 65535, 8960, true, 2, false },
	{ "MTU 576", 0, false, false, 0, 576, 7, false, 65535, 536, true, 2, false },
	{ "configured MSS 1200", 0, false, false, 1200, 0, 7, false, 65535, 1200, true, 2, false },
	{ "timestamps both", 0, false, true, 0, 0, 7, true, 65535, 1460, true, 2, true },
	{ "timestamps, SYN without", 0, false, true, 0, 0, 7, false, 65535, 1460, true, 2, false },
	{ "SYN timestamps, ours off", 0, false, false, 0, 0, 7, true, 65535, 1460, true, 2, false },
};

START_TEST(test_listen_synack)
{
	const struct listen_case *c = &LISTENS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	struct tcp_seg want = {
		.flags = TH_SYN | TH_ACK, .seq = ISS, .ack = 70001, .wnd = c->want_wnd,
		.opt = { .has_mss = true, .mss = c->want_mss, .has_wscale = c->want_ws,
			 .wscale = c->want_shift, .has_ts = c->want_ts, .ts_val = 250, .ts_ecr = 77 },
	};

	if (c->rcvbuf)
		cfg.receive_buffer = c->rcvbuf;
	cfg.window_scaling = !c->no_ws;
	cfg.timestamps = c->ts;
	cfg.mss = c->cfg_mss;
	h = h_new(&cfg, c->mtu ? c->mtu : MTU, ISS);
	h_listen(h);
	h_inject(h, MS(250), SEND(.flags = TH_SYN, .seq = 70000, .wnd = 29200,
				  .opt = { .has_mss = true, .mss = 1460,
					   .has_wscale = c->syn_ws != H_NO_WS,
					   .wscale = (uint8_t)(c->syn_ws < 0 ? 0 : c->syn_ws),
					   .has_ts = c->syn_ts, .ts_val = 77 }));
	h_expect_tx(h, MS(250), &want);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_RECEIVED);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * SYN-SENT: RFC 9293 §3.10.1 OPEN and §3.10.7.3. The SYN; its
 * retransmission with RFC 6298 (5.5) backoff and the R2 limit (§3.8.3); RST
 * with an acceptable ACK is "connection refused", with another ACK ignored;
 * a bad ACK gets <SEQ=SEG.ACK><CTL=RST>; a SYN-ACK completes the open.
 * RFC 9293 §3.7.1 (MSS, 536 by default), RFC 7323 §2.2 (window scale only
 * when both SYNs carry it), RFC 6298 (5.7) (RTO 3 s after a SYN timeout).
 * ==================================================================== */

static const struct syn_case {
	const char *name;
	uint64_t rcvbuf;
	bool no_ws, ts;
	uint32_t mtu;
	uint16_t want_wnd, want_mss;
	bool want_ws;
	uint8_t want_shift;
} SYNS[] = {
	{ "default", 0, false, false, 0, 65535, 1460, true, 2 },
	{ "window_scaling off", 0, true, false, 0, 65535, 1460, false, 0 },
	{ "timestamps", 0, false, true, 0, 65535, 1460, true, 2 },
	{ "MTU 576", 0, false, false, 576, 65535, 536, true, 2 },
	{ "buffer 8 KiB", 8192, false, false, 0, 8192, 1460, true, 0 },
	{ "buffer 256 KiB", 262144, false, false, 0, 65535, 1460, true, 3 },
};

START_TEST(test_syn_fields)
{
	const struct syn_case *c = &SYNS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;

	if (c->rcvbuf)
		cfg.receive_buffer = c->rcvbuf;
	cfg.window_scaling = !c->no_ws;
	cfg.timestamps = c->ts;
	h = h_new(&cfg, c->mtu ? c->mtu : MTU, ISS);
	h_run_until(h, MS(1234));
	h_connect(h);
	h_expect_tx(h, MS(1234), RECV(.flags = TH_SYN, .seq = ISS, .ack = 0, .wnd = c->want_wnd,
				      .opt = { .has_mss = true, .mss = c->want_mss,
					       .has_wscale = c->want_ws, .wscale = c->want_shift,
					       .has_ts = c->ts, .ts_val = 1234, .ts_ecr = 0 }));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_SENT);
	h_free(h);
}
END_TEST

static const struct syn_backoff_case {
	uint32_t syn_retries;
	uint64_t initial_rto, max_rto;
	int n;
	uint64_t at[8];              /* retransmissions */
	uint64_t give_up;
} SYN_BACKOFFS[] = {
	{ 6, SEC(1), SEC(60), 6, { SEC(1), SEC(3), SEC(7), SEC(15), SEC(31), SEC(63) }, SEC(123) },
	{ 2, SEC(1), SEC(60), 2, { SEC(1), SEC(3) }, SEC(7) },
	{ 3, SEC(2), SEC(5), 3, { SEC(2), SEC(6), SEC(11) }, SEC(16) },
	{ 0, SEC(1), SEC(60), 0, { 0 }, SEC(1) },
};

START_TEST(test_syn_retransmit_backoff)
{
	const struct syn_backoff_case *c = &SYN_BACKOFFS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	const struct tcp_seg *syn = RECV(.flags = TH_SYN, .seq = ISS, .ack = 0, .wnd = 65535,
					 .opt = { .has_mss = true, .mss = MSS,
						  .has_wscale = true, .wscale = 2 });

	cfg.syn_retries = c->syn_retries;
	cfg.initial_rto_ns = c->initial_rto;
	cfg.max_rto_ns = c->max_rto;
	h = h_new(&cfg, MTU, ISS);
	h_connect(h);
	h_expect_tx(h, 0, syn);
	for (int k = 0; k < c->n; k++) {
		h_run_until(h, c->at[k] - 1);
		h_expect_no_tx(h);
		h_run_until(h, c->at[k]);
		h_expect_tx(h, c->at[k], syn);
		h_expect_state(h, TCPS_SYN_SENT);
	}
	h_run_until(h, c->give_up - 1);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_SENT);
	h_run_until(h, c->give_up);
	/* No RST: nothing is synchronized (RFC 9293 §3.10.5 ABORT in SYN-SENT). */
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_TIMEOUT);
	h_expect_event(h, TCP_EV_CLOSED);
	h_expect_no_event(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, c->syn_retries);
	h_run_until(h, SEC(1000));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

START_TEST(test_syn_sent_rst_refused)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_inject(h, MS(50), SEND(.flags = TH_RST | TH_ACK, .seq = 0, .ack = ISS + 1, .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_REFUSED);
	h_expect_event(h, TCP_EV_CLOSED);
	h_expect_no_event(h);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);              /* the SYN timer is gone */
	h_free(h);
}
END_TEST

/* "If the RST bit is set: If the ACK was acceptable ...; otherwise (no ACK)
 * drop the segment"; with an unacceptable ACK, "discard the segment". */
static const struct { uint8_t flags; uint32_t ack; } BAD_RSTS[] = {
	{ TH_RST | TH_ACK, ISS },
	{ TH_RST | TH_ACK, ISS + 2 },
	{ TH_RST | TH_ACK, ISS - 100 },
	{ TH_RST | TH_ACK, ISS + 0x80000000u },
	{ TH_RST, 0 },
};

START_TEST(test_syn_sent_rst_ignored)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_inject(h, MS(50), SEND(.flags = BAD_RSTS[_i].flags, .seq = 0, .ack = BAD_RSTS[_i].ack,
				 .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_SENT);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_NONE);
	h_expect_no_event(h);
	/* The SYN timer still runs. */
	h_run_until(h, SEC(1));
	h_expect_tx_mask(h, SEC(1), RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_free(h);
}
END_TEST

/* "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset <SEQ=SEG.ACK><CTL=RST>";
 * an ACK that is acceptable but without SYN is dropped. */
static const struct { uint8_t flags; uint32_t ack; bool rst; } BAD_ACKS[] = {
	{ TH_SYN | TH_ACK, ISS, true },
	{ TH_SYN | TH_ACK, ISS + 2, true },
	{ TH_SYN | TH_ACK, ISS + 1000, true },
	{ TH_SYN | TH_ACK, ISS - 1, true },
	{ TH_ACK, ISS + 7, true },
	{ TH_ACK, ISS + 1, false },
};

START_TEST(test_syn_sent_bad_ack)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_inject(h, MS(50), SEND(.flags = BAD_ACKS[_i].flags, .seq = PEER_ISS,
				 .ack = BAD_ACKS[_i].ack, .opt = { .has_mss = true, .mss = 1460 }));
	if (BAD_ACKS[_i].rst)
		h_expect_tx(h, MS(50), RECV(.flags = TH_RST, .seq = BAD_ACKS[_i].ack, .ack = 0,
					    .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_SENT);
	h_expect_no_event(h);
	h_run_until(h, SEC(1));
	h_expect_tx_mask(h, SEC(1), RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_free(h);
}
END_TEST

/* The SYN-ACK: ESTABLISHED, <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>, the RTT
 * sample from the SYN (RFC 6298 (2.2)), no retransmission afterwards. */
START_TEST(test_syn_sent_synack)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_connect(h);
	h_expect_tx(h, 0, RECV(.flags = TH_SYN, .seq = ISS, .ack = 0, .wnd = 65535,
			       .opt = { .has_mss = true, .mss = MSS, .has_wscale = true, .wscale = 2 }));
	h_inject(h, MS(80), SEND(.flags = TH_SYN | TH_ACK, .seq = 424242, .ack = ISS + 1,
				 .wnd = 20000, .opt = { .has_mss = true, .mss = 1400,
							.has_wscale = true, .wscale = 1 }));
	h_expect_tx(h, MS(80), RECV(.seq = ISS + 1, .ack = 424243, .wnd = WND_FULL));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_event(h, TCP_EV_CONNECTED);
	h_expect_no_event(h);
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(80));
	ck_assert_uint_eq(tcp_smss(h->ep), 1400);
	ck_assert_uint_eq(h->ep->snd_wnd, 20000);       /* never scaled on a SYN */
	ck_assert_uint_eq(tcp_cwnd(h->ep), 14000);
	h_run_until(h, SEC(200));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.7.1: SMSS = min(peer's MSS, ours), 536 when the peer sends
 * none, less the 12 bytes of timestamps every segment carries (RFC 7323);
 * RFC 6928 / RFC 5681 §3.1: IW = 10 * SMSS. */
static const struct mss_case {
	const char *name;
	uint16_t peer_mss;           /* 0: no option */
	uint32_t mtu;
	bool ts;
	uint32_t want_smss;
} MSSES[] = {
	{ "both 1460", 1460, 1500, false, 1460 },
	{ "peer 1000", 1000, 1500, false, 1000 },
	{ "peer 9000", 9000, 1500, false, 1460 },
	{ "no option", 0, 1500, false, 536 },
	{ "ours 536", 1460, 576, false, 536 },
	{ "timestamps", 1460, 1500, true, 1448 },
};

START_TEST(test_mss_negotiation)
{
	const struct mss_case *c = &MSSES[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct h_peer peer = PEER;
	struct harness *h;
	uint32_t smss = c->want_smss;

	cfg.timestamps = c->ts;
	peer.mss = c->peer_mss;
	peer.ts = c->ts;
	h = h_new(&cfg, c->mtu, ISS);
	h_established_client(h, &peer, T);
	ck_assert_uint_eq(tcp_smss(h->ep), smss);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 10u * smss);

	h_send(h, 2 * smss + 100);
	for (int k = 0; k < 3; k++) {
		uint32_t len = k < 2 ? smss : 100;
		h_expect_tx_mask(h, T, RECV(.flags = TH_ACK | (k == 2 ? TH_PSH : 0),
					    .seq = S((uint64_t)k * smss), .ack = P(0), .len = len,
					    .opt = { .has_ts = c->ts }),
				 HF_ALL & ~HF_TSVAL);
	}
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/*
 * RFC 9293 §3.7.1 Eff.snd.MSS = min(SendMSS + 20, MMS_S) - TCPhdrsize, with
 * RFC 6691 §2 (the option excludes TCP options: the sender takes its own 12
 * bytes of timestamps off) and a floor of 48 for absurd announcements (Linux's
 * tcp_min_snd_mss), never above what our MTU allows (MMS_S = MTU - 20). The
 * SYN-ACK carries an MSS option of exactly peer_mss, 0 included. Then one
 * write of 2 * SMSS + 1 bytes: two full segments and the last byte.
 */
static const struct mss_floor_case {
	const char *name;
	uint16_t peer_mss;
	bool ts;
	uint32_t mtu, cfg_mss;
	uint32_t want_smss;
} MSS_FLOORS[] = {
	{ "0", 0, false, 1500, 0, 48 },
	{ "1", 1, false, 1500, 0, 48 },
	{ "11", 11, false, 1500, 0, 48 },
	{ "12", 12, false, 1500, 0, 48 },
	{ "13", 13, false, 1500, 0, 48 },
	{ "48", 48, false, 1500, 0, 48 },
	{ "49", 49, false, 1500, 0, 49 },
	{ "536", 536, false, 1500, 0, 536 },
	{ "65535", 65535, false, 1500, 0, 1460 },
	{ "0 + TS", 0, true, 1500, 0, 36 },
	{ "1 + TS", 1, true, 1500, 0, 36 },
	{ "11 + TS", 11, true, 1500, 0, 36 },
	{ "12 + TS", 12, true, 1500, 0, 36 },
	{ "13 + TS", 13, true, 1500, 0, 36 },
	{ "48 + TS", 48, true, 1500, 0, 36 },
	{ "536 + TS", 536, true, 1500, 0, 524 },
	{ "65535 + TS", 65535, true, 1500, 0, 1448 },
	/* Our own MTU bounds it even when the configured MSS says more. */
	{ "MTU 576, mss 1460", 65535, false, 576, 1460, 536 },
	{ "MTU 576, mss 1460 + TS", 65535, true, 576, 1460, 524 },
	/* The smallest MTU (RFC 791: 68) wins over the floor. */
	{ "MTU 68", 1, false, 68, 0, 28 },
	{ "MTU 68 + TS", 1, true, 68, 0, 16 },
	/* A configured MSS below the floor gets the floor too. */
	{ "mss 20 + TS", 1460, true, 1500, 20, 36 },
};

START_TEST(test_mss_floor)
{
	const struct mss_floor_case *c = &MSS_FLOORS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint32_t smss = c->want_smss;
	uint16_t our_mss = (uint16_t)(c->cfg_mss ? c->cfg_mss : c->mtu - 40);
	uint8_t shift = 2;

	cfg.timestamps = c->ts;
	cfg.mss = c->cfg_mss;
	h = h_new(&cfg, c->mtu, ISS);
	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS, .ack = 0, .wnd = 65535,
				    .opt = { .has_mss = true, .mss = our_mss, .has_wscale = true,
					     .wscale = shift, .has_ts = c->ts }),
			 HF_ALL & ~HF_TSVAL);
	h->peer = PEER;
	h->peer.ts = c->ts;
	h_inject(h, T, SEND(.flags = TH_SYN | TH_ACK, .seq = PEER_ISS, .ack = ISS + 1,
			    .opt = { .has_mss = true, .mss = c->peer_mss, .has_wscale = true,
				     .wscale = 0, .has_ts = c->ts, .ts_val = 100 }));
	h_expect_tx_mask(h, T, RECV(.seq = S(0), .ack = P(0), .opt = { .has_ts = c->ts }),
			 HF_ALL & ~HF_TSVAL);
	h_expect_state(h, TCPS_ESTABLISHED);
	ck_assert_uint_eq(tcp_smss(h->ep), smss);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 10u * smss);

	ck_assert_uint_eq(h_send(h, 2 * smss + 1), 2 * smss + 1);
	for (int k = 0; k < 3; k++)
		h_expect_tx_mask(h, T, RECV(.flags = TH_ACK | (k == 2 ? TH_PSH : 0),
					    .seq = S((uint64_t)k * smss), .ack = P(0),
					    .len = k < 2 ? smss : 1, .opt = { .has_ts = c->ts }),
				 HF_ALL & ~HF_TSVAL);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 7323 §2.2-§2.3: the shift is used only when both SYNs carried the
 * option; a shift above 14 is taken as 14. The peer then advertises a window
 * field of 2920 and we send 20000 bytes: what leaves is bounded by the
 * scaled window (and the 10-segment IW). Our own fields are scaled by 2, or
 * not at all. */
static const struct ws_case {
	const char *name;
	bool no_ws;                  /* our window_scaling off */
	int peer_ws;
	bool want_ws_on_syn;
	uint16_t want_ack_wnd;       /* our ACK of the SYN-ACK */
	uint64_t want_snd_wnd;
	int want_segs;
	uint16_t want_data_ack_wnd;  /* our ACK of 1000 bytes of the peer's */
} WSES[] = {
	{ "both, peer 3", false, 3, true, WND_FULL, 23360, 10, 32518 },
	{ "both, peer 0", false, 0, true, WND_FULL, 2920, 2, 32518 },
	{ "peer none", false, H_NO_WS, true, 65535, 2920, 2, 65535 },
	{ "both, peer 14", false, 14, true, WND_FULL, 2920ull << 14, 10, 32518 },
	{ "both, peer 15 = 14", false, 15, true, WND_FULL, 2920ull << 14, 10, 32518 },
	{ "ours off, peer 3", true, 3, false, 65535, 2920, 2, 65535 },
};

START_TEST(test_window_scale_negotiation)
{
	const struct ws_case *c = &WSES[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;

	cfg.window_scaling = !c->no_ws;
	h = h_new(&cfg, MTU, ISS);
	h->peer.iss = PEER_ISS;
	h_connect(h);
	h_expect_tx(h, 0, RECV(.flags = TH_SYN, .seq = ISS, .ack = 0, .wnd = 65535,
			       .opt = { .has_mss = true, .mss = MSS,
					.has_wscale = c->want_ws_on_syn, .wscale = 2 }));
	h_inject(h, T, SEND(.flags = TH_SYN | TH_ACK, .seq = PEER_ISS, .ack = ISS + 1,
			    .wnd = 65535,
			    .opt = { .has_mss = true, .mss = MSS,
				     .has_wscale = c->peer_ws != H_NO_WS,
				     .wscale = (uint8_t)(c->peer_ws < 0 ? 0 : c->peer_ws) }));
	h_expect_tx(h, T, RECV(.seq = S(0), .ack = P(0), .wnd = c->want_ack_wnd));
	h_expect_event(h, TCP_EV_CONNECTED);

	h_inject(h, MS(110), SEND(.seq = P(0), .ack = S(0), .wnd = 2920));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->snd_wnd, c->want_snd_wnd);
	h_send(h, 20000);
	expect_data(h, MS(110), 0, (uint64_t)c->want_segs * MSS, MSS, P(0), c->want_ack_wnd,
		    false);
	h_expect_no_tx(h);

	h_inject(h, MS(120), SEND(.seq = P(0), .ack = S(0), .wnd = 2920, .len = 1000));
	h_expect_tx(h, MS(120), RECV(.seq = S((uint64_t)c->want_segs * MSS), .ack = P(1000),
				     .wnd = c->want_data_ack_wnd));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 6298 (5.7): "If the timer expires awaiting the ACK of a SYN segment
 * and the TCP implementation is using an RTO less than 3 seconds, the RTO
 * MUST be re-initialized to 3 seconds when data transmission begins". Karn
 * forbids a sample from the retransmitted SYN. Without a SYN timeout the
 * RTO comes from the sample (clamped to 1 s). */
static const struct syn_rto_case {
	bool server;
	bool retransmitted;
	uint64_t reply_at;           /* SYN-ACK (client) or ACK (server) */
	uint64_t want_rto;
} SYN_RTOS[] = {
	{ false, true, MS(1100), SEC(3) },
	{ false, false, MS(100), SEC(1) },
	{ false, false, MS(500), MS(1500) },
	{ true, true, MS(1100), SEC(3) },
	{ true, false, MS(100), SEC(1) },
};

START_TEST(test_syn_timeout_rto_3s)
{
	const struct syn_rto_case *c = &SYN_RTOS[_i];
	struct harness *h = h_new(NULL, MTU, ISS);
	uint64_t t = c->reply_at;

	h->peer = PEER;
	if (!c->server) {
		h_connect(h);
		h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
		if (c->retransmitted) {
			h_run_until(h, SEC(1));
			h_expect_tx_mask(h, SEC(1), RECV(.flags = TH_SYN, .seq = ISS),
					 HF_AT | HF_FLAGS | HF_SEQ);
		}
		h_inject(h, t, SEND(.flags = TH_SYN | TH_ACK, .seq = PEER_ISS, .ack = ISS + 1,
				    .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
		h_expect_tx(h, t, RECV(.seq = S(0), .ack = P(0)));
	} else {
		h_listen(h);
		h_inject(h, 0, SEND(.flags = TH_SYN, .seq = PEER_ISS,
				    .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
		h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN | TH_ACK, .seq = ISS, .ack = P(0)),
				 HF_AT | HF_FLAGS | HF_SEQ | HF_ACK);
		if (c->retransmitted) {
			h_run_until(h, SEC(1));
			h_expect_tx_mask(h, SEC(1), RECV(.flags = TH_SYN | TH_ACK, .seq = ISS,
							 .ack = P(0)),
					 HF_AT | HF_FLAGS | HF_SEQ | HF_ACK);
		}
		h_inject(h, t, SEND(.seq = P(0), .ack = S(0)));
	}
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), c->want_rto);
	h_send(h, 100);
	h_expect_tx(h, t, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_run_until(h, t + c->want_rto - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + c->want_rto);
	h_expect_tx(h, t + c->want_rto,
		    RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.7.3: a SYN without ACK in SYN-SENT is a simultaneous open:
 * SYN-RECEIVED, <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>. */
START_TEST(test_syn_sent_simultaneous_open)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h->peer = PEER;
	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_inject(h, MS(30), SEND(.flags = TH_SYN, .seq = PEER_ISS, .wnd = 65535,
				 .opt = { .has_mss = true, .mss = 1400, .has_wscale = true }));
	h_expect_tx(h, MS(30), RECV(.flags = TH_SYN | TH_ACK, .seq = ISS, .ack = P(0), .wnd = 65535,
				    .opt = { .has_mss = true, .mss = MSS,
					     .has_wscale = true, .wscale = 2 }));
	h_expect_state(h, TCPS_SYN_RECEIVED);
	/* The peer's ACK of our SYN-ACK completes the open. */
	h_inject(h, MS(60), SEND(.seq = P(0), .ack = S(0)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_event(h, TCP_EV_CONNECTED);
	ck_assert_uint_eq(tcp_smss(h->ep), 1400);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.2 SEND in SYN-SENT: "queue the data for transmission
 * after entering ESTABLISHED state". It leaves with the SYN-ACK's
 * acknowledgment: no separate pure ACK. */
START_TEST(test_syn_sent_queued_data)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h->peer = PEER;
	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	ck_assert_uint_eq(h_send(h, 2000), 2000);
	h_expect_no_tx(h);
	h_inject(h, T, SEND(.flags = TH_SYN | TH_ACK, .seq = PEER_ISS, .ack = ISS + 1,
			    .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
	h_expect_tx(h, T, RECV(.seq = S(0), .ack = P(0), .len = 1460));
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0), .len = 540));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_free(h);
}
END_TEST

START_TEST(test_syn_sent_close)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_SYN, .seq = ISS), HF_AT | HF_FLAGS | HF_SEQ);
	h_run_until(h, MS(10));
	h_close(h);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	h_expect_event(h, TCP_EV_CLOSED);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * SYN-RECEIVED: RFC 9293 §3.10.7.4. A retransmitted SYN means our SYN-ACK
 * was lost: it is sent again. The ACK completes the open; a bad ACK gets
 * <SEQ=SEG.ACK><CTL=RST>; a RST returns a passive open to LISTEN. The
 * SYN-ACK is retransmitted by RFC 6298 timer rules.
 * ==================================================================== */

static const struct tcp_seg *synack_want(struct harness *h)
{
	static struct tcp_seg s;

	memset(&s, 0, sizeof(s));
	s.flags = TH_SYN | TH_ACK;
	s.seq = ISS;
	s.ack = P(0);
	s.wnd = 65535;
	s.opt.has_mss = true;
	s.opt.mss = MSS;
	s.opt.has_wscale = true;
	s.opt.wscale = 2;
	return &s;
}

static struct harness *syn_received(void)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h->peer = PEER;
	h_listen(h);
	h_inject(h, 0, SEND(.flags = TH_SYN, .seq = PEER_ISS, .wnd = 65535,
			    .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
	h_expect_tx(h, 0, synack_want(h));
	h_expect_state(h, TCPS_SYN_RECEIVED);
	return h;
}

START_TEST(test_synrcvd_duplicate_syn)
{
	struct harness *h = syn_received();

	h_inject(h, MS(300), SEND(.flags = TH_SYN, .seq = PEER_ISS, .wnd = 65535,
				  .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
	h_expect_tx(h, MS(300), synack_want(h));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_RECEIVED);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 1);
	h_free(h);
}
END_TEST

START_TEST(test_synrcvd_ack_establishes)
{
	struct harness *h = syn_received();

	h_inject(h, MS(100), SEND(.seq = P(0), .ack = S(0), .wnd = 40000));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_event(h, TCP_EV_CONNECTED);
	h_expect_no_event(h);
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(100));
	ck_assert_uint_eq(h->ep->snd_wnd, 40000);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);              /* the SYN-ACK timer is off */
	h_free(h);
}
END_TEST

START_TEST(test_synrcvd_ack_with_data)
{
	struct harness *h = syn_received();

	h_inject(h, MS(100), SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 100));
	h_expect_tx(h, MS(100), RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_event(h, TCP_EV_CONNECTED);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 100);
	h_free(h);
}
END_TEST

START_TEST(test_synrcvd_bad_ack)
{
	struct harness *h = syn_received();

	h_inject(h, MS(100), SEND(.seq = P(0), .ack = ISS + 5));
	h_expect_tx(h, MS(100), RECV(.flags = TH_RST, .seq = ISS + 5, .ack = 0, .wnd = 0));
	h_inject(h, MS(110), SEND(.seq = P(0), .ack = ISS));
	h_expect_tx(h, MS(110), RECV(.flags = TH_RST, .seq = ISS, .ack = 0, .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_RECEIVED);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

START_TEST(test_synrcvd_rst_back_to_listen)
{
	struct harness *h = syn_received();

	h_inject(h, MS(50), SEND(.flags = TH_RST, .seq = P(0), .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_LISTEN);
	h_expect_no_event(h);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_NONE);
	/* A new connection attempt is answered as from LISTEN. */
	h->peer.iss = 9000;
	h_inject(h, MS(200), SEND(.flags = TH_SYN, .seq = 9000, .wnd = 65535,
				  .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
	h_expect_tx(h, MS(200), synack_want(h));
	h_expect_state(h, TCPS_SYN_RECEIVED);
	/* The first SYN-ACK's timer died with it; the new one fires 1 s after it. */
	h_run_until(h, MS(1199));
	h_expect_no_tx(h);
	h_run_until(h, MS(1200));
	h_expect_tx(h, MS(1200), synack_want(h));
	h_free(h);
}
END_TEST

/*
 * RFC 7323 §2.2: a SYN-ACK offers window scale only if the SYN did. After a
 * RST has taken a passive connection back to LISTEN (RFC 9293 §3.10.7.4),
 * the next SYN, which offers it, gets our shift (2 for the 131072-byte
 * buffer) as on a fresh endpoint, not the 0 of the first connection.
 */
START_TEST(test_synrcvd_rst_then_scaled_syn)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h->peer = PEER;
	h->peer.wscale = H_NO_WS;
	h_listen(h);
	h_inject(h, 0, SEND(.flags = TH_SYN, .seq = PEER_ISS, .opt = { .has_mss = true, .mss = MSS }));
	h_expect_tx(h, 0, RECV(.flags = TH_SYN | TH_ACK, .seq = ISS, .ack = P(0), .wnd = 65535,
			       .opt = { .has_mss = true, .mss = MSS }));
	h_inject(h, MS(10), SEND(.flags = TH_RST, .seq = P(0), .wnd = 0));
	h_expect_state(h, TCPS_LISTEN);
	h->peer.iss = 9000;
	h->peer.wscale = 0;
	h_inject(h, MS(20), SEND(.flags = TH_SYN, .seq = 9000,
				 .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
	h_expect_tx(h, MS(20), RECV(.flags = TH_SYN | TH_ACK, .seq = ISS, .ack = 9001, .wnd = 65535,
				    .opt = { .has_mss = true, .mss = MSS, .has_wscale = true,
					     .wscale = 2 }));
	h_inject(h, MS(30), SEND(.seq = 9001, .ack = S(0)));
	h_expect_state(h, TCPS_ESTABLISHED);
	h_inject(h, MS(40), SEND(.seq = 9001, .ack = S(0), .len = 1000));
	h_expect_tx(h, MS(40), RECV(.seq = S(0), .ack = 10001, .wnd = (BUF - 1000) >> 2));
	h_free(h);
}
END_TEST

/*
 * RFC 2883 §4: a segment partly below RCV.NXT has that part reported as a
 * D-SACK in the next ACK. If a RST (its sequence number, once trimmed,
 * RCV.NXT) takes the passive connection back to LISTEN first, that block
 * belongs to the dead connection: the next one's first ACK carries none.
 */
START_TEST(test_synrcvd_rst_forgets_dsack)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	static const uint8_t text[200];
	struct tcp_seg got;

	cfg.sack = true;
	h = h_new(&cfg, MTU, ISS);
	h->peer = PEER;
	h->peer.sack = true;
	h_listen(h);
	h_inject(h, 0, SEND(.flags = TH_SYN, .seq = PEER_ISS,
			    .opt = { .has_mss = true, .mss = MSS, .sack_permitted = true }));
	h_discard_tx(h);
	h_expect_state(h, TCPS_SYN_RECEIVED);
	/* 100 bytes before the SYN's successor, then 100 at RCV.NXT, and RST. */
	h_inject(h, MS(10), SEND(.flags = TH_RST, .seq = PEER_ISS + 1 - 100, .len = 200,
				 .payload = text, .wnd = 0));
	h_expect_state(h, TCPS_LISTEN);
	h_discard_tx(h);
	h->peer.iss = 9000;
	h_inject(h, MS(20), SEND(.flags = TH_SYN, .seq = 9000,
				 .opt = { .has_mss = true, .mss = MSS, .sack_permitted = true }));
	h_discard_tx(h);
	h_inject(h, MS(30), SEND(.seq = 9001, .ack = S(0)));
	h_expect_state(h, TCPS_ESTABLISHED);
	/* Data beyond a hole: the ACK's only block is the island. */
	h_inject(h, MS(40), SEND(.seq = 9001 + 1000, .ack = S(0), .len = 1000));
	got = h_expect_tx(h, MS(40), RECV(.seq = S(0), .ack = 9001, .wnd = 65535));
	ck_assert_uint_eq(got.opt.nsack, 1);
	ck_assert_uint_eq(got.opt.sack[0].left, 10001);
	ck_assert_uint_eq(got.opt.sack[0].right, 11001);
	h_free(h);
}
END_TEST

START_TEST(test_synrcvd_synack_retransmit)
{
	struct harness *h = syn_received();

	h_run_until(h, SEC(1) - 1);
	h_expect_no_tx(h);
	h_run_until(h, SEC(1));
	h_expect_tx(h, SEC(1), synack_want(h));
	h_run_until(h, SEC(3) - 1);
	h_expect_no_tx(h);
	h_run_until(h, SEC(3));
	h_expect_tx(h, SEC(3), synack_want(h));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 2);
	h_free(h);
}
END_TEST

/*
 * RFC 9293 §3.8.6, RFC 7323 §2.4: in SYN-RECEIVED the window stays the one
 * the SYN-ACK offered (65535, unscaled). A challenge ACK for an
 * out-of-window segment can only say it in units of 4: 16384 (65536, rounded
 * up, not down to 65532). The retransmitted SYN-ACK then offers 65535
 * again, 1 byte less, not the 65537 bytes less a full-buffer ACK (32768)
 * would have made it. The peer may fill all 65536 bytes.
 */
START_TEST(test_synrcvd_window_stays_synack)
{
	struct harness *h = syn_received();

	h_inject(h, MS(50), SEND(.seq = P(200000), .ack = S(0), .len = 10));
	h_expect_tx(h, MS(50), RECV(.seq = S(0), .ack = P(0), .wnd = 16384));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_RECEIVED);
	h_run_until(h, SEC(1));
	h_expect_tx(h, SEC(1), synack_want(h));
	h_inject(h, SEC(1) + MS(100), SEND(.seq = P(0), .ack = S(0)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_inject(h, SEC(1) + MS(110), SEND(.seq = P(0), .ack = S(0), .len = 65536));
	h_expect_tx(h, SEC(1) + MS(110), RECV(.seq = S(0), .ack = P(65536), .wnd = 16384));
	h_expect_no_tx(h);
	h_expect_read(h, 65536);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.7.4: a RST in SYN-RECEIVED reached from SYN-SENT (an
 * active open) means the connection was refused. */
START_TEST(test_synrcvd_rst_active_refused)
{
	struct harness *h = h_new(NULL, MTU, ISS);

	h->peer = PEER;
	h_connect(h);
	h_inject(h, MS(30), SEND(.flags = TH_SYN, .seq = PEER_ISS,
				 .opt = { .has_mss = true, .mss = MSS, .has_wscale = true }));
	h_expect_state(h, TCPS_SYN_RECEIVED);
	ck_assert_uint_eq(h_discard_tx(h), 2);          /* SYN, SYN-ACK */
	h_inject(h, MS(40), SEND(.flags = TH_RST, .seq = P(0), .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_REFUSED);
	h_expect_event(h, TCP_EV_CLOSED);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* After a passive open both directions work: the handshake's ACK gave
 * SRTT 100 ms, so the first data RTO is 1 s. */
START_TEST(test_server_data_both_ways)
{
	struct harness *h = est_server(NULL);

	ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(100));
	h_inject(h, MS(110), SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 500));
	h_expect_tx(h, MS(110), RECV(.seq = S(0), .ack = P(500), .wnd = (BUF - 500) >> 2));
	h_expect_event(h, TCP_EV_READABLE);
	h_send(h, 2000);
	h_expect_tx(h, MS(110), RECV(.seq = S(0), .ack = P(500), .wnd = (BUF - 500) >> 2,
				     .len = 1460));
	h_expect_tx(h, MS(110), RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(500),
				     .wnd = (BUF - 500) >> 2, .len = 540));
	h_expect_no_tx(h);
	h_expect_read(h, 500);
	h_run_until(h, MS(1110));
	/* Reading 500 bytes freed less than an MSS: the right edge stays
	 * (receiver SWS avoidance, RFC 1122 §4.2.3.3). */
	h_expect_tx(h, MS(1110), RECV(.seq = S(0), .ack = P(500), .wnd = (BUF - 500) >> 2,
				      .len = 1460));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * ESTABLISHED, sending: RFC 9293 §3.8.6 and RFC 1122 §4.2.3.4 (segments
 * of SMSS, sender SWS avoidance: a short segment only if it empties the
 * queue or fills half the largest window offered); RFC 6928 / RFC 5681
 * §3.1 (IW = 10 SMSS, slow start cwnd += min(N, SMSS) per ACK).
 * ==================================================================== */

static const struct segs_case {
	uint32_t n;
	int nsegs;
	uint32_t len[3];
} SEGS[] = {
	{ 1, 1, { 1 } },
	{ 1460, 1, { 1460 } },
	{ 1461, 2, { 1460, 1 } },
	{ 3000, 3, { 1460, 1460, 80 } },
};

START_TEST(test_send_segments)
{
	const struct segs_case *c = &SEGS[_i];
	struct harness *h = est_client(NULL);
	uint64_t off = 0;

	ck_assert_uint_eq(h_send(h, c->n), c->n);
	for (int k = 0; k < c->nsegs; k++) {
		bool last = k == c->nsegs - 1;
		h_expect_tx(h, T, RECV(.flags = TH_ACK | (last ? TH_PSH : 0), .seq = S(off),
				       .ack = P(0), .len = c->len[k]));
		off += c->len[k];
	}
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->data_segments_sent, c->nsegs);
	ck_assert_uint_eq(tcp_stats(h->ep)->payload_bytes_sent, c->n);
	h_free(h);
}
END_TEST

static const struct { uint32_t iw; } IWS[] = { { 10 }, { 4 }, { 1 } };

START_TEST(test_initial_window)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint32_t iw = IWS[_i].iw;

	cfg.initial_cwnd = iw;
	h = est_client(&cfg);
	ck_assert_uint_eq(tcp_cwnd(h->ep), (uint64_t)iw * MSS);
	ck_assert_uint_eq(h_send(h, 20000), 20000);
	expect_data(h, T, 0, (uint64_t)iw * MSS, MSS, P(0), WND_FULL, false);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(1) - 1);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

static const struct ss_case {
	int acked_segs;
	uint64_t want_cwnd;
	int want_new_segs;
} SLOW_STARTS[] = {
	{ 1, 16060, 2 },
	{ 2, 16060, 3 },             /* min(N, SMSS): one ACK, one SMSS */
	{ 10, 16060, 11 },
};

START_TEST(test_slow_start_ack)
{
	const struct ss_case *c = &SLOW_STARTS[_i];
	struct harness *h = est_client(NULL);

	h_send(h, 40000);
	expect_data(h, T, 0, 14600, MSS, P(0), WND_FULL, false);
	h_expect_no_tx(h);
	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S((uint64_t)c->acked_segs * MSS)));
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_cwnd);
	expect_data(h, MS(200), 14600, (uint64_t)c->want_new_segs * MSS, MSS, P(0), WND_FULL,
		    false);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), UINT64_MAX);
	h_free(h);
}
END_TEST

/* The peer's window is W (its largest offer so far 65535); we queue n bytes.
 * What leaves: full segments, and a short one only if it empties the queue.
 * Then the peer acknowledges all and opens its window: the rest follows. */
static const struct sws_case {
	uint16_t wnd;
	uint32_t n;
	int nsegs;
	uint32_t len[2];
} SWSES[] = {
	{ 2000, 5000, 1, { 1460 } },
	{ 2000, 1900, 2, { 1460, 440 } },
	{ 1000, 800, 1, { 800 } },
	{ 1000, 5000, 0, { 0 } },
	{ 2920, 5000, 2, { 1460, 1460 } },
	{ 3000, 3000, 3, { 1460, 1460 } },   /* third: 80 bytes, the whole rest */
};

START_TEST(test_sender_sws)
{
	const struct sws_case *c = &SWSES[_i];
	struct harness *h = est_client(NULL);
	uint64_t off = 0;

	h_inject(h, T, SEND(.seq = P(0), .ack = S(0), .wnd = c->wnd));
	h_expect_no_tx(h);
	h_send(h, c->n);
	for (int k = 0; k < c->nsegs; k++) {
		uint32_t len = k < 2 ? c->len[k] : c->n - (uint32_t)off;
		bool last = off + len == c->n;
		h_expect_tx(h, T, RECV(.flags = TH_ACK | (last ? TH_PSH : 0), .seq = S(off),
				       .ack = P(0), .len = len));
		off += len;
	}
	h_expect_no_tx(h);
	h_run_until(h, MS(150));
	h_expect_no_tx(h);

	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(off), .wnd = 65535));
	expect_data(h, MS(200), off, c->n - off, MSS, P(0), WND_FULL, true);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 1122 §4.2.3.4 (d): a segment held back by SWS avoidance leaves when
 * the override timeout expires (0.1-1 s recommended; here the persist timer,
 * one RTO, since nothing in flight could bring a window update). */
START_TEST(test_sender_sws_override_timeout)
{
	struct harness *h = est_client(NULL);

	h_inject(h, T, SEND(.seq = P(0), .ack = S(0), .wnd = 1000));
	h_send(h, 5000);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(1) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(0), .len = 1000));
	h_expect_no_tx(h);
	h_inject(h, T + MS(1100), SEND(.seq = P(0), .ack = S(1000), .wnd = 1000));
	h_expect_no_tx(h);
	h_run_until(h, T + MS(2100) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + MS(2100));
	h_expect_tx(h, T + MS(2100), RECV(.seq = S(1000), .ack = P(0), .len = 1000));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* The override timer belongs to a stall: once data moves again it is
 * disarmed, and a later stall starts a fresh one (one RTO from then). */
START_TEST(test_sender_sws_override_rearmed_after_progress)
{
	struct harness *h = est_client(NULL);

	h_inject(h, T, SEND(.seq = P(0), .ack = S(0), .wnd = 1000));
	h_send(h, 5000);
	h_expect_no_tx(h);                  /* held back; override due at T + 1 s */
	h_inject(h, T + MS(100), SEND(.seq = P(0), .ack = S(0), .wnd = 65535));
	expect_data(h, T + MS(100), 0, 5000, MSS, P(0), WND_FULL, true);
	h_inject(h, T + MS(200), SEND(.seq = P(0), .ack = S(5000), .wnd = 1000));
	h_send(h, 5000);
	h_expect_no_tx(h);                  /* held back again */
	h_run_until(h, T + SEC(1));
	h_expect_no_tx(h);                  /* not by the first stall's timer */
	h_run_until(h, T + MS(1200) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + MS(1200));
	h_expect_tx(h, T + MS(1200), RECV(.seq = S(5000), .ack = P(0), .len = 1000));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.7.4 fifth: "If the ACK acks something not yet sent
 * (SEG.ACK > SND.NXT), then send an ACK, drop the segment". */
START_TEST(test_ack_of_unsent_data)
{
	struct harness *h = est_client(NULL);

	h_send(h, 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_inject(h, MS(150), SEND(.seq = P(0), .ack = S(5000), .len = 10));
	h_expect_tx(h, MS(150), RECV(.seq = S(100), .ack = P(0)));
	h_expect_no_tx(h);
	h_expect_no_event(h);       /* the data it carried was dropped too */
	/* Nothing was acknowledged: the retransmission still comes. */
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
					.len = 100));
	h_free(h);
}
END_TEST

/* RFC 5681 §2: a duplicate ACK acknowledges SND.UNA, carries no data and
 * no SYN or FIN, does not change the window, and arrives while data is
 * outstanding. */
static const struct dupack_case {
	const char *name;
	bool send;                   /* 2920 bytes outstanding */
	bool pre_ack;                /* the first segment acknowledged first */
	uint32_t ack_off;
	uint8_t flags;
	uint32_t len;
	uint16_t wnd;
	int repeat;
	uint64_t want;
} DUPACKS[] = {
	{ "duplicate", true, false, 0, TH_ACK, 0, 65535, 1, 1 },
	{ "three duplicates", true, false, 0, TH_ACK, 0, 65535, 3, 3 },
	{ "carries data", true, false, 0, TH_ACK, 10, 65535, 1, 0 },
	{ "window changes", true, false, 0, TH_ACK, 0, 60000, 1, 0 },
	{ "FIN", true, false, 0, TH_ACK | TH_FIN, 0, 65535, 1, 0 },
	{ "SYN", true, false, 0, TH_ACK | TH_SYN, 0, 65535, 1, 0 },
	{ "nothing outstanding", false, false, 0, TH_ACK, 0, 65535, 1, 0 },
	{ "new data", true, false, 1460, TH_ACK, 0, 65535, 1, 0 },
	{ "older than SND.UNA", true, true, 0, TH_ACK, 0, 65535, 1, 0 },
	{ "duplicate after progress", true, true, 1460, TH_ACK, 0, 65535, 2, 2 },
};

START_TEST(test_dupack_counting)
{
	const struct dupack_case *c = &DUPACKS[_i];
	struct harness *h = est_client(NULL);
	uint64_t rcvd = 0;

	if (c->send) {
		h_send(h, 2920);
		ck_assert_uint_eq(h_discard_tx(h), 2);
	}
	if (c->pre_ack)
		h_inject(h, MS(150), SEND(.seq = P(0), .ack = S(1460)));
	for (int k = 0; k < c->repeat; k++) {
		h_inject(h, MS(160) + MS(k), SEND(.flags = c->flags, .seq = P(rcvd),
						  .ack = S(c->ack_off), .wnd = c->wnd,
						  .len = c->len));
		rcvd += c->len;
	}
	ck_assert_msg(tcp_stats(h->ep)->dupacks_received == c->want, "%s: %llu dupacks, want %llu",
		      c->name, (unsigned long long)tcp_stats(h->ep)->dupacks_received,
		      (unsigned long long)c->want);
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_received, c->want);
	h_free(h);
}
END_TEST

/* ====================================================================
 * ESTABLISHED, retransmission timer: RFC 6298 §2 (the estimator), §3
 * (Karn), §5 (the timer: (5.1) start, (5.2) stop when all is acked, (5.3)
 * restart on new ACK, (5.4) retransmit the earliest segment, (5.5) back off,
 * (5.6) restart); RFC 5681 §3.1 on a timeout (ssthresh = max(FlightSize/2,
 * 2*SMSS), cwnd = 1 SMSS, ssthresh held on a repeated timeout); RFC 9293
 * §3.8.3 R2 (give up, abort).
 * ==================================================================== */

START_TEST(test_rto_first_retransmission)
{
	struct harness *h = est_client(NULL);
	const struct tcp_seg *seg = RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
					 .len = 100);

	ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(100));
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(1));       /* 300 ms, raised to min_rto */
	h_send(h, 100);
	h_expect_tx(h, T, seg);
	h_run_until(h, T + SEC(1) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), seg);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(2));
	h_run_until(h, T + SEC(3) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(3));
	h_expect_tx(h, T + SEC(3), seg);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(4));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 2);
	h_free(h);
}
END_TEST

/* A source that serves the harness's pattern and notes each request. */
static struct {
	uint64_t off[8];
	size_t len[8];
	unsigned n;
} src_log;

static uint32_t pattern_source(void *ctx, uint64_t off, uint8_t *out, size_t len)
{
	(void)ctx;
	if (src_log.n < 8) {
		src_log.off[src_log.n] = off;
		src_log.len[src_log.n] = len;
	}
	src_log.n++;
	memcpy(out, h_pattern(off), len);
	return inet_sum(out, len, 0);
}

/*
 * With a source, the send buffer holds a count: each segment takes its
 * payload from the source at its stream offset, a retransmission too, and
 * the segments are those of a copying write.
 */
START_TEST(test_source_gives_every_payload)
{
	struct harness *h = est_client(NULL);
	const struct tcp_seg *seg1 = RECV(.seq = S(0), .ack = P(0), .len = 1460);
	const struct tcp_seg *seg2 = RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0),
					  .len = 540);

	memset(&src_log, 0, sizeof(src_log));
	tcp_set_source(h->ep, pattern_source, NULL);
	ck_assert_uint_eq(tcp_write_source(h->ep, 2000, false), 2000);
	h->app_sent = 2000;
	ck_assert_uint_eq(tcp_send_space(h->ep), h_default_cfg().send_buffer - 2000);
	h_expect_tx(h, T, seg1);
	h_expect_tx(h, T, seg2);
	ck_assert_uint_eq(src_log.n, 2);
	ck_assert_uint_eq(src_log.off[0], 0);
	ck_assert_uint_eq(src_log.len[0], 1460);
	ck_assert_uint_eq(src_log.off[1], 1460);
	ck_assert_uint_eq(src_log.len[1], 540);
	/* The first is acknowledged; the second is resent at the RTO, from the source. */
	h_inject(h, T + MS(100), SEND(.seq = P(0), .ack = S(1460)));
	h_run_until(h, T + MS(100) + SEC(1));
	h_expect_tx(h, T + MS(100) + SEC(1), seg2);
	ck_assert_uint_eq(src_log.n, 3);
	ck_assert_uint_eq(src_log.off[2], 1460);
	ck_assert_uint_eq(src_log.len[2], 540);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 1);
	h_free(h);
}
END_TEST

/* A copying write on an endpoint whose buffer holds a source's bytes is a bug. */
START_TEST(test_source_refuses_copies)
{
	struct harness *h = est_client(NULL);

	tcp_set_source(h->ep, pattern_source, NULL);
	tcp_write(h->ep, h_pattern(0), 10, false);
}
END_TEST

/* The viewer sees what each read takes, piece by piece as it lies in the ring. */
static struct {
	uint8_t data[8192];
	size_t len;
	unsigned calls;
	const uint8_t *at[8];      /* where each piece lay */
	size_t size[8];
} view_log;

static void log_view(void *ctx, const uint8_t *data, size_t len)
{
	(void)ctx;
	ck_assert_uint_le(view_log.len + len, sizeof(view_log.data));
	memcpy(view_log.data + view_log.len, data, len);
	view_log.len += len;
	if (view_log.calls < 8) {
		view_log.at[view_log.calls] = data;
		view_log.size[view_log.calls] = len;
	}
	view_log.calls++;
}

/*
 * A read waiting with no buffer, and room for all of a segment that arrives
 * in order into an empty ring: the viewer is shown the segment's payload
 * where it lies, not a copy in the ring. Otherwise (a read with too little
 * room, data that fills a hole) the bytes go through the ring as before.
 */
START_TEST(test_waiting_viewer_sees_the_segment_itself)
{
	struct harness *h = est_client(NULL);

	memset(&view_log, 0, sizeof(view_log));
	tcp_set_viewer(h->ep, log_view, NULL);
	tcp_recv_post(h->ep, NULL, 4000);
	h_inject(h, T + MS(10), SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 1460));
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 1460);
	ck_assert_uint_eq(view_log.calls, 1);
	ck_assert_ptr_eq(view_log.at[0], h_pattern(0));
	ck_assert_uint_eq(view_log.size[0], 1460);
	ck_assert_ptr_null(h->ep->rcv_direct);
	ck_assert_uint_eq(h->ep->rbuf_len, 0);
	ck_assert_uint_eq(h->ep->rcv_off, 1460);
	/* A read of 1000: the segment goes into the ring, which it takes from. */
	tcp_recv_post(h->ep, NULL, 1000);
	h_inject(h, T + MS(11), SEND(.flags = TH_ACK | TH_PSH, .seq = P(1460), .ack = S(0), .len = 1460));
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 1000);
	ck_assert_uint_eq(view_log.calls, 2);
	ck_assert_ptr_eq(view_log.at[1], h->ep->rbuf);
	ck_assert_uint_eq(tcp_recv(h->ep, NULL, 4000), 460);
	ck_assert_ptr_eq(view_log.at[2], h->ep->rbuf + 1000);
	/* Beyond a hole, then the hole filled: through the ring. */
	tcp_recv_post(h->ep, NULL, 4000);
	h_inject(h, T + MS(12), SEND(.flags = TH_ACK | TH_PSH, .seq = P(4380), .ack = S(0), .len = 1460));
	ck_assert_uint_eq(view_log.calls, 3);
	h_inject(h, T + MS(13), SEND(.flags = TH_ACK | TH_PSH, .seq = P(2920), .ack = S(0), .len = 1460));
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 2920);
	ck_assert_uint_eq(view_log.calls, 4);
	ck_assert_ptr_eq(view_log.at[3], h->ep->rbuf);
	/* A read with room for exactly the segment takes it where it lies. */
	tcp_recv_post(h->ep, NULL, 1460);
	h_inject(h, T + MS(14), SEND(.flags = TH_ACK | TH_PSH, .seq = P(5840), .ack = S(0), .len = 1460));
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 1460);
	ck_assert_uint_eq(view_log.calls, 5);
	ck_assert_ptr_eq(view_log.at[4], h_pattern(5840));
	ck_assert_uint_eq(view_log.len, 7300);
	ck_assert_mem_eq(view_log.data, h_pattern(0), 7300);
	h_free(h);
}
END_TEST

/*
 * Bytes left in the segment for a read that did not take them go into the
 * ring (tcp_rcv_spill), where the next read finds them.
 */
START_TEST(test_untaken_direct_bytes_spill_into_the_ring)
{
	struct harness *h = est_client(NULL);
	uint8_t buf[100];

	tcp_rcv_spill(h->ep);                       /* nothing to spill */
	ck_assert_uint_eq(h->ep->rbuf_len, 0);
	h->ep->rcv_direct = h_pattern(0);
	h->ep->rbuf_len = 100;
	tcp_rcv_spill(h->ep);
	ck_assert_ptr_null(h->ep->rcv_direct);
	ck_assert_uint_eq(tcp_recv(h->ep, buf, sizeof(buf)), 100);
	ck_assert_mem_eq(buf, h_pattern(0), 100);
	h_free(h);
}
END_TEST

START_TEST(test_viewer_sees_reads_without_a_buffer)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint8_t buf[1000];

	cfg.receive_buffer = 3000;     /* the ring: 3000 bytes (no window scaling) */
	cfg.window_scaling = false;
	h = est_client(&cfg);
	memset(&view_log, 0, sizeof(view_log));
	tcp_set_viewer(h->ep, log_view, NULL);
	/* 2500 bytes arrive; a read with no buffer takes 2000 of them, from the
	 * ring's start. */
	h_inject(h, T + MS(10), SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 1460));
	h_inject(h, T + MS(10), SEND(.flags = TH_ACK | TH_PSH, .seq = P(1460), .ack = S(0), .len = 1040));
	h_discard_tx(h);
	ck_assert_uint_eq(tcp_recv(h->ep, NULL, 2000), 2000);
	ck_assert_uint_eq(view_log.calls, 1);
	ck_assert_uint_eq(view_log.len, 2000);
	ck_assert_mem_eq(view_log.data, h_pattern(0), 2000);
	/* A read with a buffer: the viewer sees the bytes, and so does the buffer. */
	ck_assert_uint_eq(tcp_recv(h->ep, buf, 100), 100);
	ck_assert_mem_eq(buf, h_pattern(2000), 100);
	ck_assert_uint_eq(view_log.len, 2100);
	ck_assert_mem_eq(view_log.data + 2000, h_pattern(2000), 100);
	/* A posted read with no buffer, for data that crosses the ring's end:
	 * the ring is the buffer and one byte of slack, 3001 bytes; 200 bytes
	 * are left unread, at 2300 .. 2499, so the ring does not start over,
	 * and offsets 2300 .. 3299 lie at 2300 .. 3000, then 0 .. 298. */
	ck_assert_uint_eq(tcp_recv(h->ep, NULL, 200), 200);
	h_inject(h, T + MS(20), SEND(.flags = TH_ACK | TH_PSH, .seq = P(2500), .ack = S(0), .len = 1100));
	h_discard_tx(h);
	tcp_recv_post(h->ep, NULL, 1000);
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 1000);
	ck_assert_uint_eq(view_log.calls, 5);   /* 2000, 100, 200, then 701 + 299 */
	ck_assert_uint_eq(view_log.size[3], 701);
	ck_assert_uint_eq(view_log.size[4], 299);
	ck_assert_ptr_eq(view_log.at[3], view_log.at[0] + 2300);
	/* Emptied, the ring starts over: the next bytes lie at its start. */
	ck_assert_uint_eq(tcp_recv(h->ep, NULL, 1000), 300);
	ck_assert_ptr_eq(view_log.at[5], view_log.at[4] + 299);
	h_inject(h, T + MS(30), SEND(.flags = TH_ACK | TH_PSH, .seq = P(3600), .ack = S(0), .len = 100));
	ck_assert_uint_eq(tcp_recv(h->ep, NULL, 1000), 100);
	ck_assert_uint_eq(view_log.calls, 7);
	ck_assert_ptr_eq(view_log.at[6], view_log.at[0]);
	ck_assert_uint_eq(view_log.len, 3700);
	ck_assert_mem_eq(view_log.data, h_pattern(0), 3700);
	h_free(h);
}
END_TEST

/* RFC 6298 (2.2): first sample R: SRTT = R, RTTVAR = R/2,
 * RTO = SRTT + max(G, 4*RTTVAR) (G = 1 ms here); (2.3) later samples R':
 * RTTVAR = 3/4 RTTVAR + 1/4 |SRTT - R'|, then SRTT = 7/8 SRTT + 1/8 R';
 * (2.4) at least min_rto; (2.5) at most max_rto. r0 is the handshake's
 * sample, r1 (if any) a data segment's. The test then sends a segment and
 * watches when it is retransmitted. */
static const struct rto_case {
	uint64_t min_rto, max_rto, r0, r1;
	uint64_t want_srtt, want_rto;
} RTOS[] = {
	{ MS(10), SEC(60), MS(100), 0, MS(100), MS(300) },
	{ MS(10), SEC(60), MS(100), MS(200), US(112500), US(362500) },
	{ MS(10), SEC(60), MS(100), MS(100), MS(100), MS(250) },
	{ MS(10), SEC(60), MS(100), MS(20), MS(90), MS(320) },
	{ MS(10), SEC(60), MS(2), 0, MS(2), MS(10) },       /* 6 ms, raised to min_rto */
	{ MS(1), SEC(60), MS(2), 0, MS(2), MS(6) },
	{ MS(1), SEC(60), US(200), 0, US(200), US(1200) },  /* G: 4*RTTVAR = 0.4 ms < 1 ms */
	{ MS(10), MS(200), MS(100), 0, MS(100), MS(200) },  /* held to max_rto */
	{ SEC(1), SEC(60), MS(100), MS(200), US(112500), SEC(1) },
};

START_TEST(test_rto_rfc6298_values)
{
	const struct rto_case *c = &RTOS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint64_t t = c->r0, off = 0;

	cfg.min_rto_ns = c->min_rto;
	cfg.max_rto_ns = c->max_rto;
	h = h_new(&cfg, MTU, ISS);
	h_established_client(h, &PEER, c->r0);
	if (c->r1) {
		h_send(h, 100);
		h_expect_tx(h, t, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
				       .len = 100));
		t += c->r1;
		h_inject(h, t, SEND(.seq = P(0), .ack = S(100)));
		off = 100;
	}
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), c->want_srtt);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), c->want_rto);
	h_send(h, 100);
	h_expect_tx(h, t, RECV(.flags = TH_ACK | TH_PSH, .seq = S(off), .ack = P(0), .len = 100));
	h_run_until(h, t + c->want_rto - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + c->want_rto);
	h_expect_tx(h, t + c->want_rto,
		    RECV(.flags = TH_ACK | TH_PSH, .seq = S(off), .ack = P(0), .len = 100));
	h_free(h);
}
END_TEST

/* On a timeout: back to SND.UNA, one SMSS segment, cwnd = SMSS, ssthresh =
 * max(FlightSize / 2, 2 * SMSS); the second timeout comes after twice the
 * RTO and holds ssthresh. The ACK of the retransmission lets two segments
 * go (slow start from 1 SMSS), from where the retransmission stopped. */
static const struct goback_case {
	uint32_t bytes;
	uint64_t want_ssthresh;
} GOBACKS[] = {
	{ 100, 2920 },
	{ 1460, 2920 },
	{ 2920, 2920 },
	{ 4380, 2920 },
	{ 5840, 2920 },
	{ 7300, 3650 },
	{ 11680, 5840 },
	{ 14600, 7300 },
};

START_TEST(test_rto_go_back)
{
	const struct goback_case *c = &GOBACKS[_i];
	struct harness *h = est_client(NULL);
	uint32_t first = c->bytes < MSS ? c->bytes : MSS;
	const struct tcp_seg *rexmt = RECV(.flags = TH_ACK | (c->bytes == first ? TH_PSH : 0),
					   .seq = S(0), .ack = P(0), .len = first);
	uint64_t rest;

	h_send(h, c->bytes);
	expect_data(h, T, 0, c->bytes, MSS, P(0), WND_FULL, true);
	h_expect_no_tx(h);

	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), rexmt);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), c->want_ssthresh);

	h_run_until(h, T + SEC(3) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(3));
	h_expect_tx(h, T + SEC(3), rexmt);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), c->want_ssthresh);

	h_inject(h, T + MS(3500), SEND(.seq = P(0), .ack = S(first)));
	rest = c->bytes - first;
	if (rest > 2 * MSS)
		rest = 2 * MSS;
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS + first);     /* + min(N, SMSS) */
	expect_data(h, T + MS(3500), first, rest, MSS, P(0), WND_FULL,
		    first + rest == c->bytes);
	h_expect_no_tx(h);

	/* The next timeout (when exactly depends on the backoff, see
	 * test_karn_keeps_backoff_until_sample) takes FlightSize as all that
	 * is outstanding, SND.UNA to the highest sequence number sent, not
	 * just what went out since the rewind. */
	h_run_until(h, T + MS(7500));
	h_discard_tx(h);
	if (c->bytes > first) {
		uint64_t half = (c->bytes - first) / 2;
		ck_assert_uint_eq(tcp_ssthresh(h->ep), half > 2 * MSS ? half : 2 * MSS);
	} else {
		ck_assert_uint_eq(tcp_ssthresh(h->ep), c->want_ssthresh);
	}
	h_free(h);
}
END_TEST

/* RFC 6298 (5.3): an ACK of new data restarts the timer for the rest. */
START_TEST(test_rto_restarted_by_ack)
{
	struct harness *h = est_client(NULL);

	h_send(h, 2920);
	expect_data(h, T, 0, 2920, MSS, P(0), WND_FULL, true);
	h_inject(h, T + MS(500), SEND(.seq = P(0), .ack = S(1460)));
	h_expect_no_tx(h);
	h_run_until(h, T + MS(1500) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + MS(1500));
	h_expect_tx(h, T + MS(1500), RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0),
					  .len = 1460));
	h_free(h);
}
END_TEST

/* RFC 6298 (5.2): all data acknowledged: the timer is off. */
START_TEST(test_rto_stopped_when_all_acked)
{
	struct harness *h = est_client(NULL);

	h_send(h, 2920);
	expect_data(h, T, 0, 2920, MSS, P(0), WND_FULL, true);
	h_inject(h, T + MS(100), SEND(.seq = P(0), .ack = S(2920)));
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(600));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.8.3 R2: after max_retries retransmissions the connection is
 * aborted: <SEQ=SND.NXT><CTL=RST>, CLOSED, "timeout". The intervals double
 * from 1 s up to max_rto 60 s. */
static const struct { uint32_t max_retries; } RETRIES[] = { { 3 }, { 15 }, { 0 } };

START_TEST(test_rto_retry_limit)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint64_t t = T, rto = SEC(1);
	const struct tcp_seg *seg;

	cfg.max_retries = RETRIES[_i].max_retries;
	h = est_client(&cfg);
	seg = RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100);
	h_send(h, 100);
	h_expect_tx(h, T, seg);
	for (uint32_t k = 0; k < cfg.max_retries; k++) {
		t += rto;
		rto = rto * 2 > SEC(60) ? SEC(60) : rto * 2;
		h_run_until(h, t - 1);
		h_expect_no_tx(h);
		h_run_until(h, t);
		h_expect_tx(h, t, seg);
	}
	t += rto;
	h_run_until(h, t - 1);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_run_until(h, t);
	h_expect_tx(h, t, RECV(.flags = TH_RST, .seq = S(100), .ack = 0, .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_TIMEOUT);
	h_expect_event(h, TCP_EV_CLOSED);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

/* R2 counts retransmissions of the same segment: an ACK of new data starts
 * the count again (the times depend on the backoff question of
 * test_karn_keeps_backoff_until_sample, so only the order is asserted). */
START_TEST(test_rto_retry_count_restarts_on_progress)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	const unsigned mask = HF_ALL & ~HF_AT;

	cfg.max_retries = 2;
	h = est_client(&cfg);
	h_send(h, 2920);
	expect_data(h, T, 0, 2920, MSS, P(0), WND_FULL, true);
	h_run_until(h, T + SEC(3));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(0), .len = 1460));
	h_expect_tx(h, T + SEC(3), RECV(.seq = S(0), .ack = P(0), .len = 1460));
	h_inject(h, T + MS(3500), SEND(.seq = P(0), .ack = S(1460)));
	h_expect_tx(h, T + MS(3500), RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0),
					  .len = 1460));
	h_run_until(h, T + SEC(600));
	for (int k = 0; k < 2; k++)
		h_expect_tx_mask(h, 0, RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0),
					    .len = 1460), mask);
	h_expect_tx_mask(h, 0, RECV(.flags = TH_RST, .seq = S(2920), .ack = 0, .wnd = 0), mask);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_TIMEOUT);
	h_free(h);
}
END_TEST

/* A pure ACK sent while a timeout has rewound snd_nxt carries SND.NXT in the
 * RFC's sense, the highest sequence number sent (RFC 9293 §3.10.7.4:
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>): below that, it could fall before the
 * peer's RCV.NXT and fail its acceptability test. */
START_TEST(test_pure_ack_after_go_back)
{
	struct harness *h = est_client(NULL);

	h_send(h, 2920);
	expect_data(h, T, 0, 2920, MSS, P(0), WND_FULL, true);
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(0), .len = 1460));
	h_inject(h, T + MS(1100), SEND(.seq = P(0), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(1100), RECV(.seq = S(2920), .ack = P(100),
					  .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/*
 * The RST that ends a connection carries SND.NXT, the next new sequence
 * number (RFC 9293 §3.10.5 ABORT and §3.8.3 R2: "<SEQ=SND.NXT><CTL=RST>"),
 * which is snd_max here once a timeout has rewound snd_nxt to resend: the
 * retransmission does not move the RFC's SND.NXT (FreeBSD's tcp_output uses
 * snd_max for segments without data for this reason). The peer holds
 * RCV.NXT at or beyond what it received, and under RFC 5961 §3.2 accepts a
 * RST only at exactly RCV.NXT; a RST from the middle of the flight is
 * answered with a challenge ACK and does not reset it.
 */
static const struct { bool abort; } RST_AFTER_GOBACK[] = { { false }, { true } };

START_TEST(test_rst_after_go_back_carries_snd_nxt)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	bool abort_now = RST_AFTER_GOBACK[_i].abort;
	uint64_t at = abort_now ? T + MS(1500) : T + SEC(3);

	cfg.max_retries = 1;
	h = est_client(&cfg);
	h_send(h, 2920);
	expect_data(h, T, 0, 2920, MSS, P(0), WND_FULL, true);
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(0), .len = 1460));
	h_run_until(h, at);
	if (abort_now)
		h_abort(h);
	h_expect_tx(h, at, RECV(.flags = TH_RST, .seq = S(2920), .ack = 0, .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), abort_now ? TCP_ERR_ABORTED : TCP_ERR_TIMEOUT);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.5 ABORT in ESTABLISHED: <SEQ=SND.NXT><CTL=RST>. */
START_TEST(test_abort_established)
{
	struct harness *h = est_client(NULL);

	h_send(h, 300);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 300));
	h_run_until(h, MS(150));
	h_abort(h);
	h_expect_tx(h, MS(150), RECV(.flags = TH_RST, .seq = S(300), .ack = 0, .wnd = 0));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_ABORTED);
	h_expect_event(h, TCP_EV_CLOSED);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 6298 §3 (Karn): no sample from a retransmitted segment; the ACK of a
 * segment sent once gives one. The handshake gave SRTT 100 ms, RTTVAR 50 ms. */
static const struct karn_case {
	bool lost;
	uint64_t ack_at;
	uint64_t want_srtt, want_samples;
} KARNS[] = {
	{ true, T + MS(1050), MS(100), 1 },
	{ false, T + MS(300), MS(125), 2 },
};

START_TEST(test_karn_no_sample_from_retransmission)
{
	const struct karn_case *c = &KARNS[_i];
	struct harness *h = est_client(NULL);
	const struct tcp_seg *seg = RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
					 .len = 100);

	h_send(h, 100);
	h_expect_tx(h, T, seg);
	if (c->lost) {
		h_run_until(h, T + SEC(1));
		h_expect_tx(h, T + SEC(1), seg);
	}
	h_inject(h, c->ack_at, SEND(.seq = P(0), .ack = S(100)));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), c->want_srtt);
	ck_assert_uint_eq(h->ep->rtt.samples, c->want_samples);

	/* The next segment sent once is timed again: 200 ms. */
	h_send(h, 100);
	h_expect_tx(h, c->ack_at, RECV(.flags = TH_ACK | TH_PSH, .seq = S(100), .ack = P(0),
				       .len = 100));
	h_inject(h, c->ack_at + MS(200), SEND(.seq = P(0), .ack = S(200)));
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), (7 * c->want_srtt + MS(200)) / 8);
	ck_assert_uint_eq(h->ep->rtt.samples, c->want_samples + 1);
	h_free(h);
}
END_TEST

/*
 * Karn's algorithm has a second half, which RFC 6298 keeps: the backed-off
 * RTO stays until a valid sample. (5.5) doubles RTO, and only a new RTT
 * measurement recomputes it: "once a new RTT measurement is obtained (which
 * can only happen when new data has been sent and acknowledged), the
 * computations outlined in Section 2 are performed, ... which may result in
 * 'collapsing' RTO back down after it has been subjected to exponential
 * backoff" (RFC 6298 §5, after (5.7)). Linux: "RFC6298: only reset backoff
 * on valid RTT measurement" (tcp_ack_update_rtt). So after the ACK of a
 * retransmitted segment the next timeout still waits 2 s, not 1 s.
 */
START_TEST(test_karn_keeps_backoff_until_sample)
{
	struct harness *h = est_client(NULL);

	h_send(h, 2920);
	expect_data(h, T, 0, 2920, MSS, P(0), WND_FULL, true);
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(0), .len = 1460));
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(2));
	/* The retransmission is acknowledged (no sample: Karn); the second
	 * segment, rewound, goes again with the timer restarted. */
	h_inject(h, T + MS(1100), SEND(.seq = P(0), .ack = S(1460)));
	h_expect_tx(h, T + MS(1100), RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0),
					  .len = 1460));
	ck_assert_uint_eq(h->ep->rtt.samples, 1);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), SEC(2));
	h_run_until(h, T + MS(3100) - 1);
	h_expect_no_tx(h);
	h_run_until(h, T + MS(3100));
	h_expect_tx(h, T + MS(3100), RECV(.flags = TH_ACK | TH_PSH, .seq = S(1460), .ack = P(0),
					  .len = 1460));
	h_free(h);
}
END_TEST

/* ====================================================================
 * ESTABLISHED, receiving: RFC 9293 §3.10.7.4 "first, check sequence
 * number" (acceptability, trimming, an ACK for what is not acceptable),
 * "seventh, process the segment text" (RCV.NXT advances; an ACK is sent;
 * RFC 5681 §4.2: an out-of-order segment is acknowledged at once, and so is
 * one that fills a hole); RFC 7323 §2.3 (our window field is the free
 * buffer shifted by our scale, never retracting the right edge);
 * RFC 9293 §3.8.6.1 (a zero window still answers a probe at RCV.NXT).
 * ==================================================================== */

static struct harness *est_client_peer(const struct tcp_cfg *cfg, const struct h_peer *peer)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_client(h, peer, T);
	return h;
}

static const struct recv_case {
	const char *name;
	uint64_t rcvbuf;
	int peer_ws;
	uint32_t len;
	uint16_t want_wnd;
} RECVS[] = {
	{ "1000 bytes", BUF, 0, 1000, (BUF - 1000) >> 2 },
	{ "one SMSS", BUF, 0, 1460, (BUF - 1460) >> 2 },
	{ "4 bytes", BUF, 0, 4, (BUF - 4) >> 2 },
	/* 131071 >> 2 would move the right edge left by 3 bytes: rounded up. */
	{ "1 byte", BUF, 0, 1, WND_FULL },
	{ "unscaled", BUF, H_NO_WS, 1000, 65535 },
	{ "16 KiB buffer", 16384, 0, 1460, 16384 - 1460 },
	{ "16 KiB buffer, unscaled", 16384, H_NO_WS, 1000, 16384 - 1000 },
};

START_TEST(test_recv_in_order)
{
	const struct recv_case *c = &RECVS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	struct h_peer peer = PEER;
	struct harness *h;

	cfg.receive_buffer = c->rcvbuf;
	peer.wscale = c->peer_ws;
	h = est_client_peer(&cfg, &peer);
	h_inject(h, T + MS(10), SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0),
				     .len = c->len));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(c->len), .wnd = c->want_wnd));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_no_event(h);
	h_expect_read(h, c->len);
	/*
	 * No window update: reading did not move the right edge of the offer by
	 * min(BUF/2, 2*MSS) (RFC 1122 §4.2.3.3). In the unscaled rows it cannot
	 * move at all, the field being at its most, 65535; an "update" that
	 * changes nothing is one more duplicate ACK to the peer (RFC 5681 §2).
	 */
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_recv(h->ep, (uint8_t[1]){ 0 }, 1), 0);
	h_free(h);
}
END_TEST

/*
 * The right edge with window scaling (unit 4, 131072-byte buffer with 4
 * bytes of slack) and 1-byte segments that the application does not read.
 * Each ACK rounds the window up rather than move the edge left (RFC 9293
 * §3.8.6, RFC 7323 §2.4), so the edge creeps right, P(131073) ... P(131076),
 * until the buffer (with its slack) is full to it. Past that the field is
 * rounded down: the edge the peer sees moves left by less than one unit,
 * and the window field falls by one every 4 bytes, so that the window can
 * close. Rounding up for ever would keep offering 32768 units, beyond the
 * buffer, and never close. Everything up to the farthest edge offered,
 * P(131076), is taken (RFC 7323 §2.4: any segment that was in the window
 * for any ACK sent) and read back intact.
 */
START_TEST(test_recv_edge_small_segments)
{
	static const uint16_t WANT[] = {
		32768, 32768, 32768, 32768, 32767, 32767, 32767, 32767, 32766,
	};
	struct harness *h = est_client(NULL);
	uint32_t n = NELEM(WANT);

	for (uint32_t k = 0; k < n; k++) {
		h_inject(h, T + MS(k + 1), SEND(.seq = P(k), .ack = S(0), .len = 1));
		h_expect_tx(h, T + MS(k + 1), RECV(.seq = S(0), .ack = P(k + 1), .wnd = WANT[k]));
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(h->ep->rcv_adv, P(BUF + 4));
	h_inject(h, T + MS(20), SEND(.seq = P(n), .ack = S(0), .len = BUF + 4 - n));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(BUF + 4), .wnd = 0));
	h_expect_no_tx(h);
	h_expect_read(h, BUF + 4);
	h_free(h);
}
END_TEST

/* Three 1000-byte segments in the given arrival order: each is ACKed at
 * once with the in-order edge, READABLE only when the edge moves. */
static const struct ooo_case {
	int order[3];
	uint32_t want_ack[3];
} OOOS[] = {
	{ { 0, 1, 2 }, { 1000, 2000, 3000 } },
	{ { 1, 0, 2 }, { 0, 2000, 3000 } },
	{ { 2, 1, 0 }, { 0, 0, 3000 } },
	{ { 1, 2, 0 }, { 0, 0, 3000 } },
	{ { 0, 2, 1 }, { 1000, 1000, 3000 } },
	{ { 2, 0, 1 }, { 0, 1000, 3000 } },
};

START_TEST(test_recv_out_of_order)
{
	const struct ooo_case *c = &OOOS[_i];
	struct harness *h = est_client(NULL);
	uint32_t edge = 0;

	for (int k = 0; k < 3; k++) {
		uint64_t at = T + MS(10) * (uint64_t)(k + 1);
		h_inject(h, at, SEND(.seq = P(1000u * c->order[k]), .ack = S(0), .len = 1000));
		h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(c->want_ack[k]),
					.wnd = (BUF - c->want_ack[k]) >> 2));
		h_expect_no_tx(h);
		if (c->want_ack[k] > edge)
			h_expect_event(h, TCP_EV_READABLE);
		h_expect_no_event(h);
		edge = c->want_ack[k];
	}
	h_expect_read(h, 3000);
	h_free(h);
}
END_TEST

START_TEST(test_recv_old_and_overlapping)
{
	struct harness *h = est_client(NULL);
	uint8_t byte;

	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2));
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 1000);

	/* Entirely before RCV.NXT: an ACK, nothing delivered. The 1000 bytes
	 * read are less than an MSS, so the right edge has not moved (receiver
	 * SWS avoidance, RFC 1122 §4.2.3.3). */
	h_inject(h, T + MS(20), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2));
	h_expect_no_tx(h);
	h_expect_no_event(h);
	ck_assert_uint_eq(tcp_recv(h->ep, &byte, 1), 0);

	/* Half old, half new: the new half is taken. */
	h_inject(h, T + MS(30), SEND(.seq = P(500), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(30), RECV(.seq = S(0), .ack = P(1500), .wnd = (BUF - 1500) >> 2));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 500);
	h_free(h);
}
END_TEST

START_TEST(test_recv_beyond_window)
{
	struct harness *h = est_client(NULL);

	h_inject(h, T + MS(10), SEND(.seq = P(BUF), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(0)));
	h_inject(h, T + MS(11), SEND(.seq = P(BUF + 5000), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(11), RECV(.seq = S(0), .ack = P(0)));
	h_expect_no_tx(h);
	h_expect_no_event(h);
	/* Nothing of it was kept: in-order data reads back alone. */
	h_inject(h, T + MS(20), SEND(.seq = P(0), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 100);
	h_free(h);
}
END_TEST

/* The same with a 4 KiB buffer, filled up to the edge afterwards: had the
 * segment beyond the window been kept, the last ACK would cover it. */
START_TEST(test_recv_beyond_window_not_kept)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;

	cfg.receive_buffer = 4096;
	h = est_client(&cfg);
	h_inject(h, T + MS(10), SEND(.seq = P(4096), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(0), .wnd = 4096));
	h_inject(h, T + MS(20), SEND(.seq = P(0), .ack = S(0), .len = 1460));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1460), .wnd = 2636));
	h_inject(h, T + MS(30), SEND(.seq = P(1460), .ack = S(0), .len = 1460));
	h_expect_tx(h, T + MS(30), RECV(.seq = S(0), .ack = P(2920), .wnd = 1176));
	h_inject(h, T + MS(40), SEND(.seq = P(2920), .ack = S(0), .len = 1176));
	h_expect_tx(h, T + MS(40), RECV(.seq = S(0), .ack = P(4096), .wnd = 0));
	h_expect_no_tx(h);
	h_expect_read(h, 4096);
	h_free(h);
}
END_TEST

START_TEST(test_recv_zero_window_probe)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;

	cfg.receive_buffer = 4096;
	h = est_client(&cfg);
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1460));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(1460), .wnd = 2636));
	h_inject(h, T + MS(20), SEND(.seq = P(1460), .ack = S(0), .len = 1460));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(2920), .wnd = 1176));
	h_inject(h, T + MS(30), SEND(.seq = P(2920), .ack = S(0), .len = 1176));
	h_expect_tx(h, T + MS(30), RECV(.seq = S(0), .ack = P(4096), .wnd = 0));
	h_discard_events(h);

	/* Our own data still goes out, offering a window of 0. */
	h_run_until(h, T + MS(500));
	h_send(h, 100);
	h_expect_tx(h, T + MS(500), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(4096),
					 .wnd = 0, .len = 100));

	/* A one-byte probe at RCV.NXT: "ACK, window still 0", byte refused;
	 * but its ACK field is processed ("special allowance should be made
	 * to accept valid ACKs"): our 100 bytes are acknowledged. */
	h_inject(h, T + SEC(1), SEND(.seq = P(4096), .ack = S(100), .len = 1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(100), .ack = P(4096), .wnd = 0));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_WRITABLE);
	h_expect_no_event(h);

	/* The application reads: a window update of its own (and no
	 * retransmission at T + 1.5 s came before it). */
	h_run_until(h, T + MS(1800));
	h_expect_read(h, 4096);
	h_expect_tx(h, T + MS(1800), RECV(.seq = S(100), .ack = P(4096), .wnd = 4096));
	h_expect_no_tx(h);

	/* The next probe is taken. */
	h_inject(h, T + SEC(2), SEND(.seq = P(4096), .ack = S(100), .len = 1));
	h_expect_tx(h, T + SEC(2), RECV(.seq = S(100), .ack = P(4097), .wnd = 4095));
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 1);
	h_free(h);
}
END_TEST

/* ====================================================================
 * ESTABLISHED, RST and SYN: RFC 9293 §3.10.7.4 "second, check the RST bit"
 * with RFC 5961 §3.2 (reset only at exactly RCV.NXT; elsewhere in the
 * window a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>; outside it,
 * dropped), "fourth, check the SYN bit" with RFC 5961 §4.2 (a challenge ACK).
 * ==================================================================== */

enum rst_outcome { RESET, CHALLENGE, IGNORED };

static const struct rst_case {
	const char *name;
	int64_t off;                 /* from RCV.NXT */
	uint8_t flags;
	enum rst_outcome want;
} RSTS[] = {
	{ "exact", 0, TH_RST, RESET },
	{ "exact, with ACK", 0, TH_RST | TH_ACK, RESET },
	{ "next byte", 1, TH_RST, CHALLENGE },
	/* 100 bytes were taken: the window offered ends at P(BUF). */
	{ "last byte of the window", BUF - 101, TH_RST, CHALLENGE },
	{ "in window, with ACK", 1000, TH_RST | TH_ACK, CHALLENGE },
	{ "just beyond the window", BUF - 100, TH_RST, IGNORED },
	{ "just before RCV.NXT", -1, TH_RST, IGNORED },
	{ "far before", -100000, TH_RST, IGNORED },
};

START_TEST(test_established_rst)
{
	const struct rst_case *c = &RSTS[_i];
	struct harness *h = est_client(NULL);

	/* Some data first, so that RCV.NXT is not the handshake's. */
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_read(h, 100);
	h_discard_events(h);

	h_inject(h, T + MS(20), SEND(.flags = c->flags, .seq = P(100) + (uint32_t)c->off,
				     .ack = S(0), .wnd = 0));
	switch (c->want) {
	case RESET:
		h_expect_no_tx(h);
		h_expect_state(h, TCPS_CLOSED);
		ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_RESET);
		h_expect_event(h, TCP_EV_CLOSED);
		break;
	case CHALLENGE:
		/* The 100 bytes read do not move the right edge (RFC 1122 §4.2.3.3). */
		h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(100),
						 .wnd = (BUF - 100) >> 2));
		h_expect_state(h, TCPS_ESTABLISHED);
		break;
	case IGNORED:
		h_expect_no_tx(h);
		h_expect_state(h, TCPS_ESTABLISHED);
		break;
	}
	h_expect_no_tx(h);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

static const struct { uint8_t flags; int64_t off; uint32_t len; } SYNS_EST[] = {
	{ TH_SYN, -1, 0 },           /* the original SYN again */
	{ TH_SYN, 0, 0 },
	{ TH_SYN, 500, 0 },
	{ TH_SYN | TH_ACK, -1, 0 },
	{ TH_SYN, 0, 10 },
};

START_TEST(test_established_syn_challenge)
{
	struct harness *h = est_client(NULL);

	h_inject(h, T + MS(10), SEND(.flags = SYNS_EST[_i].flags,
				     .seq = P(0) + (uint32_t)SYNS_EST[_i].off, .ack = S(0),
				     .len = SYNS_EST[_i].len,
				     .payload = SYNS_EST[_i].len ? h_pattern(0) : NULL,
				     .opt = { .has_mss = true, .mss = MSS }));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(0)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_no_event(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Teardown: RFC 9293 §3.10.4 CLOSE, §3.10.7.4 "fifth" (our FIN
 * acknowledged: FIN-WAIT-1 -> FIN-WAIT-2, CLOSING -> TIME-WAIT, LAST-ACK ->
 * CLOSED) and "eighth, check the FIN bit" (ESTABLISHED -> CLOSE-WAIT,
 * FIN-WAIT-1 -> CLOSING, FIN-WAIT-2 -> TIME-WAIT; in TIME-WAIT a
 * retransmitted FIN is acknowledged and the 2 MSL timer restarted); §3.6
 * (half-close: the receive side stays open); RFC 6298 for the FIN's timer.
 * ==================================================================== */

#define TWO_MSL SEC(60)

START_TEST(test_active_close)
{
	struct harness *h = est_client(NULL);

	h_close(h);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_FIN, .seq = S(0), .ack = P(0)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_1);

	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(1)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_2);

	h_inject(h, MS(300), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(1)));
	h_expect_tx(h, MS(300), RECV(.seq = S(1), .ack = P(1)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_TIME_WAIT);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_no_event(h);
	ck_assert(tcp_eof(h->ep));

	h_run_until(h, MS(300) + TWO_MSL - 1);
	h_expect_state(h, TCPS_TIME_WAIT);
	h_expect_no_event(h);
	h_run_until(h, MS(300) + TWO_MSL);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_NONE);
	h_expect_event(h, TCP_EV_CLOSED);
	h_expect_no_event(h);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

START_TEST(test_passive_close)
{
	struct harness *h = est_client(NULL);

	h_inject(h, MS(110), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(0)));
	h_expect_tx(h, MS(110), RECV(.seq = S(0), .ack = P(1)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSE_WAIT);
	h_expect_event(h, TCP_EV_READABLE);
	ck_assert(tcp_eof(h->ep));

	h_run_until(h, MS(120));
	h_close(h);
	h_expect_tx(h, MS(120), RECV(.flags = TH_ACK | TH_FIN, .seq = S(0), .ack = P(1)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_LAST_ACK);

	h_inject(h, MS(220), SEND(.seq = P(1), .ack = S(1)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_NONE);
	h_expect_event(h, TCP_EV_CLOSED);
	h_expect_no_event(h);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.2 SEND in CLOSE-WAIT: "Queue this request" - the send
 * side is still open after the peer's FIN. */
START_TEST(test_close_wait_send)
{
	struct harness *h = est_client(NULL);

	h_inject(h, MS(110), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(0)));
	h_expect_tx(h, MS(110), RECV(.seq = S(0), .ack = P(1)));
	h_expect_state(h, TCPS_CLOSE_WAIT);
	ck_assert_uint_eq(h_send(h, 100), 100);
	h_expect_tx(h, MS(110), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(1), .len = 100));
	h_close(h);
	h_expect_tx(h, MS(110), RECV(.flags = TH_ACK | TH_FIN, .seq = S(100), .ack = P(1)));
	h_expect_state(h, TCPS_LAST_ACK);
	h_inject(h, MS(210), SEND(.seq = P(1), .ack = S(101)));
	h_expect_state(h, TCPS_CLOSED);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* Both FINs cross: FIN-WAIT-1 -> CLOSING -> TIME-WAIT; or the peer's FIN
 * already acknowledges ours: FIN-WAIT-1 -> (FIN-WAIT-2) -> TIME-WAIT. */
static const struct { bool fin_acks_ours; } SIMULTANEOUS[] = { { false }, { true } };

START_TEST(test_simultaneous_close)
{
	bool acks = SIMULTANEOUS[_i].fin_acks_ours;
	struct harness *h = est_client(NULL);
	uint64_t tw_at = acks ? MS(150) : MS(200);

	h_close(h);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_FIN, .seq = S(0), .ack = P(0)));
	h_inject(h, MS(150), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(acks ? 1 : 0)));
	h_expect_tx(h, MS(150), RECV(.seq = S(1), .ack = P(1)));
	h_expect_no_tx(h);
	if (!acks) {
		h_expect_state(h, TCPS_CLOSING);
		h_inject(h, MS(200), SEND(.seq = P(1), .ack = S(1)));
		h_expect_no_tx(h);
	}
	h_expect_state(h, TCPS_TIME_WAIT);
	h_run_until(h, tw_at + TWO_MSL - 1);
	h_expect_state(h, TCPS_TIME_WAIT);
	h_run_until(h, tw_at + TWO_MSL);
	h_expect_state(h, TCPS_CLOSED);
	ck_assert_uint_eq(tcp_error(h->ep), TCP_ERR_NONE);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

START_TEST(test_time_wait_fin_retransmitted)
{
	struct harness *h = est_client(NULL);
	uint64_t again = MS(300) + SEC(10);

	h_close(h);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_FIN, .seq = S(0), .ack = P(0)));
	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(1)));
	h_inject(h, MS(300), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(1)));
	h_expect_tx(h, MS(300), RECV(.seq = S(1), .ack = P(1)));
	h_expect_state(h, TCPS_TIME_WAIT);

	/* Our ACK was lost: the FIN comes again. */
	h_inject(h, again, SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(1)));
	h_expect_tx(h, again, RECV(.seq = S(1), .ack = P(1)));
	h_expect_no_tx(h);
	h_run_until(h, MS(300) + TWO_MSL);
	h_expect_state(h, TCPS_TIME_WAIT);           /* the first deadline is gone */
	h_run_until(h, again + TWO_MSL - 1);
	h_expect_state(h, TCPS_TIME_WAIT);
	h_run_until(h, again + TWO_MSL);
	h_expect_state(h, TCPS_CLOSED);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

START_TEST(test_half_close)
{
	struct harness *h = est_client(NULL);

	h_close(h);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_FIN, .seq = S(0), .ack = P(0)));

	/* FIN-WAIT-1: our FIN not yet acknowledged, data still taken. */
	h_inject(h, MS(150), SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 500));
	h_expect_tx(h, MS(150), RECV(.seq = S(1), .ack = P(500), .wnd = (BUF - 500) >> 2));
	h_expect_state(h, TCPS_FIN_WAIT_1);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 500);

	h_inject(h, MS(200), SEND(.seq = P(500), .ack = S(1)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_2);

	/* FIN-WAIT-2: likewise. */
	h_inject(h, MS(300), SEND(.flags = TH_ACK | TH_PSH, .seq = P(500), .ack = S(1), .len = 1000));
	/* The right edge is still where the first ACK put it: the 500 bytes
	 * read since are less than an MSS (RFC 1122 §4.2.3.3). */
	h_expect_tx(h, MS(300), RECV(.seq = S(1), .ack = P(1500), .wnd = (BUF - 1500) >> 2));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_2);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 1000);
	ck_assert(!tcp_eof(h->ep));

	h_inject(h, MS(400), SEND(.flags = TH_ACK | TH_FIN, .seq = P(1500), .ack = S(1)));
	h_expect_tx(h, MS(400), RECV(.seq = S(1), .ack = P(1501)));
	h_expect_state(h, TCPS_TIME_WAIT);
	ck_assert(tcp_eof(h->ep));
	h_free(h);
}
END_TEST

/* The FIN occupies a sequence number and is retransmitted like data
 * (RFC 9293 §3.8.1, RFC 6298 (5.4)-(5.5)): 1 s, then 2 s later. */
static const struct { bool passive; } FIN_REXMTS[] = { { false }, { true } };

START_TEST(test_fin_retransmitted)
{
	bool passive = FIN_REXMTS[_i].passive;
	struct harness *h = est_client(NULL);
	uint64_t t = T;
	uint32_t rcv = 0;
	const struct tcp_seg *fin;

	if (passive) {
		h_inject(h, MS(110), SEND(.flags = TH_ACK | TH_FIN, .seq = P(0), .ack = S(0)));
		h_expect_tx(h, MS(110), RECV(.seq = S(0), .ack = P(1)));
		t = MS(120);
		rcv = 1;
		h_run_until(h, t);
	}
	fin = RECV(.flags = TH_ACK | TH_FIN, .seq = S(0), .ack = P(rcv));
	h_close(h);
	h_expect_tx(h, t, fin);
	h_run_until(h, t + SEC(1) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + SEC(1));
	h_expect_tx(h, t + SEC(1), fin);
	h_run_until(h, t + SEC(3) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + SEC(3));
	h_expect_tx(h, t + SEC(3), fin);
	h_expect_state(h, passive ? TCPS_LAST_ACK : TCPS_FIN_WAIT_1);
	h_inject(h, t + MS(3500), SEND(.seq = P(rcv), .ack = S(1)));
	h_expect_state(h, passive ? TCPS_CLOSED : TCPS_FIN_WAIT_2);
	h_run_until(h, t + SEC(100));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* The FIN leaves with the last data segment when both wait for the window. */
START_TEST(test_fin_with_last_data)
{
	struct harness *h = est_client(NULL);

	h_send(h, 15000);
	expect_data(h, T, 0, 14600, MSS, P(0), WND_FULL, false);
	h_close(h);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_1);
	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(1460)));
	h_expect_tx(h, MS(200), RECV(.flags = TH_ACK | TH_PSH | TH_FIN, .seq = S(14600), .ack = P(0),
				     .len = 400));
	h_expect_no_tx(h);
	h_inject(h, MS(300), SEND(.seq = P(0), .ack = S(15001)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_2);
	h_free(h);
}
END_TEST

/* A FIN beyond a hole waits for the hole (RFC 9293 §3.10.7.4 eighth: the
 * FIN is processed when the text before it has been). */
START_TEST(test_fin_out_of_order)
{
	struct harness *h = est_client(NULL);

	h_inject(h, T + MS(10), SEND(.flags = TH_ACK | TH_FIN, .seq = P(1000), .ack = S(0),
				     .len = 1000));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(0)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_no_event(h);
	ck_assert(!tcp_eof(h->ep));

	h_inject(h, T + MS(20), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(2001), .wnd = (BUF - 2000) >> 2));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSE_WAIT);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_no_event(h);
	ck_assert(!tcp_eof(h->ep));
	h_expect_read(h, 2000);
	ck_assert(tcp_eof(h->ep));
	h_free(h);
}
END_TEST

/* ====================================================================
 * Zero window: RFC 9293 §3.8.6.1 and RFC 1122 §4.2.2.17. With data queued
 * and the peer's window at 0, nothing is sent but a one-byte probe, first
 * one RTO later, then at exponentially growing intervals (capped at
 * max_rto); a window update lets the data flow.
 * ==================================================================== */

START_TEST(test_persist_probes)
{
	static const uint64_t probes[] = {
		SEC(1), SEC(3), SEC(7), SEC(15), SEC(31), SEC(63), SEC(123), SEC(183),
	};
	struct harness *h = est_client(NULL);
	uint64_t t0 = MS(150), open_at = t0 + SEC(183) + MS(500);
	const struct tcp_seg *probe = RECV(.seq = S(0), .ack = P(0), .len = 1);

	h_inject(h, t0, SEND(.seq = P(0), .ack = S(0), .wnd = 0));
	h_expect_no_tx(h);
	h_send(h, 1000);
	h_expect_no_tx(h);
	for (int k = 0; k < NELEM(probes); k++) {
		h_run_until(h, t0 + probes[k] - 1);
		h_expect_no_tx(h);
		h_run_until(h, t0 + probes[k]);
		h_expect_tx(h, t0 + probes[k], probe);
		h_expect_no_tx(h);
		/* "ACK, window still 0" */
		h_inject(h, t0 + probes[k] + MS(100), SEND(.seq = P(0), .ack = S(0), .wnd = 0));
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, NELEM(probes));

	h_inject(h, open_at, SEND(.seq = P(0), .ack = S(0), .wnd = 65535));
	h_expect_tx(h, open_at, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
				     .len = 1000));
	h_expect_no_tx(h);
	h_inject(h, open_at + MS(100), SEND(.seq = P(0), .ack = S(1000)));
	h_run_until(h, open_at + SEC(200));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* The window closes in mid-transfer; the peer takes each probe byte but
 * stays at 0 for a while; then it opens. */
START_TEST(test_persist_probe_accepted)
{
	struct harness *h = est_client(NULL);

	h_send(h, 5000);
	expect_data(h, T, 0, 5000, MSS, P(0), WND_FULL, true);
	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(5000), .wnd = 0));
	h_expect_no_tx(h);
	h_send(h, 1000);
	h_expect_no_tx(h);

	h_run_until(h, MS(1200));
	h_expect_tx(h, MS(1200), RECV(.seq = S(5000), .ack = P(0), .len = 1));
	h_inject(h, MS(1300), SEND(.seq = P(0), .ack = S(5001), .wnd = 0));
	h_expect_no_tx(h);
	h_run_until(h, MS(3200) - 1);
	h_expect_no_tx(h);
	h_run_until(h, MS(3200));
	h_expect_tx(h, MS(3200), RECV(.seq = S(5001), .ack = P(0), .len = 1));
	h_inject(h, MS(3300), SEND(.seq = P(0), .ack = S(5002), .wnd = 65535));
	h_expect_tx(h, MS(3300), RECV(.flags = TH_ACK | TH_PSH, .seq = S(5002), .ack = P(0),
				      .len = 998));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Sequence numbers wrap modulo 2^32 (RFC 9293 §3.4): ISS just below 2^32,
 * several KiB each way, acknowledgments, a timeout, FIN, all across the wrap.
 * ==================================================================== */

static const uint32_t WRAP_ISS[] = { 0xFFFFFF00u, 0xFFFFFFFFu, 0xFFFFFA00u, 0x7FFFFF00u };

START_TEST(test_wrap_send)
{
	struct harness *h = h_new(NULL, MTU, WRAP_ISS[_i]);

	h_established_client(h, &PEER, T);
	h_send(h, 8000);
	expect_data(h, T, 0, 8000, MSS, P(0), WND_FULL, true);
	h_expect_no_tx(h);
	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(1460)));
	h_expect_no_tx(h);
	h_run_until(h, MS(1200));
	h_expect_tx(h, MS(1200), RECV(.seq = S(1460), .ack = P(0), .len = 1460));
	h_expect_no_tx(h);
	h_inject(h, MS(1300), SEND(.seq = P(0), .ack = S(8000)));
	h_expect_no_tx(h);
	h_close(h);
	h_expect_tx(h, MS(1300), RECV(.flags = TH_ACK | TH_FIN, .seq = S(8000), .ack = P(0)));
	h_inject(h, MS(1400), SEND(.seq = P(0), .ack = S(8001)));
	h_expect_state(h, TCPS_FIN_WAIT_2);
	h_run_until(h, SEC(100));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

START_TEST(test_wrap_receive)
{
	static const int order[] = { 0, 2, 1, 3, 4, 5 };
	static const uint32_t want_ack[] = { 1460, 1460, 4380, 5840, 7300, 8000 };
	struct h_peer peer = PEER;
	struct harness *h;

	peer.iss = WRAP_ISS[_i];
	h = est_client_peer(NULL, &peer);
	for (int k = 0; k < NELEM(order); k++) {
		uint64_t at = T + MS(10) * (uint64_t)(k + 1);
		uint32_t off = 1460u * (uint32_t)order[k];
		uint32_t len = order[k] == 5 ? 700 : 1460;
		h_inject(h, at, SEND(.seq = P(off), .ack = S(0), .len = len));
		h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(want_ack[k]),
					.wnd = (BUF - want_ack[k]) >> 2));
	}
	h_inject(h, MS(200), SEND(.flags = TH_ACK | TH_FIN, .seq = P(8000), .ack = S(0)));
	h_expect_tx(h, MS(200), RECV(.seq = S(0), .ack = P(8001), .wnd = (BUF - 8000) >> 2));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSE_WAIT);
	h_expect_read(h, 8000);
	ck_assert(tcp_eof(h->ep));
	h_free(h);
}
END_TEST

/* The same with every number written out, not computed through S() and P(). */
START_TEST(test_wrap_literal_numbers)
{
	struct h_peer peer = PEER;
	struct harness *h = h_new(NULL, MTU, 0xFFFFFF00u);

	peer.iss = 0xFFFFFFF0u;
	h_established_client(h, &peer, T);
	h_send(h, 3000);
	h_expect_tx(h, T, RECV(.seq = 0xFFFFFF01u, .ack = 0xFFFFFFF1u, .len = 1460));
	h_expect_tx(h, T, RECV(.seq = 0x000004B5u, .ack = 0xFFFFFFF1u, .len = 1460));
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = 0x00000A69u, .ack = 0xFFFFFFF1u,
			       .len = 80));
	h_inject(h, MS(200), SEND(.flags = TH_ACK | TH_PSH, .seq = 0xFFFFFFF1u, .ack = 0x00000AB9u,
				  .len = 100, .payload = h_pattern(0)));
	h_expect_tx(h, MS(200), RECV(.seq = 0x00000AB9u, .ack = 0x00000055u,
				     .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	h_expect_read(h, 100);
	h_run_until(h, SEC(10));
	h_expect_no_tx(h);          /* all acknowledged across the wrap: no timer */
	h_free(h);
}
END_TEST

/* ====================================================================
 * Loss recovery: RFC 5681 §2 (what a duplicate ACK is) and §3.2 (fast
 * retransmit on the third, ssthresh = max(FlightSize / 2, 2*SMSS) by
 * equation (4), cwnd = ssthresh + 3*SMSS, + SMSS per further duplicate,
 * new data as the inflated window allows); RFC 3042 (limited transmit: one
 * new segment on each of the first two duplicates, cwnd unchanged);
 * RFC 6582 §3.2 (NewReno: 'recover', full and partial ACKs, the timer reset
 * on the first partial ACK only, no fast retransmit unless the ACK covers
 * more than 'recover'); RFC 5681 §3.1 and RFC 6298 §5 (a timeout during
 * recovery); RFC 6298 §3 (Karn: no sample from a retransmitted segment).
 *
 * The scene, unless a test says otherwise: a client at T = 100 ms (SRTT
 * 100 ms, RTO 1 s), 40000 bytes queued, the initial window of 10 SMSS
 * (S(0) .. S(14600)) sent at T, the peer's window 65535 bytes, so cwnd
 * alone limits the sender. The segment at S(0) is lost; the peer answers
 * each segment beyond the hole with a duplicate ACK of S(0), the first at
 * 200 ms, then one per millisecond. Limited transmit is off unless a test
 * is about it (or has no new data for it to send), so that only the
 * mechanism under test moves data.
 * ==================================================================== */

#define IW_BYTES (10u * MSS)        /* 14600: the initial window, all of it sent at T */
#define REC_QUEUED 40000u           /* more than anything a test sends */

/* The peer's pure ACK of our stream up to off (it sends no data). */
#define PEER_ACK(at, off) h_inject(h, (at), SEND(.seq = P(0), .ack = S(off)))
/* One full-sized segment of our stream at off, new or resent (no PSH: the
 * queue goes on beyond it). */
#define EXPECT_SEG(at, off) h_expect_tx(h, (at), RECV(.seq = S(off), .ack = P(0), .len = MSS))

/* A client at T that wrote queued bytes and sent the first min(queued, IW)
 * of them at T (PSH on the last if that empties the queue). */
static struct harness *rec_client(const struct tcp_cfg *cfg, uint32_t queued)
{
	struct harness *h = est_client(cfg);
	uint32_t first = queued < IW_BYTES ? queued : IW_BYTES;

	ck_assert_uint_eq(h_send(h, queued), queued);
	expect_data(h, T, 0, first, MSS, P(0), WND_FULL, first == queued);
	h_expect_no_tx(h);
	return h;
}

static struct tcp_cfg rec_cfg(bool limited_transmit, const struct cc_ops *cc)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.limited_transmit = limited_transmit;
	cfg.cc = cc;
	return cfg;
}

/* The fast retransmit of the scene: duplicates of S(0) at 200, 201 and
 * 202 ms; S(0) resent at 202 ms; FlightSize 14600 (S(0) .. S(14600)), so
 * ssthresh = 7300 and cwnd = 7300 + 3 * 1460 = 11680 (in flight: 14600,
 * nothing new leaves). 'recover' is S(14600). */
static void rec_fast_retransmit(struct harness *h)
{
	PEER_ACK(MS(200), 0);
	PEER_ACK(MS(201), 0);
	h_expect_no_tx(h);
	PEER_ACK(MS(202), 0);
	EXPECT_SEG(MS(202), 0);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 11680);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
}

/*
 * RFC 5681 §2: "DUPLICATE ACKNOWLEDGMENT: An acknowledgment is considered a
 * 'duplicate' in the following algorithms when (a) the receiver of the ACK
 * has outstanding data, (b) the incoming acknowledgment carries no data,
 * (c) the SYN and FIN bits are both off, (d) the acknowledgment number is
 * equal to the greatest acknowledgment received on the given connection
 * (TCP.UNA from [RFC793]) and (e) the advertised window in the incoming
 * acknowledgment equals the advertised window in the last incoming
 * acknowledgment." The peer sends n ACKs of one kind; only true duplicates
 * count, and three of them, only, start a fast retransmit (§3.2). Replies:
 * an ACK for each segment with data (RFC 9293 §3.10.7.4), each SYN (a
 * challenge ACK, RFC 5961 §4.2), each FIN (its ACK, then the ACK of an old
 * retransmitted FIN). 10 segments (14600 bytes, all that is queued) are
 * outstanding unless said otherwise.
 */
static const struct dup_def_case {
	const char *name;
	bool nothing_sent;           /* (a): nothing outstanding */
	uint32_t pre_ack;            /* an ACK of this much first (0: none) */
	uint8_t flags;
	uint32_t len;                /* data in each ACK */
	uint32_t ack_off[4];         /* the ACK numbers, by offset */
	uint16_t wnd[4];             /* the window fields */
	int n;
	uint32_t reply_ack_step;     /* replies: ACK of P(step * (k+1)), or of P(fin) */
	uint32_t reply_fin;
	bool reply;
	uint64_t want_dupacks;
	bool want_fr;
} DUP_DEFS[] = {
	{ "plain: counts", false, 0, TH_ACK, 0, { 0, 0, 0 }, { 65535, 65535, 65535 }, 3,
	  0, 0, false, 3, true },
	{ "(b) carries data", false, 0, TH_ACK, 100, { 0, 0, 0 }, { 65535, 65535, 65535 }, 3,
	  100, 0, true, 0, false },
	{ "(c) SYN", false, 0, TH_SYN | TH_ACK, 0, { 0, 0, 0 }, { 65535, 65535, 65535 }, 3,
	  0, 0, true, 0, false },
	{ "(c) FIN", false, 0, TH_FIN | TH_ACK, 0, { 0, 0, 0 }, { 65535, 65535, 65535 }, 3,
	  0, 1, true, 0, false },
	{ "(d) older than SND.UNA", false, 1460, TH_ACK, 0, { 0, 0, 0 },
	  { 65535, 65535, 65535 }, 3, 0, 0, false, 0, false },
	{ "(d) new data", false, 0, TH_ACK, 0, { 1460, 2920, 4380 }, { 65535, 65535, 65535 }, 3,
	  0, 0, false, 0, false },
	{ "(e) window changes each time", false, 0, TH_ACK, 0, { 0, 0, 0 },
	  { 60000, 59000, 58000 }, 3, 0, 0, false, 0, false },
	{ "(e) window changes once, then stays", false, 0, TH_ACK, 0, { 0, 0, 0, 0 },
	  { 60000, 60000, 60000, 60000 }, 4, 0, 0, false, 3, true },
	{ "(a) nothing outstanding", true, 0, TH_ACK, 0, { 0, 0, 0 }, { 65535, 65535, 65535 }, 3,
	  0, 0, false, 0, false },
};

START_TEST(test_recovery_dupack_definition)
{
	const struct dup_def_case *c = &DUP_DEFS[_i];
	struct harness *h = est_client(NULL);
	uint32_t sent = c->nothing_sent ? 0 : IW_BYTES;

	if (!c->nothing_sent) {
		h_send(h, IW_BYTES);
		expect_data(h, T, 0, IW_BYTES, MSS, P(0), WND_FULL, true);
	}
	if (c->pre_ack) {
		PEER_ACK(MS(150), c->pre_ack);
		h_expect_no_tx(h);
	}
	for (int k = 0; k < c->n; k++) {
		uint64_t at = MS(200) + MS(k);

		h_inject(h, at, SEND(.flags = c->flags, .seq = P(c->len * (uint32_t)k),
				     .ack = S(c->ack_off[k]), .wnd = c->wnd[k], .len = c->len));
		if (c->reply) {
			uint32_t rcvd = c->reply_ack_step * (uint32_t)(k + 1);

			h_expect_tx(h, at, RECV(.seq = S(sent), .ack = P(rcvd + c->reply_fin),
						.wnd = (BUF - rcvd) >> 2));
		}
		if (c->want_fr && k == c->n - 1)
			h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(0), .len = MSS));
		h_expect_no_tx(h);
	}
	ck_assert_msg(tcp_stats(h->ep)->dupacks_received == c->want_dupacks,
		      "%s: %llu duplicate ACKs, want %llu", c->name,
		      (unsigned long long)tcp_stats(h->ep)->dupacks_received,
		      (unsigned long long)c->want_dupacks);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, c->want_fr);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, c->want_fr);
	h_free(h);
}
END_TEST

/*
 * RFC 3042 §2: "the sender can transmit new data upon the arrival of the
 * first two consecutive duplicate ACKs ... if the receiver's advertised
 * window allows, the total FlightSize would remain less than or equal to
 * cwnd plus 2*SMSS, and that new data is available for transmission.
 * Further, the TCP sender MUST NOT change cwnd to reflect these two
 * segments" (also RFC 5681 §3.2 step 1). The window is full (10 SMSS of
 * 10 sent); each of the first two duplicates may release one SMSS segment.
 */
static const struct lt_case {
	const char *name;
	bool limited_transmit;
	uint16_t peer_wnd;           /* the peer's window before and during */
	uint32_t queued;
	int want_new[2];             /* new segments on duplicate 1 and 2 */
} LTS[] = {
	{ "one segment per duplicate", true, 65535, REC_QUEUED, { 1, 1 } },
	{ "limited_transmit off", false, 65535, REC_QUEUED, { 0, 0 } },
	{ "peer's window full", true, 14600, REC_QUEUED, { 0, 0 } },
	{ "peer's window: one more segment", true, 16060, REC_QUEUED, { 1, 0 } },
	{ "no new data queued", true, 65535, IW_BYTES, { 0, 0 } },
};

START_TEST(test_recovery_limited_transmit)
{
	const struct lt_case *c = &LTS[_i];
	struct tcp_cfg cfg = rec_cfg(c->limited_transmit, &cc_newreno);
	struct harness *h = est_client(&cfg);
	uint64_t off = IW_BYTES;

	if (c->peer_wnd != 65535) {
		h_inject(h, T, SEND(.seq = P(0), .ack = S(0), .wnd = c->peer_wnd));
		h_expect_no_tx(h);
	}
	h_send(h, c->queued);
	expect_data(h, T, 0, IW_BYTES, MSS, P(0), WND_FULL, c->queued == IW_BYTES);
	h_expect_no_tx(h);
	for (int k = 0; k < 2; k++) {
		h_inject(h, MS(200) + MS(k), SEND(.seq = P(0), .ack = S(0), .wnd = c->peer_wnd));
		for (int j = 0; j < c->want_new[k]; j++, off += MSS)
			EXPECT_SEG(MS(200) + MS(k), off);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_cwnd(h->ep), IW_BYTES);
		ck_assert_uint_eq(tcp_ssthresh(h->ep), UINT64_MAX);
		ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	}
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_received, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 0);
	ck_assert_uint_eq(tcp_stats(h->ep)->data_segments_sent,
			  10 + c->want_new[0] + c->want_new[1]);
	h_free(h);
}
END_TEST

/*
 * RFC 5681 §3.2 step 2: on the third duplicate ACK, ssthresh "to no more
 * than the value given in equation (4)", max(FlightSize / 2, 2*SMSS);
 * "When [RFC3042] is in use, additional data sent in limited transmit MUST
 * NOT be included in this calculation." Step 3: "The lost segment starting
 * at SND.UNA MUST be retransmitted and cwnd set to ssthresh plus 3*SMSS."
 * RFC 6582 §3.2 step 2: 'recover' (ISS at first) is below the ACK, so
 * this is fast retransmit. Exactly one segment is resent, SMSS bytes from
 * SND.UNA, at the instant of the third duplicate.
 */
static const struct fr_case {
	const char *name;
	bool limited_transmit;
	uint32_t queued;             /* min(queued, IW) sent at T */
	int lt_segs;                 /* new segments sent on duplicates 1 and 2 */
	uint64_t flight;             /* FlightSize for equation (4), bytes */
	uint64_t want_ssthresh, want_cwnd;
} FRS[] = {
	/* 10 segments out: 14600 / 2 = 7300; cwnd 7300 + 4380. */
	{ "IW 10, limited transmit off", false, REC_QUEUED, 0, 14600, 7300, 11680 },
	/* S(0) .. S(17520) out, but the two limited transmit segments do not
	 * count: FlightSize is still 14600. */
	{ "IW 10, limited transmit on", true, REC_QUEUED, 2, 14600, 7300, 11680 },
	/* 4 segments (1460 * 3 + 100): 4480 / 2 = 2240 < 2*SMSS = 2920. */
	{ "4480 bytes out: 2*SMSS floor", true, 4480, 0, 4480, 2920, 7300 },
	/* 5 segments: 7300 / 2 = 3650. */
	{ "7300 bytes out", true, 7300, 0, 7300, 3650, 8030 },
};

START_TEST(test_recovery_fast_retransmit)
{
	const struct fr_case *c = &FRS[_i];
	struct tcp_cfg cfg = rec_cfg(c->limited_transmit, &cc_newreno);
	struct harness *h = rec_client(&cfg, c->queued);

	PEER_ACK(MS(200), 0);
	if (c->lt_segs)
		EXPECT_SEG(MS(200), IW_BYTES);
	h_expect_no_tx(h);
	PEER_ACK(MS(201), 0);
	if (c->lt_segs)
		EXPECT_SEG(MS(201), IW_BYTES + MSS);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 0);

	PEER_ACK(MS(202), 0);
	EXPECT_SEG(MS(202), 0);
	h_expect_no_tx(h);
	ck_assert_uint_eq(c->want_ssthresh, c->flight / 2 > 2 * MSS ? c->flight / 2 : 2 * MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), c->want_ssthresh);
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_ssthresh + 3 * MSS);
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_cwnd);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_received, 3);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 0);
	h_free(h);
}
END_TEST

/*
 * RFC 5681 §3.2 step 4: "For each additional duplicate ACK received (after
 * the third), cwnd MUST be incremented by SMSS"; step 5: "When previously
 * unsent data is available and the new value of cwnd and the receiver's
 * advertised window allow, a TCP SHOULD send 1*SMSS bytes of previously
 * unsent data" (RFC 6582 §3.2 step 3 the same). After the fast retransmit
 * cwnd is 11680 with S(0) .. S(14600) = 14600 in flight: the 4th and 5th
 * duplicates only inflate; from the 6th on each sends one new segment.
 */
START_TEST(test_recovery_inflation)
{
	static const struct {
		uint64_t cwnd;
		int64_t new_off;         /* -1: nothing sent */
	} STEPS[] = {
		{ 13140, -1 },           /* 4th: in flight 14600 */
		{ 14600, -1 },           /* 5th */
		{ 16060, 14600 },        /* 6th */
		{ 17520, 16060 },        /* 7th */
		{ 18980, 17520 },        /* 8th */
		{ 20440, 18980 },        /* 9th */
	};
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);

	rec_fast_retransmit(h);
	for (int k = 0; k < NELEM(STEPS); k++) {
		uint64_t at = MS(203) + MS(k);

		PEER_ACK(at, 0);
		if (STEPS[k].new_off >= 0)
			EXPECT_SEG(at, (uint64_t)STEPS[k].new_off);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_cwnd(h->ep), STEPS[k].cwnd);
		ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
		ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);
	}
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_received, 9);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 1);
	h_free(h);
}
END_TEST

/*
 * RFC 6582 §3.2 step 3, full acknowledgment: the ACK of S(14600) covers
 * 'recover' (everything out when recovery began); "Set cwnd to either (1)
 * min (ssthresh, max(FlightSize, SMSS) + SMSS) or (2) ssthresh, where
 * ssthresh is the value set when fast retransmit was entered, and where
 * FlightSize in (1) is the amount of data presently outstanding ... Exit
 * the fast recovery procedure." This sender takes option (1). The number
 * of duplicates after the third decides how much new data went out during
 * recovery, hence FlightSize once the full ACK has arrived at 302 ms.
 */
static const struct full_ack_case {
	const char *name;
	int extra_dups;              /* after the third, from 203 ms */
	int new_in_recovery;         /* new segments they released, from S(14600) */
	uint64_t flight;             /* S(14600) .. snd_max after the full ACK */
	uint64_t want_cwnd;
	int want_after;              /* new segments sent on the full ACK */
} FULL_ACKS[] = {
	/* min(7300, max(0, 1460) + 1460) = 2920: two segments. */
	{ "nothing new in flight", 0, 0, 0, 2920, 2 },
	/* 2 new segments out: min(7300, 2920 + 1460) = 4380: one more. */
	{ "two new segments in flight", 4, 2, 2920, 4380, 1 },
	/* 7 new segments out: min(7300, 10220 + 1460) = ssthresh. */
	{ "seven new segments in flight", 9, 7, 10220, 7300, 0 },
};

START_TEST(test_recovery_full_ack)
{
	const struct full_ack_case *c = &FULL_ACKS[_i];
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);
	uint64_t off = IW_BYTES;

	rec_fast_retransmit(h);
	for (int k = 0; k < c->extra_dups; k++)
		PEER_ACK(MS(203) + MS(k), 0);
	/* As in test_recovery_inflation: the 6th duplicate (205 ms) and each
	 * one after it release one new segment. */
	for (int k = 0; k < c->new_in_recovery; k++, off += MSS)
		EXPECT_SEG(MS(205) + MS(k), off);
	h_expect_no_tx(h);
	ck_assert_uint_eq(off - IW_BYTES, c->flight);

	PEER_ACK(MS(302), IW_BYTES);
	for (int k = 0; k < c->want_after; k++, off += MSS)
		EXPECT_SEG(MS(302), off);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_cwnd);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 1);

	/* Out of recovery, an ACK of new data grows cwnd again (RFC 5681
	 * §3.1; slow start: cwnd < ssthresh, unless cwnd is ssthresh). */
	PEER_ACK(MS(402), IW_BYTES + MSS);
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_cwnd < 7300 ? c->want_cwnd + MSS : 7300);
	h_discard_tx(h);
	h_free(h);
}
END_TEST

/*
 * RFC 6582 §3.2 step 3, partial acknowledgment: "If this ACK does *not*
 * acknowledge all of the data up to and including recover, then this is a
 * partial ACK. In this case, retransmit the first unacknowledged segment.
 * Deflate the congestion window by the amount of new data acknowledged by
 * the Cumulative Acknowledgment field. If the partial ACK acknowledges at
 * least one SMSS of new data, then add back SMSS bytes to the congestion
 * window. This artificially inflates the congestion window in order to
 * reflect the additional segment that has left the network. Send a new
 * segment if permitted by the new value of cwnd. ... For the first partial
 * ACK that arrives during fast recovery, also reset the retransmit timer.
 * Exit fast recovery when a full ACK arrives" (not on a partial one).
 *
 * Two segments of the window are lost, S(0) and S(5840). The peer's 8
 * duplicates (for segments 2-4 and 6-10) bring the fast retransmit at
 * 202 ms and three new segments (6th-8th duplicates): S(14600) .. S(18980)
 * in flight, cwnd 18980. The retransmission of S(0) brings the partial ACK
 * at 302 ms; the retransmission of the second hole, the full ACK at
 * 402 ms.
 */
static const struct partial_case {
	const char *name;
	uint32_t ack_off;            /* the partial ACK */
	uint64_t want_cwnd;          /* after it */
	int want_new;                /* new segments after the retransmission */
	uint64_t exit_flight;        /* after the full ACK of S(18980) */
	int exit_new;                /* new segments the full ACK releases */
} PARTIALS[] = {
	/* 5840 acked: 18980 - 5840 + 1460 = 14600; in flight S(5840) ..
	 * S(18980) = 13140: one new segment. */
	{ "partial ACK of 4 segments", 5840, 14600, 1, 1460, 1 },
	/* The peer took only 1000 bytes of the first segment: 18980 - 1000 =
	 * 17980, no SMSS added back; in flight 17980: nothing new. */
	{ "partial ACK of less than SMSS", 1000, 17980, 0, 0, 2 },
};

START_TEST(test_recovery_newreno_partial_ack)
{
	const struct partial_case *c = &PARTIALS[_i];
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);
	uint64_t off = 18980;

	rec_fast_retransmit(h);
	for (int k = 0; k < 5; k++)
		PEER_ACK(MS(203) + MS(k), 0);
	EXPECT_SEG(MS(205), 14600);
	EXPECT_SEG(MS(206), 16060);
	EXPECT_SEG(MS(207), 17520);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 18980);

	/* The partial ACK: the segment at the new SND.UNA at once, then what
	 * the deflated window allows. */
	PEER_ACK(MS(302), c->ack_off);
	EXPECT_SEG(MS(302), c->ack_off);
	for (int k = 0; k < c->want_new; k++, off += MSS)
		EXPECT_SEG(MS(302), off);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_cwnd);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 2);

	/* No timeout meanwhile. */
	h_run_until(h, MS(402) - 1);
	h_expect_no_tx(h);

	/* The full ACK (S(18980) >= recover = S(14600)) ends recovery:
	 * cwnd = min(7300, max(FlightSize, SMSS) + SMSS). */
	PEER_ACK(MS(402), 18980);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_cwnd(h->ep), (c->exit_flight > MSS ? c->exit_flight : MSS) + MSS);
	for (int k = 0; k < c->exit_new; k++, off += MSS)
		EXPECT_SEG(MS(402), off);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 0);
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_received, 8);
	h_free(h);
}
END_TEST

/*
 * RFC 6582 §3.2 step 3: "For the first partial ACK that arrives during
 * fast recovery, also reset the retransmit timer" - the first only (the
 * variant RFC 6582 calls "Impatient"): a later partial ACK leaves the timer
 * alone, so that a window with many losses falls back to a timeout rather
 * than repairing one hole per round trip for ever.
 *
 * Three holes: S(0), S(5840), S(10220). Seven duplicates (segments 2-4,
 * 6-7, 9-10): the fast retransmit at 202 ms, new S(14600), S(16060) at 205
 * and 206 ms (cwnd 17520). First partial ACK at 302 ms (S(5840): cwnd
 * 17520 - 5840 + 1460 = 13140, in flight 11680: S(17520) too), which sets
 * the deadline to 302 ms + RTO 1 s. Second partial ACK at 402 ms
 * (S(10220): cwnd 13140 - 4380 + 1460 = 10220, in flight 8760: S(18980)
 * too), which does not. Nothing more arrives: the timeout comes at
 * 1302 ms, not 1402 ms.
 */
START_TEST(test_recovery_newreno_timer_first_partial_only)
{
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);

	rec_fast_retransmit(h);
	for (int k = 0; k < 4; k++)
		PEER_ACK(MS(203) + MS(k), 0);
	EXPECT_SEG(MS(205), 14600);
	EXPECT_SEG(MS(206), 16060);
	h_expect_no_tx(h);

	PEER_ACK(MS(302), 5840);
	EXPECT_SEG(MS(302), 5840);
	EXPECT_SEG(MS(302), 17520);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 13140);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);

	PEER_ACK(MS(402), 10220);
	EXPECT_SEG(MS(402), 10220);
	EXPECT_SEG(MS(402), 18980);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 10220);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);

	h_run_until(h, MS(1302) - 1);
	h_expect_no_tx(h);
	h_run_until(h, MS(1302));
	EXPECT_SEG(MS(1302), 10220);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 4);
	/* RFC 5681 §3.1 equation (4): FlightSize S(10220) .. S(20440). */
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 5110);
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	h_free(h);
}
END_TEST

/*
 * Reno, RFC 5681 §3.2 step 6: "When the next ACK arrives that acknowledges
 * previously unacknowledged data, a TCP MUST set cwnd to ssthresh (the
 * value set in step 2). This is termed 'deflating' the window." Reno has
 * no partial ACKs: the ACK of S(5840) ends recovery and nothing is resent
 * for the second hole. (Recovery exit uses RFC 6582's option (1),
 * min(ssthresh, max(FlightSize, SMSS) + SMSS): with S(5840) .. S(14600) =
 * 8760 in flight that is ssthresh, 7300, as step 6 says.) The second hole
 * waits for the timer, restarted by that ACK (RFC 6298 (5.3)).
 */
START_TEST(test_recovery_reno_partial_ack_ends_recovery)
{
	struct tcp_cfg cfg = rec_cfg(false, &cc_reno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);

	rec_fast_retransmit(h);
	PEER_ACK(MS(302), 5840);
	h_expect_no_tx(h);          /* in flight 8760 > cwnd 7300: nothing */
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 7300);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);

	h_run_until(h, MS(1302) - 1);
	h_expect_no_tx(h);
	h_run_until(h, MS(1302));
	EXPECT_SEG(MS(1302), 5840);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 4380);
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	h_free(h);
}
END_TEST

/*
 * RFC 6582 §3.2 step 2: "When the third duplicate ACK is received, the TCP
 * sender first checks the value of recover to see if the Cumulative
 * Acknowledgment field covers more than recover. If so, ... The TCP then
 * enters fast retransmit ... If not, the TCP does not enter fast
 * retransmit and does not reset ssthresh." §4: "After a retransmit
 * timeout, record the highest sequence number transmitted in the variable
 * recover", so that the duplicates that go-back-N or late ACKs of the old
 * window bring start no second recovery for the same loss.
 *
 * 'recover' is the highest sequence number sent when recovery (or the
 * timeout) began, S(14600) - 1 here: an ACK of S(14600) covers it but not
 * more; an ACK of S(16060) covers more (RFC 3782 §3 spelled it out: the
 * ACK covers more than recover when "ack_number - 1 > recover"). That an
 * ACK of exactly S(14600) starts nothing is what the check is for: after a
 * timeout, go-back-N resends segments the peer already holds, and each
 * draws a duplicate ACK of its RCV.NXT, S(14600). The scene ends with a timeout at
 * 1100 ms (no duplicate came; S(0) resent, cwnd 1460, ssthresh 7300) or a
 * fast retransmit at 202 ms, then the peer's cumulative ACKs 100 and
 * 200 ms later, then three duplicates of the last, 300 ms later.
 */
static const struct recover_case {
	const char *name;
	bool timeout;                /* else fast retransmit */
	int nacks;
	struct {
		uint32_t ack_off;
		uint32_t seg_off[2];     /* the two segments it releases */
	} acks[2];
	uint32_t dup_off;
	bool want_fr;
	uint64_t want_cwnd, want_ssthresh;   /* after the duplicates */
} RECOVERS[] = {
	/* Late duplicates of the old window. */
	{ "timeout, duplicates of S(0)", true, 0, { { 0, { 0, 0 } } }, 0, false, 1460, 7300 },
	/* ACK of S(2920): slow start, cwnd 2920, go-back-N resends S(2920)
	 * and S(4380), which the peer has: duplicates of S(2920). */
	{ "timeout, duplicates below recover", true, 1, { { 2920, { 2920, 4380 } } }, 2920,
	  false, 2920, 7300 },
	{ "timeout, duplicates of recover + 1", true, 1, { { 14600, { 14600, 16060 } } }, 14600,
	  false, 2920, 7300 },
	{ "recovery, duplicates of recover + 1", false, 1, { { 14600, { 14600, 16060 } } },
	  14600, false, 2920, 7300 },
	/* New data lost: S(16060) .. S(20440) = 4380 in flight: ssthresh
	 * max(2190, 2920), cwnd 2920 + 4380. */
	{ "timeout, then a new loss", true, 2,
	  { { 14600, { 14600, 16060 } }, { 16060, { 17520, 18980 } } }, 16060, true, 7300, 2920 },
	{ "recovery, then a new loss", false, 2,
	  { { 14600, { 14600, 16060 } }, { 16060, { 17520, 18980 } } }, 16060, true, 7300, 2920 },
};

START_TEST(test_recovery_not_again_below_recover)
{
	const struct recover_case *c = &RECOVERS[_i];
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);
	uint64_t t0 = c->timeout ? T + SEC(1) : MS(202);
	uint64_t at = 0;

	if (c->timeout) {
		h_run_until(h, T + SEC(1));
		EXPECT_SEG(T + SEC(1), 0);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
		ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
		ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_LOSS);
	} else {
		rec_fast_retransmit(h);
	}
	for (int k = 0; k < c->nacks; k++) {
		at = t0 + MS(100) * (uint64_t)(k + 1);
		PEER_ACK(at, c->acks[k].ack_off);
		EXPECT_SEG(at, c->acks[k].seg_off[0]);
		EXPECT_SEG(at, c->acks[k].seg_off[1]);
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(tcp_cc_state(h->ep), c->nacks == 0 ? TCP_CC_LOSS :
			  c->acks[0].ack_off < IW_BYTES ? TCP_CC_LOSS : TCP_CC_OPEN);

	for (int k = 0; k < 3; k++) {
		at = t0 + MS(300) + MS(k);
		PEER_ACK(at, c->dup_off);
	}
	if (c->want_fr) {
		EXPECT_SEG(at, c->dup_off);
		EXPECT_SEG(at, 20440);
		EXPECT_SEG(at, 21900);
	}
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_received, c->timeout ? 3 : 6);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, c->want_fr + !c->timeout);
	ck_assert_uint_eq(tcp_cc_state(h->ep), c->want_fr ? TCP_CC_RECOVERY :
			  c->nacks == 0 || c->acks[0].ack_off < IW_BYTES ? TCP_CC_LOSS :
			  TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_cwnd(h->ep), c->want_cwnd);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), c->want_ssthresh);
	h_free(h);
}
END_TEST

/*
 * A timeout during recovery. RFC 6582 §3.2 step 4 ("Retransmit timeouts:
 * After a retransmit timeout, record the highest sequence number
 * transmitted in the variable recover, and exit the fast recovery
 * procedure if applicable"); RFC 5681 §3.1: "ssthresh MUST be set to no
 * more than the value given in equation (4)" with FlightSize then
 * outstanding, cwnd to the loss window, 1 SMSS, and "if the segment has
 * already been retransmitted by the retransmission timer at least once,
 * the value of ssthresh is held constant"; RFC 6298 (5.4) resend the
 * earliest unacknowledged segment, (5.5) double the RTO, (5.6) restart the
 * timer. Then go-back-N: the ACK of the retransmission lets slow start
 * resend from the new SND.UNA.
 *
 * Two holes, S(0) and S(5840); three duplicates only (fast retransmit at
 * 202 ms, cwnd 11680, nothing new); the partial ACK of S(5840) at 302 ms
 * resends the second hole and restarts the timer (cwnd 11680 - 5840 +
 * 1460 = 7300, in flight 8760: nothing new). Both the retransmission and
 * everything after are lost.
 */
START_TEST(test_recovery_timeout_during_recovery)
{
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);

	rec_fast_retransmit(h);
	PEER_ACK(MS(302), 5840);
	EXPECT_SEG(MS(302), 5840);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 7300);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);

	/* First timeout, 1 s after the partial ACK: FlightSize S(5840) ..
	 * S(14600) = 8760, ssthresh 4380 (not the 7300 of the fast
	 * retransmit: that was no timeout). */
	h_run_until(h, MS(1302) - 1);
	h_expect_no_tx(h);
	h_run_until(h, MS(1302));
	EXPECT_SEG(MS(1302), 5840);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_LOSS);
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 4380);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);

	/* Second timeout, after 2 s: ssthresh held. (Nothing was acknowledged
	 * in between, so FlightSize is unchanged and equation (4) would give
	 * 4380 again: this endpoint cannot tell holding from recomputing.) */
	h_run_until(h, MS(3302) - 1);
	h_expect_no_tx(h);
	h_run_until(h, MS(3302));
	EXPECT_SEG(MS(3302), 5840);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 4380);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 2);

	/* Its ACK: cwnd 1460 + 1460, and go-back-N from S(7300), segments
	 * the peer may well have (it says nothing about them). */
	PEER_ACK(MS(3402), 7300);
	EXPECT_SEG(MS(3402), 7300);
	EXPECT_SEG(MS(3402), 8760);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 2 * MSS);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_LOSS);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 6);
	h_free(h);
}
END_TEST

/*
 * RFC 6298 §3 (Karn): "RTT samples MUST NOT be made using segments that
 * were retransmitted". S(0) was being timed when it went out at T; the
 * ACK that covers it now acknowledges its fast retransmission, and
 * (second case) the ACK of S(5840) that of the partial ACK's. Neither may
 * move SRTT (100 ms from the handshake). The first segment sent once after
 * recovery is timed again: its ACK 200 ms later gives SRTT 7/8 * 100 +
 * 1/8 * 200 = 112.5 ms.
 */
static const struct rec_karn_case {
	const char *name;
	bool second_hole;
} REC_KARNS[] = {
	{ "ACK of the fast retransmission", false },
	{ "ACK of the partial ACK's retransmission", true },
};

START_TEST(test_recovery_karn)
{
	const struct rec_karn_case *c = &REC_KARNS[_i];
	struct tcp_cfg cfg = rec_cfg(false, &cc_newreno);
	struct harness *h = rec_client(&cfg, REC_QUEUED);
	uint64_t at = MS(302);

	rec_fast_retransmit(h);
	if (c->second_hole) {
		PEER_ACK(MS(302), 5840);
		EXPECT_SEG(MS(302), 5840);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(100));
		at = MS(402);
	}
	/* The full ACK: FlightSize 0, cwnd 2920, two new segments. */
	PEER_ACK(at, IW_BYTES);
	EXPECT_SEG(at, 14600);
	EXPECT_SEG(at, 16060);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(100));
	ck_assert_uint_eq(h->ep->rtt.samples, 1);

	PEER_ACK(at + MS(200), 16060);
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), US(112500));
	ck_assert_uint_eq(h->ep->rtt.samples, 2);
	h_discard_tx(h);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Delayed ACK: RFC 1122 §4.2.3.2 ("A TCP SHOULD implement a delayed ACK,
 * but an ACK should not be excessively delayed; in particular, the delay
 * MUST be less than 0.5 seconds, and in a stream of full-sized segments
 * there SHOULD be an ACK for at least every second segment") and RFC 5681
 * §4.2 (the same, "MUST be generated within 500 ms of the arrival of the
 * first unacknowledged packet"; an immediate duplicate ACK for an
 * out-of-order segment; an immediate ACK for a segment that fills all or
 * part of a gap). Here the delay is cfg.delayed_ack_ns (200 ms, BSD's and
 * the product default), counted from the first unacknowledged segment and
 * never pushed back; "full-sized" is SMSS (1460), so the threshold is 2920
 * unacknowledged bytes. cfg.quick_ack ACKs the first N data segments at
 * once (Linux's quick-ACK mode). Every segment that carries an ACK (data
 * included) settles what was owed.
 *
 * h_default_cfg() turns delayed ACK off; these tests turn it back on.
 * ==================================================================== */

#define DELACK MS(200)

static struct harness *est_client_delack(uint64_t delay, uint32_t quick_ack)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.delayed_ack_ns = delay;
	cfg.quick_ack = quick_ack;
	return est_client(&cfg);
}

/* RFC 1122 §4.2.3.2 / RFC 5681 §4.2: one small in-order segment is
 * acknowledged by the delayed-ACK timer, exactly 200 ms after it arrived,
 * with a pure ACK; the application reading it in between changes nothing. */
START_TEST(test_delack_single_segment)
{
	struct harness *h = est_client_delack(DELACK, 0);
	uint64_t t = T + MS(10);

	h_inject(h, t, SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 100));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_no_event(h);
	h_run_until(h, t + MS(50));
	h_expect_read(h, 100);
	h_expect_no_tx(h);
	h_run_until(h, t + DELACK - 1);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 0);
	h_run_until(h, t + DELACK);
	h_expect_tx(h, t + DELACK, RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 1);
	h_run_until(h, t + SEC(5));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 1);
	h_free(h);
}
END_TEST

/* RFC 5681 §4.2: the ACK "MUST be generated within 500 ms of the arrival of
 * the first unacknowledged packet": a second small segment 50 ms later does
 * not push the deadline back; one ACK covers both, 200 ms after the first. */
START_TEST(test_delack_deadline_not_pushed_back)
{
	struct harness *h = est_client_delack(DELACK, 0);
	uint64_t t = T + MS(10);

	h_inject(h, t, SEND(.seq = P(0), .ack = S(0), .len = 500));
	h_inject(h, t + MS(50), SEND(.flags = TH_ACK | TH_PSH, .seq = P(500), .ack = S(0),
				     .len = 500));
	h_expect_no_tx(h);
	h_run_until(h, t + DELACK - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + DELACK);
	h_expect_tx(h, t + DELACK, RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2));
	h_expect_no_tx(h);
	/* Nothing at the second segment's own deadline. */
	h_run_until(h, t + MS(50) + DELACK + MS(100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 1);
	h_expect_read(h, 1000);
	h_free(h);
}
END_TEST

/*
 * RFC 1122 §4.2.3.2: "in a stream of full-sized segments there SHOULD be an
 * ACK for at least every second segment"; RFC 5681 §4.2 "at least every
 * second full-sized segment". Counted in bytes: the segment that brings the
 * unacknowledged total to 2 * SMSS (2920) is ACKed on arrival; 4 bytes
 * short, the timer does it. Segments arrive every 20 ms from T + 10 ms.
 */
static const struct delack_two_case {
	const char *name;
	int n;
	uint32_t len[3];
	int ack_on;                  /* segment ACKed on arrival; -1: the timer ACKs */
	uint32_t want_ack;           /* offset */
	uint16_t want_wnd;
} DELACK_TWOS[] = {
	{ "two full-sized segments", 2, { 1460, 1460 }, 1, 2920, (BUF - 2920) >> 2 },
	{ "2*SMSS in three segments", 3, { 1000, 1000, 920 }, 2, 2920, (BUF - 2920) >> 2 },
	{ "4 bytes short of 2*SMSS", 2, { 1460, 1456 }, -1, 2916, (BUF - 2916) >> 2 },
};

START_TEST(test_delack_every_second_full_segment)
{
	const struct delack_two_case *c = &DELACK_TWOS[_i];
	struct harness *h = est_client_delack(DELACK, 0);
	uint64_t t0 = T + MS(10), off = 0;

	for (int k = 0; k < c->n; k++) {
		uint64_t at = t0 + MS(20) * (uint64_t)k;
		h_inject(h, at, SEND(.seq = P(off), .ack = S(0), .len = c->len[k]));
		off += c->len[k];
		if (k == c->ack_on)
			h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(c->want_ack),
						.wnd = c->want_wnd));
		h_expect_no_tx(h);
	}
	if (c->ack_on < 0) {
		h_run_until(h, t0 + DELACK - 1);
		h_expect_no_tx(h);
		h_run_until(h, t0 + DELACK);
		h_expect_tx(h, t0 + DELACK, RECV(.seq = S(0), .ack = P(c->want_ack),
						 .wnd = c->want_wnd));
	}
	/* The ACK sent settled what was owed: no timer ACK follows. */
	h_run_until(h, t0 + SEC(2));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, c->ack_on < 0 ? 1 : 0);
	h_expect_read(h, off);
	h_free(h);
}
END_TEST

/*
 * RFC 5681 §4.2: "A TCP receiver SHOULD send an immediate duplicate ACK
 * when an out-of-order segment arrives" and "SHOULD send an immediate ACK
 * when the incoming segment fills in all or part of a gap in the sequence
 * space", however small. The duplicate ACK also carries (and settles) the
 * ACK that the timer was holding for the in-order data before the hole.
 * Once no hole is left, a small in-order segment waits again.
 */
START_TEST(test_delack_out_of_order_and_fill)
{
	struct harness *h = est_client_delack(DELACK, 0);
	uint64_t t = T + MS(10);

	h_inject(h, t, SEND(.seq = P(0), .ack = S(0), .len = 100));
	h_expect_no_tx(h);
	/* Beyond a hole: at once, the ACK number is RCV.NXT. */
	h_inject(h, t + MS(50), SEND(.seq = P(600), .ack = S(0), .len = 400));
	h_expect_tx(h, t + MS(50), RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	/* A second one beyond the hole: another immediate duplicate. */
	h_inject(h, t + MS(60), SEND(.seq = P(1100), .ack = S(0), .len = 100));
	h_expect_tx(h, t + MS(60), RECV(.seq = S(0), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	/* Part of the gap [100, 600): 200 bytes that reach no island, ACKed
	 * at once though 1*SMSS is not even unacknowledged. */
	h_inject(h, t + MS(70), SEND(.seq = P(100), .ack = S(0), .len = 200));
	h_expect_tx(h, t + MS(70), RECV(.seq = S(0), .ack = P(300), .wnd = (BUF - 300) >> 2));
	h_expect_no_tx(h);
	/* The rest of the first gap: the edge jumps over the island to 1000. */
	h_inject(h, t + MS(80), SEND(.seq = P(300), .ack = S(0), .len = 300));
	h_expect_tx(h, t + MS(80), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2));
	h_expect_no_tx(h);
	/* The last gap, [1000, 1100): the edge reaches 1200. */
	h_inject(h, t + MS(90), SEND(.seq = P(1000), .ack = S(0), .len = 100));
	h_expect_tx(h, t + MS(90), RECV(.seq = S(0), .ack = P(1200), .wnd = (BUF - 1200) >> 2));
	h_expect_no_tx(h);
	h_run_until(h, t + SEC(1));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 0);

	/* No hole any more: small in-order data waits for the timer again. */
	h_inject(h, t + SEC(1), SEND(.seq = P(1200), .ack = S(0), .len = 100));
	h_expect_no_tx(h);
	h_run_until(h, t + SEC(1) + DELACK);
	h_expect_tx(h, t + SEC(1) + DELACK, RECV(.seq = S(0), .ack = P(1300),
						 .wnd = (BUF - 1300) >> 2));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 1);
	h_expect_read(h, 1300);
	h_free(h);
}
END_TEST

/* RFC 1122 §4.2.3.2: the point of the delay is that the ACK can ride on
 * the application's answer. The application writes 30 ms after the data
 * arrived: its segment carries the ACK, and no pure ACK follows when the
 * 200 ms would have run out. */
START_TEST(test_delack_piggyback)
{
	struct harness *h = est_client_delack(DELACK, 0);
	uint64_t t = T + MS(10);

	h_inject(h, t, SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0), .len = 100));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_READABLE);
	h_expect_read(h, 100);
	h_run_until(h, t + MS(30));
	ck_assert_uint_eq(h_send(h, 50), 50);
	h_expect_tx(h, t + MS(30), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(100),
					.wnd = (BUF - 100) >> 2, .len = 50));
	h_expect_no_tx(h);
	h_run_until(h, t + DELACK + MS(100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 0);
	h_free(h);
}
END_TEST

/*
 * RFC 1122 §4.2.3.2 allows the delay, it does not require it.
 * delayed_ack 0: every data segment is ACKed on arrival (what the other
 * groups rely on). quick_ack N (Linux's quick-ACK mode at the start of a
 * connection): the first N data segments are ACKed on arrival, the later
 * ones wait 200 ms. Five 100-byte segments, 300 ms apart from T + 10 ms,
 * so that each waiting ACK has gone before the next segment comes.
 */
static const struct quickack_case {
	const char *name;
	uint64_t delay;
	uint32_t quick_ack;
	int immediate;               /* segments ACKed on arrival, the first ones */
} QUICKACKS[] = {
	{ "delayed_ack 0", 0, 0, 5 },
	{ "delayed_ack 0, quick_ack 2", 0, 2, 5 },
	{ "quick_ack 0", MS(200), 0, 0 },
	{ "quick_ack 2", MS(200), 2, 2 },
	{ "quick_ack 10", MS(200), 10, 5 },
};

START_TEST(test_delack_quickack)
{
	const struct quickack_case *c = &QUICKACKS[_i];
	struct harness *h = est_client_delack(c->delay, c->quick_ack);
	uint64_t t0 = T + MS(10);

	for (int k = 0; k < 5; k++) {
		uint64_t at = t0 + MS(300) * (uint64_t)k;
		uint32_t edge = 100u * (uint32_t)(k + 1);
		const struct tcp_seg *ack = RECV(.seq = S(0), .ack = P(edge),
						 .wnd = (BUF - edge) >> 2);

		h_inject(h, at, SEND(.seq = P(100u * (uint32_t)k), .ack = S(0), .len = 100));
		if (k < c->immediate) {
			h_expect_tx(h, at, ack);
		} else {
			h_expect_no_tx(h);
			h_run_until(h, at + MS(200) - 1);
			h_expect_no_tx(h);
			h_run_until(h, at + MS(200));
			h_expect_tx(h, at + MS(200), ack);
		}
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 5 - c->immediate);
	h_free(h);
}
END_TEST

/*
 * Linux's adaptive delayed ACK (delayed_ack_min, see tcp_timer.c): the delay
 * (ato) starts at the floor, doubles when the timer fires, follows the gaps
 * between segments, is bounded by the SRTT above the floor and always by
 * delayed_ack. The handshake measured SRTT 100 ms; the RTO is min_rto, 1 s.
 * Segments of 100 bytes, never read: the window falls by 100 each time.
 */
static struct harness *est_client_ato(uint32_t quick_ack)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.delayed_ack_ns = MS(200);
	cfg.delayed_ack_min_ns = MS(40);
	cfg.quick_ack = quick_ack;
	return est_client(&cfg);
}

#define LAST_WHY(h) ((h)->tx[(h)->tx_head - 1].why)

/* Segment k (0-based) of 100 bytes arrives at `at`. */
static void ato_seg(struct harness *h, uint64_t at, uint32_t k)
{
	h_inject(h, at, SEND(.seq = P(100 * k), .ack = S(0), .len = 100));
}

static void ato_ack(struct harness *h, uint64_t at, uint32_t edge, enum tcp_why_kind why,
		    uint64_t arg)
{
	h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(edge), .wnd = (BUF - edge) >> 2));
	ck_assert_int_eq(LAST_WHY(h).kind, why);
	ck_assert_uint_eq(LAST_WHY(h).arg, arg);
	h_expect_no_tx(h);
}

START_TEST(test_delack_adaptive)
{
	struct harness *h = est_client_ato(0);
	uint64_t t = T + MS(10);

	ck_assert(h->ep->rtt.have_sample);
	ck_assert_uint_eq(h->ep->rtt.srtt_ns, MS(100));
	ck_assert_uint_eq(rtt_rto(&h->ep->rtt), SEC(1));
	/* The first data: ato = 40 ms; the timer fires and doubles it to 80. */
	ato_seg(h, t, 0);
	h_run_until(h, t + MS(40) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + MS(40));
	ato_ack(h, t + MS(40), 100, TCP_WHY_ACK_DELAYED, MS(40));
	ck_assert_uint_eq(h->ep->ato_ns, MS(80));
	/* A 300 ms gap (more than ato, less than the RTO) leaves it: 80 ms, and 160 after. */
	t += MS(300);
	ato_seg(h, t, 1);
	h_run_until(h, t + MS(80) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + MS(80));
	ato_ack(h, t + MS(80), 200, TCP_WHY_ACK_DELAYED, MS(80));
	ck_assert_uint_eq(h->ep->ato_ns, MS(160));
	/* Above the floor the SRTT bounds it: 100 ms, not 160; 320 after. */
	t += MS(500);
	ato_seg(h, t, 2);
	h_run_until(h, t + MS(100) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + MS(100));
	ato_ack(h, t + MS(100), 300, TCP_WHY_ACK_DELAYED, MS(100));
	ck_assert_uint_eq(h->ep->ato_ns, MS(320));
	/* A 300 ms gap, below ato: ato/2 + m = 460 ms; a second segment 5 ms
	 * later (at most the floor's half): ato/2 + 20 ms = 250 ms. The first
	 * deadline stands, one ACK covers both; the firing doubles ato. */
	t += MS(300);
	ato_seg(h, t, 3);
	ck_assert_uint_eq(h->ep->ato_ns, MS(460));
	ato_seg(h, t + MS(5), 4);
	ck_assert_uint_eq(h->ep->ato_ns, MS(250));
	h_run_until(h, t + MS(100) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t + MS(100));
	ato_ack(h, t + MS(100), 500, TCP_WHY_ACK_DELAYED, MS(100));
	ck_assert_uint_eq(h->ep->ato_ns, MS(500));
	/* 450 ms after the last segment: ato/2 + m = 700 ms, a 100 ms delay;
	 * 80 ms on, the timer is due within a quarter of the delay (25 ms):
	 * the ACK leaves at once, and ato (350 + 80 ms) is not doubled. */
	t += MS(5) + MS(450);
	ato_seg(h, t, 5);
	ck_assert_uint_eq(h->ep->ato_ns, MS(700));
	ato_seg(h, t + MS(80), 6);
	ato_ack(h, t + MS(80), 700, TCP_WHY_ACK_DELAY_DUE, 0);
	ck_assert_uint_eq(h->ep->ato_ns, MS(430));
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 4);
	h_run_until(h, t + SEC(1));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* A gap longer than the RTO restarts the quick-ACK allowance
 * (tcp_incr_quickack): quick_ack segments ACKed at once again. */
START_TEST(test_delack_adaptive_quickack_again)
{
	struct harness *h = est_client_ato(2);
	uint64_t t = T + MS(10);

	ato_seg(h, t, 0);
	ato_ack(h, t, 100, TCP_WHY_ACK_QUICK, 0);
	ato_seg(h, t + MS(10), 1);
	ato_ack(h, t + MS(10), 200, TCP_WHY_ACK_QUICK, 0);
	/* 10 ms gaps: ato/2 + 20 ms = 40 ms, the floor. */
	ato_seg(h, t + MS(20), 2);
	h_run_until(h, t + MS(60));
	ato_ack(h, t + MS(60), 300, TCP_WHY_ACK_DELAYED, MS(40));
	/* 2 s later, past the 1 s RTO: two quick ACKs, then a delayed one. */
	t += SEC(2);
	ato_seg(h, t, 3);
	ato_ack(h, t, 400, TCP_WHY_ACK_QUICK, 0);
	ato_seg(h, t + MS(1), 4);
	ato_ack(h, t + MS(1), 500, TCP_WHY_ACK_QUICK, 0);
	ato_seg(h, t + MS(2), 5);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* RFC 9293 §3.10.7.4 eighth: "If the FIN bit is set, ... advance RCV.NXT
 * over the FIN, and send an acknowledgment for the FIN": at once, not
 * delayed, also when it comes with (or after) small data whose ACK was
 * waiting. */
static const struct delack_fin_case {
	const char *name;
	bool with_data;              /* data and FIN in one segment */
} DELACK_FINS[] = {
	{ "FIN after small data", false },
	{ "FIN on small data", true },
};

START_TEST(test_delack_fin_acked_at_once)
{
	const struct delack_fin_case *c = &DELACK_FINS[_i];
	struct harness *h = est_client_delack(DELACK, 0);
	uint64_t t = T + MS(10), fin_at = t + MS(50);

	if (c->with_data) {
		fin_at = t;
		h_inject(h, t, SEND(.flags = TH_ACK | TH_PSH | TH_FIN, .seq = P(0), .ack = S(0),
				    .len = 100));
	} else {
		h_inject(h, t, SEND(.flags = TH_ACK | TH_PSH, .seq = P(0), .ack = S(0),
				    .len = 100));
		h_expect_no_tx(h);
		h_inject(h, fin_at, SEND(.flags = TH_ACK | TH_FIN, .seq = P(100), .ack = S(0)));
	}
	/* RCV.NXT is past the FIN: 130971 bytes offered, rounded up to the
	 * scale unit (the edge may not move left), 32743. */
	h_expect_tx(h, fin_at, RECV(.seq = S(0), .ack = P(101), .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_CLOSE_WAIT);
	h_run_until(h, t + SEC(1));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 0);
	h_expect_read(h, 100);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Nagle: RFC 896 and RFC 1122 §4.2.3.4: "If there is unacknowledged data
 * (i.e., SND.NXT > SND.UNA), then the sending TCP buffers all user data
 * (regardless of the PSH bit), until the outstanding data has been
 * acknowledged or until the TCP can send a full-sized segment (Eff.snd.MSS
 * bytes)". A TCP "SHOULD implement the Nagle Algorithm", and an
 * application may turn it off (cfg.nagle false, TCP_NODELAY). Idleness is
 * judged when output starts, so one write on an idle connection leaves
 * whole, its short tail included (BSD, Linux); a closing sender does not
 * hold its tail back. tcp_stats()->nagle_holds counts the small segments
 * Nagle made wait, when they leave, and only if they did wait (not a tail
 * completed to a full segment at the same instant).
 * ==================================================================== */

/* RFC 1122 §4.2.3.4: the second small write waits for the ACK of the first
 * and leaves at the instant that ACK arrives. */
START_TEST(test_nagle_holds_second_small_write)
{
	struct harness *h = est_client(NULL);

	ck_assert_uint_eq(h_send(h, 100), 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);

	h_run_until(h, T + MS(10));
	ck_assert_uint_eq(h_send(h, 100), 100);
	h_expect_no_tx(h);
	ck_assert(h->ep->nagle_holding);
	h_run_until(h, T + MS(50) - 1);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);

	h_inject(h, T + MS(50), SEND(.seq = P(0), .ack = S(100)));
	h_expect_tx(h, T + MS(50), RECV(.flags = TH_ACK | TH_PSH, .seq = S(100), .ack = P(0),
					.len = 100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	h_free(h);
}
END_TEST

/* The data written while one small segment is out accumulates: the writes
 * of 100 bytes at 10, 20 and 30 ms leave as one 300-byte segment when the
 * ACK comes; that is one hold, not three. */
START_TEST(test_nagle_coalesces_small_writes)
{
	struct harness *h = est_client(NULL);

	h_send(h, 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	for (int k = 1; k <= 3; k++) {
		h_run_until(h, T + MS(10) * (uint64_t)k);
		h_send(h, 100);
		h_expect_no_tx(h);
	}
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);
	h_inject(h, T + MS(50), SEND(.seq = P(0), .ack = S(100)));
	h_expect_tx(h, T + MS(50), RECV(.flags = TH_ACK | TH_PSH, .seq = S(100), .ack = P(0),
					.len = 300));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->data_segments_sent, 2);
	h_free(h);
}
END_TEST

/* On an idle connection a write of 2 * SMSS + 100 bytes leaves whole, the
 * 100-byte tail with the full segments: the connection was idle when the
 * output began, though the tail's turn comes with 2920 bytes in flight. */
START_TEST(test_nagle_idle_write_whole)
{
	struct harness *h = est_client(NULL);

	ck_assert_uint_eq(h_send(h, 2 * MSS + 100), 2 * MSS + 100);
	h_expect_tx(h, T, RECV(.seq = S(0), .ack = P(0), .len = MSS));
	h_expect_tx(h, T, RECV(.seq = S(MSS), .ack = P(0), .len = MSS));
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(2 * MSS), .ack = P(0),
			       .len = 100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);
	h_free(h);
}
END_TEST

/* The same write while 100 bytes are unacknowledged: the full segments
 * leave, the tail waits; an ACK that leaves data outstanding does not
 * release it (SND.NXT > SND.UNA still); the ACK of everything does. */
START_TEST(test_nagle_busy_write_tail_held)
{
	struct harness *h = est_client(NULL);

	h_send(h, 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_run_until(h, T + MS(10));
	ck_assert_uint_eq(h_send(h, 2 * MSS + 100), 2 * MSS + 100);
	h_expect_tx(h, T + MS(10), RECV(.seq = S(100), .ack = P(0), .len = MSS));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(100 + MSS), .ack = P(0), .len = MSS));
	h_expect_no_tx(h);
	ck_assert(h->ep->nagle_holding);

	h_inject(h, T + MS(50), SEND(.seq = P(0), .ack = S(100)));
	h_expect_no_tx(h);
	h_inject(h, T + MS(60), SEND(.seq = P(0), .ack = S(100 + 2 * MSS)));
	h_expect_tx(h, T + MS(60), RECV(.flags = TH_ACK | TH_PSH, .seq = S(100 + 2 * MSS),
					.ack = P(0), .len = 100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	h_free(h);
}
END_TEST

/* "... or until the TCP can send a full-sized segment": held data leaves,
 * without waiting for the ACK, as soon as a full SMSS is queued. It waited
 * 20 ms: one hold. A small write that the application completes to a full
 * segment in the same instant did not wait: no hold. */
START_TEST(test_nagle_full_segment_releases)
{
	struct harness *h = est_client(NULL);

	h_send(h, 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_run_until(h, T + MS(10));
	h_send(h, 100);
	h_expect_no_tx(h);
	h_run_until(h, T + MS(20));
	h_send(h, MSS - 200);            /* 1260 held: 100 + 1260 < SMSS */
	h_expect_no_tx(h);
	h_run_until(h, T + MS(30));
	h_send(h, 100);                  /* 1460 queued: one full segment */
	h_expect_tx(h, T + MS(30), RECV(.flags = TH_ACK | TH_PSH, .seq = S(100), .ack = P(0),
					.len = MSS));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	ck_assert(!h->ep->nagle_holding);

	h_run_until(h, T + MS(40));
	h_send(h, 1000);
	h_expect_no_tx(h);
	h_send(h, MSS - 1000);
	h_expect_tx(h, T + MS(40), RECV(.flags = TH_ACK | TH_PSH, .seq = S(100 + MSS),
					.ack = P(0), .len = MSS));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	h_free(h);
}
END_TEST

/* nagle: false (TCP_NODELAY): the second small write leaves at once. */
START_TEST(test_nagle_off)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;

	cfg.nagle = false;
	h = est_client(&cfg);
	h_send(h, 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_run_until(h, T + MS(10));
	h_send(h, 100);
	h_expect_tx(h, T + MS(10), RECV(.flags = TH_ACK | TH_PSH, .seq = S(100), .ack = P(0),
					.len = 100));
	h_run_until(h, T + MS(20));
	h_send(h, 100);
	h_expect_tx(h, T + MS(20), RECV(.flags = TH_ACK | TH_PSH, .seq = S(200), .ack = P(0),
					.len = 100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);
	h_free(h);
}
END_TEST

/*
 * One write handed over in pieces (tcp_write with more): a piece's short
 * tail waits for the rest rather than leaving as a small segment mid-write
 * (BSD's PRUS_MORETOCOME); the write began on an idle connection, so its
 * last piece's tail leaves at once though data is in flight by then (BSD's
 * TF_LASTIDLE). Even with Nagle off the mid-write tail waits.
 */
START_TEST(test_write_in_pieces)
{
	for (int nodelay = 0; nodelay <= 1; nodelay++) {
		struct tcp_cfg cfg = h_default_cfg();
		struct harness *h;

		cfg.nagle = !nodelay;
		h = est_client(&cfg);
		ck_assert_uint_eq(h_write(h, 2 * MSS + 100, true), 2 * MSS + 100);
		h_expect_tx(h, T, RECV(.seq = S(0), .ack = P(0), .len = MSS));
		h_expect_tx(h, T, RECV(.seq = S(MSS), .ack = P(0), .len = MSS));
		h_expect_no_tx(h);                  /* the 100-byte tail waits */
		ck_assert_uint_eq(h_write(h, 100, false), 100);
		h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(2 * MSS), .ack = P(0),
				       .len = 200));
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);
		h_free(h);
	}
}
END_TEST

/* A retransmission of earlier data does not release (or count) the held
 * tail: one hold, counted once, when the tail finally leaves. */
START_TEST(test_nagle_hold_counted_once)
{
	struct harness *h = est_client(NULL);

	h_send(h, 2 * MSS);
	ck_assert_uint_eq(h_discard_tx(h), 2);
	h_run_until(h, T + MS(10));
	h_send(h, 100);
	h_expect_no_tx(h);
	h_run_until(h, T + SEC(1));                /* RTO: the first segment again */
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(0), .len = MSS));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 0);
	h_inject(h, T + SEC(1) + MS(100), SEND(.seq = P(0), .ack = S(2 * MSS)));
	h_expect_tx(h, T + SEC(1) + MS(100), RECV(.flags = TH_ACK | TH_PSH, .seq = S(2 * MSS),
						  .ack = P(0), .len = 100));
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	h_free(h);
}
END_TEST

/* CLOSE with a held tail: nothing more will be written, so waiting gains
 * nothing; the tail leaves at once with the FIN (BSD and Linux). */
START_TEST(test_nagle_close_flushes_tail)
{
	struct harness *h = est_client(NULL);

	h_send(h, 100);
	h_expect_tx(h, T, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100));
	h_run_until(h, T + MS(10));
	h_send(h, 100);
	h_expect_no_tx(h);
	h_run_until(h, T + MS(20));
	h_close(h);
	h_expect_tx(h, T + MS(20), RECV(.flags = TH_ACK | TH_PSH | TH_FIN, .seq = S(100),
					.ack = P(0), .len = 100));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->nagle_holds, 1);
	h_expect_state(h, TCPS_FIN_WAIT_1);
	h_inject(h, T + MS(60), SEND(.seq = P(0), .ack = S(201)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_2);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Receiver SWS avoidance: RFC 1122 §4.2.3.3: "The solution to receiver SWS
 * is to avoid advancing the right window edge RCV.NXT+RCV.WND in small
 * increments", i.e. only when "RCV.BUFF - RCV.USER - RCV.WND >=
 * min( Fr * RCV.BUFF, Eff.snd.MSS )" with Fr = 1/2. Every segment we send
 * advertises the old edge until the edge can move by that much. Reading
 * sends a window update of its own only by BSD's rule (tcp_recv): the edge
 * can move by adv >= 2 * SMSS and (adv >= RCV.BUFF / 4, or the window now
 * offered is <= RCV.BUFF / 8, or RCV.BUFF <= 8 * SMSS); or by
 * adv >= RCV.BUFF / 2. Otherwise the new edge rides on the next ACK.
 *
 * The scene: receive_buffer 4000 without window scaling (fields are bytes;
 * the edge moves by min(2000, 1460) = 1460 or more; a read sends an update
 * when it opens 2000 = RCV.BUFF / 2, as 2 * SMSS = 2920 is more), the peer's
 * full-sized-or-less segments at T + 10, 20, 30 ms ..., each ACKed at once
 * (delayed ACK off).
 * ==================================================================== */

#define SWS_BUF 4000u

static struct harness *sws_client(uint64_t rcvbuf, bool wscale, uint32_t mss)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.receive_buffer = rcvbuf;
	cfg.window_scaling = wscale;
	cfg.mss = mss;
	return est_client(&cfg);
}

/* The peer sends n bytes from P(0) in segments of at most seg bytes, at
 * T + 10 ms, + 20 ms, ...; each is ACKed at once with the free buffer
 * (no reads yet, so the edge never has to be held). Returns the time of
 * the last. */
static uint64_t sws_fill(struct harness *h, uint64_t n, uint32_t seg)
{
	uint64_t off = 0, at = T;

	while (off < n) {
		uint32_t len = n - off > seg ? seg : (uint32_t)(n - off);
		at += MS(10);
		h_inject(h, at, SEND(.seq = P(off), .ack = S(0), .len = len));
		off += len;
		h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(off),
					.wnd = h_wnd_field(h, h->cfg.receive_buffer - off)));
		h_expect_no_tx(h);
	}
	h_discard_events(h);
	return at;
}

/* A zero-window probe at RCV.NXT is refused and answered with the window
 * the reader has left: it stays 0 while the reader has freed less than
 * 1460 bytes (300, then 1459), and opens to 1460 when it has freed 1460;
 * no reading sends an update of its own, all being below 2000. */
START_TEST(test_rcv_sws_zero_window_edge_held)
{
	static const struct { uint32_t read; uint16_t want_wnd; } STEPS[] = {
		{ 300, 0 }, { 1159, 0 }, { 1, 1460 },
	};
	struct harness *h = sws_client(SWS_BUF, false, 0);
	uint64_t t = sws_fill(h, SWS_BUF, MSS);

	ck_assert_uint_eq(t, T + MS(30));
	for (int k = 0; k < NELEM(STEPS); k++) {
		uint64_t at = T + MS(100) * (uint64_t)(k + 1);
		h_run_until(h, at);
		h_expect_read_part(h, STEPS[k].read);
		h_expect_no_tx(h);
		h_inject(h, at + MS(50), SEND(.seq = P(SWS_BUF), .ack = S(0), .len = 1));
		h_expect_tx(h, at + MS(50), RECV(.seq = S(0), .ack = P(SWS_BUF),
						 .wnd = STEPS[k].want_wnd));
		h_expect_no_tx(h);
		h_expect_no_event(h);
	}
	/* The edge moved to P(5460): the next probe is taken. */
	h_inject(h, T + SEC(1), SEND(.seq = P(SWS_BUF), .ack = S(0), .len = 1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(SWS_BUF + 1), .wnd = 1459));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* The same while the window is still open: the ACKs of new data keep
 * offering the old edge P(4000) while less than 1460 bytes could be added
 * to it, then move it by 1500 at once; the sender may fill up to the new
 * edge and not beyond. */
START_TEST(test_rcv_sws_open_window_edge_held)
{
	struct harness *h = sws_client(SWS_BUF, false, 0);

	sws_fill(h, 3000, MSS);                 /* ACKs: 2540, 1080, 1000 */
	h_run_until(h, T + MS(40));
	h_expect_read_part(h, 500);             /* 1500 free, 1000 offered */
	h_expect_no_tx(h);
	h_inject(h, T + MS(50), SEND(.seq = P(3000), .ack = S(0), .len = 200));
	h_expect_tx(h, T + MS(50), RECV(.seq = S(0), .ack = P(3200), .wnd = 800));
	h_expect_no_tx(h);
	h_run_until(h, T + MS(60));
	h_expect_read_part(h, 1000);            /* 2300 free, 800 offered: +1500 < 2000 */
	h_expect_no_tx(h);
	h_inject(h, T + MS(70), SEND(.seq = P(3200), .ack = S(0), .len = 100));
	/* 2200 free, 700 offered: the edge moves by 1500 >= 1460, to P(5500). */
	h_expect_tx(h, T + MS(70), RECV(.seq = S(0), .ack = P(3300), .wnd = 2200));
	h_inject(h, T + MS(80), SEND(.seq = P(3300), .ack = S(0), .len = MSS));
	h_expect_tx(h, T + MS(80), RECV(.seq = S(0), .ack = P(4760), .wnd = 740));
	h_inject(h, T + MS(90), SEND(.seq = P(4760), .ack = S(0), .len = 800));
	/* Only 740 bytes fit: the rest is beyond the edge, trimmed. */
	h_expect_tx(h, T + MS(90), RECV(.seq = S(0), .ack = P(5500), .wnd = 0));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/*
 * The window update that reading sends by itself (BSD's rule above), not
 * one byte before it is due. After the fill, the reader takes first_read
 * bytes (nothing is sent), then second_read more (one byte, or four with a
 * scaled window, whose field counts 4-byte units): the update leaves at
 * that instant, offering all the free buffer (the edge moves by >= 1460).
 */
static const struct sws_update_case {
	const char *name;
	uint64_t rcvbuf;
	bool wscale;
	uint32_t mss;                /* cfg.mss, 0: MTU - 40 */
	uint32_t seg;                /* the peer's segment size */
	uint64_t fill;
	uint32_t first_read, second_read;
	uint16_t want_wnd;
} SWS_UPDATES[] = {
	/* Half the buffer, 2000 (2 * SMSS = 2920 is more). */
	{ "4000 bytes: half of it", SWS_BUF, false, 0, MSS, SWS_BUF, 1999, 1, 2000 },
	{ "2000 bytes: half of it", 2000, false, 0, MSS, 2000, 999, 1, 1000 },
	/* SMSS 536: 2 * SMSS = 1072, the buffer being <= 8 * SMSS. */
	{ "4000 bytes, SMSS 536: two segments", SWS_BUF, false, 536, 536, SWS_BUF, 1071, 1, 1072 },
	/* Large buffer (> 8 * SMSS), window far from closed (98304 offered
	 * > 16384): two segments are not enough; a quarter, 32768, is. */
	{ "131072 bytes: a quarter", BUF, true, 0, MSS, BUF / 4, BUF / 4 - 4, 4, WND_FULL },
	/* The window nearly closed (16384 = RCV.BUFF / 8 offered): two
	 * segments, 2920, are enough; 16384 + 2920 = 19304 offered. */
	{ "131072 bytes, nearly closed: two segments", BUF, true, 0, MSS, BUF - BUF / 8,
	  2 * MSS - 4, 4, 19304 >> 2 },
};

START_TEST(test_rcv_sws_window_update)
{
	const struct sws_update_case *c = &SWS_UPDATES[_i];
	struct harness *h = sws_client(c->rcvbuf, c->wscale, c->mss);
	uint64_t t = sws_fill(h, c->fill, c->seg);

	h_run_until(h, t + MS(100));
	h_expect_read_part(h, c->first_read);
	h_expect_no_tx(h);
	h_run_until(h, t + MS(200));
	h_expect_read_part(h, c->second_read);
	h_expect_tx(h, t + MS(200), RECV(.seq = S(0), .ack = P(c->fill), .wnd = c->want_wnd));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->window_updates_sent, 1);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Zero window, probe timing: RFC 1122 §4.2.2.17: "The transmitting host
 * SHOULD send the first zero-window probe when a zero window has existed
 * for the retransmission timeout period (see Section 4.2.2.15), and SHOULD
 * increase exponentially the interval between successive probes." Here the
 * interval is the RTO from the estimator (before any backoff), doubled per
 * probe sent, at most max_rto; test_persist_probes covers RTO 1 s, max 60 s.
 * With min_rto 200 ms the handshake's sample (100 ms: SRTT 100, RTTVAR 50)
 * gives RTO = SRTT + 4 * RTTVAR = 300 ms (RFC 6298 (2.2)).
 * ==================================================================== */

static const struct persist_case {
	const char *name;
	uint64_t min_rto, max_rto;
	uint64_t rto;                /* the RTO when the window closes */
	uint64_t at[6];              /* probes, from the moment data waits */
} PERSISTS[] = {
	{ "RTO 300 ms", MS(200), SEC(60), MS(300),
	  { MS(300), MS(900), MS(2100), MS(4500), MS(9300), MS(18900) } },
	{ "RTO 300 ms, max_rto 1 s", MS(200), SEC(1), MS(300),
	  { MS(300), MS(900), MS(1900), MS(2900), MS(3900), MS(4900) } },
	{ "RTO 1 s, max_rto 5 s", SEC(1), SEC(5), SEC(1),
	  { SEC(1), SEC(3), SEC(7), SEC(12), SEC(17), SEC(22) } },
};

START_TEST(test_persist_backoff)
{
	const struct persist_case *c = &PERSISTS[_i];
	struct tcp_cfg cfg = h_default_cfg();
	const struct tcp_seg *probe;
	struct harness *h;
	uint64_t t0 = T + MS(50), open_at;

	cfg.min_rto_ns = c->min_rto;
	cfg.max_rto_ns = c->max_rto;
	h = est_client(&cfg);
	probe = RECV(.seq = S(0), .ack = P(0), .len = 1);
	ck_assert_uint_eq(tcp_rto_ns(h->ep), c->rto);
	h_inject(h, t0, SEND(.seq = P(0), .ack = S(0), .wnd = 0));
	h_expect_no_tx(h);
	h_send(h, 1000);
	h_expect_no_tx(h);
	for (int k = 0; k < NELEM(c->at); k++) {
		h_run_until(h, t0 + c->at[k] - 1);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, k);
		h_run_until(h, t0 + c->at[k]);
		h_expect_tx(h, t0 + c->at[k], probe);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, k + 1);
		/* "ACK, window still 0", except after the last probe. */
		if (k + 1 < NELEM(c->at)) {
			h_inject(h, t0 + c->at[k] + MS(50),
				 SEND(.seq = P(0), .ack = S(0), .wnd = 0));
			h_expect_no_tx(h);
		}
	}
	/* The window opens (the reply to the last probe): the data flows at
	 * once, the probe byte sent again as data. No retransmission counted
	 * for the probes, and no more probes. */
	open_at = t0 + c->at[NELEM(c->at) - 1] + MS(50);
	h_inject(h, open_at, SEND(.seq = P(0), .ack = S(0), .wnd = 65535));
	h_expect_tx(h, open_at, RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
				     .len = 1000));
	h_expect_no_tx(h);
	h_inject(h, open_at + MS(100), SEND(.seq = P(0), .ack = S(1000)));
	h_run_until(h, open_at + SEC(120));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, NELEM(c->at));
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 0);
	h_free(h);
}
END_TEST

/* The backoff belongs to one stall: after the window reopened, a new zero
 * window is probed first after one RTO again (here 1 s), not after the
 * interval the last stall had reached. */
START_TEST(test_persist_backoff_resets)
{
	struct harness *h = est_client(NULL);
	uint64_t t0 = T + MS(50), t1;

	h_inject(h, t0, SEND(.seq = P(0), .ack = S(0), .wnd = 0));
	h_send(h, 100);
	h_run_until(h, t0 + SEC(7));         /* probes at +1, +3, +7 s */
	ck_assert_uint_eq(h_discard_tx(h), 3);
	h_inject(h, t0 + SEC(8), SEND(.seq = P(0), .ack = S(0), .wnd = 65535));
	h_expect_tx(h, t0 + SEC(8), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0),
					 .len = 100));
	/* All of it acknowledged, with the window closed again. */
	t1 = t0 + SEC(8) + MS(100);
	h_inject(h, t1, SEND(.seq = P(0), .ack = S(100), .wnd = 0));
	h_send(h, 100);
	h_expect_no_tx(h);
	h_run_until(h, t1 + SEC(1) - 1);
	h_expect_no_tx(h);
	h_run_until(h, t1 + SEC(1));
	h_expect_tx(h, t1 + SEC(1), RECV(.seq = S(100), .ack = P(0), .len = 1));
	h_run_until(h, t1 + SEC(3));
	h_expect_tx(h, t1 + SEC(3), RECV(.seq = S(100), .ack = P(0), .len = 1));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, 5);
	h_free(h);
}
END_TEST

/*
 * RFC 9293 §3.8.6.1: "the sending TCP must allow the remote TCP to keep
 * its window closed indefinitely" as long as it answers the probes. Here
 * the window closes with data outstanding (the peer shrinks it): the
 * retransmission timer expires once, finds the window closed, and hands
 * the connection to the persist timer; the probes' replies must not count
 * towards the retry limit that aborts the connection.
 */
START_TEST(test_persist_window_shrunk_to_zero)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint64_t t;

	cfg.max_retries = 3;
	h = est_client(&cfg);
	h_send(h, 2920);
	ck_assert_uint_eq(h_discard_tx(h), 2);
	h_inject(h, T + MS(100), SEND(.seq = P(0), .ack = S(1460), .wnd = 0));
	h_expect_no_tx(h);
	for (t = T + SEC(1); t <= T + SEC(600); t += SEC(1)) {
		h_run_until(h, t);
		while (h_discard_tx(h) > 0)
			h_inject(h, h_now(h), SEND(.seq = P(0), .ack = S(1460), .wnd = 0));
	}
	h_expect_state(h, TCPS_ESTABLISHED);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->resets_sent, 0);
	ck_assert_uint_ge(tcp_stats(h->ep)->window_probes, 10);
	h_free(h);
}
END_TEST

/* ====================================================================
 * Counters with Wireshark's definitions (tcp.analysis.*, see the Wireshark
 * User's Guide, "TCP Analysis"), on the segments we send and receive:
 *   zero_window: "The window size is zero and none of SYN, FIN, or RST are
 *     set" (any segment, data included);
 *   window_update: "The segment size is zero. The window size is non-zero
 *     and not equal to the previous window size. The sequence number is
 *     equal to the next expected sequence number. The acknowledgment number
 *     is equal to the last-seen acknowledgment number";
 *   duplicate_ack: the same, but "the window size is non-zero and hasn't
 *     changed";
 *   out_of_order (received): data beyond a hole, kept for reassembly;
 *   duplicate segments (received): data all of which came before (before
 *     RCV.NXT, or inside an island already held).
 * ==================================================================== */

/*
 * Wireshark's order of rules: a zero-window probe is only a probe, even
 * when our own window is 0 too; and the ACK that answers a "keep-alive"
 * (at most one byte, one below the peer's highest sequence number) is a
 * keep-alive ACK, not a duplicate ACK.
 */
START_TEST(test_counters_probe_and_keepalive)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;
	uint8_t buf[100];

	cfg.receive_buffer = 100;
	cfg.window_scaling = false;
	h = est_client(&cfg);
	/* Our window closes: the peer's 100 bytes fill the buffer. */
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(100), .wnd = 0));
	ck_assert_uint_eq(tcp_stats(h->ep)->zero_windows_sent, 1);
	/* The peer's window closes too; we probe with our window at 0. */
	h_inject(h, T + MS(20), SEND(.seq = P(100), .ack = S(0), .wnd = 0));
	h_send(h, 10);
	h_run_until(h, T + MS(20) + SEC(1));
	h_expect_tx(h, T + MS(20) + SEC(1), RECV(.seq = S(0), .ack = P(100), .wnd = 0, .len = 1));
	ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->zero_windows_sent, 1);
	/* Read, reopen; the peer resends its last byte (a keep-alive). */
	ck_assert_uint_eq(tcp_recv(h->ep, buf, sizeof(buf)), 100);
	h_discard_tx(h);
	h_inject(h, T + SEC(3), SEND(.seq = P(99), .ack = S(0), .wnd = 1000, .len = 1));
	h_discard_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->dupacks_sent, 0);
	h_free(h);
}
END_TEST

/* Zero windows: the ACK that closes the window, the ACKs of two refused
 * probes, our own data segment offering 0; not our FIN offering 0. The
 * read of everything then sends a window update (same ACK, window
 * 0 -> 4000). None of the zero-window ACKs is a duplicate ACK. */
START_TEST(test_counters_zero_window_and_update)
{
	struct harness *h = sws_client(SWS_BUF, false, 0);
	const struct tcp_stats *st = tcp_stats(h->ep);

	sws_fill(h, SWS_BUF, MSS);              /* the last ACK offers 0 */
	ck_assert_uint_eq(st->zero_windows_sent, 1);
	ck_assert_uint_eq(st->window_updates_sent, 0);
	ck_assert_uint_eq(st->dupacks_sent, 0);

	for (int k = 0; k < 2; k++) {
		uint64_t at = T + MS(200) + MS(100) * (uint64_t)k;
		h_inject(h, at, SEND(.seq = P(SWS_BUF), .ack = S(0), .len = 1));
		h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(SWS_BUF), .wnd = 0));
	}
	ck_assert_uint_eq(st->zero_windows_sent, 3);
	ck_assert_uint_eq(st->dupacks_sent, 0);
	ck_assert_uint_eq(st->dup_segments_received, 0);

	h_run_until(h, T + MS(400));
	h_send(h, 100);
	h_expect_tx(h, T + MS(400), RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(SWS_BUF),
					 .wnd = 0, .len = 100));
	ck_assert_uint_eq(st->zero_windows_sent, 4);
	h_run_until(h, T + MS(450));
	h_close(h);
	h_expect_tx(h, T + MS(450), RECV(.flags = TH_ACK | TH_FIN, .seq = S(100),
					 .ack = P(SWS_BUF), .wnd = 0));
	ck_assert_uint_eq(st->zero_windows_sent, 4);
	h_inject(h, T + MS(500), SEND(.seq = P(SWS_BUF), .ack = S(101)));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_FIN_WAIT_2);

	h_run_until(h, T + MS(600));
	h_expect_read(h, SWS_BUF);
	h_expect_tx(h, T + MS(600), RECV(.seq = S(101), .ack = P(SWS_BUF), .wnd = SWS_BUF));
	h_expect_no_tx(h);
	ck_assert_uint_eq(st->zero_windows_sent, 4);
	ck_assert_uint_eq(st->window_updates_sent, 1);
	ck_assert_uint_eq(st->dupacks_sent, 0);
	h_free(h);
}
END_TEST

/* Duplicate ACKs and window updates among the ACKs of out-of-order data:
 * two in a row with the same window are two duplicates; after the reader
 * freed 2000 bytes (no update of its own: < 2920) the next one moves the
 * edge (2000 >= 1460), so it is a window update and not a duplicate (a
 * duplicate for RFC 5681 §2 (e) neither); the one after is a duplicate
 * again. The ACK that fills the hole is neither. */
START_TEST(test_counters_dupacks_and_updates)
{
	struct harness *h = est_client(NULL);
	const struct tcp_stats *st = tcp_stats(h->ep);
	const uint16_t w2000 = (BUF - 2000) >> 2;

	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 2000));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(2000), .wnd = w2000));
	ck_assert_uint_eq(st->dupacks_sent, 0);

	h_inject(h, T + MS(20), SEND(.seq = P(3000), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(2000), .wnd = w2000));
	h_inject(h, T + MS(30), SEND(.seq = P(4000), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(30), RECV(.seq = S(0), .ack = P(2000), .wnd = w2000));
	ck_assert_uint_eq(st->dupacks_sent, 2);
	ck_assert_uint_eq(st->window_updates_sent, 0);
	ck_assert_uint_eq(st->ooo_segments_received, 2);

	h_run_until(h, T + MS(40));
	h_expect_read(h, 2000);
	h_expect_no_tx(h);
	h_inject(h, T + MS(50), SEND(.seq = P(5000), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(50), RECV(.seq = S(0), .ack = P(2000), .wnd = WND_FULL));
	ck_assert_uint_eq(st->dupacks_sent, 2);
	ck_assert_uint_eq(st->window_updates_sent, 1);
	h_inject(h, T + MS(60), SEND(.seq = P(6000), .ack = S(0), .len = 100));
	h_expect_tx(h, T + MS(60), RECV(.seq = S(0), .ack = P(2000), .wnd = WND_FULL));
	ck_assert_uint_eq(st->dupacks_sent, 3);
	ck_assert_uint_eq(st->window_updates_sent, 1);
	ck_assert_uint_eq(st->ooo_segments_received, 4);

	/* Fills [2000, 3000), reaches the island [3000, 3100). */
	h_inject(h, T + MS(70), SEND(.seq = P(2000), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(70), RECV(.seq = S(0), .ack = P(3100), .wnd = (BUF - 1100) >> 2));
	h_expect_no_tx(h);
	ck_assert_uint_eq(st->dupacks_sent, 3);
	ck_assert_uint_eq(st->window_updates_sent, 1);
	ck_assert_uint_eq(st->zero_windows_sent, 0);
	ck_assert_uint_eq(st->dup_segments_received, 0);
	h_free(h);
}
END_TEST

/* ====================================================================
 * A reader blocked in read() (tcp_recv_post). The data that arrives is
 * taken by that read before the reply is built, so the ACK advertises the
 * buffer as it is once the read is done. RFC 5681 §2 (e): a duplicate ACK
 * has "the advertised window in the incoming acknowledgment equals the
 * advertised window in the last incoming acknowledgment"; §4.2: a receiver
 * "SHOULD send an immediate duplicate ACK when an out-of-order segment
 * arrives". With the reader keeping up, the ACKs for the segments beyond a
 * hole repeat the ACK before it exactly, window included.
 * ==================================================================== */

static uint8_t rd_buf[65536];

/* The posted read took n bytes, the peer's stream from h->app_read. */
static void expect_posted(struct harness *h, size_t n)
{
	ck_assert_uint_eq(tcp_recv_posted(h->ep), n);
	ck_assert_int_eq(memcmp(rd_buf, h_pattern(h->app_read), n), 0);
	h->app_read += n;
}

/*
 * One segment in order, the next one lost, three beyond the hole, then the
 * hole filled; 1460 bytes each. A reader in read() (posted) takes the first
 * segment before its ACK leaves: that ACK offers the whole buffer (32768 <<
 * 2), and so do the three ACKs for the segments beyond the hole: three
 * duplicate ACKs, as the sender's fast retransmit needs (RFC 5681 §3.2). A
 * reader that reads only once told (not posted) leaves 1460 bytes unread in
 * the first ACK (32403 << 2 = 129612 bytes), so the first ACK after the
 * hole differs in its window: a window update, not a duplicate ACK, and
 * only the next two are duplicates.
 */
static const struct blocked_case {
	const char *name;
	bool posted;
	uint16_t want_wnd_before;          /* the ACK of the in-order segment */
	uint16_t want_wnd_after[3];        /* the ACKs of the three beyond the hole */
	uint32_t want_dupacks, want_updates;
} BLOCKED[] = {
	{ "reader in read()", true, WND_FULL, { WND_FULL, WND_FULL, WND_FULL }, 3, 0 },
	{ "reader told after the ACK", false, (BUF - MSS) >> 2,
	  { WND_FULL, WND_FULL, WND_FULL }, 2, 1 },
};

START_TEST(test_blocked_read_dupacks)
{
	const struct blocked_case *c = &BLOCKED[_i];
	struct harness *h = est_client(NULL);
	const struct tcp_stats *st = tcp_stats(h->ep);

	if (c->posted)
		tcp_recv_post(h->ep, rd_buf, sizeof(rd_buf));
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = MSS));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(MSS), .wnd = c->want_wnd_before));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_READABLE);
	if (c->posted) {
		expect_posted(h, MSS);
		tcp_recv_post(h->ep, rd_buf, sizeof(rd_buf));
	} else {
		h_expect_read(h, MSS);
	}
	h_expect_no_tx(h);

	for (uint32_t k = 0; k < 3; k++) {
		uint64_t at = T + MS(11 + k);
		h_inject(h, at, SEND(.seq = P((2 + k) * MSS), .ack = S(0), .len = MSS));
		h_expect_tx(h, at, RECV(.seq = S(0), .ack = P(MSS), .wnd = c->want_wnd_after[k]));
		h_expect_no_tx(h);
		h_expect_no_event(h);
	}
	ck_assert_uint_eq(st->dupacks_sent, c->want_dupacks);
	ck_assert_uint_eq(st->window_updates_sent, c->want_updates);
	ck_assert_uint_eq(st->ooo_segments_received, 3);

	/* The hole filled: four segments in order at once. The posted read
	 * takes them all before the ACK, which again offers the whole buffer. */
	h_inject(h, T + MS(20), SEND(.seq = P(MSS), .ack = S(0), .len = MSS));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(5 * MSS),
					.wnd = c->posted ? WND_FULL : (BUF - 4 * MSS) >> 2));
	h_expect_no_tx(h);
	h_expect_event(h, TCP_EV_READABLE);
	if (c->posted)
		expect_posted(h, 4 * MSS);
	else
		h_expect_read(h, 4 * MSS);
	h_free(h);
}
END_TEST

/* A read takes what is there, at most its size, once: a read of 100 bytes
 * takes 100 of a 1460-byte segment before the ACK, and the rest waits for
 * tcp_recv. The edge stays where the ACK before put it (receiver SWS
 * avoidance, RFC 1122 §4.2.3.3: 100 freed bytes < 1460), so the ACK offers
 * (BUF - 1460) >> 2. The read is over: the next 1000 bytes wait in the
 * buffer, and the edge stays at P(BUF) again. */
START_TEST(test_blocked_read_takes_at_most_its_size)
{
	struct harness *h = est_client(NULL);

	tcp_recv_post(h->ep, rd_buf, 100);
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = MSS));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(MSS), .wnd = (BUF - MSS) >> 2));
	h_expect_event(h, TCP_EV_READABLE);
	h_inject(h, T + MS(20), SEND(.seq = P(MSS), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(MSS + 1000),
					.wnd = (BUF - MSS - 1000) >> 2));
	h_expect_event(h, TCP_EV_READABLE);
	expect_posted(h, 100);
	h_expect_read(h, MSS - 100 + 1000);
	h_free(h);
}
END_TEST

/* Data already waiting: the read does not block; it takes it at once (and
 * a second read posted before it is collected is ignored). A cancelled
 * read takes nothing and waits no more: the next 500 bytes stay
 * in the buffer (the edge held at P(BUF): 1000 freed bytes < 1460). */
START_TEST(test_blocked_read_data_waiting)
{
	struct harness *h = est_client(NULL);

	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(1000), .wnd = (BUF - 1000) >> 2));
	h_discard_events(h);
	tcp_recv_post(h->ep, rd_buf, sizeof(rd_buf));
	h_expect_no_tx(h);
	/* Posting again before collecting changes nothing. */
	tcp_recv_post(h->ep, rd_buf + 1000, 10);
	expect_posted(h, 1000);

	tcp_recv_post(h->ep, rd_buf, sizeof(rd_buf));
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 0);
	h_inject(h, T + MS(20), SEND(.seq = P(1000), .ack = S(0), .len = 500));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1500), .wnd = (BUF - 1500) >> 2));
	ck_assert_uint_eq(tcp_recv_posted(h->ep), 0);
	h_expect_read(h, 500);
	h_free(h);
}
END_TEST

/* With delayed ACK, a read that frees half of a 2000-byte buffer makes a
 * window update due (tcp_recv's rule): when the read is the blocked one,
 * taken before the reply is built, that update is the ACK itself, sent at
 * once with the whole window instead of 200 ms later. */
START_TEST(test_blocked_read_update_rides_on_the_ack)
{
	struct tcp_cfg cfg = h_default_cfg();
	struct harness *h;

	cfg.receive_buffer = 2000;
	cfg.window_scaling = false;
	cfg.delayed_ack_ns = DELACK;
	h = est_client(&cfg);
	tcp_recv_post(h->ep, rd_buf, sizeof(rd_buf));
	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(1000), .wnd = 2000));
	h_expect_no_tx(h);
	expect_posted(h, 1000);
	ck_assert_uint_eq(tcp_stats(h->ep)->window_updates_sent, 0);
	h_free(h);
}
END_TEST

/* Duplicate segments received: one all before RCV.NXT; not one half old
 * (its new half is taken); one all inside an island held beyond a hole;
 * not one that extends the island (out of order). Each is answered with
 * an immediate ACK of RCV.NXT, a duplicate ACK when nothing changed. */
START_TEST(test_counters_dup_segments)
{
	struct harness *h = est_client(NULL);
	const struct tcp_stats *st = tcp_stats(h->ep);
	const uint16_t w1000 = (BUF - 1000) >> 2, w1500 = (BUF - 1500) >> 2;

	h_inject(h, T + MS(10), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(10), RECV(.seq = S(0), .ack = P(1000), .wnd = w1000));
	h_inject(h, T + MS(20), SEND(.seq = P(0), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(20), RECV(.seq = S(0), .ack = P(1000), .wnd = w1000));
	ck_assert_uint_eq(st->dup_segments_received, 1);
	ck_assert_uint_eq(st->dupacks_sent, 1);

	h_inject(h, T + MS(30), SEND(.seq = P(500), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(30), RECV(.seq = S(0), .ack = P(1500), .wnd = w1500));
	ck_assert_uint_eq(st->dup_segments_received, 1);

	h_inject(h, T + MS(40), SEND(.seq = P(3000), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(40), RECV(.seq = S(0), .ack = P(1500), .wnd = w1500));
	ck_assert_uint_eq(st->ooo_segments_received, 1);
	ck_assert_uint_eq(st->dup_segments_received, 1);
	h_inject(h, T + MS(50), SEND(.seq = P(3200), .ack = S(0), .len = 500));
	h_expect_tx(h, T + MS(50), RECV(.seq = S(0), .ack = P(1500), .wnd = w1500));
	ck_assert_uint_eq(st->ooo_segments_received, 1);
	ck_assert_uint_eq(st->dup_segments_received, 2);
	h_inject(h, T + MS(60), SEND(.seq = P(3500), .ack = S(0), .len = 1000));
	h_expect_tx(h, T + MS(60), RECV(.seq = S(0), .ack = P(1500), .wnd = w1500));
	ck_assert_uint_eq(st->ooo_segments_received, 2);
	ck_assert_uint_eq(st->dup_segments_received, 2);
	ck_assert_uint_eq(st->dupacks_sent, 4);

	/* The hole [1500, 3000) filled: everything up to 4500 is in. */
	h_inject(h, T + MS(70), SEND(.seq = P(1500), .ack = S(0), .len = 1500));
	h_expect_tx(h, T + MS(70), RECV(.seq = S(0), .ack = P(4500), .wnd = (BUF - 4500) >> 2));
	h_expect_no_tx(h);
	ck_assert_uint_eq(st->ooo_segments_received, 2);
	ck_assert_uint_eq(st->dup_segments_received, 2);
	ck_assert_uint_eq(st->dupacks_sent, 4);
	h_expect_read(h, 4500);
	h_free(h);
}
END_TEST

/* ------------------------------------------------------------------ suite */

/* ====================================================================
 * ECN, RFC 3168 §6.1. Negotiation (§6.1.1): an ECN-setup SYN carries ECE
 * and CWR, an ECN-setup SYN-ACK ECE alone, only in reply to an ECN-setup
 * SYN and only from a host willing; ECN is used when both agreed; SYN and
 * SYN-ACK are Not-ECT. The sender (§6.1.2, §6.1.4-6) sends ECT(0) on new
 * data only, never on pure ACKs, retransmissions, window probes, SYNs or
 * RSTs; on an ACK with ECE it reduces as for a loss (Reno/NewReno:
 * ssthresh = max(FlightSize / 2, 2*SMSS), cwnd = ssthresh), at most once
 * per window and not in loss recovery, and sets CWR on the next new data
 * segment. The receiver (§6.1.3) sets ECE on every ACK after a CE until a
 * CWR arrives, and keeps its delayed-ACK timing.
 *
 * The scene: as for loss recovery, a client (or server) at T = 100 ms with
 * both hosts willing, limited transmit off; FlightSize is taken once the
 * ACK that carries ECE has been processed.
 * ==================================================================== */

static const struct h_peer ECN_PEER = {
	.iss = PEER_ISS, .wnd = 65535, .mss = MSS, .wscale = 0, .ecn = true,
};

static struct tcp_cfg ecn_cfg(bool ecn)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.ecn = ecn;
	cfg.limited_transmit = false;
	return cfg;
}

/* A client at T with ECN agreed on both SYNs. */
static struct harness *ecn_client(const struct tcp_cfg *cfg)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_client(h, &ECN_PEER, T);
	ck_assert(tcp_ecn_ok(h->ep));
	return h;
}

/* One full-sized new data segment of ours at off: ECT(0), flags as given. */
#define EXPECT_ECT(at, off, fl) \
	h_expect_tx(h, (at), RECV(.flags = (fl), .seq = S(off), .ack = P(0), .len = MSS, \
				  .ecn = IP_ECN_ECT0))
/* The peer's pure ACK of our stream up to off, with ECE. */
#define PEER_ECE(at, off) h_inject(h, (at), SEND(.flags = TH_ACK | TH_ECE, .seq = P(0), .ack = S(off)))

/* The reason emit() gave the segment last expected. */
static const struct tcp_why *last_why(const struct harness *h)
{
	ck_assert_uint_gt(h->tx_head, 0);
	return &h->tx[h->tx_head - 1].why;
}

/* §6.1.1 at the client: the SYN asks only when ecn is on; ECN is in use
 * only after an ECN-setup SYN-ACK (ECE without CWR). */
static const struct ecn_client_case {
	const char *name;
	bool ecn;
	uint8_t synack_flags;        /* ECE / CWR on the peer's SYN-ACK */
	uint8_t want_syn;
	bool want_ok;
} ECN_CLIENTS[] = {
	{ "off, plain SYN-ACK", false, 0, TH_SYN, false },
	{ "off, SYN-ACK with ECE anyway", false, TH_ECE, TH_SYN, false },
	{ "on, plain SYN-ACK (peer unwilling)", true, 0, TH_SYN | TH_ECE | TH_CWR, false },
	{ "on, ECN-setup SYN-ACK", true, TH_ECE, TH_SYN | TH_ECE | TH_CWR, true },
	{ "on, ECE+CWR reflected: not ECN-setup", true, TH_ECE | TH_CWR,
	  TH_SYN | TH_ECE | TH_CWR, false },
	{ "on, CWR alone", true, TH_CWR, TH_SYN | TH_ECE | TH_CWR, false },
};

START_TEST(test_ecn_negotiate_client)
{
	const struct ecn_client_case *c = &ECN_CLIENTS[_i];
	struct tcp_cfg cfg = ecn_cfg(c->ecn);
	struct harness *h = h_new(&cfg, MTU, ISS);
	const unsigned mask = HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN | HF_ECN;

	h->peer = PEER;
	h_connect(h);
	h_expect_tx_mask(h, 0, RECV(.flags = c->want_syn, .seq = ISS), mask);
	ck_assert_uint_eq(last_why(h)->ecn_setup, c->ecn);
	/* A retransmitted SYN asks again, still Not-ECT. */
	h_run_until(h, SEC(1));
	h_expect_tx_mask(h, SEC(1), RECV(.flags = c->want_syn, .seq = ISS), mask);
	h_inject(h, SEC(1) + MS(100), SEND(.flags = TH_SYN | TH_ACK | c->synack_flags,
					   .seq = PEER_ISS, .ack = ISS + 1, .opt.has_mss = true,
					   .opt.mss = MSS));
	h_expect_tx_mask(h, SEC(1) + MS(100), RECV(.seq = S(0), .ack = P(0)), mask);
	ck_assert_uint_eq(tcp_ecn_ok(h->ep), c->want_ok);
	h_send(h, 100);
	h_expect_tx_mask(h, SEC(1) + MS(100),
			 RECV(.flags = TH_ACK | TH_PSH, .seq = S(0), .ack = P(0), .len = 100,
			      .ecn = c->want_ok ? IP_ECN_ECT0 : IP_ECN_NOT_ECT), mask);
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* §6.1.1 at the server: an ECN-setup SYN-ACK (ECE, not CWR) only in reply
 * to an ECN-setup SYN (both flags) and only when willing. */
static const struct ecn_server_case {
	const char *name;
	bool ecn;
	uint8_t syn_flags;
	uint8_t want_synack;
	bool want_ok;
} ECN_SERVERS[] = {
	{ "off, ECN-setup SYN", false, TH_ECE | TH_CWR, TH_SYN | TH_ACK, false },
	{ "on, plain SYN", true, 0, TH_SYN | TH_ACK, false },
	{ "on, ECE alone", true, TH_ECE, TH_SYN | TH_ACK, false },
	{ "on, CWR alone", true, TH_CWR, TH_SYN | TH_ACK, false },
	{ "on, ECN-setup SYN", true, TH_ECE | TH_CWR, TH_SYN | TH_ACK | TH_ECE, true },
};

START_TEST(test_ecn_negotiate_server)
{
	const struct ecn_server_case *c = &ECN_SERVERS[_i];
	struct tcp_cfg cfg = ecn_cfg(c->ecn);
	struct harness *h = h_new(&cfg, MTU, ISS);
	const unsigned mask = HF_AT | HF_FLAGS | HF_SEQ | HF_ACK | HF_LEN | HF_ECN;

	h_listen(h);
	h_inject(h, MS(10), SEND(.flags = TH_SYN | c->syn_flags, .seq = PEER_ISS,
				 .opt.has_mss = true, .opt.mss = MSS));
	h_expect_tx_mask(h, MS(10), RECV(.flags = c->want_synack, .seq = ISS, .ack = PEER_ISS + 1),
			 mask);
	ck_assert_uint_eq(last_why(h)->ecn_setup, c->want_ok);
	ck_assert_uint_eq(tcp_ecn_ok(h->ep), c->want_ok);
	h_inject(h, MS(20), SEND(.seq = PEER_ISS + 1, .ack = ISS + 1));
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_send(h, 100);
	h_expect_tx_mask(h, MS(20),
			 RECV(.flags = TH_ACK | TH_PSH, .seq = ISS + 1, .ack = PEER_ISS + 1, .len = 100,
			      .ecn = c->want_ok ? IP_ECN_ECT0 : IP_ECN_NOT_ECT), mask);
	h_free(h);
}
END_TEST

/*
 * §6.1.2, §6.1.4, §6.1.5: ECT(0) on new data only. Three new segments at
 * T are ECT(0); the pure ACK of the peer's data is Not-ECT (§6.1.4); the
 * RTO retransmission at T + 1 s is Not-ECT and carries no CWR (§6.1.5:
 * "MUST NOT set either an ECT codepoint or the CWR bit on retransmitted
 * data packets"); an ECE while recovering from the timeout reduces
 * nothing (the timeout did); the first new data after it carries CWR for
 * the RTO's reduction (§6.1.2 "for any reason"); the FIN alone is
 * Not-ECT; a RST is Not-ECT without ECE.
 */
START_TEST(test_ecn_ect_only_on_new_data)
{
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h = ecn_client(&cfg);

	h_send(h, 3 * MSS);
	EXPECT_ECT(T, 0, TH_ACK);
	EXPECT_ECT(T, MSS, TH_ACK);
	EXPECT_ECT(T, 2 * MSS, TH_ACK | TH_PSH);
	h_inject(h, MS(150), SEND(.seq = P(0), .ack = S(0), .len = 100));
	h_expect_tx(h, MS(150), RECV(.seq = S(3 * MSS), .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	/* RFC 6298 (5.4): the earliest segment again, at T + RTO (1 s). */
	h_run_until(h, T + SEC(1));
	h_expect_tx(h, T + SEC(1), RECV(.seq = S(0), .ack = P(100), .len = MSS,
					.wnd = (BUF - 100) >> 2));
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 2 * MSS);   /* max(4380 / 2, 2920) */
	ck_assert_uint_eq(tcp_cwnd(h->ep), MSS);
	/* Half of what was out is in, with ECE: still recovering, no reduction;
	 * cwnd grows by slow start (1460 -> 2920) and resends the rest. */
	h_inject(h, T + SEC(1) + MS(100), SEND(.flags = TH_ACK | TH_ECE, .seq = P(100),
					      .ack = S(MSS)));
	h_expect_tx(h, T + SEC(1) + MS(100), RECV(.seq = S(MSS), .ack = P(100), .len = MSS,
						  .wnd = (BUF - 100) >> 2));
	h_expect_tx(h, T + SEC(1) + MS(100), RECV(.flags = TH_ACK | TH_PSH, .seq = S(2 * MSS),
						  .ack = P(100), .len = MSS,
						  .wnd = (BUF - 100) >> 2));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->ece_received, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 0);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 2 * MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 2 * MSS);
	h_inject(h, T + SEC(1) + MS(200), SEND(.seq = P(100), .ack = S(3 * MSS)));
	h_expect_no_tx(h);
	/* New data: CWR, for the timeout's reduction. */
	h_send(h, 100);
	h_expect_tx(h, T + SEC(1) + MS(200),
		    RECV(.flags = TH_ACK | TH_PSH | TH_CWR, .seq = S(3 * MSS), .ack = P(100),
			 .len = 100, .wnd = (BUF - 100) >> 2, .ecn = IP_ECN_ECT0));
	ck_assert_uint_eq(last_why(h)->cwr, TCP_CWR_RTO);
	ck_assert_uint_eq(tcp_stats(h->ep)->cwr_sent, 1);
	h_close(h);
	h_expect_tx(h, T + SEC(1) + MS(200), RECV(.flags = TH_ACK | TH_FIN, .seq = S(3 * MSS + 100),
						  .ack = P(100), .wnd = (BUF - 100) >> 2));
	h_abort(h);
	h_expect_tx(h, T + SEC(1) + MS(200), RECV(.flags = TH_RST, .seq = S(3 * MSS + 101),
						  .ack = 0, .wnd = 0));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/* §6.1.6: "the TCP sender MUST NOT set an ECT codepoint on window probes";
 * nor is the probe new data for CWR's sake. The window closes with the
 * first segment's ACK; the persist timer (base RTO 1 s) sends the probe. */
START_TEST(test_ecn_window_probe_not_ect)
{
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h = ecn_client(&cfg);

	h_send(h, MSS);
	EXPECT_ECT(T, 0, TH_ACK | TH_PSH);
	h_inject(h, MS(200), SEND(.flags = TH_ACK | TH_ECE, .seq = P(0), .ack = S(MSS), .wnd = 0));
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 1);
	h_send(h, 100);
	h_expect_no_tx(h);
	h_run_until(h, MS(1200));
	h_expect_tx(h, MS(1200), RECV(.seq = S(MSS), .ack = P(0), .len = 1));
	ck_assert_uint_eq(tcp_stats(h->ep)->window_probes, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->cwr_sent, 0);
	/* The window opens: the data (the probe's byte again, then the rest),
	 * as new data, ECT(0), the first with the CWR the reduction owes. */
	h_inject(h, MS(1300), SEND(.seq = P(0), .ack = S(MSS)));
	h_expect_tx(h, MS(1300), RECV(.flags = TH_ACK | TH_PSH | TH_CWR, .seq = S(MSS), .ack = P(0),
				      .len = 100, .ecn = IP_ECN_ECT0));
	h_expect_no_tx(h);
	h_free(h);
}
END_TEST

/*
 * §6.1.3 at a receiver that ACKs every segment: ECE from the first ACK
 * after a CE to the last before a CWR; a CE on the CWR segment itself
 * starts it again. Data this host sends meanwhile carries ECE too (it is
 * an ACK).
 */
START_TEST(test_ecn_receiver_echo)
{
	static const struct {
		uint8_t flags;           /* the peer's: ACK, with CWR or not */
		uint8_t ecn;             /* as the segment arrives */
		bool want_ece;
	} steps[] = {
		{ TH_ACK, IP_ECN_ECT0, false },
		{ TH_ACK, IP_ECN_CE, true },
		{ TH_ACK, IP_ECN_ECT0, true },
		{ TH_ACK, IP_ECN_ECT1, true },
		{ TH_ACK | TH_CWR, IP_ECN_ECT0, false },
		{ TH_ACK, IP_ECN_ECT0, false },
		{ TH_ACK | TH_CWR, IP_ECN_CE, true },
		{ TH_ACK, IP_ECN_ECT0, true },
	};
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h = h_new(&cfg, MTU, ISS);

	h_established_server(h, &ECN_PEER, 0, T);
	ck_assert(tcp_ecn_ok(h->ep));
	for (int k = 0; k < NELEM(steps); k++) {
		uint32_t off = 100u * (uint32_t)k;

		h_inject(h, MS(200) + MS(k), SEND(.flags = steps[k].flags, .seq = P(off), .ack = S(0),
						  .len = 100, .ecn = steps[k].ecn));
		h_expect_tx(h, MS(200) + MS(k),
			    RECV(.flags = TH_ACK | (steps[k].want_ece ? TH_ECE : 0), .seq = S(0),
				 .ack = P(off + 100), .wnd = (BUF - off - 100) >> 2));
		ck_assert_uint_eq(last_why(h)->ece, steps[k].want_ece);
	}
	/* "echoing CE of" the latest CE segment, P(600) .. P(700). */
	ck_assert_uint_eq(last_why(h)->ce_seq, P(600));
	ck_assert_uint_eq(last_why(h)->ce_end, P(700));
	h_send(h, 50);
	h_expect_tx(h, MS(207), RECV(.flags = TH_ACK | TH_PSH | TH_ECE, .seq = S(0), .ack = P(800),
				     .len = 50, .wnd = (BUF - 800) >> 2, .ecn = IP_ECN_ECT0));
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->ce_received, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->ece_sent, 6);
	h_free(h);
}
END_TEST

/*
 * §6.1.3 with delayed ACK (200 ms): "the ECN-Echo flag in the ACK packet
 * will be set to '1' if the CE codepoint is set in any of the data packets
 * being acknowledged". A CE does not hurry the ACK: the one CE segment is
 * acknowledged by the delayed-ACK timer, with ECE; the next pair by the
 * second-segment rule, still with ECE.
 */
START_TEST(test_ecn_receiver_delayed_ack)
{
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h;

	cfg.delayed_ack_ns = MS(200);
	h = h_new(&cfg, MTU, ISS);
	h_established_server(h, &ECN_PEER, 0, T);
	h_inject(h, MS(200), SEND(.seq = P(0), .ack = S(0), .len = MSS, .ecn = IP_ECN_CE));
	h_expect_no_tx(h);
	h_run_until(h, MS(400));
	h_expect_tx(h, MS(400), RECV(.flags = TH_ACK | TH_ECE, .seq = S(0), .ack = P(MSS),
				     .wnd = (BUF - MSS) >> 2));
	ck_assert_uint_eq(last_why(h)->kind, TCP_WHY_ACK_DELAYED);
	h_inject(h, MS(500), SEND(.seq = P(MSS), .ack = S(0), .len = MSS, .ecn = IP_ECN_ECT0));
	h_expect_no_tx(h);
	h_inject(h, MS(501), SEND(.seq = P(2 * MSS), .ack = S(0), .len = MSS, .ecn = IP_ECN_ECT0));
	h_expect_tx(h, MS(501), RECV(.flags = TH_ACK | TH_ECE, .seq = S(0), .ack = P(3 * MSS),
				     .wnd = (BUF - 3 * MSS) >> 2));
	ck_assert_uint_eq(last_why(h)->kind, TCP_WHY_ACK_SECOND);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->delayed_acks, 1);
	h_free(h);
}
END_TEST

/*
 * §6.1.2 at the sender, one reduction per window. 10 segments at T. The
 * ACK of S(2920) with ECE: slow start first (cwnd 16060), then the
 * reduction with FlightSize 11680: ssthresh = cwnd = 5840; 'recover' is
 * S(14600). The ECE ACKs of S(5840), S(8760), S(11680) and S(14600) are
 * within that window: no further reduction (the last answers data sent
 * before the CWR). Congestion avoidance adds one SMSS once 5840 bytes are
 * acknowledged (at S(8760)), which lets the first new segment out: with
 * CWR. The ACK of S(16060), beyond 'recover', with ECE (the CWR segment
 * was itself marked) is a new window: FlightSize 5840, ssthresh = 2*SMSS
 * (the floor), cwnd 2920; CWR again on the next new segment.
 */
START_TEST(test_ecn_sender_reduction)
{
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h = ecn_client(&cfg);

	h_send(h, REC_QUEUED);
	for (uint32_t k = 0; k < 10; k++)
		EXPECT_ECT(T, k * MSS, TH_ACK);
	PEER_ECE(MS(200), 2 * MSS);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 5840);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 5840);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 0);
	PEER_ECE(MS(201), 4 * MSS);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 5840);
	PEER_ECE(MS(202), 6 * MSS);
	EXPECT_ECT(MS(202), 10 * MSS, TH_ACK | TH_CWR);
	ck_assert_uint_eq(last_why(h)->cwr, TCP_CWR_ECE);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 7300);
	PEER_ECE(MS(203), 8 * MSS);
	EXPECT_ECT(MS(203), 11 * MSS, TH_ACK);
	EXPECT_ECT(MS(203), 12 * MSS, TH_ACK);
	h_expect_no_tx(h);
	PEER_ECE(MS(204), 10 * MSS);
	EXPECT_ECT(MS(204), 13 * MSS, TH_ACK);
	EXPECT_ECT(MS(204), 14 * MSS, TH_ACK);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 1);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 5840);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 7300);
	PEER_ECE(MS(205), 11 * MSS);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 2);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 2 * MSS);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 2 * MSS);
	/* The rest acknowledged without ECE: cwnd 4380 (5840 acknowledged >=
	 * cwnd 2920), three new segments, the first with CWR. */
	PEER_ACK(MS(206), 15 * MSS);
	EXPECT_ECT(MS(206), 15 * MSS, TH_ACK | TH_CWR);
	EXPECT_ECT(MS(206), 16 * MSS, TH_ACK);
	EXPECT_ECT(MS(206), 17 * MSS, TH_ACK);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 3 * MSS);
	ck_assert_uint_eq(tcp_stats(h->ep)->ece_received, 6);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->cwr_sent, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, 0);
	h_free(h);
}
END_TEST

/*
 * "If already in loss recovery, no second reduction": an ECE on a
 * duplicate ACK in fast recovery only inflates, as any duplicate does (RFC
 * 5681 §3.2 step 4); the full ACK (with ECE) ends recovery with cwnd =
 * min(ssthresh, FlightSize + SMSS) = 2920 and reduces nothing more. The
 * first new segment after carries CWR for the fast retransmit's
 * reduction; an ECE beyond it is a new window.
 */
START_TEST(test_ecn_no_reduction_in_recovery)
{
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h = ecn_client(&cfg);

	h_send(h, REC_QUEUED);
	for (uint32_t k = 0; k < 10; k++)
		EXPECT_ECT(T, k * MSS, TH_ACK);
	PEER_ACK(MS(200), 0);
	PEER_ACK(MS(201), 0);
	PEER_ACK(MS(202), 0);
	h_expect_tx(h, MS(202), RECV(.seq = S(0), .ack = P(0), .len = MSS));   /* Not-ECT, no CWR */
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 11680);
	PEER_ECE(MS(203), 0);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 13140);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	PEER_ECE(MS(300), 10 * MSS);
	EXPECT_ECT(MS(300), 10 * MSS, TH_ACK | TH_CWR);
	ck_assert_uint_eq(last_why(h)->cwr, TCP_CWR_FAST_RETRANSMIT);
	EXPECT_ECT(MS(300), 11 * MSS, TH_ACK);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 2 * MSS);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 7300);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 0);
	ck_assert_uint_eq(tcp_stats(h->ep)->ece_received, 2);
	/* Slow start (2920 -> 4380), then the reduction: FlightSize 1460,
	 * cwnd 2920, room for one new segment: with CWR. */
	PEER_ECE(MS(400), 11 * MSS);
	EXPECT_ECT(MS(400), 12 * MSS, TH_ACK | TH_CWR);
	ck_assert_uint_eq(last_why(h)->cwr, TCP_CWR_ECE);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->ecn_reductions, 1);
	ck_assert_uint_eq(tcp_ssthresh(h->ep), 2 * MSS);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 2 * MSS);
	h_free(h);
}
END_TEST

/* Without ECN agreed, an ECE from the peer means nothing (§6.1.1: the
 * flags are ECN's only once negotiated) and a CE mark is not echoed. */
START_TEST(test_ecn_ignored_when_not_agreed)
{
	struct tcp_cfg cfg = ecn_cfg(true);
	struct harness *h = h_new(&cfg, MTU, ISS);

	h_established_client(h, &PEER, T);
	ck_assert(!tcp_ecn_ok(h->ep));
	h_send(h, REC_QUEUED);
	for (uint32_t k = 0; k < 10; k++)
		EXPECT_SEG(T, k * MSS);
	PEER_ECE(MS(200), 2 * MSS);
	EXPECT_SEG(MS(200), 10 * MSS);
	EXPECT_SEG(MS(200), 11 * MSS);
	EXPECT_SEG(MS(200), 12 * MSS);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_cwnd(h->ep), 11 * MSS);
	ck_assert_uint_eq(tcp_stats(h->ep)->ece_received, 0);
	h_inject(h, MS(201), SEND(.seq = P(0), .ack = S(2 * MSS), .len = 100, .ecn = IP_ECN_CE));
	h_expect_tx(h, MS(201), RECV(.seq = S(13 * MSS), .ack = P(100), .wnd = (BUF - 100) >> 2));
	ck_assert_uint_eq(tcp_stats(h->ep)->ce_received, 0);
	h_free(h);
}
END_TEST

static Suite *tcp_suite(void)
{
	Suite *s = suite_create("tcp");
	TCase *tc;

	tc = tcase_create("closed");
	tcase_add_loop_test(tc, test_closed_reset_for, 0, NELEM(RESETS));
	tcase_add_test(tc, test_closed_endpoint_silent);
	suite_add_tcase(s, tc);

	tc = tcase_create("listen");
	tcase_add_test(tc, test_listen_ignores_rst);
	tcase_add_test(tc, test_listen_rst_for_ack);
	tcase_add_loop_test(tc, test_listen_synack, 0, NELEM(LISTENS));
	suite_add_tcase(s, tc);

	tc = tcase_create("syn-sent");
	tcase_add_loop_test(tc, test_syn_fields, 0, NELEM(SYNS));
	tcase_add_loop_test(tc, test_syn_retransmit_backoff, 0, NELEM(SYN_BACKOFFS));
	tcase_add_test(tc, test_syn_sent_rst_refused);
	tcase_add_loop_test(tc, test_syn_sent_rst_ignored, 0, NELEM(BAD_RSTS));
	tcase_add_loop_test(tc, test_syn_sent_bad_ack, 0, NELEM(BAD_ACKS));
	tcase_add_test(tc, test_syn_sent_synack);
	tcase_add_loop_test(tc, test_mss_negotiation, 0, NELEM(MSSES));
	tcase_add_loop_test(tc, test_mss_floor, 0, NELEM(MSS_FLOORS));
	tcase_add_loop_test(tc, test_window_scale_negotiation, 0, NELEM(WSES));
	tcase_add_loop_test(tc, test_syn_timeout_rto_3s, 0, NELEM(SYN_RTOS));
	tcase_add_test(tc, test_syn_sent_simultaneous_open);
	tcase_add_test(tc, test_syn_sent_queued_data);
	tcase_add_test(tc, test_syn_sent_close);
	suite_add_tcase(s, tc);

	tc = tcase_create("syn-received");
	tcase_add_test(tc, test_synrcvd_duplicate_syn);
	tcase_add_test(tc, test_synrcvd_ack_establishes);
	tcase_add_test(tc, test_synrcvd_ack_with_data);
	tcase_add_test(tc, test_synrcvd_bad_ack);
	tcase_add_test(tc, test_synrcvd_rst_back_to_listen);
	tcase_add_test(tc, test_synrcvd_synack_retransmit);
	tcase_add_test(tc, test_synrcvd_window_stays_synack);
	tcase_add_test(tc, test_synrcvd_rst_then_scaled_syn);
	tcase_add_test(tc, test_synrcvd_rst_forgets_dsack);
	tcase_add_test(tc, test_synrcvd_rst_active_refused);
	tcase_add_test(tc, test_server_data_both_ways);
	suite_add_tcase(s, tc);

	tc = tcase_create("established-send");
	tcase_add_loop_test(tc, test_send_segments, 0, NELEM(SEGS));
	tcase_add_loop_test(tc, test_initial_window, 0, NELEM(IWS));
	tcase_add_loop_test(tc, test_slow_start_ack, 0, NELEM(SLOW_STARTS));
	tcase_add_loop_test(tc, test_sender_sws, 0, NELEM(SWSES));
	tcase_add_test(tc, test_sender_sws_override_timeout);
	tcase_add_test(tc, test_sender_sws_override_rearmed_after_progress);
	tcase_add_test(tc, test_ack_of_unsent_data);
	tcase_add_loop_test(tc, test_dupack_counting, 0, NELEM(DUPACKS));
	suite_add_tcase(s, tc);

	tc = tcase_create("established-timers");
	tcase_add_test(tc, test_rto_first_retransmission);
	tcase_add_test(tc, test_source_gives_every_payload);
	tcase_add_test_raise_signal(tc, test_source_refuses_copies, SIGABRT);
	tcase_add_test(tc, test_viewer_sees_reads_without_a_buffer);
	tcase_add_test(tc, test_waiting_viewer_sees_the_segment_itself);
	tcase_add_test(tc, test_untaken_direct_bytes_spill_into_the_ring);
	tcase_add_loop_test(tc, test_rto_rfc6298_values, 0, NELEM(RTOS));
	tcase_add_loop_test(tc, test_rto_go_back, 0, NELEM(GOBACKS));
	tcase_add_test(tc, test_rto_restarted_by_ack);
	tcase_add_test(tc, test_rto_stopped_when_all_acked);
	tcase_add_loop_test(tc, test_rto_retry_limit, 0, NELEM(RETRIES));
	tcase_add_test(tc, test_rto_retry_count_restarts_on_progress);
	tcase_add_test(tc, test_pure_ack_after_go_back);
	tcase_add_loop_test(tc, test_rst_after_go_back_carries_snd_nxt, 0, NELEM(RST_AFTER_GOBACK));
	tcase_add_test(tc, test_abort_established);
	tcase_add_loop_test(tc, test_karn_no_sample_from_retransmission, 0, NELEM(KARNS));
	tcase_add_test(tc, test_karn_keeps_backoff_until_sample);
	suite_add_tcase(s, tc);

	tc = tcase_create("established-receive");
	tcase_add_loop_test(tc, test_recv_in_order, 0, NELEM(RECVS));
	tcase_add_test(tc, test_recv_edge_small_segments);
	tcase_add_loop_test(tc, test_recv_out_of_order, 0, NELEM(OOOS));
	tcase_add_test(tc, test_recv_old_and_overlapping);
	tcase_add_test(tc, test_recv_beyond_window);
	tcase_add_test(tc, test_recv_beyond_window_not_kept);
	tcase_add_test(tc, test_recv_zero_window_probe);
	tcase_add_loop_test(tc, test_established_rst, 0, NELEM(RSTS));
	tcase_add_loop_test(tc, test_established_syn_challenge, 0, NELEM(SYNS_EST));
	suite_add_tcase(s, tc);

	tc = tcase_create("teardown");
	tcase_add_test(tc, test_active_close);
	tcase_add_test(tc, test_passive_close);
	tcase_add_test(tc, test_close_wait_send);
	tcase_add_loop_test(tc, test_simultaneous_close, 0, NELEM(SIMULTANEOUS));
	tcase_add_test(tc, test_time_wait_fin_retransmitted);
	tcase_add_test(tc, test_half_close);
	tcase_add_loop_test(tc, test_fin_retransmitted, 0, NELEM(FIN_REXMTS));
	tcase_add_test(tc, test_fin_with_last_data);
	tcase_add_test(tc, test_fin_out_of_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("persist");
	tcase_add_test(tc, test_persist_probes);
	tcase_add_test(tc, test_persist_probe_accepted);
	suite_add_tcase(s, tc);

	tc = tcase_create("wrap");
	tcase_add_loop_test(tc, test_wrap_send, 0, NELEM(WRAP_ISS));
	tcase_add_loop_test(tc, test_wrap_receive, 0, NELEM(WRAP_ISS));
	tcase_add_test(tc, test_wrap_literal_numbers);
	suite_add_tcase(s, tc);

	tc = tcase_create("recovery");
	tcase_add_loop_test(tc, test_recovery_dupack_definition, 0, NELEM(DUP_DEFS));
	tcase_add_loop_test(tc, test_recovery_limited_transmit, 0, NELEM(LTS));
	tcase_add_loop_test(tc, test_recovery_fast_retransmit, 0, NELEM(FRS));
	tcase_add_test(tc, test_recovery_inflation);
	tcase_add_loop_test(tc, test_recovery_full_ack, 0, NELEM(FULL_ACKS));
	tcase_add_loop_test(tc, test_recovery_newreno_partial_ack, 0, NELEM(PARTIALS));
	tcase_add_test(tc, test_recovery_newreno_timer_first_partial_only);
	tcase_add_test(tc, test_recovery_reno_partial_ack_ends_recovery);
	tcase_add_loop_test(tc, test_recovery_not_again_below_recover, 0, NELEM(RECOVERS));
	tcase_add_test(tc, test_recovery_timeout_during_recovery);
	tcase_add_loop_test(tc, test_recovery_karn, 0, NELEM(REC_KARNS));
	suite_add_tcase(s, tc);

	tc = tcase_create("delayed-ack");
	tcase_add_test(tc, test_delack_single_segment);
	tcase_add_test(tc, test_delack_deadline_not_pushed_back);
	tcase_add_loop_test(tc, test_delack_every_second_full_segment, 0, NELEM(DELACK_TWOS));
	tcase_add_test(tc, test_delack_out_of_order_and_fill);
	tcase_add_test(tc, test_delack_piggyback);
	tcase_add_test(tc, test_delack_adaptive);
	tcase_add_test(tc, test_delack_adaptive_quickack_again);
	tcase_add_loop_test(tc, test_delack_quickack, 0, NELEM(QUICKACKS));
	tcase_add_loop_test(tc, test_delack_fin_acked_at_once, 0, NELEM(DELACK_FINS));
	suite_add_tcase(s, tc);

	tc = tcase_create("nagle");
	tcase_add_test(tc, test_nagle_holds_second_small_write);
	tcase_add_test(tc, test_nagle_coalesces_small_writes);
	tcase_add_test(tc, test_nagle_idle_write_whole);
	tcase_add_test(tc, test_nagle_busy_write_tail_held);
	tcase_add_test(tc, test_nagle_full_segment_releases);
	tcase_add_test(tc, test_nagle_off);
	tcase_add_test(tc, test_write_in_pieces);
	tcase_add_test(tc, test_nagle_hold_counted_once);
	tcase_add_test(tc, test_nagle_close_flushes_tail);
	suite_add_tcase(s, tc);

	tc = tcase_create("receiver-sws");
	tcase_add_test(tc, test_rcv_sws_zero_window_edge_held);
	tcase_add_test(tc, test_rcv_sws_open_window_edge_held);
	tcase_add_loop_test(tc, test_rcv_sws_window_update, 0, NELEM(SWS_UPDATES));
	suite_add_tcase(s, tc);

	tc = tcase_create("persist-backoff");
	tcase_add_loop_test(tc, test_persist_backoff, 0, NELEM(PERSISTS));
	tcase_add_test(tc, test_persist_backoff_resets);
	tcase_add_test(tc, test_persist_window_shrunk_to_zero);
	suite_add_tcase(s, tc);

	tc = tcase_create("wireshark-counters");
	tcase_add_test(tc, test_counters_zero_window_and_update);
	tcase_add_test(tc, test_counters_probe_and_keepalive);
	tcase_add_test(tc, test_counters_dupacks_and_updates);
	tcase_add_test(tc, test_counters_dup_segments);
	suite_add_tcase(s, tc);

	tc = tcase_create("blocked-read");
	tcase_add_loop_test(tc, test_blocked_read_dupacks, 0, NELEM(BLOCKED));
	tcase_add_test(tc, test_blocked_read_takes_at_most_its_size);
	tcase_add_test(tc, test_blocked_read_data_waiting);
	tcase_add_test(tc, test_blocked_read_update_rides_on_the_ack);
	suite_add_tcase(s, tc);

	tc = tcase_create("ecn");
	tcase_add_loop_test(tc, test_ecn_negotiate_client, 0, NELEM(ECN_CLIENTS));
	tcase_add_loop_test(tc, test_ecn_negotiate_server, 0, NELEM(ECN_SERVERS));
	tcase_add_test(tc, test_ecn_ect_only_on_new_data);
	tcase_add_test(tc, test_ecn_window_probe_not_ect);
	tcase_add_test(tc, test_ecn_receiver_echo);
	tcase_add_test(tc, test_ecn_receiver_delayed_ack);
	tcase_add_test(tc, test_ecn_sender_reduction);
	tcase_add_test(tc, test_ecn_no_reduction_in_recovery);
	tcase_add_test(tc, test_ecn_ignored_when_not_agreed);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(tcp_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
