/*
 * mmlock patch: what the patch introduces and fixes.  Findings of the two
 * sides are matched by fingerprint, as a multiset (two findings of one
 * rule on identical statements of one function share one): after minus
 * before is introduced, before minus after is fixed.  An introduced
 * finding whose fingerprint is marked false-positive or wont-fix in the
 * findings database (mmlock db triage) is listed but does not count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../../db/query.h"
#include "patch.h"
#include "../util/util.h"

static int by_fp(const void *a, const void *b)
{
	const struct patch_finding *x = *(struct patch_finding *const *)a, *y = *(struct patch_finding *const *)b;

	return strcmp(x->fp, y->fp);
}

static int by_place(const void *a, const void *b)
{
	const struct patch_finding *x = *(struct patch_finding *const *)a, *y = *(struct patch_finding *const *)b;
	int c = util_place_cmp(x->file, x->line, x->col, y->file, y->line, y->col);

	return c ? c : strcmp(x->rule, y->rule);
}

static struct patch_finding **sorted(struct patch_findings *fs)
{
	struct patch_finding **v = util_xrealloc(NULL, (fs->n + 1) * sizeof(*v));

	for (int i = 0; i < fs->n; i++)
		v[i] = &fs->v[i];
	qsort(v, fs->n, sizeof(*v), by_fp);
	return v;
}

/* The triage mark of FP in DB: "false-positive", ... or "" */
static void mark_of(struct mmdb *db, const char *fp, char *mark, size_t len)
{
	char *buf = NULL, *params[1] = { (char *)fp };
	size_t n = 0;
	FILE *f;

	mark[0] = 0;
	if (!db || !(f = open_memstream(&buf, &n)))
		return;
	if (!mmdb_sql(db, "SELECT status FROM triage WHERE fingerprint = ?1", params, 1,
		      MMDB_TSV, f)) {
		fclose(f);
		f = NULL;
		if (buf && strchr(buf, '\n'))
			snprintf(mark, len, "%.*s", (int)strcspn(strchr(buf, '\n') + 1, "\n"),
				 strchr(buf, '\n') + 1);
	}
	if (f)
		fclose(f);
	free(buf);
}

static void list(FILE *out, const char *title, struct patch_finding **v, int n)
{
	if (!n)
		return;
	qsort(v, n, sizeof(*v), by_place);
	fprintf(out, "%s (%d):\n", title, n);
	for (int i = 0; i < n; i++)
		fputs(v[i]->text, out);
}

int patch_report(const struct patch_report_opts *o, struct patch_findings *before,
		 struct patch_findings *after, FILE *out)
{
	struct patch_finding **b = sorted(before), **a = sorted(after);
	struct patch_finding **added = util_xrealloc(NULL, (after->n + 1) * sizeof(*added));
	struct patch_finding **fixed = util_xrealloc(NULL, (before->n + 1) * sizeof(*fixed));
	struct patch_finding **marked = util_xrealloc(NULL, (after->n + 1) * sizeof(*marked));
	int i = 0, j = 0, nadded = 0, nfixed = 0, nmarked = 0, same = 0;
	struct mmdb *db = NULL;
	char *dberr = NULL;

	if (o->db && (db = mmdb_open(o->db, MMDB_READONLY, &dberr)) == NULL)
		free(dberr);	/* no database yet: nothing is marked */
	while (i < after->n || j < before->n) {
		int c = i == after->n ? 1 : j == before->n ? -1 : strcmp(a[i]->fp, b[j]->fp);

		if (c == 0) {
			same++;
			i++;
			j++;
		} else if (c > 0) {
			fixed[nfixed++] = b[j++];
		} else {
			char mark[32];

			mark_of(db, a[i]->fp, mark, sizeof(mark));
			if (!strcmp(mark, "false-positive") || !strcmp(mark, "wont-fix"))
				marked[nmarked++] = a[i++];
			else
				added[nadded++] = a[i++];
		}
	}
	if (db)
		mmdb_close(db);
	list(out, "introduced by the patch", added, nadded);
	if (!o->quiet)
		list(out, "fixed by the patch", fixed, nfixed);
	if (nmarked) {
		qsort(marked, nmarked, sizeof(*marked), by_place);
		fprintf(out, "introduced, but marked false-positive or wont-fix in %s (%d):\n",
			o->db, nmarked);
		for (int k = 0; k < nmarked; k++)
			fprintf(out, "%.*s\n", (int)strcspn(marked[k]->text, "\n"), marked[k]->text);
	}
	fprintf(out, "mmlock patch: %d introduced, %d fixed, %d unchanged%s\n", nadded, nfixed, same,
		nmarked ? " (and some marked, not counted)" : "");
	if (nadded) {
		fprintf(out, "false positive? MMLOCK_DB=%s %s db triage %s false-positive --force",
			o->db ? o->db : "PATH", o->self, nadded == 1 ? added[0]->fp : "FINGERPRINT");
		for (int k = 0; nadded > 1 && k < nadded; k++)
			fprintf(out, "%s%s", k ? " " : "  (fingerprints in order: ", added[k]->fp);
		fprintf(out, "%s\n", nadded > 1 ? ")" : "");
	}
	free(a);
	free(b);
	free(added);
	free(fixed);
	free(marked);
	return nadded;
}
