/*
 * vma-write (RULES.md "New rules"): a vma field that faults read under the
 * per-VMA lock (rules "vmafield FIELD locked": vm_flags, vm_page_prot,
 * vm_policy, anon_name, vm_userfaultfd_ctx, anon_vma) is changed only
 * after vma_start_write() on that vma (rules "vmawlock"), or on a vma not
 * yet in the tree (rules "vmanew": vm_area_alloc, vm_area_dup).  anon_vma
 * may instead be set under mm->page_table_lock (a lock covering every
 * instance of its class, rules "lockfield ... inst=*").
 *
 * Per path, "write-locked" is a fact on the vma's key.  A store to a vma
 * this function found (a local, a parameter it assigned) without it is
 * reported; a store to a vma its caller passed is a precondition, checked
 * at each call in the unit the same way (a static helper's callers, as
 * the fixes of the 657b5146955e series show); a function that write-locks
 * a vma parameter on every path says so in its summary.
 */
#include "checker.h"

static int r_vw;
static const struct rule_bind rules[] = { { "vma-write", &r_vw }, { NULL, NULL } };

static int rule(void)
{
	return r_vw;
}

static int wl_key(int vma)
{
	return key_printf("vmawl:%s", key_str(vma));
}

static int is_vma_type(tree type)
{
	return type && TREE_CODE(type) == RECORD_TYPE && type_named(type, mm_rules_set.vmatype);
}

/* A field the rules say is changed under the vma write lock; ANON: also
   the one set under mm->page_table_lock instead. */
static int locked_field(tree field, int *anon)
{
	const char *name;

	if (!field || TREE_CODE(field) != FIELD_DECL || !DECL_NAME(field))
		return 0;
	name = IDENTIFIER_POINTER(DECL_NAME(field));
	*anon = mm_rules_field_role(&mm_rules_set, name, MM_VMA_ANON);
	return mm_rules_field_role(&mm_rules_set, name, MM_VMA_LOCKED);
}

/* The field of TYPE at byte OFF (through anonymous unions and structs). */
static tree field_at(tree type, HOST_WIDE_INT off)
{
	for (tree f = TYPE_FIELDS(type); f; f = DECL_CHAIN(f)) {
		HOST_WIDE_INT pos;

		if (TREE_CODE(f) != FIELD_DECL || !tree_fits_shwi_p(byte_position(f)))
			continue;
		pos = tree_to_shwi(byte_position(f));
		if (!DECL_NAME(f) && RECORD_OR_UNION_TYPE_P(TREE_TYPE(f)) &&
		    TYPE_SIZE_UNIT(TREE_TYPE(f)) && tree_fits_shwi_p(TYPE_SIZE_UNIT(TREE_TYPE(f))) &&
		    off >= pos && off < pos + tree_to_shwi(TYPE_SIZE_UNIT(TREE_TYPE(f)))) {
			if (tree in = field_at(TREE_TYPE(f), off - pos))
				return in;
		}
		if (pos == off && DECL_NAME(f))
			return f;
	}
	return NULL_TREE;
}

/* Where a statement stores: an assignment's lhs, or the place a call's
   result goes ("vma->vm_page_prot = vm_get_page_prot(...)"), or NULL */
static tree store_target(gimple *g)
{
	if (gimple_assign_single_p(g) && !gimple_clobber_p(g))
		return gimple_assign_lhs(g);
	return is_gimple_call(g) ? gimple_call_lhs(g) : NULL_TREE;
}

/* "vma->f = x", "vma->u.f = x", "MEM[vma + off] = x" (WRITE_ONCE): the vma
   and the protected field stored to. */
static tree stored_vma(tree lhs, tree *field, int *anon)
{
	tree ref = lhs, f = NULL_TREE;

	for (; handled_component_p(ref); ref = TREE_OPERAND(ref, 0))
		if (TREE_CODE(ref) == COMPONENT_REF && locked_field(TREE_OPERAND(ref, 1), anon))
			f = TREE_OPERAND(ref, 1);
	if (TREE_CODE(ref) != MEM_REF || TREE_CODE(TREE_OPERAND(ref, 0)) != SSA_NAME)
		return NULL_TREE;
	tree base = TREE_OPERAND(ref, 0);

	if (!POINTER_TYPE_P(TREE_TYPE(base)) || !is_vma_type(TREE_TYPE(TREE_TYPE(base))))
		return NULL_TREE;
	if (!f && ref == lhs && tree_fits_shwi_p(TREE_OPERAND(ref, 1))) {
		tree at = field_at(TREE_TYPE(TREE_TYPE(base)), tree_to_shwi(TREE_OPERAND(ref, 1)));

		if (at && locked_field(at, anon))
			f = at;
	}
	if (!f)
		return NULL_TREE;
	*field = f;
	return base;
}

/* A vma made here and not yet in the tree. */
static int new_vma(tree v)
{
	for (int i = 0; i < 6 && v && TREE_CODE(v) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(v);

		if (gcall *call = dyn_cast<gcall *>(def))
			return gimple_call_fndecl(call) && rules_op(gimple_call_fndecl(call), MM_VMANEW);
		if (!gimple_assign_ssa_name_copy_p(def) && !gimple_assign_cast_p(def))
			return 0;
		v = gimple_assign_rhs1(def);
	}
	return 0;
}

/* The fact "write-locked": 1 locked on this path, 2 asserted (it covers
   this function, it is not a lock the function hands its callers). */
static int covered(const struct mstate *s, int key, int anon)
{
	if (st_fact(s, wl_key(key)) >= 1)
		return 1;
	for (int i = 0; anon && i < s->nh; i++)	/* mm->page_table_lock */
		if (s->h[i].inst == KEY_WILD && !s->h[i].cond && !(s->h[i].flags & H_MAYBE))
			return 1;
	return 0;
}

static void need(gcall *call, struct mstate *s, int key, int anon, const char *what,
		 location_t oploc, const char *callee, gimple *at)
{
	char msg[320];

	if (covered(s, key, anon))
		return;
	if (key_is_local_addr(key))	/* a vma on the stack (hugetlbfs' pseudo_vma) */
		return;
	if (key_param_rooted(key)) {	/* the caller's vma: its callers' need */
		struct precond p;

		memset(&p, 0, sizeof(p));
		p.cls = -1;
		p.key = key;
		p.rule = rule();
		p.loc = oploc;
		p.what = what;
		p.alt = anon;
		pass_need_on(s, &p, NULL);
		return;
	}
	if (callee)
		snprintf(msg, sizeof(msg), "call to %s(), which changes vma->%s, without "
			 "vma_start_write() on this vma first", callee, what);
	else
		snprintf(msg, sizeof(msg), "changes vma->%s without vma_start_write() on this vma "
			 "first (faults under the per-VMA lock read it)", what);
	report(rule(), gimple_location(call ? call : at), msg);
	if (callee)
		report_note(oploc, "the change in the callee");
	st_set_fact(s, wl_key(key), 1, key);	/* once per vma and path */
}

static void vw_stmt(gimple *g, struct mstate *s)
{
	int r = rule();
	tree lhs = store_target(g), field, base;
	int anon = 0;

	if (!rule_on(r))
		return;
	if (lhs && (base = stored_vma(lhs, &field, &anon)) && !new_vma(base))
		need(NULL, s, canon_val(base), anon, IDENTIFIER_POINTER(DECL_NAME(field)),
		     gimple_location(g), NULL, g);

	gcall *call = dyn_cast<gcall *>(g);
	tree fn = call ? gimple_call_fndecl(call) : NULL_TREE;
	const struct mm_op *op = fn ? rules_op(fn, MM_VMAWLOCK) : NULL;
	const struct mm_op *rel;

	/* mmap_write_unlock(), mmap_write_downgrade(): every vma write lock
	   taken on this path ends with it (there is no single unlock) */
	if (fn && (((rel = rules_op(fn, MM_RELEASE)) && !rel->maybe && !rel->mask) ||
		   (rel = rules_op(fn, MM_DOWNGRADE))) && rel->cls == mmap_cls) {
		for (int i = s->nf - 1; i >= 0; i--)
			if (s->f[i].val == 1 && !strncmp(key_str(s->f[i].key), "vmawl:", 6))
				st_kill_facts(s, s->f[i].subj & ~FACT_WEAK);
		return;
	}

	tree v;

	if (op && (v = call_arg(call, op->vma_arg))) {
		int k = canon_val(v);

		/* vma_assert_write_locked() states what the function's callers
		   did: it covers the function (as Coccinelle's vma-write
		   reads it); following it to every caller reports the mm/vma.c
		   helpers whose callers lock through paths the analysis does
		   not follow (vma_prepare, vma_iter walks) */
		st_set_fact(s, wl_key(k), op->states ? 2 : 1, k);
	}
}

/* A call's callee changes a vma it was handed: the same need here. */
static void vw_precond(gcall *call, struct mstate *s, const struct need *n)
{
	const struct precond *p = n->p;
	int key = n->key;

	for (unsigned a = 0; a < gimple_call_num_args(call); a++)
		if (canon_val(gimple_call_arg(call, a)) == key && new_vma(gimple_call_arg(call, a)))
			return;
	need(call, s, key, p->alt, p->what, p->loc, n->callee, call);
}

/* Summary: the vmas its caller handed it ("P0", "P0->vma": vma_prepare()
   locking vp->vma) write-locked on every path that returns. */
static void vw_return(struct mstate *s, const struct ret_event *r)
{
	int locked[MAXF], n = 0;

	for (int i = 0; i < s->nf; i++) {
		int subj = s->f[i].subj & ~FACT_WEAK;

		if (s->f[i].val == 1 && subj && key_param_rooted(subj) &&
		    s->f[i].key == wl_key(subj))
			locked[n++] = subj;
	}
	summary_vw_locked(locked, n);
}

/* ... and at its calls: those vmas are write-locked. */
static void vw_apply_summary(gcall *call, struct mstate *s, const struct summary *sm)
{
	for (int i = 0; i < sm->nvw_locked; i++) {
		int k = key_map_params(sm->vw_locked[i], call);

		if (k)
			st_set_fact(s, wl_key(k), 1, k);
	}
}

/* A store to a field of a vma (of a value, or of a call's result): worth
   analysing the function for, though it calls nothing the rules name. */
static int vw_relevant(gimple *g)
{
	tree lhs = store_target(g), base;

	if (!rule_on(r_vw) || !lhs || !(base = deref_base(lhs)) || !POINTER_TYPE_P(TREE_TYPE(base)))
		return 0;
	return type_named(TREE_TYPE(TREE_TYPE(base)), mm_rules_set.vmatype);
}

CHECKER(vma_write_checker) = {
	.name = "vma-write",
	.rules = rules,
	.relevant = vw_relevant,
	.stmt = vw_stmt,
	.need = vw_precond,
	.summary = vw_apply_summary,
	.ret = vw_return,
};
