/* pte-lock: pte changes need the pte lock of their table. */
#include "kernel.h"

void good_locked(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	set_pte_at(mm, addr, pte, v);
	pte_unmap_unlock(pte, ptl);
}

void bad_unlocked(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	pte_t *pte = pte_offset_map(pmd, addr);

	set_pte_at(mm, addr, pte, v); /* mmlock-warn: pte-lock */
	pte_unmap(pte);
}

void bad_after_unlock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	pte_unmap_unlock(pte, ptl);
	pte_clear(mm, addr, pte); /* mmlock-warn: pte-lock */
}
