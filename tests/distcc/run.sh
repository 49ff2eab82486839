#!/bin/bash
# mmlock cc and mmlock-gcc without a kernel tree (make check): real gcc with
# the real plugin, real SQLite, and a distccd of Debian's on loopback for
# one round trip.  The kernel's turn, with the faults, is
# tests/distcc/kernel-run.sh (make check-kernel).
# Prints "PASS distcc/NAME" / "FAIL distcc/NAME: why" / "SKIP distcc/NAME: why".
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
M=$here/build/mmlock
P=$here/build/mmlock_plugin.so
T=$(mktemp -d /tmp/mmlock-cc.XXXXXX)
export LC_ALL=C
unset MMLOCK_DB MMLOCK_RUN_KEY MMLOCK_CC_LOG DISTCC_HOSTS DISTCC_LOG DISTCC_VERBOSE
ok() { echo "PASS distcc/$1"; }
ko() { echo "FAIL distcc/$1: $2"; }
sql() { "$M" db --db "$1" sql "$2" --format tsv | tail -n +2; }
prints() { sql "$1" "SELECT fingerprint || ' ' || rule || ' ' || file || ':' || line FROM findings" | sort; }
pte=tests/rules/pte-lock/pte_lock.c
# diagnostics without their columns: a host compiles the preprocessed
# text, where a macro's expansion is laid out on its line (other columns)
diags() { grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|note): ' | sed -E 's/^([^ ]+:[0-9]+):[0-9]+:/\1:/'; }

# the reference: the plugin alone, storing its own findings (db=)
want_text=$(gcc -fplugin="$P" -fplugin-arg-mmlock_plugin-db="$T/ref.db" -O2 -c $pte -o "$T/ref.o" 2>&1)
want=$(prints "$T/ref.db")
n=$(echo "$want" | grep -c .)

# 1. a unit: the diagnostics as they are, the object, the findings stored
out=$("$M" cc --db="$T/a.db" --log="$T/units.tsv" gcc -fplugin="$P" -O2 -c $pte -o "$T/a.o" 2>&1); rc=$?
got=$(prints "$T/a.db")
run=$(sql "$T/a.db" "SELECT status || ' ' || writers FROM runs")
if [ $rc -ne 0 ] || [ ! -f "$T/a.o" ]; then
	ko cc-unit "exit $rc: $(echo "$out" | head -3)"
elif [ "$out" != "$want_text" ] || echo "$out" | grep -q 'mmlock-receipt'; then
	ko cc-unit "output differs from the plugin's: $(diff <(echo "$want_text") <(echo "$out") | head -4 | tr '\n' ' ')"
elif [ "$n" -lt 5 ] || [ "$got" != "$want" ] || [ "$run" != "complete 1" ]; then
	ko cc-unit "stored [$run] $(echo "$got" | grep -c .) of $n: $(diff <(echo "$want") <(echo "$got") | head -4 | tr '\n' ' ')"
elif ! awk -F'\t' -v n="$n" '$1 == "tests/rules/pte-lock/pte_lock.c" && $2 == 0 && $4 == 1 && $6 == n { f = 1 } END { exit !f }' "$T/units.tsv"; then
	ko cc-unit "log line: $(cat "$T/units.tsv")"
else
	ok "cc-unit ($n findings stored by the client, the same fingerprints as db=; output unchanged)"
fi

# 2. not a unit: exec'ed as it is, nothing stored
a=$("$M" cc --db="$T/b.db" gcc --version 2>&1); rc=$?
b=$("$M" cc --db="$T/b.db" gcc -fplugin="$P" -O2 -E $pte 2>/dev/null | grep -c set_pte_at)
c=$("$M" cc --db="$T/b.db" gcc -fplugin="$P" -c -x c /dev/null -o "$T/null.o" 2>&1; echo "rc=$?")
[ $rc -eq 0 ] && [ "$a" == "$(gcc --version 2>&1)" ] && [ "$b" -gt 0 ] && [ "$c" = "rc=0" ] && [ ! -e "$T/b.db" ] &&
	ok "cc-passthrough (--version, -E, a probe on /dev/null: as gcc, no database)" ||
	ko cc-passthrough "exit $rc, -E lines $b, probe [$c], db $(ls "$T"/b.db* 2>/dev/null)"

# 3. db= would write where the compile runs: refused
out=$("$M" cc --db="$T/c.db" gcc -fplugin="$P" -fplugin-arg-mmlock_plugin-db="$T/remote.db" -c $pte -o "$T/c.o" 2>&1); rc=$?
[ $rc -eq 2 ] && [ ! -e "$T/remote.db" ] && [ ! -e "$T/c.o" ] && echo "$out" | grep -q 'give mmlock cc --db=PATH' &&
	ok "cc-db-arg-refused" || ko cc-db-arg-refused "exit $rc: $out"

# 4. a compiler that drops the plugin: compiled without the analysis, loudly
cat >"$T/dropping-gcc" <<'EOF'
#!/bin/sh
for a; do
	shift
	case $a in -fplugin*) ;; *) set -- "$@" "$a" ;; esac
done
exec gcc "$@"
EOF
chmod +x "$T/dropping-gcc"
out=$("$M" cc --db="$T/d.db" "$T/dropping-gcc" -fplugin="$P" -O2 -c $pte -o "$T/d.o" 2>&1); rc=$?
run=$(sql "$T/d.db" "SELECT status FROM runs")
[ $rc -eq 2 ] && [ ! -e "$T/d.o" ] && [ "$run" != complete ] && echo "$out" | grep -q 'compiled without the analysis' &&
	ok "cc-no-receipt-fails (exit 2, object removed, run $run)" || ko cc-no-receipt-fails "exit $rc, run [$run]: $out"

# 5. a receipt whose count is not what was read: fails
cat >"$T/lying-gcc" <<'EOF'
#!/bin/sh
for a; do
	shift
	case $a in -fplugin*) ;; *) set -- "$@" "$a" ;; esac
done
gcc "$@" || exit
echo "mmlock-receipt: input=x.c functions=1 findings=3 usec=1 gcc=12 host=h" >&2
EOF
chmod +x "$T/lying-gcc"
out=$("$M" cc --no-db "$T/lying-gcc" -fplugin="$P" -c $pte -o "$T/e.o" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q 'reported 3 findings, 0 were read' &&
	ok "cc-count-mismatch-fails" || ko cc-count-mismatch-fails "exit $rc: $out"

# 6. a unit that does not compile: gcc's status, the run not complete
printf 'void f(void) { syntax error }\n' >"$T/broken.c"
out=$(cd "$T" && "$M" cc --db="$T/f.db" gcc -fplugin="$P" -c broken.c -o broken.o 2>&1); rc=$?
run=$(sql "$T/f.db" "SELECT status FROM runs")
[ $rc -eq 1 ] && [ "$run" = interrupted ] && echo "$out" | grep -q 'mmlock cc: broken.c: not analysed: gcc exited with status 1' &&
	ok "cc-compile-error (exit 1, run interrupted)" || ko cc-compile-error "exit $rc, run [$run]: $(echo "$out" | tail -2)"

# 7. one make, one run: units of make -j2 join it
mkdir -p "$T/mk" "$T/include"
cp tests/rules/pte-lock/pte_lock.c tests/rules/lock-order/lock_order.c "$T/mk/"
cp tests/rules/include/*.h "$T/include/"
printf 'all: pte_lock.o lock_order.o\n%%.o: %%.c\n\t$(CC) -fplugin=%s -O2 -c $< -o $@\n' "$P" >"$T/mk/Makefile"
MMLOCK_DB=$T/g.db make -s -C "$T/mk" -j2 CC="$M cc gcc" >"$T/mk.log" 2>&1; rc=$?
run=$(sql "$T/g.db" "SELECT count(*) || ' ' || group_concat(status) || ' ' || sum(writers) FROM runs")
nf=$(sql "$T/g.db" "SELECT count(DISTINCT file) FROM findings")
[ $rc -eq 0 ] && [ "$run" = "1 complete 2" ] && [ "$nf" = 2 ] &&
	ok "cc-one-run-per-make (2 units, 1 complete run)" || ko cc-one-run-per-make "exit $rc, runs [$run], files $nf"

# 8. mmlock-gcc: gcc with the plugin and the rules beside it
out=$(build/mmlock-gcc -O2 -c $pte -o "$T/h.o" 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" == "$want_text" ] && ok "mmlock-gcc (the plugin's $n findings)" ||
	ko mmlock-gcc "exit $rc: $(diff <(echo "$want_text") <(echo "$out") | head -3 | tr '\n' ' ')"
rm -rf "$T"

# 9. a round trip through distccd on loopback
if ! command -v distccd >/dev/null; then
	echo "SKIP distcc/distcc-round-trip: distccd is not installed (scripts/install-deps.sh)"
	exit 0
fi
. scripts/distcc-lib.sh
dl_setup
dl_start a 127.0.0.2
log=$DL/rt
out=$(PATH=$DL/inst:$PATH DISTCC_HOSTS=$dl_host_a DISTCC_LOG=$log.distcc \
	"$M" cc --db="$DL/rt.db" distcc mmlock-gcc -O2 -c $pte -o "$DL/rt.o" 2>&1); rc=$?
got=$(prints "$DL/rt.db")
w=$(dl_where "$log.distcc")
if [ $rc -ne 0 ] || [ "$w" != "$pte ${dl_host_a%/*}" ]; then
	ko distcc-round-trip "exit $rc, where [$w]: $(echo "$out" | head -3 | tr '\n' ' ')"
elif [ "$got" != "$want" ] || [ "$(echo "$out" | diags)" != "$(echo "$want_text" | diags)" ]; then
	ko distcc-round-trip "findings differ: $(diff <(echo "$want") <(echo "$got") | head -4 | tr '\n' ' ')"
else
	ok "distcc-round-trip (compiled by distccd on ${dl_host_a%/*}, $n findings home, the same fingerprints, lines and notes)"
fi
dl_stop a
