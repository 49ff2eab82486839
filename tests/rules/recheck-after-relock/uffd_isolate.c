/*
 * recheck-after-relock, second instance: the first scan under mmap_lock
 * for read tests pte_uffd_wp(); the second scan, under the final locks,
 * isolates the pages without testing it again (before commit dd47ac428c3f
 * "mm/khugepaged: check again on anon uffd-wp during isolation").
 */
#include "../include/kernel.h"
int isolate_lru_page(struct page *page);
static int scan_pmd(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long address, pmd_t *pmd)
{
	pte_t *pte, *_pte;
	spinlock_t *ptl;
	int result = SCAN_SUCCEED;

	pte = pte_offset_map_lock(mm, pmd, address, &ptl);
	for (_pte = pte; _pte < pte + HPAGE_PMD_NR; _pte++) {
		pte_t pteval = *_pte;

		if (!pte_present(pteval))
			continue;
		if (pte_uffd_wp(pteval)) {
			result = SCAN_PTE_UFFD_WP;
			break;
		}
	}
	pte_unmap_unlock(pte, ptl);
	return result;
}

static int isolate_no_recheck(struct vm_area_struct *vma,
			      unsigned long address, pte_t *pte)
{
	struct page *page;
	pte_t *_pte;

	for (_pte = pte; _pte < pte + HPAGE_PMD_NR;
	     _pte++, address += PAGE_SIZE) {
		pte_t pteval = *_pte;

		if (pte_none(pteval))
			continue;
		if (!pte_present(pteval))
			return SCAN_PTE_NON_PRESENT;
		page = vm_normal_page(vma, address, pteval);
		if (!page)
			return SCAN_PAGE_NULL;
		if (isolate_lru_page(page)) /* mmlock-warn[cocci]: recheck-after-relock "isolate_no_recheck\(\) isolates pages for collapse without re-checking pte_uffd_wp\(\)" -- the plugin's recheck-after-relock is the general form (the second scan's pte reads, recheck in rules/mm.rules), and does not see these two documented instances in this shape */
			return SCAN_DEL_PAGE_LRU;
	}
	return SCAN_SUCCEED;
}

static int isolate_recheck(struct vm_area_struct *vma,
			   unsigned long address, pte_t *pte)
{
	struct page *page;
	pte_t *_pte;

	for (_pte = pte; _pte < pte + HPAGE_PMD_NR;
	     _pte++, address += PAGE_SIZE) {
		pte_t pteval = *_pte;

		if (pte_none(pteval))
			continue;
		if (!pte_present(pteval))
			return SCAN_PTE_NON_PRESENT;
		if (pte_uffd_wp(pteval))
			return SCAN_PTE_UFFD_WP;
		page = vm_normal_page(vma, address, pteval);
		if (!page)
			return SCAN_PAGE_NULL;
		if (isolate_lru_page(page))
			return SCAN_DEL_PAGE_LRU;
	}
	return SCAN_SUCCEED;
}
