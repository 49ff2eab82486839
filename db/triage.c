/*
 * `mmlock db triage FINGERPRINT STATUS [--note TEXT]`: marks are kept by
 * fingerprint, apart from runs, so they hold for the same finding in every
 * later run.  Every change is also logged in triage_log.
 */
#include <ctype.h>
#include <string.h>
#include "internal.h"
#include "query.h"

struct triage {
	const char *fp, *status, *note;
	int force;
	char *resolved;
};

/* The one stored fingerprint starting with PREFIX. */
static int resolve(struct mmdb *db, struct triage *t)
{
	sqlite3_stmt *st;
	int rc, n = 0;

	rc = sqlite3_prepare_v2(db->h, "SELECT DISTINCT fingerprint FROM findings"
				" WHERE fingerprint >= ?1 AND fingerprint < ?1 || 'g' LIMIT 2",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_text(st, 1, t->fp, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if (!n++)
			snprintf(t->resolved, 17, "%s", sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return rc;
	if (n == 1)
		return SQLITE_OK;
	if (n > 1)
		mmdb_seterr(db, "%s: fingerprint prefix '%s' is ambiguous", db->path, t->fp);
	else if (t->force && strlen(t->fp) == 16)
		return snprintf(t->resolved, 17, "%s", t->fp), SQLITE_OK;
	else
		mmdb_seterr(db, "%s: no finding has fingerprint '%s'%s", db->path, t->fp,
			    strlen(t->fp) == 16 ? " (--force marks it anyway)" : "");
	return SQLITE_ERROR;
}

static int triage_fn(struct mmdb *db, void *arg)
{
	struct triage *t = arg;
	int rc = resolve(db, t);

	if (rc != SQLITE_OK)
		return rc;
	if (!strcmp(t->status, "clear"))
		rc = mmdb_execv(db, "DELETE FROM triage WHERE fingerprint = ?1", "s", t->resolved);
	else
		rc = mmdb_execv(db, "INSERT INTO triage (fingerprint, status, note, updated)"
				" VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))"
				" ON CONFLICT (fingerprint) DO UPDATE SET status = excluded.status,"
				" note = coalesce(excluded.note, note), updated = excluded.updated",
				"sss", t->resolved, t->status, t->note);
	if (rc == SQLITE_OK)
		rc = mmdb_execv(db, "INSERT INTO triage_log (fingerprint, status, note, at)"
				" VALUES (?1, ?2, ?3, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", "sss",
				t->resolved, strcmp(t->status, "clear") ? t->status : "cleared",
				t->note);
	return rc;
}

int mmdb_triage(struct mmdb *db, const char *fp, const char *status, const char *note,
		int force, char resolved[17])
{
	static const char *const known[] = { "confirmed", "false-positive", "wont-fix", "clear" };
	struct triage t = { fp, status, note, force, resolved };
	size_t n = strlen(fp), i;

	if (n < 4 || n > 16 || strspn(fp, "0123456789abcdef") != n)
		return mmdb_seterr(db, "bad fingerprint '%s' (4 to 16 lowercase hex digits)", fp);
	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(status, known[i]))
			break;
	if (i == sizeof(known) / sizeof(known[0]))
		return mmdb_seterr(db, "bad triage status '%s' (confirmed, false-positive,"
				   " wont-fix or clear)", status);
	return mmdb_write_txn(db, triage_fn, &t);
}
