/*
 * Errors and transactions.  Every write is one BEGIN IMMEDIATE ... COMMIT;
 * when another writer holds the lock longer than the busy timeout the
 * whole transaction is rolled back and tried again, with a randomised
 * back-off, until db->timeout_ms has passed: under make -jN writers queue
 * up, they do not fail.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "internal.h"

int mmdb_seterr(struct mmdb *db, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(db->err, sizeof(db->err), fmt, ap);
	va_end(ap);
	return -1;
}

/* "PATH: WHAT: sqlite's message" */
int mmdb_sqlerr(struct mmdb *db, const char *what)
{
	return mmdb_seterr(db, "%s: %s: %s", db->path, what, sqlite3_errmsg(db->h));
}

int mmdb_is_busy(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
}

int64_t mmdb_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Sleep 1..2^attempt ms (at most 256), randomised so writers spread out. */
void mmdb_backoff(int attempt)
{
	static unsigned seed;
	int max = 1 << (attempt < 8 ? attempt : 8);

	if (!seed)
		seed = (unsigned)getpid() ^ (unsigned)mmdb_now_ms();
	usleep(1000 * (1 + rand_r(&seed) % max));
}

static int exec(struct mmdb *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL);
}

int mmdb_write_txn(struct mmdb *db, int (*fn)(struct mmdb *, void *), void *arg)
{
	int64_t deadline = mmdb_now_ms() + db->timeout_ms;

	for (int attempt = 0;; attempt++) {
		int rc = exec(db, "BEGIN IMMEDIATE");

		if (rc == SQLITE_OK) {
			db->err[0] = 0;
			rc = fn(db, arg);
			if (rc == SQLITE_OK)
				rc = exec(db, "COMMIT");
			if (rc != SQLITE_OK) {
				if (!db->err[0] || mmdb_is_busy(rc))
					mmdb_sqlerr(db, "write");
				exec(db, "ROLLBACK");
			}
		} else {
			mmdb_sqlerr(db, "write");
		}
		if (rc == SQLITE_OK)
			return 0;
		if (!mmdb_is_busy(rc) || mmdb_now_ms() > deadline)
			return -1;
		mmdb_backoff(attempt);
	}
}

/* A read snapshot across several statements (WAL: never blocks writers). */
int mmdb_read_begin(struct mmdb *db)
{
	if (exec(db, "BEGIN") != SQLITE_OK)
		return mmdb_sqlerr(db, "read");
	return 0;
}

void mmdb_read_end(struct mmdb *db)
{
	exec(db, "COMMIT");
}

int mmdb_execv(struct mmdb *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc = sqlite3_prepare_v2(db->h, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	va_start(ap, types);
	for (int i = 1; *types; types++, i++) {
		if (*types == 's')
			sqlite3_bind_text(st, i, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
		else if (*types == 'i')
			sqlite3_bind_int(st, i, va_arg(ap, int));
		else
			sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
	}
	va_end(ap);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}
