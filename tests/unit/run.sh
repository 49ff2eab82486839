#!/bin/bash
# Plugin unit tests: each tests/unit/*.c carries its expectations next to
# the line they are about, "mmlock-warn: RULE" (as GCC's dg-warning does).
# The set of (line, rule) the plugin reports must equal the expected set.
cd "$(dirname "$0")/../.." || exit 2
PLUGIN=build/mmlock_plugin.so
for src in tests/unit/*.c; do
	name=unit/$(basename "$src" .c)
	expected=$(grep -n "mmlock-warn:" "$src" |
		sed -E 's/^([0-9]+):.*mmlock-warn: *([a-z-]+( *, *[a-z-]+)*).*/\1 \2/; s/ *, */,/g' |
		awk '{ n = split($2, r, ","); for (i = 1; i <= n; i++) { gsub(/ /, "", r[i]); print $1 " " r[i] } }' | sort -u)
	# "mmlock-args: K=V ..." in the file: plugin arguments for it
	args=$(sed -n 's/.*mmlock-args: *\([^*]*\).*/\1/p' "$src" | head -1)
	extra=""
	for a in $args; do extra="$extra -fplugin-arg-mmlock_plugin-$a"; done
	out=$(gcc -fplugin=$PLUGIN -fplugin-arg-mmlock_plugin-analysis-only $extra -S -o /dev/null "$src" 2>&1)
	rc=$?
	if [ $rc -ne 0 ]; then
		echo "FAIL $name: gcc exited $rc: $(echo "$out" | head -3)"
		continue
	fi
	if echo "$out" | grep -q "internal error\|not analysed"; then
		echo "FAIL $name: $(echo "$out" | grep "internal error\|not analysed" | head -1)"
		continue
	fi
	if [ -n "${MMLOCK_SNAPSHOT:-}" ]; then
		mkdir -p "$MMLOCK_SNAPSHOT/unit"
		echo "$out" | grep -E ': (warning|note): ' > "$MMLOCK_SNAPSHOT/$name.txt"
	fi
	actual=$(echo "$out" | grep -E "^$src:[0-9]+:[0-9]+: warning: .* \[mmlock:[a-z-]+\]$" |
		sed -E 's/^[^:]+:([0-9]+):[0-9]+: warning: .*\[mmlock:([a-z-]+)\]$/\1 \2/' | sort -u)
	if [ "$expected" == "$actual" ]; then
		echo "PASS $name ($(echo "$expected" | grep -c .) expected warnings)"
	else
		echo "FAIL $name: expected vs actual:"
		diff <(echo "$expected") <(echo "$actual") | sed 's/^/    /'
	fi
done
