/*
 * taps: the file outputs as observers of the world (event.h).
 *
 * A pcap tap writes what tcpdump on one host would have captured: the
 * packets it sends, as they leave (a packet the link then drops is there),
 * and the packets it receives, as they arrive (a damaged one with its
 * flipped bit). The pcapng tap writes both hosts into one file, one
 * interface each, every packet sent with a comment saying why it was sent
 * and what the link did with it. The trace tap writes the --trace CSV rows.
 */
#ifndef TCPSIM_TAPS_H
#define TCPSIM_TAPS_H

#include <stdio.h>

#include "capture.h"
#include "event.h"
#include "pcapng.h"

struct pcap_tap {
	struct capture *cap;
	enum host_id host;
};

/* An observer writing host's packets to t->cap (t must outlive the run). */
struct observer pcap_tap_observer(struct pcap_tap *t);
struct pcapng_tap {
	struct pcapng *png;
	int iface[2];              /* by host_id */
};

/*
 * Describes the two interfaces (client then server: their names, and
 * addresses in the descriptions) in png and returns the observer that
 * writes every packet to them. -1 on failure (pcapng_close says why).
 */
int pcapng_tap_init(struct pcapng_tap *t, struct pcapng *png, const uint32_t addr[2],
		    enum capture_linktype lt, uint32_t snaplen);
struct observer pcapng_tap_observer(struct pcapng_tap *t);
/*
 * The comment a packet gets in the pcapng file (always NUL-terminated;
 * "" for none). Sent: the sender's reason and state, then the link's
 * verdict ("... | dropped by link: random loss 5%"). Arrived: only what
 * the link did on the way, in the receiver's words ("checksum error:
 * discarded", "held back 7 ms by the link").
 */
size_t pcapng_tap_comment(const struct pkt_event *ev, char *buf, size_t len);

/* An observer writing each trace row to f (report_trace_row). */
struct observer trace_tap_observer(FILE *f);

#endif
