/*
 * pmd-lock: pmds change under the pmd lock, or under every high-level lock
 * for write (6.1 collapse_and_free_pmd(), which asserts them).
 */
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
	set_pmd_at(mm, addr, pmd, entry); /* mmlock-warn: pmd-lock */
}

static void collapse_under_read(struct mm_struct *mm,
				struct vm_area_struct *vma,
				unsigned long addr, pmd_t *pmd)
{
	pmd_t old;

	mmap_read_lock(mm);
	old = pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn: pmd-lock, rmap-lock-retract */
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
