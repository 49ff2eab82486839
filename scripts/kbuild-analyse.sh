#!/bin/bash
# kbuild-analyse.sh TREE mm/FILE.c [SOURCE] [PLUGIN-ARGS...]: run the plugin in
# analysis-only mode with kbuild's exact compiler command for mm/FILE.c,
# on SOURCE (default: the file itself; a scratch copy for mutation tests).
# Prints the compiler's diagnostics; exit status is gcc's.
set -u
here=$(cd "$(dirname "$0")/.." && pwd)
tree=$1 file=$2 src=${3:-$2}	# relative: as kbuild names it
shift $(( $# < 3 ? $# : 3 ))
cmd=$("$here/scripts/kbuild-cmd.sh" "$tree" "$file") || exit 2
obj=${file%.c}.o
cmd=${cmd/-Wp,-MMD,$(dirname "$file")\/.$(basename "$obj").d/}
cmd=${cmd/ -c -o $obj $file/ -S -o /dev/null}
extra=""
for a in "$@"; do extra="$extra -fplugin-arg-mmlock_plugin-$a"; done
quiet=""
[ "$src" != "$file" ] && quiet="-w"	# a mutated copy may leave unused variables
cd "$tree" && eval "$cmd $quiet -I$(dirname "$file") -fplugin=$here/build/mmlock_plugin.so \
	-fplugin-arg-mmlock_plugin-analysis-only $extra $src"
