/*
 * rmap-lock-retract: the other documented forms.  6.1's anonymous
 * collapse_huge_page() (anon_vma lock for write, mmap_lock for write); a
 * file vma's table retracted without the i_mmap lock, or with it only for
 * read and no pmd lock; 6.6's retract_page_tables() (i_mmap lock for read
 * plus the pmd lock, anon_vma re-checked under the pte lock); mremap's
 * move_pgt_entry() with its conditional rmap locks.
 */
#include "../include/kernel.h"
int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, bool expect_anon,
			    struct vm_area_struct **vmap, struct collapse_control *cc);
void skip(struct vm_area_struct *vma);
bool move_normal_pmd(struct vm_area_struct *vma, unsigned long old_addr,
		     unsigned long new_addr, pmd_t *old_pmd, pmd_t *new_pmd);
static int collapse_anon(struct mm_struct *mm, unsigned long address,
			 struct collapse_control *cc)
{
	struct vm_area_struct *vma;
	spinlock_t *pmd_ptl;
	pmd_t *pmd, _pmd;
	int result;

	mmap_write_lock(mm);
	result = hugepage_vma_revalidate(mm, address, true, &vma, cc);
	if (result != SCAN_SUCCEED)
		goto out_up_write;
	result = find_pmd_or_thp_or_none(mm, address, &pmd);
	if (result != SCAN_SUCCEED)
		goto out_up_write;
	anon_vma_lock_write(vma->anon_vma);
	pmd_ptl = pmd_lock(mm, pmd);
	_pmd = pmdp_collapse_flush(vma, address, pmd);
	spin_unlock(pmd_ptl);
	anon_vma_unlock_write(vma->anon_vma);
out_up_write:
	mmap_write_unlock(mm);
	return result;
}

static void file_no_immap(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long addr, pmd_t *pmd)
{
	mmap_assert_write_locked(mm);
	if (!vma->vm_file || vma->anon_vma)
		return;
	collapse_and_free_pmd(mm, vma, addr, pmd); /* mmlock-warn[cocci]: rmap-lock-retract "page table of a file vma retracted without the i_mmap lock" -- the plugin sees the retraction in collapse_and_free_pmd()'s body (mm/khugepaged.c), here only declared */
}

static void file_immap_read(struct address_space *mapping,
			    struct vm_area_struct *vma, unsigned long addr,
			    pmd_t *pmd)
{
	pmd_t old;

	i_mmap_lock_read(mapping); /* mmlock-note[cocci]: "i_mmap lock taken for read here" */
	if (!vma->anon_vma)
		old = pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: pmd-lock "pmdp_collapse_flush\(\) changes a pmd entry without holding its pmd lock" -- true: no pmd lock and no mmap_lock for write here; Coccinelle's pmd-lock judges a pmd changed after its lock was released or under mmap_lock for read, and leaves a function with no lock of its own to the plugin (cocci/README) */ /* mmlock-warn: rmap-lock-retract "page table .*(without mmap_lock for write|with the i_mmap lock held only for read and no pmd lock)" */
	i_mmap_unlock_read(mapping);
}

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

static void take_rmap_locks(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		i_mmap_lock_write(vma->vm_file->f_mapping);
	if (vma->anon_vma)
		anon_vma_lock_write(vma->anon_vma);
}

static void drop_rmap_locks(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		anon_vma_unlock_write(vma->anon_vma);
	if (vma->vm_file)
		i_mmap_unlock_write(vma->vm_file->f_mapping);
}

static bool move_pgt_entry(struct vm_area_struct *vma, unsigned long old_addr,
			   unsigned long new_addr, pmd_t *old_pmd,
			   pmd_t *new_pmd, bool need_rmap_locks)
{
	bool moved;

	/* See comment in move_ptes() */
	if (need_rmap_locks)
		take_rmap_locks(vma);
	moved = move_normal_pmd(vma, old_addr, new_addr, old_pmd, new_pmd);
	if (need_rmap_locks)
		drop_rmap_locks(vma);
	return moved;
}
