/*
 * Writing runs.  mmdb_run_begin() commits the run row at once ('incomplete',
 * so a writer killed later leaves it so); mmdb_add() queues findings in
 * memory; mmdb_run_end() writes the queue and the run's new status in one
 * transaction, retried under contention (txn.c).  Writers sharing a key
 * share a run: it is complete when every writer that joined has ended.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

#define NOW "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')"

void mmdb_run_free(struct prun *r)
{
	if (!r)
		return;
	mmdb_strtab_free(r->strs);
	free(r->f);
	free(r->order);
	free(r->engine);
	free(r->engines);
	free(r->root);
	free(r->root_abs);
	free(r);
}

struct begin {
	const struct mmdb_run_meta *meta;
	const char *engines, *kernel_version, *git_rev, *host, *key;
	int64_t id;
};

static int begin_fn(struct mmdb *db, void *arg)
{
	struct begin *b = arg;
	const struct mmdb_run_meta *m = b->meta;
	int rc;

	if (b->key) {
		sqlite3_stmt *st;

		rc = sqlite3_prepare_v2(db->h, "SELECT id FROM runs WHERE key = ?1", -1, &st, NULL);
		if (rc != SQLITE_OK)
			return rc;
		sqlite3_bind_text(st, 1, b->key, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		b->id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
		sqlite3_finalize(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return rc;
		if (b->id) {
			rc = mmdb_execv(db, "UPDATE runs SET writers = writers + 1, ordered = 0,"
					" status = iif(status = 'complete', 'incomplete', status)"
					" WHERE id = ?1", "l", b->id);
			return rc == SQLITE_OK ? mmdb_counts_drop(db, b->id) : rc;
		}
	}
	rc = mmdb_execv(db, "INSERT INTO runs (started, tool_version, kernel_version, git_rev,"
			" engines, rules, source, key, host) VALUES (" NOW ", ?1, ?2, ?3, ?4, ?5,"
			" ?6, ?7, ?8)", "ssssssss",
			m->tool_version ? m->tool_version : MMLOCK_VERSION, b->kernel_version,
			b->git_rev, b->engines, m->rules ? m->rules : "", m->source, b->key, b->host);
	b->id = sqlite3_last_insert_rowid(db->h);
	return rc;
}

int64_t mmdb_run_begin(struct mmdb *db, const struct mmdb_run_meta *meta)
{
	struct mmdb_run_meta none = { 0 };
	struct begin b = { .meta = meta ? meta : &none };
	char *kv = NULL, *rev = NULL, host[256] = "";
	struct prun *r;

	if (!meta)
		meta = &none;
	b.key = meta->key ? meta->key : getenv("MMLOCK_RUN_KEY");
	if (b.key && !*b.key)
		b.key = NULL;
	if (db->flags & MMDB_READONLY)
		return mmdb_seterr(db, "%s: opened read-only", db->path);
	if (db->run)
		return mmdb_seterr(db, "%s: run %lld is still open", db->path,
				   (long long)db->run->id);
	r = calloc(1, sizeof(*r));
	if (!r)
		return mmdb_seterr(db, "%s: out of memory", db->path);
	b.engines = meta->engines && *meta->engines ? meta->engines : "gcc-plugin";
	r->engines = strdup(b.engines);
	r->engine = strndup(b.engines, strcspn(b.engines, ","));
	r->root = strdup(meta->root ? meta->root : ".");
	r->root_abs = mmdb_abspath(r->root);
	r->strs = mmdb_strtab_new();
	b.kernel_version = meta->kernel_version ? meta->kernel_version :
			   (kv = mmdb_kernel_version(r->root));
	b.git_rev = meta->git_rev ? meta->git_rev : (rev = mmdb_git_rev(r->root));
	if (!gethostname(host, sizeof(host) - 1))
		b.host = host;
	if (!db->src)
		db->src = mmdb_src_new();
	if (mmdb_write_txn(db, begin_fn, &b)) {
		mmdb_run_free(r);
		r = NULL;
	} else {
		r->id = b.id;
		db->run = r;
	}
	free(kv);
	free(rev);
	return r ? r->id : -1;
}

static struct prun *the_run(struct mmdb *db, int64_t run)
{
	if (db->run && db->run->id == run)
		return db->run;
	mmdb_seterr(db, "%s: run %lld is not open here", db->path, (long long)run);
	return NULL;
}

long mmdb_pending(const struct mmdb *db, int64_t run)
{
	struct prun *r = db->run && db->run->id == run ? db->run : NULL;

	return r && !mmdb_run_order(r) ? r->norder : 0;
}

/* Of what makes a finding an exact repeat of another (order.c): the
 * strings are interned (equal strings are equal pointers) or, the
 * message, carry their hash. */
static uint64_t exact_hash(const struct pfinding *p)
{
	const char *parts[] = { p->rule, p->file, p->message, p->severity, p->engine };
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
		h = (h ^ mmdb_istr_hash(parts[i])) * 0x100000001b3ULL;
	return (h ^ (uint64_t)p->line ^ ((uint64_t)p->col << 32)) * 0x100000001b3ULL;
}

static int grow(struct prun *r)
{
	if (r->n == r->cap) {
		long cap = r->cap ? r->cap * 2 : 256;
		struct pfinding *f = realloc(r->f, cap * sizeof(*f));

		if (!f)
			return -1;
		r->f = f;
		r->cap = cap;
	}
	return 0;
}

/* P's fingerprint and, when it has none, its function, from the source
 * (what mmdb_src_find() hands back is interned before the next lookup). */
static int fingerprint(struct mmdb *db, struct prun *r, struct pfinding *p,
		       const struct mmdb_finding *f)
{
	const char *fn = NULL, *stmt = NULL;
	int readable = !mmdb_src_find(db->src, r->root, p->file, p->line, &fn, &stmt);
	char *msg;

	if (readable && !p->function && fn && !(p->function = mmdb_intern(r->strs, fn)))
		return -1;
	if (f->fingerprint) {
		snprintf(p->fp, sizeof(p->fp), "%s", f->fingerprint);
		return 0;
	}
	msg = mmdb_norm_message(p->message);
	if (!msg)
		return -1;
	mmdb_fingerprint(p->rule, p->file, readable ? (fn ? fn : "") : (f->function ? f->function : ""),
			 readable ? stmt : msg, msg, p->fp);
	free(msg);
	return 0;
}

/* S interned; an absent S as NULL. */
#define INTERN(s) ((s) ? mmdb_intern(r->strs, (s)) : NULL)

int mmdb_add(struct mmdb *db, int64_t run, const struct mmdb_finding *f)
{
	struct prun *r = the_run(db, run);
	const char *sev = f->severity ? f->severity : "warning";
	struct pfinding q = { 0 };

	if (!r)
		return -1;
	if (!f->rule || !*f->rule || !f->file || !*f->file || !f->message || !*f->message ||
	    f->line < 0 || f->col < 0 || f->nnotes < 0)
		return mmdb_seterr(db, "%s: a finding needs a rule, a file, a line and a message",
				   db->path);
	if (strcmp(sev, "warning") && strcmp(sev, "error") && strcmp(sev, "info"))
		return mmdb_seterr(db, "%s: unknown severity '%s'", db->path, sev);
	if (f->fingerprint && strlen(f->fingerprint) > 16)
		return mmdb_seterr(db, "%s: fingerprint longer than 16 characters", db->path);
	q.rule = INTERN(f->rule);
	q.file = INTERN(mmdb_relpath(r->root_abs, f->file));
	q.message = mmdb_strtab_copy(r->strs, f->message);
	q.severity = INTERN(sev);
	q.engine = INTERN(f->engine ? f->engine : r->engine);
	q.line = f->line;
	q.col = f->col;
	if (!q.rule || !q.file || !q.message || !q.severity || !q.engine || grow(r))
		return mmdb_seterr(db, "%s: out of memory", db->path);
	q.hash = exact_hash(&q);
	if (f->function && !(q.function = INTERN(f->function)))
		return mmdb_seterr(db, "%s: out of memory", db->path);
	if (f->nnotes && !(q.notes = mmdb_strtab_alloc(r->strs, f->nnotes * sizeof(*q.notes))))
		return mmdb_seterr(db, "%s: out of memory", db->path);
	for (int i = 0; i < f->nnotes; i++) {
		const struct mmdb_note *n = &f->notes[i];
		struct pnote *pn = &q.notes[q.nnotes++];

		pn->file = INTERN(n->file ? mmdb_relpath(r->root_abs, n->file) : "");
		pn->line = n->line;
		pn->col = n->col;
		pn->message = INTERN(n->message ? n->message : "");
		if (!pn->file || !pn->message)
			return mmdb_seterr(db, "%s: out of memory", db->path);
	}
	if (fingerprint(db, r, &q, f))
		return mmdb_seterr(db, "%s: out of memory", db->path);
	r->f[r->n++] = q;
	free(r->order);			/* repeats are left out when it is made */
	r->order = NULL;
	return 0;
}
#undef INTERN

struct end {
	struct prun *r;
	int complete;
};

static char *merge_engines(const char *have, const char *add)
{
	size_t n = strlen(have) + strlen(add) + 2;
	char *out = malloc(n), *copy = strdup(add), *save, *e;

	snprintf(out, n, "%s", have);
	for (e = strtok_r(copy, ",", &save); e; e = strtok_r(NULL, ",", &save)) {
		size_t len = strlen(e);
		const char *p = out;
		int seen = 0;

		while (!seen && (p = strstr(p, e))) {
			seen = (p == out || p[-1] == ',') && (p[len] == ',' || !p[len]);
			p += len;
		}
		if (!seen)
			snprintf(out + strlen(out), n - strlen(out), "%s%s", *out ? "," : "", e);
	}
	free(copy);
	return out;
}

/* An interned string (or NULL) as parameter I: its length is known. */
static void bind_istr(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, (int)mmdb_istr_len(s), SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * A big write -- at least as many findings as the table holds -- builds
 * the fingerprint index after its rows, in one sort, instead of putting
 * each row's entry at a random place in it (the index is dropped and made
 * again from its own definition, in the same transaction: a failure
 * leaves it as it was).  *SQL: that definition, when it was dropped.
 */
static int index_later(struct mmdb *db, long n, char **sql)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->h, "SELECT (SELECT sql FROM sqlite_schema WHERE type = 'index'"
				    " AND name = 'findings_fingerprint'), (SELECT coalesce(max(id) - min(id)"
				    " + 1, 0) FROM findings)", -1, &st, NULL);

	*sql = NULL;
	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT &&
	    n >= sqlite3_column_int64(st, 1) && n >= 10000)
		*sql = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return rc;
	return *sql ? sqlite3_exec(db->h, "DROP INDEX findings_fingerprint", NULL, NULL, NULL)
		    : SQLITE_OK;
}

/*
 * Rows go in many to a statement (INSERT ... VALUES (...), (...), ...):
 * one statement step per row costs more than the row.  The findings get
 * their ids from SQLite, one after another from the table's end on, so
 * they follow the order they go in (the listing's), without an id bound
 * and looked up for each; the run is one parameter (?1) of all the rows.
 * Each finding has its notes in its row (db/path.c).  OR FAIL: a row's
 * constraints are checked before anything of it is written, so no
 * statement journal is kept (the transaction is rolled back whole on an
 * error anyway).
 */
#define BATCH		64
#define FINDING_COLS	10		/* parameters of a row, the run aside */

struct batch {
	struct mmdb *db;
	int64_t run;
	sqlite3_stmt *full;		/* BATCH rows */
	struct mmdb_texts *texts;	/* the notes' strings as ids */
	char *paths;			/* the rows' paths, bound as they are */
	size_t size;
};

/* A statement of ROWS findings, the run bound; a full one is kept. */
static sqlite3_stmt *batch_stmt(struct batch *b, int rows)
{
	static const char head[] = "INSERT OR FAIL INTO findings (run, rule, file, line, col,"
				   " function, message, engine, severity, fingerprint, path) VALUES";
	size_t n = sizeof(head) + (size_t)rows * (FINDING_COLS * 2 + 6) + 1;
	char *sql, *p;
	sqlite3_stmt *st = NULL;

	if (rows == BATCH && b->full)
		return b->full;
	if (!(sql = malloc(n)))
		return NULL;
	p = sql + sprintf(sql, "%s", head);
	for (int i = 0; i < rows; i++) {
		p += sprintf(p, "%s(?1", i ? "," : " ");
		for (int j = 0; j < FINDING_COLS; j++)
			p += sprintf(p, ",?");	/* numbered on from ?1: ?2, ?3, ... */
		*p++ = ')';
	}
	*p = 0;
	if (sqlite3_prepare_v2(b->db->h, sql, -1, &st, NULL) == SQLITE_OK)
		sqlite3_bind_int64(st, 1, b->run);
	free(sql);
	if (rows == BATCH)
		b->full = st;
	return st;
}

/* Step ST, bound with ROWS rows; a statement of fewer rows is finalized. */
static int batch_step(sqlite3_stmt *st, int rows)
{
	int rc = sqlite3_step(st);

	if (rows == BATCH)
		sqlite3_reset(st);
	else
		sqlite3_finalize(st);
	return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

/* The row's parameters from AT + 1 on */
static void bind_finding(sqlite3_stmt *st, int at, const struct pfinding *p, const char *path,
			 int pathlen)
{
	bind_istr(st, at + 1, p->rule);
	bind_istr(st, at + 2, p->file);
	sqlite3_bind_int(st, at + 3, p->line);
	sqlite3_bind_int(st, at + 4, p->col);
	bind_istr(st, at + 5, p->function);
	bind_istr(st, at + 6, p->message);
	bind_istr(st, at + 7, p->engine);
	bind_istr(st, at + 8, p->severity);
	sqlite3_bind_text(st, at + 9, p->fp, -1, SQLITE_STATIC);
	if (path)
		sqlite3_bind_text(st, at + 10, path, pathlen, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, at + 10);
}

/* The paths of findings ORDER[FROM..TO) in B's buffer, one after another:
 * PATH[i - FROM] (NULL: none), LEN[i - FROM] bytes. */
static int make_paths(struct batch *b, struct prun *r, const long *order, long from, long to,
		      const char **path, int *len)
{
	size_t need = 0, used = 0;
	int rc = SQLITE_OK;

	for (long i = from; i < to; i++)
		need += mmdb_path_max(r->f[order[i]].nnotes);
	if (need > b->size) {
		char *p = realloc(b->paths, need);

		if (!p)
			return SQLITE_NOMEM;
		b->paths = p;
		b->size = need;
	}
	for (long i = from; i < to; i++) {
		const struct pfinding *p = &r->f[order[i]];
		long n = 0;

		if (p->nnotes &&
		    (n = mmdb_path_write(b->paths + used, p->notes, p->nnotes, b->texts, &rc)) < 0)
			return rc != SQLITE_OK ? rc : SQLITE_ERROR;
		path[i - from] = p->nnotes ? b->paths + used : NULL;
		len[i - from] = (int)n;
		used += n;
	}
	return SQLITE_OK;
}

/* The findings ORDER[FROM..TO), their notes with them. */
static int insert_some(struct batch *b, struct prun *r, const long *order, long from, long to)
{
	const char *path[BATCH];
	int len[BATCH];
	sqlite3_stmt *st;
	int rc = make_paths(b, r, order, from, to, path, len);

	if (rc != SQLITE_OK)
		return rc;
	if (!(st = batch_stmt(b, (int)(to - from))))
		return sqlite3_errcode(b->db->h) ? sqlite3_errcode(b->db->h) : SQLITE_NOMEM;
	for (long i = from; i < to; i++)
		bind_finding(st, 1 + (int)(i - from) * FINDING_COLS, &r->f[order[i]], path[i - from],
			     len[i - from]);
	return batch_step(st, (int)(to - from));
}

static int insert_findings(struct mmdb *db, struct prun *r)
{
	struct batch b = { .db = db, .run = r->id, .texts = mmdb_texts_new(db) };
	char *index = NULL;
	int rc = mmdb_run_order(r) || !b.texts ? SQLITE_NOMEM : index_later(db, r->norder, &index);

	mmdb_strtab_forget_dbids(r->strs);	/* of an earlier try, rolled back */
	for (long i = 0; rc == SQLITE_OK && i < r->norder; i += BATCH)
		rc = insert_some(&b, r, r->order, i, i + BATCH < r->norder ? i + BATCH : r->norder);
	sqlite3_finalize(b.full);
	mmdb_texts_free(b.texts);
	free(b.paths);
	if (rc == SQLITE_OK && index)
		rc = sqlite3_exec(db->h, index, NULL, NULL, NULL);
	free(index);
	return rc;
}

static int end_fn(struct mmdb *db, void *arg)
{
	struct end *e = arg;
	sqlite3_stmt *st;
	char *engines;
	int rc, writers, done;

	rc = sqlite3_prepare_v2(db->h, "SELECT engines, writers, writers_done FROM runs WHERE id = ?1",
				-1, &st, NULL);
	if (rc != SQLITE_OK)
		return rc;
	sqlite3_bind_int64(st, 1, e->r->id);
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (rc == SQLITE_DONE) {
			mmdb_seterr(db, "%s: run %lld has gone", db->path, (long long)e->r->id);
			return SQLITE_ERROR;
		}
		return rc;
	}
	engines = merge_engines((const char *)sqlite3_column_text(st, 0), e->r->engines);
	writers = sqlite3_column_int(st, 1);
	done = sqlite3_column_int(st, 2);
	sqlite3_finalize(st);
	rc = insert_findings(db, e->r);
	/* the last writer: the run's counts, from the queue if it was the only one */
	if (rc == SQLITE_OK && done + 1 >= writers)
		rc = mmdb_counts_write(db, e->r->id, writers == 1 ? e->r : NULL);
	if (rc == SQLITE_OK)
		rc = mmdb_execv(db, "UPDATE runs SET writers_done = writers_done + 1,"
				" finished = " NOW ", engines = ?3, ordered = (writers = 1), status = CASE"
				" WHEN ?2 = 0 OR status = 'interrupted' THEN 'interrupted'"
				" WHEN writers_done + 1 >= writers THEN 'complete'"
				" ELSE 'incomplete' END WHERE id = ?1", "lis",
				e->r->id, e->complete, engines);
	free(engines);
	return rc;
}

int mmdb_run_end(struct mmdb *db, int64_t run, int complete)
{
	struct end e = { the_run(db, run), complete };
	char pragma[96];
	int rc;

	if (!e.r)
		return -1;
	/* no foreign-key look-up per row: end_fn checks the run is there (a
	 * pragma outside the transaction); a page cache the size of what is
	 * written (about 300 bytes a finding, up to 1 GB), so that no page is
	 * written out to the log before the commit and then again */
	if (mmdb_run_order(e.r))
		return mmdb_seterr(db, "%s: out of memory", db->path);
	snprintf(pragma, sizeof(pragma), "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-%ld",
		 e.r->norder < (1L << 21) ? 65536 + e.r->norder / 2 : 65536 + (1L << 20));
	sqlite3_exec(db->h, pragma, NULL, NULL, NULL);
	rc = mmdb_write_txn(db, end_fn, &e);
	sqlite3_exec(db->h, "PRAGMA foreign_keys=ON; PRAGMA cache_size=-" MMDB_CACHE_KIB, NULL, NULL,
		     NULL);
	if (rc)
		return -1;
	mmdb_run_free(e.r);
	db->run = NULL;
	return 0;
}

static int abort_fn(struct mmdb *db, void *arg)
{
	int64_t id = *(int64_t *)arg;
	int rc = mmdb_execv(db, "DELETE FROM runs WHERE id = ?1 AND writers <= 1", "l", id);

	if (rc == SQLITE_OK && !sqlite3_changes(db->h))
		rc = mmdb_execv(db, "UPDATE runs SET writers = writers - 1, status = CASE"
				" WHEN status = 'interrupted' THEN status"
				" WHEN writers_done >= writers - 1 THEN 'complete'"
				" ELSE 'incomplete' END WHERE id = ?1", "l", id);
	return rc;
}

int mmdb_run_abort(struct mmdb *db, int64_t run)
{
	struct prun *r = the_run(db, run);
	int rc;

	if (!r)
		return -1;
	rc = mmdb_write_txn(db, abort_fn, &run);
	mmdb_run_free(r);
	db->run = NULL;
	return rc;
}
