#!/bin/bash
# The plugin and the rules parser as a user meets them: bad rules files,
# bad arguments, an internal error, -Werror builds, generated code.
cd "$(dirname "$0")/../.." || exit 2
P=build/mmlock_plugin.so
T=$(mktemp -d /tmp/mmlock-plugin.XXXXXX)
trap 'rm -rf "$T"' EXIT
ok() { echo "PASS plugin/$1"; }
ko() { echo "FAIL plugin/$1: $2"; }
src=tests/rules/pte-lock/pte_lock.c

# rules files with errors: "FILE:LINE: message", from the driver and the plugin
check_bad_rules() {
	local name=$1 line=$2 want=$3 text=$4
	printf '%b' "$text" > "$T/$name.rules"
	out=$(build/mmlock rules "$T/$name.rules" 2>&1); rc=$?
	if [ $rc -ne 2 ] || ! echo "$out" | grep -qF "$T/$name.rules:$line: $want"; then
		ko "rules-$name" "driver rc=$rc: $out"; return
	fi
	out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-rules="$T/$name.rules" -S -o "$T/x.s" $src 2>&1); rc=$?
	if [ $rc -eq 0 ] || [ -e "$T/x.s" ] || ! echo "$out" | grep -qF "$T/$name.rules:$line: $want"; then
		ko "rules-$name" "plugin rc=$rc: $out"; return
	fi
	ok "rules-$name"
}
base='class pte order=5 kind=spin\nrule pte-lock "x"\n'
check_bad_rules unknown-directive 3 "unknown directive 'aquire'" "${base}aquire spin_lock lock=arg0\n"
check_bad_rules unknown-class 3 "unknown lock class 'ptee'" "${base}lockptr pte_lockptr class=ptee inst=arg1\n"
check_bad_rules bad-arg 3 "inst= takes argN, not 'pmd'" "${base}lockptr pte_lockptr class=pte inst=pmd\n"
check_bad_rules unknown-rule 3 "unknown rule 'pte-lok'" "${base}needs set_pte_at class=pte ptr=arg2 rule=pte-lok\n"
check_bad_rules missing-key 3 "needs needs class=, ptr=argN and rule=" "${base}needs set_pte_at class=pte rule=pte-lock\n"
check_bad_rules duplicate-class 2 "class 'pte' defined twice" "class pte order=5 kind=spin\nclass pte order=4 kind=spin\n"
check_bad_rules unterminated 2 "unterminated string" 'class pte order=5 kind=spin\nrule pte-lock "x\n'
check_bad_rules about-unknown-rule 3 "unknown rule 'pte-lok'" "${base}about pte-lok \"text\"\n"
check_bad_rules fix-usage 3 "usage: fix ID \"text\"" "${base}fix pte-lock\n"
check_bad_rules otherrule-twice 3 "rule 'pte-lock' defined twice" "${base}otherrule pte-lock \"x\"\n"
check_bad_rules distinct-usage 3 "usage: distinct CLASS CLASS [if=MACRO]" "${base}distinct pte\n"
check_bad_rules distinct-class 3 "unknown lock class 'pmd'" "${base}distinct pte pmd if=CONFIG_X\n"
check_bad_rules callback-usage 3 "usage: callback STRUCT.FIELD" "${base}callback mm_walk_ops\n"
check_bad_rules nullable-no-rule 3 "nullable needs rule=" "${base}nullable __pte_offset_map\n"
check_bad_rules if-calls-unknown 3 "usage: rule ID \"title\" [off] [if-calls=ID] (ID a rule defined before)" "${base}rule recheck-under-lock \"x\" if-calls=pte-map-null\n"
check_bad_rules class-attribute 1 "unknown class attribute 'guards=pmd'" "class vma order=2 kind=sleep guards=pmd\n"
check_bad_rules reads-missing 3 "reads needs class=, ptr=argN and rule=" "${base}reads huge_ptep_get class=pte rule=pte-lock\n"

out=$(build/mmlock rules "$T/missing.rules" 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -qF "$T/missing.rules: cannot open rules file" &&
	ok "rules-missing-file" || ko "rules-missing-file" "rc=$rc: $out"
out=$(build/mmlock rules 2>/dev/null); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^pte-lock" && echo "$out" | grep -q "^lock-balance" &&
	ok "rules-shipped-file-loads" || ko "rules-shipped-file-loads" "rc=$rc"

# a rules file without a rule or class role the checkers need is refused,
# by `mmlock rules` and the plugin alike, at its last line, before compiling
cat > "$T/imbalance.c" <<'EOF'
struct mm_struct;
void mmap_read_lock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);
int twice(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	mmap_read_unlock(mm);
	mmap_read_unlock(mm);
	return 0;
}
EOF
# the shipped file's classes and rules but for the lines DROP matches, and
# two operations
refused() {
	local name=$1 drop=$2 want=$3 last
	{ grep -E '^(class|rule) ' rules/mm.rules | grep -v -- "$drop"
	  grep -E '^(acquire|release) +mmap_read_(un)?lock ' rules/mm.rules; } > "$T/$name.rules"
	last=$(wc -l < "$T/$name.rules")
	out=$(build/mmlock rules "$T/$name.rules" 2>&1); rc=$?
	if [ $rc -ne 2 ] || ! echo "$out" | grep -qF "$T/$name.rules:$last: $want"; then
		ko "rules-$name" "driver rc=$rc: $out"; return
	fi
	rm -f "$T/p.s"
	out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-rules="$T/$name.rules" -S -o "$T/p.s" "$T/imbalance.c" 2>&1); rc=$?
	if [ $rc -eq 0 ] || [ -e "$T/p.s" ] || ! echo "$out" | grep -qF "mmlock: $T/$name.rules:$last: $want" ||
	   echo "$out" | grep -q 'internal compiler error'; then
		ko "rules-$name" "plugin rc=$rc: $(echo "$out" | head -2)"; return
	fi
	ok "rules-$name"
}
refused without-lock-balance '^rule lock-balance' "no rule 'lock-balance' (the plugin reports under it)"
refused without-vma-lock '^rule vma-lock' "no rule 'vma-lock' (the plugin reports under it)"
refused without-role-pte '^class pte ' "no class with role=pte (the plugin's checkers need one)"
check_bad_rules role-twice 2 "role 'pte' given to class 'a' already" "class a order=1 kind=spin role=pte\nclass b order=2 kind=spin role=pte\n"
check_bad_rules role-unknown 1 "unknown class role 'pgd' (mm, rmap-file, rmap-anon, pmd, pte)" "class a order=1 kind=spin role=pgd\n"
check_bad_rules too-many-classes 17 "more than 16 lock classes" "$(for i in $(seq 1 17); do printf 'class c%d order=%d kind=spin\\n' $i $i; done)"
check_bad_rules too-many-rules 34 "more than 32 rules" "class a order=1 kind=spin\\n$(for i in $(seq 1 33); do printf 'rule r%d "x"\\n' $i; done)"

# a call with fewer arguments than the rules name (set_pte_at's entry is
# its arg2; the mmap_lock of an argument-less lock call): no internal
# error, no finding made up, the function analysed path by path
cat > "$T/fewargs.c" <<'EOF'
struct mm_struct;
typedef struct { unsigned long pmd; } pmd_t;
void set_pte_at(struct mm_struct *mm);
void mmap_read_lock(void);
void mmap_read_unlock(void);
void f(struct mm_struct *mm, pmd_t *pmd)
{
	mmap_read_lock();
	set_pte_at(mm);
	mmap_read_unlock();
}
EOF
out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-stats="$T/few.stats" -S -o "$T/few.s" "$T/fewargs.c" 2>&1); rc=$?
[ $rc -eq 0 ] && [ -s "$T/few.s" ] && ! echo "$out" | grep -q 'mmlock\|internal' && grep -q 'paths' "$T/few.stats" &&
	ok "fewer-arguments-than-rules" || ko "fewer-arguments-than-rules" "rc=$rc: $(echo "$out" | head -3) $(cat "$T/few.stats" 2>/dev/null)"
out=$(gcc -fplugin=$P -S -o "$T/p.s" "$T/imbalance.c" 2>&1)
echo "$out" | grep -q ':8:2: warning: .*already released.*\[mmlock:lock-balance\]$' &&
	ok "rules-with-lock-balance" || ko "rules-with-lock-balance" "$(echo "$out" | head -2)"

# unknown plugin argument, unknown rule name: refused before compiling
out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-colour=red -S -o "$T/y.s" $src 2>&1); rc=$?
[ $rc -ne 0 ] && [ ! -e "$T/y.s" ] && echo "$out" | grep -q "unknown or malformed plugin argument 'colour=red'" &&
	ok "bad-argument" || ko "bad-argument" "rc=$rc: $out"
out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-enable=pte-lok -S -o "$T/y.s" $src 2>&1); rc=$?
[ $rc -ne 0 ] && echo "$out" | grep -q "unknown rule 'pte-lok'" &&
	ok "bad-rule-name" || ko "bad-rule-name" "rc=$rc: $out"

# values that name nothing or overflow are refused, not run with; a stats=
# file that cannot be written is said before compiling
for arg in enable= enable=, disable= max-states=4294967297 max-states=99999999999999999999 \
	   max-states=8x budget=99999999999999999999; do
	out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-$arg -S -o "$T/y.s" $src 2>&1); rc=$?
	[ $rc -ne 0 ] && [ ! -e "$T/y.s" ] && echo "$out" | grep -q "mmlock: .*${arg%%=*}=" &&
		ok "bad-value-$arg" || ko "bad-value-$arg" "rc=$rc: $(echo "$out" | head -2)"
done
out=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-stats="$T/no/such/dir/s" -S -o "$T/y.s" $src 2>&1); rc=$?
[ $rc -ne 0 ] && [ ! -e "$T/y.s" ] && echo "$out" | grep -q "stats=$T/no/such/dir/s: cannot be written: No such file or directory" &&
	ok "stats-unwritable" || ko "stats-unwritable" "rc=$rc: $(echo "$out" | head -2)"

# the mmlock command: --help and --version, rules --help; an extra
# argument is an error, not ignored
out=$(build/mmlock --help 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^usage: mmlock" && ok "cli-help" || ko "cli-help" "rc=$rc: $out"
out=$(build/mmlock --version 2>&1); rc=$?
[ $rc -eq 0 ] && [ "$out" = "mmlock 0.1" ] && ok "cli-version" || ko "cli-version" "rc=$rc: $out"
out=$(build/mmlock rules --help 2>&1); rc=$?
[ $rc -eq 0 ] && echo "$out" | grep -q "^usage: mmlock rules" && ok "cli-rules-help" || ko "cli-rules-help" "rc=$rc: $out"
out=$(build/mmlock rules rules/mm.rules extra 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$out" = "mmlock rules: one rules file, not also 'extra' (mmlock rules --help)" ] &&
	ok "cli-rules-extra-argument" || ko "cli-rules-extra-argument" "rc=$rc: $out"
out=$(cd "$T" && "$OLDPWD/build/mmlock" install-hook a b 2>&1); rc=$?
[ $rc -eq 2 ] && [ "$out" = "mmlock install-hook: one DIR, not also 'b'" ] &&
	ok "cli-install-hook-extra-argument" || ko "cli-install-hook-extra-argument" "rc=$rc: $out"

# enable= / disable= choose the rules
n=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-disable=pte-lock -S -o /dev/null $src 2>&1 | grep -c "mmlock:pte-lock")
[ "$n" -eq 0 ] && ok "disable-rule" || ko "disable-rule" "$n pte-lock findings"
n=$(gcc -fplugin=$P -fplugin-arg-mmlock_plugin-enable=lock-order -S -o /dev/null tests/rules/lock-order/lock_order.c 2>&1 | grep -c "warning:")
m=$(grep -cE "mmlock-warn(\[[a-z, ]*plugin[a-z, ]*\])?: lock-order" tests/rules/lock-order/lock_order.c)
[ "$n" -eq "$m" ] && ok "enable-rule" || ko "enable-rule" "$n warnings, $m expected"

# findings are warnings even under -Werror; errors only when asked
gcc -fplugin=$P -Werror -c -o "$T/a.o" $src 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && [ -s "$T/a.o" ] && grep -q "warning: .*\[mmlock:pte-lock\]" "$T/err" &&
	ok "werror-build-goes-on" || ko "werror-build-goes-on" "rc=$rc"
gcc -fplugin=$P -fplugin-arg-mmlock_plugin-werror -c -o "$T/b.o" $src 2>"$T/err"; rc=$?
[ $rc -ne 0 ] && grep -q "error: .*\[mmlock:pte-lock\]" "$T/err" &&
	ok "werror-argument-fails" || ko "werror-argument-fails" "rc=$rc"

# an internal error in one function: a note, the rest analysed, same code
gcc -O2 -c -o "$T/plain.o" $src
gcc -O2 -fplugin=$P -fplugin-arg-mmlock_plugin-crash-in=bad_unlocked -c -o "$T/crash.o" $src 2>"$T/err"; rc=$?
if [ $rc -eq 0 ] && grep -q "note: mmlock: internal error while analysing 'bad_unlocked'; function skipped" "$T/err" &&
   grep -q "pte_lock.c:27:.*\[mmlock:pte-lock\]" "$T/err" && cmp -s "$T/plain.o" "$T/crash.o"; then
	ok "internal-error-is-a-note"
else
	ko "internal-error-is-a-note" "rc=$rc: $(head -3 "$T/err")"
fi

# bounded work: a function the path-sensitive walk cannot finish within its
# budget is analysed with merged paths, or skipped, with a note; the code
# generated is the same (budget=N squeezes the walk of tests/plugin/branchy.c)
b=tests/plugin/branchy.c
gcc -O2 -c -o "$T/b0.o" $b
gcc -O2 -fplugin=$P -fplugin-arg-mmlock_plugin-stats="$T/stats" -c -o "$T/b1.o" $b 2>"$T/err"
steps=$(awk -F'\t' '$2 == "branchy" && $8 == "paths" { print $4 }' "$T/stats")
if [ -n "$steps" ] && [ "$steps" -gt 20 ] && ! grep -q "note: mmlock" "$T/err" && cmp -s "$T/b0.o" "$T/b1.o"; then
	ok "bounded-work-stats"
else
	ko "bounded-work-stats" "steps='$steps': $(cat "$T/stats" "$T/err" | head -3)"
fi
gcc -O2 -fplugin=$P -fplugin-arg-mmlock_plugin-budget=$((steps - 1)) -c -o "$T/b2.o" $b 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "note: mmlock: 'branchy' analysed with merged paths (too many to follow)" "$T/err" &&
	cmp -s "$T/b0.o" "$T/b2.o" && ok "bounded-work-merged" || ko "bounded-work-merged" "rc=$rc: $(head -2 "$T/err")"
gcc -O2 -fplugin=$P -fplugin-arg-mmlock_plugin-budget=1 -c -o "$T/b3.o" $b 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && grep -q "note: mmlock: 'branchy' not analysed: too many paths" "$T/err" &&
	cmp -s "$T/b0.o" "$T/b3.o" && ok "bounded-work-gives-up" || ko "bounded-work-gives-up" "rc=$rc: $(head -2 "$T/err")"

# bounded work on generated worst cases (tests/plugin/gen-worst.sh): goto
# webs, long PHI chains, deep nesting, long call chains.  Each compiles to the same code
# within 2x of plain gcc's time (measured here, same flags; plus 1 s for a
# loaded machine), or ends with the documented note; a run past 10x is
# stopped.
secs() { local t0 t1; t0=$(date +%s%N); "$@"; rc=$?; t1=$(date +%s%N); dt=$(( (t1 - t0) / 1000000 )); }
worst() {	# NAME OPTS ULIMIT-S KIND N
	local name=$1 opts=$2 stack=$3 c="$T/$1.c" plain lim
	tests/plugin/gen-worst.sh "$4" "$5" > "$c"
	secs bash -c "ulimit -s $stack; gcc $opts -c -o '$T/w0.o' '$c'"; plain=$dt
	lim=$(( plain * 10 / 1000 + 10 ))
	secs bash -c "ulimit -s $stack; timeout $lim gcc $opts -fplugin=$P -c -o '$T/w1.o' '$c' 2>'$T/werr'"
	if [ $rc -ne 0 ] || ! cmp -s "$T/w0.o" "$T/w1.o"; then
		ko "worst-$name" "rc=$rc after ${dt} ms (plain gcc ${plain} ms): $(grep -v '^ ' "$T/werr" | head -2)"
	elif [ $dt -gt $(( 2 * plain + 1000 )) ] ; then
		ko "worst-$name" "${dt} ms, plain gcc ${plain} ms: over 2x"
	elif grep -v "note: mmlock: '$4' not analysed: too much work following its values" "$T/werr" | grep -q .; then
		ko "worst-$name" "unexpected output: $(head -2 "$T/werr")"
	else
		ok "worst-$name ($dt ms, plain gcc $plain ms$(grep -q 'not analysed' "$T/werr" && echo ', not analysed: too much work'))"
	fi
}
worst goto-web-75 -O2 8192 web 75
worst goto-web-100 -O2 8192 web 100
worst goto-web-400 -O2 8192 web 400
worst phi-chain-2000 -O2 8192 chain 2000
worst phi-chain-20000-O0-small-stack -O0 1024 chain 20000
worst nest-1000 -O2 8192 nest 1000
worst call-chain-20000-O0-small-stack -O0 1024 calls 20000

# a stack overflow inside the analysis is an internal error of one
# function (the guard runs on its own signal stack), not a crash of gcc
gcc -O2 -c -o "$T/plain.o" $src
(ulimit -s 1024; gcc -O2 -fplugin=$P -fplugin-arg-mmlock_plugin-overflow-in=bad_unlocked -c -o "$T/ovf.o" $src 2>"$T/err"); rc=$?
if [ $rc -eq 0 ] && grep -q "note: mmlock: internal error while analysing 'bad_unlocked'; function skipped" "$T/err" &&
   grep -q "pte_lock.c:27:.*\[mmlock:pte-lock\]" "$T/err" && cmp -s "$T/plain.o" "$T/ovf.o"; then
	ok "stack-overflow-is-a-note"
else
	ko "stack-overflow-is-a-note" "rc=$rc: $(grep -v '^ ' "$T/err" | head -3)"
fi

# the plugin never changes the generated code
for f in tests/rules/*/*.c; do
	gcc -O2 -c -o "$T/p.o" "$f" && gcc -O2 -fplugin=$P -c -o "$T/q.o" "$f" 2>/dev/null
	cmp -s "$T/p.o" "$T/q.o" || { ko "same-code" "$f"; continue 2; }
done
ok "same-code"

# analysis-only: no output file, exit 0 with findings (1 with werror)
rm -f "$T/c.s"
gcc -fplugin=$P -fplugin-arg-mmlock_plugin-analysis-only -S -o "$T/c.s" $src 2>/dev/null; rc=$?
[ $rc -eq 0 ] && ! grep -q "bad_unlocked:" "$T/c.s" && ok "analysis-only" || ko "analysis-only" "rc=$rc"

# a plugin built for another GCC refuses to load (version check)
if command -v gcc-11 >/dev/null 2>&1 || command -v gcc-13 >/dev/null 2>&1; then
	other=$(command -v gcc-13 || command -v gcc-11)
	out=$($other -fplugin=$P -S -o /dev/null $src 2>&1); rc=$?
	[ $rc -ne 0 ] && echo "$out" | grep -q "built for GCC" && ok "other-gcc-refused" || ko "other-gcc-refused" "$out"
else
	echo "SKIP plugin/other-gcc-refused: no second GCC (gcc-11) to load the plugin into (scripts/install-deps.sh)"
fi

# db=PATH: the findings printed are the findings stored, with functions
rm -f "$T/f.db"
gcc -fplugin=$P -fplugin-arg-mmlock_plugin-db="$T/f.db" -S -o /dev/null $src 2>"$T/err"; rc=$?
printed=$(grep -cE 'warning: .*\[mmlock:' "$T/err")
stored=$(build/mmlock db --db "$T/f.db" sql "SELECT count(*) FROM findings WHERE engine = 'gcc-plugin'" 2>&1 | tail -1)
fn=$(build/mmlock db --db "$T/f.db" sql "SELECT function FROM findings WHERE line = 27" 2>&1 | tail -1)
[ $rc -eq 0 ] && [ "$printed" -gt 0 ] && [ "$stored" = "$printed" ] && [ "$fn" = bad_after_unlock ] &&
	ok "db-stores-findings" || ko "db-stores-findings" "rc=$rc printed=$printed stored=$stored fn=$fn"
# a database that cannot be written: a note, the compile goes on
echo "not a database" > "$T/bad.db"
gcc -fplugin=$P -fplugin-arg-mmlock_plugin-db="$T/bad.db" -c -o "$T/d.o" $src 2>"$T/err"; rc=$?
[ $rc -eq 0 ] && [ -s "$T/d.o" ] && grep -q "note: mmlock: findings not stored" "$T/err" &&
	[ "$(cat "$T/bad.db")" = "not a database" ] &&
	ok "db-unwritable-is-a-note" || ko "db-unwritable-is-a-note" "rc=$rc: $(grep -v warning "$T/err" | head -2)"
