/*
 * Running spatch: one job per rule and group of files, up to -j jobs at a
 * time.
 *
 * A job is one spatch process for one .cocci over a few files, listed in a
 * --file-groups file one group per file, so that each file is matched on
 * its own (a rule's file-level facts never leak from one file into the
 * next) while spatch starts once for the lot.  The biggest jobs start
 * first so that the last ones to finish are small.  Each job's
 * stdout and stderr go to files in a private temporary directory and are
 * read (cocci_out.c) when it ends.
 */
#define _GNU_SOURCE		/* qsort_r */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include "../util/util.h"
#include "cocci.h"

/*
 * How files are grouped.  Each spatch process pays a start-up (reading and
 * compiling the .cocci: up to a second for the larger ones), so a rule's
 * files are split into as few groups as keep the work balanced: about
 * GROUP_BYTES of source each, filled largest file first into the lightest
 * group.  Without the pre-filter most files are dropped by spatch after a
 * look at their tokens, so groups are much larger there (WIDE_*).
 */
#define GROUP_BYTES	(1536L * 1024)
#define WIDE_BYTES	(64L * 1024 * 1024)
#define WIDE_FILES	1500

struct job {
	int rule;
	int *files;
	int nfiles;
	long bytes;
	pid_t pid;
	char dir[PATH_MAX + 16];
	int id;
};

static int by_size_desc(const void *a, const void *b, void *fsp)
{
	const struct cocci_files *fs = fsp;
	long x = fs->v[*(const int *)a].size, y = fs->v[*(const int *)b].size;

	return x < y ? 1 : x > y ? -1 : 0;
}

static int by_bytes_desc(const void *a, const void *b)
{
	long x = ((const struct job *)a)->bytes, y = ((const struct job *)b)->bytes;

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The jobs of rule r over its m files idx[], appended to *jobs. */
static int split_rule(int r, const struct cocci_files *fs, int *idx, int m,
		      int wide, struct job **jobs, int n)
{
	long bytes = 0;
	int g;

	qsort_r(idx, m, sizeof(int), by_size_desc, (void *)fs);
	for (int i = 0; i < m; i++)
		bytes += fs->v[idx[i]].size;
	g = (bytes + (wide ? WIDE_BYTES : GROUP_BYTES) - 1) /
	    (wide ? WIDE_BYTES : GROUP_BYTES);
	if (wide && g < (m + WIDE_FILES - 1) / WIDE_FILES)
		g = (m + WIDE_FILES - 1) / WIDE_FILES;
	if (g < 1)
		g = 1;
	if (g > m)
		g = m;
	*jobs = util_xrealloc(*jobs, (n + g) * sizeof(**jobs));
	for (int k = 0; k < g; k++) {
		struct job *j = &(*jobs)[n + k];

		memset(j, 0, sizeof(*j));
		j->rule = r;
		j->files = util_xrealloc(NULL, m * sizeof(int));
	}
	for (int i = 0; i < m; i++) {
		struct job *light = &(*jobs)[n];

		for (int k = 1; k < g; k++)
			if ((*jobs)[n + k].bytes < light->bytes)
				light = &(*jobs)[n + k];
		light->files[light->nfiles++] = idx[i];
		light->bytes += fs->v[idx[i]].size;
	}
	return n + g;
}

static struct job *make_jobs(const struct cocci_rules *rs,
			     const struct cocci_files *fs, int wide, int *njobs)
{
	struct job *jobs = NULL;
	int n = 0;
	int *idx = util_xrealloc(NULL, (fs->n + 1) * sizeof(int));

	for (int r = 0; r < rs->n; r++) {
		int m = 0;

		if (!rs->v[r].selected)
			continue;
		for (int i = 0; i < fs->n; i++)
			if (fs->v[i].rules & (1UL << r))
				idx[m++] = i;
		if (m)
			n = split_rule(r, fs, idx, m, wide, &jobs, n);
	}
	free(idx);
	qsort(jobs, n, sizeof(*jobs), by_bytes_desc);
	*njobs = n;
	return jobs;
}

static int write_groups(const char *path, const struct job *j,
			const struct cocci_files *fs)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	for (int i = 0; i < j->nfiles; i++)
		fprintf(f, "%s%s\n", i ? "\n" : "", fs->v[j->files[i]].path);
	return fclose(f);
}

static pid_t start(const struct cocci_run *run, const struct cocci_rule *r,
		   const char *dir)
{
	char groups[PATH_MAX + 32], out[PATH_MAX + 32], err[PATH_MAX + 32], timeout[32];
	char **argv = util_xrealloc(NULL, (r->nopts + 24) * sizeof(char *));
	int argc = 0;
	pid_t pid;

	snprintf(groups, sizeof(groups), "%s/groups", dir);
	snprintf(out, sizeof(out), "%s/out", dir);
	snprintf(err, sizeof(err), "%s/err", dir);
	snprintf(timeout, sizeof(timeout), "%d", run->timeout);
	argv[argc++] = (char *)run->spatch;
	argv[argc++] = "-D";
	argv[argc++] = "report";
	if (run->newpte && r->newpte) {
		argv[argc++] = "-D";
		argv[argc++] = "newpte";
	}
	if (run->python) {
		argv[argc++] = "--python";
		argv[argc++] = (char *)run->python;
	}
	argv[argc++] = "--no-show-diff";
	argv[argc++] = "--parse-error-msg";
	if (run->timeout) {
		argv[argc++] = "--timeout";
		argv[argc++] = timeout;
	}
	for (int i = 0; i < r->nopts; i++)
		argv[argc++] = r->opts[i];
	argv[argc++] = "--sp-file";
	argv[argc++] = r->path;
	argv[argc++] = "--file-groups";
	argv[argc++] = groups;
	argv[argc] = NULL;
	pid = util_spawn(argv, NULL, "/dev/null", out, err);
	free(argv);
	return pid;
}

static void rm_job_dir(const char *dir)
{
	char p[PATH_MAX + 32];

	for (const char *const *n = (const char *const[]){ "groups", "out", "err", NULL };
	     *n; n++) {
		snprintf(p, sizeof(p), "%s/%s", dir, *n);
		unlink(p);
	}
	rmdir(dir);
}

/* A job ended: read its output; a failed spatch leaves every file unread. */
static int finish(const struct cocci_run *run, const struct cocci_rules *rs,
		  const struct cocci_files *fs, struct job *j, int status,
		  struct cocci_report *rep)
{
	const struct cocci_rule *r = &rs->v[j->rule];
	char p[PATH_MAX + 32], cannot_run[64];
	char *out, *err;
	int rc = 0;

	snprintf(p, sizeof(p), "%s/out", j->dir);
	out = util_read_file(p, NULL);
	snprintf(p, sizeof(p), "%s/err", j->dir);
	err = util_read_file(p, NULL);
	if (out)
		cocci_parse_stdout(rep, out);
	if (err) {
		cocci_parse_stderr(rep, err, r->id, run->timeout);
		if (run->verbose > 1)
			fputs(err, stderr);
	}
	/* util_spawn's child could not run spatch */
	snprintf(cannot_run, sizeof(cannot_run), "%s: cannot run ", util_cmd);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && err &&
	    !strncmp(err, cannot_run, strlen(cannot_run))) {
		util_warn("cannot run %s", run->spatch);
		rc = -1;
	} else if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		char msg[512], *first = err ? err : "";
		const char *last = first, *q;

		/* spatch's last words, for the message */
		for (q = first; *q; q++)
			if (*q == '\n' && q[1])
				last = q + 1;
		snprintf(msg, sizeof(msg), "not analysed by %s: spatch %s %d: %.*s",
			 r->id, WIFEXITED(status) ? "exited with status" : "killed by signal",
			 WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status),
			 (int)strcspn(last, "\n"), last);
		for (int i = 0; i < j->nfiles; i++)
			cocci_add_bad(rep, fs->v[j->files[i]].path, msg);
	}
	free(out);
	free(err);
	rm_job_dir(j->dir);
	return rc;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

/* Interrupted: the running spatch processes are ended and reaped. */
static void stop_all(struct job *jobs, int next)
{
	for (int i = 0; i < next; i++)
		if (jobs[i].pid > 0)
			kill(jobs[i].pid, SIGTERM);
	for (int i = 0; i < next; i++)
		if (jobs[i].pid > 0) {
			waitpid(jobs[i].pid, NULL, 0);
			rm_job_dir(jobs[i].dir);
			jobs[i].pid = 0;
		}
}

int cocci_run_jobs(const struct cocci_run *run, const struct cocci_rules *rs,
		   const struct cocci_files *fs, struct cocci_report *rep,
		   int *njobs)
{
	const char *tmp = util_tmpdir();
	struct sigaction sa = { .sa_handler = on_signal }, old_int, old_term;
	char base[PATH_MAX];
	struct job *jobs;
	int n, next = 0, running = 0, rc = 0;

	jobs = make_jobs(rs, fs, run->unfiltered, &n);
	*njobs = n;
	if (!n) {
		free(jobs);
		return 0;
	}
	snprintf(base, sizeof(base), "%s/mmlock-cocci.XXXXXX", tmp);
	if (!mkdtemp(base)) {
		util_warn("cannot create a temporary directory: %s", strerror(errno));
		free(jobs);
		return -1;
	}
	sigaction(SIGINT, &sa, &old_int);
	sigaction(SIGTERM, &sa, &old_term);
	while ((next < n || running) && !stop) {
		while (next < n && running < run->jobs && !rc) {
			struct job *j = &jobs[next];
			char groups[PATH_MAX + 32];

			j->id = next++;
			snprintf(j->dir, sizeof(j->dir), "%s/%d", base, j->id);
			snprintf(groups, sizeof(groups), "%s/groups", j->dir);
			if (mkdir(j->dir, 0700) || write_groups(groups, j, fs)) {
				util_warn("%s: %s", j->dir, strerror(errno));
				rc = -1;
				break;
			}
			j->pid = start(run, &rs->v[j->rule], j->dir);
			if (j->pid < 0) {
				util_warn("fork: %s", strerror(errno));
				rc = -1;
				break;
			}
			running++;
			if (run->verbose)
				util_warn("[%d/%d] %s on %d file(s)", j->id + 1, n,
					  rs->v[j->rule].id, j->nfiles);
		}
		if (!running)
			break;
		{
			int status;
			pid_t pid = waitpid(-1, &status, 0);

			if (pid < 0) {
				if (errno == EINTR)
					continue;
				break;
			}
			for (int i = 0; i < next; i++)
				if (jobs[i].pid == pid) {
					jobs[i].pid = 0;
					running--;
					if (finish(run, rs, fs, &jobs[i], status, rep))
						rc = -1;
					break;
				}
		}
	}
	if (stop) {
		stop_all(jobs, next);
		util_warn("interrupted");
		rc = -1;
	}
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGTERM, &old_term, NULL);
	for (int i = 0; i < n; i++)
		free(jobs[i].files);
	free(jobs);
	rmdir(base);
	return rc;
}
