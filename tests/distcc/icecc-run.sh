#!/bin/bash
# The analysis through icecream (icecc) on loopback, by hand: not in make
# check or check-kernel (shipping the compiler environment takes minutes,
# and Debian's icecc package is not among scripts/install-deps.sh's: its
# iceccd service looks for a scheduler by broadcast on the network).
#
#   apt-get install icecc        (its services must not run: here
#                                 policy-rc.d keeps them from starting)
#   tests/distcc/icecc-run.sh
#
# Everything runs in a network namespace of its own (unshare -n: only
# loopback, so no broadcast leaves it): icecc-scheduler, a local iceccd
# (--no-remote) and a "remote" iceccd at another port, with icecream's own
# test switches (ICECC_TESTS, ICECC_TEST_SOCKET, ICECC_TEST_REMOTEBUILD),
# as icecream's test suite runs them.  Then
#   mmlock cc --db=DB icecc gcc -fplugin=build/mmlock_plugin.so
#        -fplugin-arg-mmlock_plugin-rules=build/mm.rules
#        -fno-diagnostics-show-caret -c tests/rules/pte-lock/pte_lock.c
# with ICECC_EXTRAFILES=build/mm.rules: icecc ships the plugin (named by
# -fplugin=) and the rules with the compiler, the remote iceccd compiles
# in a chroot of that environment, the findings come back on stderr and
# mmlock cc stores them.  -fno-diagnostics-show-caret: without it icecc
# compiles again locally every unit whose remote compile printed anything
# on stderr ("command needs stdout/stderr workaround"), and every unit
# with the plugin prints its receipt.
# Prints PASS/FAIL lines and "N passed, N failed".
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 2
export LC_ALL=C
M=$here/build/mmlock
P=$here/build/mmlock_plugin.so
pass=0 fail=0
ok() { echo "PASS icecc/$1"; pass=$((pass + 1)); }
ko() { echo "FAIL icecc/$1: $2"; fail=$((fail + 1)); }
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }
sql() { "$M" db --db "$1" sql "$2" --format tsv | tail -n +2; }
prints() { sql "$1" "SELECT fingerprint || ' ' || rule || ' ' || file || ':' || line FROM findings" | sort; }

if [ "${1:-}" != --inside ]; then
	command -v icecc >/dev/null && command -v iceccd >/dev/null && command -v icecc-scheduler >/dev/null ||
		{ ko setup "icecc is not installed (apt-get install icecc)"; finish; }
	[ "$(id -u)" -eq 0 ] || { ko setup "needs root (unshare -n, iceccd's chroot)"; finish; }
	exec unshare -n "$0" --inside
fi

ip link set lo up
D=$(mktemp -d /tmp/mmlock-icecc.XXXXXX)
chmod 1777 "$D"	# iceccd works as the icecc user
export ICECC_TESTS=1
unset ICECC_VERSION ICECC_SCHEDULER
pids=""
trap 'kill $pids 2>/dev/null; wait 2>/dev/null; rm -rf "$D"' EXIT
port=18765
icecc-scheduler -p $port -n mmlock -l "$D/scheduler.log" -vv & pids="$pids $!"
sleep 1
ICECC_TEST_SOCKET=$D/sock-local iceccd --no-remote -b "$D/envs-local" -l "$D/local.log" \
	-n mmlock -N local -m 2 -s 127.0.0.1:$port -vvv & pids="$pids $!"
ICECC_TEST_SOCKET=$D/sock-remote iceccd -p 10346 -b "$D/envs-remote" -l "$D/remote.log" \
	-n mmlock -N remote -m 2 -s 127.0.0.1:$port -vvv & pids="$pids $!"
for ((i = 0; i < 60; i++)); do
	[ "$(grep -l 'Connected to scheduler' "$D/local.log" "$D/remote.log" 2>/dev/null | wc -l)" = 2 ] && break
	sleep 0.5
done
[ $i -lt 60 ] || { ko setup "the daemons did not reach the scheduler"; finish; }
grep -q 'Cannot use chroot' "$D/remote.log" && { ko setup "iceccd cannot chroot"; finish; }

pte=tests/rules/pte-lock/pte_lock.c
want=$(gcc -fplugin="$P" -fplugin-arg-mmlock_plugin-db="$D/ref.db" -O2 -c $pte -o "$D/ref.o" 2>&1 >/dev/null)
want_prints=$(prints "$D/ref.db")
t0=$(date +%s)
out=$(ICECC_TEST_SOCKET=$D/sock-local ICECC_TEST_REMOTEBUILD=1 ICECC_PREFERRED_HOST=remote \
	ICECC_DEBUG=debug ICECC_LOGFILE=$D/icecc.log ICECC_EXTRAFILES=$here/build/mm.rules \
	"$M" cc --db="$D/a.db" icecc gcc -fplugin="$P" -fplugin-arg-mmlock_plugin-rules="$here/build/mm.rules" \
	-fno-diagnostics-show-caret -O2 -c $pte -o "$D/a.o" 2>&1)
rc=$?
secs=$(( $(date +%s) - t0 ))
got=$(prints "$D/a.db")
strip() { grep -E '^[^ ]+:[0-9]+:[0-9]+: ' | sed -E 's/^([^ ]+:[0-9]+):[0-9]+:/\1:/'; }
if [ $rc -ne 0 ]; then
	ko remote-unit "exit $rc: $(echo "$out" | head -3 | tr '\n' ' ')"
elif ! grep -q 'Remote compilation completed with exit code 0' "$D/remote.log" ||
	grep -q 'building_local\|local build forced' "$D/icecc.log"; then
	ko remote-unit "not compiled remotely: $(grep -h 'building_local\|forced\|Have to use' "$D/icecc.log" | head -3 | tr '\n' ' ')"
elif [ "$got" != "$want_prints" ] || [ "$(echo "$out" | strip)" != "$(echo "$want" | strip)" ]; then
	ko remote-unit "findings differ: $(diff <(echo "$want_prints") <(echo "$got") | head -4 | tr '\n' ' ')"
else
	ok "remote-unit (compiled by the remote iceccd in its chroot, $(echo "$got" | grep -c .) findings home and stored, the same fingerprints; ${secs}s with the environment shipped)"
fi
finish
