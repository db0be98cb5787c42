/*
 * ladder: the conversation as a sequence diagram in the terminal (--ladder),
 * an observer of the world's packet events (event.h).
 *
 * Time runs down the page; the client is on the left, the server on the
 * right. Each packet is one arrow, drawn at the time it was sent, from its
 * sender towards its receiver, labelled with what Wireshark's columns would
 * say (flags, relative seq and ack, len, the window in bytes), with the time
 * it arrived at the far end in the last column. Below the arrow, on the
 * sender's side, is why it was sent (tcp_why_format, up to its first " | ");
 * then what the link did to it (link_verdict_format) and, for a packet whose
 * checksum failed, what the receiver did. Every line fits in 80 columns
 * (only a label or number too long for any arrow there widens its line):
 *
 *      sent     #  client                                      server     arrived
 *  0.000000     1  -- S seq=0 len=0 win=65535 ---------------------->    0.005003
 *                  SYN: active open
 *  0.005003     2  <--------------- S. seq=0 ack=1 len=0 win=65535 --    0.010007
 *                                           SYN-ACK: reply to the SYN
 *
 * An arrow ends in '>' (or starts with '<') where the packet arrived; in 'X'
 * short of the far end where the link dropped it; in 'X' at the far end
 * where it arrived with a checksum that failed; its shaft is '~' where the
 * link's reordering impairment held it back.
 *
 * A packet's line waits until the packet has arrived or been dropped, so
 * that its fate is known; the lines still come out in the order the packets
 * were sent. What waits is bounded by what is in flight on the two links.
 * Callers: main (the --ladder option), tests/check_ladder.c.
 */
#ifndef TCPSIM_LADDER_H
#define TCPSIM_LADDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "event.h"

/* The columns (0-based): the lane where arrows run is LADDER_LANE_COL
 * .. LADDER_LANE_COL + LADDER_LANE_WIDTH - 1. */
#define LADDER_WIDTH 80
#define LADDER_LANE_COL 18
#define LADDER_LANE_WIDTH 50

/* Which packets to draw: both bounds of each range are included. */
struct ladder_range {
	uint64_t from_ns, to_ns;     /* send times; to_ns UINT64_MAX: no end */
	uint64_t first, last;        /* packet numbers (1, 2, 3 ...); last UINT64_MAX: no end */
};

/* Every packet, from the start to the end. */
struct ladder_range ladder_range_all(void);
/*
 * "FROM:TO" as send times ("0.1:0.3" in seconds, or with units such as
 * "100ms:300ms"; either side may be left out) into r->from_ns, r->to_ns;
 * "FIRST:LAST" or "N" as packet numbers into r->first, r->last. 0, or -1
 * with a one-line message in err (not naming the option).
 */
int ladder_parse_times(const char *s, struct ladder_range *r, char *err, size_t errlen);
int ladder_parse_packets(const char *s, struct ladder_range *r, char *err, size_t errlen);

/* What became of a packet, as drawn. */
enum ladder_fate {
	LADDER_ARRIVED,
	LADDER_DROPPED,              /* by the link */
	LADDER_CORRUPT,              /* arrived; the receiver's checksum check failed */
	LADDER_IN_FLIGHT,            /* still on its way when the run ended */
};

#define LADDER_NOTE_MAX 160

/* One packet as the ladder draws it. */
struct ladder_pkt {
	uint64_t number;             /* in the order sent, both directions together */
	uint64_t sent_ns;
	enum host_id from;
	uint8_t flags;               /* TH_* */
	uint32_t seq, ack;           /* relative to each side's ISN; ack shown with TH_ACK */
	uint32_t len;                /* payload bytes */
	uint64_t win;                /* the window in bytes (scaled, outside SYNs) */
	enum ladder_fate fate;
	uint64_t arrival_ns;         /* LADDER_ARRIVED, LADDER_CORRUPT */
	bool reordered;              /* the link held it back (shaft drawn '~') */
	char why[LADDER_NOTE_MAX];   /* the sender's note; may be "" */
	char link[LADDER_NOTE_MAX];  /* the link's words (link_verdict_format); may be "" */
};

/* The header line, with its '\n'. */
size_t ladder_format_header(char *buf, size_t len);
/*
 * The lines for p, each ending in '\n', into buf (always NUL-terminated).
 * Returns the length written.
 */
size_t ladder_format(const struct ladder_pkt *p, char *buf, size_t len);
/* tcpdump's letters for the flags: "S", "S.", ".", "P.", "F.", "FP.", "R", "R."; "none";
 * ECN's ECE and CWR last, as E and W: "SEW", "S.E", ".E", ".W". */
#define LADDER_FLAGS_LEN 10
const char *ladder_flags(uint8_t flags, char buf[LADDER_FLAGS_LEN]);

struct ladder;

/* A ladder writing to out (borrowed), the header first. */
struct ladder *ladder_new(FILE *out, const struct ladder_range *r);
/* The observer to hand to world_observe (the ladder must outlive the run). */
struct observer ladder_observer(struct ladder *l);
/* After the run: writes the lines still waiting (packets in flight), and flushes. */
void ladder_finish(struct ladder *l);
void ladder_free(struct ladder *l);

#endif
