# driver/patch.mk: `mmlock patch` (driver/cmd_patch.c and driver/patch_*.c,
# driver/patch.h) and `mmlock install-hook` (driver/cmd_hook.c).  Included
# by the top Makefile; needs the db library (db/db.mk) for fingerprints and
# triage marks, and the Coccinelle driver (cocci/cocci.mk) for its helpers.
DRIVER_SRC += driver/cmd_patch.c driver/patch_parse.c driver/patch_names.c driver/patch_apply.c \
	      driver/patch_exec.c driver/patch_engines.c driver/patch_diff.c \
	      driver/patch_git.c driver/cmd_hook.c
