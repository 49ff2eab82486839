/*
 * fuzz_patch: the patch/mbox reader (driver/patch/patch_parse.c) and the hunk
 * applier (driver/patch/patch_apply.c) on arbitrary input.
 *
 * Each input is given to patch_parse() as a patch, a series, an mbox or a
 * saved page.  Whatever it returns must be consistent (n > 0 patches on
 * success, a message on failure, hunks whose lines match their counts);
 * then every file's hunks are applied with patch_apply() to the "before"
 * text they describe (their context and removed lines, at their line
 * numbers) and to the input itself.
 *
 * libFuzzer: make fuzz; regression: tests/fuzz/run.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../driver/patch/patch.h"

/* The text F's hunks say the file had before: filler lines up to each
 * hunk's old_start, then its ' ' and '-' lines. */
static char *before_text(const struct patch_file *f, size_t *len)
{
	size_t cap = 1, n = 0;
	long line = 1;
	char *s;

	for (int h = 0; h < f->nhunks; h++) {
		cap += 2 * (f->hunks[h].old_start < 10000 ? f->hunks[h].old_start : 10000);
		for (int i = 0; i < f->hunks[h].nlines; i++)
			cap += strlen(f->hunks[h].lines[i].text) + 1;
	}
	s = malloc(cap);
	if (!s)
		abort();
	for (int h = 0; h < f->nhunks; h++) {
		const struct patch_hunk *hk = &f->hunks[h];

		for (; line < hk->old_start && line < 10000 && n + 2 < cap; line++) {
			s[n++] = '.';
			s[n++] = '\n';
		}
		for (int i = 0; i < hk->nlines; i++) {
			size_t k;

			if (hk->lines[i].op == '+')
				continue;
			k = strlen(hk->lines[i].text);
			memcpy(s + n, hk->lines[i].text, k);
			n += k;
			s[n++] = '\n';
			line++;
		}
	}
	*len = n;
	return s;
}

static void apply(const char *text, size_t len, const struct patch_file *f)
{
	char err[256], *out = NULL;
	size_t outlen = 0;
	int how = -1;

	err[0] = 0;
	if (patch_apply(text, len, f, &out, &outlen, &how, err, sizeof(err))) {
		if (!err[0] || out)
			abort();	/* a failure says why and returns nothing */
		return;
	}
	if (!out || (how != 0 && how != 1))
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct patchset ps;
	char err[256];

	memset(&ps, 0, sizeof(ps));
	err[0] = 0;
	if (patch_parse((const char *)data, size, &ps, err, sizeof(err))) {
		if (!err[0])
			abort();	/* a failure says why */
		patchset_free(&ps);
		return 0;
	}
	if (ps.n <= 0)
		abort();
	for (int p = 0; p < ps.n; p++) {
		for (int i = 0; i < ps.v[p].nfiles; i++) {
			const struct patch_file *f = &ps.v[p].files[i];
			size_t blen;
			char *b;

			(void)patch_file_path(f, 0);
			(void)patch_file_path(f, 1);
			(void)patch_file_source(f, 1);
			for (int h = 0; h < f->nhunks; h++) {
				long old = 0, new = 0;

				for (int l = 0; l < f->hunks[h].nlines; l++) {
					char op = f->hunks[h].lines[l].op;

					if (op != ' ' && op != '-' && op != '+')
						abort();
					old += op != '+';
					new += op != '-';
				}
				if (old != f->hunks[h].old_count || new != f->hunks[h].new_count)
					abort();	/* hunks are read by their counts */
			}
			if (f->binary)
				continue;
			b = before_text(f, &blen);
			apply(b, blen, f);
			free(b);
			if (size < 4096)	/* the fuzzy search is slow on large texts */
				apply((const char *)data, size, f);
		}
	}
	patchset_free(&ps);
	return 0;
}
