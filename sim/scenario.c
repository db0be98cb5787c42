/*
 * scenario: reads a YAML scenario file and validates it into a struct
 * scenario with every default applied.
 *
 * Owns the scenario schema (which keys exist where, their types, ranges and
 * defaults) and its error messages; the number and unit syntax lives in
 * units.c. Called by main.c (scenario_load), by tests (scenario_defaults)
 * and by fuzzers (scenario_load_mem).
 *
 * A file goes through three passes:
 *
 *  1. read_file reads at most MAX_FILE_BYTES + 1 bytes, so a huge file, a
 *     device or a pipe that never ends is answered at once.
 *  2. check_events streams the text through libyaml's event API
 *     (yaml_parser_parse) and builds nothing. It stops at the first syntax
 *     error, at nesting deeper than MAX_DEPTH, at more than MAX_NODES nodes,
 *     MAX_ANCHORS anchors or MAX_ALIASES aliases, at a tag or at a second
 *     document, each at the mark where it happens. The limits exist because
 *     of costs that grow faster than the file: libyaml's scanner looks at
 *     every open flow level for each token (deep nesting is quadratic), its
 *     document loader compares every anchor with all earlier ones and looks
 *     each alias up in a list (anchors times aliases), and each node costs
 *     about a hundred bytes of memory.
 *  3. yaml_parser_load builds the document, which is then walked with a
 *     fixed schema: load_text -> parse_scenario -> parse_link / parse_host
 *     (-> parse_tcp, parse_app) / parse_capture / parse_expect. Each mapping
 *     is first checked for keys that are not scalars, are duplicated (found
 *     by sorting, not by comparing every pair) or are unknown, in file
 *     order; then its keys are read in an order that lets one depend on
 *     another (mtu before queue and mss, the link-wide values before the
 *     a_to_b / b_to_a overrides), whatever order the file writes them in.
 *     After check_keys a mapping holds at most its known keys, so looking a
 *     key up with find is a short scan; only expect: is open-ended, and it
 *     is read in one pass.
 *
 * Every pass is linear in the size of the file, given the limits; the
 * limits are documented in docs/scenarios.md ("Input limits").
 *
 * The first problem stops the load with one message
 * "FILE:LINE:COL: text". libyaml marks are 0-based; the messages are
 * 1-based, so editors can jump to them. Unknown keys point at the key,
 * bad values at the value, a missing key at the mapping that lacks it.
 *
 * YAML anchors and aliases are accepted: the document API resolves an alias
 * to the node it names, and since the schema has a fixed depth, even a
 * self-referencing alias cannot make the walk loop. The one place an alias
 * can multiply work is repeat:, whose unrolling stops at MAX_STEPS steps and
 * MAX_REPEAT_DEPTH levels, so an alias bomb (each anchor naming a list of
 * ten aliases of the one before) costs at most MAX_STEPS steps.
 */
#include <errno.h>
#include <float.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "cc.h"
#include "scenario.h"
#include "units.h"

#define NS_PER_SEC       UINT64_C(1000000000)
#define MAX_DELAY_NS     (3600 * NS_PER_SEC)   /* one-way delay, reorder delay */
#define MAX_TCP_TIME_NS  (3600 * NS_PER_SEC)   /* RTO bounds and MSL */
#define MAX_RATE_BPS     UINT64_C(10000000000000)     /* 10 Tbit/s */
#define MAX_BUFFER_BYTES (UINT64_C(1) << 30)   /* 1 GiB */
#define MAX_QUEUE_PACKETS 1000000
#define MIN_MTU          68     /* RFC 791: every host must accept 68-byte datagrams */
#define MAX_MTU          65535  /* the IPv4 total length field is 16 bits */
#define IP_TCP_HEADERS   40     /* IPv4 + TCP headers without options (RFC 879) */
#define MIN_MSS          64
#define MAX_DELAYED_ACK_NS (500 * UINT64_C(1000000))  /* RFC 1122 4.2.3.2: "less than 0.5 seconds" */
#define MAX_STEPS        100000 /* after repeat blocks are unrolled */
#define MAX_REPEAT_DEPTH 16     /* repeat blocks inside repeat blocks */
#define MIN_SNAPLEN      96     /* Ethernet + IPv4 + the longest TCP header: 14 + 20 + 60 */
#define MAX_SNAPLEN      262144

/* Input limits, far above what a scenario needs (docs/scenarios.md). */
#define MAX_FILE_BYTES   (UINT64_C(16) << 20)  /* 16 MiB */
#define MAX_DEPTH        64      /* lists and mappings inside each other */
#define MAX_NODES        1000000 /* scalars, lists and mappings */
#define MAX_ANCHORS      1000
#define MAX_ALIASES      10000

struct ctx {
	const char *path;
	const unsigned char *buf;    /* the text, for messages that quote it */
	size_t len;
	yaml_document_t *doc;
	const char *const *sets;     /* the --set arguments, "KEY.PATH=VALUE" */
	size_t nsets;
	char *err;
	size_t errlen;
};

/*
 * A node that a --set argument put into the document has no place in the
 * file: its start mark holds SET_MARK in index and the argument's number in
 * line, and a message about it names the argument instead of FILE:LINE:COL.
 */
#define SET_MARK SIZE_MAX

/* The line and column vfail_at takes for mark m (1-based, or a --set's). */
static size_t mark_line(const yaml_mark_t *m)
{
	return m->index == SET_MARK ? SET_MARK : m->line + 1;
}

static size_t mark_col(const yaml_mark_t *m)
{
	return m->index == SET_MARK ? m->line : m->column + 1;
}

/* ------------------------------------------------------------------ */
/* Errors */

static int vfail_at(struct ctx *c, size_t line, size_t col, const char *fmt, va_list ap)
{
	char *p;
	int n;

	if (!c->err || c->errlen == 0)
		return -1;
	if (line == SET_MARK)   /* col: the --set argument's number */
		n = snprintf(c->err, c->errlen, "--set %s: ", c->sets[col]);
	else
		n = snprintf(c->err, c->errlen, "%s:%zu:%zu: ", c->path, line, col);
	if (n >= 0 && (size_t)n < c->errlen)
		vsnprintf(c->err + n, c->errlen - (size_t)n, fmt, ap);
	/* One line, whatever a quoted key or value in the file holds. */
	for (p = c->err; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return -1;
}

__attribute__((format(printf, 4, 5)))
static int fail_at(struct ctx *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(c, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Reports a problem at node n; always returns -1. */
__attribute__((format(printf, 3, 4)))
static int fail(struct ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(c, mark_line(&n->start_mark), mark_col(&n->start_mark), fmt, ap);
	va_end(ap);
	return -1;
}

static int oom(struct ctx *c, const yaml_node_t *n)
{
	return fail(c, n, "out of memory");
}

static int fail_mark(struct ctx *c, const yaml_mark_t *m, const char *msg)
{
	return fail_at(c, mark_line(m), mark_col(m), "%s", msg);
}

__attribute__((format(printf, 3, 4)))
static int fail_mark_fmt(struct ctx *c, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail_at(c, mark_line(m), mark_col(m), fmt, ap);
	va_end(ap);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The source text behind a mark, for messages that show how to fix it */

static bool is_blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t';
}

/*
 * The byte offset of mark m in the text, or SIZE_MAX. libyaml counts a
 * mark's index in characters after the byte order mark; in UTF-8 each
 * character has one byte that is not a continuation byte (10xxxxxx). Text
 * that libyaml decoded from UTF-16 has no such offset.
 */
static size_t mark_offset(const struct ctx *c, const yaml_mark_t *m)
{
	size_t i = 0, chars = 0;

	if (c->len >= 2 && ((c->buf[0] == 0xFF && c->buf[1] == 0xFE) ||
			    (c->buf[0] == 0xFE && c->buf[1] == 0xFF)))
		return SIZE_MAX;
	if (c->len >= 3 && c->buf[0] == 0xEF && c->buf[1] == 0xBB && c->buf[2] == 0xBF)
		i = 3;
	for (; i < c->len; i++) {
		if ((c->buf[i] & 0xC0) == 0x80)
			continue;
		if (chars++ == m->index)
			return i;
	}
	return SIZE_MAX;
}

/* The byte at mark m, or 0. */
static unsigned char char_at(const struct ctx *c, const yaml_mark_t *m)
{
	size_t off = mark_offset(c, m);

	return off == SIZE_MAX ? 0 : c->buf[off];
}

/*
 * The value that starts at off runs to the end of its line or a comment,
 * and in a flow collection to the next ',', '}' or ']'.
 */
static size_t value_end(const struct ctx *c, size_t off, bool flow)
{
	const unsigned char *b = c->buf;
	size_t e = off;

	while (e < c->len && b[e] != '\n' && b[e] != '\r' &&
	       !(flow && (b[e] == ',' || b[e] == '}' || b[e] == ']')) &&
	       !(b[e] == '#' && e > off && is_blank(b[e - 1])))
		e++;
	while (e > off && is_blank(b[e - 1]))
		e--;
	return e;
}

/*
 * Fails at m with what, then how the line would read with the value at m
 * quoted: "...; quote it: client.retransmissions: ">= 1"". The key is what
 * stands before the value on its line, after the indentation, a "- " or the
 * last '{', '[' or ','.
 */
static int fail_quoted(struct ctx *c, const yaml_mark_t *m, const char *what)
{
	const unsigned char *b = c->buf;
	size_t off = mark_offset(c, m), ls, ks, ke, ve, i;
	bool flow = false;
	char q;

	if (off == SIZE_MAX)
		return fail_mark(c, m, what);
	for (ls = off; ls > 0 && b[ls - 1] != '\n' && b[ls - 1] != '\r'; ls--)
		;
	for (ks = i = ls; i < off; i++)
		if (b[i] == '{' || b[i] == '[' || b[i] == ',') {
			ks = i + 1;
			flow = true;
		}
	while (ks < off && (is_blank(b[ks]) || (b[ks] == '-' && is_blank(b[ks + 1]))))
		ks++;
	for (ke = off; ke > ks && is_blank(b[ke - 1]); ke--)
		;
	ve = value_end(c, off, flow);
	q = memchr(b + off, '"', ve - off) || memchr(b + off, '\\', ve - off) ? '\'' : '"';
	if (ke - ks > 80 || ve - off > 80)
		return fail_at(c, m->line + 1, m->column + 1, "%s; quote the value", what);
	return fail_at(c, m->line + 1, m->column + 1, "%s; quote it: %.*s%s%c%.*s%c", what,
		       (int)(ke - ks), (const char *)b + ks, ke > ks ? " " : "",
		       q, (int)(ve - off), (const char *)b + off, q);
}

/*
 * A block scalar with something after its '>' or '|' on the same line:
 * "client.retransmissions: >1" is YAML's folded scalar with indentation 1,
 * not a comparison.
 */
static bool block_header(const struct ctx *c, const yaml_node_t *v)
{
	size_t off, e;

	if (v->data.scalar.style != YAML_FOLDED_SCALAR_STYLE &&
	    v->data.scalar.style != YAML_LITERAL_SCALAR_STYLE)
		return false;
	off = mark_offset(c, &v->start_mark);
	if (off == SIZE_MAX || (c->buf[off] != '>' && c->buf[off] != '|'))
		return false;
	e = value_end(c, off, false);
	return e > off + 1;
}

/* ------------------------------------------------------------------ */
/* Nodes */

static yaml_node_t *node(struct ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

static const char *text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

static bool is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A "\0" escape in a quoted scalar: C strings would end there. */
static bool has_nul(const yaml_node_t *n)
{
	return memchr(n->data.scalar.value, '\0', n->data.scalar.length) != NULL;
}

/* An empty plain scalar is YAML's null, what "key:" with no value gives. */
static bool is_null(const yaml_node_t *n)
{
	return is_plain(n) && n->data.scalar.length == 0;
}

#define for_each_pair(p, map) \
	for ((p) = (map)->data.mapping.pairs.start; (p) < (map)->data.mapping.pairs.top; (p)++)

static size_t npairs(const yaml_node_t *map)
{
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

static size_t nitems(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

/* The value of key in map, or NULL. Keys were checked to be scalars. */
static yaml_node_t *find(struct ctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	for_each_pair(p, map) {
		yaml_node_t *k = node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && strcmp(text(k), key) == 0)
			return node(c, p->value);
	}
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Keys */

/*
 * Optimal string alignment distance (Levenshtein plus adjacent
 * transposition), enough to catch "dealy" for "delay".
 */
#define MAX_SUGGEST_LEN 32

static size_t edit_distance(const char *a, const char *b)
{
	size_t d[MAX_SUGGEST_LEN + 1][MAX_SUGGEST_LEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > MAX_SUGGEST_LEN || lb > MAX_SUGGEST_LEN)
		return SIZE_MAX;
	for (i = 0; i <= la; i++)
		d[i][0] = i;
	for (j = 0; j <= lb; j++)
		d[0][j] = j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t best = d[i - 1][j - 1] + cost;

			if (d[i - 1][j] + 1 < best)
				best = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < best)
				best = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    d[i - 2][j - 2] + 1 < best)
				best = d[i - 2][j - 2] + 1;
			d[i][j] = best;
		}
	}
	return d[la][lb];
}

/* The known word within two edits of word (and not all of it), or NULL. */
static const char *suggest(const char *word, const char *const *known)
{
	const char *best = NULL;
	size_t bestd = 3, len = strlen(word);

	if (len > MAX_SUGGEST_LEN)
		return NULL;
	for (; *known; known++) {
		size_t dist = edit_distance(word, *known);

		if (dist < bestd && dist < len) {
			best = *known;
			bestd = dist;
		}
	}
	return best;
}

static bool in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

static int unknown_key(struct ctx *c, const yaml_node_t *k, const char *where,
		       const char *const *known)
{
	const char *s = suggest(text(k), known);

	if (s)
		return fail(c, k, "unknown key '%s' in '%s' (did you mean '%s'?)",
			    text(k), where, s);
	return fail(c, k, "unknown key '%s' in '%s'", text(k), where);
}

/* A key and where it stands in its mapping, to find duplicates by sorting. */
struct key_pos {
	const yaml_node_t *key;
	size_t pos;
};

static int cmp_key_pos(const void *a, const void *b)
{
	const struct key_pos *x = a, *y = b;
	size_t lx = x->key->data.scalar.length, ly = y->key->data.scalar.length;
	int d = memcmp(text(x->key), text(y->key), lx < ly ? lx : ly);

	if (d == 0)
		d = (lx > ly) - (lx < ly);
	if (d == 0)
		d = (x->pos > y->pos) - (x->pos < y->pos);
	return d;
}

/*
 * dup[i] = the i-th key of map repeats an earlier scalar key. Sorting
 * (text, then position) puts each key's first appearance ahead of its
 * repeats: O(n log n), where comparing every pair is O(n^2) and a 200 000-key
 * expect: block would take hours.
 */
static int find_duplicates(struct ctx *c, yaml_node_t *map, bool *dup)
{
	size_t n = npairs(map), m = 0, i;
	struct key_pos *keys = malloc(n * sizeof(*keys));

	if (!keys)
		return oom(c, map);
	for (i = 0; i < n; i++) {
		const yaml_node_t *k = node(c, map->data.mapping.pairs.start[i].key);

		if (k->type == YAML_SCALAR_NODE)
			keys[m++] = (struct key_pos){ k, i };
	}
	qsort(keys, m, sizeof(*keys), cmp_key_pos);
	for (i = 1; i < m; i++)
		dup[keys[i].pos] = keys[i].key->data.scalar.length ==
					   keys[i - 1].key->data.scalar.length &&
				   memcmp(text(keys[i].key), text(keys[i - 1].key),
					  keys[i].key->data.scalar.length) == 0;
	free(keys);
	return 0;
}

/*
 * Checks, in file order, that every key of map is a scalar, appears once,
 * and (unless known is NULL) is one of known.
 */
static int check_keys(struct ctx *c, yaml_node_t *map, const char *where,
		      const char *const *known)
{
	size_t n = npairs(map), i;
	bool *dup;
	int rc = 0;

	if (n == 0)
		return 0;
	if (!(dup = calloc(n, sizeof(*dup))))
		return oom(c, map);
	if (find_duplicates(c, map, dup)) {
		free(dup);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		yaml_node_t *k = node(c, map->data.mapping.pairs.start[i].key);

		if (k->type != YAML_SCALAR_NODE)
			rc = fail(c, k, "a key in '%s' must be a scalar", where);
		else if (has_nul(k))
			rc = fail(c, k, "a key in '%s' must not hold a NUL character (\\0)", where);
		else if (dup[i])
			rc = fail(c, k, "duplicate key '%s'", text(k));
		else if (known && !in_list(text(k), known))
			rc = unknown_key(c, k, where, known);
	}
	free(dup);
	return rc;
}

/* The mapping under key in map, NULL if absent; *ok false after an error. */
static yaml_node_t *sub_mapping(struct ctx *c, yaml_node_t *map, const char *key,
				const char *const *known, bool *ok)
{
	yaml_node_t *v = find(c, map, key);

	*ok = true;
	if (!v)
		return NULL;
	if (v->type != YAML_MAPPING_NODE) {
		*ok = false;
		fail(c, v, "'%s' must be a mapping", key);
		return NULL;
	}
	if (check_keys(c, v, key, known)) {
		*ok = false;
		return NULL;
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* Values. Each get_* leaves *out alone when the key is absent. */

static const char *scalar(struct ctx *c, const char *key, const yaml_node_t *v)
{
	if (v->type != YAML_SCALAR_NODE) {
		fail(c, v, "'%s' must be a scalar", key);
		return NULL;
	}
	if (has_nul(v)) {
		fail(c, v, "%s: a NUL character (\\0) is not allowed here", key);
		return NULL;
	}
	return text(v);
}

/*
 * A units.c message, unless the value merely overflowed 64 bits and the
 * caller has a bound below that: then *n is set beyond the bound and the
 * caller's range check reports it, so "99999999999999999999s" and "3601s"
 * get the same message.
 */
static const char *over(const char *msg, uint64_t max, uint64_t *n)
{
	if (units_too_large(msg) && max < UINT64_MAX) {
		*n = UINT64_MAX;
		return NULL;
	}
	return msg;
}

static int get_uint(struct ctx *c, yaml_node_t *map, const char *key, uint64_t *out,
		    uint64_t lo, uint64_t hi)
{
	yaml_node_t *v = find(c, map, key);
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scalar(c, key, v)))
		return -1;
	if ((msg = over(parse_uint(s, &n), hi, &n)))
		return fail(c, v, "%s: %s", key, msg);
	if (n < lo || n > hi) {
		if (lo == 0)
			return fail(c, v, "%s: must be at most %" PRIu64, key, hi);
		return fail(c, v, "%s: must be between %" PRIu64 " and %" PRIu64,
			    key, lo, hi);
	}
	*out = n;
	return 0;
}

static int get_u32(struct ctx *c, yaml_node_t *map, const char *key, uint32_t *out,
		   uint32_t lo, uint32_t hi)
{
	uint64_t n = *out;

	if (get_uint(c, map, key, &n, lo, hi))
		return -1;
	*out = (uint32_t)n;
	return 0;
}

static int get_u16(struct ctx *c, yaml_node_t *map, const char *key, uint16_t *out,
		   uint16_t lo, uint16_t hi)
{
	uint64_t n = *out;

	if (get_uint(c, map, key, &n, lo, hi))
		return -1;
	*out = (uint16_t)n;
	return 0;
}

/* Times are whole seconds at their maximum, so the message can say "3600s". */
static int get_time(struct ctx *c, yaml_node_t *map, const char *key, uint64_t *out,
		    bool positive, uint64_t max_ns)
{
	yaml_node_t *v = find(c, map, key);
	const char *s, *msg;
	uint64_t ns;

	if (!v)
		return 0;
	if (!(s = scalar(c, key, v)))
		return -1;
	if ((msg = over(parse_time_ns(s, &ns), max_ns, &ns)))
		return fail(c, v, "%s: %s", key, msg);
	if (positive && ns == 0)
		return fail(c, v, "%s: must be greater than 0", key);
	if (ns > max_ns)
		return fail(c, v, "%s: must be at most %" PRIu64 "s", key, max_ns / NS_PER_SEC);
	*out = ns;
	return 0;
}

static int get_buffer(struct ctx *c, yaml_node_t *map, const char *key, uint64_t *out)
{
	yaml_node_t *v = find(c, map, key);
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scalar(c, key, v)))
		return -1;
	if ((msg = over(parse_size_bytes(s, &n), MAX_BUFFER_BYTES, &n)))
		return fail(c, v, "%s: %s", key, msg);
	if (n < 1 || n > MAX_BUFFER_BYTES)
		return fail(c, v, "%s: must be between 1 byte and 1GiB", key);
	*out = n;
	return 0;
}

static int get_rate(struct ctx *c, yaml_node_t *map, uint64_t *out)
{
	yaml_node_t *v = find(c, map, "rate");
	const char *s, *msg;
	uint64_t bps;

	if (!v)
		return 0;
	if (!(s = scalar(c, "rate", v)))
		return -1;
	if ((msg = over(parse_rate_bps(s, &bps), MAX_RATE_BPS, &bps)))
		return fail(c, v, "rate: %s", msg);
	if (bps == 0)
		return fail(c, v, "rate must be greater than 0");
	if (bps > MAX_RATE_BPS)
		return fail(c, v, "rate: must be at most 10000Gbps (10 Tbit/s)");
	*out = bps;
	return 0;
}

static int get_percent(struct ctx *c, yaml_node_t *map, const char *key, uint32_t *out)
{
	yaml_node_t *v = find(c, map, key);
	const char *s, *msg;

	if (!v)
		return 0;
	if (!(s = scalar(c, key, v)))
		return -1;
	if ((msg = parse_percent_ppb(s, out)))
		return fail(c, v, "%s: %s", key, msg);
	return 0;
}

/* YAML 1.2 core schema booleans; yes/no/on/off are not booleans there. */
static int parse_bool(const char *s, bool *out)
{
	if (!strcmp(s, "true") || !strcmp(s, "True") || !strcmp(s, "TRUE")) {
		*out = true;
		return 0;
	}
	if (!strcmp(s, "false") || !strcmp(s, "False") || !strcmp(s, "FALSE")) {
		*out = false;
		return 0;
	}
	return -1;
}

static int get_bool(struct ctx *c, yaml_node_t *map, const char *key, bool *out)
{
	yaml_node_t *v = find(c, map, key);
	const char *s;

	if (!v)
		return 0;
	if (!(s = scalar(c, key, v)))
		return -1;
	if (parse_bool(s, out))
		return fail(c, v, "%s: expected true or false", key);
	return 0;
}

static char *dup_bytes(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

/* ------------------------------------------------------------------ */
/* link */

static const char *const link_keys[] = {
	"rate", "delay", "mtu", "queue", "ecn_threshold", "loss", "drop", "reorder", "corrupt",
	"blackout", "a_to_b", "b_to_a", NULL
};
static const char *const dir_keys[] = {
	"rate", "delay", "queue", "ecn_threshold", "loss", "drop", "reorder", "corrupt", "blackout",
	NULL
};
static const char *const reorder_keys[] = { "probability", "delay", NULL };
static const char *const blackout_keys[] = { "start", "duration", NULL };

static int get_mtu(struct ctx *c, yaml_node_t *map, uint32_t *mtu)
{
	yaml_node_t *v = find(c, map, "mtu");
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scalar(c, "mtu", v)))
		return -1;
	if ((msg = over(parse_uint(s, &n), MAX_MTU, &n)))
		return fail(c, v, "mtu: %s", msg);
	if (n < MIN_MTU)
		return fail(c, v, "mtu: %" PRIu64 " is below 68, the smallest MTU IPv4 allows (RFC 791)", n);
	if (n > MAX_MTU)
		return fail(c, v, "mtu: %s is above 65535, the largest IPv4 packet", s);
	*mtu = (uint32_t)n;
	return 0;
}

/* A bare integer counts packets; a size with a unit counts bytes. */
static int get_queue(struct ctx *c, yaml_node_t *map, uint32_t mtu, struct link_cfg *d)
{
	yaml_node_t *v = find(c, map, "queue");
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scalar(c, "queue", v)))
		return -1;
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		if ((msg = over(parse_uint(s, &n), MAX_QUEUE_PACKETS, &n)))
			return fail(c, v, "queue: %s", msg);
		if (n < 1 || n > MAX_QUEUE_PACKETS)
			return fail(c, v, "queue: must be between 1 and %d packets",
				    MAX_QUEUE_PACKETS);
		d->queue_packets = (uint32_t)n;
		d->queue_bytes = 0;
		return 0;
	}
	if ((msg = over(parse_size_bytes(s, &n), MAX_BUFFER_BYTES, &n)))
		return fail(c, v, "queue: %s", msg);
	if (n < mtu)
		return fail(c, v, "queue: %" PRIu64 " bytes is less than the MTU (%" PRIu32
			    " bytes); the queue must hold at least one packet", n, mtu);
	if (n > MAX_BUFFER_BYTES)
		return fail(c, v, "queue: must be at most 1GiB");
	d->queue_packets = 0;
	d->queue_bytes = n;
	return 0;
}

/*
 * ecn_threshold: where the queue starts marking ECN-capable packets CE
 * (RFC 3168 §5), in packets (a bare number) or bytes (a size), as queue;
 * 0 turns marking off (a direction may undo the link's value).
 */
static int get_ecn_threshold(struct ctx *c, yaml_node_t *map, struct link_cfg *d)
{
	yaml_node_t *v = find(c, map, "ecn_threshold");
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scalar(c, "ecn_threshold", v)))
		return -1;
	if (*s && strspn(s, "0123456789") == strlen(s)) {
		if ((msg = over(parse_uint(s, &n), MAX_QUEUE_PACKETS, &n)))
			return fail(c, v, "ecn_threshold: %s", msg);
		if (n > MAX_QUEUE_PACKETS)
			return fail(c, v, "ecn_threshold: must be between 0 and %d packets",
				    MAX_QUEUE_PACKETS);
		d->ecn_threshold_packets = (uint32_t)n;
		d->ecn_threshold_bytes = 0;
		return 0;
	}
	if ((msg = over(parse_size_bytes(s, &n), MAX_BUFFER_BYTES, &n)))
		return fail(c, v, "ecn_threshold: %s", msg);
	if (n > MAX_BUFFER_BYTES)
		return fail(c, v, "ecn_threshold: must be at most 1GiB");
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
static int check_ecn_threshold(struct ctx *c, yaml_node_t *link, const char *dir,
			       const struct link_cfg *d)
{
	yaml_node_t *o = find(c, link, dir), *v = NULL;
	bool bytes = d->ecn_threshold_bytes > 0;
	uint64_t t = bytes ? d->ecn_threshold_bytes : d->ecn_threshold_packets;
	uint64_t q = bytes ? d->queue_bytes : d->queue_packets;

	if (t == 0 || q == 0 || t < q)
		return 0;
	if (o && o->type == YAML_MAPPING_NODE)
		v = find(c, o, "ecn_threshold");
	if (!v)
		v = find(c, link, "ecn_threshold");
	if (!v)
		v = o ? o : link;
	return fail(c, v, "ecn_threshold: %" PRIu64 " %s is not below the queue's %" PRIu64
		    " %s in '%s': the queue would drop before it marked", t,
		    bytes ? "bytes" : "packets", q, bytes ? "bytes" : "packets", dir);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

static int get_drop(struct ctx *c, yaml_node_t *map, struct link_cfg *d)
{
	yaml_node_t *v = find(c, map, "drop");
	yaml_node_item_t *it;
	uint64_t *list = NULL;
	size_t n, i;

	if (!v)
		return 0;
	if (v->type != YAML_SEQUENCE_NODE)
		return fail(c, v, "'drop' must be a sequence of packet numbers");
	n = nitems(v);
	if (n && !(list = calloc(n, sizeof(*list))))
		return oom(c, v);
	for (i = 0, it = v->data.sequence.items.start; i < n; i++, it++) {
		yaml_node_t *item = node(c, *it);
		const char *msg;

		if (item->type != YAML_SCALAR_NODE) {
			free(list);
			return fail(c, item, "'drop' must be a sequence of packet numbers");
		}
		if (!scalar(c, "drop", item)) {
			free(list);
			return -1;
		}
		if ((msg = parse_uint(text(item), &list[i]))) {
			free(list);
			return fail(c, item, "drop: %s", msg);
		}
		if (list[i] == 0) {
			free(list);
			return fail(c, item, "drop: packet numbers start at 1");
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
				parse_uint(text(node(c, *it)), &x);
				if (x != dup)
					continue;
				if (seen)
					return fail(c, node(c, *it),
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

static int get_reorder(struct ctx *c, yaml_node_t *map, struct link_cfg *d)
{
	yaml_node_t *v;
	bool ok;

	v = sub_mapping(c, map, "reorder", reorder_keys, &ok);
	if (!v)
		return ok ? 0 : -1;
	if (!find(c, v, "probability"))
		return fail(c, v, "missing key 'probability' in 'reorder'");
	if (!find(c, v, "delay"))
		return fail(c, v, "missing key 'delay' in 'reorder'");
	if (get_percent(c, v, "probability", &d->reorder_ppb) ||
	    get_time(c, v, "delay", &d->reorder_delay_ns, false, MAX_DELAY_NS))
		return -1;
	return 0;
}

/* blackout: {start: TIME, duration: TIME}: the path goes dark for a while. */
static int get_blackout(struct ctx *c, yaml_node_t *map, struct link_cfg *d)
{
	uint64_t start = 0, duration = 0;
	yaml_node_t *v;
	bool ok;

	v = sub_mapping(c, map, "blackout", blackout_keys, &ok);
	if (!v)
		return ok ? 0 : -1;
	if (!find(c, v, "start"))
		return fail(c, v, "missing key 'start' in 'blackout'");
	if (!find(c, v, "duration"))
		return fail(c, v, "missing key 'duration' in 'blackout'");
	if (get_time(c, v, "start", &start, false, MAX_DELAY_NS) ||
	    get_time(c, v, "duration", &duration, true, MAX_DELAY_NS))
		return -1;
	d->blackout_start_ns = start;
	d->blackout_end_ns = start + duration;
	return 0;
}

/* The keys one direction shares with the link level. */
static int parse_dir(struct ctx *c, yaml_node_t *map, uint32_t mtu, struct link_cfg *d)
{
	if (get_rate(c, map, &d->rate_bps) ||
	    get_time(c, map, "delay", &d->delay_ns, false, MAX_DELAY_NS) ||
	    get_queue(c, map, mtu, d) ||
	    get_ecn_threshold(c, map, d) ||
	    get_percent(c, map, "loss", &d->loss_ppb) ||
	    get_drop(c, map, d) ||
	    get_reorder(c, map, d) ||
	    get_percent(c, map, "corrupt", &d->corrupt_ppb) ||
	    get_blackout(c, map, d))
		return -1;
	return 0;
}

static int parse_override(struct ctx *c, yaml_node_t *link, const char *key,
			  uint32_t mtu, struct link_cfg *d)
{
	yaml_node_t *v = find(c, link, key);
	yaml_node_pair_t *p;

	if (!v)
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "'%s' must be a mapping", key);
	for_each_pair(p, v) {
		yaml_node_t *k = node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && strcmp(text(k), "mtu") == 0)
			return fail(c, k, "mtu applies to both directions; set it in 'link'");
	}
	if (check_keys(c, v, key, dir_keys))
		return -1;
	return parse_dir(c, v, mtu, d);
}

static int parse_link(struct ctx *c, yaml_node_t *map, struct scn_link *l)
{
	struct link_cfg *ab = &l->a_to_b, *ba = &l->b_to_a;

	if (check_keys(c, map, "link", link_keys) || get_mtu(c, map, &l->mtu))
		return -1;
	if (!find(c, map, "rate"))
		return fail(c, map, "missing key 'rate' in 'link'");
	if (!find(c, map, "delay"))
		return fail(c, map, "missing key 'delay' in 'link'");

	/* The link-level values apply to both directions ... */
	if (parse_dir(c, map, l->mtu, ab))
		return -1;
	free(ba->drop);
	*ba = *ab;
	ba->drop = NULL;
	if (ab->ndrop) {
		ba->drop = calloc(ab->ndrop, sizeof(*ba->drop));
		if (!ba->drop) {
			ba->ndrop = 0;
			return oom(c, map);
		}
		memcpy(ba->drop, ab->drop, ab->ndrop * sizeof(*ba->drop));
	}
	/* ... then each direction's own keys override them. */
	if (parse_override(c, map, "a_to_b", l->mtu, ab) ||
	    parse_override(c, map, "b_to_a", l->mtu, ba))
		return -1;
	if (check_ecn_threshold(c, map, "a_to_b", ab) || check_ecn_threshold(c, map, "b_to_a", ba))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* client and server */

static const char *const host_keys[] = {
	"address", "port", "profile", "tcp", "app", "read", NULL
};
static const char *const read_keys[] = { "bytes", "every", NULL };
static const char *const tcp_keys[] = {
	"mss", "send_buffer", "receive_buffer", "window_scaling", "timestamps",
	"timestamp_rate", "timestamp_initial",
	"initial_cwnd", "initial_rto", "min_rto", "max_rto", "max_retries",
	"syn_retries", "msl", "iss", "congestion_control", "limited_transmit",
	"byte_counting_limit", "delayed_ack", "delayed_ack_min", "quick_ack", "nagle", "sack",
	"recovery", "hystart", "ecn", "rack", "tlp", NULL
};
static const char *const step_names[] = {
	"connect", "send", "wait", "at", "close", "abort", "read", "repeat", "requests", NULL
};
static const char *const repeat_keys[] = { "times", "steps", NULL };
static const char *const requests_keys[] = { "count", "request", "response", "think", NULL };
static const char *const server_apps[] = { "sink", "echo", "none", NULL };
static const char *const echo_keys[] = { "read_buffer", "write", NULL };
static const char *const respond_keys[] = { "request", "response", "delay", NULL };

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

static int get_address(struct ctx *c, yaml_node_t *map, uint32_t *out)
{
	yaml_node_t *v = find(c, map, "address");
	const char *s;

	if (!v)
		return 0;
	if (!(s = scalar(c, "address", v)))
		return -1;
	if (parse_ipv4(s, out))
		return fail(c, v, "address: '%s' is not an IPv4 address such as 192.0.2.1", s);
	return 0;
}

/* A time in the largest unit that shows it exactly: "1500ms", "60s". */
static const char *fmt_time(char *buf, size_t len, uint64_t ns)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "s", NS_PER_SEC }, { "ms", 1000000 }, { "us", 1000 }, { "ns", 1 },
	};
	size_t i = 0;

	while (ns % units[i].ns != 0)
		i++;
	snprintf(buf, len, "%" PRIu64 "%s", ns / units[i].ns, units[i].unit);
	return buf;
}

/* "KEY: 'NAME' is not a, b or c" */
static int fail_not_one_of(struct ctx *c, const yaml_node_t *v, const char *key, const char *name,
			   const char *const *known, size_t n)
{
	char list[256] = "";
	size_t at = 0;

	for (size_t i = 0; i < n && at < sizeof(list); i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
				       i == 0 ? "" : i + 1 == n ? " or " : ", ", known[i]);
	return fail(c, v, "%s: '%s' is not %s", key, name, list);
}

/*
 * profile: NAME, at the top (both hosts) or in a host (that host): every
 * TCP setting from the profile, before the host's own tcp: keys.
 */
static int get_profile(struct ctx *c, yaml_node_t *map, struct scn_host *h, size_t nh)
{
	yaml_node_t *v = find(c, map, "profile");
	const struct tcp_profile *p;
	const char *name;

	if (!v)
		return 0;
	if (!(name = scalar(c, "profile", v)))
		return -1;
	if (!(p = tcp_profile_find(name))) {
		const char *known[8];
		size_t n = 0;

		while (n < tcp_profile_count() && n < 8) {
			known[n] = tcp_profile_at(n)->name;
			n++;
		}
		return fail_not_one_of(c, v, "profile", name, known, n);
	}
	for (size_t i = 0; i < nh; i++) {
		h[i].profile = p;
		p->apply(&h[i].tcp);
	}
	return 0;
}

static int parse_tcp(struct ctx *c, yaml_node_t *map, uint32_t mtu, struct tcp_cfg *t)
{
	yaml_node_t *v;
	const char *s, *msg;
	uint64_t n;

	/* RFC 9293 3.7.1: the MSS counts TCP payload, so at most MTU - 40. */
	if ((v = find(c, map, "mss"))) {
		if (!(s = scalar(c, "mss", v)))
			return -1;
		if ((msg = over(parse_uint(s, &n), mtu - IP_TCP_HEADERS, &n)))
			return fail(c, v, "mss: %s", msg);
		if (n < MIN_MSS)
			return fail(c, v, "mss: must be at least %d", MIN_MSS);
		if (n > mtu - IP_TCP_HEADERS)
			return fail(c, v, "mss %s is larger than the MTU allows"
				    " (MTU-40 = %" PRIu32 ")", s, mtu - IP_TCP_HEADERS);
		t->mss = (uint32_t)n;
	}
	if (get_buffer(c, map, "send_buffer", &t->send_buffer) ||
	    get_buffer(c, map, "receive_buffer", &t->receive_buffer) ||
	    get_bool(c, map, "window_scaling", &t->window_scaling) ||
	    get_bool(c, map, "timestamps", &t->timestamps) ||
	    get_u32(c, map, "initial_cwnd", &t->initial_cwnd, 1, 1000) ||
	    get_time(c, map, "initial_rto", &t->initial_rto_ns, true, MAX_TCP_TIME_NS) ||
	    get_time(c, map, "min_rto", &t->min_rto_ns, true, MAX_TCP_TIME_NS) ||
	    get_time(c, map, "max_rto", &t->max_rto_ns, true, MAX_TCP_TIME_NS) ||
	    get_u32(c, map, "max_retries", &t->max_retries, 1, 100) ||
	    get_u32(c, map, "syn_retries", &t->syn_retries, 1, 100) ||
	    get_time(c, map, "msl", &t->msl_ns, false, MAX_TCP_TIME_NS) ||
	    get_bool(c, map, "limited_transmit", &t->limited_transmit) ||
	    get_bool(c, map, "sack", &t->sack) ||
	    get_bool(c, map, "hystart", &t->hystart) ||
	    get_bool(c, map, "rack", &t->rack) ||
	    get_bool(c, map, "tlp", &t->tlp) ||
	    get_u32(c, map, "byte_counting_limit", &t->abc_limit, 1, 2) ||
	    get_u32(c, map, "quick_ack", &t->quick_ack, 0, 1000) ||
	    get_bool(c, map, "nagle", &t->nagle) ||
	    get_bool(c, map, "ecn", &t->ecn) ||
	    get_u32(c, map, "timestamp_initial", &t->ts_initial, 0, UINT32_MAX))
		return -1;
	if ((v = find(c, map, "timestamp_rate"))) {
		/* RFC 7323 §5.4: "between 1 ms and 1 sec per tick". */
		if (!(s = scalar(c, "timestamp_rate", v)))
			return -1;
		if ((msg = over(parse_freq_hz(s, &n), 1000, &n)))
			return fail(c, v, "timestamp_rate: %s", msg);
		if (n < 1 || n > 1000)
			return fail(c, v, "timestamp_rate: must be between 1Hz and 1000Hz"
				    " (1 ms to 1 s per tick, RFC 7323 5.4)");
		t->ts_rate_hz = (uint32_t)n;
	}
	if ((v = find(c, map, "delayed_ack"))) {
		/* RFC 1122 4.2.3.2: "the delay MUST be less than 0.5 seconds". */
		if (!(s = scalar(c, "delayed_ack", v)))
			return -1;
		if ((msg = over(parse_time_ns(s, &n), MAX_DELAYED_ACK_NS, &n)))
			return fail(c, v, "delayed_ack: %s", msg);
		if (n >= MAX_DELAYED_ACK_NS)
			return fail(c, v, "delayed_ack: must be less than 500ms (RFC 1122 4.2.3.2)");
		t->delayed_ack_ns = n;
	}
	if ((v = find(c, map, "delayed_ack_min"))) {
		/* Linux's adaptive delay: from this up to delayed_ack. */
		if (!(s = scalar(c, "delayed_ack_min", v)))
			return -1;
		if ((msg = over(parse_time_ns(s, &n), MAX_DELAYED_ACK_NS, &n)))
			return fail(c, v, "delayed_ack_min: %s", msg);
		if (n >= MAX_DELAYED_ACK_NS)
			return fail(c, v, "delayed_ack_min: must be less than 500ms (RFC 1122 4.2.3.2)");
		t->delayed_ack_min_ns = n;
	}
	if (t->delayed_ack_min_ns > t->delayed_ack_ns && !find(c, map, "delayed_ack_min")) {
		/* A profile's floor gives way to a delayed_ack written below it
		 * (0: delayed ACK off). */
		t->delayed_ack_min_ns = t->delayed_ack_ns;
	}
	if (t->delayed_ack_min_ns > t->delayed_ack_ns) {
		char lo[32], hi[32];

		v = find(c, map, "delayed_ack_min");
		return fail(c, v,
			    "delayed_ack_min %s is more than delayed_ack %s%s",
			    fmt_time(lo, sizeof lo, t->delayed_ack_min_ns),
			    fmt_time(hi, sizeof hi, t->delayed_ack_ns),
			    t->delayed_ack_ns == 0 ? " (delayed ACK is off)" : "");
	}
	if ((v = find(c, map, "congestion_control"))) {
		const char *name = scalar(c, "congestion_control", v);
		if (!name)
			return -1;
		if (!(t->cc = cc_find(name))) {
			const char *known[8];
			size_t k = 0;

			while (k < cc_count() && k < 8) {
				known[k] = cc_at(k)->name;
				k++;
			}
			return fail_not_one_of(c, v, "congestion_control", name, known, k);
		}
	}
	if ((v = find(c, map, "recovery"))) {
		/* The cwnd reduction of SACK loss recovery (RFC 6937, RFC 6675 §5). */
		static const enum tcp_recovery kinds[] = {
			TCP_RECOVERY_PRR, TCP_RECOVERY_PRR_CRB, TCP_RECOVERY_RFC6675,
		};
		const char *name = scalar(c, "recovery", v);
		size_t i;

		if (!name)
			return -1;
		for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
			if (strcmp(name, tcp_recovery_name(kinds[i])) == 0)
				break;
		if (i == sizeof(kinds) / sizeof(kinds[0]))
			return fail(c, v, "recovery: '%s' is not prr, prr-crb or rfc6675", name);
		t->recovery = kinds[i];
	}
	/* RFC 9406 is written for any slow start; here it is CUBIC's (RFC 9438 §4.10). */
	if (t->hystart && t->cc != &cc_cubic && !find(c, map, "hystart"))
		t->hystart = false;     /* a profile's HyStart goes with its CUBIC */
	if (t->hystart && t->cc != &cc_cubic)
		return fail(c, find(c, map, "hystart"),
			    "hystart: needs congestion_control: cubic (HyStart++ is part of CUBIC here)");
	/* RFC 8985 §6: RACK reads per-segment send times off the SACK
	 * scoreboard; §7: the tail loss probe's ACK is read by RACK. */
	if (t->rack && !t->sack && !find(c, map, "rack"))
		t->rack = false;        /* a profile's RACK goes with its SACK ... */
	if (t->tlp && !t->rack && !find(c, map, "tlp"))
		t->tlp = false;         /* ... and its TLP with its RACK */
	if (t->rack && !t->sack) {
		if (!(v = find(c, map, "rack")) && !(v = find(c, map, "sack")))
			v = map;
		return fail(c, v,
			    "rack: needs sack: true (RFC 8985 keeps its send times on the SACK scoreboard)");
	}
	if (t->tlp && !t->rack) {
		if (!(v = find(c, map, "tlp")) && !(v = find(c, map, "rack")))
			v = map;
		return fail(c, v,
			    "tlp: needs rack: true (RFC 8985 §7: RACK reads the probe's ACK)");
	}
	if (t->min_rto_ns > t->max_rto_ns) {
		char lo[32], hi[32];

		v = find(c, map, "max_rto");
		return fail(c, v ? v : find(c, map, "min_rto"),
			    "max_rto (%s) must not be smaller than min_rto (%s)",
			    fmt_time(hi, sizeof(hi), t->max_rto_ns),
			    fmt_time(lo, sizeof(lo), t->min_rto_ns));
	}
	if (find(c, map, "iss")) {
		if (get_u32(c, map, "iss", &t->iss, 0, UINT32_MAX))
			return -1;
		t->iss_set = true;
	}
	return 0;
}

static int parse_step(struct ctx *c, yaml_node_t *item, struct app_step *st)
{
	static const char unknown_hint[] =
		"use connect, send, wait, at, read, repeat, requests, close or abort";
	yaml_node_t *k, *v;
	const char *name, *s, *msg;
	uint64_t n;

	st->loc.line = (uint32_t)item->start_mark.line + 1;
	st->loc.col = (uint32_t)item->start_mark.column + 1;

	if (item->type == YAML_SCALAR_NODE) {
		if (!(name = scalar(c, "app", item)))
			return -1;
		if (!strcmp(name, "connect"))
			st->kind = STEP_CONNECT;
		else if (!strcmp(name, "close"))
			st->kind = STEP_CLOSE;
		else if (!strcmp(name, "abort"))
			st->kind = STEP_ABORT;
		else if (!strcmp(name, "send"))
			return fail(c, item, "send needs a byte count or quoted text, e.g. 'send: 10MB'");
		else if (!strcmp(name, "wait"))
			return fail(c, item, "wait needs a time, e.g. 'wait: 100ms'");
		else if (!strcmp(name, "at"))
			return fail(c, item, "at needs a time, e.g. 'at: 2s'");
		else if (!strcmp(name, "requests"))
			return fail(c, item, "requests needs {count, request, response}");
		else if (!strcmp(name, "read"))
			return fail(c, item, "read needs a byte count, e.g. 'read: 1KB'");
		else if (!strcmp(name, "repeat"))
			return fail(c, item, "repeat needs 'times' and 'steps'");
		else if ((s = suggest(name, step_names)))
			return fail(c, item, "unknown step '%s' (did you mean '%s'?)", name, s);
		else
			return fail(c, item, "unknown step '%s': %s", name, unknown_hint);
		return 0;
	}
	if (item->type != YAML_MAPPING_NODE || npairs(item) != 1)
		return fail(c, item, "a step is connect, send: BYTES, wait: TIME, at: TIME,"
			    " read: BYTES, repeat, requests, close or abort, each on its own '-' line");

	k = node(c, item->data.mapping.pairs.start->key);
	v = node(c, item->data.mapping.pairs.start->value);
	if (k->type != YAML_SCALAR_NODE)
		return fail(c, k, "a key in 'app' must be a scalar");
	if (has_nul(k))
		return fail(c, k, "a key in 'app' must not hold a NUL character (\\0)");
	name = text(k);

	if (!strcmp(name, "connect")) {
		st->kind = STEP_CONNECT;
		if (!(s = scalar(c, name, v)))
			return -1;
		if ((msg = over(parse_uint(s, &n), 65535, &n)))
			return fail(c, v, "connect: %s", msg);
		if (n < 1 || n > 65535)
			return fail(c, v, "connect: the port must be between 1 and 65535");
		st->port = (uint16_t)n;
		return 0;
	}
	if (!strcmp(name, "send")) {
		st->kind = STEP_SEND;
		if (v->type != YAML_SCALAR_NODE)
			return fail(c, v, "'send' must be a scalar");
		s = text(v);
		if (!is_plain(v)) {
			/* Quoted (or block) text is sent as it is, "\0" included. */
			if (v->data.scalar.length == 0)
				return fail(c, v, "send: the text is empty");
			st->text = dup_bytes(s, v->data.scalar.length);
			if (!st->text)
				return oom(c, v);
			st->text_len = v->data.scalar.length;
			return 0;
		}
		if (*s == '\0')
			return fail(c, v, "send needs a byte count or quoted text, e.g. 'send: 10MB'");
		if (!(*s >= '0' && *s <= '9') && *s != '-')
			return fail(c, v, "send: '%s' is not a byte count; quote literal text", s);
		if ((msg = parse_size_bytes(s, &n)))
			return fail(c, v, "send: %s", msg);
		if (n == 0)
			return fail(c, v, "send: must be greater than 0");
		st->bytes = n;
		return 0;
	}
	if (!strcmp(name, "read")) {
		st->kind = STEP_READ;
		if (!(s = scalar(c, name, v)))
			return -1;
		if ((msg = parse_size_bytes(s, &n)))
			return fail(c, v, "read: %s", msg);
		if (n == 0)
			return fail(c, v, "read: must be greater than 0");
		st->bytes = n;
		return 0;
	}
	if (!strcmp(name, "wait")) {
		st->kind = STEP_WAIT;
		if (!(s = scalar(c, name, v)))
			return -1;
		if ((msg = parse_time_ns(s, &st->wait_ns)))
			return fail(c, v, "wait: %s", msg);
		return 0;
	}
	if (!strcmp(name, "at")) {
		/* Wait until this virtual time (from the start of the run). */
		st->kind = STEP_AT;
		if (!(s = scalar(c, name, v)))
			return -1;
		if ((msg = parse_time_ns(s, &st->wait_ns)))
			return fail(c, v, "at: %s", msg);
		return 0;
	}
	if (!strcmp(name, "close") || !strcmp(name, "abort"))
		return fail(c, k, "%s takes no value", name);
	if ((s = suggest(name, step_names)))
		return fail(c, k, "unknown step '%s' (did you mean '%s'?)", name, s);
	return fail(c, k, "unknown step '%s': %s", name, unknown_hint);
}

/* Room for one more step at the end of app->steps. */
static struct app_step *add_step(struct ctx *c, yaml_node_t *at, struct app_cfg *app,
				 size_t *cap)
{
	if (app->nsteps == MAX_STEPS) {
		fail(c, at, "app: more than %d steps once repeat blocks are unrolled", MAX_STEPS);
		return NULL;
	}
	if (app->nsteps == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct app_step *ns = realloc(app->steps, ncap * sizeof(*ns));
		if (!ns) {
			oom(c, at);
			return NULL;
		}
		app->steps = ns;
		*cap = ncap;
	}
	memset(&app->steps[app->nsteps], 0, sizeof(app->steps[0]));
	return &app->steps[app->nsteps++];
}

static int parse_steps(struct ctx *c, yaml_node_t *seq, struct app_cfg *app, size_t *cap,
		       unsigned depth);

/*
 * - repeat: {times: N, steps: [...]} is unrolled here: its steps are
 * parsed once and copied N-1 more times, so the running app sees a flat list.
 */
static int parse_repeat(struct ctx *c, yaml_node_t *v, struct app_cfg *app, size_t *cap,
			unsigned depth)
{
	yaml_node_t *steps;
	uint64_t times = 0;
	size_t first = app->nsteps, len;

	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "repeat: expected {times: N, steps: [...]}");
	/* An alias can make a repeat hold itself: YAML allows the cycle. */
	if (depth >= MAX_REPEAT_DEPTH)
		return fail(c, v, "repeat: nested more than %d deep (does an alias"
			    " name a list that holds it?)", MAX_REPEAT_DEPTH);
	if (check_keys(c, v, "repeat", repeat_keys))
		return -1;
	if (!find(c, v, "times"))
		return fail(c, v, "missing key 'times' in 'repeat'");
	if (!(steps = find(c, v, "steps")))
		return fail(c, v, "missing key 'steps' in 'repeat'");
	if (get_uint(c, v, "times", &times, 1, MAX_STEPS))
		return -1;
	if (steps->type != YAML_SEQUENCE_NODE || nitems(steps) == 0)
		return fail(c, steps, "repeat: 'steps' must be a list of at least one step");
	if (parse_steps(c, steps, app, cap, depth + 1))
		return -1;
	len = app->nsteps - first;
	for (uint64_t t = 1; t < times; t++) {
		for (size_t i = 0; i < len; i++) {
			struct app_step *d = add_step(c, v, app, cap), *src;
			if (!d)
				return -1;
			src = &app->steps[first + i];
			*d = *src;
			/* The copies share the text: a large text repeated many
			 * times costs one allocation. */
			d->text_shared = src->text != NULL;
		}
	}
	return 0;
}

/*
 * - requests: {count: K, request: SIZE, response: SIZE, think: TIME} is
 * unrolled here: K times send the request, read the response, and (between
 * two requests) wait the think time. The send starts a request's latency
 * clock and the read's last byte stops it.
 */
static int parse_requests(struct ctx *c, yaml_node_t *v, struct app_cfg *app, size_t *cap)
{
	uint64_t count = 0, req = 0, resp = 0, think = 0;

	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "requests: expected {count: N, request: SIZE, response: SIZE}");
	if (check_keys(c, v, "requests", requests_keys))
		return -1;
	for (const char *const *k = requests_keys; *k && strcmp(*k, "think"); k++)
		if (!find(c, v, *k))
			return fail(c, v, "missing key '%s' in 'requests'", *k);
	if (get_uint(c, v, "count", &count, 1, MAX_STEPS) ||
	    get_buffer(c, v, "request", &req) || get_buffer(c, v, "response", &resp) ||
	    get_time(c, v, "think", &think, false, MAX_TCP_TIME_NS))
		return -1;
	for (uint64_t i = 0; i < count; i++) {
		struct app_step *st;
		if (!(st = add_step(c, v, app, cap)))
			return -1;
		st->kind = STEP_SEND;
		st->bytes = req;
		st->role = ROLE_REQUEST;
		st->loc.line = (uint32_t)v->start_mark.line + 1;
		st->loc.col = (uint32_t)v->start_mark.column + 1;
		if (!(st = add_step(c, v, app, cap)))
			return -1;
		st->kind = STEP_READ;
		st->bytes = resp;
		st->role = ROLE_RESPONSE;
		st->loc = app->steps[app->nsteps - 2].loc;
		if (think && i + 1 < count) {
			if (!(st = add_step(c, v, app, cap)))
				return -1;
			st->kind = STEP_WAIT;
			st->wait_ns = think;
			st->loc = app->steps[app->nsteps - 2].loc;
		}
	}
	return 0;
}

static int parse_steps(struct ctx *c, yaml_node_t *seq, struct app_cfg *app, size_t *cap,
		       unsigned depth)
{
	yaml_node_item_t *it;

	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *item = node(c, *it), *k;
		struct app_step *st;

		if (item->type == YAML_MAPPING_NODE && npairs(item) == 1 &&
		    (k = node(c, item->data.mapping.pairs.start->key))->type == YAML_SCALAR_NODE &&
		    !has_nul(k) && !strcmp(text(k), "repeat")) {
			if (parse_repeat(c, node(c, item->data.mapping.pairs.start->value), app, cap,
					 depth))
				return -1;
			continue;
		}
		if (item->type == YAML_MAPPING_NODE && npairs(item) == 1 &&
		    (k = node(c, item->data.mapping.pairs.start->key))->type == YAML_SCALAR_NODE &&
		    !has_nul(k) && !strcmp(text(k), "requests")) {
			if (parse_requests(c, node(c, item->data.mapping.pairs.start->value), app,
					   cap))
				return -1;
			continue;
		}
		if (!(st = add_step(c, item, app, cap)) || parse_step(c, item, st))
			return -1;
	}
	return 0;
}

/* app: {echo: {read_buffer: SIZE, write: read | whole_buffer}} */
static int parse_echo(struct ctx *c, yaml_node_t *v, struct app_cfg *app)
{
	yaml_node_t *w;
	const char *s;

	app->kind = APP_ECHO;
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "echo: expected {read_buffer: SIZE, write: read | whole_buffer}");
	if (check_keys(c, v, "echo", echo_keys))
		return -1;
	if (get_buffer(c, v, "read_buffer", &app->echo_buffer))
		return -1;
	if (app->echo_buffer > 65536)
		return fail(c, find(c, v, "read_buffer"), "read_buffer: must be at most 64KiB");
	if ((w = find(c, v, "write"))) {
		if (!(s = scalar(c, "write", w)))
			return -1;
		if (!strcmp(s, "whole_buffer"))
			app->echo_whole = true;
		else if (strcmp(s, "read"))
			return fail(c, w, "write: '%s' is not read or whole_buffer", s);
		if (app->echo_whole && !app->echo_buffer)
			return fail(c, w, "write: whole_buffer needs a read_buffer size");
	}
	return 0;
}

/* app: {respond: {request: SIZE, response: SIZE, delay: TIME}} */
static int parse_respond(struct ctx *c, yaml_node_t *v, struct app_cfg *app)
{
	app->kind = APP_RESPOND;
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "respond: expected {request: SIZE, response: SIZE, delay: TIME}");
	if (check_keys(c, v, "respond", respond_keys))
		return -1;
	if (!find(c, v, "request"))
		return fail(c, v, "missing key 'request' in 'respond'");
	if (!find(c, v, "response"))
		return fail(c, v, "missing key 'response' in 'respond'");
	return get_buffer(c, v, "request", &app->request_bytes) ||
	       get_buffer(c, v, "response", &app->response_bytes) ||
	       get_time(c, v, "delay", &app->respond_delay_ns, false, MAX_TCP_TIME_NS) ? -1 : 0;
}

static int parse_app(struct ctx *c, yaml_node_t *v, bool client, struct app_cfg *app)
{
	static const char client_msg[] = "the client's app must be a script starting with connect";
	size_t cap = 0, i;

	if (v->type == YAML_SCALAR_NODE && !client) {
		const char *s = scalar(c, "app", v), *hint;

		if (!s)
			return -1;
		if (!strcmp(s, "sink"))
			app->kind = APP_SINK;
		else if (!strcmp(s, "echo"))
			app->kind = APP_ECHO;
		else if (!strcmp(s, "none"))
			app->kind = APP_NONE;
		else if ((hint = suggest(s, server_apps)))
			return fail(c, v, "app: unknown app '%s' (did you mean '%s'?)", s, hint);
		else
			return fail(c, v, "app: '%s' is not sink, echo, none or a list of steps", s);
		return 0;
	}
	if (v->type == YAML_MAPPING_NODE && !client && npairs(v) == 1) {
		yaml_node_t *k = node(c, v->data.mapping.pairs.start->key);
		yaml_node_t *val = node(c, v->data.mapping.pairs.start->value);
		if (k->type == YAML_SCALAR_NODE && !has_nul(k) && !strcmp(text(k), "echo"))
			return parse_echo(c, val, app);
		if (k->type == YAML_SCALAR_NODE && !has_nul(k) && !strcmp(text(k), "respond"))
			return parse_respond(c, val, app);
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		if (client)
			return fail(c, v, "%s", client_msg);
		return fail(c, v, "'app' must be sink, echo, none, {echo: ...}, {respond: ...}"
			    " or a list of steps");
	}
	if (nitems(v) == 0)
		return client ? fail(c, v, "%s", client_msg) :
				fail(c, v, "app: a script needs at least one step");

	app->kind = APP_SCRIPT;
	if (parse_steps(c, v, app, &cap, 0))
		return -1;
	/* Checked on the unrolled list, at each step's own line. */
	for (i = 0; i < app->nsteps; i++) {
		const struct app_step *st = &app->steps[i];

		if (!client && i > 0 && st->kind == STEP_CONNECT)
			return fail_at(c, st->loc.line, st->loc.col,
				       "the server accepts, or connects as its first step"
				       " (a simultaneous open); not later");
		if (client && i == 0 && st->kind != STEP_CONNECT)
			return fail_at(c, st->loc.line, st->loc.col, "%s", client_msg);
		if (client && i > 0 && st->kind == STEP_CONNECT) {
			bool copy = st->loc.line == app->steps[0].loc.line &&
				    st->loc.col == app->steps[0].loc.col;
			return fail_at(c, st->loc.line, st->loc.col, copy ?
				       "app: a connect inside repeat would run more than once;"
				       " put it before the repeat" :
				       "app: the client connects once; remove this second connect");
		}
	}
	return 0;
}

/* read: {bytes: SIZE, every: TIME}: an application that reads slowly. */
static int parse_read(struct ctx *c, yaml_node_t *map, struct app_cfg *app)
{
	yaml_node_t *v = find(c, map, "read");

	if (!v)
		return 0;
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "read: expected {bytes: SIZE, every: TIME}");
	if (check_keys(c, v, "read", read_keys))
		return -1;
	if (!find(c, v, "bytes"))
		return fail(c, v, "missing key 'bytes' in 'read'");
	if (!find(c, v, "every"))
		return fail(c, v, "missing key 'every' in 'read'");
	return get_buffer(c, v, "bytes", &app->read_bytes) ||
	       get_time(c, v, "every", &app->read_every_ns, true, MAX_TCP_TIME_NS) ? -1 : 0;
}

static int parse_host(struct ctx *c, yaml_node_t *root, const char *who, uint32_t mtu,
		      struct scn_host *h)
{
	yaml_node_t *map = find(c, root, who), *tcp, *app;
	bool client = !strcmp(who, "client"), ok;

	if (!map)
		return fail(c, root, "missing key '%s' in 'scenario'", who);
	if (map->type != YAML_MAPPING_NODE)
		return fail(c, map, "'%s' must be a mapping", who);
	if (check_keys(c, map, who, host_keys))
		return -1;
	if (!(app = find(c, map, "app")))
		return fail(c, map, "missing key 'app' in '%s'", who);
	if (get_address(c, map, &h->addr) ||
	    get_u16(c, map, "port", &h->port, 1, 65535))
		return -1;
	if (get_profile(c, map, h, 1))
		return -1;
	tcp = sub_mapping(c, map, "tcp", tcp_keys, &ok);
	if (!ok || (tcp && parse_tcp(c, tcp, mtu, &h->tcp)))
		return -1;
	if (parse_app(c, app, client, &h->app))
		return -1;
	return parse_read(c, map, &h->app);
}

/* ------------------------------------------------------------------ */
/* capture */

static const char *const capture_keys[] = { "at", "link_type", "snaplen", NULL };

static int capture_point(struct ctx *c, const char *key, yaml_node_t *v,
			 enum capture_point *out)
{
	const char *s = scalar(c, key, v);

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
		return fail(c, v, "%s: '%s' is not client, server, both or none", key, s);
	return 0;
}

static int parse_capture(struct ctx *c, yaml_node_t *v, struct scenario *s)
{
	const char *lt;
	yaml_node_t *x;

	if (v->type == YAML_SCALAR_NODE)
		return capture_point(c, "capture", v, &s->capture);
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "'capture' must be client, server, both, none or a mapping");
	if (check_keys(c, v, "capture", capture_keys))
		return -1;
	if ((x = find(c, v, "at")) && capture_point(c, "at", x, &s->capture))
		return -1;
	if ((x = find(c, v, "link_type"))) {
		if (!(lt = scalar(c, "link_type", x)))
			return -1;
		if (!strcmp(lt, "ethernet"))
			s->linktype = LINKTYPE_ETHERNET;
		else if (!strcmp(lt, "raw"))
			s->linktype = LINKTYPE_RAW_IP;
		else
			return fail(c, x, "link_type: '%s' is not ethernet or raw", lt);
	}
	/* tcpdump -s: keep only the first bytes of each frame (the headers). */
	return get_u32(c, v, "snaplen", &s->snaplen, MIN_SNAPLEN, MAX_SNAPLEN);
}

/* ------------------------------------------------------------------ */
/* expect */

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

enum number { NUMBER_OK, NOT_A_NUMBER, NUMBER_TOO_LARGE };

/*
 * [-]DIGITS[.DIGITS][B|KB|MB|GB|KiB|MiB|GiB] as a double. The digits are
 * gathered into an integer and divided by a power of ten once at the end,
 * so every value a person would write ("0.1", "1.5MB") comes out as the
 * nearest double. No exponents: "1e5" is a string. More than about 308
 * digits overflow a double (IEEE 754 binary64), and are refused rather than
 * compared as infinity.
 */
static enum number parse_number(const char *s, double *out)
{
	static const struct { const char *suffix; double mult; } sfx[] = {
		{ "", 1 }, { "B", 1 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 },
		{ "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
	};
	double m = 0, div = 1, mult = -1;
	bool neg = false;
	size_t i;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!is_digit(*s))
		return NOT_A_NUMBER;
	while (is_digit(*s))
		m = m * 10 + (*s++ - '0');
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return NOT_A_NUMBER;
		while (is_digit(*s)) {
			m = m * 10 + (*s++ - '0');
			div *= 10;
		}
	}
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!strcmp(s, sfx[i].suffix))
			mult = sfx[i].mult;
	if (mult < 0)
		return NOT_A_NUMBER;
	if (m * mult > DBL_MAX)
		return NUMBER_TOO_LARGE;
	*out = (neg ? -1 : 1) * (m * mult) / div;
	return NUMBER_OK;
}

/* A value without an operator: true/false, a number, or else a string. */
static int expect_operand(struct ctx *c, const char *key, yaml_node_t *v, const char *s,
			  bool literal, struct scn_expect *e)
{
	if (!literal && !parse_bool(s, &e->boolean)) {
		e->type = EXPECT_BOOL;
		return 0;
	}
	if (!literal) {
		switch (parse_number(s, &e->number)) {
		case NUMBER_OK:
			e->type = EXPECT_NUMBER;
			return 0;
		case NUMBER_TOO_LARGE:
			return fail(c, v, "%s: the number is too large", key);
		case NOT_A_NUMBER:
			break;
		}
	}
	e->type = EXPECT_STRING;
	e->string = strdup(s);
	return e->string ? 0 : oom(c, v);
}

static int parse_expect_value(struct ctx *c, const char *key, yaml_node_t *v,
			      struct scn_expect *e)
{
	static const struct { const char *tok; enum expect_op op; } ops[] = {
		{ "==", EXPECT_EQ }, { "!=", EXPECT_NE }, { "<=", EXPECT_LE },
		{ ">=", EXPECT_GE }, { "<", EXPECT_LT }, { ">", EXPECT_GT },
	};
	const char *s, *rest = NULL;
	size_t i;

	if (!(s = scalar(c, key, v)))
		return -1;
	e->op = EXPECT_EQ;
	if (block_header(c, v))
		return fail_quoted(c, &v->start_mark, v->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ?
				   "YAML reads '|' here as the start of a literal block scalar" :
				   "YAML reads '>' here as the start of a folded block scalar");
	if (*s == '\0')
		return fail(c, v, "%s: needs a value to compare with", key);
	if (!strchr("<>=!", s[0]))
		return expect_operand(c, key, v, s, !is_plain(v), e);

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t len = strlen(ops[i].tok);

		if (!strncmp(s, ops[i].tok, len)) {
			e->op = ops[i].op;
			rest = s + len;
			break;
		}
	}
	if (rest)
		rest += strspn(rest, " \t");
	if (!rest || *rest == '\0' || strchr("<>=!", *rest))
		return fail(c, v, "bad comparison '%s': use ==, !=, <, <=, > or >=", s);
	if (expect_operand(c, key, v, rest, false, e))
		return -1;
	if (e->op != EXPECT_EQ && e->op != EXPECT_NE && e->type != EXPECT_NUMBER)
		return fail(c, v, "bad comparison '%s': <, <=, > and >= need a number", s);
	return 0;
}

static int parse_expect(struct ctx *c, yaml_node_t *v, struct scenario *s)
{
	yaml_node_pair_t *p;
	size_t n;

	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "'expect' must be a mapping");
	if (check_keys(c, v, "expect", NULL))
		return -1;
	n = npairs(v);
	if (n == 0)
		return 0;
	s->expect = calloc(n, sizeof(*s->expect));
	if (!s->expect)
		return oom(c, v);
	for_each_pair(p, v) {
		yaml_node_t *k = node(c, p->key), *val = node(c, p->value);
		struct scn_expect *e = &s->expect[s->nexpect++];

		/* A --set may have replaced the file's value, or added the pair. */
		if (val->start_mark.index == SET_MARK) {
			e->set = c->sets[val->start_mark.line];
		} else {
			e->loc.line = (uint32_t)k->start_mark.line + 1;
			e->loc.col = (uint32_t)k->start_mark.column + 1;
		}
		if (!(e->key = strdup(text(k))))
			return oom(c, k);
		if (parse_expect_value(c, e->key, val, e))
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The top level */

static const char *const top_keys[] = {
	"name", "description", "seed", "duration", "profile", "link", "client", "server",
	"capture", "expect", NULL
};

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
	return dup_bytes(base, len);
}

static int parse_names(struct ctx *c, yaml_node_t *root, struct scenario *s)
{
	yaml_node_t *v;
	const char *str;
	char *name;

	if ((v = find(c, root, "name"))) {
		if (!(str = scalar(c, "name", v)))
			return -1;
		if (!valid_name(str))
			return fail(c, v, "name: '%s' may only contain letters, digits, '.', '_' and '-'",
				    str);
		name = strdup(str);
	} else {
		name = name_from_path(c->path);
		if (name && !valid_name(name)) {
			fail_at(c, 1, 1, "the scenario is named after its file, but '%s' may"
				" only contain letters, digits, '.', '_' and '-'; set 'name'", name);
			free(name);
			return -1;
		}
	}
	if (!name)
		return oom(c, root);
	free(s->name);
	s->name = name;

	if ((v = find(c, root, "description"))) {
		if (!(str = scalar(c, "description", v)))
			return -1;
		if (!is_null(v) && !(s->description = strdup(str)))
			return oom(c, v);
	}
	return 0;
}

static int parse_scenario(struct ctx *c, yaml_node_t *root, struct scenario *s)
{
	yaml_node_t *v, *cl, *sv;

	if (check_keys(c, root, "scenario", top_keys) || parse_names(c, root, s) ||
	    get_uint(c, root, "seed", &s->seed, 0, UINT64_MAX) ||
	    get_time(c, root, "duration", &s->duration_ns, true, UINT64_MAX))
		return -1;

	if (!(v = find(c, root, "link")))
		return fail(c, root, "missing key 'link' in 'scenario'");
	if (v->type != YAML_MAPPING_NODE)
		return fail(c, v, "'link' must be a mapping");
	if (parse_link(c, v, &s->link))
		return -1;

	struct scn_host both[2];

	both[0] = s->client;
	both[1] = s->server;
	if (get_profile(c, root, both, 2))
		return -1;
	s->client = both[0];
	s->server = both[1];
	if (parse_host(c, root, "client", s->link.mtu, &s->client) ||
	    parse_host(c, root, "server", s->link.mtu, &s->server))
		return -1;
	if (s->client.addr == s->server.addr) {
		cl = find(c, root, "client");
		sv = find(c, root, "server");
		v = find(c, sv, "address");
		if (!v)
			v = find(c, cl, "address");
		return fail(c, v ? v : sv, "address: the client and the server need different"
			    " addresses");
	}

	if ((v = find(c, root, "capture")) && parse_capture(c, v, s))
		return -1;
	if ((v = find(c, root, "expect")) && parse_expect(c, v, s))
		return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Files and libyaml */

static int too_large(struct ctx *c, uint64_t size, bool exact)
{
	return fail_at(c, 1, 1, "file too large: %s%" PRIu64 " bytes; a scenario may be at most"
		       " %" PRIu64 " bytes (16 MiB)", exact ? "" : "more than ", size,
		       MAX_FILE_BYTES);
}

/*
 * Reads the whole file, or fails once it is known to hold more than
 * MAX_FILE_BYTES: at once from the size of a regular file, else after
 * MAX_FILE_BYTES + 1 bytes (a pipe, /dev/zero).
 */
static int read_file(struct ctx *c, unsigned char **out, size_t *outlen)
{
	unsigned char *buf = NULL, *nb;
	size_t len = 0, cap = 4096, n;
	struct stat st;
	FILE *f;
	int e;

	if (!(f = fopen(c->path, "rb")))
		return fail_at(c, 1, 1, "cannot read file: %s", strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode)) {
		if ((uint64_t)st.st_size > MAX_FILE_BYTES) {
			fclose(f);
			return too_large(c, (uint64_t)st.st_size, true);
		}
		cap = (size_t)st.st_size + 1;   /* + 1 to see the end at once */
	}
	for (;;) {
		size_t want;

		if (len == cap || !buf) {
			if (buf)
				cap = cap * 2 > MAX_FILE_BYTES + 1 ? MAX_FILE_BYTES + 1 : cap * 2;
			if (!(nb = realloc(buf, cap))) {
				free(buf);
				fclose(f);
				return fail_at(c, 1, 1, "out of memory");
			}
			buf = nb;
		}
		want = cap - len;
		errno = 0;
		n = fread(buf + len, 1, want, f);
		len += n;
		if (len > MAX_FILE_BYTES) {
			free(buf);
			fclose(f);
			return too_large(c, MAX_FILE_BYTES, false);
		}
		if (n < want) {
			if (ferror(f)) {
				e = errno ? errno : EIO;
				free(buf);
				fclose(f);
				return fail_at(c, 1, 1, "cannot read file: %s", strerror(e));
			}
			break;
		}
	}
	fclose(f);
	*out = buf;
	*outlen = len;
	return 0;
}

/*
 * libyaml's reader (bad UTF-8, control characters) reports a byte offset
 * instead of a mark; turn it into a line and a column of characters, as the
 * scanner's marks count them (after a byte order mark; CR LF, CR and LF
 * each end a line).
 */
static int reader_error(struct ctx *c, const yaml_parser_t *p)
{
	const unsigned char *buf = c->buf;
	size_t line = 1, col = 1, i = 0;
	size_t end = p->problem_offset < c->len ? p->problem_offset : c->len;

	/* A bad byte inside a UTF-8 sequence: point at the sequence. */
	if (p->problem && !strcmp(p->problem, "invalid trailing UTF-8 octet")) {
		while (end > 0 && (buf[end - 1] & 0xC0) == 0x80)
			end--;
		if (end > 0)
			end--;
	}
	if (c->len >= 3 && buf[0] == 0xEF && buf[1] == 0xBB && buf[2] == 0xBF)
		i = 3;
	for (; i < end; i++) {
		if (buf[i] == '\n' || (buf[i] == '\r' && (i + 1 >= c->len || buf[i + 1] != '\n'))) {
			line++;
			col = 1;
		} else if ((buf[i] & 0xC0) != 0x80) {
			col++;
		}
	}
	/* YAML 1.2 5.1: only printable characters, tab, LF and CR. */
	if (p->problem && !strcmp(p->problem, "control characters are not allowed")) {
		if (p->problem_value == 0)
			return fail_at(c, line, col, "a NUL byte is not allowed in YAML text"
				       " (YAML 1.2 5.1); is this a binary file?");
		return fail_at(c, line, col, "control character U+%04X is not allowed in YAML"
			       " text (YAML 1.2 5.1)", (unsigned)p->problem_value);
	}
	return fail_at(c, line, col, "YAML syntax error: %s",
		       p->problem ? p->problem : "unknown problem");
}

static int yaml_error(struct ctx *c, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown problem";
	unsigned char at;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return fail_at(c, 1, 1, "out of memory");
	case YAML_READER_ERROR:
		return reader_error(c, p);
	case YAML_SCANNER_ERROR:
		/* YAML 1.2 6.1: "tabs must not be used in indentation". */
		if (strstr(problem, "tab") || char_at(c, &p->problem_mark) == '\t')
			return fail_mark(c, &p->problem_mark, "a tab character is not allowed in"
					 " YAML indentation; use spaces");
		/*
		 * An unquoted ">= 1": '>' starts a folded block scalar (YAML 1.2
		 * 8.1.3) whose header cannot go on with "= 1"; in a flow
		 * collection '>' cannot start a value at all.
		 */
		if (p->context && !strcmp(p->context, "while scanning a block scalar") &&
		    ((at = char_at(c, &p->context_mark)) == '>' || at == '|'))
			return fail_quoted(c, &p->context_mark, at == '>' ?
					   "YAML reads '>' here as the start of a folded block scalar" :
					   "YAML reads '|' here as the start of a literal block scalar");
		if ((at = char_at(c, &p->problem_mark)) == '>' || at == '|')
			return fail_quoted(c, &p->problem_mark, at == '>' ?
					   "YAML cannot start a value with '>' in a flow collection" :
					   "YAML cannot start a value with '|' in a flow collection");
		break;
	case YAML_COMPOSER_ERROR:
		/* libyaml follows YAML 1.1, where an anchor names one node only. */
		if (p->context && strstr(p->context, "duplicate anchor")) {
			size_t off = mark_offset(c, &p->problem_mark), e = off;

			while (e < c->len && e - off < 40 && !is_blank(c->buf[e]) &&
			       !strchr(",[]{}\r\n", c->buf[e]))
				e++;
			return fail_mark_fmt(c, &p->problem_mark, "duplicate anchor '%.*s': it is"
					     " already defined at %zu:%zu", (int)(e - off),
					     off < c->len ? (const char *)c->buf + off : "",
					     p->context_mark.line + 1, p->context_mark.column + 1);
		}
		break;
	default:
		break;
	}
	return fail_at(c, p->problem_mark.line + 1, p->problem_mark.column + 1,
		       "YAML syntax error: %s", problem);
}

/* What the first pass has seen so far. */
struct shape {
	size_t depth, nodes, anchors, aliases, documents;
};

/*
 * A tag ("!=", "!!str", "!foo") on a node. A scenario uses none, and the
 * one a person writes by accident is an unquoted "!= 0" in expect:.
 */
static int tag_error(struct ctx *c, const yaml_mark_t *m)
{
	size_t off = mark_offset(c, m), e;

	/* The mark is at the node's first property, which may be an anchor. */
	while (off < c->len && c->buf[off] != '!' && c->buf[off] != '\n')
		off++;
	if (off >= c->len || c->buf[off] != '!')
		return fail_mark(c, m, "YAML tags are not supported");
	if (off + 1 < c->len && (c->buf[off + 1] == '=' || c->buf[off + 1] == '<' ||
				 c->buf[off + 1] == '>'))
		return fail_quoted(c, m, "YAML reads '!' here as the start of a tag");
	for (e = off; e < c->len && e - off < 40 && !is_blank(c->buf[e]) &&
	     c->buf[e] != '\n' && c->buf[e] != '\r'; e++)
		;
	return fail_mark_fmt(c, m, "YAML tags such as '%.*s' are not supported; remove it",
			     (int)(e - off), (const char *)c->buf + off);
}

static int check_event(struct ctx *c, const yaml_event_t *ev, struct shape *sh)
{
	const yaml_mark_t *m = &ev->start_mark;
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		/* One scenario per file: a second "---" document is a mistake. */
		if (++sh->documents > 1)
			return fail_mark(c, m, "a scenario file holds one YAML document");
		return 0;
	case YAML_ALIAS_EVENT:
		if (++sh->aliases > MAX_ALIASES)
			return fail_mark_fmt(c, m, "more than %d aliases", MAX_ALIASES);
		return 0;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		sh->depth--;
		return 0;
	case YAML_SCALAR_EVENT:
		anchor = ev->data.scalar.anchor;
		tag = ev->data.scalar.tag;
		break;
	case YAML_SEQUENCE_START_EVENT:
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
		break;
	case YAML_MAPPING_START_EVENT:
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
		break;
	default:
		return 0;
	}
	if ((ev->type == YAML_SEQUENCE_START_EVENT || ev->type == YAML_MAPPING_START_EVENT) &&
	    ++sh->depth > MAX_DEPTH)
		return fail_mark_fmt(c, m, "lists and mappings nested more than %d deep", MAX_DEPTH);
	if (++sh->nodes > MAX_NODES)
		return fail_mark_fmt(c, m, "more than %d values, lists and mappings", MAX_NODES);
	if (anchor && ++sh->anchors > MAX_ANCHORS)
		return fail_mark_fmt(c, m, "more than %d anchors", MAX_ANCHORS);
	if (tag)
		return tag_error(c, m);
	return 0;
}

/* The first pass: every event of the text, nothing built (see the top). */
static int check_events(struct ctx *c)
{
	struct shape sh = { 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return fail_at(c, 1, 1, "out of memory");
	yaml_parser_set_input_string(&parser, c->buf, c->len);
	while (rc == 0) {
		yaml_event_type_t type;

		if (!yaml_parser_parse(&parser, &ev)) {
			rc = yaml_error(c, &parser);
			break;
		}
		rc = check_event(c, &ev, &sh);
		type = ev.type;
		yaml_event_delete(&ev);
		if (type == YAML_STREAM_END_EVENT)
			break;
	}
	yaml_parser_delete(&parser);
	return rc;
}

void scenario_defaults(struct scenario *s)
{
	memset(s, 0, sizeof(*s));
	s->name = strdup("scenario");
	s->seed = 1;
	s->duration_ns = 3600 * NS_PER_SEC;
	s->link.mtu = 1500;
	link_cfg_defaults(&s->link.a_to_b);
	link_cfg_defaults(&s->link.b_to_a);
	s->client.addr = 0xC0000201;                    /* 192.0.2.1, RFC 5737 */
	s->client.port = 49152;                         /* first dynamic port, RFC 6335 */
	tcp_cfg_defaults(&s->client.tcp);
	s->client.profile = tcp_profile_find("rfc");
	s->client.app.kind = APP_SCRIPT;
	s->server.addr = 0xC0000202;                    /* 192.0.2.2 */
	s->server.port = 8000;
	tcp_cfg_defaults(&s->server.tcp);
	s->server.profile = tcp_profile_find("rfc");
	s->server.app.kind = APP_SINK;
	s->capture = CAPTURE_CLIENT;
	s->linktype = LINKTYPE_ETHERNET;
}

static void free_app(struct app_cfg *app)
{
	size_t i;

	for (i = 0; i < app->nsteps; i++)
		if (!app->steps[i].text_shared)
			free(app->steps[i].text);
	free(app->steps);
}

void scenario_free(struct scenario *s)
{
	size_t i;

	free(s->file);
	free(s->name);
	free(s->description);
	free(s->link.a_to_b.drop);
	free(s->link.b_to_a.drop);
	free_app(&s->client.app);
	free_app(&s->server.app);
	for (i = 0; i < s->nexpect; i++) {
		free(s->expect[i].key);
		free(s->expect[i].string);
	}
	free(s->expect);
	for (i = 0; i < s->nset; i++)
		free(s->set[i]);
	free(s->set);
	memset(s, 0, sizeof(*s));
}

/* ------------------------------------------------------------------ */
/* --set KEY.PATH=VALUE */

/*
 * Each argument edits the loaded document before the schema walk sees it,
 * so its value meets exactly the parsing, range checks and messages a value
 * written in the file meets. The path names mappings from the top; the last
 * name's value becomes VALUE, a plain scalar (as if written unquoted),
 * replacing what the file had there or added after the mapping's keys.
 * Mappings the path names that the file lacks are added (empty ones, and a
 * null "key:", become mappings). Under expect: the rest of the path is one
 * summary key, dots and all: expect.client.retransmissions=">= 1".
 *
 * A mapping that an alias also names elsewhere is copied before it is
 * changed, so a --set changes the one place its path names. Nodes added
 * carry SET_MARK, so messages about them name the argument.
 */

/* "KEY.PATH=VALUE" is well formed: a path of non-empty names, an '='. */
static int check_set_syntax(struct ctx *c, size_t i)
{
	const char *a = c->sets[i], *eq = strchr(a, '=');

	if (!eq)
		return fail_at(c, SET_MARK, i, "expected KEY.PATH=VALUE, e.g. link.loss=2%%");
	if (eq == a)
		return fail_at(c, SET_MARK, i, "the key path before '=' is empty");
	for (const char *p = a; p < eq; p++)
		if (*p == '.' && (p == a || p + 1 == eq || p[1] == '.'))
			return fail_at(c, SET_MARK, i, "an empty name in the key path '%.*s'",
				       (int)(eq - a), a);
	return 0;
}

/* A new node of the document, marked as argument i's; 0 when out of memory. */
static int set_node(struct ctx *c, size_t i, int id)
{
	yaml_node_t *n;

	if (!id)
		return 0;
	n = node(c, id);
	n->start_mark = n->end_mark = (yaml_mark_t){ .index = SET_MARK, .line = i };
	return id;
}

static int set_scalar(struct ctx *c, size_t i, const char *s, size_t len)
{
	return set_node(c, i, yaml_document_add_scalar(c->doc, NULL, (yaml_char_t *)s, (int)len,
							 YAML_PLAIN_SCALAR_STYLE));
}

static int set_mapping(struct ctx *c, size_t i)
{
	return set_node(c, i, yaml_document_add_mapping(c->doc, NULL, YAML_BLOCK_MAPPING_STYLE));
}

/* How many collections of the document hold node id as a key, value or item. */
static size_t references(struct ctx *c, int id)
{
	size_t n = 0;

	for (yaml_node_t *x = c->doc->nodes.start; x < c->doc->nodes.top; x++) {
		if (x->type == YAML_MAPPING_NODE) {
			for (yaml_node_pair_t *p = x->data.mapping.pairs.start;
			     p < x->data.mapping.pairs.top; p++)
				n += (p->key == id) + (p->value == id);
		} else if (x->type == YAML_SEQUENCE_NODE) {
			for (yaml_node_item_t *it = x->data.sequence.items.start;
			     it < x->data.sequence.items.top; it++)
				n += *it == id;
		}
	}
	return n;
}

/* The index of the pair of mapping map whose key is name[0..len), or -1. */
static ptrdiff_t find_pair(struct ctx *c, int map, const char *name, size_t len)
{
	yaml_node_t *m = node(c, map);

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
		    memcmp(k->data.scalar.value, name, len) == 0)
			return p - m->data.mapping.pairs.start;
	}
	return -1;
}

/* A copy of mapping id holding the same keys and values; 0 when out of memory. */
static int copy_mapping(struct ctx *c, size_t i, int id)
{
	int copy = set_mapping(c, i);
	size_t n;

	if (!copy)
		return 0;
	n = npairs(node(c, id));
	for (size_t k = 0; k < n; k++) {
		yaml_node_pair_t p = node(c, id)->data.mapping.pairs.start[k];

		if (!yaml_document_append_mapping_pair(c->doc, copy, p.key, p.value))
			return 0;
	}
	return copy;
}

/*
 * The mapping that name[0..len) of mapping map holds, made or copied as
 * the top comment says, or 0 after an error; path[0..plen) names it in
 * messages.
 */
static int set_descend(struct ctx *c, size_t i, int map, const char *name, size_t len,
		       const char *path, size_t plen)
{
	ptrdiff_t at = find_pair(c, map, name, len);
	yaml_node_t *v;
	int id, key;

	if (at < 0) {
		if (!(key = set_scalar(c, i, name, len)) || !(id = set_mapping(c, i)) ||
		    !yaml_document_append_mapping_pair(c->doc, map, key, id))
			return fail_at(c, SET_MARK, i, "out of memory"), 0;
		return id;
	}
	id = node(c, map)->data.mapping.pairs.start[at].value;
	v = node(c, id);
	if (v->type == YAML_SCALAR_NODE && is_null(v))
		id = set_mapping(c, i);
	else if (v->type != YAML_MAPPING_NODE)
		return fail_at(c, SET_MARK, i, "'%.*s' is a %s in the scenario, not a mapping"
			       " of keys", (int)plen, path,
			       v->type == YAML_SEQUENCE_NODE ? "list" : "single value"), 0;
	else if (references(c, id) > 1)
		id = copy_mapping(c, i, id);
	else
		return id;
	if (!id)
		return fail_at(c, SET_MARK, i, "out of memory"), 0;
	node(c, map)->data.mapping.pairs.start[at].value = id;
	return id;
}

/* Applies argument i (its syntax already checked) to the document. */
static int apply_set(struct ctx *c, size_t i, int root)
{
	const char *a = c->sets[i], *eq = strchr(a, '='), *name = a, *dot;
	int map = root, key, value;
	ptrdiff_t at;

	/* Every name but the last is a mapping; under expect: one key follows. */
	while ((dot = memchr(name, '.', (size_t)(eq - name))) != NULL) {
		if (map == root && (size_t)(dot - name) == 6 && !memcmp(name, "expect", 6)) {
			if (!(map = set_descend(c, i, map, name, 6, a, 6)))
				return -1;
			name = dot + 1;
			break;
		}
		if (!(map = set_descend(c, i, map, name, (size_t)(dot - name), a,
					(size_t)(dot - a))))
			return -1;
		name = dot + 1;
	}
	if (!(value = set_scalar(c, i, eq + 1, strlen(eq + 1))))
		return fail_at(c, SET_MARK, i, "out of memory");
	if ((at = find_pair(c, map, name, (size_t)(eq - name))) >= 0) {
		node(c, map)->data.mapping.pairs.start[at].value = value;
		return 0;
	}
	if (!(key = set_scalar(c, i, name, (size_t)(eq - name))) ||
	    !yaml_document_append_mapping_pair(c->doc, map, key, value))
		return fail_at(c, SET_MARK, i, "out of memory");
	return 0;
}

/* Parses len bytes of YAML text named path; the heart of both entry points. */
static int load_text(struct ctx *c, const unsigned char *buf, size_t len, struct scenario *s)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc = -1;

	c->buf = buf;
	c->len = len;
	if (len > MAX_FILE_BYTES)
		return too_large(c, len, true);
	if (check_events(c))
		return -1;
	if (!yaml_parser_initialize(&parser))
		return fail_at(c, 1, 1, "out of memory");
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(c, &parser);
		goto out_parser;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		fail_at(c, 1, 1, "a scenario must be a mapping of keys");
	} else {
		rc = 0;
		/* The root is node 1 (yaml_document_get_root_node). */
		for (size_t i = 0; i < c->nsets && rc == 0; i++)
			rc = apply_set(c, i, 1);
		if (rc == 0)
			rc = parse_scenario(c, yaml_document_get_root_node(&doc), s);
	}
	yaml_document_delete(&doc);
	c->doc = NULL;
out_parser:
	yaml_parser_delete(&parser);
	return rc;
}

/*
 * Defaults, then the file's name and the scenario's own copy of the --set
 * arguments (messages and expectations point into it), each checked for
 * its syntax, for every entry point.
 */
static int load_begin(struct ctx *c, const char *path, const char *const *sets, size_t nsets,
		      struct scenario *s)
{
	if (c->err && c->errlen)
		c->err[0] = '\0';
	scenario_defaults(s);
	if (!s->name || !(s->file = strdup(path)))
		return fail_at(c, 1, 1, "out of memory");
	if (nsets == 0)
		return 0;
	if (!(s->set = calloc(nsets + 1, sizeof(*s->set))))
		return fail_at(c, 1, 1, "out of memory");
	for (s->nset = 0; s->nset < nsets; s->nset++)
		if (!(s->set[s->nset] = strdup(sets[s->nset])))
			return fail_at(c, 1, 1, "out of memory");
	c->sets = (const char *const *)s->set;
	c->nsets = s->nset;
	for (size_t i = 0; i < nsets; i++)
		if (check_set_syntax(c, i))
			return -1;
	return 0;
}

int scenario_load_set(const char *path, const char *const *sets, size_t nsets,
		      struct scenario *s, char *err, size_t errlen)
{
	struct ctx c = { .path = path, .err = err, .errlen = errlen };
	unsigned char *buf = NULL;
	size_t len = 0;
	int rc = -1;

	if (load_begin(&c, path, sets, nsets, s) == 0 && read_file(&c, &buf, &len) == 0)
		rc = load_text(&c, buf, len, s);
	free(buf);
	if (rc)
		scenario_free(s);
	return rc;
}

int scenario_load(const char *path, struct scenario *s, char *err, size_t errlen)
{
	return scenario_load_set(path, NULL, 0, s, err, errlen);
}

int scenario_load_mem_set(const char *name, const void *text, size_t len,
			  const char *const *sets, size_t nsets, struct scenario *s,
			  char *err, size_t errlen)
{
	struct ctx c = { .path = name, .err = err, .errlen = errlen };
	int rc = -1;

	if (load_begin(&c, name, sets, nsets, s) == 0)
		rc = load_text(&c, text, len, s);
	if (rc)
		scenario_free(s);
	return rc;
}

int scenario_load_mem(const char *name, const void *text, size_t len, struct scenario *s,
		      char *err, size_t errlen)
{
	return scenario_load_mem_set(name, text, len, NULL, 0, s, err, errlen);
}
