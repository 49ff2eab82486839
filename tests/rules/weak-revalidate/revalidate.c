/*
 * weak-revalidate: after mmap_lock is dropped and re-taken, a vma found
 * again must have its range (and, for a foreign mm, the mm and the vma's
 * suitability) checked before use.  Andrea Arcangeli's recipe (seed 004)
 * and 6.1's hugepage_vma_revalidate() are the correct forms.
 */
#include "../include/kernel.h"
void do_slow_thing(void);
void touch_vma(struct vm_area_struct *vma);
void allocate_huge_page(void);
bool khugepaged_test_exit(struct mm_struct *mm);
bool hugepage_vma_check(struct vm_area_struct *vma);
void collapse(struct vm_area_struct *vma, unsigned long address);
int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, bool expect_anon,
			    struct vm_area_struct **vmap, struct collapse_control *cc);
static int relookup_null_only(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma)
		goto out;
	mmap_read_unlock(mm); /* mmlock-note[plugin]: "after mmap_lock was dropped here" */
	do_slow_thing();
	mmap_read_lock(mm);
	vma = find_vma(mm, addr); /* mmlock-warn[cocci]: weak-revalidate "'vma' looked up again with find_vma\(\) after mmap_lock was re-taken, and used without checking its range" -- the plugin reports it at the use, line 30 */ /* mmlock-note[plugin]: "looked up here" */
	if (!vma)
		goto out;
	touch_vma(vma); /* mmlock-warn[plugin]: weak-revalidate "passes on a vma looked up again after mmap_lock was dropped, without re-checking its range" -- Coccinelle reports it at the lookup, line 27 */
out:
	mmap_read_unlock(mm);
	return 0;
}

/* Andrea Arcangeli's revalidation, as collapse_huge_page() did it. */
static int relookup_full(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;
	unsigned long hstart, hend;
	int result = SCAN_SUCCEED;

	mmap_read_unlock(mm);
	allocate_huge_page();
	mmap_write_lock(mm);
	if (unlikely(khugepaged_test_exit(mm))) {
		result = SCAN_ANY_PROCESS;
		goto out;
	}
	vma = find_vma(mm, address);
	if (!vma) {
		result = SCAN_VMA_NULL;
		goto out;
	}
	hstart = (vma->vm_start + ~HPAGE_PMD_MASK) & HPAGE_PMD_MASK;
	hend = vma->vm_end & HPAGE_PMD_MASK;
	if (address < hstart || address + HPAGE_PMD_SIZE > hend) {
		result = SCAN_ADDRESS_RANGE;
		goto out;
	}
	if (!hugepage_vma_check(vma)) {
		result = SCAN_VMA_CHECK;
		goto out;
	}
	collapse(vma, address);
out:
	mmap_write_unlock(mm);
	return result;
}

/* The range checked, but the foreign mm may be exiting. */
static int relookup_no_exit_check(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma;

	mmap_read_unlock(mm);
	allocate_huge_page();
	mmap_write_lock(mm);
	vma = find_vma(mm, address); /* mmlock-warn[cocci]: weak-revalidate "'vma' looked up again after mmap_lock was re-taken, without re-checking that the mm is not exiting" -- the plugin checks the range of a vma found again, not the exit test of a foreign mm */
	if (!vma || address < vma->vm_start)
		goto out;
	if (!hugepage_vma_check(vma))
		goto out;
	collapse(vma, address);
out:
	mmap_write_unlock(mm);
	return 0;
}

/* 6.1: the helper does it all. */
static int relookup_helper(struct mm_struct *mm, unsigned long address,
			   struct collapse_control *cc)
{
	struct vm_area_struct *vma;
	int result;

	mmap_read_unlock(mm);
	allocate_huge_page();
	mmap_write_lock(mm);
	result = hugepage_vma_revalidate(mm, address, true, &vma, cc);
	if (result != SCAN_SUCCEED)
		goto out;
	collapse(vma, address);
out:
	mmap_write_unlock(mm);
	return result;
}
