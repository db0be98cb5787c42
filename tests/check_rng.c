/*
 * check_rng: the named-stream generator of rng.c.
 *
 * rng must be xoshiro256** (Blackman and Vigna, "Scrambled linear
 * pseudorandom number generators", 2018) seeded with four SplitMix64 outputs
 * started from seed ^ FNV-1a-64(stream name). This file carries its own
 * transcription of the three published algorithms, checks the transcription
 * against the published test vectors, and checks rng against both the
 * transcription and hard-coded outputs, so a change to the seeding or the
 * generator (which would silently change every scenario's draws) fails here.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "rng.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the reference transcription ---- */

/* FNV-1a, 64 bits: offset basis 14695981039346656037, prime 2^40 + 2^8 + 0xb3. */
static uint64_t ref_fnv1a64(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	while (*s) {
		h ^= (uint8_t)*s++;
		h *= (UINT64_C(1) << 40) + (UINT64_C(1) << 8) + 0xb3;
	}
	return h;
}

/* SplitMix64 (Steele, Lea and Flood 2014; Vigna's splitmix64.c). */
static uint64_t ref_splitmix64(uint64_t *state)
{
	uint64_t z;

	*state += UINT64_C(0x9E3779B97F4A7C15);
	z = *state;
	z = (z ^ (z >> 30)) * UINT64_C(0xBF58476D1CE4E5B9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94D049BB133111EB);
	return z ^ (z >> 31);
}

static uint64_t ref_rotl(uint64_t x, unsigned k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** 1.0 (Vigna's xoshiro256starstar.c). */
static uint64_t ref_next(uint64_t s[4])
{
	const uint64_t result = ref_rotl(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = ref_rotl(s[3], 45);
	return result;
}

static void ref_init(uint64_t s[4], uint64_t seed, const char *name)
{
	uint64_t x = seed ^ ref_fnv1a64(name);

	for (int i = 0; i < 4; i++)
		s[i] = ref_splitmix64(&x);
}

/* The transcription reproduces the published vectors. */
START_TEST(test_reference_vectors)
{
	/* FNV-1a 64 test vectors (Fowler, Noll, Vo; draft-eastlake-fnv). */
	ck_assert_uint_eq(ref_fnv1a64(""), UINT64_C(0xcbf29ce484222325));
	ck_assert_uint_eq(ref_fnv1a64("a"), UINT64_C(0xaf63dc4c8601ec8c));
	ck_assert_uint_eq(ref_fnv1a64("foobar"), UINT64_C(0x85944171f73967e8));

	/* SplitMix64 from state 0. */
	uint64_t x = 0;
	ck_assert_uint_eq(ref_splitmix64(&x), UINT64_C(0xe220a8397b1dcdaf));
	ck_assert_uint_eq(ref_splitmix64(&x), UINT64_C(0x6e789e6aa1b965f4));
	ck_assert_uint_eq(ref_splitmix64(&x), UINT64_C(0x06c45d188009454f));
	ck_assert_uint_eq(ref_splitmix64(&x), UINT64_C(0xf88bb8a8724c81ec));

	/* xoshiro256** from the state {1, 2, 3, 4} (the vector of rand_xoshiro). */
	static const uint64_t want[] = {
		UINT64_C(11520), UINT64_C(0), UINT64_C(1509978240),
		UINT64_C(1215971899390074240), UINT64_C(1216172134540287360),
		UINT64_C(607988272756665600), UINT64_C(16172922978634559625),
		UINT64_C(8476171486693032832), UINT64_C(10595114339597558777),
		UINT64_C(2904607092377533576),
	};
	uint64_t s[4] = { 1, 2, 3, 4 };
	for (int i = 0; i < N(want); i++)
		ck_assert_uint_eq(ref_next(s), want[i]);

	/* rng's own xoshiro256** on the same state. */
	struct rng r = { { 1, 2, 3, 4 } };
	for (int i = 0; i < N(want); i++)
		ck_assert_uint_eq(rng_next(&r), want[i]);
}
END_TEST

/* ---- exact outputs ---- */

/*
 * rng_init(1, "test"), worked out once with the transcription above:
 * FNV-1a-64("test") = 0xf9e6e6ef197c2b25, x = 1 ^ that = 0xf9e6e6ef197c2b24,
 * state = the next four SplitMix64 outputs from x, then xoshiro256**.
 */
START_TEST(test_known_outputs)
{
	static const uint64_t state[4] = {
		UINT64_C(0x8f68d7063fba6959), UINT64_C(0x89d71840a12d59e6),
		UINT64_C(0x3c7f3678353bbf02), UINT64_C(0x665d2d8d063580d0),
	};
	static const uint64_t out[] = {
		UINT64_C(0x67a1ae2a7c66ba18), UINT64_C(0xf5e80216aaa21d22),
		UINT64_C(0x623e6aa6f8068ba0), UINT64_C(0xcbacc47f06e65118),
		UINT64_C(0x6fffd222506befd3), UINT64_C(0xfa3aab80e8cff839),
		UINT64_C(0x86c6e591a4e2572e), UINT64_C(0x53bc5ec09bb43c51),
	};
	struct rng r;

	ck_assert_uint_eq(ref_fnv1a64("test"), UINT64_C(0xf9e6e6ef197c2b25));
	rng_init(&r, 1, "test");
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(r.s[i], state[i]);
	for (int i = 0; i < N(out); i++)
		ck_assert_uint_eq(rng_next(&r), out[i]);
}
END_TEST

/* rng matches the transcription over long runs, for assorted seeds and names. */
static const struct {
	uint64_t seed;
	const char *name;
} streams[] = {
	{ 0, "" },
	{ 1, "test" },
	{ 42, "link.a_to_b.loss" },
	{ 42, "link.b_to_a.loss" },
	{ 42, "link.a_to_b.reorder" },
	{ 7, "client.iss" },
	{ UINT64_MAX, "server.iss" },
	{ UINT64_C(0xf9e6e6ef197c2b25), "test" },    /* seed ^ hash == 0 */
	{ 12345, "a name longer than sixty-four characters, to be sure nothing truncates it" },
	{ 3, "\xff\x80 high bytes" },
};

START_TEST(test_matches_reference)
{
	struct rng r;
	uint64_t s[4];

	rng_init(&r, streams[_i].seed, streams[_i].name);
	ref_init(s, streams[_i].seed, streams[_i].name);
	for (int i = 0; i < 4; i++)
		ck_assert_uint_eq(r.s[i], s[i]);
	for (int i = 0; i < 10000; i++)
		ck_assert_uint_eq(rng_next(&r), ref_next(s));
}
END_TEST

/* ---- streams ---- */

START_TEST(test_same_seed_same_sequence)
{
	struct rng a, b;

	rng_init(&a, streams[_i].seed, streams[_i].name);
	rng_init(&b, streams[_i].seed, streams[_i].name);
	for (int i = 0; i < 10000; i++)
		ck_assert_uint_eq(rng_next(&a), rng_next(&b));
}
END_TEST

/* Counts positions where two streams agree among their first n outputs. */
static int agreements(struct rng *a, struct rng *b, int n)
{
	int same = 0;

	for (int i = 0; i < n; i++)
		same += rng_next(a) == rng_next(b);
	return same;
}

START_TEST(test_different_streams_differ)
{
	/* Every pair in the table differs by seed, by name, or both. */
	for (int j = 0; j < N(streams); j++) {
		struct rng a, b;

		if (j == _i)
			continue;
		rng_init(&a, streams[_i].seed, streams[_i].name);
		rng_init(&b, streams[j].seed, streams[j].name);
		ck_assert_int_eq(agreements(&a, &b, 1000), 0);
	}
}
END_TEST

START_TEST(test_names_and_seeds_matter)
{
	struct rng a, b;

	/* Names one character apart, a prefix, the same name with another seed. */
	rng_init(&a, 1, "test");
	rng_init(&b, 1, "tesu");
	ck_assert_int_eq(agreements(&a, &b, 1000), 0);
	rng_init(&a, 1, "test");
	rng_init(&b, 1, "test2");
	ck_assert_int_eq(agreements(&a, &b, 1000), 0);
	rng_init(&a, 1, "test");
	rng_init(&b, 2, "test");
	ck_assert_int_eq(agreements(&a, &b, 1000), 0);
	rng_init(&a, 0, "x");
	rng_init(&b, 1, "x");
	ck_assert_int_eq(agreements(&a, &b, 1000), 0);
}
END_TEST

/* ---- rng_below ---- */

static const uint64_t bounds[] = {
	1, 2, 3, 5, 7, 10, 16, 1000, 1000000000,
	UINT64_C(1) << 32, (UINT64_C(1) << 63) + 1,     /* rejects about half the draws */
	UINT64_MAX - 1, UINT64_MAX,
};

START_TEST(test_below_bound)
{
	uint64_t bound = bounds[_i];
	uint64_t hits[16] = { 0 };
	uint64_t max_seen = 0;
	struct rng r;

	rng_init(&r, 99, "below");
	for (int i = 0; i < 20000; i++) {
		uint64_t v = rng_below(&r, bound);

		ck_assert_uint_lt(v, bound);
		if (v > max_seen)
			max_seen = v;
		if (bound <= 16)
			hits[v]++;
	}
	if (bound <= 16) {
		/* Every value is hit, and none grossly more than its share. */
		for (uint64_t v = 0; v < bound; v++) {
			ck_assert_uint_gt(hits[v], 0);
			ck_assert_uint_gt(hits[v], 20000 / bound * 9 / 10);
			ck_assert_uint_lt(hits[v], 20000 / bound * 11 / 10);
		}
	} else {
		/* Draws reach the top tenth of the range. */
		ck_assert_uint_ge(max_seen, bound / 10 * 9);
	}
}
END_TEST

/*
 * rng_below is rejection sampling on rng_next: a draw x is kept when
 * x < 2^64 - (2^64 mod bound) and mapped to x mod bound. Checked against the
 * transcription for a bound that rejects about half of all draws.
 */
START_TEST(test_below_rejection)
{
	const uint64_t bound = (UINT64_C(1) << 63) + 1;
	uint64_t s[4];
	struct rng r;
	int rejected = 0;

	rng_init(&r, 5, "rejection");
	ref_init(s, 5, "rejection");
	for (int i = 0; i < 1000; i++) {
		uint64_t x;

		/* 2^64 - (2^64 mod bound) = bound here: keep x < bound. */
		while ((x = ref_next(s)) >= bound)
			rejected++;
		ck_assert_uint_eq(rng_below(&r, bound), x % bound);
	}
	ck_assert_int_gt(rejected, 400);
	ck_assert_int_lt(rejected, 1600);
}
END_TEST

/* ---- rng_chance_ppb ---- */

START_TEST(test_chance_never_always)
{
	struct rng r;

	rng_init(&r, 1, "chance");
	for (int i = 0; i < 100000; i++) {
		ck_assert(!rng_chance_ppb(&r, 0));
		ck_assert(rng_chance_ppb(&r, 1000000000u));
	}
}
END_TEST

START_TEST(test_chance_five_percent)
{
	struct rng r;
	uint32_t n = 0;

	rng_init(&r, 1, "chance");
	for (int i = 0; i < 100000; i++)
		n += rng_chance_ppb(&r, 50000000u) != 0;
	/* Deterministic: the exact count for this seed and stream ... */
	ck_assert_uint_eq(n, 4903);
	/* ... and 5% within 0.3 percentage points. */
	ck_assert_uint_ge(n, 4700);
	ck_assert_uint_le(n, 5300);
}
END_TEST

static Suite *rng_suite(void)
{
	Suite *s = suite_create("rng");
	TCase *tc;

	tc = tcase_create("algorithm");
	tcase_add_test(tc, test_reference_vectors);
	tcase_add_test(tc, test_known_outputs);
	tcase_add_loop_test(tc, test_matches_reference, 0, N(streams));
	suite_add_tcase(s, tc);

	tc = tcase_create("streams");
	tcase_add_loop_test(tc, test_same_seed_same_sequence, 0, N(streams));
	tcase_add_loop_test(tc, test_different_streams_differ, 0, N(streams));
	tcase_add_test(tc, test_names_and_seeds_matter);
	suite_add_tcase(s, tc);

	tc = tcase_create("below");
	tcase_add_loop_test(tc, test_below_bound, 0, N(bounds));
	tcase_add_test(tc, test_below_rejection);
	suite_add_tcase(s, tc);

	tc = tcase_create("chance");
	tcase_add_test(tc, test_chance_never_always);
	tcase_add_test(tc, test_chance_five_percent);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(rng_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
