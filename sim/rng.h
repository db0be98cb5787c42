/*
 * rng: xoshiro256** (Blackman and Vigna, 2018) with named streams.
 *
 * Every random choice in a run draws from a stream named after what it
 * decides ("link.a_to_b.loss", "client.iss"). A stream's state is derived
 * from the scenario seed and the stream's name through SplitMix64, so adding
 * a knob, or drawing more often in one place, never reshuffles the draws
 * made anywhere else. No global state; no wall clock.
 */
#ifndef TCPSIM_RNG_H
#define TCPSIM_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_init(struct rng *r, uint64_t seed, const char *stream);
uint64_t rng_next(struct rng *r);
/* Uniform in [0, bound), without modulo bias; bound > 0. */
uint64_t rng_below(struct rng *r, uint64_t bound);
/* A probability of 1 in parts per billion. */
#define PPB_ONE 1000000000u

/* True with probability ppb / 1e9 (parts per billion); draws nothing when ppb is 0. */
static inline int rng_chance_ppb(struct rng *r, uint32_t ppb)
{
	return ppb != 0 && rng_below(r, 1000000000u) < ppb;
}

#endif
