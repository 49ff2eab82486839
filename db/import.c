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

struct cur {
	int active;
	char *rule, *file, *function, *message, *severity;
	int line, col;
	struct mmdb_note *notes;
	int nnotes, cap;
};

static void cur_clear(struct cur *c)
{
	free(c->rule);
	free(c->file);
	free(c->function);
	free(c->message);
	free(c->severity);
	for (int i = 0; i < c->nnotes; i++) {
		free((char *)c->notes[i].file);
		free((char *)c->notes[i].message);
	}
	free(c->notes);
	memset(c, 0, sizeof(*c));
}

static int cur_flush(struct mmdb *db, int64_t run, struct cur *c, const char *engine)
{
	struct mmdb_finding f = {
		.rule = c->rule, .file = c->file, .line = c->line, .col = c->col,
		.function = c->function, .message = c->message, .engine = engine,
		.severity = c->severity, .notes = c->notes, .nnotes = c->nnotes,
	};
	int rc = c->active ? mmdb_add(db, run, &f) : 0;

	cur_clear(c);
	return rc;
}

static void cur_note(struct cur *c, const struct mmdb_diag *d)
{
	if (!c->active)
		return;			/* a note of nothing we keep */
	if (c->nnotes == c->cap) {
		int cap = c->cap ? 2 * c->cap : 8;
		struct mmdb_note *n = realloc(c->notes, cap * sizeof(*n));

		if (!n)
			return;
		c->notes = n;
		c->cap = cap;
	}
	c->notes[c->nnotes++] = (struct mmdb_note){
		.file = strdup(d->file), .line = d->line, .col = d->col,
		.message = strdup(d->message),
	};
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
			c.rule = strdup(d.rule ? d.rule : fallback_rule(engine));
			c.file = strdup(d.file);
			c.line = d.line;
			c.col = d.col;
			if (d.function)
				c.function = strdup(d.function);
			else if (ctx_fn && !strcmp(ctx_file, d.file))
				c.function = strdup(ctx_fn);
			c.message = strdup(d.message);
			c.severity = strdup(d.severity);
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
	cur_clear(&c);
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
