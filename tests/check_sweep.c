/*
 * check_sweep: the arithmetic of tcpsim sweep (sim/sweep.h): --vary,
 * --seeds and --shard parsing, the grid's run numbering, which runs each
 * shard owns, type 7 quartiles and how they are printed; and its rows
 * (sim/sweep_table.h): the row line read back, the CSV, the points, the
 * plot's data, and shard files written and merged.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sweep.h"
#include "sweep_table.h"

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


/* ---- the rows ---- */

static const char *const t_vary[] = { "link.loss" };
static const char *const t_keys[] = { "client.retransmissions", "transfer_time_s",
				      "transfer_goodput_mbps", "client.state", "transfer_complete" };

/* A table of 2 points x 4 seeds with those columns. */
static void small_table(struct table *t, size_t nrows)
{
	table_init(t, "grid", t_vary, 1, t_keys, 5, 4, nrows);
}

/* Row r of the points 1% (rows 0-3) and "a,b" (4-7): retransmissions r, times r/4 s. */
static void fill(struct table *t)
{
	static const char *const goodput[8] = { "1.000", "4.000", "2.000", "3.000",
						"7.500", "7.500", "7.500", "7.500" };
	char line[512];
	size_t col;
	char err[256];

	for (size_t r = 0; r < t->nrows; r++) {
		snprintf(line, sizeof line,
			 "{\"run\": %zu, \"link.loss\": \"%s\", \"seed\": %zu, "
			 "\"client.retransmissions\": %zu, \"transfer_time_s\": %zu.%09zu, "
			 "\"transfer_goodput_mbps\": %s, \"client.state\": \"CLOSED\", "
			 "\"transfer_complete\": %s}\n",
			 r, r < 4 ? "1%" : "a,b", r % 4 + 1, r, r / 4, (r % 4) * 250000000,
			 r == 7 ? "null" : goodput[r], r == 5 ? "false" : "true");
		ck_assert_int_eq(table_parse_row(t, line, &t->rows[r], &col, err, sizeof err), 0);
	}
}

/* What fn writes of t, as a string (free it). */
static char *written(void (*fn)(FILE *, const struct table *), const struct table *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	fn(f, t);
	fclose(f);
	return buf;
}

START_TEST(row_read_back)
{
	struct table t;
	struct row r;
	size_t col;
	char err[256];

	small_table(&t, 1);
	ck_assert_int_eq(table_parse_row(&t, "{\"run\": 12, \"link.loss\": \"a\\\"b\\\\c\\u0001\", "
					 "\"seed\": 3, \"client.retransmissions\": 7, "
					 "\"transfer_time_s\": 1.500000000, \"transfer_goodput_mbps\": null, "
					 "\"client.state\": \"TIME_WAIT\", \"transfer_complete\": false}\n",
					 &r, &col, err, sizeof err), 0);
	ck_assert_uint_eq(r.run, 12);
	ck_assert_int_eq(r.cells[0].type, CELL_STRING);
	ck_assert_str_eq(r.cells[0].text, "a\"b\\c\001");
	ck_assert_int_eq(r.cells[1].type, CELL_NUMBER);
	ck_assert_str_eq(r.cells[1].text, "3");
	ck_assert_str_eq(r.cells[3].text, "1.500000000");
	ck_assert_int_eq(r.cells[4].type, CELL_NULL);
	ck_assert_int_eq(r.cells[5].type, CELL_STRING);
	ck_assert_int_eq(r.cells[6].type, CELL_BOOL);
	ck_assert_str_eq(r.cells[6].text, "false");
	/* Written back, it is the same line, escapes and all. */
	t.rows[0] = r;
	{
		char *j = written(table_write_jsonl, &t);

		ck_assert_str_eq(j, "{\"run\": 12, \"link.loss\": \"a\\\"b\\\\c\\u0001\", \"seed\": 3, "
				 "\"client.retransmissions\": 7, \"transfer_time_s\": 1.500000000, "
				 "\"transfer_goodput_mbps\": null, \"client.state\": \"TIME_WAIT\", "
				 "\"transfer_complete\": false}\n");
		free(j);
	}
	table_free(&t);
}
END_TEST

static const struct {
	const char *line, *msg;
	size_t col;
} bad_rows[] = {
	{ "[1]", "not a row (one JSON object a line)", 1 },
	{ "{\"run\": 1, \"link.loss\" \"x\"}", "not a row (one JSON object a line)", 24 },
	{ "{\"run\": 1, \"link.loss\": x}", "not a row (one JSON object a line)", 25 },
	{ "{\"run\": 1,}", "not a row (one JSON object a line)", 11 },
	{ "{\"run\": 1} x", "not a row (one JSON object a line)", 12 },
	{ "{\"run\": \"1\", \"link.loss\": \"x\", \"seed\": 1, \"client.retransmissions\": 1, "
	  "\"transfer_time_s\": 1, \"transfer_goodput_mbps\": 1, \"client.state\": \"x\", "
	  "\"transfer_complete\": true}", "a row must start with \"run\" and have 8 values", 1 },
	{ "{\"run\": 1, \"link.loss\": \"x\"}", "a row must start with \"run\" and have 8 values", 1 },
	{ "{\"run\": 1, \"link.delay\": \"x\", \"seed\": 1, \"client.retransmissions\": 1, "
	  "\"transfer_time_s\": 1, \"transfer_goodput_mbps\": 1, \"client.state\": \"x\", "
	  "\"transfer_complete\": true}",
	  "value 2 of the row is \"link.delay\", expected \"link.loss\"", 1 },
};

START_TEST(row_refused)
{
	struct table t;
	struct row r;
	size_t col = 0;
	char err[256];

	small_table(&t, 1);
	ck_assert_int_eq(table_parse_row(&t, bad_rows[_i].line, &r, &col, err, sizeof err), -1);
	ck_assert_str_eq(err, bad_rows[_i].msg);
	ck_assert_uint_eq(col, bad_rows[_i].col);
	table_free(&t);
}
END_TEST

START_TEST(csv_and_points)
{
	struct table t;
	char *csv, *points;

	small_table(&t, 8);
	fill(&t);
	csv = written(table_write_csv, &t);
	ck_assert_str_eq(csv,
		"run,link.loss,seed,client.retransmissions,transfer_time_s,transfer_goodput_mbps,"
		"client.state,transfer_complete\n"
		"0,1%,1,0,0.000000000,1.000,CLOSED,true\n"
		"1,1%,2,1,0.250000000,4.000,CLOSED,true\n"
		"2,1%,3,2,0.500000000,2.000,CLOSED,true\n"
		"3,1%,4,3,0.750000000,3.000,CLOSED,true\n"
		"4,\"a,b\",1,4,1.000000000,7.500,CLOSED,true\n"
		"5,\"a,b\",2,5,1.250000000,7.500,CLOSED,false\n"
		"6,\"a,b\",3,6,1.500000000,7.500,CLOSED,true\n"
		"7,\"a,b\",4,7,1.750000000,,CLOSED,true\n");
	/* Type 7 over 0, 1, 2, 3: 1.5, 0.75, 2.25; the goodput of 1, 4, 2, 3
	 * sorted: 2.5, 1.75, 3.25; three 7.5 (the fourth run has none): 7.5.
	 * The state and the verdict are not numbers: no quartiles. */
	points = written(table_write_points, &t);
	ck_assert_str_eq(points,
		"link.loss,n,client.retransmissions.median,client.retransmissions.q1,"
		"client.retransmissions.q3,transfer_time_s.median,transfer_time_s.q1,"
		"transfer_time_s.q3,transfer_goodput_mbps.median,transfer_goodput_mbps.q1,"
		"transfer_goodput_mbps.q3\n"
		"1%,4,1.5,0.75,2.25,0.375,0.1875,0.5625,2.5,1.75,3.25\n"
		"\"a,b\",4,5.5,4.75,6.25,1.375,1.1875,1.5625,7.5,7.5,7.5\n");
	free(csv);
	free(points);
	table_free(&t);
}
END_TEST

START_TEST(quartile_decimals)
{
	ck_assert_int_eq(table_quartile_decimals("client.retransmissions"), 2);
	ck_assert_int_eq(table_quartile_decimals("transfer_time_s"), 11);
	ck_assert_int_eq(table_quartile_decimals("transfer_goodput_mbps"), 5);
	ck_assert_int_eq(table_quartile_decimals("transfer_complete"), -1);
	ck_assert_int_eq(table_quartile_decimals("client.state"), -1);
	ck_assert_int_eq(table_quartile_decimals("no.such.key"), -1);
}
END_TEST

/* The plot's data of a 2 x 2 grid, 1 seed; values given in text. */
static char *plot_data(const char *const *loss, const char *const *cc, const char *against)
{
	static const char *const vary[] = { "link.loss", "client.tcp.cc" };
	static const char *const keys[] = { "client.retransmissions" };
	struct table t;
	char *dat = NULL, *gp = NULL;
	size_t dlen = 0, glen = 0, col;
	FILE *d = open_memstream(&dat, &dlen), *g = open_memstream(&gp, &glen);
	char err[256];

	table_init(&t, "grid", vary, 2, keys, 1, 1, 4);
	for (size_t r = 0; r < 4; r++) {
		char line[256];

		snprintf(line, sizeof line, "{\"run\": %zu, \"link.loss\": \"%s\", \"client.tcp.cc\": "
			 "\"%s\", \"seed\": 1, \"client.retransmissions\": %zu}", r, loss[r / 2],
			 cc[r % 2], 10 * r);
		ck_assert_int_eq(table_parse_row(&t, line, &t.rows[r], &col, err, sizeof err), 0);
	}
	table_write_plot(d, g, &t, "client.retransmissions", against, "g");
	fclose(d);
	fclose(g);
	free(gp);
	table_free(&t);
	return dat;
}

START_TEST(plot_axis)
{
	static const char *const pct[] = { "0.5%", "2%" }, *const names[] = { "newreno", "cubic" };
	static const char *const mixed[] = { "1%", "2ms" };
	char *d;

	/* Numbers with one unit: the number on the axis; one line per cc. */
	d = plot_data(pct, names, "link.loss");
	ck_assert_str_eq(strchr(strchr(strchr(d, '\n') + 1, '\n') + 1, '\n') + 1,
			 "0.5 \"0.5%\" 0 0 0\n2 \"2%\" 20 20 20\n\n\n"
			 "0.5 \"0.5%\" 10 10 10\n2 \"2%\" 30 30 30\n");
	free(d);
	/* Names: their places, in the order given; one line per loss. */
	d = plot_data(pct, names, "client.tcp.cc");
	ck_assert_str_eq(strchr(strchr(strchr(d, '\n') + 1, '\n') + 1, '\n') + 1,
			 "0 \"newreno\" 0 0 0\n1 \"cubic\" 10 10 10\n\n\n"
			 "0 \"newreno\" 20 20 20\n1 \"cubic\" 30 30 30\n");
	free(d);
	/* Two units: places. */
	d = plot_data(mixed, names, "link.loss");
	ck_assert_str_eq(strchr(strchr(strchr(d, '\n') + 1, '\n') + 1, '\n') + 1,
			 "0 \"1%\" 0 0 0\n1 \"2ms\" 20 20 20\n\n\n"
			 "0 \"1%\" 10 10 10\n1 \"2ms\" 30 30 30\n");
	free(d);
}
END_TEST

/* ---- shard files ---- */

static char shard_dir[64];

/* Writes shard k of n of the 8-row table into shard_dir/sK, with grid text g. */
static void write_shard_file(const struct table *full, uint64_t k, uint64_t n, const char *g,
			     char *path, size_t len)
{
	struct table t;
	struct shard_id id = { "1.0", "grid", g, "link.loss",
			       "client.retransmissions,transfer_time_s,transfer_goodput_mbps,"
			       "client.state,transfer_complete", 4, 8, n, k };
	FILE *f;

	snprintf(path, len, "%s/s%llu", shard_dir, (unsigned long long)k);
	small_table(&t, (size_t)sweep_shard_runs(8, k, n));
	for (size_t j = 0; j < t.nrows; j++)
		t.rows[j] = full->rows[sweep_shard_run(k, n, j)];
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	table_write_shard(f, &id, &t);
	fclose(f);
	for (size_t j = 0; j < t.nrows; j++)
		t.rows[j].cells = NULL;   /* the full table's */
	table_free(&t);
}

static void setup_dir(void)
{
	snprintf(shard_dir, sizeof shard_dir, "/tmp/check_sweep.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(shard_dir));
}

static void remove_dir(void)
{
	char path[128];

	for (int k = 0; k < 8; k++) {
		snprintf(path, sizeof path, "%s/s%d", shard_dir, k);
		unlink(path);
	}
	rmdir(shard_dir);
}

START_TEST(shards_merge_to_the_whole)
{
	struct table full, merged = { 0 };
	struct merge *m = merge_new();
	char path[3][128], err[512];
	char *a, *b;

	small_table(&full, 8);
	fill(&full);
	for (uint64_t k = 0; k < 3; k++)
		write_shard_file(&full, k, 3, "--seeds 1..4", path[k], sizeof path[k]);
	/* Shard 2/3 holds runs 2 and 5 after its header. */
	{
		FILE *f = fopen(path[2], "r");
		char line[1024];

		ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
		ck_assert_str_eq(line, "{\"tcpsim_sweep_shard\": 1, \"version\": \"1.0\", \"scenario\": "
				 "\"grid\", \"grid\": \"--seeds 1..4\", \"vary\": \"link.loss\", \"keys\": "
				 "\"client.retransmissions,transfer_time_s,transfer_goodput_mbps,"
				 "client.state,transfer_complete\", \"seeds_per_point\": 4, \"runs\": 8, "
				 "\"shards\": 3, \"shard\": 2}\n");
		ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
		ck_assert(strncmp(line, "{\"run\": 2, ", 11) == 0);
		ck_assert_ptr_nonnull(fgets(line, sizeof line, f));
		ck_assert(strncmp(line, "{\"run\": 5, ", 11) == 0);
		ck_assert_ptr_null(fgets(line, sizeof line, f));
		fclose(f);
	}
	ck_assert_int_eq(merge_read(m, path[1], &merged, err, sizeof err), 0);
	ck_assert_int_eq(merge_complete(m, err, sizeof err), -1);
	ck_assert_str_eq(err, "--merge: shard 0/3 is missing (the sweep has 3 shards; give every"
			 " one's file)");
	ck_assert_int_eq(merge_read(m, path[2], &merged, err, sizeof err), 0);
	ck_assert_int_eq(merge_read(m, path[0], &merged, err, sizeof err), 0);
	ck_assert_int_eq(merge_complete(m, err, sizeof err), 0);
	ck_assert_str_eq(merged.scenario, "grid");
	ck_assert_uint_eq(merged.nseeds, 4);
	a = written(table_write_csv, &full);
	b = written(table_write_csv, &merged);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	a = written(table_write_points, &full);
	b = written(table_write_points, &merged);
	ck_assert_str_eq(a, b);
	free(a);
	free(b);
	/* Again: refused, and the table is as it was. */
	ck_assert_int_eq(merge_read(m, path[0], &merged, err, sizeof err), -1);
	{
		char want[512];

		snprintf(want, sizeof want, "%s:1:1: shard 0/3 again (%s has it)", path[0], path[0]);
		ck_assert_str_eq(err, want);
	}
	merge_free(m);
	table_free(&merged);
	table_free(&full);
}
END_TEST

START_TEST(shard_of_another_sweep)
{
	struct table full, merged = { 0 };
	struct merge *m = merge_new();
	char p0[128], p1[128], err[512], want[512];

	small_table(&full, 8);
	fill(&full);
	write_shard_file(&full, 0, 2, "--seeds 1..4", p0, sizeof p0);
	write_shard_file(&full, 1, 2, "--seeds 1..4 --set link.delay=1ms", p1, sizeof p1);
	ck_assert_int_eq(merge_read(m, p0, &merged, err, sizeof err), 0);
	ck_assert_int_eq(merge_read(m, p1, &merged, err, sizeof err), -1);
	snprintf(want, sizeof want, "%s:1:1: not a shard of the same sweep as %s (its header's"
		 " \"grid\" differs)", p1, p0);
	ck_assert_str_eq(err, want);
	merge_free(m);
	table_free(&merged);
	table_free(&full);
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
	tc = tcase_create("rows");
	tcase_add_test(tc, row_read_back);
	tcase_add_loop_test(tc, row_refused, 0, sizeof bad_rows / sizeof bad_rows[0]);
	tcase_add_test(tc, csv_and_points);
	tcase_add_test(tc, quartile_decimals);
	tcase_add_test(tc, plot_axis);
	suite_add_tcase(s, tc);
	tc = tcase_create("shards");
	tcase_add_checked_fixture(tc, setup_dir, remove_dir);
	tcase_add_test(tc, shards_merge_to_the_whole);
	tcase_add_test(tc, shard_of_another_sweep);
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
