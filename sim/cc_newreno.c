/*
 * cc_newreno: Reno (RFC 5681) and NewReno (RFC 6582) window arithmetic.
 *
 * Reno and NewReno share every rule about cwnd; they differ in when recovery
 * ends (NewReno stays in it across partial ACKs, RFC 6582), which is tcp's
 * decision. Hence one set of functions here; fast recovery's arithmetic,
 * which CUBIC shares too, is in cc.c.
 */
#include "cc.h"

/* RFC 5681 equation (4): ssthresh = max(FlightSize / 2, 2*SMSS). */
static uint64_t half_flight(const struct cc *c, uint64_t flight_bytes)
{
	uint64_t half = flight_bytes / 2;
	return half > 2ull * c->smss ? half : 2ull * c->smss;
}

static void reno_on_ack(struct cc *c, uint32_t acked_bytes)
{
	if (c->cwnd_bytes < c->ssthresh_bytes) {
		/* RFC 5681 §3.1 equation (2), with RFC 3465's L (cc.c). */
		c->cwnd_bytes += cc_slow_start_increase(c, acked_bytes);
		return;
	}
	/* RFC 5681 §3.1, byte counting form of congestion avoidance: once the
	 * bytes acknowledged since the last increase reach cwnd, add one SMSS. */
	c->ca_acked_bytes += acked_bytes;
	if (c->ca_acked_bytes >= c->cwnd_bytes) {
		c->ca_acked_bytes -= c->cwnd_bytes;
		c->cwnd_bytes += c->smss;
	}
}

static void reno_on_fast_retransmit(struct cc *c, uint64_t flight_bytes)
{
	/* RFC 5681 §3.2 step 2: ssthresh per equation (4);
	 * step 3: cwnd = ssthresh + 3*SMSS, inflated by the three segments
	 * that left the network. */
	c->ssthresh_bytes = half_flight(c, flight_bytes);
	c->cwnd_bytes = c->ssthresh_bytes + 3ull * c->smss;
	c->ca_acked_bytes = 0;
}

static void reno_on_sack_recovery(struct cc *c, uint64_t flight_bytes)
{
	/* RFC 6675 §5 step 4.2: "ssthresh = cwnd = (FlightSize / 2)", with
	 * equation (4)'s floor of 2*SMSS (RFC 5681 §3.2 step 2). */
	c->ssthresh_bytes = half_flight(c, flight_bytes);
	c->cwnd_bytes = c->ssthresh_bytes;
	c->ca_acked_bytes = 0;
}

static void reno_on_rto(struct cc *c, uint64_t flight_bytes, bool again)
{
	/* RFC 5681 §3.1: equation (4) for ssthresh, then equation (5):
	 * cwnd = LW = 1 SMSS. When the segment was already retransmitted by a
	 * timeout, "the value of ssthresh is held constant". */
	if (!again)
		c->ssthresh_bytes = half_flight(c, flight_bytes);
	c->cwnd_bytes = c->smss;
	c->ca_acked_bytes = 0;
}

static void reno_on_ecn_echo(struct cc *c, uint64_t flight_bytes)
{
	/* RFC 3168 §6.1.2: "the congestion control algorithms followed at
	 * the end-systems SHOULD be identical to those followed for a
	 * dropped packet": ssthresh by RFC 5681 equation (4), then, as at the
	 * end of fast recovery, cwnd = ssthresh; no retransmission, so no
	 * inflation by the segments that left (§3.2 step 3). */
	c->ssthresh_bytes = half_flight(c, flight_bytes);
	c->cwnd_bytes = c->ssthresh_bytes;
	c->ca_acked_bytes = 0;
}

const struct cc_ops cc_newreno = {
	.name = "newreno",
	.partial_ack_stays_in_recovery = true,
	.on_ack = reno_on_ack,
	.on_fast_retransmit = reno_on_fast_retransmit,
	.on_sack_recovery = reno_on_sack_recovery,
	.on_dupack_in_recovery = cc_recovery_dupack,
	.on_partial_ack = cc_recovery_partial_ack,
	.on_recovery_exit = cc_recovery_exit,
	.on_rto = reno_on_rto,
	.on_ecn_echo = reno_on_ecn_echo,
};

/* Reno: the same window arithmetic; recovery ends on the first new ACK. */
const struct cc_ops cc_reno = {
	.name = "reno",
	.partial_ack_stays_in_recovery = false,
	.on_ack = reno_on_ack,
	.on_fast_retransmit = reno_on_fast_retransmit,
	.on_sack_recovery = reno_on_sack_recovery,
	.on_dupack_in_recovery = cc_recovery_dupack,
	.on_partial_ack = cc_recovery_partial_ack,
	.on_recovery_exit = cc_recovery_exit,
	.on_rto = reno_on_rto,
	.on_ecn_echo = reno_on_ecn_echo,
};

