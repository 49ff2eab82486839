/*
 * lock-balance in a returns-locked helper with a retry loop, the shape of
 * folio_lock_anon_vma_read (6.12): many paths reach one "return", some of
 * them joined on the way, and a joined path that holds nothing no longer
 * knows what it returns (it must not make the helper look unbalanced: the
 * real function is in tests/kernel's noise test); a path that drops the
 * lock and still returns the object must warn.
 */
#include "../include/kernel.h"

int down_read_trylock(struct rw_semaphore *sem);
void up_read(struct rw_semaphore *sem);
void anon_vma_lock_read(struct anon_vma *a);
void anon_vma_unlock_read(struct anon_vma *a);
struct anon_vma *page_anon(struct page *page);
int page_still_mapped(struct page *page);
int pin(struct anon_vma *a);

/* rmap.c folio_lock_anon_vma_read (6.12): returns the anon_vma locked, or
   NULL; a trylock that raced is dropped and the lookup retried, so many
   paths reach the one "return anon_vma" and are joined there */
struct anon_vma *good_lock_anon_retry(struct page *page, int try_only)
{
	struct anon_vma *anon_vma = 0, *root;

retry:
	anon_vma = page_anon(page);
	if (!anon_vma)
		goto out;
	root = anon_vma->root;
	if (down_read_trylock(&root->rwsem)) {
		if (page_anon(page) != anon_vma) {
			up_read(&root->rwsem);
			goto retry;
		}
		if (!page_still_mapped(page)) {
			up_read(&root->rwsem);
			anon_vma = 0;
		}
		goto out;
	}
	if (try_only) {
		anon_vma = 0;
		goto out;
	}
	if (!pin(anon_vma)) {
		anon_vma = 0;
		goto out;
	}
	anon_vma_lock_read(anon_vma);
	if (page_anon(page) != anon_vma) {
		anon_vma_unlock_read(anon_vma);
		anon_vma = 0;
		goto retry;
	}
	if (!page_still_mapped(page)) {
		anon_vma_unlock_read(anon_vma);
		anon_vma = 0;
	}
out:
	return anon_vma;
}

/* the same, but the unmapped case drops the lock and still returns it */
struct anon_vma *bad_lock_anon_retry(struct page *page)
{
	struct anon_vma *anon_vma, *root;

retry:
	anon_vma = page_anon(page);
	if (!anon_vma)
		return 0;
	root = anon_vma->root;
	if (down_read_trylock(&root->rwsem)) {
		if (page_anon(page) != anon_vma) {
			up_read(&root->rwsem);
			goto retry;
		}
		if (!page_still_mapped(page))
			up_read(&root->rwsem);
		return anon_vma; /* mmlock-warn[plugin]: lock-balance "returns with the anon_vma lock held on this path, released on another" -- Coccinelle knows the anon_vma lock by anon_vma_lock_*(), not down_read_trylock(&root->rwsem) on it; and it does not follow a "goto retry" loop */
	}
	return 0;
}
