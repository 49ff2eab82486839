/*
 * The pre-filter: a rule only runs on files that mention one of its key
 * functions ("// Keys:" in the .cocci header).  spatch would find that out
 * itself, but only after starting up and reading the file for each rule;
 * on a whole kernel tree most files mention none of the keys.
 *
 * Two ways to find the files:
 *  - in a git work tree, "git grep -l -w -F -e KEY..." per rule (as
 *    coccicheck's --use-gitgrep does);
 *  - otherwise one pass over each file, splitting it into identifiers and
 *    looking each up in a hash table of every rule's keys.
 * A rule without keys runs on every file.  With several "// Keys:" lines
 * a file must mention a word of each.  The scanner works on key groups:
 * each (rule, line) pair has a bit of its own.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../util/util.h"
#include "cocci.h"

/* ---- a hash table from identifier to rule bits ---- */

struct keytab {
	char **key;
	unsigned long *bits;
	unsigned size;		/* power of two */
};

static unsigned hash(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static unsigned long *keytab_slot(struct keytab *t, const char *s, size_t n,
				  int insert)
{
	unsigned i = hash(s, n) & (t->size - 1);

	for (; t->key[i]; i = (i + 1) & (t->size - 1))
		if (!strncmp(t->key[i], s, n) && !t->key[i][n])
			return &t->bits[i];
	if (!insert)
		return NULL;
	t->key[i] = util_xmemdup(s, n);
	return &t->bits[i];
}

#define MAX_GROUPS	((int)(8 * sizeof(unsigned long)))

/*
 * gmask[i]: the group bits of rule i (0: no keys, or more groups than
 * bits: the rule runs on every file).
 */
static void keytab_build(struct keytab *t, const struct cocci_rules *rs,
			 unsigned long *gmask)
{
	int nkeys = 0, bit = 0;

	for (int i = 0; i < rs->n; i++)
		nkeys += rs->v[i].nkeys;
	for (t->size = 64; t->size < 4u * nkeys; t->size *= 2)
		;
	t->key = calloc(t->size, sizeof(char *));
	t->bits = calloc(t->size, sizeof(unsigned long));
	for (int i = 0; i < rs->n; i++) {
		const struct cocci_rule *r = &rs->v[i];

		gmask[i] = 0;
		if (!r->selected || !r->ngroups || bit + r->ngroups > MAX_GROUPS)
			continue;
		for (int j = 0; j < r->nkeys; j++)
			*keytab_slot(t, r->keys[j], strlen(r->keys[j]), 1) |=
				1UL << (bit + r->keygroup[j]);
		gmask[i] = ((r->ngroups == MAX_GROUPS ? 0 : 1UL << r->ngroups) - 1)
			   << bit;
		bit += r->ngroups;
	}
}

static void keytab_free(struct keytab *t)
{
	for (unsigned i = 0; i < t->size; i++)
		free(t->key[i]);
	free(t->key);
	free(t->bits);
}

/* ---- the scanner ---- */

static int ident_start(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int ident_char(int c)
{
	return ident_start(c) || (c >= '0' && c <= '9');
}

static unsigned long scan_buf(struct keytab *t, const char *p, size_t n,
			      unsigned long want)
{
	const char *end = p + n;
	unsigned long got = 0;

	while (p < end) {
		const char *s;
		unsigned long *bits;

		if (!ident_start((unsigned char)*p)) {
			/* skip numbers whole so "0x1f_ab" is no identifier */
			if (*p >= '0' && *p <= '9')
				while (p < end && ident_char((unsigned char)*p))
					p++;
			else
				p++;
			continue;
		}
		s = p;
		while (p < end && ident_char((unsigned char)*p))
			p++;
		bits = keytab_slot(t, s, p - s, 0);
		if (bits) {
			got |= *bits;
			if ((got & want) == want)
				break;
		}
	}
	return got;
}

static unsigned long selected_bits(const struct cocci_rules *rs)
{
	unsigned long b = 0;

	for (int i = 0; i < rs->n; i++)
		if (rs->v[i].selected)
			b |= 1UL << i;
	return b;
}

static void scan_files(struct cocci_files *fs, const struct cocci_rules *rs,
		       int from, int to)
{
	struct keytab t;
	unsigned long gmask[MAX_GROUPS], want = 0, all = selected_bits(rs);

	keytab_build(&t, rs, gmask);
	for (int r = 0; r < rs->n; r++)
		want |= gmask[r];
	for (int i = from; i < to; i++) {
		size_t n;
		char *buf = util_read_file(fs->v[i].path, &n);
		unsigned long got;

		if (!buf) {	/* let spatch say what is wrong with it */
			fs->v[i].rules = all;
			continue;
		}
		got = scan_buf(&t, buf, n, want);
		fs->v[i].rules = 0;
		for (int r = 0; r < rs->n; r++)
			if (rs->v[r].selected && (got & gmask[r]) == gmask[r])
				fs->v[i].rules |= 1UL << r;
		free(buf);
	}
	keytab_free(&t);
}

int cocci_scan_file(const char *path, const struct cocci_rules *rs,
		    unsigned long *rules)
{
	struct cocci_files one = { 0 };
	struct cocci_file f = { (char *)path, 0, 0, 0 };

	one.v = &f;
	one.n = 1;
	scan_files(&one, rs, 0, 1);
	*rules = f.rules;
	return 0;
}

/* ---- git grep ---- */

static int in_git_tree(const char *dir)
{
	char *out;
	int yes = !util_git_rev_parse(dir, "--is-inside-work-tree", NULL, &out) &&
		  !strcmp(out, "true");

	free(out);
	return yes;
}

/* Is path "root/..." (or root itself)?  Returns the part after root. */
static const char *under(const char *path, const char *root)
{
	size_t n = strlen(root);

	if (!strcmp(root, "."))
		return strncmp(path, "./", 2) ? path : path + 2;
	if (strncmp(path, root, n))
		return NULL;
	if (path[n] == '/')
		return path + n + 1;
	return path[n] ? NULL : path + n;
}

/* Files under root that git grep finds for a key group of rule r get 1 in
 * hit[] (one entry per file). */
static int git_group(struct cocci_files *fs, const struct cocci_rule *r,
		     int group, const char *root, char *hit)
{
	char **argv = util_xrealloc(NULL, (2 * r->nkeys + 12) * sizeof(char *));
	char *out, *line, *save = NULL;
	int argc = 0, rc;

	argv[argc++] = "git";
	argv[argc++] = "-C";
	argv[argc++] = (char *)root;
	argv[argc++] = "grep";
	argv[argc++] = "--untracked";
	argv[argc++] = "-l";
	argv[argc++] = "-w";
	argv[argc++] = "-F";
	for (int j = 0; j < r->nkeys; j++) {
		if (r->keygroup[j] != group)
			continue;
		argv[argc++] = "-e";
		argv[argc++] = r->keys[j];
	}
	argv[argc++] = "--";
	argv[argc++] = ".";
	argv[argc] = NULL;
	rc = util_capture(argv, NULL, &out, NULL, NULL);
	free(argv);
	if (rc != 0 && rc != 1) {	/* 1: nothing found */
		free(out);
		return -1;
	}
	for (line = strtok_r(out, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		for (int i = 0; i < fs->n; i++) {
			const char *rel = under(fs->v[i].path, root);

			if (rel && !strcmp(rel, line))
				hit[i] = 1;
		}
	free(out);
	return 0;
}

/* Every file must be under a root that is a git work tree. */
static int git_filter(struct cocci_files *fs, const struct cocci_rules *rs,
		      const char *const *roots, int nroots)
{
	char *hit;
	int *count;

	for (int k = 0; k < nroots; k++)
		if (!in_git_tree(roots[k]))
			return -1;
	hit = util_xrealloc(NULL, fs->n + 1);
	count = util_xrealloc(NULL, (fs->n + 1) * sizeof(int));

	for (int i = 0; i < fs->n; i++)
		fs->v[i].rules = 0;
	for (int b = 0; b < rs->n; b++) {
		const struct cocci_rule *r = &rs->v[b];

		if (!r->selected)
			continue;
		memset(count, 0, fs->n * sizeof(int));
		for (int g = 0; g < r->ngroups; g++) {
			memset(hit, 0, fs->n);
			for (int k = 0; k < nroots; k++)
				if (git_group(fs, r, g, roots[k], hit)) {
					free(hit);
					free(count);
					return -1;
				}
			for (int i = 0; i < fs->n; i++)
				count[i] += hit[i];
		}
		for (int i = 0; i < fs->n; i++)
			if (count[i] == r->ngroups)
				fs->v[i].rules |= 1UL << b;
	}
	free(hit);
	free(count);
	return 0;
}

const char *cocci_prefilter(struct cocci_files *fs, const struct cocci_rules *rs,
			    const char *const *roots, int nroots,
			    enum cocci_filter how)
{
	if (how == FILTER_NONE) {
		unsigned long all = selected_bits(rs);

		for (int i = 0; i < fs->n; i++)
			fs->v[i].rules = all;
		return "none";
	}
	if (how == FILTER_GIT || how == FILTER_AUTO) {
		if (!git_filter(fs, rs, roots, nroots))
			return "git grep";
		if (how == FILTER_GIT)
			util_warn("git grep cannot be used here; scanning the files instead");
	}
	scan_files(fs, rs, 0, fs->n);
	return "scan";
}
