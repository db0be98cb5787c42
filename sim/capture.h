/*
 * capture: what tcpdump on a simulated host would have written.
 *
 * A pcap file (libpcap's writer, nanosecond timestamps since the virtual
 * clock is in nanoseconds) with either Ethernet framing (LINKTYPE_ETHERNET;
 * each host's MAC is the locally administered 02:00 followed by its IPv4
 * address) or bare IPv4 (LINKTYPE_RAW). Timestamps are the virtual time: a
 * run starts at the Unix epoch.
 *
 * The file is written under PATH.part and renamed to PATH by
 * capture_close(c, true), so an interrupted or failed run never leaves a
 * half-written capture under the final name.
 */
#ifndef TCPSIM_CAPTURE_H
#define TCPSIM_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenario.h"

struct capture;

/*
 * Returns NULL with a message in err if the file cannot be created. snaplen:
 * bytes kept of each frame (tcpdump -s), 0 for all of it.
 */
struct capture *capture_open(const char *path, enum capture_linktype lt, uint32_t snaplen,
			     char *err, size_t errlen);
/* Records one IPv4 packet (ip, len bytes) seen at virtual time now_ns. */
void capture_packet(struct capture *c, uint64_t now_ns, const uint8_t *ip, size_t len);
uint64_t capture_count(const struct capture *c);
/* keep: rename PATH.part to PATH; otherwise remove it. Returns 0 or -1 (err set). */
int capture_close(struct capture *c, bool keep, char *err, size_t errlen);

#endif
