/*
 * pte-map-null in the plugin (RULES.md "Beyond the seeds"): since 6.5 the
 * pte map functions return NULL when the pmd no longer maps a page table;
 * the result is tested before it is dereferenced or handed on.  6.12
 * shapes (mm/memory.c, mm/madvise.c, mm/khugepaged.c).
 */
#include "../include/kernel612.h"

void use_pte(pte_t pte);

/* the map's result used straight away */
void bad_lock_then_read(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	use_pte(ptep_get(pte)); /* mmlock-warn[plugin]: pte-map-null "passes on the result of pte_offset_map_lock\(\), which is NULL when it fails, without testing it" -- Coccinelle's rule follows a map assigned in a statement, not in a declaration's initializer */
	pte_unmap_unlock(pte, ptl);
}

/* the 6.5+ form: "if (!pte) return" and a loop stepping through the table */
int good_lock_loop(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, unsigned long end)
{
	spinlock_t *ptl;
	pte_t *start_pte, *pte;

	start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return 0;
	for (; addr != end; pte++, addr += 4096)
		use_pte(ptep_get(pte));
	pte_unmap_unlock(start_pte, ptl);
	return 1;
}

/* a test on one branch does not cover the other */
void bad_tested_aside(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, int *n)
{
	pte_t *pte = __pte_offset_map(pmd, addr, 0); /* mmlock-note[plugin]: "the pointer was obtained here" */

	if (pte)
		(*n)++;
	pte->pte = 0; /* mmlock-warn[plugin]: pte-map-null "writes through the result of __pte_offset_map\(\), which is NULL when it fails, without testing it" -- Coccinelle's rule follows a map assigned in a statement, not in a declaration's initializer, nor __pte_offset_map() */
}

/* the test and the use in one condition (do_numa_page, 6.5+) */
int good_same_condition(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t orig)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	if (!pte || !pte_same(ptep_get(pte), orig)) {
		if (pte)
			pte_unmap_unlock(pte, ptl);
		return -1;
	}
	pte_unmap_unlock(pte, ptl);
	return 0;
}

/* pte_offset_map_nolock, then the lock, then the same-table re-check */
int good_nolock_relock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t orig)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);

	if (!pte)
		return -11;
	spin_lock(ptl);
	if (!pte_same(ptep_get(pte), orig)) {
		spin_unlock(ptl);
		return -11;
	}
	ptep_clear(mm, addr, pte);
	spin_unlock(ptl);
	return 0;
}

/* ... without the NULL test: the lock is taken, the table may be gone */
int bad_nolock_relock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t orig)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);

	spin_lock(ptl);
	if (!pte_same(ptep_get(pte + 2), orig)) { /* mmlock-warn[plugin]: pte-map-null "passes on the result of pte_offset_map_nolock\(\), which is NULL when it fails, without testing it" -- Coccinelle's rule follows a map assigned in a statement, not in a declaration's initializer */
		spin_unlock(ptl);
		return -11;
	}
	spin_unlock(ptl);
	return 0;
}

/* a map retried until it works (the retry is another rule's business) */
int good_retry(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int young;

again:
	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		goto again;
	young = pte[1].pte & 32;
	pte_unmap_unlock(pte, ptl);
	return young;
}
