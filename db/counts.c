/*
 * A run's counts for `stats` (table run_counts): per rule and per file,
 * the findings, their distinct fingerprints and the distinct files of a
 * rule (rules of a file), and the run's own totals -- what `stats --by
 * rule,file --run N` would count from the findings, written once when
 * the run's last writer ends, in that writer's transaction.  A run's
 * only writer counts its queue (what it is storing is the whole run);
 * the last of several counts the run's stored findings.  A writer that
 * joins a run drops them; a run whose writers did not all end has none
 * (stats then reads the findings).  Triage marks are not counted here.
 */
#include "internal.h"

static int store(struct mmdb *db, int64_t run, int kind, struct mmdb_tally *t)
{
	const struct mmdb_tally_row *rows;
	long n = mmdb_tally_rows(t, &rows);
	sqlite3_stmt *st;
	int rc;

	if (n < 0)
		return SQLITE_NOMEM;
	rc = sqlite3_prepare_v2(db->h, "INSERT INTO run_counts (run, kind, key, findings,"
				" fingerprints, others) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1, &st, NULL);
	for (long i = 0; rc == SQLITE_OK && i < n; i++) {
		sqlite3_bind_int64(st, 1, run);
		sqlite3_bind_int(st, 2, kind);
		sqlite3_bind_text(st, 3, rows[i].key, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, rows[i].findings);
		sqlite3_bind_int64(st, 5, rows[i].distinct);
		sqlite3_bind_int64(st, 6, kind ? rows[i].others : 0);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
		rc = rc == SQLITE_DONE ? SQLITE_OK : rc;
	}
	/* a run without findings: its totals say so */
	if (rc == SQLITE_OK && !kind && !n)
		rc = mmdb_execv(db, "INSERT INTO run_counts (run, kind, key, findings, fingerprints,"
				" others) VALUES (?1, 0, '', 0, 0, 0)", "l", run);
	sqlite3_finalize(st);
	return rc;
}

/* R: the queue, in place order (mmdb_run_order), or NULL */
int mmdb_counts_write(struct mmdb *db, int64_t run, const struct prun *r)
{
	struct mmdb_filter f = { .run = run };
	long rows = r ? r->norder : mmdb_stats_rows(db, &f);
	struct mmdb_tally *t[3] = { mmdb_tally_new(rows), mmdb_tally_new(rows), mmdb_tally_new(rows) };
	int rc = SQLITE_NOMEM;

	if (!t[0] || !t[1] || !t[2])
		goto out;
	if (r) {
		for (long i = 0; i < r->norder; i++) {
			const struct pfinding *p = &r->f[r->order[i]];

			if (mmdb_tally_finding(t, p->rule, p->file, mmdb_fp_value(p->fp), 0))
				goto out;
		}
	} else if (mmdb_stats_scan(db, &f, t)) {
		rc = SQLITE_ERROR;
		goto out;
	}
	rc = mmdb_counts_drop(db, run);
	for (int kind = 0; rc == SQLITE_OK && kind < 3; kind++)
		rc = store(db, run, kind, t[kind]);
	if (rc == SQLITE_OK)
		rc = mmdb_execv(db, "UPDATE runs SET counted = 1 WHERE id = ?1", "l", run);
out:
	for (int i = 0; i < 3; i++)
		mmdb_tally_free(t[i]);
	return rc;
}

int mmdb_counts_drop(struct mmdb *db, int64_t run)
{
	int rc = mmdb_execv(db, "DELETE FROM run_counts WHERE run = ?1", "l", run);

	if (rc == SQLITE_OK)
		rc = mmdb_execv(db, "UPDATE runs SET counted = 0 WHERE id = ?1", "l", run);
	return rc;
}
