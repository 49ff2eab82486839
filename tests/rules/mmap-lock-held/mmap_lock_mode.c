/*
 * mmap-lock-held by mode (issue 14, shape 3; RULES.md "Extended":
 * vma_start_write() needs mmap_lock for write): a callee that asserts
 * mmap_lock for write, called where it is held for read only.  The
 * conditional form is mm/ksm.c's break_ksm(vma, addr, lock_vma) of 6.12:
 * "if (lock_vma) vma_start_write(vma)", called with false under the read
 * lock (silent) -- also through unmerge_ksm_pages(), which passes its own
 * flag on.
 */
#include "../include/kernel612.h"

void mmap_assert_write_locked(struct mm_struct *mm);
void mmap_write_downgrade(struct mm_struct *mm);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* 6.12's vma_start_write(): its __is_vma_write_locked() asserts the write lock */
static inline void vma_start_write(struct vm_area_struct *vma)
{
	mmap_assert_write_locked(vma->vm_mm);
}

void bad_read_locked(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		vma_start_write(vma); /* mmlock-warn: mmap-lock-held "vma_start_write\(\) .*mmap_lock( held)? for write, held here (only )?for read" */
	mmap_read_unlock(mm);
}

void good_write_locked(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		vma_start_write(vma);
	mmap_write_unlock(mm);
}

void bad_after_downgrade(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	mmap_write_downgrade(mm);
	if (vma)
		vma_start_write(vma); /* mmlock-warn[plugin]: mmap-lock-held "vma_start_write\(\) needs mmap_lock held for write, held here for read" -- Coccinelle does not follow mmap_write_downgrade() */
	mmap_read_unlock(mm);
}

static int break_cow(struct vm_area_struct *vma, unsigned long addr, _Bool lock_vma)
{
	if (lock_vma)
		vma_start_write(vma);
	return (int)addr;
}

static int unmerge(struct vm_area_struct *vma, unsigned long start, unsigned long end,
		   _Bool lock_vma)
{
	int err = 0;

	for (unsigned long addr = start; addr < end && !err; addr += 4096)
		err = break_cow(vma, addr, lock_vma);
	return err;
}

int good_cond_false(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		err = break_cow(vma, addr, 0);
	if (vma && !err)
		err = unmerge(vma, vma->vm_start, vma->vm_end, 0);
	mmap_read_unlock(mm);
	return err;
}

int bad_cond_true(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	int err = 0;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		err = unmerge(vma, vma->vm_start, vma->vm_end, 1); /* mmlock-warn[plugin]: mmap-lock-held "call to unmerge\(\), which needs mmap_lock held for write \(vma_start_write\), with it held for read" -- Coccinelle does not carry a callee's need (a vma_start_write() under a condition on its argument) to its callers */
	mmap_read_unlock(mm);
	return err;
}
