/*
 * tcp_var.h: the TCP control block and the functions the tcp*.c files share.
 * Not for use outside tcp.c, tcp_input.c, tcp_output.c and tcp_timer.c
 * (tests excepted, which inspect the block to assert exact values).
 *
 * Sequence variables are named after RFC 9293 §3.3.1. Byte streams are also
 * addressed by 64-bit stream offsets (offset 0 is the first data byte,
 * sequence number ISS+1), which never wrap; a sequence number maps to an
 * offset near a known anchor (snd_una, rcv_nxt).
 */
#ifndef TCPSIM_TCP_VAR_H
#define TCPSIM_TCP_VAR_H

#include "cc.h"
#include "rtt.h"
#include "tcp.h"

#define TCP_MAX_WSCALE 14          /* RFC 7323 §2.3 */
#define DUPTHRESH 3                /* RFC 5681 §3.2: duplicate ACKs before fast retransmit */
#define TCP_DEFAULT_MSS 536        /* RFC 9293 §3.7.1: when the peer sends no MSS option */
#define TCP_MIN_SND_MSS 48         /* floor for the peer's MSS option (Linux's tcp_min_snd_mss) */
#define TCP_TS_OPT_LEN 12          /* RFC 7323 timestamps on every segment, NOP-padded */

struct ooo_range {
	uint64_t start, end;       /* stream offsets, end exclusive */
};

/*
 * The sender's scoreboard (RFC 6675 §3, tcp_sack.c): one record per
 * segment sent and not yet cumulatively acknowledged, in stream order and
 * contiguous from SND.UNA to SND.MAX (the FIN counts as the byte after the
 * data). A ring that grows by doubling when a window holds more segments
 * than it has room for, and never otherwise: its size follows the window,
 * not the transfer. Each record keeps its last transmission time so that
 * a time-based loss detector (RACK, RFC 8985) can be laid on top.
 */
struct sack_rec {
	uint64_t start, end;       /* stream offsets, end exclusive */
	uint64_t xmit_ns;          /* last (re)transmission */
	uint32_t xmits;            /* times sent */
	bool sacked;               /* a SACK block covered all of it */
	bool lost;                 /* IsLost() said so (RFC 6675 §4), or a timeout */
	bool rexmit;               /* sent again, and with RACK not found lost since
				    * (RFC 8985 §6.2): a retransmission of it is in flight */
	uint32_t run;              /* if sacked: this record and the run - 1 after it
				    * are SACKed (tcp_sack_unsacked_from) */
};

/*
 * Every record not SACKed that starts in [from, to) is not lost and was
 * sent no earlier than the one before it, the last at last_ns; records
 * counts them, roughly (it only ranks stretches). Empty when to <= from.
 * Both ends are record boundaries. A resend in it cuts it there; a
 * timeout, a reneging receiver or a mark inside empties it (tcp_sack.c).
 * Code that changes a record's flags or send time by any other way must
 * keep this true, or detect_loss passes over a record it must judge.
 */
struct sack_after {
	uint64_t from, to, last_ns;
	uint32_t records;
};
#define SACK_AFTER_STRETCHES 2

/* Whether the record that starts at off lies in the stretch. */
static inline bool sack_after_holds(const struct sack_after *a, uint64_t off)
{
	return off >= a->from && off < a->to;
}

struct sack_board {
	struct sack_rec *rec;
	uint32_t cap, head, n;     /* ring: records head .. head + n - 1 (mod cap) */
	uint64_t sacked_bytes;     /* SACKed bytes above SND.UNA */
	uint64_t high_sacked;      /* one past the highest SACKed byte (0: none) */
	uint64_t high_rxt;         /* RFC 6675 HighRxt, as one past it (an offset) */
	/* At or above every end of a record ever resent or marked lost: the
	 * records from here on were sent once, in order of offset, so their
	 * send times only grow (tcp_rack.c's detect_loss stops there). */
	uint64_t high_marked;
	/* No record that starts below this offset is lost and not resent
	 * since: first_unsent_lost (tcp_sack.c) looks from here on. */
	uint64_t unsent_lost_from;
	/* Two stretches of records tcp_rack.c's detect_loss found sent
	 * after RACK.xmit_ts, each passed over at once from any of its
	 * records the walk meets (struct sack_after). */
	struct sack_after after[SACK_AFTER_STRETCHES];
	uint64_t rescue_rxt;       /* RescueRxt, one past; valid if rescue_set */
	bool rescue_set;
	uint64_t recovery_point;   /* RecoveryPoint, one past (the offset of SND.MAX then) */
	uint64_t pipe;             /* SetPipe()'s last result, bytes */
	/* SetPipe() as RACK has it, kept as the records change: the sum of
	 * every record's sb_rack_share (tcp_sack.c). Read only with RACK on. */
	uint64_t rack_pipe;
	uint32_t dupacks;          /* RFC 6675 §2 DupAcks outside recovery */
	/* RFC 6937 PRR state, for the recovery under way. */
	uint64_t prr_delivered, prr_out, recover_fs;
	int64_t sndcnt;            /* the last ACK's sndcnt, bytes (may be negative) */
	int64_t sndcnt_left;       /* what the last ACK still allows to leave */
};

/*
 * RACK-TLP (RFC 8985, tcp_rack.c): the variables of §6.1 and §7, named as
 * the RFC names them. Times are virtual nanoseconds, sequences stream
 * offsets (one past, like the scoreboard's ends).
 */
struct rack_state {
	bool have;                 /* a segment has been delivered: xmit_ns, end valid */
	uint64_t xmit_ns;          /* RACK.xmit_ts: latest send time among delivered segments */
	uint64_t end;              /* RACK.end_seq: ... and its end */
	uint64_t rtt_ns;           /* RACK.rtt: the RTT of that segment */
	uint64_t min_rtt_ns;       /* RACK.min_RTT: a simple global minimum (0: none yet) */
	uint64_t fack;             /* RACK.fack: the highest end delivered */
	bool reordering_seen;      /* RACK.reordering_seen */
	uint64_t reo_wnd_ns;       /* RACK.reo_wnd, as step 4 last made it */
	uint32_t reo_wnd_mult;     /* RACK.reo_wnd_mult (from 1) */
	int32_t reo_wnd_persist;   /* RACK.reo_wnd_persist */
	bool dsack_round_set;      /* RACK.dsack_round is not None ... */
	uint64_t dsack_round;      /* ... and is this offset (SND.NXT then) */
	bool was_in_loss;          /* RTO recovery was on at the previous ACK */
	struct sim_timer reo_timer; /* the reordering timer (§6.2 step 5) */
	/* TLP (§7). */
	struct sim_timer pto_timer;
	uint64_t pto_ns;           /* the PTO the armed timer was given */
	unsigned pto_flags;        /* ... and how it was chosen (TCP_WHY_TLP_*) */
	bool tlp_set;              /* TLP.end_seq is not None ... */
	uint64_t tlp_end;          /* ... TLP.end_seq (offset, one past) */
	bool tlp_is_retrans;       /* TLP.is_retrans */
	uint64_t tlp_flight;       /* FlightSize when the probe left (the §7.4 response) */
	bool probing;              /* the probe is being sent (not "new data" for §7.2) */
};

struct tcp_ep {
	struct engine *eng;
	struct tcp_cfg cfg;
	struct tcp_hooks hooks;
	enum tcp_state state;
	enum tcp_error error;
	bool passive;              /* opened by LISTEN: a RST in SYN-RECEIVED returns there */

	uint32_t local_addr, remote_addr;
	uint16_t local_port, remote_port;
	uint32_t mtu;              /* link MTU: MMS_S (RFC 9293 §3.7.1) is mtu - 20 */

	/* Send sequence variables (RFC 9293 §3.3.1). */
	uint32_t iss;              /* initial send sequence number */
	uint32_t snd_una;          /* oldest unacknowledged sequence number */
	uint32_t snd_nxt;          /* next sequence number to send */
	uint32_t snd_max;          /* highest sequence number sent + 1 (snd_nxt goes back on RTO) */
	uint64_t snd_wnd;          /* peer's window, scaled, bytes */
	uint32_t snd_wl1;          /* segment sequence number used for last window update */
	uint32_t snd_wl2;          /* segment acknowledgment number used for last window update */
	uint32_t smss;             /* Eff.snd.MSS: payload bytes per segment (take_syn_options) */
	uint64_t max_snd_wnd;      /* largest window the peer offered (sender SWS, RFC 1122 4.2.3.4) */

	/* Receive sequence variables. */
	uint32_t irs;              /* initial receive sequence number */
	uint32_t rcv_nxt;          /* next sequence number expected */
	uint32_t rcv_adv;          /* right edge of the window last advertised */
	uint32_t rcv_mss;          /* MSS we announced */

	/* RFC 7323 options, negotiated on the SYNs. */
	bool wscale_ok;
	uint8_t snd_wscale;        /* shift applied to the peer's window field */
	uint8_t rcv_wscale;        /* shift applied to ours (the one we announce; in use if wscale_ok) */
	bool ts_ok;
	bool sack_ok;              /* RFC 2018 §2: both SYNs carried SACK-permitted */
	uint32_t ts_recent;        /* RFC 7323 §4.3 TS.Recent */
	uint64_t ts_recent_ns;     /* ... when it was last set (§5.5: invalid after 24 days) */
	uint32_t last_ack_sent;    /* RFC 7323 §4.3 Last.ACK.sent */

	/* Send buffer: a ring holding the stream from snd_una's offset on,
	 * or, with a source (tcp_set_source), only its count: the bytes are
	 * the source's, by offset, and the ring is never allocated. */
	tcp_source_fn source;
	void *source_ctx;
	uint8_t *sbuf;
	uint64_t sbuf_cap;
	uint64_t snd_off;          /* stream offset of the first byte in the ring */
	uint64_t sbuf_len;         /* bytes in the ring (unacknowledged + unsent) */
	bool fin_queued;           /* the application closed: FIN after the data */

	/* Receive buffer: in-order bytes not yet read, then out-of-order islands. */
	uint8_t *rbuf;
	uint64_t rbuf_cap;         /* receive_buffer + slack for window-scale rounding */
	uint64_t rcv_off;          /* stream offset of the next byte the application reads */
	uint64_t rbuf_base;        /* a stream offset that lies at the start of the ring */
	uint64_t rbuf_len;         /* in-order bytes ready for the application */
	/* Out-of-order islands, in order, disjoint and not touching; as many as
	 * the window holds (the array grows), so that no segment within the
	 * window is thrown away once received (RFC 9293 §3.10.7.4: segments
	 * beyond RCV.NXT are "held for later processing"). */
	struct ooo_range *ooo;
	uint32_t nooo, ooo_cap;
	bool fin_rcvd;             /* the peer's FIN has been accepted (rcv_nxt is past it) */
	/* SACK blocks to report (RFC 2018 §4): islands, most recently reported
	 * first, and a D-SACK block (RFC 2883 §4) for the next ACK only. */
	struct ooo_range sack_recent[WIRE_MAX_SACK];
	uint32_t nsack_recent;
	bool dsack_pending;
	uint32_t dsack_left, dsack_right;   /* sequence numbers */
	bool ooo_fin;              /* a FIN arrived beyond a hole ... */
	uint64_t ooo_fin_off;      /* ... at this stream offset */

	tcp_viewer_fn viewer;      /* shown what each read takes (tcp_set_viewer) */
	void *viewer_ctx;
	/* A read the application is blocked in (tcp_recv_post). */
	bool rd_waiting;           /* one is waiting ... */
	uint8_t *rd_buf;           /* ... its buffer (NULL: only the viewer sees the bytes) ... */
	size_t rd_len;             /* ... and size */
	size_t rd_done;            /* bytes the read took, until tcp_recv_posted */
	/* In-order data a waiting read with no buffer takes within this
	 * tcp_input, left where it arrived (the segment's payload): the ring
	 * holds nothing, and these are all of its rbuf_len bytes. */
	const uint8_t *rcv_direct;

	/* ACK generation (RFC 1122 §4.2.3.2, RFC 5681 §4.2). */
	bool ack_now;              /* a segment must go out (pure ACK if nothing else) */
	struct sim_timer delack_timer; /* armed while an ACK is owed but may wait */
	uint64_t rcv_unacked;      /* in-order bytes taken since the last ACK sent */
	uint32_t quickack_left;    /* data segments still to be ACKed at once (quick_ack) */
	uint64_t delack_delay_ns;  /* the delay the armed delayed-ACK timer was given */
	uint64_t ato_ns;           /* adaptive delay (delayed_ack_min): Linux's icsk_ack.ato, 0 until data */
	uint64_t lrcv_ns;          /* ... when in-order data last arrived (icsk_ack.lrcvtime) */
	uint16_t last_wnd_field;   /* window and ACK fields of the last segment sent, */
	uint32_t last_ack_field;   /* ... to classify pure ACKs as Wireshark does */
	uint32_t dupacks_sent_run; /* duplicate ACKs sent in a row, as Wireshark numbers them */
	uint32_t rx_nextseq;       /* highest sequence number + 1 the peer has sent */
	bool rx_keepalive;         /* the peer's last segment was what Wireshark calls a keep-alive */
	bool more_coming;          /* the application is in the middle of one write (MSG_MORE) */
	bool last_idle;            /* ... which began with nothing unacknowledged (BSD's TF_LASTIDLE) */

	/* Nagle (RFC 896, RFC 1122 §4.2.3.4). */
	bool nagle_holding;        /* a small segment is being held back ... */
	uint64_t nagle_since_ns;   /* ... since then ... */
	uint64_t nagle_off;        /* ... starting at this stream offset */

	/* Retransmission (RFC 6298) and congestion control. */
	struct rtt rtt;
	struct rtt_track rtt_track; /* per-ACK RTT samples for the congestion control (HyStart++) */
	struct cc cc;
	struct sim_timer rexmt_timer;
	uint32_t rexmt_count;      /* consecutive expiries for the same snd_una */
	bool rtt_timing;           /* a segment is being timed (Karn: never a retransmitted one) */
	uint32_t rtt_seq;          /* ... the sequence number it ends before */
	uint64_t rtt_start_ns;     /* ... and when it was sent */
	uint32_t dupacks;          /* consecutive duplicate ACKs (RFC 5681 §2) */
	uint32_t lt_bytes;         /* sent beyond cwnd by limited transmit (RFC 3042) since
				    * the last new ACK: not part of FlightSize for ssthresh */
	bool in_recovery;          /* fast recovery (RFC 5681 §3.2, RFC 6582) */
	bool in_loss;              /* after a timeout, until what was outstanding is acknowledged */
	uint32_t recover;          /* RFC 6582 "recover", as snd_max when recovery began (one past) */
	bool partial_acked;        /* RFC 6582 §3.2 step 3: the timer is reset on the first partial ACK only */

	struct sack_board sb;      /* SACK sender state (tcp_sack.c), used if sack_ok */
	/* ECN (RFC 3168 §6.1; tcp_ecn.c). */
	struct {
		bool ok;               /* negotiated: ECT on new data, CE echoed, ECE heeded */
		/* Receiver (§6.1.3). */
		bool echo;             /* a CE arrived: ECE on every ACK until a CWR */
		uint32_t ce_seq, ce_end;   /* the latest CE-marked segment, for the annotation */
		/* Sender (§6.1.2). */
		enum tcp_cwr_reason cwr_due;   /* CWR on the next new data segment, and why */
		enum tcp_cwr_reason cwr_sent;  /* ... that segment, for emit's annotation */
		bool reduced;          /* the window was reduced: no reaction to ECE ... */
		uint32_t recover;      /* ... until an ACK beyond this (snd_max then) */
	} ecn;
	struct rack_state rack;    /* RACK-TLP (tcp_rack.c), used if rack_on / tlp_on */

	/* Persist (zero window probing, RFC 9293 §3.8.6.1). */
	struct sim_timer persist_timer;
	uint32_t persist_shift;
	bool force_output;         /* the persist timer overrides sender SWS avoidance */

	/* TIME_WAIT (RFC 9293 §3.10.7.4: 2 MSL). */
	struct sim_timer timewait_timer;

	/* Why the next segment leaves (struct tcp_why): set by the rule that
	 * sends it, taken by emit(); a segment no rule named gets a reason
	 * from its own fields. */
	struct {
		bool set;
		enum tcp_why_kind kind;
		uint64_t n, arg;
	} cause;

	uint8_t *scratch;          /* one segment's payload when the ring wraps */
	struct tcp_stats stats;
};

/*
 * Where stream offset off lies in the receive ring. The ring starts over
 * (rbuf_base moves up to rcv_off) whenever it is empty, so that a reader
 * that keeps pace uses only its first bytes, which stay in the cache.
 */
static inline uint64_t tcp_rbuf_pos(const struct tcp_ep *ep, uint64_t off)
{
	return (off - ep->rbuf_base) % ep->rbuf_cap;
}

/* tcp.c */
void tcp_set_state(struct tcp_ep *ep, enum tcp_state s);
void tcp_drop(struct tcp_ep *ep, enum tcp_error err);  /* to CLOSED, timers off, notify */
void tcp_notify(struct tcp_ep *ep, enum tcp_event ev);
uint64_t tcp_off_of_snd(const struct tcp_ep *ep, uint32_t seq);
uint32_t tcp_seq_of_off(const struct tcp_ep *ep, uint64_t off);
uint32_t tcp_fin_seq(const struct tcp_ep *ep);         /* valid when fin_queued */
uint64_t tcp_rcv_space(const struct tcp_ep *ep);       /* free receive buffer */
void tcp_complete_read(struct tcp_ep *ep);             /* a posted read takes what arrived */
void tcp_rcv_spill(struct tcp_ep *ep);                 /* rcv_direct not taken: into the ring */
void tcp_enter_time_wait(struct tcp_ep *ep);
void tcp_note_cwnd(struct tcp_ep *ep);

void tcp_trace(struct tcp_ep *ep, enum tcp_trace_event ev);
/* Names the reason for the next segment emitted (see the cause field). */
void tcp_set_cause(struct tcp_ep *ep, enum tcp_why_kind kind, uint64_t n, uint64_t arg);

/*
 * What tcp_output sends next (tcp_output.c chooses, or tcp_sack.c in SACK
 * recovery): len bytes from seq, the FIN after them when fin. rexmt: it
 * lies below snd_max; limited: RFC 3042 allowed it beyond cwnd;
 * in_flight: what counted as outstanding before it; keep_nxt: snd_nxt
 * stays (a retransmission chosen from the scoreboard); rescue: RFC 6675
 * NextSeg rule 4.
 */
struct out_plan {
	uint32_t seq;
	uint64_t len;
	uint64_t avail;            /* bytes queued from seq on */
	uint64_t in_flight;
	bool rexmt;
	bool fin;
	bool limited;
	bool keep_nxt;
	bool rescue;
};

/* tcp_output.c */
bool tcp_output_new_data(struct tcp_ep *ep, bool idle, uint64_t usable, struct out_plan *p);
void tcp_output_plan(struct tcp_ep *ep, const struct out_plan *p);
void tcp_output(struct tcp_ep *ep);
void tcp_retransmit_una(struct tcp_ep *ep);
void tcp_send_syn(struct tcp_ep *ep, bool retransmit);
void tcp_send_rst(struct tcp_ep *ep, uint32_t seq, uint32_t ack, bool with_ack);
void tcp_send_ack(struct tcp_ep *ep);
void tcp_send_probe(struct tcp_ep *ep);
uint16_t tcp_window_field(struct tcp_ep *ep, bool syn);

/* tcp_input.c: the first island that ends at or after off (ep->nooo if none). */
uint32_t tcp_ooo_find(const struct tcp_ep *ep, uint64_t off);
/* tcp_sack.c: receiver (RFC 2018 §4, RFC 2883 §4) */
void tcp_sack_rcv_arrival(struct tcp_ep *ep, uint64_t start, uint64_t end, bool dup);
void tcp_sack_rcv_advanced(struct tcp_ep *ep);
void tcp_sack_rcv_dup(struct tcp_ep *ep, uint32_t left, uint32_t right);
void tcp_sack_fill(struct tcp_ep *ep, struct tcp_seg *s);
/* tcp_sack.c: sender (RFC 6675, RFC 6937) */
void tcp_sack_init(struct tcp_ep *ep);
void tcp_sack_free(struct tcp_ep *ep);
void tcp_sack_on_send(struct tcp_ep *ep, uint64_t start, uint64_t end);
void tcp_sack_on_ack(struct tcp_ep *ep, const struct tcp_seg *seg, uint32_t old_una);
bool tcp_sack_wants_output(const struct tcp_ep *ep);
bool tcp_sack_choose(struct tcp_ep *ep, bool idle, struct out_plan *p);
void tcp_sack_sent(struct tcp_ep *ep, const struct out_plan *p);
void tcp_sack_on_rto(struct tcp_ep *ep);
bool tcp_sack_is_lost(const struct tcp_ep *ep, uint64_t off);
uint64_t tcp_sack_set_pipe(struct tcp_ep *ep);
void tcp_sack_rec_lost(struct sack_board *b, struct sack_rec *r);
/* The index of the first record that ends past stream offset off (the one
 * that holds it, or the next): b->n if none. Binary search. */
uint32_t tcp_sack_find(const struct sack_board *b, uint64_t off);
uint32_t tcp_sack_skip_run(struct sack_board *b, uint32_t i);
/* The first record from index i on that is not SACKed, b->n if none
 * (tcp_sack_skip_run passes over a run of SACKed ones). */
static inline uint32_t tcp_sack_unsacked_from(struct sack_board *b, uint32_t i)
{
	if (i >= b->n || !b->rec[(b->head + i) & (b->cap - 1)].sacked)
		return i;
	return tcp_sack_skip_run(b, i);
}
bool tcp_sack_next_seg(struct tcp_ep *ep, uint64_t *start, uint64_t *end, int *rule);
/* tcp_ecn.c (RFC 3168) */
void tcp_ecn_take_syn(struct tcp_ep *ep, const struct tcp_seg *seg);
void tcp_ecn_syn_flags(struct tcp_ep *ep, struct tcp_seg *s, bool synack);
void tcp_ecn_ack_flags(const struct tcp_ep *ep, struct tcp_seg *s);
void tcp_ecn_data(struct tcp_ep *ep, struct tcp_seg *s, bool rexmt);
void tcp_ecn_why(struct tcp_ep *ep, const struct tcp_seg *s, struct tcp_why *why);
void tcp_ecn_input(struct tcp_ep *ep, const struct tcp_seg *seg);
void tcp_ecn_on_ack(struct tcp_ep *ep, const struct tcp_seg *seg);
void tcp_ecn_reduced(struct tcp_ep *ep, enum tcp_cwr_reason why);
/* tcp_ts.c: RFC 7323 timestamps (see there) */
uint32_t tcp_ts_now(const struct tcp_ep *ep);   /* our TSval now */
void tcp_ts_syn(struct tcp_ep *ep, const struct tcp_seg *seg);
bool tcp_ts_paws_reject(struct tcp_ep *ep, const struct tcp_seg *seg);
void tcp_ts_update_recent(struct tcp_ep *ep, const struct tcp_seg *seg);
bool tcp_ts_rtt(struct tcp_ep *ep, const struct tcp_seg *seg, uint64_t flight_bytes);

/* tcp_rack.c: RACK-TLP (RFC 8985) */
bool tcp_rack_on(const struct tcp_ep *ep);       /* cfg.rack and SACK in use */
bool tcp_tlp_on(const struct tcp_ep *ep);        /* cfg.tlp and RACK on */
void tcp_rack_init(struct tcp_ep *ep);
void tcp_rack_timers_stop(struct tcp_ep *ep);
void tcp_rack_on_delivered(struct tcp_ep *ep, const struct tcp_seg *seg);
bool tcp_rack_detect(struct tcp_ep *ep, const struct tcp_seg *seg);
bool tcp_rack_cause(struct tcp_ep *ep, uint64_t start);
void tcp_rack_on_rto(struct tcp_ep *ep);
void tcp_tlp_on_send(struct tcp_ep *ep, const struct out_plan *p);
void tcp_tlp_on_ack(struct tcp_ep *ep, const struct tcp_seg *seg, uint32_t old_una);
bool tcp_tlp_preempts_rto(struct tcp_ep *ep);
uint64_t tcp_tlp_pto(const struct tcp_ep *ep, unsigned *flags);
/* tcp_sack.c, for RACK: recovery begins because RACK marked a loss. */
void tcp_sack_enter_recovery(struct tcp_ep *ep, uint64_t delivered);

/* tcp_timer.c */
/* Owes a delayed ACK; false when it should rather leave now (adaptive delay). */
bool tcp_delack_schedule(struct tcp_ep *ep);
void tcp_delack_on_data(struct tcp_ep *ep);
void tcp_timers_init(struct tcp_ep *ep);
void tcp_timers_stop(struct tcp_ep *ep);
void tcp_rexmt_arm(struct tcp_ep *ep);
void tcp_rexmt_stop(struct tcp_ep *ep);
void tcp_persist_arm(struct tcp_ep *ep);

#endif
