# mmlock db triage: marks by fingerprint, kept across runs.
db=$T/triage.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
"$M" db --db "$db" import --root "$DATA/tree2" "$DATA/demo2.log" > /dev/null
collapse=7b298651e90fcc09 move=fade7ad8ab40a684

out=$("$M" db --db "$db" triage $collapse confirmed --note "real: pte used after unlock")
expect_rc triage_set 0 $? "$collapse: confirmed" "$out"
expect triage_across_runs "1 2" "$("$M" db --db "$db" list --status confirmed --format tsv | tail -n +2 | cut -f1 | xargs)"
expect triage_untriaged 8 "$("$M" db --db "$db" list --status untriaged --format tsv | tail -n +2 | wc -l)"
out=$("$M" db --db "$db" triage ${collapse:0:6} wont-fix)
expect_rc triage_prefix 0 $? "$collapse: wont-fix" "$out"
expect triage_note_kept "wont-fix|real: pte used after unlock" \
	"$(q "$db" 'SELECT status, note FROM triage WHERE fingerprint = ?1' $collapse | tr '\t' '|')"
"$M" db --db "$db" triage $move false-positive --note "the pte is private here" > /dev/null
out=$("$M" db --db "$db" diff 1 2)
expect_rc triage_diff_exit 0 $? "+ mm/demo.c:38:2: warning: set_pte_at() changes a pte entry without holding its pte lock [mmlock:pte-lock]" \
	"$(echo "$out" | head -1)"
"$M" db --db "$db" triage $move clear > /dev/null
"$M" db --db "$db" diff 1 2 > /dev/null
expect_rc triage_clear 1 $? "0" "$(q "$db" 'SELECT count(*) FROM triage WHERE fingerprint = ?1' $move)"
expect triage_log "confirmed wont-fix false-positive cleared" \
	"$(q "$db" 'SELECT status FROM triage_log ORDER BY id' | xargs)"
out=$("$M" db --db "$db" triage 0123456789abcdef confirmed 2>&1)
expect_rc triage_unknown 2 $? "mmlock: $db: no finding has fingerprint '0123456789abcdef' (--force marks it anyway)" "$out"
out=$("$M" db --db "$db" triage 0123456789abcdef confirmed --force)
expect_rc triage_force 0 $? "0123456789abcdef: confirmed" "$out"
out=$("$M" db --db "$db" triage $move maybe 2>&1)
expect_rc triage_bad_status 2 $? 1 "$(echo "$out" | grep -c "bad triage status 'maybe'")"
out=$("$M" db --db "$db" triage "x' OR 1" confirmed 2>&1)
expect_rc triage_bad_fingerprint 2 $? 1 "$(echo "$out" | grep -c "bad fingerprint")"
