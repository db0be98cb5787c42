/*
 * taps: file outputs as observers (see taps.h).
 */
#include "taps.h"

#include "report.h"

static bool pcap_tap_packet(void *ctx, const struct pkt_event *ev)
{
	struct pcap_tap *t = ctx;

	if (ev->at != t->host)
		return true;
	return capture_packet(t->cap, ev->time_ns, ev->data, ev->len);
}

struct observer pcap_tap_observer(struct pcap_tap *t)
{
	struct observer o = { .ctx = t, .packet = pcap_tap_packet };
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
