/*
 * rmap-lock-retract, the 6.6+ collapse_pte_mapped_thp(): under mmap_lock
 * for read, every pte of the table is checked and cleared under the pte
 * lock, and the table is retracted under the pmd lock with the pte lock
 * nested.  Racing rmap walkers rely on pte_offset_map_lock() and
 * pmd_lock() (1043173eb5eb): no anon_vma or i_mmap lock.  Also the
 * silent case of lock-order's conditional pte lock ("if (!pml)
 * spin_lock(ptl)", the condition tested again before pmd_lock()).
 */
#include "../include/kernel612.h"
struct page *folio_page(struct folio *folio, int n);
void pte_free_defer(struct mm_struct *mm, pgtable_t pgtable);
static int collapse_pte_mapped_66(struct mm_struct *mm, struct vm_area_struct *vma,
				  unsigned long haddr, pmd_t *pmd, struct folio *folio)
{
	spinlock_t *pml = NULL, *ptl;
	pte_t *start_pte, *pte;
	pmd_t pgt_pmd;
	unsigned long addr;
	int i;

	mmap_assert_locked(mm);
	if (!vma || !vma->vm_file)
		return SCAN_VMA_CHECK;
	if (userfaultfd_armed(vma) && !(vma->vm_flags & VM_SHARED))
		pml = pmd_lock(mm, pmd);
	start_pte = pte_offset_map_nolock(mm, pmd, haddr, &ptl);
	if (!start_pte)
		goto abort;
	if (!pml)
		spin_lock(ptl);
	else if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	for (i = 0, addr = haddr, pte = start_pte;
	     i < HPAGE_PMD_NR; i++, addr += PAGE_SIZE, pte++) {
		pte_t ptent = ptep_get(pte);

		if (pte_none(ptent))
			continue;
		if (folio_page(folio, i) != vm_normal_page(vma, addr, ptent))
			goto abort;
		ptep_clear(mm, addr, pte);
	}
	pte_unmap(start_pte);
	if (!pml)
		spin_unlock(ptl);
	if (!pml) {
		pml = pmd_lock(mm, pmd);
		if (ptl != pml)
			spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	}
	pgt_pmd = pmdp_collapse_flush(vma, haddr, pmd);
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
	pte_free_defer(mm, pmd_pgtable(pgt_pmd));
	return SCAN_SUCCEED;
abort:
	if (pml)
		spin_unlock(pml);
	return SCAN_FAIL;
}

/* the nested locks without the ptes emptied under them: still reported */
static void retract_nested_only(struct mm_struct *mm, struct vm_area_struct *vma,
				unsigned long haddr, pmd_t *pmd)
{
	spinlock_t *pml, *ptl;
	pmd_t pgt_pmd;

	if (!vma->vm_file)
		return;
	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	pgt_pmd = pmdp_collapse_flush(vma, haddr, pmd); /* mmlock-warn[cocci]: rmap-lock-retract "page table of a file vma retracted without the i_mmap lock" -- Coccinelle asks, as 1043173eb5eb does, that the ptes were cleared under the pte lock before a retraction without the rmap locks; the plugin accepts the pmd and nested pte locks and does not ask for it */
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
	pte_free_defer(mm, pmd_pgtable(pgt_pmd));
}
