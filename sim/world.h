/*
 * world: two hosts, the two directions of the link between them, and the
 * engine that drives them, built from a struct scenario.
 *
 * A host is an IPv4 address with one TCP endpoint and one application. It
 * turns the endpoint's segments into wire bytes (wire_encode), shows every
 * packet it sends or receives to its capture tap, and sends it on its
 * outgoing link. On arrival it verifies the checksums (a corrupt packet is
 * dropped and counted, as a real stack would), then hands the segment to its
 * endpoint, or answers with a RST when no connection or listener wants it
 * (RFC 9293 §3.10.7.1).
 *
 * The run ends when nothing is left to happen (no event pending: both
 * applications finished and every timer, TIME_WAIT included, has run), or at
 * the scenario's duration.
 */
#ifndef TCPSIM_WORLD_H
#define TCPSIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report.h"
#include "scenario.h"

struct world;

enum host_id { HOST_CLIENT = 0, HOST_SERVER = 1 };

/* seed overrides scn->seed. Never fails on a validated scenario. */
struct world *world_new(const struct scenario *scn, uint64_t seed);
void world_free(struct world *w);

/*
 * Taps host's packets into a pcap written to f, which stays the caller's
 * (see capture.h); name is for messages and the summary, max_bytes bounds
 * the file (0: no bound). -1 with err set on failure.
 */
int world_capture(struct world *w, enum host_id host, FILE *f, const char *name,
		  uint64_t max_bytes, char *err, size_t errlen);
/* Flushes and closes the captures (not their streams); -1 with err set on failure. */
int world_close_captures(struct world *w, char *err, size_t errlen);

/* One sender congestion-state change, for the --trace CSV. */
struct trace_row {
	uint64_t time_ns;
	const char *endpoint;        /* "client" or "server" */
	const char *event;           /* tcp_trace_event_name() */
	uint64_t cwnd_bytes;
	uint64_t ssthresh_bytes;     /* UINT64_MAX while "arbitrarily high" */
	uint64_t flight_bytes;
	uint64_t srtt_ns, rttvar_ns, rto_ns;
	const char *state;           /* "open", "recovery", "loss" */
};

typedef void (*trace_fn)(void *ctx, const struct trace_row *row);
/* Calls fn for every congestion-state change of either endpoint. */
void world_set_trace(struct world *w, trace_fn fn, void *ctx);

/* How a run ended. */
enum world_end {
	WORLD_DONE,             /* nothing left to happen */
	WORLD_DURATION,         /* the scenario's duration: reached */
	WORLD_EVENT_LIMIT,      /* world_set_max_events's bound reached first */
	WORLD_CAPTURE_STOPPED,  /* a capture reached its bound or failed to write */
};

/* Stops the run after n events (0: no bound), a guard against runs that never end. */
void world_set_max_events(struct world *w, uint64_t n);
enum world_end world_run(struct world *w);
/* Fills s (its strings point into w and scn; valid while both live). */
void world_summary(const struct world *w, struct summary *s);

/* For tests: the parts of a world. */
struct engine *world_engine(struct world *w);
struct tcp_ep *world_tcp(struct world *w, enum host_id host);
struct link *world_link(struct world *w, enum host_id from);

#endif
