/*
 * Leases (README "Leases: valid while these locks are held"): a value learned on a path (a tested
 * fact, a vma pointer, a pmd pointer) carries the guards it was learned
 * under (mmlock.h, lease_t); when one goes, the engine takes it out of
 * every lease on the path: its own facts' here, each checker's through the
 * "expire" event.  This file decides when a guard goes:
 *
 *   - a lock of a class released (the walk, transfer.c): L_CLASS(c);
 *   - a lock vmas depend on (role=mm, guards=vma) released, ours or the
 *     caller's: L_OWN, L_CALLER, L_PARAM (lease_dropped);
 *   - a call that *may* have released one (handle_mm_fault, ->fault,
 *     lock_page_or_retry, faultin_page...): the path waits on it until
 *     something says which way it went, and what was learned before the
 *     call (no L_AFTER) loses its guards if it did:
 *       - its result: a test of the VM_FAULT_RETRY bits, "!ret",
 *         "ret == -EBUSY", a switch case; copies, casts, PHIs and stores
 *         of the result follow it;
 *       - a flag it wrote through a pointer it was handed (gup's "int
 *         *locked", khugepaged's "bool *mmap_locked", fixup_user_fault's
 *         "bool *unlocked").
 *
 * What a value means comes from the rules (drop ... mask= / when=) or from
 * the callee's summary: the values it returned, and left in its flag
 * parameter, on the paths that dropped the lock and on those that did not.
 */
#include "checker.h"

/* GUARDS went (but not from a lease holding one of SPARE): from the facts
   here, from every checker's leases through the expire event */
void lease_expire(struct mstate *s, lease_t guards, lease_t spare)
{
	for (int i = 0; i < s->nf; i++)
		s->f[i].lease = lease_less(s->f[i].lease, guards, spare);
	s->lx.gone |= guards & L_VMA_GUARDS;
	chk_expire(s, guards, spare);
}

/* Locks a branch released (resolve_gated, which cannot send events): out
   of the leases now */
void lease_flush(struct mstate *s)
{
	lease_t u = s->lx.unexpired;

	if (u) {
		s->lx.unexpired = 0;
		lease_expire(s, u, 0);
	}
}

/* Nothing waits on a call any more: L_AFTER means nothing */
static void clear_pending(struct mstate *s)
{
	s->lx.pend = 0;
	s->lx.pend_oz = s->lx.pend_onz = s->lx.pend_kz = s->lx.pend_knz = 0;
	s->lx.pend_cond = s->lx.pend_key = s->lx.pend_alias = s->lx.pend_rkey = 0;
	s->lx.npend_vals = 0;
	memset(s->lx.pend_vals, 0, sizeof(s->lx.pend_vals));
	memset(s->lx.pend_vob, 0, sizeof(s->lx.pend_vob));
	s->lx.pend_mask = 0;
	s->lx.pend_cls = 0;
	s->lx.pend_rules = 0;
	lease_expire(s, L_AFTER, 0);
}

/* A lock of class CLS that vmas depend on went at LOC; CALLERS_LOCK: the
   one held on entry (or not known); OWN_BLOCKING: one taken here, not by
   a trylock (it ends a vma parameter too).  SPARE: leases that keep their
   guards (learned after it). */
static void guard_went(struct mstate *s, location_t loc, int callers_lock, int own_blocking,
		       int cls, lease_t spare)
{
	lease_t gone = L_OWN | L_CLASS(cls);

	if (callers_lock)
		gone |= L_CALLER | L_PARAM;
	if (own_blocking)
		gone |= L_PARAM;
	s->lx.drop_cls = cls;
	s->lx.drop_loc = loc;
	lease_expire(s, gone, spare);
}

/* mmap_lock dropped here */
static void drop_mmap(struct mstate *s, location_t loc, int callers_lock, int own_blocking)
{
	guard_went(s, loc, callers_lock, own_blocking, mmap_cls, 0);
	clear_pending(s);
}

/* A lock other than mmap_lock that vma pointers depend on (the vma lock)
   is released: unless mmap_lock is held, what was learned is stale. */
static void drop_other_guard(struct mstate *s, location_t loc, int cls)
{
	if (st_holds_own(s, mmap_cls))
		return;
	guard_went(s, loc, 1, 0, cls, 0);
}

/* The pending call's outcome is known: PO_DROP, PO_NODROP (PO_MAYBE: not).
   If it dropped, what was learned after the call was learned after the
   drop: only the rest goes stale. */
static void resolve(struct mstate *s, int po)
{
	if (po == PO_MAYBE || !s->lx.pend)
		return;
	if (po == PO_DROP)
		guard_went(s, s->lx.pend_loc, !st_holds_own(s, mmap_cls), 0, s->lx.pend_cls, L_AFTER);
	clear_pending(s);
}

static void start_pending(struct mstate *s, gcall *call)
{
	tree lhs = gimple_call_lhs(call);

	clear_pending(s);
	s->lx.pend = 1;
	s->lx.pend_loc = gimple_location(call);
	s->lx.pend_cond = lhs && TREE_CODE(lhs) == SSA_NAME ? (int)SSA_NAME_VERSION(lhs) : 0;
	s->lx.pend_oz = s->lx.pend_onz = s->lx.pend_kz = s->lx.pend_knz = PO_MAYBE;
	s->lx.pend_cls = mmap_cls;
}

/* From the rules: MASK bits of the result mean dropped; or (MASK 0) the
   result being zero (WHEN_ZERO) or nonzero does. */
static void wait_on_rules(struct mstate *s, gcall *call, unsigned long mask, int when_zero, int cls)
{
	start_pending(s, call);
	s->lx.pend_rules = 1;
	if (cls >= 0)
		s->lx.pend_cls = cls;	/* the vma lock (vmf_anon_prepare) */
	s->lx.pend_mask = mask;
	if (!mask) {
		s->lx.pend_oz = when_zero ? PO_DROP : PO_NODROP;
		s->lx.pend_onz = when_zero ? PO_NODROP : PO_DROP;
	}
	if (!s->lx.pend_cond)
		resolve(s, PO_DROP);	/* nothing will tell: assume the worst */
}

static int outcome(unsigned bits)
{
	if (bits == OB_DROP)
		return PO_DROP;
	return bits & OB_DROP ? PO_MAYBE : PO_NODROP;
}

/* the key of what pointer argument A points to */
static int pointee_key(tree a)
{
	if (TREE_CODE(a) == ADDR_EXPR)
		return canon_ref(TREE_OPERAND(a, 0));
	if (TREE_CODE(a) == SSA_NAME && POINTER_TYPE_P(TREE_TYPE(a)))
		return key_deref(canon_val(a));
	return 0;
}

/* A call to a function whose summary says it may have dropped mmap_lock. */
static void wait_on_summary(struct mstate *s, gcall *call, const struct summary *sm)
{
	start_pending(s, call);
	s->lx.pend_oz = outcome(sm->ret_oz);
	s->lx.pend_onz = outcome(sm->ret_onz);
	if (sm->ret_masked && !sm->ret_unmasked)	/* __do_fault: VM_FAULT_RETRY */
		s->lx.pend_mask = sm->ret_mask;
	s->lx.npend_vals = sm->ret_vals_partial ? 0 : sm->nret_vals;
	memcpy(s->lx.pend_vals, sm->ret_vals, sizeof(s->lx.pend_vals));
	memcpy(s->lx.pend_vob, sm->ret_vob, sizeof(s->lx.pend_vob));
	if (sm->flag_param > 0 && sm->flag_param <= (int)gimple_call_num_args(call) &&
	    (s->lx.pend_key = pointee_key(gimple_call_arg(call, sm->flag_param - 1)))) {
		s->lx.pend_kz = outcome(sm->flag_oz);
		s->lx.pend_knz = outcome(sm->flag_onz);
	}
	if (s->lx.pend_oz == PO_DROP && s->lx.pend_onz == PO_DROP)
		resolve(s, PO_DROP);
}

/* "*Pn": the object parameter N points to (a flag): N + 1, else 0 */
static int param_flag(int key)
{
	const char *k = key_str(key);

	if (k[0] != '*' || k[1] != 'P' || !ISDIGIT(k[2]))
		return 0;
	for (const char *c = k + 2; *c; c++)
		if (!ISDIGIT(*c))
			return 0;
	return atoi(k + 2) + 1;
}

static int is_pend_version(const struct mstate *s, tree t)
{
	int v = TREE_CODE(t) == SSA_NAME ? (int)SSA_NAME_VERSION(t) : -1;

	return s->lx.pend_cond && (v == s->lx.pend_cond || v == s->lx.pend_alias);
}

/* Is T the pending result (1: also as stored, read back) or the flag (2)?  Copies and casts of it
   count, whichever end of the chain the result has been followed to. */
static int pending_subject(const struct mstate *s, tree t)
{
	if (!s->lx.pend)
		return 0;
	for (int i = 0; i < 5 && TREE_CODE(t) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(t);

		if (is_pend_version(s, t))
			return 1;
		if (s->lx.pend_key && canon_val(t) == s->lx.pend_key)
			return 2;
		if (s->lx.pend_rkey && canon_val(t) == s->lx.pend_rkey)
			return 1;
		/* "ret |= folio_lock_or_retry(...)": a fault result's bits
		   gathered with others; none of the bits: not dropped */
		if (s->lx.pend_mask && is_gimple_assign(def) &&
		    gimple_assign_rhs_code(def) == BIT_IOR_EXPR &&
		    (is_pend_version(s, gimple_assign_rhs1(def)) ||
		     is_pend_version(s, gimple_assign_rhs2(def))))
			return 1;
		/* "x != 0" keeps zero and nonzero apart (a bool made of it) */
		if (!gimple_assign_ssa_name_copy_p(def) && !gimple_assign_cast_p(def) &&
		    !(is_gimple_assign(def) && gimple_assign_rhs_code(def) == NE_EXPR &&
		      integer_zerop(gimple_assign_rhs2(def)) && !s->lx.pend_mask))
			break;
		t = gimple_assign_rhs1(def);
	}
	return 0;
}

/* What the subject of kind WHAT being the value V (exact), or only zero /
   nonzero (EXACT 0), says of the pending call: PO_* */
static int value_outcome(const struct mstate *s, int what, int exact, HOST_WIDE_INT v)
{
	if (what == 2)
		return v ? s->lx.pend_knz : s->lx.pend_kz;
	for (int i = 0; exact && i < s->lx.npend_vals; i++)
		if (s->lx.pend_vals[i] == v)	/* "result == SCAN_SUCCEED" */
			return outcome(s->lx.pend_vob[i]);
	if (s->lx.pend_mask) {
		if (exact)
			return (unsigned long)v & s->lx.pend_mask ? PO_DROP : PO_NODROP;
		return v ? PO_MAYBE : PO_NODROP;	/* zero has none of the bits */
	}
	return v ? s->lx.pend_onz : s->lx.pend_oz;
}

static void learn_value(struct mstate *s, int what, int exact, HOST_WIDE_INT v)
{
	resolve(s, value_outcome(s, what, exact, v));
}

/* A branch on the pending call's result or flag: "ret & VM_FAULT_RETRY",
   "!ret", "ret == -EBUSY", "!locked". */
void lease_cond_edge(gcond *c, int taken_true, struct mstate *s)
{
	tree a = gimple_cond_lhs(c), b = gimple_cond_rhs(c), base, def_rhs2;
	enum tree_code code = gimple_cond_code(c);
	unsigned long bits = ~0ul;
	int neg = 0, equal, what;
	gimple *def;

	if (!s->lx.pend || TREE_CODE(b) != INTEGER_CST || (code != NE_EXPR && code != EQ_EXPR))
		return;
	equal = (code == EQ_EXPR) == !!taken_true;
	/* the tested value itself (the result was followed to it), or what
	   it was computed from */
	base = pending_subject(s, a) ? a : bool_base(a, &neg);
	if (neg && integer_zerop(b))
		equal = !equal;
	def = TREE_CODE(base) == SSA_NAME ? SSA_NAME_DEF_STMT(base) : NULL;
	if (def && is_gimple_assign(def) && gimple_assign_rhs_code(def) == BIT_AND_EXPR &&
	    TREE_CODE(def_rhs2 = gimple_assign_rhs2(def)) == INTEGER_CST) {
		bits = TREE_INT_CST_LOW(def_rhs2);
		base = gimple_assign_rhs1(def);
	}
	if (!(what = pending_subject(s, base)))
		return;
	if (mm_trace)
		fprintf(stderr, "trace: r2 edge line %d what=%d equal=%d bits=%lx mask=%lx\n",
			expand_location(gimple_location(c)).line, what, equal, bits, s->lx.pend_mask);
	if (!integer_zerop(b)) {	/* "ret == -EBUSY": exact on the equal edge */
		if (equal && bits == ~0ul && tree_fits_shwi_p(b))
			learn_value(s, what, 1, tree_to_shwi(b));
		return;
	}
	if (bits == ~0ul) {
		learn_value(s, what, 0, !equal);
		return;
	}
	/* a test of some bits of the result */
	if (what != 1)
		return;
	if (!s->lx.pend_mask) {
		if (!equal)	/* some bit set: the result is nonzero */
			resolve(s, s->lx.pend_onz);
		return;
	}
	if (!(bits & s->lx.pend_mask))
		return;		/* a test of other bits says nothing */
	if (!equal) {
		if (!(bits & ~s->lx.pend_mask))	/* only "dropped" bits tested */
			resolve(s, PO_DROP);
	} else {
		s->lx.pend_mask &= ~bits;
		if (!s->lx.pend_mask)
			resolve(s, PO_NODROP);	/* none of the bits: not dropped */
	}
}

/* A switch on the result: what the case labels leading to E say. */
void lease_switch_edge(edge e, gswitch *sw, struct mstate *s)
{
	int what = pending_subject(s, gimple_switch_index(sw)), po = -1;

	if (!what)
		return;
	for (unsigned i = 0; i < gimple_switch_num_labels(sw); i++) {
		tree l = gimple_switch_label(sw, i);
		int p;

		if (label_to_block(cfun, CASE_LABEL(l)) != e->dest)
			continue;
		if (i == 0 || CASE_HIGH(l) || !tree_fits_shwi_p(CASE_LOW(l)))
			return;		/* default, ranges: unknown */
		p = value_outcome(s, what, 1, tree_to_shwi(CASE_LOW(l)));
		if (p != PO_MAYBE && p != PO_DROP)
			p = PO_NODROP;
		if (po >= 0 && p != po)
			return;
		po = p;
	}
	if (po >= 0)
		resolve(s, po);
}

/* The result copied, cast or stored: follow it.  "*Pn = const": a flag. */
static void pending_stmt(gimple *g, struct mstate *s)
{
	tree lhs, rhs;

	if (!is_gimple_assign(g) || gimple_clobber_p(g))
		return;
	lhs = gimple_assign_lhs(g);
	rhs = gimple_assign_rhs1(g);
	if (TREE_CODE(lhs) != SSA_NAME && TREE_CODE(rhs) == INTEGER_CST &&
	    INTEGRAL_TYPE_P(TREE_TYPE(lhs))) {
		int n = param_flag(canon_ref(lhs));

		if (n) {
			s->lx.flag_param = n;
			s->lx.flag_val = integer_zerop(rhs) ? 1 : 2;
		}
	}
	if (!s->lx.pend || !s->lx.pend_cond || TREE_CODE(rhs) != SSA_NAME ||
	    pending_subject(s, rhs) != 1)
		return;
	if (TREE_CODE(lhs) == SSA_NAME) {
		enum tree_code code = gimple_assign_rhs_code(g);

		if (gimple_assign_ssa_name_copy_p(g) || CONVERT_EXPR_CODE_P(code))
			s->lx.pend_cond = SSA_NAME_VERSION(lhs);
		return;
	}
	/* stored: a later load of the same place tells as much */
	s->lx.pend_rkey = canon_ref(lhs);
}

/* PHIs taking the result along E carry it (a variable's and the return
   value's: two at most). */
void lease_phis(edge e, struct mstate *s)
{
	int n = 0, v[2] = { 0, 0 };

	if (!s->lx.pend || !s->lx.pend_cond)
		return;
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi) && n < 2;
	     gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		tree a = PHI_ARG_DEF_FROM_EDGE(phi, e);

		if (!virtual_operand_p(gimple_phi_result(phi)) && pending_subject(s, a) == 1)
			v[n++] = SSA_NAME_VERSION(gimple_phi_result(phi));
	}
	if (n) {
		s->lx.pend_cond = v[0];
		s->lx.pend_alias = v[1];
	}
}

/* At a return: did this path drop the caller's mmap_lock, and what does
   it return (and leave in its flag) when it did? */
void lease_ret(struct mstate *s, tree retval)
{
	/* a lock it took and released itself was never the caller's */
	int dropped = !!(s->lx.gone & L_CALLER), maybe = s->lx.pend && !dropped;

	if (mm_trace)
		fprintf(stderr, "trace: r2 return dropped=%d maybe=%d subject=%d mask=%lx rv=%d known=%d/%ld\n",
			dropped, maybe, retval ? pending_subject(s, retval) : -1, s->lx.pend_mask,
			retval && TREE_CODE(retval) == SSA_NAME ? (int)SSA_NAME_VERSION(retval) : -1,
			s->ret_known, (long)s->retval);
	summary_drop_return(s, retval != NULL_TREE, dropped, maybe,
			    retval && maybe && pending_subject(s, retval) == 1,
			    maybe ? param_flag(s->lx.pend_key) : 0);
}

/* A lock vmas depend on was released: mmap_lock (HOW says whose it was),
   or a guards=vma class (the vma lock) */
void lease_dropped(gcall *call, struct mstate *s, int cls, int how)
{
	location_t loc = gimple_location(call);

	if (cls != mmap_cls) {
		drop_other_guard(s, loc, cls);
		return;
	}
	drop_mmap(s, loc, how == DROP_CALLERS, how == DROP_OWN_BLOCKING);
}

/* ... or may have been, as the call's result says (zero: dropped iff WHEN_ZERO) */
void lease_may_drop(gcall *call, struct mstate *s, int cls, int when_zero)
{
	wait_on_rules(s, call, 0, when_zero, cls);
}

/* Does this rules "drop" apply at CALL?  handle_mm_fault without
   FAULT_FLAG_ALLOW_RETRY keeps it; a drop of another class (the vma lock),
   or one read from a struct's flags, needs its flag seen (otherwise a
   summary of the callee, if any, says what it does). */
static int drop_applies(const struct mm_op *op, gcall *call)
{
	int on = op_flags_on(op, call);

	return op->cls >= 0 || op->flag_field ? on == 1 : on != 0;
}

/* Is a call through this function pointer one that may drop mmap_lock? */
static unsigned long dropfield_mask(tree fnptr)
{
	gimple *def;
	tree ref;

	if (!fnptr || TREE_CODE(fnptr) != SSA_NAME)
		return 0;
	def = SSA_NAME_DEF_STMT(fnptr);
	if (!gimple_assign_single_p(def) || TREE_CODE(ref = gimple_assign_rhs1(def)) != COMPONENT_REF)
		return 0;
	for (int i = 0; i < mm_rules_set.ndropfields; i++) {
		tree f = TREE_OPERAND(ref, 1);

		if (DECL_NAME(f) && !strcmp(IDENTIFIER_POINTER(DECL_NAME(f)),
					    mm_rules_set.dropfields[i].field))
			return mm_rules_set.dropfields[i].mask;
	}
	return 0;
}

/* A call that may drop mmap_lock (or the vma lock): the rules' "drop", a
   call through a ->fault-like field, a callee whose summary says it may */
static void lease_call(gcall *call, struct mstate *s)
{
	tree fn = gimple_call_fndecl(call);

	if (!fn) {
		unsigned long m = gimple_call_internal_p(call) ? 0
				  : dropfield_mask(gimple_call_fn(call));

		if (m)
			wait_on_rules(s, call, m, 0, -1);
		return;
	}
	const struct mm_op *dop = rules_op(fn, MM_DROP);
	const struct summary *sm = summary_get(fn, 0);

	if (!(dop && drop_applies(dop, call)) && sm && sm->analysed && sm->may_drop)
		wait_on_summary(s, call, sm);
	for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op))
		if (op->dir == MM_DROP && drop_applies(op, call))
			wait_on_rules(s, call, op->mask, op->when == MM_IF_ZERO, op->cls);
}

/* A statement: the pending result followed, or a call that may drop */
void lease_stmt(gimple *g, struct mstate *s)
{
	lease_flush(s);		/* a checker's stmt hook may have resolved a gate */
	if (gcall *call = dyn_cast<gcall *>(g))
		lease_call(call, s);
	else
		pending_stmt(g, s);
}

/* A call the rules say may have dropped mmap_lock (or the vma lock), not
   yet decided by its result, is lock state too: a join would forget it.
   (What summaries infer, flags through callees, is not precise enough to
   keep paths apart for.)  Apart unless A and B wait on the same such call,
   or on none. */
int lease_apart(const struct mstate *a, const struct mstate *b)
{
	int wa = a->lx.pend && a->lx.pend_rules, wb = b->lx.pend && b->lx.pend_rules;

	return !(wa == wb && (!wa || a->lx.pend_loc == b->lx.pend_loc));
}
