/*
 * check_cc: Reno/NewReno window arithmetic (cc.c) through its ops table.
 *
 * Each test sets up a window, feeds one event or a sequence of them through
 * c.ops, and asserts the exact cwnd and ssthresh in bytes after each. SMSS
 * is 1000 unless said otherwise, so every value reads as segments * 1000.
 * RFC 5681 (slow start, congestion avoidance, fast retransmit and recovery,
 * timeouts), RFC 6582 (NewReno partial ACKs and the end of recovery),
 * RFC 6928 (initial window).
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "cc.h"

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
	"", "cubic", "bbr", "vegas", "newreno ", "new reno", "newrenoo", "newren",
};

START_TEST(test_find_unknown)
{
	ck_assert_ptr_null(cc_find(unknown_names[_i]));
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
