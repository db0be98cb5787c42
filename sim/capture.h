/*
 * capture: what tcpdump on a simulated host would have written.
 *
 * A pcap file (libpcap's writer, nanosecond timestamps since the virtual
 * clock is in nanoseconds) with either Ethernet framing (LINKTYPE_ETHERNET;
 * each host's MAC is the locally administered 02:00 followed by its IPv4
 * address) or bare IPv4 (LINKTYPE_RAW). Timestamps are the virtual time: a
 * run starts at the Unix epoch.
 *
 * The capture writes to a stream it is given and does not own (main opens
 * it through output.h, which makes the file appear only when the run has
 * succeeded). From capture_open to capture_close a thread of the capture's
 * own writes to that stream, so that writing the file overlaps the run:
 * nothing else may use the stream in between. The bytes written are the
 * same as if the run wrote them itself. A capture may be bounded: once the
 * next record would take the file past max_bytes, nothing more is written
 * and capture_packet says so, so that a run which would fill the disk stops
 * with a clear message.
 */
#ifndef TCPSIM_CAPTURE_H
#define TCPSIM_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum capture_linktype { LINKTYPE_ETHERNET, LINKTYPE_RAW_IP };

struct capture;

/*
 * Loads libpcap from soname (e.g. "libpcap.so.0.8"), once; capture_open
 * does so with the name the build found. 0, or -1 with err set.
 */
int capture_load_libpcap(const char *soname, char *err, size_t errlen);
/*
 * Writes the file header to f. snaplen: bytes kept of each frame (tcpdump
 * -s), 0 for all of it; max_bytes: the most the file may hold, 0 for no
 * limit. reserve: f is a new regular file that nothing else writes (one
 * output.h made under a name of its own), so the capture may reserve disk
 * space ahead of its writes and give back what it did not use when it
 * closes; the file's bytes are the same either way. name is for messages.
 * NULL with a message in err on failure.
 */
struct capture *capture_open(FILE *f, const char *name, enum capture_linktype lt,
			     uint32_t snaplen, uint64_t max_bytes, bool reserve,
			     char *err, size_t errlen);
/*
 * Records one IPv4 packet (ip, len bytes) seen at virtual time now_ns.
 * False once the capture cannot go on: the limit is reached (nothing more
 * is written) or a write failed (known here within 2.25 MiB of records of
 * the failure); capture_close then says which.
 */
bool capture_packet(struct capture *c, uint64_t now_ns, const uint8_t *ip, size_t len);
uint64_t capture_count(const struct capture *c);
/* Bytes written so far, the file header included. */
uint64_t capture_bytes(const struct capture *c);
/* Writes the rest, flushes and frees (the stream stays open). 0, or -1 with err set. */
int capture_close(struct capture *c, char *err, size_t errlen);

#endif
