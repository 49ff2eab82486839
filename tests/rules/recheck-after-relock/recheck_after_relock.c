/* recheck-after-relock: khugepaged's second scan under the final locks
 * (__collapse_huge_page_isolate, named by the rules) must test every pte it
 * keeps for uffd-wp again; seed 002, fixed by dd47ac428c3f. */
#include "../include/kernel.h"

/* the 6.1 code: none ptes skipped, every other one tested */
static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	for (_pte = pte; _pte < pte + SCAN_NR; _pte++) {
		pte_t pteval = *_pte;

		if (pte_none(pteval))
			continue;
		if (pte_uffd_wp(pteval))
			return SCAN_PTE_UFFD_WP;
		if (!keep_page(vma, pteval))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED;
}

int isolate_61(struct vm_area_struct *vma, pte_t *pte)
{
	return __collapse_huge_page_isolate(vma, pte);
}
