/*
 * check_summary: the summary's figures from real runs. summary_collect
 * copies what the world counted; the derived keys (the transfer's time and
 * goodput, the retransmission rate, cwnd without fast recovery's inflation)
 * hold their exact values on the scenarios that show them, values read
 * independently off the capture by tshark and off the --trace CSV
 * (tests/summary.sh does that reading on every run of the suite).
 */
#include "config.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "scenario.h"
#include "cc.h"
#include "summary.h"
#include "event.h"
#include "tcp.h"
#include "wire.h"
#include "world.h"

/* A summary value by its key, as the JSON and expect: name it. */
static struct summary_value value(const struct summary *sum, const char *key)
{
	const struct summary_key *k = summary_key(key);

	ck_assert_msg(k != NULL, "no summary key %s", key);
	return summary_get(sum, k);
}

static uint64_t u(const struct summary *sum, const char *key) { return value(sum, key).u; }
static bool b(const struct summary *sum, const char *key) { return value(sum, key).b; }

/* A double key as the JSON prints it (three decimals). */
static const char *d3(const struct summary *sum, const char *key)
{
	static char buf[8][64];
	static int next;
	char *p = buf[next++ % 8];

	snprintf(p, 64, "%.3f", value(sum, key).d);
	return p;
}

/*
 * Independent evidence from the packets, as a capture at each host shows
 * them: when each host sent its first SYN, and when the first ACK to cover
 * the last byte of what its application writes (data_end bytes, set by the
 * test) arrived back at it.
 */
struct witness {
	uint64_t data_end[2];
	bool syn_seen[2];
	uint32_t iss[2];
	uint64_t syn_ns[2];
	bool acked[2];
	uint64_t acked_ns[2];
};

static bool witness_packet(void *ctx, const struct pkt_event *ev)
{
	struct witness *x = ctx;
	const struct tcp_seg *seg = ev->seg;
	int h = ev->at;

	if (seg == NULL)
		return true;            /* damaged on arrival: the host never saw it */
	if (ev->kind == PKT_SENT && (seg->flags & TH_SYN) && !x->syn_seen[h]) {
		x->syn_seen[h] = true;
		x->iss[h] = seg->seq;
		x->syn_ns[h] = ev->time_ns;
	}
	if (ev->kind == PKT_ARRIVED && x->syn_seen[h] && !x->acked[h] && x->data_end[h] &&
	    (seg->flags & TH_ACK) &&
	    seq_geq(seg->ack, x->iss[h] + 1 + (uint32_t)x->data_end[h])) {
		x->acked[h] = true;
		x->acked_ns[h] = ev->time_ns;
	}
	return true;
}

static void watch(struct world *w, struct witness *x)
{
	struct observer o = { .ctx = x, .packet = witness_packet };

	ck_assert_int_eq(world_observe(w, &o), 0);
}

/* Runs scenarios/NAME.yaml as tcpsim would and collects its summary. */
static void run_file(const char *name, struct summary *sum, struct witness *x)
{
	char path[512], err[512];
	struct scenario scn;
	struct world *w;

	snprintf(path, sizeof path, "%s/scenarios/%s.yaml", SRCDIR, name);
	ck_assert_msg(scenario_load(path, &scn, err, sizeof err) == 0, "%s", err);
	w = world_new(&scn, scn.seed);
	watch(w, x);
	world_run(w);
	summary_collect(sum, w);
	/* The strings point into the world; the tests below read numbers only. */
	sum->scenario = NULL;
	world_free(w);
	scenario_free(&scn);
}

/*
 * fast-retransmit: 200 KB, one segment dropped. tshark on its capture: the
 * first ACK from the server to cover byte 200000 (ACK 200002, the FIN with
 * it) is at 0.549276800 s after the SYN; the client sent 138 frames with
 * data, one flagged a retransmission. The --trace CSV: cwnd peaks at 43070
 * in recovery, and at 27740 in a row whose state is not "recovery".
 */
START_TEST(fast_retransmit_figures)
{
	struct summary s;
	struct witness x = { .data_end = { 200000, 0 } };

	run_file("fast-retransmit", &s, &x);
	ck_assert(x.acked[HOST_CLIENT]);
	ck_assert_uint_eq(x.syn_ns[HOST_CLIENT], 0);
	ck_assert_uint_eq(x.acked_ns[HOST_CLIENT], 549276800);
	ck_assert(b(&s, "transfer_complete"));
	ck_assert_uint_eq(u(&s, "transfer_time_s"), 549276800);
	ck_assert_uint_eq(u(&s, "client.transfer_time_s"), 549276800);
	ck_assert_uint_eq(u(&s, "server.transfer_time_s"), 0);
	/* 200000 B x 8 / 0.5492768 s */
	ck_assert_str_eq(d3(&s, "transfer_goodput_mbps"), "2.913");
	ck_assert_str_eq(d3(&s, "client.transfer_goodput_mbps"), "2.913");
	ck_assert_uint_eq(u(&s, "client.app_bytes_acked"), 200000);
	ck_assert_uint_eq(u(&s, "client.data_segments_sent"), 138);
	ck_assert_uint_eq(u(&s, "client.data_retransmissions"), 1);
	ck_assert_str_eq(d3(&s, "client.retransmission_rate_pct"), "0.725");   /* 1 / 138 */
	ck_assert_uint_eq(u(&s, "client.max_cwnd_bytes"), 43070);
	ck_assert_uint_eq(u(&s, "client.max_cwnd_outside_recovery_bytes"), 27740);
	/* The run goes on for the FIN exchange and 60 s of TIME_WAIT. */
	ck_assert_uint_eq(u(&s, "end_time_s"), 60549308800u);
}
END_TEST

/*
 * loss-5pct: 1 MB at 5% loss each way. tshark: the first ACK covering byte
 * 1000000 arrives at 9.358108800 s; of the client's 719 frames with data, 34
 * are retransmissions (retransmission, fast retransmission or out of order
 * with tcpsim's tshark options). The trace: 61320 at most, 40880 outside
 * recovery.
 */
START_TEST(loss_5pct_figures)
{
	struct summary s;
	struct witness x = { .data_end = { 1000000, 0 } };

	run_file("loss-5pct", &s, &x);
	ck_assert(x.acked[HOST_CLIENT]);
	ck_assert_uint_eq(x.acked_ns[HOST_CLIENT], 9358108800u);
	ck_assert(b(&s, "transfer_complete"));
	ck_assert_uint_eq(u(&s, "transfer_time_s"), 9358108800u);
	ck_assert_uint_eq(u(&s, "client.transfer_time_s"), 9358108800u);
	ck_assert_str_eq(d3(&s, "transfer_goodput_mbps"), "0.855");
	ck_assert_uint_eq(u(&s, "client.app_bytes_acked"), 1000000);
	ck_assert_uint_eq(u(&s, "client.data_segments_sent"), 719);
	ck_assert_uint_eq(u(&s, "client.data_retransmissions"), 34);
	ck_assert_uint_eq(u(&s, "client.retransmissions"), 34);
	ck_assert_str_eq(d3(&s, "client.retransmission_rate_pct"), "4.729");   /* 34 / 719 */
	ck_assert_uint_eq(u(&s, "client.max_cwnd_bytes"), 61320);
	ck_assert_uint_eq(u(&s, "client.max_cwnd_outside_recovery_bytes"), 40880);
	ck_assert_uint_eq(u(&s, "end_time_s"), 69358140800u);
}
END_TEST

/* ---- worlds built in code ---- */

static struct app_step steps[4];
static uint64_t drops[2];

/* 100 Mbit/s, 5 ms each way; client: connect, send n, close; server: sink. */
static void base(struct scenario *s, uint64_t n)
{
	scenario_defaults(s);
	s->link.a_to_b.rate_bps = s->link.b_to_a.rate_bps = 100000000;
	s->link.a_to_b.delay_ns = s->link.b_to_a.delay_ns = 5 * NS_PER_MS;
	steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = n };
	steps[2] = (struct app_step){ .kind = STEP_CLOSE };
	s->client.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = steps, .nsteps = 3 };
	s->server.app = (struct app_cfg){ .kind = APP_SINK };
	s->capture = CAPTURE_NONE;
}

/* Runs s from virtual time start_ns (a world starts when its engine says). */
static struct world *run_from(struct scenario *s, struct summary *sum, struct witness *x,
			      uint64_t start_ns)
{
	struct world *w = world_new(s, 1);

	if (x)
		watch(w, x);
	world_engine(w)->now_ns = start_ns;
	world_run(w);
	summary_collect(sum, w);
	return w;
}

static struct world *run(struct scenario *s, struct summary *sum)
{
	return run_from(s, sum, NULL, 0);
}

/* What the world counted, copied whole. */
START_TEST(collect_copies_the_world)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 3000);
	s.server.profile = tcp_profile_find("linux");
	s.server.tcp.cc = &cc_reno;
	w = run(&s, &sum);
	ck_assert_str_eq(sum.version, PACKAGE_VERSION);
	ck_assert_str_eq(sum.host[HOST_CLIENT].profile, "rfc");
	ck_assert_str_eq(sum.host[HOST_CLIENT].congestion_control, "newreno");
	ck_assert_str_eq(sum.host[HOST_SERVER].profile, "linux");
	ck_assert_str_eq(sum.host[HOST_SERVER].congestion_control, "reno");
	ck_assert_ptr_eq(sum.scenario, s.name);
	ck_assert_uint_eq(sum.seed, 1);
	ck_assert_uint_eq(sum.end_time_ns, world_now_ns(w));
	ck_assert_uint_eq(sum.events, world_events(w));
	ck_assert(!sum.duration_reached);
	for (int i = 0; i < 2; i++) {
		struct tcp_ep *ep = world_tcp(w, (enum host_id)i);

		ck_assert_str_eq(sum.host[i].state, "CLOSED");
		ck_assert_ptr_null(sum.host[i].error);
		ck_assert(memcmp(&sum.host[i].tcp, tcp_stats(ep), sizeof sum.host[i].tcp) == 0);
		ck_assert(memcmp(&sum.host[i].app, app_stats(world_app(w, (enum host_id)i)),
				 sizeof sum.host[i].app) == 0);
		ck_assert(memcmp(&sum.host[i].net, world_host_counters(w, (enum host_id)i),
				 sizeof sum.host[i].net) == 0);
		ck_assert_uint_eq(sum.host[i].srtt_ns, tcp_srtt_ns(ep));
		ck_assert_uint_eq(sum.host[i].rto_ns, tcp_rto_ns(ep));
		ck_assert(memcmp(&sum.link[i], &world_link(w, (enum host_id)i)->st,
				 sizeof sum.link[i]) == 0);
	}
	ck_assert_uint_eq(sum.host[HOST_CLIENT].net.packets_sent, 7);
	ck_assert_uint_eq(sum.link[HOST_CLIENT].packets, 7);
	ck_assert_ptr_null(sum.pcap[0]);
	world_free(w);
	free(s.name);
}
END_TEST

/*
 * The transfer ends when the ACK of the last data byte arrives back at the
 * sender (as the packets show it), not at the FIN's ACK, nor after
 * TIME_WAIT.
 */
START_TEST(transfer_ends_at_the_last_data_ack)
{
	struct scenario s;
	struct summary sum;
	struct world *w;
	struct witness x = { .data_end = { 3000, 0 } };

	base(&s, 3000);
	w = run_from(&s, &sum, &x, 0);
	ck_assert(x.acked[HOST_CLIENT]);
	ck_assert_uint_eq(x.syn_ns[HOST_CLIENT], 0);
	ck_assert(u(&sum, "end_time_s") > 60 * NS_PER_S);
	ck_assert_uint_eq(u(&sum, "client.transfer_time_s"), x.acked_ns[HOST_CLIENT]);
	ck_assert_uint_eq(u(&sum, "transfer_time_s"), x.acked_ns[HOST_CLIENT]);
	ck_assert(b(&sum, "transfer_complete"));
	ck_assert_uint_eq(u(&sum, "client.app_bytes_acked"), 3000);
	ck_assert_uint_eq(u(&sum, "server.app_bytes_acked"), 0);
	ck_assert_uint_eq(u(&sum, "server.transfer_time_s"), 0);
	ck_assert_str_eq(d3(&sum, "server.transfer_goodput_mbps"), "0.000");
	ck_assert_uint_eq(u(&sum, "client.data_retransmissions"), 0);
	ck_assert_str_eq(d3(&sum, "client.retransmission_rate_pct"), "0.000");
	ck_assert_str_eq(d3(&sum, "server.retransmission_rate_pct"), "0.000");
	/* No fast recovery: the two maxima are one. */
	ck_assert_uint_eq(u(&sum, "client.max_cwnd_outside_recovery_bytes"),
			  u(&sum, "client.max_cwnd_bytes"));
	world_free(w);
	free(s.name);
}
END_TEST

/* A world that starts at 2 s: the same transfer, timed from its first SYN. */
START_TEST(transfer_starts_at_the_first_syn)
{
	struct scenario s;
	struct summary late, early;
	struct world *w;
	struct witness x = { .data_end = { 3000, 0 } };

	base(&s, 3000);
	w = run(&s, &early);
	world_free(w);
	free(s.name);

	base(&s, 3000);
	w = run_from(&s, &late, &x, 2 * NS_PER_S);
	ck_assert_uint_eq(x.syn_ns[HOST_CLIENT], 2 * NS_PER_S);
	ck_assert_uint_eq(late.host[HOST_CLIENT].tcp.connect_ns, 2 * NS_PER_S);
	ck_assert_uint_eq(u(&late, "client.transfer_time_s"),
			  x.acked_ns[HOST_CLIENT] - 2 * NS_PER_S);
	ck_assert_uint_eq(u(&late, "transfer_time_s"), u(&early, "transfer_time_s"));
	ck_assert_uint_eq(u(&late, "end_time_s"), u(&early, "end_time_s") + 2 * NS_PER_S);
	world_free(w);
	free(s.name);
}
END_TEST

/*
 * A lost FIN on its own is a retransmission, but no data retransmission:
 * 1000 B, a second's wait, then close. Client packets: 1 SYN, 2 ACK,
 * 3 data, 4 FIN (dropped).
 */
START_TEST(fin_retransmission_is_no_data_retransmission)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 1000);
	steps[3] = steps[2];
	steps[2] = (struct app_step){ .kind = STEP_WAIT, .wait_ns = NS_PER_S };
	s.client.app.nsteps = 4;
	drops[0] = 4;
	s.link.a_to_b.drop = drops;
	s.link.a_to_b.ndrop = 1;
	w = run(&s, &sum);
	ck_assert_uint_eq(u(&sum, "link.client_to_server.dropped"), 1);
	ck_assert_uint_eq(u(&sum, "client.retransmissions"), 1);
	ck_assert_uint_eq(u(&sum, "client.data_retransmissions"), 0);
	ck_assert_uint_eq(u(&sum, "client.data_segments_sent"), 1);
	ck_assert_str_eq(d3(&sum, "client.retransmission_rate_pct"), "0.000");
	/* The data was acknowledged long before the FIN: complete, and early. */
	ck_assert(b(&sum, "transfer_complete"));
	ck_assert(u(&sum, "transfer_time_s") < NS_PER_S);
	world_free(w);
	free(s.name);
}
END_TEST

/* A lost data segment resent after the timeout counts as data; the rate follows. */
START_TEST(data_retransmission_rate)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 3000);
	drops[0] = 3;                /* the first data segment */
	s.link.a_to_b.drop = drops;
	s.link.a_to_b.ndrop = 1;
	w = run(&s, &sum);
	ck_assert_uint_eq(u(&sum, "client.rto_timeouts"), 1);
	ck_assert_uint_eq(u(&sum, "client.data_retransmissions"), 1);
	ck_assert_uint_eq(u(&sum, "client.data_segments_sent"), 4);
	ck_assert_str_eq(d3(&sum, "client.retransmission_rate_pct"), "25.000");
	/* The RTO is 1 s: the transfer takes a second and a little. */
	ck_assert(u(&sum, "transfer_time_s") > NS_PER_S);
	ck_assert(u(&sum, "transfer_time_s") < NS_PER_S + 30 * NS_PER_MS);
	world_free(w);
	free(s.name);
}
END_TEST

/* Nothing written: no transfer to speak of. */
START_TEST(no_data_no_transfer)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 0);
	steps[1] = steps[2];
	s.client.app.nsteps = 2;     /* connect, close */
	w = run(&s, &sum);
	ck_assert_str_eq(value(&sum, "client.state").str, "CLOSED");
	ck_assert(!b(&sum, "transfer_complete"));
	ck_assert_uint_eq(u(&sum, "transfer_time_s"), 0);
	ck_assert_str_eq(d3(&sum, "transfer_goodput_mbps"), "0.000");
	ck_assert_uint_eq(u(&sum, "client.transfer_time_s"), 0);
	world_free(w);
	free(s.name);
}
END_TEST

/* Cut off at the duration while data is outstanding: incomplete, no time. */
START_TEST(unacknowledged_data_is_incomplete)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 1000000);
	s.duration_ns = 50 * NS_PER_MS;
	w = run(&s, &sum);
	ck_assert(b(&sum, "duration_reached"));
	ck_assert(u(&sum, "client.app_bytes_acked") > 0);
	ck_assert(u(&sum, "client.app_bytes_acked") < u(&sum, "client.app_bytes_sent"));
	ck_assert(!b(&sum, "transfer_complete"));
	ck_assert_uint_eq(u(&sum, "transfer_time_s"), 0);
	ck_assert_uint_eq(u(&sum, "client.transfer_time_s"), 0);
	ck_assert_str_eq(d3(&sum, "client.transfer_goodput_mbps"), "0.000");
	world_free(w);
	free(s.name);
}
END_TEST

/*
 * Data both ways (an echo): each direction ends when its own last byte's
 * ACK reaches its sender; the transfer, when the later one does, and its
 * goodput counts both directions' bytes.
 */
START_TEST(both_directions)
{
	struct scenario s;
	struct summary sum;
	struct world *w;
	uint64_t c, sv, t;
	char want[64];
	struct witness x = { .data_end = { 5000, 5000 } };

	base(&s, 5000);
	s.server.app.kind = APP_ECHO;
	w = run_from(&s, &sum, &x, 0);
	c = u(&sum, "client.transfer_time_s");
	sv = u(&sum, "server.transfer_time_s");
	t = u(&sum, "transfer_time_s");
	ck_assert(b(&sum, "transfer_complete"));
	ck_assert_uint_eq(u(&sum, "server.app_bytes_acked"), 5000);
	ck_assert_uint_eq(c, x.acked_ns[HOST_CLIENT]);
	ck_assert_uint_eq(sv, x.acked_ns[HOST_SERVER]);
	ck_assert(sv > c);           /* the echo's last byte leaves after the request's */
	ck_assert_uint_eq(t, sv);
	snprintf(want, sizeof want, "%.3f", 10000 * 8e3 / (double)t);
	ck_assert_str_eq(d3(&sum, "transfer_goodput_mbps"), want);
	snprintf(want, sizeof want, "%.3f", 5000 * 8e3 / (double)c);
	ck_assert_str_eq(d3(&sum, "client.transfer_goodput_mbps"), want);
	world_free(w);
	free(s.name);

	/* A side whose data is not all acknowledged makes the whole incomplete. */
	base(&s, 5000);
	s.server.app.kind = APP_ECHO;
	s.duration_ns = sv - 1;
	w = run(&s, &sum);
	ck_assert_uint_eq(u(&sum, "client.transfer_time_s"), c);
	ck_assert_uint_eq(u(&sum, "server.transfer_time_s"), 0);
	ck_assert(!b(&sum, "transfer_complete"));
	ck_assert_uint_eq(u(&sum, "transfer_time_s"), 0);
	world_free(w);
	free(s.name);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("summary");
	TCase *tc = tcase_create("scenarios");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, fast_retransmit_figures);
	tcase_add_test(tc, loss_5pct_figures);
	suite_add_tcase(su, tc);
	tc = tcase_create("runs");
	tcase_add_test(tc, collect_copies_the_world);
	tcase_add_test(tc, transfer_ends_at_the_last_data_ack);
	tcase_add_test(tc, transfer_starts_at_the_first_syn);
	tcase_add_test(tc, fin_retransmission_is_no_data_retransmission);
	tcase_add_test(tc, data_retransmission_rate);
	tcase_add_test(tc, no_data_no_transfer);
	tcase_add_test(tc, unacknowledged_data_is_incomplete);
	tcase_add_test(tc, both_directions);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
