# mmlock db html: the report of a run of every engine, files and pages
# counted, then loaded in a real browser (headless Chromium, Debian's
# chromium): the index lists every finding of the run, a finding page
# marks each step of its path on its source line, and screenshots of both
# are not blank (kept in build/test-report/ to look at; three browser
# runs in all).  A function longer than the page shows is cut around its
# steps.
db=$T/html.db
all_engines_db "$db" > /dev/null
n=$("$M" db --db "$db" sql "SELECT count(*) FROM findings" | tail -1)
out=$("$M" db --db "$db" html --latest "$T/html" 2>&1)
rc=$?
pages=$(find "$T/html/f" -name '*.html' 2> /dev/null | wc -l)
expect_html() {
	if [ $rc -ne 0 ]; then
		fail "$1" "exit $rc: $out"
	elif [ "$pages" != "$n" ] || [ ! -s "$T/html/index.html" ] || [ ! -s "$T/html/style.css" ] ||
	     [ "$(grep -c '^\[' "$T/html/findings.js")" != "$n" ]; then
		fail "$1" "$n findings, $pages pages, $(ls "$T/html" | tr '\n' ' ')"
	else
		pass "$1 ($n findings, $pages pages: $out)"
	fi
}
expect_html html_files
# the finding with the longest path, and its page
read -r id nnotes < <("$M" db --db "$db" sql "SELECT finding, count(*) FROM notes GROUP BY finding
	ORDER BY 2 DESC, 1 LIMIT 1" | tail -1 | tr '\t' ' ')
page=$T/html/f/$((id / 1000))/$id.html
marks=$(grep -c '<tr class="note k-' "$page")
fp=$("$M" db --db "$db" sql "SELECT fingerprint FROM findings WHERE id = ?1" "$id" | tail -1)
if [ "$marks" == $((nnotes + 1)) ] && grep -q "triage $fp false-positive" "$page" &&
   grep -q 'class="rule"' "$page" && grep -q '^<tr[^>]*><td>[0-9]*<td>' "$page"; then
	pass "html_finding_page (finding $id: $nnotes notes and the finding marked)"
else
	fail html_finding_page "finding $id: $marks marks for $nnotes notes, fingerprint $fp"
fi
out=$("$M" db --db "$db" html --run 99 "$T/none" 2>&1)
expect_rc html_bad_run 2 $? 1 "$(echo "$out" | grep -c 'no run 99')"

# a 3,000-line function: the page shows the lines around the steps only
big=$T/tree/mm/big.c
mkdir -p "$T/tree/mm"
{
	echo "void big(void)"
	echo "{"
	for i in $(seq 3000); do echo "	step($i);"; done
	echo "}"
} > "$big"
printf '%s\n' "mm/big.c:2900:2: warning: used after the drop [mmlock:stale-vma]" \
	"mm/big.c:10:2: note: mmap_lock dropped here" > "$T/big.log"
"$M" db --db "$T/big.db" import --root "$T/tree" "$T/big.log" > /dev/null
"$M" db --db "$T/big.db" html --root "$T/tree" "$T/bightml" > /dev/null
bigpage=$T/bightml/f/0/1.html
rows=$(grep -c '^<tr[^>]*><td>[0-9]*<td>' "$bigpage")
if grep -q 'lines not shown' "$bigpage" && [ "$rows" -gt 20 ] && [ "$rows" -lt 100 ] &&
   grep -q '<td>2900<td>' "$bigpage" && grep -q '<td>10<td>' "$bigpage"; then
	pass "html_long_function ($rows of 3,003 lines shown)"
else
	fail html_long_function "$rows source lines shown"
fi

# the browser
browser=$(command -v chromium || command -v chromium-browser)
if [ -z "$browser" ]; then
	skip html_browser "no chromium (scripts/install-deps.sh installs it)"
	return 0 2> /dev/null || exit 0
fi
shots=$PWD/build/test-report
mkdir -p "$shots"
chrome() {
	timeout 120 "$browser" --headless=new --no-sandbox --disable-gpu --hide-scrollbars \
		--user-data-dir="$T/chromium" --window-size=1280,1000 "$@" 2> "$T/chromium.log"
}
# the page as the browser made it, without the script's own text
chrome --dump-dom "file://$T/html/index.html" | sed '/<script>/,/<\/script>/d' > "$T/index.dom"
rows=$(grep -o '<tr class="finding">' "$T/index.dom" | wc -l)
links=$(grep -o '<a href="f/[0-9]*/[0-9]*.html">[0-9]*</a>' "$T/index.dom" | sort -u | wc -l)
if [ "$rows" == "$n" ] && [ "$links" == "$n" ] && grep -q "findings 1-$n of $n" "$T/index.dom"; then
	pass "html_browser_index (every finding listed: $rows rows, $links pages linked)"
else
	fail html_browser_index "$rows rows and $links links for $n findings: $(tail -2 "$T/chromium.log")"
fi
for shot in "index:$T/html/index.html" "finding:$page"; do
	png=$shots/${shot%%:*}.png
	rm -f "$png"
	chrome --screenshot="$png" "file://${shot#*:}" > /dev/null
	if ! command -v python3 > /dev/null; then
		[ -s "$png" ] && skip "html_screenshot_${shot%%:*}" "written, no python3 to look at it" ||
			fail "html_screenshot_${shot%%:*}" "no screenshot"
	elif got=$(python3 tests/report/pngcheck.py "$png" 2>&1); then
		pass "html_screenshot_${shot%%:*} ($got: $png)"
	else
		fail "html_screenshot_${shot%%:*}" "blank or unreadable: $got"
	fi
done
