/*
 * pte-read, the forms before 6.12 (huge_ptep_get(pte), one argument) and
 * before 5.4 (the callbacks in a struct mm_walk, assigned field by field).
 */
#include "../include/kernel.h"
#include "../include/pagewalk.h"
pte_t huge_ptep_get(pte_t *ptep);
void account(void *priv, struct page *page);
bool pfn_modify_allowed(unsigned long pfn, pgprot_t prot);
int walk_page_range(unsigned long start, unsigned long end, struct mm_walk *walk);
static int gather(pte_t *pte, unsigned long hmask, unsigned long addr,
		  unsigned long end, struct mm_walk *walk)
{
	pte_t huge_pte = huge_ptep_get(pte); /* mmlock-warn[cocci]: pte-read "hugetlb entry 'pte' read without huge_pte_lock\(\) in gather\(\), a ->hugetlb_entry callback" -- the plugin's rules name mm_walk_ops.hugetlb_entry (5.4+) as the callback, not the field of the older struct mm_walk */

	if (!pte_present(huge_pte))
		return 0;
	account(walk->private, pte_page(huge_pte));
	return 0;
}

static int gather_locked(pte_t *pte, unsigned long hmask, unsigned long addr,
			 unsigned long end, struct mm_walk *walk)
{
	spinlock_t *ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, pte);
	pte_t huge_pte = huge_ptep_get(pte);

	if (pte_present(huge_pte))
		account(walk->private, pte_page(huge_pte));
	spin_unlock(ptl);
	return 0;
}

static int show_one(struct mm_struct *mm, unsigned long start, unsigned long end) /* mmlock-unanalysed: it only sets up two walks (pre-5.4 struct mm_walk): no lock or operation the rules name */
{
	struct mm_walk walk = {
		.hugetlb_entry = gather_locked,
		.mm = mm,
	};
	struct mm_walk walk2;

	walk2.hugetlb_entry = gather;
	walk2.mm = mm;
	walk_page_range(start, end, &walk2);
	return walk_page_range(start, end, &walk);
}

/*
 * The entry read through the pointer itself (*pte: kernels before
 * huge_ptep_get(), 6.1's prot_none_hugetlb_entry()) is not matched: the
 * rule is written for huge_ptep_get(), the hugetlb accessor.
 */
static int through_pointer(pte_t *pte, unsigned long hmask, unsigned long addr, /* mmlock-unanalysed: it reads *pte itself, not through huge_ptep_get(): no lock or operation the rules name */
			   unsigned long end, struct mm_walk *walk)
{
	return pfn_modify_allowed(pte_pfn(*pte), *(pgprot_t *)(walk->private)) ?
		0 : -EACCES;
}

static const struct mm_walk_ops through_pointer_ops = {
	.hugetlb_entry = through_pointer,
};
