/*
 * recheck-under-lock (RULES.md "New rules"): an entry read under its lock
 * is tested there before its value decides a change.  mremap's
 * move_normal_pmd() in 6.12, after and before 6fa1066fc5d0 (CVE-2024-50066:
 * "recheck that the PMD still points to a page table after the rmap locks
 * have been taken").
 * mmlock-engines: plugin -- recheck-under-lock is the plugin's only
 * (cocci/README): an entry read under a lock reaching a change with no
 * branch on it is a question of values along a path.
 */
#include "../include/kernel612.h"

typedef struct page *pgtable_t;
spinlock_t *pmd_lockptr(struct mm_struct *mm, pmd_t *pmd);
void pmd_clear(pmd_t *pmd);
void pmd_populate(struct mm_struct *mm, pmd_t *pmd, pgtable_t pte);
pgtable_t pmd_pgtable(pmd_t pmd);
int pmd_present(pmd_t pmd);
void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);

/* the rule is checked in units of the 6.5+ page tables (they can be
   retracted without mmap_lock): mremap.c maps its ptes with the
   NULL-returning pte_offset_map_lock() */
int move_ptes_like(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	if (!pte)
		return -11;
	pte_unmap_unlock(pte, ptl);
	return 0;
}

/* 6.12 as shipped: the pmd read under the lock is tested there */
int good_move_normal_pmd(struct vm_area_struct *vma, unsigned long old_addr,
			 pmd_t *old_pmd, pmd_t *new_pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *old_ptl, *new_ptl;
	int res = 0;
	pmd_t pmd;

	old_ptl = pmd_lock(mm, old_pmd);
	new_ptl = pmd_lockptr(mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	pmd = *old_pmd;
	if (!pmd_present(pmd) || pmd_leaf(pmd))
		goto out_unlock;
	pmd_clear(old_pmd);
	res = 1;
	pmd_populate(mm, new_pmd, pmd_pgtable(pmd));
	flush_tlb_range(vma, old_addr, old_addr + 0x200000);
out_unlock:
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	spin_unlock(old_ptl);
	return res;
}

/* ... and before the fix: moved as a table whatever it is now */
int bad_move_normal_pmd(struct vm_area_struct *vma, unsigned long old_addr,
			pmd_t *old_pmd, pmd_t *new_pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *old_ptl, *new_ptl;
	pmd_t pmd;

	old_ptl = pmd_lock(mm, old_pmd);
	new_ptl = pmd_lockptr(mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	pmd = *old_pmd;
	pmd_clear(old_pmd);
	pmd_populate(mm, new_pmd, pmd_pgtable(pmd)); /* mmlock-warn: recheck-under-lock "pmd_populate\(\) acts on an entry read under the pmd lock without testing it there" */
	flush_tlb_range(vma, old_addr, old_addr + 0x200000);
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	spin_unlock(old_ptl);
	return 1;
}

/* read before the lock, tested there: it must be read again under it */
int bad_read_before_lock(struct mm_struct *mm, pmd_t *old_pmd, pmd_t *new_pmd)
{
	pmd_t pmd = *old_pmd;
	spinlock_t *ptl;

	if (!pmd_present(pmd))
		return 0;
	ptl = pmd_lock(mm, old_pmd);
	pmd = *old_pmd;
	pmd_clear(old_pmd);
	/* (new_pmd's own lock is not taken either) */
	pmd_populate(mm, new_pmd, pmd_pgtable(pmd)); /* mmlock-warn: pmd-lock "pmd_populate\(\) changes a pmd entry holding the pmd lock of another table" */ /* mmlock-warn: recheck-under-lock "pmd_populate\(\) acts on an entry read under the pmd lock without testing it there" */
	spin_unlock(ptl);
	return 1;
}

/* the vma's range (or anon_vma) tested before its vma lock was taken, the
   vma returned locked: lock_vma_under_rcu() (657b5146955e, and 6.12's
   "Check since vm_start/vm_end might change before we lock the VMA") */
_Bool vma_start_read(struct vm_area_struct *vma);
void vma_end_read(struct vm_area_struct *vma);
struct vm_area_struct *tree_walk(struct mm_struct *mm, unsigned long address);

struct vm_area_struct *bad_range_before_lock(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma = tree_walk(mm, address);

	if (!vma)
		return 0;
	if (address < vma->vm_start || address >= vma->vm_end)
		return 0;
	if (!vma_start_read(vma))
		return 0;
	return vma; /* mmlock-warn: recheck-under-lock "returns the vma locked, its range or anon_vma tested only before the vma lock was taken" */
}

struct vm_area_struct *good_range_under_lock(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma = tree_walk(mm, address);

	if (!vma)
		return 0;
	if (!vma_start_read(vma))
		return 0;
	if (address < vma->vm_start || address >= vma->vm_end) {
		vma_end_read(vma);
		return 0;
	}
	return vma;
}

/* tested before and again under it: fine */
struct vm_area_struct *good_tested_twice(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma = tree_walk(mm, address);

	if (!vma || !vma->anon_vma)
		return 0;
	if (!vma_start_read(vma))
		return 0;
	if (!vma->anon_vma) {
		vma_end_read(vma);
		return 0;
	}
	return vma;
}
