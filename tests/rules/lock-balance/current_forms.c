/*
 * The 6.5+ forms mmlock must understand (RULES.md "Current kernels"), each
 * in the correct shape the kernel writes it (silent) beside a broken twin
 * that must warn.  Shapes from Debian's 6.12.117 mm/.
 */
#include "../include/kernel612.h"

/* memory.c __wp_page_copy_user: the table and its lock kept in the
   vm_fault, the NULL test made on the field */
int good_fault_fields(struct vm_fault *vmf, struct mm_struct *mm, pte_t entry)
{
	int ret = 0;

	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (!vmf->pte || !pte_same(ptep_get(vmf->pte), vmf->orig_pte)) {
		ret = -1;	/* NULL: nothing mapped, nothing taken (6.5+) */
		goto unlock;
	}
	ptep_set_access_flags(vmf->vma, vmf->address, vmf->pte, entry, 0);
unlock:
	if (vmf->pte)
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
}

int bad_fault_fields(struct vm_fault *vmf, struct mm_struct *mm, pte_t entry)
{
	vmf->pte = pte_offset_map_lock(mm, vmf->pmd, vmf->address, &vmf->ptl);
	if (!vmf->pte)
		return -1;
	pte_unmap_unlock(vmf->pte, vmf->ptl);
	set_ptes(mm, vmf->address, vmf->pte, entry, 1); /* mmlock-warn[plugin]: pte-lock "set_ptes\(\) changes a pte entry without holding its pte lock" -- Coccinelle follows a pte lock released by spin_unlock() or double_pt_unlock(), not by pte_unmap_unlock() of a table kept in a struct field */ /* mmlock-warn[cocci]: stale-pgtable "pte pointer 'vmf -> pte' used after it was unmapped" -- true as well (the table was unmapped the line before); the plugin sees pte_unmap() unmap a table only when it is a function (6.5+), and kernel612.h spells it a macro */
	return 0;
}

/* memory.c __vmf_anon_prepare: a trylock under a flag of the fault, the
   unlock under the same flag tested again */
vm_fault_t good_flag_twice(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = 0;

	if (vmf->flags & FAULT_FLAG_VMA_LOCK) {
		if (!mmap_read_trylock(vma->vm_mm))
			return VM_FAULT_RETRY;
	}
	if (anon_vma_prepare_slow(vma))
		ret = VM_FAULT_OOM;
	if (vmf->flags & FAULT_FLAG_VMA_LOCK)
		mmap_read_unlock(vma->vm_mm);
	return ret;
}

/* ... the unlock under another flag: held on the path without it */
vm_fault_t bad_flag_mismatch(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;

	if (vmf->flags & FAULT_FLAG_VMA_LOCK) {
		if (!mmap_read_trylock(vma->vm_mm))
			return VM_FAULT_RETRY;
	}
	anon_vma_prepare_slow(vma);
	if (vmf->flags & FAULT_FLAG_ALLOW_RETRY)
		mmap_read_unlock(vma->vm_mm);
	return 0; /* mmlock-warn[plugin]: lock-balance "returns with the mmap_lock lock held on this path, released on another" -- Coccinelle takes a release under a condition as a release (cocci/README: "the condition is usually tested again"), and does not compare the two flags */
}

/* memory.c do_swap_page: the fault lock may go in folio_lock_or_retry(),
   its result gathered into "ret" and tested by its bit */
vm_fault_t good_lock_or_retry(struct vm_fault *vmf, struct folio *folio, vm_fault_t ret)
{
	struct vm_area_struct *vma = vmf->vma;

	ret |= folio_lock_or_retry(folio, vmf);
	if (ret & VM_FAULT_RETRY)
		return ret;
	touch_vma(vma);
	return ret;
}

vm_fault_t bad_lock_or_retry(struct vm_fault *vmf, struct folio *folio, vm_fault_t ret)
{
	struct vm_area_struct *vma = vmf->vma;

	ret |= folio_lock_or_retry(folio, vmf);
	if (ret & VM_FAULT_RETRY) {
		touch_vma(vma); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was dropped" -- Coccinelle knows the fault calls that drop mmap_lock by name (handle_mm_fault(), do_swap_page(), ...), not folio_lock_or_retry() */
		return ret;
	}
	return ret;
}

/* memory.c lock_mm_and_find_vma: the range test of a vma looked up again
   reads vm_start (in an anonymous union in 6.12) */
struct vm_area_struct *good_range_in_union(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma)
		goto fail;
	mmap_read_unlock(mm);
	mmap_write_lock(mm);
	vma = find_vma(mm, addr);
	if (!vma || vma->vm_start > addr)
		goto fail_w;
	return vma;	/* returned locked for write */
fail_w:
	mmap_write_unlock(mm);
	return NULL;
fail:
	mmap_read_unlock(mm);
	return NULL;
}

/* khugepaged.c collapse_pte_mapped_thp (6.6+): the pmd lock taken only
   sometimes, the pte lock then taken alone, nested, or not at all when
   it is the same lock */
void good_optional_pml(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, int uffd)
{
	spinlock_t *pml = NULL, *ptl;
	pte_t *start_pte;

	if (uffd)
		pml = pmd_lock(mm, pmd);
	start_pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);
	if (!start_pte)
		goto abort;
	if (!pml)
		spin_lock(ptl);
	else if (ptl != pml)
		spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	ptep_clear(mm, addr, start_pte);
	pte_unmap(start_pte);
	if (!pml)
		spin_unlock(ptl);
	if (!pml) {
		pml = pmd_lock(mm, pmd);
		if (ptl != pml)
			spin_lock_nested(ptl, SINGLE_DEPTH_NESTING);
	}
	if (ptl != pml)
		spin_unlock(ptl);
	spin_unlock(pml);
	return;
abort:
	if (pml)
		spin_unlock(pml);
}

/* ... the pte lock forgotten when the pmd lock is held and differs */
void bad_optional_pml(struct mm_struct *mm, pmd_t *pmd, unsigned long addr, int uffd)
{
	spinlock_t *pml = NULL, *ptl;
	pte_t *start_pte;

	if (uffd)
		pml = pmd_lock(mm, pmd);
	start_pte = pte_offset_map_nolock(mm, pmd, addr, &ptl);
	if (!start_pte)
		goto abort;
	if (!pml)
		spin_lock(ptl);
	ptep_clear(mm, addr, start_pte); /* mmlock-warn: pte-lock "ptep_clear\(\) changes a pte .*without .*pte lock" */
	pte_unmap(start_pte);
	if (!pml)
		spin_unlock(ptl);
	else
		spin_unlock(pml);
	return;
abort:
	if (pml)
		spin_unlock(pml);
}

/* mmap.c brk / __vm_munmap (6.12): do_vmi_munmap(..., unlock) drops
   mmap_lock when it succeeds and was asked to */
int good_munmap_unlock(struct vma_iterator *vmi, struct mm_struct *mm,
		       unsigned long start, unsigned long len)
{
	mmap_write_lock(mm);
	if (do_vmi_munmap(vmi, mm, start, len, NULL, 1))
		mmap_write_unlock(mm);
	return 0;
}

int bad_munmap_keep(struct vma_iterator *vmi, struct mm_struct *mm,
		    unsigned long start, unsigned long len)
{
	mmap_write_lock(mm);
	if (do_vmi_munmap(vmi, mm, start, len, NULL, 0))
		mmap_write_unlock(mm);
	return 0; /* mmlock-warn[plugin]: lock-balance "returns with the mmap_lock lock held on this path, released on another" -- Coccinelle takes the release under "if (do_vmi_munmap(...))" as a release; the plugin follows do_vmi_munmap()'s result and its unlock argument */
}

/* userfaultfd.c move_pages_pte / move_zeropage_pte (6.8+): both tables
   mapped without their locks, then both locks at once */
int good_double_pt_lock(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd,
			unsigned long a, unsigned long b, pte_t zero)
{
	spinlock_t *dst_ptl, *src_ptl;
	pte_t *dst_pte = pte_offset_map_nolock(mm, dst_pmd, a, &dst_ptl), *src_pte;

	if (!dst_pte)
		return -1;
	src_pte = pte_offset_map_nolock(mm, src_pmd, b, &src_ptl);
	if (!src_pte) {
		pte_unmap(dst_pte);
		return -1;
	}
	double_pt_lock(dst_ptl, src_ptl);
	ptep_clear(mm, b, src_pte);
	set_ptes(mm, a, dst_pte, zero, 1);
	double_pt_unlock(dst_ptl, src_ptl);
	pte_unmap(src_pte);
	pte_unmap(dst_pte);
	return 0;
}

int bad_double_pt_unlocked(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd,
			   unsigned long a, unsigned long b, pte_t zero)
{
	spinlock_t *dst_ptl, *src_ptl;
	pte_t *dst_pte = pte_offset_map_nolock(mm, dst_pmd, a, &dst_ptl), *src_pte;

	if (!dst_pte)
		return -1;
	src_pte = pte_offset_map_nolock(mm, src_pmd, b, &src_ptl);
	if (!src_pte) {
		pte_unmap(dst_pte);
		return -1;
	}
	double_pt_lock(dst_ptl, src_ptl);
	ptep_clear(mm, b, src_pte);
	double_pt_unlock(dst_ptl, src_ptl);
	set_ptes(mm, a, dst_pte, zero, 1); /* mmlock-warn: pte-lock "set_ptes\(\) changes a pte .*(without holding its pte lock|after its lock 'dst_ptl' was released)" */
	pte_unmap(src_pte);
	pte_unmap(dst_pte);
	return 0;
}

/* madvise.c swapin_walk_pmd_entry: map on demand ("if (!ptep++)"), unmap
   when leaving the table, and once more at the end if still mapped */
int good_map_on_demand(struct mm_struct *mm, pmd_t *pmd, unsigned long start,
		       unsigned long end)
{
	pte_t *ptep = NULL;
	spinlock_t *ptl;

	for (unsigned long addr = start; addr < end; addr += 4096) {
		if (!ptep++) {
			ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);
			if (!ptep)
				break;
		}
		if (!is_swap_pte(ptep_get(ptep)))
			continue;
		pte_unmap_unlock(ptep, ptl);
		ptep = NULL;
	}
	if (ptep)
		pte_unmap_unlock(ptep, ptl);
	return 0;
}

int bad_map_on_demand(struct mm_struct *mm, pmd_t *pmd, unsigned long start,
		      unsigned long end)
{
	pte_t *ptep = NULL;
	spinlock_t *ptl;

	for (unsigned long addr = start; addr < end; addr += 4096) {
		if (!ptep++) {
			ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);
			if (!ptep)
				break;
		}
		if (!is_swap_pte(ptep_get(ptep)))
			return -1;	/* returns locked: reported where the paths join */ /* mmlock-warn[cocci]: lock-balance "return with page-table lock 'ptl' still held" -- the plugin reports this leak where the paths join, line 288 (the function's one return) */
		pte_unmap_unlock(ptep, ptl);
		ptep = NULL;
	}
	if (ptep)
		pte_unmap_unlock(ptep, ptl);
	return 0;
} /* mmlock-warn[plugin]: lock-balance "returns with the pte lock held on this path, released on another" -- Coccinelle reports this leak at the return that leaks, line 281 */

/* userfaultfd.c move_pages_pte: the anon_vma lock taken once, kept over
   "goto retry" (held iff src_anon_vma is set), released at the end */
int good_lock_kept_over_retry(struct folio *folio, int again)
{
	struct anon_vma *src_anon_vma = NULL;

retry:
	if (!src_anon_vma) {
		src_anon_vma = folio_get_anon_vma(folio);
		if (!src_anon_vma)
			return -1;
		if (!anon_vma_trylock_write(src_anon_vma)) {
			anon_vma_lock_write(src_anon_vma);
			goto retry;
		}
	}
	if (again--)
		goto retry;
	if (src_anon_vma)
		anon_vma_unlock_write(src_anon_vma);
	return 0;
}

int bad_lock_kept_over_retry(struct folio *folio, int again)
{
	struct anon_vma *src_anon_vma = NULL;

retry:
	src_anon_vma = folio_get_anon_vma(folio);
	if (!src_anon_vma)
		return -1;
	anon_vma_lock_write(src_anon_vma); /* mmlock-warn[plugin]: lock-balance "anon_vma_lock_write\(\) takes the anon_vma lock, already held on this path" -- Coccinelle does not follow a lock around a "goto retry" loop */
	if (again--)
		goto retry;
	anon_vma_unlock_write(src_anon_vma);
	return 0; /* mmlock-warn[plugin]: lock-balance "returns with the anon_vma lock held on this path, released on another" -- Coccinelle does not follow a lock around a "goto retry" loop */
}

/* pagewalk.c folio_walk_start: a walker returns with the lock of the level
   it stopped at (pud, pmd or pte) held when it found something, NULL
   otherwise; the caller unlocks */
struct folio *good_walker(struct mm_struct *mm, pud_t *pudp, pmd_t *pmdp,
			  unsigned long addr, spinlock_t **ptlp)
{
	spinlock_t *ptl;
	pte_t *ptep;

	if (pud_leaf(*pudp)) {
		ptl = pud_lock(mm, pudp);
		*ptlp = ptl;
		return (struct folio *)pudp;
	}
	if (pmd_leaf(*pmdp)) {
		ptl = pmd_lock(mm, pmdp);
		*ptlp = ptl;
		return (struct folio *)pmdp;
	}
	ptep = pte_offset_map_lock(mm, pmdp, addr, &ptl);
	if (!ptep)
		return NULL;
	if (pte_none(ptep_get(ptep))) {
		pte_unmap_unlock(ptep, ptl);
		return NULL;
	}
	*ptlp = ptl;
	return pte_folio(ptep_get(ptep));
}

/* migrate.c migration_entry_wait (6.5+): the wait drops the ptl */
void good_migration_wait(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
			 swp_entry_t entry)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);

	if (!ptep)
		return;
	if (!is_swap_pte(ptep_get(ptep))) {
		pte_unmap_unlock(ptep, ptl);
		return;
	}
	pte_unmap(ptep);
	migration_entry_wait_on_locked(entry, ptl);
}

void bad_migration_wait(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
			swp_entry_t entry)
{
	spinlock_t *ptl;
	pte_t *ptep = pte_offset_map_lock(mm, pmd, addr, &ptl);

	if (!ptep)
		return;
	migration_entry_wait_on_locked(entry, ptl);
	set_ptes(mm, addr, ptep, ptep_get(ptep), 1); /* mmlock-warn[plugin]: pte-lock "set_ptes\(\) changes a pte entry without holding its pte lock" -- Coccinelle does not know that migration_entry_wait_on_locked() releases the pte lock (rules/mm.rules: release ... lock=arg1) */
	pte_unmap(ptep);
}

/* memory.c generic_access_phys (6.12): follow_pfnmap_start() hands its lock
   out in the args, follow_pfnmap_end() drops it */
unsigned long good_pfnmap(struct vm_area_struct *vma, unsigned long addr)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };
	unsigned long pfn;

	if (follow_pfnmap_start(&args))
		return 0;
	pfn = args.pfn;
	follow_pfnmap_end(&args);
	return pfn;
}

unsigned long bad_pfnmap(struct vm_area_struct *vma, unsigned long addr)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };

	if (follow_pfnmap_start(&args))
		return 0;
	mmap_read_lock(vma->vm_mm); /* mmlock-warn[plugin]: lock-order "mmap_read_lock\(\) takes the mmap_lock lock while holding the pte lock" -- Coccinelle does not know that follow_pfnmap_start() returns with a page-table lock held (in args->lock) */
	mmap_read_unlock(vma->vm_mm);
	follow_pfnmap_end(&args);
	return args.pfn;
}

void leaky_pfnmap(struct vm_area_struct *vma, unsigned long addr,
		  unsigned long *pfn)
{
	struct follow_pfnmap_args args = { .vma = vma, .address = addr };

	if (follow_pfnmap_start(&args))
		return;
	*pfn = args.pfn;
	if (!args.writable) {
		follow_pfnmap_end(&args);
		return;
	}
} /* mmlock-warn[plugin]: lock-balance "returns with the pte lock held on this path, released on another" -- Coccinelle does not know that follow_pfnmap_start() returns with a page-table lock held (in args->lock) */

/* userfaultfd.c move_pages (6.8+): move_pages_huge_pmd() drops the source
   pmd lock its caller took */
int good_move_huge(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd,
		   struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
		   unsigned long dst_addr, unsigned long src_addr)
{
	spinlock_t *ptl = pmd_trans_huge_lock(src_pmd, src_vma);

	if (!ptl)
		return -1;
	return move_pages_huge_pmd(mm, dst_pmd, src_pmd, *dst_pmd, dst_vma,
				   src_vma, dst_addr, src_addr);
}

int bad_move_huge(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd,
		  struct vm_area_struct *dst_vma, struct vm_area_struct *src_vma,
		  unsigned long dst_addr, unsigned long src_addr)
{
	spinlock_t *ptl = pmd_trans_huge_lock(src_pmd, src_vma);
	int err;

	if (!ptl)
		return -1;
	err = move_pages_huge_pmd(mm, dst_pmd, src_pmd, *dst_pmd, dst_vma,
				  src_vma, dst_addr, src_addr);
	spin_unlock(ptl); /* mmlock-warn[plugin]: lock-balance "spin_unlock releases the pmd lock, already released on this path" -- Coccinelle does not know that move_pages_huge_pmd() releases the pmd lock its caller took */
	return err;
}

/* hugetlb.c hugetlb_no_page (6.12, 98b74bb4d7e9 + 2a058ab3286d): the vma
   is still needed after preparing the anon_vma, so the lock is dropped by
   the function itself at its end */
vm_fault_t good_anon_prepare_keep(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = __vmf_anon_prepare(vmf);

	if (ret)
		goto out;
	ret = anon_vma_prepare_slow(vma);
out:
	vma_unlock_something(vma);
	if (ret & VM_FAULT_RETRY)
		vma_end_read(vma);
	return ret;
}

/* ... and before the fix: vmf_anon_prepare() dropped the vma lock on the
   VM_FAULT_RETRY path, and the vma is used after it (HISTORY row 25) */
vm_fault_t bad_anon_prepare_drop(struct vm_fault *vmf)
{
	struct vm_area_struct *vma = vmf->vma;
	vm_fault_t ret = vmf_anon_prepare(vmf);

	if (ret)
		goto out;
	ret = anon_vma_prepare_slow(vma);
out:
	vma_unlock_something(vma); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before the vma lock was possibly dropped" -- Coccinelle does not know the per-VMA lock, nor that vmf_anon_prepare() drops it (cocci/README: vma-lock is the plugin's) */
	return ret;
}
