#!/bin/bash
# main.sh: mmlock's main job on the default target.  On a fresh Debian
# machine it installs what mmlock needs, builds it, prepares Debian's
# linux-source-6.1 (cached in ${MMLOCK_CACHE:-~/.cache/mmlock}), runs the
# GCC plugin with kbuild's exact command over every file of mm/ (in
# parallel), stores the findings in the database when `mmlock db` is built
# in, and prints a summary by rule and by file.
#
# Usage: scripts/main.sh [-j N]
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc)
[ "${1:-}" = "-j" ] && jobs=$2
scripts/install-deps.sh
make -s
tree=$(scripts/prepare-kernel.sh | tail -1)
cache=${MMLOCK_CACHE:-$HOME/.cache/mmlock}
out=$cache/mm-findings.txt
start=$(date +%s)
(cd "$tree" && ls mm/.*.o.cmd) | sed -E 's#mm/\.(.*)\.o\.cmd#mm/\1.c#' |
	while read -r f; do [ -f "$tree/$f" ] && echo "$f"; done |
	xargs -P "$jobs" -I{} scripts/kbuild-analyse.sh "$tree" {} > "$out.tmp" 2>&1 || true
mv "$out.tmp" "$out"
files=$(cd "$tree" && ls mm/.*.o.cmd | wc -l)
secs=$(( $(date +%s) - start ))
if grep -q "internal error\|not analysed" "$out"; then
	echo "mmlock: notes from the plugin:"; grep "internal error\|not analysed" "$out"
fi
echo "mmlock: analysed $files files of $tree/mm in ${secs}s; diagnostics in $out"
if ./build/mmlock db --help >/dev/null 2>&1; then
	db=${MMLOCK_DB:-$cache/mmlock.db}
	(cd "$tree" && "$OLDPWD/build/mmlock" db --db "$db" import --engine gcc-plugin "$out") &&
		echo "mmlock: findings stored in $db (query: build/mmlock db --db $db list)"
fi
n=$(grep -cE ': warning: .*\[mmlock:' "$out" || true)
echo "mmlock: $n findings"
if [ "$n" -gt 0 ]; then
	echo "by rule:"
	grep -oE '\[mmlock:[a-z-]+\]$' "$out" | sort | uniq -c | sort -rn
	echo "by file:"
	grep -E ': warning: .*\[mmlock:' "$out" | cut -d: -f1 | sort | uniq -c | sort -rn
fi
