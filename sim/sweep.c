/*
 * sweep: the grid, shard and quartile arithmetic of `tcpsim sweep` (see
 * sweep.h). Pure functions of their arguments.
 */
#include "sweep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "units.h"

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (!d)
		abort();
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

void sweep_vary_free(struct sweep_vary *v)
{
	for (size_t i = 0; i < v->nvalues; i++)
		free(v->values[i]);
	free(v->values);
	free(v->key);
	memset(v, 0, sizeof(*v));
}

int sweep_parse_vary(const char *arg, struct sweep_vary *v, char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *p;

	memset(v, 0, sizeof(*v));
	v->arg = arg;
	if (!eq || eq == arg) {
		snprintf(err, errlen, "expected KEY=V1,V2,... (such as link.loss=0%%,1%%,2%%)");
		return -1;
	}
	v->key = dup_n(arg, (size_t)(eq - arg));
	for (p = eq + 1;; ) {
		size_t n = strcspn(p, ",");

		if (n == 0) {
			snprintf(err, errlen, "%s", v->nvalues == 0 && !p[0] ?
				 "no value after '='" : "an empty value (two commas, or one at an end)");
			sweep_vary_free(v);
			return -1;
		}
		for (size_t i = 0; i < v->nvalues; i++)
			if (strlen(v->values[i]) == n && memcmp(v->values[i], p, n) == 0) {
				snprintf(err, errlen, "the value '%s' is given twice", v->values[i]);
				sweep_vary_free(v);
				return -1;
			}
		v->values = realloc(v->values, (v->nvalues + 1) * sizeof(*v->values));
		if (!v->values)
			abort();
		v->values[v->nvalues++] = dup_n(p, n);
		if (!p[n])
			break;
		p += n + 1;
	}
	return 0;
}

/* A whole number for a seed option: 0, or -1 with err set. */
static int seed_number(const char *s, uint64_t *out, char *err, size_t errlen)
{
	const char *why = parse_uint(s, out);

	if (why) {
		snprintf(err, errlen, "'%s': %s", s, why);
		return -1;
	}
	return 0;
}

int sweep_parse_seeds(const char *arg, uint64_t *first, uint64_t *count, char *err,
		      size_t errlen)
{
	const char *dots = strstr(arg, "..");
	uint64_t a, b;

	if (!dots) {
		if (seed_number(arg, &b, err, errlen) != 0)
			return -1;
		if (b == 0) {
			snprintf(err, errlen, "'0': at least one seed (N is the seeds 1..N)");
			return -1;
		}
		*first = 1;
		*count = b;
		return 0;
	}
	{
		char *left = dup_n(arg, (size_t)(dots - arg));
		int rc = seed_number(left, &a, err, errlen);

		free(left);
		if (rc != 0 || seed_number(dots + 2, &b, err, errlen) != 0)
			return -1;
	}
	if (b < a) {
		snprintf(err, errlen, "'%s': the last seed is below the first", arg);
		return -1;
	}
	if (b - a >= SWEEP_MAX_RUNS) {
		snprintf(err, errlen, "'%s': more than %llu seeds", arg,
			 (unsigned long long)SWEEP_MAX_RUNS);
		return -1;
	}
	*first = a;
	*count = b - a + 1;
	return 0;
}

int sweep_parse_shard(const char *arg, uint64_t *k, uint64_t *n, char *err, size_t errlen)
{
	const char *slash = strchr(arg, '/');
	char *left;
	int rc;

	if (!slash) {
		snprintf(err, errlen, "'%s': expected K/N (shard K of N, 0 <= K < N)", arg);
		return -1;
	}
	left = dup_n(arg, (size_t)(slash - arg));
	rc = seed_number(left, k, err, errlen);
	free(left);
	if (rc != 0 || seed_number(slash + 1, n, err, errlen) != 0)
		return -1;
	if (*n == 0 || *k >= *n) {
		snprintf(err, errlen, "'%s': K must be below N (shards are numbered 0 to N-1)", arg);
		return -1;
	}
	return 0;
}

int sweep_grid_init(struct sweep_grid *g, char *err, size_t errlen)
{
	uint64_t points = 1;

	for (size_t i = 0; i < g->nvary; i++) {
		if (g->vary[i].nvalues > SWEEP_MAX_RUNS / points)
			goto too_many;
		points *= g->vary[i].nvalues;
	}
	if (g->nseeds == 0 || g->nseeds > SWEEP_MAX_RUNS / points)
		goto too_many;
	g->npoints = points;
	g->nruns = points * g->nseeds;
	return 0;
too_many:
	snprintf(err, errlen, "the grid has more than %llu runs",
		 (unsigned long long)SWEEP_MAX_RUNS);
	return -1;
}

void sweep_grid_point(const struct sweep_grid *g, uint64_t point, size_t *idx)
{
	/* The last --vary key changes fastest. */
	for (size_t i = g->nvary; i-- > 0; ) {
		idx[i] = (size_t)(point % g->vary[i].nvalues);
		point /= g->vary[i].nvalues;
	}
}

uint64_t sweep_run_point(const struct sweep_grid *g, uint64_t r)
{
	return r / g->nseeds;
}

uint64_t sweep_run_seed(const struct sweep_grid *g, uint64_t r)
{
	return g->seed_first + r % g->nseeds;
}

bool sweep_shard_has(uint64_t r, uint64_t k, uint64_t n)
{
	return r % n == k;
}

uint64_t sweep_shard_runs(uint64_t total, uint64_t k, uint64_t n)
{
	return total / n + (k < total % n);
}

uint64_t sweep_shard_run(uint64_t k, uint64_t n, uint64_t j)
{
	return k + j * n;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

void sweep_sort(double *x, size_t n)
{
	qsort(x, n, sizeof(*x), cmp_double);
}

double sweep_quantile(const double *sorted, size_t n, double p)
{
	double h = (double)(n - 1) * p;
	size_t lo = (size_t)h;
	double frac = h - (double)lo;

	if (lo + 1 >= n)
		return sorted[n - 1];
	/* Equal neighbours give exactly their value, whatever the fraction. */
	if (frac == 0 || sorted[lo] == sorted[lo + 1])
		return sorted[lo];
	return sorted[lo] + frac * (sorted[lo + 1] - sorted[lo]);
}

void sweep_format_number(char *buf, size_t len, double v, int decimals)
{
	char *dot, *end;

	snprintf(buf, len, "%.*f", decimals, v);
	dot = strchr(buf, '.');
	if (dot) {
		end = buf + strlen(buf);
		while (end > dot + 1 && end[-1] == '0')
			*--end = '\0';
		if (end == dot + 1)
			*dot = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		memmove(buf, buf + 1, 2);
}
