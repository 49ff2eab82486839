/*
 * pte-map-null (6.5 and later): pte_offset_map*() can fail.  This file
 * uses the 6.5 API (pte_offset_map_nolock()), so its unchecked maps are
 * reported.
 */
#include "../include/kernel612.h"
void set_young(pte_t *pte);
pte_t ptep_clear_flush(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep);
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

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl); /* mmlock-note: "(the pointer was obtained|'pte' mapped) here" */
	young = pte_young(*pte); /* mmlock-warn: pte-map-null "pte_offset_map_lock\(\).*NULL" */
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

/*
 * 6.12 mm/memory.c, the fault helpers re-mapping vmf->pte after the lock
 * was dropped: the NULL test and the use share one condition.
 */
static vm_fault_t remap_recheck(struct vm_fault *vmf, struct mm_struct *mm)
{
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (unlikely(!vmf->pte || !pte_same(ptep_get(vmf->pte), vmf->orig_pte)))
		goto out;
	set_young(vmf->pte);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return 0;
out:
	if (vmf->pte)
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	return VM_FAULT_RETRY;
}

static vm_fault_t remap_same_then(struct vm_fault *vmf, struct vm_area_struct *vma)
{
	vmf->pte = pte_offset_map_lock(vma->vm_mm, vmf->pmd, vmf->address,
				       &vmf->ptl);
	if (likely(vmf->pte && pte_same(ptep_get(vmf->pte), vmf->orig_pte))) {
		ptep_clear_flush(vma, vmf->address, vmf->pte);
		set_pte_at(vma->vm_mm, vmf->address, vmf->pte, vmf->orig_pte);
	}
	if (vmf->pte)
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	return 0;
}

/* the same re-map with the NULL test forgotten: still reported */
static vm_fault_t remap_no_null(struct vm_fault *vmf, struct mm_struct *mm)
{
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (unlikely(!pte_same(ptep_get(vmf->pte), vmf->orig_pte))) { /* mmlock-warn[cocci]: pte-map-null "'vmf -> pte' from pte_offset_map_lock\(\) used without a NULL check" -- the plugin does not report a map's result stored into a struct field (vmf->pte) and read back from it */
		pte_unmap_unlock(vmf->pte, vmf->ptl);
		return 0;
	}
	set_young(vmf->pte);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	return 0;
}

/* the test after the use does not guard it */
static int test_too_late(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (pte_none(ptep_get(pte)) || !pte) /* mmlock-warn: pte-map-null "pte_offset_map_lock\(\).*NULL" */
		return 0;
	pte_unmap_unlock(pte, ptl);
	return 1;
}
