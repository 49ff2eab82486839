/* rmap-lock-retract: clearing a pmd that maps a page table excludes rmap walkers. */
#include "../include/kernel.h"

int pte_mapped(pmd_t *pmd);
_Bool userfaultfd_wp(struct vm_area_struct *vma);
void put_table(pmd_t v);

/* 6.1's collapse_and_free_pmd: asserts mmap_lock; the rest is its callers' */
static void collapse_and_free(struct mm_struct *mm, struct vm_area_struct *vma,
			      unsigned long addr, pmd_t *pmdp)
{
	pmd_t pmd;

	mmap_assert_write_locked(mm);
	pmd = pmdp_collapse_flush(vma, addr, pmdp); /* mmlock-note[plugin]: "the retraction in the callee" */
	put_table(pmd);
}

/* seed 003, Hugh Dickins' fix: silent */
void seed003_fixed(struct mm_struct *mm, struct vm_area_struct *vma,
		   unsigned long haddr, pmd_t *pmd)
{
	mmap_write_lock(mm);
	i_mmap_lock_write(vma->vm_file->f_mapping);
	if (vma->anon_vma)
		anon_vma_lock_write(vma->anon_vma);
	collapse_and_free(mm, vma, haddr, pmd);
	if (vma->anon_vma)
		anon_vma_unlock_write(vma->anon_vma);
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	mmap_write_unlock(mm);
}

/* the code before it: no anon_vma lock */
void seed003_before(struct mm_struct *mm, struct vm_area_struct *vma,
		    unsigned long haddr, pmd_t *pmd)
{
	mmap_write_lock(mm);
	i_mmap_lock_write(vma->vm_file->f_mapping);
	collapse_and_free(mm, vma, haddr, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "call to collapse_and_free\(\) retracts a page table \(pmdp_collapse_flush\) without the anon_vma lock" -- Coccinelle does not follow a change made in a callee (the caller's locks are unknown to it) */
	i_mmap_unlock_write(vma->vm_file->f_mapping);
	mmap_write_unlock(mm);
}

/* CVE-2023-52935: ->anon_vma checked before mmap_write_trylock only */
void anon_vma_race(struct mm_struct *mm, struct vm_area_struct *vma,
		   struct address_space *mapping, unsigned long addr, pmd_t *pmd)
{
	i_mmap_lock_write(mapping);
	if (vma->anon_vma)
		goto out;
	if (mmap_write_trylock(mm)) {
		collapse_and_free(mm, vma, addr, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "call to collapse_and_free\(\) retracts a page table \(pmdp_collapse_flush\) without the anon_vma lock" -- Coccinelle does not follow a change made in a callee (the caller's locks are unknown to it); its recheck-after-relock matches retract_page_tables()'s shape (collapse_and_free_pmd() in a vma_interval_tree_foreach()) */
		mmap_write_unlock(mm);
	}
out:
	i_mmap_unlock_write(mapping);
}

/* 023f47a8250c: re-checked under the mmap_lock for write */
void anon_vma_race_fixed(struct mm_struct *mm, struct vm_area_struct *vma,
			 struct address_space *mapping, unsigned long addr, pmd_t *pmd)
{
	i_mmap_lock_write(mapping);
	if (vma->anon_vma)
		goto out;
	if (mmap_write_trylock(mm)) {
		if (vma->anon_vma)
			goto unlock;
		collapse_and_free(mm, vma, addr, pmd);
unlock:
		mmap_write_unlock(mm);
	}
out:
	i_mmap_unlock_write(mapping);
}

/* a file vma retracted without the i_mmap lock */
void file_without_i_mmap(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr, pmd_t *pmd)
{
	if (!vma->vm_file)
		return;
	mmap_write_lock(mm);
	if (vma->anon_vma)
		goto unlock;
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: pmd-lock "pmdp_collapse_flush\(\) changes a pmd entry without holding its pmd lock" -- Coccinelle takes mmap_lock for write as the documented alternative to the pmd lock without asking for the rmap locks too */ /* mmlock-warn: rmap-lock-retract "page table .*without the i_mmap lock" */
unlock:
	mmap_write_unlock(mm);
}

/* an anonymous collapse (collapse_huge_page) without the anon_vma lock */
void anon_collapse_unlocked(struct mm_struct *mm, struct vm_area_struct *vma,
			    unsigned long addr, pmd_t *pmd)
{
	mmap_write_lock(mm);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: pmd-lock "pmdp_collapse_flush\(\) changes a pmd entry without holding its pmd lock" -- Coccinelle takes mmap_lock for write as the documented alternative to the pmd lock without asking for the rmap locks too */ /* mmlock-warn: rmap-lock-retract "page table .*without the anon_vma lock" */
	mmap_write_unlock(mm);
}

void anon_collapse_locked(struct mm_struct *mm, struct vm_area_struct *vma,
			  unsigned long addr, pmd_t *pmd)
{
	mmap_write_lock(mm);
	anon_vma_lock_write(vma->anon_vma);
	pmdp_collapse_flush(vma, addr, pmd);
	anon_vma_unlock_write(vma->anon_vma);
	mmap_write_unlock(mm);
}

/* retraction under mmap_lock held only for read */
void retract_read_locked(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr, pmd_t *pmd)
{
	mmap_read_lock(mm); /* mmlock-note: "mmap_lock taken for read here" */
	anon_vma_lock_write(vma->anon_vma);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn: pmd-lock "pmd.* without .*pmd lock" */ /* mmlock-warn: rmap-lock-retract "page table .*mmap_lock .*held.* for read" */
	anon_vma_unlock_write(vma->anon_vma);
	mmap_read_unlock(mm);
}

void i_mmap_lock_read(struct address_space *m);
void i_mmap_unlock_read(struct address_space *m);

/* 6.6's retract_page_tables: i_mmap for read, pmd and pte locks, re-check */
void retract_66(struct mm_struct *mm, struct vm_area_struct *vma,
		struct address_space *mapping, unsigned long addr, pmd_t *pmd)
{
	spinlock_t *pml, *ptl;

	i_mmap_lock_read(mapping);
	if (vma->anon_vma)
		goto out;
	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	if (vma->anon_vma || userfaultfd_wp(vma))
		goto unlock;
	pmdp_collapse_flush(vma, addr, pmd);
unlock:
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
out:
	i_mmap_unlock_read(mapping);
}

/* the same without the re-check under the pte lock */
void retract_66_no_recheck(struct mm_struct *mm, struct vm_area_struct *vma,
			   struct address_space *mapping, unsigned long addr, pmd_t *pmd)
{
	spinlock_t *pml, *ptl;

	i_mmap_lock_read(mapping);
	if (vma->anon_vma || userfaultfd_wp(vma))
		goto out;
	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "pmdp_collapse_flush\(\) retracts a page table without re-checking vma->anon_vma under the pte lock" -- Coccinelle does not look for the re-check of vma->anon_vma under the pte lock (6.6 retract_page_tables()) */
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
out:
	i_mmap_unlock_read(mapping);
}

struct vm_area_struct *next_mapping_vma(struct address_space *m, struct vm_area_struct *vma);

/* 6.6+ retract_page_tables walks every vma of the file: each iteration
   takes its own pmd and pte locks (one lock when ptl == pml) and re-checks
   its own vma under them; what the last iteration learned is not this one's */
void retract_66_loop(struct mm_struct *mm, struct address_space *mapping,
		     unsigned long addr, pmd_t *pmd)
{
	struct vm_area_struct *vma;

	i_mmap_lock_read(mapping);
	for (vma = next_mapping_vma(mapping, 0); vma; vma = next_mapping_vma(mapping, vma)) {
		spinlock_t *pml, *ptl;

		if (vma->anon_vma)
			continue;
		pml = pmd_lock(mm, pmd);
		ptl = pte_lockptr(mm, pmd);
		if (ptl != pml)
			spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
		if (!(vma->anon_vma || userfaultfd_wp(vma)))
			pmdp_collapse_flush(vma, addr, pmd);
		if (ptl != pml)
			spin_unlock(ptl);
		spin_unlock(pml);
	}
	i_mmap_unlock_read(mapping);
}

/* the re-check made for the first vma only: the next ones are not checked */
void retract_66_loop_first_only(struct mm_struct *mm, struct address_space *mapping,
				unsigned long addr, pmd_t *pmd)
{
	struct vm_area_struct *vma;
	int checked = 0;

	i_mmap_lock_read(mapping);
	for (vma = next_mapping_vma(mapping, 0); vma; vma = next_mapping_vma(mapping, vma)) {
		spinlock_t *pml, *ptl;

		pml = pmd_lock(mm, pmd);
		ptl = pte_lockptr(mm, pmd);
		if (ptl != pml)
			spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
		if (!checked && (vma->anon_vma || userfaultfd_wp(vma)))
			goto unlock;
		checked = 1;
		pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "pmdp_collapse_flush\(\) retracts a page table without re-checking vma->anon_vma under the pte lock" -- Coccinelle does not look for the re-check of vma->anon_vma under the pte lock (6.6 retract_page_tables()) */
unlock:
		if (ptl != pml)
			spin_unlock(ptl);
		spin_unlock(pml);
	}
	i_mmap_unlock_read(mapping);
}

/* 6.6+ collapse_pte_mapped_thp (1043173eb5eb): mmap_lock for read, the
   uffd-wp vma skipped, the table's ptes cleared under the pte lock nested
   in the pmd lock, then the pmd cleared under both */
int collapse_66(struct mm_struct *mm, struct vm_area_struct *vma,
		unsigned long addr, pmd_t *pmd)
{
	spinlock_t *pml, *ptl;

	mmap_read_lock(mm);
	if (userfaultfd_wp(vma)) {
		mmap_read_unlock(mm);
		return -1;
	}
	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[cocci]: rmap-lock-retract "page table retracted without the anon_vma lock while 'vma' may have an anon_vma" -- Coccinelle asks, as 1043173eb5eb does, that every pte was cleared under the pte lock before a retraction under mmap_lock for read; this cut-down case leaves the clearing out (its comment says it is done), and the plugin does not ask for it */
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
	mmap_read_unlock(mm);
	return 0;
}

/* the same without the uffd-wp check: its pte markers would be lost */
int collapse_66_uffd(struct mm_struct *mm, struct vm_area_struct *vma,
		     unsigned long addr, pmd_t *pmd)
{
	spinlock_t *pml, *ptl;

	mmap_read_lock(mm);
	pml = pmd_lock(mm, pmd);
	ptl = pte_lockptr(mm, pmd);
	if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "pmdp_collapse_flush\(\) retracts a page table without checking userfaultfd_wp\(vma\) first" -- Coccinelle does not ask for the userfaultfd_wp() test */ /* mmlock-warn[cocci]: rmap-lock-retract "page table retracted without the anon_vma lock while 'vma' may have an anon_vma" -- Coccinelle asks, as 1043173eb5eb does, that every pte was cleared under the pte lock before a retraction under mmap_lock for read; this cut-down case leaves the clearing out (its comment says it is done), and the plugin does not ask for it */
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
	mmap_read_unlock(mm);
	return 0;
}

/* ... and under the pmd lock alone: rmap walkers take the pte lock */
int collapse_66_pmd_only(struct mm_struct *mm, struct vm_area_struct *vma,
			 unsigned long addr, pmd_t *pmd)
{
	spinlock_t *pml;

	mmap_read_lock(mm);
	if (userfaultfd_wp(vma)) {
		mmap_read_unlock(mm);
		return -1;
	}
	pml = pmd_lock(mm, pmd);
	pmdp_collapse_flush(vma, addr, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "pmdp_collapse_flush\(\) retracts a page table without mmap_lock for write \(it is held for read\), or the pmd and pte locks" -- Coccinelle reports this retraction for the ptes not cleared first (below), not for the missing pte lock */ /* mmlock-warn[cocci]: rmap-lock-retract "page table retracted without the anon_vma lock while 'vma' may have an anon_vma" -- Coccinelle asks, as 1043173eb5eb does, that every pte was cleared under the pte lock before a retraction under mmap_lock for read; this cut-down case leaves the clearing out (its comment says it is done), and the plugin does not ask for it */
	spin_unlock(pml);
	mmap_read_unlock(mm);
	return 0;
}
