/*
 * Lock results tested the wrong way round (issue 14, shapes 1 and 2): a
 * killable lock returns non-zero when it did NOT take the lock, a lock
 * handle (pmd_trans_huge_lock) is NULL when it took nothing.  On the path
 * where the acquisition failed the lock is known not to be held: a
 * release there is lock-balance, a lookup that needs it mmap-lock-held.
 * A failed trylock says the lock is not held by this path (a release is
 * wrong) but not that a need of it is unmet: BUG_ON(mmap_read_trylock())
 * asserts that the caller holds it (mm/memory.c vm_insert_pages).
 */
#include "../include/kernel.h"

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);

/* the test inverted: the path that goes on holds nothing */
int bad_killable_inverted(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (!mmap_read_lock_killable(mm)) /* mmlock-note[plugin]: "the lock was not taken here on this path" */
		return -4;
	vma = find_vma(mm, addr); /* mmlock-warn[plugin]: mmap-lock-held "find_vma\(\) needs mmap_lock held" -- Coccinelle does not follow which way the result of a lock call was tested (a failed acquisition) */
	mmap_read_unlock(mm); /* mmlock-warn[plugin]: lock-balance "mmap_read_unlock releases the mmap_lock lock, not held on this path \(the call that takes it failed\)" -- Coccinelle does not follow which way the result of a lock call was tested (a failed acquisition) */
	return vma != 0;
}

/* ... and the right way round */
int good_killable(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (mmap_read_lock_killable(mm))
		return -4;
	vma = find_vma(mm, addr);
	mmap_read_unlock(mm);
	return vma != 0;
}

/* a NULL lock handle released */
void bad_null_handle(pmd_t *pmd, struct vm_area_struct *vma, int *n)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, vma);

	if (!ptl) {
		spin_unlock(ptl); /* mmlock-warn[plugin]: lock-balance "spin_unlock releases the pmd lock, not held on this path \(the call that takes it failed\)" -- Coccinelle does not follow which way the result of a lock call was tested (a failed acquisition) (pmd_trans_huge_lock()'s NULL) */
		return;
	}
	(*n)++;
	spin_unlock(ptl);
}

void good_handle(pmd_t *pmd, struct vm_area_struct *vma, int *n)
{
	spinlock_t *ptl = pmd_trans_huge_lock(pmd, vma);

	if (!ptl)
		return;
	(*n)++;
	spin_unlock(ptl);
}

void bug(void) __attribute__((noreturn));

/* the lock asserted held by a failing trylock */
void good_trylock_assert(struct mm_struct *mm, unsigned long addr)
{
	if (mmap_read_trylock(mm))
		bug();
	find_vma(mm, addr);
}

/* a trylock tested the wrong way round, then released */
int bad_trylock_inverted(struct mm_struct *mm)
{
	if (mmap_read_trylock(mm))
		return -11;
	mmap_read_unlock(mm); /* mmlock-warn[plugin]: lock-balance "mmap_read_unlock releases the mmap_lock lock, not held on this path \(the call that takes it failed\)" -- Coccinelle does not follow which way the result of a lock call was tested (a failed acquisition) */
	return 0;
}
