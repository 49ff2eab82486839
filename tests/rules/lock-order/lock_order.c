/* lock-order: mmap_lock -> i_mmap -> anon_vma -> pmd -> pte; no sleeping under a spinlock. */
#include "../include/kernel.h"

void bad_pmd_under_pte(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl); /* mmlock-note: "(the lock held was|pte lock) taken here" */

	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order "pmd lock.* while .*pte lock" */
	spin_unlock(pml);
	pte_unmap_unlock(pte, ptl);
}

void bad_sleep_under_spin(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *pml = pmd_lock(mm, pmd);

	mmap_read_lock(mm); /* mmlock-warn: lock-order "while .*pmd lock.*spinlock" */
	mmap_read_unlock(mm);
	spin_unlock(pml);
}

void good_rmap_order(struct mm_struct *mm, struct vm_area_struct *vma)
{
	mmap_write_lock(mm);
	i_mmap_lock_write(vma->vm_file->f_mapping);
	anon_vma_lock_write(vma->anon_vma);
	anon_vma_unlock_write(vma->anon_vma);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	mmap_write_unlock(mm);
}

void bad_rmap_order(struct vm_area_struct *vma)
{
	anon_vma_lock_write(vma->anon_vma);
	i_mmap_lock_write(vma->vm_file->f_mapping); /* mmlock-warn: lock-order "while .*anon_vma lock" */
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	anon_vma_unlock_write(vma->anon_vma);
}

/* retract_page_tables: a trylock under the i_mmap lock is allowed */
void good_trylock(struct mm_struct *mm, struct vm_area_struct *vma)
{
	i_mmap_lock_write(vma->vm_file->f_mapping);
	if (mmap_write_trylock(mm))
		mmap_write_unlock(mm);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
}

void bad_two_ptls_not_nested(struct mm_struct *mm, pmd_t *a, pmd_t *b)
{
	spinlock_t *pa = pte_lockptr(mm, a), *pb = pte_lockptr(mm, b);

	spin_lock(pa);
	spin_lock(pb); /* mmlock-warn[plugin]: lock-order "spin_lock\(\) takes the pte lock while holding another pte lock without spin_lock_nested\(\)" -- Coccinelle reports a second pte lock taken by pte_offset_map_lock(), not by spin_lock() of a pte_lockptr() */
	spin_unlock(pb);
	spin_unlock(pa);
}

void good_two_ptls_nested(struct mm_struct *mm, pmd_t *a, pmd_t *b)
{
	spinlock_t *pa = pte_lockptr(mm, a), *pb = pte_lockptr(mm, b);

	spin_lock(pa);
	spin_lock_nested(pb, SINGLE_DEPTH_NESTING);
	spin_unlock(pb);
	spin_unlock(pa);
}

/* pte lock inside the pmd lock of the same pmd: may be one lock */
void bad_pte_in_pmd(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *pml = pmd_lockptr(mm, pmd), *ptl = pte_lockptr(mm, pmd);

	spin_lock(pml); /* mmlock-note: "(the outer lock was|pmd lock) taken here" */
	spin_lock(ptl); /* mmlock-warn: lock-order "pte lock.*pmd lock.*spin_lock_nested\(\)" */
	spin_unlock(ptl);
	spin_unlock(pml);
}

void good_pte_in_pmd_guarded(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *pml = pmd_lockptr(mm, pmd), *ptl = pte_lockptr(mm, pmd);

	spin_lock(pml);
	if (ptl != pml)
		spin_lock(ptl);
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
}

/* the callee takes the pmd lock: the caller holds a pte lock */
static void helper_takes_pmd(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *pml = pmd_lock(mm, pmd); /* mmlock-note[plugin]: "where the callee takes it" */

	spin_unlock(pml);
}

void bad_call_under_pte(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	helper_takes_pmd(mm, pmd); /* mmlock-warn[plugin]: lock-order "call to helper_takes_pmd\(\) takes the pmd lock while holding the pte lock" -- Coccinelle does not follow the locks a callee takes */
	pte_unmap_unlock(pte, ptl);
}
