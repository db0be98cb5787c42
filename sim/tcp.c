/*
 * tcp.c: endpoint set-up, the user calls of RFC 9293 §3.10.1-§3.10.6, the
 * send and receive buffers, and the small helpers tcp_input.c, tcp_output.c
 * and tcp_timer.c share. See tcp.h for the map of the tcp*.c files.
 */
#include "tcp_var.h"

#include <stdlib.h>
#include <string.h>

static const char *const state_names[] = {
	[TCPS_CLOSED] = "CLOSED",
	[TCPS_LISTEN] = "LISTEN",
	[TCPS_SYN_SENT] = "SYN_SENT",
	[TCPS_SYN_RECEIVED] = "SYN_RECEIVED",
	[TCPS_ESTABLISHED] = "ESTABLISHED",
	[TCPS_CLOSE_WAIT] = "CLOSE_WAIT",
	[TCPS_FIN_WAIT_1] = "FIN_WAIT_1",
	[TCPS_CLOSING] = "CLOSING",
	[TCPS_LAST_ACK] = "LAST_ACK",
	[TCPS_FIN_WAIT_2] = "FIN_WAIT_2",
	[TCPS_TIME_WAIT] = "TIME_WAIT",
};

const char *tcp_state_name(enum tcp_state s)
{
	return state_names[s];
}

const char *tcp_trace_event_name(enum tcp_trace_event ev)
{
	static const char *const names[] = {
		[TCP_TR_ACK] = "ack",
		[TCP_TR_DUPACK] = "dupack",
		[TCP_TR_FAST_RETRANSMIT] = "fast_retransmit",
		[TCP_TR_PARTIAL_ACK] = "partial_ack",
		[TCP_TR_RECOVERY_EXIT] = "recovery_exit",
		[TCP_TR_RTO] = "rto",
		[TCP_TR_SACK_RECOVERY] = "sack_recovery",
		[TCP_TR_SACK_RECOVERY_EXIT] = "sack_recovery_exit",
		[TCP_TR_CC_EPOCH] = "cubic_epoch",
		[TCP_TR_HYSTART_CSS] = "hystart_css",
		[TCP_TR_HYSTART_RESUME] = "hystart_resume",
		[TCP_TR_HYSTART_EXIT] = "hystart_exit",
		[TCP_TR_ECN_REDUCTION] = "ecn_reduction",
		[TCP_TR_RTT_SAMPLE] = "rtt_sample",
		[TCP_TR_RACK_LOST] = "rack_lost",
		[TCP_TR_RACK_TIMER] = "rack_timer",
		[TCP_TR_PTO] = "pto",
		[TCP_TR_TLP_RECOVERY] = "tlp_recovery",
	};
	return names[ev];
}

const char *tcp_cc_state_name(enum tcp_cc_state s)
{
	static const char *const names[] = {
		[TCP_CC_OPEN] = "open",
		[TCP_CC_RECOVERY] = "recovery",
		[TCP_CC_LOSS] = "loss",
	};
	return names[s];
}

/*
 * Every cc operation is followed by a trace event; what the algorithm
 * reported meanwhile (cc.events: a CUBIC stage began, HyStart++ changed
 * phase) goes first, with the window as the operation left it.
 */
void tcp_trace(struct tcp_ep *ep, enum tcp_trace_event ev)
{
	static const struct { unsigned bit; enum tcp_trace_event ev; } cc_events[] = {
		{ CC_EV_CSS, TCP_TR_HYSTART_CSS },
		{ CC_EV_SS_RESUME, TCP_TR_HYSTART_RESUME },
		{ CC_EV_SS_EXIT, TCP_TR_HYSTART_EXIT },
		{ CC_EV_EPOCH, TCP_TR_CC_EPOCH },
	};
	unsigned reported = ep->cc.events;

	ep->cc.events = 0;
	if (!ep->hooks.trace)
		return;
	for (size_t i = 0; i < sizeof(cc_events) / sizeof(cc_events[0]); i++)
		if (reported & cc_events[i].bit)
			ep->hooks.trace(ep->hooks.ctx, cc_events[i].ev);
	ep->hooks.trace(ep->hooks.ctx, ev);
}

void tcp_set_cause(struct tcp_ep *ep, enum tcp_why_kind kind, uint64_t n, uint64_t arg)
{
	ep->cause.set = true;
	ep->cause.kind = kind;
	ep->cause.n = n;
	ep->cause.arg = arg;
}

const char *tcp_error_name(enum tcp_error e)
{
	switch (e) {
	case TCP_ERR_REFUSED: return "refused";
	case TCP_ERR_RESET: return "reset";
	case TCP_ERR_TIMEOUT: return "timeout";
	case TCP_ERR_ABORTED: return "aborted";
	case TCP_ERR_NONE: break;
	}
	return NULL;
}

void tcp_cfg_defaults(struct tcp_cfg *cfg)
{
	const uint64_t ms = 1000000, s = 1000 * ms;

	*cfg = (struct tcp_cfg){
		.mss = 0,
		.send_buffer = 131072,
		.receive_buffer = 131072,
		.window_scaling = true,
		.timestamps = false,
		.ts_rate_hz = 1000,                     /* RFC 7323 §5.4: 1 ms ticks */
		.ts_initial = 0,
		.initial_cwnd = 10,                     /* RFC 6928 */
		.initial_rto_ns = 1 * s,                /* RFC 6298 (2.1) */
		.min_rto_ns = 1 * s,                    /* RFC 6298 (2.4) */
		.max_rto_ns = 60 * s,                   /* RFC 6298 (2.5) */
		.max_retries = 15,
		.syn_retries = 6,
		.msl_ns = 30 * s,
		.cc = &cc_newreno,                      /* RFC 5681 + RFC 6582 */
		.limited_transmit = true,               /* RFC 3042 */
		.sack = false,                          /* so that today's captures stay */
		.recovery = TCP_RECOVERY_PRR,           /* RFC 6937's recommendation */
		.hystart = false,                       /* RFC 9438 §4.10: plain slow start */
		.rack = false,                          /* RFC 8985 §6; off: today's captures stay */
		.tlp = false,                           /* RFC 8985 §7 */
		.abc_limit = 1,                         /* RFC 5681 §3.1 */
		.delayed_ack_ns = 200 * ms,             /* RFC 1122 4.2.3.2, BSD's 200 ms */
		.quick_ack = 0,
		.nagle = true,                          /* RFC 1122 4.2.3.4: MUST implement */
		.ecn = false,                           /* RFC 3168 is opt-in: off, no ECN bit is sent */
	};
}

/* RFC 7323 §2.3: the smallest shift that lets the window field describe the
 * whole receive buffer, at most 14. */
static uint8_t wscale_for(uint64_t bytes)
{
	uint8_t shift = 0;

	while (shift < TCP_MAX_WSCALE && (bytes >> shift) > 0xffff)
		shift++;
	return shift;
}

struct tcp_ep *tcp_new(struct engine *eng, const struct tcp_cfg *cfg, uint32_t mtu,
		       uint32_t local_addr, uint16_t local_port, uint32_t iss,
		       const struct tcp_hooks *hooks)
{
	struct tcp_ep *ep = calloc(1, sizeof(*ep));

	if (!ep)
		abort();
	ep->eng = eng;
	ep->cfg = *cfg;
	if (!ep->cfg.cc)
		ep->cfg.cc = &cc_newreno;
	if (!ep->cfg.ts_rate_hz)
		ep->cfg.ts_rate_hz = 1000;
	ep->hooks = *hooks;
	ep->state = TCPS_CLOSED;
	ep->local_addr = local_addr;
	ep->local_port = local_port;
	ep->iss = iss;
	ep->mtu = mtu;
	ep->snd_una = ep->snd_nxt = ep->snd_max = iss;
	ep->recover = iss;         /* RFC 6582 §3.2 step 1 */
	ep->quickack_left = cfg->quick_ack;
	/* RFC 9293 §3.7.1: the MSS we announce is what fits in our MTU. */
	ep->rcv_mss = cfg->mss ? cfg->mss : mtu - IP_HDR_LEN - TCP_HDR_LEN;
	ep->smss = TCP_DEFAULT_MSS < ep->rcv_mss ? TCP_DEFAULT_MSS : ep->rcv_mss;
	ep->rcv_wscale = cfg->window_scaling ? wscale_for(cfg->receive_buffer) : 0;

	ep->sbuf_cap = cfg->send_buffer;
	/* The send ring is allocated by the first tcp_write (none with a source). */
	/* Slack so that a window rounded up to the scale unit always fits. */
	ep->rbuf_cap = cfg->receive_buffer + (1ull << ep->rcv_wscale);
	ep->rbuf = malloc(ep->rbuf_cap);
	ep->scratch = malloc(0x10000);
	if (!ep->rbuf || !ep->scratch)
		abort();
	rtt_init(&ep->rtt, cfg->initial_rto_ns, cfg->min_rto_ns, cfg->max_rto_ns);
	rtt_track_init(&ep->rtt_track);
	tcp_timers_init(ep);
	tcp_sack_init(ep);
	tcp_rack_init(ep);
	return ep;
}

void tcp_free(struct tcp_ep *ep)
{
	if (!ep)
		return;
	tcp_timers_stop(ep);
	free(ep->sbuf);
	free(ep->rbuf);
	free(ep->ooo);
	free(ep->scratch);
	tcp_sack_free(ep);
	free(ep);
}

void tcp_set_state(struct tcp_ep *ep, enum tcp_state s)
{
	ep->state = s;
}

void tcp_notify(struct tcp_ep *ep, enum tcp_event ev)
{
	if (ep->hooks.notify)
		ep->hooks.notify(ep->hooks.ctx, ev);
}

void tcp_drop(struct tcp_ep *ep, enum tcp_error err)
{
	tcp_timers_stop(ep);
	ep->rd_waiting = false;    /* no more data can come to a waiting read */
	if (ep->error == TCP_ERR_NONE)
		ep->error = err;
	tcp_set_state(ep, TCPS_CLOSED);
	tcp_notify(ep, TCP_EV_CLOSED);
}

void tcp_enter_time_wait(struct tcp_ep *ep)
{
	/* RFC 9293 §3.10.7.4: "Start the time-wait timer, turn off the other timers." */
	tcp_timers_stop(ep);
	tcp_set_state(ep, TCPS_TIME_WAIT);
	engine_arm(ep->eng, &ep->timewait_timer, engine_now(ep->eng) + 2 * ep->cfg.msl_ns);
}

void tcp_note_cwnd(struct tcp_ep *ep)
{
	if (ep->cc.cwnd_bytes > ep->stats.max_cwnd_bytes)
		ep->stats.max_cwnd_bytes = ep->cc.cwnd_bytes;
	/* RFC 5681 §3.2 steps 3-4 inflate cwnd by a segment per duplicate ACK
	 * while in fast recovery, an artificial figure that step 6 deflates
	 * again: the window the sender really opened is sampled outside it. */
	if (ep->in_recovery)
		return;
	if (ep->cc.cwnd_bytes > ep->stats.max_cwnd_outside_recovery_bytes)
		ep->stats.max_cwnd_outside_recovery_bytes = ep->cc.cwnd_bytes;
}

/* Sequence number of stream offset off (offset 0 is ISS+1). */
uint32_t tcp_seq_of_off(const struct tcp_ep *ep, uint64_t off)
{
	return ep->iss + 1 + (uint32_t)off;
}

/* Stream offset of send sequence number seq, taken near snd_off. */
uint64_t tcp_off_of_snd(const struct tcp_ep *ep, uint32_t seq)
{
	int32_t d = (int32_t)(seq - tcp_seq_of_off(ep, ep->snd_off));
	return d < 0 && (uint64_t)-(int64_t)d > ep->snd_off ? 0 : ep->snd_off + d;
}

uint32_t tcp_fin_seq(const struct tcp_ep *ep)
{
	return tcp_seq_of_off(ep, ep->snd_off + ep->sbuf_len);
}

uint64_t tcp_rcv_space(const struct tcp_ep *ep)
{
	return ep->cfg.receive_buffer > ep->rbuf_len ? ep->cfg.receive_buffer - ep->rbuf_len : 0;
}

void tcp_listen(struct tcp_ep *ep)
{
	ep->passive = true;
	tcp_set_state(ep, TCPS_LISTEN);
}

void tcp_connect(struct tcp_ep *ep, uint32_t remote_addr, uint16_t remote_port)
{
	/* RFC 9293 §3.10.1 OPEN (active): send SYN, enter SYN-SENT. */
	ep->remote_addr = remote_addr;
	ep->remote_port = remote_port;
	ep->passive = false;
	ep->stats.connect_ns = engine_now(ep->eng);
	tcp_set_state(ep, TCPS_SYN_SENT);
	tcp_send_syn(ep, false);
}

size_t tcp_send(struct tcp_ep *ep, const uint8_t *data, size_t len)
{
	return tcp_write(ep, data, len, false);
}

void tcp_set_source(struct tcp_ep *ep, tcp_source_fn fn, void *ctx)
{
	ep->source = fn;
	ep->source_ctx = ctx;
}

void tcp_set_viewer(struct tcp_ep *ep, tcp_viewer_fn fn, void *ctx)
{
	ep->viewer = fn;
	ep->viewer_ctx = ctx;
}

/* How much of a write of len bytes the send buffer takes now. */
static size_t write_room(const struct tcp_ep *ep, size_t len)
{
	uint64_t room;

	/* RFC 9293 §3.10.2 SEND: refused once closing or closed. */
	if (ep->fin_queued || ep->state == TCPS_CLOSED || ep->state == TCPS_LISTEN ||
	    ep->state == TCPS_TIME_WAIT)
		return 0;
	room = ep->sbuf_cap - ep->sbuf_len;
	return len > room ? (size_t)room : len;
}

/* len bytes were queued: the rest of tcp_write. */
static size_t write_queued(struct tcp_ep *ep, size_t len, bool more)
{
	ep->sbuf_len += len;
	/* More of the same write follows only if it will fit. */
	ep->more_coming = more && ep->sbuf_len < ep->sbuf_cap;
	if (TCPS_HAVE_ESTABLISHED(ep->state))
		tcp_output(ep);
	return len;
}

size_t tcp_write(struct tcp_ep *ep, const uint8_t *data, size_t len, bool more)
{
	uint64_t pos, first;

	if (ep->source)
		abort();               /* the buffer holds the source's bytes */
	len = write_room(ep, len);
	if (len == 0)
		return 0;
	if (!ep->sbuf) {
		ep->sbuf = malloc(ep->sbuf_cap);
		if (!ep->sbuf)
			abort();
	}
	pos = (ep->snd_off + ep->sbuf_len) % ep->sbuf_cap;
	first = ep->sbuf_cap - pos < len ? ep->sbuf_cap - pos : len;
	memcpy(ep->sbuf + pos, data, first);
	memcpy(ep->sbuf, data + first, len - first);
	return write_queued(ep, len, more);
}

size_t tcp_write_source(struct tcp_ep *ep, size_t len, bool more)
{
	if (!ep->source)
		abort();
	len = write_room(ep, len);
	if (len == 0)
		return 0;
	return write_queued(ep, len, more);
}

size_t tcp_send_space(const struct tcp_ep *ep)
{
	if (ep->fin_queued || ep->state == TCPS_CLOSED || ep->state == TCPS_TIME_WAIT)
		return 0;
	return ep->sbuf_cap - ep->sbuf_len;
}

/*
 * Moves up to len in-order bytes out of the receive buffer into buf (none:
 * the viewer alone sees them), showing them to the viewer.
 */
static size_t rcv_take(struct tcp_ep *ep, uint8_t *buf, size_t len)
{
	uint64_t pos, first;

	if (len > ep->rbuf_len)
		len = ep->rbuf_len;
	if (len == 0)
		return 0;
	if (ep->rcv_direct) {
		/* All of it, into no buffer (process_text made sure): the viewer
		 * sees the bytes where they arrived. */
		ep->viewer(ep->viewer_ctx, ep->rcv_direct, len);
		ep->rcv_direct = NULL;
		ep->rcv_off += len;
		ep->rbuf_len = 0;
		if (ep->nooo == 0)
			ep->rbuf_base = ep->rcv_off;
		return len;
	}
	pos = tcp_rbuf_pos(ep, ep->rcv_off);
	first = ep->rbuf_cap - pos < len ? ep->rbuf_cap - pos : len;
	if (ep->viewer) {
		ep->viewer(ep->viewer_ctx, ep->rbuf + pos, first);
		if (len > first)
			ep->viewer(ep->viewer_ctx, ep->rbuf, len - first);
	}
	if (buf) {
		memcpy(buf, ep->rbuf + pos, first);
		memcpy(buf + first, ep->rbuf, len - first);
	}
	ep->rcv_off += len;
	ep->rbuf_len -= len;
	if (ep->rbuf_len == 0 && ep->nooo == 0)
		ep->rbuf_base = ep->rcv_off;   /* empty: start the ring over */
	return len;
}

/*
 * Whether a read opened the window enough to matter to a sender that may be
 * waiting for it, so that it deserves an ACK of its own. After BSD's rule:
 * the right edge can move by at least two segments and that is a quarter of
 * the buffer, or the window offered until now is at most an eighth of it
 * (nearly closed; BSD looks at the new window there), or the buffer is
 * small (8 segments or less); or it can move by half the buffer. Otherwise
 * the new window rides on the next ACK, so a reader that keeps pace adds no
 * ACKs to the delayed-ACK rhythm. Every such update also satisfies the
 * receiver SWS rule (RFC 1122 §4.2.3.3) that tcp_window_field applies.
 */
static bool rcv_update_due(const struct tcp_ep *ep)
{
	uint64_t offered, space, size, seg, most, adv;

	if (!TCPS_HAVE_ESTABLISHED(ep->state) || TCPS_HAVE_RCVD_FIN(ep->state))
		return false;
	offered = seq_gt(ep->rcv_adv, ep->rcv_nxt) ? (uint32_t)(ep->rcv_adv - ep->rcv_nxt) : 0;
	space = tcp_rcv_space(ep);
	size = ep->cfg.receive_buffer;
	seg = ep->smss;
	/* The most the window field can offer (RFC 7323 §2.3). */
	most = 0xffffull << (ep->wscale_ok ? ep->rcv_wscale : 0);
	if (space > most)
		space = most;
	adv = space > offered ? space - offered : 0;
	return (adv >= 2 * seg && (adv >= size / 4 || offered <= size / 8 || size <= 8 * seg)) ||
	       (adv > 0 && 2 * adv >= size);
}

size_t tcp_recv(struct tcp_ep *ep, uint8_t *buf, size_t len)
{
	len = rcv_take(ep, buf, len);
	if (len > 0 && rcv_update_due(ep)) {
		ep->ack_now = true;
		tcp_set_cause(ep, TCP_WHY_WINDOW_UPDATE, 0, 0);
		tcp_output(ep);
		ep->cause.set = false;
	}
	return len;
}

void tcp_recv_post(struct tcp_ep *ep, uint8_t *buf, size_t len)
{
	if (ep->rd_done > 0)
		return;    /* what the last read took is still to be collected */
	ep->rd_waiting = len > 0;
	ep->rd_buf = buf;
	ep->rd_len = len;
	ep->rd_done = 0;
	if (ep->rbuf_len > 0 && ep->rd_waiting) {
		/* Data is waiting: the read does not block. */
		ep->rd_done = rcv_take(ep, ep->rd_buf, ep->rd_len);
		ep->rd_waiting = false;
		if (rcv_update_due(ep)) {
			ep->ack_now = true;
			tcp_set_cause(ep, TCP_WHY_WINDOW_UPDATE, 0, 0);
			tcp_output(ep);
			ep->cause.set = false;
		}
	}
}

size_t tcp_recv_posted(struct tcp_ep *ep)
{
	size_t n = ep->rd_done;

	ep->rd_waiting = false;
	ep->rd_len = 0;
	ep->rd_done = 0;
	return n;
}

/*
 * Data process_text left in the segment for a read that did not take it
 * after all goes into the ring, where the next read finds it, before the
 * segment's buffer goes away. (tcp_input's read always takes it today;
 * this keeps the bytes should that change.) The ring was empty, with no
 * islands, when the bytes were left there, so it had started over at
 * rcv_off: they fit from its start without wrapping.
 */
void tcp_rcv_spill(struct tcp_ep *ep)
{
	if (!ep->rcv_direct)
		return;
	memcpy(ep->rbuf + tcp_rbuf_pos(ep, ep->rcv_off), ep->rcv_direct, ep->rbuf_len);
	ep->rcv_direct = NULL;
}

/*
 * Called by tcp_input when a segment made in-order data readable, before
 * tcp_output builds the reply: a reader blocked in read() takes it now. A
 * window update the read makes due rides on the segment about to leave.
 */
void tcp_complete_read(struct tcp_ep *ep)
{
	if (!ep->rd_waiting || ep->rbuf_len == 0)
		return;
	ep->rd_done = rcv_take(ep, ep->rd_buf, ep->rd_len);
	ep->rd_waiting = false;
	if (rcv_update_due(ep)) {
		if (!ep->ack_now)
			tcp_set_cause(ep, TCP_WHY_ACK_WINDOW_OPENED, 0, 0);
		ep->ack_now = true;
	}
}

bool tcp_eof(const struct tcp_ep *ep)
{
	return ep->fin_rcvd && ep->rbuf_len == 0;
}

void tcp_close(struct tcp_ep *ep)
{
	/* RFC 9293 §3.10.4 CLOSE. */
	switch (ep->state) {
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		tcp_drop(ep, TCP_ERR_NONE);
		return;
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
	case TCPS_CLOSE_WAIT:
		ep->fin_queued = true;
		if (ep->state == TCPS_ESTABLISHED)
			tcp_set_state(ep, TCPS_FIN_WAIT_1);
		else if (ep->state == TCPS_CLOSE_WAIT)
			tcp_set_state(ep, TCPS_LAST_ACK);
		/* In SYN-RECEIVED the FIN waits for ESTABLISHED (tcp_input). */
		tcp_output(ep);
		return;
	default:
		return;     /* already closing */
	}
}

void tcp_abort(struct tcp_ep *ep)
{
	/* RFC 9293 §3.10.5 ABORT: <SEQ=SND.NXT><CTL=RST> in synchronized
	 * states; the RFC's SND.NXT is snd_max here (snd_nxt may have gone back
	 * for a retransmission), the one value an RFC 5961 peer accepts. */
	if (ep->state == TCPS_SYN_RECEIVED || TCPS_HAVE_ESTABLISHED(ep->state))
		if (ep->state != TCPS_TIME_WAIT) {
			tcp_set_cause(ep, TCP_WHY_RST_ABORT, 0, 0);
			tcp_send_rst(ep, ep->snd_max, 0, false);
		}
	tcp_drop(ep, TCP_ERR_ABORTED);
}

bool tcp_owns(const struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (seg->dst_addr != ep->local_addr || seg->dst_port != ep->local_port)
		return false;
	if (ep->state == TCPS_CLOSED)
		return false;
	if (ep->state == TCPS_LISTEN)
		return true;
	return seg->src_addr == ep->remote_addr && seg->src_port == ep->remote_port;
}

bool tcp_reset_for(const struct tcp_seg *seg, struct tcp_seg *rst)
{
	/* RFC 9293 §3.10.7.1: "An incoming segment containing a RST is
	 * discarded"; otherwise the RST takes its sequence number from the
	 * ACK field, or acknowledges the segment when it has none. */
	if (seg->flags & TH_RST)
		return false;
	memset(rst, 0, sizeof(*rst));
	rst->src_addr = seg->dst_addr;
	rst->dst_addr = seg->src_addr;
	rst->src_port = seg->dst_port;
	rst->dst_port = seg->src_port;
	if (seg->flags & TH_ACK) {
		rst->seq = seg->ack;
		rst->flags = TH_RST;
	} else {
		uint32_t seg_len = seg->len + !!(seg->flags & TH_SYN) + !!(seg->flags & TH_FIN);
		rst->seq = 0;
		rst->ack = seg->seq + seg_len;
		rst->flags = TH_RST | TH_ACK;
	}
	return true;
}

enum tcp_state tcp_state(const struct tcp_ep *ep) { return ep->state; }
enum tcp_error tcp_error(const struct tcp_ep *ep) { return ep->error; }
const struct tcp_stats *tcp_stats(const struct tcp_ep *ep) { return &ep->stats; }
uint64_t tcp_cwnd(const struct tcp_ep *ep) { return ep->cc.cwnd_bytes; }
const struct cc *tcp_cc(const struct tcp_ep *ep) { return &ep->cc; }
uint64_t tcp_ssthresh(const struct tcp_ep *ep) { return ep->cc.ssthresh_bytes; }
uint64_t tcp_srtt_ns(const struct tcp_ep *ep) { return ep->rtt.srtt_ns; }
uint64_t tcp_rto_ns(const struct tcp_ep *ep) { return rtt_rto(&ep->rtt); }
uint64_t tcp_rttvar_ns(const struct tcp_ep *ep) { return ep->rtt.rttvar_ns; }
uint64_t tcp_last_rtt_ns(const struct tcp_ep *ep) { return ep->rtt.last_ns; }
uint64_t tcp_flight_bytes(const struct tcp_ep *ep) { return (uint32_t)(ep->snd_max - ep->snd_una); }

enum tcp_cc_state tcp_cc_state(const struct tcp_ep *ep)
{
	if (ep->in_recovery)
		return TCP_CC_RECOVERY;
	return ep->in_loss ? TCP_CC_LOSS : TCP_CC_OPEN;
}
uint32_t tcp_smss(const struct tcp_ep *ep) { return ep->smss; }
bool tcp_sack_in_use(const struct tcp_ep *ep) { return ep->sack_ok; }

const char *tcp_recovery_name(enum tcp_recovery r)
{
	static const char *const names[] = {
		[TCP_RECOVERY_PRR] = "prr",
		[TCP_RECOVERY_PRR_CRB] = "prr-crb",
		[TCP_RECOVERY_RFC6675] = "rfc6675",
	};
	return names[r];
}
bool tcp_ecn_ok(const struct tcp_ep *ep) { return ep->ecn.ok; }
