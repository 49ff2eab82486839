/*
 * A finding's path as stored (findings.path): its notes in order, as JSON
 * text, [[file, line, col, message], ...], file and message ids of the
 * texts table (texts.c); no notes, no path (NULL).  Written with the
 * finding's row (store.c), read with it (select.c): a finding and its
 * notes are one row, one B-tree insert and one column read.
 */
#include <stdlib.h>
#include "internal.h"

/* Bytes mmdb_path_write() needs at most for N notes: four numbers of up
 * to 20 characters, their brackets and commas. */
size_t mmdb_path_max(int n)
{
	return 2 + (size_t)n * (4 * 20 + 6);
}

static char *num(char *p, int64_t v)
{
	char buf[24], *q = buf + sizeof(buf);
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;

	do
		*--q = '0' + u % 10;
	while (u /= 10);
	if (v < 0)
		*--q = '-';
	while (q < buf + sizeof(buf))
		*p++ = *q++;
	return p;
}

/* The path of the N notes at NOTES into OUT (mmdb_path_max(N) bytes),
 * their strings' texts ids looked up (added) in T; its length, or -1 on
 * an error (the SQLite code in *RC). */
long mmdb_path_write(char *out, const struct pnote *notes, int n, struct mmdb_texts *t, int *rc)
{
	char *p = out;

	*p++ = '[';
	for (int i = 0; i < n; i++) {
		int64_t file = mmdb_texts_id(t, notes[i].file, rc);
		int64_t msg = file ? mmdb_texts_id(t, notes[i].message, rc) : 0;

		if (!msg)
			return -1;
		if (i)
			*p++ = ',';
		*p++ = '[';
		p = num(p, file);
		*p++ = ',';
		p = num(p, notes[i].line);
		*p++ = ',';
		p = num(p, notes[i].col);
		*p++ = ',';
		p = num(p, msg);
		*p++ = ']';
	}
	*p++ = ']';
	return p - out;
}

/* Past the blanks at P: JSON's four, and any other control byte. */
static inline const char *blanks(const char *p, const char *end)
{
	while (p < end && (unsigned char)*p <= ' ')
		p++;
	return p;
}

/* The integer at P (blanks before it skipped), into *V: past it, or NULL
 * when there is none. */
static inline const char *read_num(const char *p, const char *end, int64_t *v)
{
	uint64_t u = 0;
	int neg;

	p = blanks(p, end);
	neg = p < end && *p == '-';
	p += neg;
	if (p == end || (unsigned)(*p - '0') > 9)
		return NULL;
	while (p < end && (unsigned)(*p - '0') <= 9)
		u = u * 10 + (uint64_t)(*p++ - '0');
	*v = neg ? -(int64_t)u : (int64_t)u;
	return p;
}

/* Past C at P (blanks before it skipped), or NULL when it is not there. */
static inline const char *past(const char *p, const char *end, char c)
{
	p = blanks(p, end);
	return p < end && *p == c ? p + 1 : NULL;
}

/* R's notes from the path S (LEN bytes; NULL: none), their strings the
 * texts' (T).  -1 when S is not a path, names a text that is not there
 * or cannot be read, or out of memory. */
int mmdb_path_read(struct mmdb_row *r, const char *s, int len, struct mmdb_texts *t)
{
	const char *p, *end;

	r->nnotes = 0;
	if (!s)
		return 0;
	end = s + len;
	if (!(p = past(s, end, '[')))
		return -1;
	if (past(p, end, ']'))
		return blanks(past(p, end, ']'), end) == end ? 0 : -1;
	for (;;) {
		struct mmdb_note *n;
		int64_t v[4];

		if (!(p = past(p, end, '[')))
			return -1;
		for (int k = 0; k < 4; k++)
			if (!(p = read_num(p, end, &v[k])) || !(p = past(p, end, k < 3 ? ',' : ']')))
				return -1;
		if (r->nnotes == r->cap) {
			int cap = r->cap ? 2 * r->cap : 8;

			if (!(n = realloc(r->notes, cap * sizeof(*n))))
				return -1;
			r->notes = n;
			r->cap = cap;
		}
		n = &r->notes[r->nnotes++];
		n->file = mmdb_texts_str(t, v[0]);
		n->line = (int)v[1];
		n->col = (int)v[2];
		n->message = mmdb_texts_str(t, v[3]);
		if (!n->file || !n->message)
			return -1;
		if ((s = past(p, end, ']')))
			return blanks(s, end) == end ? 0 : -1;
		if (!(p = past(p, end, ',')))
			return -1;
	}
}
