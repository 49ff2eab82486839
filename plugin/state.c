/*
 * The lock state of one path: locks held, locks released on the path,
 * branch facts, detached tables.  Fixed-size and kept zero-filled past the
 * used entries so that two states compare with memcmp.
 */
#include "mmlock.h"

#define DEL(arr, n, i)                                                 \
	do {                                                           \
		memmove(&(arr)[i], &(arr)[(i) + 1],                    \
			((n) - (i) - 1) * sizeof((arr)[0]));           \
		memset(&(arr)[(n) - 1], 0, sizeof((arr)[0]));         \
		(n)--;                                                 \
	} while (0)

void st_add_held(struct mstate *s, const struct held *h)
{
	if (s->nh == MAXH)
		return;		/* too deep to track: stay silent */
	s->h[s->nh++] = *h;
}

void st_del_held(struct mstate *s, int i)
{
	DEL(s->h, s->nh, i);
}

void st_add_rel(struct mstate *s, const struct held *h, location_t at)
{
	struct rel r;

	memset(&r, 0, sizeof(r));
	r.cls = h->cls;
	r.inst = h->inst;
	r.ptr = h->ptr;
	r.taken = h->loc;
	r.loc = at;
	for (int i = 0; i < s->nr; i++)
		if (s->r[i].cls == r.cls && s->r[i].inst == r.inst && s->r[i].ptr == r.ptr)
			DEL(s->r, s->nr, i);
	if (s->nr == MAXR)
		DEL(s->r, s->nr, 0);
	s->r[s->nr++] = r;
}

static int match(int cls, int inst, int ptr, int hcls, int hinst, int hptr)
{
	if (ptr && hptr && ptr == hptr)
		return 1;
	return cls == hcls && cls >= 0 && inst && inst == hinst;
}

int st_find_rel(const struct mstate *s, int cls, int inst, int ptr)
{
	for (int i = s->nr - 1; i >= 0; i--)
		if (match(cls, inst, ptr, s->r[i].cls, s->r[i].inst, s->r[i].ptr))
			return i;
	return -1;
}

int st_find_held(const struct mstate *s, int cls, int inst, int ptr)
{
	for (int i = s->nh - 1; i >= 0; i--)
		if (match(cls, inst, ptr, s->h[i].cls, s->h[i].inst, s->h[i].ptr))
			return i;
	return -1;
}

int st_fact(const struct mstate *s, int key)
{
	for (int i = 0; i < s->nf; i++)
		if (s->f[i].key == key)
			return s->f[i].val;
	return -1;
}

void st_set_fact(struct mstate *s, int key, int val, int subj)
{
	for (int i = 0; i < s->nf; i++)
		if (s->f[i].key == key) {
			if (s->f[i].val != val)
				s->f[i].lease = 0;
			s->f[i].val = val;
			s->f[i].lease |= fact_context(s);
			return;
		}
	if (s->nf == MAXF) {
		int victim = 0;

		for (int i = 0; i < s->nf; i++)	/* the oldest weak fact, else the oldest */
			if (s->f[i].subj & FACT_WEAK) {
				victim = i;
				break;
			}
		DEL(s->f, s->nf, victim);
	}
	s->f[s->nf].key = key;
	s->f[s->nf].val = val;
	s->f[s->nf].subj = subj;
	s->f[s->nf].lease = fact_context(s);
	s->nf++;
}

const struct fact *st_get_fact(const struct mstate *s, int key)
{
	for (int i = 0; i < s->nf; i++)
		if (s->f[i].key == key)
			return &s->f[i];
	return NULL;
}

void st_kill_facts(struct mstate *s, int subj)
{
	for (int i = s->nf - 1; i >= 0; i--)
		if ((s->f[i].subj & ~FACT_WEAK) == subj)
			DEL(s->f, s->nf, i);
}

/* Is TOK ("S12") a whole name inside KEY ("#0==S12->anon_vma")? */
static int key_mentions(const char *key, const char *tok, size_t n)
{
	for (const char *p = strstr(key, tok); p; p = strstr(p + 1, tok))
		if ((p == key || !(ISALNUM(p[-1]) || p[-1] == '_')) && !ISDIGIT(p[n]))
			return 1;
	return 0;
}

/* A value defined again: every fact that names it, not only those about it. */
void st_kill_facts_naming(struct mstate *s, int name)
{
	const char *tok = key_str(name);
	size_t n = strlen(tok);

	for (int i = s->nf - 1; i >= 0; i--)
		if (key_mentions(key_str(s->f[i].key), tok, n))
			DEL(s->f, s->nf, i);
}

int st_detached(const struct mstate *s, int inst, int cls)
{
	for (int i = 0; i < s->nd; i++)
		if (s->det[i] == inst && (cls < 0 || s->det_cls[i] < 0 || s->det_cls[i] == cls))
			return 1;
	return 0;
}

void st_add_det(struct mstate *s, int inst, int cls)
{
	if (!st_detached(s, inst, cls) && s->nd < MAXD) {
		s->det_cls[s->nd] = cls;
		s->det[s->nd++] = inst;
	}
}

void st_add_entrel(struct mstate *s, int key, int cls)
{
	for (int i = 0; i < s->ne; i++)
		if (s->entrel[i] == key)
			return;
	if (s->ne < MAXE) {
		s->entrel_cls[s->ne] = cls;
		s->entrel[s->ne++] = key;
	}
}

int st_equal(const struct mstate *a, const struct mstate *b)
{
	return !memcmp(a, b, sizeof(*a));
}

/*
 * Coarse merge, used when a block has more paths than the analysis keeps:
 * a lock held on only one side becomes "maybe" (satisfies requirements,
 * never reported), facts and detached tables are kept only if common.
 * The engine's part of the state; the checkers join their own slots.
 */
void st_join(struct mstate *into, const struct mstate *from)
{
	for (int i = 0; i < into->nh; i++) {
		struct held *h = &into->h[i];
		int j = st_find_held(from, h->cls, h->inst, h->ptr);

		if (j < 0 || (from->h[j].flags & H_MAYBE) || from->h[j].cond != h->cond)
			h->flags |= H_MAYBE;
	}
	for (int j = 0; j < from->nh; j++) {
		struct held h = from->h[j];

		if (st_find_held(into, h.cls, h.inst, h.ptr) < 0) {
			h.flags |= H_MAYBE;
			st_add_held(into, &h);
		}
	}
	for (int j = 0; j < from->nr; j++)
		if (st_find_rel(into, from->r[j].cls, from->r[j].inst, from->r[j].ptr) < 0 &&
		    into->nr < MAXR)
			into->r[into->nr++] = from->r[j];
	for (int i = into->nf - 1; i >= 0; i--) {
		const struct fact *o = st_get_fact(from, into->f[i].key);

		if (!o || o->val != into->f[i].val)
			DEL(into->f, into->nf, i);
		else
			into->f[i].lease &= o->lease;	/* held on both */
	}
	for (int i = into->nd - 1; i >= 0; i--)
		if (!st_detached(from, into->det[i], into->det_cls[i])) {
			memmove(&into->det_cls[i], &into->det_cls[i + 1], into->nd - i - 1);
			into->det_cls[into->nd - 1] = 0;
			DEL(into->det, into->nd, i);
		}
	for (int i = into->ne - 1; i >= 0; i--) {
		int k;

		for (k = 0; k < from->ne; k++)
			if (from->entrel[k] == into->entrel[i])
				break;
		if (k == from->ne) {
			memmove(&into->entrel_cls[i], &into->entrel_cls[i + 1],
				(into->ne - i - 1) * sizeof(int));
			into->entrel_cls[into->ne - 1] = 0;
			DEL(into->entrel, into->ne, i);
		}
	}
	into->touched |= from->touched;
	into->merged = 1;
	if (!from->ret_known || from->retval != into->retval) {
		into->ret_known = 0;
		into->retval = 0;
	}
	if (from->retloc != into->retloc)
		into->retloc = UNKNOWN_LOCATION;
	into->const_dead &= from->const_dead;
	for (int k = 0; k < 4; k++) {	/* a constant both paths gave the PHI */
		int same = 0;

		for (int j = 0; j < 4 && into->cphi_ver[k]; j++)
			same |= from->cphi_ver[j] == into->cphi_ver[k] &&
				from->cphi_val[j] == into->cphi_val[k];
		if (!same) {
			into->cphi_ver[k] = 0;
			into->cphi_val[k] = 0;
		}
	}
}

/*
 * Leases (mmlock.h, lease.c): a fact remembers the lock classes held
 * exclusively (a spinlock, or a sleeping lock for write) when it was
 * learned; releasing a lock of one of them takes it out of the lease, so a
 * fact "learned under the pte lock" is one learned and kept under it
 * (rmap-lock-retract asks).
 */
lease_t fact_context(const struct mstate *s)
{
	lease_t l = 0;

	for (int i = 0; i < s->nh; i++) {
		const struct held *h = &s->h[i];

		if (h->cond || (h->flags & H_MAYBE) || h->cls < 0)
			continue;
		if (!mm_rules_set.classes[h->cls].sleeping || h->mode == MM_MODE_WRITE)
			l |= L_CLASS(h->cls);
	}
	return l;
}

/* The lease of a value learned now under GUARDS: while a call that may
   have dropped a guard is undecided, one learned after it (L_AFTER) */
lease_t lease_now(const struct mstate *s, lease_t guards)
{
	return guards | (s->lx.pend ? L_AFTER : 0);
}

/* A lock of class CLS this function took (not one asserted held by its
   callers) */
int st_holds_own(const struct mstate *s, int cls)
{
	for (int i = 0; i < s->nh; i++)
		if (s->h[i].cls == cls && !(s->h[i].flags & H_ENTRY))
			return 1;
	return 0;
}

/* The lock the last drop on this path was of (PENDING: the undecided
   one), by name ("mmap_lock", "vma") */
const char *st_drop_name(const struct mstate *s, int pending)
{
	int c = pending ? s->lx.pend_cls : s->lx.drop_cls;

	return class_name(c >= 0 && c < mm_rules_set.nclasses ? c : mmap_cls);
}

/* ---- queries on a path's state ---- */

/* "fault & BITS" tested: a lock released iff the result has one of its
   mask bits is held when none of them is set, released when only mask
   bits were tested and one is set.  Otherwise still undecided. */
static int resolve_masked(struct mstate *s, tree t, int nonzero)
{
	gimple *def = SSA_NAME_DEF_STMT(t);
	tree x, c;
	unsigned long bits;
	int n = 0;

	if (!is_gimple_assign(def) || gimple_assign_rhs_code(def) != BIT_AND_EXPR ||
	    TREE_CODE(x = gimple_assign_rhs1(def)) != SSA_NAME ||
	    TREE_CODE(c = const_value(gimple_assign_rhs2(def))) != INTEGER_CST ||
	    !tree_fits_uhwi_p(c))
		return 0;
	bits = tree_to_uhwi(c);
	for (int i = s->nh - 1; i >= 0; i--) {
		struct held *h = &s->h[i];

		if (!(h->flags & H_MASKED) || h->cond != (int)SSA_NAME_VERSION(x))
			continue;
		n++;
		if (!nonzero && !(h->mask & ~bits)) {	/* none of its bits: held */
			h->cond = 0;
			h->flags &= ~H_MASKED;
			h->mask = 0;
		} else if (nonzero && !(bits & ~h->mask)) {	/* one of them: released */
			if (!(h->flags & (H_ENTRY | H_MAYBE)))
				st_add_rel(s, h, h->rel_loc);
			s->lx.unexpired |= L_CLASS(h->cls);
			st_del_held(s, i);
		}
	}
	return n;
}

/* Resolve locks gated on VAL: it is known to be nonzero (or zero).
   Returns how many were. */
int resolve_gated(struct mstate *s, tree val, int nonzero)
{
	int neg = 0, n = 0;
	tree base = bool_base(val, &neg);
	unsigned v;

	if (TREE_CODE(base) != SSA_NAME)
		return 0;
	n = resolve_masked(s, base, nonzero ^ neg);
	v = SSA_NAME_VERSION(base);
	nonzero ^= neg;
	for (int i = s->nh - 1; i >= 0; i--) {
		struct held *h = &s->h[i];
		int held;

		if ((h->cond != (int)v && !(h->cond && h->condkey && h->condkey == canon_val(base))) ||
		    (h->flags & H_MASKED))
			continue;
		n++;
		held = (h->flags & H_WHEN_ZERO) ? !nonzero : nonzero;
		if (held) {
			h->cond = 0;
			h->flags &= ~(H_WHEN_ZERO | H_ACQ_GATE);
		} else {
			/* an acquisition that failed: on this path the lock is
			   known not to be held by this path: a release of it is
			   wrong; a need of it is wrong too, except after a failed
			   trylock ("BUG_ON(mmap_read_trylock(mm))" asserts that the
			   lock is held, by us: failed = 2) */
			if ((h->flags & H_ACQ_GATE) && !(h->flags & (H_MAYBE | H_ENTRY)) &&
			    h->cls >= 0) {
				st_add_rel(s, h, h->loc);
				s->r[s->nr - 1].failed = h->flags & H_TRY ? 2 : 1;
			}
			if (!(h->flags & H_ACQ_GATE))	/* a release the result gated */
				s->lx.unexpired |= L_CLASS(h->cls);
			st_del_held(s, i);
		}
	}
	return n;
}

/* A fact "TAG:P" is 1 for K or for a prefix P of it ending at a field,
   index or offset ("L5", "L5.pgd"), from FROM characters on. */
static int on_prefix(const struct mstate *s, const char *tag, const char *k, size_t from)
{
	for (size_t i = from; k[i - 1]; i++)
		if ((!k[i] || k[i] == '.' || k[i] == '-' || k[i] == '+' || k[i] == '[') &&
		    st_fact(s, key_printf("%s:%.*s", tag, (int)i, k)) == 1)
			return 1;
	return 0;
}

/* KEY (a table or the field it was reached from) is in the kernel's page
   tables: read from a kernel mm, or from a local's field set from one. */
int kernel_table(const struct mstate *s, int key)
{
	const char *k = key_str(key);

	return key_in_kernel_mm(key) || on_prefix(s, "kerneltable", k, 1);
}

/* KEY ("L5.pgd") is a field of a zeroed local not written since: 1. */
int zeroed_field(const struct mstate *s, int key)
{
	const char *k = key_str(key);
	size_t n = strcspn(k, ".-[");

	if (k[0] != 'L' || !k[n] || st_fact(s, key_printf("zeroed:%.*s", (int)n, k)) != 1)
		return 0;
	return !on_prefix(s, "written", k, n);	/* the field, or one that holds it */
}

/* A lock taken through this pointer (or on this object): it is not NULL. */
int locked_through(const struct mstate *s, int key)
{
	for (int i = 0; i < s->nh; i++)
		if (!(s->h[i].flags & H_MAYBE) && !s->h[i].cond &&
		    (s->h[i].inst == key || s->h[i].ptr == key))
			return 1;
	return 0;
}

void touch(struct mstate *s, int cls)
{
	s->touched |= class_bit(cls);
}

/*
 * Did this function do lock work that makes a missing CLS lock its own
 * fault: take or drop, on this path or anywhere, a CLS lock or a lock
 * that comes before it in the order?
 */
int touched_for(const struct mstate *s, int cls)
{
	for (int c = 0; c < mm_rules_set.nclasses && c < MM_MAX_CLASSES; c++)
		if (((s->touched | cur->fn_touch) & (1u << c)) &&
		    class_order(c) <= class_order(cls))
			return 1;
	return 0;
}

/*
 * Is the lock of class CLS for table INST held?  1 yes, 0 no,
 * -1 only a lock of the same class for another table.
 */
int st_lock_held_for(const struct mstate *s, int cls, int inst, int *other)
{
	int wrong = -1;

	for (int i = 0; i < s->nh; i++) {
		const struct held *h = &s->h[i];

		if (h->cond)
			continue;
		if (h->cls == MM_CLASS_ANY)
			return 1;
		if (h->cls != cls)
			continue;
		if (!inst || h->inst == inst || h->inst == KEY_WILD ||
		    (h->flags & (H_MAYBE | H_ENTRY)))
			return 1;
		wrong = i;
	}
	*other = wrong;
	return wrong >= 0 ? -1 : 0;
}

/* Explain in notes where the lock went on this path. */
void st_note_last_release(const struct mstate *s, int cls)
{
	for (int i = s->nr - 1; i >= 0; i--)
		if (s->r[i].cls == cls) {
			report_note(s->r[i].taken, "the lock was taken here");
			report_note(s->r[i].loc, "and released here");
			return;
		}
}
