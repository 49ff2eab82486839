/* mmap-lock-held from lockdep assertions, conditional ones included
 * (RULES.md: "if (vma->anon_vma) lockdep_assert_held_write(...)"), as a
 * CONFIG_LOCKDEP build sees them: calls. */
#include "../include/kernel.h"

void lockdep_assert_held_write(struct rw_semaphore *sem);
void work(struct vm_area_struct *vma);

/* needs the anon_vma lock only when there is an anon_vma */
static void unlink_anon_vmas_like(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		lockdep_assert_held_write(&vma->anon_vma->rwsem); /* mmlock-note[plugin]: "where the callee needs it" */
	work(vma);
}

void caller_locked(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	anon_vma_lock_write(av);
	unlink_anon_vmas_like(vma);
	anon_vma_unlock_write(av);
}

/* no anon_vma: the condition is false, no lock needed */
void caller_no_anon(struct vm_area_struct *vma)
{
	if (vma->anon_vma)
		return;
	unlink_anon_vmas_like(vma);
}

/* the lock let go before the call */
void caller_released(struct vm_area_struct *vma)
{
	struct anon_vma *av = vma->anon_vma;

	anon_vma_lock_write(av);
	anon_vma_unlock_write(av); /* mmlock-note[plugin]: "it was released here" */
	unlink_anon_vmas_like(vma); /* mmlock-warn[plugin]: mmap-lock-held "call to unlink_anon_vmas_like\(\), which needs anon_vma held \(lockdep_assert_held_write\), without it" -- Coccinelle reads mmap_assert_*() in same-file callees, not lockdep_assert_held*() on other locks */
}

/* the same, where the caller has checked there is no anon_vma */
void caller_released_no_anon(struct vm_area_struct *vma, struct anon_vma *other)
{
	anon_vma_lock_write(other);
	anon_vma_unlock_write(other);
	if (!vma->anon_vma)
		unlink_anon_vmas_like(vma);
}
