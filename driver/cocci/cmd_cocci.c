/*
 * mmlock cocci: run the Coccinelle semantic patches (cocci/<rule>.cocci)
 * over files and directories.
 *
 *   mmlock cocci [--rules IDS] [-j N] [--timeout SEC]
 *                [--prefilter auto|git|scan|none] [--no-prefilter]
 *                [--files-from FILE] [--stats] [-v] PATH...
 *   mmlock cocci --list-rules
 *
 * Each rule runs only on the files that mention one of its key functions
 * (git grep in a git work tree, a scan of the files otherwise), in report
 * mode, in parallel: up to N spatch processes (default: the number of
 * CPUs), each over a group of files.  Findings go to stdout in the common
 * format, "FILE:LINE:COL: warning: MESSAGE [mmlock:RULE]" followed by its
 * "note:" lines, sorted; a file or part of a file spatch could not analyse
 * is named on stderr ("FILE: not analysed: ...").  On a kernel tree whose
 * Makefile says 6.5 or later, pte-map-null runs with -D newpte.
 *
 * The .cocci files are found in $MMLOCK_COCCI_DIR, else in the cocci/
 * directory of the mmlock installation.  spatch is $SPATCH, else "spatch";
 * its python is $MMLOCK_PYTHON, else /usr/bin/python3 when there (spatch
 * looks "python3" up in $PATH otherwise, and a wrapper such as a pyenv
 * shim there costs a second per process).
 *
 * Exit status: 0 no finding, 1 findings, 2 usage or input error (a
 * one-line message names the input), or an input file or directory that
 * cannot be read (a "not analysed" line each).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>
#include "../commands.h"
#include "../util/util.h"
#include "cocci.h"

/* A usage error is one line on stderr; --help prints the synopsis. */
static int usage(const char *why)
{
	if (why)
		return util_error("%s (see mmlock cocci --help)", why);
	printf("usage: mmlock cocci [--rules IDS] [-j N] [--timeout SEC]\n"
	       "                    [--prefilter auto|git|scan|none] [--no-prefilter]\n"
	       "                    [--files-from FILE] [--stats] [-v] PATH...\n"
	       "       mmlock cocci --list-rules\n");
	return 0;
}

static int find_in_path(const char *prog, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (strchr(prog, '/')) {
		snprintf(buf, len, "%s", prog);
		return access(buf, X_OK);
	}
	while (path && *path) {
		size_t n = strcspn(path, ":");

		snprintf(buf, len, "%.*s/%s", (int)n, path, prog);
		if (n && !access(buf, X_OK))
			return 0;
		path += n + (path[n] == ':');
	}
	return -1;
}

/* The first "///" line of a .cocci: what the rule finds. */
static void list_rules(const struct cocci_rules *rs)
{
	for (int i = 0; i < rs->n; i++) {
		char *text = util_read_file(rs->v[i].path, NULL);
		char *d = text ? strstr(text, "\n/// ") : NULL;

		printf("%s\t%.*s\n", rs->v[i].id,
		       d ? (int)strcspn(d + 5, "\n") : 0, d ? d + 5 : "");
		free(text);
	}
}

static double now(void)
{
	struct timeval tv;

	gettimeofday(&tv, NULL);
	return tv.tv_sec + tv.tv_usec / 1e6;
}

static int parse_int(const char *s, int *v)
{
	char *end;
	long n = strtol(s, &end, 10);

	if (!*s || *end || n < 0 || n > 100000)
		return -1;
	*v = n;
	return 0;
}

int cmd_cocci(int argc, char **argv)
{
	struct cocci_run run = { 0 };
	struct cocci_rules rs;
	struct cocci_files fs = { 0 };
	struct cocci_report rep = { 0 };
	int unreadable;
	enum cocci_filter how = FILTER_AUTO;
	const char *ids = NULL, *list = NULL, *method;
	const char **roots;
	char dir[PATH_MAX], spatch[PATH_MAX], err[PATH_MAX + 256];
	int nroots = 0, stats = 0, listing = 0, njobs = 0, nfound, rc;
	long ncandidates = 0;
	double t0 = now();

	run.jobs = sysconf(_SC_NPROCESSORS_ONLN) > 0 ?
		   (int)sysconf(_SC_NPROCESSORS_ONLN) : 1;
	run.timeout = 120;
	roots = calloc(argc + 1, sizeof(char *));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (!strcmp(a, "--rules") || !strcmp(a, "-r")) {
			if (!val)
				return usage("--rules needs a list of rule ids");
			ids = argv[++i];
		} else if (!strncmp(a, "--rules=", 8)) {
			ids = a + 8;
		} else if (!strcmp(a, "-j") || !strcmp(a, "--jobs")) {
			if (!val || parse_int(val, &run.jobs) || !run.jobs)
				return usage("-j needs a positive number");
			i++;
		} else if (!strncmp(a, "-j", 2) && a[2]) {
			if (parse_int(a + 2, &run.jobs) || !run.jobs)
				return usage("-j needs a positive number");
		} else if (!strcmp(a, "--timeout")) {
			if (!val || parse_int(val, &run.timeout))
				return usage("--timeout needs a number of seconds");
			i++;
		} else if (!strcmp(a, "--prefilter") || !strncmp(a, "--prefilter=", 12)) {
			const char *m = a[11] == '=' ? a + 12 : val;

			if (!m)
				return usage("--prefilter needs auto, git, scan or none");
			if (a[11] != '=')
				i++;
			if (!strcmp(m, "auto"))
				how = FILTER_AUTO;
			else if (!strcmp(m, "git"))
				how = FILTER_GIT;
			else if (!strcmp(m, "scan"))
				how = FILTER_SCAN;
			else if (!strcmp(m, "none"))
				how = FILTER_NONE;
			else
				return usage("--prefilter needs auto, git, scan or none");
		} else if (!strcmp(a, "--no-prefilter")) {
			how = FILTER_NONE;
		} else if (!strcmp(a, "--files-from")) {
			if (!val)
				return usage("--files-from needs a file");
			list = argv[++i];
		} else if (!strcmp(a, "--stats")) {
			stats = 1;
		} else if (!strcmp(a, "-v")) {
			run.verbose++;
		} else if (!strcmp(a, "--list-rules")) {
			listing = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return usage(NULL);
		} else if (!strcmp(a, "--")) {
			while (++i < argc)
				roots[nroots++] = argv[i];
		} else if (a[0] == '-' && a[1]) {
			snprintf(err, sizeof(err), "unknown option '%s'", a);
			return usage(err);
		} else {
			roots[nroots++] = a;
		}
	}

	if (cocci_find_dir(dir, sizeof(dir)))
		return util_error("%s: no such directory (set MMLOCK_COCCI_DIR)", dir);
	if (cocci_load_rules(dir, &rs, err, sizeof(err)) ||
	    cocci_select_rules(&rs, ids, err, sizeof(err)))
		return util_error("%s", err);
	if (listing) {
		list_rules(&rs);
		cocci_free_rules(&rs);
		return 0;
	}
	if (!nroots && !list)
		return usage("no file or directory to analyse");
	for (int i = 0; i < nroots; i++) {
		char *r = util_xstrdup(roots[i]);	/* "dir/" is "dir" */
		size_t n = strlen(r);

		while (n > 1 && r[n - 1] == '/')
			r[--n] = '\0';
		roots[i] = r;
	}
	for (int i = 0; i < nroots; i++)
		if (cocci_add_path(&fs, roots[i], err, sizeof(err)))
			return util_error("%s", err);
	if (list && cocci_add_list(&fs, list, err, sizeof(err)))
		return util_error("%s", err);
	unreadable = cocci_drop_unreadable(&fs, &rep);
	run.spatch = util_env_or("SPATCH", "spatch");
	if (find_in_path(run.spatch, spatch, sizeof(spatch)))
		return util_error("%s: not found (install coccinelle, or set SPATCH)", run.spatch);
	run.spatch = spatch;
	run.python = getenv("MMLOCK_PYTHON");
	if (!run.python && !access("/usr/bin/python3", X_OK))
		run.python = "/usr/bin/python3";
	if (run.python && !*run.python)
		run.python = NULL;
	run.newpte = cocci_kernel_version(nroots ? roots[0] : ".") >= 605;

	method = cocci_prefilter(&fs, &rs, roots, nroots,
				 list && how == FILTER_AUTO ? FILTER_SCAN : how);
	run.unfiltered = how == FILTER_NONE;
	for (int i = 0; i < fs.n; i++)
		ncandidates += __builtin_popcountl(fs.v[i].rules);

	rc = cocci_run_jobs(&run, &rs, &fs, &rep, &njobs);
	nfound = cocci_print(&rep);
	if (stats) {
		int sel = 0, bad = 0;

		for (int i = 0; i < rs.n; i++)
			sel += rs.v[i].selected;
		for (int i = 0; i < rep.nbad; i++) {
			int seen = 0;

			for (int k = 0; k < i && !seen; k++)
				seen = !strcmp(rep.badfile[i], rep.badfile[k]);
			bad += !seen;
		}
		util_warn("%d finding(s); %d rule(s) on %d file(s), %ld rule-file pair(s) after "
			  "the pre-filter (%s), %d spatch job(s) with -j %d; %d file(s) not (fully) "
			  "analysed, %d timeout(s); %.1f s", nfound, sel, fs.n, ncandidates, method,
			  njobs, run.jobs, bad, rep.timeouts, now() - t0);
	}
	cocci_free_report(&rep);
	cocci_free_files(&fs);
	cocci_free_rules(&rs);
	free(roots);
	if (rc || unreadable)
		return 2;
	return nfound ? 1 : 0;
}
