/*
 * link: one direction of the path between the two hosts, and the packets
 * that travel on it.
 *
 * A packet offered to a link gets a number (1, 2, 3 ... per direction), then
 * meets, in this order: the path rules (rules.h), the scripted drop list,
 * the blackout windows, random loss (Bernoulli or Gilbert-Elliott, on every
 * packet or only on data segments or only on pure ACKs), the drop-tail
 * queue (which, past its ECN threshold, marks ECN-capable packets CE
 * instead, RFC 3168 §5), random duplication, serialization at the link
 * rate, propagation delay with its jitter, and, for a few, an extra
 * reordering delay and a flipped bit. Its arrival at the far end is an
 * engine event that hands it to the link's deliver callback. The link never
 * interprets the packet beyond what a router does: it is bytes with a
 * length (corruption flips one of those bits), whose IP ECN field it reads
 * and marks through wire_ecn / wire_set_ce, and whose TCP flags and payload
 * length it reads through wire_peek when loss applies to one kind of
 * segment only.
 *
 * Packets come from a pool that recycles them, so a long run allocates only
 * as many packet buffers as are ever in flight at once.
 *
 * Packets in flight that arrive in the order they were sent wait in the
 * link's own queue, with only the first of them in the engine's heap; one
 * that would overtake the packet sent before it (jitter that may reorder,
 * the reorder delay, a delay rule) has a timer of its own instead. Either
 * way its arrival runs at the same (time, insertion number) as an engine
 * timer armed when it was sent (engine_reserve_order).
 */
#ifndef TCPSIM_LINK_H
#define TCPSIM_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "rng.h"

/* Which random loss model a direction runs. */
enum link_loss_model {
	LINK_LOSS_BERNOULLI,         /* each packet lost with loss_ppb, independently */
	LINK_LOSS_GE,                /* Gilbert-Elliott, two states (struct link_ge) */
};

/*
 * Gilbert-Elliott loss with netem's four parameters (tc-netem(8): "loss
 * gemodel p [r [1-h [1-k]]]"), as probabilities in parts per billion. The
 * chain starts in the good state. For each packet it meets, in netem's
 * order: first the state may change (good to bad with p, bad to good with
 * r), then the packet is lost with the loss probability of the state it
 * was in before that change (1-h in bad, 1-k in good). netem's defaults
 * when fewer are given (link_ge_netem): r = 1-p, 1-h = 100%, 1-k = 0.
 * The Simple Gilbert model is 1-h = 100%, 1-k = 0 (every packet in the bad
 * state lost, none in the good one); Gilbert's is 1-k = 0 alone.
 */
struct link_ge {
	uint32_t p_ppb;              /* good -> bad, per packet */
	uint32_t r_ppb;              /* bad -> good, per packet */
	uint32_t bad_loss_ppb;       /* 1-h: loss probability in the bad state */
	uint32_t good_loss_ppb;      /* 1-k: loss probability in the good state */
};

/* netem's Gilbert-Elliott with p alone: r = 1-p, 1-h = 100%, 1-k = 0. */
struct link_ge link_ge_netem(uint32_t p_ppb);

/* Which packets random loss (either model) may drop; the others pass it untouched. */
enum link_loss_scope {
	LINK_LOSS_ALL,               /* every packet */
	LINK_LOSS_DATA,              /* only those that carry payload (new data or resent) */
	LINK_LOSS_ACKS,              /* only pure ACKs: ACK set, no payload, no SYN, FIN or RST */
};

/* A time window [start, end) in virtual time. */
struct link_window {
	uint64_t start_ns, end_ns;
};

/* One direction of the path (the loader fills it). */
struct link_cfg {
	uint64_t rate_bps;           /* serialization rate, > 0 */
	uint64_t delay_ns;           /* one-way propagation delay */
	uint32_t queue_packets;      /* drop-tail limit in packets waiting, or 0 */
	uint64_t queue_bytes;        /* ... or in bytes waiting, or 0 (one of the two is set) */
	/* RFC 3168 §5 marking: an ECN-capable packet that finds more than
	 * this waiting (itself included) is marked CE rather than queued
	 * unmarked; others are queued as ever. 0 and 0: no marking. */
	uint32_t ecn_threshold_packets;
	uint64_t ecn_threshold_bytes;
	uint32_t mtu;                /* bytes of IP packet, 68 .. 65535: what its sender may send */
	enum link_loss_model loss_model;
	uint32_t loss_ppb;           /* LINK_LOSS_BERNOULLI: parts per billion */
	struct link_ge ge;           /* LINK_LOSS_GE */
	enum link_loss_scope loss_applies_to;
	uint64_t *drop;              /* packet numbers (1-based, per direction) to drop, ascending */
	size_t ndrop;
	uint32_t reorder_ppb;        /* probability that a packet is held back ... */
	uint64_t reorder_delay_ns;   /* ... by this much extra delay */
	uint32_t corrupt_ppb;        /* probability that one bit of a packet is flipped in transit */
	uint32_t duplicate_ppb;      /* probability that one copy follows a packet */
	uint64_t jitter_max_ns;      /* each packet's propagation gets a uniform extra 0 .. max ... */
	bool jitter_reorder;         /* ... and may overtake the one before it (false: never) */
	/* Every packet offered in one of these windows is dropped. Any order,
	 * overlaps allowed; link_init takes a sorted copy. */
	struct link_window *blackout;
	size_t nblackout;
	const struct rule *rules;    /* path rules (rules.h), applied in order; borrowed */
	size_t nrules;               /* 0 .. RULES_MAX */
};

/* Stand-in settings for code that builds a link by hand: 10 Mbit/s, 10 ms, 100 packets, MTU 1500. */
void link_cfg_defaults(struct link_cfg *cfg);

struct link;
struct rule;
struct rules;

/* What the link decided for a packet (link_judge), in the order it decides. */
enum link_fate {
	LINK_ACCEPTED,           /* queued, serialized, on its way */
	LINK_DROP_RULE,          /* a path rule (rules.h) dropped it */
	LINK_DROP_SCRIPTED,      /* the scenario's drop list named it */
	LINK_DROP_BLACKOUT,      /* sent during a blackout window */
	LINK_DROP_LOSS,          /* the random loss model */
	LINK_DROP_QUEUE,         /* the drop-tail queue was full */
};

struct link_verdict {
	uint64_t number;         /* 1, 2, 3 ... on this direction */
	enum link_fate fate;
	uint64_t arrival_ns;     /* LINK_ACCEPTED: when it reaches the far end */
	uint64_t reorder_ns;     /* extra delay of the reordering impairment, 0 if none */
	uint64_t jitter_ns;      /* extra propagation delay of the jitter, 0 if none */
	bool ge_bad;             /* Gilbert-Elliott: judged in the bad state */
	bool ce;                 /* LINK_ACCEPTED and marked CE (RFC 3168 §5) ... */
	uint64_t ce_queue;       /* ... the queue it joined, itself included, in the
				  * threshold's unit (packets or bytes) */
	bool corrupt;            /* one bit will be flipped on the way ... */
	uint64_t corrupt_bit;    /* ... this one, counted from the first bit of the packet */
	uint32_t rule;           /* LINK_DROP_RULE: the rule (1-based) that dropped it */
	uint64_t rule_delay_ns;  /* added to the arrival by delay rules */
	uint32_t copies;         /* duplicates that follow it (duplicate rules, duplicate_ppb) ... */
	uint64_t copy_gap_ns;    /* ... each one serialization time after the one before */
	uint32_t copy;           /* 0: the packet itself; 1 .. copies: that duplicate */
};

/* True when the fate is a drop. */
static inline bool link_fate_dropped(enum link_fate f) { return f != LINK_ACCEPTED; }
const char *link_fate_name(enum link_fate f);
/*
 * The verdict in words, for annotations ("dropped by link: random loss 5%",
 * "dropped: queue full (100 packets)", "queue 21 > 20: CE", "reordered
 * +7 ms", "bit 1234 flipped"); "" for a packet nothing happened to. Always NUL-terminated.
 */
size_t link_verdict_format(const struct link *l, const struct link_verdict *v, char *buf,
			   size_t len);

struct packet {
	/* Fires at the far end of the link; in the link's queue, unarmed, it
	 * holds the arrival's (when_ns, order). */
	struct sim_timer arrival;
	struct packet *next;        /* free list, or the link's queue */
	struct packet *all_next;    /* every buffer the pool owns */
	struct link *link;
	struct link_verdict verdict;   /* what the link decided for it */
	uint32_t len;
	/* The bytes are still those the sender's wire_encode wrote: nothing on
	 * the path changed them (wire_decode_known). */
	bool as_encoded;
	uint8_t data[];             /* pool->buf_size bytes */
};

struct packet_pool {
	struct packet *free;
	struct packet *all;         /* every buffer allocated, free or in flight */
	uint32_t buf_size;          /* largest packet, the MTU */
	uint64_t allocated;         /* buffers ever allocated */
};

void packet_pool_init(struct packet_pool *pool, uint32_t buf_size);
/* Frees every buffer, including packets still in flight. */
void packet_pool_free(struct packet_pool *pool);
struct packet *packet_get(struct packet_pool *pool);
void packet_put(struct packet_pool *pool, struct packet *p);

struct link_stats {
	uint64_t packets;           /* offered to the link */
	uint64_t bytes;             /* offered */
	uint64_t delivered;
	uint64_t dropped;           /* by a rule, the drop list, a blackout or random loss: */
	uint64_t rule_drops;        /*   a path rule */
	uint64_t drop_list_drops;   /*   the drop list */
	uint64_t blackout_drops;    /*   a blackout window */
	uint64_t loss_drops;        /*   the random loss model */
	uint64_t queue_drops;       /* drop-tail overflow */
	uint64_t ce_marked;         /* ECN-capable packets marked CE past the threshold */
	uint64_t reordered;         /* held back by the reorder delay */
	uint64_t duplicated;        /* copies added, by rules and by duplicate_ppb */
	uint64_t jittered;          /* packets given a non-zero jitter delay */
	uint64_t corrupted;
};

/* Called at arrival; the callee owns p and must packet_put it. */
typedef void (*link_deliver_fn)(void *ctx, struct packet *p, uint64_t now_ns);

struct link {
	struct engine *eng;
	struct packet_pool *pool;
	struct link_cfg cfg;
	struct rng loss_rng, reorder_rng, corrupt_rng, duplicate_rng, jitter_rng;
	bool ge_bad;                /* the Gilbert-Elliott chain is in its bad state */
	uint64_t jitter_last_ns;    /* jitter without reordering: the last arrival it set */
	struct link_window *blackout;   /* cfg.blackout sorted by start, owned */
	size_t next_blackout;       /* the first window that may still hold now */
	link_deliver_fn deliver;
	void *ctx;
	uint64_t busy_until_ns;     /* when the transmitter finishes its last accepted packet */
	/* Ring of accepted packets not yet fully serialized: finish time and size. */
	struct { uint64_t finish_ns; uint32_t bytes; } *backlog;
	uint32_t bl_head, bl_len, bl_cap;
	/* The last serialization time found, of ser_len bytes (0: none yet;
	 * no packet is empty, and the rate never changes). */
	uint32_t ser_len;
	uint64_t ser_ns;
	uint64_t bl_bytes;
	/* Packets in flight in arrival order ((when_ns, order) of p->arrival),
	 * linked by next; arrive_timer is armed for the first. */
	struct packet *fifo_head, *fifo_tail;
	struct sim_timer arrive_timer;
	size_t next_drop;           /* index into cfg.drop */
	struct rules *rules;        /* cfg.rules and their state, or NULL */
	struct link_stats st;
};

/*
 * name is the rng stream prefix ("link.a_to_b"). cfg is copied, its
 * blackout windows too; its drop list is borrowed and must outlive the
 * link (rules_new copies the rules).
 */
void link_init(struct link *l, struct engine *eng, struct packet_pool *pool,
	       const struct link_cfg *cfg, uint64_t seed, const char *name,
	       link_deliver_fn deliver, void *ctx);
void link_free(struct link *l);

/* Offers p (p->len bytes) to the link now; the link owns p afterwards. */
void link_send(struct link *l, struct packet *p);
/*
 * link_send in two steps, so that the packet can be seen between the
 * verdict and its consequences: link_judge decides p's fate now (numbering,
 * drops, queue, times, which bit to flip) into p->verdict and counts it;
 * link_commit carries it out (frees a dropped packet, flips the bit, sends
 * the rest on their way). Nothing may run on the link between the two.
 */
const struct link_verdict *link_judge(struct link *l, struct packet *p);
void link_commit(struct link *l, struct packet *p);

/* Packets accepted and not yet delivered, lost in flight excluded. */
static inline uint64_t link_in_flight(const struct link *l)
{
	return l->st.packets + l->st.duplicated - l->st.dropped - l->st.queue_drops -
	       l->st.delivered;
}

#endif
