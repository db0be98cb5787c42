/*
 * yaml_walk: the loader's shared walk over a libyaml document (see
 * yaml_walk.h): one error message per load, node accessors, keys and their
 * suggestions, and the scalar readers with their range messages.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema.h"
#include "units.h"
#include "yaml_walk.h"

/* ------------------------------------------------------------------ */
/* Errors */

static int scn_vfail_at(struct scn_ctx *c, size_t line, size_t col, const char *fmt, va_list ap)
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
int scn_fail_at(struct scn_ctx *c, size_t line, size_t col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_vfail_at(c, line, col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Reports a problem at node n; always returns -1. */
__attribute__((format(printf, 3, 4)))
int scn_fail(struct scn_ctx *c, const yaml_node_t *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_vfail_at(c, scn_mark_line(&n->start_mark), scn_mark_col(&n->start_mark), fmt, ap);
	va_end(ap);
	return -1;
}

int scn_oom(struct scn_ctx *c, const yaml_node_t *n)
{
	return scn_fail(c, n, "out of memory");
}

int scn_fail_mark(struct scn_ctx *c, const yaml_mark_t *m, const char *msg)
{
	return scn_fail_at(c, scn_mark_line(m), scn_mark_col(m), "%s", msg);
}

__attribute__((format(printf, 3, 4)))
int scn_fail_mark_fmt(struct scn_ctx *c, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	scn_vfail_at(c, scn_mark_line(m), scn_mark_col(m), fmt, ap);
	va_end(ap);
	return -1;
}

/* ------------------------------------------------------------------ */
/* The source text behind a mark, for messages that show how to fix it */

bool scn_is_blank(unsigned char ch)
{
	return ch == ' ' || ch == '\t';
}

/*
 * The byte offset of mark m in the text, or SIZE_MAX. libyaml counts a
 * mark's index in characters after the byte order mark; in UTF-8 each
 * character has one byte that is not a continuation byte (10xxxxxx). Text
 * that libyaml decoded from UTF-16 has no such offset.
 */
size_t scn_mark_offset(const struct scn_ctx *c, const yaml_mark_t *m)
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
unsigned char scn_char_at(const struct scn_ctx *c, const yaml_mark_t *m)
{
	size_t off = scn_mark_offset(c, m);

	return off == SIZE_MAX ? 0 : c->buf[off];
}

/*
 * The value that starts at off runs to the end of its line or a comment,
 * and in a flow collection to the next ',', '}' or ']'.
 */
static size_t value_end(const struct scn_ctx *c, size_t off, bool flow)
{
	const unsigned char *b = c->buf;
	size_t e = off;

	while (e < c->len && b[e] != '\n' && b[e] != '\r' &&
	       !(flow && (b[e] == ',' || b[e] == '}' || b[e] == ']')) &&
	       !(b[e] == '#' && e > off && scn_is_blank(b[e - 1])))
		e++;
	while (e > off && scn_is_blank(b[e - 1]))
		e--;
	return e;
}

/*
 * Fails at m with what, then how the line would read with the value at m
 * quoted: "...; quote it: client.retransmissions: ">= 1"". The key is what
 * stands before the value on its line, after the indentation, a "- " or the
 * last '{', '[' or ','.
 */
int scn_fail_quoted(struct scn_ctx *c, const yaml_mark_t *m, const char *what)
{
	const unsigned char *b = c->buf;
	size_t off = scn_mark_offset(c, m), ls, ks, ke, ve, i;
	bool flow = false;
	char q;

	if (off == SIZE_MAX)
		return scn_fail_mark(c, m, what);
	for (ls = off; ls > 0 && b[ls - 1] != '\n' && b[ls - 1] != '\r'; ls--)
		;
	for (ks = i = ls; i < off; i++)
		if (b[i] == '{' || b[i] == '[' || b[i] == ',') {
			ks = i + 1;
			flow = true;
		}
	while (ks < off && (scn_is_blank(b[ks]) || (b[ks] == '-' && scn_is_blank(b[ks + 1]))))
		ks++;
	for (ke = off; ke > ks && scn_is_blank(b[ke - 1]); ke--)
		;
	ve = value_end(c, off, flow);
	q = memchr(b + off, '"', ve - off) || memchr(b + off, '\\', ve - off) ? '\'' : '"';
	if (ke - ks > 80 || ve - off > 80)
		return scn_fail_at(c, m->line + 1, m->column + 1, "%s; quote the value", what);
	return scn_fail_at(c, m->line + 1, m->column + 1, "%s; quote it: %.*s%s%c%.*s%c", what,
		       (int)(ke - ks), (const char *)b + ks, ke > ks ? " " : "",
		       q, (int)(ve - off), (const char *)b + off, q);
}

/*
 * A block scalar with something after its '>' or '|' on the same line:
 * "client.retransmissions: >1" is YAML's folded scalar with indentation 1,
 * not a comparison.
 */
bool scn_block_header(const struct scn_ctx *c, const yaml_node_t *v)
{
	size_t off, e;

	if (v->data.scalar.style != YAML_FOLDED_SCALAR_STYLE &&
	    v->data.scalar.style != YAML_LITERAL_SCALAR_STYLE)
		return false;
	off = scn_mark_offset(c, &v->start_mark);
	if (off == SIZE_MAX || (c->buf[off] != '>' && c->buf[off] != '|'))
		return false;
	e = value_end(c, off, false);
	return e > off + 1;
}

/* ------------------------------------------------------------------ */
/* Nodes */

yaml_node_t *scn_node(struct scn_ctx *c, int id)
{
	return yaml_document_get_node(c->doc, id);
}

const char *scn_text(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

bool scn_is_plain(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE &&
	       n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* A "\0" escape in a quoted scalar: C strings would end there. */
bool scn_has_nul(const yaml_node_t *n)
{
	return memchr(n->data.scalar.value, '\0', n->data.scalar.length) != NULL;
}

/* An empty plain scalar is YAML's null, what "key:" with no value gives. */
bool scn_is_null(const yaml_node_t *n)
{
	return scn_is_plain(n) && n->data.scalar.length == 0;
}

size_t scn_npairs(const yaml_node_t *map)
{
	return (size_t)(map->data.mapping.pairs.top - map->data.mapping.pairs.start);
}

size_t scn_nitems(const yaml_node_t *seq)
{
	return (size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start);
}

/* The value of key in map, or NULL. Keys were checked to be scalars. */
yaml_node_t *scn_find(struct scn_ctx *c, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	scn_for_each_pair(p, map) {
		yaml_node_t *k = scn_node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && strcmp(scn_text(k), key) == 0)
			return scn_node(c, p->value);
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
const char *scn_suggest(const char *word, const char *const *known)
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

bool scn_in_list(const char *word, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(word, *list) == 0)
			return true;
	return false;
}

static int scn_unknown_key(struct scn_ctx *c, const yaml_node_t *k, const char *where,
		       const char *const *known)
{
	const char *s = scn_suggest(scn_text(k), known);

	if (s)
		return scn_fail(c, k, "unknown key '%s' in '%s' (did you mean '%s'?)",
			    scn_text(k), where, s);
	return scn_fail(c, k, "unknown key '%s' in '%s'", scn_text(k), where);
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
	int d = memcmp(scn_text(x->key), scn_text(y->key), lx < ly ? lx : ly);

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
static int find_duplicates(struct scn_ctx *c, yaml_node_t *map, bool *dup)
{
	size_t n = scn_npairs(map), m = 0, i;
	struct key_pos *keys = malloc(n * sizeof(*keys));

	if (!keys)
		return scn_oom(c, map);
	for (i = 0; i < n; i++) {
		const yaml_node_t *k = scn_node(c, map->data.mapping.pairs.start[i].key);

		if (k->type == YAML_SCALAR_NODE)
			keys[m++] = (struct key_pos){ k, i };
	}
	qsort(keys, m, sizeof(*keys), cmp_key_pos);
	for (i = 1; i < m; i++)
		dup[keys[i].pos] = keys[i].key->data.scalar.length ==
					   keys[i - 1].key->data.scalar.length &&
				   memcmp(scn_text(keys[i].key), scn_text(keys[i - 1].key),
					  keys[i].key->data.scalar.length) == 0;
	free(keys);
	return 0;
}

/*
 * Checks, in file order, that every key of map is a scalar, appears once,
 * and (unless known is NULL) is one of known.
 */
int scn_check_keys(struct scn_ctx *c, yaml_node_t *map, const char *where,
		      const char *const *known)
{
	size_t n = scn_npairs(map), i;
	bool *dup;
	int rc = 0;

	if (n == 0)
		return 0;
	if (!(dup = calloc(n, sizeof(*dup))))
		return scn_oom(c, map);
	if (find_duplicates(c, map, dup)) {
		free(dup);
		return -1;
	}
	for (i = 0; i < n && rc == 0; i++) {
		yaml_node_t *k = scn_node(c, map->data.mapping.pairs.start[i].key);

		if (k->type != YAML_SCALAR_NODE)
			rc = scn_fail(c, k, "a key in '%s' must be a scalar", where);
		else if (scn_has_nul(k))
			rc = scn_fail(c, k, "a key in '%s' must not hold a NUL character (\\0)", where);
		else if (dup[i])
			rc = scn_fail(c, k, "duplicate key '%s'", scn_text(k));
		else if (known && !scn_in_list(scn_text(k), known))
			rc = scn_unknown_key(c, k, where, known);
	}
	free(dup);
	return rc;
}

/* The mapping under key in map, NULL if absent; *ok false after an error. */
yaml_node_t *scn_sub_mapping(struct scn_ctx *c, yaml_node_t *map, const char *key,
				const char *const *known, bool *ok)
{
	yaml_node_t *v = scn_find(c, map, key);

	*ok = true;
	if (!v)
		return NULL;
	if (v->type != YAML_MAPPING_NODE) {
		*ok = false;
		scn_fail(c, v, "'%s' must be a mapping", key);
		return NULL;
	}
	if (scn_check_keys(c, v, key, known)) {
		*ok = false;
		return NULL;
	}
	return v;
}

/* ------------------------------------------------------------------ */
/* Values. Each get_* leaves *out alone when the key is absent. */

const char *scn_scalar(struct scn_ctx *c, const char *key, const yaml_node_t *v)
{
	if (v->type != YAML_SCALAR_NODE) {
		scn_fail(c, v, "'%s' must be a scalar", key);
		return NULL;
	}
	if (scn_has_nul(v)) {
		scn_fail(c, v, "%s: a NUL character (\\0) is not allowed here", key);
		return NULL;
	}
	return scn_text(v);
}

/*
 * A units.c message, unless the value merely overflowed 64 bits and the
 * caller has a bound below that: then *n is set beyond the bound and the
 * caller's range check reports it, so "99999999999999999999s" and "3601s"
 * get the same message.
 */
const char *scn_over(const char *msg, uint64_t max, uint64_t *n)
{
	if (units_too_large(msg) && max < UINT64_MAX) {
		*n = UINT64_MAX;
		return NULL;
	}
	return msg;
}

int scn_get_uint(struct scn_ctx *c, yaml_node_t *map, const char *key, uint64_t *out,
		    uint64_t lo, uint64_t hi)
{
	yaml_node_t *v = scn_find(c, map, key);
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scn_scalar(c, key, v)))
		return -1;
	if ((msg = scn_over(parse_uint(s, &n), hi, &n)))
		return scn_fail(c, v, "%s: %s", key, msg);
	if (n < lo || n > hi) {
		if (lo == 0)
			return scn_fail(c, v, "%s: must be at most %" PRIu64, key, hi);
		return scn_fail(c, v, "%s: must be between %" PRIu64 " and %" PRIu64,
			    key, lo, hi);
	}
	*out = n;
	return 0;
}

int scn_get_u32(struct scn_ctx *c, yaml_node_t *map, const char *key, uint32_t *out,
		   uint32_t lo, uint32_t hi)
{
	uint64_t n = *out;

	if (scn_get_uint(c, map, key, &n, lo, hi))
		return -1;
	*out = (uint32_t)n;
	return 0;
}

int scn_get_u16(struct scn_ctx *c, yaml_node_t *map, const char *key, uint16_t *out,
		   uint16_t lo, uint16_t hi)
{
	uint64_t n = *out;

	if (scn_get_uint(c, map, key, &n, lo, hi))
		return -1;
	*out = (uint16_t)n;
	return 0;
}

/* Times are whole seconds at their maximum, so the message can say "3600s". */
int scn_get_time(struct scn_ctx *c, yaml_node_t *map, const char *key, uint64_t *out,
		    bool positive, uint64_t max_ns)
{
	yaml_node_t *v = scn_find(c, map, key);
	const char *s, *msg;
	uint64_t ns;

	if (!v)
		return 0;
	if (!(s = scn_scalar(c, key, v)))
		return -1;
	if ((msg = scn_over(parse_time_ns(s, &ns), max_ns, &ns)))
		return scn_fail(c, v, "%s: %s", key, msg);
	if (positive && ns == 0)
		return scn_fail(c, v, "%s: must be greater than 0", key);
	if (ns > max_ns)
		return scn_fail(c, v, "%s: must be at most %" PRIu64 "s", key, max_ns / NS_PER_SEC);
	*out = ns;
	return 0;
}

int scn_get_buffer(struct scn_ctx *c, yaml_node_t *map, const char *key, uint64_t *out)
{
	yaml_node_t *v = scn_find(c, map, key);
	const char *s, *msg;
	uint64_t n;

	if (!v)
		return 0;
	if (!(s = scn_scalar(c, key, v)))
		return -1;
	if ((msg = scn_over(parse_size_bytes(s, &n), MAX_BUFFER_BYTES, &n)))
		return scn_fail(c, v, "%s: %s", key, msg);
	if (n < 1 || n > MAX_BUFFER_BYTES)
		return scn_fail(c, v, "%s: must be between 1 byte and 1GiB", key);
	*out = n;
	return 0;
}

int scn_get_rate(struct scn_ctx *c, yaml_node_t *map, uint64_t *out)
{
	yaml_node_t *v = scn_find(c, map, "rate");
	const char *s, *msg;
	uint64_t bps;

	if (!v)
		return 0;
	if (!(s = scn_scalar(c, "rate", v)))
		return -1;
	if ((msg = scn_over(parse_rate_bps(s, &bps), MAX_RATE_BPS, &bps)))
		return scn_fail(c, v, "rate: %s", msg);
	if (bps == 0)
		return scn_fail(c, v, "rate must be greater than 0");
	if (bps > MAX_RATE_BPS)
		return scn_fail(c, v, "rate: must be at most 10000Gbps (10 Tbit/s)");
	*out = bps;
	return 0;
}

int scn_get_percent(struct scn_ctx *c, yaml_node_t *map, const char *key, uint32_t *out)
{
	yaml_node_t *v = scn_find(c, map, key);
	const char *s, *msg;

	if (!v)
		return 0;
	if (!(s = scn_scalar(c, key, v)))
		return -1;
	if ((msg = parse_percent_ppb(s, out)))
		return scn_fail(c, v, "%s: %s", key, msg);
	return 0;
}

/* YAML 1.2 core schema booleans; yes/no/on/off are not booleans there. */
int scn_parse_bool(const char *s, bool *out)
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

int scn_get_bool(struct scn_ctx *c, yaml_node_t *map, const char *key, bool *out)
{
	yaml_node_t *v = scn_find(c, map, key);
	const char *s;

	if (!v)
		return 0;
	if (!(s = scn_scalar(c, key, v)))
		return -1;
	if (scn_parse_bool(s, out))
		return scn_fail(c, v, "%s: expected true or false", key);
	return 0;
}

char *scn_dup_bytes(const char *s, size_t len)
{
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}


/* A time in the largest unit that shows it exactly: "1500ms", "60s". */
const char *scn_fmt_time(char *buf, size_t len, uint64_t ns)
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
int scn_fail_not_one_of(struct scn_ctx *c, const yaml_node_t *v, const char *key, const char *name,
			   const char *const *known, size_t n)
{
	char list[256] = "";
	size_t at = 0;

	for (size_t i = 0; i < n && at < sizeof(list); i++)
		at += (size_t)snprintf(list + at, sizeof(list) - at, "%s%s",
				       i == 0 ? "" : i + 1 == n ? " or " : ", ", known[i]);
	return scn_fail(c, v, "%s: '%s' is not %s", key, name, list);
}