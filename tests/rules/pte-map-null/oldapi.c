/*
 * pte-map-null: before 6.5 pte_offset_map_lock() cannot fail; a file that
 * shows no sign of the 6.5 API is not reported.
 */
#include "../include/kernel.h"
static int old_kernel(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int young;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	young = pte_young(*pte);
	pte_unmap_unlock(pte, ptl);
	return young;
}
