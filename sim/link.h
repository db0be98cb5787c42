/*
 * link: one direction of the path between the two hosts, and the packets
 * that travel on it.
 *
 * A packet offered to a link gets a number (1, 2, 3 ... per direction), then
 * meets, in this order: the scripted drop list, Bernoulli loss, the drop-tail
 * queue, serialization at the link rate, propagation delay, and, for a few,
 * an extra reordering delay and a flipped bit. Its arrival at the far end is an engine event
 * that hands it to the link's deliver callback. The link never interprets the
 * packet: it is bytes with a length (corruption flips one of those bits).
 *
 * Packets come from a pool that recycles them, so a long run allocates only
 * as many packet buffers as are ever in flight at once.
 */
#ifndef TCPSIM_LINK_H
#define TCPSIM_LINK_H

#include <stdint.h>

#include "engine.h"
#include "rng.h"
#include "scenario.h"

struct link;

struct packet {
	struct sim_timer arrival;   /* fires at the far end of the link */
	struct packet *next;        /* free list */
	struct packet *all_next;    /* every buffer the pool owns */
	struct link *link;
	uint32_t len;
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
	uint64_t dropped;           /* by the loss model or the drop list */
	uint64_t queue_drops;       /* drop-tail overflow */
	uint64_t reordered;         /* held back by the reorder delay */
	uint64_t duplicated;
	uint64_t corrupted;
};

/* Called at arrival; the callee owns p and must packet_put it. */
typedef void (*link_deliver_fn)(void *ctx, struct packet *p, uint64_t now_ns);

struct link {
	struct engine *eng;
	struct packet_pool *pool;
	struct scn_dir cfg;
	struct rng loss_rng, reorder_rng, corrupt_rng;
	link_deliver_fn deliver;
	void *ctx;
	uint64_t busy_until_ns;     /* when the transmitter finishes its last accepted packet */
	/* Ring of accepted packets not yet fully serialized: finish time and size. */
	struct { uint64_t finish_ns; uint32_t bytes; } *backlog;
	uint32_t bl_head, bl_len, bl_cap;
	uint64_t bl_bytes;
	size_t next_drop;           /* index into cfg.drop */
	struct link_stats st;
};

/*
 * name is the rng stream prefix ("link.a_to_b"). cfg is copied; its drop
 * list is borrowed and must outlive the link.
 */
void link_init(struct link *l, struct engine *eng, struct packet_pool *pool,
	       const struct scn_dir *cfg, uint64_t seed, const char *name,
	       link_deliver_fn deliver, void *ctx);
void link_free(struct link *l);

/* Offers p (p->len bytes) to the link now; the link owns p afterwards. */
void link_send(struct link *l, struct packet *p);

/* Packets accepted and not yet delivered, lost in flight excluded. */
static inline uint64_t link_in_flight(const struct link *l)
{
	return l->st.packets - l->st.dropped - l->st.queue_drops - l->st.delivered;
}

#endif
