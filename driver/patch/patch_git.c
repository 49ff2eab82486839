/*
 * mmlock patch in a git tree: the top of the work tree, a file as it is
 * in a revision or in the index, and the diff to check (the staged
 * change, or BASE..HEAD).  git runs as a program, never through a shell.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/util.h"
#include "patch.h"

int patch_git_toplevel(const char *dir, char **top)
{
	return util_git_rev_parse(dir, "--show-toplevel", NULL, top);
}

/* PATH at REV (NULL: in the index); -1 when it is not there. */
int patch_git_show(const char *top, const char *rev, const char *path, char **buf, size_t *len)
{
	size_t n = (rev ? strlen(rev) : 0) + strlen(path) + 2;
	char *spec = util_xrealloc(NULL, n);
	char *argv[] = { "git", "-C", (char *)top, "cat-file", "blob", spec, NULL };
	int rc;

	snprintf(spec, n, "%s:%s", rev ? rev : "", path);
	rc = util_capture(argv, NULL, buf, len, NULL);
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
	rc = util_capture(argv, NULL, buf, len, errp);
	if (rc) {
		char *e = util_read_file(errp, NULL);

		util_warn("git diff in %s failed: %.*s", top, e ? (int)strcspn(e, "\n") : 0,
			  e ? e : "");
		free(e);
	}
	return rc ? -1 : 0;
}
