/*
 * pte-read (RULES.md "New rules"): an entry read in a function a walker
 * calls back (rules "callback"), whose value picks what the callback acts
 * on, is read under its table's lock -- huge_pte_lock() for a hugetlb
 * entry, which can span several hardware entries and change under
 * migration.  Elsewhere such reads are lockless peeks the code re-checks
 * under the lock (hugetlb's fault path): not checked.
 */
#include "checker.h"

/* its rule id comes from the rules' "reads ... rule=" */
static const struct rule_bind rules[] = { { "pte-read", NULL }, { NULL, NULL } };

/* a read the rules name ("reads huge_ptep_get"), in such a callback */
static void check_reads(gcall *call, struct mstate *s, const struct mm_op *op)
{
	const struct mm_callback *cb = callback_slot(cur->decl);
	tree ptr = call_arg(call, op->ptr_arg);
	char msg[320];
	int other;

	if (!cb || !ptr || !rule_on(op->rule) ||
	    st_lock_held_for(s, op->cls, canon_val(ptr), &other) > 0)
		return;
	snprintf(msg, sizeof(msg),
		 "%s() reads a %s entry without holding its %s lock, in a %s.%s callback "
		 "(the walker does not take it)", fn_name(gimple_call_fndecl(call)),
		 class_name(op->cls), class_name(op->cls), cb->strct, cb->field);
	report(op->rule, gimple_location(call), msg);
	st_note_last_release(s, op->cls);
}

static void pte_read_op(gcall *call, struct mstate *s, const struct mm_op *op)
{
	if (op->dir == MM_READS)
		check_reads(call, s, op);
}

CHECKER(pte_read_checker) = {
	.name = "pte-read",
	.rules = rules,
	.op = pte_read_op,
};
