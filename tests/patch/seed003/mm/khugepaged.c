/*
 * Test fixture for tests/patch/run.sh: collapse_pte_mapped_thp() of
 * mm/khugepaged.c as it stood in 6.2-rc, after 8d3c106e19e8
 * ("mm/khugepaged: take the right locks for page table retraction") and
 * before seed 003 (Hugh Dickins, "mm/khugepaged: fix
 * collapse_pte_mapped_thp() to allow anon_vma", ab0c3f1251b4): the i_mmap
 * lock is taken for write around the retraction, and a vma with an
 * anon_vma is turned away up front instead of having its anon_vma locked.
 * Reduced by hand; the lines seed 003's hunks use as context are kept.
 */
#include <linux/mm.h>
#include <linux/rmap.h>
#include "internal.h"

int collapse_pte_mapped_thp(struct mm_struct *mm, unsigned long addr,
			    bool install_pmd)
{
	unsigned long haddr = addr & HPAGE_PMD_MASK;
	struct vm_area_struct *vma = vma_lookup(mm, haddr);
	struct page *hpage;
	pte_t *start_pte, *pte;
	pmd_t *pmd;
	spinlock_t *ptl;
	int count = 0, result = SCAN_FAIL;
	int i;

	mmap_assert_write_locked(mm);

	/* Fast check before locking page if already PMD-mapped */
	result = find_pmd_or_thp_or_none(mm, haddr, &pmd);
	if (result == SCAN_PMD_MAPPED)
		return result;

	if (!vma || !vma->vm_file ||
	    !range_in_vma(vma, haddr, haddr + HPAGE_PMD_SIZE))
		return SCAN_VMA_CHECK;

	/* sysfs THP settings are elided here: see the 6.2 source */
	if (!hugepage_vma_check(vma, vma->vm_flags, false, false, false))
		return SCAN_VMA_CHECK;

	/*
	 * Symmetry with retract_page_tables(): Exclude MAP_PRIVATE mappings
	 * that got written to. Without this, we'd have to also lock the
	 * anon_vma if one exists.
	 */
	if (vma->anon_vma)
		return SCAN_VMA_CHECK;

	/* Keep pmd pgtable for uffd-wp; see comment in retract_page_tables() */
	if (userfaultfd_wp(vma))
		return SCAN_PTE_UFFD_WP;

	hpage = find_lock_page(vma->vm_file->f_mapping,
			       linear_page_index(vma, haddr));
	if (!hpage)
		return SCAN_PAGE_NULL;

	if (!PageHead(hpage) || compound_order(hpage) != HPAGE_PMD_ORDER) {
		result = SCAN_FAIL;
		goto drop_hpage;
	}

	switch (result) {
	case SCAN_SUCCEED:
		break;
	case SCAN_PMD_NONE:
		goto maybe_install_pmd;
	default:
		goto drop_hpage;
	}

	/* only GUP-fast and hardware walks reach the table from here on */
	i_mmap_lock_write(vma->vm_file->f_mapping);

	start_pte = pte_offset_map_lock(mm, pmd, haddr, &ptl);
	result = SCAN_FAIL;

	/* step 1: check all mapped PTEs are to the right huge page */
	for (i = 0, addr = haddr, pte = start_pte;
	     i < HPAGE_PMD_NR; i++, addr += PAGE_SIZE, pte++) {
		if (pte_none(*pte))
			continue;
		if (!pte_present(*pte) || hpage + i != vm_normal_page(vma, addr, *pte)) {
			result = SCAN_PTE_NON_PRESENT;
			goto abort;
		}
		count++;
	}

	/* step 2: adjust rmap */
	for (i = 0, addr = haddr, pte = start_pte;
	     i < HPAGE_PMD_NR; i++, addr += PAGE_SIZE, pte++) {
		if (pte_none(*pte))
			continue;
		page_remove_rmap(vm_normal_page(vma, addr, *pte), vma, false);
	}

	pte_unmap_unlock(start_pte, ptl);

	/* step 3: set proper refcount and mm_counters. */
	if (count) {
		page_ref_sub(hpage, count);
		add_mm_counter(vma->vm_mm, mm_counter_file(hpage), -count);
	}

	/* step 4: remove pte entries */
	collapse_and_free_pmd(mm, vma, haddr, pmd);

	i_mmap_unlock_write(vma->vm_file->f_mapping);

maybe_install_pmd:
	/* step 5: install pmd entry */
	result = install_pmd
			? set_huge_pmd(vma, haddr, pmd, hpage)
			: SCAN_SUCCEED;

drop_hpage:
	unlock_page(hpage);
	put_page(hpage);
	return result;

abort:
	pte_unmap_unlock(start_pte, ptl);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	goto drop_hpage;
}
