#!/bin/bash
# analyse-distcc.sh (make analyse-distcc): the analysis of 6.12's mm/ sent
# through distcc to two distccd daemons on loopback, its findings brought
# home and stored by the client, compared with a local build.
#
#  1. a copy of the prepared linux-source-6.12 (scripts/check-tree.sh
#     distcc); the plugin, mmlock-gcc and the rules copied to one
#     directory every "host" reads (scripts/distcc-lib.sh);
#  2. the local build: make KCFLAGS="-fplugin=... db=DB" mm/, the plugin
#     storing its findings itself (MMLOCK_RUN_KEY: one run);
#  3. two distccd (Debian's distcc) on 127.0.0.2 and 127.0.0.3, each at a
#     free port, --allow 127.0.0.0/8, serving only mmlock-gcc;
#  4. the distributed build: make -j4 CC="build/mmlock cc distcc
#     mmlock-gcc" mm/, every compile sent to the daemons, the findings
#     coming back on the compiler's stderr and stored by mmlock cc, here;
#  5. the daemons stopped; where each unit was compiled read from distcc's
#     own log; the two runs compared by fingerprint (SQL over the
#     database, and mmlock db diff).
# Last line: "distcc: N units, R compiled remotely, F findings, same as
# local: yes|no".  Exit 1 when the runs differ, when a unit of mm/ is
# missing or when nothing was compiled remotely; 2 when it could not run.
# The database ($MMLOCK_CACHE/analyse-distcc.db, local run then distcc
# run) and the logs ($MMLOCK_CACHE/analyse-distcc/) are kept.
# Env: MMLOCK_CACHE, MMLOCK_JOBS (the local build's -j, default: CPUs).
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here" || exit 2
export LC_ALL=C
unset MMLOCK_DB MMLOCK_RUN_KEY MMLOCK_CC_LOG DISTCC_HOSTS DISTCC_LOG DISTCC_VERBOSE \
	DISTCC_FALLBACK DISTCC_SKIP_LOCAL_RETRY
. scripts/distcc-lib.sh
M=$here/build/mmlock
cache=${MMLOCK_CACHE:-$HOME/.cache/mmlock}
out=$cache/analyse-distcc
db=$cache/analyse-distcc.db
jobs=${MMLOCK_JOBS:-$(nproc)}
say() { echo "analyse-distcc: $*" >&2; }
sql() { "$M" db --db "$db" sql "$1" --format tsv | tail -n +2; }
now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

tree=$(MMLOCK_KERNEL=6.12 scripts/check-tree.sh distcc | tail -1) || { say "no tree"; exit 2; }
dl_setup
mkdir -p "$out"
rm -f "$db" "$db-wal" "$db-shm"
inst=$DL/inst
# the units kbuild builds in mm/ in this configuration
units=$(cd "$tree" && ls mm/.*.o.cmd | sed -E 's#mm/\.(.*)\.o\.cmd#mm/\1.c#' |
	while read -r f; do [ -f "$f" ] && echo "$f"; done | sort)
nunits=$(echo "$units" | grep -c .)
fresh() { find "$tree/mm" -name '*.o' -delete; }	# every unit compiled again

# 2. local
say "local build of mm/ ($nunits units, -j$jobs, the plugin storing its findings)"
fresh
t0=$(now)
MMLOCK_RUN_KEY=local-$$ make -C "$tree" -j"$jobs" KCFLAGS="-fplugin=$inst/mmlock_plugin.so \
	-fplugin-arg-mmlock_plugin-rules=$inst/mm.rules -fplugin-arg-mmlock_plugin-db=$db" \
	mm/ >"$out/local.log" 2>&1 || { say "local build failed: $(grep -m3 -i error "$out/local.log")"; exit 2; }
local_secs=$(secs "$t0")

# 3, 4. distributed
dl_start a 127.0.0.2
dl_start b 127.0.0.3
say "distccd a on $dl_host_a, b on $dl_host_b; distributed build (-j4)"
fresh
t0=$(now)
MMLOCK_RUN_KEY=distcc-$$ dl_build "$tree" "$db" "$out/distcc.log" "$dl_host_a $dl_host_b" 4 mm/
rc=$?
dist_secs=$(secs "$t0")
dl_stop a
dl_stop b
cp "$DL"/daemons/*.log "$out/" 2>/dev/null
[ $rc -eq 0 ] || { say "distributed build failed (exit $rc): $(grep -m3 -i 'error\|mmlock cc' "$out/distcc.log")"; }

# 5. where each unit went, what was stored
where=$(dl_where "$out/distcc.log.distcc" | grep -E '^mm/')
echo "$where" >"$out/where.txt"
analysed=$(awk -F'\t' '$2 == 0 && $4 > 0 { print $1 }' "$out/distcc.log.units" | sed 's#^\./##' |
	grep -E '^mm/' | sort -u)
n=$(echo "$analysed" | grep -c .)
remote=$(echo "$where" | awk -v a="${dl_host_a%/*}" -v b="${dl_host_b%/*}" '$2 == a || $2 == b' | grep -c .)
missing=$(comm -23 <(echo "$units") <(echo "$analysed") | head -3 | tr '\n' ' ')
lrun=$(sql "SELECT id FROM runs WHERE key = 'local-$$'")
drun=$(sql "SELECT id FROM runs WHERE key = 'distcc-$$'")
fprints() { sql "SELECT fingerprint || ' ' || rule || ' ' || file || ':' || line FROM findings WHERE run = ${1:-0}" | sort; }
lset=$(fprints "$lrun")
dset=$(fprints "$drun")
f=$(echo "$dset" | grep -c .)
dstatus=$(sql "SELECT status || ' ' || writers || ' ' || writers_done FROM runs WHERE id = ${drun:-0}")
"$M" db --db "$db" diff "$lrun" "$drun" >"$out/diff.txt" 2>&1
diffline=$(tail -1 "$out/diff.txt")
for h in a b; do
	eval "hp=\${dl_host_$h%/*}"
	say "  distccd $h ($hp): $(echo "$where" | awk -v h="$hp" '$2 == h' | grep -c .) units of mm/"
done
say "  locally (distcc's fallback): $(echo "$where" | awk '$2 == "localhost"' | grep -c .) units"
say "  local build ${local_secs}s (-j$jobs), distributed ${dist_secs}s (-j4, both daemons on this machine's $(nproc) CPUs)"
say "  local run $lrun: $(echo "$lset" | grep -c .) findings; distcc run $drun ($dstatus): $f findings"
say "  db diff: $diffline"
say "  logs: $out/, database: $db"

same=no
if [ $rc -eq 0 ] && [ -n "$lrun" ] && [ -n "$drun" ] && [ "$lset" == "$dset" ] &&
	[ "${dstatus%% *}" = complete ] && [ -z "$missing" ]; then
	same=yes
fi
[ -n "$missing" ] && say "units not analysed: $missing"
[ "$lset" != "$dset" ] && say "differ: $(diff <(echo "$lset") <(echo "$dset") | grep '^[<>]' | head -5 | tr '\n' ' ')"
[ "$remote" -eq 0 ] && say "nothing was compiled remotely (distcc's log: $out/distcc.log.distcc)"
echo "distcc: $n units, $remote compiled remotely, $f findings, same as local: $same"
[ "$same" = yes ] && [ "$remote" -gt 0 ]
