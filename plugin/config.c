/*
 * The configuration of the unit being compiled, as far as the rules depend
 * on it: "distinct pte pmd if=CONFIG_SPLIT_PTE_PTLOCKS" holds only where
 * kbuild's autoconf.h defined that macro.  The preprocessor's macro table
 * outlives parsing, so the analysis (an IPA pass) can still ask it.
 */
#include "gcc-plugin.h"
#include "config.h"
#include "system.h"
#include "coretypes.h"
#include "tree.h"
#include "c-family/c-common.h"	/* before GCC's diagnostic headers */
#include "c-family/c-pragma.h"	/* parse_in */
#include "mmlock.h"

static int macro_defined(const char *name)
{
	return parse_in && cpp_defined(parse_in, (const unsigned char *)name, strlen(name));
}

/* Are locks of classes A and B never the same lock in this unit? */
int classes_distinct(int a, int b)
{
	for (int i = 0; i < mm_rules_set.ndistinct; i++) {
		const struct mm_distinct *d = &mm_rules_set.distinct[i];

		if (((d->a == a && d->b == b) || (d->a == b && d->b == a)) &&
		    (!d->macro || macro_defined(d->macro)))
			return 1;
	}
	return 0;
}
