/*
 * Results that are NULL when the call fails (rules "nullable"): since 6.5
 * the pte map functions return NULL when the pmd no longer maps a page
 * table (pte-map-null), and lock_vma_under_rcu() returns NULL when it
 * could not lock a vma (vma-lock).  Such a result, or a pointer derived
 * from it ("pte + i", "pte++"), must be tested before it is dereferenced
 * or handed to a call.
 *
 * Path-sensitive: the test is a fact of the path (engine.c records tests
 * of these values, and carries "not NULL" along copies, PHIs and
 * increments); a use on a path where the value is not known to be
 * non-NULL is reported.  Only results obtained in this function count: a
 * pointer read back from memory (vmf->pte) or from a parameter is the
 * caller's business.  Trees without the NULL-returning functions (6.1's
 * macros) have no such call, so the rule is decided by the code compiled.
 */
#include "checker.h"

/* its rule ids come from the rules' "nullable ... rule=" */
static const struct rule_bind rules[] = {
	{ "pte-map-null", NULL }, { "vma-lock", NULL }, { NULL, NULL }
};

#define MAXREP 16

static gcall *reported[MAXREP];	/* results reported in this function */
static int nreported;

/* each walk of a function (a second, merged one too) reports afresh */
static void nullres_begin_function(tree decl)
{
	nreported = 0;
}

static int known_nonnull(const struct mstate *s, const tree *chain, int n)
{
	for (int i = 0; i < n; i++) {
		int k = canon_val(chain[i]);

		if (st_fact(s, zero_key(k)) == 0 || prov_val(chain[i]).nonnull ||
		    locked_through(s, k))
			return 1;
	}
	return 0;
}

static void use(struct mstate *s, tree val, location_t at, const char *how)
{
	tree chain[NULLABLE_CHAIN];
	int n = 0;
	gcall *call = nullable_origin(val, chain, &n, 0);
	const struct mm_op *op;
	char msg[256];

	if (!call || s->const_dead)
		return;
	if (mm_trace) {
		fprintf(stderr, "trace: nullable use line %d:", expand_location(at).line);
		for (int i = 0; i < n; i++)
			fprintf(stderr, " %s", key_str(canon_val(chain[i])));
		fprintf(stderr, "\n");
	}
	if (known_nonnull(s, chain, n))
		return;
	/* from here on the path goes as if it had been tested: no second
	   report of this value, no findings of locks taken iff it is not NULL */
	for (int i = 0; i < n; i++) {	/* the lock's condition follows PHIs */
		st_set_fact(s, zero_key(canon_val(chain[i])), 0, canon_val(chain[i]));
		resolve_gated(s, chain[i], 1);
	}
	if (tree lhs = gimple_call_lhs(call)) {
		st_set_fact(s, zero_key(canon_val(lhs)), 0, canon_val(lhs));
		resolve_gated(s, lhs, 1);
	}
	for (int i = 0; i < nreported; i++)
		if (reported[i] == call)
			return;		/* one report per result (each path may use it first elsewhere) */
	if (nreported < MAXREP)
		reported[nreported++] = call;
	op = rules_op(gimple_call_fndecl(call), MM_NULLABLE);
	snprintf(msg, sizeof(msg), "%s the result of %s(), which is NULL when it fails, "
		 "without testing it", how, fn_name(gimple_call_fndecl(call)));
	report(op->rule, at, msg);
	report_note(gimple_location(call), "the pointer was obtained here");
}

static void nullres_stmt(gimple *g, struct mstate *s)
{
	location_t loc = gimple_location(g);
	tree base;

	if (gimple_assign_single_p(g) && !gimple_clobber_p(g)) {
		if ((base = deref_base(gimple_assign_rhs1(g))))
			use(s, base, loc, "reads through");
		if ((base = deref_base(gimple_assign_lhs(g))))
			use(s, base, loc, "writes through");
		return;
	}
	if (gcall *call = dyn_cast<gcall *>(g)) {
		if (gimple_call_internal_p(call) || gimple_call_builtin_p(call, BUILT_IN_EXPECT))
			return;
		for (unsigned i = 0; i < gimple_call_num_args(call); i++) {
			tree a = gimple_call_arg(call, i);

			if ((base = deref_base(a)))
				use(s, base, loc, "reads through");
			else if (TREE_CODE(a) == SSA_NAME && POINTER_TYPE_P(TREE_TYPE(a)))
				use(s, a, loc, "passes on");
		}
	}
}

CHECKER(nullres_checker) = {
	.name = "nullres",
	.rules = rules,
	.begin_function = nullres_begin_function,
	.stmt = nullres_stmt,
};
