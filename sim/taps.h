/*
 * taps: the file outputs as observers of the world (event.h).
 *
 * A pcap tap writes what tcpdump on one host would have captured: the
 * packets it sends, as they leave (a packet the link then drops is there),
 * and the packets it receives, as they arrive (a damaged one with its
 * flipped bit). The trace tap writes the --trace CSV rows.
 */
#ifndef TCPSIM_TAPS_H
#define TCPSIM_TAPS_H

#include <stdio.h>

#include "capture.h"
#include "event.h"

struct pcap_tap {
	struct capture *cap;
	enum host_id host;
};

/* An observer writing host's packets to t->cap (t must outlive the run). */
struct observer pcap_tap_observer(struct pcap_tap *t);
/* An observer writing each trace row to f (report_trace_row). */
struct observer trace_tap_observer(FILE *f);

#endif
