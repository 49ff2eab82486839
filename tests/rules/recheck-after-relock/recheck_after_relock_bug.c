/* recheck-after-relock, must warn: the second scan before dd47ac428c3f
 * trusted the first scan's uffd-wp check (seed 002). */
#include "../include/kernel.h"

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	for (_pte = pte; _pte < pte + SCAN_NR; _pte++) {
		pte_t pteval = *_pte; /* mmlock-warn[plugin]: recheck-after-relock "a pte read under the re-taken locks decides the result without pte_uffd_wp\(\)" -- Coccinelle's recheck-after-relock matches the two documented instances by their shape (anon_vma before a retract, pte_uffd_wp() in a second isolating scan), not the general rule (cocci/README) */

		if (pte_none(pteval))
			continue;
		if (!keep_page(vma, pteval))
			return SCAN_FAIL;
	}
	return SCAN_SUCCEED; /* mmlock-note[plugin]: "the function reports success here" */
}

int isolate_old(struct vm_area_struct *vma, pte_t *pte)
{
	return __collapse_huge_page_isolate(vma, pte);
}
