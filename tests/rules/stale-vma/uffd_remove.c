/*
 * userfaultfd_remove() returns false when it dropped mmap_lock
 * (commit 70ccb92fdd90 added the revalidation to madvise_dontneed()).
 */
#include "../include/kernel.h"
bool userfaultfd_remove(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void zap_page_range(struct vm_area_struct *vma, unsigned long address, unsigned long size);
static long dontneed_prefix(struct vm_area_struct *vma,
			    struct vm_area_struct **prev,
			    unsigned long start, unsigned long end)
{
	*prev = vma;
	if (!userfaultfd_remove(vma, start, end)) { /* mmlock-note: "(mmap_lock was dropped here|userfaultfd_remove\(\) returned false: mmap_lock dropped)" */
		*prev = NULL;
		zap_page_range(vma, start, end - start); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after userfaultfd_remove\(\) dropped mmap_lock)" */
		return 0;
	}
	zap_page_range(vma, start, end - start);
	return 0;
}
