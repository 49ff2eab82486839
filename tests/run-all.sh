#!/bin/bash
# Runs every test suite that needs no kernel tree (tests/*/run.sh, except
# tests/kernel).  Each suite prints "PASS name" / "FAIL name: why" lines;
# this prints them and ends with "N passed, N failed".
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0
for suite in tests/*/run.sh; do
	case "$suite" in tests/kernel/*) continue ;; esac
	while IFS= read -r line; do
		echo "$line"
		case "$line" in
		PASS*) pass=$((pass + 1)) ;;
		FAIL*) fail=$((fail + 1)) ;;
		esac
	done < <(bash "$suite" 2>&1)
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
