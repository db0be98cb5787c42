/*
 * taps: file outputs as observers (see taps.h).
 */
#include "taps.h"

#include <stdio.h>
#include <string.h>

#include "report.h"
#include "wire.h"

static bool pcap_tap_packet(void *ctx, const struct pkt_event *ev)
{
	struct pcap_tap *t = ctx;

	return capture_packet(t->cap, ev->time_ns, ev->data, ev->len);
}

/* Shown only the packets its host sends and receives. */
struct observer pcap_tap_observer(struct pcap_tap *t)
{
	struct observer o = { .ctx = t, .packet = pcap_tap_packet,
			      .at_hosts = OBSERVE_AT(t->host) };
	return o;
}

int pcapng_tap_init(struct pcapng_tap *t, struct pcapng *png, const uint32_t addr[2],
		    enum capture_linktype lt, uint32_t snaplen)
{
	static const char *const names[2] = { "client", "server" };

	t->png = png;
	for (int i = 0; i < 2; i++) {
		char desc[96], ip[16];

		snprintf(desc, sizeof(desc), "%s, the %s's side of the link", ipv4_format(addr[i], ip),
			 names[i]);
		t->iface[i] = pcapng_add_interface(png, names[i], desc, lt, snaplen);
		if (t->iface[i] < 0)
			return -1;
	}
	return 0;
}

size_t pcapng_tap_comment(const struct pkt_event *ev, char *buf, size_t len)
{
	const struct link_verdict *v = ev->verdict;
	size_t n = 0;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (ev->kind == PKT_SENT) {
		n = tcp_why_format(ev->why, ev->seg, buf, len);
		if (n + 4 < len && (link_fate_dropped(v->fate) || v->reorder_ns || v->corrupt ||
				    v->ce || v->rule_delay_ns || v->copies || v->jitter_ns)) {
			memcpy(buf + n, " | ", 4);
			n += 3;
			n += link_verdict_format(ev->link, v, buf + n, len - n);
		}
		return n;
	}
	/* On arrival: what the receiving host can tell. */
	if (ev->checksum_bad)
		n = (size_t)snprintf(buf, len, "checksum error: discarded by the %s",
				     ev->at == HOST_CLIENT ? "client" : "server");
	else if (v->reorder_ns && v->ce)
		n = (size_t)snprintf(buf, len, "held back %g ms by the link; marked CE by its queue",
				     (double)v->reorder_ns / 1e6);
	else if (v->reorder_ns)
		n = (size_t)snprintf(buf, len, "held back %g ms by the link", (double)v->reorder_ns / 1e6);
	else if (v->ce)
		n = (size_t)snprintf(buf, len, "marked CE by the link's queue");
	return n < len ? n : len - 1;
}

static bool pcapng_tap_packet(void *ctx, const struct pkt_event *ev)
{
	struct pcapng_tap *t = ctx;
	char note[512];

	pcapng_tap_comment(ev, note, sizeof(note));
	return pcapng_packet(t->png, t->iface[ev->at], ev->time_ns, ev->data, ev->len,
			     ev->kind == PKT_SENT, note);
}

struct observer pcapng_tap_observer(struct pcapng_tap *t)
{
	struct observer o = { .ctx = t, .packet = pcapng_tap_packet };
	return o;
}

static void trace_tap_row(void *ctx, const struct trace_row *row)
{
	report_trace_row(ctx, row);
}

struct observer trace_tap_observer(FILE *f)
{
	struct observer o = { .ctx = f, .trace = trace_tap_row };
	return o;
}
