/*
 * scenario: reads a YAML scenario file and validates it into a struct
 * scenario with every default applied.
 *
 * Owns the files and libyaml's passes over them, the defaults and the entry
 * points. The loader's other parts: the keys (where each exists, its kind,
 * range, default and reader) are the rows of schema.c; the walk's errors,
 * key lookup and scalar readers are yaml_walk.c; --set is scenario_set.c,
 * the app: scripts scenario_steps.c, the expect: block scenario_expect.c;
 * the number and unit syntax is units.c. Called by main.c (scenario_load_set), by tests
 * (scenario_defaults, scenario_load_mem) and by fuzzers (scenario_load_mem).
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
 *  3. yaml_parser_load builds the document; the --set arguments edit it
 *     (scn_apply_set, scenario_set.c); then it is walked by the schema: load_text ->
 *     schema_read(top) -> each row's reader -> schema_read(link, host, tcp,
 *     ...), scn_read_app and scn_read_expect. Each mapping is first
 *     checked for keys that are not scalars, are duplicated (found by
 *     sorting, not by comparing every pair) or are unknown, in file order;
 *     then its keys are read in row order, which lets one depend on another
 *     (mtu before queue and mss, the link-wide values before the a_to_b /
 *     b_to_a overrides), whatever order the file writes them in.
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
 * can multiply work is repeat:, whose unrolling (scenario_steps.c) stops at
 * MAX_STEPS steps and MAX_REPEAT_DEPTH levels, so an alias bomb (each anchor naming a list of
 * ten aliases of the one before) costs at most MAX_STEPS steps.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

#include "scenario.h"
#include "schema.h"
#include "units.h"
#include "yaml_walk.h"

/* Input limits, far above what a scenario needs (docs/scenarios.md). */
#define MAX_FILE_BYTES   (UINT64_C(16) << 20)  /* 16 MiB */
#define MAX_DEPTH        64      /* lists and mappings inside each other */
#define MAX_NODES        1000000 /* scalars, lists and mappings */
#define MAX_ANCHORS      1000
#define MAX_ALIASES      10000

/* ------------------------------------------------------------------ */
/* Files and libyaml */

static int too_large(struct scn_ctx *c, uint64_t size, bool exact)
{
	return scn_fail_at(c, 1, 1, "file too large: %s%" PRIu64 " bytes; a scenario may be at most"
		       " %" PRIu64 " bytes (16 MiB)", exact ? "" : "more than ", size,
		       MAX_FILE_BYTES);
}

/*
 * Reads the whole file, or fails once it is known to hold more than
 * MAX_FILE_BYTES: at once from the size of a regular file, else after
 * MAX_FILE_BYTES + 1 bytes (a pipe, /dev/zero).
 */
static int read_file(struct scn_ctx *c, unsigned char **out, size_t *outlen)
{
	unsigned char *buf = NULL, *nb;
	size_t len = 0, cap = 4096, n;
	struct stat st;
	FILE *f;
	int e;

	if (!(f = fopen(c->path, "rb")))
		return scn_fail_at(c, 1, 1, "cannot read file: %s", strerror(errno));
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
				return scn_fail_at(c, 1, 1, "out of memory");
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
				return scn_fail_at(c, 1, 1, "cannot read file: %s", strerror(e));
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
static int reader_error(struct scn_ctx *c, const yaml_parser_t *p)
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
			return scn_fail_at(c, line, col, "a NUL byte is not allowed in YAML text"
				       " (YAML 1.2 5.1); is this a binary file?");
		return scn_fail_at(c, line, col, "control character U+%04X is not allowed in YAML"
			       " text (YAML 1.2 5.1)", (unsigned)p->problem_value);
	}
	return scn_fail_at(c, line, col, "YAML syntax error: %s",
		       p->problem ? p->problem : "unknown problem");
}

static int yaml_error(struct scn_ctx *c, const yaml_parser_t *p)
{
	const char *problem = p->problem ? p->problem : "unknown problem";
	unsigned char at;

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return scn_fail_at(c, 1, 1, "out of memory");
	case YAML_READER_ERROR:
		return reader_error(c, p);
	case YAML_SCANNER_ERROR:
		/* YAML 1.2 6.1: "tabs must not be used in indentation". */
		if (strstr(problem, "tab") || scn_char_at(c, &p->problem_mark) == '\t')
			return scn_fail_mark(c, &p->problem_mark, "a tab character is not allowed in"
					 " YAML indentation; use spaces");
		/*
		 * An unquoted ">= 1": '>' starts a folded block scalar (YAML 1.2
		 * 8.1.3) whose header cannot go on with "= 1"; in a flow
		 * collection '>' cannot start a value at all.
		 */
		if (p->context && !strcmp(p->context, "while scanning a block scalar") &&
		    ((at = scn_char_at(c, &p->context_mark)) == '>' || at == '|'))
			return scn_fail_quoted(c, &p->context_mark, at == '>' ?
					   "YAML reads '>' here as the start of a folded block scalar" :
					   "YAML reads '|' here as the start of a literal block scalar");
		if ((at = scn_char_at(c, &p->problem_mark)) == '>' || at == '|')
			return scn_fail_quoted(c, &p->problem_mark, at == '>' ?
					   "YAML cannot start a value with '>' in a flow collection" :
					   "YAML cannot start a value with '|' in a flow collection");
		break;
	case YAML_COMPOSER_ERROR:
		/* libyaml follows YAML 1.1, where an anchor names one node only. */
		if (p->context && strstr(p->context, "duplicate anchor")) {
			size_t off = scn_mark_offset(c, &p->problem_mark), e = off;

			while (e < c->len && e - off < 40 && !scn_is_blank(c->buf[e]) &&
			       !strchr(",[]{}\r\n", c->buf[e]))
				e++;
			return scn_fail_mark_fmt(c, &p->problem_mark, "duplicate anchor '%.*s': it is"
					     " already defined at %zu:%zu", (int)(e - off),
					     off < c->len ? (const char *)c->buf + off : "",
					     p->context_mark.line + 1, p->context_mark.column + 1);
		}
		break;
	default:
		break;
	}
	return scn_fail_at(c, p->problem_mark.line + 1, p->problem_mark.column + 1,
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
static int tag_error(struct scn_ctx *c, const yaml_mark_t *m)
{
	size_t off = scn_mark_offset(c, m), e;

	/* The mark is at the node's first property, which may be an anchor. */
	while (off < c->len && c->buf[off] != '!' && c->buf[off] != '\n')
		off++;
	if (off >= c->len || c->buf[off] != '!')
		return scn_fail_mark(c, m, "YAML tags are not supported");
	if (off + 1 < c->len && (c->buf[off + 1] == '=' || c->buf[off + 1] == '<' ||
				 c->buf[off + 1] == '>'))
		return scn_fail_quoted(c, m, "YAML reads '!' here as the start of a tag");
	for (e = off; e < c->len && e - off < 40 && !scn_is_blank(c->buf[e]) &&
	     c->buf[e] != '\n' && c->buf[e] != '\r'; e++)
		;
	return scn_fail_mark_fmt(c, m, "YAML tags such as '%.*s' are not supported; remove it",
			     (int)(e - off), (const char *)c->buf + off);
}

static int check_event(struct scn_ctx *c, const yaml_event_t *ev, struct shape *sh)
{
	const yaml_mark_t *m = &ev->start_mark;
	const yaml_char_t *anchor = NULL, *tag = NULL;

	switch (ev->type) {
	case YAML_DOCUMENT_START_EVENT:
		/* One scenario per file: a second "---" document is a mistake. */
		if (++sh->documents > 1)
			return scn_fail_mark(c, m, "a scenario file holds one YAML document");
		return 0;
	case YAML_ALIAS_EVENT:
		if (++sh->aliases > MAX_ALIASES)
			return scn_fail_mark_fmt(c, m, "more than %d aliases", MAX_ALIASES);
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
		return scn_fail_mark_fmt(c, m, "lists and mappings nested more than %d deep", MAX_DEPTH);
	if (++sh->nodes > MAX_NODES)
		return scn_fail_mark_fmt(c, m, "more than %d values, lists and mappings", MAX_NODES);
	if (anchor && ++sh->anchors > MAX_ANCHORS)
		return scn_fail_mark_fmt(c, m, "more than %d anchors", MAX_ANCHORS);
	if (tag)
		return tag_error(c, m);
	return 0;
}

/* The first pass: every event of the text, nothing built (see the top). */
static int check_events(struct scn_ctx *c)
{
	struct shape sh = { 0 };
	yaml_parser_t parser;
	yaml_event_t ev;
	int rc = 0;

	if (!yaml_parser_initialize(&parser))
		return scn_fail_at(c, 1, 1, "out of memory");
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
	/* Every key's default is its schema row's; tcp_cfg_defaults fills the
	 * settings no key reaches (tests/check_schema.c holds the two to agree). */
	schema_defaults(&schema_top, s, NULL, false);
	schema_defaults(&schema_capture, s, NULL, false);
	schema_defaults(&schema_link, &s->link, &s->link.a_to_b, false);
	s->link.mtu = s->link.a_to_b.mtu;
	s->link.b_to_a = s->link.a_to_b;
	tcp_cfg_defaults(&s->client.tcp);
	tcp_cfg_defaults(&s->server.tcp);
	schema_defaults(&schema_host, &s->client, NULL, false);
	schema_defaults(&schema_host, &s->server, NULL, true);
	schema_defaults(&schema_tcp, &s->client.tcp, NULL, false);
	schema_defaults(&schema_tcp, &s->server.tcp, NULL, false);
	schema_defaults(&schema_read_pacing, &s->client.app, NULL, false);
	schema_defaults(&schema_read_pacing, &s->server.app, NULL, false);
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
	free(s->link.a_to_b.blackout);
	free(s->link.b_to_a.blackout);
	free((void *)s->link.a_to_b.rules);
	free((void *)s->link.b_to_a.rules);
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

/* Parses len bytes of YAML text named path; the heart of both entry points. */
static int load_text(struct scn_ctx *c, const unsigned char *buf, size_t len, struct scenario *s)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int rc = -1;

	c->buf = buf;
	c->len = len;
	c->scn = s;
	if (len > MAX_FILE_BYTES)
		return too_large(c, len, true);
	if (check_events(c))
		return -1;
	if (!yaml_parser_initialize(&parser))
		return scn_fail_at(c, 1, 1, "out of memory");
	yaml_parser_set_input_string(&parser, buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_error(c, &parser);
		goto out_parser;
	}
	c->doc = &doc;
	root = yaml_document_get_root_node(&doc);
	if (!root || root->type != YAML_MAPPING_NODE) {
		scn_fail_at(c, 1, 1, "a scenario must be a mapping of keys");
	} else {
		rc = 0;
		/* The root is node 1 (yaml_document_get_root_node). */
		for (size_t i = 0; i < c->nsets && rc == 0; i++)
			rc = scn_apply_set(c, i, 1);
		if (rc == 0)
			rc = schema_read(c, yaml_document_get_root_node(&doc), &schema_top, NULL, s,
					 NULL);
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
static int load_begin(struct scn_ctx *c, const char *path, const char *const *sets, size_t nsets,
		      struct scenario *s)
{
	if (c->err && c->errlen)
		c->err[0] = '\0';
	scenario_defaults(s);
	if (!s->name || !(s->file = strdup(path)))
		return scn_fail_at(c, 1, 1, "out of memory");
	if (nsets == 0)
		return 0;
	if (!(s->set = calloc(nsets + 1, sizeof(*s->set))))
		return scn_fail_at(c, 1, 1, "out of memory");
	for (s->nset = 0; s->nset < nsets; s->nset++)
		if (!(s->set[s->nset] = strdup(sets[s->nset])))
			return scn_fail_at(c, 1, 1, "out of memory");
	c->sets = (const char *const *)s->set;
	c->nsets = s->nset;
	for (size_t i = 0; i < nsets; i++)
		if (scn_check_set_syntax(c, i))
			return -1;
	return 0;
}

int scenario_load_set(const char *path, const char *const *sets, size_t nsets,
		      struct scenario *s, char *err, size_t errlen)
{
	struct scn_ctx c = { .path = path, .err = err, .errlen = errlen };
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
	struct scn_ctx c = { .path = name, .err = err, .errlen = errlen };
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
