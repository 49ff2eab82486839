/*
 * Subcommands of the mmlock driver.  Each lives in its own file; one that
 * is not linked in is reported as not built.
 */
#ifndef MMLOCK_COMMANDS_H
#define MMLOCK_COMMANDS_H
int cmd_db(int argc, char **argv) __attribute__((weak));
int cmd_cocci(int argc, char **argv) __attribute__((weak));
int cmd_check(int argc, char **argv) __attribute__((weak));
int cmd_patch(int argc, char **argv) __attribute__((weak));
int cmd_cc(int argc, char **argv) __attribute__((weak));
#endif
