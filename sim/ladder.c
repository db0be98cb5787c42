/*
 * ladder: the sequence diagram (see ladder.h).
 *
 * Two halves: the drawing (ladder_format and its helpers: one packet in,
 * its lines out, no state), and the observer, which turns packet events
 * into struct ladder_pkt and keeps each one back until its fate is known.
 * The observer numbers packets, and reads each side's ISN and window scale
 * from the SYNs it sees, so its figures are relative numbers and windows in
 * bytes, as Wireshark shows them.
 */
#include "ladder.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "units.h"

/* Columns of the arrow line: the send time, the packet number, the lane,
 * the arrival time. */
#define TIME_W 10
#define NUM_W 5
#define ARRIVAL_COL (LADDER_LANE_COL + LADDER_LANE_WIDTH + 2)
/* Where a dropped packet's 'X' stands when its label leaves room: mid-lane. */
#define DROP_COL (LADDER_LANE_WIDTH / 2)
/* A note line holds this much: from the lane's start to the line's end. */
#define NOTE_W (LADDER_WIDTH - LADDER_LANE_COL)
#define LINE_MAX 256

struct ladder_range ladder_range_all(void)
{
	struct ladder_range r = { .from_ns = 0, .to_ns = UINT64_MAX, .first = 1,
				  .last = UINT64_MAX };
	return r;
}

/* ---- Drawing ---------------------------------------------------------- */

const char *ladder_flags(uint8_t flags, char buf[LADDER_FLAGS_LEN])
{
	static const struct { uint8_t bit; char c; } order[] = {
		{ TH_FIN, 'F' }, { TH_SYN, 'S' }, { TH_RST, 'R' }, { TH_PSH, 'P' },
		{ TH_URG, 'U' }, { TH_ACK, '.' }, { TH_ECE, 'E' }, { TH_CWR, 'W' },
	};
	size_t n = 0;

	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (flags & order[i].bit)
			buf[n++] = order[i].c;
	buf[n] = '\0';
	if (n == 0)
		strcpy(buf, "none");
	return buf;
}

/*
 * A virtual time in seconds, right-aligned in TIME_W columns: microseconds
 * (truncated, as tcpdump shows them) below 1000 s, and one decimal fewer for
 * each further digit of whole seconds, so that the column keeps its width
 * (up to 10^10 s).
 */
static void format_time(char out[32], uint64_t ns)
{
	uint64_t s = ns / NS_PER_S, frac = ns % NS_PER_S, div = 1000;
	int digits = 1, dec = 6;
	char tmp[32];

	for (uint64_t v = s; v >= 10; v /= 10)
		digits++;
	for (; dec > 0 && digits + 1 + dec > TIME_W; dec--)
		div *= 10;
	if (dec > 0)
		snprintf(tmp, sizeof tmp, "%" PRIu64 ".%0*" PRIu64, s, dec, frac / div);
	else
		snprintf(tmp, sizeof tmp, "%" PRIu64, s);
	snprintf(out, 32, "%*s", TIME_W, tmp);
}

/* A line being drawn: spaces, with text placed at columns. */
struct line {
	char c[LINE_MAX];
	size_t end;                  /* one past the last column written */
};

static void line_clear(struct line *ln)
{
	memset(ln->c, ' ', sizeof ln->c);
	ln->end = 0;
}

static void line_put(struct line *ln, size_t col, const char *s, size_t n)
{
	size_t room = col < LINE_MAX - 1 ? LINE_MAX - 1 - col : 0;

	/* What would pass the line's end is dropped. */
	if (n > room)
		n = room;
	if (n == 0)
		return;
	memcpy(ln->c + col, s, n);
	if (col + n > ln->end)
		ln->end = col + n;
}

/*
 * Appends the line, trailing spaces dropped, and a newline to buf at *at,
 * as far as they fit: *at < len on entry (buf[*at] is its NUL) and after.
 */
static void line_emit(struct line *ln, char *buf, size_t len, size_t *at)
{
	size_t n = ln->end;

	while (n > 0 && ln->c[n - 1] == ' ')
		n--;
	if (n > len - 1 - *at)
		n = len - 1 - *at;
	memcpy(buf + *at, ln->c, n);
	*at += n;
	if (*at < len - 1)
		buf[(*at)++] = '\n';
	buf[*at] = '\0';
}

size_t ladder_format_header(char *buf, size_t len)
{
	struct line ln;
	size_t at = 0;
	char t[32];

	if (len == 0)
		return 0;
	buf[0] = '\0';
	line_clear(&ln);
	snprintf(t, sizeof t, "%*s", TIME_W, "sent");
	line_put(&ln, 0, t, strlen(t));
	snprintf(t, sizeof t, "%*s", NUM_W, "#");
	line_put(&ln, TIME_W + 1, t, strlen(t));
	line_put(&ln, LADDER_LANE_COL, "client", 6);
	line_put(&ln, LADDER_LANE_COL + LADDER_LANE_WIDTH - 6, "server", 6);
	snprintf(t, sizeof t, "%*s", TIME_W, "arrived");
	line_put(&ln, ARRIVAL_COL, t, strlen(t));
	line_emit(&ln, buf, len, &at);
	return at;
}

/*
 * The arrow for p, drawn from the client's side: "-- LABEL ---->" with its
 * end ('>' or 'X') where the packet got to, in avail columns. A server's
 * arrow is this one mirrored, its label still read left to right. Where the
 * label leaves too little room, the arrow loses a lead dash, then its shaft
 * ("- LABEL >"); a label longer still widens the lane. Returns the width
 * drawn.
 */
static size_t draw_arrow(const struct ladder_pkt *p, const char *label, size_t avail,
			 char *lane, size_t cap)
{
	size_t l = strlen(label), lead = 2, shaft = 1, w, body, tip;
	char c = p->reordered ? '~' : '-';

	if (lead + 1 + l + 1 + shaft + 1 > avail)
		lead = 1;
	if (lead + 1 + l + 1 + shaft + 1 > avail)
		shaft = 0;
	body = lead + 1 + l + 1;            /* lead dashes, space, label, space */
	w = body + shaft + 1 > avail ? body + shaft + 1 : avail;
	if (w > cap)
		w = cap;
	memset(lane, ' ', w);
	memset(lane, '-', lead);
	if (p->fate == LADDER_ARRIVED || p->fate == LADDER_CORRUPT)
		tip = w - 1;
	else                                /* dropped, or short of the far end */
		tip = body + shaft > DROP_COL ? body + shaft : DROP_COL;
	memset(lane + body, c, tip - body);
	lane[tip] = p->fate == LADDER_ARRIVED || p->fate == LADDER_IN_FLIGHT ? '>' : 'X';
	if (p->from == HOST_SERVER) {
		for (size_t i = 0, j = w - 1; i < j; i++, j--) {
			char t = lane[i];
			lane[i] = lane[j];
			lane[j] = t;
		}
		for (size_t i = 0; i < w; i++)
			if (lane[i] == '>')
				lane[i] = '<';
		memcpy(lane + w - lead - 1 - l, label, l);
	} else {
		memcpy(lane + lead + 1, label, l);
	}
	return w;
}

/*
 * A note under the arrow, cut at spaces into lines of at most NOTE_W
 * columns, as a block: from the lane's start for the client; for the
 * server, ending with the lane (its longest line does), or from the lane's
 * start when a line is longer than the lane.
 */
static void put_note(const char *text, enum host_id side, char *buf, size_t len, size_t *at)
{
	size_t cut[LADDER_NOTE_MAX], nlines = 0, widest = 0, col = LADDER_LANE_COL;
	size_t n = strlen(text);
	const char *t = text;

	/* Where each line ends: the last space within NOTE_W, or NOTE_W into
	 * a word longer than a line. */
	while (n > 0 && nlines < LADDER_NOTE_MAX) {
		size_t take = n;

		if (take > NOTE_W) {
			take = NOTE_W;
			while (take > 0 && t[take] != ' ')
				take--;
			if (take == 0)
				take = NOTE_W;
		}
		cut[nlines++] = take;
		if (take > widest)
			widest = take;
		t += take;
		n -= take;
		while (n > 0 && *t == ' ') {
			t++;
			n--;
		}
	}
	if (side == HOST_SERVER && widest < LADDER_LANE_WIDTH)
		col = LADDER_LANE_COL + LADDER_LANE_WIDTH - widest;
	for (size_t k = 0; k < nlines; k++) {
		struct line ln;

		line_clear(&ln);
		line_put(&ln, col, text, cut[k]);
		line_emit(&ln, buf, len, at);
		text += cut[k];
		while (*text == ' ')
			text++;
	}
}

size_t ladder_format(const struct ladder_pkt *p, char *buf, size_t len)
{
	enum host_id to = p->from == HOST_CLIENT ? HOST_SERVER : HOST_CLIENT;
	char label[128], fl[LADDER_FLAGS_LEN], t[32], lane[LINE_MAX];
	struct line ln;
	size_t at = 0, w, numw, col;
	int n;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	n = snprintf(label, sizeof label, "%s seq=%" PRIu32, ladder_flags(p->flags, fl), p->seq);
	if (p->flags & TH_ACK)
		n += snprintf(label + n, sizeof label - (size_t)n, " ack=%" PRIu32, p->ack);
	snprintf(label + n, sizeof label - (size_t)n, " len=%" PRIu32 " win=%" PRIu64, p->len,
		 p->win);

	/* A time or number wider than its column moves the lane right, and
	 * narrows it. */
	line_clear(&ln);
	format_time(t, p->sent_ns);
	col = strlen(t);
	line_put(&ln, 0, t, col);
	numw = (size_t)snprintf(t, sizeof t, "%*" PRIu64, NUM_W, p->number);
	line_put(&ln, col + 1, t, numw);
	col += 1 + numw + 2;
	w = draw_arrow(p, label, ARRIVAL_COL - 2 - col, lane, LINE_MAX - 1 - col - 2 - TIME_W);
	line_put(&ln, col, lane, w);
	if (p->fate == LADDER_ARRIVED || p->fate == LADDER_CORRUPT)
		format_time(t, p->arrival_ns);
	else
		snprintf(t, sizeof t, "%*s", TIME_W,
			 p->fate == LADDER_DROPPED ? "dropped" : "in flight");
	line_put(&ln, col + w + 2, t, strlen(t));
	line_emit(&ln, buf, len, &at);

	put_note(p->why, p->from, buf, len, &at);
	put_note(p->link, p->from, buf, len, &at);
	if (p->fate == LADDER_CORRUPT)
		put_note(to == HOST_SERVER ? "checksum failed: the server discarded it"
					   : "checksum failed: the client discarded it", to, buf, len, &at);
	else if (p->fate == LADDER_IN_FLIGHT)
		put_note("still in flight when the run ended", p->from, buf, len, &at);
	return at;
}

/* ---- Ranges ----------------------------------------------------------- */

/* One end of a time range: a time with its unit, or bare seconds. */
static int parse_end(const char *s, size_t n, uint64_t *out, char *err, size_t errlen)
{
	char v[64];
	const char *why;

	if (n >= sizeof v - 1) {
		snprintf(err, errlen, "'%.*s...' is too long for a time", 20, s);
		return -1;
	}
	memcpy(v, s, n);
	v[n] = '\0';
	if (n > 0 && strspn(v, "0123456789.") == n)
		strcat(v, "s");
	why = parse_time_ns(v, out);
	if (why) {
		snprintf(err, errlen, "'%.*s': %s", (int)n, s, why);
		return -1;
	}
	return 0;
}

int ladder_parse_times(const char *s, struct ladder_range *r, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	uint64_t from = 0, to = UINT64_MAX;

	if (!colon || strchr(colon + 1, ':')) {
		snprintf(err, errlen, "expected FROM:TO, send times such as 0.1:0.3 or "
			 "100ms:300ms (either may be left out)");
		return -1;
	}
	if (colon > s && parse_end(s, (size_t)(colon - s), &from, err, errlen) != 0)
		return -1;
	if (colon[1] && parse_end(colon + 1, strlen(colon + 1), &to, err, errlen) != 0)
		return -1;
	if (from > to) {
		snprintf(err, errlen, "the range ends before it starts");
		return -1;
	}
	r->from_ns = from;
	r->to_ns = to;
	return 0;
}

/* One packet number: a decimal from 1. Long text is quoted by its start. */
static int parse_number(const char *s, size_t n, uint64_t *out, char *err, size_t errlen)
{
	const char *more = n > 20 ? "..." : "";
	int shown = n > 20 ? 20 : (int)n;
	char v[32];

	if (n == 0 || strspn(s, "0123456789") < n) {
		snprintf(err, errlen, "'%.*s%s' is not a packet number (1, 2, 3 ...)", shown, s, more);
		return -1;
	}
	if (n >= sizeof v) {
		snprintf(err, errlen, "'%.*s%s' is too large", shown, s, more);
		return -1;
	}
	memcpy(v, s, n);
	v[n] = '\0';
	if (parse_uint(v, out) != NULL) {
		snprintf(err, errlen, "'%s' is too large", v);
		return -1;
	}
	if (*out == 0) {
		snprintf(err, errlen, "packets are numbered from 1");
		return -1;
	}
	return 0;
}

int ladder_parse_packets(const char *s, struct ladder_range *r, char *err, size_t errlen)
{
	const char *colon = strchr(s, ':');
	uint64_t first = 1, last = UINT64_MAX;

	if (!colon) {
		if (parse_number(s, strlen(s), &first, err, errlen) != 0)
			return -1;
		last = first;
	} else {
		if (strchr(colon + 1, ':')) {
			snprintf(err, errlen, "expected FIRST:LAST, packet numbers such as 1:40 "
				 "(either may be left out), or one number");
			return -1;
		}
		if (colon > s && parse_number(s, (size_t)(colon - s), &first, err, errlen) != 0)
			return -1;
		if (colon[1] && parse_number(colon + 1, strlen(colon + 1), &last, err, errlen) != 0)
			return -1;
	}
	if (first > last) {
		snprintf(err, errlen, "the range ends before it starts");
		return -1;
	}
	r->first = first;
	r->last = last;
	return 0;
}

/* ---- The observer ----------------------------------------------------- */

#define NONE UINT64_MAX

/* A packet waiting for its line to be written. */
struct entry {
	struct ladder_pkt p;
	uint64_t link_number;        /* its number on its link (struct link_verdict) */
	bool done;                   /* its fate is known */
	uint64_t next;               /* the next ticket awaiting arrival on the same link */
};

struct ladder {
	FILE *out;
	struct ladder_range r;
	uint64_t sent;               /* packets sent so far: the last one's number */
	/* Read from each side's latest SYN ([HOST_CLIENT], [HOST_SERVER]). */
	uint32_t isn[2];
	bool isn_known[2];
	uint8_t wscale[2];
	bool wscale_offered[2];
	/* The packets waiting, in the order sent: a ring indexed by ticket. */
	struct entry *q;
	size_t cap, head, n;
	uint64_t head_ticket;        /* the ticket of q[head] */
	/* Per link, the waiting packets not yet arrived, in the order sent
	 * (linked through entry.next): usually the first is the next to arrive. */
	uint64_t await_first[2], await_last[2];
};

struct ladder *ladder_new(FILE *out, const struct ladder_range *r)
{
	struct ladder *l = calloc(1, sizeof(*l));
	char buf[LINE_MAX];

	if (!l)
		abort();
	l->out = out;
	l->r = *r;
	for (int i = 0; i < 2; i++)
		l->await_first[i] = l->await_last[i] = NONE;
	ladder_format_header(buf, sizeof buf);
	fputs(buf, out);
	return l;
}

void ladder_free(struct ladder *l)
{
	if (!l)
		return;
	free(l->q);
	free(l);
}

static struct entry *entry_at(struct ladder *l, uint64_t ticket)
{
	return &l->q[(l->head + (size_t)(ticket - l->head_ticket)) % l->cap];
}

/* A new entry at the back of the ring; its ticket in *ticket. */
static struct entry *push(struct ladder *l, uint64_t *ticket)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 64;
		struct entry *q = malloc(cap * sizeof(*q));

		if (!q)
			abort();
		for (size_t i = 0; i < l->n; i++)
			q[i] = l->q[(l->head + i) % l->cap];
		free(l->q);
		l->q = q;
		l->cap = cap;
		l->head = 0;
	}
	*ticket = l->head_ticket + l->n;
	l->n++;
	return entry_at(l, *ticket);
}

static void write_entry(struct ladder *l, const struct entry *e)
{
	char buf[4 * LINE_MAX];

	ladder_format(&e->p, buf, sizeof buf);
	fputs(buf, l->out);
}

/* Writes the waiting lines whose turn has come: all up to the first whose
 * packet is still on its way. */
static void drain(struct ladder *l)
{
	while (l->n > 0 && l->q[l->head].done) {
		write_entry(l, &l->q[l->head]);
		l->head = (l->head + 1) % l->cap;
		l->head_ticket++;
		l->n--;
	}
}

static bool in_range(const struct ladder *l, uint64_t number, uint64_t t_ns)
{
	return number >= l->r.first && number <= l->r.last &&
	       t_ns >= l->r.from_ns && t_ns <= l->r.to_ns;
}

/* The sender's note: tcp_why_format up to its first " | " (the state). */
static void why_note(const struct pkt_event *ev, char *out, size_t len)
{
	char full[LADDER_NOTE_MAX];
	char *bar;

	out[0] = '\0';
	if (!ev->why)
		return;
	tcp_why_format(ev->why, ev->seg, full, sizeof full);
	bar = strstr(full, " | ");
	if (bar)
		*bar = '\0';
	snprintf(out, len, "%s", full);
}

static void on_sent(struct ladder *l, const struct pkt_event *ev)
{
	const struct tcp_seg *s = ev->seg;
	enum host_id from = ev->from, to = from == HOST_CLIENT ? HOST_SERVER : HOST_CLIENT;
	uint64_t number = ++l->sent, ticket;
	struct entry *e;

	if (s->flags & TH_SYN) {
		l->isn[from] = s->seq;
		l->isn_known[from] = true;
		l->wscale_offered[from] = s->opt.has_wscale;
		l->wscale[from] = s->opt.wscale;
	}
	if (!in_range(l, number, ev->time_ns))
		return;
	e = push(l, &ticket);
	memset(e, 0, sizeof(*e));
	e->p.number = number;
	e->p.sent_ns = ev->time_ns;
	e->p.from = from;
	e->p.flags = s->flags;
	e->p.seq = l->isn_known[from] ? s->seq - l->isn[from] : s->seq;
	e->p.ack = l->isn_known[to] ? s->ack - l->isn[to] : s->ack;
	e->p.len = s->len;
	e->p.win = s->wnd;
	/* RFC 7323 §2.2: in effect once both SYNs offered it; never on a SYN. */
	if (!(s->flags & TH_SYN) && l->wscale_offered[HOST_CLIENT] && l->wscale_offered[HOST_SERVER])
		e->p.win = (uint64_t)s->wnd << l->wscale[from];
	why_note(ev, e->p.why, sizeof e->p.why);
	link_verdict_format(ev->link, ev->verdict, e->p.link, sizeof e->p.link);
	e->link_number = ev->verdict->number;
	e->next = NONE;
	if (link_fate_dropped(ev->verdict->fate)) {
		e->p.fate = LADDER_DROPPED;
		e->done = true;
	} else {
		e->p.fate = LADDER_IN_FLIGHT;
		e->p.reordered = ev->verdict->reorder_ns > 0;
		if (l->await_last[from] == NONE)
			l->await_first[from] = ticket;
		else
			entry_at(l, l->await_last[from])->next = ticket;
		l->await_last[from] = ticket;
	}
	drain(l);
}

static void on_arrived(struct ladder *l, const struct pkt_event *ev)
{
	enum host_id from = ev->from;
	uint64_t prev = NONE;

	for (uint64_t t = l->await_first[from]; t != NONE; prev = t, t = entry_at(l, t)->next) {
		struct entry *e = entry_at(l, t);

		if (e->link_number != ev->verdict->number)
			continue;
		e->p.fate = ev->checksum_bad ? LADDER_CORRUPT : LADDER_ARRIVED;
		e->p.arrival_ns = ev->time_ns;
		e->done = true;
		if (prev == NONE)
			l->await_first[from] = e->next;
		else
			entry_at(l, prev)->next = e->next;
		if (l->await_last[from] == t)
			l->await_last[from] = prev;
		break;
	}
	drain(l);
}

static bool ladder_packet(void *ctx, const struct pkt_event *ev)
{
	if (ev->kind == PKT_SENT)
		on_sent(ctx, ev);
	else
		on_arrived(ctx, ev);
	return true;
}

struct observer ladder_observer(struct ladder *l)
{
	struct observer o = { .ctx = l, .packet = ladder_packet };
	return o;
}

void ladder_finish(struct ladder *l)
{
	for (; l->n > 0; l->n--) {
		write_entry(l, &l->q[l->head]);
		l->head = (l->head + 1) % l->cap;
		l->head_ticket++;
	}
	l->await_first[0] = l->await_first[1] = NONE;
	l->await_last[0] = l->await_last[1] = NONE;
	fflush(l->out);
}
