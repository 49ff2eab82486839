#!/bin/bash
# bench-plugin.sh: the plugin's cost, measured side by side in one run on
# the ten mm files of the noise benchmark (kbuild's exact commands, run
# directly, not through make): plain gcc -O2, gcc with the plugin, the
# plugin in analysis-only mode (what a CHECK program runs), and sparse as
# kbuild's C=2 runs it.  Median of N runs (default 3) per file and tool;
# peak memory (max RSS) on the largest file.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-3}
tree=$("$here/scripts/prepare-kernel.sh" | tail -1)
plugin=$here/build/mmlock_plugin.so
checkflags="-D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void -Wno-unknown-attribute -D__x86_64__ --arch=x86 -mlittle-endian -m64"
files="khugepaged memory huge_memory mremap madvise mprotect rmap gup userfaultfd pgtable-generic"
tmp=$(mktemp -d /tmp/mmlock-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
cd "$tree"

# median wall time of a command, in seconds
median() {
	local t=()
	for _ in $(seq "$runs"); do
		local s e
		s=$(date +%s.%N); eval "$1" >/dev/null 2>&1 || true; e=$(date +%s.%N)
		t+=("$(echo "$e - $s" | bc)")
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n "$(( (runs + 1) / 2 ))p"
}

printf '%-16s %8s %8s %8s %8s %8s %8s\n' file gcc +plugin ratio check sparse check/sp
tg=0 tp=0 tc=0 ts=0
for f in $files; do
	cmd=$("$here/scripts/kbuild-cmd.sh" . "mm/$f.c")
	cmd=${cmd/-Wp,-MMD,mm\/.$f.o.d/}
	plain=${cmd/-o mm\/$f.o/-o $tmp/$f.o}
	flags=${cmd#gcc }
	flags=${flags/ -c -o mm\/$f.o mm\/$f.c/}
	g=$(median "$plain")
	p=$(median "$plain -fplugin=$plugin")
	c=$(median "gcc $flags -S -o /dev/null -fplugin=$plugin -fplugin-arg-mmlock_plugin-analysis-only mm/$f.c")
	s=$(median "sparse $checkflags $flags mm/$f.c")
	printf '%-16s %8.2f %8.2f %8.3f %8.2f %8.2f %8.2f\n' "$f" "$g" "$p" "$(echo "$p / $g" | bc -l)" "$c" "$s" "$(echo "$c / $s" | bc -l)"
	tg=$(echo "$tg + $g" | bc); tp=$(echo "$tp + $p" | bc); tc=$(echo "$tc + $c" | bc); ts=$(echo "$ts + $s" | bc)
done
printf '%-16s %8.2f %8.2f %8.3f %8.2f %8.2f %8.2f\n' total "$tg" "$tp" "$(echo "$tp / $tg" | bc -l)" "$tc" "$ts" "$(echo "$tc / $ts" | bc -l)"
echo "gcc = kbuild's gcc -O2 command; +plugin = the same with -fplugin; check = plugin in analysis-only mode (-S, no code generated); sparse = kbuild's C=2 sparse command"

cmd=$("$here/scripts/kbuild-cmd.sh" . mm/memory.c); cmd=${cmd/-Wp,-MMD,mm\/.memory.o.d/}
plain=${cmd/-o mm\/memory.o/-o $tmp/m.o}
m1=$(/usr/bin/time -f %M sh -c "$plain" 2>&1 >/dev/null | tail -1)
m2=$(/usr/bin/time -f %M sh -c "$plain -fplugin=$plugin" 2>&1 >/dev/null | tail -1)
echo "peak memory, mm/memory.c: gcc ${m1} KiB, gcc+plugin ${m2} KiB ($(echo "scale=3; $m2 / $m1" | bc)x)"
