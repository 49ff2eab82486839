/* Kernel-like declarations of the 6.5+ forms (6.12 as Debian ships it) for
 * mmlock's unit tests: what changed since kernel.h's 6.1 spellings. */
#ifndef MMLOCK_TEST_KERNEL612_H
#define MMLOCK_TEST_KERNEL612_H
typedef struct { int rlock; } spinlock_t;
struct rw_semaphore { int count; };
typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
typedef unsigned int vm_fault_t;
struct page;
struct folio;
struct list_head;
struct vma_iterator;
typedef struct page *pgtable_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct { int counter; } atomic_t;
typedef unsigned long vm_flags_t;
typedef unsigned long pgoff_t;
struct rb_root_cached { void *rb_node; };
struct mempolicy;
struct anon_vma_name;
struct mm_struct {
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;
	unsigned long flags;
};
struct address_space { struct rw_semaphore i_mmap_rwsem; struct rb_root_cached i_mmap; };
struct file { struct address_space *f_mapping; };
struct anon_vma { struct anon_vma *root; struct rw_semaphore rwsem; atomic_t refcount; };
struct vm_userfaultfd_ctx { struct userfaultfd_ctx *ctx; };
/* 6.12: the range sits in an anonymous union */
struct vm_area_struct {
	union {
		struct {
			unsigned long vm_start;
			unsigned long vm_end;
		};
		void *vm_freeptr;
	};
	struct mm_struct *vm_mm;
	struct anon_vma *anon_vma;
	/* the rest, for the cases of tests/rules: vm_flags is read-only,
	   written through vm_flags_*() (or __vm_flags) */
	pgprot_t vm_page_prot;
	union {
		const vm_flags_t vm_flags;
		vm_flags_t __vm_flags;
	};
	unsigned long vm_pgoff;
	struct file *vm_file;
	struct anon_vma_name *anon_name;
	struct mempolicy *vm_policy;
	struct vm_userfaultfd_ctx vm_userfaultfd_ctx;
};
/* ... and the fault's constant part in an anonymous struct */
struct vm_fault {
	const struct {
		struct vm_area_struct *vma;
		unsigned long address;
	};
	unsigned int flags;
	pmd_t *pmd;
	pte_t *pte;
	spinlock_t *ptl;
	pte_t orig_pte;
	pgtable_t prealloc_pte;
};
#define SINGLE_DEPTH_NESTING 1
#define NULL ((void *)0)
#define FAULT_FLAG_ALLOW_RETRY 0x04
#define FAULT_FLAG_VMA_LOCK 0x1000
#define VM_FAULT_OOM 0x001
#define VM_FAULT_RETRY 0x400

_Bool mmap_read_trylock(struct mm_struct *mm);
void set_ptes(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte, unsigned int nr);
int ptep_set_access_flags(struct vm_area_struct *vma, unsigned long addr, pte_t *ptep,
			  pte_t entry, int dirty);
int anon_vma_prepare_slow(struct vm_area_struct *vma);
void touch_vma(struct vm_area_struct *vma);

/* 6.5+: the pte map functions can fail; pte_offset_map_lock is an inline
   around __pte_offset_map_lock (mm/pgtable-generic.c) */
pte_t *__pte_offset_map(pmd_t *pmd, unsigned long addr, pmd_t *pmdvalp);
static inline pte_t *pte_offset_map(pmd_t *pmd, unsigned long addr)
{
	return __pte_offset_map(pmd, addr, NULL);
}
pte_t *__pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
			     spinlock_t **ptlp);
pte_t *pte_offset_map_nolock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
			     spinlock_t **ptlp);
static inline pte_t *pte_offset_map_lock(struct mm_struct *mm, pmd_t *pmd, unsigned long addr,
					 spinlock_t **ptlp)
{
	pte_t *pte;

	pte = __pte_offset_map_lock(mm, pmd, addr, ptlp);
	return pte;
}
#define pte_unmap(pte) ((void)(pte))
#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)

/* 6.5+: __folio_lock_or_retry(folio, vmf) says VM_FAULT_RETRY when it
   released the fault's lock (6.1: (folio, mm, flags), false) */
int folio_trylock(struct folio *folio);
vm_fault_t __folio_lock_or_retry(struct folio *folio, struct vm_fault *vmf);
static inline vm_fault_t folio_lock_or_retry(struct folio *folio, struct vm_fault *vmf)
{
	if (!folio_trylock(folio))
		return __folio_lock_or_retry(folio, vmf);
	return 0;
}

/* 6.12 mm/vma.c: drops mmap_lock on success when asked to */
int do_vmi_munmap(struct vma_iterator *vmi, struct mm_struct *mm, unsigned long start,
		  unsigned long len, struct list_head *uf, _Bool unlock);

/* the pud level's lock is mm->page_table_lock */
typedef struct { unsigned long pud; } pud_t;
spinlock_t *pud_lock(struct mm_struct *mm, pud_t *pud);
struct anon_vma *folio_get_anon_vma(struct folio *folio);
int anon_vma_trylock_write(struct anon_vma *a);
int pud_leaf(pud_t pud);
int pmd_leaf(pmd_t pmd);
struct folio *pte_folio(pte_t pte);
int is_swap_pte(pte_t pte);

/* 6.5+: (entry, ptl), "the ptl is dropped" (6.1: (entry, ptep, ptl)) */
typedef struct { unsigned long val; } swp_entry_t;
void migration_entry_wait_on_locked(swp_entry_t entry, spinlock_t *ptl);

/* 6.8+ userfaultfd move: both pte locks */
void double_pt_lock(spinlock_t *ptl1, spinlock_t *ptl2);
void double_pt_unlock(spinlock_t *ptl1, spinlock_t *ptl2);

/* memory.c (6.12): a pfn lookup that hands its lock out in the args */
struct follow_pfnmap_args {
	struct vm_area_struct *vma;
	unsigned long address;
	spinlock_t *lock;
	pte_t *ptep;
	unsigned long pfn;
	_Bool writable;
};
int follow_pfnmap_start(struct follow_pfnmap_args *args);
void follow_pfnmap_end(struct follow_pfnmap_args *args);
/* huge_memory.c (6.8+): called with the source pmd lock, drops it */
int move_pages_huge_pmd(struct mm_struct *mm, pmd_t *dst_pmd, pmd_t *src_pmd,
			pmd_t dst_pmdval, struct vm_area_struct *dst_vma,
			struct vm_area_struct *src_vma, unsigned long dst_addr,
			unsigned long src_addr);

/* 6.12 (2a058ab3286d): vmf_anon_prepare() drops the fault's vma lock when
   it returns VM_FAULT_RETRY; __vmf_anon_prepare() leaves that to its caller */
vm_fault_t __vmf_anon_prepare(struct vm_fault *vmf);
vm_fault_t vmf_anon_prepare(struct vm_fault *vmf);
void vma_end_read(struct vm_area_struct *vma);
void vma_unlock_something(struct vm_area_struct *vma);
/* more of 6.12, for the cases of tests/rules (kernel-common.h: what 6.1
   spells the same) */
#define VM_FAULT_COMPLETED 0x4000
#define FAULT_FLAG_TRIED 0x20
_Bool mmap_write_trylock(struct mm_struct *mm);
#include "kernel-common.h"
#endif
