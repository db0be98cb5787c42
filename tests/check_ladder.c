/*
 * check_ladder: the --ladder sequence diagram (sim/ladder.c).
 *
 * The drawing: every line of a packet as exact text (arrived, dropped on
 * either side, a failed checksum, reordering, still in flight, notes cut
 * into lines, labels too long for the lane, wide numbers and times), the
 * flags of every combination, the header. The ranges: each accepted form
 * and each refusal's message. The observer, over whole runs: the golden
 * ladders of scenarios/handshake.yaml and scenarios/fast-retransmit.yaml
 * (tests/golden/; tests/ladder.sh --update rewrites them), relative numbers
 * without a SYN and across the 2^32 wrap, windows scaled only when both
 * SYNs offer it, lines in the order sent while packets arrive out of order,
 * a damaged packet, packets in flight at the end, and both ranges. The
 * options as sim/tcpsim reads them, the program run as a child (more of the
 * command line is in tests/ladder.sh).
 */
#include <check.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ladder.h"
#include "scenario.h"
#include "world.h"

static char buf[4096];

/* ---- Flags ------------------------------------------------------------ */

static const struct { uint8_t flags; const char *s; } flag_table[] = {
	{ 0x00, "none" }, { 0x01, "F" }, { 0x02, "S" }, { 0x03, "FS" },
	{ 0x04, "R" }, { 0x05, "FR" }, { 0x06, "SR" }, { 0x07, "FSR" },
	{ 0x08, "P" }, { 0x09, "FP" }, { 0x0a, "SP" }, { 0x0b, "FSP" },
	{ 0x0c, "RP" }, { 0x0d, "FRP" }, { 0x0e, "SRP" }, { 0x0f, "FSRP" },
	{ 0x10, "." }, { 0x11, "F." }, { 0x12, "S." }, { 0x13, "FS." },
	{ 0x14, "R." }, { 0x15, "FR." }, { 0x16, "SR." }, { 0x17, "FSR." },
	{ 0x18, "P." }, { 0x19, "FP." }, { 0x1a, "SP." }, { 0x1b, "FSP." },
	{ 0x1c, "RP." }, { 0x1d, "FRP." }, { 0x1e, "SRP." }, { 0x1f, "FSRP." },
	{ 0x20, "U" }, { 0x21, "FU" }, { 0x22, "SU" }, { 0x23, "FSU" },
	{ 0x24, "RU" }, { 0x25, "FRU" }, { 0x26, "SRU" }, { 0x27, "FSRU" },
	{ 0x28, "PU" }, { 0x29, "FPU" }, { 0x2a, "SPU" }, { 0x2b, "FSPU" },
	{ 0x2c, "RPU" }, { 0x2d, "FRPU" }, { 0x2e, "SRPU" }, { 0x2f, "FSRPU" },
	{ 0x30, "U." }, { 0x31, "FU." }, { 0x32, "SU." }, { 0x33, "FSU." },
	{ 0x34, "RU." }, { 0x35, "FRU." }, { 0x36, "SRU." }, { 0x37, "FSRU." },
	{ 0x38, "PU." }, { 0x39, "FPU." }, { 0x3a, "SPU." }, { 0x3b, "FSPU." },
	{ 0x3c, "RPU." }, { 0x3d, "FRPU." }, { 0x3e, "SRPU." }, { 0x3f, "FSRPU." },
};

/* Each combination: its letters, and in the label the ack only with ACK. */
START_TEST(every_flag_combination)
{
	struct ladder_pkt p = { .number = 1, .seq = 7, .ack = 9, .fate = LADDER_ARRIVED };
	char fl[LADDER_FLAGS_LEN], want[128];

	p.flags = flag_table[_i].flags;
	ck_assert_uint_eq(p.flags, (uint8_t)_i);
	ck_assert_str_eq(ladder_flags(p.flags, fl), flag_table[_i].s);
	ladder_format(&p, buf, sizeof buf);
	snprintf(want, sizeof want, "  0.000000     1  -- %s seq=7%s len=0 win=0 -",
		 flag_table[_i].s, (p.flags & 0x10) ? " ack=9" : "");
	ck_assert_msg(strncmp(buf, want, strlen(want)) == 0, "'%s' does not start '%s'", buf, want);
}
END_TEST

/* ECN's flags (RFC 3168 §6.1) after the others, as tcpdump prints them:
 * E for ECE, W for CWR; all eight at once fit. */
START_TEST(ecn_flags)
{
	static const struct { uint8_t flags; const char *s; } t[] = {
		{ TH_SYN | TH_ECE | TH_CWR, "SEW" }, { TH_SYN | TH_ACK | TH_ECE, "S.E" },
		{ TH_ACK | TH_ECE, ".E" }, { TH_ACK | TH_CWR, ".W" }, { TH_ACK | TH_PSH | TH_CWR, "P.W" },
		{ TH_ECE, "E" }, { TH_CWR, "W" }, { 0xff, "FSRPU.EW" },
	};
	char fl[LADDER_FLAGS_LEN];

	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		ck_assert_str_eq(ladder_flags(t[i].flags, fl), t[i].s);
}
END_TEST

/* The segments the simulator sends, drawn whole. */
START_TEST(the_usual_flags_drawn)
{
	struct ladder_pkt p = { .number = 1, .sent_ns = 0, .from = HOST_CLIENT, .flags = TH_SYN,
				.seq = 0, .ack = 0, .win = 64240, .fate = LADDER_ARRIVED,
				.arrival_ns = 5003840, .why = "SYN: active open" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  -- S seq=0 len=0 win=64240 ---------------------->    0.005003\n"
		"                  SYN: active open\n");
	p = (struct ladder_pkt){ .number = 2, .sent_ns = 5003840, .from = HOST_SERVER,
				 .flags = TH_SYN | TH_ACK, .seq = 0, .ack = 1, .win = 65535,
				 .fate = LADDER_ARRIVED, .arrival_ns = 10007680,
				 .why = "SYN-ACK: reply to the SYN" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.005003     2  <--------------- S. seq=0 ack=1 len=0 win=65535 --    0.010007\n"
		"                                           SYN-ACK: reply to the SYN\n");
	p = (struct ladder_pkt){ .number = 3, .sent_ns = 10007680, .from = HOST_CLIENT,
				 .flags = TH_ACK, .seq = 1, .ack = 1, .win = 131072,
				 .fate = LADDER_ARRIVED, .arrival_ns = 15011520, .why = "ACK 1" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.010007     3  -- . seq=1 ack=1 len=0 win=131072 --------------->    0.015011\n"
		"                  ACK 1\n");
	p = (struct ladder_pkt){ .number = 4, .sent_ns = 10007680, .from = HOST_CLIENT,
				 .flags = TH_PSH | TH_ACK, .seq = 1, .ack = 1, .len = 1000,
				 .win = 131072, .fate = LADDER_ARRIVED, .arrival_ns = 15094400,
				 .why = "new data 1:1001" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.010007     4  -- P. seq=1 ack=1 len=1000 win=131072 ----------->    0.015094\n"
		"                  new data 1:1001\n");
	p = (struct ladder_pkt){ .number = 8, .sent_ns = 15097600, .from = HOST_SERVER,
				 .flags = TH_FIN | TH_ACK, .seq = 1, .ack = 1002, .win = 131072,
				 .fate = LADDER_ARRIVED, .arrival_ns = 20103040,
				 .why = "FIN: the application closed" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.015097     8  <----------- F. seq=1 ack=1002 len=0 win=131072 --    0.020103\n"
		"                                         FIN: the application closed\n");
	p = (struct ladder_pkt){ .number = 9, .sent_ns = 1000, .from = HOST_CLIENT,
				 .flags = TH_FIN | TH_PSH | TH_ACK, .seq = 1, .ack = 1, .len = 5,
				 .win = 512, .fate = LADDER_ARRIVED, .arrival_ns = 2000,
				 .why = "new data 1:6 +FIN" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000001     9  -- FP. seq=1 ack=1 len=5 win=512 ---------------->    0.000002\n"
		"                  new data 1:6 +FIN\n");
	p = (struct ladder_pkt){ .number = 2, .sent_ns = 1003840, .from = HOST_SERVER,
				 .flags = TH_RST | TH_ACK, .seq = 0, .ack = 1, .win = 0,
				 .fate = LADDER_ARRIVED, .arrival_ns = 2007680,
				 .why = "RST: no socket for this segment" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.001003     2  <------------------- R. seq=0 ack=1 len=0 win=0 --    0.002007\n"
		"                                     RST: no socket for this segment\n");
	p = (struct ladder_pkt){ .number = 40, .sent_ns = 3000000000, .from = HOST_CLIENT,
				 .flags = TH_RST, .seq = 2, .win = 0, .fate = LADDER_ARRIVED,
				 .arrival_ns = 3005000000, .why = "RST: the application aborted" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  3.000000    40  -- R seq=2 len=0 win=0 -------------------------->    3.005000\n"
		"                  RST: the application aborted\n");
}
END_TEST

START_TEST(header)
{
	ck_assert_uint_eq(ladder_format_header(buf, sizeof buf), 81);
	ck_assert_str_eq(buf,
		"      sent     #  client                                      server     arrived\n");
}
END_TEST

/* ---- Fates ------------------------------------------------------------ */

START_TEST(dropped_on_the_way_to_the_server)
{
	struct ladder_pkt p = { .number = 26, .sent_ns = 86140000, .from = HOST_CLIENT,
				.flags = TH_ACK, .seq = 24821, .ack = 1, .len = 1460, .win = 131072,
				.fate = LADDER_DROPPED, .why = "new data 24821:26281",
				.link = "dropped by link: drop list (packet 20)" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.086140    26  -- . seq=24821 ack=1 len=1460 win=131072 -X            dropped\n"
		"                  new data 24821:26281\n"
		"                  dropped by link: drop list (packet 20)\n");
}
END_TEST

START_TEST(dropped_on_the_way_to_the_client)
{
	struct ladder_pkt p = { .number = 33, .sent_ns = 102540000, .from = HOST_SERVER,
				.flags = TH_ACK, .seq = 1, .ack = 24821, .win = 131072,
				.fate = LADDER_DROPPED, .why = "ACK 24821",
				.link = "dropped by link: random loss 5%" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.102540    33            X- . seq=1 ack=24821 len=0 win=131072 --     dropped\n"
		"                                                           ACK 24821\n"
		"                                     dropped by link: random loss 5%\n");
}
END_TEST

/* A short label: the 'X' stands mid-lane, on either side. */
START_TEST(dropped_mid_lane)
{
	struct ladder_pkt p = { .number = 3, .sent_ns = 0, .from = HOST_CLIENT, .flags = TH_RST,
				.fate = LADDER_DROPPED, .why = "RST",
				.link = "dropped: queue full (100 packets)" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     3  -- R seq=0 len=0 win=0 --X                             dropped\n"
		"                  RST\n"
		"                  dropped: queue full (100 packets)\n");
	p.flags = 0;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     3  -- none seq=0 len=0 win=0 -X                           dropped\n"
		"                  RST\n"
		"                  dropped: queue full (100 packets)\n");
	p.from = HOST_SERVER;
	p.flags = TH_SYN;
	p.link[0] = '\0';
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     3                          X-- S seq=0 len=0 win=0 --     dropped\n"
		"                                                                 RST\n");
}
END_TEST

/* The checksum failed at the receiver: the arrow reaches it and ends in X;
 * what the receiver did is said on its side. */
START_TEST(corrupt_at_the_server)
{
	struct ladder_pkt p = { .number = 225, .sent_ns = 179804000, .from = HOST_CLIENT,
				.flags = TH_ACK, .seq = 239441, .ack = 1, .len = 1460,
				.win = 131072, .fate = LADDER_CORRUPT, .arrival_ns = 241772000,
				.why = "new data 239441:240901", .link = "bit 42 flipped" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.179804   225  -- . seq=239441 ack=1 len=1460 win=131072 -------X    0.241772\n"
		"                  new data 239441:240901\n"
		"                  bit 42 flipped\n"
		"                            checksum failed: the server discarded it\n");
}
END_TEST

START_TEST(corrupt_at_the_client)
{
	struct ladder_pkt p = { .number = 2, .sent_ns = 1003840, .from = HOST_SERVER,
				.flags = TH_SYN | TH_ACK, .ack = 1, .win = 65535,
				.fate = LADDER_CORRUPT, .arrival_ns = 2007680,
				.why = "SYN-ACK: reply to the SYN", .link = "bit 300 flipped" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.001003     2  X--------------- S. seq=0 ack=1 len=0 win=65535 --    0.002007\n"
		"                                           SYN-ACK: reply to the SYN\n"
		"                                                     bit 300 flipped\n"
		"                  checksum failed: the client discarded it\n");
}
END_TEST

START_TEST(reordered_both_ways)
{
	struct ladder_pkt p = { .number = 53, .sent_ns = 132172000, .from = HOST_CLIENT,
				.flags = TH_ACK, .seq = 54021, .ack = 1, .len = 1460, .win = 131072,
				.fate = LADDER_ARRIVED, .arrival_ns = 165372000, .reordered = true,
				.why = "new data 54021:55481", .link = "reordered +6 ms" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.132172    53  -- . seq=54021 ack=1 len=1460 win=131072 ~~~~~~~~>    0.165372\n"
		"                  new data 54021:55481\n"
		"                  reordered +6 ms\n");
	p = (struct ladder_pkt){ .number = 7, .from = HOST_SERVER, .flags = TH_SYN | TH_ACK,
				 .ack = 1, .win = 65535, .fate = LADDER_ARRIVED,
				 .arrival_ns = 2007000, .reordered = true,
				 .link = "reordered +5 ms, bit 9 flipped" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     7  <~~~~~~~~~~~~~~~ S. seq=0 ack=1 len=0 win=65535 --    0.002007\n"
		"                                      reordered +5 ms, bit 9 flipped\n");
}
END_TEST

START_TEST(in_flight_at_the_end)
{
	struct ladder_pkt p = { .number = 1, .from = HOST_CLIENT, .flags = TH_SYN, .win = 65535,
				.fate = LADDER_IN_FLIGHT, .why = "SYN: active open" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  -- S seq=0 len=0 win=65535 ->                        in flight\n"
		"                  SYN: active open\n"
		"                  still in flight when the run ended\n");
	p = (struct ladder_pkt){ .number = 8, .from = HOST_SERVER, .flags = TH_FIN | TH_ACK,
				 .ack = 1, .win = 65535, .fate = LADDER_IN_FLIGHT,
				 .reordered = true, .link = "reordered +5 ms" };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     8                <~ F. seq=0 ack=1 len=0 win=65535 --   in flight\n"
		"                                                     reordered +5 ms\n"
		"                                  still in flight when the run ended\n");
}
END_TEST

/* ---- Notes, labels and columns at their limits ------------------------- */

START_TEST(long_notes_are_cut_at_spaces)
{
	struct ladder_pkt p = { .number = 5, .from = HOST_CLIENT, .flags = TH_ACK,
				.fate = LADDER_ARRIVED,
				.why = "RTO #12 retransmission of 4294960000:4294961460 (timeout 1m4s); "
				       "and some further words" };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     5  -- . seq=0 ack=0 len=0 win=0 -------------------->    0.000000\n"
		"                  RTO #12 retransmission of 4294960000:4294961460 (timeout\n"
		"                  1m4s); and some further words\n");
	/* On the server's side: a block ending with the lane while its lines
	 * fit in it, from the lane's start when one is longer. */
	p.from = HOST_SERVER;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     5  <-------------------- . seq=0 ack=0 len=0 win=0 --    0.000000\n"
		"                  RTO #12 retransmission of 4294960000:4294961460 (timeout\n"
		"                  1m4s); and some further words\n");
	strcpy(p.why, "dup ACK #3 of 24821: out-of-order data; see 0123456789012345678901234");
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                         dup ACK #3 of 24821: out-of-order data; see\n"
		"                         0123456789012345678901234\n");
	/* 62 columns fit on one line, 63 do not. */
	strcpy(p.why, "new data 99998941:100000001, limited transmit after dup ACK #2");
	ck_assert_uint_eq(strlen(p.why), 62);
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                  new data 99998941:100000001, limited transmit after dup ACK #2\n");
	strcpy(p.why, "new data 149998941:150000001, limited transmit after dup ACK #2");
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                  new data 149998941:150000001, limited transmit after dup ACK\n"
		"                  #2\n");
	/* A note as wide as the lane fills it; one column more starts where
	 * the lane does; one less is right-aligned. */
	strcpy(p.why, "ACK 24821 at once: data filled a hole, and more 50");
	ck_assert_uint_eq(strlen(p.why), 50);
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                  ACK 24821 at once: data filled a hole, and more 50\n");
	strcpy(p.why, "ACK 24821 at once: data filled a hole, and more 51!");
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                  ACK 24821 at once: data filled a hole, and more 51!\n");
	strcpy(p.why, "ACK 24821 at once: data filled a hole, and more 4");
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                   ACK 24821 at once: data filled a hole, and more 4\n");
	/* One word longer than a line is cut where the line ends. */
	memset(p.why, 'w', 70);
	p.why[70] = '\0';
	p.from = HOST_CLIENT;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(strchr(buf, '\n') + 1,
		"                  wwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwwww\n"
		"                  wwwwwwww\n");
	/* No note at all: the arrow line alone. */
	p.why[0] = '\0';
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     5  -- . seq=0 ack=0 len=0 win=0 -------------------->    0.000000\n");
}
END_TEST

/* A label that leaves the arrow too little room: first a lead dash goes,
 * then the shaft; beyond that the lane widens. A number wider than its
 * column moves the lane right and narrows it. */
START_TEST(long_labels_and_wide_numbers)
{
	struct ladder_pkt p = { .number = 150452, .sent_ns = 2770690000, .from = HOST_CLIENT,
				.flags = TH_FIN | TH_PSH | TH_ACK, .seq = 149998941, .ack = 1,
				.len = 1060, .win = 16777216, .fate = LADDER_ARRIVED,
				.arrival_ns = 2858555000 };

	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  2.770690 150452  - FP. seq=149998941 ack=1 len=1060 win=16777216 >    2.858555\n");
	p.from = HOST_SERVER;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  2.770690 150452  < FP. seq=149998941 ack=1 len=1060 win=16777216 -    2.858555\n");
	p.fate = LADDER_DROPPED;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  2.770690 150452  X FP. seq=149998941 ack=1 len=1060 win=16777216 -     dropped\n");
	/* One column less of number: the lead dash stays, the shaft does not. */
	p.number = 15045;
	p.from = HOST_CLIENT;
	p.fate = LADDER_ARRIVED;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  2.770690 15045  - FP. seq=149998941 ack=1 len=1060 win=16777216 ->    2.858555\n");
	p.win = 1677721;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  2.770690 15045  -- FP. seq=149998941 ack=1 len=1060 win=1677721 ->    2.858555\n");
	/* Labels that leave the arrow exactly its room, then a column less each
	 * time: the lead dash goes, then the shaft, then the lane widens. */
	p = (struct ladder_pkt){ .number = 1, .from = HOST_CLIENT, .flags = TH_ACK,
				 .seq = 12345678, .ack = 1, .len = 1460, .win = 1073725440,
				 .fate = LADDER_ARRIVED };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  -- . seq=12345678 ack=1 len=1460 win=1073725440 ->    0.000000\n");
	p.seq = 123456789;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  - . seq=123456789 ack=1 len=1460 win=1073725440 ->    0.000000\n");
	p.fate = LADDER_DROPPED;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  - . seq=123456789 ack=1 len=1460 win=1073725440 -X     dropped\n");
	p.fate = LADDER_ARRIVED;
	p.ack = 12;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  - . seq=123456789 ack=12 len=1460 win=1073725440 >    0.000000\n");
	p.ack = 123;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  - . seq=123456789 ack=123 len=1460 win=1073725440 >    0.000000\n");
	p.ack = 12;
	p.fate = LADDER_DROPPED;
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000     1  - . seq=123456789 ack=12 len=1460 win=1073725440 X     dropped\n");
	/* Too long for any arrow in 80 columns. */
	p = (struct ladder_pkt){ .number = 9999999, .sent_ns = 0, .from = HOST_CLIENT,
				 .flags = 0x3f, .seq = 4294967295u, .ack = 4294967295u,
				 .len = 65495, .win = 1073725440, .fate = LADDER_ARRIVED };
	ladder_format(&p, buf, sizeof buf);
	ck_assert_str_eq(buf,
		"  0.000000 9999999  - FSRPU. seq=4294967295 ack=4294967295 len=65495 "
		"win=1073725440 >    0.000000\n");
}
END_TEST

/* The time column keeps its ten columns: microseconds below 1000 s
 * (truncated), a decimal fewer for each further digit. */
START_TEST(times)
{
	static const struct { uint64_t ns; const char *col; } cases[] = {
		{ 0, "  0.000000" },
		{ 999, "  0.000000" },
		{ 1999, "  0.000001" },
		{ 134572800, "  0.134572" },
		{ 99999999999ull, " 99.999999" },
		{ 123456789012ull, "123.456789" },
		{ 1234567891234ull, "1234.56789" },
		{ 12345678912345ull, "12345.6789" },
		{ 1234567891234567ull, "1234567.89" },
		{ 12345678912345678ull, "12345678.9" },
		{ 123456789123456789ull, " 123456789" },
		{ 1234567891234567891ull, "1234567891" },
		{ 12345678912345678912ull, "12345678912" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ladder_pkt p = { .number = 1, .sent_ns = cases[i].ns, .from = HOST_CLIENT,
					.flags = TH_ACK, .fate = LADDER_ARRIVED,
					.arrival_ns = cases[i].ns };
		char want[160];

		ladder_format(&p, buf, sizeof buf);
		snprintf(want, sizeof want, "%s     1  -- . seq=0 ack=0 len=0 win=0 "
			 "-------------------->  %s\n", cases[i].col, cases[i].col);
		/* The widest time takes a column more, from the lane. */
		if (strlen(cases[i].col) > 10)
			snprintf(want, sizeof want, "%s     1  -- . seq=0 ack=0 len=0 win=0 "
				 "------------------->  %s\n", cases[i].col, cases[i].col);
		ck_assert_str_eq(buf, want);
	}
}
END_TEST

/* The buffer is never overrun, and always terminated. */
START_TEST(small_buffers)
{
	struct ladder_pkt p = { .number = 4, .sent_ns = 10007680, .from = HOST_CLIENT,
				.flags = TH_PSH | TH_ACK, .seq = 1, .ack = 1, .len = 1000,
				.win = 131072, .fate = LADDER_ARRIVED, .arrival_ns = 15094400,
				.why = "new data 1:1001" };
	char small[100];

	memset(small, '#', sizeof small);
	ck_assert_uint_eq(ladder_format(&p, small, 0), 0);
	ck_assert_int_eq(small[0], '#');
	ck_assert_uint_eq(ladder_format(&p, small, 1), 0);
	ck_assert_str_eq(small, "");
	ck_assert_uint_eq(ladder_format(&p, small, 12), 11);
	ck_assert_str_eq(small, "  0.010007 ");
	ck_assert_uint_eq(ladder_format(&p, small, 81), 80);
	ck_assert_str_eq(small,
		"  0.010007     4  -- P. seq=1 ack=1 len=1000 win=131072 ----------->    0.015094");
	ck_assert_uint_eq(ladder_format(&p, small, 82), 81);
	ck_assert_str_eq(small,
		"  0.010007     4  -- P. seq=1 ack=1 len=1000 win=131072 ----------->    0.015094\n");
	ck_assert_uint_eq(ladder_format(&p, small, 90), 89);
	ck_assert_str_eq(small,
		"  0.010007     4  -- P. seq=1 ack=1 len=1000 win=131072 ----------->    0.015094\n"
		"        ");
	ck_assert_uint_eq(ladder_format_header(small, 0), 0);
	ck_assert_int_eq(small[0], ' ');
	ck_assert_uint_eq(ladder_format_header(small, 7), 6);
	ck_assert_str_eq(small, "      ");
}
END_TEST

/* ---- Ranges ----------------------------------------------------------- */

static const struct { const char *s; uint64_t from, to; } good_times[] = {
	{ "0.1:0.3", 100000000, 300000000 },
	{ "100ms:300ms", 100000000, 300000000 },
	{ "1:2.5s", 1000000000, 2500000000 },
	{ ":0.3", 0, 300000000 },
	{ "0.1:", 100000000, UINT64_MAX },
	{ ":", 0, UINT64_MAX },
	{ "2:2", 2000000000, 2000000000 },
	{ "0:0", 0, 0 },
	{ "1min:", 60000000000, UINT64_MAX },
	{ "0.000000001:1ns", 1, 1 },
};

START_TEST(time_ranges)
{
	struct ladder_range r = ladder_range_all();
	char err[256] = "";

	ck_assert_int_eq(ladder_parse_times(good_times[_i].s, &r, err, sizeof err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(r.from_ns, good_times[_i].from);
	ck_assert_uint_eq(r.to_ns, good_times[_i].to);
	ck_assert_uint_eq(r.first, 1);
	ck_assert_uint_eq(r.last, UINT64_MAX);
}
END_TEST

static const char EXPECT_TIMES[] =
	"expected FROM:TO, send times such as 0.1:0.3 or 100ms:300ms (either may be left out)";

static const struct { const char *s, *err; } bad_times[] = {
	{ "0.3", EXPECT_TIMES },
	{ "", EXPECT_TIMES },
	{ "1:2:3", EXPECT_TIMES },
	{ "0.3:0.1", "the range ends before it starts" },
	{ "2s:1999ms", "the range ends before it starts" },
	{ "abc:1", "'abc': expected a time such as 25ms (units: ns, us, ms, s, min)" },
	{ "1:abc", "'abc': expected a time such as 25ms (units: ns, us, ms, s, min)" },
	{ "1x:2", "'1x': unknown time unit: use ns, us, ms, s or min" },
	{ "-1:2", "'-1': must not be negative" },
	{ "1e3:", "'1e3': exponents such as 1e3 are not allowed; write the digits out, e.g. 1000" },
	{ "1.2.3:", "'1.2.3': unknown time unit: use ns, us, ms, s or min" },
	{ "0.1ns:", "'0.1ns': not a whole number of nanoseconds" },
	{ "99999999999999999999:", "'99999999999999999999': too large" },
	{ ":1234567890123456789012345678901234567890123456789012345678901234567890",
	  "'12345678901234567890...' is too long for a time" },
	/* 63 characters are too long; 62 are read (and too large here). */
	{ "123456789012345678901234567890123456789012345678901234567890123:",
	  "'12345678901234567890...' is too long for a time" },
	{ "12345678901234567890123456789012345678901234567890123456789012:",
	  "'12345678901234567890123456789012345678901234567890123456789012': too large" },
};

START_TEST(time_range_refused)
{
	struct ladder_range r = ladder_range_all();
	char err[256];

	ck_assert_int_eq(ladder_parse_times(bad_times[_i].s, &r, err, sizeof err), -1);
	ck_assert_str_eq(err, bad_times[_i].err);
	ck_assert_uint_eq(r.from_ns, 0);
	ck_assert_uint_eq(r.to_ns, UINT64_MAX);
}
END_TEST

static const struct { const char *s; uint64_t first, last; } good_packets[] = {
	{ "1:40", 1, 40 },
	{ "5", 5, 5 },
	{ ":40", 1, 40 },
	{ "3:", 3, UINT64_MAX },
	{ ":", 1, UINT64_MAX },
	{ "7:7", 7, 7 },
	{ "18446744073709551615", UINT64_MAX, UINT64_MAX },
};

START_TEST(packet_ranges)
{
	struct ladder_range r = ladder_range_all();
	char err[256] = "";

	ck_assert_int_eq(ladder_parse_packets(good_packets[_i].s, &r, err, sizeof err), 0);
	ck_assert_str_eq(err, "");
	ck_assert_uint_eq(r.first, good_packets[_i].first);
	ck_assert_uint_eq(r.last, good_packets[_i].last);
	ck_assert_uint_eq(r.from_ns, 0);
	ck_assert_uint_eq(r.to_ns, UINT64_MAX);
}
END_TEST

static const char EXPECT_PACKETS[] =
	"expected FIRST:LAST, packet numbers such as 1:40 (either may be left out), or one number";

static const struct { const char *s, *err; } bad_packets[] = {
	{ "0:5", "packets are numbered from 1" },
	{ "0", "packets are numbered from 1" },
	{ ":0", "packets are numbered from 1" },
	{ "9:5", "the range ends before it starts" },
	{ "a:5", "'a' is not a packet number (1, 2, 3 ...)" },
	{ "5:b", "'b' is not a packet number (1, 2, 3 ...)" },
	{ "", "'' is not a packet number (1, 2, 3 ...)" },
	{ "-1", "'-1' is not a packet number (1, 2, 3 ...)" },
	{ "1.5", "'1.5' is not a packet number (1, 2, 3 ...)" },
	{ "1:2:3", EXPECT_PACKETS },
	{ "18446744073709551616", "'18446744073709551616' is too large" },
	{ "123456789012345678901234567890", "'123456789012345678901234567890' is too large" },
	{ "1234567890123456789012345678901234567890", "'12345678901234567890...' is too large" },
	/* 32 digits are quoted by their start, 31 whole. */
	{ "12345678901234567890123456789012", "'12345678901234567890...' is too large" },
	{ "1234567890123456789012345678901", "'1234567890123456789012345678901' is too large" },
	{ "1:12345678901234567890x", "'12345678901234567890...' is not a packet number (1, 2, 3 ...)" },
	{ "1:1234567890123456789x", "'1234567890123456789x' is not a packet number (1, 2, 3 ...)" },
};

START_TEST(packet_range_refused)
{
	struct ladder_range r = ladder_range_all();
	char err[256];

	ck_assert_int_eq(ladder_parse_packets(bad_packets[_i].s, &r, err, sizeof err), -1);
	ck_assert_str_eq(err, bad_packets[_i].err);
	ck_assert_uint_eq(r.first, 1);
	ck_assert_uint_eq(r.last, UINT64_MAX);
}
END_TEST

/* ---- The observer, over whole runs ------------------------------------ */

/* The ladder of a run of scn (YAML text, or the file at path), in a malloc'd string. */
static char *ladder_of(const char *path, const char *yaml, const struct ladder_range *r)
{
	struct scenario scn;
	struct ladder *l;
	struct observer obs;
	struct world *w;
	char err[1024], *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	int rc;

	ck_assert_ptr_nonnull(f);
	rc = yaml ? scenario_load_mem("test", yaml, strlen(yaml), &scn, err, sizeof err) :
		    scenario_load(path, &scn, err, sizeof err);
	ck_assert_msg(rc == 0, "%s", err);
	w = world_new(&scn, scn.seed);
	l = ladder_new(f, r);
	obs = ladder_observer(l);
	ck_assert_int_eq(world_observe(w, &obs), 0);
	world_run(w);
	ladder_finish(l);
	ladder_free(l);
	world_free(w);
	scenario_free(&scn);
	ck_assert_int_eq(fclose(f), 0);
	return out;
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	ck_assert_msg(f != NULL, "cannot open %s", path);
	ck_assert_int_eq(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	ck_assert_int_ge(n, 0);
	rewind(f);
	s = malloc((size_t)n + 1);
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(fread(s, 1, (size_t)n, f), (size_t)n);
	s[n] = '\0';
	fclose(f);
	return s;
}

static const char *const golden_names[] = { "handshake", "fast-retransmit" };

/* The same bytes as tests/golden/NAME.ladder, which tests/ladder.sh also
 * holds the command line's output against. */
START_TEST(golden)
{
	struct ladder_range all = ladder_range_all();
	char path[512], *got, *want;

	snprintf(path, sizeof path, "%s/scenarios/%s.yaml", SRCDIR, golden_names[_i]);
	got = ladder_of(path, NULL, &all);
	snprintf(path, sizeof path, "%s/tests/golden/%s.ladder", SRCDIR, golden_names[_i]);
	want = read_file(path);
	ck_assert_msg(strcmp(got, want) == 0,
		      "the ladder of %s differs from %s (tests/ladder.sh --update rewrites it)\n%s",
		      golden_names[_i], path, got);
	free(got);
	free(want);
}
END_TEST

#define HEADER \
	"      sent     #  client                                      server     arrived\n"

/* Nothing listens: the RST carries seq 0 as sent (the server has no ISN),
 * its ack relative to the client's. */
START_TEST(reset_without_a_syn)
{
	struct ladder_range all = ladder_range_all();
	char *got = ladder_of(NULL,
		"link: {rate: 10Mbps, delay: 1ms}\n"
		"client: {app: [connect]}\n"
		"server: {app: none}\n", &all);

	ck_assert_str_eq(got, HEADER
		"  0.000000     1  -- S seq=0 len=0 win=65535 ---------------------->    0.001038\n"
		"                  SYN: active open\n"
		"  0.001038     2  <------------------- R. seq=0 ack=1 len=0 win=0 --    0.002070\n"
		"                                     RST: no socket for this segment\n");
	free(got);
}
END_TEST

/* The header and the arrow lines of a ladder, without the notes (which
 * are the sender's words: tests of numbers need not follow them). */
static char *arrows_only(char *ladder)
{
	char *out = ladder, *line = ladder;

	while (*line) {
		char *end = strchr(line, '\n');
		size_t n = end ? (size_t)(end - line) + 1 : strlen(line);

		if (line == ladder || (n > 10 && line[9] >= '0' && line[9] <= '9')) {
			memmove(out, line, n);
			out += n;
		}
		line += n;
	}
	*out = '\0';
	return ladder;
}

/* ISNs next to 2^32: relative numbers wrap with them, both ways. */
START_TEST(relative_numbers_wrap)
{
	struct ladder_range r = ladder_range_all();
	char *got;

	r.first = 4;
	got = ladder_of(NULL,
		"link: {rate: 10Mbps, delay: 1ms}\n"
		"client: {tcp: {iss: 4294967290}, app: [connect, {send: 100}, close]}\n"
		"server: {tcp: {iss: 4294967294}, app: [{read: 1}, {send: 10}, close]}\n", &r);
	ck_assert_str_eq(arrows_only(got), HEADER
		"  0.002076     4  -- P. seq=1 ack=1 len=100 win=131072 ------------>    0.003220\n"
		"  0.002076     5  -- F. seq=101 ack=1 len=0 win=131072 ------------>    0.003252\n"
		"  0.003220     6  <------------- . seq=1 ack=101 len=0 win=131072 --    0.004252\n"
		"  0.003220     7  <----------- P. seq=1 ack=101 len=10 win=131072 --    0.004292\n"
		"  0.003220     8  <----------- F. seq=11 ack=101 len=0 win=131072 --    0.004324\n"
		"  0.003252     9  <------------ . seq=12 ack=102 len=0 win=131072 --    0.004356\n"
		"  0.004324    10  -- . seq=102 ack=12 len=0 win=131064 ------------>    0.005356\n");
	free(got);
}
END_TEST

/* RFC 7323: windows are scaled only when both SYNs offer the option. */
START_TEST(windows_scaled_only_when_both_offer)
{
	static const char *const yaml[] = {
		"link: {rate: 10Mbps, delay: 1ms}\n"
		"client: {app: [connect, {send: 100}, close]}\n"
		"server: {tcp: {window_scaling: false}, app: sink}\n",
		"link: {rate: 10Mbps, delay: 1ms}\n"
		"client: {tcp: {window_scaling: false}, app: [connect, {send: 100}, close]}\n"
		"server: {app: sink}\n",
		"link: {rate: 10Mbps, delay: 1ms}\n"
		"client: {app: [connect, {send: 100}, close]}\n"
		"server: {app: sink}\n",
	};
	static const char *const third[] = {
		"  0.002073     3  -- . seq=1 ack=1 len=0 win=65535 ---------------->    0.003105\n",
		"  0.002070     3  -- . seq=1 ack=1 len=0 win=65535 ---------------->    0.003102\n",
		"  0.002076     3  -- . seq=1 ack=1 len=0 win=131072 --------------->    0.003108\n",
	};
	struct ladder_range r = ladder_range_all();
	char *got, *line;

	r.first = r.last = 3;
	got = ladder_of(NULL, yaml[_i], &r);
	line = strchr(got, '\n') + 1;
	*(strchr(line, '\n') + 1) = '\0';
	ck_assert_str_eq(line, third[_i]);
	free(got);
}
END_TEST

/*
 * The header and the lines of packets first to last of a golden ladder
 * (an arrow line has its send time's last digit in column 10, its number
 * after it; a note line is blank there).
 */
static char *golden_part(const char *name, uint64_t first, uint64_t last)
{
	char path[512], *all, *out, *line, *save = NULL;
	bool keep = false;
	size_t at = 0;

	snprintf(path, sizeof path, "%s/tests/golden/%s.ladder", SRCDIR, name);
	all = read_file(path);
	out = calloc(1, strlen(all) + 1);
	ck_assert_ptr_nonnull(out);
	for (line = strtok_r(all, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (at == 0) {
			keep = true;                     /* the header */
		} else if (strlen(line) > 10 && line[9] >= '0' && line[9] <= '9') {
			uint64_t n = strtoull(line + 10, NULL, 10);
			keep = n >= first && n <= last;
		}
		if (keep)
			at += (size_t)sprintf(out + at, "%s\n", line);
	}
	free(all);
	return out;
}

/* In the handshake, packets 3 to 5 leave at 10007680 ns, 6 at 15094080 ns,
 * 7 and 8 at 15097280 ns, 9 at 20103040 ns. */
START_TEST(packet_and_time_ranges)
{
	static const struct { const char *times, *packets; uint64_t first, last; } cases[] = {
		{ NULL, "6:7", 6, 7 },
		{ NULL, "9", 9, 9 },
		{ NULL, "10:", 1, 0 },
		/* Both ends included. */
		{ "10007680ns:15094080ns", NULL, 3, 6 },
		{ "10007681ns:15094079ns", NULL, 1, 0 },
		{ "15094081ns:15097280ns", NULL, 7, 8 },
		{ "0.02:", NULL, 9, 9 },
		/* Both ranges: the packets in each. */
		{ ":15094080ns", "5:7", 5, 6 },
		{ "15094080ns:", "2:7", 6, 7 },
	};
	char path[512], err[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ladder_range r = ladder_range_all();
		char *got, *want;

		if (cases[i].times)
			ck_assert_int_eq(ladder_parse_times(cases[i].times, &r, err, sizeof err), 0);
		if (cases[i].packets)
			ck_assert_int_eq(ladder_parse_packets(cases[i].packets, &r, err, sizeof err), 0);
		snprintf(path, sizeof path, "%s/scenarios/handshake.yaml", SRCDIR);
		got = ladder_of(path, NULL, &r);
		want = golden_part("handshake", cases[i].first, cases[i].last);
		ck_assert_msg(strcmp(got, want) == 0, "case %zu: got\n%s\nwant\n%s", i, got, want);
		free(got);
		free(want);
	}
}
END_TEST

/* Every SYN damaged on the way: the arrow reaches the server and ends in X. */
START_TEST(corrupt_syns)
{
	struct ladder_range all = ladder_range_all();
	char *got = ladder_of(NULL,
		"duration: 1500ms\n"
		"link: {rate: 10Mbps, delay: 1ms, a_to_b: {corrupt: 100%}}\n"
		"client: {app: [connect]}\n"
		"server: {app: sink}\n", &all);

	ck_assert_str_eq(got, HEADER
		"  0.000000     1  -- S seq=0 len=0 win=65535 ----------------------X    0.001038\n"
		"                  SYN: active open\n"
		"                  bit 200 flipped\n"
		"                            checksum failed: the server discarded it\n"
		"  1.000000     2  -- S seq=0 len=0 win=65535 ----------------------X    1.001038\n"
		"                  SYN retransmission: RTO #1 (1s)\n"
		"                  bit 10 flipped\n"
		"                            checksum failed: the server discarded it\n");
	free(got);
}
END_TEST

/* The run ends (its duration) with packets on their way: drawn last. */
START_TEST(in_flight_when_the_run_ends)
{
	struct ladder_range all = ladder_range_all();
	char *got = ladder_of(NULL,
		"duration: 3ms\n"
		"link: {rate: 10Mbps, delay: 5ms}\n"
		"client: {app: [connect]}\n"
		"server: {app: sink}\n", &all);

	ck_assert_str_eq(got, HEADER
		"  0.000000     1  -- S seq=0 len=0 win=65535 ->                        in flight\n"
		"                  SYN: active open\n"
		"                  still in flight when the run ended\n");
	free(got);
}
END_TEST

/*
 * A plain record of the run, kept beside the ladder: for each packet in
 * the order sent, its send time, and its arrival time or fate. The ladder's
 * arrow lines must say the same, in the same order.
 */
struct record {
	struct { uint64_t sent_ns, arrival_ns, link_number; int from; char fate; } *p;
	size_t n, cap;
};

static bool record_packet(void *ctx, const struct pkt_event *ev)
{
	struct record *rec = ctx;

	if (ev->kind == PKT_SENT) {
		if (rec->n == rec->cap) {
			rec->cap = rec->cap ? 2 * rec->cap : 1024;
			rec->p = realloc(rec->p, rec->cap * sizeof(*rec->p));
			ck_assert_ptr_nonnull(rec->p);
		}
		rec->p[rec->n].sent_ns = ev->time_ns;
		rec->p[rec->n].from = ev->from;
		rec->p[rec->n].link_number = ev->verdict->number;
		rec->p[rec->n].fate = link_fate_dropped(ev->verdict->fate) ? 'd' : 'f';
		rec->n++;
		return true;
	}
	for (size_t i = rec->n; i-- > 0;)
		if (rec->p[i].from == (int)ev->from && rec->p[i].link_number == ev->verdict->number) {
			rec->p[i].arrival_ns = ev->time_ns;
			rec->p[i].fate = ev->checksum_bad ? 'c' : 'a';
			break;
		}
	return true;
}

static void expect_agrees(const char *yaml, uint64_t min_packets, bool want_overtaking)
{
	struct ladder_range all = ladder_range_all();
	struct scenario scn;
	struct record rec = { 0 };
	struct observer ro = { .ctx = &rec, .packet = record_packet }, lo;
	struct ladder *l;
	struct world *w;
	char err[1024], *out = NULL, *line, *save = NULL;
	size_t len = 0, k = 0;
	uint64_t latest_arrival[2] = { 0, 0 };
	bool overtaken = false;
	FILE *f = open_memstream(&out, &len);

	ck_assert_int_eq(scenario_load_mem("test", yaml, strlen(yaml), &scn, err, sizeof err), 0);
	w = world_new(&scn, scn.seed);
	l = ladder_new(f, &all);
	lo = ladder_observer(l);
	world_observe(w, &ro);
	world_observe(w, &lo);
	world_run(w);
	ladder_finish(l);
	ladder_free(l);
	world_free(w);
	scenario_free(&scn);
	fclose(f);
	ck_assert_uint_ge(rec.n, min_packets);
	line = strtok_r(out, "\n", &save);            /* the header */
	while ((line = strtok_r(NULL, "\n", &save)) != NULL) {
		char sent[32], num[32], last[32], want_sent[32], want_last[32];
		const char *end;
		char far;

		if (line[0] == ' ' && line[1] == ' ' && line[2] == ' ')
			continue;                        /* a note */
		ck_assert_uint_lt(k, rec.n);
		ck_assert_int_eq(sscanf(line, "%31s %31s", sent, num), 2);
		end = strrchr(line, ' ') + 1;
		snprintf(last, sizeof last, "%s", end);
		snprintf(want_sent, sizeof want_sent, "%" PRIu64 ".%06" PRIu64,
			 rec.p[k].sent_ns / 1000000000u, rec.p[k].sent_ns % 1000000000u / 1000u);
		if (rec.p[k].fate == 'd')
			snprintf(want_last, sizeof want_last, "dropped");
		else
			snprintf(want_last, sizeof want_last, "%" PRIu64 ".%06" PRIu64,
				 rec.p[k].arrival_ns / 1000000000u,
				 rec.p[k].arrival_ns % 1000000000u / 1000u);
		ck_assert_str_eq(sent, want_sent);
		ck_assert_uint_eq(strtoull(num, NULL, 10), k + 1);
		ck_assert_str_eq(last, want_last);
		/* The arrow's end at the receiver: '>' or '<' where the packet
		 * arrived, 'X' where its checksum failed there, nothing when
		 * the link dropped it. */
		ck_assert_uint_ge(strlen(line), 68);
		far = line[rec.p[k].from == HOST_CLIENT ? 67 : 18];
		ck_assert_int_eq(far, rec.p[k].fate == 'a' ? (rec.p[k].from == HOST_CLIENT ? '>' : '<') :
				      rec.p[k].fate == 'c' ? 'X' : ' ');
		if (rec.p[k].fate != 'd') {
			if (rec.p[k].arrival_ns < latest_arrival[rec.p[k].from])
				overtaken = true;
			if (rec.p[k].arrival_ns > latest_arrival[rec.p[k].from])
				latest_arrival[rec.p[k].from] = rec.p[k].arrival_ns;
		}
		k++;
	}
	ck_assert_uint_eq(k, rec.n);
	ck_assert_int_eq(overtaken, want_overtaking);
	free(rec.p);
	free(out);
}

/* Packets that overtake others, lost ones and damaged ones: the lines stay
 * in the order sent, each with its own arrival. */
START_TEST(out_of_order_arrivals)
{
	expect_agrees("seed: 3\n"
		      "link: {rate: 10Mbps, delay: 10ms, loss: 2%, corrupt: 2%,\n"
		      "       reorder: {probability: 10%, delay: 3ms}}\n"
		      "client: {app: [connect, {send: 300KB}, close]}\n"
		      "server: {app: echo}\n", 400, true);
}
END_TEST

/* Thousands of packets waiting at once (the ring grows, and wraps). */
START_TEST(many_in_flight)
{
	expect_agrees("link: {rate: 1Gbps, delay: 20ms, queue: 10000}\n"
		      "client: {tcp: {send_buffer: 8MiB}, app: [connect, {send: 6MB}, close]}\n"
		      "server: {tcp: {receive_buffer: 8MiB}, app: sink}\n", 4000, false);
}
END_TEST

/* ---- The command line ------------------------------------------------ */

struct run {
	char dir[512];
	int status;                  /* the exit status; -1 if it did not exit */
	char *out, *err;             /* what it wrote on stdout and stderr */
};

static const char *in_dir(const struct run *r, const char *name)
{
	static char path[2][640];
	static int k;

	k ^= 1;
	snprintf(path[k], sizeof path[k], "%s/%s", r->dir, name);
	return path[k];
}

/* The runs' directories live in one, made and removed by the parent
 * process around the test case, so that a failed test leaves nothing. */
static char cli_dir[256];

static void cli_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(cli_dir, sizeof cli_dir, "%s/check_ladder.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(cli_dir))
		abort();
}

/* Removes dir and what is in it, one level of directories deep. */
static void remove_tree(const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[768];

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
		if (unlink(path) != 0 && depth > 0)
			remove_tree(path, depth - 1);
	}
	closedir(d);
	rmdir(dir);
}

static void cli_teardown(void)
{
	remove_tree(cli_dir, 1);
}

/* sim/tcpsim with args (NULL-terminated), in a fresh directory. */
static void run_program(struct run *r, const char *const *args)
{
	const char *argv[16] = { TCPSIM_PROGRAM };
	pid_t pid;
	int st, n = 1;

	snprintf(r->dir, sizeof r->dir, "%s/run.XXXXXX", cli_dir);
	ck_assert_ptr_nonnull(mkdtemp(r->dir));
	for (; args[n - 1] && n < 15; n++)
		argv[n] = args[n - 1];
	argv[n] = NULL;
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int o = open(in_dir(r, "stdout"), O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int e = open(in_dir(r, "stderr"), O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (o < 0 || e < 0 || chdir(r->dir) != 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(127);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	r->status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	r->out = read_file(in_dir(r, "stdout"));
	r->err = read_file(in_dir(r, "stderr"));
}

static void run_free(struct run *r)
{
	remove_tree(r->dir, 0);
	free(r->out);
	free(r->err);
}

static const char *scenario_path(const char *name)
{
	static char path[512];

	snprintf(path, sizeof path, "%s/scenarios/%s.yaml", SRCDIR, name);
	return path;
}

/* --ladder FILE: the ladder in FILE, the summary on stdout naming the
 * capture alone. */
START_TEST(cli_ladder_file)
{
	const char *args[] = { "--ladder", "x.ladder", "-o", "x.pcap", scenario_path("handshake"), NULL };
	char golden_path[512], *want, *got;
	struct run r;

	run_program(&r, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.err, "");
	snprintf(golden_path, sizeof golden_path, "%s/tests/golden/handshake.ladder", SRCDIR);
	want = read_file(golden_path);
	got = read_file(in_dir(&r, "x.ladder"));
	ck_assert_str_eq(got, want);
	ck_assert_ptr_nonnull(strstr(r.out, "handshake (seed 1): ended at"));
	ck_assert_ptr_nonnull(strstr(r.out, "\n  pcap: x.pcap\n"));
	ck_assert_ptr_null(strstr(r.out, "ladder"));
	free(want);
	free(got);
	run_free(&r);
}
END_TEST

/* The capture on standard output beside a ladder file: the summary moves
 * to stderr, and stdout is the capture alone. */
START_TEST(cli_ladder_file_and_capture_on_stdout)
{
	const char *args[] = { "--ladder", "x.ladder", "-o", "-", scenario_path("handshake"), NULL };
	static const unsigned char pcap_magic[4] = { 0xd4, 0xc3, 0xb2, 0xa1 };
	static const unsigned char pcap_magic_ns[4] = { 0x4d, 0x3c, 0xb2, 0xa1 };
	char *got;
	struct run r;

	run_program(&r, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_msg(memcmp(r.out, pcap_magic, 4) == 0 || memcmp(r.out, pcap_magic_ns, 4) == 0,
		      "stdout is not a capture");
	ck_assert_ptr_nonnull(strstr(r.err, "handshake (seed 1): ended at"));
	got = read_file(in_dir(&r, "x.ladder"));
	ck_assert_int_eq(strncmp(got, HEADER, strlen(HEADER)), 0);
	free(got);
	run_free(&r);
}
END_TEST

/* Each range option's value goes to its own parser. */
START_TEST(cli_range_messages)
{
	static const struct { const char *opt, *value, *err; } cases[] = {
		{ "--ladder-time", "3:1",
		  "tcpsim: --ladder-time: '3:1': the range ends before it starts\n"
		  "Try 'tcpsim --help'.\n" },
		{ "--ladder-time", "5",
		  "tcpsim: --ladder-time: '5': expected FROM:TO, send times such as 0.1:0.3 or "
		  "100ms:300ms (either may be left out)\nTry 'tcpsim --help'.\n" },
		{ "--ladder-packets", "0.5:1",
		  "tcpsim: --ladder-packets: '0.5:1': '0.5' is not a packet number (1, 2, 3 ...)\n"
		  "Try 'tcpsim --help'.\n" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *args[] = { "--ladder", "-", cases[i].opt, cases[i].value,
				       scenario_path("handshake"), NULL };
		struct run r;

		run_program(&r, args);
		ck_assert_int_eq(r.status, 2);
		ck_assert_str_eq(r.err, cases[i].err);
		ck_assert_str_eq(r.out, "");
		run_free(&r);
	}
}
END_TEST

/* A range applies to the ladder on standard output; the summary goes to stderr. */
START_TEST(cli_range_on_stdout)
{
	const char *args[] = { "--ladder-packets", "9", "--ladder", "-", "-o", "x.pcap",
			       scenario_path("handshake"), NULL };

	char *want = golden_part("handshake", 9, 9);
	struct run r;

	run_program(&r, args);
	ck_assert_int_eq(r.status, 0);
	ck_assert_str_eq(r.out, want);
	ck_assert_ptr_nonnull(strstr(r.err, "handshake (seed 1): ended at"));
	free(want);
	run_free(&r);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ladder");
	TCase *tc;

	tc = tcase_create("drawing");
	tcase_add_loop_test(tc, every_flag_combination, 0,
			    (int)(sizeof(flag_table) / sizeof(flag_table[0])));
	tcase_add_test(tc, ecn_flags);
	tcase_add_test(tc, the_usual_flags_drawn);
	tcase_add_test(tc, header);
	tcase_add_test(tc, dropped_on_the_way_to_the_server);
	tcase_add_test(tc, dropped_on_the_way_to_the_client);
	tcase_add_test(tc, dropped_mid_lane);
	tcase_add_test(tc, corrupt_at_the_server);
	tcase_add_test(tc, corrupt_at_the_client);
	tcase_add_test(tc, reordered_both_ways);
	tcase_add_test(tc, in_flight_at_the_end);
	tcase_add_test(tc, long_notes_are_cut_at_spaces);
	tcase_add_test(tc, long_labels_and_wide_numbers);
	tcase_add_test(tc, times);
	tcase_add_test(tc, small_buffers);
	suite_add_tcase(s, tc);

	tc = tcase_create("ranges");
	tcase_add_loop_test(tc, time_ranges, 0, (int)(sizeof(good_times) / sizeof(good_times[0])));
	tcase_add_loop_test(tc, time_range_refused, 0,
			    (int)(sizeof(bad_times) / sizeof(bad_times[0])));
	tcase_add_loop_test(tc, packet_ranges, 0,
			    (int)(sizeof(good_packets) / sizeof(good_packets[0])));
	tcase_add_loop_test(tc, packet_range_refused, 0,
			    (int)(sizeof(bad_packets) / sizeof(bad_packets[0])));
	suite_add_tcase(s, tc);

	tc = tcase_create("observer");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, golden, 0, (int)(sizeof(golden_names) / sizeof(golden_names[0])));
	tcase_add_test(tc, reset_without_a_syn);
	tcase_add_test(tc, relative_numbers_wrap);
	tcase_add_loop_test(tc, windows_scaled_only_when_both_offer, 0, 3);
	tcase_add_test(tc, packet_and_time_ranges);
	tcase_add_test(tc, corrupt_syns);
	tcase_add_test(tc, in_flight_when_the_run_ends);
	tcase_add_test(tc, out_of_order_arrivals);
	tcase_add_test(tc, many_in_flight);
	suite_add_tcase(s, tc);

	tc = tcase_create("command line");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, cli_setup, cli_teardown);
	tcase_add_test(tc, cli_ladder_file);
	tcase_add_test(tc, cli_ladder_file_and_capture_on_stdout);
	tcase_add_test(tc, cli_range_messages);
	tcase_add_test(tc, cli_range_on_stdout);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(suite());
	int failed;

	srunner_run_all(sr, CK_ENV);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
