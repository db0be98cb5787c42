/*
 * wire: the bytes of an IPv4 + TCP packet, both ways.
 *
 * This file owns the Internet checksum (inet_sum, inet_checksum), the
 * encoder that turns a struct tcp_seg into a packet (wire_encode,
 * wire_opts_len), the decoder that verifies and parses one (wire_decode,
 * wire_strerror) and ipv4_format. The sequence-number helpers are inline in
 * wire.h.
 *
 * Callers: tcp_output encodes every segment it sends; the receiving host
 * decodes every packet a link delivers (a packet that fails to decode is
 * dropped and counted, as a real stack would). capture never looks inside.
 *
 * Hot path: the checksum runs over every packet, so it loads 32-bit words
 * (through memcpy: any alignment, no aliasing games) into a 64-bit
 * accumulator and folds once at the end. Nothing here allocates.
 *
 * RFC 791 (IPv4 header), RFC 1071 (checksum), RFC 9293 §3.1 (TCP header,
 * pseudo-header) and §3.2 (options), RFC 7323 (window scale, timestamps),
 * RFC 2018 (SACK).
 */
#include "config.h"
#include "wire.h"

#include <stdio.h>
#include <string.h>
#ifdef HAVE_SYS_PLATFORM_X86_H
#include <sys/platform/x86.h>
#endif

/* TCP option kinds and lengths (RFC 9293 §3.2, RFC 7323 §2-3, RFC 2018 §2-3). */
enum {
	TCPOPT_EOL = 0,
	TCPOPT_NOP = 1,
	TCPOPT_MSS = 2,
	TCPOPT_WSCALE = 3,
	TCPOPT_SACK_PERM = 4,
	TCPOPT_SACK = 5,
	TCPOPT_TS = 8,
};
#define TCPOLEN_MSS 4
#define TCPOLEN_WSCALE 3
#define TCPOLEN_SACK_PERM 2
#define TCPOLEN_TS 10
#define TCPOLEN_SACK_BASE 2
#define TCPOLEN_SACK_BLOCK 8

/* RFC 791 §3.1: flags and fragment offset share one 16-bit field. */
#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFMASK 0x1fff

#define IP_MAX_LEN 65535u

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* ---------------------------------------------------------------- checksum */

/* Constant-folded by the compiler; portable where __BYTE_ORDER__ is not. */
static inline bool host_is_little_endian(void)
{
	const uint16_t one = 1;
	uint8_t first;

	memcpy(&first, &one, 1);
	return first == 1;
}

/*
 * RFC 1071 §2: the ones'-complement sum is independent of byte order (B) and
 * may be computed over wider words and folded afterwards (C, D). So words are
 * loaded in host order, summed in blocks of 64 bytes (sum_blocks), the rest
 * 32 bits at a time into 64 bits, folded to 16
 * bits, and byte-swapped once on a little-endian host to give the big-endian
 * (network order) sum.
 *
 * The result is folded to at most 0xffff, which is a valid partial sum: a
 * caller may add several of them in a uint32_t without overflow. The sum of
 * a buffer that is entirely zero is 0; otherwise a "ones'-complement zero"
 * comes out as 0xffff.
 */
/*
 * The sum of 64-byte blocks, 16-bit words added in 32-bit lanes of 32-byte
 * vectors: each lane takes the two halves of one 32-bit word per load, at
 * most 2 * 0xffff, so the lanes are emptied into the 64-bit total every
 * 2^14 blocks (1 MiB), long before they could overflow. On x86-64 with
 * glibc it is compiled twice, for the baseline and for AVX2, and the AVX2
 * one runs where glibc's start-up found AVX2 usable (<sys/platform/x86.h>
 * reads what the loader already knows; a target_clones resolver would ask
 * the processor again with cpuid, which a virtual machine makes slow, in
 * every process). Both give the same sum.
 */
typedef uint32_t sum_lanes __attribute__((vector_size(32)));

static inline __attribute__((always_inline)) uint64_t sum_blocks_any(const uint8_t *p,
								     size_t blocks)
{
	uint64_t total = 0;

	while (blocks > 0) {
		size_t run = blocks < 16384 ? blocks : 16384;
		sum_lanes lo = { 0 }, hi = { 0 };

		blocks -= run;
		for (; run > 0; run--, p += 64) {
			sum_lanes a, b;
			memcpy(&a, p, sizeof(a));
			memcpy(&b, p + 32, sizeof(b));
			lo += (a & 0xffff) + (b & 0xffff);
			hi += (a >> 16) + (b >> 16);
		}
		for (int i = 0; i < 8; i++)
			total += (uint64_t)lo[i] + hi[i];
	}
	return total;
}

#if defined(__x86_64__) && defined(__GNUC__) && defined(HAVE_SYS_PLATFORM_X86_H)
__attribute__((target("avx2"))) static uint64_t sum_blocks_avx2(const uint8_t *p, size_t blocks)
{
	return sum_blocks_any(p, blocks);
}

static uint64_t sum_blocks(const uint8_t *p, size_t blocks)
{
	static int avx2 = -1;

	if (avx2 < 0)
		avx2 = CPU_FEATURE_ACTIVE(AVX2) ? 1 : 0;
	return avx2 ? sum_blocks_avx2(p, blocks) : sum_blocks_any(p, blocks);
}
#else
static uint64_t sum_blocks(const uint8_t *p, size_t blocks)
{
	return sum_blocks_any(p, blocks);
}
#endif

uint32_t inet_sum_of_words(uint64_t acc)
{
	uint32_t sum = inet_fold(acc);

	if (host_is_little_endian())
		sum = (sum >> 8 | sum << 8) & 0xffff;
	return sum;
}

uint32_t inet_sum(const void *data, size_t len, uint32_t initial)
{
	const uint8_t *p = data;
	uint64_t acc = sum_blocks(p, len / 64);
	uint32_t w0, w1, w2, w3;
	uint16_t h;

	p += len / 64 * 64;
	len %= 64;
	while (len >= 16) {
		memcpy(&w0, p, 4);
		memcpy(&w1, p + 4, 4);
		memcpy(&w2, p + 8, 4);
		memcpy(&w3, p + 12, 4);
		acc += (uint64_t)w0 + w1 + w2 + w3;
		p += 16;
		len -= 16;
	}
	while (len >= 4) {
		memcpy(&w0, p, 4);
		acc += w0;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		memcpy(&h, p, 2);
		acc += h;
		p += 2;
		len -= 2;
	}
	if (len) {
		/*
		 * RFC 1071 §4.1: an odd final byte is the high byte of a
		 * word padded with zero. Loading it into the first byte of
		 * a zeroed host-order word puts it where the final swap
		 * (if any) expects it.
		 */
		h = 0;
		memcpy(&h, p, 1);
		acc += h;
	}

	return inet_fold((uint64_t)inet_sum_of_words(acc) + initial);
}

uint16_t inet_checksum(const void *data, size_t len, uint32_t initial)
{
	return (uint16_t)~inet_sum(data, len, initial);
}

/* RFC 9293 §3.1: source, destination, zero, PTCL, TCP length. */
static uint32_t pseudo_sum(uint32_t src, uint32_t dst, uint32_t tcp_len)
{
	return (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) +
	       IP_PROTO_TCP + tcp_len;
}

/* ----------------------------------------------------------------- options */

/*
 * How many SACK blocks fit beside the other options. RFC 2018 §3 and §4: a
 * receiver includes as many blocks as the option space allows (4 alone, 3
 * beside timestamps), the first being the most recent; the rest are left
 * off. Encoding therefore never fails for lack of option space.
 */
static unsigned sack_blocks_that_fit(const struct tcp_opts *opt, size_t used)
{
	unsigned n = opt->nsack;
	size_t room;

	if (n > WIRE_MAX_SACK)
		n = WIRE_MAX_SACK;
	if (n == 0 || used + 4 + TCPOLEN_SACK_BLOCK > TCP_OPT_MAX)
		return 0;
	room = (TCP_OPT_MAX - used - 4) / TCPOLEN_SACK_BLOCK;
	return n < room ? n : (unsigned)room;
}

/* Everything but SACK blocks; every piece is already a multiple of 4. */
static size_t fixed_opts_len(const struct tcp_opts *opt)
{
	size_t n = 0;

	if (opt->has_mss)
		n += 4;
	if (opt->has_ts)
		n += 12;        /* SACK-permitted rides in the two NOPs */
	else if (opt->sack_permitted)
		n += 4;
	if (opt->has_wscale)
		n += 4;
	return n;
}

size_t wire_opts_len(const struct tcp_opts *opt)
{
	size_t n = fixed_opts_len(opt);
	unsigned nsack = sack_blocks_that_fit(opt, n);

	if (nsack)
		n += 4 + (size_t)nsack * TCPOLEN_SACK_BLOCK;
	return n;
}

/* Two option bytes as the 16-bit word they make in network order, and a
 * 32-bit field as two: the options' RFC 1071 sum, from the values written. */
static inline uint32_t word16(unsigned hi, unsigned lo)
{
	return (uint32_t)hi << 8 | lo;
}

static inline uint32_t words32(uint32_t v)
{
	return (v >> 16) + (v & 0xffff);
}

/*
 * Writes the options in the layout Linux uses (tcp_options_write), so that
 * captures look like the ones readers already know, every option 4-byte
 * aligned by NOPs and no EOL needed:
 *   MSS                        02 04 mss
 *   SACK-permitted + TS        04 02 08 0a val ecr
 *   TS alone                   01 01 08 0a val ecr
 *   SACK-permitted alone       01 01 04 02
 *   window scale               01 03 03 shift
 *   SACK blocks                01 01 05 len left right ...
 * On a SYN the TCP layer sets MSS, SACK-permitted and window scale; on other
 * segments only timestamps and SACK blocks. This function writes what opt
 * asks for and leaves that policy (RFC 9293 §3.7.1, RFC 7323 §2.2, RFC 2018
 * §2) to the caller, so wire_opts_len needs nothing but opt.
 * Returns the bytes written, which equals wire_opts_len(opt); *sum gets
 * the sum of their 16-bit words (RFC 1071 §2), made from the values written
 * rather than read back (see header_sum).
 */
static size_t write_opts(const struct tcp_opts *opt, uint8_t *p, uint64_t *sum)
{
	uint8_t *start = p;
	uint64_t acc = 0;
	unsigned nsack, i;

	if (opt->has_mss) {
		p[0] = TCPOPT_MSS;
		p[1] = TCPOLEN_MSS;
		put16(p + 2, opt->mss);
		acc += word16(TCPOPT_MSS, TCPOLEN_MSS) + opt->mss;
		p += 4;
	}
	if (opt->has_ts) {
		if (opt->sack_permitted) {
			p[0] = TCPOPT_SACK_PERM;
			p[1] = TCPOLEN_SACK_PERM;
			acc += word16(TCPOPT_SACK_PERM, TCPOLEN_SACK_PERM);
		} else {
			p[0] = TCPOPT_NOP;
			p[1] = TCPOPT_NOP;
			acc += word16(TCPOPT_NOP, TCPOPT_NOP);
		}
		p[2] = TCPOPT_TS;
		p[3] = TCPOLEN_TS;
		put32(p + 4, opt->ts_val);
		put32(p + 8, opt->ts_ecr);
		acc += word16(TCPOPT_TS, TCPOLEN_TS) + words32(opt->ts_val) + words32(opt->ts_ecr);
		p += 12;
	} else if (opt->sack_permitted) {
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_SACK_PERM;
		p[3] = TCPOLEN_SACK_PERM;
		acc += word16(TCPOPT_NOP, TCPOPT_NOP) + word16(TCPOPT_SACK_PERM, TCPOLEN_SACK_PERM);
		p += 4;
	}
	if (opt->has_wscale) {
		/* RFC 7323 §2.2: sent as is; the receiver clamps to 14. */
		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_WSCALE;
		p[2] = TCPOLEN_WSCALE;
		p[3] = opt->wscale;
		acc += word16(TCPOPT_NOP, TCPOPT_WSCALE) + word16(TCPOLEN_WSCALE, opt->wscale);
		p += 4;
	}
	nsack = sack_blocks_that_fit(opt, (size_t)(p - start));
	if (nsack) {
		uint8_t len = (uint8_t)(TCPOLEN_SACK_BASE + nsack * TCPOLEN_SACK_BLOCK);

		p[0] = TCPOPT_NOP;
		p[1] = TCPOPT_NOP;
		p[2] = TCPOPT_SACK;
		p[3] = len;
		acc += word16(TCPOPT_NOP, TCPOPT_NOP) + word16(TCPOPT_SACK, len);
		p += 4;
		for (i = 0; i < nsack; i++) {
			put32(p, opt->sack[i].left);
			put32(p + 4, opt->sack[i].right);
			acc += words32(opt->sack[i].left) + words32(opt->sack[i].right);
			p += 8;
		}
	}
	*sum = acc;
	return (size_t)(p - start);
}

/* ------------------------------------------------------------------ encode */

/*
 * The sum of five 16-bit fields and two 32-bit ones, as the header carries
 * them in network order: RFC 1071 §2's sum of big-endian words is the sum
 * of the fields' values. The headers' fixed parts are summed from the values
 * written rather than read back: a 32-bit load of bytes just stored one or
 * two at a time waits for the stores to reach the cache.
 */
static inline uint64_t header_sum(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e,
				  uint32_t w1, uint32_t w2)
{
	return (uint64_t)a + b + c + d + e + (w1 >> 16) + (w1 & 0xffff) + (w2 >> 16) +
	       (w2 & 0xffff);
}

const uint8_t *wire_seg_payload(const struct tcp_seg *s, uint8_t *buf)
{
	if (!s->fill)
		return s->payload;
	s->fill(s->fill_ctx, s->fill_off, buf, s->len);
	return buf;
}

size_t wire_encode(const struct tcp_seg *s, uint8_t *buf, size_t cap)
{
	size_t optlen = wire_opts_len(&s->opt);
	size_t tcp_hlen = TCP_HDR_LEN + optlen;
	size_t total;
	uint8_t *ip = buf, *th = buf + IP_HDR_LEN;
	uint32_t pseudo, payload_sum = 0;
	uint64_t sum, opt_sum;

	/* Checked apart first so the sum cannot wrap a 32-bit size_t. */
	if (s->len > IP_MAX_LEN)
		return 0;
	total = IP_HDR_LEN + tcp_hlen + (size_t)s->len;
	if (total > IP_MAX_LEN || total > cap)
		return 0;

	/* RFC 791 §3.1: the header without options, checksum computed last. */
	ip[0] = 0x45;                           /* version 4, IHL 5 */
	ip[1] = s->ecn & IP_ECN_MASK;           /* TOS: DSCP 0, the ECN field (RFC 3168 §5) */
	put16(ip + 2, (uint16_t)total);
	put16(ip + 4, s->ip_id);
	put16(ip + 6, IP_DF);                   /* DF, as Linux sends TCP */
	ip[8] = s->ttl ? s->ttl : IP_DEFAULT_TTL;
	ip[9] = IP_PROTO_TCP;
	put32(ip + 12, s->src_addr);
	put32(ip + 16, s->dst_addr);
	put16(ip + 10, (uint16_t)~inet_fold(header_sum(ip[0] << 8 | ip[1], total, s->ip_id, IP_DF,
						   ip[8] << 8 | ip[9], s->src_addr,
						   s->dst_addr)));

	/* RFC 9293 §3.1: the TCP header. */
	put16(th + 0, s->src_port);
	put16(th + 2, s->dst_port);
	put32(th + 4, s->seq);
	put32(th + 8, s->ack);
	th[12] = (uint8_t)((tcp_hlen / 4) << 4);  /* data offset; reserved 0 */
	th[13] = s->flags;
	put16(th + 14, s->wnd);
	put16(th + 16, 0);
	put16(th + 18, s->urp);
	write_opts(&s->opt, th + TCP_HDR_LEN, &opt_sum);
	if (s->len && s->fill) {
		payload_sum = s->fill(s->fill_ctx, s->fill_off, th + tcp_hlen, s->len);
	} else if (s->len) {
		memcpy(th + tcp_hlen, s->payload, s->len);
		payload_sum = inet_sum(th + tcp_hlen, s->len, 0);
	}

	/* RFC 9293 §3.1: checksum over the pseudo-header, header and text.
	 * The header's length is even, so the text's own sum adds to the
	 * header's as it stands (RFC 1071 §2 (A), (B)). */
	pseudo = pseudo_sum(s->src_addr, s->dst_addr, (uint32_t)(total - IP_HDR_LEN));
	sum = header_sum(s->src_port, s->dst_port, th[12] << 8 | s->flags, s->wnd, s->urp,
			 s->seq, s->ack) + pseudo;
	sum += opt_sum;
	put16(th + 16, (uint16_t)~inet_fold(sum + payload_sum));
	return total;
}

/* ------------------------------------------------------------------ decode */

/* The empty segment decoding starts from: copied, not cleared with memset,
 * which compilers make a rep stos that costs more on every packet. */
static const struct tcp_seg seg_none;

/*
 * RFC 9293 §3.2: options are either a single kind byte (EOL, NOP) or kind,
 * length (counting both), data. EOL ends the list; an unknown kind is
 * skipped by its length (RFC 9293 §3.2 "must be prepared to handle"); a
 * length below 2, one running past the header, or a known kind with the
 * wrong length makes the segment malformed. A repeated option overwrites the
 * earlier one. Window scale is stored as received (RFC 7323 §2.3 clamps to
 * 14; the TCP layer does that).
 */
static enum wire_err parse_opts(const uint8_t *p, size_t n, struct tcp_opts *o)
{
	size_t i = 0, olen, k;

	while (i < n) {
		uint8_t kind = p[i];

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= n)
			return WIRE_EOPTS;
		olen = p[i + 1];
		if (olen < 2 || olen > n - i)
			return WIRE_EOPTS;
		switch (kind) {
		case TCPOPT_MSS:
			if (olen != TCPOLEN_MSS)
				return WIRE_EOPTS;
			o->has_mss = true;
			o->mss = get16(p + i + 2);
			break;
		case TCPOPT_WSCALE:
			if (olen != TCPOLEN_WSCALE)
				return WIRE_EOPTS;
			o->has_wscale = true;
			o->wscale = p[i + 2];
			break;
		case TCPOPT_SACK_PERM:
			if (olen != TCPOLEN_SACK_PERM)
				return WIRE_EOPTS;
			o->sack_permitted = true;
			break;
		case TCPOPT_SACK:
			/* RFC 2018 §3: 2 + 8n bytes, n >= 1. */
			if (olen < TCPOLEN_SACK_BASE + TCPOLEN_SACK_BLOCK ||
			    (olen - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_BLOCK)
				return WIRE_EOPTS;
			o->nsack = 0;
			for (k = i + 2; k < i + olen && o->nsack < WIRE_MAX_SACK;
			     k += TCPOLEN_SACK_BLOCK) {
				o->sack[o->nsack].left = get32(p + k);
				o->sack[o->nsack].right = get32(p + k + 4);
				o->nsack++;
			}
			break;
		case TCPOPT_TS:
			if (olen != TCPOLEN_TS)
				return WIRE_EOPTS;
			o->has_ts = true;
			o->ts_val = get32(p + i + 2);
			o->ts_ecr = get32(p + i + 6);
			break;
		default:
			break;
		}
		i += olen;
	}
	return WIRE_OK;
}

enum wire_err wire_decode(const uint8_t *pkt, size_t len, struct tcp_seg *s)
{
	return wire_decode_known(pkt, len, s, false);
}

enum wire_err wire_decode_known(const uint8_t *pkt, size_t len, struct tcp_seg *s,
				bool sums_known_good)
{
	size_t ihl, total, tcp_len, doff;
	uint16_t frag;
	uint32_t src, dst;
	const uint8_t *th;
	enum wire_err e;

	/* RFC 791 §3.1: version, IHL, total length. */
	if (len < IP_HDR_LEN)
		return WIRE_ETRUNC;
	if ((pkt[0] >> 4) != 4 || (pkt[0] & 0x0f) < 5)
		return WIRE_EVERSION;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	total = get16(pkt + 2);
	/* Bytes past the total length (Ethernet padding) are not ours. */
	if (total > len || total < ihl + TCP_HDR_LEN)
		return WIRE_ETRUNC;
	frag = get16(pkt + 6);
	if (pkt[9] != IP_PROTO_TCP || (frag & (IP_MF | IP_OFFMASK)))
		return WIRE_EPROTO;
	if (!sums_known_good && inet_sum(pkt, ihl, 0) != 0xffff)
		return WIRE_EIPCSUM;

	/* RFC 9293 §3.1: data offset, then the checksum with pseudo-header. */
	th = pkt + ihl;
	tcp_len = total - ihl;
	doff = (size_t)(th[12] >> 4) * 4;
	if (doff < TCP_HDR_LEN || doff > tcp_len)
		return WIRE_EOPTS;
	src = get32(pkt + 12);
	dst = get32(pkt + 16);
	if (!sums_known_good &&
	    inet_sum(th, tcp_len, pseudo_sum(src, dst, (uint32_t)tcp_len)) != 0xffff)
		return WIRE_ETCPCSUM;

	*s = seg_none;
	e = parse_opts(th + TCP_HDR_LEN, doff - TCP_HDR_LEN, &s->opt);
	if (e != WIRE_OK)
		return e;
	s->src_addr = src;
	s->dst_addr = dst;
	s->ip_id = get16(pkt + 4);
	s->ttl = pkt[8];
	s->ecn = pkt[1] & IP_ECN_MASK;
	s->src_port = get16(th);
	s->dst_port = get16(th + 2);
	s->seq = get32(th + 4);
	s->ack = get32(th + 8);
	s->flags = th[13];
	s->wnd = get16(th + 14);
	s->urp = get16(th + 18);
	s->payload = th + doff;
	s->len = (uint32_t)(tcp_len - doff);
	return WIRE_OK;
}

bool wire_peek(const uint8_t *pkt, size_t len, uint8_t *flags, uint32_t *payload_len)
{
	size_t ihl, total, doff;

	if (len < IP_HDR_LEN || (pkt[0] >> 4) != 4 || (pkt[0] & 0x0f) < 5)
		return false;
	ihl = (size_t)(pkt[0] & 0x0f) * 4;
	total = get16(pkt + 2);
	if (total > len || total < ihl + TCP_HDR_LEN || pkt[9] != IP_PROTO_TCP ||
	    (get16(pkt + 6) & (IP_MF | IP_OFFMASK)))
		return false;
	doff = (size_t)(pkt[ihl + 12] >> 4) * 4;
	if (doff < TCP_HDR_LEN || doff > total - ihl)
		return false;
	*flags = pkt[ihl + 13];
	*payload_len = (uint32_t)(total - ihl - doff);
	return true;
}

/* ------------------------------------------------------------ ECN marks */

enum ip_ecn wire_ecn(const uint8_t *pkt, size_t len)
{
	if (len < IP_HDR_LEN)
		return IP_ECN_NOT_ECT;
	return (enum ip_ecn)(pkt[1] & IP_ECN_MASK);
}

bool wire_set_ce(uint8_t *pkt, size_t len)
{
	uint16_t old_word, new_word;
	uint32_t sum;

	if (wire_ecn(pkt, len) == IP_ECN_NOT_ECT)
		return false;
	/* RFC 1624 §3, eqn. 3: HC' = ~(~HC + ~m + m'), in ones'-complement
	 * arithmetic, m the old and m' the new value of bytes 0-1 (version,
	 * IHL and TOS). Eqn. 3 rather than RFC 1141's eqn. 2, which can give
	 * 0x0000 where a full recompute gives 0xffff. */
	old_word = get16(pkt);
	pkt[1] |= IP_ECN_CE;
	new_word = get16(pkt);
	sum = (uint32_t)(uint16_t)~get16(pkt + 10) + (uint16_t)~old_word + new_word;
	put16(pkt + 10, (uint16_t)~inet_fold(sum));
	return true;
}

const char *wire_strerror(enum wire_err e)
{
	switch (e) {
	case WIRE_OK:
		return "ok";
	case WIRE_ETRUNC:
		return "truncated packet";
	case WIRE_EVERSION:
		return "not an IPv4 header";
	case WIRE_EPROTO:
		return "not TCP or a fragment";
	case WIRE_EIPCSUM:
		return "bad IP header checksum";
	case WIRE_ETCPCSUM:
		return "bad TCP checksum";
	case WIRE_EOPTS:
		return "malformed TCP options";
	}
	return "unknown wire error";
}

char *ipv4_format(uint32_t addr, char *buf)
{
	/* 255.255.255.255 plus the terminator is exactly 16 bytes. */
	snprintf(buf, 16, "%u.%u.%u.%u", (unsigned)(addr >> 24),
		 (unsigned)(addr >> 16 & 0xff), (unsigned)(addr >> 8 & 0xff),
		 (unsigned)(addr & 0xff));
	return buf;
}
