// SPDX-License-Identifier: GPL-2.0
/*
 * mmlock db test fixture: the same source after unrelated edits (lines
 * moved, a statement re-wrapped, a comment added), zap_one fixed and a
 * new bug in move_one.
 */
#include "kernel.h"

static void zap_one(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	pte_clear(mm, addr, pte);
	pte_unmap_unlock(pte, ptl);
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
	/* the pte is not locked here any more */
	set_pte_at(mm, addr, pte, pte_mkold(*pte));
out:
	return 0;
}

static void move_one(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	pte_t *pte = pte_offset_map(pmd, addr);

	set_pte_at(mm, addr, pte, pte_mkyoung(*pte));
	pte_unmap(pte);
}

static const struct demo_ops ops = {
	.fn = zap_one,
};

SYSCALL_DEFINE2(demo, unsigned long, start, size_t, len)
{
	mmap_read_lock(current->mm);	/* still not released */
	return 0;
}
