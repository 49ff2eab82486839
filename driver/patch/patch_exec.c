/*
 * mmlock patch: running programs (git, the engines) with their output
 * caught in files, and writing the scratch trees.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../cocci/cocci.h"
#include "patch.h"

/* Start ARGV in CWD (NULL: here), stdout to OUT and stderr to ERR (NULL:
 * inherited); returns the pid, or -1. */
pid_t patch_spawn(char *const argv[], const char *cwd, const char *out, const char *err)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid != 0)
		return pid;
	if (cwd && chdir(cwd)) {
		fprintf(stderr, "mmlock patch: %s: %s\n", cwd, strerror(errno));
		_exit(127);
	}
	for (int i = 0; i < 2; i++) {
		const char *path = i ? err : out;
		int fd;

		if (!path)
			continue;
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd < 0 || dup2(fd, i ? 2 : 1) < 0)
			_exit(127);
		close(fd);
	}
	execvp(argv[0], argv);
	fprintf(stderr, "mmlock patch: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* The exit status of PID (128 + signal when killed; -1 on error). */
int patch_wait(pid_t pid)
{
	int st;

	if (pid < 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	return 128 + WTERMSIG(st);
}

/* Run ARGV in CWD; *OUT gets its stdout (malloc'ed, NUL-terminated),
 * stderr goes to ERRFILE (NULL: /dev/null).  Returns the exit status. */
int patch_capture(char *const argv[], const char *cwd, const char *tmpdir, char **out,
		  size_t *len, const char *errfile)
{
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/.capture.%d", tmpdir, (int)getpid());
	rc = patch_wait(patch_spawn(argv, cwd, path, errfile ? errfile : "/dev/null"));
	*out = cocci_read_file(path, len);
	unlink(path);
	if (!*out) {
		*out = cocci_xstrdup("");
		if (len)
			*len = 0;
	}
	return rc;
}

/* mkdir -p of PATH's directory */
static int make_dirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

int patch_write_file(const char *path, const char *buf, size_t len)
{
	FILE *f;
	int rc;

	if (make_dirs(path) || !(f = fopen(path, "wb")))
		return -1;
	rc = fwrite(buf, 1, len, f) == len ? 0 : -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

/* rm -r DIR (only what this command made there) */
void patch_remove_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", "--", (char *)dir, NULL };

	if (dir && *dir)
		patch_wait(patch_spawn(argv, NULL, "/dev/null", NULL));
}
