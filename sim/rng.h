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

/*
 * The draws are defined here, inline, because the link makes one or more
 * for every packet: with the bound a constant (rng_chance_ppb's 10^9) the
 * compiler turns both remainders into multiplications.
 */
static inline uint64_t rng_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* The next 64 bits of the stream: xoshiro256** (its authors' step). */
static inline uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rng_rotl(s[3], 45);
	return result;
}

/* Uniform in [0, bound), without modulo bias; bound > 0. */
static inline uint64_t rng_below(struct rng *r, uint64_t bound)
{
	/* Rejection sampling: draws below 'limit' map evenly onto [0, bound). */
	uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
	uint64_t x;

	do
		x = rng_next(r);
	while (x >= limit);
	return x % bound;
}

/* A probability of 1 in parts per billion. */
#define PPB_ONE 1000000000u

/* True with probability ppb / 1e9 (parts per billion); draws nothing when ppb is 0. */
static inline int rng_chance_ppb(struct rng *r, uint32_t ppb)
{
	return ppb != 0 && rng_below(r, 1000000000u) < ppb;
}

#endif
