/*
 * R2: what was learned under mmap_lock goes stale when it is dropped.
 *
 *   stale-vma        a vma pointer learned before mmap_lock was dropped
 *                    (a parameter, vmf->vma, an earlier lookup) used after
 *   weak-revalidate  a vma looked up again after the drop, used before its
 *                    range was checked (a pointer compare is not a check)
 *   stale-pgtable    a pmd pointer found before the drop used to lock or
 *                    change anything before it was re-checked
 *   mmap-lock-held   a function that needs mmap_lock (rules data, or its
 *                    own mmap_assert_*) called without it
 *
 * A vma or pmd value learned (its birth) holds a lease (mmlock.h): L_OWN
 * if learned under a lock vmas depend on that this function took, else
 * L_CALLER (the caller's).  The engine takes the guard out when that lock
 * goes (lease.c: a release, or a call whose result says it dropped it);
 * used after, or while a call that may have dropped it is undecided (a
 * lease without L_AFTER), the value is stale.
 */
#include "checker.h"

static int r_stale_vma, r_weak, r_stale_pgt, r_held;
static const struct rule_bind rules[] = {
	{ "stale-vma", &r_stale_vma }, { "weak-revalidate", &r_weak },
	{ "stale-pgtable", &r_stale_pgt }, { "mmap-lock-held", &r_held }, { NULL, NULL }
};

static int mmap_held(const struct mstate *s)
{
	int c = mmap_cls;

	for (int i = 0; i < s->nh; i++)
		if (s->h[i].cls == c && !s->h[i].cond)
			return 1;
	return 0;
}

static int is_vma_ptr_type(tree type)
{
	if (!type || !POINTER_TYPE_P(type))
		return 0;
	type = TREE_TYPE(type);
	return TREE_CODE(type) == RECORD_TYPE && type_named(type, mm_rules_set.vmatype);
}

static int is_vma_ptr(tree t)
{
	return t && is_vma_ptr_type(TREE_TYPE(t));
}

/* Does the function take a vma?  (Asked at births: once per function.) */
static void stale_begin_function(tree decl)
{
	cur->vma_param = 0;
	for (tree a = DECL_ARGUMENTS(decl); a; a = DECL_CHAIN(a))
		if (is_vma_ptr(a))
			cur->vma_param = 1;
}

/* Does B still hold the guard it was learned under? */
static int birth_valid(const struct birth *b)
{
	return !!(b->lease & (b->entry ? L_CALLER : L_OWN));
}

static struct birth *find_birth(struct mstate *s, int key)
{
	for (int i = 0; i < s->r2.nb; i++)
		if (s->r2.b[i].key == key)
			return &s->r2.b[i];
	return NULL;
}

static void del_birth(struct mstate *s, int key)
{
	for (int i = 0; i < s->r2.nb; i++)
		if (s->r2.b[i].key == key) {
			memmove(&s->r2.b[i], &s->r2.b[i + 1], (s->r2.nb - i - 1) * sizeof(s->r2.b[0]));
			memset(&s->r2.b[--s->r2.nb], 0, sizeof(s->r2.b[0]));
			return;
		}
}

/*
 * Is a lookup after a drop a *re*-lookup?  Only if an older vma is around
 * to be replaced: a vma parameter, or a vma learned before the drop under
 * another name (seed 004's vma_orig).  A loop that locks a new mm and
 * looks up afresh each turn (uprobes' register_for_each_vma) is not one.
 */
static int older_vma_around(const struct mstate *s, int key)
{
	if (cur->vma_param)
		return 1;
	for (int i = 0; i < s->r2.nb; i++)
		if (s->r2.b[i].key != key && !s->r2.b[i].pgt && !birth_valid(&s->r2.b[i]))
			return 1;
	return 0;
}

static void set_birth(struct mstate *s, int key, int validated, int pgt, location_t loc)
{
	struct birth *b = find_birth(s, key);

	if (!key)
		return;
	if (!b) {
		if (s->r2.nb == MAXB) {	/* forget the oldest */
			memmove(&s->r2.b[0], &s->r2.b[1], (MAXB - 1) * sizeof(s->r2.b[0]));
			memset(&s->r2.b[MAXB - 1], 0, sizeof(s->r2.b[0]));
			s->r2.nb--;
		}
		b = &s->r2.b[s->r2.nb++];
	}
	b->key = key;
	/* a lookup after a drop of the vma lock is a fresh start, not a
	   re-lookup to compare (weak-revalidate is about mmap_lock) */
	b->validated = validated || !(s->lx.gone & L_OWN) || (!pgt && !older_vma_around(s, key)) ||
		       s->lx.drop_cls != mmap_cls;
	b->checked = validated;
	b->pgt = pgt;
	/* under our own mmap_lock, or (nothing seen yet) under our caller's */
	b->entry = !st_holds_own(s, mmap_cls);
	b->locked = mmap_held(s) || (b->entry && !(s->touched & class_bit(mmap_cls)));
	b->lease = lease_now(s, b->entry ? L_CALLER : L_OWN);
	b->loc = loc;
}

/* KEY now holds the value B describes: the same birth under another name
   (B may move when a slot is made, hence the copy first). */
static void copy_birth(struct mstate *s, int key, const struct birth *b)
{
	struct birth copy = *b, *nb;

	if (!key)
		return;
	set_birth(s, key, copy.validated, copy.pgt, copy.loc);
	nb = find_birth(s, key);
	*nb = copy;
	nb->key = key;
}

static int is_param_key(int key)
{
	const char *k = key_str(key);
	size_t n = 1;

	while (k[0] == 'P' && ISDIGIT(k[n]))
		n++;
	return k[0] == 'P' && n > 1 && !k[n];
}

static void use(struct mstate *s, int key, location_t at, const char *how)
{
	struct birth *b = find_birth(s, key), entry;
	int stale_vma = r_stale_vma, weak = r_weak;
	int stale_pgt = r_stale_pgt, pending = s->lx.pend;
	char msg[300];
	lease_t guard = L_OWN;	/* the guard it needs */
	int param = 0;

	if (mm_trace)
		fprintf(stderr, "trace: use %s line %d: birth lease=%x v=%d, gone=%x\n", key_str(key),
			expand_location(at).line, b ? b->lease : 0, b ? b->validated : -1, s->lx.gone);

	if (!b) {
		if (!key_param_rooted(key))
			return;		/* learned where we cannot see: assume fresh */
		memset(&entry, 0, sizeof(entry));
		entry.validated = 1;
		entry.locked = 1;
		entry.loc = DECL_SOURCE_LOCATION(cur->decl);
		b = &entry;
		param = 1;
	}
	if (param || b->entry)	/* the caller's lock: stale when that goes */
		guard = L_CALLER, pending = pending && !st_holds_own(s, mmap_cls);
	/* a vma handed in stays valid only while mmap_lock is held without a
	   break: a release of one this function took ends it too (seed 004
	   3/3: down_read(), up_read(), down_write(), then the vma) */
	if (param && is_param_key(key))	/* the parameter itself, not a field
					   reached from one (bprm->vma) */
		guard = L_PARAM;
	if (param)		/* held since the entry, unless it went since */
		b->lease = guard & ~s->lx.gone;
	if (!b->locked && !param)
		return;		/* not learned under mmap_lock: nothing to expire */
	if (cur->mm_private)
		return;
	int gone = !(b->lease & guard), maybe = !gone && pending && !(b->lease & L_AFTER);
	if (gone || maybe) {
		int rule = b->pgt ? stale_pgt : stale_vma;

		if (!rule_on(rule))
			return;
		const char *cls = st_drop_name(s, !gone);
		char lock[64], note[96];

		/* "mmap_lock", "the vma lock" */
		snprintf(lock, sizeof(lock), strcmp(cls, class_name(mmap_cls)) ? "the %s lock" : "%s", cls);
		snprintf(msg, sizeof(msg), "%s %s, learned before %s was %s, without "
			 "looking it up again", how, b->pgt ? "a pmd pointer" : "a vma", lock,
			 gone ? "dropped" : "possibly dropped");
		report(rule, at, msg);
		report_note(b->loc, b->pgt ? "the pmd pointer was found here"
					   : "the vma was obtained here");
		snprintf(note, sizeof(note), "%s %s here", lock,
			 gone ? "was dropped" : "may have been dropped");
		report_note(gone ? s->lx.drop_loc : s->lx.pend_loc, note);
		/* one report per value and drop: it holds a lease from now */
		if (param)
			set_birth(s, key, 1, 0, b->loc);
		b = find_birth(s, key);
		b->lease = lease_now(s, b->entry ? L_CALLER : L_OWN);
		b->validated = 1;
		return;
	}
	if (!b->validated && !b->pgt && rule_on(weak)) {
		snprintf(msg, sizeof(msg), "%s a vma looked up again after mmap_lock was dropped, "
			 "without re-checking its range (a lookup or pointer compare is not a "
			 "revalidation)", how);
		report(weak, at, msg);
		report_note(b->loc, "looked up here");
		report_note(s->lx.drop_loc, "after mmap_lock was dropped here");
		b->validated = 1;
	}
}

static int vma_fact_role(int key, enum mm_vmarole role, int *vma)
{
	const char *k = key_str(key), *arrow = strrchr(k, '>');
	const struct mm_vmafact *vf;
	char base[256];

	if (!arrow || arrow == k || arrow[-1] != '-')
		return 0;
	vf = mm_rules_vmafact(&mm_rules_set, arrow + 1, 0);
	if (!vf || vf->role != role)
		return 0;
	snprintf(base, sizeof(base), "%.*s", (int)(arrow - 1 - k), k);
	*vma = key_intern(base);
	return 1;
}

/* a branch on vma->vm_start or vm_end re-checks the vma's range */
static void check_range_tests(gcond *c, struct mstate *s)
{
	tree ops[2] = { gimple_cond_lhs(c), gimple_cond_rhs(c) };
	int vma;

	for (int i = 0; i < 2; i++)
		if (TREE_CODE(ops[i]) == SSA_NAME &&
		    vma_fact_role(canon_val(ops[i]), MM_VMA_RANGE, &vma)) {
			struct birth *b = find_birth(s, vma);

			if (b)
				b->validated = b->checked = 1;
		}
}

static void births_of_call(gcall *call, struct mstate *s, tree fn)
{
	tree lhs = gimple_call_lhs(call);
	location_t loc = gimple_location(call);

	for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op)) {
		int validated = op->dir == MM_REVALIDATE || op->checked, out = 0;
		tree o;

		if ((o = call_arg(call, op->out_arg)) &&
		    TREE_CODE(o) == ADDR_EXPR)
			out = canon_ref(TREE_OPERAND(o, 0));
		switch (op->dir) {
		case MM_VMALOOKUP:
		case MM_REVALIDATE:
			if (out)
				set_birth(s, out, validated, 0, loc);
			else if (lhs && is_vma_ptr(lhs))
				set_birth(s, canon_val(lhs), validated, 0, loc);
			if (op->dir == MM_REVALIDATE && (o = call_arg(call, op->vma_arg)))
				set_birth(s, canon_val(o), 1, 0, loc);
			break;
		case MM_VMACHECK: {
			tree v = call_arg(call, op->vma_arg);
			struct birth *b = v ? find_birth(s, canon_val(v)) : NULL;

			if (b)
				b->validated = b->checked = 1;
			break;
		}
		case MM_PGTLOOKUP:
			if (out)
				set_birth(s, out, 1, 1, loc);
			else if (lhs)
				set_birth(s, canon_val(lhs), 1, 1, loc);
			break;
		case MM_PGTCHECK:
			if ((o = call_arg(call, op->ptr_arg)))
				set_birth(s, canon_val(o), 1, 1, loc);
			break;
		default:
			break;
		}
	}
}

static int exempt_call(tree fn)
{
	for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op))
		if (op->dir == MM_VMALOOKUP || op->dir == MM_VMACHECK ||
		    op->dir == MM_REVALIDATE || op->dir == MM_PGTCHECK || op->dir == MM_PGTLOOKUP ||
		    /* releasing the vma's own lock (vma_end_read) is lock-balance's */
		    (op->dir == MM_RELEASE && op->cls >= 0 && op->inst_arg == 0 &&
		     mm_rules_set.classes[op->cls].guards_vma && !op->mask))
			return 1;
	return 0;
}

/* pmd pointers matter when they lock or change something */
static int pgt_consumer(tree fn)
{
	for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op))
		if (op->dir == MM_ACQUIRE || op->dir == MM_LOCKPTR || op->dir == MM_NEEDS ||
		    op->dir == MM_TABLE || op->dir == MM_RETRACT)
			return 1;
	return 0;
}

static void r2_stmt(gimple *g, struct mstate *s)
{
	location_t loc = gimple_location(g);

	if (gimple_assign_single_p(g) && !gimple_clobber_p(g)) {
		tree lhs = gimple_assign_lhs(g), rhs = gimple_assign_rhs1(g), base;

		/* dereferences of a vma: loads and stores through it */
		if ((base = deref_base(rhs)) && is_vma_ptr(base)) {
			int vma;

			/* reading vm_start/vm_end is the range check itself */
			if (vma_fact_role(canon_val(lhs), MM_VMA_RANGE, &vma) && vma == canon_val(base)) {
				struct birth *b = find_birth(s, vma);

				if (b && birth_valid(b)) {
					b->validated = b->checked = 1;
					return;
				}
			}
			use(s, canon_val(base), loc, "reads");
		}
		if ((base = deref_base(lhs)) && is_vma_ptr(base))
			use(s, canon_val(base), loc, "writes");
		/* a vma kept in a local: the local is born with the value */
		if (is_vma_ptr(lhs) && !is_gimple_reg(lhs) && TREE_CODE(rhs) == SSA_NAME) {
			struct birth *b = find_birth(s, canon_val(rhs));
			int k = canon_ref(lhs);

			if (b) {
				copy_birth(s, k, b);
			} else if (!key_param_rooted(canon_val(rhs))) {
				set_birth(s, k, 0, 0, loc);
			}
		}
		return;
	}
	if (gcall *call = dyn_cast<gcall *>(g)) {
		tree fn = gimple_call_fndecl(call);

		if (!fn)
			return;
		if (!exempt_call(fn)) {
			int consumer = pgt_consumer(fn);

			for (unsigned i = 0; i < gimple_call_num_args(call); i++) {
				tree a = gimple_call_arg(call, i);
				struct birth *b;

				if (TREE_CODE(a) != SSA_NAME)
					continue;
				if (is_vma_ptr(a))
					use(s, canon_val(a), loc, "passes on");
				else if (consumer && (b = find_birth(s, canon_val(a))) && b->pgt)
					use(s, canon_val(a), loc, "uses");
			}
		}
		return;
	}
	if (gcond *c = dyn_cast<gcond *>(g))
		check_range_tests(c, s);
}

/* What a call found: learned after anything it may have dropped (lease.c
   waits on it already) */
static void r2_results(gcall *call, struct mstate *s)
{
	tree fn = gimple_call_fndecl(call), lhs = gimple_call_lhs(call);
	location_t loc = gimple_location(call);

	if (!fn)
		return;
	const struct summary *sm = summary_get(fn, 0);

	births_of_call(call, s, fn);
	/* a vma stored through a "struct vm_area_struct **" argument
	   (uffd_move_lock(..., &dst_vma, &src_vma)): found by the callee,
	   after anything it dropped */
	for (unsigned i = 0; i < gimple_call_num_args(call) && !exempt_call(fn); i++) {
		tree a = gimple_call_arg(call, i);

		if (!POINTER_TYPE_P(TREE_TYPE(a)) || !is_vma_ptr_type(TREE_TYPE(TREE_TYPE(a))))
			continue;
		if (TREE_CODE(a) == ADDR_EXPR)
			set_birth(s, canon_ref(TREE_OPERAND(a, 0)), 1, 0, loc);
		else if (TREE_CODE(a) == SSA_NAME)
			set_birth(s, key_deref(canon_val(a)), 1, 0, loc);
	}
	/* a call that returns a vma: a fresh one, each time (loops) */
	if (lhs && TREE_CODE(lhs) == SSA_NAME && is_vma_ptr(lhs) && !exempt_call(fn))
		set_birth(s, canon_val(lhs), sm && sm->analysed && sm->ret_vma &&
			  !sm->ret_vma_unchecked, 0, loc);
}

/*
 * mmap-lock-held: a call that needs a lock (rules "requires", or a callee
 * that asserts it).  A function that never takes the lock passes the need
 * to its callers; one that does is reported.
 */
static void r2_requires(gcall *call, struct mstate *s, int cls, int inst, int mode, const char *what,
		 location_t oploc, const char *callee, int rule, const struct need *from)
{
	char msg[300];
	int read_here = -1;	/* held, for read only, taken on this path */

	for (int i = 0; i < s->nh; i++) {
		const struct held *h = &s->h[i];

		if (h->cls != cls || h->cond)
			continue;
		if (mode != MM_MODE_WRITE || h->mode != MM_MODE_READ)
			return;
		if (!(h->flags & (H_MAYBE | H_ENTRY)))	/* (asserted for read: the caller's) */
			read_here = i;
	}
	if (read_here >= 0) {	/* mmap_read_lock(), then what needs it for write */
		if (!rule_on(rule))
			return;
		if (callee)
			snprintf(msg, sizeof(msg), "call to %s(), which needs %s held for write (%s), "
				 "with it held for read", callee, class_name(cls), what);
		else
			snprintf(msg, sizeof(msg), "%s() needs %s held for write, held here for read",
				 what, class_name(cls));
		report(rule, gimple_location(call), msg);
		if (callee)
			report_note(oploc, "where the callee needs it");
		report_note(s->h[read_here].loc, "the lock was taken (or downgraded) here");
		return;
	}
	/* unless this path let the lock go, the caller's is held */
	int released = cls == mmap_cls && (s->lx.gone & L_OWN);

	for (int i = 0; i < s->nr; i++)
		released |= s->r[i].cls == cls && s->r[i].failed != 2;
	for (int i = 0; i < s->ne; i++)
		released |= s->entrel_cls[i] == cls;
	if (!released || s->merged) {	/* a joined path cannot tell */
		struct precond p;

		memset(&p, 0, sizeof(p));
		p.cls = cls;
		p.key = key_param_rooted(inst) ? inst : 0;
		p.rule = rule;
		p.loc = oploc;
		p.what = what;
		p.mode = mode;
		pass_need_on(s, &p, from);
		return;
	}
	if (!rule_on(rule))
		return;
	if (callee)
		snprintf(msg, sizeof(msg), "call to %s(), which needs %s held (%s), without it",
			 callee, class_name(cls), what);
	else
		snprintf(msg, sizeof(msg), "%s() needs %s held", what, class_name(cls));
	report(rule, gimple_location(call), msg);
	if (callee)
		report_note(oploc, "where the callee needs it");
	for (int i = s->nr - 1; i >= 0; i--)
		if (s->r[i].cls == cls) {
			report_note(s->r[i].loc, s->r[i].failed ? "it was not taken here on this path"
								: "it was released here");
			break;
		}
}

/* At a return: is the vma returned range-checked (find_dst_vma)? */
static void r2_return_vma(struct mstate *s, tree retval)
{
	struct birth *b;

	if (!retval || !is_vma_ptr(retval) || integer_zerop(const_value(retval)))
		return;
	b = TREE_CODE(retval) == SSA_NAME ? find_birth(s, canon_val(retval)) : NULL;
	summary_returns_vma(b && b->checked);
	if (mm_trace)
		fprintf(stderr, "trace: returns vma %s: %s\n", key_str(canon_val(retval)),
			!b ? "no birth" : b->checked ? "checked" : "unchecked");
}

/* A vma PHI takes the birth of the value coming in along E. */
static void r2_phis(edge e, struct mstate *s)
{
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi); gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		tree res = gimple_phi_result(phi), a;
		struct birth *b;
		int k;

		if (virtual_operand_p(res) || !is_vma_ptr(res))
			continue;
		k = canon_val(res);
		a = PHI_ARG_DEF_FROM_EDGE(phi, e);
		if (TREE_CODE(const_value(a)) == INTEGER_CST) {	/* "vma = NULL; goto retry" */
			del_birth(s, k);
			continue;
		}
		if (TREE_CODE(a) != SSA_NAME || canon_val(a) == k)
			continue;
		b = find_birth(s, canon_val(a));
		if (b) {
			copy_birth(s, k, b);
		} else if (key_param_rooted(canon_val(a))) {
			struct birth *nb;

			set_birth(s, k, 1, 0, DECL_SOURCE_LOCATION(cur->decl));
			nb = find_birth(s, k);
			nb->entry = 1;	/* the caller's vma: held since the entry */
			nb->lease = lease_now(s, L_CALLER & ~s->lx.gone);
			nb->locked = 1;
		} else {
			del_birth(s, k);	/* a value we know nothing of: not the old one */
		}
	}
}

/* Is KEY, with no birth on path S, fresh there (use() says)? */
static int fresh_unborn(const struct mstate *s, int key)
{
	if (!key_param_rooted(key))
		return 1;
	return !(s->lx.gone & (is_param_key(key) ? L_PARAM : L_CALLER));
}

/* R2 births: a value learned on either path is known; of a stale one
   and a fresh one, the fresh is kept (a merge must not make a fresh value
   stale). */
static void join_births(struct mstate *into, const struct mstate *from)
{
	for (int j = 0; j < from->r2.nb; j++) {
		const struct birth *fb = &from->r2.b[j];
		int i;

		for (i = 0; i < into->r2.nb; i++)
			if (into->r2.b[i].key == fb->key)
				break;
		if (i == into->r2.nb) {
			/* not learned on INTO's path: fresh there, as a param
			   its caller's lock still holds or a value we cannot
			   see, so a stale one is not taken */
			if (into->r2.nb == MAXB || (!birth_valid(fb) && fresh_unborn(into, fb->key)))
				continue;
			into->r2.b[into->r2.nb] = *fb;
			into->r2.nb++;
			continue;
		}
		struct birth *b = &into->r2.b[i];

		if (!birth_valid(fb) || birth_valid(b)) {
			b->validated |= fb->validated;
			continue;
		}
		b->entry = fb->entry;
		b->lease = (fb->lease & ~L_AFTER) | (b->lease & L_AFTER);
		b->validated = fb->validated;
		b->checked = fb->checked;
	}
	/* ... and the other way: stale on INTO's path, fresh (not learned) on
	   FROM's */
	for (int i = 0; i < into->r2.nb; i++) {
		struct birth *b = &into->r2.b[i];
		int j;

		for (j = 0; j < from->r2.nb && from->r2.b[j].key != b->key; j++)
			;
		if (j == from->r2.nb && !birth_valid(b) && fresh_unborn(from, b->key))
			b->lease |= b->entry ? L_CALLER : L_OWN;
	}
}

/* GUARDS went: out of every birth's lease */
static void stale_expire(struct mstate *s, lease_t guards, lease_t spare)
{
	for (int i = 0; i < s->r2.nb; i++)
		s->r2.b[i].lease = lease_less(s->r2.b[i].lease, guards, spare);
}

/* an assert of a lock not held here: the callers must hold it; and (its
   op) a call the rules say needs the lock held ("requires") */
static void stale_assumed(gcall *call, struct mstate *s, const struct held *h)
{
	r2_requires(call, s, h->cls, h->inst, h->mode, fn_name(gimple_call_fndecl(call)),
		    gimple_location(call), NULL, r_held, NULL);
}

static void stale_op(gcall *call, struct mstate *s, const struct mm_op *op)
{
	struct held h;

	if (op->dir == MM_REQUIRES && lock_desc(op, call, &h))
		stale_assumed(call, s, &h);
}

/* a callee's mmap-lock-held need */
static void stale_need(gcall *call, struct mstate *s, const struct need *n)
{
	r2_requires(call, s, n->p->cls, n->key, n->p->mode, n->p->what, n->p->loc, n->callee,
		    n->p->rule, n);
}

static void stale_ret(struct mstate *s, const struct ret_event *r)
{
	r2_return_vma(s, r->arg ? r->arg : r->rv);
}

CHECKER(stale_checker) = {
	.name = "stale",
	.rules = rules,
	.begin_function = stale_begin_function,
	.stmt = r2_stmt,
	.results = r2_results,
	.assumed = stale_assumed,
	.expire = stale_expire,
	.op = stale_op,
	.need = stale_need,
	.phis = r2_phis,
	.ret = stale_ret,
	.join = join_births,
};
