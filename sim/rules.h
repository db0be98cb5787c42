/*
 * rules: path rules keyed to what a packet is in TCP terms - "drop the 3rd
 * data segment and its first retransmission", "delay the SYN-ACK by 2 s",
 * "duplicate the 5th pure ACK three times", "drop every ACK between 1 s and
 * 2 s", "drop packets 10 to 20".
 *
 * A rule is a match and an action. One direction of the link holds a list
 * of them (struct link_cfg.rules) and offers each packet to the list as it
 * is offered to the link (link_judge calls rules_judge), before the drop
 * list, the blackout and random loss see it.
 *
 * Classification. The link sees the IPv4/TCP packet the host encoded; the
 * list decodes its header (wire_decode) and, keeping state for its
 * direction only, gives the packet an ordinal in each class it belongs to
 * (RFC 9293 §3.1 control bits, §3.4 sequence numbers):
 *
 *   packet          every packet: its number on the direction, 1, 2, 3 ...,
 *                   the same number the drop: list counts
 *   data_segment    a payload that reaches past every byte this direction
 *                   carried before: new data. Numbered in the order of first
 *                   transmission; a retransmission is not a new data
 *                   segment. Segment K "owns" the bytes it carried first.
 *   retransmission  a payload holding a byte carried before. With
 *                   of_data_segment K: a later packet holding any byte that
 *                   segment K owns, counted per K (its 1st, 2nd ...
 *                   retransmission); a retransmission that coalesces
 *                   segments 3 and 4 is a retransmission of both. A packet
 *                   with old and new bytes is a retransmission and a new
 *                   data segment at once.
 *   syn, syn_ack    SYN without ACK; SYN with ACK. Every such packet counts,
 *                   so syn 1 is the SYN and syn 2 its first retransmission
 *                   (a resent SYN is never a SYN-ACK, nor a SYN-ACK a SYN).
 *   handshake_ack   the first packet after this direction's SYN that has ACK
 *                   and neither SYN nor RST, with or without data: the
 *                   final ACK of the three-way handshake (RFC 9293 §3.5).
 *                   An ACK repeated for a resent SYN-ACK is not another.
 *   fin             every packet with FIN: fin 1 is the FIN, fin 2 the
 *                   first retransmission of it
 *   pure_ack        ACK, no payload, no SYN, FIN or RST (the handshake ACK
 *                   included, duplicate ACKs and window updates too)
 *   ack             every packet with the ACK flag, data segments included
 *
 * Ordinals count every packet offered to the direction, whatever a rule or
 * a later stage of the link does to it: when a rule drops pure ACK 5, the
 * next pure ACK is still the 6th. A new SYN with another initial sequence
 * number starts a new sequence space (data segment numbers go on counting;
 * the retransmissions of the old connection's segments can no longer come).
 *
 * Matching and actions. A rule hits a packet when the packet's ordinal in
 * the rule's class is in the rule's range (one number, first..last, or all)
 * and, when the rule has a time window, the packet is offered in [from, to).
 * Every rule that hits applies, in the order written, so "drop data segment
 * 3" and "delay every ACK by 10 ms" both act where they can: delays add up,
 * duplicate counts add up, and a drop ends it - a packet a rule has dropped
 * meets no later rule. A rule's hits are the packets it hit and acted on;
 * a packet a rule delays and the random loss then drops still counts.
 *
 *   drop            the packet never leaves (link fate LINK_DROP_RULE,
 *                   counted in the link's dropped)
 *   delay by D      it arrives D later than it would have; the packets
 *                   behind it are not held back, so they may overtake it
 *   duplicate K     K copies follow it back to back on the wire, each
 *                   serialized after the one before (they keep the link busy
 *                   and wait in the queue, delaying what comes behind and
 *                   counting against its room, but are never refused by it:
 *                   the duplicating element sits past its admission), each
 *                   arriving one serialization time after the one before,
 *                   with the packet's rule delay. Counted in the link's
 *                   duplicated. A packet the link drops has no copies.
 *
 * Memory is proportional to the number of rules, whatever the transfer.
 */
#ifndef TCPSIM_RULES_H
#define TCPSIM_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "loc.h"

/* Rules one direction may hold (the summary has keys for this many). */
#define RULES_MAX 16
/* The largest duplicate count, and the longest delay a rule may add. */
#define RULE_TIMES_MAX 100
#define RULE_DELAY_MAX_NS (3600ull * 1000000000ull)
/* A range with no end: "all". */
#define RULE_ALL UINT64_MAX

enum rule_action { RULE_DROP, RULE_DELAY, RULE_DUPLICATE };

/* The classes a packet is counted in (see the top of this file). */
enum rule_class {
	RC_PACKET,
	RC_DATA_SEGMENT,
	RC_RETRANSMISSION,
	RC_SYN,
	RC_SYN_ACK,
	RC_HANDSHAKE_ACK,
	RC_FIN,
	RC_PURE_ACK,
	RC_ACK,
	RC_COUNT
};

struct rule {
	enum rule_action action;
	enum rule_class what;
	uint64_t first, last;       /* ordinals hit, 1-based, inclusive; last RULE_ALL: no end */
	uint64_t of_data_segment;   /* RC_RETRANSMISSION: that data segment's only; 0: any */
	uint64_t from_ns, to_ns;    /* offered in [from_ns, to_ns); to_ns 0: no end */
	uint64_t delay_ns;          /* RULE_DELAY: > 0 */
	uint32_t times;             /* RULE_DUPLICATE: copies added, 1 .. RULE_TIMES_MAX */
	struct scn_loc loc;         /* where it was written; 0 when built in code */
};

/* The YAML name of a class ("data_segment") or an action ("drop"). */
const char *rule_class_name(enum rule_class c);
const char *rule_action_name(enum rule_action a);

/*
 * The rule as it would be written in a scenario, in flow style:
 * "drop: {retransmission: 1, of_data_segment: 3}", "delay: {syn_ack: 1,
 * by: 2s}", "duplicate: {pure_ack: 5, times: 3}", "drop: {ack: all, from:
 * 1s, to: 2s}", "drop: {packet: 10..20}". Returns the length it needed;
 * always NUL-terminated.
 */
size_t rule_format(const struct rule *r, char *buf, size_t len);

/* One direction's list and its state. */
struct rules;

/* A copy of the n (1 .. RULES_MAX) rules, valid as rule_check says; never NULL. */
struct rules *rules_new(const struct rule *r, size_t n);
void rules_free(struct rules *rs);

/* What the list decided for one packet. */
struct rule_verdict {
	uint32_t drop_rule;         /* the rule (1-based) that dropped it; 0: not dropped */
	uint64_t delay_ns;          /* added by delay rules */
	uint32_t copies;            /* added by duplicate rules */
};

/*
 * Classifies the packet (pkt, len bytes: IPv4 and TCP) offered as the
 * direction's packet number `number` at now_ns, and applies the rules.
 * A packet that does not decode counts only as a packet.
 */
struct rule_verdict rules_judge(struct rules *rs, const uint8_t *pkt, size_t len,
				uint64_t number, uint64_t now_ns);

size_t rules_count(const struct rules *rs);
const struct rule *rules_rule(const struct rules *rs, size_t i);
/* How many packets rule i (0-based) hit so far. */
uint64_t rules_hits(const struct rules *rs, size_t i);
/* rule_format of rule i, kept by the list. */
const char *rules_text(const struct rules *rs, size_t i);

/* NULL when r is a rule rules_new takes, else what is wrong with it. */
const char *rule_check(const struct rule *r);

/*
 * The YAML form. `list` is a sequence node of doc; each item is a mapping
 * with one action key, whose value names one class and the action's
 * settings:
 *
 *   rules:
 *     - drop: {data_segment: 3}
 *     - drop: {retransmission: 1, of_data_segment: 3}
 *     - delay: {syn_ack: true, by: 2s}
 *     - duplicate: {pure_ack: 5, times: 3}
 *     - drop: {ack: all, from: 1s, to: 2s}
 *     - drop: {packet: 10..20}
 *
 * An ordinal is a number (3), a range (3..5) or all; syn, syn_ack,
 * handshake_ack and fin also take true, the first one ("the SYN-ACK").
 * On success *out (malloc'ed, *n rules) and 0; on error -1 with the
 * 1-based line and column and the message in *err (the caller prefixes
 * the file name), and nothing to free.
 */
struct yaml_document_s;
struct yaml_node_s;
struct rules_error {
	uint32_t line, col;
	char msg[192];
};
int rules_parse_yaml(struct yaml_document_s *doc, struct yaml_node_s *list,
		     struct rule **out, size_t *n, struct rules_error *err);

#endif
