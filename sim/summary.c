/*
 * summary: the key table and the figures it reads (see summary.h).
 */
#include "config.h"

#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "cc.h"

/* ---- collecting the raw figures ---- */

void summary_collect(struct summary *s, struct world *w)
{
	memset(s, 0, sizeof(*s));
	s->version = PACKAGE_VERSION;
	s->scenario = world_scenario(w)->name;
	s->seed = world_seed(w);
	s->end_time_ns = world_now_ns(w);
	s->events = world_events(w);
	s->duration_reached = world_duration_reached(w);
	s->set = (const char *const *)world_scenario(w)->set;
	for (int i = 0; i < 2; i++) {
		struct summary_host *h = &s->host[i];
		const struct tcp_ep *ep = world_tcp(w, (enum host_id)i);

		const struct scn_host *cfg = i == HOST_CLIENT ? &world_scenario(w)->client
							      : &world_scenario(w)->server;

		h->profile = cfg->profile ? cfg->profile->name : NULL;
		h->congestion_control = cfg->tcp.cc ? cfg->tcp.cc->name : NULL;
		h->state = tcp_state_name(tcp_state(ep));
		h->error = tcp_error_name(tcp_error(ep));
		h->tcp = *tcp_stats(ep);
		h->app = *app_stats(world_app(w, (enum host_id)i));
		h->net = *world_host_counters(w, (enum host_id)i);
		h->srtt_ns = tcp_srtt_ns(ep);
		h->rto_ns = tcp_rto_ns(ep);
		h->ecn = tcp_ecn_ok(ep);
		s->link[i] = world_link(w, (enum host_id)i)->st;
		if (world_link(w, (enum host_id)i)->rules) {
			const struct rules *rs = world_link(w, (enum host_id)i)->rules;

			s->rules[i].n = rules_count(rs);
			for (size_t r = 0; r < s->rules[i].n; r++) {
				s->rules[i].text[r] = rules_text(rs, r);
				s->rules[i].hits[r] = rules_hits(rs, r);
			}
		}
	}
}

/* ---- derived values ---- */

/* Megabits per second for bytes over an interval (0 if none passed). */
static double mbps(uint64_t bytes, uint64_t from_ns, uint64_t to_ns)
{
	return to_ns > from_ns ? (double)bytes * 8e3 / (double)(to_ns - from_ns) : 0;
}

/*
 * Bytes the peer's application wrote that this one never read (lost with
 * a reset, or still unread when the run ended).
 */
static uint64_t bytes_missing(const struct summary *s, int who)
{
	uint64_t wrote = s->host[1 - who].app.bytes_sent, read = s->host[who].app.bytes_received;

	return wrote > read ? wrote - read : 0;
}

static void get_data_intact(const struct summary *s, int who, struct summary_value *v)
{
	/* Intact means complete as well as correct. */
	v->b = s->host[who].app.data_intact && bytes_missing(s, who) == 0;
}

static void get_data_corrupt(const struct summary *s, int who, struct summary_value *v)
{
	const struct app_stats *a = &s->host[who].app;

	/* app.c marks the end of a short stream as a mismatch at its end. */
	v->b = !a->data_intact && a->first_mismatch < a->bytes_received;
}

static void get_app_bytes_missing(const struct summary *s, int who, struct summary_value *v)
{
	v->u = bytes_missing(s, who);
}

static void get_final_srtt_ms(const struct summary *s, int who, struct summary_value *v)
{
	v->d = s->host[who].srtt_ns / 1e6;
}

static void get_final_rto_ms(const struct summary *s, int who, struct summary_value *v)
{
	v->d = s->host[who].rto_ns / 1e6;
}

static void get_resets_sent(const struct summary *s, int who, struct summary_value *v)
{
	/* The endpoint's own, and the host's answers for no connection. */
	v->u = s->host[who].tcp.resets_sent + s->host[who].net.resets_no_socket;
}

static void get_app_goodput_mbps(const struct summary *s, int who, struct summary_value *v)
{
	const struct app_stats *a = &s->host[who].app;

	if (a->bytes_received > 0)
		v->d = mbps(a->bytes_received, a->connected_ns, a->last_read_ns);
}

static void get_app_goodput_second_half_mbps(const struct summary *s, int who,
					     struct summary_value *v)
{
	const struct app_stats *a = &s->host[who].app;

	/* Past slow start, in a transfer long enough: the second half. */
	if (a->half_read_ns)
		v->d = mbps(a->bytes_received - a->half_bytes, a->half_read_ns, a->last_read_ns);
}

static void get_spurious_retransmissions(const struct summary *s, int who,
					 struct summary_value *v)
{
	/* The link never duplicates a packet, so every data segment that
	 * arrives with nothing new is a copy this host sent needlessly. */
	v->u = s->host[1 - who].tcp.dup_segments_received;
}

static void get_rack_reordering_seen(const struct summary *s, int who, struct summary_value *v)
{
	v->b = s->host[who].tcp.rack_reordering_seen != 0;
}

static void get_rack_reo_wnd_max_ms(const struct summary *s, int who, struct summary_value *v)
{
	v->d = s->host[who].tcp.rack_reo_wnd_max_ns / 1e6;
}

static void get_retransmission_rate_pct(const struct summary *s, int who,
					struct summary_value *v)
{
	const struct tcp_stats *t = &s->host[who].tcp;

	if (t->data_segments_sent > 0)
		v->d = 100.0 * (double)t->data_retransmissions / (double)t->data_segments_sent;
}

/*
 * The transfer of one direction ends when the ACK of the last data byte its
 * sender's application wrote arrives back at the sender: the byte was
 * delivered and the sender knows it. The FIN is not data: its exchange is
 * the connection's teardown, like the TIME_WAIT after it. A direction is
 * complete when it carried data and every byte of it was acknowledged.
 */
static bool direction_complete(const struct summary *s, int who)
{
	const struct summary_host *h = &s->host[who];

	return h->app.bytes_sent > 0 && h->tcp.data_bytes_acked == h->app.bytes_sent;
}

/*
 * Nanoseconds from the connection's start, the client's first SYN, to t
 * (data acknowledged, so after it: only the client connects).
 */
static uint64_t since_first_syn(const struct summary *s, uint64_t t)
{
	return t - s->host[HOST_CLIENT].tcp.connect_ns;
}

static uint64_t direction_time(const struct summary *s, int who)
{
	if (!direction_complete(s, who))
		return 0;
	return since_first_syn(s, s->host[who].tcp.last_data_acked_ns);
}

static void get_host_transfer_time(const struct summary *s, int who, struct summary_value *v)
{
	v->u = direction_time(s, who);
}

static void get_host_transfer_goodput(const struct summary *s, int who, struct summary_value *v)
{
	v->d = mbps(s->host[who].app.bytes_sent, 0, direction_time(s, who));
}

/* Every direction that carried data is complete, and one did. */
static bool transfer_complete(const struct summary *s)
{
	bool any = false;

	for (int i = 0; i < 2; i++) {
		if (s->host[i].app.bytes_sent == 0)
			continue;
		if (!direction_complete(s, i))
			return false;
		any = true;
	}
	return any;
}

/* The later of the two directions' ends, once both are complete. */
static uint64_t transfer_time(const struct summary *s)
{
	uint64_t t = 0;

	if (!transfer_complete(s))
		return 0;
	for (int i = 0; i < 2; i++)
		if (direction_time(s, i) > t)
			t = direction_time(s, i);
	return t;
}

static void get_transfer_complete(const struct summary *s, int who, struct summary_value *v)
{
	(void)who;
	v->b = transfer_complete(s);
}

static void get_transfer_time(const struct summary *s, int who, struct summary_value *v)
{
	(void)who;
	v->u = transfer_time(s);
}

static void get_transfer_goodput(const struct summary *s, int who, struct summary_value *v)
{
	(void)who;
	v->d = mbps(s->host[HOST_CLIENT].app.bytes_sent + s->host[HOST_SERVER].app.bytes_sent,
		    0, transfer_time(s));
}

static void get_set(const struct summary *s, int who, struct summary_value *v)
{
	(void)who;
	v->list = s->set;
}

/* ---- the table ---- */

#define RUN(name, kind, unit, field) \
	{ name, kind, 0, unit, SCOPE_RUN, 0, offsetof(struct summary, field), NULL }
#define RUN_GET(name, kind, dec, unit, fn) \
	{ name, kind, dec, unit, SCOPE_RUN, 0, 0, fn }
#define HOST(h, w, leaf, kind, unit, field) \
	{ #h "." leaf, kind, 0, unit, SCOPE_HOST, w, offsetof(struct summary_host, field), NULL }
#define HOST_GET(h, w, leaf, kind, dec, unit, fn) \
	{ #h "." leaf, kind, dec, unit, SCOPE_HOST, w, 0, fn }
#define LINK(l, w, leaf) \
	{ "link." #l "." #leaf, SUM_U64, 0, "", SCOPE_LINK, w, offsetof(struct link_stats, leaf), NULL }
#define RULE(l, w, i) \
	{ "link." #l ".rules." #i ".rule", SUM_STRING, 0, "", SCOPE_RULE, w, i - 1, NULL }, \
	{ "link." #l ".rules." #i ".hits", SUM_U64, 0, "", SCOPE_RULE, w, i - 1, NULL }

/* One host's keys (README, "The summary"; docs/scenarios.md, "expect"). */
#define HOST_KEYS(h, w) \
	HOST(h, w, "profile", SUM_STRING, "", profile), \
	HOST(h, w, "congestion_control", SUM_STRING, "", congestion_control), \
	HOST(h, w, "state", SUM_STRING, "", state), \
	HOST(h, w, "error", SUM_STRING, "", error), \
	HOST(h, w, "app_bytes_sent", SUM_U64, "B", app.bytes_sent), \
	HOST(h, w, "app_bytes_received", SUM_U64, "B", app.bytes_received), \
	HOST_GET(h, w, "data_intact", SUM_BOOL, 0, "", get_data_intact), \
	HOST_GET(h, w, "app_bytes_missing", SUM_U64, 0, "B", get_app_bytes_missing), \
	HOST_GET(h, w, "data_corrupt", SUM_BOOL, 0, "", get_data_corrupt), \
	HOST(h, w, "app_bytes_acked", SUM_U64, "B", tcp.data_bytes_acked), \
	HOST_GET(h, w, "transfer_time_s", SUM_NANOS, 0, "s", get_host_transfer_time), \
	HOST_GET(h, w, "transfer_goodput_mbps", SUM_DOUBLE, 3, "Mbit/s", get_host_transfer_goodput), \
	HOST(h, w, "segments_sent", SUM_U64, "", net.packets_sent), \
	HOST(h, w, "data_segments_sent", SUM_U64, "", tcp.data_segments_sent), \
	HOST(h, w, "payload_bytes_sent", SUM_U64, "B", tcp.payload_bytes_sent), \
	HOST(h, w, "retransmissions", SUM_U64, "", tcp.retransmissions), \
	HOST(h, w, "data_retransmissions", SUM_U64, "", tcp.data_retransmissions), \
	HOST_GET(h, w, "retransmission_rate_pct", SUM_DOUBLE, 3, "%", get_retransmission_rate_pct), \
	HOST(h, w, "fast_retransmits", SUM_U64, "", tcp.fast_retransmits), \
	HOST(h, w, "rto_timeouts", SUM_U64, "", tcp.rto_timeouts), \
	HOST(h, w, "dupacks_received", SUM_U64, "", tcp.dupacks_received), \
	HOST(h, w, "max_cwnd_bytes", SUM_U64, "B", tcp.max_cwnd_bytes), \
	HOST(h, w, "max_cwnd_outside_recovery_bytes", SUM_U64, "B", \
	     tcp.max_cwnd_outside_recovery_bytes), \
	HOST_GET(h, w, "final_srtt_ms", SUM_DOUBLE, 3, "ms", get_final_srtt_ms), \
	HOST_GET(h, w, "final_rto_ms", SUM_DOUBLE, 3, "ms", get_final_rto_ms), \
	HOST(h, w, "rtt_samples", SUM_U64, "", tcp.rtt_samples), \
	HOST(h, w, "paws_dropped", SUM_U64, "", tcp.paws_dropped), \
	HOST(h, w, "segments_received", SUM_U64, "", net.packets_received), \
	HOST(h, w, "checksum_errors", SUM_U64, "", net.checksum_errors), \
	HOST_GET(h, w, "resets_sent", SUM_U64, 0, "", get_resets_sent), \
	HOST(h, w, "resets_received", SUM_U64, "", tcp.resets_received), \
	HOST_GET(h, w, "app_goodput_mbps", SUM_DOUBLE, 3, "Mbit/s", get_app_goodput_mbps), \
	HOST_GET(h, w, "app_goodput_second_half_mbps", SUM_DOUBLE, 3, "Mbit/s", \
		 get_app_goodput_second_half_mbps), \
	HOST(h, w, "delayed_acks", SUM_U64, "", tcp.delayed_acks), \
	HOST(h, w, "nagle_holds", SUM_U64, "", tcp.nagle_holds), \
	HOST(h, w, "window_probes", SUM_U64, "", tcp.window_probes), \
	HOST(h, w, "zero_windows_sent", SUM_U64, "", tcp.zero_windows_sent), \
	HOST(h, w, "window_updates_sent", SUM_U64, "", tcp.window_updates_sent), \
	HOST(h, w, "dupacks_sent", SUM_U64, "", tcp.dupacks_sent), \
	HOST(h, w, "ooo_segments_received", SUM_U64, "", tcp.ooo_segments_received), \
	HOST_GET(h, w, "spurious_retransmissions", SUM_U64, 0, "", get_spurious_retransmissions), \
	HOST(h, w, "sack_blocks_sent", SUM_U64, "", tcp.sack_blocks_sent), \
	HOST(h, w, "dsack_sent", SUM_U64, "", tcp.dsack_sent), \
	HOST(h, w, "sack_blocks_received", SUM_U64, "", tcp.sack_blocks_received), \
	HOST(h, w, "dsack_received", SUM_U64, "", tcp.dsack_received), \
	HOST(h, w, "sack_dupacks_received", SUM_U64, "", tcp.sack_dupacks_received), \
	HOST(h, w, "sack_recoveries", SUM_U64, "", tcp.sack_recoveries), \
	HOST(h, w, "sack_retransmits", SUM_U64, "", tcp.sack_retransmits), \
	HOST(h, w, "sack_rescue_retransmits", SUM_U64, "", tcp.sack_rescue_retransmits), \
	HOST(h, w, "sack_reneges", SUM_U64, "", tcp.sack_reneges), \
	HOST(h, w, "ecn", SUM_BOOL, "", ecn), \
	HOST(h, w, "ce_received", SUM_U64, "", tcp.ce_received), \
	HOST(h, w, "ece_sent", SUM_U64, "", tcp.ece_sent), \
	HOST(h, w, "ece_received", SUM_U64, "", tcp.ece_received), \
	HOST(h, w, "ecn_reductions", SUM_U64, "", tcp.ecn_reductions), \
	HOST(h, w, "cwr_sent", SUM_U64, "", tcp.cwr_sent), \
	HOST(h, w, "rack_losses_marked", SUM_U64, "", tcp.rack_losses_marked), \
	HOST(h, w, "rack_retransmits", SUM_U64, "", tcp.rack_retransmits), \
	HOST(h, w, "rack_lost_retransmits", SUM_U64, "", tcp.rack_lost_retransmits), \
	HOST(h, w, "rack_timer_fires", SUM_U64, "", tcp.rack_timer_fires), \
	HOST_GET(h, w, "rack_reordering_seen", SUM_BOOL, 0, "", get_rack_reordering_seen), \
	HOST(h, w, "rack_dsack_rounds", SUM_U64, "", tcp.rack_dsack_rounds), \
	HOST_GET(h, w, "rack_reo_wnd_max_ms", SUM_DOUBLE, 3, "ms", get_rack_reo_wnd_max_ms), \
	HOST(h, w, "tlp_probes", SUM_U64, "", tcp.tlp_probes), \
	HOST(h, w, "tlp_new_data_probes", SUM_U64, "", tcp.tlp_new_data_probes), \
	HOST(h, w, "tlp_recoveries", SUM_U64, "", tcp.tlp_recoveries), \
	HOST(h, w, "tlp_spurious", SUM_U64, "", tcp.tlp_spurious)

/* Requests (a requests: block): n latencies, and their order statistics. */
static const struct app_stats *req_app(const struct summary *s, int who)
{
	return &s->host[who].app;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* The sorted latencies of who's completed requests, in *out (n entries, freed by the caller). */
static size_t sorted_latencies(const struct summary *s, int who, uint64_t **out)
{
	const struct app_stats *a = req_app(s, who);
	size_t n = (size_t)a->requests_done;

	*out = NULL;
	if (n == 0)
		return 0;
	*out = malloc(n * sizeof(**out));
	if (!*out)
		abort();
	memcpy(*out, a->latency_ns, n * sizeof(**out));
	qsort(*out, n, sizeof(**out), cmp_u64);
	return n;
}

static void get_req_count(const struct summary *s, int who, struct summary_value *v)
{
	v->u = req_app(s, who)->requests;
}

static void get_req_completed(const struct summary *s, int who, struct summary_value *v)
{
	v->u = req_app(s, who)->requests_done;
}

static void get_req_min(const struct summary *s, int who, struct summary_value *v)
{
	const struct app_stats *a = req_app(s, who);
	uint64_t lo = UINT64_MAX;

	for (uint64_t i = 0; i < a->requests_done; i++)
		lo = a->latency_ns[i] < lo ? a->latency_ns[i] : lo;
	v->d = a->requests_done ? (double)lo / 1e6 : 0;
}

static void get_req_max(const struct summary *s, int who, struct summary_value *v)
{
	const struct app_stats *a = req_app(s, who);
	uint64_t hi = 0;

	for (uint64_t i = 0; i < a->requests_done; i++)
		hi = a->latency_ns[i] > hi ? a->latency_ns[i] : hi;
	v->d = (double)hi / 1e6;
}

/* The median: the middle value, or the mean of the two middle values. */
static void get_req_median(const struct summary *s, int who, struct summary_value *v)
{
	uint64_t *l;
	size_t n = sorted_latencies(s, who, &l);

	if (n)
		v->d = n % 2 ? (double)l[n / 2] / 1e6
			     : ((double)l[n / 2 - 1] + (double)l[n / 2]) / 2e6;
	free(l);
}

static void get_req_mean(const struct summary *s, int who, struct summary_value *v)
{
	const struct app_stats *a = req_app(s, who);
	double sum = 0;

	for (uint64_t i = 0; i < a->requests_done; i++)
		sum += (double)a->latency_ns[i];
	v->d = a->requests_done ? sum / (double)a->requests_done / 1e6 : 0;
}

static void get_req_latencies(const struct summary *s, int who, struct summary_value *v)
{
	v->nanos = req_app(s, who)->latency_ns;
	v->n = (size_t)req_app(s, who)->requests_done;
}

#define REQ(h, w, leaf, kind, dec, unit, fn) \
	{ #h ".requests." leaf, kind, dec, unit, SCOPE_REQUESTS, w, 0, fn }
/* One host's requests, present in the JSON only when its app made some. */
#define REQUEST_KEYS(h, w) \
	REQ(h, w, "count", SUM_U64, 0, "", get_req_count), \
	REQ(h, w, "completed", SUM_U64, 0, "", get_req_completed), \
	REQ(h, w, "latency_min_ms", SUM_DOUBLE, 3, "ms", get_req_min), \
	REQ(h, w, "latency_median_ms", SUM_DOUBLE, 3, "ms", get_req_median), \
	REQ(h, w, "latency_mean_ms", SUM_DOUBLE, 3, "ms", get_req_mean), \
	REQ(h, w, "latency_max_ms", SUM_DOUBLE, 3, "ms", get_req_max), \
	REQ(h, w, "latencies_ms", SUM_MS_LIST, 3, "ms", get_req_latencies)

/* One direction's keys. */
#define LINK_KEYS(l, w) \
	LINK(l, w, packets), LINK(l, w, dropped), LINK(l, w, queue_drops), \
	LINK(l, w, reordered), LINK(l, w, duplicated), LINK(l, w, corrupted), \
	LINK(l, w, ce_marked), LINK(l, w, rule_drops), LINK(l, w, drop_list_drops), \
	LINK(l, w, blackout_drops), LINK(l, w, loss_drops), LINK(l, w, jittered)

/* One direction's rules, present in the JSON only for the rules it has. */
#define RULES_KEYS(l, w) \
	RULE(l, w, 1), RULE(l, w, 2), RULE(l, w, 3), RULE(l, w, 4), \
	RULE(l, w, 5), RULE(l, w, 6), RULE(l, w, 7), RULE(l, w, 8), \
	RULE(l, w, 9), RULE(l, w, 10), RULE(l, w, 11), RULE(l, w, 12), \
	RULE(l, w, 13), RULE(l, w, 14), RULE(l, w, 15), RULE(l, w, 16)
_Static_assert(RULES_MAX == 16, "one RULE row pair per rule a direction may hold");

/*
 * The summary, in output order. Keys sharing a dotted prefix must be
 * contiguous: the JSON writer opens and closes objects as the prefix
 * changes. Keys once documented keep their names and meanings; new ones
 * may go anywhere.
 */
static const struct summary_key KEYS[] = {
	RUN("version", SUM_STRING, "", version),
	RUN("scenario", SUM_STRING, "", scenario),
	RUN("seed", SUM_U64, "", seed),
	{ "set", SUM_LIST, 0, "", SCOPE_SET, 0, 0, get_set },
	RUN("end_time_s", SUM_NANOS, "s", end_time_ns),
	RUN("events", SUM_U64, "", events),
	RUN("duration_reached", SUM_BOOL, "", duration_reached),
	RUN_GET("transfer_complete", SUM_BOOL, 0, "", get_transfer_complete),
	RUN_GET("transfer_time_s", SUM_NANOS, 0, "s", get_transfer_time),
	RUN_GET("transfer_goodput_mbps", SUM_DOUBLE, 3, "Mbit/s", get_transfer_goodput),
	HOST_KEYS(client, HOST_CLIENT),
	REQUEST_KEYS(client, HOST_CLIENT),
	HOST_KEYS(server, HOST_SERVER),
	REQUEST_KEYS(server, HOST_SERVER),
	LINK_KEYS(client_to_server, HOST_CLIENT),
	RULES_KEYS(client_to_server, HOST_CLIENT),
	LINK_KEYS(server_to_client, HOST_SERVER),
	RULES_KEYS(server_to_client, HOST_SERVER),
	RUN("pcap", SUM_LIST, "", pcap),
};

#define NKEYS (sizeof KEYS / sizeof KEYS[0])

const struct summary_key *summary_keys(size_t *n)
{
	*n = NKEYS;
	return KEYS;
}

const struct summary_key *summary_key(const char *name)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (strcmp(KEYS[i].name, name) == 0)
			return &KEYS[i];
	return NULL;
}

bool summary_present(const struct summary *s, const struct summary_key *k)
{
	if (k->scope == SCOPE_SET)
		return s->set != NULL && s->set[0] != NULL;
	if (k->scope == SCOPE_REQUESTS)
		return s->host[k->who].app.requests > 0;
	return k->scope != SCOPE_RULE || k->off < s->rules[k->who].n;
}

struct summary_value summary_get(const struct summary *s, const struct summary_key *k)
{
	struct summary_value v;
	const char *p;

	memset(&v, 0, sizeof(v));
	if (k->get) {
		k->get(s, k->who, &v);
		return v;
	}
	if (k->scope == SCOPE_RULE) {
		/* Rules a direction does not have read as nothing and 0. */
		if (summary_present(s, k) && k->kind == SUM_STRING)
			v.str = s->rules[k->who].text[k->off];
		else if (summary_present(s, k))
			v.u = s->rules[k->who].hits[k->off];
		return v;
	}
	switch (k->scope) {
	case SCOPE_HOST:
		p = (const char *)&s->host[k->who];
		break;
	case SCOPE_LINK:
		p = (const char *)&s->link[k->who];
		break;
	default:
		p = (const char *)s;
		break;
	}
	p += k->off;
	switch (k->kind) {
	case SUM_U64:
	case SUM_NANOS:
		memcpy(&v.u, p, sizeof(v.u));
		break;
	case SUM_DOUBLE:
		memcpy(&v.d, p, sizeof(v.d));
		break;
	case SUM_BOOL:
		memcpy(&v.b, p, sizeof(v.b));
		break;
	case SUM_STRING:
		memcpy(&v.str, p, sizeof(v.str));
		break;
	case SUM_LIST:
		v.list = (const char *const *)(const void *)p;
		break;
	case SUM_MS_LIST:
		break;          /* always through an accessor */
	}
	return v;
}
