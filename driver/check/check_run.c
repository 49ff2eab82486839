/*
 * check_run.c: run a program with its stderr captured in a temporary
 * file, so that the plugin's and sparse's diagnostics can run side by
 * side and still be printed one after the other, whole, and read for the
 * database.  stdin and stdout are the caller's.  Also the signal set-up
 * the commands that run such children (check, cc) share.
 */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../util/util.h"
#include "check.h"

extern char **environ;

int check_spawn(struct check_proc *p, char *const argv[])
{
	posix_spawn_file_actions_t fa;
	FILE *tmp = tmpfile();
	int rc;

	p->prog = argv[0];
	p->pid = 0;
	p->status = 0;
	p->err_fd = -1;
	if (!tmp) {
		p->spawn_errno = errno;
		return -1;
	}
	p->err_fd = dup(fileno(tmp));
	fclose(tmp);
	if (p->err_fd < 0) {
		p->spawn_errno = errno;
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, p->err_fd, 2);
	rc = posix_spawnp(&p->pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc) {
		p->pid = 0;
		p->spawn_errno = rc;
		return -1;
	}
	return 0;
}

char *check_wait(struct check_proc *p, size_t *len)
{
	size_t cap = 4096, n = 0;
	char *buf;
	ssize_t r;

	*len = 0;
	if (p->pid && util_waitpid(p->pid, &p->status))
		p->status = 0x7f00;	/* "exited with status 127" */
	if (p->err_fd < 0)
		return NULL;
	buf = malloc(cap);
	if (buf && lseek(p->err_fd, 0, SEEK_SET) == 0) {
		while ((r = read(p->err_fd, buf + n, cap - n - 1)) > 0) {
			n += r;
			if (cap - n < 2) {
				char *b = realloc(buf, cap *= 2);

				if (!b)
					break;
				buf = b;
			}
		}
	}
	close(p->err_fd);
	p->err_fd = -1;
	if (buf) {
		buf[n] = 0;
		*len = n;
	}
	return buf;
}

const char *check_status_text(int status, char *buf, size_t len)
{
	if (WIFSIGNALED(status))
		snprintf(buf, len, "was killed by signal %d", WTERMSIG(status));
	else
		snprintf(buf, len, "exited with status %d", WEXITSTATUS(status));
	return buf;
}

/* SIGINT, SIGTERM, SIGHUP go to HANDLER, unless ignored (nohup, a
   background job): the check and cc commands stop their children */
void check_catch_signals(void (*handler)(int))
{
	static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
	struct sigaction sa, old;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = handler;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		if (!sigaction(sigs[i], NULL, &old) && old.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
}
