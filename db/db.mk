# db/: the findings database (SQLite) behind `mmlock db`, included by the
# top Makefile.  Adds the library to build/mmlock (its `mmlock db` is
# driver/db/cmd_db.c, driver/db/db.mk), and provides:
#   build/libmmdb.a   the library for other components (-fPIC; link with
#                     -lsqlite3; headers db/mmdb.h and db/query.h)
#   bench-db          insert throughput and list/stats/diff on 1M findings,
#                     then the goals (bench-db-goals: those alone)
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := all
endif

DB_SRC := db/open.c db/txn.c db/store.c db/fingerprint.c db/source.c db/parse.c \
	  db/tree.c db/import.c db/select.c db/list.c db/sarif.c db/stats.c db/diff.c \
	  db/triage.c db/sql.c db/out.c db/tally.c db/step.c db/ruledoc.c \
	  db/html.c db/html_page.c db/html_assets.c db/strtab.c db/counts.c db/texts.c db/path.c db/order.c
DB_GEN := build/gen/db_sql.c
DB_SQL := db/schema.sql db/migrate-1.sql db/migrate-2.sql db/migrate-3.sql

DRIVER_SRC += $(DB_SRC) $(DB_GEN)
DRIVER_LDLIBS += -lsqlite3

$(DB_GEN): $(DB_SQL) db/sql2c.sh
	@mkdir -p $(dir $@)
	sh db/sql2c.sh mmdb_sql_schema=db/schema.sql mmdb_sql_migrate_1=db/migrate-1.sql \
		mmdb_sql_migrate_2=db/migrate-2.sql mmdb_sql_migrate_3=db/migrate-3.sql > $@.tmp
	mv $@.tmp $@

DB_OBJ := $(patsubst %.c,build/db-obj/%.o,$(DB_SRC) $(DB_GEN))

build/db-obj/%.o: %.c db/*.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -fPIC -c -o $@ $<

build/libmmdb.a: $(DB_OBJ)
	rm -f $@
	ar rcs $@ $^

build/mmdb-bench: db/bench.c build/libmmdb.a
	$(CC) $(CFLAGS) -o $@ db/bench.c build/libmmdb.a -lsqlite3

bench-db: build/mmlock build/mmdb-bench
	@db/bench.sh

# only the goals: import, list and stats of a 1,000,000-finding run, the
# HTML report of a 100,000-finding run
bench-db-goals: build/mmlock
	@db/bench.sh --goals

.PHONY: bench-db bench-db-goals
