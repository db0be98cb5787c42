/*
 * tcp_timer.c: the endpoint's timers, each an absolute deadline in the
 * engine (no periodic tick):
 *   retransmission  RFC 6298 §5 (and SYN retransmission, RFC 9293 §3.8.1)
 *   persist         RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17 (zero-window probes)
 *   TIME_WAIT       RFC 9293 §3.10.7.4, 2 MSL
 *   delayed ACK     RFC 1122 §4.2.3.2, RFC 5681 §4.2
 */
#include "tcp_var.h"

static void rexmt_fire(struct sim_timer *t, uint64_t now_ns);
static void persist_fire(struct sim_timer *t, uint64_t now_ns);
static void timewait_fire(struct sim_timer *t, uint64_t now_ns);
static void delack_fire(struct sim_timer *t, uint64_t now_ns);

void tcp_timers_init(struct tcp_ep *ep)
{
	timer_init(&ep->rexmt_timer, rexmt_fire);
	timer_init(&ep->persist_timer, persist_fire);
	timer_init(&ep->timewait_timer, timewait_fire);
	timer_init(&ep->delack_timer, delack_fire);
}

void tcp_timers_stop(struct tcp_ep *ep)
{
	engine_cancel(ep->eng, &ep->rexmt_timer);
	engine_cancel(ep->eng, &ep->persist_timer);
	engine_cancel(ep->eng, &ep->timewait_timer);
	engine_cancel(ep->eng, &ep->delack_timer);
	tcp_rack_timers_stop(ep);
}

/*
 * Linux's adaptive delayed ACK (delayed_ack_min > 0), after
 * tcp_event_data_recv() and tcp_send_delayed_ack() in its tcp_input.c and
 * tcp_output.c, modelled without the "ping-pong" (interactive) mode:
 *
 *  - the delay (ato) starts at delayed_ack_min with the first data;
 *  - each later in-order segment moves it by the gap m since the previous
 *    one: m <= min/2 gives ato/2 + min/2; m < ato gives ato/2 + m (at most
 *    the RTO); m > RTO restarts the quick-ACK allowance (TCP_MAX_QUICKACKS
 *    is quick_ack here, and the allowance is the free window over two
 *    segments, at least 2);
 *  - a timer that fires doubles ato (at most the RTO): the sender was slow;
 *  - the delay used is ato, above min bounded by 500 ms (HZ/2) and by the
 *    SRTT (when measured, at least min), and always by delayed_ack
 *    (TCP_DELACK_MAX, 200 ms in Linux).
 */
static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

void tcp_delack_on_data(struct tcp_ep *ep)
{
	uint64_t now = engine_now(ep->eng), min = ep->cfg.delayed_ack_min_ns;
	uint64_t rto = rtt_rto(&ep->rtt);

	if (min == 0)
		return;
	if (ep->ato_ns == 0) {
		ep->ato_ns = min;
	} else {
		uint64_t m = now - ep->lrcv_ns;

		if (m <= min / 2) {
			ep->ato_ns = ep->ato_ns / 2 + min / 2;
		} else if (m < ep->ato_ns) {
			ep->ato_ns = min_u64(ep->ato_ns / 2 + m, rto);
		} else if (m > rto) {
			/* tcp_incr_quickack(): the sender seems to restart after a
			 * long pause; ACK its first segments at once again. */
			uint64_t q = tcp_rcv_space(ep) / (2ull * ep->rcv_mss);

			q = min_u64(q < 2 ? 2 : q, ep->cfg.quick_ack);
			if (q > ep->quickack_left)
				ep->quickack_left = (uint32_t)q;
		}
	}
	ep->lrcv_ns = now;
}

static uint64_t delack_delay(const struct tcp_ep *ep)
{
	uint64_t min = ep->cfg.delayed_ack_min_ns, ato = ep->ato_ns;

	if (min == 0)
		return ep->cfg.delayed_ack_ns;
	if (ato > min) {
		uint64_t max_ato = 500 * NS_PER_MS;

		if (ep->rtt.have_sample)
			max_ato = min_u64(max_ato, ep->rtt.srtt_ns > min ? ep->rtt.srtt_ns : min);
		ato = min_u64(ato, max_ato);
	}
	return min_u64(ato, ep->cfg.delayed_ack_ns);
}

/*
 * An ACK is owed for in-order data but may wait (RFC 1122 §4.2.3.2): up to
 * delayed_ack after the first byte it covers, so that it can ride on the
 * application's answer or on the ACK of the next segment. The deadline is
 * set when the first unacknowledged segment arrives and is not pushed back
 * by later ones. Every segment that carries an ACK disarms it (emit()).
 * With the adaptive delay a later segment may bring the deadline forward,
 * and when the armed timer would fire within a quarter of the new delay the
 * ACK leaves at once (false), as tcp_send_delayed_ack() does.
 */
bool tcp_delack_schedule(struct tcp_ep *ep)
{
	uint64_t now = engine_now(ep->eng), d = delack_delay(ep);

	if (timer_armed(&ep->delack_timer)) {
		if (ep->cfg.delayed_ack_min_ns == 0)
			return true;                 /* the first segment's deadline stands */
		if (ep->delack_timer.when_ns <= now + d / 4)
			return false;                /* about to fire: ACK now */
		if (ep->delack_timer.when_ns <= now + d)
			return true;                 /* the earlier deadline stands */
	}
	ep->delack_delay_ns = d;
	engine_arm(ep->eng, &ep->delack_timer, now + d);
	return true;
}

void tcp_rexmt_arm(struct tcp_ep *ep)
{
	engine_arm(ep->eng, &ep->rexmt_timer, engine_now(ep->eng) + rtt_rto(&ep->rtt));
}

void tcp_rexmt_stop(struct tcp_ep *ep)
{
	engine_cancel(ep->eng, &ep->rexmt_timer);
}

void tcp_persist_arm(struct tcp_ep *ep)
{
	/* RFC 1122 §4.2.2.17: probe intervals grow exponentially; here the
	 * current RTO doubled per unanswered probe, at most max_rto. */
	uint64_t t = ep->rtt.base_rto_ns;

	for (uint32_t i = 0; i < ep->persist_shift && t < ep->cfg.max_rto_ns; i++)
		t *= 2;
	if (t > ep->cfg.max_rto_ns)
		t = ep->cfg.max_rto_ns;
	engine_arm(ep->eng, &ep->persist_timer, engine_now(ep->eng) + t);
}

static void rexmt_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct tcp_ep *ep = container_of(t, struct tcp_ep, rexmt_timer);

	(void)now_ns;
	if (ep->state == TCPS_SYN_SENT || ep->state == TCPS_SYN_RECEIVED) {
		if (ep->rexmt_count >= ep->cfg.syn_retries) {
			tcp_drop(ep, TCP_ERR_TIMEOUT);
			return;
		}
		ep->rexmt_count++;
		ep->stats.rto_timeouts++;
		tcp_set_cause(ep, TCP_WHY_SYN_RETRANSMIT, ep->rexmt_count, rtt_rto(&ep->rtt));
		rtt_backoff(&ep->rtt);          /* RFC 6298 (5.5) */
		tcp_send_syn(ep, true);         /* (5.4), and (5.6) re-arms */
		return;
	}
	if (tcp_tlp_preempts_rto(ep))
		return;    /* RFC 8985 §7.2: the PTO, due now too, replaces the RTO */
	if (ep->rexmt_count >= ep->cfg.max_retries) {
		/* RFC 9293 §3.8.3 R2: give up; abort the connection with a RST
		 * (at snd_max, as in tcp_abort). */
		tcp_set_cause(ep, TCP_WHY_RST_TIMEOUT, 0, 0);
		tcp_send_rst(ep, ep->snd_max, 0, false);
		tcp_drop(ep, TCP_ERR_TIMEOUT);
		return;
	}
	ep->rexmt_count++;
	ep->stats.rto_timeouts++;
	/* RFC 5681 §3.1 on a timeout: ssthresh (held on a repeat), cwnd = 1 SMSS. */
	ep->cc.ops->on_rto(&ep->cc, tcp_flight_bytes(ep), ep->rexmt_count > 1);
	tcp_ecn_reduced(ep, TCP_CWR_RTO);
	tcp_note_cwnd(ep);
	/* RFC 6298 (5.5): back off; (5.4) retransmit the earliest unacknowledged
	 * segment: go back to snd_una and resend from there as the window allows. */
	tcp_set_cause(ep, TCP_WHY_RTO_RETRANSMIT, ep->rexmt_count, rtt_rto(&ep->rtt));
	rtt_backoff(&ep->rtt);
	ep->snd_nxt = ep->snd_una;
	ep->rtt_timing = false;             /* Karn: nothing in flight may be timed */
	ep->dupacks = 0;
	ep->lt_bytes = 0;
	/* RFC 6582 §3.2 step 4 and §4: leave fast recovery, and remember what
	 * was outstanding so that duplicate ACKs for it start no new one. */
	ep->in_recovery = false;
	ep->in_loss = true;
	ep->recover = ep->snd_max;
	if (ep->sack_ok)
		tcp_sack_on_rto(ep);        /* RFC 6675 §5.1: the scoreboard stays */
	tcp_trace(ep, TCP_TR_RTO);
	tcp_output(ep);
	ep->cause.set = false;
	/* (5.6), unless the window is closed: then the persist timer, which
	 * tcp_output has armed, watches the connection (RFC 9293 §3.8.6.1: a
	 * peer that answers the probes may keep its window at 0 for ever). */
	if (!timer_armed(&ep->rexmt_timer) && !timer_armed(&ep->persist_timer) &&
	    ep->snd_una != ep->snd_max)
		tcp_rexmt_arm(ep);
}

static void persist_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct tcp_ep *ep = container_of(t, struct tcp_ep, persist_timer);

	(void)now_ns;
	if (ep->snd_wnd > 0) {
		/* A window too small for SWS avoidance: send into it anyway. */
		ep->persist_shift = 0;
		ep->force_output = true;
		tcp_output(ep);
		ep->force_output = false;
		return;
	}
	tcp_send_probe(ep);
	if (ep->persist_shift < 31)
		ep->persist_shift++;
	tcp_persist_arm(ep);
}

static void delack_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct tcp_ep *ep = container_of(t, struct tcp_ep, delack_timer);

	(void)now_ns;
	ep->stats.delayed_acks++;
	ep->ack_now = true;
	/* Adaptive delay: the timer fired, so the next segments come slowly
	 * (tcp_delack_timer_handler(): "delayed ACK missed: inflate ATO"). */
	if (ep->cfg.delayed_ack_min_ns)
		ep->ato_ns = min_u64(ep->ato_ns * 2, rtt_rto(&ep->rtt));
	tcp_set_cause(ep, TCP_WHY_ACK_DELAYED, 0, ep->delack_delay_ns);
	tcp_output(ep);     /* a pure ACK, or data that the ACK rides on */
	ep->cause.set = false;
}

static void timewait_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct tcp_ep *ep = container_of(t, struct tcp_ep, timewait_timer);

	(void)now_ns;
	tcp_drop(ep, TCP_ERR_NONE);
}
