/*
 * sweep_table: a sweep's rows and the files made of them (see
 * sweep_table.h). The JSON read here is only what this program writes: a
 * flat object a line, of strings, numbers, booleans and null.
 */
#include "sweep_table.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "summary.h"
#include "sweep.h"
#include "units.h"
#include "xalloc.h"

#define SHARD_FORMAT 1          /* "tcpsim_sweep_shard" in a shard file's header */

/* One "name": value of a flat JSON object. */
struct pair {
	char *name;
	struct cell value;
};

static void free_pairs(struct pair *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(p[i].name);
		free(p[i].value.text);
	}
	free(p);
}

void table_free(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		table_row_free(t, &t->rows[r]);
	free(t->rows);
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cols[c]);
	free(t->cols);
	free(t->scenario);
	memset(t, 0, sizeof(*t));
}

/* s as a JSON string. */
void table_put_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p == 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void put_cell_json(FILE *f, const struct cell *c)
{
	switch (c->type) {
	case CELL_NULL:
		fputs("null", f);
		break;
	case CELL_STRING:
		table_put_json_string(f, c->text);
		break;
	default:
		fputs(c->text, f);
		break;
	}
}

/* RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
static void put_cell_csv(FILE *f, const struct cell *c)
{
	const char *s = c->text;

	if (c->type == CELL_NULL)
		return;
	if (c->type != CELL_STRING || !s[strcspn(s, ",\"\r\n")]) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

/* The column names in CSV, for a header line. */
static void put_name_csv(FILE *f, const char *name)
{
	struct cell c = { CELL_STRING, (char *)name };

	put_cell_csv(f, &c);
}

static void write_row_json(FILE *f, const struct table *t, const struct row *r)
{
	fprintf(f, "{\"run\": %" PRIu64, r->run);
	for (size_t c = 0; c < t->ncols; c++) {
		fputs(", ", f);
		table_put_json_string(f, t->cols[c]);
		fputs(": ", f);
		put_cell_json(f, &r->cells[c]);
	}
	fputs("}\n", f);
}

static const char *skip_space(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* Four hex digits; -1 if they are not. */
static long hex4(const char *p)
{
	long v = 0;

	for (int i = 0; i < 4; i++) {
		int c = (unsigned char)p[i], d;

		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (c >= 'a' && c <= 'f')
			d = c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			d = c - 'A' + 10;
		else
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* A JSON string at *pp (at its opening quote), unescaped; NULL if malformed. */
static char *parse_string(const char **pp)
{
	const char *p = *pp + 1;
	char *out = NULL;
	size_t n = 0;

	for (;;) {
		unsigned char c = (unsigned char)*p;
		long u;

		out = xrealloc(out, n + 4);
		if (c == '"')
			break;
		if (c == '\0' || c < 0x20) {
			free(out);
			return NULL;
		}
		if (c != '\\') {
			out[n++] = (char)c;
			p++;
			continue;
		}
		p++;
		switch (*p) {
		case '"': case '\\': case '/':
			out[n++] = *p;
			break;
		case 'b': out[n++] = '\b'; break;
		case 'f': out[n++] = '\f'; break;
		case 'n': out[n++] = '\n'; break;
		case 'r': out[n++] = '\r'; break;
		case 't': out[n++] = '\t'; break;
		case 'u':
			u = hex4(p + 1);
			/* What this program writes: \u escapes below 0x80 only. */
			if (u <= 0 || u >= 0x80) {
				free(out);
				return NULL;
			}
			out[n++] = (char)u;
			p += 4;
			break;
		default:
			free(out);
			return NULL;
		}
		p++;
	}
	out[n] = '\0';
	*pp = p + 1;
	return out;
}

/* A JSON number, true, false or null at *pp, into *c; -1 if it is none. */
static int parse_scalar(const char **pp, struct cell *c)
{
	const char *p = *pp;
	size_t n;

	if (strncmp(p, "null", 4) == 0) {
		c->type = CELL_NULL;
		n = 4;
	} else if (strncmp(p, "true", 4) == 0 || strncmp(p, "false", 5) == 0) {
		c->type = CELL_BOOL;
		n = p[0] == 't' ? 4 : 5;
	} else {
		char *end;

		c->type = CELL_NUMBER;
		n = strspn(p, "-+.0123456789eE");
		if (n == 0)
			return -1;
		strtod(p, &end);
		if ((size_t)(end - p) != n)
			return -1;
	}
	c->text = xrealloc(NULL, n + 1);
	memcpy(c->text, p, n);
	c->text[n] = '\0';
	*pp = p + n;
	return 0;
}

/*
 * A line holding one flat JSON object (strings, numbers, booleans, null)
 * into its pairs, in order. 0, or -1 with the 1-based column of the
 * problem in *col.
 */
static int parse_object(const char *line, struct pair **out, size_t *nout, size_t *col)
{
	const char *p = skip_space(line);
	struct pair *pairs = NULL;
	size_t n = 0;

	if (*p != '{')
		goto bad;
	p = skip_space(p + 1);
	if (*p == '}') {
		p++;
		goto end;
	}
	for (;;) {
		struct pair pr = { 0 };

		if (*p != '"' || !(pr.name = parse_string(&p)))
			goto bad;
		p = skip_space(p);
		if (*p != ':') {
			free(pr.name);
			goto bad;
		}
		p = skip_space(p + 1);
		if (*p == '"') {
			pr.value.type = CELL_STRING;
			pr.value.text = parse_string(&p);
		} else if (parse_scalar(&p, &pr.value) != 0) {
			pr.value.text = NULL;
		}
		if (!pr.value.text) {
			free(pr.name);
			goto bad;
		}
		pairs = xrealloc(pairs, (n + 1) * sizeof(*pairs));
		pairs[n++] = pr;
		p = skip_space(p);
		if (*p == ',') {
			p = skip_space(p + 1);
			continue;
		}
		if (*p != '}')
			goto bad;
		p++;
		break;
	}
end:
	p = skip_space(p);
	if (*p && *p != '\n')
		goto bad;
	*out = pairs;
	*nout = n;
	return 0;
bad:
	*col = (size_t)(p - line) + 1;
	free_pairs(pairs, n);
	return -1;
}

/*
 * The pairs of a row line as a row of t: "run" then t's columns, in order.
 * 0, or -1 with a message in err (the row's pairs freed either way).
 */
static int row_from_pairs(const struct table *t, struct pair *p, size_t n, struct row *r,
			  char *err, size_t errlen)
{
	uint64_t run;
	int rc = -1;

	if (n != t->ncols + 1 || strcmp(p[0].name, "run") != 0 || p[0].value.type != CELL_NUMBER ||
	    parse_uint(p[0].value.text, &run) != NULL) {
		snprintf(err, errlen, "a row must start with \"run\" and have %zu values", t->ncols + 1);
		goto out;
	}
	for (size_t c = 0; c < t->ncols; c++)
		if (strcmp(p[c + 1].name, t->cols[c]) != 0) {
			snprintf(err, errlen, "value %zu of the row is \"%.100s\", expected \"%.100s\"",
				 c + 2, p[c + 1].name, t->cols[c]);
			goto out;
		}
	r->run = run;
	r->cells = xrealloc(NULL, t->ncols * sizeof(*r->cells));
	for (size_t c = 0; c < t->ncols; c++) {
		r->cells[c] = p[c + 1].value;
		p[c + 1].value.text = NULL;
	}
	rc = 0;
out:
	free_pairs(p, n);
	return rc;
}

/* ---- the outputs ---- */

int table_parse_row(const struct table *t, const char *line, struct row *r, size_t *col,
		    char *err, size_t errlen)
{
	struct pair *p;
	size_t n;

	if (parse_object(line, &p, &n, col) != 0) {
		snprintf(err, errlen, "not a row (one JSON object a line)");
		return -1;
	}
	*col = 1;
	return row_from_pairs(t, p, n, r, err, errlen);
}

void table_row_free(const struct table *t, struct row *r)
{
	if (!r->cells)
		return;
	for (size_t c = 0; c < t->ncols; c++)
		free(r->cells[c].text);
	free(r->cells);
	r->cells = NULL;
}

void table_init(struct table *t, const char *scenario, const char *const *vary, size_t nvary,
		const char *const *keys, size_t nkeys, uint64_t nseeds, size_t nrows)
{
	memset(t, 0, sizeof(*t));
	t->scenario = xstrdup(scenario);
	t->nseeds = nseeds;
	t->ncols = nvary + 1 + nkeys;
	t->nvary = nvary;
	t->cols = xrealloc(NULL, t->ncols * sizeof(*t->cols));
	for (size_t i = 0; i < nvary; i++)
		t->cols[i] = xstrdup(vary[i]);
	t->cols[nvary] = xstrdup("seed");
	for (size_t i = 0; i < nkeys; i++)
		t->cols[nvary + 1 + i] = xstrdup(keys[i]);
	t->nrows = nrows;
	t->rows = xrealloc(NULL, nrows * sizeof(*t->rows));
	memset(t->rows, 0, nrows * sizeof(*t->rows));
}

void table_write_csv(FILE *f, const struct table *t)
{
	fputs("run", f);
	for (size_t c = 0; c < t->ncols; c++) {
		fputc(',', f);
		put_name_csv(f, t->cols[c]);
	}
	fputc('\n', f);
	for (size_t r = 0; r < t->nrows; r++) {
		fprintf(f, "%" PRIu64, t->rows[r].run);
		for (size_t c = 0; c < t->ncols; c++) {
			fputc(',', f);
			put_cell_csv(f, &t->rows[r].cells[c]);
		}
		fputc('\n', f);
	}
}

void table_write_jsonl(FILE *f, const struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++)
		write_row_json(f, t, &t->rows[r]);
}

/*
 * The decimals a quartile of summary key `name` is printed with: two more
 * than the key's own (a type 7 quartile lies a quarter, a half or three
 * quarters of the way between two values); -1 when the key is not a number.
 */
int table_quartile_decimals(const char *name)
{
	const struct summary_key *k = summary_key(name);

	if (!k)
		return -1;
	switch (k->kind) {
	case SUM_U64:
		return 2;
	case SUM_NANOS:
		return 9 + 2;
	case SUM_DOUBLE:
		return k->decimals + 2;
	default:
		return -1;
	}
}

/* Median, Q1 and Q3 of column c over the rows [first, first + n) that have it. */
static size_t point_quartiles(const struct table *t, size_t first, size_t n, size_t c,
			      double q[3])
{
	double *x = xrealloc(NULL, n * sizeof(*x));
	size_t m = 0;

	for (size_t r = first; r < first + n; r++)
		if (t->rows[r].cells[c].type == CELL_NUMBER)
			x[m++] = strtod(t->rows[r].cells[c].text, NULL);
	if (m > 0) {
		sweep_sort(x, m);
		q[0] = sweep_quantile(x, m, 0.5);
		q[1] = sweep_quantile(x, m, 0.25);
		q[2] = sweep_quantile(x, m, 0.75);
	}
	free(x);
	return m;
}

static void put_quartiles_csv(FILE *f, const double q[3], size_t m, int decimals)
{
	char buf[512];

	for (int i = 0; i < 3; i++) {
		fputc(',', f);
		if (m == 0)
			continue;
		sweep_format_number(buf, sizeof buf, q[i], decimals);
		fputs(buf, f);
	}
}

/* PREFIX-points.csv: per grid point its --vary values, n, and each numeric key's quartiles. */
void table_write_points(FILE *f, const struct table *t)
{
	size_t first_key = t->nvary + 1;

	for (size_t c = 0; c < t->nvary; c++) {
		put_name_csv(f, t->cols[c]);
		fputc(',', f);
	}
	fputs("n", f);
	for (size_t c = first_key; c < t->ncols; c++) {
		static const char *const q[] = { ".median", ".q1", ".q3" };

		if (table_quartile_decimals(t->cols[c]) < 0)
			continue;
		for (int i = 0; i < 3; i++) {
			char name[256];

			snprintf(name, sizeof name, "%s%s", t->cols[c], q[i]);
			fputc(',', f);
			put_name_csv(f, name);
		}
	}
	fputc('\n', f);
	for (size_t first = 0; first < t->nrows; first += (size_t)t->nseeds) {
		for (size_t c = 0; c < t->nvary; c++) {
			put_cell_csv(f, &t->rows[first].cells[c]);
			fputc(',', f);
		}
		fprintf(f, "%" PRIu64, t->nseeds);
		for (size_t c = first_key; c < t->ncols; c++) {
			int dec = table_quartile_decimals(t->cols[c]);
			double q[3];
			size_t m;

			if (dec < 0)
				continue;
			m = point_quartiles(t, first, (size_t)t->nseeds, c, q);
			put_quartiles_csv(f, q, m, dec);
		}
		fputc('\n', f);
	}
}

/* s as a gnuplot single-quoted string. */
static void put_gp_quoted(FILE *f, const char *s)
{
	fputc('\'', f);
	for (; *s; s++) {
		if (*s == '\'')
			fputs("''", f);
		else
			fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, f);
	}
	fputc('\'', f);
}

/* The grid points' series for the plot: the points that share every other --vary value. */
struct series {
	size_t first;                /* a row of its first point, for the values */
	size_t *points;              /* their first rows, in grid order */
	size_t n;
};

static bool same_other_values(const struct table *t, size_t a, size_t b, size_t against)
{
	for (size_t c = 0; c < t->nvary; c++)
		if (c != against && strcmp(t->rows[a].cells[c].text, t->rows[b].cells[c].text) != 0)
			return false;
	return true;
}

/*
 * Whether every value of column c reads as a number with one same suffix
 * ("0%", "2.5%"; "10ms", "25ms"): then the x axis is that number, in that
 * unit; else each value is a place on the axis, in grid order.
 */
static bool numeric_axis(const struct table *t, size_t c, const char **unit)
{
	*unit = NULL;
	for (size_t r = 0; r < t->nrows; r += (size_t)t->nseeds) {
		const char *s = t->rows[r].cells[c].text;
		char *end;

		strtod(s, &end);
		/* Plain decimals only: not "inf", "nan", nor hexadecimal. */
		if (end == s || strspn(s, "+-.0123456789eE") < (size_t)(end - s))
			return false;
		if (*unit && strcmp(*unit, end) != 0)
			return false;
		*unit = end;
	}
	return true;
}

/* The place of the value of column c at row r among the column's values, in grid order. */
static size_t value_place(const struct table *t, size_t c, size_t r)
{
	const char *want = t->rows[r].cells[c].text;
	size_t place = 0;

	for (size_t p = 0; p < t->nrows; p += (size_t)t->nseeds) {
		const char *v = t->rows[p].cells[c].text;
		bool earlier = false;

		for (size_t q = 0; q < p && !earlier; q += (size_t)t->nseeds)
			earlier = strcmp(t->rows[q].cells[c].text, v) == 0;
		if (earlier)
			continue;
		if (strcmp(v, want) == 0)
			break;
		place++;
	}
	return place;
}

/* A number in the fewest digits that read back the same (0.1, not 0.10000000000000001). */
static void put_shortest(FILE *f, double v)
{
	char buf[64];

	for (int prec = 1; prec <= 17; prec++) {
		snprintf(buf, sizeof buf, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			break;
	}
	fputs(buf, f);
}

/*
 * The plot's data (dat) and script (gp): key's median, with bars from Q1
 * to Q3, against the --vary key `against`, one line per combination of the
 * other --vary keys. base: the files' names without the directory.
 */
void table_write_plot(FILE *dat, FILE *gp, const struct table *t, const char *key,
		       const char *against, const char *base)
{
	size_t kc = 0, ac = 0, ns = 0;
	struct series *ser = NULL;
	const struct summary_key *k = summary_key(key);
	int dec = table_quartile_decimals(key);
	const char *unit;
	bool numeric;
	char title[1024];

	while (strcmp(t->cols[kc], key) != 0)
		kc++;
	while (strcmp(t->cols[ac], against) != 0)
		ac++;
	numeric = numeric_axis(t, ac, &unit);
	for (size_t r = 0; r < t->nrows; r += (size_t)t->nseeds) {
		size_t s;

		for (s = 0; s < ns && !same_other_values(t, ser[s].first, r, ac); s++)
			;
		if (s == ns) {
			ser = xrealloc(ser, (ns + 1) * sizeof(*ser));
			ser[ns].first = r;
			ser[ns].points = NULL;
			ser[ns].n = 0;
			ns++;
		}
		ser[s].points = xrealloc(ser[s].points, (ser[s].n + 1) * sizeof(size_t));
		ser[s].points[ser[s].n++] = r;
	}
	fprintf(dat, "# tcpsim sweep --plot %s --against %s: scenario %s, %" PRIu64
		" seeds per point\n", key, against, t->scenario, t->nseeds);
	fputs("# One block per line of the plot; in each, per grid point:\n"
	      "# x label median q1 q3\n", dat);
	for (size_t s = 0; s < ns; s++) {
		if (s > 0)
			fputs("\n\n", dat);
		for (size_t i = 0; i < ser[s].n; i++) {
			size_t r = ser[s].points[i];
			const char *label = t->rows[r].cells[ac].text;
			char buf[512];
			double q[3];

			if (point_quartiles(t, r, (size_t)t->nseeds, kc, q) == 0)
				continue;
			if (numeric)
				put_shortest(dat, strtod(label, NULL));
			else
				fprintf(dat, "%zu", value_place(t, ac, r));
			fputs(" \"", dat);
			for (const char *p = label; *p; p++)
				fputc(*p == '"' || (unsigned char)*p < 0x20 ? '?' : *p, dat);
			fputc('"', dat);
			for (int j = 0; j < 3; j++) {
				sweep_format_number(buf, sizeof buf, q[j], dec);
				fprintf(dat, " %s", buf);
			}
			fputc('\n', dat);
		}
	}
	fprintf(gp, "# tcpsim sweep --plot: %s against %s, the median of each grid point with\n"
		    "# bars from its first to its third quartile, drawn from %s-plot.dat beside\n"
		    "# this script into %s-plot.png:  gnuplot PATH/TO/%s-plot.gp\n",
		key, against, base, base, base);
	fputs("dir = ''\n"
	      "do for [i = strlen(ARG0):1:-1] { if (dir eq '' && ARG0[i:i] eq '/') { dir = ARG0[1:i] } }\n"
	      "if (!exists('part')) { part = '' }\n"
	      "set terminal pngcairo size 1000,640 noenhanced font 'Sans,10' background rgb 'white'\n",
	      gp);
	fputs("set output dir.", gp);
	snprintf(title, sizeof title, "%s-plot.png", base);
	put_gp_quoted(gp, title);
	fputs(".part\nset title ", gp);
	snprintf(title, sizeof title, "%s: %s against %s (median and quartiles of %" PRIu64
		 " seeds)", t->scenario, key, against, t->nseeds);
	put_gp_quoted(gp, title);
	fputs("\nset xlabel ", gp);
	if (numeric && *unit)
		snprintf(title, sizeof title, "%s (%s)", against, unit);
	else
		snprintf(title, sizeof title, "%s", against);
	put_gp_quoted(gp, title);
	fputs("\nset ylabel ", gp);
	if (k->unit[0])
		snprintf(title, sizeof title, "%s (%s)", key, k->unit);
	else
		snprintf(title, sizeof title, "%s", key);
	put_gp_quoted(gp, title);
	/* Every number of the summary is a count, a size, a time or a rate. */
	fputs("\nset yrange [0:*]\nset grid\nset key below\n"
	      "set offsets graph 0.05, graph 0.05, graph 0.05, 0\n", gp);
	fputs("data = dir.", gp);
	snprintf(title, sizeof title, "%s-plot.dat", base);
	put_gp_quoted(gp, title);
	fputs("\n", gp);
	for (size_t s = 0; s < ns; s++) {
		size_t used = 0;

		title[0] = '\0';
		for (size_t c = 0; c < t->nvary && used < sizeof title; c++)
			if (c != ac)
				used += (size_t)snprintf(title + used, sizeof title - used, "%s%s=%s",
							 used ? ", " : "", t->cols[c],
							 t->rows[ser[s].first].cells[c].text);
		if (!title[0])
			snprintf(title, sizeof title, "median, Q1 to Q3");
		fputs(s == 0 ? "plot " : ", \\\n     ", gp);
		fprintf(gp, "data index %zu using 1:3:4:5%s with yerrorlines lw 2 pt 7 title ", s,
			numeric ? "" : ":xticlabels(2)");
		put_gp_quoted(gp, title);
	}
	fputs("\nunset output\n", gp);
	for (size_t s = 0; s < ns; s++)
		free(ser[s].points);
	free(ser);
}

static void put_header_string(FILE *f, const char *name, const char *value)
{
	fputs(", ", f);
	table_put_json_string(f, name);
	fputs(": ", f);
	table_put_json_string(f, value);
}

void table_write_shard(FILE *f, const struct shard_id *id, const struct table *t)
{
	fprintf(f, "{\"tcpsim_sweep_shard\": %d", SHARD_FORMAT);
	put_header_string(f, "version", id->version);
	put_header_string(f, "scenario", id->scenario);
	put_header_string(f, "grid", id->grid);
	put_header_string(f, "vary", id->vary);
	put_header_string(f, "keys", id->keys);
	fprintf(f, ", \"seeds_per_point\": %" PRIu64 ", \"runs\": %" PRIu64 ", \"shards\": %" PRIu64
		", \"shard\": %" PRIu64 "}\n", id->seeds_per_point, id->runs, id->shards, id->shard);
	table_write_jsonl(f, t);
}

/* The value of header field name of the given type, or NULL. */
static const char *header_get(const struct pair *h, size_t n, const char *name,
			      enum cell_type type)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(h[i].name, name) == 0)
			return h[i].value.type == type ? h[i].value.text : NULL;
	return NULL;
}

/* Splits a comma-separated header list ("" is none) into freshly allocated names. */
static char **split_list(const char *s, size_t *n)
{
	char **out = NULL;

	*n = 0;
	while (*s) {
		size_t len = strcspn(s, ",");

		out = xrealloc(out, (*n + 1) * sizeof(*out));
		out[*n] = xrealloc(NULL, len + 1);
		memcpy(out[*n], s, len);
		out[(*n)++][len] = '\0';
		s += len + (s[len] == ',');
	}
	return out;
}

static void free_list(char **l, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* What the first shard's header says, which every other must repeat. */
struct merge {
	char *first_path;
	struct pair *hdr;            /* the first shard's header */
	size_t nhdr;
	uint64_t runs, shards;
	char **shard_path;           /* per shard number: the file that had it */
};

struct merge *merge_new(void)
{
	struct merge *m = calloc(1, sizeof(*m));

	if (!m)
		abort();
	return m;
}

void merge_free(struct merge *m)
{
	if (!m)
		return;
	free_pairs(m->hdr, m->nhdr);
	for (uint64_t k = 0; m->shard_path && k < m->shards; k++)
		free(m->shard_path[k]);
	free(m->shard_path);
	free(m->first_path);
	free(m);
}

/*
 * The header of a shard file (its first line), checked against the first
 * one's, or taken as the first one (setting up t). The shard's number into
 * *k. 0, or -1 with err set.
 */
static int read_header(struct merge *m, const char *path, const char *line, struct table *t,
		       uint64_t *k, char *err, size_t errlen)
{
	const char *fmt, *runs, *shards, *shard, *spp, *vary, *keys, *scen;
	struct pair *h;
	size_t nh, col;
	uint64_t runs_n, shards_n, spp_n;

	if (parse_object(line, &h, &nh, &col) != 0)
		h = NULL, nh = 0;
	if (!h || !(fmt = header_get(h, nh, "tcpsim_sweep_shard", CELL_NUMBER))) {
		free_pairs(h, nh);
		snprintf(err, errlen, "%s:1:1: not a shard file of tcpsim sweep (its first line is"
			 " not a shard's header)", path);
		return -1;
	}
	if (strcmp(fmt, "1") != 0) {
		snprintf(err, errlen, "%s:1:1: a shard file of format %.20s; this tcpsim reads"
			 " format %d", path, fmt, SHARD_FORMAT);
		free_pairs(h, nh);
		return -1;
	}
	runs = header_get(h, nh, "runs", CELL_NUMBER);
	shards = header_get(h, nh, "shards", CELL_NUMBER);
	shard = header_get(h, nh, "shard", CELL_NUMBER);
	spp = header_get(h, nh, "seeds_per_point", CELL_NUMBER);
	vary = header_get(h, nh, "vary", CELL_STRING);
	keys = header_get(h, nh, "keys", CELL_STRING);
	scen = header_get(h, nh, "scenario", CELL_STRING);
	if (!runs || !shards || !shard || !spp || !vary || !keys || !scen ||
	    parse_uint(runs, &runs_n) || parse_uint(shards, &shards_n) || parse_uint(shard, k) ||
	    parse_uint(spp, &spp_n) || shards_n == 0 || *k >= shards_n || spp_n == 0 ||
	    runs_n > SWEEP_MAX_RUNS || runs_n % spp_n != 0 || shards_n > SWEEP_MAX_RUNS) {
		snprintf(err, errlen, "%s:1:1: a shard header without its runs, shards, shard,"
			 " seeds_per_point, vary, keys or scenario (or with impossible ones)", path);
		free_pairs(h, nh);
		return -1;
	}
	if (!m->hdr) {
		size_t nv, nk;
		char **v = split_list(vary, &nv), **ks = split_list(keys, &nk);

		m->first_path = xstrdup(path);
		m->hdr = h;
		m->nhdr = nh;
		m->runs = runs_n;
		m->shards = shards_n;
		m->shard_path = calloc((size_t)shards_n, sizeof(*m->shard_path));
		if (!m->shard_path)
			abort();
		table_init(t, scen, (const char *const *)v, nv, (const char *const *)ks, nk, spp_n,
			   (size_t)runs_n);
		free_list(v, nv);
		free_list(ks, nk);
		return 0;
	}
	for (size_t i = 0; i < nh || i < m->nhdr; i++) {
		const struct pair *a = i < nh ? &h[i] : NULL, *b = i < m->nhdr ? &m->hdr[i] : NULL;

		if (a && b && strcmp(a->name, b->name) == 0 && strcmp(a->name, "shard") == 0)
			continue;
		if (!a || !b || strcmp(a->name, b->name) != 0 || a->value.type != b->value.type ||
		    strcmp(a->value.text, b->value.text) != 0) {
			snprintf(err, errlen, "%s:1:1: not a shard of the same sweep as %s (its"
				 " header's \"%.100s\" differs)", path, m->first_path,
				 (a ? a : b)->name);
			free_pairs(h, nh);
			return -1;
		}
	}
	free_pairs(h, nh);
	return 0;
}

int merge_read(struct merge *m, const char *path, struct table *t, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	uint64_t k, j = 0, want, lineno = 1;
	int rc = -1;

	if (!f) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		return -1;
	}
	if (getline(&line, &cap, f) < 0) {
		snprintf(err, errlen, "%s:1:1: empty: not a shard file of tcpsim sweep", path);
		goto out;
	}
	if (read_header(m, path, line, t, &k, err, errlen) != 0)
		goto out;
	if (m->shard_path[k]) {
		snprintf(err, errlen, "%s:1:1: shard %" PRIu64 "/%" PRIu64 " again (%s has it)", path,
			 k, m->shards, m->shard_path[k]);
		goto out;
	}
	m->shard_path[k] = xstrdup(path);
	want = sweep_shard_runs(m->runs, k, m->shards);
	while (getline(&line, &cap, f) >= 0) {
		uint64_t r = sweep_shard_run(k, m->shards, j);
		struct row row;
		char why[512];
		size_t col;

		lineno++;
		if (table_parse_row(t, line, &row, &col, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%" PRIu64 ":%zu: %s", path, lineno, col, why);
			goto out;
		}
		if (j >= want || row.run != r) {
			if (j >= want)
				snprintf(err, errlen, "%s:%" PRIu64 ":1: more rows than shard %" PRIu64
					 "/%" PRIu64 " has (%" PRIu64 ")", path, lineno, k, m->shards, want);
			else
				snprintf(err, errlen, "%s:%" PRIu64 ":1: run %" PRIu64 " where run %" PRIu64
					 " was due", path, lineno, row.run, r);
			table_row_free(t, &row);
			goto out;
		}
		t->rows[r] = row;
		j++;
	}
	if (ferror(f)) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (j != want) {
		snprintf(err, errlen, "%s:%" PRIu64 ":1: shard %" PRIu64 "/%" PRIu64 " has %" PRIu64
			 " of its %" PRIu64 " rows (a file cut short?)", path, lineno, k, m->shards, j,
			 want);
		goto out;
	}
	rc = 0;
out:
	free(line);
	fclose(f);
	return rc;
}

int merge_complete(const struct merge *m, char *err, size_t errlen)
{
	if (!m->hdr) {
		snprintf(err, errlen, "--merge: no shard file read");
		return -1;
	}
	for (uint64_t k = 0; k < m->shards; k++)
		if (!m->shard_path[k]) {
			snprintf(err, errlen, "--merge: shard %" PRIu64 "/%" PRIu64 " is missing (the"
				 " sweep has %" PRIu64 " shards; give every one's file)", k, m->shards,
				 m->shards);
			return -1;
		}
	return 0;
}
