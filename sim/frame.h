/*
 * frame: the Ethernet II header a captured IPv4 packet is given.
 *
 * The simulated hosts have no link layer; a capture with Ethernet framing
 * makes one up. Each host's MAC is the locally administered prefix 02:00
 * followed by its IPv4 address, read from the packet itself so that no
 * capture needs a host table, and every writer (capture.c's pcap files,
 * pcapng.c's pcapng files) shows the same addresses.
 */
#ifndef TCPSIM_FRAME_H
#define TCPSIM_FRAME_H

#include <stddef.h>
#include <stdint.h>

#define FRAME_ETH_HDR_LEN 14    /* destination MAC, source MAC, ethertype */

/*
 * Fills hdr with the Ethernet header for the IPv4 packet ip (len bytes):
 * destination 02:00 + its destination address, source 02:00 + its source
 * address, ethertype IPv4. A packet too short to hold the addresses gets
 * 02:00:00:00:00:00 for both.
 */
void frame_ethernet_header(uint8_t hdr[FRAME_ETH_HDR_LEN], const uint8_t *ip, size_t len);

#endif
