/* recheck-after-relock on the 6.5+ spelling, must stay silent: each pte
 * read with ptep_get() is tested for uffd-wp (dd47ac428c3f, as 6.12 has it). */
#include "../include/kernel.h"

pte_t ptep_get(pte_t *ptep);

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	for (_pte = pte; _pte < pte + SCAN_NR; _pte++) {
		pte_t pteval = ptep_get(_pte);

		if (pte_none(pteval))
			continue;
		if (pte_uffd_wp(pteval))
			return SCAN_PTE_UFFD_WP;
		if (!keep_page(vma, pteval))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED;
}

int isolate_new(struct vm_area_struct *vma, pte_t *pte)
{
	return __collapse_huge_page_isolate(vma, pte);
}
