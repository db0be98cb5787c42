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
 * Fate of a packet, in order: the path rules (rules.h: drop, or an extra
 * delay and copies for later), scripted drop list, blackout windows, random
 * loss (Bernoulli or Gilbert-Elliott; all before the queue, like netem's
 * loss on egress), drop-tail overflow, the CE mark of an ECN-capable packet
 * that joins a queue past the ECN threshold, random duplication, then
 * delivery after serialization + delay + jitter, plus reorder_delay for the
 * packets picked by the reorder probability, with one bit flipped for those
 * picked by the corruption probability. Each random decision has its own
 * rng stream ("loss", "duplicate", "jitter", "reorder", "corrupt" under the
 * link's name), and a stream whose probability is 0 is never drawn from,
 * so a knob left off changes nothing else.
 *
 * netem (tc-netem(8)) decides duplication before loss; here a packet the
 * link drops has no copies, as with the duplicate rules, and a copy is the
 * same packet once more on the wire rather than a second pass through the
 * impairments.
 */
#include "link.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "wire.h"

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
	p->as_encoded = false;
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

/* The first packet of the link's queue arrives; the next one becomes the first. */
static void arrive_first(struct sim_timer *t, uint64_t now_ns)
{
	struct link *l = container_of(t, struct link, arrive_timer);
	struct packet *p = l->fifo_head, *n = p->next;

	l->fifo_head = n;
	if (n) {
		/* The one after it was queued a whole queue ago, and its key
		 * will be wanted when n arrives: fetch it now, in the line of
		 * n that holds the link to it (a miss on every arrival). */
		if (n->next)
			__builtin_prefetch(n->next);
		engine_arm_ordered(l->eng, &l->arrive_timer, n->arrival.when_ns, n->arrival.order);
	} else
		l->fifo_tail = NULL;
	p->next = NULL;
	l->st.delivered++;
	l->deliver(l->ctx, p, now_ns);
}

/*
 * Sends p on its way to arrive at when_ns, where an engine timer armed now
 * would run. A packet that arrives no sooner than the last one in the
 * queue keeps the queue in (when, order) order by joining its end (its
 * order number is the larger); any other gets a timer of its own.
 */
static void schedule(struct link *l, struct packet *p, uint64_t when_ns)
{
	uint64_t order = engine_reserve_order(l->eng);

	if (when_ns < engine_now(l->eng))
		when_ns = engine_now(l->eng);
	p->link = l;
	timer_init(&p->arrival, arrive);
	if (l->fifo_tail && when_ns < l->fifo_tail->arrival.when_ns) {
		engine_arm_ordered(l->eng, &p->arrival, when_ns, order);
		return;
	}
	p->arrival.when_ns = when_ns;
	p->arrival.order = order;
	p->next = NULL;
	if (l->fifo_tail) {
		l->fifo_tail->next = p;
	} else {
		l->fifo_head = p;
		engine_arm_ordered(l->eng, &l->arrive_timer, when_ns, order);
	}
	l->fifo_tail = p;
}

void link_cfg_defaults(struct link_cfg *cfg)
{
	*cfg = (struct link_cfg){
		.rate_bps = 10000000,
		.delay_ns = 10000000,
		.queue_packets = 100,
		.mtu = 1500,
	};
}

struct link_ge link_ge_netem(uint32_t p_ppb)
{
	return (struct link_ge){
		.p_ppb = p_ppb,
		.r_ppb = PPB_ONE - p_ppb,
		.bad_loss_ppb = PPB_ONE,
		.good_loss_ppb = 0,
	};
}

static int window_cmp(const void *a, const void *b)
{
	const struct link_window *x = a, *y = b;

	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	if (x->end_ns != y->end_ns)
		return x->end_ns < y->end_ns ? -1 : 1;
	return 0;
}

void link_init(struct link *l, struct engine *eng, struct packet_pool *pool,
	       const struct link_cfg *cfg, uint64_t seed, const char *name,
	       link_deliver_fn deliver, void *ctx)
{
	char stream[64];

	memset(l, 0, sizeof(*l));
	l->eng = eng;
	l->pool = pool;
	l->cfg = *cfg;
	l->deliver = deliver;
	l->ctx = ctx;
	timer_init(&l->arrive_timer, arrive_first);
	snprintf(stream, sizeof(stream), "%s.loss", name);
	rng_init(&l->loss_rng, seed, stream);
	snprintf(stream, sizeof(stream), "%s.reorder", name);
	rng_init(&l->reorder_rng, seed, stream);
	snprintf(stream, sizeof(stream), "%s.corrupt", name);
	rng_init(&l->corrupt_rng, seed, stream);
	snprintf(stream, sizeof(stream), "%s.duplicate", name);
	rng_init(&l->duplicate_rng, seed, stream);
	snprintf(stream, sizeof(stream), "%s.jitter", name);
	rng_init(&l->jitter_rng, seed, stream);
	if (cfg->nrules)
		l->rules = rules_new(cfg->rules, cfg->nrules);
	if (cfg->nblackout) {
		/* Sorted by start, the windows that can still hold a packet
		 * begin at next_blackout (in_blackout). */
		l->blackout = malloc(cfg->nblackout * sizeof(*l->blackout));
		if (!l->blackout)
			abort();
		memcpy(l->blackout, cfg->blackout, cfg->nblackout * sizeof(*l->blackout));
		qsort(l->blackout, cfg->nblackout, sizeof(*l->blackout), window_cmp);
	}
}

void link_free(struct link *l)
{
	/* Packets still queued belong to the pool (packet_pool_free). */
	if (l->eng)
		engine_cancel(l->eng, &l->arrive_timer);
	l->fifo_head = l->fifo_tail = NULL;
	free(l->backlog);
	l->backlog = NULL;
	free(l->blackout);
	l->blackout = NULL;
	rules_free(l->rules);
	l->rules = NULL;
}

/*
 * The backlog is a ring whose size is a power of two (64, doubled when
 * full), so that its indices wrap with a mask rather than a division.
 */
/* Forgets the packets whose serialization has finished by now. */
static void backlog_expire(struct link *l, uint64_t now_ns)
{
	while (l->bl_len > 0 && l->backlog[l->bl_head].finish_ns <= now_ns) {
		l->bl_bytes -= l->backlog[l->bl_head].bytes;
		l->bl_head = (l->bl_head + 1) & (l->bl_cap - 1);
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
	uint32_t tail = (l->bl_head + l->bl_len) & (l->bl_cap - 1);
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

/*
 * RFC 3168 §5: "a router SHOULD set the CE codepoint in the IP header
 * instead of dropping the packet" when its active queue management would
 * drop it for congestion and the packet is ECN-capable. The queue here is a
 * step marker (as DCTCP's switches): a packet that would be queued beyond
 * the threshold - the packets, or bytes, waiting ahead of it plus itself
 * exceed it - is marked, while packets that are not ECN-capable meet the
 * drop-tail queue alone, as without ECN. Returns the queue the packet
 * joins, in the threshold's unit, or 0 when it is not marked. The one on
 * the wire does not count, as in queue_full.
 */
static uint64_t ce_queue(const struct link *l, const struct packet *p)
{
	uint32_t waiting = l->bl_len ? l->bl_len - 1 : 0;
	uint64_t waiting_bytes = l->bl_len ? l->bl_bytes - l->backlog[l->bl_head].bytes : 0;
	uint64_t q;

	if (l->bl_len == 0 || wire_ecn(p->data, p->len) == IP_ECN_NOT_ECT)
		return 0;
	if (l->cfg.ecn_threshold_bytes) {
		q = waiting_bytes + p->len;
		return q > l->cfg.ecn_threshold_bytes ? q : 0;
	}
	if (l->cfg.ecn_threshold_packets) {
		q = (uint64_t)waiting + 1;
		return q > l->cfg.ecn_threshold_packets ? q : 0;
	}
	return 0;
}

static bool scripted_drop(struct link *l, uint64_t number)
{
	while (l->next_drop < l->cfg.ndrop && l->cfg.drop[l->next_drop] < number)
		l->next_drop++;
	return l->next_drop < l->cfg.ndrop && l->cfg.drop[l->next_drop] == number;
}

/*
 * Time only moves forward, so the windows that ended are passed over once:
 * with the windows sorted by start, the first one that has not ended holds
 * now if it has begun, and none after it can hold now if it has not (they
 * begin later still).
 */
static bool in_blackout(struct link *l, uint64_t now_ns)
{
	while (l->next_blackout < l->cfg.nblackout && l->blackout[l->next_blackout].end_ns <= now_ns)
		l->next_blackout++;
	if (l->next_blackout == l->cfg.nblackout)
		return false;
	/* An overlapping window further on may end later but begins no sooner. */
	return l->blackout[l->next_blackout].start_ns <= now_ns;
}

/* Whether random loss may drop p at all (cfg.loss_applies_to). */
static bool loss_applies(const struct link *l, const struct packet *p)
{
	uint8_t flags;
	uint32_t payload;

	if (l->cfg.loss_applies_to == LINK_LOSS_ALL)
		return true;
	if (!wire_peek(p->data, p->len, &flags, &payload))
		return false;
	if (l->cfg.loss_applies_to == LINK_LOSS_DATA)
		return payload > 0;
	/* A pure ACK, as rules.h counts them. */
	return (flags & TH_ACK) && payload == 0 && !(flags & (TH_SYN | TH_FIN | TH_RST));
}

/*
 * One step of the Gilbert-Elliott chain for a packet, in the order of
 * netem's loss_gilb_ell (sch_netem.c): from the state the packet finds, a
 * first draw decides whether the chain moves (good to bad with p, bad to
 * good with r), a second whether the packet is lost, with the loss
 * probability of the state it found (1-k in good, 1-h in bad). A burst
 * therefore begins with the packet after the move to bad and ends with the
 * packet on which the chain moves back.
 */
static bool ge_lost(struct link *l, struct link_verdict *v)
{
	const struct link_ge *ge = &l->cfg.ge;
	bool bad = l->ge_bad;

	if (bad ? rng_chance_ppb(&l->loss_rng, ge->r_ppb) : rng_chance_ppb(&l->loss_rng, ge->p_ppb))
		l->ge_bad = !bad;
	v->ge_bad = bad;
	return rng_chance_ppb(&l->loss_rng, bad ? ge->bad_loss_ppb : ge->good_loss_ppb);
}

static bool random_loss(struct link *l, const struct packet *p, struct link_verdict *v)
{
	if (l->cfg.loss_model == LINK_LOSS_BERNOULLI && l->cfg.loss_ppb == 0)
		return false;
	if (!loss_applies(l, p))
		return false;
	if (l->cfg.loss_model == LINK_LOSS_GE)
		return ge_lost(l, v);
	return rng_chance_ppb(&l->loss_rng, l->cfg.loss_ppb);
}

/*
 * Jitter: a uniform extra propagation delay in [0, jitter_max]. Without
 * reordering a packet never arrives before the one sent ahead of it (nor
 * before that one's last copy): its arrival is at least theirs, which only
 * the jitter can have pushed later, since serialization keeps the order.
 * Rule delays and the reorder impairment come on top and are not held to
 * that order: they are there to reorder.
 */
static uint64_t jitter(struct link *l, uint64_t base_ns)
{
	uint64_t j = rng_below(&l->jitter_rng, l->cfg.jitter_max_ns + 1);

	if (!l->cfg.jitter_reorder && base_ns + j < l->jitter_last_ns)
		j = l->jitter_last_ns - base_ns;
	return j;
}

/*
 * Serialization time of len bytes, rounded up to the nanosecond. The last
 * one is kept: a direction's packets are nearly all of one size (full
 * segments one way, ACKs the other), and the division is the costliest
 * step of judging a packet.
 */
static uint64_t serialization_ns(struct link *l, uint32_t len)
{
	if (len != l->ser_len) {
		l->ser_len = len;
		l->ser_ns = ((uint64_t)len * 8 * NS_PER_S + l->cfg.rate_bps - 1) / l->cfg.rate_bps;
	}
	return l->ser_ns;
}

/*
 * What happened to a packet before the link has judged it: nothing. Copied
 * rather than cleared with memset, which compilers make a rep stos whose
 * start-up costs more than the copy, on every packet.
 */
static const struct link_verdict verdict_none;

const struct link_verdict *link_judge(struct link *l, struct packet *p)
{
	struct link_verdict *v = &p->verdict;
	uint64_t now = engine_now(l->eng);
	uint64_t start, finish;

	*v = verdict_none;
	v->number = ++l->st.packets;
	l->st.bytes += p->len;
	if (l->rules) {
		struct rule_verdict rv = rules_judge(l->rules, p->data, p->len, v->number, now);

		v->rule = rv.drop_rule;
		v->rule_delay_ns = rv.delay_ns;
		v->copies = rv.copies;
	}
	if (v->rule) {
		v->fate = LINK_DROP_RULE;
		l->st.rule_drops++;
	} else if (scripted_drop(l, v->number)) {
		v->fate = LINK_DROP_SCRIPTED;
		l->st.drop_list_drops++;
	} else if (in_blackout(l, now)) {
		v->fate = LINK_DROP_BLACKOUT;
		l->st.blackout_drops++;
	} else if (random_loss(l, p, v)) {
		v->fate = LINK_DROP_LOSS;
		l->st.loss_drops++;
	}
	if (v->fate != LINK_ACCEPTED) {
		l->st.dropped++;
		return v;
	}
	backlog_expire(l, now);
	if (queue_full(l, p->len)) {
		v->fate = LINK_DROP_QUEUE;
		l->st.queue_drops++;
		return v;
	}
	if ((v->ce_queue = ce_queue(l, p)) > 0) {
		v->ce = true;
		l->st.ce_marked++;
	}
	start = l->busy_until_ns > now ? l->busy_until_ns : now;
	finish = start + serialization_ns(l, p->len);
	l->busy_until_ns = finish;
	backlog_push(l, finish, p->len);
	/* netem's duplicate: one more copy, as a duplicate rule's. */
	if (rng_chance_ppb(&l->duplicate_rng, l->cfg.duplicate_ppb))
		v->copies++;
	v->arrival_ns = finish + l->cfg.delay_ns;
	v->copy_gap_ns = finish - start;
	if (l->cfg.jitter_max_ns) {
		v->jitter_ns = jitter(l, v->arrival_ns);
		v->arrival_ns += v->jitter_ns;
		l->jitter_last_ns = v->arrival_ns + v->copies * v->copy_gap_ns;
		if (v->jitter_ns)
			l->st.jittered++;
	}
	v->arrival_ns += v->rule_delay_ns;
	/* The copies: serialized back to back behind it. */
	for (uint32_t i = 0; i < v->copies; i++) {
		l->busy_until_ns += v->copy_gap_ns;
		backlog_push(l, l->busy_until_ns, p->len);
	}
	l->st.duplicated += v->copies;
	if (rng_chance_ppb(&l->reorder_rng, l->cfg.reorder_ppb)) {
		v->reorder_ns = l->cfg.reorder_delay_ns;
		v->arrival_ns += v->reorder_ns;
		l->st.reordered++;
	}
	if (p->len > 0 && rng_chance_ppb(&l->corrupt_rng, l->cfg.corrupt_ppb)) {
		/* One bit flipped somewhere in the packet: the receiver's
		 * checksum verification is what catches it. */
		v->corrupt = true;
		v->corrupt_bit = rng_below(&l->corrupt_rng, (uint64_t)p->len * 8);
		l->st.corrupted++;
	}
	return v;
}

/* Duplicate i of p, as p is before the wire damages it, after it. */
static void send_copy(struct link *l, const struct packet *p, uint32_t i)
{
	struct packet *q = packet_get(l->pool);

	memcpy(q->data, p->data, p->len);
	q->len = p->len;
	q->as_encoded = p->as_encoded;
	q->verdict = p->verdict;
	q->verdict.copy = i;
	q->verdict.arrival_ns = p->verdict.arrival_ns - p->verdict.reorder_ns +
				i * p->verdict.copy_gap_ns;
	q->verdict.reorder_ns = 0;
	q->verdict.corrupt = false;
	schedule(l, q, q->verdict.arrival_ns);
}

void link_commit(struct link *l, struct packet *p)
{
	const struct link_verdict *v = &p->verdict;

	if (link_fate_dropped(v->fate)) {
		packet_put(l->pool, p);
		return;
	}
	/* The router marks, then the wire may damage what it sends on. */
	if (v->ce && wire_set_ce(p->data, p->len))
		p->as_encoded = false;    /* the receiver verifies the updated sum */
	for (uint32_t i = 1; i <= v->copies; i++)
		send_copy(l, p, i);
	if (v->corrupt) {
		p->data[v->corrupt_bit / 8] ^= (uint8_t)(0x80 >> (v->corrupt_bit % 8));
		p->as_encoded = false;
	}
	schedule(l, p, v->arrival_ns);
}

void link_send(struct link *l, struct packet *p)
{
	link_judge(l, p);
	link_commit(l, p);
}

const char *link_fate_name(enum link_fate f)
{
	static const char *const names[] = {
		[LINK_ACCEPTED] = "accepted",
		[LINK_DROP_RULE] = "rule",
		[LINK_DROP_SCRIPTED] = "drop_list",
		[LINK_DROP_BLACKOUT] = "blackout",
		[LINK_DROP_LOSS] = "random_loss",
		[LINK_DROP_QUEUE] = "queue_full",
	};
	return names[f];
}

/* A probability in parts per billion as a percentage, shortest exact form. */
static void ppb_percent(char *buf, size_t len, uint64_t ppb)
{
	snprintf(buf, len, "%g%%", (double)ppb / 1e7);
}

/* A duration in ms, shortest form ("7 ms", "0.5 ms"). */
static void ns_ms(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%g ms", (double)ns / 1e6);
}

size_t link_verdict_format(const struct link *l, const struct link_verdict *v, char *buf,
			   size_t len)
{
	char a[32], b[32];
	int n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	switch (v->fate) {
	case LINK_DROP_RULE:
		n = snprintf(buf, len, "dropped by link: rule %u, %s", v->rule,
			     rules_text(l->rules, v->rule - 1));
		break;
	case LINK_DROP_SCRIPTED:
		n = snprintf(buf, len, "dropped by link: drop list (packet %llu)",
			     (unsigned long long)v->number);
		break;
	case LINK_DROP_BLACKOUT:
		n = snprintf(buf, len, "dropped by link: blackout");
		break;
	case LINK_DROP_LOSS: {
		static const char *const of[] = {
			[LINK_LOSS_ALL] = "",
			[LINK_LOSS_DATA] = " of data segments",
			[LINK_LOSS_ACKS] = " of pure ACKs",
		};
		const char *scope = of[l->cfg.loss_applies_to];

		if (l->cfg.loss_model == LINK_LOSS_GE) {
			ppb_percent(a, sizeof(a),
				    v->ge_bad ? l->cfg.ge.bad_loss_ppb : l->cfg.ge.good_loss_ppb);
			n = snprintf(buf, len, "dropped by link: Gilbert-Elliott loss%s, %s state (%s)",
				     scope, v->ge_bad ? "bad" : "good", a);
		} else {
			ppb_percent(a, sizeof(a), l->cfg.loss_ppb);
			n = snprintf(buf, len, "dropped by link: random loss %s%s", a, scope);
		}
		break;
	}
	case LINK_DROP_QUEUE:
		if (l->cfg.queue_bytes)
			n = snprintf(buf, len, "dropped: queue full (%llu bytes)",
				     (unsigned long long)l->cfg.queue_bytes);
		else
			n = snprintf(buf, len, "dropped: queue full (%llu packets)",
				     (unsigned long long)l->cfg.queue_packets);
		break;
	case LINK_ACCEPTED:
		if (v->ce) {
			if (l->cfg.ecn_threshold_bytes)
				n = snprintf(buf, len, "queue %llu B > %llu B: CE",
					     (unsigned long long)v->ce_queue,
					     (unsigned long long)l->cfg.ecn_threshold_bytes);
			else
				n = snprintf(buf, len, "queue %llu > %llu: CE",
					     (unsigned long long)v->ce_queue,
					     (unsigned long long)l->cfg.ecn_threshold_packets);
		}
		if (v->jitter_ns && (size_t)n < len) {
			ns_ms(a, sizeof(a), v->jitter_ns);
			n += snprintf(buf + n, len - (size_t)n, "%sjitter +%s", n ? ", " : "", a);
		}
		if (v->reorder_ns && (size_t)n < len) {
			ns_ms(a, sizeof(a), v->reorder_ns);
			n += snprintf(buf + n, len - (size_t)n, "%sreordered +%s", n ? ", " : "", a);
		}
		if (v->rule_delay_ns && (size_t)n < len) {
			ns_ms(a, sizeof(a), v->rule_delay_ns);
			n += snprintf(buf + n, len - (size_t)n, "%sdelayed +%s by a rule",
				      n ? ", " : "", a);
		}
		if (v->copies && v->copy && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, "%sduplicate %u of %u",
				      n ? ", " : "", v->copy, v->copies);
		else if (v->copies && (size_t)n < len)
			n += snprintf(buf + n, len - (size_t)n, "%s%u duplicate%s follow",
				      n ? ", " : "", v->copies, v->copies > 1 ? "s" : "");
		if (v->corrupt && (size_t)n < len) {
			snprintf(b, sizeof(b), "bit %llu flipped", (unsigned long long)v->corrupt_bit);
			n += snprintf(buf + n, len - (size_t)n, "%s%s", n ? ", " : "", b);
		}
		break;
	}
	if (n < 0)
		n = 0;
	return (size_t)n < len ? (size_t)n : len - 1;
}
