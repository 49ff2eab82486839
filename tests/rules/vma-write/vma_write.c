/*
 * vma-write in the plugin (RULES.md "New rules"): vma fields faults read
 * under the per-VMA lock change only after vma_start_write() on that vma
 * (or on a vma not yet in the tree).  6.12 shapes: the fixes of the
 * 657b5146955e series ("lock VMA in dup_anon_vma() before setting
 * ->anon_vma", "take VMA lock before replacing policy"), vm_flags_set()
 * taking the lock itself, vm_flags_reset() asserting it.
 */
#include "../include/kernel612.h"

struct mempolicy;
/* pgprot_t: kernel612.h */
struct vm_area_struct_w {
	int dummy;
};
/* the fields vma-write knows, in a 6.12-like vma */
struct vm_area_struct;
void vma_start_write(struct vm_area_struct *vma);
void vma_assert_write_locked(struct vm_area_struct *vma);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
void mmap_assert_write_locked(struct mm_struct *mm);
void set_policy_field(struct vm_area_struct *vma, struct mempolicy *pol);

/* vma_replace_policy() (6.12, fixed): the helper states its need ... */
static void replace_policy(struct vm_area_struct *vma, struct anon_vma *pol)
{
	vma_assert_write_locked(vma);
	vma->anon_vma = pol;
}

/* ... dup_anon_vma() before the fix: no lock, no assert */
static void dup_anon(struct vm_area_struct *dst, struct vm_area_struct *src)
{
	if (src->anon_vma && !dst->anon_vma)
		dst->anon_vma = src->anon_vma; /* mmlock-warn[cocci]: vma-write "anon_vma of vma 'dst' changed in dup_anon\(\) without vma_start_write\(dst\)" -- the plugin reports it at the call that passes the unlocked vma, line 94 */ /* mmlock-note[plugin]: "the change in the callee" */
}

/* vm_flags_set(): takes the write lock itself */
static void flags_set(struct vm_area_struct *vma, struct anon_vma *a)
{
	vma_start_write(vma);
	vma->anon_vma = a;
}

void good_locked(struct mm_struct *mm, unsigned long addr, struct anon_vma *a)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma) {
		vma_start_write(vma);
		vma->anon_vma = a;
		replace_policy(vma, a);
	}
	mmap_write_unlock(mm);
}

void bad_unlocked(struct mm_struct *mm, unsigned long addr, struct anon_vma *a)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		vma->anon_vma = a; /* mmlock-warn: vma-write "(changes vma->anon_vma without vma_start_write\(\) on this vma first|anon_vma of vma 'vma' changed in bad_unlocked\(\) without vma_start_write\(vma\))" */
	mmap_write_unlock(mm);
}

/* a helper's vma_assert_write_locked() covers the helper and is not
   followed to its callers (as Coccinelle's vma-write reads it): on 6.12
   mm/vma.c the callers lock through paths the analysis does not follow
   (vma_prepare(), iterator walks) and every such call would be reported */
void helper_asserting_not_followed(struct mm_struct *mm, unsigned long addr,
				   struct anon_vma *a)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		replace_policy(vma, a);
	mmap_write_unlock(mm);
}

void bad_dup_anon(struct mm_struct *mm, unsigned long addr, struct vm_area_struct *src)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma)
		dup_anon(vma, src); /* mmlock-warn[plugin]: vma-write "call to dup_anon\(\), which changes vma->anon_vma, without vma_start_write\(\) on this vma first" -- Coccinelle reports it at the store in the callee, line 36, with this call as a note */ /* mmlock-note[cocci]: "dup_anon\(\) called here with a vma that was not write-locked" */
	mmap_write_unlock(mm);
}

/* a vma not yet in the tree */
struct vm_area_struct *good_new(struct mm_struct *mm, struct anon_vma *a)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (vma) {
		vma->anon_vma = a;
		dup_anon(vma, vma);
	}
	return vma;
}

/* the helper that locks, then another change: both covered */
void good_flags_set(struct mm_struct *mm, unsigned long addr, struct anon_vma *a)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma) {
		flags_set(vma, a);
		vma->anon_vma = a;
	}
	mmap_write_unlock(mm);
}

/* anon_vma set under mm->page_table_lock (__anon_vma_prepare) */
void good_page_table_lock(struct mm_struct *mm, unsigned long addr, struct anon_vma *a)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (vma) {
		spin_lock(&mm->page_table_lock);
		if (!vma->anon_vma)
			vma->anon_vma = a;
		spin_unlock(&mm->page_table_lock);
	}
	mmap_read_unlock(mm);
}

/* the caller's vma: the caller's business (unless it is found there) */
void good_param(struct vm_area_struct *vma, struct anon_vma *a)
{
	dup_anon(vma, vma);
	vma->anon_vma = a;
}

/* a pseudo vma on the stack is in no tree (fs/hugetlbfs fallocate) */
void good_stack_vma(struct anon_vma *a)
{
	struct vm_area_struct pseudo;

	dup_anon(&pseudo, &pseudo);
	flags_set(&pseudo, a);
}

/* the vma write locks end with mmap_lock's write hold */
void bad_after_unlock(struct mm_struct *mm, unsigned long addr, struct anon_vma *a)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma) {
		mmap_write_unlock(mm);
		return;
	}
	vma_start_write(vma);
	vma->anon_vma = a;
	mmap_write_unlock(mm);
	vma->anon_vma = 0; /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */ /* mmlock-warn[plugin]: vma-write "changes vma->anon_vma without vma_start_write\(\) on this vma first" -- Coccinelle does not end the vma write lock at mmap_write_unlock() */
}

/* the vma write lock is taken under mmap_lock, before the rmap locks */
void bad_write_lock_under_anon_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (vma && vma->anon_vma) {
		anon_vma_lock_write(vma->anon_vma);
		vma_start_write(vma); /* mmlock-warn[plugin]: lock-order "vma_start_write\(\) takes the vma lock while holding the anon_vma lock" -- Coccinelle's lock-order does not know the vma lock */
		anon_vma_unlock_write(vma->anon_vma);
	}
	mmap_write_unlock(mm);
}
