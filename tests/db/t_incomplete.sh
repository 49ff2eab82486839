# A run that is not complete (its writer killed, or stopped) may lack
# findings: diff says so on stderr and in JSON and exits 2 unless
# --allow-incomplete; list --run N says so beside what it has.
db=$T/incomplete.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
# import_killed SIGNAL: an import from a pipe, given demo1.log and then
# killed with SIGNAL while it waits for more (run 2: KILL, run 3: TERM)
import_killed() {
	local runs pid i=0
	runs=$(q "$db" 'SELECT count(*) FROM runs')
	rm -f "$T/inc.fifo" && mkfifo "$T/inc.fifo"
	"$M" db --db "$db" import --root "$DATA/tree1" - < "$T/inc.fifo" > /dev/null 2>&1 &
	pid=$!
	exec 4> "$T/inc.fifo"
	cat "$DATA/demo1.log" >&4
	while [ "$(q "$db" 'SELECT count(*) FROM runs')" = "$runs" ] && [ $((i += 1)) -lt 200 ]; do sleep 0.05; done
	sleep 0.5	# time to read the lines
	disown $pid	# no "Killed" notice from the shell
	kill -"$1" $pid
	while kill -0 $pid 2> /dev/null; do sleep 0.05; done
	exec 4>&-
}
import_killed KILL
out=$("$M" db --db "$db" diff 1 2 2> "$T/inc.err" | tail -1; exit "${PIPESTATUS[0]}")
expect_rc incomplete_diff_exit 2 $? "run 1 -> run 2: 0 new, 5 fixed, 0 unchanged|mmlock db: run 2 is incomplete: findings may be missing (still being written, or its writer was killed)" \
	"$out|$(cat "$T/inc.err")"
"$M" db --db "$db" diff 1 2 --allow-incomplete > /dev/null 2>&1
expect_rc incomplete_diff_allowed 0 $?
json=$("$M" db --db "$db" diff 1 2 --format json --allow-incomplete 2> /dev/null)
if have_python; then
	expect incomplete_diff_json "complete incomplete False" \
		"$(echo "$json" | python3 -c 'import json, sys; d = json.load(sys.stdin); print(d["old_status"], d["new_status"], d["complete"])' 2>&1 | tail -1)"
else
	echo "SKIP db/incomplete_diff_json: no python3 to read the JSON"
fi
out=$("$M" db --db "$db" list --run 2 2>&1)
expect_rc incomplete_list_says 0 $? "mmlock db: run 2 is incomplete: findings may be missing (still being written, or its writer was killed)" "$out"
import_killed TERM
out=$("$M" db --db "$db" list --run 3 2>&1 >/dev/null)
expect incomplete_list_interrupted "5|mmlock db: run 3 is interrupted: findings may be missing (its writer was stopped)" \
	"$("$M" db --db "$db" list --run 3 2>/dev/null | grep -c warning:)|$out"
"$M" db --db "$db" diff 1 3 > /dev/null 2>&1
expect_rc incomplete_diff_interrupted 2 $?
