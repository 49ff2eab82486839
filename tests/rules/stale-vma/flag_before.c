/*
 * stale-vma, idiom 1b: the lock flag was cleared at the first drop and is
 * still false when the lock is taken and dropped again (6.12
 * khugepaged_scan_mm_slot(): collapse_pte_mapped_thp() under a re-taken
 * mmap_read_lock()); the flag is tested before the vma is touched again.
 */
#include "../include/kernel612.h"
struct khugepaged_scan { unsigned long address; };
extern struct khugepaged_scan khugepaged_scan;
int scan_file(struct mm_struct *mm, struct file *file);
bool test_exit(struct mm_struct *mm);
int collapse_file_thp(struct mm_struct *mm, unsigned long addr);
int scan_pmd(struct mm_struct *mm, struct vm_area_struct *vma, bool *mmap_locked);
void scan(struct mm_struct *mm, unsigned long addr);
void collapse(struct mm_struct *mm, unsigned long addr);
void touch(struct file *file);
static void scan_mm_slot(struct mm_struct *mm, struct vma_iterator *vmi,
			 unsigned long hend, int *result)
{
	struct vm_area_struct *vma;

	for_each_vma(*vmi, vma) {
		while (khugepaged_scan.address < hend) {
			bool mmap_locked = true;

			if (!vma_is_anonymous(vma)) {
				struct file *file = get_file(vma->vm_file);

				mmap_read_unlock(mm);
				mmap_locked = false;
				*result = scan_file(mm, file);
				fput(file);
				if (*result == SCAN_PTE_MAPPED_HUGEPAGE) {
					mmap_read_lock(mm);
					if (test_exit(mm))
						goto breakouterloop;
					*result = collapse_file_thp(mm, khugepaged_scan.address);
					mmap_read_unlock(mm);
				}
			} else {
				*result = scan_pmd(mm, vma, &mmap_locked);
			}
			khugepaged_scan.address += HPAGE_PMD_SIZE;
			if (!mmap_locked)
				goto breakouterloop_mmap_lock;
		}
	}
breakouterloop:
	mmap_read_unlock(mm);
breakouterloop_mmap_lock:
	return;
}

/* the flag cleared, but the vma used before it is tested: reported */
static void flag_tested_late(struct mm_struct *mm, struct vm_area_struct *vma,
			     unsigned long addr)
{
	bool mmap_locked = true;

	mmap_read_unlock(mm);
	mmap_locked = false;
	scan(mm, addr);
	mmap_read_lock(mm);
	collapse(mm, addr);
	mmap_read_unlock(mm);
	touch(vma->vm_file); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */
	if (!mmap_locked)
		return;
}
