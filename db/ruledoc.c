/*
 * A rule id's documentation for the reports (SARIF, HTML): what the rules
 * data says of it (rules/mm.rules: rule, otherrule, about, fix), and for
 * ids it does not describe -- gcc's -W options, smatch, a rule of another
 * rules file -- a stand-in that says so.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "internal.h"
#include "query.h"

struct mmdb_rule_doc mmdb_rule_doc_of(const struct mmdb_rule_doc *docs, int ndocs,
				      const char *id)
{
	struct mmdb_rule_doc d = { .id = id };

	for (int i = 0; i < ndocs; i++)
		if (!strcmp(docs[i].id, id)) {
			d = docs[i];
			break;
		}
	if (!d.title)
		d.title = id;
	if (!d.about)
		d.about = id[0] == '-' && id[1] == 'W' ?
			  "A gcc warning, stored by mmlock with the findings of its run." :
			  "Reported under this id by an engine whose rule the rules file"
			  " does not describe.";
	if (!d.help)
		d.help = "See the reporting tool's documentation for this id.";
	return d;
}

/* "pte-lock" -> "PteLock", "-Wunused-variable" -> "WUnusedVariable". */
void mmdb_rule_name(const char *id, char *out, size_t n)
{
	size_t len = 0;
	int up = 1;

	for (; *id && len + 1 < n; id++) {
		if (!isalnum((unsigned char)*id)) {
			up = 1;
			continue;
		}
		out[len++] = up ? toupper((unsigned char)*id) : *id;
		up = 0;
	}
	out[len] = 0;
}
