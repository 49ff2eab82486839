/*
 * Kernel page tables need no pmd lock (rules "kernelmm init_mm"): the x86
 * set_memory.c shape of 6.12.  __change_page_attr_set_clr(&cpa) reaches a
 * pmd_clear() only "if (cpa->pgd)" (the EFI/encryption tables), and the
 * callers either zero cpa (memset, a designated initializer) or set
 * cpa.pgd = init_mm.pgd.  A table reached from a user mm's pgd still
 * needs the lock.
 */
#include "../include/kernel.h"

typedef struct { unsigned long pgd; } pgd_t;
struct mm_with_pgd { pgd_t *pgd; };
extern struct mm_with_pgd init_mm;
struct cpa_data { pgd_t *pgd; unsigned long vaddr; int numpages; };
void pmd_clear(pmd_t *pmd);
pmd_t *pmd_of(pgd_t *pgd, unsigned long addr);

static void unmap_range(pmd_t *pmd)
{
	pmd_clear(pmd);
}

static int populate_pgd(struct cpa_data *cpa, unsigned long addr)
{
	pgd_t *pgd_entry = cpa->pgd + (addr >> 39);

	unmap_range((pmd_t *)pgd_entry);
	return 0;
}

static int process_fault(struct cpa_data *cpa, unsigned long vaddr)
{
	if (cpa->pgd)
		return populate_pgd(cpa, vaddr);
	return 0;
}

static int change_attr(struct cpa_data *cpa)
{
	return process_fault(cpa, cpa->vaddr);
}

int good_zeroed(unsigned long addr, int n)
{
	struct cpa_data cpa;

	__builtin_memset(&cpa, 0, sizeof(cpa));
	cpa.vaddr = addr;
	cpa.numpages = n;
	return change_attr(&cpa);
}

int good_initializer(unsigned long addr)
{
	struct cpa_data cpa = { .vaddr = addr, .numpages = 1 };

	return change_attr(&cpa);
}

int good_kernel_pgd(unsigned long addr)
{
	struct cpa_data cpa;

	__builtin_memset(&cpa, 0, sizeof(cpa));
	cpa.vaddr = addr;
	cpa.pgd = init_mm.pgd;
	return change_attr(&cpa);
}

struct mm_with_pgd *find_user_mm(void);

int bad_user_pgd(unsigned long addr)
{
	struct cpa_data cpa = { .vaddr = addr };

	cpa.pgd = find_user_mm()->pgd;
	return change_attr(&cpa); /* mmlock-warn[plugin]: pmd-lock "call to change_attr\(\) changes a pmd entry \(pmd_clear\) without holding its pmd lock" -- Coccinelle does not follow a change made in a callee (the caller's locks are unknown to it) */
}
