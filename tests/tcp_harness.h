/*
 * tcp_harness: one TCP endpoint on a virtual clock, driven segment by segment
 * in the packetdrill / smoltcp manner, for tests/check_tcp.c, check_sack.c,
 * check_rack.c and check_tcp_ts.c; the conventions they share (ISS, MSS,
 * T, S(), SEND() ...) are tests/tcp_testdefs.h, included at the end.
 *
 * The endpoint under test is 192.0.2.1:49152; the peer (played by the test)
 * is 192.0.2.2:8000. Nothing else exists: no link, no second endpoint. The
 * test injects a segment at a virtual time (h_inject), which first runs every
 * timer due by then, and asserts the exact segments the endpoint emitted,
 * field by field and with their emission time (h_expect_tx), in order.
 *
 * What the endpoint emits is copied (segment and payload bytes) into a queue
 * owned by the harness, stamped with engine_now(); what it tells the
 * application (hooks.notify) is queued too. The application side writes and
 * reads a known byte pattern, so every payload is checked byte for byte.
 *
 * The expect/inject helpers are macros that pass the caller's file and line:
 * when a field differs, both segments are printed with the test's location,
 * then ck_assert_uint_eq fails on the first differing field.
 */
#ifndef TCPSIM_TCP_HARNESS_H
#define TCPSIM_TCP_HARNESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine.h"
#include "scenario.h"
#include "tcp.h"
#include "tcp_var.h"
#include "wire.h"

#define H_LOCAL_ADDR 0xC0000201u    /* 192.0.2.1 (RFC 5737) */
#define H_LOCAL_PORT 49152
#define H_PEER_ADDR 0xC0000202u     /* 192.0.2.2 */
#define H_PEER_PORT 8000

#define H_NO_WS (-1)                /* struct h_peer.wscale: no window-scale option */

/* The byte pattern both directions carry: byte i of a stream is h_pattern(i)[0]. */
#define H_PATTERN_LEN (1u << 20)
const uint8_t *h_pattern(uint64_t off);

/* Fields h_expect_tx_mask compares. */
enum {
	HF_AT = 1u << 0,       /* emission time */
	HF_FLAGS = 1u << 1,
	HF_SEQ = 1u << 2,
	HF_ACK = 1u << 3,
	HF_WND = 1u << 4,
	HF_LEN = 1u << 5,
	HF_OPTS = 1u << 6,     /* presence of MSS/WS/TS/SACK-permitted, MSS and WS values */
	HF_TSVAL = 1u << 7,    /* TSval and TSecr (only if HF_OPTS and has_ts) */
	HF_DATA = 1u << 8,     /* payload bytes: want->payload, or the pattern at the offset */
	HF_ADDR = 1u << 9,     /* addresses and ports are 192.0.2.1:49152 -> 192.0.2.2:8000 */
	HF_ECN = 1u << 10,     /* the IP ECN field (RFC 3168 §5) */
	HF_ALL = 0x7ffu,
};

struct h_tx {
	uint64_t at_ns;
	struct tcp_seg seg;        /* seg.payload points at data */
	uint8_t *data;
	struct tcp_why why;        /* the endpoint's reason for it */
};

struct h_ev {
	uint64_t at_ns;
	enum tcp_event ev;
};

/* What the peer's SYN or SYN-ACK carries (the handshake helpers). */
struct h_peer {
	uint32_t iss;
	uint16_t wnd;              /* window field of its SYN */
	uint16_t mss;              /* 0: no MSS option */
	int wscale;                /* H_NO_WS: no window-scale option */
	bool ts;                   /* a timestamps option */
	bool sack;                 /* SACK-permitted (RFC 2018 §2) */
	bool ecn;                  /* ECN-setup flags (RFC 3168 §6.1.1): ECE+CWR on a SYN,
				    * ECE on a SYN-ACK */
};

struct harness {
	struct engine eng;
	struct tcp_ep *ep;
	struct tcp_cfg cfg;
	uint32_t mtu;
	uint32_t iss;
	struct h_peer peer;        /* set by the handshake helpers */
	uint64_t app_sent;         /* pattern bytes handed to tcp_send */
	uint64_t app_read;         /* bytes read back through h_recv */

	struct h_tx *tx;           /* emitted segments, [tx_head, ntx) not yet expected */
	size_t ntx, tx_head, tx_cap;
	struct h_ev *ev;           /* application events, [ev_head, nev) not yet expected */
	size_t nev, ev_head, ev_cap;

	struct sim_timer alarm;    /* moves the clock to a chosen time */
	bool alarm_fired;
};

/* The scenario defaults (scenario_defaults()'s client.tcp). */
struct tcp_cfg h_default_cfg(void);

struct harness *h_new(const struct tcp_cfg *cfg, uint32_t mtu, uint32_t iss);
void h_free(struct harness *h);

/* Application calls. h_send writes the next n bytes of the pattern and
 * returns how many the endpoint took. */
void h_listen(struct harness *h);
void h_connect(struct harness *h);
size_t h_send(struct harness *h, size_t n);
/* The same through tcp_write: more says the write goes on (MSG_MORE). */
size_t h_write(struct harness *h, size_t n, bool more);
void h_close(struct harness *h);
void h_abort(struct harness *h);
size_t h_recv(struct harness *h, uint8_t *buf, size_t n);

/* Runs every timer due at or before t_ns, then sets the clock to t_ns. */
void h_run_until(struct harness *h, uint64_t t_ns);
static inline uint64_t h_now(const struct harness *h) { return engine_now(&h->eng); }

/* Segments the peer sends and the endpoint emits, by stream offset. */
static inline uint32_t h_snd_seq(const struct harness *h, uint64_t off)
{
	return h->iss + 1 + (uint32_t)off;
}
static inline uint32_t h_rcv_seq(const struct harness *h, uint64_t off)
{
	return h->peer.iss + 1 + (uint32_t)off;
}

/* The window field the endpoint should advertise for free_bytes of buffer,
 * with the negotiated shift (RFC 7323 §2.3), at most 65535. */
uint16_t h_wnd_field(const struct harness *h, uint64_t free_bytes);
/* The shift the endpoint announces on its SYN: smallest s with rcvbuf >> s <= 65535. */
uint8_t h_rcv_wscale(const struct harness *h);

/* Everything below asserts; the macros pass the caller's location. */
#define h_inject(h, at, seg) h_inject_at(__FILE__, __LINE__, (h), (at), (seg))
#define h_expect_tx(h, at, want) h_expect_tx_at(__FILE__, __LINE__, (h), (at), (want), HF_ALL)
#define h_expect_tx_mask(h, at, want, mask) \
	h_expect_tx_at(__FILE__, __LINE__, (h), (at), (want), (mask))
#define h_expect_no_tx(h) h_expect_no_tx_at(__FILE__, __LINE__, (h))
#define h_expect_event(h, ev) h_expect_event_at(__FILE__, __LINE__, (h), (ev))
#define h_expect_no_event(h) h_expect_no_event_at(__FILE__, __LINE__, (h))
#define h_expect_read(h, n) h_expect_read_at(__FILE__, __LINE__, (h), (n))
#define h_expect_read_part(h, n) h_expect_read_part_at(__FILE__, __LINE__, (h), (n))
#define h_expect_state(h, s) h_expect_state_at(__FILE__, __LINE__, (h), (s))

/*
 * Runs the engine to at_ns, then delivers seg to tcp_input. Zero addresses
 * and ports are filled in as the peer's (source) and the endpoint's
 * (destination). seg->payload, when NULL with seg->len > 0, is the pattern
 * at the segment's offset in the peer's stream.
 */
void h_inject_at(const char *file, int line, struct harness *h, uint64_t at_ns,
		 const struct tcp_seg *seg);
/* Pops the next emitted segment, compares the fields in mask with want (and
 * the emission time with at_ns) and returns the segment (its payload stays
 * valid until h_free). */
struct tcp_seg h_expect_tx_at(const char *file, int line, struct harness *h, uint64_t at_ns,
			      const struct tcp_seg *want, unsigned mask);
void h_expect_no_tx_at(const char *file, int line, struct harness *h);
/* Segments emitted and not yet expected. */
size_t h_pending_tx(const struct harness *h);
/* Drops the segments not yet expected; returns how many. */
size_t h_discard_tx(struct harness *h);

void h_expect_event_at(const char *file, int line, struct harness *h, enum tcp_event ev);
void h_expect_no_event_at(const char *file, int line, struct harness *h);
/* Events of kind ev not yet expected (they stay queued). */
size_t h_count_events(const struct harness *h, enum tcp_event ev);
void h_discard_events(struct harness *h);

/* Reads exactly n bytes through tcp_recv and checks them against the pattern. */
void h_expect_read_at(const char *file, int line, struct harness *h, size_t n);
/* The same, but more may be left to read (a slow reader taking part of it). */
void h_expect_read_part_at(const char *file, int line, struct harness *h, size_t n);
void h_expect_state_at(const char *file, int line, struct harness *h, enum tcp_state s);

/*
 * Handshakes, each exchange asserted exactly; the clock starts where it is.
 * Client: CONNECT now, the SYN, the peer's SYN-ACK at synack_at_ns, our ACK
 * at the same instant, the CONNECTED event. Server: LISTEN, the peer's SYN at
 * syn_at_ns, our SYN-ACK, the peer's ACK at ack_at_ns (window field
 * peer->wnd), nothing sent, the CONNECTED event.
 */
void h_established_client(struct harness *h, const struct h_peer *peer, uint64_t synack_at_ns);
void h_established_server(struct harness *h, const struct h_peer *peer, uint64_t syn_at_ns,
			  uint64_t ack_at_ns);

/* Formats seg on one line into buf (>= 160 bytes); returns buf. */
char *h_format(const struct tcp_seg *seg, char *buf, size_t len);

#include "tcp_testdefs.h"

#endif
