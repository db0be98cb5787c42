/*
 * engine: the event heap and the run loop (see engine.h).
 *
 * The heap is an array of entries (when_ns, order, timer), 0-based, 4-ary:
 * the children of i are 4i+1 .. 4i+4, its parent (i - 1) / 4. An entry
 * holds its timer's key, so sifting compares array entries and touches a
 * timer only to tell it its new slot; four children to a node halve the
 * depth of a binary heap, and the four keys lie next to each other. Each
 * timer keeps its slot so that cancel and re-arm are O(log n) with no
 * search; a re-arm to a later deadline, as every ACK gives the
 * retransmission timer, costs nothing until the entry reaches the top
 * (settle). The array grows by doubling and never shrinks: after warm-up,
 * arming a timer allocates nothing.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

#define ARITY 4

/*
 * The key travels in registers, as (when_ns, order, t): an entry passed by
 * value went through the stack, where a 16-byte load of two 8-byte fields
 * just stored waits for them (store forwarding fails) on every arm.
 */
static inline bool key_before(uint64_t when_a, uint64_t order_a, uint64_t when_b, uint64_t order_b)
{
	if (when_a != when_b)
		return when_a < when_b;
	return order_a < order_b;
}

/* Does the key (when_ns, order) come before entry b's? */
static inline bool before(uint64_t when_ns, uint64_t order, const struct engine_slot *b)
{
	return key_before(when_ns, order, b->when_ns, b->order);
}

static inline void move(struct engine *e, uint32_t to, uint32_t from)
{
	e->heap[to] = e->heap[from];
	e->heap[to].t->slot = to;
}

static inline void place(struct engine *e, uint32_t i, uint64_t when_ns, uint64_t order,
			 struct sim_timer *t)
{
	e->heap[i].when_ns = when_ns;
	e->heap[i].order = order;
	e->heap[i].t = t;
	t->slot = i;
}

static void sift_up(struct engine *e, uint32_t i, uint64_t when_ns, uint64_t order,
		    struct sim_timer *t)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / ARITY;
		if (!before(when_ns, order, &e->heap[parent]))
			break;
		move(e, i, parent);
		i = parent;
	}
	place(e, i, when_ns, order, t);
}

static void sift_down(struct engine *e, uint32_t i, uint64_t when_ns, uint64_t order,
		      struct sim_timer *t)
{
	for (;;) {
		uint32_t first = ARITY * i + 1, best, end;
		if (first >= e->len)
			break;
		end = first + ARITY < e->len ? first + ARITY : e->len;
		best = first;
		for (uint32_t c = first + 1; c < end; c++)
			if (before(e->heap[c].when_ns, e->heap[c].order, &e->heap[best]))
				best = c;
		if (!key_before(e->heap[best].when_ns, e->heap[best].order, when_ns, order))
			break;
		move(e, i, best);
		i = best;
	}
	place(e, i, when_ns, order, t);
}

void engine_init(struct engine *e)
{
	memset(e, 0, sizeof(*e));
}

void engine_free(struct engine *e)
{
	for (uint32_t i = 0; i < e->len; i++)
		e->heap[i].t->slot = TIMER_IDLE;
	free(e->heap);
	memset(e, 0, sizeof(*e));
}

void timer_init(struct sim_timer *t, timer_fn fire)
{
	t->when_ns = 0;
	t->order = 0;
	t->slot = TIMER_IDLE;
	t->fire = fire;
}

static void remove_slot(struct engine *e, uint32_t i)
{
	const struct engine_slot *last;

	e->heap[i].t->slot = TIMER_IDLE;
	last = &e->heap[--e->len];
	if (i == e->len)
		return;
	/* The last entry fills the hole; it may belong above or below it. */
	if (i > 0 && before(last->when_ns, last->order, &e->heap[(i - 1) / ARITY]))
		sift_up(e, i, last->when_ns, last->order, last->t);
	else
		sift_down(e, i, last->when_ns, last->order, last->t);
}

static void insert(struct engine *e, struct sim_timer *t, uint64_t when_ns, uint64_t order)
{
	t->when_ns = when_ns;
	t->order = order;
	if (timer_armed(t)) {
		/* Re-armed earlier: the entry moves up from its slot. Later
		 * (a retransmission timer pushed back by every ACK): the entry
		 * stays, its key now older than the timer's, until it reaches
		 * the top and settle moves it down once. */
		uint32_t i = t->slot;
		if (before(when_ns, order, &e->heap[i]))
			sift_up(e, i, when_ns, order, t);
		return;
	}
	if (e->len == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 64;
		struct engine_slot *heap = realloc(e->heap, cap * sizeof(*heap));
		if (!heap)
			abort();
		e->heap = heap;
		e->cap = cap;
	}
	sift_up(e, e->len++, when_ns, order, t);
}

void engine_arm(struct engine *e, struct sim_timer *t, uint64_t when_ns)
{
	if (when_ns < e->now_ns)
		when_ns = e->now_ns;    /* the past is now: never run backwards */
	insert(e, t, when_ns, e->next_order++);
}

void engine_arm_ordered(struct engine *e, struct sim_timer *t, uint64_t when_ns, uint64_t order)
{
	if (when_ns < e->now_ns)
		when_ns = e->now_ns;
	insert(e, t, when_ns, order);
}

void engine_cancel(struct engine *e, struct sim_timer *t)
{
	if (timer_armed(t))
		remove_slot(e, t->slot);
}

/*
 * An entry's key is its timer's, or older: one re-armed later keeps its
 * place (insert). While the first entry's key is not its timer's (their
 * order numbers differ), it moves down to where the timer's key belongs.
 * Then the first entry's key is the least of all the timers' keys: every
 * other entry's is at least it, and every timer's at least its entry's.
 * Every key is distinct (each arming takes an order number of its own),
 * so the timers run in the order of their keys whatever the heap's shape.
 */
static void settle(struct engine *e)
{
	while (e->len && e->heap[0].order != e->heap[0].t->order) {
		struct sim_timer *t = e->heap[0].t;
		sift_down(e, 0, t->when_ns, t->order, t);
	}
}

uint64_t engine_next_deadline(struct engine *e)
{
	settle(e);
	return e->len ? e->heap[0].when_ns : TIME_NEVER;
}

bool engine_step(struct engine *e, uint64_t limit_ns)
{
	struct sim_timer *t;

	settle(e);
	if (e->len == 0 || e->heap[0].when_ns > limit_ns)
		return false;
	t = e->heap[0].t;
	remove_slot(e, 0);
	e->now_ns = t->when_ns;
	e->events_run++;
	t->fire(t, e->now_ns);
	return true;
}
