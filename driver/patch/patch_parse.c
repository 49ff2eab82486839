/*
 * Reading patches out of whatever carries them: see patch.h.
 *
 * First the input is cut into messages: an mbox "From " line with its
 * headers, a "Subject:" line, or a page's title line ("[PATCH 3/3] ...",
 * "Re: [PATCH ...]") starts one; what comes before the first is a message
 * without a subject (a plain diff).  Then each message's body (decoded
 * when quoted-printable) is read for diffs: "diff --git", "---"/"+++"
 * pairs, "@@" hunks read by their line counts.  Quoted lines never start
 * a diff; the diffs of replies are counted and left out.  Pure: no I/O,
 * no global state.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "patch.h"

struct line {
	const char *s;
	size_t n;			/* without "\n" and a trailing "\r" */
};

struct lines {
	struct line *v;
	size_t n;
};

struct msg {
	char *subject;
	int reply, qp;
	size_t first, end;		/* body: lines [first, end) */
};

struct ctx {
	char *err;
	size_t errlen;
	int failed;
};

static int fail(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->failed && c->errlen) {
		va_start(ap, fmt);
		vsnprintf(c->err, c->errlen, fmt, ap);
		va_end(ap);
	}
	c->failed = 1;
	return -1;
}

/* Grow *V (of *CAP elements of SIZE) to hold N + 1. */
static int grow(void **v, int *cap, int n, size_t size)
{
	void *p;
	int ncap;

	if (n < *cap)
		return 0;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap <= n || (size_t)ncap > ((size_t)-1) / 2 / size)
		return -1;
	p = realloc(*v, (size_t)ncap * size);
	if (!p)
		return -1;
	*v = p;
	*cap = ncap;
	return 0;
}

static int split_lines(const char *buf, size_t len, struct lines *out)
{
	size_t n = 0, i, start = 0;

	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	out->v = calloc(n + 1, sizeof(*out->v));
	if (!out->v)
		return -1;
	out->n = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && buf[i] != '\n')
			continue;
		if (i == len && start == len)
			break;
		out->v[out->n].s = buf + start;
		out->v[out->n].n = i - start;
		if (i > start && buf[i - 1] == '\r')
			out->v[out->n].n--;
		out->n++;
		start = i + 1;
	}
	return 0;
}

static int starts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->n >= n && !memcmp(l->s, prefix, n);
}

static int istarts(const struct line *l, const char *prefix)
{
	size_t n = strlen(prefix);

	return l->n >= n && !strncasecmp(l->s, prefix, n);
}

static int blank(const struct line *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (!isspace((unsigned char)l->s[i]))
			return 0;
	return 1;
}

/* "Re: " (any case), possibly repeated */
static size_t reply_prefix(const char *s, size_t n)
{
	size_t i = 0;

	while (n - i >= 3 && !strncasecmp(s + i, "re:", 3)) {
		i += 3;
		while (i < n && s[i] == ' ')
			i++;
	}
	return i;
}

/* A page's title line: "[PATCH ...] ..." or "Re: [PATCH ...] ...". */
static int title_line(const struct line *l)
{
	size_t i = reply_prefix(l->s, l->n), j;

	if (i >= l->n || l->s[i] != '[')
		return 0;
	for (j = i; j < l->n && l->s[j] != ']'; j++)
		if (l->n - j >= 5 && !strncasecmp(l->s + j, "PATCH", 5))
			return j + 1 < l->n && memchr(l->s + j, ']', l->n - j) != NULL;
	return 0;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && isspace((unsigned char)*s))
		s++, n--;
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	return patch_dupn(s, n);
}

static int new_msg(struct msg **v, int *n, int *cap, size_t first)
{
	if (grow((void **)v, cap, *n, sizeof(**v)))
		return -1;
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].first = first;
	(*v)[*n].end = first;
	(*n)++;
	return 0;
}

static int set_subject(struct msg *m, const char *s, size_t n)
{
	size_t r;

	free(m->subject);
	m->subject = trimmed(s, n);
	if (!m->subject)
		return -1;
	for (char *c = m->subject; *c; c++)	/* printed: no raw control bytes */
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	r = reply_prefix(m->subject, strlen(m->subject));
	m->reply = r > 0;
	return 0;
}

/* Cut the input into messages. */
static int split_messages(const struct lines *L, struct msg **out, int *nout)
{
	struct msg *v = NULL;
	int n = 0, cap = 0;
	size_t i = 0;

	if (new_msg(&v, &n, &cap, 0))
		goto oom;
	while (i < L->n) {
		const struct line *l = &L->v[i];

		if (starts(l, "From ") && (i == 0 || blank(&L->v[i - 1])) && i + 1 < L->n &&
		    memchr(L->v[i + 1].s, ':', L->v[i + 1].n) && !isspace((unsigned char)*L->v[i + 1].s)) {
			struct msg *m;

			v[n - 1].end = i;
			if (new_msg(&v, &n, &cap, i + 1))
				goto oom;
			m = &v[n - 1];
			/* headers, up to the first blank line */
			for (i++; i < L->n && !blank(&L->v[i]); i++) {
				const struct line *h = &L->v[i];

				if (istarts(h, "Subject:")) {
					size_t len = h->n - 8;
					char *s = patch_dupn(h->s + 8, len);

					while (s && i + 1 < L->n && L->v[i + 1].n &&
					       (L->v[i + 1].s[0] == ' ' || L->v[i + 1].s[0] == '\t')) {
						char *t;

						i++;
						t = realloc(s, len + L->v[i].n + 1);
						if (!t) {
							free(s);
							s = NULL;
							break;
						}
						s = t;
						memcpy(s + len, L->v[i].s, L->v[i].n);
						len += L->v[i].n;
						s[len] = 0;
					}
					if (!s || set_subject(m, s, len)) {
						free(s);
						goto oom;
					}
					free(s);
				} else if (istarts(h, "Content-Transfer-Encoding:")) {
					char *enc = trimmed(h->s + 26, h->n - 26);

					if (!enc)
						goto oom;
					m->qp = !strcasecmp(enc, "quoted-printable");
					free(enc);
				}
			}
			m->first = m->end = i;
			continue;
		}
		if (istarts(l, "Subject:") || title_line(l)) {
			size_t skip = istarts(l, "Subject:") ? 8 : 0;

			v[n - 1].end = i;
			if (new_msg(&v, &n, &cap, i + 1) || set_subject(&v[n - 1], l->s + skip, l->n - skip))
				goto oom;
		}
		i++;
	}
	v[n - 1].end = L->n;
	*out = v;
	*nout = n;
	return 0;
oom:
	for (int k = 0; k < n; k++)
		free(v[k].subject);
	free(v);
	return -1;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Quoted-printable LINES decoded into one malloc'ed text. */
static char *qp_decode(const struct line *l, size_t n, size_t *outlen)
{
	size_t size = 1, o = 0;
	char *out;

	for (size_t i = 0; i < n; i++)
		size += l[i].n + 1;
	out = malloc(size);
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		const char *s = l[i].s;
		size_t k = l[i].n;
		int soft = 0;

		while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
			k--;
		if (k && s[k - 1] == '=') {
			soft = 1;
			k--;
		}
		for (size_t j = 0; j < k; j++) {
			int hi, lo;

			if (s[j] == '=' && j + 2 < k &&
			    (hi = hexval((unsigned char)s[j + 1])) >= 0 &&
			    (lo = hexval((unsigned char)s[j + 2])) >= 0) {
				out[o++] = (char)(hi * 16 + lo);
				j += 2;
			} else {
				out[o++] = s[j];
			}
		}
		if (!soft)
			out[o++] = '\n';
	}
	out[o] = 0;
	*outlen = o;
	return out;
}

/* A file name of a "---"/"+++" line: up to a tab, "/dev/null" is NULL;
 * git quotes odd names ("a/caf\303\251.c"). */
static int file_name(const char *s, size_t n, char **out)
{
	size_t k = 0;

	if (n && s[0] == '"') {
		for (k = 1; k < n && s[k] != '"'; k++)
			k += s[k] == '\\';
		*out = k < n ? patch_name(s, k + 1) : NULL;
		return *out ? 0 : -1;
	}
	while (k < n && s[k] != '\t')
		k++;
	while (k && (s[k - 1] == ' ' || s[k - 1] == '\r'))
		k--;
	*out = NULL;
	if (k == 9 && !memcmp(s, "/dev/null", 9))
		return 0;
	if (!k)
		return -1;
	*out = patch_dupn(s, k);
	return *out ? 0 : -1;
}

static long number(const char **p, const char *end, int *ok)
{
	long v = 0;
	int any = 0;

	while (*p < end && isdigit((unsigned char)**p)) {
		if (v > 100000000)
			*ok = 0;
		else
			v = v * 10 + (**p - '0');
		(*p)++;
		any = 1;
	}
	if (!any)
		*ok = 0;
	return v;
}

/* "@@ -a[,b] +c[,d] @@" */
static int hunk_header(const struct line *l, struct patch_hunk *h)
{
	const char *p = l->s + 3, *end = l->s + l->n;
	int ok = 1;

	if (p >= end || *p++ != '-')
		return -1;
	h->old_start = number(&p, end, &ok);
	h->old_count = 1;
	if (p < end && *p == ',') {
		p++;
		h->old_count = number(&p, end, &ok);
	}
	if (p + 1 >= end || *p != ' ' || p[1] != '+')
		return -1;
	p += 2;
	h->new_start = number(&p, end, &ok);
	h->new_count = 1;
	if (p < end && *p == ',') {
		p++;
		h->new_count = number(&p, end, &ok);
	}
	if (!ok || end - p < 3 || memcmp(p, " @@", 3))
		return -1;
	h->header = trimmed(l->s, l->n);
	return h->header ? 0 : -1;
}

static void free_hunk(struct patch_hunk *h)
{
	for (int i = 0; i < h->nlines; i++)
		free(h->lines[i].text);
	free(h->lines);
	free(h->header);
}

static void free_file(struct patch_file *f)
{
	for (int i = 0; i < f->nhunks; i++)
		free_hunk(&f->hunks[i]);
	free(f->hunks);
	free(f->old_name);
	free(f->new_name);
}

static void free_patch(struct patch *p)
{
	for (int i = 0; i < p->nfiles; i++)
		free_file(&p->files[i]);
	free(p->files);
	free(p->subject);
}

/* A copy of L with each no-break space (U+00A0, from a web page) made a
 * blank: in a diff it stands for mangled indentation. */
static char *nbsp_to_space(const struct line *l)
{
	char *t = malloc(l->n + 1), *o = t;

	if (!t)
		return NULL;
	for (size_t i = 0; i < l->n; i++) {
		if ((unsigned char)l->s[i] == 0xc2 && i + 1 < l->n &&
		    (unsigned char)l->s[i + 1] == 0xa0) {
			*o++ = ' ';
			i++;
		} else if (l->s[i]) {
			*o++ = l->s[i];
		}
	}
	*o = 0;
	return t;
}

/* Read the hunk whose header is L[*i]; *I ends on its last line. */
static int read_hunk(struct ctx *c, const struct lines *L, size_t *i, struct patch_file *f,
		     const char *where)
{
	struct patch_hunk h;
	long old_rem, new_rem;
	int cap = 0, hcap = f->nhunks;
	size_t k = *i + 1;

	memset(&h, 0, sizeof(h));
	if (hunk_header(&L->v[*i], &h)) {
		free(h.header);
		/* lines are not NUL-terminated: print at most the line */
		return fail(c, "%s: line %zu: unreadable hunk header '%.*s'", where, *i + 1,
			    (int)(L->v[*i].n < 60 ? L->v[*i].n : 60), L->v[*i].s);
	}
	old_rem = h.old_count;
	new_rem = h.new_count;
	for (; k < L->n && (old_rem > 0 || new_rem > 0); k++) {
		char *text = nbsp_to_space(&L->v[k]);
		const struct line line = { text, text ? strlen(text) : 0 }, *l = &line;
		char op = l->n ? l->s[0] : ' ';
		size_t skip = 1;

		if (!text)
			goto oom;

		if (op == '\\') {
			if (h.nlines) {
				char last = h.lines[h.nlines - 1].op;

				h.old_no_eol |= last != '+';
				h.new_no_eol |= last != '-';
			}
			free(text);
			continue;
		}
		if (op != ' ' && op != '-' && op != '+') {
			/* a page ate the context line's leading blank */
			op = ' ';
			skip = 0;
			if (l->s[0] == '>' || !old_rem || !new_rem) {
				free(text);
				break;
			}
		}
		if (!l->n)
			skip = 0;
		if ((op != '+' && !old_rem) || (op != '-' && !new_rem)) {
			free(text);
			break;
		}
		if (grow((void **)&h.lines, &cap, h.nlines, sizeof(*h.lines))) {
			free(text);
			goto oom;
		}
		h.lines[h.nlines].op = op;
		memmove(text, text + skip, l->n - skip + 1);
		h.lines[h.nlines].text = text;
		h.nlines++;
		old_rem -= op != '+';
		new_rem -= op != '-';
	}
	if (old_rem > 0 || new_rem > 0) {
		fail(c, "%s: line %zu: hunk '%s' of %s ends early (%ld old and %ld new lines missing)",
		     where, *i + 1, h.header, f->new_name ? f->new_name : f->old_name ? f->old_name : "?",
		     old_rem, new_rem);
		free_hunk(&h);
		return -1;
	}
	if (k < L->n && starts(&L->v[k], "\\ ")) {
		char last = h.nlines ? h.lines[h.nlines - 1].op : ' ';

		h.old_no_eol |= last != '+';
		h.new_no_eol |= last != '-';
		k++;
	}
	if (grow((void **)&f->hunks, &hcap, f->nhunks, sizeof(*f->hunks)))
		goto oom;
	f->hunks[f->nhunks++] = h;
	*i = k - 1;
	return 0;
oom:
	free_hunk(&h);
	return fail(c, "out of memory");
}

static struct patch_file *add_file(struct patch *p)
{
	int cap = p->nfiles;

	if (grow((void **)&p->files, &cap, p->nfiles, sizeof(*p->files)))
		return NULL;
	memset(&p->files[p->nfiles], 0, sizeof(*p->files));
	return &p->files[p->nfiles++];
}

/* "diff --git a/X b/Y": the two names (X and Y may hold blanks, quoted). */
static int git_names(const struct line *l, struct patch_file *f)
{
	if (patch_git_names(l->s + 11, l->n - 11, &f->old_name, &f->new_name))
		return l->n > 11 && l->s[11] == '"' ? 1 : 0;	/* 1: unreadable */
	return 0;
}

/* "rename from X", "copy to Y" (git_header): the exact names. */
static int rename_line(const struct line *l, struct patch_file *f)
{
	static const char *const from[] = { "rename from ", "copy from ", NULL };
	static const char *const to[] = { "rename to ", "copy to ", NULL };

	for (int i = 0; from[i]; i++) {
		size_t k = strlen(from[i]), j = strlen(to[i]);

		if (starts(l, from[i])) {
			free(f->old_name);
			f->old_name = patch_header_name("a/", l->s + k, l->n - k);
			f->renamed = 1;
			return f->old_name ? 1 : -1;
		}
		if (starts(l, to[i])) {
			free(f->new_name);
			f->new_name = patch_header_name("b/", l->s + j, l->n - j);
			f->renamed = 1;
			return f->new_name ? 1 : -1;
		}
	}
	return 0;
}

/* The diffs of one message body into P. */
static int parse_body(struct ctx *c, const struct lines *L, size_t first, size_t end,
		      struct patch *p, const char *where)
{
	struct patch_file *f = NULL;
	int git_header = 0;		/* f came from "diff --git", no "---" yet */

	for (size_t i = first; i < end && i < L->n; i++) {
		const struct line *l = &L->v[i];

		int r;

		if (starts(l, "diff --git ")) {
			if (!(f = add_file(p)) || (r = git_names(l, f)) < 0)
				return fail(c, "out of memory");
			if (r)
				return fail(c, "%s: line %zu: unreadable file names", where, i + 1);
			git_header = 1;
		} else if (f && git_header && (r = rename_line(l, f))) {
			if (r < 0)
				return fail(c, "%s: line %zu: unreadable file name", where, i + 1);
		} else if (starts(l, "--- ") && i + 1 < end && starts(&L->v[i + 1], "+++ ") &&
			   i + 2 < end && starts(&L->v[i + 2], "@@ -")) {
			if (!f || !git_header || f->nhunks) {
				if (!(f = add_file(p)))
					return fail(c, "out of memory");
			}
			free(f->old_name);
			free(f->new_name);
			f->old_name = f->new_name = NULL;
			if (file_name(l->s + 4, l->n - 4, &f->old_name) ||
			    file_name(L->v[i + 1].s + 4, L->v[i + 1].n - 4, &f->new_name))
				return fail(c, "%s: line %zu: unreadable file names", where, i + 1);
			if (!f->old_name && !f->new_name)
				return fail(c, "%s: line %zu: a diff of /dev/null to /dev/null", where, i + 1);
			git_header = 0;
			i++;
		} else if (f && git_header && starts(l, "new file mode")) {
			free(f->old_name);
			f->old_name = NULL;
		} else if (f && git_header && starts(l, "deleted file mode")) {
			free(f->new_name);
			f->new_name = NULL;
		} else if (f && (starts(l, "GIT binary patch") || (starts(l, "Binary files ") && git_header))) {
			f->binary = 1;
		} else if (starts(l, "@@ -") && f && (f->nhunks || !git_header)) {
			if (read_hunk(c, L, &i, f, where))
				return -1;
		}
	}
	/* a "diff --git" with neither hunks nor binary data nor a rename (a
	   mode change) */
	for (int k = 0; k < p->nfiles; k++)
		if (!p->files[k].nhunks && !p->files[k].binary && !p->files[k].renamed) {
			free_file(&p->files[k]);
			memmove(&p->files[k], &p->files[k + 1], (p->nfiles - k - 1) * sizeof(*p->files));
			p->nfiles--;
			k--;
		}
	return 0;
}

/* "[PATCH v2 3/5]" -> version, num, total. */
static void subject_numbers(struct patch *p)
{
	const char *s = p->subject, *open, *close;

	p->version = 1;
	if (!s || !(open = strchr(s, '[')) || !(close = strchr(open, ']')))
		return;
	for (const char *q = open + 1; q < close; q++) {
		if ((*q == 'v' || *q == 'V') && isdigit((unsigned char)q[1]) &&
		    (q == open + 1 || q[-1] == ' ' || q[-1] == ','))
			p->version = atoi(q + 1) > 0 && atoi(q + 1) < 10000 ? atoi(q + 1) : 1;
		if (isdigit((unsigned char)*q) && (q[-1] == ' ' || q[-1] == '[')) {
			const char *slash = q;

			while (slash < close && isdigit((unsigned char)*slash))
				slash++;
			if (slash < close && *slash == '/' && isdigit((unsigned char)slash[1]) &&
			    slash - q < 6) {
				p->num = atoi(q);
				p->total = atoi(slash + 1) < 100000 ? atoi(slash + 1) : 0;
			}
		}
	}
}

static int by_number(const void *a, const void *b)
{
	const struct patch *x = a, *y = b;

	return x->num < y->num ? -1 : x->num > y->num;
}

/* Keep the newest version of a numbered series, once each, in order. */
static void order_series(struct patchset *ps)
{
	int maxv = 0, numbered = 0, k = 0;

	for (int i = 0; i < ps->n; i++)
		if (ps->v[i].num) {
			numbered = 1;
			if (ps->v[i].version > maxv)
				maxv = ps->v[i].version;
		}
	if (!numbered)
		return;
	for (int i = 0; i < ps->n; i++) {
		struct patch *p = &ps->v[i];
		int dup = 0;

		if (p->num && p->version < maxv) {
			ps->older_versions++;
			free_patch(p);
			continue;
		}
		for (int j = 0; j < k && p->num; j++)
			dup |= ps->v[j].num == p->num;
		if (dup) {
			ps->duplicates++;
			free_patch(p);
			continue;
		}
		ps->v[k++] = *p;
	}
	ps->n = k;
	/* insertion sort: stable, and n is small */
	for (int i = 1; i < ps->n; i++) {
		struct patch t = ps->v[i];
		int j = i;

		while (j > 0 && by_number(&ps->v[j - 1], &t) > 0) {
			ps->v[j] = ps->v[j - 1];
			j--;
		}
		ps->v[j] = t;
	}
}

int patch_parse(const char *buf, size_t len, struct patchset *out,
		char *err, size_t errlen)
{
	struct ctx c = { err, errlen, 0 };
	struct lines L = { 0 };
	struct msg *m = NULL;
	int nm = 0, cap = 0;

	memset(out, 0, sizeof(*out));
	if (errlen)
		err[0] = 0;
	if (split_lines(buf, len, &L) || split_messages(&L, &m, &nm)) {
		free(L.v);
		return fail(&c, "out of memory");
	}
	for (int i = 0; i < nm && !c.failed; i++) {
		struct patch p = { 0 };
		char where[80];
		struct lines QL = { 0 };
		char *decoded = NULL;
		const struct lines *body = &L;
		size_t first = m[i].first, end = m[i].end;
		int rc;

		snprintf(where, sizeof(where), "%.70s", m[i].subject ? m[i].subject : "diff");
		if (m[i].qp && end > first) {
			size_t dlen;

			decoded = qp_decode(L.v + first, end - first, &dlen);
			if (!decoded || split_lines(decoded, dlen, &QL)) {
				free(decoded);
				fail(&c, "out of memory");
				break;
			}
			body = &QL;
			first = 0;
			end = QL.n;
		}
		p.subject = m[i].subject;
		m[i].subject = NULL;
		if (m[i].reply) {
			/* a reply's own diffs are not the patch: count them */
			struct ctx quiet = { NULL, 0, 0 };

			parse_body(&quiet, body, first, end, &p, where);
			out->replies += p.nfiles > 0;
			free_patch(&p);
			free(QL.v);
			free(decoded);
			continue;
		}
		rc = parse_body(&c, body, first, end, &p, where);
		free(QL.v);
		free(decoded);
		if (rc || !p.nfiles) {
			free_patch(&p);
			continue;
		}
		subject_numbers(&p);
		if (grow((void **)&out->v, &cap, out->n, sizeof(*out->v))) {
			free_patch(&p);
			fail(&c, "out of memory");
			break;
		}
		out->v[out->n++] = p;
	}
	for (int i = 0; i < nm; i++)
		free(m[i].subject);
	free(m);
	free(L.v);
	if (!c.failed) {
		order_series(out);
		if (!out->n)
			fail(&c, out->replies ? "no patch found (only diffs in replies)" :
				 "no patch found (no unified diff hunk)");
	}
	if (c.failed) {
		patchset_free(out);
		return -1;
	}
	return 0;
}

void patchset_free(struct patchset *ps)
{
	for (int i = 0; i < ps->n; i++)
		free_patch(&ps->v[i]);
	free(ps->v);
	ps->v = NULL;
	ps->n = 0;
}

