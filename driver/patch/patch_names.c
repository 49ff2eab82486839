/*
 * File names in a diff as git writes them: "a/X" and "b/Y", in double
 * quotes with C escapes when they hold odd bytes (core.quotePath:
 * "a/caf\303\251.c", "a/tab\there"), and the "rename from"/"copy to"
 * lines, which name the files of a rename or copy exactly.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "patch.h"

/* The quoted name at S (S[0] == '"') up to its closing quote, unquoted
 * like git's unquote_c_style; *used: the bytes read.  NULL: unreadable. */
static char *unquote(const char *s, size_t n, size_t *used)
{
	char *out = malloc(n + 1), *o = out;
	size_t i = 1;

	if (!out)
		return NULL;
	while (i < n && s[i] != '"') {
		char c = s[i++];

		if (c == '\\' && i < n) {
			const char *esc = "a\ab\bt\tn\nv\vf\fr\r\"\"\\\\", *e;

			c = s[i++];
			if (c >= '0' && c <= '3' && i + 1 < n && s[i] >= '0' && s[i] <= '7' &&
			    s[i + 1] >= '0' && s[i + 1] <= '7') {
				c = (char)(((c - '0') << 6) | ((s[i] - '0') << 3) | (s[i + 1] - '0'));
				i += 2;
			} else if (c && (e = strchr(esc, c)) && (e - esc) % 2 == 0) {
				c = e[1];
			} else {
				free(out);
				return NULL;
			}
		} else if (c == '\\') {
			break;
		}
		*o++ = c;
	}
	if (i >= n || s[i] != '"' || o == out) {
		free(out);
		return NULL;
	}
	*o = 0;
	*used = i + 1;
	return out;
}

/* One name of N bytes at S: quoted, or as it is. */
char *patch_name(const char *s, size_t n)
{
	size_t used;
	char *p;

	if (n && s[0] == '"') {
		if ((p = unquote(s, n, &used)) && used == n)
			return p;
		free(p);
		return NULL;
	}
	return patch_dupn(s, n);
}

/* N bytes at S and a NUL, malloc'ed; NULL when out of memory (the pure
 * parts never exit). */
char *patch_dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

/* "diff --git A B" (S: after "diff --git "): A and B, quoted or not; as
 * written, unquoted names may hold blanks, so B starts at the last " b/"
 * (or halfway).  0: both set. */
int patch_git_names(const char *s, size_t n, char **a, char **b)
{
	const char *end = s + n, *mid = NULL;
	size_t used = 0;

	*a = *b = NULL;
	if (n && s[0] == '"') {
		if (!(*a = unquote(s, n, &used)) || used >= n || s[used] != ' ')
			goto bad;
		*b = patch_name(s + used + 1, n - used - 1);
		return *b ? 0 : (free(*a), *a = NULL, -1);
	}
	for (const char *p = s; p + 3 <= end; p++)
		if (!memcmp(p, " b/", 3) || (p + 4 <= end && !memcmp(p, " \"b/", 4)))
			mid = p;
	if (!mid) {
		if (n < 3 || s[n / 2] != ' ')
			return -1;
		mid = s + n / 2;
	}
	*a = patch_name(s, mid - s);
	*b = patch_name(mid + 1, end - mid - 1);
	if (*a && *b)
		return 0;
bad:
	free(*a);
	free(*b);
	*a = *b = NULL;
	return -1;
}

/* "rename from X" and the like name X without its a/ or b/: PREFIX + X. */
char *patch_header_name(const char *prefix, const char *s, size_t n)
{
	char *x = patch_name(s, n), *p;
	size_t k = strlen(prefix);

	if (!x || !(p = malloc(k + strlen(x) + 1))) {
		free(x);
		return NULL;
	}
	memcpy(p, prefix, k);
	strcpy(p + k, x);
	free(x);
	return p;
}

/* NAME as a path: without its first component (-p1) when STRIP */
static const char *path_of(const char *name, int strip)
{
	const char *slash;

	if (!name)
		return "";
	if (strip && (slash = strchr(name, '/')) && slash[1])
		return slash + 1;
	return name;
}

const char *patch_file_path(const struct patch_file *f, int strip)
{
	return path_of(f->new_name ? f->new_name : f->old_name, strip);
}

/* The file the patch reads: the old name (a rename's or copy's source). */
const char *patch_file_source(const struct patch_file *f, int strip)
{
	return path_of(f->old_name ? f->old_name : f->new_name, strip);
}
