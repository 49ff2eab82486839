/* stale-vma after a function that drops mmap_lock unless it returns one
 * value: __collapse_huge_page_swapin "will return with mmap_lock released
 * when it fails" (anything but SCAN_SUCCEED), learned from its body. */
#include "../include/kernel.h"

unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			     unsigned int flags, void *regs);
void use_vma(struct vm_area_struct *vma);

#define SCAN_PAGE_LOCK 3

static int swapin(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	int result = SCAN_SUCCEED;
	unsigned int ret = handle_mm_fault(vma, addr, 0x4 | 0x10, 0);

	if (ret & (0x400 | 0x4000))
		return SCAN_PAGE_LOCK;	/* dropped by the fault */
	if (ret & 0x1) {
		mmap_read_unlock(mm);
		result = SCAN_FAIL;
		goto out;
	}
out:
	return result;
}

int collapse_ok(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	int result = swapin(mm, vma, addr);

	if (result != SCAN_SUCCEED)
		return result;	/* mmap_lock is gone: do not touch vma */
	use_vma(vma);
	return 0;
}

int collapse_bad(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	int result = swapin(mm, vma, addr);

	if (result == SCAN_PAGE_LOCK)
		use_vma(vma); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was dropped" -- Coccinelle does not follow a function of the same file that drops mmap_lock on some of its paths (the plugin's summary of swapin()) */
	return result;
}
