# Many writers at once (make -jN): 16 imports of 1,000 findings each into
# a database none of them finds created; writers sharing a run key; a
# writer killed with SIGKILL and one stopped with SIGTERM.

# gen W N [FILE-PREFIX]: N findings of writer W, each with a note; the
# messages differ in letters, not only digits, so fingerprints differ
gen() {
	awk -v w="$1" -v n="$2" -v p="${3:-mm/w}" 'function word(k, s) {
		s = ""
		do { s = s sprintf("%c", 97 + k % 26); k = int(k / 26) } while (k > 0)
		return s
	}
	BEGIN {
		for (i = 1; i <= n; i++) {
			printf "%s%02d.c:%d:3: warning: finding %s of writer %s [mmlock:pte-lock]\n", p, w, i, word(i), word(w)
			printf "%s%02d.c:%d:1: note: taken here\n", p, w, i
		}
	}'
}

db=$T/conc.db
for w in $(seq 1 16); do
	gen $w 1000 > "$T/w$w.log"
done
pids=()
for w in $(seq 1 16); do
	"$M" db --db "$db" import "$T/w$w.log" > "$T/w$w.out" 2> "$T/w$w.err" &
	pids+=($!)
done
failed=0
for p in "${pids[@]}"; do
	wait $p || failed=$((failed + 1))
done
expect concurrency_no_writer_failed "0 writers failed" "$failed writers failed$(cat "$T"/w*.err | head -3)"
expect concurrency_every_row "16000 16000 16000 16 16" \
	"$(q "$db" "SELECT (SELECT count(*) FROM findings), (SELECT count(DISTINCT fingerprint) FROM findings),
	 (SELECT count(*) FROM notes), (SELECT count(*) FROM runs WHERE status = 'complete'),
	 (SELECT count(*) FROM (SELECT run FROM findings GROUP BY run HAVING count(*) = 1000 AND count(DISTINCT file) = 1))" | tr '\t' ' ')"

# four writers, one key: one run, complete once all four have ended
for w in 21 22 23 24; do
	gen $w 250 > "$T/k$w.log"
	"$M" db --db "$db" import --run-key build-7 "$T/k$w.log" > /dev/null 2>&1 &
	pids+=($!)
done
wait
expect concurrency_shared_run "1 4 4 complete 1000" \
	"$(q "$db" "SELECT count(*), sum(writers), sum(writers_done), min(status), (SELECT count(*) FROM findings WHERE run = min(r.id)) FROM runs r WHERE key = 'build-7'" | tr '\t' ' ')"

# wait_runs N: until N runs read standard input (5 s at most)
wait_runs() {
	for i in $(seq 100); do
		[ "$(q "$db" "SELECT count(*) FROM runs WHERE source = '<stdin>'")" = "$1" ] && return 0
		sleep 0.05
	done
	return 1
}
before=$(q "$db" 'SELECT count(*) FROM findings')

# SIGKILL: the run stays incomplete, none of its findings are stored
mkfifo "$T/fifo"
"$M" db --db "$db" import - < "$T/fifo" > /dev/null 2>&1 &
pid=$!
exec 3> "$T/fifo"
gen 31 10 >&3
wait_runs 1
sleep 0.2
disown $pid		# no "Killed" notice from the shell
kill -KILL $pid
while kill -0 $pid 2> /dev/null; do sleep 0.05; done
exec 3>&-
expect concurrency_killed_writer "1 0 $before" \
	"$(q "$db" "SELECT count(*), (SELECT count(*) FROM findings f JOIN runs r ON r.id = f.run WHERE r.source = '<stdin>'),
	 (SELECT count(*) FROM findings) FROM runs WHERE source = '<stdin>' AND status = 'incomplete'" | tr '\t' ' ')"

# SIGTERM: the findings read so far are stored, the run marked interrupted
"$M" db --db "$db" import - < "$T/fifo" > "$T/term.out" 2> /dev/null &
pid=$!
exec 3> "$T/fifo"
gen 32 10 >&3
wait_runs 2
sleep 1		# time to read the ten lines
kill -TERM $pid
wait $pid
rc=$?
exec 3>&-
expect_rc concurrency_interrupted_writer 2 $rc "interrupted 10|$(cat "$T/term.out")" \
	"$(q "$db" "SELECT status, (SELECT count(*) FROM findings WHERE run = r.id) FROM runs r WHERE source = '<stdin>' AND status <> 'incomplete'" | tr '\t' ' ')|$(cat "$T/term.out")"
out=$("$M" db --db "$db" import "$T/w1.log")
expect_rc concurrency_after_kill 0 $? "run 20: 1000 findings from $T/w1.log" "$out"

# MMLOCK_RUN_KEY in the environment (say, exported around a whole build)
# joins every writer that does not name a key to one run
MMLOCK_RUN_KEY=build-8 "$M" db --db "$db" import "$T/k21.log" > /dev/null
MMLOCK_RUN_KEY=build-8 "$M" db --db "$db" import --engine sparse "$T/k22.log" > /dev/null
expect concurrency_env_key "1 2 complete gcc-plugin,sparse 500" \
	"$(q "$db" "SELECT count(*), sum(writers), min(status), min(engines), (SELECT count(*) FROM findings WHERE run = min(r.id)) FROM runs r WHERE key = 'build-8'" | tr '\t' ' ')"
