/*
 * Reading what spatch printed.
 *
 * stdout: the .cocci scripts print each finding in the common format,
 *   FILE:LINE:COL: warning: MESSAGE [mmlock:RULE]
 *   FILE:LINE:COL: note: ...            (zero or more, belonging to it)
 * Findings are kept whole, de-duplicated and printed sorted by place.
 *
 * stderr: spatch says "HANDLING: FILE" before each file; a part it could
 * not parse follows as "parse error" with the offending lines ("bad:" and
 * "BAD:!!!!!" lines, found again in the file to get their numbers); a file
 * it gave up on as "EXN: <exception> in FILE" (a timeout among them).
 * Each becomes one "FILE: not analysed: ..." line, printed once per file
 * and problem on stderr: a file is never dropped silently.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "../util/util.h"
#include "cocci.h"

static void add_finding(struct cocci_report *rep, const char *text, size_t n)
{
	struct cocci_finding *f;
	const char *p;
	char *end;

	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 64;
		rep->v = util_xrealloc(rep->v, rep->cap * sizeof(*rep->v));
	}
	f = &rep->v[rep->n++];
	f->text = util_xmemdup(text, n);
	/* FILE:LINE:COL: -- FILE may itself hold ':' */
	p = strstr(f->text, ": warning: ");
	f->file = util_xstrdup(f->text);
	f->line = f->col = 0;
	if (p) {
		char *q = f->file + (p - f->text), *c2, *c1;

		*q = '\0';
		c2 = strrchr(f->file, ':');
		if (c2) {
			*c2 = '\0';
			c1 = strrchr(f->file, ':');
			if (c1) {
				*c1 = '\0';
				f->line = strtol(c1 + 1, &end, 10);
				f->col = strtol(c2 + 1, &end, 10);
			}
		}
	}
}

static int is_diag(const char *line, size_t n, const char *kind)
{
	const char *k = strstr(line, kind);

	return k && (size_t)(k - line) < n;
}

void cocci_parse_stdout(struct cocci_report *rep, const char *buf)
{
	const char *line = buf, *start = NULL;

	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t n = nl ? (size_t)(nl - line) : strlen(line);

		if (is_diag(line, n, ": warning: ") && is_diag(line, n, "[mmlock:")) {
			if (start)
				add_finding(rep, start, line - start - 1);
			start = line;
		} else if (!(start && is_diag(line, n, ": note: "))) {
			if (start)
				add_finding(rep, start, line - start - 1);
			start = NULL;
		}
		line = nl ? nl + 1 : line + n;
	}
	if (start) {
		size_t n = strlen(start);

		while (n && start[n - 1] == '\n')
			n--;
		add_finding(rep, start, n);
	}
}

void cocci_add_bad(struct cocci_report *rep, const char *file, const char *msg)
{
	char *line;

	for (int i = 0; i < rep->nbad; i++)
		if (!strcmp(rep->badfile[i], file) &&
		    !strcmp(rep->bad[i] + strlen(file) + 2, msg))
			return;
	if (rep->nbad == rep->badcap) {
		rep->badcap = rep->badcap ? rep->badcap * 2 : 16;
		rep->bad = util_xrealloc(rep->bad, rep->badcap * sizeof(char *));
		rep->badfile = util_xrealloc(rep->badfile,
					      rep->badcap * sizeof(char *));
	}
	line = util_xrealloc(NULL, strlen(file) + strlen(msg) + 3);
	sprintf(line, "%s: %s", file, msg);
	rep->bad[rep->nbad] = line;
	rep->badfile[rep->nbad++] = util_xstrdup(file);
}

/*
 * The lines spatch showed for a parse error, found in the file: sets the
 * first and last line of the region and the line of the error proper.
 */
static int locate(const char *file, char **lines, int n, int badidx,
		  long *first, long *last, long *at)
{
	size_t len;
	char *text = util_read_file(file, &len);
	char **fl = NULL;
	int nfl = 0, found = 0;

	if (!text)
		return 0;
	for (char *p = text; *p; ) {
		char *nl = strchr(p, '\n');

		fl = util_xrealloc(fl, (nfl + 1) * sizeof(char *));
		fl[nfl++] = p;
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	for (int k = 0; k + n <= nfl && !found; k++) {
		int j;

		for (j = 0; j < n; j++)
			if (strcmp(fl[k + j], lines[j]))
				break;
		if (j == n) {
			found = 1;
			*first = k + 1;
			*last = k + n;
			*at = k + 1 + badidx;
		}
	}
	free(fl);
	free(text);
	return found;
}

/* The "bad:" block after "parse error" for file, from *pp on. */
static void parse_error(struct cocci_report *rep, const char *file,
			const char **pp)
{
	const char *p = *pp;
	char **lines = NULL, msg[256];
	int n = 0, badidx = 0;
	long first = 0, last = 0, at = 0;

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *body = NULL;

		if (!strncmp(p, "bad:", 4))
			body = p + 4;
		else if (!strncmp(p, "BAD:!!!!!", 9)) {
			body = p + 9;
			badidx = n;
		} else if (n || !strncmp(p, "HANDLING:", 9) ||
			   !strncmp(p, "EXN:", 4) || !strncmp(p, "parse error", 11))
			break;
		if (body) {
			size_t bl = len - (body - p);
			char *s;

			if (bl && *body == ' ') {	/* spatch's separator */
				body++;
				bl--;
			}
			s = util_xrealloc(NULL, bl + 1);
			memcpy(s, body, bl);
			s[bl] = '\0';
			lines = util_xrealloc(lines, (n + 1) * sizeof(char *));
			lines[n++] = s;
		}
		p = nl ? nl + 1 : p + len;
	}
	*pp = p;
	if (n && locate(file, lines, n, badidx, &first, &last, &at))
		snprintf(msg, sizeof(msg),
			 "not analysed: lines %ld-%ld (parse error at line %ld)",
			 first, last, at);
	else
		snprintf(msg, sizeof(msg),
			 "not analysed: part of the file (parse error; see spatch --parse-c %s)",
			 file);
	cocci_add_bad(rep, file, msg);
	for (int i = 0; i < n; i++)
		free(lines[i]);
	free(lines);
}

void cocci_parse_stderr(struct cocci_report *rep, const char *buf,
			const char *rule, int timeout)
{
	const char *p = buf;
	char file[4096] = "";

	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		const char *next = nl ? nl + 1 : p + len;

		if (!strncmp(p, "HANDLING: ", 10)) {
			size_t fl = len - 10 < sizeof(file) - 1 ? len - 10 : sizeof(file) - 1;

			memcpy(file, p + 10, fl);
			file[fl] = '\0';
		} else if (!strncmp(p, "parse error", 11) && file[0]) {
			parse_error(rep, file, &next);
		} else if (!strncmp(p, "EXN: ", 5)) {
			const char *in = strstr(p, " in ");
			char exn[256], where[4096], msg[512];
			size_t el = in && in < p + len ? (size_t)(in - p - 5) : len - 5;

			snprintf(exn, sizeof(exn), "%.*s", (int)el, p + 5);
			if (in && in < p + len)
				snprintf(where, sizeof(where), "%.*s",
					 (int)(p + len - in - 4), in + 4);
			else
				snprintf(where, sizeof(where), "%s", file);
			if (strstr(exn, "Timeout")) {
				snprintf(msg, sizeof(msg),
					 "not analysed by %s: spatch timed out after %d s",
					 rule, timeout);
				rep->timeouts++;
			} else
				snprintf(msg, sizeof(msg),
					 "not analysed by %s: spatch failed (%s)", rule, exn);
			cocci_add_bad(rep, where[0] ? where : "(unknown file)", msg);
		}
		p = next;
	}
}

static int by_place(const void *a, const void *b)
{
	const struct cocci_finding *x = a, *y = b;
	int c = util_place_cmp(x->file, x->line, x->col, y->file, y->line, y->col);

	return c ? c : strcmp(x->text, y->text);
}

static int by_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int cocci_print(struct cocci_report *rep)
{
	int printed = 0;

	qsort(rep->v, rep->n, sizeof(*rep->v), by_place);
	for (int i = 0; i < rep->n; i++) {
		if (i && !strcmp(rep->v[i].text, rep->v[i - 1].text))
			continue;
		printf("%s\n", rep->v[i].text);
		printed++;
	}
	fflush(stdout);
	qsort(rep->bad, rep->nbad, sizeof(char *), by_str);
	for (int i = 0; i < rep->nbad; i++)
		fprintf(stderr, "%s\n", rep->bad[i]);
	return printed;
}

void cocci_free_report(struct cocci_report *rep)
{
	for (int i = 0; i < rep->n; i++) {
		free(rep->v[i].file);
		free(rep->v[i].text);
	}
	for (int i = 0; i < rep->nbad; i++) {
		free(rep->bad[i]);
		free(rep->badfile[i]);
	}
	free(rep->v);
	free(rep->bad);
	free(rep->badfile);
	memset(rep, 0, sizeof(*rep));
}
