/*
 * property_gen: writes random but valid tcpsim scenarios for the property
 * test (tests/property.sh).
 *
 *   property_gen SEED N          scenario N of the series SEED, on stdout
 *   property_gen SEED FIRST LAST DIR
 *                                scenarios FIRST..LAST as DIR/pNNNNN.yaml
 *
 * Scenario N depends only on SEED and N (its own PRNG is seeded from both),
 * so one failing scenario is regenerated alone, byte for byte.
 *
 * Every scenario uses only keys documented in docs/scenarios.md and is
 * meant to load; a loader rejection is a bug here (or in the loader). The
 * applications are generated as a conversation in rounds, so that every
 * read step waits only for bytes the peer writes before it waits itself,
 * and at least one side closes: the runs end without reaching their
 * duration unless something is wrong. Sizes are bounded (a few hundred
 * kilobytes, a few hundred reads, waits of at most a second or two) so
 * that hundreds of runs take a minute.
 *
 * The first comment lines state what the driver checks against:
 *   # property: written_client=N written_server=M mtu=U client=A server=B ports=P,Q
 *     capture=C rbuf_client=R rbuf_server=S
 * written_* is what each side's script writes in all (an echo server
 * writes what it reads: the client's bytes) when neither side fails.
 *
 * Not generated: link duplication (no knob yet).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* splitmix64: small, well known, and enough for choosing knobs. */
static uint64_t rng_state;

static uint64_t next64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * ECN's knobs (tcp.ecn, ecn_threshold) come from a stream of their own, so
 * that adding them left every other choice of the series as it was: the
 * scenarios only gained lines.
 */
static uint64_t ecn_state;

static uint64_t ecn_below(uint64_t n)
{
	uint64_t z = (ecn_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return n ? (z ^ (z >> 31)) % n : 0;
}

/* RACK-TLP's knobs (rack, tlp, over tcp.sack) have a stream of their
 * own too, for the same reason. */
static uint64_t rack_state;

static uint64_t rack_below(uint64_t n)
{
	uint64_t z = (rack_state += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return n ? (z ^ (z >> 31)) % n : 0;
}

/* Uniform in [0, n). */
static uint64_t below(uint64_t n)
{
	return n ? next64() % n : 0;
}

/* Uniform in [lo, hi]. */
static uint64_t range(uint64_t lo, uint64_t hi)
{
	return lo + below(hi - lo + 1);
}

/* True with probability pct/100. */
static bool chance(unsigned pct)
{
	return below(100) < pct;
}

/* Roughly log-uniform in [lo, hi] (lo >= 1): small values as likely as large. */
static uint64_t logrange(uint64_t lo, uint64_t hi)
{
	unsigned blo = 0, bhi = 0, b;
	uint64_t a, z;

	while ((lo >> blo) > 1)
		blo++;
	while ((hi >> bhi) > 1)
		bhi++;
	b = (unsigned)range(blo, bhi);
	a = (uint64_t)1 << b;
	z = a + below(a);
	if (z < lo)
		z = lo;
	if (z > hi)
		z = hi;
	return z;
}

/* ---- output ---- */

static char *out;
static size_t out_len, out_cap;

static void emit(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void emit(const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(out + out_len, out_cap - out_len, fmt, ap);
		va_end(ap);
		if (n < 0)
			abort();
		if ((size_t)n < out_cap - out_len)
			break;
		out_cap = (out_cap + (size_t)n) * 2 + 4096;
		out = realloc(out, out_cap);
		if (!out)
			abort();
	}
	out_len += (size_t)n;
}

/* Sizes, times and percentages in the scenario language, in varied spellings. */
static const char *fmt_size(char *b, size_t bl, uint64_t n)
{
	switch (below(6)) {
	case 1:
		snprintf(b, bl, "%" PRIu64 "B", n);
		return b;
	case 2:
		if (n % 1024 == 0) {
			snprintf(b, bl, "%" PRIu64 "KiB", n / 1024);
			return b;
		}
		break;
	case 3:
		if (n % 1000 == 0) {
			snprintf(b, bl, "%" PRIu64 "KB", n / 1000);
			return b;
		}
		if (n % 100 == 0 && n >= 1000) {
			snprintf(b, bl, "%" PRIu64 ".%" PRIu64 "KB", n / 1000, n / 100 % 10);
			return b;
		}
		break;
	case 4:
		if (n % (1024 * 1024) == 0) {
			snprintf(b, bl, "%" PRIu64 "MiB", n / (1024 * 1024));
			return b;
		}
		break;
	}
	snprintf(b, bl, "%" PRIu64, n);
	return b;
}

static const char *fmt_time(char *b, size_t bl, uint64_t ns)
{
	const uint64_t s = 1000000000, ds = 100000000, ms = 1000000, us = 1000;

	if (ns == 0)
		snprintf(b, bl, chance(50) ? "0" : "0ms");
	else if (ns % s == 0 && chance(70))
		snprintf(b, bl, "%" PRIu64 "s", ns / s);
	else if (ns % ds == 0 && ns > s && chance(50))
		snprintf(b, bl, "%" PRIu64 ".%" PRIu64 "s", ns / s, ns / ds % 10);
	else if (ns % ms == 0)
		snprintf(b, bl, "%" PRIu64 "ms", ns / ms);
	else if (ns % us == 0)
		snprintf(b, bl, "%" PRIu64 "us", ns / us);
	else
		snprintf(b, bl, "%" PRIu64 "ns", ns);
	return b;
}

/* ppb parts per billion as a percentage: 12345678 is "1.2345678%". */
static const char *fmt_pct(char *b, size_t bl, uint64_t ppb)
{
	uint64_t whole = ppb / 10000000ull, frac = ppb % 10000000ull;
	char f[16];
	int i;

	if (ppb == 0)
		return snprintf(b, bl, chance(50) ? "0" : "0%%"), b;
	snprintf(f, sizeof(f), "%07" PRIu64, frac);
	for (i = 6; i >= 0 && f[i] == '0'; i--)
		f[i] = '\0';
	if (f[0])
		snprintf(b, bl, "%" PRIu64 ".%s%%", whole, f);
	else
		snprintf(b, bl, "%" PRIu64 "%%", whole);
	return b;
}

/* ---- the link ---- */

/* A percentage drawn from [0, max_pct], most of them small. */
static uint64_t pct_ppb(unsigned max_pct)
{
	uint64_t max = (uint64_t)max_pct * 10000000ull;
	/* Three decimals at most, e.g. 3.125%. */
	uint64_t v = below(max / 10000ull + 1) * 10000ull;
	if (chance(50))
		v = v * below(1001) / 1000 / 10000ull * 10000ull;  /* skew low */
	return v;
}

struct dir_cfg {
	bool has_rate, has_delay, has_queue, has_loss, has_drop, has_reorder, has_corrupt,
		has_blackout;
	uint64_t rate, delay, queue, loss, corrupt, reorder_p, reorder_delay, bo_start, bo_dur;
	bool queue_bytes;
	unsigned ndrop;
	uint64_t drop[40];
};

struct scn {
	uint64_t seed;
	unsigned mtu;
	unsigned max_loss_pct;       /* the worst loss of either direction */
	struct dir_cfg both, ab, ba;
};

static void gen_drops(struct dir_cfg *d)
{
	/* Bursts of consecutive packets and single drops; numbers stay unique. */
	unsigned bursts = (unsigned)range(1, 3);
	uint64_t at = range(1, 40);

	d->ndrop = 0;
	for (unsigned b = 0; b < bursts && d->ndrop < 30; b++) {
		unsigned len = chance(40) ? 1 : (unsigned)range(2, 8);
		for (unsigned i = 0; i < len && d->ndrop < 30; i++)
			d->drop[d->ndrop++] = at++;
		at += range(1, 60);
	}
	d->has_drop = d->ndrop > 0;
}

static void gen_dir(struct dir_cfg *d, unsigned mtu, bool override, unsigned *max_loss)
{
	unsigned p = override ? 25 : 60;   /* how likely each key is set */

	memset(d, 0, sizeof(*d));
	if (override ? chance(p) : true) {
		d->has_rate = true;
		d->rate = logrange(100000, 1000000000);   /* 100 kbit/s … 1 Gbit/s */
		if (d->rate >= 1000000)
			d->rate = d->rate / 1000000 * 1000000;
		else
			d->rate = d->rate / 1000 * 1000;
	}
	if (override ? chance(p) : true) {
		d->has_delay = true;
		d->delay = chance(10) ? 0 : logrange(1, 150) * 1000000ull;
		if (chance(15))
			d->delay += range(1, 999) * 1000ull;   /* microseconds too */
	}
	if (chance(override ? p : 50)) {
		d->has_queue = true;
		d->queue_bytes = chance(40);
		d->queue = d->queue_bytes ? range(mtu, 200 * (uint64_t)mtu) : logrange(1, 300);
	}
	if (chance(override ? p : 55)) {
		d->has_loss = true;
		d->loss = chance(15) ? pct_ppb(40) : pct_ppb(chance(50) ? 5 : 15);
	}
	if (chance(override ? p : 25))
		gen_drops(d);
	if (chance(override ? p : 25)) {
		d->has_reorder = true;
		d->reorder_p = pct_ppb(20);
		d->reorder_delay = chance(10) ? 0 : logrange(100, 50000) * 1000ull;
	}
	if (chance(override ? p / 2 : 20)) {
		d->has_corrupt = true;
		d->corrupt = pct_ppb(5);
	}
	if (chance(override ? p / 2 : 12)) {
		d->has_blackout = true;
		d->bo_start = below(3000) * 1000000ull;
		d->bo_dur = logrange(10, 20000) * 1000000ull;
	}
	if (d->has_loss && d->loss / 10000000ull > *max_loss)
		*max_loss = (unsigned)(d->loss / 10000000ull);
}

static void emit_dir(const struct dir_cfg *d, const char *indent)
{
	char b[64];

	if (d->has_rate) {
		if (d->rate % 1000000000ull == 0)
			emit("%srate: %" PRIu64 "Gbps\n", indent, d->rate / (uint64_t)1000000000);
		else if (d->rate % 1000000ull == 0)
			emit("%srate: %" PRIu64 "Mbps\n", indent, d->rate / (uint64_t)1000000);
		else
			emit("%srate: %" PRIu64 "Kbps\n", indent, d->rate / (uint64_t)1000);
	}
	if (d->has_delay)
		emit("%sdelay: %s\n", indent, fmt_time(b, sizeof(b), d->delay));
	if (d->has_queue) {
		if (d->queue_bytes)
			emit("%squeue: %" PRIu64 "B\n", indent, d->queue);
		else
			emit("%squeue: %" PRIu64 "\n", indent, d->queue);
	}
	if (d->has_loss)
		emit("%sloss: %s\n", indent, fmt_pct(b, sizeof(b), d->loss));
	if (d->has_drop) {
		/* Order does not matter to the loader: write some lists shuffled. */
		uint64_t v[40];
		memcpy(v, d->drop, d->ndrop * sizeof(v[0]));
		if (chance(30))
			for (unsigned i = d->ndrop; i > 1; i--) {
				unsigned j = (unsigned)below(i);
				uint64_t t = v[i - 1];
				v[i - 1] = v[j];
				v[j] = t;
			}
		emit("%sdrop: [", indent);
		for (unsigned i = 0; i < d->ndrop; i++)
			emit("%s%" PRIu64, i ? ", " : "", v[i]);
		emit("]\n");
	}
	if (d->has_reorder) {
		char t[64];
		emit("%sreorder: {probability: %s, delay: %s}\n", indent,
		     fmt_pct(b, sizeof(b), d->reorder_p), fmt_time(t, sizeof(t), d->reorder_delay));
	}
	if (d->has_corrupt)
		emit("%scorrupt: %s\n", indent, fmt_pct(b, sizeof(b), d->corrupt));
	if (d->has_blackout) {
		char t[64];
		emit("%sblackout: {start: %s, duration: %s}\n", indent,
		     fmt_time(b, sizeof(b), d->bo_start), fmt_time(t, sizeof(t), d->bo_dur));
	}
}

/* ---- hosts ---- */

/*
 * A buffer size, 1 KiB … 16 MiB: log-uniform, or one of the sizes where
 * window arithmetic has edges: 65535 or 65536 times a power of two (the
 * largest field at a scale, one past it), a power of two, either of them
 * plus or minus one.
 */
static uint64_t buffer_size(void)
{
	uint64_t v;

	if (chance(50))
		return logrange(1024, 16 * 1024 * 1024);
	switch (below(3)) {
	case 0: v = (uint64_t)65535 << below(9); break;
	case 1: v = (uint64_t)65536 << below(8); break;
	default: v = (uint64_t)1 << range(10, 24); break;
	}
	switch (below(4)) {
	case 0: v--; break;
	case 1: v++; break;
	}
	return v < 1024 ? 1024 : v > 16 * 1024 * 1024 ? 16 * 1024 * 1024 : v;
}

struct host {
	const char *role;
	char addr[20];
	unsigned port;
	bool set_addr, set_port;
	/* tcp keys, each written only when set */
	bool s_mss, s_sbuf, s_rbuf, s_ws, s_ts, s_icwnd, s_irto, s_minrto, s_maxrto, s_retries,
		s_synretries, s_msl, s_cc, s_abc, s_lt, s_dack, s_qack, s_nagle, s_iss, s_sack,
		s_recovery;
	unsigned mss, icwnd, retries, synretries, abc, qack, recovery;
	uint64_t sbuf, rbuf, irto, minrto, maxrto, msl, dack, iss;
	bool ws, ts, lt, nagle, reno, sack;
	bool s_ecn, ecn;             /* tcp.ecn (its own stream: ecn_below) */
	bool rack, tlp;             /* RACK-TLP (RFC 8985) over sack (its own stream: rack_below) */
	/* read pacing */
	bool paced;
	uint64_t read_bytes, read_every;
};

static void gen_tcp(struct host *h, unsigned mtu, unsigned max_loss)
{
	unsigned maxmss = mtu - 40 < 9000 ? mtu - 40 : 9000;

	if ((h->s_mss = chance(35)))
		h->mss = maxmss <= 88 ? maxmss : (unsigned)logrange(88, maxmss);
	if ((h->s_sbuf = chance(30)))
		h->sbuf = buffer_size();
	if ((h->s_rbuf = chance(35)))
		h->rbuf = buffer_size();
	if ((h->s_ws = chance(30)))
		h->ws = chance(50);
	if ((h->s_ts = chance(35)))
		h->ts = chance(70);
	if ((h->s_icwnd = chance(20)))
		h->icwnd = chance(70) ? (unsigned)range(1, 10) : (unsigned)logrange(1, 100);
	if ((h->s_irto = chance(20)))
		h->irto = logrange(50, 3000) * 1000000ull;
	if ((h->s_minrto = chance(30)))
		h->minrto = logrange(10, 1000) * 1000000ull;
	if ((h->s_maxrto = chance(20))) {
		uint64_t lo = h->s_minrto ? h->minrto : 1000000000ull;
		h->maxrto = lo + logrange(1, 60000) * 1000000ull;
		if (h->maxrto > 60000000000ull)
			h->maxrto = lo > 60000000000ull ? lo : 60000000000ull;
	}
	if ((h->s_retries = chance(15)))
		h->retries = max_loss >= 20 ? (unsigned)range(4, 15) : (unsigned)range(1, 15);
	if ((h->s_synretries = chance(10)))
		h->synretries = (unsigned)range(1, 8);
	if ((h->s_msl = chance(50)))
		h->msl = chance(30) ? 0 : logrange(1, 30000) * 1000000ull;
	if ((h->s_cc = chance(20)))
		h->reno = chance(50);
	if ((h->s_abc = chance(15)))
		h->abc = (unsigned)range(1, 2);
	if ((h->s_lt = chance(15)))
		h->lt = chance(50);
	if ((h->s_dack = chance(35)))
		h->dack = chance(30) ? 0 : range(1, 499) * 1000000ull;
	if ((h->s_qack = chance(20)))
		h->qack = (unsigned)(chance(50) ? range(0, 16) : logrange(1, 1000));
	if ((h->s_nagle = chance(35)))
		h->nagle = chance(50);
	if ((h->s_iss = chance(25)))
		h->iss = chance(50) ? range(4294967295ull - 200000, 4294967295ull) : below(4294967296ull);
	/* SACK (in use when both hosts offer it) and its recovery, about a
	 * quarter of the scenarios with both. */
	if ((h->s_sack = chance(60)))
		h->sack = chance(85);
	if ((h->s_recovery = chance(50)))
		h->recovery = (unsigned)range(0, 2);
}

static void emit_tcp(const struct host *h)
{
	char b[64];
	bool any = h->s_mss || h->s_sbuf || h->s_rbuf || h->s_ws || h->s_ts || h->s_icwnd ||
		   h->s_irto || h->s_minrto || h->s_maxrto || h->s_retries || h->s_synretries ||
		   h->s_msl || h->s_cc || h->s_abc || h->s_lt || h->s_dack || h->s_qack ||
		   h->s_nagle || h->s_iss || h->s_ecn || h->s_sack || h->s_recovery;
	static const char *const RECOVERIES[] = { "prr", "prr-crb", "rfc6675" };

	if (!any)
		return;
	emit("  tcp:\n");
	if (h->s_mss)
		emit("    mss: %u\n", h->mss);
	if (h->s_sbuf)
		emit("    send_buffer: %s\n", fmt_size(b, sizeof(b), h->sbuf));
	if (h->s_rbuf)
		emit("    receive_buffer: %s\n", fmt_size(b, sizeof(b), h->rbuf));
	if (h->s_ws)
		emit("    window_scaling: %s\n", h->ws ? "true" : "false");
	if (h->s_ts)
		emit("    timestamps: %s\n", h->ts ? "true" : "false");
	if (h->s_icwnd)
		emit("    initial_cwnd: %u\n", h->icwnd);
	if (h->s_irto)
		emit("    initial_rto: %s\n", fmt_time(b, sizeof(b), h->irto));
	if (h->s_minrto)
		emit("    min_rto: %s\n", fmt_time(b, sizeof(b), h->minrto));
	if (h->s_maxrto)
		emit("    max_rto: %s\n", fmt_time(b, sizeof(b), h->maxrto));
	if (h->s_retries)
		emit("    max_retries: %u\n", h->retries);
	if (h->s_synretries)
		emit("    syn_retries: %u\n", h->synretries);
	if (h->s_msl)
		emit("    msl: %s\n", fmt_time(b, sizeof(b), h->msl));
	if (h->s_cc)
		emit("    congestion_control: %s\n", h->reno ? "reno" : "newreno");
	if (h->s_abc)
		emit("    byte_counting_limit: %u\n", h->abc);
	if (h->s_lt)
		emit("    limited_transmit: %s\n", h->lt ? "true" : "false");
	if (h->s_dack)
		emit("    delayed_ack: %s\n", fmt_time(b, sizeof(b), h->dack));
	if (h->s_qack)
		emit("    quick_ack: %u\n", h->qack);
	if (h->s_nagle)
		emit("    nagle: %s\n", h->nagle ? "true" : "false");
	if (h->s_iss)
		emit("    iss: %" PRIu64 "\n", h->iss);
	if (h->s_ecn)
		emit("    ecn: %s\n", h->ecn ? "true" : "false");
	if (h->s_sack) {
		emit("    sack: %s\n", h->sack ? "true" : "false");
		if (h->rack)
			emit("    rack: true\n");
		if (h->tlp)
			emit("    tlp: true\n");
	}
	if (h->s_recovery)
		emit("    recovery: %s\n", RECOVERIES[h->recovery]);
}

/* ---- applications: a conversation in rounds ---- */

/* A script under construction: YAML lines, indented below "app:". */
struct script {
	char *text;
	size_t len, cap;
	unsigned nsteps;      /* top-level steps */
	bool closes;          /* has a close step */
	bool aborts;          /* has an abort step */
};

static void sadd(struct script *s, int depth, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void sadd(struct script *s, int depth, const char *fmt, ...)
{
	char line[2048];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(line))
		abort();
	while (s->len + (size_t)n + 2 * (size_t)depth + 8 > s->cap) {
		s->cap = s->cap * 2 + 1024;
		s->text = realloc(s->text, s->cap);
		if (!s->text)
			abort();
	}
	for (int i = 0; i < depth; i++) {
		s->text[s->len++] = ' ';
		s->text[s->len++] = ' ';
	}
	memcpy(s->text + s->len, line, (size_t)n);
	s->len += (size_t)n;
	s->text[s->len++] = '\n';
	s->text[s->len] = '\0';
	if (depth == 2)
		s->nsteps++;
}

/*
 * A send step of text: its YAML form goes into s, its length is returned.
 * Double-quoted (with escapes), single-quoted or a literal block.
 */
static uint64_t text_step(struct script *s, int depth)
{
	static const char safe[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,;:!?/()=+-_*&%$@~<>[]{}#^|";
	char y[1400];
	size_t yl = 0;
	uint64_t len = 0;
	unsigned n = (unsigned)logrange(1, 300), style = (unsigned)below(10);

	if (style < 6) {                /* "double quoted" with escapes */
		y[yl++] = '"';
		for (unsigned i = 0; i < n; i++) {
			unsigned r = (unsigned)below(40);
			if (r == 0) {
				memcpy(y + yl, "\\r\\n", 4), yl += 4, len += 2;
			} else if (r == 1) {
				memcpy(y + yl, "\\t", 2), yl += 2, len++;
			} else if (r == 2) {
				memcpy(y + yl, "\\\"", 2), yl += 2, len++;
			} else if (r == 3) {
				memcpy(y + yl, "\\\\", 2), yl += 2, len++;
			} else {
				y[yl++] = safe[below(sizeof(safe) - 1)];
				len++;
			}
		}
		y[yl++] = '"';
		y[yl] = '\0';
		sadd(s, depth, "- send: %s", y);
	} else if (style < 9) {         /* 'single quoted': '' is one quote */
		y[yl++] = '\'';
		for (unsigned i = 0; i < n; i++) {
			if (below(30) == 0) {
				y[yl++] = '\'';
				y[yl++] = '\'';
			} else {
				y[yl++] = safe[below(sizeof(safe) - 1)];
			}
			len++;
		}
		y[yl++] = '\'';
		y[yl] = '\0';
		sadd(s, depth, "- send: %s", y);
	} else {                        /* a literal block: each line ends with \n */
		unsigned lines = (unsigned)range(1, 4);
		sadd(s, depth, "- send: |");
		for (unsigned l = 0; l < lines; l++) {
			unsigned w = (unsigned)range(1, 60);
			yl = 0;
			y[yl++] = 'a' + (char)below(26);   /* no leading space or '#' */
			for (unsigned i = 1; i < w; i++)
				y[yl++] = safe[below(sizeof(safe) - 1)];
			while (yl > 1 && y[yl - 1] == ' ')
				yl--;                         /* no trailing blanks */
			y[yl] = '\0';
			sadd(s, depth + 2, "%s", y);
			len += yl + 1;
		}
	}
	return len;
}

/* Bytes one side writes in a round, most of them small. */
static uint64_t bulk_size(uint64_t budget)
{
	uint64_t n;

	switch (below(4)) {
	case 0: n = range(1, 100); break;
	case 1: n = logrange(100, 5000); break;
	case 2: n = logrange(1000, 50000); break;
	default: n = logrange(10000, 400000); break;
	}
	if (n > budget)
		n = budget;
	return n ? n : 1;
}

/*
 * One group of writes: 1–3 sends (counts or text), sometimes a wait
 * between them, sometimes as a nested repeat. Returns the bytes written.
 */
static uint64_t send_group(struct script *s, int depth, uint64_t budget)
{
	char b[64];
	uint64_t total = 0;
	unsigned k = (unsigned)range(1, 3);

	if (chance(10) && budget >= 100) {
		/* repeat: {times: T, steps: [send: n]} — a train of small writes */
		unsigned t = (unsigned)range(2, 20);
		uint64_t n = range(1, budget / t > 2000 ? 2000 : budget / t);
		sadd(s, depth, "- repeat:");
		sadd(s, depth + 2, "times: %u", t);
		sadd(s, depth + 2, "steps:");
		sadd(s, depth + 3, "- send: %s", fmt_size(b, sizeof(b), n));
		if (chance(30))
			sadd(s, depth + 3, "- wait: %s", fmt_time(b, sizeof(b), range(1, 50) * 1000000ull));
		return n * t;
	}
	for (unsigned i = 0; i < k && total < budget; i++) {
		if (i > 0 && chance(25))
			sadd(s, depth, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 300) * 1000000ull));
		if (chance(25)) {
			total += text_step(s, depth);
		} else {
			uint64_t n = bulk_size(budget - total);
			sadd(s, depth, "- send: %s", fmt_size(b, sizeof(b), n));
			total += n;
		}
	}
	return total;
}

/* A read step waiting for up to n bytes (sometimes fewer: it ends earlier). */
static void read_step(struct script *s, int depth, uint64_t n)
{
	char b[64];

	if (n == 0)
		return;
	if (chance(20) && n > 1)
		n = range(1, n);
	sadd(s, depth, "- read: %s", fmt_size(b, sizeof(b), n));
}

enum server_kind { SRV_SINK, SRV_ECHO, SRV_SCRIPT, SRV_NONE };

struct convo {
	enum server_kind kind;
	struct script cli, srv;
	uint64_t cli_bytes, srv_bytes;   /* what each side's script writes */
	bool refused;                    /* the connect goes to a closed port */
};

/* What is left of the budget (a text step may overshoot it). */
static uint64_t room(uint64_t budget, const struct convo *c)
{
	uint64_t used = c->cli_bytes + c->srv_bytes;

	return used < budget ? budget - used : 0;
}

static void gen_convo(struct convo *c, unsigned max_loss, unsigned server_port, unsigned smss)
{
	char b[64];
	unsigned r = (unsigned)below(100), rounds;
	/*
	 * A lossy path gets a smaller transfer, counted in segments too: at
	 * 40% loss each way a segment can take minutes (RTOs backing off to
	 * max_rto), so that the run ends well within its duration.
	 */
	uint64_t segs = max_loss >= 20 ? 40 : max_loss >= 10 ? 400 : 4000;
	uint64_t budget = max_loss >= 20 ? 30000 : max_loss >= 10 ? 150000 : 500000;

	if (budget > segs * smss)
		budget = segs * smss;

	memset(c, 0, sizeof(*c));
	c->kind = r < 25 ? SRV_SINK : r < 45 ? SRV_ECHO : r < 96 ? SRV_SCRIPT : SRV_NONE;
	if (c->kind == SRV_ECHO)
		budget /= 2;                  /* the bytes travel both ways */

	if (chance(3) && c->kind != SRV_NONE) {
		unsigned port = (unsigned)range(1, 65535);
		if (port == server_port)
			port = port == 65535 ? 1 : port + 1;
		sadd(&c->cli, 2, "- connect: %u", port);
		c->refused = true;
	} else {
		sadd(&c->cli, 2, "- connect");
	}
	if (chance(10))
		sadd(&c->cli, 2, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 2000) * 1000000ull));

	rounds = (unsigned)(c->kind == SRV_SCRIPT ? range(0, 4) : range(1, 3));
	for (unsigned i = 0; i < rounds; i++) {
		/* A round in a repeat block on both sides: times T each. */
		unsigned times = chance(15) ? (unsigned)range(2, 5) : 1;
		int cd = 2, sd = 2;
		uint64_t x = 0, y = 0, left = room(budget, c);

		if (left < 2)
			break;
		left /= times;
		if (times > 1) {
			sadd(&c->cli, 2, "- repeat:");
			sadd(&c->cli, 4, "times: %u", times);
			sadd(&c->cli, 4, "steps:");
			cd = 5;
		}
		if (c->kind != SRV_SCRIPT || chance(85))
			x = send_group(&c->cli, cd, c->kind == SRV_SCRIPT ? left / 2 : left);
		if (c->kind == SRV_ECHO && chance(60)) {
			read_step(&c->cli, cd, x);    /* the echo of this round */
		} else if (c->kind == SRV_SCRIPT) {
			bool srv_steps = false;
			if (times > 1) {
				sadd(&c->srv, 2, "- repeat:");
				sadd(&c->srv, 4, "times: %u", times);
				sadd(&c->srv, 4, "steps:");
				sd = 5;
			}
			if (x && chance(75)) {
				read_step(&c->srv, sd, x);
				srv_steps = true;
			}
			if (chance(20)) {
				sadd(&c->srv, sd, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 500) * 1000000ull));
				srv_steps = true;
			}
			if (chance(80)) {
				y = send_group(&c->srv, sd, left - x > 1 ? left - x : 1);
				srv_steps = true;
			}
			if (!srv_steps)
				sadd(&c->srv, sd, "- wait: 1ms");
			if (y && chance(70))
				read_step(&c->cli, cd, y);
		}
		if (cd == 5 && c->cli.len && c->cli.text[c->cli.len - 2] == ':') {
			/* the repeat's steps ended up empty: give it one */
			sadd(&c->cli, cd, "- wait: 1ms");
		}
		c->cli_bytes += x * times;
		c->srv_bytes += y * times;
	}

	/* How it ends: the client closes or aborts, or leaves it to the server. */
	r = (unsigned)below(100);
	if (c->kind == SRV_SCRIPT && r < 15) {
		/* The server closes first; the client closes on its FIN. */
		if (chance(30))
			sadd(&c->srv, 2, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 1000) * 1000000ull));
		if (chance(10)) {
			sadd(&c->srv, 2, "- abort");
			c->srv.aborts = true;
		} else {
			sadd(&c->srv, 2, "- close");
			c->srv.closes = true;
		}
		if (chance(30))
			read_step(&c->cli, 2, c->srv_bytes);
	} else if (r < 25 && c->kind != SRV_NONE) {
		/* The client aborts: one RST, queued data discarded. */
		if (chance(60))
			sadd(&c->cli, 2, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 2000) * 1000000ull));
		sadd(&c->cli, 2, "- abort");
		c->cli.aborts = true;
	} else {
		if (chance(20))
			sadd(&c->cli, 2, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 1000) * 1000000ull));
		sadd(&c->cli, 2, "- close");
		c->cli.closes = true;
		if (c->kind == SRV_SCRIPT && chance(40)) {
			/* Half-close: the server answers after the client's FIN. */
			uint64_t left = room(budget, c);
			uint64_t z;
			if (chance(50))
				sadd(&c->srv, 2, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 500) * 1000000ull));
			z = send_group(&c->srv, 2, left > 1 ? left : 1);
			c->srv_bytes += z;
			if (chance(50))
				read_step(&c->cli, 2, c->srv_bytes);
		}
		if (c->kind == SRV_SCRIPT && chance(40)) {
			sadd(&c->srv, 2, "- close");
			c->srv.closes = true;
		}
	}
	if (c->kind == SRV_SCRIPT && c->srv.nsteps == 0)
		sadd(&c->srv, 2, "- wait: %s", fmt_time(b, sizeof(b), logrange(1, 100) * 1000000ull));
	if (c->kind == SRV_ECHO)
		c->srv_bytes = c->cli_bytes;
}

/* Read pacing that lets the whole transfer be read within a few hundred reads. */
static void gen_pacing(struct host *h, uint64_t incoming)
{
	if (!chance(20))
		return;
	h->paced = true;
	h->read_bytes = logrange(1, 65536);
	if (incoming / h->read_bytes > 400)
		h->read_bytes = incoming / 400 + 1;
	h->read_every = logrange(1, 500) * 1000000ull;
	if (chance(10))
		h->read_every = range(1, 999) * 1000ull;
}

static void emit_host(const struct host *h, const struct convo *c, bool server)
{
	char b[64], t[64];

	emit("%s:\n", h->role);
	if (h->set_addr)
		emit("  address: %s\n", h->addr);
	if (h->set_port)
		emit("  port: %u\n", h->port);
	emit_tcp(h);
	if (h->paced)
		emit("  read: {bytes: %s, every: %s}\n", fmt_size(b, sizeof(b), h->read_bytes),
		     fmt_time(t, sizeof(t), h->read_every));
	if (!server) {
		emit("  app:\n%s", c->cli.text);
	} else {
		switch (c->kind) {
		case SRV_SINK: emit("  app: sink\n"); break;
		case SRV_ECHO: emit("  app: echo\n"); break;
		case SRV_NONE: emit("  app: none\n"); break;
		case SRV_SCRIPT: emit("  app:\n%s", c->srv.text); break;
		}
	}
}

static void pick_addr(struct host *h, const char *def, unsigned defport, const char *other)
{
	static const char *nets[] = { "192.0.2.", "198.51.100.", "203.0.113.", "10.0.0." };

	snprintf(h->addr, sizeof(h->addr), "%s", def);
	h->port = defport;
	if ((h->set_addr = chance(15))) {
		do
			snprintf(h->addr, sizeof(h->addr), "%s%u", nets[below(4)], (unsigned)range(1, 254));
		while (other && strcmp(h->addr, other) == 0);
	}
	if ((h->set_port = chance(15)))
		h->port = (unsigned)range(1, 65535);
}

/* The payload of a full-sized segment, as both sides will use it. */
static unsigned eff_mss(const struct host *a, const struct host *b, unsigned mtu)
{
	unsigned m = mtu - 40;

	if (a->s_mss && a->mss < m)
		m = a->mss;
	if (b->s_mss && b->mss < m)
		m = b->mss;
	if (a->s_ts && a->ts && b->s_ts && b->ts)
		m -= 12;
	return m;
}

static void generate(uint64_t series, uint64_t n)
{
	static const unsigned mtus[] = { 128, 296, 576, 1006, 1280, 1500, 1500, 1500, 1500,
					 4352, 8000, 9000, 9040, 9100, 16384 };
	struct scn s;
	struct host cli, srv;
	struct convo c;
	const char *capture;
	unsigned max_loss = 0;
	uint64_t ecn_threshold;

	rng_state = series * 0x2545f4914f6cdd1dull ^ (n + 1) * 0x9e3779b97f4a7c15ull;
	for (int i = 0; i < 4; i++)
		(void)next64();

	memset(&s, 0, sizeof(s));
	memset(&cli, 0, sizeof(cli));
	memset(&srv, 0, sizeof(srv));
	cli.role = "client";
	srv.role = "server";
	s.seed = chance(80) ? range(1, 100000) : next64();
	s.mtu = chance(40) ? 1500 : mtus[below(sizeof(mtus) / sizeof(mtus[0]))];
	gen_dir(&s.both, s.mtu, false, &max_loss);
	if (chance(40))
		gen_dir(&s.ab, s.mtu, true, &max_loss);
	if (chance(40))
		gen_dir(&s.ba, s.mtu, true, &max_loss);

	pick_addr(&cli, "192.0.2.1", 49152, NULL);
	pick_addr(&srv, "192.0.2.2", 8000, cli.addr);
	if (strcmp(cli.addr, srv.addr) == 0) {
		srv.set_addr = true;
		snprintf(srv.addr, sizeof(srv.addr), "%s", strcmp(cli.addr, "192.0.2.2") ? "192.0.2.2" : "192.0.2.3");
	}
	gen_tcp(&cli, s.mtu, max_loss);
	gen_tcp(&srv, s.mtu, max_loss);
	gen_convo(&c, max_loss, srv.port, eff_mss(&cli, &srv, s.mtu));
	gen_pacing(&cli, c.srv_bytes);
	gen_pacing(&srv, c.cli_bytes);

	/* ECN: on at both hosts in half the scenarios (else at one, or none),
	 * and a marking threshold below every queue counted in packets (the
	 * default 100 where none is set) in two thirds of those. */
	ecn_state = series * 0x6a09e667f3bcc909ull ^ (n + 1) * 0xbb67ae8584caa73bull;
	ecn_threshold = 0;
	if ((cli.s_ecn = ecn_below(100) < 70))
		cli.ecn = ecn_below(100) < 80;
	if ((srv.s_ecn = ecn_below(100) < 70))
		srv.ecn = ecn_below(100) < 80;
	if (ecn_below(3) < 2) {
		uint64_t q = 100;
		const struct dir_cfg *dirs[] = { &s.both, &s.ab, &s.ba };

		for (int i = 0; i < 3; i++)
			if (dirs[i]->has_queue && !dirs[i]->queue_bytes && dirs[i]->queue < q)
				q = dirs[i]->queue;
		if (q >= 2)
			ecn_threshold = 1 + ecn_below(q - 1);
	}

	/* Over a host's SACK, RACK in most scenarios and TLP over RACK in
	 * most of those (RFC 8985), from a stream of their own. */
	rack_state = series * 0x3c6ef372fe94f82bull ^ (n + 1) * 0xa54ff53a5f1d36f1ull;
	for (int i = 0; i < 2; i++) {
		struct host *h = i ? &srv : &cli;

		h->rack = h->s_sack && h->sack && rack_below(100) < 70;
		h->tlp = h->rack && rack_below(100) < 70;
	}

	switch (below(10)) {
	case 0: case 1: capture = "server"; break;
	case 2: case 3: capture = "both"; break;
	default: capture = "client"; break;
	}

	emit("# property: written_client=%" PRIu64 " written_server=%" PRIu64
	     " mtu=%u client=%s server=%s ports=%u,%u capture=%s rbuf_client=%" PRIu64
	     " rbuf_server=%" PRIu64 "\n",
	     c.cli_bytes, c.srv_bytes, s.mtu, cli.addr, srv.addr, cli.port, srv.port, capture,
	     cli.s_rbuf ? cli.rbuf : 131072, srv.s_rbuf ? srv.rbuf : 131072);
	emit("# Generated: tests/property_gen %" PRIu64 " %" PRIu64 "\n", series, n);
	emit("name: prop-%" PRIu64 "-%" PRIu64 "\n", series, n);
	emit("seed: %" PRIu64 "\n", s.seed);
	emit("duration: %s\n", chance(50) ? "3600s" : "60min");
	emit("link:\n");
	emit_dir(&s.both, "  ");
	if (ecn_threshold)
		emit("  ecn_threshold: %" PRIu64 "\n", ecn_threshold);
	if (s.mtu != 1500 || chance(20))
		emit("  mtu: %u\n", s.mtu);
	if (s.ab.has_rate || s.ab.has_delay || s.ab.has_queue || s.ab.has_loss || s.ab.has_drop ||
	    s.ab.has_reorder || s.ab.has_corrupt || s.ab.has_blackout) {
		emit("  a_to_b:\n");
		emit_dir(&s.ab, "    ");
	}
	if (s.ba.has_rate || s.ba.has_delay || s.ba.has_queue || s.ba.has_loss || s.ba.has_drop ||
	    s.ba.has_reorder || s.ba.has_corrupt || s.ba.has_blackout) {
		emit("  b_to_a:\n");
		emit_dir(&s.ba, "    ");
	}
	emit_host(&cli, &c, false);
	emit_host(&srv, &c, true);
	if (chance(70)) {
		emit("capture: %s\n", capture);
	} else {
		emit("capture:\n  at: %s\n", capture);
		if (chance(40))
			emit("  link_type: %s\n", chance(50) ? "raw" : "ethernet");
		if (chance(15))
			emit("  snaplen: %" PRIu64 "\n", logrange(96, 262144));
	}
	free(c.cli.text);
	free(c.srv.text);
}

static uint64_t arg_u64(const char *s)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end) {
		fprintf(stderr, "property_gen: '%s' is not a number\n", s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	if (argc == 3) {
		generate(arg_u64(argv[1]), arg_u64(argv[2]));
		fwrite(out, 1, out_len, stdout);
		return ferror(stdout) ? 1 : 0;
	}
	if (argc == 5) {
		uint64_t series = arg_u64(argv[1]), first = arg_u64(argv[2]), last = arg_u64(argv[3]);
		for (uint64_t n = first; n <= last; n++) {
			char path[4096];
			FILE *f;
			out_len = 0;
			generate(series, n);
			snprintf(path, sizeof(path), "%s/p%05" PRIu64 ".yaml", argv[4], n);
			if (!(f = fopen(path, "w")) || fwrite(out, 1, out_len, f) != out_len ||
			    fclose(f) != 0) {
				perror(path);
				return 1;
			}
		}
		return 0;
	}
	fprintf(stderr, "usage: property_gen SEED N\n       property_gen SEED FIRST LAST DIR\n");
	return 2;
}
