/*
 * `mmlock db export --format sarif`: SARIF 2.1.0 as GitHub code scanning
 * takes it.  One SARIF run (tool "mmlock") holding the selected findings;
 * each result has its rule, level, message, location (URI relative to the
 * source root), the fingerprint under partialFingerprints, the notes as
 * relatedLocations and as one code flow, and false-positive / wont-fix
 * triage marks as accepted external suppressions.
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
		fputs("],\n\t\t \"codeFlows\": [{\"threadFlows\": [{\"locations\": [", out);
		for (int i = 0; i < r->nnotes; i++) {
			fputs(i ? ", {\"location\": {\"physicalLocation\": " :
				  "{\"location\": {\"physicalLocation\": ", out);
			physical(out, r->notes[i].file, r->notes[i].line, r->notes[i].col);
			fputs(", \"message\": {\"text\": ", out);
			mmdb_json_str(out, r->notes[i].message);
			fputs("}}}", out);
		}
		fputs("]}]}]", out);
	}
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

static const char *title_of(const struct mmdb_rule_title *t, int n, const char *id)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(t[i].id, id))
			return t[i].title;
	return NULL;
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
	       const struct mmdb_rule_title *titles, int ntitles, FILE *out)
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
		for (int i = 0; i < s.nrules; i++) {
			const char *t = title_of(titles, ntitles, s.rules[i]);

			fputs(i ? ",\n\t\t{\"id\": " : "\n\t\t{\"id\": ", out);
			mmdb_json_str(out, s.rules[i]);
			fputs(", \"name\": ", out);
			mmdb_json_str(out, s.rules[i]);
			fputs(", \"shortDescription\": {\"text\": ", out);
			mmdb_json_str(out, t ? t : s.rules[i]);
			fputs("}, \"defaultConfiguration\": {\"level\": \"warning\"}}", out);
		}
		fputs("]}},\n\t\"results\": [", out);
		rc = mmdb_each_finding(db, where, mmdb_filter_bind, f, result, &s);
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
