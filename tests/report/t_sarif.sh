# SARIF 2.1.0 of a run with findings of every engine: Microsoft's SARIF
# Multitool (npm @microsoft/sarif-multitool, installed by
# scripts/install-deps.sh) reports no error and no warning; every result
# has a thread flow ending at the finding and the fingerprint, every rule
# its descriptions and help text from the rules data.
db=$T/sarif.db
engines=$(all_engines_db "$db")
"$M" db --db "$db" export --latest > "$T/all.sarif"
expect_engines() {
	local want=cocci,gcc-plugin,sparse
	command -v spatch > /dev/null || want=${want/cocci,/}
	command -v sparse > /dev/null || want=${want/,sparse/}
	if [ "$want" != cocci,gcc-plugin,sparse ]; then
		skip "$1" "spatch or sparse not installed: the run holds $want only"
	else
		[ "$engines" == "$want" ] && pass "$1" || fail "$1" "engines in the run: '$engines'"
	fi
}
expect_engines sarif_run_has_every_engine

if command -v python3 > /dev/null; then
	out=$(python3 - "$T/all.sarif" <<'PY' 2>&1
import json, sys
run = json.load(open(sys.argv[1]))["runs"][0]
errs = []
rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
for r in rules.values():
    for k in ("shortDescription", "fullDescription", "help"):
        if not r.get(k, {}).get("text"):
            errs.append("rule %s without %s" % (r["id"], k))
    if r["fullDescription"]["text"].startswith("Reported under this id"):
        errs.append("rule %s not described by the rules data" % r["id"])
for res in run["results"]:
    flow = res["codeFlows"][0]["threadFlows"][0]["locations"]
    if len(flow) != len(res.get("relatedLocations", [])) + 1:
        errs.append("flow length")
    if flow[-1]["location"]["message"]["text"] != res["message"]["text"]:
        errs.append("flow does not end at the finding")
    if res["level"] not in ("none", "note", "warning", "error"):
        errs.append("level " + res["level"])
    if len(res["partialFingerprints"]["mmlock/v1"]) != 16:
        errs.append("fingerprint")
print(len(run["results"]), len(rules), "; ".join(sorted(set(errs))) or "ok")
PY
)
	case "$out" in
	*" ok") pass "sarif_flows_and_rules ($out)" ;;
	*) fail sarif_flows_and_rules "$out" ;;
	esac
else
	skip sarif_flows_and_rules "no python3"
fi

# the validator: the native binary of the npm package, which needs no .NET
# runtime and no network (a reachability check of URIs only adds a note)
V=
for d in "${MMLOCK_CACHE:-$HOME/.cache/mmlock}/npm" "$(npm root -g 2> /dev/null)/.."; do
	[ -x "$d/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] &&
		V=$d/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool && break
done
if ! command -v npm > /dev/null; then
	skip sarif_multitool "npm is not installed (scripts/install-deps.sh installs it)"
elif [ -z "$V" ]; then
	skip sarif_multitool "@microsoft/sarif-multitool is not installed (scripts/install-deps.sh)"
else
	# validate FILE: "N errors, N warnings, N notes" and what the errors are
	validate() {
		DOTNET_CLI_TELEMETRY_OPTOUT=1 timeout 300 "$V" validate "$1" -o "$1.out" \
			--log ForceOverwrite --level "Error;Warning;Note" > "$1.log" 2>&1 || return 1
		python3 -c '
import json, sys
res = json.load(open(sys.argv[1]))["runs"][0]["results"]
lv = [r.get("level", "warning") for r in res]
bad = sorted(set(r["ruleId"] + " " + r["message"]["arguments"][0] for r in res if r.get("level", "warning") != "note"))
print("%d errors, %d warnings, %d notes" % (lv.count("error"), lv.count("warning"), lv.count("note")), "|".join(bad[:5]))
' "$1.out" 2>&1
	}
	# it does report errors here: a region starting at line 0
	printf '%s' '{"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}}, "results":
		[{"message": {"text": "m"}, "locations": [{"physicalLocation": {"artifactLocation":
		{"uri": "a.c"}, "region": {"startLine": 0}}}]}]}]}' > "$T/bad.sarif"
	counts=$(validate "$T/bad.sarif") || counts="exit $?: $(tail -2 "$T/bad.sarif.log")"
	case "$counts" in
	[1-9]*" errors"*) pass "sarif_multitool_reports_errors ($counts)" ;;
	*) fail sarif_multitool_reports_errors "a bad file: $counts" ;;
	esac
	# ours: no error, no warning.  Its notes (style advice) show that it
	# analysed the file: a value outside an enum of the schema makes it
	# report nothing at all, and the flows test above checks those.
	counts=$(validate "$T/all.sarif") || counts="exit $?: $(tail -2 "$T/all.sarif.log")"
	case "$counts" in
	"0 errors, 0 warnings, "[1-9]*) pass "sarif_multitool (validate: $counts)" ;;
	*) fail sarif_multitool "$counts" ;;
	esac
fi
