/* Kernel-like declarations that 6.1 (kernel.h) and 6.12 (kernel612.h)
 * spell the same, for the cases of tests/rules.  Included by both, after
 * their own: the types they define are used here.  A case that declares
 * one of these itself declares it the same way, or leaves it here. */
#ifndef MMLOCK_TEST_KERNEL_COMMON_H
#define MMLOCK_TEST_KERNEL_COMMON_H
typedef _Bool bool;
#define true 1
#define false 0
typedef long ssize_t;
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val) (*(volatile __typeof__(x) *)&(x) = (val))
#define WARN_ON_ONCE(c) ({ bool __w = !!(c); __builtin_expect(__w, 0); })
#define ACCESS_PRIVATE(p, member) ((p)->member)
#define ULONG_MAX (~0UL)

#define EINTR 4
#define ENOENT 2
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EAGAIN 11
#define EINVAL 22
#define MAX_ERRNO 4095
#define IS_ERR_VALUE(x) ((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)
static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define PMD_SIZE (1UL << 21)
#define HPAGE_PMD_SIZE PMD_SIZE
#define HPAGE_PMD_MASK (~(HPAGE_PMD_SIZE - 1))
#define HPAGE_PMD_NR 512
#define FIRST_USER_ADDRESS 0UL
#define USER_PGTABLES_CEILING 0UL
#define VM_SHARED 0x00000008
#define VM_LOCKED 0x00002000
#define VM_MERGEABLE 0x80000000
#define FAULT_FLAG_WRITE 0x01
#define VM_FAULT_ERROR 0x000f
#define MMF_OOM_SKIP 21
#define MM_SWAPENTS 2
#define POSIX_FADV_WILLNEED 3

/* khugepaged's results (kernel.h: SCAN_FAIL 0, SCAN_SUCCEED 1,
   SCAN_PTE_UFFD_WP 2; the rest any value of their own) */
#ifndef SCAN_FAIL
#define SCAN_FAIL 0
#define SCAN_SUCCEED 1
#define SCAN_PTE_UFFD_WP 2
#endif
#define SCAN_PMD_NULL 4
#define SCAN_VMA_CHECK 5
#define SCAN_ADDRESS_RANGE 6
#define SCAN_ANY_PROCESS 7
#define SCAN_VMA_NULL 8
#define SCAN_PTE_NON_PRESENT 9
#define SCAN_PAGE_NULL 10
#define SCAN_DEL_PAGE_LRU 11
#define SCAN_PTE_MAPPED_HUGEPAGE 12

struct collapse_control;
struct list_head { struct list_head *next, *prev; };
#define LIST_HEAD(name) struct list_head name = { &(name), &(name) }
struct mmu_gather { struct mm_struct *mm; };
struct vma_iterator { struct mm_struct *mm; unsigned long addr; };
#define VMA_ITERATOR(name, mm_, addr_) struct vma_iterator name = { .mm = (mm_), .addr = (addr_) }
struct vm_area_struct *vma_next(struct vma_iterator *vmi);
#define for_each_vma(vmi, vma) while (((vma) = vma_next(&(vmi))) != NULL)
struct vm_area_struct *vma_interval_tree_iter_first(struct rb_root_cached *root,
						    unsigned long start, unsigned long last);
struct vm_area_struct *vma_interval_tree_iter_next(struct vm_area_struct *node,
						   unsigned long start, unsigned long last);
#define vma_interval_tree_foreach(vma, root, start, last)		\
	for (vma = vma_interval_tree_iter_first(root, start, last);	\
	     vma; vma = vma_interval_tree_iter_next(vma, start, last))

struct vm_area_struct *vma_lookup(struct mm_struct *mm, unsigned long addr);
unsigned long vma_address(struct vm_area_struct *vma, pgoff_t pgoff);
bool vma_is_anonymous(struct vm_area_struct *vma);
bool userfaultfd_wp(struct vm_area_struct *vma);
struct file *get_file(struct file *f);
void fput(struct file *file);
int pte_present(pte_t pte);
int pte_young(pte_t pte);
int pte_dirty(pte_t pte);
int pmd_none(pmd_t pmd);
int pmd_same(pmd_t a, pmd_t b);
int pmd_trans_huge(pmd_t pmd);
pgtable_t pmd_pgtable(pmd_t pmd);
void pte_free(struct mm_struct *mm, pgtable_t pte);
struct page *vm_normal_page(struct vm_area_struct *vma, unsigned long addr, pte_t pte);
void flush_tlb_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void flush_cache_range(struct vm_area_struct *vma, unsigned long start, unsigned long end);
void set_bit(long nr, volatile unsigned long *addr);
int find_pmd_or_thp_or_none(struct mm_struct *mm, unsigned long address, pmd_t **pmd);
void collapse_and_free_pmd(struct mm_struct *mm, struct vm_area_struct *vma,
			   unsigned long addr, pmd_t *pmdp);
void mpol_put(struct mempolicy *pol);
/* the locks and page-table primitives, as both spell them */
void mmap_read_lock(struct mm_struct *mm);
void mmap_read_unlock(struct mm_struct *mm);
void mmap_write_lock(struct mm_struct *mm);
void mmap_write_unlock(struct mm_struct *mm);
int mmap_read_lock_killable(struct mm_struct *mm);
void mmap_assert_write_locked(struct mm_struct *mm);
void i_mmap_lock_write(struct address_space *m);
void i_mmap_unlock_write(struct address_space *m);
void anon_vma_lock_write(struct anon_vma *a);
void anon_vma_unlock_write(struct anon_vma *a);
void spin_lock(spinlock_t *l);
void spin_lock_nested(spinlock_t *l, int sub);
void spin_unlock(spinlock_t *l);
spinlock_t *pte_lockptr(struct mm_struct *mm, pmd_t *pmd);
spinlock_t *pmd_lockptr(struct mm_struct *mm, pmd_t *pmd);
spinlock_t *pmd_lock(struct mm_struct *mm, pmd_t *pmd);
spinlock_t *pmd_trans_huge_lock(pmd_t *pmd, struct vm_area_struct *vma);
pte_t *pte_offset_kernel(pmd_t *pmd, unsigned long addr);
pmd_t *pmd_offset(void *pud, unsigned long addr);
void set_pte_at(struct mm_struct *mm, unsigned long addr, pte_t *ptep, pte_t pte);
void pte_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
pte_t ptep_get_and_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
void ptep_set_wrprotect(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
void set_pmd_at(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp, pmd_t pmd);
pmd_t pmdp_collapse_flush(struct vm_area_struct *vma, unsigned long addr, pmd_t *pmdp);
pmd_t pmdp_huge_get_and_clear(struct mm_struct *mm, unsigned long addr, pmd_t *pmdp);
void pmd_populate(struct mm_struct *mm, pmd_t *pmd, struct page *pte);
int pte_none(pte_t pte);
int userfaultfd_armed(struct vm_area_struct *vma);
int mmap_write_lock_killable(struct mm_struct *mm);
void mmap_assert_locked(struct mm_struct *mm);
void i_mmap_lock_read(struct address_space *m);
void i_mmap_unlock_read(struct address_space *m);
void anon_vma_lock_read(struct anon_vma *a);
void anon_vma_unlock_read(struct anon_vma *a);
void ptep_clear(struct mm_struct *mm, unsigned long addr, pte_t *ptep);
int pte_same(pte_t a, pte_t b);
pte_t ptep_get(pte_t *ptep);
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
#endif
