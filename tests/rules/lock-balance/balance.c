/*
 * lock-balance: an mm lock taken is released on every return path, once,
 * in the mode it was taken in.
 */
#include "../include/kernel.h"
#include "../include/pagewalk.h"
extern struct mm_struct init_mm;
void touch(struct vm_area_struct *vma);
int work(struct mm_struct *mm, unsigned long addr);
int need_write(int behavior);
int walk(struct mm_struct *mm, int behavior);
int vfs_fadvise(struct file *file, long offset, long len, int advice);
struct vm_area_struct *expand_stack(struct mm_struct *mm, unsigned long addr);
struct anon_vma *folio_anon(struct folio *folio);
bool atomic_dec_and_test(atomic_t *v);
void put_anon_vma(struct anon_vma *anon_vma);
int pmd_free_pte_page(pmd_t *pmd, unsigned long addr);
bool is_vm_hugetlb_page(struct vm_area_struct *vma);
ssize_t mcopy_atomic_hugetlb(struct mm_struct *dst_mm, struct vm_area_struct *dst_vma,
			     unsigned long dst_start);
void copy(struct vm_area_struct *vma);
struct vm_area_struct *find_vma_and_prepare_anon(struct mm_struct *mm, unsigned long addr);
bool validate_dst_vma(struct vm_area_struct *dst_vma, unsigned long dst_end);
int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long start,
		  unsigned long len, struct list_head *uf, bool unlock);
void userfaultfd_unmap_complete(struct mm_struct *mm, struct list_head *uf);
bool need_split(pte_t *pte);
void split(unsigned long addr);
void age(pte_t *pte);
void zap(pte_t *pte);
int walk_inner(pte_t *pte, unsigned long addr, unsigned long end, struct mm_walk *walk);
static int leak(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm); /* mmlock-note: "(the lock was|mmap_lock) taken here" */
	vma = vma_lookup(mm, addr);
	if (!vma)
		return -EFAULT; /* mmlock-warn: lock-balance "return.* with .*mmap_lock.* held" */
	touch(vma);
	mmap_read_unlock(mm); /* mmlock-note[plugin]: "another path releases it here" */
	return 0;
}

static int killable_ok(struct mm_struct *mm, unsigned long addr)
{
	int ret;

	if (mmap_read_lock_killable(mm))
		return -EINTR;
	ret = work(mm, addr);
	mmap_read_unlock(mm);
	return ret;
}

static int killable_leak(struct mm_struct *mm, unsigned long addr)
{
	int ret;

	ret = mmap_write_lock_killable(mm);
	if (ret)
		return ret;
	if (work(mm, addr))
		return -EINVAL; /* mmlock-warn: lock-balance "return.* with .*mmap_lock.* held" */
	mmap_write_unlock(mm);
	return 0;
}

/* do_madvise(): the mode chosen once, tested again at the release. */
static int conditional_mode(struct mm_struct *mm, int behavior)
{
	int write = need_write(behavior);
	int error;

	if (write) {
		if (mmap_write_lock_killable(mm))
			return -EINTR;
	} else {
		mmap_read_lock(mm);
	}
	error = walk(mm, behavior);
	if (write)
		mmap_write_unlock(mm);
	else
		mmap_read_unlock(mm);
	return error;
}

static void wrong_mode(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	work(mm, 0);
	mmap_write_unlock(mm); /* mmlock-warn[cocci]: lock-balance "lock released in a different mode \(read/write\) than it was taken in" -- the plugin's lock-balance does not compare the mode of a release with the mode the lock was taken in */
}

static void twice(struct mm_struct *mm)
{
	mmap_read_lock(mm);
	work(mm, 0);
	mmap_read_lock(mm); /* mmlock-warn: lock-balance "mmap_lock.*already held" */
	mmap_read_unlock(mm);
}

/* madvise_willneed(): entered with the lock held, drops and re-takes it. */
static long relock_for_caller(struct mm_struct *mm, struct file *file)
{
	mmap_read_unlock(mm);
	vfs_fadvise(file, 0, 0, POSIX_FADV_WILLNEED);
	fput(file);
	mmap_read_lock(mm);
	return 0;
}

/* __access_remote_vm(): expand_stack() drops the lock when it fails. */
static int expand_fail(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma;

	if (mmap_read_lock_killable(mm))
		return 0;
	vma = vma_lookup(mm, addr);
	if (!vma) {
		vma = expand_stack(mm, addr);
		if (!vma)
			return 0;
	}
	touch(vma);
	mmap_read_unlock(mm);
	return 1;
}

/* lock_mm_and_find_vma(): returns with the lock held when it found one. */
static struct vm_area_struct *lock_and_find(struct mm_struct *mm,
					    unsigned long addr)
{
	struct vm_area_struct *vma;

	mmap_read_lock(mm);
	vma = vma_lookup(mm, addr);
	if (!vma)
		mmap_read_unlock(mm);
	return vma;
}

/* folio_lock_anon_vma_read(): returns the anon_vma it locked. */
static struct anon_vma *lock_anon(struct folio *folio)
{
	struct anon_vma *anon_vma = folio_anon(folio);

	if (!anon_vma)
		return NULL;
	anon_vma_lock_read(anon_vma);
	if (atomic_dec_and_test(&anon_vma->refcount)) {
		anon_vma_unlock_read(anon_vma);
		put_anon_vma(anon_vma);
		anon_vma = NULL;
	}
	return anon_vma;
}

static int pte_leak(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte_present(*pte))
		return -EAGAIN; /* mmlock-warn[cocci]: lock-balance "return with page-table lock 'ptl' still held" -- the plugin reports this leak where the paths join, line 171 (the function's one return) */
	pte_unmap_unlock(pte, ptl);
	return 0;
} /* mmlock-warn[plugin]: lock-balance "returns with the pte lock held on this path, released on another" -- Coccinelle reports this leak at the return that leaks, line 168 */

/* Kernel page tables: the lock pair is in two #ifndef blocks. */
static int ifdef_pair(pmd_t *pmd, unsigned long addr)
{
	int ret;

#ifndef CONFIG_ARM64
	if (!mmap_read_trylock(&init_mm))
		return 0;
#endif
	ret = pmd_free_pte_page(pmd, addr);
#ifndef CONFIG_ARM64
	mmap_read_unlock(&init_mm);
#endif
	return ret;
}

/* __mcopy_atomic(): the hugetlb helper releases the lock it is handed. */
static ssize_t hand_over(struct mm_struct *dst_mm, unsigned long dst_start)
{
	struct vm_area_struct *dst_vma;

	mmap_read_lock(dst_mm);
	dst_vma = vma_lookup(dst_mm, dst_start);
	if (!dst_vma)
		goto out_unlock;
	if (is_vm_hugetlb_page(dst_vma))
		return mcopy_atomic_hugetlb(dst_mm, dst_vma, dst_start);
	copy(dst_vma);
out_unlock:
	mmap_read_unlock(dst_mm);
	return 0;
}

/*
 * 6.12 uffd_mfill_lock(): returns the vma with mmap_lock held for the
 * caller, releases it on the error path.
 */
static struct vm_area_struct *mfill_lock(struct mm_struct *dst_mm,
					 unsigned long dst_start,
					 unsigned long len)
{
	struct vm_area_struct *dst_vma;

	mmap_read_lock(dst_mm);
	dst_vma = find_vma_and_prepare_anon(dst_mm, dst_start);
	if (IS_ERR(dst_vma))
		goto out_unlock;
	if (validate_dst_vma(dst_vma, dst_start + len))
		return dst_vma; /* mmlock-warn[plugin]: lock-balance "returns with the mmap_lock lock held on this path" -- a false positive of the plugin: it does not take a returned vma as handing mmap_lock to the caller (6.12 uffd_mfill_lock() without CONFIG_PER_VMA_LOCK); Coccinelle does */
	dst_vma = ERR_PTR(-ENOENT);
out_unlock:
	mmap_read_unlock(dst_mm);
	return dst_vma;
}

/* the same helper forgetting the unlock on an error return */
static struct vm_area_struct *mfill_lock_leak(struct mm_struct *dst_mm,
					      unsigned long dst_start)
{
	struct vm_area_struct *dst_vma;

	mmap_read_lock(dst_mm);
	dst_vma = find_vma_and_prepare_anon(dst_mm, dst_start);
	if (IS_ERR(dst_vma))
		return ERR_PTR(-ENOMEM); /* mmlock-warn[cocci]: lock-balance "return with mmap_lock still held" -- the plugin reports this leak where the paths join, line 240 (the function's one return) */
	if (!validate_dst_vma(dst_vma, dst_start))
		mmap_read_unlock(dst_mm);
	return dst_vma; /* mmlock-warn[plugin]: lock-balance "returns with the mmap_lock lock held on this path" -- Coccinelle reports this leak at the return that leaks, line 237 */
}

/* 6.12 brk(), mremap(): the munmap is told to drop mmap_lock on success */
static unsigned long shrink(struct mm_struct *mm, struct vma_iterator *vmi,
			    unsigned long newbrk, unsigned long oldbrk)
{
	LIST_HEAD(uf);

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	if (do_vmi_munmap(vmi, mm, newbrk, oldbrk - newbrk, &uf, true))
		goto out;
	goto out_unlocked;
out:
	mmap_write_unlock(mm);
out_unlocked:
	userfaultfd_unmap_complete(mm, &uf);
	return newbrk;
}

/* told to keep the lock, and then returning without releasing it */
static unsigned long shrink_keep(struct mm_struct *mm, struct vma_iterator *vmi,
				 unsigned long newbrk, unsigned long oldbrk)
{
	LIST_HEAD(uf);

	if (mmap_write_lock_killable(mm))
		return -EINTR;
	if (do_vmi_munmap(vmi, mm, newbrk, oldbrk - newbrk, &uf, false))
		goto out;
	return newbrk; /* mmlock-warn[cocci]: lock-balance "return with mmap_lock still held" -- the plugin reports this leak where the paths join, line 275 (the function's one return) */
out:
	mmap_write_unlock(mm);
	return 0;
} /* mmlock-warn[plugin]: lock-balance "returns with the mmap_lock lock held on this path" -- Coccinelle reports this leak at the return that leaks, line 271 */

/* 6.12 madvise_cold_or_pageout_pte_range(): chained and copied pte maps */
static int chained_map(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
		       unsigned long end)
{
	pte_t *start_pte, *pte;
	spinlock_t *ptl;

	start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!start_pte)
		return 0;
	for (; addr < end; pte++, addr += PAGE_SIZE) {
		if (need_split(pte)) {
			pte_unmap_unlock(start_pte, ptl);
			start_pte = NULL;
			split(addr);
			pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
			start_pte = pte;
			if (!start_pte)
				break;
			continue;
		}
		age(pte);
	}
	if (start_pte)
		pte_unmap_unlock(start_pte, ptl);
	return 0;
}

static int chained_leak(struct mm_struct *mm, pmd_t *pmd, unsigned long addr)
{
	pte_t *start_pte, *pte;
	spinlock_t *ptl;

	start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!start_pte)
		return 0;
	if (!pte_present(ptep_get(pte)))
		return -EAGAIN; /* mmlock-warn[cocci]: lock-balance "return with page-table lock 'ptl' still held" -- the plugin reports this leak where the paths join, line 317 (the function's one return) */
	pte_unmap_unlock(start_pte, ptl);
	return 0;
} /* mmlock-warn[plugin]: lock-balance "returns with the pte lock held on this path, released on another" -- Coccinelle reports this leak at the return that leaks, line 314 */

/* 6.12 zap_pte_range(), remap_pte_range(): the inner variable is tested */
static unsigned long chained_inner_test(struct mm_struct *mm, pmd_t *pmd,
					unsigned long addr, unsigned long end)
{
	pte_t *start_pte, *pte;
	spinlock_t *ptl;

	start_pte = pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	if (!pte)
		return addr;
	do {
		zap(pte);
	} while (pte++, addr += PAGE_SIZE, addr != end);
	pte_unmap_unlock(start_pte, ptl);
	return addr;
}

/* 6.12 walk_pte_range(): released under "if (pte)", NULL tested again after */
static int walk_range(struct mm_walk *walk, pmd_t *pmd, unsigned long addr,
		      unsigned long end)
{
	pte_t *pte;
	int err = 0;
	spinlock_t *ptl;

	pte = pte_offset_map_lock(walk->mm, pmd, addr, &ptl);
	if (pte) {
		err = walk_inner(pte, addr, end, walk);
		pte_unmap_unlock(pte, ptl);
	}
	if (!pte)
		walk->action = ACTION_AGAIN;
	return err;
}
