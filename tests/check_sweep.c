/*
 * check_sweep: the arithmetic of tcpsim sweep (sim/sweep.h): --vary,
 * --seeds and --shard parsing, the grid's run numbering, which runs each
 * shard owns, type 7 quartiles and how they are printed.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "sweep.h"

/* ---- --vary ---- */

START_TEST(vary_values_in_order)
{
	struct sweep_vary v;
	char err[256];

	ck_assert_int_eq(sweep_parse_vary("link.loss=0%,1%,2.5%", &v, err, sizeof err), 0);
	ck_assert_str_eq(v.key, "link.loss");
	ck_assert_uint_eq(v.nvalues, 3);
	ck_assert_str_eq(v.values[0], "0%");
	ck_assert_str_eq(v.values[1], "1%");
	ck_assert_str_eq(v.values[2], "2.5%");
	sweep_vary_free(&v);
	/* One value is a grid of one point; '=' in a value is the value's. */
	ck_assert_int_eq(sweep_parse_vary("server.app=echo", &v, err, sizeof err), 0);
	ck_assert_uint_eq(v.nvalues, 1);
	ck_assert_str_eq(v.values[0], "echo");
	sweep_vary_free(&v);
	ck_assert_int_eq(sweep_parse_vary("expect.x=a=b", &v, err, sizeof err), 0);
	ck_assert_str_eq(v.key, "expect.x");
	ck_assert_str_eq(v.values[0], "a=b");
	sweep_vary_free(&v);
}
END_TEST

static const struct {
	const char *arg, *msg;
} bad_vary[] = {
	{ "link.loss", "expected KEY=V1,V2,... (such as link.loss=0%,1%,2%)" },
	{ "=1%", "expected KEY=V1,V2,... (such as link.loss=0%,1%,2%)" },
	{ "link.loss=", "no value after '='" },
	{ "link.loss=1%,,2%", "an empty value (two commas, or one at an end)" },
	{ "link.loss=1%,", "an empty value (two commas, or one at an end)" },
	{ "link.loss=,1%", "an empty value (two commas, or one at an end)" },
	{ "link.loss=1%,2%,1%", "the value '1%' is given twice" },
};

START_TEST(vary_refused)
{
	struct sweep_vary v;
	char err[256];

	ck_assert_int_eq(sweep_parse_vary(bad_vary[_i].arg, &v, err, sizeof err), -1);
	ck_assert_str_eq(err, bad_vary[_i].msg);
	ck_assert_uint_eq(v.nvalues, 0);
	ck_assert_ptr_null(v.key);
}
END_TEST

/* ---- --seeds and --shard ---- */

START_TEST(seeds)
{
	uint64_t first = 99, n = 99;
	char err[256];

	ck_assert_int_eq(sweep_parse_seeds("20", &first, &n, err, sizeof err), 0);
	ck_assert_uint_eq(first, 1);
	ck_assert_uint_eq(n, 20);
	ck_assert_int_eq(sweep_parse_seeds("5..9", &first, &n, err, sizeof err), 0);
	ck_assert_uint_eq(first, 5);
	ck_assert_uint_eq(n, 5);
	ck_assert_int_eq(sweep_parse_seeds("0..0", &first, &n, err, sizeof err), 0);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(sweep_parse_seeds("18446744073709551615..18446744073709551615", &first,
					   &n, err, sizeof err), 0);
	ck_assert_uint_eq(first, UINT64_MAX);
	ck_assert_uint_eq(n, 1);
}
END_TEST

static const struct {
	const char *arg, *msg;
} bad_seeds[] = {
	{ "0", "'0': at least one seed (N is the seeds 1..N)" },
	{ "9..5", "'9..5': the last seed is below the first" },
	{ "x", "'x': expected a whole number such as 42" },
	{ "1..", "'': expected a whole number such as 42" },
	{ "-1..3", "'-1': must not be negative" },
	{ "0..18446744073709551615", "'0..18446744073709551615': more than 1000000 seeds" },
	{ "1..1000001", "'1..1000001': more than 1000000 seeds" },
};

START_TEST(seeds_refused)
{
	uint64_t first, n;
	char err[256];

	ck_assert_int_eq(sweep_parse_seeds(bad_seeds[_i].arg, &first, &n, err, sizeof err), -1);
	ck_assert_str_eq(err, bad_seeds[_i].msg);
}
END_TEST

START_TEST(shard_spec)
{
	uint64_t k, n;
	char err[256];

	ck_assert_int_eq(sweep_parse_shard("0/1", &k, &n, err, sizeof err), 0);
	ck_assert_uint_eq(k, 0);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(sweep_parse_shard("3/4", &k, &n, err, sizeof err), 0);
	ck_assert_uint_eq(k, 3);
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(sweep_parse_shard("4/4", &k, &n, err, sizeof err), -1);
	ck_assert_str_eq(err, "'4/4': K must be below N (shards are numbered 0 to N-1)");
	ck_assert_int_eq(sweep_parse_shard("0/0", &k, &n, err, sizeof err), -1);
	ck_assert_str_eq(err, "'0/0': K must be below N (shards are numbered 0 to N-1)");
	ck_assert_int_eq(sweep_parse_shard("2", &k, &n, err, sizeof err), -1);
	ck_assert_str_eq(err, "'2': expected K/N (shard K of N, 0 <= K < N)");
	ck_assert_int_eq(sweep_parse_shard("a/2", &k, &n, err, sizeof err), -1);
	ck_assert_str_eq(err, "'a': expected a whole number such as 42");
}
END_TEST

/* ---- the grid ---- */

/* --vary a=x,y,z --vary b=p,q --seeds 10..13: 6 points, 24 runs. */
static struct sweep_vary g_vary[2];
static char *a_values[] = { "x", "y", "z" }, *b_values[] = { "p", "q" };

static struct sweep_grid grid_3x2x4(void)
{
	struct sweep_grid g = { 0 };
	char err[256];

	g_vary[0].key = "a";
	g_vary[0].values = a_values;
	g_vary[0].nvalues = 3;
	g_vary[1].key = "b";
	g_vary[1].values = b_values;
	g_vary[1].nvalues = 2;
	g.vary = g_vary;
	g.nvary = 2;
	g.seed_first = 10;
	g.nseeds = 4;
	ck_assert_int_eq(sweep_grid_init(&g, err, sizeof err), 0);
	return g;
}

START_TEST(grid_numbering)
{
	struct sweep_grid g = grid_3x2x4();
	/* point -> (a, b): the last --vary key changes fastest. */
	static const size_t want[6][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 1 }, { 2, 0 }, { 2, 1 } };
	size_t idx[2];

	ck_assert_uint_eq(g.npoints, 6);
	ck_assert_uint_eq(g.nruns, 24);
	for (uint64_t p = 0; p < 6; p++) {
		sweep_grid_point(&g, p, idx);
		ck_assert_uint_eq(idx[0], want[p][0]);
		ck_assert_uint_eq(idx[1], want[p][1]);
	}
	/* The seed changes fastest of all: run 13 is point 3 (a=y, b=q), seed 11. */
	ck_assert_uint_eq(sweep_run_point(&g, 13), 3);
	ck_assert_uint_eq(sweep_run_seed(&g, 13), 11);
	ck_assert_uint_eq(sweep_run_point(&g, 0), 0);
	ck_assert_uint_eq(sweep_run_seed(&g, 0), 10);
	ck_assert_uint_eq(sweep_run_point(&g, 23), 5);
	ck_assert_uint_eq(sweep_run_seed(&g, 23), 13);
}
END_TEST

START_TEST(grid_without_vary)
{
	struct sweep_grid g = { .seed_first = 1, .nseeds = 20 };
	char err[256];

	ck_assert_int_eq(sweep_grid_init(&g, err, sizeof err), 0);
	ck_assert_uint_eq(g.npoints, 1);
	ck_assert_uint_eq(g.nruns, 20);
	ck_assert_uint_eq(sweep_run_point(&g, 19), 0);
	ck_assert_uint_eq(sweep_run_seed(&g, 19), 20);
}
END_TEST

START_TEST(grid_too_large)
{
	static char *many[1000];
	struct sweep_vary v[2] = { { .key = "a", .values = many, .nvalues = 1000 },
				   { .key = "b", .values = many, .nvalues = 1000 } };
	struct sweep_grid g = { .vary = v, .nvary = 1, .seed_first = 1, .nseeds = 1000 };
	char err[256];

	/* 1000 x 1000 = SWEEP_MAX_RUNS exactly: allowed; one seed more is not. */
	ck_assert_int_eq(sweep_grid_init(&g, err, sizeof err), 0);
	ck_assert_uint_eq(g.nruns, 1000000);
	g.nseeds = 1001;
	ck_assert_int_eq(sweep_grid_init(&g, err, sizeof err), -1);
	ck_assert_str_eq(err, "the grid has more than 1000000 runs");
	g.nseeds = 1;
	g.nvary = 2;
	ck_assert_int_eq(sweep_grid_init(&g, err, sizeof err), 0);
	v[1].nvalues = 1001;
	ck_assert_int_eq(sweep_grid_init(&g, err, sizeof err), -1);
}
END_TEST

START_TEST(shards_partition_the_runs)
{
	/* 24 runs in 5 shards: 5, 5, 5, 5, 4 runs, round robin. */
	static const uint64_t want_runs[5] = { 5, 5, 5, 5, 4 };
	uint64_t owner_count[24] = { 0 };

	for (uint64_t k = 0; k < 5; k++) {
		ck_assert_uint_eq(sweep_shard_runs(24, k, 5), want_runs[k]);
		for (uint64_t j = 0; j < want_runs[k]; j++) {
			uint64_t r = sweep_shard_run(k, 5, j);

			ck_assert_uint_lt(r, 24);
			ck_assert(sweep_shard_has(r, k, 5));
			owner_count[r]++;
		}
	}
	for (int r = 0; r < 24; r++)
		ck_assert_uint_eq(owner_count[r], 1);
	ck_assert_uint_eq(sweep_shard_run(3, 5, 2), 13);
	ck_assert(!sweep_shard_has(13, 2, 5));
	/* More shards than runs: the last ones own none. */
	ck_assert_uint_eq(sweep_shard_runs(3, 2, 8), 1);
	ck_assert_uint_eq(sweep_shard_runs(3, 3, 8), 0);
	ck_assert_uint_eq(sweep_shard_runs(24, 0, 1), 24);
}
END_TEST

/* ---- quartiles ---- */

START_TEST(quantile_type7)
{
	/* R: quantile(c(1, 2, 3, 4), type = 7) gives 1.75, 2.5, 3.25. */
	double four[] = { 4, 1, 3, 2 };
	double five[] = { 5, 3, 1, 4, 2 };
	double one[] = { 7 };
	double two[] = { 10, 0 };
	double same[] = { 0.3, 0.3, 0.3 };

	sweep_sort(four, 4);
	ck_assert(four[0] == 1 && four[1] == 2 && four[2] == 3 && four[3] == 4);
	ck_assert_double_eq(sweep_quantile(four, 4, 0.25), 1.75);
	ck_assert_double_eq(sweep_quantile(four, 4, 0.5), 2.5);
	ck_assert_double_eq(sweep_quantile(four, 4, 0.75), 3.25);
	ck_assert_double_eq(sweep_quantile(four, 4, 0), 1);
	ck_assert_double_eq(sweep_quantile(four, 4, 1), 4);
	sweep_sort(five, 5);
	ck_assert_double_eq(sweep_quantile(five, 5, 0.25), 2);
	ck_assert_double_eq(sweep_quantile(five, 5, 0.5), 3);
	ck_assert_double_eq(sweep_quantile(five, 5, 0.75), 4);
	ck_assert_double_eq(sweep_quantile(one, 1, 0.25), 7);
	ck_assert_double_eq(sweep_quantile(one, 1, 0.75), 7);
	sweep_sort(two, 2);
	ck_assert_double_eq(sweep_quantile(two, 2, 0.25), 2.5);
	ck_assert_double_eq(sweep_quantile(two, 2, 0.5), 5);
	ck_assert_double_eq(sweep_quantile(two, 2, 0.75), 7.5);
	/* Equal neighbours: exactly their value, not x + f * 0 rounded. */
	ck_assert(sweep_quantile(same, 3, 0.25) == 0.3);
}
END_TEST

static const struct {
	double v;
	int decimals;
	const char *want;
} numbers[] = {
	{ 2.5, 2, "2.5" },
	{ 3, 5, "3" },
	{ 100, 2, "100" },
	{ 100, 0, "100" },
	{ 1.0345888, 11, "1.0345888" },
	{ 0.000001, 5, "0" },
	{ -0.0, 3, "0" },
	{ -0.0001, 2, "0" },
	{ 7.7325, 5, "7.7325" },
	{ 64.40330880025, 11, "64.40330880025" },
	{ 1.23456, 2, "1.23" },
};

START_TEST(number_format)
{
	char buf[64];

	sweep_format_number(buf, sizeof buf, numbers[_i].v, numbers[_i].decimals);
	ck_assert_str_eq(buf, numbers[_i].want);
}
END_TEST

static Suite *sweep_suite(void)
{
	Suite *s = suite_create("sweep");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, vary_values_in_order);
	tcase_add_loop_test(tc, vary_refused, 0, sizeof bad_vary / sizeof bad_vary[0]);
	tcase_add_test(tc, seeds);
	tcase_add_loop_test(tc, seeds_refused, 0, sizeof bad_seeds / sizeof bad_seeds[0]);
	tcase_add_test(tc, shard_spec);
	suite_add_tcase(s, tc);
	tc = tcase_create("grid");
	tcase_add_test(tc, grid_numbering);
	tcase_add_test(tc, grid_without_vary);
	tcase_add_test(tc, grid_too_large);
	tcase_add_test(tc, shards_partition_the_runs);
	suite_add_tcase(s, tc);
	tc = tcase_create("quartiles");
	tcase_add_test(tc, quantile_type7);
	tcase_add_loop_test(tc, number_format, 0, sizeof numbers / sizeof numbers[0]);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(sweep_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
