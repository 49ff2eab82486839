/*
 * check_key.c: the run key that makes one build one run.
 *
 * Under `make -jN C=2` every unit is its own `mmlock check` process; they
 * should all write into one run of the database, as writers of one key
 * (db/README.md).  The key is, in order:
 *   - --run-key= (mmlock check, mmlock cc) or $MMLOCK_RUN_KEY, when given;
 *   - the top make of this build: up the chain of parents while they are
 *     make or the /bin/sh that make runs recipes with, the last make seen,
 *     named by host, pid and start time (pids are reused, start times
 *     are not); a make that runs a script that runs make is two builds;
 *   - else this process alone (its plugin and sparse findings, one run).
 * Linux: read from /proc/PID/stat.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../util/util.h"
#include "check.h"

/* comm, parent pid and start time (clock ticks after boot) of PID */
static int proc_stat(long pid, char *comm, size_t len, long *ppid,
		     unsigned long long *start)
{
	char path[64], buf[1024], *open_paren, *close_paren, *p;
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	open_paren = strchr(buf, '(');
	close_paren = strrchr(buf, ')');
	if (!open_paren || !close_paren || close_paren < open_paren)
		return -1;
	snprintf(comm, len, "%.*s", (int)(close_paren - open_paren - 1), open_paren + 1);
	/* after ") ": state(3) ppid(4) ... starttime(22) */
	p = close_paren + 2;
	for (int field = 3; field < 22 && p; field++) {
		if (field == 4)
			*ppid = strtol(p, NULL, 10);
		p = strchr(p, ' ');
		if (p)
			p++;
	}
	if (!p)
		return -1;
	*start = strtoull(p, NULL, 10);
	return 0;
}

char *check_run_key(const char *given, char *buf, size_t len)
{
	const char *env = given && *given ? given : util_env_or("MMLOCK_RUN_KEY", NULL);
	char host[128] = "", comm[64];
	long pid = getppid(), ppid = 0, top = 0;
	unsigned long long start = 0, top_start = 0;

	if (env) {
		snprintf(buf, len, "%s", env);
		return buf;
	}
	gethostname(host, sizeof(host) - 1);
	for (int depth = 0; pid > 1 && depth < 64; depth++, pid = ppid) {
		if (proc_stat(pid, comm, sizeof(comm), &ppid, &start))
			break;
		if (!strcmp(comm, "make") || !strcmp(comm, "gmake")) {
			top = pid;
			top_start = start;
		} else if (strcmp(comm, "sh") && strcmp(comm, "dash")) {
			break;
		}
	}
	if (top) {
		snprintf(buf, len, "make:%s:%ld:%llu", host, top, top_start);
		return buf;
	}
	if (proc_stat(getpid(), comm, sizeof(comm), &ppid, &start))
		start = 0;
	snprintf(buf, len, "check:%s:%ld:%llu", host, (long)getpid(), start);
	return buf;
}
