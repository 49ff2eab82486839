/*
 * "distinct pte pmd if=CONFIG_SPLIT_PTE_PTLOCKS" (rules/mm.rules): a test
 * "pml != ptl" is decided by the configuration of the unit compiled.  The
 * shape of 6.12 collapse_pte_mapped_thp's abort path: ptl is the lock of an
 * earlier step, pml taken since; without split pte locks both are mm->page_table_lock and the path where they are equal returns holding it.
 */
/* no CONFIG_SPLIT_PTE_PTLOCKS: one lock, mm->page_table_lock, for both */
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
} /* mmlock-warn[plugin]: lock-balance "returns with the pmd lock held on this path, released on another" -- decided by the configuration (no CONFIG_SPLIT_PTE_PTLOCKS: the two locks are one), which Coccinelle, reading unconfigured source, cannot know */
