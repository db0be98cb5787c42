/*
 * check_rtt: the RFC 6298 estimator of rtt.c.
 *
 * Every SRTT, RTTVAR and RTO below is worked out by hand from RFC 6298 with
 * alpha = 1/8, beta = 1/4, K = 4 and G = 1 ms (RTT_CLOCK_GRANULARITY_NS),
 * in integer nanoseconds, each division truncating. Then rtt_track, the
 * per-ACK samples (HyStart++'s, RFC 9406), with Karn's rule. rtt.c evaluates (2.3)
 * as RTTVAR = (3 * RTTVAR + |SRTT - R'|) / 4 and SRTT = (7 * SRTT + R') / 8,
 * RTTVAR first, with the SRTT from before this sample, as the RFC orders it.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "rtt.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MS UINT64_C(1000000)
#define SEC UINT64_C(1000000000)

/* RFC 6298 (2.1): "Until a round-trip time (RTT) measurement has been made
 * ... the sender SHOULD set RTO <- 1 second". */
START_TEST(test_initial)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * SEC, 60 * SEC);
	ck_assert(!r.have_sample);
	ck_assert_uint_eq(r.samples, 0);
	ck_assert_uint_eq(r.backoff, 0);
	ck_assert_uint_eq(rtt_rto(&r), 1 * SEC);
	/* Any initial value is taken as given, before the first sample. */
	rtt_init(&r, 2500 * MS, 1 * MS, 60 * SEC);
	ck_assert_uint_eq(rtt_rto(&r), 2500 * MS);
}
END_TEST

/*
 * RFC 6298 (2.2) then (2.3), min_rto = 1 ms so that the clamp of (2.4) hides
 * nothing, max_rto = 60 s.
 *
 *  1. R = 100 ms, first sample (2.2): SRTT = R = 100 000 000,
 *     RTTVAR = R/2 = 50 000 000, RTO = SRTT + max(G, K*RTTVAR)
 *     = 100 000 000 + 200 000 000 = 300 000 000.
 *  2. R' = 120 ms (2.3): |SRTT - R'| = 20 000 000;
 *     RTTVAR = (3*50 000 000 + 20 000 000)/4 = 170 000 000/4 = 42 500 000;
 *     SRTT = (7*100 000 000 + 120 000 000)/8 = 820 000 000/8 = 102 500 000;
 *     RTO = 102 500 000 + 4*42 500 000 = 272 500 000.
 *     (Updating SRTT first would give |102.5 - 120| ms and RTTVAR 41 875 000.)
 *  3. R' = 80 ms: |102 500 000 - 80 000 000| = 22 500 000;
 *     RTTVAR = (127 500 000 + 22 500 000)/4 = 37 500 000;
 *     SRTT = (717 500 000 + 80 000 000)/8 = 797 500 000/8 = 99 687 500;
 *     RTO = 99 687 500 + 150 000 000 = 249 687 500.
 *  4. R' = 300 ms: |99 687 500 - 300 000 000| = 200 312 500;
 *     RTTVAR = (112 500 000 + 200 312 500)/4 = 312 812 500/4 = 78 203 125;
 *     SRTT = (697 812 500 + 300 000 000)/8 = 997 812 500/8 = 124 726 562.5
 *     -> 124 726 562; RTO = 124 726 562 + 312 812 500 = 437 539 062.
 *  5. R' = 124 726 560 ns: |124 726 562 - 124 726 560| = 2;
 *     RTTVAR = (234 609 375 + 2)/4 = 58 652 344.25 -> 58 652 344;
 *     SRTT = (873 085 934 + 124 726 560)/8 = 997 812 494/8 = 124 726 561.75
 *     -> 124 726 561; RTO = 124 726 561 + 234 609 376 = 359 335 937.
 *  6. R' = 20 ms: |124 726 561 - 20 000 000| = 104 726 561;
 *     RTTVAR = (175 957 032 + 104 726 561)/4 = 280 683 593/4 = 70 170 898.25
 *     -> 70 170 898; SRTT = (873 085 927 + 20 000 000)/8 = 893 085 927/8
 *     = 111 635 740.875 -> 111 635 740;
 *     RTO = 111 635 740 + 280 683 592 = 392 319 332.
 */
static const struct {
	uint64_t sample, srtt, rttvar, rto;
} sequence[] = {
	{ 100 * MS, 100000000, 50000000, 300000000 },
	{ 120 * MS, 102500000, 42500000, 272500000 },
	{ 80 * MS, 99687500, 37500000, 249687500 },
	{ 300 * MS, 124726562, 78203125, 437539062 },
	{ 124726560, 124726561, 58652344, 359335937 },
	{ 20 * MS, 111635740, 70170898, 392319332 },
};

START_TEST(test_sequence)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 60 * SEC);
	for (int i = 0; i < N(sequence); i++) {
		rtt_sample(&r, sequence[i].sample);
		ck_assert(r.have_sample);
		ck_assert_uint_eq(r.samples, i + 1);
		ck_assert_uint_eq(r.srtt_ns, sequence[i].srtt);
		ck_assert_uint_eq(r.rttvar_ns, sequence[i].rttvar);
		ck_assert_uint_eq(r.base_rto_ns, sequence[i].rto);
		ck_assert_uint_eq(rtt_rto(&r), sequence[i].rto);
	}
}
END_TEST

/*
 * RFC 6298 (2.2)/(2.3): RTO = SRTT + max(G, K*RTTVAR). With RTTVAR = 0 the
 * granularity term is what is left: R = 1 ns gives SRTT = 1, RTTVAR = 0
 * (1/2 truncates), RTO = 1 + 1 000 000. A second equal sample keeps
 * RTTVAR = (0 + 0)/4 = 0 and SRTT = (7 + 1)/8 = 1. Then R' = 400 001 ns:
 * RTTVAR = 400 000/4 = 100 000, K*RTTVAR = 400 000 < G: SRTT = (7 + 400 001)/8
 * = 50 001, RTO = 50 001 + 1 000 000.
 */
START_TEST(test_granularity)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 60 * SEC);
	rtt_sample(&r, 1);
	ck_assert_uint_eq(r.srtt_ns, 1);
	ck_assert_uint_eq(r.rttvar_ns, 0);
	ck_assert_uint_eq(rtt_rto(&r), 1000001);
	rtt_sample(&r, 1);
	ck_assert_uint_eq(r.srtt_ns, 1);
	ck_assert_uint_eq(r.rttvar_ns, 0);
	ck_assert_uint_eq(rtt_rto(&r), 1000001);
	rtt_sample(&r, 400001);
	ck_assert_uint_eq(r.rttvar_ns, 100000);
	ck_assert_uint_eq(r.srtt_ns, 50001);
	ck_assert_uint_eq(rtt_rto(&r), 1050001);
	ck_assert_uint_eq(RTT_CLOCK_GRANULARITY_NS, 1 * MS);
	ck_assert_int_eq(RTT_K, 4);
}
END_TEST

/*
 * RFC 7323 Appendix G: with ExpectedSamples n, alpha' = 1/(8n) and
 * beta' = 1/(4n); the first sample is RFC 6298 (2.2) whatever n is.
 *  1. R = 100 ms, n = 8: SRTT 100 ms, RTTVAR 50 ms, RTO 300 ms.
 *  2. R' = 120 ms, n = 4: RTTVAR = 50 + (20 - 50)/16 = 48.125 ms;
 *     SRTT = 100 + 20/32 = 100.625 ms; RTO = 100.625 + 4 * 48.125 = 293.125 ms.
 *  3. R' = 80 ms, n = 3: |SRTT - R'| = 20.625 ms; RTTVAR = 48.125 -
 *     27.5/12 = 45.8333... -> 45 833 333 ns; SRTT = 100.625 - 20.625/24 =
 *     99.765625 ms; RTO = 99 765 625 + 183 333 332 = 283 098 957 ns.
 *  4. R' = 200 ms, n = 1, RFC 6298's own gains: RTTVAR = (3 * 45 833 333 +
 *     100 234 375)/4 = 59 433 593.5 -> 59 433 593; SRTT = (7 * 99 765 625 +
 *     200 000 000)/8 = 112 294 921.875 -> 112 294 921; RTO = 112 294 921 +
 *     237 734 372 = 350 029 293.
 */
static const struct {
	uint64_t sample, n, srtt, rttvar, rto;
} appendix_g[] = {
	{ 100 * MS, 8, 100000000, 50000000, 300000000 },
	{ 120 * MS, 4, 100625000, 48125000, 293125000 },
	{ 80 * MS, 3, 99765625, 45833333, 283098957 },
	{ 200 * MS, 1, 112294921, 59433593, 350029293 },
};

START_TEST(test_appendix_g)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 60 * SEC);
	for (int i = 0; i < N(appendix_g); i++) {
		rtt_sample_n(&r, appendix_g[i].sample, appendix_g[i].n);
		ck_assert_uint_eq(r.samples, i + 1);
		ck_assert_uint_eq(r.last_ns, appendix_g[i].sample);
		ck_assert_uint_eq(r.srtt_ns, appendix_g[i].srtt);
		ck_assert_uint_eq(r.rttvar_ns, appendix_g[i].rttvar);
		ck_assert_uint_eq(rtt_rto(&r), appendix_g[i].rto);
	}
}
END_TEST

/* n = 1 is RFC 6298 exactly: the sequence above, through rtt_sample_n. */
START_TEST(test_appendix_g_one_is_rfc6298)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 60 * SEC);
	for (int i = 0; i < N(sequence); i++) {
		rtt_sample_n(&r, sequence[i].sample, 1);
		ck_assert_uint_eq(r.srtt_ns, sequence[i].srtt);
		ck_assert_uint_eq(r.rttvar_ns, sequence[i].rttvar);
	}
}
END_TEST

/* A huge n (a 1 GiB flight of 48-byte segments and more) does not overflow:
 * SRTT 3600 s, R' = 0, n = 2^40: SRTT falls by ceiling(3.6e12 / 2^43) = 1 ns;
 * RTTVAR (1800 s) rises by floor(1.8e12 / 2^42) = 0. */
START_TEST(test_appendix_g_large_n)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 7200 * SEC);
	rtt_sample_n(&r, 3600 * SEC, 1);
	rtt_sample_n(&r, 0, UINT64_C(1) << 40);
	ck_assert_uint_eq(r.srtt_ns, 3600 * SEC - 1);
	ck_assert_uint_eq(r.rttvar_ns, 1800 * SEC);
}
END_TEST

/* ExpectedSamples = ceiling(FlightSize / (SMSS * 2)), at least 1. */
static const struct {
	uint64_t flight;
	uint32_t smss;
	uint64_t want;
} expected[] = {
	{ 0, 1448, 1 },
	{ 1, 1448, 1 },
	{ 2896, 1448, 1 },
	{ 2897, 1448, 2 },
	{ 11584, 1448, 4 },
	{ 14480, 1448, 5 },
	{ UINT64_C(1) << 30, 48, 11184811 },
};

START_TEST(test_expected_samples)
{
	ck_assert_uint_eq(rtt_expected_samples(expected[_i].flight, expected[_i].smss),
			  expected[_i].want);
}
END_TEST

/*
 * RFC 6298 (2.4): "if it is less than 1 second, then the RTO SHOULD be
 * rounded up to 1 second"; (2.5): "A maximum value MAY be placed on RTO
 * provided it is at least 60 seconds". One first sample each.
 */
static const struct {
	uint64_t min, max, sample, rto;
} clamps[] = {
	{ 1 * SEC, 60 * SEC, 100 * MS, 1 * SEC },          /* 300 ms -> 1 s */
	{ 1 * SEC, 60 * SEC, 333 * MS, 1 * SEC },          /* 999 ms -> 1 s */
	{ 1 * SEC, 60 * SEC, 334 * MS, 1002 * MS },        /* 1.002 s: above the floor */
	{ 1 * SEC, 60 * SEC, 20 * SEC, 60 * SEC },         /* exactly 60 s */
	{ 1 * SEC, 60 * SEC, 20 * SEC + 1, 60 * SEC },     /* 60 s + 1 ns -> 60 s */
	{ 1 * SEC, 60 * SEC, 30 * SEC, 60 * SEC },         /* 90 s -> 60 s */
	{ 200 * MS, 60 * SEC, 10 * MS, 200 * MS },         /* a Linux-like floor */
	{ 1 * MS, 2 * SEC, 1 * SEC, 2 * SEC },             /* a low ceiling */
	{ 1 * SEC, 1 * SEC, 10 * MS, 1 * SEC },            /* min == max */
};

START_TEST(test_clamp)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, clamps[_i].min, clamps[_i].max);
	rtt_sample(&r, clamps[_i].sample);
	ck_assert_uint_eq(r.srtt_ns, clamps[_i].sample);
	ck_assert_uint_eq(rtt_rto(&r), clamps[_i].rto);
}
END_TEST

/*
 * RFC 6298 (5.5): "The host MUST set RTO <- RTO * 2 ("back off the
 * timer")", bounded by the maximum of (2.5); (5.7)/Karn: new data
 * acknowledged ends the backoff.
 */
START_TEST(test_backoff_initial)
{
	static const uint64_t want[] = {
		1 * SEC, 2 * SEC, 4 * SEC, 8 * SEC, 16 * SEC, 32 * SEC, 60 * SEC, 60 * SEC,
	};
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * SEC, 60 * SEC);
	for (int i = 0; i < N(want); i++) {
		ck_assert_uint_eq(r.backoff, i);
		ck_assert_uint_eq(rtt_rto(&r), want[i]);
		rtt_backoff(&r);
	}
	/* Many more expiries: still the maximum, never an overflow. */
	for (int i = 0; i < 200; i++) {
		rtt_backoff(&r);
		ck_assert_uint_eq(rtt_rto(&r), 60 * SEC);
	}
	/* The base is untouched by backing off. */
	ck_assert_uint_eq(r.base_rto_ns, 1 * SEC);
	rtt_reset_backoff(&r);
	ck_assert_uint_eq(r.backoff, 0);
	ck_assert_uint_eq(rtt_rto(&r), 1 * SEC);
}
END_TEST

/* Backing off a measured RTO of 300 ms (min 1 ms): 300 ms << n up to 60 s. */
START_TEST(test_backoff_measured)
{
	static const uint64_t want[] = {
		300 * MS, 600 * MS, 1200 * MS, 2400 * MS, 4800 * MS, 9600 * MS,
		19200 * MS, 38400 * MS, 60 * SEC, 60 * SEC,
	};
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 60 * SEC);
	rtt_sample(&r, 100 * MS);
	for (int i = 0; i < N(want); i++) {
		ck_assert_uint_eq(rtt_rto(&r), want[i]);
		rtt_backoff(&r);
	}
	rtt_reset_backoff(&r);
	ck_assert_uint_eq(rtt_rto(&r), 300 * MS);
	/* A sample during backoff updates the base; the backoff still applies
	 * until it is reset. 120 ms: base 272.5 ms (step 2 of the sequence). */
	rtt_backoff(&r);
	rtt_sample(&r, 120 * MS);
	ck_assert_uint_eq(r.base_rto_ns, 272500000);
	ck_assert_uint_eq(rtt_rto(&r), 545000000);
	rtt_reset_backoff(&r);
	ck_assert_uint_eq(rtt_rto(&r), 272500000);
}
END_TEST

/*
 * RFC 6298 (5.7): "If the timer expires awaiting the ACK of a SYN segment
 * and the TCP implementation is using an RTO less than 3 seconds, the RTO
 * MUST be re-initialized to 3 seconds when data transmission begins".
 * rtt.c applies it only while no sample has been taken.
 */
static const struct {
	uint64_t initial;
	uint64_t sample;            /* 0: none */
	uint64_t rto;               /* after the fallback */
} syn_fallback[] = {
	{ 1 * SEC, 0, 3 * SEC },                /* no sample, 1 s: raised to 3 s */
	{ 2999 * MS, 0, 3 * SEC },
	{ 3 * SEC, 0, 3 * SEC },                /* already 3 s */
	{ 5 * SEC, 0, 5 * SEC },                /* above 3 s: unchanged */
	{ 1 * SEC, 100 * MS, 300 * MS },        /* a sample exists: unchanged */
};

START_TEST(test_syn_timeout_fallback)
{
	struct rtt r;

	rtt_init(&r, syn_fallback[_i].initial, 1 * MS, 60 * SEC);
	if (syn_fallback[_i].sample)
		rtt_sample(&r, syn_fallback[_i].sample);
	rtt_syn_timeout_fallback(&r);
	ck_assert_uint_eq(r.base_rto_ns, syn_fallback[_i].rto);
	ck_assert_uint_eq(rtt_rto(&r), syn_fallback[_i].rto);
	/* Idempotent. */
	rtt_syn_timeout_fallback(&r);
	ck_assert_uint_eq(rtt_rto(&r), syn_fallback[_i].rto);
}
END_TEST

/* After the fallback, the first sample replaces the 3 s by the estimate. */
START_TEST(test_syn_fallback_then_sample)
{
	struct rtt r;

	rtt_init(&r, 1 * SEC, 1 * MS, 60 * SEC);
	rtt_syn_timeout_fallback(&r);
	ck_assert_uint_eq(rtt_rto(&r), 3 * SEC);
	rtt_sample(&r, 100 * MS);
	ck_assert_uint_eq(rtt_rto(&r), 300 * MS);
}
END_TEST

/* ---- per-ACK samples (rtt_track) ---- */

/*
 * Four segments of 1000 bytes leave at 0, 1, 2, 3 ms; ACKs at 100 ms for
 * the first two (the sample is the newest acknowledged: 100 - 1 = 99 ms),
 * at 102.5 ms for half of the third (no whole segment: none), at 104 ms for
 * the rest (104 - 3 = 101 ms).
 */
START_TEST(test_track_samples)
{
	static struct rtt_track t;

	rtt_track_init(&t);
	for (uint64_t i = 0; i < 4; i++)
		rtt_track_sent(&t, i * 1000, (i + 1) * 1000, i * MS);
	ck_assert_uint_eq(t.count, 4);
	ck_assert_uint_eq(t.sent_end_off, 4000);
	ck_assert_uint_eq(rtt_track_acked(&t, 2000, 100 * MS), 99 * MS);
	ck_assert_uint_eq(t.acked_off, 2000);
	ck_assert_uint_eq(rtt_track_acked(&t, 2500, 102 * MS + MS / 2), 0);
	ck_assert_uint_eq(t.sample_ns, 0);
	ck_assert_uint_eq(rtt_track_acked(&t, 4000, 104 * MS), 101 * MS);
	ck_assert_uint_eq(t.count, 0);
	ck_assert_uint_eq(rtt_track_acked(&t, 4000, 105 * MS), 0);   /* nothing new */
}
END_TEST

/* Karn (RFC 6298 §3): an ACK covering a resent segment gives no sample,
 * and a resent range marks every segment it overlaps. */
START_TEST(test_track_karn)
{
	static struct rtt_track t;

	rtt_track_init(&t);
	for (uint64_t i = 0; i < 4; i++)
		rtt_track_sent(&t, i * 1000, (i + 1) * 1000, i * MS);
	rtt_track_sent(&t, 500, 1500, 50 * MS);        /* overlaps segments 1 and 2 */
	ck_assert_uint_eq(t.count, 4);
	ck_assert_uint_eq(rtt_track_acked(&t, 1000, 100 * MS), 0);
	ck_assert_uint_eq(rtt_track_acked(&t, 2000, 101 * MS), 0);
	ck_assert_uint_eq(rtt_track_acked(&t, 3000, 102 * MS), 100 * MS);   /* sent at 2 ms */
	/* A resend that reaches past what was sent: the new part is ambiguous too. */
	rtt_track_sent(&t, 3000, 5000, 110 * MS);
	ck_assert_uint_eq(t.sent_end_off, 5000);
	ck_assert_uint_eq(rtt_track_acked(&t, 5000, 200 * MS), 0);
}
END_TEST

/* Full: a new segment joins the newest entry, which then gives no sample. */
START_TEST(test_track_full)
{
	static struct rtt_track t;
	uint64_t n = RTT_TRACK_SEGMENTS;

	rtt_track_init(&t);
	for (uint64_t i = 0; i < n + 2; i++)
		rtt_track_sent(&t, i * 100, (i + 1) * 100, i * MS);
	ck_assert_uint_eq(t.count, n);
	ck_assert_uint_eq(rtt_track_acked(&t, (n - 1) * 100, 2000 * MS), (2000 - (n - 2)) * MS);
	ck_assert_uint_eq(rtt_track_acked(&t, (n + 2) * 100, 2001 * MS), 0);
	ck_assert_uint_eq(t.count, 0);
}
END_TEST

static Suite *rtt_suite(void)
{
	Suite *s = suite_create("rtt");
	TCase *tc;

	tc = tcase_create("estimator");
	tcase_add_test(tc, test_initial);
	tcase_add_test(tc, test_sequence);
	tcase_add_test(tc, test_granularity);
	tcase_add_test(tc, test_appendix_g);
	tcase_add_test(tc, test_appendix_g_one_is_rfc6298);
	tcase_add_test(tc, test_appendix_g_large_n);
	tcase_add_loop_test(tc, test_expected_samples, 0, N(expected));
	tcase_add_loop_test(tc, test_clamp, 0, N(clamps));
	suite_add_tcase(s, tc);

	tc = tcase_create("backoff");
	tcase_add_test(tc, test_backoff_initial);
	tcase_add_test(tc, test_backoff_measured);
	suite_add_tcase(s, tc);

	tc = tcase_create("track");
	tcase_add_test(tc, test_track_samples);
	tcase_add_test(tc, test_track_karn);
	tcase_add_test(tc, test_track_full);
	suite_add_tcase(s, tc);

	tc = tcase_create("syn");
	tcase_add_loop_test(tc, test_syn_timeout_fallback, 0, N(syn_fallback));
	tcase_add_test(tc, test_syn_fallback_then_sample);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rtt_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
