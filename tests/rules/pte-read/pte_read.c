/*
 * pte-read in the plugin: ->hugetlb_entry page-walk callbacks read their
 * entry under huge_pte_lock() (RULES.md "New rules"; the fixes 1623717b057f
 * mincore_hugetlb, 9109bd52559b hwpoison_hugetlb_range, 45d19b4b6c2d
 * smaps_hugetlb_range).  6.12 shapes.
 */
#include "../include/kernel612.h"

struct hstate;
struct mm_walk {
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	void *private;
};
struct mm_walk_ops {
	int (*pmd_entry)(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*hugetlb_entry)(pte_t *pte, unsigned long hmask, unsigned long addr,
			     unsigned long next, struct mm_walk *walk);
};
pte_t huge_ptep_get(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
spinlock_t *huge_pte_lock(struct hstate *h, struct mm_struct *mm, pte_t *pte);
struct hstate *hstate_vma(struct vm_area_struct *vma);
int pte_none(pte_t pte);
void account(void *priv, pte_t pte);
int walk_page_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		    const struct mm_walk_ops *ops, void *private);

/* mincore_hugetlb before 1623717b057f: the entry read with no lock */
static int bad_hugetlb_entry(pte_t *pte, unsigned long hmask, unsigned long addr,
			     unsigned long end, struct mm_walk *walk)
{
	pte_t ptep = huge_ptep_get(walk->mm, addr, pte); /* mmlock-warn: pte-read "(huge_ptep_get\(\) reads a pte entry without holding its pte lock|hugetlb entry 'pte' read without huge_pte_lock\(\) in bad_hugetlb_entry\(\))" */

	account(walk->private, ptep);
	return 0;
}

/* ... and after it */
static int good_hugetlb_entry(pte_t *pte, unsigned long hmask, unsigned long addr,
			      unsigned long end, struct mm_walk *walk)
{
	struct hstate *h = hstate_vma(walk->vma);
	spinlock_t *ptl = huge_pte_lock(h, walk->mm, pte);
	pte_t ptep = huge_ptep_get(walk->mm, addr, pte);

	account(walk->private, ptep);
	spin_unlock(ptl);
	return 0;
}

/* the lock dropped before a second read */
static int late_hugetlb_entry(pte_t *pte, unsigned long hmask, unsigned long addr,
			      unsigned long end, struct mm_walk *walk)
{
	spinlock_t *ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, pte);
	pte_t ptep = huge_ptep_get(walk->mm, addr, pte);

	spin_unlock(ptl); /* mmlock-note[plugin]: "and released here" */
	if (pte_none(ptep))
		return 0;
	account(walk->private, huge_ptep_get(walk->mm, addr, pte)); /* mmlock-warn[plugin]: pte-read "huge_ptep_get\(\) reads a pte entry without holding its pte lock" -- Coccinelle follows a lock taken in a statement, not in the declaration's initializer (spinlock_t *ptl = huge_pte_lock(...)), so it does not see it released */
	return 0;
}

static const struct mm_walk_ops bad_ops = { .hugetlb_entry = bad_hugetlb_entry };
static const struct mm_walk_ops good_ops = { .hugetlb_entry = good_hugetlb_entry };
static const struct mm_walk_ops late_ops = { .hugetlb_entry = late_hugetlb_entry };

int walk_all(struct mm_struct *mm, unsigned long start, unsigned long end) /* mmlock-unanalysed: it only starts the walks: no lock or operation the rules name */
{
	return walk_page_range(mm, start, end, &bad_ops, 0) +
	       walk_page_range(mm, start, end, &good_ops, 0) +
	       walk_page_range(mm, start, end, &late_ops, 0);
}

/* not a callback: hugetlb's fault path peeks without the lock and
   re-checks the entry under it (pte_same) before acting on it */
int fault_peek(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	return pte_none(huge_ptep_get(mm, addr, ptep));
}
