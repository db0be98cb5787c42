/*
 * plot: the --plot DIR output (see plot.h).
 *
 * While the world runs, the observer writes one row per sample into each
 * host's data files (their temporary names, through output.h); nothing is
 * kept in memory but a few counters, which decide what the script draws:
 * a series with no point would only make gnuplot warn. plot_commit writes
 * the script, puts every file in place, and runs gnuplot on the script:
 * gnuplot writes each picture under a temporary name (the script's 'part'
 * suffix), and the picture is copied into place through output.h only once
 * gnuplot has succeeded, minus the one line of the SVG that names
 * gnuplot's version, so that the same run gives the same bytes anywhere
 * the same gnuplot and fonts are installed.
 *
 * Relative sequence numbers count from the host's ISN (its SYN is 0, its
 * first data byte 1), as Wireshark shows them, in 64 bits so that a
 * transfer past 4 GiB keeps climbing instead of wrapping.
 */
#include "plot.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "link.h"
#include "output.h"
#include "tcp.h"
#include "wire.h"

#define NHOSTS 2
#define WSCALE_MAX 14   /* RFC 7323 §2.3: a larger shift count is taken as 14 */

static const char *const host_names[NHOSTS] = { "client", "server" };

/* A host's data files. */
enum series { SER_CWND, SER_TSEQ, SER_ACK, NSERIES };

static const struct {
	const char *suffix;
	const char *columns;   /* the header's lines after the first (%s: the host) */
} series[NSERIES] = {
	[SER_CWND] = { "-cwnd.dat",
		"# One row per packet the %1$s sent (source 'sent'; what: why it was sent) and\n"
		"# per change of its congestion state (source 'trace'; what: the --trace event).\n"
		"# ssthresh 'inf': not set yet (RFC 5681: arbitrarily high).\n"
		"# time_s cwnd_bytes ssthresh_bytes flight_bytes source what\n" },
	[SER_TSEQ] = { "-tseq.dat",
		"# One row per packet the %1$s sent that takes sequence space (data, SYN, FIN)\n"
		"# or that the link dropped: [seq, end) relative to the %1$s's ISN; kind: new,\n"
		"# retransmit (it starts below the highest sequence number sent before) or ack\n"
		"# (it takes none); fate: the link's verdict; why: the sender's reason.\n"
		"# time_s seq end kind fate why\n" },
	[SER_ACK] = { "-ack.dat",
		"# One row per segment with an ACK the %1$s received intact: the cumulative ACK\n"
		"# and the right edge of the peer's receive window (ACK + window, scaled),\n"
		"# relative to the %1$s's ISN.\n"
		"# time_s ack window_edge\n" },
};

/* The congestion-state changes (trace events) marked on the cwnd plot. */
static const struct {
	const char *event;     /* tcp_trace_event_name() */
	const char *title;
	const char *style;
} markers[] = {
	{ "fast_retransmit", "fast retransmit (3rd duplicate ACK): recovery begins",
	  "pt 9 ps 2.2 lc rgb '#e6550d'" },
	{ "partial_ack", "partial ACK: the next hole retransmitted", "pt 11 ps 2 lc rgb '#9467bd'" },
	{ "recovery_exit", "recovery ends: cwnd deflated", "pt 5 ps 1.4 lc rgb '#2ca02c'" },
	{ "rto", "retransmission timeout: cwnd to one segment", "pt 7 ps 1.6 lc rgb '#000000'" },
};
#define NMARKERS (sizeof(markers) / sizeof(markers[0]))

/* The pictures of each host, in the order the script draws them. */
static const char *const pictures[] = { "-cwnd.svg", "-cwnd.png", "-tseq.svg", "-tseq.png" };
#define NPICTURES (sizeof(pictures) / sizeof(pictures[0]))

struct plot_host {
	struct output *out[NSERIES];
	bool sent_data;              /* a segment with payload: the host is plotted */
	/* Its connection, from the SYN it sent. */
	bool synced;                 /* iss is known */
	uint32_t iss;
	int64_t snd_max;             /* highest relative sequence number sent, plus one */
	bool wscale_offered;         /* its SYN carried the window scale option ... */
	uint8_t wscale;              /* ... with this shift count */
	/* What the script draws. */
	bool ssthresh_set;           /* a finite ssthresh was sampled */
	uint64_t marks[NMARKERS];
	uint64_t new_rows, rexmit_rows, probe_rows, drop_rows, ack_rows;
};

struct plot {
	char *dir;
	bool created;                /* plot_open made dir */
	char *scenario;
	uint64_t seed;
	struct output *script;
	struct plot_host host[NHOSTS];
};

/* dir/base, with no doubled '/'. */
static char *join(const char *dir, const char *base)
{
	size_t ld = strlen(dir);
	size_t need = ld + strlen(base) + 2;
	char *s = malloc(need);

	if (!s)
		abort();
	snprintf(s, need, "%s%s%s", dir, ld && dir[ld - 1] == '/' ? "" : "/", base);
	return s;
}

static char *host_file(const struct plot *p, int host, const char *suffix)
{
	char base[32];

	snprintf(base, sizeof(base), "%s%s", host_names[host], suffix);
	return join(p->dir, base);
}

static void close_all(struct plot *p)
{
	for (int h = 0; h < NHOSTS; h++)
		for (int s = 0; s < NSERIES; s++)
			if (p->host[h].out[s]) {
				output_discard(p->host[h].out[s]);
				p->host[h].out[s] = NULL;
			}
	if (p->script)
		output_discard(p->script);
	p->script = NULL;
}

static void free_plot(struct plot *p)
{
	free(p->dir);
	free(p->scenario);
	free(p);
}

void plot_discard(struct plot *p)
{
	close_all(p);
	if (p->created)
		rmdir(p->dir);
	free_plot(p);
}

struct plot *plot_open(const char *dir, const char *scenario, uint64_t seed, char *err,
		       size_t errlen)
{
	struct plot *p;
	struct stat st;
	bool created = false;
	char *script;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode)) {
			snprintf(err, errlen, "--plot: %s is not a directory", dir);
			return NULL;
		}
	} else if (errno != ENOENT || mkdir(dir, 0777) != 0) {
		snprintf(err, errlen, "--plot: cannot create directory %s: %s", dir, strerror(errno));
		return NULL;
	} else {
		created = true;
	}
	p = calloc(1, sizeof(*p));
	if (!p || !(p->dir = strdup(dir)) || !(p->scenario = strdup(scenario)))
		abort();
	p->created = created;
	p->seed = seed;
	for (int h = 0; h < NHOSTS; h++)
		for (int s = 0; s < NSERIES; s++) {
			char *path = host_file(p, h, series[s].suffix);
			struct output *o = output_open("plot", path, err, errlen);
			FILE *f;

			free(path);
			if (!o) {
				plot_discard(p);
				return NULL;
			}
			p->host[h].out[s] = o;
			f = output_stream(o);
			fprintf(f, "# tcpsim --plot: scenario %s, seed %" PRIu64 ", %s\n", scenario,
				seed, host_names[h]);
			fprintf(f, series[s].columns, host_names[h]);
		}
	script = join(dir, "plots.gp");
	p->script = output_open("plot script", script, err, errlen);
	free(script);
	if (!p->script) {
		plot_discard(p);
		return NULL;
	}
	return p;
}

/* Seconds with nine decimals, as the --trace CSV writes them. */
static void put_time(FILE *f, uint64_t ns)
{
	fprintf(f, "%" PRIu64 ".%09" PRIu64, ns / 1000000000u, ns % 1000000000u);
}

/* x relative to h's ISN, in 64 bits: the value nearest the highest one sent. */
static int64_t rel_seq(const struct plot_host *h, uint32_t x)
{
	return h->snd_max + (int32_t)(x - h->iss - (uint32_t)h->snd_max);
}

static void cwnd_row(struct plot_host *h, uint64_t time_ns, uint64_t cwnd, uint64_t ssthresh,
		     uint64_t flight, const char *source, const char *what)
{
	FILE *f = output_stream(h->out[SER_CWND]);

	put_time(f, time_ns);
	fprintf(f, " %" PRIu64 " ", cwnd);
	if (ssthresh == UINT64_MAX)
		fputs("inf", f);
	else
		fprintf(f, "%" PRIu64, ssthresh);
	fprintf(f, " %" PRIu64 " %s %s\n", flight, source, what);
	if (ssthresh != UINT64_MAX)
		h->ssthresh_set = true;
}

static void on_sent(struct plot *p, const struct pkt_event *ev)
{
	struct plot_host *h = &p->host[ev->from];
	const struct tcp_seg *s = ev->seg;
	const struct tcp_why *why = ev->why;
	bool dropped = link_fate_dropped(ev->verdict->fate);
	uint32_t space = s->len + ((s->flags & TH_SYN) != 0) + ((s->flags & TH_FIN) != 0);
	int64_t seq;
	const char *kind;
	FILE *f;

	/* No congestion window before the peer's SYN has set one (nor in the
	 * world's own RST, which no endpoint sent): nothing to draw. */
	if (why->cwnd_bytes != 0)
		cwnd_row(h, ev->time_ns, why->cwnd_bytes, why->ssthresh_bytes, why->flight_bytes,
			 "sent", tcp_why_kind_name(why->kind));
	if (s->len > 0)
		h->sent_data = true;
	/* A SYN with a new ISN starts the sequence numbers afresh. */
	if ((s->flags & TH_SYN) && (!h->synced || s->seq != h->iss)) {
		h->synced = true;
		h->iss = s->seq;
		h->snd_max = 0;
	}
	if (s->flags & TH_SYN) {
		h->wscale_offered = s->opt.has_wscale;
		h->wscale = s->opt.wscale;
	}
	if (!h->synced || (space == 0 && !dropped))
		return;
	seq = rel_seq(h, s->seq);
	if (space == 0) {
		kind = "ack";
	} else if (seq < h->snd_max) {
		kind = "retransmit";
		h->rexmit_rows++;
	} else {
		kind = "new";
		h->new_rows++;
	}
	if (seq + space > h->snd_max)
		h->snd_max = seq + space;
	if (why->kind == TCP_WHY_PROBE)
		h->probe_rows++;
	if (dropped)
		h->drop_rows++;
	f = output_stream(h->out[SER_TSEQ]);
	put_time(f, ev->time_ns);
	fprintf(f, " %" PRId64 " %" PRId64 " %s %s %s\n", seq, seq + space, kind,
		link_fate_name(ev->verdict->fate), tcp_why_kind_name(why->kind));
}

static void on_arrived(struct plot *p, const struct pkt_event *ev)
{
	struct plot_host *h = &p->host[ev->at];
	const struct plot_host *peer = &p->host[ev->from];
	const struct tcp_seg *s = ev->seg;
	unsigned shift = 0;
	int64_t ack;
	FILE *f;

	if (!s || !(s->flags & TH_ACK) || !h->synced)
		return;
	/* RFC 7323 §2.2: scaled only when both SYNs offered it, and never in a SYN. */
	if (!(s->flags & TH_SYN) && h->wscale_offered && peer->wscale_offered)
		shift = peer->wscale < WSCALE_MAX ? peer->wscale : WSCALE_MAX;
	ack = rel_seq(h, s->ack);
	h->ack_rows++;
	f = output_stream(h->out[SER_ACK]);
	put_time(f, ev->time_ns);
	fprintf(f, " %" PRId64 " %" PRId64 "\n", ack, ack + ((int64_t)s->wnd << shift));
}

static bool plot_packet(void *ctx, const struct pkt_event *ev)
{
	if (ev->kind == PKT_SENT)
		on_sent(ctx, ev);
	else
		on_arrived(ctx, ev);
	return true;
}

static void plot_trace(void *ctx, const struct trace_row *row)
{
	struct plot *p = ctx;
	struct plot_host *h = &p->host[row->host];

	/* An RTT sample changes no window: the ack row of the same ACK has it. */
	if (strcmp(row->event, "rtt_sample") == 0)
		return;
	cwnd_row(h, row->time_ns, row->cwnd_bytes, row->ssthresh_bytes, row->flight_bytes,
		 "trace", row->event);
	for (size_t i = 0; i < NMARKERS; i++)
		if (strcmp(row->event, markers[i].event) == 0)
			h->marks[i]++;
}

struct observer plot_observer(struct plot *p)
{
	struct observer o = { .ctx = p, .packet = plot_packet, .trace = plot_trace };
	return o;
}

/* s as a gnuplot single-quoted string (a quote doubled, a control character '?'). */
static void put_quoted(FILE *f, const char *s)
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

/* The settings a host's picture starts from: its title and its axes. */
static void put_preamble(FILE *f, const struct plot *p, int host, const char *what,
			 const char *ylabel)
{
	char title[512];

	fprintf(f, "\n# The %s's %s.\nreset\n", host_names[host], what);
	snprintf(title, sizeof(title), "%s, seed %" PRIu64 ": the %s's %s", p->scenario, p->seed,
		 host_names[host], what);
	fputs("set title ", f);
	put_quoted(f, title);
	fprintf(f, "\nset xlabel 'time (s)'\n"
		   "set ylabel '%s'\n"
		   "set format y '%%.0f'\n"
		   "set grid\n"
		   "set key below\n", ylabel);
}

/* The loop that draws the plot command that follows into NAME.svg and NAME.png. */
static void put_render_loop(FILE *f, int host, const char *picture)
{
	fprintf(f, "do for [fmt in 'svg png'] {\n"
		   "\tif (fmt eq 'svg') { eval svg } else { eval png }\n"
		   "\tset output dir.'%s%s.'.fmt.part\n", host_names[host], picture);
}

static void put_end_loop(FILE *f)
{
	fputs("\tunset output\n}\n", f);
}

/* Joins the plot command's parts: the first after "plot", the rest after ", \". */
static void put_sep(FILE *f, bool *first)
{
	fputs(*first ? "\tplot " : ", \\\n\t     ", f);
	*first = false;
}

static void put_cwnd_plot(FILE *f, const struct plot *p, int host)
{
	const struct plot_host *h = &p->host[host];
	bool first = true;

	put_preamble(f, p, host, "congestion window, ssthresh and bytes in flight", "bytes");
	fputs("set yrange [0:*]\n", f);
	if (!h->ssthresh_set)
		fputs("set label 1 'ssthresh: infinite throughout (no loss), not drawn'"
		      " at graph 0.99, graph 0.04 right\n", f);
	fprintf(f, "data = dir.'%s%s'\n", host_names[host], series[SER_CWND].suffix);
	put_render_loop(f, host, "-cwnd");
	put_sep(f, &first);
	fputs("data using 1:2 with steps lw 2 lc rgb '#1f77b4' title 'cwnd'", f);
	if (h->ssthresh_set) {
		put_sep(f, &first);
		fputs("data using 1:3 with steps lw 2 dt 2 lc rgb '#d62728'"
		      " title 'ssthresh (not drawn while infinite)'", f);
	}
	put_sep(f, &first);
	fputs("data using 1:4 with steps lw 1 lc rgb '#7f7f7f'"
	      " title 'flight (sent, not yet acknowledged)'", f);
	for (size_t i = 0; i < NMARKERS; i++) {
		if (!h->marks[i])
			continue;
		put_sep(f, &first);
		fprintf(f, "data using 1:(strcol(5) eq 'trace' && strcol(6) eq '%s' ? $2 : NaN)"
			   " with points %s title '%s'", markers[i].event, markers[i].style,
			markers[i].title);
	}
	fputc('\n', f);
	put_end_loop(f);
}

static void put_tseq_plot(FILE *f, const struct plot *p, int host)
{
	const struct plot_host *h = &p->host[host];
	bool first = true;

	put_preamble(f, p, host, "time-sequence graph", "relative sequence number (bytes)");
	/* The window's edge may run far above the data: let it leave the top. */
	fprintf(f, "set yrange [0:%" PRId64 "]\n", h->snd_max + h->snd_max / 10 + 1);
	fprintf(f, "tseq = dir.'%s%s'\n", host_names[host], series[SER_TSEQ].suffix);
	fprintf(f, "ack = dir.'%s%s'\n", host_names[host], series[SER_ACK].suffix);
	put_render_loop(f, host, "-tseq");
	if (h->ack_rows) {
		put_sep(f, &first);
		fputs("ack using 1:3 with steps lw 1 lc rgb '#a0a0a0'"
		      " title \"receive window's right edge (ACK + window)\"", f);
		put_sep(f, &first);
		fputs("ack using 1:2 with steps lw 2 lc rgb '#2ca02c' title 'cumulative ACK received'",
		      f);
	}
	if (h->new_rows) {
		put_sep(f, &first);
		fputs("tseq using 1:(strcol(4) eq 'new' ? $2 : NaN):(0):($3 - $2) with vectors nohead"
		      " lw 2 lc rgb '#1f77b4' title 'segment sent (new data)'", f);
	}
	if (h->rexmit_rows) {
		put_sep(f, &first);
		fputs("tseq using 1:(strcol(4) eq 'retransmit' ? $2 : NaN):(0):($3 - $2) with vectors"
		      " nohead lw 3 lc rgb '#d62728' notitle", f);
		put_sep(f, &first);
		fputs("tseq using 1:(strcol(4) eq 'retransmit' ? ($2 + $3) / 2 : NaN) with points"
		      " pt 6 ps 1.8 lw 2 lc rgb '#d62728' title 'retransmission'", f);
	}
	if (h->probe_rows) {
		put_sep(f, &first);
		fputs("tseq using 1:(strcol(6) eq 'window_probe' ? $3 : NaN) with points"
		      " pt 4 ps 1.2 lw 2 lc rgb '#9467bd' title 'zero-window probe'", f);
	}
	if (h->drop_rows) {
		put_sep(f, &first);
		fputs("tseq using 1:(strcol(5) ne 'accepted' ? $2 : NaN) with points"
		      " pt 2 ps 2 lw 2 lc rgb '#000000' title 'dropped by the link (when sent)'", f);
	}
	fputc('\n', f);
	put_end_loop(f);
}

static void write_script(FILE *f, const struct plot *p)
{
	fputs("# tcpsim --plot: scenario ", f);
	fprintf(f, "%s, seed %" PRIu64 ".\n", p->scenario, p->seed);
	fputs("# For each sender, its congestion window (NAME-cwnd) and its time-sequence\n"
	      "# graph (NAME-tseq), drawn from the .dat files beside this script into SVG\n"
	      "# and PNG files beside it:  gnuplot PATH/TO/plots.gp  (from any directory).\n"
	      "\n"
	      "# The directory of this script, from its name as gnuplot was given it.\n"
	      "dir = ''\n"
	      "do for [i = strlen(ARG0):1:-1] { if (dir eq '' && ARG0[i:i] eq '/') { dir = ARG0[1:i] } }\n"
	      "# A suffix for the pictures while they are drawn (tcpsim sets it).\n"
	      "if (!exists('part')) { part = '' }\n"
	      "svg = \"set terminal svg size 1000,640 fixed noenhanced font 'Sans,11'"
	      " background rgb 'white'\"\n"
	      "png = \"set terminal pngcairo size 1000,640 noenhanced font 'Sans,10'"
	      " background rgb 'white'\"\n", f);
	for (int host = 0; host < NHOSTS; host++) {
		if (!p->host[host].sent_data)
			continue;
		put_cwnd_plot(f, p, host);
		put_tseq_plot(f, p, host);
	}
}

/* gnuplot's path when PATH has it (an empty entry is the working directory), else NULL. */
static char *find_gnuplot(void)
{
	const char *s = getenv("PATH");

	while (s) {
		const char *end = strchr(s, ':');
		size_t n = end ? (size_t)(end - s) : strlen(s);
		char *dir = n ? strndup(s, n) : strdup(".");
		char *cand;
		struct stat st;

		if (!dir)
			abort();
		cand = join(dir, "gnuplot");
		free(dir);
		if (access(cand, X_OK) == 0 && stat(cand, &st) == 0 && S_ISREG(st.st_mode))
			return cand;
		free(cand);
		s = end ? end + 1 : NULL;
	}
	return NULL;
}

/*
 * Runs gnuplot on script, without a shell and without the user's
 * initialization files (-d), its output on our standard error. 0, or -1
 * with err set.
 */
static int run_gnuplot(const char *gnuplot, const char *script, const char *part, char *err,
		       size_t errlen)
{
	char assign[64], *arg;
	int status;
	pid_t pid;

	snprintf(assign, sizeof(assign), "part='%s'", part);
	/* A name that starts with '-' would be taken for an option. */
	arg = malloc(strlen(script) + 3);
	if (!arg)
		abort();
	sprintf(arg, "%s%s", script[0] == '-' ? "./" : "", script);
	pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "cannot run %s: %s", gnuplot, strerror(errno));
		free(arg);
		return -1;
	}
	if (pid == 0) {
		char *argv[] = { "gnuplot", "-d", "-e", assign, arg, NULL };

		/* Our standard output may be a capture (-o -): never gnuplot's. */
		dup2(STDERR_FILENO, STDOUT_FILENO);
		execv(gnuplot, argv);
		_exit(127);
	}
	free(arg);
	/* No signal handler here returns (output.h's end the process): no EINTR. */
	if (waitpid(pid, &status, 0) != pid) {
		snprintf(err, errlen, "cannot wait for gnuplot: %s", strerror(errno));
		return -1;
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
		return 0;
	if (WIFEXITED(status))
		snprintf(err, errlen, "gnuplot failed on %s (exit status %d); the data and the"
			 " script are in place", script, WEXITSTATUS(status));
	else
		snprintf(err, errlen, "gnuplot failed on %s (signal %d); the data and the"
			 " script are in place", script, WTERMSIG(status));
	return -1;
}

/* The line of gnuplot's SVG that names its version. */
static bool svg_version_line(const char *line)
{
	static const char desc[] = "<desc>Produced by GNUPLOT";

	return strncmp(line, desc, sizeof(desc) - 1) == 0;
}

/* Copies the picture gnuplot drew at temp into final, through output.h. */
static int install_picture(const char *temp, const char *final, bool svg, char *err,
			   size_t errlen)
{
	FILE *in = fopen(temp, "rb");
	struct output *o;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int e;

	if (!in) {
		snprintf(err, errlen, "gnuplot did not draw %s: %s", final, strerror(errno));
		return -1;
	}
	o = output_open("plot", final, err, errlen);
	if (!o) {
		fclose(in);
		return -1;
	}
	while ((n = getline(&line, &cap, in)) != -1)
		if (!svg || !svg_version_line(line))
			fwrite(line, 1, (size_t)n, output_stream(o));
	e = ferror(in) ? errno : 0;
	free(line);
	fclose(in);
	if (e) {
		snprintf(err, errlen, "cannot read %s: %s", temp, strerror(e));
		output_discard(o);
		return -1;
	}
	return output_commit(o, err, errlen);
}

int plot_draw(const char *script, const char *const *pics, size_t n, char *err,
	      size_t errlen)
{
	char *gnuplot = find_gnuplot();
	char part[48];
	int rc;

	if (!gnuplot)
		return 1;
	snprintf(part, sizeof(part), ".%ld.gnuplot.part", (long)getpid());
	rc = run_gnuplot(gnuplot, script, part, err, errlen);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(pics[i]);
		char *temp = malloc(len + strlen(part) + 1);

		if (!temp)
			abort();
		strcpy(temp, pics[i]);
		strcat(temp, part);
		if (rc == 0)
			rc = install_picture(temp, pics[i],
					     len >= 4 && strcmp(pics[i] + len - 4, ".svg") == 0,
					     err, errlen);
		unlink(temp);
		free(temp);
	}
	free(gnuplot);
	return rc;
}

/* Draws the pictures of the plotted hosts with gnuplot, when it is on PATH. */
static int render(const struct plot *p, char *err, size_t errlen)
{
	char *script = join(p->dir, "plots.gp");
	char *finals[NHOSTS * NPICTURES];
	size_t n = 0;
	int rc;

	for (int h = 0; h < NHOSTS; h++) {
		if (!p->host[h].sent_data)
			continue;
		for (size_t i = 0; i < NPICTURES; i++)
			finals[n++] = host_file(p, h, pictures[i]);
	}
	rc = plot_draw(script, (const char *const *)finals, n, err, errlen);
	if (rc == 1) {
		fprintf(stderr, "tcpsim: gnuplot is not on PATH; to draw the plots: gnuplot %s\n",
			script);
		rc = 0;
	}
	for (size_t i = 0; i < n; i++)
		free(finals[i]);
	free(script);
	return rc;
}

int plot_commit(struct plot *p, char *err, size_t errlen)
{
	int rc = 0, plotted = 0;

	for (int h = 0; h < NHOSTS; h++) {
		if (p->host[h].sent_data) {
			plotted++;
			continue;
		}
		for (int s = 0; s < NSERIES; s++) {
			output_discard(p->host[h].out[s]);
			p->host[h].out[s] = NULL;
		}
	}
	if (!plotted) {
		fprintf(stderr, "tcpsim: --plot: no host sent data; nothing to plot\n");
		plot_discard(p);
		return 0;
	}
	write_script(output_stream(p->script), p);
	for (int h = 0; h < NHOSTS && rc == 0; h++)
		for (int s = 0; s < NSERIES && rc == 0; s++) {
			if (!p->host[h].out[s])
				continue;
			rc = output_commit(p->host[h].out[s], err, errlen);
			p->host[h].out[s] = NULL;
		}
	if (rc == 0) {
		rc = output_commit(p->script, err, errlen);
		p->script = NULL;
	}
	if (rc == 0)
		rc = render(p, err, errlen);
	close_all(p);
	free_plot(p);
	return rc;
}
