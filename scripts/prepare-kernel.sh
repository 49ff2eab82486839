#!/bin/bash
# prepare-kernel.sh - prepare a configured Linux tree (6.1 or 6.12) for mmlock.
#
# Unpacks /usr/src/linux-source-V.tar.xz (Debian package linux-source-V, V
# = 6.1 or 6.12) into ${MMLOCK_CACHE:-$HOME/.cache/mmlock}/linux-V, configures it
# (x86_64 defconfig + the mm options mmlock cares about), runs `make prepare`
# and builds a fixed set of mm objects once so that kbuild's command files
# (mm/.X.o.cmd, see scripts/kbuild-cmd.sh) exist, then the rest of mm/.  Idempotent: a stamp file
# holding the config hash makes a repeated run return at once.
#
# Usage: scripts/prepare-kernel.sh [--kernel 6.1|6.12]
#        (prints the tree path as the last line)
# Env:   MMLOCK_KERNEL           the kernel when --kernel is not given (default 6.12)
#        MMLOCK_CACHE            cache dir (default $HOME/.cache/mmlock)
#        MMLOCK_KERNEL_TARBALL   source tarball (default /usr/src/linux-source-V.tar.xz)
#        MMLOCK_JOBS             make -j value (default 2)
# Make output goes to $CACHE/prepare.log; progress and errors go to stderr.
set -eu

KERNEL=${MMLOCK_KERNEL:-6.12}
if [ "${1:-}" = --kernel ]; then KERNEL=${2:-}; shift 2 || true; fi
case $KERNEL in
6.1|6.12) ;;
*) echo "prepare-kernel: unknown kernel '$KERNEL' (6.1 or 6.12)" >&2; exit 2 ;;
esac
CACHE=${MMLOCK_CACHE:-$HOME/.cache/mmlock}
TARBALL=${MMLOCK_KERNEL_TARBALL:-/usr/src/linux-source-$KERNEL.tar.xz}
JOBS=${MMLOCK_JOBS:-2}
TREE=$CACHE/linux-$KERNEL
STAMP=$TREE/.mmlock-prepared
LOG=$CACHE/prepare-$KERNEL.log

# Options that must end up =y in .config.  HUGETLB_PAGE is a def_bool that
# follows HUGETLBFS; MIGRATION is normally selected; listing them anyway makes
# the final check cover them.
OPTIONS="TRANSPARENT_HUGEPAGE TRANSPARENT_HUGEPAGE_ALWAYS USERFAULTFD SHMEM
HUGETLBFS HUGETLB_PAGE SWAP MIGRATION KSM MEMORY_FAILURE DEBUG_VM"
# The per-VMA lock (6.4+) comes with defconfig on x86_64; make sure of it.
[ "$KERNEL" = 6.1 ] || OPTIONS="$OPTIONS PER_VMA_LOCK"

OBJS="mm/khugepaged.o mm/memory.o mm/huge_memory.o mm/mremap.o mm/madvise.o
mm/mprotect.o mm/rmap.o mm/gup.o mm/userfaultfd.o mm/pgtable-generic.o
arch/x86/mm/fault.o fs/proc/task_mmu.o"

# Bump when the recipe changes in a way the option/object lists don't show.
RECIPE_VERSION=2

# Hash of the resulting .config plus the recipe; stored in the stamp file.
config_hash() {
	{ cat "$TREE/.config"; echo "recipe=$RECIPE_VERSION"; echo "$OPTIONS"; echo "$OBJS"; } |
		sha256sum | cut -d' ' -f1
}

# True when every object and its kbuild .cmd file exists.
objects_present() {
	local o
	for o in $OBJS; do
		[ -f "$TREE/$o" ] && [ -f "$TREE/$(dirname "$o")/.$(basename "$o").cmd" ] || return 1
	done
}

is_prepared() {
	[ -f "$STAMP" ] && [ -f "$TREE/.config" ] && objects_present &&
		[ "$(cat "$STAMP")" = "$(config_hash)" ]
}

# Fast path: nothing to do.
if is_prepared; then
	echo "$TREE"
	exit 0
fi

mkdir -p "$CACHE"
# Serialise concurrent runs against the same cache.
exec 9>"$CACHE/.lock-$KERNEL"
flock 9
if is_prepared; then
	echo "$TREE"
	exit 0
fi

say() { echo "prepare-kernel: $*" >&2; }

# Run a command with output appended to the log; on failure show the log tail.
run() {
	echo "+ $*" >>"$LOG"
	if ! "$@" >>"$LOG" 2>&1; then
		say "FAILED: $*"
		tail -n 40 "$LOG" | sed 's/^/  | /' >&2
		say "full log: $LOG"
		exit 1
	fi
}

: >"$LOG"
rm -f "$STAMP"

# 1. Unpack the source tree if missing.
if [ ! -f "$TREE/Makefile" ]; then
	if [ ! -f "$TARBALL" ]; then
		echo "prepare-kernel: $TARBALL not found; run: apt-get install linux-source-$KERNEL" >&2
		exit 2
	fi
	say "unpacking $TARBALL into $TREE"
	tmp=$CACHE/.unpack.$$
	rm -rf "$CACHE"/.unpack.* "$TREE"
	mkdir -p "$tmp"
	run tar -xJf "$TARBALL" -C "$tmp" --strip-components=1
	mv "$tmp" "$TREE"
fi

cd "$TREE"

# 2. Configure.  If the regenerated .config is identical to the old one, keep
# the old timestamp so that kbuild does not redo anything.
say "configuring (defconfig + mm options)"
[ -f .config ] && cp -p .config .config.mmlock-old
run make defconfig
for opt in $OPTIONS; do
	run ./scripts/config --file .config --enable "$opt"
done
run ./scripts/config --file .config --disable TRANSPARENT_HUGEPAGE_MADVISE
run make olddefconfig
if [ -f .config.mmlock-old ]; then
	if cmp -s .config .config.mmlock-old; then
		touch -r .config.mmlock-old .config
	fi
	rm -f .config.mmlock-old
fi

missing=
for opt in $OPTIONS; do
	grep -qx "CONFIG_$opt=y" .config || missing="$missing CONFIG_$opt"
done
if [ -n "$missing" ]; then
	say "FAILED: .config lacks required options:$missing"
	for opt in $OPTIONS; do
		if grep -qE "^(# )?CONFIG_${opt}[= ]" .config; then
			grep -E "^(# )?CONFIG_${opt}[= ]" .config | sed 's/^/  | /' >&2
		else
			echo "  | CONFIG_$opt absent" >&2
		fi
	done
	exit 1
fi

# 3. Prepare and build the objects once so their .cmd files exist: the ten
# of the noise benchmark, the fault handler (the per-VMA lock's protocol)
# and fs/proc's page walkers, then the rest of mm/ (the main job's scope).
say "make prepare (log: $LOG)"
run make -j"$JOBS" prepare
say "building $(echo "$OBJS" | wc -w) objects"
# shellcheck disable=SC2086
run make -j"$JOBS" $OBJS
say "building the rest of mm/"
run make -j"$JOBS" mm/
if ! objects_present; then
	say "FAILED: make succeeded but some objects or .cmd files are missing:"
	for o in $OBJS; do
		c=$(dirname "$o")/.$(basename "$o").cmd
		[ -f "$o" ] || echo "  | missing $o" >&2
		[ -f "$c" ] || echo "  | missing $c" >&2
	done
	exit 1
fi

config_hash >"$STAMP"
say "done"
echo "$TREE"
