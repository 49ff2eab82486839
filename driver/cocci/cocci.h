/*
 * mmlock cocci: the pieces of the Coccinelle engine's driver.
 *
 *   cocci_rules.c   find the .cocci files, read their headers
 *   cocci_files.c   collect the input files, the kernel version
 *   cocci_scan.c    pre-filter: which files mention a rule's key functions
 *   cocci_jobs.c    run spatch over (rule, file group) jobs in parallel
 *   cocci_out.c     read spatch's output: findings, files not analysed
 *   cmd_cocci.c     the command itself
 * Allocation, reading files, running programs: ../util/util.h.
 */
#ifndef MMLOCK_COCCI_H
#define MMLOCK_COCCI_H

#include <stddef.h>

/* One semantic patch, cocci/<id>.cocci. */
struct cocci_rule {
	char *id;		/* rule id: the file name without .cocci */
	char *path;
	char **opts;		/* "// Options:" words, for spatch */
	int nopts;
	char **keys;		/* "// Keys:" identifiers, for the pre-filter */
	int *keygroup;		/* the "// Keys:" line each one came from */
	int nkeys;
	int ngroups;		/* "// Keys:" lines: one of each must occur */
	int newpte;		/* declares "virtual newpte" (pte-map-null) */
	int selected;
};

struct cocci_rules {
	char *dir;
	struct cocci_rule *v;
	int n;
};

int cocci_find_dir(char *buf, size_t len);
int cocci_load_rules(const char *dir, struct cocci_rules *rs,
		     char *err, size_t errlen);
int cocci_select_rules(struct cocci_rules *rs, const char *ids,
		       char *err, size_t errlen);
void cocci_free_rules(struct cocci_rules *rs);

/* The input files, and for each which rules must look at it. */
struct cocci_file {
	char *path;
	long size;
	unsigned long rules;	/* bit i: rule i applies (after pre-filter) */
	int err;		/* errno: a directory that could not be listed */
};

struct cocci_files {
	struct cocci_file *v;
	int n, cap;
};

int cocci_add_path(struct cocci_files *fs, const char *path,
		   char *err, size_t errlen);
struct cocci_report;
/* Files and directories that cannot be read: out of FS, into REP as
   "FILE: not analysed: why"; how many. */
int cocci_drop_unreadable(struct cocci_files *fs, struct cocci_report *rep);
int cocci_add_list(struct cocci_files *fs, const char *listfile,
		   char *err, size_t errlen);
void cocci_free_files(struct cocci_files *fs);
int cocci_kernel_version(const char *path);	/* 100 * major + minor, or 0 */

enum cocci_filter { FILTER_AUTO, FILTER_GIT, FILTER_SCAN, FILTER_NONE };

/* Sets each file's rule bits; returns the method used ("git grep", ...). */
const char *cocci_prefilter(struct cocci_files *fs, const struct cocci_rules *rs,
			    const char *const *roots, int nroots,
			    enum cocci_filter how);
int cocci_scan_file(const char *path, const struct cocci_rules *rs,
		    unsigned long *rules);

/* Findings and unanalysed files, collected from every job. */
struct cocci_finding {
	char *file;
	long line, col;
	char *text;		/* the warning line and its note lines */
};

struct cocci_report {
	struct cocci_finding *v;
	int n, cap;
	char **bad;		/* "FILE: not analysed: ..." lines */
	char **badfile;
	int nbad, badcap;
	int timeouts;
};

void cocci_add_bad(struct cocci_report *rep, const char *file,
		   const char *msg);
void cocci_parse_stdout(struct cocci_report *rep, const char *buf);
void cocci_parse_stderr(struct cocci_report *rep, const char *buf,
			const char *rule, int timeout);
int cocci_print(struct cocci_report *rep);	/* returns findings printed */
void cocci_free_report(struct cocci_report *rep);

struct cocci_run {
	const char *spatch;
	const char *python;	/* spatch --python, or NULL */
	int jobs;
	int timeout;		/* seconds per file, 0 for none */
	int newpte;		/* the tree is 6.5 or later */
	int unfiltered;		/* no pre-filter: group files widely */
	int verbose;
};

int cocci_run_jobs(const struct cocci_run *run, const struct cocci_rules *rs,
		   const struct cocci_files *fs, struct cocci_report *rep,
		   int *njobs);

#endif
