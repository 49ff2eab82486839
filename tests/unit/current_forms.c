/*
 * The 6.5+ forms mmlock must understand (RULES.md "Current kernels"), each
 * in the correct shape the kernel writes it (silent) beside a broken twin
 * that must warn.  Shapes from Debian's 6.12.117 mm/.
 */
#include "kernel612.h"

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
	set_ptes(mm, vmf->address, vmf->pte, entry, 1); /* mmlock-warn: pte-lock */
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
	return 0; /* mmlock-warn: lock-balance */
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
		touch_vma(vma); /* mmlock-warn: stale-vma */
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
	ptep_clear(mm, addr, start_pte); /* mmlock-warn: pte-lock */
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
	return 0; /* mmlock-warn: lock-balance */
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
	set_ptes(mm, a, dst_pte, zero, 1); /* mmlock-warn: pte-lock */
	pte_unmap(src_pte);
	pte_unmap(dst_pte);
	return 0;
}
