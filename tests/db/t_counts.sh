# A run's stored counts (run_counts, what `stats` reads when only the run
# is selected) say what counting its findings says: the same output as
# with --file '*' (which selects every finding and makes stats count
# them), after an import, triage marks, a writer joining the run and a
# writer that joins and fails.
db=$T/counts.db
# findings LO HI SEED: rules r0..r2 over files f0..f4; a message's digits
# do not count (no source under --root), so fingerprints repeat in a run
findings() {
	awk -v lo="$1" -v hi="$2" -v s="$3" 'BEGIN { for (i = lo; i <= hi; i++) {
		printf "mm/f%d.c:%d:2: warning: case %d of kind %c [mmlock:r%d]\n", (i * s) % 5, i, i, 97 + i % 4, (i * 7) % 3
		if (i % 2) printf "mm/f%d.c:%d:3: note: the lock was taken here\n", (i * s) % 5, i + 1
	} }'
}
# same_stats NAME RUN: the stored counts against the counted findings
same_stats() {
	local a b j k
	a=$("$M" db --db "$db" stats --by rule,file --run "$2" 2>&1)
	b=$("$M" db --db "$db" stats --by rule,file --run "$2" --file '*' 2>&1)
	j=$("$M" db --db "$db" stats --run "$2" --format json 2>&1)
	k=$("$M" db --db "$db" stats --run "$2" --format json --file '*' 2>&1)
	if [ "$a" == "$b" ] && [ "$j" == "$k" ] && [ -n "$a" ]; then
		pass "$1"
	else
		fail "$1" "stored [$(oneline "$a") $(oneline "$j")] counted [$(oneline "$b") $(oneline "$k")]"
	fi
}
findings 1 300 3 > "$T/c1.log"
"$M" db --db "$db" import --root /nonexistent "$T/c1.log" > /dev/null
expect counts_stored "1|1|3|5" \
	"$(q "$db" "SELECT r.counted, r.ordered, (SELECT count(*) FROM run_counts WHERE run = 1 AND kind = 1),
		(SELECT count(*) FROM run_counts WHERE run = 1 AND kind = 2) FROM runs r WHERE id = 1" | tr '\t' '|')"
expect counts_repeats "300 < 300" "$(q "$db" "SELECT findings, iif(fingerprints < findings, '<', '>='),
	(SELECT count(*) FROM findings WHERE run = 1) FROM run_counts WHERE run = 1 AND kind = 0" | xargs)"
same_stats counts_import 1

fps=$(q "$db" "SELECT DISTINCT fingerprint FROM findings WHERE rule = 'r1' ORDER BY fingerprint LIMIT 2" | xargs)
for fp in $fps; do
	"$M" db --db "$db" triage "$fp" confirmed > /dev/null
done
expect counts_triaged 2 "$("$M" db --db "$db" stats --by rule --run 1 --format tsv | awk -F'\t' '$5 == "r1" { print $4 }')"
same_stats counts_triage 1
"$M" db --db "$db" triage "${fps%% *}" clear > /dev/null
same_stats counts_triage_cleared 1

# a shared run: the first writer's counts, dropped when the second joins,
# counted from the stored findings when it ends
findings 1 200 3 > "$T/k1.log"
findings 150 400 2 > "$T/k2.log"
"$M" db --db "$db" import --run-key k --root /nonexistent "$T/k1.log" > /dev/null
same_stats counts_shared_first 2
"$M" db --db "$db" import --run-key k --root /nonexistent "$T/k2.log" > /dev/null
expect counts_shared "1|0|2|2" "$(q "$db" 'SELECT counted, ordered, writers, writers_done FROM runs WHERE id = 2' | tr '\t' '|')"
same_stats counts_shared_last 2
"$M" db --db "$db" import --run-key k --root "$DATA/tree1" "$DATA/bad.log" > /dev/null 2>&1
expect counts_shared_failed "0|complete|2" "$(q "$db" 'SELECT counted, status, writers FROM runs WHERE id = 2' | tr '\t' '|')"
same_stats counts_shared_failed_stats 2
# a run one writer wrote is listed by id, in the order every run is
# listed in (through the place index)
"$M" db --db "$db" import --root /nonexistent "$T/k2.log" > /dev/null
expect counts_list_by_id "1 251" "$(q "$db" 'SELECT ordered, count(*) FROM findings f JOIN runs r ON r.id = f.run WHERE run = 3' | xargs)"
expect counts_list_order "$("$M" db --db "$db" list --format tsv | awk -F'\t' '$1 == 3' | md5sum)" \
	"$("$M" db --db "$db" list --run 3 --format tsv | tail -n +2 | md5sum)"
