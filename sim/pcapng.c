/*
 * pcapng: pcapng files written block by block (pcapng.h).
 *
 * The format is draft-ietf-opsawg-pcapng ("PCAP Now Generic"); the section
 * numbers below are that draft's. A file is a sequence of blocks, each
 * type, total length, body, total length again (§3.1), its body ending in
 * a list of options, each code, length, value padded to 32 bits (§3.5),
 * closed by opt_endofopt. This writer emits one Section Header Block, an
 * Interface Description Block per interface, and an Enhanced Packet Block
 * per packet.
 *
 * The spec lets a writer use its own byte order (§3.6.1); this one always
 * writes little-endian, byte by byte, so that a file does not depend on
 * the machine that wrote it. Every padding byte is zero (§3.6.2), and so is
 * every field not set: each header is built in a zeroed array, so no byte
 * of the file comes from uninitialised memory.
 *
 * Hot path: pcapng_packet writes the block straight to the stream, in
 * pieces (header, frame, padding, options), so a packet is copied by
 * stdio only. No allocation.
 */
#include "config.h"
#include "pcapng.h"
#include "frame.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#define USERAPPL "tcpsim " PACKAGE_VERSION

#define BT_SHB 0x0A0D0D0Au      /* §10.1, block type codes */
#define BT_IDB 0x00000001u
#define BT_EPB 0x00000006u
#define BYTE_ORDER_MAGIC 0x1A2B3C4Du

#define OPT_ENDOFOPT 0          /* §3.5, in any block */
#define OPT_COMMENT 1
#define SHB_USERAPPL 4          /* §4.1 */
#define IF_NAME 2               /* §4.2 */
#define IF_DESCRIPTION 3
#define IF_TSRESOL 9
#define EPB_FLAGS 2             /* §4.3 */
#define EPB_INBOUND 1u          /* §4.3.1, bits 0-1 */
#define EPB_OUTBOUND 2u

/*
 * The PCAP LinkType registry's codes. Bare IPv4 is LINKTYPE_IPV4, not the
 * LINKTYPE_RAW (101) of capture.c's pcap files: libpcap (1.10) turns the
 * first IDB's link type into its DLT_ value and compares every later IDB's
 * code with that, which for LINKTYPE_RAW (DLT_RAW is 12) refuses a file
 * with two interfaces; LINKTYPE_IPV4's DLT_ value is its own.
 */
#define LT_CODE_ETHERNET 1
#define LT_CODE_IPV4 228

#define TSRESOL_NS 9            /* 10^-9 s: the virtual clock's unit */
#define OPT_HDR_LEN 4           /* code, length */
#define OPT_MAX_LEN 65535       /* the length field's 16 bits */
#define IPV4_MAX_LEN 65535

/* Each block's type and total length, then its fields before the options
 * (§4.1, §4.2, §4.3); the options and the trailing length come after. */
#define SHB_HDR_LEN 24
#define IDB_HDR_LEN 16
#define EPB_HDR_LEN 28
#define TRAILER_LEN 4

struct pcapng_if {
	enum capture_linktype linktype;
	uint32_t snaplen;               /* 0: whole frames */
};

struct pcapng {
	FILE *file;                     /* the stream: the caller's, never closed here */
	int write_errno;                /* first write failure, 0 if none */
	bool full;                      /* max_bytes reached: nothing more written */
	uint64_t count;                 /* packets written */
	uint64_t bytes;                 /* file size so far */
	uint64_t max_bytes;             /* 0: no limit */
	const char *name;               /* for messages */
	struct pcapng_if ifs[PCAPNG_MAX_INTERFACES];    /* by interface id */
	int nifs;
};

/* ------------------------------------------------------------- encoding */

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

/* Zero bytes that bring n up to a multiple of 4 (§3.6.2). */
static size_t pad4(size_t n)
{
	return (4 - (n & 3)) & 3;
}

/*
 * How much of a string an option can carry: all of it, or its first
 * OPT_MAX_LEN bytes cut back to a character boundary, so that what is
 * written is still UTF-8 (§3.6.3) when the string was. 0 for NULL or "":
 * such an option is left out.
 */
static size_t opt_strlen(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > OPT_MAX_LEN)
		n = OPT_MAX_LEN;
	/* s[n] is the first byte left out (the terminating NUL if none is); a
	 * continuation byte (10xxxxxx) there means its character began before
	 * the cut. */
	while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/* Bytes a string option of n bytes takes, or 0 for none. */
static size_t opt_str_size(size_t n)
{
	return n ? OPT_HDR_LEN + n + pad4(n) : 0;
}

/* ------------------------------------------------------------- writing */

/*
 * Every block goes through block_fits, then put, then block_done: the
 * limit is checked on the whole block before any of it is written, so a
 * file never ends in half a block.
 */
static bool block_fits(struct pcapng *c, size_t total)
{
	if (c->full || c->write_errno)
		return false;
	if (c->max_bytes && c->bytes + total > c->max_bytes) {
		c->full = true;
		return false;
	}
	/* A failed write only sets the stream's error flag; errno says why. */
	errno = 0;
	return true;
}

static void put(struct pcapng *c, const void *p, size_t n)
{
	static const uint8_t zeros[4];

	fwrite(p ? p : zeros, 1, n, c->file);
}

/* An option with a value of n bytes, and its padding (§3.5). */
static void put_option(struct pcapng *c, uint16_t code, const void *val, size_t n)
{
	uint8_t h[OPT_HDR_LEN] = { 0 };

	put16(h, code);
	put16(h + 2, (uint16_t)n);
	put(c, h, sizeof(h));
	put(c, val, n);
	put(c, NULL, pad4(n));
}

static void put_str_option(struct pcapng *c, uint16_t code, const char *s, size_t n)
{
	if (n)
		put_option(c, code, s, n);
}

/* opt_endofopt closes the options, and the block length closes the block. */
static bool block_done(struct pcapng *c, size_t total)
{
	uint8_t t[OPT_HDR_LEN + TRAILER_LEN] = { 0 };   /* opt_endofopt: code 0, length 0 */

	put32(t + OPT_HDR_LEN, (uint32_t)total);
	put(c, t, sizeof(t));
	if (ferror(c->file)) {
		c->write_errno = errno ? errno : EIO;
		return false;
	}
	c->bytes += total;
	return true;
}

/* Why the capture cannot go on, in capture.c's words; 0 if it can. */
static int describe(const struct pcapng *c, char *err, size_t errlen)
{
	if (c->write_errno) {
		snprintf(err, errlen, "cannot write capture file %s: %s", c->name,
			 strerror(c->write_errno));
		return -1;
	}
	if (c->full) {
		snprintf(err, errlen, "capture file %s reached its limit of %" PRIu64
			 " bytes (--max-capture)", c->name, c->max_bytes);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- blocks */

/*
 * pcapng §4.1 Section Header Block: byte-order magic, version 1.0 (§4.1:
 * writers MUST NOT write another), section length -1 (not given: the file
 * is written as a stream), and shb_userappl. shb_hardware and shb_os are
 * left out on purpose: they would make the file depend on the machine.
 */
static bool write_shb(struct pcapng *c)
{
	size_t nappl = strlen(USERAPPL);
	size_t total = SHB_HDR_LEN + opt_str_size(nappl) + OPT_HDR_LEN + TRAILER_LEN;
	uint8_t h[SHB_HDR_LEN] = { 0 };

	if (!block_fits(c, total))
		return false;
	put32(h, BT_SHB);
	put32(h + 4, (uint32_t)total);
	put32(h + 8, BYTE_ORDER_MAGIC);
	put16(h + 12, 1);                       /* major version; minor (h + 14) 0 */
	put64(h + 16, UINT64_MAX);              /* section length -1 */
	put(c, h, sizeof(h));
	put_str_option(c, SHB_USERAPPL, USERAPPL, nappl);
	return block_done(c, total);
}

struct pcapng *pcapng_open(FILE *f, const char *name, uint64_t max_bytes,
			   char *err, size_t errlen)
{
	struct pcapng *c = calloc(1, sizeof(*c));

	if (!c) {
		snprintf(err, errlen, "%s: %s", name, strerror(ENOMEM));
		return NULL;
	}
	c->file = f;
	c->name = name;
	c->max_bytes = max_bytes;
	if (!write_shb(c)) {
		describe(c, err, errlen);
		free(c);
		return NULL;
	}
	return c;
}

/*
 * pcapng §4.2 Interface Description Block: link type, a reserved zero,
 * snaplen (0: no limit, §4.2), if_name, if_description and if_tsresol 9, so
 * that each Enhanced Packet Block's timestamp counts nanoseconds (without
 * it a reader assumes microseconds).
 */
int pcapng_add_interface(struct pcapng *c, const char *if_name, const char *if_description,
			 enum capture_linktype lt, uint32_t snaplen)
{
	size_t nname = opt_strlen(if_name), ndesc = opt_strlen(if_description);
	size_t total = IDB_HDR_LEN + opt_str_size(nname) + opt_str_size(ndesc) +
		       OPT_HDR_LEN + 4 + OPT_HDR_LEN + TRAILER_LEN;
	uint8_t h[IDB_HDR_LEN] = { 0 }, tsresol = TSRESOL_NS;

	if (c->nifs == PCAPNG_MAX_INTERFACES)
		abort();                /* more than any caller has: a bug in it */
	if (!block_fits(c, total))
		return -1;
	put32(h, BT_IDB);
	put32(h + 4, (uint32_t)total);
	put16(h + 8, lt == LINKTYPE_RAW_IP ? LT_CODE_IPV4 : LT_CODE_ETHERNET);
	put32(h + 12, snaplen);                 /* after 2 reserved zero bytes */
	put(c, h, sizeof(h));
	put_str_option(c, IF_NAME, if_name, nname);
	put_str_option(c, IF_DESCRIPTION, if_description, ndesc);
	put_option(c, IF_TSRESOL, &tsresol, 1);
	if (!block_done(c, total))
		return -1;
	c->ifs[c->nifs].linktype = lt;
	c->ifs[c->nifs].snaplen = snaplen;
	return c->nifs++;
}

/*
 * pcapng §4.3 Enhanced Packet Block: interface id, the 64-bit timestamp as
 * its upper then lower 32 bits, captured and original length, the frame
 * padded to 32 bits; then epb_flags (§4.3.1: inbound or outbound) and the
 * comment, if any.
 */
bool pcapng_packet(struct pcapng *c, int iface, uint64_t now_ns, const uint8_t *ip, size_t len,
		   bool outbound, const char *comment)
{
	uint8_t h[EPB_HDR_LEN] = { 0 }, eth[FRAME_ETH_HDR_LEN] = { 0 }, flags[4] = { 0 };
	const struct pcapng_if *ifc;
	size_t hl = 0, ncomment = opt_strlen(comment), caplen, iplen, hkept, total;

	if (iface < 0 || iface >= c->nifs)
		abort();                /* no such interface: a bug in the caller */
	ifc = &c->ifs[iface];
	if (ifc->linktype == LINKTYPE_ETHERNET) {
		frame_ethernet_header(eth, ip, len);
		hl = FRAME_ETH_HDR_LEN;
	}
	/* No IPv4 packet is longer; keeps every length within 32 bits. */
	iplen = len > IPV4_MAX_LEN ? IPV4_MAX_LEN : len;
	/* Like tcpdump -s: the first snaplen bytes of the frame are kept,
	 * and the original length still says how long it was. */
	caplen = hl + iplen;
	if (ifc->snaplen && caplen > ifc->snaplen)
		caplen = ifc->snaplen;
	total = EPB_HDR_LEN + caplen + pad4(caplen) + OPT_HDR_LEN + sizeof(flags) +
		opt_str_size(ncomment) + OPT_HDR_LEN + TRAILER_LEN;
	if (!block_fits(c, total))
		return false;
	put32(h, BT_EPB);
	put32(h + 4, (uint32_t)total);
	put32(h + 8, (uint32_t)iface);
	put32(h + 12, (uint32_t)(now_ns >> 32));
	put32(h + 16, (uint32_t)now_ns);
	put32(h + 20, (uint32_t)caplen);
	put32(h + 24, (uint32_t)(hl + len));
	put(c, h, sizeof(h));
	/* The frame: as much of the Ethernet header as snaplen keeps, then
	 * of the packet. */
	hkept = hl < caplen ? hl : caplen;
	put(c, eth, hkept);
	put(c, ip, caplen - hkept);
	put(c, NULL, pad4(caplen));
	put32(flags, outbound ? EPB_OUTBOUND : EPB_INBOUND);
	put_option(c, EPB_FLAGS, flags, sizeof(flags));
	put_str_option(c, OPT_COMMENT, comment, ncomment);
	if (!block_done(c, total))
		return false;
	c->count++;
	return true;
}

uint64_t pcapng_count(const struct pcapng *c)
{
	return c->count;
}

uint64_t pcapng_bytes(const struct pcapng *c)
{
	return c->bytes;
}

int pcapng_close(struct pcapng *c, char *err, size_t errlen)
{
	int rc;

	if (!c)
		return 0;
	/* The final flush is where a short file usually shows up (each
	 * block has looked at the stream's error flag already). */
	errno = 0;
	if (!c->write_errno && fflush(c->file) != 0)
		c->write_errno = errno ? errno : EIO;
	rc = describe(c, err, errlen);
	free(c);
	return rc;
}
