# The C API other components write through (db/mmdb.h), from C and C++.
lib="$(ls db/*.c | grep -v bench.c) build/gen/db_sql.c"
# shellcheck disable=SC2086
if ! out=$(gcc -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter \
	-o "$T/api" tests/db/api.c $lib -lsqlite3 2>&1); then
	fail api_build "$(oneline "$out")"
else
	db=$T/api.db
	out=$("$T/api" "$db" "$DATA/tree1")
	expect_rc api_writer 0 $? "ok 1 2" "$out"
	expect api_rows "1|3|complete|gcc-plugin|6.1.192|abc123|1|1
2|2|complete|gcc-plugin,sparse|6.1.192|abc123|2|2" \
		"$(q "$db" 'SELECT id, (SELECT count(*) FROM findings WHERE run = r.id), status, engines, kernel_version, git_rev, writers, writers_done FROM runs r' | tr '\t' '|')"
	# the API and import give one finding one fingerprint
	"$M" db --db "$db" import --root "$DATA/tree1" "$DATA/demo1.log" > /dev/null
	expect api_fingerprint_as_import "1d0d4195477f55c4|1d0d4195477f55c4|zap_one|zap_one" \
		"$(q "$db" "SELECT f.fingerprint, g.fingerprint, f.function, g.function FROM findings f, findings g WHERE f.run = 1 AND f.line = 9 AND g.run = 3 AND g.line = 9" | tr '\t' '|')"
fi
if ! command -v g++ > /dev/null; then
	skip "api_cxx" "no g++"
elif ! out=$({ gcc -c -o "$T/fp.o" db/fingerprint.c && gcc -c -o "$T/out.o" db/out.c &&
	       g++ -Wall -Wextra -Werror -o "$T/cxx" tests/db/cxx.cc "$T/fp.o" "$T/out.o"; } 2>&1); then
	fail api_cxx "$(oneline "$out")"
else
	expect api_cxx "7b298651e90fcc09 1" "$("$T/cxx")"
fi
