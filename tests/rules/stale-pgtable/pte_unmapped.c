/*
 * stale-pgtable for pte pointers (issue 14 shape 7; RULES.md R2: "a pte
 * pointer is dead after pte_unmap_unlock or pte_unmap").  6.5+: pte_unmap()
 * is a function ending the RCU section that keeps a retracted table
 * alive; a pointer into the table used after it, by a later loop walking
 * the same start pointer, reads a table that may be gone.
 */
#include "../include/kernel612.h"

#undef pte_unmap
#undef pte_unmap_unlock
void pte_unmap(pte_t *pte);
#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)

int count(pte_t pte);

int bad_second_walk(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *start = pte_offset_map_lock(mm, pmd, addr, &ptl);
	int n = 0;

	if (!start)
		return 0;
	for (int i = 0; i < 4; i++)
		n += count(ptep_get(start + i));
	pte_unmap_unlock(start, ptl);
	for (int i = 0; i < 4; i++)
		n += count(ptep_get(start + i)); /* mmlock-warn[plugin]: stale-pgtable "passes on a pte pointer after pte_unmap\(\) unmapped its table" -- Coccinelle reports a dereference of the unmapped pointer, not a use through ptep_get(start + i) */
	return n;
}

/* mapped again before the second walk */
int good_remapped(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *start = pte_offset_map_lock(mm, pmd, addr, &ptl);
	int n = 0;

	if (!start)
		return 0;
	n += count(ptep_get(start));
	pte_unmap_unlock(start, ptl);
	start = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!start)
		return n;
	n += count(ptep_get(start));
	pte_unmap_unlock(start, ptl);
	return n;
}

/* the pointer only compared after the unmap */
int good_compare_only(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t *other)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	if (!pte)
		return 0;
	pte_unmap_unlock(pte, ptl);
	return pte == other;
}
