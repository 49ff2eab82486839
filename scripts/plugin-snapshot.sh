#!/bin/bash
# plugin-snapshot.sh DIR [6.1 6.12]: every warning and note the plugin
# gives on the unit tests and on the kernel tests' noise and mutation runs,
# message text and notes included, one file per case under DIR.  Two
# snapshots (two builds: a git worktree each) compare with "diff -r": how a
# change that must not alter any finding is checked.
set -u
[ $# -ge 1 ] || { echo "usage: plugin-snapshot.sh DIR [KERNEL...]" >&2; exit 2; }
dir=$(mkdir -p "$1" && cd "$1" && pwd) || { echo "plugin-snapshot.sh: $1: cannot create" >&2; exit 2; }
shift
cd "$(dirname "$0")/.." || exit 2
kernels=${*:-6.1 6.12}
MMLOCK_SNAPSHOT=$dir tests/rules/run.sh --engine plugin | grep -c '^PASS' | sed 's/$/ rule cases passed/'
for k in $kernels; do
	MMLOCK_SNAPSHOT=$dir tests/kernel/run.sh "$k" | tail -1 | sed "s/^/$k: /"
done
echo "$(find "$dir" -name '*.txt' | wc -l) cases in $dir"
