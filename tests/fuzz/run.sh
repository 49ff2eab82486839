#!/bin/bash
# The fuzz targets' regression suite: every file of the committed corpus
# fuzz/corpus/TARGET/ and every crash reproducer fuzz/regress/TARGET/ is
# fed once to the libFuzzer harness fuzz/fuzz_TARGET.c, built with gcc
# -fsanitize=address,undefined (no recovery; leaks too) and
# fuzz/regress_main.c instead of libFuzzer.  Any sanitizer report, abort
# (a harness invariant) or timeout is a FAIL naming the input.
# Reproducers of bugs not fixed yet live in fuzz/regress/TARGET/open/:
# each prints "XFAIL" while it still fails (not counted), and a PASS
# saying so once it is fixed (then move it up a directory).
cd "$(dirname "$0")/../.." || exit 2
B=build/fuzz-regress
targets=$(make -s --no-print-directory -f Makefile -f - <<<'print-fuzz-targets: ; @echo $(FUZZ_TARGETS)' print-fuzz-targets 2>/dev/null)
[ -n "$targets" ] || targets="rules dbimport"
export ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:abort_on_error=0:exitcode=86
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:exitcode=87
for t in $targets; do
	if ! out=$(make -s --no-print-directory "$B/$t" 2>&1); then
		echo "FAIL fuzz-$t: build: $(echo "$out" | grep -m1 -E 'error|Error')"
		continue
	fi
	inputs=(fuzz/corpus/$t fuzz/regress/$t)
	for i in "${inputs[@]}"; do mkdir -p "$i" 2>/dev/null; done
	log=$B/$t.log
	if timeout 60 "$B/$t" "${inputs[@]}" >"$log.out" 2>"$log"; then
		n=$(tail -1 "$log.out")
		echo "PASS fuzz-$t ($n: $(ls fuzz/corpus/$t | wc -l) corpus, $(find fuzz/regress/$t -maxdepth 1 -type f | wc -l) reproducers)"
	else
		rc=$?
		last=$(grep '^regress: ' "$log" | tail -1 | cut -d' ' -f2-)
		why=$(grep -m1 -E 'ERROR: |runtime error|SUMMARY|Assertion|abort' "$log" | sed 's/^==[0-9]*==//')
		[ $rc -eq 124 ] && why="timeout"
		echo "FAIL fuzz-$t: ${last:-?}: ${why:-exit $rc} (log $log)"
	fi
	for r in fuzz/regress/$t/open/*; do
		[ -f "$r" ] || continue
		if timeout 20 "$B/$t" "$r" >/dev/null 2>"$B/$t-open.log"; then
			echo "PASS fuzz-$t-open: $r is fixed: move it to fuzz/regress/$t/"
		else
			echo "XFAIL fuzz-$t-open: $r ($(grep -m1 -E 'ERROR: |runtime error|SUMMARY' "$B/$t-open.log" | sed 's/^==[0-9]*==//' | cut -c1-120))"
		fi
	done
done
