/*
 * scenario_expect: the expect: block, "KEY: VALUE" lines asserting what the
 * JSON summary will say ("client.retransmissions: \">= 1\"", "10MB"). Each
 * becomes a struct scn_expect: an operator, and a number (size suffixes
 * applied), a boolean or a string. Whether KEY names a summary key is
 * checked by main.c, which knows the summary; report.c evaluates them.
 *
 * Called by the schema's expect row (schema.c: read_expect ->
 * scn_read_expect -> parse_expect_value).
 */
#include <float.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "scenario.h"
#include "yaml_walk.h"

static bool is_digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

enum number { NUMBER_OK, NOT_A_NUMBER, NUMBER_TOO_LARGE };

/*
 * [-]DIGITS[.DIGITS][B|KB|MB|GB|KiB|MiB|GiB] as a double. The digits are
 * gathered into an integer and divided by a power of ten once at the end,
 * so every value a person would write ("0.1", "1.5MB") comes out as the
 * nearest double. No exponents: "1e5" is a string. More than about 308
 * digits overflow a double (IEEE 754 binary64), and are refused rather than
 * compared as infinity.
 */
static enum number parse_number(const char *s, double *out)
{
	static const struct { const char *suffix; double mult; } sfx[] = {
		{ "", 1 }, { "B", 1 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 },
		{ "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
	};
	double m = 0, div = 1, mult = -1;
	bool neg = false;
	size_t i;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!is_digit(*s))
		return NOT_A_NUMBER;
	while (is_digit(*s))
		m = m * 10 + (*s++ - '0');
	if (*s == '.') {
		s++;
		if (!is_digit(*s))
			return NOT_A_NUMBER;
		while (is_digit(*s)) {
			m = m * 10 + (*s++ - '0');
			div *= 10;
		}
	}
	for (i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++)
		if (!strcmp(s, sfx[i].suffix))
			mult = sfx[i].mult;
	if (mult < 0)
		return NOT_A_NUMBER;
	if (m * mult > DBL_MAX)
		return NUMBER_TOO_LARGE;
	*out = (neg ? -1 : 1) * (m * mult) / div;
	return NUMBER_OK;
}

/* A value without an operator: true/false, a number, or else a string. */
static int expect_operand(struct scn_ctx *c, const char *key, yaml_node_t *v, const char *s,
			  bool literal, struct scn_expect *e)
{
	if (!literal && !scn_parse_bool(s, &e->boolean)) {
		e->type = EXPECT_BOOL;
		return 0;
	}
	if (!literal) {
		switch (parse_number(s, &e->number)) {
		case NUMBER_OK:
			e->type = EXPECT_NUMBER;
			return 0;
		case NUMBER_TOO_LARGE:
			return scn_fail(c, v, "%s: the number is too large", key);
		case NOT_A_NUMBER:
			break;
		}
	}
	e->type = EXPECT_STRING;
	e->string = strdup(s);
	return e->string ? 0 : scn_oom(c, v);
}

static int parse_expect_value(struct scn_ctx *c, const char *key, yaml_node_t *v,
			      struct scn_expect *e)
{
	static const struct { const char *tok; enum expect_op op; } ops[] = {
		{ "==", EXPECT_EQ }, { "!=", EXPECT_NE }, { "<=", EXPECT_LE },
		{ ">=", EXPECT_GE }, { "<", EXPECT_LT }, { ">", EXPECT_GT },
	};
	const char *s, *rest = NULL;
	size_t i;

	if (!(s = scn_scalar(c, key, v)))
		return -1;
	e->op = EXPECT_EQ;
	if (scn_block_header(c, v))
		return scn_fail_quoted(c, &v->start_mark, v->data.scalar.style == YAML_LITERAL_SCALAR_STYLE ?
				   "YAML reads '|' here as the start of a literal block scalar" :
				   "YAML reads '>' here as the start of a folded block scalar");
	if (*s == '\0')
		return scn_fail(c, v, "%s: needs a value to compare with", key);
	if (!strchr("<>=!", s[0]))
		return expect_operand(c, key, v, s, !scn_is_plain(v), e);

	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
		size_t len = strlen(ops[i].tok);

		if (!strncmp(s, ops[i].tok, len)) {
			e->op = ops[i].op;
			rest = s + len;
			break;
		}
	}
	if (rest)
		rest += strspn(rest, " \t");
	if (!rest || *rest == '\0' || strchr("<>=!", *rest))
		return scn_fail(c, v, "bad comparison '%s': use ==, !=, <, <=, > or >=", s);
	if (expect_operand(c, key, v, rest, false, e))
		return -1;
	if (e->op != EXPECT_EQ && e->op != EXPECT_NE && e->type != EXPECT_NUMBER)
		return scn_fail(c, v, "bad comparison '%s': <, <=, > and >= need a number", s);
	return 0;
}

int scn_read_expect(struct scn_ctx *c, yaml_node_t *v, struct scenario *s)
{
	yaml_node_pair_t *p;
	size_t n;

	if (v->type != YAML_MAPPING_NODE)
		return scn_fail(c, v, "'expect' must be a mapping");
	if (scn_check_keys(c, v, "expect", NULL))
		return -1;
	n = scn_npairs(v);
	if (n == 0)
		return 0;
	s->expect = calloc(n, sizeof(*s->expect));
	if (!s->expect)
		return scn_oom(c, v);
	scn_for_each_pair(p, v) {
		yaml_node_t *k = scn_node(c, p->key), *val = scn_node(c, p->value);
		struct scn_expect *e = &s->expect[s->nexpect++];

		/* A --set may have replaced the file's value, or added the pair. */
		if (val->start_mark.index == SET_MARK) {
			e->set = c->sets[val->start_mark.line];
		} else {
			e->loc.line = (uint32_t)k->start_mark.line + 1;
			e->loc.col = (uint32_t)k->start_mark.column + 1;
		}
		if (!(e->key = strdup(scn_text(k))))
			return scn_oom(c, k);
		if (parse_expect_value(c, e->key, val, e))
			return -1;
	}
	return 0;
}
