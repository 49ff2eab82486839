# driver/db/db.mk: `mmlock db` (cmd_db.c), the findings database from the
# command line: options parsed here, the work done by the db library,
# which db/db.mk adds to build/mmlock.  Included by the top Makefile.
DRIVER_SRC += driver/db/cmd_db.c
