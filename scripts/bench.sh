#!/bin/bash
# bench.sh: `make bench` -- mmlock measured side by side in one run on the
# prepared linux-6.1 tree (scripts/prepare-kernel.sh), medians of several
# runs, printed as ONE table with ratios and written to build/bench.txt
# with a machine line (CPUs, model, load average, date).
#
#   compile   the ten mm files of the noise benchmark, kbuild's own gcc
#             commands run directly: plain, and with -fplugin (goal: +3%)
#   CHECK     the same files through kbuild's CHECK command line: sparse,
#             and `build/mmlock check` (plugin analysis-only + sparse,
#             storing into a database, as make C=2 runs it; goal: no
#             slower than sparse); also `mmlock check --no-sparse`
#   memory    peak RSS on the largest of the ten: gcc vs gcc + plugin,
#             sparse vs mmlock check
#   cocci     `mmlock cocci -j JOBS` on mm/ and on the whole tree, with the
#             file pre-filter and without (tests/cocci/bench.sh); the whole
#             tree without the pre-filter runs one rule only
#             (rmap-lock-retract) and once: all rules take hours here
#   db        db/bench.sh: insert and import throughput, list/stats/diff/
#             export times on BENCH_FINDINGS (1,000,000) findings, and the
#             goals: import, list, stats of a 1,000,000-finding run, the
#             HTML report of a 100,000-finding run (alone: make bench-db-goals)
#   worst     the generated worst cases of tests/plugin/gen-worst.sh (goto
#             webs, PHI chains, nesting, a call chain): gcc vs gcc +
#             plugin (goal: within 2x, or the documented note)
#
# Usage: scripts/bench.sh [--parts compile,check,memory,cocci,db,worst]
# Env:   BENCH_RUNS (compile, CHECK, memory: 5), BENCH_COCCI_RUNS (3),
#        BENCH_DB_RUNS (3), BENCH_FINDINGS, BENCH_JOBS (cocci -j, 2)
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
parts=compile,check,memory,cocci,db,worst
[ "${1:-}" = "--parts" ] && parts=${2:?--parts needs a list}
has() { case ",$parts," in *",$1,"*) return 0 ;; esac; return 1; }
runs=${BENCH_RUNS:-5}
crun=${BENCH_COCCI_RUNS:-3}
druns=${BENCH_DB_RUNS:-3}
jobs=${BENCH_JOBS:-2}
out=$here/build/bench.txt
M=$here/build/mmlock
plugin=$here/build/mmlock_plugin.so
files="khugepaged memory huge_memory mremap madvise mprotect rmap gup userfaultfd pgtable-generic"
# kbuild's CHECKFLAGS on x86_64 (sparse's; mmlock check takes them too)
checkflags="-D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ -Wbitwise -Wno-return-void -Wno-unknown-attribute -D__x86_64__ --arch=x86 -mlittle-endian -m64"
tree=$("$here/scripts/prepare-kernel.sh" --kernel "${MMLOCK_KERNEL:-6.1}" | tail -1)
tmp=$(mktemp -d /tmp/mmlock-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
rows=$tmp/rows
: >"$rows"
say() { echo "bench: $*" >&2; }

# median of the numbers on stdin
med() { sort -g | awk '{ v[NR] = $1 } END { if (NR) print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
# wall seconds of one run of a shell command
wall() { local s e; s=$(date +%s.%N); eval "$1" >/dev/null 2>&1 || true; e=$(date +%s.%N); echo "$e - $s" | bc; }
# peak RSS (KiB) of one run
rss() { /usr/bin/time -f %M -o "$tmp/rss" sh -c "$1" >/dev/null 2>&1 || true; tail -1 "$tmp/rss"; }
# the median over $runs runs of F ("wall" or "rss") on a command
median_of() { local f=$1 c=$2; for _ in $(seq "$runs"); do $f "$c"; done | med; }
ratio() { echo "$1 $2" | awk '{ printf "%.3f", ($1 > 0) ? $2 / $1 : 0 }'; }
# a table row: measure | baseline | mmlock | ratio | goal
row() { printf '%s\t%s\t%s\t%s\t%s\n' "$@" >>"$rows"; }

cd "$tree"
# kbuild's commands for file F: $plain (gcc, object to $tmp), $cflags
# (c_flags: what kbuild gives CHECK, dependency file in $tmp)
commands() {
	local f=$1 cmd
	cmd=$("$here/scripts/kbuild-cmd.sh" . "mm/$f.c")
	cmd=${cmd/-Wp,-MMD,mm\/.$f.o.d/-Wp,-MMD,$tmp/$f.o.d}
	plain=${cmd/-o mm\/$f.o/-o $tmp/$f.o}
	cflags=${cmd#gcc }
	cflags=${cflags/ -c -o mm\/$f.o mm\/$f.c/}
}

if has compile || has check; then
	tg=0 tp=0 ts=0 tc=0 tn=0 ta=0
	printf '%-16s %7s %7s %6s %7s %7s %6s %7s %7s\n' file gcc +plugin ratio sparse check ratio no-sp an-only >"$tmp/perfile"
	export MMLOCK_DB=$tmp/check.db MMLOCK_RUN_KEY=bench-$$
	for f in $files; do
		commands "$f"
		g=0 p=0 s=0 c=0 n=0 a=0
		if has compile; then
			g=$(median_of wall "$plain")
			p=$(median_of wall "$plain -fplugin=$plugin")
		fi
		if has check; then
			s=$(median_of wall "sparse $checkflags $cflags mm/$f.c")
			c=$(median_of wall "$M check $checkflags $cflags mm/$f.c")
			n=$(median_of wall "$M check --no-sparse $checkflags $cflags mm/$f.c")
			a=$(median_of wall "gcc $cflags -S -o /dev/null -fplugin=$plugin -fplugin-arg-mmlock_plugin-analysis-only mm/$f.c")
		fi
		printf '%-16s %7.2f %7.2f %6.3f %7.2f %7.2f %6.2f %7.2f %7.2f\n' "$f" "$g" "$p" "$(ratio "$g" "$p")" \
			"$s" "$c" "$(ratio "$s" "$c")" "$n" "$a" >>"$tmp/perfile"
		tg=$(echo "$tg + $g" | bc); tp=$(echo "$tp + $p" | bc)
		ts=$(echo "$ts + $s" | bc); tc=$(echo "$tc + $c" | bc)
		tn=$(echo "$tn + $n" | bc); ta=$(echo "$ta + $a" | bc)
		say "$(tail -1 "$tmp/perfile")"
	done
	unset MMLOCK_DB MMLOCK_RUN_KEY
	if has compile; then
		row "compile, ten mm files: gcc -O2 / + -fplugin" "$(printf '%.2f s' "$tg")" "$(printf '%.2f s' "$tp")" \
			"$(ratio "$tg" "$tp")" "<= 1.03"
	fi
	if has check; then
		row "CHECK, ten files: sparse / mmlock check" "$(printf '%.2f s' "$ts")" "$(printf '%.2f s' "$tc")" \
			"$(ratio "$ts" "$tc")" "<= 1.00"
		row "CHECK: sparse / mmlock check --no-sparse" "$(printf '%.2f s' "$ts")" "$(printf '%.2f s' "$tn")" \
			"$(ratio "$ts" "$tn")" "-"
		row "CHECK: sparse / plugin analysis-only (gcc -S)" "$(printf '%.2f s' "$ts")" "$(printf '%.2f s' "$ta")" \
			"$(ratio "$ts" "$ta")" "-"
	fi
fi

if has memory; then
	big=$(for f in $files; do echo "$(wc -c <"mm/$f.c") $f"; done | sort -n | tail -1 | cut -d' ' -f2)
	commands "$big"
	m1=$(median_of rss "$plain")
	m2=$(median_of rss "$plain -fplugin=$plugin")
	row "peak RSS, mm/$big.c: gcc / gcc + plugin" "$m1 KiB" "$m2 KiB" "$(ratio "$m1" "$m2")" "-"
	m3=$(median_of rss "sparse $checkflags $cflags mm/$big.c")
	m4=$(median_of rss "MMLOCK_DB= $M check --no-db $checkflags $cflags mm/$big.c")
	row "peak RSS, mm/$big.c: sparse / mmlock check" "$m3 KiB" "$m4 KiB" "$(ratio "$m3" "$m4")" "-"
fi

if has cocci; then
	say "mmlock cocci: mm/ and whole tree, with and without the pre-filter ($crun runs; no pre-filter on the tree: 1 rule, 1 run)"
	for _ in $(seq "$crun"); do
		BENCH_COCCI_TSV=1 BENCH_COCCI_ONLY="mm-filter mm-nofilter tree-filter tree-filter-1" \
			"$here/tests/cocci/bench.sh" "$tree" "$jobs"
	done >"$tmp/cocci"
	BENCH_COCCI_TSV=1 BENCH_COCCI_ONLY="tree-nofilter-1" "$here/tests/cocci/bench.sh" "$tree" "$jobs" >>"$tmp/cocci"
	cmed() { awk -F'\t' -v k="$1" -v c="$2" '$1 == k { print $c }' "$tmp/cocci" | med; }
	cell() {	# KEY: "W s, F files/s"
		local w n
		w=$(cmed "$1" 2); n=$(cmed "$1" 6)
		echo "$n $w" | awk '{ printf "%.1f s, %.1f files/s", $2, ($2 > 0) ? $1 / $2 : 0 }'
	}
	nmm=$(cmed mm-filter 6); ntree=$(cmed tree-filter 6)
	row "mmlock cocci -j$jobs mm/ ($nmm files), 11 rules: no pre-filter / pre-filter" \
		"$(cell mm-nofilter)" "$(cell mm-filter)" "$(ratio "$(cmed mm-nofilter 2)" "$(cmed mm-filter 2)")" "-"
	row "mmlock cocci -j$jobs whole tree ($ntree files), 11 rules, pre-filter" "-" "$(cell tree-filter)" "-" "<= 600 s"
	row "mmlock cocci -j$jobs whole tree, 1 rule: no pre-filter (1 run) / pre-filter" \
		"$(cell tree-nofilter-1)" "$(cell tree-filter-1)" \
		"$(ratio "$(cmed tree-nofilter-1 2)" "$(cmed tree-filter-1 2)")" "-"
	cp "$tmp/cocci" "$here/build/bench-cocci.tsv"
fi

if has db; then
	say "database: db/bench.sh, $druns runs"
	(cd "$here" && make -s build/mmdb-bench >/dev/null)
	for i in $(seq "$druns"); do (cd "$here" && db/bench.sh) >"$tmp/db.$i" 2>&1; done
	dmed() { for i in $(seq "$druns"); do sed -nE "$1" "$tmp/db.$i"; done | med; }
	n=$(sed -nE 's/^mmlock db bench: ([0-9]+) findings.*/\1/p' "$tmp/db.1")
	row "db insert (API, 2 notes each)" "-" "$(dmed 's/^insert: .* ([0-9]+) findings\/s$/\1/p') findings/s" "-" "-"
	row "db import (text, 1 writer)" "-" "$(dmed 's/^import: .* ([0-9]+) findings\/s$/\1/p') findings/s" "-" "-"
	row "db import (16 writers at once)" "-" "$(dmed 's/^import, 16 writers.* ([0-9]+) findings\/s$/\1/p') findings/s" "-" "-"
	for q in "list --latest" "stats" "diff latest~1 latest" "export --latest --format sarif"; do
		e=$(dmed "s/^  $q +([0-9]+) ms .*/\\1/p")
		row "db $q, $n findings" "-" "$e ms" "-" "-"
	done
	# the goals (db/bench.sh --goals): wall time, the median of the runs
	row "db import, one run of 1,000,000 (2 notes, sources)" "-" \
		"$(dmed 's/^  import, .* ([0-9]+)\/s +CPU.*/\1/p') findings/s" "-" ">= 100,000/s"
	row "db list of that run (text, to /dev/null)" "-" "$(dmed 's/^  list of that run.* ([0-9.]+) s +CPU.*/\1/p') s" "-" "<= 1 s"
	row "db stats --by rule,file of that run" "-" "$(dmed 's/^  stats --by rule,file.* ([0-9.]+) s +CPU.*/\1/p') s" "-" "<= 0.5 s"
	row "db html of a 100,000-finding run" "-" "$(dmed 's/^  html of a .* ([0-9.]+) s +CPU.*/\1/p') s" "-" "< 30 s"
fi

if has worst; then
	gen=$here/tests/plugin/gen-worst.sh
	while read -r kind n opt stack what; do
		"$gen" "$kind" "$n" >"$tmp/w.c"
		t0=$(median_of wall "bash -c 'ulimit -s $stack; gcc $opt -c -o $tmp/w0.o $tmp/w.c'")
		t1=$(median_of wall "bash -c 'ulimit -s $stack; gcc $opt -fplugin=$plugin -c -o $tmp/w1.o $tmp/w.c'")
		note=$( (ulimit -s "$stack"; gcc $opt -fplugin="$plugin" -c -o "$tmp/w1.o" "$tmp/w.c" 2>&1) |
			grep -q "not analysed" && echo ", not analysed: too much work" || true)
		row "worst case: $what: gcc $opt / + -fplugin$note" "$(printf '%.2f s' "$t0")" \
			"$(printf '%.2f s' "$t1")" "$(ratio "$t0" "$t1")" "<= 2"
	done <<-'EOF'
	web 75 -O2 8192 goto web of 75 labels
	web 100 -O2 8192 goto web of 100 labels
	web 400 -O2 8192 goto web of 400 labels
	chain 2000 -O2 8192 PHI chain of 2,000
	chain 20000 -O0 1024 PHI chain of 20,000 (ulimit -s 1024)
	nest 1000 -O2 8192 1,000 nested blocks
	calls 20000 -O0 1024 call chain of 20,000 functions (ulimit -s 1024)
	EOF
fi

{
	echo "machine: $(nproc) CPUs, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load average $(cut -d' ' -f1-3 /proc/loadavg) (at the end), $(date -u '+%Y-%m-%d %H:%M UTC')"
	echo "tree: $tree ($(sed -n 's/^VERSION = //p; s/^PATCHLEVEL = //p; s/^SUBLEVEL = //p' Makefile | paste -sd.)); mmlock $(cd "$here" && git rev-parse --short HEAD); medians of $runs runs (compile, CHECK, memory), $crun (cocci), $druns (db)"
	echo
	awk -F'\t' 'BEGIN { printf "| %s | %s | %s | %s | %s |\n|---|---|---|---|---|\n", "measure", "baseline", "mmlock", "ratio", "goal" }
		{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }' "$rows"
	if [ -s "$tmp/perfile" ]; then
		echo
		echo "per file, seconds (median): gcc, +plugin, ratio; sparse, mmlock check, ratio; mmlock check --no-sparse; plugin analysis-only"
		cat "$tmp/perfile"
	fi
} | tee "$out"
