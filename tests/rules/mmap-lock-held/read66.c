/*
 * mmap-lock-held: from 6.6 collapse_pte_mapped_thp() asserts mmap_lock for
 * read only (1043173eb5eb); a definition in the same file says so, and its
 * callers under mmap_read_lock() are right.
 */
#include "../include/kernel612.h"
int retract(struct mm_struct *mm, unsigned long addr, bool install_pmd);
int scan_file(struct mm_struct *mm, unsigned long addr, struct file *file);
int collapse_pte_mapped_thp(struct mm_struct *mm, unsigned long addr,
			    bool install_pmd)
{
	mmap_assert_locked(mm);
	return retract(mm, addr, install_pmd);
}

static int scan_file_then_collapse(struct mm_struct *mm, unsigned long addr,
				   struct file *file)
{
	int result;

	mmap_read_unlock(mm);
	result = scan_file(mm, addr, file);
	if (result == SCAN_PTE_MAPPED_HUGEPAGE) {
		mmap_read_lock(mm);
		result = collapse_pte_mapped_thp(mm, addr, false);
		mmap_read_unlock(mm);
	}
	return result;
}

/* dropped and not taken again: still reported */
static int collapse_unlocked(struct mm_struct *mm, unsigned long addr)
{
	mmap_read_unlock(mm);
	return collapse_pte_mapped_thp(mm, addr, true); /* mmlock-warn: mmap-lock-held "collapse_pte_mapped_thp\(\).*needs mmap_lock" */
}
