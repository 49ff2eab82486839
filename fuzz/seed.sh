#!/bin/bash
# fuzz/seed.sh DIR: the seed inputs of each fuzz target, from the
# project's own files, into DIR/<target>/ (fuzz/run.sh adds them to the
# committed corpus fuzz/corpus/<target>/ on every run).
#   rules:    rules/mm.rules, its header with slices of its directives,
#             tests/rules/*.rules
#   dbimport: tests/db/data/*.log against tests/db/data/tree1's source,
#             with a Makefile and .git/HEAD (see fuzz/fuzz_dbimport.c)
#   patch:    /work/shared/seeds/*.txt (FUZZ_PATCH_SEEDS)
set -eu
cd "$(dirname "$0")/.."
out=${1:?usage: fuzz/seed.sh DIR}
rm -rf "$out"
mkdir -p "$out/rules" "$out/dbimport" "$out/patch"

cp rules/mm.rules "$out/rules/mm.rules"
for f in tests/rules/*.rules; do [ -e "$f" ] && cp "$f" "$out/rules/"; done
hdr=$(grep -E '^(class|rule|lockfield|vmatype) ' rules/mm.rules)
grep -vE '^(#|$|class |rule |lockfield |vmatype )' rules/mm.rules | split -l 12 - "$out/rules/slice."
for f in "$out"/rules/slice.*; do { echo "$hdr"; cat "$f"; } > "$f.rules"; rm "$f"; done

src=tests/db/data/tree1/mm/demo.c
mk='VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION =\nNAME = Hurr durr\n'
for f in tests/db/data/*.log; do
	b=$(basename "$f" .log)
	engine=
	case $b in cocci|sparse|smatch|gcc) engine="@engine=$b\n" ;; esac
	{ printf "$engine"; sed 's#mm/demo\.c#mm/a.c#g' "$f"; printf '\0'; cat "$src";
	  printf '\0'; printf "$mk"; printf '\0'; printf 'ref: refs/heads/main\n'; } > "$out/dbimport/$b"
	sed 's#mm/demo\.c#a.c#g' "$f" > "$out/dbimport/$b.nosrc"
done

for f in ${FUZZ_PATCH_SEEDS:-/work/shared/seeds}/*.txt; do [ -e "$f" ] && cp "$f" "$out/patch/"; done
exit 0
