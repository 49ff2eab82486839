# mmlock db list, stats and diff over six runs of four engines.
db=$T/query.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
for e in gcc sparse smatch cocci; do
	"$M" db --db "$db" import --engine $e --root "$DATA/tree1" "$DATA/$e.log" > /dev/null
done
"$M" db --db "$db" import --root "$DATA/tree2" "$DATA/demo2.log" > /dev/null

# count NAME WANTED LIST-ARGS...: findings listed (tsv rows)
count() {
	local name=$1 want=$2
	shift 2
	expect "$name" "$want" "$("$M" db --db "$db" list --format tsv "$@" | tail -n +2 | wc -l)"
}
count list_all 18
count list_rule 5 --rule pte-lock
count list_file 3 --file mm/gone.c
count list_file_dir 1 --file include/
count list_file_glob 3 --file 'mm/g*.c'
count list_function 5 --function zap_one
count list_engine 2 --engine smatch
count list_run 3 --run 3
count list_latest 5 --latest
count list_latest_rule 2 --latest --rule pte-lock
count list_latest_1 1 --run latest~1
count list_no_injection 0 --rule "x' OR 1=1 --"
expect list_tsv_row "6	fade7ad8ab40a684	pte-lock	warning	mm/demo.c	38	2	move_one	gcc-plugin		set_pte_at() changes a pte entry without holding its pte lock" \
	"$("$M" db --db "$db" list --format tsv --function move_one | tail -n +2)"
expect list_empty_json "[]" "$("$M" db --db "$db" list --format json --rule nosuchrule)"
if have_python; then
	out=$("$M" db --db "$db" list --format json | python3 -c '
import json, sys
a = json.load(sys.stdin)
need = {"rule", "file", "line", "function", "message", "fingerprint", "engine", "run", "notes"}
print(len(a), all(need <= set(o) for o in a), sum(len(o["notes"]) for o in a),
      a[1]["notes"][1]["message"])' 2>&1)
	expect list_json "18 True 11 and released here" "$out"
	out=$("$M" db --db "$db" list --format csv --engine cocci | python3 -c '
import csv, sys
r = list(csv.reader(sys.stdin))
print(len(r), r[0][0], r[0][-1], r[1][-1])' 2>&1)
	expect list_csv '2 run message pte_clear() without the pte lock, "really"' "$out"
else
	skip "list_json" "no python3"
	skip "list_csv" "no python3"
fi

expect stats_rule " findings  distinct     files   triaged rule
        5         4         1         0 pte-lock
        4         2         2         0 pmd-lock
        3         3         1         0 sparse
        2         1         1         0 lock-balance
        2         2         2         0 smatch
        1         1         1         0 -Wimplicit-function-declaration
        1         1         1         0 -Wunused-variable" "$("$M" db --db "$db" stats --by rule)"
expect stats_file "findings	distinct	rules	triaged	file
14	11	6	0	mm/demo.c
3	2	2	0	mm/gone.c
1	1	1	0	include/linux/mm.h" "$("$M" db --db "$db" stats --by file --format tsv)"
expect stats_run "1,5,5,complete,gcc-plugin
2,2,2,complete,gcc
3,3,3,complete,sparse
4,2,2,complete,smatch
5,1,1,complete,cocci
6,5,5,complete,gcc-plugin" "$("$M" db --db "$db" stats --by run --format csv | tail -n +2 | cut -d, -f1-4,6)"
expect stats_filtered "6	2	2	complete" \
	"$("$M" db --db "$db" stats --by run --run 6 --rule pmd-lock --format tsv | tail -n +2 | cut -f1-4)"
if have_python; then
	out=$("$M" db --db "$db" stats --latest --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(sorted(d), sum(r["findings"] for r in d["rules"]), d["runs"][0]["run"])' 2>&1)
	expect stats_json "['files', 'rules', 'runs'] 5 6" "$out"
else
	skip "stats_json" "no python3"
fi

out=$("$M" db --db "$db" diff 6 6)
expect_rc diff_same 0 $? "run 6 -> run 6: 0 new, 0 fixed, 5 unchanged" "$out"
"$M" db --db "$db" diff latest~1 latest --format tsv --all > "$T/diff.tsv"
expect_rc diff_all 1 $? "change	run	fingerprint
new	6	7b298651e90fcc09
new	6	fade7ad8ab40a684
new	6	dd6b80757b730532
new	6	5c6e5eead0489b03
new	6	a64b42efc770a331
fixed	5	ee8e536788a8dd38" "$(cut -f1-3 "$T/diff.tsv")"
out=$("$M" db --db "$db" diff 6 1)
expect_rc diff_reverse 1 $? "+ mm/demo.c:9:2: warning: pte_clear() changes a pte entry without holding its pte lock [mmlock:pte-lock]
- mm/demo.c:38:2: warning: set_pte_at() changes a pte entry without holding its pte lock [mmlock:pte-lock]
run 6 -> run 1: 1 new, 1 fixed, 4 unchanged" "$out"
out=$("$M" db --db "$db" diff 1 99 2>&1)
expect_rc diff_no_run 2 $? "mmlock: $db: no run 99" "$out"
if have_python; then
	out=$("$M" db --db "$db" diff 1 6 --format json | python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["old_run"], d["new_run"], d["counts"], d["new"][0]["function"], d["fixed"][0]["function"])' 2>&1)
	expect diff_json "1 6 {'new': 1, 'fixed': 1, 'unchanged': 4} move_one zap_one" "$out"
else
	skip "diff_json" "no python3"
fi
