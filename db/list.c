/*
 * `mmlock db list` and the text/tsv/csv/json exports: findings in the
 * order run, file, line, column.  Text is the diagnostic format itself,
 * notes included, so a listing can be imported again unchanged.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* fputs_unlocked */
#endif
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "query.h"

/* The text listing is written with the unlocked stdio calls: one finding
 * is about twenty of them, and a listing is written by one thread. */
#define fputs fputs_unlocked
#define putc putc_unlocked
#define fwrite fwrite_unlocked

/* A number, without printf's format parsing (a million
 * findings are three million lines). */
static void put_int(FILE *out, int n)
{
	char buf[12], *p = buf + sizeof(buf);
	unsigned v = n < 0 ? -(unsigned)n : (unsigned)n;

	do
		*--p = '0' + v % 10;
	while (v /= 10);
	if (n < 0)
		*--p = '-';
	fwrite(p, 1, buf + sizeof(buf) - p, out);
}

static void loc(FILE *out, const char *file, int line, int col)
{
	mmdb_text_str(out, file);
	putc(':', out);
	put_int(out, line);
	putc(':', out);
	if (col > 0) {
		put_int(out, col);
		putc(':', out);
	}
}

void mmdb_row_text(FILE *out, const struct mmdb_row *r, const char *prefix, int notes)
{
	fputs(prefix, out);
	loc(out, r->file, r->line, r->col);
	putc(' ', out);
	fputs(r->severity, out);
	fputs(": ", out);
	mmdb_text_str(out, r->message);
	fputs(" [mmlock:", out);
	mmdb_text_str(out, r->rule);
	fputs("]\n", out);
	for (int i = 0; notes && i < r->nnotes; i++) {
		fputs(prefix, out);
		loc(out, r->notes[i].file, r->notes[i].line, r->notes[i].col);
		fputs(" note: ", out);
		mmdb_text_str(out, r->notes[i].message);
		putc('\n', out);
	}
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

int mmdb_list(struct mmdb *db, const struct mmdb_filter *f, enum mmdb_format fmt,
	      FILE *out, long *count)
{
	struct list l = { out, fmt, 0 };
	char where[1024] = "1";
	int rc;

	mmdb_filter_sql(f, where, sizeof(where));
	if (fmt == MMDB_JSON)
		fputs("[", out);
	else if (fmt == MMDB_TSV || fmt == MMDB_CSV)
		mmdb_row_header(out, fmt, NULL);
	rc = mmdb_each_finding(db, where, fmt == MMDB_TEXT && !f->status, mmdb_filter_bind, f, one, &l);
	if (fmt == MMDB_JSON)
		fputs(l.n ? "\n]\n" : "]\n", out);
	if (count)
		*count = l.n;
	if (!rc && (fflush(out) || ferror(out)))
		return mmdb_seterr(db, "write error on the output");
	return rc;
}
