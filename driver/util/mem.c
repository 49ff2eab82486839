/*
 * driver/util/mem.c: allocation that does not fail.  Out of memory is a
 * usage-class error: "mmlock CMD: out of memory" and exit 2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "util.h"

void *util_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p) {
		fprintf(stderr, "%s: out of memory\n", util_cmd);
		exit(2);
	}
	return p;
}

char *util_xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(util_xrealloc(NULL, n), s, n);
}

char *util_xmemdup(const char *buf, size_t len)
{
	char *p = util_xrealloc(NULL, len + 1);

	memcpy(p, buf, len);
	p[len] = '\0';
	return p;
}
