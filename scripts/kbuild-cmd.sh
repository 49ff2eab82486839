#!/bin/bash
# kbuild-cmd.sh - print the compiler command kbuild used for one kernel file.
#
# Usage: scripts/kbuild-cmd.sh TREE DIR/FILE.c      (e.g. mm/khugepaged.c)
#
# Reads the `cmd_DIR/FILE.o := ...` (or `savedcmd_...`) line of TREE/DIR/.FILE.o.cmd (written by
# kbuild; see scripts/prepare-kernel.sh), undoes kbuild's make escaping
# ($$ -> $, $(pound) -> #) and prints, on one line, only the compiler
# invocation: trailing commands such as `; ./tools/objtool/objtool ...` are
# dropped.  Paths in the command are relative: run it with TREE as the cwd.
# Exits 2 with a one-line error if the .cmd file or its cmd_ line is missing.
set -eu

if [ $# -ne 2 ]; then
	echo "usage: $0 TREE DIR/FILE.c" >&2
	exit 2
fi

tree=${1%/}
src=${2#./}
case $src in
*.c) ;;
*)
	echo "kbuild-cmd: $src: expected a .c file relative to the tree (e.g. mm/khugepaged.c)" >&2
	exit 2
	;;
esac

obj=${src%.c}.o
dir=$(dirname "$obj")
cmdfile=$tree/$dir/.$(basename "$obj").cmd

if [ ! -f "$cmdfile" ]; then
	echo "kbuild-cmd: $cmdfile not found (build $obj in $tree first, e.g. scripts/prepare-kernel.sh)" >&2
	exit 2
fi

# Take the cmd_ line, unescape, and cut at the first `;` outside shell quotes.
# (kbuild 6.2+ names the line savedcmd_ instead of cmd_)
out=$(awk -v prefix="cmd_$obj := " '
index($0, prefix) == 1 || index($0, "saved" prefix) == 1 {
	s = substr($0, index($0, prefix) + length(prefix))
	r = ""; q = ""; n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c == "$") {
			if (substr(s, i + 1, 1) == "$") { c = "$"; i++ }
			else if (substr(s, i + 1, 7) == "(pound)") { c = "#"; i += 7 }
		} else if (q == "" && c == "\\") {
			r = r c substr(s, i + 1, 1); i++; continue
		} else if (q == "" && (c == "\047" || c == "\"")) {
			q = c
		} else if (q != "" && c == q) {
			q = ""
		} else if (q == "" && c == ";") {
			break
		}
		r = r c
	}
	sub(/[ \t]+$/, "", r)
	print r
	found = 1
	exit
}
END { if (!found) exit 1 }
' "$cmdfile") || {
	echo "kbuild-cmd: no 'cmd_$obj :=' line in $cmdfile" >&2
	exit 2
}

printf '%s\n' "$out"
