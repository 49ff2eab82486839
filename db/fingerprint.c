/*
 * Fingerprints: what identifies a finding across runs and unrelated edits.
 * FNV-1a (64 bit) over rule, file, function, the statement with its
 * whitespace squeezed and the message without digits, each followed by a
 * NUL byte; printed as 16 lowercase hex digits.  No line number goes in,
 * so code moving up or down keeps the fingerprint.  db/README.md has the
 * full definition.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define FNV_OFFSET	0xcbf29ce484222325ULL
#define FNV_PRIME	0x100000001b3ULL

static uint64_t fnv(uint64_t h, const char *s)
{
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * FNV_PRIME;
	return (h ^ 0) * FNV_PRIME;
}

void mmdb_fingerprint(const char *rule, const char *file, const char *function,
		      const char *statement, const char *message, char out[17])
{
	uint64_t h = FNV_OFFSET;

	h = fnv(h, rule);
	h = fnv(h, file);
	h = fnv(h, function);
	h = fnv(h, statement);
	h = fnv(h, message);
	snprintf(out, 17, "%016llx", (unsigned long long)h);
}

/* The message without digits (line numbers, counts), blanks squeezed. */
char *mmdb_norm_message(const char *msg)
{
	char *out = malloc(strlen(msg) + 1), *o = out;

	if (!out)
		return NULL;
	for (; *msg; msg++) {
		if (isdigit((unsigned char)*msg))
			continue;
		if (isspace((unsigned char)*msg)) {
			if (o > out && o[-1] != ' ')
				*o++ = ' ';
			continue;
		}
		*o++ = *msg;
	}
	while (o > out && o[-1] == ' ')
		o--;
	*o = 0;
	return out;
}

static int is_word(int c)
{
	return isalnum(c) || c == '_';
}

/* Code with whitespace squeezed out: one blank is kept only between two
 * word characters ("return x", "unsigned long"), so re-indenting, re-
 * wrapping or re-spacing a statement does not change it. */
char *mmdb_norm_code(const char *text)
{
	char *out = malloc(strlen(text) + 1), *o = out;
	int blank = 0;

	if (!out)
		return NULL;
	for (; *text; text++) {
		unsigned char c = *text;

		if (isspace(c)) {
			blank = 1;
			continue;
		}
		if (blank && o > out && is_word((unsigned char)o[-1]) && is_word(c))
			*o++ = ' ';
		blank = 0;
		*o++ = c;
	}
	*o = 0;
	return out;
}
