/*
 * lock-order: mmap_lock -> i_mmap -> anon_vma -> pmd lock -> pte lock; no
 * sleeping lock under a spinlock; a pte lock nested in a pmd lock only
 * with spin_lock_nested() under "if (ptl != pml)" (6.6's
 * retract_page_tables()); trylocks never wait (6.1's retract_page_tables()
 * takes mmap_write_trylock() under the i_mmap lock on purpose).
 */
#include "../include/kernel.h"
void do_retract(struct mm_struct *mm);
void skip(struct vm_area_struct *vma);
void move_one(struct mm_struct *mm, pte_t *old_pte, pte_t *new_pte);
static void pmd_under_pte(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order "pmd lock.* while .*pte lock" */
	spin_unlock(pml);
	pte_unmap_unlock(pte, ptl);
}

static void sleep_under_pmd(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *pml;

	pml = pmd_lock(mm, pmd);
	mmap_read_lock(mm); /* mmlock-warn: lock-order "while .*pmd lock.*spinlock" */
	mmap_read_unlock(mm);
	spin_unlock(pml);
}

static void nested_plain(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl, *pml;

	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	spin_lock(ptl); /* mmlock-warn: lock-order "pte lock.*pmd lock.*spin_lock_nested\(\)" */
	spin_unlock(ptl);
	spin_unlock(pml);
}

static void immap_then_mmap(struct address_space *mapping, struct mm_struct *mm)
{
	i_mmap_lock_write(mapping); /* mmlock-note: "(the lock held was|i_mmap lock) taken here" */
	mmap_write_lock(mm); /* mmlock-warn: lock-order "mmap_lock.* while .*i_mmap lock" */
	mmap_write_unlock(mm);
	i_mmap_unlock_write(mapping);
}

static void anon_then_immap(struct vm_area_struct *vma)
{
	anon_vma_lock_write(vma->anon_vma);
	i_mmap_lock_write(vma->vm_file->f_mapping); /* mmlock-warn: lock-order "while .*anon_vma lock" */
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	anon_vma_unlock_write(vma->anon_vma);
}

/* 6.1 retract_page_tables(): i_mmap, then mmap_lock by trylock. */
static void immap_then_trylock(struct address_space *mapping,
			       struct mm_struct *mm)
{
	i_mmap_lock_write(mapping);
	if (mmap_write_trylock(mm)) {
		do_retract(mm);
		mmap_write_unlock(mm);
	}
	i_mmap_unlock_write(mapping);
}

/* 6.6 retract_page_tables(): the pte lock nested and guarded. */
static void retract_66(struct address_space *mapping, pgoff_t pgoff)
{
	struct vm_area_struct *vma;

	i_mmap_lock_read(mapping);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, pgoff, pgoff) {
		struct mm_struct *mm = vma->vm_mm;
		unsigned long addr = vma_address(vma, pgoff);
		spinlock_t *pml, *ptl;
		pmd_t *pmd, pgt_pmd;

		if (READ_ONCE(vma->anon_vma))
			continue;
		if (find_pmd_or_thp_or_none(mm, addr, &pmd) != SCAN_SUCCEED)
			continue;
		pml = pmd_lock(mm, pmd);
		ptl = pte_lockptr(mm, pmd);
		if (ptl != pml)
			spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
		if (unlikely(vma->anon_vma || userfaultfd_wp(vma)))
			skip(vma);
		else
			pgt_pmd = pmdp_collapse_flush(vma, addr, pmd);
		if (ptl != pml)
			spin_unlock(ptl);
		spin_unlock(pml);
	}
	i_mmap_unlock_read(mapping);
}

/* mremap's move_ptes(): the second pte lock nested and guarded. */
static void move_ptes_like(struct mm_struct *mm, pmd_t *old_pmd,
			   unsigned long old_addr, pmd_t *new_pmd,
			   unsigned long new_addr)
{
	pte_t *old_pte, *new_pte;
	spinlock_t *old_ptl, *new_ptl;

	old_pte = pte_offset_map_lock(mm, old_pmd, old_addr, &old_ptl);
	new_pte = pte_offset_map(new_pmd, new_addr);
	new_ptl = pte_lockptr(mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	move_one(mm, old_pte, new_pte);
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	pte_unmap(new_pte);
	pte_unmap_unlock(old_pte, old_ptl);
}
