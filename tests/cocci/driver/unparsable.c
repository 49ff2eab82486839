/*
 * A file spatch cannot parse in part: the second function is not C.
 * mmlock cocci must say so on stderr ("not analysed") and still report the
 * first function.
 */
static int fine(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT; /* mmlock-warn: lock-balance "return with mmap_lock still held" */
	mmap_read_unlock(mm);
	return 0;
}

static int broken(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	return ) mm +* ;
}
