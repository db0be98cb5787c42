/*
 * cc: congestion control behind a small table of operations.
 *
 * tcp owns loss detection and what to retransmit; cc owns only the two
 * numbers that bound sending, cwnd and ssthresh, and how events move them.
 * An algorithm is a struct cc_ops; tcp calls through it and never looks at
 * which algorithm runs, so adding one (CUBIC, RFC 9438) is a file of its own and a line in cc.c's
 * registry.
 *
 * RFC 5681 (Reno), RFC 6582 (NewReno), RFC 6928 (initial window).
 */
#ifndef TCPSIM_CC_H
#define TCPSIM_CC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cc;

struct cc_ops {
	const char *name;
	/* NewReno (RFC 6582) stays in recovery across partial ACKs; Reno
	 * (RFC 5681 §3.2 step 6) leaves it on the first new ACK. */
	bool partial_ack_stays_in_recovery;
	/* New data acknowledged outside recovery: acked_bytes newly covered. */
	void (*on_ack)(struct cc *c, uint32_t acked_bytes);
	/* Loss detected by duplicate ACKs (RFC 5681 §3.2 steps 2-3). */
	void (*on_fast_retransmit)(struct cc *c, uint64_t flight_bytes);
	/* SACK loss recovery begins (RFC 6675 §5 step 4.2): ssthresh and
	 * cwnd both to the algorithm's reduced window, no inflation. */
	void (*on_sack_recovery)(struct cc *c, uint64_t flight_bytes);
	/* A further duplicate ACK during recovery (RFC 5681 §3.2 step 4). */
	void (*on_dupack_in_recovery)(struct cc *c);
	/* Partial ACK during recovery (RFC 6582 §3.2 step 3). */
	void (*on_partial_ack)(struct cc *c, uint32_t acked_bytes);
	/* Full ACK ending recovery (RFC 6582 §3.2 step 3 / RFC 5681 §3.2 step 6). */
	void (*on_recovery_exit)(struct cc *c, uint64_t flight_bytes);
	/* Retransmission timer expired (RFC 5681 §3.1, equations 4 and 5);
	 * again: the segment had already been retransmitted by a timeout. */
	void (*on_rto)(struct cc *c, uint64_t flight_bytes, bool again);
};

struct cc {
	const struct cc_ops *ops;
	uint32_t smss;              /* sender maximum segment size, bytes */
	uint64_t cwnd_bytes;
	uint64_t ssthresh_bytes;
	uint64_t ca_acked_bytes;    /* congestion avoidance byte counter (RFC 5681 §3.1) */
	uint32_t abc_limit;         /* slow start grows by at most abc_limit * SMSS per ACK
				     * (RFC 3465 §2.2's L; 1 by default, RFC 5681 §3.1) */
};

#define CC_SSTHRESH_INFINITE UINT64_MAX

/* The algorithms (cc_NAME.c each), registered in cc.c. */
extern const struct cc_ops cc_newreno;
extern const struct cc_ops cc_reno;

/* RFC 5681 §3.1: IW from the scenario; ssthresh "arbitrarily high". */
void cc_init(struct cc *c, const struct cc_ops *ops, uint32_t smss, uint32_t initial_cwnd_segments);
/* Looks an algorithm up by name ("newreno", "reno"); NULL if unknown. */
const struct cc_ops *cc_find(const char *name);
/* The registry in order, for messages and documentation: cc_at(0 .. cc_count() - 1). */
size_t cc_count(void);
const struct cc_ops *cc_at(size_t i);

#endif
