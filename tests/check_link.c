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
#include <stdint.h>
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
struct rx { uint64_t t; uint32_t len; uint8_t tag; int ones; uint64_t first_one; };

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
	ck_assert_uint_eq(engine_pending(&eng), 147);
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
	return p;
}

/* What arrived: the IP id, the ECN field, and whether it still decodes
 * (both checksums good). */
static struct { uint16_t id; uint8_t ecn; bool ok; uint64_t t; } ip_rx[MAX_RX];
static int nip;

static void deliver_ip(void *ctx, struct packet *p, uint64_t now_ns)
{
	struct tcp_seg s;

	(void)ctx;
	ck_assert_int_lt(nip, MAX_RX);
	ip_rx[nip].ok = wire_decode(p->data, p->len, &s) == WIRE_OK;
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

	tc = tcase_create("accounting");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_in_flight);
	tcase_add_test(tc, test_pool_recycles);
	tcase_add_test(tc, test_free_in_flight);
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
