/*
 * check_why: the reason every segment carries (struct tcp_why) and the
 * link's verdict, as the observers see them: the words, exactly, and whole
 * runs in which each reason is counted against the counter it explains.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event.h"
#include "link.h"
#include "scenario.h"
#include "summary.h"
#include "taps.h"
#include "tcp.h"
#include "world.h"

/* ---- the words ---- */

static struct tcp_seg data_seg(uint32_t iss, uint32_t rel, uint32_t len)
{
	struct tcp_seg s;

	memset(&s, 0, sizeof(s));
	s.seq = iss + rel;
	s.len = len;
	s.flags = TH_ACK;
	return s;
}

static struct tcp_why state(enum tcp_why_kind k, uint64_t n, uint64_t arg)
{
	struct tcp_why w = {
		.kind = k, .n = n, .arg = arg, .cwnd_bytes = 8760, .ssthresh_bytes = 7300,
		.flight_bytes = 13140, .rto_ns = 1200000000, .cc = TCP_CC_RECOVERY,
		.iss = 1000, .irs = 5000, .synchronized = true,
	};
	return w;
}

static const char *fmt(const struct tcp_why *w, const struct tcp_seg *s)
{
	static char buf[256];

	tcp_why_format(w, s, buf, sizeof(buf));
	return buf;
}

START_TEST(fast_retransmit_words)
{
	struct tcp_why w = state(TCP_WHY_FAST_RETRANSMIT, 3, 0);
	struct tcp_seg s = data_seg(1000, 14601, 1460);

	ck_assert_str_eq(fmt(&w, &s), "fast retransmit of 14601:16061 after dup ACK #3 | "
			 "cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | recovery");
}
END_TEST

START_TEST(paws_words)
{
	struct tcp_why w = state(TCP_WHY_ACK_PAWS, 678438437, 678438528);
	struct tcp_seg s = data_seg(1000, 1, 0);

	s.ack = 5000 + 30409;
	ck_assert_str_eq(fmt(&w, &s), "ACK 30409: PAWS discarded an old duplicate "
			 "(TSval 678438437 < TS.Recent 678438528) | "
			 "cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | recovery");
	ck_assert_str_eq(tcp_why_kind_name(TCP_WHY_ACK_PAWS), "ack_paws");
}
END_TEST

START_TEST(rto_words)
{
	struct tcp_why w = state(TCP_WHY_RTO_RETRANSMIT, 2, 2000000000);
	struct tcp_seg s = data_seg(1000, 1, 536);

	w.cc = TCP_CC_LOSS;
	w.ssthresh_bytes = UINT64_MAX;
	ck_assert_str_eq(fmt(&w, &s), "RTO #2 retransmission of 1:537 (timeout 2s) | "
			 "cwnd 8760 ssthresh inf flight 13140 rto 1.2s | loss");
}
END_TEST

START_TEST(ack_words)
{
	struct tcp_seg s = data_seg(1000, 1, 0);
	struct tcp_why w = state(TCP_WHY_ACK_DELAYED, 0, 200000000);

	s.ack = 5000 + 2921;
	w.flight_bytes = 0;     /* nothing in flight: no sender state shown */
	ck_assert_str_eq(fmt(&w, &s), "delayed ACK 2921 (timer, 200ms)");
	w = state(TCP_WHY_ACK_DELAY_DUE, 0, 0);
	w.flight_bytes = 0;
	ck_assert_str_eq(fmt(&w, &s),
			 "ACK 2921: the delayed ACK was due within a quarter of its delay");
	w = state(TCP_WHY_ACK_OUT_OF_ORDER, 0, 0);
	w.flight_bytes = 0;
	w.dup_ack = 2;
	ck_assert_str_eq(fmt(&w, &s), "dup ACK #2 of 2921: out-of-order data");
	w.kind = TCP_WHY_ACK_DUPLICATE_DATA;
	ck_assert_str_eq(fmt(&w, &s), "ACK 2921: data already received (dup ACK #2)");
	w.kind = TCP_WHY_ACK_OUT_OF_ORDER;
	w.dup_ack = 0;
	ck_assert_str_eq(fmt(&w, &s),
			 "ACK 2921 at once: out-of-order data (a new window: not a duplicate)");
	w = state(TCP_WHY_ACK_WINDOW_OPENED, 0, 0);
	w.flight_bytes = 0;
	ck_assert_str_eq(fmt(&w, &s), "ACK 2921 at once: the reader took the data, the window opened");
	w = state(TCP_WHY_WINDOW_UPDATE, 0, 0);
	w.flight_bytes = 0;
	ck_assert_str_eq(fmt(&w, &s), "window update: the application read");
	/* A host with data in flight shows its state on its ACKs too. */
	w.flight_bytes = 100;
	w.cc = TCP_CC_OPEN;
	ck_assert_str_eq(fmt(&w, &s), "window update: the application read | "
			 "cwnd 8760 ssthresh 7300 flight 100 rto 1.2s | open");
}
END_TEST

START_TEST(sack_words)
{
	struct tcp_seg s = data_seg(1000, 14601, 1460);
	struct tcp_why w = state(TCP_WHY_SACK_RETRANSMIT, 0, 3);
	static const char TAIL[] = " | cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | recovery";
	char want[200];

	snprintf(want, sizeof(want), "SACK retransmit of 14601:16061 (lost: 3 SACKed above)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_SACK_FAST_RETRANSMIT, 3, 4);
	snprintf(want, sizeof(want), "SACK fast retransmit of 14601:16061 (DupAcks 3, 4 SACKed above)%s",
		 TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_SACK_RULE3, 0, 1);
	snprintf(want, sizeof(want), "SACK retransmit of 14601:16061 (not yet lost, 1 SACKed above: "
		 "NextSeg rule 3)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_SACK_RESCUE, 0, 0);
	snprintf(want, sizeof(want), "rescue retransmission of 14601:16061 (NextSeg rule 4)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_SACK_HOLE_AFTER_RTO, 0, 0);
	snprintf(want, sizeof(want), "retransmission of 14601:16061 after the timeout (a hole: SACKed "
		 "data skipped)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	ck_assert_str_eq(tcp_why_kind_name(TCP_WHY_SACK_RESCUE), "sack_rescue_retransmit");
}
END_TEST

/* RACK-TLP (RFC 8985): a RACK-marked retransmission and the tail loss probe. */
START_TEST(rack_tlp_words)
{
	struct tcp_seg s = data_seg(1000, 14601, 1460);
	struct tcp_why w = state(TCP_WHY_RACK_LOST, 12500000, 10000000);
	static const char TAIL[] = " | cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | recovery";
	char want[240];

	snprintf(want, sizeof(want), "RACK: lost 14601:16061 (sent 12.5ms before the last delivered, "
		 "reo_wnd 10ms)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_RACK_FAST_RETRANSMIT, 2400000, 0);
	snprintf(want, sizeof(want), "RACK fast retransmit of 14601:16061, lost (sent 2.4ms before the "
		 "last delivered, reo_wnd 0us)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_RACK_LOST, 0, 0);
	snprintf(want, sizeof(want), "RACK: lost 14601:16061 (sent 0us before the last delivered, "
		 "reo_wnd 0us)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_RACK_LOST_AGAIN, 3600000, 0);
	snprintf(want, sizeof(want), "RACK: retransmission of 14601:16061 lost too (resent 3.6ms "
		 "before the last delivered, reo_wnd 0us)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_RACK_FAST_AGAIN, 2400000, 0);
	snprintf(want, sizeof(want), "RACK fast retransmit of 14601:16061, its retransmission lost "
		 "too (resent 2.4ms before the last delivered, reo_wnd 0us)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_TLP, 0, 85758000);
	snprintf(want, sizeof(want), "tail loss probe: the last segment again 14601:16061 "
		 "(PTO 2*SRTT = 85.758ms)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_TLP, TCP_WHY_TLP_NEW | TCP_WHY_TLP_DELACK, 400000000);
	snprintf(want, sizeof(want), "tail loss probe: new data 14601:16061 (PTO 2*SRTT + WCDelAckT "
		 "= 400ms: one segment in flight)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_TLP, TCP_WHY_TLP_NO_RTT, 1000000000);
	snprintf(want, sizeof(want), "tail loss probe: the last segment again 14601:16061 "
		 "(PTO 1s: no RTT sample yet)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	w = state(TCP_WHY_TLP, TCP_WHY_TLP_CAPPED, 1500000);
	snprintf(want, sizeof(want), "tail loss probe: the last segment again 14601:16061 "
		 "(PTO = what was left of the RTO, 1.5ms)%s", TAIL);
	ck_assert_str_eq(fmt(&w, &s), want);
	ck_assert_str_eq(tcp_why_kind_name(TCP_WHY_RACK_LOST), "rack_lost");
	ck_assert_str_eq(tcp_why_kind_name(TCP_WHY_RACK_LOST_AGAIN), "rack_lost_again");
	ck_assert_str_eq(tcp_why_kind_name(TCP_WHY_RACK_FAST_AGAIN), "rack_fast_retransmit_again");
	ck_assert_str_eq(tcp_why_kind_name(TCP_WHY_TLP), "tail_loss_probe");
}
END_TEST

START_TEST(other_words)
{
	struct tcp_seg s = data_seg(1000, 2921, 100);
	struct tcp_why w = state(TCP_WHY_DATA_NAGLE_RELEASED, 0, 1000 + 2921);

	w.cc = TCP_CC_OPEN;
	ck_assert_str_eq(fmt(&w, &s), "new data 2921:3021, Nagle released (ACK of 2921) | "
			 "cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open");
	w = state(TCP_WHY_PROBE, 3, 0);
	s = data_seg(1000, 17845, 1);
	ck_assert_str_eq(fmt(&w, &s), "window probe #3 | "
			 "cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | recovery");
	w = state(TCP_WHY_SYN_RETRANSMIT, 1, 1000000000);
	s = data_seg(1000, 0, 0);
	s.flags = TH_SYN;
	ck_assert_str_eq(fmt(&w, &s), "SYN retransmission: RTO #1 (1s) | rto 1.2s");
	s.flags = TH_RST | TH_ACK;
	w = state(TCP_WHY_RST_NO_SOCKET, 0, 0);
	ck_assert_str_eq(fmt(&w, &s), "RST: no socket for this segment");
	w = state(TCP_WHY_DATA, 0, 0);
	s = data_seg(1000, 1, 10);
	s.flags |= TH_FIN;
	w.cc = TCP_CC_OPEN;
	ck_assert_str_eq(fmt(&w, &s), "new data 1:11 +FIN | "
			 "cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open");
}
END_TEST

/* RFC 3168: the ECN notes after the rule's words: the ECN-setup SYN and
 * SYN-ACK (§6.1.1), CWR and the reduction it announces (§6.1.2), ECE and
 * the CE segment it echoes (§6.1.3, the peer's relative numbers). */
START_TEST(ecn_words)
{
	struct tcp_seg s = data_seg(1000, 0, 0);
	struct tcp_why w = state(TCP_WHY_SYN, 0, 0);

	s.flags = TH_SYN | TH_ECE | TH_CWR;
	w.ecn_setup = true;
	ck_assert_str_eq(fmt(&w, &s), "SYN: active open, ECN-setup SYN (ECE+CWR): asks for ECN"
			 " | rto 1.2s");
	s.flags = TH_SYN | TH_ACK | TH_ECE;
	w.kind = TCP_WHY_SYN_ACK;
	ck_assert_str_eq(fmt(&w, &s), "SYN-ACK: reply to the SYN, ECN-setup SYN-ACK (ECE): ECN agreed"
			 " | rto 1.2s");

	w = state(TCP_WHY_DATA, 0, 0);
	w.cc = TCP_CC_OPEN;
	s = data_seg(1000, 328501, 1460);
	s.flags |= TH_CWR;
	w.cwr = TCP_CWR_ECE;
	ck_assert_str_eq(fmt(&w, &s), "new data 328501:329961, CWR: cwnd reduced after ECE | "
			 "cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open");
	w.cwr = TCP_CWR_FAST_RETRANSMIT;
	ck_assert_str_eq(fmt(&w, &s), "new data 328501:329961, CWR: cwnd reduced after fast "
			 "retransmit | cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open");
	w.cwr = TCP_CWR_RTO;
	w.ece = true;
	w.ce_seq = 5000 + 1461;
	w.ce_end = 5000 + 2921;
	ck_assert_str_eq(fmt(&w, &s), "new data 328501:329961, CWR: cwnd reduced after RTO, ECE: "
			 "echoing CE of 1461:2921 | cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open");

	w = state(TCP_WHY_ACK_SECOND, 0, 0);
	w.flight_bytes = 0;
	w.ece = true;
	w.ce_seq = 5000 + 208781;
	w.ce_end = 5000 + 210241;
	s = data_seg(1000, 1, 0);
	s.flags = TH_ACK | TH_ECE;
	s.ack = 5000 + 211701;
	ck_assert_str_eq(fmt(&w, &s), "ACK 211701: a second full segment arrived, ECE: echoing CE "
			 "of 208781:210241");
}
END_TEST

/* The pcapng comment: the sender's words, then the link's verdict when it
 * did something (a CE mark among them); on arrival what the receiver can
 * tell of the way: held back, marked CE, both. */
START_TEST(comment_words)
{
	struct link l;
	struct tcp_why w = state(TCP_WHY_DATA, 0, 0);
	struct tcp_seg s = data_seg(1000, 1, 1460);
	struct link_verdict v = { .number = 5, .fate = LINK_ACCEPTED };
	struct pkt_event ev = { .kind = PKT_SENT, .seg = &s, .why = &w, .verdict = &v, .link = &l };
	char buf[256];

	memset(&l, 0, sizeof(l));
	l.cfg.queue_packets = 100;
	l.cfg.ecn_threshold_packets = 20;
	w.cc = TCP_CC_OPEN;
	pcapng_tap_comment(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, "new data 1:1461 | cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open");
	v.ce = true;
	v.ce_queue = 21;
	pcapng_tap_comment(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, "new data 1:1461 | cwnd 8760 ssthresh 7300 flight 13140 rto 1.2s | open"
			 " | queue 21 > 20: CE");
	ev.kind = PKT_ARRIVED;
	ev.why = NULL;
	pcapng_tap_comment(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, "marked CE by the link's queue");
	v.reorder_ns = 2000000;
	pcapng_tap_comment(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, "held back 2 ms by the link; marked CE by its queue");
	v.ce = false;
	pcapng_tap_comment(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, "held back 2 ms by the link");
	v.reorder_ns = 0;
	pcapng_tap_comment(&ev, buf, sizeof(buf));
	ck_assert_str_eq(buf, "");
}
END_TEST

/* A rule's delay, the copies that follow and the jitter are what the link
 * did too: the sender's comment says them after its own words. */
START_TEST(comment_words_delay_copies_jitter)
{
	static const struct { struct link_verdict v; const char *link; } cases[] = {
		{ { .rule_delay_ns = 2000000000 }, "delayed +2000 ms by a rule" },
		{ { .copies = 3 }, "3 duplicates follow" },
		{ { .jitter_ns = 1500000 }, "jitter +1.5 ms" },
		{ { .jitter_ns = 250000, .copies = 1 }, "jitter +0.25 ms, 1 duplicate follow" },
	};
	struct link l;
	struct tcp_why w = state(TCP_WHY_DATA, 0, 0);
	struct tcp_seg s = data_seg(1000, 1, 1460);
	char buf[256], want[256];

	memset(&l, 0, sizeof(l));
	w.cc = TCP_CC_OPEN;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct link_verdict v = cases[i].v;
		struct pkt_event ev = { .kind = PKT_SENT, .seg = &s, .why = &w, .verdict = &v,
					.link = &l };

		pcapng_tap_comment(&ev, buf, sizeof(buf));
		snprintf(want, sizeof(want), "new data 1:1461 | cwnd 8760 ssthresh 7300 flight 13140"
			 " rto 1.2s | open | %s", cases[i].link);
		ck_assert_str_eq(buf, want);
	}
}
END_TEST

START_TEST(truncated_words)
{
	struct tcp_why w = state(TCP_WHY_FAST_RETRANSMIT, 3, 0);
	struct tcp_seg s = data_seg(1000, 14601, 1460);
	char buf[12];

	ck_assert_uint_eq(tcp_why_format(&w, &s, buf, sizeof(buf)), 11);
	ck_assert_str_eq(buf, "fast retran");
}
END_TEST

START_TEST(verdict_words)
{
	struct link l;
	struct link_verdict v = { .number = 20, .fate = LINK_DROP_SCRIPTED };
	char buf[128];

	memset(&l, 0, sizeof(l));
	l.cfg.loss_ppb = 50000000;      /* 5% */
	l.cfg.queue_packets = 100;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "dropped by link: drop list (packet 20)");
	v.fate = LINK_DROP_LOSS;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "dropped by link: random loss 5%");
	v.fate = LINK_DROP_QUEUE;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "dropped: queue full (100 packets)");
	l.cfg.queue_bytes = 64000;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "dropped: queue full (64000 bytes)");
	v.fate = LINK_DROP_BLACKOUT;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "dropped by link: blackout");
	v.fate = LINK_ACCEPTED;
	ck_assert_uint_eq(link_verdict_format(&l, &v, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "");
	v.reorder_ns = 7000000;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "reordered +7 ms");
	v.corrupt = true;
	v.corrupt_bit = 1234;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "reordered +7 ms, bit 1234 flipped");
	v.reorder_ns = 0;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "bit 1234 flipped");
	/* RFC 3168 §5: marked CE past the threshold, in its unit. */
	v.corrupt = false;
	v.ce = true;
	v.ce_queue = 21;
	l.cfg.ecn_threshold_packets = 20;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "queue 21 > 20: CE");
	v.reorder_ns = 2000000;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "queue 21 > 20: CE, reordered +2 ms");
	v.reorder_ns = 0;
	v.ce_queue = 31500;
	l.cfg.ecn_threshold_packets = 0;
	l.cfg.ecn_threshold_bytes = 30000;
	link_verdict_format(&l, &v, buf, sizeof(buf));
	ck_assert_str_eq(buf, "queue 31500 B > 30000 B: CE");
	ck_assert_str_eq(link_fate_name(LINK_DROP_QUEUE), "queue_full");
	ck_assert(link_fate_dropped(LINK_DROP_LOSS));
	ck_assert(!link_fate_dropped(LINK_ACCEPTED));
}
END_TEST

/* ---- whole runs ---- */

/* What a run's observer saw: each reason's count per sender, and a few details. */
struct tally {
	uint64_t kinds[2][TCP_WHY_RST_NO_SOCKET + 1];
	uint64_t fates[2][LINK_DROP_QUEUE + 1];
	uint64_t arrived[2], corrupt[2];
	uint64_t last_n[2][TCP_WHY_RST_NO_SOCKET + 1];
	bool n_in_sequence;             /* probes and RTOs numbered 1, 2, 3 ... */
	uint64_t rto_args[8];
	size_t nrto;
	uint64_t fr_n, fr_cwnd, fr_ssthresh;
	uint32_t smss_seen;
};

static bool tally_packet(void *ctx, const struct pkt_event *ev)
{
	struct tally *t = ctx;

	if (ev->kind == PKT_ARRIVED) {
		ck_assert_int_ne(ev->at, ev->from);
		t->arrived[ev->at]++;
		if (ev->checksum_bad) {
			t->corrupt[ev->at]++;
			ck_assert(ev->seg == NULL);
			ck_assert(ev->verdict->corrupt);
		}
		ck_assert(!link_fate_dropped(ev->verdict->fate));
		ck_assert(ev->why == NULL);
		return true;
	}
	ck_assert_int_eq(ev->at, ev->from);
	t->kinds[ev->from][ev->why->kind]++;
	t->fates[ev->from][ev->verdict->fate]++;
	if (ev->why->kind == TCP_WHY_PROBE || ev->why->kind == TCP_WHY_RTO_RETRANSMIT) {
		if (ev->why->n != t->last_n[ev->from][ev->why->kind] + 1 &&
		    !(ev->why->kind == TCP_WHY_RTO_RETRANSMIT && ev->why->n == 1))
			t->n_in_sequence = false;
		t->last_n[ev->from][ev->why->kind] = ev->why->n;
	}
	if (ev->why->kind == TCP_WHY_RTO_RETRANSMIT && t->nrto < 8)
		t->rto_args[t->nrto++] = ev->why->arg;
	if (ev->why->kind == TCP_WHY_FAST_RETRANSMIT) {
		t->fr_n = ev->why->n;
		t->fr_cwnd = ev->why->cwnd_bytes;
		t->fr_ssthresh = ev->why->ssthresh_bytes;
		t->smss_seen = ev->seg->len;
	}
	return true;
}

/* A summary count by its key, as the JSON and expect: name it. */
static uint64_t u(const struct summary *sum, const char *key)
{
	const struct summary_key *k = summary_key(key);

	ck_assert_msg(k != NULL, "no summary key %s", key);
	return summary_get(sum, k).u;
}

static void run_yaml(const char *yaml, struct tally *t, struct summary *sum)
{
	struct scenario scn;
	struct observer o = { .ctx = t, .packet = tally_packet };
	char err[512];
	struct world *w;

	memset(t, 0, sizeof(*t));
	t->n_in_sequence = true;
	if (scenario_load_mem("t.yaml", yaml, strlen(yaml), &scn, err, sizeof(err)) != 0)
		ck_abort_msg("%s", err);
	w = world_new(&scn, scn.seed);
	ck_assert_int_eq(world_observe(w, &o), 0);
	world_run(w);
	summary_collect(sum, w);
	world_free(w);
	scenario_free(&scn);
}

START_TEST(fast_retransmit_run)
{
	struct tally t;
	struct summary s;

	run_yaml("name: t\nseed: 1\nlink: {rate: 10Mbps, delay: 20ms, queue: 1000,"
		 " a_to_b: {drop: [20]}}\n"
		 "client: {app: [connect, {send: 200KB}, close]}\nserver: {app: sink}\n", &t, &s);
	ck_assert_uint_eq(u(&s, "client.fast_retransmits"), 1);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_FAST_RETRANSMIT], 1);
	ck_assert_uint_eq(t.fr_n, 3);               /* RFC 5681 §3.2: DupThresh */
	/* RFC 5681 §3.2 step 3: cwnd = ssthresh + 3 SMSS as the segment leaves. */
	ck_assert_uint_eq(t.fr_cwnd, t.fr_ssthresh + 3 * 1460);
	ck_assert_uint_eq(t.smss_seen, 1460);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_LIMITED_TRANSMIT], 2);   /* RFC 3042 */
	ck_assert_uint_eq(t.fates[HOST_CLIENT][LINK_DROP_SCRIPTED], 1);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_OUT_OF_ORDER] > 0, 1);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_SYN], 1);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_SYN_ACK], 1);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_ACK_HANDSHAKE], 1);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_RTO_RETRANSMIT], 0);
	/* Every packet sent that the link kept arrived. */
	ck_assert_uint_eq(t.arrived[HOST_SERVER], u(&s, "client.segments_sent") - 1);
}
END_TEST

START_TEST(rto_run)
{
	struct tally t;
	struct summary s;

	run_yaml("name: t\nseed: 1\nlink: {rate: 10Mbps, delay: 20ms, queue: 1000,"
		 " blackout: {start: 200ms, duration: 30s}}\n"
		 "client: {app: [connect, {send: 500KB}, close]}\nserver: {app: sink}\n", &t, &s);
	ck_assert_uint_eq(u(&s, "client.rto_timeouts"), 5);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_RTO_RETRANSMIT], 5);
	ck_assert(t.n_in_sequence);
	/* RFC 6298 (5.5): each timeout twice the one before, from 1 s. */
	ck_assert_uint_eq(t.nrto, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_uint_eq(t.rto_args[i], (uint64_t)NS_PER_S << i);
	ck_assert_uint_eq(t.fates[HOST_CLIENT][LINK_DROP_BLACKOUT] +
			  t.fates[HOST_SERVER][LINK_DROP_BLACKOUT],
			  u(&s, "link.client_to_server.dropped") + u(&s, "link.server_to_client.dropped"));
	/* After the blackout, go-back-N resends what was outstanding. */
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_RETRANSMIT] +
			  t.kinds[HOST_CLIENT][TCP_WHY_RTO_RETRANSMIT], u(&s, "client.retransmissions"));
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_DUPLICATE_DATA] > 0, 1);
}
END_TEST

START_TEST(zero_window_run)
{
	struct tally t;
	struct summary s;

	run_yaml("name: t\nseed: 1\nlink: {rate: 10Mbps, delay: 10ms}\n"
		 "client: {tcp: {min_rto: 200ms}, app: [connect, {send: 48KiB}, close]}\n"
		 "server: {tcp: {receive_buffer: 16KiB, delayed_ack: 40ms},"
		 " read: {bytes: 8KiB, every: 4s}, app: sink}\n", &t, &s);
	ck_assert_uint_eq(u(&s, "client.window_probes"), 16);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_PROBE], 16);
	ck_assert(t.n_in_sequence);
	ck_assert_uint_eq(t.last_n[HOST_CLIENT][TCP_WHY_PROBE], 16);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_PROBE], 16);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_WINDOW_UPDATE],
			  u(&s, "server.window_updates_sent"));
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_DATA_OVERRIDE] > 0, 1);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_DELAYED], u(&s, "server.delayed_acks"));
}
END_TEST

START_TEST(nagle_run)
{
	struct tally t;
	struct summary s;

	run_yaml("name: t\nseed: 1\nlink: {rate: 10Mbps, delay: 10ms}\n"
		 "client:\n  tcp: {nagle: true}\n  app:\n    - connect\n"
		 "    - repeat: {times: 3, steps: [{send: 40}, {send: 200}, {read: 1000}]}\n"
		 "    - close\n"
		 "server:\n  app:\n    - repeat: {times: 3, steps: [{read: 240}, {send: 1000}]}\n",
		 &t, &s);
	ck_assert_uint_eq(u(&s, "client.nagle_holds"), 3);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_DATA_NAGLE_RELEASED], 3);
	/* The first request's ACK left at once: the waiting reader took the
	 * data and opened the window (the buffer is small beside the
	 * window offered so far); the next two waited for the delayed-ACK timer. */
	ck_assert_uint_eq(u(&s, "server.delayed_acks"), 2);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_DELAYED], 2);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_WINDOW_OPENED], 1);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_WINDOW_UPDATE], 0);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_ACK_FIN], 1);
	ck_assert_uint_eq(t.kinds[HOST_CLIENT][TCP_WHY_ACK_FIN], 1);
}
END_TEST

START_TEST(corrupt_and_rst_run)
{
	struct tally t;
	struct summary s;

	run_yaml("name: t\nseed: 1\nlink: {rate: 10Mbps, delay: 10ms, corrupt: 2%}\n"
		 "client: {app: [connect, {send: 300KB}, close]}\nserver: {app: sink}\n", &t, &s);
	ck_assert_uint_gt(u(&s, "server.checksum_errors"), 0);
	ck_assert_uint_eq(t.corrupt[HOST_SERVER], u(&s, "server.checksum_errors"));
	ck_assert_uint_eq(t.corrupt[HOST_CLIENT], u(&s, "client.checksum_errors"));
	run_yaml("name: t\nseed: 1\nlink: {rate: 10Mbps, delay: 1ms}\n"
		 "client: {app: [{connect: 81}]}\nserver: {app: sink}\n", &t, &s);
	ck_assert_uint_eq(t.kinds[HOST_SERVER][TCP_WHY_RST_NO_SOCKET], 1);
}
END_TEST

START_TEST(observer_limit)
{
	struct scenario scn;
	struct observer o = { 0 };
	struct world *w;

	scenario_defaults(&scn);
	w = world_new(&scn, 1);
	for (int i = 0; i < WORLD_MAX_OBSERVERS; i++)
		ck_assert_int_eq(world_observe(w, &o), 0);
	ck_assert_int_eq(world_observe(w, &o), -1);
	world_free(w);
	scenario_free(&scn);
}
END_TEST

/* What an observer was shown, in order: each event's kind, host and time. */
#define SEEN_MAX 400

struct seen {
	int n;
	struct { enum pkt_event_kind kind; enum host_id at; uint64_t time_ns; } ev[SEEN_MAX];
};

static bool see_packet(void *ctx, const struct pkt_event *ev)
{
	struct seen *s = ctx;

	ck_assert_int_lt(s->n, SEEN_MAX);
	s->ev[s->n].kind = ev->kind;
	s->ev[s->n].at = ev->at;
	s->ev[s->n].time_ns = ev->time_ns;
	s->n++;
	return true;
}

/* Whether part is whole's events at host, in whole's order. */
static bool seen_at(const struct seen *whole, enum host_id host, const struct seen *part)
{
	int k = 0;

	for (int i = 0; i < whole->n; i++) {
		if (whole->ev[i].at != host)
			continue;
		if (k == part->n || part->ev[k].kind != whole->ev[i].kind ||
		    part->ev[k].at != host || part->ev[k].time_ns != whole->ev[i].time_ns)
			return false;
		k++;
	}
	return k == part->n;
}

/*
 * An observer is shown the packets of the hosts it names (at_hosts), all
 * of them with 0 or both bits; each in the order the others see them.
 */
START_TEST(observer_at_hosts)
{
	static struct seen client, server, every, both;
	struct observer oc = { .ctx = &client, .packet = see_packet,
			       .at_hosts = OBSERVE_AT(HOST_CLIENT) };
	struct observer os = { .ctx = &server, .packet = see_packet,
			       .at_hosts = OBSERVE_AT(HOST_SERVER) };
	struct observer oe = { .ctx = &every, .packet = see_packet };
	struct observer ob = { .ctx = &both, .packet = see_packet,
			       .at_hosts = OBSERVE_AT(HOST_CLIENT) | OBSERVE_AT(HOST_SERVER) };
	struct observer none = { 0 };
	const char *yaml = "name: t\nlink: {rate: 10Mbps, delay: 1ms}\nclient:\n  app:\n    - connect\n"
			   "    - send: 20KB\n    - close\nserver:\n  app: sink\n";
	struct scenario scn;
	char err[256];
	struct world *w;

	ck_assert_int_eq(scenario_load_mem("t.yaml", yaml, strlen(yaml), &scn, err, sizeof(err)), 0);
	w = world_new(&scn, 1);
	ck_assert_int_eq(world_observe(w, &oc), 0);
	ck_assert_int_eq(world_observe(w, &none), 0);
	ck_assert_int_eq(world_observe(w, &oe), 0);
	ck_assert_int_eq(world_observe(w, &os), 0);
	ck_assert_int_eq(world_observe(w, &ob), 0);
	ck_assert_int_eq(world_run(w), WORLD_DONE);
	/* 20 KB in 14 segments, the handshake and the close: each packet
	 * sent, and arrived. */
	ck_assert_int_gt(client.n, 20);
	ck_assert_int_gt(server.n, 20);
	ck_assert_int_eq(every.n, client.n + server.n);
	ck_assert(seen_at(&every, HOST_CLIENT, &client));
	ck_assert(seen_at(&every, HOST_SERVER, &server));
	ck_assert_int_eq(both.n, every.n);
	ck_assert(seen_at(&both, HOST_CLIENT, &client));
	ck_assert(seen_at(&both, HOST_SERVER, &server));
	world_free(w);
	scenario_free(&scn);
}
END_TEST

static bool stop_at_third(void *ctx, const struct pkt_event *ev)
{
	int *n = ctx;

	(void)ev;
	return ++*n < 3;
}

START_TEST(observer_stops_the_run)
{
	struct scenario scn;
	const char *yaml = "name: t\nlink: {rate: 10Mbps, delay: 1ms}\nclient:\n  app:\n    - connect\n    - send: 100KB\n"
			   "    - close\nserver:\n  app: sink\n";
	int n = 0;
	struct observer o = { .ctx = &n, .packet = stop_at_third };
	char err[256];
	struct world *w;

	ck_assert_int_eq(scenario_load_mem("t.yaml", yaml, strlen(yaml), &scn, err, sizeof(err)), 0);
	w = world_new(&scn, 1);
	world_observe(w, &o);
	ck_assert_int_eq(world_run(w), WORLD_CAPTURE_STOPPED);
	ck_assert_int_eq(n, 3);
	world_free(w);
	scenario_free(&scn);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("why");
	TCase *words = tcase_create("words");
	TCase *runs = tcase_create("runs");
	SRunner *sr;
	int failed;

	tcase_add_test(words, fast_retransmit_words);
	tcase_add_test(words, rto_words);
	tcase_add_test(words, paws_words);
	tcase_add_test(words, ack_words);
	tcase_add_test(words, other_words);
	tcase_add_test(words, sack_words);
	tcase_add_test(words, ecn_words);
	tcase_add_test(words, comment_words);
	tcase_add_test(words, comment_words_delay_copies_jitter);
	tcase_add_test(words, rack_tlp_words);
	tcase_add_test(words, truncated_words);
	tcase_add_test(words, verdict_words);
	suite_add_tcase(s, words);
	tcase_set_timeout(runs, 60);
	tcase_add_test(runs, fast_retransmit_run);
	tcase_add_test(runs, rto_run);
	tcase_add_test(runs, zero_window_run);
	tcase_add_test(runs, nagle_run);
	tcase_add_test(runs, corrupt_and_rst_run);
	tcase_add_test(runs, observer_limit);
	tcase_add_test(runs, observer_stops_the_run);
	tcase_add_test(runs, observer_at_hosts);
	suite_add_tcase(s, runs);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
