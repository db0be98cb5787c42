/*
 * link: one direction of the path (see link.h).
 *
 * The transmitter is modelled by when it becomes free (busy_until_ns): a
 * packet accepted at time t starts serializing at max(t, busy_until_ns),
 * takes len * 8 / rate, then propagates for delay. Queue occupancy is the set
 * of accepted packets whose serialization has not finished, kept in a ring
 * of finish times, so no event is needed when a packet leaves the queue;
 * the packet being serialized does not count against the queue limit (as a
 * NIC's ring plus a qdisc of 'queue' packets).
 *
 * Fate of a packet, in order: scripted drop list, blackout window, Bernoulli
 * loss (all before
 * the queue, like netem's loss on egress), drop-tail overflow, then delivery
 * after serialization + delay, plus reorder_delay for the packets picked by
 * the reorder probability, with one bit flipped for those picked by the
 * corruption probability. Each random decision has its own rng stream.
 */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void packet_pool_init(struct packet_pool *pool, uint32_t buf_size)
{
	pool->free = NULL;
	pool->all = NULL;
	pool->buf_size = buf_size;
	pool->allocated = 0;
}

void packet_pool_free(struct packet_pool *pool)
{
	while (pool->all) {
		struct packet *p = pool->all;
		pool->all = p->all_next;
		free(p);
	}
	pool->free = NULL;
}

struct packet *packet_get(struct packet_pool *pool)
{
	struct packet *p = pool->free;

	if (p) {
		pool->free = p->next;
	} else {
		p = malloc(sizeof(*p) + pool->buf_size);
		if (!p)
			abort();
		p->all_next = pool->all;
		pool->all = p;
		pool->allocated++;
	}
	p->next = NULL;
	p->link = NULL;
	p->len = 0;
	timer_init(&p->arrival, NULL);
	return p;
}

void packet_put(struct packet_pool *pool, struct packet *p)
{
	p->next = pool->free;
	pool->free = p;
}

static void arrive(struct sim_timer *t, uint64_t now_ns)
{
	struct packet *p = container_of(t, struct packet, arrival);
	struct link *l = p->link;

	l->st.delivered++;
	l->deliver(l->ctx, p, now_ns);
}

void link_init(struct link *l, struct engine *eng, struct packet_pool *pool,
	       const struct scn_dir *cfg, uint64_t seed, const char *name,
	       link_deliver_fn deliver, void *ctx)
{
	char stream[64];

	memset(l, 0, sizeof(*l));
	l->eng = eng;
	l->pool = pool;
	l->cfg = *cfg;
	l->deliver = deliver;
	l->ctx = ctx;
	snprintf(stream, sizeof(stream), "%s.loss", name);
	rng_init(&l->loss_rng, seed, stream);
	snprintf(stream, sizeof(stream), "%s.reorder", name);
	rng_init(&l->reorder_rng, seed, stream);
	snprintf(stream, sizeof(stream), "%s.corrupt", name);
	rng_init(&l->corrupt_rng, seed, stream);
}

void link_free(struct link *l)
{
	free(l->backlog);
	l->backlog = NULL;
}

/* Forgets the packets whose serialization has finished by now. */
static void backlog_expire(struct link *l, uint64_t now_ns)
{
	while (l->bl_len > 0 && l->backlog[l->bl_head].finish_ns <= now_ns) {
		l->bl_bytes -= l->backlog[l->bl_head].bytes;
		l->bl_head = (l->bl_head + 1) % l->bl_cap;
		l->bl_len--;
	}
}

static void backlog_push(struct link *l, uint64_t finish_ns, uint32_t bytes)
{
	if (l->bl_len == l->bl_cap) {
		uint32_t cap = l->bl_cap ? l->bl_cap * 2 : 64;
		void *ring = malloc(cap * sizeof(*l->backlog));
		if (!ring)
			abort();
		/* Unroll the ring into the new array, oldest first. */
		for (uint32_t i = 0; i < l->bl_len; i++)
			memcpy((char *)ring + i * sizeof(*l->backlog),
			       &l->backlog[(l->bl_head + i) % l->bl_cap], sizeof(*l->backlog));
		free(l->backlog);
		l->backlog = ring;
		l->bl_head = 0;
		l->bl_cap = cap;
	}
	uint32_t tail = (l->bl_head + l->bl_len) % l->bl_cap;
	l->backlog[tail].finish_ns = finish_ns;
	l->backlog[tail].bytes = bytes;
	l->bl_len++;
	l->bl_bytes += bytes;
}

/* True when p would overflow the drop-tail queue. */
static bool queue_full(const struct link *l, uint32_t len)
{
	/* The head of the backlog is on the wire, not waiting. */
	uint32_t waiting = l->bl_len ? l->bl_len - 1 : 0;
	uint64_t waiting_bytes = l->bl_len ? l->bl_bytes - l->backlog[l->bl_head].bytes : 0;

	if (l->bl_len == 0)
		return false;
	if (l->cfg.queue_bytes)
		return waiting_bytes + len > l->cfg.queue_bytes;
	return waiting >= l->cfg.queue_packets;
}

static bool scripted_drop(struct link *l, uint64_t number)
{
	while (l->next_drop < l->cfg.ndrop && l->cfg.drop[l->next_drop] < number)
		l->next_drop++;
	return l->next_drop < l->cfg.ndrop && l->cfg.drop[l->next_drop] == number;
}

static bool in_blackout(const struct link *l, uint64_t now_ns)
{
	return now_ns >= l->cfg.blackout_start_ns && now_ns < l->cfg.blackout_end_ns;
}

void link_send(struct link *l, struct packet *p)
{
	uint64_t now = engine_now(l->eng);
	uint64_t number = ++l->st.packets;
	uint64_t start, finish, arrival;

	l->st.bytes += p->len;
	if (scripted_drop(l, number) || in_blackout(l, now) ||
	    rng_chance_ppb(&l->loss_rng, l->cfg.loss_ppb)) {
		l->st.dropped++;
		packet_put(l->pool, p);
		return;
	}
	backlog_expire(l, now);
	if (queue_full(l, p->len)) {
		l->st.queue_drops++;
		packet_put(l->pool, p);
		return;
	}
	start = l->busy_until_ns > now ? l->busy_until_ns : now;
	/* Serialization time rounded up to the nanosecond. */
	finish = start + ((uint64_t)p->len * 8 * NS_PER_S + l->cfg.rate_bps - 1) / l->cfg.rate_bps;
	l->busy_until_ns = finish;
	backlog_push(l, finish, p->len);
	arrival = finish + l->cfg.delay_ns;
	if (rng_chance_ppb(&l->reorder_rng, l->cfg.reorder_ppb)) {
		arrival += l->cfg.reorder_delay_ns;
		l->st.reordered++;
	}
	if (p->len > 0 && rng_chance_ppb(&l->corrupt_rng, l->cfg.corrupt_ppb)) {
		/* One bit flipped somewhere in the packet: the receiver's
		 * checksum verification is what catches it. */
		uint64_t bit = rng_below(&l->corrupt_rng, (uint64_t)p->len * 8);
		p->data[bit / 8] ^= (uint8_t)(0x80 >> (bit % 8));
		l->st.corrupted++;
	}
	p->link = l;
	timer_init(&p->arrival, arrive);
	engine_arm(l->eng, &p->arrival, arrival);
}
