#!/bin/bash
# fuzz/run.sh [--merge] TARGET...: runs the libFuzzer builds
# build/fuzz/TARGET (make fuzz builds them).
#   run:     FUZZ_TIME seconds (default 60) each, one job, on
#            build/fuzz/work/TARGET/ (new inputs land there),
#            fuzz/corpus/TARGET/ and the seeds (fuzz/seed.sh); log in
#            build/fuzz/TARGET.log; one line per target: execs, time,
#            coverage (edges) and features at the end, corpus size, crashes
#            (reproducers in build/fuzz/crash/TARGET/).  Exit 1 on a crash.
#   --merge: minimises fuzz/corpus/TARGET + the work dir into a new
#            fuzz/corpus/TARGET (libFuzzer -merge=1).
cd "$(dirname "$0")/.." || exit 2
merge=0
[ "${1:-}" = "--merge" ] && { merge=1; shift; }
time=${FUZZ_TIME:-60}
fuzz/seed.sh build/fuzz/seeds >/dev/null || exit 2
bad=0
for t in "$@"; do
	bin=build/fuzz/$t
	[ -x "$bin" ] || { echo "fuzz: $bin not built (make fuzz)"; exit 2; }
	dict=; [ -f "fuzz/$t.dict" ] && dict=-dict=fuzz/$t.dict
	mkdir -p "build/fuzz/work/$t" "build/fuzz/crash/$t" "fuzz/corpus/$t"
	if [ $merge = 1 ]; then
		rm -rf "build/fuzz/merged-$t" && mkdir -p "build/fuzz/merged-$t"
		"$bin" -merge=1 $dict "build/fuzz/merged-$t" "fuzz/corpus/$t" "build/fuzz/work/$t" \
			"build/fuzz/seeds/$t" >"build/fuzz/$t-merge.log" 2>&1 ||
			{ echo "fuzz: $t: merge failed (build/fuzz/$t-merge.log)"; bad=1; continue; }
		before=$(ls "fuzz/corpus/$t" | wc -l)
		rm -rf "fuzz/corpus/$t" && mv "build/fuzz/merged-$t" "fuzz/corpus/$t"
		echo "fuzz: $t: corpus $before -> $(ls "fuzz/corpus/$t" | wc -l) files," \
			"$(grep -o 'MERGE-OUTER: [0-9]* new files with [0-9]* new features' "build/fuzz/$t-merge.log" | tail -1)"
		continue
	fi
	start=$(date +%s)
	"$bin" -max_total_time="$time" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="build/fuzz/crash/$t/" $dict \
		"build/fuzz/work/$t" "fuzz/corpus/$t" "build/fuzz/seeds/$t" >"build/fuzz/$t.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/$t.log")
	last=$(grep -E '^#[0-9]+' "build/fuzz/$t.log" | tail -1)
	cov=$(echo "$last" | grep -o 'cov: [0-9]*' | cut -d' ' -f2)
	ft=$(echo "$last" | grep -o 'ft: [0-9]*' | cut -d' ' -f2)
	corp=$(echo "$last" | grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' | cut -d' ' -f2)
	lastnew=$(grep -E '^#[0-9]+.*(NEW|REDUCE)' "build/fuzz/$t.log" | tail -1 | grep -o '^#[0-9]*')
	crashes=$(ls "build/fuzz/crash/$t" | wc -l)
	echo "fuzz: $t: ${execs:-?} execs in ${secs}s ($(( ${execs:-0} / (secs ? secs : 1) ))/s)," \
		"cov ${cov:-?} edges, ft ${ft:-?} features, corpus ${corp:-?}, last new input at ${lastnew:-?}," \
		"$crashes crash files, exit $rc"
	if [ $rc -ne 0 ] || [ "$crashes" -gt 0 ]; then
		grep -m3 -E 'ERROR: |runtime error|SUMMARY' "build/fuzz/$t.log" | sed 's/^/  /'
		bad=1
	fi
done
exit $bad
