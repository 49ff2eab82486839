// SPDX-License-Identifier: GPL-2.0
/* mmlock db test fixture: the source a run's findings point into. */
#include "kernel.h"

static void zap_one(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	pte_t *pte = pte_offset_map(pmd, addr);

	pte_clear(mm, addr, pte);
	pte_unmap(pte);
}

static int
collapse_one(struct mm_struct *mm, pmd_t *pmd,
	     unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	if (!pte)
		goto out;
	pte_unmap_unlock(pte, ptl);
	set_pte_at(mm, addr, pte,
		   pte_mkold(*pte));
out:
	return 0;
}

static const struct demo_ops ops = {
	.fn = zap_one,
};

SYSCALL_DEFINE2(demo, unsigned long, start, size_t, len)
{
	mmap_read_lock(current->mm);	/* not released */
	return 0;
}
