# driver/patch/patch.mk: `mmlock patch` (cmd_patch.c and patch_*.c,
# patch.h).  Included by the top Makefile; needs the db library (db/db.mk)
# for fingerprints and triage marks.  patch_parse.c, patch_names.c and
# patch_apply.c are pure and are also built alone by fuzz/fuzz.mk.
DRIVER_SRC += driver/patch/cmd_patch.c driver/patch/patch_parse.c driver/patch/patch_names.c \
	      driver/patch/patch_apply.c driver/patch/patch_tree.c driver/patch/patch_engines.c \
	      driver/patch/patch_diff.c driver/patch/patch_git.c
