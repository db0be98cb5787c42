/*
 * report: the end-of-run summary (human text and JSON) and the expect:
 * checker. main.c calls report_text or report_json after a run and
 * report_check for --check; report_key_known lets a caller reject an unknown
 * expect: key before anything runs.
 *
 * Everything here walks the key table of summary.h: the JSON nests its keys
 * by their dots in table order, expect: looks keys up in it, and the text
 * reads each value it shows through it, so none of them can drift from the
 * others and the set of keys never depends on a run's values.
 *
 * Numbers are printed without the locale-dependent parts of printf (the
 * program never calls setlocale) and never in exponent notation, so the JSON
 * of a run is the same bytes on every machine.
 */
#include "report.h"
#include "event.h"

#include <inttypes.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 5     /* deepest key: link.client_to_server.rules.1.hits */
/* Room for any double printed with %.3f (DBL_MAX has 309 integer digits). */
#define NUMBUF 512

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

/* The value of k as it appears in the JSON (and in "got ..." of a failure). */
void report_value(FILE *out, const struct summary *s, const struct summary_key *k)
{
	struct summary_value v = summary_get(s, k);
	char buf[NUMBUF];

	switch (k->kind) {
	case SUM_U64:
		fprintf(out, "%" PRIu64, v.u);
		break;
	case SUM_DOUBLE:
		fmt_fixed(buf, sizeof buf, v.d, k->decimals);
		fputs(buf, out);
		break;
	case SUM_NANOS:
		fmt_nanos(buf, sizeof buf, v.u);
		fputs(buf, out);
		break;
	case SUM_BOOL:
		fputs(v.b ? "true" : "false", out);
		break;
	case SUM_STRING:
		json_string(out, v.str);
		break;
	case SUM_LIST: {
		const char *sep = "";

		fputc('[', out);
		for (size_t i = 0; v.list && v.list[i] != NULL; i++) {
			fputs(sep, out);
			json_string(out, v.list[i]);
			sep = ", ";
		}
		fputc(']', out);
		break;
	}
	case SUM_MS_LIST:
		fputc('[', out);
		for (size_t i = 0; i < v.n; i++) {
			fmt_fixed(buf, sizeof buf, (double)v.nanos[i] / 1e6, k->decimals);
			fprintf(out, "%s%s", i ? ", " : "", buf);
		}
		fputc(']', out);
		break;
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
	size_t nkeys;
	const struct summary_key *keys = summary_keys(&nkeys);

	fputc('{', out);
	for (size_t i = 0; i < nkeys; i++) {
		const struct summary_key *e = &keys[i];
		const char *comp[MAX_DEPTH + 1];
		size_t comp_len[MAX_DEPTH + 1];
		int ncomp = 0;

		if (!summary_present(s, e))
			continue;

		for (const char *p = e->name;; ) {
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
		report_value(out, s, e);
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

/*
 * A value for the text, read through the key table like every other output:
 * scope.leaf (or leaf alone, scope NULL), which must be a key of this kind.
 */
static struct summary_value text_value(const struct summary *s, const char *scope,
				       const char *leaf, enum summary_kind kind)
{
	char name[96];
	const struct summary_key *k;

	snprintf(name, sizeof name, "%s%s%s", scope ? scope : "", scope ? "." : "", leaf);
	k = summary_key(name);
	if (k == NULL || k->kind != kind)
		abort();        /* the text names a key the table lacks: a bug here */
	return summary_get(s, k);
}

static uint64_t U(const struct summary *s, const char *scope, const char *leaf)
{
	return text_value(s, scope, leaf, SUM_U64).u;
}

static uint64_t NS(const struct summary *s, const char *scope, const char *leaf)
{
	return text_value(s, scope, leaf, SUM_NANOS).u;
}

static double D(const struct summary *s, const char *scope, const char *leaf)
{
	return text_value(s, scope, leaf, SUM_DOUBLE).d;
}

static bool B(const struct summary *s, const char *scope, const char *leaf)
{
	return text_value(s, scope, leaf, SUM_BOOL).b;
}

static const char *S(const struct summary *s, const char *scope, const char *leaf)
{
	return text_value(s, scope, leaf, SUM_STRING).str;
}

/* Nanoseconds as seconds with three decimals, rounded half up, in integers. */
static void fmt_seconds(char *buf, size_t len, uint64_t ns)
{
	uint64_t ms = ns / 1000000u + (ns % 1000000u >= 500000u);

	snprintf(buf, len, "%" PRIu64 ".%03" PRIu64, ms / 1000u, ms % 1000u);
}

/*
 * A duration for people: three decimals of the largest unit (us, ms, s) in
 * which it is at least one, rounded half up, in integers.
 */
static void fmt_duration(char *buf, size_t len, uint64_t ns)
{
	static const struct { uint64_t thousandth; const char *unit; } units[] = {
		{ 1, "us" }, { 1000, "ms" }, { 1000000, "s" },
	};
	const size_t last = sizeof units / sizeof units[0] - 1;

	for (size_t i = 0; i <= last; i++) {
		uint64_t q = units[i].thousandth;
		uint64_t v = ns / q + (ns % q >= (q + 1) / 2);

		if (v < 1000000u || i == last) {
			snprintf(buf, len, "%" PRIu64 ".%03" PRIu64 " %s", v / 1000u, v % 1000u,
				 units[i].unit);
			return;
		}
	}
}

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

static void text_host(FILE *out, const struct summary *s, const char *h)
{
	char srtt[NUMBUF], rto[NUMBUF], data[NUMBUF], rate[NUMBUF];
	const char *state = S(s, h, "state"), *error = S(s, h, "error");
	uint64_t rexmt = U(s, h, "retransmissions"), data_rexmt = U(s, h, "data_retransmissions");
	uint64_t cwnd = U(s, h, "max_cwnd_bytes");
	uint64_t open_cwnd = U(s, h, "max_cwnd_outside_recovery_bytes");

	if (B(s, h, "data_intact"))
		snprintf(data, sizeof data, "data intact");
	else if (U(s, h, "app_bytes_missing") && !B(s, h, "data_corrupt"))
		snprintf(data, sizeof data, "%" PRIu64 " B NEVER READ", U(s, h, "app_bytes_missing"));
	else
		snprintf(data, sizeof data, "DATA CORRUPT");

	/* The share of data segments that were retransmissions, when there were any. */
	rate[0] = '\0';
	if (U(s, h, "data_segments_sent")) {
		char pct[32];   /* at most 100.00 */

		fmt_fixed(pct, sizeof pct, D(s, h, "retransmission_rate_pct"), 2);
		snprintf(rate, sizeof rate, ", %" PRIu64 " retransmitted = %s%%", data_rexmt, pct);
	}
	fprintf(out, "  %-6s  %-12s  sent %" PRIu64 " B (%" PRIu64 " data segments%s, %"
		PRIu64 " RTO)  received %" PRIu64 " B  %s",
		h, state ? state : "?", U(s, h, "app_bytes_sent"),
		U(s, h, "data_segments_sent"), rate, U(s, h, "rto_timeouts"),
		U(s, h, "app_bytes_received"), data);
	if (error != NULL)
		fprintf(out, "  %s", error_text(error));
	fputc('\n', out);

	fmt_fixed(srtt, sizeof srtt, D(s, h, "final_srtt_ms"), 1);
	fmt_fixed(rto, sizeof rto, D(s, h, "final_rto_ms"), 1);
	fprintf(out, "          segments %" PRIu64 " out / %" PRIu64 " in, ",
		U(s, h, "segments_sent"), U(s, h, "segments_received"));
	/* Those the data segments above do not tell of. */
	if (rexmt > data_rexmt)
		fprintf(out, "%" PRIu64 " SYN/FIN retransmissions, ", rexmt - data_rexmt);
	fprintf(out, "%" PRIu64 " dup ACKs, %" PRIu64 " fast retransmits, max cwnd %" PRIu64 " B",
		U(s, h, "dupacks_received"), U(s, h, "fast_retransmits"), cwnd);
	/* RFC 5681 §3.2 step 4's inflation, when it made the figure larger. */
	if (open_cwnd != cwnd)
		fprintf(out, " (%" PRIu64 " B outside fast recovery)", open_cwnd);
	fprintf(out, ", srtt %s ms, rto %s ms", srtt, rto);
	if (U(s, h, "checksum_errors"))
		fprintf(out, ", %" PRIu64 " bad checksums", U(s, h, "checksum_errors"));
	if (U(s, h, "resets_sent") || U(s, h, "resets_received"))
		fprintf(out, ", RST %" PRIu64 " sent / %" PRIu64 " received",
			U(s, h, "resets_sent"), U(s, h, "resets_received"));
	fputc('\n', out);

	/* Requests (a requests: block): how many were answered, and how fast. */
	if (U(s, h, "requests.count")) {
		char lo[NUMBUF], med[NUMBUF], hi[NUMBUF];

		fmt_fixed(lo, sizeof lo, D(s, h, "requests.latency_min_ms"), 3);
		fmt_fixed(med, sizeof med, D(s, h, "requests.latency_median_ms"), 3);
		fmt_fixed(hi, sizeof hi, D(s, h, "requests.latency_max_ms"), 3);
		fprintf(out, "          requests: %" PRIu64 " of %" PRIu64 " answered, latency min %s"
			" / median %s / max %s ms\n", U(s, h, "requests.completed"),
			U(s, h, "requests.count"), lo, med, hi);
	}

	/* ECN (RFC 3168), when both SYNs agreed on it. */
	if (B(s, h, "ecn"))
		fprintf(out, "          ECN: %" PRIu64 " CE received, %" PRIu64 " ECE sent, %" PRIu64
			" ECE received, %" PRIu64 " cwnd reductions for ECE, %" PRIu64 " CWR sent\n",
			U(s, h, "ce_received"), U(s, h, "ece_sent"), U(s, h, "ece_received"),
			U(s, h, "ecn_reductions"), U(s, h, "cwr_sent"));

	/* The receiver and flow-control line, when something happened there. */
	static const char *const rx[] = {
		"delayed_acks", "nagle_holds", "zero_windows_sent", "window_probes",
		"window_updates_sent", "ooo_segments_received", "spurious_retransmissions",
	};
	static const char *const rx_text[] = {
		"delayed ACKs", "Nagle holds", "zero windows sent", "window probes",
		"window updates", "out-of-order in", "spurious retransmissions",
	};
	bool any = false;

	for (size_t i = 0; i < sizeof rx / sizeof rx[0]; i++)
		any |= U(s, h, rx[i]) != 0;
	if (!any)
		return;
	for (size_t i = 0; i < sizeof rx / sizeof rx[0]; i++)
		fprintf(out, "%s%" PRIu64 " %s", i ? ", " : "          ", U(s, h, rx[i]), rx_text[i]);
	fputc('\n', out);
}

static void text_link(FILE *out, const struct summary *s, const char *dir, const char *name)
{
	char scope[64];

	snprintf(scope, sizeof scope, "link.%s", dir);
	fprintf(out, "  link %s: %" PRIu64 " packets, %" PRIu64 " dropped, %" PRIu64
		" queue drops", name, U(s, scope, "packets"), U(s, scope, "dropped"),
		U(s, scope, "queue_drops"));
	if (U(s, scope, "reordered"))
		fprintf(out, ", %" PRIu64 " reordered", U(s, scope, "reordered"));
	if (U(s, scope, "duplicated"))
		fprintf(out, ", %" PRIu64 " duplicated", U(s, scope, "duplicated"));
	if (U(s, scope, "jittered"))
		fprintf(out, ", %" PRIu64 " jittered", U(s, scope, "jittered"));
	if (U(s, scope, "corrupted"))
		fprintf(out, ", %" PRIu64 " corrupted", U(s, scope, "corrupted"));
	if (U(s, scope, "ce_marked"))
		fprintf(out, ", %" PRIu64 " marked CE", U(s, scope, "ce_marked"));
	fputc('\n', out);
	/* Its path rules, each with the packets it hit. */
	for (int i = 1; i <= RULES_MAX; i++) {
		char rule[96];
		const struct summary_key *k;
		uint64_t hits;

		snprintf(rule, sizeof rule, "%s.rules.%d.rule", scope, i);
		k = summary_key(rule);
		if (k == NULL || !summary_present(s, k))
			break;
		snprintf(rule, sizeof rule, "rules.%d", i);
		hits = U(s, scope, strcat(rule, ".hits"));
		fprintf(out, "    rule %d  %s  hit %" PRIu64 " packet%s\n", i, summary_get(s, k).str,
			hits, hits == 1 ? "" : "s");
	}
}

/*
 * What the run did to the transfer: how long from the first SYN until the
 * last data byte was acknowledged, and the goodput over that time; with
 * data both ways, when each direction finished.
 */
static void text_transfer(FILE *out, const struct summary *s)
{
	uint64_t sent = U(s, "client", "app_bytes_sent") + U(s, "server", "app_bytes_sent");
	uint64_t acked = U(s, "client", "app_bytes_acked") + U(s, "server", "app_bytes_acked");
	char t[32], goodput[NUMBUF];

	if (sent == 0) {
		fputs("  transfer: no data sent\n", out);
		return;
	}
	if (!B(s, NULL, "transfer_complete")) {
		fprintf(out, "  transfer incomplete: %" PRIu64 " of %" PRIu64 " B acknowledged\n",
			acked, sent);
		return;
	}
	fmt_duration(t, sizeof t, NS(s, NULL, "transfer_time_s"));
	fmt_fixed(goodput, sizeof goodput, D(s, NULL, "transfer_goodput_mbps"), 3);
	fprintf(out, "  transfer: %s from the first SYN to the last data ACK, %" PRIu64
		" B, goodput %s Mbit/s", t, sent, goodput);
	if (U(s, "client", "app_bytes_sent") && U(s, "server", "app_bytes_sent")) {
		char c[32], sv[32];

		fmt_duration(c, sizeof c, NS(s, "client", "transfer_time_s"));
		fmt_duration(sv, sizeof sv, NS(s, "server", "transfer_time_s"));
		fprintf(out, " (client->server done at %s, server->client at %s)", c, sv);
	}
	fputc('\n', out);
}

void report_text(FILE *out, const struct summary *s)
{
	const char *scenario = S(s, NULL, "scenario");
	char end[32], events[32];

	fmt_seconds(end, sizeof end, NS(s, NULL, "end_time_s"));
	fmt_grouped(events, sizeof events, U(s, NULL, "events"));
	fprintf(out, "%s (seed %" PRIu64 "): %s %s s virtual time after %s events\n",
		scenario ? scenario : "scenario", U(s, NULL, "seed"),
		B(s, NULL, "duration_reached") ? "stopped at the duration limit," : "ended at",
		end, events);
	text_transfer(out, s);
	text_host(out, s, "client");
	text_host(out, s, "server");
	text_link(out, s, "client_to_server", "client->server");
	text_link(out, s, "server_to_client", "server->client");
	const char *const *pcap = text_value(s, NULL, "pcap", SUM_LIST).list;
	if (pcap[0] != NULL) {
		fprintf(out, "  pcap: %s", pcap[0]);
		if (pcap[1] != NULL)
			fprintf(out, ", %s", pcap[1]);
		fputc('\n', out);
	}
}

/* ---- expect: ---- */

bool report_key_known(const char *key)
{
	const struct summary_key *k;

	if (key == NULL)
		return false;
	k = summary_key(key);
	return k != NULL && k->kind != SUM_LIST && k->kind != SUM_MS_LIST;
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

/*
 * "FILE:LINE:COL: ", GNU style; without LINE:COL for a hand-made
 * expectation; "--set ARG: " for one a --set wrote.
 */
static void print_where(FILE *err, const struct scenario *scn,
			const struct scn_expect *x)
{
	if (x->set) {
		fprintf(err, "--set %s: ", x->set);
		return;
	}
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
static double number_value(const struct summary *s, const struct summary_key *k)
{
	struct summary_value v = summary_get(s, k);
	char buf[NUMBUF];

	switch (k->kind) {
	case SUM_U64:
		return (double)v.u;
	case SUM_DOUBLE:
		fmt_fixed(buf, sizeof buf, v.d, k->decimals);
		return strtod(buf, NULL);
	case SUM_NANOS:
		fmt_nanos(buf, sizeof buf, v.u);
		return strtod(buf, NULL);
	default:
		return 0;
	}
}

static const char *type_name(enum summary_kind t)
{
	switch (t) {
	case SUM_U64: case SUM_DOUBLE: case SUM_NANOS: return "a number";
	case SUM_BOOL: return "a boolean";
	case SUM_STRING: return "a string";
	case SUM_LIST: case SUM_MS_LIST: return "a list";
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
	const struct summary_key *e = x->key ? summary_key(x->key) : NULL;
	bool is_number;

	if (e == NULL || e->kind == SUM_LIST || e->kind == SUM_MS_LIST) {
		if (err) {
			print_where(err, scn, x);
			fprintf(err, "unknown summary key '%s'\n", x->key ? x->key : "(null)");
		}
		return false;
	}
	if (!summary_present(s, e)) {
		if (err) {
			print_expectation(err, scn, x);
			if (e->scope == SCOPE_REQUESTS)
				fprintf(err, " failed: this host's app makes no requests\n");
			else
				fprintf(err, " failed: no such rule; this direction has %zu\n",
					s->rules[e->who].n);
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

	is_number = e->kind == SUM_U64 || e->kind == SUM_DOUBLE || e->kind == SUM_NANOS;
	if ((x->type == EXPECT_NUMBER && !is_number) ||
	    (x->type == EXPECT_BOOL && e->kind != SUM_BOOL) ||
	    (x->type == EXPECT_STRING && e->kind != SUM_STRING)) {
		if (err) {
			print_expectation(err, scn, x);
			fputs(" failed: got ", err);
			report_value(err, s, e);
			fprintf(err, " (%s, not %s)\n", type_name(e->kind),
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
		ok = (summary_get(s, e).b == x->boolean) == (x->op == EXPECT_EQ);
		break;
	case EXPECT_STRING: {
		/* A NULL string (no error) is the JSON null, which equals "null". */
		const char *actual = summary_get(s, e).str;
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
		report_value(err, s, e);
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

void report_trace_header(FILE *out, bool cc_columns, bool rtt_column)
{
	fputs("time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,"
	      "srtt_ms,rttvar_ms,rto_ms,state", out);
	if (cc_columns)
		fputs(",w_max_bytes,k_s,epoch_s,cwnd_epoch_bytes,w_est_bytes,region", out);
	if (rtt_column)
		fputs(",rtt_sample_ms", out);
	fputc('\n', out);
}

/* Nanoseconds as seconds with nine decimals. */
static void put_s(FILE *out, uint64_t ns)
{
	fprintf(out, ",%" PRIu64 ".%09" PRIu64, ns / 1000000000u, ns % 1000000000u);
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
	fprintf(out, ",%s", r->state);
	if (r->cc_columns && r->cc_state) {
		uint64_t k = r->k_us < 0 ? (uint64_t)-r->k_us : (uint64_t)r->k_us;

		fprintf(out, ",%" PRIu64 ",%s%" PRIu64 ".%06" PRIu64, r->w_max_bytes,
			r->k_us < 0 ? "-" : "", k / 1000000u, k % 1000000u);
		put_s(out, r->epoch_ns);
		fprintf(out, ",%" PRIu64 ",%" PRIu64 ",%s", r->cwnd_epoch_bytes, r->w_est_bytes,
			r->cc_region);
	} else if (r->cc_columns) {
		fputs(",,,,,,", out);
	}
	if (r->rtt_column && r->rtt_sample_ns)
		put_ms(out, r->rtt_sample_ns);
	else if (r->rtt_column)
		fputc(',', out);
	fputc('\n', out);
}
