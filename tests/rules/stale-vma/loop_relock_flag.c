/*
 * A vma parameter through a loop that lets mmap_lock go on one arm and
 * says so in a flag (madvise_collapse()'s shape, mm/khugepaged.c), with
 * the next turn taking the lock again but not revalidating the vma: its
 * use at the top of the turn is stale.  The correct loop, and what a
 * merge of its paths must keep: loop_relock_merged.c.
 */
#include "../include/kernel.h"

int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, bool expect_anon,
			    struct vm_area_struct **vmap, void *cc);
long scan_file(struct mm_struct *mm, unsigned long addr);
long scan_anon(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr);
int is_anon(struct vm_area_struct *vma);

int collapse_range_no_revalidate(struct vm_area_struct *vma, unsigned long start,
				 unsigned long end)
{
	struct mm_struct *mm = vma->vm_mm;
	bool mmap_locked = true;
	unsigned long addr;
	int done = 0;

	for (addr = start; addr < end; addr += 4096) {
		if (!mmap_locked) {
			mmap_read_lock(mm);
			mmap_locked = true;
		}
		mmap_assert_locked(mm);
		if (!is_anon(vma)) { /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was dropped" -- the loop's flag and lock state are followed by the plugin only */
			mmap_read_unlock(mm);
			mmap_locked = false;
			done += scan_file(mm, addr);
		} else {
			done += scan_anon(mm, vma, addr);
		}
	}
	if (!mmap_locked)
		mmap_read_lock(mm);
	return done; /* mmlock-warn[plugin]: lock-balance "returns with the mmap_lock lock held on this path, released on another" -- a false positive of the plugin on this cut-down shape: every path returns with mmap_lock held (the caller's, or the one taken again after it was let go), but lock-balance counts the retaken one as this function's own (madvise_collapse() itself is silent in both kernels) */
}
