/*
 * One finding's page of the HTML report (html.c): the finding, its rule
 * explained (the rules data's title, description and help), the path as
 * numbered steps, the source of the enclosing function with each step
 * marked on its line, the fingerprint and the command that triages it.
 * Long functions are shown around the steps only; notes in other files
 * (a header) get a few lines of their own.
 */
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "query.h"

#define CONTEXT		5	/* lines shown around a step in another file */
#define LONG_RANGE	400	/* longer: only WINDOW lines around each step */
#define WINDOW		12

struct step {
	const char *file, *message;
	int line, n;			/* 1-based; the finding is the last step */
	enum mmdb_step kind;
};

static const char *kind_class(enum mmdb_step k)
{
	static const char *const c[] = {
		[MMDB_STEP_OTHER] = "other", [MMDB_STEP_TAKEN] = "taken",
		[MMDB_STEP_DROPPED] = "dropped", [MMDB_STEP_LEARNED] = "learned",
		[MMDB_STEP_USED] = "used", [MMDB_STEP_FINDING] = "finding",
	};

	return c[k];
}

static void bubble(FILE *out, const struct step *s)
{
	fprintf(out, "<tr class=\"note k-%s\"><td><td><span class=\"num\">%d</span>"
		" <b>", kind_class(s->kind), s->n);
	mmdb_html_str(out, mmdb_step_name(s->kind));
	fputs(":</b> ", out);
	mmdb_html_str(out, s->message);
	putc('\n', out);
}

static int near_step(const struct step *st, int n, const char *file, int line, int w)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(st[i].file, file) && abs(st[i].line - line) <= w)
			return 1;
	return 0;
}

/* Lines FIRST..LAST of FILE (section SEC), the steps in it marked. */
static void listing(FILE *out, struct mmdb_src *src, const char *root, const char *file,
		    int first, int last, const struct step *st, int nst, int sec)
{
	int nlines, gap = 0;
	const char *const *lines = mmdb_src_lines(src, root, file, &nlines);
	int windowed = last - first > LONG_RANGE;

	fputs("<h3>", out);
	mmdb_html_str(out, file);
	fputs("</h3>\n", out);
	if (!lines) {
		fputs("<p class=\"nosrc\">The source is not available: ", out);
		mmdb_html_str(out, root);
		putc('/', out);
		mmdb_html_str(out, file);
		fputs(" could not be read (give <code>--root</code> the analysed tree).</p>\n", out);
		return;
	}
	if (first < 1)
		first = 1;
	if (last > nlines)
		last = nlines;
	fputs("<table class=\"src\">\n", out);
	for (int l = first; l <= last; l++) {
		int marked = near_step(st, nst, file, l, 0);

		if (windowed && !near_step(st, nst, file, l, WINDOW) && l != first) {
			gap++;
			continue;
		}
		if (gap)
			fprintf(out, "<tr class=\"gap\"><td><td>&#8942; %d lines not shown\n", gap);
		gap = 0;
		/* end tags left out (HTML allows it): a page is mostly these rows */
		if (marked)
			fprintf(out, "<tr id=\"s%dL%d\" class=\"mark\">", sec, l);
		else
			fputs("<tr>", out);
		fprintf(out, "<td>%d<td>", l);
		mmdb_html_str(out, lines[l - 1]);
		putc('\n', out);
		for (int i = 0; marked && i < nst; i++)
			if (st[i].line == l && !strcmp(st[i].file, file))
				bubble(out, &st[i]);
	}
	if (gap)
		fprintf(out, "<tr class=\"gap\"><td><td>&#8942; %d lines not shown\n", gap);
	fputs("</table>\n", out);
}

static void rule_text(FILE *out, const struct mmdb_row *r, const struct mmdb_html_opts *o)
{
	struct mmdb_rule_doc d = mmdb_rule_doc_of(o->docs, o->ndocs, r->rule);

	fputs("<section class=\"rule\"><h2>Rule <code>", out);
	mmdb_html_str(out, r->rule);
	fputs("</code>: ", out);
	mmdb_html_str(out, d.title);
	fputs("</h2>\n<p>", out);
	mmdb_html_str(out, d.about);
	fputs("</p>\n<p><b>What to do:</b> ", out);
	mmdb_html_str(out, d.help);
	fputs("</p></section>\n", out);
}

static void triage_commands(FILE *out, const struct mmdb_row *r, const struct mmdb_html_opts *o)
{
	static const char *const states[] = { "confirmed", "false-positive", "wont-fix" };

	fputs("<section><h2>Fingerprint and triage</h2>\n<p>Fingerprint <code>", out);
	mmdb_html_str(out, r->fingerprint);
	fputs("</code>; triage: <b>", out);
	mmdb_html_str(out, r->triage ? r->triage : "untriaged");
	fputs("</b>", out);
	if (r->triage_note) {
		fputs(" (", out);
		mmdb_html_str(out, r->triage_note);
		fputs(")", out);
	}
	fputs(".  To mark it (in every run):</p>\n<pre class=\"cmd\">", out);
	for (int i = 0; i < 3; i++) {
		fputs("mmlock db --db ", out);
		mmdb_html_str(out, o->db_path);
		fputs(" triage ", out);
		mmdb_html_str(out, r->fingerprint);
		fprintf(out, " %s --note '...'\n", states[i]);
	}
	fputs("</pre></section>\n", out);
}

int mmdb_html_page(FILE *out, const struct mmdb_row *r, struct mmdb_src *src,
		   const struct mmdb_html_opts *o)
{
	struct step *st = calloc(r->nnotes + 1, sizeof(*st));
	const char *root = o->root ? o->root : ".";
	int nst = r->nnotes + 1, first, last, sec = 0;

	if (!st)
		return -1;
	for (int i = 0; i < r->nnotes; i++)
		st[i] = (struct step){ r->notes[i].file, r->notes[i].message, r->notes[i].line,
				       i + 1, mmdb_step_kind(r->notes[i].message) };
	st[r->nnotes] = (struct step){ r->file, r->message, r->line, nst, MMDB_STEP_FINDING };

	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>", out);
	mmdb_html_str(out, r->rule);
	fputs(": ", out);
	mmdb_html_str(out, r->file);
	fprintf(out, ":%d</title>\n<link rel=\"stylesheet\" href=\"../../style.css\"></head>\n"
		"<body class=\"finding\">\n<p class=\"nav\"><a href=\"../../index.html\">&larr; all"
		" findings</a> &middot; finding %lld of run %lld</p>\n<h1 class=\"msg sev-", r->line,
		(long long)r->id, (long long)r->run);
	mmdb_html_str(out, r->severity);
	fputs("\">", out);
	mmdb_html_str(out, r->message);
	fputs("</h1>\n<p class=\"where\"><code>", out);
	mmdb_html_str(out, r->file);
	fprintf(out, ":%d:%d</code> in <code>", r->line, r->col);
	mmdb_html_str(out, r->function ? r->function : "(file scope)");
	fputs("</code> &middot; ", out);
	mmdb_html_str(out, r->severity);
	fputs(" from ", out);
	mmdb_html_str(out, r->engine);
	fputs(" &middot; rule <code>", out);
	mmdb_html_str(out, r->rule);
	fputs("</code></p>\n", out);
	rule_text(out, r, o);

	fputs("<section><h2>The path</h2>\n<ol class=\"steps\">\n", out);
	for (int i = 0; i < nst; i++) {
		fprintf(out, "<li class=\"k-%s\"><a href=\"#s%dL%d\">", kind_class(st[i].kind),
			strcmp(st[i].file, r->file) ? 1 + i : 0, st[i].line);
		mmdb_html_str(out, st[i].file);
		fprintf(out, ":%d</a> <b>", st[i].line);
		mmdb_html_str(out, mmdb_step_name(st[i].kind));
		fputs(":</b> ", out);
		mmdb_html_str(out, st[i].message);
		fputs("</li>\n", out);
	}
	fputs("</ol></section>\n<section><h2>Source</h2>\n", out);
	/* the finding's file: its function, stretched to the steps in it */
	mmdb_src_function_extent(src, root, r->file, r->line, &first, &last);
	for (int i = 0; i < nst; i++)
		if (!strcmp(st[i].file, r->file)) {
			first = st[i].line < first ? st[i].line : first;
			last = st[i].line > last ? st[i].line : last;
		}
	listing(out, src, root, r->file, first, last, st, nst, sec);
	/* other files: a few lines around each of their steps (section 1 + i) */
	for (int i = 0; i < r->nnotes; i++) {
		if (!strcmp(st[i].file, r->file))
			continue;
		listing(out, src, root, st[i].file, st[i].line - CONTEXT, st[i].line + CONTEXT,
			&st[i], 1, 1 + i);
	}
	fputs("</section>\n", out);
	triage_commands(out, r, o);
	fputs("</body></html>\n", out);
	free(st);
	return ferror(out) ? -1 : 0;
}
