/*
 * units: exact parsing of quantities with unit suffixes.
 *
 * Numbers are decimal, parsed exactly (no floating point): "1.5ms" is
 * 1500000 ns, "0.5%" is 5000000 parts per billion, and a value that is not a
 * whole number of the base unit ("1.5ns") is refused. Each parser returns
 * NULL on success or a static message naming what was expected.
 *
 *   time:  ns, us, ms, s, min          -> nanoseconds (a unit is required)
 *   size:  B, KB, MB, GB (10^3), KiB, MiB, GiB (2^10)  -> bytes (bare = bytes)
 *   rate:  bps, Kbps, Mbps, Gbps (10^3)               -> bits per second
 *   frequency: Hz, kHz                                 -> hertz
 *   percent: "5%", "0.01%" or 0  -> parts per billion (0 .. 1e9)
 */
#ifndef TCPSIM_UNITS_H
#define TCPSIM_UNITS_H

#include <stdbool.h>
#include <stdint.h>

const char *parse_time_ns(const char *s, uint64_t *out);
const char *parse_size_bytes(const char *s, uint64_t *out);
const char *parse_rate_bps(const char *s, uint64_t *out);
const char *parse_freq_hz(const char *s, uint64_t *out);
const char *parse_percent_ppb(const char *s, uint32_t *out);
/* A plain non-negative decimal integer (no sign, no unit). */
const char *parse_uint(const char *s, uint64_t *out);
/*
 * True when msg, returned by one of the parsers above (not parse_percent_ppb,
 * which says "must be at most 100%"), means the value does not fit in 64
 * bits. A caller with a smaller bound reports its bound instead, so that
 * "99999999999999999999s" and "3601s" get the same message.
 */
bool units_too_large(const char *msg);

#endif
