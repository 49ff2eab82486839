/*
 * driver/util/proc.c: running programs.  A child is started with fork
 * and execvp (never through a shell), its streams in files or its stdout
 * through a pipe; waited for, with an interrupted wait tried again; its
 * wait status read as an exit code (128 + the signal that killed it).
 * Also "git rev-parse", which three commands ask.
 */
#define _GNU_SOURCE		/* pipe2 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "util.h"

/* The child's side: CWD, the files IN, OUT, ERR (or the pipe OUT_FD for
 * stdout), then ARGV.  Never returns. */
static void __attribute__((noreturn)) child(char *const argv[], const char *cwd,
					    const char *in, const char *out,
					    const char *err, int out_fd)
{
	const char *path[3] = { in, out, err };

	if (cwd && chdir(cwd)) {
		fprintf(stderr, "%s: %s: %s\n", util_cmd, cwd, strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 3; i++) {
		int fd;

		if (i == 1 && out_fd >= 0)
			fd = out_fd;
		else if (!path[i])
			continue;
		else
			fd = i ? open(path[i], O_WRONLY | O_CREAT | O_TRUNC, 0600) :
				 open(path[i], O_RDONLY);
		if (fd < 0 || (fd != i && dup2(fd, i) < 0))
			_exit(127);
		if (fd != i)
			close(fd);
		else
			fcntl(fd, F_SETFD, 0);	/* the pipe is close-on-exec */
	}
	execvp(argv[0], argv);
	fprintf(stderr, "%s: cannot run %s: %s\n", util_cmd, argv[0], strerror(errno));
	_exit(127);
}

pid_t util_spawn(char *const argv[], const char *cwd, const char *in, const char *out,
		 const char *err)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid == 0)
		child(argv, cwd, in, out, err, -1);
	return pid;
}

int util_waitpid(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0)
		if (errno != EINTR)
			return -1;
	return 0;
}

int util_exit_code(int status)
{
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int util_wait(pid_t pid)
{
	int st;

	if (pid < 0 || util_waitpid(pid, &st))
		return -1;
	return util_exit_code(st);
}

int util_capture(char *const argv[], const char *cwd, char **out, size_t *len,
		 const char *errfile)
{
	size_t n = 0, cap = 0;
	int fd[2], rc;
	pid_t pid = -1;

	*out = NULL;
	if (!pipe2(fd, O_CLOEXEC)) {
		fflush(NULL);
		pid = fork();
		if (pid == 0)
			child(argv, cwd, NULL, NULL, errfile ? errfile : "/dev/null", fd[1]);
		close(fd[1]);
		while (pid > 0) {
			ssize_t r;

			if (cap - n < 65536) {
				cap = cap ? cap * 2 : 65536;
				*out = util_xrealloc(*out, cap + 1);
			}
			r = read(fd[0], *out + n, cap - n);
			if (r < 0 && errno == EINTR)
				continue;
			if (r <= 0)
				break;
			n += r;
		}
		close(fd[0]);
	}
	rc = util_wait(pid);
	if (!*out)
		*out = util_xstrdup("");
	(*out)[n] = '\0';
	if (len)
		*len = n;
	return rc;
}

int util_git_rev_parse(const char *dir, const char *arg, const char *arg2, char **out)
{
	char *argv[] = { "git", "-C", (char *)dir, "rev-parse", (char *)arg, (char *)arg2, NULL };
	size_t n;

	if (util_capture(argv, NULL, out, &n, NULL) || !n) {
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[strcspn(*out, "\n")] = 0;
	return 0;
}
