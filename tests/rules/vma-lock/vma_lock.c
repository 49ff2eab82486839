/*
 * The per-VMA lock (6.4+; RULES.md "The per-VMA lock", rule vma-lock and
 * the extensions of lock-balance, lock-order and stale-vma to it).  The
 * correct shape is arch/x86/mm/fault.c do_user_addr_fault() in 6.12.
 * mmlock-engines: plugin -- vma-lock and the per-VMA lock are the plugin's
 * only (cocci/README): decided by the fault result's bits along a path.
 */
#include "../include/kernel612.h"

#define VM_FAULT_COMPLETED 0x4000
#define VM_FAULT_MAJOR 0x004
#define FAULT_FLAG_TRIED 0x20
#define VM_WRITE 0x2

struct pt_regs;
struct vm_area_struct *lock_vma_under_rcu(struct mm_struct *mm, unsigned long address);
void vma_end_read(struct vm_area_struct *vma);
vm_fault_t handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			   unsigned int flags, struct pt_regs *regs);
struct vm_area_struct *lock_mm_and_find_vma(struct mm_struct *mm, unsigned long addr,
					    struct pt_regs *regs);
int access_error(unsigned long error_code, struct vm_area_struct *vma);
void count_event(int what);
unsigned long vma_flags(struct vm_area_struct *vma);

/* do_user_addr_fault (6.12): the vma lock first, mmap_lock when it fails */
void good_x86_fault(struct mm_struct *mm, unsigned long address, unsigned int flags,
		    unsigned long error_code, struct pt_regs *regs)
{
	struct vm_area_struct *vma;
	vm_fault_t fault;

	vma = lock_vma_under_rcu(mm, address);
	if (!vma)
		goto lock_mmap;
	if (access_error(error_code, vma)) {
		vma_end_read(vma);
		return;
	}
	fault = handle_mm_fault(vma, address, flags | FAULT_FLAG_VMA_LOCK, regs);
	if (!(fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
		vma_end_read(vma);
	if (!(fault & VM_FAULT_RETRY)) {
		count_event(1);
		return;
	}
	count_event(2);
	if (fault & VM_FAULT_MAJOR)
		flags |= FAULT_FLAG_TRIED;
lock_mmap:
	vma = lock_mm_and_find_vma(mm, address, regs);
	if (!vma)
		return;
	fault = handle_mm_fault(vma, address, flags, regs);
	if (fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED))
		return;
	mmap_read_unlock(mm);
}

/* the result used as if the lock could not fail */
void bad_unchecked(struct mm_struct *mm, unsigned long address, struct pt_regs *regs)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address); /* mmlock-note: "the pointer was obtained here" */
	vm_fault_t fault;

	fault = handle_mm_fault(vma, address, FAULT_FLAG_VMA_LOCK, regs); /* mmlock-warn: vma-lock "passes on the result of lock_vma_under_rcu\(\), which is NULL when it fails" */
	if (!(fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)))
		vma_end_read(vma);
}

/* VM_FAULT_COMPLETED also means the fault released it: released twice */
void bad_end_after_completed(struct mm_struct *mm, unsigned long address,
			     struct pt_regs *regs)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address); /* mmlock-note: "the lock was taken here" */
	vm_fault_t fault;

	if (!vma)
		return;
	fault = handle_mm_fault(vma, address, FAULT_FLAG_VMA_LOCK, regs); /* mmlock-note: "this call releases it when its result says so" */
	if (!(fault & VM_FAULT_RETRY))
		vma_end_read(vma); /* mmlock-warn: lock-balance "vma_end_read releases the vma lock, which a call before may already have released on this path" */ /* mmlock-warn[cocci]: stale-vma "'vma' used after handle_mm_fault\(\) may have dropped mmap_lock" -- the bug the plugin reports as lock-balance here, seen by Coccinelle as a use of the vma after a fault call that may have dropped its lock */
}

/* ... and on the path where it said VM_FAULT_RETRY */
void bad_end_after_retry(struct mm_struct *mm, unsigned long address, struct pt_regs *regs)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address);
	vm_fault_t fault;

	if (!vma)
		return;
	fault = handle_mm_fault(vma, address, FAULT_FLAG_VMA_LOCK, regs);
	if (fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED)) {
		vma_end_read(vma); /* mmlock-warn: lock-balance "vma_end_read releases the vma lock, already released on this path" */
		return;
	}
	vma_end_read(vma);
}

/* the vma looked at after the fault released its lock */
int bad_vma_after_retry(struct mm_struct *mm, unsigned long address, struct pt_regs *regs)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address);
	vm_fault_t fault;

	if (!vma)
		return 0;
	fault = handle_mm_fault(vma, address, FAULT_FLAG_VMA_LOCK, regs); /* mmlock-note: "the vma lock was dropped here" */
	if (fault & (VM_FAULT_RETRY | VM_FAULT_COMPLETED))
		return vma->vm_end > address; /* mmlock-warn: stale-vma "reads a vma, learned before the vma lock was dropped" */
	vma_end_read(vma);
	return 1;
}

/* ... and after vma_end_read() */
unsigned long bad_vma_after_end(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address);

	if (!vma)
		return 0;
	vma_end_read(vma);
	return vma->vm_start; /* mmlock-warn: stale-vma "reads a vma, learned before the vma lock was dropped" */
}

/* a path that forgets the lock */
int bad_leak(struct mm_struct *mm, unsigned long address, unsigned long error_code)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address);

	if (!vma)
		return -1;
	if (access_error(error_code, vma))
		return -14; /* mmlock-warn: lock-balance "returns with the vma lock held on this path, released on another" */
	vma_end_read(vma);
	return 0;
}

/* mmap_lock taken (blocking) under a vma read lock can deadlock ... */
void bad_mmap_under_vma(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address);

	if (!vma)
		return;
	mmap_read_lock(mm); /* mmlock-warn: lock-order "mmap_read_lock\(\) takes the mmap_lock lock while holding the vma lock" */
	mmap_read_unlock(mm);
	vma_end_read(vma);
}

/* ... a trylock cannot (__vmf_anon_prepare) */
void good_trylock_under_vma(struct mm_struct *mm, unsigned long address)
{
	struct vm_area_struct *vma = lock_vma_under_rcu(mm, address);

	if (!vma)
		return;
	if (mmap_read_trylock(mm))
		mmap_read_unlock(mm);
	vma_end_read(vma);
}

/* release_fault_lock() (6.12 mm.h): the fault's lock, whichever it is */
static inline void release_fault_lock(struct vm_fault *vmf)
{
	if (vmf->flags & FAULT_FLAG_VMA_LOCK)
		vma_end_read(vmf->vma);
	else
		mmap_read_unlock(vmf->vma->vm_mm);
}

/* a fault handler giving up: releases it and says VM_FAULT_RETRY */
vm_fault_t good_fault_retry(struct vm_fault *vmf)
{
	release_fault_lock(vmf);
	return VM_FAULT_RETRY;
}

/* ... and looking at the vma after that */
vm_fault_t bad_vma_after_release_fault_lock(struct vm_fault *vmf)
{
	release_fault_lock(vmf);
	return vmf->vma->vm_start ? VM_FAULT_RETRY : 0; /* mmlock-warn: stale-vma "reads a vma, learned before mmap_lock was possibly dropped" */
}
