#!/bin/bash
# mmlock check, the kbuild CHECK program, without a kernel tree: real gcc
# with the real plugin, real sparse, real SQLite, and a make that runs it
# the way kbuild does (tests/check/units.mk).  The kernel tree's turn is
# tests/kernel/check-run.sh.  Prints "PASS check/NAME" / "FAIL check/NAME: why" /
# "SKIP check/NAME: why" (sparse missing).
cd "$(dirname "$0")/../.." || exit 2
M=build/mmlock
P=$PWD/build/mmlock_plugin.so
T=$(mktemp -d /tmp/mmlock-check.XXXXXX)
trap 'rm -rf "$T"' EXIT
export LC_ALL=C
unset MMLOCK_DB MMLOCK_RUN_KEY MMLOCK_GCC MMLOCK_SPARSE MMLOCK_PLUGIN
ok() { echo "PASS check/$1"; }
ko() { echo "FAIL check/$1: $2"; }
sql() { $M db --db "$1" sql "$2" --format tsv | tail -n +2; }
# sparse: the CHECK program runs it unless --no-sparse; the tests that need
# it are SKIP lines without it
SPARSE=$(command -v sparse)
no_sparse() { for t in "$@"; do echo "SKIP check/$t: sparse is not installed (scripts/install-deps.sh)"; done; }

# what kbuild passes: CHECKFLAGS (x86-64), then c_flags, then the file
CHECKFLAGS="-D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void
	-Wno-unknown-attribute -D__x86_64__ --arch=x86 -mlittle-endian -m64"
cflags() { echo "-Wp,-MMD,$T/.$(basename "$1" .c).o.d -O2 -Werror"; }
pte=tests/rules/pte-lock/pte_lock.c
ctx=tests/check/ctx.c
plugin_out() {
	gcc -fplugin="$P" -fplugin-arg-mmlock_plugin-analysis-only "$@" -S -o /dev/null 2>&1
}
sparse_out() { sparse $CHECKFLAGS $(cflags "$1") "$1" 2>&1; }

# 1. kbuild's arguments: the plugin's diagnostics exactly, exit 0, nothing written
want=$(plugin_out -O2 $pte)
out=$($M check --no-db --no-sparse $CHECKFLAGS $(cflags $pte) $pte 2>&1); rc=$?
n=$(echo "$want" | grep -c '\[mmlock:pte-lock\]$')
if [ $rc -ne 0 ]; then
	ko kbuild-args "exit $rc: $(echo "$out" | head -3)"
elif [ "$n" -lt 5 ] || [ "$out" != "$want" ]; then
	ko kbuild-args "output differs from the plugin's ($n findings): $(diff <(echo "$want") <(echo "$out") | head -5)"
elif ls -A "$T" | grep -q . || ls pte_lock.s pte_lock.o 2>/dev/null | grep -q .; then
	ko kbuild-args "wrote files: $(ls -A "$T") $(ls pte_lock.* 2>/dev/null)"
else
	ok "kbuild-args ($n findings, exit 0, no .d/.s/.o)"
fi

# 2. gcc gets kbuild's compiler flags and no more (a wrapper records them)
cat > "$T/gcc-wrapper" <<EOF
#!/bin/sh
printf '%s\n' "\$@" > "$T/gcc-args"
exec gcc "\$@"
EOF
chmod +x "$T/gcc-wrapper"
$M check --no-db --no-sparse --gcc="$T/gcc-wrapper" $CHECKFLAGS $(cflags $pte) \
	-DKBUILD_MODNAME='"pte"' $pte >/dev/null 2>&1; rc=$?
want=$(printf '%s\n' -O2 -Werror '-DKBUILD_MODNAME="pte"' -w -S -o /dev/null "-fplugin=$P" \
	-fplugin-arg-mmlock_plugin-analysis-only $pte)
got=$(cat "$T/gcc-args" 2>/dev/null)
[ $rc -eq 0 ] && [ "$got" == "$want" ] && ok "gcc-gets-c_flags-only" ||
	ko "gcc-gets-c_flags-only" "exit $rc, gcc got: $(echo $got)"
rm -f "$T/gcc-args"

# 3. a hand-made command line (no -Wp,-MMD): sparse's own flags filtered out
$M check --no-db --no-sparse --gcc="$T/gcc-wrapper" -D__CHECKER__ -Wbitwise -Wcontext \
	-Wno-return-void -Wsparse-all --arch=x86 -mlittle-endian -gcc-base-dir /usr/lib/gcc \
	-O2 -Wall $pte >/dev/null 2>&1; rc=$?
want=$(printf '%s\n' -O2 -Wall -w -S -o /dev/null "-fplugin=$P" \
	-fplugin-arg-mmlock_plugin-analysis-only $pte)
got=$(cat "$T/gcc-args" 2>/dev/null)
[ $rc -eq 0 ] && [ "$got" == "$want" ] && ok "hand-made-flags-filtered" ||
	ko "hand-made-flags-filtered" "exit $rc, gcc got: $(echo $got)"

# 4. -D__CHECKER__ never reaches gcc (the kernel headers change with it)
out=$($M check --no-db --no-sparse -D__CHECKER__ $(cflags tests/check/checker.c) \
	tests/check/checker.c 2>&1); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && ok "no-__CHECKER__-for-gcc" ||
	ko "no-__CHECKER__-for-gcc" "exit $rc: $out"

units="tests/rules/pte-lock/pte_lock.c tests/rules/pmd-lock/pmd_lock.c tests/rules/lock-order/lock_order.c tests/rules/lock-balance/lock_balance.c $ctx"
if [ -n "$SPARSE" ]; then
# 5. sparse runs too, on everything kbuild gave: its output whole, after gcc's
want=$(sparse_out $ctx)
out=$($M check --no-db $CHECKFLAGS $(cflags $ctx) $ctx 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" == "$want" ] && echo "$want" | grep -q "context imbalance" &&
	ok "sparse-output-unchanged" || ko "sparse-output-unchanged" "exit $rc: $out"
want="$(plugin_out -O2 $pte)
$(sparse_out $pte)"
out=$($M check --no-db $CHECKFLAGS $(cflags $pte) $pte 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" == "$want" ] && ok "plugin-then-sparse" ||
	ko "plugin-then-sparse" "exit $rc: $(diff <(echo "$want") <(echo "$out") | head -5)"

# 6. the database: one run for both units and both engines; sparse's lock
#    context warning stored, its other warnings not; the plugin's notes kept
db=$T/one.db
for f in $pte $ctx; do
	MMLOCK_DB=$db MMLOCK_RUN_KEY=k1 $M check $CHECKFLAGS $(cflags $f) $f 2>/dev/null ||
		ko "db-one-run" "exit $? on $f"
done
runs=$(sql $db "SELECT key, engines, status, writers, writers_done FROM runs")
got=$(sql $db "SELECT engine, rule, file, line, col, severity FROM findings ORDER BY file, line")
want_plugin=$(plugin_out -O2 $pte | grep '\[mmlock:' |
	sed -E 's/^([^:]+):([0-9]+):([0-9]+): warning: .*\[mmlock:([a-z-]+)\]$/gcc-plugin\t\4\t\1\t\2\t\3\twarning/')
want=$(printf 'sparse\tsparse\t%s\twarning\n%s' "$ctx	21	12" "$want_plugin")
if [ "$runs" != "k1	gcc-plugin,sparse	complete	2	2" ]; then
	ko "db-one-run" "runs: $runs"
elif [ "$got" != "$want" ]; then
	ko "db-one-run" "findings: $(diff <(echo "$want") <(echo "$got") | head -6)"
else
	ok "db-one-run ($(echo "$got" | wc -l) findings, 1 from sparse)"
fi
msg=$(sql $db "SELECT message FROM findings WHERE engine = 'sparse'")
[ "$msg" == "context imbalance in 'lock_and_leave' - wrong count at exit" ] &&
	ok "db-sparse-message" || ko "db-sparse-message" "$msg"
notes=$(sql $db "SELECT n.line || ':' || n.message FROM notes n JOIN findings f ON f.id = n.finding
	WHERE f.line = 27 AND f.file = '$pte' ORDER BY n.seq")
want=$(plugin_out -O2 $pte | sed -n '/^[^:]*:27:2: warning/,/warning/p' | grep ': note: ' |
	sed -E 's/^[^:]+:([0-9]+):[0-9]+: note: /\1:/')
[ -n "$notes" ] && [ "$notes" == "$want" ] && ok "db-notes" || ko "db-notes" "got '$notes' want '$want'"

# 7. the same fingerprints as the plugin storing its findings itself (db=)
gcc -fplugin="$P" -fplugin-arg-mmlock_plugin-analysis-only -fplugin-arg-mmlock_plugin-db="$T/plugin.db" \
	-O2 -S -o /dev/null $pte 2>/dev/null
a=$(sql $db "SELECT fingerprint, rule, file, line, col, message FROM findings WHERE engine = 'gcc-plugin' ORDER BY 1, 4")
b=$(sql "$T/plugin.db" "SELECT fingerprint, rule, file, line, col, message FROM findings ORDER BY 1, 4")
[ -n "$a" ] && [ "$a" == "$b" ] && ok "same-as-plugin-db" ||
	ko "same-as-plugin-db" "$(diff <(echo "$b") <(echo "$a") | head -4)"

# 8. make -jN, no key given: all units of one make are one run, the next make another
rm -f "$T"/*.checked
out=$(MMLOCK_DB=$T/make.db make -s -j4 -f tests/check/units.mk CHECK="$M check" OUT="$T" SRCS="$units" 2>&1); rc=$?
rm -f "$T"/*.checked
MMLOCK_DB=$T/make.db make -s -j4 -f tests/check/units.mk CHECK="$M check" OUT="$T" SRCS="$units" >/dev/null 2>&1
runs=$(sql $T/make.db "SELECT status, writers, writers_done, engines FROM runs ORDER BY id")
keys=$(sql $T/make.db "SELECT count(DISTINCT key) FROM runs WHERE key LIKE 'make:%'")
n=$(echo "$out" | grep -c "CHECK ")
per=$(sql $T/make.db "SELECT count(*) FROM findings GROUP BY run")
if [ $rc -ne 0 ] || [ "$n" -ne 5 ]; then
	ko "make-j4-one-run" "make exit $rc, $n units checked: $(echo "$out" | grep -v CHECK | head -3)"
elif [ "$runs" != "$(printf 'complete\t5\t5\tgcc-plugin,sparse\ncomplete\t5\t5\tgcc-plugin,sparse')" ] ||
     [ "$keys" != 2 ] || [ "$(echo $per | awk '{print ($1 == $2 && $1 > 5)}')" != 1 ]; then
	ko "make-j4-one-run" "runs: $(echo $runs) keys=$keys findings per run: $(echo $per)"
else
	ok "make-j4-one-run (2 makes, 2 runs of 5 units, $(echo $per | cut -d' ' -f1) findings each)"
fi
else
	no_sparse sparse-output-unchanged plugin-then-sparse db-one-run db-sparse-message db-notes same-as-plugin-db make-j4-one-run
fi

# 9. CF= carries mmlock's options through kbuild's CHECKFLAGS
rm -f "$T"/*.checked
out=$(make -s -f tests/check/units.mk CHECK="$M check" CF="--no-sparse --werror --no-db" \
	OUT="$T" SRCS="$ctx" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" == "  CHECK   $ctx" ] && ok "cf-options-clean-unit" ||
	ko "cf-options-clean-unit" "exit $rc: $out"
out=$(make -s -f tests/check/units.mk CHECK="$M check" CF="--no-sparse --werror --no-db" \
	OUT="$T" SRCS="$pte" 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q '\[mmlock:pte-lock\]' && ok "cf-werror-stops-the-build" ||
	ko "cf-werror-stops-the-build" "exit $rc"

if [ -n "$SPARSE" ]; then
# 10. exit status: findings are not fatal unless --werror; -Wsparse-error is sparse's
$M check --no-db --no-sparse $(cflags $pte) $pte 2>/dev/null; a=$?
$M check --no-db --no-sparse --werror $(cflags $pte) $pte 2>/dev/null; b=$?
$M check --no-db --werror $(cflags $ctx) $ctx 2>/dev/null; c=$?
MMLOCK_DB=$T/se.db $M check -Wsparse-error $CHECKFLAGS $(cflags $ctx) $ctx 2>/dev/null; d=$?
sev=$(sql $T/se.db "SELECT severity || ' ' || engine FROM findings")
[ "$a $b $c $d" == "0 1 0 1" ] && [ "$sev" == "error sparse" ] && ok "exit-status" ||
	ko "exit-status" "findings $a, --werror $b, --werror clean $c, -Wsparse-error $d ($sev)"
else
	no_sparse exit-status
fi

# 11. the plugin arguments reach the plugin as they are
out=$($M check --no-db --no-sparse --disable=pte-lock $(cflags $pte) $pte 2>&1); rc=$?
out2=$($M check --no-db --no-sparse --enable=pmd-lock --max-states=4 --rules="$PWD/rules/mm.rules" \
	$(cflags tests/rules/pmd-lock/pmd_lock.c) tests/rules/pmd-lock/pmd_lock.c 2>&1)
want2=$(plugin_out -fplugin-arg-mmlock_plugin-enable=pmd-lock -fplugin-arg-mmlock_plugin-max-states=4 \
	-fplugin-arg-mmlock_plugin-rules="$PWD/rules/mm.rules" -O2 tests/rules/pmd-lock/pmd_lock.c)
[ $rc -eq 0 ] && [ -z "$out" ] && [ "$out2" == "$want2" ] && echo "$out2" | grep -q '\[mmlock:pmd-lock\]' &&
	ok "plugin-arguments" || ko "plugin-arguments" "exit $rc: $out | $(diff <(echo "$want2") <(echo "$out2") | head -3)"

if [ -n "$SPARSE" ]; then
# 12. a build killed (SIGTERM to make's process group) leaves a run that says so
printf '#!/bin/sh\nsleep 5\nexec gcc "$@"\n' > "$T/slow-gcc"
chmod +x "$T/slow-gcc"
rm -f "$T"/*.checked
MMLOCK_DB=$T/int.db setsid make -s -j2 -f tests/check/units.mk CHECK="$M check --gcc=$T/slow-gcc" \
	OUT="$T" SRCS="$units" >/dev/null 2>&1 &
mk=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ "$(sql $T/int.db "SELECT writers FROM runs" 2>/dev/null)" = 2 ] && break
	sleep 0.3
done
kill -TERM -- -$mk
wait $mk; rc=$?
runs=$(sql $T/int.db "SELECT status, writers, writers_done FROM runs")
[ $rc -ne 0 ] && [ "$runs" == "$(printf 'interrupted\t2\t2')" ] && ! ls "$T"/*.checked >/dev/null 2>&1 &&
	ok "interrupted-build" || ko "interrupted-build" "make exit $rc, runs: $(echo $runs)"
else
	no_sparse interrupted-build
fi

if [ -n "$SPARSE" ]; then
# 13. a unit gcc cannot compile: gcc's error, exit 2, the run marked interrupted
out=$(MMLOCK_DB=$T/bad.db MMLOCK_RUN_KEY=b $M check $(cflags tests/check/broken.c) \
	tests/check/broken.c 2>&1); rc=$?
st=$(sql $T/bad.db "SELECT status FROM runs")
[ $rc -eq 2 ] && echo "$out" | grep -q "broken.c:4:16: error: 'missing_identifier' undeclared" &&
	echo "$out" | tail -1 | grep -qx "mmlock: tests/check/broken.c: not analysed: gcc exited with status 1" &&
	[ "$st" == interrupted ] && ok "gcc-error" || ko "gcc-error" "exit $rc, run $st: $out"
else
	no_sparse gcc-error
fi

# 14. usage and input errors: exit 2, one line naming the input
check_err() {
	local name=$1 want=$2; shift 2
	out=$("$@" 2>&1); rc=$?
	[ $rc -eq 2 ] && [ "$out" == "$want" ] && ok "error-$name" || ko "error-$name" "exit $rc: $out"
}
check_err no-file "mmlock: no source file: the C file comes last (mmlock check --help)" $M check -O2
check_err missing-file "mmlock: nosuch.c: cannot read: No such file or directory" $M check -O2 nosuch.c
check_err no-gcc "mmlock: $ctx: not analysed: cannot run /nonexistent/gcc: No such file or directory" \
	$M check --no-db --no-sparse --gcc=/nonexistent/gcc $ctx
out=$($M check --no-db --sparse=/nonexistent/sparse $ctx 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$out" == "mmlock: $ctx: cannot run /nonexistent/sparse: No such file or directory (or --no-sparse)" ] &&
	ok "error-no-sparse" || ko "error-no-sparse" "exit $rc: $out"
out=$($M check --db=/nonexistent/dir/x.db --no-sparse $ctx 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "^mmlock: $ctx: findings not stored: .*/nonexistent/dir/x.db" &&
	[ "$(echo "$out" | wc -l)" -eq 1 ] && ok "error-db-unwritable" || ko "error-db-unwritable" "exit $rc: $out"
out=$($M check --help); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^usage: mmlock check" && ok "help" || ko "help" "exit $rc"
