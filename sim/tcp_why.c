/*
 * tcp_why.c: the words for why a segment was sent (see struct tcp_why in
 * tcp.h). Sequence and acknowledgment numbers are relative to the
 * sender's ISS and the peer's, as Wireshark shows them by default, so an
 * annotation reads beside Wireshark's columns.
 */
#include "tcp.h"

#include <stdarg.h>
#include <stdio.h>

static const char *const kind_names[] = {
	[TCP_WHY_SYN] = "syn",
	[TCP_WHY_SYN_ACK] = "syn_ack",
	[TCP_WHY_SYN_RETRANSMIT] = "syn_retransmit",
	[TCP_WHY_DATA] = "data",
	[TCP_WHY_DATA_NAGLE_RELEASED] = "nagle_released",
	[TCP_WHY_DATA_OVERRIDE] = "sws_override",
	[TCP_WHY_LIMITED_TRANSMIT] = "limited_transmit",
	[TCP_WHY_FAST_RETRANSMIT] = "fast_retransmit",
	[TCP_WHY_PARTIAL_ACK] = "partial_ack_retransmit",
	[TCP_WHY_RTO_RETRANSMIT] = "rto_retransmit",
	[TCP_WHY_RETRANSMIT] = "retransmit",
	[TCP_WHY_SACK_FAST_RETRANSMIT] = "sack_fast_retransmit",
	[TCP_WHY_SACK_RETRANSMIT] = "sack_retransmit",
	[TCP_WHY_SACK_RULE3] = "sack_retransmit_rule3",
	[TCP_WHY_SACK_RESCUE] = "sack_rescue_retransmit",
	[TCP_WHY_SACK_HOLE_AFTER_RTO] = "sack_hole_after_rto",
	[TCP_WHY_RACK_LOST] = "rack_lost",
	[TCP_WHY_RACK_FAST_RETRANSMIT] = "rack_fast_retransmit",
	[TCP_WHY_RACK_LOST_AGAIN] = "rack_lost_again",
	[TCP_WHY_RACK_FAST_AGAIN] = "rack_fast_retransmit_again",
	[TCP_WHY_TLP] = "tail_loss_probe",
	[TCP_WHY_PROBE] = "window_probe",
	[TCP_WHY_FIN] = "fin",
	[TCP_WHY_ACK] = "ack",
	[TCP_WHY_ACK_DELAYED] = "delayed_ack",
	[TCP_WHY_ACK_DELAY_DUE] = "delayed_ack_due",
	[TCP_WHY_ACK_SECOND] = "ack_second_segment",
	[TCP_WHY_ACK_OUT_OF_ORDER] = "dup_ack",
	[TCP_WHY_ACK_FILLS_HOLE] = "ack_fills_hole",
	[TCP_WHY_ACK_QUICK] = "quick_ack",
	[TCP_WHY_ACK_PUSH] = "ack_push",
	[TCP_WHY_ACK_FIN] = "ack_fin",
	[TCP_WHY_ACK_HANDSHAKE] = "handshake_ack",
	[TCP_WHY_ACK_DUPLICATE_DATA] = "ack_duplicate_data",
	[TCP_WHY_ACK_UNACCEPTABLE] = "ack_unacceptable",
	[TCP_WHY_ACK_PROBE] = "ack_probe",
	[TCP_WHY_ACK_PAWS] = "ack_paws",
	[TCP_WHY_WINDOW_UPDATE] = "window_update",
	[TCP_WHY_ACK_WINDOW_OPENED] = "ack_window_opened",
	[TCP_WHY_RST] = "rst",
	[TCP_WHY_RST_ABORT] = "rst_abort",
	[TCP_WHY_RST_TIMEOUT] = "rst_timeout",
	[TCP_WHY_RST_NO_SOCKET] = "rst_no_socket",
};

const char *tcp_why_kind_name(enum tcp_why_kind k)
{
	return kind_names[k];
}

/* Appends to buf at *at, never past len, always NUL-terminated. */
static void put(char *buf, size_t len, size_t *at, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (*at >= len)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *at, len - *at, fmt, ap);
	va_end(ap);
	if (n > 0)
		*at = *at + (size_t)n < len ? *at + (size_t)n : len - 1;
}

/* A duration in the fewest digits that say it exactly to the microsecond:
 * "200ms", "1.2s", "1.5ms". */
static void put_duration(char *buf, size_t len, size_t *at, uint64_t ns)
{
	if (ns >= 1000000000u && ns % 1000000u == 0)
		put(buf, len, at, "%gs", (double)ns / 1e9);
	else if (ns >= 1000000u)
		put(buf, len, at, "%gms", (double)(ns / 1000u) / 1e3);
	else
		put(buf, len, at, "%gus", (double)ns / 1e3);
}

/* RFC 3168: what the segment's ECN flags say, after the rule's words. */
static void put_ecn(const struct tcp_why *w, const struct tcp_seg *s, char *buf, size_t len,
		    size_t *at)
{
	static const char *const after[] = {
		[TCP_CWR_NONE] = "",
		[TCP_CWR_ECE] = "ECE",
		[TCP_CWR_FAST_RETRANSMIT] = "fast retransmit",
		[TCP_CWR_RTO] = "RTO",
	};

	if (w->ecn_setup)
		put(buf, len, at, (s->flags & TH_ACK) ? ", ECN-setup SYN-ACK (ECE): ECN agreed" :
			", ECN-setup SYN (ECE+CWR): asks for ECN");
	if (w->cwr != TCP_CWR_NONE)
		put(buf, len, at, ", CWR: cwnd reduced after %s", after[w->cwr]);
	if (w->ece)
		put(buf, len, at, ", ECE: echoing CE of %u:%u", w->ce_seq - w->irs, w->ce_end - w->irs);
}

size_t tcp_why_format(const struct tcp_why *w, const struct tcp_seg *s, char *buf, size_t len)
{
	uint32_t rseq = s->seq - w->iss;
	uint32_t rend = rseq + s->len;
	uint32_t rack = w->synchronized ? s->ack - w->irs : s->ack;
	size_t at = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	switch (w->kind) {
	case TCP_WHY_SYN:
		put(buf, len, &at, "SYN: active open");
		break;
	case TCP_WHY_SYN_ACK:
		put(buf, len, &at, "SYN-ACK: reply to the SYN");
		break;
	case TCP_WHY_SYN_RETRANSMIT:
		put(buf, len, &at, "%s retransmission: RTO #%llu (", (s->flags & TH_ACK) ? "SYN-ACK" : "SYN",
		    (unsigned long long)w->n);
		put_duration(buf, len, &at, w->arg);
		put(buf, len, &at, ")");
		break;
	case TCP_WHY_DATA:
		put(buf, len, &at, "new data %u:%u", rseq, rend);
		break;
	case TCP_WHY_DATA_NAGLE_RELEASED:
		put(buf, len, &at, "new data %u:%u, Nagle released (ACK of %u)", rseq, rend,
		    (uint32_t)(w->arg - w->iss));
		break;
	case TCP_WHY_DATA_OVERRIDE:
		put(buf, len, &at, "new data %u:%u, forced out by the SWS override timer", rseq, rend);
		break;
	case TCP_WHY_LIMITED_TRANSMIT:
		put(buf, len, &at, "new data %u:%u, limited transmit after dup ACK #%llu", rseq, rend,
		    (unsigned long long)w->n);
		break;
	case TCP_WHY_FAST_RETRANSMIT:
		put(buf, len, &at, "fast retransmit of %u:%u after dup ACK #%llu", rseq, rend,
		    (unsigned long long)w->n);
		break;
	case TCP_WHY_PARTIAL_ACK:
		put(buf, len, &at, "retransmission of %u:%u after partial ACK of %u", rseq, rend,
		    (uint32_t)(w->arg - w->iss));
		break;
	case TCP_WHY_RTO_RETRANSMIT:
		put(buf, len, &at, "RTO #%llu retransmission of %u:%u (timeout ", (unsigned long long)w->n,
		    rseq, rend);
		put_duration(buf, len, &at, w->arg);
		put(buf, len, &at, ")");
		break;
	case TCP_WHY_RETRANSMIT:
		put(buf, len, &at, "retransmission of %u:%u", rseq, rend);
		break;
	case TCP_WHY_SACK_FAST_RETRANSMIT:
		put(buf, len, &at, "SACK fast retransmit of %u:%u (DupAcks %llu, %llu SACKed above)",
		    rseq, rend, (unsigned long long)w->n, (unsigned long long)w->arg);
		break;
	case TCP_WHY_SACK_RETRANSMIT:
		put(buf, len, &at, "SACK retransmit of %u:%u (lost: %llu SACKed above)", rseq, rend,
		    (unsigned long long)w->arg);
		break;
	case TCP_WHY_SACK_RULE3:
		put(buf, len, &at, "SACK retransmit of %u:%u (not yet lost, %llu SACKed above: "
		    "NextSeg rule 3)", rseq, rend, (unsigned long long)w->arg);
		break;
	case TCP_WHY_SACK_RESCUE:
		put(buf, len, &at, "rescue retransmission of %u:%u (NextSeg rule 4)", rseq, rend);
		break;
	case TCP_WHY_SACK_HOLE_AFTER_RTO:
		put(buf, len, &at, "retransmission of %u:%u after the timeout (a hole: SACKed data "
		    "skipped)", rseq, rend);
		break;
	case TCP_WHY_RACK_LOST:
	case TCP_WHY_RACK_FAST_RETRANSMIT:
	case TCP_WHY_RACK_LOST_AGAIN:
	case TCP_WHY_RACK_FAST_AGAIN:
		if (w->kind == TCP_WHY_RACK_FAST_RETRANSMIT)
			put(buf, len, &at, "RACK fast retransmit of %u:%u, lost (sent ", rseq, rend);
		else if (w->kind == TCP_WHY_RACK_FAST_AGAIN)
			put(buf, len, &at, "RACK fast retransmit of %u:%u, its retransmission lost "
			    "too (resent ", rseq, rend);
		else if (w->kind == TCP_WHY_RACK_LOST_AGAIN)
			put(buf, len, &at, "RACK: retransmission of %u:%u lost too (resent ", rseq,
			    rend);
		else
			put(buf, len, &at, "RACK: lost %u:%u (sent ", rseq, rend);
		put_duration(buf, len, &at, w->n);
		put(buf, len, &at, " before the last delivered, reo_wnd ");
		put_duration(buf, len, &at, w->arg);
		put(buf, len, &at, ")");
		break;
	case TCP_WHY_TLP:
		put(buf, len, &at, "tail loss probe: %s %u:%u (PTO ",
		    (w->n & TCP_WHY_TLP_NEW) ? "new data" : "the last segment again", rseq, rend);
		if (w->n & TCP_WHY_TLP_CAPPED) {
			put(buf, len, &at, "= what was left of the RTO, ");
			put_duration(buf, len, &at, w->arg);
		} else if (w->n & TCP_WHY_TLP_NO_RTT) {
			put(buf, len, &at, "1s: no RTT sample yet");
		} else {
			put(buf, len, &at, "2*SRTT%s = ", (w->n & TCP_WHY_TLP_DELACK) ? " + WCDelAckT" : "");
			put_duration(buf, len, &at, w->arg);
			if (w->n & TCP_WHY_TLP_DELACK)
				put(buf, len, &at, ": one segment in flight");
		}
		put(buf, len, &at, ")");
		break;
	case TCP_WHY_PROBE:
		put(buf, len, &at, "window probe #%llu", (unsigned long long)w->n);
		break;
	case TCP_WHY_FIN:
		put(buf, len, &at, "FIN: the application closed");
		break;
	case TCP_WHY_ACK:
		put(buf, len, &at, "ACK %u", rack);
		break;
	case TCP_WHY_ACK_DELAYED:
		put(buf, len, &at, "delayed ACK %u (timer, ", rack);
		put_duration(buf, len, &at, w->arg);
		put(buf, len, &at, ")");
		break;
	case TCP_WHY_ACK_DELAY_DUE:
		put(buf, len, &at, "ACK %u: the delayed ACK was due within a quarter of its delay", rack);
		break;
	case TCP_WHY_ACK_SECOND:
		put(buf, len, &at, "ACK %u: a second full segment arrived", rack);
		break;
	case TCP_WHY_ACK_OUT_OF_ORDER:
		if (w->dup_ack)
			put(buf, len, &at, "dup ACK #%llu of %u: out-of-order data",
			    (unsigned long long)w->dup_ack, rack);
		else
			put(buf, len, &at, "ACK %u at once: out-of-order data (a new window: "
			    "not a duplicate)", rack);
		break;
	case TCP_WHY_ACK_FILLS_HOLE:
		put(buf, len, &at, "ACK %u at once: data filled a hole", rack);
		break;
	case TCP_WHY_ACK_QUICK:
		put(buf, len, &at, "ACK %u at once (quick ACK)", rack);
		break;
	case TCP_WHY_ACK_PUSH:
		put(buf, len, &at, "ACK %u at once (PSH)", rack);
		break;
	case TCP_WHY_ACK_FIN:
		put(buf, len, &at, "ACK of the peer's FIN");
		break;
	case TCP_WHY_ACK_HANDSHAKE:
		put(buf, len, &at, "ACK of the SYN-ACK: handshake complete");
		break;
	case TCP_WHY_ACK_DUPLICATE_DATA:
		put(buf, len, &at, "ACK %u: data already received", rack);
		break;
	case TCP_WHY_ACK_UNACCEPTABLE:
		put(buf, len, &at, "ACK %u: segment outside the window", rack);
		break;
	case TCP_WHY_ACK_PROBE:
		put(buf, len, &at, "ACK %u: reply to a window probe", rack);
		break;
	case TCP_WHY_ACK_PAWS:
		put(buf, len, &at, "ACK %u: PAWS discarded an old duplicate (TSval %llu < TS.Recent %llu)",
		    rack, (unsigned long long)w->n, (unsigned long long)w->arg);
		break;
	case TCP_WHY_WINDOW_UPDATE:
		put(buf, len, &at, "window update: the application read");
		break;
	case TCP_WHY_ACK_WINDOW_OPENED:
		put(buf, len, &at, "ACK %u at once: the reader took the data, the window opened", rack);
		break;
	case TCP_WHY_RST:
		put(buf, len, &at, "RST");
		break;
	case TCP_WHY_RST_ABORT:
		put(buf, len, &at, "RST: the application aborted");
		break;
	case TCP_WHY_RST_TIMEOUT:
		put(buf, len, &at, "RST: retry limit reached, connection aborted");
		break;
	case TCP_WHY_RST_NO_SOCKET:
		put(buf, len, &at, "RST: no socket for this segment");
		break;
	}
	if (w->dup_ack && w->kind != TCP_WHY_ACK_OUT_OF_ORDER)
		put(buf, len, &at, " (dup ACK #%llu)", (unsigned long long)w->dup_ack);
	if ((s->flags & TH_FIN) && w->kind != TCP_WHY_FIN)
		put(buf, len, &at, " +FIN");
	put_ecn(w, s, buf, len, &at);
	if (s->flags & TH_RST)
		return at;          /* a reset ends the connection: no state to show */
	if (s->flags & TH_SYN) {
		/* Before the handshake only the timer matters. */
		put(buf, len, &at, " | rto ");
		put_duration(buf, len, &at, w->rto_ns);
		return at;
	}
	if (s->len == 0 && !(s->flags & TH_FIN) && w->flight_bytes == 0)
		return at;          /* a pure ACK from a host with nothing in flight */
	put(buf, len, &at, " | cwnd %llu ssthresh ", (unsigned long long)w->cwnd_bytes);
	if (w->ssthresh_bytes == UINT64_MAX)
		put(buf, len, &at, "inf");
	else
		put(buf, len, &at, "%llu", (unsigned long long)w->ssthresh_bytes);
	put(buf, len, &at, " flight %llu rto ", (unsigned long long)w->flight_bytes);
	put_duration(buf, len, &at, w->rto_ns);
	put(buf, len, &at, " | %s", tcp_cc_state_name(w->cc));
	return at;
}
