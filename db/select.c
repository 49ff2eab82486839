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

static char *col(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	return s ? strdup(s) : NULL;
}

static void row_clear(struct mmdb_row *r)
{
	free(r->rule);
	free(r->file);
	free(r->function);
	free(r->message);
	free(r->engine);
	free(r->severity);
	free(r->fingerprint);
	free(r->triage);
	free(r->triage_note);
	for (int i = 0; i < r->nnotes; i++) {
		free((char *)r->notes[i].file);
		free((char *)r->notes[i].message);
	}
	r->nnotes = 0;
}

static void row_fill(struct mmdb_row *r, sqlite3_stmt *st)
{
	r->id = sqlite3_column_int64(st, 0);
	r->run = sqlite3_column_int64(st, 1);
	r->rule = col(st, 2);
	r->file = col(st, 3);
	r->line = sqlite3_column_int(st, 4);
	r->col = sqlite3_column_int(st, 5);
	r->function = col(st, 6);
	r->message = col(st, 7);
	r->engine = col(st, 8);
	r->severity = col(st, 9);
	r->fingerprint = col(st, 10);
	r->triage = col(st, 11);
	r->triage_note = col(st, 12);
}

static void row_note(struct mmdb_row *r, sqlite3_stmt *st)
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
		.file = col(st, 14), .line = sqlite3_column_int(st, 15),
		.col = sqlite3_column_int(st, 16), .message = col(st, 17),
	};
}

int mmdb_each_finding(struct mmdb *db, const char *where,
		      void (*bind)(sqlite3_stmt *, const void *), const void *barg,
		      int (*fn)(const struct mmdb_row *, void *), void *arg)
{
	static const char head[] =
		"SELECT f.id, f.run, f.rule, f.file, f.line, f.col, f.function, f.message,"
		" f.engine, f.severity, f.fingerprint, t.status, t.note,"
		" n.seq, n.file, n.line, n.col, n.message"
		" FROM findings f LEFT JOIN triage t ON t.fingerprint = f.fingerprint"
		" LEFT JOIN notes n ON n.finding = f.id WHERE ";
	static const char tail[] = " ORDER BY f.run, f.file, f.line, f.col, f.id, n.seq";
	size_t n = sizeof(head) + strlen(where) + sizeof(tail);
	char *sql = malloc(n);
	struct mmdb_row r = { 0 };
	sqlite3_stmt *st;
	int rc, have = 0, stop = 0;

	snprintf(sql, n, "%s%s%s", head, where, tail);
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	free(sql);
	if (rc != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	if (bind)
		bind(st, barg);
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (have && sqlite3_column_int64(st, 0) != r.id) {
			stop = fn(&r, arg);
			row_clear(&r);
			have = 0;
		}
		if (!have) {
			row_fill(&r, st);
			have = 1;
		}
		if (sqlite3_column_type(st, 13) != SQLITE_NULL)
			row_note(&r, st);
	}
	if (have && !stop && rc == SQLITE_DONE)
		fn(&r, arg);
	if (have)
		row_clear(&r);
	free(r.notes);
	sqlite3_finalize(st);
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
