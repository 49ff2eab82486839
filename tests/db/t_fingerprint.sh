# Fingerprints survive unrelated edits: tree2 is tree1 with lines moved,
# a statement re-wrapped and comments changed; zap_one fixed, move_one new.
db=$T/fp.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
"$M" db --db "$db" import --root "$DATA/tree2" "$DATA/demo2.log" > /dev/null
out=$("$M" db --db "$db" diff 1 2)
expect_rc fingerprint_survives_edits 1 $? \
"+ mm/demo.c:38:2: warning: set_pte_at() changes a pte entry without holding its pte lock [mmlock:pte-lock]
- mm/demo.c:9:2: warning: pte_clear() changes a pte entry without holding its pte lock [mmlock:pte-lock]
run 1 -> run 2: 1 new, 1 fixed, 4 unchanged" "$out"
expect fingerprint_no_source "1 2" \
	"$(q "$db" "SELECT count(DISTINCT fingerprint), count(*) FROM findings WHERE file = 'mm/gone.c'" | tr '\t' ' ')"
expect fingerprint_function_matters "2" \
	"$(q "$db" "SELECT count(DISTINCT fingerprint) FROM findings WHERE run = 2 AND message LIKE 'set_pte_at()%'")"

# the definition in db/README.md, computed independently
if have_python; then
	want=$(python3 - <<'PY'
def fp(*parts):
    h = 0xcbf29ce484222325
    for p in parts:
        for b in p.encode() + b"\0":
            h = ((h ^ b) * 0x100000001b3) & 0xffffffffffffffff
    return "%016x" % h
msg = "set_pte_at() changes a pte entry without holding its pte lock"
print(fp("pte-lock", "mm/demo.c", "collapse_one", "set_pte_at(mm,addr,pte,pte_mkold(*pte));", msg))
msg = "mmap_lock taken here is still held at the return on line"
print(fp("lock-balance", "mm/demo.c", "sys_demo", "mmap_read_lock(current->mm);", msg))
msg = "pmd_clear() changes a pmd entry without holding its pmd lock"
print(fp("pmd-lock", "mm/gone.c", "", msg, msg))
PY
)
	expect fingerprint_definition "$want" "$(q "$db" "SELECT fingerprint FROM findings WHERE run = 1 AND id IN (2, 4, 5) ORDER BY id" )"
else
	skip "fingerprint_definition" "no python3"
fi
