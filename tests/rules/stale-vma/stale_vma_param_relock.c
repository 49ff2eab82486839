/*
 * stale-vma on a vma parameter in the 4.x spellings (issue 14 shape 4;
 * seed 004 patch 3/3, with vma a parameter): mmap_sem released and taken
 * again -- the caller's hold, or one this function took -- and then the
 * vma used without a new lookup.  A vma parameter under a trylock-held
 * lock the function gives back (retract_page_tables' form) is not ended.
 */
struct rw_semaphore { int c; };
struct mm_struct { struct rw_semaphore mmap_sem; };
struct vm_area_struct { struct mm_struct *vm_mm; unsigned long vm_start, vm_end; };
void down_read(struct rw_semaphore *s);
void up_read(struct rw_semaphore *s);
void down_write(struct rw_semaphore *s);
void up_write(struct rw_semaphore *s);
unsigned long use_vma(struct vm_area_struct *vma);
/* seed 004 3/3 shape: vma a parameter, the caller's mmap_sem */
unsigned long s4(struct mm_struct *mm, struct vm_area_struct *vma)
{
	up_read(&mm->mmap_sem);
	down_write(&mm->mmap_sem);
	unsigned long r = vma->vm_start; /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */
	up_write(&mm->mmap_sem);
	return r;
}
unsigned long s4b(struct mm_struct *mm, struct vm_area_struct *vma)
{
	down_read(&mm->mmap_sem);
	up_read(&mm->mmap_sem);
	down_write(&mm->mmap_sem);
	unsigned long r = use_vma(vma); /* mmlock-warn: stale-vma "(learned before mmap_lock was dropped|used after mmap_lock was dropped)" */
	up_write(&mm->mmap_sem);
	return r;
}

int down_write_trylock(struct rw_semaphore *s);

/* the vma's lock is another one; mmap_sem only tried and given back */
unsigned long good_trylock(struct mm_struct *mm, struct vm_area_struct *vma)
{
	if (down_write_trylock(&mm->mmap_sem))
		up_write(&mm->mmap_sem);
	return use_vma(vma);
}

/* looked up again after the relock */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
unsigned long good_relookup(struct mm_struct *mm, struct vm_area_struct *vma)
{
	unsigned long addr = vma->vm_start;

	down_read(&mm->mmap_sem);
	up_read(&mm->mmap_sem);
	down_write(&mm->mmap_sem);
	vma = find_vma(mm, addr);
	addr = vma && vma->vm_start <= addr ? use_vma(vma) : 0;
	up_write(&mm->mmap_sem);
	return addr;
}
