/*
 * rules: path rules keyed to TCP meaning (see rules.h for what each class
 * and action means).
 *
 * Called by link_judge (link.c) once per packet offered to a direction
 * that has rules: rules_judge -> classify (the packet's ordinal in every
 * class) -> the rules in order. rules_parse_yaml turns the scenario's
 * `rules:` list into struct rule; rule_format writes one back.
 *
 * The state is a counter per class, the direction's initial sequence
 * number and the end of the highest payload byte it carried (to tell new
 * data from old, modulo 2^32, RFC 9293 §3.4), and, for each data segment a
 * rule names with of_data_segment, the bytes that segment carried first and
 * how often they were carried again. Nothing grows with the transfer.
 */
#include "rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "engine.h"
#include "units.h"
#include "wire.h"

#define RULE_TEXT_LEN 96

static const char *const CLASS_NAMES[RC_COUNT] = {
	[RC_PACKET] = "packet",
	[RC_DATA_SEGMENT] = "data_segment",
	[RC_RETRANSMISSION] = "retransmission",
	[RC_SYN] = "syn",
	[RC_SYN_ACK] = "syn_ack",
	[RC_HANDSHAKE_ACK] = "handshake_ack",
	[RC_FIN] = "fin",
	[RC_PURE_ACK] = "pure_ack",
	[RC_ACK] = "ack",
};

static const char *const ACTION_NAMES[] = {
	[RULE_DROP] = "drop",
	[RULE_DELAY] = "delay",
	[RULE_DUPLICATE] = "duplicate",
};
#define NACTIONS (sizeof ACTION_NAMES / sizeof ACTION_NAMES[0])

const char *rule_class_name(enum rule_class c) { return CLASS_NAMES[c]; }
const char *rule_action_name(enum rule_action a) { return ACTION_NAMES[a]; }

/* A data segment a rule names with of_data_segment. */
struct watch {
	uint64_t seg;               /* its number among the data segments */
	bool known;                 /* [start, end) recorded, in the current sequence space */
	uint32_t start, end;        /* the bytes it carried first */
	uint64_t retx;              /* later packets that carried one of them */
	uint64_t now;               /* the packet being judged: its ordinal among those, or 0 */
};

struct rules {
	size_t n;
	struct rule rule[RULES_MAX];
	int watch_of[RULES_MAX];    /* the rule's watch, or -1 */
	uint64_t hits[RULES_MAX];
	char text[RULES_MAX][RULE_TEXT_LEN];
	struct watch watch[RULES_MAX];
	size_t nwatch;
	/* What this direction has carried. */
	uint64_t count[RC_COUNT];   /* packets counted in each class so far */
	bool have_isn;
	uint32_t isn;               /* the sequence number of its last new SYN */
	bool have_high;
	uint32_t high;              /* end of the highest payload byte (or ISN + 1) */
	bool want_hs_ack;           /* a SYN went out: the next ACK ends the handshake */
};

/* ---- checking and formatting ---- */

static bool takes_true(enum rule_class c)
{
	return c == RC_SYN || c == RC_SYN_ACK || c == RC_HANDSHAKE_ACK || c == RC_FIN;
}

const char *rule_check(const struct rule *r)
{
	if ((unsigned)r->action >= NACTIONS)
		return "no such action";
	if ((unsigned)r->what >= RC_COUNT)
		return "no such class of packet";
	if (r->first == 0 || r->last < r->first)
		return "empty range of ordinals";
	if (r->of_data_segment && r->what != RC_RETRANSMISSION)
		return "of_data_segment goes with retransmission";
	if (r->to_ns && r->to_ns <= r->from_ns)
		return "the time window ends before it begins";
	if ((r->action == RULE_DELAY) != (r->delay_ns > 0) || r->delay_ns > RULE_DELAY_MAX_NS)
		return "a delay rule delays by 1ns .. 3600s, others not at all";
	if ((r->action == RULE_DUPLICATE) != (r->times > 0) || r->times > RULE_TIMES_MAX)
		return "a duplicate rule makes 1 .. 100 copies, others none";
	return NULL;
}

/* A duration in the largest unit that says it exactly: 2s, 1500ms, 7ns. */
static void fmt_time(char *buf, size_t len, uint64_t ns)
{
	static const struct { uint64_t mult; const char *unit; } u[] = {
		{ NS_PER_S, "s" }, { NS_PER_MS, "ms" }, { NS_PER_US, "us" }, { 1, "ns" },
	};

	for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
		if (ns % u[i].mult == 0 || u[i].mult == 1) {
			snprintf(buf, len, "%llu%s", (unsigned long long)(ns / u[i].mult), u[i].unit);
			return;
		}
}

static void fmt_ordinal(char *buf, size_t len, uint64_t first, uint64_t last)
{
	if (first == 1 && last == RULE_ALL)
		snprintf(buf, len, "all");
	else if (last == RULE_ALL)
		snprintf(buf, len, "%llu..", (unsigned long long)first);
	else if (first == last)
		snprintf(buf, len, "%llu", (unsigned long long)first);
	else
		snprintf(buf, len, "%llu..%llu", (unsigned long long)first,
			 (unsigned long long)last);
}

size_t rule_format(const struct rule *r, char *buf, size_t len)
{
	char ord[48], a[32], b[32];
	char tail[128] = "";
	size_t t = 0;
	int n;

	fmt_ordinal(ord, sizeof ord, r->first, r->last);
	if (r->of_data_segment)
		t += (size_t)snprintf(tail + t, sizeof tail - t, ", of_data_segment: %llu",
				      (unsigned long long)r->of_data_segment);
	if (r->action == RULE_DELAY) {
		fmt_time(a, sizeof a, r->delay_ns);
		t += (size_t)snprintf(tail + t, sizeof tail - t, ", by: %s", a);
	}
	if (r->action == RULE_DUPLICATE)
		t += (size_t)snprintf(tail + t, sizeof tail - t, ", times: %u", r->times);
	if (r->from_ns) {
		fmt_time(a, sizeof a, r->from_ns);
		t += (size_t)snprintf(tail + t, sizeof tail - t, ", from: %s", a);
	}
	if (r->to_ns) {
		fmt_time(b, sizeof b, r->to_ns);
		snprintf(tail + t, sizeof tail - t, ", to: %s", b);
	}
	n = snprintf(buf, len, "%s: {%s: %s%s}", ACTION_NAMES[r->action], CLASS_NAMES[r->what],
		     ord, tail);
	return n < 0 ? 0 : (size_t)n;
}

/* ---- the list ---- */

struct rules *rules_new(const struct rule *r, size_t n)
{
	struct rules *rs = calloc(1, sizeof(*rs));

	if (!rs || n == 0 || n > RULES_MAX)
		abort();
	rs->n = n;
	for (size_t i = 0; i < n; i++) {
		if (rule_check(&r[i]) != NULL)
			abort();        /* the loader or the test built a rule it should have refused */
		rs->rule[i] = r[i];
		rule_format(&r[i], rs->text[i], sizeof rs->text[i]);
		rs->watch_of[i] = -1;
		if (r[i].of_data_segment == 0)
			continue;
		for (size_t w = 0; w < rs->nwatch; w++)
			if (rs->watch[w].seg == r[i].of_data_segment)
				rs->watch_of[i] = (int)w;
		if (rs->watch_of[i] < 0) {
			rs->watch[rs->nwatch].seg = r[i].of_data_segment;
			rs->watch_of[i] = (int)rs->nwatch++;
		}
	}
	return rs;
}

void rules_free(struct rules *rs)
{
	free(rs);
}

size_t rules_count(const struct rules *rs) { return rs->n; }
const struct rule *rules_rule(const struct rules *rs, size_t i) { return &rs->rule[i]; }
uint64_t rules_hits(const struct rules *rs, size_t i) { return rs->hits[i]; }
const char *rules_text(const struct rules *rs, size_t i) { return rs->text[i]; }

/* ---- classification ---- */

/* A SYN with a new initial sequence number: a new sequence space (RFC 9293 §3.4.1). */
static void new_space(struct rules *rs, uint32_t isn)
{
	rs->have_isn = true;
	rs->isn = isn;
	rs->have_high = true;
	rs->high = isn + 1;         /* the SYN occupies the ISN */
	for (size_t w = 0; w < rs->nwatch; w++)
		rs->watch[w].known = false;
}

/* The payload [seq, seq + len): old bytes, new bytes, or both. */
static void classify_payload(struct rules *rs, uint32_t seq, uint32_t len, uint64_t *ord)
{
	uint32_t end = seq + len;

	if (!rs->have_high) {       /* data before any SYN: all of it is new */
		rs->have_high = true;
		rs->high = seq;
	}
	if (seq_lt(seq, rs->high)) {
		ord[RC_RETRANSMISSION] = ++rs->count[RC_RETRANSMISSION];
		for (size_t i = 0; i < rs->nwatch; i++) {
			struct watch *w = &rs->watch[i];

			if (w->known && seq_lt(seq, w->end) && seq_gt(end, w->start))
				w->now = ++w->retx;
		}
	}
	if (seq_gt(end, rs->high)) {
		uint64_t k = ++rs->count[RC_DATA_SEGMENT];

		ord[RC_DATA_SEGMENT] = k;
		for (size_t i = 0; i < rs->nwatch; i++) {
			struct watch *w = &rs->watch[i];

			if (w->seg == k) {
				w->known = true;
				w->start = seq_max(seq, rs->high);
				w->end = end;
			}
		}
		rs->high = end;
	}
}

/* The packet's ordinal in each class it belongs to (0: not in it). */
static void classify(struct rules *rs, const struct tcp_seg *s, uint64_t *ord)
{
	bool syn = s->flags & TH_SYN, ack = s->flags & TH_ACK;
	bool fin = s->flags & TH_FIN, rst = s->flags & TH_RST;

	if (syn) {
		enum rule_class c = ack ? RC_SYN_ACK : RC_SYN;

		ord[c] = ++rs->count[c];
		if (!rs->have_isn || s->seq != rs->isn)
			new_space(rs, s->seq);
		if (!ack)
			rs->want_hs_ack = true;
	}
	if (ack)
		ord[RC_ACK] = ++rs->count[RC_ACK];
	/* RFC 9293 §3.5: the ACK of the peer's SYN completes the handshake. */
	if (rs->want_hs_ack && ack && !syn && !rst) {
		ord[RC_HANDSHAKE_ACK] = ++rs->count[RC_HANDSHAKE_ACK];
		rs->want_hs_ack = false;
	}
	if (rst)
		rs->want_hs_ack = false;
	if (fin)
		ord[RC_FIN] = ++rs->count[RC_FIN];
	if (ack && s->len == 0 && !syn && !fin && !rst)
		ord[RC_PURE_ACK] = ++rs->count[RC_PURE_ACK];
	/* A SYN's data would begin after the ISN it occupies. */
	if (s->len > 0)
		classify_payload(rs, s->seq + (syn ? 1 : 0), s->len, ord);
}

struct rule_verdict rules_judge(struct rules *rs, const uint8_t *pkt, size_t len,
				uint64_t number, uint64_t now_ns)
{
	struct rule_verdict v = { 0 };
	uint64_t ord[RC_COUNT] = { 0 };
	struct tcp_seg seg;

	for (size_t i = 0; i < rs->nwatch; i++)
		rs->watch[i].now = 0;
	ord[RC_PACKET] = number;
	if (wire_decode(pkt, len, &seg) == WIRE_OK)
		classify(rs, &seg, ord);
	for (size_t i = 0; i < rs->n; i++) {
		const struct rule *r = &rs->rule[i];
		uint64_t o = rs->watch_of[i] >= 0 ? rs->watch[rs->watch_of[i]].now : ord[r->what];

		if (o == 0 || o < r->first || o > r->last)
			continue;
		if (now_ns < r->from_ns || (r->to_ns && now_ns >= r->to_ns))
			continue;
		rs->hits[i]++;
		switch (r->action) {
		case RULE_DROP:
			v.drop_rule = (uint32_t)i + 1;
			return v;   /* gone: no later rule sees it */
		case RULE_DELAY:
			v.delay_ns += r->delay_ns;
			break;
		case RULE_DUPLICATE:
			v.copies += r->times;
			break;
		}
	}
	return v;
}

/* ---- YAML ---- */

struct pctx {
	yaml_document_t *doc;
	struct rules_error *err;
};

__attribute__((format(printf, 3, 4)))
static int perr(struct pctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	c->err->line = (uint32_t)n->start_mark.line + 1;
	c->err->col = (uint32_t)n->start_mark.column + 1;
	va_start(ap, fmt);
	vsnprintf(c->err->msg, sizeof c->err->msg, fmt, ap);
	va_end(ap);
	/* One line, whatever a quoted key in the file holds. */
	for (char *p = c->err->msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

static yaml_node_t *node_at(struct pctx *c, int i)
{
	return yaml_document_get_node(c->doc, i);
}

/* The text of a scalar, or NULL after reporting why it is not one. */
static const char *scalar(struct pctx *c, const yaml_node_t *v, const char *key)
{
	const char *s;

	if (v->type != YAML_SCALAR_NODE) {
		perr(c, v, "'%s' must be a scalar", key);
		return NULL;
	}
	s = (const char *)v->data.scalar.value;
	if (strlen(s) != v->data.scalar.length) {
		perr(c, v, "%s: a NUL character (\\0) is not allowed here", key);
		return NULL;
	}
	return s;
}

static bool is_true(const char *s)
{
	return strcmp(s, "true") == 0 || strcmp(s, "True") == 0 || strcmp(s, "TRUE") == 0;
}

/* A count of at least 1 from a decimal string: 0, or what is wrong with it. */
enum count_err { COUNT_OK, COUNT_ZERO, COUNT_BIG, COUNT_BAD };

static enum count_err parse_count(const char *s, uint64_t *out)
{
	const char *msg = parse_uint(s, out);

	if (msg)
		return units_too_large(msg) ? COUNT_BIG : COUNT_BAD;
	return *out == 0 ? COUNT_ZERO : COUNT_OK;
}

static int count_fail(struct pctx *c, const yaml_node_t *v, const char *key, const char *s,
		      enum count_err e, bool range)
{
	if (e == COUNT_ZERO)
		return perr(c, v, "%s: must be at least 1 (the first is 1)", key);
	if (e == COUNT_BIG)
		return perr(c, v, "%s: too large", key);
	if (range)
		return perr(c, v, "%s: '%s' is not a range such as 3..5 or 3..", key, s);
	return perr(c, v, "%s: expected a number (3), a range (3..5) or all, not '%s'", key, s);
}

/* 3, 3..5, 3.., all; and true, the first, for the classes that have "the" one. */
static int parse_ordinal(struct pctx *c, const yaml_node_t *v, enum rule_class what,
			 struct rule *r)
{
	const char *key = CLASS_NAMES[what], *s = scalar(c, v, key), *dots;
	enum count_err e;
	char head[32];

	if (!s)
		return -1;
	if (strcmp(s, "all") == 0) {
		r->first = 1;
		r->last = RULE_ALL;
		return 0;
	}
	if (is_true(s)) {
		if (!takes_true(what))
			return perr(c, v, "%s: true is for the one of a kind (syn, syn_ack, "
				    "handshake_ack, fin); say which: a number (3), a range (3..5) "
				    "or all", key);
		r->first = r->last = 1;
		return 0;
	}
	dots = strstr(s, "..");
	if (!dots) {
		if ((e = parse_count(s, &r->first)) != COUNT_OK)
			return count_fail(c, v, key, s, e, false);
		r->last = r->first;
		return 0;
	}
	if ((size_t)(dots - s) >= sizeof head)
		return count_fail(c, v, key, s, COUNT_BIG, true);
	memcpy(head, s, (size_t)(dots - s));
	head[dots - s] = '\0';
	if ((e = parse_count(head, &r->first)) != COUNT_OK)
		return count_fail(c, v, key, s, e, true);
	if (dots[2] == '\0') {
		r->last = RULE_ALL;
		return 0;
	}
	if ((e = parse_count(dots + 2, &r->last)) != COUNT_OK)
		return count_fail(c, v, key, s, e, true);
	if (r->last < r->first)
		return perr(c, v, "%s: the range %s is empty", key, s);
	return 0;
}

static int parse_time(struct pctx *c, const yaml_node_t *v, const char *key, uint64_t *out)
{
	const char *s = scalar(c, v, key), *msg;

	if (!s)
		return -1;
	if ((msg = parse_time_ns(s, out)) != NULL) {
		if (units_too_large(msg))
			return perr(c, v, "%s: must be at most 3600s", key);
		return perr(c, v, "%s: %s", key, msg);
	}
	if (*out > RULE_DELAY_MAX_NS)
		return perr(c, v, "%s: must be at most 3600s", key);
	return 0;
}

static int parse_uint_key(struct pctx *c, const yaml_node_t *v, const char *key,
			  uint64_t lo, uint64_t hi, uint64_t *out)
{
	const char *s = scalar(c, v, key), *msg;

	if (!s)
		return -1;
	if ((msg = parse_uint(s, out)) != NULL)
		return perr(c, v, "%s: %s", key, msg);
	if (*out < lo || *out > hi)
		return perr(c, v, "%s: must be between %llu and %llu", key,
			    (unsigned long long)lo, (unsigned long long)hi);
	return 0;
}

static int class_of(const char *key)
{
	for (int i = 0; i < RC_COUNT; i++)
		if (strcmp(key, CLASS_NAMES[i]) == 0)
			return i;
	return -1;
}

/* The mapping under one action: a class with its ordinal, and the settings. */
static int parse_body(struct pctx *c, const char *action, yaml_node_t *map, struct rule *r)
{
	const yaml_node_t *what_key = NULL, *by = NULL, *times = NULL, *of = NULL;
	const yaml_node_t *from = NULL, *to = NULL;
	yaml_node_pair_t *p;
	uint64_t u;

	if (map->type != YAML_MAPPING_NODE)
		return perr(c, map, "'%s' must be a mapping, e.g. %s: {data_segment: 3}", action,
			    action);
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node_at(c, p->key), *v = node_at(c, p->value);
		const yaml_node_t **slot = NULL;
		const char *name;
		int cls;

		if (k->type != YAML_SCALAR_NODE)
			return perr(c, k, "a key in '%s' must be a scalar", action);
		name = (const char *)k->data.scalar.value;
		if (strlen(name) != k->data.scalar.length)
			return perr(c, k, "a key in '%s' must not hold a NUL character (\\0)", action);
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++)
			if (strcmp((const char *)node_at(c, q->key)->data.scalar.value, name) == 0)
				return perr(c, k, "duplicate key '%s'", name);
		if ((cls = class_of(name)) >= 0) {
			if (what_key)
				return perr(c, k, "%s: one kind of packet per rule, not both '%s' "
					    "and '%s'", action,
					    (const char *)what_key->data.scalar.value, name);
			what_key = k;
			r->what = (enum rule_class)cls;
			if (parse_ordinal(c, v, r->what, r))
				return -1;
			continue;
		}
		if (strcmp(name, "by") == 0)
			slot = &by;
		else if (strcmp(name, "times") == 0)
			slot = &times;
		else if (strcmp(name, "of_data_segment") == 0)
			slot = &of;
		else if (strcmp(name, "from") == 0)
			slot = &from;
		else if (strcmp(name, "to") == 0)
			slot = &to;
		else
			return perr(c, k, "unknown key '%s' in '%s'", name, action);
		*slot = v;
		if ((slot == &by && r->action != RULE_DELAY) ||
		    (slot == &times && r->action != RULE_DUPLICATE))
			return perr(c, k, "'%s' is for %s rules only", name,
				    slot == &by ? "delay" : "duplicate");
	}
	if (!what_key)
		return perr(c, map, "%s: say which packets: packet, data_segment, retransmission, "
			    "syn, syn_ack, handshake_ack, fin, pure_ack or ack", action);
	if (of) {
		if (r->what != RC_RETRANSMISSION)
			return perr(c, of, "of_data_segment goes with retransmission, e.g. "
				    "{retransmission: 1, of_data_segment: 3}");
		if (parse_uint_key(c, of, "of_data_segment", 1, UINT64_MAX - 1, &r->of_data_segment))
			return -1;
	}
	if (r->action == RULE_DELAY) {
		if (!by)
			return perr(c, map, "delay: missing key 'by' (how long, e.g. by: 2s)");
		if (parse_time(c, by, "by", &r->delay_ns))
			return -1;
		if (r->delay_ns == 0)
			return perr(c, by, "by: must be greater than 0");
	}
	if (r->action == RULE_DUPLICATE) {
		r->times = 1;
		if (times) {
			if (parse_uint_key(c, times, "times", 1, RULE_TIMES_MAX, &u))
				return -1;
			r->times = (uint32_t)u;
		}
	}
	if ((from && parse_time(c, from, "from", &r->from_ns)) ||
	    (to && parse_time(c, to, "to", &r->to_ns)))
		return -1;
	if (to && r->to_ns <= r->from_ns)
		return perr(c, to, "to: must be later than from");
	return 0;
}

static int parse_one(struct pctx *c, yaml_node_t *item, struct rule *r)
{
	yaml_node_t *k, *v;
	const char *name;

	memset(r, 0, sizeof(*r));
	r->loc.line = (uint32_t)item->start_mark.line + 1;
	r->loc.col = (uint32_t)item->start_mark.column + 1;
	if (item->type != YAML_MAPPING_NODE ||
	    item->data.mapping.pairs.top - item->data.mapping.pairs.start != 1)
		return perr(c, item, "a rule is one action (drop, delay or duplicate) and what it "
			    "applies to, e.g. - drop: {data_segment: 3}");
	k = node_at(c, item->data.mapping.pairs.start->key);
	v = node_at(c, item->data.mapping.pairs.start->value);
	if (k->type != YAML_SCALAR_NODE)
		return perr(c, k, "a rule's action must be a scalar: drop, delay or duplicate");
	name = (const char *)k->data.scalar.value;
	for (size_t a = 0; a < NACTIONS; a++)
		if (strcmp(name, ACTION_NAMES[a]) == 0 && strlen(name) == k->data.scalar.length) {
			r->action = (enum rule_action)a;
			return parse_body(c, name, v, r);
		}
	return perr(c, k, "unknown action '%s' (expected drop, delay or duplicate)", name);
}

int rules_parse_yaml(struct yaml_document_s *doc, struct yaml_node_s *list,
		     struct rule **out, size_t *n, struct rules_error *err)
{
	struct pctx c = { .doc = doc, .err = err };
	struct rule *r;
	size_t count;

	*out = NULL;
	*n = 0;
	if (list->type != YAML_SEQUENCE_NODE)
		return perr(&c, list, "rules: must be a list, e.g. rules: [drop: {data_segment: 3}]");
	count = (size_t)(list->data.sequence.items.top - list->data.sequence.items.start);
	if (count == 0)
		return 0;
	if (count > RULES_MAX)
		return perr(&c, node_at(&c, list->data.sequence.items.start[RULES_MAX]),
			    "rules: at most %d rules in one direction", RULES_MAX);
	r = calloc(count, sizeof(*r));
	if (!r)
		return perr(&c, list, "out of memory");
	for (size_t i = 0; i < count; i++)
		if (parse_one(&c, node_at(&c, list->data.sequence.items.start[i]), &r[i])) {
			free(r);
			return -1;
		}
	*out = r;
	*n = count;
	return 0;
}
