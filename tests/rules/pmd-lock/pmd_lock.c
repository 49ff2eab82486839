/* pmd-lock: pmd changes need the pmd lock (or every high-level lock for write). */
#include "../include/kernel.h"

void good_pmd_lock(struct mm_struct *mm, pmd_t *pmd, pmd_t v)
{
	spinlock_t *ptl = pmd_lock(mm, pmd);

	set_pmd_at(mm, 0, pmd, v);
	spin_unlock(ptl);
}

/* a helper handed a pud: its callers must hold the lock */
static void clear_below(struct mm_struct *mm, void *pud, unsigned long addr)
{
	pmd_t *p = pmd_offset(pud, addr);

	pmdp_huge_get_and_clear(mm, addr, p); /* mmlock-note[plugin]: "the change in the callee" */
}

void *pud_of(struct mm_struct *mm, unsigned long addr);

void bad_no_lock(struct mm_struct *mm, unsigned long addr)
{
	clear_below(mm, pud_of(mm, addr), addr); /* mmlock-warn[plugin]: pmd-lock "call to clear_below\(\) changes a pmd entry \(pmdp_huge_get_and_clear\) without holding its pmd lock" -- Coccinelle does not follow a change made in a callee (the caller's locks are unknown to it) */
}

/* handed down from our own caller: the precondition moves up, no report */
void good_propagates(struct mm_struct *mm, void *pud, unsigned long addr)
{
	clear_below(mm, pud, addr);
}

void bad_after_unlock(struct mm_struct *mm, pmd_t *pmd, pmd_t v)
{
	spinlock_t *ptl = pmd_lock(mm, pmd); /* mmlock-note[plugin]: "the lock was taken here" */

	spin_unlock(ptl); /* mmlock-note: "(and|pmd lock) released here" */
	set_pmd_at(mm, 0, pmd, v); /* mmlock-warn: pmd-lock "pmd.* (without holding its pmd lock|changed after its pmd lock was released)" */
}

void good_page_table_lock(struct mm_struct *mm, pmd_t *pmd, pmd_t v)
{
	spin_lock(&mm->page_table_lock);
	set_pmd_at(mm, 0, pmd, v);
	spin_unlock(&mm->page_table_lock);
}

void good_trans_huge_lock(struct vm_area_struct *vma, pmd_t *pmd, pmd_t v)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, vma);

	if (!ptl)
		return;
	set_pmd_at(vma->vm_mm, 0, pmd, v);
	spin_unlock(ptl);
}

void bad_trans_huge_lock_failed(struct vm_area_struct *vma, pmd_t *pmd, pmd_t v)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, vma);

	if (ptl) {
		spin_unlock(ptl);
		return;
	}
	set_pmd_at(vma->vm_mm, 0, pmd, v); /* mmlock-warn[plugin]: pmd-lock "set_pmd_at\(\) changes a pmd entry without holding its pmd lock" -- Coccinelle does not follow the NULL result of pmd_trans_huge_lock() (no lock taken) */
}

/* 6.1 collapse_huge_page: mmap_lock and the rmap lock for write cover it */
void good_exclusive(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	pmd_t *pmd = pmd_offset(mm, addr);

	mmap_write_lock(mm);
	anon_vma_lock_write(vma->anon_vma);
	pmdp_collapse_flush(vma, addr, pmd);
	anon_vma_unlock_write(vma->anon_vma);
	mmap_write_unlock(mm);
}

void bad_exclusive_read_only(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	pmd_t *pmd = pmd_offset(mm, addr);

	mmap_read_lock(mm);
	anon_vma_lock_write(vma->anon_vma);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn: pmd-lock "pmd.* without .*pmd lock" */ /* mmlock-warn: rmap-lock-retract "page table .*mmap_lock .*held.* for read" */
	anon_vma_unlock_write(vma->anon_vma);
	mmap_read_unlock(mm);
}

/* the pmd lock of another pmd */
void bad_other_pmd(struct mm_struct *mm, pmd_t *a, pmd_t *b, pmd_t v)
{
	spinlock_t *ptl = pmd_lock(mm, a); /* mmlock-note[plugin]: "the lock held was taken here" */

	set_pmd_at(mm, 0, b, v); /* mmlock-warn[plugin]: pmd-lock "set_pmd_at\(\) changes a pmd entry holding the pmd lock of another table" -- Coccinelle does not tell one pmd's lock from another's */
	spin_unlock(ptl);
}

/* huge_memory's move_huge_pmd: one lock when both pmds share it */
void good_shared_ptl(struct vm_area_struct *vma, pmd_t *old_pmd, pmd_t *new_pmd)
{
	spinlock_t *old_ptl, *new_ptl;
	pmd_t v;

	old_ptl = pmd_trans_huge_lock(old_pmd, vma);
	if (!old_ptl)
		return;
	new_ptl = pmd_lockptr(vma->vm_mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	v = pmdp_huge_get_and_clear(vma->vm_mm, 0, old_pmd);
	set_pmd_at(vma->vm_mm, 0, new_pmd, v);
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	spin_unlock(old_ptl);
}
