#!/bin/bash
# The reports of the findings database: SARIF checked by Microsoft's SARIF
# Multitool, the HTML report in a real browser (headless Chromium).  One
# "PASS name" / "FAIL name: why" / "SKIP name: why" per test.
cd "$(dirname "$0")/../.." || exit 2
. tests/report/lib.sh
for t in tests/report/t_*.sh; do
	. "$t"
done
