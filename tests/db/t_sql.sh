# mmlock db sql: one read-only statement, parameters bound.
db=$T/sql.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
before=$(dbsum "$db")
expect sql_select "rule	n
pmd-lock	2
pte-lock	2" "$("$M" db --db "$db" sql 'SELECT rule, count(*) AS n FROM findings WHERE rule LIKE ?1 GROUP BY rule ORDER BY rule' 'p%')"
expect sql_json '[
{"line": 9, "function": "zap_one", "x": null}
]' "$("$M" db --db "$db" sql --format json 'SELECT line, function, NULL AS x FROM findings WHERE id = ?1' 1)"
expect sql_param_not_sql 0 "$(q "$db" "SELECT count(*) FROM findings WHERE rule = ?1" "x' OR '1'='1")"
out=$("$M" db --db "$db" sql 'DELETE FROM findings' 2>&1)
expect_rc sql_no_write 2 $? 1 "$(echo "$out" | grep -c 'read-only')"
out=$("$M" db --db "$db" sql 'SELECT 1; DELETE FROM findings' 2>&1)
expect_rc sql_one_statement 2 $? 1 "$(echo "$out" | grep -c 'one statement')"
out=$("$M" db --db "$db" sql "ATTACH '$T/other.db' AS o" 2>&1)
expect_rc sql_no_attach 2 $? "no" "$([ -e "$T/other.db" ] && echo yes || echo no)"
out=$("$M" db --db "$db" sql 'PRAGMA journal_mode=DELETE' 2>&1)
expect_rc sql_no_pragma_write 2 $? "$before" "$(dbsum "$db")"
out=$("$M" db --db "$db" sql 'SELECT ?1, ?2' 1 2>&1)
expect_rc sql_param_count 2 $? 1 "$(echo "$out" | grep -c '2 parameters, 1 given')"
expect sql_nothing_changed "$before 5" "$(dbsum "$db") $(q "$db" 'SELECT count(*) FROM findings')"
