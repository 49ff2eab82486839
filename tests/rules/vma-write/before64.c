/*
 * vma-write before per-VMA locks (6.1 and older): no vma lock to take,
 * mmap_lock for write is the whole rule, and this script stays out.  The
 * file uses none of the per-VMA lock API, so nothing here is reported
 * (mmlock cocci turns the rule on for a 6.5+ tree regardless, -D newpte).
 */
#include "../include/kernel.h"
static int replace_policy(struct vm_area_struct *vma, struct mempolicy *new) /* mmlock-unanalysed: the unit never calls the vma write lock (6.1), so vma-write is off (rules: if-calls=vma-write) and nothing else here is the rules' */
{
	struct mempolicy *old = vma->vm_policy;

	vma->vm_policy = new; /* protected by mmap_lock */
	mpol_put(old);
	return 0;
}

int mlock_fixup_like(struct mm_struct *mm, unsigned long addr, unsigned long newflags)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	vma->vm_flags = newflags;
	return replace_policy(vma, NULL);
}
