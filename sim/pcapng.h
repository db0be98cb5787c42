/*
 * pcapng: a capture file that says more than a pcap file can.
 *
 * The pcapng format (draft-ietf-opsawg-pcapng) holds, besides the packets
 * and their virtual-time timestamps (nanoseconds, as the virtual clock
 * keeps them), what a pcap file cannot: several interfaces in one file,
 * each with its own name, description and link type, whether each packet
 * was sent or received on its interface (Wireshark's
 * frame.packet_flags_direction), and a comment on any packet
 * (frame.comment), e.g. why the simulator dropped or delayed it.
 *
 * Framing is capture.h's: Ethernet with MACs 02:00 + the IPv4 address
 * (frame.h), read from each packet, or bare IPv4 (written as LINKTYPE_IPV4:
 * libpcap refuses a second LINKTYPE_RAW interface). Wireshark reads any
 * mix of interfaces; libpcap (tcpdump) only files whose interfaces share
 * one link type and one snaplen. Every block is written little-endian
 * whatever the machine, and names only tcpsim and its version (no host,
 * no operating system, no wall-clock time), so that one scenario gives the
 * same file, byte for byte, everywhere.
 *
 * Like capture.h, the writer is given a stream it does not own, and may be
 * bounded: once the next block would take the file past max_bytes, nothing
 * more is written, so that a run which would fill the disk stops with a
 * clear message.
 */
#ifndef TCPSIM_PCAPNG_H
#define TCPSIM_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture.h"

struct pcapng;

/* Interfaces one file can describe: more than the simulator has hosts. */
#define PCAPNG_MAX_INTERFACES 16

/*
 * Writes the Section Header Block to f (shb_userappl "tcpsim VERSION").
 * max_bytes: the most the file may hold, every block counted, 0 for no
 * limit. name is for messages. NULL with a message in err on failure,
 * among them a max_bytes too small for the Section Header Block itself.
 */
struct pcapng *pcapng_open(FILE *f, const char *name, uint64_t max_bytes,
			   char *err, size_t errlen);
/*
 * Describes one more interface: its link type, snaplen (bytes kept of each
 * frame, tcpdump -s; 0 for all of it), if_name (e.g. "client") and
 * if_description (e.g. "192.0.2.1, the client's side of the link"); either
 * string may be NULL to leave it out. Timestamps are in nanoseconds
 * (if_tsresol 9). Returns the interface's id, 0 for the first, 1 for the
 * next, ..., or -1 once the capture cannot go on (as pcapng_packet). More
 than PCAPNG_MAX_INTERFACES interfaces is a bug in the caller, and aborts.
 */
int pcapng_add_interface(struct pcapng *c, const char *if_name, const char *if_description,
			 enum capture_linktype lt, uint32_t snaplen);
/*
 * Records one IPv4 packet (ip, len bytes) seen at virtual time now_ns on
 * interface iface (an id pcapng_add_interface returned; any other is a bug
 * in the caller, and aborts), sent by that interface's host if outbound,
 * received if not. comment, unless NULL or empty, is attached to the
 * packet: UTF-8, cut to its first 65535 bytes (at a character boundary) if
 * longer. False once the capture cannot go on: the limit is reached
 * (nothing more is written) or a write failed; pcapng_close then says
 * which.
 */
bool pcapng_packet(struct pcapng *c, int iface, uint64_t now_ns, const uint8_t *ip, size_t len,
		   bool outbound, const char *comment);
/* Packets written so far. */
uint64_t pcapng_count(const struct pcapng *c);
/* Bytes written so far, every block included. */
uint64_t pcapng_bytes(const struct pcapng *c);
/* Flushes and frees (the stream stays open). 0, or -1 with err set. */
int pcapng_close(struct pcapng *c, char *err, size_t errlen);

#endif
