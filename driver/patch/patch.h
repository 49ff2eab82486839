/*
 * mmlock patch: reading patches, applying them, comparing findings.
 *
 * patch_parse() reads what people pass around as "a patch": a unified
 * diff, git diff or `git format-patch` output, an mbox of a series, or a
 * mailing-list page saved as text (lore, Nabble) with its replies.  It
 * keeps the diffs of the patch messages, ordered by their "[PATCH n/m]"
 * numbers, and leaves out quoted lines ("> ...") and the diffs of replies
 * ("Re: [PATCH ...]").  Pages lose whitespace: a blank line inside a hunk
 * is a blank context line and a line with no diff prefix at all is a
 * context line whose leading blank was eaten.
 *
 * patch_parse() and patch_apply() are pure: no global state, no I/O, no
 * exit(); any bytes give either a patch set or an error message (they are
 * fuzzed with libFuzzer, see fuzz/).  Everything they return is malloc'ed
 * and freed by patchset_free() / free().
 */
#ifndef MMLOCK_PATCH_H
#define MMLOCK_PATCH_H

#include <stddef.h>

struct patch_line {
	char op;			/* ' ' context, '-' removed, '+' added */
	char *text;			/* without the op and the newline */
};

struct patch_hunk {
	long old_start, old_count, new_start, new_count;
	char *header;			/* "@@ -a,b +c,d @@ context", one line */
	struct patch_line *lines;
	int nlines;
	int old_no_eol, new_no_eol;	/* "\ No newline at end of file" */
};

struct patch_file {
	char *old_name, *new_name;	/* as written (a/x, b/x); NULL: /dev/null */
	struct patch_hunk *hunks;
	int nhunks;
	int binary;			/* "Binary files ... differ", GIT binary patch */
	int renamed;			/* git's "rename from/to", "copy from/to" */
};

struct patch {
	char *subject;			/* the message's subject, or NULL */
	int num, total, version;	/* [PATCH v<version> <num>/<total>]; 0: none */
	struct patch_file *files;
	int nfiles;
};

struct patchset {
	struct patch *v;
	int n;
	int replies;			/* diffs seen in replies, left out */
	int duplicates;			/* repeated [PATCH n/m], left out */
	int older_versions;		/* patches of an older vN, left out */
};

/* Parse LEN bytes of BUF.  0: OUT holds the patches (n > 0), in the order
 * to apply them; -1: ERR says why (no patch found, a malformed hunk). */
int patch_parse(const char *buf, size_t len, struct patchset *out,
		char *err, size_t errlen);
void patchset_free(struct patchset *ps);

/* The path a file is patched at: NEW_NAME (OLD_NAME for a deletion) with
 * its first component ("a/", "b/", "linux/") removed when STRIP. */
const char *patch_file_path(const struct patch_file *f, int strip);
/* patch_names.c: git's quoted names, "diff --git A B", rename lines */
const char *patch_file_source(const struct patch_file *f, int strip);
char *patch_name(const char *s, size_t n);
int patch_git_names(const char *s, size_t n, char **a, char **b);
char *patch_header_name(const char *prefix, const char *s, size_t n);
char *patch_dupn(const char *s, size_t n);	/* NULL: out of memory */

/* patch_apply(): apply F's hunks to the LEN bytes of TEXT.  Hunks are
 * found near their line (any offset), exactly, then ignoring whitespace
 * (mail and web pages mangle it), then with up to two context lines
 * dropped at either end.  0: *OUT (malloc'ed, *OUTLEN bytes) is the
 * result and *HOW is 0 (exact), or 1 when some hunk needed whitespace or
 * fuzz; -1: ERR names the hunk that does not apply ("hunk N (@@ ... @@)
 * does not apply"). */
int patch_apply(const char *text, size_t len, const struct patch_file *f,
		char **out, size_t *outlen, int *how, char *err, size_t errlen);

/*
 * The command's parts (cmd_patch.c and friends; not pure).
 */
#include <sys/types.h>

/* One touched file: its contents before and after the patch. */
struct patch_target {
	char *path;			/* relative to the tree */
	char *before, *after;		/* NULL: no such file on that side */
	size_t before_len, after_len;
	char *functions;		/* the functions the change touches, ", "-joined */
};

/* One finding of an engine, named as in the tree. */
struct patch_finding {
	char *rule, *file, *message, *function;
	const char *engine;
	int line, col;
	char *text;			/* the warning line and its notes */
	char fp[17];			/* the database's fingerprint */
};

struct patch_findings {
	struct patch_finding *v;
	int n;
};

struct patch_run_opts {
	const char *self;		/* this mmlock */
	const char *tmp;		/* the scratch trees are TMP/a and TMP/b */
	const char *tree;		/* a kernel tree, or NULL */
	const char *cocci_rules;	/* mmlock cocci --rules, or NULL */
	const char **plugin_args;	/* KEY=VALUE for the plugin */
	int nplugin_args;
	int jobs, no_cocci, no_plugin;
};

/* patch_tree.c: the scratch trees (programs run with ../util/util.h) */
int patch_write_file(const char *path, const char *buf, size_t len);
void patch_remove_tree(const char *dir);

/* patch_engines.c: the findings of both sides; returns the number of
 * files the plugin analysed, or -1 (ERR says why). */
int patch_run_engines(const struct patch_run_opts *o, const struct patch_target *t, int nt,
		      struct patch_findings *before, struct patch_findings *after, char *err, size_t errlen);
int patch_tree_builds(const char *tree, const char *file);
int patch_collect(struct patch_findings *fs, const char *out, const char *const *prefixes,
		  int only_prefixed, const char *engine, const char *root, const char *tree,
		  char *err, size_t errlen);
void patch_findings_free(struct patch_findings *fs);

/* patch_diff.c: compare by fingerprint and print; returns the number of
 * introduced findings that count (not marked false-positive or wont-fix
 * in DB). */
struct patch_report_opts {
	const char *db;			/* triage marks, or NULL */
	const char *self;		/* for the hint line */
	int quiet;			/* no "fixed" list */
};
int patch_report(const struct patch_report_opts *o, struct patch_findings *before,
		 struct patch_findings *after, FILE *out);

/* patch_git.c */
int patch_git_toplevel(const char *dir, char **top);
int patch_git_show(const char *top, const char *rev, const char *path, char **buf, size_t *len);
int patch_git_diff(const char *top, const char *tmp, const char *base, const char *head,
		   int staged, char **buf, size_t *len);

#endif
