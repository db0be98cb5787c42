/*
 * tcp_harness: one endpoint, an engine and a capture of what it emits (see
 * tcp_harness.h). Used by tests/check_tcp.c only.
 */
#include "tcp_harness.h"

#include <check.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ the pattern */

static uint8_t pattern[H_PATTERN_LEN];
static bool pattern_ready;

const uint8_t *h_pattern(uint64_t off)
{
	if (!pattern_ready) {
		/* Not periodic at 256 or at any segment size used, so a
		 * misplaced segment never reads back as the right bytes. */
		for (uint32_t i = 0; i < H_PATTERN_LEN; i++)
			pattern[i] = (uint8_t)((i ^ (i >> 8) ^ (i >> 16)) * 37u + 11u);
		pattern_ready = true;
	}
	ck_assert_uint_lt(off, H_PATTERN_LEN);
	return pattern + off;
}

/* ------------------------------------------------------------------ hooks */

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p)
		abort();
	return p;
}

static void on_output(void *ctx, const struct tcp_seg *seg, const struct tcp_why *why)
{
	struct harness *h = ctx;
	struct h_tx *t;

	if (h->ntx == h->tx_cap) {
		h->tx_cap = h->tx_cap ? 2 * h->tx_cap : 64;
		h->tx = xrealloc(h->tx, h->tx_cap * sizeof(*h->tx));
	}
	t = &h->tx[h->ntx++];
	t->at_ns = engine_now(&h->eng);
	t->seg = *seg;
	t->why = *why;
	t->data = NULL;
	if (seg->len > 0) {
		t->data = xrealloc(NULL, seg->len);
		const uint8_t *bytes = wire_seg_payload(seg, t->data);
		if (bytes != t->data)
			memcpy(t->data, bytes, seg->len);
	}
	t->seg.payload = t->data;
	t->seg.fill = NULL;
}

static void on_notify(void *ctx, enum tcp_event ev)
{
	struct harness *h = ctx;

	if (h->nev == h->ev_cap) {
		h->ev_cap = h->ev_cap ? 2 * h->ev_cap : 64;
		h->ev = xrealloc(h->ev, h->ev_cap * sizeof(*h->ev));
	}
	h->ev[h->nev].at_ns = engine_now(&h->eng);
	h->ev[h->nev].ev = ev;
	h->nev++;
}

static void on_alarm(struct sim_timer *t, uint64_t now_ns)
{
	struct harness *h = container_of(t, struct harness, alarm);

	(void)now_ns;
	h->alarm_fired = true;
}

/* ------------------------------------------------------------- life cycle */

struct tcp_cfg h_default_cfg(void)
{
	struct scenario s;
	struct tcp_cfg cfg;

	scenario_defaults(&s);
	cfg = s.client.tcp;
	scenario_free(&s);
	/* Every segment ACKed at once, so that tests of the other mechanisms
	 * see one ACK per segment; the delayed-ACK tests turn it back on. */
	cfg.delayed_ack_ns = 0;
	return cfg;
}

struct harness *h_new(const struct tcp_cfg *cfg, uint32_t mtu, uint32_t iss)
{
	struct harness *h = calloc(1, sizeof(*h));
	struct tcp_hooks hooks;

	if (!h)
		abort();
	h->cfg = cfg ? *cfg : h_default_cfg();
	h->mtu = mtu;
	h->iss = iss;
	h->peer.wscale = H_NO_WS;
	engine_init(&h->eng);
	timer_init(&h->alarm, on_alarm);
	memset(&hooks, 0, sizeof(hooks));
	hooks.ctx = h;
	hooks.output = on_output;
	hooks.notify = on_notify;
	h->ep = tcp_new(&h->eng, &h->cfg, mtu, H_LOCAL_ADDR, H_LOCAL_PORT, iss, &hooks);
	return h;
}

void h_free(struct harness *h)
{
	if (!h)
		return;
	tcp_free(h->ep);
	engine_free(&h->eng);
	for (size_t i = 0; i < h->ntx; i++)
		free(h->tx[i].data);
	free(h->tx);
	free(h->ev);
	free(h);
}

/* ------------------------------------------------------- application side */

void h_listen(struct harness *h)
{
	tcp_listen(h->ep);
}

void h_connect(struct harness *h)
{
	tcp_connect(h->ep, H_PEER_ADDR, H_PEER_PORT);
}

size_t h_send(struct harness *h, size_t n)
{
	size_t took;

	ck_assert_uint_le(h->app_sent + n, H_PATTERN_LEN);
	took = tcp_send(h->ep, h_pattern(h->app_sent), n);
	h->app_sent += took;
	return took;
}

size_t h_write(struct harness *h, size_t n, bool more)
{
	size_t took;

	ck_assert_uint_le(h->app_sent + n, H_PATTERN_LEN);
	took = tcp_write(h->ep, h_pattern(h->app_sent), n, more);
	h->app_sent += took;
	return took;
}

void h_close(struct harness *h)
{
	tcp_close(h->ep);
}

void h_abort(struct harness *h)
{
	tcp_abort(h->ep);
}

size_t h_recv(struct harness *h, uint8_t *buf, size_t n)
{
	size_t got = tcp_recv(h->ep, buf, n);

	h->app_read += got;
	return got;
}

static void expect_read(const char *file, int line, struct harness *h, size_t n, bool all)
{
	uint8_t *buf = xrealloc(NULL, n + 1);
	uint64_t at = h->app_read;
	size_t got = tcp_recv(h->ep, buf, all ? n + 1 : n);
	int same;

	if (got != n)
		fprintf(stderr, "%s:%d: read %zu bytes, expected %zu\n", file, line, got, n);
	ck_assert_uint_eq(got, n);
	same = memcmp(buf, h_pattern(at), n) == 0;
	if (!same)
		fprintf(stderr, "%s:%d: the %zu bytes read at offset %" PRIu64
			" are not the peer's\n", file, line, n, at);
	free(buf);
	ck_assert_msg(same, "%s:%d: bytes read differ from what the peer sent", file, line);
	h->app_read += n;
}

void h_expect_read_at(const char *file, int line, struct harness *h, size_t n)
{
	expect_read(file, line, h, n, true);
}

void h_expect_read_part_at(const char *file, int line, struct harness *h, size_t n)
{
	expect_read(file, line, h, n, false);
}

/* ------------------------------------------------------------------ clock */

void h_run_until(struct harness *h, uint64_t t_ns)
{
	ck_assert_uint_ge(t_ns, engine_now(&h->eng));
	h->alarm_fired = false;
	engine_arm(&h->eng, &h->alarm, t_ns);
	while (!h->alarm_fired && engine_step(&h->eng, t_ns))
		;
	/* Timers armed for exactly t_ns after the alarm was. */
	while (engine_step(&h->eng, t_ns))
		;
	ck_assert(h->alarm_fired);
	ck_assert_uint_eq(engine_now(&h->eng), t_ns);
}

/* ------------------------------------------------------------ formatting */

char *h_format(const struct tcp_seg *s, char *buf, size_t len)
{
	static const char names[] = "FSRPAUEC";
	char flags[10];
	size_t n = 0, k;

	for (k = 0; k < 8; k++)
		if (s->flags & (1u << k))
			flags[n++] = names[k];
	flags[n] = 0;
	n = (size_t)snprintf(buf, len, "[%s] seq %" PRIu32 " ack %" PRIu32 " wnd %u len %" PRIu32,
			     flags, s->seq, s->ack, s->wnd, s->len);
	if (n < len && s->opt.has_mss)
		n += (size_t)snprintf(buf + n, len - n, " mss %u", s->opt.mss);
	if (n < len && s->opt.has_wscale)
		n += (size_t)snprintf(buf + n, len - n, " ws %u", s->opt.wscale);
	if (n < len && s->opt.sack_permitted)
		n += (size_t)snprintf(buf + n, len - n, " sackOK");
	if (n < len && s->opt.has_ts)
		n += (size_t)snprintf(buf + n, len - n, " ts %" PRIu32 "/%" PRIu32, s->opt.ts_val,
				      s->opt.ts_ecr);
	if (n < len && s->ecn)
		snprintf(buf + n, len - n, " %s", s->ecn == IP_ECN_CE ? "CE" :
			 s->ecn == IP_ECN_ECT0 ? "ECT(0)" : "ECT(1)");
	return buf;
}

/* ---------------------------------------------------------------- inject */

void h_inject_at(const char *file, int line, struct harness *h, uint64_t at_ns,
		 const struct tcp_seg *seg)
{
	struct tcp_seg s = *seg;

	if (at_ns < engine_now(&h->eng))
		fprintf(stderr, "%s:%d: injecting at %" PRIu64 " ns, the clock is at %" PRIu64 "\n",
			file, line, at_ns, engine_now(&h->eng));
	h_run_until(h, at_ns);
	if (!s.src_addr)
		s.src_addr = H_PEER_ADDR;
	if (!s.dst_addr)
		s.dst_addr = H_LOCAL_ADDR;
	if (!s.src_port)
		s.src_port = H_PEER_PORT;
	if (!s.dst_port)
		s.dst_port = H_LOCAL_PORT;
	if (s.len > 0 && !s.payload) {
		uint32_t off = s.seq - h->peer.iss - 1 + !!(s.flags & TH_SYN);
		s.payload = h_pattern(off);
	}
	tcp_input(h->ep, &s);
}

/* ---------------------------------------------------------------- expect */

size_t h_pending_tx(const struct harness *h)
{
	return h->ntx - h->tx_head;
}

size_t h_discard_tx(struct harness *h)
{
	size_t n = h->ntx - h->tx_head;

	h->tx_head = h->ntx;
	return n;
}

struct field {
	const char *name;
	uint64_t got, want;
};

struct tcp_seg h_expect_tx_at(const char *file, int line, struct harness *h, uint64_t at_ns,
			      const struct tcp_seg *want, unsigned mask)
{
	struct field f[24];
	size_t n = 0, i, bad = SIZE_MAX;
	const struct h_tx *t;
	const struct tcp_seg *got;
	char gb[200], wb[200];

	if (h->tx_head == h->ntx)
		fprintf(stderr, "%s:%d: expected %s at %" PRIu64 " ns; nothing was sent\n",
			file, line, h_format(want, wb, sizeof(wb)), at_ns);
	ck_assert_uint_gt(h_pending_tx(h), 0);
	t = &h->tx[h->tx_head++];
	got = &t->seg;

#define FIELD(nm, g, w) (f[n].name = (nm), f[n].got = (uint64_t)(g), f[n].want = (uint64_t)(w), n++)
	if (mask & HF_AT)
		FIELD("time_ns", t->at_ns, at_ns);
	if (mask & HF_FLAGS)
		FIELD("flags", got->flags, want->flags);
	if (mask & HF_SEQ)
		FIELD("seq", got->seq, want->seq);
	if (mask & HF_ACK)
		FIELD("ack", got->ack, want->ack);
	if (mask & HF_WND)
		FIELD("wnd", got->wnd, want->wnd);
	if (mask & HF_LEN)
		FIELD("len", got->len, want->len);
	if (mask & HF_OPTS) {
		FIELD("has_mss", got->opt.has_mss, want->opt.has_mss);
		if (want->opt.has_mss)
			FIELD("mss", got->opt.mss, want->opt.mss);
		FIELD("has_wscale", got->opt.has_wscale, want->opt.has_wscale);
		if (want->opt.has_wscale)
			FIELD("wscale", got->opt.wscale, want->opt.wscale);
		FIELD("has_ts", got->opt.has_ts, want->opt.has_ts);
		FIELD("sack_permitted", got->opt.sack_permitted, want->opt.sack_permitted);
		if ((mask & HF_TSVAL) && want->opt.has_ts) {
			FIELD("ts_val", got->opt.ts_val, want->opt.ts_val);
			FIELD("ts_ecr", got->opt.ts_ecr, want->opt.ts_ecr);
		}
	}
	if (mask & HF_ECN)
		FIELD("ecn", got->ecn, want->ecn);
	if (mask & HF_ADDR) {
		FIELD("src_addr", got->src_addr, H_LOCAL_ADDR);
		FIELD("dst_addr", got->dst_addr, H_PEER_ADDR);
		FIELD("src_port", got->src_port, H_LOCAL_PORT);
		FIELD("dst_port", got->dst_port, H_PEER_PORT);
	}
	if ((mask & HF_DATA) && got->len > 0 && (!(mask & HF_LEN) || got->len == want->len)) {
		/* The bytes: as given, else the pattern at the segment's offset
		 * in our stream (offset 0 is ISS+1). */
		const uint8_t *exp = want->payload;
		uint32_t off = got->seq - h->iss - 1 + !!(got->flags & TH_SYN);
		uint64_t first_diff = got->len;

		if (!exp)
			exp = h_pattern(off);
		for (i = 0; i < got->len; i++)
			if (got->payload[i] != exp[i]) {
				first_diff = i;
				break;
			}
		FIELD("first_wrong_payload_byte", first_diff, got->len);
	}
#undef FIELD

	for (i = 0; i < n; i++)
		if (f[i].got != f[i].want) {
			bad = i;
			break;
		}
	if (bad != SIZE_MAX) {
		fprintf(stderr, "%s:%d: segment #%zu differs in %s (got %" PRIu64 ", want %" PRIu64 ")\n"
			"    got  %s at %" PRIu64 " ns\n    want %s at %" PRIu64 " ns\n",
			file, line, h->tx_head - 1, f[bad].name, f[bad].got, f[bad].want,
			h_format(got, gb, sizeof(gb)), t->at_ns,
			h_format(want, wb, sizeof(wb)), at_ns);
		/* The same comparisons again, so that Check names the field
		 * and prints both values. */
		if (mask & HF_AT)
			ck_assert_uint_eq(t->at_ns, at_ns);
		if (mask & HF_FLAGS)
			ck_assert_uint_eq(got->flags, want->flags);
		if (mask & HF_SEQ)
			ck_assert_uint_eq(got->seq, want->seq);
		if (mask & HF_ACK)
			ck_assert_uint_eq(got->ack, want->ack);
		if (mask & HF_WND)
			ck_assert_uint_eq(got->wnd, want->wnd);
		if (mask & HF_LEN)
			ck_assert_uint_eq(got->len, want->len);
		if (mask & HF_OPTS) {
			ck_assert_uint_eq(got->opt.has_mss, want->opt.has_mss);
			if (want->opt.has_mss)
				ck_assert_uint_eq(got->opt.mss, want->opt.mss);
			ck_assert_uint_eq(got->opt.has_wscale, want->opt.has_wscale);
			if (want->opt.has_wscale)
				ck_assert_uint_eq(got->opt.wscale, want->opt.wscale);
			ck_assert_uint_eq(got->opt.has_ts, want->opt.has_ts);
			ck_assert_uint_eq(got->opt.sack_permitted, want->opt.sack_permitted);
			if ((mask & HF_TSVAL) && want->opt.has_ts) {
				ck_assert_uint_eq(got->opt.ts_val, want->opt.ts_val);
				ck_assert_uint_eq(got->opt.ts_ecr, want->opt.ts_ecr);
			}
		}
		if (mask & HF_ECN)
			ck_assert_uint_eq(got->ecn, want->ecn);
		if (mask & HF_ADDR) {
			ck_assert_uint_eq(got->src_addr, H_LOCAL_ADDR);
			ck_assert_uint_eq(got->dst_addr, H_PEER_ADDR);
			ck_assert_uint_eq(got->src_port, H_LOCAL_PORT);
			ck_assert_uint_eq(got->dst_port, H_PEER_PORT);
		}
		{
			/* Only the payload is left. */
			uint64_t first_wrong_byte = f[bad].got, payload_len = f[bad].want;
			ck_assert_uint_eq(first_wrong_byte, payload_len);
		}
	}
	return *got;
}

void h_expect_no_tx_at(const char *file, int line, struct harness *h)
{
	char buf[200];

	if (h->tx_head < h->ntx)
		fprintf(stderr, "%s:%d: unexpected segment #%zu %s at %" PRIu64 " ns (%zu pending)\n",
			file, line, h->tx_head, h_format(&h->tx[h->tx_head].seg, buf, sizeof(buf)),
			h->tx[h->tx_head].at_ns, h->ntx - h->tx_head);
	ck_assert_uint_eq(h_pending_tx(h), 0);
}

static const char *event_name(enum tcp_event ev)
{
	switch (ev) {
	case TCP_EV_CONNECTED: return "CONNECTED";
	case TCP_EV_READABLE: return "READABLE";
	case TCP_EV_WRITABLE: return "WRITABLE";
	case TCP_EV_CLOSED: return "CLOSED";
	}
	return "?";
}

void h_expect_event_at(const char *file, int line, struct harness *h, enum tcp_event ev)
{
	if (h->ev_head == h->nev) {
		fprintf(stderr, "%s:%d: expected event %s, none\n", file, line, event_name(ev));
		ck_assert_uint_gt(h->nev - h->ev_head, 0);
	}
	if (h->ev[h->ev_head].ev != ev)
		fprintf(stderr, "%s:%d: expected event %s, got %s\n", file, line,
			event_name(ev), event_name(h->ev[h->ev_head].ev));
	ck_assert_str_eq(event_name(h->ev[h->ev_head].ev), event_name(ev));
	h->ev_head++;
}

void h_expect_no_event_at(const char *file, int line, struct harness *h)
{
	if (h->ev_head < h->nev)
		fprintf(stderr, "%s:%d: unexpected event %s at %" PRIu64 " ns\n", file, line,
			event_name(h->ev[h->ev_head].ev), h->ev[h->ev_head].at_ns);
	ck_assert_uint_eq(h->nev - h->ev_head, 0);
}

size_t h_count_events(const struct harness *h, enum tcp_event ev)
{
	size_t n = 0;

	for (size_t i = h->ev_head; i < h->nev; i++)
		n += h->ev[i].ev == ev;
	return n;
}

void h_discard_events(struct harness *h)
{
	h->ev_head = h->nev;
}

void h_expect_state_at(const char *file, int line, struct harness *h, enum tcp_state s)
{
	enum tcp_state got = tcp_state(h->ep);

	if (got != s)
		fprintf(stderr, "%s:%d: state %s, expected %s\n", file, line,
			tcp_state_name(got), tcp_state_name(s));
	ck_assert_str_eq(tcp_state_name(got), tcp_state_name(s));
}

/* ------------------------------------------------------------- handshakes */

uint8_t h_rcv_wscale(const struct harness *h)
{
	uint8_t s = 0;

	while (s < 14 && (h->cfg.receive_buffer >> s) > 65535)
		s++;
	return s;
}

uint16_t h_wnd_field(const struct harness *h, uint64_t free_bytes)
{
	bool scaled = h->cfg.window_scaling && h->peer.wscale != H_NO_WS;
	uint64_t f = free_bytes >> (scaled ? h_rcv_wscale(h) : 0);

	return (uint16_t)(f > 65535 ? 65535 : f);
}

static void peer_syn_opts(const struct h_peer *peer, struct tcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->has_mss = peer->mss != 0;
	o->mss = peer->mss;
	o->has_wscale = peer->wscale != H_NO_WS;
	o->wscale = (uint8_t)(peer->wscale < 0 ? 0 : peer->wscale);
	o->has_ts = peer->ts;
	o->ts_val = 100;
	o->sack_permitted = peer->sack;
}

/* The options our SYN or SYN-ACK must carry. */
static void our_syn_opts(const struct harness *h, bool synack, struct tcp_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->has_mss = true;
	o->mss = (uint16_t)(h->cfg.mss ? h->cfg.mss : h->mtu - 40);
	o->has_wscale = h->cfg.window_scaling && (!synack || h->peer.wscale != H_NO_WS);
	o->wscale = h_rcv_wscale(h);
	o->has_ts = h->cfg.timestamps && (!synack || h->peer.ts);
	o->sack_permitted = h->cfg.sack && (!synack || h->peer.sack);
}

void h_established_client(struct harness *h, const struct h_peer *peer, uint64_t synack_at_ns)
{
	uint64_t rcvbuf = h->cfg.receive_buffer;
	struct tcp_seg syn = {
		.flags = TH_SYN | (h->cfg.ecn ? TH_ECE | TH_CWR : 0), .seq = h->iss, .ack = 0,
		.wnd = (uint16_t)(rcvbuf > 65535 ? 65535 : rcvbuf),
	};
	struct tcp_seg synack = {
		.flags = TH_SYN | TH_ACK | (peer->ecn ? TH_ECE : 0), .seq = peer->iss,
		.ack = h->iss + 1, .wnd = peer->wnd,
	};
	struct tcp_seg ack = { .flags = TH_ACK, .seq = h->iss + 1, .ack = peer->iss + 1 };

	our_syn_opts(h, false, &syn.opt);
	h_connect(h);
	h_expect_tx_mask(h, h_now(h), &syn, HF_ALL & ~HF_TSVAL);
	h_expect_state(h, TCPS_SYN_SENT);

	h->peer = *peer;
	peer_syn_opts(peer, &synack.opt);
	h_inject(h, synack_at_ns, &synack);
	ack.wnd = h_wnd_field(h, rcvbuf);
	ack.opt.has_ts = h->cfg.timestamps && peer->ts;
	h_expect_tx_mask(h, synack_at_ns, &ack, HF_ALL & ~HF_TSVAL);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_event(h, TCP_EV_CONNECTED);
	h_expect_no_event(h);
}

void h_established_server(struct harness *h, const struct h_peer *peer, uint64_t syn_at_ns,
			  uint64_t ack_at_ns)
{
	uint64_t rcvbuf = h->cfg.receive_buffer;
	struct tcp_seg syn = {
		.flags = TH_SYN | (peer->ecn ? TH_ECE | TH_CWR : 0), .seq = peer->iss,
		.wnd = peer->wnd,
	};
	struct tcp_seg synack = {
		.flags = TH_SYN | TH_ACK | (h->cfg.ecn && peer->ecn ? TH_ECE : 0), .seq = h->iss,
		.ack = peer->iss + 1, .wnd = (uint16_t)(rcvbuf > 65535 ? 65535 : rcvbuf),
	};
	struct tcp_seg ack = {
		.flags = TH_ACK, .seq = peer->iss + 1, .ack = h->iss + 1, .wnd = peer->wnd,
	};

	h_listen(h);
	h_expect_state(h, TCPS_LISTEN);
	h->peer = *peer;
	peer_syn_opts(peer, &syn.opt);
	h_inject(h, syn_at_ns, &syn);
	our_syn_opts(h, true, &synack.opt);
	h_expect_tx_mask(h, syn_at_ns, &synack, HF_ALL & ~HF_TSVAL);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_SYN_RECEIVED);

	ack.opt.has_ts = peer->ts;
	h_inject(h, ack_at_ns, &ack);
	h_expect_no_tx(h);
	h_expect_state(h, TCPS_ESTABLISHED);
	h_expect_event(h, TCP_EV_CONNECTED);
	h_expect_no_event(h);
}
