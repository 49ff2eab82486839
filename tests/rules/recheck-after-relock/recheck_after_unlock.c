/*
 * recheck-after-relock: a second scan that takes the pte lock itself must
 * test each pte it reads before it lets the lock go.  Testing a value read
 * under the lock only after spin_unlock() decides on a pte that may have
 * changed in between (the same reason the first scan's test does not
 * count) (recheck_after_unlock_helper.c: released by a helper); the twin (recheck_under_lock_ok.c) tests it while the lock
 * is held.
 */
#include "../include/kernel.h"

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pmd_t *pmd,
					unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t pteval = *pte; /* mmlock-warn[plugin]: recheck-after-relock "tested with pte_uffd_wp\(\) only after a lock it was read under was released" -- Coccinelle's recheck-after-relock matches the two documented instances by their shape, not the general rule (cocci/README) */

	spin_unlock(ptl);
	if (pte_none(pteval))
		return SCAN_FAIL;
	if (pte_uffd_wp(pteval))
		return SCAN_PTE_UFFD_WP;
	return SCAN_SUCCEED;
} /* mmlock-note[plugin]: "the function reports success here" -- at -O0 GCC gives the return its closing brace */

int isolate_unlocked(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	return __collapse_huge_page_isolate(vma, pmd, addr);
}
