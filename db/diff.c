/*
 * `mmlock db diff OLD NEW`: findings by fingerprint.  New: fingerprints in
 * NEW and not in OLD; fixed: in OLD and not in NEW; unchanged: in both.
 * Each fingerprint is shown once, as its first finding in NEW (OLD for
 * the fixed ones).  Text marks them "+ ", "- " and "= " and ends with a
 * summary line; JSON also gives both runs' status.
 */
#include <string.h>
#include "internal.h"
#include "query.h"

struct runs {
	int64_t old_run, new_run;
};

static void bind_runs(sqlite3_stmt *st, const void *arg)
{
	const struct runs *r = arg;

	mmdb_bind_named_int64(st, ":old", r->old_run);
	mmdb_bind_named_int64(st, ":new", r->new_run);
}

/* The first finding of each fingerprint of run :A that run :B has (IN) or
 * has not (NOT IN). */
#define PICK(a, b, in) \
	"f.id IN (SELECT min(id) FROM findings WHERE run = " a " AND fingerprint " in \
	" (SELECT fingerprint FROM findings WHERE run = " b ") GROUP BY fingerprint)"

static const struct change {
	const char *name, *mark, *where;
} changes[] = {
	{ "new", "+ ", PICK(":new", ":old", "NOT IN") },
	{ "fixed", "- ", PICK(":old", ":new", "NOT IN") },
	{ "unchanged", "= ", PICK(":new", ":old", "IN") },
};

struct walk {
	FILE *out;
	enum mmdb_format fmt;
	const struct change *c;
	long n, untriaged;
};

static int one(const struct mmdb_row *r, void *arg)
{
	struct walk *w = arg;

	if (!r->triage || !strcmp(r->triage, "confirmed"))
		w->untriaged++;
	switch (w->fmt) {
	case MMDB_JSON:
		fputs(w->n ? ",\n  " : "\n  ", w->out);
		mmdb_row_json(w->out, r);
		break;
	case MMDB_TSV:
	case MMDB_CSV:
		mmdb_row_fields(w->out, w->fmt, r, w->c->name);
		break;
	default:
		mmdb_row_text(w->out, r, w->c->mark, 0);
	}
	w->n++;
	return ferror(w->out);
}

static int count_unchanged(struct mmdb *db, const struct runs *r, long *n)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, "SELECT count(DISTINCT fingerprint) FROM findings"
				    " WHERE run = :new AND fingerprint IN"
				    " (SELECT fingerprint FROM findings WHERE run = :old)",
				    -1, &st, NULL);

	if (rc != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	bind_runs(st, r);
	rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : mmdb_sqlerr(db, "query");
}

int mmdb_diff(struct mmdb *db, int64_t old_run, int64_t new_run, int all,
	      enum mmdb_format fmt, FILE *out, struct mmdb_diff_counts *c)
{
	struct runs r = { old_run, new_run };
	long *counts[] = { &c->added, &c->fixed, &c->unchanged };
	int rc = 0;

	memset(c, 0, sizeof(*c));
	if (mmdb_read_begin(db))
		return -1;
	if (mmdb_run_status(db, old_run, c->old_status) ||
	    mmdb_run_status(db, new_run, c->new_status)) {
		mmdb_read_end(db);
		return -1;
	}
	if (fmt == MMDB_JSON)	/* a run not complete may lack findings: say so */
		fprintf(out, "{\"old_run\": %lld, \"new_run\": %lld, \"old_status\": \"%s\", "
			"\"new_status\": \"%s\", \"complete\": %s", (long long)old_run,
			(long long)new_run, c->old_status, c->new_status,
			strcmp(c->old_status, "complete") || strcmp(c->new_status, "complete") ?
			"false" : "true");
	else if (fmt == MMDB_TSV || fmt == MMDB_CSV)
		mmdb_row_header(out, fmt, "change");
	for (int i = 0; !rc && i < 3; i++) {
		struct walk w = { out, fmt, &changes[i], 0, 0 };

		if (i == 2 && !all) {
			rc = count_unchanged(db, &r, counts[i]);
			break;
		}
		if (fmt == MMDB_JSON)
			fprintf(out, ",\n\"%s\": [", changes[i].name);
		rc = mmdb_each_finding(db, changes[i].where, 0, bind_runs, &r, one, &w);
		if (fmt == MMDB_JSON)
			fputs(w.n ? "\n]" : "]", out);
		*counts[i] = w.n;
		if (i == 0)
			c->added_untriaged = w.untriaged;
	}
	mmdb_read_end(db);
	if (rc)
		return rc;
	if (fmt == MMDB_JSON)
		fprintf(out, ",\n\"counts\": {\"new\": %ld, \"fixed\": %ld, \"unchanged\": %ld}}\n",
			c->added, c->fixed, c->unchanged);
	else if (fmt == MMDB_TEXT)
		fprintf(out, "run %lld -> run %lld: %ld new, %ld fixed, %ld unchanged\n",
			(long long)old_run, (long long)new_run, c->added, c->fixed, c->unchanged);
	if (fflush(out) || ferror(out))
		return mmdb_seterr(db, "write error on the output");
	return 0;
}
