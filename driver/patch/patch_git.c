/*
 * mmlock patch in a git tree: the top of the work tree, a file as it is
 * in a revision or in the index, and the diff to check (the staged
 * change, or BASE..HEAD).  git runs as a program, never through a shell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../cocci/cocci.h"
#include "patch.h"

/* The first line "git -C DIR rev-parse ARG ARG2" prints (ARG2 may be
 * NULL), malloc'ed in *OUT; -1 when git fails or prints nothing. */
int patch_git_rev_parse(const char *dir, const char *tmp, const char *arg, const char *arg2,
			char **out)
{
	char *argv[] = { "git", "-C", (char *)dir, "rev-parse", (char *)arg, (char *)arg2, NULL };
	size_t n;

	if (patch_capture(argv, NULL, tmp, out, &n, NULL) || !n) {
		free(*out);
		*out = NULL;
		return -1;
	}
	(*out)[strcspn(*out, "\n")] = 0;
	return 0;
}

int patch_git_toplevel(const char *dir, const char *tmp, char **top)
{
	return patch_git_rev_parse(dir, tmp, "--show-toplevel", NULL, top);
}

/* PATH at REV (NULL: in the index); -1 when it is not there. */
int patch_git_show(const char *top, const char *tmp, const char *rev, const char *path,
		   char **buf, size_t *len)
{
	size_t n = (rev ? strlen(rev) : 0) + strlen(path) + 2;
	char *spec = cocci_xrealloc(NULL, n);
	char *argv[] = { "git", "-C", (char *)top, "cat-file", "blob", spec, NULL };
	int rc;

	snprintf(spec, n, "%s:%s", rev ? rev : "", path);
	rc = patch_capture(argv, NULL, tmp, buf, len, NULL);
	free(spec);
	if (rc) {
		free(*buf);
		*buf = NULL;
		return -1;
	}
	return 0;
}

/* The diff of the staged change (STAGED), or of BASE..HEAD. */
int patch_git_diff(const char *top, const char *tmp, const char *base, const char *head,
		   int staged, char **buf, size_t *len)
{
	char *argv[16];
	int argc = 0;
	char errp[4096];
	int rc;

	argv[argc++] = "git";
	argv[argc++] = "-C";
	argv[argc++] = (char *)top;
	argv[argc++] = "diff";
	argv[argc++] = "--no-color";
	argv[argc++] = "--no-ext-diff";
	argv[argc++] = "-M";	/* renames as renames: patch_names.c */
	argv[argc++] = "-U0";
	if (staged) {
		argv[argc++] = "--cached";
	} else {
		argv[argc++] = (char *)base;
		argv[argc++] = (char *)head;
	}
	argv[argc++] = "--";
	argv[argc] = NULL;
	snprintf(errp, sizeof(errp), "%s/git.err", tmp);
	rc = patch_capture(argv, NULL, tmp, buf, len, errp);
	if (rc) {
		char *e = cocci_read_file(errp, NULL);

		fprintf(stderr, "mmlock patch: git diff in %s failed: %.*s\n", top,
			e ? (int)strcspn(e, "\n") : 0, e ? e : "");
		free(e);
	}
	return rc ? -1 : 0;
}
