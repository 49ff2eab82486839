# Schema version 1 (tests/db/schema-v1.sql) is migrated to 2: notes out of
# the findings' text column, triage history, shared-run columns.  Baselines
# and triage marks stay valid.
mkv1() {
	sqlite3 "$1" < tests/db/schema-v1.sql
	sqlite3 "$1" "
INSERT INTO runs VALUES (1, '2024-05-01T10:00:00Z', '2024-05-01T10:02:00Z', 'complete',
	'0.0.9', '6.1.90', NULL, 'gcc-plugin', '', 'build.log');
INSERT INTO runs VALUES (2, '2024-05-02T10:00:00Z', NULL, 'incomplete', '0.0.9', NULL, NULL, 'cocci', '', NULL);
INSERT INTO findings VALUES (1, 1, 'pte-lock', 'mm/demo.c', 23, 2, 'collapse_one',
	'set_pte_at() changes a pte entry without holding its pte lock',
	'mm/demo.c:18:15: note: the lock was taken here' || char(10) || 'mm/demo.c:22:2: note: and released here',
	'gcc-plugin', 'warning', '7b298651e90fcc09');
INSERT INTO findings VALUES (2, 1, 'pte-lock', 'mm/demo.c', 9, 2, 'zap_one',
	'pte_clear() changes a pte entry without holding its pte lock', 'a note line v1 wrote badly',
	'gcc-plugin', 'warning', '1d0d4195477f55c4');
INSERT INTO findings VALUES (3, 2, 'pmd-lock', 'mm/gone.c', 120, 3, NULL,
	'pmd_clear() changes a pmd entry without holding its pmd lock', NULL, 'cocci', 'error', 'a64b42efc770a331');
INSERT INTO triage VALUES ('7b298651e90fcc09', 'confirmed', 'seen in 6.1.90', '2024-05-03T09:00:00Z');"
}

if command -v sqlite3 > /dev/null; then
	db=$T/v1.db
	mkv1 "$db"
	out=$("$M" db --db "$db" init)
	expect_rc migrate_init 0 $? "$db: migrated from schema version 1 to 3" "$out"
	expect migrate_version 3 "$(q "$db" 'PRAGMA user_version')"
	expect migrate_notes "1|0|mm/demo.c|18|15|the lock was taken here
1|1|mm/demo.c|22|2|and released here
2|0|mm/demo.c|9|0|a note line v1 wrote badly" "$(q "$db" 'SELECT * FROM notes ORDER BY finding, seq' | tr '\t' '|')"
	expect migrate_columns "id run rule file line col function message engine severity fingerprint" \
		"$(q "$db" 'SELECT name FROM pragma_table_info(?1)' findings | xargs)"
	expect migrate_runs "1|complete|1|1|
2|incomplete|1|0|" "$(q "$db" 'SELECT id, status, writers, writers_done, key FROM runs' | tr '\t' '|')"
	expect migrate_triage "7b298651e90fcc09|confirmed|seen in 6.1.90" \
		"$(q "$db" 'SELECT fingerprint, status, note FROM triage_log' | tr '\t' '|')"
	expect migrate_list "mm/demo.c:9:2: warning: pte_clear() changes a pte entry without holding its pte lock [mmlock:pte-lock]
mm/demo.c:9: note: a note line v1 wrote badly
mm/demo.c:23:2: warning: set_pte_at() changes a pte entry without holding its pte lock [mmlock:pte-lock]
mm/demo.c:18:15: note: the lock was taken here
mm/demo.c:22:2: note: and released here" "$("$M" db --db "$db" list --run 1)"
	# a baseline from version 1 still diffs against a new run
	"$M" db --db "$db" import --root "$DATA/tree2" "$DATA/demo2.log" > /dev/null
	expect migrate_baseline "run 1 -> run 3: 4 new, 1 fixed, 1 unchanged|2" \
		"$("$M" db --db "$db" diff 1 3 | tail -1)|$("$M" db --db "$db" list --status confirmed --format tsv | tail -n +2 | wc -l)"

	# any command migrates; a failing migration changes nothing
	mkv1 "$T/v1b.db"
	expect migrate_on_list 3 "$("$M" db --db "$T/v1b.db" list --format tsv | tail -n +2 | wc -l)"
	mkv1 "$T/v1c.db"
	sqlite3 "$T/v1c.db" 'CREATE TABLE notes (x)'
	before=$(dbsum "$T/v1c.db")
	out=$("$M" db --db "$T/v1c.db" list 2>&1)
	expect_rc migrate_failure 2 $? "1|$before" \
		"$(echo "$out" | grep -c "$T/v1c.db: migration from schema version 1 failed")|$(dbsum "$T/v1c.db")"
	mkv1 "$T/v1d.db"
	out=$("$M" db --db "$T/v1d.db" sql 'SELECT 1' 2>&1)
	expect_rc migrate_not_readonly 2 $? 1 "$(echo "$out" | grep -c 'schema version 1 (mmlock db init migrates it')"
else
	pass "migrate (skipped: no sqlite3 shell to build a version 1 database)"
fi
