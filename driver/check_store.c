/*
 * check_store.c: one unit's findings into the database, as one writer of
 * the build's run (check_key.c): begin (join), add, end.  The source
 * under the current directory -- kbuild's, the tree's top -- gives each
 * finding its function and statement for the fingerprint (db/README.md).
 * A unit gcc could not analyse ends its part as interrupted, so the run
 * says that findings may be missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../db/mmdb.h"
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

int check_store(const char *path, const char *key, const char *engines, const char *src,
		const char *rules, const struct check_findings *fs, int complete,
		char *err, size_t len)
{
	struct mmdb_run_meta meta;
	char *oerr = NULL;
	struct mmdb *db = mmdb_open(path, MMDB_CREATE, &oerr);
	int64_t run;

	if (!db) {
		snprintf(err, len, "%s", oerr ? oerr : path);
		free(oerr);
		return -1;
	}
	memset(&meta, 0, sizeof(meta));
	meta.engines = engines;
	meta.rules = rules;
	meta.source = src;
	meta.key = key;
	run = mmdb_run_begin(db, &meta);
	if (run < 0)
		goto fail;
	for (int i = 0; i < fs->n; i++)
		if (add_one(db, run, &fs->v[i])) {
			mmdb_run_end(db, run, 0);
			goto fail;
		}
	if (mmdb_run_end(db, run, complete))
		goto fail;
	mmdb_close(db);
	return 0;
fail:
	snprintf(err, len, "%s", mmdb_errmsg(db));
	mmdb_close(db);
	return -1;
}
