/*
 * schema: the scenario's keys, one row each (see schema.h), their readers
 * when a key has syntax or messages of its own, and the walk that reads a
 * mapping by its rows (schema_read) or fills in its defaults
 * (schema_defaults).
 *
 * Called by scenario.c: load_text -> parse_scenario -> schema_read(top)
 * -> the rows' readers -> schema_read(link, tcp, ...) for the mappings
 * inside. The readers of app: and expect: are scenario_steps.c's and
 * scenario_expect.c's.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "rules.h"
#include "scenario.h"
#include "schema.h"
#include "units.h"
#include "yaml_walk.h"

#define SIZE_OF(T, f) sizeof(((T *)0)->f)
#define S(T, f) offsetof(T, f), SIZE_OF(T, f)
#define MS UINT64_C(1000000)
#define SEC NS_PER_SEC

/* ------------------------------------------------------------------ */
/* Storing a value of any width */

static void store(void *obj, const struct schema_key *k, uint64_t v)
{
	char *p = (char *)obj + k->off;

	switch (k->size) {
	case 1: { uint8_t x = (uint8_t)v; memcpy(p, &x, 1); break; }
	case 2: { uint16_t x = (uint16_t)v; memcpy(p, &x, 2); break; }
	case 4: { uint32_t x = (uint32_t)v; memcpy(p, &x, 4); break; }
	case 8: memcpy(p, &v, 8); break;
	default: break;
	}
}

/* bool is stored as a byte; SCHEMA_BOOL rows name bool fields. */
_Static_assert(sizeof(bool) == 1, "SCHEMA_BOOL stores one byte");

/* ------------------------------------------------------------------ */
/* link */

/* The link's mtu is both directions'; a_to_b's or b_to_a's its own. */
static int read_mtu(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;
	const char *s, *msg;
	uint64_t n;

	(void)map;
	if (!(s = scn_scalar(c, "mtu", v)))
		return -1;
	if ((msg = scn_over(parse_uint(s, &n), MAX_MTU, &n)))
		return scn_fail(c, v, "mtu: %s", msg);
	if (n < MIN_MTU)
		return scn_fail(c, v, "mtu: %" PRIu64 " is below 68, the smallest MTU IPv4 allows (RFC 791)", n);
	if (n > MAX_MTU)
		return scn_fail(c, v, "mtu: %s is above 65535, the largest IPv4 packet", s);
	/* Read first, before the queue it bounds; at the link's level into
	 * a_to_b, which then gives both directions the link's values. */
	d->mtu = (uint32_t)n;
	return 0;
}

/* A bare integer counts packets; a size with a unit counts bytes. */
static int read_queue(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;
	uint32_t mtu = d->mtu;
	const char *s, *msg;
	uint64_t n;

	(void)map;
	if (!(s = scn_scalar(c, "queue", v)))
		return -1;
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		if ((msg = scn_over(parse_uint(s, &n), MAX_QUEUE_PACKETS, &n)))
			return scn_fail(c, v, "queue: %s", msg);
		if (n < 1 || n > MAX_QUEUE_PACKETS)
			return scn_fail(c, v, "queue: must be between 1 and %d packets",
					MAX_QUEUE_PACKETS);
		d->queue_packets = (uint32_t)n;
		d->queue_bytes = 0;
		return 0;
	}
	if ((msg = scn_over(parse_size_bytes(s, &n), MAX_BUFFER_BYTES, &n)))
		return scn_fail(c, v, "queue: %s", msg);
	if (n < mtu)
		return scn_fail(c, v, "queue: %" PRIu64 " bytes is less than the MTU (%" PRIu32
				" bytes); the queue must hold at least one packet", n, mtu);
	if (n > MAX_BUFFER_BYTES)
		return scn_fail(c, v, "queue: must be at most 1GiB");
	d->queue_packets = 0;
	d->queue_bytes = n;
	return 0;
}

/*
 * ecn_threshold: where the queue starts marking ECN-capable packets CE
 * (RFC 3168 §5), in packets (a bare number) or bytes (a size), as queue;
 * 0 turns marking off (a direction may undo the link's value).
 */
static int read_ecn_threshold(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;
	const char *s, *msg;
	uint64_t n;

	(void)map;
	if (!(s = scn_scalar(c, "ecn_threshold", v)))
		return -1;
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		if ((msg = scn_over(parse_uint(s, &n), MAX_QUEUE_PACKETS, &n)))
			return scn_fail(c, v, "ecn_threshold: %s", msg);
		if (n > MAX_QUEUE_PACKETS)
			return scn_fail(c, v, "ecn_threshold: must be between 0 and %d packets",
					MAX_QUEUE_PACKETS);
		d->ecn_threshold_packets = (uint32_t)n;
		d->ecn_threshold_bytes = 0;
		return 0;
	}
	if ((msg = scn_over(parse_size_bytes(s, &n), MAX_BUFFER_BYTES, &n)))
		return scn_fail(c, v, "ecn_threshold: %s", msg);
	if (n > MAX_BUFFER_BYTES)
		return scn_fail(c, v, "ecn_threshold: must be at most 1GiB");
	d->ecn_threshold_packets = 0;
	d->ecn_threshold_bytes = n;
	return 0;
}

/*
 * A threshold at or above the queue's limit (in the same unit) would never
 * mark: the queue drops first. Checked once a direction's values are all
 * known; the message points at the ecn_threshold that set it (the
 * direction's own, else the link's).
 */
static int check_ecn_threshold(struct scn_ctx *c, yaml_node_t *link, const char *dir,
			       const struct link_cfg *d)
{
	yaml_node_t *o = scn_find(c, link, dir), *v = NULL;
	bool bytes = d->ecn_threshold_bytes > 0;
	uint64_t t = bytes ? d->ecn_threshold_bytes : d->ecn_threshold_packets;
	uint64_t q = bytes ? d->queue_bytes : d->queue_packets;

	if (t == 0 || q == 0 || t < q)
		return 0;
	if (o && o->type == YAML_MAPPING_NODE)
		v = scn_find(c, o, "ecn_threshold");
	if (!v)
		v = scn_find(c, link, "ecn_threshold");
	if (!v)
		v = o ? o : link;
	return scn_fail(c, v, "ecn_threshold: %" PRIu64 " %s is not below the queue's %" PRIu64
			" %s in '%s': the queue would drop before it marked", t,
			bytes ? "bytes" : "packets", q, bytes ? "bytes" : "packets", dir);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int read_drop(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;
	yaml_node_item_t *it;
	uint64_t *list = NULL;
	size_t n, i;

	(void)map;
	if (v->type != YAML_SEQUENCE_NODE)
		return scn_fail(c, v, "'drop' must be a sequence of packet numbers");
	n = scn_nitems(v);
	if (n && !(list = calloc(n, sizeof(*list))))
		return scn_oom(c, v);
	for (i = 0, it = v->data.sequence.items.start; i < n; i++, it++) {
		yaml_node_t *item = scn_node(c, *it);
		const char *msg;

		if (item->type != YAML_SCALAR_NODE) {
			free(list);
			return scn_fail(c, item, "'drop' must be a sequence of packet numbers");
		}
		if (!scn_scalar(c, "drop", item)) {
			free(list);
			return -1;
		}
		if ((msg = parse_uint(scn_text(item), &list[i]))) {
			free(list);
			return scn_fail(c, item, "drop: %s", msg);
		}
		if (list[i] == 0) {
			free(list);
			return scn_fail(c, item, "drop: packet numbers start at 1");
		}
	}
	if (n > 1)
		qsort(list, n, sizeof(*list), cmp_u64);
	for (i = 1; i < n; i++) {
		if (list[i] == list[i - 1]) {
			/* Point at the second time the file names this packet. */
			uint64_t dup = list[i], x;
			bool seen = false;

			free(list);
			for (it = v->data.sequence.items.start; ; it++) {
				parse_uint(scn_text(scn_node(c, *it)), &x);
				if (x != dup)
					continue;
				if (seen)
					return scn_fail(c, scn_node(c, *it),
							"drop: packet %" PRIu64 " is listed twice", dup);
				seen = true;
			}
		}
	}
	free(d->drop);
	d->drop = list;
	d->ndrop = n;
	return 0;
}

/* rules: the path rules of rules.h, read by rules_parse_yaml. */
static int read_rules(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;
	struct rules_error err;
	struct rule *r;
	size_t n;

	(void)map;
	if (rules_parse_yaml(c->doc, v, &r, &n, &err)) {
		/* Only the list itself can come from a --set, as a single value. */
		if (v->start_mark.index == SET_MARK)
			return scn_fail(c, v, "%s", err.msg);
		return scn_fail_at(c, err.line, err.col, "%s", err.msg);
	}
	free((void *)d->rules);
	d->rules = r;
	d->nrules = n;
	return 0;
}

static int read_reorder(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'reorder' must be a mapping");
	return schema_read(c, v, &schema_reorder, NULL, obj, NULL);
}

/*
 * blackout: {start: TIME, duration: TIME}: the path goes dark for a while;
 * or a sequence of such windows, in any order, overlaps allowed ([] for
 * none: a direction may undo the link's).
 */
struct blackout {
	uint64_t start_ns, duration_ns;
};

static int read_blackout(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;
	struct link_window *w = NULL;
	size_t n = 1, i;

	(void)map;
	if (v->type == YAML_SEQUENCE_NODE)
		n = scn_nitems(v);
	else if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'blackout' must be a mapping, or a sequence of them");
	if (n && !(w = calloc(n, sizeof(*w))))
		return scn_oom(c, v);
	for (i = 0; i < n; i++) {
		yaml_node_t *m = v->type == YAML_MAPPING_NODE ? v :
				 scn_node(c, v->data.sequence.items.start[i]);
		struct blackout b = { 0, 0 };

		if (m->type != YAML_MAPPING_NODE) {
			free(w);
			return scn_fail(c, m, "'blackout' must be a mapping, or a sequence of them");
		}
		if (schema_read(c, m, &schema_blackout, NULL, &b, NULL)) {
			free(w);
			return -1;
		}
		w[i] = (struct link_window){ b.start_ns, b.start_ns + b.duration_ns };
	}
	free(d->blackout);
	d->blackout = w;
	d->nblackout = n;
	return 0;
}

/*
 * loss: a percentage (Bernoulli loss), or a mapping that names the model:
 *   {model: bernoulli, probability: P}
 *   {model: gilbert, p: P, r: R, bad_loss: 1-h}          (1-k = 0)
 *   {model: gilbert-elliott, p: P, r: R, bad_loss: 1-h, good_loss: 1-k}
 * netem's parameters and defaults (tc-netem(8), "loss gemodel p [r [1-h
 * [1-k]]]"): r = 100% - p, bad_loss (1-h) = 100%, good_loss (1-k) = 0.
 * gilbert with bad_loss left out is the Simple Gilbert model.
 */
struct loss_spec {
	uint32_t model;
	uint32_t probability, p, r, bad_loss, good_loss;
};

enum { LOSS_SPEC_BERNOULLI, LOSS_SPEC_GILBERT, LOSS_SPEC_GE };

static int read_loss_model(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	static const char *const names[] = { "bernoulli", "gilbert", "gilbert-elliott" };
	struct loss_spec *ls = obj;
	const char *name = scn_scalar(c, "model", v);
	uint32_t i;

	(void)map;
	if (!name)
		return -1;
	for (i = 0; i < 3; i++)
		if (strcmp(name, names[i]) == 0)
			break;
	if (i == 3)
		return scn_fail_not_one_of(c, v, "model", name, names, 3);
	ls->model = i;
	return 0;
}

static int read_loss(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	static const char *const ge_only[] = { "p", "r", "bad_loss", "good_loss" };
	struct link_cfg *d = obj;
	struct loss_spec ls = { .bad_loss = PPB_ONE };
	yaml_node_t *k;

	if (v->type != YAML_MAPPING_NODE) {
		if (scn_get_percent(c, map, "loss", &d->loss_ppb))
			return -1;
		d->loss_model = LINK_LOSS_BERNOULLI;
		return 0;
	}
	if (schema_read(c, v, &schema_loss, NULL, &ls, NULL))
		return -1;
	if (ls.model == LOSS_SPEC_BERNOULLI) {
		for (size_t i = 0; i < 4; i++)
			if ((k = scn_find(c, v, ge_only[i])))
				return scn_fail(c, k, "loss: '%s' is a parameter of the gilbert and"
						" gilbert-elliott models; bernoulli takes 'probability'",
						ge_only[i]);
		if (!scn_find(c, v, "probability"))
			return scn_fail(c, v, "missing key 'probability' in 'loss'");
		d->loss_model = LINK_LOSS_BERNOULLI;
		d->loss_ppb = ls.probability;
		return 0;
	}
	if ((k = scn_find(c, v, "probability")))
		return scn_fail(c, k, "loss: 'probability' is for model bernoulli; %s takes p, r%s",
				ls.model == LOSS_SPEC_GE ? "gilbert-elliott" : "gilbert",
				ls.model == LOSS_SPEC_GE ? ", bad_loss and good_loss" : " and bad_loss");
	if (ls.model == LOSS_SPEC_GILBERT && (k = scn_find(c, v, "good_loss")))
		return scn_fail(c, k, "loss: the gilbert model loses nothing in the good state;"
				" good_loss needs model gilbert-elliott");
	if (!scn_find(c, v, "p"))
		return scn_fail(c, v, "missing key 'p' in 'loss'");
	d->loss_model = LINK_LOSS_GE;
	d->ge = link_ge_netem(ls.p);
	if (scn_find(c, v, "r"))
		d->ge.r_ppb = ls.r;
	d->ge.bad_loss_ppb = ls.bad_loss;
	d->ge.good_loss_ppb = ls.good_loss;
	return 0;
}

/* loss_applies_to: all, data or acks. */
static int read_loss_applies_to(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	static const char *const names[] = { "all", "data", "acks" };
	static const enum link_loss_scope scopes[] = { LINK_LOSS_ALL, LINK_LOSS_DATA, LINK_LOSS_ACKS };
	struct link_cfg *d = obj;
	const char *name = scn_scalar(c, "loss_applies_to", v);

	(void)map;
	if (!name)
		return -1;
	for (size_t i = 0; i < 3; i++) {
		if (strcmp(name, names[i]) == 0) {
			d->loss_applies_to = scopes[i];
			return 0;
		}
	}
	return scn_fail_not_one_of(c, v, "loss_applies_to", name, names, 3);
}

/* jitter: TIME (the largest extra delay; no reordering), or {max: TIME, reorder: BOOL}. */
static int read_jitter(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct link_cfg *d = obj;

	d->jitter_reorder = false;
	if (v->type != YAML_MAPPING_NODE)
		return scn_get_time(c, map, "jitter", &d->jitter_max_ns, false, MAX_DELAY_NS);
	return schema_read(c, v, &schema_jitter, NULL, d, NULL);
}

/* A copy of what a direction holds that is not a plain value: drop, blackout, rules. */
static int copy_lists(struct scn_ctx *c, yaml_node_t *at, struct link_cfg *to,
		      const struct link_cfg *from)
{
	to->drop = NULL;
	to->blackout = NULL;
	to->rules = NULL;
	if (from->ndrop) {
		if (!(to->drop = calloc(from->ndrop, sizeof(*to->drop)))) {
			to->ndrop = to->nblackout = to->nrules = 0;
			return scn_oom(c, at);
		}
		memcpy(to->drop, from->drop, from->ndrop * sizeof(*to->drop));
	}
	if (from->nblackout) {
		if (!(to->blackout = calloc(from->nblackout, sizeof(*to->blackout)))) {
			to->nblackout = to->nrules = 0;
			return scn_oom(c, at);
		}
		memcpy(to->blackout, from->blackout, from->nblackout * sizeof(*to->blackout));
	}
	if (from->nrules) {
		struct rule *r = calloc(from->nrules, sizeof(*r));

		if (!r) {
			to->nrules = 0;
			return scn_oom(c, at);
		}
		memcpy(r, from->rules, from->nrules * sizeof(*r));
		to->rules = r;
	}
	return 0;
}

/* One direction's own keys, over what the link's gave it. */
static int read_override(struct scn_ctx *c, yaml_node_t *v, const char *key, struct link_cfg *d)
{
	if (!v)
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'%s' must be a mapping", key);
	return schema_read(c, v, &schema_direction, key, d, d);
}

/* a_to_b: the link's values, read into a_to_b, go to b_to_a too, before either's own keys. */
static int read_a_to_b(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scn_link *l = obj;
	struct link_cfg *ab = &l->a_to_b, *ba = &l->b_to_a;

	l->mtu = ab->mtu;
	free(ba->drop);
	free(ba->blackout);
	free((void *)ba->rules);
	*ba = *ab;
	if (copy_lists(c, map, ba, ab))
		return -1;
	return read_override(c, v, "a_to_b", ab);
}

static int read_b_to_a(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return read_override(c, v, "b_to_a", &((struct scn_link *)obj)->b_to_a);
}

/*
 * A queue in bytes must hold one packet of its direction's MTU. read_queue
 * checks a queue against the MTU known when it is read; a direction's own
 * mtu may come after the link's queue, so that pair is checked here, at
 * the direction's mtu.
 */
static int check_queue_mtu(struct scn_ctx *c, yaml_node_t *link, const char *dir,
			   const struct link_cfg *d)
{
	yaml_node_t *o = scn_find(c, link, dir), *v = NULL;

	if (d->queue_bytes == 0 || d->queue_bytes >= d->mtu)
		return 0;
	if (o && o->type == YAML_MAPPING_NODE)
		v = scn_find(c, o, "mtu");
	if (!v)
		v = o ? o : link;
	return scn_fail(c, v, "mtu: %" PRIu32 " bytes is more than the queue (%" PRIu64
			" bytes) holds; the queue must hold at least one packet", d->mtu,
			d->queue_bytes);
}

static int check_link(struct scn_ctx *c, yaml_node_t *map, void *obj)
{
	struct scn_link *l = obj;

	if (check_ecn_threshold(c, map, "a_to_b", &l->a_to_b) ||
	    check_ecn_threshold(c, map, "b_to_a", &l->b_to_a) ||
	    check_queue_mtu(c, map, "a_to_b", &l->a_to_b) ||
	    check_queue_mtu(c, map, "b_to_a", &l->b_to_a))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* tcp */

/* RFC 9293 3.7.1: the MSS counts TCP payload, so at most MTU - 40 (the
 * MTU of the direction the host sends on). */
static int read_mss(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct tcp_cfg *t = obj;
	/* What this host may send: its outgoing direction's MTU. */
	uint32_t mtu = t == &c->scn->client.tcp ? c->scn->link.a_to_b.mtu : c->scn->link.b_to_a.mtu;
	const char *s, *msg;
	uint64_t n;

	(void)map;
	if (!(s = scn_scalar(c, "mss", v)))
		return -1;
	if ((msg = scn_over(parse_uint(s, &n), mtu - IP_TCP_HEADERS, &n)))
		return scn_fail(c, v, "mss: %s", msg);
	if (n < MIN_MSS)
		return scn_fail(c, v, "mss: must be at least %d", MIN_MSS);
	if (n > mtu - IP_TCP_HEADERS)
		return scn_fail(c, v, "mss %s is larger than the MTU allows"
				" (MTU-40 = %" PRIu32 ")", s, mtu - IP_TCP_HEADERS);
	t->mss = (uint32_t)n;
	return 0;
}

static int read_timestamp_rate(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct tcp_cfg *t = obj;
	const char *s, *msg;
	uint64_t n;

	(void)map;
	/* RFC 7323 §5.4: "between 1 ms and 1 sec per tick". */
	if (!(s = scn_scalar(c, "timestamp_rate", v)))
		return -1;
	if ((msg = scn_over(parse_freq_hz(s, &n), 1000, &n)))
		return scn_fail(c, v, "timestamp_rate: %s", msg);
	if (n < 1 || n > 1000)
		return scn_fail(c, v, "timestamp_rate: must be between 1Hz and 1000Hz"
				" (1 ms to 1 s per tick, RFC 7323 5.4)");
	t->ts_rate_hz = (uint32_t)n;
	return 0;
}

/* RFC 1122 4.2.3.2: "the delay MUST be less than 0.5 seconds". */
static int read_ack_delay(struct scn_ctx *c, yaml_node_t *v, const char *key, uint64_t *out)
{
	const char *s, *msg;
	uint64_t n;

	if (!(s = scn_scalar(c, key, v)))
		return -1;
	if ((msg = scn_over(parse_time_ns(s, &n), MAX_DELAYED_ACK_NS, &n)))
		return scn_fail(c, v, "%s: %s", key, msg);
	if (n >= MAX_DELAYED_ACK_NS)
		return scn_fail(c, v, "%s: must be less than 500ms (RFC 1122 4.2.3.2)", key);
	*out = n;
	return 0;
}

static int read_delayed_ack(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return read_ack_delay(c, v, "delayed_ack", &((struct tcp_cfg *)obj)->delayed_ack_ns);
}

/* Linux's adaptive delay: from this up to delayed_ack. */
static int read_delayed_ack_min(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return read_ack_delay(c, v, "delayed_ack_min", &((struct tcp_cfg *)obj)->delayed_ack_min_ns);
}

static int read_cc(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct tcp_cfg *t = obj;
	const char *name = scn_scalar(c, "congestion_control", v);
	const char *known[8];
	size_t k = 0;

	(void)map;
	if (!name)
		return -1;
	if ((t->cc = cc_find(name)))
		return 0;
	while (k < cc_count() && k < 8) {
		known[k] = cc_at(k)->name;
		k++;
	}
	return scn_fail_not_one_of(c, v, "congestion_control", name, known, k);
}

static void default_cc(void *obj)
{
	((struct tcp_cfg *)obj)->cc = &cc_newreno;         /* RFC 5681 + RFC 6582 */
}

/* The cwnd reduction of SACK loss recovery (RFC 6937, RFC 6675 §5). */
static int read_recovery(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	static const enum tcp_recovery kinds[] = {
		TCP_RECOVERY_PRR, TCP_RECOVERY_PRR_CRB, TCP_RECOVERY_RFC6675,
	};
	struct tcp_cfg *t = obj;
	const char *name = scn_scalar(c, "recovery", v);
	size_t i;

	(void)map;
	if (!name)
		return -1;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(name, tcp_recovery_name(kinds[i])) == 0)
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return scn_fail(c, v, "recovery: '%s' is not prr, prr-crb or rfc6675", name);
	t->recovery = kinds[i];
	return 0;
}

static int read_iss(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct tcp_cfg *t = obj;

	(void)v;
	if (scn_get_u32(c, map, "iss", &t->iss, 0, UINT32_MAX))
		return -1;
	t->iss_set = true;
	return 0;
}

/* The rules between tcp keys, once all are read (a profile's values included). */
static int check_tcp(struct scn_ctx *c, yaml_node_t *map, void *obj)
{
	struct tcp_cfg *t = obj;
	yaml_node_t *v;

	if (t->delayed_ack_min_ns > t->delayed_ack_ns && !scn_find(c, map, "delayed_ack_min")) {
		/* A profile's floor gives way to a delayed_ack written below it
		 * (0: delayed ACK off). */
		t->delayed_ack_min_ns = t->delayed_ack_ns;
	}
	if (t->delayed_ack_min_ns > t->delayed_ack_ns) {
		char lo[32], hi[32];

		v = scn_find(c, map, "delayed_ack_min");
		return scn_fail(c, v,
				"delayed_ack_min %s is more than delayed_ack %s%s",
				scn_fmt_time(lo, sizeof lo, t->delayed_ack_min_ns),
				scn_fmt_time(hi, sizeof hi, t->delayed_ack_ns),
				t->delayed_ack_ns == 0 ? " (delayed ACK is off)" : "");
	}
	/* RFC 9406 is written for any slow start; here it is CUBIC's (RFC 9438 §4.10). */
	if (t->hystart && t->cc != &cc_cubic && !scn_find(c, map, "hystart"))
		t->hystart = false;     /* a profile's HyStart goes with its CUBIC */
	if (t->hystart && t->cc != &cc_cubic)
		return scn_fail(c, scn_find(c, map, "hystart"),
				"hystart: needs congestion_control: cubic (HyStart++ is part of CUBIC here)");
	/* RFC 8985 §6: RACK reads per-segment send times off the SACK
	 * scoreboard; §7: the tail loss probe's ACK is read by RACK. */
	if (t->rack && !t->sack && !scn_find(c, map, "rack"))
		t->rack = false;        /* a profile's RACK goes with its SACK ... */
	if (t->tlp && !t->rack && !scn_find(c, map, "tlp"))
		t->tlp = false;         /* ... and its TLP with its RACK */
	if (t->rack && !t->sack) {
		if (!(v = scn_find(c, map, "rack")) && !(v = scn_find(c, map, "sack")))
			v = map;
		return scn_fail(c, v,
				"rack: needs sack: true (RFC 8985 keeps its send times on the SACK scoreboard)");
	}
	if (t->tlp && !t->rack) {
		if (!(v = scn_find(c, map, "tlp")) && !(v = scn_find(c, map, "rack")))
			v = map;
		return scn_fail(c, v,
				"tlp: needs rack: true (RFC 8985 §7: RACK reads the probe's ACK)");
	}
	if (t->min_rto_ns > t->max_rto_ns) {
		char lo[32], hi[32];

		v = scn_find(c, map, "max_rto");
		return scn_fail(c, v ? v : scn_find(c, map, "min_rto"),
				"max_rto (%s) must not be smaller than min_rto (%s)",
				scn_fmt_time(hi, sizeof(hi), t->max_rto_ns),
				scn_fmt_time(lo, sizeof(lo), t->min_rto_ns));
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* client and server */

/* Dotted quad, four decimal numbers 0..255; no leading zeros (is 010 octal?). */
static int parse_ipv4(const char *s, uint32_t *out)
{
	uint32_t addr = 0;
	int part;

	for (part = 0; part < 4; part++) {
		unsigned v = 0, digits = 0;

		if (part > 0 && *s++ != '.')
			return -1;
		if (s[0] == '0' && s[1] >= '0' && s[1] <= '9')
			return -1;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (digits == 0 || digits > 3 || v > 255)
			return -1;
		addr = addr << 8 | v;
	}
	if (*s)
		return -1;
	*out = addr;
	return 0;
}

static int read_address(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scn_host *h = obj;
	const char *s;

	(void)map;
	if (!(s = scn_scalar(c, "address", v)))
		return -1;
	if (parse_ipv4(s, &h->addr))
		return scn_fail(c, v, "address: '%s' is not an IPv4 address such as 192.0.2.1", s);
	return 0;
}

/*
 * profile: NAME, at the top (both hosts) or in a host (that host): every
 * TCP setting from the profile, before the host's own tcp: keys.
 */
static int apply_profile(struct scn_ctx *c, yaml_node_t *v, struct scn_host *h, size_t nh)
{
	const struct tcp_profile *p;
	const char *name;

	if (!(name = scn_scalar(c, "profile", v)))
		return -1;
	if (!(p = tcp_profile_find(name))) {
		const char *known[8];
		size_t n = 0;

		while (n < tcp_profile_count() && n < 8) {
			known[n] = tcp_profile_at(n)->name;
			n++;
		}
		return scn_fail_not_one_of(c, v, "profile", name, known, n);
	}
	for (size_t i = 0; i < nh; i++) {
		h[i].profile = p;
		p->apply(&h[i].tcp);
	}
	return 0;
}

static int read_host_profile(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return apply_profile(c, v, obj, 1);
}

static void default_profile(void *obj)
{
	((struct scn_host *)obj)->profile = tcp_profile_find("rfc");
}

static int read_tcp(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'tcp' must be a mapping");
	return schema_read(c, v, &schema_tcp, NULL, &((struct scn_host *)obj)->tcp, NULL);
}

/* read: {bytes: SIZE, every: TIME}: an application that reads slowly. */
static int read_read(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "read: expected {bytes: SIZE, every: TIME}");
	return schema_read(c, v, &schema_read_pacing, NULL, &((struct scn_host *)obj)->app, NULL);
}

static int read_app(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scn_host *h = obj;

	(void)map;
	return scn_read_app(c, v, h == &c->scn->client, &h->app);
}

/* ------------------------------------------------------------------ */
/* capture */

static int capture_point(struct scn_ctx *c, const char *key, yaml_node_t *v,
			 enum capture_point *out)
{
	const char *s = scn_scalar(c, key, v);

	if (!s)
		return -1;
	if (!strcmp(s, "client"))
		*out = CAPTURE_CLIENT;
	else if (!strcmp(s, "server"))
		*out = CAPTURE_SERVER;
	else if (!strcmp(s, "both"))
		*out = CAPTURE_BOTH;
	else if (!strcmp(s, "none"))
		*out = CAPTURE_NONE;
	else
		return scn_fail(c, v, "%s: '%s' is not client, server, both or none", key, s);
	return 0;
}

static int read_at(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return capture_point(c, "at", v, &((struct scenario *)obj)->capture);
}

static int read_link_type(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;
	const char *lt;

	(void)map;
	if (!(lt = scn_scalar(c, "link_type", v)))
		return -1;
	if (!strcmp(lt, "ethernet"))
		s->linktype = LINKTYPE_ETHERNET;
	else if (!strcmp(lt, "raw"))
		s->linktype = LINKTYPE_RAW_IP;
	else
		return scn_fail(c, v, "link_type: '%s' is not ethernet or raw", lt);
	return 0;
}

static int read_capture(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;

	(void)map;
	if (v->type == YAML_SCALAR_NODE)
		return capture_point(c, "capture", v, &s->capture);
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'capture' must be client, server, both, none or a mapping");
	return schema_read(c, v, &schema_capture, NULL, s, NULL);
}

/* ------------------------------------------------------------------ */
/* The top level */

/* The name becomes part of file names (out/NAME.pcap), so keep it tame. */
static bool valid_name(const char *s)
{
	static const char ok[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
				 "0123456789._-";

	return *s && strspn(s, ok) == strlen(s);
}

/* "dir/loss-5pct.yaml" -> "loss-5pct" */
static char *name_from_path(const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strlen(base);
	if (len >= 5 && !strcmp(base + len - 5, ".yaml"))
		len -= 5;
	else if (len >= 4 && !strcmp(base + len - 4, ".yml"))
		len -= 4;
	return scn_dup_bytes(base, len);
}

/* name: or, when absent, the file's base name. */
static int read_name(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;
	const char *str;
	char *name;

	if (v) {
		if (!(str = scn_scalar(c, "name", v)))
			return -1;
		if (!valid_name(str))
			return scn_fail(c, v, "name: '%s' may only contain letters, digits, '.',"
					" '_' and '-'", str);
		name = strdup(str);
	} else {
		name = name_from_path(c->path);
		if (name && !valid_name(name)) {
			scn_fail_at(c, 1, 1, "the scenario is named after its file, but '%s' may"
				    " only contain letters, digits, '.', '_' and '-'; set 'name'", name);
			free(name);
			return -1;
		}
	}
	if (!name)
		return scn_oom(c, map);
	free(s->name);
	s->name = name;
	return 0;
}

static int read_description(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;
	const char *str;

	(void)map;
	if (!(str = scn_scalar(c, "description", v)))
		return -1;
	if (!scn_is_null(v) && !(s->description = strdup(str)))
		return scn_oom(c, v);
	return 0;
}

static int read_top_profile(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;
	struct scn_host both[2];

	(void)map;
	both[0] = s->client;
	both[1] = s->server;
	if (apply_profile(c, v, both, 2))
		return -1;
	s->client = both[0];
	s->server = both[1];
	return 0;
}

static int read_link(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;

	(void)map;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'link' must be a mapping");
	return schema_read(c, v, &schema_link, NULL, &s->link, &s->link.a_to_b);
}

static int read_host(struct scn_ctx *c, yaml_node_t *v, const char *who, struct scn_host *h)
{
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'%s' must be a mapping", who);
	return schema_read(c, v, &schema_host, who, h, NULL);
}

static int read_client(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return read_host(c, v, "client", &((struct scenario *)obj)->client);
}

/* The server, then what the two hosts must not share. */
static int read_server(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	struct scenario *s = obj;
	yaml_node_t *cl, *sv, *a;

	if (read_host(c, v, "server", &s->server))
		return -1;
	if (s->client.addr != s->server.addr)
		return 0;
	cl = scn_find(c, map, "client");
	sv = v;
	a = scn_find(c, sv, "address");
	if (!a)
		a = scn_find(c, cl, "address");
	return scn_fail(c, a ? a : sv, "address: the client and the server need different"
			" addresses");
}

static int read_expect(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj)
{
	(void)map;
	return scn_read_expect(c, v, obj);
}

/* ------------------------------------------------------------------ */
/* The tables. Row order is the order of reading and of suggestions. */

#define D SCHEMA_DIRECTION
#define REQ SCHEMA_REQUIRED

static const struct schema_key top_keys[] = {
	{ "name", SCHEMA_CUSTOM, SCHEMA_ALWAYS, .read = read_name,
	  .doc_default = "the file name without `.yaml`/`.yml`", .doc_range = "letters, digits, `.`, `_`, `-`",
	  .meaning = "names the outputs (out/NAME.pcap)" },
	{ "description", SCHEMA_CUSTOM, 0, .read = read_description,
	  .doc_default = "none", .doc_range = "",
	  .meaning = "free text for people" },
	{ "seed", SCHEMA_UINT, 0, S(struct scenario, seed), 0, UINT64_MAX, 1,
	  .doc_range = "0 … 2⁶⁴−1",
	  .meaning = "seeds every random choice" },
	{ "duration", SCHEMA_TIME, 0, S(struct scenario, duration_ns), 1, UINT64_MAX, 3600 * SEC,
	  .meaning = "limit on virtual time" },
	{ "profile", SCHEMA_CUSTOM, 0, .read = read_top_profile,
	  .doc_default = "`rfc`", .doc_range = "`rfc` or `linux`",
	  .meaning = "the TCP settings both hosts start from" },
	{ "link", SCHEMA_CUSTOM, REQ, .read = read_link,
	  .doc_default = "**required**", .doc_range = "",
	  .meaning = "the path between the hosts" },
	{ "client", SCHEMA_CUSTOM, REQ, .read = read_client,
	  .doc_default = "**required**", .doc_range = "",
	  .meaning = "the host that opens the connection (RFC 9293 3.5)" },
	{ "server", SCHEMA_CUSTOM, REQ, .read = read_server,
	  .doc_default = "**required**", .doc_range = "",
	  .meaning = "the host that accepts it" },
	{ "capture", SCHEMA_CUSTOM, 0, .read = read_capture,
	  .doc_default = "`client`", .doc_range = "",
	  .meaning = "where packets are recorded" },
	{ "expect", SCHEMA_CUSTOM, 0, .read = read_expect,
	  .doc_default = "none", .doc_range = "",
	  .meaning = "assertions about the outcome" },
};

static const struct schema_key link_keys[] = {
	{ "rate", SCHEMA_RATE, D | REQ, S(struct link_cfg, rate_bps), 1, MAX_RATE_BPS, 10000000,
	  .doc_default = "**required**",
	  .meaning = "serialization rate, the bottleneck bandwidth" },
	{ "delay", SCHEMA_TIME, D | REQ, S(struct link_cfg, delay_ns), 0, MAX_DELAY_NS, 10 * MS,
	  .doc_default = "**required**",
	  .meaning = "one-way propagation delay" },
	{ "mtu", SCHEMA_UINT, D | SCHEMA_FIRST, S(struct link_cfg, mtu), MIN_MTU, MAX_MTU, 1500,
	  .read = read_mtu,
	  .meaning = "largest IP packet its sender may send (RFC 791, RFC 894)" },
	{ "queue", SCHEMA_UINT, D, S(struct link_cfg, queue_packets), 1, MAX_QUEUE_PACKETS, 100,
	  .read = read_queue, .doc_range = "1 … 1000000 packets; MTU … 1GiB",
	  .meaning = "drop-tail queue, in packets or bytes" },
	{ "ecn_threshold", SCHEMA_CUSTOM, D, .read = read_ecn_threshold,
	  .doc_default = "none (no marking)",
	  .doc_range = "0 … 1000000 packets; 0B … 1GiB; below `queue`",
	  .meaning = "CE marking past this queue length (RFC 3168 5)" },
	{ "loss", SCHEMA_PERCENT, D, S(struct link_cfg, loss_ppb), 0, 1000000000, 0,
	  .read = read_loss, .doc_range = "0 … 100%, or a mapping (`loss`)",
	  .meaning = "random loss: Bernoulli, or Gilbert-Elliott as netem's gemodel" },
	{ "loss_applies_to", SCHEMA_CUSTOM, D, S(struct link_cfg, loss_applies_to), 0, 0,
	  LINK_LOSS_ALL, .read = read_loss_applies_to,
	  .doc_default = "`all`", .doc_range = "`all`, `data` or `acks`",
	  .meaning = "the packets random loss may drop" },
	{ "drop", SCHEMA_CUSTOM, D, .read = read_drop,
	  .doc_default = "none", .doc_range = "each ≥ 1, no repeats",
	  .meaning = "packet numbers to drop" },
	{ "reorder", SCHEMA_CUSTOM, D, .read = read_reorder,
	  .doc_default = "none", .doc_range = "",
	  .meaning = "hold some packets back (RFC 5681 4.2)" },
	{ "corrupt", SCHEMA_PERCENT, D, S(struct link_cfg, corrupt_ppb), 0, 1000000000, 0,
	  .meaning = "flip one bit of a packet (RFC 1071 checksums catch it)" },
	{ "duplicate", SCHEMA_PERCENT, D, S(struct link_cfg, duplicate_ppb), 0, 1000000000, 0,
	  .meaning = "send a packet twice" },
	{ "jitter", SCHEMA_CUSTOM, D, .read = read_jitter,
	  .doc_default = "none", .doc_range = "0 … 3600s, or a mapping (`jitter`)",
	  .meaning = "a random extra delay per packet" },
	{ "blackout", SCHEMA_CUSTOM, D, .read = read_blackout,
	  .doc_default = "none", .doc_range = "a window, or a sequence of them",
	  .meaning = "the path goes dark for a while (RFC 6298 5.5)" },
	{ "rules", SCHEMA_CUSTOM, D, .read = read_rules,
	  .doc_default = "none", .doc_range = "at most 16 per direction",
	  .meaning = "path rules by TCP meaning (rules.h)" },
	{ "a_to_b", SCHEMA_CUSTOM, SCHEMA_ALWAYS, .read = read_a_to_b,
	  .doc_default = "none", .doc_range = "",
	  .meaning = "the client to server direction only" },
	{ "b_to_a", SCHEMA_CUSTOM, SCHEMA_ALWAYS, .read = read_b_to_a,
	  .doc_default = "none", .doc_range = "",
	  .meaning = "the server to client direction only" },
};

static const struct schema_key reorder_keys[] = {
	{ "probability", SCHEMA_PERCENT, REQ, S(struct link_cfg, reorder_ppb), 0, 1000000000, 0,
	  .doc_default = "**required**",
	  .meaning = "the chance that a packet is held back" },
	{ "delay", SCHEMA_TIME, REQ, S(struct link_cfg, reorder_delay_ns), 0, MAX_DELAY_NS, 0,
	  .doc_default = "**required**",
	  .meaning = "how much extra delay it gets" },
};

static const struct schema_key blackout_keys[] = {
	{ "start", SCHEMA_TIME, REQ, S(struct blackout, start_ns), 0, MAX_DELAY_NS, 0,
	  .doc_default = "**required**",
	  .meaning = "when the path goes dark, from the start of the run" },
	{ "duration", SCHEMA_TIME, REQ, S(struct blackout, duration_ns), 1, MAX_DELAY_NS, 0,
	  .doc_default = "**required**",
	  .meaning = "for how long" },
};

static const struct schema_key loss_keys[] = {
	{ "model", SCHEMA_CUSTOM, REQ, .read = read_loss_model,
	  .doc_default = "**required**", .doc_range = "`bernoulli`, `gilbert` or `gilbert-elliott`",
	  .meaning = "which loss model" },
	{ "probability", SCHEMA_PERCENT, 0, S(struct loss_spec, probability), 0, 1000000000, 0,
	  .doc_default = "**required** for `bernoulli`",
	  .meaning = "bernoulli: each packet lost with it, independently" },
	{ "p", SCHEMA_PERCENT, 0, S(struct loss_spec, p), 0, 1000000000, 0,
	  .doc_default = "**required** for `gilbert`, `gilbert-elliott`",
	  .meaning = "good to bad, per packet (netem's p)" },
	{ "r", SCHEMA_PERCENT, 0, S(struct loss_spec, r), 0, 1000000000, 0,
	  .doc_default = "100% − `p`",
	  .meaning = "bad to good, per packet (netem's r)" },
	{ "bad_loss", SCHEMA_PERCENT, 0, S(struct loss_spec, bad_loss), 0, 1000000000, 1000000000,
	  .meaning = "loss in the bad state (netem's 1-h)" },
	{ "good_loss", SCHEMA_PERCENT, 0, S(struct loss_spec, good_loss), 0, 1000000000, 0,
	  .meaning = "loss in the good state, gilbert-elliott only (netem's 1-k)" },
};

static const struct schema_key jitter_keys[] = {
	{ "max", SCHEMA_TIME, REQ, S(struct link_cfg, jitter_max_ns), 0, MAX_DELAY_NS, 0,
	  .doc_default = "**required**",
	  .meaning = "the largest extra delay: each packet gets 0 … max, uniformly" },
	{ "reorder", SCHEMA_BOOL, 0, S(struct link_cfg, jitter_reorder), 0, 1, 0,
	  .meaning = "a packet may overtake the one before it" },
};

static const struct schema_key host_keys[] = {
	{ "address", SCHEMA_UINT, SCHEMA_PER_HOST, S(struct scn_host, addr), 0, UINT32_MAX,
	  0xC0000201, 0xC0000202, .read = read_address,       /* 192.0.2.1, .2: RFC 5737 */
	  .doc_default = "client `192.0.2.1`, server `192.0.2.2`", .doc_range = "IPv4 dotted quad",
	  .meaning = "the host's address (RFC 5737 documentation range)" },
	{ "port", SCHEMA_UINT, SCHEMA_PER_HOST, S(struct scn_host, port), 1, 65535,
	  49152, 8000,                          /* the first dynamic port, RFC 6335 */
	  .doc_default = "client `49152`, server `8000`",
	  .meaning = "the client's source port, the port the server listens on" },
	{ "profile", SCHEMA_CUSTOM, 0, .read = read_host_profile, .set_default = default_profile,
	  .doc_default = "the top level's, else `rfc`", .doc_range = "`rfc` or `linux`",
	  .meaning = "the TCP settings this host starts from" },
	{ "tcp", SCHEMA_CUSTOM, 0, .read = read_tcp,
	  .doc_default = "all defaults", .doc_range = "",
	  .meaning = "TCP settings of this host" },
	{ "app", SCHEMA_CUSTOM, REQ | SCHEMA_PER_HOST, S(struct scn_host, app.kind), 0, 0, APP_SCRIPT, APP_SINK,
	  .read = read_app, .doc_default = "**required**", .doc_range = "",
	  .meaning = "what the application does" },
	{ "read", SCHEMA_CUSTOM, 0, .read = read_read,
	  .doc_default = "read at once", .doc_range = "",
	  .meaning = "how fast the application reads" },
};

static const struct schema_key tcp_keys[] = {
	{ "mss", SCHEMA_UINT, 0, S(struct tcp_cfg, mss), MIN_MSS, 0, 0, .read = read_mss,
	  .doc_default = "MTU − 40 (1460 for MTU 1500)", .doc_range = "64 … MTU − 40",
	  .meaning = "the MSS announced in the SYN (RFC 9293 3.7.1)" },
	{ "send_buffer", SCHEMA_SIZE, 0, S(struct tcp_cfg, send_buffer), 1, MAX_BUFFER_BYTES, 131072,
	  .meaning = "bytes written but not yet acknowledged" },
	{ "receive_buffer", SCHEMA_SIZE, 0, S(struct tcp_cfg, receive_buffer), 1, MAX_BUFFER_BYTES,
	  131072, .meaning = "received bytes held for the application (RFC 9293 3.8.6)" },
	{ "window_scaling", SCHEMA_BOOL, 0, S(struct tcp_cfg, window_scaling), 0, 1, 1,
	  .meaning = "offer window scaling (RFC 7323 2)" },
	{ "timestamps", SCHEMA_BOOL, 0, S(struct tcp_cfg, timestamps), 0, 1, 0,
	  .meaning = "offer timestamps (RFC 7323 3)" },
	{ "timestamp_rate", SCHEMA_FREQ, 0, S(struct tcp_cfg, ts_rate_hz), 1, 1000, 1000,
	  .read = read_timestamp_rate,          /* RFC 7323 §5.4: 1 ms ticks */
	  .meaning = "the timestamp clock's rate (RFC 7323 5.4)" },
	{ "timestamp_initial", SCHEMA_UINT, 0, S(struct tcp_cfg, ts_initial), 0, UINT32_MAX, 0,
	  .meaning = "the timestamp clock at time 0 (RFC 7323 7.1)" },
	{ "initial_cwnd", SCHEMA_UINT, 0, S(struct tcp_cfg, initial_cwnd), 1, 1000, 10,
	  .meaning = "initial congestion window in segments (RFC 6928)" },
	{ "initial_rto", SCHEMA_TIME, 0, S(struct tcp_cfg, initial_rto_ns), 1, MAX_TCP_TIME_NS, SEC,
	  .meaning = "RTO before any RTT sample (RFC 6298 2.1)" },
	{ "min_rto", SCHEMA_TIME, 0, S(struct tcp_cfg, min_rto_ns), 1, MAX_TCP_TIME_NS, SEC,
	  .meaning = "lower bound on the RTO (RFC 6298 2.4)" },
	{ "max_rto", SCHEMA_TIME, 0, S(struct tcp_cfg, max_rto_ns), 1, MAX_TCP_TIME_NS, 60 * SEC,
	  .doc_range = "≥ `min_rto` … 3600s",
	  .meaning = "upper bound on the RTO (RFC 6298 2.5, 5.5)" },
	{ "max_retries", SCHEMA_UINT, 0, S(struct tcp_cfg, max_retries), 1, 100, 15,
	  .meaning = "retransmissions before abort (RFC 9293 3.8.3 R2)" },
	{ "syn_retries", SCHEMA_UINT, 0, S(struct tcp_cfg, syn_retries), 1, 100, 6,
	  .meaning = "SYN retransmissions before the open fails" },
	{ "msl", SCHEMA_TIME, 0, S(struct tcp_cfg, msl_ns), 0, MAX_TCP_TIME_NS, 30 * SEC,
	  .meaning = "maximum segment lifetime; TIME-WAIT is 2 MSL (RFC 9293 3.6)" },
	{ "iss", SCHEMA_CUSTOM, 0, .read = read_iss,
	  .doc_default = "drawn from `seed`", .doc_range = "0 … 4294967295",
	  .meaning = "initial send sequence number (RFC 9293 3.4.1)" },
	{ "congestion_control", SCHEMA_CUSTOM, 0, .read = read_cc, .set_default = default_cc,
	  .doc_default = "`newreno`", .doc_range = "",
	  .meaning = "newreno (RFC 6582), reno (RFC 5681) or cubic (RFC 9438)" },
	{ "limited_transmit", SCHEMA_BOOL, 0, S(struct tcp_cfg, limited_transmit), 0, 1, 1,
	  .meaning = "RFC 3042 limited transmit" },
	{ "byte_counting_limit", SCHEMA_UINT, 0, S(struct tcp_cfg, abc_limit), 1, 2, 1,
	  .meaning = "slow start's L in segments (RFC 5681 3.1, RFC 3465)" },
	{ "delayed_ack", SCHEMA_TIME, 0, S(struct tcp_cfg, delayed_ack_ns), 0, MAX_DELAYED_ACK_NS,
	  200 * MS, .read = read_delayed_ack,   /* RFC 1122 4.2.3.2, BSD's 200 ms */
	  .doc_range = "0 … less than 500ms",
	  .meaning = "delayed ACK (RFC 1122 4.2.3.2, RFC 5681 4.2)" },
	{ "delayed_ack_min", SCHEMA_TIME, 0, S(struct tcp_cfg, delayed_ack_min_ns), 0,
	  MAX_DELAYED_ACK_NS, 0, .read = read_delayed_ack_min,
	  .doc_default = "`0s` (the delay is fixed)", .doc_range = "0 … `delayed_ack`",
	  .meaning = "Linux's adaptive delayed ACK floor" },
	{ "quick_ack", SCHEMA_UINT, 0, S(struct tcp_cfg, quick_ack), 0, 1000, 0,
	  .meaning = "the first segments acknowledged at once (Linux)" },
	{ "nagle", SCHEMA_BOOL, 0, S(struct tcp_cfg, nagle), 0, 1, 1,
	  .meaning = "Nagle's algorithm (RFC 896, RFC 1122 4.2.3.4)" },
	{ "sack", SCHEMA_BOOL, 0, S(struct tcp_cfg, sack), 0, 1, 0,
	  .meaning = "offer SACK (RFC 2018, RFC 2883, RFC 6675)" },
	{ "recovery", SCHEMA_CUSTOM, 0, S(struct tcp_cfg, recovery), 0, 0, TCP_RECOVERY_PRR,
	  .read = read_recovery, .doc_default = "`prr`", .doc_range = "",
	  .meaning = "cwnd during SACK recovery (RFC 6937, RFC 6675 5)" },
	{ "hystart", SCHEMA_BOOL, 0, S(struct tcp_cfg, hystart), 0, 1, 0,
	  .meaning = "HyStart++ with cubic (RFC 9406)" },
	{ "ecn", SCHEMA_BOOL, 0, S(struct tcp_cfg, ecn), 0, 1, 0,
	  .meaning = "explicit congestion notification (RFC 3168)" },
	{ "rack", SCHEMA_BOOL, 0, S(struct tcp_cfg, rack), 0, 1, 0,
	  .meaning = "RACK loss detection (RFC 8985 6)" },
	{ "tlp", SCHEMA_BOOL, 0, S(struct tcp_cfg, tlp), 0, 1, 0,
	  .meaning = "tail loss probe (RFC 8985 7)" },
};

static const struct schema_key read_keys[] = {
	{ "bytes", SCHEMA_SIZE, REQ, S(struct app_cfg, read_bytes), 1, MAX_BUFFER_BYTES, 0,
	  .doc_default = "**required**",
	  .meaning = "the most one read takes" },
	{ "every", SCHEMA_TIME, REQ, S(struct app_cfg, read_every_ns), 1, MAX_TCP_TIME_NS, 0,
	  .doc_default = "**required**",
	  .meaning = "the shortest time between two reads" },
};

static const struct schema_key capture_keys[] = {
	{ "at", SCHEMA_CUSTOM, 0, S(struct scenario, capture), 0, 0, CAPTURE_CLIENT, .read = read_at,
	  .doc_default = "`client`", .doc_range = "`client`, `server`, `both` or `none`",
	  .meaning = "which hosts' packets are written" },
	{ "link_type", SCHEMA_CUSTOM, 0, S(struct scenario, linktype), 0, 0, LINKTYPE_ETHERNET,
	  .read = read_link_type, .doc_default = "`ethernet`", .doc_range = "`ethernet` or `raw`",
	  .meaning = "the framing of each packet" },
	{ "snaplen", SCHEMA_UINT, 0, S(struct scenario, snaplen), MIN_SNAPLEN, MAX_SNAPLEN, 0,
	  .doc_default = "whole frames",
	  .meaning = "bytes kept of each frame (tcpdump -s)" },
};

#undef D
#undef REQ

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAP(var, nm, section, rows, flags, first, chk) \
	static const char *var##_names[N(rows) + 1]; \
	const struct schema_map var = { nm, section, rows, N(rows), flags, var##_names, first, chk }

MAP(schema_top, "scenario", "Top level", top_keys, 0, false, NULL);
MAP(schema_link, "link", "link", link_keys, 0, true, check_link);
MAP(schema_direction, "a_to_b", NULL, link_keys, SCHEMA_DIRECTION, false, NULL);
MAP(schema_reorder, "reorder", "`reorder`", reorder_keys, 0, true, NULL);
MAP(schema_blackout, "blackout", "`blackout`", blackout_keys, 0, true, NULL);
MAP(schema_loss, "loss", "`loss`", loss_keys, 0, true, NULL);
MAP(schema_jitter, "jitter", "`jitter`", jitter_keys, 0, true, NULL);
MAP(schema_host, "client", "client and server", host_keys, 0, true, NULL);
MAP(schema_tcp, "tcp", "tcp", tcp_keys, 0, true, check_tcp);
MAP(schema_read_pacing, "read", "Reading slowly: `read`", read_keys, 0, true, NULL);
MAP(schema_capture, "capture", "capture", capture_keys, 0, true, NULL);

static const struct schema_map *const ALL[] = {
	&schema_top, &schema_link, &schema_direction, &schema_reorder, &schema_blackout,
	&schema_loss, &schema_jitter, &schema_host, &schema_tcp, &schema_read_pacing, &schema_capture,
};

const struct schema_map *const *schema_maps(size_t *n)
{
	*n = N(ALL);
	return ALL;
}

bool schema_has(const struct schema_map *map, const struct schema_key *k)
{
	return (k->flags & map->only) == map->only;
}

const char *const *schema_names(const struct schema_map *map)
{
	if (!map->names[0]) {
		size_t n = 0;

		for (size_t i = 0; i < map->nkeys; i++)
			if (schema_has(map, &map->keys[i]))
				map->names[n++] = map->keys[i].name;
		map->names[n] = NULL;
	}
	return map->names;
}

const struct schema_key *schema_key(const struct schema_map *map, const char *name)
{
	for (size_t i = 0; i < map->nkeys; i++)
		if (schema_has(map, &map->keys[i]) && strcmp(map->keys[i].name, name) == 0)
			return &map->keys[i];
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Reading a mapping by its rows */

/* Whether k must be in map (a direction overrides what the link said). */
static bool required(const struct schema_map *map, const struct schema_key *k)
{
	return (k->flags & SCHEMA_REQUIRED) && !(map->only & SCHEMA_DIRECTION);
}

static int read_row(struct scn_ctx *c, yaml_node_t *m, const struct schema_map *map,
		    const char *name, const struct schema_key *k, void *obj)
{
	yaml_node_t *v = scn_find(c, m, k->name);
	uint64_t n = 0;
	uint32_t ppb = 0;
	bool b = false;
	int rc;

	if (!v && required(map, k))
		return scn_fail(c, m, "missing key '%s' in '%s'", k->name, name);

	if (k->read) {
		if (!v && !(k->flags & SCHEMA_ALWAYS))
			return 0;
		return k->read(c, m, v, obj);
	}
	if (!v)
		return 0;
	switch (k->kind) {
	case SCHEMA_UINT:
		rc = scn_get_uint(c, m, k->name, &n, k->min, k->max);
		break;
	case SCHEMA_TIME:
		rc = scn_get_time(c, m, k->name, &n, k->min > 0, k->max);
		break;
	case SCHEMA_SIZE:
		rc = scn_get_buffer(c, m, k->name, &n);
		break;
	case SCHEMA_RATE:
		rc = scn_get_rate(c, m, &n);
		break;
	case SCHEMA_PERCENT:
		rc = scn_get_percent(c, m, k->name, &ppb);
		n = ppb;
		break;
	case SCHEMA_BOOL:
		rc = scn_get_bool(c, m, k->name, &b);
		n = b;
		break;
	default:
		return scn_fail(c, v, "%s: no reader", k->name);
	}
	if (rc == 0)
		store(obj, k, n);
	return rc;
}

int schema_read(struct scn_ctx *c, yaml_node_t *m, const struct schema_map *map, const char *where,
		void *obj, void *dir)
{
	const char *name = where ? where : map->name;
	size_t i;

	if (scn_check_keys(c, m, name, schema_names(map)))
		return -1;
	for (int pass = 0; pass < 2; pass++) {
		for (i = 0; i < map->nkeys && pass == 1 && map->required_first; i++) {
			const struct schema_key *k = &map->keys[i];

			if (schema_has(map, k) && required(map, k) && !scn_find(c, m, k->name))
				return scn_fail(c, m, "missing key '%s' in '%s'", k->name, name);
		}
		for (i = 0; i < map->nkeys; i++) {
			const struct schema_key *k = &map->keys[i];

			if (!schema_has(map, k) || ((k->flags & SCHEMA_FIRST) != 0) != (pass == 0))
				continue;
			if (read_row(c, m, map, name, k,
				     dir && (k->flags & SCHEMA_DIRECTION) ? dir : obj))
				return -1;
		}
	}
	return map->check ? map->check(c, m, obj) : 0;
}

void schema_defaults(const struct schema_map *map, void *obj, void *dir, bool server)
{
	for (size_t i = 0; i < map->nkeys; i++) {
		const struct schema_key *k = &map->keys[i];
		void *o = dir && (k->flags & SCHEMA_DIRECTION) ? dir : obj;

		if (!schema_has(map, k))
			continue;
		if (k->size)
			store(o, k, server && (k->flags & SCHEMA_PER_HOST) ? k->def_server : k->def);
		if (k->set_default)
			k->set_default(o);
	}
}

/* ------------------------------------------------------------------ */
/* What docs/scenarios.md shows */

/* "128KiB", "1GiB", or the bytes. */
static void fmt_size(char *buf, size_t len, uint64_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB" };
	size_t u = 0;

	while (u + 1 < N(units) && n && n % 1024 == 0) {
		n /= 1024;
		u++;
	}
	snprintf(buf, len, "%" PRIu64 "%s", n, units[u]);
}

void schema_doc_default(const struct schema_key *k, char *buf, size_t len)
{
	char t[48];

	if (k->doc_default) {
		snprintf(buf, len, "%s", k->doc_default);
		return;
	}
	switch (k->kind) {
	case SCHEMA_TIME:
		snprintf(buf, len, "`%s`", scn_fmt_time(t, sizeof t, k->def));
		break;
	case SCHEMA_SIZE:
		fmt_size(t, sizeof t, k->def);
		snprintf(buf, len, "`%s` (%" PRIu64 ")", t, k->def);
		break;
	case SCHEMA_PERCENT:
		snprintf(buf, len, "`%" PRIu64 "%%`", k->def / 10000000);
		break;
	case SCHEMA_BOOL:
		snprintf(buf, len, "`%s`", k->def ? "true" : "false");
		break;
	case SCHEMA_FREQ:
		snprintf(buf, len, "`%" PRIu64 "Hz`", k->def);
		break;
	default:
		snprintf(buf, len, "`%" PRIu64 "`", k->def);
		break;
	}
}

void schema_doc_range(const struct schema_key *k, char *buf, size_t len)
{
	char t[48];

	if (k->doc_range) {
		snprintf(buf, len, "%s", k->doc_range);
		return;
	}
	switch (k->kind) {
	case SCHEMA_TIME:
		if (k->max == UINT64_MAX)
			snprintf(buf, len, "%s", k->min ? "> 0" : "≥ 0");
		else
			snprintf(buf, len, "%s … %" PRIu64 "s", k->min ? "> 0" : "0",
				 k->max / NS_PER_SEC);
		break;
	case SCHEMA_SIZE:
		fmt_size(t, sizeof t, k->max);
		snprintf(buf, len, "%" PRIu64 "B … %s", k->min, t);
		break;
	case SCHEMA_RATE:
		snprintf(buf, len, "%" PRIu64 "bps … %" PRIu64 "Gbps", k->min, k->max / 1000000000);
		break;
	case SCHEMA_PERCENT:
		snprintf(buf, len, "0 … 100%%");
		break;
	case SCHEMA_BOOL:
		buf[0] = '\0';
		break;
	case SCHEMA_FREQ:
		snprintf(buf, len, "%" PRIu64 "Hz … %" PRIu64 "Hz", k->min, k->max);
		break;
	default:
		snprintf(buf, len, "%" PRIu64 " … %" PRIu64, k->min, k->max);
		break;
	}
}
