/*
 * tcp_input.c: SEGMENT ARRIVES (RFC 9293 §3.10.7).
 *
 * Call chain: tcp_input() -> input_listen() | input_syn_sent() |
 * input_synchronized() -> { check_sequence, check_rst, process_ack,
 * process_text, accept_fin }. Events for the application are collected while
 * the segment is processed and delivered at the end, after one
 * tcp_output() has sent what the segment made due.
 */
#include "tcp_var.h"

#include <stdlib.h>
#include <string.h>

enum {
	EV_CONNECTED = 1 << TCP_EV_CONNECTED,
	EV_READABLE = 1 << TCP_EV_READABLE,
	EV_WRITABLE = 1 << TCP_EV_WRITABLE,
};

/* Space the segment occupies in sequence space: data, SYN and FIN. */
static uint32_t seg_space(const struct tcp_seg *seg)
{
	return seg->len + !!(seg->flags & TH_SYN) + !!(seg->flags & TH_FIN);
}

/* An ACK is owed at once, for this reason (the annotation of the ACK). */
static void ack_because(struct tcp_ep *ep, enum tcp_why_kind kind)
{
	ep->ack_now = true;
	tcp_set_cause(ep, kind, 0, 0);
}

static void reply_rst(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	struct tcp_seg rst;
	/* RFC 9293 §3.10.7: a reset in reply to a segment this state cannot take. */
	struct tcp_why why = { .kind = TCP_WHY_RST };

	if (!tcp_reset_for(seg, &rst))
		return;
	ep->stats.segments_sent++;
	ep->stats.resets_sent++;
	ep->hooks.output(ep->hooks.ctx, &rst, &why);
}

/*
 * RFC 9293 §3.7.1: Eff.snd.MSS = min(SendMSS + 20, MMS_S) - TCPhdrsize -
 * IPoptionsize, where SendMSS is the peer's MSS option (536 without one),
 * MMS_S is the largest IP payload our own MTU lets us send (mtu - 20), and
 * IPoptionsize is 0 (we send no IP options). RFC 6691 §2: the MSS option
 * counts no TCP options, so TCPhdrsize is 20 plus the options every data
 * segment carries: RFC 7323 timestamps, 12 bytes. Our own announced MSS
 * bounds SendMSS as well, so that "full-sized" means the same on both sides.
 *
 * A SendMSS below 48 bytes is taken as 48, as Linux does
 * (tcp_min_snd_mss, after CVE-2019-11479): room for the 40 bytes of options
 * and 8 of data. Without a floor, an MSS of 12 or less with timestamps
 * would leave no room for data at all and the connection would stall with
 * no timer armed. Linux ignores an option of 0 (and uses 536); here 0 is
 * one more absurd value and gets the same floor, so that a smaller
 * announcement never yields larger segments. The MTU bound is applied last:
 * no segment is ever larger than the link allows (mtu >= 68, RFC 791, leaves
 * at least 16 bytes of data beside timestamps).
 */
static uint32_t eff_snd_mss(const struct tcp_ep *ep, const struct tcp_seg *seg)
{
	uint32_t send_mss = seg->opt.has_mss ? seg->opt.mss : TCP_DEFAULT_MSS;
	uint32_t mms_s = ep->mtu - IP_HDR_LEN;
	uint32_t mss;

	if (send_mss > ep->rcv_mss)
		send_mss = ep->rcv_mss;
	if (send_mss < TCP_MIN_SND_MSS)
		send_mss = TCP_MIN_SND_MSS;
	mss = send_mss + TCP_HDR_LEN < mms_s ? send_mss + TCP_HDR_LEN : mms_s;
	return mss - TCP_HDR_LEN - (ep->ts_ok ? TCP_TS_OPT_LEN : 0);
}

/*
 * Options of a SYN (RFC 9293 §3.7.1 MSS; RFC 7323 §2.2 window scale and
 * §3.2 timestamps, each in use only when both SYNs carry it).
 */
static void take_syn_options(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	ep->wscale_ok = ep->cfg.window_scaling && seg->opt.has_wscale;
	if (ep->wscale_ok) {
		/* RFC 7323 §2.3: a shift above 14 is used as 14. */
		ep->snd_wscale = seg->opt.wscale > TCP_MAX_WSCALE ? TCP_MAX_WSCALE : seg->opt.wscale;
	} else {
		/* rcv_wscale stays what we would announce: a connection that
		 * returns to LISTEN offers it again to the next SYN. */
		ep->snd_wscale = 0;
	}
	ep->ts_ok = ep->cfg.timestamps && seg->opt.has_ts;
	/* RFC 2018 §2: SACK is used only when both sides offered it. */
	ep->sack_ok = ep->cfg.sack && seg->opt.sack_permitted;
	if (ep->ts_ok)
		tcp_ts_syn(ep, seg);

	tcp_ecn_take_syn(ep, seg);          /* RFC 3168 §6.1.1 */
	ep->smss = eff_snd_mss(ep, seg);
	cc_init(&ep->cc, ep->cfg.cc,
		ep->smss, ep->cfg.initial_cwnd);
	if (ep->cfg.abc_limit)
		ep->cc.abc_limit = ep->cfg.abc_limit;
	ep->cc.env = (struct cc_env){ .eng = ep->eng, .rtt = &ep->rtt, .track = &ep->rtt_track };
	ep->cc.hystart = ep->cfg.hystart;
	tcp_note_cwnd(ep);
}

/* The peer's window from a segment: never scaled on a SYN (RFC 7323 §2.2). */
static uint64_t seg_window(const struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (seg->flags & TH_SYN)
		return seg->wnd;
	return (uint64_t)seg->wnd << ep->snd_wscale;
}

static void set_send_window(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	ep->snd_wnd = seg_window(ep, seg);
	ep->snd_wl1 = seg->seq;
	ep->snd_wl2 = seg->ack;
	if (ep->snd_wnd > ep->max_snd_wnd)
		ep->max_snd_wnd = ep->snd_wnd;
}

/* RFC 9293 §3.10.7.2: LISTEN. */
static void input_listen(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (seg->flags & TH_RST)
		return;
	if (seg->flags & TH_ACK) {
		reply_rst(ep, seg);
		return;
	}
	if (!(seg->flags & TH_SYN))
		return;
	ep->remote_addr = seg->src_addr;
	ep->remote_port = seg->src_port;
	ep->irs = seg->seq;
	ep->rcv_nxt = seg->seq + 1;
	ep->rcv_adv = ep->rcv_nxt;
	ep->rx_nextseq = ep->rcv_nxt;
	take_syn_options(ep, seg);
	set_send_window(ep, seg);
	tcp_set_state(ep, TCPS_SYN_RECEIVED);
	tcp_send_syn(ep, false);
}

/* RFC 9293 §3.10.7.3: SYN-SENT. */
static unsigned input_syn_sent(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	bool ack_ok = false;

	if (seg->flags & TH_ACK) {
		if (seq_leq(seg->ack, ep->iss) || seq_gt(seg->ack, ep->snd_max)) {
			if (!(seg->flags & TH_RST))
				reply_rst(ep, seg);
			return 0;
		}
		ack_ok = seq_lt(ep->snd_una, seg->ack) && seq_leq(seg->ack, ep->snd_nxt);
	}
	if (seg->flags & TH_RST) {
		/* "If the ACK was acceptable, then signal to the user 'error:
		 * connection reset', drop the segment, enter CLOSED" - the
		 * familiar "connection refused". */
		if (ack_ok)
			tcp_drop(ep, TCP_ERR_REFUSED);
		return 0;
	}
	if (!(seg->flags & TH_SYN))
		return 0;

	ep->irs = seg->seq;
	ep->rcv_nxt = seg->seq + 1;
	ep->rcv_adv = ep->rcv_nxt;
	ep->rx_nextseq = ep->rcv_nxt;
	take_syn_options(ep, seg);
	if (!ack_ok) {
		/* Simultaneous open: SYN-RECEIVED, answer with a SYN-ACK. */
		set_send_window(ep, seg);
		tcp_set_state(ep, TCPS_SYN_RECEIVED);
		tcp_send_syn(ep, true);
		return 0;
	}
	/* RFC 7323 §4.1: with timestamps the SYN-ACK's TSecr times the SYN
	 * (tcp_ts.c); else the SYN is timed if it was sent once (Karn). */
	if (!tcp_ts_rtt(ep, seg, tcp_flight_bytes(ep)) && ep->rtt_timing &&
	    seq_geq(seg->ack, ep->rtt_seq)) {
		rtt_sample(&ep->rtt, engine_now(ep->eng) - ep->rtt_start_ns);
		ep->stats.rtt_samples++;
	}
	ep->rtt_timing = false;
	ep->snd_una = seg->ack;
	/* RFC 6298 (5.7): after a SYN timeout, data starts with RTO 3 s
	 * (the SYN's backoff does not carry over to data). */
	if (ep->rexmt_count > 0)
		rtt_syn_timeout_fallback(&ep->rtt);
	rtt_reset_backoff(&ep->rtt);
	ep->rexmt_count = 0;
	tcp_rexmt_stop(ep);
	set_send_window(ep, seg);
	tcp_set_state(ep, ep->fin_queued ? TCPS_FIN_WAIT_1 : TCPS_ESTABLISHED);
	ack_because(ep, TCP_WHY_ACK_HANDSHAKE);
	return EV_CONNECTED;
}

/*
 * RFC 9293 §3.10.7.4 "first, check sequence number". Returns false when the
 * segment must be dropped (after an ACK, if one is owed). On success *seg is
 * trimmed to the receive window.
 */
static bool check_sequence(struct tcp_ep *ep, struct tcp_seg *seg)
{
	uint32_t wnd = seq_gt(ep->rcv_adv, ep->rcv_nxt) ? ep->rcv_adv - ep->rcv_nxt : 0;
	uint32_t space = seg_space(seg);
	uint32_t nxt = ep->rcv_nxt;
	bool ok;

	if (space == 0)
		ok = wnd == 0 ? seg->seq == nxt : seq_in(seg->seq, nxt, nxt + wnd);
	else
		ok = wnd != 0 && (seq_in(seg->seq, nxt, nxt + wnd) ||
				  seq_in(seg->seq + space - 1, nxt, nxt + wnd));

	if (!ok && wnd == 0 && seg->seq == nxt) {
		/* "special allowance should be made to accept valid ACKs, URGs,
		 * and RSTs": keep the control part, drop the text. A FIN needs no
		 * buffer space and is kept when it comes with no data. */
		if (seg->len > 0) {
			seg->flags &= ~TH_FIN;
			seg->len = 0;
			ack_because(ep, TCP_WHY_ACK_PROBE);   /* tell the prober the window is still 0 */
		}
		return true;
	}
	if (!ok) {
		bool old = seg->len > 0 && seq_leq(seg->seq + space, nxt);
		if (!(seg->flags & TH_RST))   /* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> */
			ack_because(ep, old ? TCP_WHY_ACK_DUPLICATE_DATA : TCP_WHY_ACK_UNACCEPTABLE);
		if (old) {
			ep->stats.dup_segments_received++;   /* all of it came before */
			/* RFC 2883 §4: the duplicate is reported as a D-SACK block,
			 * if its data lies behind RCV.NXT in sequence space: a
			 * segment whose SYN or FIN ends 2^31 away from RCV.NXT
			 * counts as old (RFC 9293 §3.4's comparisons are undefined
			 * there), and its text may end just ahead of it. */
			if (ep->sack_ok && seg->len > 0 && seq_leq(seg->seq + seg->len, nxt))
				tcp_sack_rcv_dup(ep, seg->seq, seg->seq + seg->len);
		}
		return false;
	}

	/* Trim what lies before RCV.NXT (already received) ... */
	if (seq_lt(seg->seq, nxt)) {
		uint32_t dup = nxt - seg->seq;
		if (seg->flags & TH_SYN) {
			seg->flags &= ~TH_SYN;
			seg->seq++;
			dup--;
		}
		if (dup >= seg->len) {
			dup = seg->len;
		}
		if (ep->sack_ok && dup > 0)   /* RFC 2883 §4.1.3: the part received before */
			tcp_sack_rcv_dup(ep, seg->seq, seg->seq + dup);
		seg->payload += dup;
		seg->len -= dup;
		seg->seq += dup;
		/* a duplicate: tell the sender where we are */
		ack_because(ep, TCP_WHY_ACK_DUPLICATE_DATA);
	}
	/* ... and what lies beyond the window. */
	if (seq_gt(seg->seq + seg->len, nxt + wnd)) {
		seg->len = (nxt + wnd) - seg->seq;
		seg->flags &= ~TH_FIN;
		ep->ack_now = true;
	}
	return true;
}

/* Stream offset of receive sequence number seq (at or after rcv_nxt). */
static uint64_t rcv_off_of(const struct tcp_ep *ep, uint32_t seq)
{
	return ep->rcv_off + ep->rbuf_len + (uint32_t)(seq - ep->rcv_nxt);
}

uint32_t tcp_ooo_find(const struct tcp_ep *ep, uint64_t off)
{
	uint32_t lo = 0, hi = ep->nooo;

	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (ep->ooo[mid].end < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* Room for one more island: the array doubles. */
static void ooo_reserve(struct tcp_ep *ep)
{
	struct ooo_range *r;
	uint32_t cap;

	if (ep->nooo < ep->ooo_cap)
		return;
	cap = ep->ooo_cap ? 2 * ep->ooo_cap : 16;
	r = realloc(ep->ooo, (size_t)cap * sizeof(*r));
	if (!r)
		abort();
	ep->ooo = r;
	ep->ooo_cap = cap;
}

/* Adds [start, end) to the islands, merged with every island it overlaps
 * or touches. */
static void ooo_insert(struct tcp_ep *ep, uint64_t start, uint64_t end)
{
	uint32_t i = tcp_ooo_find(ep, start), j = i;

	while (j < ep->nooo && ep->ooo[j].start <= end) {
		if (ep->ooo[j].start < start)
			start = ep->ooo[j].start;
		if (ep->ooo[j].end > end)
			end = ep->ooo[j].end;
		j++;
	}
	if (j == i)
		ooo_reserve(ep);
	memmove(&ep->ooo[i + 1], &ep->ooo[j], (ep->nooo - j) * sizeof(ep->ooo[0]));
	ep->nooo = ep->nooo - (j - i) + 1;
	ep->ooo[i].start = start;
	ep->ooo[i].end = end;
}

static void accept_fin(struct tcp_ep *ep, unsigned *ev);

/* Whether [start, end) was already received beyond a hole. */
static bool ooo_covers(const struct tcp_ep *ep, uint64_t start, uint64_t end)
{
	uint32_t i = tcp_ooo_find(ep, end);

	return i < ep->nooo && ep->ooo[i].start <= start;
}

/*
 * When to ACK n bytes of in-order data (RFC 1122 §4.2.3.2, RFC 5681 §4.2):
 * at once while the quick-ACK allowance lasts (Linux's start of a
 * connection), when the segment fills all or part of a hole (filled), when
 * delayed ACK is off, or when at least two
 * full-sized segments are unacknowledged; otherwise within delayed_ack.
 * "Full-sized" is SMSS, which is the same on both sides: min of the two
 * announced MSS values, less the timestamp option.
 */
static void ack_in_order(struct tcp_ep *ep, uint64_t n, bool filled)
{
	ep->rcv_unacked += n;
	tcp_delack_on_data(ep);
	if (ep->quickack_left > 0) {
		ep->quickack_left--;
		ack_because(ep, TCP_WHY_ACK_QUICK);
	} else if (filled) {
		ack_because(ep, TCP_WHY_ACK_FILLS_HOLE);
	} else if (ep->cfg.delayed_ack_ns == 0) {
		ack_because(ep, TCP_WHY_ACK);
	} else if (ep->rcv_unacked >= 2ull * ep->smss) {
		ack_because(ep, TCP_WHY_ACK_SECOND);
	} else if (!tcp_delack_schedule(ep)) {
		ack_because(ep, TCP_WHY_ACK_DELAY_DUE);
	}
}

/* RFC 9293 §3.10.7.4 "seventh, process the segment text". */
static void process_text(struct tcp_ep *ep, const struct tcp_seg *seg, unsigned *ev)
{
	uint64_t start = rcv_off_of(ep, seg->seq);
	uint64_t end = start + seg->len;
	uint64_t limit = ep->rcv_off + ep->rbuf_cap;

	if (end > limit)
		end = limit;
	/*
	 * In order into an empty buffer, for a read waiting with no buffer of
	 * its own (a reader that only looks at what it takes) and room for it
	 * all: tcp_complete_read shows it the bytes where they are, later in
	 * this tcp_input, instead of copying them into the ring and out.
	 */
	if (seg->seq == ep->rcv_nxt && ep->rbuf_len == 0 && ep->nooo == 0 && ep->rd_waiting &&
	    !ep->rd_buf && ep->viewer && ep->rd_len >= end - start) {
		ep->rcv_direct = seg->payload;
	} else {
		for (uint64_t o = start; o < end;) {
			uint64_t pos = tcp_rbuf_pos(ep, o);
			uint64_t n = ep->rbuf_cap - pos < end - o ? ep->rbuf_cap - pos : end - o;
			memcpy(ep->rbuf + pos, seg->payload + (o - start), n);
			o += n;
		}
	}
	if (seg->seq != ep->rcv_nxt) {
		/* Out of order: hold it; the immediate ACK is a duplicate ACK
		 * (RFC 5681 §4.2). */
		bool dup = ooo_covers(ep, start, end);

		if (dup)
			ep->stats.dup_segments_received++;
		else
			ep->stats.ooo_segments_received++;
		ooo_insert(ep, start, end);
		if (ep->sack_ok)
			tcp_sack_rcv_arrival(ep, start, end, dup);
		ack_because(ep, TCP_WHY_ACK_OUT_OF_ORDER);
		return;
	}
	/* In order: advance, then swallow the islands it reaches. */
	{
		uint64_t edge = end;
		bool filled = ep->nooo > 0;
		uint32_t k = 0;

		while (k < ep->nooo && ep->ooo[k].start <= edge) {
			if (ep->ooo[k].end > edge)
				edge = ep->ooo[k].end;
			k++;
		}
		if (k > 0) {
			memmove(&ep->ooo[0], &ep->ooo[k], (ep->nooo - k) * sizeof(ep->ooo[0]));
			ep->nooo -= k;
		}
		ep->rcv_nxt += (uint32_t)(edge - start);
		ep->rbuf_len += edge - start;
		if (ep->sack_ok)
			tcp_sack_rcv_advanced(ep);
		ack_in_order(ep, edge - start, filled);
		*ev |= EV_READABLE;
		if (ep->ooo_fin && ep->rcv_off + ep->rbuf_len == ep->ooo_fin_off)
			accept_fin(ep, ev);
	}
}

/* RFC 9293 §3.10.7.4 "eighth, check the FIN bit", for a FIN now in order. */
static void accept_fin(struct tcp_ep *ep, unsigned *ev)
{
	ep->ooo_fin = false;
	ep->fin_rcvd = true;
	ep->rcv_nxt++;
	/* The stream ends at the FIN: what a peer sent beyond it is no data
	 * of this connection, and no longer held or reported in SACK blocks
	 * (RFC 2018 §4 reports data "in the receiver's queue"). */
	ep->nooo = 0;
	ep->nsack_recent = 0;
	ack_because(ep, TCP_WHY_ACK_FIN);
	*ev |= EV_READABLE;
	switch (ep->state) {
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
		tcp_set_state(ep, TCPS_CLOSE_WAIT);
		break;
	case TCPS_FIN_WAIT_1:
		/* Our FIN not yet acknowledged (else we would be in FIN-WAIT-2). */
		tcp_set_state(ep, TCPS_CLOSING);
		break;
	case TCPS_FIN_WAIT_2:
		tcp_enter_time_wait(ep);
		break;
	default:
		break;
	}
}

/* RFC 9293 §3.10.7.4 "second, check the RST bit" (with RFC 5961 §3.2). */
static void check_rst(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (seg->seq != ep->rcv_nxt) {
		/* In the window but not exact: a challenge ACK, RFC 5961 §3.2. */
		ep->ack_now = true;
		return;
	}
	switch (ep->state) {
	case TCPS_SYN_RECEIVED:
		if (ep->passive) {
			/* "return this connection to LISTEN state" */
			tcp_timers_stop(ep);
			ep->snd_una = ep->snd_nxt = ep->snd_max = ep->iss;
			ep->rtt_timing = false;
			ep->rexmt_count = 0;
			/* Nothing owed to this peer may reach the next one. In
			 * SYN-RECEIVED no text is taken (§3.10.7.4 "seventh"), so
			 * there are no islands, but the part of a segment below
			 * RCV.NXT may be waiting to be reported as a D-SACK
			 * (RFC 2883 §4). */
			ep->dsack_pending = false;
			tcp_set_state(ep, TCPS_LISTEN);
			return;
		}
		tcp_drop(ep, TCP_ERR_REFUSED);
		return;
	case TCPS_ESTABLISHED:
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSE_WAIT:
		tcp_drop(ep, TCP_ERR_RESET);
		return;
	default:
		/* CLOSING, LAST-ACK, TIME-WAIT: enter CLOSED quietly. */
		tcp_drop(ep, TCP_ERR_NONE);
		return;
	}
}

/*
 * A duplicate ACK arrived (ep->dupacks counts it). Outside recovery the
 * first two may release new data (limited transmit, RFC 3042: tcp_output
 * allows it) and the third starts fast retransmit (RFC 5681 §3.2 steps 2-3)
 * unless it only covers data that a previous recovery already repaired
 * (RFC 6582 §3.2 step 2: ack must be beyond 'recover'). In recovery each one
 * inflates the window (step 4).
 */
static void on_dupack(struct tcp_ep *ep)
{
	if (ep->in_recovery) {
		ep->cc.ops->on_dupack_in_recovery(&ep->cc);
		tcp_note_cwnd(ep);
		tcp_trace(ep, TCP_TR_DUPACK);
		return;
	}
	if (ep->dupacks != DUPTHRESH || !seq_gt(ep->snd_una, ep->recover)) {
		tcp_trace(ep, TCP_TR_DUPACK);
		return;
	}
	ep->in_recovery = true;
	ep->partial_acked = false;
	ep->recover = ep->snd_max;
	/* RFC 5681 §3.2 step 2: "When [RFC3042] is in use, additional data
	 * sent in limited transmit MUST NOT be included in this calculation." */
	ep->cc.ops->on_fast_retransmit(&ep->cc, tcp_flight_bytes(ep) - ep->lt_bytes);
	tcp_ecn_reduced(ep, TCP_CWR_FAST_RETRANSMIT);
	ep->lt_bytes = 0;
	tcp_note_cwnd(ep);
	ep->rtt_timing = false;          /* Karn: the timed segment may be the one resent */
	ep->stats.fast_retransmits++;
	tcp_set_cause(ep, TCP_WHY_FAST_RETRANSMIT, ep->dupacks, 0);
	tcp_retransmit_una(ep);
	ep->cause.set = false;
	tcp_rexmt_arm(ep);
	tcp_trace(ep, TCP_TR_FAST_RETRANSMIT);
}

/*
 * "fifth, check the ACK field", in named steps (process_ack below calls
 * them in order). Loss recovery hooks in at ack_congestion (what an ACK of
 * new data does to the window and whether a hole is resent) and at
 * on_dupack; SACK's steps live in tcp_sack.c.
 */

/* Releases the send-buffer bytes the ACK covers; returns how many. */
static uint64_t ack_release(struct tcp_ep *ep, uint32_t ack)
{
	uint64_t data_end = ep->snd_off + ep->sbuf_len;
	uint64_t new_off = tcp_off_of_snd(ep, ack);
	uint64_t released;

	if (new_off > data_end)
		new_off = data_end;       /* the rest acknowledges our FIN */
	if (new_off < ep->snd_off)
		new_off = ep->snd_off;    /* only our SYN */
	released = new_off - ep->snd_off;
	ep->snd_off = new_off;
	ep->sbuf_len -= released;
	rtt_track_acked(&ep->rtt_track, new_off, engine_now(ep->eng));
	return released;
}

/*
 * RFC 7323 §4.1: with timestamps, a sample from every ACK of new data
 * (tcp_ts.c), FlightSize taken before this ACK moves SND.UNA. RFC 6298 §3
 * + Karn: without them, a sample only from a segment sent once; the
 * backed-off RTO stays until such a sample is taken.
 */
static void ack_rtt_sample(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	bool ts_sampled = tcp_ts_rtt(ep, seg, tcp_flight_bytes(ep));

	if (ep->rtt_timing && seq_geq(seg->ack, ep->rtt_seq)) {
		if (!ts_sampled) {
			rtt_sample(&ep->rtt, engine_now(ep->eng) - ep->rtt_start_ns);
			ep->stats.rtt_samples++;
			rtt_reset_backoff(&ep->rtt);
		}
		ep->rtt_timing = false;
	}
}

/* SND.UNA moves to ack; the counters of the old SND.UNA start again. */
static void ack_advance_una(struct tcp_ep *ep, uint32_t ack)
{
	ep->rexmt_count = 0;
	ep->dupacks = 0;
	ep->lt_bytes = 0;
	ep->snd_una = ack;
	if (seq_gt(ep->snd_una, ep->snd_max))
		ep->snd_max = ep->snd_una;   /* a zero-window probe byte was taken */
	if (seq_lt(ep->snd_nxt, ep->snd_una))
		ep->snd_nxt = ep->snd_una;
	if (ep->in_loss && seq_geq(ep->snd_una, ep->recover))
		ep->in_loss = false;         /* all that was out at the timeout is in */
}

/*
 * What an ACK of new data does to congestion control, without SACK: slow
 * start or congestion avoidance outside recovery, the end of recovery, or
 * NewReno's partial ACK. Returns whether the retransmission timer restarts.
 */
static bool ack_congestion(struct tcp_ep *ep, const struct tcp_seg *seg, uint64_t released)
{
	bool restart_timer = true;

	if (!ep->in_recovery) {
		if (released) {
			ep->cc.ops->on_ack(&ep->cc, (uint32_t)released);
			tcp_trace(ep, TCP_TR_ACK);
		}
	} else if (ep->sack_ok) {
		/* SACK recovery decides on this ACK in tcp_sack_on_ack. */
	} else if (seq_geq(ep->snd_una, ep->recover) ||
		   !ep->cc.ops->partial_ack_stays_in_recovery) {
		/* RFC 6582 §3.2 step 3 (full acknowledgment): all that
		 * was outstanding when recovery began is acknowledged:
		 * recovery ends. Reno ends it on any new ACK (RFC 5681
		 * §3.2 step 6). */
		ep->in_recovery = false;
		ep->cc.ops->on_recovery_exit(&ep->cc, tcp_flight_bytes(ep));
		tcp_trace(ep, TCP_TR_RECOVERY_EXIT);
	} else {
		/* RFC 6582 §3.2 step 3 (partial acknowledgment): retransmit the
		 * first unacknowledged segment, deflate the window, stay
		 * in recovery; reset the timer on the first one only. */
		ep->cc.ops->on_partial_ack(&ep->cc, (uint32_t)released);
		tcp_set_cause(ep, TCP_WHY_PARTIAL_ACK, 0, seg->ack);
		tcp_retransmit_una(ep);
		ep->cause.set = false;
		restart_timer = !ep->partial_acked;
		ep->partial_acked = true;
		tcp_trace(ep, TCP_TR_PARTIAL_ACK);
	}
	return restart_timer;
}

/* An ACK that covers new data (SND.UNA < SEG.ACK <= SND.MAX). */
static void ack_new_data(struct tcp_ep *ep, const struct tcp_seg *seg, unsigned *ev)
{
	uint64_t released = ack_release(ep, seg->ack);
	bool restart_timer;

	ack_rtt_sample(ep, seg);
	ack_advance_una(ep, seg->ack);
	restart_timer = ack_congestion(ep, seg, released);
	tcp_note_cwnd(ep);
	if (released) {
		*ev |= EV_WRITABLE;
		ep->stats.data_bytes_acked += released;
		ep->stats.last_data_acked_ns = engine_now(ep->eng);
	}
	/* RFC 6298 (5.2) all acknowledged: stop the timer; (5.3) else restart it. */
	if (ep->snd_una == ep->snd_max)
		tcp_rexmt_stop(ep);
	else if (restart_timer)
		tcp_rexmt_arm(ep);
}

/* RFC 5681 §2: whether seg is a duplicate ACK. */
static bool ack_is_duplicate(const struct tcp_ep *ep, const struct tcp_seg *seg)
{
	return seg->ack == ep->snd_una && seg->len == 0 &&
	       !(seg->flags & (TH_SYN | TH_FIN)) && seg_window(ep, seg) == ep->snd_wnd &&
	       ep->snd_max != ep->snd_una;
}

/* Window update: only from a segment newer than the last one used. */
static void ack_update_window(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (seq_leq(ep->snd_una, seg->ack) &&
	    (seq_lt(ep->snd_wl1, seg->seq) ||
	     (ep->snd_wl1 == seg->seq && seq_leq(ep->snd_wl2, seg->ack)))) {
		bool was_zero = ep->snd_wnd == 0;
		set_send_window(ep, seg);
		if (was_zero && ep->snd_wnd > 0 && timer_armed(&ep->persist_timer)) {
			engine_cancel(ep->eng, &ep->persist_timer);
			ep->persist_shift = 0;
			ep->snd_nxt = ep->snd_una;   /* resend any refused probe byte as data */
			/* RFC 6298 (5.1): data still outstanding has the
			 * retransmission timer watch it, even if nothing can leave
			 * now (all of it SACKed, the reopened window full). */
			if (ep->snd_una != ep->snd_max)
				tcp_rexmt_arm(ep);
		}
	}
}

/* Our FIN acknowledged: the closing states move on. Returns false when
 * processing must stop (TIME-WAIT or CLOSED). */
static bool ack_of_fin(struct tcp_ep *ep)
{
	if (ep->fin_queued && seq_gt(ep->snd_una, tcp_fin_seq(ep))) {
		switch (ep->state) {
		case TCPS_FIN_WAIT_1:
			tcp_set_state(ep, TCPS_FIN_WAIT_2);
			break;
		case TCPS_CLOSING:
			tcp_enter_time_wait(ep);
			return false;
		case TCPS_LAST_ACK:
			tcp_drop(ep, TCP_ERR_NONE);
			return false;
		default:
			break;
		}
	}
	return true;
}

/*
 * RFC 9293 §3.10.7.4 "fifth, check the ACK field" for ESTABLISHED and the
 * states after it. Returns false when processing must stop.
 */
static bool process_ack(struct tcp_ep *ep, const struct tcp_seg *seg, unsigned *ev)
{
	uint32_t old_una = ep->snd_una;

	if (seq_gt(seg->ack, seq_max(ep->snd_max, ep->snd_nxt))) {
		/* It acknowledges something not yet sent: ACK and drop. */
		ep->ack_now = true;
		return false;
	}
	if (seq_gt(seg->ack, ep->snd_una)) {
		ack_new_data(ep, seg, ev);
	} else if (ack_is_duplicate(ep, seg)) {
		ep->dupacks++;
		ep->stats.dupacks_received++;
		if (!ep->sack_ok)
			on_dupack(ep);
	}
	/* RFC 6675 §5: every ACK updates the scoreboard; SACK's DupAcks
	 * (§2) and loss recovery follow from it. */
	if (ep->sack_ok && seq_geq(seg->ack, old_una)) {
		tcp_sack_on_ack(ep, seg, old_una);
		tcp_tlp_on_ack(ep, seg, old_una);   /* RFC 8985 §7.4, §7.2 */
	}
	ack_update_window(ep, seg);
	return ack_of_fin(ep);
}

/* RFC 9293 §3.10.7.4: SYN-RECEIVED and every synchronized state. */
static unsigned input_synchronized(struct tcp_ep *ep, struct tcp_seg *seg)
{
	unsigned ev = 0;

	/* For Wireshark's view of our next ACK (see classify in
	 * tcp_output.c): a segment of at most one byte just below the peer's
	 * highest sequence number is a "keep-alive", and the ACK repeating
	 * ours that answers it a "keep-alive ACK", not a duplicate ACK. */
	ep->rx_keepalive = !(seg->flags & (TH_SYN | TH_FIN | TH_RST)) && seg->len <= 1 &&
			   seg->seq == ep->rx_nextseq - 1;
	if (seq_gt(seg->seq + seg_space(seg), ep->rx_nextseq))
		ep->rx_nextseq = seg->seq + seg_space(seg);

	/* RFC 7323 §5.3: R1 PAWS discards an old duplicate (with an ACK),
	 * before the sequence check; R3 records TS.Recent (tcp_ts.c). */
	if (tcp_ts_paws_reject(ep, seg))
		return 0;
	tcp_ts_update_recent(ep, seg);

	if (ep->state == TCPS_SYN_RECEIVED && (seg->flags & TH_SYN) &&
	    !(seg->flags & TH_ACK) && seg->seq == ep->irs) {
		/* The peer retransmitted its SYN: our SYN-ACK was lost. Answer
		 * with the SYN-ACK again, as Linux does, rather than the bare ACK
		 * the RFC's sequence check would produce. */
		tcp_send_syn(ep, true);
		return 0;
	}
	if (ep->state == TCPS_SYN_RECEIVED && (seg->flags & TH_SYN) && (seg->flags & TH_ACK) &&
	    seg->seq == ep->irs) {
		/* Simultaneous open (RFC 9293 §3.5, Figure 8, line 6): the
		 * peer's SYN-ACK repeats the SYN we already took. Its SYN is
		 * old and is trimmed away; the rest starts at RCV.NXT, and its
		 * ACK of our SYN takes us to ESTABLISHED, as the figure shows
		 * (BSD and Linux do the same; the sequence check alone would
		 * drop the whole segment and wait for the peer's next ACK). The
		 * trimmed duplicate is acknowledged at once. */
		seg->flags &= ~TH_SYN;
		seg->seq++;
		ep->ack_now = true;
	}
	if (ep->state == TCPS_TIME_WAIT && (seg->flags & TH_FIN) && !(seg->flags & TH_RST)) {
		/* "The only thing that can arrive in this state is a
		 * retransmission of the remote FIN. Acknowledge it, and restart
		 * the 2 MSL timeout." */
		ep->ack_now = true;
		engine_arm(ep->eng, &ep->timewait_timer, engine_now(ep->eng) + 2 * ep->cfg.msl_ns);
		return 0;
	}

	if (!check_sequence(ep, seg))
		return 0;
	if (seg->flags & TH_RST) {
		check_rst(ep, seg);
		return 0;
	}
	if (seg->flags & TH_SYN) {
		/* fourth: a SYN in a synchronized state gets a challenge ACK
		 * (RFC 5961 §4.2). */
		ep->ack_now = true;
		return 0;
	}
	if (!(seg->flags & TH_ACK))
		return 0;

	if (ep->state == TCPS_SYN_RECEIVED) {
		if (!(seq_lt(ep->snd_una, seg->ack) && seq_leq(seg->ack, ep->snd_nxt))) {
			reply_rst(ep, seg);
			return 0;
		}
		/* RFC 6298 (5.7), as in SYN-SENT: data starts with RTO 3 s,
		 * not with the SYN-ACK's backoff. */
		if (ep->rexmt_count > 0)
			rtt_syn_timeout_fallback(&ep->rtt);
		rtt_reset_backoff(&ep->rtt);
		tcp_set_state(ep, ep->fin_queued ? TCPS_FIN_WAIT_1 : TCPS_ESTABLISHED);
		set_send_window(ep, seg);
		ev |= EV_CONNECTED;
	}
	tcp_ecn_input(ep, seg);             /* RFC 3168 §6.1.3: CWR, then CE */
	if (!process_ack(ep, seg, &ev))
		return ev;
	tcp_ecn_on_ack(ep, seg);            /* RFC 3168 §6.1.2: ECE */

	/* seventh: text, in the states that still receive it. */
	if (seg->len > 0 && (ep->state == TCPS_ESTABLISHED || ep->state == TCPS_FIN_WAIT_1 ||
			     ep->state == TCPS_FIN_WAIT_2))
		process_text(ep, seg, &ev);

	/* eighth: the FIN bit. */
	if (seg->flags & TH_FIN) {
		uint32_t fin_seq = seg->seq + seg->len;
		if (TCPS_HAVE_RCVD_FIN(ep->state)) {
			ack_because(ep, TCP_WHY_ACK_FIN);      /* a retransmitted FIN */
		} else if (fin_seq == ep->rcv_nxt) {
			accept_fin(ep, &ev);
		} else {
			ep->ooo_fin = true;
			ep->ooo_fin_off = rcv_off_of(ep, fin_seq);
			ep->ack_now = true;
		}
	}
	return ev;
}

void tcp_input(struct tcp_ep *ep, struct tcp_seg *seg)
{
	unsigned ev = 0;

	ep->stats.segments_received++;
	if (seg->flags & TH_RST)
		ep->stats.resets_received++;

	switch (ep->state) {
	case TCPS_CLOSED:
		return;
	case TCPS_LISTEN:
		input_listen(ep, seg);
		return;
	case TCPS_SYN_SENT:
		ev = input_syn_sent(ep, seg);
		break;
	default:
		ev = input_synchronized(ep, seg);
		break;
	}
	/*
	 * A reader blocked in read() (tcp_recv_post) takes the data that just
	 * became readable before the reply is built, as a kernel copying into
	 * the buffer of a reader already waiting does: the window the ACK
	 * advertises is the buffer as it is once that read is done, at this
	 * same instant. Built after the read, the ACK of in-order data offers
	 * the same window as the ACKs that follow it while the reader keeps
	 * up; built before it, it would offer less by the segment the reader
	 * takes a moment later, and the first ACK for a segment beyond a hole
	 * would then differ from it in the window alone. RFC 5681 §2 (e)
	 * counts an ACK as a duplicate only if "the advertised window in the
	 * incoming acknowledgment equals the advertised window in the last
	 * incoming acknowledgment", so the sender would see the first one as
	 * a window update, not the first duplicate ACK that §4.2 asks the
	 * receiver to send for an out-of-order segment, and fast retransmit
	 * (RFC 5681 §3.2) would need a fourth out-of-order arrival.
	 */
	if ((ev & EV_READABLE) && ep->state != TCPS_CLOSED)
		tcp_complete_read(ep);
	tcp_rcv_spill(ep);
	if (ep->state == TCPS_CLOSED)
		return;
	/* Then the stack answers before the application runs: what it owes
	 * (an ACK, data the window now admits) leaves first, and whatever the
	 * application writes in its callbacks follows in later segments. */
	tcp_output(ep);
	ep->cause.set = false;      /* a reason no segment took belongs to no later one */
	if (ev & EV_CONNECTED)
		tcp_notify(ep, TCP_EV_CONNECTED);
	if ((ev & EV_READABLE) && ep->state != TCPS_CLOSED)
		tcp_notify(ep, TCP_EV_READABLE);
	if ((ev & EV_WRITABLE) && ep->state != TCPS_CLOSED)
		tcp_notify(ep, TCP_EV_WRITABLE);
}
