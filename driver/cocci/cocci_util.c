/*
 * Small helpers of the mmlock cocci driver: allocation that does not
 * fail (out of memory is a usage-class error, exit 2), and reading a file
 * whole.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "cocci.h"

/* Order of two places FILE:LINE:COL (findings are printed in it). */
int cocci_place_cmp(const char *fa, int la, int ca, const char *fb, int lb, int cb)
{
	int c = strcmp(fa, fb);

	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return ca < cb ? -1 : ca > cb;
}

void *cocci_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "mmlock cocci: out of memory\n");
		exit(2);
	}
	return p;
}

char *cocci_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(cocci_xrealloc(NULL, n), s, n);
}

char *cocci_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0, r;

	if (!f)
		return NULL;
	do {
		if (cap - n < 65536) {
			cap = cap ? cap * 2 : 65536;
			buf = cocci_xrealloc(buf, cap + 1);
		}
		r = fread(buf + n, 1, cap - n, f);
		n += r;
	} while (r > 0);
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}
