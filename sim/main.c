/*
 * main: the command line only. Parse options, load the scenario, run the
 * world, write the captures and the summary, and choose the exit status:
 * 0 ok, 1 an expect: assertion failed (with --check), 2 bad command line,
 * bad scenario, or an output file that could not be written.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "report.h"
#include "scenario.h"
#include "units.h"
#include "world.h"

#define OUT_DIR "out"

static const char usage[] =
	"Usage: tcpsim [OPTION]... SCENARIO.yaml\n"
	"Run the TCP conversation a scenario describes, on a virtual clock, and\n"
	"write what tcpdump on the client would have captured.\n"
	"\n"
	"  -o PATH      write the capture to PATH (default out/NAME.pcap; with\n"
	"               'capture: both', PATH gets -client and -server inserted)\n"
	"  --seed N     use seed N instead of the scenario's\n"
	"  --trace PATH write a CSV of each sender's congestion state over time\n"
	"  --json       print the summary as one JSON object\n"
	"  --check      evaluate the scenario's expect: block; exit 1 if any fails\n"
	"  -h, --help   show this help and exit\n"
	"  --version    show the version and exit\n"
	"\n"
	"Exit status: 0 ok, 1 an expectation failed (--check), 2 bad command line\n"
	"or scenario (the message names FILE:LINE:COL), or an output not written.\n"
	"Scenario reference: docs/scenarios.md\n";

struct options {
	const char *scenario;
	const char *out_path;
	const char *trace_path;
	bool seed_set;
	uint64_t seed;
	bool json;
	bool check;
};

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "tcpsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tcpsim --help'.\n");
	return 2;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("tcpsim %s\n", PACKAGE_VERSION);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
		} else if (strcmp(a, "--check") == 0) {
			o->check = true;
		} else if (strcmp(a, "-o") == 0 || strcmp(a, "--seed") == 0 ||
			   strcmp(a, "--trace") == 0) {
			if (i + 1 >= argc)
				return bad_usage("option '%s' needs a value", a);
			if (strcmp(a, "--trace") == 0) {
				o->trace_path = argv[++i];
				if (!*o->trace_path)
					return bad_usage("option '%s' needs a file name", a);
			} else if (a[1] == 'o') {
				o->out_path = argv[++i];
				if (!*o->out_path)
					return bad_usage("option '%s' needs a file name", a);
			} else {
				const char *v = argv[++i];
				if (parse_uint(v, &o->seed) != NULL)
					return bad_usage("--seed: '%s' is not a non-negative integer", v);
				o->seed_set = true;
			}
		} else if (strncmp(a, "-o", 2) == 0 && a[2]) {
			o->out_path = a + 2;
		} else if (strncmp(a, "--trace=", 8) == 0 && a[8]) {
			o->trace_path = a + 8;
		} else if (strncmp(a, "--seed=", 7) == 0) {
			if (parse_uint(a + 7, &o->seed) != NULL)
				return bad_usage("--seed: '%s' is not a non-negative integer", a + 7);
			o->seed_set = true;
		} else if (a[0] == '-' && a[1]) {
			return bad_usage("unknown option '%s'", a);
		} else if (o->scenario) {
			return bad_usage("one scenario at a time ('%s' is extra)", a);
		} else {
			o->scenario = a;
		}
	}
	if (!o->scenario)
		return bad_usage("%s", "no scenario file given");
	return -1;
}

/* out/NAME.pcap, or PATH with "-client"/"-server" before its .pcap. */
static char *capture_path(const struct options *o, const char *name, const char *who)
{
	const char *base = o->out_path;
	size_t need;
	char *p;

	if (!base) {
		need = strlen(OUT_DIR) + strlen(name) + 32;
		p = malloc(need);
		if (who)
			snprintf(p, need, "%s/%s-%s.pcap", OUT_DIR, name, who);
		else
			snprintf(p, need, "%s/%s.pcap", OUT_DIR, name);
		return p;
	}
	need = strlen(base) + 32;
	p = malloc(need);
	if (!who) {
		snprintf(p, need, "%s", base);
	} else {
		size_t len = strlen(base);
		size_t stem = len >= 5 && strcmp(base + len - 5, ".pcap") == 0 ? len - 5 : len;
		snprintf(p, need, "%.*s-%s%s", (int)stem, base, who, base + stem);
	}
	return p;
}

static int open_captures(struct world *w, const struct scenario *scn, const struct options *o)
{
	static const struct { enum capture_point point; enum host_id host; const char *who; } taps[] = {
		{ CAPTURE_CLIENT, HOST_CLIENT, NULL },
		{ CAPTURE_SERVER, HOST_SERVER, NULL },
		{ CAPTURE_BOTH, HOST_CLIENT, "client" },
		{ CAPTURE_BOTH, HOST_SERVER, "server" },
	};
	char err[512];

	if (scn->capture == CAPTURE_NONE)
		return 0;
	if (!o->out_path && mkdir(OUT_DIR, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "tcpsim: cannot create directory '%s': %s\n", OUT_DIR, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < sizeof(taps) / sizeof(taps[0]); i++) {
		char *path;
		int rc;
		if (taps[i].point != scn->capture)
			continue;
		path = capture_path(o, scn->name, taps[i].who);
		rc = world_capture(w, taps[i].host, path, err, sizeof(err));
		free(path);
		if (rc != 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			return -1;
		}
	}
	return 0;
}

/* The --trace CSV, written under PATH.part and renamed when complete. */
struct trace_file {
	FILE *f;
	char *part;
	const char *path;
};

static void write_trace_row(void *ctx, const struct trace_row *row)
{
	report_trace_row(((struct trace_file *)ctx)->f, row);
}

static int trace_open(struct trace_file *t, const char *path)
{
	size_t n = strlen(path) + 6;

	t->path = path;
	t->part = malloc(n);
	if (!t->part)
		abort();
	snprintf(t->part, n, "%s.part", path);
	t->f = fopen(t->part, "w");
	if (!t->f) {
		fprintf(stderr, "tcpsim: cannot create trace file %s: %s\n", t->part, strerror(errno));
		free(t->part);
		t->part = NULL;
		return -1;
	}
	report_trace_header(t->f);
	return 0;
}

/* keep: flush and rename into place; otherwise remove. 0 or -1 (reported). */
static int trace_close(struct trace_file *t, bool keep)
{
	int rc = 0;

	if (!t->f)
		return 0;
	if (ferror(t->f) || fclose(t->f) != 0) {
		if (keep)
			fprintf(stderr, "tcpsim: cannot write %s: %s\n", t->part, strerror(errno));
		keep = false;
		rc = -1;
	}
	if (keep && rename(t->part, t->path) != 0) {
		fprintf(stderr, "tcpsim: cannot rename %s to %s: %s\n", t->part, t->path, strerror(errno));
		rc = -1;
		keep = false;
	}
	if (!keep)
		remove(t->part);
	free(t->part);
	t->f = NULL;
	t->part = NULL;
	return rc;
}

/* Every expect: key must name a summary key; checked before running. */
static int check_expect_keys(const struct scenario *scn)
{
	for (size_t i = 0; i < scn->nexpect; i++) {
		const struct scn_expect *e = &scn->expect[i];
		if (!report_key_known(e->key)) {
			fprintf(stderr, "tcpsim: %s:%u:%u: unknown summary key '%s' in expect\n",
				scn->file, e->loc.line, e->loc.col, e->key);
			return -1;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct trace_file trace = { 0 };
	struct scenario scn;
	struct summary sum;
	struct world *w;
	char err[1024];
	int status;

	status = parse_args(argc, argv, &o);
	if (status >= 0)
		return status;
	if (scenario_load(o.scenario, &scn, err, sizeof(err)) != 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		return 2;
	}
	if (check_expect_keys(&scn) != 0) {
		scenario_free(&scn);
		return 2;
	}
	if (o.out_path && scn.capture == CAPTURE_NONE) {
		scenario_free(&scn);
		return bad_usage("-o: the scenario captures nothing ('capture: none' in %s)", o.scenario);
	}

	w = world_new(&scn, o.seed_set ? o.seed : scn.seed);
	if (open_captures(w, &scn, &o) != 0 ||
	    (o.trace_path && trace_open(&trace, o.trace_path) != 0)) {
		world_free(w);
		scenario_free(&scn);
		return 2;
	}
	if (trace.f)
		world_set_trace(w, write_trace_row, &trace);
	world_run(w);
	status = world_close_captures(w, true, err, sizeof(err));
	if (status != 0)
		fprintf(stderr, "tcpsim: %s\n", err);
	if (trace_close(&trace, status == 0) != 0 || status != 0) {
		world_free(w);
		scenario_free(&scn);
		return 2;
	}

	world_summary(w, &sum);
	if (o.json)
		report_json(stdout, &sum);
	else
		report_text(stdout, &sum);
	status = 0;
	if (o.check && report_check(&scn, &sum, stderr) > 0)
		status = 1;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "tcpsim: cannot write the summary: %s\n", strerror(errno));
		status = 2;
	}
	world_free(w);
	scenario_free(&scn);
	return status;
}
