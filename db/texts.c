/*
 * The texts table: a note's file and message are stored once each, as
 * ids, however many notes say them ("the lock was taken here" a million
 * times).  Writing, a string's id is looked up (or added) once per
 * transaction and kept beside the interned string (strtab.c); reading,
 * each id is read once per query and kept in a hash map.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct mmdb_texts {
	struct mmdb *db;
	sqlite3_stmt *find, *add, *get;
	int64_t *ids;			/* reading: id -> str[], 0 empty */
	char **str;
	long n, nslot;
};

struct mmdb_texts *mmdb_texts_new(struct mmdb *db)
{
	struct mmdb_texts *t = calloc(1, sizeof(*t));

	if (t)
		t->db = db;
	return t;
}

void mmdb_texts_free(struct mmdb_texts *t)
{
	if (!t)
		return;
	sqlite3_finalize(t->find);
	sqlite3_finalize(t->add);
	sqlite3_finalize(t->get);
	for (long i = 0; i < t->nslot; i++)
		if (t->ids[i])
			free(t->str[i]);
	free(t->ids);
	free(t->str);
	free(t);
}

/* The id of S, a string of a run's table, added to the texts if new;
 * 0 on an error (the SQLite code in *RC). */
int64_t mmdb_texts_id(struct mmdb_texts *t, const char *s, int *rc)
{
	int64_t id = mmdb_istr_dbid(s);
	int len = (int)mmdb_istr_len(s);

	if (id)
		return id;
	if ((!t->find && (*rc = sqlite3_prepare_v2(t->db->h, "SELECT id FROM texts WHERE text = ?1",
						    -1, &t->find, NULL))) ||
	    (!t->add && (*rc = sqlite3_prepare_v2(t->db->h, "INSERT INTO texts (text) VALUES (?1)",
						   -1, &t->add, NULL))))
		return 0;
	sqlite3_bind_text(t->find, 1, s, len, SQLITE_STATIC);
	*rc = sqlite3_step(t->find);
	if (*rc == SQLITE_ROW)
		id = sqlite3_column_int64(t->find, 0);
	sqlite3_reset(t->find);
	if (!id && (*rc == SQLITE_ROW || *rc == SQLITE_DONE)) {
		sqlite3_bind_text(t->add, 1, s, len, SQLITE_STATIC);
		*rc = sqlite3_step(t->add);
		sqlite3_reset(t->add);
		if (*rc == SQLITE_DONE)
			id = sqlite3_last_insert_rowid(t->db->h);
	}
	if (id)
		mmdb_istr_set_dbid(s, id);
	return id;
}

static long slot_of(const struct mmdb_texts *t, int64_t id)
{
	long i = (long)(((uint64_t)id * 0x9e3779b97f4a7c15ULL) >> 20) & (t->nslot - 1);

	while (t->ids[i] && t->ids[i] != id)
		i = (i + 1) & (t->nslot - 1);
	return i;
}

static int grow(struct mmdb_texts *t)
{
	long nslot = t->nslot ? 2 * t->nslot : 1024;
	int64_t *ids = calloc(nslot, sizeof(*ids)), *old = t->ids;
	char **str = calloc(nslot, sizeof(*str)), **olds = t->str;
	long oldn = t->nslot;

	if (!ids || !str) {
		free(ids);
		free(str);
		return -1;
	}
	t->ids = ids;
	t->str = str;
	t->nslot = nslot;
	for (long i = 0; i < oldn; i++)
		if (old[i]) {
			long j = slot_of(t, old[i]);

			ids[j] = old[i];
			str[j] = olds[i];
		}
	free(old);
	free(olds);
	return 0;
}

/* The text of ID, valid as long as T; NULL when there is none (and the
 * handle's error set when it could not be read). */
const char *mmdb_texts_str(struct mmdb_texts *t, int64_t id)
{
	const char *v;
	long i;
	int rc;

	if ((t->n + 1) * 2 > t->nslot && grow(t))
		return NULL;
	i = slot_of(t, id);
	if (t->ids[i])
		return t->str[i];
	if (!t->get && sqlite3_prepare_v2(t->db->h, "SELECT text FROM texts WHERE id = ?1", -1,
					  &t->get, NULL))
		return NULL;
	sqlite3_bind_int64(t->get, 1, id);
	rc = sqlite3_step(t->get);
	v = rc == SQLITE_ROW ? (const char *)sqlite3_column_text(t->get, 0) : NULL;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		mmdb_sqlerr(t->db, "query");	/* a damaged file, say */
	if (v && (t->str[i] = strdup(v))) {
		t->ids[i] = id;
		t->n++;
	}
	sqlite3_reset(t->get);
	return t->ids[i] ? t->str[i] : NULL;
}
