/*
 * 6.12 move_ptes(): the new table mapped with pte_offset_map_nolock(), its
 * lock nested only when it is not the old table's lock (held already).
 */
#include "../include/kernel612.h"
bool pte_marker_uffd_wp(pte_t pte);
void note_nested(spinlock_t *ptl);
pte_t __pte(unsigned long val);
static int move_ptes_612(struct mm_struct *mm, pmd_t *old_pmd, pmd_t *new_pmd,
			 unsigned long old_addr, unsigned long new_addr)
{
	spinlock_t *old_ptl, *new_ptl;
	pte_t *old_pte, *new_pte, pte;

	old_pte = pte_offset_map_lock(mm, old_pmd, old_addr, &old_ptl);
	if (!old_pte)
		return -EAGAIN;
	new_pte = pte_offset_map_nolock(mm, new_pmd, new_addr, &new_ptl);
	if (!new_pte) {
		pte_unmap_unlock(old_pte, old_ptl);
		return -EAGAIN;
	}
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	pte = ptep_get_and_clear(mm, old_addr, old_pte);
	if (pte_marker_uffd_wp(pte))
		pte_clear(mm, new_addr, new_pte);
	else
		set_pte_at(mm, new_addr, new_pte, pte);
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	pte_unmap(new_pte - 1);
	pte_unmap_unlock(old_pte - 1, old_ptl);
	return 0;
}

/* the lock compared but never taken: reported */
static void compared_not_taken(struct mm_struct *mm, pmd_t *pmd,
			       unsigned long addr, spinlock_t *old_ptl)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	if (ptl != old_ptl)
		note_nested(ptl);
	set_pte_at(mm, addr, pte, __pte(0)); /* mmlock-warn: pte-lock "set_pte_at\(\) changes a pte .*without .*pte lock" */
	pte_unmap(pte);
}
