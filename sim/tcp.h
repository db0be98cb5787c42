/*
 * tcp: one TCP endpoint (RFC 9293), the only part of the simulator that
 * speaks TCP.
 *
 * Read before changing: RFC 9293 §3.10 (event processing), RFC 5681
 * (congestion control), RFC 6298 (retransmission timer), RFC 7323 (window
 * scale, timestamps), RFC 1122 §4.2 (host requirements).
 *
 * The endpoint never touches a link or a file. Segments leave through
 * hooks.output as struct tcp_seg (the host encodes them); segments arrive
 * through tcp_input(); time comes from the engine and every timer is an
 * engine event. The application talks to it as to a socket: tcp_connect,
 * tcp_listen, tcp_send, tcp_recv, tcp_close, tcp_abort, and is told about
 * progress through hooks.notify.
 *
 * Files: tcp.c (set-up, the user calls, buffers), tcp_input.c (segment
 * arrival), tcp_output.c (the only place a segment is built), tcp_timer.c
 * (retransmission, persist and TIME_WAIT timers). tcp_var.h is the control
 * block shared by those files.
 */
#ifndef TCPSIM_TCP_H
#define TCPSIM_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "wire.h"

/*
 * RFC 9293 §3.3.2 states, ordered as in FreeBSD's tcp_fsm.h so that
 * "has reached ESTABLISHED" is one comparison.
 */
enum tcp_state {
	TCPS_CLOSED,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_FIN_WAIT_2,
	TCPS_TIME_WAIT,
};

#define TCPS_HAVE_ESTABLISHED(s) ((s) >= TCPS_ESTABLISHED)
/* We have sent our FIN. */
#define TCPS_HAVE_SENT_FIN(s) ((s) >= TCPS_FIN_WAIT_1 && (s) != TCPS_CLOSE_WAIT)
/* The peer's FIN has been received (CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT). */
#define TCPS_HAVE_RCVD_FIN(s) ((s) == TCPS_CLOSE_WAIT || (s) == TCPS_CLOSING || \
			       (s) == TCPS_LAST_ACK || (s) == TCPS_TIME_WAIT)

const char *tcp_state_name(enum tcp_state s);

/* Why a connection ended abnormally. */
enum tcp_error {
	TCP_ERR_NONE,
	TCP_ERR_REFUSED,    /* RST in reply to our SYN */
	TCP_ERR_RESET,      /* RST on a synchronized connection */
	TCP_ERR_TIMEOUT,    /* retry limit reached; the connection was aborted */
	TCP_ERR_ABORTED,    /* the application aborted it (RST sent) */
};

const char *tcp_error_name(enum tcp_error e);   /* NULL for TCP_ERR_NONE */

enum tcp_event {
	TCP_EV_CONNECTED,   /* reached ESTABLISHED */
	TCP_EV_READABLE,    /* in-order data, or the peer's FIN, can be read */
	TCP_EV_WRITABLE,    /* send buffer space was freed */
	TCP_EV_CLOSED,      /* the connection is over (CLOSED), normally or not */
};

/* Sender congestion-state changes, for the --trace CSV. */
enum tcp_trace_event {
	TCP_TR_ACK,              /* new data acknowledged outside recovery */
	TCP_TR_DUPACK,           /* a duplicate ACK (RFC 5681 §2) */
	TCP_TR_FAST_RETRANSMIT,  /* the third duplicate ACK: recovery begins */
	TCP_TR_PARTIAL_ACK,      /* RFC 6582: a partial ACK, the next hole retransmitted */
	TCP_TR_RECOVERY_EXIT,    /* the ACK that ends recovery */
	TCP_TR_RTO,              /* the retransmission timer expired */
	TCP_TR_SACK_RECOVERY,    /* RFC 6675 §5 step 4: SACK loss recovery begins */
	TCP_TR_SACK_RECOVERY_EXIT, /* RFC 6675 §5 (A): the ACK that covers RecoveryPoint */
	TCP_TR_CC_EPOCH,         /* CUBIC: a congestion avoidance stage begins (RFC 9438 §4.2) */
	TCP_TR_HYSTART_CSS,      /* HyStart++: the RTT rose, Conservative Slow Start (RFC 9406 §4.2) */
	TCP_TR_HYSTART_RESUME,   /* HyStart++: the RTT fell back, slow start again */
	TCP_TR_HYSTART_EXIT,     /* HyStart++: CSS_ROUNDS done, ssthresh = cwnd */
	TCP_TR_ECN_REDUCTION,    /* RFC 3168 §6.1.2: an ECN-Echo reduced cwnd and ssthresh */
	TCP_TR_RTT_SAMPLE,       /* RFC 7323 §4: an RTT sample from an ACK's TSecr */
	TCP_TR_RACK_LOST,        /* RFC 8985 §6.2 step 5: RACK marked segments lost */
	TCP_TR_RACK_TIMER,       /* RFC 8985 §6.2 step 5: the reordering timer expired */
	TCP_TR_PTO,              /* RFC 8985 §7.3: the probe timeout expired, a probe left */
	TCP_TR_TLP_RECOVERY,     /* RFC 8985 §7.4: the probe repaired a loss; cwnd reduced */
};

const char *tcp_trace_event_name(enum tcp_trace_event ev);

/* The sender's congestion state, for traces. */
enum tcp_cc_state { TCP_CC_OPEN, TCP_CC_RECOVERY, TCP_CC_LOSS };
const char *tcp_cc_state_name(enum tcp_cc_state s);

/*
 * Why a segment was sent, and the sender's state as it left: the
 * annotation an observer prints beside the packet (pcapng comment, ladder).
 * The endpoint fills one for every segment it emits; kind says which rule
 * sent it, n and arg carry that rule's figures (see tcp_why_format).
 */
enum tcp_why_kind {
	TCP_WHY_SYN,                /* active open */
	TCP_WHY_SYN_ACK,            /* reply to a SYN */
	TCP_WHY_SYN_RETRANSMIT,     /* n: the expiry count; arg: the timeout that expired, ns */
	TCP_WHY_DATA,               /* new data the windows allow */
	TCP_WHY_DATA_NAGLE_RELEASED,/* held back by Nagle; arg: the ACK number that released it */
	TCP_WHY_DATA_OVERRIDE,      /* a small segment forced out by the SWS override timeout */
	TCP_WHY_LIMITED_TRANSMIT,   /* RFC 3042; n: the duplicate ACK that allowed it */
	TCP_WHY_FAST_RETRANSMIT,    /* RFC 5681 §3.2; n: the duplicate ACK count */
	TCP_WHY_PARTIAL_ACK,        /* RFC 6582 §3.2 step 3; arg: the partial ACK's number */
	TCP_WHY_RTO_RETRANSMIT,     /* RFC 6298 (5.4); n: the expiry count; arg: the timeout, ns */
	TCP_WHY_RETRANSMIT,         /* resent after a timeout (go-back-N), beyond the first */
	TCP_WHY_SACK_FAST_RETRANSMIT, /* RFC 6675 §5 step 4.3; n: DupAcks (§2); arg: SACKed segments above */
	TCP_WHY_SACK_RETRANSMIT,    /* NextSeg rule 1 (lost); arg: SACKed segments above */
	TCP_WHY_SACK_RULE3,         /* NextSeg rule 3: not yet lost, below the highest SACK */
	TCP_WHY_SACK_RESCUE,        /* NextSeg rule 4: the rescue retransmission */
	TCP_WHY_SACK_HOLE_AFTER_RTO,/* RFC 6675 §5.1: a hole resent after a timeout, SACKed data skipped */
	TCP_WHY_RACK_LOST,          /* RFC 8985 §6.2: RACK marked it lost; n: how long before the
				     * last delivered segment it was sent, ns; arg: reo_wnd, ns */
	TCP_WHY_RACK_FAST_RETRANSMIT, /* the same, of the first unacknowledged segment, which
				     * two or more duplicate ACKs in a row asked for */
	TCP_WHY_RACK_LOST_AGAIN,    /* RACK_LOST, of a segment whose retransmission RACK found lost */
	TCP_WHY_RACK_FAST_AGAIN,    /* RACK_FAST_RETRANSMIT, of such a segment */
	TCP_WHY_TLP,                /* RFC 8985 §7.3 tail loss probe; n: TCP_WHY_TLP_* flags;
				     * arg: the PTO, ns (capped at the RTO's deadline) */
	TCP_WHY_PROBE,              /* zero-window probe; n: probe number */
	TCP_WHY_FIN,                /* the application closed */
	TCP_WHY_ACK,                /* an ACK with nothing more said */
	TCP_WHY_ACK_DELAYED,        /* the delayed-ACK timer fired; arg: its delay, ns */
	TCP_WHY_ACK_DELAY_DUE,      /* adaptive delay: the timer was due within a quarter of it */
	TCP_WHY_ACK_SECOND,         /* RFC 5681 §4.2: a second full-sized segment arrived */
	TCP_WHY_ACK_OUT_OF_ORDER,   /* RFC 5681 §4.2: data beyond a hole */
	TCP_WHY_ACK_FILLS_HOLE,     /* RFC 5681 §4.2: data that fills (part of) a hole */
	TCP_WHY_ACK_QUICK,          /* the first data segments are ACKed at once (quick ACK) */
	TCP_WHY_ACK_PUSH,           /* the segment carried PSH and the receiver ACKs it at once */
	TCP_WHY_ACK_FIN,            /* the peer's FIN */
	TCP_WHY_ACK_HANDSHAKE,      /* the third segment of the three-way handshake */
	TCP_WHY_ACK_DUPLICATE_DATA, /* data already received (RFC 9293 §3.10.7.4) */
	TCP_WHY_ACK_UNACCEPTABLE,   /* a segment outside the window (RFC 9293 §3.10.7.4) */
	TCP_WHY_ACK_PROBE,          /* the reply to a window probe */
	TCP_WHY_ACK_PAWS,           /* RFC 7323 §5.3 R1: a segment PAWS discarded; n: its TSval,
				     * arg: TS.Recent */
	TCP_WHY_WINDOW_UPDATE,      /* the application read: the window opened */
	TCP_WHY_ACK_WINDOW_OPENED,  /* data a waiting reader took at once opened the window */
	TCP_WHY_RST,                /* a reset with nothing more said */
	TCP_WHY_RST_ABORT,          /* the application aborted */
	TCP_WHY_RST_TIMEOUT,        /* the retry limit was reached */
	TCP_WHY_RST_NO_SOCKET,      /* RFC 9293 §3.10.7.1: nothing wanted the segment */
};

/* Why a segment carries CWR (RFC 3168 §6.1.2: the first new data after
 * any reduction of the window). */
enum tcp_cwr_reason {
	TCP_CWR_NONE,
	TCP_CWR_ECE,               /* an ACK with ECN-Echo */
	TCP_CWR_FAST_RETRANSMIT,   /* three duplicate ACKs */
	TCP_CWR_RTO,               /* the retransmission timer */
};
/* TCP_WHY_TLP's n: how the probe and its PTO were chosen. */
#define TCP_WHY_TLP_NEW 1u      /* new data (else the last segment sent, again) */
#define TCP_WHY_TLP_DELACK 2u   /* one segment in flight: PTO = 2 SRTT + WCDelAckT */
#define TCP_WHY_TLP_NO_RTT 4u   /* no RTT sample: PTO = 1 s */
#define TCP_WHY_TLP_CAPPED 8u   /* the RTO would fire sooner: PTO = what is left of it */

struct tcp_why {
	enum tcp_why_kind kind;
	uint64_t n;                 /* the rule's count (see the kinds) */
	uint64_t arg;               /* the rule's figure (see the kinds) */
	uint64_t dup_ack;           /* a pure ACK repeating the last (RFC 5681 §2): its number
				     * in the run, as Wireshark numbers it; 0 otherwise */
	/* The sender's state once the segment had left. */
	uint64_t cwnd_bytes;
	uint64_t ssthresh_bytes;    /* UINT64_MAX while "arbitrarily high" */
	uint64_t flight_bytes;
	uint64_t rto_ns;
	enum tcp_cc_state cc;
	uint32_t iss, irs;          /* for relative sequence numbers, as Wireshark shows them */
	bool synchronized;          /* irs is known */
	/* ECN (RFC 3168), said after the rule: */
	bool ecn_setup;             /* a SYN or SYN-ACK that negotiates ECN (§6.1.1) */
	enum tcp_cwr_reason cwr;    /* the segment carries CWR, for this reduction */
	bool ece;                   /* the segment carries ECE, echoing the CE mark ... */
	uint32_t ce_seq, ce_end;    /* ... on the peer's segment [ce_seq, ce_end) */
};

/*
 * Writes the annotation for a segment into buf (always NUL-terminated),
 * e.g. "fast retransmit of 14601:16061 after dup ACK #3 | cwnd 8760
 * ssthresh 7300 flight 13140 rto 1.2s | recovery". Returns its length.
 */
size_t tcp_why_format(const struct tcp_why *why, const struct tcp_seg *seg, char *buf, size_t len);
const char *tcp_why_kind_name(enum tcp_why_kind k);

struct tcp_hooks {
	void *ctx;
	void (*output)(void *ctx, const struct tcp_seg *seg, const struct tcp_why *why);
	void (*notify)(void *ctx, enum tcp_event ev);
	void (*trace)(void *ctx, enum tcp_trace_event ev);   /* optional */
};

struct tcp_stats {
	uint64_t segments_sent;
	uint64_t data_segments_sent;
	uint64_t payload_bytes_sent;
	uint64_t retransmissions;
	uint64_t fast_retransmits;
	uint64_t rto_timeouts;
	uint64_t window_probes;
	uint64_t dupacks_received;
	uint64_t segments_received;
	uint64_t resets_sent;
	uint64_t resets_received;
	uint64_t max_cwnd_bytes;         /* fast recovery's inflation included (RFC 5681 §3.2 step 4) */
	uint64_t max_cwnd_outside_recovery_bytes;   /* the same, never sampled in fast recovery */
	uint64_t data_retransmissions;   /* retransmitted segments that carry data */
	uint64_t data_bytes_acked;       /* stream bytes the peer acknowledged (SYN and FIN not) */
	uint64_t last_data_acked_ns;     /* when an ACK last did (with data_bytes_acked > 0) */
	uint64_t connect_ns;             /* when tcp_connect sent the first SYN */
	uint64_t delayed_acks;           /* ACKs sent when the delayed-ACK timer fired */
	uint64_t nagle_holds;            /* times Nagle made a small segment wait */
	/* Counted on the segments sent, with Wireshark's definitions
	 * (tcp.analysis.*): a window of 0 (not on SYN, FIN or RST); a pure ACK
	 * that repeats the previous segment's ACK with a different window (a
	 * window update) or with the same one (a duplicate ACK). */
	uint64_t zero_windows_sent;
	uint64_t window_updates_sent;
	uint64_t dupacks_sent;
	uint64_t ooo_segments_received;  /* data beyond a hole, held for reassembly */
	uint64_t dup_segments_received;  /* data already received: the sender resent it needlessly */
	/* SACK (RFC 2018, RFC 2883, RFC 6675). */
	uint64_t sack_blocks_sent;       /* SACK blocks in the ACKs sent, D-SACK ones included */
	uint64_t dsack_sent;             /* D-SACK blocks sent (RFC 2883) */
	uint64_t sack_blocks_received;   /* SACK blocks in the ACKs received, D-SACK included */
	uint64_t dsack_received;         /* of those, D-SACK blocks (RFC 2883 §4) */
	uint64_t sack_dupacks_received;  /* RFC 6675 §2 DupAcks: ACKs that SACK new data */
	uint64_t sack_recoveries;        /* RFC 6675 §5 loss recoveries entered */
	uint64_t sack_retransmits;       /* retransmissions chosen from the scoreboard (§5 4.3, NextSeg 1, 3, 4) */
	uint64_t sack_rescue_retransmits;/* NextSeg rule 4 */
	uint64_t sack_reneges;           /* the receiver dropped data it had SACKed (RFC 2018 §8) */
	/* ECN (RFC 3168); all 0 unless both SYNs negotiated it. */
	uint64_t ce_received;            /* segments that arrived marked CE */
	uint64_t ece_sent;               /* segments sent with ECE (echoing a CE) */
	uint64_t ece_received;           /* segments received with ECE */
	uint64_t ecn_reductions;         /* cwnd reductions for ECE (at most one per window) */
	uint64_t cwr_sent;               /* data segments sent with CWR */
	uint64_t rtt_samples;            /* RTT samples taken (RFC 6298 timing or RFC 7323 RTTM) */
	uint64_t paws_dropped;           /* segments discarded by PAWS (RFC 7323 §5.3 R1) */
	/* RACK-TLP (RFC 8985). */
	uint64_t rack_losses_marked;     /* segments RACK marked lost (§6.2 step 5) */
	uint64_t rack_timer_fires;       /* reordering timer expiries (§6.2 step 5) */
	uint64_t rack_retransmits;       /* retransmissions of segments RACK marked lost */
	uint64_t rack_lost_retransmits;  /* of those, retransmissions found lost (§6.2) */
	uint64_t rack_reordering_seen;   /* 1 once RACK.reordering_seen (§6.2 step 3) */
	uint64_t rack_dsack_rounds;      /* rounds whose D-SACK grew reo_wnd_mult (§6.2 step 4) */
	uint64_t rack_reo_wnd_max_ns;    /* the largest RACK.reo_wnd used */
	uint64_t tlp_probes;             /* loss probes sent (§7.3) */
	uint64_t tlp_new_data_probes;    /* ... of them, new data (the rest resend the last segment) */
	uint64_t tlp_recoveries;         /* probes that repaired a loss: cwnd reduced (§7.4) */
	uint64_t tlp_spurious;           /* probes a D-SACK showed needless: no reduction (§7.4) */
};

struct cc_ops;

/* The cwnd reduction during SACK loss recovery. */
enum tcp_recovery {
	TCP_RECOVERY_PRR,        /* RFC 6937 PRR with its slow-start reduction bound (PRR-SSRB) */
	TCP_RECOVERY_PRR_CRB,    /* RFC 6937 PRR with the conservative reduction bound */
	TCP_RECOVERY_RFC6675,    /* RFC 6675 §5: cwnd = ssthresh, send while cwnd - pipe >= SMSS */
};

/* One endpoint's settings; the scenario loader fills them, tests by hand. */
struct tcp_cfg {
	uint32_t mss;                /* 0: MTU - 40; the MSS option this host announces */
	uint64_t send_buffer;        /* bytes */
	uint64_t receive_buffer;     /* bytes; the advertised window is its free space */
	bool window_scaling;         /* offer RFC 7323 window scale */
	bool timestamps;             /* offer RFC 7323 timestamps */
	uint32_t ts_rate_hz;         /* RFC 7323 §5.4: the timestamp clock's ticks per second
				      * (1 ... 1000: 1 ms to 1 s per tick) */
	uint32_t ts_initial;         /* the timestamp clock's value at virtual time 0 */
	uint32_t initial_cwnd;       /* segments (RFC 6928: 10); IW = initial_cwnd * SMSS */
	uint64_t initial_rto_ns;     /* RFC 6298 (2.1): 1 s */
	uint64_t min_rto_ns;         /* RFC 6298 (2.4): 1 s */
	uint64_t max_rto_ns;         /* RFC 6298 (2.5): at least 60 s */
	uint32_t max_retries;        /* retransmissions of one segment before abort (RFC 9293 R2) */
	uint32_t syn_retries;        /* retransmissions of a SYN before giving up (R2 for SYN) */
	uint64_t msl_ns;             /* TIME_WAIT lasts 2 * msl */
	const struct cc_ops *cc;     /* congestion control algorithm (cc.h registry) */
	bool limited_transmit;       /* RFC 3042 */
	bool sack;                   /* offer SACK-permitted (RFC 2018 §2) */
	enum tcp_recovery recovery;  /* cwnd during SACK recovery (only when SACK is in use) */
	bool hystart;                /* RFC 9406 HyStart++ in the initial slow start (cubic only) */
	bool rack;                   /* RFC 8985 §6 RACK loss detection (with SACK only) */
	bool tlp;                    /* RFC 8985 §7 tail loss probe (with RACK only) */
	uint32_t abc_limit;          /* RFC 3465 L, in segments: 1 or 2 */
	uint64_t delayed_ack_ns;     /* RFC 1122 4.2.3.2 ACK delay; 0: every segment ACKed at once */
	uint64_t delayed_ack_min_ns; /* 0: the delay is delayed_ack; else Linux's adaptive delay
				      * (ato), from this up to delayed_ack (tcp_timer.c) */
	uint32_t quick_ack;          /* the first N data segments are ACKed at once (Linux quick-ACK) */
	bool nagle;                  /* RFC 896 / RFC 1122 4.2.3.4; false is TCP_NODELAY */
	bool ecn;                    /* RFC 3168: ask for (client) or agree to (server) ECN */
	bool iss_set;
	uint32_t iss;                /* initial send sequence number; else drawn from the seed */
};

/* Every setting at its default (the RFC's, see docs/scenarios.md). */
void tcp_cfg_defaults(struct tcp_cfg *cfg);

/*
 * A profile: a named set of settings a scenario starts from before its own
 * keys (profile: rfc | linux, see tcp_profile.c and docs/scenarios.md).
 */
struct tcp_profile {
	const char *name;
	const char *about;          /* one line for people */
	void (*apply)(struct tcp_cfg *cfg);   /* fills every setting */
};

/* NULL if unknown; the registry in order: tcp_profile_at(0 .. count - 1). */
const struct tcp_profile *tcp_profile_find(const char *name);
size_t tcp_profile_count(void);
const struct tcp_profile *tcp_profile_at(size_t i);

struct tcp_ep;

/*
 * Creates an endpoint in CLOSED. mtu is the link MTU (the MSS announced is
 * cfg->mss, or mtu - 40 when 0). iss is the initial send sequence number.
 */
struct tcp_ep *tcp_new(struct engine *eng, const struct tcp_cfg *cfg, uint32_t mtu,
		       uint32_t local_addr, uint16_t local_port, uint32_t iss,
		       const struct tcp_hooks *hooks);
void tcp_free(struct tcp_ep *ep);

/* User calls (RFC 9293 §3.10.1 - §3.10.6). */
void tcp_listen(struct tcp_ep *ep);
void tcp_connect(struct tcp_ep *ep, uint32_t remote_addr, uint16_t remote_port);
/* Queues up to len bytes; returns how many fit in the send buffer. */
size_t tcp_send(struct tcp_ep *ep, const uint8_t *data, size_t len);
/*
 * The same, saying whether more of the same write follows at once (more):
 * then a short tail waits for it rather than leaving as a small segment
 * (BSD's PRUS_MORETOCOME, Linux's MSG_MORE).
 */
size_t tcp_write(struct tcp_ep *ep, const uint8_t *data, size_t len, bool more);
/*
 * The application's stream as a function of the offset (offset 0 is the
 * first byte written): fills out[0..len) with bytes [off, off+len) and
 * returns their inet_sum(out, len, 0), which the segment's checksum takes
 * in place of summing the bytes again (Linux's csum_and_copy_from_user
 * does both in one pass over the bytes).
 */
typedef wire_fill_fn tcp_source_fn;
/*
 * Makes the send buffer hold the application's bytes by reference, as
 * sendfile(2) leaves a file's pages where they are: tcp_write_source
 * queues a count, and each segment takes its payload from fn at its stream
 * offset, a retransmission as well, for as long as the bytes are
 * unacknowledged. Buffer space, windows and every segment are as with
 * tcp_write; only the copy into the buffer is gone. Set before the first
 * write; tcp_write is not used on such an endpoint.
 */
void tcp_set_source(struct tcp_ep *ep, tcp_source_fn fn, void *ctx);
/* tcp_write of the next len bytes of the source's stream. */
size_t tcp_write_source(struct tcp_ep *ep, size_t len, bool more);

/*
 * Shows every byte a read takes out of the receive buffer to fn, in stream
 * order, where it lies in the buffer (one call per contiguous piece), before
 * the read returns or completes. With a viewer, a read may be given no
 * buffer (buf NULL): it takes the bytes without copying them anywhere.
 */
typedef void (*tcp_viewer_fn)(void *ctx, const uint8_t *data, size_t len);
void tcp_set_viewer(struct tcp_ep *ep, tcp_viewer_fn fn, void *ctx);

/* Reads up to len in-order bytes; returns the count (0: none available). */
size_t tcp_recv(struct tcp_ep *ep, uint8_t *buf, size_t len);
/*
 * A read that blocks: the application waits in read() for up to len bytes
 * into buf (its own memory, valid until tcp_recv_posted; NULL with a
 * viewer: the bytes are only shown to it). The first
 * in-order data to arrive is copied into buf while its segment is
 * processed, before the endpoint builds its reply, so the window that
 * reply advertises no longer counts those bytes (see tcp_input); the
 * TCP_EV_READABLE that follows wakes the application. The read takes what
 * there is, at most len, once; with data already waiting it completes at
 * once. One read is posted at a time: a new one replaces one still
 * waiting, and is ignored while a completed one is not yet collected.
 */
void tcp_recv_post(struct tcp_ep *ep, uint8_t *buf, size_t len);
/* Ends the posted read: the bytes it took (0: none, and it waits no more). */
size_t tcp_recv_posted(struct tcp_ep *ep);
/* True once the peer's FIN has been read past: no more data will come. */
bool tcp_eof(const struct tcp_ep *ep);
/* CLOSE: a FIN follows the queued data (the receive side stays open). */
void tcp_close(struct tcp_ep *ep);
/* ABORT: RST now, CLOSED. */
void tcp_abort(struct tcp_ep *ep);

/*
 * SEGMENT ARRIVES for this endpoint (its ports and addresses match). seg is
 * the caller's to throw away afterwards: tcp_input trims it in place to
 * what the window admits (RFC 9293 §3.10.7.4, first check), rather than
 * copying it first.
 */
void tcp_input(struct tcp_ep *ep, struct tcp_seg *seg);

/* Whether ep wants seg (matching connection, or LISTEN and a matching port). */
bool tcp_owns(const struct tcp_ep *ep, const struct tcp_seg *seg);

/*
 * RFC 9293 §3.10.7.1: the reply to seg when no connection exists for it.
 * Fills *rst and returns true, or returns false when seg is itself a RST.
 */
bool tcp_reset_for(const struct tcp_seg *seg, struct tcp_seg *rst);

/* Observers for the report and the tests. */
enum tcp_state tcp_state(const struct tcp_ep *ep);
enum tcp_error tcp_error(const struct tcp_ep *ep);
const struct tcp_stats *tcp_stats(const struct tcp_ep *ep);
size_t tcp_send_space(const struct tcp_ep *ep);
uint64_t tcp_cwnd(const struct tcp_ep *ep);
uint64_t tcp_ssthresh(const struct tcp_ep *ep);
uint64_t tcp_srtt_ns(const struct tcp_ep *ep);
uint64_t tcp_rto_ns(const struct tcp_ep *ep);
uint64_t tcp_rttvar_ns(const struct tcp_ep *ep);
/* The last RTT sample the estimator took, ns (0: none yet). */
uint64_t tcp_last_rtt_ns(const struct tcp_ep *ep);
/*
 * The timestamp clock of RFC 7323 §5.4 at virtual time now_ns:
 * cfg->ts_initial + floor(now_ns * cfg->ts_rate_hz / 10^9), modulo 2^32.
 */
uint32_t tcp_ts_clock(const struct tcp_cfg *cfg, uint64_t now_ns);
uint64_t tcp_flight_bytes(const struct tcp_ep *ep);
enum tcp_cc_state tcp_cc_state(const struct tcp_ep *ep);
uint32_t tcp_smss(const struct tcp_ep *ep);
bool tcp_sack_in_use(const struct tcp_ep *ep);
const char *tcp_recovery_name(enum tcp_recovery r);
struct cc;
const struct cc *tcp_cc(const struct tcp_ep *ep);      /* the window's state, for traces */
/* Whether both SYNs agreed on ECN (RFC 3168 §6.1.1). */
bool tcp_ecn_ok(const struct tcp_ep *ep);

#endif
