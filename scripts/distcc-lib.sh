# distcc-lib.sh: distccd daemons on loopback and kbuild builds through
# them, for scripts/analyse-distcc.sh, scripts/bench-distcc.sh and
# tests/distcc/run.sh.  Sourced (bash); needs $here (the checkout).
#
#   dl_setup                 a work directory $DL (under /tmp: the daemons
#                            run as Debian's distccd user and must read it)
#                            with $DL/inst: mmlock-gcc, mmlock_plugin.so,
#                            mm.rules -- "the same path on every host" --
#                            and the client's distcc state ($DISTCC_DIR)
#   dl_start NAME ADDR [VAR=VALUE...]
#                            a distccd on ADDR (127.x) at a free port, only
#                            loopback allowed, only $DL/inst/mmlock-gcc
#                            served (DISTCC_CMDLIST), log $DL/NAME.log;
#                            VAR=VALUE go into its environment (e.g.
#                            DISTCC_CMDLIST=another list); sets dl_host_NAME
#   dl_stop NAME [SIGNAL]    stops it (its whole process group); dl_pid_NAME
#                            is its pid, the id of its session too
#   dl_build TREE DB LOG HOSTS JOBS [MAKE ARGS...]
#                            make in TREE with CC="mmlock cc distcc
#                            mmlock-gcc", DISTCC_HOSTS=HOSTS, findings into
#                            DB (one run), make's output into LOG, the
#                            client's distcc log LOG.distcc, mmlock cc's
#                            per-unit lines LOG.units
#   dl_where LOG.distcc      "UNIT HOST" for each unit: where its compile
#                            finally ran (distcc's own log; localhost when
#                            distcc fell back to a local compile)
#   dl_cleanup               stops every daemon started, removes $DL
# Nothing is installed: Debian's distcc package must be there
# (scripts/install-deps.sh).

DL=""
dl_names=""

dl_die() { echo "distcc: $*" >&2; exit 2; }

dl_setup() {
	command -v distccd >/dev/null && command -v distcc >/dev/null && command -v ss >/dev/null ||
		dl_die "distcc is not installed (scripts/install-deps.sh installs Debian's distcc)"
	id distccd >/dev/null 2>&1 || id distcc >/dev/null 2>&1 ||
		dl_die "no distccd user (Debian's distcc package creates it)"
	local f
	for f in mmlock-gcc mmlock_plugin.so mm.rules mmlock; do
		[ -e "$here/build/$f" ] || dl_die "build/$f is missing (make)"
	done
	DL=$(mktemp -d /tmp/mmlock-distcc.XXXXXX) || dl_die "cannot make a work directory"
	chmod 755 "$DL"
	mkdir -p "$DL/inst" "$DL/daemons" "$DL/distcc-dir"
	chmod 1777 "$DL/daemons"
	cp "$here/build/mmlock-gcc" "$here/build/mmlock_plugin.so" "$here/build/mm.rules" "$DL/inst/"
	chmod 755 "$DL/inst" "$DL/inst/mmlock-gcc"
	chmod 644 "$DL/inst/mmlock_plugin.so" "$DL/inst/mm.rules"
	echo "$DL/inst/mmlock-gcc" >"$DL/cmdlist"
	chmod 644 "$DL/cmdlist"
	export DISTCC_DIR=$DL/distcc-dir
	trap dl_cleanup EXIT
}

dl_port() {	# a free port on ADDR
	python3 -c 'import socket,sys
s = socket.socket(); s.bind((sys.argv[1], 0)); print(s.getsockname()[1])' "$1"
}

dl_start() {
	local name=$1 addr=$2 port pid i
	shift 2
	port=$(dl_port "$addr") || dl_die "no free port on $addr"
	: >"$DL/daemons/$name.log"
	chmod 666 "$DL/daemons/$name.log"
	# setsid: the daemon leads its own session and process group, so that
	# dl_stop ends it, its workers and the compilers they run, and nothing
	# else; started from a subshell, it is no job of this shell
	(setsid env DISTCC_CMDLIST="$DL/cmdlist" "$@" distccd --no-detach --daemon \
		--listen "$addr" --port "$port" --allow 127.0.0.0/8 --jobs 2 \
		--log-file "$DL/daemons/$name.log" </dev/null >/dev/null 2>&1 &
	 echo $! >"$DL/daemons/$name.pid")
	pid=$(cat "$DL/daemons/$name.pid")
	eval "dl_pid_$name=$pid dl_host_$name=$addr:$port/2"
	dl_names="$dl_names $name"
	for ((i = 0; i < 100; i++)); do
		ss -ltnH | awk '{ print $4 }' | grep -qxF "$addr:$port" && break
		kill -0 "$pid" 2>/dev/null || dl_die "distccd $name did not start: $(tail -2 "$DL/daemons/$name.log")"
		sleep 0.1
	done
	[ $i -lt 100 ] || dl_die "distccd $name is not listening on $addr:$port"
}

dl_stop() {
	local name=$1 sig=${2:-TERM} pid i
	eval "pid=\${dl_pid_$name:-}"
	[ -n "$pid" ] || return 0
	kill -"$sig" -- -"$pid" 2>/dev/null
	for ((i = 0; i < 100; i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	eval "dl_pid_$name="
}

dl_cleanup() {
	local n
	for n in $dl_names; do dl_stop "$n"; done
	[ -n "$DL" ] && [ -z "${MMLOCK_KEEP:-}" ] && rm -rf "$DL"
	return 0
}

dl_build() {
	local tree=$1 db=$2 log=$3 hosts=$4 jobs=$5
	shift 5
	rm -f "$log.distcc" "$log.units"
	PATH=$DL/inst:$PATH DISTCC_HOSTS=$hosts DISTCC_LOG=$log.distcc \
		MMLOCK_DB=$db MMLOCK_CC_LOG=$log.units \
		make -C "$tree" -j"$jobs" CC="$here/build/mmlock cc distcc mmlock-gcc" "$@" >"$log" 2>&1
}

dl_where() {
	sed -nE 's/^distcc\[[0-9]+\] compile ([^ ]+) on ([^ ]+) completed ok$/\1 \2/p' "$1" |
		sed -E 's#^\./##; s#/[0-9]+$##' |
		awk '{ where[$1] = $2 } END { for (u in where) print u, where[u] }' | sort
}
