#!/bin/bash
# make bench-db: insert throughput of the findings database, through the
# writer API (build/mmdb-bench) and through `mmlock db import`, then the
# time of list, stats and diff on a database of one million findings.
# BENCH_FINDINGS=N changes the size.  Needs build/mmlock, build/mmdb-bench.
cd "$(dirname "$0")/.." || exit 2
N=${BENCH_FINDINGS:-1000000}
RUNS=10
B=build/bench
DB=$B/findings.db
mkdir -p "$B"
rm -f "$DB" "$DB"-wal "$DB"-shm "$B"/import.db*

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

echo "mmlock db bench: $N findings in $RUNS runs (90% carried over run to run)"
build/mmdb-bench "$DB" "$N" "$RUNS" || exit 1

# import: the text parser, the source lookup and the same transaction path
n=$((N / 10))
awk -v n=$n 'BEGIN { for (i = 1; i <= n; i++) {
	printf "mm/file%04d.c:%d:2: warning: set_pte_at() changes a pte entry without its lock, case %d [mmlock:pte-lock]\n", i % 2000, 20 + i % 3000, i
	printf "mm/file%04d.c:%d:5: note: the lock was taken here\n", i % 2000, 10 + i % 500
} }' > "$B/import.log"
t=$(date +%s%N)
build/mmlock db --db "$B/import.db" import --root /nonexistent "$B/import.log" > /dev/null || exit 1
e=$(ms $t)
echo "import: $n findings (1 note each) from text in $e ms: $((n * 1000 / (e ? e : 1))) findings/s"

# sixteen writers at once, as under make -j16, each its own run
for w in $(seq 16); do
	awk -v n=$((n / 16)) -v w=$w 'BEGIN { for (i = 1; i <= n; i++)
		printf "mm/w%02d/f%03d.c:%d:2: warning: writer %d, case %d [mmlock:pte-lock]\n", w, i % 100, i, w, i }' > "$B/w$w.log"
done
rm -f "$B"/parallel.db*
t=$(date +%s%N)
for w in $(seq 16); do
	build/mmlock db --db "$B/parallel.db" import --root /nonexistent "$B/w$w.log" > /dev/null &
done
wait
e=$(ms $t)
got=$(build/mmlock db --db "$B/parallel.db" sql 'SELECT count(*) FROM findings' | tail -1)
echo "import, 16 writers at once: $got of $((n / 16 * 16)) findings stored in $e ms: $((got * 1000 / (e ? e : 1))) findings/s"
rm -f "$B"/w*.log "$B"/parallel.db* "$B"/import.db* "$B/import.log"

echo "queries on $N findings ($(du -m "$DB" | cut -f1) MB):"
query() {
	local t
	t=$(date +%s%N)
	build/mmlock db --db "$DB" "$@" > "$B/out" 2>&1
	local rc=$? e
	e=$(ms $t)
	printf '  %-42s %6d ms  %8d lines  (exit %d)\n' "$*" "$e" "$(wc -l < "$B/out")" $rc
}
query list
query list --latest
query list --latest --format json
query list --rule pte-lock --file mm/file0000.c
query stats
query stats --latest
query diff latest~1 latest
query diff 1 latest
query export --latest --format sarif
