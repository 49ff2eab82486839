/*
 * Subcommands of the mmlock driver, one folder each; one that is not
 * linked in is reported as not built.  driver/mmlock.c is the one main
 * (mmlock rules, mmlock gcc and version are its own) and dispatches:
 *
 *   check/   mmlock check, kbuild's CHECK program (cmd_check.c), and
 *            mmlock cc, the compiler wrapper of distributed builds
 *            (cmd_cc.c): the same pieces, check.h
 *   cocci/   mmlock cocci, the Coccinelle engine's driver (cmd_cocci.c,
 *            cocci.h)
 *   patch/   mmlock patch, what a patch does to the findings (cmd_patch.c,
 *            patch.h; patch_parse.c, patch_names.c, patch_apply.c are pure
 *            and fuzzed alone, fuzz/fuzz.mk)
 *   hook/    mmlock install-hook, the git pre-commit hook (cmd_hook.c)
 *   db/      mmlock db, the findings database (cmd_db.c; the library is
 *            db/ at the top)
 *   util/    what the commands share (util.h): messages "mmlock CMD: ...",
 *            allocation that does not fail, reading files, running
 *            programs and waiting for them, git rev-parse
 *
 * Each folder's .mk adds its sources to build/mmlock (the top Makefile
 * includes them).  driver/mmlock-gcc.sh is gcc with the plugin beside it,
 * for distcc hosts (build/mmlock-gcc).
 */
#ifndef MMLOCK_COMMANDS_H
#define MMLOCK_COMMANDS_H
int cmd_db(int argc, char **argv) __attribute__((weak));
int cmd_cocci(int argc, char **argv) __attribute__((weak));
int cmd_check(int argc, char **argv) __attribute__((weak));
int cmd_patch(int argc, char **argv) __attribute__((weak));
int cmd_cc(int argc, char **argv) __attribute__((weak));
int cmd_install_hook(int argc, char **argv) __attribute__((weak));
#endif
