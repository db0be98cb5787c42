/*
 * check_report: the end-of-run summary and the expect: checker.
 *
 * Every test builds a struct summary (and, for expect:, a struct scenario) by
 * hand and asserts the exact text report.c writes: the whole JSON object, the
 * failure lines of report_check, the first line of the human summary. The
 * output is captured with open_memstream.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/* A finished bulk transfer over a lossy path; every field distinct. */
static struct summary sample(void)
{
	struct summary s = {
		.scenario = "loss-5pct",
		.seed = 1,
		.end_time_ns = 12345678901u,
		.events = 12345,
		.duration_reached = false,
		.client = {
			.state = "TIME_WAIT", .error = NULL,
			.app_bytes_sent = 1000000, .app_bytes_received = 0,
			.data_intact = true,
			.segments_sent = 800, .data_segments_sent = 720,
			.payload_bytes_sent = 1051200, .retransmissions = 36,
			.fast_retransmits = 31, .rto_timeouts = 5,
			.dupacks_received = 97, .max_cwnd_bytes = 64240,
			.final_srtt_ms = 50.1234, .final_rto_ms = 250.0,
			.segments_received = 700, .checksum_errors = 0,
			.resets_sent = 0, .resets_received = 0,
			.app_goodput_mbps = 0.0, .delayed_acks = 1, .nagle_holds = 2,
			.window_probes = 3, .zero_windows_sent = 4, .window_updates_sent = 5,
			.dupacks_sent = 6, .ooo_segments_received = 7,
			.spurious_retransmissions = 8,
		},
		.server = {
			.state = "CLOSED", .error = "reset",
			.app_bytes_sent = 0, .app_bytes_received = 1000000,
			.data_intact = true,
			.segments_sent = 701, .data_segments_sent = 0,
			.payload_bytes_sent = 0, .retransmissions = 0,
			.fast_retransmits = 0, .rto_timeouts = 0,
			.dupacks_received = 0, .max_cwnd_bytes = 14600,
			.final_srtt_ms = 0.0, .final_rto_ms = 1000.0,
			.segments_received = 790, .checksum_errors = 2,
			.resets_sent = 1, .resets_received = 0,
			.app_goodput_mbps = 9.5, .app_goodput_second_half_mbps = 9.25,
			.delayed_acks = 10, .nagle_holds = 11,
			.window_probes = 12, .zero_windows_sent = 13, .window_updates_sent = 14,
			.dupacks_sent = 15, .ooo_segments_received = 16,
			.spurious_retransmissions = 17,
		},
		.client_to_server = { 755, 38, 2, 3, 1, 2 },
		.server_to_client = { 701, 0, 0, 0, 0, 0 },
		.pcap = { "out/loss-5pct.pcap", NULL },
	};
	return s;
}

static char *json_of(const struct summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	report_json(f, s);
	fclose(f);
	return buf;
}

static char *text_of(const struct summary *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	report_text(f, s);
	fclose(f);
	return buf;
}

/* Runs report_check on the expectations x[0..n-1]; returns what it printed. */
static char *check_of(const struct scn_expect *x, size_t n,
		      const struct summary *s, int *failures)
{
	struct scenario scn = {
		.file = "t.yaml",
		.name = "t",
		.expect = (struct scn_expect *)x,
		.nexpect = n,
	};
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	*failures = report_check(&scn, s, f);
	fclose(f);
	return buf;
}

/* ---- JSON ---- */

static const char SAMPLE_JSON[] =
	"{\n"
	"  \"scenario\": \"loss-5pct\",\n"
	"  \"seed\": 1,\n"
	"  \"end_time_s\": 12.345678901,\n"
	"  \"events\": 12345,\n"
	"  \"duration_reached\": false,\n"
	"  \"client\": {\n"
	"    \"state\": \"TIME_WAIT\",\n"
	"    \"error\": null,\n"
	"    \"app_bytes_sent\": 1000000,\n"
	"    \"app_bytes_received\": 0,\n"
	"    \"data_intact\": true,\n"
	"    \"app_bytes_missing\": 0,\n"
	"    \"segments_sent\": 800,\n"
	"    \"data_segments_sent\": 720,\n"
	"    \"payload_bytes_sent\": 1051200,\n"
	"    \"retransmissions\": 36,\n"
	"    \"fast_retransmits\": 31,\n"
	"    \"rto_timeouts\": 5,\n"
	"    \"dupacks_received\": 97,\n"
	"    \"max_cwnd_bytes\": 64240,\n"
	"    \"final_srtt_ms\": 50.123,\n"
	"    \"final_rto_ms\": 250.000,\n"
	"    \"segments_received\": 700,\n"
	"    \"checksum_errors\": 0,\n"
	"    \"resets_sent\": 0,\n"
	"    \"resets_received\": 0,\n"
	"    \"app_goodput_mbps\": 0.000,\n"
	"    \"app_goodput_second_half_mbps\": 0.000,\n"
	"    \"delayed_acks\": 1,\n"
	"    \"nagle_holds\": 2,\n"
	"    \"window_probes\": 3,\n"
	"    \"zero_windows_sent\": 4,\n"
	"    \"window_updates_sent\": 5,\n"
	"    \"dupacks_sent\": 6,\n"
	"    \"ooo_segments_received\": 7,\n"
	"    \"spurious_retransmissions\": 8\n"
	"  },\n"
	"  \"server\": {\n"
	"    \"state\": \"CLOSED\",\n"
	"    \"error\": \"reset\",\n"
	"    \"app_bytes_sent\": 0,\n"
	"    \"app_bytes_received\": 1000000,\n"
	"    \"data_intact\": true,\n"
	"    \"app_bytes_missing\": 0,\n"
	"    \"segments_sent\": 701,\n"
	"    \"data_segments_sent\": 0,\n"
	"    \"payload_bytes_sent\": 0,\n"
	"    \"retransmissions\": 0,\n"
	"    \"fast_retransmits\": 0,\n"
	"    \"rto_timeouts\": 0,\n"
	"    \"dupacks_received\": 0,\n"
	"    \"max_cwnd_bytes\": 14600,\n"
	"    \"final_srtt_ms\": 0.000,\n"
	"    \"final_rto_ms\": 1000.000,\n"
	"    \"segments_received\": 790,\n"
	"    \"checksum_errors\": 2,\n"
	"    \"resets_sent\": 1,\n"
	"    \"resets_received\": 0,\n"
	"    \"app_goodput_mbps\": 9.500,\n"
	"    \"app_goodput_second_half_mbps\": 9.250,\n"
	"    \"delayed_acks\": 10,\n"
	"    \"nagle_holds\": 11,\n"
	"    \"window_probes\": 12,\n"
	"    \"zero_windows_sent\": 13,\n"
	"    \"window_updates_sent\": 14,\n"
	"    \"dupacks_sent\": 15,\n"
	"    \"ooo_segments_received\": 16,\n"
	"    \"spurious_retransmissions\": 17\n"
	"  },\n"
	"  \"link\": {\n"
	"    \"client_to_server\": {\n"
	"      \"packets\": 755,\n"
	"      \"dropped\": 38,\n"
	"      \"queue_drops\": 2,\n"
	"      \"reordered\": 3,\n"
	"      \"duplicated\": 1,\n"
	"      \"corrupted\": 2\n"
	"    },\n"
	"    \"server_to_client\": {\n"
	"      \"packets\": 701,\n"
	"      \"dropped\": 0,\n"
	"      \"queue_drops\": 0,\n"
	"      \"reordered\": 0,\n"
	"      \"duplicated\": 0,\n"
	"      \"corrupted\": 0\n"
	"    }\n"
	"  },\n"
	"  \"pcap\": [\"out/loss-5pct.pcap\"]\n"
	"}\n";

START_TEST(json_whole_object)
{
	struct summary s = sample();
	char *json = json_of(&s);

	ck_assert_str_eq(json, SAMPLE_JSON);
	free(json);
}
END_TEST

START_TEST(json_is_deterministic)
{
	struct summary s = sample();
	char *a = json_of(&s), *b = json_of(&s);

	ck_assert_str_eq(a, b);
	free(a);
	free(b);
}
END_TEST

START_TEST(json_escapes_strings)
{
	struct summary s = sample();
	char *json;

	s.scenario = "a\"b\\c\nd\te\x01" "f/g";
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json,
		"  \"scenario\": \"a\\\"b\\\\c\\u000ad\\u0009e\\u0001f/g\",\n"));
	free(json);
}
END_TEST

START_TEST(json_null_strings)
{
	struct summary s = sample();
	char *json;

	s.scenario = NULL;
	s.client.state = NULL;
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json, "{\n  \"scenario\": null,\n"));
	ck_assert_ptr_nonnull(strstr(json, "  \"client\": {\n    \"state\": null,\n"));
	free(json);
}
END_TEST

START_TEST(json_pcap_lists)
{
	struct summary s = sample();
	char *json;

	s.pcap[0] = NULL;
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json, "\n  },\n  \"pcap\": []\n}\n"));
	free(json);

	s.pcap[0] = "out/x-client.pcap";
	s.pcap[1] = "out/x-server.pcap";
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json,
		"\n  \"pcap\": [\"out/x-client.pcap\", \"out/x-server.pcap\"]\n}\n"));
	free(json);
}
END_TEST

START_TEST(json_numbers_never_use_exponents)
{
	struct summary s = sample();
	char *json;

	s.seed = UINT64_MAX;
	s.end_time_ns = 0;
	s.client.final_srtt_ms = 1e12;
	s.client.final_rto_ms = -0.0;
	s.server.final_srtt_ms = -0.0001;       /* rounds to zero: no "-0.000" */
	s.server.final_rto_ms = 0.0015625;
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json, "  \"seed\": 18446744073709551615,\n"));
	ck_assert_ptr_nonnull(strstr(json, "  \"end_time_s\": 0.000000000,\n"));
	ck_assert_ptr_nonnull(strstr(json,
		"    \"final_srtt_ms\": 1000000000000.000,\n    \"final_rto_ms\": 0.000,\n"));
	ck_assert_ptr_nonnull(strstr(json,
		"    \"final_srtt_ms\": 0.000,\n    \"final_rto_ms\": 0.002,\n"));
	free(json);

	s.end_time_ns = UINT64_MAX;
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json, "  \"end_time_s\": 18446744073.709551615,\n"));
	free(json);
}
END_TEST

/* ---- report_key_known ---- */

static const struct {
	const char *key;
	bool known;
} KEYS[] = {
	{ "scenario", true },
	{ "seed", true },
	{ "end_time_s", true },
	{ "events", true },
	{ "duration_reached", true },
	{ "client.state", true },
	{ "client.error", true },
	{ "client.retransmissions", true },
	{ "client.final_srtt_ms", true },
	{ "server.resets_received", true },
	{ "server.data_intact", true },
	{ "link.client_to_server.packets", true },
	{ "link.server_to_client.corrupted", true },
	{ "client", false },
	{ "link", false },
	{ "link.client_to_server", false },
	{ "pcap", false },
	{ "client.retransmission", false },
	{ "client.retransmissions.x", false },
	{ "Client.state", false },
	{ "client.state ", false },
	{ "end_time_ns", false },
	{ "link.a_to_b.packets", false },
	{ "", false },
};

START_TEST(key_known)
{
	ck_assert_msg(report_key_known(KEYS[_i].key) == KEYS[_i].known,
		      "report_key_known(\"%s\") should be %s", KEYS[_i].key,
		      KEYS[_i].known ? "true" : "false");
}
END_TEST

START_TEST(key_known_null)
{
	ck_assert(!report_key_known(NULL));
}
END_TEST

/* Every key the JSON prints (leaves other than pcap) is known, and only those. */
START_TEST(key_known_matches_json)
{
	struct summary s = sample();
	char *json = json_of(&s);
	char path[4][64];
	int nleaves = 0;

	for (char *line = strtok(json, "\n"); line; line = strtok(NULL, "\n")) {
		int depth = (int)(strspn(line, " ") / 2) - 1;
		char *name = strchr(line, '"'), *end, key[256] = "";

		if (name == NULL)
			continue;
		end = strchr(name + 1, '"');
		*end = '\0';
		ck_assert_int_lt(depth, 4);
		snprintf(path[depth], sizeof path[depth], "%s", name + 1);
		if (end[3] == '{')
			continue;
		for (int d = 0; d <= depth; d++) {
			strcat(key, path[d]);
			if (d < depth)
				strcat(key, ".");
		}
		ck_assert_msg(report_key_known(key) == (strcmp(key, "pcap") != 0),
			      "key %s", key);
		nleaves++;
	}
	ck_assert_int_eq(nleaves, 5 + 2 * 30 + 2 * 6 + 1);
	free(json);
}
END_TEST

/* ---- report_check ---- */

#define NUM(k, o, v) { .key = (k), .op = (o), .type = EXPECT_NUMBER, .number = (v), .loc = { 7, 3 } }
#define BOOL(k, o, v) { .key = (k), .op = (o), .type = EXPECT_BOOL, .boolean = (v), .loc = { 7, 3 } }
#define STR(k, o, v) { .key = (k), .op = (o), .type = EXPECT_STRING, .string = (v), .loc = { 7, 3 } }

/* One expectation against sample(), and the line it prints ("" if it holds). */
static const struct {
	struct scn_expect x;
	const char *line;
} CASES[] = {
	/* every operator, holding */
	{ NUM("client.retransmissions", EXPECT_EQ, 36), "" },
	{ NUM("client.retransmissions", EXPECT_NE, 35), "" },
	{ NUM("client.retransmissions", EXPECT_LT, 37), "" },
	{ NUM("client.retransmissions", EXPECT_LE, 36), "" },
	{ NUM("client.retransmissions", EXPECT_GT, 35), "" },
	{ NUM("client.retransmissions", EXPECT_GE, 36), "" },
	{ NUM("server.app_bytes_received", EXPECT_EQ, 1e6), "" },
	{ NUM("link.client_to_server.dropped", EXPECT_EQ, 38), "" },
	{ NUM("seed", EXPECT_EQ, 1), "" },
	/* doubles compare as the JSON prints them */
	{ NUM("client.final_srtt_ms", EXPECT_EQ, 50.123), "" },
	{ NUM("client.final_srtt_ms", EXPECT_LT, 50.1234), "" },
	{ NUM("end_time_s", EXPECT_EQ, 12.345678901), "" },
	{ NUM("end_time_s", EXPECT_GT, 12.3), "" },
	{ BOOL("client.data_intact", EXPECT_EQ, true), "" },
	{ BOOL("client.data_intact", EXPECT_NE, false), "" },
	{ BOOL("duration_reached", EXPECT_EQ, false), "" },
	{ STR("client.state", EXPECT_EQ, "TIME_WAIT"), "" },
	{ STR("client.state", EXPECT_NE, "CLOSED"), "" },
	{ STR("scenario", EXPECT_EQ, "loss-5pct"), "" },
	{ STR("server.error", EXPECT_EQ, "reset"), "" },
	/* no error is JSON null, which equals "null" */
	{ STR("client.error", EXPECT_EQ, "null"), "" },
	{ STR("client.error", EXPECT_EQ, NULL), "" },
	{ STR("server.error", EXPECT_NE, "null"), "" },

	/* every operator, failing */
	{ NUM("client.retransmissions", EXPECT_EQ, 35),
	  "t.yaml:7:3: expect client.retransmissions == 35 failed: got 36\n" },
	{ NUM("client.retransmissions", EXPECT_NE, 36),
	  "t.yaml:7:3: expect client.retransmissions != 36 failed: got 36\n" },
	{ NUM("client.retransmissions", EXPECT_LT, 36),
	  "t.yaml:7:3: expect client.retransmissions < 36 failed: got 36\n" },
	{ NUM("client.retransmissions", EXPECT_LE, 35),
	  "t.yaml:7:3: expect client.retransmissions <= 35 failed: got 36\n" },
	{ NUM("client.retransmissions", EXPECT_GT, 36),
	  "t.yaml:7:3: expect client.retransmissions > 36 failed: got 36\n" },
	{ NUM("client.retransmissions", EXPECT_GE, 37),
	  "t.yaml:7:3: expect client.retransmissions >= 37 failed: got 36\n" },
	/* numbers as the user wrote them */
	{ NUM("server.app_bytes_received", EXPECT_EQ, 1e7),
	  "t.yaml:7:3: expect server.app_bytes_received == 10000000 failed: got 1000000\n" },
	{ NUM("client.final_srtt_ms", EXPECT_LT, 0.1),
	  "t.yaml:7:3: expect client.final_srtt_ms < 0.1 failed: got 50.123\n" },
	{ NUM("client.final_srtt_ms", EXPECT_EQ, 50.1234),
	  "t.yaml:7:3: expect client.final_srtt_ms == 50.1234 failed: got 50.123\n" },
	{ NUM("end_time_s", EXPECT_GE, 12.5),
	  "t.yaml:7:3: expect end_time_s >= 12.5 failed: got 12.345678901\n" },
	{ NUM("client.max_cwnd_bytes", EXPECT_GE, 65536),
	  "t.yaml:7:3: expect client.max_cwnd_bytes >= 65536 failed: got 64240\n" },
	{ NUM("client.retransmissions", EXPECT_GT, -1.5e-7),
	  "" },
	{ NUM("client.retransmissions", EXPECT_LT, -1.5e-7),
	  "t.yaml:7:3: expect client.retransmissions < -1.5e-07 failed: got 36\n" },
	{ BOOL("client.data_intact", EXPECT_EQ, false),
	  "t.yaml:7:3: expect client.data_intact == false failed: got true\n" },
	{ BOOL("duration_reached", EXPECT_NE, false),
	  "t.yaml:7:3: expect duration_reached != false failed: got false\n" },
	{ STR("client.state", EXPECT_EQ, "CLOSED"),
	  "t.yaml:7:3: expect client.state == \"CLOSED\" failed: got \"TIME_WAIT\"\n" },
	{ STR("client.state", EXPECT_NE, "TIME_WAIT"),
	  "t.yaml:7:3: expect client.state != \"TIME_WAIT\" failed: got \"TIME_WAIT\"\n" },
	{ STR("client.error", EXPECT_NE, "null"),
	  "t.yaml:7:3: expect client.error != null failed: got null\n" },
	{ STR("server.error", EXPECT_EQ, "null"),
	  "t.yaml:7:3: expect server.error == null failed: got \"reset\"\n" },
	{ STR("client.error", EXPECT_EQ, "timeout"),
	  "t.yaml:7:3: expect client.error == \"timeout\" failed: got null\n" },
	/* ordering operators apply to numbers only */
	{ STR("client.state", EXPECT_LT, "X"),
	  "t.yaml:7:3: expect client.state < \"X\" failed: operator < applies only to numbers (use == or !=)\n" },
	{ BOOL("client.data_intact", EXPECT_GE, true),
	  "t.yaml:7:3: expect client.data_intact >= true failed: operator >= applies only to numbers (use == or !=)\n" },
	/* type mismatches */
	{ NUM("client.state", EXPECT_EQ, 5),
	  "t.yaml:7:3: expect client.state == 5 failed: got \"TIME_WAIT\" (a string, not a number)\n" },
	{ NUM("client.data_intact", EXPECT_EQ, 1),
	  "t.yaml:7:3: expect client.data_intact == 1 failed: got true (a boolean, not a number)\n" },
	{ BOOL("client.retransmissions", EXPECT_EQ, true),
	  "t.yaml:7:3: expect client.retransmissions == true failed: got 36 (a number, not a boolean)\n" },
	{ STR("client.data_intact", EXPECT_EQ, "true"),
	  "t.yaml:7:3: expect client.data_intact == \"true\" failed: got true (a boolean, not a string)\n" },
	{ STR("events", EXPECT_NE, "12345"),
	  "t.yaml:7:3: expect events != \"12345\" failed: got 12345 (a number, not a string)\n" },
	/* unknown keys, including the JSON-only pcap and object names */
	{ NUM("client.retransmission", EXPECT_EQ, 1),
	  "t.yaml:7:3: unknown summary key 'client.retransmission'\n" },
	{ STR("pcap", EXPECT_EQ, "out/loss-5pct.pcap"),
	  "t.yaml:7:3: unknown summary key 'pcap'\n" },
	{ NUM("client", EXPECT_EQ, 1),
	  "t.yaml:7:3: unknown summary key 'client'\n" },
};

#define NCASES (int)(sizeof CASES / sizeof CASES[0])

START_TEST(check_case)
{
	struct summary s = sample();
	int failures;
	char *out = check_of(&CASES[_i].x, 1, &s, &failures);

	ck_assert_str_eq(out, CASES[_i].line);
	ck_assert_int_eq(failures, CASES[_i].line[0] != '\0');
	free(out);
}
END_TEST

/* All cases at once: one line per failure, in order, and their count. */
START_TEST(check_all_cases)
{
	struct summary s = sample();
	struct scn_expect x[NCASES];
	char want[8192] = "";
	int nfail = 0, failures;
	char *out;

	for (int i = 0; i < NCASES; i++) {
		x[i] = CASES[i].x;
		strcat(want, CASES[i].line);
		nfail += CASES[i].line[0] != '\0';
	}
	out = check_of(x, NCASES, &s, &failures);
	ck_assert_str_eq(out, want);
	ck_assert_int_eq(failures, nfail);
	ck_assert_int_eq(failures, 29);
	free(out);
}
END_TEST

START_TEST(check_nothing_expected)
{
	struct summary s = sample();
	int failures;
	char *out = check_of(NULL, 0, &s, &failures);

	ck_assert_str_eq(out, "");
	ck_assert_int_eq(failures, 0);
	free(out);
}
END_TEST

/* The location is the expectation's own; a hand-made one has none. */
START_TEST(check_locations)
{
	struct summary s = sample();
	struct scn_expect x[2] = {
		{ .key = "client.rto_timeouts", .op = EXPECT_EQ, .type = EXPECT_NUMBER,
		  .number = 0, .loc = { 41, 17 } },
		{ .key = "client.rto_timeouts", .op = EXPECT_EQ, .type = EXPECT_NUMBER,
		  .number = 0 },
	};
	struct scenario scn = { .file = "scenarios/loss.yaml", .expect = x, .nexpect = 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_int_eq(report_check(&scn, &s, f), 2);
	fclose(f);
	ck_assert_str_eq(buf,
		"scenarios/loss.yaml:41:17: expect client.rto_timeouts == 0 failed: got 5\n"
		"scenarios/loss.yaml: expect client.rto_timeouts == 0 failed: got 5\n");
	free(buf);
}
END_TEST

/* No error and an error, against the same expectation "error: null". */
START_TEST(check_null_error_both_ways)
{
	struct summary s = sample();
	struct scn_expect x = { .key = "server.error", .op = EXPECT_EQ,
				.type = EXPECT_STRING, .string = "null", .loc = { 2, 1 } };
	int failures;
	char *out;

	s.server.error = NULL;
	out = check_of(&x, 1, &s, &failures);
	ck_assert_int_eq(failures, 0);
	ck_assert_str_eq(out, "");
	free(out);

	s.server.error = "refused";
	out = check_of(&x, 1, &s, &failures);
	ck_assert_int_eq(failures, 1);
	ck_assert_str_eq(out, "t.yaml:2:1: expect server.error == null failed: got \"refused\"\n");
	free(out);
}
END_TEST

/* ---- human text ---- */

START_TEST(text_summary)
{
	struct summary s = sample();
	char *text = text_of(&s);

	ck_assert_str_eq(text,
		"loss-5pct (seed 1): ended at 12.346 s virtual time after 12,345 events\n"
		"  client  TIME_WAIT     sent 1000000 B (720 data segments, 36 retransmitted, 5 RTO)"
		"  received 0 B  data intact\n"
		"          segments 800 out / 700 in, 97 dup ACKs, 31 fast retransmits,"
		" max cwnd 64240 B, srtt 50.1 ms, rto 250.0 ms\n"
		"          1 delayed ACKs, 2 Nagle holds, 4 zero windows sent, 3 window probes,"
		" 5 window updates, 7 out-of-order in, 8 spurious retransmissions\n"
		"  server  CLOSED        sent 0 B (0 data segments, 0 retransmitted, 0 RTO)"
		"  received 1000000 B  data intact  connection reset by peer\n"
		"          segments 701 out / 790 in, 0 dup ACKs, 0 fast retransmits,"
		" max cwnd 14600 B, srtt 0.0 ms, rto 1000.0 ms, 2 bad checksums,"
		" RST 1 sent / 0 received\n"
		"          10 delayed ACKs, 11 Nagle holds, 13 zero windows sent, 12 window probes,"
		" 14 window updates, 16 out-of-order in, 17 spurious retransmissions\n"
		"  link client->server: 755 packets, 38 dropped, 2 queue drops,"
		" 3 reordered, 1 duplicated, 2 corrupted\n"
		"  link server->client: 701 packets, 0 dropped, 0 queue drops\n"
		"  pcap: out/loss-5pct.pcap\n");
	free(text);
}
END_TEST

START_TEST(text_errors_and_limits)
{
	struct summary s = sample();
	char *text;

	s.duration_reached = true;
	s.end_time_ns = 300000000000u;
	s.events = 1234567;
	s.client.error = "refused";
	s.server.error = "timeout";
	s.server.data_intact = false;
	s.pcap[0] = NULL;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text,
		"loss-5pct (seed 1): stopped at the duration limit, 300.000 s virtual time"
		" after 1,234,567 events\n"));
	ck_assert_ptr_nonnull(strstr(text, "data intact  connection refused\n"));
	ck_assert_ptr_nonnull(strstr(text, "DATA CORRUPT  connection timed out\n"));
	ck_assert_ptr_null(strstr(text, "pcap"));
	free(text);
}
END_TEST

/* Bytes the peer wrote and nobody read are named, never "intact". */
START_TEST(text_missing_bytes)
{
	struct summary s = sample();
	char *text;

	s.server.data_intact = false;
	s.server.app_bytes_missing = 4321;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, "received 1000000 B  4321 B NEVER READ  connection reset"));
	free(text);
	/* A wrong byte outranks the missing ones. */
	s.server.data_mismatch = true;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, "received 1000000 B  DATA CORRUPT  connection reset"));
	free(text);
	/* Intact wins over a stale count (never both in a real summary). */
	s.server.data_intact = true;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, "received 1000000 B  data intact  connection reset"));
	free(text);
}
END_TEST

START_TEST(text_small_numbers)
{
	struct summary s = sample();
	char *text;

	s.events = 0;
	s.end_time_ns = 999500000;      /* rounds up to 1 s */
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, ": ended at 1.000 s virtual time after 0 events\n"));
	free(text);

	s.events = 999;
	s.end_time_ns = 1499999;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, ": ended at 0.001 s virtual time after 999 events\n"));
	free(text);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc;

	tc = tcase_create("json");
	tcase_add_test(tc, json_whole_object);
	tcase_add_test(tc, json_is_deterministic);
	tcase_add_test(tc, json_escapes_strings);
	tcase_add_test(tc, json_null_strings);
	tcase_add_test(tc, json_pcap_lists);
	tcase_add_test(tc, json_numbers_never_use_exponents);
	suite_add_tcase(s, tc);

	tc = tcase_create("keys");
	tcase_add_loop_test(tc, key_known, 0, (int)(sizeof KEYS / sizeof KEYS[0]));
	tcase_add_test(tc, key_known_null);
	tcase_add_test(tc, key_known_matches_json);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_loop_test(tc, check_case, 0, NCASES);
	tcase_add_test(tc, check_all_cases);
	tcase_add_test(tc, check_nothing_expected);
	tcase_add_test(tc, check_locations);
	tcase_add_test(tc, check_null_error_both_ways);
	suite_add_tcase(s, tc);

	tc = tcase_create("text");
	tcase_add_test(tc, text_summary);
	tcase_add_test(tc, text_errors_and_limits);
	tcase_add_test(tc, text_missing_bytes);
	tcase_add_test(tc, text_small_numbers);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(report_suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
