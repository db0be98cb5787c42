/*
 * check_world: whole runs built in code (no YAML), asserting exact virtual
 * times and counters: the handshake's RTT, a scripted drop repaired by one
 * RTO, the SYN retry limit, the duration limit, fast retransmit on the
 * third duplicate ACK, and CUBIC's window after one loss.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "engine.h"
#include "scenario.h"
#include "summary.h"
#include "tcp.h"
#include "world.h"

/* A summary value by its key, as the JSON and expect: name it. */
static struct summary_value value(const struct summary *sum, const char *key)
{
	const struct summary_key *k = summary_key(key);

	ck_assert_msg(k != NULL, "no summary key %s", key);
	return summary_get(sum, k);
}

static uint64_t u(const struct summary *sum, const char *key) { return value(sum, key).u; }
static bool b(const struct summary *sum, const char *key) { return value(sum, key).b; }
static const char *str(const struct summary *sum, const char *key) { return value(sum, key).str; }

static struct app_step client_steps[4];
static uint64_t drops[4];

/* 100 Mbit/s, 5 ms each way; client: connect, send n, close; server: sink. */
static void base(struct scenario *s, uint64_t n)
{
	scenario_defaults(s);
	s->link.a_to_b.rate_bps = s->link.b_to_a.rate_bps = 100000000;
	s->link.a_to_b.delay_ns = s->link.b_to_a.delay_ns = 5 * NS_PER_MS;
	client_steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	client_steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = n };
	client_steps[2] = (struct app_step){ .kind = STEP_CLOSE };
	s->client.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = client_steps, .nsteps = 3 };
	s->server.app = (struct app_cfg){ .kind = APP_SINK };
	s->capture = CAPTURE_NONE;
}

/* The scenario's own allocations (its steps and drop lists here are static). */
static void release(struct scenario *s)
{
	free(s->name);
	s->name = NULL;
}

/* Serialization of an IP packet of len bytes at 100 Mbit/s, in ns. */
static uint64_t ser(uint64_t len)
{
	return (len * 8 * NS_PER_S + 100000000 - 1) / 100000000;
}

START_TEST(handshake_rtt_is_exact)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 1000);
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	/* The SYN and SYN-ACK are 48-byte IP packets (20 + 20 + MSS 4 + NOP,WS 4):
	 * the first RTT sample is 2 * (5 ms + 3840 ns). */
	ck_assert_uint_eq(2 * (5 * NS_PER_MS + ser(48)), 10007680);
	ck_assert_uint_eq(u(&sum, "client.segments_sent"), 5);
	ck_assert_uint_eq(u(&sum, "server.segments_sent"), 4);
	ck_assert_uint_eq(u(&sum, "server.app_bytes_received"), 1000);
	ck_assert(b(&sum, "server.data_intact"));
	ck_assert_str_eq(str(&sum, "client.state"), "CLOSED");
	ck_assert_ptr_null(str(&sum, "client.error"));
	/* The end: the SYN-ACK arrives at t0 = 2 * (5 ms + ser(48)); the client
	 * sends ACK, data and FIN back to back; the FIN is off its link after
	 * ser(40) + ser(1040) + ser(40) and arrives 5 ms later; the server ACKs
	 * it and sends its own FIN behind that ACK (ser(40) each; its link has
	 * just finished the data's ACK); the FIN arrives 5 ms later; the
	 * client's TIME_WAIT lasts 2 MSL = 60 s and nothing happens after. */
	ck_assert_uint_eq(u(&sum, "end_time_s"),
			  2 * (5 * NS_PER_MS + ser(48))
			  + ser(40) + ser(1040) + ser(40) + 5 * NS_PER_MS
			  + ser(40) + ser(40) + 5 * NS_PER_MS
			  + 60 * NS_PER_S);
	world_free(w);
	release(&s);
}
END_TEST

START_TEST(first_srtt_sample)
{
	struct scenario s;
	struct world *w;

	base(&s, 0);
	s.client.app.nsteps = 1;         /* connect only */
	w = world_new(&s, 1);
	world_run(w);
	/* RFC 6298 (2.2): SRTT = R = the SYN's round trip. */
	ck_assert_uint_eq(tcp_srtt_ns(world_tcp(w, HOST_CLIENT)), 2 * (5 * NS_PER_MS + ser(48)));
	world_free(w);
	release(&s);
}
END_TEST

START_TEST(scripted_drop_repaired_by_one_rto)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 3000);
	/* Client -> server packets: 1 SYN, 2 ACK, 3-5 data (1460, 1460, 80
	 * bytes), 6 FIN. Drop the first data segment. */
	drops[0] = 3;
	s.link.a_to_b.drop = drops;
	s.link.a_to_b.ndrop = 1;
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert_uint_eq(u(&sum, "link.client_to_server.dropped"), 1);
	/* Go-back-N after the RTO resends only the first segment: the ACK of
	 * it covers everything the server held out of order. */
	ck_assert_uint_eq(u(&sum, "client.retransmissions"), 1);
	ck_assert_uint_eq(u(&sum, "client.rto_timeouts"), 1);
	/* Three ACKs of 1 came back: the first changes the window the SYN-ACK
	 * gave (65535 unscaled -> 131072), so by RFC 5681 §2 it is not a
	 * duplicate; the two after it are. */
	ck_assert_uint_eq(u(&sum, "client.dupacks_received"), 2);
	ck_assert_uint_eq(u(&sum, "server.app_bytes_received"), 3000);
	ck_assert(b(&sum, "server.data_intact"));
	ck_assert_str_eq(str(&sum, "server.state"), "CLOSED");
	world_free(w);
	release(&s);
}
END_TEST

/*
 * MTU per direction: each host sends within its outgoing direction's MTU
 * and announces the MSS that MTU allows (RFC 9293 §3.7.1), so the smaller
 * of the two limits both ways. 3000 bytes take 3 segments (1460, 1460, 80)
 * when both directions carry 1500 bytes, and 6 (5 x 536 + 320) when either
 * direction carries only 576: with 576 on the way back, the server
 * announces MSS 536 and the client keeps to it; with 576 on the way out,
 * the client's own packets may hold no more than 536 bytes of data.
 */
START_TEST(mtu_per_direction_limits_both_ways)
{
	static const struct { uint32_t a_to_b, b_to_a; uint64_t segments; } cases[] = {
		{ 1500, 1500, 3 }, { 1500, 576, 6 }, { 576, 1500, 6 }, { 576, 576, 6 },
	};
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 3000);
	s.link.a_to_b.mtu = cases[_i].a_to_b;
	s.link.b_to_a.mtu = cases[_i].b_to_a;
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert_uint_eq(u(&sum, "client.data_segments_sent"), cases[_i].segments);
	ck_assert_uint_eq(u(&sum, "client.payload_bytes_sent"), 3000);
	ck_assert_uint_eq(u(&sum, "client.retransmissions"), 0);
	ck_assert_uint_eq(u(&sum, "server.app_bytes_received"), 3000);
	ck_assert(b(&sum, "server.data_intact"));
	world_free(w);
	release(&s);
}
END_TEST

START_TEST(syn_retry_limit_times_out)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 1000);
	s.link.b_to_a.loss_ppb = 1000000000;     /* nothing comes back ... */
	s.server.app.kind = APP_NONE;            /* ... not even the RSTs */
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	/* SYN at 0, retransmitted at 1, 3, 7, 15, 31, 63 s (RTO 1 s doubling,
	 * RFC 6298 5.5); the next RTO would be 64 s but max_rto caps it at
	 * 60 s (2.5), so the 7th expiry, at 123 s, gives up (syn_retries 6). */
	ck_assert_uint_eq(u(&sum, "client.segments_sent"), 7);
	ck_assert_uint_eq(u(&sum, "client.retransmissions"), 6);
	ck_assert_uint_eq(u(&sum, "client.rto_timeouts"), 6);
	ck_assert_str_eq(str(&sum, "client.error"), "timeout");
	ck_assert_str_eq(str(&sum, "client.state"), "CLOSED");
	ck_assert_uint_eq(u(&sum, "end_time_s"), 123 * NS_PER_S);
	ck_assert(!b(&sum, "duration_reached"));
	world_free(w);
	release(&s);
}
END_TEST

START_TEST(corrupted_packets_fail_the_checksum_and_are_dropped)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 1000);
	s.link.a_to_b.corrupt_ppb = 1000000000;  /* every client packet damaged */
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	/* The SYN and its six retransmissions all fail the server's checksum
	 * check: dropped and counted, never answered. */
	ck_assert_uint_eq(u(&sum, "link.client_to_server.corrupted"), 7);
	ck_assert_uint_eq(u(&sum, "server.checksum_errors"), 7);
	ck_assert_uint_eq(u(&sum, "server.segments_received"), 0);
	ck_assert_uint_eq(u(&sum, "server.segments_sent"), 0);
	ck_assert_str_eq(str(&sum, "client.error"), "timeout");
	world_free(w);
	release(&s);
}
END_TEST

/*
 * Data both ways over a lossy link: after a timeout pulls snd_nxt back, a
 * pure ACK must still be acceptable to the peer (it carries snd_max), or
 * both sides ignore each other's ACKs until they time out.
 */
START_TEST(echo_over_loss_completes)
{
	static struct app_step steps[3];
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 0);
	steps[0] = (struct app_step){ .kind = STEP_CONNECT };
	steps[1] = (struct app_step){ .kind = STEP_SEND, .bytes = 200000 };
	steps[2] = (struct app_step){ .kind = STEP_CLOSE };
	s.client.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = steps, .nsteps = 3 };
	s.server.app.kind = APP_ECHO;
	s.client.tcp.receive_buffer = 16384;
	s.server.tcp.send_buffer = 8192;
	for (int d = 0; d < 2; d++) {
		struct link_cfg *dir = d ? &s.link.b_to_a : &s.link.a_to_b;
		dir->rate_bps = 5000000;
		dir->delay_ns = 15 * NS_PER_MS;
		dir->queue_packets = 20;
		dir->loss_ppb = 80000000;        /* 8% */
		dir->corrupt_ppb = 10000000;     /* 1% */
		dir->reorder_ppb = 50000000;     /* 5% ... */
		dir->reorder_delay_ns = 7 * NS_PER_MS;   /* ... held back 7 ms */
	}
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert_ptr_null(str(&sum, "client.error"));
	ck_assert_ptr_null(str(&sum, "server.error"));
	ck_assert_uint_eq(u(&sum, "server.app_bytes_received"), 200000);
	ck_assert_uint_eq(u(&sum, "client.app_bytes_received"), 200000);
	ck_assert(b(&sum, "client.data_intact"));
	ck_assert(u(&sum, "client.rto_timeouts") > 0 && u(&sum, "server.rto_timeouts") > 0);
	world_free(w);
	release(&s);
}
END_TEST

/*
 * A small receive buffer and a lossy ACK path: the window update that
 * reopens a nearly closed window can be lost while nothing is in flight. The
 * persist timer must then force data into the small window (RFC 1122
 * §4.2.3.4's SWS override), or the transfer stalls for good.
 */
START_TEST(lost_window_update_does_not_stall)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 500000);
	s.client.tcp.mss = 1000;
	s.server.tcp.receive_buffer = 8192;
	for (int d = 0; d < 2; d++) {
		struct link_cfg *dir = d ? &s.link.b_to_a : &s.link.a_to_b;
		dir->rate_bps = 20000000;
		dir->delay_ns = d ? 5 * NS_PER_MS : 30 * NS_PER_MS;
		dir->queue_packets = 30;
		dir->loss_ppb = d ? 100000000 : 30000000;   /* 10% / 3% */
		dir->reorder_ppb = 100000000;
		dir->reorder_delay_ns = 2 * NS_PER_MS;
	}
	w = world_new(&s, 3);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert(!b(&sum, "duration_reached"));
	ck_assert_uint_eq(u(&sum, "server.app_bytes_received"), 500000);
	ck_assert(b(&sum, "server.data_intact"));
	ck_assert_str_eq(str(&sum, "client.state"), "CLOSED");
	world_free(w);
	release(&s);
}
END_TEST

START_TEST(duration_limit_stops_the_run)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 1000);
	client_steps[2] = (struct app_step){ .kind = STEP_WAIT, .wait_ns = 100 * NS_PER_S };
	client_steps[3] = (struct app_step){ .kind = STEP_CLOSE };
	s.client.app.nsteps = 4;
	s.duration_ns = 5 * NS_PER_S;
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert(b(&sum, "duration_reached"));
	ck_assert_uint_eq(u(&sum, "end_time_s"), 5 * NS_PER_S);
	ck_assert_str_eq(str(&sum, "client.state"), "ESTABLISHED");
	world_free(w);
	release(&s);
}
END_TEST

START_TEST(seed_leaves_a_lossless_timeline_alone)
{
	struct scenario s;
	struct world *w1, *w2;

	base(&s, 10);
	w1 = world_new(&s, 1);
	w2 = world_new(&s, 2);
	world_run(w1);
	world_run(w2);
	/* The seed draws the ISNs; with no random loss nothing else depends on it. */
	ck_assert_uint_eq(world_engine(w1)->now_ns, world_engine(w2)->now_ns);
	ck_assert_uint_eq(world_engine(w1)->events_run, world_engine(w2)->events_run);
	world_free(w1);
	world_free(w2);
	release(&s);
}
END_TEST

/*
 * A client that closes its side while it still reads slowly (100 B a
 * second) gets all 10,000 B of the reply: what its TCP acknowledged stays
 * readable after TIME_WAIT ends, as a socket's receive queue does until
 * close(). The reads are 1 s apart from the first, which comes when the
 * reply's first segment arrives at 22.1728 ms; the 101st finds nothing
 * left, and the run ends there.
 */
static struct app_step slow_client[3], slow_server[3];

static void slow_reader(struct scenario *s)
{
	base(s, 1000);
	s->link.a_to_b.rate_bps = s->link.b_to_a.rate_bps = 10000000;
	slow_client[0] = (struct app_step){ .kind = STEP_CONNECT };
	slow_client[1] = (struct app_step){ .kind = STEP_SEND, .bytes = 1000 };
	slow_client[2] = (struct app_step){ .kind = STEP_CLOSE };
	slow_server[0] = (struct app_step){ .kind = STEP_READ, .bytes = 1000 };
	slow_server[1] = (struct app_step){ .kind = STEP_SEND, .bytes = 10000 };
	slow_server[2] = (struct app_step){ .kind = STEP_CLOSE };
	s->client.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = slow_client, .nsteps = 3,
					  .read_bytes = 100, .read_every_ns = NS_PER_S };
	s->server.app = (struct app_cfg){ .kind = APP_SCRIPT, .steps = slow_server, .nsteps = 3 };
}

START_TEST(slow_reader_reads_everything_after_the_connection_ends)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	slow_reader(&s);
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert(!b(&sum, "duration_reached"));
	ck_assert_str_eq(str(&sum, "client.state"), "CLOSED");
	ck_assert_ptr_null(str(&sum, "client.error"));
	ck_assert_uint_eq(u(&sum, "client.app_bytes_received"), 10000);
	ck_assert_uint_eq(u(&sum, "client.app_bytes_missing"), 0);
	ck_assert(b(&sum, "client.data_intact"));
	ck_assert_uint_eq(u(&sum, "end_time_s"), 100 * NS_PER_S + 22172800);
	world_free(w);
	release(&s);
}
END_TEST

/* Cut short at 5 s, the same run reports the 9,500 B never read. */
START_TEST(unread_bytes_are_missing_not_intact)
{
	struct scenario s;
	struct summary sum;
	struct world *w;

	slow_reader(&s);
	s.duration_ns = 5 * NS_PER_S;
	w = world_new(&s, 1);
	world_run(w);
	summary_collect(&sum, w);
	ck_assert(b(&sum, "duration_reached"));
	ck_assert_uint_eq(u(&sum, "client.app_bytes_received"), 500);
	ck_assert_uint_eq(u(&sum, "client.app_bytes_missing"), 9500);
	ck_assert(!b(&sum, "client.data_intact"));
	ck_assert(!b(&sum, "client.data_corrupt"));
	ck_assert_uint_eq(u(&sum, "server.app_bytes_missing"), 0);
	ck_assert(b(&sum, "server.data_intact"));
	world_free(w);
	release(&s);
}
END_TEST

/*
 * fast-retransmit.yaml built in code: 10 Mbit/s, 20 ms each way, the
 * client's 20th packet (the data segment Seq=24821, relative) lost, 200000
 * bytes to a sink. The sink is in read() whenever data comes, so each ACK
 * offers the whole buffer, and the ACKs for the segments behind the lost
 * one repeat the ACK before it, window included: duplicate ACKs by RFC 5681
 * §2 from the first. The three segments after the lost one are 1500-byte
 * packets 1.2 ms apart on the link, so their duplicate ACKs reach the
 * sender 1.2, 2.4 and 3.6 ms after the ACK of 24821, and the third starts
 * fast retransmit (§3.2) that instant: 129.7728 ms + 3.6 ms = 133.3728 ms.
 * (Were the first of them a window update, the fourth segment's ACK would
 * be the third duplicate, at 134.5728 ms.) At that instant 30660 bytes are
 * out, 2920 of them sent by limited transmit on the first two duplicates
 * (RFC 3042), which step 2 leaves out: ssthresh = (30660 - 2920) / 2 =
 * 13870, cwnd = ssthresh + 3 * 1460 = 18250 (step 3). The ACK that ends
 * recovery leaves 11680 bytes out: cwnd = min(ssthresh, 11680 + 1460) =
 * 13140 (RFC 6582 §3.2 step 3, option 1).
 */
static struct trace_row fr_rows[512];
static size_t fr_nrows;

static void fr_trace(void *ctx, const struct trace_row *row)
{
	(void)ctx;
	if (fr_nrows < sizeof(fr_rows) / sizeof(fr_rows[0]) && strcmp(row->endpoint, "client") == 0)
		fr_rows[fr_nrows++] = *row;
}

START_TEST(fast_retransmit_on_the_third_duplicate_ack)
{
	static uint64_t drop20[] = { 20 };
	struct scenario s;
	struct summary sum;
	struct world *w;
	const struct trace_row *fr = NULL, *exit_row = NULL;
	size_t first_dup = SIZE_MAX;
	uint64_t ser1500 = 1500 * 8 * NS_PER_S / 10000000;   /* 1.2 ms */

	base(&s, 200000);
	s.link.a_to_b.rate_bps = s.link.b_to_a.rate_bps = 10000000;
	s.link.a_to_b.delay_ns = s.link.b_to_a.delay_ns = 20 * NS_PER_MS;
	s.link.a_to_b.queue_packets = s.link.b_to_a.queue_packets = 1000;
	s.link.a_to_b.queue_bytes = s.link.b_to_a.queue_bytes = 0;
	s.link.a_to_b.drop = drop20;
	s.link.a_to_b.ndrop = 1;
	fr_nrows = 0;
	w = world_new(&s, 1);
	world_observe(w, &(struct observer){ .trace = fr_trace });
	world_run(w);
	summary_collect(&sum, w);
	for (size_t i = 0; i < fr_nrows; i++) {
		if (first_dup == SIZE_MAX && strcmp(fr_rows[i].event, "dupack") == 0)
			first_dup = i;
		if (!fr && strcmp(fr_rows[i].event, "fast_retransmit") == 0)
			fr = &fr_rows[i];
		if (!exit_row && strcmp(fr_rows[i].event, "recovery_exit") == 0)
			exit_row = &fr_rows[i];
	}
	ck_assert_uint_ge(first_dup, 1);
	ck_assert_ptr_nonnull(fr);
	ck_assert_ptr_nonnull(exit_row);
	/* The ACK before the hole, then two duplicates and the fast retransmit. */
	ck_assert_str_eq(fr_rows[first_dup - 1].event, "ack");
	ck_assert_uint_eq(fr_rows[first_dup - 1].time_ns, 129772800);
	ck_assert_uint_eq(fr_rows[first_dup].time_ns, 129772800 + ser1500);
	ck_assert_str_eq(fr_rows[first_dup + 1].event, "dupack");
	ck_assert_uint_eq(fr_rows[first_dup + 1].time_ns, 129772800 + 2 * ser1500);
	ck_assert_ptr_eq(fr, &fr_rows[first_dup + 2]);
	ck_assert_uint_eq(fr->time_ns, 129772800 + 3 * ser1500);
	ck_assert_uint_eq(fr->time_ns, 133372800);
	ck_assert_uint_eq(fr->flight_bytes, 30660);
	ck_assert_uint_eq(fr->ssthresh_bytes, (30660 - 2 * 1460) / 2);
	ck_assert_uint_eq(fr->cwnd_bytes, 13870 + 3 * 1460);
	ck_assert_uint_eq(exit_row->flight_bytes, 11680);
	ck_assert_uint_eq(exit_row->cwnd_bytes, 11680 + 1460);
	/* The receiver's side, counted as Wireshark does: no window update. */
	ck_assert_uint_eq(tcp_stats(world_tcp(w, HOST_SERVER))->window_updates_sent, 0);
	ck_assert_uint_eq(u(&sum, "client.fast_retransmits"), 1);
	ck_assert_uint_eq(u(&sum, "client.retransmissions"), 1);
	ck_assert_uint_eq(u(&sum, "client.rto_timeouts"), 0);
	ck_assert_uint_eq(u(&sum, "server.app_bytes_received"), 200000);
	ck_assert(b(&sum, "server.data_intact"));
	world_free(w);
	release(&s);
}
END_TEST

/* CUBIC's rows after the loss: the reduction, the stage's start, the first convex ACK. */
static struct trace_row cubic_fr, cubic_epoch, cubic_convex;
static int cubic_seen;          /* bit 0, 1, 2: each of those found */

static void cubic_trace(void *ctx, const struct trace_row *row)
{
	(void)ctx;
	if (strcmp(row->endpoint, "client") != 0)
		return;
	if (!(cubic_seen & 1) && strcmp(row->event, "fast_retransmit") == 0) {
		cubic_fr = *row;
		cubic_seen |= 1;
	}
	if (!(cubic_seen & 2) && strcmp(row->event, "cubic_epoch") == 0) {
		cubic_epoch = *row;
		cubic_seen |= 2;
	}
	if ((cubic_seen & 2) && !(cubic_seen & 4) && strcmp(row->cc_region, "convex") == 0) {
		cubic_convex = *row;
		cubic_seen |= 4;
	}
}

/*
 * scenarios/cubic.yaml built in code: 50 Mbit/s, 50 ms each way, the 400th
 * packet dropped, 40 MB under CUBIC (RFC 9438). At the third duplicate ACK
 * W_max = cwnd = 305140 and ssthresh = 0.7 * (308060 - 2 * 1460) = 213598;
 * the stage begins at 1.040639360 s with cwnd_epoch 214620 and K =
 * cbrt(90520 / (0.4 * 1460)) s = 5.371685 s; cwnd passes W_max at
 * 7.044383360 s, after t_epoch + K = 6.412324 s; the window reaches 496654.
 */
START_TEST(cubic_curve_after_one_loss)
{
	static uint64_t drop400[] = { 400 };
	struct scenario s;
	struct summary sum;
	struct world *w;

	base(&s, 40000000);
	s.link.a_to_b.rate_bps = s.link.b_to_a.rate_bps = 50000000;
	s.link.a_to_b.delay_ns = s.link.b_to_a.delay_ns = 50 * NS_PER_MS;
	s.link.a_to_b.queue_packets = s.link.b_to_a.queue_packets = 1000;
	s.link.a_to_b.queue_bytes = s.link.b_to_a.queue_bytes = 0;
	s.link.a_to_b.drop = drop400;
	s.link.a_to_b.ndrop = 1;
	s.client.tcp.cc = &cc_cubic;
	s.client.tcp.send_buffer = s.client.tcp.receive_buffer = 8 << 20;
	s.server.tcp.send_buffer = s.server.tcp.receive_buffer = 8 << 20;
	cubic_seen = 0;
	w = world_new(&s, 1);
	world_observe(w, &(struct observer){ .trace = cubic_trace });
	world_run(w);
	summary_collect(&sum, w);
	ck_assert_int_eq(cubic_seen, 7);
	ck_assert(cubic_fr.cc_columns && cubic_fr.cc_state);
	ck_assert_uint_eq(cubic_fr.time_ns, 924552960);
	ck_assert_uint_eq(cubic_fr.w_max_bytes, 305140);
	ck_assert_uint_eq(cubic_fr.ssthresh_bytes, 213598);
	ck_assert_uint_eq(cubic_fr.cwnd_bytes, 213598 + 3 * 1460);
	ck_assert_uint_eq(cubic_epoch.time_ns, 1040639360);
	ck_assert_uint_eq(cubic_epoch.epoch_ns, 1040639360);
	ck_assert_uint_eq(cubic_epoch.cwnd_epoch_bytes, 214620);
	ck_assert_int_eq(cubic_epoch.k_us, 5371685);
	ck_assert_uint_eq(cubic_convex.time_ns, 7044383360);
	ck_assert_uint_ge(cubic_convex.cwnd_bytes, 305140);
	ck_assert_uint_gt(cubic_convex.time_ns, cubic_epoch.epoch_ns + 5371685 * NS_PER_US);
	ck_assert_uint_eq(u(&sum, "client.max_cwnd_outside_recovery_bytes"), 496654);
	ck_assert_uint_eq(u(&sum, "client.fast_retransmits"), 1);
	ck_assert_uint_eq(u(&sum, "client.rto_timeouts"), 0);
	ck_assert_uint_eq(u(&sum, "link.client_to_server.queue_drops"), 0);
	ck_assert(b(&sum, "server.data_intact"));
	world_free(w);
	release(&s);
}
END_TEST

/* What a progress observer saw. */
struct seen {
	int calls;
	uint64_t now_ns, events, bytes;
	bool in_step;                /* every call came at a multiple of the period */
};

static void on_progress(void *ctx, const struct world_progress *p)
{
	struct seen *x = ctx;

	x->calls++;
	ck_assert_uint_ge(p->now_ns, x->now_ns);
	ck_assert_uint_ge(p->app_bytes_received, x->bytes);
	x->in_step &= p->events == (uint64_t)x->calls * 50;
	x->now_ns = p->now_ns;
	x->events = p->events;
	x->bytes = p->app_bytes_received;
}

/*
 * world_set_progress: a call every 50 events with the virtual time, events
 * and bytes read so far; the run is the same with it as without.
 */
START_TEST(progress_every_n_events)
{
	struct scenario s;
	struct summary with, without;
	struct seen x = { .in_step = true }, none = { .in_step = true };
	struct world *w;

	base(&s, 200000);
	w = world_new(&s, 1);
	world_set_progress(w, on_progress, &x, 50);
	world_run(w);
	summary_collect(&with, w);
	ck_assert_int_eq(x.calls, (int)(world_events(w) / 50));
	ck_assert_int_gt(x.calls, 3);
	ck_assert(x.in_step);
	ck_assert_uint_le(x.now_ns, world_now_ns(w));
	ck_assert_uint_gt(x.bytes, 0);
	ck_assert_uint_le(x.bytes, 200000);
	world_free(w);

	w = world_new(&s, 1);
	world_set_progress(w, on_progress, &none, 0);      /* every 0: never */
	world_run(w);
	summary_collect(&without, w);
	ck_assert_int_eq(none.calls, 0);
	ck_assert_uint_eq(u(&with, "events"), u(&without, "events"));
	ck_assert_uint_eq(u(&with, "end_time_s"), u(&without, "end_time_s"));
	ck_assert_uint_eq(u(&with, "client.segments_sent"), u(&without, "client.segments_sent"));
	ck_assert_uint_eq(u(&with, "transfer_time_s"), u(&without, "transfer_time_s"));
	world_free(w);

	w = world_new(&s, 1);
	world_set_progress(w, NULL, &none, 50);             /* no function: nothing */
	world_run(w);
	ck_assert_int_eq(none.calls, 0);
	world_free(w);
	release(&s);
}
END_TEST

int main(void)
{
	Suite *su = suite_create("world");
	TCase *tc = tcase_create("runs");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, handshake_rtt_is_exact);
	tcase_add_test(tc, first_srtt_sample);
	tcase_add_test(tc, scripted_drop_repaired_by_one_rto);
	tcase_add_test(tc, syn_retry_limit_times_out);
	tcase_add_loop_test(tc, mtu_per_direction_limits_both_ways, 0, 4);
	tcase_add_test(tc, corrupted_packets_fail_the_checksum_and_are_dropped);
	tcase_add_test(tc, echo_over_loss_completes);
	tcase_add_test(tc, lost_window_update_does_not_stall);
	tcase_add_test(tc, duration_limit_stops_the_run);
	tcase_add_test(tc, seed_leaves_a_lossless_timeline_alone);
	tcase_add_test(tc, slow_reader_reads_everything_after_the_connection_ends);
	tcase_add_test(tc, unread_bytes_are_missing_not_intact);
	tcase_add_test(tc, fast_retransmit_on_the_third_duplicate_ack);
	tcase_add_test(tc, cubic_curve_after_one_loss);
	tcase_add_test(tc, progress_every_n_events);
	suite_add_tcase(su, tc);
	sr = srunner_create(su);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
