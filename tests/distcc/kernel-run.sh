#!/bin/bash
# Fault tests of the distributed build mode (issue 17), on a few units of
# linux-source-6.12's mm/ in a copy of the prepared tree
# (scripts/check-tree.sh distcc), with Debian's distccd on loopback
# (scripts/distcc-lib.sh: each daemon at its own 127.x address and a free
# port, --allow 127.0.0.0/8).  The findings each case must end with are
# those tests/kernel/known-fp-6.12.txt and expected-6.12.txt list for the
# units built, stored by the client (mmlock cc), one complete run.
#
#  killed-daemon       two daemons; one is killed (its whole session,
#                      SIGKILL) while it compiles: distcc sends the lost
#                      compiles to the other one, and the run ends
#                      complete with every finding;
#  killed-only-daemon  the same with one daemon: distcc falls back to
#                      compiling the lost units here, complete again;
#  no-plugin           a host with mmlock-gcc but no plugin beside it;
#  other-gcc           a host whose gcc is GCC 11 (the plugin is GCC 12's):
#                      by default distcc retries the failed remote compile
#                      here, with the analysis (the unit is analysed
#                      locally, distcc's log says so); with
#                      DISTCC_SKIP_LOCAL_RETRY=1 the unit fails loudly (the
#                      remote gcc's error in make's output, make fails, no
#                      object, the run not complete; GCC 11 already refuses
#                      the kernel's GCC 12 options), and a small file says
#                      why: "cannot load plugin ...", "... was built for
#                      GCC 12.2.0 and cannot run in GCC 11";
#  plugin-dropped      a host whose mmlock-gcc runs gcc without the plugin:
#                      the compile succeeds there, without a receipt, and
#                      mmlock cc fails the unit loudly (no object);
#  plain-fplugin       CC="mmlock cc distcc gcc" KCFLAGS=-fplugin=...: distccd
#                      refuses any -fplugin= command, so every unit is
#                      compiled locally (distcc's log), still analysed --
#                      what make analyse-distcc reports as "nothing was
#                      compiled remotely".
# Usage: tests/distcc/kernel-run.sh [CASE...]   (default: all of them)
# Prints PASS/FAIL lines and "N passed, N failed".
set -u
cases=" $* "
wanted() { [ -z "${cases// /}" ] || [[ "$cases" == *" $1 "* ]]; }
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
export LC_ALL=C
unset MMLOCK_DB MMLOCK_RUN_KEY MMLOCK_CC_LOG DISTCC_HOSTS DISTCC_LOG DISTCC_VERBOSE \
	DISTCC_FALLBACK DISTCC_SKIP_LOCAL_RETRY
M=$here/build/mmlock
pass=0 fail=0
ok() { echo "PASS distcc/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL distcc/$1: $2"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
sql() { "$M" db --db "$1" sql "$2" --format tsv | tail -n +2; }

if ! command -v distccd >/dev/null; then
	ko setup "distcc is not installed (scripts/install-deps.sh)"
	finish
fi
tree=$(MMLOCK_KERNEL=6.12 scripts/check-tree.sh distcc | tail -1) || { ko setup "no tree"; finish; }
. scripts/distcc-lib.sh
dl_setup
W=$DL/work
mkdir -p "$W"

# the units: findings (pte-read's real bugs) in mincore.c and
# memory-failure.c; khugepaged.c has none only where the plugin sees the
# unit's configuration (CONFIG_SPLIT_PTE_PTLOCKS: with the macros in the
# preprocessed text, mmlock cc's -dD), lock-balance at 1689 otherwise;
# memory.c is the longest compile (the one in flight when a daemon dies)
objs="mm/memory.o mm/khugepaged.o mm/mincore.o mm/memory-failure.o mm/mremap.o"
entries() { grep -hv '^#' "$@" 2>/dev/null | awk 'NF { print $1 " " $2 }' | sort -u; }
known=$(entries tests/kernel/expected-6.12.txt tests/kernel/known-fp-6.12.txt)
want_for() {	# the expected "FILE:LINE RULE" of units OBJ...
	local o
	for o in "$@"; do echo "$known" | grep "^${o%.o}.c:"; done | sort -u
}
stored() { sql "$1" "SELECT file || ':' || line || ' ' || rule FROM findings" | sort -u; }
run_of() { sql "$1" "SELECT status || ' ' || writers || ' ' || writers_done FROM runs"; }
fresh() { local o; for o in "$@"; do rm -f "$tree/$o"; done; }
# unit host pairs of the units OBJ... in distcc's log LOG
where() { local log=$1; shift; dl_where "$log" | grep -E "^($(echo "$@" | sed 's/\.o\b/.c/g; s/ /|/g')) "; }

# -- killed-daemon: a daemon killed while it compiles -----------------------
# CASE HOSTS...: daemons named HOSTS on 127.0.0.2, .3 ...; the first is
# killed while it compiles a unit
killed() {
	local case=$1 objs=$2 h n=2 hosts="" victim="" build rc i w lost nthere got want first=$3
	shift 2
	for h in "$@"; do
		dl_start "$h" 127.0.0.$n
		n=$((n + 1))
		eval "hosts=\"\$hosts \$dl_host_$h\""
	done
	eval "local vpid=\$dl_pid_$first vhost=\${dl_host_$first%/*}"
	# kbuild's prepare stage first, so that only the units are compiled
	dl_build "$tree" "$W/prepare.db" "$W/$case-prepare.log" "$hosts" 4 prepare ||
		{ ko "$case" "make prepare: $(grep -m3 -i error "$W/$case-prepare.log" | tr '\n' ' ')"; return; }
	fresh $objs
	rm -rf "$DISTCC_DIR"/*
	local db=$W/$case.db log=$W/$case.log
	dl_build "$tree" "$db" "$log" "$hosts" 4 $objs &
	build=$!
	# a unit in flight on the first daemon: a cc1 in its session
	for ((i = 0; i < 600; i++)); do
		victim=$(ps -e -o pid=,sid=,comm= | awk -v s="$vpid" '$2 == s && $3 == "cc1" { print $1; exit }')
		[ -n "$victim" ] && break
		kill -0 "$build" 2>/dev/null || break
		sleep 0.1
	done
	if [ -n "$victim" ]; then
		# the whole session: the daemon, its workers, the compilers they run
		ps -e -o pid=,sid= | awk -v s="$vpid" '$2 == s { print $1 }' | xargs -r kill -9 2>/dev/null
		dl_stop "$first" KILL
	fi
	wait "$build"
	rc=$?
	w=$(where "$log.distcc" $objs)
	# the units whose compile was lost with the daemon: their distcc
	# process logged an error ("server provided no answer", "compile ...
	# on HOST: Killed") before the compile that completed
	lost=$(for p in $(sed -nE 's/^distcc\[([0-9]+)\] .*(ERROR|failed to distribute).*/\1/p' "$log.distcc" | sort -u); do
		sed -nE "s/^distcc\[$p\] compile ([^ ]+) on ([^ ]+) completed ok\$/\1 -> \2/p" "$log.distcc"
	done | sed -E 's#/[0-9]+$##' | sort -u)
	want=$(want_for $objs)
	got=$(stored "$db")
	nthere=$(for o in $objs; do [ -f "$tree/$o" ] && echo "$o"; done | grep -c .)
	if [ -z "$victim" ]; then
		ko "$case" "no compile seen on daemon $first (exit $rc)"
	elif [ $rc -ne 0 ] || [ "$nthere" -ne "$(echo $objs | wc -w)" ]; then
		ko "$case" "make exit $rc, $nthere objects: $(grep -m3 -i 'error\|mmlock cc' "$log" | tr '\n' ' ')"
	elif [ -z "$lost" ] || echo "$lost" | grep -q -- "-> $vhost\$"; then
		ko "$case" "no unit lost with the daemon, or one still on it: [$(echo $lost)] where: $(echo $w)"
	elif [ "$(run_of "$db" | cut -d' ' -f1)" != complete ] || [ "$got" != "$want" ]; then
		ko "$case" "run [$(run_of "$db")], findings: $(diff <(echo "$want") <(echo "$got") | grep '^[<>]' | head -4 | tr '\n' ' ')"
	else
		for h in "$@"; do eval "lost=\${lost//\${dl_host_$h%/*}/$h}"; done
		ok "$case (daemon $first killed while compiling; the lost compiles then: $(echo "$lost" | tr '\n' ',' | sed 's/,$//'); $(echo "$got" | grep -c .) findings, run complete)"
	fi
	for h in "$@"; do dl_stop "$h"; done
}
wanted killed-daemon && killed killed-daemon "$objs" a b	# distcc sends the lost compiles to b
wanted killed-only-daemon && killed killed-only-daemon "mm/memory.o mm/khugepaged.o mm/mincore.o" c	# none left: here

# -- no-plugin, other-gcc: a host that cannot run the plugin ---------------
obj=mm/mincore.o
mkdir -p "$DL/host-noplugin"
cp "$DL/inst/mmlock-gcc" "$DL/inst/mm.rules" "$DL/host-noplugin/"
chmod -R a+rX "$DL/host-noplugin"
echo "$DL/host-noplugin/mmlock-gcc" >"$DL/cmdlist-noplugin"
chmod 644 "$DL/cmdlist-noplugin"
broken_host() {	# CASE WHAT-THE-REMOTE-SAYS [VAR=VALUE...]: both ways
	local case=$1 name=${1//-/} says=$2 db w got want rc
	shift 2
	dl_start "$name" 127.0.0.4 "$@"
	eval "host=\$dl_host_$name"
	want=$(want_for $obj)
	# by default: distcc compiles it again here
	fresh $obj
	rm -rf "$DISTCC_DIR"/*
	db=$W/$name.db
	dl_build "$tree" "$db" "$W/$name.log" "$host" 2 $obj
	rc=$?
	w=$(where "$W/$name.log.distcc" $obj)
	got=$(stored "$db")
	if [ $rc -ne 0 ] || [ ! -f "$tree/$obj" ]; then
		ko "$case/local-retry" "make exit $rc: $(grep -m3 -i 'error\|mmlock cc' "$W/$name.log" | tr '\n' ' ')"
	elif [ "$w" != "${obj%.o}.c localhost" ] || ! grep -q 'COMPILE_ERROR\|failed' "$DL/daemons/$name.log"; then
		ko "$case/local-retry" "where: [$w], daemon: $(grep -m2 'job_summary\|ERROR' "$DL/daemons/$name.log" | tr '\n' ' ')"
	elif [ "$got" != "$want" ] || [ "$(run_of "$db" | cut -d' ' -f1)" != complete ]; then
		ko "$case/local-retry" "run [$(run_of "$db")], findings: $(echo $got)"
	else
		ok "$case/local-retry (the remote compile failed, distcc compiled $obj here, analysed: $(echo "$got" | grep -c .) findings)"
	fi
	# DISTCC_SKIP_LOCAL_RETRY=1: the unit fails, loudly
	fresh $obj
	rm -rf "$DISTCC_DIR"/*
	db=$W/$name-noretry.db
	DISTCC_SKIP_LOCAL_RETRY=1 dl_build "$tree" "$db" "$W/$name-noretry.log" "$host" 2 $obj
	rc=$?
	if [ $rc -eq 0 ] || [ -f "$tree/$obj" ]; then
		ko "$case/no-retry-fails" "make exit $rc, object $([ -f "$tree/$obj" ] && echo present || echo absent)"
	elif ! grep -q ": error: " "$W/$name-noretry.log" || ! grep -q "mmlock cc: ${obj%.o}.c: not analysed" "$W/$name-noretry.log"; then
		ko "$case/no-retry-fails" "make's output lacks the remote error or mmlock cc's line: $(grep -m3 -i 'error' "$W/$name-noretry.log" | tr '\n' ' ')"
	elif [ "$(run_of "$db" | cut -d' ' -f1)" = complete ]; then
		ko "$case/no-retry-fails" "run [$(run_of "$db")] says complete"
	else
		ok "$case/no-retry-fails (make exit $rc, \"$(grep -m1 ": error: " "$W/$name-noretry.log" | sed 's/^.*error: //' | cut -c1-90)\", run $(run_of "$db" | cut -d' ' -f1))"
	fi
	# and a small file the host's gcc can compile: the plugin's own word
	printf 'int f(int x) { return x + 1; }\n' >"$W/small.c"
	(cd "$W" && PATH=$DL/inst:$PATH DISTCC_HOSTS=$host DISTCC_SKIP_LOCAL_RETRY=1 DISTCC_LOG=$W/small-$name.distcc \
		"$M" cc --no-db distcc mmlock-gcc -c small.c -o small.o) >"$W/small-$name.log" 2>&1
	rc=$?
	if [ $rc -ne 0 ] && grep -q "$says" "$W/small-$name.log" && [ ! -f "$W/small.o" ]; then
		ok "$case/says-why (exit $rc: \"$(grep -m1 "$says" "$W/small-$name.log" | sed 's/^.*error: //' | cut -c1-100)\")"
	else
		ko "$case/says-why" "exit $rc: $(head -3 "$W/small-$name.log" | tr '\n' ' ')"
	fi
	rm -f "$W/small.o"
	dl_stop "$name"
}
wanted no-plugin && broken_host no-plugin "cannot load plugin" DISTCC_CMDLIST="$DL/cmdlist-noplugin"
wanted other-gcc && broken_host other-gcc "was built for GCC .* and cannot run in GCC 11" MMLOCK_REAL_CC=gcc-11

# -- plugin-dropped: a host that compiles without the analysis --------------
dropped_case() {
	mkdir -p "$DL/host-dropped"
	cat >"$DL/host-dropped/mmlock-gcc" <<'EOF'
#!/bin/sh
# a host whose compiler drops the plugin's arguments: the compile succeeds
for a; do
	shift
	case $a in -fplugin*) ;; *) set -- "$@" "$a" ;; esac
done
exec gcc "$@"
EOF
	chmod -R a+rX "$DL/host-dropped"
	chmod 755 "$DL/host-dropped/mmlock-gcc"
	echo "$DL/host-dropped/mmlock-gcc" >"$DL/cmdlist-dropped"
	chmod 644 "$DL/cmdlist-dropped"
	dl_start dropped 127.0.0.5 DISTCC_CMDLIST="$DL/cmdlist-dropped"
	fresh $obj
	rm -rf "$DISTCC_DIR"/*
	db=$W/dropped.db
	dl_build "$tree" "$db" "$W/dropped.log" "$dl_host_dropped" 2 $obj
	rc=$?
	w=$(where "$W/dropped.log.distcc" $obj)
	if [ $rc -eq 0 ] || [ -f "$tree/$obj" ]; then
		ko plugin-dropped "make exit $rc, object $([ -f "$tree/$obj" ] && echo present || echo absent), where [$w]"
	elif ! grep -q "mmlock cc: ${obj%.o}.c: compiled without the analysis" "$W/dropped.log"; then
		ko plugin-dropped "no mmlock cc line: $(grep -m3 -i 'error\|mmlock' "$W/dropped.log" | tr '\n' ' ')"
	elif [ "$w" != "${obj%.o}.c ${dl_host_dropped%/*}" ]; then
		ko plugin-dropped "not compiled on the host: [$w]"
	else
		ok "plugin-dropped (compiled on the host without the analysis: make exit $rc, no object, \"compiled without the analysis\")"
	fi
	dl_stop dropped
}
wanted plugin-dropped && dropped_case

# -- plain-fplugin: distccd refuses -fplugin= -------------------------------
plain_case() {
	printf '%s\n' /usr/bin/x86_64-linux-gnu-gcc /usr/bin/gcc >"$DL/cmdlist-gcc"
	chmod 644 "$DL/cmdlist-gcc"
	dl_start plain 127.0.0.6 DISTCC_CMDLIST="$DL/cmdlist-gcc"
	fresh $obj
	rm -rf "$DISTCC_DIR"/*
	db=$W/plain.db
	dl_build "$tree" "$db" "$W/plain.log" "$dl_host_plain" 2 \
		CC="$M cc distcc gcc" KCFLAGS="-fplugin=$DL/inst/mmlock_plugin.so -fplugin-arg-mmlock_plugin-rules=$DL/inst/mm.rules" $obj
	rc=$?
	w=$(where "$W/plain.log.distcc" $obj)
	got=$(stored "$db")
	if [ $rc -ne 0 ] || [ "$got" != "$(want_for $obj)" ]; then
		ko plain-fplugin "make exit $rc, findings [$(echo $got)]"
	elif [ "$w" != "${obj%.o}.c localhost" ] || ! grep -q -- '-fplugin= and/or -specs= passed' "$DL/daemons/plain.log"; then
		ko plain-fplugin "where [$w], daemon: $(grep -m2 'fplugin\|summary' "$DL/daemons/plain.log" | tr '\n' ' ')"
	else
		ok "plain-fplugin (distccd: \"-fplugin= ... not supported\"; $obj compiled locally, analysed)"
	fi
	dl_stop plain
}
wanted plain-fplugin && plain_case

finish
