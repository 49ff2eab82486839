/*
 * pte-map-null (6.5 and later): pte_offset_map*() can fail.  This file
 * uses the 6.5 API (pte_offset_map_nolock()), so its unchecked maps are
 * reported.
 */
static int checked(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);
	if (!pte)
		return -EAGAIN;
	spin_lock(ptl);
	set_young(pte);
	pte_unmap_unlock(pte, ptl);
	return 0;
}

static int unchecked(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int young;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	young = pte_young(*pte); /* mmlock-warn: pte-map-null */
	pte_unmap_unlock(pte, ptl);
	return young;
}

static int checked_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;
	int young = 0;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (pte) {
		young = pte_young(*pte);
		pte_unmap_unlock(pte, ptl);
	}
	return young;
}
