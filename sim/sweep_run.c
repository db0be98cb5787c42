/*
 * sweep_run: `tcpsim sweep` (see sweep_run.h; the grid's arithmetic is in
 * sweep.c). The flow of one sweep:
 *
 *   parse_args -> validate (every --set, every --vary value, every grid
 *   point loaded once, before anything runs) -> open the outputs (temporary
 *   files, output.h) -> run_pool (N forked workers; each loads, runs and
 *   summarizes one run at a time and sends back its row as one JSON line)
 *   -> write the rows, the points and the plot -> commit.
 *
 * Every row, whether it comes from a worker's pipe or from a shard file
 * being merged, goes through the one parser (table_parse_row) into a table
 * of cells (sweep_table.h), and every output is written from that table.
 * The quartiles are computed from the cells' text, as printed with the
 * summary's own decimals: so the output of a sweep depends on its rows'
 * text and nothing else, whatever the number of workers, and a merge of
 * shards, which has only that text, writes the same bytes as the
 * unsharded sweep.
 *
 * Files (PREFIX from -o):
 *   PREFIX.csv, PREFIX.jsonl   one row per run: run, the --vary values,
 *                              seed, the --keys
 *   PREFIX-points.csv          per grid point: its values, n, and
 *                              KEY.median, KEY.q1, KEY.q3 of each numeric key
 *   PREFIX-plot.dat/.gp/.png   with --plot KEY
 *   PREFIX.shard.jsonl         with --shard K/N, instead of all the above: a
 *                              header line, then the shard's rows
 */
#include "config.h"

#include "sweep_run.h"

#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "output.h"
#include "plot.h"
#include "report.h"
#include "scenario.h"
#include "summary.h"
#include "sweep.h"
#include "xalloc.h"
#include "sweep_table.h"
#include "units.h"
#include "world.h"

#define DEFAULT_MAX_EVENTS UINT64_C(100000000)   /* as a single run's */
#define MAX_JOBS 1024

/* The summary keys each row keeps when --keys is not given. */
static const char *const default_keys[] = {
	"transfer_complete",
	"transfer_time_s",
	"transfer_goodput_mbps",
	"client.retransmissions",
	"client.fast_retransmits",
	"client.rto_timeouts",
	"end_time_s",
};

static const char usage[] =
	"Usage: tcpsim sweep SCENARIO.yaml [--vary KEY=V1,V2,...]... [--set KEY=VALUE]...\n"
	"                    --seeds A..B|N -o PREFIX [OPTION]...\n"
	"       tcpsim sweep --merge -o PREFIX SHARD.shard.jsonl...\n"
	"Run a scenario once for every combination of the --vary values and every\n"
	"seed, each run in a worker process, and write a row per run and the median\n"
	"and quartiles of each grid point. No capture is written.\n"
	"\n"
	"  --vary KEY=V1,V2,...  a scenario key and its values (as --set takes them);\n"
	"                 several --vary multiply; the first changes slowest\n"
	"  --set KEY=VALUE       a value for every run (repeatable)\n"
	"  --seeds A..B   the seeds A to B; --seeds N: 1 to N (the fastest to change)\n"
	"  -o PREFIX      write PREFIX.csv, PREFIX.jsonl, PREFIX-points.csv\n"
	"  --keys K1,K2,...  the summary keys of each row (default: transfer_complete,\n"
	"                 transfer_time_s, transfer_goodput_mbps, client.retransmissions,\n"
	"                 client.fast_retransmits, client.rto_timeouts, end_time_s)\n"
	"  --plot KEY     also PREFIX-plot.png (with gnuplot; its .dat and .gp beside):\n"
	"                 KEY's median and quartiles against a --vary key\n"
	"  --against KEY  the --vary key on the x axis (default: the first)\n"
	"  --jobs N       N worker processes (default: the number of online cores)\n"
	"  --shard K/N    only the runs r with r mod N = K (0 <= K < N), into\n"
	"                 PREFIX.shard.jsonl, for --merge\n"
	"  --merge        combine shard files into the outputs of the whole sweep\n"
	"                 (takes -o, --plot and --against)\n"
	"  --max-events N stop with an error when a run takes more than N events\n"
	"                 (default 100000000; 0: no limit)\n"
	"  --quiet        no progress line on a terminal's standard error\n"
	"  -h, --help     show this help and exit\n"
	"\n"
	"The outputs are the same bytes whatever --jobs, and a merge of all the\n"
	"shards of a sweep is the same bytes as the sweep run whole.\n"
	"Exit status: 0 ok, 2 bad command line, scenario or value (nothing run),\n"
	"a run that did not end, or an output not written.\n"
	"The guide: " TCPSIM_DOCDIR "/docs/sweeps.md\n";

struct opts {
	const char *scenario;
	const char *prefix;
	const char **sets;
	size_t nsets;
	struct sweep_vary *vary;
	size_t nvary;
	const char *seeds_arg;
	uint64_t seed_first, nseeds;
	const char *keys_arg;
	const char **keys;            /* summary key names */
	size_t nkeys;
	const char *plot_key, *against;
	uint64_t jobs;                /* 0: the number of online cores */
	const char *shard_arg;
	uint64_t shard_k, shard_n;    /* 0/1 without --shard */
	bool merge;
	bool quiet;                   /* no progress line */
	const char **inputs;          /* --merge's shard files */
	size_t ninputs;
	uint64_t max_events;
};

/* ---- the command line ---- */

static int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int bad_usage(const char *fmt, ...)
{
	va_list ap;

	fputs("tcpsim: sweep: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("\nTry 'tcpsim sweep --help'.\n", stderr);
	return 2;
}

/*
 * Whether argv[*i] is the option name, in "--opt V", "--opt=V" (or "-oV")
 * form; *v gets its value, NULL when the last argument lacks it.
 */
static bool take_value(int argc, char **argv, int *i, const char *name, const char **v)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	*v = NULL;
	if (strcmp(a, name) == 0) {
		if (*i + 1 < argc)
			*v = argv[++*i];
		return true;
	}
	if (strncmp(a, name, n) == 0 && a[n] == '=') {
		*v = a + n + 1;
		return true;
	}
	if (strcmp(name, "-o") == 0 && strncmp(a, "-o", 2) == 0 && a[2]) {
		*v = a + 2;
		return true;
	}
	return false;
}

/* Splits "A,B,C" into names; -1 on an empty one. */
static int split_keys(const char *arg, const char ***out, size_t *n)
{
	const char *p = arg;

	*out = NULL;
	*n = 0;
	for (;;) {
		size_t len = strcspn(p, ",");
		char *k;

		if (len == 0)
			return -1;
		k = xrealloc(NULL, len + 1);
		memcpy(k, p, len);
		k[len] = '\0';
		*out = xrealloc(*out, (*n + 1) * sizeof(**out));
		(*out)[(*n)++] = k;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

/* Appends a copy of key to the summary keys of each row. */
static void add_key(struct opts *o, const char *key)
{
	o->keys = xrealloc(o->keys, (o->nkeys + 1) * sizeof(*o->keys));
	o->keys[o->nkeys++] = xstrdup(key);
}

static void free_opts(struct opts *o)
{
	for (size_t i = 0; i < o->nvary; i++)
		sweep_vary_free(&o->vary[i]);
	free(o->vary);
	free(o->sets);
	for (size_t i = 0; i < o->nkeys; i++)
		free((char *)o->keys[i]);
	free(o->keys);
	free(o->inputs);
}

/* The key of a KEY=VALUE, as a length. */
static size_t key_len(const char *assignment)
{
	return strcspn(assignment, "=");
}

/* Checks what the options say among themselves (not yet the scenario). */
static int check_opts(struct opts *o)
{
	char err[512];

	if (!o->prefix)
		return bad_usage("no -o PREFIX given (the outputs are PREFIX.csv, ...)");
	if (strcmp(o->prefix, "-") == 0)
		return bad_usage("-o -: a sweep writes several files; give a PREFIX");
	if (o->merge) {
		if (o->scenario)
			return bad_usage("--merge takes shard files, not a scenario ('%s')",
					 o->scenario);
		if (o->nvary || o->nsets || o->seeds_arg || o->keys_arg || o->shard_arg || o->jobs)
			return bad_usage("--merge takes only -o, --plot and --against: the grid is"
					 " in the shard files");
		if (o->ninputs == 0)
			return bad_usage("--merge: no shard file given");
		return -1;
	}
	if (o->ninputs > 1)
		return bad_usage("one scenario at a time ('%s' is extra)", o->inputs[1]);
	if (o->ninputs == 0)
		return bad_usage("no scenario file given");
	o->scenario = o->inputs[0];
	if (!o->seeds_arg)
		return bad_usage("no --seeds A..B or --seeds N given");
	if (o->shard_arg && o->plot_key)
		return bad_usage("--plot: a shard has only some of the runs; give --plot to --merge");
	/* --seeds gives every run its seed. */
	for (size_t i = 0; i < o->nsets; i++)
		if (key_len(o->sets[i]) == 4 && strncmp(o->sets[i], "seed", 4) == 0)
			return bad_usage("--set %s: the seeds are --seeds's to give", o->sets[i]);
	for (size_t i = 0; i < o->nvary; i++)
		if (strcmp(o->vary[i].key, "seed") == 0)
			return bad_usage("--vary %s: the seeds are --seeds's to give (--seeds A..B)",
					 o->vary[i].arg);
	/* One place for each key: the grid would otherwise say two things. */
	for (size_t i = 0; i < o->nvary; i++) {
		const char *k = o->vary[i].key;

		for (size_t j = 0; j < i; j++)
			if (strcmp(o->vary[j].key, k) == 0)
				return bad_usage("--vary %s: '%s' is varied twice", o->vary[i].arg, k);
		for (size_t j = 0; j < o->nsets; j++)
			if (key_len(o->sets[j]) == strlen(k) && strncmp(o->sets[j], k, strlen(k)) == 0)
				return bad_usage("--vary %s: '%s' is also given by --set %s",
						 o->vary[i].arg, k, o->sets[j]);
	}
	for (size_t i = 0; i < o->nkeys; i++) {
		const struct summary_key *k = summary_key(o->keys[i]);

		if (!k || k->kind == SUM_LIST || k->kind == SUM_MS_LIST)
			return bad_usage("--keys: '%s' is not a summary key (tcpsim --json shows"
					 " them)", o->keys[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(o->keys[i], o->keys[j]) == 0)
				return bad_usage("--keys: '%s' is given twice", o->keys[i]);
	}
	if (o->plot_key && o->nvary == 0)
		return bad_usage("--plot: there is no --vary key to draw it against");
	if (o->against) {
		size_t i;

		if (!o->plot_key)
			return bad_usage("--against: draws nothing without --plot KEY");
		for (i = 0; i < o->nvary && strcmp(o->vary[i].key, o->against) != 0; i++)
			;
		if (i == o->nvary)
			return bad_usage("--against %s: not a --vary key", o->against);
	}
	if (sweep_parse_seeds(o->seeds_arg, &o->seed_first, &o->nseeds, err, sizeof err) != 0)
		return bad_usage("--seeds: %s", err);
	return -1;
}

/* Returns -1 to go on, or an exit status. */
static int parse_args(int argc, char **argv, struct opts *o)
{
	static const char *const valued[] = { "--vary", "--set", "--seeds", "--keys", "--plot",
					      "--against", "--jobs", "--shard", "--max-events",
					      "-o" };

	o->max_events = DEFAULT_MAX_EVENTS;
	o->shard_n = 1;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL, *opt = NULL;
		char err[512];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		}
		if (strcmp(a, "--merge") == 0) {
			o->merge = true;
			continue;
		}
		if (strcmp(a, "--quiet") == 0) {
			o->quiet = true;
			continue;
		}
		for (size_t k = 0; k < sizeof valued / sizeof valued[0] && !opt; k++)
			if (take_value(argc, argv, &i, valued[k], &v))
				opt = valued[k];
		if (!opt) {
			if (a[0] == '-' && a[1])
				return bad_usage("unknown option '%s'", a);
			o->inputs = xrealloc(o->inputs, (o->ninputs + 1) * sizeof(*o->inputs));
			o->inputs[o->ninputs++] = a;
			continue;
		}
		if (!v)
			return bad_usage("option '%s' needs a value", opt);
		if (strcmp(opt, "--vary") == 0) {
			o->vary = xrealloc(o->vary, (o->nvary + 1) * sizeof(*o->vary));
			if (sweep_parse_vary(v, &o->vary[o->nvary], err, sizeof err) != 0)
				return bad_usage("--vary %s: %s", v, err);
			o->nvary++;
		} else if (strcmp(opt, "--set") == 0) {
			o->sets = xrealloc(o->sets, (o->nsets + 1) * sizeof(*o->sets));
			o->sets[o->nsets++] = v;
		} else if (strcmp(opt, "--seeds") == 0) {
			o->seeds_arg = v;
		} else if (strcmp(opt, "--keys") == 0) {
			if (o->keys_arg)
				return bad_usage("--keys: given twice (name every key in one list)");
			o->keys_arg = v;
			if (split_keys(v, &o->keys, &o->nkeys) != 0)
				return bad_usage("--keys %s: an empty key", v);
		} else if (strcmp(opt, "--plot") == 0) {
			o->plot_key = v;
		} else if (strcmp(opt, "--against") == 0) {
			o->against = v;
		} else if (strcmp(opt, "--jobs") == 0) {
			if (parse_uint(v, &o->jobs) != NULL || o->jobs == 0 || o->jobs > MAX_JOBS)
				return bad_usage("--jobs: '%s' is not a number from 1 to %d", v, MAX_JOBS);
		} else if (strcmp(opt, "--shard") == 0) {
			o->shard_arg = v;
			if (sweep_parse_shard(v, &o->shard_k, &o->shard_n, err, sizeof err) != 0)
				return bad_usage("--shard: %s", err);
		} else if (strcmp(opt, "--max-events") == 0) {
			if (parse_uint(v, &o->max_events) != NULL)
				return bad_usage("--max-events: '%s' is not a non-negative integer", v);
		} else {
			if (!*v)
				return bad_usage("-o needs a PREFIX");
			o->prefix = v;
		}
	}
	if (!o->keys_arg)
		for (size_t i = 0; i < sizeof(default_keys) / sizeof(default_keys[0]); i++)
			add_key(o, default_keys[i]);
	/* The key drawn is kept too, after the others, if no --keys named it. */
	if (o->plot_key) {
		size_t i;

		for (i = 0; i < o->nkeys && strcmp(o->keys[i], o->plot_key) != 0; i++)
			;
		if (i == o->nkeys) {
			const struct summary_key *k = summary_key(o->plot_key);

			if (!k || k->kind == SUM_LIST || k->kind == SUM_MS_LIST)
				return bad_usage("--plot %s: not a summary key (tcpsim --json shows"
						 " them)", o->plot_key);
			add_key(o, o->plot_key);
		}
	}
	return check_opts(o);
}

/* ---- loading a grid point ---- */

/*
 * "KEY=VALUE" of --vary i at value j.
 */
static char *assignment(const struct sweep_vary *v, size_t j)
{
	size_t n = strlen(v->key) + strlen(v->values[j]) + 2;
	char *s = xrealloc(NULL, n);

	snprintf(s, n, "%s=%s", v->key, v->values[j]);
	return s;
}

/*
 * Loads the scenario with every --set and, for each --vary key i with
 * idx[i] != SIZE_MAX, KEY=its value idx[i] (after the --set ones, so they
 * are the last word). On failure, -1 with the loader's message in err,
 * said of the --vary assignment it is about: "--vary KEY=VALUE: ...".
 */
static int load_point(const struct opts *o, const size_t *idx, struct scenario *scn, char *err,
		      size_t errlen)
{
	const char **list = xrealloc(NULL, (o->nsets + o->nvary) * sizeof(*list));
	char **mine = xrealloc(NULL, o->nvary * sizeof(*mine));
	size_t n = 0, nmine = 0;
	char loader[1024];
	int rc;

	for (size_t i = 0; i < o->nsets; i++)
		list[n++] = o->sets[i];
	for (size_t i = 0; i < o->nvary; i++)
		if (idx[i] != SIZE_MAX) {
			mine[nmine] = assignment(&o->vary[i], idx[i]);
			list[n++] = mine[nmine++];
		}
	rc = scenario_load_set(o->scenario, list, n, scn, loader, sizeof loader);
	if (rc != 0) {
		const char *rest = loader;
		bool about_vary = false;
		size_t used = 0;

		/* The loader names the --set it was given; that one is a --vary's. */
		for (size_t k = 0; k < nmine && !about_vary; k++) {
			size_t len = strlen(mine[k]);

			if (strncmp(loader, "--set ", 6) == 0 && strncmp(loader + 6, mine[k], len) == 0 &&
			    strncmp(loader + 6 + len, ": ", 2) == 0) {
				about_vary = true;
				rest = loader + 6 + len + 2;
			}
		}
		if (!about_vary && (nmine == 0 || strncmp(loader, "--set ", 6) == 0)) {
			/* About a --set or the file alone. */
			snprintf(err, errlen, "%s", loader);
		} else {
			/* About the --vary values given, or what they make of the
			 * file: name them all when there are several (a value and
			 * another key's make the problem together). */
			err[0] = '\0';
			for (size_t k = 0; k < nmine && used < errlen; k++) {
				size_t len = strlen(mine[k]);

				if (nmine > 1 || !about_vary || strncmp(loader + 6, mine[k], len) == 0)
					used += (size_t)snprintf(err + used, errlen - used, "%s--vary %s",
								 used ? " " : "", mine[k]);
			}
			if (used < errlen)
				snprintf(err + used, errlen - used, ": %s", rest);
		}
	}
	for (size_t i = 0; i < nmine; i++)
		free(mine[i]);
	free(mine);
	free(list);
	return rc;
}

/*
 * Every grid point must load before anything runs: the --set values
 * alone, each --vary value with them, and then (with two --vary keys or
 * more) every combination. The scenario's name: into *name. 0, or -1
 * after printing why.
 */
static int validate(const struct opts *o, const struct sweep_grid *g, char **name)
{
	size_t *idx = xrealloc(NULL, (o->nvary + 1) * sizeof(*idx));
	struct scenario scn;
	char err[2048];
	int rc = -1;

	for (size_t i = 0; i < o->nvary; i++)
		idx[i] = SIZE_MAX;
	if (load_point(o, idx, &scn, err, sizeof err) != 0)
		goto out;
	*name = xstrdup(scn.name);
	scenario_free(&scn);
	for (size_t i = 0; i < o->nvary; i++) {
		for (size_t j = 0; j < o->vary[i].nvalues; j++) {
			idx[i] = j;
			if (load_point(o, idx, &scn, err, sizeof err) != 0)
				goto out;
			scenario_free(&scn);
		}
		idx[i] = SIZE_MAX;
	}
	if (o->nvary > 1)
		for (uint64_t p = 0; p < g->npoints; p++) {
			sweep_grid_point(g, p, idx);
			if (load_point(o, idx, &scn, err, sizeof err) != 0)
				goto out;
			scenario_free(&scn);
		}
	rc = 0;
out:
	if (rc != 0)
		fprintf(stderr, "tcpsim: %s\n", err);
	free(idx);
	return rc;
}

/* ---- one run ---- */

/* "run R (KEY=VALUE, ..., seed S)", for messages. */
static void describe_run(const struct opts *o, const struct sweep_grid *g, uint64_t r, char *buf,
			 size_t len)
{
	size_t *idx = xrealloc(NULL, (o->nvary + 1) * sizeof(*idx));
	size_t used;

	sweep_grid_point(g, sweep_run_point(g, r), idx);
	used = (size_t)snprintf(buf, len, "run %" PRIu64 " (", r);
	for (size_t i = 0; i < o->nvary && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s=%s, ", o->vary[i].key,
					 o->vary[i].values[idx[i]]);
	if (used < len)
		snprintf(buf + used, len - used, "seed %" PRIu64 ")", sweep_run_seed(g, r));
	free(idx);
}

/* Events between a worker's looks at whether the sweep that started it is still there. */
#define PARENT_CHECK_EVERY 4096

/*
 * A worker whose sweep has ended (killed, say, by a signal it cannot catch
 * for its workers) stops in the middle of its run instead of running on
 * alone: its parent is then another process.
 */
static void check_parent(void *ctx, const struct world_progress *p)
{
	(void)p;
	if (getppid() != *(const pid_t *)ctx)
		_exit(3);
}

/*
 * Runs run r and writes its row as one JSON line to out. 0, or -1 with
 * err set. parent: the sweep's process, checked during the run.
 */
static int run_one(const struct opts *o, const struct sweep_grid *g, uint64_t r, FILE *out,
		   pid_t parent, char *err, size_t errlen)
{
	size_t *idx = xrealloc(NULL, (o->nvary + 1) * sizeof(*idx));
	struct scenario scn;
	struct summary sum;
	enum world_end end;
	struct world *w;
	char what[512];
	int rc = -1;

	sweep_grid_point(g, sweep_run_point(g, r), idx);
	describe_run(o, g, r, what, sizeof what);
	if (load_point(o, idx, &scn, err, errlen) != 0)
		goto out;
	w = world_new(&scn, sweep_run_seed(g, r));
	world_set_max_events(w, o->max_events);
	world_set_progress(w, check_parent, &parent, PARENT_CHECK_EVERY);
	end = world_run(w);
	if (end == WORLD_EVENT_LIMIT) {
		uint64_t now = world_now_ns(w);

		snprintf(err, errlen, "sweep: %s: stopped after %" PRIu64 " events at %" PRIu64
			 ".%09" PRIu64 " s of virtual time, before the scenario ended (--max-events %"
			 PRIu64 "; 0 lifts the limit)", what, world_events(w), now / 1000000000u,
			 now % 1000000000u, o->max_events);
	} else {
		summary_collect(&sum, w);
		fprintf(out, "{\"run\": %" PRIu64, r);
		for (size_t i = 0; i < o->nvary; i++) {
			fputs(", ", out);
			table_put_json_string(out, o->vary[i].key);
			fputs(": ", out);
			table_put_json_string(out, o->vary[i].values[idx[i]]);
		}
		fprintf(out, ", \"seed\": %" PRIu64, sweep_run_seed(g, r));
		for (size_t k = 0; k < o->nkeys; k++) {
			const struct summary_key *key = summary_key(o->keys[k]);

			fputs(", ", out);
			table_put_json_string(out, key->name);
			fputs(": ", out);
			if (summary_present(&sum, key))
				report_value(out, &sum, key);
			else
				fputs("null", out);
		}
		fputs("}\n", out);
		rc = 0;
	}
	world_free(w);
	scenario_free(&scn);
out:
	free(idx);
	return rc;
}

/* ---- the workers ---- */

/* What a worker sends back for each run, then len bytes: the row, or why it failed. */
struct result {
	uint64_t run;
	uint32_t ok;
	uint32_t len;
};

/* n bytes, retrying short reads: n, 0 at end of file before any, -1 otherwise. */
static ssize_t read_full(int fd, void *buf, size_t n)
{
	size_t got = 0;

	while (got < n) {
		ssize_t k = read(fd, (char *)buf + got, n - got);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return got == 0 && k == 0 ? 0 : -1;
		got += (size_t)k;
	}
	return (ssize_t)n;
}

static int write_full(int fd, const void *buf, size_t n)
{
	size_t put = 0;

	while (put < n) {
		ssize_t k = write(fd, (const char *)buf + put, n - put);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		put += (size_t)k;
	}
	return 0;
}

/* A worker: runs each run number it reads, until its task pipe closes. Never returns. */
static void worker_main(const struct opts *o, const struct sweep_grid *g, int task_fd,
			int res_fd)
{
	pid_t parent = getppid();

	for (;;) {
		struct result res;
		uint64_t r;
		ssize_t n = read_full(task_fd, &r, sizeof r);
		char *buf = NULL, err[2048];
		size_t len = 0;
		FILE *m;

		if (n == 0)
			_exit(0);
		if (n != (ssize_t)sizeof r)
			_exit(3);
		m = open_memstream(&buf, &len);
		if (!m)
			_exit(3);
		res.ok = run_one(o, g, r, m, parent, err, sizeof err) == 0;
		if (fclose(m) != 0)
			_exit(3);
		if (!res.ok) {
			free(buf);
			buf = xstrdup(err);
			len = strlen(buf);
		}
		res.run = r;
		res.len = (uint32_t)len;
		if (write_full(res_fd, &res, sizeof res) != 0 || write_full(res_fd, buf, len) != 0)
			_exit(3);
		free(buf);
	}
}

struct worker {
	pid_t pid;
	int task_fd, res_fd;         /* -1 once closed */
	bool busy;
	uint64_t run;
};

/* Gives w the shard's next run, or closes its task pipe when none is left. */
static void give(struct worker *w, const struct opts *o, uint64_t *next, uint64_t total)
{
	if (*next < total) {
		uint64_t r = sweep_shard_run(o->shard_k, o->shard_n, (*next)++);

		w->run = r;
		w->busy = true;
		/* A worker that died is seen at its result pipe's end. */
		if (write_full(w->task_fd, &r, sizeof r) == 0)
			return;
	}
	close(w->task_fd);
	w->task_fd = -1;
}

/* Ends the workers still there (each by its own pid) and waits for them all. */
static void stop_workers(struct worker *ws, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ws[i].task_fd >= 0)
			close(ws[i].task_fd);
		if (ws[i].res_fd >= 0) {
			close(ws[i].res_fd);
			kill(ws[i].pid, SIGKILL);
		}
		ws[i].task_fd = ws[i].res_fd = -1;
	}
	for (size_t i = 0; i < n; i++)
		if (ws[i].pid > 0)
			while (waitpid(ws[i].pid, NULL, 0) < 0 && errno == EINTR)
				;
}

/*
 * Reads one result of w into t (its row at the run's place in the shard).
 * 1 for a row, 0 when the worker has ended, -1 with why set.
 */
static int take_result(struct worker *w, const struct opts *o, const struct sweep_grid *g,
		       struct table *t, char *why, size_t whylen)
{
	struct result res;
	ssize_t n = read_full(w->res_fd, &res, sizeof res);
	char what[512], err[512];
	size_t col;
	char *buf;

	if (n == 0 && !w->busy) {
		close(w->res_fd);
		w->res_fd = -1;
		return 0;
	}
	if (n != (ssize_t)sizeof res) {
		int status = 0;

		describe_run(o, g, w->run, what, sizeof what);
		close(w->res_fd);
		w->res_fd = -1;
		while (waitpid(w->pid, &status, 0) < 0 && errno == EINTR)
			;
		w->pid = 0;
		if (WIFSIGNALED(status))
			snprintf(why, whylen, "sweep: %s: its worker was killed by signal %d", what,
				WTERMSIG(status));
		else
			snprintf(why, whylen, "sweep: %s: its worker ended (exit status %d)", what,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	buf = xrealloc(NULL, (size_t)res.len + 1);
	if (read_full(w->res_fd, buf, res.len) != (ssize_t)res.len) {
		free(buf);
		describe_run(o, g, w->run, what, sizeof what);
		snprintf(why, whylen, "sweep: %s: its worker ended in the middle of its row", what);
		return -1;
	}
	buf[res.len] = '\0';
	w->busy = false;
	if (!res.ok) {
		snprintf(why, whylen, "%s", buf);
		free(buf);
		return -1;
	}
	if (table_parse_row(t, buf, &t->rows[(res.run - o->shard_k) / o->shard_n], &col, err,
			    sizeof err) != 0) {
		describe_run(o, g, res.run, what, sizeof what);
		snprintf(why, whylen, "sweep: %s: a row it cannot read back (%s, column %zu): %s",
			what, err, col, buf);
		free(buf);
		return -1;
	}
	free(buf);
	return 1;
}

/*
 * The progress line on a terminal's standard error, "tcpsim sweep: 37 of
 * 120 runs", redrawn when another percent is done and erased at the end:
 * it only looks (the outputs are the same with or without it).
 */
struct meter {
	bool on;
	uint64_t done, total;
	int pct;                     /* drawn last; -1: nothing yet */
	int shown;                   /* characters on the terminal */
};

static void meter_draw(struct meter *m)
{
	int pct = (int)(m->done * 100 / m->total);

	if (!m->on || pct == m->pct)
		return;
	m->pct = pct;
	m->shown = fprintf(stderr, "\rtcpsim sweep: %" PRIu64 " of %" PRIu64 " runs", m->done,
			   m->total) - 1;
	fflush(stderr);
}

static void meter_clear(struct meter *m)
{
	if (m->shown > 0)
		fprintf(stderr, "\r%*s\r", m->shown, "");
	m->shown = 0;
}

/*
 * Runs the shard's runs in o->jobs workers (at most one per run) and puts
 * their rows into t->rows in run order. 0, or -1 after printing why.
 */
static int run_pool(const struct opts *o, const struct sweep_grid *g, struct table *t)
{
	uint64_t total = sweep_shard_runs(g->nruns, o->shard_k, o->shard_n), next = 0;
	uint64_t jobs = o->jobs;
	struct worker *ws;
	struct pollfd *pfd;
	size_t nw, alive;
	struct meter m = { !o->quiet && isatty(STDERR_FILENO), 0, total, -1, 0 };
	char why[2048];
	int rc = 0;

	if (jobs == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = cores > 0 ? (uint64_t)cores : 1;
	}
	if (jobs > total)
		jobs = total ? total : 1;
	nw = (size_t)jobs;
	ws = xrealloc(NULL, nw * sizeof(*ws));
	pfd = xrealloc(NULL, nw * sizeof(*pfd));
	memset(ws, 0, nw * sizeof(*ws));
	/* Nothing buffered may be written twice, by a worker as well. */
	fflush(NULL);
	for (size_t i = 0; i < nw; i++) {
		int tp[2], rp[2];

		if (pipe(tp) != 0 || (pipe(rp) != 0 && (close(tp[0]), close(tp[1]), 1))) {
			fprintf(stderr, "tcpsim: sweep: cannot make a pipe: %s\n", strerror(errno));
			stop_workers(ws, i);
			rc = -1;
			goto out;
		}
		ws[i].pid = fork();
		if (ws[i].pid < 0) {
			fprintf(stderr, "tcpsim: sweep: cannot start a worker: %s\n", strerror(errno));
			close(tp[0]); close(tp[1]); close(rp[0]); close(rp[1]);
			ws[i].pid = 0;
			stop_workers(ws, i);
			rc = -1;
			goto out;
		}
		if (ws[i].pid == 0) {
			/* Only its own pipes: another worker's must see its end. */
			for (size_t j = 0; j < i; j++) {
				close(ws[j].task_fd);
				close(ws[j].res_fd);
			}
			close(tp[1]);
			close(rp[0]);
			free(pfd);
			free(ws);
			worker_main(o, g, tp[0], rp[1]);
		}
		close(tp[0]);
		close(rp[1]);
		ws[i].task_fd = tp[1];
		ws[i].res_fd = rp[0];
	}
	for (size_t i = 0; i < nw; i++)
		give(&ws[i], o, &next, total);
	for (alive = nw; alive > 0; ) {
		size_t np = 0;

		for (size_t i = 0; i < nw; i++)
			if (ws[i].res_fd >= 0) {
				pfd[np].fd = ws[i].res_fd;
				pfd[np].events = POLLIN;
				pfd[np].revents = 0;
				np++;
			}
		if (poll(pfd, np, -1) < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "tcpsim: sweep: poll: %s\n", strerror(errno));
			rc = -1;
			break;
		}
		for (size_t i = 0, k = 0; i < nw && rc == 0; i++) {
			int got;

			if (ws[i].res_fd < 0)
				continue;
			if (!pfd[k++].revents)
				continue;
			got = take_result(&ws[i], o, g, t, why, sizeof why);
			if (got < 0) {
				meter_clear(&m);
				fprintf(stderr, "tcpsim: %s\n", why);
				rc = -1;
			} else if (got == 0) {
				alive--;
			} else {
				m.done++;
				meter_draw(&m);
				give(&ws[i], o, &next, total);
			}
		}
		if (rc != 0)
			break;
	}
	if (rc == 0) {
		for (size_t i = 0; i < nw; i++) {
			int status;

			while (waitpid(ws[i].pid, &status, 0) < 0 && errno == EINTR)
				;
			ws[i].pid = 0;
			if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
				fprintf(stderr, "tcpsim: sweep: a worker failed (status %d)\n", status);
				rc = -1;
			}
		}
	}
	stop_workers(ws, nw);
	meter_clear(&m);
out:
	free(pfd);
	free(ws);
	return rc;
}

/* The files a sweep writes, open under temporary names until commit_all. */
struct sweep_files {
	struct output *o[6];
	size_t n;
	struct output *csv, *jsonl, *points, *shard, *dat, *gp;
	char *png;                   /* with --plot */
	char *gp_path;
};

static void discard_files(struct sweep_files *sf)
{
	for (size_t i = 0; i < sf->n; i++)
		output_discard(sf->o[i]);
	sf->n = 0;
	free(sf->png);
	free(sf->gp_path);
	sf->png = sf->gp_path = NULL;
}

static char *prefixed(const char *prefix, const char *suffix)
{
	size_t n = strlen(prefix) + strlen(suffix) + 1;
	char *s = xrealloc(NULL, n);

	snprintf(s, n, "%s%s", prefix, suffix);
	return s;
}

/*
 * Opens PREFIX+suffix as one more output, refusing any of the files the
 * sweep reads (the scenario, the shards being merged). NULL after printing why.
 */
static struct output *open_file(struct sweep_files *sf, const char *what, const char *prefix,
				const char *suffix, const char *const *reads, size_t nreads,
				const char *reads_what)
{
	char *path = prefixed(prefix, suffix), err[1024];
	struct output *o = output_open(what, path, err, sizeof err);

	if (!o) {
		fprintf(stderr, "tcpsim: %s\n", err);
		free(path);
		return NULL;
	}
	for (size_t i = 0; i < nreads; i++)
		if (output_is(o, reads[i])) {
			fprintf(stderr, "tcpsim: %s is %s; it is never an output\n", path, reads_what);
			output_discard(o);
			free(path);
			return NULL;
		}
	free(path);
	sf->o[sf->n++] = o;
	return o;
}

/* The base name of a prefix (what follows its last '/'). */
static const char *base_name(const char *prefix)
{
	const char *slash = strrchr(prefix, '/');

	return slash ? slash + 1 : prefix;
}

static int open_files(struct sweep_files *sf, const char *prefix, bool shard, bool plot,
		      const char *const *reads, size_t nreads, const char *reads_what)
{
	memset(sf, 0, sizeof(*sf));
	if (shard)
		return (sf->shard = open_file(sf, "shard", prefix, ".shard.jsonl", reads, nreads, reads_what)) ?
		       0 : -1;
	if (!(sf->csv = open_file(sf, "sweep", prefix, ".csv", reads, nreads, reads_what)) ||
	    !(sf->jsonl = open_file(sf, "sweep", prefix, ".jsonl", reads, nreads, reads_what)) ||
	    !(sf->points = open_file(sf, "sweep", prefix, "-points.csv", reads, nreads, reads_what)))
		return -1;
	if (plot) {
		if (!(sf->dat = open_file(sf, "plot", prefix, "-plot.dat", reads, nreads, reads_what)) ||
		    !(sf->gp = open_file(sf, "plot", prefix, "-plot.gp", reads, nreads, reads_what)))
			return -1;
		sf->png = prefixed(prefix, "-plot.png");
		sf->gp_path = prefixed(prefix, "-plot.gp");
	}
	return 0;
}

/* Writes every output from t, commits them, then draws the plot. 0, or -1 after printing why. */
static int write_all(struct sweep_files *sf, const struct table *t, const char *prefix,
		     const char *plot_key, const char *against)
{
	char err[1024];
	int rc = 0, drawn;

	if (sf->csv) {
		table_write_csv(output_stream(sf->csv), t);
		table_write_jsonl(output_stream(sf->jsonl), t);
		table_write_points(output_stream(sf->points), t);
	}
	if (sf->dat)
		table_write_plot(output_stream(sf->dat), output_stream(sf->gp), t, plot_key, against,
			   base_name(prefix));
	for (size_t i = 0; i < sf->n; i++) {
		if (rc != 0) {
			output_discard(sf->o[i]);
		} else if (output_commit(sf->o[i], err, sizeof err) != 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			rc = -1;
		}
	}
	sf->n = 0;
	if (rc == 0 && sf->png) {
		const char *pics[] = { sf->png };

		drawn = plot_draw(sf->gp_path, pics, 1, err, sizeof err);
		if (drawn < 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			rc = -1;
		} else if (drawn == 1) {
			fprintf(stderr, "tcpsim: gnuplot is not on PATH; to draw the plot: gnuplot %s\n",
				sf->gp_path);
		}
	}
	free(sf->png);
	free(sf->gp_path);
	sf->png = sf->gp_path = NULL;
	return rc;
}

/*
 * Checks --plot and --against against the table's columns; against gets
 * the first --vary key when not given. -1 to go on, or an exit status.
 */
static int check_plot(const struct table *t, const char *key, const char **against)
{
	size_t c;

	if (!key)
		return *against ? bad_usage("--against: draws nothing without --plot KEY") : -1;
	for (c = t->nvary + 1; c < t->ncols && strcmp(t->cols[c], key) != 0; c++)
		;
	if (c == t->ncols)
		return bad_usage("--plot %s: not among the sweep's keys", key);
	if (table_quartile_decimals(key) < 0)
		return bad_usage("--plot %s: not a number", key);
	if (t->nvary == 0)
		return bad_usage("--plot: there is no --vary key to draw it against");
	if (!*against) {
		*against = t->cols[0];
		return -1;
	}
	for (c = 0; c < t->nvary && strcmp(t->cols[c], *against) != 0; c++)
		;
	if (c == t->nvary)
		return bad_usage("--against %s: not a --vary key", *against);
	return -1;
}

static void say_written(const char *prefix, bool plot)
{
	printf("tcpsim sweep: wrote %s.csv, %s.jsonl, %s-points.csv%s%s%s\n", prefix, prefix,
	       prefix, plot ? ", " : "", plot ? prefix : "", plot ? "-plot.png" : "");
}

static int merge_main(struct opts *o)
{
	struct merge *m = merge_new();
	struct table t = { 0 };
	struct sweep_files sf;
	const char *against = o->against;
	char err[2048];
	int status = 2;

	for (size_t i = 0; i < o->ninputs; i++)
		if (merge_read(m, o->inputs[i], &t, err, sizeof err) != 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			goto out;
		}
	if (merge_complete(m, err, sizeof err) != 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		goto out;
	}
	status = check_plot(&t, o->plot_key, &against);
	if (status >= 0)
		goto out;
	status = 2;
	if (open_files(&sf, o->prefix, false, o->plot_key != NULL, o->inputs, o->ninputs,
		       "a file the sweep reads") != 0) {
		discard_files(&sf);
		goto out;
	}
	if (write_all(&sf, &t, o->prefix, o->plot_key, against) == 0) {
		say_written(o->prefix, o->plot_key != NULL);
		status = 0;
	}
out:
	merge_free(m);
	table_free(&t);
	return status;
}

/* The comma-separated names of a list, for a shard's header. */
static char *join_names(const char *const *names, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s%s", i ? "," : "", names[i]);
	if (fclose(f) != 0)
		abort();
	return buf;
}

/* The sweep's identity in a shard's header: what every shard of one sweep shares. */
static char *grid_text(const struct opts *o)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);

	if (!m)
		abort();
	for (size_t i = 0; i < o->nsets; i++)
		fprintf(m, "--set %s ", o->sets[i]);
	for (size_t i = 0; i < o->nvary; i++)
		fprintf(m, "--vary %s ", o->vary[i].arg);
	fprintf(m, "--seeds %" PRIu64 "..%" PRIu64 " --max-events %" PRIu64, o->seed_first,
		o->seed_first + o->nseeds - 1, o->max_events);
	if (fclose(m) != 0)
		abort();
	return buf;
}

static void write_shard(FILE *f, const struct opts *o, const struct table *t,
			const struct sweep_grid *g)
{
	char *grid = grid_text(o);
	/* The table's columns: the --vary keys, "seed", the summary keys. */
	char *vary = join_names((const char *const *)t->cols, t->nvary);
	char *keys = join_names((const char *const *)t->cols + t->nvary + 1,
				t->ncols - t->nvary - 1);
	struct shard_id id = {
		.version = PACKAGE_VERSION, .scenario = t->scenario, .grid = grid,
		.vary = vary, .keys = keys, .seeds_per_point = o->nseeds, .runs = g->nruns,
		.shards = o->shard_n, .shard = o->shard_k,
	};

	table_write_shard(f, &id, t);
	free(grid);
	free(vary);
	free(keys);
}

int sweep_main(int argc, char **argv)
{
	struct opts o = { 0 };
	struct sweep_grid g = { 0 };
	struct table t = { 0 };
	struct sweep_files sf;
	const char *against;
	char err[512], *name = NULL;
	int status = parse_args(argc, argv, &o);

	if (status >= 0)
		goto out;
	output_install_signals();
	if (o.merge) {
		status = merge_main(&o);
		goto out;
	}
	status = 2;
	g.vary = o.vary;
	g.nvary = o.nvary;
	g.seed_first = o.seed_first;
	g.nseeds = o.nseeds;
	if (sweep_grid_init(&g, err, sizeof err) != 0) {
		status = bad_usage("%s", err);
		goto out;
	}
	if (validate(&o, &g, &name) != 0)
		goto out;
	against = o.against ? o.against : o.nvary ? o.vary[0].key : NULL;
	if (open_files(&sf, o.prefix, o.shard_arg != NULL, o.plot_key != NULL, &o.scenario, 1,
		       "the scenario file") != 0) {
		discard_files(&sf);
		goto out;
	}
	{
		const char **vk = xrealloc(NULL, (o.nvary + 1) * sizeof(*vk));

		for (size_t i = 0; i < o.nvary; i++)
			vk[i] = o.vary[i].key;
		table_init(&t, name, vk, o.nvary, o.keys, o.nkeys, o.nseeds,
			   (size_t)sweep_shard_runs(g.nruns, o.shard_k, o.shard_n));
		free(vk);
		free(name);
		name = NULL;
	}
	if (run_pool(&o, &g, &t) != 0) {
		discard_files(&sf);
		goto out;
	}
	if (sf.shard)
		write_shard(output_stream(sf.shard), &o, &t, &g);
	if (write_all(&sf, &t, o.prefix, o.plot_key, against) != 0)
		goto out;
	if (o.shard_arg)
		printf("tcpsim sweep: shard %" PRIu64 "/%" PRIu64 ", %zu of %" PRIu64 " runs: wrote"
		       " %s.shard.jsonl\n", o.shard_k, o.shard_n, t.nrows, g.nruns, o.prefix);
	else
		say_written(o.prefix, o.plot_key != NULL);
	status = 0;
out:
	free(name);
	table_free(&t);
	free_opts(&o);
	return status;
}
