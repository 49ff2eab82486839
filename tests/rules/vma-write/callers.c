/*
 * vma-write through a static helper: the helper stores to its vma
 * parameter, and the callers in the file decide.  The shapes of the
 * 657b5146955e series: dup_anon_vma() and vma_replace_policy() set
 * ->anon_vma and ->vm_policy on a vma their callers found, and took no
 * lock (fixed by locking, in 6.12 by vma_assert_write_locked() with the
 * callers locking).
 */
#include "../include/kernel612.h"
struct userfaultfd_ctx;
struct anon_vma_name;
struct vma_merge_struct { struct vm_area_struct *prev, *vma; };
struct vm_area_struct *vma_modify_policy(struct vma_iterator *vmi, struct vm_area_struct *prev,
					 struct vm_area_struct *vma, unsigned long start,
					 unsigned long end, struct mempolicy *new_pol);
struct vm_area_struct *vma_modify_flags(struct vma_iterator *vmi, struct vm_area_struct *prev,
					struct vm_area_struct *vma, unsigned long start,
					unsigned long end, vm_flags_t new_flags);
void vma_start_write(struct vm_area_struct *vma);
void vma_assert_write_locked(struct vm_area_struct *vma);
/* include/linux/mm.h (6.12) */
static inline void vm_flags_reset(struct vm_area_struct *vma, vm_flags_t flags)
{
	vma_assert_write_locked(vma);
	ACCESS_PRIVATE(vma, __vm_flags) = flags;
}
int anon_vma_clone(struct vm_area_struct *dst, struct vm_area_struct *src);
pgprot_t pgprot_noncached(pgprot_t prot);
int remap_it(struct vm_area_struct *vma);
struct mempolicy *mpol_dup(struct mempolicy *pol);

/* stores with no lock of its own; one caller passes an unlocked vma */
static int replace_policy(struct vm_area_struct *vma, struct mempolicy *pol)
{
	struct mempolicy *old = vma->vm_policy;

	vma->vm_policy = pol; /* mmlock-warn[cocci]: vma-write "vm_policy of vma 'vma' changed in replace_policy\(\) without vma_start_write\(vma\)" -- the plugin reports it at the call that passes the unlocked vma, line 50 */ /* mmlock-note[plugin]: "the change in the callee" */
	mpol_put(old);
	return 0;
}

static int policy_range(struct vma_iterator *vmi, struct vm_area_struct *vma,
			struct vm_area_struct **prev, unsigned long start,
			unsigned long end, struct mempolicy *pol)
{
	vma = vma_modify_policy(vmi, *prev, vma, start, end, pol);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	*prev = vma;
	return replace_policy(vma, pol); /* mmlock-warn[plugin]: vma-write "call to replace_policy\(\), which changes vma->vm_policy, without vma_start_write\(\) on this vma first" -- Coccinelle reports it at the store in the callee, line 37, with this call as a note */ /* mmlock-note[cocci]: "replace_policy\(\) called here with a vma that was not write-locked" */
}

/* the fixed form: the helper states its precondition */
static int replace_policy_asserted(struct vm_area_struct *vma,
				   struct mempolicy *pol)
{
	vma_assert_write_locked(vma);
	vma->vm_policy = pol;
	return 0;
}

static int policy_range_fixed(struct vma_iterator *vmi, struct vm_area_struct *vma, /* mmlock-unanalysed: its callee asserts the vma write lock itself (vma_assert_write_locked() covers replace_policy_asserted()): the callee's summary is empty, nothing to follow */
			      struct vm_area_struct **prev, unsigned long start,
			      unsigned long end, struct mempolicy *pol)
{
	vma = vma_modify_policy(vmi, *prev, vma, start, end, pol);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	*prev = vma;
	return replace_policy_asserted(vma, pol);
}

/* every caller write-locks the vma first: silent (6.12 madvise.c) */
static int set_name(struct vm_area_struct *vma, struct anon_vma_name *name)
{
	vma->anon_name = name;
	return 0;
}

static int update_vma(struct vm_area_struct *vma, vm_flags_t flags,
		      struct anon_vma_name *name)
{
	vma_start_write(vma);
	vm_flags_reset(vma, flags);
	if (!vma->vm_file)
		return set_name(vma, name);
	return 0;
}

/* a caller locks the vma it had, then looks up another one */
static void set_ctx(struct vm_area_struct *vma, struct userfaultfd_ctx *ctx)
{
	vma->vm_userfaultfd_ctx = (struct vm_userfaultfd_ctx){ctx}; /* mmlock-warn[cocci]: vma-write "vm_userfaultfd_ctx of vma 'vma' changed in set_ctx\(\) without vma_start_write\(vma\)" -- the plugin reports it at the call that passes the unlocked vma, line 102 */
}

static void relookup(struct mm_struct *mm, struct vm_area_struct *vma,
		     struct userfaultfd_ctx *ctx, unsigned long addr)
{
	vma_start_write(vma);
	set_ctx(vma, ctx);
	vma = find_vma(mm, addr);
	set_ctx(vma, ctx); /* mmlock-warn[plugin]: vma-write "call to set_ctx\(\), which changes vma->vm_userfaultfd_ctx, without vma_start_write\(\) on this vma first" -- Coccinelle reports it at the store in the callee, line 93, with this call as a note */
}

/* the second argument is the destination (dup_anon_vma(dst, src)) */
static int dup_anon(struct vm_area_struct *src, struct vm_area_struct *dst)
{
	if (src->anon_vma && !dst->anon_vma) {
		dst->anon_vma = src->anon_vma; /* mmlock-warn[cocci]: vma-write "anon_vma of vma 'dst' changed in dup_anon\(\) without vma_start_write\(dst\)" -- the plugin judges a vma the function found or was handed, not one read from a struct it was handed (merge()'s vmg->prev) */
		return anon_vma_clone(dst, src);
	}
	return 0;
}

static int merge(struct vma_merge_struct *vmg, bool merge_left)
{
	struct vm_area_struct *prev = vmg->prev;
	struct vm_area_struct *vma = vmg->vma;

	if (merge_left)
		vma_start_write(prev);
	return dup_anon(vma, prev);
}

/* a caller's own parameter: its callers decide (->mmap helpers) */
static void set_prot(struct vm_area_struct *vma)
{
	vma->vm_page_prot = pgprot_noncached(vma->vm_page_prot);
}

/* ... and theirs, a vma handed in: the need goes on to its callers */
static int some_mmap(struct file *file, struct vm_area_struct *vma)
{
	set_prot(vma);
	return remap_it(vma);
}

/* called from other files: left to the plugin */
int vma_dup_policy_like(struct vm_area_struct *src, struct vm_area_struct *dst)
{
	dst->vm_policy = mpol_dup(src->vm_policy);
	return 0;
}

/*
 * A parameter replaced by the vma a split or merge returned is a vma
 * this function found: its stores need the lock here (6.12
 * madvise_update_vma() and mprotect_fixup() take it after the modify).
 */
static int fixup_unlocked(struct vma_iterator *vmi, struct vm_area_struct *vma, /* mmlock-unanalysed: vm_flags_reset()'s vma_assert_write_locked() covers its own store, so its summary is empty; vma_modify_flags() is only declared (the plugin misses this bug: see the expectation) */
			  struct vm_area_struct **prev, unsigned long start,
			  unsigned long end, vm_flags_t flags)
{
	vma = vma_modify_flags(vmi, *prev, vma, start, end, flags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	*prev = vma;
	vm_flags_reset(vma, flags); /* mmlock-warn[cocci]: vma-write "vm_flags \(vm_flags_reset\(\)\) of vma 'vma' changed in fixup_unlocked\(\) without vma_start_write\(vma\)" -- the plugin takes vm_flags_reset()'s vma_assert_write_locked() as its own statement that the lock is held, not as a need of its caller */
	return 0;
}

static int fixup_locked(struct vma_iterator *vmi, struct vm_area_struct *vma,
			struct vm_area_struct **prev, unsigned long start,
			unsigned long end, vm_flags_t flags)
{
	vma = vma_modify_flags(vmi, *prev, vma, start, end, flags);
	if (IS_ERR(vma))
		return PTR_ERR(vma);
	*prev = vma;
	vma_start_write(vma);
	vm_flags_reset(vma, flags);
	return 0;
}
