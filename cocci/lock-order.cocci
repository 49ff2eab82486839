// SPDX-License-Identifier: GPL-2.0-only
/// Find mm locks taken against the documented order (mmlock rule
/// lock-order, RULES.md R1): mmap_lock -> i_mmap lock -> anon_vma lock ->
/// pmd lock -> pte lock.  Reported: a lock taken while one that comes later
/// in the order is held (pmd_lock() under a pte lock, i_mmap_lock_write()
/// under an anon_vma lock, any of the sleeping locks under a page-table
/// spinlock); and a second page-table spinlock taken with plain
/// spin_lock() (or pte_offset_map_lock()) while a pmd or pte lock is held:
/// without split page-table locks both are mm->page_table_lock, so the
/// inner one must be spin_lock_nested(), under "if (ptl != pml)" where the
/// two can be the same.  Trylocks never wait and are not reported.
///
/// False positives: two locks of the same class on different objects that
/// are ordered by something else (the exclusive mmap_lock in mremap's
/// move_ptes()); a lock released through an alias this script cannot
/// see.  Locks taken by pmd_trans_huge_lock() (held only when it returns
/// non-NULL) are not followed.
///
// Confidence: Moderate
// Comments: mmlock rule lock-order; see cocci/README
// Options: --no-includes --include-headers
// Keys: i_mmap_lock_write i_mmap_lock_read anon_vma_lock_write anon_vma_lock_read pmd_lock pmd_lockptr pte_offset_map_lock pte_alloc_map_lock pte_lockptr page_table_lock

virtual report
virtual org
virtual context

@initialize:python@
@@
mmlock_seen = set()

def mmlock_warn(rule, p, msg, notes=()):
	key = (p.file, p.line, p.column, rule)
	if key in mmlock_seen:
		return
	mmlock_seen.add(key)
	print("%s:%s:%d: warning: %s [mmlock:%s]" %
	      (p.file, p.line, int(p.column) + 1, msg, rule))
	for q, m in notes:
		print("%s:%s:%d: note: %s" % (q.file, q.line, int(q.column) + 1, m))

def mmlock_org(rule, p, msg, notes=()):
	cocci.print_main("%s [mmlock:%s]" % (msg, rule), p)
	for q, m in notes:
		cocci.print_secs(m, q)

// Spinlock variables by where their value comes from.
@pmd_var@
expression L;
@@

(
L = pmd_lockptr(...)
|
L = pmd_lock(...)
)

@pte_var@
expression L;
@@

(
L = pte_lockptr(...)
|
pte_offset_map_nolock(..., &L)
|
pte_offset_map_lock(..., &L)
)

// "if (ptl != pml) spin_lock(ptl)": the two can be the same lock, and the
// code knows it.
@guarded@
expression L1, L2;
position pg;
@@

(
if (L1 != L2) \(spin_lock@pg\|spin_lock_nested@pg\)(L1, ...);
|
if (L2 != L1) \(spin_lock@pg\|spin_lock_nested@pg\)(L1, ...);
)

// i_mmap lock held: mmap_lock must not be waited for.
@held_immap exists@
expression X, M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable};
position ph, pa;
@@

\(i_mmap_lock_write@ph\|i_mmap_lock_read@ph\)(X)
... when != \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
(
*acq@pa(M)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&M->mmap_sem)
)

// anon_vma lock held: neither mmap_lock nor an i_mmap lock.
@held_anon exists@
expression X, M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, i_mmap_lock_write, i_mmap_lock_read};
position ph, pa;
@@

\(anon_vma_lock_write@ph\|anon_vma_lock_read@ph\)(X)
... when != \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
(
*acq@pa(M)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&M->mmap_sem)
)

// A page-table spinlock held: no sleeping lock at all, no pmd lock under a
// pte lock, and a second page-table lock only nested and guarded.
@held_spin exists@
expression L, L2, X, M, P, E;
expression pmd_var.L1;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
position ph, pa != guarded.pg;
@@

(
L = pmd_lock@ph(...)
|
P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)
|
spin_lock@ph(L1)
|
spin_lock@ph(&M->page_table_lock)
)
... when != spin_unlock(L)
    when != spin_unlock(L1)
    when != spin_unlock(&M->page_table_lock)
    when != pte_unmap_unlock(..., L)
    when != L = E
(
*sleep@pa(X)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&X->mmap_sem)
|
*pmd_lock@pa(...)
|
*\(pte_offset_map_lock@pa\|pte_alloc_map_lock@pa\)(...)
|
*spin_lock@pa(L2)
)

@pte_held exists@
expression L, P, E;
expression pte_var.L1;
position ph;
@@

(
P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)
|
spin_lock@ph(L1)
)

@script:python depends on report@
ph << held_immap.ph;
pa << held_immap.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "mmap_lock taken while an i_mmap lock is held (order: mmap_lock -> i_mmap)",
	    [(ph[0], "i_mmap lock taken here")])

@script:python depends on report@
ph << held_anon.ph;
pa << held_anon.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "lock taken while an anon_vma lock is held (order: mmap_lock -> i_mmap -> anon_vma)",
	    [(ph[0], "anon_vma lock taken here")])

@script:python depends on report@
ph << held_spin.ph;
pa << held_spin.pa;
@@
import re
line = pa[0]
mmlock_warn("lock-order", pa[0],
	    "lock taken while a page-table spinlock is held: sleeping locks and an outer pmd lock come first, a second page-table lock must be spin_lock_nested() under 'if (ptl != pml)'",
	    [(ph[0], "page-table spinlock taken here")])
