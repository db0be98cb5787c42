/*
 * check_link: one direction of the path (link.c) and its packet pool.
 *
 * Each test builds a link on a fresh engine and pool, offers packets at
 * chosen instants, runs the engine, and asserts the exact deliveries: the
 * arrival time, the length, and a tag byte in data[0] that identifies the
 * packet. The timing model under test (link.h): a packet accepted at t
 * starts at max(t, transmitter free), takes ceil(len * 8 * 1e9 / rate) ns
 * to serialize, then delay ns to propagate, plus reorder_delay for the
 * packets picked by the reorder probability; the packets picked by the
 * corruption probability arrive with exactly one bit flipped, and no other
 * byte is ever changed. Leak checks: run with CK_FORK=no under ASan (LSan
 * does not report from Check's forked children).
 */
#include <check.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "link.h"
#include "rng.h"
#include "scenario.h"
#include "wire.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MS NS_PER_MS
#define MAX_RX 256
#define SEED 1
#define NAME "link.a_to_b"

/* One delivery. offer() writes the tag in data[0] and zeros after it: ones
 * counts the bits set after data[0], first_one is the first (as a bit
 * number from the start of the packet, most significant bit first). */
struct rx { uint64_t t; uint32_t len; uint8_t tag; int ones; uint64_t first_one; bool as_encoded; };

static struct engine eng;
static struct packet_pool pool;
static struct link lnk;
static struct rx rx[MAX_RX];
static int nrx;
static int ctx_marker;

static void deliver(void *ctx, struct packet *p, uint64_t now_ns)
{
	ck_assert_ptr_eq(ctx, &ctx_marker);
	ck_assert_ptr_eq(p->link, &lnk);
	ck_assert_uint_eq(now_ns, engine_now(&eng));
	ck_assert_int_lt(nrx, MAX_RX);
	rx[nrx].t = now_ns;
	rx[nrx].len = p->len;
	rx[nrx].tag = p->len ? p->data[0] : 0;
	rx[nrx].as_encoded = p->as_encoded;
	rx[nrx].ones = 0;
	for (uint32_t i = 1; i < p->len; i++) {
		for (int b = 0; b < 8; b++) {
			if ((p->data[i] & (0x80 >> b)) && rx[nrx].ones++ == 0)
				rx[nrx].first_one = (uint64_t)i * 8 + b;
		}
	}
	nrx++;
	packet_put(&pool, p);
}

static void setup(void)
{
	engine_init(&eng);
	packet_pool_init(&pool, 1500);
	memset(&lnk, 0, sizeof(lnk));
	nrx = 0;
}

static void teardown(void)
{
	/* Engine first: it touches the timers of packets still in flight. */
	engine_free(&eng);
	link_free(&lnk);
	packet_pool_free(&pool);
}

/* 8 Mbit/s (1000 bytes take 1 ms), 10 ms delay, room for 100 packets. */
static struct link_cfg base_cfg(void)
{
	struct link_cfg d = {
		.rate_bps = 8000000,
		.delay_ns = 10 * MS,
		.queue_packets = 100,
	};
	return d;
}

static void link_up(const struct link_cfg *cfg)
{
	link_init(&lnk, &eng, &pool, cfg, SEED, NAME, deliver, &ctx_marker);
}

static void offer(uint32_t len, uint8_t tag)
{
	struct packet *p = packet_get(&pool);

	ck_assert_uint_le(len, pool.buf_size);
	memset(p->data, 0, len);
	p->len = len;
	if (len > 0)
		p->data[0] = tag;
	p->as_encoded = true;         /* as the sending host marks it */
	link_send(&lnk, p);
}

static void noop(struct sim_timer *t, uint64_t now_ns)
{
	(void)t;
	(void)now_ns;
}

/* Runs every event due by t and leaves the clock at t. */
static void run_until(uint64_t t)
{
	struct sim_timer mark;

	timer_init(&mark, noop);
	engine_arm(&eng, &mark, t);
	while (engine_step(&eng, t))
		;
	ck_assert_uint_eq(engine_now(&eng), t);
}

static void run_all(void)
{
	while (engine_step(&eng, TIME_NEVER))
		;
}

/* Asserts the deliveries were exactly tags[i] at times[i]. */
static void expect_rx(const uint8_t *tags, const uint64_t *times, int n)
{
	ck_assert_int_eq(nrx, n);
	for (int i = 0; i < n; i++) {
		ck_assert_uint_eq(rx[i].tag, tags[i]);
		ck_assert_uint_eq(rx[i].t, times[i]);
		ck_assert_int_eq(rx[i].ones, 0);        /* the payload is untouched */
	}
}

static void expect_stats(uint64_t packets, uint64_t bytes, uint64_t delivered,
			 uint64_t dropped, uint64_t queue_drops)
{
	ck_assert_uint_eq(lnk.st.packets, packets);
	ck_assert_uint_eq(lnk.st.bytes, bytes);
	ck_assert_uint_eq(lnk.st.delivered, delivered);
	ck_assert_uint_eq(lnk.st.dropped, dropped);
	ck_assert_uint_eq(lnk.st.queue_drops, queue_drops);
}

/* ---- serialization and propagation ---- */

/* One packet on an idle link: arrival = ceil(len * 8 * 1e9 / rate) + delay. */
static const struct {
	uint64_t rate_bps;
	uint32_t len;
	uint64_t delay_ns;
	uint64_t arrival_ns;
} timing[] = {
	{ 8000000, 1000, 10 * MS, 11 * MS },               /* 1 ms exactly */
	{ 8000000, 1, 0, 1000 },
	{ 3000000, 1, 0, 2667 },                           /* 2666.67 rounds up */
	{ 1000000000, 1500, 0, 12000 },
	{ 8000000000, 1, 0, 1 },                           /* 1 ns exactly */
	{ 10000000000, 1, 0, 1 },                          /* 0.8 ns rounds up */
	{ 7, 1, 5, 1142857148 },                           /* 1142857142.86 + 5 */
	{ 1000000, 0, 100, 100 },                          /* empty: delay only */
	{ 1000000000000, 1500, 0, 12 },                    /* 1 Tbit/s */
	{ 1544000, 1500, 25 * MS, 7772021 + 25 * MS },     /* T1: 7772020.73 */
	{ 9999, 100, 1, 80008001 + 1 },                    /* 80008000.8 */
};

START_TEST(test_serialization)
{
	struct link_cfg cfg = base_cfg();
	uint8_t tag = timing[_i].len ? 7 : 0;   /* an empty packet has no byte for it */

	cfg.rate_bps = timing[_i].rate_bps;
	cfg.delay_ns = timing[_i].delay_ns;
	link_up(&cfg);
	offer(timing[_i].len, tag);
	ck_assert_uint_eq(engine_next_deadline(&eng), timing[_i].arrival_ns);
	run_all();
	expect_rx(&tag, &timing[_i].arrival_ns, 1);
	ck_assert_uint_eq(rx[0].len, timing[_i].len);
	expect_stats(1, timing[_i].len, 1, 0, 0);
}
END_TEST

START_TEST(test_back_to_back)
{
	static const uint8_t tags[] = { 1, 2, 3, 4, 5, 6 };
	static const uint64_t times[] = {
		11 * MS, 12 * MS, 13 * MS,     /* queued behind each other */
		13500000,                      /* offered at 0.5 ms, starts at 3 ms */
		31 * MS,                       /* offered at 20 ms to an idle link */
		32 * MS,                       /* offered the instant the link frees */
	};
	struct link_cfg cfg = base_cfg();

	link_up(&cfg);
	offer(1000, 1);
	offer(1000, 2);
	offer(1000, 3);
	run_until(500000);
	offer(500, 4);
	run_until(20 * MS);
	offer(1000, 5);
	run_until(21 * MS);
	offer(1000, 6);
	run_all();
	expect_rx(tags, times, 6);
	expect_stats(6, 5500, 6, 0, 0);
	ck_assert_uint_eq(engine_now(&eng), 32 * MS);
}
END_TEST

/* ---- drop-tail queue ---- */

/*
 * queue = 2 packets; the one being serialized does not count. Offered at
 * t = 0: 1 goes on the wire, 2 and 3 wait, 4 overflows. 1 leaves the wire at
 * exactly 1 ms: one instant before, 5 still overflows; at 1 ms, 6 fits and 7
 * does not. At 2.5 ms 3 is on the wire and 6 waits: 8 fits, 9 does not.
 */
START_TEST(test_queue_packets)
{
	static const uint8_t tags[] = { 1, 2, 3, 6, 8 };
	static const uint64_t times[] = { 11 * MS, 12 * MS, 13 * MS, 14 * MS, 15 * MS };
	struct link_cfg cfg = base_cfg();

	cfg.queue_packets = 2;
	link_up(&cfg);
	for (uint8_t tag = 1; tag <= 4; tag++)
		offer(1000, tag);
	ck_assert_uint_eq(lnk.st.queue_drops, 1);
	run_until(1 * MS - 1);
	offer(1000, 5);
	ck_assert_uint_eq(lnk.st.queue_drops, 2);
	run_until(1 * MS);
	offer(1000, 6);
	offer(1000, 7);
	ck_assert_uint_eq(lnk.st.queue_drops, 3);
	run_until(2500000);
	offer(1000, 8);
	offer(1000, 9);
	run_all();
	expect_rx(tags, times, 5);
	expect_stats(9, 9000, 5, 0, 4);
}
END_TEST

/* A burst of queue + 3 packets: one on the wire, 'queue' waiting, 2 dropped. */
static const uint32_t queue_limits[] = { 1, 2, 5, 100 };

START_TEST(test_queue_burst)
{
	struct link_cfg cfg = base_cfg();
	uint32_t q = queue_limits[_i];

	cfg.queue_packets = q;
	link_up(&cfg);
	for (uint32_t i = 1; i <= q + 3; i++)
		offer(100, (uint8_t)i);
	run_all();
	ck_assert_int_eq(nrx, q + 1);
	for (int i = 0; i < nrx; i++) {
		ck_assert_uint_eq(rx[i].tag, i + 1);
		ck_assert_uint_eq(rx[i].t, 10 * MS + 100000 * (uint64_t)(i + 1));
	}
	expect_stats(q + 3, 100 * (q + 3), q + 1, 0, 2);
}
END_TEST

/*
 * queue = 2500 bytes waiting: 1 on the wire, 2 and 3 wait (2000 bytes), 600
 * more would make 2600 > 2500, 500 more make exactly 2500 and fit, then not
 * one byte more.
 */
START_TEST(test_queue_bytes)
{
	static const uint8_t tags[] = { 1, 2, 3, 5 };
	static const uint64_t times[] = { 11 * MS, 12 * MS, 13 * MS, 13500000 };
	struct link_cfg cfg = base_cfg();

	cfg.queue_packets = 0;
	cfg.queue_bytes = 2500;
	link_up(&cfg);
	offer(1000, 1);
	offer(1000, 2);
	offer(1000, 3);
	offer(600, 4);
	offer(500, 5);
	offer(1, 6);
	run_all();
	expect_rx(tags, times, 4);
	expect_stats(6, 4101, 4, 0, 2);
}
END_TEST

/* The packet on the wire does not count: a packet larger than the byte
 * limit is accepted by an idle link, and the next one waits or not by itself. */
START_TEST(test_queue_bytes_head_not_counted)
{
	static const uint8_t tags[] = { 1, 3 };
	static const uint64_t times[] = { 11 * MS, 11500000 };
	struct link_cfg cfg = base_cfg();

	cfg.queue_packets = 0;
	cfg.queue_bytes = 500;
	link_up(&cfg);
	offer(1000, 1);
	offer(1000, 2);
	offer(500, 3);
	run_all();
	expect_rx(tags, times, 2);
	expect_stats(3, 2500, 2, 0, 1);
}
END_TEST

/* ---- scripted drops ---- */

/*
 * Packets are numbered 1, 2, 3 ... per link; the listed ones are dropped
 * before the queue and use no transmitter time. All offered at t = 0.
 */
static uint64_t drops_2_4[] = { 2, 4 };
static uint64_t drops_1[] = { 1 };
static uint64_t drops_3_100[] = { 3, 100 };
static uint64_t drops_1_2_3[] = { 1, 2, 3 };
static uint64_t drops_5[] = { 5 };

static const struct {
	uint64_t *drop;
	size_t ndrop;
	int sent;
	int ndelivered;
	uint8_t delivered[6];
} scripted[] = {
	{ drops_2_4, 2, 5, 3, { 1, 3, 5 } },
	{ drops_1, 1, 3, 2, { 2, 3 } },
	{ NULL, 0, 3, 3, { 1, 2, 3 } },
	{ drops_3_100, 2, 4, 3, { 1, 2, 4 } },
	{ drops_1_2_3, 3, 3, 0, { 0 } },
	{ drops_5, 1, 6, 5, { 1, 2, 3, 4, 6 } },
};

START_TEST(test_scripted_drops)
{
	struct link_cfg cfg = base_cfg();
	uint64_t times[6];

	cfg.drop = scripted[_i].drop;
	cfg.ndrop = scripted[_i].ndrop;
	link_up(&cfg);
	for (int i = 1; i <= scripted[_i].sent; i++)
		offer(1000, (uint8_t)i);
	run_all();
	for (int i = 0; i < scripted[_i].ndelivered; i++)
		times[i] = 10 * MS + (uint64_t)(i + 1) * MS;
	expect_rx(scripted[_i].delivered, times, scripted[_i].ndelivered);
	expect_stats(scripted[_i].sent, 1000 * (uint64_t)scripted[_i].sent,
		     scripted[_i].ndelivered, scripted[_i].sent - scripted[_i].ndelivered, 0);
}
END_TEST

/* Queue drops take a number too: drop [3] with queue 1 drops the third
 * offered packet, whatever happened to the others. */
START_TEST(test_scripted_numbering_counts_queue_drops)
{
	static uint64_t drop[] = { 3 };
	static const uint8_t tags[] = { 1, 2 };
	static const uint64_t times[] = { 11 * MS, 12 * MS };
	struct link_cfg cfg = base_cfg();

	cfg.queue_packets = 1;
	cfg.drop = drop;
	cfg.ndrop = 1;
	link_up(&cfg);
	offer(1000, 1);              /* on the wire */
	offer(1000, 2);              /* waits */
	offer(1000, 3);              /* scripted drop */
	offer(1000, 4);              /* queue drop */
	run_all();
	expect_rx(tags, times, 2);
	expect_stats(4, 4000, 2, 1, 1);
}
END_TEST

/* ---- random loss ---- */

START_TEST(test_loss_all)
{
	struct link_cfg cfg = base_cfg();

	cfg.loss_ppb = 1000000000;
	link_up(&cfg);
	for (int i = 1; i <= 50; i++)
		offer(100, (uint8_t)i);
	ck_assert_uint_eq(engine_pending(&eng), 0);
	ck_assert_uint_eq(link_in_flight(&lnk), 0);
	run_all();
	ck_assert_int_eq(nrx, 0);
	expect_stats(50, 5000, 0, 50, 0);
}
END_TEST

START_TEST(test_loss_none)
{
	struct link_cfg cfg = base_cfg();

	cfg.loss_ppb = 0;
	link_up(&cfg);
	for (int i = 1; i <= 50; i++)
		offer(100, (uint8_t)i);
	run_all();
	ck_assert_int_eq(nrx, 50);
	for (int i = 0; i < 50; i++)
		ck_assert_uint_eq(rx[i].tag, i + 1);
	expect_stats(50, 5000, 50, 0, 0);
}
END_TEST

/* Partial loss draws one chance per offered packet from the stream
 * "<name>.loss" seeded with the link's seed. */
START_TEST(test_loss_partial_uses_its_stream)
{
	struct link_cfg cfg = base_cfg();
	struct rng r;
	int expect = 0;

	cfg.loss_ppb = 300000000;
	link_up(&cfg);
	rng_init(&r, SEED, NAME ".loss");
	for (int i = 1; i <= 100; i++) {
		offer(100, (uint8_t)i);
		if (!rng_chance_ppb(&r, cfg.loss_ppb))
			expect++;
	}
	run_all();
	ck_assert_int_eq(nrx, expect);
	ck_assert_int_eq(expect, 76);       /* for seed 1 */
	expect_stats(100, 10000, expect, 100 - expect, 0);
}
END_TEST

/* ---- reordering ---- */

/* Probability 100%: every packet gets exactly reorder_delay more. */
START_TEST(test_reorder_all)
{
	static const uint8_t tags[] = { 1, 2, 3 };
	static const uint64_t times[] = { 16 * MS, 17 * MS, 18 * MS };
	struct link_cfg cfg = base_cfg();

	cfg.reorder_ppb = 1000000000;
	cfg.reorder_delay_ns = 5 * MS;
	link_up(&cfg);
	offer(1000, 1);
	offer(1000, 2);
	offer(1000, 3);
	run_all();
	expect_rx(tags, times, 3);
	ck_assert_uint_eq(lnk.st.reordered, 3);
	expect_stats(3, 3000, 3, 0, 0);
}
END_TEST

/*
 * Probability 30%, 2.5 ms extra, ten 1000-byte packets offered at t = 0
 * (normal arrivals 11, 12 ... 20 ms). With seed 1 the reorder stream picks
 * packets 3, 4 and 8 (worked out with check_rng's reference transcription):
 * 3 arrives at 15.5 ms, after 5 (15 ms); 4 at 16.5 ms, after 6; 8 at
 * 20.5 ms, last, after 9 and 10.
 */
START_TEST(test_reorder_partial)
{
	static const uint8_t tags[] = { 1, 2, 5, 3, 6, 4, 7, 9, 10, 8 };
	static const uint64_t times[] = {
		11 * MS, 12 * MS, 15 * MS, 15500000, 16 * MS,
		16500000, 17 * MS, 19 * MS, 20 * MS, 20500000,
	};
	struct link_cfg cfg = base_cfg();
	struct rng r;
	int picked = 0;

	cfg.reorder_ppb = 300000000;
	cfg.reorder_delay_ns = 2500000;
	link_up(&cfg);
	/* The same picks, replayed from the stream "<name>.reorder". */
	rng_init(&r, SEED, NAME ".reorder");
	for (int i = 1; i <= 10; i++) {
		bool held = rng_chance_ppb(&r, cfg.reorder_ppb);

		ck_assert_int_eq(held, i == 3 || i == 4 || i == 8);
		picked += held;
		offer(1000, (uint8_t)i);
	}
	run_all();
	expect_rx(tags, times, 10);
	ck_assert_uint_eq(lnk.st.reordered, picked);
	expect_stats(10, 10000, 10, 0, 0);
}
END_TEST

/* ---- corruption ---- */

/*
 * Probability 100%: every delivered packet has exactly one bit flipped, the
 * bit drawn uniformly from the stream "<name>.corrupt" after the chance
 * itself: rng_below(len * 8). Replayed here for 40-byte packets (tag 0,
 * so any set bit, in data[0] or after it, is the flipped one).
 */
START_TEST(test_corrupt_all)
{
	struct link_cfg cfg = base_cfg();
	struct rng r;
	int in_first_byte = 0;

	cfg.corrupt_ppb = 1000000000;
	link_up(&cfg);
	for (int i = 0; i < 100; i++)
		offer(40, 0);
	run_all();
	ck_assert_int_eq(nrx, 100);
	rng_init(&r, SEED, NAME ".corrupt");
	for (int i = 0; i < 100; i++) {
		uint64_t bit;

		ck_assert(rng_chance_ppb(&r, cfg.corrupt_ppb));
		ck_assert(!rx[i].as_encoded);     /* the receiver sums it again */
		bit = rng_below(&r, 40 * 8);
		if (bit < 8) {
			ck_assert_uint_eq(rx[i].tag, 0x80u >> bit);
			ck_assert_int_eq(rx[i].ones, 0);
			in_first_byte++;
		} else {
			ck_assert_uint_eq(rx[i].tag, 0);
			ck_assert_int_eq(rx[i].ones, 1);
			ck_assert_uint_eq(rx[i].first_one, bit);
		}
	}
	ck_assert_uint_eq(lnk.st.corrupted, 100);
	/* Corruption changes bits, not timing or counts. */
	ck_assert_uint_eq(rx[99].t, 10 * MS + 100 * 40000);
	expect_stats(100, 4000, 100, 0, 0);
	ck_assert_int_lt(in_first_byte, 10);
}
END_TEST

/* Probability 0: nothing touched (expect_rx checks every payload). */
START_TEST(test_corrupt_none)
{
	static const uint8_t tags[] = { 0xff, 0x01, 0x80 };
	static const uint64_t times[] = { 10 * MS + 40000, 10 * MS + 80000, 10 * MS + 120000 };
	struct link_cfg cfg = base_cfg();

	link_up(&cfg);
	offer(40, 0xff);
	offer(40, 0x01);
	offer(40, 0x80);
	run_all();
	expect_rx(tags, times, 3);
	ck_assert_uint_eq(lnk.st.corrupted, 0);
	for (int i = 0; i < 3; i++)
		ck_assert(rx[i].as_encoded);      /* untouched: its sums stand */
}
END_TEST

/* ---- in flight, stats, pool ---- */

START_TEST(test_in_flight)
{
	static uint64_t drop[] = { 2 };
	struct link_cfg cfg = base_cfg();

	cfg.queue_packets = 1;
	cfg.drop = drop;
	cfg.ndrop = 1;
	link_up(&cfg);
	ck_assert_uint_eq(link_in_flight(&lnk), 0);
	offer(1000, 1);              /* on the wire */
	ck_assert_uint_eq(link_in_flight(&lnk), 1);
	offer(1000, 2);              /* scripted drop */
	ck_assert_uint_eq(link_in_flight(&lnk), 1);
	offer(1000, 3);              /* waits */
	ck_assert_uint_eq(link_in_flight(&lnk), 2);
	offer(1000, 4);              /* queue drop */
	ck_assert_uint_eq(link_in_flight(&lnk), 2);
	/* Still in flight after serialization, until it arrives. */
	run_until(11 * MS - 1);
	ck_assert_uint_eq(link_in_flight(&lnk), 2);
	run_until(11 * MS);
	ck_assert_uint_eq(link_in_flight(&lnk), 1);
	run_all();
	ck_assert_uint_eq(link_in_flight(&lnk), 0);
	expect_stats(4, 4000, 2, 1, 1);
	ck_assert_uint_eq(lnk.st.reordered, 0);
	ck_assert_uint_eq(lnk.st.duplicated, 0);
	ck_assert_uint_eq(lnk.st.corrupted, 0);
}
END_TEST

/* The pool recycles: buffers allocated = most packets ever out at once. */
START_TEST(test_pool_recycles)
{
	struct link_cfg cfg = base_cfg();

	link_up(&cfg);
	for (int i = 0; i < 100; i++) {
		offer(1000, (uint8_t)i);
		run_all();
	}
	ck_assert_uint_eq(pool.allocated, 1);
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 5; i++)
			offer(1000, (uint8_t)i);
		run_all();
	}
	ck_assert_uint_eq(pool.allocated, 5);
	ck_assert_int_eq(nrx, 115);
	/* Dropped packets go back to the pool at once. */
	cfg.loss_ppb = 1000000000;
	link_free(&lnk);
	link_up(&cfg);
	for (int i = 0; i < 20; i++)
		offer(1000, (uint8_t)i);
	ck_assert_uint_eq(pool.allocated, 5);
	/* A recycled buffer holds no encoder's bytes until one writes them. */
	{
		struct packet *p = packet_get(&pool);
		ck_assert(!p->as_encoded);
		packet_put(&pool, p);
	}
}
END_TEST

/* A timer that logs its firing among the deliveries, tag 100 + id. */
struct mark { struct sim_timer t; uint8_t id; };

static void mark_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct mark *m = container_of(t, struct mark, t);

	ck_assert_int_lt(nrx, MAX_RX);
	rx[nrx] = (struct rx){ .t = now_ns, .tag = (uint8_t)(100 + m->id) };
	nrx++;
}

/*
 * Packets that wait in the link's queue arrive where timers armed when
 * they were sent would: another timer due at the same instant runs before
 * a packet if armed before it was sent and after it if armed after, the
 * packet first in the queue or not. A copy is scheduled before its
 * original, which arrives sooner and so overtakes it: the original has a
 * timer of its own, and each still arrives at its place.
 */
START_TEST(test_arrivals_keep_engine_order)
{
	static const uint8_t tags[] = { 101, 1, 102, 2, 3, 103, 104, 4, 4, 105, 5, 5 };
	static const uint64_t times[] = { 11 * MS, 11 * MS, 12 * MS, 12 * MS, 13 * MS, 13 * MS,
					  24 * MS, 24 * MS, 25 * MS, 25 * MS, 26 * MS, 27 * MS };
	struct link_cfg cfg = base_cfg();
	struct mark m[6];

	for (int i = 1; i <= 5; i++) {
		m[i].id = (uint8_t)i;
		timer_init(&m[i].t, mark_fire);
	}
	link_up(&cfg);
	engine_arm(&eng, &m[1].t, 11 * MS);
	offer(1000, 1);                              /* arrives at 11 ms */
	engine_arm(&eng, &m[2].t, 12 * MS);
	offer(1000, 2);                              /* 12 ms */
	offer(1000, 3);                              /* 13 ms */
	engine_arm(&eng, &m[3].t, 13 * MS);
	ck_assert_uint_eq(engine_pending(&eng), 4);  /* three marks and the queue's first */
	run_all();
	ck_assert_uint_eq(engine_now(&eng), 13 * MS);
	link_free(&lnk);

	/* One copy of each packet, 1 ms behind it. */
	cfg.duplicate_ppb = 1000000000;
	link_up(&cfg);
	engine_arm(&eng, &m[4].t, 24 * MS);
	offer(1000, 4);                              /* 24 ms, its copy 25 ms */
	engine_arm(&eng, &m[5].t, 25 * MS);
	offer(1000, 5);                              /* 26 ms, its copy 27 ms */
	run_all();
	expect_rx(tags, times, N(tags));
	ck_assert_uint_eq(lnk.st.delivered, 4);
	ck_assert_uint_eq(link_in_flight(&lnk), 0);
}
END_TEST

/* Packets still on the link at the end are freed by packet_pool_free
 * (teardown); run under ASan/LSan to see that nothing leaks. */
START_TEST(test_free_in_flight)
{
	struct link_cfg cfg = base_cfg();

	cfg.queue_packets = 1000;
	link_up(&cfg);
	for (int i = 1; i <= 150; i++)       /* grows the backlog ring past 64 */
		offer(100, (uint8_t)i);
	run_until(10 * MS + 300000);
	ck_assert_int_eq(nrx, 3);
	ck_assert_uint_eq(link_in_flight(&lnk), 147);
	/* In order on the link: its queue, with one timer in the engine. */
	ck_assert_uint_eq(engine_pending(&eng), 1);
	ck_assert_uint_eq(pool.allocated, 150);
}
END_TEST

/* ---- ECN marking (RFC 3168 §5) ---- */

/* One IPv4 packet of exactly len bytes (a TCP segment with len - 40 bytes
 * of data), its IP id the tag, its ECN field ecn. */
static struct packet *ip_packet(uint32_t len, uint16_t tag, enum ip_ecn ecn)
{
	static const uint8_t zeros[1500];
	struct packet *p = packet_get(&pool);
	struct tcp_seg s = {
		.src_addr = 0xC0000201u, .dst_addr = 0xC0000202u, .src_port = 49152,
		.dst_port = 8000, .seq = tag, .flags = TH_ACK, .wnd = 100, .ip_id = tag,
		.ecn = (uint8_t)ecn, .payload = zeros, .len = len - 40,
	};

	p->len = (uint32_t)wire_encode(&s, p->data, pool.buf_size);
	ck_assert_uint_eq(p->len, len);
	p->as_encoded = true;
	return p;
}

/* What arrived: the IP id, the ECN field, and whether it still decodes
 * (both checksums good). */
static struct { uint16_t id; uint8_t ecn; bool ok; uint64_t t; bool as_encoded; } ip_rx[MAX_RX];
static int nip;

static void deliver_ip(void *ctx, struct packet *p, uint64_t now_ns)
{
	struct tcp_seg s;

	(void)ctx;
	ck_assert_int_lt(nip, MAX_RX);
	ip_rx[nip].ok = wire_decode(p->data, p->len, &s) == WIRE_OK;
	ip_rx[nip].as_encoded = p->as_encoded;
	ip_rx[nip].id = s.ip_id;
	ip_rx[nip].ecn = s.ecn;
	ip_rx[nip].t = now_ns;
	nip++;
	packet_put(&pool, p);
}

/* Offers one packet; returns its verdict and what link_verdict_format says. */
static struct link_verdict offer_ip(uint16_t tag, enum ip_ecn ecn, uint32_t len, char *words)
{
	struct packet *p = ip_packet(len, tag, ecn);
	struct link_verdict v = *link_judge(&lnk, p);

	link_verdict_format(&lnk, &v, words, 64);
	link_commit(&lnk, p);
	return v;
}

/*
 * A scripted build-up: queue 6 packets, ecn_threshold 3. At t = 0, packet
 * 1 goes on the wire (no queue), 2, 3 and 4 wait as the 1st, 2nd and 3rd
 * (not beyond 3: unmarked; 4 is Not-ECT anyway), 5 would be the 4th: CE;
 * 6, Not-ECT, waits as the 5th unmarked (non-ECT traffic sees drop-tail
 * only); 7 is the 6th: CE; 8 (ECT) and 9 (Not-ECT) find the queue full and
 * are dropped both. At 1 ms packet 1 has left and 2 is on the wire: 10
 * joins 3..7 as the 6th: CE. Every marked packet arrives CE with good
 * checksums; the others as they were sent.
 */
START_TEST(test_ecn_mark_build_up)
{
	static const struct { uint16_t tag; enum ip_ecn ecn; enum link_fate fate;
			      bool ce; const char *words; } want[] = {
		{ 1, IP_ECN_ECT0, LINK_ACCEPTED, false, "" },
		{ 2, IP_ECN_ECT0, LINK_ACCEPTED, false, "" },
		{ 3, IP_ECN_ECT1, LINK_ACCEPTED, false, "" },
		{ 4, IP_ECN_NOT_ECT, LINK_ACCEPTED, false, "" },
		{ 5, IP_ECN_ECT0, LINK_ACCEPTED, true, "queue 4 > 3: CE" },
		{ 6, IP_ECN_NOT_ECT, LINK_ACCEPTED, false, "" },
		{ 7, IP_ECN_ECT1, LINK_ACCEPTED, true, "queue 6 > 3: CE" },
		{ 8, IP_ECN_ECT0, LINK_DROP_QUEUE, false, "dropped: queue full (6 packets)" },
		{ 9, IP_ECN_NOT_ECT, LINK_DROP_QUEUE, false, "dropped: queue full (6 packets)" },
	};
	static const uint8_t arrived_ecn[] = {
		IP_ECN_ECT0, IP_ECN_ECT0, IP_ECN_ECT1, IP_ECN_NOT_ECT, IP_ECN_CE, IP_ECN_NOT_ECT,
		IP_ECN_CE, IP_ECN_CE,
	};
	static const uint16_t arrived_id[] = { 1, 2, 3, 4, 5, 6, 7, 10 };
	struct link_cfg cfg = base_cfg();
	struct link_verdict v;
	char words[64];

	cfg.queue_packets = 6;
	cfg.ecn_threshold_packets = 3;
	link_init(&lnk, &eng, &pool, &cfg, SEED, NAME, deliver_ip, NULL);
	nip = 0;
	for (int i = 0; i < N(want); i++) {
		v = offer_ip(want[i].tag, want[i].ecn, 1000, words);
		ck_assert_msg(v.fate == want[i].fate, "packet %d: fate %d", want[i].tag, v.fate);
		ck_assert_msg(v.ce == want[i].ce, "packet %d: ce %d", want[i].tag, v.ce);
		ck_assert_str_eq(words, want[i].words);
	}
	run_until(1 * MS);
	v = offer_ip(10, IP_ECN_ECT0, 1000, words);
	ck_assert(v.ce);
	ck_assert_uint_eq(v.ce_queue, 6);
	ck_assert_str_eq(words, "queue 6 > 3: CE");
	run_all();
	ck_assert_int_eq(nip, N(arrived_id));
	for (int i = 0; i < nip; i++) {
		ck_assert_uint_eq(ip_rx[i].id, arrived_id[i]);
		ck_assert_uint_eq(ip_rx[i].ecn, arrived_ecn[i]);
		ck_assert(ip_rx[i].ok);
		/* A marked packet's IP sum changed on the way: verified again. */
		ck_assert_int_eq(ip_rx[i].as_encoded, arrived_ecn[i] != IP_ECN_CE);
		/* Marking changes no timing: 1 ms each, back to back, + 10 ms. */
		ck_assert_uint_eq(ip_rx[i].t, (uint64_t)(i + 1) * MS + 10 * MS);
	}
	ck_assert_uint_eq(lnk.st.ce_marked, 3);
	ck_assert_uint_eq(lnk.st.queue_drops, 2);
	ck_assert_uint_eq(lnk.st.dropped, 0);
}
END_TEST

/* In bytes: threshold 2500. 1 is on the wire; 2 and 3 make 2000 bytes
 * waiting; 4 (500) makes exactly 2500, not beyond; 5 (1000) would make
 * 3500: CE. A 600-byte Not-ECT packet after it is queued unmarked. */
START_TEST(test_ecn_mark_bytes)
{
	struct link_cfg cfg = base_cfg();
	struct link_verdict v;
	char words[64];

	cfg.ecn_threshold_bytes = 2500;
	link_init(&lnk, &eng, &pool, &cfg, SEED, NAME, deliver_ip, NULL);
	nip = 0;
	ck_assert(!offer_ip(1, IP_ECN_ECT0, 1000, words).ce);
	ck_assert(!offer_ip(2, IP_ECN_ECT0, 1000, words).ce);
	ck_assert(!offer_ip(3, IP_ECN_ECT0, 1000, words).ce);
	ck_assert(!offer_ip(4, IP_ECN_ECT0, 500, words).ce);
	v = offer_ip(5, IP_ECN_ECT0, 1000, words);
	ck_assert(v.ce);
	ck_assert_uint_eq(v.ce_queue, 3500);
	ck_assert_str_eq(words, "queue 3500 B > 2500 B: CE");
	ck_assert(!offer_ip(6, IP_ECN_NOT_ECT, 600, words).ce);
	ck_assert_str_eq(words, "");
	run_all();
	ck_assert_int_eq(nip, 6);
	ck_assert_uint_eq(ip_rx[4].ecn, IP_ECN_CE);
	ck_assert_uint_eq(ip_rx[5].ecn, IP_ECN_NOT_ECT);
	ck_assert_uint_eq(lnk.st.ce_marked, 1);
}
END_TEST

/* No threshold (the default): ECT packets meet the drop-tail queue alone,
 * exactly as others, and arrive unmarked. */
START_TEST(test_ecn_no_threshold)
{
	struct link_cfg cfg = base_cfg();
	char words[64];
	int accepted = 0;

	cfg.queue_packets = 3;
	link_init(&lnk, &eng, &pool, &cfg, SEED, NAME, deliver_ip, NULL);
	nip = 0;
	for (uint16_t t = 1; t <= 6; t++) {
		struct link_verdict v = offer_ip(t, IP_ECN_ECT0, 1000, words);
		ck_assert(!v.ce);
		accepted += v.fate == LINK_ACCEPTED;
	}
	run_all();
	ck_assert_int_eq(accepted, 4);
	ck_assert_int_eq(nip, 4);
	for (int i = 0; i < nip; i++)
		ck_assert_uint_eq(ip_rx[i].ecn, IP_ECN_ECT0);
	ck_assert_uint_eq(lnk.st.ce_marked, 0);
	ck_assert_uint_eq(lnk.st.queue_drops, 2);
}
END_TEST

/* ---- blackout windows ---- */

/*
 * Three windows, given out of order and two of them overlapping: [1, 2) ms,
 * [5, 7) ms and [6, 9) ms. One 1000-byte packet offered at each whole ms
 * from 0 to 10: those offered at 1, 5, 6, 7 and 8 ms are lost (a window
 * holds its start, not its end); 0, 2, 3, 4, 9 and 10 arrive 11 ms later.
 */
START_TEST(test_blackout_windows)
{
	static struct link_window windows[] = {
		{ 5 * MS, 7 * MS }, { 1 * MS, 2 * MS }, { 6 * MS, 9 * MS },
	};
	static const uint8_t tags[] = { 0, 2, 3, 4, 9, 10 };
	static const uint64_t times[] = { 11 * MS, 13 * MS, 14 * MS, 15 * MS, 20 * MS, 21 * MS };
	struct link_cfg cfg = base_cfg();
	char words[64];

	cfg.blackout = windows;
	cfg.nblackout = N(windows);
	link_up(&cfg);
	for (int t = 0; t <= 10; t++) {
		struct packet *p;

		run_until((uint64_t)t * MS);
		p = packet_get(&pool);
		memset(p->data, 0, 1000);
		p->len = 1000;
		p->data[0] = (uint8_t)t;
		link_judge(&lnk, p);
		ck_assert_int_eq(p->verdict.fate, t == 1 || (t >= 5 && t <= 8) ? LINK_DROP_BLACKOUT
								       : LINK_ACCEPTED);
		if (t == 1) {
			link_verdict_format(&lnk, &p->verdict, words, sizeof(words));
			ck_assert_str_eq(words, "dropped by link: blackout");
		}
		link_commit(&lnk, p);
	}
	run_all();
	/* The link sorted its own copy; the scenario's list is as it was. */
	ck_assert_uint_eq(windows[0].start_ns, 5 * MS);
	expect_rx(tags, times, N(tags));
	expect_stats(11, 11000, 6, 5, 0);
	ck_assert_uint_eq(lnk.st.blackout_drops, 5);
	ck_assert_uint_eq(lnk.st.loss_drops + lnk.st.drop_list_drops + lnk.st.rule_drops, 0);
}
END_TEST

/* A window that begins and ends at the same instant holds nothing. */
START_TEST(test_blackout_empty_window)
{
	static struct link_window windows[] = { { 0, 0 }, { 2 * MS, 2 * MS } };
	struct link_cfg cfg = base_cfg();

	cfg.blackout = windows;
	cfg.nblackout = N(windows);
	link_up(&cfg);
	offer(1000, 1);
	run_until(2 * MS);
	offer(1000, 2);
	run_all();
	ck_assert_int_eq(nrx, 2);
	ck_assert_uint_eq(lnk.st.blackout_drops, 0);
}
END_TEST

/* ---- Gilbert-Elliott loss ---- */

START_TEST(test_ge_netem_defaults)
{
	struct link_ge ge = link_ge_netem(10000000);      /* p = 1% */

	ck_assert_uint_eq(ge.p_ppb, 10000000);
	ck_assert_uint_eq(ge.r_ppb, 990000000);          /* r = 1 - p */
	ck_assert_uint_eq(ge.bad_loss_ppb, 1000000000);  /* 1-h = 100% */
	ck_assert_uint_eq(ge.good_loss_ppb, 0);          /* 1-k = 0 */
}
END_TEST

/* The fates of n packets of 100 bytes offered at t = 0, as a string: 'L' lost, '.' accepted. */
static void fates(int n, char *out)
{
	for (int i = 0; i < n; i++) {
		struct packet *p = packet_get(&pool);

		memset(p->data, 0, 100);
		p->len = 100;
		link_judge(&lnk, p);
		out[i] = p->verdict.fate == LINK_DROP_LOSS ? 'L' : '.';
		link_commit(&lnk, p);
	}
	out[n] = '\0';
}

/*
 * netem's order (sch_netem.c, loss_gilb_ell): the packet is judged in the
 * state it finds, after the draw that may move the chain. With p = r =
 * 100%, 1-h = 100%, 1-k = 0 the chain alternates good, bad, good ...
 * starting good: packet 1 moves it to bad and passes, packet 2 (found bad)
 * moves it back and is lost, and so on. Judging in the state after the
 * move would lose the odd packets instead. With r = 0 the chain never
 * leaves bad: every packet but the first is lost.
 */
START_TEST(test_ge_order_of_transition_and_loss)
{
	struct link_cfg cfg = base_cfg();
	char got[16], words[96];
	struct packet *p;

	cfg.loss_model = LINK_LOSS_GE;
	cfg.ge = (struct link_ge){ .p_ppb = PPB_ONE, .r_ppb = PPB_ONE, .bad_loss_ppb = PPB_ONE };
	link_up(&cfg);
	fates(10, got);
	ck_assert_str_eq(got, ".L.L.L.L.L");
	ck_assert_uint_eq(lnk.st.loss_drops, 5);
	ck_assert_uint_eq(lnk.st.dropped, 5);
	link_free(&lnk);

	cfg.ge.r_ppb = 0;
	link_up(&cfg);
	fates(10, got);
	ck_assert_str_eq(got, ".LLLLLLLLL");
	/* The words say which state lost it. */
	p = packet_get(&pool);
	p->len = 0;
	link_judge(&lnk, p);
	link_verdict_format(&lnk, &p->verdict, words, sizeof(words));
	ck_assert_str_eq(words, "dropped by link: Gilbert-Elliott loss, bad state (100%)");
	ck_assert(p->verdict.ge_bad);
	link_commit(&lnk, p);
	link_free(&lnk);

	/* 1-k = 100% and p = 0: the good state loses everything. */
	cfg.ge = (struct link_ge){ .good_loss_ppb = PPB_ONE, .bad_loss_ppb = PPB_ONE };
	link_up(&cfg);
	fates(4, got);
	ck_assert_str_eq(got, "LLLL");
	p = packet_get(&pool);
	p->len = 0;
	link_judge(&lnk, p);
	link_verdict_format(&lnk, &p->verdict, words, sizeof(words));
	ck_assert_str_eq(words, "dropped by link: Gilbert-Elliott loss, good state (100%)");
	link_commit(&lnk, p);
}
END_TEST

/* ---- loss models, measured over 10^6 packets ---- */

/*
 * Each model's loss rate and mean burst length (losses in a row) measured
 * over 10^6 packets, held within 2% of the analytic values.
 *
 * Gilbert-Elliott as netem runs it (link.h): packet n is judged in state
 * s_n with loss probability l(s) (l(G) = 1-k, l(B) = 1-h), and the chain
 * moves to s_{n+1} with P(G->B) = p, P(B->G) = r, the move and the loss
 * independent given s_n. The stationary distribution solves
 * pi_B = pi_G p + pi_B (1 - r): pi_B = p / (p + r), pi_G = r / (p + r).
 *
 *   loss rate   P(L) = pi_G (1-k) + pi_B (1-h)
 *
 * A burst ends at n when n is lost and n + 1 is not, so bursts per packet
 * are P(L_n, not L_{n+1}) = sum over s of pi_s l(s) sum over s' of
 * T(s, s') (1 - l(s')), and the mean burst is losses over bursts:
 *
 *   mean burst  P(L) / ( pi_G (1-k) [(1-p) k + p h] + pi_B (1-h) [r k + (1-r) h] )
 *
 * Simple Gilbert (1-h = 1, 1-k = 0): P(L) = pi_B, mean burst = pi_B /
 * (pi_B r) = 1 / r. Bernoulli with loss q is the chain that never leaves
 * one state: P(L) = q, mean burst = q / (q (1 - q)) = 1 / (1 - q).
 *
 * The parameter sets lose at least 5% and start at least 40 000 bursts in
 * 10^6 packets, so that 2% is over three standard deviations of each
 * estimate: a rarer loss would need more packets, not a looser bound.
 */
static const struct {
	const char *what;
	enum link_loss_model model;
	uint32_t q;                  /* Bernoulli */
	struct link_ge ge;
} loss_models[] = {
	{ "Bernoulli 5%", LINK_LOSS_BERNOULLI, 50000000, { 0 } },
	{ "Bernoulli 10%", LINK_LOSS_BERNOULLI, 100000000, { 0 } },
	{ "Bernoulli 50%", LINK_LOSS_BERNOULLI, 500000000, { 0 } },
	{ "Simple Gilbert p 5% r 30%", LINK_LOSS_GE, 0,
	  { 50000000, 300000000, PPB_ONE, 0 } },
	{ "Simple Gilbert p 10% r 50%", LINK_LOSS_GE, 0,
	  { 100000000, 500000000, PPB_ONE, 0 } },
	{ "Gilbert p 10% r 50% 1-h 60%", LINK_LOSS_GE, 0,
	  { 100000000, 500000000, 600000000, 0 } },
	{ "Gilbert-Elliott p 5% r 25% 1-h 70% 1-k 2%", LINK_LOSS_GE, 0,
	  { 50000000, 250000000, 700000000, 20000000 } },
	{ "Gilbert-Elliott p 20% r 40% 1-h 90% 1-k 10%", LINK_LOSS_GE, 0,
	  { 200000000, 400000000, 900000000, 100000000 } },
};

START_TEST(test_loss_model_statistics)
{
	const double one = PPB_ONE;
	struct link_cfg cfg = base_cfg();
	struct packet *p = packet_get(&pool);
	uint64_t losses = 0, bursts = 0, n = 1000000;
	double pg, pb, lg, lb, pi_b, pi_g, rate, ends, burst;
	bool lost_before = false;

	cfg.loss_model = loss_models[_i].model;
	cfg.loss_ppb = loss_models[_i].q;
	cfg.ge = loss_models[_i].ge;
	link_up(&cfg);
	p->len = 0;
	/* The link decides without the engine: the clock stays at 0 and
	 * nothing is committed, so only the verdicts are counted. */
	for (uint64_t i = 0; i < n; i++) {
		bool lost = link_judge(&lnk, p)->fate == LINK_DROP_LOSS;

		losses += lost;
		bursts += lost && !lost_before;
		lost_before = lost;
	}
	packet_put(&pool, p);
	ck_assert_uint_eq(lnk.st.loss_drops, losses);

	if (cfg.loss_model == LINK_LOSS_BERNOULLI) {
		/* One state, never left. */
		pg = 0, pb = 1, lg = lb = cfg.loss_ppb / one;
	} else {
		pg = cfg.ge.p_ppb / one, pb = cfg.ge.r_ppb / one;
		lg = cfg.ge.good_loss_ppb / one, lb = cfg.ge.bad_loss_ppb / one;
	}
	pi_b = pg / (pg + pb);
	pi_g = pb / (pg + pb);
	rate = pi_g * lg + pi_b * lb;
	ends = pi_g * lg * ((1 - pg) * (1 - lg) + pg * (1 - lb)) +
	       pi_b * lb * (pb * (1 - lg) + (1 - pb) * (1 - lb));
	burst = rate / ends;
	if (cfg.loss_model == LINK_LOSS_BERNOULLI)
		ck_assert_double_eq_tol(burst, 1 / (1 - lb), 1e-12);
	else if (lb == 1 && lg == 0)
		ck_assert_double_eq_tol(burst, 1 / pb, 1e-12);
	ck_assert_msg(fabs((double)losses / n - rate) <= 0.02 * rate,
		      "%s: loss rate %.5f, analytic %.5f", loss_models[_i].what,
		      (double)losses / n, rate);
	ck_assert_msg(fabs((double)losses / bursts - burst) <= 0.02 * burst,
		      "%s: mean burst %.4f, analytic %.4f", loss_models[_i].what,
		      (double)losses / bursts, burst);
}
END_TEST

/* ---- loss that applies to one kind of segment ---- */

/* An IPv4/TCP packet with these flags and payload bytes, its IP id the tag. */
static struct packet *tcp_packet(uint8_t flags, uint32_t payload, uint16_t tag)
{
	static const uint8_t zeros[1460];
	struct packet *p = packet_get(&pool);
	struct tcp_seg s = {
		.src_addr = 0xC0000201u, .dst_addr = 0xC0000202u, .src_port = 49152,
		.dst_port = 8000, .seq = 1000u * tag, .ack = 1, .flags = flags, .wnd = 100,
		.ip_id = tag, .payload = zeros, .len = payload,
	};

	p->len = (uint32_t)wire_encode(&s, p->data, pool.buf_size);
	ck_assert_uint_eq(p->len, 40 + payload);
	return p;
}

/* The kinds of packet loss_applies_to tells apart. */
static const struct { uint8_t flags; uint32_t payload; bool data, ack; } kinds[] = {
	{ TH_SYN, 0, false, false },
	{ TH_SYN | TH_ACK, 0, false, false },
	{ TH_ACK, 0, false, true },                     /* a pure ACK */
	{ TH_ACK | TH_PSH, 100, true, false },          /* data */
	{ TH_ACK | TH_FIN, 0, false, false },
	{ TH_ACK | TH_FIN, 10, true, false },           /* data with the FIN */
	{ TH_RST | TH_ACK, 0, false, false },
	{ TH_ACK | TH_ECE, 0, false, true },            /* a pure ACK echoing CE */
	{ TH_ACK, 1460, true, false },
};

/* Loss 100%, Bernoulli or Gilbert-Elliott (1-k = 100%), on data only or pure ACKs only. */
START_TEST(test_loss_applies_to)
{
	static const enum link_loss_scope scopes[] = { LINK_LOSS_DATA, LINK_LOSS_ACKS };
	static const char *const words_want[2][2] = {
		{ "dropped by link: random loss 100% of data segments",
		  "dropped by link: random loss 100% of pure ACKs" },
		{ "dropped by link: Gilbert-Elliott loss of data segments, good state (100%)",
		  "dropped by link: Gilbert-Elliott loss of pure ACKs, good state (100%)" },
	};
	struct link_cfg cfg = base_cfg();
	char words[96];

	for (int model = 0; model < 2; model++) {
		for (int sc = 0; sc < 2; sc++) {
			uint64_t want = 0;

			cfg.loss_model = model ? LINK_LOSS_GE : LINK_LOSS_BERNOULLI;
			cfg.loss_ppb = PPB_ONE;
			cfg.ge = (struct link_ge){ .good_loss_ppb = PPB_ONE };
			cfg.loss_applies_to = scopes[sc];
			link_up(&cfg);
			for (int k = 0; k < N(kinds); k++) {
				struct packet *p = tcp_packet(kinds[k].flags, kinds[k].payload,
							      (uint16_t)k);
				bool hit = sc == 0 ? kinds[k].data : kinds[k].ack;

				link_judge(&lnk, p);
				ck_assert_msg(p->verdict.fate == (hit ? LINK_DROP_LOSS : LINK_ACCEPTED),
					      "model %d scope %d kind %d", model, sc, k);
				if (hit) {
					link_verdict_format(&lnk, &p->verdict, words, sizeof(words));
					ck_assert_str_eq(words, words_want[model][sc]);
					want++;
				}
				link_commit(&lnk, p);
			}
			/* Bytes that are not IPv4/TCP are no kind of segment. */
			offer(100, 0xff);
			ck_assert_uint_eq(lnk.st.loss_drops, want);
			ck_assert_uint_eq(want, sc == 0 ? 3 : 2);
			run_all();
			link_free(&lnk);
			nrx = 0;
		}
	}
	/* The same list with loss on every packet drops all ten. */
	cfg.loss_model = LINK_LOSS_BERNOULLI;
	cfg.loss_applies_to = LINK_LOSS_ALL;
	link_up(&cfg);
	for (int k = 0; k < N(kinds); k++)
		link_send(&lnk, tcp_packet(kinds[k].flags, kinds[k].payload, (uint16_t)k));
	offer(100, 0xff);
	ck_assert_uint_eq(lnk.st.loss_drops, N(kinds) + 1);
}
END_TEST

/*
 * Packets the loss does not apply to draw nothing from its stream: with
 * loss on data only, the data segments lost among interleaved pure ACKs
 * are the ones lost when the data segments come alone, for either model.
 */
START_TEST(test_loss_scope_draws_only_for_its_packets)
{
	struct link_cfg cfg = base_cfg();
	char alone[41], mixed[41];

	for (int model = 0; model < 2; model++) {
		cfg.loss_model = model ? LINK_LOSS_GE : LINK_LOSS_BERNOULLI;
		cfg.loss_ppb = 300000000;
		cfg.ge = (struct link_ge){ 200000000, 300000000, 800000000, 50000000 };
		cfg.loss_applies_to = LINK_LOSS_DATA;
		for (int pass = 0; pass < 2; pass++) {
			char *out = pass ? mixed : alone;

			cfg.queue_packets = 1000;
			link_up(&cfg);
			for (int i = 0; i < 40; i++) {
				struct packet *p;

				if (pass) {
					p = tcp_packet(TH_ACK, 0, 1000);
					link_judge(&lnk, p);
					ck_assert_int_eq(p->verdict.fate, LINK_ACCEPTED);
					link_commit(&lnk, p);
				}
				p = tcp_packet(TH_ACK, 100, (uint16_t)i);
				link_judge(&lnk, p);
				out[i] = p->verdict.fate == LINK_DROP_LOSS ? 'L' : '.';
				link_commit(&lnk, p);
			}
			out[40] = '\0';
			run_all();
			link_free(&lnk);
		}
		ck_assert_str_eq(mixed, alone);
		ck_assert_ptr_nonnull(strchr(alone, 'L'));
		ck_assert_ptr_nonnull(strchr(alone, '.'));
	}
}
END_TEST

/* ---- duplication ---- */

/*
 * Probability 100%: each 1000-byte packet is followed by one copy,
 * serialized right behind it (1 ms each at 8 Mbit/s) and arriving 1 ms
 * after it: 1 at 11 ms and its copy at 12, 2 (which waited for the copy)
 * at 13 and its copy at 14.
 */
START_TEST(test_duplicate_all)
{
	static const uint8_t tags[] = { 1, 1, 2, 2 };
	static const uint64_t times[] = { 11 * MS, 12 * MS, 13 * MS, 14 * MS };
	struct link_cfg cfg = base_cfg();
	char words[64];
	struct packet *p;

	cfg.duplicate_ppb = PPB_ONE;
	link_up(&cfg);
	p = packet_get(&pool);
	memset(p->data, 0, 1000);
	p->len = 1000;
	p->data[0] = 1;
	link_judge(&lnk, p);
	ck_assert_uint_eq(p->verdict.copies, 1);
	link_verdict_format(&lnk, &p->verdict, words, sizeof(words));
	ck_assert_str_eq(words, "1 duplicate follow");
	link_commit(&lnk, p);
	offer(1000, 2);
	run_all();
	expect_rx(tags, times, N(tags));
	for (int i = 0; i < N(tags); i++)
		ck_assert_msg(rx[i].as_encoded == (i >= 2), "arrival %d", i);  /* a copy is as its original */
	ck_assert_uint_eq(lnk.st.duplicated, 2);
	expect_stats(2, 2000, 4, 0, 0);
}
END_TEST

/* A packet the link drops has no copies. */
START_TEST(test_duplicate_not_of_a_dropped_packet)
{
	struct link_cfg cfg = base_cfg();

	cfg.duplicate_ppb = PPB_ONE;
	cfg.loss_ppb = PPB_ONE;
	link_up(&cfg);
	offer(1000, 1);
	run_all();
	ck_assert_int_eq(nrx, 0);
	ck_assert_uint_eq(lnk.st.duplicated, 0);
}
END_TEST

/*
 * Probability 30%: one draw per accepted packet from "<name>.duplicate";
 * for seed 1, 100 packets get 36 copies, each right behind its packet.
 */
START_TEST(test_duplicate_partial_uses_its_stream)
{
	struct link_cfg cfg = base_cfg();
	struct rng r;
	int copies = 0, k = 0;
	bool dup[100];

	cfg.duplicate_ppb = 300000000;
	cfg.queue_packets = 1000;
	link_up(&cfg);
	rng_init(&r, SEED, NAME ".duplicate");
	for (int i = 0; i < 100; i++) {
		offer(100, (uint8_t)i);
		dup[i] = rng_chance_ppb(&r, cfg.duplicate_ppb);
		copies += dup[i];
	}
	run_all();
	ck_assert_int_eq(copies, 36);
	ck_assert_uint_eq(lnk.st.duplicated, 36);
	ck_assert_int_eq(nrx, 136);
	for (int i = 0; i < 100; i++) {
		ck_assert_uint_eq(rx[k++].tag, i);
		if (dup[i])
			ck_assert_uint_eq(rx[k++].tag, i);
	}
}
END_TEST

/* ---- jitter ---- */

/*
 * Twenty 1000-byte packets offered at t = 0 (arrivals without jitter 11,
 * 12 ... 30 ms), jitter up to 5 ms: each draws d in [0, 5 ms] from
 * "<name>.jitter". Without reordering each arrives at max(its own 10 ms +
 * 1 ms * (i + 1) + d, the arrival before it), in the order sent; with
 * reordering at its own time, so some overtake.
 */
START_TEST(test_jitter)
{
	const uint64_t max = 5 * MS;
	struct link_cfg cfg = base_cfg();
	uint64_t own[20], want[20];
	uint8_t order[20];
	struct rng r;
	int held = 0, overtaken = 0;

	rng_init(&r, SEED, NAME ".jitter");
	for (int i = 0; i < 20; i++) {
		own[i] = 11 * MS + (uint64_t)i * MS + rng_below(&r, max + 1);
		want[i] = i && own[i] < want[i - 1] ? want[i - 1] : own[i];
		held += want[i] != own[i];
		order[i] = (uint8_t)i;
	}
	ck_assert_int_gt(held, 0);      /* the no-overtaking rule did hold some back */

	cfg.jitter_max_ns = max;
	link_up(&cfg);
	for (int i = 0; i < 20; i++)
		offer(1000, (uint8_t)i);
	run_all();
	expect_rx(order, want, 20);
	ck_assert_uint_eq(lnk.st.jittered, 20);
	link_free(&lnk);

	/* May reorder: the arrivals are the packets' own, in time order (ties by sending order). */
	for (int i = 1; i < 20; i++)
		for (int j = i; j > 0 && own[order[j - 1]] > own[order[j]]; j--) {
			uint8_t t = order[j];

			order[j] = order[j - 1];
			order[j - 1] = t;
			overtaken++;
		}
	ck_assert_int_gt(overtaken, 0);
	/* The second run starts where the first one's clock stopped. */
	for (int i = 0; i < 20; i++)
		want[i] = engine_now(&eng) + own[order[i]];
	nrx = 0;
	cfg.jitter_reorder = true;
	link_up(&cfg);
	for (int i = 0; i < 20; i++)
		offer(1000, (uint8_t)i);
	run_all();
	expect_rx(order, want, 20);
}
END_TEST

/*
 * A copy follows its packet's jittered arrival by one serialization time,
 * and without reordering the next packet does not overtake the copy.
 */
START_TEST(test_jitter_with_copies)
{
	struct link_cfg cfg = base_cfg();
	char words[64];
	struct packet *p;

	cfg.jitter_max_ns = 5 * MS;
	cfg.duplicate_ppb = PPB_ONE;
	link_up(&cfg);
	for (int i = 0; i < 10; i++) {
		p = packet_get(&pool);
		memset(p->data, 0, 1000);
		p->len = 1000;
		p->data[0] = (uint8_t)i;
		link_judge(&lnk, p);
		if (i == 0) {
			char want[64];

			snprintf(want, sizeof(want), "jitter +%g ms, 1 duplicate follow",
				 (double)p->verdict.jitter_ns / 1e6);
			link_verdict_format(&lnk, &p->verdict, words, sizeof(words));
			ck_assert_str_eq(words, want);
			ck_assert_uint_gt(p->verdict.jitter_ns, 0);
		}
		link_commit(&lnk, p);
	}
	run_all();
	ck_assert_int_eq(nrx, 20);
	for (int i = 0; i < 20; i += 2) {
		ck_assert_uint_eq(rx[i].tag, i / 2);
		ck_assert_uint_eq(rx[i + 1].tag, i / 2);
		ck_assert_uint_eq(rx[i + 1].t, rx[i].t + 1 * MS);
		/* At least its own time without jitter: 11 ms, then 2 ms apart. */
		ck_assert_uint_ge(rx[i].t, 11 * MS + (uint64_t)i * MS);
		ck_assert_uint_le(rx[i].t, rx[i > 0 ? i - 1 : 0].t + 11 * MS);
		if (i > 0)
			ck_assert_uint_ge(rx[i].t, rx[i - 1].t);
	}
}
END_TEST

/* Jitter 0 draws nothing and delays nothing; the counter stays 0. */
START_TEST(test_jitter_off)
{
	static const uint8_t tags[] = { 1, 2 };
	static const uint64_t times[] = { 11 * MS, 12 * MS };
	struct link_cfg cfg = base_cfg();

	link_up(&cfg);
	offer(1000, 1);
	offer(1000, 2);
	run_all();
	expect_rx(tags, times, 2);
	ck_assert_uint_eq(lnk.st.jittered, 0);
}
END_TEST

/* ---- what dropped what ---- */

/* Each mechanism counts its own drops, and dropped is their sum. */
START_TEST(test_drop_counters_by_mechanism)
{
	static uint64_t list[] = { 2 };
	static struct link_window windows[] = { { 5 * MS, 6 * MS } };
	struct link_cfg cfg = base_cfg();

	cfg.drop = list;
	cfg.ndrop = 1;
	cfg.blackout = windows;
	cfg.nblackout = 1;
	link_up(&cfg);
	offer(1000, 1);
	offer(1000, 2);                 /* the drop list */
	run_until(5 * MS);
	offer(1000, 3);                 /* the blackout */
	run_until(6 * MS);
	lnk.cfg.loss_ppb = PPB_ONE;
	offer(1000, 4);                 /* random loss */
	run_all();
	ck_assert_int_eq(nrx, 1);
	ck_assert_uint_eq(lnk.st.drop_list_drops, 1);
	ck_assert_uint_eq(lnk.st.blackout_drops, 1);
	ck_assert_uint_eq(lnk.st.loss_drops, 1);
	ck_assert_uint_eq(lnk.st.rule_drops, 0);
	ck_assert_uint_eq(lnk.st.dropped, 3);
}
END_TEST

static Suite *link_suite(void)
{
	Suite *s = suite_create("link");
	TCase *tc;

	tc = tcase_create("timing");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_serialization, 0, N(timing));
	tcase_add_test(tc, test_back_to_back);
	suite_add_tcase(s, tc);

	tc = tcase_create("queue");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_queue_packets);
	tcase_add_loop_test(tc, test_queue_burst, 0, N(queue_limits));
	tcase_add_test(tc, test_queue_bytes);
	tcase_add_test(tc, test_queue_bytes_head_not_counted);
	tcase_add_test(tc, test_ecn_mark_build_up);
	tcase_add_test(tc, test_ecn_mark_bytes);
	tcase_add_test(tc, test_ecn_no_threshold);
	suite_add_tcase(s, tc);

	tc = tcase_create("drops");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_scripted_drops, 0, N(scripted));
	tcase_add_test(tc, test_scripted_numbering_counts_queue_drops);
	tcase_add_test(tc, test_loss_all);
	tcase_add_test(tc, test_loss_none);
	tcase_add_test(tc, test_loss_partial_uses_its_stream);
	suite_add_tcase(s, tc);

	tc = tcase_create("reorder");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_reorder_all);
	tcase_add_test(tc, test_reorder_partial);
	suite_add_tcase(s, tc);

	tc = tcase_create("corrupt");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_corrupt_all);
	tcase_add_test(tc, test_corrupt_none);
	suite_add_tcase(s, tc);

	tc = tcase_create("impairments");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_blackout_windows);
	tcase_add_test(tc, test_blackout_empty_window);
	tcase_add_test(tc, test_ge_netem_defaults);
	tcase_add_test(tc, test_ge_order_of_transition_and_loss);
	tcase_add_test(tc, test_loss_applies_to);
	tcase_add_test(tc, test_loss_scope_draws_only_for_its_packets);
	tcase_add_test(tc, test_duplicate_all);
	tcase_add_test(tc, test_duplicate_not_of_a_dropped_packet);
	tcase_add_test(tc, test_duplicate_partial_uses_its_stream);
	tcase_add_test(tc, test_jitter);
	tcase_add_test(tc, test_jitter_with_copies);
	tcase_add_test(tc, test_jitter_off);
	tcase_add_test(tc, test_drop_counters_by_mechanism);
	suite_add_tcase(s, tc);

	tc = tcase_create("loss statistics");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_loss_model_statistics, 0, N(loss_models));
	suite_add_tcase(s, tc);

	tc = tcase_create("accounting");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_in_flight);
	tcase_add_test(tc, test_pool_recycles);
	tcase_add_test(tc, test_free_in_flight);
	tcase_add_test(tc, test_arrivals_keep_engine_order);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(link_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
