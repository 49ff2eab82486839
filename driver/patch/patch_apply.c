/*
 * Applying one file's hunks to its text: see patch.h.  Like patch(1),
 * a hunk is looked for at its line moved by the offset of the hunks
 * before it, then further and further away; first exactly, then ignoring
 * whitespace, then without up to two context lines at either end.
 * Context lines are copied from the file, not the patch, so a mangled
 * patch leaves the file's own lines as they were.  Pure: no I/O.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "patch.h"

struct text {
	const char **s;
	size_t *n;
	long nlines;
	int last_no_eol;		/* the last line has no newline */
};

struct out {
	char *buf;
	size_t len, cap;
	int failed;
	int no_eol;			/* the last line put must lose its newline */
};

static void put(struct out *o, const char *s, size_t n, int no_eol)
{
	if (o->failed)
		return;
	if (o->len + n + 2 > o->cap) {
		size_t cap = (o->len + n + 2) * 2;
		char *p = realloc(o->buf, cap);

		if (!p) {
			o->failed = 1;
			return;
		}
		o->buf = p;
		o->cap = cap;
	}
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len++] = '\n';
	o->no_eol = no_eol;
}

static int split(const char *buf, size_t len, struct text *t)
{
	long n = 0;

	for (size_t i = 0; i < len; i++)
		n += buf[i] == '\n';
	t->s = malloc((n + 1) * sizeof(*t->s));
	t->n = malloc((n + 1) * sizeof(*t->n));
	if (!t->s || !t->n)
		return -1;
	t->nlines = 0;
	t->last_no_eol = 0;
	for (size_t i = 0, start = 0; i < len; i++) {
		if (buf[i] != '\n' && i + 1 < len)
			continue;
		t->s[t->nlines] = buf + start;
		t->n[t->nlines] = i - start + (buf[i] != '\n');
		t->last_no_eol = buf[i] != '\n';
		t->nlines++;
		start = i + 1;
	}
	return 0;
}

static int same(const char *a, size_t an, const char *b, int loose)
{
	size_t bn = strlen(b), i = 0, j = 0;

	if (!loose)
		return an == bn && !memcmp(a, b, an);
	for (;;) {
		while (i < an && isspace((unsigned char)a[i]))
			i++;
		while (j < bn && isspace((unsigned char)b[j]))
			j++;
		if (i == an || j == bn)
			return i == an && j == bn;
		if (a[i++] != b[j++])
			return 0;
	}
}

/* Do the old lines of H, [LO, HI) of its lines, match T at POS? */
static int match_at(const struct text *t, long pos, const struct patch_hunk *h,
		    int lo, int hi, int loose)
{
	for (int k = lo; k < hi; k++) {
		if (h->lines[k].op == '+')
			continue;
		if (pos >= t->nlines || !same(t->s[pos], t->n[pos], h->lines[k].text, loose))
			return 0;
		pos++;
	}
	return 1;
}

/* Where the hunk's lines [LO, HI) apply, nearest to WANT first, not
 * before MIN; -1: nowhere. */
static long find(const struct text *t, const struct patch_hunk *h, int lo, int hi,
		 long want, long min, int loose)
{
	long nold = 0, max;

	for (int k = lo; k < hi; k++)
		nold += h->lines[k].op != '+';
	max = t->nlines - nold;
	if (want < min)
		want = min;
	if (want > max)
		want = max;
	for (long d = 0; want - d >= min || want + d <= max; d++) {
		if (want + d <= max && want + d >= min && match_at(t, want + d, h, lo, hi, loose))
			return want + d;
		if (d && want - d >= min && want - d <= max && match_at(t, want - d, h, lo, hi, loose))
			return want - d;
	}
	return -1;
}

int patch_apply(const char *text, size_t len, const struct patch_file *f,
		char **res, size_t *reslen, int *how, char *err, size_t errlen)
{
	struct text t = { 0 };
	struct out o = { 0 };
	long cur = 0, offset = 0;
	int rc = -1;

	*res = NULL;
	*reslen = 0;
	*how = 0;
	if (split(text, len, &t)) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	for (int i = 0; i < f->nhunks; i++) {
		const struct patch_hunk *h = &f->hunks[i];
		int lead = 0, trail = 0, lo = 0, hi = h->nlines, found = 0;
		long pos = -1, want;

		while (lead < h->nlines && h->lines[lead].op == ' ')
			lead++;
		while (trail < h->nlines - lead && h->lines[h->nlines - 1 - trail].op == ' ')
			trail++;
		for (int fuzz = 0; fuzz <= 2 && !found; fuzz++) {
			lo = lead < fuzz ? lead : fuzz;
			hi = h->nlines - (trail < fuzz ? trail : fuzz);
			/* a hunk that does not start at the file's top must
			 * not lose the context that anchors it there */
			if (fuzz && h->old_start <= 1 && lo)
				lo = 0;
			want = (h->old_count ? h->old_start - 1 : h->old_start) + offset + lo;
			for (int loose = 0; loose <= 1 && !found; loose++) {
				pos = find(&t, h, lo, hi, want, cur, loose);
				found = pos >= 0;
				if (found && (loose || fuzz))
					*how = 1;
			}
		}
		if (!found) {
			snprintf(err, errlen, "hunk %d (%s) does not apply", i + 1, h->header);
			goto out;
		}
		offset = pos - lo - (h->old_count ? h->old_start - 1 : h->old_start);
		for (; cur < pos; cur++)
			put(&o, t.s[cur], t.n[cur], cur == t.nlines - 1 && t.last_no_eol);
		for (int k = lo; k < hi; k++) {
			const struct patch_line *l = &h->lines[k];
			int last_new = k == hi - 1 && hi == h->nlines;

			if (l->op == '-') {
				cur++;
			} else if (l->op == ' ') {
				put(&o, t.s[cur], t.n[cur],
				    (cur == t.nlines - 1 && t.last_no_eol) || (last_new && h->new_no_eol));
				cur++;
			} else {
				put(&o, l->text, strlen(l->text), last_new && h->new_no_eol);
			}
		}
	}
	for (; cur < t.nlines; cur++)
		put(&o, t.s[cur], t.n[cur], cur == t.nlines - 1 && t.last_no_eol);
	if (o.failed) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	if (o.len && o.no_eol)
		o.len--;
	*res = o.buf ? o.buf : calloc(1, 1);
	*reslen = o.len;
	o.buf = NULL;
	rc = *res ? 0 : -1;
out:
	free(o.buf);
	free(t.s);
	free(t.n);
	return rc;
}
