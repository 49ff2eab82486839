/*
 * mmlock plugin internals shared between its files, in layers: a file
 * calls files of the layers listed before its own, and report.c (which
 * all use); the walk (engine.c, transfer.c, lease.c) also calls the checkers,
 * through checkers.c, and the checkers use the path state and summaries
 * (state.c, summary.c), never the walk.  No two files call each other,
 * directly or round a circle (README "How the plugin works").
 *
 * Below everything (no path state):
 *   intern.c    interned key strings
 *   values.c    bool_base, const_value, deref_base, zero_key
 *   rulesdata.c the rules as the plugin asks them: a function's ops (the
 *               variant that fits its signature), call_arg, the flags a call
 *               passes, rule_on, role_class, class names and order
 *   ssawalk.c   the bounded recursion over SSA values keys.c and prov.c share
 *   keys.c      canonical value keys ("P0->pmd", "&L12", "S45")
 *   prov.c      provenance: lock pointers, table pointers, nullable results,
 *               the lock an op names at a call (lock_desc)
 *   config.c    what the rules depend on in this unit's configuration
 *   callbacks.c functions a page walker calls back (rules "callback")
 * The engine:
 *   state.c     one path's state: locks held and released, facts, queries
 *               (leases: lease_now, fact_context)
 *   summary.c   per-function summaries, every write to them; pass_need_on
 *               makes preconditions
 *   lease.c     when guards go: releases and calls that may drop a lock,
 *               decided by their results; the expire event (mmlock.h: lease_t)
 *   transfer.c  a call's effect on the lock set (rules ops, summaries)
 *   engine.c    the path-sensitive walk over one function, merging, budget
 *   checkers.c  the checker table, names bound once, events to all checkers
 * The checkers (checker.h; one file each):
 *   checks.c    pte-lock, pmd-lock, lock-order, lock-balance
 *   pte_read.c  pte-read
 *   stale.c     stale-vma, weak-revalidate, stale-pgtable, mmap-lock-held
 *   retract.c   rmap-lock-retract
 *   recheck.c   recheck-after-relock
 *   nullres.c   pte-map-null, vma-lock (results NULL when the call fails)
 *   recheck_lock.c  recheck-under-lock
 *   vma_write.c vma-write
 *   unmap.c     stale-pgtable after pte_unmap()
 * Around them: mmlock_plugin.c (GCC's entry, the pass), report.c
 * (findings, printed GCC style and stored), stats.c (work per function).
 */
#ifndef MMLOCK_H
#define MMLOCK_H

#include "gcc-includes.h"
#include "../rules/rules.h"
#include "intern.h"

extern struct mm_rules mm_rules_set;
extern int mm_trace;			/* MMLOCK_TRACE=1: print states as they go */
extern int mmap_cls;			/* the class named "mmap_lock" (R2), or -1 */

/* ---- bounded recursion over SSA values (ssawalk.c) ---- */
enum { SW_NEW, SW_OPEN, SW_DONE, SW_OVER };	/* SW_OPEN, SW_DONE: also states */
struct ssa_walk {
	unsigned char *state;	/* by SSA version: 0, SW_OPEN, SW_DONE */
	int *open_depth;	/* recursion depth a version was opened at */
	unsigned n;
	int depth, lowest_hit;	/* the shallowest open PHI a cycle came back to */
};
void ssawalk_init(void);		/* once: the stack the recursion may use */
void ssawalk_begin_function(void);	/* the function's work and stack bound */
int ssawalk_over(void);			/* the bound ran out: not analysed */
long ssawalk_work(void);		/* values opened so far (stats=) */
void sw_begin(struct ssa_walk *w);
void sw_end(struct ssa_walk *w);
/* SW_DONE: memo is valid; SW_OPEN: a cycle back (noted); SW_OVER: out of
   work, the value is opaque; SW_NEW: work it out, then sw_close */
int sw_open(struct ssa_walk *w, unsigned v, int *saved);
int sw_close(struct ssa_walk *w, unsigned v, int saved);	/* 1: keep it */
int sw_back_to_open(struct ssa_walk *w, unsigned v);

/* ---- keys ---- */
#define KEY_WILD (-1)			/* an instance that covers all */
int canon_val(tree t);			/* key of a value (operand) */
int canon_ref(tree ref);		/* key of a memory location */
int undefined_value(tree t);		/* an uninitialised local */
int key_deref(int ptr);			/* "&L5" -> "L5", "P0" -> "*P0" */
int key_deref_field(int base, const char *field);
int key_param_rooted(int key);
int key_reaches(int from, int to);	/* TO is FROM or a field path below it */		/* starts at a parameter: "P<n>..." */
int key_is_local_addr(int key);		/* "&L<uid>...": a local object */
int key_is_kernel_mm(int key);		/* &init_mm and the like (rules data) */
int key_in_kernel_mm(int key);		/* a value read from one: "G:init_mm.pgd" */
int key_map_params(int key, gcall *call);	/* callee key -> caller key */
void keys_begin_function(void);
void keys_end_function(void);

/* ---- provenance ---- */
enum prov_kind { PV_NONE, PV_LOCK, PV_TABLE };
struct prov {
	enum prov_kind kind;
	int cls;
	int inst;		/* instance key, KEY_WILD or 0 */
	int param_derived;	/* derived from a parameter by walks/loads */
	int root;		/* the parameter-rooted key it derives from */
	int nonnull;		/* known not to be NULL */
	int pending;		/* internal: unresolved inside a PHI cycle */
	location_t loc;		/* where it was obtained */
};
struct prov prov_val(tree t);
/* the call of a rules "nullable" function VAL comes from, through copies,
   casts, pointer steps and PHIs; CHAIN (if given) gets the values on the
   way, VAL first, up to NULLABLE_CHAIN of them */
#define NULLABLE_CHAIN 8
gcall *nullable_origin(tree val, tree *chain, int *n, int depth);
int nullable_value(tree t);		/* a pointer from such a call */
struct prov prov_mem(int memkey);
int prov_mem_param_slot(int cls, int inst);
int prov_mem_values(int key, const int **vals);
void prov_begin_function(void);
void prov_end_function(void);
const struct mm_op *fn_ops(tree fndecl);	/* the rules' ops for a function, */
const struct mm_op *fn_ops_next(tree fndecl, const struct mm_op *op);	/* its variant */
const struct mm_op *rules_op(tree fndecl, enum mm_dir dir);
int op_flags_on(const struct mm_op *op, gcall *call);
tree call_arg(gcall *call, int n);	/* NULL_TREE past the last argument */
const char *fn_name(tree fndecl);
int type_named(tree type, const char *name);

/* ---- state ---- */
#define MAXH 8
#define MAXR 6
#define MAXF 24
#define MAXD 3
#define MAXE 3

enum {
	H_MAYBE = 1,		/* uncertain: merged or partly released by a callee */
	H_ENTRY = 2,		/* assumed held on entry (assert), not ours to release */
	H_NESTED = 4,
	H_TRY = 8,
	H_WHEN_ZERO = 16,	/* with cond: held iff cond == 0, else iff != 0 */
	H_ALIAS = 32,		/* the same lock seen as another table's (ptl == ptl2) */
	H_ACQ_GATE = 128,	/* with cond: taken by this call iff cond says so (a
				   trylock, a killable lock): not taken means not held */
	H_MASKED = 64,		/* with cond: held iff (cond & mask) == 0 (a fault
				   result that says it released the lock) */
};

struct held {
	int cls;
	int inst;
	int ptr;		/* key of the lock pointer value */
	int cond;		/* SSA version gating the lock, 0 = none */
	int condkey;		/* ... also seen as this local once stored there */
	int mode;
	int flags;
	unsigned long mask;	/* H_MASKED: the result bits that mean released */
	location_t rel_loc;	/* H_MASKED: the call that may have released it */
	location_t loc;		/* where it was taken */
};

struct rel {
	int cls, inst, ptr;
	location_t taken, loc;	/* where taken, where released */
	int failed;		/* not released: its acquisition failed on this path
				   (2: a trylock's, which says nothing of a need) */
};

/*
 * A lease: what a value learned on a path depends on, the guards it was
 * learned under and still has (lease.c).  A tested fact, a vma pointer or
 * a pmd pointer carries one; when a guard goes (a lock released, or a
 * call whose result says it released one) the engine takes it out of every
 * lease on the path (its own facts', and each checker's through the
 * "expire" event).  A value whose lease has lost the guards it needs is
 * stale.
 */
typedef unsigned int lease_t;
/* class C's bit in a mask of classes (a lease, s->touched, a summary's
   takes); no bit for no class (-1) */
static inline unsigned class_bit(int c)
{
	return c >= 0 && c < MM_MAX_CLASSES ? 1u << c : 0u;
}
#define L_CLASS(c) class_bit(c)
	/* a lock of class c, held exclusively (a spinlock, a sleeping lock
	   for write) */
#define L_OWN (1u << MM_MAX_CLASSES)	/* a lock vmas depend on (role=mm,
					   guards=vma) that this function holds */
#define L_CALLER (L_OWN << 1)	/* ... the caller's */
#define L_PARAM (L_OWN << 2)	/* what a vma parameter depends on: the
				   caller's, and no break in a lock this
				   function took blocking */
#define L_AFTER (L_OWN << 3)	/* learned after the call that may have
				   released a guard, while its result is
				   not known */
#define L_VMA_GUARDS (L_OWN | L_CALLER | L_PARAM)
/* what is left of lease L when GUARDS go, unless it holds one of SPARE */
static inline lease_t lease_less(lease_t l, lease_t guards, lease_t spare)
{
	return l & spare ? l : l & ~guards;
}

#define FACT_WEAK (1 << 30)	/* in subj: a fact learned from a PHI */
struct fact {
	int key;
	int val;
	int subj;		/* the variable the fact is about, if one */
	lease_t lease;		/* the locks (classes held exclusively) it was learned
				   under and still has */
};

#define MAXB 6
struct birth {			/* a vma or pmd pointer, and when it was learned */
	int key;
	lease_t lease;		/* L_OWN or L_CALLER (entry), while it holds */
	unsigned char validated;	/* range-checked (vma), or learned before any drop */
	unsigned char checked;		/* range-checked here, drops or not */
	unsigned char pgt;		/* a pmd pointer (stale-pgtable) */
	unsigned char locked;		/* learned with mmap_lock held */
	unsigned char entry;		/* ... the caller's: its lease is L_CALLER */
	location_t loc;
};

/* When, on this path, a guard of what was learned went, or may have
   (lease.c: the engine's) */
struct lease_state {
	lease_t gone;		/* vma guards (L_VMA_GUARDS) gone since the entry */
	lease_t unexpired;	/* classes a branch released (state.c), not yet
				   taken out of the leases (lease_flush) */
	location_t drop_loc;	/* the last such drop */
	signed char drop_cls;	/* ... its class (mmap_lock, the vma lock) */
	signed char pend_cls;	/* ... and of the pending one */
	unsigned char pend_rules;	/* the pending call is a rules "drop" (exact) */
	/* a call that may have dropped it, undecided until a branch on its
	   result (or on the flag it wrote) says */
	unsigned char pend;
	unsigned char pend_oz, pend_onz;	/* result zero / nonzero: PO_* */
	unsigned char pend_kz, pend_knz;	/* flag zero / nonzero: PO_* */
	int pend_cond;		/* SSA version of the result, 0 = none */
	int pend_alias;		/* another PHI that took it, 0 = none */
	unsigned long pend_mask;	/* result bits meaning "dropped"; 0: by value */
	int pend_key;		/* key of the flag (memory) that tells, 0 = none */
	int pend_rkey;		/* where the result was stored, 0 = none */
	unsigned char npend_vals;	/* results the callee returns as constants: */
	unsigned char pend_vob[4];	/* ... OB_* for each */
	HOST_WIDE_INT pend_vals[4];
	location_t pend_loc;
	signed char flag_param;	/* "*Pn = const" seen: n + 1 (summary) */
	unsigned char flag_val;	/* 1: stored zero, 2: nonzero */
};

/* The per-path state of the checkers that keep one (a slot each, joined
   by the checker's own join hook, checker.h) */
/* R2 (stale.c): the vmas and pmds learned on this path */
struct r2_slot {
	struct birth b[MAXB];
	unsigned char nb;
};

/* recheck-after-relock (recheck.c) */
struct rc_slot {
	int key;		/* recheck-after-relock: a pte read, not yet tested */
	unsigned char exempt;	/* ... the vma needs no test (not armed) */
	unsigned char late;	/* ... tested, but after a lock it was read under went */
	lease_t under, lease;	/* ... the locks it was read under; those left */
	location_t loc;
};

struct mstate {
	struct held h[MAXH];
	struct rel r[MAXR];
	struct fact f[MAXF];
	int det[MAXD];		/* pmd keys whose tables were detached */
	signed char det_cls[MAXD];	/* ... the class of those tables' locks */
	int entrel[MAXE];	/* released locks we did not take (param keys) */
	int entrel_cls[MAXE];
	unsigned char nh, nr, nf, nd, ne;
	unsigned short touched;	/* classes this path took or dropped (bit per class) */
	unsigned char merged;	/* paths were joined into this one (st_join) */
	unsigned char ret_known;	/* 1: retval is the value, 2: nonzero */
	HOST_WIDE_INT retval;
	location_t retloc;	/* where the value returned on this path was set */
	tree retarg;		/* the return block's PHI argument along this path */
	int cphi_ver[4];	/* PHI results this path gave a constant (ring) */
	HOST_WIDE_INT cphi_val[4];
	unsigned char cphi_next;
	unsigned char const_dead;	/* those constants say this path cannot happen */
	struct lease_state lx;	/* lease.c */
	struct r2_slot r2;	/* stale.c */
	struct rc_slot rc;	/* recheck.c */
};

void st_add_held(struct mstate *s, const struct held *h);
void st_del_held(struct mstate *s, int i);
void st_add_rel(struct mstate *s, const struct held *h, location_t at);
int st_find_rel(const struct mstate *s, int cls, int inst, int ptr);
int st_find_held(const struct mstate *s, int cls, int inst, int ptr);
int st_fact(const struct mstate *s, int key);	/* -1 unknown, 0, 1 */
void st_set_fact(struct mstate *s, int key, int val, int subj);
const struct fact *st_get_fact(const struct mstate *s, int key);
void st_kill_facts(struct mstate *s, int subj);
void st_kill_facts_naming(struct mstate *s, int name);
int st_detached(const struct mstate *s, int inst, int cls);	/* cls -1: any */
void st_add_det(struct mstate *s, int inst, int cls);
void st_add_entrel(struct mstate *s, int key, int cls);
int st_equal(const struct mstate *a, const struct mstate *b);
void st_join(struct mstate *into, const struct mstate *from);	/* the engine's fields */

/* ---- summaries ---- */
enum { PO_NODROP = 1, PO_DROP, PO_MAYBE };	/* a pending call's outcome */
#define OB_DROP 1		/* summary bits: a path that dropped it ... */
#define OB_NODROP 2		/* ... one that did not */

struct precond {
	int cls;
	int key;		/* param-rooted key of the table pointer */
	int rule;
	location_t loc;		/* the operation in the callee */
	const char *what;	/* the operation */
	int mm_key;		/* param-rooted key of the mm argument, or 0 */
	int cond_subj;		/* needed only when this param-rooted value ... */
	int cond_val;		/* ... is zero (1) / nonzero (0): "if (vma->anon_vma) assert" */
	int mode;		/* mmap-lock-held: MM_MODE_WRITE when it must be held for write */
	int alt;		/* vma-write: the field may be set under mm->page_table_lock */
};
struct retlock {
	int cls, inst, ptr, mode;
	int when;		/* enum mm_when, or -1: held on some paths, we cannot tell which */
};
struct relkey {
	int key, cls;
};
struct summary {
	tree decl;
	int analysed;
	unsigned takes;			/* classes taken (not try), transitively */
	location_t takes_loc[MM_MAX_CLASSES];
	struct precond *pre;
	int npre;
	struct relkey *rel_all;		/* param keys released on every path */
	int nrel_all;
	struct relkey *rel_some;	/* ... on some path */
	int nrel_some;
	struct retlock *ret;
	int nret;
	int may_drop;			/* may return with mmap_lock dropped */
	unsigned char ret_vma, ret_vma_unchecked;	/* returns a vma; not always range-checked */
	/* when it did (OB_* bits per returned value / flag value) */
	unsigned char ret_oz, ret_onz;	/* returned zero / nonzero */
	unsigned long ret_mask;		/* dropping paths return a fault result: these bits */
	unsigned char ret_masked, ret_unmasked;	/* paths that do / do not */
	unsigned char nret_vals, ret_vob[4];	/* constants returned: OB_* each */
	unsigned char ret_vals_partial;		/* a dropping path returns something else */
	HOST_WIDE_INT ret_vals[4];		/* (__collapse_huge_page_swapin: SCAN_SUCCEED) */
	signed char flag_param;		/* the flag parameter (int *locked): n + 1 */
	int vw_locked[4];		/* vma-write: vmas (param keys) write-locked on every path */
	unsigned char nvw_locked;
	unsigned char vw_seen;		/* ... a return was seen */
	unsigned char flag_oz, flag_onz;	/* flag left zero / nonzero */
};
struct summary *summary_get(tree decl, int create);
int summary_empty(const struct summary *s);
void summary_add_pre(struct summary *s, const struct precond *p);
void summary_add_rel(struct summary *s, int key, int cls);
void summary_drop_reported_preconds(struct summary *s);
void summary_forget_preconds(struct summary *s);
void summary_analysed(struct summary *s);	/* callers may apply it */	/* a second walk finds them again */	/* reported here: not the callers' */
void summaries_reset(void);
void summaries_reserve(int n);
/* what a function does, recorded as it is analysed: every write to a
   summary is in summary.c */
void summary_takes(const struct mstate *s, int cls, int flags, location_t loc);
void summary_returns_vma(int checked);
void summary_vw_locked(const int *keys, int n);
void summary_drop_return(const struct mstate *s, int has_retval, int dropped, int maybe,
			 int hands_result, int flag);

/* ---- per-function analysis context ---- */
struct retrec {
	location_t site;	/* the acquisition */
	int held;		/* held (1) or released (0) at this return */
	int known;
	HOST_WIDE_INT val;
	location_t at;		/* the return */
	location_t rel_at;	/* released records: where */
	int cls;
	struct held h;
	int ret_is_ptr;		/* the function returns the lock pointer */
	int path;		/* which return path (one marker each) */
	int gated;		/* held iff the returned value is nonzero (1) / zero (2) */
	int merged;		/* the path's state was joined with others' */
	int entrel[MAXE];	/* markers (held == -1): keys released on the path */
	int ne;
};

struct fnctx {
	tree decl;
	struct summary *sum;
	struct retrec *rr;
	int nrr, caprr;
	int npaths;			/* return paths seen */
	unsigned char *cond_relevant;	/* by bb index */
	unsigned fn_touch;		/* classes taken or dropped anywhere here */
	int mm_private;			/* rules "mmprivate": no one else sees the mm */
	const struct mm_op *recheck;	/* rules "recheck" for this function */
	int vma_param;			/* it takes a vma (R2: lookups re-look-up) */
};
extern struct fnctx *cur;

/* summary.c, from the return records of lock-balance (checks.c) */
void summary_released_on_every_path(void);
int summary_when_held(const struct retrec *h);	/* enum mm_when, or -1 */
void summary_returns_locked(const struct retrec *h);

/* ---- values (values.c) ---- */
tree const_value(tree t);
tree deref_base(tree ref);		/* "p->f": p */
tree bool_base(tree t, int *neg);
int zero_key(int subj);		/* fact key of "SUBJ == 0" */

/* ---- the rules as the plugin asks them (rulesdata.c) ---- */
int class_order(int cls);
const char *class_name(int cls);
int rule_index(const char *id);	/* a rule named by the user, or -1 */
extern unsigned enabled_rules;	/* bitmask by rule index */
int rule_on(int rule);		/* a bound rule, enabled in this unit */
int role_class(enum mm_classrole role);	/* the class with that role */
/* config.c */
int classes_distinct(int a, int b);
/* callbacks.c */
void callbacks_scan_unit(void);
const struct mm_callback *callback_slot(tree fn);
/* keys.c: "P1->anon_vma" or "userfaultfd_wp(P1)": a vma fact the rules name */
int is_vma_fact_key(int key);
/* prov.c */
int lock_desc(const struct mm_op *op, gcall *call, struct held *h);	/* the lock OP names */

/* ---- queries on a path's state (state.c) ---- */
/* locks held iff VAL is nonzero (or zero): decided, as a branch would */
int resolve_gated(struct mstate *s, tree val, int nonzero);
int locked_through(const struct mstate *s, int key);	/* a lock taken on/through it */
int zeroed_field(const struct mstate *s, int key);	/* a field of a zeroed local */
int kernel_table(const struct mstate *s, int key);	/* in the kernel's page tables */
void touch(struct mstate *s, int cls);
int touched_for(const struct mstate *s, int cls);
/* the CLS lock of table INST held: 1, not: 0, another table's: -1 (OTHER) */
int st_lock_held_for(const struct mstate *s, int cls, int inst, int *other);
void st_note_last_release(const struct mstate *s, int cls);	/* notes: where it went */
lease_t fact_context(const struct mstate *s);	/* the lease of a fact learned now */
lease_t lease_now(const struct mstate *s, lease_t guards);	/* ... of a value */
int st_holds_own(const struct mstate *s, int cls);	/* taken here, not asserted */
const char *st_drop_name(const struct mstate *s, int pending);	/* "mmap_lock", "vma" */

/* ---- when guards go (lease.c, called by the walk) ---- */
enum { DROP_CALLERS = 1, DROP_OWN_BLOCKING };
void lease_expire(struct mstate *s, lease_t guards, lease_t spare);
void lease_flush(struct mstate *s);
void lease_dropped(gcall *call, struct mstate *s, int cls, int how);
void lease_may_drop(gcall *call, struct mstate *s, int cls, int when_zero);
void lease_stmt(gimple *g, struct mstate *s);
void lease_cond_edge(gcond *c, int taken_true, struct mstate *s);
void lease_switch_edge(edge e, gswitch *sw, struct mstate *s);
void lease_phis(edge e, struct mstate *s);
void lease_ret(struct mstate *s, tree retval);
int lease_apart(const struct mstate *a, const struct mstate *b);

/* ---- the engine (engine.c, transfer.c) ---- */
void analyse_function(struct cgraph_node *node, int max_states);
void do_call(gcall *call, struct mstate *s);
unsigned fn_lock_classes(void);

/* ---- work per function (stats.c) ---- */
extern const char *stats_path;
extern long stats_budget;
int stats_check(char *err, size_t n);	/* stats=PATH can be appended to */
void stats_begin(void);
void stats_end(tree decl, int nbb, long steps, long peak_states, const char *mode);

/* ---- reports ---- */
void report(int rule, location_t loc, const char *msg);
void report_note(location_t loc, const char *msg);
void report_begin_function(void);
int report_has(int rule, location_t loc);
void report_end_function(int keep);
int report_flush(int as_error, const char *db);	/* prints (and stores) all, returns count */
void plugin_note(location_t loc, const char *fmt, ...);

#endif
