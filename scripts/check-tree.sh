#!/bin/bash
# check-tree.sh NAME: a working copy of a prepared kernel tree
# ($MMLOCK_KERNEL: 6.12 by default, or 6.1) for
# kbuild runs of mmlock (make C=2 CHECK=..., make KCFLAGS=...).
#
# The prepared tree (scripts/prepare-kernel.sh) is read by other tests for
# kbuild's plain commands (mm/.X.o.cmd); a kbuild run with other flags
# would rewrite those, so such runs happen in a copy:
# ${MMLOCK_CACHE:-~/.cache/mmlock}/linux-VERSION-NAME.  The copy is made once
# and reused while the prepared tree's stamp is unchanged: cp -a, the
# absolute paths the tools' build (objtool) recorded rewritten to the
# copy's with their times kept (else objtool, and with it all of mm/, would
# be rebuilt), then a `make mm/` that finds everything up to date.  On
# reuse the sources of mm/ are put back as they are in the prepared tree
# (content and time), in case a test that changed them in place was
# killed; files it added there are removed.
#
# Usage: scripts/check-tree.sh NAME     (prints the copy's path, last line)
# Env:   MMLOCK_KERNEL, MMLOCK_CACHE, MMLOCK_JOBS (make -j, default: the number of CPUs)
set -eu
name=${1:?usage: check-tree.sh NAME}
here=$(cd "$(dirname "$0")/.." && pwd)
kernel=${MMLOCK_KERNEL:-6.12}
tree=$("$here/scripts/prepare-kernel.sh" --kernel "$kernel" | tail -1)
cache=${MMLOCK_CACHE:-$HOME/.cache/mmlock}
copy=$cache/linux-$kernel-$name
jobs=${MMLOCK_JOBS:-$(nproc)}
log=$cache/check-tree-$kernel-$name.log
say() { echo "check-tree: $*" >&2; }

exec 8>"$cache/.lock-$kernel-$name"
flock 8

# mm/*.[ch] as in the prepared tree: changed files back, added ones gone
repair() {
	local f rel
	for f in "$tree"/mm/*.[ch]; do
		rel=mm/${f##*/}
		if ! cmp -s "$f" "$copy/$rel" || [ "$f" -nt "$copy/$rel" ] || [ "$f" -ot "$copy/$rel" ]; then
			say "restoring $rel"
			cp -p "$f" "$copy/$rel"
		fi
	done
	for f in "$copy"/mm/*.c "$copy"/mm/*.h; do
		[ -e "$tree/mm/${f##*/}" ] || { say "removing ${f#$copy/}"; rm -f "$f"; }
	done
}

if [ -f "$copy/.mmlock-copy" ] && cmp -s "$copy/.mmlock-copy" "$tree/.mmlock-prepared"; then
	repair
	echo "$copy"
	exit 0
fi

say "copying $tree to $copy (once)"
rm -rf "$copy" "$copy.tmp"
cp -a --reflink=auto "$tree" "$copy.tmp"
rm -f "$copy.tmp/.mmlock-prepared"
(cd "$copy.tmp" && find . \( -name '.*.cmd' -o -name '.*.d' \) -type f -print0 |
	xargs -0 grep -lF "$tree/" | while read -r f; do
		sed -i "s#$tree/#$copy/#g" "$f"
		touch -r "$tree/$f" "$f"
	done)
mv "$copy.tmp" "$copy"
say "building mm/ in the copy (log: $log)"
if ! make -C "$copy" -j"$jobs" mm/ >"$log" 2>&1; then
	say "FAILED: make mm/ in $copy"
	tail -n 20 "$log" | sed 's/^/  | /' >&2
	exit 1
fi
cp "$tree/.mmlock-prepared" "$copy/.mmlock-copy"
echo "$copy"
