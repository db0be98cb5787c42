/*
 * check_engine: the virtual clock and the event heap of engine.c.
 *
 * Every test arms "probe" timers whose callback appends (id, now) to a
 * firing log, runs the engine, and asserts the exact log. The contract under
 * test (engine.h): timers fire in (deadline, insertion number) order, so
 * equal deadlines fire in the order they were armed; re-arming moves a timer
 * and gives it a new insertion number; arming in the past means now;
 * engine_step never moves the clock unless it runs something. A randomized
 * stress compares the heap against a sorted-array reference model.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_LOG 4096

struct probe;
typedef void (*probe_action)(struct probe *self, uint64_t now_ns);

/* A timer with an id, and an optional action run from inside its callback. */
struct probe {
	struct sim_timer t;
	int id;
	probe_action action;
	struct probe *other;        /* the timer the action works on */
	uint64_t arg;               /* the time the action arms it for */
	int repeat;                 /* for actions that re-arm their own timer */
};

static struct engine eng;
static int log_id[MAX_LOG];
static uint64_t log_now[MAX_LOG];
static int nlog;

static void probe_fire(struct sim_timer *t, uint64_t now_ns)
{
	struct probe *p = container_of(t, struct probe, t);

	ck_assert_int_lt(nlog, MAX_LOG);
	/* The engine sets the clock before the call and disarms the timer. */
	ck_assert_uint_eq(now_ns, engine_now(&eng));
	ck_assert(!timer_armed(t));
	log_id[nlog] = p->id;
	log_now[nlog] = now_ns;
	nlog++;
	if (p->action)
		p->action(p, now_ns);
}

static void probe_init(struct probe *p, int id)
{
	memset(p, 0, sizeof(*p));
	timer_init(&p->t, probe_fire);
	p->id = id;
}

static void setup(void)
{
	engine_init(&eng);
	nlog = 0;
}

static void teardown(void)
{
	engine_free(&eng);
}

static uint32_t run_all(void)
{
	uint32_t n = 0;

	while (engine_step(&eng, TIME_NEVER))
		n++;
	return n;
}

/* Asserts the firing log is exactly ids[i] at times when[i]. */
static void expect_log(const int *ids, const uint64_t *when, int n)
{
	ck_assert_int_eq(nlog, n);
	for (int i = 0; i < n; i++) {
		ck_assert_int_eq(log_id[i], ids[i]);
		ck_assert_uint_eq(log_now[i], when[i]);
	}
}

/* ---- ordering ---- */

START_TEST(test_empty)
{
	ck_assert_uint_eq(engine_now(&eng), 0);
	ck_assert_uint_eq(engine_pending(&eng), 0);
	ck_assert_uint_eq(engine_next_deadline(&eng), TIME_NEVER);
	ck_assert(!engine_step(&eng, TIME_NEVER));
	ck_assert_uint_eq(engine_now(&eng), 0);
	ck_assert_uint_eq(eng.events_run, 0);
}
END_TEST

START_TEST(test_order_by_time)
{
	static const uint64_t arm_at[] = { 30, 10, 50, 20, 40, 5 };
	static const int ids[] = { 6, 2, 4, 1, 5, 3 };
	static const uint64_t when[] = { 5, 10, 20, 30, 40, 50 };
	struct probe p[6];

	for (int i = 0; i < 6; i++) {
		probe_init(&p[i], i + 1);
		engine_arm(&eng, &p[i].t, arm_at[i]);
		ck_assert(timer_armed(&p[i].t));
		ck_assert_uint_eq(p[i].t.when_ns, arm_at[i]);
	}
	ck_assert_uint_eq(engine_pending(&eng), 6);
	ck_assert_uint_eq(run_all(), 6);
	expect_log(ids, when, 6);
	ck_assert_uint_eq(engine_now(&eng), 50);
	ck_assert_uint_eq(engine_pending(&eng), 0);
}
END_TEST

/* Equal deadlines fire in arming order, whatever the arming order is. */
static const struct {
	int order[5];               /* ids in the order they are armed, all at t = 7 */
} ties[] = {
	{ { 1, 2, 3, 4, 5 } },
	{ { 5, 4, 3, 2, 1 } },
	{ { 3, 1, 5, 2, 4 } },
	{ { 2, 5, 1, 4, 3 } },
};

START_TEST(test_ties_insertion_order)
{
	struct probe p[6];
	uint64_t when[5] = { 7, 7, 7, 7, 7 };

	for (int i = 1; i <= 5; i++)
		probe_init(&p[i], i);
	for (int i = 0; i < 5; i++)
		engine_arm(&eng, &p[ties[_i].order[i]].t, 7);
	run_all();
	expect_log(ties[_i].order, when, 5);
}
END_TEST

/* Ties among timers interleaved with other deadlines. */
START_TEST(test_ties_mixed)
{
	static const int ids[] = { 2, 1, 3, 5, 4 };
	static const uint64_t when[] = { 5, 10, 10, 10, 20 };
	struct probe p[6];

	for (int i = 1; i <= 5; i++)
		probe_init(&p[i], i);
	engine_arm(&eng, &p[1].t, 10);
	engine_arm(&eng, &p[2].t, 5);
	engine_arm(&eng, &p[3].t, 10);
	engine_arm(&eng, &p[4].t, 20);
	engine_arm(&eng, &p[5].t, 10);
	run_all();
	expect_log(ids, when, 5);
}
END_TEST

/* ---- re-arming ---- */

START_TEST(test_rearm_moves_later)
{
	static const int ids[] = { 2, 1 };
	static const uint64_t when[] = { 20, 30 };
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	engine_arm(&eng, &a.t, 10);
	engine_arm(&eng, &b.t, 20);
	engine_arm(&eng, &a.t, 30);
	/* Moved, not duplicated. */
	ck_assert_uint_eq(engine_pending(&eng), 2);
	ck_assert_uint_eq(engine_next_deadline(&eng), 20);
	ck_assert_uint_eq(run_all(), 2);
	expect_log(ids, when, 2);
}
END_TEST

START_TEST(test_rearm_moves_earlier)
{
	static const int ids[] = { 2, 1 };
	static const uint64_t when[] = { 5, 20 };
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	engine_arm(&eng, &a.t, 20);
	engine_arm(&eng, &b.t, 40);
	engine_arm(&eng, &b.t, 5);
	ck_assert_uint_eq(engine_pending(&eng), 2);
	ck_assert_uint_eq(engine_next_deadline(&eng), 5);
	run_all();
	expect_log(ids, when, 2);
}
END_TEST

/*
 * A reserved insertion number places a timer armed later exactly where an
 * engine_arm at the moment of the reservation would have: among timers due
 * at the same time, after those armed before the reservation and before
 * those armed after it, whatever order the reserved ones are armed in.
 */
START_TEST(test_reserved_orders)
{
	static const int ids[] = { 5, 1, 2, 3, 4, 6 };
	static const uint64_t when[] = { 5, 10, 10, 10, 10, 12 };
	struct probe p[7];
	uint64_t r2, r4, r6;

	for (int i = 1; i <= 6; i++)
		probe_init(&p[i], i);
	engine_arm(&eng, &p[1].t, 10);
	r2 = engine_reserve_order(&eng);
	engine_arm(&eng, &p[3].t, 10);
	r4 = engine_reserve_order(&eng);
	r6 = engine_reserve_order(&eng);
	engine_arm(&eng, &p[5].t, 5);
	/* A reservation takes the number the next engine_arm would have had. */
	ck_assert_uint_eq(r2, p[1].t.order + 1);
	ck_assert_uint_eq(p[3].t.order, r2 + 1);
	ck_assert_uint_eq(r4, p[3].t.order + 1);
	ck_assert_uint_eq(r6, r4 + 1);
	ck_assert_uint_eq(p[5].t.order, r6 + 1);
	engine_arm_ordered(&eng, &p[6].t, 12, r6);
	engine_arm_ordered(&eng, &p[4].t, 10, r4);
	engine_arm_ordered(&eng, &p[2].t, 10, r2);
	ck_assert_uint_eq(p[2].t.order, r2);
	ck_assert_uint_eq(engine_pending(&eng), 6);
	run_all();
	expect_log(ids, when, 6);
}
END_TEST

/* engine_arm_ordered moves an armed timer, as engine_arm does, and keeps its number. */
START_TEST(test_arm_ordered_moves)
{
	static const int ids[] = { 2, 1, 3 };
	static const uint64_t when[] = { 7, 7, 9 };
	struct probe p[4];
	uint64_t r;

	for (int i = 1; i <= 3; i++)
		probe_init(&p[i], i);
	r = engine_reserve_order(&eng);
	engine_arm(&eng, &p[1].t, 20);
	engine_arm(&eng, &p[2].t, 7);
	engine_arm(&eng, &p[3].t, 9);
	/* Reserved before p2 was armed, yet p1 runs after p2 at 7: the
	 * reservation is used for p3 below, p1 keeps an ordinary number. */
	engine_arm(&eng, &p[1].t, 7);
	engine_arm_ordered(&eng, &p[3].t, 9, r);
	ck_assert_uint_eq(p[3].t.order, r);
	ck_assert_uint_eq(engine_pending(&eng), 3);
	run_all();
	expect_log(ids, when, 3);
}
END_TEST

/*
 * A chain like link.c's queue: a timer that, when it runs, arms itself
 * again with the next reserved number. Timers armed between the
 * reservations, due at the same times, interleave as if each link of the
 * chain had been armed at its reservation.
 */
static uint64_t chain_when[3], chain_order[3];
static int chain_next;

static void chain_step(struct probe *self, uint64_t now_ns)
{
	(void)now_ns;
	if (chain_next < 3) {
		engine_arm_ordered(&eng, &self->t, chain_when[chain_next], chain_order[chain_next]);
		chain_next++;
	}
}

START_TEST(test_reserved_chain)
{
	static const int ids[] = { 1, 2, 1, 3, 1, 4, 1 };   /* the chain is 1 */
	static const uint64_t when[] = { 10, 10, 20, 20, 20, 30, 30 };
	struct probe c, q[3];
	uint64_t first;

	probe_init(&c, 1);
	c.action = chain_step;
	chain_next = 0;
	first = engine_reserve_order(&eng);
	probe_init(&q[0], 2);
	engine_arm(&eng, &q[0].t, 10);              /* after the chain's first */
	chain_when[0] = 20;
	chain_order[0] = engine_reserve_order(&eng);
	probe_init(&q[1], 3);
	engine_arm(&eng, &q[1].t, 20);              /* between its second and third */
	chain_when[1] = 20;
	chain_order[1] = engine_reserve_order(&eng);
	probe_init(&q[2], 4);
	engine_arm(&eng, &q[2].t, 30);              /* before the chain's last */
	chain_when[2] = 30;
	chain_order[2] = engine_reserve_order(&eng);
	engine_arm_ordered(&eng, &c.t, 10, first);
	ck_assert_uint_eq(engine_pending(&eng), 4);
	run_all();
	expect_log(ids, when, 7);
}
END_TEST

/* Re-arming for the same deadline sends a timer to the back of its tie. */
START_TEST(test_rearm_new_insertion_number)
{
	static const int ids[] = { 2, 3, 1 };
	static const uint64_t when[] = { 10, 10, 10 };
	struct probe p[4];
	uint64_t first;

	for (int i = 1; i <= 3; i++) {
		probe_init(&p[i], i);
		engine_arm(&eng, &p[i].t, 10);
	}
	first = p[1].t.order;
	ck_assert_uint_eq(p[2].t.order, first + 1);
	ck_assert_uint_eq(p[3].t.order, first + 2);
	engine_arm(&eng, &p[1].t, 10);
	ck_assert_uint_eq(p[1].t.order, first + 3);
	ck_assert_uint_eq(engine_pending(&eng), 3);
	run_all();
	expect_log(ids, when, 3);
}
END_TEST

/* ---- cancelling ---- */

START_TEST(test_cancel)
{
	static const int ids[] = { 1, 3 };
	static const uint64_t when[] = { 10, 30 };
	struct probe p[5];

	for (int i = 1; i <= 4; i++)
		probe_init(&p[i], i);
	engine_arm(&eng, &p[1].t, 10);
	engine_arm(&eng, &p[2].t, 20);
	engine_arm(&eng, &p[3].t, 30);
	engine_cancel(&eng, &p[2].t);
	ck_assert(!timer_armed(&p[2].t));
	ck_assert_uint_eq(engine_pending(&eng), 2);
	/* Cancelling again, or a timer never armed, is harmless. */
	engine_cancel(&eng, &p[2].t);
	engine_cancel(&eng, &p[4].t);
	ck_assert(!timer_armed(&p[4].t));
	ck_assert_uint_eq(engine_pending(&eng), 2);
	ck_assert_uint_eq(run_all(), 2);
	expect_log(ids, when, 2);
	/* Cancelling a timer that has already fired is harmless too. */
	engine_cancel(&eng, &p[1].t);
	ck_assert_uint_eq(engine_pending(&eng), 0);
}
END_TEST

START_TEST(test_cancel_head)
{
	static const int ids[] = { 2 };
	static const uint64_t when[] = { 20 };
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	engine_arm(&eng, &a.t, 10);
	engine_arm(&eng, &b.t, 20);
	engine_cancel(&eng, &a.t);
	ck_assert_uint_eq(engine_next_deadline(&eng), 20);
	run_all();
	expect_log(ids, when, 1);
	ck_assert_uint_eq(eng.events_run, 1);
}
END_TEST

/* A cancelled timer can be armed again. */
START_TEST(test_cancel_then_rearm)
{
	static const int ids[] = { 2, 1 };
	static const uint64_t when[] = { 20, 25 };
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	engine_arm(&eng, &a.t, 10);
	engine_arm(&eng, &b.t, 20);
	engine_cancel(&eng, &a.t);
	engine_arm(&eng, &a.t, 25);
	run_all();
	expect_log(ids, when, 2);
}
END_TEST

static void act_cancel_other(struct probe *self, uint64_t now_ns)
{
	(void)now_ns;
	engine_cancel(&eng, &self->other->t);
}

/*
 * Callbacks cancel other timers: one due at the same instant (still armed,
 * after the caller in the tie), one due later, and one that already ran.
 */
START_TEST(test_cancel_from_callback)
{
	static const int ids[] = { 1, 3, 4 };
	static const uint64_t when[] = { 10, 20, 40 };
	struct probe p[6];

	for (int i = 1; i <= 5; i++)
		probe_init(&p[i], i);
	p[1].action = act_cancel_other;
	p[1].other = &p[2];
	p[3].action = act_cancel_other;
	p[3].other = &p[5];
	p[4].action = act_cancel_other;
	p[4].other = &p[1];
	engine_arm(&eng, &p[1].t, 10);
	engine_arm(&eng, &p[2].t, 10);
	engine_arm(&eng, &p[3].t, 20);
	engine_arm(&eng, &p[5].t, 30);
	engine_arm(&eng, &p[4].t, 40);
	ck_assert(engine_step(&eng, TIME_NEVER));
	ck_assert(!timer_armed(&p[2].t));
	ck_assert_uint_eq(engine_pending(&eng), 3);
	ck_assert_uint_eq(engine_next_deadline(&eng), 20);
	run_all();
	expect_log(ids, when, 3);
	ck_assert_uint_eq(eng.events_run, 3);
}
END_TEST

/* A callback cancelling its own (already disarmed) timer is harmless. */
START_TEST(test_cancel_self_from_callback)
{
	static const int ids[] = { 1, 2 };
	static const uint64_t when[] = { 10, 20 };
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	a.action = act_cancel_other;
	a.other = &a;
	engine_arm(&eng, &a.t, 10);
	engine_arm(&eng, &b.t, 20);
	run_all();
	expect_log(ids, when, 2);
}
END_TEST

/* ---- arming from a callback ---- */

static void act_arm_other(struct probe *self, uint64_t now_ns)
{
	(void)now_ns;
	engine_arm(&eng, &self->other->t, self->arg);
}

/*
 * Arming at the current time from a callback: the new timer runs in the same
 * step loop, after every timer already due at this instant (it has the
 * largest insertion number), and before anything later.
 */
START_TEST(test_arm_now_from_callback)
{
	static const int ids[] = { 1, 2, 3, 4 };
	static const uint64_t when[] = { 10, 10, 10, 11 };
	struct probe p[5];

	for (int i = 1; i <= 4; i++)
		probe_init(&p[i], i);
	p[1].action = act_arm_other;
	p[1].other = &p[3];
	p[1].arg = 10;
	engine_arm(&eng, &p[1].t, 10);
	engine_arm(&eng, &p[2].t, 10);
	engine_arm(&eng, &p[4].t, 11);
	/* All within one run bounded at t = 10, except 4. */
	while (engine_step(&eng, 10))
		;
	ck_assert_int_eq(nlog, 3);
	ck_assert_uint_eq(engine_now(&eng), 10);
	run_all();
	expect_log(ids, when, 4);
}
END_TEST

/* Arming in the past from a callback clamps to now, same as arming at now. */
START_TEST(test_arm_past_from_callback)
{
	static const int ids[] = { 1, 2, 3 };
	static const uint64_t when[] = { 100, 100, 100 };
	struct probe p[4];

	for (int i = 1; i <= 3; i++)
		probe_init(&p[i], i);
	p[1].action = act_arm_other;
	p[1].other = &p[3];
	p[1].arg = 3;
	engine_arm(&eng, &p[1].t, 100);
	engine_arm(&eng, &p[2].t, 100);
	run_all();
	expect_log(ids, when, 3);
}
END_TEST

static void act_rearm_self(struct probe *self, uint64_t now_ns)
{
	if (self->repeat-- > 0)
		engine_arm(&eng, &self->t, now_ns + self->arg);
}

/*
 * A periodic timer re-arming itself from its own callback (at 10, 25, 40,
 * 55). Each re-arm takes a new insertion number, so at 25 and 55 it runs
 * after the timers armed for those instants at the start.
 */
START_TEST(test_rearm_self_from_callback)
{
	static const int ids[] = { 1, 2, 1, 1, 3, 1 };
	static const uint64_t when[] = { 10, 25, 25, 40, 55, 55 };
	struct probe a, b, c;

	probe_init(&a, 1);
	probe_init(&b, 2);
	probe_init(&c, 3);
	a.action = act_rearm_self;
	a.arg = 15;
	a.repeat = 3;
	engine_arm(&eng, &a.t, 10);
	engine_arm(&eng, &b.t, 25);
	engine_arm(&eng, &c.t, 55);
	ck_assert_uint_eq(run_all(), 6);
	expect_log(ids, when, 6);
	ck_assert(!timer_armed(&a.t));
	ck_assert_int_eq(a.repeat, -1);
}
END_TEST

/* ---- engine_step, the clock and the counters ---- */

START_TEST(test_step_limit)
{
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	engine_arm(&eng, &a.t, 100);
	engine_arm(&eng, &b.t, 200);
	/* Nothing due by 99: no event, the clock stays at 0 (not moved to the limit). */
	ck_assert(!engine_step(&eng, 99));
	ck_assert_uint_eq(engine_now(&eng), 0);
	ck_assert_uint_eq(eng.events_run, 0);
	ck_assert_uint_eq(engine_pending(&eng), 2);
	ck_assert_int_eq(nlog, 0);
	/* Due exactly at the limit: runs. */
	ck_assert(engine_step(&eng, 100));
	ck_assert_uint_eq(engine_now(&eng), 100);
	ck_assert_uint_eq(eng.events_run, 1);
	ck_assert(!engine_step(&eng, 199));
	ck_assert_uint_eq(engine_now(&eng), 100);
	ck_assert_uint_eq(engine_pending(&eng), 1);
	/* A limit in the past runs nothing either. */
	ck_assert(!engine_step(&eng, 0));
	ck_assert_uint_eq(engine_now(&eng), 100);
	/* A limit past the deadline jumps the clock to the deadline, not the limit. */
	ck_assert(engine_step(&eng, 1000));
	ck_assert_uint_eq(engine_now(&eng), 200);
	ck_assert(!engine_step(&eng, TIME_NEVER));
	ck_assert_uint_eq(engine_now(&eng), 200);
	ck_assert_uint_eq(eng.events_run, 2);
}
END_TEST

START_TEST(test_events_run)
{
	struct probe p[10];

	for (int i = 0; i < 10; i++) {
		probe_init(&p[i], i);
		engine_arm(&eng, &p[i].t, 10 * (uint64_t)i);
	}
	engine_cancel(&eng, &p[3].t);
	engine_cancel(&eng, &p[7].t);
	engine_arm(&eng, &p[5].t, 55);      /* a move is not an extra event */
	for (int i = 0; i < 4; i++)
		ck_assert(engine_step(&eng, TIME_NEVER));
	ck_assert_uint_eq(eng.events_run, 4);
	ck_assert_uint_eq(engine_pending(&eng), 4);
	ck_assert_uint_eq(run_all(), 4);
	ck_assert_uint_eq(eng.events_run, 8);
	ck_assert_int_eq(nlog, 8);
}
END_TEST

START_TEST(test_arm_past_clamps)
{
	static const int ids[] = { 1, 2, 3, 4 };
	static const uint64_t when[] = { 100, 100, 100, 150 };
	struct probe p[5];

	for (int i = 1; i <= 4; i++)
		probe_init(&p[i], i);
	engine_arm(&eng, &p[1].t, 100);
	ck_assert(engine_step(&eng, TIME_NEVER));
	ck_assert_uint_eq(engine_now(&eng), 100);
	engine_arm(&eng, &p[2].t, 50);      /* in the past: now */
	ck_assert_uint_eq(p[2].t.when_ns, 100);
	engine_arm(&eng, &p[3].t, 0);
	ck_assert_uint_eq(p[3].t.when_ns, 100);
	engine_arm(&eng, &p[4].t, 150);
	ck_assert_uint_eq(engine_next_deadline(&eng), 100);
	run_all();
	expect_log(ids, when, 4);
}
END_TEST

START_TEST(test_next_deadline_pending)
{
	struct probe p[4];

	for (int i = 1; i <= 3; i++)
		probe_init(&p[i], i);
	ck_assert_uint_eq(engine_next_deadline(&eng), TIME_NEVER);
	engine_arm(&eng, &p[1].t, 50);
	ck_assert_uint_eq(engine_next_deadline(&eng), 50);
	ck_assert_uint_eq(engine_pending(&eng), 1);
	engine_arm(&eng, &p[2].t, 20);
	ck_assert_uint_eq(engine_next_deadline(&eng), 20);
	engine_arm(&eng, &p[3].t, 70);
	ck_assert_uint_eq(engine_next_deadline(&eng), 20);
	ck_assert_uint_eq(engine_pending(&eng), 3);
	engine_cancel(&eng, &p[2].t);
	ck_assert_uint_eq(engine_next_deadline(&eng), 50);
	ck_assert_uint_eq(engine_pending(&eng), 2);
	engine_arm(&eng, &p[3].t, 30);
	ck_assert_uint_eq(engine_next_deadline(&eng), 30);
	ck_assert_uint_eq(engine_pending(&eng), 2);
	ck_assert(engine_step(&eng, TIME_NEVER));
	ck_assert_uint_eq(engine_next_deadline(&eng), 50);
	ck_assert_uint_eq(engine_pending(&eng), 1);
	ck_assert(engine_step(&eng, TIME_NEVER));
	ck_assert_uint_eq(engine_next_deadline(&eng), TIME_NEVER);
	ck_assert_uint_eq(engine_pending(&eng), 0);
}
END_TEST

/* engine_free leaves every timer it still held disarmed. */
START_TEST(test_free_disarms)
{
	struct probe a, b;

	probe_init(&a, 1);
	probe_init(&b, 2);
	engine_arm(&eng, &a.t, 10);
	engine_arm(&eng, &b.t, 20);
	engine_free(&eng);
	ck_assert(!timer_armed(&a.t));
	ck_assert(!timer_armed(&b.t));
	ck_assert_uint_eq(engine_pending(&eng), 0);
	engine_init(&eng);                  /* for teardown */
}
END_TEST

/* ---- randomized stress against a reference model ---- */

/*
 * The model keeps the armed timers in an array sorted by (deadline,
 * insertion number) and mirrors every operation; after each step the engine
 * must have fired the model's head, at the model's time. The operation mix
 * comes from a fixed LCG (Knuth's MMIX constants), so the run is the same
 * every time and the firing sequence is compared in full at the end.
 */
#define STRESS_TIMERS 300
#define STRESS_OPS 40000

struct model_ent { int id; uint64_t when, order; };

static struct model_ent model[STRESS_TIMERS];
static int model_len;
static uint64_t model_order, model_now;
static int model_log[STRESS_OPS];
static uint64_t model_log_now[STRESS_OPS];
static int model_nlog;
static uint64_t lcg_state;

static uint32_t lcg(void)
{
	lcg_state = lcg_state * 6364136223846793005ull + 1442695040888963407ull;
	return (uint32_t)(lcg_state >> 33);
}

static int model_find(int id)
{
	for (int i = 0; i < model_len; i++)
		if (model[i].id == id)
			return i;
	return -1;
}

static void model_remove(int id)
{
	int i = model_find(id);

	if (i < 0)
		return;
	memmove(&model[i], &model[i + 1], (model_len - i - 1) * sizeof(model[0]));
	model_len--;
}

static void model_arm(int id, uint64_t when)
{
	struct model_ent e;
	int i;

	model_remove(id);
	e.id = id;
	e.when = when < model_now ? model_now : when;
	e.order = model_order++;
	/* Insertion number is the largest so far: after every equal deadline. */
	for (i = model_len; i > 0 && model[i - 1].when > e.when; i--)
		model[i] = model[i - 1];
	model[i] = e;
	model_len++;
}

static bool model_step(uint64_t limit)
{
	if (model_len == 0 || model[0].when > limit)
		return false;
	model_now = model[0].when;
	model_log[model_nlog] = model[0].id;
	model_log_now[model_nlog] = model_now;
	model_nlog++;
	memmove(&model[0], &model[1], (model_len - 1) * sizeof(model[0]));
	model_len--;
	return true;
}

/*
 * Entries whose key is older than their timer's (re-armed later, not yet
 * at the top: engine.c's settle moves them when they get there).
 */
static uint32_t stale_entries(void)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < eng.len; i++)
		n += eng.heap[i].order != eng.heap[i].t->order;
	return n;
}

/* Loop 0 asks for the next deadline after every operation (which settles
 * the top); loop 1 only every 64th, so that stale entries pile up and
 * steps, cancels and re-arms meet them. */
START_TEST(test_stress_vs_model)
{
	static struct probe p[STRESS_TIMERS];
	uint32_t arms = 0, cancels = 0, rearms = 0, steps = 0, idle = 0, stale_max = 0;

	lcg_state = 20240601;
	model_len = 0;
	model_order = 0;
	model_now = 0;
	model_nlog = 0;
	for (int i = 0; i < STRESS_TIMERS; i++)
		probe_init(&p[i], i);
	for (int op = 0; op < STRESS_OPS; op++) {
		uint32_t r = lcg() % 100;
		int id = (int)(lcg() % STRESS_TIMERS);

		if (r < 45) {
			/* Arm or re-arm; some deadlines in the past, many ties. */
			uint64_t when;
			uint32_t k = lcg() % 8;

			if (k == 0)
				when = model_now > 50 ? model_now - lcg() % 50 : 0;
			else if (k < 3)
				when = model_now + lcg() % 4;          /* lots of equal deadlines */
			else
				when = model_now + lcg() % 2000;
			if (timer_armed(&p[id].t))
				rearms++;
			else
				arms++;
			engine_arm(&eng, &p[id].t, when);
			model_arm(id, when);
			ck_assert_uint_eq(p[id].t.when_ns, when < model_now ? model_now : when);
		} else if (r < 65) {
			cancels += timer_armed(&p[id].t);
			engine_cancel(&eng, &p[id].t);
			model_remove(id);
			ck_assert(!timer_armed(&p[id].t));
		} else {
			uint64_t limit = model_now + lcg() % 300;
			bool ran = engine_step(&eng, limit);

			ck_assert_int_eq(ran, model_step(limit));
			steps += ran;
			idle += !ran;
		}
		ck_assert_uint_eq(engine_now(&eng), model_now);
		ck_assert_uint_eq(engine_pending(&eng), model_len);
		uint32_t stale = stale_entries();
		if (stale > stale_max)
			stale_max = stale;
		if (_i == 0 || op % 64 == 0)
			ck_assert_uint_eq(engine_next_deadline(&eng),
					  model_len ? model[0].when : TIME_NEVER);
		ck_assert_int_eq(nlog, model_nlog);
		if (nlog > 0) {
			ck_assert_int_eq(log_id[nlog - 1], model_log[nlog - 1]);
			ck_assert_uint_eq(log_now[nlog - 1], model_log_now[nlog - 1]);
		}
		/* Keep the log bounded: compare and forget in chunks. */
		if (nlog == MAX_LOG) {
			expect_log(model_log, model_log_now, model_nlog);
			nlog = model_nlog = 0;
		}
	}
	/* Drain. */
	while (engine_step(&eng, TIME_NEVER)) {
		ck_assert(model_step(TIME_NEVER));
		if (nlog == MAX_LOG) {
			expect_log(model_log, model_log_now, model_nlog);
			nlog = model_nlog = 0;
		}
	}
	ck_assert(!model_step(TIME_NEVER));
	expect_log(model_log, model_log_now, model_nlog);
	ck_assert_uint_eq(engine_pending(&eng), 0);
	/* The mix really exercised every operation (and grew the heap past 64). */
	ck_assert_uint_gt(arms, 1000);
	ck_assert_uint_gt(rearms, 1000);
	ck_assert_uint_gt(cancels, 1000);
	ck_assert_uint_gt(steps, 1000);
	ck_assert_uint_gt(idle, 100);
	ck_assert_uint_gt(eng.cap, 64);
	ck_assert_uint_gt(stale_max, _i == 0 ? 0 : 8);
}
END_TEST

static Suite *engine_suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc;

	tc = tcase_create("order");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_empty);
	tcase_add_test(tc, test_order_by_time);
	tcase_add_loop_test(tc, test_ties_insertion_order, 0, N(ties));
	tcase_add_test(tc, test_ties_mixed);
	suite_add_tcase(s, tc);

	tc = tcase_create("rearm");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_rearm_moves_later);
	tcase_add_test(tc, test_rearm_moves_earlier);
	tcase_add_test(tc, test_rearm_new_insertion_number);
	tcase_add_test(tc, test_reserved_orders);
	tcase_add_test(tc, test_arm_ordered_moves);
	tcase_add_test(tc, test_reserved_chain);
	suite_add_tcase(s, tc);

	tc = tcase_create("cancel");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_cancel);
	tcase_add_test(tc, test_cancel_head);
	tcase_add_test(tc, test_cancel_then_rearm);
	tcase_add_test(tc, test_cancel_from_callback);
	tcase_add_test(tc, test_cancel_self_from_callback);
	suite_add_tcase(s, tc);

	tc = tcase_create("callbacks");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_arm_now_from_callback);
	tcase_add_test(tc, test_arm_past_from_callback);
	tcase_add_test(tc, test_rearm_self_from_callback);
	suite_add_tcase(s, tc);

	tc = tcase_create("step");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, test_step_limit);
	tcase_add_test(tc, test_events_run);
	tcase_add_test(tc, test_arm_past_clamps);
	tcase_add_test(tc, test_next_deadline_pending);
	tcase_add_test(tc, test_free_disarms);
	suite_add_tcase(s, tc);

	tc = tcase_create("stress");
	/* A hang guard, not a speed target: Check's default 4 s is too
	 * short for this loop on a loaded machine. */
	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, test_stress_vs_model, 0, 2);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(engine_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
