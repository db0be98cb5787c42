/*
 * sweep_table: the rows of a sweep (sweep_run.c) and every file made of
 * them: PREFIX.csv, PREFIX.jsonl, PREFIX-points.csv, the plot's data and
 * script, and the shard files that --merge reads back.
 *
 * A row is one JSON line, {"run": R, "KEY": "VALUE", ..., "seed": S,
 * "SUMMARY.KEY": VALUE, ...}: a worker writes it, and it is read back into
 * cells (a JSON type and its text) by table_parse_row, whether it comes
 * from a worker's pipe or from a shard file. Every output is written from
 * the cells' text, the quartiles too: so what a sweep writes depends on
 * its rows' text alone, and a merge of its shards, which has only that
 * text, writes the same bytes.
 *
 * The quartiles of a grid point are type 7 (sweep.h), over the point's
 * runs that have the key, printed with two more decimals than the key's
 * own (a quartile can lie a quarter of the way between two values).
 *
 * Callers: sweep_run.c, tests/check_sweep.c.
 */
#ifndef TCPSIM_SWEEP_TABLE_H
#define TCPSIM_SWEEP_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum cell_type { CELL_NULL, CELL_NUMBER, CELL_BOOL, CELL_STRING };

/* One value of a row: its JSON type and its text (a string unescaped). */
struct cell {
	enum cell_type type;
	char *text;
};

struct row {
	uint64_t run;
	struct cell *cells;           /* one per column; NULL: not filled (yet) */
};

struct table {
	char *scenario;               /* the scenario's name: */
	char **cols;                  /* the --vary keys, "seed", the summary keys */
	size_t ncols, nvary;
	uint64_t nseeds;              /* runs per grid point */
	struct row *rows;             /* in run order */
	size_t nrows;
};

/* A table of nrows empty rows with those columns. */
void table_init(struct table *t, const char *scenario, const char *const *vary, size_t nvary,
		const char *const *keys, size_t nkeys, uint64_t nseeds, size_t nrows);
void table_free(struct table *t);

/* s as a JSON string, as a row holds it. */
void table_put_json_string(FILE *f, const char *s);
/*
 * One row line into *r: a flat JSON object whose names are "run" and t's
 * columns, in order. 0, or -1 with a message in err and the 1-based column
 * of the problem in *col.
 */
int table_parse_row(const struct table *t, const char *line, struct row *r, size_t *col,
		    char *err, size_t errlen);
void table_row_free(const struct table *t, struct row *r);

/* A header line, then the rows: run, the columns (RFC 4180 quoting). */
void table_write_csv(FILE *f, const struct table *t);
/* The rows, one JSON line each. */
void table_write_jsonl(FILE *f, const struct table *t);
/*
 * One row per grid point (every nseeds rows; t has every row): its --vary
 * values, n, and KEY.median, KEY.q1, KEY.q3 of each numeric key.
 */
void table_write_points(FILE *f, const struct table *t);
/* The decimals of a summary key's quartiles; -1 when it is not a number. */
int table_quartile_decimals(const char *key);
/*
 * The plot of key against the --vary key `against`: its data (dat) and a
 * gnuplot script (gp) that draws it into BASE-plot.png beside itself, from
 * BASE-plot.dat (base: the prefix without its directory).
 */
void table_write_plot(FILE *dat, FILE *gp, const struct table *t, const char *key,
		      const char *against, const char *base);

/* What a shard file's header says: every shard of one sweep says the same but shard. */
struct shard_id {
	const char *version, *scenario;
	const char *grid;             /* the --set, --vary, --seeds, --max-events given */
	const char *vary, *keys;      /* the columns, comma-separated */
	uint64_t seeds_per_point, runs, shards, shard;
};

/* The header line, then t's rows (the shard's). */
void table_write_shard(FILE *f, const struct shard_id *id, const struct table *t);

/* Shard files being merged into one table. */
struct merge;
struct merge *merge_new(void);
/*
 * Reads one shard file: the first sets up t (its columns and every run's
 * place); the others must be shards of the same sweep. 0, or -1 with a
 * message in err ("FILE:LINE:COL: ..." when it is about the file's text).
 */
int merge_read(struct merge *m, const char *path, struct table *t, char *err, size_t errlen);
/* Whether every shard has been read: 0, or -1 with a message in err. */
int merge_complete(const struct merge *m, char *err, size_t errlen);
void merge_free(struct merge *m);

#endif
