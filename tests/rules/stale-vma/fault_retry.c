/*
 * stale-vma after a fault call that may drop mmap_lock: the vma used in
 * the VM_FAULT_RETRY branch, before the result is looked at (the shape of
 * do_fault() before commit fc8efd2ddfed), and the correct forms: retry
 * from a fresh lookup, or keep what is needed before the call.
 */
#include "../include/kernel.h"
struct pt_regs;
#define VM_FAULT_COMPLETED 0x4000
#define FAULT_FLAG_TRIED 0x20
vm_fault_t do_read_fault(struct vm_fault *vmf);
vm_fault_t do_shared_fault(struct vm_fault *vmf);
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs);
void count_vm_vma_lock_event(unsigned long flags);
bool fault_signal_pending(vm_fault_t fault, struct pt_regs *regs);
static vm_fault_t do_fault_prefix(struct vm_fault *vmf) /* mmlock-unanalysed: do_read_fault() and do_shared_fault() are only declared here: nothing the rules name, so the plugin skips it (and misses the bug: see below) */
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret;

	if (!(vmf->flags & FAULT_FLAG_WRITE))
		ret = do_read_fault(vmf);
	else
		ret = do_shared_fault(vmf);

	/* preallocated pagetable is unused: free it */
	if (vmf->prealloc_pte) {
		pte_free(vma->vm_mm, vmf->prealloc_pte); /* mmlock-warn[cocci]: stale-vma "'vma' used after do_read_fault\(\) may have dropped mmap_lock" -- the plugin learns that do_read_fault() may drop mmap_lock from its body (mm/memory.c, through __do_fault()), here only declared */
		vmf->prealloc_pte = NULL;
	}
	return ret;
}

static vm_fault_t do_fault_fixed(struct vm_fault *vmf) /* mmlock-unanalysed: do_read_fault() and do_shared_fault() are only declared here: nothing the rules name */
{
	struct vm_area_struct *vma = vmf->vma;
	struct mm_struct *vm_mm = vma->vm_mm;
	vm_fault_t ret;

	if (!(vmf->flags & FAULT_FLAG_WRITE))
		ret = do_read_fault(vmf);
	else
		ret = do_shared_fault(vmf);

	if (vmf->prealloc_pte) {
		pte_free(vm_mm, vmf->prealloc_pte);
		vmf->prealloc_pte = NULL;
	}
	return ret;
}

static int retry_branch_use(struct mm_struct *mm, unsigned long address,
			    unsigned int flags)
{
	struct vm_area_struct *vma;
	vm_fault_t fault;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, address);
	if (!vma) {
		mmap_read_unlock(mm);
		return -EFAULT;
	}
	fault = handle_mm_fault(vma, address, flags, NULL); /* mmlock-note: "(mmap_lock was dropped|handle_mm_fault\(\) may drop mmap_lock) here" */
	if (fault & VM_FAULT_RETRY) {
		count_vm_vma_lock_event(vma->vm_flags); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after handle_mm_fault\(\) may have dropped mmap_lock)" */
		return -EAGAIN;
	}
	mmap_read_unlock(mm);
	return 0;
}

/* The arch fault handler shape: retry from the top, with a fresh lookup. */
static void arch_fault(struct mm_struct *mm, unsigned long address,
		       unsigned int flags, struct pt_regs *regs)
{
	struct vm_area_struct *vma;
	vm_fault_t fault;

retry:
	mmap_read_lock(mm);
	vma = find_vma(mm, address);
	if (!vma || vma->vm_start > address) {
		mmap_read_unlock(mm);
		return;
	}
	fault = handle_mm_fault(vma, address, flags, regs);
	if (fault_signal_pending(fault, regs))
		return;
	if (fault & VM_FAULT_COMPLETED)
		return;
	if (unlikely(fault & VM_FAULT_RETRY)) {
		flags |= FAULT_FLAG_TRIED;
		goto retry;
	}
	mmap_read_unlock(mm);
}
