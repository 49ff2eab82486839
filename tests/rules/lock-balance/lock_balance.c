/* lock-balance: released on every path, once; flags that record lock state. */
#include "../include/kernel.h"

int scan_one(struct mm_struct *mm, _Bool *locked);
int work(void);

void good_flag_loop(struct mm_struct *mm, int n)
{
	if (!mmap_read_trylock(mm))
		return;
	while (n--) {
		_Bool mmap_locked = 1;

		if (work()) {
			mmap_read_unlock(mm);
			mmap_locked = 0;
		} else {
			scan_one(mm, &mmap_locked);
		}
		if (!mmap_locked)
			goto out_unlocked;
	}
	mmap_read_unlock(mm);
out_unlocked:
	return;
}

void bad_double_unlock(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	mmap_read_unlock(mm); /* mmlock-note: "(and|first) released here" */
	mmap_read_unlock(mm); /* mmlock-warn: lock-balance "mmap_lock.* released" */
}

int bad_error_path(struct mm_struct *mm)
{
	mmap_write_lock(mm);
	if (work())
		return -22; /* mmlock-warn: lock-balance "return.* with .*mmap_lock.* held" */
	mmap_write_unlock(mm);
	return 0;
}

int good_killable(struct mm_struct *mm)
{
	if (mmap_read_lock_killable(mm))
		return -4;
	work();
	mmap_read_unlock(mm);
	return 0;
}

void good_conditional(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		anon_vma_lock_write(vma->anon_vma);
	work();
	if (vma->anon_vma)
		anon_vma_unlock_write(vma->anon_vma);
}

spinlock_t *good_returns_locked(struct mm_struct *mm, pmd_t *pmd)
{
	spinlock_t *ptl = pmd_lockptr(mm, pmd);

	spin_lock(ptl);
	return ptl;
}

void good_caller_of_locked_helper(struct mm_struct *mm, pmd_t *pmd, pmd_t v)
{
	spinlock_t *ptl = good_returns_locked(mm, pmd);

	set_pmd_at(mm, 0, pmd, v);
	spin_unlock(ptl);
}

void bad_double_lock(struct mm_struct *mm)
{
	mmap_read_lock(mm); /* mmlock-note: "first taken here" */
	mmap_read_lock(mm); /* mmlock-warn: lock-balance "mmap_lock.*already held" */
	mmap_read_unlock(mm);
	mmap_read_unlock(mm); /* mmlock-warn[cocci]: lock-balance "mmap_lock released again, without being taken in between" -- the double acquisition of line 81 seen again at its second release: Coccinelle pairs each release with an acquisition, the plugin reports the cause only */
}

int copy_user(void);

int good_locked_flag(struct vm_fault *vmf, struct mm_struct *mm, unsigned long addr)
{
	_Bool locked = 0;
	int ret = 0;

	if (work()) {
		vmf->pte = pte_offset_map_lock(mm, vmf->pmd, addr, &vmf->ptl);
		locked = 1;
		if (work()) {
			ret = -11;
			goto pte_unlock;
		}
	}
	if (copy_user()) {
		if (locked)
			goto warn;
		vmf->pte = pte_offset_map_lock(mm, vmf->pmd, addr, &vmf->ptl);
		locked = 1;
		if (work()) {
			ret = -11;
			goto pte_unlock;
		}
warn:
		work();
	}
	ret = 0;
pte_unlock:
	if (locked)
		pte_unmap_unlock(vmf->pte, vmf->ptl);
	return ret;
}

int leaf(pmd_t *pmd);

/* ksm: one variable holds the pmd lock on one path, the pte lock on another */
int good_one_ptl_two_locks(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte = 0;

	if (leaf(pmd)) {
		ptl = pmd_lock(mm, pmd);
		if (leaf(pmd))
			goto unlock;
		spin_unlock(ptl);
	}
	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
unlock:
	spin_unlock(ptl);
	if (pte)
		pte_unmap(pte);
	return 0;
}

/* vma_link: the lock is taken on "mapping", released "if (mapping)" */
void good_lock_if_object(struct vm_area_struct *vma)
{
	struct address_space *mapping = 0;

	if (vma->vm_file) {
		mapping = vma->vm_file->f_mapping;
		i_mmap_lock_write(mapping);
	}
	work();
	if (mapping)
		i_mmap_unlock_write(mapping);
}
