/*
 * summary: what a run did, as one ordered list of dotted keys
 * ("client.state", "link.client_to_server.dropped", "transfer_time_s").
 *
 * The list is one table in summary.c: each row is a key's name, its kind, the
 * unit the text summary shows it in, and where its value comes from: the
 * offset of a raw figure in struct summary, or an accessor that derives it
 * (a rate, a duration, a verdict). The JSON (report_json) prints the rows in
 * table order, nested by their dots; expect: looks keys up in the same
 * table; the text summary reads every value it shows through it. A new
 * counter is one row.
 *
 * struct summary itself holds only raw figures, copied out of a finished
 * world by summary_collect through the world's accessors (world.h): the
 * endpoints' tcp_stats, the applications' app_stats, the hosts' and the
 * links' own counters. A test can fill one by hand. Nothing in it is a
 * wall-clock figure, so the summary of a run is as deterministic as the run.
 */
#ifndef TCPSIM_SUMMARY_H
#define TCPSIM_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "app.h"
#include "link.h"
#include "rules.h"
#include "tcp.h"
#include "world.h"

/* One host's raw figures. */
struct summary_host {
	const char *profile;        /* the TCP profile its settings started from ("rfc", "linux") */
	const char *congestion_control;   /* the algorithm's name ("newreno", ...) */
	const char *state;          /* RFC 9293 state name at the end, e.g. "TIME_WAIT" */
	const char *error;          /* NULL, or tcp_error_name(): "refused", "reset", ... */
	struct tcp_stats tcp;       /* its endpoint's counters */
	struct app_stats app;       /* its application's */
	struct host_counters net;   /* the world's, for this host */
	uint64_t srtt_ns, rto_ns;   /* the RTT estimator at the end (RFC 6298) */
	bool ecn;                   /* both SYNs agreed on ECN (RFC 3168 §6.1.1) */
};

/* One direction's path rules: each one's text and the packets it hit. */
struct summary_rules {
	size_t n;                   /* 0 .. RULES_MAX */
	const char *text[RULES_MAX];   /* rule_format: "drop: {data_segment: 3}" */
	uint64_t hits[RULES_MAX];
};

struct summary {
	const char *version;        /* the program's (PACKAGE_VERSION) */
	const char *scenario;
	uint64_t seed;
	uint64_t end_time_ns;       /* virtual time when the run ended */
	uint64_t events;
	bool duration_reached;      /* stopped by duration: rather than by completion */
	struct summary_host host[2];   /* [HOST_CLIENT], [HOST_SERVER] */
	struct link_stats link[2];     /* [HOST_CLIENT]: client to server; [HOST_SERVER]: back */
	struct summary_rules rules[2]; /* the same directions' rules */
	const char *pcap[3];        /* files written, NULL-terminated */
	const char *const *set;     /* the run's --set arguments, NULL-terminated; NULL: none */
};

/* Fills s from a finished world; its strings point into w (valid while it lives). */
void summary_collect(struct summary *s, struct world *w);

enum summary_kind {
	SUM_U64,        /* a count or a size */
	SUM_NANOS,      /* virtual nanoseconds, shown as seconds with 9 decimals */
	SUM_DOUBLE,     /* shown with the key's fixed decimals */
	SUM_BOOL,
	SUM_STRING,     /* NULL is JSON null */
	SUM_LIST,       /* NULL-terminated strings; JSON only, not for expect: */
	SUM_MS_LIST,    /* virtual nanoseconds, a JSON list of milliseconds with the
			   key's decimals; JSON only, not for expect: */
};

struct summary_value {
	uint64_t u;                 /* SUM_U64, SUM_NANOS */
	double d;                   /* SUM_DOUBLE */
	bool b;                     /* SUM_BOOL */
	const char *str;            /* SUM_STRING */
	const char *const *list;    /* SUM_LIST: NULL-terminated */
	const uint64_t *nanos;      /* SUM_MS_LIST: n entries */
	size_t n;
};

/* Which part of struct summary a row reads. */
/* SCOPE_SET: the run's --set arguments, a key only when there were some. */
enum summary_scope { SCOPE_RUN, SCOPE_HOST, SCOPE_LINK, SCOPE_RULE, SCOPE_SET, SCOPE_REQUESTS };

struct summary_key {
	const char *name;           /* dotted, as in the JSON and expect: */
	enum summary_kind kind;
	int decimals;               /* SUM_DOUBLE: fixed decimals in the JSON */
	const char *unit;           /* for people: "B", "s", "ms", "Mbit/s", "%", "" */
	enum summary_scope scope;
	int who;                    /* SCOPE_HOST: the host; SCOPE_LINK, SCOPE_RULE: the direction */
	/* Where the value is: the offset of the raw figure in the scope's struct
	 * (struct summary, summary_host, link_stats), or, when get is set,
	 * what derives it; SCOPE_RULE: the rule's index in its direction. */
	size_t off;
	void (*get)(const struct summary *s, int who, struct summary_value *v);
};

/* The table, in output order; *n gets its length. */
const struct summary_key *summary_keys(size_t *n);
/* The row named name, or NULL. */
const struct summary_key *summary_key(const char *name);
/*
 * Whether s has k: every key but a rule's when its direction has fewer
 * rules ("link.client_to_server.rules.3.hits" with two), "set" when the
 * run had no --set, and a host's requests.* keys when its application made
 * no requests. The JSON leaves out what s does not have, so a run without
 * rules, --set or requests prints what it did before there were any.
 */
bool summary_present(const struct summary *s, const struct summary_key *k);
/* The value of k in s, as the kind of k says. */
struct summary_value summary_get(const struct summary *s, const struct summary_key *k);

#endif
