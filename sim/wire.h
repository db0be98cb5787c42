/*
 * wire: IPv4 and TCP on the wire.
 *
 * Encodes a struct tcp_seg into the exact bytes a host would transmit (a
 * 20-byte IPv4 header without options, the TCP header with its options, the
 * payload) with both checksums filled in, and decodes such bytes back,
 * verifying them. Also the sequence-number arithmetic modulo 2^32 that every
 * comparison of sequence numbers in the project goes through.
 *
 * RFC 791 (IPv4), RFC 9293 §3.1 (TCP header), RFC 1071 (Internet checksum),
 * RFC 9293 §3.2 and RFC 7323 (options), RFC 2018 (SACK).
 */
#ifndef TCPSIM_WIRE_H
#define TCPSIM_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* TCP control bits (RFC 9293 §3.1). */
#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_PSH 0x08
#define TH_ACK 0x10
#define TH_URG 0x20
#define TH_ECE 0x40   /* ECN-Echo (RFC 3168 §6.1) */
#define TH_CWR 0x80   /* Congestion Window Reduced (RFC 3168 §6.1) */

/*
 * The ECN field: the two low bits of the IPv4 TOS byte (RFC 3168 §5).
 * ECT(0) and ECT(1) say "ECN-capable transport"; a router that would drop
 * such a packet for congestion may set CE instead.
 */
enum ip_ecn {
	IP_ECN_NOT_ECT = 0x0,   /* 00: not ECN-capable */
	IP_ECN_ECT1 = 0x1,      /* 01: ECT(1) */
	IP_ECN_ECT0 = 0x2,      /* 10: ECT(0), what an RFC 3168 sender uses */
	IP_ECN_CE = 0x3,        /* 11: Congestion Experienced */
};
#define IP_ECN_MASK 0x3

#define IP_HDR_LEN 20
#define TCP_HDR_LEN 20
#define TCP_OPT_MAX 40
#define IP_PROTO_TCP 6
#define IP_DEFAULT_TTL 64
#define WIRE_MAX_SACK 4

struct tcp_opts {
	bool has_mss;
	bool has_wscale;
	bool sack_permitted;
	bool has_ts;
	uint8_t wscale;     /* shift count, RFC 7323 §2.2 */
	uint16_t mss;
	uint32_t ts_val, ts_ecr;
	uint8_t nsack;      /* SACK blocks present (RFC 2018) */
	struct { uint32_t left, right; } sack[WIRE_MAX_SACK];
};

/*
 * One TCP segment with its IP addressing. Addresses are host byte order
 * (192.0.2.1 is 0xC0000201). When decoding, payload points into the
 * packet that was decoded.
 */
/*
 * Writes len bytes of a stream, from offset off, into out and returns their
 * inet_sum(out, len, 0).
 */
typedef uint32_t (*wire_fill_fn)(void *ctx, uint64_t off, uint8_t *out, size_t len);

struct tcp_seg {
	uint32_t src_addr, dst_addr;
	uint16_t src_port, dst_port;
	uint32_t seq, ack;
	uint8_t flags;
	uint16_t wnd;        /* the 16-bit field as carried, unscaled */
	uint16_t urp;
	uint16_t ip_id;
	uint8_t ttl;
	uint8_t ecn;         /* the IP ECN field, enum ip_ecn (the rest of TOS is 0) */
	struct tcp_opts opt;
	const uint8_t *payload;
	uint32_t len;        /* payload bytes */
	/* Or, with fill set (payload NULL), the payload is made where the
	 * packet is: wire_encode has fill(fill_ctx, fill_off, out, len) write
	 * it into the packet and return its inet_sum, so that the bytes are
	 * written once, where they are sent from, and never read to be
	 * summed or copied (wire_seg_payload makes them elsewhere). */
	wire_fill_fn fill;
	void *fill_ctx;
	uint64_t fill_off;
};

/* s's payload: s->payload, or, for a segment with a fill, made into buf
 * (s->len bytes) by it. */
const uint8_t *wire_seg_payload(const struct tcp_seg *s, uint8_t *buf);

/* Length of the TCP options an encode of opt would write, padded to 4. */
size_t wire_opts_len(const struct tcp_opts *opt);

/*
 * Writes the IPv4 packet for s into buf (cap bytes). IP header: version 4,
 * IHL 5, TOS s->ecn (DSCP 0, RFC 3168 §5), DF set, TTL s->ttl (0 means IP_DEFAULT_TTL), id s->ip_id.
 * Options are written in the order Linux uses for a SYN
 * (MSS, SACK-permitted, timestamps, NOP, window scale; NOP padding elsewhere)
 * so captures look familiar. Returns the packet length, or 0 if it does not
 * fit in cap or in 65535 bytes.
 */
size_t wire_encode(const struct tcp_seg *s, uint8_t *buf, size_t cap);

enum wire_err {
	WIRE_OK = 0,
	WIRE_ETRUNC,      /* shorter than its headers or its IP total length */
	WIRE_EVERSION,    /* not IPv4, or IHL < 5 */
	WIRE_EPROTO,      /* not TCP, or a fragment */
	WIRE_EIPCSUM,     /* IPv4 header checksum fails */
	WIRE_ETCPCSUM,    /* TCP checksum fails */
	WIRE_EOPTS,       /* TCP data offset or an option length is malformed */
};

/* Parses and verifies pkt. On WIRE_OK *s is filled in (payload into pkt). */
enum wire_err wire_decode(const uint8_t *pkt, size_t len, struct tcp_seg *s);
/*
 * wire_decode of a packet whose bytes are known to be those wire_encode
 * wrote (sums_known_good): its two checksums are not summed again, as a
 * receiver skips what its interface already verified (Linux's
 * CHECKSUM_UNNECESSARY). Every other check is made; without
 * sums_known_good this is wire_decode.
 */
enum wire_err wire_decode_known(const uint8_t *pkt, size_t len, struct tcp_seg *s,
				bool sums_known_good);
const char *wire_strerror(enum wire_err e);

/*
 * RFC 1071 Internet checksum: the ones'-complement sum of data (an odd final
 * byte padded with zero) added to the partial sum 'initial', folded and
 * complemented. A buffer that contains a correct checksum sums to 0.
 */
uint16_t inet_checksum(const void *data, size_t len, uint32_t initial);
/* Partial (unfolded, uncomplemented) ones'-complement sum, for pseudo-headers. */
uint32_t inet_sum(const void *data, size_t len, uint32_t initial);
/* Folds a wide ones'-complement sum to 16 bits with end-around carries
 * (RFC 1071 §2 (C)): several inet_sum values added give the sum of the
 * bytes they cover, once folded. */
static inline uint32_t inet_fold(uint64_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint32_t)sum;
}
/*
 * The inet_sum of bytes whose 32-bit words, loaded in host order, add up to
 * acc (RFC 1071 §2 (C): the sum may be taken over wider words and folded).
 */
uint32_t inet_sum_of_words(uint64_t acc);
/*
 * The contribution to a sum of bytes whose own inet_sum is sum and which lie
 * at offset at of the data summed: byte-swapped when at is odd (RFC 1071 §2
 * (B), byte order independence).
 */
static inline uint32_t inet_sum_at(uint32_t sum, size_t at)
{
	return at & 1 ? ((sum >> 8 | sum << 8) & 0xffff) : sum;
}

/* Sequence space comparisons, modulo 2^32 (RFC 9293 §3.4). */
static inline bool seq_lt(uint32_t a, uint32_t b) { return (int32_t)(a - b) < 0; }
static inline bool seq_leq(uint32_t a, uint32_t b) { return (int32_t)(a - b) <= 0; }
static inline bool seq_gt(uint32_t a, uint32_t b) { return (int32_t)(a - b) > 0; }
static inline bool seq_geq(uint32_t a, uint32_t b) { return (int32_t)(a - b) >= 0; }
static inline uint32_t seq_max(uint32_t a, uint32_t b) { return seq_gt(a, b) ? a : b; }
static inline uint32_t seq_min(uint32_t a, uint32_t b) { return seq_lt(a, b) ? a : b; }
/* a <= x < b in sequence space */
static inline bool seq_in(uint32_t x, uint32_t a, uint32_t b) { return seq_leq(a, x) && seq_lt(x, b); }

/*
 * For a router on the path (the link), which sees only bytes: the ECN field
 * of the IPv4 packet pkt (len bytes; IP_ECN_NOT_ECT when too short to
 * say), and the CE mark set in place with the header checksum updated as
 * RFC 1624 eqn. 3 does it (HC' = ~(~HC + ~m + m'), m the 16-bit word that
 * holds TOS), so the packet stays valid. Marking a packet that is not ECT
 * is the caller's error (RFC 3168 §5: a router MUST NOT); wire_set_ce
 * leaves such a packet unchanged and returns false.
 */
enum ip_ecn wire_ecn(const uint8_t *pkt, size_t len);
bool wire_set_ce(uint8_t *pkt, size_t len);

/*
 * Also for the link: the TCP flags and payload length of the IPv4 packet
 * pkt (len bytes), read from the header length fields alone (RFC 791 §3.1
 * IHL and total length, RFC 9293 §3.1 data offset), checksums unverified,
 * as a middlebox classifying traffic would. False, and nothing written,
 * when it is not an unfragmented IPv4 TCP packet whose lengths agree.
 */
bool wire_peek(const uint8_t *pkt, size_t len, uint8_t *flags, uint32_t *payload_len);

/* Formats 192.0.2.1 style into buf (>= 16 bytes); returns buf. */
char *ipv4_format(uint32_t addr, char *buf);

#endif
