/*
 * fuzz.h: what the fuzz harnesses share (tests/fuzz/README.md).
 *
 * Each harness (fuzz_scenario.c, fuzz_wire.c, fuzz_tcp.c) is one
 * LLVMFuzzerTestOneInput. Built with clang -fsanitize=fuzzer it is a
 * libFuzzer target (make fuzz); linked with replay.c it is a plain program
 * that runs every file it is given through the same body (make check replays
 * the seed corpora and tests/fuzz/regress/ that way, with any compiler).
 *
 * A broken property is reported by FUZZ_ASSERT: the condition, a message,
 * then abort(), which libFuzzer records as a crash with its input.
 */
#ifndef TCPSIM_FUZZ_H
#define TCPSIM_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ASSERT(cond, ...)                                                   \
	do {                                                                     \
		if (!(cond)) {                                                   \
			fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, \
				__LINE__, #cond);                                \
			fprintf(stderr, __VA_ARGS__);                            \
			fputc('\n', stderr);                                     \
			abort();                                                 \
		}                                                                \
	} while (0)

#endif
