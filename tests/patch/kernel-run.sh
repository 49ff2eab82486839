#!/bin/bash
# Real-kernel tests of "mmlock patch" (make check-kernel): patches made at
# test time against Debian's linux-source-6.1 (the prepared tree,
# scripts/prepare-kernel.sh; read only: the changed files are scratch
# copies, and the patches diffs of them).
#
# The bug: madvise_dontneed_free() (mm/madvise.c) looks its vma up again
# after userfaultfd_remove() dropped mmap_lock and it re-took it; the
# patch removes that find_vma(), so the old vma is used (the stale vma of
# 70ccb92fdd90).  Checked: the patch is reported as introducing stale-vma
# at the use, exit 1, by Coccinelle and (rules enabled) by the plugin
# with kbuild's command; the reverse patch as fixing it, exit 0; a patch
# of comments only, exit 0; a patch that does not apply, exit 2 naming
# the hunk.  Prints "PASS name" / "FAIL name: why"; exits 1 on a failure.
cd "$(dirname "$0")/../.." || exit 2
export MMLOCK_KERNEL=6.1	# the expectations here are 6.1's
MMLOCK=$PWD/build/mmlock
TREE=${MMLOCK_TREE:-$(scripts/prepare-kernel.sh | tail -1)}
TMP=$(mktemp -d /tmp/mmlock-patch-kernel.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export MMLOCK_DB=
failed=0
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; failed=1; }

if [ ! -f "$TREE/.config" ] || [ ! -f "$TREE/mm/.madvise.o.cmd" ]; then
	fail patch-kernel/tree "no prepared kernel tree at $TREE (scripts/prepare-kernel.sh)"
	exit 1
fi
F=mm/madvise.c
mkdir -p "$TMP/orig/mm" "$TMP/stale/mm" "$TMP/comments/mm"
cp "$TREE/$F" "$TMP/orig/$F"
# the mutation: the re-lookup after userfaultfd_remove() removed
perl -0777 -pe 's/(\tif \(!userfaultfd_remove\(vma, start, end\)\) \{\n.*?\t\tmmap_read_lock\(mm\);\n)\t\tvma = find_vma\(mm, start\);\n\t\tif \(!vma\)\n\t\t\treturn -ENOMEM;\n/$1/s or exit 3' \
	"$TMP/orig/$F" > "$TMP/stale/$F" || { fail patch-kernel/mutate "the 6.1 code is not as expected"; exit 1; }
perl -0777 -pe 's/This "vma" under revalidation is the one/The "vma" being revalidated here is the one/ or exit 3' \
	"$TMP/orig/$F" > "$TMP/comments/$F" || { fail patch-kernel/mutate "no comment to change"; exit 1; }
mkpatch() {	# OLD NEW: a -p1 diff of $F
	diff -u "$1/$F" "$2/$F" | sed "1s#^--- [^\t]*#--- a/$F#; 2s#^+++ [^\t]*#+++ b/$F#"
}
mkpatch "$TMP/orig" "$TMP/stale" > "$TMP/stale.patch"
mkpatch "$TMP/stale" "$TMP/orig" > "$TMP/fix.patch"
mkpatch "$TMP/orig" "$TMP/comments" > "$TMP/comments.patch"
# the use of the stale vma: the first line after the re-taken lock
use=$(awk '/if \(!userfaultfd_remove\(vma, start, end\)\)/ { s = 1 } s && /if \(start < vma->vm_start\)/ { print NR; exit }' "$TMP/stale/$F")

# run NAME ARGS...: mmlock patch; $rc, $TMP/NAME.out, $TMP/NAME.err, $secs
run() {
	local name=$1 t0
	shift
	t0=$(date +%s.%N)
	"$MMLOCK" patch "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
	rc=$?
	secs=$(echo "$(date +%s.%N) - $t0" | bc | sed 's/^\./0./; s/\(\.[0-9]\)[0-9]*/\1/')
}
# section NAME introduced|fixed: "RULE@LINE" lines
section() {
	awk -v want="$2" '
		/^introduced by the patch/ { s = "introduced"; next }
		/^fixed by the patch/ { s = "fixed"; next }
		/^mmlock patch:/ { s = "" }
		s == want && /: warning: / { split($0, p, ":"); r = $0; sub(/.*\[mmlock:/, "", r); sub(/\].*/, "", r); print r "@" p[2] }
	' "$TMP/$1.out"
}
plugin_ran() { grep -q "^  engines: Coccinelle; plugin: 1 file(s), with " "$TMP/$1.out"; }

run introduced --tree "$TREE" "$TMP/stale.patch"
if [ $rc -eq 1 ] && section introduced introduced | grep -qx "stale-vma@$use" && plugin_ran introduced &&
   grep -q "^  $F: madvise_dontneed_free$" "$TMP/introduced.out"; then
	pass "patch-kernel/stale-vma-introduced (exit 1, stale-vma@$use, Coccinelle + plugin, ${secs}s)"
else
	fail patch-kernel/stale-vma-introduced "exit $rc, use at $use: $(tr '\n' '|' < "$TMP/introduced.out") $(cat "$TMP/introduced.err")"
fi

# the plugin alone, with the R2 rule enabled as a user would (rules/mm.rules
# may still have it off by default)
run plugin --tree "$TREE" --no-cocci --plugin-arg enable=stale-vma "$TMP/stale.patch"
if [ $rc -eq 1 ] && section plugin introduced | grep -qx "stale-vma@$use"; then
	pass "patch-kernel/plugin-stale-vma (exit 1, stale-vma@$use with kbuild's command, ${secs}s)"
else
	fail patch-kernel/plugin-stale-vma "exit $rc: $(tr '\n' '|' < "$TMP/plugin.out") $(cat "$TMP/plugin.err")"
fi

# the reverse patch, on a tree that has the bug (the plugin still with the
# prepared tree's commands)
run fixed --tree "$TMP/stale" --kbuild "$TREE" "$TMP/fix.patch"
if [ $rc -eq 0 ] && section fixed fixed | grep -qx "stale-vma@$use" && [ -z "$(section fixed introduced)" ] &&
   plugin_ran fixed; then
	pass "patch-kernel/stale-vma-fixed (exit 0, fixed stale-vma@$use, ${secs}s)"
else
	fail patch-kernel/stale-vma-fixed "exit $rc: $(tr '\n' '|' < "$TMP/fixed.out") $(cat "$TMP/fixed.err")"
fi

run comments --tree "$TREE" "$TMP/comments.patch"
if [ $rc -eq 0 ] && grep -q "^mmlock patch: 0 introduced, 0 fixed" "$TMP/comments.out" && plugin_ran comments; then
	pass "patch-kernel/comments-only (exit 0, ${secs}s)"
else
	fail patch-kernel/comments-only "exit $rc: $(tr '\n' '|' < "$TMP/comments.out") $(cat "$TMP/comments.err")"
fi

run not-applying --tree "$TREE" "$TMP/fix.patch"
hunk=$(grep -m1 '^@@' "$TMP/fix.patch")
if [ $rc -eq 2 ] && grep -qF "$F: hunk 1 ($hunk) does not apply" "$TMP/not-applying.err"; then
	pass "patch-kernel/not-applying (exit 2, $hunk)"
else
	fail patch-kernel/not-applying "exit $rc: $(cat "$TMP/not-applying.err")"
fi

# the tree was only read
cmp -s "$TREE/$F" "$TMP/orig/$F" && pass patch-kernel/tree-untouched || fail patch-kernel/tree-untouched "$F changed"
exit $failed
