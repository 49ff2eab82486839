/*
 * String interning for value keys.  Keys are compared as integers on the
 * analysis' hot path; the table lives for one translation unit.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "intern.h"

static char **strs;		/* key -> string; strs[0] unused */
static int nstrs, capstrs;
static int *slots;		/* open addressing: slot -> key */
static int nslots;

static unsigned hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void rehash(void)
{
	int n = nslots ? nslots * 2 : 1024;

	free(slots);
	slots = (int *)calloc(n, sizeof(int));
	nslots = n;
	for (int k = 1; k < nstrs; k++) {
		unsigned i = hash(strs[k]) & (n - 1);

		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = k;
	}
}

int key_intern(const char *s)
{
	unsigned i;

	if (!s)
		return 0;
	if (!nstrs)
		nstrs = 1;
	if ((nstrs + 1) * 2 > nslots)
		rehash();
	for (i = hash(s) & (nslots - 1); slots[i]; i = (i + 1) & (nslots - 1))
		if (!strcmp(strs[slots[i]], s))
			return slots[i];
	if (nstrs >= capstrs) {
		capstrs = capstrs ? capstrs * 2 : 1024;
		strs = (char **)realloc(strs, capstrs * sizeof(char *));
	}
	strs[nstrs] = strdup(s);
	slots[i] = nstrs;
	return nstrs++;
}

const char *key_str(int key)
{
	return key > 0 && key < nstrs ? strs[key] : "";
}

int key_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return key_intern(buf);
}

void key_reset(void)
{
	for (int k = 1; k < nstrs; k++)
		free(strs[k]);
	free(strs);
	free(slots);
	strs = NULL;
	slots = NULL;
	nstrs = capstrs = nslots = 0;
}
