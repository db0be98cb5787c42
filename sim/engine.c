/*
 * engine: the event heap and the run loop (see engine.h).
 *
 * The heap is a plain array of timer pointers, 0-based, children of i at
 * 2i+1 and 2i+2, ordered by (when_ns, order). Each timer keeps its slot so
 * that cancel and re-arm are O(log n) with no search. The array grows by
 * doubling and never shrinks: after warm-up, arming a timer allocates nothing.
 */
#include "engine.h"

#include <stdlib.h>
#include <string.h>

static bool before(const struct sim_timer *a, const struct sim_timer *b)
{
	if (a->when_ns != b->when_ns)
		return a->when_ns < b->when_ns;
	return a->order < b->order;
}

static void place(struct engine *e, uint32_t i, struct sim_timer *t)
{
	e->heap[i] = t;
	t->slot = i;
}

static void sift_up(struct engine *e, uint32_t i)
{
	struct sim_timer *t = e->heap[i];

	while (i > 0) {
		uint32_t parent = (i - 1) / 2;
		if (!before(t, e->heap[parent]))
			break;
		place(e, i, e->heap[parent]);
		i = parent;
	}
	place(e, i, t);
}

static void sift_down(struct engine *e, uint32_t i)
{
	struct sim_timer *t = e->heap[i];

	for (;;) {
		uint32_t child = 2 * i + 1;
		if (child >= e->len)
			break;
		if (child + 1 < e->len && before(e->heap[child + 1], e->heap[child]))
			child++;
		if (!before(e->heap[child], t))
			break;
		place(e, i, e->heap[child]);
		i = child;
	}
	place(e, i, t);
}

void engine_init(struct engine *e)
{
	memset(e, 0, sizeof(*e));
}

void engine_free(struct engine *e)
{
	for (uint32_t i = 0; i < e->len; i++)
		e->heap[i]->slot = TIMER_IDLE;
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
	struct sim_timer *t = e->heap[i];
	struct sim_timer *last = e->heap[--e->len];

	t->slot = TIMER_IDLE;
	if (i == e->len)
		return;
	place(e, i, last);
	/* The moved timer may belong above or below its new slot. */
	if (i > 0 && before(last, e->heap[(i - 1) / 2]))
		sift_up(e, i);
	else
		sift_down(e, i);
}

void engine_arm(struct engine *e, struct sim_timer *t, uint64_t when_ns)
{
	if (when_ns < e->now_ns)
		when_ns = e->now_ns;    /* the past is now: never run backwards */
	if (timer_armed(t))
		remove_slot(e, t->slot);
	if (e->len == e->cap) {
		uint32_t cap = e->cap ? e->cap * 2 : 64;
		struct sim_timer **heap = realloc(e->heap, cap * sizeof(*heap));
		if (!heap)
			abort();
		e->heap = heap;
		e->cap = cap;
	}
	t->when_ns = when_ns;
	t->order = e->next_order++;
	place(e, e->len++, t);
	sift_up(e, t->slot);
}

void engine_cancel(struct engine *e, struct sim_timer *t)
{
	if (timer_armed(t))
		remove_slot(e, t->slot);
}

uint64_t engine_next_deadline(const struct engine *e)
{
	return e->len ? e->heap[0]->when_ns : TIME_NEVER;
}

bool engine_step(struct engine *e, uint64_t limit_ns)
{
	struct sim_timer *t;

	if (e->len == 0 || e->heap[0]->when_ns > limit_ns)
		return false;
	t = e->heap[0];
	remove_slot(e, 0);
	e->now_ns = t->when_ns;
	e->events_run++;
	t->fire(t, e->now_ns);
	return true;
}
