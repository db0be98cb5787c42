/*
 * main: the command line only. Parse options, load the scenario, run the
 * world, write the captures and the summary, and choose the exit status:
 * 0 ok, 1 an expect: assertion failed (with --check), 2 bad command line,
 * bad scenario, or an output file that could not be written.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.h"
#include "ladder.h"
#include "output.h"
#include "plot.h"
#include "progress.h"
#include "report.h"
#include "scenario.h"
#include "sweep_run.h"
#include "taps.h"
#include "units.h"
#include "world.h"

#define OUT_DIR "out"
#define DEFAULT_MAX_EVENTS UINT64_C(100000000)   /* about a 100 GB transfer */
#define DEFAULT_MAX_CAPTURE (UINT64_C(4) << 30)         /* 4 GiB per capture file */

static const char usage[] =
	"Usage: tcpsim [OPTION]... SCENARIO.yaml\n"
	"       tcpsim sweep SCENARIO.yaml --vary KEY=V1,V2,... --seeds A..B -o PREFIX ...\n"
	"Run the TCP conversation a scenario describes, on a virtual clock, and\n"
	"write what tcpdump on the client would have captured.\n"
	"\n"
	"  -o PATH      write the capture to PATH (default out/NAME.pcap; with\n"
	"               'capture: both', PATH gets -client and -server inserted);\n"
	"               '-' writes it to standard output, and the summary to\n"
	"               standard error\n"
	"  --pcapng     write one annotated pcapng instead (default\n"
	"               out/NAME.pcapng; implied by an -o PATH ending in .pcapng):\n"
	"               both hosts, one interface each, and on every packet a\n"
	"               comment saying why it was sent and what the link did\n"
	"  --seed N     use seed N instead of the scenario's\n"
	"  --set KEY.PATH=VALUE\n"
	"               set one key of the scenario as if the file said so\n"
	"               (e.g. --set link.loss=2% --set client.tcp.nagle=false);\n"
	"               repeatable, applied in order, recorded in the JSON\n"
	"  --trace PATH write a CSV of each sender's congestion state over time\n"
	"               ('-': standard output)\n"
	"  --plot DIR   write each sender's cwnd and time-sequence plots into DIR\n"
	"               (data, a gnuplot script, and SVG and PNG if gnuplot is on PATH)\n"
	"  --ladder PATH      draw the conversation as a sequence diagram in 80\n"
	"                     columns, one arrow per packet ('-': standard output)\n"
	"  --ladder-time FROM:TO\n"
	"                     only the packets sent from FROM to TO (seconds, or\n"
	"                     with units: 100ms:300ms; either may be left out)\n"
	"  --ladder-packets FIRST:LAST\n"
	"                     only the packets numbered FIRST to LAST, or one\n"
	"                     number\n"
	"  --json       print the summary as one JSON object\n"
	"  --check      evaluate the scenario's expect: block; exit 1 if any fails\n"
	"  --quiet      no progress line on a terminal's standard error (errors\n"
	"               and the summary still print)\n"
	"  --max-events N     stop with an error after N events (default\n"
	"                     100000000; 0: no limit)\n"
	"  --max-capture SIZE stop with an error before a capture file grows past\n"
	"                     SIZE (default 4GiB; 0: no limit)\n"
	"  -h, --help   show this help and exit\n"
	"  --version    show the version and exit\n"
	"\n"
	"Outputs appear only when the run succeeds: an existing file is replaced\n"
	"whole, never left half-written, and never on an error.\n"
	"Exit status: 0 ok, 1 an expectation failed (--check), 2 bad command line\n"
	"or scenario (the message names FILE:LINE:COL), or an output not written.\n"
	"'tcpsim sweep --help' tells the options of a sweep.\n"
	"The manual: man tcpsim; the scenario reference:\n"
	"  " TCPSIM_DOCDIR "/docs/scenarios.md\n";

struct options {
	const char *scenario;
	const char *out_path;
	const char *trace_path;
	const char *plot_dir;
	const char *ladder_path;
	struct ladder_range ladder;
	const char *ladder_range_opt;  /* a range option given, for its check */
	bool seed_set;
	uint64_t seed;
	bool json;
	bool check;
	bool pcapng;
	bool quiet;             /* nothing on standard error but errors (and a summary sent there) */
	uint64_t max_events;
	uint64_t max_capture;
	const char **sets;      /* the --set arguments, in order (argv's strings) */
	size_t nsets;
};

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, "tcpsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'tcpsim --help'.\n");
	return 2;
}

/* The value of an option that takes one, in "--opt V" or "--opt=V" form. */
static const char *option_value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);

	if (strcmp(a, name) == 0)
		return *i + 1 < argc ? argv[++*i] : NULL;
	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (strcmp(name, "-o") == 0 && strncmp(a, "-o", 2) == 0 && a[2])
		return a + 2;
	return NULL;
}

static bool is_option(const char *a, const char *name)
{
	size_t n = strlen(name);

	return strncmp(a, name, n) == 0 && (a[n] == '\0' || a[n] == '=' ||
					    (strcmp(name, "-o") == 0 && a[n]));
}

/* A decimal count; "out of range" is said as such. */
static int parse_count(const char *opt, const char *v, uint64_t *out)
{
	char msg[64];

	if (parse_uint(v, out) == NULL)
		return 0;
	if (*v && strspn(v, "0123456789") == strlen(v)) {
		snprintf(msg, sizeof msg, "%s: '%%s' is out of range (0 to %" PRIu64 ")", opt,
			 UINT64_MAX);
		return bad_usage(msg, v);
	}
	snprintf(msg, sizeof msg, "%s: '%%s' is not a non-negative integer", opt);
	return bad_usage(msg, v);
}

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && strcmp(s + n - t, tail) == 0;
}

/* Returns -1 to continue, or an exit status. */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const char *const valued[] = { "-o", "--seed", "--set", "--trace", "--max-events",
					      "--max-capture", "--plot", "--ladder", "--ladder-time",
					      "--ladder-packets" };

	o->max_events = DEFAULT_MAX_EVENTS;
	o->max_capture = DEFAULT_MAX_CAPTURE;
	o->ladder = ladder_range_all();
	/* No more --set arguments than arguments. */
	if (!(o->sets = calloc((size_t)argc, sizeof(*o->sets)))) {
		fputs("tcpsim: out of memory\n", stderr);
		return 2;
	}
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = NULL, *opt = NULL;

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage, stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("tcpsim %s\n", PACKAGE_VERSION);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			o->json = true;
			continue;
		} else if (strcmp(a, "--check") == 0) {
			o->check = true;
			continue;
		} else if (strcmp(a, "--pcapng") == 0) {
			o->pcapng = true;
			continue;
		} else if (strcmp(a, "--quiet") == 0) {
			o->quiet = true;
			continue;
		}
		for (size_t k = 0; k < sizeof(valued) / sizeof(valued[0]) && !opt; k++)
			if (is_option(a, valued[k]))
				opt = valued[k];
		if (!opt) {
			if (a[0] == '-' && a[1])
				return bad_usage("unknown option '%s'", a);
			if (o->scenario)
				return bad_usage("one scenario at a time ('%s' is extra)", a);
			o->scenario = a;
			continue;
		}
		v = option_value(argc, argv, &i, opt);
		if (!v)
			return bad_usage("option '%s' needs a value", opt);
		if (strcmp(opt, "--seed") == 0) {
			int rc = parse_count("--seed", v, &o->seed);
			if (rc)
				return rc;
			o->seed_set = true;
		} else if (strcmp(opt, "--set") == 0) {
			/* The loader checks the argument's syntax and its value. */
			o->sets[o->nsets++] = v;
		} else if (strcmp(opt, "--max-events") == 0) {
			int rc = parse_count("--max-events", v, &o->max_events);
			if (rc)
				return rc;
		} else if (strcmp(opt, "--max-capture") == 0) {
			const char *why = parse_size_bytes(v, &o->max_capture);
			if (why) {
				char msg[128];
				snprintf(msg, sizeof msg, "--max-capture: '%%s': %s (a size such as 4GiB)",
					 why);
				return bad_usage(msg, v);
			}
		} else if (strncmp(opt, "--ladder-", 9) == 0) {
			char why[256], msg[512];
			if ((opt[9] == 't' ? ladder_parse_times(v, &o->ladder, why, sizeof why) :
			     ladder_parse_packets(v, &o->ladder, why, sizeof why)) != 0) {
				snprintf(msg, sizeof msg, "%s: '%.100s': %s", opt, v, why);
				return bad_usage("%s", msg);
			}
			o->ladder_range_opt = opt;
		} else if (!*v) {
			return bad_usage("option '%s' needs a file name", opt);
		} else if (strcmp(opt, "-o") == 0) {
			o->out_path = v;
		} else if (strcmp(opt, "--plot") == 0) {
			o->plot_dir = v;
		} else if (strcmp(opt, "--ladder") == 0) {
			o->ladder_path = v;
		} else {
			o->trace_path = v;
		}
	}
	if (!o->scenario)
		return bad_usage("%s", "no scenario file given");
	if (o->out_path && ends_with(o->out_path, ".pcapng"))
		o->pcapng = true;
	if (o->ladder_range_opt && !o->ladder_path)
		return bad_usage("%s: draws nothing without --ladder PATH", o->ladder_range_opt);
	return -1;
}

/* The default output directory, made when missing; -1 after saying why. */
static int make_out_dir(void)
{
	if (mkdir(OUT_DIR, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "tcpsim: cannot create directory '%s': %s\n", OUT_DIR, strerror(errno));
		return -1;
	}
	return 0;
}

/* out/NAME.EXT, or PATH with "-client"/"-server" before its EXT (ext: ".pcap"). */
static char *capture_path(const struct options *o, const char *name, const char *who,
			  const char *ext)
{
	const char *base = o->out_path;
	size_t need;
	char *p;

	if (!base) {
		need = strlen(OUT_DIR) + strlen(name) + 32;
		p = malloc(need);
		if (who)
			snprintf(p, need, "%s/%s-%s%s", OUT_DIR, name, who, ext);
		else
			snprintf(p, need, "%s/%s%s", OUT_DIR, name, ext);
		return p;
	}
	need = strlen(base) + 32;
	p = malloc(need);
	if (!who) {
		snprintf(p, need, "%s", base);
	} else {
		size_t len = strlen(base), elen = strlen(ext);
		size_t stem = len >= elen && strcmp(base + len - elen, ext) == 0 ? len - elen : len;
		snprintf(p, need, "%.*s-%s%s", (int)stem, base, who, base + stem);
	}
	return p;
}

/* Whether an output option names standard output ("-"); NULL when not given. */
static bool is_stdout_name(const char *path)
{
	return path && strcmp(path, "-") == 0;
}

/* Every output file of the run: at most two captures, the trace and the ladder. */
struct outputs {
	struct output *o[4];
	size_t n;
	struct pcap_tap pcap[2];       /* the captures, as observers of the world */
	size_t npcap;
	struct pcapng_tap png;         /* or the one annotated capture (png.png set) */
	struct plot *plot;             /* --plot */
};

/* Closes the captures (not their streams); the first failure's message in err. */
static int close_captures(struct outputs *outs, char *err, size_t errlen)
{
	int rc = 0;

	for (size_t i = 0; i < outs->npcap; i++) {
		if (capture_close(outs->pcap[i].cap, rc ? NULL : err, rc ? 0 : errlen) != 0)
			rc = -1;
	}
	outs->npcap = 0;
	if (outs->png.png && pcapng_close(outs->png.png, rc ? NULL : err, rc ? 0 : errlen) != 0)
		rc = -1;
	outs->png.png = NULL;
	return rc;
}

static void discard_all(struct outputs *outs)
{
	close_captures(outs, NULL, 0);
	for (size_t i = 0; i < outs->n; i++)
		output_discard(outs->o[i]);
	outs->n = 0;
	if (outs->plot)
		plot_discard(outs->plot);
	outs->plot = NULL;
}

/*
 * Opens path as one more output, refusing the scenario file itself and a
 * file another output already names. NULL after printing why.
 */
static struct output *add_output(struct outputs *outs, const char *what, const char *path,
				 const struct scenario *scn)
{
	char err[1024];
	struct output *o = output_open(what, path, err, sizeof(err));

	if (!o) {
		fprintf(stderr, "tcpsim: %s\n", err);
		return NULL;
	}
	if (output_is(o, scn->file)) {
		fprintf(stderr, "tcpsim: %s is the scenario file; it is never an output\n", path);
		output_discard(o);
		return NULL;
	}
	for (size_t i = 0; i < outs->n; i++)
		if (output_same(o, outs->o[i])) {
			fprintf(stderr, "tcpsim: %s and %s name the same file; give each output its own\n",
				output_name(outs->o[i]), path);
			output_discard(o);
			return NULL;
		}
	outs->o[outs->n++] = o;
	return o;
}

/* The --pcapng capture: one file, both hosts. */
static int open_pcapng(struct world *w, const struct scenario *scn, const struct options *o,
		       struct outputs *outs)
{
	const uint32_t addr[2] = { scn->client.addr, scn->server.addr };
	struct observer obs;
	struct output *out;
	char err[1024];
	char *path;

	if (!o->out_path && make_out_dir() != 0)
		return -1;
	path = capture_path(o, scn->name, NULL, ".pcapng");
	if (!path)
		abort();
	out = add_output(outs, "capture", path, scn);
	free(path);
	if (!out)
		return -1;
	outs->png.png = pcapng_open(output_stream(out), output_name(out), o->max_capture,
				    err, sizeof(err));
	if (!outs->png.png || pcapng_tap_init(&outs->png, outs->png.png, addr, scn->linktype,
					      scn->snaplen) != 0) {
		if (outs->png.png)
			close_captures(outs, err, sizeof(err));
		fprintf(stderr, "tcpsim: %s\n", err);
		return -1;
	}
	obs = pcapng_tap_observer(&outs->png);
	world_observe(w, &obs);
	return 0;
}

static int open_captures(struct world *w, const struct scenario *scn, const struct options *o,
			 struct outputs *outs)
{
	static const struct { enum capture_point point; enum host_id host; const char *who; } taps[] = {
		{ CAPTURE_CLIENT, HOST_CLIENT, NULL },
		{ CAPTURE_SERVER, HOST_SERVER, NULL },
		{ CAPTURE_BOTH, HOST_CLIENT, "client" },
		{ CAPTURE_BOTH, HOST_SERVER, "server" },
	};
	char err[1024];

	if (o->pcapng)
		return open_pcapng(w, scn, o, outs);
	if (scn->capture == CAPTURE_NONE)
		return 0;
	if (is_stdout_name(o->out_path) && scn->capture == CAPTURE_BOTH) {
		fprintf(stderr, "tcpsim: -o -: 'capture: both' writes two files; "
			"name them with -o PATH\n");
		return -1;
	}
	if (!o->out_path && make_out_dir() != 0)
		return -1;
	for (size_t i = 0; i < sizeof(taps) / sizeof(taps[0]); i++) {
		struct pcap_tap *tap;
		struct observer obs;
		struct output *out;
		char *path;

		if (taps[i].point != scn->capture)
			continue;
		path = is_stdout_name(o->out_path) ? strdup("-") :
		       capture_path(o, scn->name, taps[i].who, ".pcap");
		if (!path)
			abort();
		out = add_output(outs, "capture", path, scn);
		free(path);
		if (!out)
			return -1;
		tap = &outs->pcap[outs->npcap];
		tap->host = taps[i].host;
		tap->cap = capture_open(output_stream(out), output_name(out), scn->linktype,
					scn->snaplen, o->max_capture, output_is_own_file(out),
					err, sizeof(err));
		if (!tap->cap) {
			fprintf(stderr, "tcpsim: %s\n", err);
			return -1;
		}
		outs->npcap++;
		obs = pcap_tap_observer(tap);
		world_observe(w, &obs);
	}
	return 0;
}

/* --plot DIR: the plots as an observer of the world; -1 after printing why. */
static int open_plot(struct world *w, const struct scenario *scn, const struct options *o,
		     struct outputs *outs)
{
	char err[1024];
	struct observer obs;

	outs->plot = plot_open(o->plot_dir, scn->name, o->seed_set ? o->seed : scn->seed, err,
			       sizeof(err));
	if (!outs->plot) {
		fprintf(stderr, "tcpsim: %s\n", err);
		return -1;
	}
	obs = plot_observer(outs->plot);
	world_observe(w, &obs);
	return 0;
}

/* Every expect: key must name a summary key; checked before running. */
static int check_expect_keys(const struct scenario *scn)
{
	for (size_t i = 0; i < scn->nexpect; i++) {
		const struct scn_expect *e = &scn->expect[i];
		if (!report_key_known(e->key)) {
			char msg[1024];

			/* One line, as the loader's messages: no control character
			 * from the file (a quoted key may hold a tab) gets through,
			 * and a huge key is cut short. */
			if (e->set)
				snprintf(msg, sizeof msg, "--set %.300s: unknown summary key"
					 " '%.200s%s' in expect", e->set, e->key,
					 strlen(e->key) > 200 ? "..." : "");
			else
				snprintf(msg, sizeof msg, "%s:%u:%u: unknown summary key"
					 " '%.200s%s' in expect", scn->file, e->loc.line,
					 e->loc.col, e->key, strlen(e->key) > 200 ? "..." : "");
			for (char *p = msg; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = '?';
			fprintf(stderr, "tcpsim: %s\n", msg);
			return -1;
		}
	}
	return 0;
}

/*
 * A closed standard descriptor would be handed to the first file opened,
 * and the summary would land in the capture: hold each with /dev/null.
 * Returns whether standard output was closed.
 */
static bool hold_std_fds(void)
{
	bool stdout_closed = false;

	for (int fd = 0; fd <= 2; fd++) {
		if (fcntl(fd, F_GETFD) != -1 || errno != EBADF)
			continue;
		if (fd == 1)
			stdout_closed = true;
		if (open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY) != fd)
			exit(2);
	}
	return stdout_closed;
}

/* The summary, written whole into memory and then out at once. */
static int write_summary(FILE *out, const struct summary *sum, bool json)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int rc = 0;

	if (!m)
		abort();
	if (json)
		report_json(m, sum);
	else
		report_text(m, sum);
	if (fclose(m) != 0)
		abort();
	errno = 0;
	if (fwrite(buf, 1, len, out) != len || fflush(out) != 0 || ferror(out)) {
		fprintf(stderr, "tcpsim: cannot write the summary: %s\n",
			strerror(errno ? errno : EIO));
		rc = -1;
	}
	free(buf);
	return rc;
}

/* Why a run that did not finish is an error; 0 when it is not one. */
static int run_failed(enum world_end end, const struct world *w, const struct options *o,
		      int capture_rc, const char *capture_err)
{
	if (end == WORLD_EVENT_LIMIT) {
		uint64_t now = world_now_ns(w);

		fprintf(stderr, "tcpsim: stopped after %" PRIu64 " events at %" PRIu64 ".%09" PRIu64
			" s of virtual time, before the scenario ended (--max-events %" PRIu64
			"; 0 lifts the limit)\n", world_events(w), now / 1000000000u,
			now % 1000000000u, o->max_events);
		return -1;
	}
	if (capture_rc != 0) {
		fprintf(stderr, "tcpsim: %s\n", capture_err);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct options o = { 0 };
	struct outputs outs = { 0 };
	struct output *trace = NULL, *ladder_out = NULL;
	struct ladder *ladder = NULL;
	struct progress progress;
	struct scenario scn;
	struct summary sum;
	struct world *w;
	enum world_end end;
	FILE *summary_out = stdout;
	bool stdout_closed = hold_std_fds();
	char err[1024];
	int status, crc;

	/* tcpsim sweep ...: a grid of runs (sweep_run.h); ./sweep is a scenario file. */
	if (argc > 1 && strcmp(argv[1], "sweep") == 0)
		return sweep_main(argc - 1, argv + 1);
	status = parse_args(argc, argv, &o);
	if (status >= 0) {
		free(o.sets);
		return status;
	}
	status = scenario_load_set(o.scenario, o.sets, o.nsets, &scn, err, sizeof(err));
	free(o.sets);
	if (status != 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		return 2;
	}
	if (check_expect_keys(&scn) != 0) {
		scenario_free(&scn);
		return 2;
	}
	if (o.out_path && scn.capture == CAPTURE_NONE && !o.pcapng) {
		scenario_free(&scn);
		return bad_usage("-o: the scenario captures nothing ('capture: none' in %s)", o.scenario);
	}
	if (is_stdout_name(o.out_path) && is_stdout_name(o.trace_path)) {
		scenario_free(&scn);
		return bad_usage("%s", "-o - and --trace - cannot share standard output");
	}
	if (is_stdout_name(o.ladder_path) &&
	    (is_stdout_name(o.out_path) || is_stdout_name(o.trace_path))) {
		scenario_free(&scn);
		return bad_usage("%s", "--ladder - cannot share standard output with -o - or --trace -");
	}
	if (stdout_closed) {
		fprintf(stderr, "tcpsim: standard output is closed: nowhere to write %s\n",
			is_stdout_name(o.out_path) || is_stdout_name(o.trace_path) ||
			is_stdout_name(o.ladder_path) ? "the output '-'" : "the summary");
		scenario_free(&scn);
		return 2;
	}
	/* With a capture or trace on standard output, the summary goes to stderr. */
	if (is_stdout_name(o.out_path) || is_stdout_name(o.trace_path))
		summary_out = stderr;

	output_install_signals();
	w = world_new(&scn, o.seed_set ? o.seed : scn.seed);
	world_set_max_events(w, o.max_events);
	if (open_captures(w, &scn, &o, &outs) != 0 ||
	    (o.trace_path && !(trace = add_output(&outs, "trace", o.trace_path, &scn))) ||
	    (o.plot_dir && open_plot(w, &scn, &o, &outs) != 0) ||
	    (o.ladder_path && !(ladder_out = add_output(&outs, "ladder", o.ladder_path, &scn)))) {
		world_free(w);
		discard_all(&outs);
		scenario_free(&scn);
		return 2;
	}
	/* -o /dev/stdout, say, or --ladder -: the summary must not land in that output. */
	for (size_t i = 0; i < outs.n; i++)
		if (output_is_fd(outs.o[i], STDOUT_FILENO))
			summary_out = stderr;
	if (trace) {
		struct observer obs = trace_tap_observer(output_stream(trace));
		report_trace_header(output_stream(trace), world_trace_has_cc(w), world_trace_has_rtt(w));
		world_observe(w, &obs);
	}
	if (ladder_out) {
		struct observer obs;
		ladder = ladder_new(output_stream(ladder_out), &o.ladder);
		obs = ladder_observer(ladder);
		world_observe(w, &obs);
	}
	progress_start(&progress, w, stderr, !o.quiet);
	end = world_run(w);
	progress_clear(&progress);
	if (ladder)
		ladder_finish(ladder);
	ladder_free(ladder);
	crc = close_captures(&outs, err, sizeof(err));
	if (run_failed(end, w, &o, crc, err) != 0) {
		world_free(w);
		discard_all(&outs);
		scenario_free(&scn);
		return 2;
	}

	/* The summary first: if it cannot be written, no output changes. */
	summary_collect(&sum, w);
	for (size_t i = 0, n = 0; i < outs.n; i++)
		if (n < 2 && outs.o[i] != trace && outs.o[i] != ladder_out)
			sum.pcap[n++] = output_name(outs.o[i]);
	status = write_summary(summary_out, &sum, o.json) != 0 ? 2 : 0;
	for (size_t i = 0; i < outs.n; i++) {
		if (status != 0) {
			output_discard(outs.o[i]);
		} else if (output_commit(outs.o[i], err, sizeof(err)) != 0) {
			fprintf(stderr, "tcpsim: %s\n", err);
			status = 2;
		}
	}
	outs.n = 0;
	if (outs.plot && status != 0) {
		plot_discard(outs.plot);
	} else if (outs.plot && plot_commit(outs.plot, err, sizeof(err)) != 0) {
		fprintf(stderr, "tcpsim: %s\n", err);
		status = 2;
	}
	if (status == 0 && o.check && report_check(&scn, &sum, stderr) > 0)
		status = 1;
	world_free(w);
	scenario_free(&scn);
	return status;
}
