#!/bin/bash
# bench-distcc.sh (make bench-distcc): what a distributed analysis costs,
# measured on 6.12's mm/ in the tree copy of make analyse-distcc, and the
# projection to N hosts.  Into build/bench-distcc.txt (and stdout):
#
#  1. per unit, one at a time (-j1, `mmlock cc gcc` with the plugin): the
#     compile's wall time, and of it the plugin's analysis (the receipt's
#     usec); then kbuild's command with -E: the preprocessing, which a
#     distcc client does itself;
#  2. make with nothing to compile (kbuild's own walk: the fixed part);
#  3. the local build, make -jCPUS KCFLAGS=-fplugin=... (the plugin storing
#     its findings), and the distributed one, make -j4 CC="mmlock cc distcc
#     mmlock-gcc" with two distccd on loopback (scripts/distcc-lib.sh).
#     Both daemons share this machine's cores: no speed-up is expected;
#  4. the projection: with P = the preprocessing (client), S = compile +
#     analysis less P (a host), summed over the units, C the client's
#     cores and N hosts of c cores,
#         T(N) = T0 + max(sum P / C, sum S / (c N), max S)
#     (T0: step 2; each unit's remote part runs on one core; the client's
#     cores preprocess; the longest unit bounds it from below).  Checked
#     against the local build: T0 + sum(P + S) / C.
# Env: MMLOCK_CACHE, BENCH_HOST_CORES (c, default: this machine's CPUs).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
export LC_ALL=C
unset MMLOCK_DB MMLOCK_RUN_KEY MMLOCK_CC_LOG DISTCC_HOSTS DISTCC_LOG DISTCC_VERBOSE
. scripts/distcc-lib.sh
M=$here/build/mmlock
cpus=$(nproc)
c=${BENCH_HOST_CORES:-$cpus}
out=$here/build/bench-distcc.txt
say() { echo "bench-distcc: $*" >&2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

prepared=$(scripts/prepare-kernel.sh --kernel 6.12 | tail -1) || exit 2
tree=$(MMLOCK_KERNEL=6.12 scripts/check-tree.sh distcc | tail -1) || exit 2
dl_setup
W=$DL/work
mkdir -p "$W"
inst=$DL/inst
plugin="-fplugin=$inst/mmlock_plugin.so -fplugin-arg-mmlock_plugin-rules=$inst/mm.rules"
units=$(cd "$tree" && ls mm/.*.o.cmd | sed -E 's#mm/\.(.*)\.o\.cmd#mm/\1.c#' |
	while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
nunits=$(echo "$units" | grep -c .)
fresh() { find "$tree/mm" -name '*.o' -delete; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

# 1. per unit, one at a time
say "1. $nunits units one at a time (-j1), then their preprocessing"
fresh
make -C "$tree" -j1 CC="$M cc --no-db --log=$W/units.tsv gcc" KCFLAGS="$plugin" mm/ >"$W/j1.log" 2>&1 ||
	{ say "the -j1 build failed"; exit 2; }
for u in $units; do
	cmd=$(scripts/kbuild-cmd.sh "$prepared" "$u") || continue
	obj=${u%.c}.o
	cmd=${cmd/-Wp,-MMD,$(dirname "$u")\/.$(basename "$obj").d/}
	cmd=${cmd/ -c -o $obj $u/ -E -o /dev/null $u}
	t0=$(now)
	(cd "$tree" && eval "$cmd") >/dev/null 2>&1
	echo "$u $(secs "$t0")"
done >"$W/cpp.txt"

# 2. nothing to compile
t0=$(now)
make -C "$tree" -j"$cpus" CC="$M cc --no-db gcc" KCFLAGS="$plugin" mm/ >"$W/noop.log" 2>&1
t_fixed=$(secs "$t0")

# 3. local and distributed
say "3. local build (-j$cpus), load $(load)"
fresh
t0=$(now)
MMLOCK_RUN_KEY=bench-local-$$ make -C "$tree" -j"$cpus" \
	KCFLAGS="$plugin -fplugin-arg-mmlock_plugin-db=$W/local.db" mm/ >"$W/local.log" 2>&1
t_local=$(secs "$t0")
load_local=$(load)
dl_start a 127.0.0.2
dl_start b 127.0.0.3
say "   distributed build (-j4, distccd a and b), load $(load)"
fresh
t0=$(now)
dl_build "$tree" "$W/dist.db" "$W/dist.log" "$dl_host_a $dl_host_b" 4 mm/
t_dist=$(secs "$t0")
load_dist=$(load)
dl_stop a
dl_stop b
remote=$(dl_where "$W/dist.log.distcc" | grep -E '^mm/' | grep -vc ' localhost$')

# 4. the figures and the projection
awk -v cpus="$cpus" -v c="$c" -v t0="$t_fixed" -v tl="$t_local" -v td="$t_dist" \
    -v ll="$load_local" -v ld="$load_dist" -v n="$nunits" -v remote="$remote" \
    -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v rev="$(git rev-parse --short HEAD 2>/dev/null)" '
FILENAME ~ /cpp.txt$/ { p[$1] = $2; next }
$1 ~ /^mm\// && $2 == 0 && $4 > 0 { wall[$1] = $3 / 1000; an[$1] = $7 / 1e6 }
END {
	for (u in wall) {
		s = wall[u] - p[u]; if (s < 0) s = 0
		sp += p[u]; ss += s; sa += an[u]; k++
		if (s > smax) { smax = s; umax = u }
	}
	printf "mmlock %s, %s, 6.12 mm/: %d units (%d measured), %d CPUs\n\n", rev, date, n, k, cpus
	printf "| measure | seconds |\n|---|---|\n"
	printf "| local build, make -j%d KCFLAGS=-fplugin=... (load %s) | %.1f |\n", cpus, ll, tl
	printf "| distributed, make -j4 CC=\"mmlock cc distcc mmlock-gcc\", two distccd on loopback, %d of %d units remote (load %s) | %.1f |\n", remote, n, ld, td
	printf "| make with nothing to compile (T0) | %.1f |\n", t0
	printf "| sum over units, one at a time: compile with the plugin | %.1f |\n", sp + ss
	printf "|   of it the preprocessing (P, the client'"'"'s part) | %.1f |\n", sp
	printf "|   the rest (S: compile + analysis, a host'"'"'s part) | %.1f |\n", ss
	printf "|   of S the analysis (the plugin'"'"'s receipts) | %.2f |\n", sa
	printf "| longest unit, S (%s) | %.1f |\n", umax, smax
	printf "\nmodel: T(N) = T0 + max(sum P / C, sum S / (c N), max S), C = %d client cores, c = %d cores a host\n", cpus, c
	printf "check, this machine alone: T0 + sum(P + S) / %d = %.1f s (measured %.1f s)\n", cpus, t0 + (sp + ss) / cpus, tl
	for (i = 1; i <= 4; i++) {
		N = (i == 1 ? 2 : i == 2 ? 8 : i == 3 ? 32 : 128)
		a = sp / cpus; b = ss / (c * N); m = a; why = "the client'"'"'s preprocessing"
		if (b > m) { m = b; why = "the hosts'"'"' compiles" }
		if (smax > m) { m = smax; why = "the longest unit (" umax ")" }
		printf "N = %3d hosts: %.1f s (bound by %s)\n", N, t0 + m, why
	}
}' "$W/cpp.txt" "$W/units.tsv" | tee "$out"
