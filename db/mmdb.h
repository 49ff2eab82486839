/*
 * mmdb: the mmlock findings store (SQLite), the writer's API.
 *
 * Every engine records findings the same way:
 *
 *	char *err;
 *	struct mmdb *db = mmdb_open(path, MMDB_CREATE, &err);
 *	struct mmdb_run_meta meta = { .engines = "gcc-plugin" };
 *	int64_t run = mmdb_run_begin(db, &meta);
 *	mmdb_add(db, run, &finding);		(as many as there are)
 *	mmdb_run_end(db, run, 1);		(0: the run was interrupted)
 *	mmdb_close(db);
 *
 * A run is committed as soon as it begins (status 'incomplete'); its
 * findings are kept in memory and written, all of them, in the one
 * transaction that ends it.  A writer that dies leaves an incomplete run
 * and no findings; many writers at once (make -jN) wait for each other
 * and retry, they do not fail.  Writers that pass the same meta.key share
 * one run, which is complete when the last of them has ended.
 *
 * Errors: functions return -1 (or NULL) and mmdb_errmsg() says why, as
 * one line naming the database file.  Plain C, usable from C++.
 */
#ifndef MMLOCK_MMDB_H
#define MMLOCK_MMDB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef MMLOCK_VERSION
#define MMLOCK_VERSION "0.1"
#endif
#define MMDB_SCHEMA_VERSION	4
#define MMDB_APPLICATION_ID	0x6d6d6c6b	/* 'mmlk' */

struct mmdb;

enum mmdb_open_flags {
	MMDB_CREATE	= 1,	/* create (and initialise) a missing database */
	MMDB_READONLY	= 2,	/* open read-only: no migration, no writes */
};

/* Open PATH, checking that it is an mmlock database of a known schema
 * version, and migrating an older one (unless MMDB_READONLY).  On error
 * returns NULL and sets *ERR to a malloc'ed one-line message. */
struct mmdb *mmdb_open(const char *path, unsigned flags, char **err);
void mmdb_close(struct mmdb *db);
const char *mmdb_errmsg(const struct mmdb *db);
const char *mmdb_path(const struct mmdb *db);
/* What mmdb_open() did to the schema: 0 nothing, else the version it
 * created (MMDB_SCHEMA_VERSION) or migrated from (negative). */
int mmdb_opened_as(const struct mmdb *db);

struct mmdb_run_meta {
	const char *tool_version;	/* NULL: MMLOCK_VERSION */
	const char *kernel_version;	/* NULL: read from ROOT/Makefile */
	const char *git_rev;		/* NULL: read from ROOT/.git */
	const char *engines;		/* comma-separated engine names */
	const char *rules;		/* rules run, comma-separated; NULL: all */
	const char *source;		/* what is being recorded (a file name) */
	const char *key;		/* share the run with other writers;
					 * NULL: $MMLOCK_RUN_KEY, if set */
	const char *root;		/* the source tree; NULL: "." */
};

struct mmdb_note {
	const char *file;
	int line, col;
	const char *message;
};

struct mmdb_finding {
	const char *rule;		/* rule id, e.g. "pte-lock" */
	const char *file;
	int line, col;			/* col 0: unknown */
	const char *function;		/* NULL: found in the source */
	const char *message;
	const char *engine;		/* NULL: the run's first engine */
	const char *severity;		/* "warning" (NULL), "error", "info" */
	const char *fingerprint;	/* NULL: computed, see mmdb_fingerprint */
	const struct mmdb_note *notes;
	int nnotes;
};

/* Begin (or, with meta->key, join) a run; returns its id, or -1. */
int64_t mmdb_run_begin(struct mmdb *db, const struct mmdb_run_meta *meta);
/* Queue a finding of RUN (copied).  An exact repeat of a finding already
 * queued (a header's finding seen again) is dropped. */
int mmdb_add(struct mmdb *db, int64_t run, const struct mmdb_finding *f);
/* Number of findings queued for RUN. */
long mmdb_pending(const struct mmdb *db, int64_t run);
/* Write RUN's findings and end this writer's part of it, in one
 * transaction; COMPLETE 0 marks the run interrupted. */
int mmdb_run_end(struct mmdb *db, int64_t run, int complete);
/* Forget RUN: drop the queued findings and undo mmdb_run_begin(). */
int mmdb_run_abort(struct mmdb *db, int64_t run);

/*
 * The fingerprint: 16 hex digits of FNV-1a (64 bit) over rule, file,
 * function, the normalised statement and the message without digits.
 * mmdb_add() computes it when the finding has none, reading the statement
 * and the enclosing function from the source under the run's root.
 */
void mmdb_fingerprint(const char *rule, const char *file, const char *function,
		      const char *statement, const char *message, char out[17]);

#ifdef __cplusplus
}
#endif
#endif
