#!/bin/bash
# The findings database tests: real SQLite, the real build/mmlock, the
# fixtures in tests/db/data.  One "PASS name" / "FAIL name: why" / "SKIP name: why" (a tool missing)
# per test.
cd "$(dirname "$0")/../.." || exit 2
. tests/db/lib.sh
for t in tests/db/t_*.sh; do
	. "$t"
done
