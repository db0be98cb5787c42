/*
 * units: exact parsing of the quantities a scenario is written in
 * ("25ms", "10Mbps", "64KiB", "0.5%").
 *
 * Owns the number syntax and the suffix tables; scenario.c calls these
 * parsers and prefixes their messages with the key being read.
 *
 * A quantity is DIGITS[.DIGITS]UNIT with no sign, no exponent and no space
 * before the unit. It is read without floating point: the digits before the
 * point are an integer, and the digits after it are folded in from the last
 * one to the first, each step dividing by ten exactly or refusing the value
 * as "not a whole number" of the base unit. Since the running fraction of a
 * unit never exceeds the unit's multiplier, no intermediate overflows, and a
 * value like "0.0009765625KiB" (exactly 1 byte) is accepted while "1.5ns"
 * is not.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "units.h"

struct unit {
	const char *suffix;
	uint64_t mult;               /* base units per one of this unit */
};

/* Suffixes are case-sensitive: "ms" is a millisecond, "MS" is nothing. */
static const struct unit time_units[] = {
	{ "ns", 1 },
	{ "us", 1000 },
	{ "ms", 1000000 },
	{ "s", 1000000000 },
	{ "min", UINT64_C(60000000000) },
	{ NULL, 0 },
};

/* Decimal prefixes for KB/MB/GB, binary ones (IEC 80000-13) for KiB... */
static const struct unit size_units[] = {
	{ "B", 1 },
	{ "KB", 1000 },
	{ "MB", 1000000 },
	{ "GB", 1000000000 },
	{ "KiB", UINT64_C(1) << 10 },
	{ "MiB", UINT64_C(1) << 20 },
	{ "GiB", UINT64_C(1) << 30 },
	{ NULL, 0 },
};

/* Data rates are decimal, as link speeds always are: 1 Kbps = 1000 bit/s. */
static const struct unit rate_units[] = {
	{ "bps", 1 },
	{ "Kbps", 1000 },
	{ "Mbps", 1000000 },
	{ "Gbps", 1000000000 },
	{ NULL, 0 },
};

/* Clock rates (the RFC 7323 timestamp clock). */
static const struct unit freq_units[] = {
	{ "Hz", 1 },
	{ "kHz", 1000 },
	{ NULL, 0 },
};

#define PPB_PER_PERCENT 10000000u    /* 1% = 10^7 parts per billion */
#define PPB_MAX         1000000000u  /* 100% */

static const char MSG_NEGATIVE[] = "must not be negative";
static const char MSG_TOO_LARGE[] = "too large";
static const char MSG_SPACE[] = "no space allowed between a number and its unit";
static const char MSG_EXPONENT[] =
	"exponents such as 1e3 are not allowed; write the digits out, e.g. 1000";

enum scan_result {
	SCAN_OK,
	SCAN_NOT_A_NUMBER,
	SCAN_NEGATIVE,
	SCAN_SPACE,                  /* "25 ms" */
	SCAN_EXPONENT,               /* "1e3", "2.5E-3s", "1e999" */
};

/* A decimal number as written: "12.50ms" is whole 12, frac "50", unit "ms". */
struct decimal {
	uint64_t whole;
	bool whole_overflow;
	const char *frac;
	size_t nfrac;
	const char *unit;            /* what follows the number, maybe "" */
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

static enum scan_result scan_decimal(const char *s, struct decimal *d)
{
	memset(d, 0, sizeof(*d));
	if (s[0] == '-' && (is_digit(s[1]) || s[1] == '.'))
		return SCAN_NEGATIVE;
	if (!is_digit(*s))
		return SCAN_NOT_A_NUMBER;
	for (; is_digit(*s); s++) {
		unsigned digit = (unsigned)(*s - '0');

		if (d->whole > (UINT64_MAX - digit) / 10)
			d->whole_overflow = true;
		else
			d->whole = d->whole * 10 + digit;
	}
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return SCAN_NOT_A_NUMBER;       /* "5." or "5.ms" */
		d->frac = s;
		while (is_digit(*s))
			s++;
		d->nfrac = (size_t)(s - d->frac);
	}
	if (is_space(*s))
		return SCAN_SPACE;
	/* No unit starts with e or E followed by a digit: that is an exponent. */
	if ((*s == 'e' || *s == 'E') &&
	    (is_digit(s[1]) || ((s[1] == '+' || s[1] == '-') && is_digit(s[2]))))
		return SCAN_EXPONENT;
	d->unit = s;
	return SCAN_OK;
}

enum scale_result { SCALE_OK, SCALE_OVERFLOW, SCALE_NOT_WHOLE };

/*
 * *out = d * mult exactly. The fraction 0.f1f2...fn times mult is built by
 * Horner's rule from fn back to f1: v = (fk * mult + v) / 10. If one of
 * those divisions leaves a remainder the result is not an integer (a
 * fractional v stays fractional through every later step), so the value is
 * refused rather than rounded. v < mult throughout, so 10 * mult bounds
 * every intermediate.
 */
static enum scale_result scale(const struct decimal *d, uint64_t mult, uint64_t *out)
{
	uint64_t frac = 0;
	size_t i;

	for (i = d->nfrac; i-- > 0;) {
		uint64_t t = (uint64_t)(d->frac[i] - '0') * mult + frac;

		if (t % 10 != 0)
			return SCALE_NOT_WHOLE;
		frac = t / 10;
	}
	if (d->whole_overflow || d->whole > (UINT64_MAX - frac) / mult)
		return SCALE_OVERFLOW;
	*out = d->whole * mult + frac;
	return SCALE_OK;
}

static const struct unit *find_unit(const struct unit *table, const char *suffix)
{
	for (; table->suffix; table++)
		if (strcmp(table->suffix, suffix) == 0)
			return table;
	return NULL;
}

/* The messages that differ between the kinds of quantity. */
struct kind {
	const struct unit *units;
	const char *not_a_number;
	const char *no_unit;         /* NULL: a bare number is in base units */
	const char *bad_unit;
	const char *not_whole;
};

static const struct kind TIME = {
	time_units,
	"expected a time such as 25ms (units: ns, us, ms, s, min)",
	"a time needs a unit: ns, us, ms, s or min",
	"unknown time unit: use ns, us, ms, s or min",
	"not a whole number of nanoseconds",
};

static const struct kind SIZE = {
	size_units,
	"expected a size such as 1500, 64KiB or 10MB",
	NULL,
	"unknown size unit: use B, KB, MB, GB, KiB, MiB or GiB",
	"not a whole number of bytes",
};

static const struct kind RATE = {
	rate_units,
	"expected a rate such as 10Mbps (units: bps, Kbps, Mbps, Gbps)",
	"a rate needs a unit: bps, Kbps, Mbps or Gbps",
	"unknown rate unit: use bps, Kbps, Mbps or Gbps",
	"not a whole number of bits per second",
};

static const struct kind FREQ = {
	freq_units,
	"expected a frequency such as 1000Hz or 1kHz",
	"a frequency needs a unit: Hz or kHz",
	"unknown frequency unit: use Hz or kHz",
	"not a whole number of hertz",
};

static const char *parse_quantity(const struct kind *k, const char *s, uint64_t *out)
{
	struct decimal d;
	const struct unit *u;
	uint64_t v;

	switch (scan_decimal(s, &d)) {
	case SCAN_OK:
		break;
	case SCAN_NOT_A_NUMBER:
		return k->not_a_number;
	case SCAN_NEGATIVE:
		return MSG_NEGATIVE;
	case SCAN_SPACE:
		return MSG_SPACE;
	case SCAN_EXPONENT:
		return MSG_EXPONENT;
	}
	if (*d.unit == '\0') {
		/* A bare number is refused where the unit matters (is "25" a
		 * second or a millisecond?); zero means the same in every unit. */
		if (k->no_unit && strspn(s, "0.") == strlen(s)) {
			*out = 0;
			return NULL;
		}
		if (k->no_unit)
			return k->no_unit;
		u = &k->units[0];
	} else {
		u = find_unit(k->units, d.unit);
		if (!u)
			return k->bad_unit;
	}
	switch (scale(&d, u->mult, &v)) {
	case SCALE_OK:
		break;
	case SCALE_OVERFLOW:
		return MSG_TOO_LARGE;
	case SCALE_NOT_WHOLE:
		return k->not_whole;
	}
	*out = v;
	return NULL;
}

const char *parse_time_ns(const char *s, uint64_t *out)
{
	return parse_quantity(&TIME, s, out);
}

const char *parse_size_bytes(const char *s, uint64_t *out)
{
	return parse_quantity(&SIZE, s, out);
}

const char *parse_rate_bps(const char *s, uint64_t *out)
{
	return parse_quantity(&RATE, s, out);
}

const char *parse_freq_hz(const char *s, uint64_t *out)
{
	return parse_quantity(&FREQ, s, out);
}

/*
 * "5%" -> 50000000 ppb. A bare number is refused (is "0.05" five percent or
 * a twentieth?) except zero, which means the same in every unit.
 */
const char *parse_percent_ppb(const char *s, uint32_t *out)
{
	struct decimal d;
	uint64_t v;
	size_t i;

	switch (scan_decimal(s, &d)) {
	case SCAN_OK:
		break;
	case SCAN_NOT_A_NUMBER:
		return "expected a percentage such as 5% or 0.01%";
	case SCAN_NEGATIVE:
		return MSG_NEGATIVE;
	case SCAN_SPACE:
		return MSG_SPACE;
	case SCAN_EXPONENT:
		return MSG_EXPONENT;
	}
	if (*d.unit == '\0') {
		bool zero = !d.whole_overflow && d.whole == 0;

		for (i = 0; i < d.nfrac; i++)
			zero = zero && d.frac[i] == '0';
		if (!zero)
			return "a percentage needs a '%' sign, e.g. 5%";
		*out = 0;
		return NULL;
	}
	if (strcmp(d.unit, "%") != 0)
		return "a percentage needs a '%' sign, e.g. 5%";
	switch (scale(&d, PPB_PER_PERCENT, &v)) {
	case SCALE_OK:
		break;
	case SCALE_OVERFLOW:
		return "must be at most 100%";
	case SCALE_NOT_WHOLE:
		return "too precise: the smallest step is 0.0000001% (one part per billion)";
	}
	if (v > PPB_MAX)
		return "must be at most 100%";
	*out = (uint32_t)v;
	return NULL;
}

const char *parse_uint(const char *s, uint64_t *out)
{
	struct decimal d;

	switch (scan_decimal(s, &d)) {
	case SCAN_OK:
		break;
	case SCAN_NEGATIVE:
		return MSG_NEGATIVE;
	case SCAN_EXPONENT:
		return MSG_EXPONENT;
	case SCAN_NOT_A_NUMBER:
	case SCAN_SPACE:
		return "expected a whole number such as 42";
	}
	if (d.nfrac != 0 || *d.unit != '\0')
		return "expected a whole number such as 42";
	if (d.whole_overflow)
		return MSG_TOO_LARGE;
	*out = d.whole;
	return NULL;
}

bool units_too_large(const char *msg)
{
	return msg == MSG_TOO_LARGE;
}
