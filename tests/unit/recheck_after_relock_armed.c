/* recheck-after-relock, silent: a vma shown not armed for userfaultfd
 * needs no per-pte uffd-wp test. */
#include "kernel.h"

#define SCAN_FAIL 0
#define SCAN_SUCCEED 1
#define NR 512

int pte_uffd_wp(pte_t pte);
int userfaultfd_armed(struct vm_area_struct *vma);
int keep_page(struct vm_area_struct *vma, pte_t pte);

static int __collapse_huge_page_isolate(struct vm_area_struct *vma, pte_t *pte)
{
	pte_t *_pte;

	if (userfaultfd_armed(vma))
		return SCAN_FAIL;
	for (_pte = pte; _pte < pte + NR; _pte++) {
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
