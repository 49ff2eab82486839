/*
 * Per-function summaries for the functions of one translation unit, and
 * every write to them: what a function needs of its callers (the
 * preconditions: pass_need_on is the one way one is made), the locks it
 * takes, releases of its caller's locks, locks returned held (and on which
 * result), vmas it returns and write-locks, when it drops mmap_lock and
 * what it then returns.  The checkers and the engine call these as they
 * walk the function; callers read the summary at their calls.  Functions
 * are analysed callees first so that each call site sees its callee's.
 */
#include "checker.h"

static struct summary *tab;
static int ntab, captab;

struct summary *summary_get(tree decl, int create)
{
	for (int i = 0; i < ntab; i++)
		if (tab[i].decl == decl)
			return &tab[i];
	if (!create)
		return NULL;
	if (ntab == captab) {
		/* summaries are referenced by index-stable pointers: never move them */
		gcc_assert(captab == 0 || !"summary table full");
	}
	memset(&tab[ntab], 0, sizeof(tab[0]));
	tab[ntab].decl = decl;
	return &tab[ntab++];
}

/* Reserve room for N summaries before analysis starts. */
void summaries_reserve(int n)
{
	tab = (struct summary *)xcalloc(n + 1, sizeof(*tab));
	captab = n + 1;
	ntab = 0;
}

int summary_empty(const struct summary *s)
{
	return !s->takes && !s->npre && !s->nrel_all && !s->nrel_some && !s->nret && !s->may_drop &&
	       !s->nvw_locked;
}

void summary_add_pre(struct summary *s, const struct precond *p)
{
	for (int i = 0; i < s->npre; i++)
		if (s->pre[i].cls == p->cls && s->pre[i].key == p->key && s->pre[i].rule == p->rule) {
			/* needed under two conditions (or none): under any */
			if (s->pre[i].cond_subj != p->cond_subj || s->pre[i].cond_val != p->cond_val)
				s->pre[i].cond_subj = 0;
			if (p->mode > s->pre[i].mode) {	/* for write, then: say where */
				s->pre[i].mode = p->mode;
				s->pre[i].what = p->what;
				s->pre[i].loc = p->loc;
			}
			return;
		}
	if (s->npre >= 16)
		return;
	s->pre = (struct precond *)xrealloc(s->pre, (s->npre + 1) * sizeof(*p));
	s->pre[s->npre++] = *p;
}

/* Classes this function takes (blocking), for its callers' order checks. */
void summary_takes(const struct mstate *s, int cls, int flags, location_t loc)
{
	if (cls < 0 || cls >= MM_MAX_CLASSES || (flags & H_TRY) || (cur->sum->takes & (1u << cls)))
		return;
	if (s->ne)	/* it dropped a lock of its caller's first (hugetlb_wp) */
		return;
	cur->sum->takes |= 1u << cls;
	cur->sum->takes_loc[cls] = loc;
}

/* The function returns a vma: range-checked (CHECKED) on every path? */
void summary_returns_vma(int checked)
{
	cur->sum->ret_vma = 1;
	if (!checked)
		cur->sum->ret_vma_unchecked = 1;
}

static int memchr_int(const int *a, int n, int v)
{
	for (int i = 0; i < n; i++)
		if (a[i] == v)
			return 1;
	return 0;
}

/* vma-write: the vmas its caller handed it (KEYS, "P0", "P0->vma")
   write-locked on this return path; the summary keeps those locked on
   every path (at most four). */
void summary_vw_locked(const int *keys, int n)
{
	struct summary *sm = cur->sum;
	int keep[4] = { 0 }, k = 0;

	for (int i = 0; i < n && k < 4; i++)
		if (!sm->vw_seen || memchr_int(sm->vw_locked, sm->nvw_locked, keys[i]))
			keep[k++] = keys[i];
	memcpy(sm->vw_locked, keep, sizeof(keep));
	sm->nvw_locked = k;
	sm->vw_seen = 1;
}

/*
 * The one way a precondition is made: a need this function cannot meet
 * and leaves to its callers (P, in this function's parameter keys).  It
 * holds only under the conditions it was met under: a test of what the
 * caller passed ("if (vma->anon_vma) lockdep_assert_held_write()", "if
 * (cpa->pgd) populate_pgd(cpa)"), or the condition of the callee's need
 * FROM that this call passed on.
 */
void pass_need_on(const struct mstate *s, struct precond *p, const struct need *from)
{
	if (from && from->cond_subj && key_param_rooted(from->cond_subj)) {
		p->cond_subj = from->cond_subj;
		p->cond_val = from->p->cond_val;
	}
	for (int i = 0; i < s->nf && !p->cond_subj; i++) {
		int subj = s->f[i].subj & ~FACT_WEAK;

		if (subj && key_param_rooted(subj) && s->f[i].key == zero_key(subj)) {
			p->cond_subj = subj;
			p->cond_val = s->f[i].val;
		}
	}
	summary_add_pre(cur->sum, p);
}

/* An operation reported here is not also its callers' problem. */
void summary_drop_reported_preconds(struct summary *sm)
{
	for (int i = sm->npre - 1; i >= 0; i--)
		if (report_has(sm->pre[i].rule, sm->pre[i].loc))
			sm->pre[i] = sm->pre[--sm->npre];
}

void summary_analysed(struct summary *s)
{
	s->analysed = 1;
}

void summary_forget_preconds(struct summary *s)
{
	s->npre = 0;
}

/* The function may release KEY (a lock of class CLS its caller took). */
void summary_add_rel(struct summary *s, int key, int cls)
{
	for (int j = 0; j < s->nrel_some; j++)
		if (s->rel_some[j].key == key && s->rel_some[j].cls == cls)
			return;
	s->rel_some = (struct relkey *)xrealloc(s->rel_some,
						(s->nrel_some + 1) * sizeof(struct relkey));
	s->rel_some[s->nrel_some].key = key;
	s->rel_some[s->nrel_some].cls = cls;
	s->nrel_some++;
}

void summaries_reset(void)
{
	for (int i = 0; i < ntab; i++) {
		free(tab[i].pre);
		free(tab[i].rel_all);
		free(tab[i].rel_some);
		free(tab[i].ret);
	}
	free(tab);
	tab = NULL;
	ntab = captab = 0;
}

/* ---- R2: when the function dropped the lock (lease.c) ---- */

/* The function returns the constant V on a path with outcome OB. */
static void note_ret_value(struct summary *sm, HOST_WIDE_INT v, unsigned ob)
{
	for (int i = 0; i < sm->nret_vals; i++)
		if (sm->ret_vals[i] == v) {
			sm->ret_vob[i] |= ob;
			return;
		}
	if (sm->nret_vals < 4) {
		sm->ret_vals[sm->nret_vals] = v;
		sm->ret_vob[sm->nret_vals++] = ob;
	}
}

static unsigned ob_of(int po)
{
	return po == PO_DROP ? OB_DROP : po == PO_NODROP ? OB_NODROP : OB_DROP | OB_NODROP;
}

/* A return (lease.c's lease_ret): what the function returns on a path
   that DROPPED the caller's mmap_lock, MAYBE did (a call's outcome still
   undecided) or did not, and what it leaves in its flag parameter on the
   first two.
   HANDS_RESULT: it returns the undecided call's result itself; FLAG: the
   parameter (n + 1) the undecided call wrote its flag through, or 0. */
void summary_drop_return(const struct mstate *s, int has_retval, int dropped, int maybe,
			 int hands_result, int flag)
{
	struct summary *sm = cur->sum;
	unsigned ob = dropped ? OB_DROP : maybe ? OB_DROP | OB_NODROP : OB_NODROP;

	if (dropped || maybe)
		sm->may_drop = 1;
	if (hands_result && s->lx.pend_mask) {
		sm->ret_mask |= s->lx.pend_mask;	/* handing the fault result back */
		sm->ret_masked = 1;
	} else if (dropped || maybe) {
		sm->ret_unmasked = 1;
	}
	if (hands_result && !s->lx.pend_mask) {
		sm->ret_oz |= ob_of(s->lx.pend_oz);
		sm->ret_onz |= ob_of(s->lx.pend_onz);
	} else if (has_retval) {
		if (s->ret_known == 1)
			note_ret_value(sm, s->retval, ob);
		else if (dropped || maybe)
			sm->ret_vals_partial = 1;
		if (s->ret_known != 1 || s->retval == 0)
			sm->ret_oz |= s->ret_known == 2 ? 0 : ob;
		if (s->ret_known != 1 || s->retval != 0)
			sm->ret_onz |= ob;
	}
	if (!dropped && !maybe)
		return;
	/* the flag: stored on this path, or left to a callee that wrote it */
	if (s->lx.flag_param && (!sm->flag_param || sm->flag_param == s->lx.flag_param)) {
		sm->flag_param = s->lx.flag_param;
		if (s->lx.flag_val == 1)
			sm->flag_oz |= ob;
		else
			sm->flag_onz |= ob;
	} else if (maybe && flag && (!sm->flag_param || sm->flag_param == flag)) {
		sm->flag_param = flag;
		sm->flag_oz |= ob_of(s->lx.pend_kz);
		sm->flag_onz |= ob_of(s->lx.pend_knz);
	} else {
		sm->flag_oz |= OB_DROP;	/* a drop the flag does not tell */
		sm->flag_onz |= OB_DROP;
	}
}

/* ---- locks the function releases or returns held (checks.c's returns) ---- */

static int sleeping_class(int cls)
{
	return cls >= 0 && mm_rules_set.classes[cls].sleeping;
}

/* Locks of its caller the function may release: those released on every
   return path (in the released set of every return's marker) move from
   rel_some to rel_all. */
void summary_released_on_every_path(void)
{
	struct summary *sm = cur->sum;
	int nreturns = 0;

	for (int i = 0; i < cur->nrr; i++)
		if (cur->rr[i].held == -1)
			nreturns++;
	for (int j = 0; j < sm->nrel_some; j++) {
		int k = sm->rel_some[j].key, every = nreturns > 0;

		for (int i = 0; i < cur->nrr && every; i++) {
			const struct retrec *r = &cur->rr[i];

			int seen = 0;

			if (r->held != -1)
				continue;
			for (int e = 0; e < r->ne; e++)
				seen |= r->entrel[e] == k;
			every = seen;
		}
		if (every) {
			sm->rel_all = (struct relkey *)xrealloc(sm->rel_all,
							(sm->nrel_all + 1) * sizeof(struct relkey));
			sm->rel_all[sm->nrel_all++] = sm->rel_some[j];
			sm->rel_some[j--] = sm->rel_some[--sm->nrel_some];
		}
	}
}

/* On which returned values is the lock taken at H's site held? */
int summary_when_held(const struct retrec *h)
{
	int held_nonzero = 1, held_zero = 1, other = 0, other_zero = 1, other_nonzero = 1;

	for (int m = 0; m < cur->nrr; m++) {
		const struct retrec *mk = &cur->rr[m];
		int held = 0;

		if (mk->held != -1)
			continue;
		for (int j = 0; j < cur->nrr; j++) {
			const struct retrec *r = &cur->rr[j];

			if (r->held == 2 && r->path == mk->path && r->cls == h->cls)
				held = -1;
			if (held < 0)
				break;

			/* any lock of the class: helpers may take it two ways;
			   any page-table lock: walkers return the pte, pmd or
			   pud lock, whichever level they stopped at */
			if (r->held == 1 && r->path == mk->path &&
			    (r->cls == h->cls || (!sleeping_class(r->cls) && !sleeping_class(h->cls))))
				held = 1;
		}
		if (held < 0)
			continue;	/* maybe held: neither kind of path */
		if (held) {
			held_nonzero &= !mk->known || mk->val != 0;
			held_zero &= mk->known == 1 && mk->val == 0;
		} else if (mk->merged && !mk->known) {
			continue;	/* paths joined: the value they return is lost */
		} else {
			other = 1;
			other_zero &= mk->known == 1 && mk->val == 0;
			other_nonzero &= mk->known && mk->val != 0;
		}
	}
	if (!other)
		return MM_ALWAYS;
	if (held_nonzero && other_zero)
		return MM_IF_NONZERO;
	if (held_zero && other_nonzero)
		return MM_IF_ZERO;
	return -1;
}

/* The lock of return record H is returned held (a returns-locked helper):
   its callers get it, with the condition on the returned value. */
void summary_returns_locked(const struct retrec *h)
{
	struct summary *sm = cur->sum;
	struct retlock rl;

	if (sm->nret >= 8)
		return;
	memset(&rl, 0, sizeof(rl));
	rl.cls = h->cls;
	rl.mode = h->h.mode;
	rl.inst = key_param_rooted(h->h.inst) ? h->h.inst : KEY_WILD;
	rl.ptr = h->ret_is_ptr ? -1 : key_param_rooted(h->h.ptr) ? h->h.ptr : 0;
	if (!rl.ptr)	/* stored through an out-parameter? */
		rl.ptr = prov_mem_param_slot(h->cls, h->h.inst);
	rl.when = h->gated == 1 ? MM_IF_NONZERO : h->gated == 2 ? MM_IF_ZERO : summary_when_held(h);
	sm->ret = (struct retlock *)xrealloc(sm->ret, (sm->nret + 1) * sizeof(rl));
	sm->ret[sm->nret++] = rl;
}
