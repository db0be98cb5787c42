/*
 * scenario: a YAML scenario file, loaded with libyaml and validated into a
 * struct scenario that holds every knob with its default applied.
 *
 * The loader is strict: an unknown key, a wrong type, a missing required key,
 * an out-of-range value, a YAML syntax error or an unreadable file fails the
 * load with one message "FILE:LINE:COL: text" (1-based line and column of
 * the offending node). The meaning of each key, its unit and its default are
 * documented in docs/scenarios.md; keep the two in step.
 *
 * Nothing here knows about the engine, TCP or pcap: world.c turns a struct
 * scenario into a running simulation, and tests may fill one in by hand
 * after scenario_defaults().
 */
#ifndef TCPSIM_SCENARIO_H
#define TCPSIM_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct scn_loc {
	uint32_t line, col;          /* 1-based; 0 when not from a file */
};

/* One direction of the link (a = client, b = server). */
struct scn_dir {
	uint64_t rate_bps;           /* serialization rate, > 0 */
	uint64_t delay_ns;           /* one-way propagation delay */
	uint32_t queue_packets;      /* drop-tail limit in packets waiting, or 0 */
	uint64_t queue_bytes;        /* ... or in bytes waiting, or 0 (one of the two is set) */
	uint32_t loss_ppb;           /* Bernoulli loss, parts per billion */
	uint64_t *drop;              /* packet numbers (1-based, per direction) to drop, ascending */
	size_t ndrop;
	uint32_t reorder_ppb;        /* probability that a packet is held back ... */
	uint64_t reorder_delay_ns;   /* ... by this much extra delay */
	uint32_t corrupt_ppb;        /* probability that one bit of a packet is flipped in transit */
	uint64_t blackout_start_ns;  /* every packet offered in [start, end) is dropped */
	uint64_t blackout_end_ns;    /* 0: no blackout */
};

struct scn_link {
	uint32_t mtu;                /* bytes of IP packet, 68 .. 65535, both directions */
	struct scn_dir a_to_b, b_to_a;
};

enum scn_cc {
	SCN_CC_NEWRENO,              /* RFC 5681 + RFC 6582 */
	SCN_CC_RENO,                 /* RFC 5681 */
};

struct scn_tcp {
	uint32_t mss;                /* 0: MTU - 40; the MSS option this host announces */
	uint64_t send_buffer;        /* bytes */
	uint64_t receive_buffer;     /* bytes; the advertised window is its free space */
	bool window_scaling;         /* offer RFC 7323 window scale */
	bool timestamps;             /* offer RFC 7323 timestamps */
	uint32_t initial_cwnd;       /* segments (RFC 6928: 10); IW = initial_cwnd * SMSS */
	uint64_t initial_rto_ns;     /* RFC 6298 (2.1): 1 s */
	uint64_t min_rto_ns;         /* RFC 6298 (2.4): 1 s */
	uint64_t max_rto_ns;         /* RFC 6298 (2.5): at least 60 s */
	uint32_t max_retries;        /* retransmissions of one segment before abort (RFC 9293 R2) */
	uint32_t syn_retries;        /* retransmissions of a SYN before giving up (R2 for SYN) */
	uint64_t msl_ns;             /* TIME_WAIT lasts 2 * msl */
	enum scn_cc cc;              /* congestion control algorithm */
	bool limited_transmit;       /* RFC 3042 */
	uint32_t abc_limit;          /* RFC 3465 L, in segments: 1 or 2 */
	uint64_t delayed_ack_ns;     /* RFC 1122 4.2.3.2 ACK delay; 0: every segment ACKed at once */
	uint32_t quick_ack;          /* the first N data segments are ACKed at once (Linux quick-ACK) */
	bool nagle;                  /* RFC 896 / RFC 1122 4.2.3.4; false is TCP_NODELAY */
	bool iss_set;
	uint32_t iss;                /* initial send sequence number; else drawn from the seed */
};

enum step_kind {
	STEP_CONNECT,                /* active open; port = server port unless given */
	STEP_SEND,                   /* write bytes of the pattern, or literal text */
	STEP_WAIT,                   /* sleep for wait_ns */
	STEP_CLOSE,                  /* FIN after queued data; keep reading until the peer's FIN */
	STEP_ABORT,                  /* RST now */
	STEP_READ,                   /* wait until `bytes` more bytes have been read */
};

struct scn_step {
	enum step_kind kind;
	uint64_t bytes;              /* STEP_SEND with a count; STEP_READ */
	char *text;                  /* STEP_SEND with literal text (text_len bytes), else NULL */
	size_t text_len;
	bool text_shared;            /* a repeat's copy: text belongs to an earlier step */
	uint64_t wait_ns;            /* STEP_WAIT */
	uint16_t port;               /* STEP_CONNECT; 0: the server's port */
	struct scn_loc loc;
};

enum app_kind {
	APP_SCRIPT,                  /* the steps below */
	APP_SINK,                    /* listen, read everything, close after the peer's FIN */
	APP_ECHO,                    /* listen, write back what it reads, close after the peer's FIN */
	APP_NONE,                    /* nothing listens: connections get a RST */
};

struct scn_app {
	enum app_kind kind;
	struct scn_step *steps;      /* repeat: blocks already unrolled */
	size_t nsteps;
	uint64_t read_bytes;         /* read pacing: at most this many bytes ... */
	uint64_t read_every_ns;      /* ... every this long; 0: read as soon as data is there */
};

struct scn_host {
	uint32_t addr;               /* IPv4, host byte order */
	uint16_t port;
	struct scn_tcp tcp;
	struct scn_app app;
};

enum capture_point { CAPTURE_CLIENT, CAPTURE_SERVER, CAPTURE_BOTH, CAPTURE_NONE };
enum capture_linktype { LINKTYPE_ETHERNET, LINKTYPE_RAW_IP };

enum expect_op { EXPECT_EQ, EXPECT_NE, EXPECT_LT, EXPECT_LE, EXPECT_GT, EXPECT_GE };
enum expect_type { EXPECT_NUMBER, EXPECT_BOOL, EXPECT_STRING };

/* One "key: value" of the expect: block, e.g. client.retransmissions: ">= 1". */
struct scn_expect {
	char *key;                   /* dotted path into the JSON summary */
	enum expect_op op;           /* EXPECT_EQ when the value has no operator */
	enum expect_type type;
	double number;               /* size suffixes applied: "10MB" is 1e7, "64KiB" is 65536 */
	bool boolean;
	char *string;
	struct scn_loc loc;          /* of the key */
};

struct scenario {
	char *file;                  /* path as given */
	char *name;                  /* name:, else the file's base name without .yaml */
	char *description;           /* or NULL */
	uint64_t seed;
	uint64_t duration_ns;        /* virtual-time limit */
	struct scn_link link;
	struct scn_host client, server;
	enum capture_point capture;
	enum capture_linktype linktype;
	uint32_t snaplen;            /* bytes kept of each frame; 0: all */
	struct scn_expect *expect;
	size_t nexpect;
};

/* Fills s with every default (no steps, no expectations, name "scenario"). */
void scenario_defaults(struct scenario *s);

/*
 * Loads path into *s. On failure returns -1, writes one line
 * "PATH:LINE:COL: message" (no "tcpsim: " prefix, no newline) into err,
 * and leaves *s freed.
 */
int scenario_load(const char *path, struct scenario *s, char *err, size_t errlen);
/*
 * The same for len bytes of YAML text already in memory (tests, fuzzers);
 * name stands for the file in messages and gives the default name:.
 */
int scenario_load_mem(const char *name, const void *text, size_t len, struct scenario *s,
		      char *err, size_t errlen);

void scenario_free(struct scenario *s);

#endif
