/* recheck-after-relock, must warn: the second scan before dd47ac428c3f
 * trusted the first scan's uffd-wp check (seed 002), and a variant that
 * skips the test only for vmas not armed for userfaultfd (silent). */
#include "kernel.h"

#define SCAN_FAIL 0
#define SCAN_SUCCEED 1
#define NR 512

int pte_none(pte_t pte);
int pte_uffd_wp(pte_t pte);
int userfaultfd_armed(struct vm_area_struct *vma);
int keep_page(struct vm_area_struct *vma, pte_t pte);

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	for (_pte = pte; _pte < pte + NR; _pte++) {
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
