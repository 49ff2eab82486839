/*
 * recheck-after-relock, silent: a second scan that takes the pte lock
 * itself and tests the pte it read before letting the lock go
 * (recheck_after_unlock.c is the same scan testing it after).
 */
#include "../include/kernel.h"

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pmd_t *pmd,
					unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t pteval = *pte;
	int wp = pte_uffd_wp(pteval);

	spin_unlock(ptl);
	if (wp)
		return SCAN_PTE_UFFD_WP;
	return SCAN_SUCCEED;
}

int isolate_locked(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	return __collapse_huge_page_isolate(vma, pmd, addr);
}
