/*
 * The R1 rules over the lock state:
 *   pte-lock / pmd-lock  an entry change needs its table's lock
 *   lock-order           nesting follows the documented order
 *   lock-balance         taken locks are released once, on every path
 */
#include "checker.h"

static int r_order, r_balance;
static const struct rule_bind rules[] = {
	{ "pte-lock", NULL }, { "pmd-lock", NULL },
	{ "lock-order", &r_order }, { "lock-balance", &r_balance }, { NULL, NULL }
};

static int sleeping(int cls)
{
	return cls >= 0 && mm_rules_set.classes[cls].sleeping;
}

static int known_distinct(const struct mstate *s, int a, int b)
{
	int lo = a < b ? a : b, hi = a < b ? b : a;

	return a && b && st_fact(s, key_printf("%s==%s", key_str(lo), key_str(hi))) == 0;
}

/* Taking NH while holding what S holds. VIA names a callee that takes it. */
static void check_acquire(gcall *call, struct mstate *s, const struct held *nh, const char *via)
{
	int order = r_order, bal = r_balance;
	location_t loc = gimple_location(call);
	char msg[320], what[96];

	if (nh->cls < 0 || (nh->flags & H_TRY))
		return;
	if (via)
		snprintf(what, sizeof(what), "call to %s() takes the %s lock", via,
			 class_name(nh->cls));
	else
		snprintf(what, sizeof(what), "%s() takes the %s lock",
			 fn_name(gimple_call_fndecl(call)), class_name(nh->cls));

	for (int i = 0; i < s->nh; i++) {
		const struct held *h = &s->h[i];

		if (h->cls < 0 || (h->flags & H_MAYBE) || h->cond)
			continue;
		if (h->cls == nh->cls && h->inst && h->inst == nh->inst &&
		    h->inst != KEY_WILD && !via && rule_on(bal)) {
			snprintf(msg, sizeof(msg), "%s, already held on this path", what);
			report(bal, loc, msg);
			report_note(h->loc, "first taken here");
			return;
		}
		if (!rule_on(order))
			continue;
		if (class_order(h->cls) > class_order(nh->cls)) {
			snprintf(msg, sizeof(msg),
				 "%s while holding the %s lock (documented order: %s before %s)%s",
				 what, class_name(h->cls), class_name(nh->cls), class_name(h->cls),
				 sleeping(nh->cls) && !sleeping(h->cls) ? "; it sleeps under a spinlock" : "");
			report(order, loc, msg);
			report_note(h->loc, "the lock held was taken here");
			if (via)
				report_note(nh->loc, "where the callee takes it");
			return;
		}
		if (via || (nh->flags & H_NESTED))
			continue;
		/* two locks of one class: lockdep needs the nesting annotation */
		if (h->cls == nh->cls && !sleeping(h->cls) && h->inst != KEY_WILD &&
		    nh->inst != KEY_WILD) {
			snprintf(msg, sizeof(msg),
				 "%s while holding another %s lock without spin_lock_nested()",
				 what, class_name(h->cls));
			report(order, loc, msg);
			report_note(h->loc, "the other lock was taken here");
			return;
		}
		if (!sleeping(h->cls) && !sleeping(nh->cls) && h->cls != nh->cls &&
		    (h->inst == nh->inst || h->inst == KEY_WILD) &&
		    !known_distinct(s, h->ptr, nh->ptr)) {
			/* pmd and pte lock can be one lock (mm->page_table_lock) */
			snprintf(msg, sizeof(msg),
				 "%s while holding the %s lock, which can be the same lock: "
				 "use spin_lock_nested() or check the two differ",
				 what, class_name(h->cls));
			report(order, loc, msg);
			report_note(h->loc, "the outer lock was taken here");
			return;
		}
	}
}

static int exclusive_held(const struct mstate *s)
{
	int mm = 0, rmap = 0;

	for (int i = 0; i < s->nh; i++) {
		const struct held *h = &s->h[i];

		if (h->cond || h->mode != MM_MODE_WRITE)
			continue;
		if (h->cls == role_class(MM_ROLE_MM))
			mm = 1;
		else if (sleeping(h->cls))
			rmap = 1;
	}
	return mm && rmap;
}

/*
 * The table an entry pointer PTR belongs to: for a pte pointer, the pmd
 * it was mapped from; for a pmd pointer, itself.
 */
static int table_of(tree ptr, int cls, struct prov *pv)
{
	*pv = prov_val(ptr);
	if (pv->kind == PV_TABLE && pv->cls == cls)
		return pv->inst;
	if (cls != role_class(MM_ROLE_PTE))
		return canon_val(ptr);	/* pmd-level: the pointer is the table entry */
	return 0;
}

static int check_table(gcall *call, struct mstate *s, int cls, int rule, int alt,
		       int inst, const struct prov *pv, int key, const char *what,
		       location_t oploc, const char *callee, int mm, const struct need *from)
{
	char msg[320];
	int other;

	if (mm && key_is_kernel_mm(mm))
		return 1;	/* kernel page tables: no split ptlock */
	if ((key && kernel_table(s, key)) || (inst && kernel_table(s, inst)))
		return 1;	/* ... reached from init_mm.pgd */
	if (inst && (key_is_local_addr(inst) || st_detached(s, inst, cls)))
		return 1;	/* a table private to this path */
	int held = st_lock_held_for(s, cls, inst, &other);
	if (held > 0)
		return 1;
	if (alt && exclusive_held(s))
		return 1;
	if (held == 0 && !touched_for(s, cls) && (pv->param_derived || key_param_rooted(key)) &&
	    (pv->kind != PV_TABLE || key_param_rooted(inst))) {
		/* the caller's job: a precondition of this function */
		struct precond p;

		memset(&p, 0, sizeof(p));
		p.cls = cls;
		p.key = key_param_rooted(key) ? key : pv->root;
		p.rule = rule;
		p.loc = oploc;
		p.what = what;
		p.mm_key = key_param_rooted(mm) ? mm : 0;
		pass_need_on(s, &p, from);
		return 1;
	}
	if (!rule_on(rule))
		return 0;
	if (callee)
		snprintf(msg, sizeof(msg), "call to %s() changes a %s entry (%s) without %s %s lock",
			 callee, class_name(cls), what, held < 0 ? "the table's" : "holding its",
			 class_name(cls));
	else if (held < 0)
		snprintf(msg, sizeof(msg), "%s() changes a %s entry holding the %s lock of another table",
			 what, class_name(cls), class_name(cls));
	else
		snprintf(msg, sizeof(msg), "%s() changes a %s entry without holding its %s lock",
			 what, class_name(cls), class_name(cls));
	report(rule, gimple_location(call), msg);
	if (callee)
		report_note(oploc, "the change in the callee");
	if (held < 0)
		report_note(s->h[other].loc, "the lock held was taken here");
	st_note_last_release(s, cls);
	if (pv->kind == PV_TABLE && pv->loc != UNKNOWN_LOCATION)
		report_note(pv->loc, "the table was mapped here");
	return 0;
}

static void check_needs(gcall *call, struct mstate *s, const struct mm_op *op)
{
	tree ptr = call_arg(call, op->ptr_arg);
	struct prov pv;
	int inst;

	if (!ptr)
		return;
	inst = table_of(ptr, op->cls, &pv);
	check_table(call, s, op->cls, op->rule, op->alt_exclusive, inst, &pv,
		    canon_val(ptr), fn_name(gimple_call_fndecl(call)),
		    gimple_location(call), NULL,
		    call_arg(call, op->mm_arg) ? canon_val(call_arg(call, op->mm_arg)) : 0, NULL);
}

static void locks_op(gcall *call, struct mstate *s, const struct mm_op *op)
{
	if (op->dir == MM_NEEDS)
		check_needs(call, s, op);
}

/* The callee changes entries of tables its caller handed it: the
   argument itself, or memory reached from it. */
static void locks_need(gcall *call, struct mstate *s, const struct need *n)
{
	const struct precond *p = n->p;
	struct prov pv = {};
	int inst = 0;

	pv.param_derived = 1;
	if (n->key) {
		int argno = -1;

		for (unsigned a = 0; a < gimple_call_num_args(call); a++)
			if (canon_val(gimple_call_arg(call, a)) == n->key)
				argno = a;
		if (argno >= 0)
			pv = prov_val(gimple_call_arg(call, argno));
		else
			pv = prov_mem(n->key);
		if (pv.kind == PV_TABLE && pv.cls == p->cls)
			inst = pv.inst;
		else if (p->cls != role_class(MM_ROLE_PTE))
			inst = n->key;
	}
	check_table(call, s, p->cls, p->rule, p->cls == role_class(MM_ROLE_PMD), inst, &pv,
		    n->key, p->what, p->loc, n->callee,
		    p->mm_key ? key_map_params(p->mm_key, call) : 0, n);
}

/* ---- lock-balance over return paths ---- */

static void add_rr(const struct held *h, int held, const struct mstate *s, location_t at)
{
	struct retrec *r;

	if (cur->nrr == cur->caprr) {
		cur->caprr = cur->caprr ? cur->caprr * 2 : 16;
		cur->rr = (struct retrec *)xrealloc(cur->rr, cur->caprr * sizeof(*r));
	}
	r = &cur->rr[cur->nrr++];
	memset(r, 0, sizeof(*r));
	r->site = h->loc;
	r->held = held;
	r->known = s->ret_known;
	r->val = s->retval;
	r->at = at;
	r->cls = h->cls;
	r->h = *h;
	r->path = cur->npaths;
	r->merged = s->merged;
	if (held == -1)
		cur->npaths++;
}

/* Lock-balance's record of what is held and released at a return. */
static void balance_return(struct mstate *s, const struct ret_event *re)
{
	tree rv = re->rv, arg = re->arg;
	location_t at = re->at;

	for (int i = 0; i < s->nh; i++) {
		struct held h = s->h[i];

		if (h.cls < 0 || (h.flags & H_ENTRY))
			continue;
		if (h.flags & H_MAYBE) {	/* paths joined: says nothing (when_held) */
			add_rr(&h, 2, s, at);
			continue;
		}
		if (h.cond) {
			/* gated on the value returned: a returns-locked helper */
			int neg = 0, found = 0;

			for (int k = 0; k < 2 && !found; k++) {
				tree v = k ? arg : rv, base;

				neg = 0;
				base = v && TREE_CODE(v) == SSA_NAME ? bool_base(v, &neg) : NULL_TREE;
				found = base && TREE_CODE(base) == SSA_NAME &&
					(int)SSA_NAME_VERSION(base) == h.cond;
			}
			if (!found)
				continue;
			add_rr(&h, 1, s, at);
			cur->rr[cur->nrr - 1].gated = ((h.flags & H_WHEN_ZERO) != 0) == (neg != 0) ? 1 : 2;
			continue;
		}
		add_rr(&h, 1, s, at);
		cur->rr[cur->nrr - 1].ret_is_ptr = rv && h.ptr && canon_val(rv) == h.ptr;
	}
	for (int i = 0; i < s->nr; i++) {
		struct held h;

		memset(&h, 0, sizeof(h));
		if (s->r[i].failed)	/* never held on this path: no record */
			continue;
		h.cls = s->r[i].cls;
		h.inst = s->r[i].inst;
		h.ptr = s->r[i].ptr;
		h.loc = s->r[i].taken;
		add_rr(&h, 0, s, at);
		cur->rr[cur->nrr - 1].rel_at = s->r[i].loc;
	}
	/* locks released that this function did not take */
	for (int i = 0; i < s->ne; i++) {
		struct summary *sm = cur->sum;
		summary_add_rel(sm, s->entrel[i], s->entrel_cls[i]);
	}
	/* one marker per return, carrying the keys released on its path */
	{
		struct held h;

		memset(&h, 0, sizeof(h));
		add_rr(&h, -1, s, at);
		cur->rr[cur->nrr - 1].ne = s->ne;
		memcpy(cur->rr[cur->nrr - 1].entrel, s->entrel, sizeof(s->entrel));
	}
}

static int ret_distinguishes(const struct retrec *held, const struct retrec *rel)
{
	if (held->known != 1 || rel->known != 1)
		return 1;	/* a computed value: assume it tells them apart */
	return held->val != rel->val;
}

static int returns_void(void)
{
	return VOID_TYPE_P(TREE_TYPE(TREE_TYPE(cur->decl)));
}

/*
 * Does the function give its caller a way to know it returns locked: the
 * lock held exactly when the result is nonzero (or zero), the lock pointer
 * returned, or stored where the caller can see it?
 */
static int hands_lock_back(const struct retrec *h)
{
	int w;

	if (h->gated || h->ret_is_ptr || key_param_rooted(h->h.ptr) ||
	    prov_mem_param_slot(h->cls, h->h.inst))
		return 1;
	w = summary_when_held(h);
	return w == MM_IF_NONZERO || w == MM_IF_ZERO;
}

static void finish_balance(void)
{
	int bal = r_balance;

	summary_released_on_every_path();

	for (int i = 0; i < cur->nrr; i++) {
		const struct retrec *h = &cur->rr[i];
		int reported = 0;

		if (h->held != 1)
			continue;
		/* only the first held record of each site decides */
		int first = 1;
		for (int j = 0; j < i; j++)
			if (cur->rr[j].held == 1 && cur->rr[j].site == h->site &&
			    cur->rr[j].h.inst == h->h.inst)
				first = 0;
		if (!first)
			continue;
		for (int j = 0; j < cur->nrr; j++) {
			const struct retrec *r = &cur->rr[j];

			if (r->site != h->site || r->h.inst != h->h.inst)
				continue;
			if (r->held != 0 || reported || !rule_on(bal))
				continue;
			for (int k = 0; k < cur->nrr && !reported; k++) {
				const struct retrec *hk = &cur->rr[k];

				if (hk->held != 1 || hk->site != h->site || hk->h.inst != h->h.inst)
					continue;
				if (returns_void() || !ret_distinguishes(hk, r) ||
				    (hk->known == 1 && hk->val < 0) || !hands_lock_back(h)) {
					char msg[256];

					snprintf(msg, sizeof(msg),
						 "returns with the %s lock held on this path, "
						 "released on another", class_name(hk->cls));
					report(bal, hk->at, msg);
					report_note(hk->site, "the lock was taken here");
					report_note(r->rel_at, "another path releases it here");
					reported = 1;
				}
			}
		}
		if (!reported)	/* a returns-locked helper: tell its callers */
			summary_returns_locked(h);
	}
}

/* A release of a lock that an earlier call may have released already
   (HELD), or that this path released before or never took (REL). */
static void balance_release(gcall *call, struct mstate *s, const struct held *h, int held, int rel)
{
	const char *fn = fn_name(gimple_call_fndecl(call));
	char msg[256];

	if (!rule_on(r_balance))
		return;
	if (held >= 0) {
		if (!(s->h[held].flags & H_MASKED))
			return;
		snprintf(msg, sizeof(msg), "%s releases the %s lock, which a call before may "
			 "already have released on this path (its result was not tested for that)",
			 fn, class_name(h->cls));
		report(r_balance, gimple_location(call), msg);
		report_note(s->h[held].loc, "the lock was taken here");
		report_note(s->h[held].rel_loc, "this call releases it when its result says so");
		return;
	}
	if (s->r[rel].failed) {
		snprintf(msg, sizeof(msg), "%s releases the %s lock, not held on this path "
			 "(the call that takes it failed)", fn, class_name(h->cls));
		report(r_balance, gimple_location(call), msg);
		report_note(s->r[rel].taken, "the lock was not taken here on this path");
		return;
	}
	snprintf(msg, sizeof(msg), "%s releases the %s lock, already released on this path",
		 fn, class_name(h->cls));
	report(r_balance, gimple_location(call), msg);
	report_note(s->r[rel].taken, "the lock was taken here");
	report_note(s->r[rel].loc, "and released here");
}

CHECKER(locks_checker) = {
	.name = "locks",
	.rules = rules,
	.acquire = check_acquire,
	.release = balance_release,
	.op = locks_op,
	.need = locks_need,
	.ret = balance_return,
	.end_function = finish_balance,
};
