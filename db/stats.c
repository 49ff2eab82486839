/*
 * `mmlock db stats`: counts per rule, per file and per run, over the
 * findings the filter selects.  "distinct" counts fingerprints, so a
 * finding stored by many runs counts once there.
 */
#include <string.h>
#include "internal.h"
#include "query.h"

struct column {
	const char *name;
	int width;			/* text: > 0 right, < 0 left aligned */
};

struct section {
	unsigned by;
	const char *name;		/* key in JSON */
	const struct column *cols;
	int ncols;
	const char *select, *group;
};

static const struct column rule_cols[] = {
	{ "findings", 9 }, { "distinct", 9 }, { "files", 9 }, { "triaged", 9 }, { "rule", 0 },
};
static const struct column file_cols[] = {
	{ "findings", 9 }, { "distinct", 9 }, { "rules", 9 }, { "triaged", 9 }, { "file", 0 },
};
static const struct column run_cols[] = {
	{ "run", 6 }, { "findings", 9 }, { "distinct", 9 }, { "status", -11 },
	{ "started", -20 }, { "engines", -16 }, { "kernel", -12 }, { "source", 0 },
};

#define FROM_F "FROM findings f LEFT JOIN triage t ON t.fingerprint = f.fingerprint"

static const struct section sections[] = {
	{ MMDB_BY_RULE, "rules", rule_cols, 5,
	  "SELECT count(*), count(DISTINCT f.fingerprint), count(DISTINCT f.file),"
	  " count(DISTINCT t.fingerprint), f.rule",
	  " GROUP BY f.rule ORDER BY 1 DESC, f.rule" },
	{ MMDB_BY_FILE, "files", file_cols, 5,
	  "SELECT count(*), count(DISTINCT f.fingerprint), count(DISTINCT f.rule),"
	  " count(DISTINCT t.fingerprint), f.file",
	  " GROUP BY f.file ORDER BY 1 DESC, f.file" },
	{ MMDB_BY_RUN, "runs", run_cols, 8,
	  "SELECT r.id, (SELECT count(*) " FROM_F " WHERE f.run = r.id%s),"
	  " (SELECT count(DISTINCT f.fingerprint) " FROM_F " WHERE f.run = r.id%s),"
	  " r.status, r.started, r.engines, r.kernel_version, r.source FROM runs r",
	  " ORDER BY r.id" },
};

static void cell(FILE *out, enum mmdb_format fmt, const struct column *c,
		 sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);

	switch (fmt) {
	case MMDB_JSON:
		fprintf(out, "%s\"%s\": ", i ? ", " : "", c->name);
		if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
			fprintf(out, "%lld", (long long)sqlite3_column_int64(st, i));
		else if (s)
			mmdb_json_str(out, s);
		else
			fputs("null", out);
		break;
	case MMDB_CSV:
		fputs(i ? "," : "", out);
		mmdb_csv_str(out, s);
		break;
	case MMDB_TSV:
		fputs(i ? "\t" : "", out);
		mmdb_tsv_str(out, s);
		break;
	default:
		fprintf(out, i ? " %*s" : "%*s", c->width, s ? s : "-");
	}
}

static void header(FILE *out, enum mmdb_format fmt, const struct section *sec)
{
	for (int i = 0; i < sec->ncols; i++) {
		const struct column *c = &sec->cols[i];

		if (fmt == MMDB_TEXT)
			fprintf(out, i ? " %*s" : "%*s", c->width, c->name);
		else
			fprintf(out, "%s%s", i ? (fmt == MMDB_CSV ? "," : "\t") : "", c->name);
	}
	putc('\n', out);
}

static int section(struct mmdb *db, const struct section *sec, const struct mmdb_filter *f,
		   enum mmdb_format fmt, FILE *out, int nth)
{
	char sql[2048], where[1024] = "";
	sqlite3_stmt *st;
	int rc, rows = 0;

	mmdb_filter_sql(f, where, sizeof(where));
	if (sec->by == MMDB_BY_RUN) {
		/* per run: counted through the run's index, one run at a time */
		size_t n = snprintf(sql, sizeof(sql), sec->select, where, where);

		snprintf(sql + n, sizeof(sql) - n, "%s%s", f->run ? " WHERE r.id = :run" : "",
			 sec->group);
	} else {
		snprintf(sql, sizeof(sql), "%s " FROM_F " WHERE 1%s%s", sec->select, where,
			 sec->group);
	}
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	mmdb_filter_bind(st, f);
	if (fmt == MMDB_JSON)
		fprintf(out, "%s\"%s\": [", nth ? ",\n" : "", sec->name);
	else if (nth)
		putc('\n', out);
	if (fmt != MMDB_JSON)
		header(out, fmt, sec);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (fmt == MMDB_JSON)
			fputs(rows ? ",\n  {" : "\n  {", out);
		for (int i = 0; i < sec->ncols; i++)
			cell(out, fmt, &sec->cols[i], st, i);
		fputs(fmt == MMDB_JSON ? "}" : "\n", out);
		rows++;
	}
	sqlite3_finalize(st);
	if (fmt == MMDB_JSON)
		fputs(rows ? "\n]" : "]", out);
	if (rc != SQLITE_DONE)
		return mmdb_sqlerr(db, "query");
	return 0;
}

int mmdb_stats(struct mmdb *db, const struct mmdb_filter *f, unsigned by,
	       enum mmdb_format fmt, FILE *out)
{
	int rc = 0, nth = 0;

	if (!by)
		by = MMDB_BY_RULE | MMDB_BY_FILE | MMDB_BY_RUN;
	if (mmdb_read_begin(db))
		return -1;
	if (fmt == MMDB_JSON)
		fputs("{", out);
	for (size_t i = 0; !rc && i < sizeof(sections) / sizeof(sections[0]); i++)
		if (by & sections[i].by)
			rc = section(db, &sections[i], f, fmt, out, nth++);
	if (fmt == MMDB_JSON)
		fputs("}\n", out);
	mmdb_read_end(db);
	if (!rc && (fflush(out) || ferror(out)))
		return mmdb_seterr(db, "write error on the output");
	return rc;
}
