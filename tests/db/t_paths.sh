# File names with blanks and colons: gcc writes FILE:LINE:COL: with the
# name as it is, so import, list | import and the notes keep it whole; a
# line that has FILE:LINE:COL: but reads as nothing is refused, naming it.
db=$T/paths.db
mkdir -p "$T/ptree/my dir" "$T/ptree/mm"
cp "$DATA/tree1/mm/demo.c" "$T/ptree/my dir/a b.c"
cp "$DATA/tree1/mm/demo.c" "$T/ptree/mm/demo.c"
cat > "$T/blank.log" <<'LOG'
make[2]: *** [scripts/Makefile.build:250: mm/memory.o] Error 1
In file included from my dir/a b.c:3:
my dir/a b.c: In function 'zap_one':
my dir/a b.c:9:2: warning: pte_clear() without the pte lock [mmlock:pte-lock]
my dir/a b.c:7:15: note: the table was mapped here
mm/demo.c:5:13: warning: set_pte_at() without the pte lock [mmlock:pte-lock]
odd:1:name.c:12:3: warning: a colon and a number in the name [mmlock:pte-lock]
LOG
out=$("$M" db --db "$db" import --root "$T/ptree" "$T/blank.log" 2>&1)
expect_rc paths_import_blank 0 $? "run 1: 3 findings from $T/blank.log" "$out"
expect paths_stored "mm/demo.c|5|13|zap_one|
my dir/a b.c|9|2|zap_one|my dir/a b.c:7:15
odd:1:name.c|12|3|-|" "$(q "$db" "SELECT file, line, col, coalesce(function, '-'),
	(SELECT group_concat(n.file || ':' || n.line || ':' || n.col) FROM notes n WHERE n.finding = f.id)
	FROM findings f ORDER BY file, line" | tr '\t' '|')"
"$M" db --db "$db" list --run 1 > "$T/blank-list.txt"
"$M" db --db "$db" import --root "$T/ptree" - < "$T/blank-list.txt" > /dev/null 2>&1
out=$("$M" db --db "$db" diff 1 2 2>&1)
expect_rc paths_list_import_roundtrip 0 $? "run 1 -> run 2: 0 new, 0 fixed, 3 unchanged" "$out"
printf 'my dir/a b.c:9:2: warnin: misspelt\n' > "$T/blank-bad.log"
out=$("$M" db --db "$db" import "$T/blank-bad.log" 2>&1)
expect_rc paths_unreadable_named 2 $? "mmlock: $T/blank-bad.log:1: unreadable diagnostic line: not a warning, error or note" "$out"
