/*
 * seeds: seed inputs for fuzz_wire and fuzz_tcp from captures.
 *
 *   seeds WIREDIR TCPDIR CAPTURE.pcap...
 *
 * The first 12 complete IPv4 packets of at most 2048 bytes of a capture
 * (Ethernet or raw IP) become fuzz_wire inputs in WIREDIR: a mode byte of 0,
 * then the packet, whose checksums a capture of tcpsim's already gets
 * right. Each capture also
 * becomes one fuzz_tcp input in TCPDIR: the header describes the first
 * SYN's sender (the endpoint under test: its ISS, MTU from its MSS option,
 * the options it offers) and its peer (ISS, MSS, window scale, timestamps
 * from the SYN-ACK); then, in time order, the data that endpoint wrote
 * (write operations up front), and for every segment of the peer a time
 * operation to its instant and a segment operation with its absolute
 * sequence and acknowledgment numbers, flags, window and length. The
 * endpoint under test does not behave exactly as the captured one did, but
 * the input takes the fuzzer through a whole conversation at once.
 *
 * make fuzz-seeds runs sim/tcpsim on the scenarios and this on their
 * captures to refresh tests/fuzz/corpus/. See fuzz_tcp.c for the format.
 */
#define _DEFAULT_SOURCE 1   /* libpcap needs the BSD u_int types */
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire.h"

#define MAX_OPS 380

struct out {
	uint8_t b[1 << 16];
	size_t n;
};

static void put8(struct out *o, unsigned v)
{
	if (o->n < sizeof(o->b))
		o->b[o->n++] = (uint8_t)v;
}

static void put16(struct out *o, unsigned v)
{
	put8(o, v >> 8);
	put8(o, v);
}

static void put32(struct out *o, uint32_t v)
{
	put16(o, v >> 16);
	put16(o, v & 0xffff);
}

static int write_file(const char *path, const uint8_t *b, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f || fwrite(b, 1, n, f) != n || fclose(f) != 0) {
		fprintf(stderr, "seeds: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* Index in fuzz_tcp.c's MTUS[] nearest to mtu. */
static unsigned mtu_index(uint32_t mtu)
{
	static const uint32_t MTUS[] = { 1500, 68, 296, 576, 1280, 9000, 65535 };
	unsigned best = 0;

	for (unsigned i = 1; i < sizeof(MTUS) / sizeof(MTUS[0]); i++)
		if ((MTUS[i] > mtu ? MTUS[i] - mtu : mtu - MTUS[i]) <
		    (MTUS[best] > mtu ? MTUS[best] - mtu : mtu - MTUS[best]))
			best = i;
	return best;
}

struct pkt {
	uint64_t at_us;
	struct tcp_seg seg;
};

static int one_capture(const char *path, const char *wiredir, const char *tcpdir)
{
	char errbuf[PCAP_ERRBUF_SIZE], name[4096];
	pcap_t *p = pcap_open_offline(path, errbuf);
	const char *base = strrchr(path, '/');
	struct pcap_pkthdr *hdr;
	const u_char *data;
	struct pkt *pkts = NULL;
	size_t npkts = 0, cap = 0, nwire = 0;
	uint8_t *copies[1 << 14];
	int link, rc = 0;

	if (!p) {
		fprintf(stderr, "seeds: %s: %s\n", path, errbuf);
		return -1;
	}
	base = base ? base + 1 : path;
	link = pcap_datalink(p);
	while (pcap_next_ex(p, &hdr, &data) == 1 && npkts < sizeof(copies) / sizeof(copies[0])) {
		size_t off = link == DLT_EN10MB ? 14 : 0;
		uint8_t buf[1 << 16 | 1];

		if (hdr->caplen < hdr->len || hdr->caplen <= off)
			continue;
		buf[0] = 0;
		memcpy(buf + 1, data + off, hdr->caplen - off);
		snprintf(name, sizeof(name), "%s/%.*s-%04zu", wiredir,
			 (int)(strlen(base) - 5), base, nwire++);
		if (nwire <= 12 && hdr->caplen - off <= 2048 &&
		    write_file(name, buf, hdr->caplen - off + 1) != 0)
			rc = -1;
		if (npkts == cap) {
			cap = cap ? 2 * cap : 256;
			pkts = realloc(pkts, cap * sizeof(*pkts));
			if (!pkts)
				abort();
		}
		copies[npkts] = malloc(hdr->caplen - off);
		memcpy(copies[npkts], data + off, hdr->caplen - off);
		if (wire_decode(copies[npkts], hdr->caplen - off, &pkts[npkts].seg) != WIRE_OK) {
			free(copies[npkts]);
			continue;
		}
		pkts[npkts].at_us = (uint64_t)hdr->ts.tv_sec * 1000000 + (uint64_t)hdr->ts.tv_usec;
		npkts++;
	}
	pcap_close(p);

	/* The conversation: the first SYN's sender is "us". */
	{
		struct out o = { .n = 0 };
		const struct tcp_seg *syn = NULL, *synack = NULL;
		uint32_t us = 0;
		uint64_t written = 0, now_us = 0;
		unsigned ops = 0;

		for (size_t i = 0; i < npkts; i++) {
			const struct tcp_seg *s = &pkts[i].seg;
			if (!syn && (s->flags & (TH_SYN | TH_ACK)) == TH_SYN)
				syn = s, us = s->src_addr;
			else if (syn && !synack && (s->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) &&
				 s->src_addr != us)
				synack = s;
		}
		if (!syn || !synack)
			goto done;
		put8(&o, 1);                     /* SYN-SENT: the handshake comes from the capture */
		put8(&o, (syn->opt.has_wscale ? 1 : 0) | (syn->opt.has_ts ? 2 : 0) | 4 | 16 |
			 (synack->opt.has_wscale ? 64 : 0) | (synack->opt.has_ts ? 128 : 0));
		put8(&o, 0);                     /* receive buffer 131072 */
		put8(&o, 6);                     /* send buffer 1 MiB */
		put8(&o, mtu_index(syn->opt.has_mss ? syn->opt.mss + 40u : 1500));
		put8(&o, (synack->opt.has_mss ? 1 : 0) | (unsigned)(synack->opt.wscale & 15) << 4);
		put16(&o, synack->opt.mss);
		put32(&o, syn->seq);
		put32(&o, synack->seq);
		for (size_t i = 0; i < npkts; i++) {
			const struct tcp_seg *s = &pkts[i].seg;
			if (s->src_addr == us)
				written += s->len;
		}
		if (written > 1 << 20)
			written = 1 << 20;
		for (uint64_t w = 0; w < written && ops < 40; w += 32767, ops++) {
			uint64_t n = written - w > 32767 ? 32767 : written - w;
			put8(&o, 3);
			put16(&o, (unsigned)(n << 1));
		}
		for (size_t i = 0; i < npkts && ops < MAX_OPS; i++) {
			const struct tcp_seg *s = &pkts[i].seg;
			uint64_t at = pkts[i].at_us - pkts[0].at_us;

			if (s->src_addr == us) {
				if (s->flags & TH_FIN) {
					put8(&o, 5);
					ops++;
				}
				continue;
			}
			while (at >= now_us + 1000 && ops < MAX_OPS) {
				uint64_t d = (at - now_us) / 1000;   /* ms */
				if (d >= 1000) {
					uint64_t sec = d / 1000 > 55 ? 55 : d / 1000;
					put8(&o, 2);
					put8(&o, (unsigned)(199 + sec));
					now_us += sec * 1000000;
				} else {
					uint64_t ms = d > 200 ? 200 : d;
					put8(&o, 2);
					put8(&o, (unsigned)(ms - 1));
					now_us += ms * 1000;
				}
				ops++;
			}
			/* A segment with absolute seq and ack; a SYN with its options,
			 * others with timestamps if it had them. */
			put8(&o, 0);
			put8(&o, 2 | 2 << 2 | (s->flags & TH_SYN ? 0x10 : s->opt.has_ts ? 0x20 : 0));
			put8(&o, s->flags);
			put32(&o, s->seq);
			put32(&o, s->ack);
			put16(&o, s->wnd);
			put16(&o, s->len > 8192 ? 8192 : s->len);
			if (s->flags & TH_SYN) {
				put8(&o, (s->opt.has_ts ? 1 : 0) | (s->opt.has_mss ? 2 : 0) |
					 (s->opt.has_wscale ? 4 : 0) | (s->opt.sack_permitted ? 8 : 0));
				if (s->opt.has_ts)
					put8(&o, 0);
				if (s->opt.has_mss)
					put16(&o, s->opt.mss);
				if (s->opt.has_wscale)
					put8(&o, s->opt.wscale);
			}
			ops++;
		}
		snprintf(name, sizeof(name), "%s/%.*s", tcpdir, (int)(strlen(base) - 5), base);
		if (write_file(name, o.b, o.n) != 0)
			rc = -1;
	}
done:
	for (size_t i = 0; i < npkts; i++)
		free(copies[i]);
	free(pkts);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;

	if (argc < 4) {
		fprintf(stderr, "usage: %s WIREDIR TCPDIR CAPTURE.pcap...\n", argv[0]);
		return 2;
	}
	for (int i = 3; i < argc; i++)
		if (one_capture(argv[i], argv[1], argv[2]) != 0)
			rc = 1;
	return rc;
}
