/*
 * fuzz_dbimport: `mmlock db import` (db/import.c, db/parse.c, the
 * fingerprint's source reading in db/source.c, db/tree.c) on arbitrary
 * input, into a fresh database in a temporary directory, then every
 * export of what was stored (list in each format, SARIF, stats).
 *
 * An input is up to four parts separated by NUL bytes:
 *	diagnostic text \0 a.c \0 Makefile \0 .git/HEAD
 * written as the files of the import's --root (the text's findings name
 * a.c, a.h or mm/a.c; a.h and mm/a.c are copies of a.c).  The text may
 * start with "@engine=NAME\n" (gcc-plugin, cocci, sparse, smatch, gcc).
 * An import may fail (an unreadable line: exit 2 in mmlock db import);
 * then nothing may be stored.
 *
 * libFuzzer: make fuzz; regression: tests/fuzz/run.sh.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../db/mmdb.h"
#include "../db/query.h"

static char root[64], dbpath[96];
static FILE *devnull;
static char *tpl;		/* a new database's bytes: copied, not created, per input */
static long tpl_size;

static void put(const char *name, const uint8_t *p, size_t n)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, name);
	f = fopen(path, "wb");
	if (!f || (n && fwrite(p, 1, n, f) != n) || fclose(f))
		abort();
}

static void clean(void)
{
	static const char *const files[] = {
		"a.c", "a.h", "mm/a.c", "Makefile", ".git/HEAD", "db", "db-wal", "db-shm",
	};
	char path[160];

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", root, files[i]);
		unlink(path);
	}
}

/* Create a database once (schema, WAL) and keep its file's bytes. */
static void read_template(void)
{
	struct mmdb *db;
	char *err;
	FILE *f;

	db = mmdb_open(dbpath, MMDB_CREATE, &err);
	if (!db)
		abort();
	mmdb_close(db);		/* the last connection: WAL checkpointed, -wal removed */
	f = fopen(dbpath, "rb");
	if (!f || fseek(f, 0, SEEK_END) || (tpl_size = ftell(f)) <= 0 || fseek(f, 0, SEEK_SET))
		abort();
	tpl = malloc(tpl_size);
	if (!tpl || fread(tpl, 1, tpl_size, f) != (size_t)tpl_size)
		abort();
	fclose(f);
}

static void setup(void)
{
	char path[160];

	snprintf(root, sizeof(root), "%s/mmlock-fuzz-XXXXXX",
		 access("/dev/shm", W_OK) ? "/tmp" : "/dev/shm");
	if (!mkdtemp(root))
		abort();
	snprintf(path, sizeof(path), "%s/mm", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/.git", root);
	mkdir(path, 0700);
	snprintf(dbpath, sizeof(dbpath), "%s/db", root);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		abort();
	setenv("MMLOCK_DB_TIMEOUT", "5", 1);
	read_template();
}

static void teardown(void)
{
	char path[160];

	clean();
	snprintf(path, sizeof(path), "%s/mm", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.git", root);
	rmdir(path);
	rmdir(root);
	free(tpl);
}

/* Part K (0-based) of DATA, split at NUL bytes. */
static const uint8_t *part(const uint8_t *data, size_t size, int k, size_t *len)
{
	const uint8_t *p = data, *end = data + size, *z;

	for (; k > 0; k--) {
		z = memchr(p, 0, end - p);
		if (!z)
			return NULL;
		p = z + 1;
	}
	z = memchr(p, 0, end - p);
	*len = (z ? z : end) - p;
	return p;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = { NULL, NULL, "Makefile", ".git/HEAD" };
	static const char *const engines[] = { "gcc-plugin", "cocci", "sparse", "smatch", "gcc" };
	struct mmdb_import_opts o = { 0 };
	struct mmdb_import_result res;
	struct mmdb_filter f = { 0 };
	const uint8_t *text, *p;
	size_t tlen, n;
	struct mmdb *db;
	char *err;
	FILE *in;
	int rc;

	if (!root[0]) {
		setup();
		atexit(teardown);
	}
	clean();
	put("db", (const uint8_t *)tpl, tpl_size);
	text = part(data, size, 0, &tlen);
	for (int k = 1; k < 4; k++) {
		if (!(p = part(data, size, k, &n)))
			break;
		if (k == 1) {
			put("a.c", p, n);
			put("a.h", p, n);
			put("mm/a.c", p, n);
		} else {
			put(names[k], p, n);
		}
	}
	if (tlen > 8 && !memcmp(text, "@engine=", 8)) {
		const uint8_t *nl = memchr(text, '\n', tlen);

		for (size_t i = 0; nl && i < sizeof(engines) / sizeof(engines[0]); i++)
			if ((size_t)(nl - text - 8) == strlen(engines[i]) &&
			    !memcmp(text + 8, engines[i], nl - text - 8))
				o.engine = engines[i];
		if (nl) {
			tlen -= nl + 1 - text;
			text = nl + 1;
		}
	}
	o.root = root;
	db = mmdb_open(dbpath, MMDB_CREATE, &err);
	if (!db)
		abort();
	in = tlen ? fmemopen((void *)text, tlen, "r") : fopen("/dev/null", "r");
	if (!in)
		abort();
	rc = mmdb_import(db, in, "fuzz", &o, &res);
	fclose(in);
	if (rc) {
		const char *why = mmdb_errmsg(db);

		if (!why || !*why)
			abort();	/* a failure must say why */
	} else {
		long count = 0;

		f.run = res.run;
		for (int fmt = MMDB_TEXT; fmt <= MMDB_JSON; fmt++)
			if (mmdb_list(db, &f, fmt, devnull, &count))
				abort();
		if (count != res.findings)
			abort();	/* what was stored is what the import counted */
		if (mmdb_sarif(db, &f, NULL, 0, devnull) ||
		    mmdb_stats(db, &f, MMDB_BY_RULE | MMDB_BY_FILE | MMDB_BY_RUN, MMDB_JSON, devnull))
			abort();
	}
	mmdb_close(db);
	return 0;
}
