/*
 * cc: congestion control behind a small table of operations.
 *
 * tcp owns loss detection and what to retransmit; cc owns only the two
 * numbers that bound sending, cwnd and ssthresh, and how events move them.
 * An algorithm is a struct cc_ops; tcp calls through it and never looks at
 * which algorithm runs, so adding one (CUBIC, RFC 9438) is a file of its own and a line in cc.c's
 * registry.
 *
 * An algorithm that needs more than the events (CUBIC: the time and the
 * RTT) reads it through c->env, which tcp fills once per connection.
 *
 * RFC 5681 (Reno), RFC 6582 (NewReno), RFC 6928 (initial window),
 * RFC 9438 (CUBIC), RFC 9406 (HyStart++).
 */
#ifndef TCPSIM_CC_H
#define TCPSIM_CC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cc;
struct engine;
struct rtt;
struct rtt_track;

/*
 * What an algorithm may read of its connection, filled once by tcp when
 * the connection's window is initialised: pointers into the endpoint, so
 * each read is the value of the moment. Reno ignores it.
 */
struct cc_env {
	const struct engine *eng;        /* the virtual clock: engine_now(eng) */
	const struct rtt *rtt;           /* RFC 6298 estimator: srtt_ns */
	const struct rtt_track *track;   /* per-ACK RTT samples, SND.UNA / SND.MAX offsets */
};

/* State changes an algorithm reports for the trace (bits of cc.events). */
enum cc_event {
	CC_EV_EPOCH = 1u << 0,       /* CUBIC: a congestion avoidance stage begins (t_epoch) */
	CC_EV_CSS = 1u << 1,         /* HyStart++: RTT rose, Conservative Slow Start */
	CC_EV_SS_RESUME = 1u << 2,   /* HyStart++: RTT fell again, back to slow start */
	CC_EV_SS_EXIT = 1u << 3,     /* HyStart++: CSS_ROUNDS done, ssthresh = cwnd */
};

/* The region CUBIC's last window update fell in (RFC 9438 §4.3-§4.5). */
enum cc_cubic_region {
	CUBIC_SLOW_START,
	CUBIC_CSS,                   /* HyStart++ Conservative Slow Start */
	CUBIC_RENO_FRIENDLY,         /* §4.3: W_cubic(t) < W_est */
	CUBIC_CONCAVE,               /* §4.4: cwnd < W_max */
	CUBIC_CONVEX,                /* §4.5: cwnd >= W_max */
	CUBIC_RECOVERY,              /* loss recovery governs the window */
};

/* HyStart++ (RFC 9406 §4.2), in bytes and nanoseconds; UINT64_MAX is "infinity". */
struct cc_hystart {
	bool started;                /* windowEnd has been set */
	bool in_css;
	uint64_t window_end_off;     /* windowEnd, as a stream offset */
	uint64_t last_round_min_rtt_ns;
	uint64_t current_round_min_rtt_ns;
	uint64_t css_baseline_min_rtt_ns;
	uint32_t rtt_sample_count;
	uint32_t css_rounds;         /* rounds in CSS, the partial first one included */
	uint32_t rounds;             /* rounds begun, for tests and traces */
};

/*
 * CUBIC (RFC 9438) in bytes, nanoseconds and microseconds. W_max, cwnd_epoch,
 * cwnd_prior in bytes (the RFC counts segments: bytes / SMSS); W_est in
 * 1/65536 byte so that its small per-ACK steps add up exactly.
 */
struct cc_cubic {
	uint64_t w_max_bytes;        /* §4.1: cwnd before the last reduction (fast convergence aside) */
	uint64_t cwnd_prior_bytes;   /* §4.6: cwnd when the last reduction began */
	uint64_t cwnd_epoch_bytes;   /* §4.2: cwnd when this avoidance stage began */
	uint64_t w_est_fp;           /* §4.3: W_est << 16 */
	uint64_t t_epoch_ns;         /* §4.1: when this avoidance stage began */
	int64_t k_us;                /* §4.2 eq. 2: K, microseconds (negative when cwnd_epoch > W_max) */
	bool epoch_valid;            /* t_epoch is set (cleared by every congestion event) */
	bool w_max_from_epoch;       /* §4.8 / §4.10: W_max = cwnd_epoch, K = 0 for the next stage */
	bool alpha_one;              /* §4.3: W_est reached cwnd_prior, alpha_cubic = 1 */
	enum cc_cubic_region region;
	uint64_t reductions;         /* congestion events so far */
};

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
	/* The algorithm has state for the trace's cc columns (W_max, K,
	 * region): CUBIC; not Reno and NewReno. */
	bool has_trace_state;
	/* An ACK with ECN-Echo (RFC 3168 §6.1.2), at most once per window and
	 * never in loss recovery (tcp's decision): reduce as for a loss, but
	 * nothing is retransmitted and nothing inflates the window. */
	void (*on_ecn_echo)(struct cc *c, uint64_t flight_bytes);
};

struct cc {
	const struct cc_ops *ops;
	uint32_t smss;              /* sender maximum segment size, bytes */
	uint64_t cwnd_bytes;
	uint64_t ssthresh_bytes;
	uint64_t ca_acked_bytes;    /* congestion avoidance byte counter (RFC 5681 §3.1) */
	uint32_t abc_limit;         /* slow start grows by at most abc_limit * SMSS per ACK
				     * (RFC 3465 §2.2's L; 1 by default, RFC 5681 §3.1) */
	struct cc_env env;          /* see struct cc_env; zero in unit tests that need none */
	bool hystart;               /* RFC 9406 HyStart++ in the initial slow start (CUBIC) */
	unsigned events;            /* enum cc_event bits since tcp last took them */
	struct cc_hystart hs;
	struct cc_cubic cubic;
};

#define CC_SSTHRESH_INFINITE UINT64_MAX

/* The algorithms (cc_NAME.c each), registered in cc.c. */
extern const struct cc_ops cc_newreno;
extern const struct cc_ops cc_reno;
extern const struct cc_ops cc_cubic;

/* RFC 5681 §3.1: IW from the scenario; ssthresh "arbitrarily high". */
void cc_init(struct cc *c, const struct cc_ops *ops, uint32_t smss, uint32_t initial_cwnd_segments);
/* Looks an algorithm up by name ("newreno", "reno"); NULL if unknown. */
const struct cc_ops *cc_find(const char *name);
/* The registry in order, for messages and documentation: cc_at(0 .. cc_count() - 1). */
size_t cc_count(void);
const struct cc_ops *cc_at(size_t i);

/*
 * Fast recovery's window arithmetic (RFC 5681 §3.2 steps 3-6, RFC 6582
 * §3.2), which tcp's recovery governs whatever set ssthresh: cc_newreno.c's
 * and CUBIC's (RFC 9438 §4.6: "the recovery algorithm" after the reduction).
 */
void cc_recovery_dupack(struct cc *c);
void cc_recovery_partial_ack(struct cc *c, uint32_t acked_bytes);
void cc_recovery_exit(struct cc *c, uint64_t flight_bytes);
/* RFC 5681 §3.1 equation (2) with RFC 3465's L: slow start's growth for one ACK. */
uint64_t cc_slow_start_increase(const struct cc *c, uint32_t acked_bytes);

/* CUBIC's arithmetic (cc_cubic.c), for the tests and the trace. */
/* §4.2 eq. 2: K in microseconds for W_max and cwnd_epoch in bytes. */
int64_t cubic_k_us(uint64_t w_max_bytes, uint64_t cwnd_epoch_bytes, uint32_t smss);
/* §4.2 eq. 1: W_cubic(t) in bytes, t in microseconds since t_epoch (0 below 0). */
uint64_t cubic_w_bytes(int64_t t_us, int64_t k_us, uint64_t w_max_bytes, uint32_t smss);
/* The integer cube root, floor(cbrt(v)). */
uint64_t cubic_cbrt(unsigned __int128 v);
const char *cc_cubic_region_name(enum cc_cubic_region r);

#endif
