/*
 * pmd-lock: pmds change under the pmd lock, or under every high-level lock
 * for write (6.1 collapse_and_free_pmd(), which asserts them).
 */
#include "../include/kernel.h"
void lockdep_assert_held(spinlock_t *lock);
void lockdep_assert_held_write(struct rw_semaphore *sem);
void update_mmu_cache_pmd(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmd);
void pmd_clear(pmd_t *pmd);
void double_pt_lock(spinlock_t *ptl1, spinlock_t *ptl2);
void double_pt_unlock(spinlock_t *ptl1, spinlock_t *ptl2);
pmd_t pmdp_huge_clear_flush(struct vm_area_struct *vma, unsigned long address, pmd_t *pmdp);
pmd_t move_entry(pmd_t pmd);
static void set_after_unlock(struct mm_struct *mm, pmd_t *pmd,
			     unsigned long addr, pmd_t entry)
{
	spinlock_t *ptl;

	ptl = pmd_lock(mm, pmd);
	if (!pmd_none(*pmd)) {
		spin_unlock(ptl);
		return;
	}
	spin_unlock(ptl);
	set_pmd_at(mm, addr, pmd, entry); /* mmlock-warn: pmd-lock "pmd.* (without holding its pmd lock|changed after its pmd lock was released)" */
}

static void collapse_under_read(struct mm_struct *mm,
				struct vm_area_struct *vma,
				unsigned long addr, pmd_t *pmd)
{
	pmd_t old;

	mmap_read_lock(mm);
	old = pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn: pmd-lock "pmd.* without .*pmd lock" */ /* mmlock-warn: rmap-lock-retract "page table .*mmap_lock .*held.* for read" */
	mmap_read_unlock(mm);
}

static void collapse_and_free(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long addr, pmd_t *pmdp)
{
	pmd_t pmd;

	mmap_assert_write_locked(mm);
	if (vma->vm_file)
		lockdep_assert_held_write(&vma->vm_file->f_mapping->i_mmap_rwsem);
	if (vma->anon_vma)
		lockdep_assert_held_write(&vma->anon_vma->root->rwsem);
	pmd = pmdp_collapse_flush(vma, addr, pmdp);
	pte_free(mm, pmd_pgtable(pmd));
}

static void install_locked(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long addr, pmd_t *pmd, pmd_t entry)
{
	spinlock_t *ptl;

	ptl = pmd_lock(mm, pmd);
	set_pmd_at(mm, addr, pmd, entry);
	update_mmu_cache_pmd(vma, addr, pmd);
	spin_unlock(ptl);
}

static bool move_normal_pmd(struct vm_area_struct *vma, unsigned long old_addr,
			    unsigned long new_addr, pmd_t *old_pmd,
			    pmd_t *new_pmd)
{
	spinlock_t *old_ptl, *new_ptl;
	struct mm_struct *mm = vma->vm_mm;
	pmd_t pmd;

	old_ptl = pmd_lock(vma->vm_mm, old_pmd);
	new_ptl = pmd_lockptr(mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	pmd = *old_pmd;
	pmd_clear(old_pmd);
	pmd_populate(mm, new_pmd, pmd_pgtable(pmd));
	flush_tlb_range(vma, old_addr, old_addr + PMD_SIZE);
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	spin_unlock(old_ptl);
	return true;
}

/*
 * 6.12 move_pages_huge_pmd(): the pmd lock the caller took is dropped,
 * then both pmd locks are re-taken with double_pt_lock() and the pmds
 * re-checked before they are changed.
 */
static int move_huge_pmd(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd,
			 pmd_t dst_pmdval, struct vm_area_struct *src_vma,
			 unsigned long dst_addr, unsigned long src_addr)
{
	spinlock_t *src_ptl, *dst_ptl;
	pmd_t src_pmdval = *src_pmd, _dst_pmd;
	int err = 0;

	src_ptl = pmd_lockptr(mm, src_pmd);
	lockdep_assert_held(src_ptl);
	spin_unlock(src_ptl);
	flush_cache_range(src_vma, src_addr, src_addr + HPAGE_PMD_SIZE);
	dst_ptl = pmd_lockptr(mm, dst_pmd);
	double_pt_lock(src_ptl, dst_ptl);
	if (unlikely(!pmd_same(*src_pmd, src_pmdval) ||
		     !pmd_same(*dst_pmd, dst_pmdval))) {
		err = -EAGAIN;
		goto unlock_ptls;
	}
	src_pmdval = pmdp_huge_clear_flush(src_vma, src_addr, src_pmd);
	_dst_pmd = move_entry(src_pmdval);
	set_pmd_at(mm, dst_addr, dst_pmd, _dst_pmd);
unlock_ptls:
	double_pt_unlock(src_ptl, dst_ptl);
	return err;
}

/* the same without re-taking the locks: reported */
static int move_huge_pmd_unlocked(struct mm_struct *mm, pmd_t *src_pmd,
				  struct vm_area_struct *src_vma,
				  unsigned long src_addr)
{
	spinlock_t *src_ptl;
	pmd_t src_pmdval;

	src_ptl = pmd_lockptr(mm, src_pmd);
	spin_unlock(src_ptl);
	flush_cache_range(src_vma, src_addr, src_addr + HPAGE_PMD_SIZE);
	src_pmdval = pmdp_huge_clear_flush(src_vma, src_addr, src_pmd); /* mmlock-warn: pmd-lock "pmd.* (without holding its pmd lock|changed after its pmd lock was released)" */
	return pmd_none(src_pmdval);
}
