/*
 * engine: the virtual clock, the event queue and the run loop.
 *
 * Time is an integer count of nanoseconds since the start of the run. Events
 * are timers embedded in their owners (a TCP endpoint's retransmission timer,
 * a packet's arrival on a link); the queue is an array-backed 4-ary heap
 * ordered by (deadline, insertion number), so two events due at the same
 * instant always run in the order they were armed. Each heap entry carries
 * its timer's key beside the pointer, so ordering the heap reads only the
 * array. Arming, re-arming and cancelling are O(log n) because every timer
 * remembers its heap slot.
 *
 * The engine knows nothing about networks. Callers: link, tcp, app, world.
 */
#ifndef TCPSIM_ENGINE_H
#define TCPSIM_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define NS_PER_US 1000ull
#define NS_PER_MS 1000000ull
#define NS_PER_S 1000000000ull
#define TIME_NEVER UINT64_MAX

struct engine;
struct sim_timer;

typedef void (*timer_fn)(struct sim_timer *t, uint64_t now_ns);

struct sim_timer {
	uint64_t when_ns;   /* deadline while armed */
	uint64_t order;     /* insertion number: breaks ties between equal deadlines */
	uint32_t slot;      /* index in the heap, TIMER_IDLE when not armed */
	timer_fn fire;
};

#define TIMER_IDLE UINT32_MAX

/* A heap entry: the timer and a copy of its key, (when_ns, order). */
struct engine_slot {
	uint64_t when_ns;
	uint64_t order;
	struct sim_timer *t;
};

struct engine {
	uint64_t now_ns;
	uint64_t next_order;
	uint64_t events_run;
	struct engine_slot *heap;
	uint32_t len, cap;
};

void engine_init(struct engine *e);
void engine_free(struct engine *e);

static inline uint64_t engine_now(const struct engine *e) { return e->now_ns; }

void timer_init(struct sim_timer *t, timer_fn fire);
static inline bool timer_armed(const struct sim_timer *t) { return t->slot != TIMER_IDLE; }

/* Arms t for the absolute time when_ns (>= now). An armed timer is moved. */
void engine_arm(struct engine *e, struct sim_timer *t, uint64_t when_ns);
/*
 * Arming in two steps, for a caller that keeps events of its own in order
 * and puts only the earliest in the heap (link.c's packets in flight):
 * engine_reserve_order takes the insertion number engine_arm would give a
 * timer armed now, and engine_arm_ordered arms t later with that number,
 * so t runs exactly where it would have run had it been armed then. when_ns
 * must be >= now. An armed timer is moved. Each reserved number is used once.
 */
static inline uint64_t engine_reserve_order(struct engine *e) { return e->next_order++; }
void engine_arm_ordered(struct engine *e, struct sim_timer *t, uint64_t when_ns, uint64_t order);
/* Disarms t; harmless when it is not armed. */
void engine_cancel(struct engine *e, struct sim_timer *t);

/* Deadline of the earliest armed timer, or TIME_NEVER. */
uint64_t engine_next_deadline(struct engine *e);
/* Number of armed timers. */
static inline uint32_t engine_pending(const struct engine *e) { return e->len; }

/*
 * Runs the earliest timer if it is due at or before limit_ns: advances the
 * clock to its deadline, disarms it, then calls it. Returns false (and leaves
 * the clock alone) when nothing is due by limit_ns.
 */
bool engine_step(struct engine *e, uint64_t limit_ns);

#define container_of(ptr, type, member) \
	((type *)(void *)((char *)(ptr) - offsetof(type, member)))

#endif
