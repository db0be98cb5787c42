/*
 * progress: one line on a terminal telling how a long run is getting on:
 * its virtual time, the bytes the applications have read, and its speed in
 * virtual seconds per wall-clock second.
 *
 * The line appears only on a terminal (isatty), only once the run has taken
 * half a second of wall time, and is redrawn at most four times a second;
 * progress_clear erases it, before the summary is printed. The wall clock is
 * read here for this display only (and elsewhere only by the capture's
 * writer, to time its waits: capture.c): nothing it reads reaches a
 * capture, a trace or the summary, and the run is the same with or without
 * the display (world_set_progress's observer only looks). Callers: main.
 */
#ifndef TCPSIM_PROGRESS_H
#define TCPSIM_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "world.h"

#define PROGRESS_EVERY 4096                 /* events between looks at the clock */
#define PROGRESS_DELAY_NS 500000000u        /* nothing shown before half a second */
#define PROGRESS_INTERVAL_NS 250000000u     /* at most four lines a second */

struct progress {
	FILE *out;
	bool active;                /* out is a terminal, and the line is wanted */
	uint64_t (*clock_ns)(void); /* the wall clock, monotonic (tests set their own) */
	uint64_t start_ns;          /* wall time when the run started ... */
	uint64_t last_ns;           /* ... and when the line was last drawn (0: never) */
	size_t shown;               /* characters of the line on the terminal (0: none) */
};

/*
 * Makes p active when wanted and out is a terminal, and then has w call it
 * every PROGRESS_EVERY events. p must outlive the run.
 */
void progress_start(struct progress *p, struct world *w, FILE *out, bool wanted);
/* The world_progress_fn: redraws the line when it is due. */
void progress_update(void *ctx, const struct world_progress *wp);
/* Erases the line, if one is shown; the cursor is back at the line's start. */
void progress_clear(struct progress *p);

#endif
