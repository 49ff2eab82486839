/*
 * What stale.c (R2's rules) asks of drops.c (when, on a path, the lock
 * that what was learned depends on went, or may have).  Only these two
 * files include it: the checker pair of R2.
 */
#ifndef MMLOCK_R2_H
#define MMLOCK_R2_H

#include "checker.h"

int r2_own_mmap_lock(const struct mstate *s);
void r2_pending_summary(struct mstate *s, gcall *call, const struct summary *sm);
void r2_pending(struct mstate *s, gcall *call, unsigned long mask, int when_zero, int cls);
/* the lock a drop on this path was of, by name ("mmap_lock", "vma") */
const char *r2_drop_name(const struct mstate *s, int pending);

#endif
