/*
 * The checker interface: what a checker is to the engine.
 *
 * A checker is one file (stale.c, nullres.c, vma_write.c, ...) ending in
 * one `const struct checker`, named on one line of CHECKERS in checkers.c.  It names the
 * rule ids it reports under (bound to indexes when the rules load: a
 * missing id is an error before anything is compiled) and the events it
 * handles.  The engine walks the paths of a function, owns the lock set,
 * the facts, when what was learned expires (leases: mmlock.h, lease.c),
 * merging and the work budget, and calls every checker's hook for each
 * event, in the table's order.  Any hook may be NULL.
 *
 * Events, in the order a statement sees them:
 *   stmt         every statement, before the engine applies its effect
 *   results      a call's results (its value, what it stored through its
 *                arguments), before the call's effect on the lock set;
 *                if the call may drop a guard by itself (rules "drop", a
 *                ->fault-like field, a callee's summary), after the engine
 *                started waiting on it: a value learned now has L_AFTER.
 *                (A rules "release ... when=" starts the wait only with
 *                the lock effect: its results count as learned before.)
 *   acquire      a lock about to be taken (by a call, or by a callee's
 *                summary: VIA names the callee)
 *   release      a lock about to be released: HELD is its index in the
 *                lock set, or -1; REL the index of its earlier release on
 *                this path (s->r), or -1
 *   assumed      an assert of a lock not held here: the callers hold it
 *   expire       GUARDS went on this path (lease.c): take them out of
 *                every lease the checker keeps, but those holding one of
 *                SPARE (lease_less); at a call or a branch, and whenever
 *                a lock is released
 *   op           a call the rules model (each op of the function in turn)
 *   need         a callee's precondition at a call: sent to the checker
 *                that reports its rule only
 *   summary      a call of a function analysed before (its summary)
 *   cond_edge    a branch taken (after the engine learned its facts)
 *   switch_edge  a switch case taken
 *   phis         the PHIs at the head of an edge (after the engine's)
 *   ret          a return of the function
 *   join         two paths merged into INTO (the checker's own fields)
 *   apart        two paths holding the same locks the checker wants kept
 *                apart when a block has more paths than the engine keeps
 * and, per function, begin_function / end_function (only after the
 * function was analysed to the end).  Before any of it, relevant says
 * whether a statement that calls nothing the rules name makes the
 * function worth analysing (the others are skipped).
 */
#ifndef MMLOCK_CHECKER_H
#define MMLOCK_CHECKER_H

#include "mmlock.h"

struct rule_bind {
	const char *id;		/* a rule id (rules/required.c lists them all) */
	int *index;		/* where its index goes (NULL: the rules' ops name it) */
};

/* A callee's precondition as this call meets it */
struct need {
	const struct precond *p;	/* the callee's, in its keys */
	int key;		/* p->key in this function's keys, or 0 */
	int cond_subj;		/* p->cond_subj in this function's keys, or 0 */
	const char *callee;
};

/* A return, as the engine sees it */
struct ret_event {
	tree rv;		/* the returned value, or NULL */
	tree arg;		/* the return block's PHI argument on this path, or NULL */
	location_t at;		/* where the returned value was set */
};

struct checker {
	const char *name;
	const struct rule_bind *rules;	/* ended by { NULL, NULL } */
	int (*relevant)(gimple *g);
	void (*begin_function)(tree decl);
	void (*stmt)(gimple *g, struct mstate *s);
	void (*results)(gcall *call, struct mstate *s);
	void (*acquire)(gcall *call, struct mstate *s, const struct held *h, const char *via);
	void (*release)(gcall *call, struct mstate *s, const struct held *h, int held, int rel);
	void (*assumed)(gcall *call, struct mstate *s, const struct held *h);
	void (*expire)(struct mstate *s, lease_t guards, lease_t spare);
	void (*op)(gcall *call, struct mstate *s, const struct mm_op *op);
	void (*need)(gcall *call, struct mstate *s, const struct need *n);
	void (*summary)(gcall *call, struct mstate *s, const struct summary *callee);
	void (*cond_edge)(edge e, gcond *c, int taken_true, struct mstate *s);
	void (*switch_edge)(edge e, gswitch *sw, struct mstate *s);
	void (*phis)(edge e, struct mstate *s);
	void (*ret)(struct mstate *s, const struct ret_event *r);
	void (*end_function)(void);
	void (*join)(struct mstate *into, const struct mstate *from);
	int (*apart)(const struct mstate *a, const struct mstate *b);
};

/* a checker's definition: "CHECKER(name_checker) = { ... };" (external:
   checkers.c lists it) */
#define CHECKER(name) extern const struct checker name; const struct checker name

/* summary.c: a need left to the callers, as a precondition (FROM: the
   callee's need this one passes on, or NULL) */
void pass_need_on(const struct mstate *s, struct precond *p, const struct need *from);

/* checkers.c: the table, the names bound once, the events sent to all */
int checkers_bind(char *err, size_t n);	/* after the rules load; 0 or ERR */
void rules_scan_unit(void);	/* rules "if-calls=": on or off for this unit */
int chk_relevant(gimple *g);
void chk_begin_function(tree decl);
void chk_end_function(void);
void chk_stmt(gimple *g, struct mstate *s);
void chk_results(gcall *call, struct mstate *s);
void chk_acquire(gcall *call, struct mstate *s, const struct held *h, const char *via);
void chk_release(gcall *call, struct mstate *s, const struct held *h, int held, int rel);
void chk_assumed(gcall *call, struct mstate *s, const struct held *h);
void chk_expire(struct mstate *s, lease_t guards, lease_t spare);
void chk_op(gcall *call, struct mstate *s, const struct mm_op *op);
void chk_need(gcall *call, struct mstate *s, const struct need *n);
void chk_summary(gcall *call, struct mstate *s, const struct summary *callee);
void chk_cond_edge(edge e, gcond *c, int taken_true, struct mstate *s);
void chk_switch_edge(edge e, gswitch *sw, struct mstate *s);
void chk_phis(edge e, struct mstate *s);
void chk_ret(struct mstate *s, const struct ret_event *r);
void chk_join(struct mstate *into, const struct mstate *from);
int chk_apart(const struct mstate *a, const struct mstate *b);

#endif
