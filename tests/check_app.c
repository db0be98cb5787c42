/*
 * check_app: the applications' byte streams and the checking of what they
 * read. Two endpoints are wired back to back through a pipe that delivers
 * each segment 1 ms later and can tamper with a payload byte (TCP itself
 * does not see checksums; the host does), so the reader's check is tested
 * against a real corruption.
 *
 * The pipe has no rate and the endpoints neither delay ACKs nor apply
 * Nagle, so every event falls on a whole millisecond: the client's SYN
 * leaves at 0, it is ESTABLISHED at 2 ms, the server at 3 ms, and data
 * written at t arrives at t + 1 ms. The read-step and read-pacing tests
 * stop the clock at chosen instants and look at what has been read.
 */
#include <check.h>
#include <stdio.h>
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
	struct app_cfg capp, sapp;
	struct tcp_ep *ep[2];
	struct app *app[2];
	struct pipe_pkt pkts[PIPE_SLOTS];
	uint64_t tamper_offset;      /* stream offset of client data to flip, or UINT64_MAX */
	uint32_t client_iss;
	uint32_t drop_data;          /* the client's data segment to lose (1: the first; 0: none) */
	uint32_t client_data;        /* data segments the client sent so far */
	uint32_t summed;             /* segments that came with their payload's sum */
	struct sent {                /* every segment either side sent, in order */
		uint64_t at_ns;
		bool from_client;
		uint32_t seq, ack, len;
		uint16_t wnd;
	} sent[4096];
	size_t nsent;
};

static struct bench *B;

static void pipe_arrive(struct sim_timer *t, uint64_t now)
{
	struct pipe_pkt *p = container_of(t, struct pipe_pkt, t);
	(void)now;
	/* The slot is freed after the input: tcp_input works on the segment
	 * in place, and what it sends meanwhile must not reuse this slot. */
	tcp_input(p->to, &p->seg);
	p->used = false;
}

static void pipe_send(struct tcp_ep *to, const struct tcp_seg *seg, bool from_client)
{
	if (B->nsent < sizeof(B->sent) / sizeof(B->sent[0]))
		B->sent[B->nsent++] = (struct sent){ engine_now(&B->eng), from_client,
						     seg->seq, seg->ack, seg->len, seg->wnd };
	if (from_client && seg->len > 0 && ++B->client_data == B->drop_data)
		return;   /* lost on the way */
	for (int i = 0; i < PIPE_SLOTS; i++) {
		struct pipe_pkt *p = &B->pkts[i];
		if (p->used)
			continue;
		p->used = true;
		p->seg = *seg;
		ck_assert_uint_le(seg->len, sizeof(p->data));
		/* A segment whose payload is made by its fill: the sum the fill
		 * returns is the sum of the bytes it makes. */
		if (seg->len && seg->fill) {
			uint32_t sum = seg->fill(seg->fill_ctx, seg->fill_off, p->data, seg->len);
			ck_assert_uint_eq(sum, inet_sum(p->data, seg->len, 0));
			B->summed++;
		} else if (seg->len) {
			memcpy(p->data, seg->payload, seg->len);
		}
		p->seg.payload = p->data;
		p->seg.fill = NULL;
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

static void out_client(void *ctx, const struct tcp_seg *s, const struct tcp_why *w) { (void)ctx; (void)w; pipe_send(B->ep[1], s, true); }
static void out_server(void *ctx, const struct tcp_seg *s, const struct tcp_why *w) { (void)ctx; (void)w; pipe_send(B->ep[0], s, false); }
static void notify_client(void *ctx, enum tcp_event ev) { (void)ctx; app_on_tcp(B->app[0], ev); }
static void notify_server(void *ctx, enum tcp_event ev) { (void)ctx; app_on_tcp(B->app[1], ev); }

static struct tcp_cfg default_tcp(void)
{
	struct tcp_cfg t = {
		.send_buffer = 131072, .receive_buffer = 131072, .window_scaling = true,
		.initial_cwnd = 10, .initial_rto_ns = NS_PER_S, .min_rto_ns = NS_PER_S,
		.max_rto_ns = 60 * NS_PER_S, .max_retries = 15, .syn_retries = 6,
		.msl_ns = 30 * NS_PER_S,
	};
	return t;
}

/*
 * Two endpoints and two applications; capp and sapp are copied, the steps
 * they point to must outlive the bench.
 */
static void bench_setup_tcp(const struct app_cfg *capp, const struct app_cfg *sapp,
			    const struct tcp_cfg *ct, const struct tcp_cfg *st)
{
	struct tcp_hooks hc = { .output = out_client, .notify = notify_client };
	struct tcp_hooks hs = { .output = out_server, .notify = notify_server };

	B = calloc(1, sizeof(*B));
	ck_assert_ptr_nonnull(B);
	engine_init(&B->eng);
	B->tamper_offset = UINT64_MAX;
	B->client_iss = 1000;
	B->capp = *capp;
	B->sapp = *sapp;
	B->ep[0] = tcp_new(&B->eng, ct, 1500, 0xC0000201, 49152, B->client_iss, &hc);
	B->ep[1] = tcp_new(&B->eng, st, 1500, 0xC0000202, 8000, 5000, &hs);
	B->app[0] = app_new(&B->eng, &B->capp, "client", 0xC0000202, 8000);
	B->app[1] = app_new(&B->eng, &B->sapp, "server", 0xC0000201, 49152);
	app_attach(B->app[0], B->ep[0]);
	app_attach(B->app[1], B->ep[1]);
	app_set_peer(B->app[0], B->app[1]);
	app_set_peer(B->app[1], B->app[0]);
}

static void bench_setup(const struct app_cfg *capp, const struct app_cfg *sapp)
{
	struct tcp_cfg t = default_tcp();

	bench_setup_tcp(capp, sapp, &t, &t);
}

/* A client that connects, sends 'bytes' (or text), and closes; the server sapp. */
static void bench_run_server(uint64_t bytes, const char *text, const struct app_cfg *sapp)
{
	static struct app_step steps[3];
	struct app_cfg capp = { .kind = APP_SCRIPT, .steps = steps, .nsteps = 3 };

	steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = bytes,
				      .text = (char *)text, .text_len = text ? strlen(text) : 0 };
	steps[2] = (struct app_step){ .kind = STEP_CLOSE };
	bench_setup(&capp, sapp);
}

/* The same with a ready-made server of 'kind'. */
static void bench_run(uint64_t bytes, const char *text, enum app_kind server_kind)
{
	struct app_cfg sapp = { .kind = server_kind };

	bench_run_server(bytes, text, &sapp);
}

static void bench_start(void)
{
	app_start(B->app[1]);
	app_start(B->app[0]);
}

/* Runs every event due at or before t (absolute virtual time). */
static void bench_until(uint64_t t)
{
	while (engine_step(&B->eng, t))
		;
	ck_assert_uint_le(engine_now(&B->eng), t);
}

static void bench_go(void)
{
	bench_start();
	bench_until(600 * NS_PER_S);
	ck_assert_uint_eq(engine_pending(&B->eng), 0);
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

/* Line n of role's pattern, written out independently of app.c. */
static void ref_line(const char *role, uint64_t n, char out[65])
{
	snprintf(out, 65, "%-7.6s%012llu abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n", role,
		 (unsigned long long)(n % 1000000000000ull));
}

/* Lines first..first+count-1 against ref_line, from every offset in the first line. */
static void check_lines(const char *role, uint64_t first, unsigned count)
{
	static uint8_t want[64 * 40], got[64 * 40];
	char line[65];

	ck_assert_uint_le(count, 40);
	for (unsigned i = 0; i < count; i++) {
		ref_line(role, first + i, line);
		memcpy(want + 64 * i, line, 64);
	}
	for (unsigned pos = 0; pos < 64; pos += 7) {
		size_t len = 64 * count - pos;
		memset(got, 0, sizeof(got));
		ck_assert_uint_eq(app_pattern(role, 64 * first + pos, got, len),
				  inet_sum(want + pos, len, 0));
		ck_assert_mem_eq(got, want + pos, len);
		ck_assert_uint_eq(app_pattern_match(role, 64 * first + pos, want + pos, len), len);
	}
}

START_TEST(pattern_carries_every_digit)
{
	/* The last digit, the tens, and carries up every position, to the wrap at 10^12. */
	check_lines("client", 0, 12);
	check_lines("client", 95, 10);
	check_lines("server", 995, 10);
	check_lines("server", 123456789995ull, 10);
	check_lines("client", 99999999995ull, 10);
	check_lines("client", 999999999995ull, 10);
	check_lines("averyl", 1089, 30);
	check_lines("x", 7, 3);
	check_lines("longerrole", 199, 3);   /* cut to 6 */
}
END_TEST

/*
 * The sum app_pattern gives from the pattern's words is the sum of the
 * bytes it wrote, from every offset in a line (odd ones put the whole lines
 * at odd places), for lengths inside one line, across a few, and as long as
 * segments get, across the carries of the line number.
 */
START_TEST(pattern_sum_is_the_sum_of_its_bytes)
{
	static const uint64_t firsts[] = { 0, 9, 99, 999999999990ull };
	static const size_t longs[] = { 1460, 1461, 8960, 65495 };
	static uint8_t got[65536];

	for (size_t f = 0; f < sizeof(firsts) / sizeof(firsts[0]); f++) {
		for (uint64_t pos = 0; pos < 64; pos++) {
			uint64_t off = 64 * firsts[f] + pos;
			for (size_t len = 0; len <= 200; len++)
				ck_assert_uint_eq(app_pattern("client", off, got, len),
						  inet_sum(got, len, 0));
			for (size_t k = 0; k < sizeof(longs) / sizeof(longs[0]); k++)
				ck_assert_uint_eq(app_pattern("server", off, got, longs[k]),
						  inet_sum(got, longs[k], 0));
		}
	}
}
END_TEST

START_TEST(pattern_match_finds_the_first_difference)
{
	static uint8_t buf[3000];
	const uint64_t off = 64 * 99ull + 5;   /* lines 99 to 146: a carry inside */

	app_pattern("server", off, buf, sizeof(buf));
	ck_assert_uint_eq(app_pattern_match("server", off, buf, sizeof(buf)), sizeof(buf));
	for (size_t k = 0; k < sizeof(buf); k += 13) {
		buf[k] ^= 0x20;
		ck_assert_uint_eq(app_pattern_match("server", off, buf, sizeof(buf)), k);
		/* From an offset inside the buffer, and over a short length. */
		if (k >= 100 && k + 50 <= sizeof(buf))
			ck_assert_uint_eq(app_pattern_match("server", off + k - 100, buf + k - 100, 150), 100);
		buf[k] ^= 0x20;
	}
	/* Another role's bytes differ in the first byte; an empty range matches. */
	ck_assert_uint_eq(app_pattern_match("client", off - 5, buf, 100), 0);
	ck_assert_uint_eq(app_pattern_match("client", off, buf, 0), 0);
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

/*
 * Text and the pattern in one stream: what the initial window holds back
 * leaves in segments that span the steps, the text's odd lengths putting
 * the pattern at odd places in them. Every data segment the client sends
 * comes with its payload's sum (checked in pipe_send), and arrives intact.
 */
START_TEST(mixed_stream_segments_carry_their_sums)
{
	static struct app_step steps[7];
	struct app_cfg capp = { .kind = APP_SCRIPT, .steps = steps, .nsteps = 7 };
	struct app_cfg sapp = { .kind = APP_SINK };
	uint32_t data = 0, spanning = 0;

	steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = 20000 };
	steps[2] = (struct app_step){ .kind = STEP_SEND, .text = "Hello", .text_len = 5 };
	steps[3] = (struct app_step){ .kind = STEP_SEND, .bytes = 3001 };
	steps[4] = (struct app_step){ .kind = STEP_SEND, .text = "xyz", .text_len = 3 };
	steps[5] = (struct app_step){ .kind = STEP_SEND, .bytes = 777 };
	steps[6] = (struct app_step){ .kind = STEP_CLOSE };
	bench_setup(&capp, &sapp);
	bench_go();
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 23786);
	ck_assert(app_stats(B->app[1])->data_intact);
	for (size_t i = 0; i < B->nsent; i++) {
		const struct sent *t = &B->sent[i];
		uint64_t first = (uint32_t)(t->seq - B->client_iss - 1);
		if (!t->from_client || t->len == 0)
			continue;
		data++;
		/* Holds the first text, or the second: a piece at an odd place. */
		spanning += (first < 20005 && first + t->len > 20000 && first + t->len > 20005) ||
			    (first < 23006 && first + t->len > 23009);
	}
	ck_assert_uint_eq(data, 17);    /* 23786 bytes, 1460 at most */
	ck_assert_uint_eq(spanning, 2);
	ck_assert_uint_eq(B->summed, data);
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

/* ---- read steps ---- */

#define MS NS_PER_MS
#define STEP_N(k, n) ((struct app_step){ .kind = (k), .bytes = (n) })
#define WAIT(t) ((struct app_step){ .kind = STEP_WAIT, .wait_ns = (t) })
#define CONNECT ((struct app_step){ .kind = STEP_CONNECT })
#define CLOSE ((struct app_step){ .kind = STEP_CLOSE })
#define SCRIPT(a) ((struct app_cfg){ .kind = APP_SCRIPT, .steps = (a), \
				      .nsteps = sizeof(a) / sizeof((a)[0]) })

/*
 * A server script [read: 100, send: 50] answers only once 100 bytes were
 * read: the client's 60 bytes arrive at 3 ms, its last 40 at 53 ms, and
 * the answer leaves then, reaching the client at 54 ms.
 */
START_TEST(read_step_waits_for_its_bytes)
{
	static struct app_step cs[] = {
		CONNECT, STEP_N(STEP_SEND, 60), WAIT(50 * MS), STEP_N(STEP_SEND, 40), CLOSE,
	};
	static struct app_step ss[] = { STEP_N(STEP_READ, 100), STEP_N(STEP_SEND, 50) };
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);
	const struct app_stats *c, *sv;

	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(3 * MS);
	ck_assert_uint_eq(c->connected_ns, 2 * MS);
	ck_assert_uint_eq(sv->connected_ns, 3 * MS);
	ck_assert_uint_eq(sv->bytes_received, 60);
	ck_assert_uint_eq(sv->last_read_ns, 3 * MS);
	ck_assert_uint_eq(sv->bytes_sent, 0);
	bench_until(53 * MS - 1);
	ck_assert_uint_eq(sv->bytes_received, 60);
	ck_assert_uint_eq(sv->bytes_sent, 0);          /* still in its read step */
	ck_assert_uint_eq(c->bytes_received, 0);
	bench_until(53 * MS);
	ck_assert_uint_eq(sv->bytes_received, 100);
	ck_assert_uint_eq(sv->last_read_ns, 53 * MS);
	ck_assert_uint_eq(sv->bytes_sent, 50);
	bench_until(54 * MS - 1);
	ck_assert_uint_eq(c->bytes_received, 0);
	ck_assert_uint_eq(c->last_read_ns, 0);
	bench_until(54 * MS);
	ck_assert_uint_eq(c->bytes_received, 50);
	ck_assert_uint_eq(c->last_read_ns, 54 * MS);
	bench_until(600 * NS_PER_S);
	ck_assert(c->data_intact && c->eof);
	ck_assert(sv->data_intact && sv->eof);
	ck_assert_uint_eq(c->bytes_received, 50);
	ck_assert_uint_eq(c->last_read_ns, 54 * MS);
	ck_assert_uint_eq(c->connected_ns, 2 * MS);   /* set once, kept */
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}
END_TEST

/*
 * Read steps count from the start of the stream: [read: 100, send: 5,
 * read: 30, send: 5] sends its second answer only when byte 130 is read,
 * not at once because 100 >= 30.
 */
START_TEST(read_steps_add_up)
{
	static struct app_step cs[] = {
		CONNECT, STEP_N(STEP_SEND, 100), WAIT(50 * MS), STEP_N(STEP_SEND, 30), CLOSE,
	};
	static struct app_step ss[] = {
		STEP_N(STEP_READ, 100), STEP_N(STEP_SEND, 5),
		STEP_N(STEP_READ, 30), STEP_N(STEP_SEND, 5),
	};
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);
	const struct app_stats *c, *sv;

	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(4 * MS);
	ck_assert_uint_eq(sv->bytes_received, 100);
	ck_assert_uint_eq(sv->bytes_sent, 5);
	ck_assert_uint_eq(c->bytes_received, 5);
	bench_until(53 * MS - 1);
	ck_assert_uint_eq(sv->bytes_received, 100);
	ck_assert_uint_eq(sv->bytes_sent, 5);
	bench_until(53 * MS);
	ck_assert_uint_eq(sv->bytes_received, 130);
	ck_assert_uint_eq(sv->bytes_sent, 10);
	bench_until(54 * MS - 1);
	ck_assert_uint_eq(c->bytes_received, 5);
	bench_until(54 * MS);
	ck_assert_uint_eq(c->bytes_received, 10);
	ck_assert_uint_eq(c->last_read_ns, 54 * MS);
	bench_until(600 * NS_PER_S);
	ck_assert(c->data_intact && c->eof);
	ck_assert(sv->data_intact && sv->eof);
	bench_free();
}
END_TEST

/* A read step that asks for more than ever comes ends at end of stream. */
START_TEST(read_step_ends_at_eof)
{
	static struct app_step cs[] = { CONNECT, STEP_N(STEP_SEND, 100), CLOSE };
	static struct app_step ss[] = { STEP_N(STEP_READ, 1000), STEP_N(STEP_SEND, 10) };
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);
	const struct app_stats *c, *sv;

	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	bench_go();
	ck_assert_uint_eq(sv->bytes_received, 100);
	ck_assert(sv->eof && sv->data_intact);
	ck_assert_uint_eq(sv->bytes_sent, 10);
	ck_assert_uint_eq(c->bytes_received, 10);
	ck_assert(c->eof && c->data_intact);
	ck_assert_uint_eq(c->last_read_ns, 4 * MS);
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}
END_TEST

/*
 * A read step that starts after the end of stream ends at once: the
 * client's 100 bytes and FIN are in at 3 ms, the second read step starts
 * at 13 ms and the answer leaves then.
 */
START_TEST(read_step_after_eof)
{
	static struct app_step cs[] = { CONNECT, STEP_N(STEP_SEND, 100), CLOSE };
	static struct app_step ss[] = {
		STEP_N(STEP_READ, 100), WAIT(10 * MS), STEP_N(STEP_READ, 1), STEP_N(STEP_SEND, 10),
	};
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);
	const struct app_stats *c, *sv;

	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(13 * MS - 1);
	ck_assert(sv->eof);
	ck_assert_uint_eq(sv->bytes_sent, 0);
	bench_until(13 * MS);
	ck_assert_uint_eq(sv->bytes_sent, 10);
	bench_until(600 * NS_PER_S);
	ck_assert_uint_eq(c->bytes_received, 10);
	ck_assert_uint_eq(c->last_read_ns, 14 * MS);
	ck_assert(c->eof && c->data_intact);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}
END_TEST

/*
 * Nothing listens (the pipe answers no SYN with a RST; the client's SYN
 * retries run out): never connected, nothing read, the read step given up.
 */
START_TEST(stats_when_never_connected)
{
	static struct app_step cs[] = { CONNECT, STEP_N(STEP_READ, 10), CLOSE };
	struct app_cfg capp = SCRIPT(cs), sapp = { .kind = APP_NONE };
	const struct app_stats *c;

	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	bench_go();
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_error(B->ep[0]), TCP_ERR_TIMEOUT);
	ck_assert_uint_eq(c->connected_ns, 0);
	ck_assert_uint_eq(c->last_read_ns, 0);
	ck_assert_uint_eq(c->bytes_received, 0);
	ck_assert(!c->eof);
	ck_assert_uint_eq(app_stats(B->app[1])->connected_ns, 0);
	bench_free();
}
END_TEST

/* ---- read pacing ---- */

/*
 * A client that reads at most 1000 bytes every 100 ms. The server writes
 * 'total' bytes and closes at 3 ms; the first data arrives at 4 ms and is
 * read at once, then 1000 bytes every 100 ms, to the nanosecond: never more
 * just before a tick, exactly 1000 more at it.
 */
static void paced_client(uint64_t total)
{
	static struct app_step cs[] = { CONNECT };
	static struct app_step ss[2];
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);
	const struct app_stats *c;
	uint64_t k, reads = (total + 999) / 1000, t;

	ss[0] = STEP_N(STEP_SEND, total);
	ss[1] = CLOSE;
	capp.read_bytes = 1000;
	capp.read_every_ns = 100 * MS;
	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	bench_start();
	bench_until(4 * MS - 1);
	ck_assert_uint_eq(c->bytes_received, 0);
	for (k = 0; k < reads; k++) {
		t = 4 * MS + k * 100 * MS;
		bench_until(t - 1);
		ck_assert_msg(c->bytes_received == k * 1000,
			      "%llu bytes read before %llu ns, want %llu",
			      (unsigned long long)c->bytes_received,
			      (unsigned long long)t, (unsigned long long)(k * 1000));
		bench_until(t);
		ck_assert_msg(c->bytes_received == (k + 1) * 1000,
			      "%llu bytes read at %llu ns, want %llu",
			      (unsigned long long)c->bytes_received,
			      (unsigned long long)t, (unsigned long long)((k + 1) * 1000));
		ck_assert_uint_eq(c->last_read_ns, t);
	}
	bench_until(600 * NS_PER_S);
	ck_assert_uint_eq(c->bytes_received, total);
	ck_assert(c->eof && c->data_intact);
	/* The read that found only the FIN read no data. */
	ck_assert_uint_eq(c->last_read_ns, 4 * MS + (reads - 1) * 100 * MS);
	/* Half the server's bytes were in with the read that reached them. */
	ck_assert_uint_eq(c->half_bytes, total / 2);
	ck_assert_uint_eq(c->half_read_ns, 4 * MS + ((total / 2 + 999) / 1000 - 1) * 100 * MS);
	ck_assert_uint_eq(c->connected_ns, 2 * MS);
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}

/* Everything fits in the receive buffer at once. */
START_TEST(pacing_reads_a_quota_per_period)
{
	paced_client(5000);
}
END_TEST

/* More than the receive buffer (128 KiB): the sender stalls, the reader does not. */
START_TEST(pacing_through_a_full_receive_buffer)
{
	paced_client(200000);
}
END_TEST

/*
 * A paced sink whose data trickles in: the first 500 bytes are read as soon
 * as they arrive (3 ms); the next 500 arrive at 'gap' + 3 ms and are read no
 * sooner than 100 ms after the first read. The client's FIN follows its
 * last data in a segment of its own; the end of stream is a read too, so it
 * is seen at eof_at.
 */
static void paced_sink(uint64_t gap, uint64_t second_read, uint64_t eof_at)
{
	static struct app_step cs[5];
	struct app_cfg capp = SCRIPT(cs), sapp = { .kind = APP_SINK };
	const struct app_stats *sv;

	cs[0] = CONNECT;
	cs[1] = STEP_N(STEP_SEND, 500);
	cs[2] = WAIT(gap);
	cs[3] = STEP_N(STEP_SEND, 500);
	cs[4] = CLOSE;
	sapp.read_bytes = 1000;
	sapp.read_every_ns = 100 * MS;
	bench_setup(&capp, &sapp);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(3 * MS);
	ck_assert_uint_eq(sv->bytes_received, 500);
	ck_assert_uint_eq(sv->last_read_ns, 3 * MS);
	bench_until(second_read - 1);
	ck_assert_uint_eq(sv->bytes_received, 500);
	ck_assert(!sv->eof);
	bench_until(second_read);
	ck_assert_uint_eq(sv->bytes_received, 1000);
	ck_assert_uint_eq(sv->last_read_ns, second_read);
	ck_assert(sv->data_intact);
	if (eof_at > second_read) {
		ck_assert(!sv->eof);
		bench_until(eof_at - 1);
		ck_assert(!sv->eof);
	}
	bench_until(eof_at);
	ck_assert(sv->eof && sv->data_intact);
	bench_until(600 * NS_PER_S);
	ck_assert_uint_eq(sv->last_read_ns, second_read);
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}

/*
 * Data that comes 30 ms after a read waits for the period to end, at 103 ms;
 * the FIN, there by then, is read with it.
 */
START_TEST(pacing_holds_early_data_until_the_period_ends)
{
	paced_sink(30 * MS, 103 * MS, 103 * MS);
}
END_TEST

/*
 * Data that comes after a whole period is read as it arrives, at 253 ms
 * (the reader is in read() again since 103 ms); the FIN right behind it
 * waits for the next period.
 */
START_TEST(pacing_reads_late_data_at_once)
{
	paced_sink(250 * MS, 253 * MS, 353 * MS);
}
END_TEST

/*
 * After a read that finds less than the quota the reader is back in read()
 * a period later (103 ms) and blocks there: data arriving at 150 ms is read
 * at once, not on a tick of a timer left running from 3 ms (203 ms). The
 * FIN behind it waits a period.
 */
START_TEST(pacing_stops_after_a_short_read)
{
	paced_sink(147 * MS, 150 * MS, 250 * MS);
}
END_TEST

/* A paced server script: its read step ends on a paced read. */
START_TEST(pacing_with_a_read_step)
{
	static struct app_step cs[] = { CONNECT, STEP_N(STEP_SEND, 2500), CLOSE };
	static struct app_step ss[] = { STEP_N(STEP_READ, 2500), STEP_N(STEP_SEND, 7) };
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);
	const struct app_stats *c, *sv;

	sapp.read_bytes = 1000;
	sapp.read_every_ns = 100 * MS;
	bench_setup(&capp, &sapp);
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(203 * MS - 1);
	ck_assert_uint_eq(sv->bytes_received, 2000);  /* at 3 and 103 ms */
	ck_assert_uint_eq(sv->bytes_sent, 0);
	bench_until(203 * MS);
	ck_assert_uint_eq(sv->bytes_received, 2500);
	ck_assert_uint_eq(sv->bytes_sent, 7);
	bench_until(204 * MS);
	ck_assert_uint_eq(c->bytes_received, 7);
	bench_until(600 * NS_PER_S);
	ck_assert(c->data_intact && c->eof);
	ck_assert(sv->data_intact && sv->eof);
	bench_free();
}
END_TEST

/* ---- a reader blocked in read() ---- */

/* The segments one side sent at one instant, from index *i on. */
static const struct sent *next_from(size_t *i, bool from_client)
{
	while (*i < B->nsent && B->sent[*i].from_client != from_client)
		(*i)++;
	ck_assert_uint_lt(*i, B->nsent);
	return &B->sent[(*i)++];
}

/*
 * The client sends 14 segments (20000 bytes); the 7th is lost. Every
 * application reads as soon as data comes, so each is in read() when the
 * data arrives (the sink since it was connected) and takes it before the
 * ACK is built (tcp_recv_post). The first ten segments leave at 2 ms and
 * arrive at 3 ms: the server ACKs the first six at once, each offering the
 * whole 131072-byte buffer (field 32768, shift 2), then answers the three
 * beyond the hole with three ACKs of the same number and the same window:
 * duplicate ACKs by RFC 5681 §2, received at 4 ms, where the third starts
 * fast retransmit (§3.2) at that instant. Had the ACKs before the hole
 * been built before the sink read, they would offer 1460 bytes less, the
 * first ACK after the hole would differ in its window (a window update,
 * not a duplicate), and the third duplicate would come only from the
 * segments sent at 4 ms: fast retransmit at 6 ms.
 */
START_TEST(blocked_sink_sends_three_dupacks)
{
	const struct tcp_stats *cs;
	const struct sent *x;
	size_t i = 0;

	bench_run(20000, NULL, APP_SINK);
	B->drop_data = 7;
	bench_go();
	cs = tcp_stats(B->ep[0]);
	x = next_from(&i, false);                   /* the SYN-ACK */
	ck_assert_uint_eq(x->at_ns, 1 * MS);
	for (uint32_t k = 1; k <= 6; k++) {
		x = next_from(&i, false);
		ck_assert_uint_eq(x->at_ns, 3 * MS);
		ck_assert_uint_eq(x->ack, 1001 + k * 1460);
		ck_assert_uint_eq(x->wnd, 32768);
	}
	for (int k = 0; k < 3; k++) {
		x = next_from(&i, false);
		ck_assert_uint_eq(x->at_ns, 3 * MS);
		ck_assert_uint_eq(x->ack, 1001 + 6 * 1460);
		ck_assert_uint_eq(x->wnd, 32768);
		ck_assert_uint_eq(x->len, 0);
	}
	ck_assert_uint_eq(tcp_stats(B->ep[1])->dupacks_sent, 3 + 4);
	ck_assert_uint_eq(tcp_stats(B->ep[1])->window_updates_sent, 0);
	/* The lost segment's second copy: the fast retransmit, at 4 ms. */
	for (i = 0; i < B->nsent; i++)
		if (B->sent[i].from_client && B->sent[i].seq == 1001 + 6 * 1460 &&
		    B->sent[i].at_ns > 2 * MS)
			break;
	ck_assert_uint_lt(i, B->nsent);
	ck_assert_uint_eq(B->sent[i].at_ns, 4 * MS);
	ck_assert_uint_eq(B->sent[i].len, 1460);
	ck_assert_uint_eq(cs->fast_retransmits, 1);
	ck_assert_uint_eq(cs->retransmissions, 1);
	ck_assert_uint_eq(cs->rto_timeouts, 0);
	ck_assert_uint_eq(cs->dupacks_received, 3 + 4);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 20000);
	ck_assert(app_stats(B->app[1])->data_intact);
	bench_free();
}
END_TEST

/*
 * An echo server with a 1000-byte send buffer is in read() for at most what
 * it can write back: the client's first segment (1460 bytes, at 3 ms) gives
 * it 1000, echoed at once; the rest waits until the client's ACK of the echo
 * frees the buffer (at 5 ms). Every byte comes back intact.
 */
START_TEST(blocked_echo_reads_what_it_can_write)
{
	static struct app_step cs[] = { CONNECT, STEP_N(STEP_SEND, 5000), CLOSE };
	struct app_cfg capp = SCRIPT(cs), sapp = { .kind = APP_ECHO };
	struct tcp_cfg ct = default_tcp(), st = default_tcp();
	const struct app_stats *c, *sv;

	st.send_buffer = 1000;
	bench_setup_tcp(&capp, &sapp, &ct, &st);
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(3 * MS);
	ck_assert_uint_eq(sv->bytes_received, 1000);
	ck_assert_uint_eq(sv->bytes_sent, 1000);
	bench_until(5 * MS - 1);
	ck_assert_uint_eq(sv->bytes_received, 1000);
	bench_until(600 * NS_PER_S);
	ck_assert_uint_eq(sv->bytes_received, 5000);
	ck_assert_uint_eq(sv->bytes_sent, 5000);
	ck_assert_uint_eq(c->bytes_received, 5000);
	ck_assert(c->data_intact && c->eof);
	ck_assert(sv->data_intact && sv->eof);
	bench_free();
}
END_TEST

/*
 * A sink that reads at most 1460 bytes every 100 ms; the client sends 1000
 * bytes, then 1460 more 'gap' later. The 1000 find the sink in read()
 * (since it was connected): taken before the ACK is built, which offers the
 * whole buffer (field 32768). That read was short, so the sink is back in
 * read() a period later (103 ms) and blocks there. The 1460 bytes arriving
 * at 253 ms are taken before their ACK too: 32768 again. Arriving at 33 ms
 * they find it between reads: they wait for the 103 ms read, and their ACK
 * offers (131072 - 1460) >> 2 = 32403, the window as it really is.
 */
static const struct paced_block_case {
	uint64_t gap, ack_at, read_at;
	uint16_t want_wnd;
} PACED_BLOCKS[] = {
	{ 250 * MS, 253 * MS, 253 * MS, 32768 },
	{ 30 * MS, 33 * MS, 103 * MS, 32403 },
};

START_TEST(paced_reader_blocks_a_period_after_a_short_read)
{
	const struct paced_block_case *pc = &PACED_BLOCKS[_i];
	static struct app_step cs[5];
	struct app_cfg capp = SCRIPT(cs), sapp = { .kind = APP_SINK };
	const struct app_stats *sv;
	size_t i;

	cs[0] = CONNECT;
	cs[1] = STEP_N(STEP_SEND, 1000);
	cs[2] = WAIT(pc->gap);
	cs[3] = STEP_N(STEP_SEND, 1460);
	cs[4] = CLOSE;
	sapp.read_bytes = 1460;
	sapp.read_every_ns = 100 * MS;
	bench_setup(&capp, &sapp);
	sv = app_stats(B->app[1]);
	bench_start();
	bench_until(pc->read_at - 1);
	ck_assert_uint_eq(sv->bytes_received, 1000);
	bench_until(pc->read_at);
	ck_assert_uint_eq(sv->bytes_received, 2460);
	ck_assert_uint_eq(sv->last_read_ns, pc->read_at);
	bench_until(600 * NS_PER_S);
	ck_assert(sv->data_intact && sv->eof);
	for (i = 0; i < B->nsent && (B->sent[i].from_client || B->sent[i].ack != 1001 + 1000); i++)
		;
	ck_assert_uint_lt(i, B->nsent);
	ck_assert_uint_eq(B->sent[i].at_ns, 3 * MS);
	ck_assert_uint_eq(B->sent[i].wnd, 32768);
	for (; i < B->nsent && (B->sent[i].from_client || B->sent[i].ack != 1001 + 2460); i++)
		;
	ck_assert_uint_lt(i, B->nsent);
	ck_assert_uint_eq(B->sent[i].at_ns, pc->ack_at);
	ck_assert_uint_eq(B->sent[i].wnd, pc->want_wnd);
	bench_free();
}
END_TEST


/* ---- at, echo's read buffer, requests and respond, simultaneous open ---- */

#define AT(t) ((struct app_step){ .kind = STEP_AT, .wait_ns = (t) })

/* The client's data segments in sent[], in order: their times and lengths. */
static size_t data_segments(bool from_client, uint64_t *at, uint32_t *len, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < B->nsent && n < max; i++) {
		if (B->sent[i].from_client != from_client || B->sent[i].len == 0)
			continue;
		at[n] = B->sent[i].at_ns;
		len[n++] = B->sent[i].len;
	}
	return n;
}

/* at: waits until an absolute time; one whose time has passed goes on at once. */
START_TEST(at_step_waits_until_its_time)
{
	static struct app_step cs[] = {
		CONNECT, AT(50 * MS), STEP_N(STEP_SEND, 10), AT(20 * MS), STEP_N(STEP_SEND, 5),
		WAIT(7 * MS), AT(57 * MS), STEP_N(STEP_SEND, 1), CLOSE,
	};
	struct app_cfg capp = SCRIPT(cs), sapp = { .kind = APP_SINK };
	uint64_t at[8];
	uint32_t len[8];

	bench_setup(&capp, &sapp);
	bench_go();
	ck_assert_uint_eq(data_segments(true, at, len, 8), 3);
	ck_assert_uint_eq(at[0], 50 * MS);
	ck_assert_uint_eq(len[0], 10);
	ck_assert_uint_eq(at[1], 50 * MS);   /* at: 20ms, already past */
	ck_assert_uint_eq(len[1], 5);
	ck_assert_uint_eq(at[2], 57 * MS);   /* wait 7 ms lands on at: 57ms exactly */
	ck_assert_uint_eq(len[2], 1);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 16);
	ck_assert(app_stats(B->app[1])->data_intact);
	bench_free();
}
END_TEST

static void echo_bench(uint64_t send, const char *text, uint64_t buffer, bool whole)
{
	struct app_cfg sapp = { .kind = APP_ECHO, .echo_buffer = buffer, .echo_whole = whole };

	bench_run_server(send, text, &sapp);
}

/* Go's c.Read(d); c.Write(d) with a 100-byte d: the text, then 89 zeros. */
START_TEST(echo_writes_its_whole_buffer)
{
	uint64_t at[4];
	uint32_t len[4];

	echo_bench(0, "Hi, gopher?", 100, true);
	bench_go();
	ck_assert_uint_eq(data_segments(false, at, len, 4), 1);
	ck_assert_uint_eq(len[0], 100);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 11);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_sent, 100);
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_received, 100);
	ck_assert(app_stats(B->app[0])->data_intact);
	ck_assert(app_stats(B->app[1])->data_intact);
	bench_free();
}
END_TEST

/*
 * 250 bytes in one segment, read 100 at a time: three writes of 100 bytes,
 * the last holding 50 bytes of text and 50 zeros; a byte flipped on the way
 * in is caught by both, at its offset in each stream.
 */
START_TEST(echo_whole_buffer_reads_a_buffer_at_a_time)
{
	uint64_t at[8];
	uint32_t len[8];

	echo_bench(250, NULL, 100, true);
	bench_go();
	ck_assert_uint_eq(data_segments(false, at, len, 8), 3);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(len[i], 100);
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_received, 300);
	ck_assert(app_stats(B->app[0])->data_intact);
	bench_free();

	echo_bench(250, NULL, 100, true);
	B->tamper_offset = 120;
	bench_go();
	ck_assert(!app_stats(B->app[1])->data_intact);
	ck_assert_uint_eq(app_stats(B->app[1])->first_mismatch, 120);
	ck_assert(!app_stats(B->app[0])->data_intact);
	ck_assert_uint_eq(app_stats(B->app[0])->first_mismatch, 120);
	bench_free();

	/* Flipped in the last read's text (input byte 249: write 2, at 49 of
	 * its 50 bytes of text): output offset 249 too. */
	echo_bench(250, NULL, 100, true);
	B->tamper_offset = 249;
	bench_go();
	ck_assert_uint_eq(app_stats(B->app[0])->first_mismatch, 249);
	bench_free();
}
END_TEST

/* A read buffer alone only bounds each read: 100, 100, 50, nothing added. */
START_TEST(echo_read_buffer_bounds_each_read)
{
	uint64_t at[8];
	uint32_t len[8];

	echo_bench(250, NULL, 100, false);
	bench_go();
	ck_assert_uint_eq(data_segments(false, at, len, 8), 3);
	ck_assert_uint_eq(len[0], 100);
	ck_assert_uint_eq(len[1], 100);
	ck_assert_uint_eq(len[2], 50);
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_received, 250);
	ck_assert(app_stats(B->app[0])->data_intact);
	bench_free();
}
END_TEST

#define REQ(n) ((struct app_step){ .kind = STEP_SEND, .bytes = (n), .role = ROLE_REQUEST })
#define RESP(n) ((struct app_step){ .kind = STEP_READ, .bytes = (n), .role = ROLE_RESPONSE })

/*
 * Three requests of 100 bytes, answered with 3000 after 5 ms, 10 ms of
 * think time between: each request leaves at t (2, 19, 36 ms), reaches the
 * server at t+1, is answered at t+6 and read in full at t+7: 7 ms each.
 */
START_TEST(requests_are_answered_and_timed)
{
	static struct app_step cs[] = {
		CONNECT, REQ(100), RESP(3000), WAIT(10 * MS), REQ(100), RESP(3000),
		WAIT(10 * MS), REQ(100), RESP(3000), CLOSE,
	};
	struct app_cfg capp = SCRIPT(cs);
	struct app_cfg sapp = { .kind = APP_RESPOND, .request_bytes = 100,
				.response_bytes = 3000, .respond_delay_ns = 5 * MS };
	const struct app_stats *c, *sv;
	uint64_t at[16];
	uint32_t len[16];

	bench_setup(&capp, &sapp);
	bench_go();
	c = app_stats(B->app[0]);
	sv = app_stats(B->app[1]);
	ck_assert_uint_eq(c->requests, 3);
	ck_assert_uint_eq(c->requests_done, 3);
	for (int i = 0; i < 3; i++)
		ck_assert_uint_eq(c->latency_ns[i], 7 * MS);
	ck_assert_uint_eq(data_segments(true, at, len, 16), 3);
	ck_assert_uint_eq(at[0], 2 * MS);
	ck_assert_uint_eq(at[1], 19 * MS);
	ck_assert_uint_eq(at[2], 36 * MS);
	ck_assert_uint_eq(data_segments(false, at, len, 16), 9);
	ck_assert_uint_eq(at[0], 8 * MS);
	ck_assert_uint_eq(len[0], 1460);
	ck_assert_uint_eq(len[2], 80);
	ck_assert_uint_eq(sv->requests, 0);
	ck_assert_uint_eq(sv->bytes_sent, 9000);
	ck_assert_uint_eq(c->bytes_received, 9000);
	ck_assert(c->data_intact && sv->data_intact);
	ck_assert(sv->eof);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}
END_TEST

/* Half a request before the FIN gets no answer; the server just closes. */
START_TEST(respond_ignores_a_partial_request)
{
	struct app_cfg sapp = { .kind = APP_RESPOND, .request_bytes = 100,
				.response_bytes = 1000 };

	bench_run_server(150, NULL, &sapp);
	bench_go();
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 150);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_sent, 1000);
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_received, 1000);
	ck_assert(app_stats(B->app[0])->data_intact);
	ck_assert_uint_eq(app_planned_bytes(B->app[1]), UINT64_MAX);
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
	bench_free();
}
END_TEST

/*
 * Both scripts start with connect: the SYNs cross (both leave at 0, both
 * arrive at 1 ms), each side answers with a SYN-ACK from SYN-RECEIVED, and
 * each is ESTABLISHED when the other's SYN-ACK arrives at 2 ms (RFC 9293
 * Figure 8).
 */
START_TEST(simultaneous_open)
{
	static struct app_step cs[] = { CONNECT, STEP_N(STEP_SEND, 60), CLOSE };
	static struct app_step ss[] = { CONNECT, STEP_N(STEP_SEND, 50), CLOSE };
	struct app_cfg capp = SCRIPT(cs), sapp = SCRIPT(ss);

	bench_setup(&capp, &sapp);
	bench_go();
	ck_assert_uint_ge(B->nsent, 4);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(B->sent[i].at_ns, i < 2 ? 0 : 1 * MS);
	ck_assert(B->sent[0].from_client != B->sent[1].from_client);
	ck_assert_uint_eq(app_stats(B->app[0])->connected_ns, 2 * MS);
	ck_assert_uint_eq(app_stats(B->app[1])->connected_ns, 2 * MS);
	ck_assert_uint_eq(app_stats(B->app[0])->bytes_received, 50);
	ck_assert_uint_eq(app_stats(B->app[1])->bytes_received, 60);
	ck_assert(app_stats(B->app[0])->data_intact && app_stats(B->app[1])->data_intact);
	ck_assert_int_eq(tcp_state(B->ep[0]), TCPS_CLOSED);
	ck_assert_int_eq(tcp_state(B->ep[1]), TCPS_CLOSED);
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
	tcase_add_test(tc, pattern_carries_every_digit);
	tcase_add_test(tc, pattern_match_finds_the_first_difference);
	tcase_add_test(tc, pattern_sum_is_the_sum_of_its_bytes);
	tcase_add_test(tc, mixed_stream_segments_carry_their_sums);
	tcase_add_test(tc, sink_reads_everything_intact);
	tcase_add_test(tc, corrupted_byte_is_detected_at_its_offset);
	tcase_add_test(tc, echo_returns_literal_text);
	tcase_add_test(tc, echo_of_corrupted_data_is_caught_by_both);
	tcase_add_test(tc, planned_bytes);
	suite_add_tcase(s, tc);

	tc = tcase_create("read steps");
	tcase_add_test(tc, read_step_waits_for_its_bytes);
	tcase_add_test(tc, read_steps_add_up);
	tcase_add_test(tc, read_step_ends_at_eof);
	tcase_add_test(tc, read_step_after_eof);
	tcase_add_test(tc, stats_when_never_connected);
	suite_add_tcase(s, tc);

	tc = tcase_create("read pacing");
	tcase_add_test(tc, pacing_reads_a_quota_per_period);
	tcase_add_test(tc, pacing_through_a_full_receive_buffer);
	tcase_add_test(tc, pacing_holds_early_data_until_the_period_ends);
	tcase_add_test(tc, pacing_reads_late_data_at_once);
	tcase_add_test(tc, pacing_stops_after_a_short_read);
	tcase_add_test(tc, pacing_with_a_read_step);
	suite_add_tcase(s, tc);

	tc = tcase_create("at, echo buffers, requests, simultaneous open");
	tcase_add_test(tc, at_step_waits_until_its_time);
	tcase_add_test(tc, echo_writes_its_whole_buffer);
	tcase_add_test(tc, echo_whole_buffer_reads_a_buffer_at_a_time);
	tcase_add_test(tc, echo_read_buffer_bounds_each_read);
	tcase_add_test(tc, requests_are_answered_and_timed);
	tcase_add_test(tc, respond_ignores_a_partial_request);
	tcase_add_test(tc, simultaneous_open);
	suite_add_tcase(s, tc);

	tc = tcase_create("blocked reads");
	tcase_add_test(tc, blocked_sink_sends_three_dupacks);
	tcase_add_test(tc, blocked_echo_reads_what_it_can_write);
	tcase_add_loop_test(tc, paced_reader_blocks_a_period_after_a_short_read, 0,
			    sizeof(PACED_BLOCKS) / sizeof(PACED_BLOCKS[0]));
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
