/*
 * The source behind a finding, for its fingerprint: the C function that
 * encloses a line and the statement at that line.  Kernel style makes
 * this a matter of columns: a function body opens with '{' at column 0
 * below a header that starts at column 0 with "name(", and closes with
 * '}' at column 0.  Files are read once per import and kept, and so is
 * what was found at each line asked about.  The HTML
 * report reads the lines and a function's extent through here too.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define NBUCKETS	1024
#define MAX_FILE	(16 << 20)	/* larger files are not source */
#define MAX_CACHED	(256 << 20)
#define MAX_SCAN	20000		/* lines searched upwards for '{' */
#define MAX_STMT_LINES	8

struct located {			/* what mmdb_src_find() found at a line */
	char *function, *stmt;
	int done;
};

struct srcfile {
	char *path;
	char *text;			/* NULL: not readable */
	char **lines;
	int nlines;
	struct located *at;		/* by line, once asked (a header's line
					 * is asked by every unit including it) */
	struct srcfile *next;
};

struct mmdb_src {
	struct srcfile *bucket[NBUCKETS];
	size_t bytes;
	struct srcfile *last;		/* looked up last */
	char *path;			/* a buffer for the path looked up */
	size_t path_cap;
};

struct mmdb_src *mmdb_src_new(void)
{
	return calloc(1, sizeof(struct mmdb_src));
}

static void drop_all(struct mmdb_src *s)
{
	for (int i = 0; i < NBUCKETS; i++) {
		struct srcfile *f, *next;

		for (f = s->bucket[i]; f; f = next) {
			next = f->next;
			for (int l = 0; f->at && l < f->nlines; l++) {
				free(f->at[l].function);
				free(f->at[l].stmt);
			}
			free(f->at);
			free(f->path);
			free(f->text);
			free(f->lines);
			free(f);
		}
		s->bucket[i] = NULL;
	}
	s->bytes = 0;
	s->last = NULL;
}

void mmdb_src_free(struct mmdb_src *s)
{
	drop_all(s);
	free(s->path);
	free(s);
}

static void load(struct srcfile *f)
{
	FILE *fp = fopen(f->path, "rb");
	long size;
	char *p, *end;

	if (!fp)
		return;
	if (fseek(fp, 0, SEEK_END) || (size = ftell(fp)) < 0 || size > MAX_FILE ||
	    fseek(fp, 0, SEEK_SET))
		goto out;
	f->text = malloc(size + 1);
	if (!f->text || fread(f->text, 1, size, fp) != (size_t)size) {
		free(f->text);
		f->text = NULL;
		goto out;
	}
	f->text[size] = 0;
	/* the text ends at its first NUL; newlines are found with memchr(),
	 * many bytes at a time, not one by one (a source file is big) */
	end = f->text + strlen(f->text);
	for (p = f->text; (p = memchr(p, '\n', end - p)); p++)
		f->nlines++;
	f->lines = malloc((f->nlines + 1) * sizeof(char *));
	f->nlines = 0;
	for (p = f->text; *p;) {
		char *nl = memchr(p, '\n', end - p);

		f->lines[f->nlines++] = p;
		if (!nl)
			break;
		*nl = 0;
		if (nl > p && nl[-1] == '\r')
			nl[-1] = 0;
		p = nl + 1;
	}
out:
	fclose(fp);
}

/* The file ROOT/FILE (FILE when absolute), read on first use; NULL only
 * when out of memory. */
static struct srcfile *lookup(struct mmdb_src *s, const char *root, const char *file)
{
	size_t nr = strlen(root), nf = strlen(file), n = nr + nf + 2;
	unsigned h = 2166136261u;
	struct srcfile *f;

	if (n > s->path_cap) {
		char *p = realloc(s->path, n);

		if (!p)
			return NULL;
		s->path = p;
		s->path_cap = n;
	}
	if (file[0] == '/') {
		memcpy(s->path, file, nf + 1);
	} else {
		memcpy(s->path, root, nr);
		s->path[nr] = '/';
		memcpy(s->path + nr + 1, file, nf + 1);
	}
	if (s->last && !strcmp(s->last->path, s->path))
		return s->last;
	for (const char *c = s->path; *c; c++)
		h = (h ^ (unsigned char)*c) * 16777619u;
	h %= NBUCKETS;
	for (f = s->bucket[h]; f; f = f->next)
		if (!strcmp(f->path, s->path))
			return s->last = f;
	if (s->bytes > MAX_CACHED) {
		drop_all(s);
	}
	f = calloc(1, sizeof(*f));
	if (!f || !(f->path = strdup(s->path))) {
		free(f);
		return NULL;
	}
	s->last = f;
	load(f);
	s->bytes += f->text ? strlen(f->path) + f->nlines * sizeof(char *) : 0;
	for (int i = 0; f->text && i < f->nlines; i++)
		s->bytes += strlen(f->lines[i]) + 1;
	f->next = s->bucket[h];
	s->bucket[h] = f;
	return f;
}

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

/* The function name in header line L: the identifier before the first
 * '(' not followed by '*' (which would be a function-pointer type). */
static char *header_name(const char *l)
{
	for (const char *p = l; (p = strchr(p, '(')); p++) {
		const char *e = p, *b;

		if (p[1] == '*')
			continue;
		while (e > l && e[-1] == ' ')
			e--;
		for (b = e; b > l && is_ident((unsigned char)b[-1]); b--)
			;
		if (b == e || isdigit((unsigned char)*b))
			continue;
		/* SYSCALL_DEFINEn(name, ...) defines sys_name */
		if ((!strncmp(b, "SYSCALL_DEFINE", 14) || !strncmp(b, "COMPAT_SYSCALL_DEFINE", 21)) &&
		    isdigit((unsigned char)e[-1])) {
			const char *a = p + 1, *z;
			char *name;

			for (z = a; is_ident((unsigned char)*z); z++)
				;
			if (z > a && (name = malloc(z - a + 12))) {
				sprintf(name, "%s%.*s", *b == 'C' ? "compat_sys_" : "sys_",
					(int)(z - a), a);
				return name;
			}
		}
		return strndup(b, e - b);
	}
	return NULL;
}

/* Line I in a function's header (sparse reports there): the '{' below. */
static int header_brace(const struct srcfile *f, int i)
{
	if (!is_ident((unsigned char)f->lines[i][0]))
		return -1;
	for (int j = i + 1; j < f->nlines && j - i <= 16; j++) {
		const char *l = f->lines[j];

		if (l[0] == '{')
			return j;
		if (l[0] == '}' || l[0] == '#' || (l[0] && l[strlen(l) - 1] == ';'))
			return -1;
	}
	return -1;
}

/* The header line of the function enclosing line I (0-based), or -1 at
 * file scope; *BRACE its opening '{'. */
static int function_header(const struct srcfile *f, int i, int *brace)
{
	int b = header_brace(f, i);

	if (b > 0)
		i = b;
	for (int j = i; j >= 0 && i - j < MAX_SCAN; j--) {
		const char *l = f->lines[j];

		if (l[0] == '}' && j != i)
			return -1;		/* at file scope */
		if (l[0] != '{')
			continue;
		for (int k = j - 1; k >= 0 && j - k <= 16; k--) {
			const char *h = f->lines[k];

			if (h[0] == '}' || h[0] == '#' || (h[0] && h[strlen(h) - 1] == ';'))
				return -1;
			if (is_ident((unsigned char)h[0]) && strchr(h, '(')) {
				*brace = j;
				return k;
			}
		}
		return -1;
	}
	return -1;
}

static char *enclosing_function(const struct srcfile *f, int i)
{
	int brace, h = function_header(f, i, &brace);

	return h < 0 ? NULL : header_name(f->lines[h]);
}

/* Append line L to OUT without comments; *IN_COMMENT carries a block
 * comment over to the next line.  Returns the bracket depth change. */
static int append_code(char *out, const char *l, int *in_comment)
{
	size_t n = strlen(out);
	int depth = 0;
	char quote = 0;

	for (; *l; l++) {
		if (*in_comment) {
			if (l[0] == '*' && l[1] == '/')
				*in_comment = 0, l++;
			continue;
		}
		if (quote) {
			if (*l == '\\' && l[1])
				out[n++] = *l++;
			else if (*l == quote)
				quote = 0;
			out[n++] = *l;
			continue;
		}
		if (l[0] == '/' && l[1] == '*') {
			*in_comment = 1, l++;
			out[n++] = ' ';
			continue;
		}
		if (l[0] == '/' && l[1] == '/')
			break;
		if (*l == '"' || *l == '\'')
			quote = *l;
		depth += *l == '(' || *l == '[';
		depth -= *l == ')' || *l == ']';
		out[n++] = *l;
	}
	out[n++] = ' ';
	out[n] = 0;
	return depth;
}

/* The statement starting at line I: continued while brackets are open or
 * the line does not end a statement, at most MAX_STMT_LINES lines. */
static char *statement(const struct srcfile *f, int i)
{
	size_t size = 1;
	int depth = 0, in_comment = 0, k;
	char *buf, *norm;

	for (k = i; k < f->nlines && k < i + MAX_STMT_LINES; k++)
		size += strlen(f->lines[k]) + 2;
	buf = malloc(size);
	if (!buf)
		return NULL;
	buf[0] = 0;
	for (k = i; k < f->nlines && k < i + MAX_STMT_LINES; k++) {
		size_t n;

		depth += append_code(buf, f->lines[k], &in_comment);
		n = strlen(buf);
		while (n && isspace((unsigned char)buf[n - 1]))
			n--;
		if (depth <= 0 && n && strchr(";{}:", buf[n - 1]))
			break;
		if (depth <= 0 && !n && !in_comment)
			break;			/* a blank line */
	}
	norm = mmdb_norm_code(buf);
	free(buf);
	return norm;
}

int mmdb_src_find(struct mmdb_src *s, const char *root, const char *file, int line,
		  const char **function, const char **stmt)
{
	struct srcfile *f = lookup(s, root ? root : ".", file);
	struct located *at;

	*function = NULL;
	*stmt = NULL;
	if (!f || !f->text || line < 1 || line > f->nlines)
		return -1;
	if (!f->at && !(f->at = calloc(f->nlines, sizeof(*f->at))))
		return -1;
	at = &f->at[line - 1];
	if (!at->done) {
		at->function = enclosing_function(f, line - 1);
		at->stmt = statement(f, line - 1);
		at->done = 1;
		s->bytes += sizeof(*at) + (at->function ? strlen(at->function) + 1 : 0) +
			    (at->stmt ? strlen(at->stmt) + 1 : 0);
	}
	*function = at->function;
	*stmt = at->stmt;
	return at->stmt ? 0 : -1;
}

int mmdb_src_locate(struct mmdb_src *s, const char *root, const char *file,
		    int line, char **function, char **stmt)
{
	const char *fn, *st;
	int rc = mmdb_src_find(s, root, file, line, &fn, &st);

	*function = fn ? strdup(fn) : NULL;
	*stmt = st ? strdup(st) : NULL;
	return rc;
}

const char *const *mmdb_src_lines(struct mmdb_src *s, const char *root, const char *file,
				  int *nlines)
{
	struct srcfile *f = lookup(s, root ? root : ".", file);

	*nlines = f && f->text ? f->nlines : 0;
	return f && f->text ? (const char *const *)f->lines : NULL;
}

void mmdb_src_function_extent(struct mmdb_src *s, const char *root, const char *file,
			      int line, int *first, int *last)
{
	struct srcfile *f = lookup(s, root ? root : ".", file);
	int brace, h;

	*first = *last = line;
	if (!f || !f->text || line < 1 || line > f->nlines || (h = function_header(f, line - 1, &brace)) < 0)
		return;
	*first = h + 1;
	for (int j = brace + 1; j < f->nlines && j - brace < MAX_SCAN; j++)
		if (f->lines[j][0] == '}') {
			*last = j + 1;
			return;
		}
	*last = f->nlines;
}
