# driver/check.mk: `mmlock check`, the kbuild CHECK program (driver/cmd_check.c
# and its pieces, driver/check.h), and `mmlock cc`, the compiler wrapper of
# distributed builds (driver/cmd_cc.c, the same pieces).  Included by the
# top Makefile; needs the db library (db/db.mk) for the findings database.
DRIVER_SRC += driver/cmd_check.c driver/check_args.c driver/check_run.c \
	      driver/check_diag.c driver/check_key.c driver/check_store.c \
	      driver/cmd_cc.c
