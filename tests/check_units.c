/*
 * check_units: the quantity parsers of units.c, one table per kind of
 * quantity, good values with their exact result in base units and bad
 * values with their exact message.
 */
#include <check.h>
#include <stdint.h>
#include <stdlib.h>

#include "units.h"

#define SENTINEL UINT64_C(0xDEADBEEF)

struct good { const char *in; uint64_t out; };
struct bad { const char *in; const char *msg; };

static const char NO_TIME_UNIT[] = "a time needs a unit: ns, us, ms, s or min";
static const char BAD_TIME_UNIT[] = "unknown time unit: use ns, us, ms, s or min";
static const char NOT_A_TIME[] = "expected a time such as 25ms (units: ns, us, ms, s, min)";
static const char BAD_SIZE_UNIT[] = "unknown size unit: use B, KB, MB, GB, KiB, MiB or GiB";
static const char NOT_A_SIZE[] = "expected a size such as 1500, 64KiB or 10MB";
static const char NO_RATE_UNIT[] = "a rate needs a unit: bps, Kbps, Mbps or Gbps";
static const char BAD_RATE_UNIT[] = "unknown rate unit: use bps, Kbps, Mbps or Gbps";
static const char NOT_A_RATE[] = "expected a rate such as 10Mbps (units: bps, Kbps, Mbps, Gbps)";
static const char NO_PERCENT[] = "a percentage needs a '%' sign, e.g. 5%";
static const char NOT_A_PERCENT[] = "expected a percentage such as 5% or 0.01%";
static const char TOO_PRECISE[] =
	"too precise: the smallest step is 0.0000001% (one part per billion)";
static const char AT_MOST_100[] = "must be at most 100%";
static const char NOT_WHOLE_NUMBER[] = "expected a whole number such as 42";
static const char NEGATIVE[] = "must not be negative";
static const char SPACE[] = "no space allowed between a number and its unit";
static const char TOO_LARGE[] = "too large";
static const char EXPONENT[] =
	"exponents such as 1e3 are not allowed; write the digits out, e.g. 1000";

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- time ---- */

static const struct good time_good[] = {
	{ "25ms", 25000000 },
	{ "1.5ms", 1500000 },
	{ "0ns", 0 },
	{ "0s", 0 },
	{ "0", 0 },                 /* zero needs no unit */
	{ "0.0", 0 },
	{ "1ns", 1 },
	{ "1us", 1000 },
	{ "2s", 2000000000 },
	{ "1min", UINT64_C(60000000000) },
	{ "1.5min", UINT64_C(90000000000) },
	{ "0.000000001s", 1 },
	{ "1.000ns", 1 },
	{ "007ms", 7000000 },
	{ "0.25us", 250 },
	{ "18446744073709551615ns", UINT64_MAX },
	{ "18446744073.709551615s", UINT64_MAX },
};

static const struct bad time_bad[] = {
	{ "25", NO_TIME_UNIT },
	{ "1.5ns", "not a whole number of nanoseconds" },
	{ "0.0000000001s", "not a whole number of nanoseconds" },
	{ "-5ms", NEGATIVE },
	{ "-0.5s", NEGATIVE },
	{ "25 ms", SPACE },
	{ "25MS", BAD_TIME_UNIT },
	{ "25h", BAD_TIME_UNIT },
	{ "25msec", BAD_TIME_UNIT },
	{ "1e3ms", EXPONENT },
	{ "1e999s", EXPONENT },
	{ "2.5E-3s", EXPONENT },
	{ "1e+3ms", EXPONENT },
	{ "1e", BAD_TIME_UNIT },    /* no digit after the e: just a bad unit */
	{ "1e-ms", BAD_TIME_UNIT },
	{ ".nan", NOT_A_TIME },
	{ "nan", NOT_A_TIME },
	{ ".inf", NOT_A_TIME },
	{ "-.inf", NEGATIVE },
	{ "", NOT_A_TIME },
	{ "ms", NOT_A_TIME },
	{ ".5s", NOT_A_TIME },
	{ "5.s", NOT_A_TIME },
	{ "+5ms", NOT_A_TIME },
	{ " 5ms", NOT_A_TIME },
	{ "18446744073709551616ns", TOO_LARGE },
	{ "18446744074s", TOO_LARGE },
	{ "99999999999999999999999min", TOO_LARGE },
};

START_TEST(test_time_good)
{
	uint64_t v = SENTINEL;

	ck_assert_ptr_null(parse_time_ns(time_good[_i].in, &v));
	ck_assert_uint_eq(v, time_good[_i].out);
}
END_TEST

START_TEST(test_time_bad)
{
	uint64_t v = SENTINEL;

	ck_assert_str_eq(parse_time_ns(time_bad[_i].in, &v), time_bad[_i].msg);
	ck_assert_uint_eq(v, SENTINEL);
}
END_TEST

/* ---- size ---- */

static const struct good size_good[] = {
	{ "1500", 1500 },
	{ "0", 0 },
	{ "1500B", 1500 },
	{ "64KiB", 65536 },
	{ "10MB", 10000000 },
	{ "2GB", 2000000000 },
	{ "1MiB", 1048576 },
	{ "1GiB", UINT64_C(1073741824) },
	{ "1.5KB", 1500 },
	{ "1.5KiB", 1536 },
	{ "0.0009765625KiB", 1 },
	{ "150KB", 150000 },
	{ "1.000", 1 },
};

static const struct bad size_bad[] = {
	{ "1.5", "not a whole number of bytes" },
	{ "0.1B", "not a whole number of bytes" },
	{ "1.0001KB", "not a whole number of bytes" },
	{ "10kB", BAD_SIZE_UNIT },
	{ "10Kb", BAD_SIZE_UNIT },
	{ "1TB", BAD_SIZE_UNIT },
	{ "10 MB", SPACE },
	{ "-1KB", NEGATIVE },
	{ "abc", NOT_A_SIZE },
	{ "", NOT_A_SIZE },
	{ "20000000000GiB", TOO_LARGE },
	{ "18446744073709551616", TOO_LARGE },
	{ "1e6", EXPONENT },
	{ "1E6B", EXPONENT },
	{ ".inf", NOT_A_SIZE },
};

START_TEST(test_size_good)
{
	uint64_t v = SENTINEL;

	ck_assert_ptr_null(parse_size_bytes(size_good[_i].in, &v));
	ck_assert_uint_eq(v, size_good[_i].out);
}
END_TEST

START_TEST(test_size_bad)
{
	uint64_t v = SENTINEL;

	ck_assert_str_eq(parse_size_bytes(size_bad[_i].in, &v), size_bad[_i].msg);
	ck_assert_uint_eq(v, SENTINEL);
}
END_TEST

/* ---- rate ---- */

static const struct good rate_good[] = {
	{ "10Mbps", 10000000 },
	{ "1bps", 1 },
	{ "0bps", 0 },
	{ "1.5Kbps", 1500 },
	{ "10Gbps", UINT64_C(10000000000) },
	{ "0.001Kbps", 1 },
	{ "56Kbps", 56000 },
	{ "10000Gbps", UINT64_C(10000000000000) },
};

static const struct bad rate_bad[] = {
	{ "10", NO_RATE_UNIT },
	{ "10mbps", BAD_RATE_UNIT },
	{ "10Bps", BAD_RATE_UNIT },
	{ "10MBps", BAD_RATE_UNIT },
	{ "10Tbps", BAD_RATE_UNIT },
	{ "0.5bps", "not a whole number of bits per second" },
	{ "-1Mbps", NEGATIVE },
	{ "10 Mbps", SPACE },
	{ "fast", NOT_A_RATE },
	{ "20000000000Gbps", TOO_LARGE },
	{ "18446744073709551616bps", TOO_LARGE },
	{ "1e9bps", EXPONENT },
	{ ".nan", NOT_A_RATE },
};

START_TEST(test_rate_good)
{
	uint64_t v = SENTINEL;

	ck_assert_ptr_null(parse_rate_bps(rate_good[_i].in, &v));
	ck_assert_uint_eq(v, rate_good[_i].out);
}
END_TEST

START_TEST(test_rate_bad)
{
	uint64_t v = SENTINEL;

	ck_assert_str_eq(parse_rate_bps(rate_bad[_i].in, &v), rate_bad[_i].msg);
	ck_assert_uint_eq(v, SENTINEL);
}
END_TEST

/* ---- frequency ---- */

static const struct good freq_good[] = {
	{ "1000Hz", 1000 },
	{ "1Hz", 1 },
	{ "1kHz", 1000 },
	{ "0.25kHz", 250 },
	{ "0", 0 },
	{ "100Hz", 100 },
};

static const struct bad freq_bad[] = {
	{ "1000", "a frequency needs a unit: Hz or kHz" },
	{ "1000hz", "unknown frequency unit: use Hz or kHz" },
	{ "1KHz", "unknown frequency unit: use Hz or kHz" },
	{ "1ms", "unknown frequency unit: use Hz or kHz" },
	{ "0.5Hz", "not a whole number of hertz" },
	{ "-1Hz", NEGATIVE },
	{ "1 Hz", SPACE },
	{ "fast", "expected a frequency such as 1000Hz or 1kHz" },
	{ "18446744073709551616Hz", TOO_LARGE },
};

START_TEST(test_freq_good)
{
	uint64_t v = SENTINEL;

	ck_assert_ptr_null(parse_freq_hz(freq_good[_i].in, &v));
	ck_assert_uint_eq(v, freq_good[_i].out);
}
END_TEST

START_TEST(test_freq_bad)
{
	uint64_t v = SENTINEL;

	ck_assert_str_eq(parse_freq_hz(freq_bad[_i].in, &v), freq_bad[_i].msg);
	ck_assert_uint_eq(v, SENTINEL);
}
END_TEST

/* ---- percent ---- */

static const struct good percent_good[] = {
	{ "5%", 50000000 },
	{ "0.5%", 5000000 },
	{ "0.01%", 100000 },
	{ "100%", 1000000000 },
	{ "100.0%", 1000000000 },
	{ "0", 0 },
	{ "0.0", 0 },
	{ "0%", 0 },
	{ "0.0000001%", 1 },
	{ "33.3333333%", 333333333 },
};

static const struct bad percent_bad[] = {
	{ "5", NO_PERCENT },
	{ "0.05", NO_PERCENT },
	{ "1", NO_PERCENT },
	{ "5pc", NO_PERCENT },
	{ "5%%", NO_PERCENT },
	{ "101%", AT_MOST_100 },
	{ "100.0000001%", AT_MOST_100 },
	{ "99999999999999999999%", AT_MOST_100 },
	{ "0.00000001%", TOO_PRECISE },
	{ "0.0000000001%", TOO_PRECISE },
	{ "-1%", NEGATIVE },
	{ "5 %", SPACE },
	{ "", NOT_A_PERCENT },
	{ "%", NOT_A_PERCENT },
	{ "1e1%", "exponents such as 1e3 are not allowed; write the digits out, e.g. 1000" },
	{ ".nan", NOT_A_PERCENT },
	{ ".inf%", NOT_A_PERCENT },
};

START_TEST(test_percent_good)
{
	uint32_t v = 0xDEADBEEF;

	ck_assert_ptr_null(parse_percent_ppb(percent_good[_i].in, &v));
	ck_assert_uint_eq(v, percent_good[_i].out);
}
END_TEST

START_TEST(test_percent_bad)
{
	uint32_t v = 0xDEADBEEF;

	ck_assert_str_eq(parse_percent_ppb(percent_bad[_i].in, &v), percent_bad[_i].msg);
	ck_assert_uint_eq(v, 0xDEADBEEF);
}
END_TEST

/* ---- plain integers ---- */

static const struct good uint_good[] = {
	{ "0", 0 },
	{ "42", 42 },
	{ "0042", 42 },
	{ "65535", 65535 },
	{ "18446744073709551615", UINT64_MAX },
};

static const struct bad uint_bad[] = {
	{ "-1", NEGATIVE },
	{ "1.5", NOT_WHOLE_NUMBER },
	{ "1.0", NOT_WHOLE_NUMBER },
	{ "5ms", NOT_WHOLE_NUMBER },
	{ "1 2", NOT_WHOLE_NUMBER },
	{ "", NOT_WHOLE_NUMBER },
	{ "+1", NOT_WHOLE_NUMBER },
	{ " 1", NOT_WHOLE_NUMBER },
	{ "0x10", NOT_WHOLE_NUMBER },
	{ "18446744073709551616", TOO_LARGE },
	{ "99999999999999999999999999999999", TOO_LARGE },
	{ "1e3", EXPONENT },
	{ "1e999", EXPONENT },
	{ ".nan", NOT_WHOLE_NUMBER },
	{ ".inf", NOT_WHOLE_NUMBER },
	{ "nan", NOT_WHOLE_NUMBER },
};

START_TEST(test_uint_good)
{
	uint64_t v = SENTINEL;

	ck_assert_ptr_null(parse_uint(uint_good[_i].in, &v));
	ck_assert_uint_eq(v, uint_good[_i].out);
}
END_TEST

START_TEST(test_uint_bad)
{
	uint64_t v = SENTINEL;

	ck_assert_str_eq(parse_uint(uint_bad[_i].in, &v), uint_bad[_i].msg);
	ck_assert_uint_eq(v, SENTINEL);
}
END_TEST

/* Only the 64-bit overflow of a value counts as too large. */
START_TEST(test_too_large)
{
	uint64_t v = SENTINEL;
	uint32_t ppb;

	ck_assert(units_too_large(parse_time_ns("18446744073709551616ns", &v)));
	ck_assert(units_too_large(parse_size_bytes("20000000000GiB", &v)));
	ck_assert(units_too_large(parse_rate_bps("20000000000Gbps", &v)));
	ck_assert(units_too_large(parse_uint("18446744073709551616", &v)));
	ck_assert(!units_too_large(parse_time_ns("3601", &v)));
	ck_assert(!units_too_large(parse_uint("-1", &v)));
	ck_assert(!units_too_large(parse_percent_ppb("101%", &ppb)));
	ck_assert(!units_too_large(NULL));
	ck_assert_uint_eq(v, SENTINEL);
}
END_TEST

static Suite *units_suite(void)
{
	Suite *s = suite_create("units");
	TCase *tc;

	tc = tcase_create("time");
	tcase_add_loop_test(tc, test_time_good, 0, N(time_good));
	tcase_add_loop_test(tc, test_time_bad, 0, N(time_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("size");
	tcase_add_loop_test(tc, test_size_good, 0, N(size_good));
	tcase_add_loop_test(tc, test_size_bad, 0, N(size_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("rate");
	tcase_add_loop_test(tc, test_rate_good, 0, N(rate_good));
	tcase_add_loop_test(tc, test_rate_bad, 0, N(rate_bad));
	tcase_add_loop_test(tc, test_freq_good, 0, N(freq_good));
	tcase_add_loop_test(tc, test_freq_bad, 0, N(freq_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("percent");
	tcase_add_loop_test(tc, test_percent_good, 0, N(percent_good));
	tcase_add_loop_test(tc, test_percent_bad, 0, N(percent_bad));
	suite_add_tcase(s, tc);

	tc = tcase_create("uint");
	tcase_add_loop_test(tc, test_uint_good, 0, N(uint_good));
	tcase_add_loop_test(tc, test_uint_bad, 0, N(uint_bad));
	tcase_add_test(tc, test_too_large);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(units_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed != 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
