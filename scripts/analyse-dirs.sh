#!/bin/bash
# analyse-dirs.sh: whole directories of a prepared tree ($MMLOCK_KERNEL, 6.12 by default) through
# `make C=2 CHECK="build/mmlock check"` (the GCC plugin and sparse on every
# unit), into one database run, then a report:
#   - plugin errors: "mmlock: internal error" / "not analysed" notes,
#     compiler crashes, a CHECK (or compile) command that failed;
#   - the number of units checked, per directory;
#   - finding counts per rule and engine (gcc-plugin / sparse).
# The kbuild run happens in a copy of the prepared tree
# (scripts/check-tree.sh dirs); kernel/ and fs/ are compiled there the
# first time (long on 2 cores), then only checked.  make -k: one failing
# unit does not hide the others.  Not part of `make check`/`check-kernel`.
#
# Usage: scripts/analyse-dirs.sh [-j N] [DIR...]     (default: mm kernel fs, -j 2)
# Env:   MMLOCK_DB (default $MMLOCK_CACHE/analyse-dirs.db), MMLOCK_CACHE
# Exit:  0 no plugin error, 1 plugin errors (listed), 2 set-up failed.
set -u
cd "$(dirname "$0")/.." || exit 2
here=$PWD
jobs=2
if [ "${1:-}" = "-j" ]; then jobs=${2:?-j needs a number}; shift 2; fi
[ $# -gt 0 ] || set -- mm kernel fs
cache=${MMLOCK_CACHE:-$HOME/.cache/mmlock}
db=${MMLOCK_DB:-$cache/analyse-dirs.db}
case $db in /*) ;; *) db=$here/$db ;; esac
M=$here/build/mmlock
say() { echo "analyse-dirs: $*"; }
die() { echo "analyse-dirs: $*" >&2; exit 2; }
q() { "$M" db --db "$db" sql "$@" --format tsv | tail -n +2; }

make -s >/dev/null || die "make (build mmlock) failed"
mkdir -p "$cache"
# a snapshot of the build and the rules: the run (long) is not disturbed by
# a rebuild in this checkout
snap=$cache/analyse-dirs-bin
rm -rf "$snap" && mkdir -p "$snap" &&
	cp build/mmlock build/mmlock_plugin.so rules/mm.rules "$snap/" || die "snapshot of build/"
M=$snap/mmlock
export MMLOCK_PLUGIN=$snap/mmlock_plugin.so
say "mmlock $(git rev-parse --short HEAD)$(git diff --quiet HEAD -- plugin rules driver db || echo +changes), rules $snap/mm.rules"
export MMLOCK_JOBS=$jobs
tree=$(scripts/check-tree.sh dirs | tail -1) || die "preparing the kernel tree copy"
key=dirs-$(date +%Y%m%dT%H%M%S)-$$
log=$cache/analyse-dirs.log
t0=$(date +%s)
say "make -k -j$jobs C=2 CHECK=\"$M check\" ${*/%//}  in $tree (log: $log)"
MMLOCK_DB=$db MMLOCK_RUN_KEY=$key make -C "$tree" -k -j"$jobs" C=2 CHECK="$M check" \
	CF="--rules=$snap/mm.rules" "${@/%//}" >"$log" 2>&1
mrc=$?
secs=$(( $(date +%s) - t0 ))
say "make exited $mrc after ${secs}s"

# units checked, per directory
for d in "$@"; do
	echo "  $d/: $(grep -c "^  CHECK   $d/" "$log") units checked, $(grep -c "^  CC      $d/" "$log") compiled"
done

# plugin errors of any kind
errs=$cache/analyse-dirs-errors.txt
grep -nE "mmlock: internal error|not analysed|internal compiler error|Segmentation fault|Aborted|core dumped|mmlock: .*(cannot|failed|refus)|^make\[[0-9]+\]: \*\*\*" \
	"$log" >"$errs"
nerr=$(wc -l <"$errs")
if [ "$nerr" -gt 0 ]; then
	say "$nerr plugin error lines (all in $errs):"
	head -20 "$errs" | sed 's/^/  /'
else
	say "no plugin error: no internal-error or not-analysed note, no crash, every CHECK exited 0"
fi

run=$(q "SELECT id FROM runs WHERE key = ?1" "$key")
[ -n "$run" ] || die "no run $key in $db"
echo
say "run $run in $db ($(q "SELECT status FROM runs WHERE id = ?1" "$run"))"
echo "findings per rule and engine (every rule of the rules file, 0 included):"
printf '  %-22s %-11s %8s %9s\n' rule engine findings distinct
{
	"$M" rules "$snap/mm.rules" 2>/dev/null | cut -f1 | grep -v '^/' | while read -r r; do
		off=; grep -qE "^rule +$r +\".*\" +off *$" "$snap/mm.rules" && off=" (off)"
		echo "$r$off	gcc-plugin	$(q "SELECT count(*) FROM findings WHERE run = ?1 AND rule = ?2 AND engine = 'gcc-plugin'" "$run" "$r")	$(q "SELECT count(DISTINCT fingerprint) FROM findings WHERE run = ?1 AND rule = ?2 AND engine = 'gcc-plugin'" "$run" "$r")"
	done
	q "SELECT rule, engine, count(*), count(DISTINCT fingerprint) FROM findings WHERE run = ?1
	   AND engine <> 'gcc-plugin' GROUP BY rule, engine ORDER BY engine, rule" "$run"
} | while IFS=$'\t' read -r r e n d; do printf '  %-22s %-11s %8s %9s\n' "$r" "$e" "$n" "$d"; done
echo "findings per directory and engine:"
q "SELECT substr(file, 1, instr(file, '/') - 1) AS dir, engine, count(*) FROM findings
   WHERE run = ?1 GROUP BY dir, engine ORDER BY dir, engine" "$run" |
	while IFS=$'\t' read -r d e n; do printf '  %-10s %-11s %8s\n' "$d/" "$e" "$n"; done
echo
"$M" db --db "$db" stats --run "$run" --by rule
[ "$nerr" -eq 0 ] && [ "$mrc" -eq 0 ] || exit 1
exit 0
