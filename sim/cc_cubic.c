/*
 * cc_cubic: CUBIC (RFC 9438), with HyStart++ (RFC 9406) for the initial
 * slow start when the host asks for it (cc.hystart).
 *
 * Called by tcp through cc_cubic's ops (cc.h); reads the clock, SRTT and the
 * per-ACK RTT samples through c->env. Fast recovery between a reduction and
 * the next avoidance stage is tcp's NewReno recovery (RFC 6582) with cc.c's
 * arithmetic, as RFC 9438 §4.6 leaves it to "the recovery algorithm".
 *
 * Units: cwnd, ssthresh, W_max, W_est in bytes (the RFC's segments times
 * SMSS); time in nanoseconds from the engine, the cubic function evaluated
 * in microseconds. All arithmetic is integer (64 bits, 128 bits for the
 * cube), so a run gives the same windows on every machine: no libm. Each
 * division truncates (toward zero), as the comments say where it matters.
 */
#include "cc.h"

#include "engine.h"
#include "rtt.h"

typedef __int128 i128;
typedef unsigned __int128 u128;

/* RFC 9438 §5.1 / §4.6 / §4.3 / §4.7 constants, as fractions. */
#define C_NUM 4                 /* C = 0.4 segments / s^3 */
#define C_DEN 10
#define BETA_NUM 7              /* beta_cubic = 0.7 */
#define BETA_DEN 10
#define ALPHA_NUM 9             /* alpha_cubic = 3 (1 - 0.7) / (1 + 0.7) = 0.9 / 1.7 = 9/17 */
#define ALPHA_DEN 17
#define FAST_CONV_NUM 17        /* (1 + beta_cubic) / 2 = 0.85 = 17/20 */
#define FAST_CONV_DEN 20
#define W_EST_SHIFT 16          /* W_est is kept in 1/65536 byte */
#define US_PER_S 1000000ll

/* |t - K| beyond this (2^36 us, 19 hours) is clipped so that the cube fits 128 bits. */
#define MAX_DT_US ((int64_t)1 << 36)

/* RFC 9406 §4.3, the RECOMMENDED constants. */
#define HS_MIN_RTT_THRESH_NS 4000000ull
#define HS_MAX_RTT_THRESH_NS 16000000ull
#define HS_MIN_RTT_DIVISOR 8
#define HS_N_RTT_SAMPLE 8
#define HS_CSS_GROWTH_DIVISOR 4
#define HS_CSS_ROUNDS 5
/* "L = infinity if paced, L = 8 if non-paced": tcpsim does not pace. */
#define HS_L 8
#define HS_INF UINT64_MAX

const char *cc_cubic_region_name(enum cc_cubic_region r)
{
	static const char *const names[] = {
		[CUBIC_SLOW_START] = "slow_start",
		[CUBIC_CSS] = "css",
		[CUBIC_RENO_FRIENDLY] = "reno_friendly",
		[CUBIC_CONCAVE] = "concave",
		[CUBIC_CONVEX] = "convex",
		[CUBIC_RECOVERY] = "recovery",
	};
	return names[r];
}

/*
 * floor(cbrt(v)) by bisection over integers: each step keeps lo^3 <= v <
 * (hi + 1)^3. Values at or above 2^126 answer 2^42 (K is then 51 days).
 */
uint64_t cubic_cbrt(u128 v)
{
	uint64_t lo = 0, hi = (uint64_t)1 << 42;

	if (v >= (u128)1 << 126)
		return hi;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo + 1) / 2;

		if ((u128)mid * mid * mid <= v)
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

/*
 * RFC 9438 §4.2 eq. 2: K = cubic_root((W_max - cwnd_epoch) / C), in seconds
 * with W in segments. In microseconds and bytes:
 * K_us^3 = (W_max - cwnd_epoch) * 10^18 / (C * SMSS)
 *        = (W_max - cwnd_epoch) * 10^19 / (4 * SMSS), truncated, then the
 * floor of its cube root; negative (the real cube root) when cwnd_epoch > W_max.
 */
int64_t cubic_k_us(uint64_t w_max_bytes, uint64_t cwnd_epoch_bytes, uint32_t smss)
{
	bool neg = cwnd_epoch_bytes > w_max_bytes;
	uint64_t diff = neg ? cwnd_epoch_bytes - w_max_bytes : w_max_bytes - cwnd_epoch_bytes;
	u128 v = (u128)diff * C_DEN * (u128)(US_PER_S * US_PER_S) * US_PER_S / ((u128)C_NUM * smss);
	int64_t k = (int64_t)cubic_cbrt(v);

	return neg ? -k : k;
}

/*
 * RFC 9438 §4.2 eq. 1: W_cubic(t) = C (t - K)^3 + W_max, segments and
 * seconds; in bytes and microseconds, W_max + 4 * SMSS * (t - K)^3 / 10^19,
 * the term truncated toward zero; never below 0.
 */
uint64_t cubic_w_bytes(int64_t t_us, int64_t k_us, uint64_t w_max_bytes, uint32_t smss)
{
	int64_t d = t_us - k_us;
	i128 w;

	if (d > MAX_DT_US)
		d = MAX_DT_US;
	if (d < -MAX_DT_US)
		d = -MAX_DT_US;
	w = (i128)w_max_bytes +
	    (i128)C_NUM * smss * d * d * d / ((i128)C_DEN * US_PER_S * US_PER_S * US_PER_S);
	if (w < 0)
		return 0;
	if (w > (i128)(UINT64_MAX / 4))
		return UINT64_MAX / 4;
	return (uint64_t)w;
}

static uint64_t now_ns(const struct cc *c)
{
	return c->env.eng ? engine_now(c->env.eng) : 0;
}

static uint64_t srtt_ns(const struct cc *c)
{
	return c->env.rtt ? c->env.rtt->srtt_ns : 0;
}

/* ---- HyStart++ (RFC 9406 §4.2) ---- */

/* At the start of each round: the last round's minimum, a fresh current one. */
static void hs_new_round(struct cc *c)
{
	struct cc_hystart *hs = &c->hs;

	hs->last_round_min_rtt_ns = hs->current_round_min_rtt_ns;
	hs->current_round_min_rtt_ns = HS_INF;
	hs->rtt_sample_count = 0;
	hs->window_end_off = c->env.track->sent_end_off;    /* windowEnd = SND.NXT */
	hs->rounds++;
}

/*
 * One ACK of new data in the initial slow start with HyStart++. Returns
 * true when CSS has run its rounds and ssthresh = cwnd: the caller goes on
 * as in congestion avoidance.
 */
static bool hystart_on_ack(struct cc *c, uint32_t acked_bytes)
{
	struct cc_hystart *hs = &c->hs;
	const struct rtt_track *tr = c->env.track;
	uint64_t limit = (uint64_t)HS_L * c->smss, inc, rtt = tr->sample_ns;

	if (!hs->started) {
		hs->started = true;
		hs->current_round_min_rtt_ns = HS_INF;
		hs_new_round(c);
	} else if (tr->acked_off >= hs->window_end_off) {
		/* "When windowEnd is ACKed, the current round ends". */
		hs_new_round(c);
		if (hs->in_css) {
			if (hs->css_rounds >= HS_CSS_ROUNDS) {
				/* "If CSS_ROUNDS rounds are complete, enter congestion
				 * avoidance by setting the ssthresh to the current cwnd."
				 * RFC 9438 §4.10: W_max is undefined without a loss:
				 * cwnd_prior = cwnd; W_max = cwnd and K = 0 at the stage's start. */
				hs->in_css = false;
				c->ssthresh_bytes = c->cwnd_bytes;
				c->cubic.cwnd_prior_bytes = c->cwnd_bytes;
				c->cubic.w_max_from_epoch = true;
				c->events |= CC_EV_SS_EXIT;
				return true;
			}
			hs->css_rounds++;
		}
	}
	/* cwnd += min(N, L * SMSS), divided by CSS_GROWTH_DIVISOR in CSS. */
	inc = acked_bytes < limit ? acked_bytes : limit;
	if (hs->in_css)
		inc /= HS_CSS_GROWTH_DIVISOR;
	c->cwnd_bytes += inc;
	if (rtt) {
		if (rtt < hs->current_round_min_rtt_ns)
			hs->current_round_min_rtt_ns = rtt;
		hs->rtt_sample_count++;
	}
	if (hs->rtt_sample_count < HS_N_RTT_SAMPLE)
		return false;
	if (!hs->in_css) {
		uint64_t thresh;

		if (hs->current_round_min_rtt_ns == HS_INF || hs->last_round_min_rtt_ns == HS_INF)
			return false;
		/* RttThresh = max(MIN_RTT_THRESH, min(lastRoundMinRTT / MIN_RTT_DIVISOR, MAX_RTT_THRESH)) */
		thresh = hs->last_round_min_rtt_ns / HS_MIN_RTT_DIVISOR;
		if (thresh > HS_MAX_RTT_THRESH_NS)
			thresh = HS_MAX_RTT_THRESH_NS;
		if (thresh < HS_MIN_RTT_THRESH_NS)
			thresh = HS_MIN_RTT_THRESH_NS;
		if (hs->current_round_min_rtt_ns >= hs->last_round_min_rtt_ns + thresh) {
			/* The delay rose: Conservative Slow Start; the partial
			 * round of the transition counts toward CSS_ROUNDS. */
			hs->css_baseline_min_rtt_ns = hs->current_round_min_rtt_ns;
			hs->in_css = true;
			hs->css_rounds = 1;
			c->events |= CC_EV_CSS;
		}
	} else if (hs->current_round_min_rtt_ns < hs->css_baseline_min_rtt_ns) {
		/* §4.2: the increase was spurious: resume slow start. */
		hs->css_baseline_min_rtt_ns = HS_INF;
		hs->in_css = false;
		hs->css_rounds = 0;
		c->events |= CC_EV_SS_RESUME;
	}
	return false;
}

/* ---- congestion avoidance (RFC 9438 §4.2 - §4.5) ---- */

/* §4.2: a stage begins at its first ACK: t_epoch, cwnd_epoch, K; §4.3 W_est. */
static void start_epoch(struct cc *c)
{
	struct cc_cubic *cu = &c->cubic;

	cu->t_epoch_ns = now_ns(c);
	cu->cwnd_epoch_bytes = c->cwnd_bytes;
	if (cu->w_max_from_epoch) {
		/* §4.8 (after a timeout) and §4.10 (after HyStart++): W_max is
		 * the window at the stage's start, so K = 0. */
		cu->w_max_bytes = c->cwnd_bytes;
		cu->w_max_from_epoch = false;
	}
	cu->k_us = cubic_k_us(cu->w_max_bytes, cu->cwnd_epoch_bytes, c->smss);
	/* §4.3: "W_est is set equal to cwnd_epoch at the start of the congestion avoidance stage." */
	cu->w_est_fp = cu->cwnd_epoch_bytes << W_EST_SHIFT;
	cu->alpha_one = cu->cwnd_epoch_bytes >= cu->cwnd_prior_bytes;
	cu->epoch_valid = true;
	c->events |= CC_EV_EPOCH;
}

static void cubic_avoidance(struct cc *c, uint32_t acked_bytes)
{
	struct cc_cubic *cu = &c->cubic;
	uint64_t an, ad, w_est, w_t, target, cwnd = c->cwnd_bytes;
	int64_t t_us;

	if (!cu->epoch_valid)
		start_epoch(c);
	an = cu->alpha_one ? 1 : ALPHA_NUM;
	ad = cu->alpha_one ? 1 : ALPHA_DEN;
	/* §4.3: W_est += alpha_cubic * segments_acked / cwnd (segments); in
	 * bytes, alpha * acked * SMSS / cwnd, here in 1/65536 byte. */
	cu->w_est_fp += (uint64_t)((u128)an * acked_bytes * c->smss << W_EST_SHIFT) / ((u128)ad * cwnd);
	w_est = cu->w_est_fp >> W_EST_SHIFT;
	/* "Once W_est has grown to reach the cwnd at the time of most recently
	 * setting ssthresh ... the sender SHOULD set alpha_cubic to 1". */
	if (w_est >= cu->cwnd_prior_bytes)
		cu->alpha_one = true;
	t_us = (int64_t)((now_ns(c) - cu->t_epoch_ns) / NS_PER_US);
	w_t = cubic_w_bytes(t_us, cu->k_us, cu->w_max_bytes, c->smss);
	if (w_t < w_est) {
		/* §4.3 Reno-friendly region: cwnd = W_est. An ACK never shrinks
		 * cwnd here (when cwnd had run ahead to W_cubic(t + RTT)), as the
		 * target's lower bound says for the other regions. */
		cu->region = CUBIC_RENO_FRIENDLY;
		if (w_est > c->cwnd_bytes)
			c->cwnd_bytes = w_est;
		return;
	}
	/* §4.2: target = W_cubic(t + RTT), bounded to [cwnd, 1.5 cwnd]. */
	target = cubic_w_bytes(t_us + (int64_t)(srtt_ns(c) / NS_PER_US), cu->k_us,
			       cu->w_max_bytes, c->smss);
	if (target < cwnd)
		target = cwnd;
	if (target > cwnd + cwnd / 2)
		target = cwnd + cwnd / 2;
	/* §4.4 concave (cwnd < W_max) and §4.5 convex regions: cwnd +=
	 * (target - cwnd) / cwnd per ACK, in segments; in bytes
	 * (target - cwnd) * SMSS / cwnd, truncated. */
	cu->region = cwnd < cu->w_max_bytes ? CUBIC_CONCAVE : CUBIC_CONVEX;
	c->cwnd_bytes += (uint64_t)((u128)(target - cwnd) * c->smss / cwnd);
}

static void cubic_on_ack(struct cc *c, uint32_t acked_bytes)
{
	if (c->cwnd_bytes < c->ssthresh_bytes) {
		/* §4.10: slow start below ssthresh (RFC 5681), or HyStart++
		 * (RFC 9406) in the initial one (ssthresh still infinite). */
		if (!c->hystart || !c->env.track || c->ssthresh_bytes != CC_SSTHRESH_INFINITE) {
			c->cubic.region = CUBIC_SLOW_START;
			c->cwnd_bytes += cc_slow_start_increase(c, acked_bytes);
			return;
		}
		if (!hystart_on_ack(c, acked_bytes)) {
			c->cubic.region = c->hs.in_css ? CUBIC_CSS : CUBIC_SLOW_START;
			return;
		}
	}
	cubic_avoidance(c, acked_bytes);
}

/*
 * §4.7 fast convergence, then §4.6's multiplicative decrease:
 * W_max = cwnd (1 + beta) / 2 if cwnd < W_max, else cwnd;
 * ssthresh = flight_size * beta; cwnd_prior = cwnd; cwnd = max(ssthresh, 2);
 * ssthresh = max(ssthresh, 2) (segments). flight_size, not cwnd, so §4.6's
 * caution for implementations using cwnd does not arise.
 */
static void reduce(struct cc *c, uint64_t flight_bytes)
{
	struct cc_cubic *cu = &c->cubic;
	uint64_t ss = flight_bytes * BETA_NUM / BETA_DEN, floor = 2ull * c->smss;

	if (c->cwnd_bytes < cu->w_max_bytes)
		cu->w_max_bytes = c->cwnd_bytes * FAST_CONV_NUM / FAST_CONV_DEN;
	else
		cu->w_max_bytes = c->cwnd_bytes;
	cu->cwnd_prior_bytes = c->cwnd_bytes;
	c->ssthresh_bytes = ss > floor ? ss : floor;
	c->cwnd_bytes = c->ssthresh_bytes;
	/* A new stage will begin after recovery (§4.2 t_epoch). */
	cu->epoch_valid = false;
	cu->w_max_from_epoch = false;
	cu->reductions++;
	c->hs.in_css = false;
	c->ca_acked_bytes = 0;
}

static void cubic_on_fast_retransmit(struct cc *c, uint64_t flight_bytes)
{
	reduce(c, flight_bytes);
	/* Then the recovery algorithm governs (§4.6): RFC 5681 §3.2 step 3 /
	 * RFC 6582, cwnd = ssthresh + 3 SMSS for the segments that left. */
	c->cwnd_bytes = c->ssthresh_bytes + 3ull * c->smss;
	c->cubic.region = CUBIC_RECOVERY;
}

static void cubic_on_sack_recovery(struct cc *c, uint64_t flight_bytes)
{
	/* §4.6 as it stands: cwnd = ssthresh, no inflation; RFC 6675 / PRR
	 * (tcp_sack.c) then govern the window until recovery ends. */
	reduce(c, flight_bytes);
	c->cubic.region = CUBIC_RECOVERY;
}

/*
 * §4.6: "Whenever a congestion event is detected (for example, ... an
 * ECN-Echo flag is received), CUBIC updates W_max and reduces cwnd and
 * ssthresh", the same decrease as for a loss (and §4.7's fast
 * convergence). Nothing is resent, so no recovery follows: cwnd =
 * ssthresh, and the next ACK starts a new congestion avoidance stage
 * (t_epoch, §4.2) below W_max.
 */
static void cubic_on_ecn_echo(struct cc *c, uint64_t flight_bytes)
{
	reduce(c, flight_bytes);
	c->cubic.region = c->cwnd_bytes < c->cubic.w_max_bytes ? CUBIC_CONCAVE : CUBIC_CONVEX;
}

static void cubic_on_rto(struct cc *c, uint64_t flight_bytes, bool again)
{
	/*
	 * §4.8: as Reno for cwnd (RFC 5681 §3.1 eq. 5, cwnd = LW = 1 SMSS),
	 * ssthresh with beta_cubic as in §4.6; again (the segment already
	 * resent by a timeout): ssthresh held, as RFC 5681 says. The next
	 * avoidance stage starts with W_max = its cwnd and K = 0. A spurious
	 * timeout is not detected (no timestamps, F-RTO or DSACK here), so
	 * §4.9's undo is not done.
	 */
	if (!again)
		reduce(c, flight_bytes);
	c->cwnd_bytes = c->smss;
	c->cubic.epoch_valid = false;
	c->cubic.w_max_from_epoch = true;
	c->cubic.region = CUBIC_SLOW_START;
	c->ca_acked_bytes = 0;
}

static void cubic_on_dupack_in_recovery(struct cc *c)
{
	cc_recovery_dupack(c);
}

static void cubic_on_partial_ack(struct cc *c, uint32_t acked_bytes)
{
	cc_recovery_partial_ack(c, acked_bytes);
}

static void cubic_on_recovery_exit(struct cc *c, uint64_t flight_bytes)
{
	cc_recovery_exit(c, flight_bytes);
	c->cubic.region = c->cwnd_bytes < c->ssthresh_bytes ? CUBIC_SLOW_START : CUBIC_RECOVERY;
}

const struct cc_ops cc_cubic = {
	.name = "cubic",
	.partial_ack_stays_in_recovery = true,
	.on_ack = cubic_on_ack,
	.on_fast_retransmit = cubic_on_fast_retransmit,
	.on_sack_recovery = cubic_on_sack_recovery,
	.on_dupack_in_recovery = cubic_on_dupack_in_recovery,
	.on_partial_ack = cubic_on_partial_ack,
	.on_recovery_exit = cubic_on_recovery_exit,
	.on_rto = cubic_on_rto,
	.on_ecn_echo = cubic_on_ecn_echo,
	.has_trace_state = true,
};
