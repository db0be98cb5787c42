/*
 * rtt: the RFC 6298 retransmission timer estimator.
 *
 * Holds SRTT and RTTVAR, turns them into an RTO clamped to [min, max], and
 * applies exponential backoff (RFC 6298 §5.5). Karn's rule (§3: no sample
 * from a retransmitted segment) is the caller's part: tcp only offers samples
 * from segments sent once. All arithmetic is in integer nanoseconds with the
 * RFC's alpha = 1/8 and beta = 1/4, so results are exact and reproducible.
 *
 * With RFC 7323 timestamps a sample comes from every ACK, many per round
 * trip; RFC 7323 Appendix G keeps the estimator's memory about one round
 * trip long by dividing alpha and beta by the samples a window yields
 * (rtt_sample_n, rtt_expected_samples).
 */
#ifndef TCPSIM_RTT_H
#define TCPSIM_RTT_H

#include <stdbool.h>
#include <stdint.h>

/* RFC 6298 §2: G, the clock granularity. The virtual clock has none to speak
 * of; 1 ms keeps RTTVAR = 0 paths from giving RTO = SRTT exactly. */
#define RTT_CLOCK_GRANULARITY_NS 1000000ull
#define RTT_K 4

struct rtt {
	bool have_sample;
	uint64_t srtt_ns;
	uint64_t rttvar_ns;
	uint64_t base_rto_ns;   /* RTO from the estimator, clamped, before backoff */
	uint32_t backoff;       /* consecutive expiries: RTO is base << backoff, clamped */
	uint64_t min_rto_ns, max_rto_ns;
	uint64_t samples;
	uint64_t last_ns;       /* the last sample, R */
};

void rtt_init(struct rtt *r, uint64_t initial_rto_ns, uint64_t min_rto_ns, uint64_t max_rto_ns);
/* RFC 6298 §2.2 (first sample) and §2.3 (later samples); recomputes the RTO. */
void rtt_sample(struct rtt *r, uint64_t rtt_ns);
/*
 * The same with RFC 7323 Appendix G's gains, alpha' = alpha / n and
 * beta' = beta / n (n >= 1; n = 1 is rtt_sample):
 *   RTTVAR <- (1 - beta') * RTTVAR + beta' * |SRTT - R'|
 *   SRTT   <- (1 - alpha') * SRTT + alpha' * R'
 * each result rounded down to the nanosecond, as rtt_sample rounds.
 */
void rtt_sample_n(struct rtt *r, uint64_t rtt_ns, uint64_t n);
/* RFC 7323 Appendix G: ExpectedSamples = ceiling(FlightSize / (SMSS * 2)),
 * at least 1. */
uint64_t rtt_expected_samples(uint64_t flight_bytes, uint32_t smss);
/* The RTO to arm now: base_rto_ns doubled 'backoff' times, at most max_rto_ns. */
uint64_t rtt_rto(const struct rtt *r);
/* RFC 6298 §5.5: the timer expired; the next RTO is twice as long. */
void rtt_backoff(struct rtt *r);
/* RFC 6298 (5.7): the SYN timed out and no sample was taken: RTO >= 3 s. */
void rtt_syn_timeout_fallback(struct rtt *r);
/* A valid sample was taken (Karn's algorithm, RFC 6298 §3): stop backing off. */
void rtt_reset_backoff(struct rtt *r);

/*
 * Per-ACK RTT samples, for delay-based rules that want one from (nearly)
 * every ACK, as HyStart++ does (RFC 9406 §4.2) - the RFC 6298 estimator
 * above times one segment per round trip. Each data segment in flight is
 * remembered by the stream offset it ends at and when it left; an ACK that
 * covers whole segments, none of them ever sent twice (Karn, RFC 6298 §3),
 * yields the time since the newest of them left. Bounded: with the ring
 * full, a new segment is merged into the newest entry, which then gives no
 * sample, so a sample is never attributed to the wrong segment.
 */
#define RTT_TRACK_SEGMENTS 1024

struct rtt_track_seg {
	uint64_t end_off;        /* stream offset one past its last byte */
	uint64_t sent_ns;        /* when it (first) left */
	bool ambiguous;          /* resent (Karn), or merged when the ring was full */
};

struct rtt_track {
	struct rtt_track_seg seg[RTT_TRACK_SEGMENTS];
	uint32_t head, count;    /* the oldest entry, and how many */
	uint64_t sent_end_off;   /* one past the highest byte ever sent: SND.MAX's offset */
	uint64_t acked_off;      /* the cumulative ACK's offset: SND.UNA's */
	uint64_t sample_ns;      /* the sample the latest ACK gave; 0: none */
};

void rtt_track_init(struct rtt_track *t);
/* Data [start_off, end_off) left at now_ns (a retransmission when it lies below
 * what was sent before). */
void rtt_track_sent(struct rtt_track *t, uint64_t start_off, uint64_t end_off, uint64_t now_ns);
/* An ACK moved the cumulative acknowledgment to ack_off at now_ns: sets and
 * returns sample_ns. */
uint64_t rtt_track_acked(struct rtt_track *t, uint64_t ack_off, uint64_t now_ns);

#endif
