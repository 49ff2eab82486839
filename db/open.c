/*
 * Opening a findings database.  What is not ours -- a corrupt file, a
 * foreign SQLite database, a schema version we do not know -- is refused
 * with one line naming the file and is not changed.  Ours is switched to
 * WAL (a new file with 16 kB pages), and created or migrated
 * (db/schema.sql, db/migrate-N.sql) in one write transaction that
 * re-checks the version, so that many writers opening a new database at
 * once create it exactly once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"

extern const char mmdb_sql_schema[];
extern const char mmdb_sql_migrate_1[];
extern const char mmdb_sql_migrate_2[];
extern const char mmdb_sql_migrate_3[];

/* migrations[N] takes schema version N to N + 1 */
static const char *const migrations[MMDB_SCHEMA_VERSION] = {
	[1] = mmdb_sql_migrate_1,
	[2] = mmdb_sql_migrate_2,
	[3] = mmdb_sql_migrate_3,
};

struct state {
	int app_id, version, ntables;
};

static int pragma_int(sqlite3 *h, const char *sql, int *val)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(h, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*val = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int read_state(struct mmdb *db, struct state *s)
{
	int rc = pragma_int(db->h, "SELECT count(*) FROM sqlite_schema", &s->ntables);

	if (rc == SQLITE_OK)
		rc = pragma_int(db->h, "PRAGMA application_id", &s->app_id);
	if (rc == SQLITE_OK)
		rc = pragma_int(db->h, "PRAGMA user_version", &s->version);
	if (rc == SQLITE_OK)
		return 0;
	switch (rc & 0xff) {
	case SQLITE_NOTADB:
		return mmdb_seterr(db, "%s: not an mmlock database (not SQLite at all)", db->path);
	case SQLITE_CORRUPT:
		return mmdb_seterr(db, "%s: corrupt database: %s", db->path, sqlite3_errmsg(db->h));
	}
	if (mmdb_is_busy(rc))
		return -2;
	return mmdb_sqlerr(db, "cannot read");
}

static int is_empty(const struct state *s)
{
	return !s->app_id && !s->version && !s->ntables;
}

/* Ours, of a version we can use (perhaps after migration)? */
static int check_state(struct mmdb *db, const struct state *s)
{
	if (is_empty(s))
		return 0;
	if ((unsigned)s->app_id != MMDB_APPLICATION_ID)
		return mmdb_seterr(db, "%s: not an mmlock database (a foreign SQLite database)",
				   db->path);
	if (s->version > MMDB_SCHEMA_VERSION)
		return mmdb_seterr(db, "%s: schema version %d is newer than this mmlock's (%d)",
				   db->path, s->version, MMDB_SCHEMA_VERSION);
	if (s->version < 1)
		return mmdb_seterr(db, "%s: unknown schema version %d", db->path, s->version);
	return 0;
}

static int upgrade(struct mmdb *db, void *arg)
{
	struct state s;
	int rc;

	if (read_state(db, &s))
		return SQLITE_ERROR;
	if (check_state(db, &s))
		return SQLITE_ERROR;
	if (is_empty(&s)) {
		rc = sqlite3_exec(db->h, mmdb_sql_schema, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			mmdb_sqlerr(db, "cannot create the schema");
			return rc;
		}
		db->opened_as = MMDB_SCHEMA_VERSION;
		return SQLITE_OK;
	}
	for (int v = s.version; v < MMDB_SCHEMA_VERSION; v++) {
		rc = sqlite3_exec(db->h, migrations[v], NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			mmdb_seterr(db, "%s: migration from schema version %d failed: %s",
				    db->path, v, sqlite3_errmsg(db->h));
			return rc;
		}
		db->opened_as = -s.version;
	}
	return SQLITE_OK;
}

/* Read the header, retrying while another process holds an exclusive lock. */
static int settle_state(struct mmdb *db, struct state *s)
{
	int64_t deadline = mmdb_now_ms() + db->timeout_ms;
	int rc;

	for (int attempt = 0; (rc = read_state(db, s)) == -2; attempt++) {
		if (mmdb_now_ms() > deadline)
			return mmdb_sqlerr(db, "cannot read");
		mmdb_backoff(attempt);
	}
	return rc;
}

/*
 * Read-only, and the WAL's -shm cannot be made (a read-only directory):
 * nobody can write the database there either, so open it immutable.
 */
static int open_immutable(struct mmdb *db)
{
	size_t n = strlen(db->path);
	char *uri = malloc(3 * n + 32), *u = uri;

	if (!uri)
		return mmdb_seterr(db, "out of memory");
	u += sprintf(u, "file:");
	for (const char *p = db->path; *p; p++)	/* URI: escape what it reads */
		u += strchr("%?#", *p) ? sprintf(u, "%%%02X", (unsigned char)*p)
				      : sprintf(u, "%c", *p);
	strcpy(u, "?immutable=1");
	sqlite3_close_v2(db->h);
	db->h = NULL;
	if (sqlite3_open_v2(uri, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		free(uri);
		return mmdb_seterr(db, "%s: cannot open: %s", db->path,
				   db->h ? sqlite3_errmsg(db->h) : "out of memory");
	}
	free(uri);
	sqlite3_extended_result_codes(db->h, 1);
	mmdb_register_functions(db->h);
	return 0;
}

static int set_wal(struct mmdb *db)
{
	int64_t deadline = mmdb_now_ms() + db->timeout_ms;

	for (int attempt = 0;; attempt++) {
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db->h, "PRAGMA journal_mode=WAL", -1, &st, NULL);

		if (rc == SQLITE_OK) {
			rc = sqlite3_step(st);
			if (rc == SQLITE_ROW) {
				const char *mode = (const char *)sqlite3_column_text(st, 0);

				rc = mode && !strcmp(mode, "wal") ? SQLITE_OK : SQLITE_BUSY;
			}
			sqlite3_finalize(st);
		}
		if (rc == SQLITE_OK)
			return 0;
		if (!mmdb_is_busy(rc) || mmdb_now_ms() > deadline)
			return mmdb_sqlerr(db, "cannot switch to WAL");
		mmdb_backoff(attempt);
	}
}

static int timeout_ms(void)
{
	const char *s = getenv("MMLOCK_DB_TIMEOUT");	/* seconds */
	int t = s ? atoi(s) : 0;

	return t > 0 ? t * 1000 : 600 * 1000;
}

static struct mmdb *fail(struct mmdb *db, char **err)
{
	if (err)
		*err = strdup(db->err);
	mmdb_close(db);
	return NULL;
}

struct mmdb *mmdb_open(const char *path, unsigned flags, char **err)
{
	struct mmdb *db = calloc(1, sizeof(*db));
	int ro = flags & MMDB_READONLY;
	int oflags = SQLITE_OPEN_NOMUTEX | (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE);
	struct stat sb;
	struct state s;

	if (err)
		*err = NULL;
	if (!db)
		return NULL;
	db->path = strdup(path);
	db->flags = flags;
	db->timeout_ms = timeout_ms();
	if (stat(path, &sb)) {
		if (errno != ENOENT || !(flags & MMDB_CREATE) || ro) {
			mmdb_seterr(db, "%s: %s", path, errno == ENOENT ?
				    "no such database (mmlock db init creates one)" : strerror(errno));
			return fail(db, err);
		}
		oflags |= SQLITE_OPEN_CREATE;
	} else if (!S_ISREG(sb.st_mode)) {
		mmdb_seterr(db, "%s: not a regular file", path);
		return fail(db, err);
	}
	/* one handle, one thread (mmdb.h): no mutex around every call */
	oflags |= SQLITE_OPEN_NOMUTEX;
	if (sqlite3_open_v2(path, &db->h, oflags, NULL) != SQLITE_OK) {
		mmdb_seterr(db, "%s: cannot open: %s", path,
			    db->h ? sqlite3_errmsg(db->h) : "out of memory");
		return fail(db, err);
	}
	sqlite3_extended_result_codes(db->h, 1);
	sqlite3_busy_timeout(db->h, 5000);
	mmdb_register_functions(db->h);
	if (ro && read_state(db, &s) == -1 && open_immutable(db))
		return fail(db, err);
	if (settle_state(db, &s) || check_state(db, &s))
		return fail(db, err);
	if (is_empty(&s) && !(flags & MMDB_CREATE)) {
		mmdb_seterr(db, "%s: empty database (mmlock db init creates the schema)", path);
		return fail(db, err);
	}
	if (ro) {
		if (s.version != MMDB_SCHEMA_VERSION) {
			mmdb_seterr(db, "%s: schema version %d (mmlock db init migrates it to %d)",
				    path, s.version, MMDB_SCHEMA_VERSION);
			return fail(db, err);
		}
		sqlite3_exec(db->h, "PRAGMA query_only=1; PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
		return db;
	}
	/* a new file's pages: 16 kB (a no-op once it has any): a
	 * million-finding import writes a quarter of the pages (and system
	 * calls) it would with 4 kB ones */
	sqlite3_exec(db->h, "PRAGMA page_size=16384", NULL, NULL, NULL);
	if (set_wal(db))
		return fail(db, err);
	/* mmap: queries over a million findings read pages without copying them */
	sqlite3_exec(db->h, "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
		     " PRAGMA cache_size=-" MMDB_CACHE_KIB "; PRAGMA mmap_size=1073741824", NULL, NULL, NULL);
	if (s.version != MMDB_SCHEMA_VERSION && mmdb_write_txn(db, upgrade, NULL))
		return fail(db, err);
	return db;
}

void mmdb_close(struct mmdb *db)
{
	if (!db)
		return;
	if (db->run && mmdb_run_end(db, db->run->id, 0))
		mmdb_run_free(db->run);
	if (db->src)
		mmdb_src_free(db->src);
	sqlite3_close_v2(db->h);
	free(db->path);
	free(db);
}

const char *mmdb_errmsg(const struct mmdb *db)
{
	return db->err;
}

const char *mmdb_path(const struct mmdb *db)
{
	return db->path;
}

int mmdb_opened_as(const struct mmdb *db)
{
	return db->opened_as;
}
