/*
 * vma-write: a vma in the tree is changed only after vma_start_write()
 * (or under a vma_assert_write_locked() that states the caller took it);
 * a vma just allocated needs nothing; vm_flags_set/clear/mod lock it
 * themselves.  anon_vma may be set under mm->page_table_lock instead.
 */
#include "../include/kernel612.h"
struct vma_prepare { struct anon_vma *anon_vma; };
void vma_start_write(struct vm_area_struct *vma);
void vma_assert_write_locked(struct vm_area_struct *vma);
/* include/linux/mm.h (6.12) */
static inline void vm_flags_init(struct vm_area_struct *vma, vm_flags_t flags)
{
	ACCESS_PRIVATE(vma, __vm_flags) = flags;
}
static inline void vm_flags_reset(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma_assert_write_locked(vma);
	vm_flags_init(vma, flags);
}
static inline void vm_flags_set(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma_start_write(vma);
	ACCESS_PRIVATE(vma, __vm_flags) |= flags;
}
pgprot_t vm_get_page_prot(unsigned long vm_flags);
struct vm_area_struct *vm_area_alloc(struct mm_struct *mm);
struct vm_area_struct *vm_area_dup(struct vm_area_struct *orig);

/* a vma found by lookup, flags replaced with no write lock */
int reset_found(struct mm_struct *mm, unsigned long addr, vm_flags_t flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return -ENOMEM;
	vm_flags_reset(vma, flags); /* mmlock-warn[cocci]: vma-write "vm_flags \(vm_flags_reset\(\)\) of vma 'vma' changed in reset_found\(\) without vma_start_write\(vma\)" -- the plugin takes vm_flags_reset()'s vma_assert_write_locked() as its own statement that the lock is held, not as a need of its caller */
	return 0;
}

/* the same after vma_start_write(): silent */
int reset_locked(struct mm_struct *mm, unsigned long addr, vm_flags_t flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return -ENOMEM;
	vma_start_write(vma);
	vm_flags_reset(vma, flags);
	vma->vm_page_prot = vm_get_page_prot(flags);
	return 0;
}

/* a call's result stored straight into the field of a vma found by
   lookup, with no write lock */
int prot_from_call(struct mm_struct *mm, unsigned long addr, unsigned long flags)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (!vma)
		return -ENOMEM;
	vma->vm_page_prot = vm_get_page_prot(flags); /* mmlock-warn: vma-write "(changes vma->vm_page_prot without vma_start_write\(\) on this vma first|vm_page_prot of vma 'vma' changed in prot_from_call\(\) without vma_start_write\(vma\))" */
	return 0;
}

/* locked on one branch only */
int prot_one_branch(struct mm_struct *mm, unsigned long addr, bool lock)
{
	struct vm_area_struct *vma = vma_lookup(mm, addr);

	if (lock)
		vma_start_write(vma);
	WRITE_ONCE(vma->vm_page_prot, vm_get_page_prot(vma->vm_flags)); /* mmlock-warn[cocci]: vma-write "vm_page_prot of vma 'vma' changed in prot_one_branch\(\) without vma_start_write\(vma\)" -- the plugin does not see a store made through WRITE_ONCE() as a change of the field */
	return 0;
}

/* vm_flags_set() takes the write lock: what follows is covered */
int set_then_store(struct mm_struct *mm, unsigned long addr, struct anon_vma_name *name)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	vm_flags_set(vma, VM_LOCKED);
	vma->anon_name = name;
	return 0;
}

/* a new vma, not yet in the tree: silent */
struct vm_area_struct *new_special(struct mm_struct *mm, vm_flags_t flags)
{
	struct vm_area_struct *vma = vm_area_alloc(mm);

	if (!vma)
		return NULL;
	vm_flags_init(vma, flags);
	vma->vm_page_prot = vm_get_page_prot(flags);
	return vma;
}

struct vm_area_struct *copy_one(struct vm_area_struct *orig, struct mempolicy *pol)
{
	struct vm_area_struct *new = vm_area_dup(orig);

	if (new)
		new->vm_policy = pol;
	return new;
}

/* __vm_flags written directly, and through ACCESS_PRIVATE() */
void raw_flags(struct mm_struct *mm, unsigned long addr, vm_flags_t flags)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	ACCESS_PRIVATE(vma, __vm_flags) |= flags; /* mmlock-warn: vma-write "(changes vma->__vm_flags without vma_start_write\(\) on this vma first|__vm_flags of vma 'vma' changed in raw_flags\(\) without vma_start_write\(vma\))" */
	vma->__vm_flags = flags; /* mmlock-warn[cocci]: vma-write "__vm_flags of vma 'vma' changed in raw_flags\(\) without vma_start_write\(vma\)" -- the plugin reports the first unlocked change of a vma in a function, the line before */
}

/* anon_vma: set under mm->page_table_lock (__anon_vma_prepare()) */
int prepare_anon(struct mm_struct *mm, unsigned long addr, struct anon_vma *av)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	spin_lock(&mm->page_table_lock);
	if (likely(!vma->anon_vma))
		vma->anon_vma = av;
	spin_unlock(&mm->page_table_lock);
	return 0;
}

int prepare_anon_unlocked(struct mm_struct *mm, unsigned long addr, struct anon_vma *av)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	if (!vma->anon_vma)
		vma->anon_vma = av; /* mmlock-warn: vma-write "(changes vma->anon_vma without vma_start_write\(\) on this vma first|anon_vma of vma 'vma' changed in prepare_anon_unlocked\(\) without vma_start_write\(vma\) or mm->page_table_lock)" */
	return 0;
}

/* not a vma: another struct's anon_vma field */
void other_struct(struct vma_prepare *vp, struct vm_area_struct *vma) /* mmlock-unanalysed: a store to another struct's anon_vma field: nothing of the rules' */
{
	vp->anon_vma = vma->anon_vma;
}
