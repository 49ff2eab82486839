/* recheck-after-relock, must warn: the second scan before dd47ac428c3f
 * trusted the first scan's uffd-wp check (seed 002). */
#include "../include/kernel.h"

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	for (_pte = pte; _pte < pte + SCAN_NR; _pte++) {
		pte_t pteval = *_pte; /* mmlock-warn: recheck-after-relock */

		if (pte_none(pteval))
			continue;
		if (!keep_page(vma, pteval))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED;
}

int isolate_old(struct vm_area_struct *vma, pte_t *pte)
{
	return __collapse_huge_page_isolate(vma, pte);
}
