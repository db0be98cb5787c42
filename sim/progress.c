/*
 * progress: the progress line of a long run (see progress.h).
 */
#include "progress.h"

#include <inttypes.h>
#include <time.h>
#include <unistd.h>

static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void progress_start(struct progress *p, struct world *w, FILE *out, bool wanted)
{
	p->out = out;
	p->active = wanted && isatty(fileno(out));
	p->clock_ns = monotonic_ns;
	p->start_ns = p->active ? monotonic_ns() : 0;
	p->last_ns = 0;
	p->shown = 0;
	if (p->active)
		world_set_progress(w, progress_update, p, PROGRESS_EVERY);
}

/* Digits grouped by thousands with commas. */
static void grouped(char *buf, size_t len, uint64_t n)
{
	char digits[24];
	int nd = snprintf(digits, sizeof digits, "%" PRIu64, n);
	size_t o = 0;

	for (int i = 0; i < nd && o + 2 < len; i++) {
		if (i > 0 && (nd - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void progress_update(void *ctx, const struct world_progress *wp)
{
	struct progress *p = ctx;
	uint64_t now = p->clock_ns(), wall;
	char line[160], bytes[32];
	int n;

	if (!p->active || now < p->start_ns + PROGRESS_DELAY_NS)
		return;
	if (p->last_ns != 0 && now < p->last_ns + PROGRESS_INTERVAL_NS)
		return;
	p->last_ns = now;
	wall = now - p->start_ns;
	grouped(bytes, sizeof bytes, wp->app_bytes_received);
	n = snprintf(line, sizeof line, "tcpsim: %" PRIu64 ".%03" PRIu64 " s virtual time, %s B"
		     " delivered, %.1f virtual s per wall s",
		     wp->now_ns / 1000000000u, wp->now_ns / 1000000u % 1000u, bytes,
		     (double)wp->now_ns / (double)wall);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = (int)sizeof line - 1;
	/* Over the previous line: spaces where it was longer. */
	fprintf(p->out, "\r%s%*s", line, p->shown > (size_t)n ? (int)(p->shown - (size_t)n) : 0, "");
	fflush(p->out);
	if ((size_t)n > p->shown)
		p->shown = (size_t)n;
}

void progress_clear(struct progress *p)
{
	if (p->shown == 0)
		return;
	fprintf(p->out, "\r%*s\r", (int)p->shown, "");
	fflush(p->out);
	p->shown = 0;
}
