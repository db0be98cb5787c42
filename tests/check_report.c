/*
 * check_report: the end-of-run summary and the expect: checker.
 *
 * Every test builds a struct summary (and, for expect:, a struct scenario) by
 * hand and asserts the exact text report.c writes: the whole JSON object, the
 * failure lines of report_check, the first line of the human summary. The
 * output is captured with open_memstream.
 */
#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"

/*
 * A finished bulk transfer over a lossy path; every figure distinct. The
 * client connects at 1 s (after a wait) and its last data byte is
 * acknowledged 9.5752928 s later.
 */
static struct summary sample(void)
{
	struct summary s = {
		.version = "9.8.7",
		.scenario = "loss-5pct",
		.seed = 1,
		.end_time_ns = 12345678901u,
		.events = 12345,
		.duration_reached = false,
		.host[HOST_CLIENT] = {
			.profile = "rfc", .congestion_control = "newreno",
			.state = "TIME_WAIT", .error = NULL,
			.app = { .bytes_sent = 1000000, .bytes_received = 0, .data_intact = true },
			.net = { .packets_sent = 800, .packets_received = 700, .checksum_errors = 0,
				 .resets_no_socket = 0 },
			.tcp = {
				.data_segments_sent = 720, .payload_bytes_sent = 1051200,
				.retransmissions = 36, .data_retransmissions = 34,
				.fast_retransmits = 31, .rto_timeouts = 5, .dupacks_received = 97,
				.max_cwnd_bytes = 64240, .max_cwnd_outside_recovery_bytes = 40880,
				.resets_sent = 0, .resets_received = 0,
				.delayed_acks = 1, .nagle_holds = 2, .window_probes = 3,
				.zero_windows_sent = 4, .window_updates_sent = 5, .dupacks_sent = 6,
				.ooo_segments_received = 7, .dup_segments_received = 17,
				.data_bytes_acked = 1000000, .last_data_acked_ns = 10575292800u,
				.connect_ns = 1000000000u,
				.ece_received = 21, .ecn_reductions = 3, .cwr_sent = 4,
				.rtt_samples = 9, .paws_dropped = 0,
			},
			.srtt_ns = 50123400, .rto_ns = 250000000, .ecn = true,
		},
		.host[HOST_SERVER] = {
			.profile = "linux", .congestion_control = "reno",
			.state = "CLOSED", .error = "reset",
			.app = { .bytes_sent = 0, .bytes_received = 1000000, .data_intact = true,
				 .connected_ns = 1100000000u, .last_read_ns = 2100000000u,
				 .half_bytes = 500000, .half_read_ns = 1700000000u },
			.net = { .packets_sent = 701, .packets_received = 790, .checksum_errors = 2,
				 .resets_no_socket = 2 },
			.tcp = {
				.max_cwnd_bytes = 14600, .max_cwnd_outside_recovery_bytes = 14600,
				.resets_sent = 1, .resets_received = 0,
				.delayed_acks = 10, .nagle_holds = 11, .window_probes = 12,
				.zero_windows_sent = 13, .window_updates_sent = 14, .dupacks_sent = 15,
				.ooo_segments_received = 16, .dup_segments_received = 8,
				.ce_received = 30, .ece_sent = 20,
				.rtt_samples = 2, .paws_dropped = 1,
			},
			.srtt_ns = 0, .rto_ns = 1000000000, .ecn = true,
		},
		.link[HOST_CLIENT] = { .packets = 755, .dropped = 38, .rule_drops = 1,
				       .drop_list_drops = 2, .blackout_drops = 5, .loss_drops = 30,
				       .queue_drops = 2, .reordered = 3, .duplicated = 1,
				       .jittered = 4, .corrupted = 2, .ce_marked = 30 },
		.link[HOST_SERVER] = { .packets = 701 },
		.pcap = { "out/loss-5pct.pcap", NULL },
	};
	return s;
}

/* sample() with two rules on the client's direction (the golden outputs have none). */
static struct summary sample_rules(void)
{
	struct summary s = sample();

	s.rules[HOST_CLIENT] = (struct summary_rules){
		.n = 2, .text = { "drop: {data_segment: 3}", "delay: {syn_ack: 1, by: 2s}" },
		.hits = { 1, 0 },
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
	"  \"version\": \"9.8.7\",\n"
	"  \"scenario\": \"loss-5pct\",\n"
	"  \"seed\": 1,\n"
	"  \"end_time_s\": 12.345678901,\n"
	"  \"events\": 12345,\n"
	"  \"duration_reached\": false,\n"
	"  \"transfer_complete\": true,\n"
	"  \"transfer_time_s\": 9.575292800,\n"
	"  \"transfer_goodput_mbps\": 0.835,\n"
	"  \"client\": {\n"
	"    \"profile\": \"rfc\",\n"
	"    \"congestion_control\": \"newreno\",\n"
	"    \"state\": \"TIME_WAIT\",\n"
	"    \"error\": null,\n"
	"    \"app_bytes_sent\": 1000000,\n"
	"    \"app_bytes_received\": 0,\n"
	"    \"data_intact\": true,\n"
	"    \"app_bytes_missing\": 0,\n"
	"    \"data_corrupt\": false,\n"
	"    \"app_bytes_acked\": 1000000,\n"
	"    \"transfer_time_s\": 9.575292800,\n"
	"    \"transfer_goodput_mbps\": 0.835,\n"
	"    \"segments_sent\": 800,\n"
	"    \"data_segments_sent\": 720,\n"
	"    \"payload_bytes_sent\": 1051200,\n"
	"    \"retransmissions\": 36,\n"
	"    \"data_retransmissions\": 34,\n"
	"    \"retransmission_rate_pct\": 4.722,\n"
	"    \"fast_retransmits\": 31,\n"
	"    \"rto_timeouts\": 5,\n"
	"    \"dupacks_received\": 97,\n"
	"    \"max_cwnd_bytes\": 64240,\n"
	"    \"max_cwnd_outside_recovery_bytes\": 40880,\n"
	"    \"final_srtt_ms\": 50.123,\n"
	"    \"final_rto_ms\": 250.000,\n"
	"    \"rtt_samples\": 9,\n"
	"    \"paws_dropped\": 0,\n"
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
	"    \"spurious_retransmissions\": 8,\n"
	"    \"sack_blocks_sent\": 0,\n"
	"    \"dsack_sent\": 0,\n"
	"    \"sack_blocks_received\": 0,\n"
	"    \"dsack_received\": 0,\n"
	"    \"sack_dupacks_received\": 0,\n"
	"    \"sack_recoveries\": 0,\n"
	"    \"sack_retransmits\": 0,\n"
	"    \"sack_rescue_retransmits\": 0,\n"
	"    \"sack_reneges\": 0,\n"
	"    \"ecn\": true,\n"
	"    \"ce_received\": 0,\n"
	"    \"ece_sent\": 0,\n"
	"    \"ece_received\": 21,\n"
	"    \"ecn_reductions\": 3,\n"
	"    \"cwr_sent\": 4,\n"
	"    \"rack_losses_marked\": 0,\n"
	"    \"rack_retransmits\": 0,\n"
	"    \"rack_lost_retransmits\": 0,\n"
	"    \"rack_timer_fires\": 0,\n"
	"    \"rack_reordering_seen\": false,\n"
	"    \"rack_dsack_rounds\": 0,\n"
	"    \"rack_reo_wnd_max_ms\": 0.000,\n"
	"    \"tlp_probes\": 0,\n"
	"    \"tlp_new_data_probes\": 0,\n"
	"    \"tlp_recoveries\": 0,\n"
	"    \"tlp_spurious\": 0\n"
	"  },\n"
	"  \"server\": {\n"
	"    \"profile\": \"linux\",\n"
	"    \"congestion_control\": \"reno\",\n"
	"    \"state\": \"CLOSED\",\n"
	"    \"error\": \"reset\",\n"
	"    \"app_bytes_sent\": 0,\n"
	"    \"app_bytes_received\": 1000000,\n"
	"    \"data_intact\": true,\n"
	"    \"app_bytes_missing\": 0,\n"
	"    \"data_corrupt\": false,\n"
	"    \"app_bytes_acked\": 0,\n"
	"    \"transfer_time_s\": 0.000000000,\n"
	"    \"transfer_goodput_mbps\": 0.000,\n"
	"    \"segments_sent\": 701,\n"
	"    \"data_segments_sent\": 0,\n"
	"    \"payload_bytes_sent\": 0,\n"
	"    \"retransmissions\": 0,\n"
	"    \"data_retransmissions\": 0,\n"
	"    \"retransmission_rate_pct\": 0.000,\n"
	"    \"fast_retransmits\": 0,\n"
	"    \"rto_timeouts\": 0,\n"
	"    \"dupacks_received\": 0,\n"
	"    \"max_cwnd_bytes\": 14600,\n"
	"    \"max_cwnd_outside_recovery_bytes\": 14600,\n"
	"    \"final_srtt_ms\": 0.000,\n"
	"    \"final_rto_ms\": 1000.000,\n"
	"    \"rtt_samples\": 2,\n"
	"    \"paws_dropped\": 1,\n"
	"    \"segments_received\": 790,\n"
	"    \"checksum_errors\": 2,\n"
	"    \"resets_sent\": 3,\n"
	"    \"resets_received\": 0,\n"
	"    \"app_goodput_mbps\": 8.000,\n"
	"    \"app_goodput_second_half_mbps\": 10.000,\n"
	"    \"delayed_acks\": 10,\n"
	"    \"nagle_holds\": 11,\n"
	"    \"window_probes\": 12,\n"
	"    \"zero_windows_sent\": 13,\n"
	"    \"window_updates_sent\": 14,\n"
	"    \"dupacks_sent\": 15,\n"
	"    \"ooo_segments_received\": 16,\n"
	"    \"spurious_retransmissions\": 17,\n"
	"    \"sack_blocks_sent\": 0,\n"
	"    \"dsack_sent\": 0,\n"
	"    \"sack_blocks_received\": 0,\n"
	"    \"dsack_received\": 0,\n"
	"    \"sack_dupacks_received\": 0,\n"
	"    \"sack_recoveries\": 0,\n"
	"    \"sack_retransmits\": 0,\n"
	"    \"sack_rescue_retransmits\": 0,\n"
	"    \"sack_reneges\": 0,\n"
	"    \"ecn\": true,\n"
	"    \"ce_received\": 30,\n"
	"    \"ece_sent\": 20,\n"
	"    \"ece_received\": 0,\n"
	"    \"ecn_reductions\": 0,\n"
	"    \"cwr_sent\": 0,\n"
	"    \"rack_losses_marked\": 0,\n"
	"    \"rack_retransmits\": 0,\n"
	"    \"rack_lost_retransmits\": 0,\n"
	"    \"rack_timer_fires\": 0,\n"
	"    \"rack_reordering_seen\": false,\n"
	"    \"rack_dsack_rounds\": 0,\n"
	"    \"rack_reo_wnd_max_ms\": 0.000,\n"
	"    \"tlp_probes\": 0,\n"
	"    \"tlp_new_data_probes\": 0,\n"
	"    \"tlp_recoveries\": 0,\n"
	"    \"tlp_spurious\": 0\n"
	"  },\n"
	"  \"link\": {\n"
	"    \"client_to_server\": {\n"
	"      \"packets\": 755,\n"
	"      \"dropped\": 38,\n"
	"      \"queue_drops\": 2,\n"
	"      \"reordered\": 3,\n"
	"      \"duplicated\": 1,\n"
	"      \"corrupted\": 2,\n"
	"      \"ce_marked\": 30,\n"
	"      \"rule_drops\": 1,\n"
	"      \"drop_list_drops\": 2,\n"
	"      \"blackout_drops\": 5,\n"
	"      \"loss_drops\": 30,\n"
	"      \"jittered\": 4\n"
	"    },\n"
	"    \"server_to_client\": {\n"
	"      \"packets\": 701,\n"
	"      \"dropped\": 0,\n"
	"      \"queue_drops\": 0,\n"
	"      \"reordered\": 0,\n"
	"      \"duplicated\": 0,\n"
	"      \"corrupted\": 0,\n"
	"      \"ce_marked\": 0,\n"
	"      \"rule_drops\": 0,\n"
	"      \"drop_list_drops\": 0,\n"
	"      \"blackout_drops\": 0,\n"
	"      \"loss_drops\": 0,\n"
	"      \"jittered\": 0\n"
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

/* The --set arguments, in order, after the seed; absent without any. */
START_TEST(json_set_list)
{
	static const char *const sets[] = { "link.loss=2%", "client.tcp.nagle=false",
					    "expect.x=\"q\"", NULL };
	static const char *const none[] = { NULL };
	struct summary s = sample();
	char *json, *at;

	s.set = sets;
	json = json_of(&s);
	at = strstr(json, "\n  \"seed\": 1,\n  \"set\": [\"link.loss=2%\", "
		    "\"client.tcp.nagle=false\", \"expect.x=\\\"q\\\"\"],\n  \"end_time_s\"");
	ck_assert_msg(at != NULL, "%s", json);
	ck_assert(summary_present(&s, summary_key("set")));
	ck_assert(!report_key_known("set"));
	free(json);
	s.set = none;
	ck_assert(!summary_present(&s, summary_key("set")));
	json = json_of(&s);
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
	s.host[HOST_CLIENT].profile = NULL;
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json, "{\n  \"version\": \"9.8.7\",\n  \"scenario\": null,\n"));
	ck_assert_ptr_nonnull(strstr(json, "  \"client\": {\n    \"profile\": null,\n"));
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
	s.host[HOST_CLIENT].srtt_ns = UINT64_C(1000000000000000000);
	s.host[HOST_CLIENT].rto_ns = 0;
	s.host[HOST_SERVER].srtt_ns = 400;      /* rounds to zero */
	s.host[HOST_SERVER].rto_ns = 1563;
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

#define MAX_LEAVES 256

/* The dotted names of the JSON's leaves, in the order printed; their count. */
static int json_leaves(const struct summary *s, char names[][96])
{
	char *json = json_of(s);
	char path[5][64];
	int n = 0;

	for (char *line = strtok(json, "\n"); line; line = strtok(NULL, "\n")) {
		int depth = (int)(strspn(line, " ") / 2) - 1;
		char *name = strchr(line, '"'), *end;

		if (name == NULL)
			continue;
		end = strchr(name + 1, '"');
		*end = '\0';
		ck_assert_int_lt(depth, 5);
		snprintf(path[depth], sizeof path[depth], "%s", name + 1);
		if (end[3] == '{')
			continue;
		ck_assert_int_lt(n, MAX_LEAVES);
		names[n][0] = '\0';
		for (int d = 0; d <= depth; d++) {
			strcat(names[n], path[d]);
			if (d < depth)
				strcat(names[n], ".");
		}
		n++;
	}
	free(json);
	return n;
}

/*
 * The JSON prints every key of the table that the summary has once, in
 * table order, and nothing else; expect: knows every one of them but the
 * pcap list. The summary has every key but the rules its directions lack.
 */
START_TEST(json_prints_the_table)
{
	static char names[MAX_LEAVES][96];
	struct summary s = sample_rules();
	size_t nkeys;
	const struct summary_key *keys = summary_keys(&nkeys);
	int n = json_leaves(&s, names), k = 0;

	for (size_t i = 0; i < nkeys; i++) {
		if (!summary_present(&s, &keys[i])) {
			ck_assert(keys[i].scope == SCOPE_RULE || keys[i].scope == SCOPE_SET ||
				  keys[i].scope == SCOPE_REQUESTS);
			continue;
		}
		ck_assert_int_lt(k, n);
		ck_assert_str_eq(names[k], keys[i].name);
		ck_assert_ptr_eq(summary_key(names[k]), &keys[i]);     /* no name twice */
		ck_assert_msg(report_key_known(names[k]) ==
			      (keys[i].kind != SUM_LIST && keys[i].kind != SUM_MS_LIST),
			      "key %s", names[k]);
		k++;
	}
	ck_assert_int_eq(k, n);
	/* run, 2 hosts, 2 link directions, the client's 2 rules, the pcap list */
	ck_assert_int_eq(n, 9 + 2 * 67 + 2 * 12 + 2 * 2 + 1);
	/* and 16 rules' rows for each direction, the --set list and each
	 * host's 7 request keys, in the table */
	ck_assert_int_eq((int)nkeys, 9 + 2 * 67 + 2 * 12 + 2 * 16 * 2 + 1 + 1 + 2 * 7);
	/* Without rules, no rule rows at all. */
	s.rules[HOST_CLIENT].n = 0;
	ck_assert_int_eq(json_leaves(&s, names), 9 + 2 * 67 + 2 * 12 + 1);
}
END_TEST

/*
 * The keys DESIGN.md and the README document keep their names, kinds and
 * relative order; keys added since are named here with theirs.
 */
static const struct {
	const char *name;
	enum summary_kind kind;
} CONTRACT[] = {
	{ "version", SUM_STRING },
	{ "scenario", SUM_STRING }, { "seed", SUM_U64 }, { "end_time_s", SUM_NANOS },
	{ "events", SUM_U64 }, { "duration_reached", SUM_BOOL },
	{ "transfer_complete", SUM_BOOL }, { "transfer_time_s", SUM_NANOS },
	{ "transfer_goodput_mbps", SUM_DOUBLE },
	{ "client.state", SUM_STRING }, { "client.error", SUM_STRING },
	{ "client.app_bytes_sent", SUM_U64 }, { "client.app_bytes_received", SUM_U64 },
	{ "client.data_intact", SUM_BOOL }, { "client.app_bytes_missing", SUM_U64 },
	{ "client.data_corrupt", SUM_BOOL }, { "client.app_bytes_acked", SUM_U64 },
	{ "client.transfer_time_s", SUM_NANOS }, { "client.transfer_goodput_mbps", SUM_DOUBLE },
	{ "client.segments_sent", SUM_U64 }, { "client.data_segments_sent", SUM_U64 },
	{ "client.payload_bytes_sent", SUM_U64 }, { "client.retransmissions", SUM_U64 },
	{ "client.data_retransmissions", SUM_U64 },
	{ "client.retransmission_rate_pct", SUM_DOUBLE },
	{ "client.fast_retransmits", SUM_U64 }, { "client.rto_timeouts", SUM_U64 },
	{ "client.dupacks_received", SUM_U64 }, { "client.max_cwnd_bytes", SUM_U64 },
	{ "client.max_cwnd_outside_recovery_bytes", SUM_U64 },
	{ "client.final_srtt_ms", SUM_DOUBLE }, { "client.final_rto_ms", SUM_DOUBLE },
	{ "server.state", SUM_STRING }, { "server.max_cwnd_bytes", SUM_U64 },
	{ "server.final_rto_ms", SUM_DOUBLE },
	{ "link.client_to_server.packets", SUM_U64 }, { "link.client_to_server.dropped", SUM_U64 },
	{ "link.client_to_server.queue_drops", SUM_U64 },
	{ "link.client_to_server.reordered", SUM_U64 },
	{ "link.client_to_server.duplicated", SUM_U64 },
	{ "link.client_to_server.corrupted", SUM_U64 },
	{ "link.client_to_server.ce_marked", SUM_U64 },
	{ "link.client_to_server.rule_drops", SUM_U64 },
	{ "link.client_to_server.drop_list_drops", SUM_U64 },
	{ "link.client_to_server.blackout_drops", SUM_U64 },
	{ "link.client_to_server.loss_drops", SUM_U64 },
	{ "link.client_to_server.jittered", SUM_U64 },
	{ "link.server_to_client.packets", SUM_U64 },
	{ "link.server_to_client.corrupted", SUM_U64 },
	{ "link.server_to_client.jittered", SUM_U64 },
	{ "pcap", SUM_LIST },
};


/*
 * A host's requests: keys appear once its app made requests; latencies in
 * milliseconds, their order statistics, and the list in request order.
 */
START_TEST(json_requests)
{
	static const uint64_t lat[] = { 7000000, 5000000, 6500000, 9000001 };
	static char names[MAX_LEAVES][96];
	struct summary s = sample_rules();
	int base = json_leaves(&s, names), failures;
	char *json, *out;
	struct scn_expect x = { .key = "server.requests.count", .op = EXPECT_EQ,
				.type = EXPECT_NUMBER, .number = 0, .loc = { 1, 1 } };

	s.host[HOST_CLIENT].app.requests = 5;
	s.host[HOST_CLIENT].app.requests_done = 4;
	s.host[HOST_CLIENT].app.latency_ns = lat;
	ck_assert_int_eq(json_leaves(&s, names), base + 7);
	json = json_of(&s);
	ck_assert_ptr_nonnull(strstr(json, "\"requests\": {\n      \"count\": 5,\n"
				  "      \"completed\": 4,\n"
				  "      \"latency_min_ms\": 5.000,\n"
				  "      \"latency_median_ms\": 6.750,\n"
				  "      \"latency_mean_ms\": 6.875,\n"
				  "      \"latency_max_ms\": 9.000,\n"
				  "      \"latencies_ms\": [7.000, 5.000, 6.500, 9.000]\n    }\n  },\n"
				  "  \"server\": {"));
	free(json);
	/* An odd count's median is the middle one. */
	s.host[HOST_CLIENT].app.requests_done = 3;
	ck_assert_double_eq(summary_get(&s, summary_key("client.requests.latency_median_ms")).d,
			    6.5);
	ck_assert(!report_key_known("client.requests.latencies_ms"));
	ck_assert(report_key_known("client.requests.latency_max_ms"));
	/* The server made none: its keys are absent, and expect: says why. */
	out = check_of(&x, 1, &s, &failures);
	ck_assert_int_eq(failures, 1);
	ck_assert_ptr_nonnull(strstr(out, "failed: this host's app makes no requests"));
	free(out);
}
END_TEST

START_TEST(documented_keys_keep_their_order)
{
	size_t nkeys, at = 0;
	const struct summary_key *keys = summary_keys(&nkeys);

	for (size_t i = 0; i < sizeof CONTRACT / sizeof CONTRACT[0]; i++) {
		const struct summary_key *k = summary_key(CONTRACT[i].name);

		ck_assert_msg(k != NULL, "%s is gone", CONTRACT[i].name);
		ck_assert_msg(k->kind == CONTRACT[i].kind, "%s changed its kind", k->name);
		ck_assert_msg((size_t)(k - keys) >= at, "%s moved before %s", k->name,
			      i ? CONTRACT[i - 1].name : "the start");
		at = (size_t)(k - keys);
	}
}
END_TEST

/* Every key is usable in expect:: its own value, as the JSON prints it, holds. */
START_TEST(expect_holds_for_every_key)
{
	struct summary s = sample_rules();
	size_t nkeys;
	const struct summary_key *keys = summary_keys(&nkeys);
	int checked = 0;

	for (size_t i = 0; i < nkeys; i++) {
		const struct summary_key *k = &keys[i];
		struct summary_value v = summary_get(&s, k);
		struct scn_expect x = { .key = (char *)k->name, .op = EXPECT_EQ, .loc = { 1, 1 } };
		char num[64];
		int failures;
		char *out;

		if (!summary_present(&s, k))
			continue;

		switch (k->kind) {
		case SUM_U64:
			x.type = EXPECT_NUMBER;
			x.number = (double)v.u;
			break;
		case SUM_NANOS:
			x.type = EXPECT_NUMBER;
			snprintf(num, sizeof num, "%" PRIu64 ".%09" PRIu64,
				 v.u / 1000000000u, v.u % 1000000000u);
			x.number = strtod(num, NULL);
			break;
		case SUM_DOUBLE:
			x.type = EXPECT_NUMBER;
			snprintf(num, sizeof num, "%.*f", k->decimals, v.d);
			x.number = strtod(num, NULL);
			break;
		case SUM_BOOL:
			x.type = EXPECT_BOOL;
			x.boolean = v.b;
			break;
		case SUM_STRING:
			x.type = EXPECT_STRING;
			x.string = (char *)(v.str ? v.str : "null");
			break;
		case SUM_LIST:
		case SUM_MS_LIST:
			continue;
		}
		out = check_of(&x, 1, &s, &failures);
		ck_assert_msg(failures == 0, "%s: %s", k->name, out);
		free(out);
		checked++;
	}
	ck_assert_int_eq(checked, 9 + 2 * 67 + 2 * 12 + 2 * 2);
}
END_TEST

/* The text summary's reader takes every kind out of the table as it is. */
START_TEST(summary_get_reads_each_kind)
{
	struct summary s = sample_rules();

	ck_assert_str_eq(summary_get(&s, summary_key("version")).str, "9.8.7");
	ck_assert_uint_eq(summary_get(&s, summary_key("end_time_s")).u, 12345678901u);
	ck_assert_uint_eq(summary_get(&s, summary_key("server.segments_received")).u, 790);
	ck_assert_uint_eq(summary_get(&s, summary_key("link.client_to_server.corrupted")).u, 2);
	ck_assert_uint_eq(summary_get(&s, summary_key("link.server_to_client.packets")).u, 701);
	ck_assert(!summary_get(&s, summary_key("duration_reached")).b);
	s.duration_reached = true;
	ck_assert(summary_get(&s, summary_key("duration_reached")).b);
	ck_assert_str_eq(summary_get(&s, summary_key("pcap")).list[0], "out/loss-5pct.pcap");
	ck_assert_ptr_null(summary_get(&s, summary_key("pcap")).list[1]);
	/* A direction's rules: those it has, and nothing past them. */
	ck_assert_str_eq(summary_get(&s, summary_key("link.client_to_server.rules.2.rule")).str,
			 "delay: {syn_ack: 1, by: 2s}");
	ck_assert_uint_eq(summary_get(&s, summary_key("link.client_to_server.rules.1.hits")).u, 1);
	ck_assert(summary_present(&s, summary_key("link.client_to_server.rules.2.hits")));
	ck_assert(!summary_present(&s, summary_key("link.client_to_server.rules.3.hits")));
	ck_assert_ptr_null(summary_get(&s, summary_key("link.client_to_server.rules.3.rule")).str);
	ck_assert(!summary_present(&s, summary_key("link.server_to_client.rules.1.hits")));
	ck_assert(summary_present(&s, summary_key("link.server_to_client.packets")));
	ck_assert_ptr_nonnull(summary_key("link.server_to_client.rules.16.hits"));
	ck_assert_ptr_null(summary_key("link.server_to_client.rules.17.hits"));
	ck_assert_ptr_null(summary_key("client"));
	ck_assert_ptr_null(summary_key("client.nonesuch"));
}
END_TEST

/*
 * Every key is documented where users look: each name's last part in
 * backquotes in the README's summary table and in docs/scenarios.md.
 */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	int c;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	while ((c = fgetc(f)) != EOF)
		fputc(c, m);
	fclose(f);
	fclose(m);
	return buf;
}

START_TEST(every_key_is_documented)
{
	static const char *const docs[] = { SRCDIR "/README.md", SRCDIR "/docs/scenarios.md" };
	size_t nkeys;
	const struct summary_key *keys = summary_keys(&nkeys);

	for (size_t d = 0; d < 2; d++) {
		char *text = slurp(docs[d]);

		for (size_t i = 0; i < nkeys; i++) {
			const char *leaf = strrchr(keys[i].name, '.');
			char quoted[128];

			snprintf(quoted, sizeof quoted, "`%s`", leaf ? leaf + 1 : keys[i].name);
			ck_assert_msg(strstr(text, quoted) != NULL, "%s does not document %s",
				      docs[d], keys[i].name);
		}
		free(text);
	}
}
END_TEST

/* ---- report_check ---- */

#define NUM(k, o, v) { .key = (k), .op = (o), .type = EXPECT_NUMBER, .number = (v), .loc = { 7, 3 } }
#define BOOL(k, o, v) { .key = (k), .op = (o), .type = EXPECT_BOOL, .boolean = (v), .loc = { 7, 3 } }
#define STR(k, o, v) { .key = (k), .op = (o), .type = EXPECT_STRING, .string = (v), .loc = { 7, 3 } }

/* One expectation against sample_rules(), and the line it prints ("" if it holds). */
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
	{ NUM("link.client_to_server.rules.1.hits", EXPECT_EQ, 1), "" },
	{ STR("link.client_to_server.rules.2.rule", EXPECT_EQ, "delay: {syn_ack: 1, by: 2s}"), "" },
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
	/* a rule the direction does not have */
	{ NUM("link.client_to_server.rules.3.hits", EXPECT_EQ, 0),
	  "t.yaml:7:3: expect link.client_to_server.rules.3.hits == 0 failed: no such rule; "
	  "this direction has 2\n" },
	{ NUM("link.client_to_server.rules.2.hits", EXPECT_EQ, 1),
	  "t.yaml:7:3: expect link.client_to_server.rules.2.hits == 1 failed: got 0\n" },
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
	struct summary s = sample_rules();
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
	struct summary s = sample_rules();
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
	ck_assert_int_eq(failures, 31);
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

	s.host[HOST_SERVER].error = NULL;
	out = check_of(&x, 1, &s, &failures);
	ck_assert_int_eq(failures, 0);
	ck_assert_str_eq(out, "");
	free(out);

	s.host[HOST_SERVER].error = "refused";
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
		"  transfer: 9.575 s from the first SYN to the last data ACK, 1000000 B,"
		" goodput 0.835 Mbit/s\n"
		"  client  TIME_WAIT     sent 1000000 B (720 data segments, 34 retransmitted = 4.72%,"
		" 5 RTO)  received 0 B  data intact\n"
		"          segments 800 out / 700 in, 2 SYN/FIN retransmissions, 97 dup ACKs,"
		" 31 fast retransmits, max cwnd 64240 B (40880 B outside fast recovery),"
		" srtt 50.1 ms, rto 250.0 ms\n"
		"          ECN: 0 CE received, 0 ECE sent, 21 ECE received, 3 cwnd reductions"
		" for ECE, 4 CWR sent\n"
		"          1 delayed ACKs, 2 Nagle holds, 4 zero windows sent, 3 window probes,"
		" 5 window updates, 7 out-of-order in, 8 spurious retransmissions\n"
		"  server  CLOSED        sent 0 B (0 data segments, 0 RTO)"
		"  received 1000000 B  data intact  connection reset by peer\n"
		"          segments 701 out / 790 in, 0 dup ACKs, 0 fast retransmits,"
		" max cwnd 14600 B, srtt 0.0 ms, rto 1000.0 ms, 2 bad checksums,"
		" RST 3 sent / 0 received\n"
		"          ECN: 30 CE received, 20 ECE sent, 0 ECE received, 0 cwnd reductions"
		" for ECE, 0 CWR sent\n"
		"          10 delayed ACKs, 11 Nagle holds, 13 zero windows sent, 12 window probes,"
		" 14 window updates, 16 out-of-order in, 17 spurious retransmissions\n"
		"  link client->server: 755 packets, 38 dropped, 2 queue drops,"
		" 3 reordered, 1 duplicated, 4 jittered, 2 corrupted, 30 marked CE\n"
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
	s.host[HOST_CLIENT].error = "refused";
	s.host[HOST_SERVER].error = "timeout";
	s.host[HOST_SERVER].app.data_intact = false;   /* a wrong byte at offset 0 */
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

	s.host[HOST_CLIENT].app.bytes_sent = 1004321;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, "received 1000000 B  4321 B NEVER READ  connection reset"));
	free(text);
	/* A wrong byte outranks the missing ones. */
	s.host[HOST_SERVER].app.data_intact = false;
	s.host[HOST_SERVER].app.first_mismatch = 5;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, "received 1000000 B  DATA CORRUPT  connection reset"));
	free(text);
	/* The end of a short stream is marked a mismatch at its end: missing, not corrupt. */
	s.host[HOST_SERVER].app.first_mismatch = 1000000;
	text = text_of(&s);
	ck_assert_ptr_nonnull(strstr(text, "received 1000000 B  4321 B NEVER READ  connection reset"));
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

/* ---- the --trace CSV ---- */

static char *trace_of(struct trace_row *r, bool rtt_column)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	ck_assert_ptr_nonnull(f);
	r->rtt_column = rtt_column;
	report_trace_header(f, false, rtt_column);
	report_trace_row(f, r);
	fclose(f);
	return buf;
}

/* The rtt_sample_ms column only with rtt_column: the sample on an
 * rtt_sample row, empty on the others; without it the CSV is the ten
 * columns it always had. */
START_TEST(trace_rtt_column)
{
	struct trace_row r = {
		.time_ns = 81379200, .endpoint = "client", .host = HOST_CLIENT,
		.event = "rtt_sample", .cwnd_bytes = 14480, .ssthresh_bytes = UINT64_MAX,
		.flight_bytes = 14480, .srtt_ns = 40025000, .rttvar_ns = 19050000,
		.rto_ns = 1000000000, .state = "open", .rtt_sample_ns = 41000000,
	};
	const char *head = "time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,"
			   "srtt_ms,rttvar_ms,rto_ms,state";
	char want[512], *got;

	snprintf(want, sizeof(want), "%s,rtt_sample_ms\n0.081379200,client,rtt_sample,14480,inf,"
		 "14480,40.025,19.050,1000.000,open,41.000\n", head);
	got = trace_of(&r, true);
	ck_assert_str_eq(got, want);
	free(got);

	r.event = "ack";
	r.rtt_sample_ns = 0;
	snprintf(want, sizeof(want), "%s,rtt_sample_ms\n0.081379200,client,ack,14480,inf,"
		 "14480,40.025,19.050,1000.000,open,\n", head);
	got = trace_of(&r, true);
	ck_assert_str_eq(got, want);
	free(got);

	r.rtt_sample_ns = 41000000;
	snprintf(want, sizeof(want), "%s\n0.081379200,client,ack,14480,inf,"
		 "14480,40.025,19.050,1000.000,open\n", head);
	got = trace_of(&r, false);
	ck_assert_str_eq(got, want);
	free(got);
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
	tcase_add_test(tc, json_prints_the_table);
	tcase_add_test(tc, json_set_list);
	tcase_add_test(tc, json_requests);
	tcase_add_test(tc, documented_keys_keep_their_order);
	tcase_add_test(tc, expect_holds_for_every_key);
	tcase_add_test(tc, summary_get_reads_each_kind);
	tcase_add_test(tc, every_key_is_documented);
	suite_add_tcase(s, tc);

	tc = tcase_create("check");
	tcase_add_loop_test(tc, check_case, 0, NCASES);
	tcase_add_test(tc, check_all_cases);
	tcase_add_test(tc, check_nothing_expected);
	tcase_add_test(tc, check_locations);
	tcase_add_test(tc, check_null_error_both_ways);
	suite_add_tcase(s, tc);

	tc = tcase_create("trace");
	tcase_add_test(tc, trace_rtt_column);
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
