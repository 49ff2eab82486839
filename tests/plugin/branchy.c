/* Bounded work: a function with many independent conditional lock
 * sections and a loop, for tests/plugin/run.sh to squeeze with budget=N
 * (the analysis must fall back to merged paths, then give up, with a note,
 * never run unbounded). */
#include "../rules/include/kernel.h"

void work(int);

void branchy(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, unsigned flags, int n)
{
	spinlock_t *ptl = pte_lockptr(mm, pmd);

	for (int i = 0; i < n; i++) {
		if (flags & 1) { spin_lock(ptl); work(1); spin_unlock(ptl); }
		if (flags & 2) { spin_lock(ptl); work(2); spin_unlock(ptl); }
		if (flags & 4) { spin_lock(ptl); work(3); spin_unlock(ptl); }
		if (flags & 8) { spin_lock(ptl); work(4); spin_unlock(ptl); }
		if (flags & 16) { spin_lock(ptl); work(5); spin_unlock(ptl); }
		if (flags & 32) { spin_lock(ptl); work(6); spin_unlock(ptl); }
		if (flags & 64) { spin_lock(ptl); work(7); spin_unlock(ptl); }
		if (flags & 128) { spin_lock(ptl); work(8); spin_unlock(ptl); }
		flags >>= 1;
	}
}
