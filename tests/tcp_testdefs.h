/*
 * tcp_testdefs: the conventions the endpoint tests share (check_tcp.c,
 * check_sack.c, check_rack.c, check_tcp_ts.c), included by tcp_harness.h.
 *
 * Our ISS is 1000 and the peer's 5000 unless a test says otherwise; S(off)
 * is the sequence number of byte off of our stream (S(0) is ISS+1), P(off)
 * the same for the peer's; both read the harness of the calling scope, h.
 * A client handshake ends at T = 100 ms (SYN at 0, SYN-ACK at T). MTU 1500,
 * so both MSS options say 1460. A file whose value differs (check_tcp_ts's
 * SMSS, each file's PEER) defines its own under its own name.
 */
#ifndef TCPSIM_TCP_TESTDEFS_H
#define TCPSIM_TCP_TESTDEFS_H

#include <stdint.h>

#include "engine.h"
#include "wire.h"

/*
 * SEND(...) and RECV(...) build a segment from a template and the fields the
 * test gives, smoltcp's `TcpRepr { seq_number: .., ..SEND_TEMPL }`. In C11 a
 * later designator for the same member overrides the earlier one (§6.7.9
 * ¶19), which is the point here; GCC's -Woverride-init (part of -Wextra)
 * would flag every use.
 */
#pragma GCC diagnostic ignored "-Woverride-init"

#define ISS 1000u
#define PEER_ISS 5000u
#define MTU 1500u
#define MSS 1460u
#define BUF 131072u                 /* default receive_buffer */
#define WND_FULL 32768u             /* BUF >> 2: its window field, shifted by 2 */

#define MS(x) ((uint64_t)(x) * NS_PER_MS)
#define US(x) ((uint64_t)(x) * NS_PER_US)
#define SEC(x) ((uint64_t)(x) * NS_PER_S)
#define T MS(100)                   /* a client handshake completes here */

#define S(off) h_snd_seq(h, (off))
#define P(off) h_rcv_seq(h, (off))
#define SEG(k) ((uint64_t)(k) * MSS)  /* offset of whole segment k */

/* What the peer sends unless told otherwise: an ACK offering 65535 bytes. */
#define SEND_TEMPL .flags = TH_ACK, .wnd = 65535
/* What the endpoint sends unless told otherwise: an ACK offering its whole buffer. */
#define RECV_TEMPL .flags = TH_ACK, .wnd = WND_FULL
#define SEND(...) (&(struct tcp_seg){ SEND_TEMPL, __VA_ARGS__ })
#define RECV(...) (&(struct tcp_seg){ RECV_TEMPL, __VA_ARGS__ })

#define NELEM(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* A peer that offers SACK (RFC 2018 §2), window scale 0 and MSS 1460: a
 * compound literal, so that a file that never uses it owes no warning. */
#define PEER_SACK ((const struct h_peer){ \
	.iss = PEER_ISS, .wnd = 65535, .mss = MSS, .wscale = 0, .sack = true, })

#endif
