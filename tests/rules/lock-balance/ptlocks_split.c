/*
 * "distinct pte pmd if=CONFIG_SPLIT_PTE_PTLOCKS" (rules/mm.rules): a test
 * "pml != ptl" is decided by the configuration of the unit compiled.  The
 * shape of 6.12 collapse_pte_mapped_thp's abort path: ptl is the lock of an
 * earlier step, pml taken since; with split pte locks (this config) the pte lock of step 1 is never the pmd lock: the unlock always runs, nothing is reported.
 */
#define CONFIG_SPLIT_PTE_PTLOCKS 1	/* as kbuild's autoconf.h says on x86-64 */
#include "../include/kernel612.h"

void stale_ptl_compare(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);

	if (!pte)
		return;
	spin_lock(ptl);
	pte_unmap_unlock(pte, ptl);
	pml = pmd_lock(mm, pmd);
	if (pml != ptl)
		spin_unlock(pml);
}
