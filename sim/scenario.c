/*
 * scenario: reads a YAML scenario file and validates it into a struct
 * scenario with every default applied.
 *
 * Owns the files and libyaml's passes over them, --set, the app: scripts
 * and the expect: block. Which keys exist where, their kinds, ranges,
 * defaults and readers are the rows of schema.c; the walk's errors, key
 * lookup and scalar readers are yaml_walk.c; the number and unit syntax is
 * units.c. Called by main.c (scenario_load_set), by tests
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
 *     (apply_set); then it is walked by the schema: load_text ->
 *     schema_read(top) -> each row's reader -> schema_read(link, host, tcp,
 *     ...) and scn_read_app / scn_read_expect here. Each mapping is first
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

#include "scenario.h"
#include "schema.h"
#include "units.h"
#include "yaml_walk.h"

#define MAX_STEPS        100000 /* after repeat blocks are unrolled */
#define MAX_REPEAT_DEPTH 16     /* repeat blocks inside repeat blocks */

/* Input limits, far above what a scenario needs (docs/scenarios.md). */
#define MAX_FILE_BYTES   (UINT64_C(16) << 20)  /* 16 MiB */
#define MAX_DEPTH        64      /* lists and mappings inside each other */
#define MAX_NODES        1000000 /* scalars, lists and mappings */
#define MAX_ANCHORS      1000
#define MAX_ALIASES      10000

/* ------------------------------------------------------------------ */
/* app */

static const char *const step_names[] = {
	"connect", "send", "wait", "at", "close", "abort", "read", "repeat", "requests", NULL
};
static const char *const repeat_keys[] = { "times", "steps", NULL };
static const char *const requests_keys[] = { "count", "request", "response", "think", NULL };
static const char *const server_apps[] = { "sink", "echo", "none", NULL };
static const char *const echo_keys[] = { "read_buffer", "write", NULL };
static const char *const respond_keys[] = { "request", "response", "delay", NULL };

static int parse_step(struct scn_ctx *c, yaml_node_t *item, struct app_step *st)
{
	static const char unknown_hint[] =
		"use connect, send, wait, at, read, repeat, requests, close or abort";
	yaml_node_t *k, *v;
	const char *name, *s, *msg;
	uint64_t n;

	st->loc.line = (uint32_t)item->start_mark.line + 1;
	st->loc.col = (uint32_t)item->start_mark.column + 1;

	if (item->type == YAML_SCALAR_NODE) {
		if (!(name = scn_scalar(c, "app", item)))
			return -1;
		if (!strcmp(name, "connect"))
			st->kind = STEP_CONNECT;
		else if (!strcmp(name, "close"))
			st->kind = STEP_CLOSE;
		else if (!strcmp(name, "abort"))
			st->kind = STEP_ABORT;
		else if (!strcmp(name, "send"))
			return scn_fail(c, item, "send needs a byte count or quoted text, e.g. 'send: 10MB'");
		else if (!strcmp(name, "wait"))
			return scn_fail(c, item, "wait needs a time, e.g. 'wait: 100ms'");
		else if (!strcmp(name, "at"))
			return scn_fail(c, item, "at needs a time, e.g. 'at: 2s'");
		else if (!strcmp(name, "requests"))
			return scn_fail(c, item, "requests needs {count, request, response}");
		else if (!strcmp(name, "read"))
			return scn_fail(c, item, "read needs a byte count, e.g. 'read: 1KB'");
		else if (!strcmp(name, "repeat"))
			return scn_fail(c, item, "repeat needs 'times' and 'steps'");
		else if ((s = scn_suggest(name, step_names)))
			return scn_fail(c, item, "unknown step '%s' (did you mean '%s'?)", name, s);
		else
			return scn_fail(c, item, "unknown step '%s': %s", name, unknown_hint);
		return 0;
	}
	if (item->type != YAML_MAPPING_NODE || scn_npairs(item) != 1)
		return scn_fail(c, item, "a step is connect, send: BYTES, wait: TIME, at: TIME,"
			    " read: BYTES, repeat, requests, close or abort, each on its own '-' line");

	k = scn_node(c, item->data.mapping.pairs.start->key);
	v = scn_node(c, item->data.mapping.pairs.start->value);
	if (k->type != YAML_SCALAR_NODE)
		return scn_fail(c, k, "a key in 'app' must be a scalar");
	if (scn_has_nul(k))
		return scn_fail(c, k, "a key in 'app' must not hold a NUL character (\\0)");
	name = scn_text(k);

	if (!strcmp(name, "connect")) {
		st->kind = STEP_CONNECT;
		if (!(s = scn_scalar(c, name, v)))
			return -1;
		if ((msg = scn_over(parse_uint(s, &n), 65535, &n)))
			return scn_fail(c, v, "connect: %s", msg);
		if (n < 1 || n > 65535)
			return scn_fail(c, v, "connect: the port must be between 1 and 65535");
		st->port = (uint16_t)n;
		return 0;
	}
	if (!strcmp(name, "send")) {
		st->kind = STEP_SEND;
		if (v->type != YAML_SCALAR_NODE)
			return scn_fail(c, v, "'send' must be a scalar");
		s = scn_text(v);
		if (!scn_is_plain(v)) {
			/* Quoted (or block) text is sent as it is, "\0" included. */
			if (v->data.scalar.length == 0)
				return scn_fail(c, v, "send: the text is empty");
			st->text = scn_dup_bytes(s, v->data.scalar.length);
			if (!st->text)
				return scn_oom(c, v);
			st->text_len = v->data.scalar.length;
			return 0;
		}
		if (*s == '\0')
			return scn_fail(c, v, "send needs a byte count or quoted text, e.g. 'send: 10MB'");
		if (!(*s >= '0' && *s <= '9') && *s != '-')
			return scn_fail(c, v, "send: '%s' is not a byte count; quote literal text", s);
		if ((msg = parse_size_bytes(s, &n)))
			return scn_fail(c, v, "send: %s", msg);
		if (n == 0)
			return scn_fail(c, v, "send: must be greater than 0");
		st->bytes = n;
		return 0;
	}
	if (!strcmp(name, "read")) {
		st->kind = STEP_READ;
		if (!(s = scn_scalar(c, name, v)))
			return -1;
		if ((msg = parse_size_bytes(s, &n)))
			return scn_fail(c, v, "read: %s", msg);
		if (n == 0)
			return scn_fail(c, v, "read: must be greater than 0");
		st->bytes = n;
		return 0;
	}
	if (!strcmp(name, "wait")) {
		st->kind = STEP_WAIT;
		if (!(s = scn_scalar(c, name, v)))
			return -1;
		if ((msg = parse_time_ns(s, &st->wait_ns)))
			return scn_fail(c, v, "wait: %s", msg);
		return 0;
	}
	if (!strcmp(name, "at")) {
		/* Wait until this virtual time (from the start of the run). */
		st->kind = STEP_AT;
		if (!(s = scn_scalar(c, name, v)))
			return -1;
		if ((msg = parse_time_ns(s, &st->wait_ns)))
			return scn_fail(c, v, "at: %s", msg);
		return 0;
	}
	if (!strcmp(name, "close") || !strcmp(name, "abort"))
		return scn_fail(c, k, "%s takes no value", name);
	if ((s = scn_suggest(name, step_names)))
		return scn_fail(c, k, "unknown step '%s' (did you mean '%s'?)", name, s);
	return scn_fail(c, k, "unknown step '%s': %s", name, unknown_hint);
}

/* Room for one more step at the end of app->steps. */
static struct app_step *add_step(struct scn_ctx *c, yaml_node_t *at, struct app_cfg *app,
				 size_t *cap)
{
	if (app->nsteps == MAX_STEPS) {
		scn_fail(c, at, "app: more than %d steps once repeat blocks are unrolled", MAX_STEPS);
		return NULL;
	}
	if (app->nsteps == *cap) {
		size_t ncap = *cap ? *cap * 2 : 16;
		struct app_step *ns = realloc(app->steps, ncap * sizeof(*ns));
		if (!ns) {
			scn_oom(c, at);
			return NULL;
		}
		app->steps = ns;
		*cap = ncap;
	}
	memset(&app->steps[app->nsteps], 0, sizeof(app->steps[0]));
	return &app->steps[app->nsteps++];
}

static int parse_steps(struct scn_ctx *c, yaml_node_t *seq, struct app_cfg *app, size_t *cap,
		       unsigned depth);

/*
 * - repeat: {times: N, steps: [...]} is unrolled here: its steps are
 * parsed once and copied N-1 more times, so the running app sees a flat list.
 */
static int parse_repeat(struct scn_ctx *c, yaml_node_t *v, struct app_cfg *app, size_t *cap,
			unsigned depth)
{
	yaml_node_t *steps;
	uint64_t times = 0;
	size_t first = app->nsteps, len;

	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "repeat: expected {times: N, steps: [...]}");
	/* An alias can make a repeat hold itself: YAML allows the cycle. */
	if (depth >= MAX_REPEAT_DEPTH)
		return scn_fail(c, v, "repeat: nested more than %d deep (does an alias"
			    " name a list that holds it?)", MAX_REPEAT_DEPTH);
	if (scn_check_keys(c, v, "repeat", repeat_keys))
		return -1;
	if (!scn_find(c, v, "times"))
		return scn_fail(c, v, "missing key 'times' in 'repeat'");
	if (!(steps = scn_find(c, v, "steps")))
		return scn_fail(c, v, "missing key 'steps' in 'repeat'");
	if (scn_get_uint(c, v, "times", &times, 1, MAX_STEPS))
		return -1;
	if (steps->type != YAML_SEQUENCE_NODE || scn_nitems(steps) == 0)
		return scn_fail(c, steps, "repeat: 'steps' must be a list of at least one step");
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
static int parse_requests(struct scn_ctx *c, yaml_node_t *v, struct app_cfg *app, size_t *cap)
{
	uint64_t count = 0, req = 0, resp = 0, think = 0;

	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "requests: expected {count: N, request: SIZE, response: SIZE}");
	if (scn_check_keys(c, v, "requests", requests_keys))
		return -1;
	for (const char *const *k = requests_keys; *k && strcmp(*k, "think"); k++)
		if (!scn_find(c, v, *k))
			return scn_fail(c, v, "missing key '%s' in 'requests'", *k);
	if (scn_get_uint(c, v, "count", &count, 1, MAX_STEPS) ||
	    scn_get_buffer(c, v, "request", &req) || scn_get_buffer(c, v, "response", &resp) ||
	    scn_get_time(c, v, "think", &think, false, MAX_TCP_TIME_NS))
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

static int parse_steps(struct scn_ctx *c, yaml_node_t *seq, struct app_cfg *app, size_t *cap,
		       unsigned depth)
{
	yaml_node_item_t *it;

	for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
		yaml_node_t *item = scn_node(c, *it), *k;
		struct app_step *st;

		if (item->type == YAML_MAPPING_NODE && scn_npairs(item) == 1 &&
		    (k = scn_node(c, item->data.mapping.pairs.start->key))->type == YAML_SCALAR_NODE &&
		    !scn_has_nul(k) && !strcmp(scn_text(k), "repeat")) {
			if (parse_repeat(c, scn_node(c, item->data.mapping.pairs.start->value), app, cap,
					 depth))
				return -1;
			continue;
		}
		if (item->type == YAML_MAPPING_NODE && scn_npairs(item) == 1 &&
		    (k = scn_node(c, item->data.mapping.pairs.start->key))->type == YAML_SCALAR_NODE &&
		    !scn_has_nul(k) && !strcmp(scn_text(k), "requests")) {
			if (parse_requests(c, scn_node(c, item->data.mapping.pairs.start->value), app,
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
static int parse_echo(struct scn_ctx *c, yaml_node_t *v, struct app_cfg *app)
{
	yaml_node_t *w;
	const char *s;

	app->kind = APP_ECHO;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "echo: expected {read_buffer: SIZE, write: read | whole_buffer}");
	if (scn_check_keys(c, v, "echo", echo_keys))
		return -1;
	if (scn_get_buffer(c, v, "read_buffer", &app->echo_buffer))
		return -1;
	if (app->echo_buffer > 65536)
		return scn_fail(c, scn_find(c, v, "read_buffer"), "read_buffer: must be at most 64KiB");
	if ((w = scn_find(c, v, "write"))) {
		if (!(s = scn_scalar(c, "write", w)))
			return -1;
		if (!strcmp(s, "whole_buffer"))
			app->echo_whole = true;
		else if (strcmp(s, "read"))
			return scn_fail(c, w, "write: '%s' is not read or whole_buffer", s);
		if (app->echo_whole && !app->echo_buffer)
			return scn_fail(c, w, "write: whole_buffer needs a read_buffer size");
	}
	return 0;
}

/* app: {respond: {request: SIZE, response: SIZE, delay: TIME}} */
static int parse_respond(struct scn_ctx *c, yaml_node_t *v, struct app_cfg *app)
{
	app->kind = APP_RESPOND;
	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "respond: expected {request: SIZE, response: SIZE, delay: TIME}");
	if (scn_check_keys(c, v, "respond", respond_keys))
		return -1;
	if (!scn_find(c, v, "request"))
		return scn_fail(c, v, "missing key 'request' in 'respond'");
	if (!scn_find(c, v, "response"))
		return scn_fail(c, v, "missing key 'response' in 'respond'");
	return scn_get_buffer(c, v, "request", &app->request_bytes) ||
	       scn_get_buffer(c, v, "response", &app->response_bytes) ||
	       scn_get_time(c, v, "delay", &app->respond_delay_ns, false, MAX_TCP_TIME_NS) ? -1 : 0;
}

int scn_read_app(struct scn_ctx *c, yaml_node_t *v, bool client, struct app_cfg *app)
{
	static const char client_msg[] = "the client's app must be a script starting with connect";
	size_t cap = 0, i;

	if (v->type == YAML_SCALAR_NODE && !client) {
		const char *s = scn_scalar(c, "app", v), *hint;

		if (!s)
			return -1;
		if (!strcmp(s, "sink"))
			app->kind = APP_SINK;
		else if (!strcmp(s, "echo"))
			app->kind = APP_ECHO;
		else if (!strcmp(s, "none"))
			app->kind = APP_NONE;
		else if ((hint = scn_suggest(s, server_apps)))
			return scn_fail(c, v, "app: unknown app '%s' (did you mean '%s'?)", s, hint);
		else
			return scn_fail(c, v, "app: '%s' is not sink, echo, none or a list of steps", s);
		return 0;
	}
	if (v->type == YAML_MAPPING_NODE && !client && scn_npairs(v) == 1) {
		yaml_node_t *k = scn_node(c, v->data.mapping.pairs.start->key);
		yaml_node_t *val = scn_node(c, v->data.mapping.pairs.start->value);
		if (k->type == YAML_SCALAR_NODE && !scn_has_nul(k) && !strcmp(scn_text(k), "echo"))
			return parse_echo(c, val, app);
		if (k->type == YAML_SCALAR_NODE && !scn_has_nul(k) && !strcmp(scn_text(k), "respond"))
			return parse_respond(c, val, app);
	}
	if (v->type != YAML_SEQUENCE_NODE) {
		if (client)
			return scn_fail(c, v, "%s", client_msg);
		return scn_fail(c, v, "'app' must be sink, echo, none, {echo: ...}, {respond: ...}"
			    " or a list of steps");
	}
	if (scn_nitems(v) == 0)
		return client ? scn_fail(c, v, "%s", client_msg) :
				scn_fail(c, v, "app: a script needs at least one step");

	app->kind = APP_SCRIPT;
	if (parse_steps(c, v, app, &cap, 0))
		return -1;
	/* Checked on the unrolled list, at each step's own line. */
	for (i = 0; i < app->nsteps; i++) {
		const struct app_step *st = &app->steps[i];

		if (!client && i > 0 && st->kind == STEP_CONNECT)
			return scn_fail_at(c, st->loc.line, st->loc.col,
				       "the server accepts, or connects as its first step"
				       " (a simultaneous open); not later");
		if (client && i == 0 && st->kind != STEP_CONNECT)
			return scn_fail_at(c, st->loc.line, st->loc.col, "%s", client_msg);
		if (client && i > 0 && st->kind == STEP_CONNECT) {
			bool copy = st->loc.line == app->steps[0].loc.line &&
				    st->loc.col == app->steps[0].loc.col;
			return scn_fail_at(c, st->loc.line, st->loc.col, copy ?
				       "app: a connect inside repeat would run more than once;"
				       " put it before the repeat" :
				       "app: the client connects once; remove this second connect");
		}
	}
	return 0;
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
static int expect_operand(struct scn_ctx *c, const char *key, yaml_node_t *v, const char *s,
			  bool literal, struct scn_expect *e)
{
	if (!literal && !scn_parse_bool(s, &e->boolean)) {
		e->type = EXPECT_BOOL;
		return 0;
	}
	if (!literal) {
		switch (parse_number(s, &e->number)) {
		case NUMBER_OK:
			e->type = EXPECT_NUMBER;
			return 0;
		case NUMBER_TOO_LARGE:
			return scn_fail(c, v, "%s: the number is too large", key);
		case NOT_A_NUMBER:
			break;
		}
	}
	e->type = EXPECT_STRING;
	e->string = strdup(s);
	return e->string ? 0 : scn_oom(c, v);
}

static int parse_expect_value(struct scn_ctx *c, const char *key, yaml_node_t *v,
			      struct scn_expect *e)
{
	static const struct { const char *tok; enum expect_op op; } ops[] = {
		{ "==", EXPECT_EQ }, { "!=", EXPECT_NE }, { "<=", EXPECT_LE },
		{ ">=", EXPECT_GE }, { "<", EXPECT_LT }, { ">", EXPECT_GT },
	};
	const char *s, *rest = NULL;
	size_t i;

	if (!(s = scn_scalar(c, key, v)))
		return -1;
	e->op = EXPECT_EQ;
	if (scn_block_header(c, v))
		return scn_fail_quoted(c, &v->start_mark, v->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ?
				   "YAML reads '|' here as the start of a literal block scalar" :
				   "YAML reads '>' here as the start of a folded block scalar");
	if (*s == '\0')
		return scn_fail(c, v, "%s: needs a value to compare with", key);
	if (!strchr("<>=!", s[0]))
		return expect_operand(c, key, v, s, !scn_is_plain(v), e);

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
		return scn_fail(c, v, "bad comparison '%s': use ==, !=, <, <=, > or >=", s);
	if (expect_operand(c, key, v, rest, false, e))
		return -1;
	if (e->op != EXPECT_EQ && e->op != EXPECT_NE && e->type != EXPECT_NUMBER)
		return scn_fail(c, v, "bad comparison '%s': <, <=, > and >= need a number", s);
	return 0;
}

int scn_read_expect(struct scn_ctx *c, yaml_node_t *v, struct scenario *s)
{
	yaml_node_pair_t *p;
	size_t n;

	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'expect' must be a mapping");
	if (scn_check_keys(c, v, "expect", NULL))
		return -1;
	n = scn_npairs(v);
	if (n == 0)
		return 0;
	s->expect = calloc(n, sizeof(*s->expect));
	if (!s->expect)
		return scn_oom(c, v);
	scn_for_each_pair(p, v) {
		yaml_node_t *k = scn_node(c, p->key), *val = scn_node(c, p->value);
		struct scn_expect *e = &s->expect[s->nexpect++];

		/* A --set may have replaced the file's value, or added the pair. */
		if (val->start_mark.index == SET_MARK) {
			e->set = c->sets[val->start_mark.line];
		} else {
			e->loc.line = (uint32_t)k->start_mark.line + 1;
			e->loc.col = (uint32_t)k->start_mark.column + 1;
		}
		if (!(e->key = strdup(scn_text(k))))
			return scn_oom(c, k);
		if (parse_expect_value(c, e->key, val, e))
			return -1;
	}
	return 0;
}

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
	s->link.a_to_b.mtu = s->link.mtu;
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
static int check_set_syntax(struct scn_ctx *c, size_t i)
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
static int apply_set(struct scn_ctx *c, size_t i, int root)
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
			rc = apply_set(c, i, 1);
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
		if (check_set_syntax(c, i))
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
