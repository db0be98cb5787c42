/*
 * fuzz_tcp: one TCP endpoint, brought to a chosen state by a well-formed
 * peer, then fed whatever the input says: arbitrary segments, timer
 * advances, application writes, reads and closes.
 *
 * Input: a 16-byte header (missing bytes are 0), then operations until the
 * input ends (at most MAX_OPS).
 *   [0]     target state (mod 10, STATES[]), the quotient the SACK mode
 *           (SACKMODES[], with [5] bit 3); bit 7: reach it by a passive open
 *   [1]     bit 0 window_scaling, 1 timestamps, 2 nagle, 3 delayed ACK (40 ms),
 *           4 limited transmit, 5 Reno, 6 the peer offers window scale,
 *           7 the peer offers timestamps
 *   [2] [3] receive and send buffer (RCVBUFS[], SNDBUFS[])
 *   [4]     link MTU (MTUS[])
 *   [5]     bit 0: the peer's SYN carries an MSS option; bit 1: ecn (RFC 3168);
 *           bit 2: the peer's handshake SYN asks for ECN (ECE+CWR), its
 *           SYN-ACK agrees (ECE); bit 3: SACK (RFC 2018 §2), as [0] says;
 *           bits 4-7 the peer's shift
 *   [6..7]  the peer's MSS option
 *   [8..11] our ISS, [12..15] the peer's ISS
 * Operations, one byte opcode (mod 8) and its arguments:
 *   0, 1  a segment: flags, how seq and ack are chosen, window, length,
 *         options (seg_op), among them SACK blocks of any kind: below
 *         SND.UNA, beyond SND.MAX, overlapping, reversed, D-SACK-shaped, or
 *         ones that stop reporting what an earlier ACK SACKed (reneging)
 *   2     time: 1..199 ms, 1..55 s, or (255) to the next timer's deadline
 *   3     the application writes n bytes (the last bit of n: MSG_MORE)
 *   4     the application reads up to n bytes
 *   5     close; 6 abort (only for argument 0)
 *   7     a well-behaved peer segment: the next new data, ACKing all we sent
 * The peer's byte at sequence number x is peer_tab[x mod 2^20], ours at
 * stream offset o our_tab[o mod 65521]: retransmissions agree, and every
 * byte read or sent is checked.
 *
 * Properties, on every segment the endpoint emits (check_tx):
 *   - it encodes (wire_encode) to at most the MTU, options at most 40 bytes;
 *   - its addresses and ports are the connection's; SYN only at ISS, never
 *     with FIN or RST or data; the SYN options are ours (MSS announced,
 *     window scale and timestamps as negotiated, RFC 7323 §2.2, §3.2) and
 *     other segments carry none but timestamps, exactly when negotiated;
 *   - payload at most Eff.snd.MSS (RFC 9293 §3.7.1, computed here from the
 *     peer's SYN), and with its options at most the MSS (RFC 6691 §2);
 *     bytes the application wrote, at their offset; a FIN only
 *     after close, right after the last byte; seq within what was written;
 *   - the ACK field never beyond the peer's highest sequence number sent
 *     (SYN and FIN counted) and never backwards;
 *   - the right edge SEG.ACK + SEG.WND << shift never beyond what the
 *     receive buffer holds, and never left of the farthest edge offered,
 *     except by less than a scale unit (the rounding RFC 7323 §2.4 allows
 *     for) and only when keeping it would offer more than the buffer holds,
 *     or on a retransmitted SYN-ACK (its field is not scaled);
 *   - TSval never goes back;
 *   - ECN (RFC 3168 §6.1): our SYN carries ECE+CWR exactly when ecn is on,
 *     a SYN-ACK ECE exactly when ECN was agreed, which needs ecn and the
 *     peer's ECN-setup SYN (ECE and CWR); otherwise ECE only once agreed;
 *     ECT(0) only on data at or beyond the highest sequence number sent
 *     (new data), never on a SYN, RST or pure ACK; CWR only on such data;
 *     a RST carries neither.
 *   - SACK-permitted only on a SYN, ours iff configured, on a SYN-ACK only
 *     if the peer offered it too; SACK blocks only when both SYNs carried
 *     it (RFC 2018 §2), never on a SYN or RST, each block non-empty, of
 *     data the peer sent, above the ACK field and apart from the others,
 *     except a first block that is a D-SACK (RFC 2883 §4: below the ACK
 *     field or within the second block).
 * After every operation (check_state): Eff.snd.MSS as computed here;
 * nothing hangs: in SYN-SENT and SYN-RECEIVED the retransmission timer is
 * armed, data or a FIN not yet acknowledged has the retransmission or the
 * persist timer armed, TIME-WAIT has its timer; every byte the
 * application reads is the peer's byte at that place; the out-of-order
 * islands are in order, apart, beyond RCV.NXT and within the buffer; with
 * SACK, the scoreboard's records are in order, non-empty, apart, within
 * SND.UNA .. SND.MAX, and its SACKed byte count and highest SACKed byte are
 * what its records say.
 */
#include "fuzz.h"

#include <string.h>

#include "engine.h"
#include "scenario.h"
#include "tcp.h"
#include "tcp_var.h"
#include "wire.h"

#define LOCAL_ADDR 0xC0000201u      /* 192.0.2.1 */
#define LOCAL_PORT 49152
#define PEER_ADDR 0xC0000202u       /* 192.0.2.2 */
#define PEER_PORT 8000
#define MAX_OPS 400
#define MAX_SEG_LEN 8192

static const enum tcp_state STATES[] = {
	TCPS_LISTEN, TCPS_SYN_SENT, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_FIN_WAIT_1,
	TCPS_FIN_WAIT_2, TCPS_CLOSING, TCPS_CLOSE_WAIT, TCPS_LAST_ACK, TCPS_TIME_WAIT,
};
static const uint64_t RCVBUFS[] = { 131072, 1000, 4096, 16384, 65535, 65536, 100001, 262143,
				    1 << 20, 16 << 20 };
static const uint64_t SNDBUFS[] = { 131072, 1, 1000, 4096, 16384, 65536, 1 << 20 };
static const uint32_t MTUS[] = { 1500, 68, 296, 576, 1280, 9000, 65535 };
static const struct { bool ours, peers; enum tcp_recovery recovery; } SACKMODES[] = {
	{ false, false, TCP_RECOVERY_PRR }, { true, false, TCP_RECOVERY_PRR },
	{ false, true, TCP_RECOVERY_PRR }, { false, false, TCP_RECOVERY_PRR },
	{ true, true, TCP_RECOVERY_PRR }, { true, true, TCP_RECOVERY_PRR_CRB },
	{ true, true, TCP_RECOVERY_RFC6675 }, { true, true, TCP_RECOVERY_PRR },
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

struct fz {
	struct engine eng;
	struct tcp_ep *ep;
	struct tcp_cfg cfg;
	uint32_t mtu;
	const uint8_t *in;
	size_t len, pos;

	uint8_t wbuf[65536], rbuf[65536], pbuf[MAX_SEG_LEN], enc[65536 + 128];
	uint64_t app_sent;           /* bytes the application handed over */
	uint64_t writing;            /* ... and at most this many more during tcp_write */
	uint64_t app_read;           /* bytes the application read */
	uint64_t reading;            /* ... and at most this many more during tcp_recv */
	bool app_closed;
	struct sim_timer alarm;      /* moves the clock to a chosen time */
	bool alarm_fired;

	/* The peer's side, as injected. */
	struct tcp_opts peer_syn;    /* options of the SYN the peer sent last */
	uint32_t peer_irs;           /* ... and its sequence number */
	bool peer_wscale;            /* the handshake SYN offers window scale */
	bool peer_ecn;               /* ... and ECN-setup flags (RFC 3168 §6.1.1) */
	uint8_t peer_syn_flags;      /* flags of the SYN the peer sent last */
	uint16_t peer_mss;
	bool peer_has_mss;
	bool peer_sack;              /* the handshake SYN offers SACK-permitted */
	uint8_t peer_shift;
	uint32_t peer_iss;
	bool have_peer;              /* peer_max is meaningful */
	uint32_t peer_max;           /* highest sequence number + 1 the peer sent */
	uint32_t peer_ts;            /* TSval the peer sends next; 0: it sends none */

	/* What the endpoint emitted in this connection. */
	bool have_ack;
	uint32_t last_ack;
	bool have_edge;
	uint32_t max_edge;
	bool have_tsval;
	uint32_t last_tsval;
	uint32_t our_max;            /* highest seq + len (+ SYN, FIN) emitted */
	bool have_our;
	bool in_rst_reply;           /* a RST for the segment being injected may echo its ack */
	uint32_t injected_ack;
};

/* FUZZ_TRACE=1 in the environment prints what goes in and out. */
static bool tracing;

static void trace_seg(const struct fz *f, const char *dir, const struct tcp_seg *s)
{
	if (!tracing)
		return;
	fprintf(stderr, "%10.3f ms %s %-11s flags 0x%02x seq %u ack %u wnd %u len %u%s%s%s\n",
		(double)engine_now(&f->eng) / NS_PER_MS, dir, tcp_state_name(f->ep->state),
		s->flags, s->seq, s->ack, s->wnd, s->len, s->opt.has_mss ? " mss" : "",
		s->opt.has_wscale ? " ws" : "", s->opt.has_ts ? " ts" : "");
}

/*
 * The byte streams are tables, so that payloads are made and compared with
 * memcpy and memcmp. Ours repeats with a prime period, so that no segment
 * size lines a misplaced byte up with the right one; the peer's is a
 * function of the 32-bit sequence number, so its period divides 2^32.
 */
#define OUR_PERIOD 65521u
#define PEER_PERIOD (1u << 20)
static uint8_t peer_tab[PEER_PERIOD], our_tab[OUR_PERIOD];
static bool tables_ready;

static void init_tables(void)
{
	for (uint32_t i = 0; i < PEER_PERIOD; i++)
		peer_tab[i] = (uint8_t)((i * 2654435761u) >> 11 ^ i >> 16);
	for (uint32_t i = 0; i < OUR_PERIOD; i++)
		our_tab[i] = (uint8_t)((i ^ (i >> 9)) * 37u + 11u);
	tables_ready = true;
}

static uint64_t period_of(const uint8_t *tab)
{
	return tab == our_tab ? OUR_PERIOD : PEER_PERIOD;
}

/* n bytes of a stream from position pos into dst, or compared with src. */
static void stream_copy(const uint8_t *tab, uint64_t pos, uint8_t *dst, size_t n)
{
	uint64_t period = period_of(tab);

	while (n > 0) {
		size_t at = (size_t)(pos % period), k = period - at < n ? period - at : n;
		memcpy(dst, tab + at, k);
		dst += k;
		pos += k;
		n -= k;
	}
}

static bool stream_same(const uint8_t *tab, uint64_t pos, const uint8_t *src, size_t n)
{
	uint64_t period = period_of(tab);

	while (n > 0) {
		size_t at = (size_t)(pos % period), k = period - at < n ? period - at : n;
		if (memcmp(src, tab + at, k) != 0)
			return false;
		src += k;
		pos += k;
		n -= k;
	}
	return true;
}

/* ------------------------------------------------------------ input bytes */

static unsigned u8(struct fz *f)
{
	return f->pos < f->len ? f->in[f->pos++] : 0;
}

static unsigned u16(struct fz *f)
{
	unsigned hi = u8(f);
	return hi << 8 | u8(f);
}

static uint32_t u32(struct fz *f)
{
	uint32_t hi = u16(f);
	return hi << 16 | u16(f);
}

/* ------------------------------------------------------------- properties */

/* RFC 7323 §2.2, §3.2: an option is in use when both SYNs carried it. */
static bool ts_ok(const struct fz *f)
{
	return f->cfg.timestamps && f->peer_syn.has_ts;
}

static bool ws_ok(const struct fz *f)
{
	return f->cfg.window_scaling && f->peer_syn.has_wscale;
}

/* Eff.snd.MSS (RFC 9293 §3.7.1, RFC 6691), worked out from the peer's SYN. */
static uint32_t want_smss(const struct fz *f)
{
	uint32_t send = f->peer_syn.has_mss ? f->peer_syn.mss : 536;
	uint32_t ours = f->cfg.mss ? f->cfg.mss : f->mtu - 40;

	if (send > ours)
		send = ours;
	if (send < 48)
		send = 48;
	if (send > f->mtu - 40)
		send = f->mtu - 40;
	return send - (ts_ok(f) ? 12 : 0);
}

static uint8_t our_shift(const struct fz *f)
{
	uint8_t s = 0;

	while (f->cfg.window_scaling && s < 14 && (f->cfg.receive_buffer >> s) > 65535)
		s++;
	return s;
}

static bool synchronized(enum tcp_state s)
{
	return s >= TCPS_SYN_RECEIVED;
}

/* Sequence number x as an offset from the peer's SYN (its first byte is 1). */
static uint32_t peer_off(const struct fz *f, uint32_t x)
{
	return x - f->peer_irs;
}

/*
 * RFC 2018 §4: a block reports data received beyond the cumulative ACK,
 * "contiguous and isolated"; RFC 2883 §4: the first block may instead be a
 * D-SACK, of data below the ACK field or within the second block. Either
 * way only data the peer sent.
 */
static void check_blocks(struct fz *f, const struct tcp_seg *s)
{
	const struct tcp_opts *o = &s->opt;
	uint32_t ack = peer_off(f, s->ack), max = peer_off(f, f->peer_max);

	for (unsigned i = 0; i < o->nsack; i++) {
		uint32_t l = peer_off(f, o->sack[i].left), r = peer_off(f, o->sack[i].right);
		bool dsack = i == 0 && (seq_leq(o->sack[0].right, s->ack) ||
				       (o->nsack > 1 && seq_geq(o->sack[0].left, o->sack[1].left) &&
					seq_leq(o->sack[0].right, o->sack[1].right)));

		/* A D-SACK reports the segment as it came, which may be older
		 * than the connection (Linux's tcp_send_dupack does the same). */
		if (dsack) {
			FUZZ_ASSERT(seq_lt(o->sack[0].left, o->sack[0].right),
				    "D-SACK block %u-%u empty or reversed", o->sack[0].left,
				    o->sack[0].right);
			continue;
		}
		FUZZ_ASSERT(l >= 1 && l < r && r <= max,
			    "SACK block %u: %u-%u (offsets; the peer sent up to %u)", i, l, r, max);
		FUZZ_ASSERT(l > ack, "SACK block %u: %u-%u at or below the ACK field %u", i, l, r,
			    ack);
		for (unsigned k = i + 1; k < o->nsack; k++) {
			uint32_t l2 = peer_off(f, o->sack[k].left), r2 = peer_off(f, o->sack[k].right);
			FUZZ_ASSERT(r < l2 || r2 < l, "SACK blocks %u and %u touch: %u-%u, %u-%u",
				    i, k, l, r, l2, r2);
		}
	}
}

static void check_tx(struct fz *f, const struct tcp_seg *s)
{
	const struct tcp_ep *ep = f->ep;
	size_t n = wire_encode(s, f->enc, sizeof(f->enc));
	bool syn = s->flags & TH_SYN, fin = s->flags & TH_FIN, rst = s->flags & TH_RST;
	uint32_t data0 = ep->iss + 1;

	trace_seg(f, "out", s);
	FUZZ_ASSERT(n > 0, "segment does not encode (payload %u)", s->len);
	FUZZ_ASSERT(n <= f->mtu, "%zu-byte packet on a %u-byte MTU", n, f->mtu);
	FUZZ_ASSERT(wire_opts_len(&s->opt) <= TCP_OPT_MAX, "options too long");
	FUZZ_ASSERT(s->src_addr == LOCAL_ADDR && s->src_port == LOCAL_PORT &&
		    s->dst_addr == PEER_ADDR && s->dst_port == PEER_PORT, "addresses or ports");
	FUZZ_ASSERT(!(syn && (fin || rst)), "SYN with FIN or RST (flags 0x%02x)", s->flags);
	FUZZ_ASSERT(!s->opt.sack_permitted || syn, "SACK-permitted off a SYN");
	FUZZ_ASSERT(s->opt.nsack == 0 || (!syn && !rst && tcp_sack_in_use(ep)),
		    "%u SACK blocks (flags 0x%02x, SACK in use %d)", s->opt.nsack, s->flags,
		    tcp_sack_in_use(ep));
	if (s->opt.nsack > 0)
		check_blocks(f, s);

	if (rst) {
		FUZZ_ASSERT(s->len == 0 && !(s->flags & TH_ACK), "RST with data or ACK");
		FUZZ_ASSERT(s->ecn == IP_ECN_NOT_ECT && !(s->flags & (TH_ECE | TH_CWR)),
			    "RST with ECN bits (ecn %u, flags 0x%02x)", s->ecn, s->flags);
		FUZZ_ASSERT(!s->opt.has_mss && !s->opt.has_wscale && !s->opt.has_ts,
			    "RST with options");
		FUZZ_ASSERT((f->in_rst_reply && s->seq == f->injected_ack) || s->seq == ep->snd_max,
			    "RST at seq %u", s->seq);
		return;
	}
	FUZZ_ASSERT(syn || (s->flags & TH_ACK), "a segment without ACK (flags 0x%02x)", s->flags);
	if (syn) {
		bool synack = s->flags & TH_ACK;

		FUZZ_ASSERT(s->seq == ep->iss && s->len == 0, "SYN at %u with %u bytes", s->seq,
			    s->len);
		FUZZ_ASSERT(s->opt.has_mss && s->opt.mss == (f->cfg.mss ? f->cfg.mss : f->mtu - 40),
			    "SYN announces MSS %u", s->opt.mss);
		FUZZ_ASSERT(s->opt.has_wscale == (f->cfg.window_scaling &&
						  (!synack || f->peer_syn.has_wscale)),
			    "window scale option on the SYN");
		FUZZ_ASSERT(!s->opt.has_wscale || s->opt.wscale == our_shift(f), "shift %u",
			    s->opt.wscale);
		FUZZ_ASSERT(s->opt.has_ts == (f->cfg.timestamps && (!synack || f->peer_syn.has_ts)),
			    "timestamps option on the SYN");
		FUZZ_ASSERT(s->ecn == IP_ECN_NOT_ECT, "SYN sent ECN-capable (%u)", s->ecn);
		if (synack) {
			bool asked = (f->peer_syn_flags & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR);

			FUZZ_ASSERT((s->flags & (TH_ECE | TH_CWR)) ==
				    (f->cfg.ecn && asked ? TH_ECE : 0),
				    "SYN-ACK flags 0x%02x, ecn %d, the SYN's 0x%02x", s->flags,
				    f->cfg.ecn, f->peer_syn_flags);
		} else {
			FUZZ_ASSERT((s->flags & (TH_ECE | TH_CWR)) ==
				    (f->cfg.ecn ? TH_ECE | TH_CWR : 0), "SYN flags 0x%02x", s->flags);
		}
		FUZZ_ASSERT(s->opt.sack_permitted ==
			    (f->cfg.sack && (!synack || f->peer_syn.sack_permitted)),
			    "SACK-permitted on the SYN");
	} else {
		bool fresh = !f->have_our || seq_geq(s->seq, f->our_max);

		FUZZ_ASSERT(!(s->flags & TH_ECE) || ep->ecn.ok, "ECE without ECN agreed");
		FUZZ_ASSERT(ep->ecn.ok == false || f->cfg.ecn, "ECN agreed though ecn is off");
		FUZZ_ASSERT(s->ecn == IP_ECN_NOT_ECT ||
			    (s->ecn == IP_ECN_ECT0 && ep->ecn.ok && s->len > 0 && fresh),
			    "ECN field %u on a segment of %u bytes at %u (sent up to %u), agreed %d",
			    s->ecn, s->len, s->seq, f->our_max, ep->ecn.ok);
		FUZZ_ASSERT(!(s->flags & TH_CWR) || s->ecn == IP_ECN_ECT0,
			    "CWR on a segment that is not new ECN-capable data");
		FUZZ_ASSERT(!s->opt.has_mss && !s->opt.has_wscale, "MSS or window scale off a SYN");
		FUZZ_ASSERT(s->opt.has_ts == ts_ok(f), "timestamps %d, negotiated %d",
			    s->opt.has_ts, ts_ok(f));
	}
	if (s->opt.has_ts) {
		FUZZ_ASSERT(!f->have_tsval || seq_geq(s->opt.ts_val, f->last_tsval), "TSval back");
		f->have_tsval = true;
		f->last_tsval = s->opt.ts_val;
	}

	/* Our stream: data only as written, the FIN right after it. */
	if (!syn) {
		uint64_t off = (uint32_t)(s->seq - data0);

		uint64_t written = f->app_sent + f->writing;

		FUZZ_ASSERT(off + s->len <= written + 1 && (s->len == 0 || off + s->len <= written),
			    "seq %u (offset %llu) + %u beyond the %llu bytes written", s->seq,
			    (unsigned long long)off, s->len, (unsigned long long)written);
		FUZZ_ASSERT(s->len <= want_smss(f), "%u-byte segment, Eff.snd.MSS %u", s->len,
			    want_smss(f));
		/* RFC 6691 §2: options count against the MSS too (the
		 * timestamps are in Eff.snd.MSS already; SACK blocks are not). */
		FUZZ_ASSERT(s->len + wire_opts_len(&s->opt) <= want_smss(f) + (ts_ok(f) ? 12u : 0u),
			    "%u bytes of payload and %zu of options, Eff.snd.MSS %u", s->len,
			    wire_opts_len(&s->opt), want_smss(f));
		FUZZ_ASSERT(stream_same(our_tab, off, s->payload, s->len),
			    "payload at offset %llu is not what was written", (unsigned long long)off);
		if (fin)
			FUZZ_ASSERT(f->app_closed && off + s->len == f->app_sent,
				    "FIN at offset %llu, %llu written, closed %d",
				    (unsigned long long)(off + s->len),
				    (unsigned long long)f->app_sent, f->app_closed);
	}
	{
		uint32_t end = s->seq + s->len + syn + fin;
		if (!f->have_our || seq_gt(end, f->our_max))
			f->our_max = end;
		f->have_our = true;
	}

	if (s->flags & TH_ACK) {
		/* RFC 7323 §2.2: the window of a SYN is never scaled. */
		uint32_t unit = ws_ok(f) ? 1u << our_shift(f) : 1;
		uint8_t shift = syn || !ws_ok(f) ? 0 : our_shift(f);
		uint32_t edge = s->ack + ((uint32_t)s->wnd << shift);
		/* The buffer and its slack of one unit; the FIN takes a number too. */
		uint64_t cap = f->cfg.receive_buffer + (1u << our_shift(f)) + 1;

		FUZZ_ASSERT(f->have_peer && (uint32_t)(s->ack - f->peer_irs) <= (uint32_t)(f->peer_max - f->peer_irs),
			    "ACK %u beyond what the peer sent (%u)", s->ack, f->peer_max);
		FUZZ_ASSERT(!f->have_ack || seq_geq(s->ack, f->last_ack), "ACK back from %u to %u",
			    f->last_ack, s->ack);
		f->have_ack = true;
		f->last_ack = s->ack;
		FUZZ_ASSERT((uint32_t)(edge - (f->peer_irs + 1)) <= f->app_read + f->reading + cap,
			    "right edge %u beyond the buffer (%llu bytes read, %llu held)", edge,
			    (unsigned long long)f->app_read, (unsigned long long)cap);
		if (f->have_edge && seq_lt(edge, f->max_edge)) {
			/* Where the buffer ends, in sequence numbers (a FIN received
			 * takes one), and the farthest edge rounded up to a unit. */
			uint32_t end = ep->irs + 1 + ep->fin_rcvd + (uint32_t)ep->rcv_off +
				       (uint32_t)(f->cfg.receive_buffer + (1u << our_shift(f)));
			uint64_t keep = (uint64_t)(uint32_t)(f->max_edge - s->ack);

			keep = (keep + unit - 1) / unit * unit;
			FUZZ_ASSERT(f->max_edge - edge < unit,
				    "right edge moved left by %u (ack %u wnd %u shift %u)",
				    f->max_edge - edge, s->ack, s->wnd, shift);
			FUZZ_ASSERT(syn || (uint32_t)(s->ack - ep->irs) + keep > (uint32_t)(end - ep->irs),
				    "right edge moved left by %u with room in the buffer",
				    f->max_edge - edge);
		}
		if (!f->have_edge || seq_gt(edge, f->max_edge))
			f->max_edge = edge;
		f->have_edge = true;
	}
}

/* The receiver's out-of-order islands (RFC 9293 §3.10.7.4: held for later). */
static void check_islands(const struct tcp_ep *ep)
{
	uint64_t edge = ep->rcv_off + ep->rbuf_len;

	for (uint32_t i = 0; i < ep->nooo; i++) {
		const struct ooo_range *r = &ep->ooo[i];
		FUZZ_ASSERT(r->start < r->end, "island %u empty or reversed", i);
		FUZZ_ASSERT(i == 0 ? r->start > edge : r->start > ep->ooo[i - 1].end,
			    "island %u at %llu: not beyond RCV.NXT or the island before", i,
			    (unsigned long long)r->start);
		FUZZ_ASSERT(r->end <= ep->rcv_off + ep->rbuf_cap, "island %u beyond the buffer", i);
	}
}

/* The SACK sender's scoreboard (RFC 6675 §3). */
static void check_board(const struct tcp_ep *ep)
{
	const struct sack_board *b = &ep->sb;
	uint64_t una = tcp_off_of_snd(ep, ep->snd_una), max = tcp_off_of_snd(ep, ep->snd_max);
	uint64_t sacked = 0, high = 0, prev = una, pipe = 0;

	for (uint32_t i = 0; i < b->n; i++) {
		const struct sack_rec *r = &b->rec[(b->head + i) & (b->cap - 1)];

		/* The kept sums and bounds (tcp_sack.c): a SACKed run never
		 * counts more records than are SACKed from it on; none below
		 * unsent_lost_from is lost and waiting to be resent; RACK's pipe
		 * is the sum of the records' shares. */
		if (r->sacked) {
			FUZZ_ASSERT(r->run >= 1 && i + r->run <= b->n, "record %u: run %u of %u", i,
				    r->run, b->n);
			for (uint32_t k = 1; k < r->run; k++)
				FUZZ_ASSERT(b->rec[(b->head + i + k) & (b->cap - 1)].sacked,
					    "record %u: run %u, record %u not SACKed", i, r->run, i + k);
		} else {
			FUZZ_ASSERT(!(r->lost && !r->rexmit) || r->start >= b->unsent_lost_from ||
					    !tcp_rack_on(ep),
				    "record %u at %llu lost, not resent, below %llu", i,
				    (unsigned long long)r->start, (unsigned long long)b->unsent_lost_from);
			pipe += (r->end - r->start) * ((r->lost ? 0 : 1) + (r->rexmit ? 1 : 0));
		}

		FUZZ_ASSERT(r->start < r->end, "record %u empty or reversed", i);
		FUZZ_ASSERT(r->start >= prev, "record %u at %llu below %llu", i,
			    (unsigned long long)r->start, (unsigned long long)prev);
		FUZZ_ASSERT(r->end <= max, "record %u ends at %llu beyond SND.MAX %llu", i,
			    (unsigned long long)r->end, (unsigned long long)max);
		if (r->sacked) {
			sacked += r->end - r->start;
			high = r->end;
		}
		prev = r->end;
	}
	FUZZ_ASSERT(sacked == b->sacked_bytes, "%llu bytes SACKed, the count says %llu",
		    (unsigned long long)sacked, (unsigned long long)b->sacked_bytes);
	FUZZ_ASSERT(sacked == 0 || b->high_sacked == high, "highest SACKed %llu, records %llu",
		    (unsigned long long)b->high_sacked, (unsigned long long)high);
	FUZZ_ASSERT(!tcp_rack_on(ep) || pipe == b->rack_pipe, "RACK's pipe %llu, the records %llu",
		    (unsigned long long)b->rack_pipe, (unsigned long long)pipe);
}

static void check_state(struct fz *f)
{
	const struct tcp_ep *ep = f->ep;
	enum tcp_state st = ep->state;

	if (synchronized(st))
		FUZZ_ASSERT(ep->smss == want_smss(f), "Eff.snd.MSS %u, expected %u", ep->smss,
			    want_smss(f));
	if (st == TCPS_SYN_SENT || st == TCPS_SYN_RECEIVED)
		FUZZ_ASSERT(timer_armed(&ep->rexmt_timer), "%s with no retransmission timer",
			    tcp_state_name(st));
	if (TCPS_HAVE_ESTABLISHED(st) && st != TCPS_TIME_WAIT) {
		bool fin_out = ep->fin_queued && seq_leq(ep->snd_una, tcp_fin_seq(ep));
		if (ep->sbuf_len > 0 || fin_out)
			FUZZ_ASSERT(timer_armed(&ep->rexmt_timer) || timer_armed(&ep->persist_timer),
				    "%s: %llu bytes%s outstanding and no timer armed",
				    tcp_state_name(st), (unsigned long long)ep->sbuf_len,
				    fin_out ? " and the FIN" : "");
	}
	if (st == TCPS_TIME_WAIT)
		FUZZ_ASSERT(timer_armed(&ep->timewait_timer), "TIME-WAIT without its timer");
	check_islands(ep);
	if (tcp_sack_in_use(ep))
		check_board(ep);
}

/* ------------------------------------------------------------------ hooks */

static void on_output(void *ctx, const struct tcp_seg *seg, const struct tcp_why *why)
{
	(void)why;
	check_tx(ctx, seg);
}

static void on_notify(void *ctx, enum tcp_event ev)
{
	(void)ctx;
	(void)ev;
}

/* ------------------------------------------------------------------ peer */

/* A new connection from LISTEN forgets what the last one said. */
static void forget_connection(struct fz *f)
{
	f->have_ack = f->have_edge = f->have_peer = false;
}

static void inject(struct fz *f, struct tcp_seg *s)
{
	uint32_t end = s->seq + s->len + !!(s->flags & TH_SYN) + !!(s->flags & TH_FIN);

	s->src_addr = PEER_ADDR;
	s->dst_addr = LOCAL_ADDR;
	s->src_port = PEER_PORT;
	s->dst_port = LOCAL_PORT;
	if (s->len > MAX_SEG_LEN)
		s->len = MAX_SEG_LEN;
	stream_copy(peer_tab, (uint32_t)(s->seq + !!(s->flags & TH_SYN)), f->pbuf, s->len);
	s->payload = f->pbuf;
	if (f->ep->state == TCPS_LISTEN || f->ep->state == TCPS_SYN_SENT) {
		if (f->ep->state == TCPS_LISTEN)
			forget_connection(f);
		if (s->flags & TH_SYN) {
			f->peer_syn = s->opt;
			f->peer_irs = s->seq;
			f->peer_syn_flags = s->flags;
		}
	}
	/* The peer's highest sequence number, as an offset from its SYN in
	 * the forward half of the sequence space, so that segments thrown
	 * anywhere cannot make it wrap. */
	if ((s->flags & TH_SYN) && (f->ep->state == TCPS_LISTEN || f->ep->state == TCPS_SYN_SENT))
		f->peer_max = end;
	else if ((uint32_t)(end - f->peer_irs) < 0x80000000u &&
		 (uint32_t)(end - f->peer_irs) > (uint32_t)(f->peer_max - f->peer_irs))
		f->peer_max = end;
	f->have_peer = true;
	f->in_rst_reply = true;
	f->injected_ack = s->ack;
	trace_seg(f, "in ", s);
	tcp_input(f->ep, s);
	f->in_rst_reply = false;
}

static void peer_ts(struct fz *f, struct tcp_opts *o)
{
	if (!f->peer_ts)
		return;
	o->has_ts = true;
	o->ts_val = f->peer_ts++;
	o->ts_ecr = f->have_tsval ? f->last_tsval : 0;
}

/* The peer's handshake SYN (or SYN-ACK), with the options of the header. */
static void peer_syn(struct fz *f, bool ack)
{
	struct tcp_seg s;

	memset(&s, 0, sizeof(s));
	s.flags = TH_SYN | (ack ? TH_ACK : 0);
	if (f->peer_ecn)
		s.flags |= ack ? TH_ECE : TH_ECE | TH_CWR;
	s.seq = f->peer_iss;
	s.ack = ack ? f->ep->iss + 1 : 0;
	s.wnd = 65535;
	s.opt.has_mss = f->peer_has_mss;
	s.opt.mss = f->peer_mss;
	s.opt.has_wscale = f->peer_wscale;
	s.opt.wscale = f->peer_shift;
	s.opt.sack_permitted = f->peer_sack;
	peer_ts(f, &s.opt);
	inject(f, &s);
}

/* An ACK (with flags) at the peer's next sequence number, acknowledging all. */
static void peer_ack(struct fz *f, uint8_t flags, uint32_t len)
{
	struct tcp_seg s;

	memset(&s, 0, sizeof(s));
	s.flags = TH_ACK | flags;
	s.seq = f->peer_max;
	s.ack = f->have_our ? f->our_max : f->ep->iss + 1;
	s.wnd = 65535;
	s.len = len;
	peer_ts(f, &s.opt);
	inject(f, &s);
}

static void on_alarm(struct sim_timer *t, uint64_t now_ns)
{
	struct fz *f = container_of(t, struct fz, alarm);

	(void)now_ns;
	f->alarm_fired = true;
}

/* Runs every timer due by to_ns, then leaves the clock there. */
static void advance(struct fz *f, uint64_t to_ns)
{
	f->alarm_fired = false;
	engine_arm(&f->eng, &f->alarm, to_ns);
	while (!f->alarm_fired && engine_step(&f->eng, to_ns))
		;
	while (engine_step(&f->eng, to_ns))
		;
}

/* ------------------------------------------------------------ operations */

static void seg_op(struct fz *f)
{
	struct tcp_seg s;
	unsigned how = u8(f), o = 0;
	uint32_t rcv_ref = f->have_ack ? f->last_ack : f->peer_iss + 1;
	uint32_t snd_ref = f->have_our ? f->our_max : f->ep->iss + 1;

	memset(&s, 0, sizeof(s));
	s.flags = (uint8_t)(u8(f) & 0x3f);
	if (how & 0x40)
		s.flags |= TH_ECE;
	if (how & 0x80)
		s.flags |= TH_CWR;
	switch (how & 3) {
	case 0: s.seq = rcv_ref + (uint32_t)(int16_t)u16(f); break;
	case 1: s.seq = f->peer_max + u8(f); break;
	case 2: s.seq = u32(f); break;
	default: s.seq = rcv_ref; break;
	}
	switch (how >> 2 & 3) {
	case 0: s.ack = snd_ref - (uint32_t)u16(f); break;
	case 1: s.ack = snd_ref + (uint32_t)(int16_t)u16(f); break;
	case 2: s.ack = u32(f); break;
	default: s.ack = snd_ref; break;
	}
	s.wnd = (uint16_t)u16(f);
	s.len = u16(f) % (MAX_SEG_LEN + 1);
	if (how & 0x10)
		o = u8(f);
	if (o & 1) {
		s.opt.has_ts = true;
		s.opt.ts_val = f->peer_ts + (uint32_t)(int8_t)u8(f);
		s.opt.ts_ecr = f->last_tsval;
	}
	if (o & 2) {
		s.opt.has_mss = true;
		s.opt.mss = (uint16_t)u16(f);
	}
	if (o & 4) {
		s.opt.has_wscale = true;
		s.opt.wscale = (uint8_t)u8(f);
	}
	if (o & 8)
		s.opt.sack_permitted = true;
	if (o & 0x10) {
		/* Bit 7: blocks from the ACK field up, where the data is; else
		 * anywhere below the highest byte sent and up to 64 KiB long. */
		s.opt.nsack = (uint8_t)(1 + (o >> 5 & 3));
		for (unsigned i = 0; i < s.opt.nsack; i++) {
			s.opt.sack[i].left = o & 0x80 ? s.ack + u16(f) : snd_ref - u16(f);
			s.opt.sack[i].right = s.opt.sack[i].left + u16(f);
		}
	}
	if ((how & 0x20) && !(o & 1))
		peer_ts(f, &s.opt);
	/* What a router may have done to it: CE, or ECT(0) as sent. */
	s.ecn = (uint8_t)((o & 0x80) ? IP_ECN_CE : s.len ? IP_ECN_ECT0 : IP_ECN_NOT_ECT);
	inject(f, &s);
}

static void time_op(struct fz *f)
{
	unsigned t = u8(f);
	uint64_t now = engine_now(&f->eng), to;

	if (t == 255) {
		to = engine_next_deadline(&f->eng);
		if (to == TIME_NEVER)
			return;
	} else if (t < 200) {
		to = now + (uint64_t)(t + 1) * NS_PER_MS;
	} else {
		to = now + (uint64_t)(t - 199) * NS_PER_S;
	}
	advance(f, to);
}

static void write_op(struct fz *f)
{
	unsigned n = u16(f);
	size_t took;

	n >>= 1;
	stream_copy(our_tab, f->app_sent, f->wbuf, n);
	f->writing = n;
	took = tcp_write(f->ep, f->wbuf, n, f->in[f->pos - 1] & 1);
	f->writing = 0;
	f->app_sent += took;
}

static size_t write_all(struct fz *f, size_t n)
{
	stream_copy(our_tab, f->app_sent, f->wbuf, n);
	f->writing = n;
	n = tcp_send(f->ep, f->wbuf, n);
	f->writing = 0;
	f->app_sent += n;
	return n;
}

static void read_op(struct fz *f)
{
	unsigned n = u16(f);
	uint64_t off = f->app_read;
	uint32_t base = f->peer_irs + 1;
	size_t got;

	f->reading = n;
	got = tcp_recv(f->ep, f->rbuf, n);
	f->reading = 0;
	f->app_read += got;

	FUZZ_ASSERT(got <= n, "read %zu of %u", got, n);
	FUZZ_ASSERT(got == 0 || stream_same(peer_tab, (uint32_t)(base + (uint32_t)off), f->rbuf, got),
		    "the %zu bytes read at offset %llu are not the peer's", got,
		    (unsigned long long)off);
}

/* ------------------------------------------------------------ set-up */

static void reach(struct fz *f, enum tcp_state target, bool passive)
{
	uint64_t t = 0;

	if (target == TCPS_LISTEN) {
		tcp_listen(f->ep);
		return;
	}
	if (target == TCPS_SYN_SENT) {
		tcp_connect(f->ep, PEER_ADDR, PEER_PORT);
		return;
	}
	if (passive) {
		tcp_listen(f->ep);
		peer_syn(f, false);
		if (target == TCPS_SYN_RECEIVED)
			return;
		advance(f, t += 10 * NS_PER_MS);
		peer_ack(f, 0, 0);
	} else {
		tcp_connect(f->ep, PEER_ADDR, PEER_PORT);
		advance(f, t += 10 * NS_PER_MS);
		/* SYN-RECEIVED from SYN-SENT: a simultaneous open. */
		peer_syn(f, target != TCPS_SYN_RECEIVED);
		if (target == TCPS_SYN_RECEIVED)
			return;
	}
	if (f->ep->state != TCPS_ESTABLISHED || target == TCPS_ESTABLISHED)
		return;
	advance(f, t += 10 * NS_PER_MS);
	switch (target) {
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSING:
	case TCPS_TIME_WAIT:
		f->app_closed = true;
		tcp_close(f->ep);
		if (target == TCPS_FIN_WAIT_1)
			return;
		advance(f, t += 10 * NS_PER_MS);
		if (target == TCPS_CLOSING) {
			struct tcp_seg s;
			memset(&s, 0, sizeof(s));
			s.flags = TH_ACK | TH_FIN;
			s.seq = f->peer_max;
			s.ack = f->ep->iss + 1;     /* not our FIN */
			s.wnd = 65535;
			peer_ts(f, &s.opt);
			inject(f, &s);
			return;
		}
		peer_ack(f, 0, 0);
		if (target == TCPS_TIME_WAIT) {
			advance(f, t += 10 * NS_PER_MS);
			peer_ack(f, TH_FIN, 0);
		}
		return;
	case TCPS_CLOSE_WAIT:
	case TCPS_LAST_ACK:
		peer_ack(f, TH_FIN, 0);
		if (target == TCPS_LAST_ACK) {
			f->app_closed = true;
			tcp_close(f->ep);
		}
		return;
	default:
		return;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct fz fz;
	struct fz *f = &fz;
	struct scenario scn;
	struct tcp_hooks hooks;
	unsigned b0, b1, b5;

	if (!tables_ready)
		init_tables();
	memset(f, 0, sizeof(*f));
	tracing = getenv("FUZZ_TRACE") != NULL;
	f->in = data;
	f->len = size;
	scenario_defaults(&scn);
	f->cfg = scn.client.tcp;
	scenario_free(&scn);

	b0 = u8(f);
	b1 = u8(f);
	f->cfg.window_scaling = b1 & 1;
	f->cfg.timestamps = b1 & 2;
	f->cfg.nagle = b1 & 4;
	f->cfg.delayed_ack_ns = b1 & 8 ? 40 * NS_PER_MS : 0;
	f->cfg.limited_transmit = b1 & 16;
	f->cfg.cc = b1 & 32 ? &cc_reno : &cc_newreno;
	f->peer_wscale = b1 & 64;
	f->peer_ts = 0;
	f->cfg.receive_buffer = RCVBUFS[u8(f) % NELEM(RCVBUFS)];
	f->cfg.send_buffer = SNDBUFS[u8(f) % NELEM(SNDBUFS)];
	f->mtu = MTUS[u8(f) % NELEM(MTUS)];
	b5 = u8(f);
	f->peer_has_mss = b5 & 1;
	f->cfg.ecn = b5 & 2;
	f->peer_ecn = b5 & 4;
	/* SACK: with bit 3, the otherwise unused quotient of [0]'s state
	 * number: neither side offers it, only we do, only the peer does, or
	 * both, with recovery prr, prr-crb, rfc6675 or prr (SACKMODES[]). */
	if (b5 & 8) {
		unsigned m = (b0 & 0x7f) / NELEM(STATES) % NELEM(SACKMODES);

		f->cfg.sack = SACKMODES[m].ours;
		f->peer_sack = SACKMODES[m].peers;
		f->cfg.recovery = SACKMODES[m].recovery;
		/* RACK-TLP (RFC 8985) with it, when we offer SACK. */
		f->cfg.rack = f->cfg.tlp = f->cfg.sack;
	}
	f->peer_shift = (uint8_t)(b5 >> 4);
	f->peer_mss = (uint16_t)u16(f);
	f->cfg.iss = u32(f);
	f->peer_iss = u32(f);
	if (b1 & 128)
		f->peer_ts = 1000;           /* non-zero: the peer sends timestamps */

	engine_init(&f->eng);
	timer_init(&f->alarm, on_alarm);
	memset(&hooks, 0, sizeof(hooks));
	hooks.ctx = f;
	hooks.output = on_output;
	hooks.notify = on_notify;
	f->ep = tcp_new(&f->eng, &f->cfg, f->mtu, LOCAL_ADDR, LOCAL_PORT, f->cfg.iss, &hooks);

	reach(f, STATES[(b0 & 0x7f) % NELEM(STATES)], b0 & 0x80);
	check_state(f);
	for (int op = 0; op < MAX_OPS && f->pos < f->len; op++) {
		unsigned code = u8(f) % 8;

		if (tracing)
			fprintf(stderr, "op %d: %u (%s)\n", op, code, tcp_state_name(f->ep->state));
		switch (code) {
		case 0:
		case 1: seg_op(f); break;
		case 2: time_op(f); break;
		case 3: write_op(f); break;
		case 4: read_op(f); break;
		case 5:
			f->app_closed = true;
			tcp_close(f->ep);
			break;
		case 6:
			if (u8(f) == 0)
				tcp_abort(f->ep);
			break;
		default: {
			unsigned n = u16(f);
			if (n & 1)
				write_all(f, n >> 4);
			peer_ack(f, n & 2 ? TH_FIN : 0, (n >> 2) % 1500);
			break;
		}
		}
		check_state(f);
	}
	tcp_free(f->ep);
	engine_free(&f->eng);
	return 0;
}
