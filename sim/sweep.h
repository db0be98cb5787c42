/*
 * sweep: the arithmetic of `tcpsim sweep` (sweep_run.h runs it): the grid
 * of --vary values and seeds, which runs a shard owns, and the quartiles
 * of a grid point.
 *
 * The grid is the cartesian product of every --vary key's values, in the
 * order the options and their values are given, times the seeds. Run r
 * (0-based) is numbered so that the first --vary key changes slowest and
 * the seed fastest:
 *
 *     r = ((i1 * n2 + i2) * n3 + i3 ...) * nseeds + (seed - first seed)
 *
 * so the runs of one grid point (its point number r / nseeds) are
 * contiguous. Shard K of N (--shard K/N, 0 <= K < N) owns the runs with
 * r mod N = K: round robin, so that each shard gets its share of every
 * grid point (a point with 5% loss costs more than one with none) and the
 * shards of a grid take about the same time.
 *
 * Quartiles are R's type 7 (Hyndman and Fan 1996; also numpy's and
 * Excel's default): for n sorted values x[0..n-1] and p in [0, 1],
 * h = (n - 1) p and Q(p) = x[floor h] + (h - floor h)(x[floor h + 1] -
 * x[floor h]). The median is Q(0.5), the quartiles Q(0.25) and Q(0.75).
 *
 * Nothing here runs a simulation or touches a file. Callers: sweep_run.c,
 * tests/check_sweep.c.
 */
#ifndef TCPSIM_SWEEP_H
#define TCPSIM_SWEEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The most runs one sweep may have (its rows are kept in memory). */
#define SWEEP_MAX_RUNS UINT64_C(1000000)

/* One --vary KEY=V1,V2,... */
struct sweep_vary {
	const char *arg;             /* the option's value as given (borrowed) */
	char *key;                   /* KEY */
	char **values;               /* V1, V2, ... in the order given */
	size_t nvalues;              /* >= 1 */
};

/*
 * Parses "KEY=V1,V2,..." into *v: a non-empty KEY, at least one value, no
 * empty value, no value twice. 0, or -1 with a one-line message in err
 * (without the option's name) and *v left empty.
 */
int sweep_parse_vary(const char *arg, struct sweep_vary *v, char *err, size_t errlen);
void sweep_vary_free(struct sweep_vary *v);

/*
 * "A..B" (A <= B) or "N" (N >= 1: the seeds 1..N) into the first seed and
 * how many. 0, or -1 with err set.
 */
int sweep_parse_seeds(const char *arg, uint64_t *first, uint64_t *count, char *err,
		      size_t errlen);

/* "K/N" with 0 <= K < N. 0, or -1 with err set. */
int sweep_parse_shard(const char *arg, uint64_t *k, uint64_t *n, char *err, size_t errlen);

struct sweep_grid {
	const struct sweep_vary *vary;
	size_t nvary;
	uint64_t seed_first, nseeds;
	uint64_t npoints;            /* sweep_grid_init: the product of the value counts */
	uint64_t nruns;              /* npoints * nseeds */
};

/*
 * Sets npoints and nruns; -1 with err set when the grid has more than
 * SWEEP_MAX_RUNS runs.
 */
int sweep_grid_init(struct sweep_grid *g, char *err, size_t errlen);
/* The value index of each --vary key at grid point `point` (idx has nvary entries). */
void sweep_grid_point(const struct sweep_grid *g, uint64_t point, size_t *idx);
/* The grid point and the seed of run r. */
uint64_t sweep_run_point(const struct sweep_grid *g, uint64_t r);
uint64_t sweep_run_seed(const struct sweep_grid *g, uint64_t r);

/* Whether shard k of n owns run r. */
bool sweep_shard_has(uint64_t r, uint64_t k, uint64_t n);
/* How many of the runs 0 .. total-1 shard k of n owns. */
uint64_t sweep_shard_runs(uint64_t total, uint64_t k, uint64_t n);
/* The j-th run (0-based) of shard k of n. */
uint64_t sweep_shard_run(uint64_t k, uint64_t n, uint64_t j);

/* Sorts n values ascending (in place). */
void sweep_sort(double *x, size_t n);
/* Q(p) of type 7 over n >= 1 sorted values. */
double sweep_quantile(const double *sorted, size_t n, double p);
/*
 * v with at most `decimals` decimals, trailing zeros (and a trailing point)
 * dropped, never "-0": 2.5, 3, 0.125.
 */
void sweep_format_number(char *buf, size_t len, double v, int decimals);

#endif
