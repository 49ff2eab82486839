/*
 * Selecting findings: the filter of `list`/`export`/`stats` as SQL with
 * named parameters (values are bound, never pasted), the walk over the
 * matching findings with their triage mark and notes, and run names
 * ("latest", "latest~K").
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "query.h"

void mmdb_filter_sql(const struct mmdb_filter *f, char *buf, size_t n)
{
	size_t len = strlen(buf);

#define ADD(cond) (len += snprintf(buf + len, len < n ? n - len : 0, " AND %s", cond))
	if (f->rule)
		ADD("f.rule = :rule");
	if (f->file && strpbrk(f->file, "*?["))
		ADD("f.file GLOB :file");
	else if (f->file && *f->file && f->file[strlen(f->file) - 1] == '/')
		ADD("substr(f.file, 1, length(:file)) = :file");
	else if (f->file)
		ADD("f.file = :file");
	if (f->function)
		ADD("f.function = :function");
	if (f->engine)
		ADD("f.engine = :engine");
	if (f->status && !strcmp(f->status, "untriaged"))
		ADD("t.status IS NULL");
	else if (f->status)
		ADD("t.status = :status");
	if (f->run)
		ADD("f.run = :run");
#undef ADD
}

void mmdb_bind_named_int64(sqlite3_stmt *st, const char *name, int64_t v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i)
		sqlite3_bind_int64(st, i, v);
}

void mmdb_bind_named_text(sqlite3_stmt *st, const char *name, const char *v)
{
	int i = sqlite3_bind_parameter_index(st, name);

	if (i && v)
		sqlite3_bind_text(st, i, v, -1, SQLITE_TRANSIENT);
}

void mmdb_filter_bind(sqlite3_stmt *st, const void *filter)
{
	const struct mmdb_filter *f = filter;

	mmdb_bind_named_text(st, ":rule", f->rule);
	mmdb_bind_named_text(st, ":file", f->file);
	mmdb_bind_named_text(st, ":function", f->function);
	mmdb_bind_named_text(st, ":engine", f->engine);
	mmdb_bind_named_text(st, ":status", f->status);
	if (f->run)
		mmdb_bind_named_int64(st, ":run", f->run);
}

static void row_clear(struct mmdb_row *r)
{
	r->nnotes = 0;
}

/* The finding's columns, as the statement holds them until its next step. */
/* BRIEF: the statement has only the columns up to the severity, and the
 * function and engine there are NULL (left NULL in R, as the rest). */
static void row_fill(struct mmdb_row *r, sqlite3_stmt *st, int brief)
{
#define TEXT(i) ((const char *)sqlite3_column_text(st, i))
	r->id = sqlite3_column_int64(st, 0);
	r->run = sqlite3_column_int64(st, 1);
	r->rule = TEXT(2);
	r->file = TEXT(3);
	r->line = sqlite3_column_int(st, 4);
	r->col = sqlite3_column_int(st, 5);
	r->message = TEXT(7);
	r->severity = TEXT(9);
	if (brief)
		return;
	r->function = TEXT(6);
	r->engine = TEXT(8);
	r->fingerprint = TEXT(10);
	r->triage = TEXT(11);
	r->triage_note = TEXT(12);
#undef TEXT
}

/* A note of R from the notes cursor: its strings are the texts' (TX). */
static void row_note(struct mmdb_row *r, sqlite3_stmt *st, struct mmdb_texts *tx)
{
	if (r->nnotes == r->cap) {
		int cap = r->cap ? 2 * r->cap : 8;
		struct mmdb_note *n = realloc(r->notes, cap * sizeof(*n));

		if (!n)
			return;
		r->notes = n;
		r->cap = cap;
	}
	r->notes[r->nnotes++] = (struct mmdb_note){
		.file = mmdb_texts_str(tx, sqlite3_column_int64(st, 1)),
		.line = sqlite3_column_int(st, 2), .col = sqlite3_column_int(st, 3),
		.message = mmdb_texts_str(tx, sqlite3_column_int64(st, 4)),
	};
}

/*
 * The notes, read beside the findings: one cursor over note_rows in
 * its key order (finding, seq), moved forward to each finding's notes.
 * Findings of a run come mostly in id order (store.c writes them in place
 * order), so this reads the notes sequentially; a finding behind the
 * cursor, or far ahead of it, is looked up afresh (a seek, as a join would).
 */
struct notes {
	sqlite3_stmt *st;
	struct mmdb_texts *texts;	/* their strings */
	int rc;				/* of the last step */
	int64_t at;			/* the finding the cursor is on (end: INT64_MAX) */
	int64_t from;			/* it has read every note from this finding on */
};

static void notes_step(struct notes *n)
{
	n->rc = sqlite3_step(n->st);
	n->at = n->rc == SQLITE_ROW ? sqlite3_column_int64(n->st, 0) : INT64_MAX;
}

/* R's notes: the cursor steps forward to them, or seeks when they are
 * behind it or far ahead. */
static int notes_of(struct notes *n, struct mmdb_row *r)
{
	for (int k = 0; n->at < r->id && k < 8; k++)
		notes_step(n);
	if (r->id < n->from || n->at < r->id) {
		sqlite3_reset(n->st);
		sqlite3_bind_int64(n->st, 1, r->id);
		n->from = r->id;
		notes_step(n);
	}
	while (n->at == r->id) {
		row_note(r, n->st, n->texts);
		notes_step(n);
	}
	return n->rc == SQLITE_ROW || n->rc == SQLITE_DONE ? 0 : -1;
}

int mmdb_each_finding(struct mmdb *db, const char *where, unsigned how,
		      void (*bind)(sqlite3_stmt *, const void *), const void *barg,
		      int (*fn)(const struct mmdb_row *, void *), void *arg)
{
	static const char head[] =
		"SELECT f.id, f.run, f.rule, f.file, f.line, f.col, f.function, f.message,"
		" f.engine, f.severity, f.fingerprint, t.status, t.note"
		" FROM findings f%s LEFT JOIN triage t ON t.fingerprint = f.fingerprint WHERE ";
	/* what the text format shows, and no triage mark to look up */
	static const char brief_head[] =
		"SELECT f.id, f.run, f.rule, f.file, f.line, f.col, NULL, f.message,"
		" NULL, f.severity FROM findings f%s WHERE ";
	static const char tail[] = " ORDER BY f.run, f.file, f.line, f.col, f.id";
	/* NOT INDEXED: the rows by their ids, not by the place index */
	int by_id = how & MMDB_ROWS_BY_ID;
	size_t size = sizeof(head) + 16 + strlen(where) + sizeof(tail), len;
	char *sql = malloc(size);
	struct notes n = { .at = INT64_MAX, .from = INT64_MAX };
	struct mmdb_row r = { 0 };
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (!sql)
		return mmdb_seterr(db, "%s: out of memory", db->path);
	len = snprintf(sql, size, how & MMDB_ROWS_BRIEF ? brief_head : head, by_id ? " NOT INDEXED" : "");
	snprintf(sql + len, size - len, "%s%s", where, by_id ? " ORDER BY f.id" : tail);
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	free(sql);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v2(db->h, "SELECT finding, file, line, col, message FROM note_rows"
					" WHERE finding >= ?1 ORDER BY finding, seq", -1, &n.st, NULL);
	if (rc == SQLITE_OK && !(n.texts = mmdb_texts_new(db)))
		rc = SQLITE_NOMEM;
	if (rc != SQLITE_OK) {
		mmdb_sqlerr(db, "query");
		sqlite3_finalize(st);
		sqlite3_finalize(n.st);
		mmdb_texts_free(n.texts);
		return -1;
	}
	if (bind)
		bind(st, barg);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_fill(&r, st, how & MMDB_ROWS_BRIEF);
		if (notes_of(&n, &r)) {
			row_clear(&r);
			rc = n.rc;
			break;
		}
		stop = fn(&r, arg);
		row_clear(&r);
	}
	free(r.notes);
	sqlite3_finalize(st);
	sqlite3_finalize(n.st);
	mmdb_texts_free(n.texts);
	if (!stop && rc != SQLITE_DONE)
		return mmdb_sqlerr(db, "query");
	return 0;
}

int mmdb_run_resolve(struct mmdb *db, const char *spec, int64_t *run)
{
	sqlite3_stmt *st;
	char *end;
	long long k = 0, id;
	int rc;

	if (!strncmp(spec, "latest", 6)) {
		if (spec[6] == '~')
			k = strtoll(spec + 7, &end, 10);
		if ((spec[6] && spec[6] != '~') || (spec[6] == '~' && (*end || end == spec + 7 || k < 0)))
			return mmdb_seterr(db, "%s: bad run '%s'", db->path, spec);
		rc = sqlite3_prepare_v2(db->h, "SELECT coalesce((SELECT id FROM runs"
					" WHERE status = 'complete' ORDER BY id DESC LIMIT 1 OFFSET ?1),"
					" iif(?1 = 0, (SELECT max(id) FROM runs), NULL))", -1, &st, NULL);
		if (rc != SQLITE_OK)
			return mmdb_sqlerr(db, "query");
		sqlite3_bind_int64(st, 1, k);
	} else {
		id = strtoll(spec, &end, 10);
		if (*end || end == spec || id <= 0)
			return mmdb_seterr(db, "%s: bad run '%s' (a number, latest or latest~N)",
					   db->path, spec);
		rc = sqlite3_prepare_v2(db->h, "SELECT id FROM runs WHERE id = ?1", -1, &st, NULL);
		if (rc != SQLITE_OK)
			return mmdb_sqlerr(db, "query");
		sqlite3_bind_int64(st, 1, id);
	}
	rc = sqlite3_step(st);
	*run = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return mmdb_sqlerr(db, "query");
	if (!*run)
		return mmdb_seterr(db, "%s: no run %s", db->path, spec);
	return 0;
}

int mmdb_run_status(struct mmdb *db, int64_t run, char status[16])
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, "SELECT status FROM runs WHERE id = ?1", -1, &st, NULL);

	if (rc != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	sqlite3_bind_int64(st, 1, run);
	rc = sqlite3_step(st);
	snprintf(status, 16, "%s", rc == SQLITE_ROW ? (const char *)sqlite3_column_text(st, 0) : "");
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc == SQLITE_DONE ? mmdb_seterr(db, "%s: no run %lld", db->path, (long long)run)
					 : mmdb_sqlerr(db, "query");
	return 0;
}
