# The ways list and stats stay fast: findings written in place order, the
# notes read by a cursor beside them (tests that each finding still gets
# its own notes when three writers of one run interleave their files and
# a filter skips findings), stats' sorted distinct counts.
db=$T/scale.db
for w in 1 2 3; do
	awk -v w=$w 'BEGIN { for (i = 1; i <= 200; i++) {
		printf "mm/f%02d.c:%d:2: warning: writer %d finding %d [mmlock:%s]\n", (i * 7 + w) % 13, i, w, i, i % 4 ? "pte-lock" : "pmd-lock"
		for (k = 0; k < i % 3; k++)
			printf "mm/g%d.c:%d:5: note: of writer %d finding %d\n", (i + w) % 5, i + k, w, i
	} }' > "$T/w$w.log"
	"$M" db --db "$db" import --run-key scale --root /nonexistent "$T/w$w.log" > /dev/null
done
# every note names the finding above it; findings in file, line order
check_notes() {
	awk '/ warning: / { split($0, a, "writer "); cur = a[2]; sub(/ \[mmlock.*/, "", cur); n++
			split($1, p, ":"); key = sprintf("%s %08d", p[1], p[2])
			if (key < last) bad = bad " order@" NR; last = key; next }
	     / note: / { split($0, a, "of writer "); if (a[2] != cur) bad = bad " note@" NR; notes++ }
	     END { print n, notes, bad ? bad : "ok" }'
}
notes=$(q "$db" "SELECT count(*) FROM notes")
expect list_notes_interleaved "600 $notes ok" "$("$M" db --db "$db" list --latest | check_notes)"
notes=$(q "$db" "SELECT count(*) FROM notes JOIN findings f ON f.id = finding WHERE rule = 'pmd-lock'")
expect list_notes_filtered "150 $notes ok" "$("$M" db --db "$db" list --rule pmd-lock | check_notes)"
notes=$(q "$db" "SELECT count(*), (SELECT count(*) FROM notes JOIN findings g ON g.id = finding
	WHERE g.file GLOB 'mm/f0*') FROM findings WHERE file GLOB 'mm/f0*'" | tr '\t' ' ')
expect list_notes_glob "$notes ok" "$("$M" db --db "$db" list --file 'mm/f0*' | check_notes)"
# stats: distinct counts against SQL's own
want=$(q "$db" "SELECT count(*), count(DISTINCT fingerprint), count(DISTINCT file), rule FROM findings GROUP BY rule ORDER BY count(*) DESC" | tr '\t' ' ')
got=$("$M" db --db "$db" stats --by rule | tail -n +2 | awk '{ print $1, $2, $3, $5 }')
expect stats_distinct_by_rule "$want" "$got"
