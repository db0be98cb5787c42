/*
 * check_cc: Reno/NewReno window arithmetic (cc.c) through its ops table.
 *
 * Each test sets up a window, feeds one event or a sequence of them through
 * c.ops, and asserts the exact cwnd and ssthresh in bytes after each. SMSS
 * is 1000 unless said otherwise, so every value reads as segments * 1000.
 * RFC 5681 (slow start, congestion avoidance, fast retransmit and recovery,
 * timeouts), RFC 6582 (NewReno partial ACKs and the end of recovery),
 * RFC 6928 (initial window).
 *
 * CUBIC (RFC 9438) and HyStart++ (RFC 9406) below: every expected value is
 * the RFC's formula evaluated by hand in cc_cubic.c's units (bytes,
 * microseconds; C = 4/10, beta = 7/10, alpha = 9/17; each division
 * truncating toward zero), the arithmetic in the comment beside it.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "engine.h"
#include "rtt.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define SMSS 1000u
#define INF UINT64_MAX

static struct cc c;

/* A fresh NewReno window: IW 10 segments of 1000 bytes, ssthresh infinite. */
static void fresh(void)
{
	cc_init(&c, &cc_newreno, SMSS, 10);
}

/* ---- initial window ---- */

/* RFC 5681 §3.1 / RFC 6928 §2: cwnd = IW * SMSS; "The initial value of
 * ssthresh SHOULD be set arbitrarily high". */
static const struct {
	uint32_t smss, iw;
	uint64_t cwnd;
} inits[] = {
	{ 1460, 10, 14600 },
	{ 536, 1, 536 },
	{ 1460, 4, 5840 },
	{ 8960, 2, 17920 },
	{ 65495, 10, 654950 },
};

START_TEST(test_init)
{
	cc_init(&c, &cc_newreno, inits[_i].smss, inits[_i].iw);
	ck_assert_ptr_eq(c.ops, &cc_newreno);
	ck_assert_uint_eq(c.smss, inits[_i].smss);
	ck_assert_uint_eq(c.cwnd_bytes, inits[_i].cwnd);
	ck_assert_uint_eq(c.ssthresh_bytes, INF);
	ck_assert_uint_eq(c.ca_acked_bytes, 0);
}
END_TEST

/* ---- slow start ---- */

/* RFC 5681 §3.1 equation (2): during slow start, cwnd += min(N, SMSS) per
 * ACK, N the bytes newly acknowledged. From cwnd 10000. */
static const struct {
	uint32_t acked;
	uint64_t cwnd;
} slow_start[] = {
	{ 2000, 11000 },            /* 2 SMSS acked: still only + SMSS */
	{ 100, 10100 },             /* less than SMSS: + what was acked */
	{ 1000, 11000 },
	{ 999, 10999 },
	{ 1001, 11000 },
	{ 65535, 11000 },
	{ 0, 10000 },
};

START_TEST(test_slow_start_ack)
{
	fresh();
	c.ops->on_ack(&c, slow_start[_i].acked);
	ck_assert_uint_eq(c.cwnd_bytes, slow_start[_i].cwnd);
	ck_assert_uint_eq(c.ssthresh_bytes, INF);
	ck_assert_uint_eq(c.ca_acked_bytes, 0);
}
END_TEST

/*
 * RFC 3465 §2.2 byte counting with L = 2*SMSS: one ACK may grow cwnd by up
 * to two segments in slow start (an ACK of every other segment keeps the
 * doubling pace); congestion avoidance is unchanged.
 */
static const struct {
	uint32_t acked;
	uint64_t cwnd;
} abc2[] = {
	{ 2000, 12000 },            /* 2 SMSS acked: + 2 SMSS */
	{ 3000, 12000 },            /* capped at L = 2 SMSS */
	{ 1500, 11500 },
	{ 100, 10100 },
};

START_TEST(test_slow_start_abc_l2)
{
	fresh();
	c.abc_limit = 2;
	c.ops->on_ack(&c, abc2[_i].acked);
	ck_assert_uint_eq(c.cwnd_bytes, abc2[_i].cwnd);
}
END_TEST

START_TEST(test_abc_default_is_one_segment)
{
	fresh();
	ck_assert_uint_eq(c.abc_limit, 1);
}
END_TEST

/*
 * A timeout, slow start back up to ssthresh, then congestion avoidance.
 * RFC 5681 §3.1: slow start while cwnd < ssthresh, congestion avoidance
 * once cwnd >= ssthresh (at equality either is allowed; cc.c chooses
 * congestion avoidance). Congestion avoidance counts bytes (RFC 5681 §3.1,
 * RFC 3465 §2.1): when the bytes acknowledged since the last increase reach
 * cwnd, cwnd += SMSS and the count drops by cwnd, keeping the excess.
 */
static const struct {
	uint32_t acked;
	uint64_t cwnd, ca_acked;
} growth[] = {
	/* after the RTO: cwnd 1000, ssthresh 5000; slow start */
	{ 1000, 2000, 0 },
	{ 1000, 3000, 0 },
	{ 1500, 4000, 0 },          /* min(1500, SMSS) */
	{ 500, 4500, 0 },
	{ 1000, 5500, 0 },          /* 4500 < 5000: slow start, may pass ssthresh */
	/* 5500 >= 5000: congestion avoidance, + SMSS per 5500 bytes acked */
	{ 1000, 5500, 1000 },
	{ 1000, 5500, 2000 },
	{ 1000, 5500, 3000 },
	{ 1000, 5500, 4000 },
	{ 1000, 5500, 5000 },
	{ 1000, 6500, 500 },        /* 6000 >= 5500: + SMSS, 500 carried */
	{ 1500, 6500, 2000 },
	{ 1500, 6500, 3500 },
	{ 1500, 6500, 5000 },
	{ 1500, 7500, 0 },          /* 6500 >= 6500 */
	{ 7499, 7500, 7499 },       /* one byte short */
	{ 1, 8500, 0 },
	{ 100, 8500, 100 },         /* never more than + SMSS per ACK */
};

START_TEST(test_slow_start_then_avoidance)
{
	fresh();
	c.ops->on_rto(&c, 10000, false);
	ck_assert_uint_eq(c.ssthresh_bytes, 5000);
	ck_assert_uint_eq(c.cwnd_bytes, 1000);
	for (int i = 0; i < N(growth); i++) {
		c.ops->on_ack(&c, growth[i].acked);
		ck_assert_uint_eq(c.cwnd_bytes, growth[i].cwnd);
		ck_assert_uint_eq(c.ca_acked_bytes, growth[i].ca_acked);
		ck_assert_uint_eq(c.ssthresh_bytes, 5000);
	}
}
END_TEST

/* Exactly at ssthresh: congestion avoidance, one SMSS per cwnd of ACKs. */
START_TEST(test_avoidance_at_ssthresh)
{
	fresh();
	c.ssthresh_bytes = 4000;
	c.cwnd_bytes = 4000;
	for (int i = 1; i <= 3; i++) {
		c.ops->on_ack(&c, SMSS);
		ck_assert_uint_eq(c.cwnd_bytes, 4000);
		ck_assert_uint_eq(c.ca_acked_bytes, i * SMSS);
	}
	c.ops->on_ack(&c, SMSS);
	ck_assert_uint_eq(c.cwnd_bytes, 5000);
	ck_assert_uint_eq(c.ca_acked_bytes, 0);
	for (int i = 1; i <= 4; i++) {
		c.ops->on_ack(&c, SMSS);
		ck_assert_uint_eq(c.cwnd_bytes, 5000);
	}
	c.ops->on_ack(&c, SMSS);
	ck_assert_uint_eq(c.cwnd_bytes, 6000);
}
END_TEST

/* ---- timeout ---- */

/*
 * RFC 5681 §3.1: on a timeout, ssthresh = max(FlightSize / 2, 2*SMSS)
 * (equation 4) and cwnd = LW = 1 SMSS (equation 5); when the segment had
 * already been retransmitted by a timeout, "the value of ssthresh is held
 * constant". From cwnd 20000.
 */
static const struct {
	uint64_t flight;
	bool again;
	uint64_t ssthresh_before, ssthresh;
} rtos[] = {
	{ 20000, false, INF, 10000 },
	{ 4002, false, INF, 2001 },
	{ 4001, false, INF, 2000 },          /* 2000 (truncated) is the floor exactly */
	{ 3000, false, INF, 2000 },          /* small flight: 2*SMSS floor */
	{ 1000, false, INF, 2000 },
	{ 0, false, INF, 2000 },
	{ 100000, false, 3000, 50000 },      /* recomputed even upward */
	{ 20000, true, 7777, 7777 },         /* again: held */
	{ 1, true, 30000, 30000 },
	{ 20000, true, INF, INF },
};

START_TEST(test_rto)
{
	fresh();
	c.cwnd_bytes = 20000;
	c.ssthresh_bytes = rtos[_i].ssthresh_before;
	c.ca_acked_bytes = 1234;
	c.ops->on_rto(&c, rtos[_i].flight, rtos[_i].again);
	ck_assert_uint_eq(c.ssthresh_bytes, rtos[_i].ssthresh);
	ck_assert_uint_eq(c.cwnd_bytes, SMSS);
	ck_assert_uint_eq(c.ca_acked_bytes, 0);
}
END_TEST

/* ---- fast retransmit and fast recovery ---- */

/*
 * RFC 5681 §3.2 step 2: ssthresh = max(FlightSize / 2, 2*SMSS); step 3:
 * cwnd = ssthresh + 3*SMSS. FlightSize, not cwnd, sets it (cwnd 50000).
 */
static const struct {
	uint64_t flight, ssthresh, cwnd;
} fast_rexmits[] = {
	{ 20000, 10000, 13000 },
	{ 4003, 2001, 5001 },
	{ 4000, 2000, 5000 },
	{ 1000, 2000, 5000 },               /* small flight: 2*SMSS floor */
	{ 0, 2000, 5000 },
	{ 200000, 100000, 103000 },
};

/*
 * RFC 3168 §6.1.2: an ECN-Echo reduces as for a loss, by RFC 5681
 * equation (4), ssthresh = max(FlightSize / 2, 2*SMSS), and cwnd =
 * ssthresh with no inflation (nothing was retransmitted); the congestion
 * avoidance counter starts again. The same for Reno and NewReno.
 */
static const struct {
	uint64_t flight, ssthresh;
} ecn_echoes[] = {
	{ 116800, 58400 },
	{ 78840, 39420 },
	{ 4003, 2001 },            /* 2001.5 rounds down */
	{ 4000, 2000 },            /* exactly 2*SMSS */
	{ 3000, 2000 },            /* below: the floor */
	{ 0, 2000 },
};

START_TEST(test_ecn_echo)
{
	const struct cc_ops *ops[] = { &cc_newreno, &cc_reno };

	for (int k = 0; k < 2; k++) {
		fresh();
		c.ops = ops[k];
		c.cwnd_bytes = 200000;
		c.ssthresh_bytes = CC_SSTHRESH_INFINITE;
		c.ca_acked_bytes = 777;
		c.ops->on_ecn_echo(&c, ecn_echoes[_i].flight);
		ck_assert_uint_eq(c.ssthresh_bytes, ecn_echoes[_i].ssthresh);
		ck_assert_uint_eq(c.cwnd_bytes, ecn_echoes[_i].ssthresh);
		ck_assert_uint_eq(c.ca_acked_bytes, 0);
	}
}
END_TEST

START_TEST(test_fast_retransmit)
{
	fresh();
	c.cwnd_bytes = 50000;
	c.ca_acked_bytes = 1234;
	c.ops->on_fast_retransmit(&c, fast_rexmits[_i].flight);
	ck_assert_uint_eq(c.ssthresh_bytes, fast_rexmits[_i].ssthresh);
	ck_assert_uint_eq(c.cwnd_bytes, fast_rexmits[_i].cwnd);
	ck_assert_uint_eq(c.ca_acked_bytes, 0);
}
END_TEST

/* RFC 5681 §3.2 step 4: each further duplicate ACK inflates cwnd by SMSS. */
START_TEST(test_dupack_in_recovery)
{
	fresh();
	c.ops->on_fast_retransmit(&c, 20000);
	for (uint64_t i = 1; i <= 5; i++) {
		c.ops->on_dupack_in_recovery(&c);
		ck_assert_uint_eq(c.cwnd_bytes, 13000 + i * SMSS);
		ck_assert_uint_eq(c.ssthresh_bytes, 10000);
	}
}
END_TEST

/*
 * RFC 6582 §3.2 step 5: on a partial ACK, "deflate the congestion window by
 * the amount of new data acknowledged ... If the partial ACK acknowledges
 * at least one SMSS of new data, then add back SMSS bytes". From cwnd 13000
 * (ssthresh 10000) after a fast retransmit with 20000 in flight.
 */
static const struct {
	uint32_t acked;
	uint64_t cwnd;
} partials[] = {
	{ 3000, 11000 },            /* 13000 - 3000 + 1000 */
	{ 1000, 13000 },            /* exactly SMSS: added back */
	{ 999, 12001 },             /* less than SMSS: not */
	{ 500, 12500 },
	{ 1001, 13000 - 1001 + 1000 },
	{ 12000, 2000 },
};

START_TEST(test_partial_ack)
{
	fresh();
	c.ops->on_fast_retransmit(&c, 20000);
	c.ops->on_partial_ack(&c, partials[_i].acked);
	ck_assert_uint_eq(c.cwnd_bytes, partials[_i].cwnd);
	ck_assert_uint_eq(c.ssthresh_bytes, 10000);
}
END_TEST

/* A recovery episode in full: partial ACKs and dupacks in sequence. */
START_TEST(test_recovery_sequence)
{
	fresh();
	c.ops->on_fast_retransmit(&c, 20000);       /* ssthresh 10000, cwnd 13000 */
	c.ops->on_dupack_in_recovery(&c);           /* 14000 */
	c.ops->on_dupack_in_recovery(&c);           /* 15000 */
	ck_assert_uint_eq(c.cwnd_bytes, 15000);
	c.ops->on_partial_ack(&c, 4000);            /* 15000 - 4000 + 1000 */
	ck_assert_uint_eq(c.cwnd_bytes, 12000);
	c.ops->on_dupack_in_recovery(&c);
	ck_assert_uint_eq(c.cwnd_bytes, 13000);
	c.ops->on_partial_ack(&c, 300);             /* < SMSS: no add-back */
	ck_assert_uint_eq(c.cwnd_bytes, 12700);
	c.ops->on_recovery_exit(&c, 8000);          /* min(10000, 8000 + 1000) */
	ck_assert_uint_eq(c.cwnd_bytes, 9000);
	ck_assert_uint_eq(c.ssthresh_bytes, 10000);
	/* Out of recovery with cwnd < ssthresh: slow start again. */
	c.ops->on_ack(&c, 2000);
	ck_assert_uint_eq(c.cwnd_bytes, 10000);
	c.ops->on_ack(&c, 2000);                    /* 10000 >= 10000: avoidance */
	ck_assert_uint_eq(c.cwnd_bytes, 10000);
	ck_assert_uint_eq(c.ca_acked_bytes, 2000);
}
END_TEST

/*
 * RFC 6582 §3.2 step 4, option (1): on the full ACK,
 * cwnd = min(ssthresh, max(FlightSize, SMSS) + SMSS); with ssthresh 10000.
 */
static const struct {
	uint64_t flight, cwnd;
} exits[] = {
	{ 20000, 10000 },           /* much in flight: ssthresh (RFC 5681 step 6) */
	{ 9000, 10000 },
	{ 8999, 9999 },
	{ 3000, 4000 },
	{ 1000, 2000 },
	{ 500, 2000 },              /* max(500, SMSS) + SMSS */
	{ 0, 2000 },
};

START_TEST(test_recovery_exit)
{
	fresh();
	c.ops->on_fast_retransmit(&c, 20000);
	c.ops->on_dupack_in_recovery(&c);
	c.ca_acked_bytes = 1234;
	c.ops->on_recovery_exit(&c, exits[_i].flight);
	ck_assert_uint_eq(c.cwnd_bytes, exits[_i].cwnd);
	ck_assert_uint_eq(c.ssthresh_bytes, 10000);
	ck_assert_uint_eq(c.ca_acked_bytes, 0);
}
END_TEST

/* ---- the algorithm table ---- */

START_TEST(test_find_newreno)
{
	const struct cc_ops *ops = cc_find("newreno");

	ck_assert_ptr_eq(ops, &cc_newreno);
	ck_assert_str_eq(ops->name, "newreno");
	ck_assert(ops->on_ack != NULL);
	ck_assert(ops->on_fast_retransmit != NULL);
	ck_assert(ops->on_dupack_in_recovery != NULL);
	ck_assert(ops->on_partial_ack != NULL);
	ck_assert(ops->on_recovery_exit != NULL);
	ck_assert(ops->on_rto != NULL);
}
END_TEST

static const char *const unknown_names[] = {
	"", "cubic ", "CUBIC", "bbr", "vegas", "newreno ", "new reno", "newrenoo", "newren",
};

START_TEST(test_find_unknown)
{
	ck_assert_ptr_null(cc_find(unknown_names[_i]));
}
END_TEST

/* ==== CUBIC (RFC 9438) ==== */

#define MS UINT64_C(1000000)
#define SEC UINT64_C(1000000000)

static struct engine eng;
static struct rtt rtt;
static struct rtt_track track;

/* A CUBIC window of cwnd bytes (SMSS 1000), ssthresh infinite, clock at 0,
 * SRTT srtt_ns. */
static void cubic_fresh(uint64_t cwnd, uint64_t srtt_ns)
{
	cc_init(&c, &cc_cubic, SMSS, 10);
	c.cwnd_bytes = cwnd;
	memset(&eng, 0, sizeof(eng));
	rtt_init(&rtt, 1 * SEC, 1 * SEC, 60 * SEC);
	rtt_sample(&rtt, srtt_ns);
	rtt_track_init(&track);
	c.env = (struct cc_env){ .eng = &eng, .rtt = &rtt, .track = &track };
}

/* floor(cbrt(v)). */
static const struct {
	uint64_t v, root;
} cbrts[] = {
	{ 0, 0 }, { 1, 1 }, { 7, 1 }, { 8, 2 }, { 26, 2 }, { 27, 3 },
	{ 999999, 99 }, { 1000000, 100 },
	{ UINT64_C(8000000000000000000), 2000000 },        /* (2e6)^3 = 8e18 */
	{ UINT64_C(7999999999999999999), 1999999 },
	{ UINT64_C(9223372036854775808), 2097152 },        /* 2^63 = (2^21)^3 */
};

START_TEST(test_cubic_cbrt)
{
	ck_assert_uint_eq(cubic_cbrt(cbrts[_i].v), cbrts[_i].root);
}
END_TEST

START_TEST(test_cubic_cbrt_wide)
{
	unsigned __int128 m = ((unsigned __int128)1 << 42) - 1;

	/* (2^42 - 1)^3 and one below it; 2^126 and above: 2^42 (the bound). */
	ck_assert_uint_eq(cubic_cbrt(m * m * m), m);
	ck_assert_uint_eq(cubic_cbrt(m * m * m - 1), m - 1);
	ck_assert_uint_eq(cubic_cbrt((unsigned __int128)1 << 126), (uint64_t)1 << 42);
}
END_TEST

/*
 * §4.2 eq. 2: K = cbrt((W_max - cwnd_epoch) / C) seconds, W in segments;
 * cc_cubic.c: K_us = floor(cbrt((W_max - cwnd_epoch) * 10^19 / (4 * SMSS))).
 */
static const struct {
	uint64_t w_max, cwnd_epoch;
	uint32_t smss;
	int64_t k_us;
} ks[] = {
	/* 36 segments, cwnd_epoch = 0.7 * 36 = 25.2: K^3 = 10.8 / 0.4 = 27, K = 3 s */
	{ 36000, 25200, 1000, 3000000 },
	/* 288 segments, 201.6: K^3 = 86.4 / 0.4 = 216, K = 6 s */
	{ 288000, 201600, 1000, 6000000 },
	/* cwnd_epoch form: 100 - 96.8 = 3.2 segments: K^3 = 8, K = 2 s */
	{ 100000, 96800, 1000, 2000000 },
	/* cwnd_epoch above W_max: the real cube root is negative */
	{ 96800, 100000, 1000, -2000000 },
	{ 5000, 5000, 1000, 0 },
	/* 30 segments: K^3 = 75 s^3 = 7.5e19 us^3; 4217163^3 = 74999982579649749747
	 * <= 7.5e19 < 4217164^3 = 75000035933053706944 */
	{ 100000, 70000, 1000, 4217163 },
	/* scenarios/cubic.yaml: 90520 bytes of 1460: 90520e19 / 5840 =
	 * 1.55e20 (exactly 155000000000000000000); 5371685^3 <= it < 5371686^3 */
	{ 305140, 214620, 1460, 5371685 },
};

START_TEST(test_cubic_k)
{
	ck_assert_int_eq(cubic_k_us(ks[_i].w_max, ks[_i].cwnd_epoch, ks[_i].smss), ks[_i].k_us);
}
END_TEST

/*
 * §4.2 eq. 1: W_cubic(t) = C (t - K)^3 + W_max; in bytes,
 * W_max + 4 * SMSS * (t - K)^3 / 10^19 with t, K in us (term truncated toward 0).
 * W_max 36000, K 3 s, SMSS 1000.
 */
static const struct {
	int64_t t_us;
	uint64_t w;
} ws[] = {
	{ 0, 25200 },                /* 36000 + 4000 * (-3e6)^3 / 1e19 = 36000 - 10800 = cwnd_epoch */
	{ 1000000, 32800 },          /* (-2e6)^3 = -8e18: - 3200 */
	{ 2000000, 35600 },          /* (-1e6)^3: - 400 */
	{ 2900000, 36000 },          /* (-1e5)^3 = -1e15: -0.4, truncated to 0 */
	{ 3000000, 36000 },          /* t = K: the plateau, W_max */
	{ 3500000, 36050 },          /* (5e5)^3 = 1.25e17: + 50 */
	{ 4000000, 36400 },
	{ 5000000, 39200 },          /* (2e6)^3: + 3200 */
	{ 13000000, 436000 },        /* (1e7)^3 = 1e21: + 400000 */
};

START_TEST(test_cubic_w)
{
	ck_assert_uint_eq(cubic_w_bytes(ws[_i].t_us, 3000000, 36000, SMSS), ws[_i].w);
}
END_TEST

START_TEST(test_cubic_w_epoch_form)
{
	/* W_max 100000, cwnd_epoch 96800, K = 2 s: W_cubic(0) = 100000 -
	 * 4000 * 8e18 / 1e19 = 96800 = cwnd_epoch, as eq. 2 makes it. */
	ck_assert_uint_eq(cubic_w_bytes(0, 2000000, 100000, SMSS), 96800);
	ck_assert_uint_eq(cubic_w_bytes(2000000, 2000000, 100000, SMSS), 100000);
	/* Never below 0: W_max 1000, K 100 s, t 0: 1000 - 4000 * 1e24 / 1e19 < 0. */
	ck_assert_uint_eq(cubic_w_bytes(0, 100000000, 1000, SMSS), 0);
}
END_TEST

/*
 * §4.6 multiplicative decrease on the third duplicate ACK: ssthresh =
 * max(flight_size * 0.7, 2 SMSS), cwnd_prior = cwnd; cwnd = ssthresh, then
 * fast recovery's cwnd = ssthresh + 3 SMSS (RFC 5681 §3.2 step 3). The
 * first loss: W_max = cwnd (§4.7, cwnd >= W_max = 0). From cwnd 100000.
 */
static const struct {
	uint64_t flight, ssthresh, cwnd;
} decreases[] = {
	{ 100000, 70000, 73000 },
	{ 90000, 63000, 66000 },     /* FlightSize, not cwnd */
	{ 14601, 10220, 13220 },     /* 10220.7 truncated */
	{ 2000, 2000, 5000 },        /* 1400 < the 2 SMSS floor */
	{ 0, 2000, 5000 },
};

START_TEST(test_cubic_decrease)
{
	cubic_fresh(100000, 100 * MS);
	c.ops->on_fast_retransmit(&c, decreases[_i].flight);
	ck_assert_uint_eq(c.ssthresh_bytes, decreases[_i].ssthresh);
	ck_assert_uint_eq(c.cwnd_bytes, decreases[_i].cwnd);
	ck_assert_uint_eq(c.cubic.w_max_bytes, 100000);
	ck_assert_uint_eq(c.cubic.cwnd_prior_bytes, 100000);
	ck_assert(!c.cubic.epoch_valid);
	ck_assert_int_eq(c.cubic.region, CUBIC_RECOVERY);
	ck_assert_uint_eq(c.cubic.reductions, 1);
}
END_TEST

/*
 * §4.7 fast convergence: at a loss with cwnd < W_max, W_max = cwnd * (1 +
 * 0.7) / 2 = cwnd * 17 / 20; else W_max = cwnd. W_max 120000 before.
 */
static const struct {
	uint64_t cwnd, w_max;
} convergences[] = {
	{ 100000, 85000 },           /* 100000 < 120000: 0.85 * 100000 */
	{ 119999, 101999 },          /* 119999 * 17 / 20 = 101999.15 */
	{ 120000, 120000 },          /* not below: W_max = cwnd */
	{ 130000, 130000 },
};

START_TEST(test_cubic_fast_convergence)
{
	cubic_fresh(convergences[_i].cwnd, 100 * MS);
	c.cubic.w_max_bytes = 120000;
	c.ops->on_fast_retransmit(&c, convergences[_i].cwnd);
	ck_assert_uint_eq(c.cubic.w_max_bytes, convergences[_i].w_max);
	ck_assert_uint_eq(c.cubic.cwnd_prior_bytes, convergences[_i].cwnd);
	ck_assert_uint_eq(c.ssthresh_bytes, convergences[_i].cwnd * 7 / 10);
}
END_TEST

/* One ACK in congestion avoidance: the clock, bytes acked, then W_est (<< 16), cwnd, region. */
struct ca_step {
	uint64_t now_ns;
	uint32_t acked;
	uint64_t w_est_fp, cwnd;
	enum cc_cubic_region region;
};

static void ca_steps(const struct ca_step *st, int n)
{
	for (int i = 0; i < n; i++) {
		eng.now_ns = st[i].now_ns;
		c.ops->on_ack(&c, st[i].acked);
		ck_assert_msg(c.cubic.w_est_fp == st[i].w_est_fp, "step %d: W_est %llu, want %llu", i,
			      (unsigned long long)c.cubic.w_est_fp, (unsigned long long)st[i].w_est_fp);
		ck_assert_msg(c.cwnd_bytes == st[i].cwnd, "step %d: cwnd %llu, want %llu", i,
			      (unsigned long long)c.cwnd_bytes, (unsigned long long)st[i].cwnd);
		ck_assert_int_eq(c.cubic.region, st[i].region);
	}
}

/*
 * The concave region (§4.4). cwnd 100000 at a loss with 100000 in flight:
 * W_max 100000, ssthresh 70000; recovery ends with 70000 in flight: cwnd =
 * min(70000, 70000 + 1000). The stage begins at the first ACK, at 1 s:
 * cwnd_epoch 70000, K = 4.217163 s (above), W_est = 70000; SRTT 100 ms.
 * Per ACK of 2000 bytes: W_est += 9/17 * 2000 * 1000 / cwnd (<< 16);
 * W_cubic(t) < W_est: cwnd = W_est (§4.3); else target = W_cubic(t + 0.1 s)
 * in [cwnd, 1.5 cwnd] and cwnd += (target - cwnd) * 1000 / cwnd.
 */
static const struct ca_step concave[] = {
	/* t 0: W_est = (70000 << 16) + 9*2000*1000*65536 / (17*70000) =
	 * 4587520000 + 991300 -> 70015; W_cubic(0) = 100000 - 29999 = 70001
	 * (the cube of the truncated K a little under 30000) < 70015: Reno-friendly. */
	{ 1 * SEC, 2000, 4588511300, 70015, CUBIC_RENO_FRIENDLY },
	/* t 10 ms: W_est += 9*2000*1000*65536 / (17*70015) = 991088 -> 70030;
	 * W_cubic(0.01) = 70213 >= 70030; target W_cubic(0.11) = 72287;
	 * cwnd += (72287 - 70015) * 1000 / 70015 = 32 */
	{ 1 * SEC + 10 * MS, 2000, 4589502388, 70047, CUBIC_CONCAVE },
	/* t 1 s: += 990635; W_cubic(1) = 86681, target W_cubic(1.1) = 87885;
	 * cwnd += (87885 - 70047) * 1000 / 70047 = 254 */
	{ 2 * SEC, 2000, 4590493023, 70301, CUBIC_CONCAVE },
	/* t 2 s: target W_cubic(2.1) = 96205: += 25904000 / 70301 = 368 */
	{ 3 * SEC, 2000, 4591480079, 70669, CUBIC_CONCAVE },
	/* t 3 s: target W_cubic(3.1) = 99443: += 28774000 / 70669 = 407 */
	{ 4 * SEC, 2000, 4592461995, 71076, CUBIC_CONCAVE },
};

START_TEST(test_cubic_concave)
{
	cubic_fresh(100000, 100 * MS);
	c.ops->on_fast_retransmit(&c, 100000);
	c.ops->on_recovery_exit(&c, 70000);
	ck_assert_uint_eq(c.cwnd_bytes, 70000);
	ck_assert_uint_eq(c.cubic.w_max_bytes, 100000);
	c.events = 0;
	ca_steps(concave, N(concave));
	ck_assert_uint_eq(c.cubic.t_epoch_ns, 1 * SEC);
	ck_assert_uint_eq(c.cubic.cwnd_epoch_bytes, 70000);
	ck_assert_int_eq(c.cubic.k_us, 4217163);
	ck_assert_uint_eq(c.events, CC_EV_EPOCH);
	ck_assert_uint_eq(c.ssthresh_bytes, 70000);
	ck_assert(!c.cubic.alpha_one);
}
END_TEST

/*
 * §4.8 after a timeout, and the convex region (§4.5). cwnd 100000, 100000
 * in flight: ssthresh 70000, W_max 100000 (§4.6/§4.7), cwnd 1 SMSS; 69
 * ACKs of 1000 bytes in slow start bring cwnd to 70000 = ssthresh. The
 * stage begins at 5 s with W_max = cwnd_epoch = 70000 and K = 0, so
 * W_cubic(t) = 70000 + 400 t^3 (bytes, t in s) is convex from the start;
 * W_est (alpha 9/17, as 70000 < cwnd_prior 100000) leads it for a while.
 */
static const struct ca_step after_rto[] = {
	/* W_est 70015 > W_cubic(0) = 70000: Reno-friendly */
	{ 5 * SEC, 2000, 4588511300, 70015, CUBIC_RENO_FRIENDLY },
	/* += 9*2000*1000*65536 / (17*70015) = 991088 -> 70030 > W_cubic(0.01) = 70000 */
	{ 5 * SEC + 10 * MS, 2000, 4589502388, 70030, CUBIC_RENO_FRIENDLY },
	/* t 1 s: W_est 70045 < W_cubic(1) = 70400; target W_cubic(1.1) =
	 * 70000 + 400 * 1.331 = 70532; cwnd += 502 * 1000 / 70030 = 7 */
	{ 6 * SEC, 2000, 4590493264, 70037, CUBIC_CONVEX },
	/* t 2 s: target W_cubic(2.1) = 70000 + 400 * 9.261 = 73704: += 3667000 / 70037 = 52 */
	{ 7 * SEC, 2000, 4591484041, 70089, CUBIC_CONVEX },
	/* t 3 s: target W_cubic(3.1) = 70000 + 400 * 29.791 = 81916: += 11827000 / 70089 = 168 */
	{ 8 * SEC, 2000, 4592474083, 70257, CUBIC_CONVEX },
};

START_TEST(test_cubic_after_rto)
{
	cubic_fresh(100000, 100 * MS);
	c.ops->on_rto(&c, 100000, false);
	ck_assert_uint_eq(c.ssthresh_bytes, 70000);
	ck_assert_uint_eq(c.cwnd_bytes, SMSS);
	ck_assert_uint_eq(c.cubic.w_max_bytes, 100000);
	ck_assert_uint_eq(c.cubic.cwnd_prior_bytes, 100000);
	ck_assert(c.cubic.w_max_from_epoch);
	ck_assert(!c.cubic.epoch_valid);
	/* A second expiry for the same segment: ssthresh held (RFC 5681 §3.1). */
	c.ops->on_rto(&c, 1000, true);
	ck_assert_uint_eq(c.ssthresh_bytes, 70000);
	ck_assert_uint_eq(c.cwnd_bytes, SMSS);
	ck_assert_uint_eq(c.cubic.w_max_bytes, 100000);
	for (int i = 0; i < 69; i++) {
		c.ops->on_ack(&c, SMSS);
		ck_assert_int_eq(c.cubic.region, CUBIC_SLOW_START);
	}
	ck_assert_uint_eq(c.cwnd_bytes, 70000);
	ck_assert(!c.cubic.epoch_valid);
	ca_steps(after_rto, N(after_rto));
	ck_assert_uint_eq(c.cubic.w_max_bytes, 70000);
	ck_assert_uint_eq(c.cubic.cwnd_epoch_bytes, 70000);
	ck_assert_int_eq(c.cubic.k_us, 0);
	ck_assert(!c.cubic.w_max_from_epoch);
}
END_TEST

/*
 * The Reno-friendly region (§4.3) with a small window: cwnd 10000 at the
 * loss: W_max 10000, ssthresh 7000, cwnd 7000 after recovery; K =
 * cbrt(3000e19 / 4000) = 1.957433 s; SRTT 40 ms; an ACK of 2000 bytes
 * every 20 ms from 1 s. W_est grows 9/17 * 2000 * 1000 / cwnd per ACK and
 * stays above W_cubic(t), so cwnd = W_est each time.
 */
static const struct ca_step reno_friendly[] = {
	/* (7000 << 16) + 9*2000*1000*65536 / (17*7000) = 458752000 + 9913008 -> 7151 > W_cubic(0) = 7001 */
	{ 1 * SEC, 2000, 468665008, 7151, CUBIC_RENO_FRIENDLY },
	/* += 1179648000000 / (17*7151) = 9703686 -> 7299 > W_cubic(0.02) = 7092 */
	{ 1 * SEC + 20 * MS, 2000, 478368694, 7299, CUBIC_RENO_FRIENDLY },
	/* += 1179648000000 / (17*7299) = 9506926 -> 7444 > 7181 */
	{ 1 * SEC + 40 * MS, 2000, 487875620, 7444, CUBIC_RENO_FRIENDLY },
	/* += 9321743 -> 7586 > 7268 */
	{ 1 * SEC + 60 * MS, 2000, 497197363, 7586, CUBIC_RENO_FRIENDLY },
	/* += 9147252 -> 7726 > 7354 */
	{ 1 * SEC + 80 * MS, 2000, 506344615, 7726, CUBIC_RENO_FRIENDLY },
	/* += 8981498 -> 7863 > 7437 */
	{ 1 * SEC + 100 * MS, 2000, 515326113, 7863, CUBIC_RENO_FRIENDLY },
};

/* Then W_est reaches cwnd_prior (10000): alpha_cubic becomes 1 (§4.3). */
static const struct ca_step alpha_one[] = {
	/* from W_est = cwnd = 9990: += 1179648000000 / (17*9990) = 6946051 -> 10095 >= 10000 */
	{ 1 * SEC + 200 * MS, 2000, 661650691, 10095, CUBIC_RENO_FRIENDLY },
	/* alpha 1: += 1*2000*1000*65536 / (1*10095) = 12983853 (not 9/17 of it) -> 10294 */
	{ 1 * SEC + 220 * MS, 2000, 674634544, 10294, CUBIC_RENO_FRIENDLY },
};

START_TEST(test_cubic_reno_friendly)
{
	cubic_fresh(10000, 40 * MS);
	c.ops->on_fast_retransmit(&c, 10000);
	c.ops->on_recovery_exit(&c, 7000);
	ck_assert_uint_eq(c.cwnd_bytes, 7000);
	ca_steps(reno_friendly, N(reno_friendly));
	ck_assert_int_eq(c.cubic.k_us, 1957433);
	ck_assert(!c.cubic.alpha_one);
	c.cubic.w_est_fp = (uint64_t)9990 << 16;
	c.cwnd_bytes = 9990;
	ca_steps(alpha_one, 1);
	ck_assert(c.cubic.alpha_one);
	ca_steps(alpha_one + 1, 1);
}
END_TEST

/* An ACK never shrinks cwnd in the Reno-friendly region, nor the target below cwnd. */
START_TEST(test_cubic_never_shrinks)
{
	cubic_fresh(10000, 40 * MS);
	c.ops->on_fast_retransmit(&c, 10000);
	c.ops->on_recovery_exit(&c, 7000);
	eng.now_ns = 1 * SEC;
	c.ops->on_ack(&c, 2000);                 /* the stage begins; cwnd 7151 (above) */
	c.cwnd_bytes = 9000;                     /* ahead of both W_est and W_cubic */
	eng.now_ns = 1 * SEC + 20 * MS;
	c.ops->on_ack(&c, 2000);
	ck_assert_uint_eq(c.cwnd_bytes, 9000);
	ck_assert_int_eq(c.cubic.region, CUBIC_RENO_FRIENDLY);
}
END_TEST

/* The target is at most 1.5 cwnd (§4.2): far past K, W_cubic(t + RTT) is huge. */
START_TEST(test_cubic_target_bound)
{
	cubic_fresh(100000, 100 * MS);
	c.ops->on_fast_retransmit(&c, 100000);
	c.ops->on_recovery_exit(&c, 70000);
	eng.now_ns = 1 * SEC;
	c.ops->on_ack(&c, 2000);                 /* cwnd 70015 (above) */
	eng.now_ns = 101 * SEC;                  /* W_cubic(100 s) = 100000 + 400 * 95.8^3 */
	c.ops->on_ack(&c, 2000);
	/* target = 1.5 * 70015 = 105022: cwnd += 35007 * 1000 / 70015 = 499 */
	ck_assert_uint_eq(c.cwnd_bytes, 70015 + 499);
	ck_assert_int_eq(c.cubic.region, CUBIC_CONCAVE);
}
END_TEST

/* SACK recovery (RFC 6675 §5 step 4.2) under CUBIC: §4.6's cwnd = ssthresh
 * = 0.7 FlightSize, no inflation; W_max and cwnd_prior as at any loss. */
static const struct {
	uint64_t flight, ssthresh;
} sack_decreases[] = {
	{ 100000, 70000 },
	{ 14601, 10220 },
	{ 1000, 2000 },              /* 700 < the 2 SMSS floor */
};

START_TEST(test_cubic_sack_recovery)
{
	cubic_fresh(100000, 100 * MS);
	c.cubic.w_max_bytes = 120000;
	c.ops->on_sack_recovery(&c, sack_decreases[_i].flight);
	ck_assert_uint_eq(c.ssthresh_bytes, sack_decreases[_i].ssthresh);
	ck_assert_uint_eq(c.cwnd_bytes, sack_decreases[_i].ssthresh);
	ck_assert_uint_eq(c.cubic.w_max_bytes, 85000);         /* fast convergence: 100000 < 120000 */
	ck_assert_uint_eq(c.cubic.cwnd_prior_bytes, 100000);
	ck_assert(!c.cubic.epoch_valid);
	ck_assert_int_eq(c.cubic.region, CUBIC_RECOVERY);
}
END_TEST

/*
 * RFC 9438 §4.6: an ECN-Echo is a congestion event like a loss: W_max (with
 * §4.7's fast convergence), ssthresh = FlightSize * 0.7, cwnd = ssthresh,
 * no recovery inflation; the next stage starts below W_max (concave).
 * cwnd 100000 at W_max 120000: W_max 85000; with W_max 0: W_max 100000.
 */
static const struct {
	uint64_t w_max_before, flight, w_max, ssthresh;
	enum cc_cubic_region region;
} ecn_decreases[] = {
	{ 120000, 100000, 85000, 70000, CUBIC_CONCAVE },
	{ 0, 100000, 100000, 70000, CUBIC_CONCAVE },
	{ 0, 60001, 100000, 42000, CUBIC_CONCAVE },     /* 42000.7 rounds down */
	{ 0, 2000, 100000, 2000, CUBIC_CONCAVE },       /* 1400 < the 2*SMSS floor */
	{ 1000, 2000, 1000, 2000, CUBIC_CONVEX },       /* at the floor, above W_max */
};

START_TEST(test_cubic_ecn_echo)
{
	cubic_fresh(100000, 100 * MS);
	c.cubic.w_max_bytes = ecn_decreases[_i].w_max_before;
	if (ecn_decreases[_i].w_max_before == 1000)
		c.cwnd_bytes = 1000;
	c.ops->on_ecn_echo(&c, ecn_decreases[_i].flight);
	ck_assert_uint_eq(c.cubic.w_max_bytes, ecn_decreases[_i].w_max);
	ck_assert_uint_eq(c.ssthresh_bytes, ecn_decreases[_i].ssthresh);
	ck_assert_uint_eq(c.cwnd_bytes, ecn_decreases[_i].ssthresh);
	ck_assert(!c.cubic.epoch_valid);
	ck_assert_int_eq(c.cubic.region, ecn_decreases[_i].region);
	ck_assert_uint_eq(c.cubic.reductions, 1);
}
END_TEST

/* Fast recovery under CUBIC is RFC 5681 / RFC 6582's arithmetic (cc.c). */
START_TEST(test_cubic_recovery)
{
	cubic_fresh(20000, 100 * MS);
	c.ops->on_fast_retransmit(&c, 20000);     /* ssthresh 14000, cwnd 17000 */
	ck_assert_uint_eq(c.cwnd_bytes, 17000);
	c.ops->on_dupack_in_recovery(&c);
	ck_assert_uint_eq(c.cwnd_bytes, 18000);
	c.ops->on_partial_ack(&c, 4000);          /* 18000 - 4000 + 1000 */
	ck_assert_uint_eq(c.cwnd_bytes, 15000);
	c.ops->on_recovery_exit(&c, 9000);        /* min(14000, 9000 + 1000) */
	ck_assert_uint_eq(c.cwnd_bytes, 10000);
	ck_assert_int_eq(c.cubic.region, CUBIC_SLOW_START);
	c.ops->on_ack(&c, 3000);                  /* slow start: + min(3000, SMSS) */
	ck_assert_uint_eq(c.cwnd_bytes, 11000);
	ck_assert(cc_find("cubic") == &cc_cubic);
	ck_assert(cc_cubic.partial_ack_stays_in_recovery);
	ck_assert(cc_cubic.has_trace_state);
	ck_assert(!cc_newreno.has_trace_state);
}
END_TEST

/* The boundaries of §4.3: W_est exactly cwnd_prior makes alpha 1; W_cubic(t)
 * exactly W_est is not the Reno-friendly region. */
START_TEST(test_cubic_boundaries)
{
	cubic_fresh(10000, 40 * MS);
	c.ops->on_fast_retransmit(&c, 10000);     /* cwnd_prior 10000 */
	c.ops->on_recovery_exit(&c, 7000);
	eng.now_ns = 1 * SEC;
	c.ops->on_ack(&c, 2000);
	ck_assert(!c.cubic.alpha_one);
	/* W_est one step short of 10000: + 9*2000*1000*65536 / (17*9990) = 6946051 */
	c.cwnd_bytes = 9990;
	c.cubic.w_est_fp = ((uint64_t)10000 << 16) - 6946051;
	eng.now_ns = 1 * SEC + 20 * MS;
	c.ops->on_ack(&c, 2000);
	ck_assert_uint_eq(c.cubic.w_est_fp, (uint64_t)10000 << 16);
	ck_assert(c.cubic.alpha_one);

	/* After a timeout: W_max = cwnd_epoch = 70000, K = 0, W_cubic(0) =
	 * 70000; an ACK of 1 byte adds 9*1*1000*65536 / (17*70000) = 495 / 65536
	 * byte: W_est = 70000 = W_cubic(0): convex, and the target W_cubic(0.1)
	 * = 70000 + 0.4 truncated adds nothing. */
	cubic_fresh(100000, 100 * MS);
	c.ops->on_rto(&c, 100000, false);
	c.cwnd_bytes = 70000;
	c.ops->on_ack(&c, 1);
	ck_assert_uint_eq(c.cubic.w_est_fp, ((uint64_t)70000 << 16) + 495);
	ck_assert_uint_eq(c.cwnd_bytes, 70000);
	ck_assert_int_eq(c.cubic.region, CUBIC_CONVEX);
}
END_TEST

/* ==== HyStart++ (RFC 9406) ==== */

static uint64_t hs_acked;

/* A HyStart++ CUBIC window: cwnd 10000, nothing acknowledged yet. */
static void hs_fresh(void)
{
	cubic_fresh(10000, 100 * MS);
	c.hystart = true;
	hs_acked = 0;
}

/*
 * One round of n ACKs of 1000 bytes each with RTT sample rtt_ns: its first
 * ACK is the one that acknowledges the previous windowEnd, and SND.NXT then
 * is n segments ahead, so the round ends after n ACKs.
 */
static void hs_ack(uint64_t rtt_ns)
{
	hs_acked += 1000;
	track.acked_off = hs_acked;
	track.sample_ns = rtt_ns;
	c.ops->on_ack(&c, 1000);
}

static void hs_round(int n, uint64_t rtt_ns)
{
	for (int i = 0; i < n; i++) {
		if (i == 0)
			track.sent_end_off = hs_acked + 1000 + (uint64_t)n * 1000;
		hs_ack(rtt_ns);
	}
}

/* The first k ACKs of a round of n. */
static void hs_round_part(int n, int k, uint64_t rtt_ns)
{
	track.sent_end_off = hs_acked + 1000 + (uint64_t)n * 1000;
	for (int i = 0; i < k; i++)
		hs_ack(rtt_ns);
}

/*
 * Rounds of 100 ms, then 113 ms: RttThresh = max(4 ms, min(100 / 8, 16 ms))
 * = 12.5 ms, and 113 >= 100 + 12.5: after the 8th sample (N_RTT_SAMPLE) of
 * round 2, Conservative Slow Start. Slow start grows 1000 per ACK, CSS
 * 1000 / CSS_GROWTH_DIVISOR = 250. CSS lasts CSS_ROUNDS = 5 rounds, the
 * partial one it began in included (2 to 6); at the first ACK of round 7,
 * ssthresh = cwnd, and CUBIC's avoidance (§4.10: W_max = cwnd, K = 0) begins.
 */
START_TEST(test_hystart_css_and_exit)
{
	hs_fresh();
	hs_round(9, 100 * MS);                    /* 10000 + 9 * 1000 */
	ck_assert_uint_eq(c.cwnd_bytes, 19000);
	ck_assert_uint_eq(c.hs.rounds, 1);
	ck_assert_uint_eq(c.hs.last_round_min_rtt_ns, UINT64_MAX);
	ck_assert_uint_eq(c.hs.current_round_min_rtt_ns, 100 * MS);
	hs_round_part(9, 7, 113 * MS);            /* round 2 of 9 ACKs; 7 samples: not yet */
	ck_assert(!c.hs.in_css);
	ck_assert_uint_eq(c.hs.rounds, 2);
	ck_assert_uint_eq(c.hs.last_round_min_rtt_ns, 100 * MS);
	ck_assert_uint_eq(c.cwnd_bytes, 26000);
	c.events = 0;
	hs_ack(113 * MS);                         /* the 8th */
	ck_assert(c.hs.in_css);
	ck_assert_uint_eq(c.events, CC_EV_CSS);
	ck_assert_uint_eq(c.hs.css_baseline_min_rtt_ns, 113 * MS);
	ck_assert_uint_eq(c.hs.css_rounds, 1);
	ck_assert_uint_eq(c.cwnd_bytes, 27000);   /* this ACK still grew by slow start */
	ck_assert_int_eq(c.cubic.region, CUBIC_CSS);
	hs_ack(120 * MS);                         /* the round's 9th and last */
	ck_assert_uint_eq(c.cwnd_bytes, 27250);
	ck_assert_uint_eq(c.hs.rounds, 2);
	/* Rounds 3 to 6 in CSS, four ACKs each: + 4 * 250 a round. */
	for (uint32_t r = 3; r <= 6; r++) {
		hs_round(4, 120 * MS);
		ck_assert_uint_eq(c.hs.rounds, r);
		ck_assert_uint_eq(c.hs.css_rounds, r - 1);
		ck_assert_uint_eq(c.cwnd_bytes, 27250 + (r - 2) * 1000);
		ck_assert(c.hs.in_css);
		ck_assert_uint_eq(c.ssthresh_bytes, INF);
	}
	/* Round 7's first ACK: CSS_ROUNDS complete: ssthresh = cwnd = 31250. */
	c.events = 0;
	hs_round(1, 120 * MS);
	ck_assert(!c.hs.in_css);
	ck_assert_uint_eq(c.ssthresh_bytes, 31250);
	ck_assert_uint_eq(c.events, CC_EV_SS_EXIT | CC_EV_EPOCH);
	ck_assert_uint_eq(c.cubic.w_max_bytes, 31250);
	ck_assert_uint_eq(c.cubic.cwnd_prior_bytes, 31250);
	ck_assert_int_eq(c.cubic.k_us, 0);
	ck_assert(c.cubic.alpha_one);             /* W_est = cwnd_epoch = cwnd_prior */
	/* The same ACK in avoidance: W_est = 31250 + 1000 * 1000 / 31250 = 31282
	 * > W_cubic(0) = 31250: Reno-friendly, cwnd = 31282. */
	ck_assert_uint_eq(c.cwnd_bytes, 31282);
	ck_assert_int_eq(c.cubic.region, CUBIC_RENO_FRIENDLY);
	/* HyStart++ is over: later ACKs are CUBIC's. */
	hs_round(1, 200 * MS);
	ck_assert_uint_eq(c.hs.rounds, 7);
}
END_TEST

/*
 * §4.2: in CSS, a round whose minimum RTT (8 samples) falls below
 * cssBaselineMinRtt ends CSS: slow start again, with HyStart++.
 */
START_TEST(test_hystart_back_to_slow_start)
{
	hs_fresh();
	hs_round(9, 100 * MS);
	hs_round(10, 113 * MS);                   /* CSS at its 8th ACK: 19000 + 8000 + 2 * 250 */
	ck_assert(c.hs.in_css);
	ck_assert_uint_eq(c.cwnd_bytes, 27500);
	c.events = 0;
	hs_round_part(9, 7, 105 * MS);            /* 105 < 113, but only 7 samples */
	ck_assert(c.hs.in_css);
	ck_assert_uint_eq(c.cwnd_bytes, 27500 + 7 * 250);
	hs_ack(105 * MS);                         /* the 8th: CSS growth, then the check */
	ck_assert(!c.hs.in_css);
	ck_assert_uint_eq(c.events, CC_EV_SS_RESUME);
	ck_assert_uint_eq(c.hs.css_baseline_min_rtt_ns, UINT64_MAX);
	ck_assert_uint_eq(c.cwnd_bytes, 29500);
	ck_assert_int_eq(c.cubic.region, CUBIC_SLOW_START);
	hs_ack(105 * MS);                         /* slow start: + 1000 */
	ck_assert_uint_eq(c.cwnd_bytes, 30500);
}
END_TEST

/*
 * RttThresh = max(MIN_RTT_THRESH 4 ms, min(lastRoundMinRTT / 8, MAX_RTT_THRESH 16 ms)):
 * round 1 at last_ms, round 2 at cur (8 samples each).
 */
static const struct {
	uint64_t last, cur;
	bool css;
} thresholds[] = {
	{ 100 * MS, 112499999, false },           /* 100 + 12.5 ms */
	{ 100 * MS, 112500000, true },
	{ 20 * MS, 23999999, false },             /* 20 / 8 = 2.5 ms: 4 ms */
	{ 20 * MS, 24 * MS, true },
	{ 200 * MS, 215999999, false },           /* 200 / 8 = 25 ms: 16 ms */
	{ 200 * MS, 216 * MS, true },
	{ 200 * MS, 150 * MS, false },
};

START_TEST(test_hystart_threshold)
{
	hs_fresh();
	hs_round(8, thresholds[_i].last);
	hs_round(9, thresholds[_i].cur);
	ck_assert(c.hs.in_css == thresholds[_i].css);
	/* 17 ACKs; the 9th of round 2 grew by 250 in CSS */
	ck_assert_uint_eq(c.cwnd_bytes, thresholds[_i].css ? 10000 + 16000 + 250 : 10000 + 17000);
}
END_TEST

/* An ACK without a sample (Karn) counts for nothing; L = 8 SMSS (§4.3, not paced). */
START_TEST(test_hystart_samples_and_l)
{
	hs_fresh();
	hs_round(8, 100 * MS);
	hs_round(9, 0);                           /* no samples: no decision */
	ck_assert(!c.hs.in_css);
	ck_assert_uint_eq(c.hs.rtt_sample_count, 0);
	ck_assert_uint_eq(c.hs.current_round_min_rtt_ns, UINT64_MAX);
	ck_assert_uint_eq(c.cwnd_bytes, 27000);
	hs_acked += 10000;                        /* a stretch ACK of 10 segments */
	track.acked_off = hs_acked;
	track.sample_ns = 0;
	c.ops->on_ack(&c, 10000);
	ck_assert_uint_eq(c.cwnd_bytes, 27000 + 8000);
	/* Without HyStart++ the same ACK is RFC 5681's: + 1 SMSS (L = 1). */
	cubic_fresh(27000, 100 * MS);
	c.ops->on_ack(&c, 10000);
	ck_assert_uint_eq(c.cwnd_bytes, 28000);
	ck_assert_uint_eq(c.hs.rounds, 0);
}
END_TEST

/* HyStart++ only in the initial slow start: after a loss, RFC 5681's. */
START_TEST(test_hystart_initial_only)
{
	hs_fresh();
	hs_round(8, 100 * MS);
	c.ops->on_fast_retransmit(&c, 18000);     /* W_max 18000, ssthresh 12600 */
	c.ops->on_recovery_exit(&c, 5000);        /* cwnd 6000 */
	ck_assert_uint_eq(c.cwnd_bytes, 6000);
	hs_round(8, 300 * MS);
	ck_assert_uint_eq(c.hs.rounds, 1);
	ck_assert(!c.hs.in_css);
	/* Seven ACKs of slow start (RFC 5681, + 1000 each) to 13000 >= 12600;
	 * the 8th begins the stage: W_est = 13000 + 9*1000*1000 / (17*13000)
	 * = 13040 > W_cubic(0) = 13000 (K = cbrt(5000e19 / 4000)): cwnd 13040. */
	ck_assert_uint_eq(c.cwnd_bytes, 13040);
	ck_assert_int_eq(c.cubic.region, CUBIC_RENO_FRIENDLY);
}
END_TEST

static Suite *cc_suite(void)
{
	Suite *s = suite_create("cc");
	TCase *tc;

	tc = tcase_create("init");
	tcase_add_loop_test(tc, test_init, 0, N(inits));
	suite_add_tcase(s, tc);

	tc = tcase_create("growth");
	tcase_add_loop_test(tc, test_slow_start_ack, 0, N(slow_start));
	tcase_add_test(tc, test_slow_start_then_avoidance);
	tcase_add_test(tc, test_avoidance_at_ssthresh);
	suite_add_tcase(s, tc);

	tc = tcase_create("loss");
	tcase_add_loop_test(tc, test_rto, 0, N(rtos));
	tcase_add_loop_test(tc, test_fast_retransmit, 0, N(fast_rexmits));
	tcase_add_loop_test(tc, test_ecn_echo, 0, N(ecn_echoes));
	tcase_add_test(tc, test_dupack_in_recovery);
	tcase_add_loop_test(tc, test_partial_ack, 0, N(partials));
	tcase_add_test(tc, test_recovery_sequence);
	tcase_add_loop_test(tc, test_recovery_exit, 0, N(exits));
	suite_add_tcase(s, tc);

	tc = tcase_create("find");
	tcase_add_loop_test(tc, test_slow_start_abc_l2, 0, N(abc2));
	tcase_add_test(tc, test_abc_default_is_one_segment);
	tcase_add_test(tc, test_find_newreno);
	tcase_add_loop_test(tc, test_find_unknown, 0, N(unknown_names));
	suite_add_tcase(s, tc);

	tc = tcase_create("cubic");
	tcase_add_loop_test(tc, test_cubic_cbrt, 0, N(cbrts));
	tcase_add_test(tc, test_cubic_cbrt_wide);
	tcase_add_loop_test(tc, test_cubic_k, 0, N(ks));
	tcase_add_loop_test(tc, test_cubic_w, 0, N(ws));
	tcase_add_test(tc, test_cubic_w_epoch_form);
	tcase_add_loop_test(tc, test_cubic_decrease, 0, N(decreases));
	tcase_add_loop_test(tc, test_cubic_fast_convergence, 0, N(convergences));
	tcase_add_test(tc, test_cubic_concave);
	tcase_add_test(tc, test_cubic_after_rto);
	tcase_add_test(tc, test_cubic_reno_friendly);
	tcase_add_test(tc, test_cubic_never_shrinks);
	tcase_add_test(tc, test_cubic_target_bound);
	tcase_add_test(tc, test_cubic_recovery);
	tcase_add_loop_test(tc, test_cubic_sack_recovery, 0, N(sack_decreases));
	tcase_add_loop_test(tc, test_cubic_ecn_echo, 0, N(ecn_decreases));
	tcase_add_test(tc, test_cubic_boundaries);
	suite_add_tcase(s, tc);

	tc = tcase_create("hystart");
	tcase_add_test(tc, test_hystart_css_and_exit);
	tcase_add_test(tc, test_hystart_back_to_slow_start);
	tcase_add_loop_test(tc, test_hystart_threshold, 0, N(thresholds));
	tcase_add_test(tc, test_hystart_samples_and_l);
	tcase_add_test(tc, test_hystart_initial_only);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(cc_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
