/*
 * frame: the made-up Ethernet II header of captured packets (frame.h).
 */
#include "frame.h"

#include <string.h>

#define ETHERTYPE_IPV4 0x0800
#define IPV4_SRC_OFF 12         /* RFC 791 §3.1: source, then destination address */
#define IPV4_DST_OFF 16
#define IPV4_MIN_LEN 20

void frame_ethernet_header(uint8_t hdr[FRAME_ETH_HDR_LEN], const uint8_t *ip, size_t len)
{
	hdr[0] = 0x02;
	hdr[1] = 0x00;
	hdr[6] = 0x02;
	hdr[7] = 0x00;
	if (len >= IPV4_MIN_LEN) {
		memcpy(hdr + 2, ip + IPV4_DST_OFF, 4);
		memcpy(hdr + 8, ip + IPV4_SRC_OFF, 4);
	} else {
		memset(hdr + 2, 0, 4);
		memset(hdr + 8, 0, 4);
	}
	hdr[12] = ETHERTYPE_IPV4 >> 8;
	hdr[13] = ETHERTYPE_IPV4 & 0xff;
}
