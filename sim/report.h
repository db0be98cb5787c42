/*
 * report: the end-of-run summary as human text or one JSON object, and the
 * evaluation of a scenario's expect: block against that same summary.
 *
 * The summary is the flat, ordered list of dotted keys of summary.h
 * ("client.state", "link.client_to_server.dropped"); the JSON nests them by
 * their dots and expect: addresses them by the same names, so what a user
 * reads in --json is exactly what they can assert. The JSON holds no
 * wall-clock figure.
 */
#ifndef TCPSIM_REPORT_H
#define TCPSIM_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "scenario.h"
#include "summary.h"

struct trace_row;   /* event.h */

/*
 * The --trace CSV: a header line, then one row per congestion-state change:
 * time_s,endpoint,event,cwnd_bytes,ssthresh_bytes,flight_bytes,srtt_ms,
 * rttvar_ms,rto_ms,state (ssthresh "inf" while arbitrarily high); when a
 * host runs CUBIC, also w_max_bytes,k_s,epoch_s,cwnd_epoch_bytes,w_est_bytes,
 * region (empty
 * on the rows of a host whose algorithm has no such state); when a host
 * uses RFC 7323 timestamps, whose RTT measurement adds an rtt_sample row
 * per ACK, last rtt_sample_ms: the sample on those rows, empty on the
 * others.
 */
void report_trace_header(FILE *out, bool cc_columns,     /* world_trace_has_cc() */
			 bool rtt_column);                  /* world_trace_has_rtt() */
void report_trace_row(FILE *out, const struct trace_row *row);

/* Short human summary. */
void report_text(FILE *out, const struct summary *s);
/* One JSON object and a newline. Keys of DESIGN.md, in a stable order. */
void report_json(FILE *out, const struct summary *s);
/*
 * The value of k in s exactly as the JSON prints it (a number, true/false,
 * a quoted string, null, a list); callers check summary_present first.
 */
void report_value(FILE *out, const struct summary *s, const struct summary_key *k);
/* True if key is a summary key expect: may name. */
bool report_key_known(const char *key);
/*
 * Evaluates every expectation of scn against s. Prints one line per failure
 * to err ("FILE:LINE:COL: expect KEY OP VALUE failed: got ACTUAL"); returns the
 * number of failures.
 */
int report_check(const struct scenario *scn, const struct summary *s, FILE *err);

#endif
