/*
 * world: two hosts, the two directions of the link between them, and the
 * engine that drives them, built from a struct scenario.
 *
 * A host is an IPv4 address with one TCP endpoint and one application. It
 * turns the endpoint's segments into wire bytes (wire_encode) and sends
 * them on its outgoing link; the observers (event.h) see each packet as it
 * leaves, with the sender's reason and the link's verdict, and as it
 * arrives. On arrival it verifies the checksums (a corrupt packet is
 * dropped and counted, as a real stack would), then hands the segment to its
 * endpoint, or answers with a RST when no connection or listener wants it
 * (RFC 9293 §3.10.7.1).
 *
 * The run ends when nothing is left to happen (no event pending: both
 * applications finished and every timer, TIME_WAIT included, has run), or at
 * the scenario's duration.
 *
 * The world knows nothing of its outputs: observers and a progress callback
 * look on during the run, and the summary (summary.h) reads the counters
 * through the accessors below once it is over.
 */
#ifndef TCPSIM_WORLD_H
#define TCPSIM_WORLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"
#include "scenario.h"

struct world;
struct app;

/* What the world itself counts for each host; its endpoint counts the rest (tcp_stats). */
struct host_counters {
	uint64_t packets_sent;         /* every packet the host put on its link */
	uint64_t packets_received;     /* arrived with good checksums */
	uint64_t checksum_errors;      /* arrived damaged, dropped */
	uint64_t resets_no_socket;     /* RSTs sent for segments no connection wanted */
};

#define WORLD_MAX_OBSERVERS 8

/* seed overrides scn->seed. Never fails on a validated scenario. */
struct world *world_new(const struct scenario *scn, uint64_t seed);
void world_free(struct world *w);

/*
 * Adds an observer (event.h): it sees every packet event and trace row from
 * now on, after those added before it. -1 when WORLD_MAX_OBSERVERS are
 * already there.
 */
int world_observe(struct world *w, const struct observer *o);

/* Whether a host's algorithm has state of its own for the trace (CUBIC's
 * W_max, K ...): then the trace has its extra columns (report_trace_header). */
bool world_trace_has_cc(const struct world *w);
/* Whether some host offers RFC 7323 timestamps: the --trace CSV then has
 * the rtt_sample_ms column (report_trace_header). */
bool world_trace_has_rtt(const struct world *w);

/* How a run ended. */
enum world_end {
	WORLD_DONE,             /* nothing left to happen */
	WORLD_DURATION,         /* the scenario's duration: reached */
	WORLD_EVENT_LIMIT,      /* world_set_max_events's bound reached first */
	WORLD_CAPTURE_STOPPED,  /* an observer could take no more (a capture at its bound) */
};

/* Stops the run after n events (0: no bound), a guard against runs that never end. */
void world_set_max_events(struct world *w, uint64_t n);

/* How far a run has come, for a progress display. */
struct world_progress {
	uint64_t now_ns;               /* virtual time */
	uint64_t events;               /* run so far */
	uint64_t app_bytes_received;   /* read by both applications together */
};
typedef void (*world_progress_fn)(void *ctx, const struct world_progress *p);
/*
 * Calls fn(ctx, ...) every `every` events during world_run (fn NULL or
 * every 0: never). fn only looks: it must not change the world, and the run
 * is the same with or without it.
 */
void world_set_progress(struct world *w, world_progress_fn fn, void *ctx, uint64_t every);

enum world_end world_run(struct world *w);

/* The parts of a world, for the summary (summary.h) and the tests. */
struct engine *world_engine(struct world *w);
struct tcp_ep *world_tcp(struct world *w, enum host_id host);
struct app *world_app(struct world *w, enum host_id host);
struct link *world_link(struct world *w, enum host_id from);
const struct host_counters *world_host_counters(const struct world *w, enum host_id host);
const struct scenario *world_scenario(const struct world *w);
uint64_t world_seed(const struct world *w);
uint64_t world_now_ns(const struct world *w);
uint64_t world_events(const struct world *w);
/* The run stopped at the scenario's duration: rather than by completion. */
bool world_duration_reached(const struct world *w);

#endif
