/*
 * scenario_set: --set KEY.PATH=VALUE, applied to the loaded YAML document
 * before the schema reads it (scenario.c: load_text -> scn_apply_set, after
 * load_begin -> scn_check_set_syntax).
 */
#include <stddef.h>
#include <string.h>

#include <yaml.h>

#include "yaml_walk.h"

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
int scn_check_set_syntax(struct scn_ctx *c, size_t i)
{
	const char *a = c->sets[i], *eq = strchr(a, '=');

	if (!eq)
		return scn_fail_at(c, SET_MARK, i, "expected KEY.PATH=VALUE, e.g. link.loss=2%%");
	if (eq == a)
		return scn_fail_at(c, SET_MARK, i, "the key path before '=' is empty");
	for (const char *p = a; p < eq; p++)
		if (*p == '.' && (p == a || p + 1 == eq || p[1] == '.'))
			return scn_fail_at(c, SET_MARK, i, "an empty name in the key path '%.*s'",
				       (int)(eq - a), a);
	return 0;
}

/* A new node of the document, marked as argument i's; 0 when out of memory. */
static int set_node(struct scn_ctx *c, size_t i, int id)
{
	yaml_node_t *n;

	if (!id)
		return 0;
	n = scn_node(c, id);
	n->start_mark = n->end_mark = (yaml_mark_t){ .index = SET_MARK, .line = i };
	return id;
}

static int set_scalar(struct scn_ctx *c, size_t i, const char *s, size_t len)
{
	return set_node(c, i, yaml_document_add_scalar(c->doc, NULL, (yaml_char_t *)s, (int)len,
							 YAML_PLAIN_SCALAR_STYLE));
}

static int set_mapping(struct scn_ctx *c, size_t i)
{
	return set_node(c, i, yaml_document_add_mapping(c->doc, NULL, YAML_BLOCK_MAPPING_STYLE));
}

/* How many collections of the document hold node id as a key, value or item. */
static size_t references(struct scn_ctx *c, int id)
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
static ptrdiff_t find_pair(struct scn_ctx *c, int map, const char *name, size_t len)
{
	yaml_node_t *m = scn_node(c, map);

	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		yaml_node_t *k = scn_node(c, p->key);

		if (k->type == YAML_SCALAR_NODE && k->data.scalar.length == len &&
		    memcmp(k->data.scalar.value, name, len) == 0)
			return p - m->data.mapping.pairs.start;
	}
	return -1;
}

/* A copy of mapping id holding the same keys and values; 0 when out of memory. */
static int copy_mapping(struct scn_ctx *c, size_t i, int id)
{
	int copy = set_mapping(c, i);
	size_t n;

	if (!copy)
		return 0;
	n = scn_npairs(scn_node(c, id));
	for (size_t k = 0; k < n; k++) {
		yaml_node_pair_t p = scn_node(c, id)->data.mapping.pairs.start[k];

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
static int set_descend(struct scn_ctx *c, size_t i, int map, const char *name, size_t len,
		       const char *path, size_t plen)
{
	ptrdiff_t at = find_pair(c, map, name, len);
	yaml_node_t *v;
	int id, key;

	if (at < 0) {
		if (!(key = set_scalar(c, i, name, len)) || !(id = set_mapping(c, i)) ||
		    !yaml_document_append_mapping_pair(c->doc, map, key, id))
			return scn_fail_at(c, SET_MARK, i, "out of memory"), 0;
		return id;
	}
	id = scn_node(c, map)->data.mapping.pairs.start[at].value;
	v = scn_node(c, id);
	if (v->type == YAML_SCALAR_NODE && scn_is_null(v))
		id = set_mapping(c, i);
	else if (v->type != YAML_MAPPING_NODE)
		return scn_fail_at(c, SET_MARK, i, "'%.*s' is a %s in the scenario, not a mapping"
			       " of keys", (int)plen, path,
			       v->type == YAML_SEQUENCE_NODE ? "list" : "single value"), 0;
	else if (references(c, id) > 1)
		id = copy_mapping(c, i, id);
	else
		return id;
	if (!id)
		return scn_fail_at(c, SET_MARK, i, "out of memory"), 0;
	scn_node(c, map)->data.mapping.pairs.start[at].value = id;
	return id;
}

/* Applies argument i (its syntax already checked) to the document. */
int scn_apply_set(struct scn_ctx *c, size_t i, int root)
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
		return scn_fail_at(c, SET_MARK, i, "out of memory");
	if ((at = find_pair(c, map, name, (size_t)(eq - name))) >= 0) {
		scn_node(c, map)->data.mapping.pairs.start[at].value = value;
		return 0;
	}
	if (!(key = set_scalar(c, i, name, (size_t)(eq - name))) ||
	    !yaml_document_append_mapping_pair(c->doc, map, key, value))
		return scn_fail_at(c, SET_MARK, i, "out of memory");
	return 0;
}
