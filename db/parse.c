/*
 * Reading one line of diagnostic text:
 *
 *   FILE:LINE:COL: warning: MESSAGE [mmlock:RULE]	every mmlock engine
 *   FILE:LINE:COL: note: MESSAGE			its path
 *   FILE:LINE:COL: warning: MESSAGE [-Wxxx]		gcc, sparse (no tag)
 *   FILE:LINE FUNCTION() warn: MESSAGE			smatch
 *   FILE: In function 'NAME':				gcc's context
 *
 * FILE may hold blanks and colons (gcc writes the name as it is).  COL
 * may be missing or a range (COL-COL, Coccinelle's); the kind may be
 * warning, error, fatal error, info or note, in any case.  A line that
 * starts like a diagnostic (FILE:LINE: as its first word) or has
 * FILE:LINE:COL: and a blank, and is none of these, is DIAG_BAD: import
 * refuses it.  Anything else (make's chatter, source excerpts, "In file
 * included from") is DIAG_NONE and skipped.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "internal.h"

static const struct {
	const char *word;
	const char *severity;		/* NULL: a note */
} kinds[] = {
	{ "warning: ", "warning" },
	{ "error: ", "error" },
	{ "fatal error: ", "error" },
	{ "internal compiler error: ", "error" },
	{ "sorry, unimplemented: ", "error" },
	{ "info: ", "info" },
	{ "note: ", NULL },
};

static const struct {
	const char *word, *severity;
} smatch_kinds[] = {
	{ "warn: ", "warning" }, { "error: ", "error" }, { "info: ", "info" },
};

static int is_ident(int c)
{
	return isalnum(c) || c == '_';
}

static int is_rule_char(int c)
{
	return isalnum(c) || strchr("_.-=+", c);
}

static enum mmdb_diag_kind bad(struct mmdb_diag *d, const char *why)
{
	d->why = why;
	return d->kind = DIAG_BAD;
}

static int digits(char **p, int *val)
{
	char *q = *p;
	long v = 0;

	if (!isdigit((unsigned char)*q))
		return 0;
	while (isdigit((unsigned char)*q)) {
		if (v < 100000000)
			v = v * 10 + (*q - '0');
		q++;
	}
	*val = (int)v;
	*p = q;
	return 1;
}

static void rtrim(char *s)
{
	size_t n = strlen(s);

	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
}

/* Split "[mmlock:RULE]" or "[-Wxxx]" off the end of the message. */
static int take_rule(struct mmdb_diag *d)
{
	char *msg = d->message, *lb, *tag;
	size_t n = strlen(msg);

	if (!n || msg[n - 1] != ']') {
		if (strstr(msg, "[mmlock:"))
			return bad(d, "unterminated [mmlock:...] tag"), -1;
		return 0;
	}
	for (lb = msg + n - 1; lb > msg && !(lb[0] == '[' && lb[-1] == ' '); lb--)
		;
	if (lb == msg)
		return 0;
	tag = lb + 1;
	msg[n - 1] = 0;
	if (!strncmp(tag, "mmlock:", 7)) {
		tag += 7;
		d->mmlock = 1;
	} else if (!strncmp(tag, "-Werror=", 8)) {
		tag += 6;
		tag[0] = '-';
		tag[1] = 'W';
	} else if (strncmp(tag, "-W", 2)) {
		msg[n - 1] = ']';
		return 0;
	}
	if (!*tag)
		return bad(d, "empty rule id"), -1;
	for (char *c = tag; *c; c++)
		if (!is_rule_char((unsigned char)*c))
			return bad(d, "bad rule id"), -1;
	d->rule = tag;
	lb[-1] = 0;
	rtrim(msg);
	if (!*msg)
		return bad(d, "empty message"), -1;
	return 0;
}

/* "FILE: In function 'NAME':" (quotes ASCII or UTF-8) or "At top level:" */
static enum mmdb_diag_kind context(char *q, struct mmdb_diag *d)
{
	char *name;

	if (!strcmp(q, " At top level:"))
		return d->kind = DIAG_CONTEXT;
	if (strncmp(q, " In function ", 13))
		return DIAG_NONE;
	q += 13;
	if (*q == '\'' || *q == '`')
		q++;
	else if (!strncmp(q, "\xe2\x80\x98", 3))
		q += 3;
	name = q;
	while (is_ident((unsigned char)*q))
		q++;
	if (q == name)
		return DIAG_NONE;
	*q = 0;
	d->function = name;
	return d->kind = DIAG_CONTEXT;
}

/* smatch: "FILE:LINE FUNCTION() warn: MESSAGE", Q after LINE */
static enum mmdb_diag_kind smatch(char *q, struct mmdb_diag *d)
{
	char *fn = ++q;

	while (is_ident((unsigned char)*q))
		q++;
	char *end = q;

	if (q == fn || strncmp(q, "() ", 3))
		return DIAG_NONE;
	q += 3;
	for (size_t i = 0; i < sizeof(smatch_kinds) / sizeof(smatch_kinds[0]); i++) {
		size_t n = strlen(smatch_kinds[i].word);
		char *m = q + n;

		if (strncmp(q, smatch_kinds[i].word, n))
			continue;
		while (*m && isspace((unsigned char)*m))
			m++;
		if (!*m)
			return DIAG_NONE;
		*end = 0;
		d->message = q + n;
		rtrim(d->message);
		d->function = fn;
		d->severity = (char *)smatch_kinds[i].severity;
		return d->kind = DIAG_FINDING;
	}
	return DIAG_NONE;
}

/* Q just past "FILE:LINE:": the rest of a gcc-style diagnostic.  DIAG_NONE
 * when no kind of diagnostic follows (*strong: a column and a blank did). */
static enum mmdb_diag_kind located(char *q, struct mmdb_diag *d, int *strong)
{
	size_t i;

	if (digits(&q, &d->col)) {
		int end;

		if (*q == '-' && (q++, !digits(&q, &end)))
			return bad(d, "bad column range");
		if (*q != ':')
			return bad(d, "bad column");
		q++;
		*strong = *q == ' ';
	}
	if (*q != ' ')
		return bad(d, "no space after the location");
	q++;
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strncasecmp(q, kinds[i].word, strlen(kinds[i].word)))
			break;
	if (i == sizeof(kinds) / sizeof(kinds[0]))
		return bad(d, "not a warning, error or note");
	d->message = q + strlen(kinds[i].word);
	rtrim(d->message);
	while (*d->message == ' ')
		d->message++;
	if (!*d->message)
		return bad(d, "empty message");
	if (!kinds[i].severity)
		return d->kind = DIAG_NOTE;
	d->severity = (char *)kinds[i].severity;
	if (take_rule(d))
		return DIAG_BAD;
	return d->kind = DIAG_FINDING;
}

/*
 * FILE ends at the first colon after which the line reads as a diagnostic:
 * file names may hold blanks and colons, as gcc writes them.  A line whose
 * first word is FILE:LINE:, or that has FILE:LINE:COL: and a blank, but
 * reads as nothing, is DIAG_BAD with the first reason found.
 */
enum mmdb_diag_kind mmdb_parse_line(char *line, struct mmdb_diag *d)
{
	const char *why = NULL;
	size_t n = strlen(line), word;

	memset(d, 0, sizeof(*d));
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = 0;
	if (!*line || isspace((unsigned char)*line) ||
	    !strncmp(line, "In file included from ", 22))
		return DIAG_NONE;
	word = strcspn(line, " \t");	/* the first word */
	for (char *p = strchr(line + 1, ':'); p; p = strchr(p + 1, ':')) {
		int first = word > (size_t)(p - line), strong = 0;
		enum mmdb_diag_kind k = DIAG_NONE;
		char *q = p + 1;

		*p = 0;		/* FILE, if this colon ends it */
		d->file = line;
		if (!digits(&q, &d->line))
			k = context(q, d);
		else if (*q == ' ')
			k = smatch(q, d);
		else if (*q == ':')
			k = located(q + 1, d, &strong);
		if (k == DIAG_BAD && d->message)
			return k;	/* a kind of diagnostic, unreadable after it */
		if (k != DIAG_NONE && k != DIAG_BAD)
			return k;
		if (k == DIAG_BAD && (first || strong) && !why)
			why = d->why;
		*p = ':';
		memset(d, 0, sizeof(*d));
	}
	if (why)
		return bad(d, why);
	return DIAG_NONE;
}

/* mmlock_note_part(LINE, 'file'|'line'|'col'|'message'): a note line's
 * part; a line that is no note keeps its text as the message. */
static void note_part(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *text = (const char *)sqlite3_value_text(argv[0]);
	const char *part = (const char *)sqlite3_value_text(argv[1]);
	char *copy = strdup(text ? text : "");
	struct mmdb_diag d;
	int ok = copy && mmdb_parse_line(copy, &d) == DIAG_NOTE;

	if (!copy || !part)
		sqlite3_result_null(ctx);
	else if (!strcmp(part, "file"))
		sqlite3_result_text(ctx, ok ? d.file : "", -1, SQLITE_TRANSIENT);
	else if (!strcmp(part, "line"))
		sqlite3_result_int(ctx, ok ? d.line : 0);
	else if (!strcmp(part, "col"))
		sqlite3_result_int(ctx, ok ? d.col : 0);
	else
		sqlite3_result_text(ctx, ok ? d.message : text ? text : "", -1, SQLITE_TRANSIENT);
	free(copy);
}

void mmdb_register_functions(sqlite3 *h)
{
	sqlite3_create_function(h, "mmlock_note_part", 2,
				SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
				NULL, note_part, NULL, NULL);
}
