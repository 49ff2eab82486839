/*
 * recheck-after-relock (RULES.md R2): a decision taken in a first scan,
 * under locks that were dropped since, must be taken again under the
 * final locks.  The rules name the functions doing such second scans
 * ("recheck __collapse_huge_page_isolate test=pte_uffd_wp ok=1"): on a path
 * that ends in the function's success result, every pte value it read must
 * have gone through the test, unless a "recheckok" predicate showed on the
 * way that no test is needed (a none pte, a vma not registered with
 * userfaultfd).  Seed 002, fixed by dd47ac428c3f.
 *
 * The test is a decision under the final locks only while they are held:
 * the value read keeps a lease (mmlock.h) of the locks held exclusively
 * when it was read, and a test made after one of them was released does
 * not count (the pte may have changed since).
 */
#include "checker.h"

/* its rule ids come from the rules' "recheck ... rule=" */
static const struct rule_bind rules[] = { { "recheck-after-relock", NULL }, { NULL, NULL } };

static int is_pte_value(tree t)
{
	return t && type_named(TREE_TYPE(t), mm_rules_set.ptetype);
}

static int value_key(tree t)
{
	return TREE_CODE(t) == SSA_NAME || DECL_P(t) ? canon_val(t) : canon_ref(t);
}

/* No pte waits for its test */
static void rc_clear(struct mstate *s)
{
	s->rc.key = 0;
	s->rc.late = 0;
	s->rc.under = s->rc.lease = 0;
	s->rc.loc = UNKNOWN_LOCATION;
}

static void recheck_begin_function(tree decl)
{
	cur->recheck = rules_op(decl, MM_RECHECK);
}

/* A pte read from its table starts a value that must be tested; the
   test ends it. */
static void recheck_stmt(gimple *g, struct mstate *s)
{
	const struct mm_op *op = cur->recheck;

	if (!op)
		return;
	if (gimple_assign_single_p(g) && !gimple_clobber_p(g)) {
		tree lhs = gimple_assign_lhs(g), rhs = gimple_assign_rhs1(g);

		if (!s->rc.exempt && is_pte_value(lhs) && !DECL_P(rhs) && TREE_CODE(rhs) != SSA_NAME &&
		    !CONSTANT_CLASS_P(rhs) && TREE_CODE(rhs) != CONSTRUCTOR) {
			s->rc.key = value_key(lhs);
			s->rc.loc = gimple_location(g);
			s->rc.under = s->rc.lease = fact_context(s);
			s->rc.late = 0;
			if (mm_trace)
				fprintf(stderr, "trace: recheck: pte %s read at line %d\n",
					key_str(s->rc.key), expand_location(s->rc.loc).line);
		}
		return;
	}
	if (gcall *call = dyn_cast<gcall *>(g)) {
		tree fn = gimple_call_fndecl(call), lhs = gimple_call_lhs(call);

		if (s->rc.key && fn && gimple_call_num_args(call) > 0 &&
		    !strcmp(fn_name(fn), op->test) &&
		    value_key(gimple_call_arg(call, 0)) == s->rc.key) {
			if ((s->rc.lease & s->rc.under) == s->rc.under)
				rc_clear(s);
			else		/* tested after the locks went: too late */
				s->rc.late = 1;
		}
		/* "pteval = ptep_get(_pte)" (6.5+): a pte value read through
		   a pointer into the table is a read too */
		if (!s->rc.exempt && lhs && is_pte_value(lhs) && gimple_call_num_args(call) == 1 &&
		    POINTER_TYPE_P(TREE_TYPE(gimple_call_arg(call, 0))) &&
		    type_named(TREE_TYPE(TREE_TYPE(gimple_call_arg(call, 0))), mm_rules_set.ptetype)) {
			s->rc.key = value_key(lhs);
			s->rc.loc = gimple_location(g);
			s->rc.under = s->rc.lease = fact_context(s);
			s->rc.late = 0;
		}
	}
}

/* "if (pte_none(pteval))", "if (!userfaultfd_armed(vma))": no test needed */
static void recheck_edge(edge e, gcond *c, int taken_true, struct mstate *s)
{
	enum tree_code code = gimple_cond_code(c);
	int neg = 0, nonzero;
	tree base;
	gcall *call;

	if (!cur->recheck || !integer_zerop(gimple_cond_rhs(c)) ||
	    (code != NE_EXPR && code != EQ_EXPR))
		return;
	base = bool_base(gimple_cond_lhs(c), &neg);
	if (TREE_CODE(base) != SSA_NAME ||
	    !(call = dyn_cast<gcall *>(SSA_NAME_DEF_STMT(base))) || !gimple_call_fndecl(call))
		return;
	nonzero = ((code == NE_EXPR) == !!taken_true) ^ neg;
	tree fn = gimple_call_fndecl(call);

	for (const struct mm_op *op = fn_ops(fn); op; op = fn_ops_next(fn, op)) {
		tree a;

		if (op->dir != MM_RECHECKOK || nonzero != (op->when == MM_IF_NONZERO))
			continue;
		/* about this pte, or about the vma: then for the whole path */
		a = gimple_call_num_args(call) ? gimple_call_arg(call, 0) : NULL_TREE;
		if (!a || !is_pte_value(a))
			s->rc.exempt = 1;
		if (!a || !is_pte_value(a) || value_key(a) == s->rc.key)
			rc_clear(s);
	}
}

/* At a return of the success result: a pte left untested is a finding. */
static void recheck_return(struct mstate *s, const struct ret_event *r)
{
	const struct mm_op *op = cur->recheck;
	char msg[300];

	if (!op || !s->rc.key || s->ret_known != 1 || s->retval != op->ok || !rule_on(op->rule))
		return;
	if (s->rc.late)
		snprintf(msg, sizeof(msg), "a pte read under the re-taken locks decides the "
			 "result, tested with %s() only after a lock it was read under was "
			 "released: it may have changed in between", op->test);
	else
		snprintf(msg, sizeof(msg), "a pte read under the re-taken locks decides the "
			 "result without %s(): what the first scan saw may have changed while "
			 "the locks were dropped", op->test);
	report(op->rule, s->rc.loc, msg);
	report_note(r->at, "the function reports success here");
	rc_clear(s);
}

static void recheck_join(struct mstate *into, const struct mstate *from)
{
	if (from->rc.key != into->rc.key) {	/* a joined path cannot tell */
		rc_clear(into);
		return;
	}
	into->rc.under &= from->rc.under;	/* read under these on both */
	into->rc.lease &= from->rc.lease;	/* ... and still held on both */
	into->rc.late |= from->rc.late;
}

/* A lock the pte was read under went */
static void recheck_expire(struct mstate *s, lease_t guards, lease_t spare)
{
	s->rc.lease = lease_less(s->rc.lease, guards, spare);
}

CHECKER(recheck_checker) = {
	.name = "recheck",
	.rules = rules,
	.begin_function = recheck_begin_function,
	.stmt = recheck_stmt,
	.expire = recheck_expire,
	.cond_edge = recheck_edge,
	.ret = recheck_return,
	.join = recheck_join,
};
