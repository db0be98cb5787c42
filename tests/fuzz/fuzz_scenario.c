/*
 * fuzz_scenario: the scenario loader on arbitrary text.
 *
 * scenario_load_mem must never crash, leak or read out of bounds, whatever
 * the bytes (sim/scenario.h). When it refuses them, the message is one line,
 * "fuzz.yaml:LINE:COL: message" with LINE and COL at least 1 and a non-empty
 * message, and holds no control character (a message goes to a terminal,
 * and an editor jumps to it). When it accepts them, the scenario is freed.
 */
#include "fuzz.h"

#include <string.h>

#include "scenario.h"

#define NAME "fuzz.yaml"

/* Parses a decimal number of at least one digit at *p; returns it, or 0. */
static unsigned long number(const char **p)
{
	unsigned long v = 0;
	const char *s = *p;

	while (*s >= '0' && *s <= '9' && v < 100000000ul)
		v = v * 10 + (unsigned long)(*s++ - '0');
	if (s == *p)
		return 0;
	*p = s;
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario s;
	char err[1024];
	const char *p;
	size_t n;
	int rc;

	memset(err, 0, sizeof(err));
	rc = scenario_load_mem(NAME, data, size, &s, err, sizeof(err));
	if (rc == 0) {
		FUZZ_ASSERT(s.name != NULL, "an accepted scenario has a name");
		scenario_free(&s);
		return 0;
	}
	FUZZ_ASSERT(rc == -1, "scenario_load_mem returned %d", rc);
	n = strnlen(err, sizeof(err));
	FUZZ_ASSERT(n < sizeof(err), "the message is not terminated");
	for (size_t i = 0; i < n; i++)
		FUZZ_ASSERT((unsigned char)err[i] >= 0x20 && err[i] != 0x7f,
			    "control character 0x%02x at %zu in \"%s\"", (unsigned char)err[i], i,
			    err);
	FUZZ_ASSERT(strncmp(err, NAME ":", strlen(NAME) + 1) == 0,
		    "message does not start with the name: \"%s\"", err);
	p = err + strlen(NAME) + 1;
	FUZZ_ASSERT(number(&p) >= 1 && *p++ == ':', "no line number: \"%s\"", err);
	FUZZ_ASSERT(number(&p) >= 1 && *p++ == ':', "no column number: \"%s\"", err);
	FUZZ_ASSERT(*p++ == ' ' && *p != '\0' && *p != ' ', "no message: \"%s\"", err);
	return 0;
}
