/*
 * `mmlock db stats`: counts per rule, per file and per run, over the
 * findings the filter selects.  "distinct" counts fingerprints, so a
 * finding stored by many runs counts once there; "triaged" counts the
 * distinct fingerprints that carry a mark.  Rules and files are tallied
 * in one pass (tally.c), runs through the run index; a run written whole
 * has these counts stored (run_counts, counts.c): with only the run
 * selected they are read from there, and its marks counted afresh.
 */
#include <string.h>
#include "internal.h"
#include "query.h"

struct column {
	const char *name;
	int width;			/* text: > 0 right, < 0 left aligned */
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

struct out {
	FILE *f;
	enum mmdb_format fmt;
	int nth;			/* sections written */
};

static void put(struct out *o, const struct column *c, int i, const char *s, int is_int)
{
	FILE *f = o->f;

	switch (o->fmt) {
	case MMDB_JSON:
		fprintf(f, "%s\"%s\": ", i ? ", " : "", c->name);
		if (is_int)
			fputs(s, f);
		else if (s)
			mmdb_json_str(f, s);
		else
			fputs("null", f);
		break;
	case MMDB_CSV:
		fputs(i ? "," : "", f);
		mmdb_csv_str(f, s);
		break;
	case MMDB_TSV:
		fputs(i ? "\t" : "", f);
		mmdb_tsv_str(f, s);
		break;
	default:
		fprintf(f, i ? " %*s" : "%*s", c->width, s ? s : "-");
	}
}

static void begin(struct out *o, const char *name, const struct column *cols, int ncols)
{
	if (o->fmt == MMDB_JSON) {
		fprintf(o->f, "%s\"%s\": [", o->nth++ ? ",\n" : "", name);
		return;
	}
	if (o->nth++)
		putc('\n', o->f);
	for (int i = 0; i < ncols; i++) {
		if (o->fmt == MMDB_TEXT)
			fprintf(o->f, i ? " %*s" : "%*s", cols[i].width, cols[i].name);
		else
			fprintf(o->f, "%s%s", i ? (o->fmt == MMDB_CSV ? "," : "\t") : "", cols[i].name);
	}
	putc('\n', o->f);
}

static void row_begin(struct out *o, long n)
{
	if (o->fmt == MMDB_JSON)
		fputs(n ? ",\n  {" : "\n  {", o->f);
}

static void row_end(struct out *o)
{
	fputs(o->fmt == MMDB_JSON ? "}" : "\n", o->f);
}

static void end(struct out *o, long rows)
{
	if (o->fmt == MMDB_JSON)
		fputs(rows ? "\n]" : "]", o->f);
}

static void tally_row(struct out *o, long i, const struct mmdb_tally_row *r,
		      const struct column *cols)
{
	long v[4] = { r->findings, r->distinct, r->others, r->triaged };
	char buf[24];

	row_begin(o, i);
	for (int c = 0; c < 4; c++) {
		snprintf(buf, sizeof(buf), "%ld", v[c]);
		put(o, &cols[c], c, buf, 1);
	}
	put(o, &cols[4], 4, r->key, 0);
	row_end(o);
}

static void tally_section(struct out *o, struct mmdb_tally *t, const char *name,
			  const struct column *cols)
{
	const struct mmdb_tally_row *r;
	long n = mmdb_tally_rows(t, &r);

	begin(o, name, cols, 5);
	for (long i = 0; i < n; i++)
		tally_row(o, i, &r[i], cols);
	end(o, n);
}

/* Only a run selected: what its counts (run_counts) can answer. */
static int just_run(const struct mmdb_filter *f)
{
	return f->run && !f->rule && !f->file && !f->function && !f->engine && !f->status;
}

/* How many rows F selects, where that is cheap to know (to size tallies). */
long mmdb_stats_rows(struct mmdb *db, const struct mmdb_filter *f)
{
	sqlite3_stmt *st = NULL;
	long rows = 0;

	if (f->run && sqlite3_prepare_v2(db->h, "SELECT count(*) FROM findings WHERE run = ?1",
					 -1, &st, NULL) == SQLITE_OK)
		sqlite3_bind_int64(st, 1, f->run);
	else if (!f->run)
		sqlite3_prepare_v2(db->h, "SELECT max(id) - min(id) + 1 FROM findings", -1, &st, NULL);
	if (st && sqlite3_step(st) == SQLITE_ROW)
		rows = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rows;
}

int mmdb_stats_scan(struct mmdb *db, const struct mmdb_filter *f, struct mmdb_tally *t[3])
{
	char sql[1536], where[1024] = "";
	sqlite3_stmt *st = NULL;
	int rc;

	mmdb_filter_sql(f, where, sizeof(where));
	/* the table in id order (a run's findings are together), not through
	 * an index: order does not matter here, and an index would visit the
	 * rows all over the table */
	snprintf(sql, sizeof(sql), "SELECT f.rule, f.file, f.fingerprint, t.fingerprint IS NOT NULL"
		 " FROM findings f NOT INDEXED LEFT JOIN triage t ON t.fingerprint = f.fingerprint"
		 " WHERE 1%s%s", where, f->run ? " AND f.id BETWEEN (SELECT min(id) FROM findings"
		 " WHERE run = :run) AND (SELECT max(id) FROM findings WHERE run = :run)" : "");
	rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);
	if (rc == SQLITE_OK) {
		mmdb_filter_bind(st, f);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *rule = (const char *)sqlite3_column_text(st, 0);
			const char *file = (const char *)sqlite3_column_text(st, 1);
			const char *fp = (const char *)sqlite3_column_text(st, 2);
			int triaged = sqlite3_column_int(st, 3);

			if (mmdb_tally_finding(t, rule, file, mmdb_fp_value(fp), triaged)) {
				rc = SQLITE_NOMEM;
				break;
			}
		}
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return mmdb_sqlerr(db, "query");
	return 0;
}

/* Rules and files: one pass over the selected findings. */
static int by_rule_file(struct mmdb *db, const struct mmdb_filter *f, unsigned by,
			struct out *o)
{
	long rows = mmdb_stats_rows(db, f);
	struct mmdb_tally *t[3] = {
		NULL,
		by & MMDB_BY_RULE ? mmdb_tally_new(rows) : NULL,
		by & MMDB_BY_FILE ? mmdb_tally_new(rows) : NULL,
	};
	int rc = -1;

	if (((by & MMDB_BY_RULE) && !t[1]) || ((by & MMDB_BY_FILE) && !t[2]))
		mmdb_seterr(db, "%s: out of memory", db->path);
	else
		rc = mmdb_stats_scan(db, f, t);
	if (!rc && t[1])
		tally_section(o, t[1], "rules", rule_cols);
	if (!rc && t[2])
		tally_section(o, t[2], "files", file_cols);
	mmdb_tally_free(t[1]);
	mmdb_tally_free(t[2]);
	return rc;
}

/* Rules or files of a counted run: its counts, and its triaged
 * fingerprints (the marks change, so they are counted now) per key --
 * the marks in the outer loop (CROSS JOIN), each looked up in the run
 * through the fingerprint index, not the run's findings each looked up
 * in the marks. */
static int counted_section(struct mmdb *db, int64_t run, int kind, struct out *o)
{
	static const char sql[] =
		"SELECT c.key, c.findings, c.fingerprints, c.others, coalesce(m.n, 0)"
		" FROM run_counts c LEFT JOIN (SELECT key, count(*) AS n FROM"
		" (SELECT DISTINCT iif(?2 = 1, f.rule, f.file) AS key, f.fingerprint FROM triage t"
		" CROSS JOIN findings f ON f.fingerprint = t.fingerprint AND f.run = ?1) GROUP BY key) m"
		" ON m.key = c.key WHERE c.run = ?1 AND c.kind = ?2 ORDER BY c.findings DESC, c.key";
	sqlite3_stmt *st;
	long n = 0;
	int rc;

	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	sqlite3_bind_int64(st, 1, run);
	sqlite3_bind_int(st, 2, kind);
	begin(o, kind == 1 ? "rules" : "files", kind == 1 ? rule_cols : file_cols, 5);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct mmdb_tally_row r = {
			.key = (const char *)sqlite3_column_text(st, 0),
			.findings = sqlite3_column_int64(st, 1),
			.distinct = sqlite3_column_int64(st, 2),
			.others = sqlite3_column_int64(st, 3),
			.triaged = sqlite3_column_int64(st, 4),
		};

		tally_row(o, n++, &r, kind == 1 ? rule_cols : file_cols);
	}
	end(o, n);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : mmdb_sqlerr(db, "query");
}

/* Is RUN counted (run_counts holds its counts)? */
static int is_counted(struct mmdb *db, int64_t run)
{
	sqlite3_stmt *st;
	int counted = 0;

	if (sqlite3_prepare_v2(db->h, "SELECT counted FROM runs WHERE id = ?1", -1, &st, NULL))
		return 0;
	sqlite3_bind_int64(st, 1, run);
	if (sqlite3_step(st) == SQLITE_ROW)
		counted = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return counted;
}

/* Runs: each counted through its index, runs without findings included. */
static int by_run(struct mmdb *db, const struct mmdb_filter *f, struct out *o)
{
	char sql[3072], where[1024] = "";
	sqlite3_stmt *st;
	long rows = 0;
	int rc;

	mmdb_filter_sql(f, where, sizeof(where));
	/* a counted run's totals are in run_counts, when nothing but the
	 * run is selected */
	snprintf(sql, sizeof(sql), "SELECT r.id, iif(r.counted AND :counts, (SELECT c.findings"
		 " FROM run_counts c WHERE c.run = r.id AND c.kind = 0), (SELECT count(*) " FROM_F
		 " WHERE f.run = r.id%s)), iif(r.counted AND :counts, (SELECT c.fingerprints"
		 " FROM run_counts c WHERE c.run = r.id AND c.kind = 0),"
		 " (SELECT count(DISTINCT f.fingerprint) " FROM_F " WHERE f.run = r.id%s)),"
		 " r.status, r.started, r.engines, r.kernel_version, r.source FROM runs r%s"
		 " ORDER BY r.id", where, where, f->run ? " WHERE r.id = :run" : "");
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	mmdb_filter_bind(st, f);
	sqlite3_bind_int(st, sqlite3_bind_parameter_index(st, ":counts"),
			 !f->rule && !f->file && !f->function && !f->engine && !f->status);
	begin(o, "runs", run_cols, 8);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row_begin(o, rows++);
		for (int i = 0; i < 8; i++)
			put(o, &run_cols[i], i, (const char *)sqlite3_column_text(st, i),
			    sqlite3_column_type(st, i) == SQLITE_INTEGER);
		row_end(o);
	}
	end(o, rows);
	if (rc != SQLITE_DONE)
		mmdb_sqlerr(db, "query");
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int mmdb_stats(struct mmdb *db, const struct mmdb_filter *f, unsigned by,
	       enum mmdb_format fmt, FILE *out)
{
	struct out o = { out, fmt, 0 };
	int rc = 0;

	if (!by)
		by = MMDB_BY_RULE | MMDB_BY_FILE | MMDB_BY_RUN;
	if (mmdb_read_begin(db))
		return -1;
	if (fmt == MMDB_JSON)
		fputs("{", out);
	if ((by & (MMDB_BY_RULE | MMDB_BY_FILE)) && just_run(f) && is_counted(db, f->run)) {
		if (by & MMDB_BY_RULE)
			rc = counted_section(db, f->run, 1, &o);
		if (!rc && (by & MMDB_BY_FILE))
			rc = counted_section(db, f->run, 2, &o);
	} else if (by & (MMDB_BY_RULE | MMDB_BY_FILE)) {
		rc = by_rule_file(db, f, by, &o);
	}
	if (!rc && (by & MMDB_BY_RUN))
		rc = by_run(db, f, &o);
	if (fmt == MMDB_JSON)
		fputs("}\n", out);
	mmdb_read_end(db);
	if (!rc && (fflush(out) || ferror(out)))
		return mmdb_seterr(db, "write error on the output");
	return rc;
}
