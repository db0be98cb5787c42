/*
 * tcp_rack.c: RACK-TLP loss detection (RFC 8985), laid on the SACK
 * scoreboard of tcp_sack.c.
 *
 * RACK (§6): a segment is lost once a segment sent at least
 * RACK.rtt + RACK.reo_wnd after it has been delivered (SACKed or
 * cumulatively acknowledged); the reordering window reo_wnd is a quarter
 * of the minimum RTT, 0 before any reordering has been seen while in
 * recovery or once DupThresh segments are SACKed, and grows with D-SACK.
 * TLP (§7): when new data leaves and nothing is SACKed, a probe timeout
 * (PTO, about 2 SRTT) is armed; when it fires, one segment (new data, or
 * the last one again) goes out so that a lost tail brings SACK feedback
 * instead of a retransmission timeout.
 *
 * What RACK replaces and what stays (RFC 8985 §6.2, §9.3): with rack on,
 * the scoreboard's lost marks come from RACK alone; RFC 6675's IsLost()
 * (DupThresh SACKed segments above) no longer marks anything and no longer
 * starts recovery: a RACK mark does (§6.2 "enter fast recovery ... when
 * RACK detects a loss"). DupThresh survives only where RFC 8985 itself
 * keeps it, in step 4 (reo_wnd is 0 while RACK.segs_sacked >= DupThresh
 * and no reordering was seen). The scoreboard, SetPipe(), NextSeg() (its
 * rule 1 taking RACK's marks, at any height), RFC 6675 §5's RecoveryPoint,
 * limited transmit by pipe, PRR and the §5.1 timeout all stay as they are.
 *
 * Retransmissions (§6.2): a segment marked lost and resent is judged again
 * by its retransmission's send time, so a lost retransmission is found one
 * RACK.rtt + reo_wnd after it left, as the original was, and is resent
 * from the scoreboard's own marks (a record's rexmit flag: resent and not
 * found lost since), wherever it lies; pipe counts a retransmission in
 * flight by the same flag rather than by HighRxt. After a timeout every
 * unSACKed segment counts as lost (RFC 6675 §5.1 as tcp_sack.c does it, a
 * superset of RFC 8985 §6.3's RACK_mark_losses_on_RTO()) and is resent in
 * order; one whose retransmission RACK finds lost then is resent before
 * the next in order.
 *
 * Callers: tcp_sack_on_ack (tcp_rack_on_delivered before the scoreboard
 * forgets what the ACK covers, tcp_rack_detect after it is updated),
 * tcp_sack.c's choice of a retransmission (tcp_rack_cause), tcp_sack_on_rto
 * (tcp_rack_on_rto), tcp_output_plan (tcp_tlp_on_send), process_ack
 * (tcp_tlp_on_ack), rexmt_fire (tcp_tlp_preempts_rto).
 */
#include "tcp_var.h"

#include <string.h>

/* RFC 8985 §7.2: WCDelAckT, the worst-case delayed-ACK time, 200 ms. */
#define TLP_WCDELACKT_NS (200 * NS_PER_MS)
/* RFC 8985 §7.2: the PTO when no RTT sample has been taken. */
#define TLP_NO_RTT_PTO_NS (1000 * NS_PER_MS)
/* RFC 8985 §6.2 step 4: D-SACK-free recoveries before reo_wnd_mult resets. */
#define RACK_REO_WND_PERSIST 16

static void reo_fire(struct sim_timer *t, uint64_t now_ns);
static void pto_fire(struct sim_timer *t, uint64_t now_ns);

bool tcp_rack_on(const struct tcp_ep *ep)
{
	/* Without SACK there is no scoreboard with per-segment times: RACK
	 * is off on such a connection (the loader refuses rack without sack;
	 * a peer that does not offer SACK leaves it off, docs/scenarios.md). */
	return ep->cfg.rack && ep->sack_ok;
}

bool tcp_tlp_on(const struct tcp_ep *ep)
{
	return ep->cfg.tlp && tcp_rack_on(ep);
}

void tcp_rack_init(struct tcp_ep *ep)
{
	memset(&ep->rack, 0, sizeof(ep->rack));
	ep->rack.reo_wnd_mult = 1;
	timer_init(&ep->rack.reo_timer, reo_fire);
	timer_init(&ep->rack.pto_timer, pto_fire);
}

void tcp_rack_timers_stop(struct tcp_ep *ep)
{
	engine_cancel(ep->eng, &ep->rack.reo_timer);
	engine_cancel(ep->eng, &ep->rack.pto_timer);
}

static struct sack_rec *rec(const struct tcp_ep *ep, uint32_t i)
{
	return &ep->sb.rec[(ep->sb.head + i) & (ep->sb.cap - 1)];
}

/* RFC 8985 §6.2: RACK_sent_after(t1, seq1, t2, seq2). */
static bool sent_after(uint64_t t1, uint64_t seq1, uint64_t t2, uint64_t seq2)
{
	return t1 > t2 || (t1 == t2 && seq1 > seq2);
}

/* The first SACK block is a D-SACK (RFC 2883 §4), as sb_update reads it. */
static bool has_dsack(const struct tcp_seg *seg)
{
	const struct tcp_opts *o = &seg->opt;

	if (o->nsack == 0)
		return false;
	return seq_lt(o->sack[0].left, seg->ack) ||
	       (o->nsack > 1 && seq_geq(o->sack[0].left, o->sack[1].left) &&
		seq_leq(o->sack[0].right, o->sack[1].right));
}

/*
 * RFC 8985 §6.2 "retransmitted" filter of step 2: an ACK that may be for
 * the original transmission rather than the retransmission gives no RTT.
 * With timestamps, TSecr older than the retransmission says so; without,
 * an RTT below RACK.min_RTT.
 */
static bool ambiguous(const struct tcp_ep *ep, const struct tcp_seg *seg,
		      const struct sack_rec *r, uint64_t rtt)
{
	if (r->xmits <= 1)
		return false;
	if (ep->ts_ok && seg->opt.has_ts &&
	    seq_lt(seg->opt.ts_ecr, tcp_ts_clock(&ep->cfg, r->xmit_ns)))
		return true;
	return ep->rack.min_rtt_ns == 0 || rtt < ep->rack.min_rtt_ns;
}

/*
 * Steps 1 to 3 of RFC 8985 §6.2 for one ACK, before the scoreboard drops
 * what the ACK covers (process_ack has moved SND.UNA already).
 *
 * Step 1, RACK.min_RTT: the simple global minimum the RFC allows, of the
 * RTTs of segments sent once (Karn: the only unambiguous ones).
 * Step 2, RACK_update(): of the segments newly delivered, in ascending
 * order of send time, each unambiguous one sets RACK.rtt, and the latest
 * sent (ties: the higher end) becomes RACK.xmit_ts / RACK.end_seq; so
 * RACK.rtt ends as the RTT of the latest sent of them.
 * Step 3, RACK_detect_reordering(): a segment sent once and delivered
 * below RACK.fack arrived out of order. In ascending order of end, the
 * segments of one ACK only raise RACK.fack above each other, so "below
 * RACK.fack" means below its value before the ACK.
 */
/* Steps 1 and 3 for one record this ACK delivers; fack is RACK.fack before the ACK. */
static void note_delivered(struct tcp_ep *ep, const struct sack_rec *r, uint64_t fack,
			   uint64_t now)
{
	struct rack_state *k = &ep->rack;

	if (r->xmits != 1)
		return;
	if (k->min_rtt_ns == 0 || now - r->xmit_ns < k->min_rtt_ns)
		k->min_rtt_ns = now - r->xmit_ns;                           /* step 1 */
	if (r->end < fack)
		k->reordering_seen = true;                                  /* step 3 */
}

/* Step 3's RACK.fack and step 2's choice of the latest sent, for one record. */
static void best_delivered(struct tcp_ep *ep, const struct tcp_seg *seg, const struct sack_rec *r,
			   uint64_t now, bool *best, uint64_t *best_xmit, uint64_t *best_end)
{
	struct rack_state *k = &ep->rack;

	if (r->end > k->fack)
		k->fack = r->end;                                           /* step 3 */
	if (ambiguous(ep, seg, r, now - r->xmit_ns))
		return;
	if (!*best || sent_after(r->xmit_ns, r->end, *best_xmit, *best_end)) {
		*best = true;
		*best_xmit = r->xmit_ns;
		*best_end = r->end;
	}
}

/*
 * The records this ACK newly delivers, not SACKed before and now
 * acknowledged: cumulatively (they end at or below the new SND.UNA) or
 * selectively (a non-D-SACK block, one sb_update takes, covers part of
 * them). They are visited by where they lie: those below SND.UNA, the
 * board's first, then those that meet each SACK block, found by binary search in the board, which
 * is in order of offset. A record that meets two blocks is visited twice;
 * what the visit does (a minimum, a maximum, a flag, the latest by
 * RACK_sent_after) does not depend on the order or the repetition.
 */
static void visit_delivered(struct tcp_ep *ep, const struct tcp_seg *seg, uint64_t una, int pass,
			    uint64_t fack, uint64_t now, bool *best, uint64_t *best_xmit,
			    uint64_t *best_end)
{
	const struct tcp_opts *o = &seg->opt;
	uint32_t i;

	for (i = tcp_sack_unsacked_from(&ep->sb, 0); i < ep->sb.n && rec(ep, i)->end <= una;
	     i = tcp_sack_unsacked_from(&ep->sb, i + 1)) {
		const struct sack_rec *r = rec(ep, i);
		if (pass == 1)
			note_delivered(ep, r, fack, now);
		else
			best_delivered(ep, seg, r, now, best, best_xmit, best_end);
	}
	for (unsigned k = has_dsack(seg) ? 1 : 0; k < o->nsack; k++) {
		uint32_t l = o->sack[k].left, rt = o->sack[k].right;
		uint64_t lo, hi;

		if (!seq_lt(l, rt) || seq_lt(l, ep->snd_una) || seq_gt(rt, ep->snd_max))
			continue;    /* sb_update ignores it too */
		lo = tcp_off_of_snd(ep, l);
		hi = tcp_off_of_snd(ep, rt);
		for (i = tcp_sack_unsacked_from(&ep->sb, tcp_sack_find(&ep->sb, lo));
		     i < ep->sb.n && rec(ep, i)->start < hi; i = tcp_sack_unsacked_from(&ep->sb, i + 1)) {
			const struct sack_rec *r = rec(ep, i);
			if (r->end <= una)
				continue;    /* (below SND.UNA: visited above) */
			if (pass == 1)
				note_delivered(ep, r, fack, now);
			else
				best_delivered(ep, seg, r, now, best, best_xmit, best_end);
		}
	}
}

void tcp_rack_on_delivered(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	struct rack_state *k = &ep->rack;
	uint64_t now = engine_now(ep->eng);
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una);
	uint64_t fack = k->fack, best_xmit = 0, best_end = 0;
	bool best = false;

	if (!tcp_rack_on(ep))
		return;
	/* Steps 1 and 3 (min_RTT, reordering) see RACK.fack as it was. */
	visit_delivered(ep, seg, una, 1, fack, now, NULL, NULL, NULL);
	visit_delivered(ep, seg, una, 2, fack, now, &best, &best_xmit, &best_end);
	if (!best)
		return;
	k->rtt_ns = now - best_xmit;                                    /* step 2 */
	if (!k->have || sent_after(best_xmit, best_end, k->xmit_ns, k->end)) {
		k->have = true;
		k->xmit_ns = best_xmit;
		k->end = best_end;
	}
	if (k->reordering_seen)
		ep->stats.rack_reordering_seen = 1;
}

/* Whether RACK.segs_sacked is at least m: none are while no byte is SACKed. */
static bool segs_sacked_reach(const struct tcp_ep *ep, uint32_t m)
{
	uint32_t n = 0;

	if (ep->sb.sacked_bytes == 0)
		return m == 0;
	for (uint32_t i = 0; i < ep->sb.n && n < m; i++)
		n += rec(ep, i)->sacked;
	return n >= m;
}

/*
 * RFC 8985 §6.2 step 4, the value RACK_update_reo_wnd() returns: 0 when no
 * reordering has been seen and the sender is in recovery (fast or RTO) or
 * DupThresh segments are SACKed; else reo_wnd_mult * min_RTT / 4, at most
 * SRTT (before any RTT, SRTT; before that, 0).
 */
static uint64_t reo_wnd(const struct tcp_ep *ep, bool in_recovery)
{
	const struct rack_state *k = &ep->rack;
	uint64_t w, srtt = ep->rtt.have_sample ? ep->rtt.srtt_ns : 0;

	if (!k->reordering_seen && (in_recovery || segs_sacked_reach(ep, DUPTHRESH)))
		return 0;
	if (k->min_rtt_ns == 0)
		return srtt;
	w = (uint64_t)k->reo_wnd_mult * k->min_rtt_ns / 4;
	return ep->rtt.have_sample && w > srtt ? srtt : w;
}

/* The runs of one walk: records not SACKed, each sent after RACK.xmit_ts
 * and no earlier than the one before, one after another but for SACKed
 * ones between (a struct sack_after each); the longest are kept. */
struct after_runs {
	struct sack_after cur, best[SACK_AFTER_STRETCHES];
};

/* Any other record closes the current run. */
static void run_end(struct after_runs *w)
{
	struct sack_after a = w->cur;

	w->cur.records = 0;
	for (unsigned k = 0; k < SACK_AFTER_STRETCHES && a.records; k++) {
		if (a.records > w->best[k].records) {
			struct sack_after t = w->best[k];
			w->best[k] = a;
			a = t;
		}
	}
}

/* [start, end) of so many records, sent from first_ns to last_ns, after
 * the current run: one sent earlier than the run's last begins a new one. */
static void run_add(struct after_runs *w, uint64_t start, uint64_t end, uint64_t first_ns,
		    uint64_t last_ns, uint32_t records)
{
	struct sack_after *a = &w->cur;

	if (a->records && first_ns < a->last_ns)
		run_end(w);
	if (a->records == 0)
		a->from = start;
	a->to = end;
	a->last_ns = last_ns;
	a->records += records;
}

/* The stretch of the board that holds offset start, or NULL. */
static const struct sack_after *stretch_at(const struct sack_board *b, uint64_t start)
{
	for (unsigned k = 0; k < SACK_AFTER_STRETCHES; k++)
		if (sack_after_holds(&b->after[k], start))
			return &b->after[k];
	return NULL;
}

/*
 * RFC 8985 §6.2 step 5, RACK_detect_loss(): every segment not yet
 * delivered that was sent before RACK.xmit_ts (the RACK_sent_after order)
 * is lost once xmit_ts + RACK.rtt + reo_wnd <= now; the others will be at
 * that instant, and the reordering timer is armed for the latest of those
 * deadlines (the RFC's "timeout = max(remaining, timeout)"). A segment
 * already lost and not yet resent is passed over (the RFC's
 * "Segment.xmit_ts = INFINITE_TS"); one resent is judged by its
 * retransmission's time, so that a lost retransmission is found as the
 * original was (§6.2 "RACK ... can detect the loss of a retransmission"),
 * in fast recovery and in RTO recovery alike (tcp_sack.c's
 * choose_after_rto resends such a segment before going on in order).
 * Returns whether a segment is lost and waits to be resent.
 */
static bool detect_loss(struct tcp_ep *ep)
{
	struct rack_state *k = &ep->rack;
	struct sack_board *b = &ep->sb;
	uint64_t now = engine_now(ep->eng), timeout = 0, newly = 0, again = 0;
	struct after_runs w;
	const struct sack_after *st;
	bool any = false;

	memset(&w, 0, sizeof(w));
	if (k->reo_wnd_ns > ep->stats.rack_reo_wnd_max_ns)
		ep->stats.rack_reo_wnd_max_ns = k->reo_wnd_ns;
	for (uint32_t i = tcp_sack_unsacked_from(b, 0); k->have && i < b->n;
	     i = tcp_sack_unsacked_from(b, i + 1)) {
		struct sack_rec *r = rec(ep, i);
		uint64_t deadline;
		uint32_t j;

		if (r->lost && !r->rexmit) {
			run_end(&w);
			any = true;
			continue;
		}
		if (!sent_after(k->xmit_ns, k->end, r->xmit_ns, r->end)) {
			/* Sent after RACK.xmit_ts. From high_marked on, records
			 * were sent once, in order, and never marked lost: every
			 * one after this is sent later still, and passed over. */
			if (r->start >= b->high_marked)
				break;
			/* The records resent in the last round trip, passed over
			 * on every ACK of a recovery: in the stretch found
			 * before, every one after this was sent later still. */
			if ((st = stretch_at(b, r->start)) != NULL &&
			    (j = tcp_sack_find(b, st->to)) > i + 1) {
				run_add(&w, r->start, st->to, r->xmit_ns, st->last_ns, st->records);
				i = j - 1;
			} else {
				run_add(&w, r->start, r->end, r->xmit_ns, r->xmit_ns, 1);
			}
			continue;
		}
		run_end(&w);
		deadline = r->xmit_ns + k->rtt_ns + k->reo_wnd_ns;
		if (deadline <= now) {
			again += r->rexmit;
			tcp_sack_rec_lost(&ep->sb, r);
			newly++;
			any = true;
		} else if (deadline - now > timeout) {
			timeout = deadline - now;
		}
	}
	run_end(&w);
	for (unsigned j = 0; j < SACK_AFTER_STRETCHES; j++) {
		b->after[j] = w.best[j];
		if (w.best[j].records < 2)
			b->after[j].to = b->after[j].from;      /* not worth one */
	}
	if (timeout)
		engine_arm(ep->eng, &k->reo_timer, now + timeout);
	else
		engine_cancel(ep->eng, &k->reo_timer);
	if (newly) {
		ep->stats.rack_losses_marked += newly;
		ep->stats.rack_lost_retransmits += again;
		tcp_trace(ep, TCP_TR_RACK_LOST);
	}
	return any;
}

/*
 * Steps 4 and 5 for one ACK, once the scoreboard holds it. Step 4's
 * D-SACK rounds: a D-SACK while no round is open opens one (until SND.UNA
 * passes SND.NXT of now) and widens reo_wnd by one more min_RTT / 4, for
 * the next 16 recoveries; a recovery that ends with no round open counts
 * one of them down, and the last resets the multiplier to 1. Returns
 * whether the scoreboard holds a segment marked lost.
 */
bool tcp_rack_detect(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	struct rack_state *k = &ep->rack;
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una);
	bool exit_fast = ep->in_recovery && una >= ep->sb.recovery_point;
	bool exit_rto = k->was_in_loss && !ep->in_loss;

	if (!tcp_rack_on(ep))
		return false;
	k->was_in_loss = ep->in_loss;
	if (k->dsack_round_set && una >= k->dsack_round)
		k->dsack_round_set = false;
	if (!k->dsack_round_set && has_dsack(seg)) {
		k->dsack_round_set = true;
		k->dsack_round = tcp_off_of_snd(ep, ep->snd_max);
		k->reo_wnd_mult++;
		k->reo_wnd_persist = RACK_REO_WND_PERSIST;
		ep->stats.rack_dsack_rounds++;
	} else if (exit_fast || exit_rto) {
		if (--k->reo_wnd_persist <= 0)
			k->reo_wnd_mult = 1;
	}
	k->reo_wnd_ns = reo_wnd(ep, (ep->in_recovery && !exit_fast) || ep->in_loss);
	return detect_loss(ep);
}

/*
 * The reordering timer expired (RFC 8985 §6.2 step 5,
 * RACK_detect_loss_and_arm_timer): the segments whose deadline has passed
 * are lost now; outside recovery that starts it (§6.2), in recovery
 * NextSeg may send them as PRR allows.
 */
static void reo_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct tcp_ep *ep = container_of(t, struct tcp_ep, rack.reo_timer);
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una);

	(void)now_ns;
	ep->stats.rack_timer_fires++;
	tcp_trace(ep, TCP_TR_RACK_TIMER);
	ep->rack.reo_wnd_ns = reo_wnd(ep, ep->in_recovery || ep->in_loss);
	if (!detect_loss(ep))
		return;
	if (!ep->in_recovery && !ep->in_loss && una >= ep->sb.recovery_point)
		tcp_sack_enter_recovery(ep, 0);
	else
		tcp_sack_set_pipe(ep);
	tcp_output(ep);
	ep->cause.set = false;
}

/*
 * The reason for the retransmission of the segment at start, when RACK
 * marked it lost: how long before the last delivered segment it was (re)sent,
 * and the reordering window. It is a fast retransmit (counted in
 * fast_retransmits, and so annotated) when it is the first unacknowledged
 * segment and two or more duplicate ACKs in a row (RFC 5681 §2) have asked
 * for it, on an ACK or by the reordering timer: the first copy or one sent
 * again after a lost retransmission. A recovery that RACK's clock began
 * with fewer duplicate ACKs has none, as Wireshark sees it too.
 */
bool tcp_rack_cause(struct tcp_ep *ep, uint64_t start)
{
	const struct rack_state *k = &ep->rack;

	if (!tcp_rack_on(ep))
		return false;
	for (uint32_t i = 0; i < ep->sb.n; i++) {
		const struct sack_rec *r = rec(ep, i);
		bool fast, again;

		if (r->end <= start)
			continue;
		if (r->start > start || !r->lost)
			return false;
		fast = r->start == tcp_off_of_snd(ep, ep->snd_una) && ep->dupacks >= 2;
		again = r->xmits > 1;
		tcp_set_cause(ep, fast ? (again ? TCP_WHY_RACK_FAST_AGAIN : TCP_WHY_RACK_FAST_RETRANSMIT) :
				  again ? TCP_WHY_RACK_LOST_AGAIN : TCP_WHY_RACK_LOST,
			      k->xmit_ns > r->xmit_ns ? k->xmit_ns - r->xmit_ns : 0, k->reo_wnd_ns);
		ep->stats.rack_retransmits++;
		ep->stats.fast_retransmits += fast;
		return true;
	}
	return false;
}

/* A timeout: RTO recovery; the reordering timer and any probe stop, the
 * TLP episode ends (RFC 8985 §7.3: the RTO follows a probe that failed). */
void tcp_rack_on_rto(struct tcp_ep *ep)
{
	struct rack_state *k = &ep->rack;

	if (!tcp_rack_on(ep))
		return;
	k->was_in_loss = true;
	k->tlp_set = false;
	tcp_rack_timers_stop(ep);
}

/* ===================================================================== TLP */

/* Outstanding segments: the scoreboard's records. */
static bool one_segment(const struct tcp_ep *ep)
{
	return ep->sb.n == 1;
}

/*
 * RFC 8985 §7.2 TLP_calc_PTO(): 2 SRTT, plus WCDelAckT when one segment
 * is in flight (its ACK may be delayed); 1 s without an RTT sample; never
 * later than the retransmission timer would fire.
 */
uint64_t tcp_tlp_pto(const struct tcp_ep *ep, unsigned *flags)
{
	uint64_t now = engine_now(ep->eng), pto;

	*flags = 0;
	if (ep->rtt.have_sample) {
		pto = 2 * ep->rtt.srtt_ns;
		if (one_segment(ep)) {
			pto += TLP_WCDELACKT_NS;
			*flags |= TCP_WHY_TLP_DELACK;
		}
	} else {
		pto = TLP_NO_RTT_PTO_NS;
		*flags |= TCP_WHY_TLP_NO_RTT;
	}
	if (timer_armed(&ep->rexmt_timer) && now + pto > ep->rexmt_timer.when_ns) {
		pto = ep->rexmt_timer.when_ns - now;
		*flags |= TCP_WHY_TLP_CAPPED;
	}
	return pto;
}

/*
 * RFC 8985 §7.2: a PTO only while SACK is in use, nothing is SACKed, the
 * sender is in neither fast nor RTO recovery, no probe is outstanding, and
 * something is in flight.
 */
static bool pto_allowed(const struct tcp_ep *ep)
{
	return tcp_tlp_on(ep) && !ep->in_recovery && !ep->in_loss && ep->sb.sacked_bytes == 0 &&
	       !ep->rack.tlp_set && ep->snd_una != ep->snd_max && TCPS_HAVE_ESTABLISHED(ep->state) &&
	       ep->state != TCPS_TIME_WAIT;
}

static void pto_arm(struct tcp_ep *ep)
{
	struct rack_state *k = &ep->rack;

	if (!pto_allowed(ep)) {
		engine_cancel(ep->eng, &k->pto_timer);
		return;
	}
	k->pto_ns = tcp_tlp_pto(ep, &k->pto_flags);
	engine_arm(ep->eng, &k->pto_timer, engine_now(ep->eng) + k->pto_ns);
}

/* §7.2: "after transmitting new data (that was not itself a loss probe)". */
void tcp_tlp_on_send(struct tcp_ep *ep, const struct out_plan *p)
{
	if (!tcp_tlp_on(ep) || ep->rack.probing || p->rexmt || (p->len == 0 && !p->fin))
		return;
	pto_arm(ep);
}

/* Whether a D-SACK block of seg reports the probe (its end is TLP.end_seq). */
static bool dsack_of_probe(const struct tcp_ep *ep, const struct tcp_seg *seg)
{
	return has_dsack(seg) && tcp_off_of_snd(ep, seg->opt.sack[0].right) == ep->rack.tlp_end;
}

/*
 * RFC 8985 §7.4 TLP_process_ack(), then §7.2's restart of the PTO on an
 * ACK of new data. Once the ACK reaches TLP.end_seq: a probe of new data
 * needs nothing more; a D-SACK of the retransmitted probe says both copies
 * arrived (no loss, no reduction); otherwise the probe repaired the loss
 * of the last segment, and the congestion response is that of a loss
 * repaired within one round: ssthresh = cwnd = the algorithm's reduced
 * window for the flight the probe found (the cc's on_sack_recovery, the
 * reduction a recovery of PRR ends with, RFC 6937 §3). A recovery begun
 * since the probe ends the episode with its own reduction (enter_recovery).
 */
void tcp_tlp_on_ack(struct tcp_ep *ep, const struct tcp_seg *seg, uint32_t old_una)
{
	struct rack_state *k = &ep->rack;

	if (!tcp_tlp_on(ep))
		return;
	if (k->tlp_set && tcp_off_of_snd(ep, seg->ack) >= k->tlp_end) {
		k->tlp_set = false;
		if (!k->tlp_is_retrans) {
			/* the probe carried new data: delivered */
		} else if (dsack_of_probe(ep, seg)) {
			ep->stats.tlp_spurious++;
		} else {
			ep->stats.tlp_recoveries++;
			ep->cc.ops->on_sack_recovery(&ep->cc, k->tlp_flight);
			tcp_note_cwnd(ep);
			tcp_trace(ep, TCP_TR_TLP_RECOVERY);
		}
	}
	if (seq_gt(ep->snd_una, old_una) || !pto_allowed(ep))
		pto_arm(ep);
}

/* A retransmission of the last segment sent, at most SMSS (its FIN too). */
static void plan_last(struct tcp_ep *ep, struct out_plan *p)
{
	const struct sack_rec *r = rec(ep, ep->sb.n - 1);
	uint64_t data_end = ep->snd_off + ep->sbuf_len;
	uint64_t start = r->end - r->start > ep->smss ? r->end - ep->smss : r->start;

	memset(p, 0, sizeof(*p));
	p->seq = tcp_seq_of_off(ep, start);
	p->fin = ep->fin_queued && r->end > data_end;
	p->len = (r->end > data_end ? data_end : r->end) - start;
	p->avail = data_end > start ? data_end - start : 0;
	p->rexmt = true;
	p->keep_nxt = true;
}

/*
 * RFC 8985 §7.3 TLP_send_probe(): new data if some waits and the peer's
 * window takes it (cwnd does not limit a probe, nor Nagle), else the
 * highest segment sent again; TLP.end_seq = SND.NXT; the retransmission
 * timer restarts.
 */
static void send_probe(struct tcp_ep *ep)
{
	struct rack_state *k = &ep->rack;
	uint64_t outstanding = (uint32_t)(ep->snd_max - ep->snd_una);
	uint64_t room = ep->snd_wnd > outstanding ? ep->snd_wnd - outstanding : 0;
	uint64_t n = k->pto_flags;
	struct out_plan p;
	bool new_data;

	memset(&p, 0, sizeof(p));
	p.in_flight = outstanding;
	ep->force_output = true;         /* Nagle does not hold a probe back */
	new_data = ep->snd_nxt == ep->snd_max && room > 0 &&
		   tcp_output_new_data(ep, false, room, &p);
	ep->force_output = false;
	if (new_data) {
		n |= TCP_WHY_TLP_NEW;
		ep->stats.tlp_new_data_probes++;
	} else if (ep->sb.n > 0) {
		plan_last(ep, &p);
	} else {
		return;
	}
	k->tlp_flight = tcp_flight_bytes(ep);
	tcp_set_cause(ep, TCP_WHY_TLP, n, k->pto_ns);
	k->probing = true;
	tcp_output_plan(ep, &p);
	k->probing = false;
	ep->cause.set = false;
	k->tlp_set = true;
	k->tlp_is_retrans = !new_data;
	k->tlp_end = tcp_off_of_snd(ep, ep->snd_max);
	ep->stats.tlp_probes++;
	tcp_rexmt_arm(ep);
}

static void pto_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct tcp_ep *ep = container_of(t, struct tcp_ep, rack.pto_timer);

	(void)now_ns;
	if (!pto_allowed(ep))
		return;
	tcp_trace(ep, TCP_TR_PTO);
	send_probe(ep);
}

/*
 * The retransmission timer fires at the instant the PTO does (the PTO is
 * capped at it): the probe goes first, and the RTO restarts behind it, as
 * with one timer that the PTO replaces (RFC 8985 §7.2).
 */
bool tcp_tlp_preempts_rto(struct tcp_ep *ep)
{
	struct sim_timer *t = &ep->rack.pto_timer;

	if (!timer_armed(t) || t->when_ns > engine_now(ep->eng))
		return false;
	engine_cancel(ep->eng, t);
	pto_fire(t, engine_now(ep->eng));
	return ep->rack.tlp_set && timer_armed(&ep->rexmt_timer);
}
