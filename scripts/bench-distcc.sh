#!/bin/bash
# bench-distcc.sh (make bench-distcc): what a distributed analysis costs,
# measured on 6.12's mm/ in the tree copy of make analyse-distcc, and the
# projection to N hosts.  Into build/bench-distcc.txt (and stdout):
#
#  1. per unit, one at a time (-j1, `mmlock cc gcc` with the plugin): the
#     compile's wall time, and of it the plugin's analysis (the receipt's
#     usec); then kbuild's command with -E: the preprocessing, which a
#     distcc client does itself;
#  2. the same make again, nothing to compile (kbuild's own walk: T0);
#  3. the local build, make -jCPUS KCFLAGS=-fplugin=... (the plugin storing
#     its findings), and the distributed one, make -j4 CC="mmlock cc distcc
#     mmlock-gcc" with two distccd on loopback (scripts/distcc-lib.sh).
#     Both daemons share this machine's cores: no speed-up is expected;
#  4. the projection, in CPU seconds (this machine is shared with other
#     jobs; a compile's CPU time is its time on an idle core): with P the
#     preprocessing (the client's), S the compile's CPU less P (a host's:
#     compile and analysis), R the rest of the recipes (objtool, make's
#     shell: the -j1 make's CPU less the compiles' and the walk's), C the
#     client's cores and N hosts of c cores,
#         T(N) = T0 + max((sum P + R) / C, sum S / (c N), max S)
#     (each unit's remote part runs on one core; the longest unit bounds
#     it from below).  Checked against the local build, N = 0:
#     T0 + (sum P + R + sum S) / C.
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

# 1. per unit, one at a time; then the same make with nothing to do (T0)
say "1. $nunits units one at a time (-j1), then their preprocessing, load $(load)"
fresh
j1=(make -C "$tree" -j1 CC="$M cc --no-db --log=$W/units.tsv gcc" KCFLAGS="$plugin" mm/)
cpu() { awk '{ printf "%.2f", $1 + $2 }' "$1"; }	# user + sys of /usr/bin/time
t0=$(now)
/usr/bin/time -f '%U %S' -o "$W/j1.cpu" "${j1[@]}" >"$W/j1.log" 2>&1 || { say "the -j1 build failed"; exit 2; }
t_j1=$(secs "$t0")
t0=$(now)
/usr/bin/time -f '%U %S' -o "$W/noop.cpu" "${j1[@]}" >"$W/noop.log" 2>&1
t_fixed=$(secs "$t0")
cpu_j1=$(cpu "$W/j1.cpu")
cpu_noop=$(cpu "$W/noop.cpu")
grep -q '^  CC ' "$W/noop.log" && say "warning: the second make compiled something"
for u in $units; do
	cmd=$(scripts/kbuild-cmd.sh "$prepared" "$u") || continue
	obj=${u%.c}.o
	cmd=${cmd/-Wp,-MMD,$(dirname "$u")\/.$(basename "$obj").d/}
	cmd=${cmd/ -c -o $obj $u/ -E -o /dev/null $u}
	(cd "$tree" && eval "/usr/bin/time -f '%e %U %S' -o $W/cpp1 $cmd") >/dev/null 2>&1
	echo "$u $(tail -1 "$W/cpp1")"
done >"$W/cpp.txt"

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

# 4. the figures and the projection (CPU seconds: this machine is shared,
#    a compile's CPU time is what it costs on an idle host)
awk -v cpus="$cpus" -v c="$c" -v t0="$t_fixed" -v tj1="$t_j1" -v tl="$t_local" -v td="$t_dist" \
    -v cj1="$cpu_j1" -v cnoop="$cpu_noop" \
    -v ll="$load_local" -v ld="$load_dist" -v n="$nunits" -v remote="$remote" \
    -v date="$(date -u '+%Y-%m-%d %H:%M UTC')" -v rev="$(git rev-parse --short HEAD 2>/dev/null)" '
FILENAME ~ /cpp.txt$/ { pw[$1] = $2; p[$1] = $3 + $4; next }
$1 ~ /^mm\// && $2 == 0 && $4 > 0 { wall[$1] = $3 / 1000; cpu[$1] = $10 / 1000; an[$1] = $7 / 1e6 }
END {
	for (u in cpu) {
		s = cpu[u] - p[u]; if (s < 0) s = 0
		sp += p[u]; ss += s; sa += an[u]; sw += wall[u]; k++
		if (s > smax) { smax = s; umax = u }
	}
	# the rest of the recipes (objtool, the shell; on the client): the -j1
	# make CPU less that of its walk (the make with nothing to do) and the compiles
	r = cj1 - cnoop - (sp + ss); if (r < 0) r = 0
	printf "mmlock %s, %s, 6.12 mm/: %d units (%d measured), %d CPUs\n\n", rev, date, n, k, cpus
	printf "| measure | seconds |\n|---|---|\n"
	printf "| local build, make -j%d KCFLAGS=-fplugin=... (load at the end %s) | %.1f |\n", cpus, ll, tl
	printf "| distributed, make -j4 CC=\"mmlock cc distcc mmlock-gcc\", two distccd on loopback, %d of %d units remote (load at the end %s) | %.1f |\n", remote, n, ld, td
	printf "| -j1 build through mmlock cc gcc, wall / CPU | %.1f / %.1f |\n", tj1, cj1
	printf "| the same make again, nothing to compile (T0) | %.1f |\n", t0
	printf "| sum over units (-j1): CPU of the compile with the plugin | %.1f |\n", sp + ss
	printf "|   of it the preprocessing (P: the client), CPU | %.1f |\n", sp
	printf "|   the rest (S: compile and analysis, a host), CPU | %.1f |\n", ss
	printf "|   of S the analysis (the plugin'"'"'s receipts) | %.2f |\n", sa
	printf "| rest of the recipes (R: objtool, the shell; the client), CPU: the -j1 make less the compiles and T0'"'"'s %.1f | %.1f |\n", cnoop, r
	printf "| longest unit, S (%s) | %.1f |\n", umax, smax
	printf "\nmodel: T(N) = T0 + max((sum P + R) / C, sum S / (c N), max S), C = %d client cores, c = %d cores a host\n", cpus, c
	printf "check, this machine alone (N = 0): T0 + (sum P + R + sum S) / %d = %.1f s (measured %.1f s)\n", cpus, t0 + (sp + r + ss) / cpus, tl
	for (i = 1; i <= 5; i++) {
		N = (i == 1 ? 1 : i == 2 ? 2 : i == 3 ? 8 : i == 4 ? 32 : 128)
		a = (sp + r) / cpus; b = ss / (c * N); m = a; why = "the client'"'"'s part"
		if (b > m) { m = b; why = "the hosts'"'"' compiles" }
		if (smax > m) { m = smax; why = "the longest unit (" umax ")" }
		printf "N = %3d hosts: %.1f s (bound by %s)\n", N, t0 + m, why
	}
}' "$W/cpp.txt" "$W/units.tsv" | tee "$out"
