/*
 * R2: when was mmap_lock dropped?  Each path counts its drops (a release,
 * a call whose summary says it dropped).  A call that *may* have dropped
 * it (handle_mm_fault, ->fault, lock_page_or_retry, faultin_page...) leaves
 * the path "pending" until something says which way it went:
 *
 *   - its result: a test of the VM_FAULT_RETRY bits, "!ret", "ret == -EBUSY",
 *     a switch case; copies, casts, PHIs and stores of the result follow it;
 *   - a flag it wrote through a pointer it was handed (gup's "int *locked",
 *     khugepaged's "bool *mmap_locked", fixup_user_fault's "bool *unlocked").
 *
 * What a value means comes from the rules (drop ... mask= / when=) or from
 * the callee's summary: the values it returned, and left in its flag
 * parameter, on the paths that dropped the lock and on those that did not.
 */
#include "r2.h"

int r2_own_mmap_lock(const struct mstate *s)
{
	int c = mmap_cls;

	for (int i = 0; i < s->nh; i++)
		if (s->h[i].cls == c && !(s->h[i].flags & H_ENTRY))
			return 1;
	return 0;
}

static void clear_pending(struct mstate *s)
{
	s->r2.pend = 0;
	s->r2.pend_oz = s->r2.pend_onz = s->r2.pend_kz = s->r2.pend_knz = 0;
	s->r2.pend_cond = s->r2.pend_key = s->r2.pend_alias = s->r2.pend_rkey = 0;
	s->r2.npend_vals = 0;
	memset(s->r2.pend_vals, 0, sizeof(s->r2.pend_vals));
	memset(s->r2.pend_vob, 0, sizeof(s->r2.pend_vob));
	s->r2.pend_mask = 0;
	s->r2.pend_cls = 0;
	s->r2.pend_rules = 0;
	for (int i = 0; i < s->r2.nb; i++)
		s->r2.b[i].after_pend = 0;
}

static void count_drop(struct mstate *s, location_t loc, int callers_lock, int cls)
{
	s->r2.drop_cls = cls;
	if (s->r2.drops < 255)
		s->r2.drops++;
	if (callers_lock && s->r2.entry_drops < 255)
		s->r2.entry_drops++;
	if (callers_lock && s->r2.param_drops < 255)
		s->r2.param_drops++;
	s->r2.drop_loc = loc;
}

const char *r2_drop_name(const struct mstate *s, int pending)
{
	int c = pending ? s->r2.pend_cls : s->r2.drop_cls;

	return class_name(c >= 0 && c < mm_rules_set.nclasses ? c : mmap_cls);
}

/* mmap_lock dropped here; CALLERS_LOCK: the one held on entry (or not known) */
static void r2_drop(struct mstate *s, location_t loc, int callers_lock)
{
	count_drop(s, loc, callers_lock, mmap_cls);
	clear_pending(s);
}

/* A lock other than mmap_lock that vma pointers depend on (the vma lock)
   is released: unless mmap_lock is held, what was learned is stale. */
static void r2_drop_class(struct mstate *s, location_t loc, int cls)
{
	if (r2_own_mmap_lock(s))
		return;
	count_drop(s, loc, 1, cls);
}

/* The pending call's outcome is known: PO_DROP, PO_NODROP (PO_MAYBE: not). */
static void resolve(struct mstate *s, int po)
{
	if (po == PO_MAYBE || !s->r2.pend)
		return;
	if (po == PO_DROP) {
		count_drop(s, s->r2.pend_loc, !r2_own_mmap_lock(s), s->r2.pend_cls);
		/* what was learned after the call was learned after the drop */
		for (int i = 0; i < s->r2.nb; i++)
			if (s->r2.b[i].after_pend)
				s->r2.b[i].drops = s->r2.b[i].entry ? s->r2.entry_drops : s->r2.drops;
	}
	clear_pending(s);
}

static void start_pending(struct mstate *s, gcall *call)
{
	tree lhs = gimple_call_lhs(call);

	clear_pending(s);
	s->r2.pend = 1;
	s->r2.pend_loc = gimple_location(call);
	s->r2.pend_cond = lhs && TREE_CODE(lhs) == SSA_NAME ? (int)SSA_NAME_VERSION(lhs) : 0;
	s->r2.pend_oz = s->r2.pend_onz = s->r2.pend_kz = s->r2.pend_knz = PO_MAYBE;
	s->r2.pend_cls = mmap_cls;
}

/* From the rules: MASK bits of the result mean dropped; or (MASK 0) the
   result being zero (WHEN_ZERO) or nonzero does. */
void r2_pending(struct mstate *s, gcall *call, unsigned long mask, int when_zero, int cls)
{
	start_pending(s, call);
	s->r2.pend_rules = 1;
	if (cls >= 0)
		s->r2.pend_cls = cls;	/* the vma lock (vmf_anon_prepare) */
	s->r2.pend_mask = mask;
	if (!mask) {
		s->r2.pend_oz = when_zero ? PO_DROP : PO_NODROP;
		s->r2.pend_onz = when_zero ? PO_NODROP : PO_DROP;
	}
	if (!s->r2.pend_cond)
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
void r2_pending_summary(struct mstate *s, gcall *call, const struct summary *sm)
{
	start_pending(s, call);
	s->r2.pend_oz = outcome(sm->ret_oz);
	s->r2.pend_onz = outcome(sm->ret_onz);
	if (sm->ret_masked && !sm->ret_unmasked)	/* __do_fault: VM_FAULT_RETRY */
		s->r2.pend_mask = sm->ret_mask;
	s->r2.npend_vals = sm->ret_vals_partial ? 0 : sm->nret_vals;
	memcpy(s->r2.pend_vals, sm->ret_vals, sizeof(s->r2.pend_vals));
	memcpy(s->r2.pend_vob, sm->ret_vob, sizeof(s->r2.pend_vob));
	if (sm->flag_param > 0 && sm->flag_param <= (int)gimple_call_num_args(call) &&
	    (s->r2.pend_key = pointee_key(gimple_call_arg(call, sm->flag_param - 1)))) {
		s->r2.pend_kz = outcome(sm->flag_oz);
		s->r2.pend_knz = outcome(sm->flag_onz);
	}
	if (s->r2.pend_oz == PO_DROP && s->r2.pend_onz == PO_DROP)
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

	return s->r2.pend_cond && (v == s->r2.pend_cond || v == s->r2.pend_alias);
}

/* Is T the pending result (1: also as stored, read back) or the flag (2)?  Copies and casts of it
   count, whichever end of the chain the result has been followed to. */
static int pending_subject(const struct mstate *s, tree t)
{
	if (!s->r2.pend)
		return 0;
	for (int i = 0; i < 5 && TREE_CODE(t) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(t);

		if (is_pend_version(s, t))
			return 1;
		if (s->r2.pend_key && canon_val(t) == s->r2.pend_key)
			return 2;
		if (s->r2.pend_rkey && canon_val(t) == s->r2.pend_rkey)
			return 1;
		/* "ret |= folio_lock_or_retry(...)": a fault result's bits
		   gathered with others; none of the bits: not dropped */
		if (s->r2.pend_mask && is_gimple_assign(def) &&
		    gimple_assign_rhs_code(def) == BIT_IOR_EXPR &&
		    (is_pend_version(s, gimple_assign_rhs1(def)) ||
		     is_pend_version(s, gimple_assign_rhs2(def))))
			return 1;
		/* "x != 0" keeps zero and nonzero apart (a bool made of it) */
		if (!gimple_assign_ssa_name_copy_p(def) && !gimple_assign_cast_p(def) &&
		    !(is_gimple_assign(def) && gimple_assign_rhs_code(def) == NE_EXPR &&
		      integer_zerop(gimple_assign_rhs2(def)) && !s->r2.pend_mask))
			break;
		t = gimple_assign_rhs1(def);
	}
	return 0;
}

/* The subject of kind WHAT is known to be the value V (exact), or only
   zero / nonzero (EXACT 0). */
static void learn_value(struct mstate *s, int what, int exact, HOST_WIDE_INT v)
{
	if (what == 2) {
		resolve(s, v ? s->r2.pend_knz : s->r2.pend_kz);
		return;
	}
	for (int i = 0; exact && i < s->r2.npend_vals; i++)
		if (s->r2.pend_vals[i] == v) {	/* "result == SCAN_SUCCEED" */
			resolve(s, outcome(s->r2.pend_vob[i]));
			return;
		}
	if (s->r2.pend_mask) {
		if (exact)
			resolve(s, (unsigned long)v & s->r2.pend_mask ? PO_DROP : PO_NODROP);
		else if (!v)
			resolve(s, PO_NODROP);	/* zero has none of the bits */
	} else {
		resolve(s, v ? s->r2.pend_onz : s->r2.pend_oz);
	}
}

/* A branch on the pending call's result or flag: "ret & VM_FAULT_RETRY",
   "!ret", "ret == -EBUSY", "!locked". */
static void r2_edge(edge e, gcond *c, int taken_true, struct mstate *s)
{
	tree a = gimple_cond_lhs(c), b = gimple_cond_rhs(c), base, def_rhs2;
	enum tree_code code = gimple_cond_code(c);
	unsigned long bits = ~0ul;
	int neg = 0, equal, what;
	gimple *def;

	if (!s->r2.pend || TREE_CODE(b) != INTEGER_CST || (code != NE_EXPR && code != EQ_EXPR))
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
			expand_location(gimple_location(c)).line, what, equal, bits, s->r2.pend_mask);
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
	if (!s->r2.pend_mask) {
		if (!equal)	/* some bit set: the result is nonzero */
			resolve(s, s->r2.pend_onz);
		return;
	}
	if (!(bits & s->r2.pend_mask))
		return;		/* a test of other bits says nothing */
	if (!equal) {
		if (!(bits & ~s->r2.pend_mask))	/* only "dropped" bits tested */
			resolve(s, PO_DROP);
	} else {
		s->r2.pend_mask &= ~bits;
		if (!s->r2.pend_mask)
			resolve(s, PO_NODROP);	/* none of the bits: not dropped */
	}
	(void)e;
}

/* A switch on the result: what the case labels leading to E say. */
static void r2_switch_edge(edge e, gswitch *sw, struct mstate *s)
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
		struct mstate t = *s;
		learn_value(&t, what, 1, tree_to_shwi(CASE_LOW(l)));
		p = t.r2.pend ? PO_MAYBE : t.r2.drops != s->r2.drops ? PO_DROP : PO_NODROP;
		if (po >= 0 && p != po)
			return;
		po = p;
	}
	if (po >= 0)
		resolve(s, po);
}

/* The result copied, cast or stored: follow it.  "*Pn = const": a flag. */
static void r2_pending_stmt(gimple *g, struct mstate *s)
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
			s->r2.flag_param = n;
			s->r2.flag_val = integer_zerop(rhs) ? 1 : 2;
		}
	}
	if (!s->r2.pend || !s->r2.pend_cond || TREE_CODE(rhs) != SSA_NAME ||
	    pending_subject(s, rhs) != 1)
		return;
	if (TREE_CODE(lhs) == SSA_NAME) {
		enum tree_code code = gimple_assign_rhs_code(g);

		if (gimple_assign_ssa_name_copy_p(g) || CONVERT_EXPR_CODE_P(code))
			s->r2.pend_cond = SSA_NAME_VERSION(lhs);
		return;
	}
	/* stored: a later load of the same place tells as much */
	s->r2.pend_rkey = canon_ref(lhs);
}

/* PHIs taking the result along E carry it (a variable's and the return
   value's: two at most). */
static void r2_pending_phis(edge e, struct mstate *s)
{
	int n = 0, v[2] = { 0, 0 };

	if (!s->r2.pend || !s->r2.pend_cond)
		return;
	for (gphi_iterator gsi = gsi_start_phis(e->dest); !gsi_end_p(gsi) && n < 2;
	     gsi_next(&gsi)) {
		gphi *phi = gsi.phi();
		tree a = PHI_ARG_DEF_FROM_EDGE(phi, e);

		if (!virtual_operand_p(gimple_phi_result(phi)) && pending_subject(s, a) == 1)
			v[n++] = SSA_NAME_VERSION(gimple_phi_result(phi));
	}
	if (n) {
		s->r2.pend_cond = v[0];
		s->r2.pend_alias = v[1];
	}
}

/* At a return: did this path drop the caller's mmap_lock, and what does
   it return (and leave in its flag) when it did? */
static void r2_return(struct mstate *s, tree retval)
{
	/* a lock it took and released itself was never the caller's */
	int dropped = s->r2.entry_drops != 0, maybe = s->r2.pend && !dropped;

	if (mm_trace)
		fprintf(stderr, "trace: r2 return dropped=%d maybe=%d subject=%d mask=%lx rv=%d known=%d/%ld\n",
			dropped, maybe, retval ? pending_subject(s, retval) : -1, s->r2.pend_mask,
			retval && TREE_CODE(retval) == SSA_NAME ? (int)SSA_NAME_VERSION(retval) : -1,
			s->ret_known, (long)s->retval);
	summary_drop_return(s, retval != NULL_TREE, dropped, maybe,
			    retval && maybe && pending_subject(s, retval) == 1,
			    maybe ? param_flag(s->r2.pend_key) : 0);
}

/* A lock what was learned depends on was released: mmap_lock (HOW says
   whose it was), or a guards=vma class (the vma lock) */
static void drops_dropped(gcall *call, struct mstate *s, int cls, int how)
{
	location_t loc = gimple_location(call);

	if (cls != mmap_cls) {
		r2_drop_class(s, loc, cls);
		return;
	}
	r2_drop(s, loc, how == DROP_CALLERS);
	if (how == DROP_OWN_BLOCKING && s->r2.param_drops < 255)
		s->r2.param_drops++;
}

/* ... or may have been, as the call's result says (zero: dropped iff WHEN_ZERO) */
static void drops_may_drop(gcall *call, struct mstate *s, int cls, int when_zero)
{
	r2_pending(s, call, 0, when_zero, -1);
}

static void drops_cond_edge(edge e, gcond *c, int taken_true, struct mstate *s)
{
	r2_edge(e, c, taken_true, s);
}

static void drops_ret(struct mstate *s, const struct ret_event *r)
{
	r2_return(s, r->rv ? r->rv : r->arg);
}

/* A call the rules say may have dropped mmap_lock (or the vma lock), not
   yet decided by its result, is lock state too: a join would forget it.
   (What summaries infer, flags through callees, is not precise enough to
   keep paths apart for.)  Apart unless A and B wait on the same such call,
   or on none. */
static int drops_apart(const struct mstate *a, const struct mstate *b)
{
	int wa = a->r2.pend && a->r2.pend_rules, wb = b->r2.pend && b->r2.pend_rules;

	return !(wa == wb && (!wa || a->r2.pend_loc == b->r2.pend_loc));
}

/* Not a rule of its own: when the lock went, for stale.c's rules */
CHECKER(drops_checker) = {
	.name = "drops",
	.rules = NULL,
	.stmt = r2_pending_stmt,
	.dropped = drops_dropped,
	.may_drop = drops_may_drop,
	.cond_edge = drops_cond_edge,
	.switch_edge = r2_switch_edge,
	.phis = r2_pending_phis,
	.ret = drops_ret,
	.apart = drops_apart,
};
