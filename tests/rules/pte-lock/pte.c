/*
 * pte-lock: ptes change under their table's lock.  The correct forms:
 * pte_offset_map_lock(); pte_offset_map() + pte_lockptr() + spin_lock();
 * a table detached by pmdp_collapse_flush() (6.1 collapse_huge_page());
 * a table reached through a pmd_t on the stack (__split_huge_pmd_locked()).
 */
#include "../include/kernel.h"
void flush_tlb_page(unsigned long addr);
pgtable_t pgtable_trans_huge_withdraw(struct mm_struct *mm, pmd_t *pmdp);
pte_t pfn_pte(unsigned long pfn, pgprot_t prot);
unsigned long my_zero_pfn(unsigned long addr);
static void unlocked_set(struct mm_struct *mm, pmd_t *pmd,
			 unsigned long addr, pte_t entry)
{
	pte_t *pte;

	pte = pte_offset_map(pmd, addr); /* mmlock-note: "(the table was|'pte') mapped here" */
	set_pte_at(mm, addr, pte, entry); /* mmlock-warn: pte-lock "set_pte_at\(\) changes a pte .*without .*pte lock" */
	pte_unmap(pte);
}

static void locked_set(struct mm_struct *mm, pmd_t *pmd,
		       unsigned long addr, pte_t entry)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl);
	set_pte_at(mm, addr, pte, entry);
	pte_unmap_unlock(pte, ptl);
}

static void lockptr_set(struct mm_struct *mm, pmd_t *pmd,
			unsigned long addr, pte_t entry)
{
	spinlock_t *ptl;
	pte_t *pte;

	pte = pte_offset_map(pmd, addr);
	ptl = pte_lockptr(mm, pmd);
	spin_lock(ptl);
	ptep_set_wrprotect(mm, addr, pte);
	spin_unlock(ptl);
	pte_unmap(pte);
}

static void set_after_unlock(struct mm_struct *mm, pmd_t *pmd,
			     unsigned long addr, pte_t entry)
{
	spinlock_t *ptl;
	pte_t *pte, old;

	pte = pte_offset_map_lock(mm, pmd, addr, &ptl); /* mmlock-note[plugin]: "the lock was taken here" */ /* mmlock-note[plugin]: "the table was mapped here" */
	old = ptep_get_and_clear(mm, addr, pte);
	spin_unlock(ptl); /* mmlock-note: "(and|'ptl') released here" */
	flush_tlb_page(addr);
	set_pte_at(mm, addr, pte, entry); /* mmlock-warn: pte-lock "set_pte_at\(\) changes a pte .*(without holding its pte lock|after its lock 'ptl' was released)" */
	pte_unmap(pte);
}

static void detached(struct vm_area_struct *vma, pmd_t *pmd,
		     unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	spinlock_t *pmd_ptl;
	pmd_t _pmd;
	pte_t *pte;
	int i;

	anon_vma_lock_write(vma->anon_vma);
	pte = pte_offset_map(pmd, address);
	pmd_ptl = pmd_lock(mm, pmd);
	_pmd = pmdp_collapse_flush(vma, address, pmd); /* mmlock-warn[plugin]: rmap-lock-retract "pmdp_collapse_flush\(\) retracts a page table without mmap_lock for write" -- the function takes the anon_vma lock itself, so the plugin judges the retraction here, and this cut-down 6.1 collapse_huge_page() leaves out the mmap_lock for write the real one holds; Coccinelle takes the anon_vma lock as enough */
	spin_unlock(pmd_ptl);
	anon_vma_unlock_write(vma->anon_vma);
	for (i = 0; i < HPAGE_PMD_NR; i++, pte++, address += PAGE_SIZE)
		ptep_clear(mm, address, pte);
	pte_unmap(pte - HPAGE_PMD_NR);
}

static void split_zero(struct vm_area_struct *vma, unsigned long haddr,
		       pmd_t *pmd)
{
	struct mm_struct *mm = vma->vm_mm;
	pgtable_t pgtable;
	pmd_t _pmd;
	int i;

	pgtable = pgtable_trans_huge_withdraw(mm, pmd);
	pmd_populate(mm, &_pmd, pgtable);
	for (i = 0; i < HPAGE_PMD_NR; i++, haddr += PAGE_SIZE) {
		pte_t *pte, entry;

		entry = pfn_pte(my_zero_pfn(haddr), vma->vm_page_prot);
		pte = pte_offset_map(&_pmd, haddr);
		set_pte_at(mm, haddr, pte, entry);
		pte_unmap(pte);
	}
}
