/*
 * check_app: the applications' byte streams and the checking of what they
 * read. Two endpoints are wired back to back through a pipe that delivers
 * each segment 1 ms later and can tamper with a payload byte (TCP itself
 * does not see checksums; the host does), so the reader's check is tested
 * against a real corruption.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "engine.h"
#include "tcp.h"

#define PIPE_SLOTS 256

struct pipe_pkt {
	struct sim_timer t;
	struct tcp_seg seg;
	uint8_t data[1500];
	struct tcp_ep *to;
	bool used;
};

struct bench {
	struct engine eng;
	struct scn_app capp, sapp;
	struct scn_step steps[4];
	struct tcp_ep *ep[2];
	struct app *app[2];
	struct pipe_pkt pkts[PIPE_SLOTS];
	uint64_t tamper_offset;      /* stream offset of client data to flip, or UINT64_MAX */
	uint32_t client_iss;
};

static struct bench *B;

static void pipe_arrive(struct sim_timer *t, uint64_t now)
{
	struct pipe_pkt *p = container_of(t, struct pipe_pkt, t);
	(void)now;
	p->used = false;
	tcp_input(p->to, &p->seg);
}

static void pipe_send(struct tcp_ep *to, const struct tcp_seg *seg, bool from_client)
{
	for (int i = 0; i < PIPE_SLOTS; i++) {
		struct pipe_pkt *p = &B->pkts[i];
		if (p->used)
			continue;
		p->used = true;
		p->seg = *seg;
		ck_assert_uint_le(seg->len, sizeof(p->data));
		if (seg->len)
			memcpy(p->data, seg->payload, seg->len);
		p->seg.payload = p->data;
		if (from_client && B->tamper_offset != UINT64_MAX && seg->len > 0) {
			/* Stream offset of the segment's first byte: seq - (ISS + 1). */
			uint64_t first = (uint32_t)(seg->seq - B->client_iss - 1);
			if (B->tamper_offset >= first && B->tamper_offset < first + seg->len)
				p->data[B->tamper_offset - first] ^= 0x20;
		}
		p->to = to;
		timer_init(&p->t, pipe_arrive);
		engine_arm(&B->eng, &p->t, engine_now(&B->eng) + NS_PER_MS);
		return;
	}
	ck_abort_msg("pipe full");
}

static void out_client(void *ctx, const struct tcp_seg *s) { (void)ctx; pipe_send(B->ep[1], s, true); }
static void out_server(void *ctx, const struct tcp_seg *s) { (void)ctx; pipe_send(B->ep[0], s, false); }
static void notify_client(void *ctx, enum tcp_event ev) { (void)ctx; app_on_tcp(B->app[0], ev); }
static void notify_server(void *ctx, enum tcp_event ev) { (void)ctx; app_on_tcp(B->app[1], ev); }

static struct scn_tcp default_tcp(void)
{
	struct scn_tcp t = {
		.send_buffer = 131072, .receive_buffer = 131072, .window_scaling = true,
		.initial_cwnd = 10, .initial_rto_ns = NS_PER_S, .min_rto_ns = NS_PER_S,
		.max_rto_ns = 60 * NS_PER_S, .max_retries = 15, .syn_retries = 6,
		.msl_ns = 30 * NS_PER_S,
	};
	return t;
}

/* A client that connects, sends 'bytes' (or text), and closes; a server of 'kind'. */
static void bench_run(uint64_t bytes, const char *text, enum app_kind server_kind)
{
	struct scn_tcp t = default_tcp();
	struct tcp_hooks hc = { .output = out_client, .notify = notify_client };
	struct tcp_hooks hs = { .output = out_server, .notify = notify_server };

	B = calloc(1, sizeof(*B));
	engine_init(&B->eng);
	B->tamper_offset = UINT64_MAX;
	B->client_iss = 1000;
	B->steps[0] = (struct scn_step){ .kind = STEP_CONNECT };
	B->steps[1] = (struct scn_step){ .kind = STEP_SEND, .bytes = bytes,
					 .text = (char *)text, .text_len = text ? strlen(text) : 0 };
	B->steps[2] = (struct scn_step){ .kind = STEP_CLOSE };
	B->capp = (struct scn_app){ .kind = APP_SCRIPT, .steps = B->steps, .nsteps = 3 };
	B->sapp = (struct scn_app){ .kind = server_kind };
	B->ep[0] = tcp_new(&B->eng, &t, 1500, 0xC0000201, 49152, B->client_iss, &hc);
	B->ep[1] = tcp_new(&B->eng, &t, 1500, 0xC0000202, 8000, 5000, &hs);
	B->app[0] = app_new(&B->eng, &B->capp, "client", 0xC0000202, 8000);
	B->app[1] = app_new(&B->eng, &B->sapp, "server", 0xC0000201, 49152);
	app_attach(B->app[0], B->ep[0]);
	app_attach(B->app[1], B->ep[1]);
	app_set_peer(B->app[0], B->app[1]);
	app_set_peer(B->app[1], B->app[0]);
}

static void bench_go(void)
{
	app_start(B->app[1]);
	app_start(B->app[0]);
	while (engine_step(&B->eng, 600 * NS_PER_S))
		;
}

static void bench_free(void)
{
	for (int i = 0; i < 2; i++) {
		app_free(B->app[i]);
		tcp_free(B->ep[i]);
	}
	engine_free(&B->eng);
	free(B);
	B = NULL;
}

START_TEST(pattern_lines)
{
	/* 64-byte lines: role padded to 7, 12-digit line number, space, filler, newline. */
	static const char line0[] = "client 000000000000 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n";
	static const char line1[] = "client 000000000001 abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n";
	uint8_t buf[200];

	app_pattern("client", 0, buf, 128);
	ck_assert_mem_eq(buf, line0, 64);
	ck_assert_mem_eq(buf + 64, line1, 64);
	/* An offset in the middle of a line, across a line boundary. */
	app_pattern("server", 64 * 123456789012ull + 60, buf, 10);
	ck_assert_mem_eq(buf, "OPQ\nserver", 10);
	app_pattern("server", 64 * 123456789012ull + 64 * 1 + 7, buf, 12);
	ck_assert_mem_eq(buf, "123456789013", 12);
}
END_TEST

START_TEST(pattern_is_a_function_of_offset)
{
	uint8_t a[5000], b[5000];

	app_pattern("client", 0, a, sizeof(a));
	for (size_t off = 0; off < 4000; off += 997) {
		app_pattern("client", off, b, 1000);
		ck_assert_mem_eq(a + off, b, 1000);
	}
}
END_TEST

START_TEST(sink_reads_everything_intact)
{
	bench_run(200000, NULL, APP_SINK);
	bench_go();
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_sent, 200000);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 200000);
	ck_assert(app_stats(B->app[1])->data_intact);
	ck_assert(app_stats(B->app[1])->eof);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);   /* sink closed after EOF */
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);   /* TIME_WAIT over */
	bench_free();
}
END_TEST

START_TEST(corrupted_byte_is_detected_at_its_offset)
{
	bench_run(100000, NULL, APP_SINK);
	B->tamper_offset = 54321;
	bench_go();
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 100000);
	ck_assert(!app_stats(B->app[1])->data_intact);
	ck_assert_uint_eq(app_stats(B->app[1])->first_mismatch, 54321);
	bench_free();
}
END_TEST

START_TEST(echo_returns_literal_text)
{
	bench_run(0, "Hi, gopher?", APP_ECHO);
	bench_go();
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_sent, 11);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 11);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_sent, 11);
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_received, 11);
	ck_assert(app_stats(B->app[0])->data_intact);
	ck_assert(app_stats(B->app[1])->data_intact);
	bench_free();
}
END_TEST

START_TEST(echo_of_corrupted_data_is_caught_by_both)
{
	bench_run(3000, NULL, APP_ECHO);
	B->tamper_offset = 1500;
	bench_go();
	ck_assert(!app_stats(B->app[1])->data_intact);
	ck_assert_uint_eq(app_stats(B->app[1])->first_mismatch, 1500);
	ck_assert(!app_stats(B->app[0])->data_intact);
	ck_assert_uint_eq(app_stats(B->app[0])->first_mismatch, 1500);
	bench_free();
}
END_TEST

START_TEST(planned_bytes)
{
	bench_run(12345, NULL, APP_SINK);
	ck_assert_uint_eq(app_planned_bytes(B->app[0]), 12345);
	ck_assert_uint_eq(app_planned_bytes(B->app[1]), 0);
	bench_free();
	bench_run(0, "abc", APP_ECHO);
	ck_assert_uint_eq(app_planned_bytes(B->app[0]), 3);
	ck_assert_uint_eq(app_planned_bytes(B->app[1]), UINT64_MAX);
	bench_free();
}
END_TEST

int main(void)
{
	Suite *s = suite_create("app");
	TCase *tc = tcase_create("streams");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, pattern_lines);
	tcase_add_test(tc, pattern_is_a_function_of_offset);
	tcase_add_test(tc, sink_reads_everything_intact);
	tcase_add_test(tc, corrupted_byte_is_detected_at_its_offset);
	tcase_add_test(tc, echo_returns_literal_text);
	tcase_add_test(tc, echo_of_corrupted_data_is_caught_by_both);
	tcase_add_test(tc, planned_bytes);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
