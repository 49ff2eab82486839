/*
 * Interned strings: each distinct string stored once, in big blocks,
 * with a dense id (0, 1, ...), its length and its hash kept beside it.  A
 * run being written keeps its findings' rules, files, functions, engines,
 * messages and notes here (a million findings name a few hundred files
 * and a handful of rules), so that equal strings are equal pointers
 * (messages, seldom equal, are only copied beside them); the tallies of
 * `stats` number their keys with it.  Memory from
 * mmdb_strtab_alloc() lives as long as the table.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define BLOCK		(1 << 20)

struct istr {
	uint64_t hash;
	int64_t dbid;			/* its id in the texts table, 0: none yet */
	uint32_t len;
	char s[];
};

struct block {
	struct block *next;
	size_t used, size;
	char mem[];
};

struct mmdb_strtab {
	struct istr **str;		/* by id */
	long n, cap;
	long *slot;			/* id + 1, 0 empty; a power of two */
	long nslot;
	struct block *blocks;
};

static const struct istr *istr_of(const char *s)
{
	return (const struct istr *)(s - offsetof(struct istr, s));
}

size_t mmdb_istr_len(const char *s)
{
	return istr_of(s)->len;
}

uint64_t mmdb_istr_hash(const char *s)
{
	return istr_of(s)->hash;
}

int64_t mmdb_istr_dbid(const char *s)
{
	return istr_of(s)->dbid;
}

void mmdb_istr_set_dbid(const char *s, int64_t id)
{
	((struct istr *)(s - offsetof(struct istr, s)))->dbid = id;
}

/* Forget every string's texts id (a transaction that gave them rolled back). */
void mmdb_strtab_forget_dbids(struct mmdb_strtab *t)
{
	for (long i = 0; i < t->n; i++)
		t->str[i]->dbid = 0;
}

uint64_t mmdb_hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 0x100000001b3ULL;
	return h;
}

struct mmdb_strtab *mmdb_strtab_new(void)
{
	return calloc(1, sizeof(struct mmdb_strtab));
}

void *mmdb_strtab_alloc(struct mmdb_strtab *t, size_t n)
{
	struct block *b = t->blocks;
	void *p;

	n = (n + 7) & ~(size_t)7;
	if (!b || b->used + n > b->size) {
		size_t size = n > BLOCK / 4 ? n : BLOCK;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->used = 0;
		b->size = size;
		/* a big one-off allocation goes behind the current block */
		if (size > BLOCK && t->blocks) {
			b->next = t->blocks->next;
			t->blocks->next = b;
		} else {
			b->next = t->blocks;
			t->blocks = b;
		}
	}
	p = b->mem + b->used;
	b->used += n;
	return p;
}

static int grow(struct mmdb_strtab *t)
{
	long nslot = t->nslot ? t->nslot * 2 : 256, i;
	long *slot;

	if (t->n == t->cap) {
		long cap = t->cap ? t->cap * 2 : 64;
		struct istr **s = realloc(t->str, cap * sizeof(*s));

		if (!s)
			return -1;
		t->str = s;
		t->cap = cap;
	}
	if ((t->n + 1) * 2 <= t->nslot)
		return 0;
	slot = calloc(nslot, sizeof(long));
	if (!slot)
		return -1;
	for (long k = 0; k < t->n; k++) {
		for (i = t->str[k]->hash & (nslot - 1); slot[i]; i = (i + 1) & (nslot - 1))
			;
		slot[i] = k + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return 0;
}

static struct istr *make(struct mmdb_strtab *t, const char *s, size_t len, uint64_t h)
{
	struct istr *is = mmdb_strtab_alloc(t, sizeof(*is) + len + 1);

	if (!is)
		return NULL;
	is->hash = h;
	is->dbid = 0;
	is->len = (uint32_t)len;
	memcpy(is->s, s, len);
	is->s[len] = 0;
	return is;
}

/* S kept beside the interned strings, with its length and hash, but not
 * interned: for strings that are seldom equal (a finding's message). */
const char *mmdb_strtab_copy(struct mmdb_strtab *t, const char *s)
{
	size_t len = strlen(s);
	struct istr *is = make(t, s, len, mmdb_hash_bytes(s, len));

	return is ? is->s : NULL;
}

/* Two strings of the table, interned or copied: equal? */
int mmdb_istr_eq(const char *a, const char *b)
{
	const struct istr *x = istr_of(a), *y = istr_of(b);

	return a == b || (x->hash == y->hash && x->len == y->len && !memcmp(a, b, x->len));
}

long mmdb_strtab_id(struct mmdb_strtab *t, const char *s, size_t len, int *added)
{
	uint64_t h = mmdb_hash_bytes(s, len);
	struct istr *is;
	long i;

	*added = 0;
	if (grow(t))
		return -1;
	for (i = h & (t->nslot - 1); t->slot[i]; i = (i + 1) & (t->nslot - 1)) {
		is = t->str[t->slot[i] - 1];
		if (is->hash == h && is->len == len && !memcmp(is->s, s, len))
			return t->slot[i] - 1;
	}
	is = make(t, s, len, h);
	if (!is)
		return -1;
	t->str[t->n] = is;
	t->slot[i] = ++t->n;
	*added = 1;
	return t->n - 1;
}

const char *mmdb_strtab_str(const struct mmdb_strtab *t, long id)
{
	return t->str[id]->s;
}

const char *mmdb_intern(struct mmdb_strtab *t, const char *s)
{
	int added;
	long id = mmdb_strtab_id(t, s, strlen(s), &added);

	return id < 0 ? NULL : t->str[id]->s;
}

long mmdb_strtab_count(const struct mmdb_strtab *t)
{
	return t->n;
}

void mmdb_strtab_free(struct mmdb_strtab *t)
{
	struct block *b, *next;

	if (!t)
		return;
	for (b = t->blocks; b; b = next) {
		next = b->next;
		free(b);
	}
	free(t->str);
	free(t->slot);
	free(t);
}
