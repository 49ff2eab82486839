/*
 * check_store.c: one unit's findings into the database, as one writer of
 * the build's run (check_key.c).  The writer joins the run before the
 * unit is analysed and leaves it after, so that a build killed half-way
 * leaves a run that says so: a unit killed while being analysed ends its
 * part as interrupted (or, killed outright, never ends it: incomplete).
 * The source under the current directory -- kbuild's, the tree's top --
 * gives each finding its function and statement for the fingerprint
 * (db/README.md).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../db/mmdb.h"
#include "check.h"

static int add_one(struct mmdb *db, int64_t run, const struct check_finding *f)
{
	struct mmdb_note *notes = NULL;
	struct mmdb_finding mf;
	int rc;

	if (f->nnotes) {
		notes = calloc(f->nnotes, sizeof(*notes));
		if (!notes)
			return -1;
	}
	for (int i = 0; i < f->nnotes; i++)
		notes[i] = (struct mmdb_note){
			.file = f->notes[i].file, .line = f->notes[i].line,
			.col = f->notes[i].col, .message = f->notes[i].message,
		};
	memset(&mf, 0, sizeof(mf));
	mf.rule = f->rule;
	mf.file = f->file;
	mf.line = f->line;
	mf.col = f->col;
	mf.message = f->message;
	mf.engine = f->engine;
	mf.severity = f->severity;
	mf.notes = notes;
	mf.nnotes = f->nnotes;
	rc = mmdb_add(db, run, &mf);
	free(notes);
	return rc;
}

int check_db_begin(struct check_db *d, const char *path, const char *key,
		   const char *engines, const char *src, const char *rules,
		   char *err, size_t len)
{
	struct mmdb_run_meta meta;
	char *oerr = NULL;

	memset(d, 0, sizeof(*d));
	d->db = mmdb_open(path, MMDB_CREATE, &oerr);
	if (!d->db) {
		snprintf(err, len, "%s", oerr ? oerr : path);
		free(oerr);
		return -1;
	}
	memset(&meta, 0, sizeof(meta));
	meta.engines = engines;
	meta.rules = rules;
	meta.source = src;
	meta.key = key;
	d->run = mmdb_run_begin(d->db, &meta);
	if (d->run < 0) {
		snprintf(err, len, "%s", mmdb_errmsg(d->db));
		mmdb_close(d->db);
		d->db = NULL;
		return -1;
	}
	return 0;
}

int check_db_end(struct check_db *d, const struct check_findings *fs, int complete,
		 char *err, size_t len)
{
	int rc = 0;

	if (!d->db)
		return 0;
	for (int i = 0; fs && i < fs->n; i++)
		if (add_one(d->db, d->run, &fs->v[i])) {
			snprintf(err, len, "%s", mmdb_errmsg(d->db));
			complete = 0;
			rc = -1;
			break;
		}
	if (mmdb_run_end(d->db, d->run, complete)) {
		snprintf(err, len, "%s", mmdb_errmsg(d->db));
		rc = -1;
	}
	mmdb_close(d->db);
	d->db = NULL;
	return rc;
}

int check_die_of(int sig, struct check_db *d)
{
	char err[1024];

	check_db_end(d, NULL, 0, err, sizeof(err));
	signal(sig, SIG_DFL);
	raise(sig);
	return 2;
}
