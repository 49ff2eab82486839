#!/bin/bash
# Tests of the Coccinelle engine's command, "mmlock cocci", and of the
# .cocci files as the kernel runs them.  What each rule reports on its
# cases is tests/rules/run.sh's (every case of tests/rules/<rule>/ through
# both engines); here: one run over all those cases (exit status, nothing
# unparsed, the common format), exit codes, "not analysed", --rules,
# MMLOCK_COCCI_DIR, the pre-filters, --files-from, the kernel version
# switch; the .cocci files in the kernel's other modes (patch, org,
# context); and, when the cached 6.1 tree is there, bugs of HISTORY.md
# re-created in its source (tests/cocci/kernel/*.patch) and the kernel's own
# "make coccicheck".  Prints "PASS name", "FAIL name: why" or "SKIP name:
# why" per test.
cd "$(dirname "$0")/../.." || exit 2
MMLOCK=build/mmlock
T=tests/cocci
R=tests/rules
TMP=$(mktemp -d /tmp/mmlock-cocci-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
TREE=${MMLOCK_TREE:-$HOME/.cache/mmlock/linux-6.1}
RULE_DIRS=$(ls -d $R/*/ | grep -v "/include/$" | sed 's,/$,,')
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

if ! command -v spatch >/dev/null; then
	echo "SKIP cocci: spatch not installed (scripts/install-deps.sh)"
	exit 0
fi

# expected "LINE RULE" pairs of a test file ("mmlock-warn: RULE ...", as in
# tests/rules)
expected() {
	grep -n "mmlock-warn\(\[[a-z, ]*\]\)\?:" "$1" |
		sed -E 's/^([0-9]+):.*mmlock-warn(\[[a-z, ]*\])?: *([a-z-]+).*/\1 \3/' | sort -u
}

# "LINE RULE" pairs reported for a file, from mmlock cocci's stdout
actual() {
	grep -E "^$1:[0-9]+:[0-9]+: warning: " "$2" |
		sed -E 's/^[^:]+:([0-9]+):[0-9]+: warning: .*\[mmlock:([a-z-]+)\]$/\1 \2/' |
		sort -u
}

# ---- every rule over the rule corpora, in one run ----
$MMLOCK cocci -j 2 $RULE_DIRS > "$TMP/all.out" 2> "$TMP/all.err"
rc=$?
if [ $rc -ne 1 ]; then
	fail cocci/run "mmlock cocci exited $rc (expected 1): $(head -2 "$TMP/all.err")"
else
	pass cocci/run
fi
if grep -q "not analysed" "$TMP/all.err"; then
	fail cocci/all-parsed "$(grep "not analysed" "$TMP/all.err" | head -1)"
else
	pass cocci/all-parsed
fi
bad=$(grep -vE '^[^ :]+:[0-9]+:[0-9]+: (warning: .* \[mmlock:[a-z-]+\]|note: .+)$' "$TMP/all.out" | head -1)
if [ -n "$bad" ]; then
	fail cocci/format "not in the common format: $bad"
else
	pass cocci/format
fi
for c in cocci/*.cocci; do
	rule=$(basename $c .cocci)
	[ -d $R/$rule ] || fail "cocci/$rule" "cocci/$rule.cocci has no folder $R/$rule"
done

# ---- the command ----
out=$($MMLOCK cocci $T/driver/clean.c 2>&1); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] && pass cocci/exit-clean || fail cocci/exit-clean "exit $rc, output: $out"

$MMLOCK cocci $T/driver/unparsable.c > "$TMP/u.out" 2> "$TMP/u.err"; rc=$?
exp=$(expected $T/driver/unparsable.c)
act=$(actual $T/driver/unparsable.c "$TMP/u.out")
[ $rc -eq 1 ] && [ "$exp" == "$act" ] && pass cocci/exit-findings ||
	fail cocci/exit-findings "exit $rc, findings: $act"
if grep -qx "$T/driver/unparsable.c: not analysed: lines 16-22 (parse error at line 21)" "$TMP/u.err"; then
	pass cocci/not-analysed
else
	fail cocci/not-analysed "stderr: $(head -3 "$TMP/u.err" | tr '\n' ';')"
fi

out=$($MMLOCK cocci $T/driver/no-such-file.c 2>&1); rc=$?
[ $rc -eq 2 ] && [ $(echo "$out" | wc -l) -eq 1 ] && echo "$out" | grep -q "no-such-file.c" &&
	pass cocci/exit-missing-input || fail cocci/exit-missing-input "exit $rc: $out"
out=$($MMLOCK cocci --rules no-such-rule $T/driver/clean.c 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "no-such-rule" &&
	pass cocci/exit-unknown-rule || fail cocci/exit-unknown-rule "exit $rc: $out"
out=$($MMLOCK cocci --bogus $T/driver/clean.c 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q -- "--bogus" &&
	pass cocci/exit-usage || fail cocci/exit-usage "exit $rc: $out"
out=$($MMLOCK cocci 2>&1); rc=$?
[ $rc -eq 2 ] && pass cocci/exit-no-input || fail cocci/exit-no-input "exit $rc: $out"

$MMLOCK cocci --rules stale-vma,weak-revalidate $R/stale-vma/seed004_swapin.c > "$TMP/r.out" 2>&1
act=$(actual $R/stale-vma/seed004_swapin.c "$TMP/r.out" | awk '{print $2}' | sort -u | tr '\n' ' ')
[ "$act" == "stale-vma weak-revalidate " ] && pass cocci/rules-option ||
	fail cocci/rules-option "rules reported: $act"

mkdir -p "$TMP/rules"
cp cocci/stale-pgtable.cocci cocci/mmlock_cocci.py "$TMP/rules/"
MMLOCK_COCCI_DIR=$TMP/rules $MMLOCK cocci $R/stale-vma/seed004_swapin.c > "$TMP/d.out" 2>&1
act=$(actual $R/stale-vma/seed004_swapin.c "$TMP/d.out" | awk '{print $2}' | sort -u | tr '\n' ' ')
[ "$act" == "stale-pgtable " ] && pass cocci/cocci-dir-env || fail cocci/cocci-dir-env "rules reported: $act"
# the .cocci files import cocci/mmlock_cocci.py from their own directory:
# without it a rule is not analysed, loudly
mkdir -p "$TMP/nohelper"
cp cocci/stale-pgtable.cocci "$TMP/nohelper/"
out=$(MMLOCK_COCCI_DIR=$TMP/nohelper $MMLOCK cocci $R/stale-vma/seed004_swapin.c 2>&1)
echo "$out" | grep -q "seed004_swapin.c: not analysed by stale-pgtable: .*Python" &&
	! echo "$out" | grep -q "warning:" && pass cocci/cocci-dir-no-helper ||
	fail cocci/cocci-dir-no-helper "$(echo "$out" | head -2 | tr '\n' ' ')"
out=$(MMLOCK_COCCI_DIR=$TMP/none $MMLOCK cocci $T/driver/clean.c 2>&1); rc=$?
[ $rc -eq 2 ] && echo "$out" | grep -q "$TMP/none" && pass cocci/cocci-dir-missing ||
	fail cocci/cocci-dir-missing "exit $rc: $out"

# an input that cannot be read is a "not analysed" line and exit 2, named
# on the command line or found in a directory (root reads anything: the
# check runs as nobody then)
as_user() { "$@"; }
[ "$(id -u)" -eq 0 ] && as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv >/dev/null; then
	echo "SKIP cocci/unreadable-input: running as root and no setpriv to drop to nobody"
else
	U=$TMP/unreadable && mkdir -p "$U/dir/closed" && chmod 711 "$TMP" && chmod 755 "$U" "$U/dir"
	cp $T/driver/clean.c "$U/secret.c" && cp $T/driver/clean.c "$U/dir/ok.c" &&
		cp $T/driver/clean.c "$U/dir/secret.c" && chmod 000 "$U/secret.c" "$U/dir/secret.c" "$U/dir/closed"
	out=$(as_user $MMLOCK cocci --stats --rules pte-lock "$U/secret.c" $T/driver/clean.c 2>&1); rc=$?
	[ $rc -eq 2 ] && echo "$out" | grep -q "^$U/secret.c: not analysed: Permission denied$" &&
		echo "$out" | grep -q " 1 file(s) not (fully) analysed" && pass cocci/unreadable-file-named ||
		fail cocci/unreadable-file-named "exit $rc: $(echo "$out" | tr '\n' '|')"
	out=$(as_user $MMLOCK cocci --rules pte-lock "$U/dir" 2>&1); rc=$?
	[ $rc -eq 2 ] && echo "$out" | grep -q "^$U/dir/secret.c: not analysed: Permission denied$" &&
		echo "$out" | grep -q "^$U/dir/closed: not analysed: Permission denied$" &&
		pass cocci/unreadable-in-directory || fail cocci/unreadable-in-directory "exit $rc: $(echo "$out" | tr '\n' '|')"
	chmod 700 "$TMP" "$U/dir/closed"
fi

# the pre-filters must not change what is found
for how in none scan git; do
	$MMLOCK cocci -j 2 --prefilter $how $RULE_DIRS > "$TMP/p.$how" 2>/dev/null
	if cmp -s "$TMP/all.out" "$TMP/p.$how"; then
		pass "cocci/prefilter-$how"
	else
		fail "cocci/prefilter-$how" "$(diff "$TMP/all.out" "$TMP/p.$how" | head -3 | tr '\n' ';')"
	fi
done
ls $R/rmap-lock-retract/*.c > "$TMP/list"
$MMLOCK cocci --files-from "$TMP/list" > "$TMP/l.out" 2>/dev/null
grep "^$R/rmap-lock-retract/.*\[mmlock:rmap-lock-retract\]$" "$TMP/all.out" > "$TMP/l.exp"
grep "\[mmlock:rmap-lock-retract\]$" "$TMP/l.out" > "$TMP/l.act"
cmp -s "$TMP/l.exp" "$TMP/l.act" && pass cocci/files-from || fail cocci/files-from "$(diff "$TMP/l.exp" "$TMP/l.act" | head -2 | tr '\n' ';')"

# pte-map-null turns on by itself in a 6.5+ tree
mkdir -p "$TMP/k66/mm"
printf 'VERSION = 6\nPATCHLEVEL = 6\nSUBLEVEL = 0\n' > "$TMP/k66/Makefile"
cp $R/pte-map-null/oldapi.c "$TMP/k66/mm/"
$MMLOCK cocci --rules pte-map-null "$TMP/k66/mm" > "$TMP/k.out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "oldapi.c:.*\[mmlock:pte-map-null\]" "$TMP/k.out" &&
	pass cocci/kernel-version || fail cocci/kernel-version "exit $rc: $(head -2 "$TMP/k.out")"
# ... and so does vma-write (silent on the same file outside such a tree)
cp $R/vma-write/before64.c "$TMP/k66/mm/"
store=$(grep -n 'vma->vm_policy = new;' $R/vma-write/before64.c | cut -d: -f1)
$MMLOCK cocci --rules vma-write "$TMP/k66/mm" > "$TMP/k.out" 2>&1; rc=$?
[ $rc -eq 1 ] && grep -q "before64.c:$store:.*\[mmlock:vma-write\]" "$TMP/k.out" &&
	pass cocci/kernel-version-vma-write || fail cocci/kernel-version-vma-write "exit $rc: $(head -2 "$TMP/k.out")"

# ---- the .cocci files in the kernel's modes ----
# each over the cases that expect it to warn (spatch's own runs, no
# pre-filter: the cases of a rule's folder alone would take minutes)
for c in cocci/*.cocci; do
	rule=$(basename $c .cocci)
	# one group per file, as mmlock cocci runs them: files given together
	# are one group to spatch, matched across each other
	grep -lE "mmlock-warn(\[[a-z, ]*cocci[a-z, ]*\])?: $rule " $R/*/*.c | xargs grep -L "mmlock-engines:" |
		sed '1!s/^/\n/' > "$TMP/groups"
	why=""
	for mode in report org context; do
		spatch -D $mode --no-show-diff --no-includes --include-headers \
			--sp-file $c --file-groups "$TMP/groups" > "$TMP/m.out" 2> "$TMP/m.err" ||
			why="$why $mode exits $?;"
		[ $mode == context ] && spatch -D context --no-includes --include-headers \
			--sp-file $c --file-groups "$TMP/groups" > "$TMP/m.out" 2>/dev/null
		grep -q "." "$TMP/m.out" || why="$why no $mode output;"
	done
	[ -z "$why" ] && pass "cocci/modes-$rule" || fail "cocci/modes-$rule" "$why"
done

# patch mode: the missing anon_vma lock is added, and then all is quiet
cp $R/rmap-lock-retract/seed003.c "$TMP/fix.c"
spatch -D patch --no-includes --include-headers --in-place \
	--sp-file cocci/rmap-lock-retract.cocci "$TMP/fix.c" > /dev/null 2>&1
if grep -q "^	if (vma->anon_vma)$" "$TMP/fix.c" &&
   ! $MMLOCK cocci --rules rmap-lock-retract "$TMP/fix.c" 2>/dev/null | grep -q "anon_vma lock while"; then
	pass cocci/patch-mode
else
	fail cocci/patch-mode "the patched file still warns, or was not patched"
fi

# ---- bugs of HISTORY.md re-created in the 6.1 source, when it is there ----
# tests/cocci/kernel/*.patch: "# file:" the file, "# expect: RULE LINE..."
# what the rule must report on the patched copy; the original is silent.
if [ -d "$TREE/mm" ] && command -v patch >/dev/null; then
	for p in $T/kernel/*.patch; do
		name=cocci/kernel/$(basename $p .patch)
		file=$(sed -n 's/^# file: //p' $p)
		set -- $(sed -n 's/^# expect: //p' $p)
		rule=$1
		shift
		exp=$(echo "$@" | tr ' ' '\n' | grep . | sort -n | tr '\n' ' ')
		mkdir -p "$TMP/k/$(dirname $file)"
		cp "$TREE/$file" "$TMP/k/$file"
		before=$(cd "$TMP/k" && $OLDPWD/$MMLOCK cocci --rules $rule $file 2>/dev/null | grep -c ": warning: ")
		if ! patch -s "$TMP/k/$file" < $p; then
			fail $name "the patch does not apply to $TREE/$file"
			continue
		fi
		act=$(cd "$TMP/k" && $OLDPWD/$MMLOCK cocci --rules $rule $file 2>/dev/null |
			grep ": warning: .*\[mmlock:$rule\]" | cut -d: -f2 | sort -un | tr '\n' ' ')
		if [ "$before" -ne 0 ]; then
			fail $name "$rule already warns on the original $file"
		elif [ "$act" != "$exp" ]; then
			fail $name "expected $rule at lines $exp, got: $act"
		else
			pass "$name ($rule at $exp)"
		fi
	done
fi

# ---- the kernel's own coccicheck, when the tree is there ----
# Each rule over a copy of its own test files, as an external module dir:
# coccicheck must find what mmlock cocci finds.  J=1: nothing is written
# into the tree.
if [ -f "$TREE/scripts/coccicheck" ] && command -v make >/dev/null; then
	why=""
	for c in cocci/*.cocci; do
		rule=$(basename $c .cocci)
		mkdir -p "$TMP/ext/$rule"
		cp $R/$rule/*.c "$TMP/ext/$rule/"
		make -s -C "$TREE" coccicheck MODE=report COCCI=$PWD/$c M="$TMP/ext/$rule" J=1 \
			> "$TMP/cc.out" 2>&1 || why="$why $rule: make exits $?;"
		n=$(grep -c "\[mmlock:$rule\]" "$TMP/cc.out")
		m=$($MMLOCK cocci --rules $rule "$TMP/ext/$rule" 2>/dev/null | grep -c "\[mmlock:$rule\]")
		[ "$n" -gt 0 ] && [ "$n" -eq "$m" ] || why="$why $rule: coccicheck $n, mmlock cocci $m;"
	done
	[ -z "$why" ] && pass cocci/coccicheck || fail cocci/coccicheck "$why"
fi
exit 0
