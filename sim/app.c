/*
 * app: scripted clients and servers, sink and echo (see app.h).
 *
 * A script advances one step at a time: connect waits for ESTABLISHED, send
 * waits until all its bytes are in TCP's send buffer (a blocking write),
 * wait and at arm a timer, read waits until enough has been read, close and
 * abort act at once. A respond server runs a script of its own making
 * (read the request, wait, send the response) over and over until the
 * peer's FIN ends a read that has not got a whole request. Reading never waits for a step: data is read and
 * checked whenever TCP says it is readable, or on the read-pacing timer.
 *
 * An application that has read everything there is and reads again at once
 * is blocked in read(): it posts that read to TCP (tcp_recv_post), which
 * fills it as the next data arrives, before it acknowledges that data, and
 * wakes the application with TCP_EV_READABLE. Not blocked in read: a paced
 * reader between reads (it waits for its timer), and an echo server whose
 * send buffer is full (it is blocked in write()).
 */
#include "app.h"

#include <stdlib.h>
#include <string.h>

#define PATTERN_LINE 64
#define IO_CHUNK 65536

/*
 * A line as eight 64-bit words in memory order, so that whole lines are
 * written and compared a word at a time. Words 3 to 7 (bytes 24 to 63:
 * filler and newline) are the same on every line; words 0 to 2 (role, the
 * number, the space, the filler's first bytes) are kept in variables and
 * the next line made by adding to the number's last digits where they lie
 * in word 2 (bytes 16 to 18), so that no line is read back from memory
 * just after being stored.
 */
struct pattern_cursor {
	const char *role;            /* NULL: nothing rendered yet */
	uint64_t n;                  /* the line's number */
	uint64_t w0, w1, w2;         /* its first 24 bytes */
	uint64_t role_w0;            /* word 0 with no digit: the role and spaces */
};

struct app {
	struct engine *eng;
	const struct app_cfg *cfg;
	const char *role;
	uint32_t connect_addr;
	uint16_t connect_port;
	struct app *peer;
	struct tcp_ep *ep;

	const struct app_step *steps;  /* the script: cfg's, or respond's own */
	size_t nsteps;
	struct app_step own[3];        /* APP_RESPOND: read, wait, send */
	size_t step;                 /* next script step to run */
	bool step_busy;              /* the current step waits for TCP or a timer */
	uint64_t send_done;          /* bytes of the current send step already written */
	bool closed;                 /* we called tcp_close or tcp_abort */
	bool finished;               /* script over (or the connection died) */
	struct sim_timer wait_timer;
	uint64_t read_target;        /* sum of the read steps started so far */
	struct sim_timer read_timer; /* read pacing: the next read */
	bool has_read;               /* ... a paced read happened, at last_read_ns */
	uint64_t last_read_ns;

	uint64_t written;            /* stream offset of our next byte written */
	uint64_t viewed;             /* stream offset of the next byte read to check */
	struct pattern_cursor src_cur; /* where app_source and ... */
	struct pattern_cursor chk_cur; /* ... check_bytes left the pattern */
	uint8_t *buf;                /* IO_CHUNK bytes for reading and writing */
	uint8_t *rdbuf;              /* IO_CHUNK bytes for the read posted to TCP ... */
	bool posted;                 /* ... while one is */
	uint8_t *expect;             /* IO_CHUNK bytes for checking */
	/* An echo that writes its whole buffer: write k carried the input bytes
	 * [echo_in[k], echo_in[k+1]) and then zeros up to echo_buffer. */
	uint64_t *echo_in;
	size_t necho, echo_cap;
	uint64_t req_start_ns;       /* the current request's write began */
	uint64_t *latency;           /* st.requests entries */
	struct app_stats st;
};

static void run_script(struct app *a);
static void maybe_close(struct app *a);
static void response_read(struct app *a);

/*
 * The pattern is 64-byte lines, "client 000000000042 abc...PQ\n", numbered
 * from 0: the role (at most 6 bytes) padded with spaces to 7, the line
 * number in 12 decimal digits (modulo 10^12), a space, the 43 filler bytes
 * "abc...xyzABC...PQ", a newline.
 */
/* Bytes 24..63 of every line: the filler's last 39 bytes and the newline. */
static const union {
	char c[40];
	uint64_t w[5];
} pattern_tail = { .c = "efghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ\n" };

/* Bit position of byte k (0..7) of a word loaded from memory. */
static unsigned byte_shift(unsigned k)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	return first == 1 ? 8 * k : 56 - 8 * k;
}

/* Words 0 to 2 of line c->n, made in registers (bytes 7 to 18 the number). */
static void cursor_render(struct pattern_cursor *c)
{
	uint64_t w[3] = { c->role_w0, 0, 0 }, n = c->n;

	/* Bytes 19 to 23: the space and the filler's first four bytes. */
	w[2] = (uint64_t)' ' << byte_shift(3) | (uint64_t)'a' << byte_shift(4) |
	       (uint64_t)'b' << byte_shift(5) | (uint64_t)'c' << byte_shift(6) |
	       (uint64_t)'d' << byte_shift(7);
	for (unsigned k = 18; k >= 7; k--) {
		w[k / 8] |= (uint64_t)('0' + n % 10) << byte_shift(k % 8);
		n /= 10;
	}
	c->w0 = w[0];
	c->w1 = w[1];
	c->w2 = w[2];
}

static void cursor_init(struct pattern_cursor *c, const char *role, uint64_t n)
{
	c->role = role;
	c->role_w0 = 0;
	/* The role, at most 6 bytes, padded with spaces to 7. */
	for (unsigned k = 0; k < 7; k++) {
		uint8_t ch = ' ';
		if (k < 6 && *role)
			ch = (uint8_t)*role++;
		c->role_w0 |= (uint64_t)ch << byte_shift(k);
	}
	c->n = n;
	cursor_render(c);
}

/*
 * Adds one to the number, bytes 7 to 18 of the line, from byte 18 on. Never
 * inlined, and the cursor passed by value: the loops that step a copy of
 * the cursor keep it in registers, which a pointer into it chosen at run
 * time (as here) would prevent, and then every store through their byte
 * pointers would make the compiler load the copy again.
 */
static __attribute__((noinline)) struct pattern_cursor cursor_carry(struct pattern_cursor c)
{
	/* Byte k is in word k / 8. A 9 becomes 0 and carries; past
	 * 999999999999 it wraps to 0, as the number is the line's modulo 10^12. */
	for (unsigned k = 18; k >= 7; k--) {
		uint64_t *w = k >= 16 ? &c.w2 : k >= 8 ? &c.w1 : &c.w0;
		unsigned sh = byte_shift(k % 8);
		if ((*w >> sh & 0xff) != '9') {
			*w += 1ull << sh;
			break;
		}
		*w -= 9ull << sh;
	}
	return c;
}

/*
 * The last two digits of the number, bytes 18 and 17 of the line, are bytes
 * 2 and 1 of word 2: nine lines in ten change only byte 18, and 99 in 100
 * only those two. Steps them in w2; false, with w2 as it was, when the
 * number carries further (cursor_carry).
 */
static inline bool cursor_step_last_digits(uint64_t *w2)
{
	unsigned s18 = byte_shift(2), s17 = byte_shift(1);

	if ((*w2 >> s18 & 0xff) != '9') {
		*w2 += 1ull << s18;
	} else if ((*w2 >> s17 & 0xff) != '9') {
		*w2 -= 9ull << s18;          /* ...x9 to ...(x+1)0 */
		*w2 += 1ull << s17;
	} else {
		return false;
	}
	return true;
}

static inline void cursor_next(struct pattern_cursor *c)
{
	c->n++;
	if (!cursor_step_last_digits(&c->w2))
		*c = cursor_carry(*c);
}

/*
 * Puts c on line n of role's pattern. Consecutive calls go on where the
 * last one ended (the same line, or the next), which costs nothing.
 */
static void cursor_seek(struct pattern_cursor *c, const char *role, uint64_t n)
{
	if (c->role == role && c->n == n)
		return;
	if (c->role == role && c->n + 1 == n)
		cursor_next(c);
	else
		cursor_init(c, role, n);
}

/* The current line as bytes. */
static void cursor_line(const struct pattern_cursor *c, uint8_t line[PATTERN_LINE])
{
	memcpy(line, &c->w0, 8);
	memcpy(line + 8, &c->w1, 8);
	memcpy(line + 16, &c->w2, 8);
	memcpy(line + 24, pattern_tail.w, sizeof(pattern_tail.w));
}

/*
 * Two words, as 16 bytes in memory order: whole lines are written and
 * compared 16 bytes at a time (a vector register on most processors; the
 * compiler splits it where there is none).
 */
typedef uint64_t words2 __attribute__((vector_size(16)));

static inline void store128(uint8_t *p, words2 v)
{
	memcpy(p, &v, sizeof(v));
}

static inline words2 load128(const uint8_t *p)
{
	words2 v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Bytes 32 to 63 of every line, as words 4 and 5, 6 and 7. */
#define tail_45 ((words2){ pattern_tail.w[1], pattern_tail.w[2] })
#define tail_67 ((words2){ pattern_tail.w[3], pattern_tail.w[4] })

/* The 32-bit halves of w added, for a sum over 32-bit words. */
static inline uint64_t halves(uint64_t w)
{
	return (w & 0xffffffffu) + (w >> 32);
}

/* The first r bytes (0 < r < 8) of a word in memory order, set. */
static inline uint64_t first_bytes_mask(unsigned r)
{
	uint64_t m = (1ull << (8 * r)) - 1;      /* as stored little-endian */

	return byte_shift(1) == 8 ? m : __builtin_bswap64(m);
}

/*
 * The sums of the 32-bit words (host order) of words 3 .. 3 + i - 1 of a
 * line, the ones every line shares: tail_prefix[i], for i = 0 to 5.
 */
static uint64_t tail_prefix[6];

static const uint64_t *tail_prefixes(void)
{
	if (tail_prefix[5] == 0)
		for (unsigned k = 0; k < 5; k++)
			tail_prefix[k + 1] = tail_prefix[k] + halves(pattern_tail.w[k]);
	return tail_prefix;
}

/*
 * The sum of the 32-bit words (host order) of the first n bytes (n <= 64)
 * of the line c is on, the rest taken as zero, for inet_sum_of_words: the
 * whole words added as they are, the word n falls in masked.
 */
static uint64_t line_prefix_words(const struct pattern_cursor *c, size_t n)
{
	size_t k = n / 8;
	unsigned r = n % 8;
	uint64_t acc = 0;

	if (k > 0)
		acc += halves(c->w0);
	if (k > 1)
		acc += halves(c->w1);
	if (k > 2)
		acc += halves(c->w2) + tail_prefixes()[k - 3];
	if (r) {
		uint64_t w = k == 0 ? c->w0 : k == 1 ? c->w1 : k == 2 ? c->w2 : pattern_tail.w[k - 3];
		acc += halves(w & first_bytes_mask(r));
	}
	return acc;
}

/*
 * app_pattern, with c left on the line where it ends; returns
 * inet_sum(out, len, 0), made from the lines' words as they are written:
 * the partial first and last lines as differences of prefixes, the whole lines
 * from their three words that vary and one sum for the 40 bytes that do
 * not, each part swapped into place at its offset in out (RFC 1071 §2 (B)).
 */
static uint32_t pattern_fill(struct pattern_cursor *c, const char *role, uint64_t off,
			     uint8_t *out, size_t len)
{
	uint8_t line[PATTERN_LINE];
	size_t pos = off % PATTERN_LINE, head = 0;
	uint64_t tail = 0, acc = 0;
	uint32_t sum = 0;

	if (len == 0)
		return 0;
	cursor_seek(c, role, off / PATTERN_LINE);
	if (pos) {
		head = PATTERN_LINE - pos < len ? PATTERN_LINE - pos : len;
		cursor_line(c, line);
		memcpy(out, line + pos, head);
		sum = inet_sum_at(inet_sum_of_words(line_prefix_words(c, pos + head) -
						    line_prefix_words(c, pos)), pos);
		out += head;
		len -= head;
		if (pos + head < PATTERN_LINE)
			return sum;
		cursor_next(c);
	}
	for (unsigned k = 0; k < 5; k++)
		tail += halves(pattern_tail.w[k]);
	{
		/* A copy in registers: stores through out may alias *c. Words 0
		 * and 1 change only when the number carries past its last two
		 * digits, so their sum is kept with the tail's. */
		struct pattern_cursor k = *c;
		uint64_t fixed = halves(k.w0) + halves(k.w1) + tail;
		words2 w01 = { k.w0, k.w1 };

		for (; len >= PATTERN_LINE; len -= PATTERN_LINE, out += PATTERN_LINE) {
			words2 w23 = { k.w2, pattern_tail.w[0] };
			store128(out, w01);
			store128(out + 16, w23);
			store128(out + 32, tail_45);
			store128(out + 48, tail_67);
			acc += fixed + halves(k.w2);
			k.n++;
			if (!cursor_step_last_digits(&k.w2)) {
				k = cursor_carry(k);
				fixed = halves(k.w0) + halves(k.w1) + tail;
				w01 = (words2){ k.w0, k.w1 };
			}
		}
		*c = k;
	}
	/* The whole lines, and the last part, start head bytes (plus whole
	 * lines, an even count) into out. */
	sum += inet_sum_at(inet_sum_of_words(acc), head);
	if (len) {
		cursor_line(c, line);
		memcpy(out, line, len);
		sum += inet_sum_at(inet_sum_of_words(line_prefix_words(c, len)), head);
	}
	return inet_fold(sum);
}

uint32_t app_pattern(const char *role, uint64_t off, uint8_t *out, size_t len)
{
	struct pattern_cursor c = { .role = NULL };

	return pattern_fill(&c, role, off, out, len);
}

/* Index of the first byte where a and b differ; they differ within n. */
static size_t first_difference(const uint8_t *a, const uint8_t *b)
{
	size_t i = 0;

	while (a[i] == b[i])
		i++;
	return i;
}

/*
 * How many leading bytes of got[0..len) equal want[0..len). Eight bytes at
 * a time and then one at a time: the pieces compared here are parts of a
 * line, shorter than 64 bytes, where a call to memcmp costs more than the
 * compare.
 */
static size_t prefix_match(const uint8_t *got, const uint8_t *want, size_t len)
{
	size_t i = 0;

	for (; len - i >= 8; i += 8) {
		uint64_t g, w;
		memcpy(&g, got + i, 8);
		memcpy(&w, want + i, 8);
		if (g != w)
			return i + first_difference(got + i, want + i);
	}
	for (; i < len; i++)
		if (got[i] != want[i])
			return i;
	return len;
}

/* app_pattern_match, with c left on the line where it ends. */
static size_t pattern_match(struct pattern_cursor *c, const char *role, uint64_t off,
			    const uint8_t *got, size_t len)
{
	uint8_t line[PATTERN_LINE];
	size_t pos = off % PATTERN_LINE, done = 0;

	if (len == 0)
		return 0;
	cursor_seek(c, role, off / PATTERN_LINE);
	if (pos) {
		size_t take = PATTERN_LINE - pos < len ? PATTERN_LINE - pos : len;
		cursor_line(c, line);
		size_t m = prefix_match(got, line + pos, take);
		if (m < take || pos + take < PATTERN_LINE)
			return m;
		done = take;
		cursor_next(c);
	}
	{
		struct pattern_cursor k = *c;     /* in registers, as in pattern_fill */

		words2 w01 = { k.w0, k.w1 };

		for (; len - done >= PATTERN_LINE; done += PATTERN_LINE) {
			const uint8_t *g = got + done;
			words2 w23 = { k.w2, pattern_tail.w[0] };
			words2 diff = (load128(g) ^ w01) | (load128(g + 16) ^ w23) |
				      (load128(g + 32) ^ tail_45) | (load128(g + 48) ^ tail_67);
			if (diff[0] | diff[1])
				break;
			k.n++;
			if (!cursor_step_last_digits(&k.w2)) {
				k = cursor_carry(k);
				w01 = (words2){ k.w0, k.w1 };
			}
		}
		*c = k;
		if (len - done >= PATTERN_LINE) {
			cursor_line(c, line);
			return done + first_difference(got + done, line);
		}
	}
	if (len == done)
		return len;
	cursor_line(c, line);
	return done + prefix_match(got + done, line, len - done);
}

size_t app_pattern_match(const char *role, uint64_t off, const uint8_t *got, size_t len)
{
	struct pattern_cursor c = { .role = NULL };

	return pattern_match(&c, role, off, got, len);
}

static void stream_bytes(const struct app *w, uint64_t off, uint8_t *out, size_t len,
			 struct pattern_cursor *cur, uint32_t *sum);

/* The bytes [off, off+len) an echo that writes its whole buffer wrote. */
static void echo_stream(const struct app *w, uint64_t off, uint8_t *out, size_t len)
{
	uint64_t b = w->cfg->echo_buffer;

	while (len > 0) {
		uint64_t k = off / b, pos = off % b, carried;
		size_t take = b - pos < len ? (size_t)(b - pos) : len, text = 0;
		if (k >= w->necho) {
			memset(out, 0, len);    /* never written: nothing can match */
			return;
		}
		carried = w->echo_in[k + 1] - w->echo_in[k];
		if (pos < carried) {
			text = carried - pos < take ? (size_t)(carried - pos) : take;
			stream_bytes(w->peer, w->echo_in[k] + pos, out, text, NULL, NULL);
		}
		memset(out + text, 0, take - text);
		out += take;
		off += take;
		len -= take;
	}
}

/*
 * The send step of w's script that writes stream offset off, in *step,
 * and off's place in it, in *in; returns the bytes from off to the step's
 * end (0: off is past the end of what the script writes).
 */
static uint64_t send_step_at(const struct app *w, uint64_t off, const struct app_step **step,
			     uint64_t *in)
{
	uint64_t start = 0;

	for (size_t i = 0; i < w->nsteps; i++) {
		const struct app_step *s = &w->steps[i];
		uint64_t n;
		if (s->kind != STEP_SEND)
			continue;
		n = s->text ? s->text_len : s->bytes;
		if (off < start + n) {
			*step = s;
			*in = off - start;
			return n - *in;
		}
		start += n;
	}
	return 0;
}

/*
 * The bytes [off, off+len) that application w wrote: its send steps in
 * order, text as given, counts as the pattern at the same stream offset.
 * An echo server wrote what it read, that is, what its own peer wrote.
 * With sum, sets *sum to inet_sum(out, len, 0), found as the bytes are
 * made (the source of a segment's payload wants it; a check does not).
 */
static void stream_bytes(const struct app *w, uint64_t off, uint8_t *out, size_t len,
			 struct pattern_cursor *cur, uint32_t *sum)
{
	struct pattern_cursor own = { .role = NULL };
	uint32_t total = 0;
	size_t at = 0;

	if (!cur)
		cur = &own;
	if (w->cfg->kind == APP_ECHO && w->cfg->echo_whole && w->peer) {
		echo_stream(w, off, out, len);
		if (sum)
			*sum = inet_sum(out, len, 0);
		return;
	}
	if (w->cfg->kind == APP_ECHO && w->peer) {
		stream_bytes(w->peer, off, out, len, NULL, sum);
		return;
	}
	if (w->cfg->kind == APP_RESPOND) {
		/* Every response is the pattern, at its own stream offset. */
		uint32_t made = pattern_fill(cur, w->role, off, out, len);
		if (sum)
			*sum = made;
		return;
	}
	while (len > 0) {
		const struct app_step *s;
		uint64_t in, rest = send_step_at(w, off, &s, &in);
		size_t take = rest < len ? (size_t)rest : len;
		uint32_t part = 0;
		if (rest == 0)
			break;
		if (s->text) {
			memcpy(out, s->text + in, take);
			if (sum)
				part = inet_sum(out, take, 0);
		} else {
			part = pattern_fill(cur, w->role, off, out, take);
		}
		total += inet_sum_at(part, at);
		out += take;
		off += take;
		len -= take;
		at += take;
	}
	/* Past the end of what was written: nothing can match (and zeros add
	 * nothing to the sum). */
	if (len)
		memset(out, 0, len);
	if (sum)
		*sum = inet_fold(total);
}

/* How many leading bytes of got[0..len) are zero. */
static size_t zero_prefix(const uint8_t *got, size_t len)
{
	size_t i = 0;

	while (i < len && got[i] == 0)
		i++;
	return i;
}

/*
 * How many leading bytes of got[0..len) equal the bytes [off, off+len) that
 * application w wrote (stream_bytes), compared where they are: the pattern
 * line by line, text in place. scratch (IO_CHUNK bytes, len at most that)
 * holds the expected bytes of an echo, which come from its peer's stream.
 */
static size_t stream_match(const struct app *w, uint64_t off, const uint8_t *got, size_t len,
			   uint8_t *scratch, struct pattern_cursor *cur)
{
	size_t done = 0;

	if (w->cfg->kind == APP_ECHO && w->peer) {
		stream_bytes(w, off, scratch, len, NULL, NULL);
		return memcmp(got, scratch, len) == 0 ? len : first_difference(got, scratch);
	}
	if (w->cfg->kind == APP_RESPOND)
		return pattern_match(cur, w->role, off, got, len);
	while (done < len) {
		const struct app_step *s;
		uint64_t in, rest = send_step_at(w, off, &s, &in);
		size_t take = rest < len - done ? (size_t)rest : len - done, m;
		if (rest == 0)
			break;
		if (s->text)
			m = prefix_match(got + done, (const uint8_t *)s->text + in, take);
		else
			m = pattern_match(cur, w->role, off, got + done, take);
		done += m;
		if (m < take)
			return done;
		off += take;
	}
	/* Past the end of what was written: stream_bytes gives zeros. */
	return done + zero_prefix(got + done, len - done);
}

uint64_t app_planned_bytes(const struct app *a)
{
	uint64_t total = 0;

	if (a->cfg->kind == APP_ECHO || a->cfg->kind == APP_RESPOND)
		return UINT64_MAX;
	for (size_t i = 0; i < a->nsteps; i++)
		if (a->steps[i].kind == STEP_SEND)
			total += a->steps[i].text ? a->steps[i].text_len : a->steps[i].bytes;
	return total;
}

static void wait_done(struct sim_timer *t, uint64_t now_ns)
{
	struct app *a = container_of(t, struct app, wait_timer);

	(void)now_ns;
	a->step_busy = false;
	a->step++;
	run_script(a);
}

static void read_due(struct sim_timer *t, uint64_t now_ns);

struct app *app_new(struct engine *eng, const struct app_cfg *cfg, const char *role,
		    uint32_t connect_addr, uint16_t connect_port)
{
	struct app *a = calloc(1, sizeof(*a));

	if (!a)
		abort();
	a->eng = eng;
	a->cfg = cfg;
	a->role = role;
	a->connect_addr = connect_addr;
	a->connect_port = connect_port;
	a->buf = malloc(IO_CHUNK);
	a->rdbuf = malloc(IO_CHUNK);
	a->expect = malloc(IO_CHUNK);
	if (!a->buf || !a->rdbuf || !a->expect)
		abort();
	a->st.data_intact = true;
	a->steps = cfg->steps;
	a->nsteps = cfg->nsteps;
	if (cfg->kind == APP_RESPOND) {
		/* read: request, wait: delay, send: response, and again. */
		a->own[0].kind = STEP_READ;
		a->own[0].bytes = cfg->request_bytes;
		a->own[1].kind = STEP_WAIT;
		a->own[1].wait_ns = cfg->respond_delay_ns;
		a->own[2].kind = STEP_SEND;
		a->own[2].bytes = cfg->response_bytes;
		a->steps = a->own;
		a->nsteps = 3;
	}
	for (size_t i = 0; i < a->nsteps; i++)
		a->st.requests += a->steps[i].role == ROLE_REQUEST;
	if (a->st.requests) {
		a->latency = calloc(a->st.requests, sizeof(*a->latency));
		if (!a->latency)
			abort();
		a->st.latency_ns = a->latency;
	}
	if (cfg->kind == APP_ECHO && cfg->echo_whole) {
		a->echo_cap = 64;
		a->echo_in = malloc(a->echo_cap * sizeof(*a->echo_in));
		if (!a->echo_in)
			abort();
		a->echo_in[0] = 0;
	}
	timer_init(&a->wait_timer, wait_done);
	timer_init(&a->read_timer, read_due);
	return a;
}

void app_free(struct app *a)
{
	if (!a)
		return;
	engine_cancel(a->eng, &a->wait_timer);
	engine_cancel(a->eng, &a->read_timer);
	free(a->buf);
	free(a->rdbuf);
	free(a->expect);
	free(a->echo_in);
	free(a->latency);
	free(a);
}

void app_set_peer(struct app *a, struct app *peer)
{
	uint64_t planned = app_planned_bytes(peer);

	a->peer = peer;
	a->st.half_bytes = planned != UINT64_MAX ? planned / 2 : 0;
}
/* The source of what a with a script of its own writes: its stream by offset. */
static uint32_t app_source(void *ctx, uint64_t off, uint8_t *out, size_t len)
{
	struct app *a = ctx;
	uint32_t sum;

	stream_bytes(a, off, out, len, &a->src_cur, &sum);
	return sum;
}

static void check_bytes(struct app *a, uint64_t off, const uint8_t *got, size_t n);

/* Every byte a read takes, checked where it lies in TCP's receive buffer. */
static void app_view(void *ctx, const uint8_t *data, size_t len)
{
	struct app *a = ctx;

	check_bytes(a, a->viewed, data, len);
	a->viewed += len;
}

void app_attach(struct app *a, struct tcp_ep *ep)
{
	a->ep = ep;
	/* An echo writes back what it read, which lives only in its own
	 * buffers: it writes copies. Every other writer's stream is a
	 * function of the offset (its send steps), which TCP takes by
	 * reference; and only an echo needs the bytes it reads. */
	if (a->cfg->kind != APP_ECHO)
		tcp_set_source(ep, app_source, a);
	tcp_set_viewer(ep, app_view, a);
}

/* Where a read puts the bytes: nowhere but the check, except for an echo. */
static uint8_t *read_buffer(const struct app *a, uint8_t *buf)
{
	return a->cfg->kind == APP_ECHO ? buf : NULL;
}
const struct app_stats *app_stats(const struct app *a) { return &a->st; }

/* Checks n bytes just read at stream offset off against the peer's stream. */
static void check_bytes(struct app *a, uint64_t off, const uint8_t *got, size_t n)
{
	if (!a->st.data_intact || !a->peer)
		return;
	size_t m = stream_match(a->peer, off, got, n, a->expect, &a->chk_cur);
	if (m < n) {
		a->st.data_intact = false;
		a->st.first_mismatch = off + m;
	}
}

/* Writes as much of the current send step (or the echo backlog) as fits. */
static bool write_step(struct app *a, const struct app_step *s)
{
	uint64_t total = s->text ? s->text_len : s->bytes;

	while (a->send_done < total) {
		size_t n = total - a->send_done < IO_CHUNK ? (size_t)(total - a->send_done) : IO_CHUNK;
		size_t space = tcp_send_space(a->ep), took;
		/* Render only what TCP can take now. */
		if (n > space)
			n = space;
		if (n == 0)
			return false;   /* buffer full: resume on TCP_EV_WRITABLE */
		/* One send step is one write: TCP sees it whole (MSG_MORE). It
		 * takes the bytes from app_source, by offset. */
		took = tcp_write_source(a->ep, n, a->send_done + n < total);
		a->send_done += took;
		a->written += took;
		a->st.bytes_sent += took;
		if (took < n)
			return false;   /* buffer full: resume on TCP_EV_WRITABLE */
	}
	return true;
}

/*
 * A read step is over (enough read, or end of stream): a response read in
 * full ends its request; a respond server that met the end of the stream
 * before a whole request has nothing to answer, and its script is over.
 * Returns whether the script goes on.
 */
static bool read_step_done(struct app *a, const struct app_step *s)
{
	bool whole = a->st.bytes_received >= a->read_target;

	if (s->role == ROLE_RESPONSE && whole)
		response_read(a);
	if (a->cfg->kind == APP_RESPOND && !whole) {
		a->finished = true;
		maybe_close(a);
		return false;
	}
	return true;
}

/* Closes our side once the peer's FIN is read and the script is over. */
static void maybe_close(struct app *a)
{
	if (a->finished && a->st.eof && !a->closed) {
		a->closed = true;
		tcp_close(a->ep);
	}
}

/* The response to the current request has been read in full: its latency. */
static void response_read(struct app *a)
{
	if (a->st.requests_done < a->st.requests)
		a->latency[a->st.requests_done++] = engine_now(a->eng) - a->req_start_ns;
}

static bool runs_script(const struct app *a)
{
	return a->cfg->kind == APP_SCRIPT || a->cfg->kind == APP_RESPOND;
}

static void run_script(struct app *a)
{
	while (!a->finished && !a->step_busy) {
		const struct app_step *s;
		if (a->cfg->kind == APP_RESPOND && a->step >= a->nsteps)
			a->step = 0;            /* the next request */
		if (!runs_script(a) || a->step >= a->nsteps) {
			a->finished = true;
			break;
		}
		s = &a->steps[a->step];
		switch (s->kind) {
		case STEP_CONNECT:
			a->step_busy = true;   /* until TCP_EV_CONNECTED */
			tcp_connect(a->ep, a->connect_addr, s->port ? s->port : a->connect_port);
			return;
		case STEP_SEND:
			if (s->role == ROLE_REQUEST && a->send_done == 0)
				a->req_start_ns = engine_now(a->eng);
			if (!write_step(a, s)) {
				a->step_busy = true;
				return;
			}
			a->send_done = 0;
			break;
		case STEP_WAIT:
			if (s->wait_ns == 0)
				break;
			a->step_busy = true;
			engine_arm(a->eng, &a->wait_timer, engine_now(a->eng) + s->wait_ns);
			return;
		case STEP_AT:
			if (s->wait_ns <= engine_now(a->eng))
				break;          /* that time has passed: go on at once */
			a->step_busy = true;
			engine_arm(a->eng, &a->wait_timer, s->wait_ns);
			return;
		case STEP_CLOSE:
			a->closed = true;
			tcp_close(a->ep);
			break;
		case STEP_ABORT:
			a->closed = true;
			tcp_abort(a->ep);
			a->finished = true;
			return;
		case STEP_READ:
			a->read_target += s->bytes;
			if (a->st.bytes_received < a->read_target && !a->st.eof) {
				a->step_busy = true;   /* until enough is read */
				return;
			}
			if (!read_step_done(a, s))
				return;
			break;
		}
		a->step++;
	}
	maybe_close(a);
}

/* A read step waiting for data resumes once enough is read, or at EOF. */
static void read_progress(struct app *a)
{
	if (a->step_busy && a->step < a->nsteps && a->steps[a->step].kind == STEP_READ &&
	    (a->st.bytes_received >= a->read_target || a->st.eof)) {
		a->step_busy = false;
		if (!read_step_done(a, &a->steps[a->step]))
			return;
		a->step++;
		run_script(a);
	}
}

/*
 * An echo that writes its whole buffer: n bytes read into buf (which holds
 * IO_CHUNK), sent as one write of echo_buffer bytes, zeros after the text.
 */
static void echo_whole(struct app *a, uint8_t *buf, size_t n)
{
	size_t b = (size_t)a->cfg->echo_buffer;

	if (a->necho + 1 == a->echo_cap) {
		uint64_t *p = realloc(a->echo_in, 2 * a->echo_cap * sizeof(*p));
		if (!p)
			abort();
		a->echo_in = p;
		a->echo_cap *= 2;
	}
	a->echo_in[a->necho + 1] = a->echo_in[a->necho] + n;
	a->necho++;
	memset(buf + n, 0, b - n);
	tcp_send(a->ep, buf, b);
	a->written += b;
	a->st.bytes_sent += b;
}

/* The most an echo server's next read may take: what it can write back. */
static size_t echo_room(const struct app *a, size_t want)
{
	size_t space = tcp_send_space(a->ep);

	if (a->cfg->echo_buffer && want > a->cfg->echo_buffer)
		want = (size_t)a->cfg->echo_buffer;
	if (a->cfg->echo_whole)
		return space >= a->cfg->echo_buffer ? want : 0;
	return space < want ? space : want;
}

/* n bytes just read into buf: checked and counted; an echo server writes them back. */
static void took(struct app *a, uint8_t *buf, size_t n)
{
	a->st.bytes_received += n;
	a->st.last_read_ns = engine_now(a->eng);
	if (a->st.half_bytes && !a->st.half_read_ns && a->st.bytes_received >= a->st.half_bytes)
		a->st.half_read_ns = a->st.last_read_ns;
	if (a->cfg->kind == APP_ECHO && a->cfg->echo_whole) {
		echo_whole(a, buf, n);
	} else if (a->cfg->kind == APP_ECHO) {
		tcp_send(a->ep, buf, n);
		a->written += n;
		a->st.bytes_sent += n;
	}
}

/* The read posted to TCP: what it took, taken in (0: it had not completed). */
static uint64_t collect_posted(struct app *a)
{
	size_t n;

	if (!a->posted)
		return 0;
	a->posted = false;
	n = tcp_recv_posted(a->ep);
	if (n)
		took(a, a->rdbuf, n);
	return n;
}

/*
 * The application found nothing to read and reads again at once: a read of
 * up to limit bytes (at most IO_CHUNK; for an echo server, at most what it
 * can write back) waits in TCP for the next data.
 */
static void post_read(struct app *a, uint64_t limit)
{
	size_t want = limit < IO_CHUNK ? (size_t)limit : IO_CHUNK;

	if (a->st.eof || a->posted)
		return;
	if (a->cfg->kind == APP_ECHO)
		want = echo_room(a, want);
	if (want == 0)
		return;
	a->posted = true;
	tcp_recv_post(a->ep, read_buffer(a, a->rdbuf), want);
}

/* After a read: the end of the stream, and a read step that waited for it. */
static void after_read(struct app *a)
{
	if (tcp_eof(a->ep) && !a->st.eof) {
		a->st.eof = true;
		/* A clean end of stream with bytes missing is corruption too. */
		if (a->peer && app_planned_bytes(a->peer) != UINT64_MAX &&
		    a->st.bytes_received != app_planned_bytes(a->peer) && a->st.data_intact) {
			a->st.data_intact = false;
			a->st.first_mismatch = a->st.bytes_received;
		}
		maybe_close(a);
	}
	read_progress(a);
}

/*
 * Reads up to limit bytes of what is there; an echo server writes them
 * back as far as its send buffer allows. When the buffer ran dry before
 * limit, the application stays in read(): the read is posted to TCP.
 * Returns the bytes read.
 */
static uint64_t read_some(struct app *a, uint64_t limit)
{
	uint64_t total = 0;
	bool dry = false;

	while (total < limit) {
		size_t want = limit - total < IO_CHUNK ? (size_t)(limit - total) : IO_CHUNK, n;
		if (a->cfg->kind == APP_ECHO) {
			want = echo_room(a, want);
			if (want == 0)
				break;   /* backpressure: resume on TCP_EV_WRITABLE */
		}
		n = tcp_recv(a->ep, read_buffer(a, a->buf), want);
		if (n == 0) {
			dry = true;
			break;
		}
		took(a, a->buf, n);
		total += n;
	}
	after_read(a);
	/* A paced reader that read something waits for its timer; one that
	 * found nothing is blocked in read(). */
	if (dry && (a->cfg->read_every_ns == 0 || total == 0) && tcp_state(a->ep) != TCPS_CLOSED)
		post_read(a, limit - total);
	return total;
}

/*
 * Read pacing (the host's read: {bytes, every}): one read of at most
 * read_bytes, then the next no sooner than read_every later, on the timer.
 * A read that takes a full quota may have left more waiting; after one that
 * took less the reader, back in read() a period later, blocks there (the
 * read is posted, read_some) and takes the next data the instant it
 * arrives. A read that finds nothing blocks at once.
 */
static void paced_done(struct app *a, uint64_t now)
{
	a->has_read = true;
	a->last_read_ns = now;
	/* Read on after the connection is over: what TCP acknowledged is the
	 * application's to read, as a socket keeps its receive queue until
	 * close() (RFC 9293 §3.10.4: a CLOSE "in the receive direction" only
	 * after the data is delivered). */
	engine_arm(a->eng, &a->read_timer, now + a->cfg->read_every_ns);
}

static void paced_read(struct app *a)
{
	uint64_t now = engine_now(a->eng);

	if (read_some(a, a->cfg->read_bytes) > 0)
		paced_done(a, now);
}

static void read_due(struct sim_timer *t, uint64_t now_ns)
{
	struct app *a = container_of(t, struct app, read_timer);

	(void)now_ns;
	paced_read(a);
}

/* TCP has data (or EOF) to read, or room again for an echo's writes. */
static void on_readable(struct app *a)
{
	uint64_t now = engine_now(a->eng), at;

	/* The posted read, filled as the data arrived: a paced reader's read
	 * of this instant. */
	if (collect_posted(a) > 0 && a->cfg->read_every_ns) {
		paced_done(a, now);
		after_read(a);
		return;
	}
	if (a->cfg->read_every_ns == 0) {
		read_some(a, UINT64_MAX);
		return;
	}
	if (timer_armed(&a->read_timer))
		return;
	at = a->has_read ? a->last_read_ns + a->cfg->read_every_ns : now;
	if (at <= now)
		paced_read(a);
	else
		engine_arm(a->eng, &a->read_timer, at);
}

void app_start(struct app *a)
{
	switch (a->cfg->kind) {
	case APP_NONE:
		a->finished = true;
		return;
	case APP_SINK:
	case APP_ECHO:
		a->finished = true;          /* nothing to run: close after EOF */
		tcp_listen(a->ep);
		return;
	case APP_RESPOND:
		tcp_listen(a->ep);           /* its script runs once connected */
		return;
	case APP_SCRIPT:
		/* A script that starts with connect opens actively, the
		 * server's too (both at once: a simultaneous open). */
		if (a->nsteps > 0 && a->steps[0].kind == STEP_CONNECT)
			run_script(a);
		else
			tcp_listen(a->ep);   /* a server script runs once connected */
		return;
	}
}

void app_on_tcp(struct app *a, enum tcp_event ev)
{
	switch (ev) {
	case TCP_EV_CONNECTED:
		a->st.connected_ns = engine_now(a->eng);
		/* Connected, it reads: in read() until the first data comes. */
		post_read(a, a->cfg->read_every_ns ? a->cfg->read_bytes : UINT64_MAX);
		if (runs_script(a)) {
			if (a->step_busy && a->step < a->nsteps &&
			    a->steps[a->step].kind == STEP_CONNECT) {
				a->step_busy = false;
				a->step++;
			}
			run_script(a);
		}
		break;
	case TCP_EV_READABLE:
		on_readable(a);
		break;
	case TCP_EV_WRITABLE:
		if (a->cfg->kind == APP_ECHO) {
			on_readable(a);
		} else if (a->step_busy && a->step < a->nsteps &&
			   a->steps[a->step].kind == STEP_SEND) {
			a->step_busy = false;
			run_script(a);
		}
		break;
	case TCP_EV_CLOSED:
		/* The connection is over: nothing more can be sent, but what
		 * arrived before it ended is still read, at the read pace. */
		collect_posted(a);
		engine_cancel(a->eng, &a->wait_timer);
		a->finished = true;
		a->step_busy = false;
		a->closed = true;
		break;
	}
}
