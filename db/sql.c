/*
 * `mmlock db sql 'SELECT ...' [PARAM...]`: one statement over a database
 * opened read-only (MMDB_READONLY: SQLite's read-only mode and
 * query_only), refused unless SQLite calls it read-only, with ATTACH
 * denied; PARAMs are bound to ?1..?N.  Output: a header of column names,
 * then rows (tsv, csv or text), or a JSON array of objects.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include "internal.h"
#include "query.h"

static int authorize(void *arg, int action, const char *a, const char *b,
		     const char *c, const char *d)
{
	return action == SQLITE_ATTACH || action == SQLITE_DETACH ? SQLITE_DENY : SQLITE_OK;
}

static void value(FILE *out, enum mmdb_format fmt, sqlite3_stmt *st, int i)
{
	int type = sqlite3_column_type(st, i);
	const char *s = (const char *)sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);	/* NULs included */

	if (fmt == MMDB_JSON) {
		if (type == SQLITE_NULL)
			fputs("null", out);
		else if (type == SQLITE_INTEGER)
			fprintf(out, "%lld", (long long)sqlite3_column_int64(st, i));
		else if (type == SQLITE_FLOAT && !isfinite(sqlite3_column_double(st, i)))
			fputs("null", out);	/* JSON has no inf or NaN */
		else if (type == SQLITE_FLOAT)
			fprintf(out, "%.17g", sqlite3_column_double(st, i));
		else
			mmdb_json_strn(out, s, n);
	} else if (fmt == MMDB_CSV) {
		mmdb_csv_str(out, s);
	} else {
		mmdb_tsv_strn(out, s, n);
	}
}

int mmdb_sql(struct mmdb *db, const char *sql, char **params, int nparams,
	     enum mmdb_format fmt, FILE *out)
{
	const char *tail;
	sqlite3_stmt *st;
	int rc, ncol, rows = 0;
	char sep = fmt == MMDB_CSV ? ',' : '\t';

	sqlite3_set_authorizer(db->h, authorize, NULL);
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, &tail);
	if (rc != SQLITE_OK)
		return mmdb_seterr(db, "sql: %s", sqlite3_errmsg(db->h));
	while (tail && isspace((unsigned char)*tail))
		tail++;
	if (!st || (tail && *tail && *tail != ';')) {
		sqlite3_finalize(st);
		return mmdb_seterr(db, "sql: one statement, please");
	}
	if (!sqlite3_stmt_readonly(st)) {
		sqlite3_finalize(st);
		return mmdb_seterr(db, "sql: %s is opened read-only; not a read-only statement",
				   db->path);
	}
	if (nparams != sqlite3_bind_parameter_count(st)) {
		sqlite3_finalize(st);
		return mmdb_seterr(db, "sql: the statement has %d parameters, %d given",
				   sqlite3_bind_parameter_count(st), nparams);
	}
	for (int i = 0; i < nparams; i++)
		sqlite3_bind_text(st, i + 1, params[i], -1, SQLITE_STATIC);
	ncol = sqlite3_column_count(st);
	if (fmt == MMDB_JSON) {
		fputs("[", out);
	} else {
		for (int i = 0; i < ncol; i++) {
			if (i)
				putc(sep, out);
			if (fmt == MMDB_CSV)
				mmdb_csv_str(out, sqlite3_column_name(st, i));
			else
				mmdb_tsv_str(out, sqlite3_column_name(st, i));
		}
		putc('\n', out);
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == MMDB_JSON)
			fputs(rows ? ",\n{" : "\n{", out);
		for (int i = 0; i < ncol; i++) {
			if (fmt == MMDB_JSON) {
				fputs(i ? ", " : "", out);
				mmdb_json_str(out, sqlite3_column_name(st, i));
				fputs(": ", out);
			} else if (i) {
				putc(sep, out);
			}
			value(out, fmt, st, i);
		}
		fputs(fmt == MMDB_JSON ? "}" : "\n", out);
		rows++;
	}
	if (rc != SQLITE_DONE)
		mmdb_seterr(db, "sql: %s", sqlite3_errmsg(db->h));
	sqlite3_finalize(st);
	if (fmt == MMDB_JSON)
		fputs(rows ? "\n]\n" : "]\n", out);
	if (rc != SQLITE_DONE)
		return -1;
	if (fflush(out) || ferror(out))
		return mmdb_seterr(db, "write error on the output");
	return 0;
}
