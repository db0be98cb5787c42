/*
 * report: the end-of-run summary (human text and JSON) and the expect:
 * checker. main.c calls report_text or report_json after a run and
 * report_check for --check; report_key_known lets a caller reject an unknown
 * expect: key before anything runs.
 *
 * Everything here walks one table, SUMMARY_KEYS: the dotted key, its type and
 * where its value lives in struct summary. The JSON nests the keys by their
 * dots in table order, and expect: looks keys up in the same table, so the
 * two cannot drift apart and the set of keys never depends on a run's values.
 *
 * Numbers are printed without the locale-dependent parts of printf (the
 * program never calls setlocale) and never in exponent notation, so the JSON
 * of a run is the same bytes on every machine.
 */
#include "report.h"
#include "world.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

enum entry_type {
	E_UINT,         /* uint64_t */
	E_DOUBLE,       /* double, printed with .decimals fixed decimals */
	E_NANOS,        /* uint64_t nanoseconds, shown as seconds with 9 decimals */
	E_BOOL,         /* bool */
	E_STRING,       /* const char *, NULL shown as JSON null */
	E_LIST,         /* const char *[2], NULL-terminated early; JSON only */
};

struct entry {
	const char *key;
	enum entry_type type;
	int decimals;   /* E_DOUBLE only */
	size_t off;     /* of the value in struct summary */
};

#define HOST_KEYS(h) \
	{ #h ".state", E_STRING, 0, offsetof(struct summary, h.state) }, \
	{ #h ".error", E_STRING, 0, offsetof(struct summary, h.error) }, \
	{ #h ".app_bytes_sent", E_UINT, 0, offsetof(struct summary, h.app_bytes_sent) }, \
	{ #h ".app_bytes_received", E_UINT, 0, offsetof(struct summary, h.app_bytes_received) }, \
	{ #h ".data_intact", E_BOOL, 0, offsetof(struct summary, h.data_intact) }, \
	{ #h ".app_bytes_missing", E_UINT, 0, offsetof(struct summary, h.app_bytes_missing) }, \
	{ #h ".segments_sent", E_UINT, 0, offsetof(struct summary, h.segments_sent) }, \
	{ #h ".data_segments_sent", E_UINT, 0, offsetof(struct summary, h.data_segments_sent) }, \
	{ #h ".payload_bytes_sent", E_UINT, 0, offsetof(struct summary, h.payload_bytes_sent) }, \
	{ #h ".retransmissions", E_UINT, 0, offsetof(struct summary, h.retransmissions) }, \
	{ #h ".fast_retransmits", E_UINT, 0, offsetof(struct summary, h.fast_retransmits) }, \
	{ #h ".rto_timeouts", E_UINT, 0, offsetof(struct summary, h.rto_timeouts) }, \
	{ #h ".dupacks_received", E_UINT, 0, offsetof(struct summary, h.dupacks_received) }, \
	{ #h ".max_cwnd_bytes", E_UINT, 0, offsetof(struct summary, h.max_cwnd_bytes) }, \
	{ #h ".final_srtt_ms", E_DOUBLE, 3, offsetof(struct summary, h.final_srtt_ms) }, \
	{ #h ".final_rto_ms", E_DOUBLE, 3, offsetof(struct summary, h.final_rto_ms) }, \
	{ #h ".segments_received", E_UINT, 0, offsetof(struct summary, h.segments_received) }, \
	{ #h ".checksum_errors", E_UINT, 0, offsetof(struct summary, h.checksum_errors) }, \
	{ #h ".resets_sent", E_UINT, 0, offsetof(struct summary, h.resets_sent) }, \
	{ #h ".resets_received", E_UINT, 0, offsetof(struct summary, h.resets_received) }, \
	{ #h ".app_goodput_mbps", E_DOUBLE, 3, offsetof(struct summary, h.app_goodput_mbps) }, \
	{ #h ".app_goodput_second_half_mbps", E_DOUBLE, 3, \
	  offsetof(struct summary, h.app_goodput_second_half_mbps) }, \
	{ #h ".delayed_acks", E_UINT, 0, offsetof(struct summary, h.delayed_acks) }, \
	{ #h ".nagle_holds", E_UINT, 0, offsetof(struct summary, h.nagle_holds) }, \
	{ #h ".window_probes", E_UINT, 0, offsetof(struct summary, h.window_probes) }, \
	{ #h ".zero_windows_sent", E_UINT, 0, offsetof(struct summary, h.zero_windows_sent) }, \
	{ #h ".window_updates_sent", E_UINT, 0, offsetof(struct summary, h.window_updates_sent) }, \
	{ #h ".dupacks_sent", E_UINT, 0, offsetof(struct summary, h.dupacks_sent) }, \
	{ #h ".ooo_segments_received", E_UINT, 0, offsetof(struct summary, h.ooo_segments_received) }, \
	{ #h ".spurious_retransmissions", E_UINT, 0, \
	  offsetof(struct summary, h.spurious_retransmissions) }

#define LINK_KEYS(l) \
	{ "link." #l ".packets", E_UINT, 0, offsetof(struct summary, l.packets) }, \
	{ "link." #l ".dropped", E_UINT, 0, offsetof(struct summary, l.dropped) }, \
	{ "link." #l ".queue_drops", E_UINT, 0, offsetof(struct summary, l.queue_drops) }, \
	{ "link." #l ".reordered", E_UINT, 0, offsetof(struct summary, l.reordered) }, \
	{ "link." #l ".duplicated", E_UINT, 0, offsetof(struct summary, l.duplicated) }, \
	{ "link." #l ".corrupted", E_UINT, 0, offsetof(struct summary, l.corrupted) }

/*
 * The summary, in output order. Keys sharing a dotted prefix must be
 * contiguous: the JSON writer opens and closes objects as the prefix changes.
 */
static const struct entry SUMMARY_KEYS[] = {
	{ "scenario", E_STRING, 0, offsetof(struct summary, scenario) },
	{ "seed", E_UINT, 0, offsetof(struct summary, seed) },
	{ "end_time_s", E_NANOS, 0, offsetof(struct summary, end_time_ns) },
	{ "events", E_UINT, 0, offsetof(struct summary, events) },
	{ "duration_reached", E_BOOL, 0, offsetof(struct summary, duration_reached) },
	HOST_KEYS(client),
	HOST_KEYS(server),
	LINK_KEYS(client_to_server),
	LINK_KEYS(server_to_client),
	{ "pcap", E_LIST, 0, offsetof(struct summary, pcap) },
};

#define NKEYS (sizeof SUMMARY_KEYS / sizeof SUMMARY_KEYS[0])
#define MAX_DEPTH 4     /* deepest key: link.client_to_server.packets */
/* Room for any double printed with %.3f (DBL_MAX has 309 integer digits). */
#define NUMBUF 512

/* ---- reading a value out of the summary ---- */

static const void *field(const struct summary *s, const struct entry *e)
{
	return (const char *)s + e->off;
}

static uint64_t get_uint(const struct summary *s, const struct entry *e)
{
	return *(const uint64_t *)field(s, e);
}

static double get_double(const struct summary *s, const struct entry *e)
{
	return *(const double *)field(s, e);
}

static bool get_bool(const struct summary *s, const struct entry *e)
{
	return *(const bool *)field(s, e);
}

static const char *get_string(const struct summary *s, const struct entry *e)
{
	return *(const char *const *)field(s, e);
}

static const struct entry *find_entry(const char *key)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(SUMMARY_KEYS[i].key, key) == 0)
			return &SUMMARY_KEYS[i];
	return NULL;
}

/* ---- number formatting ---- */

/*
 * v with exactly `decimals` decimals into buf; never an exponent, never
 * "-0.000". Non-finite values (which a run should never produce) become
 * "null" so the JSON stays valid.
 */
static void fmt_fixed(char *buf, size_t len, double v, int decimals)
{
	if (v != v || v - v != 0) {     /* NaN or infinite, without libm */
		snprintf(buf, len, "null");
		return;
	}
	snprintf(buf, len, "%.*f", decimals, v);
	if (buf[0] == '-' && strspn(buf + 1, "0.") == strlen(buf + 1))
		memmove(buf, buf + 1, strlen(buf));
}

/* Nanoseconds as seconds with 9 decimals, exactly (integer arithmetic). */
static void fmt_nanos(char *buf, size_t len, uint64_t ns)
{
	snprintf(buf, len, "%" PRIu64 ".%09" PRIu64,
		 ns / 1000000000u, ns % 1000000000u);
}

/*
 * An expected number as the user most likely wrote it: whole numbers in
 * full (10000000, not 1e+07), others with the fewest digits that read back
 * as the same double (0.1, not 0.10000000000000001).
 */
static void fmt_given(char *buf, size_t len, double v)
{
	if (v == 0)
		v = 0;  /* drop the sign of -0 */
	if (v > -1e18 && v < 1e18 && v == (double)(int64_t)v) {
		snprintf(buf, len, "%" PRId64, (int64_t)v);
		return;
	}
	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return;
	}
}

/* Digits grouped by thousands with commas, for people (not for JSON). */
static void fmt_grouped(char *buf, size_t len, uint64_t n)
{
	char digits[24];
	int nd = snprintf(digits, sizeof digits, "%" PRIu64, n);
	size_t o = 0;

	for (int i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

/* ---- JSON ---- */

static void json_string(FILE *out, const char *str)
{
	if (str == NULL) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(out, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(out, "\\u%04x", *p);
		else
			fputc(*p, out);
	}
	fputc('"', out);
}

/* The value of e as it appears in the JSON (and in "got ..." of a failure). */
static void print_value(FILE *out, const struct summary *s, const struct entry *e)
{
	char buf[NUMBUF];

	switch (e->type) {
	case E_UINT:
		fprintf(out, "%" PRIu64, get_uint(s, e));
		break;
	case E_DOUBLE:
		fmt_fixed(buf, sizeof buf, get_double(s, e), e->decimals);
		fputs(buf, out);
		break;
	case E_NANOS:
		fmt_nanos(buf, sizeof buf, get_uint(s, e));
		fputs(buf, out);
		break;
	case E_BOOL:
		fputs(get_bool(s, e) ? "true" : "false", out);
		break;
	case E_STRING:
		json_string(out, get_string(s, e));
		break;
	case E_LIST: {
		const char *const *list = field(s, e);
		const char *sep = "";

		fputc('[', out);
		for (size_t i = 0; i < 2 && list[i] != NULL; i++) {
			fputs(sep, out);
			json_string(out, list[i]);
			sep = ", ";
		}
		fputc(']', out);
		break;
	}
	}
}

static void indent(FILE *out, int level)
{
	for (int i = 0; i < level; i++)
		fputs("  ", out);
}

/* Starts a member of the object at depth: a comma unless it is the first. */
static void member(FILE *out, bool *nonempty, int depth)
{
	fputs(nonempty[depth] ? ",\n" : "\n", out);
	nonempty[depth] = true;
	indent(out, depth + 1);
}

void report_json(FILE *out, const struct summary *s)
{
	/* open[d] is the name of the object at depth d + 1 (the root is depth 0) */
	const char *open[MAX_DEPTH];
	size_t open_len[MAX_DEPTH];
	bool nonempty[MAX_DEPTH + 1] = { false };
	int depth = 0;

	fputc('{', out);
	for (size_t i = 0; i < NKEYS; i++) {
		const struct entry *e = &SUMMARY_KEYS[i];
		const char *comp[MAX_DEPTH + 1];
		size_t comp_len[MAX_DEPTH + 1];
		int ncomp = 0;

		for (const char *p = e->key;; ) {
			const char *dot = strchr(p, '.');
			size_t n = dot ? (size_t)(dot - p) : strlen(p);

			comp[ncomp] = p;
			comp_len[ncomp++] = n;
			if (dot == NULL)
				break;
			p = dot + 1;
		}

		/* Keep the objects this key shares with the previous one. */
		int keep = 0;
		while (keep < depth && keep < ncomp - 1 &&
		       open_len[keep] == comp_len[keep] &&
		       memcmp(open[keep], comp[keep], comp_len[keep]) == 0)
			keep++;
		while (depth > keep) {
			fputc('\n', out);
			indent(out, depth);
			fputc('}', out);
			depth--;
		}
		while (depth < ncomp - 1) {
			member(out, nonempty, depth);
			fprintf(out, "\"%.*s\": {", (int)comp_len[depth], comp[depth]);
			open[depth] = comp[depth];
			open_len[depth] = comp_len[depth];
			depth++;
			nonempty[depth] = false;
		}
		member(out, nonempty, depth);
		fprintf(out, "\"%.*s\": ", (int)comp_len[ncomp - 1], comp[ncomp - 1]);
		print_value(out, s, e);
	}
	while (depth > 0) {
		fputc('\n', out);
		indent(out, depth);
		fputc('}', out);
		depth--;
	}
	fputs("\n}\n", out);
}

/* ---- human text ---- */

static const char *error_text(const char *error)
{
	if (strcmp(error, "refused") == 0)
		return "connection refused";
	if (strcmp(error, "reset") == 0)
		return "connection reset by peer";
	if (strcmp(error, "timeout") == 0)
		return "connection timed out";
	return error;
}

static void text_host(FILE *out, const char *name, const struct host_summary *h)
{
	char srtt[NUMBUF], rto[NUMBUF], data[NUMBUF];

	if (h->data_intact)
		snprintf(data, sizeof data, "data intact");
	else if (h->app_bytes_missing && !h->data_mismatch)
		snprintf(data, sizeof data, "%" PRIu64 " B NEVER READ", h->app_bytes_missing);
	else
		snprintf(data, sizeof data, "DATA CORRUPT");

	fprintf(out, "  %-6s  %-12s  sent %" PRIu64 " B (%" PRIu64 " data segments, %"
		PRIu64 " retransmitted, %" PRIu64 " RTO)  received %" PRIu64 " B  %s",
		name, h->state ? h->state : "?", h->app_bytes_sent,
		h->data_segments_sent, h->retransmissions, h->rto_timeouts,
		h->app_bytes_received, data);
	if (h->error != NULL)
		fprintf(out, "  %s", error_text(h->error));
	fputc('\n', out);

	fmt_fixed(srtt, sizeof srtt, h->final_srtt_ms, 1);
	fmt_fixed(rto, sizeof rto, h->final_rto_ms, 1);
	fprintf(out, "          segments %" PRIu64 " out / %" PRIu64 " in, %" PRIu64
		" dup ACKs, %" PRIu64 " fast retransmits, max cwnd %" PRIu64
		" B, srtt %s ms, rto %s ms",
		h->segments_sent, h->segments_received, h->dupacks_received,
		h->fast_retransmits, h->max_cwnd_bytes, srtt, rto);
	if (h->checksum_errors)
		fprintf(out, ", %" PRIu64 " bad checksums", h->checksum_errors);
	if (h->resets_sent || h->resets_received)
		fprintf(out, ", RST %" PRIu64 " sent / %" PRIu64 " received",
			h->resets_sent, h->resets_received);
	fputc('\n', out);
	/* The receiver and flow-control line, when something happened there. */
	if (h->delayed_acks || h->nagle_holds || h->zero_windows_sent || h->window_probes ||
	    h->window_updates_sent || h->ooo_segments_received || h->spurious_retransmissions) {
		fprintf(out, "          %" PRIu64 " delayed ACKs, %" PRIu64 " Nagle holds, %"
			PRIu64 " zero windows sent, %" PRIu64 " window probes, %" PRIu64
			" window updates, %" PRIu64 " out-of-order in, %" PRIu64
			" spurious retransmissions\n",
			h->delayed_acks, h->nagle_holds, h->zero_windows_sent, h->window_probes,
			h->window_updates_sent, h->ooo_segments_received,
			h->spurious_retransmissions);
	}
}

static void text_link(FILE *out, const char *name, const struct link_summary *l)
{
	fprintf(out, "  link %s: %" PRIu64 " packets, %" PRIu64 " dropped, %" PRIu64
		" queue drops", name, l->packets, l->dropped, l->queue_drops);
	if (l->reordered)
		fprintf(out, ", %" PRIu64 " reordered", l->reordered);
	if (l->duplicated)
		fprintf(out, ", %" PRIu64 " duplicated", l->duplicated);
	if (l->corrupted)
		fprintf(out, ", %" PRIu64 " corrupted", l->corrupted);
	fputc('\n', out);
}

void report_text(FILE *out, const struct summary *s)
{
	/* Milliseconds, rounded half up, in integers so no locale or float enters. */
	uint64_t ms = s->end_time_ns / 1000000u + (s->end_time_ns % 1000000u >= 500000u);
	char events[32];

	fmt_grouped(events, sizeof events, s->events);
	fprintf(out, "%s (seed %" PRIu64 "): %s %" PRIu64 ".%03" PRIu64
		" s virtual time after %s events\n",
		s->scenario ? s->scenario : "scenario", s->seed,
		s->duration_reached ? "stopped at the duration limit," : "ended at",
		ms / 1000u, ms % 1000u, events);
	text_host(out, "client", &s->client);
	text_host(out, "server", &s->server);
	text_link(out, "client->server", &s->client_to_server);
	text_link(out, "server->client", &s->server_to_client);
	if (s->pcap[0] != NULL) {
		fprintf(out, "  pcap: %s", s->pcap[0]);
		if (s->pcap[1] != NULL)
			fprintf(out, ", %s", s->pcap[1]);
		fputc('\n', out);
	}
}

/* ---- expect: ---- */

bool report_key_known(const char *key)
{
	const struct entry *e;

	if (key == NULL)
		return false;
	e = find_entry(key);
	return e != NULL && e->type != E_LIST;
}

static const char *op_text(enum expect_op op)
{
	switch (op) {
	case EXPECT_EQ: return "==";
	case EXPECT_NE: return "!=";
	case EXPECT_LT: return "<";
	case EXPECT_LE: return "<=";
	case EXPECT_GT: return ">";
	case EXPECT_GE: return ">=";
	}
	return "?";
}

/* "FILE:LINE:COL: ", GNU style; without LINE:COL for a hand-made expectation. */
static void print_where(FILE *err, const struct scenario *scn,
			const struct scn_expect *x)
{
	fputs(scn->file ? scn->file : scn->name ? scn->name : "scenario", err);
	if (x->loc.line > 0)
		fprintf(err, ":%" PRIu32 ":%" PRIu32, x->loc.line, x->loc.col);
	fputs(": ", err);
}

/* "FILE:LINE:COL: expect KEY OP VALUE" (the start of every failure line). */
static void print_expectation(FILE *err, const struct scenario *scn,
			      const struct scn_expect *x)
{
	char num[64];

	print_where(err, scn, x);
	fprintf(err, "expect %s %s ", x->key ? x->key : "(null)", op_text(x->op));
	switch (x->type) {
	case EXPECT_NUMBER:
		fmt_given(num, sizeof num, x->number);
		fputs(num, err);
		break;
	case EXPECT_BOOL:
		fputs(x->boolean ? "true" : "false", err);
		break;
	case EXPECT_STRING:
		/* "null" as given means JSON null: print it bare, like the JSON does */
		if (x->string == NULL || strcmp(x->string, "null") == 0)
			fputs("null", err);
		else
			json_string(err, x->string);
		break;
	}
}

static bool compare_numbers(double actual, enum expect_op op, double want)
{
	switch (op) {
	case EXPECT_EQ: return actual == want;
	case EXPECT_NE: return actual != want;
	case EXPECT_LT: return actual < want;
	case EXPECT_LE: return actual <= want;
	case EXPECT_GT: return actual > want;
	case EXPECT_GE: return actual >= want;
	}
	return false;
}

/*
 * The number an expectation sees: the value as printed in the JSON, read
 * back, so "final_srtt_ms: 50" holds when the JSON shows 50.000.
 */
static double number_value(const struct summary *s, const struct entry *e)
{
	char buf[NUMBUF];

	switch (e->type) {
	case E_UINT:
		return (double)get_uint(s, e);
	case E_DOUBLE:
		fmt_fixed(buf, sizeof buf, get_double(s, e), e->decimals);
		return strtod(buf, NULL);
	case E_NANOS:
		fmt_nanos(buf, sizeof buf, get_uint(s, e));
		return strtod(buf, NULL);
	default:
		return 0;
	}
}

static const char *type_name(enum entry_type t)
{
	switch (t) {
	case E_UINT: case E_DOUBLE: case E_NANOS: return "a number";
	case E_BOOL: return "a boolean";
	case E_STRING: return "a string";
	case E_LIST: return "a list";
	}
	return "?";
}

static const char *const EXPECT_TYPE_NAME[] = {
	[EXPECT_NUMBER] = "a number", [EXPECT_BOOL] = "a boolean",
	[EXPECT_STRING] = "a string",
};

/* Evaluates one expectation; on failure prints its line and returns false. */
static bool check_one(const struct scenario *scn, const struct scn_expect *x,
		      const struct summary *s, FILE *err)
{
	const struct entry *e = x->key ? find_entry(x->key) : NULL;
	bool is_number;

	if (e == NULL || e->type == E_LIST) {
		if (err) {
			print_where(err, scn, x);
			fprintf(err, "unknown summary key '%s'\n", x->key ? x->key : "(null)");
		}
		return false;
	}

	if (x->type != EXPECT_NUMBER && x->op != EXPECT_EQ && x->op != EXPECT_NE) {
		if (err) {
			print_expectation(err, scn, x);
			fprintf(err, " failed: operator %s applies only to numbers (use == or !=)\n",
				op_text(x->op));
		}
		return false;
	}

	is_number = e->type == E_UINT || e->type == E_DOUBLE || e->type == E_NANOS;
	if ((x->type == EXPECT_NUMBER && !is_number) ||
	    (x->type == EXPECT_BOOL && e->type != E_BOOL) ||
	    (x->type == EXPECT_STRING && e->type != E_STRING)) {
		if (err) {
			print_expectation(err, scn, x);
			fputs(" failed: got ", err);
			print_value(err, s, e);
			fprintf(err, " (%s, not %s)\n", type_name(e->type),
				EXPECT_TYPE_NAME[x->type]);
		}
		return false;
	}

	bool ok;
	switch (x->type) {
	case EXPECT_NUMBER:
		ok = compare_numbers(number_value(s, e), x->op, x->number);
		break;
	case EXPECT_BOOL:
		ok = (get_bool(s, e) == x->boolean) == (x->op == EXPECT_EQ);
		break;
	case EXPECT_STRING: {
		/* A NULL string (no error) is the JSON null, which equals "null". */
		const char *actual = get_string(s, e);
		const char *want = x->string;

		ok = strcmp(actual ? actual : "null", want ? want : "null") == 0;
		ok = ok == (x->op == EXPECT_EQ);
		break;
	}
	default:
		ok = false;
	}
	if (!ok && err) {
		print_expectation(err, scn, x);
		fputs(" failed: got ", err);
		print_value(err, s, e);
		fputc('\n', err);
	}
	return ok;
}

int report_check(const struct scenario *scn, const struct summary *s, FILE *err)
{
	int failures = 0;

	for (size_t i = 0; i < scn->nexpect; i++)
		if (!check_one(scn, &scn->expect[i], s, err))
			failures++;
	return failures;
}

void report_trace_header(FILE *out)
{
	fputs("time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,"
	      "srtt_ms,rttvar_ms,rto_ms,state\n", out);
}

/* Nanoseconds as milliseconds with three decimals, in integer arithmetic. */
static void put_ms(FILE *out, uint64_t ns)
{
	uint64_t us = ns / 1000;
	fprintf(out, ",%" PRIu64 ".%03" PRIu64, us / 1000, us % 1000);
}

void report_trace_row(FILE *out, const struct trace_row *r)
{
	fprintf(out, "%" PRIu64 ".%09" PRIu64 ",%s,%s,%" PRIu64 ",",
		r->time_ns / 1000000000u, r->time_ns % 1000000000u,
		r->endpoint, r->event, r->cwnd_bytes);
	if (r->ssthresh_bytes == UINT64_MAX)
		fputs("inf", out);
	else
		fprintf(out, "%" PRIu64, r->ssthresh_bytes);
	fprintf(out, ",%" PRIu64, r->flight_bytes);
	put_ms(out, r->srtt_ns);
	put_ms(out, r->rttvar_ns);
	put_ms(out, r->rto_ns);
	fprintf(out, ",%s\n", r->state);
}
