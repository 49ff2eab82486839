/*
 * The path-sensitive walk over one function.  Each basic block keeps a
 * bounded set of distinct states (one per path class); a block that would
 * exceed the bound merges further states into its last one (st_join).
 * Branches on a trylock's result decide whether the lock is held; branches
 * that guard lock operations are remembered as facts, so that
 * "if (x) lock; ... if (x) unlock;" is two paths, not four.
 */
#include "checker.h"

struct fnctx *cur;

struct bbstates {
	struct mstate *s;
	int n;
};

static struct bbstates *bbs;
static int max_per_bb;
static long steps, live_states, peak_states;	/* work done (stats.c) */

struct work {
	int bb, idx;
};
static struct work *wl;
static int nwl, capwl;

static void push_work(int bb, int idx)
{
	if (nwl == capwl) {
		capwl = capwl ? capwl * 2 : 256;
		wl = (struct work *)xrealloc(wl, capwl * sizeof(*wl));
	}
	wl[nwl].bb = bb;
	wl[nwl].idx = idx;
	nwl++;
}

static int same_locks(const struct mstate *a, const struct mstate *b)
{
	if (a->nh != b->nh)
		return 0;
	for (int i = 0; i < a->nh; i++)
		if (a->h[i].cls != b->h[i].cls || a->h[i].inst != b->h[i].inst ||
		    a->h[i].flags != b->h[i].flags || a->h[i].cond != b->h[i].cond)
			return 0;
	return 1;
}

/* Merge FROM into INTO, the engine's part and each checker's: changed? */
static int join(struct mstate *into, const struct mstate *from)
{
	struct mstate old = *into;

	st_join(into, from);
	chk_join(into, from);
	return !st_equal(&old, into);
}

static void add_state(basic_block bb, const struct mstate *st)
{
	struct bbstates *b = &bbs[bb->index];

	for (int i = 0; i < b->n; i++)
		if (st_equal(&b->s[i], st))
			return;
	/* full: merge into a state holding the same locks, so that the
	   merge loses branch facts rather than lock state; a new lock state
	   gets a slot of its own while there is room for a few */
	int into = -1;
	if (b->n >= max_per_bb)
		for (int i = 0; i < b->n && into < 0; i++)
			if (same_locks(&b->s[i], st) && !lease_apart(&b->s[i], st) &&
			    !chk_apart(&b->s[i], st))
				into = i;
	if (into < 0 && b->n < max_per_bb * 4) {
		if (++live_states > peak_states)
			peak_states = live_states;
		b->s = (struct mstate *)xrealloc(b->s, (b->n + 1) * sizeof(*st));
		b->s[b->n] = *st;
		push_work(bb->index, b->n++);
		return;
	}
	if (into < 0)
		into = b->n - 1;
	if (join(&b->s[into], st))
		push_work(bb->index, into);
}

/* ---- conditions ---- */

static int cond_key(enum tree_code code, tree a, tree b, int *val)
{
	int ka = canon_val(a), kb = canon_val(b);
	const char *op;

	*val = 1;
	switch (code) {
	case EQ_EXPR: op = "=="; break;
	case NE_EXPR: op = "=="; *val = 0; break;
	case LT_EXPR: op = "<"; break;
	case GE_EXPR: op = "<"; *val = 0; break;
	case GT_EXPR: op = "<"; { int t = ka; ka = kb; kb = t; } break;
	case LE_EXPR: op = "<"; *val = 0; { int t = ka; ka = kb; kb = t; } break;
	default: return 0;
	}
	if (op[0] == '=' && ka > kb) {
		int t = ka; ka = kb; kb = t;
	}
	return key_printf("%s%s%s", key_str(ka), op, key_str(kb));
}

static int is_flag_type(tree t)
{
	return INTEGRAL_TYPE_P(TREE_TYPE(t)) || POINTER_TYPE_P(TREE_TYPE(t));
}

/*
 * Locals that record lock state ("bool mmap_locked") are followed: a
 * constant stored to one is a fact until the next store or until its
 * address is handed to a call.
 */
static void track_local_store(gimple *g, struct mstate *s)
{
	tree lhs = gimple_assign_lhs(g), rhs = gimple_assign_rhs1(g);
	int k;

	if (TREE_CODE(lhs) == SSA_NAME || !is_flag_type(lhs))
		return;
	k = canon_ref(lhs);
	/* a gated lock's value stored where it is tested later: a local
	   ("vma = expand_stack(); if (!vma)") or a field ("vmf->pte =
	   pte_offset_map_lock(...); if (!vmf->pte)"); another store there
	   ends that */
	for (int i = 0; k && i < s->nh; i++) {
		if (s->h[i].cond && TREE_CODE(rhs) == SSA_NAME &&
		    (int)SSA_NAME_VERSION(rhs) == s->h[i].cond)
			s->h[i].condkey = k;
		else if (s->h[i].condkey == k)
			s->h[i].condkey = 0;
	}
	if (!VAR_P(lhs) || is_global_var(lhs))
		return;
	st_kill_facts(s, k);
	if (TREE_CODE(rhs) == INTEGER_CST)
		st_set_fact(s, zero_key(k), integer_zerop(rhs), k);
}

/*
 * Locals zeroed whole ("struct cpa_data cpa = { .vaddr = ... }",
 * memset(&cpa, 0, ...)): a field not stored since reads as zero, which
 * decides a callee's conditional precondition ("if (cpa->pgd)
 * populate_pgd(cpa)").  Facts "zeroed:L" and "written:L.f"; a call given
 * &L may write anything in it.
 */
static int zeroed_key(tree var)
{
	return key_printf("zeroed:%s", key_str(canon_ref(var)));
}

static void track_zeroing(gimple *g, struct mstate *s)
{
	if (gcall *call = dyn_cast<gcall *>(g)) {
		tree a;

		if (gimple_call_builtin_p(call, BUILT_IN_MEMSET) && gimple_call_num_args(call) == 3 &&
		    integer_zerop(gimple_call_arg(call, 1)) &&
		    TREE_CODE(a = gimple_call_arg(call, 0)) == ADDR_EXPR && VAR_P(TREE_OPERAND(a, 0)))
			st_set_fact(s, zeroed_key(TREE_OPERAND(a, 0)), 1, zeroed_key(TREE_OPERAND(a, 0)));
		else
			for (unsigned i = 0; i < gimple_call_num_args(call); i++)
				if (TREE_CODE(a = gimple_call_arg(call, i)) == ADDR_EXPR &&
				    VAR_P(TREE_OPERAND(a, 0)))
					st_kill_facts(s, zeroed_key(TREE_OPERAND(a, 0)));
		return;
	}
	if (!gimple_assign_single_p(g) || gimple_clobber_p(g))
		return;
	tree lhs = gimple_assign_lhs(g), rhs = gimple_assign_rhs1(g), base = lhs;

	if (VAR_P(lhs) && TREE_CODE(rhs) == CONSTRUCTOR && CONSTRUCTOR_NELTS(rhs) == 0 &&
	    AGGREGATE_TYPE_P(TREE_TYPE(lhs))) {
		st_set_fact(s, zeroed_key(lhs), 1, zeroed_key(lhs));
		return;
	}
	while (handled_component_p(base))
		base = TREE_OPERAND(base, 0);
	if (base == lhs || !VAR_P(base))
		return;
	int field = canon_ref(lhs), kt = key_printf("kerneltable:%s", key_str(field));

	if (st_fact(s, zeroed_key(base)) == 1)
		st_set_fact(s, key_printf("written:%s", key_str(field)), 1, 0);
	/* "cpa.pgd = init_mm.pgd": the tables below it are the kernel's */
	st_kill_facts(s, kt);
	if (TREE_CODE(rhs) == SSA_NAME && key_in_kernel_mm(canon_val(rhs)))
		st_set_fact(s, kt, 1, kt);
}

/*
 * A call handed the address of a local flag may drop a lock and say so
 * through the flag (khugepaged's "mmap_locked", gup's "int *locked"):
 * unless the callee's summary says what it does, the sleeping locks and
 * the locks reachable from its arguments become "maybe".
 */
static void track_escapes(gcall *call, struct mstate *s)
{
	tree fn = gimple_call_fndecl(call);
	struct summary *sm = fn ? summary_get(fn, 0) : NULL;
	int flag = 0;

	for (unsigned i = 0; i < gimple_call_num_args(call); i++) {
		tree a = gimple_call_arg(call, i);

		if (TREE_CODE(a) == ADDR_EXPR && VAR_P(TREE_OPERAND(a, 0))) {
			st_kill_facts(s, canon_ref(TREE_OPERAND(a, 0)));
			flag |= INTEGRAL_TYPE_P(TREE_TYPE(TREE_OPERAND(a, 0)));
		}
	}
	if (!flag || (sm && sm->analysed))
		return;
	for (int h = 0; h < s->nh; h++) {
		/* gup's "int *locked" drops mmap_lock, however the mm is reached */
		if (s->h[h].cls >= 0 && mm_rules_set.classes[s->h[h].cls].sleeping)
			s->h[h].flags |= H_MAYBE;
		for (unsigned i = 0; i < gimple_call_num_args(call); i++)
			if (s->h[h].inst > 0 &&
			    key_reaches(canon_val(gimple_call_arg(call, i)), s->h[h].inst))
				s->h[h].flags |= H_MAYBE;
	}
}

/* A value defined again (next loop iteration): what was known is stale. */
static void forget_redefined(gimple *g, struct mstate *s)
{
	tree lhs = gimple_get_lhs(g);
	int k;

	if (!lhs || TREE_CODE(lhs) != SSA_NAME || !s->nf)
		return;
	k = canon_val(lhs);
	/* only the value's own definition, not a copy of an older one */
	if (k == key_printf("S%u", SSA_NAME_VERSION(lhs)))
		st_kill_facts_naming(s, k);
}

/* A is RES moved by pointer arithmetic ("pte_9 = pte_7 + 8"). */
static int stepped_from(tree a, tree res)
{
	for (int i = 0; i < 4 && TREE_CODE(a) == SSA_NAME && a != res; i++) {
		gimple *def = SSA_NAME_DEF_STMT(a);

		if (!is_gimple_assign(def) || gimple_assign_rhs_code(def) != POINTER_PLUS_EXPR)
			return 0;
		a = gimple_assign_rhs1(def);
	}
	return a == res;
}

/* The same for the values a loop header's PHIs define again: facts of the
   last iteration ("ptl == pml", "vma->anon_vma == NULL") are not this one's. */
static void forget_phi_results(edge e, struct mstate *s)
{
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi) && s->nf;
	     gsi_next(&gsi)) {
		tree res = gimple_phi_result(gsi.phi());
		int k;

		if (virtual_operand_p(res))
			continue;
		k = canon_val(res);
		if (k != key_printf("S%u", SSA_NAME_VERSION(res)))
			continue;
		int nonnull = stepped_from(PHI_ARG_DEF_FROM_EDGE(gsi.phi(), e), res) &&
			      st_fact(s, zero_key(k)) == 0;

		st_kill_facts_naming(s, k);
		if (nonnull)	/* "pte++" from a pointer that was not NULL */
			st_set_fact(s, zero_key(k), 0, k);
	}
}

/* PHIs of flags: what the incoming edge says the new value is. */
static void track_phis(edge e, struct mstate *s)
{
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		tree res = gimple_phi_result(phi), a;
		int k, ka, v;

		if (virtual_operand_p(res) || !is_flag_type(res))
			continue;
		k = canon_val(res);
		if (key_str(k)[0] != 'S')
			continue;	/* all arguments agree: nothing to learn */
		a = const_value(PHI_ARG_DEF_FROM_EDGE(phi, e));
		int moved = 0;	/* "ptep++": not NULL if it was not */
		for (; moved < 4 && TREE_CODE(a) == SSA_NAME &&
		     is_gimple_assign(SSA_NAME_DEF_STMT(a)) &&
		     gimple_assign_rhs_code(SSA_NAME_DEF_STMT(a)) == POINTER_PLUS_EXPR; moved++)
			a = const_value(gimple_assign_rhs1(SSA_NAME_DEF_STMT(a)));
		v = -1;
		if (TREE_CODE(a) == INTEGER_CST)
			v = integer_zerop(a);
		else if (prov_val(a).nonnull || locked_through(s, canon_val(a)))
			v = 0;
		else if ((ka = canon_val(a)) != k)
			v = st_fact(s, zero_key(ka));
		else if (moved && st_fact(s, zero_key(k)) == 0)
			v = 0;	/* "pte++" (forget_phi_results kept it) */
		if (moved && v == 1)
			v = -1;
		st_kill_facts(s, k);
		/* weak: the first fact to go when the state is full; not a
		   result a rule needs tested (nullres.c) */
		if (v >= 0)
			st_set_fact(s, zero_key(k), v, v == 0 && nullable_value(res) ? k : k | FACT_WEAK);
	}
}

/* The equality facts "FROM==X" hold of TO, which took FROM's value. */
static void facts_follow(struct mstate *s, int from, int to)
{
	const char *fs = key_str(from);
	size_t n = strlen(fs);

	for (int i = 0, nf = s->nf; i < nf; i++) {
		const char *k = key_str(s->f[i].key), *eq = strstr(k, "==");
		int other, lo, hi;

		if (!eq || strstr(eq + 2, "=="))
			continue;
		if ((size_t)(eq - k) == n && !strncmp(k, fs, n))
			other = key_intern(eq + 2);
		else if (!strcmp(eq + 2, fs))
			other = key_printf("%.*s", (int)(eq - k), k);
		else
			continue;
		if (other == to)
			continue;
		lo = to < other ? to : other;	/* as cond_key orders them */
		hi = to < other ? other : to;
		st_set_fact(s, key_printf("%s==%s", key_str(lo), key_str(hi)), s->f[i].val,
			    (s->f[i].subj & ~FACT_WEAK) == from ? to | FACT_WEAK : FACT_WEAK);
	}
}

/*
 * What is known of a value follows it into the PHI that takes it on this
 * edge: a lock held iff it is nonzero (trylock, expand_stack: "if (!vma)
 * vma = expand_stack(...)"), a lock taken through it or on it ("pml =
 * pmd_lock()" on one arm, "spin_unlock(pml)" after the join), and its equalities
 * ("ptl != pml" tested before the join, again after it).
 */
static void follow_phis(edge e, struct mstate *s)
{
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		tree a = PHI_ARG_DEF_FROM_EDGE(phi, e), res = gimple_phi_result(phi);
		int ka, kr;

		if (virtual_operand_p(res) || TREE_CODE(a) != SSA_NAME)
			continue;
		for (int i = 0; i < s->nh; i++)
			if (s->h[i].cond == (int)SSA_NAME_VERSION(a))
				s->h[i].cond = SSA_NAME_VERSION(res);
		if (!POINTER_TYPE_P(TREE_TYPE(res)) || (ka = canon_val(a)) == (kr = canon_val(res)) ||
		    key_str(ka)[0] == '#')	/* a constant: track_phis */
			continue;
		for (int i = 0; i < s->nh; i++) {
			if (s->h[i].ptr == ka)
				s->h[i].ptr = kr;
			if (s->h[i].inst == ka)	/* "src_anon_vma" locked, then "goto retry" */
				s->h[i].inst = kr;
		}
		facts_follow(s, ka, kr);
	}
}

static int is_lockish(tree t)
{
	return TREE_CODE(t) == SSA_NAME && prov_val(t).kind == PV_LOCK;
}

/* A lock pointer, or the pointer a held lock was taken through ("pml",
   NULL on the paths that did not take it) */
static int lock_value(const struct mstate *s, tree t)
{
	int k;

	if (is_lockish(t))
		return 1;
	if (TREE_CODE(t) != SSA_NAME)
		return 0;
	k = canon_val(t);
	for (int i = 0; i < s->nh; i++)
		if (s->h[i].ptr == k && !s->h[i].cond)
			return 1;
	return 0;
}

/*
 * On a path where two lock pointers are equal, a held lock is also the
 * lock of the other pointer's table (huge_memory's move_huge_pmd takes
 * new_ptl only "if (new_ptl != old_ptl)").
 */
static void alias_equal_locks(struct mstate *s, tree a, tree b)
{
	int ka = canon_val(a), kb = canon_val(b);
	struct prov pa = prov_val(a), pb = prov_val(b);

	for (int i = s->nh - 1; i >= 0; i--) {
		struct held h = s->h[i];
		struct prov *other = h.ptr == ka ? &pb : h.ptr == kb ? &pa : NULL;

		if (!other && pa.kind == PV_LOCK && pa.cls == h.cls && pa.inst == h.inst)
			other = &pb;
		else if (!other && pb.kind == PV_LOCK && pb.cls == h.cls && pb.inst == h.inst)
			other = &pa;

		if (!other || other->kind != PV_LOCK || (h.flags & H_ALIAS))
			continue;
		h.cls = other->cls;	/* a pmd lock that is the pte lock too */
		h.inst = other->inst;
		h.flags |= H_ALIAS | H_ENTRY;
		st_add_held(s, &h);
	}
}

/* Two lock pointers of classes this configuration keeps apart
   ("ptl != pml" with split pte locks: never the same lock) */
static int distinct_locks(tree a, tree b)
{
	struct prov pa, pb;

	if (TREE_CODE(a) != SSA_NAME || TREE_CODE(b) != SSA_NAME)
		return 0;
	pa = prov_val(a);
	pb = prov_val(b);
	return pa.kind == PV_LOCK && pb.kind == PV_LOCK && pa.cls >= 0 && pb.cls >= 0 &&
	       pa.cls != pb.cls && classes_distinct(pa.cls, pb.cls);
}

static tree path_const(const struct mstate *s, tree v);

/* "A CODE B" by the constants this path gave: 1, 0, or -1 (not known).
   Looks through "x != 0" and likely() to a comparison they test. */
static int path_fold(const struct mstate *s, enum tree_code code, tree a, tree b)
{
	int neg = 0;
	tree ca, cb, r;

	if ((code == NE_EXPR || code == EQ_EXPR) && integer_zerop(b) && TREE_CODE(a) == SSA_NAME) {
		tree base = bool_base(a, &neg);
		gimple *def = SSA_NAME_DEF_STMT(base);

		if (is_gimple_assign(def) &&
		    TREE_CODE_CLASS(gimple_assign_rhs_code(def)) == tcc_comparison) {
			int v = path_fold(s, gimple_assign_rhs_code(def), gimple_assign_rhs1(def),
					  gimple_assign_rhs2(def));

			return v < 0 ? -1 : (v ^ neg) == (code == NE_EXPR);
		}
	}
	ca = path_const(s, a);
	cb = path_const(s, b);
	if (TREE_CODE(ca) != INTEGER_CST || TREE_CODE(cb) != INTEGER_CST)
		return -1;
	r = fold_binary(code, boolean_type_node, ca, fold_convert(TREE_TYPE(ca), cb));
	return r && TREE_CODE(r) == INTEGER_CST ? !integer_zerop(r) : -1;
}

/* Apply the branch to S; 0 if the path is infeasible. */
static int apply_cond(gcond *c, int taken_true, struct mstate *s, int relevant)
{
	enum tree_code code = gimple_cond_code(c);
	tree a = gimple_cond_lhs(c), b = gimple_cond_rhs(c);
	int key, val, gated = 0;

	if (!taken_true)
		code = invert_tree_comparison(code, false);
	if (code == ERROR_MARK)
		return 1;
	{
		/* "({ lock(); 1; })" and friends: a branch on constants */
		tree ca = const_value(a), cb = const_value(b), r;

		if (TREE_CODE(ca) == INTEGER_CST && TREE_CODE(cb) == INTEGER_CST) {
			r = fold_binary(code, boolean_type_node, ca, fold_convert(TREE_TYPE(ca), cb));
			if (r && TREE_CODE(r) == INTEGER_CST)
				return !integer_zerop(r);
		}
		/* a constant the path gave a PHI ("else result = SCAN_PMD_NULL")
		   says this branch cannot be taken: the lock rules go on as
		   before, checkers that need the correlation skip the path */
		if (path_fold(s, code, a, b) == 0)
			s->const_dead = 1;
	}
	if ((code == NE_EXPR || code == EQ_EXPR) && integer_zerop(b)) {
		int neg = 0;

		gated = resolve_gated(s, a, code == NE_EXPR);
		a = bool_base(a, &neg);	/* "!x" tests x */
		if (neg)
			code = code == NE_EXPR ? EQ_EXPR : NE_EXPR;
		if (prov_val(a).nonnull || locked_through(s, canon_val(a))) {
			if (code == NE_EXPR && nullable_value(a))	/* for the uses after */
				st_set_fact(s, zero_key(canon_val(a)), 0, canon_val(a));
			return code == NE_EXPR;
		}
	}
	if ((code == EQ_EXPR || code == NE_EXPR) && distinct_locks(a, b))
		return code == NE_EXPR;
	key = cond_key(code, a, b, &val);
	if (!key)
		return 1;
	if (code == EQ_EXPR && lock_value(s, a) && lock_value(s, b) && st_fact(s, key) < 0)
		alias_equal_locks(s, a, b);
	int known = st_fact(s, key);
	if (known >= 0) {
		if (known == val)	/* checked again: now under today's locks too */
			st_set_fact(s, key, val, TREE_CODE(b) == INTEGER_CST ? canon_val(a) : 0);
		return known == val;
	}
	/* a test that decided a lock is worth remembering ("if (start_pte)"
	   again at the end) */
	if (relevant || gated || is_lockish(a) || is_lockish(b) || is_vma_fact_key(canon_val(a)) ||
	    (integer_zerop(b) && nullable_value(a)))
		st_set_fact(s, key, val, TREE_CODE(b) == INTEGER_CST ? canon_val(a) : 0);
	return 1;
}

/* A branch is worth remembering when a successor does lock work. */
static int bb_has_lock_call(basic_block bb)
{
	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
		tree fn;
		const struct mm_op *op;

		if (!call || !(fn = gimple_call_fndecl(call)))
			continue;
		for (op = fn_ops(fn); op; op = fn_ops_next(fn, op))
			if (op->dir == MM_ACQUIRE || op->dir == MM_RELEASE ||
			    op->dir == MM_NEEDS || op->dir == MM_DETACH ||
			    op->dir == MM_VMAWLOCK)
				return 1;
		struct summary *sm = summary_get(fn, 0);
		if (sm && !summary_empty(sm))
			return 1;
	}
	return 0;
}

/* A lock call within DEPTH blocks down this way (macro arms nest). */
static int lock_call_near(basic_block bb, int depth)
{
	edge e;
	edge_iterator ei;

	if (bb == EXIT_BLOCK_PTR_FOR_FN(cfun))
		return 0;
	if (bb_has_lock_call(bb))
		return 1;
	if (depth <= 1)
		return 0;
	FOR_EACH_EDGE(e, ei, bb->succs)
		if (!(e->flags & EDGE_DFS_BACK) && lock_call_near(e->dest, depth - 1))
			return 1;
	return 0;
}

static void mark_relevant_conds(void)
{
	basic_block bb;

	cur->cond_relevant = (unsigned char *)xcalloc(last_basic_block_for_fn(cfun) + 1, 1);
	FOR_EACH_BB_FN(bb, cfun) {
		edge e;
		edge_iterator ei;
		gcond *c = safe_dyn_cast<gcond *>(last_stmt(bb));

		if (!c)
			continue;
		FOR_EACH_EDGE(e, ei, bb->succs)
			if (lock_call_near(e->dest, 4))
				cur->cond_relevant[bb->index] = 1;
	}
}

/* The constant V has on this path: itself, a copy of one, or a PHI the
   path gave a constant ("result = SCAN_FAIL; goto out; out: return result"). */
static tree path_const(const struct mstate *s, tree v)
{
	v = const_value(v);	/* copies followed: a constant, or a PHI */
	for (int k = 0; TREE_CODE(v) == SSA_NAME && k < 4; k++)
		if (s->cphi_ver[k] == (int)SSA_NAME_VERSION(v))
			return build_int_cst(TREE_TYPE(v), s->cphi_val[k]);
	return v;
}

/* PHIs of integers that take a constant along E: remember it for the path.
   PHIs read their arguments at once: each from the path as it was. */
static void const_phis(edge e, struct mstate *s)
{
	const struct mstate before = *s;

	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		tree res = gimple_phi_result(phi), a;
		int ver = SSA_NAME_VERSION(res), slot = -1;

		if (virtual_operand_p(res) || !INTEGRAL_TYPE_P(TREE_TYPE(res)))
			continue;
		for (int k = 0; k < 4; k++)
			if (s->cphi_ver[k] == ver)
				slot = k;
		a = path_const(&before, PHI_ARG_DEF_FROM_EDGE(phi, e));
		if (TREE_CODE(a) != INTEGER_CST || !tree_fits_shwi_p(a)) {
			if (slot >= 0)
				s->cphi_ver[slot] = 0;
			continue;
		}
		if (slot < 0) {
			slot = s->cphi_next;
			s->cphi_next = (s->cphi_next + 1) % 4;
		}
		s->cphi_ver[slot] = ver;
		s->cphi_val[slot] = tree_to_shwi(a);
	}
}

/* "if (err) return err;": is V (the value returned along E) known to be
   nonzero (1) or zero (0) from the branch that led here?  -1: not known. */
static int branch_says(edge e, tree v)
{
	int nv = 0;

	v = bool_base(v, &nv);
	for (int i = 0; i < 3; i++) {
		gcond *c = safe_dyn_cast<gcond *>(last_stmt(e->src));

		if (c) {
			enum tree_code code = gimple_cond_code(c);
			int neg = nv;

			if (!(e->flags & (EDGE_TRUE_VALUE | EDGE_FALSE_VALUE)) ||
			    !integer_zerop(gimple_cond_rhs(c)) || (code != NE_EXPR && code != EQ_EXPR) ||
			    bool_base(gimple_cond_lhs(c), &neg) != v)
				return -1;
			return ((code == NE_EXPR) == !!(e->flags & EDGE_TRUE_VALUE)) ^ neg;
		}
		if (!single_pred_p(e->src))
			return -1;
		e = single_pred_edge(e->src);
	}
	return -1;
}

/* The constant a return block will return when entered along E. */
static void note_retval(edge e, struct mstate *s)
{
	greturn *ret = safe_dyn_cast<greturn *>(last_stmt(e->dest));
	tree rv;

	s->ret_known = 0;
	s->retval = 0;
	s->retloc = UNKNOWN_LOCATION;
	s->retarg = NULL_TREE;
	if (!ret || !(rv = gimple_return_retval(ret)))
		return;
	/* "out: return result;" can be "_8 = result_2; return _8;" */
	for (int i = 0; i < 3 && TREE_CODE(rv) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(rv);

		if (gimple_bb(def) != e->dest || !(gimple_assign_ssa_name_copy_p(def) ||
						   gimple_assign_cast_p(def)))
			break;
		rv = gimple_assign_rhs1(def);
	}
	if (TREE_CODE(rv) == SSA_NAME) {
		gphi *phi = safe_dyn_cast<gphi *>(SSA_NAME_DEF_STMT(rv));

		if (phi && gimple_bb(phi) == e->dest) {
			s->retloc = gimple_phi_arg_location_from_edge(phi, e);
			rv = PHI_ARG_DEF_FROM_EDGE(phi, e);
			s->retarg = rv;
			if (TREE_CODE(rv) == SSA_NAME && !SSA_NAME_IS_DEFAULT_DEF(rv) &&
			    gimple_location(SSA_NAME_DEF_STMT(rv)) != UNKNOWN_LOCATION)
				s->retloc = gimple_location(SSA_NAME_DEF_STMT(rv));
		}
	}
	rv = path_const(s, rv);
	if (TREE_CODE(rv) == INTEGER_CST && tree_fits_shwi_p(rv)) {
		s->ret_known = 1;
		s->retval = tree_to_shwi(rv);
	} else if (TREE_CODE(rv) == SSA_NAME) {
		int nz = branch_says(e, rv);

		if (nz >= 0) {
			s->ret_known = nz ? 2 : 1;
			s->retval = nz;
		}
	}
}

/* A return: what the path says of the value returned, then the checkers. */
static void do_return(greturn *ret, struct mstate *s)
{
	location_t at = gimple_location(ret);
	tree rv = gimple_return_retval(ret), arg = s->retarg;	/* the PHI's argument on this path */
	struct ret_event re;

	if (s->retloc != UNKNOWN_LOCATION)
		at = s->retloc;
	if (!s->ret_known && rv && TREE_CODE(rv) == SSA_NAME) {
		/* what the branches taken say of the returned value */
		int f = st_fact(s, zero_key(canon_val(rv)));

		if (f >= 0) {
			s->ret_known = f ? 1 : 2;
			s->retval = f ? 0 : 1;
		}
	}
	if (mm_trace) {
		fprintf(stderr, "trace: return line %d held=%d known=%d val=%ld:",
			expand_location(at).line, s->nh, s->ret_known, (long)s->retval);
		for (int i = 0; i < s->nh; i++)
			fprintf(stderr, " [%s inst=%s f=%d c=%d]", class_name(s->h[i].cls),
				key_str(s->h[i].inst), s->h[i].flags, s->h[i].cond);
		for (int i = 0; i < s->nf; i++)
			fprintf(stderr, " {%s=%d}", key_str(s->f[i].key), s->f[i].val);
		fprintf(stderr, "\n");
	}
	if (at == UNKNOWN_LOCATION)
		at = cfun->function_end_locus;
	if (rv && TREE_CODE(const_value(rv)) == INTEGER_CST && tree_fits_shwi_p(const_value(rv))) {
		s->ret_known = 1;
		s->retval = tree_to_shwi(const_value(rv));
	}
	re.rv = rv;
	re.arg = arg;
	re.at = at;
	lease_ret(s, rv ? rv : arg);
	chk_ret(s, &re);
}

static void walk_bb(basic_block bb, struct mstate st)
{
	gimple *last = NULL;

	if (mm_trace)
		fprintf(stderr, "trace: bb %d pend=%d cond=%d gone=%x\n", bb->index, st.lx.pend,
			st.lx.pend_cond, st.lx.gone);

	for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gimple *g = gsi_stmt(gsi);

		last = g;
		forget_redefined(g, &st);
		chk_stmt(g, &st);
		lease_stmt(g, &st);
		if (gcall *call = dyn_cast<gcall *>(g)) {
			chk_results(call, &st);
			track_escapes(call, &st);
			do_call(call, &st);
			track_zeroing(g, &st);
			if (gimple_call_noreturn_p(call))
				return;	/* BUG() and friends end the path */
		} else if (gimple_assign_single_p(g) && !gimple_clobber_p(g)) {
			track_local_store(g, &st);
			track_zeroing(g, &st);
		}
		else if (greturn *ret = dyn_cast<greturn *>(g))
			do_return(ret, &st);
	}
	edge e;
	edge_iterator ei;
	gcond *c = safe_dyn_cast<gcond *>(last);
	gswitch *sw = safe_dyn_cast<gswitch *>(last);

	FOR_EACH_EDGE(e, ei, bb->succs) {
		struct mstate s2 = st;

		if (e->dest == EXIT_BLOCK_PTR_FOR_FN(cfun))
			continue;
		if (c && (e->flags & (EDGE_TRUE_VALUE | EDGE_FALSE_VALUE)) &&
		    !apply_cond(c, e->flags & EDGE_TRUE_VALUE, &s2,
				cur->cond_relevant[bb->index]))
			continue;
		lease_flush(&s2);	/* locks the branch released */
		if (c && (e->flags & (EDGE_TRUE_VALUE | EDGE_FALSE_VALUE))) {
			lease_cond_edge(c, e->flags & EDGE_TRUE_VALUE, &s2);
			chk_cond_edge(e, c, e->flags & EDGE_TRUE_VALUE, &s2);
		}
		if (sw) {
			lease_switch_edge(e, sw, &s2);
			chk_switch_edge(e, sw, &s2);
		}
		lease_flush(&s2);	/* ... or a checker's edge hook did */
		forget_phi_results(e, &s2);
		track_phis(e, &s2);
		follow_phis(e, &s2);
		const_phis(e, &s2);
		lease_phis(e, &s2);
		chk_phis(e, &s2);
		note_retval(e, &s2);
		add_state(e->dest, &s2);
	}
}

static int run(int limit)
{
	struct mstate init;
	edge e;
	edge_iterator ei;
	long budget = stats_budget ? stats_budget : 20000 + 40L * n_basic_blocks_for_fn(cfun) * limit;

	memset(&init, 0, sizeof(init));
	bbs = (struct bbstates *)xcalloc(last_basic_block_for_fn(cfun) + 1, sizeof(*bbs));
	max_per_bb = limit;
	nwl = 0;
	FOR_EACH_EDGE(e, ei, ENTRY_BLOCK_PTR_FOR_FN(cfun)->succs) {
		struct mstate s = init;

		note_retval(e, &s);
		add_state(e->dest, &s);
	}
	/* depth-first: follow one path to its end before the next */
	while (nwl > 0 && budget-- > 0 && !ssawalk_over()) {
		struct work w = wl[--nwl];
		basic_block bb = BASIC_BLOCK_FOR_FN(cfun, w.bb);

		steps++;
		walk_bb(bb, bbs[w.bb].s[w.idx]);
	}
	live_states = 0;
	for (int i = 0; i <= last_basic_block_for_fn(cfun); i++)
		free(bbs[i].s);
	free(bbs);
	bbs = NULL;
	return nwl == 0 && !ssawalk_over();	/* all paths, every value named */
}

void analyse_function(struct cgraph_node *node, int limit)
{
	struct fnctx ctx;
	struct function *fn = DECL_STRUCT_FUNCTION(node->decl);

	memset(&ctx, 0, sizeof(ctx));
	push_cfun(fn);
	ctx.decl = node->decl;
	ctx.sum = summary_get(node->decl, 1);
	cur = &ctx;
	ssawalk_begin_function();
	keys_begin_function();
	prov_begin_function();
	mark_relevant_conds();
	ctx.fn_touch = fn_lock_classes();
	ctx.mm_private = mm_rules_mmprivate(&mm_rules_set, fn_name(node->decl));
	chk_begin_function(node->decl);

	report_begin_function();
	stats_begin();
	steps = live_states = peak_states = 0;
	const char *mode = "paths";
	int done = !ssawalk_over() && run(limit);

	if (!done && !ssawalk_over()) {
		/* too many paths: merge everything per block */
		report_end_function(0);
		ctx.nrr = 0;
		summary_forget_preconds(ctx.sum);	/* found again on the way */
		chk_begin_function(node->decl);	/* the checkers' own state too */
		report_begin_function();
		done = run(1);
		if (done) {
			plugin_note(DECL_SOURCE_LOCATION(node->decl),
				    "mmlock: '%s' analysed with merged paths (too many to follow)",
				    fn_name(node->decl));
			mode = "merged";
		}
	}
	if (!done) {
		report_end_function(0);
		plugin_note(DECL_SOURCE_LOCATION(node->decl), ssawalk_over() ?
			    "mmlock: '%s' not analysed: too much work following its values" :
			    "mmlock: '%s' not analysed: too many paths", fn_name(node->decl));
		mode = "skipped";
		goto out;
	}
	chk_end_function();
	summary_drop_reported_preconds(ctx.sum);
	report_end_function(1);
out:
	stats_end(node->decl, n_basic_blocks_for_fn(cfun), steps, peak_states, mode);
	summary_analysed(ctx.sum);
	free(ctx.rr);
	free(ctx.cond_relevant);
	prov_end_function();
	keys_end_function();
	cur = NULL;
	pop_cfun();
}
