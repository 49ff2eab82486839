/*
 * The db library's writer API as another component uses it:
 *   api DB ROOT     one run of three findings (one a repeat), error cases,
 *                   and a run shared by two handles through a key.
 * Prints "ok" or what went wrong; tests/db/t_api.sh checks the database.
 */
#include <stdio.h>
#include <string.h>
#include "../../db/mmdb.h"

#define CHECK(cond, what) do { \
	if (!(cond)) { \
		printf("FAIL %s (line %d): %s\n", what, __LINE__, db ? mmdb_errmsg(db) : ""); \
		return 1; \
	} \
} while (0)

int main(int argc, char **argv)
{
	struct mmdb_note notes[] = { { "mm/demo.c", 7, 15, "the table was mapped here" } };
	struct mmdb_finding f = {
		.rule = "pte-lock", .file = "mm/demo.c", .line = 9, .col = 2,
		.message = "pte_clear() changes a pte entry without holding its pte lock",
		.notes = notes, .nnotes = 1,
	};
	struct mmdb_finding g = {
		.rule = "lock-balance", .file = "mm/demo.c", .line = 35, .col = 2,
		.message = "mmap_lock taken here is still held at the return on line 36",
		.engine = "cocci", .severity = "error",
	};
	struct mmdb_run_meta meta = { .engines = "gcc-plugin", .root = argv[2],
				      .kernel_version = "6.1.192", .git_rev = "abc123" };
	struct mmdb *db = NULL, *db2;
	char *err = NULL;
	int64_t run, r1, r2;

	CHECK(argc == 3, "usage: api DB ROOT");
	db = mmdb_open(argv[1], MMDB_CREATE, &err);
	if (!db) {
		printf("FAIL open: %s\n", err);
		return 1;
	}
	run = mmdb_run_begin(db, &meta);
	CHECK(run > 0, "run_begin");
	CHECK(mmdb_run_begin(db, &meta) < 0 && strstr(mmdb_errmsg(db), "still open"),
	      "a second run on one handle is refused");
	CHECK(!mmdb_add(db, run, &f), "add");
	CHECK(!mmdb_add(db, run, &f), "add the same again");
	CHECK(mmdb_pending(db, run) == 1, "an exact repeat is dropped");
	CHECK(!mmdb_add(db, run, &g), "add another");
	CHECK(mmdb_add(db, run + 1, &f) < 0, "add to a run not open here");
	g.severity = "fatal";
	CHECK(mmdb_add(db, run, &g) < 0 && strstr(mmdb_errmsg(db), "severity"),
	      "an unknown severity is refused");
	g.severity = "info";
	g.fingerprint = "00000000deadbeef";
	g.line = 36;
	CHECK(!mmdb_add(db, run, &g), "add with a fingerprint of its own");
	CHECK(mmdb_pending(db, run) == 3, "three queued");
	CHECK(!mmdb_run_end(db, run, 1), "run_end");
	CHECK(mmdb_run_end(db, run, 1) < 0, "ending twice is refused");

	/* two writers, one key: one run, complete when both have ended */
	meta.key = "build-42";
	db2 = mmdb_open(argv[1], 0, &err);
	CHECK(db2, "open a second handle");
	r1 = mmdb_run_begin(db, &meta);
	meta.engines = "sparse";
	r2 = mmdb_run_begin(db2, &meta);
	CHECK(r1 > 0 && r1 == r2, "writers with one key share the run");
	f.file = "mm/other.c";
	CHECK(!mmdb_add(db, r1, &f) && !mmdb_add(db2, r2, &g), "add to the shared run");
	CHECK(!mmdb_run_end(db, r1, 1), "first writer ends");
	CHECK(!mmdb_run_end(db2, r2, 1), "second writer ends");
	mmdb_close(db2);
	mmdb_close(db);
	printf("ok %lld %lld\n", (long long)run, (long long)r1);
	return 0;
}
