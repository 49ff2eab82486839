/*
 * Tallies for `stats`: per key (a rule, a file) the number of findings,
 * of distinct fingerprints, of distinct "others" (files of a rule, rules
 * of a file) and of distinct triaged fingerprints -- in one pass over the
 * rows instead of SQL's per-group DISTINCT sorts.  The (key, other) pairs
 * are few and go in a hash set; the (key, fingerprint) pairs are as many
 * as the rows, so they are kept in an array and counted once equal
 * fingerprints are grouped (one pass into buckets by their top bits: a
 * hash set that size misses the cache on every row, three times slower
 * on a million findings).
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct pairset {			/* set of (a, b) */
	uint64_t *a, *b;		/* a == 0: empty */
	long n, nslot;
};

struct fprow {				/* one row: its fingerprint and key */
	uint64_t fp;
	uint32_t key;
	uint32_t triaged;
};

struct mmdb_tally {
	struct mmdb_strtab *keys, *others;	/* dense ids (strtab.c) */
	struct mmdb_tally_row *rows;	/* by key id, until sorted */
	long rows_cap;
	struct pairset seen;		/* (key, other) */
	struct fprow *fps;
	long nfps, fps_cap;
	long last_key, last_other;	/* the pair added last: rows come in runs */
};

static uint64_t mix(uint64_t a, uint64_t b)
{
	uint64_t h = (a ^ (b * 0x9e3779b97f4a7c15ULL)) * 0xff51afd7ed558ccdULL;

	return h ^ (h >> 31);
}

/* Make room for N pairs in all (a power of two, at most half full). */
static int pair_grow(struct pairset *p, long n)
{
	long nslot = p->nslot ? p->nslot : 4096, i;

	while (n * 2 > nslot)
		nslot *= 2;
	if (nslot != p->nslot) {
		uint64_t *na = calloc(nslot, sizeof(uint64_t)), *nb = calloc(nslot, sizeof(uint64_t));

		if (!na || !nb) {
			free(na);
			free(nb);
			return -1;
		}
		for (long k = 0; k < p->nslot; k++) {
			if (!p->a[k])
				continue;
			for (i = mix(p->a[k], p->b[k]) & (nslot - 1); na[i]; i = (i + 1) & (nslot - 1))
				;
			na[i] = p->a[k];
			nb[i] = p->b[k];
		}
		free(p->a);
		free(p->b);
		p->a = na;
		p->b = nb;
		p->nslot = nslot;
	}
	return 0;
}

/* Add (A, B), A != 0; 1 if it was new, 0 if seen, -1 out of memory. */
static int pair_add(struct pairset *p, uint64_t a, uint64_t b)
{
	long mask, i;

	if ((p->n + 1) * 2 > p->nslot && pair_grow(p, p->n + 1))
		return -1;
	mask = p->nslot - 1;
	for (i = mix(a, b) & mask; p->a[i]; i = (i + 1) & mask)
		if (p->a[i] == a && p->b[i] == b)
			return 0;
	p->a[i] = a;
	p->b[i] = b;
	p->n++;
	return 1;
}

/* A fingerprint as a number: its 16 hex digits, else a hash of it. */
uint64_t mmdb_fp_value(const char *fp)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 16; i++) {
		char c = fp[i];

		if (c >= '0' && c <= '9')
			v = v << 4 | (uint64_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = v << 4 | (uint64_t)(c - 'a' + 10);
		else
			break;
	}
	return i == 16 && !fp[16] ? v : mmdb_hash_bytes(fp, strlen(fp));
}

/* ROWS: how many findings are coming, roughly (sizes the sets once). */
struct mmdb_tally *mmdb_tally_new(long rows)
{
	struct mmdb_tally *t = calloc(1, sizeof(struct mmdb_tally));

	if (t && rows > 0 && rows < (1L << 28)) {
		t->fps = malloc(rows * sizeof(*t->fps));
		t->fps_cap = t->fps ? rows : 0;
	}
	if (t) {
		t->last_key = -1;
		t->keys = mmdb_strtab_new();
		t->others = mmdb_strtab_new();
	}
	if (t && (!t->keys || !t->others)) {
		mmdb_tally_free(t);
		t = NULL;
	}
	return t;
}

int mmdb_tally_add(struct mmdb_tally *t, const char *key, uint64_t fp, const char *other,
		   int triaged)
{
	struct mmdb_tally_row *r;
	int added, n2 = 0;
	long k, o;

	/* the same key as the row before, most of the time */
	if (t->last_key >= 0 && !strcmp(mmdb_strtab_str(t->keys, t->last_key), key))
		k = t->last_key;
	else if ((k = mmdb_strtab_id(t->keys, key, strlen(key), &added)) < 0)
		return -1;
	else if (added) {
		if (k >= t->rows_cap) {
			long cap = t->rows_cap ? 2 * t->rows_cap : 64;

			r = realloc(t->rows, cap * sizeof(*r));
			if (!r)
				return -1;
			t->rows = r;
			t->rows_cap = cap;
		}
		memset(&t->rows[k], 0, sizeof(*r));
		t->rows[k].key = mmdb_strtab_str(t->keys, k);
	}
	if (k == t->last_key && t->last_other >= 0 &&
	    !strcmp(mmdb_strtab_str(t->others, t->last_other), other)) {
		o = t->last_other;
	} else {
		o = mmdb_strtab_id(t->others, other, strlen(other), &added);
		if (o < 0 || (n2 = pair_add(&t->seen, (uint64_t)k + 1, (uint64_t)o)) < 0)
			return -1;
	}
	t->last_key = k;
	t->last_other = o;
	if (t->nfps == t->fps_cap) {
		long cap = t->fps_cap ? 2 * t->fps_cap : 4096;
		struct fprow *f = realloc(t->fps, cap * sizeof(*f));

		if (!f)
			return -1;
		t->fps = f;
		t->fps_cap = cap;
	}
	t->fps[t->nfps++] = (struct fprow){ fp, (uint32_t)k, (uint32_t)!!triaged };
	r = &t->rows[k];
	r->findings++;
	r->others += n2;
	return 0;
}

static int by_fp(const void *a, const void *b)
{
	const struct fprow *x = a, *y = b;

	return x->fp != y->fp ? (x->fp < y->fp ? -1 : 1) : 0;
}

/* Put equal fingerprints next to each other: one pass into 65,536
 * buckets by the top 16 bits, then each (small) bucket sorted in place. */
static int group_by_fp(struct fprow *a, long n)
{
	struct fprow *tmp;
	long *start;

	if (n < 2)
		return 0;
	tmp = malloc(n * sizeof(*a));
	start = calloc(65537, sizeof(long));
	if (!tmp || !start) {
		free(tmp);
		free(start);
		return -1;
	}
	for (long i = 0; i < n; i++)
		start[(a[i].fp >> 48) + 1]++;
	for (long d = 0; d < 65536; d++)
		start[d + 1] += start[d];
	for (long i = 0; i < n; i++)
		tmp[start[a[i].fp >> 48]++] = a[i];
	/* start[d] is now the end of bucket d; a big one (fingerprints that
	 * are not hashes, given through the API) is sorted by qsort */
	for (long d = 0, from = 0; d < 65536; from = start[d++]) {
		if (start[d] - from > 32) {
			qsort(tmp + from, start[d] - from, sizeof(*tmp), by_fp);
			continue;
		}
		for (long i = from + 1; i < start[d]; i++) {
			struct fprow x = tmp[i];
			long j = i;

			for (; j > from && tmp[j - 1].fp > x.fp; j--)
				tmp[j] = tmp[j - 1];
			tmp[j] = x;
		}
	}
	memcpy(a, tmp, n * sizeof(*a));
	free(tmp);
	free(start);
	return 0;
}

static int by_key(const void *a, const void *b)
{
	const struct fprow *x = a, *y = b;

	return x->key != y->key ? (x->key < y->key ? -1 : 1) : (int)y->triaged - (int)x->triaged;
}

/* Distinct and triaged fingerprints per key: each fingerprint's rows
 * (adjacent once sorted), each key among them once. */
static int count_fingerprints(struct mmdb_tally *t)
{
	if (group_by_fp(t->fps, t->nfps))
		return -1;
	for (long i = 0, j; i < t->nfps; i = j) {
		for (j = i + 1; j < t->nfps && t->fps[j].fp == t->fps[i].fp; j++)
			;
		if (j - i > 1)
			qsort(t->fps + i, j - i, sizeof(*t->fps), by_key);
		for (long k = i; k < j; k++) {
			if (k > i && t->fps[k].key == t->fps[k - 1].key)
				continue;
			t->rows[t->fps[k].key].distinct++;
			t->rows[t->fps[k].key].triaged += t->fps[k].triaged;
		}
	}
	return 0;
}

static int by_count(const void *a, const void *b)
{
	const struct mmdb_tally_row *x = a, *y = b;

	if (x->findings != y->findings)
		return x->findings > y->findings ? -1 : 1;
	return strcmp(x->key, y->key);
}

long mmdb_tally_rows(struct mmdb_tally *t, const struct mmdb_tally_row **rows)
{
	long n = mmdb_strtab_count(t->keys);

	if (count_fingerprints(t))
		return -1;
	if (n)
		qsort(t->rows, n, sizeof(*t->rows), by_count);
	*rows = t->rows;
	return n;
}

void mmdb_tally_free(struct mmdb_tally *t)
{
	if (!t)
		return;
	mmdb_strtab_free(t->keys);
	mmdb_strtab_free(t->others);
	free(t->rows);
	free(t->seen.a);
	free(t->seen.b);
	free(t->fps);
	free(t);
}

/* One finding into the tallies of the run as a whole (T[0], one key ""),
 * by rule (T[1]) and by file (T[2]); a NULL tally is skipped. */
int mmdb_tally_finding(struct mmdb_tally *t[3], const char *rule, const char *file,
		       uint64_t fp, int triaged)
{
	return (t[0] && mmdb_tally_add(t[0], "", fp, "", triaged)) ||
	       (t[1] && mmdb_tally_add(t[1], rule, fp, file, triaged)) ||
	       (t[2] && mmdb_tally_add(t[2], file, fp, rule, triaged)) ? -1 : 0;
}
