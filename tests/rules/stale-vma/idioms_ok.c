/*
 * Correct code that drops mmap_lock and must not warn: a fresh lookup
 * after re-taking it (madvise_dontneed_free() after userfaultfd_remove(),
 * 6.1), a lock flag tested before the vma is touched again (khugepaged's
 * scan loop), "if (err) unlock ... if (err) goto out" (do_mbind()), a vma
 * iterator that starts over (ksm), and the exiting mm of exit_mmap().
 */
#include "../include/kernel.h"
bool userfaultfd_remove(struct vm_area_struct *vma, unsigned long start, unsigned long end);
bool can_madv_lru_vma(struct vm_area_struct *vma);
long zap_page_range(struct vm_area_struct *vma, unsigned long address, unsigned long size);
void scan_file(struct mm_struct *mm, unsigned long address, struct file *file);
void scan_pmd(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
	      bool *mmap_locked);
int mpol_set_nodemask(struct mempolicy *pol);
int mbind_range(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long start,
		unsigned long end, struct mempolicy *new_pol);
bool more_work(void);
void unmerge(struct vm_area_struct *vma);
struct vm_area_struct *first_vma(struct mm_struct *mm);
void unmap_vmas(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long start,
		unsigned long end);
void free_pgtables(struct mmu_gather *tlb, struct vm_area_struct *vma, unsigned long floor,
		   unsigned long ceiling);
static long dontneed_free(struct vm_area_struct *vma,
			  struct vm_area_struct **prev,
			  unsigned long start, unsigned long end, int behavior)
{
	struct mm_struct *mm = vma->vm_mm;

	*prev = vma;
	if (!userfaultfd_remove(vma, start, end)) {
		*prev = NULL; /* mmap_lock has been dropped, prev is stale */

		mmap_read_lock(mm);
		vma = find_vma(mm, start);
		if (!vma)
			return -ENOMEM;
		if (start < vma->vm_start)
			return -ENOMEM;
		if (!can_madv_lru_vma(vma))
			return -EINVAL;
		if (end > vma->vm_end)
			end = vma->vm_end;
	}
	return zap_page_range(vma, start, end - start);
}

static void scan_with_flag(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long address)
{
	bool mmap_locked = true;

	while (address < vma->vm_end) {
		if (!vma_is_anonymous(vma)) {
			struct file *file = get_file(vma->vm_file);

			mmap_read_unlock(mm);
			mmap_locked = false;
			scan_file(mm, address, file);
			fput(file);
		} else {
			scan_pmd(mm, vma, address, &mmap_locked);
		}
		if (!mmap_locked)
			return;
		address += HPAGE_PMD_SIZE;
	}
}

static long mbind_like(struct mm_struct *mm, unsigned long start,
		       unsigned long end, struct mempolicy *new)
{
	struct vm_area_struct *vma;
	int err;

	mmap_write_lock(mm);
	err = mpol_set_nodemask(new);
	if (err)
		mmap_write_unlock(mm);
	if (err)
		goto out;
	vma = vma_lookup(mm, start);
	err = mbind_range(mm, vma, start, end, new);
	mmap_write_unlock(mm);
out:
	return err;
}

static void ksm_like(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	VMA_ITERATOR(vmi, mm, 0);

	while (more_work()) {
		mmap_read_lock(mm);
		for_each_vma(vmi, vma) {
			if (!(vma->vm_flags & VM_MERGEABLE))
				continue;
			unmerge(vma);
		}
		mmap_read_unlock(mm);
	}
}

static void exit_mmap_like(struct mm_struct *mm)
{
	struct vm_area_struct *vma;
	struct mmu_gather tlb;

	mmap_read_lock(mm);
	vma = first_vma(mm);
	unmap_vmas(&tlb, vma, 0, ULONG_MAX);
	mmap_read_unlock(mm);

	/* nobody can unmap now: the oom reaper is told to keep off */
	set_bit(MMF_OOM_SKIP, &mm->flags);
	mmap_write_lock(mm);
	free_pgtables(&tlb, vma, FIRST_USER_ADDRESS, USER_PGTABLES_CEILING); /* mmlock-warn[plugin]: stale-vma "passes on a vma, learned before mmap_lock was dropped" -- a false positive of the plugin: it knows an mm being torn down by the function's name (rules: mmprivate exit_mmap), not by the MMF_OOM_SKIP this copy of exit_mmap() sets; Coccinelle does */
	mmap_write_unlock(mm);
}
