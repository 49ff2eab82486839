/*
 * Importing diagnostic text as one run: each warning (or error) line
 * starts a finding, the note: lines after it are its path, everything
 * that is not a diagnostic is skipped (db/parse.c decides).  Rule: the
 * [mmlock:RULE] tag, else gcc's [-Wxxx] option, else the engine's name.
 * Function: smatch's, else gcc's "In function" context; the source, when
 * readable, has the last word for the fingerprint (db/store.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "query.h"

/* The finding being read, until the next one starts: its strings one
 * after another in TEXT (reused from finding to finding), as offsets
 * (-1: none) until cur_flush() hands them over. */
struct cur {
	int active;
	long rule, file, function, message, severity;
	int line, col;
	struct { long file, message; int line, col; } *notes;
	struct mmdb_note *out;		/* the notes handed over */
	int nnotes, cap;
	char *text;
	size_t len, size;
	int nomem;
};

static long cur_str(struct cur *c, const char *s)
{
	size_t n = strlen(s) + 1, at = c->len;

	if (at + n > c->size) {
		size_t size = c->size ? 2 * c->size : 4096;
		char *t;

		while (size < at + n)
			size *= 2;
		t = realloc(c->text, size);
		if (!t) {
			c->nomem = 1;
			return -1;
		}
		c->text = t;
		c->size = size;
	}
	memcpy(c->text + at, s, n);
	c->len += n;
	return (long)at;
}

static void cur_free(struct cur *c)
{
	free(c->notes);
	free(c->out);
	free(c->text);
}

static int cur_flush(struct mmdb *db, int64_t run, struct cur *c, const char *engine)
{
#define S(off) ((off) < 0 ? NULL : c->text + (off))
	struct mmdb_note *notes = c->out;
	struct mmdb_finding f = {
		.rule = S(c->rule), .file = S(c->file), .line = c->line, .col = c->col,
		.function = S(c->function), .message = S(c->message), .engine = engine,
		.severity = S(c->severity), .notes = notes, .nnotes = c->nnotes,
	};
	int rc = 0;

	if (c->nomem)
		rc = mmdb_seterr(db, "%s: out of memory", mmdb_path(db));
	else if (c->active) {
		for (int i = 0; i < c->nnotes; i++)
			notes[i] = (struct mmdb_note){ .file = S(c->notes[i].file),
				.line = c->notes[i].line, .col = c->notes[i].col,
				.message = S(c->notes[i].message) };
		rc = mmdb_add(db, run, &f);
	}
#undef S
	c->active = 0;
	c->nnotes = 0;
	c->len = 0;
	return rc;
}

static void cur_note(struct cur *c, const struct mmdb_diag *d)
{
	if (!c->active)
		return;			/* a note of nothing we keep */
	if (c->nnotes == c->cap) {
		int cap = c->cap ? 2 * c->cap : 8;
		void *n = realloc(c->notes, cap * sizeof(*c->notes));
		void *o = n ? realloc(c->out, cap * sizeof(*c->out)) : NULL;

		if (n)
			c->notes = n;
		if (!o) {
			c->nomem = 1;
			return;
		}
		c->out = o;
		c->cap = cap;
	}
	c->notes[c->nnotes].file = cur_str(c, d->file);
	c->notes[c->nnotes].message = cur_str(c, d->message);
	c->notes[c->nnotes].line = d->line;
	c->notes[c->nnotes].col = d->col;
	c->nnotes++;
}

static const char *fallback_rule(const char *engine)
{
	return strcmp(engine, "gcc-plugin") ? engine : "gcc";
}

int mmdb_import(struct mmdb *db, FILE *in, const char *name,
		const struct mmdb_import_opts *o, struct mmdb_import_result *res)
{
	const char *engine = o->engine ? o->engine : "gcc-plugin";
	struct mmdb_run_meta meta = {
		.kernel_version = o->kernel_version, .git_rev = o->git_rev,
		.engines = engine, .rules = o->rules, .source = name, .key = o->key,
		.root = o->root,
	};
	char *buf = NULL, *ctx_file = NULL, *ctx_fn = NULL;
	size_t size = 0;
	struct cur c = { 0 };
	struct mmdb_diag d;
	int64_t run;
	int err = 0;

	memset(res, 0, sizeof(*res));
	run = res->run = mmdb_run_begin(db, &meta);
	if (run < 0)
		return -1;
	for (;;) {
		errno = 0;
		if (getline(&buf, &size, in) < 0)
			break;
		res->lines++;
		switch (mmdb_parse_line(buf, &d)) {
		case DIAG_NONE:
			break;
		case DIAG_CONTEXT:
			free(ctx_file);
			free(ctx_fn);
			ctx_file = strdup(d.file);
			ctx_fn = d.function ? strdup(d.function) : NULL;
			break;
		case DIAG_BAD:
			mmdb_seterr(db, "%s:%ld: unreadable diagnostic line: %s", name,
				    res->lines, d.why);
			err = 1;
			break;
		case DIAG_FINDING:
			if (cur_flush(db, run, &c, engine)) {
				err = 1;
				break;
			}
			c.active = 1;
			c.rule = cur_str(&c, d.rule ? d.rule : fallback_rule(engine));
			c.file = cur_str(&c, d.file);
			c.line = d.line;
			c.col = d.col;
			c.function = d.function ? cur_str(&c, d.function) :
				     ctx_fn && !strcmp(ctx_file, d.file) ? cur_str(&c, ctx_fn) : -1;
			c.message = cur_str(&c, d.message);
			c.severity = cur_str(&c, d.severity);
			break;
		case DIAG_NOTE:
			cur_note(&c, &d);
			break;
		}
		if (err || (o->stop && *o->stop))
			break;
	}
	if (!err && ferror(in) && !(o->stop && *o->stop)) {
		mmdb_seterr(db, "%s: read error: %s", name, strerror(errno ? errno : EIO));
		err = 1;
	}
	if (!err && cur_flush(db, run, &c, engine))
		err = 1;
	cur_free(&c);
	free(buf);
	free(ctx_file);
	free(ctx_fn);
	if (err) {
		char why[sizeof(db->err)];

		memcpy(why, db->err, sizeof(why));
		mmdb_run_abort(db, run);
		memcpy(db->err, why, sizeof(why));
		return -1;
	}
	res->findings = mmdb_pending(db, run);
	res->interrupted = o->stop && *o->stop;
	return mmdb_run_end(db, run, !res->interrupted);
}
