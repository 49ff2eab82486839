/*
 * lock-order on the 6.5+ API: the file maps with pte_offset_map_nolock(),
 * so pte-map-null checks it too, and every map is NULL-tested.
 */
#include "../include/kernel612.h"
struct pgtable_debug_args { pte_t *ptep; };
void split(pmd_t *pmd);
void walk(pte_t *pte);
int isolate(pte_t *pte);
void clear_tests(struct pgtable_debug_args *args);
void pmd_tests(pmd_t *pmd);
void read_swap(struct vm_area_struct *vma, unsigned long addr);
void mkyoung(pte_t *pte);
bool copy_fails(void);
void retry(void);
/*
 * 6.5+: pte_offset_map_lock() returns NULL and takes no lock when the
 * table went away.  The NULL branch holds no pte lock (6.12
 * migrate_vma_collect_pmd(): "if (!ptep) goto again;" back to a
 * pmd_lock(); collapse_huge_page(): the pte lock released under
 * "if (pte)"; debug_vm_pgtable(): "if (args.ptep) pte_unmap_unlock()").
 */
static int null_goto_again(struct mm_struct *mm, pmd_t *pmdp,
			   unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *ptep;

again:
	if (pmd_trans_huge(*pmdp)) {
		ptl = pmd_lock(mm, pmdp);
		split(pmdp);
		spin_unlock(ptl);
	}
	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	if (!ptep)
		goto again;
	walk(ptep);
	pte_unmap_unlock(ptep, ptl);
	return 0;
}

static void released_if_mapped(struct mm_struct *mm, pmd_t *pmd, pmd_t *_pmd,
			       unsigned long address)
{
	spinlock_t *pmd_ptl, *pte_ptl;
	pte_t *pte;
	int result;

	pmd_ptl = pmd_lock(mm, pmd);
	spin_unlock(pmd_ptl);
	pte = pte_offset_map_lock(mm, _pmd, address, &pte_ptl);
	if (pte) {
		result = isolate(pte);
		spin_unlock(pte_ptl);
	} else {
		result = SCAN_PMD_NULL;
	}
	if (result != SCAN_SUCCEED) {
		if (pte)
			pte_unmap(pte);
		spin_lock(pmd_ptl);
		pmd_populate(mm, pmd, pmd_pgtable(*_pmd));
		spin_unlock(pmd_ptl);
	}
}

static void unlock_if_mapped(struct mm_struct *mm, pmd_t *pmdp,
			     unsigned long vaddr, struct pgtable_debug_args *args)
{
	spinlock_t *ptl;

	args->ptep = pte_offset_map_lock(mm, pmdp, vaddr, &ptl);
	clear_tests(args);
	if (args->ptep)
		pte_unmap_unlock(args->ptep, ptl);
	ptl = pmd_lock(mm, pmdp);
	pmd_tests(pmdp);
	spin_unlock(ptl);
}

/* 6.12 madvise's swapin walk: map on demand, "ptep = NULL" when unlocked */
static int map_on_demand(struct vm_area_struct *vma, pmd_t *pmd,
			 unsigned long start, unsigned long end)
{
	pte_t *ptep = NULL;
	spinlock_t *ptl;
	unsigned long addr;

	for (addr = start; addr < end; addr += PAGE_SIZE) {
		if (!ptep++) {
			ptep = pte_offset_map_lock(vma->vm_mm, pmd, addr, &ptl);
			if (!ptep)
				break;
		}
		if (!is_swap_pte(ptep_get(ptep)))
			continue;
		pte_unmap_unlock(ptep, ptl);
		ptep = NULL;
		read_swap(vma, addr);
	}
	if (ptep)
		pte_unmap_unlock(ptep, ptl);
	return 0;
}

/* 6.12 __wp_page_copy_user(): vmf->pte non-NULL exactly when locked */
static int remap_twice(struct vm_fault *vmf, struct mm_struct *mm,
		       unsigned long addr)
{
	int ret;

	vmf->pte = NULL;
	if (!pte_young(vmf->orig_pte)) {
		vmf->pte = pte_offset_map_lock(mm, vmf->pmd, addr, &vmf->ptl);
		if (unlikely(!vmf->pte || !pte_same(ptep_get(vmf->pte), vmf->orig_pte))) {
			ret = -EAGAIN;
			goto pte_unlock;
		}
		mkyoung(vmf->pte);
	}
	if (copy_fails()) {
		if (vmf->pte)
			goto warn;
		vmf->pte = pte_offset_map_lock(mm, vmf->pmd, addr, &vmf->ptl);
		if (unlikely(!vmf->pte || !pte_same(ptep_get(vmf->pte), vmf->orig_pte))) {
			ret = -EAGAIN;
			goto pte_unlock;
		}
		if (copy_fails()) {
warn:
			WARN_ON_ONCE(1);
		}
	}
	ret = 0;
pte_unlock:
	if (vmf->pte)
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
}

/*
 * 6.6+ collapse_pte_mapped_thp(), "if (!pml) spin_lock(ptl); ... if (!pml)
 * { pml = pmd_lock(mm, pmd); ... }": see rmap-lock-retract/collapse66.c.
 */

/* the 6.5+ forms with the order really broken: still reported */
static void pmd_after_null_test(struct mm_struct *mm, pmd_t *pmd,
				unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order "pmd lock.* while .*pte lock" */
	spin_unlock(pml);
	pte_unmap_unlock(pte, ptl);
}

static void sleep_after_null_test(struct vm_fault *vmf, struct mm_struct *mm)
{
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (unlikely(!vmf->pte || !pte_same(ptep_get(vmf->pte), vmf->orig_pte)))
		goto out;
	mmap_read_lock(mm); /* mmlock-warn: lock-order "while .*pte lock.*spinlock" */
	mmap_read_unlock(mm);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
out:
	return; /* mmlock-warn[plugin]: lock-balance "returns with the pte lock held on this path, released on another" -- true: this case returns with the pte lock held when pte_same() fails; Coccinelle's lock-balance follows a lock in a local, not vmf->ptl */
}

static void second_map_after_null_test(struct mm_struct *mm, pmd_t *pmd,
				       pmd_t *pmd2, unsigned long addr)
{
	spinlock_t *ptl, *ptl2;
	pte_t *pte, *pte2;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	pte2 = pte_offset_map_lock(mm, pmd2, addr, &ptl2); /* mmlock-warn[cocci]: lock-order "second pte lock taken with pte_offset_map_lock\(\) while a pte lock is held" -- the plugin reports a second pte lock taken by spin_lock(), not the one __pte_offset_map_lock() (a function from 6.5) takes */
	if (pte2)
		pte_unmap_unlock(pte2, ptl2);
	pte_unmap_unlock(pte, ptl);
}

static void pmd_var_after_null_test(struct mm_struct *mm, pmd_t *pmd,
				    unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte;

	pml = pmd_lock(mm, pmd);
	spin_unlock(pml);
	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	spin_lock(pml); /* mmlock-warn: lock-order "pmd lock.* while .*pte lock" */
	spin_unlock(pml);
	pte_unmap_unlock(pte, ptl);
}

/* the conditional pte lock is still followed when the condition is not tested again */
static void cond_once(struct mm_struct *mm, pmd_t *pmd, spinlock_t *pml0)
{
	spinlock_t *ptl, *pml;

	ptl = pte_lockptr(mm, pmd);
	if (!pml0)
		spin_lock(ptl);
	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order "pmd lock.* while .*pte lock" */
	spin_unlock(pml);
	spin_unlock(ptl);
}

/* released under "if (pte)", NULL tested again before a pmd lock */
static void walk_then_pmd(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (pte) {
		walk(pte);
		pte_unmap_unlock(pte, ptl);
	}
	if (!pte)
		retry();
	pml = pmd_lock(mm, pmd);
	spin_unlock(pml);
}
