/* The page walker (include/linux/pagewalk.h) for the cases of tests/rules
 * that have ->hugetlb_entry callbacks: struct mm_walk_ops (5.4+), and
 * struct mm_walk with the callbacks in it (before 5.4) and without. */
#ifndef MMLOCK_TEST_PAGEWALK_H
#define MMLOCK_TEST_PAGEWALK_H
struct hstate;
struct mm_walk;
enum page_walk_action { ACTION_SUBTREE, ACTION_CONTINUE, ACTION_AGAIN };
enum page_walk_lock { PGWALK_RDLOCK, PGWALK_WRLOCK, PGWALK_WRLOCK_VERIFY };
struct mm_walk_ops {
	int (*pmd_entry)(pmd_t *pmd, unsigned long addr, unsigned long next,
			 struct mm_walk *walk);
	int (*hugetlb_entry)(pte_t *pte, unsigned long hmask, unsigned long addr,
			     unsigned long next, struct mm_walk *walk);
	enum page_walk_lock walk_lock;
};
struct mm_walk {
	/* before 5.4 the callbacks sat here */
	int (*hugetlb_entry)(pte_t *pte, unsigned long hmask, unsigned long addr,
			     unsigned long next, struct mm_walk *walk);
	struct mm_struct *mm;
	struct vm_area_struct *vma;
	enum page_walk_action action;
	void *private;
};
struct hstate *hstate_vma(struct vm_area_struct *vma);
spinlock_t *huge_pte_lock(struct hstate *h, struct mm_struct *mm, pte_t *pte);
spinlock_t *huge_pte_lockptr(struct hstate *h, struct mm_struct *mm, pte_t *pte);
int huge_pte_none(pte_t pte);
struct page *pte_page(pte_t pte);
unsigned long pte_pfn(pte_t pte);
struct folio *page_folio(struct page *page);
#endif
