/*
 * schema: every key a scenario may hold, written once.
 *
 * Each mapping of a scenario (the top level, link, a_to_b / b_to_a, reorder,
 * blackout, loss, jitter, client / server, tcp, read, capture) is a struct schema_map:
 * a table of rows, one per key, giving the key's name, how its value is
 * read (its kind, or a reader of its own), its range and default in the
 * unit the struct stores, where the value goes in the mapping's struct,
 * and, for the reference, its meaning with its RFC and the Default and
 * Range that docs/scenarios.md shows. The same rows drive:
 *
 *   - the loader (schema_read, called by scenario.c): the keys a mapping
 *     may hold, in that order for the "did you mean" suggestions, and the
 *     reading of each key, in row order (so a key read later may depend on
 *     one read before it: mtu before queue, the link's values before
 *     a_to_b's);
 *   - the defaults (schema_defaults, called by scenario_defaults);
 *   - --set, which edits the document the rows then read;
 *   - tests/check_schema.c, which holds docs/scenarios.md to every row's
 *     default and range, and to no key the tables lack.
 *
 * Kinds with one message for all their keys (an integer's "must be
 * between", a time's "must be at most 3600s") are read generically; keys
 * with their own syntax or messages (queue, drop, mss, profile, app,
 * expect, rules ...) point at a reader of their own, in schema.c or in the
 * part of the loader that owns them (scenario_steps.c, scenario_expect.c).
 *
 * A new key is one row (and its docs/scenarios.md line).
 */
#ifndef TCPSIM_SCHEMA_H
#define TCPSIM_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <yaml.h>

/* Ranges shared by several keys. */
#define MAX_DELAY_NS       (UINT64_C(3600) * 1000000000)   /* one-way delay, reorder delay */
#define MAX_TCP_TIME_NS    (UINT64_C(3600) * 1000000000)   /* RTO bounds, MSL, read pacing */
#define MAX_RATE_BPS       UINT64_C(10000000000000)         /* 10 Tbit/s */
#define MAX_BUFFER_BYTES   (UINT64_C(1) << 30)              /* 1 GiB */
#define MAX_QUEUE_PACKETS  1000000
#define MIN_MTU            68     /* RFC 791: every host must accept 68-byte datagrams */
#define MAX_MTU            65535  /* the IPv4 total length field is 16 bits */
#define IP_TCP_HEADERS     40     /* IPv4 + TCP headers without options (RFC 879) */
#define MIN_MSS            64
#define MAX_DELAYED_ACK_NS (UINT64_C(500) * 1000000)  /* RFC 1122 4.2.3.2: "less than 0.5 seconds" */
#define MIN_SNAPLEN        96     /* Ethernet + IPv4 + the longest TCP header: 14 + 20 + 60 */
#define MAX_SNAPLEN        262144

/* How a key's value is read. */
enum schema_kind {
	SCHEMA_UINT,        /* an integer in [min, max] */
	SCHEMA_TIME,        /* a time, ns; min 0, or 1 for "greater than 0"; max whole seconds */
	SCHEMA_SIZE,        /* a buffer size, 1B .. 1GiB */
	SCHEMA_RATE,        /* bit/s, 1bps .. 10000Gbps */
	SCHEMA_PERCENT,     /* parts per billion, 0 .. 100% */
	SCHEMA_BOOL,
	SCHEMA_FREQ,        /* hertz */
	SCHEMA_CUSTOM,      /* a list, a mapping or a word: the row's own reader */
};

/* Row flags. */
#define SCHEMA_REQUIRED   1u    /* "missing key 'K' in 'MAP'" when absent (not in a_to_b) */
#define SCHEMA_DIRECTION  2u    /* a link key that a_to_b / b_to_a may override */
#define SCHEMA_ALWAYS     4u    /* the reader runs when the key is absent too (v NULL) */
#define SCHEMA_PER_HOST   8u    /* a host key whose server default is def_server */
#define SCHEMA_FIRST     16u    /* read before the other rows (others depend on it: mtu) */

struct scn_ctx;

/*
 * A key's own reader: v is its value (NULL with SCHEMA_ALWAYS when absent),
 * map the mapping that holds it, obj the mapping's struct. 0, or -1 after
 * one message.
 */
typedef int (*schema_read_fn)(struct scn_ctx *c, yaml_node_t *map, yaml_node_t *v, void *obj);

struct schema_key {
	const char *name;
	enum schema_kind kind;
	unsigned flags;
	size_t off, size;           /* where the value is in the mapping's struct, its width */
	uint64_t min, max;          /* the range, in the stored unit (ns, bytes, bit/s, ppb) */
	uint64_t def;               /* the default, in the same unit (the client's for a host) */
	uint64_t def_server;        /* a host key's default for the server */
	schema_read_fn read;        /* a reader of its own (always for SCHEMA_CUSTOM) */
	void (*set_default)(void *obj);     /* a default def cannot say (a pointer) */
	const char *doc_default;    /* docs/scenarios.md's Default, when not def in its kind's form */
	const char *doc_range;      /* its Range, when not min .. max in its kind's form */
	const char *meaning;        /* one line, with its RFC */
};

struct schema_map {
	const char *name;           /* as messages name the mapping: "link", "tcp" */
	const char *doc_section;    /* the docs/scenarios.md heading whose Key table lists it */
	const struct schema_key *keys;
	size_t nkeys;
	unsigned only;              /* rows without all these flags are not this map's */
	const char **names;         /* its keys' names, NULL-terminated: see schema_names */
	/* A missing required key is reported before any key is read (else when
	 * its row's turn comes, after the rows above it). */
	bool required_first;
	/* Cross-key rules, once every key is read; NULL: none. */
	int (*check)(struct scn_ctx *c, yaml_node_t *map, void *obj);
};

/* The maps, in the order docs/scenarios.md lists them. */
extern const struct schema_map schema_top, schema_link, schema_direction, schema_reorder,
	schema_blackout, schema_loss, schema_jitter, schema_host, schema_tcp, schema_read_pacing,
	schema_capture;
/* All of them, for tests; *n gets their number. */
const struct schema_map *const *schema_maps(size_t *n);

/* The names of map's keys in row order, NULL-terminated (built on first use). */
const char *const *schema_names(const struct schema_map *map);
/* map's row named name, or NULL. */
const struct schema_key *schema_key(const struct schema_map *map, const char *name);
bool schema_has(const struct schema_map *map, const struct schema_key *k);

/*
 * Reads the mapping node m (already checked to be a mapping) into obj by
 * map's rows: checks its keys (unknown, duplicate, not a scalar; messages
 * name the mapping where, or map->name when NULL), then that every required
 * key is there, then reads the SCHEMA_FIRST rows, then the others, each in
 * row order, then map->check. Rows with
 * SCHEMA_DIRECTION go into dir (a struct link_cfg) when dir is not NULL;
 * the others into obj.
 */
int schema_read(struct scn_ctx *c, yaml_node_t *m, const struct schema_map *map, const char *where,
		void *obj, void *dir);

/* Writes map's defaults into obj (dir as for schema_read); server: a host's server. */
void schema_defaults(const struct schema_map *map, void *obj, void *dir, bool server);

/* The Default and Range cells docs/scenarios.md must show for k. */
void schema_doc_default(const struct schema_key *k, char *buf, size_t len);
void schema_doc_range(const struct schema_key *k, char *buf, size_t len);

#endif
