/*
 * `mmlock db export --format sarif`: SARIF 2.1.0 as GitHub code scanning
 * takes it and Microsoft's SARIF Multitool validates it.  One SARIF run
 * (tool "mmlock") holding the selected findings, and one rules entry per
 * rule id among them with the rules data's title, description and help
 * (ruledoc.c); each result has its rule, level, message, location (URI
 * relative to the source root), the fingerprint under partialFingerprints,
 * the notes as relatedLocations and as one thread flow whose steps say
 * what happened there (step.c: lock taken, dropped, value learned, used)
 * and end at the finding, and false-positive / wont-fix triage marks as
 * accepted external suppressions.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"
#include "query.h"

#define SARIF_SCHEMA "https://json.schemastore.org/sarif-2.1.0.json"
#define INFO_URI "https://github.com/mmlock/mmlock"

struct sarif {
	FILE *out;
	char **rules;
	int nrules;
	long n;
};

static void uri(FILE *out, const char *file)
{
	putc('"', out);
	if (file[0] == '/')
		fputs("file://", out);
	for (const unsigned char *p = (const unsigned char *)file; *p; p++) {
		if (isalnum(*p) || strchr("-._~/", *p))
			putc(*p, out);
		else
			fprintf(out, "%%%02X", *p);
	}
	putc('"', out);
}

static void physical(FILE *out, const char *file, int line, int col)
{
	fputs("{\"artifactLocation\": {\"uri\": ", out);
	uri(out, file);
	if (file[0] != '/')
		fputs(", \"uriBaseId\": \"%SRCROOT%\"", out);
	fprintf(out, "}, \"region\": {\"startLine\": %d", line > 0 ? line : 1);
	if (col > 0)
		fprintf(out, ", \"startColumn\": %d", col);
	fputs("}}", out);
}

static const char *level(const char *severity)
{
	if (!strcmp(severity, "error"))
		return "error";
	return strcmp(severity, "info") ? "warning" : "note";
}

static int rule_index(const struct sarif *s, const char *rule)
{
	for (int i = 0; i < s->nrules; i++)
		if (!strcmp(s->rules[i], rule))
			return i;
	return -1;
}

static int result(const struct mmdb_row *r, void *arg)
{
	struct sarif *s = arg;
	FILE *out = s->out;

	fputs(s->n++ ? ",\n\t\t{" : "\n\t\t{", out);
	fputs("\"ruleId\": ", out);
	mmdb_json_str(out, r->rule);
	fprintf(out, ", \"ruleIndex\": %d, \"level\": \"%s\", \"message\": {\"text\": ",
		rule_index(s, r->rule), level(r->severity));
	mmdb_json_str(out, r->message);
	fputs("},\n\t\t \"locations\": [{\"physicalLocation\": ", out);
	physical(out, r->file, r->line, r->col);
	if (r->function) {
		fputs(", \"logicalLocations\": [{\"name\": ", out);
		mmdb_json_str(out, r->function);
		fputs(", \"kind\": \"function\"}]", out);
	}
	fputs("}],\n\t\t \"partialFingerprints\": {\"mmlock/v1\": ", out);
	mmdb_json_str(out, r->fingerprint);
	fputs("}", out);
	if (r->nnotes) {
		fputs(",\n\t\t \"relatedLocations\": [", out);
		for (int i = 0; i < r->nnotes; i++) {
			fprintf(out, "%s{\"id\": %d, \"physicalLocation\": ", i ? ", " : "", i + 1);
			physical(out, r->notes[i].file, r->notes[i].line, r->notes[i].col);
			fputs(", \"message\": {\"text\": ", out);
			mmdb_json_str(out, r->notes[i].message);
			fputs("}}", out);
		}
		fputs("]", out);
	}
	/* the path: each note, then the finding itself */
	fputs(",\n\t\t \"codeFlows\": [{\"threadFlows\": [{\"locations\": [", out);
	for (int i = 0; i <= r->nnotes; i++) {
		int last = i == r->nnotes;
		const struct mmdb_note *n = last ? NULL : &r->notes[i];

		fputs(i ? ",\n\t\t\t{" : "\n\t\t\t{", out);
		fprintf(out, "\"executionOrder\": %d, \"importance\": \"essential\","
			" \"kinds\": %s, \"location\": {\"physicalLocation\": ", i + 1,
			mmdb_step_sarif_kinds(last ? MMDB_STEP_FINDING :
					      mmdb_step_kind(n->message)));
		physical(out, last ? r->file : n->file, last ? r->line : n->line,
			 last ? r->col : n->col);
		fputs(", \"message\": {\"text\": ", out);
		mmdb_json_str(out, last ? r->message : n->message);
		fputs("}}}", out);
	}
	fputs("]}]}]", out);
	if (r->triage && strcmp(r->triage, "confirmed")) {
		fputs(",\n\t\t \"suppressions\": [{\"kind\": \"external\", \"status\": \"accepted\","
		      " \"justification\": ", out);
		mmdb_json_str(out, r->triage_note ? r->triage_note : r->triage);
		fputs("}]", out);
	}
	fprintf(out, ",\n\t\t \"properties\": {\"engine\": ");
	mmdb_json_str(out, r->engine);
	fprintf(out, ", \"run\": %lld", (long long)r->run);
	if (r->triage) {
		fputs(", \"triage\": ", out);
		mmdb_json_str(out, r->triage);
	}
	fputs("}}", out);
	return ferror(out);
}

static void text(FILE *out, const char *key, const char *val)
{
	fprintf(out, ", \"%s\": {\"text\": ", key);
	mmdb_json_str(out, val);
	putc('}', out);
}

/* A reportingDescriptor: id, a PascalCase name (never the id itself),
 * the title, the description and the help text. */
static void rule(FILE *out, int i, struct mmdb_rule_doc d)
{
	char name[128];

	mmdb_rule_name(d.id, name, sizeof(name));
	fputs(i ? ",\n\t\t{\"id\": " : "\n\t\t{\"id\": ", out);
	mmdb_json_str(out, d.id);
	if (*name && strcasecmp(name, d.id)) {
		fputs(", \"name\": ", out);
		mmdb_json_str(out, name);
	}
	text(out, "shortDescription", d.title);
	text(out, "fullDescription", d.about);
	text(out, "help", d.help);
	fputs(", \"defaultConfiguration\": {\"level\": \"warning\"}}", out);
}

static int load_rules(struct mmdb *db, const struct mmdb_filter *f, const char *where,
		      struct sarif *s)
{
	char sql[2048];
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT DISTINCT f.rule FROM findings f LEFT JOIN triage t"
		 " ON t.fingerprint = f.fingerprint WHERE %s ORDER BY f.rule", where);
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return mmdb_sqlerr(db, "query");
	mmdb_filter_bind(st, f);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **r = realloc(s->rules, (s->nrules + 1) * sizeof(char *));

		if (!r)
			break;
		s->rules = r;
		s->rules[s->nrules++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return mmdb_sqlerr(db, "query");
	return 0;
}

int mmdb_sarif(struct mmdb *db, const struct mmdb_filter *f,
	       const struct mmdb_rule_doc *docs, int ndocs, FILE *out)
{
	struct sarif s = { .out = out };
	char where[1024] = "1";
	int rc;

	mmdb_filter_sql(f, where, sizeof(where));
	if (mmdb_read_begin(db))
		return -1;
	rc = load_rules(db, f, where, &s);
	if (!rc) {
		fprintf(out, "{\n\"$schema\": \"%s\",\n\"version\": \"2.1.0\",\n\"runs\": [{\n"
			"\t\"tool\": {\"driver\": {\"name\": \"mmlock\", \"version\": \"%s\","
			" \"informationUri\": \"%s\", \"rules\": [", SARIF_SCHEMA,
			MMLOCK_VERSION, INFO_URI);
		for (int i = 0; i < s.nrules; i++)
			rule(out, i, mmdb_rule_doc_of(docs, ndocs, s.rules[i]));
		fputs("]}},\n\t\"results\": [", out);
		rc = mmdb_each_finding(db, where, 0, mmdb_filter_bind, f, result, &s);
		fputs("\n\t]\n}]\n}\n", out);
	}
	mmdb_read_end(db);
	for (int i = 0; i < s.nrules; i++)
		free(s.rules[i]);
	free(s.rules);
	if (!rc && (fflush(out) || ferror(out)))
		return mmdb_seterr(db, "write error on the output");
	return rc;
}
