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
 * being merged, goes through the one parser (parse_object) into a table of
 * cells, and every output is written from that table. The quartiles are
 * computed from the cells' text, as printed with the summary's own
 * decimals: so the output of a sweep depends on its rows' text and nothing
 * else, whatever the number of workers, and a merge of shards, which has
 * only that text, writes the same bytes as the unsharded sweep.
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
#include "units.h"
#include "world.h"

#define DEFAULT_MAX_EVENTS UINT64_C(100000000)   /* as a single run's */
#define MAX_JOBS 1024
#define SHARD_FORMAT 1          /* "tcpsim_sweep_shard" in a shard file's header */

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
	const char **inputs;          /* --merge's shard files */
	size_t ninputs;
	uint64_t max_events;
};

/* ---- the rows ---- */

enum cell_type { CELL_NULL, CELL_NUMBER, CELL_BOOL, CELL_STRING };

/* One value of a row: its JSON type and its text (a string unescaped). */
struct cell {
	enum cell_type type;
	char *text;
};

struct row {
	uint64_t run;
	struct cell *cells;           /* one per column */
};

/* The sweep's rows, and what is needed to write them out. */
struct table {
	char *scenario;               /* the scenario's name: */
	char **cols;                  /* the --vary keys, "seed", the --keys */
	size_t ncols, nvary;
	uint64_t nseeds;              /* runs per grid point */
	struct row *rows;             /* in run order */
	size_t nrows;
};

/* One "name": value of a flat JSON object. */
struct pair {
	char *name;
	struct cell value;
};

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		abort();
	return p;
}

static char *xstrdup(const char *s)
{
	char *d = strdup(s);

	if (!d)
		abort();
	return d;
}

static void free_pairs(struct pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].value.text);
	}
	free(p);
}

static void free_table(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		if (!t->rows[r].cells)
			continue;   /* a row never filled: the sweep failed first */
		for (size_t c = 0; c < t->ncols; c++)
			free(t->rows[r].cells[c].text);
		free(t->rows[r].cells);
	}
	free(t->rows);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t->scenario);
	memset(t, 0, sizeof(*t));
}

/* s as a JSON string. */
static void put_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void put_cell_json(FILE *f, const struct cell *c)
{
	switch (c->type) {
	case CELL_NULL:
		fputs("null", f);
		break;
	case CELL_STRING:
		put_json_string(f, c->text);
		break;
	default:
		fputs(c->text, f);
		break;
	}
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
static void put_cell_csv(FILE *f, const struct cell *c)
{
	const char *s = c->text;

	if (c->type == CELL_NULL)
		return;
	if (c->type != CELL_STRING || !s[strcspn(s, ",\"\r\n")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The column names in CSV, for a header line. */
static void put_name_csv(FILE *f, const char *name)
{
	struct cell c = { CELL_STRING, (char *)name };

	put_cell_csv(f, &c);
}

static void write_row_json(FILE *f, const struct table *t, const struct row *r)
{
	fprintf(f, "{\"run\": %" PRIu64, r->run);
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(", ", f);
		put_json_string(f, t->cols[c]);
		fputs(": ", f);
		put_cell_json(f, &r->cells[c]);
	}
	fputs("}\n", f);
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Four hex digits; -1 if they are not. */
static long hex4(const char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A JSON string at *pp (at its opening quote), unescaped; NULL if malformed. */
static char *parse_string(const char **pp)
{
	const char *p = *pp + 1;
	char *out = NULL;
	size_t n = 0;

	for (;;) {
		unsigned char c = (unsigned char)*p;
		long u;

		out = xrealloc(out, n + 4);
		if (c == '"')
			break;
		if (c == '\0' || c < 0x20) {
			free(out);
			return NULL;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			p++;
			continue;
		}
		p++;
		switch (*p) {
		case '"': case '\\': case '/':
			out[n++] = *p;
			break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			u = hex4(p + 1);
			/* What this program writes: \u escapes below 0x80 only. */
			if (u <= 0 || u >= 0x80) {
				free(out);
				return NULL;
			}
			out[n++] = (char)u;
			p += 4;
			break;
		default:
			free(out);
			return NULL;
		}
		p++;
	}
	out[n] = '\0';
	*pp = p + 1;
	return out;
}

/* A JSON number, true, false or null at *pp, into *c; -1 if it is none. */
static int parse_scalar(const char **pp, struct cell *c)
{
	const char *p = *pp;
	size_t n;

	if (strncmp(p, "null", 4) == 0) {
		c->type = CELL_NULL;
		n = 4;
	} else if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
		c->type = CELL_BOOL;
		n = p[0] == 't' ? 4 : 5;
	} else {
		char *end;

		c->type = CELL_NUMBER;
		n = strspn(p, "-+.0123456789eE");
		if (n == 0)
			return -1;
		strtod(p, &end);
		if ((size_t)(end - p) != n)
			return -1;
	}
	c->text = xrealloc(NULL, n + 1);
	memcpy(c->text, p, n);
	c->text[n] = '\0';
	*pp = p + n;
	return 0;
}

/*
 * A line holding one flat JSON object (strings, numbers, booleans, null)
 * into its pairs, in order. 0, or -1 with the 1-based column of the
 * problem in *col.
 */
static int parse_object(const char *line, struct pair **out, size_t *nout, size_t *col)
{
	const char *p = skip_space(line);
	struct pair *pairs = NULL;
	size_t n = 0;

	if (*p++ != '{')
		goto bad;
	p = skip_space(p);
	if (*p == '}') {
		p++;
		goto end;
	}
	for (;;) {
		struct pair pr = { 0 };

		if (*p != '"' || !(pr.name = parse_string(&p)))
			goto bad;
		p = skip_space(p);
		if (*p != ':') {
			free(pr.name);
			goto bad;
		}
		p = skip_space(p + 1);
		if (*p == '"') {
			pr.value.type = CELL_STRING;
			pr.value.text = parse_string(&p);
		} else if (parse_scalar(&p, &pr.value) != 0) {
			pr.value.text = NULL;
		}
		if (!pr.value.text) {
			free(pr.name);
			goto bad;
		}
		pairs = xrealloc(pairs, (n + 1) * sizeof(*pairs));
		pairs[n++] = pr;
		p = skip_space(p);
		if (*p == ',') {
			p = skip_space(p + 1);
			continue;
		}
		if (*p != '}')
			goto bad;
		p++;
		break;
	}
end:
	p = skip_space(p);
	if (*p && *p != '\n')
		goto bad;
	*out = pairs;
	*nout = n;
	return 0;
bad:
	*col = (size_t)(p - line) + 1;
	free_pairs(pairs, n);
	return -1;
}

/*
 * The pairs of a row line as a row of t: "run" then t's columns, in order.
 * 0, or -1 with a message in err (the row's pairs freed either way).
 */
static int row_from_pairs(const struct table *t, struct pair *p, size_t n, struct row *r,
			  char *err, size_t errlen)
{
	uint64_t run;
	int rc = -1;

	if (n != t->ncols + 1 || strcmp(p[0].name, "run") != 0 || p[0].value.type != CELL_NUMBER ||
	    parse_uint(p[0].value.text, &run) != NULL) {
		snprintf(err, errlen, "a row must start with \"run\" and have %zu values", t->ncols + 1);
		goto out;
	}
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(p[c + 1].name, t->cols[c]) != 0) {
			snprintf(err, errlen, "value %zu of the row is \"%.100s\", expected \"%.100s\"",
				 c + 2, p[c + 1].name, t->cols[c]);
			goto out;
		}
	r->run = run;
	r->cells = xrealloc(NULL, t->ncols * sizeof(*r->cells));
	for (size_t c = 0; c < t->ncols; c++) {
		r->cells[c] = p[c + 1].value;
		p[c + 1].value.text = NULL;
	}
	rc = 0;
out:
	free_pairs(p, n);
	return rc;
}

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

static void free_opts(struct opts *o)
{
	for (size_t i = 0; i < o->nvary; i++)
		sweep_vary_free(&o->vary[i]);
	free(o->vary);
	free(o->sets);
	if (o->keys_arg)
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

		if (!k || k->kind == SUM_LIST)
			return bad_usage("--keys: '%s' is not a summary key (tcpsim --json shows"
					 " them)", o->keys[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(o->keys[i], o->keys[j]) == 0)
				return bad_usage("--keys: '%s' is given twice", o->keys[i]);
	}
	if (o->plot_key) {
		size_t i;

		for (i = 0; i < o->nkeys && strcmp(o->keys[i], o->plot_key) != 0; i++)
			;
		if (i == o->nkeys)
			return bad_usage("--plot %s: not among the --keys", o->plot_key);
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
	if (!o->keys_arg) {
		o->keys = xrealloc(NULL, sizeof(default_keys));
		memcpy(o->keys, default_keys, sizeof(default_keys));
		o->nkeys = sizeof(default_keys) / sizeof(default_keys[0]);
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

/*
 * Runs run r and writes its row as one JSON line to out. 0, or -1 with
 * err set.
 */
static int run_one(const struct opts *o, const struct sweep_grid *g, uint64_t r, FILE *out,
		   char *err, size_t errlen)
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
			put_json_string(out, o->vary[i].key);
			fputs(": ", out);
			put_json_string(out, o->vary[i].values[idx[i]]);
		}
		fprintf(out, ", \"seed\": %" PRIu64, sweep_run_seed(g, r));
		for (size_t k = 0; k < o->nkeys; k++) {
			const struct summary_key *key = summary_key(o->keys[k]);

			fputs(", ", out);
			put_json_string(out, key->name);
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
		res.ok = run_one(o, g, r, m, err, sizeof err) == 0;
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
 * 1 for a row, 0 when the worker has ended, -1 after printing why.
 */
static int take_result(struct worker *w, const struct opts *o, const struct sweep_grid *g,
		       struct table *t)
{
	struct result res;
	ssize_t n = read_full(w->res_fd, &res, sizeof res);
	char what[512], err[512];
	struct pair *pairs;
	size_t np, col;
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
			fprintf(stderr, "tcpsim: sweep: %s: its worker was killed by signal %d\n", what,
				WTERMSIG(status));
		else
			fprintf(stderr, "tcpsim: sweep: %s: its worker ended (exit status %d)\n", what,
				WIFEXITED(status) ? WEXITSTATUS(status) : -1);
		return -1;
	}
	buf = xrealloc(NULL, (size_t)res.len + 1);
	if (read_full(w->res_fd, buf, res.len) != (ssize_t)res.len) {
		free(buf);
		describe_run(o, g, w->run, what, sizeof what);
		fprintf(stderr, "tcpsim: sweep: %s: its worker ended in the middle of its row\n", what);
		return -1;
	}
	buf[res.len] = '\0';
	w->busy = false;
	if (!res.ok) {
		fprintf(stderr, "tcpsim: %s\n", buf);
		free(buf);
		return -1;
	}
	if (parse_object(buf, &pairs, &np, &col) != 0 ||
	    row_from_pairs(t, pairs, np, &t->rows[(res.run - o->shard_k) / o->shard_n], err,
			   sizeof err) != 0) {
		describe_run(o, g, res.run, what, sizeof what);
		fprintf(stderr, "tcpsim: sweep: %s: a row it cannot read back: %s\n", what, buf);
		free(buf);
		return -1;
	}
	free(buf);
	return 1;
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
	int rc = 0;

	if (jobs == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);

		jobs = cores > 0 ? (uint64_t)cores : 1;
	}
	if (jobs > total)
		jobs = total ? total : 1;
	nw = (size_t)jobs;
	t->nrows = (size_t)total;
	t->rows = xrealloc(NULL, (size_t)total * sizeof(*t->rows));
	memset(t->rows, 0, (size_t)total * sizeof(*t->rows));
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
			got = take_result(&ws[i], o, g, t);
			if (got < 0)
				rc = -1;
			else if (got == 0)
				alive--;
			else
				give(&ws[i], o, &next, total);
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
out:
	free(pfd);
	free(ws);
	return rc;
}

/* ---- the outputs ---- */

/* The columns of a sweep's rows: the --vary keys, "seed", the summary keys. */
static void table_columns(struct table *t, const char *const *vary, size_t nvary,
			  const char *const *keys, size_t nkeys)
{
	t->ncols = nvary + 1 + nkeys;
	t->nvary = nvary;
	t->cols = xrealloc(NULL, t->ncols * sizeof(*t->cols));
	for (size_t i = 0; i < nvary; i++)
		t->cols[i] = xstrdup(vary[i]);
	t->cols[nvary] = xstrdup("seed");
	for (size_t i = 0; i < nkeys; i++)
		t->cols[nvary + 1 + i] = xstrdup(keys[i]);
}

static void write_csv(FILE *f, const struct table *t)
{
	fputs("run", f);
	for (size_t c = 0; c < t->ncols; c++) {
		fputc(',', f);
		put_name_csv(f, t->cols[c]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		fprintf(f, "%" PRIu64, t->rows[r].run);
		for (size_t c = 0; c < t->ncols; c++) {
			fputc(',', f);
			put_cell_csv(f, &t->rows[r].cells[c]);
		}
		fputc('\n', f);
	}
}

static void write_jsonl(FILE *f, const struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		write_row_json(f, t, &t->rows[r]);
}

/*
 * The decimals a quartile of summary key `name` is printed with: two more
 * than the key's own (a type 7 quartile lies a quarter, a half or three
 * quarters of the way between two values); -1 when the key is not a number.
 */
static int quartile_decimals(const char *name)
{
	const struct summary_key *k = summary_key(name);

	if (!k)
		return -1;
	switch (k->kind) {
	case SUM_U64:
		return 2;
	case SUM_NANOS:
		return 9 + 2;
	case SUM_DOUBLE:
		return k->decimals + 2;
	default:
		return -1;
	}
}

/* Median, Q1 and Q3 of column c over the rows [first, first + n) that have it. */
static size_t point_quartiles(const struct table *t, size_t first, size_t n, size_t c,
			      double q[3])
{
	double *x = xrealloc(NULL, n * sizeof(*x));
	size_t m = 0;

	for (size_t r = first; r < first + n; r++)
		if (t->rows[r].cells[c].type == CELL_NUMBER)
			x[m++] = strtod(t->rows[r].cells[c].text, NULL);
	if (m > 0) {
		sweep_sort(x, m);
		q[0] = sweep_quantile(x, m, 0.5);
		q[1] = sweep_quantile(x, m, 0.25);
		q[2] = sweep_quantile(x, m, 0.75);
	}
	free(x);
	return m;
}

static void put_quartiles_csv(FILE *f, const double q[3], size_t m, int decimals)
{
	char buf[512];

	for (int i = 0; i < 3; i++) {
		fputc(',', f);
		if (m == 0)
			continue;
		sweep_format_number(buf, sizeof buf, q[i], decimals);
		fputs(buf, f);
	}
}

/* PREFIX-points.csv: per grid point its --vary values, n, and each numeric key's quartiles. */
static void write_points(FILE *f, const struct table *t)
{
	size_t first_key = t->nvary + 1;

	for (size_t c = 0; c < t->nvary; c++) {
		put_name_csv(f, t->cols[c]);
		fputc(',', f);
	}
	fputs("n", f);
	for (size_t c = first_key; c < t->ncols; c++) {
		static const char *const q[] = { ".median", ".q1", ".q3" };

		if (quartile_decimals(t->cols[c]) < 0)
			continue;
		for (int i = 0; i < 3; i++) {
			char name[256];

			snprintf(name, sizeof name, "%s%s", t->cols[c], q[i]);
			fputc(',', f);
			put_name_csv(f, name);
		}
	}
	fputc('\n', f);
	for (size_t first = 0; first < t->nrows; first += (size_t)t->nseeds) {
		for (size_t c = 0; c < t->nvary; c++) {
			put_cell_csv(f, &t->rows[first].cells[c]);
			fputc(',', f);
		}
		fprintf(f, "%" PRIu64, t->nseeds);
		for (size_t c = first_key; c < t->ncols; c++) {
			int dec = quartile_decimals(t->cols[c]);
			double q[3];
			size_t m;

			if (dec < 0)
				continue;
			m = point_quartiles(t, first, (size_t)t->nseeds, c, q);
			put_quartiles_csv(f, q, m, dec);
		}
		fputc('\n', f);
	}
}

/* s as a gnuplot single-quoted string. */
static void put_gp_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	}
	fputc('\'', f);
}

/* The grid points' series for the plot: the points that share every other --vary value. */
struct series {
	size_t first;                /* a row of its first point, for the values */
	size_t *points;              /* their first rows, in grid order */
	size_t n;
};

static bool same_other_values(const struct table *t, size_t a, size_t b, size_t against)
{
	for (size_t c = 0; c < t->nvary; c++)
		if (c != against && strcmp(t->rows[a].cells[c].text, t->rows[b].cells[c].text) != 0)
			return false;
	return true;
}

/*
 * Whether every value of column c reads as a number with one same suffix
 * ("0%", "2.5%"; "10ms", "25ms"): then the x axis is that number, in that
 * unit; else each value is a place on the axis, in grid order.
 */
static bool numeric_axis(const struct table *t, size_t c, const char **unit)
{
	*unit = NULL;
	for (size_t r = 0; r < t->nrows; r += (size_t)t->nseeds) {
		const char *s = t->rows[r].cells[c].text;
		char *end;

		strtod(s, &end);
		/* Plain decimals only: not "inf", "nan", nor hexadecimal. */
		if (end == s || strspn(s, "+-.0123456789eE") < (size_t)(end - s))
			return false;
		if (*unit && strcmp(*unit, end) != 0)
			return false;
		*unit = end;
	}
	return true;
}

/* The place of the value of column c at row r among the column's values, in grid order. */
static size_t value_place(const struct table *t, size_t c, size_t r)
{
	const char *want = t->rows[r].cells[c].text;
	size_t place = 0;

	for (size_t p = 0; p < t->nrows; p += (size_t)t->nseeds) {
		const char *v = t->rows[p].cells[c].text;
		bool earlier = false;

		for (size_t q = 0; q < p && !earlier; q += (size_t)t->nseeds)
			earlier = strcmp(t->rows[q].cells[c].text, v) == 0;
		if (earlier)
			continue;
		if (strcmp(v, want) == 0)
			break;
		place++;
	}
	return place;
}

/* A number in the fewest digits that read back the same (0.1, not 0.10000000000000001). */
static void put_shortest(FILE *f, double v)
{
	char buf[64];

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

/*
 * The plot's data (dat) and script (gp): key's median, with bars from Q1
 * to Q3, against the --vary key `against`, one line per combination of the
 * other --vary keys. base: the files' names without the directory.
 */
static void write_plot(FILE *dat, FILE *gp, const struct table *t, const char *key,
		       const char *against, const char *base)
{
	size_t kc = 0, ac = 0, ns = 0;
	struct series *ser = NULL;
	const struct summary_key *k = summary_key(key);
	int dec = quartile_decimals(key);
	const char *unit;
	bool numeric;
	char title[1024];

	while (strcmp(t->cols[kc], key) != 0)
		kc++;
	while (strcmp(t->cols[ac], against) != 0)
		ac++;
	numeric = numeric_axis(t, ac, &unit);
	for (size_t r = 0; r < t->nrows; r += (size_t)t->nseeds) {
		size_t s;

		for (s = 0; s < ns && !same_other_values(t, ser[s].first, r, ac); s++)
			;
		if (s == ns) {
			ser = xrealloc(ser, (ns + 1) * sizeof(*ser));
			ser[ns].first = r;
			ser[ns].points = NULL;
			ser[ns].n = 0;
			ns++;
		}
		ser[s].points = xrealloc(ser[s].points, (ser[s].n + 1) * sizeof(size_t));
		ser[s].points[ser[s].n++] = r;
	}
	fprintf(dat, "# tcpsim sweep --plot %s --against %s: scenario %s, %" PRIu64
		" seeds per point\n", key, against, t->scenario, t->nseeds);
	fputs("# One block per line of the plot; in each, per grid point:\n"
	      "# x label median q1 q3\n", dat);
	for (size_t s = 0; s < ns; s++) {
		if (s > 0)
			fputs("\n\n", dat);
		for (size_t i = 0; i < ser[s].n; i++) {
			size_t r = ser[s].points[i];
			const char *label = t->rows[r].cells[ac].text;
			char buf[512];
			double q[3];

			if (point_quartiles(t, r, (size_t)t->nseeds, kc, q) == 0)
				continue;
			if (numeric)
				put_shortest(dat, strtod(label, NULL));
			else
				fprintf(dat, "%zu", value_place(t, ac, r));
			fputs(" \"", dat);
			for (const char *p = label; *p; p++)
				fputc(*p == '"' || (unsigned char)*p < 0x20 ? '?' : *p, dat);
			fputc('"', dat);
			for (int j = 0; j < 3; j++) {
				sweep_format_number(buf, sizeof buf, q[j], dec);
				fprintf(dat, " %s", buf);
			}
			fputc('\n', dat);
		}
	}
	fprintf(gp, "# tcpsim sweep --plot: %s against %s, the median of each grid point with\n"
		    "# bars from its first to its third quartile, drawn from %s-plot.dat beside\n"
		    "# this script into %s-plot.png:  gnuplot PATH/TO/%s-plot.gp\n",
		key, against, base, base, base);
	fputs("dir = ''\n"
	      "do for [i = strlen(ARG0):1:-1] { if (dir eq '' && ARG0[i:i] eq '/') { dir = ARG0[1:i] } }\n"
	      "if (!exists('part')) { part = '' }\n"
	      "set terminal pngcairo size 1000,640 noenhanced font 'Sans,10' background rgb 'white'\n",
	      gp);
	fputs("set output dir.", gp);
	snprintf(title, sizeof title, "%s-plot.png", base);
	put_gp_quoted(gp, title);
	fputs(".part\nset title ", gp);
	snprintf(title, sizeof title, "%s: %s against %s (median and quartiles of %" PRIu64
		 " seeds)", t->scenario, key, against, t->nseeds);
	put_gp_quoted(gp, title);
	fputs("\nset xlabel ", gp);
	if (numeric && *unit)
		snprintf(title, sizeof title, "%s (%s)", against, unit);
	else
		snprintf(title, sizeof title, "%s", against);
	put_gp_quoted(gp, title);
	fputs("\nset ylabel ", gp);
	if (k->unit[0])
		snprintf(title, sizeof title, "%s (%s)", key, k->unit);
	else
		snprintf(title, sizeof title, "%s", key);
	put_gp_quoted(gp, title);
	/* Every number of the summary is a count, a size, a time or a rate. */
	fputs("\nset yrange [0:*]\nset grid\nset key below\n"
	      "set offsets graph 0.05, graph 0.05, graph 0.05, 0\n", gp);
	fputs("data = dir.", gp);
	snprintf(title, sizeof title, "%s-plot.dat", base);
	put_gp_quoted(gp, title);
	fputs("\n", gp);
	for (size_t s = 0; s < ns; s++) {
		size_t used = 0;

		title[0] = '\0';
		for (size_t c = 0; c < t->nvary && used < sizeof title; c++)
			if (c != ac)
				used += (size_t)snprintf(title + used, sizeof title - used, "%s%s=%s",
							 used ? ", " : "", t->cols[c],
							 t->rows[ser[s].first].cells[c].text);
		if (!title[0])
			snprintf(title, sizeof title, "median, Q1 to Q3");
		fputs(s == 0 ? "plot " : ", \\\n     ", gp);
		fprintf(gp, "data index %zu using 1:3:4:5%s with yerrorlines lw 2 pt 7 title ", s,
			numeric ? "" : ":xticlabels(2)");
		put_gp_quoted(gp, title);
	}
	fputs("\nunset output\n", gp);
	for (size_t s = 0; s < ns; s++)
		free(ser[s].points);
	free(ser);
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
		write_csv(output_stream(sf->csv), t);
		write_jsonl(output_stream(sf->jsonl), t);
		write_points(output_stream(sf->points), t);
	}
	if (sf->dat)
		write_plot(output_stream(sf->dat), output_stream(sf->gp), t, plot_key, against,
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

/* ---- shard files ---- */

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

static void put_header_string(FILE *f, const char *name, const char *value)
{
	fputs(", ", f);
	put_json_string(f, name);
	fputs(": ", f);
	put_json_string(f, value);
}

static void write_shard(FILE *f, const struct opts *o, const struct table *t, uint64_t nruns)
{
	char *grid = grid_text(o);
	char *list = NULL;
	size_t len = 0;
	FILE *m;

	fprintf(f, "{\"tcpsim_sweep_shard\": %d", SHARD_FORMAT);
	put_header_string(f, "version", PACKAGE_VERSION);
	put_header_string(f, "scenario", t->scenario);
	put_header_string(f, "grid", grid);
	m = open_memstream(&list, &len);
	if (!m)
		abort();
	for (size_t i = 0; i < o->nvary; i++)
		fprintf(m, "%s%s", i ? "," : "", o->vary[i].key);
	fclose(m);
	put_header_string(f, "vary", list);
	free(list);
	m = open_memstream(&list, &len);
	if (!m)
		abort();
	for (size_t i = 0; i < o->nkeys; i++)
		fprintf(m, "%s%s", i ? "," : "", o->keys[i]);
	fclose(m);
	put_header_string(f, "keys", list);
	free(list);
	fprintf(f, ", \"seeds_per_point\": %" PRIu64 ", \"runs\": %" PRIu64 ", \"shards\": %" PRIu64
		", \"shard\": %" PRIu64 "}\n", o->nseeds, nruns, o->shard_n, o->shard_k);
	free(grid);
	write_jsonl(f, t);
}

/* The value of header field name of the given type, or NULL. */
static const char *header_get(const struct pair *h, size_t n, const char *name,
			      enum cell_type type)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i].name, name) == 0)
			return h[i].value.type == type ? h[i].value.text : NULL;
	return NULL;
}

/* Splits a comma-separated header list ("" is none) into freshly allocated names. */
static char **split_list(const char *s, size_t *n)
{
	char **out = NULL;

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");

		out = xrealloc(out, (*n + 1) * sizeof(*out));
		out[*n] = xrealloc(NULL, len + 1);
		memcpy(out[*n], s, len);
		out[(*n)++][len] = '\0';
		s += len + (s[len] == ',');
	}
	return out;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* What the first shard's header says, which every other must repeat. */
struct merge_state {
	const char *first_path;
	struct pair *hdr;
	size_t nhdr;
	uint64_t runs, shards;
	const char **shard_path;     /* per shard number: the file that had it */
};

/*
 * The header of a shard file (its first line, at line), checked against
 * the first one's (or set up as the first one, with the table's columns).
 * The shard's number into *k. 0, or -1 after printing why.
 */
static int read_header(struct merge_state *ms, const char *path, const char *line,
		       struct table *t, uint64_t *k)
{
	const char *fmt, *runs, *shards, *shard, *spp, *vary, *keys, *scen;
	struct pair *h;
	size_t nh, col;
	uint64_t runs_n, shards_n, spp_n;

	if (parse_object(line, &h, &nh, &col) != 0)
		h = NULL, nh = 0;
	if (!h || !(fmt = header_get(h, nh, "tcpsim_sweep_shard", CELL_NUMBER))) {
		free_pairs(h, nh);
		fprintf(stderr, "tcpsim: %s:1:1: not a shard file of tcpsim sweep (its first line"
			" is not a shard's header)\n", path);
		return -1;
	}
	if (strcmp(fmt, "1") != 0) {
		fprintf(stderr, "tcpsim: %s:1:1: a shard file of format %s; this tcpsim reads"
			" format %d\n", path, fmt, SHARD_FORMAT);
		free_pairs(h, nh);
		return -1;
	}
	runs = header_get(h, nh, "runs", CELL_NUMBER);
	shards = header_get(h, nh, "shards", CELL_NUMBER);
	shard = header_get(h, nh, "shard", CELL_NUMBER);
	spp = header_get(h, nh, "seeds_per_point", CELL_NUMBER);
	vary = header_get(h, nh, "vary", CELL_STRING);
	keys = header_get(h, nh, "keys", CELL_STRING);
	scen = header_get(h, nh, "scenario", CELL_STRING);
	if (!runs || !shards || !shard || !spp || !vary || !keys || !scen ||
	    parse_uint(runs, &runs_n) || parse_uint(shards, &shards_n) || parse_uint(shard, k) ||
	    parse_uint(spp, &spp_n) || shards_n == 0 || *k >= shards_n || spp_n == 0 ||
	    runs_n > SWEEP_MAX_RUNS || runs_n % spp_n != 0) {
		fprintf(stderr, "tcpsim: %s:1:1: a shard header without its runs, shards, shard,"
			" seeds_per_point, vary, keys or scenario (or with impossible ones)\n", path);
		free_pairs(h, nh);
		return -1;
	}
	if (!ms->hdr) {
		size_t nv, nk;
		char **v = split_list(vary, &nv), **ks = split_list(keys, &nk);

		ms->first_path = path;
		ms->hdr = h;
		ms->nhdr = nh;
		ms->runs = runs_n;
		ms->shards = shards_n;
		ms->shard_path = xrealloc(NULL, (size_t)shards_n * sizeof(*ms->shard_path));
		memset(ms->shard_path, 0, (size_t)shards_n * sizeof(*ms->shard_path));
		t->scenario = xstrdup(scen);
		t->nseeds = spp_n;
		table_columns(t, (const char *const *)v, nv, (const char *const *)ks, nk);
		free_list(v, nv);
		free_list(ks, nk);
		t->nrows = (size_t)runs_n;
		t->rows = xrealloc(NULL, t->nrows * sizeof(*t->rows));
		memset(t->rows, 0, t->nrows * sizeof(*t->rows));
		return 0;
	}
	for (size_t i = 0; i < nh || i < ms->nhdr; i++) {
		const struct pair *a = i < nh ? &h[i] : NULL, *b = i < ms->nhdr ? &ms->hdr[i] : NULL;

		if (a && b && strcmp(a->name, b->name) == 0 && strcmp(a->name, "shard") == 0)
			continue;
		if (!a || !b || strcmp(a->name, b->name) != 0 || a->value.type != b->value.type ||
		    strcmp(a->value.text, b->value.text) != 0) {
			fprintf(stderr, "tcpsim: %s:1:1: not a shard of the same sweep as %s (its"
				" header's \"%s\" differs)\n", path, ms->first_path,
				(a ? a : b)->name);
			free_pairs(h, nh);
			return -1;
		}
	}
	free_pairs(h, nh);
	return 0;
}

/* Reads one shard file into t. 0, or -1 after printing why. */
static int read_shard(struct merge_state *ms, const char *path, struct table *t)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	uint64_t k, j = 0, want, lineno = 1;
	int rc = -1;

	if (!f) {
		fprintf(stderr, "tcpsim: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	if (getline(&line, &cap, f) < 0) {
		fprintf(stderr, "tcpsim: %s:1:1: empty: not a shard file of tcpsim sweep\n", path);
		goto out;
	}
	if (read_header(ms, path, line, t, &k) != 0)
		goto out;
	if (ms->shard_path[k]) {
		fprintf(stderr, "tcpsim: %s:1:1: shard %" PRIu64 "/%" PRIu64 " again (%s has it)\n",
			path, k, ms->shards, ms->shard_path[k]);
		goto out;
	}
	ms->shard_path[k] = path;
	want = sweep_shard_runs(ms->runs, k, ms->shards);
	while (getline(&line, &cap, f) >= 0) {
		struct pair *p;
		struct row row;
		size_t np, col;
		char err[512];
		uint64_t r = sweep_shard_run(k, ms->shards, j);

		lineno++;
		if (parse_object(line, &p, &np, &col) != 0) {
			fprintf(stderr, "tcpsim: %s:%" PRIu64 ":%zu: not a row (one JSON object a line)\n",
				path, lineno, col);
			goto out;
		}
		if (row_from_pairs(t, p, np, &row, err, sizeof err) != 0) {
			fprintf(stderr, "tcpsim: %s:%" PRIu64 ":1: %s\n", path, lineno, err);
			goto out;
		}
		if (j >= want || row.run != r) {
			if (j >= want)
				fprintf(stderr, "tcpsim: %s:%" PRIu64 ":1: more rows than shard %" PRIu64
					"/%" PRIu64 " has (%" PRIu64 ")\n", path, lineno, k, ms->shards,
					want);
			else
				fprintf(stderr, "tcpsim: %s:%" PRIu64 ":1: run %" PRIu64 " where run %"
					PRIu64 " was due\n", path, lineno, row.run, r);
			for (size_t c = 0; c < t->ncols; c++)
				free(row.cells[c].text);
			free(row.cells);
			goto out;
		}
		t->rows[r] = row;
		j++;
	}
	if (ferror(f)) {
		fprintf(stderr, "tcpsim: cannot read %s: %s\n", path, strerror(errno));
		goto out;
	}
	if (j != want) {
		fprintf(stderr, "tcpsim: %s:%" PRIu64 ":1: shard %" PRIu64 "/%" PRIu64 " has %" PRIu64
			" of its %" PRIu64 " rows (a file cut short?)\n", path, lineno, k, ms->shards, j,
			want);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
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
	if (quartile_decimals(key) < 0)
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
	struct merge_state ms = { 0 };
	struct table t = { 0 };
	struct sweep_files sf;
	const char *against = o->against;
	int status = 2;

	for (size_t i = 0; i < o->ninputs; i++)
		if (read_shard(&ms, o->inputs[i], &t) != 0)
			goto out;
	for (uint64_t k = 0; k < ms.shards; k++)
		if (!ms.shard_path[k]) {
			fprintf(stderr, "tcpsim: --merge: shard %" PRIu64 "/%" PRIu64 " is missing (the"
				" sweep has %" PRIu64 " shards; give every one's file)\n", k, ms.shards,
				ms.shards);
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
	free_pairs(ms.hdr, ms.nhdr);
	free(ms.shard_path);
	free_table(&t);
	return status;
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
		table_columns(&t, vk, o.nvary, o.keys, o.nkeys);
		free(vk);
	}
	t.scenario = name;
	name = NULL;
	t.nseeds = o.nseeds;
	if (run_pool(&o, &g, &t) != 0) {
		discard_files(&sf);
		goto out;
	}
	if (sf.shard)
		write_shard(output_stream(sf.shard), &o, &t, g.nruns);
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
	free_table(&t);
	free_opts(&o);
	return status;
}
