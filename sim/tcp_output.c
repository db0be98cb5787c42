/*
 * tcp_output.c: the only place a segment is built.
 *
 * tcp_output() decides what may leave now: new or retransmitted data within
 * min(cwnd, peer's window), the FIN once the data before it has gone, and a
 * pure ACK when the receive side asked for one (ack_now) and nothing else
 * carried it. SYNs, RSTs and window probes have their own small senders.
 * Every segment goes through emit(), which counts it and hands it to the
 * host through hooks.output.
 */
#include "tcp_var.h"

#include <string.h>

/*
 * The window field we advertise (RFC 9293 §3.8.6.2; RFC 7323 §2.2-2.4): the
 * free receive buffer. Never scaled on a SYN.
 *
 * The right edge RCV.NXT + RCV.WND does not move left (RFC 9293 §3.8.6).
 * With window scaling the field counts units of 2^shift and the edge the
 * peer sees is SEG.ACK + field * unit; once RCV.NXT has moved by a number of
 * bytes that is not a multiple of the unit, the old edge cannot be said
 * exactly. Rounding down would shrink the window, so the field is rounded
 * up ("advertise a new window that is beyond what it previously advertised
 * (and perhaps beyond the buffer)", RFC 7323 §2.4); the receive buffer has
 * one unit of slack for this. Rounded up again and again, with small
 * segments and no reads, the edge would creep past any buffer and the data
 * offered would have to be thrown away, and the window could never close.
 * So the edge never goes beyond what the buffer can hold: when that forbids
 * rounding up, the field is rounded down and the edge the peer sees moves
 * left by less than one unit, the retraction RFC 7323 §2.4 allows for. In
 * any case rcv_adv keeps the farthest edge ever advertised and
 * check_sequence accepts everything up to it ("The receiver MUST honor, as
 * in window, any segment that would have been in window for any <ACK> sent
 * by the receiver", ibid.); the buffer always has room for it.
 *
 * In SYN-RECEIVED the window stays the one the SYN-ACK offered, so that a
 * retransmitted SYN-ACK (whose field cannot be scaled) takes back no more
 * than the rounding of an ACK sent meanwhile.
 */
uint16_t tcp_window_field(struct tcp_ep *ep, bool syn)
{
	uint64_t space = tcp_rcv_space(ep);
	uint8_t shift = (!syn && ep->wscale_ok) ? ep->rcv_wscale : 0;
	/* What the buffer can hold beyond RCV.NXT, its slack included. */
	uint64_t room = ep->rbuf_cap - ep->rbuf_len;
	uint64_t field, offered = 0;

	/* Nothing sent before the peer's SYN uses them; its arrival resets rcv_adv. */
	if (seq_gt(ep->rcv_adv, ep->rcv_nxt))
		offered = (uint32_t)(ep->rcv_adv - ep->rcv_nxt);
	if (!syn && TCPS_HAVE_ESTABLISHED(ep->state)) {
		/*
		 * Receiver SWS avoidance (RFC 1122 §4.2.3.3): keep the right
		 * edge where it is until it can move by at least
		 * min(RCV.BUFF / 2, Eff.snd.MSS), so that a slow reader does not
		 * invite the sender to fill each few freed bytes with a tiny
		 * segment.
		 */
		uint64_t step = ep->cfg.receive_buffer / 2 < ep->smss ?
				ep->cfg.receive_buffer / 2 : ep->smss;
		if (space > offered && space - offered < step)
			space = offered;
	} else if (!syn && ep->state == TCPS_SYN_RECEIVED && space > offered) {
		space = offered;
	}
	field = space >> shift;
	if (field > 0xffff)
		field = 0xffff;
	if (field << shift < offered) {
		field = (offered + (1ull << shift) - 1) >> shift;
		if (field << shift > room)
			field = room >> shift;
		if (field > 0xffff)
			field = 0xffff;
	}
	if (seq_gt(ep->rcv_nxt + (uint32_t)(field << shift), ep->rcv_adv))
		ep->rcv_adv = ep->rcv_nxt + (uint32_t)(field << shift);
	return (uint16_t)field;
}

/*
 * Empty values to start each segment, reason and plan from. Copied rather
 * than cleared with memset: compilers make a memset of these sizes a rep
 * stos, whose start-up costs more than the copy, and these run for every
 * segment.
 */
static const struct tcp_seg seg_none;
static const struct tcp_why why_none;
static const struct out_plan plan_none;

static void seg_init(struct tcp_ep *ep, struct tcp_seg *s, uint32_t seq, uint8_t flags)
{
	*s = seg_none;
	s->src_addr = ep->local_addr;
	s->dst_addr = ep->remote_addr;
	s->src_port = ep->local_port;
	s->dst_port = ep->remote_port;
	s->seq = seq;
	s->flags = flags;
	if (flags & TH_ACK)
		s->ack = ep->rcv_nxt;
	if (!(flags & TH_RST))
		s->wnd = tcp_window_field(ep, flags & TH_SYN);
	if (ep->ts_ok && !(flags & TH_RST)) {
		/* RFC 7323 §3.2: TSval our clock, TSecr the peer's latest. */
		s->opt.has_ts = true;
		s->opt.ts_val = tcp_ts_now(ep);
		s->opt.ts_ecr = ep->ts_recent;
	}
	tcp_ecn_ack_flags(ep, s);           /* RFC 3168 §6.1.3 */
}

/*
 * Wireshark's per-segment classification (see tcp.h, struct tcp_stats);
 * returns the reason a pure ACK gets when no rule named one.
 */
static enum tcp_why_kind classify(struct tcp_ep *ep, const struct tcp_seg *s)
{
	if (s->flags & (TH_SYN | TH_FIN | TH_RST))
		return TCP_WHY_ACK;
	/* A zero-window probe (one byte at the next sequence number while the
	 * peer's window is 0) is only that: Wireshark checks it first. */
	if (s->len == 1 && s->seq == ep->snd_max && ep->snd_wnd == 0)
		return TCP_WHY_ACK;
	if (s->wnd == 0) {
		ep->stats.zero_windows_sent++;
	} else if (s->len == 0 && s->seq == ep->snd_max && s->ack == ep->last_ack_field) {
		if (s->wnd != ep->last_wnd_field) {
			ep->stats.window_updates_sent++;
			return TCP_WHY_WINDOW_UPDATE;
		}
		if (!ep->rx_keepalive) {
			ep->stats.dupacks_sent++;   /* else a keep-alive ACK */
			return TCP_WHY_ACK_OUT_OF_ORDER;
		}
	}
	return TCP_WHY_ACK;
}

/* Whether a reason a rule named fits the segment that carries it: an ACK's
 * reason only a pure ACK, a data rule's only data. */
static bool cause_fits(enum tcp_why_kind k, const struct tcp_seg *s)
{
	bool pure_ack = s->len == 0 && !(s->flags & (TH_SYN | TH_FIN | TH_RST));

	switch (k) {
	case TCP_WHY_ACK:
	case TCP_WHY_ACK_DELAYED:
	case TCP_WHY_ACK_DELAY_DUE:
	case TCP_WHY_ACK_SECOND:
	case TCP_WHY_ACK_OUT_OF_ORDER:
	case TCP_WHY_ACK_FILLS_HOLE:
	case TCP_WHY_ACK_QUICK:
	case TCP_WHY_ACK_PUSH:
	case TCP_WHY_ACK_FIN:
	case TCP_WHY_ACK_HANDSHAKE:
	case TCP_WHY_ACK_DUPLICATE_DATA:
	case TCP_WHY_ACK_UNACCEPTABLE:
	case TCP_WHY_ACK_PROBE:
	case TCP_WHY_ACK_PAWS:
	case TCP_WHY_WINDOW_UPDATE:
	case TCP_WHY_ACK_WINDOW_OPENED:
		return pure_ack;
	case TCP_WHY_RST:
	case TCP_WHY_RST_ABORT:
	case TCP_WHY_RST_TIMEOUT:
	case TCP_WHY_RST_NO_SOCKET:
		return (s->flags & TH_RST) != 0;
	case TCP_WHY_SYN:
	case TCP_WHY_SYN_ACK:
	case TCP_WHY_SYN_RETRANSMIT:
		return (s->flags & TH_SYN) != 0;
	case TCP_WHY_FIN:
		return (s->flags & TH_FIN) && s->len == 0;
	default:
		return s->len > 0 || (s->flags & TH_FIN);
	}
}

/* The reason a segment gets from its own fields. */
static enum tcp_why_kind default_kind(const struct tcp_seg *s, enum tcp_why_kind ack_kind)
{
	if (s->flags & TH_RST)
		return TCP_WHY_RST;
	if (s->flags & TH_SYN)
		return (s->flags & TH_ACK) ? TCP_WHY_SYN_ACK : TCP_WHY_SYN;
	if (s->len == 0 && (s->flags & TH_FIN))
		return TCP_WHY_FIN;
	if (s->len > 0)
		return TCP_WHY_DATA;
	return ack_kind;
}

static void emit(struct tcp_ep *ep, struct tcp_seg *s)
{
	enum tcp_why_kind ack_kind;
	struct tcp_why why;

	if (ep->sack_ok)
		tcp_sack_fill(ep, s);    /* RFC 2018 §4: the blocks every ACK carries */
	ep->stats.segments_sent++;
	if (s->len) {
		ep->stats.data_segments_sent++;
		ep->stats.payload_bytes_sent += s->len;
	}
	if (s->flags & TH_RST)
		ep->stats.resets_sent++;
	ack_kind = classify(ep, s);
	ep->last_wnd_field = s->wnd;
	ep->last_ack_field = s->ack;
	if (s->flags & TH_ACK) {
		/* Whatever carries the ACK settles what was owed, delayed or not. */
		ep->ack_now = false;
		ep->rcv_unacked = 0;
		if (timer_armed(&ep->delack_timer))
			engine_cancel(ep->eng, &ep->delack_timer);
		ep->last_ack_sent = s->ack;
	}
	why = why_none;
	if (ep->cause.set && cause_fits(ep->cause.kind, s)) {
		why.kind = ep->cause.kind;
		why.n = ep->cause.n;
		why.arg = ep->cause.arg;
		ep->cause.set = false;
	} else {
		why.kind = default_kind(s, ack_kind);
	}
	/* Wireshark numbers the duplicates of one ACK #1, #2 ...; so does the
	 * annotation, whatever rule sent the ACK. An out-of-order arrival
	 * whose ACK is not a duplicate (the window changed) says so. */
	if (ack_kind == TCP_WHY_ACK_OUT_OF_ORDER)
		ep->dupacks_sent_run++;
	else if (s->len == 0 && !(s->flags & (TH_SYN | TH_FIN | TH_RST)))
		ep->dupacks_sent_run = 0;
	if (ack_kind == TCP_WHY_ACK_OUT_OF_ORDER)
		why.dup_ack = ep->dupacks_sent_run;
	why.cwnd_bytes = ep->cc.cwnd_bytes;
	why.ssthresh_bytes = ep->cc.ssthresh_bytes;
	why.flight_bytes = tcp_flight_bytes(ep);
	why.rto_ns = rtt_rto(&ep->rtt);
	why.cc = tcp_cc_state(ep);
	why.iss = ep->iss;
	why.irs = ep->irs;
	why.synchronized = ep->state != TCPS_SYN_SENT && ep->state != TCPS_CLOSED &&
			   ep->state != TCPS_LISTEN;
	tcp_ecn_why(ep, s, &why);
	ep->hooks.output(ep->hooks.ctx, s, &why);
}

void tcp_send_syn(struct tcp_ep *ep, bool retransmit)
{
	struct tcp_seg s;
	bool synack = ep->state == TCPS_SYN_RECEIVED;

	seg_init(ep, &s, ep->iss, synack ? TH_SYN | TH_ACK : TH_SYN);
	/* RFC 9293 §3.7.1: announce our MSS. */
	s.opt.has_mss = true;
	s.opt.mss = (uint16_t)ep->rcv_mss;
	/* RFC 7323 §2.2/§3.2: offer in a SYN; in a SYN-ACK only if the SYN had it. */
	if (synack ? ep->wscale_ok : ep->cfg.window_scaling) {
		s.opt.has_wscale = true;
		s.opt.wscale = ep->rcv_wscale;
	}
	/* RFC 2018 §2: SACK-permitted "may be sent in a SYN"; in a SYN-ACK
	 * only if the SYN had it. */
	s.opt.sack_permitted = synack ? ep->sack_ok : ep->cfg.sack;
	if (synack ? ep->ts_ok : ep->cfg.timestamps) {
		s.opt.has_ts = true;
		s.opt.ts_val = tcp_ts_now(ep);
		s.opt.ts_ecr = synack ? ep->ts_recent : 0;
	}
	tcp_ecn_syn_flags(ep, &s, synack);  /* RFC 3168 §6.1.1 */
	if (retransmit) {
		ep->stats.retransmissions++;
		ep->rtt_timing = false;          /* Karn */
	} else {
		ep->rtt_timing = true;
		ep->rtt_seq = ep->iss + 1;
		ep->rtt_start_ns = engine_now(ep->eng);
	}
	ep->snd_nxt = ep->iss + 1;
	if (seq_gt(ep->snd_nxt, ep->snd_max))
		ep->snd_max = ep->snd_nxt;
	emit(ep, &s);
	tcp_rexmt_arm(ep);
}

void tcp_send_rst(struct tcp_ep *ep, uint32_t seq, uint32_t ack, bool with_ack)
{
	struct tcp_seg s;

	seg_init(ep, &s, seq, with_ack ? TH_RST | TH_ACK : TH_RST);
	s.ack = with_ack ? ack : 0;
	emit(ep, &s);
}

/*
 * A pure ACK carries the next unsent sequence number, snd_max, not snd_nxt:
 * after a timeout snd_nxt is back at snd_una, below what the peer has
 * already received, and a zero-length segment below RCV.NXT fails the
 * peer's acceptability test (RFC 9293 §3.10.7.4), so its ACK field would
 * never be read. With data flowing both ways that stalls both sides.
 * (BSD's tcp_output makes the same choice.)
 */
void tcp_send_ack(struct tcp_ep *ep)
{
	struct tcp_seg s;

	seg_init(ep, &s, ep->snd_max, TH_ACK);
	emit(ep, &s);
}

/*
 * Gives s the len bytes of the send buffer from stream offset off: in the
 * ring (through the scratch buffer where they wrap), or, with a source, the
 * source itself as the segment's fill, which makes them in the packet.
 */
static void attach_payload(struct tcp_ep *ep, struct tcp_seg *s, uint64_t off, uint32_t len)
{
	uint64_t pos = off % ep->sbuf_cap;
	uint64_t first = ep->sbuf_cap - pos;

	if (ep->source) {
		/* Made by the source where the packet is encoded. */
		s->fill = ep->source;
		s->fill_ctx = ep->source_ctx;
		s->fill_off = off;
	} else if (first >= len) {
		s->payload = ep->sbuf + pos;
	} else {
		memcpy(ep->scratch, ep->sbuf + pos, first);
		memcpy(ep->scratch + first, ep->sbuf, len - first);
		s->payload = ep->scratch;
	}
	s->len = len;
}

/*
 * RFC 9293 §3.8.6.1 / RFC 1122 §4.2.2.17: a zero-window probe carries the
 * next byte of data (one byte, so that it is recognisable as a probe). It is
 * resent from snd_una until the window opens.
 */
void tcp_send_probe(struct tcp_ep *ep)
{
	struct tcp_seg s;
	uint64_t off;

	ep->snd_nxt = ep->snd_una;
	off = tcp_off_of_snd(ep, ep->snd_nxt);
	if (off >= ep->snd_off + ep->sbuf_len)
		return;
	seg_init(ep, &s, ep->snd_nxt, TH_ACK);
	attach_payload(ep, &s, off, 1);
	/* The probe byte is not part of the flight: snd_max stays, so the
	 * peer's "window still 0" replies are not duplicate ACKs (RFC 5681 §2
	 * counts ACKs only while data is outstanding), and its resending is
	 * not a retransmission, as Wireshark sees it too. An ACK that takes
	 * the byte moves snd_max (process_ack). */
	ep->snd_nxt += 1;
	ep->stats.window_probes++;
	tcp_set_cause(ep, TCP_WHY_PROBE, ep->stats.window_probes, 0);
	emit(ep, &s);
}

/*
 * Emits the data segment [seq, seq + len), with the FIN after it when fin,
 * counting it as a retransmission when it lies below snd_max, and timing
 * it for RTT when it is new and nothing else is timed.
 */
static void send_data(struct tcp_ep *ep, uint32_t seq, uint64_t len, bool fin)
{
	uint64_t off = tcp_off_of_snd(ep, seq);
	uint8_t flags = TH_ACK;
	struct tcp_seg s;

	if (fin)
		flags |= TH_FIN;
	if (len > 0 && off + len == ep->snd_off + ep->sbuf_len)
		flags |= TH_PSH;   /* the segment empties the send buffer */
	seg_init(ep, &s, seq, flags);
	if (len)
		attach_payload(ep, &s, off, (uint32_t)len);
	tcp_ecn_data(ep, &s, seq_lt(seq, ep->snd_max));   /* RFC 3168 §6.1.2, §6.1.5 */
	if (seq_lt(seq, ep->snd_max)) {
		ep->stats.retransmissions++;
		if (len > 0)
			ep->stats.data_retransmissions++;
		if (!ep->cause.set)
			tcp_set_cause(ep, TCP_WHY_RETRANSMIT, 0, 0);
	} else if (!ep->rtt_timing) {
		/* RFC 6298 §3 with Karn: time one new segment per RTT. */
		ep->rtt_timing = true;
		ep->rtt_seq = seq + (uint32_t)len + fin;
		ep->rtt_start_ns = engine_now(ep->eng);
	}
	if (ep->sack_ok)
		tcp_sack_on_send(ep, off, off + len + fin);
	if (len > 0)
		rtt_track_sent(&ep->rtt_track, off, off + len, engine_now(ep->eng));
	if (seq_gt(seq + (uint32_t)len + fin, ep->snd_max))
		ep->snd_max = seq + (uint32_t)len + fin;
	if (len > 0 && ep->nagle_holding && off + len > ep->nagle_off) {
		/* The held data leaves. Count what Nagle actually delayed, not
		 * a tail the application completed to a full segment at the same
		 * instant (nor a retransmission of earlier data). */
		if (engine_now(ep->eng) > ep->nagle_since_ns) {
			ep->stats.nagle_holds++;
			if (!ep->cause.set)
				tcp_set_cause(ep, TCP_WHY_DATA_NAGLE_RELEASED, 0, ep->snd_una);
		}
		ep->nagle_holding = false;
	}
	emit(ep, &s);
	/* Data is moving again: the retransmission timer watches it now, not
	 * the persist timer. RFC 6298 (5.1): start the timer if not running. */
	if (timer_armed(&ep->persist_timer)) {
		engine_cancel(ep->eng, &ep->persist_timer);
		ep->persist_shift = 0;
	}
	if (!timer_armed(&ep->rexmt_timer))
		tcp_rexmt_arm(ep);
}

/*
 * Fast retransmit and NewReno partial ACKs (RFC 5681 §3.2 step 2, RFC 6582
 * §3.2 step 3): resend one segment from snd_una, leaving snd_nxt alone.
 */
void tcp_retransmit_una(struct tcp_ep *ep)
{
	uint64_t off = tcp_off_of_snd(ep, ep->snd_una);
	uint64_t data_end = ep->snd_off + ep->sbuf_len;
	uint64_t len = off < data_end ? data_end - off : 0;
	bool fin;

	if (len > ep->smss)
		len = ep->smss;
	/* Only what was sent before; the FIN too if it was. */
	if (len > (uint32_t)(ep->snd_max - ep->snd_una))
		len = (uint32_t)(ep->snd_max - ep->snd_una);
	fin = ep->fin_queued && off + len == data_end &&
	      seq_gt(ep->snd_max, tcp_fin_seq(ep));
	if (len == 0 && !fin)
		return;
	send_data(ep, ep->snd_una, len, fin);
}

/*
 * Whether a new segment of len bytes, less than SMSS, may leave now (RFC
 * 1122 §4.2.3.4). Sender SWS avoidance: it may if it is at least half the
 * largest window the peer ever offered, or if it carries all the queued
 * data and Nagle's rule (RFC 896) lets it: nothing was unacknowledged when
 * this round of output began (idle: so one write on an idle connection goes
 * out whole, its short tail included, as in BSD and Linux), or Nagle is off
 * (TCP_NODELAY), or the application has closed and the FIN goes with it (a
 * closing sender does not wait, as in BSD and Linux). While the application
 * is in the middle of one write (more_coming, BSD's TF_MORETOCOME), the
 * tail waits for the rest.
 * Retransmissions and the override timeout are handled by the caller.
 */
static bool small_segment_ok(const struct tcp_ep *ep, uint64_t len, uint64_t avail, bool idle)
{
	if (len >= ep->max_snd_wnd / 2)
		return true;
	if (len < avail || ep->more_coming)
		return false;
	return !ep->cfg.nagle || idle || ep->fin_queued;
}

/* The send window the next segment may use: min(cwnd, the peer's window),
 * with RFC 3042's allowance on the first duplicate ACKs. */
static uint64_t output_window(const struct tcp_ep *ep, bool rexmt, bool *limited)
{
	uint64_t cwnd = ep->cc.cwnd_bytes;

	/* RFC 3042 limited transmit: on the first two duplicate ACKs,
	 * up to two new segments beyond cwnd (cwnd itself unchanged). */
	*limited = false;
	/* With SACK, RFC 6675 §5 (1.c) replaces it (tcp_sack.c). */
	if (ep->cfg.limited_transmit && !ep->sack_ok && !ep->in_recovery && ep->dupacks > 0 &&
	    ep->dupacks < DUPTHRESH && !rexmt) {
		cwnd += (uint64_t)ep->dupacks * ep->smss;
		*limited = true;
	}
	return ep->snd_wnd < cwnd ? ep->snd_wnd : cwnd;
}

/*
 * Sender SWS avoidance and Nagle for a segment shorter than SMSS
 * (small_segment_ok); a held tail is remembered for the override timer
 * and for the reason of the segment that finally carries it. Returns the
 * length that may leave now (len or 0).
 */
static uint64_t output_nagle(struct tcp_ep *ep, const struct out_plan *p, uint64_t off, bool idle)
{
	uint64_t len = p->len;

	if (len > 0 && len < ep->smss && !p->rexmt && !ep->force_output &&
	    !small_segment_ok(ep, len, p->avail, idle)) {
		if (len == p->avail && !ep->more_coming && !ep->nagle_holding) {
			ep->nagle_holding = true;
			ep->nagle_since_ns = engine_now(ep->eng);
			ep->nagle_off = off;
		}
		len = 0;
	}
	return len;
}

/*
 * The segment from snd_nxt, once p->rexmt, p->in_flight and p->limited are
 * set: as much as SMSS, the queue and usable (what the windows allow)
 * permit, Nagle and SWS permitting; the FIN goes with (or after) the last
 * byte of data, once. Returns false when nothing may leave.
 */
bool tcp_output_new_data(struct tcp_ep *ep, bool idle, uint64_t usable, struct out_plan *p)
{
	uint64_t data_end = ep->snd_off + ep->sbuf_len;
	uint64_t off = tcp_off_of_snd(ep, ep->snd_nxt);

	p->seq = ep->snd_nxt;
	p->avail = off < data_end ? data_end - off : 0;
	p->len = p->avail;
	if (p->len > ep->smss)
		p->len = ep->smss;
	if (p->len > usable)
		p->len = usable;
	p->len = output_nagle(ep, p, off, idle);
	p->fin = false;
	if (ep->fin_queued && off + p->len == data_end &&
	    seq_leq(ep->snd_nxt + (uint32_t)p->len, tcp_fin_seq(ep)) &&
	    (p->len > 0 || p->avail == 0))
		p->fin = true;
	return p->len > 0 || p->fin;
}

/* Chooses the next segment: SACK recovery's choice when it has one to
 * make, else the next bytes from snd_nxt. */
static bool output_choose(struct tcp_ep *ep, bool idle, struct out_plan *p)
{
	uint64_t wnd, usable;

	*p = plan_none;
	if (tcp_sack_wants_output(ep))
		return tcp_sack_choose(ep, idle, p);
	p->in_flight = (uint32_t)(ep->snd_nxt - ep->snd_una);
	p->rexmt = seq_lt(ep->snd_nxt, ep->snd_max);
	wnd = output_window(ep, p->rexmt, &p->limited);
	usable = wnd > p->in_flight ? wnd - p->in_flight : 0;
	return tcp_output_new_data(ep, idle, usable, p);
}

/*
 * Nothing may leave: the owed ACK goes alone, and data that waits with no
 * timer to bring news arms the persist timer. The window is zero, or too
 * small to use (SWS) with nothing in flight whose ACK could widen it. The
 * window update that would reopen it may be lost, so the persist timer
 * probes (RFC 9293 §3.8.6.1) or forces a small segment out (the SWS
 * override timeout of RFC 1122 §4.2.3.4), as BSD does.
 */
static void output_idle(struct tcp_ep *ep, const struct out_plan *p)
{
	if (ep->ack_now)
		tcp_send_ack(ep);
	if (p->avail > 0 && !timer_armed(&ep->persist_timer) &&
	    (ep->snd_wnd == 0 || ep->snd_una == ep->snd_max)) {
		tcp_rexmt_stop(ep);
		tcp_persist_arm(ep);
	}
}

/* Sends the chosen segment, naming its reason when no rule did. */
void tcp_output_plan(struct tcp_ep *ep, const struct out_plan *p)
{
	if (!ep->cause.set && !p->rexmt && p->len > 0) {
		if (ep->force_output && p->len < ep->smss)
			tcp_set_cause(ep, TCP_WHY_DATA_OVERRIDE, 0, 0);
		else if (p->limited && p->in_flight + p->len > ep->cc.cwnd_bytes)
			tcp_set_cause(ep, TCP_WHY_LIMITED_TRANSMIT, ep->dupacks, 0);
	}
	send_data(ep, p->seq, p->len, p->fin);
	if (ep->sack_ok) {
		tcp_sack_sent(ep, p);
		tcp_tlp_on_send(ep, p);         /* RFC 8985 §7.2: new data arms the PTO */
	}
	/* RFC 5681 §3.2 step 2: what limited transmit sent beyond cwnd
	 * stays out of the FlightSize that halves ssthresh. */
	if (p->limited && p->in_flight + p->len > ep->cc.cwnd_bytes)
		ep->lt_bytes += (uint32_t)(p->in_flight + p->len -
			(p->in_flight > ep->cc.cwnd_bytes ? p->in_flight : ep->cc.cwnd_bytes));
	if (!p->keep_nxt)
		ep->snd_nxt = p->seq + (uint32_t)p->len + p->fin;
}

/*
 * Sends what the windows allow. A segment shorter than SMSS waits unless
 * small_segment_ok(), it is a retransmission, or the override timeout (the
 * persist timer) forces it.
 */
void tcp_output(struct tcp_ep *ep)
{
	/* A write that began on an idle connection stays "idle" for Nagle
	 * until its last piece is queued (BSD's TF_LASTIDLE). */
	bool idle = ep->last_idle || ep->snd_una == ep->snd_max;
	struct out_plan p;

	ep->last_idle = idle && ep->more_coming;

	if (!TCPS_HAVE_ESTABLISHED(ep->state) || ep->state == TCPS_TIME_WAIT) {
		/* Nothing to send but an owed ACK (for the peer's FIN in
		 * TIME-WAIT, or a challenge ACK in SYN-RECEIVED). */
		if (ep->ack_now && (ep->state == TCPS_SYN_RECEIVED || ep->state == TCPS_TIME_WAIT))
			tcp_send_ack(ep);
		return;
	}
	for (;;) {
		if (!output_choose(ep, idle, &p)) {
			output_idle(ep, &p);
			return;
		}
		tcp_output_plan(ep, &p);
		if (p.fin)
			return;
	}
}
