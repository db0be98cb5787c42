/*
 * tcp_profile: named sets of TCP settings (see tcp.h).
 *
 * "rfc" is tcp_cfg_defaults(): every choice an RFC's, the textbook a learner
 * reads. "linux" is what a current Linux kernel (6.x) does with its default
 * sysctls; each value names its source in the kernel (include/net/tcp.h,
 * the net.ipv4.tcp_* sysctls of Documentation/networking/ip-sysctl.rst).
 * Where tcpsim has no model of a Linux mechanism the comment says what
 * stands in for it. docs/scenarios.md ("Profiles") lists the same values.
 */
#include "tcp.h"

#include <string.h>

#include "cc.h"

#define MS UINT64_C(1000000)
#define SEC (1000 * MS)

static void rfc(struct tcp_cfg *cfg)
{
	tcp_cfg_defaults(cfg);
}

static void linux_(struct tcp_cfg *cfg)
{
	tcp_cfg_defaults(cfg);
	/* tcp_rmem / tcp_wmem maxima (6 MiB, 4 MiB): Linux grows its buffers
	 * up to these by autotuning; tcpsim has none, so they start there.
	 * The window scale follows from the receive buffer (tcp_select_initial_window). */
	cfg->receive_buffer = 6 * 1024 * 1024;
	cfg->send_buffer = 4 * 1024 * 1024;
	cfg->window_scaling = true;             /* tcp_window_scaling = 1 */
	cfg->timestamps = true;                 /* tcp_timestamps = 1 */
	cfg->sack = true;                       /* tcp_sack = 1, D-SACK with it (tcp_dsack = 1) */
	/* tcp_cwnd_reduction(): PRR (RFC 6937) in recovery, since Linux 3.2. */
	cfg->recovery = TCP_RECOVERY_PRR;
	/* tcp_recovery = 1 (RACK loss detection), tcp_early_retrans = 3
	 * (the tail loss probe): RACK-TLP, RFC 8985. */
	cfg->rack = true;
	cfg->tlp = true;
	cfg->initial_cwnd = 10;                 /* TCP_INIT_CWND */
	cfg->initial_rto_ns = 1 * SEC;          /* TCP_TIMEOUT_INIT */
	cfg->min_rto_ns = 200 * MS;             /* TCP_RTO_MIN = HZ / 5 */
	cfg->max_rto_ns = 120 * SEC;            /* TCP_RTO_MAX */
	cfg->max_retries = 15;                  /* tcp_retries2 = 15 */
	cfg->syn_retries = 6;                   /* tcp_syn_retries = 6 */
	cfg->msl_ns = 30 * SEC;                 /* TCP_TIMEWAIT_LEN = 60 s = 2 MSL */
	cfg->limited_transmit = true;           /* RFC 3042 */
	/* tcp_congestion_control = cubic. Linux's CUBIC leaves slow start by
	 * its own HyStart (ACK trains and delay increase, Ha and Rhee 2011);
	 * RFC 9406's HyStart++ stands in for it: the same idea, the one with
	 * an RFC. */
	cfg->cc = &cc_cubic;
	cfg->hystart = true;
	/* tcp_slow_start() adds every segment an ACK covers; with an ACK per
	 * two segments that is RFC 3465's L = 2, the most tcpsim allows. */
	cfg->abc_limit = 2;
	/* tcp_send_delayed_ack(): the delay adapts to the gaps between
	 * segments, from TCP_ATO_MIN (40 ms) up to TCP_DELACK_MAX (200 ms). */
	cfg->delayed_ack_ns = 200 * MS;
	cfg->delayed_ack_min_ns = 40 * MS;
	/* tcp_incr_quickack(sk, TCP_MAX_QUICKACKS) on the first data: up to 16
	 * segments ACKed at once. */
	cfg->quick_ack = 16;
	cfg->nagle = true;                      /* TCP_NODELAY off by default */
	/* tcp_ecn = 2: agree when a SYN asks, never ask. tcp.ecn asks and
	 * agrees together, so it stays off (tcp_cfg_defaults). */
}

static const struct tcp_profile profiles[] = {
	{ "rfc", "the textbook: every choice an RFC's (the default)", rfc },
	{ "linux", "a current Linux kernel's defaults", linux_ },
};

const struct tcp_profile *tcp_profile_find(const char *name)
{
	for (size_t i = 0; i < tcp_profile_count(); i++)
		if (strcmp(profiles[i].name, name) == 0)
			return &profiles[i];
	return NULL;
}

size_t tcp_profile_count(void)
{
	return sizeof(profiles) / sizeof(profiles[0]);
}

const struct tcp_profile *tcp_profile_at(size_t i)
{
	return i < tcp_profile_count() ? &profiles[i] : NULL;
}
