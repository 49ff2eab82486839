# Odd values and odd places: SQL results JSON cannot hold, NULs, control
# bytes from the input, a database in a read-only directory, a file size
# limit.
db=$T/edges.db
"$M" db --db "$db" init > /dev/null
out=$("$M" db --db "$db" sql "SELECT 1e999 AS inf, -1e999 AS ninf, 'a' || char(0) || 'b' AS nul" --format json)
expect edges_sql_json_inf_nul '[
{"inf": null, "ninf": null, "nul": "a\u0000b"}
]' "$out"
expect edges_sql_tsv_nul_control 'a\x00b	\x1b[31m' \
	"$("$M" db --db "$db" sql "SELECT 'a' || char(0) || 'b', char(27) || '[31m'" | tail -1)"
printf 'mm/e.c:3:1: warning: \033]0;title\007 here [mmlock:pte-lock]\nmm/e.c:2:1: note: \033[2J\n' > "$T/ctl.log"
"$M" db --db "$db" import "$T/ctl.log" > /dev/null
expect edges_list_control_bytes 'mm/e.c:3:1: warning: \x1b]0;title\x07 here [mmlock:pte-lock]
mm/e.c:2:1: note: \x1b[2J' "$("$M" db --db "$db" list --latest)"

# a database in a directory it cannot write is read as it is (root writes
# anywhere: the check runs as nobody then)
as_user() { "$@"; }
[ "$(id -u)" -eq 0 ] && as_user() { setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
if [ "$(id -u)" -eq 0 ] && ! command -v setpriv > /dev/null; then
	echo "SKIP db/edges_readonly_directory: running as root and no setpriv to drop to nobody"
else
	mkdir -p "$T/ro" && cp "$db" "$T/ro/r.db" && chmod 755 "$T/ro" && chmod 644 "$T/ro/r.db" &&
		chmod 711 "$T" && [ "$(id -u)" -ne 0 ] && chmod 555 "$T/ro"
	out=$(as_user "$M" db --db "$T/ro/r.db" list 2>&1 | head -1; as_user "$M" db --db "$T/ro/r.db" stats 2>&1 | tail -1;
	      as_user "$M" db --db "$T/ro/r.db" diff 1 1 2>&1; as_user "$M" db --db "$T/ro/r.db" sql 'SELECT count(*) FROM findings' 2>&1 | tail -1)
	expect edges_readonly_directory "mm/e.c:3:1: warning: \\x1b]0;title\\x07 here [mmlock:pte-lock]|     1         1         1|run 1 -> run 1: 0 new, 0 fixed, 1 unchanged|1" \
		"$(echo "$out" | sed 's/ complete .*//' | paste -sd'|')"
	chmod 700 "$T"
	[ -e "$T/ro/r.db-wal" ] && fail edges_readonly_directory_untouched "a -wal file appeared"
fi

# past ulimit -f: a message naming the database and exit 2, not a signal
for i in $(seq 1 3000); do echo "mm/f$i.c:$i:1: warning: a message long enough to fill a small file $i [mmlock:pte-lock]"; done > "$T/big.log"
out=$(ulimit -f 100; "$M" db --db "$T/big.db" import "$T/big.log" 2>&1)
expect_rc edges_file_size_limit 2 $? "mmlock: $T/big.db: write: disk I/O error" "$out"
