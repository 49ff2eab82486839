/*
 * driver/util: what the mmlock commands share, written once.
 *
 *   msg.c    the command's name and its one-line messages on stderr
 *            ("mmlock CMD: INPUT: why"), the order findings are printed in
 *   mem.c    allocation that does not fail (out of memory: one line, exit 2)
 *   file.c   reading a file whole, writing a buffer whole, is it a file or a
 *            directory, environment defaults ($TMPDIR), this executable's path
 *   proc.c   running a program: started with its streams in files, waited
 *            for (its exit status), its stdout captured; git rev-parse
 *
 * Used by driver/mmlock.c (which names the command running) and by the
 * commands in driver/check, driver/cocci, driver/patch, driver/hook.
 * The pure parts of mmlock patch (patch_parse.c, patch_names.c,
 * patch_apply.c, fuzzed alone) do not use it: they never exit.
 */
#ifndef MMLOCK_UTIL_H
#define MMLOCK_UTIL_H

#include <stddef.h>
#include <sys/types.h>

/* msg.c */

/* The running command, "mmlock cocci" (mmlock.c sets it from its command
 * table; "mmlock" before that).  It begins every message below. */
extern const char *util_cmd;
void util_set_cmd(const char *name);
/* "mmlock CMD: MESSAGE" and a newline on stderr. */
void util_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same; returns 2, the exit status of a usage or input error. */
int util_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Order of two places FILE:LINE:COL (findings are printed in it). */
int util_place_cmp(const char *fa, int la, int ca, const char *fb, int lb, int cb);

/* mem.c: out of memory is "mmlock CMD: out of memory" and exit 2 */
void *util_xrealloc(void *p, size_t n);
char *util_xstrdup(const char *s);
/* LEN bytes of BUF and a NUL */
char *util_xmemdup(const char *buf, size_t len);

/* file.c */

/* The whole file (malloc'ed, NUL-terminated, *LEN bytes if LEN), or NULL
 * with errno set. */
char *util_read_file(const char *path, size_t *len);
/* LEN bytes of BUF to FD, as far as it takes them. */
void util_write_all(int fd, const char *buf, size_t len);
int util_is_file(const char *path);	/* a regular file (after links) */
int util_is_dir(const char *path);
/* $NAME when set and not empty, else DFLT */
const char *util_env_or(const char *name, const char *dflt);
/* $TMPDIR, else /tmp */
const char *util_tmpdir(void);
/* This mmlock's path (/proc/self/exe) in BUF; 0, or -1. */
int util_self_exe(char *buf, size_t len);

/* proc.c */

/* Starts ARGV (looked up in $PATH) in CWD (NULL: here), stdin from the
 * file IN, stdout to OUT, stderr to ERR (files created or truncated,
 * mode 0600; NULL: this process's).  A child that cannot start says
 * "mmlock CMD: cannot run PROG: why" on its stderr and exits 127.
 * Returns the pid, or -1 when fork fails. */
pid_t util_spawn(char *const argv[], const char *cwd, const char *in, const char *out,
		 const char *err);
/* waitpid(), again when a signal interrupts it; 0, or -1. */
int util_waitpid(pid_t pid, int *status);
/* A wait status as an exit status: the child's, 128 + the signal that
 * killed it. */
int util_exit_code(int status);
/* Waits for PID; its exit code (util_exit_code), -1 when PID is -1 or it
 * cannot be waited for. */
int util_wait(pid_t pid);
/* Runs ARGV in CWD (NULL: here), as util_spawn with stdin inherited;
 * *OUT gets its stdout through a pipe (malloc'ed, NUL-terminated, never
 * NULL; *LEN bytes if LEN), stderr goes to the file ERRFILE (NULL:
 * /dev/null).  Returns its exit code (util_wait), -1 when it could not be
 * started. */
int util_capture(char *const argv[], const char *cwd, char **out, size_t *len,
		 const char *errfile);
/* The first line "git -C DIR rev-parse ARG [ARG2]" prints (ARG2 may be
 * NULL), malloc'ed in *OUT; -1 (*OUT NULL) when git fails or prints
 * nothing. */
int util_git_rev_parse(const char *dir, const char *arg, const char *arg2, char **out);

#endif
