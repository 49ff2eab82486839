/*
 * recheck-after-relock: as recheck_after_unlock.c, the pte lock released
 * by a helper the plugin has analysed (its summary releases the pte
 * lock of the table it was handed), and the pte tested only after that.
 */
#include "../include/kernel.h"

static void let_go(struct mm_struct *mm, pmd_t *pmd)
{
	spin_unlock(pte_lockptr(mm, pmd));
}

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pmd_t *pmd,
					unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
	pte_t pteval = *pte; /* mmlock-warn[plugin]: recheck-after-relock "tested with pte_uffd_wp\(\) only after a lock it was read under was released" -- Coccinelle's recheck-after-relock matches the two documented instances by their shape, not the general rule (cocci/README) */

	let_go(vma->vm_mm, pmd);
	if (pte_none(pteval))
		return SCAN_FAIL; /* mmlock-warn[cocci]: lock-balance "return with page-table lock 'ptl' still held" -- Coccinelle does not follow the release let_go() makes (a callee's effect on the caller's locks is unknown to it) */
	if (pte_uffd_wp(pteval))
		return SCAN_PTE_UFFD_WP; /* mmlock-warn[cocci]: lock-balance "return with page-table lock 'ptl' still held" -- Coccinelle does not follow the release let_go() makes (a callee's effect on the caller's locks is unknown to it) */
	return SCAN_SUCCEED; /* mmlock-warn[cocci]: lock-balance "return with page-table lock 'ptl' still held" -- Coccinelle does not follow the release let_go() makes (a callee's effect on the caller's locks is unknown to it) */
} /* mmlock-note[plugin]: "the function reports success here" -- at -O0 GCC gives the return its closing brace */

int isolate_helper(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	return __collapse_huge_page_isolate(vma, pmd, addr);
}
