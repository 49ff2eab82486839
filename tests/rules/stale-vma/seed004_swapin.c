/*
 * Seed 004, patch 3/3 ("mm, thp: make swapin readahead under down_read of
 * mmap_sem", 2016), the shape of its mm/huge_memory.c: swapin under the
 * read lock, then up_read()/down_write() and the old vma and pmd used
 * again.  Kirill Shutemov: "How do you guarantee that the vma will not be
 * destroyed (or changed) between up_read() and down_write()?  You need at
 * least find_vma() again."  Andrea Arcangeli: the find_vma() + "vma !=
 * vma_orig" in the swapin loop is not a revalidation either.  The early
 * "goto out" paths still end in up_write() of a semaphore now taken for
 * read ("mm, thp: fix locking inconsistency in collapse_huge_page"), and
 * the swapin failure path releases it twice.
 */
#include "../include/kernel.h"
struct mem_cgroup;
enum vm_event_item { ALLOCSTALL };
extern unsigned long allocstall;
extern struct page *new_page;
extern struct mem_cgroup *memcg;
int is_swap_pte(pte_t pte);
int do_swap_page(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long address,
		 pte_t *page_table, pmd_t *pmd, unsigned int flags, pte_t orig_pte);
void down_read(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void down_write(struct rw_semaphore *sem);
void up_write(struct rw_semaphore *sem);
void trace_mm_collapse_huge_page_swapin(struct mm_struct *mm, int swapped_in, int ret);
void trace_mm_collapse_huge_page(struct mm_struct *mm, int isolated, int status);
unsigned long get_mm_counter(struct mm_struct *mm, int member);
unsigned long sum_vm_event(enum vm_event_item item);
bool khugepaged_test_exit(struct mm_struct *mm);
bool hugepage_vma_check(struct vm_area_struct *vma);
pmd_t *mm_find_pmd(struct mm_struct *mm, unsigned long address);
int __collapse_huge_page_isolate(struct vm_area_struct *vma, unsigned long address, pte_t *pte);
void mem_cgroup_cancel_charge(struct page *page, struct mem_cgroup *memcg, bool compound);
static bool __collapse_huge_page_swapin(struct mm_struct *mm,
					struct vm_area_struct *vma,
					unsigned long address, pmd_t *pmd)
{
	unsigned long _address;
	pte_t *pte, pteval;
	int swapped_in = 0, ret = 0;
	struct vm_area_struct *vma_orig = vma;

	pte = pte_offset_map(pmd, address);
	for (_address = address; _address < address + HPAGE_PMD_NR * PAGE_SIZE;
	     pte++, _address += PAGE_SIZE) {
		pteval = *pte;
		if (!is_swap_pte(pteval))
			continue;
		swapped_in++;
		ret = do_swap_page(mm, vma, _address, pte, pmd,
				   FAULT_FLAG_ALLOW_RETRY,
				   pteval);
		/* do_swap_page returns VM_FAULT_RETRY with released mmap_sem */
		if (ret & VM_FAULT_RETRY) {
			down_read(&mm->mmap_sem); /* mmlock-warn[plugin]: lock-balance "down_read\(\) takes the mmap_lock lock, already held on this path" -- a false positive of the plugin: the plugin's rules know do_swap_page(vmf) (5.x+) as a call that may drop mmap_lock, not 4.x's seven-argument do_swap_page() */
			vma = find_vma(mm, address); /* mmlock-warn[cocci]: weak-revalidate "'vma' looked up again with find_vma\(\) after mmap_lock was re-taken, and used without checking its range" -- the plugin's rules know do_swap_page(vmf) (5.x+) as a call that may drop mmap_lock, not 4.x's seven-argument do_swap_page() */
			/* vma is no longer available, don't continue to swapin */
			if (vma != vma_orig)
				return false;
		}
		if (ret & VM_FAULT_ERROR) {
			trace_mm_collapse_huge_page_swapin(mm, swapped_in, 0);
			return false;
		}
		/* pte is unmapped now, we need to map it */
		pte = pte_offset_map(pmd, _address); /* mmlock-warn[cocci]: stale-pgtable "pmd pointer 'pmd' used after do_swap_page\(\) may have dropped mmap_lock" -- the plugin's rules know do_swap_page(vmf) (5.x+) as a call that may drop mmap_lock, not 4.x's seven-argument do_swap_page() */
	}
	pte--;
	pte_unmap(pte);
	trace_mm_collapse_huge_page_swapin(mm, swapped_in, 1);
	return true;
}

static void collapse_huge_page(struct mm_struct *mm, unsigned long address,
			       struct page **hpage, struct vm_area_struct *vma,
			       int node)
{
	pmd_t *pmd, _pmd;
	pte_t *pte;
	spinlock_t *pmd_ptl, *pte_ptl;
	int isolated = 0, result = 0;
	unsigned long hstart, hend;
	unsigned long swap, curr_allocstall;

	swap = get_mm_counter(mm, MM_SWAPENTS);
	curr_allocstall = sum_vm_event(ALLOCSTALL);

	down_read(&mm->mmap_sem);
	if (unlikely(khugepaged_test_exit(mm))) {
		result = SCAN_ANY_PROCESS;
		goto out;
	}
	vma = find_vma(mm, address);
	if (!vma) {
		result = SCAN_VMA_NULL;
		goto out;
	}
	hstart = (vma->vm_start + ~HPAGE_PMD_MASK) & HPAGE_PMD_MASK;
	hend = vma->vm_end & HPAGE_PMD_MASK;
	if (address < hstart || address + HPAGE_PMD_SIZE > hend) {
		result = SCAN_ADDRESS_RANGE;
		goto out;
	}
	if (!hugepage_vma_check(vma)) {
		result = SCAN_VMA_CHECK;
		goto out;
	}
	pmd = mm_find_pmd(mm, address);
	if (!pmd) {
		result = SCAN_PMD_NULL;
		goto out;
	}

	if (allocstall == curr_allocstall && swap != 0) {
		/*
		 * __collapse_huge_page_swapin always returns with mmap_sem
		 * locked.  If it fails, release mmap_sem and jump directly
		 * label out.  Continuing to collapse causes inconsistency.
		 */
		if (!__collapse_huge_page_swapin(mm, vma, address, pmd)) {
			up_read(&mm->mmap_sem);
			goto out;
		}
	}

	up_read(&mm->mmap_sem);
	down_write(&mm->mmap_sem);
	anon_vma_lock_write(vma->anon_vma); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */

	pte = pte_offset_map(pmd, address); /* mmlock-warn: stale-pgtable "pmd pointer.* mmap_lock was dropped" */
	pte_ptl = pte_lockptr(mm, pmd);

	pmd_ptl = pmd_lock(mm, pmd);
	_pmd = pmdp_collapse_flush(vma, address, pmd);
	spin_unlock(pmd_ptl);

	spin_lock(pte_ptl);
	isolated = __collapse_huge_page_isolate(vma, address, pte);
	spin_unlock(pte_ptl);

	anon_vma_unlock_write(vma->anon_vma);
	result = SCAN_SUCCEED;
out_up_write:
	up_write(&mm->mmap_sem); /* mmlock-warn: lock-balance "mmap_lock.* released" */
out_nolock:
	trace_mm_collapse_huge_page(mm, isolated, result);
	return;
out:
	mem_cgroup_cancel_charge(new_page, memcg, true);
	goto out_up_write;
}
