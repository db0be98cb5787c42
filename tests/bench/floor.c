/*
 * floor: the least work a simulator that carries real bytes must do for a
 * transfer, for the benchmark (tests/bench/run) to set tcpsim's time beside.
 *
 *   floor BYTES [WINDOW]
 *   floor --passes BYTES
 *
 * BYTES of payload go through the steps every byte of a simulated transfer
 * needs, one segment of 1460 bytes at a time: copied from the writer's
 * buffer (a 64 KiB block of the pattern, which stays in the cache) into a
 * packet; summed by the sender for its TCP checksum (RFC 1071); and, once
 * WINDOW bytes (default 4 MiB, the bench transfers' buffers) have been sent
 * after it, which is when a full window of packets in flight lets it
 * arrive, summed by the receiver and compared with what was written. The
 * packets are a ring of WINDOW bytes, as the packets in flight are. The
 * checksum is tcpsim's own inet_checksum, the copy and the compare are
 * libc's.
 *
 * It prints the sum of all the checksums and the count of segments that
 * differed (0), so that no step can be left out by the compiler.
 *
 * With --passes, the same four steps are taken one at a time, each over all
 * BYTES, the floor the benchmark's target is set against:
 * one memcpy of BYTES bytes from a source (the client's pattern) into a
 * destination, two checksums of the destination, one compare with the
 * source. Source and destination are 256 MiB (or BYTES, if fewer), taken
 * again from their start as often as BYTES needs: larger than a
 * processor's caches, so that every pass reads (and the copy writes)
 * memory, as passes over a whole transfer would. Both are touched before
 * the clock starts. It prints each pass's seconds and their total, by the
 * monotonic clock; the benchmark takes the total.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "wire.h"

#define MSS 1460
#define SLOT 1536         /* a packet's room: the payload and its headers */
#define SOURCE 65536
#define PASS_BLOCK ((size_t)256 << 20) /* larger than any processor's caches */

static uint64_t parse_size(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s || *end != '\0' || v == 0) {
		fprintf(stderr, "floor: not a positive count of bytes: '%s'\n", s);
		exit(2);
	}
	return v;
}

static double seconds(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* The length of block k of total bytes cut into blocks of PASS_BLOCK. */
static size_t block_len(uint64_t total, uint64_t k)
{
	uint64_t left = total - k * PASS_BLOCK;

	return left < PASS_BLOCK ? (size_t)left : PASS_BLOCK;
}

static int passes(uint64_t total)
{
	size_t size = total < PASS_BLOCK ? (size_t)total : PASS_BLOCK;
	uint64_t blocks = (total + PASS_BLOCK - 1) / PASS_BLOCK, sums = 0;
	uint8_t *src = malloc(size), *dst = malloc(size);
	int differed = 0;
	double t[5];

	if (!src || !dst) {
		fprintf(stderr, "floor: out of memory\n");
		return 2;
	}
	app_pattern("client", 0, src, size);
	memset(dst, 0, size);
	t[0] = seconds();
	for (uint64_t k = 0; k < blocks; k++)
		memcpy(dst, src, block_len(total, k));
	t[1] = seconds();
	for (uint64_t k = 0; k < blocks; k++)
		sums += inet_checksum(dst, block_len(total, k), 0);
	t[2] = seconds();
	for (uint64_t k = 0; k < blocks; k++)
		sums += inet_checksum(dst, block_len(total, k), 0);
	t[3] = seconds();
	for (uint64_t k = 0; k < blocks; k++)
		differed |= memcmp(dst, src, block_len(total, k)) != 0;
	t[4] = seconds();
	printf("floor: %" PRIu64 " bytes in passes: copy %.4f s, sum %.4f s, sum %.4f s, compare %.4f s, total %.4f s; sums %" PRIu64 ", differing %d\n",
	       total, t[1] - t[0], t[2] - t[1], t[3] - t[2], t[4] - t[3], t[4] - t[0], sums, differed);
	free(src);
	free(dst);
	return differed;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--passes") == 0)
		return passes(parse_size(argv[2]));
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: floor BYTES [WINDOW]\n       floor --passes BYTES\n");
		return 2;
	}
	uint64_t total = parse_size(argv[1]);
	uint64_t window = argc > 2 ? parse_size(argv[2]) : 4u << 20;
	size_t slots = (window + MSS - 1) / MSS;
	uint8_t *src = malloc(SOURCE + MSS), *ring = malloc(slots * SLOT);
	size_t *lens = calloc(slots, sizeof(*lens));
	uint64_t *offs = calloc(slots, sizeof(*offs));
	uint64_t sums = 0, differed = 0;

	if (!src || !ring || !lens || !offs) {
		fprintf(stderr, "floor: out of memory\n");
		return 2;
	}
	app_pattern("client", 0, src, SOURCE + MSS);

	/* Slot i holds the segment sent slots segments ago: it arrives now. */
	size_t i = 0;
	for (uint64_t off = 0; off < total + (uint64_t)slots * MSS; off += MSS, i = (i + 1) % slots) {
		uint8_t *pkt = ring + i * SLOT;
		if (lens[i]) {
			sums += inet_checksum(pkt, lens[i], 0);
			differed += memcmp(pkt, src + offs[i] % SOURCE, lens[i]) != 0;
			lens[i] = 0;
		}
		if (off < total) {
			size_t n = total - off < MSS ? (size_t)(total - off) : MSS;
			memcpy(pkt, src + off % SOURCE, n);
			sums += inet_checksum(pkt, n, 0);
			lens[i] = n;
			offs[i] = off;
		}
	}
	printf("floor: %" PRIu64 " bytes, window %" PRIu64 ": sums %" PRIu64 ", segments differing %" PRIu64 "\n",
	       total, window, sums, differed);
	free(src);
	free(ring);
	free(lens);
	free(offs);
	return differed != 0;
}
