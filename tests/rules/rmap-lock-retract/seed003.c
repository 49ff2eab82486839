/*
 * Seed 003: Hugh Dickins, "mm/khugepaged: fix collapse_pte_mapped_thp() to
 * allow anon_vma" (commit ab0c3f1251b4).  Step 4 of
 * collapse_pte_mapped_thp(), in four shapes: before the patch (anon_vma
 * excluded up front), after it (lock taken under "if (vma->anon_vma)"),
 * the same without the two if lines around the lock (an unconditional lock
 * on a file vma whose anon_vma may be NULL), and with neither.
 */
#include "../include/kernel.h"
int prefix(struct mm_struct *mm, unsigned long addr)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	pmd_t *pmd;

	mmap_assert_write_locked(mm);
	if (!vma || !vma->vm_file)
		return SCAN_VMA_CHECK;
	/*
	 * Symmetry with retract_page_tables(): Exclude MAP_PRIVATE mappings
	 * that got written to.  Without this, we'd have to also lock the
	 * anon_vma if one exists.
	 */
	if (vma->anon_vma)
		return SCAN_VMA_CHECK;
	if (find_pmd_or_thp_or_none(mm, haddr, &pmd) != SCAN_SUCCEED)
		return SCAN_FAIL;
	i_mmap_lock_write(vma->vm_file->f_mapping);
	/* step 4: remove pte entries */
	collapse_and_free_pmd(mm, vma, haddr, pmd);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	return SCAN_SUCCEED;
}

int fixed(struct mm_struct *mm, unsigned long addr)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	pmd_t *pmd;

	mmap_assert_write_locked(mm);
	if (!vma || !vma->vm_file)
		return SCAN_VMA_CHECK;
	if (find_pmd_or_thp_or_none(mm, haddr, &pmd) != SCAN_SUCCEED)
		return SCAN_FAIL;
	i_mmap_lock_write(vma->vm_file->f_mapping);
	/* step 4: remove pte entries */
	/* we make no change to anon, but protect concurrent anon page lookup */
	if (vma->anon_vma)
		anon_vma_lock_write(vma->anon_vma);

	collapse_and_free_pmd(mm, vma, haddr, pmd);

	if (vma->anon_vma)
		anon_vma_unlock_write(vma->anon_vma);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	return SCAN_SUCCEED;
}

int without_ifs(struct mm_struct *mm, unsigned long addr)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	pmd_t *pmd;

	mmap_assert_write_locked(mm);
	if (!vma || !vma->vm_file)
		return SCAN_VMA_CHECK;
	if (find_pmd_or_thp_or_none(mm, haddr, &pmd) != SCAN_SUCCEED)
		return SCAN_FAIL;
	i_mmap_lock_write(vma->vm_file->f_mapping);
	/* step 4: remove pte entries */
	anon_vma_lock_write(vma->anon_vma); /* mmlock-warn[cocci]: rmap-lock-retract "anon_vma lock taken unconditionally on a file vma whose anon_vma may be NULL" -- the plugin does not ask whether an anon_vma lock taken is NULL-safe */

	collapse_and_free_pmd(mm, vma, haddr, pmd);

	anon_vma_unlock_write(vma->anon_vma);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	return SCAN_SUCCEED;
}

int without_lock(struct mm_struct *mm, unsigned long addr)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	pmd_t *pmd;

	mmap_assert_write_locked(mm);
	if (!vma || !vma->vm_file)
		return SCAN_VMA_CHECK;
	if (find_pmd_or_thp_or_none(mm, haddr, &pmd) != SCAN_SUCCEED)
		return SCAN_FAIL;
	i_mmap_lock_write(vma->vm_file->f_mapping);
	/* step 4: remove pte entries */
	collapse_and_free_pmd(mm, vma, haddr, pmd); /* mmlock-warn[cocci]: rmap-lock-retract "page table retracted without the anon_vma lock while 'vma' may have an anon_vma" -- the plugin sees the retraction in collapse_and_free_pmd()'s body (mm/khugepaged.c), here only declared */
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	return SCAN_SUCCEED;
}
