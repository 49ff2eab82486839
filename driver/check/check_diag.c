/*
 * check_diag.c: the findings in one engine's diagnostics.
 *
 * Both engines print gcc-style lines, "FILE:LINE:COL: KIND: MESSAGE".
 * The plugin's findings end in "[mmlock:RULE]" and are followed by their
 * "note:" lines (the path); its notes about itself ("note: mmlock: ...",
 * a function not analysed) belong to no finding.  From sparse only the
 * lock-context warnings are findings (rule "sparse", as `mmlock db import
 * --engine sparse` names them); its other output is only printed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

struct diag {
	const char *file, *kind, *msg;	/* not terminated: lengths below */
	int file_len, kind_len, msg_len;
	int line, col;
};

/* Reads "FILE:LINE[:COL]: KIND: MESSAGE" from S (one line, LEN long). */
static int parse_diag(const char *s, int len, struct diag *d)
{
	const char *end = s + len, *p;

	memset(d, 0, sizeof(*d));
	for (p = s; p < end; p++) {
		const char *q = p + 1;

		if (*p != ':' || p == s || q >= end || !isdigit((unsigned char)*q))
			continue;
		while (q < end && isdigit((unsigned char)*q))
			q++;
		if (q < end && *q == ':')
			break;
	}
	if (p >= end)
		return -1;
	d->file = s;
	d->file_len = p - s;
	d->line = atoi(p + 1);
	p = strchr(p + 1, ':');
	if (p + 1 < end && isdigit((unsigned char)p[1])) {
		d->col = atoi(p + 1);
		while (++p < end && isdigit((unsigned char)*p))
			;
		if (p >= end || *p != ':')
			return -1;
	}
	if (p + 1 >= end || p[1] != ' ')
		return -1;
	d->kind = p + 2;
	for (p = d->kind; p < end && isalpha((unsigned char)*p); p++)
		;
	if (p + 1 >= end || p[0] != ':' || p[1] != ' ' || p == d->kind)
		return -1;
	d->kind_len = p - d->kind;
	d->msg = p + 2;
	d->msg_len = end - d->msg;
	return 0;
}

static int kind_is(const struct diag *d, const char *kind)
{
	return d->kind_len == (int)strlen(kind) && !strncmp(d->kind, kind, d->kind_len);
}

static struct check_finding *add(struct check_findings *fs, const struct diag *d,
				 const char *engine, const char *rule, int rule_len,
				 int msg_len)
{
	struct check_finding *f;

	if (fs->n == fs->cap) {
		int cap = fs->cap ? 2 * fs->cap : 8;
		struct check_finding *v = realloc(fs->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		fs->v = v;
		fs->cap = cap;
	}
	f = &fs->v[fs->n++];
	memset(f, 0, sizeof(*f));
	f->rule = strndup(rule, rule_len);
	f->file = strndup(d->file, d->file_len);
	f->message = strndup(d->msg, msg_len);
	f->severity = strndup(d->kind, d->kind_len);
	f->engine = engine;
	f->line = d->line;
	f->col = d->col;
	return f;
}

static void add_note(struct check_finding *f, const struct diag *d)
{
	struct check_note *v = realloc(f->notes, (f->nnotes + 1) * sizeof(*v));

	if (!v)
		return;
	f->notes = v;
	v[f->nnotes++] = (struct check_note){
		.file = strndup(d->file, d->file_len), .line = d->line, .col = d->col,
		.message = strndup(d->msg, d->msg_len),
	};
}

/* "[mmlock:RULE]" at the end of the message: RULE's start and length */
static int mmlock_tag(const struct diag *d, const char **rule)
{
	const char *end = d->msg + d->msg_len, *p;
	int n;

	if (d->msg_len < 10 || end[-1] != ']')
		return -1;
	p = end - 1;
	while (p > d->msg && (isalnum((unsigned char)p[-1]) || p[-1] == '-' || p[-1] == '_'))
		p--;
	n = end - 1 - p;
	if (!n || p - d->msg < 8 || strncmp(p - 8, "[mmlock:", 8))
		return -1;
	*rule = p;
	return n;
}

static void each_line(const char *text, void (*fn)(const char *, int, void *), void *arg)
{
	while (text && *text) {
		const char *nl = strchr(text, '\n');
		int len = nl ? nl - text : (int)strlen(text);

		fn(text, len, arg);
		text += len + (nl != NULL);
	}
}

struct pick {
	struct check_findings *fs;
	struct check_finding *cur;	/* takes the note lines that follow */
};

static void plugin_line(const char *s, int len, void *arg)
{
	struct pick *pk = arg;
	struct diag d;
	const char *rule;
	int n;

	if (parse_diag(s, len, &d)) {
		pk->cur = NULL;
		return;
	}
	if (kind_is(&d, "note")) {
		if (pk->cur && strncmp(d.msg, "mmlock:", 7))
			add_note(pk->cur, &d);
		return;
	}
	pk->cur = NULL;
	if (!kind_is(&d, "warning") && !kind_is(&d, "error"))
		return;
	n = mmlock_tag(&d, &rule);
	if (n < 0)
		return;
	/* the message without " [mmlock:RULE]" */
	pk->cur = add(pk->fs, &d, "gcc-plugin", rule, n, rule - 8 - d.msg - 1);
}

int check_pick_plugin(const char *text, struct check_findings *fs)
{
	struct pick pk = { fs, NULL };

	each_line(text, plugin_line, &pk);
	return fs->n;
}

static void sparse_line(const char *s, int len, void *arg)
{
	struct pick *pk = arg;
	struct diag d;

	if (parse_diag(s, len, &d) || !(kind_is(&d, "warning") || kind_is(&d, "error")))
		return;
	if (strncmp(d.msg, "context imbalance in ", 21) && strncmp(d.msg, "context problem in ", 19))
		return;
	add(pk->fs, &d, "sparse", "sparse", 6, d.msg_len);
}

int check_pick_sparse(const char *text, struct check_findings *fs)
{
	struct pick pk = { fs, NULL };

	each_line(text, sparse_line, &pk);
	return fs->n;
}

void check_free_finding(struct check_finding *f)
{
	free(f->rule);
	free(f->file);
	free(f->message);
	free(f->severity);
	for (int j = 0; j < f->nnotes; j++) {
		free(f->notes[j].file);
		free(f->notes[j].message);
	}
	free(f->notes);
}

void check_free_findings(struct check_findings *fs)
{
	for (int i = 0; i < fs->n; i++)
		check_free_finding(&fs->v[i]);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}
