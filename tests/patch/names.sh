# File names as patches write them (sourced by tests/patch/run.sh, which
# sets $K, $TMP/stale, run, expect and $use_line): blanks in the path, git
# renames with and without changes, git-quoted names.

# a finding in a file whose path holds a blank is introduced, not dropped
mkdir -p "$TMP/blank/my dir" "$TMP/blank-stale/my dir"
cp "$K/mm/relock.c" "$TMP/blank/my dir/re lock.c"
cp "$TMP/stale/mm/relock.c" "$TMP/blank-stale/my dir/re lock.c"
(cd "$TMP" && diff -u "blank/my dir/re lock.c" "blank-stale/my dir/re lock.c") |
	sed "1s#^--- [^\t]*#--- a/my dir/re lock.c#; 2s#^+++ [^\t]*#+++ b/my dir/re lock.c#" > "$TMP/blank.patch"
run blank-path --in "$TMP/blank" "$TMP/blank.patch"
expect blank-path 1 "stale-vma@$use_line" ""

# git renames: the new name is checked with the old file as "before"
G=$TMP/gitnames
mkdir -p "$G" && cp -r "$TMP/stale/mm" "$G/" && git -C "$G" init -q && git -C "$G" add -A &&
	git -C "$G" commit -qm base
git -C "$G" mv mm/relock.c mm/moved.c
git -C "$G" diff -M --cached > "$TMP/rename.patch"
git -C "$G" reset -q --hard
run pure-rename --in "$G" "$TMP/rename.patch"
expect pure-rename 0 "" ""
grep -q "^rename from mm/relock.c" "$TMP/rename.patch" && grep -q "0 introduced, 0 fixed, 1 unchanged" "$TMP/pure-rename.out" &&
	pass patch/pure-rename-unchanged || fail patch/pure-rename-unchanged "$(tail -1 "$TMP/pure-rename.out")"
git -C "$G" mv mm/relock.c mm/moved.c
cp "$K/mm/relock.c" "$G/mm/moved.c"
git -C "$G" add -A
git -C "$G" diff -M --cached > "$TMP/rename-fix.patch"
git -C "$G" reset -q --hard
grep -q "^rename from mm/relock.c" "$TMP/rename-fix.patch" || fail patch/rename-with-changes "git made no rename"
run rename-with-changes --in "$G" "$TMP/rename-fix.patch"
expect rename-with-changes 0 "" "stale-vma@$use_line"

# git quotes a name with odd bytes ("a/mm/caf\303\251.c"): unquoted as git does
cp "$K/mm/relock.c" "$G/mm/café.c"
git -C "$G" add -A && git -C "$G" commit -qm cafe
cp "$TMP/stale/mm/relock.c" "$G/mm/café.c"
git -C "$G" diff > "$TMP/quoted.patch"
git -C "$G" checkout -q -- .
grep -q '^--- "a/mm/caf\\303\\251.c"' "$TMP/quoted.patch" || fail patch/quoted-name "git did not quote the name"
run quoted-name --in "$G" "$TMP/quoted.patch"
expect quoted-name 1 "stale-vma@$use_line" ""

# the staged change (what the pre-commit hook checks): a rename is one there too
git -C "$G" mv mm/relock.c mm/staged.c
run staged-rename --in "$G"
git -C "$G" reset -q --hard
expect staged-rename 0 "" ""
grep -q "0 introduced, 0 fixed, 1 unchanged" "$TMP/staged-rename.out" && pass patch/staged-rename-unchanged ||
	fail patch/staged-rename-unchanged "$(tail -1 "$TMP/staged-rename.out")"
