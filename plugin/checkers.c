/*
 * The checker table, the rule ids bound once, and the events the engine
 * sends to every checker (checker.h).  A new checker is one file and one
 * line below.
 *
 * The order is the order hooks run in.  At a branch, the engine's own
 * part (lease.c: what the branch says of a call that may have dropped a
 * lock) comes before the checkers' hooks; at a statement, after them (its
 * uses of the old values are judged before the call may drop what they
 * depend on); at a release, the release hooks run before its leases
 * expire.
 */
#include "checker.h"

/* One line per checker, in the order its hooks run */
#define CHECKERS(X) \
	X(stale_checker)	/* stale.c: stale-vma, weak-revalidate, stale-pgtable, mmap-lock-held */ \
	X(nullres_checker)	/* nullres.c: pte-map-null, vma-lock */ \
	X(recheck_lock_checker)	/* recheck_lock.c: recheck-under-lock */ \
	X(vma_write_checker)	/* vma_write.c: vma-write */ \
	X(unmap_checker)	/* unmap.c: stale-pgtable (after pte_unmap) */ \
	X(recheck_checker)	/* recheck.c: recheck-after-relock */ \
	X(retract_checker)	/* retract.c: rmap-lock-retract */ \
	X(pte_read_checker)	/* pte_read.c: pte-read */ \
	X(locks_checker)	/* checks.c: pte-lock, pmd-lock, lock-order, lock-balance */

#define DECLARE(c) extern const struct checker c;
#define ENTRY(c) &c,
CHECKERS(DECLARE)
static const struct checker *const checkers[] = { CHECKERS(ENTRY) };
#define NCHK (int)(sizeof(checkers) / sizeof(checkers[0]))

static signed char owner[MM_MAX_RULES];	/* the checker reporting each rule */

int checkers_bind(char *err, size_t n)
{
	memset(owner, -1, sizeof(owner));
	for (int c = 0; c < NCHK; c++)
		for (const struct rule_bind *b = checkers[c]->rules; b && b->id; b++) {
			int r = mm_rules_rule(&mm_rules_set, b->id);

			if (r < 0 || r >= MM_MAX_RULES) {
				snprintf(err, n, "%s: no rule '%s' (the %s checker reports under it)",
					 mm_rules_set.path, b->id, checkers[c]->name);
				return -1;
			}
			if (b->index)
				*b->index = r;
			if (owner[r] < 0)	/* two checkers may share one: the first gets needs */
				owner[r] = (signed char)c;
		}
	return 0;
}

#define EACH(hook, ...) \
	for (int k_ = 0; k_ < NCHK; k_++) \
		if (checkers[k_]->hook) \
			checkers[k_]->hook(__VA_ARGS__)

/* does any checker's HOOK say so? */
#define ANY(hook, ...) \
	for (int k_ = 0; k_ < NCHK; k_++) \
		if (checkers[k_]->hook && checkers[k_]->hook(__VA_ARGS__)) \
			return 1; \
	return 0

int chk_relevant(gimple *g) { ANY(relevant, g); }

void chk_begin_function(tree decl) { EACH(begin_function, decl); }
void chk_end_function(void) { EACH(end_function); }
void chk_stmt(gimple *g, struct mstate *s) { EACH(stmt, g, s); }
void chk_results(gcall *call, struct mstate *s) { EACH(results, call, s); }
void chk_acquire(gcall *call, struct mstate *s, const struct held *h, const char *via)
{
	EACH(acquire, call, s, h, via);
}
void chk_release(gcall *call, struct mstate *s, const struct held *h, int held, int rel)
{
	EACH(release, call, s, h, held, rel);
}
void chk_assumed(gcall *call, struct mstate *s, const struct held *h) { EACH(assumed, call, s, h); }
void chk_expire(struct mstate *s, lease_t guards, lease_t spare) { EACH(expire, s, guards, spare); }
void chk_op(gcall *call, struct mstate *s, const struct mm_op *op) { EACH(op, call, s, op); }
void chk_summary(gcall *call, struct mstate *s, const struct summary *callee)
{
	EACH(summary, call, s, callee);
}
void chk_cond_edge(edge e, gcond *c, int taken_true, struct mstate *s)
{
	EACH(cond_edge, e, c, taken_true, s);
}
void chk_switch_edge(edge e, gswitch *sw, struct mstate *s) { EACH(switch_edge, e, sw, s); }
void chk_phis(edge e, struct mstate *s) { EACH(phis, e, s); }
void chk_ret(struct mstate *s, const struct ret_event *r) { EACH(ret, s, r); }
void chk_join(struct mstate *into, const struct mstate *from) { EACH(join, into, from); }

int chk_apart(const struct mstate *a, const struct mstate *b) { ANY(apart, a, b); }

/* A precondition goes to the checker of its rule: only it knows the rule */
void chk_need(gcall *call, struct mstate *s, const struct need *n)
{
	int r = n->p->rule;

	if (r >= 0 && r < MM_MAX_RULES && owner[r] >= 0 && checkers[owner[r]]->need)
		checkers[owner[r]]->need(call, s, n);
}

/* Rules that apply only where the unit calls a function tied to another
   rule ("if-calls=pte-map-null": the 6.5+ page tables, which can be
   retracted without mmap_lock, so that a holder of mmap_lock for write
   must re-check what it tested): off in the other units. */
void rules_scan_unit(void)
{
	struct cgraph_node *node;

	for (int r = 0; r < mm_rules_set.nrules && r < MM_MAX_RULES; r++) {
		int need = mm_rules_set.rules[r].if_calls, found = 0;

		if (need < 0 || !rule_on(r))
			continue;
		FOR_EACH_FUNCTION_WITH_GIMPLE_BODY(node) {
			struct function *fn = DECL_STRUCT_FUNCTION(node->decl);
			basic_block bb;

			if (!fn || !fn->cfg || found)
				continue;
			FOR_EACH_BB_FN(bb, fn)
				for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi) && !found;
				     gsi_next(&gsi)) {
					gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
					tree f = call ? gimple_call_fndecl(call) : NULL_TREE;

					for (const struct mm_op *op = f ? fn_ops(f) : NULL; op && !found;
					     op = fn_ops_next(f, op))
						found = op->rule == need;
				}
		}
		if (!found)
			enabled_rules &= ~(1u << r);
	}
}
