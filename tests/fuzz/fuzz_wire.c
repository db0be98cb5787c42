/*
 * fuzz_wire: the wire decoder on raw IPv4/TCP bytes, and the round trip.
 *
 * Input: one mode byte, then the packet. With bit 0 of the mode set, both
 * checksums are filled in first, so that most inputs get past the checksum
 * tests to the header and option parser.
 *
 * Properties: wire_decode never reads outside the packet and either
 * refuses it with a known error or returns a segment whose payload lies
 * inside it. Then decode -> encode -> decode gives the same segment, field
 * by field and byte by byte, except for what wire_encode documents that it
 * does not carry: a TTL of 0 goes out as IP_DEFAULT_TTL, unknown options,
 * IP options and padding are not kept, and SACK blocks beyond what fits
 * beside the other options in its aligned layout are left off, the first
 * ones kept (RFC 2018 §3). The encoding refuses only a packet over 65535
 * bytes, and encoding the decoded encoding gives the very same bytes.
 */
#include "fuzz.h"

#include <string.h>

#include "wire.h"

#define MAXPKT 65535

static uint8_t in[MAXPKT], out1[MAXPKT + 64], out2[MAXPKT + 64];

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* RFC 791 and RFC 9293 §3.1 checksums over what the header says is there. */
static void fill_checksums(uint8_t *p, size_t len)
{
	size_t ihl, total;
	uint32_t pseudo = 0;

	if (len < 20)
		return;
	ihl = (size_t)(p[0] & 0x0f) * 4;
	if (ihl < 20 || ihl > len)
		return;
	put16(p + 10, 0);
	put16(p + 10, inet_checksum(p, ihl, 0));
	total = get16(p + 2);
	if (total > len || total < ihl + 20)
		return;
	for (int i = 12; i < 20; i += 2)
		pseudo += get16(p + i);
	pseudo += p[9] + (uint32_t)(total - ihl);
	put16(p + ihl + 16, 0);
	put16(p + ihl + 16, inet_checksum(p + ihl, total - ihl, pseudo));
}

/* SACK blocks the encoder keeps beside the other options of o (RFC 2018 §3). */
static unsigned sack_kept(const struct tcp_opts *o)
{
	size_t fixed = (o->has_mss ? 4 : 0) + (o->has_ts ? 12 : o->sack_permitted ? 4 : 0) +
		       (o->has_wscale ? 4 : 0);
	unsigned room = fixed + 4 + 8 <= TCP_OPT_MAX ? (unsigned)((TCP_OPT_MAX - fixed - 4) / 8) : 0;

	return o->nsack < room ? o->nsack : room;
}

static void same_segment(const struct tcp_seg *a, const struct tcp_seg *b)
{
	FUZZ_ASSERT(a->src_addr == b->src_addr && a->dst_addr == b->dst_addr, "addresses");
	FUZZ_ASSERT(a->src_port == b->src_port && a->dst_port == b->dst_port, "ports");
	FUZZ_ASSERT(a->seq == b->seq, "seq %u, then %u", a->seq, b->seq);
	FUZZ_ASSERT(a->ack == b->ack, "ack %u, then %u", a->ack, b->ack);
	FUZZ_ASSERT(a->flags == b->flags, "flags 0x%02x, then 0x%02x", a->flags, b->flags);
	FUZZ_ASSERT(a->wnd == b->wnd && a->urp == b->urp, "window or urgent pointer");
	FUZZ_ASSERT(a->ip_id == b->ip_id, "IP id");
	FUZZ_ASSERT((a->ttl ? a->ttl : IP_DEFAULT_TTL) == b->ttl, "TTL %u, then %u", a->ttl, b->ttl);
	FUZZ_ASSERT(a->opt.has_mss == b->opt.has_mss && (!a->opt.has_mss || a->opt.mss == b->opt.mss),
		    "MSS option");
	FUZZ_ASSERT(a->opt.has_wscale == b->opt.has_wscale &&
		    (!a->opt.has_wscale || a->opt.wscale == b->opt.wscale), "window scale option");
	FUZZ_ASSERT(a->opt.sack_permitted == b->opt.sack_permitted, "SACK-permitted option");
	FUZZ_ASSERT(a->opt.has_ts == b->opt.has_ts &&
		    (!a->opt.has_ts || (a->opt.ts_val == b->opt.ts_val &&
					a->opt.ts_ecr == b->opt.ts_ecr)), "timestamps option");
	FUZZ_ASSERT(b->opt.nsack == sack_kept(&a->opt), "%u SACK blocks, then %u (%u kept)",
		    a->opt.nsack, b->opt.nsack, sack_kept(&a->opt));
	for (unsigned i = 0; i < b->opt.nsack; i++)
		FUZZ_ASSERT(a->opt.sack[i].left == b->opt.sack[i].left &&
			    a->opt.sack[i].right == b->opt.sack[i].right, "SACK block %u", i);
	FUZZ_ASSERT(a->len == b->len, "payload %u bytes, then %u", a->len, b->len);
	FUZZ_ASSERT(a->len == 0 || memcmp(a->payload, b->payload, a->len) == 0, "payload bytes");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tcp_seg s, t, u;
	enum wire_err e;
	size_t len, n1, n2, optlen, need;

	if (size < 1)
		return 0;
	len = size - 1 > MAXPKT ? MAXPKT : size - 1;
	memcpy(in, data + 1, len);
	if (data[0] & 1)
		fill_checksums(in, len);

	e = wire_decode(in, len, &s);
	FUZZ_ASSERT(e >= WIRE_OK && e <= WIRE_EOPTS, "unknown error %d", (int)e);
	FUZZ_ASSERT(strcmp(wire_strerror(e), "unknown wire error") != 0, "error %d has no text", e);
	if (e != WIRE_OK)
		return 0;
	FUZZ_ASSERT(s.len <= len && s.payload >= in && s.payload + s.len <= in + len,
		    "payload outside the packet");
	FUZZ_ASSERT(s.opt.nsack <= WIRE_MAX_SACK, "%u SACK blocks", s.opt.nsack);

	optlen = wire_opts_len(&s.opt);
	FUZZ_ASSERT(optlen <= TCP_OPT_MAX && optlen % 4 == 0, "options of %zu bytes", optlen);
	need = IP_HDR_LEN + TCP_HDR_LEN + optlen + s.len;
	n1 = wire_encode(&s, out1, sizeof(out1));
	if (need > MAXPKT) {
		FUZZ_ASSERT(n1 == 0, "encoded %zu bytes beyond 65535", n1);
		return 0;
	}
	FUZZ_ASSERT(n1 == need, "encoded %zu bytes, expected %zu", n1, need);
	e = wire_decode(out1, n1, &t);
	FUZZ_ASSERT(e == WIRE_OK, "the encoding does not decode: %s", wire_strerror(e));
	same_segment(&s, &t);

	n2 = wire_encode(&t, out2, sizeof(out2));
	FUZZ_ASSERT(n2 == n1 && memcmp(out1, out2, n1) == 0, "encoding is not a fixed point");
	e = wire_decode(out2, n2, &u);
	FUZZ_ASSERT(e == WIRE_OK, "second decode: %s", wire_strerror(e));
	return 0;
}
