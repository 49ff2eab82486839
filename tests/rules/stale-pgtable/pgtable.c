/*
 * stale-pgtable: a pmd found before mmap_lock was dropped must be checked
 * again (6.1 collapse_huge_page(): "check if the pmd is still valid"), and
 * a pte pointer is dead once its table is unmapped.
 */
#include "../include/kernel.h"
int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, bool expect_anon,
			    struct vm_area_struct **vmap, struct collapse_control *cc);
int check_pmd_still_valid(struct mm_struct *mm, unsigned long address, pmd_t *pmd);
static int pmd_rechecked(struct mm_struct *mm, unsigned long address,
			 struct collapse_control *cc)
{
	struct vm_area_struct *vma;
	pmd_t *pmd;
	pte_t *pte;
	int result;

	result = find_pmd_or_thp_or_none(mm, address, &pmd);
	if (result != SCAN_SUCCEED)
		return result;
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	result = hugepage_vma_revalidate(mm, address, true, &vma, cc);
	if (result != SCAN_SUCCEED)
		goto out;
	result = check_pmd_still_valid(mm, address, pmd);
	if (result != SCAN_SUCCEED)
		goto out;
	pte = pte_offset_map(pmd, address);
	pte_unmap(pte);
out:
	mmap_write_unlock(mm);
	return result;
}

static int pmd_not_rechecked(struct mm_struct *mm, unsigned long address,
			     struct collapse_control *cc)
{
	struct vm_area_struct *vma;
	spinlock_t *ptl;
	pmd_t *pmd;
	int result;

	result = find_pmd_or_thp_or_none(mm, address, &pmd); /* mmlock-note[plugin]: "the pmd pointer was found here" */
	if (result != SCAN_SUCCEED)
		return result;
	mmap_read_unlock(mm); /* mmlock-note: "mmap_lock (was )?dropped here" */
	mmap_write_lock(mm);
	result = hugepage_vma_revalidate(mm, address, true, &vma, cc);
	if (result != SCAN_SUCCEED)
		goto out;
	ptl = pmd_lock(mm, pmd); /* mmlock-warn: stale-pgtable "pmd pointer.* mmap_lock was dropped" */
	spin_unlock(ptl);
out:
	mmap_write_unlock(mm);
	return result;
}

static int pte_after_unmap(struct mm_struct *mm, pmd_t *pmd,
			   unsigned long addr, unsigned long end)
{
	spinlock_t *ptl;
	pte_t *pte;
	int young = 0;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	for (; addr != end; pte++, addr += PAGE_SIZE)
		young += pte_young(*pte);
	pte_unmap_unlock(pte - 1, ptl); /* mmlock-note[cocci]: "page table unmapped here" */
	if (pte_dirty(*pte)) /* mmlock-warn[cocci]: stale-pgtable "pte pointer 'pte' used after its table was unmapped" -- the plugin sees pte_unmap() unmap a table only when it is a function (6.5+), kernel.h spells it a macro */
		young++;
	return young;
}

static int pte_remapped(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int again = 1;

retry:
	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (pte_none(*pte)) {
		pte_unmap_unlock(pte, ptl);
		if (again--)
			goto retry;
		return 0;
	}
	pte_unmap_unlock(pte, ptl);
	return 1;
}
