/*
 * check_plot: the --plot observer (sim/plot.c), fed packet events and trace
 * rows by hand, its data files read back whole.
 *
 * Time-sequence rows: relative numbers across 2^32 (ISN 0xFFFFFF00), new
 * data and retransmissions told apart by the highest sequence number sent
 * (a SYN, a FIN and a segment that runs on into new data included), a
 * dropped pure ACK listed, an accepted one not, and a new ISN starting the
 * numbers afresh. ACK rows: the window scaled only when both SYNs offered
 * it, never in a SYN, at most by 14; damaged and ACK-less arrivals left
 * out. cwnd rows: none before the window is set, ssthresh 'inf' while it is
 * infinite, trace rows beside packet rows. The script: only the marks and
 * series that have points, the title quoted, and only the hosts that sent
 * data. plot_open's refusals, and plot_discard removing only what it made.
 * Rendering: gnuplot found on PATH (a directory or a file without execute
 * permission by that name passed over), the pictures copied into place
 * (the SVG without its version line), gnuplot's failure reported with
 * nothing drawn left behind; and, when gnuplot is installed, the real one
 * drawing PNG and SVG from the script.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "plot.h"

#define ISS 0xFFFFFF00u          /* the client's: its sequence numbers wrap */
#define SERVER_ISS 0x1000u
#define MS 1000000u

static char dir[256];
static char *real_path;          /* PATH as the tests were started with */
static char plots[300];          /* dir/plots, the directory given to plot_open */
static struct plot *pl;
static struct observer obs;

static void make_dir(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, sizeof(dir), "%s/check_plot.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(plots, sizeof(plots), "%s/plots", dir);
}

static void start(const char *scenario, uint64_t seed)
{
	char err[512] = "";

	make_dir();
	pl = plot_open(plots, scenario, seed, err, sizeof(err));
	ck_assert_msg(pl != NULL, "%s", err);
	obs = plot_observer(pl);
}

/* Commits with PATH path (NULL: unset); plot_commit's result, its message in err. */
static int commit_with(const char *path, char *err, size_t errlen)
{
	if (path)
		ck_assert_int_eq(setenv("PATH", path, 1), 0);
	else
		ck_assert_int_eq(unsetenv("PATH"), 0);
	err[0] = '\0';
	return plot_commit(pl, err, errlen);
}

/* Commits with gnuplot out of reach: the data and the script only. */
static void commit(void)
{
	char err[512];

	ck_assert_msg(commit_with("/nonexistent", err, sizeof(err)) == 0, "%s", err);
}

/* Names in path, sorted, joined by spaces. */
static const char *listing(const char *path)
{
	static char out[1024];
	struct dirent **names;
	int n = scandir(path, &names, NULL, alphasort);

	out[0] = '\0';
	ck_assert_int_ge(n, 0);
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			if (out[0])
				strcat(out, " ");
			strcat(out, names[i]->d_name);
		}
		free(names[i]);
	}
	free(names);
	return out;
}

/* plots/name whole, or with want_data only its rows (not its # lines). */
static const char *read_plot_file(const char *name, int want_data)
{
	static char buf[1 << 18];
	char path[400], line[512];
	size_t n = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", plots, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s is missing", path);
	buf[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (want_data && line[0] == '#')
			continue;
		ck_assert_uint_lt(n + strlen(line), sizeof(buf));
		strcpy(buf + n, line);
		n += strlen(line);
	}
	fclose(f);
	return buf;
}

static const char *rows(const char *name) { return read_plot_file(name, 1); }
static const char *script(void) { return read_plot_file("plots.gp", 0); }

/* Removes path and what is in it, two levels deep (dir/plots/NAME). */
static void remove_tree(const char *path, int depth)
{
	struct dirent **names;
	int n = scandir(path, &names, NULL, NULL);
	char sub[600];

	for (int i = 0; i < n; i++) {
		if (strcmp(names[i]->d_name, ".") != 0 && strcmp(names[i]->d_name, "..") != 0) {
			snprintf(sub, sizeof(sub), "%s/%s", path, names[i]->d_name);
			if (unlink(sub) != 0 && depth > 0)
				remove_tree(sub, depth - 1);
		}
		free(names[i]);
	}
	free(names);
	ck_assert_int_eq(rmdir(path), 0);
}

static void remove_all(void) { remove_tree(dir, 2); }

static struct tcp_seg seg(uint32_t seq, uint8_t flags, uint32_t len)
{
	struct tcp_seg s = { .seq = seq, .flags = flags, .len = len };
	return s;
}

static const struct tcp_why WHY = {
	.kind = TCP_WHY_DATA, .cwnd_bytes = 14600, .ssthresh_bytes = UINT64_MAX,
};

static struct tcp_why why_of(enum tcp_why_kind kind)
{
	struct tcp_why w = WHY;

	w.kind = kind;
	return w;
}

static void sent(enum host_id from, uint64_t t, struct tcp_seg s, struct tcp_why why,
		 enum link_fate fate)
{
	struct link_verdict v = { .fate = fate };
	struct pkt_event ev = {
		.kind = PKT_SENT, .time_ns = t, .from = from, .at = from,
		.seg = &s, .why = &why, .verdict = &v,
	};

	ck_assert(obs.packet(obs.ctx, &ev));
}

/* s arrives at host at (NULL: its checksum failed). */
static void arrived(enum host_id at, uint64_t t, const struct tcp_seg *s)
{
	struct link_verdict v = { .fate = LINK_ACCEPTED };
	struct pkt_event ev = {
		.kind = PKT_ARRIVED, .time_ns = t, .from = (enum host_id)(1 - at), .at = at,
		.seg = s, .verdict = &v, .checksum_bad = s == NULL,
	};

	ck_assert(obs.packet(obs.ctx, &ev));
}

static void traced(enum host_id host, uint64_t t, const char *event, uint64_t cwnd,
		   uint64_t ssthresh, uint64_t flight)
{
	struct trace_row r = {
		.time_ns = t, .endpoint = host == HOST_CLIENT ? "client" : "server", .host = host,
		.event = event, .cwnd_bytes = cwnd, .ssthresh_bytes = ssthresh,
		.flight_bytes = flight, .state = "open",
	};

	obs.trace(obs.ctx, &r);
}

static struct tcp_why syn_why(void)
{
	struct tcp_why w = why_of(TCP_WHY_SYN);

	w.cwnd_bytes = 0;           /* not set before the peer's SYN */
	w.ssthresh_bytes = 0;
	return w;
}

/* The time-sequence graph. */

START_TEST(tseq_rows)
{
	struct tcp_why syn = syn_why();

	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn, LINK_ACCEPTED);
	syn.kind = TCP_WHY_SYN_RETRANSMIT;
	sent(HOST_CLIENT, MS / 2, seg(ISS, TH_SYN, 0), syn, LINK_DROP_BLACKOUT);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 100), WHY, LINK_ACCEPTED);
	/* 101 to 401 crosses 2^32 in absolute numbers. */
	sent(HOST_CLIENT, 2 * MS, seg(ISS + 101, TH_ACK, 300), WHY, LINK_ACCEPTED);
	sent(HOST_CLIENT, 3 * MS, seg(ISS + 401, TH_ACK, 0), why_of(TCP_WHY_ACK), LINK_ACCEPTED);
	sent(HOST_CLIENT, 4 * MS, seg(ISS + 401, TH_ACK, 0), why_of(TCP_WHY_ACK), LINK_DROP_LOSS);
	sent(HOST_CLIENT, 5 * MS, seg(ISS + 1, TH_ACK, 100), why_of(TCP_WHY_FAST_RETRANSMIT),
	     LINK_DROP_QUEUE);
	/* Starts below the highest sent, runs on past it: a retransmission. */
	sent(HOST_CLIENT, 6 * MS, seg(ISS + 301, TH_ACK, 200), why_of(TCP_WHY_RETRANSMIT),
	     LINK_DROP_SCRIPTED);
	sent(HOST_CLIENT, 7 * MS, seg(ISS + 501, TH_ACK | TH_FIN, 0), why_of(TCP_WHY_FIN),
	     LINK_ACCEPTED);
	sent(HOST_CLIENT, 8 * MS, seg(ISS + 501, TH_ACK | TH_FIN, 0), why_of(TCP_WHY_FIN),
	     LINK_ACCEPTED);
	sent(HOST_CLIENT, 9 * MS, seg(ISS + 502, TH_ACK, 0), why_of(TCP_WHY_ACK), LINK_ACCEPTED);
	commit();
	ck_assert_str_eq(rows("client-tseq.dat"),
			 "0.000000000 0 1 new accepted syn\n"
			 "0.000500000 0 1 retransmit blackout syn_retransmit\n"
			 "0.001000000 1 101 new accepted data\n"
			 "0.002000000 101 401 new accepted data\n"
			 "0.004000000 401 401 ack random_loss ack\n"
			 "0.005000000 1 101 retransmit queue_full fast_retransmit\n"
			 "0.006000000 301 501 retransmit drop_list retransmit\n"
			 "0.007000000 501 502 new accepted fin\n"
			 "0.008000000 501 502 retransmit accepted fin\n");
	/* The graph leaves a tenth above the highest sequence number. */
	ck_assert_ptr_nonnull(strstr(script(), "set yrange [0:553]\n"));
	ck_assert_ptr_nonnull(strstr(script(), "'retransmit' ? ($2 + $3) / 2"));
	ck_assert_ptr_nonnull(strstr(script(), "strcol(5) ne 'accepted'"));
	ck_assert_ptr_null(strstr(script(), "window_probe"));
	remove_all();
}
END_TEST

START_TEST(new_isn_starts_afresh)
{
	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 1000), WHY, LINK_ACCEPTED);
	/* A second connection: its SYN is 0 again, its data new. */
	sent(HOST_CLIENT, 2 * MS, seg(5000, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_CLIENT, 3 * MS, seg(5001, TH_ACK, 10), WHY, LINK_ACCEPTED);
	commit();
	ck_assert_str_eq(rows("client-tseq.dat"),
			 "0.000000000 0 1 new accepted syn\n"
			 "0.001000000 1 1001 new accepted data\n"
			 "0.002000000 0 1 new accepted syn\n"
			 "0.003000000 1 11 new accepted data\n");
	remove_all();
}
END_TEST

START_TEST(probes_and_data_before_a_syn)
{
	start("t", 1);
	/* Nothing to number before the host's SYN (its cwnd row stays). */
	sent(HOST_CLIENT, 0, seg(7, TH_ACK, 10), WHY, LINK_DROP_LOSS);
	sent(HOST_CLIENT, 1 * MS, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_CLIENT, 2 * MS, seg(ISS + 1, TH_ACK, 1), why_of(TCP_WHY_PROBE), LINK_ACCEPTED);
	commit();
	ck_assert_str_eq(rows("client-tseq.dat"),
			 "0.001000000 0 1 new accepted syn\n"
			 "0.002000000 1 2 new accepted window_probe\n");
	ck_assert_ptr_nonnull(strstr(script(), "strcol(6) eq 'window_probe' ? $3"));
	ck_assert_ptr_null(strstr(script(), "'retransmit'"));
	ck_assert_ptr_null(strstr(script(), "'accepted'"));
	remove_all();
}
END_TEST

/* The ACK line and the window's edge. */

static const struct window_case {
	const char *name;
	bool client_offers, server_offers;
	uint8_t server_shift;
	uint16_t wnd;
	const char *second_row;    /* the ACK of 101 with window wnd */
} window_cases[] = {
	{ "both offer", true, true, 3, 1000, "0.003000000 101 8101\n" },
	{ "client does not", false, true, 3, 1000, "0.003000000 101 1101\n" },
	{ "server does not", true, false, 3, 1000, "0.003000000 101 1101\n" },
	{ "shift 15 is 14", true, true, 15, 2, "0.003000000 101 32869\n" },
	{ "shift 14", true, true, 14, 2, "0.003000000 101 32869\n" },
	{ "shift 0", true, true, 0, 65535, "0.003000000 101 65636\n" },
};

START_TEST(ack_rows)
{
	const struct window_case *c = &window_cases[_i];
	struct tcp_seg syn = seg(ISS, TH_SYN, 0), synack = seg(SERVER_ISS, TH_SYN | TH_ACK, 0);
	struct tcp_seg ack, noack = seg(SERVER_ISS + 1, 0, 0);
	char want[128];

	start("t", 1);
	/* Before the client's SYN: nothing to measure against. */
	ack = seg(SERVER_ISS + 1, TH_ACK, 0);
	ack.ack = ISS + 1;
	arrived(HOST_CLIENT, 0, &ack);
	syn.opt.has_wscale = c->client_offers;
	syn.opt.wscale = 7;
	sent(HOST_CLIENT, 0, syn, syn_why(), LINK_ACCEPTED);
	synack.opt.has_wscale = c->server_offers;
	synack.opt.wscale = c->server_shift;
	synack.ack = ISS + 1;
	synack.wnd = 1000;
	sent(HOST_SERVER, 1 * MS, synack, why_of(TCP_WHY_SYN_ACK), LINK_ACCEPTED);
	arrived(HOST_CLIENT, 2 * MS, &synack);   /* a SYN's window is never scaled */
	sent(HOST_CLIENT, 2 * MS, seg(ISS + 1, TH_ACK, 100), WHY, LINK_ACCEPTED);
	ack = seg(SERVER_ISS + 1, TH_ACK, 0);
	ack.ack = ISS + 101;
	ack.wnd = c->wnd;
	arrived(HOST_CLIENT, 3 * MS, &ack);
	arrived(HOST_CLIENT, 4 * MS, NULL);      /* a checksum failed */
	arrived(HOST_CLIENT, 5 * MS, &noack);    /* no ACK */
	commit();
	snprintf(want, sizeof(want), "0.002000000 1 1001\n%s", c->second_row);
	ck_assert_msg(strcmp(rows("client-ack.dat"), want) == 0, "%s: '%s', want '%s'", c->name,
		      rows("client-ack.dat"), want);
	ck_assert_ptr_nonnull(strstr(script(), "ack using 1:2 with steps"));
	remove_all();
}
END_TEST

START_TEST(no_ack_no_ack_line)
{
	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 10), WHY, LINK_ACCEPTED);
	commit();
	ck_assert_str_eq(rows("client-ack.dat"), "");
	ck_assert_ptr_null(strstr(script(), "ack using"));
	ck_assert_ptr_nonnull(strstr(script(), "strcol(4) eq 'new'"));
	remove_all();
}
END_TEST

/* The congestion window. */

START_TEST(cwnd_rows)
{
	struct tcp_why w = WHY;

	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	w.flight_bytes = 1460;
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 1460), w, LINK_ACCEPTED);
	traced(HOST_CLIENT, 2 * MS, "rto", 1460, 7300, 0);
	w.kind = TCP_WHY_RTO_RETRANSMIT;
	w.cwnd_bytes = 1460;
	w.ssthresh_bytes = 7300;
	sent(HOST_CLIENT, 2 * MS, seg(ISS + 1, TH_ACK, 1460), w, LINK_ACCEPTED);
	traced(HOST_SERVER, 3 * MS, "ack", 1, 2, 3);
	commit();
	ck_assert_str_eq(rows("client-cwnd.dat"),
			 "0.001000000 14600 inf 1460 sent data\n"
			 "0.002000000 1460 7300 0 trace rto\n"
			 "0.002000000 1460 7300 1460 sent rto_retransmit\n");
	ck_assert_ptr_nonnull(strstr(script(), "strcol(6) eq 'rto' ? $2 : NaN) with points"));
	ck_assert_ptr_null(strstr(script(), "'fast_retransmit'"));
	ck_assert_ptr_null(strstr(script(), "'partial_ack'"));
	ck_assert_ptr_null(strstr(script(), "'recovery_exit'"));
	ck_assert_ptr_nonnull(strstr(script(), "data using 1:3 with steps"));
	ck_assert_ptr_null(strstr(script(), "infinite throughout"));
	remove_all();
}
END_TEST

START_TEST(ssthresh_never_set)
{
	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 10), WHY, LINK_ACCEPTED);
	traced(HOST_CLIENT, 2 * MS, "fast_retransmit", 3, UINT64_MAX, 4);
	traced(HOST_CLIENT, 3 * MS, "partial_ack", 5, UINT64_MAX, 6);
	traced(HOST_CLIENT, 4 * MS, "recovery_exit", 7, UINT64_MAX, 8);
	commit();
	ck_assert_str_eq(rows("client-cwnd.dat"),
			 "0.001000000 14600 inf 0 sent data\n"
			 "0.002000000 3 inf 4 trace fast_retransmit\n"
			 "0.003000000 5 inf 6 trace partial_ack\n"
			 "0.004000000 7 inf 8 trace recovery_exit\n");
	ck_assert_ptr_null(strstr(script(), "data using 1:3 with steps"));
	ck_assert_ptr_nonnull(strstr(script(), "infinite throughout"));
	ck_assert_ptr_nonnull(strstr(script(), "'fast_retransmit' ? $2"));
	ck_assert_ptr_nonnull(strstr(script(), "'partial_ack' ? $2"));
	ck_assert_ptr_nonnull(strstr(script(), "'recovery_exit' ? $2"));
	ck_assert_ptr_null(strstr(script(), "'rto'"));
	remove_all();
}
END_TEST

/* The files and the script. */

START_TEST(only_senders_of_data)
{
	start("it's", 5);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_SERVER, 0, seg(SERVER_ISS, TH_SYN | TH_ACK, 0), why_of(TCP_WHY_SYN_ACK),
	     LINK_ACCEPTED);
	sent(HOST_SERVER, 1 * MS, seg(SERVER_ISS + 1, TH_ACK, 0), why_of(TCP_WHY_ACK),
	     LINK_ACCEPTED);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 1), WHY, LINK_ACCEPTED);
	commit();
	ck_assert_str_eq(listing(plots), "client-ack.dat client-cwnd.dat client-tseq.dat plots.gp");
	ck_assert_ptr_null(strstr(script(), "server"));
	ck_assert_ptr_nonnull(strstr(script(), "set title 'it''s, seed 5: the client''s congestion"
					       " window, ssthresh and bytes in flight'\n"));
	ck_assert_ptr_nonnull(strstr(script(), "set title 'it''s, seed 5: the client''s"
					       " time-sequence graph'\n"));
	ck_assert_ptr_nonnull(strstr(read_plot_file("client-tseq.dat", 0),
				     "# tcpsim --plot: scenario it's, seed 5, client\n# One row"));
	remove_all();
}
END_TEST

START_TEST(both_send_data)
{
	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_SERVER, 0, seg(SERVER_ISS, TH_SYN | TH_ACK, 0), why_of(TCP_WHY_SYN_ACK),
	     LINK_ACCEPTED);
	sent(HOST_SERVER, 1 * MS, seg(SERVER_ISS + 1, TH_ACK, 5), WHY, LINK_ACCEPTED);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 1), WHY, LINK_ACCEPTED);
	commit();
	ck_assert_str_eq(listing(plots), "client-ack.dat client-cwnd.dat client-tseq.dat plots.gp"
					 " server-ack.dat server-cwnd.dat server-tseq.dat");
	ck_assert_str_eq(rows("server-tseq.dat"),
			 "0.000000000 0 1 new accepted syn_ack\n"
			 "0.001000000 1 6 new accepted data\n");
	ck_assert_ptr_nonnull(strstr(script(), "set output dir.'server-tseq.'.fmt.part\n"));
	ck_assert_ptr_nonnull(strstr(script(), "set output dir.'client-cwnd.'.fmt.part\n"));
	remove_all();
}
END_TEST

START_TEST(nothing_sent)
{
	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	commit();
	/* plot_open made the directory: it goes again. */
	ck_assert_int_ne(access(plots, F_OK), 0);
	remove_all();
}
END_TEST

START_TEST(refusals)
{
	char err[512] = "", path[400];
	FILE *f;

	make_dir();
	snprintf(path, sizeof(path), "%s/file", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fclose(f);
	ck_assert_ptr_null(plot_open(path, "t", 1, err, sizeof(err)));
	ck_assert_str_eq(strstr(err, "--plot: "), err);
	ck_assert_ptr_nonnull(strstr(err, "/file is not a directory"));
	snprintf(path, sizeof(path), "%s/no/plots", dir);
	ck_assert_ptr_null(plot_open(path, "t", 1, err, sizeof(err)));
	ck_assert_ptr_nonnull(strstr(err, "/no/plots: No such file or directory"));
	ck_assert_str_eq(listing(dir), "file");
	remove_all();
}
END_TEST

START_TEST(discard_removes_what_it_made)
{
	char err[512] = "";

	start("t", 1);
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	plot_discard(pl);
	ck_assert_str_eq(listing(dir), "");
	/* An existing directory stays, with what it had. */
	ck_assert_int_eq(mkdir(plots, 0777), 0);
	pl = plot_open(plots, "t", 1, err, sizeof(err));
	ck_assert_ptr_nonnull(pl);
	plot_discard(pl);
	ck_assert_str_eq(listing(dir), "plots");
	ck_assert_str_eq(listing(plots), "");
	remove_all();
}
END_TEST

/* Rendering. */

/* A client that sent one segment of data, for the pictures. */
static void one_segment(void)
{
	sent(HOST_CLIENT, 0, seg(ISS, TH_SYN, 0), syn_why(), LINK_ACCEPTED);
	sent(HOST_CLIENT, 1 * MS, seg(ISS + 1, TH_ACK, 10), WHY, LINK_ACCEPTED);
}

/* Writes dir/bin/gnuplot, a shell script of body (after "#!/bin/sh"); returns dir/bin. */
static const char *fake_gnuplot(const char *body)
{
	static char bin[300];
	char path[400];
	FILE *f;

	snprintf(bin, sizeof(bin), "%s/bin", dir);
	ck_assert_int_eq(mkdir(bin, 0777), 0);
	snprintf(path, sizeof(path), "%s/gnuplot", bin);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "#!/bin/sh\n%s", body);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(chmod(path, 0755), 0);
	return bin;
}

/* Draws each picture as three lines, the second the one that names the version. */
static const char DRAWS[] =
	"part=${3#part=\\'}; part=${part%\\'}; d=${4%plots.gp}\n"
	"for f in client-cwnd.svg client-cwnd.png client-tseq.svg client-tseq.png; do\n"
	"  printf '<svg\\n<desc>Produced by GNUPLOT 9.9 patchlevel 9 </desc>\\n<desc>x</desc>\\n'"
	" >\"$d$f$part\"\n"
	"done\n";

START_TEST(pictures_put_in_place)
{
	char err[512], path[600], skipped[400];
	const char *bin;
	FILE *f;

	start("t", 1);
	one_segment();
	bin = fake_gnuplot(DRAWS);
	/* Earlier on PATH: a directory named gnuplot, and a file without x. */
	snprintf(skipped, sizeof(skipped), "%s/d", dir);
	ck_assert_int_eq(mkdir(skipped, 0777), 0);
	snprintf(path, sizeof(path), "%s/d/gnuplot", dir);
	ck_assert_int_eq(mkdir(path, 0777), 0);
	snprintf(skipped, sizeof(skipped), "%s/f", dir);
	ck_assert_int_eq(mkdir(skipped, 0777), 0);
	snprintf(path, sizeof(path), "%s/f/gnuplot", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs("#!/bin/sh\nexit 1\n", f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(path, sizeof(path), "/nonexistent:%s/d:%s/f:%s", dir, dir, bin);
	ck_assert_msg(commit_with(path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(listing(plots), "client-ack.dat client-cwnd.dat client-cwnd.png"
					 " client-cwnd.svg client-tseq.dat client-tseq.png client-tseq.svg"
					 " plots.gp");
	ck_assert_str_eq(read_plot_file("client-tseq.svg", 0), "<svg\n<desc>x</desc>\n");
	ck_assert_str_eq(read_plot_file("client-cwnd.png", 0),
			 "<svg\n<desc>Produced by GNUPLOT 9.9 patchlevel 9 </desc>\n<desc>x</desc>\n");
	remove_all();
}
END_TEST

static const struct failure_case {
	bool draws;                /* the pictures first, then body */
	const char *body;
	const char *err;           /* %s: the plot directory */
} failure_cases[] = {
	{ false, "exit 3\n",
	  "gnuplot failed on %s/plots.gp (exit status 3); the data and the script are in place" },
	{ false, "kill -9 $$\n",
	  "gnuplot failed on %s/plots.gp (signal 9); the data and the script are in place" },
	{ false, "exit 0\n", "gnuplot did not draw %s/client-cwnd.svg: No such file or directory" },
	/* Draws, then fails: what it drew is not kept. */
	{ true, "exit 1\n",
	  "gnuplot failed on %s/plots.gp (exit status 1); the data and the script are in place" },
};

START_TEST(gnuplot_fails)
{
	const struct failure_case *c = &failure_cases[_i];
	char err[512], want[600], body[1024];

	start("t", 1);
	one_segment();
	snprintf(body, sizeof(body), "%s%s", c->draws ? DRAWS : "", c->body);
	ck_assert_int_eq(commit_with(fake_gnuplot(body), err, sizeof(err)), -1);
	snprintf(want, sizeof(want), c->err, plots);
	ck_assert_str_eq(err, want);
	/* The data and the script are whole; nothing drawn, nothing temporary. */
	ck_assert_str_eq(listing(plots), "client-ack.dat client-cwnd.dat client-tseq.dat plots.gp");
	ck_assert_str_eq(rows("client-tseq.dat"), "0.000000000 0 1 new accepted syn\n"
						   "0.001000000 1 11 new accepted data\n");
	remove_all();
}
END_TEST

START_TEST(no_path_no_gnuplot)
{
	char err[512];

	start("t", 1);
	one_segment();
	ck_assert_int_eq(commit_with(NULL, err, sizeof(err)), 0);
	ck_assert_str_eq(listing(plots), "client-ack.dat client-cwnd.dat client-tseq.dat plots.gp");
	remove_all();
}
END_TEST

/* Whether a directory of the PATH list path holds an executable gnuplot. */
static bool gnuplot_on(const char *path)
{
	char cand[600];

	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(cand, sizeof(cand), "%.*s/gnuplot", (int)n, path);
		if (n && access(cand, X_OK) == 0)
			return true;
		path += n + (path[n] == ':');
	}
	return false;
}

/* Whether plots/name starts with the n bytes of want. */
static bool starts_with(const char *name, const void *want, size_t n)
{
	char path[400], got[16];
	FILE *f;
	size_t len;

	snprintf(path, sizeof(path), "%s/%s", plots, name);
	f = fopen(path, "rb");
	ck_assert_ptr_nonnull(f);
	len = fread(got, 1, n, f);
	fclose(f);
	return len == n && memcmp(got, want, n) == 0;
}

/* The real gnuplot on the script: a PNG and an SVG of each picture. */
START_TEST(real_gnuplot)
{
	static const char png[8] = "\x89PNG\r\n\x1a\n";
	char err[512];

	if (!gnuplot_on(real_path)) {
		fprintf(stderr, "gnuplot is not installed: the real rendering is not tested\n");
		return;
	}
	start("t", 1);
	one_segment();
	traced(HOST_CLIENT, 2 * MS, "rto", 1460, 7300, 0);
	ck_assert_msg(commit_with(real_path, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(listing(plots), "client-ack.dat client-cwnd.dat client-cwnd.png"
					 " client-cwnd.svg client-tseq.dat client-tseq.png client-tseq.svg"
					 " plots.gp");
	ck_assert(starts_with("client-cwnd.png", png, sizeof(png)));
	ck_assert(starts_with("client-tseq.png", png, sizeof(png)));
	ck_assert_ptr_nonnull(strstr(read_plot_file("client-tseq.svg", 0), "<svg"));
	ck_assert_ptr_null(strstr(read_plot_file("client-cwnd.svg", 0), "Produced by GNUPLOT"));
	remove_all();
}
END_TEST

int main(void)
{
	Suite *su = suite_create("plot");
	TCase *tseq = tcase_create("time-sequence");
	TCase *acks = tcase_create("acks");
	TCase *cwnd = tcase_create("cwnd");
	TCase *files = tcase_create("files");
	TCase *render = tcase_create("rendering");
	SRunner *sr;
	int failed;

	real_path = getenv("PATH") ? strdup(getenv("PATH")) : NULL;
	tcase_add_test(tseq, tseq_rows);
	tcase_add_test(tseq, new_isn_starts_afresh);
	tcase_add_test(tseq, probes_and_data_before_a_syn);
	tcase_add_loop_test(acks, ack_rows, 0, (int)(sizeof(window_cases) / sizeof(window_cases[0])));
	tcase_add_test(acks, no_ack_no_ack_line);
	tcase_add_test(cwnd, cwnd_rows);
	tcase_add_test(cwnd, ssthresh_never_set);
	tcase_add_test(files, only_senders_of_data);
	tcase_add_test(files, both_send_data);
	tcase_add_test(files, nothing_sent);
	tcase_add_test(files, refusals);
	tcase_add_test(files, discard_removes_what_it_made);
	suite_add_tcase(su, tseq);
	suite_add_tcase(su, acks);
	suite_add_tcase(su, cwnd);
	tcase_add_test(render, pictures_put_in_place);
	tcase_add_loop_test(render, gnuplot_fails, 0,
			    (int)(sizeof(failure_cases) / sizeof(failure_cases[0])));
	tcase_add_test(render, no_path_no_gnuplot);
	tcase_add_test(render, real_gnuplot);
	tcase_set_timeout(render, 30);
	suite_add_tcase(su, files);
	suite_add_tcase(su, render);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
