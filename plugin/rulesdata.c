/*
 * The rules as the plugin asks them: the ops a function has (the variant
 * that fits its signature, rules "args=N"), an argument a call may not
 * have, the flags a call passes, function and type names.
 */
#include "mmlock.h"

unsigned enabled_rules = ~0u;

/* A rule id given by the user (enable=, disable=): its index, or -1 */
int rule_index(const char *id)
{
	return mm_rules_rule(&mm_rules_set, id);
}

/* A rule (bound when the rules loaded) that is enabled in this unit */
int rule_on(int rule)
{
	return rule >= 0 && rule < MM_MAX_RULES && (enabled_rules & (1u << rule));
}

/* The class with that role (rules "role="; every role has one) */
int role_class(enum mm_classrole role)
{
	return mm_rules_role(&mm_rules_set, role);
}

const char *fn_name(tree fndecl)
{
	if (!fndecl || !DECL_NAME(fndecl))
		return "";
	return IDENTIFIER_POINTER(DECL_NAME(fndecl));
}

/* Is TYPE called NAME (a struct tag or a typedef), as the rules name it? */
int type_named(tree type, const char *name)
{
	tree n = type && name ? TYPE_NAME(type) : NULL_TREE;

	if (n && TREE_CODE(n) == TYPE_DECL)
		n = DECL_NAME(n);
	return n && TREE_CODE(n) == IDENTIFIER_NODE && !strcmp(IDENTIFIER_POINTER(n), name);
}

/* Does OP (args=N) describe the variant of the function this decl is? */
static int op_fits(const struct mm_op *op, tree fndecl)
{
	int n = 0;

	if (!op->nargs)
		return 1;
	if (!prototype_p(TREE_TYPE(fndecl)))
		return 0;
	for (tree a = TYPE_ARG_TYPES(TREE_TYPE(fndecl)); a && TREE_VALUE(a) != void_type_node;
	     a = TREE_CHAIN(a))
		n++;
	return n == op->nargs - 1;
}

static const struct mm_op *first_fit(tree fndecl, const struct mm_op *op)
{
	while (op && !op_fits(op, fndecl))
		op = mm_rules_next(&mm_rules_set, op);
	return op;
}

/* The rules' operations for the function FNDECL, the variants that do
   not fit its signature left out (a function changes across kernels). */
const struct mm_op *fn_ops(tree fndecl)
{
	return first_fit(fndecl, mm_rules_lookup(&mm_rules_set, fn_name(fndecl)));
}

const struct mm_op *fn_ops_next(tree fndecl, const struct mm_op *op)
{
	return first_fit(fndecl, mm_rules_next(&mm_rules_set, op));
}

/* Argument N of CALL, or NULL_TREE when the call has fewer (the rules name
   an argument of one kernel's signature: hugepage_vma_revalidate). */
tree call_arg(gcall *call, int n)
{
	if (n < 0 || n >= (int)gimple_call_num_args(call))
		return NULL_TREE;
	return gimple_call_arg(call, n);
}

/* The one value this function stores in FIELD of the local VAR, if it
   stores one constant there and nothing else ("struct vm_fault vmf = {
   .flags = FAULT_FLAG_ALLOW_RETRY, ... }; do_swap_page(&vmf)"). */
static tree local_field_const(tree var, const char *field)
{
	basic_block bb;
	tree found = NULL_TREE;

	FOR_EACH_BB_FN(bb, cfun)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);
			tree lhs;

			if (!gimple_assign_single_p(g) || gimple_clobber_p(g))
				continue;
			lhs = gimple_assign_lhs(g);
			if (lhs == var && TREE_CODE(gimple_assign_rhs1(g)) == CONSTRUCTOR &&
			    CONSTRUCTOR_NELTS(gimple_assign_rhs1(g)) == 0)
				continue;	/* "= {}": the zero the fields start from */
			if (TREE_CODE(lhs) != COMPONENT_REF || TREE_OPERAND(lhs, 0) != var)
				continue;
			tree f = TREE_OPERAND(lhs, 1);

			if (!DECL_NAME(f) || strcmp(IDENTIFIER_POINTER(DECL_NAME(f)), field))
				continue;
			if (found || TREE_CODE(gimple_assign_rhs1(g)) != INTEGER_CST)
				return NULL_TREE;	/* stored twice, or not a constant */
			found = gimple_assign_rhs1(g);
		}
	return found;
}

/* flags=argN:BITS: does this call pass one of BITS (1), none (0), or
   something not known here (-1)?  Without flags=: 1. */
int op_flags_on(const struct mm_op *op, gcall *call)
{
	tree f;

	if (op->flag_arg < 0)
		return 1;
	if (op->flag_arg >= (int)gimple_call_num_args(call))
		return -1;
	f = gimple_call_arg(call, op->flag_arg);
	if (op->flag_field) {	/* flags=argN->FIELD: the struct argN points to */
		if (TREE_CODE(f) != ADDR_EXPR || !VAR_P(TREE_OPERAND(f, 0)) ||
		    !(f = local_field_const(TREE_OPERAND(f, 0), op->flag_field)))
			return -1;
		return (TREE_INT_CST_LOW(f) & op->flag_bits) != 0;
	}
	f = const_value(f);
	if (TREE_CODE(f) == SSA_NAME && is_gimple_assign(SSA_NAME_DEF_STMT(f)) &&
	    gimple_assign_rhs_code(SSA_NAME_DEF_STMT(f)) == BIT_IOR_EXPR) {
		/* "flags | FAULT_FLAG_VMA_LOCK": those bits at least */
		tree c = const_value(gimple_assign_rhs2(SSA_NAME_DEF_STMT(f)));

		if (TREE_CODE(c) == INTEGER_CST && (TREE_INT_CST_LOW(c) & op->flag_bits))
			return 1;
	}
	if (TREE_CODE(f) != INTEGER_CST)
		return -1;
	return (TREE_INT_CST_LOW(f) & op->flag_bits) != 0;
}

const struct mm_op *rules_op(tree fndecl, enum mm_dir dir)
{
	const struct mm_op *op = fn_ops(fndecl);

	for (; op; op = fn_ops_next(fndecl, op))
		if (op->dir == dir)
			return op;
	return NULL;
}

int class_order(int cls)
{
	return cls >= 0 ? mm_rules_set.classes[cls].order : 0;
}

const char *class_name(int cls)
{
	return cls >= 0 ? mm_rules_set.classes[cls].name : "unknown";
}
