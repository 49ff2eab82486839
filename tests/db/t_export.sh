# mmlock db export: SARIF 2.1.0 for GitHub code scanning, and the list formats.
db=$T/export.db
"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
"$M" db --db "$db" import --root "$DATA/tree2" "$DATA/demo2.log" > /dev/null
"$M" db --db "$db" triage dd6b80757b730532 false-positive --note "ops is never called" > /dev/null
"$M" db --db "$db" export --latest > "$T/latest.sarif"
expect_rc export_default_sarif 0 $? 1 "$(grep -c '"version": "2.1.0"' "$T/latest.sarif")"
if have_python; then
	out=$(python3 - "$T/latest.sarif" <<'PY' 2>&1
import json, sys
d = json.load(open(sys.argv[1]))
errs = []
def need(cond, what):
    if not cond:
        errs.append(what)
need(d.get("version") == "2.1.0", "version")
need("sarif-2.1.0" in d.get("$schema", ""), "$schema")
need(len(d.get("runs", [])) == 1, "one run")
run = d["runs"][0]
drv = run["tool"]["driver"]
need(drv["name"] == "mmlock", "tool.driver.name")
ids = [r["id"] for r in drv["rules"]]
need(ids == sorted(set(ids)), "rules listed once")
res = run["results"]
for r in res:
    need(r["ruleId"] in ids and ids[r["ruleIndex"]] == r["ruleId"], "ruleIndex")
    need(r["level"] in ("error", "warning", "note"), "level")
    need(r["message"]["text"], "message")
    pl = r["locations"][0]["physicalLocation"]
    need(pl["artifactLocation"]["uri"].startswith("mm/"), "uri")
    need(pl["region"]["startLine"] >= 1, "startLine")
    need(len(r["partialFingerprints"]["mmlock/v1"]) == 16, "partialFingerprints")
    for rl in r.get("relatedLocations", []):
        need(rl["physicalLocation"]["region"]["startLine"] >= 1, "relatedLocations")
sup = [r for r in res if r.get("suppressions")]
print(len(res), len(sup), sup[0]["suppressions"][0]["justification"] if sup else "-",
      sum(len(r.get("relatedLocations", [])) for r in res), "; ".join(sorted(set(errs))) or "ok")
PY
)
	expect export_sarif "5 1 ops is never called 5 ok" "$out"
else
	skip "export_sarif" "no python3"
fi
expect export_sarif_titles 1 "$(grep -c '"shortDescription": {"text": "PTE changes need the pte lock"}' "$T/latest.sarif")"
"$M" db --db "$db" list --format json > "$T/list.json"
"$M" db --db "$db" export --format json > "$T/export.json"
expect export_json_is_list "" "$(cmp "$T/list.json" "$T/export.json" 2>&1)"
expect export_tsv 11 "$("$M" db --db "$db" export --format tsv | wc -l)"
expect export_csv 11 "$("$M" db --db "$db" export --format csv | wc -l)"
expect export_text 20 "$("$M" db --db "$db" export --format text | wc -l)"
out=$("$M" db --db "$db" list --format sarif 2>&1)
expect_rc list_no_sarif 2 $? 1 "$(echo "$out" | grep -c "format 'sarif'")"
