/*
 * What each call does to the lock state: the rules-data primitives
 * (acquire, release, downgrade, assert, needs, detach) and the summaries
 * of functions analysed earlier in this unit.
 */
#include "checker.h"

/* A conditional acquisition that can be trusted to say "not taken" when it
   fails: outside loops (in a retry loop the flags that tell are followed
   less well than that needs). */
static int outside_loops(gcall *call)
{
	basic_block bb = gimple_bb(call);

	return current_loops && bb && bb->loop_father && bb_loop_depth(bb) == 0;
}

/* Classes this function takes or drops anywhere (bit per class). */
unsigned fn_lock_classes(void)
{
	unsigned mask = 0;
	basic_block bb;

	FOR_EACH_BB_FN(bb, cfun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
			tree fn;
			struct held h;

			if (!call || !(fn = gimple_call_fndecl(call)))
				continue;
			for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op))
				if ((op->dir == MM_ACQUIRE || op->dir == MM_RELEASE) &&
				    lock_desc(op, call, &h) && h.cls >= 0 && h.cls < MM_MAX_CLASSES)
					mask |= 1u << h.cls;
		}
	}
	return mask;
}

/* Taking a lock that was "maybe" held makes it held: one entry, not two. */
static void add_or_replace_maybe(struct mstate *s, const struct held *h)
{
	for (int i = 0; i < s->nh; i++) {
		if (s->h[i].cls != h->cls || h->cls < 0 || s->h[i].inst != h->inst)
			continue;
		if (s->h[i].flags & H_MAYBE) {
			s->h[i] = *h;
			return;
		}
		/* maybe re-taken by a callee that may have dropped it: it is
		   held, as it was (madvise's walk dropping and re-taking
		   mmap_lock) */
		if ((h->flags & H_MAYBE) && !s->h[i].cond)
			return;
	}
	st_add_held(s, h);
}

static void do_acquire(const struct mm_op *op, gcall *call, struct mstate *s)
{
	struct held h;

	if (!lock_desc(op, call, &h))
		return;
	if (op->nested)
		h.flags |= H_NESTED;
	if (op->is_try)
		h.flags |= H_TRY;
	if (op->when != MM_ALWAYS) {
		tree lhs = gimple_call_lhs(call);

		if (!lhs || TREE_CODE(lhs) != SSA_NAME)
			h.flags |= H_MAYBE;	/* result ignored */
		else
			h.cond = SSA_NAME_VERSION(lhs);
		if (h.cond && outside_loops(call))	/* failing, it took nothing */
			h.flags |= H_ACQ_GATE;
		if (op->when == MM_IF_ZERO)
			h.flags |= H_WHEN_ZERO;
	}
	chk_acquire(call, s, &h, NULL);
	add_or_replace_maybe(s, &h);
	touch(s, h.cls);
	summary_takes(s, h.cls, h.flags, h.loc);
}

static int find_release_target(struct mstate *s, const struct held *h)
{
	int i = st_find_held(s, h->cls, h->inst, h->ptr);

	if (i < 0 && h->ptr) {
		/* a variable that held one of several locks (ksm's "ptl"):
		   the lock whose pointer was stored there */
		const int *vals;
		int n = prov_mem_values(h->ptr, &vals), found = -1;

		for (int k = 0; k < n; k++) {
			int j = st_find_held(s, MM_CLASS_NONE, 0, vals[k]);

			if (j >= 0 && found >= 0 && j != found)
				return -1;
			if (j >= 0)
				found = j;
		}
		if (found >= 0)
			return found;
	}
	if (i >= 0 || h->cls < 0)
		return i;
	/* a spinlock whose table is known is not some other table's lock */
	if (!mm_rules_set.classes[h->cls].sleeping && h->inst && h->inst != KEY_WILD)
		return -1;
	/* same class, instance spelled differently: the only one held */
	int found = -1;
	for (int j = 0; j < s->nh; j++)
		if (s->h[j].cls == h->cls) {
			if (found >= 0)
				return -1;
			found = j;
		}
	return found;
}

/*
 * The lock pointer merges several (ksm's "ptl", a pmd lock on one path and
 * a pte lock on the other): the one held lock one of its sources names.
 */
static int find_by_phi_args(struct mstate *s, tree t)
{
	gphi *phi;
	int found = -1;

	for (int i = 0; i < 4 && t && TREE_CODE(t) == SSA_NAME &&
	     gimple_assign_ssa_name_copy_p(SSA_NAME_DEF_STMT(t)); i++)
		t = gimple_assign_rhs1(SSA_NAME_DEF_STMT(t));
	if (!t || TREE_CODE(t) != SSA_NAME ||
	    !(phi = safe_dyn_cast<gphi *>(SSA_NAME_DEF_STMT(t))))
		return -1;
	for (unsigned k = 0; k < gimple_phi_num_args(phi); k++) {
		tree a = gimple_phi_arg_def(phi, k);
		int j = a == t ? -1 : st_find_held(s, MM_CLASS_NONE, 0, canon_val(a));

		if (j >= 0 && found >= 0 && j != found)
			return -1;
		if (j >= 0)
			found = j;
	}
	return found;
}

static void do_release(const struct mm_op *op, gcall *call, struct mstate *s)
{
	struct held h;
	int i;

	if (!lock_desc(op, call, &h))
		return;
	/* released only when asked to ("unlock" arguments): not asked, kept;
	   asked we cannot tell, maybe */
	int asked = op_flags_on(op, call);
	if (!asked)
		return;
	if (asked < 0) {
		if ((i = find_release_target(s, &h)) >= 0)
			s->h[i].flags |= H_MAYBE;
		return;
	}
	if (h.cls >= 0 && h.cls == mmap_cls && !op->maybe) {
		int t = find_release_target(s, &h);

		if (op->when == MM_ALWAYS) {	/* what was learned under it goes stale */
			int callers = t < 0 || (s->h[t].flags & H_ENTRY);

			lease_dropped(call, s, h.cls, callers ? DROP_CALLERS :
				    !(s->h[t].flags & H_TRY) ? DROP_OWN_BLOCKING : 0);
		}
		else
			lease_may_drop(call, s, h.cls, op->when == MM_IF_ZERO);
	}
	if (op->mask && h.cls >= 0) {	/* released iff the result has a MASK bit */
		tree lhs = gimple_call_lhs(call);

		i = find_release_target(s, &h);
		if (i < 0) {	/* our caller's, maybe */
			summary_add_rel(cur->sum, key_param_rooted(h.inst) ? h.inst : 0, h.cls);
			return;
		}
		if (!lhs || TREE_CODE(lhs) != SSA_NAME) {
			s->h[i].flags |= H_MAYBE;
			return;
		}
		s->h[i].cond = SSA_NAME_VERSION(lhs);
		s->h[i].flags = (s->h[i].flags & ~H_WHEN_ZERO) | H_MASKED;
		s->h[i].mask = op->mask;
		s->h[i].rel_loc = gimple_location(call);
		return;
	}
	if (op->when != MM_ALWAYS) {	/* dropped or not, as the result says */
		tree lhs = gimple_call_lhs(call);

		i = find_release_target(s, &h);
		if (i < 0)
			return;
		if (!lhs || TREE_CODE(lhs) != SSA_NAME) {
			s->h[i].flags |= H_MAYBE;
			return;
		}
		s->h[i].cond = SSA_NAME_VERSION(lhs);
		if (op->when == MM_IF_NONZERO)	/* released if nonzero: held if zero */
			s->h[i].flags |= H_WHEN_ZERO;
		else
			s->h[i].flags &= ~H_WHEN_ZERO;
		return;
	}
	if (op->maybe) {	/* may have dropped it: neither held nor released */
		i = find_release_target(s, &h);
		if (i >= 0)
			s->h[i].flags |= H_MAYBE;
		else	/* our caller's lock, maybe: by key if it is the caller's */
			summary_add_rel(cur->sum, key_param_rooted(h.inst) ? h.inst : 0, h.cls);
		return;
	}
	touch(s, h.cls);
	i = find_release_target(s, &h);
	if (i < 0 && op->lock_arg >= 0 && !op->lock_field)
		i = find_by_phi_args(s, call_arg(call, op->lock_arg));
	if (mm_trace)
		fprintf(stderr, "trace: release %s inst=%s ptr=%s -> %d\n", class_name(h.cls),
			key_str(h.inst), key_str(h.ptr), i);
	if (i >= 0) {
		int ptr = s->h[i].ptr;

		chk_release(call, s, &h, i, -1);
		if (h.cls >= 0 && mm_rules_set.classes[h.cls].guards_vma)
			lease_dropped(call, s, h.cls, DROP_CALLERS);

		if (s->h[i].flags & H_ALIAS)	/* release the lock, not its alias */
			for (int j = 0; j < s->nh; j++)
				if (s->h[j].ptr == ptr && !(s->h[j].flags & H_ALIAS))
					i = j;

		if (!(s->h[i].flags & (H_ENTRY | H_MAYBE)) && s->h[i].cls >= 0)
			st_add_rel(s, &s->h[i], gimple_location(call));
		lease_expire(s, L_CLASS(s->h[i].cls), 0);
		if ((s->h[i].flags & (H_ENTRY | H_ALIAS)) == H_ENTRY)	/* asserted: the caller's */
			st_add_entrel(s, key_param_rooted(s->h[i].inst) ? s->h[i].inst : 0,
				      s->h[i].cls);
		st_del_held(s, i);
		for (int j = s->nh - 1; j >= 0; j--)	/* and its other names */
			if (ptr && s->h[j].ptr == ptr && (s->h[j].flags & H_ALIAS)) {
				lease_expire(s, L_CLASS(s->h[j].cls), 0);
				st_del_held(s, j);
			}
		return;
	}
	int r = st_find_rel(s, h.cls, h.inst, h.ptr);
	if (r >= 0 && h.cls >= 0) {	/* released before on this path */
		chk_release(call, s, &h, -1, r);
		return;
	}
	/* a lock our caller took: part of this function's summary */
	if (key_param_rooted(h.ptr))
		st_add_entrel(s, h.ptr, h.cls);
	else if (key_param_rooted(h.inst))
		st_add_entrel(s, h.inst, h.cls);
}

static void do_downgrade(const struct mm_op *op, gcall *call, struct mstate *s)
{
	struct held h;
	int i;

	if (!lock_desc(op, call, &h))
		return;
	i = find_release_target(s, &h);
	if (i >= 0)
		s->h[i].mode = MM_MODE_READ;
}

static void do_assert(const struct mm_op *op, gcall *call, struct mstate *s)
{
	struct held h;

	if (!lock_desc(op, call, &h))
		return;
	if (find_release_target(s, &h) >= 0)
		return;
	/* asserted, not held here: our callers must hold it */
	chk_assumed(call, s, &h);
	h.flags |= H_ENTRY;	/* a precondition: assume it from here on */
	st_add_held(s, &h);
}

/* The callee's preconditions, each to the checker of its rule, unless
   what this call passes says the condition of one is false here. */
static void send_needs(gcall *call, struct mstate *s, const struct summary *callee)
{
	for (int i = 0; i < callee->npre; i++) {
		const struct precond *p = &callee->pre[i];
		struct need n;

		memset(&n, 0, sizeof(n));
		n.p = p;
		n.key = p->key ? key_map_params(p->key, call) : 0;
		n.callee = fn_name(callee->decl);
		if (p->cond_subj) {	/* the caller knows the condition is false */
			int k = key_map_params(p->cond_subj, call);
			int f = st_fact(s, zero_key(k));

			if (f < 0 && k && key_str(k)[0] == '#')	/* break_ksm(vma, addr, false) */
				f = atol(key_str(k) + 1) == 0;
			if (f < 0 && k && zeroed_field(s, k))	/* cpa.pgd of a zeroed cpa */
				f = 1;
			if (f >= 0 && f != p->cond_val)
				continue;
			n.cond_subj = k;
		}
		chk_need(call, s, &n);
	}
}

/* Effects of calling a function of this unit analysed before. */
static void apply_summary(gcall *call, struct mstate *s, const struct summary *sm)
{
	send_needs(call, s, sm);
	chk_summary(call, s, sm);
	if (sm->takes) {
		for (int c = 0; c < mm_rules_set.nclasses; c++) {
			struct held h;

			if (!(sm->takes & (1u << c)))
				continue;
			memset(&h, 0, sizeof(h));
			h.cls = c;
			h.loc = sm->takes_loc[c];
			chk_acquire(call, s, &h, fn_name(sm->decl));
			summary_takes(s, c, 0, sm->takes_loc[c]);
		}
	}
	for (int k = 0; k < sm->nrel_all + sm->nrel_some; k++) {
		int all = k < sm->nrel_all;
		const struct relkey *rk = all ? &sm->rel_all[k] : &sm->rel_some[k - sm->nrel_all];
		int key = rk->key ? key_map_params(rk->key, call) : 0;
		int matched = 0, only = -1;

		/* spelled differently here: the only lock of its class held */
		for (int i = 0; i < s->nh; i++)
			if (s->h[i].cls == rk->cls && rk->cls >= 0)
				only = only == -1 ? i : -2;
		for (int i = s->nh - 1; i >= 0; i--) {
			if ((!key || (s->h[i].ptr != key && s->h[i].inst != key)) && i != only)
				continue;
			touch(s, s->h[i].cls);
			matched = 1;
			if (s->h[i].flags & H_ENTRY) {	/* our caller's lock, asserted */
				int k2 = key_param_rooted(s->h[i].inst) ? s->h[i].inst : 0;

				if (all)
					st_add_entrel(s, k2, s->h[i].cls);
				else
					summary_add_rel(cur->sum, k2, s->h[i].cls);
			}
			if (!all) {
				s->h[i].flags |= H_MAYBE;
				continue;
			}
			if (!(s->h[i].flags & (H_ENTRY | H_MAYBE)) && s->h[i].cls >= 0)
				st_add_rel(s, &s->h[i], gimple_location(call));
			lease_expire(s, L_CLASS(s->h[i].cls), 0);
			st_del_held(s, i);
		}
		if (all && rk->cls == mmap_cls)
			lease_dropped(call, s, rk->cls, !matched ? DROP_CALLERS : 0);
		/* the callee drops a lock our own caller took */
		if (!matched && !all)
			summary_add_rel(cur->sum, key_param_rooted(key) ? key : 0, rk->cls);
		else if (!matched)
			st_add_entrel(s, key_param_rooted(key) ? key : 0, rk->cls);
	}
	for (int k = 0; k < sm->nret; k++) {
		const struct retlock *rl = &sm->ret[k];
		struct held h;
		tree lhs = gimple_call_lhs(call);

		memset(&h, 0, sizeof(h));
		h.cls = rl->cls;
		h.mode = rl->mode;
		h.loc = gimple_location(call);
		h.inst = rl->inst == KEY_WILD ? KEY_WILD : key_map_params(rl->inst, call);
		if (!h.inst)
			h.inst = KEY_WILD;
		h.ptr = rl->ptr == -1 && lhs ? canon_val(lhs) : key_map_params(rl->ptr, call);
		if (rl->when == -1) {
			h.flags |= H_MAYBE;
		} else if (rl->when != MM_ALWAYS) {
			if (lhs && TREE_CODE(lhs) == SSA_NAME)
				h.cond = SSA_NAME_VERSION(lhs);
			else
				h.flags |= H_MAYBE;
			/* a helper that returns locked iff its result says so
			   (pte_offset_map_lock as an inline): failing, it took nothing */
			if (h.cond && outside_loops(call))
				h.flags |= H_ACQ_GATE;
			if (rl->when == MM_IF_ZERO)
				h.flags |= H_WHEN_ZERO;
		}
		if (mm_trace)
			fprintf(stderr, "trace: retlock %s inst=%s when=%d cond=%d\n",
				class_name(h.cls), key_str(h.inst), rl->when, h.cond);
		/* taken at two sites in the callee (trylock, then the slow way):
		   one lock for the caller */
		int dup = 0;
		for (int i = 0; i < s->nh; i++)
			dup |= s->h[i].cls == h.cls && s->h[i].inst == h.inst &&
			       s->h[i].cond == h.cond && s->h[i].loc == h.loc &&
			       s->h[i].flags == h.flags;
		if (dup)
			continue;
		add_or_replace_maybe(s, &h);	/* order already checked with sm->takes */
		touch(s, h.cls);
	}
}

static int lock_effects(tree fn)
{
	for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op))
		if (op->dir != MM_NULLABLE && op->dir != MM_TABLE && op->dir != MM_LOCKPTR &&
		    op->dir != MM_WALK && op->dir != MM_UNMAP && op->dir != MM_DROP)
			return 1;
	return 0;
}

void do_call(gcall *call, struct mstate *s)
{
	tree fn = gimple_call_fndecl(call);
	const struct mm_op *op;

	if (!fn)
		return;
	if (mm_trace) {
		expanded_location x = expand_location(gimple_location(call));

		fprintf(stderr, "trace: %d: %s() held=%d:", x.line, fn_name(fn), s->nh);
		for (int i = 0; i < s->nh; i++)
			fprintf(stderr, " [%s inst=%s ptr=%s f=%d c=%d%s%s]", class_name(s->h[i].cls),
				key_str(s->h[i].inst), key_str(s->h[i].ptr), s->h[i].flags,
				s->h[i].cond, s->h[i].condkey ? " k=" : "",
				s->h[i].condkey ? key_str(s->h[i].condkey) : "");
		for (int i = 0; i < s->nf; i++)
			fprintf(stderr, " {%s=%d/%x}", key_str(s->f[i].key), s->f[i].val, s->f[i].lease);
		fprintf(stderr, " nr=%d ne=%d t=%x gone=%x pend=%d cond=%d mask=%lx oz=%d onz=%d key=%s", s->nr, s->ne, s->touched,
			s->lx.gone, s->lx.pend, s->lx.pend_cond, s->lx.pend_mask,
			s->lx.pend_oz, s->lx.pend_onz, s->lx.pend_key ? key_str(s->lx.pend_key) : "-");
		for (int i = 0; i < s->r2.nb; i++)
			fprintf(stderr, " <%s lease=%x v=%d>", key_str(s->r2.b[i].key), s->r2.b[i].lease,
				s->r2.b[i].validated);
		fprintf(stderr, "\n");
	}
	op = fn_ops(fn);
	/* what the rules say of it is not a lock effect ("nullable", "table"
	   of an inline whose body is analysed): its body's summary counts
	   (pte_offset_map_lock as an inline around __pte_offset_map_lock) */
	if (op && !lock_effects(fn))
		op = NULL;
	if (!op) {
		const struct summary *sm = summary_get(fn, 0);

		if (sm && sm->analysed && fn != cur->decl)
			apply_summary(call, s, sm);
		return;
	}
	for (; op; op = fn_ops_next(fn, op)) {
		switch (op->dir) {
		case MM_ACQUIRE:
			do_acquire(op, call, s);
			break;
		case MM_RELEASE:
			do_release(op, call, s);
			break;
		case MM_DOWNGRADE:
			do_downgrade(op, call, s);
			break;
		case MM_ASSERT:
			do_assert(op, call, s);
			break;
		case MM_VMAWLOCK:	/* the vma write lock nests inside mmap_lock,
					   outside the rmap and page-table locks; it
					   is not kept as a held lock (mmap_write_unlock()
					   ends it, not a matching release) */
			if (tree v = op->cls >= 0 && !op->states ? call_arg(call, op->vma_arg) : NULL_TREE) {
				struct held h;

				memset(&h, 0, sizeof(h));
				h.cls = op->cls;
				h.inst = canon_val(v);
				h.mode = MM_MODE_WRITE;
				h.loc = gimple_location(call);
				chk_acquire(call, s, &h, NULL);
			}
			chk_op(call, s, op);
			break;
		case MM_DETACH:
			if (tree a = call_arg(call, op->inst_arg))
				st_add_det(s, canon_val(a), op->cls);
			break;
		default:	/* needs, reads, requires, retract: the checkers' */
			chk_op(call, s, op);
			break;
		}
	}
}
