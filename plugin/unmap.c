/*
 * stale-pgtable for pte pointers (RULES.md R2, issue 14 shape 7): "a pte
 * pointer is dead after pte_unmap_unlock or pte_unmap".  Since 6.5 a
 * mapped page table lives only until pte_unmap() (rules "unmap": it ends
 * the RCU read section that keeps a retracted table from being freed); a
 * pointer into that table read through, or handed to a call, after it is
 * stale.  Mapping the same table again makes pointers into it good again.
 *
 * Per path: a fact "unmapped:P" on the pointer P handed to pte_unmap()
 * (its value's key: "S12", or the memory it was read from, "P0->pte", so
 * that a store there, "vmf->pte = NULL", ends it); a use of P or of a
 * pointer computed from it ("start + i") is reported.
 */
#include "checker.h"

static int r_pgt;
static const struct rule_bind rules[] = { { "stale-pgtable", &r_pgt }, { NULL, NULL } };

static int pte_pointer(tree ptr)
{
	return ptr && TREE_CODE(ptr) == SSA_NAME && POINTER_TYPE_P(TREE_TYPE(ptr)) &&
	       prov_val(ptr).kind == PV_TABLE;
}

static int unmapped_key(int ptr)
{
	return key_printf("unmapped:%s", key_str(ptr));
}

static void use(struct mstate *s, tree ptr, location_t at, const char *how, int rule)
{
	char msg[256];

	if (!pte_pointer(ptr))
		return;
	/* the pointer, or the one it was computed from */
	for (int i = 0; i < 4 && ptr && TREE_CODE(ptr) == SSA_NAME; i++) {
		int k = unmapped_key(canon_val(ptr));
		gimple *def = SSA_NAME_DEF_STMT(ptr);

		if (st_fact(s, k) == 1) {
			snprintf(msg, sizeof(msg), "%s a pte pointer after pte_unmap() unmapped its "
				 "table, without mapping it again", how);
			report(rule, at, msg);
			st_set_fact(s, k, 0, canon_val(ptr));	/* once per unmap and path */
			return;
		}
		if (!is_gimple_assign(def) || (gimple_assign_rhs_code(def) != POINTER_PLUS_EXPR &&
					       !gimple_assign_ssa_name_copy_p(def)))
			return;
		ptr = gimple_assign_rhs1(def);
	}
}

static void unmap_stmt(gimple *g, struct mstate *s)
{
	int rule = r_pgt, on = rule_on(rule);
	gcall *call = dyn_cast<gcall *>(g);
	const struct mm_op *op;
	tree fn, base;

	if (!call) {
		if (!on || !s->nf || !gimple_assign_single_p(g) || gimple_clobber_p(g))
			return;
		int k = unmapped_key(canon_ref(gimple_assign_lhs(g)));

		/* "vmf->pte = NULL": the slot holds another pointer now */
		if (TREE_CODE(gimple_assign_lhs(g)) != SSA_NAME && st_fact(s, k) == 1)
			st_set_fact(s, k, 0, 0);
		if ((base = deref_base(gimple_assign_rhs1(g))))
			use(s, base, gimple_location(g), "reads through", rule);
		if ((base = deref_base(gimple_assign_lhs(g))))
			use(s, base, gimple_location(g), "writes through", rule);
		return;
	}
	if (!(fn = gimple_call_fndecl(call)) || gimple_call_internal_p(call))
		return;
	if ((op = rules_op(fn, MM_UNMAP))) {
		tree p = call_arg(call, op->ptr_arg);

		if (pte_pointer(p) && rule_on(op->rule))
			st_set_fact(s, unmapped_key(canon_val(p)), 1, canon_val(p));
		return;
	}
	for (unsigned i = 0; on && i < gimple_call_num_args(call) && s->nf; i++)
		use(s, gimple_call_arg(call, i), gimple_location(call), "passes on", rule);
}

CHECKER(unmap_checker) = {
	.name = "unmap",
	.rules = rules,
	.stmt = unmap_stmt,
};
