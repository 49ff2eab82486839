/*
 * pte-read: ->hugetlb_entry page-walk callbacks read their entry under
 * huge_pte_lock().  The walker holds only the hugetlb vma lock.
 * Callbacks are the functions named by .hugetlb_entry in an mm_walk_ops
 * initializer (or assigned to the field); the same reads elsewhere are
 * not this script's business.
 */
#include "../include/kernel612.h"
#include "../include/pagewalk.h"
struct counts { unsigned long present; };
struct scan { bool write; };
pte_t huge_ptep_get(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
int note_folio(struct folio *folio);
int count_pmd(pmd_t *pmd, unsigned long addr, unsigned long next, struct mm_walk *walk);
int record(void *s, pte_t pte);
bool needs_fault(pte_t pte);
int fault_in(struct mm_walk *walk, unsigned long addr, unsigned long end);
void wait_a_bit(struct mm_walk *walk);

/* 6.12 form, read with no lock at all (the shape of 9109bd52559b) */
static int count_range(pte_t *ptep, unsigned long hmask, unsigned long addr,
		       unsigned long end, struct mm_walk *walk)
{
	struct counts *c = walk->private;
	pte_t entry = huge_ptep_get(walk->mm, addr, ptep); /* mmlock-warn: pte-read "(huge_ptep_get\(\) reads a pte entry without holding its pte lock|hugetlb entry 'ptep?' read without huge_pte_lock\(\) in [a-z_]+\(\), a ->hugetlb_entry callback)" */

	if (pte_present(entry))
		c->present += note_folio(page_folio(pte_page(entry)));
	return 0;
}

/* only tested for none, still a read (the shape of 1623717b057f) */
static int presence(pte_t *pte, unsigned long hmask, unsigned long addr,
		    unsigned long end, struct mm_walk *walk)
{
	unsigned char *vec = walk->private;
	unsigned char present;

	present = pte && !huge_pte_none(huge_ptep_get(walk->mm, addr, pte)); /* mmlock-warn: pte-read "(huge_ptep_get\(\) reads a pte entry without holding its pte lock|hugetlb entry 'ptep?' read without huge_pte_lock\(\) in [a-z_]+\(\), a ->hugetlb_entry callback)" */
	for (; addr != end; vec++, addr += PAGE_SIZE)
		*vec = present;
	walk->private = vec;
	return 0;
}

/* the fixed forms: the read between huge_pte_lock() and spin_unlock() */
static int count_range_locked(pte_t *ptep, unsigned long hmask,
			      unsigned long addr, unsigned long end,
			      struct mm_walk *walk)
{
	struct counts *c = walk->private;
	struct hstate *h = hstate_vma(walk->vma);
	spinlock_t *ptl;
	pte_t entry;

	ptl = huge_pte_lock(h, walk->mm, ptep);
	entry = huge_ptep_get(walk->mm, addr, ptep);
	if (pte_present(entry))
		c->present += note_folio(page_folio(pte_page(entry)));
	spin_unlock(ptl);
	return 0;
}

static int presence_locked(pte_t *pte, unsigned long hmask, unsigned long addr,
			   unsigned long end, struct mm_walk *walk)
{
	unsigned char *vec = walk->private;
	unsigned char present;
	spinlock_t *ptl;

	ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, pte);
	present = pte && !huge_pte_none(huge_ptep_get(walk->mm, addr, pte));
	for (; addr != end; vec++, addr += PAGE_SIZE)
		*vec = present;
	walk->private = vec;
	spin_unlock(ptl);
	return 0;
}

/* the lock named by huge_pte_lockptr() and taken by hand */
static int lockptr_form(pte_t *ptep, unsigned long hmask, unsigned long addr,
			unsigned long end, struct mm_walk *walk)
{
	spinlock_t *ptl = huge_pte_lockptr(hstate_vma(walk->vma), walk->mm, ptep);
	pte_t entry;

	spin_lock(ptl);
	entry = huge_ptep_get(walk->mm, addr, ptep);
	spin_unlock(ptl);
	return pte_present(entry);
}

/*
 * Locked on one path only: the short route reads with no lock (the shape
 * of 6.12 pagemap_scan_hugetlb_entry()), the other under it.
 */
static int two_routes(pte_t *ptep, unsigned long hmask, unsigned long start,
		      unsigned long end, struct mm_walk *walk)
{
	struct scan *s = walk->private;
	spinlock_t *ptl;
	pte_t pte;

	if (!s->write) {
		pte = huge_ptep_get(walk->mm, start, ptep); /* mmlock-warn: pte-read "(huge_ptep_get\(\) reads a pte entry without holding its pte lock|hugetlb entry 'ptep?' read without huge_pte_lock\(\) in [a-z_]+\(\), a ->hugetlb_entry callback)" */
		return record(s, pte);
	}
	ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, ptep);
	pte = huge_ptep_get(walk->mm, start, ptep);
	record(s, pte);
	spin_unlock(ptl);
	return 0;
}

/*
 * Released, then read again: the second read is stale.  Dropping the
 * lock on a path that then returns (hmm's fault path) is fine.
 */
static int read_after_unlock(pte_t *ptep, unsigned long hmask,
			     unsigned long addr, unsigned long end,
			     struct mm_walk *walk)
{
	spinlock_t *ptl;
	pte_t pte;

	ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, ptep); /* mmlock-note[plugin]: "the lock was taken here" */
	pte = huge_ptep_get(walk->mm, addr, ptep);
	if (needs_fault(pte)) {
		spin_unlock(ptl);
		return fault_in(walk, addr, end);
	}
	spin_unlock(ptl); /* mmlock-note: "(and|huge_pte_lock\(\)) released here" */
	wait_a_bit(walk);
	pte = huge_ptep_get(walk->mm, addr, ptep); /* mmlock-warn: pte-read "(huge_ptep_get\(\) reads a pte entry without holding its pte lock|read in ->hugetlb_entry callback read_after_unlock\(\) after its lock was released)" */
	return record(walk->private, pte);
}

static int relocked(pte_t *ptep, unsigned long hmask, unsigned long addr,
		    unsigned long end, struct mm_walk *walk)
{
	spinlock_t *ptl;
	pte_t pte;

	ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, ptep);
	pte = huge_ptep_get(walk->mm, addr, ptep);
	spin_unlock(ptl);
	wait_a_bit(walk);
	ptl = huge_pte_lock(hstate_vma(walk->vma), walk->mm, ptep);
	pte = huge_ptep_get(walk->mm, addr, ptep);
	spin_unlock(ptl);
	return record(walk->private, pte);
}

/* not a callback: whatever its callers hold, this script does not judge */
static pte_t helper_read(struct mm_struct *mm, unsigned long addr, pte_t *ptep)
{
	return huge_ptep_get(mm, addr, ptep);
}

static const struct mm_walk_ops count_ops = {
	.pmd_entry	= count_pmd,
	.hugetlb_entry	= count_range,
	.walk_lock	= PGWALK_RDLOCK,
};

static const struct mm_walk_ops presence_ops = {
	.hugetlb_entry	= presence,
};

static const struct mm_walk_ops count_locked_ops = {
	.hugetlb_entry	= count_range_locked,
};

static const struct mm_walk_ops presence_locked_ops = {
	.hugetlb_entry	= presence_locked,
};

static const struct mm_walk_ops other_ops = {
	.hugetlb_entry	= lockptr_form,
};

static const struct mm_walk_ops scan_ops = {
	.hugetlb_entry	= two_routes,
};

static struct mm_walk_ops unlock_ops = {
	.hugetlb_entry	= read_after_unlock,
};

void set_up_walks(struct mm_walk_ops *ops) /* mmlock-unanalysed: it only stores a callback: no lock or operation the rules name, so the plugin skips it */
{
	ops->hugetlb_entry = relocked;
}
