# Bad input: one line naming the input, exit 2, nothing stored changed.
db=$T/err.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
before=$(dbsum "$db")

# err_case NAME WANTED-MESSAGE-PART COMMAND...: exit 2, one line, names it
err_case() {
	local name=$1 want=$2 out rc
	shift 2
	out=$("$@" 2>&1 > /dev/null)
	rc=$?
	if [ $rc -ne 2 ]; then
		fail "$name" "exit status $rc, expected 2"
	elif [ "$(echo "$out" | wc -l)" -ne 1 ]; then
		fail "$name" "not one line: $(oneline "$out")"
	elif [[ "$out" != *"$want"* ]]; then
		fail "$name" "expected [$want] in [$(oneline "$out")]"
	else
		pass "$name"
	fi
}

err_case import_bad_line "$DATA/bad.log:3: unreadable diagnostic line" \
	"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/bad.log"
err_case import_truncated_tag "$DATA/truncated.log:3: unreadable diagnostic line" \
	"$M" db --db "$db" import "$DATA/truncated.log"
printf 'mm/a.c:1:1: warning: fine [mmlock:pte-lock]\nmm/a.c:2:x: warning: bad column\n' > "$T/badcol.log"
err_case import_stdin_bad_line "<stdin>:2: unreadable diagnostic line" \
	sh -c "'$M' db --db '$db' import - < '$T/badcol.log'"
expect import_bad_nothing_stored "$before" "$(dbsum "$db")"
err_case import_missing_file "$T/nosuch.log: cannot read" "$M" db --db "$db" import "$T/nosuch.log"
err_case import_bad_engine "unknown engine 'clang'" "$M" db --db "$db" import --engine clang "$DATA/demo1.log"

head -c 8192 /dev/urandom > "$T/junk.db"
cp "$T/junk.db" "$T/junk.orig"
err_case corrupt_db_list "$T/junk.db: not an mmlock database" "$M" db --db "$T/junk.db" list
err_case corrupt_db_import "$T/junk.db: not an mmlock database" "$M" db --db "$T/junk.db" import "$DATA/demo1.log"
err_case corrupt_db_init "$T/junk.db: not an mmlock database" "$M" db --db "$T/junk.db" init
expect corrupt_db_unchanged "" "$(cmp "$T/junk.db" "$T/junk.orig" 2>&1; ls "$T"/junk.db-* 2> /dev/null)"

# a database whose pages are damaged after the header
cp "$db" "$T/damaged.db"
"$M" db --db "$T/damaged.db" sql 'SELECT 1' > /dev/null	# checkpointed on close
size=$(stat -c %s "$T/damaged.db")
tr '\0' '\377' < /dev/zero | head -c $((size / 3)) |
	dd of="$T/damaged.db" bs=1 seek=$((size / 2)) conv=notrunc 2> /dev/null
err_case corrupt_pages "$T/damaged.db:" "$M" db --db "$T/damaged.db" list

if command -v sqlite3 > /dev/null; then
	sqlite3 "$T/foreign.db" 'CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT); INSERT INTO photos VALUES (1, "cat")'
	f_before=$(md5sum < "$T/foreign.db")
	err_case foreign_db "$T/foreign.db: not an mmlock database (a foreign SQLite database)" \
		"$M" db --db "$T/foreign.db" import "$DATA/demo1.log"
	expect foreign_db_unchanged "$f_before" "$(md5sum < "$T/foreign.db"; ls "$T"/foreign.db-* 2> /dev/null)"
	cp "$db" "$T/newer.db"
	sqlite3 "$T/newer.db" 'PRAGMA user_version = 99'
	n_before=$(dbsum "$T/newer.db")
	err_case newer_schema "$T/newer.db: schema version 99 is newer than this mmlock's (4)" \
		"$M" db --db "$T/newer.db" import "$DATA/demo1.log"
	expect newer_schema_unchanged "$n_before" "$(dbsum "$T/newer.db")"
else
	for t in foreign_db foreign_db_unchanged newer_schema newer_schema_unchanged; do
		skip "$t" "no sqlite3 shell"
	done
fi

err_case no_database "no database: give --db PATH or set MMLOCK_DB" "$M" db list
err_case missing_database "$T/none.db: no such database" "$M" db --db "$T/none.db" list
: > "$T/empty.db"
err_case empty_database "$T/empty.db: empty database" "$M" db --db "$T/empty.db" stats
err_case unknown_command "unknown command 'frobnicate'" "$M" db --db "$db" frobnicate
err_case unknown_option "unknown option '--colour'" "$M" db --db "$db" list --colour
err_case bad_format "format 'xml'" "$M" db --db "$db" list --format xml
err_case bad_status "unknown triage status 'fixed'" "$M" db --db "$db" list --status fixed
err_case bad_run "bad run 'yesterday'" "$M" db --db "$db" list --run yesterday
err_case diff_args "diff takes two runs" "$M" db --db "$db" diff 1
err_case import_two_files "import takes one FILE" "$M" db --db "$db" import a b
expect errors_nothing_changed "$before" "$(dbsum "$db")"
out=$("$M" db help)
expect_rc help 0 $? 1 "$(echo "$out" | grep -c '^usage: mmlock db')"
