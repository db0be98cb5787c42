/*
 * scenario_steps: what an application does, from a host's app: key. A
 * server's word (sink, echo, none) or mapping ({echo: ...}, {respond: ...}),
 * or a script: a list of steps, with repeat: and requests: blocks unrolled
 * here into the flat list the running app sees, each step keeping the line
 * and column it was written at for later messages.
 *
 * Called by the schema's app row (schema.c: read_app -> scn_read_app ->
 * parse_steps -> parse_step / parse_repeat / parse_requests).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "scenario.h"
#include "schema.h"
#include "units.h"
#include "yaml_walk.h"

#define MAX_STEPS        100000 /* after repeat blocks are unrolled */
#define MAX_REPEAT_DEPTH 16     /* repeat blocks inside repeat blocks */

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
