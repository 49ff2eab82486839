/* stale-vma, weak-revalidate, stale-pgtable, mmap-lock-held (R2).
 * mmlock-args: enable=stale-vma,weak-revalidate,stale-pgtable,mmap-lock-held */
#include "../include/kernel.h"

struct rw_semaphore;
void up_read(struct rw_semaphore *s);
void down_read(struct rw_semaphore *s);
void down_write(struct rw_semaphore *s);
void up_write(struct rw_semaphore *s);
struct mm_sem_struct { struct rw_semaphore mmap_sem; };
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
int swapin(struct vm_area_struct *vma, unsigned long addr);
void use_vma(struct vm_area_struct *vma);
int hugepage_vma_revalidate(struct mm_struct *mm, unsigned long address, _Bool expect_anon,
			    struct vm_area_struct **vmap, void *cc);
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long address);
int check_pmd_still_valid(struct mm_struct *mm, unsigned long address, pmd_t *pmd);

/* seed 004, patch 3/3: mmap_lock dropped and re-taken, the vma kept */
void seed004_3(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr) /* mmlock-note[plugin]: "the vma was obtained here" */
{
	mmap_read_unlock(mm);		/* the caller's read lock */ /* mmlock-note: "mmap_lock (was )?dropped here" */
	swapin(0, addr);
	mmap_write_lock(mm);
	anon_vma_lock_write(vma->anon_vma); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */
	anon_vma_unlock_write(vma->anon_vma);
	mmap_write_unlock(mm);
}

/* its "fix" in the thread: find_vma() != vma_orig is no revalidation */
void seed004_vma_orig(struct mm_struct *mm, struct vm_area_struct *vma_orig, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_unlock(mm); /* mmlock-note: "(after mmap_lock was|mmap_lock) dropped here" */
	swapin(0, addr);
	mmap_write_lock(mm); /* mmlock-note[cocci]: "and re-taken here" */
	vma = find_vma(mm, addr); /* mmlock-warn[cocci]: weak-revalidate "'vma' looked up again with find_vma\(\) after mmap_lock was re-taken, and used without checking its range" -- the plugin reports it at the use, line 41 */ /* mmlock-note[plugin]: "looked up here" */
	if (vma != vma_orig)
		goto out;
	anon_vma_lock_write(vma->anon_vma); /* mmlock-warn[plugin]: weak-revalidate "reads a vma looked up again after mmap_lock was dropped, without re-checking its range" -- Coccinelle reports it at the lookup, line 38 */ /* mmlock-note[cocci]: "'vma' used here" */
	anon_vma_unlock_write(vma->anon_vma);
out:
	mmap_write_unlock(mm);
}

/* Andrea Arcangeli's recipe: look up again and check the range */
void revalidated(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_unlock(mm);
	swapin(0, addr);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || addr < vma->vm_start || addr >= vma->vm_end)
		goto out;
	anon_vma_lock_write(vma->anon_vma);
	anon_vma_unlock_write(vma->anon_vma);
out:
	mmap_write_unlock(mm);
}

/* 6.1 collapse_huge_page: hugepage_vma_revalidate and check_pmd_still_valid */
void collapse_like_61(struct mm_struct *mm, unsigned long address, void *cc)
{
	struct vm_area_struct *vma;
	pmd_t *pmd = mm_find_pmd(mm, address);
	spinlock_t *ptl;

	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	if (hugepage_vma_revalidate(mm, address, 1, &vma, cc))
		goto out;
	if (check_pmd_still_valid(mm, address, pmd))
		goto out;
	anon_vma_lock_write(vma->anon_vma);
	ptl = pmd_lock(mm, pmd);
	spin_unlock(ptl);
	anon_vma_unlock_write(vma->anon_vma);
out:
	mmap_write_unlock(mm);
}

/* the same without re-checking the pmd */
void stale_pmd(struct mm_struct *mm, unsigned long address, void *cc)
{
	struct vm_area_struct *vma;
	pmd_t *pmd = mm_find_pmd(mm, address);
	spinlock_t *ptl;

	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	if (hugepage_vma_revalidate(mm, address, 1, &vma, cc))
		goto out;
	ptl = pmd_lock(mm, pmd); /* mmlock-warn: stale-pgtable "pmd pointer.* mmap_lock was dropped" */
	spin_unlock(ptl);
out:
	mmap_write_unlock(mm);
}

/* a fault handler may drop mmap_lock: VM_FAULT_RETRY says it did */
unsigned int handle_mm_fault(struct vm_area_struct *vma, unsigned long address,
			     unsigned int flags, void *regs);

int fault_checked(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned int ret = handle_mm_fault(vma, addr, 0x4 | 0x10, 0);

	if (ret & (0x400 | 0x4000))
		return -1;	/* mmap_lock dropped: do not touch vma */
	use_vma(vma);
	return 0;
}

int fault_unchecked(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned int ret = handle_mm_fault(vma, addr, 0x4 | 0x10, 0);

	use_vma(vma); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was possibly dropped" -- Coccinelle follows a fault call's result assigned in a statement, not in a declaration's initializer (unsigned int ret = handle_mm_fault(...)) */
	return ret;
}

/* without FAULT_FLAG_ALLOW_RETRY (0x4) the fault never drops it (ksm's break_ksm) */
int fault_noretry(struct vm_area_struct *vma, unsigned long addr)
{
	unsigned int ret = handle_mm_fault(vma, addr, 0x1 | 0x80, 0);

	use_vma(vma);
	return ret;
}

/* find_vma() needs mmap_lock */
struct vm_area_struct *lookup_unlocked(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	mmap_read_unlock(mm);
	return find_vma(mm, addr + 1); /* mmlock-warn: mmap-lock-held "find_vma\(\) needs mmap_lock" */
}

/* a helper asserting mmap_lock: checked where it is called */
static void needs_lock(struct mm_struct *mm)
{
	mmap_assert_write_locked(mm);
}

void calls_helper_locked(struct mm_struct *mm)
{
	mmap_write_lock(mm);
	needs_lock(mm);
	mmap_write_unlock(mm);
}

void calls_helper_unlocked(struct mm_struct *mm)
{
	mmap_write_lock(mm);
	mmap_write_unlock(mm);
	needs_lock(mm); /* mmlock-warn: mmap-lock-held "needs_lock\(\).*mmap_lock" */
}
