/*
 * cc_newreno: Reno (RFC 5681) and NewReno (RFC 6582) window arithmetic.
 *
 * Reno and NewReno share every rule about cwnd; they differ in when recovery
 * ends (NewReno stays in it across partial ACKs, RFC 6582), which is tcp's
 * decision. Hence one set of functions here.
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
		/* RFC 5681 §3.1 equation (2): slow start, cwnd += min(N, SMSS);
		 * with RFC 3465 byte counting, min(N, L*SMSS). */
		uint64_t limit = (uint64_t)c->abc_limit * c->smss;
		c->cwnd_bytes += acked_bytes < limit ? acked_bytes : limit;
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

static void reno_on_dupack_in_recovery(struct cc *c)
{
	/* RFC 5681 §3.2 step 4: inflate by SMSS per additional duplicate ACK. */
	c->cwnd_bytes += c->smss;
}

static void reno_on_partial_ack(struct cc *c, uint32_t acked_bytes)
{
	/* RFC 6582 §3.2 step 3 (partial ACK): deflate by the new data acknowledged,
	 * then add back SMSS if that amount was at least SMSS. */
	c->cwnd_bytes = c->cwnd_bytes > acked_bytes ? c->cwnd_bytes - acked_bytes : 0;
	if (acked_bytes >= c->smss)
		c->cwnd_bytes += c->smss;
	/* Not in the RFC: never below one segment, so that the retransmission
	 * of the next hole can always be sent. */
	if (c->cwnd_bytes < c->smss)
		c->cwnd_bytes = c->smss;
}

static void reno_on_recovery_exit(struct cc *c, uint64_t flight_bytes)
{
	/* RFC 6582 §3.2 step 3 (full ACK), option (1): cwnd = min(ssthresh,
	 * max(FlightSize, SMSS) + SMSS), which avoids a burst when little is
	 * outstanding; with much outstanding this is RFC 5681 step 6's
	 * "set cwnd to ssthresh". */
	uint64_t f = flight_bytes > c->smss ? flight_bytes : c->smss;
	uint64_t w = f + c->smss;
	c->cwnd_bytes = w < c->ssthresh_bytes ? w : c->ssthresh_bytes;
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

const struct cc_ops cc_newreno = {
	.name = "newreno",
	.partial_ack_stays_in_recovery = true,
	.on_ack = reno_on_ack,
	.on_fast_retransmit = reno_on_fast_retransmit,
	.on_sack_recovery = reno_on_sack_recovery,
	.on_dupack_in_recovery = reno_on_dupack_in_recovery,
	.on_partial_ack = reno_on_partial_ack,
	.on_recovery_exit = reno_on_recovery_exit,
	.on_rto = reno_on_rto,
};

/* Reno: the same window arithmetic; recovery ends on the first new ACK. */
const struct cc_ops cc_reno = {
	.name = "reno",
	.partial_ack_stays_in_recovery = false,
	.on_ack = reno_on_ack,
	.on_fast_retransmit = reno_on_fast_retransmit,
	.on_sack_recovery = reno_on_sack_recovery,
	.on_dupack_in_recovery = reno_on_dupack_in_recovery,
	.on_partial_ack = reno_on_partial_ack,
	.on_recovery_exit = reno_on_recovery_exit,
	.on_rto = reno_on_rto,
};

