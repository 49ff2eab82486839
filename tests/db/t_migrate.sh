# Schema version 1 (tests/db/schema-v1.sql) is migrated to 2 (and on to
# 4): notes out of the findings' text column, triage history, shared-run
# columns.  Baselines and triage marks stay valid.  Then versions 2 and 3.

# failing_migration NAME MAKE VERSION SQL: a database MAKE makes, SQL
# breaks so that its migration from VERSION fails: a command names it,
# exits 2 and changes nothing stored
failing_migration() {
	local db=$T/$1.db before out
	"$2" "$db"
	sqlite3 "$db" "$4"
	before=$(dbsum "$db")
	out=$("$M" db --db "$db" list 2>&1)
	expect_rc "$1" 2 $? "1|$before" \
		"$(echo "$out" | grep -c "$db: migration from schema version $3 failed")|$(dbsum "$db")"
}
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
	expect_rc migrate_init 0 $? "$db: migrated from schema version 1 to 4" "$out"
	expect migrate_version 4 "$(q "$db" 'PRAGMA user_version')"
	expect migrate_notes "1|0|mm/demo.c|18|15|the lock was taken here
1|1|mm/demo.c|22|2|and released here
2|0|mm/demo.c|9|0|a note line v1 wrote badly" "$(q "$db" 'SELECT * FROM notes ORDER BY finding, seq' | tr '\t' '|')"
	expect migrate_columns "id run rule file line col function message engine severity fingerprint path" \
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
	failing_migration migrate_failure mkv1 1 'CREATE TABLE notes (x)'
	mkv1 "$T/v1d.db"
	out=$("$M" db --db "$T/v1d.db" sql 'SELECT 1' 2>&1)
	expect_rc migrate_not_readonly 2 $? 1 "$(echo "$out" | grep -c 'schema version 1 (mmlock db init migrates it')"
else
	skip "migrate" "no sqlite3 shell to build a version 1 database"
fi

# Schema version 2 (tests/db/schema-v2.sql) is migrated to 3 (and on to
# 4): notes into texts and note_rows (notes a view), one fingerprint
# index, runs gain counts and an order mark.  Nothing stored changes: the rows read the
# same, and the listing is what version 2's rows say (made here by SQL).
mkv2() {
	sqlite3 "$1" < tests/db/schema-v2.sql
	sqlite3 "$1" "
INSERT INTO runs VALUES (1, '2025-01-01T10:00:00Z', '2025-01-01T10:02:00Z', 'complete',
	'0.1', '6.1.90', 'abc', 'gcc-plugin', '', 'build.log', NULL, 'h', 1, 1);
INSERT INTO runs VALUES (2, '2025-01-02T10:00:00Z', '2025-01-02T10:01:00Z', 'complete',
	'0.1', NULL, NULL, 'gcc-plugin,sparse', '', NULL, 'k', 'h', 2, 2);
INSERT INTO findings VALUES (1, 1, 'pte-lock', 'mm/b.c', 23, 2, 'collapse_one',
	'set_pte_at() changes a pte entry without holding its pte lock', 'gcc-plugin', 'warning', '7b298651e90fcc09');
INSERT INTO findings VALUES (2, 1, 'pte-lock', 'mm/a.c', 9, 0, 'zap_one',
	'pte_clear() changes a pte entry without holding its pte lock', 'gcc-plugin', 'warning', '1d0d4195477f55c4');
INSERT INTO findings VALUES (3, 1, 'pmd-lock', 'mm/a.c', 9, 0, NULL,
	'pmd_clear() changes a pmd entry', 'gcc-plugin', 'error', 'a64b42efc770a331');
INSERT INTO findings VALUES (4, 2, 'pte-lock', 'mm/b.c', 30, 2, 'collapse_one',
	'set_pte_at() changes a pte entry without holding its pte lock', 'gcc-plugin', 'warning', '7b298651e90fcc09');
INSERT INTO notes VALUES (1, 0, 'mm/b.c', 18, 15, 'the lock was taken here');
INSERT INTO notes VALUES (1, 1, 'mm/b.c', 22, 2, 'and released here');
INSERT INTO notes VALUES (3, 0, 'mm/a.c', 5, 0, 'the lock was taken here');
INSERT INTO notes VALUES (4, 0, 'include/x.h', 7, 1, 'the table was mapped here');
INSERT INTO triage VALUES ('7b298651e90fcc09', 'confirmed', 'seen', '2025-01-03T09:00:00Z');
INSERT INTO triage_log VALUES (1, '7b298651e90fcc09', 'confirmed', 'seen', '2025-01-03T09:00:00Z');"
}
# rows DB: what is stored, as the SQL of every version reads it
rows() {
	sqlite3 "$1" "SELECT id, started, finished, status, tool_version, kernel_version, git_rev,
		engines, rules, source, key, host, writers, writers_done FROM runs ORDER BY id;
		SELECT id, run, rule, file, line, col, function, message, engine, severity,
		fingerprint FROM findings ORDER BY id;
		SELECT * FROM notes ORDER BY finding, seq; SELECT * FROM triage; SELECT * FROM triage_log"
}
# listing DB RUN: the text listing of RUN, from the rows
listing() {
	sqlite3 "$1" "SELECT text FROM (
	SELECT f.file AS fl, f.line AS ln, f.col AS c, f.id AS id, -1 AS seq, f.file || ':' || f.line || ':'
		|| iif(f.col > 0, f.col || ':', '') || ' ' || f.severity || ': ' || f.message
		|| ' [mmlock:' || f.rule || ']' AS text FROM findings f WHERE f.run = $2
	UNION ALL
	SELECT f.file, f.line, f.col, f.id, n.seq, n.file || ':' || n.line || ':'
		|| iif(n.col > 0, n.col || ':', '') || ' note: ' || n.message
		FROM notes n JOIN findings f ON f.id = n.finding WHERE f.run = $2)
	ORDER BY fl, ln, c, id, seq"
}
# migrated NAME MAKE VERSION: a database MAKE makes ($db), what it
# stores ($before) and the listings of its runs 1 and 2 ($want1, $want2)
# as its rows say, then init migrates it (test NAME_init)
migrated() {
	db=$T/$1.db
	"$2" "$db"
	before=$(rows "$db")
	want1=$(listing "$db" 1)
	want2=$(listing "$db" 2)
	out=$("$M" db --db "$db" init)
	expect_rc "$1_init" 0 $? "$db: migrated from schema version $3 to 4" "$out"
}
if command -v sqlite3 > /dev/null; then
	migrated migrate2 mkv2 2
	expect migrate2_version "4 4 6 5" "$(q "$db" "SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM notes), (SELECT count(*) FROM texts),
		(SELECT count(*) FROM runs WHERE counted = 0 AND ordered = 0) + 3" | xargs)"
	expect migrate2_rows "$before" "$(rows "$db")"
	expect migrate2_list "$want1|$want2" "$("$M" db --db "$db" list --run 1)|$("$M" db --db "$db" list --run 2)"
	expect migrate2_triage "1 2" "$("$M" db --db "$db" list --status confirmed --format tsv | tail -n +2 | cut -f1 | xargs)"
	expect migrate2_indexes "findings_fingerprint findings_place runs_key" \
		"$(q "$db" "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name" | xargs)"
	# a new run after the migration is counted; the old ones read as before
	"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
	expect migrate2_stats "$("$M" db --db "$db" stats --file '*')" "$("$M" db --db "$db" stats)"
	expect migrate2_new_run "1 1 0" "$(q "$db" 'SELECT counted, ordered, (SELECT counted FROM runs WHERE id = 1) FROM runs WHERE id = 3' | xargs)"
	# a failing migration changes nothing
	failing_migration migrate2_failure mkv2 2 'CREATE TABLE texts (x)'
else
	skip "migrate2" "no sqlite3 shell to build a version 2 database"
fi

# Schema version 3 (tests/db/schema-v3.sql) is migrated to 4: each
# finding's notes move from note_rows into its row (findings.path), the
# view notes reads them.  Nothing stored changes: the rows and the notes
# read the same, the listing is what version 3's rows say (made by SQL),
# the runs keep their counts and order marks.
mkv3() {
	sqlite3 "$1" < tests/db/schema-v3.sql
	sqlite3 "$1" "
INSERT INTO runs VALUES (1, '2025-02-01T10:00:00Z', '2025-02-01T10:02:00Z', 'complete',
	'0.1', '6.1.90', 'abc', 'gcc-plugin', '', 'build.log', NULL, 'h', 1, 1, 1, 1);
INSERT INTO runs VALUES (2, '2025-02-02T10:00:00Z', NULL, 'incomplete',
	'0.1', NULL, NULL, 'gcc-plugin,sparse', '', NULL, 'k', 'h', 2, 1, 0, 0);
INSERT INTO findings VALUES (1, 1, 'pmd-lock', 'mm/a.c', 9, 0, NULL,
	'pmd_clear() changes a pmd entry', 'gcc-plugin', 'error', 'a64b42efc770a331');
INSERT INTO findings VALUES (2, 1, 'pte-lock', 'mm/a.c', 12, 0, 'zap_one',
	'pte_clear() changes a pte entry without holding its pte lock', 'gcc-plugin', 'warning', '1d0d4195477f55c4');
INSERT INTO findings VALUES (3, 1, 'pte-lock', 'mm/b.c', 23, 2, 'collapse_one',
	'set_pte_at() changes a pte entry without holding its pte lock', 'gcc-plugin', 'warning', '7b298651e90fcc09');
INSERT INTO findings VALUES (4, 2, 'pte-lock', 'mm/b.c', 30, 2, 'collapse_one',
	'set_pte_at() changes a pte entry without holding its pte lock', 'gcc-plugin', 'warning', '7b298651e90fcc09');
INSERT INTO texts VALUES (1, 'mm/a.c'), (2, 'the lock was taken here'), (3, 'mm/b.c'),
	(4, 'and released here'), (5, 'include/x.h'), (6, 'the table was mapped here');
INSERT INTO note_rows VALUES (3, 2, 3, 22, 2, 4), (3, 0, 3, 18, 15, 2), (3, 1, 5, 7, 1, 6),
	(1, 0, 1, 5, 0, 2), (4, 0, 5, 7, 1, 6);
INSERT INTO run_counts VALUES (1, 0, '', 3, 3, 0), (1, 1, 'pte-lock', 2, 2, 2),
	(1, 1, 'pmd-lock', 1, 1, 1), (1, 2, 'mm/a.c', 2, 2, 2), (1, 2, 'mm/b.c', 1, 1, 1);
INSERT INTO triage VALUES ('7b298651e90fcc09', 'confirmed', 'seen', '2025-02-03T09:00:00Z');
INSERT INTO triage_log VALUES (1, '7b298651e90fcc09', 'confirmed', 'seen', '2025-02-03T09:00:00Z');"
}
if command -v sqlite3 > /dev/null; then
	migrated migrate3 mkv3 3
	expect migrate3_version "4 0 5 2" "$(q "$db" "SELECT (SELECT user_version FROM pragma_user_version),
		(SELECT count(*) FROM sqlite_schema WHERE name = 'note_rows'),
		(SELECT count(*) FROM notes), (SELECT count(*) FROM findings WHERE path IS NULL) + 1" | xargs)"
	expect migrate3_path '[[3,18,15,2],[5,7,1,6],[3,22,2,4]]' "$(q "$db" 'SELECT path FROM findings WHERE id = 3')"
	expect migrate3_rows "$before" "$(rows "$db")"
	expect migrate3_counts "1|0||3|3|0 1|1|pmd-lock|1|1|1 1|1|pte-lock|2|2|2 1|2|mm/a.c|2|2|2 1|2|mm/b.c|1|1|1 1|1 0|0" \
		"$(sqlite3 "$db" 'SELECT * FROM run_counts ORDER BY run, kind, key; SELECT counted, ordered FROM runs ORDER BY id' | xargs)"
	expect migrate3_list "$want1|$want2" "$("$M" db --db "$db" list --run 1 2> /dev/null)|$("$M" db --db "$db" list --run 2 2> /dev/null)"
	expect migrate3_json "1 1" "$("$M" db --db "$db" list --run 1 --format json |
		grep -c '"notes": \[{"file": "mm/b.c", "line": 18, "column": 15, "message": "the lock was taken here"}, {"file": "include/x.h"') $("$M" db --db "$db" list --run 1 --format json | grep -c '"notes": \[\]')"
	# a new run after the migration stores its notes in its rows
	"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
	expect migrate3_new_run "$(listing "$db" 3)" "$("$M" db --db "$db" list --run 3)"
	# the severity is checked as before, by three comparisons now
	expect migrate3_check "1 0" "$(sqlite3 "$db" "INSERT INTO findings (run, rule, file, line,
		message, engine, severity, fingerprint) VALUES (1, 'r', 'f', 1, 'm', 'e', 'fatal', 'x')" 2>&1 |
		grep -c 'CHECK constraint failed') $(sqlite3 "$db" "SELECT count(*) FROM sqlite_schema
		WHERE sql LIKE '%severity IN%'")"
	# a failing migration changes nothing
	failing_migration migrate3_failure mkv3 3 'CREATE TABLE findings_v4 (x)'
else
	skip "migrate3" "no sqlite3 shell to build a version 3 database"
fi
