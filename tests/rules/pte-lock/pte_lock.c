/* pte-lock: pte changes need the pte lock of their table. */
#include "../include/kernel.h"

void good_locked(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	set_pte_at(mm, addr, pte, v);
	pte_unmap_unlock(pte, ptl);
}

void bad_unlocked(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	pte_t *pte = pte_offset_map(pmd, addr);

	set_pte_at(mm, addr, pte, v); /* mmlock-warn[plugin]: pte-lock "set_pte_at\(\) changes a pte entry without holding its pte lock" -- Coccinelle's rule follows a map assigned in a statement, not in a declaration's initializer */
	pte_unmap(pte);
}

void bad_after_unlock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	pte_unmap_unlock(pte, ptl);
	pte_clear(mm, addr, pte); /* mmlock-warn[plugin]: pte-lock "pte_clear\(\) changes a pte entry without holding its pte lock" -- Coccinelle follows a pte lock released by spin_unlock(), not by pte_unmap_unlock() (it reports the use after the unmap instead: stale-pgtable) */ /* mmlock-warn[cocci]: stale-pgtable "pte pointer 'pte' used after it was unmapped" -- true as well (the table was unmapped the line before); the plugin sees pte_unmap() unmap a table only when it is a function (6.5+), kernel.h spells it a macro */
}

/* mremap's move_ptes: two tables, two locks, the second nested */
void good_two_tables(struct mm_struct *mm, pmd_t *old_pmd, pmd_t *new_pmd,
		     unsigned long a, unsigned long b)
{
	spinlock_t *old_ptl, *new_ptl;
	pte_t *old_pte = pte_offset_map_lock(mm, old_pmd, a, &old_ptl);
	pte_t *new_pte = pte_offset_map(new_pmd, b);
	pte_t v;

	new_ptl = pte_lockptr(mm, new_pmd);
	if (new_ptl != old_ptl)
		spin_lock_nested(new_ptl, SINGLE_DEPTH_NESTING);
	v = ptep_get_and_clear(mm, a, old_pte);
	set_pte_at(mm, b, new_pte, v);
	if (new_ptl != old_ptl)
		spin_unlock(new_ptl);
	pte_unmap(new_pte);
	pte_unmap_unlock(old_pte, old_ptl);
}

/* the same, forgetting the second lock: the wrong table's lock is held */
void bad_other_tables_lock(struct mm_struct *mm, pmd_t *old_pmd, pmd_t *new_pmd,
			   unsigned long a, unsigned long b)
{
	spinlock_t *old_ptl;
	pte_t *old_pte = pte_offset_map_lock(mm, old_pmd, a, &old_ptl);
	pte_t *new_pte = pte_offset_map(new_pmd, b);
	pte_t v;

	v = ptep_get_and_clear(mm, a, old_pte);
	set_pte_at(mm, b, new_pte, v); /* mmlock-warn[plugin]: pte-lock "set_pte_at\(\) changes a pte entry holding the pte lock of another table" -- Coccinelle does not tell one table's pte lock from another's */
	pte_unmap(new_pte);
	pte_unmap_unlock(old_pte, old_ptl);
}

/* the lock taken through pte_lockptr() and a plain spin_lock() */
void good_lockptr(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	pte_t *pte = pte_offset_map(pmd, addr);
	spinlock_t *ptl = pte_lockptr(mm, pmd);

	spin_lock(ptl);
	ptep_set_wrprotect(mm, addr, pte);
	spin_unlock(ptl);
	pte_unmap(pte);
}

/* a table detached by pmdp_collapse_flush() is private to this path */
void good_detached(struct vm_area_struct *vma, pmd_t *pmd, unsigned long addr)
{
	pte_t *pte = pte_offset_map(pmd, addr);
	spinlock_t *pmd_ptl = pmd_lock(vma->vm_mm, pmd);

	pmdp_collapse_flush(vma, addr, pmd);
	spin_unlock(pmd_ptl);
	pte_clear(vma->vm_mm, addr, pte);
}

/* a table below a pmd on our stack (split_huge_pmd's _pmd) is private */
void good_local_pmd(struct mm_struct *mm, struct page *pgtable, unsigned long addr, pte_t v)
{
	pmd_t _pmd;
	pte_t *pte;

	pmd_populate(mm, &_pmd, pgtable);
	pte = pte_offset_map(&_pmd, addr);
	set_pte_at(mm, addr, pte, v);
}

/* a helper that changes a table its caller locked: checked at the call */
static void set_one(struct mm_struct *mm, pte_t *pte, unsigned long addr, pte_t v)
{
	set_pte_at(mm, addr, pte, v); /* mmlock-note[plugin]: "the change in the callee" */
}

void good_caller_locks(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	spinlock_t *ptl;
	pte_t *pte = pte_offset_map_lock(mm, pmd, addr, &ptl);

	set_one(mm, pte, addr, v);
	pte_unmap_unlock(pte, ptl);
}

void bad_caller_forgets(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	pte_t *pte = pte_offset_map(pmd, addr);

	set_one(mm, pte, addr, v); /* mmlock-warn[plugin]: pte-lock "call to set_one\(\) changes a pte entry \(set_pte_at\) without holding its pte lock" -- Coccinelle does not follow a change made in a callee (the caller's locks are unknown to it) */
	pte_unmap(pte);
}

/* the fault path: vmf->ptl taken by the caller, vmf->pte changed here */
static void fault_update(struct vm_fault *vmf, pte_t v)
{
	set_pte_at(vmf->vma->vm_mm, vmf->address, vmf->pte, v);
	pte_unmap_unlock(vmf->pte, vmf->ptl);
}

int good_fault(struct vm_fault *vmf, pte_t v)
{
	vmf->pte = pte_offset_map(vmf->pmd, vmf->address);
	vmf->ptl = pte_lockptr(vmf->vma->vm_mm, vmf->pmd);
	spin_lock(vmf->ptl);
	fault_update(vmf, v);
	return 0;
}

/* vmalloc's page tables belong to init_mm: no split ptlock to take */
extern struct mm_struct init_mm;

void good_kernel_table(pmd_t *pmd, unsigned long addr, pte_t v)
{
	pte_t *pte = pte_offset_kernel(pmd, addr);

	set_pte_at(&init_mm, addr, pte, v);
}

void bad_user_table(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, pte_t v)
{
	pte_t *pte = pte_offset_kernel(pmd, addr);

	set_pte_at(mm, addr, pte, v); /* mmlock-warn[plugin]: pte-lock "set_pte_at\(\) changes a pte entry without holding its pte lock" -- Coccinelle leaves pte_offset_kernel() (kernel page tables, init_mm) alone; the plugin tells init_mm from a user mm */
	set_pte_at(&init_mm, addr, pte, v);
}
