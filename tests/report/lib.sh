# Helpers for the report tests (sourced by tests/report/run.sh): a scratch
# directory, PASS/FAIL/SKIP lines, and one run holding findings of every
# engine -- the real plugin and sparse through `mmlock check`, the real
# Coccinelle through `mmlock cocci` -- as `all_engines_db DB` makes it.
M=$PWD/build/mmlock
T=$(mktemp -d "${TMPDIR:-/tmp}/mmlock-report-test.XXXXXX") || exit 2
trap 'rm -rf "$T"' EXIT
unset MMLOCK_DB MMLOCK_RUN_KEY
export LC_ALL=C
pass() { echo "PASS report/$1"; }
fail() { echo "FAIL report/$1: $2"; }
skip() { echo "SKIP report/$1: $2"; }
# expect_rc NAME WANTED-STATUS ACTUAL-STATUS [WANTED ACTUAL]
expect_rc() {
	if [ "$2" != "$3" ]; then
		fail "$1" "exit status $3, expected $2"
	elif [ $# -ge 5 ] && [ "$4" != "$5" ]; then
		fail "$1" "expected [$4] got [$5]"
	else
		pass "$1"
	fi
}

CHECKFLAGS="-D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void
	-Wno-unknown-attribute -D__x86_64__ --arch=x86 -mlittle-endian -m64"

# all_engines_db DB: one run (key "all") of tests/rules/pte-lock/pte_lock.c and
# tests/check/ctx.c through mmlock check (plugin + sparse) and of
# tests/rules/pte-lock/pte.c through mmlock cocci; prints the engines
all_engines_db() {
	local db=$1 f
	if [ -s "$T/all-engines.db" ]; then	# made once per test run
		cp "$T/all-engines.db" "$db"
		[ -e "$T/all-engines.db-wal" ] && cp "$T/all-engines.db-wal" "$db-wal"
		"$M" db --db "$db" sql "SELECT group_concat(DISTINCT engine) FROM (SELECT engine FROM findings ORDER BY engine)" | tail -1
		return
	fi
	for f in tests/rules/pte-lock/pte_lock.c tests/check/ctx.c; do
		MMLOCK_DB=$db MMLOCK_RUN_KEY=all "$M" check $CHECKFLAGS -O2 "$f" > /dev/null 2>&1
	done
	"$M" cocci --rules pte-lock tests/rules/pte-lock/pte.c 2> /dev/null |
		"$M" db --db "$db" import --engine cocci --run-key all - > /dev/null
	for f in "$db" "$db-wal"; do
		[ -e "$f" ] && cp "$f" "$T/all-engines.db${f#$db}"
	done
	"$M" db --db "$db" sql "SELECT group_concat(DISTINCT engine) FROM (SELECT engine FROM findings ORDER BY engine)" | tail -1
}
