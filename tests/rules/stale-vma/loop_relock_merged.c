/*
 * mmlock-args: max-states=1
 *
 * A vma parameter through a loop that lets mmap_lock go on one arm and
 * says so in a flag; the next turn takes the lock again and revalidates
 * the vma through its out-parameter before any use (madvise_collapse(),
 * mm/khugepaged.c, 6.1 and 6.12).  With one path kept per block (as in a
 * function with many paths) the loop head merges the first turn, where
 * the vma is the caller's and fresh, with a turn that dropped the lock,
 * where the revalidated vma went stale: a merge must not make a fresh
 * value stale, so the correct loop stays silent.  (Before this rule a
 * stale vma from one path was taken over by a path that had not learned
 * it: madvise_collapse() warned at its vma_is_anonymous().)  The loop
 * without the revalidation, at the default paths per block:
 * loop_relock_flag.c.
 */
#include "../include/kernel.h"

int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, bool expect_anon,
			    struct vm_area_struct **vmap, void *cc);
long scan_file(struct mm_struct *mm, unsigned long addr);
long scan_anon(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr);
int is_anon(struct vm_area_struct *vma);

int collapse_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	bool mmap_locked = true;
	unsigned long addr;
	int done = 0;

	for (addr = start; addr < end; addr += 4096) {
		if (!mmap_locked) {
			mmap_read_lock(mm);
			mmap_locked = true;
			if (hugepage_vma_revalidate(mm, addr, false, &vma, NULL))
				goto out_nolock;
		}
		mmap_assert_locked(mm);
		if (!is_anon(vma)) {
			mmap_read_unlock(mm);
			mmap_locked = false;
			done += scan_file(mm, addr);
		} else {
			done += scan_anon(mm, vma, addr);
		}
	}
	/* the caller expects its lock held on return */
	if (!mmap_locked)
		mmap_read_lock(mm);
	return done;
out_nolock:
	return done;	/* the caller learns it went */
}
