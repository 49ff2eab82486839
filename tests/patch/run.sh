#!/bin/bash
# Tests of "mmlock patch" and "mmlock install-hook" that need no kernel
# tree: small kernel-like C files (written here, at test time), the seed
# threads of ../shared/seeds applied to fixtures that rebuild the functions
# they touched as they were (tests/patch/seed004, seed003), mboxes, git
# format-patch files, a git repository with the pre-commit hook.  Every
# check names the rule, the line and the exit status it expects.
# Prints "PASS name", "FAIL name: why" or "SKIP name: why" per test.
cd "$(dirname "$0")/../.." || exit 2
ROOT=$PWD
MMLOCK=$ROOT/build/mmlock
T=$ROOT/tests/patch
# the seed threads live beside the clone (../shared/seeds); a clone elsewhere
# finds them through MMLOCK_SEEDS or the workplace's /work/shared/seeds
SEEDS=${MMLOCK_SEEDS:-$ROOT/../shared/seeds}
[ -d "$SEEDS" ] || SEEDS=/work/shared/seeds
TMP=$(mktemp -d /tmp/mmlock-patch-test.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
export MMLOCK_DB= GIT_CONFIG_NOSYSTEM=1 HOME=$TMP/home
mkdir -p "$HOME"
git config --global user.name mmlock-test
git config --global user.email test@mmlock.invalid
git config --global init.defaultBranch main
pass() { echo "PASS $1"; }
fail() { echo "FAIL $1: $2"; }

if ! command -v spatch >/dev/null; then
	echo "SKIP patch: spatch not installed (scripts/install-deps.sh): mmlock patch always runs Coccinelle"
	exit 0
fi

# run NAME [--in DIR] ARGS...: mmlock patch ARGS in DIR; output in $TMP/NAME.{out,err}, $rc
run() {
	local name=$1 dir=$PWD
	shift
	if [ "$1" = --in ]; then dir=$2; shift 2; fi
	(cd "$dir" && "$MMLOCK" patch "$@") > "$TMP/$name.out" 2> "$TMP/$name.err"
	rc=$?
}

# findings SECTION FILE: "RULE@LINE" of the section ("introduced"/"fixed") of an output
findings() {
	awk -v want="$1" '
		/^introduced by the patch/ { s = "introduced"; next }
		/^fixed by the patch/ { s = "fixed"; next }
		/^introduced, but marked/ { s = "marked"; next }
		/^mmlock patch:/ { s = "" }
		s == want && /: warning: / {
			split($0, p, ":"); r = $0; sub(/.*\[mmlock:/, "", r); sub(/\].*/, "", r)
			print r "@" p[2]
		}' "$2" | sort | tr '\n' ' ' | sed 's/ $//'
}

# expect NAME RC INTRODUCED FIXED: compare the last run
expect() {
	local name=$1 want_rc=$2 want_in=$3 want_fix=$4 got_in got_fix
	got_in=$(findings introduced "$TMP/$name.out")
	got_fix=$(findings fixed "$TMP/$name.out")
	if [ "$rc" != "$want_rc" ]; then
		fail "patch/$name" "exit $rc, expected $want_rc: $(head -c 300 "$TMP/$name.err")"
	elif [ "$got_in" != "$want_in" ]; then
		fail "patch/$name" "introduced '$got_in', expected '$want_in'"
	elif [ "$got_fix" != "$want_fix" ]; then
		fail "patch/$name" "fixed '$got_fix', expected '$want_fix'"
	else
		pass "patch/$name (exit $rc${want_in:+; introduced $want_in}${want_fix:+; fixed $want_fix})"
	fi
}

# ---- a small kernel-like tree: a function that re-looks up its vma ----
K=$TMP/tree
mkdir -p "$K/mm"
cat > "$K/mm/relock.c" <<'EOF'
/* drops mmap_lock to wait, then looks its vma up again */
static int wait_and_touch(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int ret;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		mmap_read_unlock(mm);
		return -EFAULT;
	}
	mmap_read_unlock(mm);
	ret = wait_for_something(addr);
	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma) {
		mmap_read_unlock(mm);
		return -EFAULT;
	}
	ret = touch_vma(vma->vm_start, ret);	/* the use */
	mmap_read_unlock(mm);
	return ret;
}
EOF
cp -r "$K" "$TMP/stale"
perl -0777 -i -pe 's/(wait_for_something\(addr\);\n\tmmap_read_lock\(mm\);\n)\tvma = vma_lookup\(mm, addr\);\n\tif \(!vma\) \{\n\t\tmmap_read_unlock\(mm\);\n\t\treturn -EFAULT;\n\t\}\n/$1/' "$TMP/stale/mm/relock.c"
mkpatch() {	# mkpatch OLD NEW REL > PATCH: a -p1 unified diff
	diff -u "$1/$3" "$2/$3" | sed "1s#^--- [^\t]*#--- a/$3#; 2s#^+++ [^\t]*#+++ b/$3#"
}
mkpatch "$K" "$TMP/stale" mm/relock.c > "$TMP/stale.patch"
mkpatch "$TMP/stale" "$K" mm/relock.c > "$TMP/fix.patch"
use_line=$(grep -n "/\* the use \*/" "$TMP/stale/mm/relock.c" | cut -d: -f1)

run stale-vma --in "$K" "$TMP/stale.patch"
expect stale-vma 1 "stale-vma@$use_line" ""
if grep -q "^  mm/relock.c: wait_and_touch$" "$TMP/stale-vma.out" &&
   grep -q "^mm/relock.c:13:2: note: mmap_lock dropped here" "$TMP/stale-vma.out" &&
   grep -q "^false positive? MMLOCK_DB=PATH .* db triage [0-9a-f]\{16\} false-positive --force$" "$TMP/stale-vma.out"; then
	pass "patch/output (touched function, path note, false-positive line)"
else
	fail patch/output "$(tr '\n' '|' < "$TMP/stale-vma.out")"
fi

run fixed --in "$TMP/stale" "$TMP/fix.patch"
expect fixed 0 "" "stale-vma@$use_line"

# --- comments only ---
cp -r "$K" "$TMP/comments"
sed -i 's#/\* the use \*/#/* the vma is fresh here */#; s#^/\* drops mmap_lock.*#/*\n * Waits with mmap_lock dropped.\n */#' "$TMP/comments/mm/relock.c"
mkpatch "$K" "$TMP/comments" mm/relock.c > "$TMP/comments.patch"
run comments --in "$K" "$TMP/comments.patch"
expect comments 0 "" ""
grep -q "^mmlock patch: 0 introduced, 0 fixed" "$TMP/comments.out" ||
	fail patch/comments-summary "$(tail -1 "$TMP/comments.out")"

# --- a finding that only moves is unchanged (fingerprints, not lines) ---
cp -r "$TMP/stale" "$TMP/moved"
perl -0777 -i -pe 's/^/\/* a header comment\n * of three lines\n *\/\n/' "$TMP/moved/mm/relock.c"
mkpatch "$TMP/stale" "$TMP/moved" mm/relock.c > "$TMP/moved.patch"
run moved --in "$TMP/stale" "$TMP/moved.patch"
expect moved 0 "" ""
grep -q "0 introduced, 0 fixed, 1 unchanged" "$TMP/moved.out" && pass patch/moved-unchanged ||
	fail patch/moved-unchanged "$(tail -1 "$TMP/moved.out")"

# --- a patch that does not apply: exit 2, the hunk named ---
run not-applying --in "$TMP/stale" "$TMP/stale.patch"
hunk=$(grep -m1 '^@@' "$TMP/stale.patch")
if [ $rc -eq 2 ] && [ "$(wc -l < "$TMP/not-applying.err")" -eq 1 ] &&
   grep -qF "mm/relock.c: hunk 1 ($hunk) does not apply" "$TMP/not-applying.err"; then
	pass "patch/not-applying (exit 2, $hunk)"
else
	fail patch/not-applying "exit $rc: $(cat "$TMP/not-applying.err")"
fi

# --- bad inputs: one line naming the input, exit 2 ---
echo "just some mail, no diff" > "$TMP/nodiff.txt"
run no-diff --in "$K" "$TMP/nodiff.txt"
[ $rc -eq 2 ] && grep -q "^mmlock patch: $TMP/nodiff.txt: no patch found" "$TMP/no-diff.err" &&
	[ "$(wc -l < "$TMP/no-diff.err")" -eq 1 ] && pass patch/no-diff ||
	fail patch/no-diff "exit $rc: $(cat "$TMP/no-diff.err")"
run missing --in "$K" "$TMP/no-such-file.patch"
[ $rc -eq 2 ] && grep -q "no-such-file.patch: No such file" "$TMP/missing.err" && pass patch/missing-input ||
	fail patch/missing-input "exit $rc: $(cat "$TMP/missing.err")"
sed 's#a/mm/relock.c#a/../../etc/relock.c#; s#b/mm/relock.c#b/../../etc/relock.c#' "$TMP/stale.patch" > "$TMP/escape.patch"
run escape --in "$K" "$TMP/escape.patch"
[ $rc -eq 2 ] && grep -q "refusing the file name" "$TMP/escape.err" && pass patch/unsafe-path ||
	fail patch/unsafe-path "exit $rc: $(cat "$TMP/escape.err")"
head -c 3000 /dev/urandom > "$TMP/random.bin"
run random --in "$K" "$TMP/random.bin"
[ $rc -eq 2 ] && pass patch/random-bytes || fail patch/random-bytes "exit $rc"
printf -- '--- a/mm/relock.c\n+++ b/mm/relock.c\n@@ -1,3 +1,3 @@\n-/* x */\n' > "$TMP/short.patch"
run short-hunk --in "$K" "$TMP/short.patch"
[ $rc -eq 2 ] && grep -q "ends early" "$TMP/short-hunk.err" && pass patch/short-hunk ||
	fail patch/short-hunk "exit $rc: $(cat "$TMP/short-hunk.err")"

# --- an mbox with a reply thread: the two patches, in order; the reply's
# quoted and unquoted diffs left out ---
G=$TMP/repo
cp -r "$K" "$G"
( cd "$G" && git init -q && git add -A && git commit -qm "mm: relock" &&
  sed -i 's#/\* the use \*/#/* the use, after a fresh lookup */#' mm/relock.c &&
  git commit -qam "mm: comment the use" &&
  cp "$TMP/stale/mm/relock.c" mm/relock.c &&
  sed -i 's#/\* the use \*/#/* the use, after a fresh lookup */#' mm/relock.c &&
  git commit -qam "mm: drop the second lookup" &&
  git format-patch -q -2 -o "$TMP/fp" --cover-letter ) || fail patch/git-setup "git failed"
fp1=$(ls "$TMP"/fp/0001-*); fp2=$(ls "$TMP"/fp/0002-*)
{
	cat "$fp2"; echo
	echo "From reviewer@example.org Mon Jan  1 00:00:00 2024"
	echo "From: A Reviewer <reviewer@example.org>"
	echo "Subject: Re: [PATCH 2/2] mm: drop the second lookup"
	echo
	echo "On Monday you wrote:"
	sed -n '/^diff --git/,$p' "$fp2" | sed 's/^/> /'
	echo
	echo "Why not this instead:"
	echo
	printf -- '--- a/mm/relock.c\n+++ b/mm/relock.c\n@@ -99,3 +99,3 @@\n context that is nowhere\n-old\n+new\n context\n'
	echo
	cat "$TMP"/fp/0000-*; echo
	cat "$fp1"
} > "$TMP/thread.mbox"
run mbox --in "$G" --base HEAD~2 "$TMP/thread.mbox"
expect mbox 1 "stale-vma@$use_line" ""
order=$(grep '^patch: ' "$TMP/mbox.out" | tr '\n' '|')
if [ "$order" = "patch: [PATCH 1/2] mm: comment the use|patch: [PATCH 2/2] mm: drop the second lookup|" ] &&
   grep -q "left out: 1 diff(s) in replies" "$TMP/mbox.err"; then
	pass "patch/mbox-thread (series ordered, reply left out)"
else
	fail patch/mbox-thread "order: $order; stderr: $(cat "$TMP/mbox.err")"
fi
run pick --in "$G" --base HEAD~2 --pick 1 "$TMP/thread.mbox"
expect pick 0 "" ""
run format-patch --in "$G" --base HEAD~1 "$fp2"
expect format-patch 1 "stale-vma@$use_line" ""

# quoted-printable, as mail clients send it
{
	sed -n '1,/^$/p' "$fp2" | sed '/^Subject:/a Content-Transfer-Encoding: quoted-printable'
	sed -n '/^$/,$p' "$fp2" | sed 's/=/=3D/g' | perl -pe 's/^([^=\n]{30})([^=\n]{10,})$/$1=\n$2/'
} > "$TMP/qp.mbox"
run quoted-printable --in "$G" --base HEAD~1 "$TMP/qp.mbox"
expect quoted-printable 1 "stale-vma@$use_line" ""

# --- git: the staged change, a branch, the pre-commit hook ---
( cd "$G" && git reset -q --hard HEAD~1 )
cp "$TMP/stale/mm/relock.c" "$G/mm/relock.c"
( cd "$G" && git add mm/relock.c )
run staged --in "$G"
expect staged 1 "stale-vma@$use_line" ""
( cd "$G" && git stash -q )
run staged-none --in "$G"
[ $rc -eq 0 ] && grep -q "nothing to check" "$TMP/staged-none.out" && pass patch/staged-nothing ||
	fail patch/staged-nothing "exit $rc: $(cat "$TMP/staged-none.out" "$TMP/staged-none.err")"
( cd "$G" && git stash pop -q && git add mm/relock.c && git commit -qm "mm: drop the second lookup" --no-verify )
run branch --in "$G" --base HEAD~1
expect branch 1 "stale-vma@$use_line" ""
run branch-range --in "$G" --base HEAD~2..HEAD~1
expect branch-range 0 "" ""

( cd "$G" && git reset -q --hard HEAD~1 )
if "$MMLOCK" install-hook "$G" > "$TMP/hook.out" 2>&1 && [ -x "$G/.git/hooks/pre-commit" ]; then
	pass patch/install-hook
else
	fail patch/install-hook "$(cat "$TMP/hook.out")"
fi
cp "$TMP/stale/mm/relock.c" "$G/mm/relock.c"
( cd "$G" && git add mm/relock.c && git commit -qm "stale" ) > "$TMP/commit.out" 2>&1
crc=$?
if [ $crc -ne 0 ] && grep -q "\[mmlock:stale-vma\]" "$TMP/commit.out" &&
   grep -q "commit refused" "$TMP/commit.out" && [ "$(git -C "$G" log --oneline | wc -l)" -eq 2 ]; then
	pass "patch/hook-refuses ($(wc -l < "$TMP/commit.out") lines of output)"
else
	fail patch/hook-refuses "commit exit $crc: $(tr '\n' '|' < "$TMP/commit.out")"
fi
( cd "$G" && MMLOCK_SKIP=1 git commit -qm "stale" && git reset -q --soft HEAD~1 ) > "$TMP/skip.out" 2>&1 &&
	pass patch/hook-skip-env || fail patch/hook-skip-env "$(cat "$TMP/skip.out")"
( cd "$G" && git commit -q --no-verify -m "stale" && git reset -q --soft HEAD~1 ) > "$TMP/nv.out" 2>&1 &&
	pass patch/hook-no-verify || fail patch/hook-no-verify "$(cat "$TMP/nv.out")"
# the printed false-positive line, run as printed, lets the commit through
fpline=$(grep "^false positive? " "$TMP/commit.out" | sed 's/^false positive? //')
( cd "$G" && eval "$fpline" ) > "$TMP/triage.out" 2>&1
( cd "$G" && git commit -qm "stale, triaged" ) > "$TMP/commit2.out" 2>&1
crc=$?
if [ -n "$fpline" ] && [ $crc -eq 0 ] && grep -q "marked false-positive" "$TMP/commit2.out"; then
	pass patch/hook-false-positive
else
	fail patch/hook-false-positive "'$fpline' -> $(cat "$TMP/triage.out"); commit exit $crc: $(tr '\n' '|' < "$TMP/commit2.out")"
fi
echo "#!/bin/sh" > "$TMP/other-hook"
cp "$TMP/other-hook" "$G/.git/hooks/pre-commit"
"$MMLOCK" install-hook "$G" > "$TMP/hook2.out" 2>&1
hrc=$?
"$MMLOCK" install-hook --force "$G" > "$TMP/hook3.out" 2>&1
if [ $hrc -eq 2 ] && [ -f "$G/.git/hooks/pre-commit.local" ] && grep -q mmlock "$G/.git/hooks/pre-commit"; then
	pass patch/install-hook-keeps-other-hook
else
	fail patch/install-hook-keeps-other-hook "exit $hrc: $(cat "$TMP/hook2.out" "$TMP/hook3.out")"
fi

# ---- the seeds ----
if [ ! -f "$SEEDS/004_f1d609b38e82f802.txt" ]; then
	echo "SKIP patch/seeds: the seed threads are not on this machine (set MMLOCK_SEEDS)"
	exit 0
fi
# Seed 004, a Nabble page of the whole thread: three patches in order, the
# replies' quoted diffs left out; 3/3 makes the 2016 huge_memory.c swapin
# run under down_read and re-takes mmap_sem for write, using the old vma
# (Kirill Shutemov: "You need at least find_vma() again"), and in the
# swapin loop "vma = find_vma(); if (vma != vma_orig)" (Andrea Arcangeli:
# not a revalidation).
S4=$SEEDS/004_f1d609b38e82f802.txt
run seed004 --in "$T/seed004" "$S4"
expect seed004 1 "lock-balance@194 stale-pgtable@167 stale-pgtable@75 stale-vma@165 weak-revalidate@65" ""
order=$(grep '^patch: ' "$TMP/seed004.out" | cut -c1-18 | tr '\n' '|')
[ "$order" = "patch: [PATCH 1/3]|patch: [PATCH 2/3]|patch: [PATCH 3/3]|" ] &&
	pass "patch/seed004-series (1/3, 2/3, 3/3 of a page with 11 replies)" ||
	fail patch/seed004-series "$order"
run seed004-3 --in "$T/seed004" --pick 3 "$S4"
expect seed004-3 1 "lock-balance@194 stale-pgtable@167 stale-pgtable@76 stale-vma@165 weak-revalidate@66" ""
# Seed 003 on collapse_pte_mapped_thp() as in 6.2-rc: the anon_vma was
# excluded up front there, so the patch changes no finding ...
S3=$SEEDS/003_fe8e7f9d3fef79be.txt
run seed003 --in "$T/seed003" "$S3"
expect seed003 0 "" ""
grep -q "^  mm/khugepaged.c: collapse_pte_mapped_thp$" "$TMP/seed003.out" ||
	fail patch/seed003-function "$(cat "$TMP/seed003.out")"
# ... its first hunk alone (allow anon_vma) introduces rmap-lock-retract,
# and its second (the conditional anon_vma lock) fixes it.
awk '/^--- 6.2-rc/ { p = 1 } p && /^@@ -1567/ { exit } p' "$S3" > "$TMP/s3-hunk1.patch"
{ sed -n '/^--- 6.2-rc/,/^+++ /p' "$S3" | head -2; sed -n '/^@@ -1567/,/^maybe_install_pmd:/p' "$S3" | head -20; } > "$TMP/s3-hunk2.patch"
run seed003-hunk1 --in "$T/seed003" "$TMP/s3-hunk1.patch"
expect seed003-hunk1 1 "rmap-lock-retract@100" ""
mkdir -p "$TMP/s3/mm"
perl -0777 -pe 's/\t\/\*\n\t \* Symmetry with retract_page_tables\(\).*?\treturn SCAN_VMA_CHECK;\n\n//s' \
	"$T/seed003/mm/khugepaged.c" > "$TMP/s3/mm/khugepaged.c"
run seed003-hunk2 --in "$TMP/s3" "$TMP/s3-hunk2.patch"
expect seed003-hunk2 0 "" "rmap-lock-retract@100"
. tests/patch/names.sh
