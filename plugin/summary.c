/*
 * Per-function summaries for the functions of one translation unit:
 * preconditions (entries of caller-handed tables changed without taking
 * their lock), locks taken, locks released that the caller took, locks
 * returned held.  Functions are analysed callees first so that each call
 * site sees its callee's summary.
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
