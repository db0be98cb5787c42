/*
 * tcp_ts.c: RFC 7323 timestamps once negotiated (ep->ts_ok): the timestamp
 * clock (§5.4), the TS.Recent rules (§4.3, §5.3 R3), PAWS (§5.3 R1, §5.5)
 * and round-trip time measurement from every ACK (§4.1, Appendix G).
 *
 * Callers: tcp_output.c stamps TSval with tcp_ts_now(); tcp_input.c calls
 * tcp_ts_syn() when a SYN negotiates the option, tcp_ts_paws_reject() and
 * tcp_ts_update_recent() on every segment of a synchronized connection,
 * and tcp_ts_rtt() on every ACK of new data, before the ACK moves snd_una.
 * Karn's timing of one segment per round trip (tcp_input.c) stays the
 * measurement when timestamps are not in use.
 */
#include "tcp_var.h"

/* RFC 7323 §5.5: TS.Recent is invalid after 24 days without an update. */
#define TCP_PAWS_IDLE_NS (24ull * 24 * 3600 * NS_PER_S)

/* RFC 7323 §5.2: timestamps compare modulo 2^32, a < b when b is less than
 * 2^31 ticks ahead of a. */
static bool ts_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

uint32_t tcp_ts_clock(const struct tcp_cfg *cfg, uint64_t now_ns)
{
	/* floor(now * rate / 10^9) without overflowing 64 bits: the whole
	 * seconds, then the rest of one. */
	uint64_t ticks = now_ns / NS_PER_S * cfg->ts_rate_hz +
			 now_ns % NS_PER_S * cfg->ts_rate_hz / NS_PER_S;

	return cfg->ts_initial + (uint32_t)ticks;
}

uint32_t tcp_ts_now(const struct tcp_ep *ep)
{
	return tcp_ts_clock(&ep->cfg, engine_now(ep->eng));
}

/* TS.Recent takes the peer's TSval, and its age restarts. */
static void set_recent(struct tcp_ep *ep, uint32_t tsval)
{
	ep->ts_recent = tsval;
	ep->ts_recent_ns = engine_now(ep->eng);
}

void tcp_ts_syn(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	/* RFC 7323 §3.2 / Appendix D: the SYN's TSval is the first TS.Recent. */
	set_recent(ep, seg->opt.ts_val);
}

/*
 * RFC 7323 §5.3 R1: a segment with a TSval older than TS.Recent is an old
 * duplicate: it is not acceptable, and "an acknowledgment in reply" is
 * sent (RFC 9293 §3.10.7.4's <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>), so that
 * a half-open connection is still found. A RST is exempt (R1: "and if the
 * RST bit is not set"), as is a segment without the option.
 *
 * RFC 7323 §5.5: TS.Recent older than 24 days (here: not updated for more
 * than 24 days of this host's time) is invalid, for the peer's clock may
 * have moved on by 2^31 ticks and its newest TSval compare as older. Then
 * the segment is accepted and its TSval becomes TS.Recent (Appendix D:
 * "If the connection has been idle more than 24 days, save SEG.TSval in
 * variable TS.Recent"), as BSD and Linux do.
 */
bool tcp_ts_paws_reject(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	if (!ep->ts_ok || !seg->opt.has_ts || (seg->flags & TH_RST) ||
	    !ts_lt(seg->opt.ts_val, ep->ts_recent))
		return false;
	if (engine_now(ep->eng) - ep->ts_recent_ns > TCP_PAWS_IDLE_NS) {
		set_recent(ep, seg->opt.ts_val);
		return false;
	}
	ep->stats.paws_dropped++;
	ep->ack_now = true;
	tcp_set_cause(ep, TCP_WHY_ACK_PAWS, seg->opt.ts_val, ep->ts_recent);
	return true;
}

/*
 * RFC 7323 §4.3 (2) and §5.3 R3: TS.Recent takes the TSval of a segment
 * that is not older (SEG.TSval >= TS.Recent: never a RST's older one) and
 * that covers Last.ACK.sent, the left edge of what we acknowledged last:
 * SEG.SEQ <= Last.ACK.sent <= SEG.SEQ + SEG.LEN, SYN and FIN counted in
 * SEG.LEN. So while an ACK is delayed, TS.Recent stays the TSval of the
 * first segment it will acknowledge (§4.3 (A): the delayed ACK echoes the
 * earliest unacknowledged segment); a segment beyond a hole does not move
 * it (§4.3 (B): its duplicate ACK echoes the last segment that advanced
 * the left edge); the segment that fills the hole does (§4.3 (C)).
 *
 * The right end is <=, not RFC 793/1323's <, as in BSD (Stevens, TCP/IP
 * Illustrated vol. 2, p. 869) and as R3 itself, which bounds SEG.SEQ only:
 * with < a pure ACK (SEG.LEN = 0) could never update TS.Recent, and a host
 * receiving nothing but ACKs would echo its peer's SYN-ACK TSval for ever.
 */
void tcp_ts_update_recent(struct tcp_ep *ep, const struct tcp_seg *seg)
{
	uint32_t space = seg->len + !!(seg->flags & TH_SYN) + !!(seg->flags & TH_FIN);

	if (!ep->ts_ok || !seg->opt.has_ts || ts_lt(seg->opt.ts_val, ep->ts_recent))
		return;
	if (seq_leq(seg->seq, ep->last_ack_sent) && seq_leq(ep->last_ack_sent, seg->seq + space))
		set_recent(ep, seg->opt.ts_val);
}

/*
 * RFC 7323 §4.1 (RTTM): an ACK that acknowledges new data measures the
 * round trip from its TSecr, the TSval of the segment that made the peer
 * send it: RTT = now - TSecr on our own clock. A retransmission is timed
 * like any segment, since the echo names the transmission that arrived
 * (Karn's ambiguity is gone), so the sample also ends the backoff
 * (RFC 6298 §5.7's "valid sample"). An echo from the future (TSecr ahead
 * of our clock) is no TSval of ours and gives no sample.
 *
 * Resolution: the TS clock ticks every 1/ts_rate_hz seconds, so a sample
 * is a whole number of ticks. A round trip shorter than a tick reads as 0
 * or 1 tick depending on where the ticks fall; 0 is taken as 1 tick, the
 * clock's resolution, as Linux does (tcp_rtt_tsopt_us), so that SRTT never
 * claims a round trip the clock cannot see. With the default 1000 Hz a
 * 0.3 ms path measures 1 ms.
 *
 * RFC 7323 Appendix G feeds the sample with alpha and beta divided by
 * ExpectedSamples = ceiling(FlightSize / (SMSS * 2)); FlightSize is what
 * was outstanding when the ACK arrived (flight_bytes, before it moves
 * snd_una): the window this ACK is one of the samples of.
 *
 * Returns whether a sample was taken.
 */
bool tcp_ts_rtt(struct tcp_ep *ep, const struct tcp_seg *seg, uint64_t flight_bytes)
{
	uint32_t ticks;
	uint64_t rtt_ns;

	if (!ep->ts_ok || !seg->opt.has_ts || !(seg->flags & TH_ACK))
		return false;
	ticks = tcp_ts_now(ep) - seg->opt.ts_ecr;
	if ((int32_t)ticks < 0)
		return false;
	if (ticks == 0)
		ticks = 1;
	rtt_ns = (uint64_t)ticks * NS_PER_S / ep->cfg.ts_rate_hz;
	rtt_sample_n(&ep->rtt, rtt_ns, rtt_expected_samples(flight_bytes, ep->smss));
	rtt_reset_backoff(&ep->rtt);
	ep->stats.rtt_samples++;
	tcp_trace(ep, TCP_TR_RTT_SAMPLE);
	return true;
}
