# driver/check/check.mk: `mmlock check`, the kbuild CHECK program
# (cmd_check.c and its pieces, check.h), and `mmlock cc`, the compiler
# wrapper of distributed builds (cmd_cc.c, the same pieces).  Included by
# the top Makefile; needs the db library (db/db.mk) for the findings
# database.
DRIVER_SRC += driver/check/cmd_check.c driver/check/check_args.c driver/check/check_run.c \
	      driver/check/check_diag.c driver/check/check_key.c driver/check/check_store.c \
	      driver/check/cmd_cc.c
