/*
 * rtt: RFC 6298 arithmetic (see rtt.h).
 */
#include "rtt.h"

static uint64_t clamp(uint64_t v, uint64_t lo, uint64_t hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

void rtt_init(struct rtt *r, uint64_t initial_rto_ns, uint64_t min_rto_ns, uint64_t max_rto_ns)
{
	r->have_sample = false;
	r->srtt_ns = 0;
	r->rttvar_ns = 0;
	r->min_rto_ns = min_rto_ns;
	r->max_rto_ns = max_rto_ns;
	/* RFC 6298 (2.1): until a sample is taken, RTO is the initial value (1 s). */
	r->base_rto_ns = initial_rto_ns;
	r->backoff = 0;
	r->samples = 0;
	r->last_ns = 0;
}

static void recompute(struct rtt *r)
{
	uint64_t var = RTT_K * r->rttvar_ns;

	/* RFC 6298 (2.2)/(2.3): RTO = SRTT + max(G, K*RTTVAR);
	 * (2.4) rounded up to min_rto; (2.5) a maximum may be placed. */
	if (var < RTT_CLOCK_GRANULARITY_NS)
		var = RTT_CLOCK_GRANULARITY_NS;
	r->base_rto_ns = clamp(r->srtt_ns + var, r->min_rto_ns, r->max_rto_ns);
}

/*
 * x' = ((d - 1) * x + y) / d, rounded down, without forming (d - 1) * x
 * (which could overflow for a large d): x + (y - x) / d when y >= x, else
 * x - ceiling((x - y) / d). For d = 8 and d = 4 these are RFC 6298's
 * 7/8 SRTT + 1/8 R' and 3/4 RTTVAR + 1/4 |SRTT - R'|.
 */
static uint64_t ewma(uint64_t x, uint64_t y, uint64_t d)
{
	if (y >= x)
		return x + (y - x) / d;
	return x - (x - y + d - 1) / d;
}

void rtt_sample_n(struct rtt *r, uint64_t rtt_ns, uint64_t n)
{
	if (n == 0)
		n = 1;
	r->samples++;
	r->last_ns = rtt_ns;
	if (!r->have_sample) {
		/* RFC 6298 (2.2): SRTT = R, RTTVAR = R/2. */
		r->srtt_ns = rtt_ns;
		r->rttvar_ns = rtt_ns / 2;
		r->have_sample = true;
	} else {
		/* RFC 6298 (2.3): RTTVAR = (1 - beta) RTTVAR + beta |SRTT - R'|
		 * first, then SRTT = (1 - alpha) SRTT + alpha R', in that order;
		 * alpha = 1/8 and beta = 1/4, divided by n (RFC 7323 Appendix G). */
		uint64_t delta = r->srtt_ns > rtt_ns ? r->srtt_ns - rtt_ns : rtt_ns - r->srtt_ns;
		r->rttvar_ns = ewma(r->rttvar_ns, delta, 4 * n);
		r->srtt_ns = ewma(r->srtt_ns, rtt_ns, 8 * n);
	}
	recompute(r);
}

void rtt_sample(struct rtt *r, uint64_t rtt_ns)
{
	rtt_sample_n(r, rtt_ns, 1);
}

uint64_t rtt_expected_samples(uint64_t flight_bytes, uint32_t smss)
{
	uint64_t per = 2 * (uint64_t)(smss ? smss : 1);
	uint64_t n = (flight_bytes + per - 1) / per;

	return n ? n : 1;
}

uint64_t rtt_rto(const struct rtt *r)
{
	uint64_t rto = r->base_rto_ns;

	for (uint32_t i = 0; i < r->backoff && rto < r->max_rto_ns; i++)
		rto *= 2;
	return rto > r->max_rto_ns ? r->max_rto_ns : rto;
}

void rtt_backoff(struct rtt *r)
{
	/* RFC 6298 (5.5): RTO <- RTO * 2, bounded by (2.5)'s maximum. */
	if (r->backoff < 64)
		r->backoff++;
}

void rtt_reset_backoff(struct rtt *r)
{
	r->backoff = 0;
}

void rtt_syn_timeout_fallback(struct rtt *r)
{
	/* RFC 6298 (5.7): "the RTO MUST be re-initialized to 3 seconds when
	 * data transmission begins" if it was below 3 s and the SYN timed out. */
	if (!r->have_sample && r->base_rto_ns < 3 * 1000000000ull)
		r->base_rto_ns = 3 * 1000000000ull;
}

/* ---- per-ACK samples (see rtt.h) ---- */

void rtt_track_init(struct rtt_track *t)
{
	t->head = t->count = 0;
	t->sent_end_off = t->acked_off = 0;
	t->sample_ns = 0;
}

static struct rtt_track_seg *track_at(struct rtt_track *t, uint32_t i)
{
	return &t->seg[(t->head + i) % RTT_TRACK_SEGMENTS];
}

void rtt_track_sent(struct rtt_track *t, uint64_t start_off, uint64_t end_off, uint64_t now_ns)
{
	if (start_off < t->sent_end_off) {
		/* Resent: an ACK covering any of it is ambiguous (RFC 6298 §3). */
		uint64_t from = t->acked_off;

		for (uint32_t i = 0; i < t->count && from < end_off; i++) {
			struct rtt_track_seg *s = track_at(t, i);

			if (s->end_off > start_off)
				s->ambiguous = true;
			from = s->end_off;
		}
	}
	if (end_off <= t->sent_end_off)
		return;
	if (t->count == RTT_TRACK_SEGMENTS) {
		struct rtt_track_seg *last = track_at(t, t->count - 1);

		last->end_off = end_off;
		last->ambiguous = true;
	} else {
		struct rtt_track_seg *s = track_at(t, t->count++);

		s->end_off = end_off;
		s->sent_ns = now_ns;
		s->ambiguous = start_off < t->sent_end_off;
	}
	t->sent_end_off = end_off;
}

uint64_t rtt_track_acked(struct rtt_track *t, uint64_t ack_off, uint64_t now_ns)
{
	bool any = false, ambiguous = false;
	uint64_t sent_ns = 0;

	while (t->count > 0 && t->seg[t->head].end_off <= ack_off) {
		struct rtt_track_seg *s = &t->seg[t->head];

		any = true;
		ambiguous |= s->ambiguous;
		sent_ns = s->sent_ns;
		t->head = (t->head + 1) % RTT_TRACK_SEGMENTS;
		t->count--;
	}
	if (ack_off > t->acked_off)
		t->acked_off = ack_off;
	t->sample_ns = any && !ambiguous && now_ns > sent_ns ? now_ns - sent_ns : 0;
	return t->sample_ns;
}
