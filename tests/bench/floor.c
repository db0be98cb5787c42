/*
 * floor: the least work a simulator that carries real bytes must do for a
 * transfer, for the benchmark (tests/bench/run) to set tcpsim's time beside.
 *
 *   floor BYTES [WINDOW]
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
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "wire.h"

#define MSS 1460
#define SLOT 1536         /* a packet's room: the payload and its headers */
#define SOURCE 65536

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

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: floor BYTES [WINDOW]\n");
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
