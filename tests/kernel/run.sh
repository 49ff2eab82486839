#!/bin/bash
# Real-kernel tests on one of Debian's kernels, 6.1 or 6.12 (the argument;
# prepared in a cache outside the clone by scripts/prepare-kernel.sh):
#  - every file of mm/ (the ten of the noise benchmark among them),
#    unmodified, with kbuild's exact command: findings must equal
#    tests/kernel/expected-V.txt (real bugs) plus known-fp-V.txt (false
#    positives not yet removed, each with its class), so that any new
#    finding and any one that went away fails;
#  - mmlock cocci over the same mm/, fs/proc/ and arch/x86/mm/: only what
#    expected-V.txt and expected-cocci-V.txt list;
#  - the plugin leaves the generated object code unchanged;
#  - every case of tests/kernel/mutations-V.txt, on a scratch copy;
#  - every case of tests/kernel/cocci-mutations-V.txt: mmlock cocci on a
#    scratch copy.
# Prints PASS/FAIL lines and "N passed, N failed".
# MMLOCK_SNAPSHOT=DIR: also keep every plugin warning and note of the noise
# and mutation runs, message text included, in DIR/V/ (one file per case),
# to compare two builds' output whole (scripts/plugin-snapshot.sh).
set -u
kernel=${1:-6.12}
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
tree=$(scripts/prepare-kernel.sh --kernel "$kernel" | tail -1) ||
	{ echo "FAIL kernel-$kernel/prepare: could not prepare the tree"; exit 1; }
scratch=$(mktemp -d /tmp/mmlock-kernel.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
. tests/kernel/expect.sh
pass=0 fail=0
ok() { echo "PASS ${1/kernel\//kernel-$kernel/}"; pass=$((pass + 1)); }
ko() { echo "FAIL ${1/kernel\//kernel-$kernel/}: $2"; fail=$((fail + 1)); }

# findings as "FILE:LINE rule", FILE without the scratch prefix
findings() {
	grep -E ': warning: .* \[mmlock:[a-z-]+\]$' |
		sed -E "s#^$scratch/##; s#^([^:]+):([0-9]+):[0-9]+: warning: .*\[mmlock:([a-z-]+)\]\$#\1:\2 \3#" | sort -u
}

# every file of mm/ kbuild builds in this configuration (71 in 6.1 defconfig+mm),
# and the two units outside mm/ that prepare-kernel builds: the x86 fault
# handler (the per-VMA lock) and fs/proc's page walkers (pte-read)
files=$( (cd "$tree" && ls mm/.*.o.cmd | sed -E 's#mm/\.(.*)\.o\.cmd#mm/\1#';
	  echo arch/x86/mm/fault; echo fs/proc/task_mmu) |
	while read -r f; do [ -f "$tree/$f.c" ] && [ -f "$tree/$(dirname "$f")/.$(basename "$f").o.cmd" ] && echo "$f"; done)
# the plugin's warnings and notes of case $1, kept under $MMLOCK_SNAPSHOT
keep() {
	[ -n "${MMLOCK_SNAPSHOT:-}" ] || return 0
	mkdir -p "$MMLOCK_SNAPSHOT/$kernel"
	grep -E ': (warning|note): ' | grep -v 'stats=' | sed "s#$scratch/##g" \
		> "$MMLOCK_SNAPSHOT/$kernel/${1//\//_}.txt"
}

expected=$(entries tests/kernel/expected-$kernel.txt tests/kernel/known-fp-$kernel.txt)
for unit in $files; do
	f=${unit#mm/}
	out=$(scripts/kbuild-analyse.sh "$tree" "$unit.c" 2>&1)
	rc=$?
	if [ $rc -ne 0 ] || echo "$out" | grep -q "internal error\|not analysed"; then
		ko "kernel/noise/$f" "gcc exit $rc: $(echo "$out" | grep -m1 'error\|not analysed')"
		continue
	fi
	echo "$out" | keep "noise/$f"
	got=$(echo "$out" | findings)
	want=$(echo "$expected" | grep "^$unit.c:" || true)
	if [ "$got" == "$want" ]; then
		ok "kernel/noise/$f ($(echo "$got" | grep -c .) findings, as expected)"
	else
		ko "kernel/noise/$f" "findings differ from expected-$kernel.txt + known-fp-$kernel.txt: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	fi
done

# Coccinelle over the same mm/, fs/proc/ and arch/x86/mm/: only the real
# bugs expected-V.txt and expected-cocci-V.txt list (the second: those
# outside the mm/ the plugin's test covers)
cocci_dirs="mm/ fs/proc/ arch/x86/mm/"
have_cocci=0
build/mmlock cocci --list-rules >/dev/null 2>&1 && have_cocci=1
if [ $have_cocci -eq 1 ]; then
	out=$(cd "$tree" && "$here/build/mmlock" cocci -j 2 $cocci_dirs 2>/dev/null)
	got=$(echo "$out" | findings)
	want=$(entries tests/kernel/expected-$kernel.txt tests/kernel/expected-cocci-$kernel.txt)
	if [ "$got" == "$want" ]; then
		ok "kernel/cocci-noise ($(echo "$got" | grep -c .) findings in $cocci_dirs, as expected)"
	else
		ko "kernel/cocci-noise" "mmlock cocci $cocci_dirs: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | tr '\n' ' ')"
	fi
else
	echo "SKIP kernel-$kernel/cocci-noise: mmlock cocci is not built in (no spatch)"
fi

# the plugin never changes the generated code
cmd=$(scripts/kbuild-cmd.sh "$tree" mm/khugepaged.c)
cmd=${cmd/-Wp,-MMD,mm\/.khugepaged.o.d/}
(cd "$tree" && eval "${cmd/-o mm\/khugepaged.o/-o $scratch/plain.o}" &&
	eval "${cmd/-o mm\/khugepaged.o/-o $scratch/plugin.o} -fplugin=$here/build/mmlock_plugin.so") >/dev/null 2>&1
if [ -s "$scratch/plain.o" ] && cmp -s "$scratch/plain.o" "$scratch/plugin.o"; then
	ok "kernel/same-object-code/khugepaged"
else
	ko "kernel/same-object-code/khugepaged" "objects differ or did not build"
fi

# One case of a mutations list, "NAME ;; FILE ;; SUBST ;; EXPECT": sets
# name, file, copy (under DIR) and want (the expectation's findings);
# returns 1 after reporting (as kernel/PREFIXNAME) a case that cannot be set up
mutation_case() {
	local line=$1 dir=$2 prefix=${3:-} subst expectation
	name=$(echo "$line" | awk -F ' ;; ' '{print $1}')
	file=$(echo "$line" | awk -F ' ;; ' '{print $2}')
	subst=$(echo "$line" | awk -F ' ;; ' '{print $3}')
	expectation=$(echo "$line" | awk -F ' ;; ' '{print $4}')
	copy=$dir/$file
	if ! tests/kernel/mutate.sh "$tree" "$file" "$subst" "$copy"; then
		ko "kernel/$prefix$name" "the change no longer applies to $file"
		return 1
	fi
	want=$(expect "$file" "$copy" "$expectation")
	if [ "${want:0:1}" = "!" ]; then
		ko "kernel/$prefix$name" "${want:1}"
		return 1
	fi
}

# mutations
while IFS= read -r line; do
	case "$line" in ''|'#'*) continue ;; esac
	mutation_case "$line" "$scratch" || continue
	want=$( { echo -n "$want"; echo; listed_in_copy "$file" "$copy" \
		tests/kernel/expected-$kernel.txt tests/kernel/known-fp-$kernel.txt; } | grep . | sort -u)
	out=$(scripts/kbuild-analyse.sh "$tree" "$file" "$copy" 2>&1)
	echo "$out" | keep "mutation/$name"
	got=$(echo "$out" | findings)
	if [ "$got" == "$want" ]; then
		ok "kernel/$name"
	else
		ko "kernel/$name" "want [$(echo $want)] got [$(echo $got)]"
	fi
done < tests/kernel/mutations-$kernel.txt

# Coccinelle mutations: the case's rule (the first part of its name) on
# the changed file, in a scratch tree with the kernel's Makefile (its
# version turns the 6.5+ rules on)
if [ $have_cocci -eq 1 ] && [ -f tests/kernel/cocci-mutations-$kernel.txt ]; then
	ctree=$scratch/cocci
	mkdir -p "$ctree"
	cp "$tree/Makefile" "$ctree/Makefile"
	while IFS= read -r line; do
		case "$line" in ''|'#'*) continue ;; esac
		mutation_case "$line" "$ctree" cocci/ || { rm -f "$copy"; continue; }
		rule=${name%%/*}
		name=cocci/$name
		want=$( { echo -n "$want"; echo; listed_in_copy "$file" "$copy" \
			tests/kernel/expected-$kernel.txt tests/kernel/expected-cocci-$kernel.txt |
			grep " $rule\$"; } | grep . | sort -u)
		got=$(cd "$ctree" && "$here/build/mmlock" cocci --rules "$rule" "$file" 2>/dev/null |
			sed -E "s#^$ctree/##" | findings)
		rm -f "$copy"
		if [ "$got" == "$want" ]; then
			ok "kernel/$name"
		else
			ko "kernel/$name" "want [$(echo $want)] got [$(echo $got)]"
		fi
	done < tests/kernel/cocci-mutations-$kernel.txt
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
