/*
 * mmdb: importing diagnostic text, and the queries behind `mmlock db`
 * (list, stats, diff, triage, export, sql).  Every function returns 0 on
 * success and -1 with mmdb_errmsg() set; values from the user are always
 * bound as SQL parameters.
 */
#ifndef MMLOCK_DB_QUERY_H
#define MMLOCK_DB_QUERY_H

#include <signal.h>
#include <stdio.h>
#include "mmdb.h"

#ifdef __cplusplus
extern "C" {
#endif

enum mmdb_format {
	MMDB_TEXT,		/* the diagnostic format, notes included */
	MMDB_TSV,		/* a header line, then tab-separated rows */
	MMDB_CSV,		/* RFC 4180, with a header line */
	MMDB_JSON,		/* one array (or object, for stats and diff) */
	MMDB_SARIF,		/* SARIF 2.1.0 (export only) */
};

/* "text", "tsv", ... -> format, or -1 */
int mmdb_format_parse(const char *name);

struct mmdb_import_opts {
	const char *engine;		/* engine of the lines; NULL: gcc-plugin */
	const char *root;		/* the source tree; NULL: "." */
	const char *kernel_version, *git_rev, *rules, *key;
	volatile sig_atomic_t *stop;	/* set by a signal: end as interrupted */
};

struct mmdb_import_result {
	int64_t run;
	long findings, lines;
	int interrupted;
};

/* Import the diagnostic text read from IN (called NAME in messages) as one
 * run.  A line that looks like a diagnostic but cannot be read stores
 * nothing at all: -1 and "NAME:LINE: ..." in mmdb_errmsg(). */
int mmdb_import(struct mmdb *db, FILE *in, const char *name,
		const struct mmdb_import_opts *o, struct mmdb_import_result *res);

/* Which findings: NULL fields do not filter. */
struct mmdb_filter {
	const char *rule, *file, *function, *engine;
	const char *status;		/* confirmed, false-positive, wont-fix, untriaged */
	int64_t run;			/* 0: any */
};

/* A run given as N, "latest" (the newest complete run, or the newest run
 * when none is complete) or "latest~K" (K complete runs before it). */
int mmdb_run_resolve(struct mmdb *db, const char *spec, int64_t *run);
/* RUN's status into STATUS: "complete", "incomplete" (still being
 * written, or its writer killed) or "interrupted". */
int mmdb_run_status(struct mmdb *db, int64_t run, char status[16]);

/* What the rules data says of a rule id (NULL: nothing). */
struct mmdb_rule_doc {
	const char *id, *title, *about, *help;
};

int mmdb_list(struct mmdb *db, const struct mmdb_filter *f, enum mmdb_format fmt,
	      FILE *out, long *count);
int mmdb_sarif(struct mmdb *db, const struct mmdb_filter *f,
	       const struct mmdb_rule_doc *docs, int ndocs, FILE *out);

/* `mmlock db html`: a static report in OUTDIR (db/html.c). */
struct mmdb_html_opts {
	const char *root;		/* the analysed tree, for the source; NULL: "." */
	const char *db_path;		/* named in the triage commands shown */
	const struct mmdb_rule_doc *docs;
	int ndocs;
};
struct mmdb_html_result {
	long findings;			/* pages written */
	long long bytes;		/* in all files */
};
int mmdb_html(struct mmdb *db, const struct mmdb_filter *f, const struct mmdb_html_opts *o,
	      const char *outdir, struct mmdb_html_result *res);

enum { MMDB_BY_RULE = 1, MMDB_BY_FILE = 2, MMDB_BY_RUN = 4 };
int mmdb_stats(struct mmdb *db, const struct mmdb_filter *f, unsigned by,
	       enum mmdb_format fmt, FILE *out);

struct mmdb_diff_counts {
	long added, fixed, unchanged;
	long added_untriaged;		/* new and not false-positive/wont-fix */
	char old_status[16], new_status[16];	/* mmdb_run_status */
};
int mmdb_diff(struct mmdb *db, int64_t old_run, int64_t new_run, int all,
	      enum mmdb_format fmt, FILE *out, struct mmdb_diff_counts *c);

/* STATUS: confirmed, false-positive, wont-fix, or clear.  FP may be a
 * unique prefix (at least 4 digits) of a stored fingerprint; FORCE allows
 * a fingerprint no stored finding has. */
int mmdb_triage(struct mmdb *db, const char *fp, const char *status, const char *note,
		int force, char resolved[17]);

/* Run one read-only statement, PARAMS bound to ?1..?N. */
int mmdb_sql(struct mmdb *db, const char *sql, char **params, int nparams,
	     enum mmdb_format fmt, FILE *out);

#ifdef __cplusplus
}
#endif
#endif
