/*
 * What the plugin's checkers are written against, which a rules file must
 * provide: the rule ids they report under and a class for every role.
 * Checked once when a rules file loads (mm_rules_load), so that a file
 * `mmlock rules` accepts is one the plugin can run on, and the plugin
 * never meets a name it cannot bind (plugin/checkers.c binds them).
 */
#include "rules.h"

#include <stdio.h>

const char *const mm_role_names[MM_NROLES] = {
	"mm", "rmap-file", "rmap-anon", "pmd", "pte",
};

const char *const mm_required_rules[] = {
	"pte-lock", "pmd-lock", "lock-order", "lock-balance", "rmap-lock-retract",
	"stale-vma", "weak-revalidate", "stale-pgtable", "mmap-lock-held",
	"recheck-after-relock", "pte-read", "vma-write", "pte-map-null", "vma-lock",
	"recheck-under-lock", NULL
};

const char *mm_rules_unmet(const struct mm_rules *r, char *buf, size_t n)
{
	for (int i = 0; mm_required_rules[i]; i++)
		if (mm_rules_rule(r, mm_required_rules[i]) < 0) {
			snprintf(buf, n, "no rule '%s' (the plugin reports under it)",
				 mm_required_rules[i]);
			return buf;
		}
	for (int ro = 0; ro < MM_NROLES; ro++)
		if (r->role_class[ro] < 0) {
			snprintf(buf, n, "no class with role=%s (the plugin's checkers need one)",
				 mm_role_names[ro]);
			return buf;
		}
	return NULL;
}
