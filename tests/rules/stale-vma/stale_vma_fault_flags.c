/*
 * A fault whose retry flag was stored in the struct vm_fault (issue 14
 * shape 5; seed 004 patch 3/3, 6.1's __collapse_huge_page_swapin): the
 * fault may drop mmap_lock because of the flags the struct carries on
 * this path ("do_swap_page returns VM_FAULT_RETRY with released
 * mmap_sem"), not a flags argument.  After it, a re-lookup only compared
 * with the old pointer is weak-revalidate.
 */
#include "../include/kernel.h"

#define FAULT_FLAG_ALLOW_RETRY 0x4
#define VM_FAULT_RETRY 0x400
typedef unsigned int vm_fault_t;

struct swap_fault {
	struct vm_area_struct *vma;
	unsigned long address;
	unsigned int flags;
	pmd_t *pmd;
};
vm_fault_t do_swap_page(struct swap_fault *vmf);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
int use_vma(struct vm_area_struct *vma);

int bad_swapin_pointer_compare(struct mm_struct *mm, struct vm_area_struct *vma,
			       unsigned long address, pmd_t *pmd)
{
	struct vm_area_struct *vma_orig = vma;
	struct swap_fault vmf = {
		.vma = vma,
		.address = address,
		.flags = FAULT_FLAG_ALLOW_RETRY,
		.pmd = pmd,
	};
	vm_fault_t ret = do_swap_page(&vmf);

	if (ret & VM_FAULT_RETRY) {
		mmap_read_lock(mm);
		vma = find_vma(mm, address); /* mmlock-warn[cocci]: weak-revalidate "'vma' looked up again with find_vma\(\) after mmap_lock was re-taken, and used without checking its range" -- the plugin reports it at the use, line 42 */
		if (vma != vma_orig)
			return 0;
		return use_vma(vma); /* mmlock-warn[plugin]: weak-revalidate "passes on a vma looked up again after mmap_lock was dropped, without re-checking its range" -- Coccinelle reports it at the lookup, line 39 */
	}
	return 1;
}

/* the same fault without FAULT_FLAG_ALLOW_RETRY keeps mmap_lock */
int good_no_retry(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
		  pmd_t *pmd)
{
	struct swap_fault vmf = { .vma = vma, .address = address, .pmd = pmd };
	vm_fault_t ret = do_swap_page(&vmf);

	return (ret & VM_FAULT_RETRY) ? 0 : use_vma(vma);
}

/* ... and with it, the vma used after the retry: stale */
int bad_vma_after_retry(struct mm_struct *mm, struct vm_area_struct *vma,
			unsigned long address, pmd_t *pmd)
{
	struct swap_fault vmf = { .vma = vma, .flags = FAULT_FLAG_ALLOW_RETRY, .pmd = pmd };
	vm_fault_t ret = do_swap_page(&vmf);

	if (ret & VM_FAULT_RETRY) {
		mmap_read_lock(mm);
		return use_vma(vma); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was dropped" -- Coccinelle follows a fault call's result assigned in a statement, not in a declaration's initializer (vm_fault_t ret = do_swap_page(&vmf)) */
	}
	return 1;
}
