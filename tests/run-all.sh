#!/bin/bash
# Runs every test suite that needs no kernel tree (tests/*/run.sh, except
# tests/kernel).  Each suite prints "PASS name", "FAIL name: why" and
# "SKIP name: why" lines (a SKIP for a test whose tool is missing, never a
# PASS); this prints them and ends with "N passed, N failed, N skipped".
#
# A suite that dies does not pass quietly: one that exits non-zero without
# a FAIL line of its own, or prints no PASS, FAIL or SKIP line at all (it
# died before its first test, or found nothing to run), is a FAIL named
# after it ("FAIL suite/NAME: ...").  A suite whose every test needs a
# missing tool prints a SKIP line saying so.
cd "$(dirname "$0")/.." || exit 2
pass=0 fail=0 skip=0
for suite in tests/*/run.sh; do
	case "$suite" in tests/kernel/*) continue ;; esac
	name=${suite#tests/}
	name=${name%/run.sh}
	sp=0 sf=0 ss=0 rc=""
	while IFS= read -r line; do
		case "$line" in
		"mmlock-run-all: exit "*) rc=${line#mmlock-run-all: exit }; continue ;;
		PASS*) sp=$((sp + 1)) ;;
		FAIL*) sf=$((sf + 1)) ;;
		SKIP*) ss=$((ss + 1)) ;;
		esac
		echo "$line"
	done < <(bash "$suite" 2>&1; echo "mmlock-run-all: exit $?")
	if [ "${rc:-x}" != 0 ] && [ $sf -eq 0 ]; then
		echo "FAIL suite/$name: $suite exited ${rc:-?} without a FAIL line (it died)"
		sf=$((sf + 1))
	elif [ $((sp + sf + ss)) -eq 0 ]; then
		echo "FAIL suite/$name: $suite ran no test (no PASS, FAIL or SKIP line)"
		sf=$((sf + 1))
	fi
	pass=$((pass + sp)) fail=$((fail + sf)) skip=$((skip + ss))
done
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
