/*
 * Internals of the db library shared between its files: the handle, the
 * queue of a run being written, error helpers, the source reader and the
 * diagnostic-line parser.
 */
#ifndef MMLOCK_DB_INTERNAL_H
#define MMLOCK_DB_INTERNAL_H

#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>
#include "mmdb.h"
#include "query.h"

/* A queued finding: its strings are interned in the run's table (strtab.c),
 * so equal strings are equal pointers -- but the message, only copied
 * there; the function may be NULL. */
struct pnote {
	const char *file;
	int line, col;
	const char *message;
};

struct pfinding {
	const char *rule, *file, *function, *message, *engine, *severity;
	int line, col;
	char fp[17];
	struct pnote *notes;
	int nnotes;
	uint64_t hash;			/* of the exact finding, for repeats */
};

struct prun {
	int64_t id;
	char *engine;			/* first engine of meta->engines */
	char *engines;			/* all of them, merged at the end */
	char *root;			/* as given, for the source */
	char *root_abs;			/* absolute, to relativise paths */
	struct mmdb_strtab *strs;	/* the findings' strings, notes too */
	struct pfinding *f;
	long n, cap;
	long *order;			/* f[] in place order, repeats left out */
	long norder;			/* (made when asked, NULL after an add) */
};

/* strtab.c: interned strings with dense ids, and memory that lives as
 * long as the table.  mmdb_istr_len/hash take a string the table made. */
struct mmdb_strtab;
struct mmdb_strtab *mmdb_strtab_new(void);
void mmdb_strtab_free(struct mmdb_strtab *t);
/* The id of S (LEN bytes), added if new (*ADDED set); -1 out of memory. */
long mmdb_strtab_id(struct mmdb_strtab *t, const char *s, size_t len, int *added);
const char *mmdb_strtab_str(const struct mmdb_strtab *t, long id);
long mmdb_strtab_count(const struct mmdb_strtab *t);
const char *mmdb_intern(struct mmdb_strtab *t, const char *s);	/* NULL: no memory */
const char *mmdb_strtab_copy(struct mmdb_strtab *t, const char *s);	/* not interned */
int mmdb_istr_eq(const char *a, const char *b);	/* interned or copied */
void *mmdb_strtab_alloc(struct mmdb_strtab *t, size_t n);
size_t mmdb_istr_len(const char *s);
uint64_t mmdb_istr_hash(const char *s);
uint64_t mmdb_hash_bytes(const char *s, size_t len);	/* FNV-1a */
int64_t mmdb_istr_dbid(const char *s);		/* its texts id (texts.c), 0: none */
void mmdb_istr_set_dbid(const char *s, int64_t id);
void mmdb_strtab_forget_dbids(struct mmdb_strtab *t);

/* texts.c: a note's strings as ids of the texts table.  Writing: the id
 * of a string of a run's table, added if new (0: error, SQLite code in
 * *RC); reading: the text of an id, kept as long as the handle. */
struct mmdb_texts;
struct mmdb_texts *mmdb_texts_new(struct mmdb *db);
void mmdb_texts_free(struct mmdb_texts *t);
int64_t mmdb_texts_id(struct mmdb_texts *t, const char *s, int *rc);
const char *mmdb_texts_str(struct mmdb_texts *t, int64_t id);

#define MMDB_CACHE_KIB	"65536"		/* a writer's page cache (KiB) */

struct mmdb {
	sqlite3 *h;
	char *path;
	unsigned flags;
	int opened_as;
	int timeout_ms;			/* give up retrying after this */
	struct prun *run;		/* the run this handle writes */
	struct mmdb_src *src;		/* source files read for fingerprints */
	char err[1024];
};

/* store.c */
void mmdb_run_free(struct prun *r);
/* order.c: R's order and norder, its findings by place, repeats left
 * out (-1: out of memory). */
int mmdb_run_order(struct prun *r);

/* txn.c */
int mmdb_seterr(struct mmdb *db, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int mmdb_sqlerr(struct mmdb *db, const char *what);
int mmdb_is_busy(int rc);
void mmdb_backoff(int attempt);
int64_t mmdb_now_ms(void);
/* Run SQL binding ARGS by TYPES: 's' text (NULL binds NULL), 'i' int,
 * 'l' int64; returns an SQLite code (SQLITE_OK when done). */
int mmdb_execv(struct mmdb *db, const char *sql, const char *types, ...);
int mmdb_write_txn(struct mmdb *db, int (*fn)(struct mmdb *, void *), void *arg);
int mmdb_read_begin(struct mmdb *db);
void mmdb_read_end(struct mmdb *db);

/* source.c: the enclosing function and the statement at a line. */
struct mmdb_src *mmdb_src_new(void);
void mmdb_src_free(struct mmdb_src *s);
/* 0, with *FUNCTION (NULL: none) and *STMT malloc'ed, when ROOT/FILE is
 * readable and has LINE; -1 when it is not. */
int mmdb_src_locate(struct mmdb_src *s, const char *root, const char *file,
		    int line, char **function, char **stmt);
/* The same, the strings kept by S: valid until the next lookup. */
int mmdb_src_find(struct mmdb_src *s, const char *root, const char *file, int line,
		  const char **function, const char **stmt);
/* The lines of ROOT/FILE (NULL when unreadable; valid until the next
 * lookup may drop the cache), and the lines (1-based) from the header of
 * the function enclosing LINE to its closing brace (LINE, LINE at file
 * scope). */
const char *const *mmdb_src_lines(struct mmdb_src *s, const char *root, const char *file,
				  int *nlines);
void mmdb_src_function_extent(struct mmdb_src *s, const char *root, const char *file,
			      int line, int *first, int *last);

/* fingerprint.c */
char *mmdb_norm_message(const char *msg);	/* digits out, malloc'ed */
char *mmdb_norm_code(const char *text);		/* whitespace squeezed */

/* parse.c: one line of diagnostic text. */
enum mmdb_diag_kind {
	DIAG_NONE,		/* not a diagnostic: skipped */
	DIAG_FINDING,		/* warning, error or info */
	DIAG_NOTE,
	DIAG_CONTEXT,		/* gcc's "FILE: In function 'f':" */
	DIAG_BAD,		/* looks like one, cannot be read */
};

struct mmdb_diag {
	enum mmdb_diag_kind kind;
	char *file;
	int line, col;
	char *function;		/* smatch's, or the context's */
	char *severity;		/* "warning", "error", "info" */
	char *message;
	char *rule;		/* [mmlock:RULE] or [-Wxxx]; NULL: none */
	int mmlock;		/* rule came from [mmlock:RULE] */
	const char *why;	/* DIAG_BAD */
};

/* Parse LINE (changed in place; D points into it). */
enum mmdb_diag_kind mmdb_parse_line(char *line, struct mmdb_diag *d);
/* SQL function mmlock_note_part(LINE, PART), for db/migrate-1.sql. */
void mmdb_register_functions(sqlite3 *h);

/* tree.c: what is known about the analysed tree. */
char *mmdb_kernel_version(const char *root);
char *mmdb_git_rev(const char *root);
char *mmdb_abspath(const char *path);
const char *mmdb_relpath(const char *root_abs, const char *file);

/* select.c: findings with their triage mark and notes, one at a time. */
struct mmdb_filter;
struct mmdb_row {			/* valid in the callback only */
	int64_t id, run;
	const char *rule, *file, *function, *message, *engine, *severity, *fingerprint;
	const char *triage, *triage_note;
	int line, col;
	struct mmdb_note *notes;	/* their strings live as long as the walk */
	int nnotes, cap;
};

/* path.c: a finding's notes as stored with it (findings.path).  Writing:
 * at most mmdb_path_max(N) bytes into OUT, the length returned (-1: an
 * error, the SQLite code in *RC); reading: R's notes (NULL S: none),
 * -1 when S is not a path. */
size_t mmdb_path_max(int n);
long mmdb_path_write(char *out, const struct pnote *notes, int n, struct mmdb_texts *t, int *rc);
int mmdb_path_read(struct mmdb_row *r, const char *s, int len, struct mmdb_texts *t);

/* " AND ..." conditions for F on findings f and triage t, with named
 * parameters (:rule, :file, ...) that mmdb_filter_bind() binds. */
void mmdb_filter_sql(const struct mmdb_filter *f, char *buf, size_t n);
void mmdb_filter_bind(sqlite3_stmt *st, const void *filter);
/* Call FN for each finding matching WHERE (SQL over f and t), in the
 * order run, file, line, column; BIND binds WHERE's parameters.  HOW:
 * MMDB_ROWS_BRIEF, only what the text format shows (no function, engine,
 * fingerprint or triage mark), and WHERE is over f alone;
 * MMDB_ROWS_BY_ID, WHERE selects from one run whose ids follow that
 * order (runs.ordered), in a range of ids: the table is read by id. */
enum { MMDB_ROWS_BRIEF = 1, MMDB_ROWS_BY_ID = 2 };
int mmdb_each_finding(struct mmdb *db, const char *where, unsigned how,
		      void (*bind)(sqlite3_stmt *, const void *), const void *barg,
		      int (*fn)(const struct mmdb_row *, void *), void *arg);
void mmdb_bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v);
void mmdb_bind_named_text(sqlite3_stmt *st, const char *name, const char *v);

/* list.c: one finding in the list formats. */
void mmdb_row_text(FILE *out, const struct mmdb_row *r, const char *prefix, int notes);
void mmdb_row_json(FILE *out, const struct mmdb_row *r);
void mmdb_row_header(FILE *out, enum mmdb_format fmt, const char *first);
void mmdb_row_fields(FILE *out, enum mmdb_format fmt, const struct mmdb_row *r,
		     const char *first);

/* tally.c: per key, findings and distinct fingerprints, others and
 * triaged fingerprints.  mmdb_tally_rows() sorts (most findings first),
 * after which nothing more is added. */
struct mmdb_tally;
struct mmdb_tally_row {
	const char *key;
	long findings, distinct, others, triaged;
};
struct mmdb_tally *mmdb_tally_new(long rows);
/* FP: mmdb_fp_value() of the fingerprint, computed once for both tallies */
uint64_t mmdb_fp_value(const char *fingerprint);
int mmdb_tally_add(struct mmdb_tally *t, const char *key, uint64_t fp,
		   const char *other, int triaged);
long mmdb_tally_rows(struct mmdb_tally *t, const struct mmdb_tally_row **rows);
void mmdb_tally_free(struct mmdb_tally *t);
/* One finding into T[0] (the whole: key ""), T[1] (by rule, other: the
 * file) and T[2] (by file, other: the rule); NULL ones are skipped. */
int mmdb_tally_finding(struct mmdb_tally *t[3], const char *rule, const char *file,
		       uint64_t fp, int triaged);

/* stats.c: how many findings F selects (roughly: to size tallies), and
 * those findings into the tallies T (as mmdb_tally_finding). */
long mmdb_stats_rows(struct mmdb *db, const struct mmdb_filter *f);
int mmdb_stats_scan(struct mmdb *db, const struct mmdb_filter *f, struct mmdb_tally *t[3]);

/* counts.c: a run's stored counts (run_counts).  Written in the
 * transaction that ends its last writer -- from R, the queue, when that
 * writer was its only one, else from its stored findings -- and dropped
 * when a writer joins it. */
int mmdb_counts_write(struct mmdb *db, int64_t run, const struct prun *r);
int mmdb_counts_drop(struct mmdb *db, int64_t run);

/* step.c: what a note of a finding's path says happened at its line. */
enum mmdb_step {
	MMDB_STEP_OTHER, MMDB_STEP_TAKEN, MMDB_STEP_DROPPED, MMDB_STEP_LEARNED,
	MMDB_STEP_USED, MMDB_STEP_FINDING,	/* the finding's own place */
};
enum mmdb_step mmdb_step_kind(const char *note_message);
const char *mmdb_step_name(enum mmdb_step k);
const char *mmdb_step_sarif_kinds(enum mmdb_step k);

/* ruledoc.c: a rule's documentation, a stand-in where there is none. */
struct mmdb_rule_doc mmdb_rule_doc_of(const struct mmdb_rule_doc *docs, int ndocs,
				      const char *id);
void mmdb_rule_name(const char *id, char *out, size_t n);	/* PascalCase */

/* html_page.c: one finding's page of the HTML report. */
int mmdb_html_page(FILE *out, const struct mmdb_row *r, struct mmdb_src *src,
		   const struct mmdb_html_opts *o);

/* out.c: quoting for the output formats (and HTML text). */
void mmdb_json_str(FILE *out, const char *s);
void mmdb_json_strn(FILE *out, const char *s, size_t len);
void mmdb_csv_str(FILE *out, const char *s);
void mmdb_tsv_str(FILE *out, const char *s);
void mmdb_tsv_strn(FILE *out, const char *s, size_t len);
void mmdb_text_str(FILE *out, const char *s);
size_t mmdb_text_span(const char *s, size_t len);	/* bytes text writes as they are */
void mmdb_html_str(FILE *out, const char *s);

#endif
