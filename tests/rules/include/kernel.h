/* Kernel-like declarations for mmlock's unit tests (names as in Linux). */
#ifndef MMLOCK_TEST_KERNEL_H
#define MMLOCK_TEST_KERNEL_H
typedef struct { int rlock; } spinlock_t;
struct rw_semaphore { int count; };
typedef struct { unsigned long pte; } pte_t;
typedef struct { unsigned long pmd; } pmd_t;
struct page;
typedef struct page *pgtable_t;
typedef struct { unsigned long pgprot; } pgprot_t;
typedef struct { int counter; } atomic_t;
typedef unsigned long vm_flags_t;
typedef unsigned long pgoff_t;
typedef unsigned int vm_fault_t;
struct rb_root_cached { void *rb_node; };
struct mempolicy;
struct mm_struct {
	struct rw_semaphore mmap_lock;
	spinlock_t page_table_lock;
	struct rw_semaphore mmap_sem;	/* before 5.8 */
	unsigned long flags;
};
struct address_space { struct rw_semaphore i_mmap_rwsem; struct rb_root_cached i_mmap; };
struct file { struct address_space *f_mapping; };
struct anon_vma { struct anon_vma *root; struct rw_semaphore rwsem; atomic_t refcount; };
struct vm_userfaultfd_ctx { struct userfaultfd_ctx *ctx; };
struct vm_area_struct {
	struct mm_struct *vm_mm;
	unsigned long vm_start, vm_end;
	struct anon_vma *anon_vma;
	struct file *vm_file;
	unsigned long vm_flags;
	unsigned long vm_pgoff;
	pgprot_t vm_page_prot;
	struct mempolicy *vm_policy;
	struct vm_userfaultfd_ctx vm_userfaultfd_ctx;
};
struct vm_fault {
	struct vm_area_struct *vma;
	unsigned long address;
	pmd_t *pmd;
	pte_t *pte;
	spinlock_t *ptl;
	unsigned int flags;
	pte_t orig_pte;
	pgtable_t prealloc_pte;
};
#define SINGLE_DEPTH_NESTING 1
#define NULL ((void *)0)

_Bool mmap_read_trylock(struct mm_struct *mm);
_Bool mmap_write_trylock(struct mm_struct *mm);
int spin_trylock(spinlock_t *l);
void might_sleep(void);
void bug(void) __attribute__((noreturn));

/* 6.1's macros, as include/linux/mm.h spells them */
#define pte_offset_map(pmd, addr) pte_offset_kernel((pmd), (addr))
#define pte_unmap(pte) ((void)(pte))
#define pte_offset_map_lock(mm, pmd, address, ptlp)	\
({							\
	spinlock_t *__ptl = pte_lockptr(mm, pmd);	\
	pte_t *__pte = pte_offset_map(pmd, address);	\
	*(ptlp) = __ptl;				\
	spin_lock(__ptl);				\
	__pte;						\
})
#define pte_unmap_unlock(pte, ptl)	do {		\
	spin_unlock(ptl);				\
	pte_unmap(pte);					\
} while (0)
/* recheck-after-relock: khugepaged's second scan (tests/rules/recheck-after-relock/) */
#define SCAN_FAIL 0
#define SCAN_SUCCEED 1
#define SCAN_PTE_UFFD_WP 2
#define SCAN_NR 512
int pte_uffd_wp(pte_t pte);
int keep_page(struct vm_area_struct *vma, pte_t pte);

/* more of 6.1, for the cases of tests/rules (kernel-common.h: what 6.12
   spells the same) */
#define FAULT_FLAG_ALLOW_RETRY 0x4
#define VM_FAULT_RETRY 0x400
#include "kernel-common.h"
#endif
