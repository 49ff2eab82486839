/*
 * Signature variants (issue 14 shape 9): 5.x's three-argument
 * hugepage_vma_revalidate(mm, address, &vma) revalidates as 6.1's five-
 * argument one does (rules "args=N"); a call with fewer arguments than a
 * rule names never reads past them.
 */
#include "../include/kernel.h"
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, struct vm_area_struct **vmap);
unsigned long use_vma(struct vm_area_struct *vma);
/* 5.x: three arguments */
unsigned long s9(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;
	unsigned long r = 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	if (hugepage_vma_revalidate(mm, address, &vma) == 0)
		r = use_vma(vma);
	mmap_write_unlock(mm);
	return r;
}

/* without the revalidation: stale */
unsigned long bad_no_revalidate(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;
	unsigned long r;

	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	r = use_vma(vma); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */
	mmap_write_unlock(mm);
	return r;
}
