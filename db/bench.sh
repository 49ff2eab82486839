#!/bin/bash
# make bench-db: insert throughput of the findings database, through the
# writer API (build/mmdb-bench) and through `mmlock db import`, then the
# time of list, stats and diff on a database of one million findings.
# BENCH_FINDINGS=N changes the size.  Needs build/mmlock, build/mmdb-bench.
# Then the goals (below); `db/bench.sh --goals` (make bench-db-goals) runs
# only those.
cd "$(dirname "$0")/.." || exit 2
N=${BENCH_FINDINGS:-1000000}
RUNS=10
B=build/bench
DB=$B/findings.db
mkdir -p "$B"
rm -f "$DB" "$DB"-wal "$DB"-shm "$B"/import.db*

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }

if [ "${1:-}" != --goals ]; then
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
fi

# The goals of the reports and queries at scale, measured here in one run:
# a run of GOAL_N (1,000,000) findings imported from text (2 notes each,
# the source of 500 files read for fingerprints), listed whole and
# counted by rule and file (its stored counts; and, for comparison, its
# findings counted); and the HTML report of a run of GOAL_HTML (100,000)
# findings, with each finding's page and its function's source.  Each
# figure beside its goal, met or missed (on the wall time).
GN=${BENCH_GOAL_FINDINGS:-1000000}
GH=${BENCH_GOAL_HTML:-100000}
G=$B/goal
rm -rf "$G" && mkdir -p "$G/tree/mm"
# 500 files of 62 functions of 50 lines each
awk -v dir="$G/tree/mm" 'BEGIN { for (f = 0; f < 500; f++) {
	out = sprintf("%s/file%04d.c", dir, f)
	for (k = 0; k < 62; k++) {
		printf "static int fn%d_%d(struct mm_struct *mm, pte_t *pte, unsigned long addr)\n{\n", f, k > out
		for (l = 3; l < 50; l++)
			printf "\tset_pte_at(mm, addr + %d, pte, pte_mkold(*pte));\n", l > out
		printf "}\n" > out
	}
	close(out)
} }'
findings() {	# findings N: N findings, 2 notes each, as diagnostic text
	awk -v n="$1" 'BEGIN { for (i = 1; i <= n; i++) {
		f = i % 500; l = 60 + (i * 7) % 3000; if (l % 50 < 8) l += 8
		w = sprintf("%c%c%c%c", 97 + i % 26, 97 + int(i / 26) % 26, 97 + int(i / 676) % 26, 97 + int(i / 17576) % 26)
		printf "mm/file%04d.c:%d:2: warning: set_pte_at() changes pte %s without its pte lock [mmlock:pte-lock]\n", f, l, w
		printf "mm/file%04d.c:%d:5: note: the lock was taken here\n", f, l - 4
		printf "mm/file%04d.c:%d:5: note: and released here\n", f, l - 2
	} }'
}
findings "$GN" > "$G/big.log"
findings "$GH" > "$G/html.log"
# timed NAME CMD...: wall and CPU seconds of CMD into $NAME_wall, $NAME_cpu
timed() {
	local name=$1
	shift
	/usr/bin/time -f "%e %U %S" -o "$G/time" "$@" > "$G/$name.out" || exit 1
	read -r w u s < "$G/time"
	eval "${name}_wall=$w ${name}_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN { printf "%.2f", u + s }')"
}
timed import build/mmlock db --db "$G/goal.db" import --root "$G/tree" "$G/big.log"
timed list sh -c "build/mmlock db --db '$G/goal.db' list --latest > /dev/null"
timed listpipe sh -c "build/mmlock db --db '$G/goal.db' list --latest | wc -c"
list_mb=$(( $(cat "$G/listpipe.out") / 1000000 ))
timed stats build/mmlock db --db "$G/goal.db" stats --by rule,file --latest
timed statsscan build/mmlock db --db "$G/goal.db" stats --by rule,file --latest --file '*'
build/mmlock db --db "$G/goal.db" import --root "$G/tree" "$G/html.log" > /dev/null || exit 1
timed html build/mmlock db --db "$G/goal.db" html --latest --root "$G/tree" "$G/html"
html_mb=$(du -sm "$G/html" | cut -f1)
index_kb=$(( ($(stat -c %s "$G/html/index.html") + $(stat -c %s "$G/html/findings.js")) / 1000 ))
rate() { awk -v n="$GN" -v s="$1" 'BEGIN { printf "%d", (s > 0 ? n / s : 0) }'; }
# verdict VALUE OP LIMIT: "met" or "missed", on the wall figure
verdict() { awk -v v="$1" -v op="$2" -v l="$3" 'BEGIN {
	ok = op == ">=" ? v >= l : op == "<=" ? v <= l : v < l
	print ok ? "met" : "missed" }'; }
echo "goals ($(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)); wall seconds, and CPU (user + sys):"
printf '  %-58s %14s %16s   goal %s\n' \
	"import, $GN findings (2 notes each, sources read)" "$(rate "$import_wall")/s" \
	"CPU $(rate "$import_cpu")/s" ">= 100000 findings/s: $(verdict "$(rate "$import_wall")" ">=" 100000)" \
	"list of that run, text ($list_mb MB, to /dev/null)" "$list_wall s" "CPU $list_cpu s" \
	"<= 1 s: $(verdict "$list_wall" "<=" 1)" \
	"  the same into a pipe (| wc -c, its CPU counted)" "$listpipe_wall s" "CPU $listpipe_cpu s" "-" \
	"stats --by rule,file of that run" "$stats_wall s" "CPU $stats_cpu s" \
	"<= 0.5 s: $(verdict "$stats_wall" "<=" 0.5)" \
	"  the same counted from its findings (--file '*')" "$statsscan_wall s" "CPU $statsscan_cpu s" "-" \
	"html of a $GH-finding run ($html_mb MB; index and data $index_kb kB)" "$html_wall s" \
	"CPU $html_cpu s" "< 30 s: $(verdict "$html_wall" "<" 30)"
rm -rf "$G"
