#!/bin/bash
# main.sh: mmlock's main job, one command on a fresh Debian machine.
#  1. installs what mmlock needs (scripts/install-deps.sh) and builds it;
#  2. prepares Debian's linux-source-6.12 (or, --kernel 6.1, 6.1) in
#     ${MMLOCK_CACHE:-~/.cache/mmlock} (scripts/prepare-kernel.sh: unpack,
#     defconfig + THP, userfaultfd, shmem, hugetlbfs, swap, migration, make
#     prepare) and a copy of it for kbuild runs (scripts/check-tree.sh), both
#     reused when present; --tree DIR analyses a configured tree of your own
#     in place instead;
#  3. runs `make -jN C=2 CHECK="build/mmlock check" mm/` there: the GCC
#     plugin and sparse on every unit of mm/;
#  4. runs the Coccinelle rules (`mmlock cocci`) over the same mm/;
#  5. stores everything in one database, as one run (MMLOCK_RUN_KEY), and
#     prints a summary by rule and by file, the database's path and how to
#     query it.
#
# Usage: scripts/main.sh [-j N] [--kernel 6.1|6.12 | --tree DIR]
# Env:   MMLOCK_DB (default $MMLOCK_CACHE/mmlock.db), MMLOCK_CACHE
# Exit:  0 when the job ran (findings or not), 1 when a step failed.
set -eu
cd "$(dirname "$0")/.."
here=$PWD
jobs=$(nproc) kernel=6.12 own_tree=
usage() { echo "usage: scripts/main.sh [-j N] [--kernel 6.1|6.12 | --tree DIR]" >&2; exit 2; }
while [ $# -gt 0 ]; do
	case $1 in
	-j) jobs=${2:-}; shift 2 || usage ;;
	--kernel) kernel=${2:-}; shift 2 || usage ;;
	--tree) own_tree=${2:-}; shift 2 || usage ;;
	*) usage ;;
	esac
done
case $jobs in ''|*[!0-9]*) echo "mmlock: -j needs a number, not '$jobs'" >&2; exit 2 ;; esac
case $kernel in 6.1|6.12) ;; *) echo "mmlock: --kernel is 6.1 or 6.12, not '$kernel'" >&2; exit 2 ;; esac
if [ -n "$own_tree" ]; then
	[ -f "$own_tree/Makefile" ] && [ -f "$own_tree/.config" ] ||
		{ echo "mmlock: --tree $own_tree: not a configured kernel tree (no Makefile or .config)" >&2; exit 2; }
	own_tree=$(cd "$own_tree" && pwd)
fi
export MMLOCK_JOBS=$jobs MMLOCK_KERNEL=$kernel
cache=${MMLOCK_CACHE:-$HOME/.cache/mmlock}
db=${MMLOCK_DB:-$cache/mmlock.db}
case $db in /*) ;; *) db=$here/$db ;; esac
M=$here/build/mmlock
say() { echo "mmlock: $*"; }
fail() { echo "mmlock: FAILED: $*" >&2; exit 1; }
t_start=$(date +%s)
elapsed() { echo $(( $(date +%s) - $1 ))s; }

scripts/install-deps.sh
make -s >/dev/null || fail "make (build mmlock)"
mkdir -p "$cache" "$(dirname "$db")"
t=$(date +%s)
if [ -n "$own_tree" ]; then
	tree=$own_tree
else
	tree=$(scripts/check-tree.sh check | tail -1) || fail "preparing the kernel tree"
fi
prep=$(elapsed "$t")
say "kernel tree $tree ($(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' "$tree/Makefile" | paste -sd.), ready in $prep)"

export MMLOCK_RUN_KEY=main-$(date +%Y%m%dT%H%M%S)-$$
log=$cache/main-c2.log
t=$(date +%s)
say "make -j$jobs C=2 CHECK=\"$M check\" mm/  (log: $log)"
if ! MMLOCK_DB=$db make -C "$tree" -j"$jobs" C=2 CHECK="$M check" mm/ >"$log" 2>&1; then
	grep -E 'mmlock:|Error' "$log" | head -5 >&2
	fail "make C=2 (see $log)"
fi
c2=$(elapsed "$t")
units=$(grep -c '^  CHECK   mm/' "$log" || true)
say "checked $units units of mm/ in $c2"
nnotes=$(grep -c "internal error\|not analysed" "$log" || true)
if [ "$nnotes" -gt 0 ]; then
	say "$nnotes functions not analysed (the plugin's notes, in $log), e.g.:"
	grep "internal error\|not analysed" "$log" | head -5 | sed 's/^/  /'
fi

cocci=$cache/main-cocci.txt
t=$(date +%s)
if "$M" cocci --list-rules >/dev/null 2>&1; then
	say "mmlock cocci -j $jobs mm/"
	rc=0
	(cd "$tree" && "$M" cocci -j "$jobs" mm/) >"$cocci" 2>"$cocci.err" || rc=$?
	[ $rc -le 1 ] || { cat "$cocci.err" >&2; fail "mmlock cocci"; }
	(cd "$tree" && "$M" db --db "$db" import --engine cocci --run-key "$MMLOCK_RUN_KEY" "$cocci" >/dev/null) ||
		fail "storing the Coccinelle findings"
	nbad=$(grep -c 'not analysed' "$cocci.err" || true)
	say "Coccinelle rules over mm/ in $(elapsed "$t")$([ "$nbad" -gt 0 ] && echo ", $nbad parts not analysed (see $cocci.err)")"
else
	say "mmlock cocci is not built in: Coccinelle rules skipped"
fi

run=$("$M" db --db "$db" sql "SELECT id FROM runs WHERE key = ?1" "$MMLOCK_RUN_KEY" --format tsv | tail -n +2)
[ -n "$run" ] || fail "no run $MMLOCK_RUN_KEY in $db"
echo
"$M" db --db "$db" stats --run "$run" --by rule,file
echo
read -r status engines < <("$M" db --db "$db" sql "SELECT status, engines FROM runs WHERE id = ?1" "$run" \
	--format tsv | tail -n +2)
counts=$(for e in ${engines//,/ }; do
	echo "$e $("$M" db --db "$db" sql "SELECT count(*) FROM findings WHERE run = ?1 AND engine = ?2" \
		"$run" "$e" --format tsv | tail -n +2)"
done | paste -sd, | sed 's/,/, /g')
say "findings by engine: $counts"
say "run $run ($status) stored in $db; the job took $(elapsed "$t_start")"
cat <<EOF
Query it:
  $M db --db $db list --run $run                      every finding, with its path
  $M db --db $db list --run $run --engine gcc-plugin  the plugin's (also: sparse, cocci)
  $M db --db $db stats --run $run --by rule,file
  $M db --db $db export --run $run --format sarif > mm.sarif
  $M db --db $db sql "SELECT rule, file, line, message FROM findings WHERE run = $run"
  (or MMLOCK_DB=$db $M db ...; a later run: $M db diff $run latest)
EOF
