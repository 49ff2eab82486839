# Helpers for the db tests (sourced by tests/db/run.sh): a scratch
# directory, PASS/FAIL lines, and short ways to run mmlock db.
M=$PWD/build/mmlock
DATA=$PWD/tests/db/data
T=$(mktemp -d "${TMPDIR:-/tmp}/mmlock-db-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
unset MMLOCK_DB

pass() { echo "PASS db/$1"; }
fail() { echo "FAIL db/$1: $2"; }
skip() { echo "SKIP db/$1: $2"; }
oneline() { printf '%s' "$1" | head -c 400 | tr '\n\t' '|>'; }

# expect NAME WANTED ACTUAL
expect() {
	if [ "$2" == "$3" ]; then
		pass "$1"
	else
		fail "$1" "expected [$(oneline "$2")] got [$(oneline "$3")]"
	fi
}

# expect_rc NAME WANTED-STATUS ACTUAL-STATUS [more to compare: WANTED ACTUAL]
expect_rc() {
	if [ "$2" != "$3" ]; then
		fail "$1" "exit status $3, expected $2"
	elif [ $# -ge 5 ] && [ "$4" != "$5" ]; then
		fail "$1" "expected [$(oneline "$4")] got [$(oneline "$5")]"
	else
		pass "$1"
	fi
}

# q DB SQL [PARAM...]: the rows of a query, no header
q() {
	local db=$1
	shift
	"$M" db --db "$db" sql "$@" | tail -n +2
}

have_python() { command -v python3 > /dev/null && python3 -c 'import json, csv' 2> /dev/null; }

# dbsum DB: a checksum for "nothing stored changed": of the database's
# logical dump when the sqlite3 shell can read it; without the shell, of
# every table's rows as mmlock db sql reads them; else of its bytes
dbsum() {
	local t
	if command -v sqlite3 > /dev/null && [ -s "$1" ] && sqlite3 -readonly "$1" .dump > /dev/null 2>&1; then
		sqlite3 -readonly "$1" .dump | md5sum
	elif [ -s "$1" ] && "$M" db --db "$1" sql "SELECT 1" > /dev/null 2>&1; then
		for t in $("$M" db --db "$1" sql "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name" --format tsv | tail -n +2); do
			echo "$t"
			"$M" db --db "$1" sql "SELECT * FROM \"$t\" ORDER BY 1" --format tsv
		done | md5sum
	else
		md5sum < "$1"
	fi
}
