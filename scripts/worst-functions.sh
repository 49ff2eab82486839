#!/bin/bash
# worst-functions.sh [DIR...]: the plugin's work per function over every
# file kbuild builds in DIR (default mm) of the prepared 6.1 tree, with
# kbuild's exact commands: the functions that took longest, needed the most
# engine steps and kept the most states, and any that fell back to merged
# paths or were not analysed (the bounded-work guarantee, README).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$("$here/scripts/prepare-kernel.sh" --kernel "${MMLOCK_KERNEL:-6.12}" | tail -1) || exit 2
dirs=${*:-mm}
stats=$(mktemp /tmp/mmlock-stats.XXXXXX)
trap 'rm -f "$stats"' EXIT
nfiles=0
for d in $dirs; do
	for cmd in "$tree/$d"/.*.o.cmd; do
		f=$(basename "$cmd" .o.cmd); f=${f#.}
		[ -f "$tree/$d/$f.c" ] || continue
		"$here/scripts/kbuild-analyse.sh" "$tree" "$d/$f.c" "$d/$f.c" "stats=$stats" >/dev/null 2>&1
		nfiles=$((nfiles + 1))
	done
done
awk -F'\t' -v files="$nfiles" '
	{ n++; t += $7; if ($8 != "paths") odd[$8]++ }
	END {
		printf "%d functions analysed in %d files, %.2f s of analysis in all\n", n, files, t / 1e6
		printf "fell back to merged paths: %d, not analysed: %d\n", odd["merged"], odd["skipped"]
	}' "$stats"
echo "slowest (usec, steps, peak states, peak state memory, blocks):"
sort -t$'\t' -k7,7nr "$stats" | head -5 |
	awk -F'\t' '{ printf "  %-28s %-34s %8d us %7d steps %5d states %8d bytes %5d bb %s\n", $1, $2, $7, $4, $5, $6, $3, $8 }'
echo "most steps:"
sort -t$'\t' -k4,4nr "$stats" | head -5 |
	awk -F'\t' '{ printf "  %-28s %-34s %8d us %7d steps %5d states %8d bytes %5d bb %s\n", $1, $2, $7, $4, $5, $6, $3, $8 }'
echo "most values worked out (keys and provenance, ssawalk.c; bound: 20,000 + 20 x SSA names):"
sort -t$'\t' -k9,9nr "$stats" | head -5 |
	awk -F'\t' '{ printf "  %-28s %-34s %8d values %7d steps %5d bb %s\n", $1, $2, $9, $4, $3, $8 }'
