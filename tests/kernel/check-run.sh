#!/bin/bash
# Real-kernel tests of the kbuild integration (issue #7), on Debian's
# linux-source-6.1 prepared by scripts/prepare-kernel.sh, in copies made by
# scripts/check-tree.sh (kbuild runs there, never in the prepared tree):
#  - make -jN C=2 CHECK="build/mmlock check" mm/: every unit checked, no
#    plugin error, the plugin's findings equal tests/kernel/expected-6.1.txt,
#    sparse's lock-context warnings equal tests/kernel/check-sparse-6.1.txt,
#    one complete run in $MMLOCK_DB holding exactly what was printed;
#  - sparse's output under mmlock check is plain sparse's (make C=2 mm/);
#  - make C=1 checks only what it recompiles; CF=--werror makes findings fatal;
#  - every change of tests/kernel/mutations-6.1.txt (known fixes reverted, rules
#    broken on purpose) is caught through make C=2, without a recompile;
#  - make KCFLAGS="-fplugin=... db=..." mm/, the other build mode, stores the
#    same findings as make C=2, on a tree with one such change per file.
# Prints PASS/FAIL lines and "N passed, N failed".  MMLOCK_JOBS: make -j.
set -u
export MMLOCK_KERNEL=6.1	# the expectations here are 6.1's
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
export LC_ALL=C
unset MMLOCK_DB MMLOCK_RUN_KEY MMLOCK_GCC MMLOCK_SPARSE MMLOCK_PLUGIN
M=$here/build/mmlock
P=$here/build/mmlock_plugin.so
CHECK="$M check"
jobs=${MMLOCK_JOBS:-$(nproc)}
pass=0 fail=0
ok() { echo "PASS kernel-check/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL kernel-check/$1: $2"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
sql() { "$M" db --db "$1" sql "$2" --format tsv | tail -n +2; }
secs() { echo $(( $(date +%s) - $1 )); }

tree=$(scripts/prepare-kernel.sh | tail -1) || { ko prepare "could not prepare the tree"; finish; }
copy=$(scripts/check-tree.sh check | tail -1) || { ko copy "could not copy the tree"; finish; }
kcopy=$(scripts/check-tree.sh kcflags | tail -1) || { ko copy "could not copy the tree"; finish; }
scratch=$(mktemp -d /tmp/mmlock-kcheck.XXXXXX)
# the copies' changed sources back as they were (check-tree.sh repairs too)
restore() {
	for f in "$scratch"/orig/*/mm/*; do
		[ -f "$f" ] || continue
		t=${f#"$scratch"/orig/}
		cp -p "$f" "$([ "${t%%/*}" = k ] && echo "$kcopy" || echo "$copy")/${t#*/}"
	done
	rm -rf "$scratch/orig"
}
trap 'restore; rm -rf "$scratch"' EXIT

# "FILE:LINE RULE" of the plugin's findings in make's output
plugin_findings() {
	grep -E '^[^ ]+:[0-9]+:[0-9]+: (warning|error): .* \[mmlock:[a-z-]+\]$' |
		sed -E 's#^(\./)?([^:]+):([0-9]+):[0-9]+: [a-z]+: .*\[mmlock:([a-z-]+)\]$#\2:\3 \4#' | sort -u
}
# "FILE:LINE function: kind" of sparse's lock-context warnings
sparse_findings() {
	grep -E ": (warning|error): context imbalance in '" |
		sed -E "s#^(\./)?([^:]+):([0-9]+):[0-9]+: [a-z]+: context imbalance in '([^']+)' - (.*)#\2:\3 \4: \5#" | sort -u
}
# the diagnostics in a make log, sorted (kbuild's own lines left out)
diagnostics() { grep -E '^[^ ]+:[0-9]+:' | sort; }

# the units kbuild builds in mm/ in this configuration
units=$(cd "$tree" && ls mm/.*.o.cmd | sed -E 's#mm/\.(.*)\.o\.cmd#mm/\1.c#' |
	while read -r f; do [ -f "$tree/$f" ] && echo "$f"; done | sort)
nunits=$(echo "$units" | wc -l)

# 1. make C=2 over mm/
db=$scratch/c2.db
t0=$(date +%s)
MMLOCK_DB=$db make -C "$copy" -j"$jobs" C=2 CHECK="$CHECK" mm/ >"$scratch/c2.log" 2>&1
rc=$?
c2_secs=$(secs $t0)
checked=$(grep -E '^  CHECK   mm/' "$scratch/c2.log" | awk '{print $2}' | sort)
if [ $rc -ne 0 ]; then
	ko c2/make "make exit $rc: $(grep -m3 'mmlock\|Error' "$scratch/c2.log" | tr '\n' ' ')"
elif [ "$checked" != "$units" ]; then
	ko c2/every-unit "checked $(echo "$checked" | grep -c .) of $nunits: $(diff <(echo "$units") <(echo "$checked") | grep '^[<>]' | head -3 | tr '\n' ' ')"
else
	ok "c2/every-unit ($nunits units of mm/, -j$jobs, ${c2_secs}s)"
fi
if grep -q "internal error\|not analysed\|not stored\|failed to initialize plugin" "$scratch/c2.log"; then
	ko c2/no-plugin-error "$(grep -m2 "internal error\|not analysed\|not stored\|failed to init" "$scratch/c2.log" | tr '\n' ' ')"
else
	ok c2/no-plugin-error
fi
got=$(plugin_findings <"$scratch/c2.log")
want=$(grep '^mm/' tests/kernel/expected-6.1.txt | awk 'NF { print $1 " " $2 }' | sort -u)
[ "$got" == "$want" ] && ok "c2/plugin-findings-as-expected ($(echo "$got" | grep -c .) findings)" ||
	ko c2/plugin-findings-as-expected "$(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -5 | tr '\n' ' ')"
sparse_got=$(sparse_findings <"$scratch/c2.log")
sparse_want=$(grep -v '^#' tests/kernel/check-sparse-6.1.txt | sed -E 's/ +-- .*//' | grep . | sort -u)
[ "$sparse_got" == "$sparse_want" ] && ok "c2/sparse-lock-context-as-expected ($(echo "$sparse_got" | grep -c .) warnings)" ||
	ko c2/sparse-lock-context-as-expected "$(diff <(echo "$sparse_want") <(echo "$sparse_got") | grep '^[<>]' | head -5 | tr '\n' ' ')"

# the database: one complete run of every unit (and kbuild's scripts/mod/empty.c)
nchecks=$(grep -c '^  CHECK   ' "$scratch/c2.log")
runs=$(sql "$db" "SELECT status, writers, writers_done, engines FROM runs")
dbplugin=$(sql "$db" "SELECT file || ':' || line || ' ' || rule FROM findings WHERE engine = 'gcc-plugin'" | sort -u)
dbsparse=$(sql "$db" "SELECT file || ':' || line || ' ' || substr(message, 23) FROM findings WHERE engine = 'sparse'" |
	sed -E "s/^([^ ]+ )([^']+)' - /\1\2: /" | sort -u)
nsparse=$(grep -cE ": (warning|error): context imbalance in '" "$scratch/c2.log")
nsparse_db=$(sql "$db" "SELECT count(*) FROM findings WHERE engine = 'sparse'")
if [ "$runs" != "$(printf 'complete\t%s\t%s\tgcc-plugin,sparse' "$nchecks" "$nchecks")" ]; then
	ko c2/database "runs: $(echo $runs) ($nchecks units)"
elif [ "$dbplugin" != "$got" ] || [ "$dbsparse" != "$sparse_got" ] || [ "$nsparse" != "$nsparse_db" ]; then
	ko c2/database "stored findings differ from the printed ones ($nsparse_db/$nsparse sparse)"
else
	ok "c2/database (1 complete run, $nchecks writers, $nsparse_db sparse findings)"
fi

# 2. sparse as it is: plain `make C=2` prints what mmlock check printed
t0=$(date +%s)
make -C "$copy" -j"$jobs" C=2 mm/ >"$scratch/sparse.log" 2>&1
rc=$?
sparse_secs=$(secs $t0)
a=$(diagnostics <"$scratch/sparse.log")
b=$(grep -v '\[mmlock:' "$scratch/c2.log" | diagnostics)
[ $rc -eq 0 ] && [ -n "$a" ] && [ "$a" == "$b" ] &&
	ok "sparse-unchanged ($(echo "$a" | wc -l) sparse lines; sparse ${sparse_secs}s, mmlock check ${c2_secs}s)" ||
	ko sparse-unchanged "exit $rc: $(diff <(echo "$a") <(echo "$b") | grep '^[<>]' | head -4 | tr '\n' ' ')"

# the mutations: NAME FILE SUBST EXPECT, and the lines they expect
mutations=$(grep -v '^#' tests/kernel/mutations-6.1.txt | grep .)
field() { echo "$1" | awk -F ' ;; ' -v n="$2" '{print $n}'; }
. tests/kernel/expect.sh	# expect FILE MUTATED-COPY EXPECTATION
# put a mutated FILE into tree DIR (key c or k), keeping the file's time
# when KEEP is set (kbuild then does not recompile it: C=2 checks it only)
mutate_in() {
	local dir=$1 key=$2 file=$3 subst=$4 keep=$5
	mkdir -p "$scratch/orig/$key/mm"
	[ -f "$scratch/orig/$key/$file" ] || cp -p "$dir/$file" "$scratch/orig/$key/$file"
	tests/kernel/mutate.sh "$tree" "$file" "$subst" "$scratch/mut" || return 1
	cat "$scratch/mut" >"$dir/$file"
	[ -n "$keep" ] && touch -r "$scratch/orig/$key/$file" "$dir/$file"
	return 0
}

# 3. make C=1 checks what it recompiles, only that; findings do not stop
#    the build unless CF=--werror (kbuild's way to give the checker flags)
c1() {	# LOG [make args]: make C=1 after touching the file, "CC x CHECK y"
	local log=$1; shift
	touch "$copy/$file"
	make -C "$copy" -j"$jobs" C=1 CHECK="$CHECK" "$@" mm/ >"$log" 2>&1
	c1_rc=$?
	c1_did=$(grep -E '^  (CC|CHECK) ' "$log" | awk '{print $1, $2}' | tr '\n' ' ')
	c1_got=$(plugin_findings <"$log")
}
m=$(echo "$mutations" | grep -m1 ' ;; mm/mremap.c ;; ')
name=$(field "$m" 1) file=$(field "$m" 2)
if mutate_in "$copy" c "$file" "$(field "$m" 3)" ""; then
	want=$(expect "$file" "$copy/$file" "$(field "$m" 4)")
	c1 "$scratch/c1a.log" MMLOCK_DB="$scratch/c1.db"
	a="$c1_rc|$c1_did|$c1_got"
	c1 "$scratch/c1b.log" CF=--werror
	b="$c1_rc|$c1_did|$c1_got"
	restore
	c1 "$scratch/c1c.log" CF=--werror
	c="$c1_rc|$c1_did|$c1_got"
	touch -r "$tree/$file" "$copy/$file"	# as check-tree.sh keeps it
	did="CC mm/mremap.o CHECK mm/mremap.c "
	stored=$(sql "$scratch/c1.db" "SELECT status || ' ' || writers || ' ' || count(f.id) FROM runs r
		LEFT JOIN findings f ON f.run = r.id AND f.engine = 'gcc-plugin'")
	if [ -z "$want" ] || [ "$a" != "0|$did|$want" ]; then
		ko c1/recompiled-only "$name: want [0|$did|$(echo $want)] got [$(echo $a)]"
	elif [ "$stored" != "complete 1 $(echo "$want" | wc -l)" ]; then
		ko c1/recompiled-only "database: $stored"
	else
		ok "c1/recompiled-only ($name caught in the one unit rebuilt, build goes on)"
	fi
	[ "${b%%|*}" != 0 ] && [ "${b#*|}" == "$did|$want" ] && grep -q "Error" "$scratch/c1b.log" &&
		ok "c1/cf-werror-fatal (make exit ${b%%|*})" || ko c1/cf-werror-fatal "got [$(echo $b)]"
	[ "$c" == "0|$did|" ] && ok "c1/cf-werror-clean-passes" || ko c1/cf-werror-clean-passes "got [$(echo $c)]"
else
	ko c1/recompiled-only "the change $name no longer applies"
fi

# 4. every mutation through make C=2, in rounds of one change per file
declare -A round_of
round=0
declare -a rounds
while IFS= read -r m; do
	file=$(field "$m" 2)
	r=${round_of[$file]:-0}
	round_of[$file]=$((r + 1))
	rounds[$r]="${rounds[$r]:-}$m"$'\n'
	[ $r -ge $round ] && round=$((r + 1))
done <<<"$mutations"
for ((r = 0; r < round; r++)); do
	objs="" names=""
	declare -A want_of=()
	while IFS= read -r m; do
		[ -n "$m" ] || continue
		name=$(field "$m" 1) file=$(field "$m" 2)
		if ! mutate_in "$copy" c "$file" "$(field "$m" 3)" keep; then
			ko "c2-mutation/$name" "the change no longer applies to $file"
			continue
		fi
		# its expectation, and the real bugs listed for the file, moved with it
		want_of[$name]=$( { expect "$file" "$copy/$file" "$(field "$m" 4)"
				    listed_in_copy "$file" "$copy/$file" tests/kernel/expected-6.1.txt; } |
				  grep . | sort -u)
		objs="$objs ${file%.c}.o"
		names="$names $name"
	done <<<"${rounds[$r]}"
	# shellcheck disable=SC2086
	MMLOCK_DB=$scratch/round$r.db make -C "$copy" -j"$jobs" C=2 CHECK="$CHECK" $objs \
		>"$scratch/round$r.log" 2>&1
	rc=$?
	recompiled=$(grep -E '^  CC ' "$scratch/round$r.log" | awk '{print $2}' | tr '\n' ' ')
	for name in $names; do
		file=$(echo "$mutations" | grep -F "$name ;; " | head -1 | awk -F ' ;; ' '{print $2}')
		want=${want_of[$name]}
		got=$(plugin_findings <"$scratch/round$r.log" | grep "^$file:" || true)
		if [ $rc -ne 0 ] || [ -n "$recompiled" ]; then
			ko "c2-mutation/$name" "make exit $rc, recompiled [$recompiled]"
		elif [ "${want:0:1}" = "!" ]; then
			ko "c2-mutation/$name" "${want:1}"
		elif [ "$got" != "$want" ]; then
			ko "c2-mutation/$name" "want [$(echo $want)] got [$(echo $got)]"
		else
			ok "c2-mutation/$name ($(echo "$want" | grep -c .) findings)"
		fi
	done
	[ $r -eq 0 ] && round0_files=$(echo "$objs" | tr ' ' '\n' | grep . | sed 's/\.o$/.c/')
	restore
done

# 5. make KCFLAGS=-fplugin=... (the plugin storing its findings itself) on a
#    tree with round 0's changes: the findings of make C=2 on the same sources.
#    A change may leave a variable unused, which kbuild's -Werror would stop.
while IFS= read -r m; do
	[ -n "$m" ] && mutate_in "$kcopy" k "$(field "$m" 2)" "$(field "$m" 3)" ""
done <<<"${rounds[0]}"
kdb=$scratch/kcflags.db
t0=$(date +%s)
MMLOCK_RUN_KEY=kcflags-$$ make -C "$kcopy" -j"$jobs" \
	KCFLAGS="-fplugin=$P -fplugin-arg-mmlock_plugin-db=$kdb -Wno-error=unused-variable" mm/ >"$scratch/kcflags.log" 2>&1
rc=$?
k_secs=$(secs $t0)
restore
cols="rule, file, line, col, message, fingerprint"
notin=$(echo "$round0_files" | sed "s/.*/'&'/" | paste -sd,)
c2set=$( (sql "$db" "SELECT $cols FROM findings WHERE engine = 'gcc-plugin' AND file NOT IN ($notin)"
	  sql "$scratch/round0.db" "SELECT $cols FROM findings WHERE engine = 'gcc-plugin'") | sort -u)
kset=$(sql "$kdb" "SELECT $cols FROM findings" | sort -u)
kprinted=$(plugin_findings <"$scratch/kcflags.log")
c2printed=$( (plugin_findings <"$scratch/c2.log" | grep -vF "$(echo "$round0_files" | sed 's/$/:/')"
	      plugin_findings <"$scratch/round0.log") | grep . | sort -u)
kcompiled=$(grep -cE '^  CC      mm/' "$scratch/kcflags.log")
if [ $rc -ne 0 ]; then
	ko kcflags/same-as-c2 "make exit $rc: $(grep -m3 'rror' "$scratch/kcflags.log" | tr '\n' ' ')"
elif [ "$kcompiled" -ne "$nunits" ]; then
	ko kcflags/same-as-c2 "compiled $kcompiled of $nunits units"
elif [ -z "$kset" ] || [ "$kset" != "$c2set" ] || [ "$kprinted" != "$c2printed" ]; then
	ko kcflags/same-as-c2 "stored: $(diff <(echo "$c2set") <(echo "$kset") | grep '^[<>]' | head -4 | tr '\n' ' ') printed: $(diff <(echo "$c2printed") <(echo "$kprinted") | grep '^[<>]' | head -3 | tr '\n' ' ')"
else
	ok "kcflags/same-as-c2 ($nunits units compiled, $(echo "$kset" | wc -l) findings, same fingerprints; ${k_secs}s)"
fi
finish
