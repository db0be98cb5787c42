/*
 * yaml_walk: what every part of the scenario loader shares while it walks a
 * libyaml document: the load's context, its one error message, the nodes'
 * accessors, key lookup, the unknown-key check with its suggestions, and the
 * readers of one scalar of each kind (integer, time, size, rate, percent,
 * boolean) with their range messages.
 *
 * Internal to the loader (scenario.c, schema.c, scenario_steps.c,
 * scenario_expect.c, scenario_set.c); the rest of the program sees
 * scenario.h only.
 *
 * Messages are "FILE:LINE:COL: text", 1-based; a node a --set argument put
 * into the document is named by that argument instead ("--set ARG: text").
 * Every scn_fail* returns -1, so a reader can end with "return scn_fail(...)".
 */
#ifndef TCPSIM_YAML_WALK_H
#define TCPSIM_YAML_WALK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

#define NS_PER_SEC UINT64_C(1000000000)

struct scenario;

struct scn_ctx {
	const char *path;
	const unsigned char *buf;    /* the text, for messages that quote it */
	size_t len;
	yaml_document_t *doc;
	const char *const *sets;     /* the --set arguments, "KEY.PATH=VALUE" */
	size_t nsets;
	char *err;
	size_t errlen;
	struct scenario *scn;        /* what the load fills in (readers look back at the link's mtu) */
};

/*
 * A node that a --set argument put into the document has no place in the
 * file: its start mark holds SET_MARK in index and the argument's number in
 * line, and a message about it names the argument instead of FILE:LINE:COL.
 */
#define SET_MARK SIZE_MAX

/* The line and column vfail_at takes for mark m (1-based, or a --set's). */
static inline size_t scn_mark_line(const yaml_mark_t *m)
{
	return m->index == SET_MARK ? SET_MARK : m->line + 1;
}

static inline size_t scn_mark_col(const yaml_mark_t *m)
{
	return m->index == SET_MARK ? m->line : m->column + 1;
}

/* ---- errors ---- */

__attribute__((format(printf, 4, 5)))
int scn_fail_at(struct scn_ctx *c, size_t line, size_t col, const char *fmt, ...);
__attribute__((format(printf, 3, 4)))
int scn_fail(struct scn_ctx *c, const yaml_node_t *n, const char *fmt, ...);
int scn_oom(struct scn_ctx *c, const yaml_node_t *n);
int scn_fail_mark(struct scn_ctx *c, const yaml_mark_t *m, const char *msg);
__attribute__((format(printf, 3, 4)))
int scn_fail_mark_fmt(struct scn_ctx *c, const yaml_mark_t *m, const char *fmt, ...);

/* ---- the text behind a mark ---- */

bool scn_is_blank(unsigned char ch);
size_t scn_mark_offset(const struct scn_ctx *c, const yaml_mark_t *m);
unsigned char scn_char_at(const struct scn_ctx *c, const yaml_mark_t *m);
int scn_fail_quoted(struct scn_ctx *c, const yaml_mark_t *m, const char *what);
bool scn_block_header(const struct scn_ctx *c, const yaml_node_t *v);

/* ---- nodes and keys ---- */

yaml_node_t *scn_node(struct scn_ctx *c, int id);
const char *scn_text(const yaml_node_t *n);
bool scn_is_plain(const yaml_node_t *n);
bool scn_has_nul(const yaml_node_t *n);
bool scn_is_null(const yaml_node_t *n);
size_t scn_npairs(const yaml_node_t *map);
size_t scn_nitems(const yaml_node_t *seq);
yaml_node_t *scn_find(struct scn_ctx *c, yaml_node_t *map, const char *key);
const char *scn_suggest(const char *word, const char *const *known);
bool scn_in_list(const char *word, const char *const *list);
int scn_check_keys(struct scn_ctx *c, yaml_node_t *map, const char *where,
		      const char *const *known);
yaml_node_t *scn_sub_mapping(struct scn_ctx *c, yaml_node_t *map, const char *key,
				const char *const *known, bool *ok);

/* ---- one scalar; each scn_get_* leaves *out alone when the key is absent ---- */

const char *scn_scalar(struct scn_ctx *c, const char *key, const yaml_node_t *v);
const char *scn_over(const char *msg, uint64_t max, uint64_t *n);
int scn_get_uint(struct scn_ctx *c, yaml_node_t *map, const char *key, uint64_t *out,
		    uint64_t lo, uint64_t hi);
int scn_get_u32(struct scn_ctx *c, yaml_node_t *map, const char *key, uint32_t *out,
		   uint32_t lo, uint32_t hi);
int scn_get_u16(struct scn_ctx *c, yaml_node_t *map, const char *key, uint16_t *out,
		   uint16_t lo, uint16_t hi);
int scn_get_time(struct scn_ctx *c, yaml_node_t *map, const char *key, uint64_t *out,
		    bool positive, uint64_t max_ns);
int scn_get_buffer(struct scn_ctx *c, yaml_node_t *map, const char *key, uint64_t *out);
int scn_get_rate(struct scn_ctx *c, yaml_node_t *map, uint64_t *out);
int scn_get_percent(struct scn_ctx *c, yaml_node_t *map, const char *key, uint32_t *out);
int scn_parse_bool(const char *s, bool *out);
int scn_get_bool(struct scn_ctx *c, yaml_node_t *map, const char *key, bool *out);
char *scn_dup_bytes(const char *s, size_t len);
const char *scn_fmt_time(char *buf, size_t len, uint64_t ns);
int scn_fail_not_one_of(struct scn_ctx *c, const yaml_node_t *v, const char *key, const char *name,
			   const char *const *known, size_t n);

/* ---- the loader's parts, for each other ---- */

struct app_cfg;
/* A host's app: (scenario_steps.c); client: the client's, which must be a script. */
int scn_read_app(struct scn_ctx *c, yaml_node_t *v, bool client, struct app_cfg *app);
/* The expect: mapping (scenario_expect.c), into s->expect. */
int scn_read_expect(struct scn_ctx *c, yaml_node_t *v, struct scenario *s);
/* --set argument i (scenario_set.c): its syntax, then its edit of c->doc (root: its node). */
int scn_check_set_syntax(struct scn_ctx *c, size_t i);
int scn_apply_set(struct scn_ctx *c, size_t i, int root);

#define scn_for_each_pair(p, map) \
	for ((p) = (map)->data.mapping.pairs.start; (p) < (map)->data.mapping.pairs.top; (p)++)

#endif
