/*
 * scenario: a YAML scenario file, loaded with libyaml and validated into a
 * struct scenario that holds every knob with its default applied.
 *
 * The loader is strict: an unknown key, a wrong type, a missing required key,
 * an out-of-range value, a YAML syntax error or an unreadable file fails the
 * load with one message "FILE:LINE:COL: text" (1-based line and column of
 * the offending node). Each key is one row of schema.c (its kind, range,
 * default and meaning); docs/scenarios.md documents them, and
 * tests/check_schema.c holds the two in step.
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

#include "app.h"
#include "capture.h"
#include "link.h"
#include "loc.h"
#include "tcp.h"

struct scn_link {
	uint32_t mtu;                /* link: mtu, both directions unless a_to_b / b_to_a say (their cfg.mtu) */
	struct link_cfg a_to_b, b_to_a;
};

struct scn_host {
	uint32_t addr;               /* IPv4, host byte order */
	uint16_t port;
	const struct tcp_profile *profile;   /* the one tcp started from */
	struct tcp_cfg tcp;
	struct app_cfg app;
};

enum capture_point { CAPTURE_CLIENT, CAPTURE_SERVER, CAPTURE_BOTH, CAPTURE_NONE };

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
	struct scn_loc loc;          /* of the key; 0:0 when a --set wrote it */
	const char *set;             /* that --set argument (in struct scenario's set), or NULL */
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
	char **set;                  /* the --set arguments applied, in order, NULL-terminated */
	size_t nset;                 /* (set is NULL when there were none) */
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

/*
 * scenario_load with nsets "KEY.PATH=VALUE" overrides (tcpsim --set), applied
 * in order to the file's YAML document before it is validated: each VALUE
 * goes through the parsing and range checks of a value written unquoted at
 * that path, and a message about it begins "--set KEY.PATH=VALUE: " where a
 * file's begins "PATH:LINE:COL: ". The arguments are copied into s->set.
 * nsets 0 is scenario_load.
 */
int scenario_load_set(const char *path, const char *const *sets, size_t nsets, struct scenario *s,
		      char *err, size_t errlen);
/* The same for YAML text in memory. */
int scenario_load_mem_set(const char *name, const void *text, size_t len,
			  const char *const *sets, size_t nsets, struct scenario *s,
			  char *err, size_t errlen);

void scenario_free(struct scenario *s);

#endif
