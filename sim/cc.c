/*
 * cc: what every algorithm shares (see cc.h): the initial window, the
 * registry that finds an algorithm by the name a scenario gives, and the
 * slow start and fast recovery arithmetic of RFC 5681 / RFC 6582 that
 * Reno, NewReno and CUBIC all use.
 */
#include "cc.h"

#include <string.h>

/*
 * Every algorithm a scenario can name. Adding one is its own file
 * (cc_NAME.c, declaring its struct cc_ops in cc.h) and one line here.
 */
static const struct cc_ops *const algorithms[] = {
	&cc_newreno,
	&cc_reno,
	&cc_cubic,
};

void cc_init(struct cc *c, const struct cc_ops *ops, uint32_t smss, uint32_t initial_cwnd_segments)
{
	c->ops = ops;
	c->smss = smss;
	/* RFC 6928 §2 / RFC 5681 §3.1: the initial window, in segments. */
	c->cwnd_bytes = (uint64_t)initial_cwnd_segments * smss;
	/* RFC 5681 §3.1: "The initial value of ssthresh SHOULD be set arbitrarily high". */
	c->ssthresh_bytes = CC_SSTHRESH_INFINITE;
	c->ca_acked_bytes = 0;
	c->abc_limit = 1;
	c->env = (struct cc_env){ 0 };
	c->hystart = false;
	c->events = 0;
	c->hs = (struct cc_hystart){ 0 };
	c->cubic = (struct cc_cubic){ 0 };
}

uint64_t cc_slow_start_increase(const struct cc *c, uint32_t acked_bytes)
{
	/* RFC 5681 §3.1 equation (2): slow start, cwnd += min(N, SMSS);
	 * with RFC 3465 byte counting, min(N, L*SMSS). */
	uint64_t limit = (uint64_t)c->abc_limit * c->smss;
	return acked_bytes < limit ? acked_bytes : limit;
}

void cc_recovery_dupack(struct cc *c)
{
	/* RFC 5681 §3.2 step 4: inflate by SMSS per additional duplicate ACK. */
	c->cwnd_bytes += c->smss;
}

void cc_recovery_partial_ack(struct cc *c, uint32_t acked_bytes)
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

void cc_recovery_exit(struct cc *c, uint64_t flight_bytes)
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

const struct cc_ops *cc_find(const char *name)
{
	for (size_t i = 0; i < sizeof(algorithms) / sizeof(algorithms[0]); i++)
		if (strcmp(algorithms[i]->name, name) == 0)
			return algorithms[i];
	return NULL;
}

size_t cc_count(void)
{
	return sizeof(algorithms) / sizeof(algorithms[0]);
}

const struct cc_ops *cc_at(size_t i)
{
	return i < cc_count() ? algorithms[i] : NULL;
}
