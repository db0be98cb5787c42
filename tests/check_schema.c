/*
 * check_schema: the key tables of sim/schema.c against what they drive and
 * what documents them.
 *
 * - docs/scenarios.md: in each mapping's section, the "Key" table lists
 *   every key of the table with the Default and Range the table gives
 *   (schema_doc_default, schema_doc_range: from the row's default and range
 *   in their kind's form, so a changed default or bound fails here until
 *   the reference says it too), and no key the table lacks.
 * - scenario_defaults: every row's default lands in the struct, and a
 *   host's TCP defaults are tcp_cfg_defaults' (the stand-in of hand-built
 *   endpoints), key by key.
 * - the known-key lists: every row's key is accepted where the table puts
 *   it, and "did you mean" names keys of the same mapping.
 */
#include <check.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cc.h"
#include "scenario.h"
#include "schema.h"

#ifndef SRCDIR
#error "SRCDIR must name the top source directory"
#endif

#define DOCS SRCDIR "/docs/scenarios.md"

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	ck_assert_msg(f != NULL, "cannot read %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc((size_t)n + 1, 1);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* The cells of a table line "| a | b | c |", trimmed; their number (at most max). */
static int cells(char *line, char **out, int max)
{
	int n = 0;
	char *p = line;

	if (*p != '|')
		return 0;
	p++;
	while (n < max && *p) {
		char *bar = strchr(p, '|'), *e;

		if (!bar)
			break;
		*bar = '\0';
		while (*p == ' ')
			p++;
		for (e = bar; e > p && e[-1] == ' '; e--)
			;
		*e = '\0';
		out[n++] = p;
		p = bar + 1;
	}
	return n;
}

/* "`name`" -> "name" in place. */
static char *unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '`' && s[n - 1] == '`') {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

static char problems[16384];

__attribute__((format(printf, 1, 2)))
static void problem(const char *fmt, ...)
{
	size_t at = strlen(problems);
	va_list ap;

	if (at + 2 >= sizeof problems)
		return;
	va_start(ap, fmt);
	vsnprintf(problems + at, sizeof problems - at - 1, fmt, ap);
	va_end(ap);
	strcat(problems, "\n");
}

/* Checks the Key tables of the section headed `heading` against map. */
static void check_section(char *doc, const struct schema_map *map)
{
	bool seen[64] = { false };
	bool in = false, found = false;
	int col_default = -1, col_range = -1;
	char *save = NULL;

	ck_assert_uint_lt(map->nkeys, 64);
	for (char *line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *c[8];
		int n;

		if (line[0] == '#') {
			char *h = line + strspn(line, "#");

			h += strspn(h, " ");
			in = strcmp(h, map->doc_section) == 0;
			found = found || in;
			col_default = col_range = -1;
			continue;
		}
		if (!in || (n = cells(line, c, 8)) < 2)
			continue;
		if (strcmp(c[0], "Key") == 0) {
			col_default = col_range = -1;
			for (int i = 0; i < n; i++) {
				if (!strcmp(c[i], "Default"))
					col_default = i;
				if (!strcmp(c[i], "Range"))
					col_range = i;
			}
			if (col_default < 0 || col_range < 0)
				problem("%s: a Key table without Default and Range", map->doc_section);
			continue;
		}
		if (col_default < 0 || col_range < 0 || c[0][0] != '`' || col_default >= n ||
		    col_range >= n)
			continue;
		const char *name = unquote(c[0]);
		const struct schema_key *k = schema_key(map, name);
		char want[256];

		if (!k) {
			problem("%s: documents `%s`, which '%s' does not have", map->doc_section, name,
				map->name);
			continue;
		}
		seen[k - map->keys] = true;
		schema_doc_default(k, want, sizeof want);
		if (strcmp(c[col_default], want))
			problem("%s: `%s` default is \"%s\" in the docs, \"%s\" in the schema",
				map->doc_section, name, c[col_default], want);
		schema_doc_range(k, want, sizeof want);
		if (strcmp(c[col_range], want))
			problem("%s: `%s` range is \"%s\" in the docs, \"%s\" in the schema",
				map->doc_section, name, c[col_range], want);
	}
	if (!found)
		problem("no section headed \"%s\"", map->doc_section);
	for (size_t i = 0; i < map->nkeys; i++)
		if (schema_has(map, &map->keys[i]) && !seen[i])
			problem("%s: `%s` is not documented", map->doc_section, map->keys[i].name);
}

START_TEST(docs_list_every_key)
{
	size_t n;
	const struct schema_map *const *maps = schema_maps(&n);

	problems[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		char *doc;

		if (!maps[i]->doc_section)
			continue;
		doc = slurp(DOCS);
		check_section(doc, maps[i]);
		free(doc);
	}
	ck_assert_msg(problems[0] == '\0', "docs/scenarios.md and the schema differ:\n%s", problems);
}
END_TEST

/* Rows of the kinds read generically have their range in the row. */
START_TEST(rows_are_complete)
{
	size_t n;
	const struct schema_map *const *maps = schema_maps(&n);

	for (size_t i = 0; i < n; i++) {
		const struct schema_map *m = maps[i];

		for (size_t j = 0; j < m->nkeys; j++) {
			const struct schema_key *k = &m->keys[j];

			ck_assert_msg(k->meaning && *k->meaning, "%s.%s: no meaning", m->name, k->name);
			if (k->kind == SCHEMA_CUSTOM)
				ck_assert_msg(k->read && k->doc_default && k->doc_range,
					      "%s.%s: a custom key needs a reader and its docs",
					      m->name, k->name);
			else if (!k->read)
				ck_assert_msg(k->size > 0 && k->min <= k->max,
					      "%s.%s: a generic key needs a place and a range",
					      m->name, k->name);
			/* A default outside the range is one a file could not write
			 * (a required key's default is never used by a file). */
			if (k->kind != SCHEMA_CUSTOM && !k->doc_default && k->min <= k->max)
				ck_assert_msg(k->def >= k->min && k->def <= k->max,
					      "%s.%s: the default is outside the range", m->name, k->name);
			for (size_t l = 0; l < j; l++)
				ck_assert_msg(strcmp(m->keys[l].name, k->name) != 0 ||
					      !schema_has(m, &m->keys[l]) || !schema_has(m, k),
					      "%s.%s twice", m->name, k->name);
		}
		/* The name list is the rows', in row order. */
		const char *const *names = schema_names(m);
		size_t at = 0;

		for (size_t j = 0; j < m->nkeys; j++)
			if (schema_has(m, &m->keys[j]))
				ck_assert_str_eq(names[at++], m->keys[j].name);
		ck_assert_ptr_null(names[at]);
	}
	/* a_to_b holds the link's keys but a_to_b and b_to_a; mtu too (each direction its own) */
	ck_assert_ptr_nonnull(schema_key(&schema_direction, "rules"));
	ck_assert_ptr_nonnull(schema_key(&schema_direction, "loss"));
	ck_assert_ptr_nonnull(schema_key(&schema_direction, "jitter"));
	ck_assert_ptr_nonnull(schema_key(&schema_direction, "mtu"));
	ck_assert_ptr_null(schema_key(&schema_direction, "a_to_b"));
	ck_assert_ptr_nonnull(schema_key(&schema_link, "mtu"));
}
END_TEST

/* The bytes of k's field in a and b are the same. */
static bool same_field(const struct schema_key *k, const void *a, const void *b)
{
	return memcmp((const char *)a + k->off, (const char *)b + k->off, k->size) == 0;
}

START_TEST(defaults_come_from_the_rows)
{
	struct scenario s;
	struct tcp_cfg t;

	scenario_defaults(&s);
	tcp_cfg_defaults(&t);
	/* every tcp row with a place: the scenario's default is tcp_cfg_defaults' */
	for (size_t i = 0; i < schema_tcp.nkeys; i++) {
		const struct schema_key *k = &schema_tcp.keys[i];

		if (k->size)
			ck_assert_msg(same_field(k, &s.client.tcp, &t) && same_field(k, &s.server.tcp, &t),
				      "tcp.%s: the schema's default is not tcp_cfg_defaults'", k->name);
	}
	ck_assert_ptr_eq(s.client.tcp.cc, t.cc);
	ck_assert_ptr_eq(s.client.tcp.cc, &cc_newreno);
	/* a few rows' defaults, as the reference says them */
	ck_assert_uint_eq(s.seed, schema_key(&schema_top, "seed")->def);
	ck_assert_uint_eq(s.seed, 1);
	ck_assert_uint_eq(s.duration_ns, UINT64_C(3600) * 1000000000);
	ck_assert_uint_eq(s.link.mtu, 1500);
	ck_assert_uint_eq(s.link.a_to_b.queue_packets, 100);
	ck_assert_uint_eq(s.link.b_to_a.queue_packets, 100);
	ck_assert_uint_eq(s.client.addr, 0xC0000201);
	ck_assert_uint_eq(s.server.addr, 0xC0000202);
	ck_assert_uint_eq(s.client.port, 49152);
	ck_assert_uint_eq(s.server.port, 8000);
	ck_assert_int_eq(s.client.app.kind, APP_SCRIPT);
	ck_assert_int_eq(s.server.app.kind, APP_SINK);
	ck_assert_str_eq(s.client.profile->name, "rfc");
	ck_assert_str_eq(s.server.profile->name, "rfc");
	ck_assert_int_eq(s.capture, CAPTURE_CLIENT);
	ck_assert_uint_eq(s.snaplen, 0);
	scenario_free(&s);
}
END_TEST

/* Every row's key is known where the table puts it: an unknown one is suggested from its map. */
START_TEST(unknown_keys_are_suggested_from_the_rows)
{
	static const struct {
		const char *yaml, *want;
	} cases[] = {
		{ "link: {rate: 1Mbps, delay: 1ms, rulez: []}\n",
		  "s.yaml:1:33: unknown key 'rulez' in 'link' (did you mean 'rules'?)" },
		{ "link: {rate: 1Mbps, delay: 1ms, a_to_b: {rulse: []}}\n",
		  "s.yaml:1:42: unknown key 'rulse' in 'a_to_b' (did you mean 'rules'?)" },
		{ "link: {rate: 1Mbps, delay: 1ms, reorder: {probabilty: 1%}}\n",
		  "s.yaml:1:43: unknown key 'probabilty' in 'reorder' (did you mean 'probability'?)" },
		{ "link: {rate: 1Mbps, delay: 1ms, blackout: {strat: 1s}}\n",
		  "s.yaml:1:44: unknown key 'strat' in 'blackout' (did you mean 'start'?)" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct scenario s;
		char err[256];

		ck_assert_int_eq(scenario_load_mem("s.yaml", cases[i].yaml, strlen(cases[i].yaml), &s,
						   err, sizeof err), -1);
		ck_assert_str_eq(err, cases[i].want);
	}
}
END_TEST

int main(void)
{
	Suite *s = suite_create("schema");
	TCase *tc = tcase_create("schema");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, docs_list_every_key);
	tcase_add_test(tc, rows_are_complete);
	tcase_add_test(tc, defaults_come_from_the_rows);
	tcase_add_test(tc, unknown_keys_are_suggested_from_the_rows);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
