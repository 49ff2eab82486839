/*
 * `mmlock db html [FILTERS] OUTDIR`: a static HTML report of the selected
 * findings, for any browser, with no server and no network:
 *
 *   OUTDIR/index.html        the run, counts by rule, file and triage state,
 *                            and the findings (filters, sorting, pages of
 *                            200) drawn by a small script (html_assets.c)
 *   OUTDIR/findings.js       the findings as data for it (MM_F, MM_RULES)
 *   OUTDIR/style.css         the style of every page
 *   OUTDIR/f/K/ID.html       one page per finding (K = ID / 1000, so no
 *                            folder holds more than 1,000): html_page.c
 *
 * Sources are read from the analysed tree (opts->root) as the report is
 * written, each file once.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "internal.h"
#include "query.h"

extern const char mmdb_html_css[], mmdb_html_js[];

struct html {
	struct mmdb *db;
	const struct mmdb_html_opts *o;
	const char *dir;
	FILE *data;
	struct mmdb_src *src;
	long n;
	long long bytes;
	int64_t folder;			/* the f/K folder made last */
	char *path;
	size_t pathlen;
};

static int mkdir_p(const char *path)
{
	char *p = strdup(path), *s;
	int rc = 0;

	for (s = p + 1; p && *s && !rc; s++)
		if (*s == '/') {
			*s = 0;
			rc = mkdir(p, 0777) && errno != EEXIST;
			*s = '/';
		}
	if (p && !rc)
		rc = mkdir(p, 0777) && errno != EEXIST;
	free(p);
	return p ? -rc : -1;
}

static FILE *create(struct html *h, const char *name)
{
	FILE *f;

	snprintf(h->path, h->pathlen, "%s/%s", h->dir, name);
	f = fopen(h->path, "w");
	if (!f)
		mmdb_seterr(h->db, "%s: cannot write: %s", h->path, strerror(errno));
	return f;
}

static int finish(struct html *h, FILE *f)
{
	long long size;
	int bad = ferror(f);

	fflush(f);
	size = ftell(f);
	if (fclose(f) || bad)
		return mmdb_seterr(h->db, "%s: write error", h->path);
	h->bytes += size > 0 ? size : 0;
	return 0;
}

static int one(const struct mmdb_row *r, void *arg)
{
	struct html *h = arg;
	char name[64];
	FILE *f;

	fputs(h->n++ ? ",\n[" : "\n[", h->data);
	fprintf(h->data, "%lld, ", (long long)r->id);
	mmdb_json_str(h->data, r->rule);
	fputs(", ", h->data);
	mmdb_json_str(h->data, r->file);
	fprintf(h->data, ", %d, ", r->line);
	mmdb_json_str(h->data, r->function ? r->function : "");
	fputs(", ", h->data);
	mmdb_json_str(h->data, r->message);
	fputs(", ", h->data);
	mmdb_json_str(h->data, r->triage ? r->triage : "");
	fputs(", ", h->data);
	mmdb_json_str(h->data, r->engine);
	fputs(", ", h->data);
	mmdb_json_str(h->data, r->severity);
	fputs("]", h->data);

	if (r->id / 1000 != h->folder) {
		snprintf(name, sizeof(name), "%s/f/%lld", h->dir, (long long)(r->id / 1000));
		if (mkdir_p(name))
			return mmdb_seterr(h->db, "%s: cannot create: %s", name, strerror(errno));
		h->folder = r->id / 1000;
	}
	snprintf(name, sizeof(name), "f/%lld/%lld.html", (long long)(r->id / 1000),
		 (long long)r->id);
	f = create(h, name);
	if (!f)
		return -1;
	if (mmdb_html_page(f, r, h->src, h->o)) {
		fclose(f);
		return mmdb_seterr(h->db, "%s: write error", h->path);
	}
	return finish(h, f);
}

/* The run (or runs) the report covers, as a line of the index. */
static void run_line(struct html *h, FILE *out, const struct mmdb_filter *f)
{
	sqlite3_stmt *st;

	if (!f->run) {
		fputs("<p>Findings of every run in the database.</p>\n", out);
		return;
	}
	if (sqlite3_prepare_v2(h->db->h, "SELECT id, status, started, engines, kernel_version,"
			       " git_rev, source FROM runs WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
		return;
	sqlite3_bind_int64(st, 1, f->run);
	if (sqlite3_step(st) == SQLITE_ROW) {
		static const char *const label[] = {
			"Run", "status", "started", "engines", "kernel", "git", "from",
		};

		fputs("<p class=\"run\">", out);
		for (int i = 0; i < 7; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);

			if (!v)
				continue;
			fprintf(out, "%s%s <b>", i ? " &middot; " : "", label[i]);
			mmdb_html_str(out, v);
			fputs("</b>", out);
		}
		fputs("</p>\n", out);
	}
	sqlite3_finalize(st);
}

static int write_index(struct html *h, const struct mmdb_filter *f)
{
	FILE *out = create(h, "index.html");

	if (!out)
		return -1;
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<title>mmlock findings</title>\n<link rel=\"stylesheet\" href=\"style.css\">\n"
	      "<script src=\"findings.js\"></script>\n<script>\n", out);
	fputs(mmdb_html_js, out);
	fputs("</script></head>\n<body>\n<h1>mmlock: <span id=\"total\">", out);
	fprintf(out, "%ld</span> findings</h1>\n", h->n);
	run_line(h, out, f);
	fputs("<noscript><p>The counts and the list need JavaScript; each finding's page is"
	      " f/K/ID.html.</p></noscript>\n"
	      "<div class=\"tallies\"><div><h2>By rule</h2><table id=\"by-rule\"></table></div>\n"
	      "<div><h2>By triage state</h2><table id=\"by-triage\"></table></div>\n"
	      "<div><h2>By file</h2><table id=\"by-file\"></table></div></div>\n"
	      "<h2>Findings</h2>\n<div class=\"filters\">\n"
	      "<select id=\"f-rule\"><option value=\"\">every rule</option></select>\n"
	      "<input id=\"f-file\" placeholder=\"file contains\" size=\"24\">\n"
	      "<select id=\"f-tri\"><option value=\"\">any triage</option>"
	      "<option>untriaged</option><option>confirmed</option>"
	      "<option>false-positive</option><option>wont-fix</option></select>\n"
	      "<input id=\"f-q\" placeholder=\"message, function, engine\" size=\"28\">\n"
	      "<button id=\"clear\">clear</button> <button id=\"prev\">&larr;</button>"
	      " <button id=\"next\">&rarr;</button> <span id=\"shown\"></span></div>\n"
	      "<table id=\"list\"></table>\n</body></html>\n", out);
	return finish(h, out);
}

static int write_rules(struct html *h)
{
	fputs("\n];\nvar MM_RULES = {", h->data);
	for (int i = 0; i < h->o->ndocs; i++) {
		fputs(i ? ",\n" : "\n", h->data);
		mmdb_json_str(h->data, h->o->docs[i].id);
		fputs(": ", h->data);
		mmdb_json_str(h->data, h->o->docs[i].title);
	}
	fputs("\n};\n", h->data);
	return 0;
}

int mmdb_html(struct mmdb *db, const struct mmdb_filter *f, const struct mmdb_html_opts *o,
	      const char *outdir, struct mmdb_html_result *res)
{
	struct html h = { .db = db, .o = o, .dir = outdir, .folder = -1 };
	char where[1024] = "1";
	FILE *css;
	int rc;

	h.pathlen = strlen(outdir) + 64;
	h.path = malloc(h.pathlen);
	h.src = mmdb_src_new();
	if (!h.path || !h.src) {
		free(h.path);
		mmdb_src_free(h.src);
		return mmdb_seterr(db, "out of memory");
	}
	if (mkdir_p(outdir)) {
		rc = mmdb_seterr(db, "%s: cannot create: %s", outdir, strerror(errno));
		goto out;
	}
	rc = -1;
	css = create(&h, "style.css");
	if (!css)
		goto out;
	fputs(mmdb_html_css, css);
	if (finish(&h, css) || !(h.data = create(&h, "findings.js")))
		goto out;
	fputs("var MM_F = [", h.data);
	mmdb_filter_sql(f, where, sizeof(where));
	if (mmdb_read_begin(db))
		goto out;
	rc = mmdb_each_finding(db, where, 0, mmdb_filter_bind, f, one, &h);
	if (!rc) {
		write_rules(&h);
		snprintf(h.path, h.pathlen, "%s/findings.js", outdir);
		rc = finish(&h, h.data);
		h.data = NULL;
	}
	if (!rc)
		rc = write_index(&h, f);
	mmdb_read_end(db);
out:
	if (h.data)
		fclose(h.data);
	if (res)
		*res = (struct mmdb_html_result){ h.n, h.bytes };
	mmdb_src_free(h.src);
	free(h.path);
	return rc;
}
