/*
 * `mmlock db list` and the text/tsv/csv/json exports: findings in the
 * order run, file, line, column.  Text is the diagnostic format itself,
 * notes included, so a listing can be imported again unchanged.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* the unlocked stdio calls */
#endif
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "query.h"

/* One thread writes a listing: no stdio lock taken per call */
#define fputs fputs_unlocked
#define putc putc_unlocked
#define fwrite fwrite_unlocked

/*
 * A finding in the text format is put together in a buffer and written
 * in one call: a million findings are three million lines, and a stdio
 * call per piece of each cost more than the rest of the listing.
 */
struct wbuf {
	FILE *out;
	size_t n;
	char b[8192];
};

static void wflush(struct wbuf *w)
{
	fwrite_unlocked(w->b, 1, w->n, w->out);
	w->n = 0;
}

static void wmem_slow(struct wbuf *w, const char *s, size_t len)
{
	wflush(w);
	if (len > sizeof(w->b))
		fwrite_unlocked(s, 1, len, w->out);
	else {
		memcpy(w->b, s, len);
		w->n = len;
	}
}

static inline void wmem(struct wbuf *w, const char *s, size_t len)
{
	if (w->n + len > sizeof(w->b)) {
		wmem_slow(w, s, len);
		return;
	}
	memcpy(w->b + w->n, s, len);
	w->n += len;
}

static void wstr(struct wbuf *w, const char *s)
{
	wmem(w, s, strlen(s));
}

/* S as mmdb_text_str() writes it */
static void wtext(struct wbuf *w, const char *s)
{
	size_t len;

	s = s ? s : "";
	for (len = strlen(s);;) {
		size_t n = mmdb_text_span(s, len);
		char esc[8];

		wmem(w, s, n);
		if (n == len)
			return;
		wmem(w, esc, snprintf(esc, sizeof(esc), "\\x%02x", (unsigned char)s[n]));
		s += n + 1;
		len -= n + 1;
	}
}

/* A number, without printf's format parsing */
static void wint(struct wbuf *w, int n)
{
	char buf[12], *p = buf + sizeof(buf);
	unsigned v = n < 0 ? -(unsigned)n : (unsigned)n;

	do
		*--p = '0' + v % 10;
	while (v /= 10);
	if (n < 0)
		*--p = '-';
	wmem(w, p, buf + sizeof(buf) - p);
}

static void loc(struct wbuf *w, const char *file, int line, int col)
{
	wtext(w, file);
	wmem(w, ":", 1);
	wint(w, line);
	wmem(w, ":", 1);
	if (col > 0) {
		wint(w, col);
		wmem(w, ":", 1);
	}
}

void mmdb_row_text(FILE *out, const struct mmdb_row *r, const char *prefix, int notes)
{
	struct wbuf w;

	w.out = out;
	w.n = 0;
	wstr(&w, prefix);
	loc(&w, r->file, r->line, r->col);
	wmem(&w, " ", 1);
	wstr(&w, r->severity);
	wmem(&w, ": ", 2);
	wtext(&w, r->message);
	wmem(&w, " [mmlock:", 9);
	wtext(&w, r->rule);
	wmem(&w, "]\n", 2);
	for (int i = 0; notes && i < r->nnotes; i++) {
		wstr(&w, prefix);
		loc(&w, r->notes[i].file, r->notes[i].line, r->notes[i].col);
		wmem(&w, " note: ", 7);
		wtext(&w, r->notes[i].message);
		wmem(&w, "\n", 1);
	}
	wflush(&w);
}

static void json_kv(FILE *out, const char *key, const char *val, int comma)
{
	fprintf(out, "%s\"%s\": ", comma ? ", " : "", key);
	if (val)
		mmdb_json_str(out, val);
	else
		fputs("null", out);
}

void mmdb_row_json(FILE *out, const struct mmdb_row *r)
{
	fprintf(out, "{\"id\": %lld, \"run\": %lld", (long long)r->id, (long long)r->run);
	json_kv(out, "rule", r->rule, 1);
	json_kv(out, "severity", r->severity, 1);
	json_kv(out, "file", r->file, 1);
	fprintf(out, ", \"line\": %d, \"column\": %d", r->line, r->col);
	json_kv(out, "function", r->function, 1);
	json_kv(out, "message", r->message, 1);
	json_kv(out, "engine", r->engine, 1);
	json_kv(out, "fingerprint", r->fingerprint, 1);
	json_kv(out, "triage", r->triage, 1);
	json_kv(out, "triage_note", r->triage_note, 1);
	fputs(", \"notes\": [", out);
	for (int i = 0; i < r->nnotes; i++) {
		fputs(i ? ", {" : "{", out);
		json_kv(out, "file", r->notes[i].file, 0);
		fprintf(out, ", \"line\": %d, \"column\": %d", r->notes[i].line, r->notes[i].col);
		json_kv(out, "message", r->notes[i].message, 1);
		fputs("}", out);
	}
	fputs("]}", out);
}

static const char *const columns[] = {
	"run", "fingerprint", "rule", "severity", "file", "line", "column",
	"function", "engine", "triage", "message",
};

static void field(FILE *out, enum mmdb_format fmt, const char *s, int first)
{
	if (!first)
		putc(fmt == MMDB_CSV ? ',' : '\t', out);
	if (fmt == MMDB_CSV)
		mmdb_csv_str(out, s);
	else
		mmdb_tsv_str(out, s);
}

/* The header of the tsv/csv table, FIRST an extra leading column. */
void mmdb_row_header(FILE *out, enum mmdb_format fmt, const char *first)
{
	if (first)
		field(out, fmt, first, 1);
	for (size_t i = 0; i < sizeof(columns) / sizeof(columns[0]); i++)
		field(out, fmt, columns[i], i == 0 && !first);
	putc('\n', out);
}

void mmdb_row_fields(FILE *out, enum mmdb_format fmt, const struct mmdb_row *r,
		     const char *first)
{
	char run[24], line[16], col[16];

	snprintf(run, sizeof(run), "%lld", (long long)r->run);
	snprintf(line, sizeof(line), "%d", r->line);
	snprintf(col, sizeof(col), "%d", r->col);
	if (first)
		field(out, fmt, first, 1);
	field(out, fmt, run, !first);
	field(out, fmt, r->fingerprint, 0);
	field(out, fmt, r->rule, 0);
	field(out, fmt, r->severity, 0);
	field(out, fmt, r->file, 0);
	field(out, fmt, line, 0);
	field(out, fmt, col, 0);
	field(out, fmt, r->function, 0);
	field(out, fmt, r->engine, 0);
	field(out, fmt, r->triage, 0);
	field(out, fmt, r->message, 0);
	putc('\n', out);
}

struct list {
	FILE *out;
	enum mmdb_format fmt;
	long n;
};

static int one(const struct mmdb_row *r, void *arg)
{
	struct list *l = arg;

	switch (l->fmt) {
	case MMDB_JSON:
		fputs(l->n ? ",\n" : "\n", l->out);
		mmdb_row_json(l->out, r);
		break;
	case MMDB_TSV:
	case MMDB_CSV:
		mmdb_row_fields(l->out, l->fmt, r, NULL);
		break;
	default:
		mmdb_row_text(l->out, r, "", 1);
	}
	l->n++;
	return ferror(l->out);
}

/*
 * A run one writer wrote whole has its ids in the listing's order
 * (store.c): its rows are read from the table by id, from the first to
 * the last, without the place index between.  WHERE gains that range.
 * Those are the run's first and last entries in the place index (one
 * seek each: min(id) and max(id) would read all of them).
 */
static int by_id(struct mmdb *db, int64_t run, char *where, size_t n)
{
	sqlite3_stmt *st;
	int ordered = 0;

	if (!run || sqlite3_prepare_v2(db->h, "SELECT r.ordered,"
				       " (SELECT id FROM findings WHERE run = ?1"
				       " ORDER BY run, file, line, col, id LIMIT 1),"
				       " (SELECT id FROM findings WHERE run = ?1"
				       " ORDER BY run DESC, file DESC, line DESC, col DESC, id DESC LIMIT 1)"
				       " FROM runs r WHERE r.id = ?1", -1, &st, NULL))
		return 0;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int(st, 0) &&
	    sqlite3_column_type(st, 1) == SQLITE_INTEGER) {
		size_t len = strlen(where);

		snprintf(where + len, n - len, " AND f.id BETWEEN %lld AND %lld",
			 (long long)sqlite3_column_int64(st, 1), (long long)sqlite3_column_int64(st, 2));
		ordered = 1;
	}
	sqlite3_finalize(st);
	return ordered;
}

int mmdb_list(struct mmdb *db, const struct mmdb_filter *f, enum mmdb_format fmt,
	      FILE *out, long *count)
{
	struct list l = { out, fmt, 0 };
	char where[1024] = "1";
	unsigned how = fmt == MMDB_TEXT && !f->status ? MMDB_ROWS_BRIEF : 0;
	int rc;

	mmdb_filter_sql(f, where, sizeof(where));
	if (by_id(db, f->run, where, sizeof(where)))
		how |= MMDB_ROWS_BY_ID;
	if (fmt == MMDB_JSON)
		fputs("[", out);
	else if (fmt == MMDB_TSV || fmt == MMDB_CSV)
		mmdb_row_header(out, fmt, NULL);
	rc = mmdb_each_finding(db, where, how, mmdb_filter_bind, f, one, &l);
	if (fmt == MMDB_JSON)
		fputs(l.n ? "\n]\n" : "]\n", out);
	if (count)
		*count = l.n;
	if (!rc && (fflush(out) || ferror(out)))
		return mmdb_seterr(db, "write error on the output");
	return rc;
}
