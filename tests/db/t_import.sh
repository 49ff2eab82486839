# mmlock db import: the common format, notes, build noise, other engines.
db=$T/import.db
out=$("$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" 2>&1)
expect import_run "run 1: 5 findings from $DATA/demo1.log" "$out"
expect import_rows "5 5 1" "$(q "$db" 'SELECT (SELECT count(*) FROM findings), (SELECT count(*) FROM notes), (SELECT count(*) FROM runs)' | tr '\t' ' ')"
expect import_functions "zap_one collapse_one - sys_demo -" \
	"$(q "$db" "SELECT coalesce(function, '-') FROM findings ORDER BY id" | xargs)"
expect import_notes "0:mm/demo.c:18:15:the lock was taken here 1:mm/demo.c:22:2:and released here" \
	"$(q "$db" "SELECT seq || ':' || file || ':' || line || ':' || col || ':' || message FROM notes WHERE finding = 2 ORDER BY seq" | paste -sd' ')"
expect import_run_meta "complete gcc-plugin $DATA/demo1.log 1 1" \
	"$(q "$db" 'SELECT status, engines, source, writers, writers_done FROM runs' | tr '\t' ' ')"

# text listing, imported again, is the same run
"$M" db --db "$db" list --run 1 > "$T/list1.txt"
expect import_list_is_diagnostics "$(grep -E '^mm/[a-z]+\.c:[0-9]+:[0-9]+: (warning|note):' "$DATA/demo1.log")" \
	"$(cat "$T/list1.txt")"
"$M" db --db "$db" import --root "$DATA/tree1" - < "$T/list1.txt" > "$T/out" 2>&1
expect import_stdin "run 2: 5 findings from <stdin>" "$(cat "$T/out")"
out=$("$M" db --db "$db" diff 1 2)
expect_rc import_roundtrip 0 $? "run 1 -> run 2: 0 new, 0 fixed, 5 unchanged" "$out"

# other engines: gcc's -W options, sparse and smatch without tags, cocci ranges
"$M" db --db "$db" import --engine gcc --root "$DATA/tree1" "$DATA/gcc.log" > /dev/null
expect import_gcc "-Wunused-variable|warning|include/linux/mm.h|12|9|pte_helper|unused variable 'x'|0
-Wimplicit-function-declaration|error|mm/demo.c|9|2|zap_one|implicit declaration of function 'pte_clear'|1" \
	"$(q "$db" "SELECT rule, severity, file, line, col, function, message, (SELECT count(*) FROM notes WHERE finding = f.id) FROM findings f WHERE run = 3 ORDER BY id" | tr '\t' '|')"
"$M" db --db "$db" import --engine sparse --root "$DATA/tree1" "$DATA/sparse.log" > /dev/null
expect import_sparse "sparse|sparse|warning|5|13|zap_one
sparse|sparse|error|9|2|zap_one
sparse|sparse|warning|33|1|sys_demo" \
	"$(q "$db" "SELECT rule, engine, severity, line, col, function FROM findings WHERE run = 4 ORDER BY line" | tr '\t' '|')"
"$M" db --db "$db" import --engine smatch --root "$DATA/tree1" "$DATA/smatch.log" > /dev/null
expect import_smatch "smatch|warning|mm/demo.c|35|0|sys_demo|inconsistent returns '&current->mm->mmap_lock'.
smatch|error|mm/gone.c|99|0|gone_fn|potential NULL dereference 'pte'." \
	"$(q "$db" "SELECT rule, severity, file, line, col, function, message FROM findings WHERE run = 5 ORDER BY id" | tr '\t' '|')"
"$M" db --db "$db" import --engine cocci --root "$DATA/tree1" "$DATA/cocci.log" > /dev/null
expect import_cocci "pte-lock|cocci|warning|9|2|zap_one|pte_clear() without the pte lock, \"really\"" \
	"$(q "$db" "SELECT rule, engine, severity, line, col, function, message FROM findings WHERE run = 6" | tr '\t' '|')"

# a header's finding seen by two units is stored once
out=$("$M" db --db "$db" import "$DATA/repeat.log")
expect import_repeat_once "run 7: 1 findings from $DATA/repeat.log" "$out"

# metadata: given, or read from the tree (Makefile, .git)
mkdir -p "$T/k/.git" "$T/k/mm"
printf 'VERSION = 6\nPATCHLEVEL = 1\nSUBLEVEL = 192\nEXTRAVERSION = -rc1\nNAME = x\n' > "$T/k/Makefile"
echo 'ref: refs/heads/main' > "$T/k/.git/HEAD"
printf '# pack-refs\n0123456789abcdef0123456789abcdef01234567 refs/heads/main\n' > "$T/k/.git/packed-refs"
"$M" db --db "$db" import --root "$T/k" "$DATA/cocci.log" > /dev/null
expect import_tree_meta "6.1.192-rc1 0123456789abcdef0123456789abcdef01234567" \
	"$(q "$db" 'SELECT kernel_version, git_rev FROM runs WHERE id = 8' | tr '\t' ' ')"
"$M" db --db "$db" import --root "$T/k" --kernel-version 6.6 --git-rev deadbeef --rules pte-lock,pmd-lock "$DATA/cocci.log" > /dev/null
expect import_given_meta "6.6 deadbeef pte-lock,pmd-lock" \
	"$(q "$db" 'SELECT kernel_version, git_rev, rules FROM runs WHERE id = 9' | tr '\t' ' ')"

# absolute paths under the root are stored relative to it, same fingerprint
sed "s|^mm/|$DATA/tree1/mm/|" "$DATA/demo1.log" > "$T/abs.log"
"$M" db --db "$db" import --root "$DATA/tree1" "$T/abs.log" > /dev/null
expect import_absolute_paths "mm/demo.c mm/demo.c mm/demo.c mm/demo.c mm/gone.c|0 new, 0 fixed, 5 unchanged" \
	"$(q "$db" 'SELECT file FROM findings WHERE run = 10 ORDER BY id' | xargs)|$("$M" db --db "$db" diff 1 10 | tail -1 | sed 's/.*: //')"
