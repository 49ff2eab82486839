/*
 * Findings: collected per function (dropped if the function's analysis is
 * abandoned), deduplicated, sorted by position and printed GCC style:
 *   FILE:LINE:COL: warning: MESSAGE [mmlock:RULE]
 *   FILE:LINE:COL: note: ...
 * They are printed directly rather than through GCC's warning machinery
 * so that kbuild's -Werror does not turn them into build failures.
 */
#include "checker.h"
#include "../db/mmdb.h"

struct note {
	location_t loc;
	char *msg;
};

struct finding {
	location_t loc;
	int rule;
	char *fn;	/* the function it is in */
	char *msg;
	struct note *notes;
	int nnotes;
};

static struct finding *fs;
static int nfs, capfs, fn_start;

void report_begin_function(void)
{
	fn_start = nfs;
}

static void drop(struct finding *f)
{
	for (int i = 0; i < f->nnotes; i++)
		free(f->notes[i].msg);
	free(f->notes);
	free(f->msg);
	free(f->fn);
}

void report_end_function(int keep)
{
	if (keep)
		return;
	for (int i = fn_start; i < nfs; i++)
		drop(&fs[i]);
	nfs = fn_start;
}

static struct finding *last_new;

/* Did this function already report RULE at LOC? */
int report_has(int rule, location_t loc)
{
	for (int i = fn_start; i < nfs; i++)
		if (fs[i].loc == loc && fs[i].rule == rule)
			return 1;
	return 0;
}

void report(int rule, location_t loc, const char *msg)
{
	last_new = NULL;
	/* a rule the rules file does not have, or one not enabled: its notes
	   are dropped with it (report_note) */
	if (rule >= mm_rules_set.nrules || !rule_on(rule))
		return;
	for (int i = 0; i < nfs; i++)
		if (fs[i].loc == loc && fs[i].rule == rule)
			return;	/* another path to the same finding (its words may
				   differ: "dropped" on one, "possibly dropped" on another) */
	if (nfs == capfs) {
		capfs = capfs ? capfs * 2 : 32;
		fs = (struct finding *)xrealloc(fs, capfs * sizeof(*fs));
	}
	memset(&fs[nfs], 0, sizeof(fs[0]));
	fs[nfs].loc = loc;
	fs[nfs].rule = rule;
	fs[nfs].msg = xstrdup(msg);
	fs[nfs].fn = xstrdup(cur ? fn_name(cur->decl) : "");
	last_new = &fs[nfs++];
}

void report_note(location_t loc, const char *msg)
{
	struct finding *f = last_new;

	if (!f || loc == UNKNOWN_LOCATION || f->nnotes >= 8)
		return;
	f->notes = (struct note *)xrealloc(f->notes, (f->nnotes + 1) * sizeof(struct note));
	f->notes[f->nnotes].loc = loc;
	f->notes[f->nnotes].msg = xstrdup(msg);
	f->nnotes++;
}

static void print_loc(location_t loc, const char *kind, const char *msg, const char *rule)
{
	expanded_location x = expand_location(loc);

	if (rule)
		fprintf(stderr, "%s:%d:%d: %s: %s [mmlock:%s]\n", x.file ? x.file : "<unknown>",
			x.line, x.column, kind, msg, rule);
	else
		fprintf(stderr, "%s:%d:%d: %s: %s\n", x.file ? x.file : "<unknown>",
			x.line, x.column, kind, msg);
}

static int cmp_findings(const void *a, const void *b)
{
	const struct finding *x = (const struct finding *)a, *y = (const struct finding *)b;
	expanded_location ex = expand_location(x->loc), ey = expand_location(y->loc);
	int c = strcmp(ex.file ? ex.file : "", ey.file ? ey.file : "");

	if (c)
		return c;
	if (ex.line != ey.line)
		return ex.line - ey.line;
	if (ex.column != ey.column)
		return ex.column - ey.column;
	return x->rule - y->rule;
}

/*
 * Store the findings in the database (plugin argument db=PATH).  A
 * database that cannot be written is a note, never a failed build.
 */
static void store(const char *path)
{
	char *err = NULL;
	struct mmdb *db = mmdb_open(path, MMDB_CREATE, &err);
	struct mmdb_run_meta meta;
	int64_t run;
	char rules[512] = "";

	if (!db) {
		fprintf(stderr, "%s: note: mmlock: findings not stored: %s\n", main_input_filename,
			err ? err : path);
		free(err);
		return;
	}
	for (int r = 0; r < mm_rules_set.nrules; r++)
		if (enabled_rules & (1u << r))
			snprintf(rules + strlen(rules), sizeof(rules) - strlen(rules), "%s%s",
				 rules[0] ? "," : "", mm_rules_set.rules[r].id);
	memset(&meta, 0, sizeof(meta));
	meta.engines = "gcc-plugin";
	meta.rules = rules;
	meta.source = main_input_filename;
	run = mmdb_run_begin(db, &meta);
	for (int i = 0; run >= 0 && i < nfs; i++) {
		struct mmdb_finding f;
		struct mmdb_note notes[8];
		expanded_location x = expand_location(fs[i].loc);

		memset(&f, 0, sizeof(f));
		for (int j = 0; j < fs[i].nnotes; j++) {
			expanded_location y = expand_location(fs[i].notes[j].loc);

			notes[j].file = y.file;
			notes[j].line = y.line;
			notes[j].col = y.column;
			notes[j].message = fs[i].notes[j].msg;
		}
		f.rule = mm_rules_set.rules[fs[i].rule].id;
		f.file = x.file;
		f.line = x.line;
		f.col = x.column;
		f.function = fs[i].fn;
		f.message = fs[i].msg;
		f.engine = "gcc-plugin";
		f.notes = notes;
		f.nnotes = fs[i].nnotes;
		if (mmdb_add(db, run, &f))
			break;
	}
	if (run < 0 || mmdb_run_end(db, run, 1))
		fprintf(stderr, "%s: note: mmlock: findings not stored: %s\n", main_input_filename,
			mmdb_errmsg(db));
	mmdb_close(db);
}

int report_flush(int as_error, const char *db)
{
	int n = nfs;

	qsort(fs, nfs, sizeof(*fs), cmp_findings);
	if (db)
		store(db);
	for (int i = 0; i < nfs; i++) {
		print_loc(fs[i].loc, as_error ? "error" : "warning", fs[i].msg,
			  mm_rules_set.rules[fs[i].rule].id);
		for (int j = 0; j < fs[i].nnotes; j++)
			print_loc(fs[i].notes[j].loc, "note", fs[i].notes[j].msg, NULL);
		drop(&fs[i]);
	}
	nfs = 0;
	fflush(stderr);
	return n;
}

void plugin_note(location_t loc, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	print_loc(loc, "note", buf, NULL);
}
