/* Nothing to report: mmlock cocci exits 0. */
static int clean(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int ret = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma)
		ret = -EFAULT;
	mmap_read_unlock(mm);
	return ret;
}
