/*
 * lock-order: mmap_lock -> i_mmap -> anon_vma -> pmd lock -> pte lock; no
 * sleeping lock under a spinlock; a pte lock nested in a pmd lock only
 * with spin_lock_nested() under "if (ptl != pml)" (6.6's
 * retract_page_tables()); trylocks never wait (6.1's retract_page_tables()
 * takes mmap_write_trylock() under the i_mmap lock on purpose).
 */
static void pmd_under_pte(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order */
	spin_unlock(pml);
	pte_unmap_unlock(pte, ptl);
}

static void sleep_under_pmd(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *pml;

	pml = pmd_lock(mm, pmd);
	mmap_read_lock(mm); /* mmlock-warn: lock-order */
	mmap_read_unlock(mm);
	spin_unlock(pml);
}

static void nested_plain(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl, *pml;

	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	spin_lock(ptl); /* mmlock-warn: lock-order */
	spin_unlock(ptl);
	spin_unlock(pml);
}

static void immap_then_mmap(struct address_space *mapping, struct mm_struct *mm)
{
	i_mmap_lock_write(mapping);
	mmap_write_lock(mm); /* mmlock-warn: lock-order */
	mmap_write_unlock(mm);
	i_mmap_unlock_write(mapping);
}

static void anon_then_immap(struct vm_area_struct *vma)
{
	anon_vma_lock_write(vma->anon_vma);
	i_mmap_lock_write(vma->vm_file->f_mapping); /* mmlock-warn: lock-order */
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
			     unsigned long vaddr)
{
	spinlock_t *ptl;
	pte_t *ptep;

	ptep = pte_offset_map_lock(mm, pmdp, vaddr, &ptl);
	clear_tests(ptep);
	if (ptep)
		pte_unmap_unlock(ptep, ptl);
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

/* 6.6+ collapse_pte_mapped_thp(): the pte lock taken when "!pml" */
static void cond_pte_lock(struct vm_area_struct *vma, struct mm_struct *mm,
			  pmd_t *pmd, unsigned long haddr)
{
	spinlock_t *pml = NULL, *ptl;
	pte_t *start_pte;

	if (userfaultfd_armed(vma))
		pml = pmd_lock(mm, pmd);
	start_pte = pte_offset_map_nolock(mm, pmd, haddr, &ptl);
	if (!start_pte)
		goto abort;
	if (!pml)
		spin_lock(ptl);
	else if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	clear_ptes(mm, start_pte);
	pte_unmap(start_pte);
	if (!pml)
		spin_unlock(ptl);
	if (!pml) {
		pml = pmd_lock(mm, pmd);
		if (ptl != pml)
			spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	}
	pmdp_collapse_flush(vma, haddr, pmd);
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
abort:
	return;
}

/* the 6.5+ forms with the order really broken: still reported */
static void pmd_after_null_test(struct mm_struct *mm, pmd_t *pmd,
				unsigned long addr)
{
	spinlock_t *ptl, *pml;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order */
	spin_unlock(pml);
	pte_unmap_unlock(pte, ptl);
}

static void sleep_after_null_test(struct vm_fault *vmf, struct mm_struct *mm)
{
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (unlikely(!vmf->pte || !pte_same(ptep_get(vmf->pte), vmf->orig_pte)))
		goto out;
	mmap_read_lock(mm); /* mmlock-warn: lock-order */
	mmap_read_unlock(mm);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
out:
	return;
}

static void second_map_after_null_test(struct mm_struct *mm, pmd_t *pmd,
				       pmd_t *pmd2, unsigned long addr)
{
	spinlock_t *ptl, *ptl2;
	pte_t *pte, *pte2;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return;
	pte2 = pte_offset_map_lock(mm, pmd2, addr, &ptl2); /* mmlock-warn: lock-order */
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
	spin_lock(pml); /* mmlock-warn: lock-order */
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
	pml = pmd_lock(mm, pmd); /* mmlock-warn: lock-order */
	spin_unlock(pml);
	spin_unlock(ptl);
}
