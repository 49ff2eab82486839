/*
 * mmdb-bench DB TOTAL RUNS: fill a new database with TOTAL findings in
 * RUNS runs through the writer API (db/mmdb.h), and report the insert
 * throughput.  Each run keeps 90% of the previous run's findings and has
 * 10% new ones, over 2,000 files and 5 rules, each finding with two
 * notes, so that diff, list and stats have realistic work.  db/bench.sh
 * times the queries on the result.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>
#include "mmdb.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A word from a number: fingerprints ignore digits in messages. */
static void word(long n, char *out)
{
	do {
		*out++ = 'a' + n % 26;
		n /= 26;
	} while (n);
	*out = 0;
}

int main(int argc, char **argv)
{
	static const char *const rules[] = {
		"pte-lock", "pmd-lock", "lock-order", "lock-balance", "stale-vma",
	};
	long total, runs, per_run, added = 0;
	double t0, spent = 0;
	struct mmdb *db;
	char *err;

	if (argc != 4 || (total = atol(argv[2])) <= 0 || (runs = atol(argv[3])) <= 0) {
		fprintf(stderr, "usage: mmdb-bench DB TOTAL RUNS\n");
		return 2;
	}
	unlink(argv[1]);
	db = mmdb_open(argv[1], MMDB_CREATE, &err);
	if (!db) {
		fprintf(stderr, "mmdb-bench: %s\n", err);
		return 2;
	}
	per_run = total / runs;
	for (long r = 0; r < runs; r++) {
		struct mmdb_run_meta meta = { .engines = "gcc-plugin", .source = "bench",
					      .root = "/nonexistent" };
		int64_t run;

		t0 = now();
		run = mmdb_run_begin(db, &meta);
		for (long i = 0; run > 0 && i < per_run; i++) {
			/* 90% of ids carry over from the previous run */
			long id = i < per_run * 9 / 10 ? i + r * per_run / 10 : i + (r + 10) * per_run;
			char file[32], msg[160], w[16], nf[32];
			struct mmdb_note notes[2] = {
				{ nf, 10 + (int)(id % 500), 5, "the lock was taken here" },
				{ nf, 12 + (int)(id % 500), 5, "and released here" },
			};
			struct mmdb_finding f = {
				.rule = rules[id % 5], .file = file, .line = 20 + (int)(id % 3000),
				.col = 2, .message = msg, .notes = notes, .nnotes = 2,
			};

			word(id, w);
			snprintf(file, sizeof(file), "mm/file%04ld.c", id % 2000);
			snprintf(nf, sizeof(nf), "%s", file);
			snprintf(msg, sizeof(msg), "set_pte_at() changes a pte entry %s without"
				 " holding its pte lock", w);
			if (mmdb_add(db, run, &f))
				break;
		}
		if (run < 0 || mmdb_run_end(db, run, 1)) {
			fprintf(stderr, "mmdb-bench: %s\n", mmdb_errmsg(db));
			return 2;
		}
		spent += now() - t0;
		added += per_run;
	}
	mmdb_close(db);
	printf("insert: %ld findings (2 notes each) in %ld runs: %.1f s, %.0f findings/s\n",
	       added, runs, spent, added / spent);
	return 0;
}
