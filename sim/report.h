/*
 * report: the end-of-run summary as human text or one JSON object, and the
 * evaluation of a scenario's expect: block against that same summary.
 *
 * The summary is a flat, ordered list of dotted keys ("client.state",
 * "link.client_to_server.dropped"); the JSON nests them by their dots and
 * expect: addresses them by the same names, so what a user reads in --json is
 * exactly what they can assert. The JSON holds no wall-clock figure.
 */
#ifndef TCPSIM_REPORT_H
#define TCPSIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"

struct trace_row;   /* world.h */

struct host_summary {
	const char *state;           /* RFC 9293 state name, e.g. "CLOSED", "TIME_WAIT" */
	const char *error;           /* NULL, or "refused", "reset", "timeout" (retry limit) */
	uint64_t app_bytes_sent;     /* written by the application and accepted by TCP */
	uint64_t app_bytes_received; /* read by the application */
	bool data_intact;            /* every byte the peer wrote was read, and equals it */
	uint64_t app_bytes_missing;  /* written by the peer's application, never read by this one */
	bool data_mismatch;          /* a byte read differs from what the peer wrote (text only) */
	uint64_t segments_sent;
	uint64_t data_segments_sent; /* with payload */
	uint64_t payload_bytes_sent; /* retransmissions included */
	uint64_t retransmissions;    /* all retransmitted segments (SYN and FIN too) */
	uint64_t fast_retransmits;
	uint64_t rto_timeouts;
	uint64_t dupacks_received;
	uint64_t max_cwnd_bytes;
	double final_srtt_ms;        /* 0 if no RTT sample was taken */
	double final_rto_ms;
	uint64_t segments_received;
	uint64_t checksum_errors;    /* packets dropped on arrival for a bad checksum */
	uint64_t resets_sent;
	uint64_t resets_received;
	double app_goodput_mbps;     /* bytes read x 8 / (last read - connection established), 0 if none */
	double app_goodput_second_half_mbps; /* the same over the second half of the bytes */
	uint64_t delayed_acks;       /* ACKs sent by the delayed-ACK timer */
	uint64_t nagle_holds;        /* times Nagle held back a small segment */
	uint64_t window_probes;      /* zero-window probes sent */
	uint64_t zero_windows_sent;  /* segments advertising a zero window (Wireshark: zero_window) */
	uint64_t window_updates_sent;/* Wireshark: window_update */
	uint64_t dupacks_sent;       /* Wireshark: duplicate_ack */
	uint64_t ooo_segments_received;
	uint64_t spurious_retransmissions; /* retransmitted data the peer already had */
};

struct link_summary {
	uint64_t packets, dropped, queue_drops, reordered, duplicated, corrupted;
};

struct summary {
	const char *scenario;
	uint64_t seed;
	uint64_t end_time_ns;
	uint64_t events;
	bool duration_reached;       /* stopped by duration: rather than by completion */
	struct host_summary client, server;
	struct link_summary client_to_server, server_to_client;
	const char *pcap[2];         /* files written, NULL-terminated early when fewer */
};

/*
 * The --trace CSV: a header line, then one row per congestion-state change:
 * time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,
 * rttvar_ms,rto_ms,state (ssthresh "inf" while arbitrarily high).
 */
void report_trace_header(FILE *out);
void report_trace_row(FILE *out, const struct trace_row *row);

/* Short human summary. */
void report_text(FILE *out, const struct summary *s);
/* One JSON object and a newline. Keys of DESIGN.md, in a stable order. */
void report_json(FILE *out, const struct summary *s);
/* True if key is a summary key expect: may name. */
bool report_key_known(const char *key);
/*
 * Evaluates every expectation of scn against s. Prints one line per failure
 * to err ("FILE:LINE:COL: expect KEY OP VALUE failed: got ACTUAL"); returns the
 * number of failures.
 */
int report_check(const struct scenario *scn, const struct summary *s, FILE *err);

#endif
