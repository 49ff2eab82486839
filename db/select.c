/*
 * Selecting findings: the filter of `list`/`export`/`stats` as SQL with
 * named parameters (values are bound, never pasted), the walk over the
 * matching findings with their triage mark and notes (their path, in
 * the row: db/path.c), and run names ("latest", "latest~K").
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

/* The finding's columns, as the statement holds them until its next step,
 * and its notes from its path.  BRIEF: the statement has only the columns
 * up to the path, and the function and engine there are NULL (left NULL
 * in R, as the rest).  -1: the path cannot be read. */
static int row_fill(struct mmdb_row *r, sqlite3_stmt *st, int brief, struct mmdb_texts *texts)
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
	if (!brief) {
		r->function = TEXT(6);
		r->engine = TEXT(8);
		r->fingerprint = TEXT(11);
		r->triage = TEXT(12);
		r->triage_note = TEXT(13);
	}
	return mmdb_path_read(r, (const char *)sqlite3_column_blob(st, 10),
			      sqlite3_column_bytes(st, 10), texts);
#undef TEXT
}

int mmdb_each_finding(struct mmdb *db, const char *where, unsigned how,
		      void (*bind)(sqlite3_stmt *, const void *), const void *barg,
		      int (*fn)(const struct mmdb_row *, void *), void *arg)
{
	static const char head[] =
		"SELECT f.id, f.run, f.rule, f.file, f.line, f.col, f.function, f.message,"
		" f.engine, f.severity, f.path, f.fingerprint, t.status, t.note"
		" FROM findings f%s LEFT JOIN triage t ON t.fingerprint = f.fingerprint WHERE ";
	/* what the text format shows, and no triage mark to look up */
	static const char brief_head[] =
		"SELECT f.id, f.run, f.rule, f.file, f.line, f.col, NULL, f.message,"
		" NULL, f.severity, f.path FROM findings f%s WHERE ";
	static const char tail[] = " ORDER BY f.run, f.file, f.line, f.col, f.id";
	/* NOT INDEXED: the rows by their ids, not by the place index */
	int by_id = how & MMDB_ROWS_BY_ID;
	size_t size = sizeof(head) + 16 + strlen(where) + sizeof(tail), len;
	char *sql = malloc(size);
	struct mmdb_texts *texts = mmdb_texts_new(db);	/* the notes' strings */
	struct mmdb_row r = { 0 };
	sqlite3_stmt *st = NULL;
	int rc, stop = 0, bad = 0;

	if (!sql || !texts) {
		free(sql);
		mmdb_texts_free(texts);
		return mmdb_seterr(db, "%s: out of memory", db->path);
	}
	len = snprintf(sql, size, how & MMDB_ROWS_BRIEF ? brief_head : head, by_id ? " NOT INDEXED" : "");
	snprintf(sql + len, size - len, "%s%s", where, by_id ? " ORDER BY f.id" : tail);
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK) {
		mmdb_texts_free(texts);
		return mmdb_sqlerr(db, "query");
	}
	if (bind)
		bind(st, barg);
	db->err[0] = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (row_fill(&r, st, how & MMDB_ROWS_BRIEF, texts)) {
			if (!db->err[0])	/* else a text's look-up failed */
				mmdb_seterr(db, "%s: finding %lld: its notes cannot be read",
					    db->path, (long long)r.id);
			bad = 1;
			break;
		}
		stop = fn(&r, arg);
	}
	free(r.notes);
	sqlite3_finalize(st);
	mmdb_texts_free(texts);
	if (bad)
		return -1;
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
