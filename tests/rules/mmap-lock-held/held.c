/*
 * mmap-lock-held: find_vma() and friends need mmap_lock,
 * collapse_pte_mapped_thp() needs it for write, and so does a function of
 * this file that asserts it (collapse_one() below).
 */
#include "../include/kernel.h"
void retract(struct mm_struct *mm, unsigned long addr);
int collapse_pte_mapped_thp(struct mm_struct *mm, unsigned long addr, bool install_pmd);
void do_scan(struct mm_struct *mm, unsigned long addr);
bool slow_path(unsigned long addr);
static int lookup_after_unlock(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	unsigned long flags = 0;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (vma)
		flags = vma->vm_flags;
	mmap_read_unlock(mm); /* mmlock-note: "(it was released|mmap_lock dropped) here" */
	if (flags & VM_LOCKED)
		vma = find_vma(mm, addr); /* mmlock-warn: mmap-lock-held "find_vma\(\) needs mmap_lock" */
	return flags;
}

static void collapse_one(struct mm_struct *mm, unsigned long addr)
{
	mmap_assert_write_locked(mm); /* mmlock-note[plugin]: "where the callee needs it" */
	retract(mm, addr);
}

static void collapse_under_read(struct mm_struct *mm, unsigned long addr)
{
	mmap_read_lock(mm); /* mmlock-note: "(the lock was taken \(or downgraded\)|mmap_lock taken for read) here" */
	collapse_pte_mapped_thp(mm, addr, false); /* mmlock-warn[cocci]: mmap-lock-held "collapse_pte_mapped_thp\(\) needs mmap_lock for write, held here only for read" -- the plugin learns what a callee needs from its body (here only declared); Coccinelle has 6.1's write requirement of collapse_pte_mapped_thp() built in */
	collapse_one(mm, addr); /* mmlock-warn: mmap-lock-held "collapse_one\(\).*mmap_lock( held)? for write.*held.*for read" */
	mmap_read_unlock(mm);
}

static void collapse_under_write(struct mm_struct *mm, unsigned long addr)
{
	if (!mmap_write_trylock(mm))
		return;
	collapse_pte_mapped_thp(mm, addr, false);
	collapse_one(mm, addr);
	mmap_write_unlock(mm);
}

/* madvise_collapse(): upgraded to the write lock before the call. */
static void collapse_upgraded(struct mm_struct *mm, unsigned long addr)
{
	mmap_read_lock(mm);
	do_scan(mm, addr);
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	collapse_pte_mapped_thp(mm, addr, true);
	mmap_write_unlock(mm);
}

static int lookup_with_flag(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;
	bool mmap_locked = true;

	mmap_read_lock(mm);
	if (slow_path(addr)) {
		mmap_read_unlock(mm);
		mmap_locked = false;
	}
	if (!mmap_locked)
		return -EAGAIN;
	vma = find_vma(mm, addr);
	mmap_read_unlock(mm);
	return vma ? 0 : -ENOMEM;
}
