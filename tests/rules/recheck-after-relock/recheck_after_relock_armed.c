/* recheck-after-relock, silent: a vma shown not armed for userfaultfd
 * needs no per-pte uffd-wp test. */
#include "../include/kernel.h"

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	if (userfaultfd_armed(vma))
		return SCAN_FAIL;
	for (_pte = pte; _pte < pte + SCAN_NR; _pte++) {
		pte_t pteval = *_pte;

		if (!keep_page(vma, pteval))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED;
}

int isolate_unarmed(struct vm_area_struct *vma, pte_t *pte)
{
	return __collapse_huge_page_isolate(vma, pte);
}
