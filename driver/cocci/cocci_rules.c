/*
 * Finding the semantic patches and reading their headers.
 *
 * The .cocci files live in cocci/ of the mmlock installation: the
 * directory named by $MMLOCK_COCCI_DIR, else MMLOCK_HOME/cocci (the repo
 * path the Makefile compiles in), else ../cocci next to the executable.
 * Each file is one rule; its id is the file name.  Two header comments
 * matter here, in the kernel's scripts/coccinelle style:
 *
 *   // Options: --no-includes --include-headers    passed on to spatch
 *   // Keys: find_vma vma_lookup ...                the pre-filter's words:
 *                                                   a file that mentions
 *                                                   none of them cannot match
 *
 * Several "// Keys:" lines must all be met: the file mentions a word of
 * each (a drop of mmap_lock, and a vma, say).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../util/util.h"
#include "cocci.h"

#ifndef MMLOCK_HOME
#define MMLOCK_HOME "."
#endif

int cocci_find_dir(char *buf, size_t len)
{
	const char *env = util_env_or("MMLOCK_COCCI_DIR", NULL);
	char exe[4096];

	if (env) {
		snprintf(buf, len, "%s", env);
		return util_is_dir(buf) ? 0 : -1;
	}
	snprintf(buf, len, "%s/cocci", MMLOCK_HOME);
	if (util_is_dir(buf))
		return 0;
	if (!util_self_exe(exe, sizeof(exe))) {
		char *slash = strrchr(exe, '/');

		if (slash)
			*slash = '\0';
		snprintf(buf, len, "%s/../cocci", exe);
		if (util_is_dir(buf))
			return 0;
	}
	snprintf(buf, len, "%s/cocci", MMLOCK_HOME);
	return -1;
}

/* Splits "a b  c" into words appended to *v. */
static void split_words(const char *s, char ***v, int *n)
{
	while (*s) {
		const char *e;

		while (*s == ' ' || *s == '\t')
			s++;
		e = s;
		while (*e && *e != ' ' && *e != '\t' && *e != '\n')
			e++;
		if (e > s) {
			char *w = util_xrealloc(NULL, e - s + 1);

			memcpy(w, s, e - s);
			w[e - s] = '\0';
			*v = util_xrealloc(*v, (*n + 1) * sizeof(char *));
			(*v)[(*n)++] = w;
		}
		if (!*e || *e == '\n')
			break;
		s = e;
	}
}

static void read_header(struct cocci_rule *r)
{
	char *text = util_read_file(r->path, NULL);
	char *line;

	if (!text)
		return;
	for (line = text; line && *line; ) {
		char *next = strchr(line, '\n');

		if (!strncmp(line, "// Options:", 11))
			split_words(line + 11, &r->opts, &r->nopts);
		else if (!strncmp(line, "// Keys:", 8)) {
			int from = r->nkeys;

			split_words(line + 8, &r->keys, &r->nkeys);
			r->keygroup = util_xrealloc(r->keygroup,
						     (r->nkeys + 1) * sizeof(int));
			for (int i = from; i < r->nkeys; i++)
				r->keygroup[i] = r->ngroups;
			if (r->nkeys > from)
				r->ngroups++;
		}
		else if (!strncmp(line, "virtual newpte", 14))
			r->newpte = 1;
		line = next ? next + 1 : NULL;
	}
	free(text);
}

static int by_id(const void *a, const void *b)
{
	return strcmp(((const struct cocci_rule *)a)->id,
		      ((const struct cocci_rule *)b)->id);
}

int cocci_load_rules(const char *dir, struct cocci_rules *rs,
		     char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	memset(rs, 0, sizeof(*rs));
	if (!d) {
		snprintf(err, errlen, "%s: %s (set MMLOCK_COCCI_DIR)",
			 dir, strerror(errno));
		return -1;
	}
	rs->dir = util_xstrdup(dir);
	while ((de = readdir(d))) {
		size_t len = strlen(de->d_name);
		struct cocci_rule *r;

		if (len <= 6 || strcmp(de->d_name + len - 6, ".cocci"))
			continue;
		rs->v = util_xrealloc(rs->v, (rs->n + 1) * sizeof(*rs->v));
		r = &rs->v[rs->n++];
		memset(r, 0, sizeof(*r));
		r->id = util_xstrdup(de->d_name);
		r->id[len - 6] = '\0';
		r->path = util_xrealloc(NULL, strlen(dir) + len + 2);
		sprintf(r->path, "%s/%s", dir, de->d_name);
		r->selected = 1;
		read_header(r);
	}
	closedir(d);
	if (!rs->n) {
		snprintf(err, errlen, "%s: no .cocci files", dir);
		return -1;
	}
	if (rs->n > (int)(8 * sizeof(unsigned long))) {
		snprintf(err, errlen, "%s: more than %d .cocci files", dir,
			 (int)(8 * sizeof(unsigned long)));
		return -1;
	}
	qsort(rs->v, rs->n, sizeof(*rs->v), by_id);
	return 0;
}

/* ids: comma- or space-separated rule ids; NULL selects every rule. */
int cocci_select_rules(struct cocci_rules *rs, const char *ids,
		       char *err, size_t errlen)
{
	char *copy, *tok, *save = NULL;
	int i, found = 0;

	if (!ids)
		return 0;
	for (i = 0; i < rs->n; i++)
		rs->v[i].selected = 0;
	copy = util_xstrdup(ids);
	for (tok = strtok_r(copy, ", ", &save); tok;
	     tok = strtok_r(NULL, ", ", &save)) {
		for (i = 0; i < rs->n; i++)
			if (!strcmp(rs->v[i].id, tok))
				break;
		if (i == rs->n) {
			snprintf(err, errlen, "unknown rule '%s' (no %s/%s.cocci)",
				 tok, rs->dir, tok);
			free(copy);
			return -1;
		}
		rs->v[i].selected = 1;
		found++;
	}
	free(copy);
	if (!found) {
		snprintf(err, errlen, "--rules '%s' names no rule", ids);
		return -1;
	}
	return 0;
}

void cocci_free_rules(struct cocci_rules *rs)
{
	for (int i = 0; i < rs->n; i++) {
		struct cocci_rule *r = &rs->v[i];

		for (int j = 0; j < r->nopts; j++)
			free(r->opts[j]);
		for (int j = 0; j < r->nkeys; j++)
			free(r->keys[j]);
		free(r->opts);
		free(r->keys);
		free(r->keygroup);
		free(r->id);
		free(r->path);
	}
	free(rs->v);
	free(rs->dir);
	memset(rs, 0, sizeof(*rs));
}
