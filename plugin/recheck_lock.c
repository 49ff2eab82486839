/*
 * recheck-under-lock (RULES.md "New rules"): what was tested before a lock
 * was taken must be tested again under it before it decides a change.
 * Seen from the function that takes the lock: an entry read under that
 * lock ("pmd = *old_pmd" after pmd_lock(mm, old_pmd)) whose value then
 * goes into a page-table change ("pmd_populate(mm, new_pmd,
 * pmd_pgtable(pmd))") without any branch having tested it under the lock
 * acts on whatever the caller saw before: 6fa1066fc5d0 (mremap
 * move_normal_pmd, CVE-2024-50066) added exactly that test.
 *
 * The per-path state is a fact "unverified" on the value read; a branch
 * on anything computed from it clears it; joins keep it only where every
 * path has it.
 */
#include "checker.h"

static int r_rul;
static const struct rule_bind rules[] = { { "recheck-under-lock", &r_rul }, { NULL, NULL } };

static int unverified_key(tree x)
{
	return key_printf("unverified:%s", key_str(canon_val(x)));
}

/* A lock this function took on KEY (the entry a pointer points to, or a
   vma); VMA_LOCK: a lock of a class guarding vmas (the vma lock). */
static int taken_here(const struct mstate *s, int key, int vma_lock)
{
	for (int i = 0; i < s->nh; i++) {
		const struct held *h = &s->h[i];

		if (h->inst == key && !h->cond && !(h->flags & (H_ENTRY | H_MAYBE | H_ALIAS)) &&
		    (!vma_lock || (h->cls >= 0 && mm_rules_set.classes[h->cls].guards_vma)))
			return 1;
	}
	return 0;
}

/* The unverified value T derives from (through calls and arithmetic), or
   NULL_TREE. */
static tree derives(const struct mstate *s, tree t, int depth)
{
	gimple *def;

	if (!t || depth > 4 || (TREE_CODE(t) != SSA_NAME && !DECL_P(t)))
		return NULL_TREE;
	if (st_fact(s, unverified_key(t)) == 1)
		return t;
	if (DECL_P(t))
		return NULL_TREE;
	def = SSA_NAME_DEF_STMT(t);
	if (gcall *call = dyn_cast<gcall *>(def)) {
		for (unsigned i = 0; i < gimple_call_num_args(call); i++)
			if (tree r = derives(s, gimple_call_arg(call, i), depth + 1))
				return r;
		return NULL_TREE;
	}
	if (!is_gimple_assign(def))
		return NULL_TREE;
	for (unsigned i = 1; i < gimple_num_ops(def); i++) {
		tree op = gimple_op(def, i);

		if (op && TREE_CODE(op) == COMPONENT_REF)	/* "pmd.pmd" */
			op = TREE_OPERAND(op, 0);
		if (tree r = derives(s, op, depth + 1))
			return r;
	}
	return NULL_TREE;
}

static void rul_stmt(gimple *g, struct mstate *s)
{
	if (!rule_on(r_rul))
		return;
	if (gimple_assign_single_p(g) && !gimple_clobber_p(g)) {
		tree lhs = gimple_assign_lhs(g), base = deref_base(gimple_assign_rhs1(g));

		/* "pmd = *old_pmd" with old_pmd's lock held: read under it */
		if ((TREE_CODE(lhs) == SSA_NAME || VAR_P(lhs)) && base &&
		    TREE_CODE(gimple_assign_rhs1(g)) == MEM_REF &&
		    RECORD_OR_UNION_TYPE_P(TREE_TYPE(lhs)) && taken_here(s, canon_val(base), 0))
			st_set_fact(s, unverified_key(lhs), 1, canon_val(lhs));
		return;
	}
	gcall *call = dyn_cast<gcall *>(g);
	tree fn;
	const struct mm_op *op;

	if (!call || !(fn = gimple_call_fndecl(call)) || !(op = rules_op(fn, MM_NEEDS)) || !s->nf)
		return;
	for (unsigned i = 0; i < gimple_call_num_args(call); i++) {
		tree x = derives(s, gimple_call_arg(call, i), 0);
		char msg[256];

		if (!x)
			continue;
		snprintf(msg, sizeof(msg), "%s() acts on an entry read under the %s lock without "
			 "testing it there: what was tested before the lock may have changed",
			 fn_name(fn), class_name(op->cls));
		report(r_rul, gimple_location(call), msg);
		if (TREE_CODE(x) == SSA_NAME)
			report_note(gimple_location(SSA_NAME_DEF_STMT(x)), "the entry was read here");
		st_set_fact(s, unverified_key(x), 0, canon_val(x));	/* once */
		return;
	}
}

/* A branch on anything computed from the value tests it. */
static void rul_cond(gcond *c, struct mstate *s)
{
	for (int k = 0; k < 2 && s->nf; k++) {
		tree x = derives(s, k ? gimple_cond_rhs(c) : gimple_cond_lhs(c), 0);

		if (x)
			st_set_fact(s, unverified_key(x), 0, canon_val(x));
	}
}

/*
 * The vma's range or anon_vma tested before its vma lock was taken, the
 * vma then returned locked (lock_vma_under_rcu(), 657b5146955e: "must
 * check vma->anon_vma under vma lock"; the range check "since vm_start/
 * vm_end might change before we lock the VMA").  Fact "vtest:V": 1 tested
 * only without the lock, 2 tested under it.
 */
static int vtest_key(int vma)
{
	return key_printf("vtest:%s", key_str(vma));
}

/* A load of a vma field the rules reason on (range, anon): its vma. */
static tree vma_field_load(tree t, int depth)
{
	gimple *def;

	if (!t || TREE_CODE(t) != SSA_NAME || depth > 4)
		return NULL_TREE;
	def = SSA_NAME_DEF_STMT(t);
	if (gcall *call = dyn_cast<gcall *>(def)) {
		for (unsigned i = 0; i < gimple_call_num_args(call); i++)
			if (tree v = vma_field_load(gimple_call_arg(call, i), depth + 1))
				return v;
		return NULL_TREE;
	}
	if (!is_gimple_assign(def))
		return NULL_TREE;
	tree rhs = gimple_assign_rhs1(def), base;

	if (gimple_assign_single_p(def) && TREE_CODE(rhs) == COMPONENT_REF &&
	    (base = deref_base(rhs)) && DECL_NAME(TREE_OPERAND(rhs, 1))) {
		const char *f = IDENTIFIER_POINTER(DECL_NAME(TREE_OPERAND(rhs, 1)));

		return mm_rules_field_role(&mm_rules_set, f, MM_VMA_RANGE) ||
		       mm_rules_field_role(&mm_rules_set, f, MM_VMA_ANON) ? base : NULL_TREE;
	}
	for (unsigned i = 1; i < gimple_num_ops(def); i++)
		if (tree v = vma_field_load(gimple_op(def, i), depth + 1))
			return v;
	return NULL_TREE;
}

static void rul_vma_cond(gcond *c, struct mstate *s)
{
	if (!rule_on(r_rul))
		return;
	for (int k = 0; k < 2; k++) {
		tree v = vma_field_load(k ? gimple_cond_rhs(c) : gimple_cond_lhs(c), 0);
		int key, f;

		if (!v)
			continue;
		key = canon_val(v);
		f = st_fact(s, vtest_key(key));
		if (taken_here(s, key, 1))
			st_set_fact(s, vtest_key(key), 2, key);
		else if (f != 2)
			st_set_fact(s, vtest_key(key), 1, key);
	}
}

static void rul_return(struct mstate *s, const struct ret_event *r)
{
	tree retval = r->rv ? r->rv : r->arg;
	int key;
	const struct fact *f;

	if (!rule_on(r_rul) || !retval ||
	    TREE_CODE(retval) != SSA_NAME || !POINTER_TYPE_P(TREE_TYPE(retval)))
		return;
	key = canon_val(retval);
	if (!taken_here(s, key, 1))
		return;
	/* the value returned, or (a PHI at the return) what flowed into it */
	f = st_get_fact(s, vtest_key(key));
	if (gphi *phi = f ? NULL : dyn_cast<gphi *>(SSA_NAME_DEF_STMT(retval)))
		for (unsigned i = 0; i < gimple_phi_num_args(phi) && !f; i++)
			if (TREE_CODE(gimple_phi_arg_def(phi, i)) == SSA_NAME)
				f = st_get_fact(s, vtest_key(canon_val(gimple_phi_arg_def(phi, i))));
	if (!f || f->val != 1)
		return;
	report(r_rul, r->at, "returns the vma locked, its range or anon_vma tested only before the "
	       "vma lock was taken: it may have changed since");
}

static void rul_cond_edge(edge e, gcond *c, int taken_true, struct mstate *s)
{
	rul_cond(c, s);
	rul_vma_cond(c, s);
}

CHECKER(recheck_lock_checker) = {
	.name = "recheck-lock",
	.rules = rules,
	.stmt = rul_stmt,
	.cond_edge = rul_cond_edge,
	.ret = rul_return,
};
