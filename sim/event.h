/*
 * event: what the world tells its observers (world_observe).
 *
 * Every packet appears twice at most: once when its host sends it, with the
 * sender's reason and state (struct tcp_why) and the link's verdict
 * (struct link_verdict: dropped and by which stage, or on its way with its
 * arrival time, reordering and flipped bit); and once when it arrives at
 * the other host (never, if the link dropped it), as the bytes that arrived
 * (the flipped bit included) and whether the receiver's checksum check
 * failed. Congestion-state changes of either sender arrive as trace rows.
 *
 * Observers are the outputs: the pcap and pcapng captures, the ladder, the
 * --trace CSV, the plots. They see everything in the order it happened, at
 * the virtual time it happened, and never change the run.
 */
#ifndef TCPSIM_EVENT_H
#define TCPSIM_EVENT_H

#include <stdbool.h>
#include <stdint.h>

#include "link.h"
#include "tcp.h"
#include "wire.h"

enum host_id { HOST_CLIENT = 0, HOST_SERVER = 1 };
#define OBSERVE_AT(host) (1u << (host))

enum pkt_event_kind {
	PKT_SENT,                    /* the sending host put it on its link */
	PKT_ARRIVED,                 /* it reached the receiving host */
};

struct pkt_event {
	enum pkt_event_kind kind;
	uint64_t time_ns;
	enum host_id from;           /* the sending host */
	enum host_id at;             /* where it is seen: from when sent, the other host on arrival */
	const uint8_t *data;         /* the IPv4 packet as seen there */
	uint32_t len;
	const struct tcp_seg *seg;   /* decoded; NULL on arrival when a checksum failed */
	const struct tcp_why *why;   /* PKT_SENT: the sender's reason; NULL on arrival */
	const struct link_verdict *verdict;
	const struct link *link;     /* the direction it travels, for link_verdict_format */
	bool checksum_bad;           /* PKT_ARRIVED: the receiver discarded it */
};

/* One sender congestion-state change, for the --trace CSV and plots. */
struct trace_row {
	uint64_t time_ns;
	const char *endpoint;        /* "client" or "server" */
	enum host_id host;
	const char *event;           /* tcp_trace_event_name() */
	uint64_t cwnd_bytes;
	uint64_t ssthresh_bytes;     /* UINT64_MAX while "arbitrarily high" */
	uint64_t flight_bytes;
	uint64_t srtt_ns, rttvar_ns, rto_ns;
	const char *state;           /* "open", "recovery", "loss" */
	/* The algorithm's own state (CUBIC, RFC 9438), written as extra columns
	 * when some host's algorithm has one (cc_ops.has_trace_state). */
	bool cc_columns;             /* the run's trace has them */
	bool cc_state;               /* this host's algorithm fills them */
	uint64_t w_max_bytes;
	int64_t k_us;                /* K, microseconds after epoch_ns */
	uint64_t epoch_ns;           /* t_epoch: when the avoidance stage began */
	uint64_t cwnd_epoch_bytes;   /* cwnd then */
	uint64_t w_est_bytes;
	const char *cc_region;       /* cc_cubic_region_name() */
	/* RFC 7323 RTT measurement: a column of its own when some host has
	 * timestamps on (world_trace_has_rtt). */
	bool rtt_column;             /* the run's trace has it */
	uint64_t rtt_sample_ns;      /* the sample, on an rtt_sample row; else 0 */
};

struct observer {
	void *ctx;
	/* Returns false when the observer can take no more (a capture at its
	 * bound): the run stops. May be NULL. */
	bool (*packet)(void *ctx, const struct pkt_event *ev);
	/* The hosts whose packets packet is shown (ev->at), one bit each
	 * (OBSERVE_AT): 0 for both. */
	unsigned at_hosts;
	void (*trace)(void *ctx, const struct trace_row *row);   /* may be NULL */
};

#endif
