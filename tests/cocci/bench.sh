#!/bin/bash
# bench.sh TREE [JOBS] - times of "mmlock cocci" on TREE/mm and on the
# whole TREE, with the file pre-filter and without it, next to the
# kernel's own scripts/coccinelle/locks/double_lock.cocci run by spatch
# directly over the same tree with the same parallelism (as coccicheck
# runs it: --dir, --jobs, --chunksize 1, its Options line).  The tree is
# only read (spatch's parallel temporary files go to a directory of ours).
# Run by "make bench-cocci"; prints a table.
#
# Without the pre-filter every rule reads and tokenizes every file of the
# tree, and parses the many that name a vm_area_struct or a lock: hours for
# all the rules on 2 cores.  So the whole tree runs without it for one rule
# (rmap-lock-retract, the cheapest) unless BENCH_COCCI_NOFILTER_TREE=1 asks
# for all; BENCH_COCCI_DOUBLE_LOCK=0 skips the double_lock.cocci run.
# BENCH_COCCI_ONLY="KEY ..." runs only those (mm-filter mm-nofilter
# tree-filter tree-filter-1 tree-nofilter-1 tree-nofilter);
# BENCH_COCCI_TSV=1 prints one tab-separated line per run instead:
# key, wall s, cpu s, findings, files not fully parsed, files, rule-file pairs
# (scripts/bench.sh reads these).
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

# one "mmlock cocci" run: KEY TITLE DIR ARGS...; KEY names its output files
run() {
	local key=$1 title=$2 dir=$3 start end stats wall files pairs
	shift 3
	case " ${BENCH_COCCI_ONLY:-$key} " in *" $key "*) ;; *) return 0 ;; esac
	start=$(date +%s.%N)
	(cd "$TREE" && /usr/bin/time -f "%U %S" -o "$TMP/$key.cpu" \
		"$MMLOCK" cocci --stats -j "$JOBS" "$@" "$dir") \
		> "$TMP/$key.out" 2> "$TMP/$key.err"
	end=$(date +%s.%N)
	stats=$(grep "^mmlock cocci: " "$TMP/$key.err" | tail -1)
	wall=$(echo "$end - $start" | bc)
	files=$(echo "$stats" | sed -nE 's/.* on ([0-9]+) file\(s\).*/\1/p')
	pairs=$(echo "$stats" | sed -nE 's/.* ([0-9]+) rule-file pair\(s\).*/\1/p')
	if [ "${BENCH_COCCI_TSV:-0}" = 1 ]; then
		printf "%s\t%.1f\t%.1f\t%d\t%d\t%d\t%d\n" "$key" "$wall" \
			"$(tail -1 "$TMP/$key.cpu" 2>/dev/null | awk '{ print $1 + $2 }')" \
			"$(grep -c ': warning: ' "$TMP/$key.out")" \
			"$(grep ': not analysed' "$TMP/$key.err" | cut -d: -f1 | sort -u | wc -l)" \
			"${files:-0}" "${pairs:-0}"
		return 0
	fi
	printf "%-28s %7.1f s wall %7.1f s cpu %6d files %6.0f files/s %4d findings %4d files not fully parsed  %s rule-file pairs\n" \
		"$title" "$wall" \
		"$(tail -1 "$TMP/$key.cpu" 2>/dev/null | awk '{ print $1 + $2 }')" \
		"${files:-0}" "$(echo "${files:-0} / $wall" | bc -l)" \
		"$(grep -c ': warning: ' "$TMP/$key.out")" \
		"$(grep ': not analysed' "$TMP/$key.err" | cut -d: -f1 | sort -u | wc -l)" \
		"${pairs:-?}"
}

[ "${BENCH_COCCI_TSV:-0}" = 1 ] ||
	echo "mmlock cocci on $TREE, -j $JOBS, $(spatch --version | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
run mm-filter "mm/, pre-filter" mm
run mm-nofilter "mm/, no pre-filter" mm --no-prefilter
run tree-filter "whole tree, pre-filter" .
run tree-filter-1 "whole tree, pre-filter, 1 rule" . --rules rmap-lock-retract
run tree-nofilter-1 "whole tree, no pre-f., 1 rule" . --rules rmap-lock-retract --no-prefilter
if [ "${BENCH_COCCI_NOFILTER_TREE:-0}" = 1 ] || [ -n "${BENCH_COCCI_ONLY:-}" ]; then
	run tree-nofilter "whole tree, no pre-filter" . --no-prefilter
fi

# the kernel's double_lock.cocci, as coccicheck runs it, over the tree
DL=$TREE/scripts/coccinelle/locks/double_lock.cocci
if [ -f "$DL" ] && [ "${BENCH_COCCI_DOUBLE_LOCK:-1}" = 1 ] && [ "${BENCH_COCCI_TSV:-0}" != 1 ]; then
	opts=$(grep "Options:" "$DL" | cut -d: -f2)
	start=$(date +%s.%N)
	(cd "$TREE" && spatch -D report --no-show-diff --very-quiet \
		--cocci-file "$DL" $opts --dir . --jobs "$JOBS" --chunksize 1 \
		--tmp-dir "$TMP/sp") > "$TMP/dl.out" 2> "$TMP/dl.err"
	end=$(date +%s.%N)
	printf "%-28s %7.1f s wall %19s %4d reports\n" "double_lock.cocci, tree" \
		"$(echo "$end - $start" | bc)" "" "$(grep -c 'second lock' "$TMP/dl.out")"
fi
if [ -n "${BENCH_COCCI_KEEP:-}" ]; then
	mkdir -p "$BENCH_COCCI_KEEP" && cp "$TMP"/*.out "$TMP"/*.err "$BENCH_COCCI_KEEP/"
fi
