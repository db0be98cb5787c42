/*
 * tcp_ecn.c: Explicit Congestion Notification for the endpoint (RFC 3168
 * §6.1), kept out of the input and output paths so that each of those
 * calls one function here at the point the RFC names:
 *
 *   negotiation (§6.1.1)    tcp_send_syn -> tcp_ecn_syn_flags: ECE+CWR on
 *                           the SYN, ECE on the SYN-ACK; take_syn_options
 *                           -> tcp_ecn_take_syn: in use only when both agree
 *   sender marks (§6.1.2, §6.1.4-6)
 *                           send_data -> tcp_ecn_data: ECT(0) on new data
 *                           only (never SYN, RST, pure ACK, retransmission
 *                           or window probe), CWR on the first new data
 *                           after a reduction
 *   receiver (§6.1.3)       input_synchronized -> tcp_ecn_input: a CWR
 *                           ends the echo, a CE starts it; seg_init ->
 *                           tcp_ecn_ack_flags: ECE on every ACK meanwhile
 *   sender reaction (§6.1.2) input_synchronized -> tcp_ecn_on_ack: an ECE
 *                           reduces cwnd through cc's on_ecn_echo, once per
 *                           window and never in loss recovery; fast
 *                           retransmit and RTO -> tcp_ecn_reduced
 *   annotation              emit -> tcp_ecn_why
 *
 * With ECN not negotiated (cfg.ecn false on either host, the default)
 * nothing here changes a bit of any segment.
 */
#include "tcp_var.h"

/*
 * §6.1.1: "Host A sets the ECE and CWR flags in the TCP header of the
 * SYN" (an ECN-setup SYN); "Host B sets the ECE flag, but not the CWR
 * flag, in the SYN-ACK" (an ECN-setup SYN-ACK), and only if the SYN asked
 * and B is willing. Both are sent Not-ECT (§6.1.1: "a host MUST NOT set
 * ECT on SYN or SYN-ACK packets"); a retransmitted SYN asks again (the
 * MAY of §6.1.1.1 to give up ECN after a timeout is not taken).
 */
void tcp_ecn_syn_flags(struct tcp_ep *ep, struct tcp_seg *s, bool synack)
{
	if (synack ? ep->ecn.ok : ep->cfg.ecn)
		s->flags |= synack ? TH_ECE : TH_ECE | TH_CWR;
}

/*
 * §6.1.1: ECN is in use when A sent an ECN-setup SYN and received an
 * ECN-setup SYN-ACK, and at B when it received an ECN-setup SYN and
 * answered with one. A SYN-ACK with both ECE and CWR set is not an
 * ECN-setup SYN-ACK (a middlebox reflecting the SYN's flags): "Host A
 * MUST NOT set ECT on data packets" after it. A SYN without ACK (LISTEN,
 * or a simultaneous open) asks with both flags.
 */
void tcp_ecn_take_syn(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	uint8_t f = seg->flags & (TH_ECE | TH_CWR);

	if (seg->flags & TH_ACK)
		ep->ecn.ok = ep->cfg.ecn && f == TH_ECE;
	else
		ep->ecn.ok = ep->cfg.ecn && f == (TH_ECE | TH_CWR);
	ep->ecn.echo = false;
	ep->ecn.cwr_due = TCP_CWR_NONE;
	ep->ecn.reduced = false;
}

/*
 * §6.1.3: "After a TCP receiver sends an ACK packet with the ECN-Echo bit
 * set, that TCP receiver continues to set the ECN-Echo flag in all the
 * ACK packets it sends (whether they acknowledge CE data packets or
 * non-CE data packets) until it receives a CWR packet". Every segment that
 * carries an ACK, data or not; never a SYN or a RST.
 */
void tcp_ecn_ack_flags(const struct tcp_ep *ep, struct tcp_seg *s)
{
	if (ep->ecn.echo && (s->flags & TH_ACK) && !(s->flags & (TH_SYN | TH_RST)))
		s->flags |= TH_ECE;
}

/*
 * A data segment leaves (send_data). §6.1.2 with §6.1.5: ECT(0) on new
 * data only; "the TCP data sender MUST NOT set either an ECT codepoint or
 * the CWR bit on retransmitted data packets", since a CE on a resent copy
 * would be ambiguous. Window probes have their own sender and never get
 * here (§6.1.6), nor do pure ACKs (§6.1.4), SYNs and RSTs.
 *
 * §6.1.2: "the TCP sender sets the CWR flag in the TCP header of the
 * first new data packet sent after the window reduction".
 */
void tcp_ecn_data(struct tcp_ep *ep, struct tcp_seg *s, bool rexmt)
{
	if (!ep->ecn.ok || rexmt || s->len == 0)
		return;
	s->ecn = IP_ECN_ECT0;
	if (ep->ecn.cwr_due != TCP_CWR_NONE) {
		s->flags |= TH_CWR;
		ep->ecn.cwr_sent = ep->ecn.cwr_due;
		ep->ecn.cwr_due = TCP_CWR_NONE;
		ep->stats.cwr_sent++;
	}
}

/* What the segment's ECN bits mean, for its annotation (emit). */
void tcp_ecn_why(struct tcp_ep *ep, const struct tcp_seg *s, struct tcp_why *why)
{
	if (s->flags & TH_SYN) {
		why->ecn_setup = (s->flags & TH_ECE) != 0;
		return;
	}
	if (s->flags & TH_CWR) {
		why->cwr = ep->ecn.cwr_sent;
		ep->ecn.cwr_sent = TCP_CWR_NONE;
	}
	if (s->flags & TH_ECE) {
		ep->stats.ece_sent++;
		why->ece = true;
		why->ce_seq = ep->ecn.ce_seq;
		why->ce_end = ep->ecn.ce_end;
	}
}

/*
 * An acceptable segment arrives (input_synchronized, after the sequence
 * check). §6.1.3: a CWR ends the echo ("After the receipt of the CWR
 * packet, acknowledgments for subsequent non-CE data packets do not have
 * the ECN-Echo flag set"), and a CE - on this same segment too - starts
 * it again ("If another CE packet is received by the data receiver, the
 * receiver would once again send ACK packets with the ECN-Echo flag set").
 *
 * The ACK itself keeps its timing: §6.1.3 lets a receiver that delays
 * ACKs do so, its ACK carrying ECE "if any of the received data packets
 * are CE packets". So a CE does not force an immediate ACK here (Linux's
 * quick-ACK on CE goes beyond RFC 3168); the echo rides on the ACK the
 * delayed-ACK rules send anyway.
 */
void tcp_ecn_input(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (!ep->ecn.ok)
		return;
	if (seg->flags & TH_CWR)
		ep->ecn.echo = false;
	if (seg->ecn == IP_ECN_CE) {
		ep->stats.ce_received++;
		ep->ecn.echo = true;
		ep->ecn.ce_seq = seg->seq;
		ep->ecn.ce_end = seg->seq + seg->len;
	}
}

/*
 * Any reduction of the window (ECE, fast retransmit, RTO) while ECN is in
 * use: §6.1.2 "When an ECN-Capable TCP sender reduces its congestion
 * window for any reason (because of a retransmit timeout, a Fast
 * Retransmit, or in response to an ECN Notification), the TCP sender sets
 * the CWR flag in the TCP header of the first new data packet sent after
 * the window reduction", and the reduction covers the window of data then
 * outstanding, whatever caused it.
 */
void tcp_ecn_reduced(struct tcp_ep *ep, enum tcp_cwr_reason why)
{
	if (!ep->ecn.ok)
		return;
	ep->ecn.cwr_due = why;
	ep->ecn.reduced = true;
	ep->ecn.recover = ep->snd_max;
}

/*
 * An ACK was processed (after process_ack). §6.1.2: on ECE "the TCP
 * source halves the congestion window "cwnd" and reduces the slow start
 * threshold "ssthresh"" as for a loss (cc's on_ecn_echo), and "should not
 * decrease the slow-start threshold, ssthresh, if it has been decreased
 * within the last round trip time": "the TCP should not react to
 * congestion indications more than once every window of data". Hence no
 * reduction until an ACK goes beyond what was outstanding at the last
 * reduction: the ACK of exactly that data answers segments sent before
 * the CWR, whose receiver still echoes the old CE. A fast retransmit and
 * a timeout are reductions too (tcp_ecn_reduced, with 'recover' at the
 * same snd_max as theirs), so the same rule keeps an ECE in fast recovery
 * or after a timeout from cutting the window a second time. FlightSize
 * is what is outstanding once this ACK is taken.
 */
void tcp_ecn_on_ack(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (!ep->ecn.ok || !(seg->flags & TH_ECE))
		return;
	ep->stats.ece_received++;
	if (ep->ecn.reduced && seq_leq(ep->snd_una, ep->ecn.recover))
		return;
	ep->cc.ops->on_ecn_echo(&ep->cc, tcp_flight_bytes(ep));
	ep->stats.ecn_reductions++;
	tcp_ecn_reduced(ep, TCP_CWR_ECE);
	tcp_note_cwnd(ep);
	tcp_trace(ep, TCP_TR_ECN_REDUCTION);
}
