# mmlock db init: creates the schema once, in WAL mode.
db=$T/init.db
out=$("$M" db --db "$db" init 2>&1)
expect init_creates "$db: created, schema version 4" "$out"
out=$("$M" db --db "$db" init 2>&1)
expect init_twice "$db: schema version 4, up to date" "$out"
expect init_tables "findings notes run_counts runs texts triage triage_log" \
	"$(q "$db" "SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name" | xargs)"
expect init_version_wal "4 wal 1835887723" \
	"$(echo $(q "$db" 'PRAGMA user_version') $(q "$db" 'SELECT * FROM pragma_journal_mode') $(q "$db" 'PRAGMA application_id'))"
out=$(MMLOCK_DB=$T/env.db "$M" db init 2>&1)
expect init_env "$T/env.db: created, schema version 4" "$out"
