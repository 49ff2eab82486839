/*
 * Values, below the engine and the checkers alike: what a tested value
 * is at bottom (bool_base), the constant a copy chain holds (const_value),
 * the pointer a memory reference goes through (deref_base), the fact key
 * of "x == 0" (zero_key).  Pure functions of the GIMPLE; no path state.
 */
#include "mmlock.h"

/* Follow copies, casts, "x != 0" and "x ^ 1" back to the tested value. */
tree bool_base(tree t, int *neg)
{
	for (int depth = 0; depth < 8 && TREE_CODE(t) == SSA_NAME; depth++) {
		gimple *def = SSA_NAME_DEF_STMT(t);
		enum tree_code code;
		tree r1, r2;

		/* likely(x): __builtin_expect(x, 1) is x */
		if (gimple_call_builtin_p(def, BUILT_IN_EXPECT) &&
		    TREE_CODE(gimple_call_arg(def, 0)) == SSA_NAME) {
			t = gimple_call_arg(def, 0);
			continue;
		}
		if (!is_gimple_assign(def))
			break;
		code = gimple_assign_rhs_code(def);
		r1 = gimple_assign_rhs1(def);
		r2 = gimple_num_ops(def) > 2 ? gimple_assign_rhs2(def) : NULL_TREE;
		if ((code == SSA_NAME || CONVERT_EXPR_CODE_P(code)) && TREE_CODE(r1) == SSA_NAME) {
			t = r1;
		} else if ((code == NE_EXPR || code == EQ_EXPR) && r2 && integer_zerop(r2) &&
			   TREE_CODE(r1) == SSA_NAME) {
			*neg ^= code == EQ_EXPR;
			t = r1;
		} else if (code == BIT_XOR_EXPR && r2 && integer_onep(r2) &&
			   TREE_CODE(r1) == SSA_NAME) {
			*neg ^= 1;
			t = r1;
		} else if ((code == TRUTH_NOT_EXPR ||
			    (code == BIT_NOT_EXPR && TREE_CODE(TREE_TYPE(r1)) == BOOLEAN_TYPE)) &&
			   TREE_CODE(r1) == SSA_NAME) {
			*neg ^= 1;
			t = r1;
		} else {
			break;
		}
	}
	return t;
}

/* The fact key for "SUBJ == 0", as cond_key spells it. */
int zero_key(int subj)
{
	int zero = key_intern("#0");
	int lo = subj < zero ? subj : zero, hi = subj < zero ? zero : subj;

	return key_printf("%s==%s", key_str(lo), key_str(hi));
}

/* The pointer a memory reference goes through ("p->f[2]": p), if one. */
tree deref_base(tree ref)
{
	while (handled_component_p(ref))
		ref = TREE_OPERAND(ref, 0);
	if (TREE_CODE(ref) == MEM_REF && TREE_CODE(TREE_OPERAND(ref, 0)) == SSA_NAME)
		return TREE_OPERAND(ref, 0);
	return NULL_TREE;
}

/* Follow copies of a constant ("_6 = -22;") to the constant. */
tree const_value(tree t)
{
	for (int i = 0; i < 4 && t && TREE_CODE(t) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(t);

		if (!gimple_assign_single_p(def) && !gimple_assign_cast_p(def))
			break;
		t = gimple_assign_rhs1(def);
	}
	return t;
}

