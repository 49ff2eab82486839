/*
 * What a run records about the analysed tree, where it can be known
 * without running anything: the kernel version from the top Makefile,
 * the git revision from .git (a directory, or a worktree's "gitdir:"
 * file; loose or packed refs).  And file paths relative to the tree.
 */
#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "internal.h"

/* DIR/NAME into OUT (NAME alone when absolute); -1 when too long. */
static int join(char *out, size_t n, const char *dir, const char *name)
{
	int len = name[0] == '/' ? snprintf(out, n, "%s", name) :
				   snprintf(out, n, "%s/%s", dir, name);

	return len < 0 || (size_t)len >= n ? -1 : 0;
}

static char *read_line(const char *dir, const char *name)
{
	char path[PATH_MAX], buf[512];
	FILE *f;

	if (join(path, sizeof(path), dir, name))
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	buf[strcspn(buf, "\r\n")] = 0;
	return buf[0] ? strdup(buf) : NULL;
}

char *mmdb_kernel_version(const char *root)
{
	char path[PATH_MAX], line[256], ver[4][64] = { "", "", "", "" };
	static const char *const keys[] = { "VERSION", "PATCHLEVEL", "SUBLEVEL", "EXTRAVERSION" };
	char *out;
	FILE *f;

	if (join(path, sizeof(path), root ? root : ".", "Makefile"))
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	for (int n = 0; n < 30 && fgets(line, sizeof(line), f); n++) {
		for (int k = 0; k < 4; k++) {
			size_t len = strlen(keys[k]);
			char *v = line + len;

			if (strncmp(line, keys[k], len) || (*v != ' ' && *v != '='))
				continue;
			v += strspn(v, " ");
			if (*v++ != '=')
				continue;
			v += strspn(v, " \t");
			v[strcspn(v, " \t\r\n")] = 0;
			snprintf(ver[k], sizeof(ver[k]), "%s", v);
		}
	}
	fclose(f);
	if (!isdigit((unsigned char)ver[0][0]) || !isdigit((unsigned char)ver[1][0]))
		return NULL;
	out = malloc(256);
	snprintf(out, 256, "%s.%s%s%s%s", ver[0], ver[1], ver[2][0] ? "." : "", ver[2], ver[3]);
	return out;
}

static int is_hash(const char *s)
{
	size_t n = strspn(s, "0123456789abcdef");

	return (n == 40 || n == 64) && !s[n];
}

static char *packed_ref(const char *gitdir, const char *ref)
{
	char path[PATH_MAX], line[512];
	char *out = NULL;
	FILE *f;

	if (join(path, sizeof(path), gitdir, "packed-refs"))
		return NULL;
	f = fopen(path, "r");
	if (!f)
		return NULL;
	while (!out && fgets(line, sizeof(line), f)) {
		char *sp = strchr(line, ' ');

		line[strcspn(line, "\r\n")] = 0;
		if (sp && !strcmp(sp + 1, ref)) {
			*sp = 0;
			if (is_hash(line))
				out = strdup(line);
		}
	}
	fclose(f);
	return out;
}

char *mmdb_git_rev(const char *root)
{
	char gitdir[PATH_MAX], common[PATH_MAX];
	char *head, *link, *cd, *rev = NULL;

	if (!root)
		root = ".";
	if (join(gitdir, sizeof(gitdir), root, ".git"))
		return NULL;
	link = read_line(root, ".git");		/* a worktree's .git file */
	if (link && !strncmp(link, "gitdir: ", 8) && join(gitdir, sizeof(gitdir), root, link + 8)) {
		free(link);
		return NULL;
	}
	free(link);
	head = read_line(gitdir, "HEAD");
	if (!head)
		return NULL;
	memcpy(common, gitdir, sizeof(common));
	cd = read_line(gitdir, "commondir");
	if (cd && join(common, sizeof(common), gitdir, cd))
		memcpy(common, gitdir, sizeof(common));
	free(cd);
	if (is_hash(head)) {
		rev = head;
		head = NULL;
	} else if (!strncmp(head, "ref: ", 5)) {
		rev = read_line(common, head + 5);
		if (!rev)
			rev = read_line(gitdir, head + 5);
		if (rev && !is_hash(rev)) {
			free(rev);
			rev = NULL;
		}
		if (!rev)
			rev = packed_ref(common, head + 5);
	}
	free(head);
	return rev;
}

char *mmdb_abspath(const char *path)
{
	char buf[PATH_MAX], *r = realpath(path, NULL);

	if (r)
		return r;
	if (path[0] == '/' || !getcwd(buf, sizeof(buf)))
		return strdup(path);
	r = malloc(strlen(buf) + strlen(path) + 2);
	sprintf(r, "%s/%s", buf, path);
	return r;
}

/* FILE relative to the tree: "./" and the tree's absolute prefix off. */
const char *mmdb_relpath(const char *root_abs, const char *file)
{
	size_t n = root_abs ? strlen(root_abs) : 0;

	if (n && file[0] == '/' && !strncmp(file, root_abs, n) && file[n] == '/')
		file += n + 1;
	while (file[0] == '.' && file[1] == '/')
		file += 2;
	return file;
}
