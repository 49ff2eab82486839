/*
 * A run's queue in place order (file, line, column; findings at one
 * place as they came), exact repeats left out: the order its findings
 * are given their ids in (store.c), so that listing the run reads the
 * table in order instead of jumping about it (and its indexes grow at
 * the end).  The files, a few hundred, are ranked by name once; the
 * findings are then sorted by (rank, line, column) with a radix sort,
 * which is stable (the order they came in is kept among equals) and
 * never compares two names or touches the queue's entries again.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE		/* qsort_r */
#endif
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

struct key {
	uint64_t hash;			/* the finding's exact hash (repeats) */
	uint32_t rank, line, col;	/* the place: file rank, line, column */
	uint32_t at;			/* the finding's index in the queue */
};

/* Two files of the table ARG, by their dense ids, by name */
static int by_name(const void *a, const void *b, void *arg)
{
	const struct mmdb_strtab *ids = arg;

	return strcmp(mmdb_strtab_str(ids, *(const long *)a), mmdb_strtab_str(ids, *(const long *)b));
}

/* Each finding's key, its file ranked by name (files are interned: one
 * pointer a name).  -1 out of memory. */
static int make_keys(const struct prun *r, struct key *k)
{
	struct mmdb_strtab *ids = mmdb_strtab_new();	/* file -> dense id */
	const char *last = NULL;
	long *byname = NULL, n;
	uint32_t *rank = NULL, id = 0;
	int added, rc = -1;

	for (long i = 0; ids && i < r->n; i++) {
		const struct pfinding *p = &r->f[i];

		if (p->file != last) {
			long got = mmdb_strtab_id(ids, p->file, mmdb_istr_len(p->file), &added);

			if (got < 0)
				goto out;
			id = (uint32_t)got;
			last = p->file;
		}
		k[i] = (struct key){ p->hash, id, (uint32_t)p->line, (uint32_t)p->col, (uint32_t)i };
	}
	n = ids ? mmdb_strtab_count(ids) : 0;
	byname = malloc((n ? n : 1) * sizeof(*byname));
	rank = malloc((n ? n : 1) * sizeof(*rank));
	if (!ids || !byname || !rank)
		goto out;
	for (long i = 0; i < n; i++)
		byname[i] = i;
	qsort_r(byname, n, sizeof(*byname), by_name, ids);
	for (long i = 0; i < n; i++)
		rank[byname[i]] = (uint32_t)i;
	for (long i = 0; i < r->n; i++)
		k[i].rank = rank[k[i].rank];
	rc = 0;
out:
	free(byname);
	free(rank);
	mmdb_strtab_free(ids);
	return rc;
}

/* K[0..N) sorted, stably, by the 32-bit field at OFF, a byte at a time
 * from the lowest (a byte that is the same in every key is skipped);
 * TMP as big as K.  Returns the array that holds the result. */
static struct key *radix(struct key *k, struct key *tmp, long n, size_t off)
{
#define FIELD(x) (*(const uint32_t *)((const char *)(x) + off))
	for (int shift = 0; n && shift < 32; shift += 8) {
		long count[256] = { 0 }, sum = 0;
		struct key *t;

		for (long i = 0; i < n; i++)
			count[FIELD(&k[i]) >> shift & 255]++;
		if (count[FIELD(&k[0]) >> shift & 255] == n)
			continue;
		for (int d = 0; d < 256; d++) {
			long c = count[d];

			count[d] = sum;
			sum += c;
		}
		for (long i = 0; i < n; i++)
			tmp[count[FIELD(&k[i]) >> shift & 255]++] = k[i];
		t = k;
		k = tmp;
		tmp = t;
	}
	return k;
#undef FIELD
}

/* An exact repeat (at the same place): the strings are interned (equal
 * strings are equal pointers) or, the message, carry their hash. */
static int same(const struct pfinding *a, const struct pfinding *b)
{
	return a->hash == b->hash && a->rule == b->rule && mmdb_istr_eq(a->message, b->message) &&
	       a->severity == b->severity && a->engine == b->engine;
}

static int same_place(const struct key *a, const struct key *b)
{
	return a->rank == b->rank && a->line == b->line && a->col == b->col;
}

/*
 * The findings of one place, K[0..N), into ORDER from *KEPT on, each
 * exact repeat of one kept before it left out.  The kept ones go in a
 * hash set by their hash (*SET, *NSET slots, grown here: a place may
 * hold thousands of findings, and comparing each with every one kept
 * before it would not do).
 */
static int keep_place(const struct prun *r, const struct key *k, long n, long *order, long *kept,
		      long **set, long *nset)
{
	long size = 64, mask;

	if (n == 1) {
		order[(*kept)++] = k[0].at;
		return 0;
	}
	while (size < 2 * n)
		size *= 2;
	if (size > *nset) {
		long *grown = realloc(*set, size * sizeof(**set));

		if (!grown)
			return -1;
		*set = grown;
		*nset = size;
	}
	memset(*set, 0, size * sizeof(**set));
	mask = size - 1;
	for (long i = 0; i < n; i++) {
		long j = (long)(k[i].hash & (uint64_t)mask), c;

		/* c - 1: the kept one's index in K */
		for (; (c = (*set)[j]); j = (j + 1) & mask)
			if (k[c - 1].hash == k[i].hash && same(&r->f[k[c - 1].at], &r->f[k[i].at]))
				break;
		if (!c) {
			(*set)[j] = i + 1;
			order[(*kept)++] = k[i].at;
		}
	}
	return 0;
}

int mmdb_run_order(struct prun *r)
{
	long n = r->n ? r->n : 1, *order = NULL, *set = NULL, nset = 0, kept = 0;
	struct key *k = NULL, *tmp = NULL, *s;
	int rc = -1;

	if (r->order)
		return 0;
	if ((unsigned long)r->n > UINT32_MAX || !(k = malloc(n * sizeof(*k))) ||
	    !(tmp = malloc(n * sizeof(*tmp))) || !(order = malloc(n * sizeof(*order))) ||
	    make_keys(r, k))
		goto out;
	/* least significant first: column, line, file */
	s = radix(k, tmp, r->n, offsetof(struct key, col));
	s = radix(s, s == k ? tmp : k, r->n, offsetof(struct key, line));
	s = radix(s, s == k ? tmp : k, r->n, offsetof(struct key, rank));
	for (long i = 0, end; i < r->n; i = end) {
		for (end = i + 1; end < r->n && same_place(&s[i], &s[end]); end++)
			;
		if (keep_place(r, s + i, end - i, order, &kept, &set, &nset))
			goto out;
	}
	r->order = order;
	r->norder = kept;
	order = NULL;
	rc = 0;
out:
	free(order);
	free(set);
	free(k);
	free(tmp);
	return rc;
}
