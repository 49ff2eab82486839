/*
 * recheck-after-relock, first instance: vma->anon_vma tested before
 * mmap_lock was taken for write, and a page table then retracted with no
 * second look (retract_page_tables() before commit 023f47a8250c,
 * CVE-2023-52935).  The fixed form tests it again under the write lock.
 */
#include "../include/kernel.h"
bool hpage_collapse_test_exit(struct mm_struct *mm);
static void retract_prefix(struct address_space *mapping, pgoff_t pgoff)
{
	struct vm_area_struct *vma;

	i_mmap_lock_write(mapping);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, pgoff, pgoff) {
		struct mm_struct *mm;
		unsigned long addr;
		pmd_t *pmd;

		if (READ_ONCE(vma->anon_vma))
			continue;
		addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		mm = vma->vm_mm;
		if (find_pmd_or_thp_or_none(mm, addr, &pmd) != SCAN_SUCCEED)
			continue;
		if (mmap_write_trylock(mm)) { /* mmlock-note[cocci]: "mmap_lock taken for write here" */
			if (!hpage_collapse_test_exit(mm) && !userfaultfd_wp(vma))
				collapse_and_free_pmd(mm, vma, addr, pmd); /* mmlock-warn[cocci]: recheck-after-relock "page table retracted on the strength of a 'vma->anon_vma' check made before mmap_lock was taken for write" -- the plugin's recheck-after-relock is the general form (the second scan's pte reads, recheck in rules/mm.rules), and does not see these two documented instances in this shape */
			mmap_write_unlock(mm);
		}
	}
	i_mmap_unlock_write(mapping);
}

static void retract_fixed(struct address_space *mapping, pgoff_t pgoff)
{
	struct vm_area_struct *vma;

	i_mmap_lock_write(mapping);
	vma_interval_tree_foreach(vma, &mapping->i_mmap, pgoff, pgoff) {
		struct mm_struct *mm;
		unsigned long addr;
		pmd_t *pmd;

		if (READ_ONCE(vma->anon_vma))
			continue;
		addr = vma->vm_start + ((pgoff - vma->vm_pgoff) << PAGE_SHIFT);
		mm = vma->vm_mm;
		if (find_pmd_or_thp_or_none(mm, addr, &pmd) != SCAN_SUCCEED)
			continue;
		if (mmap_write_trylock(mm)) {
			/*
			 * Re-check whether we have an ->anon_vma, because
			 * collapse_and_free_pmd() requires that either no
			 * ->anon_vma exists or the anon_vma is locked.
			 */
			if (vma->anon_vma)
				goto unlock_next;
			if (!hpage_collapse_test_exit(mm) && !userfaultfd_wp(vma))
				collapse_and_free_pmd(mm, vma, addr, pmd);
unlock_next:
			mmap_write_unlock(mm);
		}
	}
	i_mmap_unlock_write(mapping);
}
