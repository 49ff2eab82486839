#!/bin/bash
# fuzz/run.sh [--merge] TARGET...: runs the libFuzzer builds
# build/fuzz/TARGET (make fuzz builds them).
#   run:     FUZZ_TIME seconds (default 60) each, one job, on
#            build/fuzz/work/TARGET/ (new inputs land there),
#            fuzz/corpus/TARGET/ and the seeds (fuzz/seed.sh); log in
#            build/fuzz/TARGET.log; one line per target: execs, time,
#            coverage (edges) and features at the end, corpus size, crashes
#            (reproducers in build/fuzz/crash/TARGET/).  Exit 1 on a crash.
#            A target with known open bugs (fuzz/regress/TARGET/open/) runs
#            in libFuzzer's fork mode (-fork=1 -ignore_crashes=1), so that
#            they do not stop it; its crashes are grouped by the first
#            frame in mmlock's code, and only a frame no open reproducer
#            has is new (exit 1).
#   --merge: minimises fuzz/corpus/TARGET + the work dir into a new
#            fuzz/corpus/TARGET (libFuzzer -merge=1).
cd "$(dirname "$0")/.." || exit 2
merge=0
[ "${1:-}" = "--merge" ] && { merge=1; shift; }
time=${FUZZ_TIME:-60}
fuzz/seed.sh build/fuzz/seeds >/dev/null || exit 2
# the first stack frame in mmlock's sources of what INPUT does to BIN
frame() {
	"$1" "$2" 2>&1 | grep -E '^ +#[0-9]+ ' | grep -v '/fuzz/fuzz_' |
		grep -oE '(driver|db|rules)/[a-z_]+\.c:[0-9]+' | head -2 | paste -sd, | grep . || echo "?"
}
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
	known=$(for r in "fuzz/regress/$t/open"/*; do [ -f "$r" ] && frame "$bin" "$r"; done | sort -u)
	fork=; [ -n "$known" ] && fork="-fork=1 -ignore_crashes=1"
	start=$(date +%s)
	"$bin" -max_total_time="$time" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 $fork \
		-artifact_prefix="build/fuzz/crash/$t/" $dict \
		"build/fuzz/work/$t" "fuzz/corpus/$t" "build/fuzz/seeds/$t" >"build/fuzz/$t.log" 2>&1
	rc=$?
	secs=$(( $(date +%s) - start ))
	if [ -n "$fork" ]; then
		last=$(grep -E '^#[0-9]+: cov' "build/fuzz/$t.log" | tail -1)
		execs=$(echo "$last" | grep -oE '^#[0-9]+' | tr -d '#')
		corp=$(echo "$last" | grep -o 'corp: [0-9]*' | cut -d' ' -f2)
		lastnew="? (fork mode)"
	else
		last=$(grep -E '^#[0-9]+' "build/fuzz/$t.log" | tail -1)
		execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "build/fuzz/$t.log")
		corp=$(echo "$last" | grep -o 'corp: [0-9]*/[0-9]*[a-zA-Z]*' | cut -d' ' -f2)
		lastnew=$(grep -E '^#[0-9]+.*(NEW|REDUCE)' "build/fuzz/$t.log" | tail -1 | grep -o '^#[0-9]*')
	fi
	cov=$(echo "$last" | grep -o 'cov: [0-9]*' | cut -d' ' -f2)
	ft=$(echo "$last" | grep -o 'ft: [0-9]*' | cut -d' ' -f2)
	new=0 crashes=0
	for c in "build/fuzz/crash/$t"/*; do
		[ -f "$c" ] || continue
		crashes=$((crashes + 1))
		fr=$(frame "$bin" "$c")
		if ! grep -qxF "$fr" <<<"$known"; then
			new=$((new + 1))
			echo "  new: $c at $fr"
		fi
	done
	echo "fuzz: $t: ${execs:-?} execs in ${secs}s ($(( ${execs:-0} / (secs ? secs : 1) ))/s)," \
		"cov ${cov:-?} edges, ft ${ft:-?} features, corpus ${corp:-?}, last new input at ${lastnew:-?}," \
		"$crashes crash files ($new new, the others at open bugs' frames: $(echo $known)), exit $rc"
	if [ "$new" -gt 0 ] || { [ $rc -ne 0 ] && [ -z "$fork" ]; }; then
		grep -m3 -E 'ERROR: |runtime error|SUMMARY' "build/fuzz/$t.log" | sed 's/^/  /'
		bad=1
	fi
done
exit $bad
