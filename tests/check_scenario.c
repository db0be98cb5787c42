/*
 * check_scenario: the scenario loader. Good files written to a temporary
 * directory are loaded and every field is compared with its exact value;
 * the broken files under tests/bad/ must each fail with the message listed
 * for them in tests/bad/EXPECTED; smaller broken snippets live in a table
 * here.
 */
#include <check.h>
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cc.h"
#include "rules.h"
#include "scenario.h"
#include "summary.h"
#include "world.h"

#ifndef SRCDIR
#error "SRCDIR must name the top source directory"
#endif

#define BAD_DIR SRCDIR "/tests/bad"
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MS UINT64_C(1000000)
#define SEC UINT64_C(1000000000)
#define MSEC UINT64_C(1000000)
#define MAX_FILE (16 * 1024 * 1024)     /* the 16 MiB of docs/scenarios.md */

static char tmpdir[] = "/tmp/check_scenario.XXXXXX";

/* Writes text to tmpdir/name; returns the path (static buffer). */
static const char *write_file(const char *name, const char *text)
{
	static char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	f = fopen(path, "w");
	ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
	return path;
}

/* Loads text written as tmpdir/name, which must succeed. */
static void load_ok(const char *name, const char *text, struct scenario *s)
{
	char err[512] = "";
	const char *path = write_file(name, text);

	ck_assert_msg(scenario_load(path, s, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
}

/* Loads text written as tmpdir/name, which must fail; err without the directory. */
static void load_bad(const char *name, const char *text, char *err, size_t len)
{
	struct scenario s;
	const char *path = write_file(name, text);
	size_t dirlen = strlen(tmpdir) + 1;

	ck_assert_int_eq(scenario_load(path, &s, err, len), -1);
	unlink(path);
	ck_assert_ptr_null(s.name);
	ck_assert_ptr_null(s.file);
	ck_assert_int_eq(strncmp(err, path, dirlen), 0);
	memmove(err, err + dirlen, strlen(err + dirlen) + 1);
	scenario_free(&s);      /* harmless after a failed load */
}

static void assert_default_tcp(const struct tcp_cfg *t)
{
	ck_assert_uint_eq(t->mss, 0);
	ck_assert_uint_eq(t->send_buffer, 131072);
	ck_assert_uint_eq(t->receive_buffer, 131072);
	ck_assert(t->window_scaling);
	ck_assert(!t->timestamps);
	ck_assert_uint_eq(t->ts_rate_hz, 1000);          /* RFC 7323 5.4: 1 ms ticks */
	ck_assert_uint_eq(t->ts_initial, 0);
	ck_assert_uint_eq(t->initial_cwnd, 10);
	ck_assert_uint_eq(t->initial_rto_ns, 1 * SEC);
	ck_assert_uint_eq(t->min_rto_ns, 1 * SEC);
	ck_assert_uint_eq(t->max_rto_ns, 60 * SEC);
	ck_assert_uint_eq(t->max_retries, 15);
	ck_assert_uint_eq(t->syn_retries, 6);
	ck_assert_uint_eq(t->msl_ns, 30 * SEC);
	ck_assert_ptr_eq(t->cc, &cc_newreno);
	ck_assert(t->limited_transmit);
	ck_assert_uint_eq(t->abc_limit, 1);
	ck_assert_uint_eq(t->delayed_ack_ns, 200 * MS);
	ck_assert_uint_eq(t->delayed_ack_min_ns, 0);
	ck_assert_uint_eq(t->quick_ack, 0);
	ck_assert(t->nagle);
	ck_assert(!t->iss_set);
	ck_assert_uint_eq(t->iss, 0);
}

/* No read pacing: the application reads whatever is there at once. */
static void assert_no_read_pacing(const struct app_cfg *a)
{
	ck_assert_uint_eq(a->read_bytes, 0);
	ck_assert_uint_eq(a->read_every_ns, 0);
}

/* ---- defaults ---- */

START_TEST(test_defaults)
{
	struct scenario s;

	scenario_defaults(&s);
	ck_assert_str_eq(s.name, "scenario");
	ck_assert_ptr_null(s.file);
	ck_assert_ptr_null(s.description);
	ck_assert_uint_eq(s.seed, 1);
	ck_assert_uint_eq(s.duration_ns, 3600 * SEC);
	ck_assert_uint_eq(s.link.mtu, 1500);
	ck_assert_uint_eq(s.link.a_to_b.queue_packets, 100);
	ck_assert_uint_eq(s.link.a_to_b.queue_bytes, 0);
	ck_assert_uint_eq(s.link.b_to_a.queue_packets, 100);
	ck_assert_uint_eq(s.link.a_to_b.loss_ppb, 0);
	ck_assert_uint_gt(s.link.a_to_b.rate_bps, 0);
	ck_assert_uint_eq(s.link.a_to_b.rate_bps, s.link.b_to_a.rate_bps);
	ck_assert_ptr_null(s.link.a_to_b.drop);
	ck_assert_uint_eq(s.client.addr, 0xC0000201);
	ck_assert_uint_eq(s.client.port, 49152);
	ck_assert_uint_eq(s.server.addr, 0xC0000202);
	ck_assert_uint_eq(s.server.port, 8000);
	assert_default_tcp(&s.client.tcp);
	assert_default_tcp(&s.server.tcp);
	ck_assert_int_eq(s.client.app.kind, APP_SCRIPT);
	ck_assert_uint_eq(s.client.app.nsteps, 0);
	ck_assert_int_eq(s.server.app.kind, APP_SINK);
	assert_no_read_pacing(&s.client.app);
	assert_no_read_pacing(&s.server.app);
	ck_assert_int_eq(s.capture, CAPTURE_CLIENT);
	ck_assert_int_eq(s.linktype, LINKTYPE_ETHERNET);
	ck_assert_uint_eq(s.snaplen, 0);
	ck_assert_uint_eq(s.nexpect, 0);
	scenario_free(&s);
	ck_assert_ptr_null(s.name);
	scenario_free(&s);      /* twice is harmless */
}
END_TEST

/* ---- good files ---- */

static const char MINIMAL[] =
	"# the least a scenario can say\n"
	"link:\n"
	"  rate: 10Mbps\n"
	"  delay: 25ms\n"
	"client:\n"
	"  app:\n"
	"    - connect\n"
	"    - send: 1MB\n"
	"    - close\n"
	"server:\n"
	"  app: sink\n";

START_TEST(test_minimal)
{
	struct scenario s;
	const struct link_cfg *d;
	int i;

	load_ok("minimal.yaml", MINIMAL, &s);
	ck_assert_str_eq(s.name, "minimal");
	ck_assert_int_eq(strncmp(s.file, tmpdir, strlen(tmpdir)), 0);
	ck_assert_str_eq(s.file + strlen(tmpdir), "/minimal.yaml");
	ck_assert_ptr_null(s.description);
	ck_assert_uint_eq(s.seed, 1);
	ck_assert_uint_eq(s.duration_ns, 3600 * SEC);
	ck_assert_uint_eq(s.link.mtu, 1500);
	for (i = 0; i < 2; i++) {
		d = i ? &s.link.b_to_a : &s.link.a_to_b;
		ck_assert_uint_eq(d->rate_bps, 10000000);
		ck_assert_uint_eq(d->delay_ns, 25 * MS);
		ck_assert_uint_eq(d->queue_packets, 100);
		ck_assert_uint_eq(d->queue_bytes, 0);
		ck_assert_uint_eq(d->loss_ppb, 0);
		ck_assert_ptr_null(d->drop);
		ck_assert_uint_eq(d->ndrop, 0);
		ck_assert_uint_eq(d->reorder_ppb, 0);
		ck_assert_uint_eq(d->reorder_delay_ns, 0);
	}
	ck_assert_uint_eq(s.client.addr, 0xC0000201);
	ck_assert_uint_eq(s.client.port, 49152);
	ck_assert_uint_eq(s.server.addr, 0xC0000202);
	ck_assert_uint_eq(s.server.port, 8000);
	assert_default_tcp(&s.client.tcp);
	assert_default_tcp(&s.server.tcp);

	ck_assert_int_eq(s.client.app.kind, APP_SCRIPT);
	ck_assert_uint_eq(s.client.app.nsteps, 3);
	ck_assert_int_eq(s.client.app.steps[0].kind, STEP_CONNECT);
	ck_assert_uint_eq(s.client.app.steps[0].port, 0);
	ck_assert_uint_eq(s.client.app.steps[0].loc.line, 7);
	ck_assert_uint_eq(s.client.app.steps[0].loc.col, 7);
	ck_assert_int_eq(s.client.app.steps[1].kind, STEP_SEND);
	ck_assert_uint_eq(s.client.app.steps[1].bytes, 1000000);
	ck_assert_ptr_null(s.client.app.steps[1].text);
	ck_assert_uint_eq(s.client.app.steps[1].loc.line, 8);
	ck_assert_uint_eq(s.client.app.steps[1].loc.col, 7);
	ck_assert_int_eq(s.client.app.steps[2].kind, STEP_CLOSE);
	ck_assert_int_eq(s.server.app.kind, APP_SINK);
	ck_assert_uint_eq(s.server.app.nsteps, 0);
	assert_no_read_pacing(&s.client.app);
	assert_no_read_pacing(&s.server.app);
	ck_assert_int_eq(s.capture, CAPTURE_CLIENT);
	ck_assert_int_eq(s.linktype, LINKTYPE_ETHERNET);
	ck_assert_uint_eq(s.snaplen, 0);
	ck_assert_uint_eq(s.nexpect, 0);
	scenario_free(&s);
	ck_assert_ptr_null(s.name);
}
END_TEST

/* Every key set, the direction overrides written before the link values. */
static const char FULL[] =
	"name: full_example.v2\n"                       /* 1 */
	"description: \"Every key, set\"\n"
	"seed: 18446744073709551615\n"
	"duration: 1.5min\n"
	"link:\n"                                       /* 5 */
	"  a_to_b:\n"
	"    loss: 1%\n"
	"    drop: [9, 2]\n"
	"    queue: 64KiB\n"
	"  b_to_a:\n"                                   /* 10 */
	"    rate: 1Mbps\n"
	"    delay: 1.5ms\n"
	"    reorder: {probability: 0.5%, delay: 3ms}\n"
	"    drop: []\n"
	"  rate: 10Mbps\n"                              /* 15 */
	"  delay: 25ms\n"
	"  mtu: 9000\n"
	"  queue: 50\n"
	"  loss: 0.0001%\n"
	"  drop: [7, 3, 11]\n"                          /* 20 */
	"  reorder: {probability: 2%, delay: 5ms}\n"
	"client:\n"
	"  address: 10.0.0.1\n"
	"  port: 40000\n"
	"  tcp:\n"                                      /* 25 */
	"    mss: 8960\n"
	"    send_buffer: 1MiB\n"
	"    receive_buffer: 64KB\n"
	"    window_scaling: false\n"
	"    timestamps: true\n"                        /* 30 */
	"    initial_cwnd: 4\n"
	"    initial_rto: 3s\n"
	"    min_rto: 200ms\n"
	"    max_rto: 120s\n"
	"    max_retries: 5\n"                          /* 35 */
	"    syn_retries: 2\n"
	"    msl: 1s\n"
	"    iss: 4294967040\n"
	"  app:\n"
	"    - connect: 8080\n"                         /* 40 */
	"    - send: 1.5MB\n"
	"    - wait: 250ms\n"
	"    - send: 'GET / HTTP/1.0'\n"
	"    - send: \"line\\r\\n\"\n"
	"    - abort\n"                                 /* 45 */
	"server:\n"
	"  address: 10.0.0.2\n"
	"  port: 8080\n"
	"  tcp: {iss: 0, mss: 64, timestamps: TRUE, timestamp_rate: 0.25kHz, timestamp_initial: 4294967295}\n"
	"  app: echo\n"                                 /* 50 */
	"capture: {at: both, link_type: raw}\n"
	"expect:\n"
	"  client.state: CLOSED\n"
	"  client.data_intact: true\n"
	"  server.app_bytes_received: 1.5MB\n"          /* 55 */
	"  client.retransmissions: \">= 1\"\n"
	"  client.final_rto_ms: '<250.5'\n"
	"  link.client_to_server.dropped: -3\n"
	"  client.error: \"!= reset\"\n"
	"  server.window: 64KiB\n"                      /* 60 */
	"  client.port: \"40000\"\n"
	"  x.y: ==false\n"
	"  x.z: \"> 10MB\"\n"
	"  x.w: 1e5\n";

START_TEST(test_full)
{
	struct scenario s;
	const struct link_cfg *ab = &s.link.a_to_b, *ba = &s.link.b_to_a;
	const struct tcp_cfg *t;
	const struct app_step *st;
	const struct scn_expect *e;

	load_ok("full.yaml", FULL, &s);
	ck_assert_str_eq(s.name, "full_example.v2");
	ck_assert_str_eq(s.description, "Every key, set");
	ck_assert_uint_eq(s.seed, UINT64_MAX);
	ck_assert_uint_eq(s.duration_ns, 90 * SEC);
	ck_assert_uint_eq(s.link.mtu, 9000);

	ck_assert_uint_eq(ab->rate_bps, 10000000);
	ck_assert_uint_eq(ab->delay_ns, 25 * MS);
	ck_assert_uint_eq(ab->queue_packets, 0);
	ck_assert_uint_eq(ab->queue_bytes, 65536);
	ck_assert_uint_eq(ab->loss_ppb, 10000000);
	ck_assert_uint_eq(ab->ndrop, 2);
	ck_assert_uint_eq(ab->drop[0], 2);
	ck_assert_uint_eq(ab->drop[1], 9);
	ck_assert_uint_eq(ab->reorder_ppb, 20000000);
	ck_assert_uint_eq(ab->reorder_delay_ns, 5 * MS);

	ck_assert_uint_eq(ba->rate_bps, 1000000);
	ck_assert_uint_eq(ba->delay_ns, 1500000);
	ck_assert_uint_eq(ba->queue_packets, 50);
	ck_assert_uint_eq(ba->queue_bytes, 0);
	ck_assert_uint_eq(ba->loss_ppb, 1000);
	ck_assert_uint_eq(ba->ndrop, 0);
	ck_assert_uint_eq(ba->reorder_ppb, 5000000);
	ck_assert_uint_eq(ba->reorder_delay_ns, 3 * MS);

	ck_assert_uint_eq(s.client.addr, 0x0A000001);
	ck_assert_uint_eq(s.client.port, 40000);
	t = &s.client.tcp;
	ck_assert_uint_eq(t->mss, 8960);
	ck_assert_uint_eq(t->send_buffer, 1048576);
	ck_assert_uint_eq(t->receive_buffer, 64000);
	ck_assert(!t->window_scaling);
	ck_assert(t->timestamps);
	ck_assert_uint_eq(t->initial_cwnd, 4);
	ck_assert_uint_eq(t->initial_rto_ns, 3 * SEC);
	ck_assert_uint_eq(t->min_rto_ns, 200 * MS);
	ck_assert_uint_eq(t->max_rto_ns, 120 * SEC);
	ck_assert_uint_eq(t->max_retries, 5);
	ck_assert_uint_eq(t->syn_retries, 2);
	ck_assert_uint_eq(t->msl_ns, 1 * SEC);
	ck_assert(t->iss_set);
	ck_assert_uint_eq(t->iss, 0xFFFFFF00);

	ck_assert_int_eq(s.client.app.kind, APP_SCRIPT);
	ck_assert_uint_eq(s.client.app.nsteps, 6);
	st = s.client.app.steps;
	ck_assert_int_eq(st[0].kind, STEP_CONNECT);
	ck_assert_uint_eq(st[0].port, 8080);
	ck_assert_uint_eq(st[0].loc.line, 40);
	ck_assert_uint_eq(st[0].loc.col, 7);
	ck_assert_int_eq(st[1].kind, STEP_SEND);
	ck_assert_uint_eq(st[1].bytes, 1500000);
	ck_assert_ptr_null(st[1].text);
	ck_assert_int_eq(st[2].kind, STEP_WAIT);
	ck_assert_uint_eq(st[2].wait_ns, 250 * MS);
	ck_assert_int_eq(st[3].kind, STEP_SEND);
	ck_assert_uint_eq(st[3].text_len, 14);
	ck_assert_int_eq(memcmp(st[3].text, "GET / HTTP/1.0", 14), 0);
	ck_assert_uint_eq(st[3].bytes, 0);
	ck_assert_int_eq(st[4].kind, STEP_SEND);
	ck_assert_uint_eq(st[4].text_len, 6);
	ck_assert_int_eq(memcmp(st[4].text, "line\r\n", 6), 0);
	ck_assert_int_eq(st[5].kind, STEP_ABORT);
	ck_assert_uint_eq(st[5].loc.line, 45);

	ck_assert_uint_eq(s.server.addr, 0x0A000002);
	ck_assert_uint_eq(s.server.port, 8080);
	t = &s.server.tcp;
	ck_assert(t->iss_set);
	ck_assert_uint_eq(t->iss, 0);
	ck_assert_uint_eq(t->mss, 64);
	ck_assert(t->timestamps);
	ck_assert_uint_eq(t->ts_rate_hz, 250);
	ck_assert_uint_eq(t->ts_initial, 4294967295u);
	ck_assert_uint_eq(t->send_buffer, 131072);
	ck_assert_int_eq(s.server.app.kind, APP_ECHO);
	ck_assert_uint_eq(s.server.app.nsteps, 0);

	ck_assert_int_eq(s.capture, CAPTURE_BOTH);
	ck_assert_int_eq(s.linktype, LINKTYPE_RAW_IP);

	ck_assert_uint_eq(s.nexpect, 12);
	e = s.expect;
	ck_assert_str_eq(e[0].key, "client.state");
	ck_assert_int_eq(e[0].op, EXPECT_EQ);
	ck_assert_int_eq(e[0].type, EXPECT_STRING);
	ck_assert_str_eq(e[0].string, "CLOSED");
	ck_assert_uint_eq(e[0].loc.line, 53);
	ck_assert_uint_eq(e[0].loc.col, 3);
	ck_assert_int_eq(e[1].type, EXPECT_BOOL);
	ck_assert_int_eq(e[1].op, EXPECT_EQ);
	ck_assert(e[1].boolean);
	ck_assert_int_eq(e[2].type, EXPECT_NUMBER);
	ck_assert_double_eq(e[2].number, 1500000.0);
	ck_assert_int_eq(e[3].op, EXPECT_GE);
	ck_assert_int_eq(e[3].type, EXPECT_NUMBER);
	ck_assert_double_eq(e[3].number, 1.0);
	ck_assert_int_eq(e[4].op, EXPECT_LT);
	ck_assert_double_eq(e[4].number, 250.5);
	ck_assert_int_eq(e[5].op, EXPECT_EQ);
	ck_assert_double_eq(e[5].number, -3.0);
	ck_assert_int_eq(e[6].op, EXPECT_NE);
	ck_assert_int_eq(e[6].type, EXPECT_STRING);
	ck_assert_str_eq(e[6].string, "reset");
	ck_assert_int_eq(e[7].type, EXPECT_NUMBER);
	ck_assert_double_eq(e[7].number, 65536.0);
	ck_assert_int_eq(e[8].type, EXPECT_STRING);   /* quoted, no operator */
	ck_assert_str_eq(e[8].string, "40000");
	ck_assert_int_eq(e[9].op, EXPECT_EQ);
	ck_assert_int_eq(e[9].type, EXPECT_BOOL);
	ck_assert(!e[9].boolean);
	ck_assert_int_eq(e[10].op, EXPECT_GT);
	ck_assert_double_eq(e[10].number, 1e7);
	ck_assert_int_eq(e[11].type, EXPECT_STRING);  /* no exponents */
	ck_assert_str_eq(e[11].string, "1e5");
	ck_assert_uint_eq(e[11].loc.line, 64);
	scenario_free(&s);
}
END_TEST

/* A server that runs a script, flow style, capture as a plain word. */
static const char SERVER_SCRIPT[] =
	"link: {rate: 100Kbps, delay: 0ms, mtu: 68, queue: 68B, loss: 0}\n"
	"client:\n"
	"  app: [connect, {send: 10}, {wait: 0ns}, abort]\n"
	"server:\n"
	"  app:\n"
	"    - wait: 1s\n"
	"    - send: |\n"
	"        hello\n"
	"    - close\n"
	"capture: none\n"
	"expect: {}\n";

START_TEST(test_server_script)
{
	struct scenario s;
	const struct app_step *st;

	load_ok("server-script.yml", SERVER_SCRIPT, &s);
	ck_assert_str_eq(s.name, "server-script");
	ck_assert_uint_eq(s.link.mtu, 68);
	ck_assert_uint_eq(s.link.a_to_b.rate_bps, 100000);
	ck_assert_uint_eq(s.link.b_to_a.delay_ns, 0);
	ck_assert_uint_eq(s.link.b_to_a.queue_bytes, 68);
	ck_assert_uint_eq(s.link.b_to_a.queue_packets, 0);
	ck_assert_uint_eq(s.client.app.nsteps, 4);
	st = s.client.app.steps;
	ck_assert_int_eq(st[1].kind, STEP_SEND);
	ck_assert_uint_eq(st[1].bytes, 10);
	ck_assert_int_eq(st[2].kind, STEP_WAIT);
	ck_assert_uint_eq(st[2].wait_ns, 0);
	ck_assert_int_eq(st[3].kind, STEP_ABORT);
	ck_assert_int_eq(s.server.app.kind, APP_SCRIPT);
	ck_assert_uint_eq(s.server.app.nsteps, 3);
	st = s.server.app.steps;
	ck_assert_int_eq(st[0].kind, STEP_WAIT);
	ck_assert_uint_eq(st[0].wait_ns, 1 * SEC);
	ck_assert_int_eq(st[1].kind, STEP_SEND);
	ck_assert_uint_eq(st[1].text_len, 6);
	ck_assert_int_eq(memcmp(st[1].text, "hello\n", 6), 0);
	ck_assert_int_eq(st[2].kind, STEP_CLOSE);
	ck_assert_int_eq(s.capture, CAPTURE_NONE);
	ck_assert_int_eq(s.linktype, LINKTYPE_ETHERNET);
	ck_assert_uint_eq(s.nexpect, 0);
	ck_assert_ptr_null(s.expect);
	scenario_free(&s);
}
END_TEST

/* Names: from the file (minus .yaml or .yml), or given. */

/* at, requests (unrolled), echo's read buffer, respond, a server's connect. */
START_TEST(test_app_kinds)
{
	struct scenario s;
	const struct app_step *st;

	load_ok("apps.yaml", "link: {rate: 1Mbps, delay: 1ms}\n"
		"client:\n  app:\n    - connect\n    - at: 1.5s\n"
		"    - requests: {count: 2, request: 200, response: 5KB, think: 100ms}\n"
		"    - requests: {count: 1, request: 1, response: 2}\n    - close\n"
		"server: {app: {respond: {request: 200, response: 5KB, delay: 5ms}}}\n", &s);
	st = s.client.app.steps;
	ck_assert_uint_eq(s.client.app.nsteps, 1 + 1 + 5 + 2 + 1);
	ck_assert_int_eq(st[1].kind, STEP_AT);
	ck_assert_uint_eq(st[1].wait_ns, 1500 * MSEC);
	ck_assert_int_eq(st[2].kind, STEP_SEND);
	ck_assert_uint_eq(st[2].bytes, 200);
	ck_assert_int_eq(st[2].role, ROLE_REQUEST);
	ck_assert_int_eq(st[3].kind, STEP_READ);
	ck_assert_uint_eq(st[3].bytes, 5000);
	ck_assert_int_eq(st[3].role, ROLE_RESPONSE);
	ck_assert_int_eq(st[4].kind, STEP_WAIT);      /* think time between two requests */
	ck_assert_uint_eq(st[4].wait_ns, 100 * MSEC);
	ck_assert_int_eq(st[4].role, ROLE_NONE);
	ck_assert_int_eq(st[5].kind, STEP_SEND);
	ck_assert_int_eq(st[6].kind, STEP_READ);
	ck_assert_int_eq(st[7].kind, STEP_SEND);      /* no think time after the last */
	ck_assert_uint_eq(st[7].bytes, 1);
	ck_assert_int_eq(st[8].kind, STEP_READ);
	ck_assert_uint_eq(st[8].bytes, 2);
	ck_assert_int_eq(st[9].kind, STEP_CLOSE);
	ck_assert_uint_eq(st[2].loc.line, 6);
	ck_assert_int_eq(s.server.app.kind, APP_RESPOND);
	ck_assert_uint_eq(s.server.app.request_bytes, 200);
	ck_assert_uint_eq(s.server.app.response_bytes, 5000);
	ck_assert_uint_eq(s.server.app.respond_delay_ns, 5 * MSEC);
	scenario_free(&s);

	load_ok("echo.yaml", "link: {rate: 1Mbps, delay: 1ms}\nclient: {app: [connect]}\n"
		"server: {app: {echo: {read_buffer: 100, write: whole_buffer}}}\n", &s);
	ck_assert_int_eq(s.server.app.kind, APP_ECHO);
	ck_assert_uint_eq(s.server.app.echo_buffer, 100);
	ck_assert(s.server.app.echo_whole);
	scenario_free(&s);
	load_ok("echo.yaml", "link: {rate: 1Mbps, delay: 1ms}\nclient: {app: [connect]}\n"
		"server: {app: {echo: {read_buffer: 64KiB, write: read}}}\n", &s);
	ck_assert_uint_eq(s.server.app.echo_buffer, 65536);
	ck_assert(!s.server.app.echo_whole);
	scenario_free(&s);

	/* A server whose script starts with connect opens actively too. */
	load_ok("so.yaml", "link: {rate: 1Mbps, delay: 1ms}\nclient: {app: [connect]}\n"
		"server: {app: [connect, {send: 1}, close]}\n", &s);
	ck_assert_int_eq(s.server.app.kind, APP_SCRIPT);
	ck_assert_int_eq(s.server.app.steps[0].kind, STEP_CONNECT);
	scenario_free(&s);
}
END_TEST

START_TEST(test_names)
{
	static const struct { const char *file, *name; } cases[] = {
		{ "plain", "plain" },
		{ "two.dots.yaml", "two.dots" },
		{ "x.yaml.yml", "x.yaml" },
		{ "UPPER_case-1.yml", "UPPER_case-1" },
	};
	struct scenario s;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		load_ok(cases[i].file, MINIMAL, &s);
		ck_assert_str_eq(s.name, cases[i].name);
		scenario_free(&s);
	}
}
END_TEST

/* An alias names the node of its anchor; that works like writing it twice. */
START_TEST(test_alias)
{
	static const char text[] =
		"link:\n"
		"  rate: &r 2Mbps\n"
		"  delay: 1ms\n"
		"  b_to_a: {rate: *r, drop: &d [1, 2]}\n"
		"  a_to_b: {drop: *d}\n"
		"client: {app: [connect]}\n"
		"server: {app: sink}\n";
	struct scenario s;

	load_ok("alias.yaml", text, &s);
	ck_assert_uint_eq(s.link.b_to_a.rate_bps, 2000000);
	ck_assert_uint_eq(s.link.a_to_b.ndrop, 2);
	ck_assert_uint_eq(s.link.b_to_a.ndrop, 2);
	ck_assert_ptr_ne(s.link.a_to_b.drop, s.link.b_to_a.drop);
	scenario_free(&s);
}
END_TEST

/* Link-level drops are copied into both directions, each its own array. */
START_TEST(test_link_drop_copied)
{
	static const char text[] =
		"link: {rate: 1Mbps, delay: 1ms, drop: [5, 1, 3], b_to_a: {loss: 100%}}\n"
		"client: {app: [connect]}\n"
		"server: {app: none}\n";
	struct scenario s;

	load_ok("drop.yaml", text, &s);
	ck_assert_uint_eq(s.link.a_to_b.ndrop, 3);
	ck_assert_uint_eq(s.link.b_to_a.ndrop, 3);
	ck_assert_ptr_ne(s.link.a_to_b.drop, s.link.b_to_a.drop);
	ck_assert_uint_eq(s.link.b_to_a.drop[0], 1);
	ck_assert_uint_eq(s.link.b_to_a.drop[1], 3);
	ck_assert_uint_eq(s.link.b_to_a.drop[2], 5);
	ck_assert_uint_eq(s.link.a_to_b.loss_ppb, 0);
	ck_assert_uint_eq(s.link.b_to_a.loss_ppb, 1000000000);
	ck_assert_int_eq(s.server.app.kind, APP_NONE);
	scenario_free(&s);
}
END_TEST

/* ---- impairments: loss models, loss scope, duplicate, jitter, blackouts, MTU ---- */

START_TEST(test_impairment_keys)
{
	static const char text[] =
		"link:\n"
		"  rate: 1Mbps\n"
		"  delay: 1ms\n"
		"  mtu: 9000\n"
		"  loss: {model: gilbert-elliott, p: 1%, r: 30%, bad_loss: 90%, good_loss: 0.5%}\n"
		"  loss_applies_to: data\n"
		"  duplicate: 2%\n"
		"  jitter: {max: 5ms, reorder: true}\n"
		"  blackout: [{start: 3s, duration: 1s}, {start: 1s, duration: 200ms}]\n"
		"  b_to_a:\n"
		"    mtu: 576\n"
		"    loss: {model: gilbert, p: 5%}\n"
		"    loss_applies_to: acks\n"
		"    jitter: 2ms\n"
		"    blackout: {start: 10s, duration: 5s}\n"
		"client: {app: [connect]}\n"
		"server: {app: sink}\n";
	struct scenario s;
	const struct link_cfg *ab, *ba;

	load_ok("impair.yaml", text, &s);
	ab = &s.link.a_to_b;
	ba = &s.link.b_to_a;
	ck_assert_uint_eq(s.link.mtu, 9000);
	ck_assert_uint_eq(ab->mtu, 9000);
	ck_assert_int_eq(ab->loss_model, LINK_LOSS_GE);
	ck_assert_uint_eq(ab->ge.p_ppb, 10000000);
	ck_assert_uint_eq(ab->ge.r_ppb, 300000000);
	ck_assert_uint_eq(ab->ge.bad_loss_ppb, 900000000);
	ck_assert_uint_eq(ab->ge.good_loss_ppb, 5000000);
	ck_assert_int_eq(ab->loss_applies_to, LINK_LOSS_DATA);
	ck_assert_uint_eq(ab->duplicate_ppb, 20000000);
	ck_assert_uint_eq(ab->jitter_max_ns, 5000000);
	ck_assert(ab->jitter_reorder);
	ck_assert_uint_eq(ab->nblackout, 2);
	ck_assert_uint_eq(ab->blackout[0].start_ns, 3000000000u);
	ck_assert_uint_eq(ab->blackout[0].end_ns, 4000000000u);
	ck_assert_uint_eq(ab->blackout[1].start_ns, 1000000000u);
	ck_assert_uint_eq(ab->blackout[1].end_ns, 1200000000u);
	/* b_to_a: the link's values but its own; netem's defaults for what gilbert leaves out. */
	ck_assert_uint_eq(ba->mtu, 576);
	ck_assert_int_eq(ba->loss_model, LINK_LOSS_GE);
	ck_assert_uint_eq(ba->ge.p_ppb, 50000000);
	ck_assert_uint_eq(ba->ge.r_ppb, 950000000);
	ck_assert_uint_eq(ba->ge.bad_loss_ppb, 1000000000);
	ck_assert_uint_eq(ba->ge.good_loss_ppb, 0);
	ck_assert_int_eq(ba->loss_applies_to, LINK_LOSS_ACKS);
	ck_assert_uint_eq(ba->duplicate_ppb, 20000000);
	ck_assert_uint_eq(ba->jitter_max_ns, 2000000);
	ck_assert(!ba->jitter_reorder);              /* a bare time: no reordering */
	ck_assert_uint_eq(ba->nblackout, 1);
	ck_assert_uint_eq(ba->blackout[0].start_ns, 10000000000u);
	ck_assert_uint_eq(ba->blackout[0].end_ns, 15000000000u);
	ck_assert_ptr_ne(ab->blackout, ba->blackout);
	scenario_free(&s);
}
END_TEST

/* The loss forms: a percentage and {model: bernoulli} are the same; a
 * direction's percentage replaces the link's model; [] takes the link's
 * blackouts away; defaults when nothing is said. */
START_TEST(test_loss_forms)
{
	static const char text[] =
		"link:\n"
		"  rate: 1Mbps\n"
		"  delay: 1ms\n"
		"  loss: {model: gilbert-elliott, p: 10%}\n"
		"  blackout: {start: 1s, duration: 1s}\n"
		"  a_to_b: {loss: {model: bernoulli, probability: 3%}, blackout: []}\n"
		"  b_to_a: {loss: 4%}\n"
		"client: {app: [connect]}\n"
		"server: {app: sink}\n";
	struct scenario s;

	load_ok("forms.yaml", text, &s);
	ck_assert_int_eq(s.link.a_to_b.loss_model, LINK_LOSS_BERNOULLI);
	ck_assert_uint_eq(s.link.a_to_b.loss_ppb, 30000000);
	ck_assert_uint_eq(s.link.a_to_b.nblackout, 0);
	ck_assert_int_eq(s.link.b_to_a.loss_model, LINK_LOSS_BERNOULLI);
	ck_assert_uint_eq(s.link.b_to_a.loss_ppb, 40000000);
	ck_assert_uint_eq(s.link.b_to_a.nblackout, 1);
	scenario_free(&s);

	load_ok("defaults.yaml", "link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {app: [connect]}\nserver: {app: sink}\n", &s);
	for (int i = 0; i < 2; i++) {
		const struct link_cfg *d = i ? &s.link.b_to_a : &s.link.a_to_b;

		ck_assert_int_eq(d->loss_model, LINK_LOSS_BERNOULLI);
		ck_assert_int_eq(d->loss_applies_to, LINK_LOSS_ALL);
		ck_assert_uint_eq(d->duplicate_ppb, 0);
		ck_assert_uint_eq(d->jitter_max_ns, 0);
		ck_assert_uint_eq(d->nblackout, 0);
		ck_assert_uint_eq(d->mtu, 1500);
	}
	scenario_free(&s);
}
END_TEST

/* --set builds the loss mapping when the file has none, and sets a direction's MTU. */
START_TEST(test_set_impairments)
{
	static const char *const sets[] = {
		"link.loss.model=gilbert-elliott", "link.loss.p=2%", "link.loss.good_loss=1%",
		"link.jitter=3ms", "link.b_to_a.mtu=1280", "link.duplicate=5%",
	};
	static const char text[] = "link: {rate: 1Mbps, delay: 1ms}\n"
				   "client: {app: [connect]}\nserver: {app: sink}\n";
	char path[] = "/tmp/check_scenario_set_XXXXXX";
	char err[512];
	struct scenario s;
	int fd = mkstemp(path);

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, sizeof(text) - 1), (ssize_t)(sizeof(text) - 1));
	close(fd);
	ck_assert_msg(scenario_load_set(path, sets, 6, &s, err, sizeof(err)) == 0, "%s", err);
	unlink(path);
	ck_assert_int_eq(s.link.b_to_a.loss_model, LINK_LOSS_GE);
	ck_assert_uint_eq(s.link.b_to_a.ge.p_ppb, 20000000);
	ck_assert_uint_eq(s.link.b_to_a.ge.r_ppb, 980000000);
	ck_assert_uint_eq(s.link.b_to_a.ge.good_loss_ppb, 10000000);
	ck_assert_uint_eq(s.link.a_to_b.jitter_max_ns, 3000000);
	ck_assert_uint_eq(s.link.a_to_b.mtu, 1500);
	ck_assert_uint_eq(s.link.b_to_a.mtu, 1280);
	ck_assert_uint_eq(s.link.b_to_a.duplicate_ppb, 50000000);
	scenario_free(&s);
}
END_TEST

/* ---- delayed ACK, quick ACK, Nagle ---- */

static const char ACK_KEYS[] =
	"link: {rate: 1Mbps, delay: 1ms}\n"
	"client:\n"
	"  tcp:\n"
	"    delayed_ack: 40ms\n"
	"    quick_ack: 16\n"
	"    nagle: false\n"
	"  app: [connect]\n"
	"server:\n"
	"  tcp: {delayed_ack: 0ms, quick_ack: 1000, nagle: TRUE}\n"
	"  app: sink\n";

START_TEST(test_ack_keys)
{
	struct scenario s;
	struct tcp_cfg want;

	load_ok("ack.yaml", ACK_KEYS, &s);
	ck_assert_uint_eq(s.client.tcp.delayed_ack_ns, 40 * MS);
	ck_assert_uint_eq(s.client.tcp.quick_ack, 16);
	ck_assert(!s.client.tcp.nagle);
	ck_assert_uint_eq(s.server.tcp.delayed_ack_ns, 0);       /* off */
	ck_assert_uint_eq(s.server.tcp.quick_ack, 1000);
	ck_assert(s.server.tcp.nagle);
	/* Nothing else moved. */
	want = s.client.tcp;
	want.delayed_ack_ns = 200 * MS;
	want.quick_ack = 0;
	want.nagle = true;
	assert_default_tcp(&want);
	want = s.server.tcp;
	want.delayed_ack_ns = 200 * MS;
	want.quick_ack = 0;
	assert_default_tcp(&want);
	scenario_free(&s);
}
END_TEST

/*
 * profile: linux sets every value docs/scenarios.md ("Profiles") lists, for
 * both hosts; a host's own profile replaces the scenario's; a tcp: key
 * replaces the profile's value, and nothing else.
 */
static void assert_linux_tcp(const struct tcp_cfg *t)
{
	ck_assert_uint_eq(t->receive_buffer, 6 * 1024 * 1024);
	ck_assert_uint_eq(t->send_buffer, 4 * 1024 * 1024);
	ck_assert(t->window_scaling);
	ck_assert(t->timestamps);
	ck_assert(t->sack);
	ck_assert_int_eq(t->recovery, TCP_RECOVERY_PRR);
	ck_assert(t->rack);
	ck_assert(t->tlp);
	ck_assert_uint_eq(t->initial_cwnd, 10);
	ck_assert_uint_eq(t->initial_rto_ns, 1000 * MS);
	ck_assert_uint_eq(t->min_rto_ns, 200 * MS);
	ck_assert_uint_eq(t->max_rto_ns, 120000 * MS);
	ck_assert_uint_eq(t->max_retries, 15);
	ck_assert_uint_eq(t->syn_retries, 6);
	ck_assert_uint_eq(t->msl_ns, 30000 * MS);
	ck_assert(t->limited_transmit);
	ck_assert_uint_eq(t->abc_limit, 2);
	ck_assert_uint_eq(t->delayed_ack_ns, 200 * MS);
	ck_assert_uint_eq(t->delayed_ack_min_ns, 40 * MS);
	ck_assert_uint_eq(t->quick_ack, 16);
	ck_assert(t->nagle);
	ck_assert_ptr_eq(t->cc, &cc_cubic);
	ck_assert(t->hystart);
	ck_assert(!t->iss_set);
}

START_TEST(test_profiles)
{
	struct scenario s;
	struct tcp_cfg want;

	load_ok("p.yaml", "profile: linux\n"
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {app: [connect]}\n"
		"server: {app: sink}\n", &s);
	ck_assert_str_eq(s.client.profile->name, "linux");
	ck_assert_str_eq(s.server.profile->name, "linux");
	assert_linux_tcp(&s.client.tcp);
	assert_linux_tcp(&s.server.tcp);
	scenario_free(&s);

	/* The host's profile wins; its tcp: keys win over both. */
	load_ok("p.yaml", "profile: linux\n"
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {profile: rfc, tcp: {min_rto: 300ms}, app: [connect]}\n"
		"server: {tcp: {min_rto: 1s, quick_ack: 0}, app: sink}\n", &s);
	ck_assert_str_eq(s.client.profile->name, "rfc");
	want = s.client.tcp;
	ck_assert_uint_eq(want.min_rto_ns, 300 * MS);
	want.min_rto_ns = 1000 * MS;
	assert_default_tcp(&want);
	ck_assert_str_eq(s.server.profile->name, "linux");
	want = s.server.tcp;
	ck_assert_uint_eq(want.min_rto_ns, 1000 * MS);
	ck_assert_uint_eq(want.quick_ack, 0);
	want.min_rto_ns = 200 * MS;
	want.quick_ack = 16;
	assert_linux_tcp(&want);
	scenario_free(&s);

	/* A delayed_ack written below the profile's floor takes the floor with it. */
	load_ok("p.yaml", "profile: linux\n"
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {tcp: {delayed_ack: 0}, app: [connect]}\n"
		"server: {tcp: {delayed_ack: 20ms}, app: sink}\n", &s);
	ck_assert_uint_eq(s.client.tcp.delayed_ack_ns, 0);
	ck_assert_uint_eq(s.client.tcp.delayed_ack_min_ns, 0);
	ck_assert_uint_eq(s.server.tcp.delayed_ack_ns, 20 * MS);
	ck_assert_uint_eq(s.server.tcp.delayed_ack_min_ns, 20 * MS);
	scenario_free(&s);

	/* Another congestion control takes the profile's HyStart away with CUBIC. */
	load_ok("p.yaml", "profile: linux\n"
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {tcp: {congestion_control: newreno}, app: [connect]}\n"
		"server: {app: sink}\n", &s);
	ck_assert_ptr_eq(s.client.tcp.cc, &cc_newreno);
	ck_assert(!s.client.tcp.hystart);
	assert_linux_tcp(&s.server.tcp);
	scenario_free(&s);

	/* sack: false takes the profile's RACK-TLP with it; rack: false its TLP. */
	load_ok("p.yaml", "profile: linux\n"
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {tcp: {sack: false}, app: [connect]}\n"
		"server: {tcp: {rack: false}, app: sink}\n", &s);
	ck_assert(!s.client.tcp.sack);
	ck_assert(!s.client.tcp.rack);
	ck_assert(!s.client.tcp.tlp);
	ck_assert(s.server.tcp.sack);
	ck_assert(!s.server.tcp.rack);
	ck_assert(!s.server.tcp.tlp);
	scenario_free(&s);

	/* Without any: rfc, the defaults. */
	load_ok("p.yaml", "link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {profile: linux, app: [connect]}\n"
		"server: {app: sink}\n", &s);
	ck_assert_str_eq(s.client.profile->name, "linux");
	ck_assert_str_eq(s.server.profile->name, "rfc");
	assert_linux_tcp(&s.client.tcp);
	assert_default_tcp(&s.server.tcp);
	scenario_free(&s);
}
END_TEST

/* The registry: names in order, each found, an unknown one not. */
START_TEST(test_profile_registry)
{
	struct tcp_cfg a;

	ck_assert_uint_eq(tcp_profile_count(), 2);
	ck_assert_str_eq(tcp_profile_at(0)->name, "rfc");
	ck_assert_str_eq(tcp_profile_at(1)->name, "linux");
	ck_assert_ptr_null(tcp_profile_at(2));
	ck_assert_ptr_eq(tcp_profile_find("linux"), tcp_profile_at(1));
	ck_assert_ptr_null(tcp_profile_find("bsd"));
	/* rfc is exactly the defaults, whatever was there before. */
	memset(&a, 0x5a, sizeof(a));
	tcp_profile_find("linux")->apply(&a);
	tcp_profile_find("rfc")->apply(&a);
	assert_default_tcp(&a);
}
END_TEST

/* delayed_ack: any time below RFC 1122's half second, in any unit. */
START_TEST(test_delayed_ack_values)
{
	static const struct { const char *text; uint64_t ns; } cases[] = {
		{ "0ms", 0 },
		{ "0", 0 },                 /* "0 turns delayed ACK off" */
		{ "0s", 0 },
		{ "1ns", 1 },
		{ "40ms", 40 * MS },
		{ "0.4s", 400 * MS },
		{ "200000us", 200 * MS },
		{ "499.999999ms", 500 * MS - 1 },
		{ "499999999ns", 500 * MS - 1 },
	};
	struct scenario s;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text),
			 "link: {rate: 1Mbps, delay: 1ms}\n"
			 "client: {tcp: {delayed_ack: %s}, app: [connect]}\n"
			 "server: {app: sink}\n", cases[i].text);
		load_ok("delack.yaml", text, &s);
		ck_assert_msg(s.client.tcp.delayed_ack_ns == cases[i].ns,
			      "delayed_ack: %s gave %llu ns", cases[i].text,
			      (unsigned long long)s.client.tcp.delayed_ack_ns);
		ck_assert_uint_eq(s.server.tcp.delayed_ack_ns, 200 * MS);
		scenario_free(&s);
	}
}
END_TEST

/* ---- read pacing and read steps ---- */

static const char READS[] =
	"link: {rate: 1Mbps, delay: 1ms}\n"              /* 1 */
	"client:\n"
	"  read: {bytes: 1000, every: 100ms}\n"
	"  app:\n"
	"    - connect\n"                                  /* 5 */
	"    - read: 1KB\n"
	"    - send: 10\n"
	"    - read: 64KiB\n"
	"    - close\n"
	"server:\n"                                        /* 10 */
	"  app: sink\n"
	"  read:\n"
	"    every: 1ns\n"
	"    bytes: 1GiB\n";

START_TEST(test_reads)
{
	struct scenario s;
	const struct app_step *st;

	load_ok("reads.yaml", READS, &s);
	ck_assert_uint_eq(s.client.app.read_bytes, 1000);
	ck_assert_uint_eq(s.client.app.read_every_ns, 100 * MS);
	ck_assert_int_eq(s.server.app.kind, APP_SINK);
	ck_assert_uint_eq(s.server.app.read_bytes, UINT64_C(1) << 30);
	ck_assert_uint_eq(s.server.app.read_every_ns, 1);
	ck_assert_uint_eq(s.client.app.nsteps, 5);
	st = s.client.app.steps;
	ck_assert_int_eq(st[1].kind, STEP_READ);
	ck_assert_uint_eq(st[1].bytes, 1000);
	ck_assert_ptr_null(st[1].text);
	ck_assert_uint_eq(st[1].loc.line, 6);
	ck_assert_uint_eq(st[1].loc.col, 7);
	ck_assert_int_eq(st[2].kind, STEP_SEND);
	ck_assert_int_eq(st[3].kind, STEP_READ);
	ck_assert_uint_eq(st[3].bytes, 65536);
	ck_assert_uint_eq(st[3].loc.line, 8);
	ck_assert_int_eq(st[4].kind, STEP_CLOSE);
	scenario_free(&s);
}
END_TEST

/* A server script may start with a read, and read pacing goes with any app. */
START_TEST(test_server_reads)
{
	static const char text[] =
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {app: [connect, {send: 100}, {read: 50}, close]}\n"
		"server:\n"
		"  read: {every: 1s, bytes: 1}\n"
		"  app: [{read: 100}, {send: 50}]\n";
	struct scenario s;

	load_ok("server-reads.yaml", text, &s);
	ck_assert_int_eq(s.server.app.kind, APP_SCRIPT);
	ck_assert_uint_eq(s.server.app.nsteps, 2);
	ck_assert_int_eq(s.server.app.steps[0].kind, STEP_READ);
	ck_assert_uint_eq(s.server.app.steps[0].bytes, 100);
	ck_assert_uint_eq(s.server.app.steps[0].loc.line, 5);
	ck_assert_uint_eq(s.server.app.steps[0].loc.col, 9);
	ck_assert_uint_eq(s.server.app.read_bytes, 1);
	ck_assert_uint_eq(s.server.app.read_every_ns, 1 * SEC);
	assert_no_read_pacing(&s.client.app);
	ck_assert_int_eq(s.client.app.steps[2].kind, STEP_READ);
	ck_assert_uint_eq(s.client.app.steps[2].bytes, 50);
	scenario_free(&s);
}
END_TEST

/* ---- repeat ---- */

static const char REPEAT[] =
	"link: {rate: 1Mbps, delay: 1ms}\n"              /* 1 */
	"client:\n"
	"  app:\n"
	"    - connect\n"
	"    - repeat:\n"                                  /* 5 */
	"        times: 3\n"
	"        steps:\n"
	"          - send: 'ping'\n"
	"          - read: 4\n"
	"          - wait: 10ms\n"                         /* 10 */
	"    - close\n"
	"server:\n"
	"  app:\n"
	"    - repeat: {steps: [{read: 4}, {send: \"pong\\n\"}], times: 2}\n";

START_TEST(test_repeat)
{
	struct scenario s;
	const struct app_step *st;
	size_t i;

	load_ok("repeat.yaml", REPEAT, &s);
	ck_assert_uint_eq(s.client.app.nsteps, 11);
	st = s.client.app.steps;
	ck_assert_int_eq(st[0].kind, STEP_CONNECT);
	for (i = 0; i < 3; i++) {
		const struct app_step *r = &st[1 + 3 * i];

		ck_assert_int_eq(r[0].kind, STEP_SEND);
		ck_assert_uint_eq(r[0].text_len, 4);
		ck_assert_int_eq(memcmp(r[0].text, "ping", 4), 0);
		ck_assert_uint_eq(r[0].bytes, 0);
		/* Each copy is where the file wrote the step. */
		ck_assert_uint_eq(r[0].loc.line, 8);
		ck_assert_uint_eq(r[0].loc.col, 13);
		ck_assert_int_eq(r[1].kind, STEP_READ);
		ck_assert_uint_eq(r[1].bytes, 4);
		ck_assert_uint_eq(r[1].loc.line, 9);
		ck_assert_int_eq(r[2].kind, STEP_WAIT);
		ck_assert_uint_eq(r[2].wait_ns, 10 * MS);
		ck_assert_uint_eq(r[2].loc.line, 10);
	}
	/* The copies share the first one's text, which alone is freed. */
	ck_assert(!st[1].text_shared);
	ck_assert_ptr_eq(st[1].text, st[4].text);
	ck_assert_ptr_eq(st[1].text, st[7].text);
	ck_assert(st[4].text_shared && st[7].text_shared);
	ck_assert_int_eq(st[10].kind, STEP_CLOSE);
	ck_assert_uint_eq(st[10].loc.line, 11);

	/* A server script may start with a repeat. */
	ck_assert_int_eq(s.server.app.kind, APP_SCRIPT);
	ck_assert_uint_eq(s.server.app.nsteps, 4);
	st = s.server.app.steps;
	for (i = 0; i < 4; i += 2) {
		ck_assert_int_eq(st[i].kind, STEP_READ);
		ck_assert_uint_eq(st[i].bytes, 4);
		ck_assert_int_eq(st[i + 1].kind, STEP_SEND);
		ck_assert_uint_eq(st[i + 1].text_len, 5);
		ck_assert_int_eq(memcmp(st[i + 1].text, "pong\n", 5), 0);
	}
	ck_assert_ptr_eq(st[1].text, st[3].text);
	scenario_free(&s);
}
END_TEST

/* A repeat inside a repeat: 2 x (text, 3 x (send, wait), read). */
START_TEST(test_repeat_nested)
{
	static const char text[] =
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client:\n"
		"  app:\n"
		"    - connect\n"
		"    - repeat:\n"
		"        times: 2\n"
		"        steps:\n"
		"          - send: 'a'\n"
		"          - repeat: {times: 3, steps: [{send: 1}, {wait: 1ms}]}\n"
		"          - read: 1\n"
		"    - abort\n"
		"server: {app: sink}\n";
	static const enum step_kind once[] = {
		STEP_SEND, STEP_SEND, STEP_WAIT, STEP_SEND, STEP_WAIT, STEP_SEND, STEP_WAIT,
		STEP_READ,
	};
	struct scenario s;
	const struct app_step *st;
	size_t i, j;

	load_ok("nested.yaml", text, &s);
	ck_assert_uint_eq(s.client.app.nsteps, 1 + 2 * 8 + 1);
	st = s.client.app.steps;
	ck_assert_int_eq(st[0].kind, STEP_CONNECT);
	for (i = 0; i < 2; i++) {
		for (j = 0; j < 8; j++) {
			const struct app_step *x = &st[1 + 8 * i + j];

			ck_assert_msg(x->kind == once[j], "step %zu is %d, want %d",
				      1 + 8 * i + j, (int)x->kind, (int)once[j]);
			if (j == 0) {
				ck_assert_uint_eq(x->text_len, 1);
				ck_assert_int_eq(x->text[0], 'a');
				ck_assert_uint_eq(x->loc.line, 8);
			} else if (x->kind == STEP_SEND) {
				ck_assert_ptr_null(x->text);
				ck_assert_uint_eq(x->bytes, 1);
				ck_assert_uint_eq(x->loc.line, 9);
			} else if (x->kind == STEP_WAIT) {
				ck_assert_uint_eq(x->wait_ns, 1 * MS);
			} else {
				ck_assert_uint_eq(x->bytes, 1);
				ck_assert_uint_eq(x->loc.line, 10);
			}
		}
	}
	ck_assert_ptr_eq(st[1].text, st[9].text);   /* shared, freed once */
	ck_assert_int_eq(st[17].kind, STEP_ABORT);
	scenario_free(&s);
}
END_TEST

/* times: 1 is the steps once; an alias may name a repeat's steps. */
START_TEST(test_repeat_once_and_alias)
{
	static const char text[] =
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client:\n"
		"  app:\n"
		"    - {repeat: {times: 1, steps: [connect]}}\n"
		"    - {repeat: {times: 2, steps: &s [{send: 'hi'}, {wait: 5ms}]}}\n"
		"    - {repeat: {times: 1, steps: *s}}\n"
		"server: {app: sink}\n";
	struct scenario s;
	const struct app_step *st;
	size_t i;

	load_ok("once.yaml", text, &s);
	ck_assert_uint_eq(s.client.app.nsteps, 7);
	st = s.client.app.steps;
	ck_assert_int_eq(st[0].kind, STEP_CONNECT);
	ck_assert_uint_eq(st[0].loc.line, 4);
	for (i = 1; i < 7; i += 2) {
		ck_assert_int_eq(st[i].kind, STEP_SEND);
		ck_assert_uint_eq(st[i].text_len, 2);
		ck_assert_int_eq(memcmp(st[i].text, "hi", 2), 0);
		ck_assert_int_eq(st[i + 1].kind, STEP_WAIT);
		ck_assert_uint_eq(st[i + 1].wait_ns, 5 * MS);
	}
	ck_assert_ptr_eq(st[1].text, st[3].text);
	ck_assert_ptr_ne(st[3].text, st[5].text);
	scenario_free(&s);
}
END_TEST

/* Up to 100000 steps once unrolled, nested repeats multiplied. */
START_TEST(test_repeat_limit)
{
	static const char flat[] =
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {app: [connect, {repeat: {times: 99999, steps: [{send: 'x'}]}}]}\n"
		"server: {app: sink}\n";
	static const char nested[] =
		"link: {rate: 1Mbps, delay: 1ms}\n"
		"client: {app: [connect, {repeat: {times: 3, steps: [{read: 1},\n"
		"  {repeat: {times: 33332, steps: [{wait: 1ms}]}}]}}]}\n"
		"server: {app: sink}\n";
	struct scenario s;

	load_ok("flat.yaml", flat, &s);
	ck_assert_uint_eq(s.client.app.nsteps, 100000);
	ck_assert_int_eq(s.client.app.steps[99999].kind, STEP_SEND);
	ck_assert_int_eq(s.client.app.steps[99999].text[0], 'x');
	ck_assert_ptr_eq(s.client.app.steps[99999].text, s.client.app.steps[1].text);
	scenario_free(&s);

	load_ok("nested.yaml", nested, &s);
	ck_assert_uint_eq(s.client.app.nsteps, 1 + 3 * 33333);
	ck_assert_int_eq(s.client.app.steps[1].kind, STEP_READ);
	ck_assert_int_eq(s.client.app.steps[33334].kind, STEP_READ);
	ck_assert_int_eq(s.client.app.steps[99999].kind, STEP_WAIT);
	scenario_free(&s);
}
END_TEST

/* ---- capture: snaplen ---- */

START_TEST(test_snaplen)
{
	static const struct { const char *capture; uint32_t snaplen; enum capture_point at; } cases[] = {
		{ "{snaplen: 96}", 96, CAPTURE_CLIENT },
		{ "{snaplen: 1514, at: both}", 1514, CAPTURE_BOTH },
		{ "{at: server, snaplen: 262144, link_type: raw}", 262144, CAPTURE_SERVER },
		{ "{at: none}", 0, CAPTURE_NONE },
		{ "server", 0, CAPTURE_SERVER },
	};
	struct scenario s;
	char text[256];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "%s%s%scapture: %s\n",
			 "link: {rate: 1Mbps, delay: 1ms}\n", "client: {app: [connect]}\n",
			 "server: {app: sink}\n", cases[i].capture);
		load_ok("snaplen.yaml", text, &s);
		ck_assert_msg(s.snaplen == cases[i].snaplen, "capture: %s gave snaplen %u",
			      cases[i].capture, (unsigned)s.snaplen);
		ck_assert_int_eq(s.capture, cases[i].at);
		scenario_free(&s);
	}
}
END_TEST

/* ---- files that cannot be read ---- */

START_TEST(test_missing_file)
{
	struct scenario s;
	char err[256];
	const char *path = SRCDIR "/tests/bad/no-such-file.yaml";
	char want[512];

	ck_assert_int_eq(scenario_load(path, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1:1: cannot read file: No such file or directory", path);
	ck_assert_str_eq(err, want);
	ck_assert_ptr_null(s.name);
	scenario_free(&s);
}
END_TEST

START_TEST(test_directory)
{
	struct scenario s;
	char err[256], want[512];

	ck_assert_int_eq(scenario_load(tmpdir, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1:1: cannot read file: Is a directory", tmpdir);
	ck_assert_str_eq(err, want);
}
END_TEST

/* A short buffer truncates the message; no buffer at all is allowed. */
START_TEST(test_short_error_buffer)
{
	struct scenario s;
	char err[8];

	ck_assert_int_eq(scenario_load("/nonexistent/x.yaml", &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/nonexi");
	ck_assert_int_eq(scenario_load("/nonexistent/x.yaml", &s, NULL, 0), -1);
}
END_TEST

/* ---- tests/bad: one file per defect, messages in EXPECTED ---- */

struct bad_case {
	char file[256];
	char msg[768];           /* "file:LINE:COL: message" */
};

static struct bad_case bad_cases[128];
static int nbad;

static void read_expected(void)
{
	FILE *f = fopen(BAD_DIR "/EXPECTED", "r");
	char line[768];

	if (!f) {
		fprintf(stderr, "cannot open %s/EXPECTED: %s\n", BAD_DIR, strerror(errno));
		exit(EXIT_FAILURE);
	}
	while (fgets(line, sizeof(line), f) && nbad < N(bad_cases)) {
		struct bad_case *bc = &bad_cases[nbad];
		size_t len = strcspn(line, ":");

		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0' || len >= sizeof(bc->file))
			continue;
		memcpy(bc->file, line, len);
		bc->file[len] = '\0';
		snprintf(bc->msg, sizeof(bc->msg), "%s", line);
		nbad++;
	}
	fclose(f);
}

START_TEST(test_bad_file)
{
	const struct bad_case *bc = &bad_cases[_i];
	struct scenario s;
	char path[512], err[512];
	size_t dirlen = strlen(BAD_DIR) + 1;

	snprintf(path, sizeof(path), "%s/%s", BAD_DIR, bc->file);
	ck_assert_msg(scenario_load(path, &s, err, sizeof(err)) == -1, "%s loaded", bc->file);
	ck_assert_ptr_null(s.name);
	ck_assert_ptr_null(s.client.app.steps);
	ck_assert_ptr_null(s.link.a_to_b.drop);
	ck_assert_int_eq(strncmp(err, path, dirlen), 0);
	ck_assert_str_eq(err + dirlen, bc->msg);
	scenario_free(&s);
}
END_TEST

/* Every *.yaml in tests/bad has its line in EXPECTED, and there are enough. */
START_TEST(test_bad_files_listed)
{
	DIR *d = opendir(BAD_DIR);
	struct dirent *de;
	int files = 0, i;

	ck_assert_ptr_nonnull(d);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		bool listed = false;

		if (len < 5 || strcmp(de->d_name + len - 5, ".yaml") != 0)
			continue;
		files++;
		for (i = 0; i < nbad; i++)
			listed = listed || strcmp(bad_cases[i].file, de->d_name) == 0;
		ck_assert_msg(listed, "%s is not in EXPECTED", de->d_name);
	}
	closedir(d);
	ck_assert_int_eq(files, nbad);
	ck_assert_int_ge(nbad, 20);
}
END_TEST

/* ---- smaller defects, inline ---- */

#define LINK "link: {rate: 1Mbps, delay: 1ms}\n"
#define CLIENT "client: {app: [connect]}\n"
#define SERVER "server: {app: sink}\n"

static const struct { const char *yaml, *msg; } snippets[] = {
	{ LINK "client: {tcp: {delayed_ack_min: 300ms}, app: [connect]}\n" SERVER,
	  "2:33: delayed_ack_min 300ms is more than delayed_ack 200ms" },
	{ LINK "client: {tcp: {delayed_ack: 0, delayed_ack_min: 1ms}, app: [connect]}\n" SERVER,
	  "2:49: delayed_ack_min 1ms is more than delayed_ack 0s (delayed ACK is off)" },
	{ LINK "client: {tcp: {delayed_ack_min: 501ms}, app: [connect]}\n" SERVER,
	  "2:33: delayed_ack_min: must be less than 500ms (RFC 1122 4.2.3.2)" },
	{ LINK CLIENT SERVER "profile: bsd\n",
	  "4:10: profile: 'bsd' is not rfc or linux" },
	{ LINK "client: {profile: [linux], app: [connect]}\n" SERVER,
	  "2:19: 'profile' must be a scalar" },
	{ LINK CLIENT "server: {profile: Linux, app: sink}\n",
	  "3:19: profile: 'Linux' is not rfc or linux" },
	{ LINK CLIENT SERVER "description: {a: 1}\n",
	  "4:14: 'description' must be a scalar" },
	{ LINK CLIENT SERVER "seed: -1\n",
	  "4:7: seed: must not be negative" },
	{ LINK CLIENT SERVER "seed: 1.5\n",
	  "4:7: seed: expected a whole number such as 42" },
	{ LINK CLIENT SERVER "duration: 0s\n",
	  "4:11: duration: must be greater than 0" },
	{ LINK CLIENT SERVER "name: ''\n",
	  "4:7: name: '' may only contain letters, digits, '.', '_' and '-'" },
	{ "link: {rate: 1Mbps, delay: 3601s}\n" CLIENT SERVER,
	  "1:28: delay: must be at most 3600s" },
	{ "link: {rate: 10001Gbps, delay: 1ms}\n" CLIENT SERVER,
	  "1:14: rate: must be at most 10000Gbps (10 Tbit/s)" },
	{ "link: {rate: 1Mbps}\n" CLIENT SERVER,
	  "1:7: missing key 'delay' in 'link'" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: 0}\n" CLIENT SERVER,
	  "1:40: queue: must be between 1 and 1000000 packets" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: 1000001}\n" CLIENT SERVER,
	  "1:40: queue: must be between 1 and 1000000 packets" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: 2GiB}\n" CLIENT SERVER,
	  "1:40: queue: must be at most 1GiB" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: -3}\n" CLIENT SERVER,
	  "1:40: queue: must not be negative" },
	{ "link: {rate: 1Mbps, delay: 1ms, drop: [0]}\n" CLIENT SERVER,
	  "1:40: drop: packet numbers start at 1" },
	{ "link: {rate: 1Mbps, delay: 1ms, drop: [[1]]}\n" CLIENT SERVER,
	  "1:40: 'drop' must be a sequence of packet numbers" },
	{ "link: {rate: 1Mbps, delay: 1ms, reorder: 5%}\n" CLIENT SERVER,
	  "1:42: 'reorder' must be a mapping" },
	{ "link: {rate: 1Mbps, delay: 1ms, reorder: {delay: 1ms}}\n" CLIENT SERVER,
	  "1:42: missing key 'probability' in 'reorder'" },
	{ "link: {rate: 1Mbps, delay: 1ms, reorder: {probability: 1%, delay: 1ms, jitter: 1}}\n"
	  CLIENT SERVER,
	  "1:72: unknown key 'jitter' in 'reorder'" },
	{ "link: {rate: 1Mbps, delay: 1ms, a_to_b: [1]}\n" CLIENT SERVER,
	  "1:41: 'a_to_b' must be a mapping" },
	{ "link: {rate: 1Mbps, delay: 1ms, a_to_b: {rtae: 1Mbps}}\n" CLIENT SERVER,
	  "1:42: unknown key 'rtae' in 'a_to_b' (did you mean 'rate'?)" },
	{ "link: {rate: 1Mbps, delay: 1ms, b_to_a: {rate: 0bps}}\n" CLIENT SERVER,
	  "1:48: rate must be greater than 0" },
	{ "link: {rate: 1Mbps, delay: 1ms, mtu: 576}\n"
	  "client: {tcp: {mss: 537}, app: [connect]}\n" SERVER,
	  "2:21: mss 537 is larger than the MTU allows (MTU-40 = 536)" },
	{ LINK "client: {tcp: {mss: 63}, app: [connect]}\n" SERVER,
	  "2:21: mss: must be at least 64" },
	{ LINK "client: {tcp: {send_buffer: 0}, app: [connect]}\n" SERVER,
	  "2:29: send_buffer: must be between 1 byte and 1GiB" },
	{ LINK "client: {tcp: {receive_buffer: 1.5GiB}, app: [connect]}\n" SERVER,
	  "2:32: receive_buffer: must be between 1 byte and 1GiB" },
	{ LINK "client: {tcp: {initial_cwnd: 0}, app: [connect]}\n" SERVER,
	  "2:30: initial_cwnd: must be between 1 and 1000" },
	{ LINK "client: {tcp: {initial_rto: 0ms}, app: [connect]}\n" SERVER,
	  "2:29: initial_rto: must be greater than 0" },
	{ LINK "client: {tcp: {min_rto: 90s}, app: [connect]}\n" SERVER,
	  "2:25: max_rto (60s) must not be smaller than min_rto (90s)" },
	{ LINK "client: {tcp: {max_rto: 1500ms, min_rto: 1.6s}, app: [connect]}\n" SERVER,
	  "2:25: max_rto (1500ms) must not be smaller than min_rto (1600ms)" },
	{ LINK "client: {tcp: {max_retries: 101}, app: [connect]}\n" SERVER,
	  "2:29: max_retries: must be between 1 and 100" },
	{ LINK "client: {tcp: {syn_retries: 0}, app: [connect]}\n" SERVER,
	  "2:29: syn_retries: must be between 1 and 100" },
	{ LINK "client: {tcp: {msl: 2h}, app: [connect]}\n" SERVER,
	  "2:21: msl: unknown time unit: use ns, us, ms, s or min" },
	{ LINK "client: {tcp: {iss: 4294967296}, app: [connect]}\n" SERVER,
	  "2:21: iss: must be at most 4294967295" },
	{ LINK "client: {tcp: [mss], app: [connect]}\n" SERVER,
	  "2:15: 'tcp' must be a mapping" },
	{ LINK "client: {port: 0, app: [connect]}\n" SERVER,
	  "2:16: port: must be between 1 and 65535" },
	{ LINK "client: {address: 10.0.0.01, app: [connect]}\n" SERVER,
	  "2:19: address: '10.0.0.01' is not an IPv4 address such as 192.0.2.1" },
	{ LINK "client: {address: 10.0.0, app: [connect]}\n" SERVER,
	  "2:19: address: '10.0.0' is not an IPv4 address such as 192.0.2.1" },
	{ LINK "client: {address: 192.0.2.2, app: [connect]}\n" SERVER,
	  "2:19: address: the client and the server need different addresses" },
	{ LINK "client: {app: []}\n" SERVER,
	  "2:15: the client's app must be a script starting with connect" },
	{ LINK "client: {app: [connect, connect]}\n" SERVER,
	  "2:25: app: the client connects once; remove this second connect" },
	{ LINK "client: {app: [{connect: 0}]}\n" SERVER,
	  "2:26: connect: the port must be between 1 and 65535" },
	{ LINK "client: {app: [connect, {send: 0}]}\n" SERVER,
	  "2:32: send: must be greater than 0" },
	{ LINK "client: {app: [connect, {send: ''}]}\n" SERVER,
	  "2:32: send: the text is empty" },
	{ LINK "client: {app: [connect, {send: }]}\n" SERVER,
	  "2:32: send needs a byte count or quoted text, e.g. 'send: 10MB'" },
	{ LINK "client: {app: [connect, send]}\n" SERVER,
	  "2:25: send needs a byte count or quoted text, e.g. 'send: 10MB'" },
	{ LINK "client: {app: [connect, {send: 1.5}]}\n" SERVER,
	  "2:32: send: not a whole number of bytes" },
	{ LINK "client: {app: [connect, {send: [1]}]}\n" SERVER,
	  "2:32: 'send' must be a scalar" },
	{ LINK "client: {app: [connect, {wait: 5}]}\n" SERVER,
	  "2:32: wait: a time needs a unit: ns, us, ms, s or min" },
	{ LINK "client: {app: [connect, wait]}\n" SERVER,
	  "2:25: wait needs a time, e.g. 'wait: 100ms'" },
	{ LINK "client: {app: [connect, {close: now}]}\n" SERVER,
	  "2:26: close takes no value" },
	{ LINK "client: {app: [connect, clsoe]}\n" SERVER,
	  "2:25: unknown step 'clsoe' (did you mean 'close'?)" },
	{ LINK "client: {app: [connect, [close]]}\n" SERVER,
	  "2:25: a step is connect, send: BYTES, wait: TIME, at: TIME, read: BYTES, repeat,"
	  " requests, close or abort, each on its own '-' line" },
	/* at, requests, echo and respond */
	{ LINK "client: {app: [connect, at]}\n" SERVER,
	  "2:25: at needs a time, e.g. 'at: 2s'" },
	{ LINK "client: {app: [connect, {at: 2}]}\n" SERVER,
	  "2:30: at: a time needs a unit: ns, us, ms, s or min" },
	{ LINK "client: {app: [connect, requests]}\n" SERVER,
	  "2:25: requests needs {count, request, response}" },
	{ LINK "client: {app: [connect, {requests: 3}]}\n" SERVER,
	  "2:36: requests: expected {count: N, request: SIZE, response: SIZE}" },
	{ LINK "client: {app: [connect, {requests: {count: 3, request: 10}}]}\n" SERVER,
	  "2:36: missing key 'response' in 'requests'" },
	{ LINK "client: {app: [connect, {requests: {count: 0, request: 1, response: 1}}]}\n" SERVER,
	  "2:44: count: must be between 1 and 100000" },
	{ LINK "client: {app: [connect, {requests: {count: 1, request: 1, response: 1, thnk: 1s}}]}\n"
	  SERVER, "2:72: unknown key 'thnk' in 'requests' (did you mean 'think'?)" },
	{ LINK "client: {app: [connect, {requests: {count: 50000, request: 1, response: 1}}]}\n"
	  SERVER, "2:36: app: more than 100000 steps once repeat blocks are unrolled" },
	{ LINK CLIENT "server: {app: {echo: {read_buffer: 65537}}}\n",
	  "3:36: read_buffer: must be at most 64KiB" },
	{ LINK CLIENT "server: {app: {echo: {write: whole_buffer}}}\n",
	  "3:30: write: whole_buffer needs a read_buffer size" },
	{ LINK CLIENT "server: {app: {echo: {read_buffer: 100, write: all}}}\n",
	  "3:48: write: 'all' is not read or whole_buffer" },
	{ LINK CLIENT "server: {app: {echo: 100}}\n",
	  "3:22: echo: expected {read_buffer: SIZE, write: read | whole_buffer}" },
	{ LINK CLIENT "server: {app: {respond: {request: 100}}}\n",
	  "3:25: missing key 'response' in 'respond'" },
	{ LINK CLIENT "server: {app: {respond: {request: 1, response: 1, dealy: 1s}}}\n",
	  "3:51: unknown key 'dealy' in 'respond' (did you mean 'delay'?)" },
	{ LINK "client: {app: {connect: 80}}\n" SERVER,
	  "2:15: the client's app must be a script starting with connect" },
	{ LINK CLIENT "server: {app: sinc}\n",
	  "3:15: app: unknown app 'sinc' (did you mean 'sink'?)" },
	{ LINK CLIENT "server: {app: discard}\n",
	  "3:15: app: 'discard' is not sink, echo, none or a list of steps" },
	{ LINK CLIENT "server: {app: []}\n",
	  "3:15: app: a script needs at least one step" },
	{ LINK CLIENT "server: {app: {wait: 1s}}\n",
	  "3:15: 'app' must be sink, echo, none, {echo: ...}, {respond: ...} or a list of steps" },
	{ LINK CLIENT "server: {port: 80}\n",
	  "3:9: missing key 'app' in 'server'" },
	{ LINK CLIENT SERVER "capture: [client]\n",
	  "4:10: 'capture' must be client, server, both, none or a mapping" },
	{ LINK CLIENT SERVER "capture: {at: nowhere}\n",
	  "4:15: at: 'nowhere' is not client, server, both or none" },
	{ LINK CLIENT SERVER "capture: {linktype: raw}\n",
	  "4:11: unknown key 'linktype' in 'capture' (did you mean 'link_type'?)" },
	/* delayed ACK, quick ACK, Nagle */
	{ LINK "client: {tcp: {delayed_ack: 500ms}, app: [connect]}\n" SERVER,
	  "2:29: delayed_ack: must be less than 500ms (RFC 1122 4.2.3.2)" },
	{ LINK "client: {tcp: {delayed_ack: 0.5s}, app: [connect]}\n" SERVER,
	  "2:29: delayed_ack: must be less than 500ms (RFC 1122 4.2.3.2)" },
	{ LINK "client: {tcp: {delayed_ack: 100000min}, app: [connect]}\n" SERVER,
	  "2:29: delayed_ack: must be less than 500ms (RFC 1122 4.2.3.2)" },
	{ LINK "client: {tcp: {delayed_ack: -1ms}, app: [connect]}\n" SERVER,
	  "2:29: delayed_ack: must not be negative" },
	{ LINK "client: {tcp: {delayed_ack: 2}, app: [connect]}\n" SERVER,
	  "2:29: delayed_ack: a time needs a unit: ns, us, ms, s or min" },
	{ LINK "client: {tcp: {delayed_ack: [1ms]}, app: [connect]}\n" SERVER,
	  "2:29: 'delayed_ack' must be a scalar" },
	{ LINK "client: {tcp: {delayd_ack: 1ms}, app: [connect]}\n" SERVER,
	  "2:16: unknown key 'delayd_ack' in 'tcp' (did you mean 'delayed_ack'?)" },
	{ LINK "client: {tcp: {quick_ack: 1001}, app: [connect]}\n" SERVER,
	  "2:27: quick_ack: must be at most 1000" },
	{ LINK "client: {tcp: {quick_ack: -1}, app: [connect]}\n" SERVER,
	  "2:27: quick_ack: must not be negative" },
	{ LINK "client: {tcp: {quick_ack: 1.5}, app: [connect]}\n" SERVER,
	  "2:27: quick_ack: expected a whole number such as 42" },
	{ LINK "client: {tcp: {nagle: maybe}, app: [connect]}\n" SERVER,
	  "2:23: nagle: expected true or false" },
	{ LINK "client: {tcp: {nagle: yes}, app: [connect]}\n" SERVER,
	  "2:23: nagle: expected true or false" },
	{ LINK CLIENT "server: {tcp: {nagel: false}, app: sink}\n",
	  "3:16: unknown key 'nagel' in 'tcp' (did you mean 'nagle'?)" },
	/* read pacing */
	{ LINK "client: {read: {bytes: 1KB}, app: [connect]}\n" SERVER,
	  "2:16: missing key 'every' in 'read'" },
	{ LINK "client: {read: {every: 1ms}, app: [connect]}\n" SERVER,
	  "2:16: missing key 'bytes' in 'read'" },
	{ LINK "client: {read: {bytes: 1KB, every: 1ms, burst: 2}, app: [connect]}\n" SERVER,
	  "2:41: unknown key 'burst' in 'read'" },
	{ LINK "client: {read: {bytes: 1KB, evrey: 1ms}, app: [connect]}\n" SERVER,
	  "2:29: unknown key 'evrey' in 'read' (did you mean 'every'?)" },
	{ LINK "client: {read: {bytes: 1KB, every: 1ms, every: 2ms}, app: [connect]}\n" SERVER,
	  "2:41: duplicate key 'every'" },
	{ LINK "client: {read: 1KB, app: [connect]}\n" SERVER,
	  "2:16: read: expected {bytes: SIZE, every: TIME}" },
	{ LINK "client: {read: {bytes: 0, every: 1ms}, app: [connect]}\n" SERVER,
	  "2:24: bytes: must be between 1 byte and 1GiB" },
	{ LINK "client: {read: {bytes: 2GiB, every: 1ms}, app: [connect]}\n" SERVER,
	  "2:24: bytes: must be between 1 byte and 1GiB" },
	{ LINK "client: {read: {bytes: 1KB, every: 0ms}, app: [connect]}\n" SERVER,
	  "2:36: every: must be greater than 0" },
	{ LINK "client: {read: {bytes: 1KB, every: 3601s}, app: [connect]}\n" SERVER,
	  "2:36: every: must be at most 3600s" },
	{ LINK "client: {read: {bytes: 1KB, every: 1}, app: [connect]}\n" SERVER,
	  "2:36: every: a time needs a unit: ns, us, ms, s or min" },
	{ LINK "client: {raed: {bytes: 1KB, every: 1ms}, app: [connect]}\n" SERVER,
	  "2:10: unknown key 'raed' in 'client' (did you mean 'read'?)" },
	{ LINK CLIENT "server: {read: {bytes: 1KB}, app: sink}\n",
	  "3:16: missing key 'every' in 'read'" },
	/* read steps */
	{ LINK "client: {app: [connect, {read: 0}]}\n" SERVER,
	  "2:32: read: must be greater than 0" },
	{ LINK "client: {app: [connect, {read: -5}]}\n" SERVER,
	  "2:32: read: must not be negative" },
	{ LINK "client: {app: [connect, {read: 1.5}]}\n" SERVER,
	  "2:32: read: not a whole number of bytes" },
	{ LINK "client: {app: [connect, {read: abc}]}\n" SERVER,
	  "2:32: read: expected a size such as 1500, 64KiB or 10MB" },
	{ LINK "client: {app: [connect, {read: [1]}]}\n" SERVER,
	  "2:32: 'read' must be a scalar" },
	{ LINK "client: {app: [connect, read]}\n" SERVER,
	  "2:25: read needs a byte count, e.g. 'read: 1KB'" },
	{ LINK "client: {app: [connect, {raed: 5}]}\n" SERVER,
	  "2:26: unknown step 'raed' (did you mean 'read'?)" },
	{ LINK CLIENT "server: {app: [{read: 0}]}\n",
	  "3:23: read: must be greater than 0" },
	/* repeat */
	{ LINK "client: {app: [connect, {repeat: {steps: [close]}}]}\n" SERVER,
	  "2:34: missing key 'times' in 'repeat'" },
	{ LINK "client: {app: [connect, {repeat: {times: 2}}]}\n" SERVER,
	  "2:34: missing key 'steps' in 'repeat'" },
	{ LINK "client: {app: [connect, {repeat: {times: 0, steps: [close]}}]}\n" SERVER,
	  "2:42: times: must be between 1 and 100000" },
	{ LINK "client: {app: [connect, {repeat: {times: 100001, steps: [close]}}]}\n" SERVER,
	  "2:42: times: must be between 1 and 100000" },
	{ LINK "client: {app: [connect, {repeat: {times: -1, steps: [close]}}]}\n" SERVER,
	  "2:42: times: must not be negative" },
	{ LINK "client: {app: [connect, {repeat: {times: two, steps: [close]}}]}\n" SERVER,
	  "2:42: times: expected a whole number such as 42" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: []}}]}\n" SERVER,
	  "2:52: repeat: 'steps' must be a list of at least one step" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: close}}]}\n" SERVER,
	  "2:52: repeat: 'steps' must be a list of at least one step" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: {send: 1}}}]}\n" SERVER,
	  "2:52: repeat: 'steps' must be a list of at least one step" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: [close], x: 1}}]}\n" SERVER,
	  "2:61: unknown key 'x' in 'repeat'" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, stpes: [close]}}]}\n" SERVER,
	  "2:45: unknown key 'stpes' in 'repeat' (did you mean 'steps'?)" },
	{ LINK "client: {app: [connect, {repeat: 3}]}\n" SERVER,
	  "2:34: repeat: expected {times: N, steps: [...]}" },
	{ LINK "client: {app: [connect, {repeat: }]}\n" SERVER,
	  "2:34: repeat: expected {times: N, steps: [...]}" },
	{ LINK "client: {app: [connect, repeat]}\n" SERVER,
	  "2:25: repeat needs 'times' and 'steps'" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: [close]}, send: 1}]}\n" SERVER,
	  "2:25: a step is connect, send: BYTES, wait: TIME, at: TIME, read: BYTES, repeat,"
	  " requests, close or abort, each on its own '-' line" },
	{ LINK "client: {app: [connect, {repaet: {times: 2, steps: [close]}}]}\n" SERVER,
	  "2:26: unknown step 'repaet' (did you mean 'repeat'?)" },
	/* ... a defect inside a repeat is reported where it is written */
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: [clsoe]}}]}\n" SERVER,
	  "2:53: unknown step 'clsoe' (did you mean 'close'?)" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: [{read: 0}]}}]}\n" SERVER,
	  "2:60: read: must be greater than 0" },
	/* ... and the client's and server's rules hold on the unrolled steps */
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: [connect]}}]}\n" SERVER,
	  "2:53: app: the client connects once; remove this second connect" },
	{ LINK "client: {app: [connect, {repeat: {times: 1, steps: [{send: 1}, connect]}}]}\n"
	  SERVER,
	  "2:64: app: the client connects once; remove this second connect" },
	{ LINK "client: {app: [{repeat: {times: 2, steps: [connect]}}]}\n" SERVER,
	  "2:44: app: a connect inside repeat would run more than once;"
	  " put it before the repeat" },
	{ LINK "client: {app: [{repeat: {times: 1, steps: [{send: 1}]}}, connect]}\n" SERVER,
	  "2:44: the client's app must be a script starting with connect" },
	{ LINK CLIENT "server: {app: [{repeat: {times: 2, steps: [{read: 1}, connect]}}]}\n",
	  "3:55: the server accepts, or connects as its first step (a simultaneous open); not later" },
	/* ... once unrolled, at most 100000 steps */
	{ LINK "client: {app: [connect, {repeat: {times: 100000, steps: [close]}}]}\n" SERVER,
	  "2:34: app: more than 100000 steps once repeat blocks are unrolled" },
	{ LINK "client: {app: [connect, {repeat: {times: 1000, steps: "
	  "[{repeat: {times: 1000, steps: [close]}}]}}]}\n" SERVER,
	  "2:34: app: more than 100000 steps once repeat blocks are unrolled" },
	{ LINK "client: {app: [connect, {repeat: {times: 2, steps: "
	  "[{repeat: {times: 100000, steps: [close]}}]}}]}\n" SERVER,
	  "2:62: app: more than 100000 steps once repeat blocks are unrolled" },
	/* capture: snaplen */
	{ LINK CLIENT SERVER "capture: {snaplen: 95}\n",
	  "4:20: snaplen: must be between 96 and 262144" },
	{ LINK CLIENT SERVER "capture: {snaplen: 262145}\n",
	  "4:20: snaplen: must be between 96 and 262144" },
	{ LINK CLIENT SERVER "capture: {snaplen: 0}\n",
	  "4:20: snaplen: must be between 96 and 262144" },
	{ LINK CLIENT SERVER "capture: {snaplen: -1}\n",
	  "4:20: snaplen: must not be negative" },
	{ LINK CLIENT SERVER "capture: {snaplen: 1KB}\n",
	  "4:20: snaplen: expected a whole number such as 42" },
	{ LINK CLIENT SERVER "capture: {snaplen: [96]}\n",
	  "4:20: 'snaplen' must be a scalar" },
	{ LINK CLIENT SERVER "capture: {at: both, snaplne: 96}\n",
	  "4:21: unknown key 'snaplne' in 'capture' (did you mean 'snaplen'?)" },
	{ LINK CLIENT SERVER "expect: [a]\n",
	  "4:9: 'expect' must be a mapping" },
	{ LINK CLIENT SERVER "expect: {a: 1, a: 2}\n",
	  "4:16: duplicate key 'a'" },
	{ LINK CLIENT SERVER "expect: {a: {b: 1}}\n",
	  "4:13: 'a' must be a scalar" },
	{ LINK CLIENT SERVER "expect:\n  client.state:\n",
	  "5:16: client.state: needs a value to compare with" },
	{ LINK CLIENT SERVER "expect: {a: '<'}\n",
	  "4:13: bad comparison '<': use ==, !=, <, <=, > or >=" },
	{ LINK CLIENT SERVER "expect: {a: '= 5'}\n",
	  "4:13: bad comparison '= 5': use ==, !=, <, <=, > or >=" },
	{ LINK CLIENT SERVER "expect: {a: '=< 5'}\n",
	  "4:13: bad comparison '=< 5': use ==, !=, <, <=, > or >=" },
	{ LINK CLIENT SERVER "expect: {a: '>=  '}\n",
	  "4:13: bad comparison '>=  ': use ==, !=, <, <=, > or >=" },
	{ LINK CLIENT SERVER "expect: {a: '<> 5'}\n",
	  "4:13: bad comparison '<> 5': use ==, !=, <, <=, > or >=" },
	{ LINK CLIENT SERVER "expect: {a: '>= true'}\n",
	  "4:13: bad comparison '>= true': <, <=, > and >= need a number" },
	{ LINK CLIENT SERVER "{a: 1}: 2\n",
	  "4:1: a key in 'scenario' must be a scalar" },
	{ LINK CLIENT SERVER "\"a\\nb\": 1\n",
	  "4:1: unknown key 'a?b' in 'scenario'" },
	{ "link: *x\n",
	  "1:7: YAML syntax error: found undefined alias" },
	{ "\"just a string\"\n",
	  "1:1: a scenario must be a mapping of keys" },
	{ "---\n",
	  "1:1: a scenario must be a mapping of keys" },
	{ "# only a comment\n",
	  "1:1: a scenario must be a mapping of keys" },
	{ "link: {rate: 1Mbps, delay: \xff}\n",
	  "1:28: YAML syntax error: invalid leading UTF-8 octet" },
	{ "description: \"\xe2\x82x\"\n",
	  "1:15: YAML syntax error: invalid trailing UTF-8 octet" },
	{ "   \n\n  \n",
	  "1:1: a scenario must be a mapping of keys" },
	/* control characters (YAML 1.2 5.1), counted in characters after UTF-8 */
	{ "description: \"\xc3\xa9\x01\"\n",
	  "1:16: control character U+0001 is not allowed in YAML text (YAML 1.2 5.1)" },
	{ "link:\r  rate: 1Mbps\r  delay: \x1b\r",
	  "3:10: control character U+001B is not allowed in YAML text (YAML 1.2 5.1)" },
	/* tabs (YAML 1.2 6.1: no tabs in indentation) */
	{ "link:\n\trate: 1Mbps\n",
	  "2:1: a tab character is not allowed in YAML indentation; use spaces" },
	{ "client:\n  app:\n\t- connect\n",
	  "3:1: a tab character is not allowed in YAML indentation; use spaces" },
	{ "client:\n  app:\n  -\tconnect\n",
	  "3:4: a tab character is not allowed in YAML indentation; use spaces" },
	/* operators YAML reads as something else: quote them */
	{ LINK CLIENT SERVER "expect:\n  client.retransmissions: >= 1\n",
	  "5:27: YAML reads '>' here as the start of a folded block scalar;"
	  " quote it: client.retransmissions: \">= 1\"" },
	{ LINK CLIENT SERVER "expect:\n  client.retransmissions: >= 1   # at least one\n",
	  "5:27: YAML reads '>' here as the start of a folded block scalar;"
	  " quote it: client.retransmissions: \">= 1\"" },
	{ LINK CLIENT SERVER "expect:\n  client.state: >= \"x\"\n",
	  "5:17: YAML reads '>' here as the start of a folded block scalar;"
	  " quote it: client.state: '>= \"x\"'" },
	{ LINK CLIENT SERVER "expect:\n  client.retransmissions: >1\n  client.rto_timeouts: 0\n",
	  "5:27: YAML reads '>' here as the start of a folded block scalar;"
	  " quote it: client.retransmissions: \">1\"" },
	{ LINK CLIENT SERVER "expect:\n  client.retransmissions: | 1\n",
	  "5:27: YAML reads '|' here as the start of a literal block scalar;"
	  " quote it: client.retransmissions: \"| 1\"" },
	{ LINK CLIENT SERVER "expect:\n  client.state: |2\n    CLOSED\n",
	  "5:17: YAML reads '|' here as the start of a literal block scalar;"
	  " quote it: client.state: \"|2\"" },
	{ LINK CLIENT SERVER "expect: {a: 1, client.retransmissions: >= 1, b: 2}\n",
	  "4:40: YAML cannot start a value with '>' in a flow collection;"
	  " quote it: client.retransmissions: \">= 1\"" },
	{ LINK CLIENT SERVER "expect:\n  client.retransmissions: != 0\n",
	  "5:27: YAML reads '!' here as the start of a tag;"
	  " quote it: client.retransmissions: \"!= 0\"" },
	{ LINK CLIENT SERVER "expect: {client.retransmissions: != 0}\n",
	  "4:34: YAML reads '!' here as the start of a tag;"
	  " quote it: client.retransmissions: \"!= 0\"" },
	{ "link:\n  rate: 1Mbps\n  delay: 1ms\n" SERVER "client:\n  app:\n    - connect\n"
	  "    - send: >= 1\n",
	  "8:13: YAML reads '>' here as the start of a folded block scalar; quote it: send: \">= 1\"" },
	/* ... up to 80 bytes of key and of value */
	{ LINK CLIENT SERVER "expect:\n  kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: >= 1\n",
	  "5:84: YAML reads '>' here as the start of a folded block scalar;"
	  " quote it: kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: \">= 1\"" },
	{ LINK CLIENT SERVER "expect:\n  kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk: >= 1\n",
	  "5:85: YAML reads '>' here as the start of a folded block scalar; quote the value" },
	{ LINK CLIENT SERVER "expect:\n  a: >= 99999999999999999999999999999999999999999999999999999999999999999999999999999\n",
	  "5:6: YAML reads '>' here as the start of a folded block scalar;"
	  " quote it: a: \">= 99999999999999999999999999999999999999999999999999999999999999999999999999999\"" },
	{ LINK CLIENT SERVER "expect:\n  a: >= 999999999999999999999999999999999999999999999999999999999999999999999999999999\n",
	  "5:6: YAML reads '>' here as the start of a folded block scalar; quote the value" },
	/* tags: none is used */
	{ LINK CLIENT SERVER "seed: !!int 5\n",
	  "4:7: YAML tags such as '!!int' are not supported; remove it" },
	{ LINK CLIENT SERVER "seed: &s !foo 5\n",
	  "4:7: YAML tags such as '!foo' are not supported; remove it" },
	{ LINK CLIENT SERVER "expect: !!map {a: 1}\n",
	  "4:9: YAML tags such as '!!map' are not supported; remove it" },
	/* anchors */
	{ LINK CLIENT SERVER "expect: {a: &x 1, b: &x 2}\n",
	  "4:22: duplicate anchor '&x': it is already defined at 4:13" },
	/* a "\0" escape would end the text early */
	{ "link: {\"rate\\0junk\": 1Mbps, delay: 1ms}\n" CLIENT SERVER,
	  "1:8: a key in 'link' must not hold a NUL character (\\0)" },
	{ "link: {rate: \"1Mbps\\0junk\", delay: 1ms}\n" CLIENT SERVER,
	  "1:14: rate: a NUL character (\\0) is not allowed here" },
	{ LINK "client: {app: [\"connect\\0\"]}\n" SERVER,
	  "2:16: app: a NUL character (\\0) is not allowed here" },
	{ LINK "client: {app: [connect, {\"close\\0\": 1}]}\n" SERVER,
	  "2:26: a key in 'app' must not hold a NUL character (\\0)" },
	{ LINK "client: {app: [connect, {\"repeat\\0\": {times: 2, steps: [close]}}]}\n" SERVER,
	  "2:26: a key in 'app' must not hold a NUL character (\\0)" },
	{ LINK CLIENT "server: {app: \"sink\\0\"}\n",
	  "3:15: app: a NUL character (\\0) is not allowed here" },
	{ "link: {rate: 1Mbps, delay: 1ms, drop: [\"1\\0\"]}\n" CLIENT SERVER,
	  "1:40: drop: a NUL character (\\0) is not allowed here" },
	{ LINK CLIENT SERVER "expect: {\"client.state\\0\": CLOSED}\n",
	  "4:10: a key in 'expect' must not hold a NUL character (\\0)" },
	/* duplicates: the first repeat in file order, whatever the sort */
	{ LINK CLIENT SERVER "expect: {b: 1, a: 1, ab: 1, c: 1, a: 2, b: 3}\n",
	  "4:35: duplicate key 'a'" },
	{ LINK CLIENT SERVER "expect: {ab: 1, a: 1, abc: 1, b: 1, [x]: 1, b: 2}\n",
	  "4:37: a key in 'expect' must be a scalar" },
	{ LINK CLIENT SERVER "expect: {ab: 1, a: 1, \"a\\0\": 1}\n",
	  "4:23: a key in 'expect' must not hold a NUL character (\\0)" },
	{ "link: {rate: 1Mbps, delay: 1ms, dealy: 2ms, rate: 2Mbps}\n" CLIENT SERVER,
	  "1:33: unknown key 'dealy' in 'link' (did you mean 'delay'?)" },
	{ "link: {rate: 1Mbps, delay: 1ms, rate: 2Mbps, dealy: 2ms}\n" CLIENT SERVER,
	  "1:33: duplicate key 'rate'" },
	/* 64-bit overflow: the key's own bound, as for any value above it */
	{ "link: {rate: 1Mbps, delay: 99999999999999999999s}\n" CLIENT SERVER,
	  "1:28: delay: must be at most 3600s" },
	{ "link: {rate: 99999999999999999999Gbps, delay: 1ms}\n" CLIENT SERVER,
	  "1:14: rate: must be at most 10000Gbps (10 Tbit/s)" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: 99999999999999999999}\n" CLIENT SERVER,
	  "1:40: queue: must be between 1 and 1000000 packets" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: 99999999999999999999GiB}\n" CLIENT SERVER,
	  "1:40: queue: must be at most 1GiB" },
	{ "link: {rate: 1Mbps, delay: 1ms, mtu: 99999999999999999999}\n" CLIENT SERVER,
	  "1:38: mtu: 99999999999999999999 is above 65535, the largest IPv4 packet" },
	{ "link: {rate: 1Mbps, delay: 1ms, loss: 99999999999999999999%}\n" CLIENT SERVER,
	  "1:39: loss: must be at most 100%" },
	{ "link: {rate: 1Mbps, delay: 1ms, drop: [99999999999999999999]}\n" CLIENT SERVER,
	  "1:40: drop: too large" },
	{ "link: {rate: 1Mbps, delay: 1ms, reorder: {probability: 1%, delay: 1e99s}}\n"
	  CLIENT SERVER,
	  "1:67: delay: exponents such as 1e3 are not allowed; write the digits out, e.g. 1000" },
	{ LINK "client: {tcp: {mss: 99999999999999999999}, app: [connect]}\n" SERVER,
	  "2:21: mss 99999999999999999999 is larger than the MTU allows (MTU-40 = 1460)" },
	{ LINK "client: {tcp: {send_buffer: 99999999999999999999KiB}, app: [connect]}\n" SERVER,
	  "2:29: send_buffer: must be between 1 byte and 1GiB" },
	{ LINK "client: {tcp: {iss: 99999999999999999999}, app: [connect]}\n" SERVER,
	  "2:21: iss: must be at most 4294967295" },
	{ LINK "client: {tcp: {min_rto: 99999999999999999999min}, app: [connect]}\n" SERVER,
	  "2:25: min_rto: must be at most 3600s" },
	{ LINK "client: {tcp: {delayed_ack: 99999999999999999999s}, app: [connect]}\n" SERVER,
	  "2:29: delayed_ack: must be less than 500ms (RFC 1122 4.2.3.2)" },
	{ LINK "client: {tcp: {quick_ack: 99999999999999999999}, app: [connect]}\n" SERVER,
	  "2:27: quick_ack: must be at most 1000" },
	{ LINK "client: {port: 99999999999999999999, app: [connect]}\n" SERVER,
	  "2:16: port: must be between 1 and 65535" },
	{ LINK "client: {app: [{connect: 99999999999999999999}]}\n" SERVER,
	  "2:26: connect: the port must be between 1 and 65535" },
	{ LINK "client: {app: [connect, {send: 99999999999999999999GB}]}\n" SERVER,
	  "2:32: send: too large" },
	{ LINK "client: {app: [connect, {wait: 99999999999999999999s}]}\n" SERVER,
	  "2:32: wait: too large" },
	{ LINK "client: {app: [connect, {repeat: {times: 99999999999999999999, steps: [close]}}]}\n"
	  SERVER,
	  "2:42: times: must be between 1 and 100000" },
	{ LINK CLIENT SERVER "seed: 18446744073709551616\n",
	  "4:7: seed: too large" },
	{ LINK CLIENT SERVER "duration: 18446744074s\n",
	  "4:11: duration: too large" },
	{ LINK CLIENT SERVER "capture: {snaplen: 99999999999999999999}\n",
	  "4:20: snaplen: must be between 96 and 262144" },
	{ LINK CLIENT SERVER "expect: {a: \"< 1"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
	  "\"}\n",
	  "4:13: a: the number is too large" },
	/* negative numbers */
	{ "link: {rate: -1Mbps, delay: 1ms}\n" CLIENT SERVER,
	  "1:14: rate: must not be negative" },
	{ "link: {rate: 1Mbps, delay: 1ms, loss: -0.5%}\n" CLIENT SERVER,
	  "1:39: loss: must not be negative" },
	{ LINK "client: {port: -1, app: [connect]}\n" SERVER,
	  "2:16: port: must not be negative" },
	{ LINK "client: {app: [connect, {send: -1KB}]}\n" SERVER,
	  "2:32: send: must not be negative" },
	/* NaN and infinities: no float syntax anywhere */
	{ "link: {rate: 1Mbps, delay: .nan}\n" CLIENT SERVER,
	  "1:28: delay: expected a time such as 25ms (units: ns, us, ms, s, min)" },
	{ "link: {rate: .inf, delay: 1ms}\n" CLIENT SERVER,
	  "1:14: rate: expected a rate such as 10Mbps (units: bps, Kbps, Mbps, Gbps)" },
	{ "link: {rate: 1Mbps, delay: 1ms, loss: nan}\n" CLIENT SERVER,
	  "1:39: loss: expected a percentage such as 5% or 0.01%" },
	{ "link: {rate: 1Mbps, delay: 1ms, queue: .inf}\n" CLIENT SERVER,
	  "1:40: queue: expected a size such as 1500, 64KiB or 10MB" },
	{ LINK CLIENT SERVER "seed: -.inf\n",
	  "4:7: seed: must not be negative" },
	{ LINK CLIENT SERVER "seed: 1e999\n",
	  "4:7: seed: exponents such as 1e3 are not allowed; write the digits out, e.g. 1000" },
	{ "link: {rate: 1e9bps, delay: 1ms}\n" CLIENT SERVER,
	  "1:14: rate: exponents such as 1e3 are not allowed; write the digits out, e.g. 1000" },
	{ LINK CLIENT SERVER "expect: {a: \"< .inf\"}\n",
	  "4:13: bad comparison '< .inf': <, <=, > and >= need a number" },
	{ LINK CLIENT SERVER "expect: {a: \">= 1e999\"}\n",
	  "4:13: bad comparison '>= 1e999': <, <=, > and >= need a number" },
	{ LINK CLIENT SERVER "expect: {a: ''}\n",
	  "4:13: a: needs a value to compare with" },
};

START_TEST(test_snippet)
{
	char err[512], want[512];

	load_bad("snippet.yaml", snippets[_i].yaml, err, sizeof(err));
	snprintf(want, sizeof(want), "snippet.yaml:%s", snippets[_i].msg);
	ck_assert_str_eq(err, want);
}
END_TEST

/* A file name that cannot be a scenario name needs a name: key. */
START_TEST(test_bad_file_name)
{
	char err[512];

	load_bad("my test.yaml", MINIMAL, err, sizeof(err));
	ck_assert_str_eq(err, "my test.yaml:1:1: the scenario is named after its file, but"
			 " 'my test' may only contain letters, digits, '.', '_' and '-';"
			 " set 'name'");
	load_bad(".yaml", MINIMAL, err, sizeof(err));
	ck_assert_str_eq(err, ".yaml:1:1: the scenario is named after its file, but"
			 " '' may only contain letters, digits, '.', '_' and '-';"
			 " set 'name'");
}
END_TEST

/* ---- input limits (docs/scenarios.md, "Input limits") ---- */

/* A growing text buffer for generated scenarios. */
struct text {
	char *p;
	size_t len, cap;
};

__attribute__((format(printf, 2, 3)))
static void add(struct text *t, const char *fmt, ...)
{
	va_list ap;
	int n;

	/* No ck_assert on the way: each one that passes is a write to Check's log. */
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(t->p ? t->p + t->len : NULL, t->p ? t->cap - t->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			ck_abort_msg("vsnprintf failed");
		if (t->p && (size_t)n < t->cap - t->len)
			break;
		t->cap = t->cap * 2 + (size_t)n + 64;
		if (!(t->p = realloc(t->p, t->cap)))
			ck_abort_msg("out of memory");
	}
	t->len += (size_t)n;
}

/* Loads t (scenario_load_mem as "gen.yaml"); the message, or "" if it loaded. */
static const char *load_text(const struct text *t, struct scenario *s)
{
	static char err[512];

	err[0] = '\0';
	if (scenario_load_mem("gen.yaml", t->p, t->len, s, err, sizeof(err)) == 0)
		return "";
	ck_assert_ptr_null(s->name);
	return err;
}

static const char *load_text_free(const struct text *t)
{
	struct scenario s;
	const char *err = load_text(t, &s);

	scenario_free(&s);
	return err;
}

/* x: followed by n flow collections inside each other: [[[...]]] or {a: {a: ...}}. */
static void nested(struct text *t, int n, bool map)
{
	int i;

	t->len = 0;
	add(t, "x: ");
	for (i = 0; i < n; i++)
		add(t, map ? "{a: " : "[");
	add(t, "1");
	for (i = 0; i < n; i++)
		add(t, map ? "}" : "]");
	add(t, "\n");
}

/* 64 levels, counting the top-level mapping; the 65th is refused where it opens. */
START_TEST(test_depth_limit)
{
	struct text t = { 0 };

	nested(&t, 63, false);
	ck_assert_str_eq(load_text_free(&t), "gen.yaml:1:1: unknown key 'x' in 'scenario'");
	nested(&t, 64, false);
	ck_assert_str_eq(load_text_free(&t),
			 "gen.yaml:1:67: lists and mappings nested more than 64 deep");
	nested(&t, 63, true);
	ck_assert_str_eq(load_text_free(&t), "gen.yaml:1:1: unknown key 'x' in 'scenario'");
	nested(&t, 64, true);
	ck_assert_str_eq(load_text_free(&t),
			 "gen.yaml:1:256: lists and mappings nested more than 64 deep");
	/* 100 000 levels are answered as quickly as 65 */
	nested(&t, 100000, true);
	ck_assert_str_eq(load_text_free(&t),
			 "gen.yaml:1:256: lists and mappings nested more than 64 deep");
	/* Closing a level makes room for the next: depth, not a count. */
	t.len = 0;
	add(&t, "x: [");
	for (int i = 0; i < 1000; i++)
		add(&t, "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["
			"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],");
	add(&t, "1]\n");
	ck_assert_str_eq(load_text_free(&t), "gen.yaml:1:1: unknown key 'x' in 'scenario'");
	free(t.p);
}
END_TEST

/*
 * x: [1, 1, ...] is 3 + n nodes: the mapping, x, the list and n items. A
 * stray ']' at the end shows that the first pass got there.
 */
START_TEST(test_node_limit)
{
	struct text t = { 0 };
	int n;

	for (n = 999997; n <= 999998; n++) {
		t.len = 0;
		add(&t, "x: [1");
		for (int i = 1; i < n; i++)
			add(&t, ",1");
		add(&t, "]\n]\n");
		ck_assert_str_eq(load_text_free(&t), n == 999997 ?
				 "gen.yaml:2:1: YAML syntax error: did not find expected key" :
				 "gen.yaml:1:1999999: more than 1000000 values, lists and mappings");
	}
	free(t.p);
}
END_TEST

/* One anchor or alias per line, from line 2. */
START_TEST(test_anchor_and_alias_limits)
{
	struct text t = { 0 };
	int n;

	for (n = 1000; n <= 1001; n++) {
		t.len = 0;
		add(&t, "x:\n");
		for (int i = 1; i <= n; i++)
			add(&t, "- &a%d 1\n", i);
		ck_assert_str_eq(load_text_free(&t), n == 1000 ?
				 "gen.yaml:1:1: unknown key 'x' in 'scenario'" :
				 "gen.yaml:1002:3: more than 1000 anchors");
	}
	for (n = 10000; n <= 10001; n++) {
		t.len = 0;
		add(&t, "x:\n- &a 1\n");
		for (int i = 1; i <= n; i++)
			add(&t, "- *a\n");
		ck_assert_str_eq(load_text_free(&t), n == 10000 ?
				 "gen.yaml:1:1: unknown key 'x' in 'scenario'" :
				 "gen.yaml:10003:3: more than 10000 aliases");
	}
	free(t.p);
}
END_TEST

/*
 * Billion laughs: each anchor names ten aliases of the one before, 10^9
 * waits once unrolled. The unrolling stops at 100000 steps.
 */
START_TEST(test_alias_bomb)
{
	struct text t = { 0 };
	int i, j;

	add(&t, LINK SERVER "client:\n  app:\n    - connect\n"
		"    - repeat: {times: 1, steps: &s0 [{wait: 1ms}");
	for (j = 1; j < 10; j++)
		add(&t, ", {wait: 1ms}");
	add(&t, "]}\n");
	for (i = 1; i < 10; i++) {
		add(&t, "    - repeat: {times: 1, steps: &s%d [", i);
		for (j = 0; j < 10; j++)
			add(&t, "%s{repeat: {times: 1, steps: *s%d}}", j ? ", " : "", i - 1);
		add(&t, "]}\n");
	}
	/* at the wait that would be step 100001, reached through the aliases */
	ck_assert_str_eq(load_text_free(&t), "gen.yaml:6:155: app: more than 100000 steps once"
			 " repeat blocks are unrolled");
	free(t.p);
}
END_TEST

/*
 * 200 000 expect: keys load (tests/bad-input.sh times them); a repeat in
 * a long mapping is found wherever it is.
 */
START_TEST(test_many_keys)
{
	struct text t = { 0 };
	struct scenario s;
	int i;

	add(&t, LINK CLIENT SERVER "expect:\n");
	for (i = 0; i < 200000; i++)
		add(&t, "  client.segments_sent_%d: %d\n", i, i);
	ck_assert_str_eq(load_text(&t, &s), "");
	ck_assert_uint_eq(s.nexpect, 200000);
	ck_assert_str_eq(s.expect[199999].key, "client.segments_sent_199999");
	ck_assert_uint_eq(s.expect[199999].loc.line, 200004);
	ck_assert(s.expect[199999].number == 199999);
	scenario_free(&s);

	t.len = 0;
	add(&t, LINK CLIENT SERVER "expect:\n");
	for (i = 20000; i > 0; i--)
		add(&t, "  k%d: 1\n", i);
	add(&t, "  k20000: 2\n  k1: 2\n");
	ck_assert_str_eq(load_text_free(&t), "gen.yaml:20005:3: duplicate key 'k20000'");
	free(t.p);
}
END_TEST

/* A text of exactly len bytes: MINIMAL, then a comment filling the rest. */
static char *padded(size_t len)
{
	char *p = malloc(len);
	size_t n = strlen(MINIMAL);

	ck_assert_ptr_nonnull(p);
	memcpy(p, MINIMAL, n);
	memset(p + n, '#', len - n);
	return p;
}

/* 16 MiB loads; one byte more is refused before it is parsed. */
START_TEST(test_size_limit_mem)
{
	struct scenario s;
	char err[512];
	char *p = padded(MAX_FILE + 1);

	ck_assert_msg(scenario_load_mem("m.yaml", p, MAX_FILE, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_eq(s.client.app.nsteps, 3);
	scenario_free(&s);
	ck_assert_int_eq(scenario_load_mem("m.yaml", p, MAX_FILE + 1, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "m.yaml:1:1: file too large: 16777217 bytes; a scenario may be at most"
			 " 16777216 bytes (16 MiB)");
	ck_assert_int_eq(scenario_load_mem("m.yaml", p, SIZE_MAX, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "m.yaml:1:1: file too large: 18446744073709551615 bytes; a scenario"
			 " may be at most 16777216 bytes (16 MiB)");
	free(p);
}
END_TEST

/* A regular file is judged by its size before a byte is read. */
START_TEST(test_size_limit_file)
{
	char path[512], err[1024], want[1024];
	struct scenario s;
	FILE *f;

	snprintf(path, sizeof(path), "%s/huge.yaml", tmpdir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(ftruncate(fileno(f), 100 * 1024 * 1024), 0);  /* sparse: no disk used */
	fclose(f);
	ck_assert_int_eq(scenario_load(path, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1:1: file too large: 104857600 bytes; a scenario may be at"
		 " most 16777216 bytes (16 MiB)", path);
	ck_assert_str_eq(err, want);

	/* 16 MiB is allowed, and read: NUL bytes are not YAML. */
	ck_assert_int_eq(truncate(path, MAX_FILE), 0);
	ck_assert_int_eq(scenario_load(path, &s, err, sizeof(err)), -1);
	snprintf(want, sizeof(want), "%s:1:1: a NUL byte is not allowed in YAML text (YAML 1.2 5.1);"
		 " is this a binary file?", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(truncate(path, MAX_FILE + 1), 0);
	ck_assert_int_eq(scenario_load(path, &s, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, ":1:1: file too large: 16777217 bytes;"));
	unlink(path);
}
END_TEST

/* A device or a pipe has no size: reading stops one byte past the limit. */
START_TEST(test_size_limit_stream)
{
	char path[512], err[1024], want[1024];
	struct scenario s;
	size_t len;

	ck_assert_int_eq(scenario_load("/dev/zero", &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "/dev/zero:1:1: file too large: more than 16777216 bytes; a scenario"
			 " may be at most 16777216 bytes (16 MiB)");

	/* 16 MiB of NUL bytes from a pipe are read (and refused as such), one more is not */
	snprintf(path, sizeof(path), "%s/fifo.yaml", tmpdir);
	ck_assert_int_eq(mkfifo(path, 0600), 0);
	for (len = MAX_FILE; len <= MAX_FILE + 1; len++) {
		pid_t pid = fork();
		int status;

		ck_assert_int_ge(pid, 0);
		if (pid == 0) {
			char *p = calloc(len, 1);
			FILE *f = fopen(path, "w");

			/* The reader may stop early and close: a broken pipe is fine. */
			_exit(p && f && fwrite(p, 1, len, f) == len && fclose(f) == 0 ? 0 : 1);
		}
		ck_assert_int_eq(scenario_load(path, &s, err, sizeof(err)), -1);
		ck_assert_int_eq(waitpid(pid, &status, 0), pid);
		snprintf(want, sizeof(want), len == MAX_FILE ?
			 "%s:1:1: a NUL byte is not allowed in YAML text (YAML 1.2 5.1);"
			 " is this a binary file?" :
			 "%s:1:1: file too large: more than 16777216 bytes; a scenario may be at"
			 " most 16777216 bytes (16 MiB)", path);
		ck_assert_str_eq(err, want);
	}
	unlink(path);
}
END_TEST

/* Every field that a file sets, as text, to compare two loads. */
static void dump(const struct scenario *s, char *buf, size_t len)
{
	const struct scn_host *hosts[] = { &s->client, &s->server };
	const struct link_cfg *dirs[] = { &s->link.a_to_b, &s->link.b_to_a };
	size_t n = 0, i, j;

#define P(...) (n += (size_t)snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__))
	P("%s|%s|%ju|%ju|%u|%d|%d|%u\n", s->name, s->description ? s->description : "-",
	  (uintmax_t)s->seed, (uintmax_t)s->duration_ns, s->link.mtu, s->capture, s->linktype,
	  s->snaplen);
	for (i = 0; i < 2; i++) {
		const struct link_cfg *d = dirs[i];

		P("dir %ju %ju %u %ju %u %u %ju %u %u:", (uintmax_t)d->rate_bps,
		  (uintmax_t)d->delay_ns, d->queue_packets, (uintmax_t)d->queue_bytes, d->loss_ppb,
		  d->reorder_ppb, (uintmax_t)d->reorder_delay_ns, d->corrupt_ppb, d->mtu);
		for (j = 0; j < d->nblackout; j++)
			P(" [%ju,%ju)", (uintmax_t)d->blackout[j].start_ns,
			  (uintmax_t)d->blackout[j].end_ns);
		for (j = 0; j < d->ndrop; j++)
			P(" %ju", (uintmax_t)d->drop[j]);
		P("\n");
	}
	for (i = 0; i < 2; i++) {
		const struct scn_host *h = hosts[i];
		const struct tcp_cfg *t = &h->tcp;

		P("host %u %u tcp %u %ju %ju %d %d %u %u %u %ju %ju %ju %u %u %ju %s %d %u %ju %u %d %d %u\n",
		  h->addr, h->port, t->mss, (uintmax_t)t->send_buffer, (uintmax_t)t->receive_buffer,
		  t->window_scaling, t->timestamps, t->ts_rate_hz, t->ts_initial, t->initial_cwnd, (uintmax_t)t->initial_rto_ns,
		  (uintmax_t)t->min_rto_ns, (uintmax_t)t->max_rto_ns, t->max_retries, t->syn_retries,
		  (uintmax_t)t->msl_ns, t->cc->name, t->limited_transmit, t->abc_limit,
		  (uintmax_t)t->delayed_ack_ns, t->quick_ack, t->nagle, t->iss_set, t->iss);
		P("app %d %ju %ju:", h->app.kind, (uintmax_t)h->app.read_bytes,
		  (uintmax_t)h->app.read_every_ns);
		for (j = 0; j < h->app.nsteps; j++) {
			const struct app_step *st = &h->app.steps[j];

			P(" [%d %ju %.*s %ju %u @%u:%u]", st->kind, (uintmax_t)st->bytes,
			  (int)st->text_len, st->text ? st->text : "", (uintmax_t)st->wait_ns,
			  st->port, st->loc.line, st->loc.col);
		}
		P("\n");
	}
	for (i = 0; i < s->nexpect; i++) {
		const struct scn_expect *e = &s->expect[i];

		P("expect %s %d %d %.17g %d %s @%u:%u\n", e->key, e->op, e->type, e->number,
		  e->boolean, e->string ? e->string : "-", e->loc.line, e->loc.col);
	}
#undef P
	ck_assert_uint_lt(n, len);
}

/* text with each "\n" made "\r\n" (RFC 5234's CRLF), after a UTF-8 byte order mark or not. */
static char *dos(const char *text, bool bom, bool crlf)
{
	char *out = malloc(2 * strlen(text) + 4), *o = out;

	ck_assert_ptr_nonnull(out);
	if (bom)
		o += sprintf(o, "\xef\xbb\xbf");
	for (; *text; text++) {
		if (*text == '\n' && crlf)
			*o++ = '\r';
		*o++ = *text;
	}
	*o = '\0';
	return out;
}

/*
 * YAML 1.2 5.2 allows a byte order mark at the start and 5.4 CR LF line
 * breaks: the same scenario, to the line and column of every step.
 */
START_TEST(test_bom_and_crlf)
{
	static char want[16384], got[16384];
	struct scenario s;
	int v;

	load_ok("same.yaml", FULL, &s);
	dump(&s, want, sizeof(want));
	scenario_free(&s);
	for (v = 1; v < 4; v++) {
		char *text = dos(FULL, v & 1, v & 2);

		load_ok("same.yaml", text, &s);
		dump(&s, got, sizeof(got));
		ck_assert_str_eq(got, want);
		scenario_free(&s);
		free(text);
	}
}
END_TEST

/* ... and errors in such a file are where they are without the BOM and the CRs. */
START_TEST(test_bom_and_crlf_errors)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ "link: {rate: 1Mbps, dealy: 1ms}\n",
		  "1:21: unknown key 'dealy' in 'link' (did you mean 'delay'?)" },
		{ "link:\n  rate: 1Mbps\n  dealy: 1ms\n",
		  "3:3: unknown key 'dealy' in 'link' (did you mean 'delay'?)" },
		{ "link: {rate: 1Mbps, delay: \x01}\n",
		  "1:28: control character U+0001 is not allowed in YAML text (YAML 1.2 5.1)" },
		{ "link:\n  rate: 1Mbps\n  delay: \xff\n",
		  "3:10: YAML syntax error: invalid leading UTF-8 octet" },
		{ LINK CLIENT SERVER "expect:\n  client.retransmissions: >= 1\n",
		  "5:27: YAML reads '>' here as the start of a folded block scalar;"
		  " quote it: client.retransmissions: \">= 1\"" },
	};
	char err[512], want[600];
	size_t i;
	int v;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		for (v = 0; v < 4; v++) {
			char *text = dos(cases[i].text, v & 1, v & 2);

			load_bad("e.yaml", text, err, sizeof(err));
			snprintf(want, sizeof(want), "e.yaml:%s", cases[i].msg);
			ck_assert_msg(strcmp(err, want) == 0, "bom %d crlf %d: %s", v & 1, v & 2, err);
			free(text);
		}
	}
}
END_TEST

/* A block scalar with no header is text, in expect: too; elsewhere a header is fine. */
START_TEST(test_block_scalars)
{
	static const char text[] = LINK CLIENT SERVER
		"description: >-\n  two\n  lines\n"
		"expect:\n  client.state: >\n    CLOSED\n  client.error: |\n    none\n";
	struct scenario s;

	load_ok("block.yaml", text, &s);
	ck_assert_str_eq(s.description, "two lines");
	ck_assert_uint_eq(s.nexpect, 2);
	ck_assert_int_eq(s.expect[0].type, EXPECT_STRING);
	ck_assert_str_eq(s.expect[0].string, "CLOSED\n");
	ck_assert_str_eq(s.expect[1].string, "none\n");
	scenario_free(&s);
}
END_TEST

/* ASCII text as UTF-16LE after its byte order mark (YAML 1.2 5.2). */
static char *utf16(const char *text, size_t *len)
{
	size_t n = strlen(text), i;
	char *out = malloc(2 * n + 2);

	ck_assert_ptr_nonnull(out);
	out[0] = (char)0xFF;
	out[1] = (char)0xFE;
	for (i = 0; i < n; i++) {
		out[2 + 2 * i] = text[i];
		out[3 + 2 * i] = 0;
	}
	*len = 2 * n + 2;
	return out;
}

/* UTF-16 loads; messages that quote the text fall back to plain ones. */
START_TEST(test_utf16)
{
	static const struct { const char *text, *msg; } cases[] = {
		{ MINIMAL, "" },
		{ "link: {rate: 1Mbps, dealy: 1ms}\n",
		  "u.yaml:1:21: unknown key 'dealy' in 'link' (did you mean 'delay'?)" },
		{ "seed: !!int 5\n", "u.yaml:1:7: YAML tags are not supported" },
		{ "expect:\n  a: >= 1\n",
		  "u.yaml:2:7: YAML syntax error: did not find expected comment or line break" },
		{ "x:\n\t- 1\n",
		  "u.yaml:2:1: YAML syntax error: found character that cannot start any token" },
	};
	struct scenario s;
	char err[512];
	size_t i, len;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *text = utf16(cases[i].text, &len);
		int rc = scenario_load_mem("u.yaml", text, len, &s, err, sizeof(err));

		if (cases[i].msg[0]) {
			ck_assert_int_eq(rc, -1);
			ck_assert_str_eq(err, cases[i].msg);
		} else {
			ck_assert_msg(rc == 0, "%s", err);
			ck_assert_uint_eq(s.client.app.nsteps, 3);
			scenario_free(&s);
		}
		free(text);
	}
}
END_TEST

/* A "\0" in quoted text to send is a byte like any other. */
START_TEST(test_send_nul)
{
	static const char text[] = LINK "client: {app: [connect, {send: \"a\\0b\"}]}\n" SERVER;
	struct scenario s;

	load_ok("nul.yaml", text, &s);
	ck_assert_uint_eq(s.client.app.steps[1].text_len, 3);
	ck_assert_int_eq(memcmp(s.client.app.steps[1].text, "a\0b", 3), 0);
	scenario_free(&s);
}
END_TEST

/* Removes tmpdir and whatever a failed test left in it. */
static void remove_tmpdir(void)
{
	DIR *d = opendir(tmpdir);
	struct dirent *de;
	char path[512];

	while (d && (de = readdir(d))) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	if (d)
		closedir(d);
	rmdir(tmpdir);
}

/* Text in memory loads as a file with that name would, errors included. */
START_TEST(test_load_mem)
{
	struct scenario s;
	char err[512] = "";
	static const char bad[] = "link: {rate: 10Mbps, delay: 25ms}\nfrobnicate: 1\n";
	char text[1024];

	ck_assert_msg(scenario_load_mem("dir/mem.yaml", MINIMAL, strlen(MINIMAL), &s, err,
					sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(s.name, "mem");
	ck_assert_str_eq(s.file, "dir/mem.yaml");
	ck_assert_uint_eq(s.link.a_to_b.delay_ns, 25 * MS);
	scenario_free(&s);

	ck_assert_int_eq(scenario_load_mem("m.yaml", bad, sizeof(bad) - 1, &s, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "m.yaml:2:1: unknown key 'frobnicate' in 'scenario'");
	ck_assert_ptr_null(s.name);
	/* Not NUL-terminated: only len bytes are read. */
	snprintf(text, sizeof(text), "%sfrobnicate: 1\n", MINIMAL);
	ck_assert_msg(scenario_load_mem("m.yaml", text, strlen(MINIMAL), &s, err, sizeof(err)) == 0,
		      "%s", err);
	scenario_free(&s);
}
END_TEST

/* ecn (tcp) and ecn_threshold (link, per direction): values, units, the
 * edges of their ranges and the rule that the threshold is below the queue. */
START_TEST(test_ecn_keys)
{
	static const char head[] = "link:\n  rate: 10Mbps\n  delay: 1ms\n";
	static const char tail[] = "client:\n  tcp: {ecn: true}\n  app: [connect, close]\n"
				   "server:\n  app: sink\n";
	struct scenario s;
	char text[512], err[512];

	snprintf(text, sizeof text, "%s  queue: 30\n  ecn_threshold: 20\n"
		 "  b_to_a: {ecn_threshold: 0}\n%s", head, tail);
	load_ok("e1.yaml", text, &s);
	ck_assert(s.client.tcp.ecn);
	ck_assert(!s.server.tcp.ecn);
	ck_assert_uint_eq(s.link.a_to_b.ecn_threshold_packets, 20);
	ck_assert_uint_eq(s.link.a_to_b.ecn_threshold_bytes, 0);
	ck_assert_uint_eq(s.link.b_to_a.ecn_threshold_packets, 0);
	scenario_free(&s);

	/* The largest threshold in bytes, 1GiB, below a queue in packets. */
	snprintf(text, sizeof text, "%s  ecn_threshold: 1GiB\n%s", head, tail);
	load_ok("e2.yaml", text, &s);
	ck_assert_uint_eq(s.link.a_to_b.ecn_threshold_bytes, 1073741824u);
	ck_assert_uint_eq(s.link.b_to_a.ecn_threshold_bytes, 1073741824u);
	scenario_free(&s);

	/* 1000000 packets is in range, but never below a queue (at most as much). */
	snprintf(text, sizeof text, "%s  queue: 1000000\n  ecn_threshold: 1000000\n%s", head, tail);
	load_bad("e3.yaml", text, err, sizeof err);
	ck_assert_str_eq(err, "e3.yaml:5:18: ecn_threshold: 1000000 packets is not below the "
			 "queue's 1000000 packets in 'a_to_b': the queue would drop before it marked");
	snprintf(text, sizeof text, "%s  queue: 1GiB\n  ecn_threshold: 1GiB\n%s", head, tail);
	load_bad("e4.yaml", text, err, sizeof err);
	ck_assert_str_eq(err, "e4.yaml:5:18: ecn_threshold: 1073741824 bytes is not below the "
			 "queue's 1073741824 bytes in 'a_to_b': the queue would drop before it marked");
	snprintf(text, sizeof text, "%s  ecn_threshold: 1GiB1\n%s", head, tail);
	load_bad("e5.yaml", text, err, sizeof err);
	ck_assert_int_eq(strncmp(err, "e5.yaml:4:18: ecn_threshold: ", 29), 0);
	/* One below the queue marks. */
	snprintf(text, sizeof text, "%s  queue: 1000000\n  ecn_threshold: 999999\n%s", head, tail);
	load_ok("e6.yaml", text, &s);
	ck_assert_uint_eq(s.link.b_to_a.ecn_threshold_packets, 999999);
	scenario_free(&s);
}
END_TEST

/* ---- --set KEY.PATH=VALUE (scenario_load_mem_set) ---- */

static const char SET_BASE[] =
	"seed: 3\n"
	"link:\n"
	"  rate: 10Mbps\n"
	"  delay: 25ms\n"
	"  loss: 1%\n"
	"client:\n"
	"  tcp: {nagle: true, mss: 1000}\n"
	"  app: [connect, {send: 1000}, close]\n"
	"server: {app: sink}\n"
	"expect:\n"
	"  client.retransmissions: 0\n";

/* Loads SET_BASE (as "set.yaml") with the n arguments; the message, or "". */
static const char *load_set(const char *const *sets, size_t n, struct scenario *s)
{
	static char err[512];

	err[0] = '\0';
	if (scenario_load_mem_set("set.yaml", SET_BASE, strlen(SET_BASE), sets, n, s, err,
				  sizeof(err)) == 0)
		return "";
	ck_assert_str_ne(err, "");
	return err;
}

START_TEST(test_set_values)
{
	static const char *const sets[] = {
		"link.loss=2%", "client.tcp.nagle=false", "seed=7", "link.a_to_b.rate=1Mbps",
		"server.tcp.sack=true", "server.app=echo", "description=from --set",
	};
	struct scenario s;

	ck_assert_str_eq(load_set(sets, N(sets), &s), "");
	ck_assert_uint_eq(s.seed, 7);
	/* loss replaced at the link level reaches both directions */
	ck_assert_uint_eq(s.link.a_to_b.loss_ppb, 20000000);
	ck_assert_uint_eq(s.link.b_to_a.loss_ppb, 20000000);
	/* a_to_b did not exist: made, and only that direction changes */
	ck_assert_uint_eq(s.link.a_to_b.rate_bps, 1000000);
	ck_assert_uint_eq(s.link.b_to_a.rate_bps, 10000000);
	ck_assert(!s.client.tcp.nagle);
	ck_assert_uint_eq(s.client.tcp.mss, 1000);         /* the flow mapping's other key stays */
	ck_assert(s.server.tcp.sack);                        /* server had no tcp: at all */
	ck_assert(!s.client.tcp.sack);
	ck_assert_int_eq(s.server.app.kind, APP_ECHO);
	ck_assert_str_eq(s.description, "from --set");
	/* recorded in order, NULL-terminated */
	ck_assert_uint_eq(s.nset, N(sets));
	for (size_t i = 0; i < N(sets); i++)
		ck_assert_str_eq(s.set[i], sets[i]);
	ck_assert_ptr_null(s.set[N(sets)]);
	/* the file's expectation untouched */
	ck_assert_uint_eq(s.nexpect, 1);
	ck_assert_ptr_null(s.expect[0].set);
	ck_assert_uint_eq(s.expect[0].loc.line, 11);
	scenario_free(&s);

	/* none: what scenario_load_mem gives, nothing recorded */
	ck_assert_str_eq(load_set(NULL, 0, &s), "");
	ck_assert_uint_eq(s.seed, 3);
	ck_assert_uint_eq(s.link.a_to_b.loss_ppb, 10000000);
	ck_assert_ptr_null(s.set);
	ck_assert_uint_eq(s.nset, 0);
	scenario_free(&s);
}
END_TEST

/* Later arguments win; each applies to what the ones before it left. */
START_TEST(test_set_order)
{
	static const char *const sets[] = { "link.loss=2%", "link.loss=3%", "link.b_to_a.loss=0",
					    "link.b_to_a.loss=4%" };
	struct scenario s;

	ck_assert_str_eq(load_set(sets, N(sets), &s), "");
	ck_assert_uint_eq(s.link.a_to_b.loss_ppb, 30000000);
	ck_assert_uint_eq(s.link.b_to_a.loss_ppb, 40000000);
	scenario_free(&s);
}
END_TEST

/* Under expect: the rest of the path is one summary key. */
START_TEST(test_set_expect)
{
	static const char *const sets[] = { "expect.client.retransmissions=>= 1",
					    "expect.link.client_to_server.dropped=0" };
	struct scenario s;

	ck_assert_str_eq(load_set(sets, N(sets), &s), "");
	ck_assert_uint_eq(s.nexpect, 2);
	/* replaced in place: the file's key, the argument's value */
	ck_assert_str_eq(s.expect[0].key, "client.retransmissions");
	ck_assert_int_eq(s.expect[0].op, EXPECT_GE);
	ck_assert(s.expect[0].number == 1);
	ck_assert_str_eq(s.expect[0].set, sets[0]);
	ck_assert_ptr_eq(s.expect[0].set, s.set[0]);        /* the scenario's own copy */
	ck_assert_uint_eq(s.expect[0].loc.line, 0);
	/* added */
	ck_assert_str_eq(s.expect[1].key, "link.client_to_server.dropped");
	ck_assert_int_eq(s.expect[1].op, EXPECT_EQ);
	ck_assert_str_eq(s.expect[1].set, sets[1]);
	scenario_free(&s);
}
END_TEST

/* An alias's mapping is copied before it changes: only the path named changes. */
START_TEST(test_set_alias)
{
	static const char text[] =
		"link: {rate: 10Mbps, delay: 5ms}\n"
		"client: {tcp: &t {nagle: true, sack: false}, app: [connect]}\n"
		"server: {tcp: *t, app: sink}\n";
	static const char *const sets[] = { "server.tcp.sack=true" };
	struct scenario s;
	char err[256] = "";

	ck_assert_msg(scenario_load_mem_set("a.yaml", text, strlen(text), sets, 1, &s, err,
					    sizeof(err)) == 0, "%s", err);
	ck_assert(s.server.tcp.sack);
	ck_assert(!s.client.tcp.sack);
	ck_assert(s.server.tcp.nagle);
	ck_assert(s.client.tcp.nagle);
	scenario_free(&s);
}
END_TEST

static const struct {
	const char *set;
	const char *want;
} set_errors[] = {
	/* the file's message, the argument in place of FILE:LINE:COL */
	{ "link.loss=200%", "--set link.loss=200%: loss: must be at most 100%" },
	{ "link.los=1%", "--set link.los=1%: unknown key 'los' in 'link' (did you mean 'loss'?)" },
	{ "lnk.loss=1%", "--set lnk.loss=1%: unknown key 'lnk' in 'scenario' (did you mean 'link'?)" },
	{ "client.tcp.nagle=maybe", "--set client.tcp.nagle=maybe: nagle: expected true or false" },
	{ "client.tcp.mss=2000",
	  "--set client.tcp.mss=2000: mss 2000 is larger than the MTU allows (MTU-40 = 1460)" },
	{ "link.delay=", "--set link.delay=: delay: expected a time such as 25ms (units: ns, us, ms, s, min)" },
	{ "seed=-1", "--set seed=-1: seed: must not be negative" },
	{ "link.b_to_a.mtu=60", "--set link.b_to_a.mtu=60: mtu: 60 is below 68, the smallest MTU IPv4 allows (RFC 791)" },
	{ "link.loss.model=gilbert", "--set link.loss.model=gilbert: 'link.loss' is a single value in the scenario, not a mapping of keys" },
	{ "expect.client.retransmissions=>", "--set expect.client.retransmissions=>: bad comparison '>': use ==, !=, <, <=, > or >=" },
	/* the path */
	{ "link.delay.x=1", "--set link.delay.x=1: 'link.delay' is a single value in the scenario, not a mapping of keys" },
	{ "client.app.x=1", "--set client.app.x=1: 'client.app' is a list in the scenario, not a mapping of keys" },
	{ "server.app=echo.x", "--set server.app=echo.x: app: unknown app 'echo.x' (did you mean 'echo'?)" },
	{ "link.reorder=1%", "--set link.reorder=1%: 'reorder' must be a mapping" },
	/* the argument's syntax */
	{ "link.loss", "--set link.loss: expected KEY.PATH=VALUE, e.g. link.loss=2%" },
	{ "=1", "--set =1: the key path before '=' is empty" },
	{ "link..loss=1%", "--set link..loss=1%: an empty name in the key path 'link..loss'" },
	{ ".seed=1", "--set .seed=1: an empty name in the key path '.seed'" },
	{ "seed.=1", "--set seed.=1: an empty name in the key path 'seed.'" },
};

START_TEST(test_set_error)
{
	const char *sets[] = { set_errors[_i].set };
	struct scenario s;
	const char *err = load_set(sets, 1, &s);

	ck_assert_str_eq(err, set_errors[_i].want);
	ck_assert_ptr_null(s.name);
	ck_assert_ptr_null(s.set);
}
END_TEST

/* A bad argument is reported before the file is read; a good one after a bad file's error. */
START_TEST(test_set_error_order)
{
	static const char *const bad[] = { "link.loss=2%", "nope" };
	static const char *const good[] = { "link.loss=2%" };
	struct scenario s;
	char err[512];

	ck_assert_int_eq(scenario_load_set(SRCDIR "/tests/missing.yaml", bad, 2, &s, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, "--set nope: expected KEY.PATH=VALUE, e.g. link.loss=2%");
	ck_assert_int_eq(scenario_load_set(SRCDIR "/tests/missing.yaml", good, 1, &s, err,
					   sizeof(err)), -1);
	ck_assert_str_eq(err, SRCDIR "/tests/missing.yaml:1:1: cannot read file: No such file or directory");
	/* the file's own error comes first, wherever it is */
	static const char text[] = "link: {rate: 10Mbps, delay: 5ms, dealy: 1ms}\n"
				   "client: {app: [connect]}\nserver: {app: sink}\n";
	ck_assert_int_eq(scenario_load_mem_set("f.yaml", text, strlen(text), bad, 1, &s, err,
					       sizeof(err)), -1);
	ck_assert_str_eq(err, "f.yaml:1:34: unknown key 'dealy' in 'link' (did you mean 'delay'?)");
}
END_TEST

/* ---- rules: under link, a_to_b and b_to_a ---- */

START_TEST(test_rules_yaml)
{
	static const char text[] =
		"link:\n"
		"  rate: 100Mbps\n"
		"  delay: 5ms\n"
		"  rules:\n"
		"    - drop: {data_segment: 2}\n"
		"    - delay: {syn: true, by: 1ms}\n"
		"  b_to_a:\n"
		"    rules: [duplicate: {pure_ack: 1, times: 2}]\n"
		"client: {app: [connect, {send: 3000}, close]}\n"
		"server: {app: sink}\n"
		"capture: none\n";
	struct scenario s;
	struct summary sum;
	struct world *w;
	char err[256] = "";
	const struct summary_key *hits;

	ck_assert_msg(scenario_load_mem("r.yaml", text, strlen(text), &s, err, sizeof err) == 0,
		      "%s", err);
	/* the link's list in a_to_b; b_to_a's own list replaces its copy */
	ck_assert_uint_eq(s.link.a_to_b.nrules, 2);
	ck_assert_int_eq(s.link.a_to_b.rules[0].action, RULE_DROP);
	ck_assert_int_eq(s.link.a_to_b.rules[0].what, RC_DATA_SEGMENT);
	ck_assert_uint_eq(s.link.a_to_b.rules[0].first, 2);
	ck_assert_uint_eq(s.link.a_to_b.rules[0].loc.line, 5);
	ck_assert_int_eq(s.link.a_to_b.rules[1].action, RULE_DELAY);
	ck_assert_uint_eq(s.link.a_to_b.rules[1].delay_ns, 1000000);
	ck_assert_uint_eq(s.link.b_to_a.nrules, 1);
	ck_assert_int_eq(s.link.b_to_a.rules[0].action, RULE_DUPLICATE);
	ck_assert_uint_eq(s.link.b_to_a.rules[0].times, 2);

	/* The run: the client's second data segment (packet 4: SYN, ACK, data 1,
	 * data 2) never arrives, and comes again after the RTO. */
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert_uint_eq(summary_get(&sum, summary_key("link.client_to_server.dropped")).u, 1);
	hits = summary_key("link.client_to_server.rules.1.hits");
	ck_assert_uint_eq(summary_get(&sum, hits).u, 1);
	ck_assert_str_eq(summary_get(&sum, summary_key("link.client_to_server.rules.1.rule")).str,
			 "drop: {data_segment: 2}");
	ck_assert_uint_eq(summary_get(&sum, summary_key("link.client_to_server.rules.2.hits")).u, 1);
	ck_assert_uint_eq(summary_get(&sum, summary_key("link.server_to_client.rules.1.hits")).u, 1);
	ck_assert_uint_eq(summary_get(&sum, summary_key("link.server_to_client.duplicated")).u, 2);
	ck_assert_uint_eq(summary_get(&sum, summary_key("client.retransmissions")).u, 1);
	ck_assert_uint_eq(summary_get(&sum, summary_key("server.app_bytes_received")).u, 3000);
	ck_assert(summary_get(&sum, summary_key("server.data_intact")).b);
	world_free(w);
	scenario_free(&s);

	/* A rule's own message, at its place in the file. */
	static const char bad[] =
		"link:\n  rate: 1Mbps\n  delay: 1ms\n  a_to_b:\n    rules: [drop: {data_segmnt: 1}]\n"
		"client: {app: [connect]}\nserver: {app: sink}\n";
	ck_assert_int_eq(scenario_load_mem("b.yaml", bad, strlen(bad), &s, err, sizeof err), -1);
	ck_assert_str_eq(err, "b.yaml:5:20: unknown key 'data_segmnt' in 'drop'");
}
END_TEST

static Suite *scenario_suite(void)
{
	Suite *s = suite_create("scenario");
	TCase *tc;

	tc = tcase_create("good");
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_minimal);
	tcase_add_test(tc, test_full);
	tcase_add_test(tc, test_server_script);
	tcase_add_test(tc, test_app_kinds);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_alias);
	tcase_add_test(tc, test_link_drop_copied);
	tcase_add_test(tc, test_impairment_keys);
	tcase_add_test(tc, test_loss_forms);
	tcase_add_test(tc, test_set_impairments);
	tcase_add_test(tc, test_ack_keys);
	tcase_add_test(tc, test_profiles);
	tcase_add_test(tc, test_profile_registry);
	tcase_add_test(tc, test_delayed_ack_values);
	tcase_add_test(tc, test_reads);
	tcase_add_test(tc, test_server_reads);
	tcase_add_test(tc, test_repeat);
	tcase_add_test(tc, test_repeat_nested);
	tcase_add_test(tc, test_repeat_once_and_alias);
	tcase_add_test(tc, test_repeat_limit);
	tcase_add_test(tc, test_snaplen);
	tcase_add_test(tc, test_load_mem);
	tcase_add_test(tc, test_ecn_keys);
	suite_add_tcase(s, tc);

	tc = tcase_create("unreadable");
	tcase_add_test(tc, test_missing_file);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_short_error_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad files");
	tcase_add_test(tc, test_bad_files_listed);
	tcase_add_loop_test(tc, test_bad_file, 0, nbad);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_set_timeout(tc, 60);      /* a hang guard; each takes well under a second */
	tcase_add_test(tc, test_depth_limit);
	tcase_add_test(tc, test_node_limit);
	tcase_add_test(tc, test_anchor_and_alias_limits);
	tcase_add_test(tc, test_alias_bomb);
	tcase_add_test(tc, test_many_keys);
	tcase_add_test(tc, test_size_limit_mem);
	tcase_add_test(tc, test_size_limit_file);
	tcase_add_test(tc, test_size_limit_stream);
	tcase_add_test(tc, test_bom_and_crlf);
	tcase_add_test(tc, test_bom_and_crlf_errors);
	tcase_add_test(tc, test_send_nul);
	tcase_add_test(tc, test_block_scalars);
	tcase_add_test(tc, test_utf16);
	suite_add_tcase(s, tc);

	tc = tcase_create("rules");
	tcase_add_test(tc, test_rules_yaml);
	suite_add_tcase(s, tc);

	tc = tcase_create("set");
	tcase_add_test(tc, test_set_values);
	tcase_add_test(tc, test_set_order);
	tcase_add_test(tc, test_set_expect);
	tcase_add_test(tc, test_set_alias);
	tcase_add_loop_test(tc, test_set_error, 0, N(set_errors));
	tcase_add_test(tc, test_set_error_order);
	suite_add_tcase(s, tc);

	tc = tcase_create("bad snippets");
	tcase_add_loop_test(tc, test_snippet, 0, N(snippets));
	tcase_add_test(tc, test_bad_file_name);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr;
	int failed;

	if (!mkdtemp(tmpdir)) {
		perror("mkdtemp");
		return EXIT_FAILURE;
	}
	read_expected();
	sr = srunner_create(scenario_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	remove_tmpdir();
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
