/*
 * rng: xoshiro256** seeded through SplitMix64 (see rng.h).
 *
 * A stream's 256-bit state is four SplitMix64 outputs started from
 * seed ^ FNV-1a(stream name). SplitMix64 is the seeding procedure the
 * xoshiro authors recommend; it never yields the all-zero state in four
 * consecutive outputs.
 */
#include "rng.h"

static uint64_t splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint64_t fnv1a(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 0x100000001b3ull;
	}
	return h;
}

void rng_init(struct rng *r, uint64_t seed, const char *stream)
{
	uint64_t x = seed ^ fnv1a(stream);
	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}
