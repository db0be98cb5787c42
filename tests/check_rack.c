/*
 * check_rack: RACK-TLP (RFC 8985), packetdrill style (see tests/tcp_harness.h).
 *
 * Groups: RACK's loss marking at the reordering window's deadline, on an
 * ACK and by the reordering timer (§6.2 step 5); the reordering window and
 * its D-SACK rounds (§6.2 step 4); the tail loss probe's timeout (§7.2),
 * its choice (§7.3) and the response to its ACK (§7.4).
 *
 * Conventions (tests/tcp_testdefs.h): our ISS 1000, the peer's 5000; S(off) is
 * the sequence number of byte off of our stream. A client handshake ends
 * at T = 100 ms, so SRTT = 100 ms (the SYN's sample) and RTO = 1 s. MTU
 * 1500, MSS 1460; limited transmit off unless said, so that only the rules
 * under test send.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tcp_harness.h"

static struct tcp_cfg rack_cfg(bool tlp)
{
	struct tcp_cfg cfg = h_default_cfg();

	cfg.sack = true;
	cfg.rack = true;
	cfg.tlp = tlp;
	cfg.limited_transmit = false;
	return cfg;
}

static struct harness *client(const struct tcp_cfg *cfg)
{
	struct harness *h = h_new(cfg, MTU, ISS);

	h_established_client(h, &PEER_SACK, T);
	return h;
}

/* An ACK of S(SEG(ack_seg)) with SACK blocks of whole segments [from, to);
 * dsack: a first block [dfrom, dto) as a D-SACK. */
struct blk { int from, to; };

static void ack(struct harness *h, uint64_t at, int ack_seg, const struct blk *b, int n)
{
	struct tcp_seg s = { SEND_TEMPL, .seq = P(0), .ack = S(SEG(ack_seg)) };

	s.opt.nsack = (uint8_t)n;
	for (int i = 0; i < n; i++) {
		s.opt.sack[i].left = S(SEG(b[i].from));
		s.opt.sack[i].right = S(SEG(b[i].to));
	}
	h_inject(h, at, &s);
}

/* One segment of new data at the current instant. */
static void send_one(struct harness *h, int k)
{
	ck_assert_uint_eq(h_send(h, MSS), MSS);
	h_expect_tx_mask(h, h_now(h), SEND(.seq = S(SEG(k)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
}

/* ====================================================================
 * RACK's loss marking (§6.2 step 5). S(0) leaves at T, S(1) at T + gap;
 * the peer SACKs S(1) 100 ms after it left: RACK.rtt = min_RTT = 100 ms,
 * reo_wnd = min_RTT / 4 = 25 ms (no reordering seen, one segment SACKed,
 * not in recovery). S(0) is lost once RACK.xmit_ts >= its xmit_ts +
 * reo_wnd, i.e. gap >= 25 ms: then at the ACK; else when the reordering
 * timer fires, at S(0)'s xmit_ts + RACK.rtt + reo_wnd = T + 125 ms: the
 * same instant either way.
 * ==================================================================== */

static const struct mark_case {
	const char *name;
	uint64_t gap_ns;
	uint64_t want_at_ns;         /* when S(0) is resent */
	bool at_ack;                 /* lost on the ACK itself */
} MARKS[] = {
	{ "sent reo_wnd before: lost at the ACK", MS(25), T + MS(125), true },
	{ "sent reo_wnd - 1 ns before: the timer, 1 ns later", MS(25) - 1, T + MS(125), false },
	{ "sent 10 ms before: the timer at xmit + rtt + reo_wnd", MS(10), T + MS(125), false },
};

START_TEST(test_mark_at_deadline)
{
	const struct mark_case *c = &MARKS[_i];
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h = client(&cfg);
	static const struct blk B[] = { { 1, 2 } };
	uint64_t ack_at = T + c->gap_ns + MS(100);
	const struct h_tx *t;
	char buf[256];

	send_one(h, 0);
	h_run_until(h, T + c->gap_ns);
	send_one(h, 1);
	ack(h, ack_at, 0, B, 1);
	ck_assert_uint_eq(h->ep->rack.rtt_ns, MS(100));
	ck_assert_uint_eq(h->ep->rack.min_rtt_ns, MS(100));
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(25));
	if (!c->at_ack) {
		h_expect_no_tx(h);
		ck_assert(timer_armed(&h->ep->rack.reo_timer));
		ck_assert_uint_eq(h->ep->rack.reo_timer.when_ns, c->want_at_ns);
		h_run_until(h, c->want_at_ns - 1);
		h_expect_no_tx(h);
		ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 0);
		h_run_until(h, c->want_at_ns);
		ck_assert_uint_eq(tcp_stats(h->ep)->rack_timer_fires, 1);
	}
	ck_assert_uint_gt(h_pending_tx(h), 0);
	t = &h->tx[h->tx_head];
	/* The retransmission that begins recovery, after one duplicate ACK:
	 * RACK's clock found the loss, no fast retransmit. */
	ck_assert_str_eq(tcp_why_kind_name(t->why.kind), "rack_lost");
	ck_assert_uint_eq(t->why.n, c->gap_ns);
	ck_assert_uint_eq(t->why.arg, MS(25));
	tcp_why_format(&t->why, &t->seg, buf, sizeof(buf));
	if (c->gap_ns == MS(25))
		ck_assert_str_eq(buf, "RACK: lost 1:1461 (sent 25ms before the last delivered, reo_wnd "
				 "25ms) | cwnd 2920 ssthresh 2920 flight 2920 rto 1s | recovery");
	h_expect_tx_mask(h, c->want_at_ns, SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_recoveries, 1);
	/* One duplicate ACK asked for S(0): RACK's clock, not duplicate ACKs,
	 * found it lost, and it is no fast retransmit in RFC 5681's sense
	 * (nor in Wireshark's). */
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 0);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_RECOVERY);
	/* The repair's ACK ends recovery; no timer left behind. */
	ack(h, c->want_at_ns + MS(100), 2, NULL, 0);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	ck_assert(!timer_armed(&h->ep->rack.reo_timer));
	h_free(h);
}
END_TEST

/*
 * RACK replaces DupThresh (§6.2): three segments SACKed above S(0), all
 * sent at the same instant as S(0), start no recovery by themselves...
 * except that step 4 keeps DupThresh: with three SACKed and no reordering
 * seen, reo_wnd is 0, and S(0), sent at the same time but below them
 * (RACK_sent_after breaks the tie by sequence), is lost at once. With two
 * SACKed, reo_wnd is 25 ms and S(0) waits for the timer.
 */
START_TEST(test_dupthresh_in_reo_wnd)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h = client(&cfg);
	static const struct blk B2[] = { { 1, 3 } };
	static const struct blk B3[] = { { 1, 4 } };

	ck_assert_uint_eq(h_send(h, 5 * MSS), 5 * MSS);
	for (int k = 0; k < 5; k++)
		h_expect_tx_mask(h, T, SEND(.seq = S(SEG(k)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	ack(h, T + MS(100), 0, B2, 1);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(25));
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->rack.reo_timer.when_ns, T + MS(125));
	ack(h, T + MS(101), 0, B3, 1);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, 0);
	h_expect_tx_mask(h, T + MS(101), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	/* In recovery, with no reordering seen, reo_wnd stays 0 (step 4). */
	ack(h, T + MS(102), 0, B3, 1);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, 0);
	ck_assert(!h->ep->rack.reordering_seen);
	h_free(h);
}
END_TEST

/*
 * Two segments lost at once, sent 5 ms apart: each retransmission names
 * its own send time. S(0) at T, S(1) at T + 5 ms, S(2) at T + 30 ms; the
 * SACK of S(2) 100 ms later: reo_wnd 25 ms, S(0) was sent 30 ms before
 * it and S(1) 25 ms: both lost; S(0) is the fast retransmit, S(1) follows
 * (NextSeg rule 1, PRR's sndcnt 1460).
 */
START_TEST(test_two_lost)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h = client(&cfg);
	static const struct blk B[] = { { 2, 3 } };
	const struct h_tx *t;

	send_one(h, 0);
	h_run_until(h, T + MS(5));
	send_one(h, 1);
	h_run_until(h, T + MS(30));
	send_one(h, 2);
	ack(h, T + MS(130), 0, B, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 2);
	ck_assert_uint_eq(h_pending_tx(h), 2);
	t = &h->tx[h->tx_head];
	ck_assert_str_eq(tcp_why_kind_name(t->why.kind), "rack_lost");
	ck_assert_uint_eq(t->why.n, MS(30));
	h_expect_tx_mask(h, T + MS(130), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	t = &h->tx[h->tx_head];
	ck_assert_str_eq(tcp_why_kind_name(t->why.kind), "rack_lost");
	ck_assert_uint_eq(t->why.n, MS(25));
	h_expect_tx_mask(h, T + MS(130), SEND(.seq = S(SEG(1)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_free(h);
}
END_TEST

/*
 * A lost retransmission (RFC 8985 §6.2: RACK judges a retransmission by
 * its own send time). cwnd 3 segments: S(0) at T, S(1) at T + 30 ms, S(2)
 * at T + 60 ms, S(3) written then and held. The SACK of S(1) and S(2) at
 * T + 130 ms finds S(0) lost (sent 30 ms before S(1), reo_wnd 25 ms): its
 * fast retransmit R leaves, and S(3) with it (PRR: two segments
 * delivered). R is lost too. The SACK of S(3) at T + 230 ms delivers a
 * segment sent with R but after it (RACK_sent_after breaks the tie by
 * sequence): RACK.rtt 100 ms, reo_wnd 0 in recovery, so R is lost at its
 * send time + 100 ms = now. S(0) goes a third time at once, not at the
 * retransmission timer's T + 1.13 s, and pipe no longer counts R.
 */
START_TEST(test_lost_retransmission)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h;
	static const struct blk B12[] = { { 1, 3 } };
	static const struct blk B13[] = { { 1, 4 } };
	const struct h_tx *t;
	char buf[256];

	cfg.initial_cwnd = 3;
	h = client(&cfg);
	send_one(h, 0);
	h_run_until(h, T + MS(30));
	send_one(h, 1);
	h_run_until(h, T + MS(60));
	send_one(h, 2);
	ck_assert_uint_eq(h_send(h, MSS), MSS);     /* S(3): cwnd (3 segments) is full */
	h_expect_no_tx(h);
	ack(h, T + MS(130), 0, B12, 1);
	t = &h->tx[h->tx_head];
	ck_assert_str_eq(tcp_why_kind_name(t->why.kind), "rack_lost");
	h_expect_tx_mask(h, T + MS(130), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_tx_mask(h, T + MS(130), SEND(.seq = S(SEG(3)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->sb.pipe, 2 * MSS);           /* R and S(3) */
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_lost_retransmits, 0);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 0);   /* on the first duplicate ACK */
	/* An ACK that delivers S(3), sent 30 ms after R. */
	ack(h, T + MS(230), 0, B13, 1);
	ck_assert_uint_eq(h->ep->rack.xmit_ns, T + MS(130));
	ck_assert_uint_eq(h->ep->rack.rtt_ns, MS(100));
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, 0);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_lost_retransmits, 1);
	ck_assert_uint_gt(h_pending_tx(h), 0);
	t = &h->tx[h->tx_head];
	ck_assert_str_eq(tcp_why_kind_name(t->why.kind), "rack_fast_retransmit_again");
	ck_assert_uint_eq(t->why.n, 0);
	tcp_why_format(&t->why, &t->seg, buf, sizeof(buf));
	ck_assert_str_eq(buf, "RACK fast retransmit of 1:1461, its retransmission lost too (resent 0us "
			 "before the last delivered, reo_wnd 0us) | cwnd 2920 ssthresh 2920 flight 5840 rto 1s "
			 "| recovery");
	h_expect_tx_mask(h, T + MS(230), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->sb.pipe, MSS);               /* the third copy only */
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_retransmits, 2);
	/* The second duplicate ACK in a row asked for S(0): this one is a
	 * fast retransmit (RFC 5681 §2; Wireshark labels it one). */
	ck_assert_uint_eq(h->ep->dupacks, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 0);
	/* It arrives: everything is acknowledged and recovery ends. */
	ack(h, T + MS(330), 4, NULL, 0);
	ck_assert_uint_eq(tcp_cc_state(h->ep), TCP_CC_OPEN);
	h_free(h);
}
END_TEST

/*
 * A recovery that begins while the first unacknowledged segment's
 * retransmission is still on its way (the last recovery resent it, then
 * ended; a segment above is found lost) does not send it once more: only
 * a segment marked lost and not resent since is. S(0) .. S(3) at T; the
 * SACK of S(1) .. S(3) finds S(0) lost (three SACKed: reo_wnd 0) and R
 * leaves; then, with R in flight, recovery begins again from outside it.
 */
START_TEST(test_recovery_keeps_resent_head)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h;
	static const struct blk B[] = { { 1, 4 } };

	cfg.initial_cwnd = 4;
	h = client(&cfg);
	ck_assert_uint_eq(h_send(h, 4 * MSS), 4 * MSS);
	h_discard_tx(h);
	ack(h, T + MS(100), 0, B, 1);
	h_expect_tx_mask(h, T + MS(100), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert(h->ep->sb.rec[h->ep->sb.head].lost && h->ep->sb.rec[h->ep->sb.head].rexmit);
	h->ep->in_recovery = false;
	h_run_until(h, T + MS(101));
	tcp_sack_enter_recovery(h->ep, 0);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_recoveries, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_retransmits, 1);
	h_free(h);
}
END_TEST

/*
 * During RTO recovery too, RACK judges retransmissions by their send time
 * (§6.2): the go-back resends in order, and one found lost goes again
 * before it goes on. S(0) at T, ACKed at T + 100 ms: min_RTT 100 ms. S(1),
 * S(2) and S(3) at T + 100 ms, all lost: the RTO at T + 1.1 s resends S(1)
 * (cwnd 1 segment), whose ACK 100 ms later (an RTT not below min_RTT: not
 * ambiguous) lets S(2) and S(3) go again; the SACK of S(3) 100 ms after
 * that finds S(2)'s retransmission lost (sent with it, below it, reo_wnd 0
 * in RTO recovery), and S(2) goes a third time at once, not at the next
 * timeout 2 s later; it is no fast retransmit (no duplicate ACK before).
 */
START_TEST(test_rto_recovery_judged)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h = client(&cfg);
	static const struct blk B[] = { { 3, 4 } };
	uint64_t rto = T + MS(100) + MS(1000);

	send_one(h, 0);
	ack(h, T + MS(100), 1, NULL, 0);
	ck_assert_uint_eq(h->ep->rack.min_rtt_ns, MS(100));
	ck_assert_uint_eq(h_send(h, 3 * MSS), 3 * MSS);
	h_discard_tx(h);
	h_run_until(h, rto);
	h_expect_tx_mask(h, rto, SEND(.seq = S(SEG(1)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	ack(h, rto + MS(100), 2, NULL, 0);
	h_expect_tx_mask(h, rto + MS(100), SEND(.seq = S(SEG(2)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_tx_mask(h, rto + MS(100), SEND(.seq = S(SEG(3)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	ack(h, rto + MS(200), 2, B, 1);
	ck_assert_uint_eq(h->ep->rack.xmit_ns, rto + MS(100));
	ck_assert_uint_gt(h_pending_tx(h), 0);
	ck_assert_str_eq(tcp_why_kind_name(h->tx[h->tx_head].why.kind), "rack_lost_again");
	h_expect_tx_mask(h, rto + MS(200), SEND(.seq = S(SEG(2)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_lost_retransmits, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->fast_retransmits, 0);
	/* It arrives: the ACK of everything ends RTO recovery. */
	ack(h, rto + MS(300), 4, NULL, 0);
	ck_assert(!h->ep->in_loss);
	h_free(h);
}
END_TEST

/* Record i of the board, from its first (SND.UNA's). */
static const struct sack_rec *rec_i(const struct harness *h, uint32_t i)
{
	return &h->ep->sb.rec[(h->ep->sb.head + i) & (h->ep->sb.cap - 1)];
}

/*
 * SetPipe() with RACK (RFC 6675 §4 with RFC 8985 §6.2's lost marks): every
 * byte not SACKed once if not lost, once more if a retransmission of it is
 * in flight. tcp_sack.c keeps that sum as the board changes; here it is
 * walked over the board after every kind of change and the two must agree:
 * new segments, SACKs, RACK's marks at the reordering timer, their
 * retransmissions, an ACK inside a segment, the timeout, a reneging
 * receiver, an ACK of everything.
 */
static uint64_t pipe_walked(const struct harness *h)
{
	uint64_t pipe = 0;

	for (uint32_t i = 0; i < h->ep->sb.n; i++) {
		const struct sack_rec *r = rec_i(h, i);
		if (!r->sacked)
			pipe += (r->end - r->start) * ((r->lost ? 0 : 1) + (r->rexmit ? 1 : 0));
	}
	return pipe;
}

static void pipe_agrees(struct harness *h, uint64_t want)
{
	ck_assert_uint_eq(pipe_walked(h), want);
	ck_assert_uint_eq(tcp_sack_set_pipe(h->ep), want);
}

START_TEST(test_pipe_kept_as_the_board_changes)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h;
	static const struct blk B23[] = { { 2, 4 } };
	struct tcp_seg part, renege;

	cfg.initial_cwnd = 6;
	h = client(&cfg);
	part = (struct tcp_seg){ SEND_TEMPL, .seq = P(0), .ack = S(100) };
	renege = (struct tcp_seg){ SEND_TEMPL, .seq = P(0), .ack = S(SEG(2)) };
	ck_assert_uint_eq(h_send(h, 6 * MSS), 6 * MSS);
	h_discard_tx(h);
	pipe_agrees(h, 6 * MSS);
	/* S(2), S(3) SACKed at T + 100 ms: 4 segments in the network. S(0)
	 * and S(1) are lost at the timer, 25 ms later (reo_wnd min_RTT / 4),
	 * and resent: still 4, S(4), S(5) and the two retransmissions. */
	ack(h, T + MS(100), 0, B23, 1);
	pipe_agrees(h, 4 * MSS);
	h_run_until(h, T + MS(125));
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_retransmits, 1);
	pipe_agrees(h, 3 * MSS);
	/* An ACK of the first 100 bytes of S(0): its record 100 bytes
	 * shorter, and PRR lets S(1)'s retransmission go. */
	h_inject(h, T + MS(130), &part);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_retransmits, 2);
	pipe_agrees(h, 4 * MSS - 100);
	/* The search for a lost segment not resent since found S(1), and
	 * looks from there on next time. */
	ck_assert_uint_eq(h->ep->sb.unsent_lost_from, SEG(1));
	/* The timeout: everything not SACKed lost, nothing resent; the
	 * go-back resends one SMSS from SND.UNA (cwnd 1 segment), which
	 * splits S(1)'s record. */
	h_discard_tx(h);
	h_run_until(h, T + MS(130) + MS(1000));
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);
	h_discard_tx(h);
	pipe_agrees(h, MSS);
	ck_assert_uint_eq(h->ep->sb.unsent_lost_from, MSS + 100);
	/* The ACK of S(0) and S(1) leaves S(2) first, SACKed, with no block
	 * for it: the receiver reneged (RFC 2018 §8) and no record is SACKed
	 * any more. RACK then finds S(2) to S(5), sent before the
	 * retransmission just delivered, lost, and the go-back resends S(2)
	 * and S(3): the pipe is those two. */
	h_inject(h, T + MS(1200), &renege);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_reneges, 1);
	h_discard_tx(h);
	pipe_agrees(h, 2 * MSS);
	ck_assert_uint_eq(h->ep->sb.unsent_lost_from, SEG(4));
	/* S(4), S(5) SACKed: the two retransmissions remain. */
	{
		static const struct blk B45[] = { { 4, 6 } };
		ack(h, T + MS(1250), 2, B45, 1);
	}
	h_discard_tx(h);
	pipe_agrees(h, 2 * MSS);
	ack(h, T + MS(1300), 6, NULL, 0);
	pipe_agrees(h, 0);
	h_free(h);
}
END_TEST

/*
 * The same through a tail loss probe and a renege: the probe resends S(3),
 * which is not lost, so that it counts twice (RFC 8985 §7.3: no new data
 * to send); then the receiver SACKs S(1) and S(2) and reneges on them.
 */
START_TEST(test_pipe_kept_through_probe_and_renege)
{
	struct tcp_cfg cfg = rack_cfg(true);
	struct harness *h;
	static const struct blk B12[] = { { 1, 3 } };
	struct tcp_seg renege;

	cfg.initial_cwnd = 4;
	h = client(&cfg);
	renege = (struct tcp_seg){ SEND_TEMPL, .seq = P(0), .ack = S(SEG(1)) };
	ck_assert_uint_eq(h_send(h, 4 * MSS), 4 * MSS);
	h_discard_tx(h);
	h_run_until(h, T + MS(300));
	ck_assert_uint_eq(tcp_stats(h->ep)->tlp_probes, 1);
	h_discard_tx(h);
	pipe_agrees(h, 5 * MSS);
	/* S(1), S(2) SACKed: S(0) and S(3) with its probe. */
	ack(h, T + MS(310), 0, B12, 1);
	h_discard_tx(h);
	pipe_agrees(h, 3 * MSS);
	/* The ACK of S(0) without the block: S(1), S(2) back in the pipe. */
	h_inject(h, T + MS(320), &renege);
	ck_assert_uint_eq(tcp_stats(h->ep)->sack_reneges, 1);
	h_discard_tx(h);
	pipe_agrees(h, 4 * MSS);
	h_free(h);
}
END_TEST

/*
 * The walks pass over SACKed records a run at a time. A SACK block that
 * ends inside a segment SACKs only its part (the record splits there);
 * a run that grows is found whole by the next walk from its start, and
 * stored there; a record just SACKed is a run of one.
 */
START_TEST(test_sacked_runs)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h;
	struct tcp_seg a;

	cfg.initial_cwnd = 6;
	h = client(&cfg);
	ck_assert_uint_eq(h_send(h, 6 * MSS), 6 * MSS);
	h_discard_tx(h);
	/* SACK of S(2) and the first 500 bytes of S(3). */
	a = (struct tcp_seg){ SEND_TEMPL, .seq = P(0), .ack = S(0) };
	a.opt.nsack = 1;
	a.opt.sack[0].left = S(SEG(2));
	a.opt.sack[0].right = S(SEG(3) + 500);
	h_inject(h, T + MS(100), &a);
	ck_assert_uint_eq(h->ep->sb.sacked_bytes, MSS + 500);
	ck_assert_uint_eq(h->ep->sb.n, 7);
	ck_assert_uint_eq(rec_i(h, 3)->end, SEG(3) + 500);
	ck_assert(rec_i(h, 3)->sacked && !rec_i(h, 4)->sacked);
	/* Then S(2) up to the end of S(4): the rest of S(3), and S(4). */
	a.opt.sack[0].right = S(SEG(5));
	h_inject(h, T + MS(101), &a);
	ck_assert_uint_eq(h->ep->sb.sacked_bytes, 3 * MSS);
	ck_assert_uint_eq(rec_i(h, 2)->run, 4);       /* S(2) to S(4), four records */
	ck_assert_uint_eq(rec_i(h, 5)->run, 1);
	ck_assert_uint_eq(tcp_sack_unsacked_from(&h->ep->sb, 2), 6);
	ck_assert_uint_eq(tcp_sack_unsacked_from(&h->ep->sb, 4), 6);
	ck_assert_uint_eq(tcp_sack_unsacked_from(&h->ep->sb, 1), 1);
	h_free(h);
}
END_TEST

/*
 * The records resent in the last round trip, which detect_loss passes
 * over on every ACK of a recovery (they were sent after RACK.xmit_ts):
 * the board keeps the stretch of them it found, each sent no earlier than
 * the one before, so that the next walk steps over it at once. S(0) ..
 * S(4) at T, S(5) at T + 30 ms, SACKed at T + 130 ms: S(0) .. S(4) are
 * past their deadline (T + 125 ms) and marked, and recovery resends S(0)
 * and S(1); the next ACK's walk finds those two sent after RACK.xmit_ts
 * (T + 30 ms), then S(2) lost.
 */
static const struct blk B5[] = { { 5, 6 } };

/* S(0) .. S(4) at T, S(5) at T + 30 ms, and its SACK at T + 130 ms. */
static struct harness *five_lost(void)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h;

	cfg.initial_cwnd = 6;
	h = client(&cfg);
	ck_assert_uint_eq(h_send(h, 5 * MSS), 5 * MSS);
	h_discard_tx(h);
	h_run_until(h, T + MS(30));
	send_one(h, 5);
	ack(h, T + MS(130), 0, B5, 1);
	return h;
}

START_TEST(test_sent_after_stretch)
{
	struct harness *h = five_lost();
	struct sack_board *b = &h->ep->sb;
	const struct sack_after *a = &b->after[0];

	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 5);
	h_expect_tx_mask(h, T + MS(130), SEND(.seq = S(0), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_tx_mask(h, T + MS(130), SEND(.seq = S(SEG(1)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_le(a->to, a->from);              /* marked, not sent after */
	ack(h, T + MS(140), 0, B5, 1);
	h_discard_tx(h);
	ck_assert_uint_eq(h->ep->rack.xmit_ns, T + MS(30));
	ck_assert_uint_eq(a->from, 0);
	ck_assert_uint_eq(a->to, SEG(2));
	ck_assert_uint_eq(a->last_ns, T + MS(130));
	ck_assert_uint_eq(a->records, 2);
	ck_assert_uint_le(b->after[1].to, b->after[1].from);
	/* Resending S(1) again makes it later than anything above it: the
	 * stretch ends below it. */
	tcp_sack_on_send(h->ep, SEG(1), SEG(2));
	ck_assert_uint_eq(a->from, 0);
	ck_assert_uint_eq(a->to, SEG(1));
	/* Resending what lies outside changes nothing; marking S(0) lost
	 * leaves none. */
	tcp_sack_on_send(h->ep, SEG(3), SEG(4));
	ck_assert_uint_eq(a->to, SEG(1));
	tcp_sack_rec_lost(b, &b->rec[b->head & (b->cap - 1)]);
	ck_assert_uint_le(a->to, a->from);
	h_free(h);
}
END_TEST

/* A timeout leaves no stretch: everything not SACKed is lost then. */
START_TEST(test_sent_after_stretch_rto)
{
	struct harness *h = five_lost();
	struct sack_board *b = &h->ep->sb;

	ack(h, T + MS(140), 0, B5, 1);
	h_discard_tx(h);
	ck_assert_uint_eq(b->after[0].to, SEG(2));
	tcp_sack_on_rto(h->ep);
	ck_assert_uint_le(b->after[0].to, b->after[0].from);
	ck_assert_uint_le(b->after[1].to, b->after[1].from);
	h_free(h);
}
END_TEST

/*
 * With timestamps, an ACK that echoes an older TSval (RFC 7323 §4.3: a
 * delayed ACK echoes the earliest segment it covers) says nothing
 * ambiguous about segments sent once (§6.2 step 2's filter is for
 * retransmissions): S(0) at T, S(1) at T + 5 ms, one ACK of both echoing
 * S(0)'s TSval; RACK.xmit_ts is S(1)'s.
 */
START_TEST(test_ts_echo_sent_once)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct h_peer peer = PEER_SACK;
	struct harness *h;
	struct tcp_seg a0, a1;

	cfg.timestamps = true;
	peer.ts = true;
	h = h_new(&cfg, MTU, ISS);
	h_established_client(h, &peer, T);
	ck_assert_uint_eq(h_send(h, MSS - 12), MSS - 12);
	a0 = h_expect_tx_mask(h, T, SEND(.seq = S(0), .len = MSS - 12), HF_AT | HF_SEQ | HF_LEN);
	h_run_until(h, T + MS(5));
	ck_assert_uint_eq(h_send(h, MSS - 12), MSS - 12);
	a1 = h_expect_tx_mask(h, T + MS(5), SEND(.seq = S(MSS - 12), .len = MSS - 12),
			      HF_AT | HF_SEQ | HF_LEN);
	ck_assert_uint_lt(a0.opt.ts_val, a1.opt.ts_val);
	h_inject(h, T + MS(105), SEND(.seq = P(0), .ack = S(2 * (MSS - 12)),
				      .opt = { .has_ts = true, .ts_val = 200, .ts_ecr = a0.opt.ts_val }));
	ck_assert_uint_eq(h->ep->rack.xmit_ns, T + MS(5));
	ck_assert_uint_eq(h->ep->rack.rtt_ns, MS(100));
	h_free(h);
}
END_TEST

/* ====================================================================
 * The reordering window (§6.2 step 4): min_RTT / 4 times reo_wnd_mult,
 * which each D-SACK round raises by one, at most SRTT; reordering seen
 * when a segment sent once is delivered below RACK.fack.
 * ==================================================================== */

START_TEST(test_reo_wnd_dsack)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h = client(&cfg);
	/* D-SACK of S(0) below the cumulative ACK (RFC 2883 §4). */
	static const struct blk D0[] = { { 0, 1 } };

	ck_assert_uint_eq(h_send(h, 40 * MSS), 40 * MSS);
	h_discard_tx(h);                             /* S(0) .. S(9) at T */
	ack(h, T + MS(100), 2, NULL, 0);             /* min_RTT 100 ms */
	h_discard_tx(h);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(25));
	ck_assert_uint_eq(h->ep->rack.reo_wnd_mult, 1);
	ack(h, T + MS(101), 2, D0, 1);               /* a D-SACK: a round opens */
	ck_assert_uint_eq(h->ep->rack.reo_wnd_mult, 2);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_persist, 16);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(50));
	/* SND.NXT then: the ACK of two segments let three new ones go
	 * (slow start, cwnd 11 segments, 8 in flight) */
	ck_assert_uint_eq(h->ep->rack.dsack_round, SEG(13));
	ack(h, T + MS(102), 2, D0, 1);               /* the same round: no more */
	ck_assert_uint_eq(h->ep->rack.reo_wnd_mult, 2);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(50));
	ack(h, T + MS(200), 13, NULL, 0);            /* SND.UNA reaches the round's end */
	h_discard_tx(h);
	ck_assert(!h->ep->rack.dsack_round_set);
	ack(h, T + MS(201), 13, D0, 1);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_mult, 3);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(75));
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_dsack_rounds, 2);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_reo_wnd_max_ns, MS(75));
	/* The bound: never more than SRTT (100 ms here, every sample 100 ms). */
	h->ep->rack.dsack_round_set = false;
	ack(h, T + MS(202), 13, D0, 1);
	h->ep->rack.dsack_round_set = false;
	ack(h, T + MS(203), 13, D0, 1);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_mult, 5);
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, tcp_srtt_ns(h->ep));
	ck_assert_uint_eq(tcp_srtt_ns(h->ep), MS(100));
	h_free(h);
}
END_TEST

/*
 * Reordering seen (§6.2 step 3): S(1) and S(2) SACKed, then S(0), sent
 * once, delivered below RACK.fack by a cumulative ACK: reordering. From
 * then on reo_wnd is min_RTT / 4 even with DupThresh segments SACKed.
 */
START_TEST(test_reordering_seen)
{
	struct tcp_cfg cfg = rack_cfg(false);
	struct harness *h = client(&cfg);
	static const struct blk B[] = { { 1, 3 } };
	static const struct blk B4[] = { { 4, 8 } };

	ck_assert_uint_eq(h_send(h, 10 * MSS), 10 * MSS);
	h_discard_tx(h);
	ack(h, T + MS(100), 0, B, 1);
	ck_assert(!h->ep->rack.reordering_seen);
	ck_assert_uint_eq(h->ep->rack.fack, SEG(3));
	ack(h, T + MS(101), 3, NULL, 0);
	ck_assert(h->ep->rack.reordering_seen);
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_reordering_seen, 1);
	h_discard_tx(h);
	ack(h, T + MS(102), 3, B4, 1);              /* four SACKed above S(3) */
	ck_assert_uint_eq(h->ep->rack.reo_wnd_ns, MS(25));
	ck_assert_uint_eq(tcp_stats(h->ep)->rack_losses_marked, 0);
	h_free(h);
}
END_TEST

/* ====================================================================
 * TLP (§7). The PTO (§7.2): 2 SRTT after new data leaves (SRTT 100 ms),
 * plus WCDelAckT = 200 ms when one segment is in flight; the probe (§7.3):
 * new data when it waits and the peer's window allows (cwnd does not
 * limit a probe), else the last segment sent again; then the RTO restarts.
 * ==================================================================== */

static const struct pto_case {
	const char *name;
	int segs;                    /* segments written at T */
	uint16_t peer_wnd;           /* the window of the ACK that precedes (0: none) */
	uint64_t want_at_ns;
	int want_seg;                /* the probe's segment */
	bool want_new;
	const char *want_text;
} PTOS[] = {
	{ "two segments: 2 SRTT, the last again", 2, 0, T + MS(200), 1, false,
	  "tail loss probe: the last segment again 1461:2921 (PTO 2*SRTT = 200ms)" },
	{ "one segment: 2 SRTT + WCDelAckT", 1, 0, T + MS(400), 0, false,
	  "tail loss probe: the last segment again 1:1461 (PTO 2*SRTT + WCDelAckT = 400ms: "
	  "one segment in flight)" },
	{ "data waits beyond cwnd: new data", 12, 0, T + MS(200), 10, true,
	  "tail loss probe: new data 14601:16061 (PTO 2*SRTT = 200ms)" },
	{ "data waits, the peer's window full: the last again", 12, 14600, T + MS(200), 9, false,
	  "tail loss probe: the last segment again 13141:14601 (PTO 2*SRTT = 200ms)" },
};

START_TEST(test_pto)
{
	const struct pto_case *c = &PTOS[_i];
	struct tcp_cfg cfg = rack_cfg(true);
	struct harness *h = client(&cfg);
	const struct h_tx *t;
	char buf[256];
	uint64_t sent = (uint64_t)c->segs * MSS;

	if (c->peer_wnd) {
		/* a window update just before: exactly the initial window */
		h_inject(h, T, SEND(.seq = P(0), .ack = S(0), .wnd = c->peer_wnd));
		h_discard_tx(h);
	}
	ck_assert_uint_eq(h_send(h, sent), sent);
	for (int k = 0; k < c->segs && k < 10; k++)
		h_expect_tx_mask(h, T, SEND(.seq = S(SEG(k)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_eq(h->ep->rack.pto_timer.when_ns, c->want_at_ns);
	h_run_until(h, c->want_at_ns - 1);
	h_expect_no_tx(h);
	h_run_until(h, c->want_at_ns);
	ck_assert_uint_gt(h_pending_tx(h), 0);
	t = &h->tx[h->tx_head];
	ck_assert_str_eq(tcp_why_kind_name(t->why.kind), "tail_loss_probe");
	tcp_why_format(&t->why, &t->seg, buf, sizeof(buf));
	*strstr(buf, " |") = '\0';
	ck_assert_str_eq(buf, c->want_text);
	h_expect_tx_mask(h, c->want_at_ns, SEND(.seq = S(SEG(c->want_seg)), .len = MSS),
			 HF_AT | HF_SEQ | HF_LEN);
	h_expect_no_tx(h);
	ck_assert_uint_eq(tcp_stats(h->ep)->tlp_probes, 1);
	ck_assert_uint_eq(tcp_stats(h->ep)->tlp_new_data_probes, c->want_new);
	ck_assert_uint_eq(tcp_stats(h->ep)->retransmissions, !c->want_new);
	ck_assert(h->ep->rack.tlp_set);
	ck_assert_uint_eq(h->ep->rack.tlp_end, c->want_new ? SEG(11) : sent > SEG(10) ? SEG(10) : sent);
	/* The RTO restarts at the probe; no second probe while one is out. */
	ck_assert_uint_eq(h->ep->rexmt_timer.when_ns, c->want_at_ns + MS(1000));
	ck_assert(!timer_armed(&h->ep->rack.pto_timer));
	h_free(h);
}
END_TEST

/*
 * The PTO restarts on an ACK of new data (§7.2) and is not armed while
 * something is SACKed; and it never goes beyond the RTO's deadline.
 */
START_TEST(test_pto_rearm)
{
	struct tcp_cfg cfg = rack_cfg(true);
	struct harness *h = client(&cfg);
	static const struct blk B[] = { { 2, 3 } };

	ck_assert_uint_eq(h_send(h, 3 * MSS), 3 * MSS);
	h_discard_tx(h);
	ck_assert_uint_eq(h->ep->rack.pto_timer.when_ns, T + MS(200));
	ack(h, T + MS(150), 1, NULL, 0);             /* new data ACKed: restart */
	ck_assert_uint_eq(h->ep->rack.pto_timer.when_ns, T + MS(150) + 2 * tcp_srtt_ns(h->ep));
	ack(h, T + MS(160), 1, B, 1);                /* S(2) SACKed: no PTO */
	ck_assert(!timer_armed(&h->ep->rack.pto_timer));
	h_free(h);
	/* Capped at the RTO: SRTT 600 ms (the SYN's sample) and max_rto
	 * 1 s, so 2 SRTT = 1.2 s is past the RTO's deadline, and the PTO is
	 * what is left of it. */
	{
		struct tcp_cfg c2 = rack_cfg(true);
		struct harness *h2;
		uint64_t rto_at;

		c2.min_rto_ns = MS(200);
		c2.max_rto_ns = MS(1000);
		h = h2 = h_new(&c2, MTU, ISS);
		h_established_client(h, &PEER_SACK, MS(600));
		ck_assert_uint_eq(h_send(h, 2 * MSS), 2 * MSS);
		h_discard_tx(h);
		rto_at = h->ep->rexmt_timer.when_ns;
		ck_assert_uint_eq(rto_at, MS(1600));
		ck_assert_uint_eq(h->ep->rack.pto_timer.when_ns, rto_at);
		ck_assert_uint_eq(h->ep->rack.pto_flags, TCP_WHY_TLP_CAPPED);
		/* Both due at once: the probe goes, the RTO restarts behind it. */
		h_run_until(h, rto_at);
		ck_assert_uint_eq(tcp_stats(h->ep)->tlp_probes, 1);
		ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 0);
		h_expect_tx_mask(h, rto_at, SEND(.seq = S(SEG(1)), .len = MSS), HF_AT | HF_SEQ | HF_LEN);
		h_expect_no_tx(h);
		ck_assert_uint_eq(h->ep->rexmt_timer.when_ns, rto_at + tcp_rto_ns(h->ep));
		h_free(h);
	}
}
END_TEST

/*
 * §7.4: the ACK that covers TLP.end_seq. Two segments at T, S(1) probed at
 * T + 200 ms. Without a D-SACK the probe repaired a loss: ssthresh = cwnd
 * = max(FlightSize / 2, 2 SMSS) = 2920, once (a later ACK changes nothing
 * more); with a D-SACK of the probe both copies arrived: no reduction.
 */
START_TEST(test_tlp_response)
{
	for (int spurious = 0; spurious < 2; spurious++) {
		struct tcp_cfg cfg = rack_cfg(true);
		struct harness *h = client(&cfg);
		static const struct blk D[] = { { 1, 2 } };

		ck_assert_uint_eq(h_send(h, 2 * MSS), 2 * MSS);
		h_run_until(h, T + MS(200));
		h_discard_tx(h);
		ck_assert_uint_eq(tcp_stats(h->ep)->tlp_probes, 1);
		ck_assert_uint_eq(h->ep->rack.tlp_flight, 2 * MSS);
		ack(h, T + MS(300), 2, D, spurious);
		if (spurious) {
			ck_assert_uint_eq(tcp_stats(h->ep)->tlp_spurious, 1);
			ck_assert_uint_eq(tcp_stats(h->ep)->tlp_recoveries, 0);
			ck_assert_uint_eq(tcp_ssthresh(h->ep), CC_SSTHRESH_INFINITE);
			ck_assert_uint_eq(tcp_cwnd(h->ep), 10 * MSS + MSS);   /* slow start */
		} else {
			ck_assert_uint_eq(tcp_stats(h->ep)->tlp_recoveries, 1);
			ck_assert_uint_eq(tcp_stats(h->ep)->tlp_spurious, 0);
			ck_assert_uint_eq(tcp_ssthresh(h->ep), 2 * MSS);
			ck_assert_uint_eq(tcp_cwnd(h->ep), 2 * MSS);
		}
		ck_assert(!h->ep->rack.tlp_set);
		/* Once: the next ACK (a duplicate, new data sent meanwhile) changes nothing. */
		ck_assert_uint_eq(h_send(h, MSS), MSS);
		h_discard_tx(h);
		ack(h, T + MS(310), 2, NULL, 0);
		ck_assert_uint_eq(tcp_stats(h->ep)->tlp_recoveries, !spurious);
		ck_assert_uint_eq(tcp_ssthresh(h->ep),
				  spurious ? CC_SSTHRESH_INFINITE : (uint64_t)2 * MSS);
		h_free(h);
	}
}
END_TEST

/* Without SACK on the connection, rack and tlp do nothing (tcp_rack_on). */
START_TEST(test_off_without_sack)
{
	struct tcp_cfg cfg = rack_cfg(true);
	struct h_peer peer = PEER_SACK;
	struct harness *h = h_new(&cfg, MTU, ISS);

	peer.sack = false;
	h_established_client(h, &peer, T);
	ck_assert(!tcp_rack_on(h->ep));
	ck_assert(!tcp_tlp_on(h->ep));
	ck_assert_uint_eq(h_send(h, 2 * MSS), 2 * MSS);
	h_discard_tx(h);
	ck_assert(!timer_armed(&h->ep->rack.pto_timer));
	h_run_until(h, T + MS(999));
	h_expect_no_tx(h);
	h_run_until(h, T + MS(1000));
	ck_assert_uint_eq(tcp_stats(h->ep)->rto_timeouts, 1);
	h_free(h);
}
END_TEST

static Suite *rack_suite(void)
{
	Suite *s = suite_create("rack");
	TCase *tc;

	tc = tcase_create("rack");
	tcase_add_loop_test(tc, test_mark_at_deadline, 0, NELEM(MARKS));
	tcase_add_test(tc, test_dupthresh_in_reo_wnd);
	tcase_add_test(tc, test_two_lost);
	tcase_add_test(tc, test_lost_retransmission);
	tcase_add_test(tc, test_recovery_keeps_resent_head);
	tcase_add_test(tc, test_rto_recovery_judged);
	tcase_add_test(tc, test_pipe_kept_as_the_board_changes);
	tcase_add_test(tc, test_pipe_kept_through_probe_and_renege);
	tcase_add_test(tc, test_sacked_runs);
	tcase_add_test(tc, test_sent_after_stretch);
	tcase_add_test(tc, test_sent_after_stretch_rto);
	tcase_add_test(tc, test_ts_echo_sent_once);
	tcase_add_test(tc, test_reo_wnd_dsack);
	tcase_add_test(tc, test_reordering_seen);
	suite_add_tcase(s, tc);

	tc = tcase_create("tlp");
	tcase_add_loop_test(tc, test_pto, 0, NELEM(PTOS));
	tcase_add_test(tc, test_pto_rearm);
	tcase_add_test(tc, test_tlp_response);
	tcase_add_test(tc, test_off_without_sack);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rack_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
