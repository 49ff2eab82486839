#!/bin/bash
# bench.sh TREE [JOBS] - times of "mmlock cocci" on TREE/mm and on the
# whole TREE, with the file pre-filter and without it, next to the
# kernel's own scripts/coccinelle/locks/double_lock.cocci run by spatch
# directly over the same tree with the same parallelism (as coccicheck
# runs it: --dir, --jobs, --chunksize 1, its Options line).  The tree is
# only read (spatch's parallel temporary files go to a directory of ours).
# Run by "make bench-cocci"; prints a table.
set -u
TREE=${1:?usage: bench.sh TREE [JOBS]}
JOBS=${2:-2}
cd "$(dirname "$0")/../.." || exit 2
MMLOCK=$PWD/build/mmlock
TMP=$(mktemp -d /tmp/mmlock-cocci-bench.XXXXXX)
trap 'rm -rf "$TMP"' EXIT
if [ ! -d "$TREE/mm" ]; then
	echo "bench-cocci: $TREE: not a kernel tree (run scripts/prepare-kernel.sh)" >&2
	exit 2
fi

# one "mmlock cocci" run: NAME DIR ARGS...
run() {
	local name=$1 dir=$2 start end stats
	shift 2
	start=$(date +%s.%N)
	(cd "$TREE" && "$MMLOCK" cocci --stats -j "$JOBS" "$@" "$dir") \
		> "$TMP/$name.out" 2> "$TMP/$name.err"
	end=$(date +%s.%N)
	stats=$(grep "^mmlock cocci: " "$TMP/$name.err" | tail -1)
	printf "%-34s %8.1f s  %5d findings  %4d files not fully parsed  %s\n" \
		"$name" "$(echo "$end - $start" | bc)" \
		"$(grep -c ': warning: ' "$TMP/$name.out")" \
		"$(grep ': not analysed' "$TMP/$name.err" | cut -d: -f1 | sort -u | wc -l)" \
		"$(echo "$stats" | sed -E 's/.* ([0-9]+ rule-file pair\(s\)).*/\1/')"
}

echo "mmlock cocci on $TREE, -j $JOBS, $(spatch --version | head -1)"
run "mm/, pre-filter" mm
run "mm/, no pre-filter" mm --no-prefilter
run "whole tree, pre-filter" .
if [ "${BENCH_COCCI_NOFILTER_TREE:-1}" = 1 ]; then
	run "whole tree, no pre-filter" . --no-prefilter
fi

# the kernel's double_lock.cocci, as coccicheck runs it, over the tree
DL=$TREE/scripts/coccinelle/locks/double_lock.cocci
if [ -f "$DL" ]; then
	opts=$(grep "Options:" "$DL" | cut -d: -f2)
	start=$(date +%s.%N)
	(cd "$TREE" && spatch -D report --no-show-diff --very-quiet \
		--cocci-file "$DL" $opts --dir . --jobs "$JOBS" --chunksize 1 \
		--tmp-dir "$TMP/sp") > "$TMP/dl.out" 2> "$TMP/dl.err"
	end=$(date +%s.%N)
	printf "%-34s %8.1f s  %5d reports\n" "double_lock.cocci, whole tree" \
		"$(echo "$end - $start" | bc)" "$(grep -c 'second lock' "$TMP/dl.out")"
fi
if [ -n "${BENCH_COCCI_KEEP:-}" ]; then
	mkdir -p "$BENCH_COCCI_KEEP" && cp "$TMP"/*.out "$TMP"/*.err "$BENCH_COCCI_KEEP/"
fi
