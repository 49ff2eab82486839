/*
 * Issue 14 shapes 6 and 8.  6: a loop that re-takes mmap_lock after
 * VM_FAULT_RETRY and carries on with the vma it had: stale-vma at the use
 * in the next iteration.  8: a pmd changed after the rmap locks were
 * released, with only mmap_lock for write: pmd-lock (the one documented
 * alternative to the pmd lock is every high-level lock held for write).
 */
#include "../include/kernel.h"

typedef unsigned int vm_fault_t;
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, void *regs);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
void pmd_clear(pmd_t *pmd);
void anon_vma_unlock_write(struct anon_vma *a);

int bad_retry_loop(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, start);
	if (!vma) {
		mmap_read_unlock(mm);
		return -1;
	}
	for (unsigned long a = start; a < end; a += 4096) {
		vm_fault_t ret = handle_mm_fault(vma, a, 0x4, 0); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was possibly dropped" -- Coccinelle does not follow a vma around a loop back to the fault call (nor a result assigned in a declaration's initializer) */

		if (ret & 0x400) {
			mmap_read_lock(mm);
			continue;
		}
	}
	mmap_read_unlock(mm);
	return 0;
}

int good_retry_loop(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	for (unsigned long a = start; a < end; a += 4096) {
		vma = find_vma(mm, a);
		if (!vma || vma->vm_start > a)
			break;
		if (handle_mm_fault(vma, a, 0x4, 0) & 0x400)
			mmap_read_lock(mm);
	}
	mmap_read_unlock(mm);
	return 0;
}

void bad_pmd_after_rmap_release(struct mm_struct *mm, struct vm_area_struct *vma, pmd_t *pmd)
{
	mmap_write_lock(mm);
	anon_vma_lock_write(vma->anon_vma);
	anon_vma_unlock_write(vma->anon_vma);
	pmd_clear(pmd); /* mmlock-warn[plugin]: pmd-lock "pmd_clear\(\) changes a pmd entry without holding its pmd lock" -- Coccinelle takes mmap_lock for write as the documented alternative to the pmd lock, and does not ask that the rmap locks are still held */
	mmap_write_unlock(mm);
}

void good_pmd_under_rmap(struct mm_struct *mm, struct vm_area_struct *vma, pmd_t *pmd)
{
	mmap_write_lock(mm);
	anon_vma_lock_write(vma->anon_vma);
	pmd_clear(pmd);
	anon_vma_unlock_write(vma->anon_vma);
	mmap_write_unlock(mm);
}
