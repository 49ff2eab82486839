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
expression PL;
@@

(
PL = pmd_lockptr(...)
|
PL = pmd_lock(...)
)

@pte_var@
expression TL;
@@

(
TL = pte_lockptr(...)
|
pte_offset_map_nolock(..., &TL)
|
pte_offset_map_lock(..., &TL)
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

// A pmd lock held (pmd_lock(), or spin_lock() of a pmd_lockptr() value).
@pmd_sleep exists@
expression pmd_var.PL;
expression X, E;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
position ph, pa;
@@

(
PL = pmd_lock@ph(...)
|
spin_lock@ph(PL)
)
... when != spin_unlock(PL)
    when != PL = E
(
*sleep@pa(X)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&X->mmap_sem)
)

@pmd_pte exists@
expression pmd_var.PL;
expression pte_var.TL;
expression E;
position ph, pa;
position pn != guarded.pg;
@@

(
PL = pmd_lock@ph(...)
|
spin_lock@ph(PL)
)
... when != spin_unlock(PL)
    when != PL = E
(
*\(pte_offset_map_lock@pa\|pte_alloc_map_lock@pa\)(...)
|
*spin_lock@pa@pn(TL)
)

// A pte lock held (pte_offset_map_lock(), pte_alloc_map_lock(), or
// spin_lock() of a pte_lockptr() value).
@pte_sleep exists@
expression pte_var.TL;
expression X, E;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
position ph, pa;
@@

(
\(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &TL)
|
spin_lock@ph(TL)
)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
(
*sleep@pa(X)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&X->mmap_sem)
)

@pte_pmd exists@
expression pte_var.TL;
expression pmd_var.PL;
expression E;
position ph, pa;
@@

(
\(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &TL)
|
spin_lock@ph(TL)
)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
(
*pmd_lock@pa(...)
|
*spin_lock@pa(PL)
)

@pte_pte exists@
expression pte_var.TL;
expression E;
position ph, pa;
@@

(
\(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &TL)
|
spin_lock@ph(TL)
)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
*\(pte_offset_map_lock@pa\|pte_alloc_map_lock@pa\)(...)

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
ph << pmd_sleep.ph;
pa << pmd_sleep.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "sleeping lock taken while a pmd lock (a spinlock) is held",
	    [(ph[0], "pmd lock taken here")])

@script:python depends on report@
ph << pmd_pte.ph;
pa << pmd_pte.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "pte lock taken with plain spin_lock() under a pmd lock: without split page-table locks both are mm->page_table_lock (use spin_lock_nested() under 'if (ptl != pml)')",
	    [(ph[0], "pmd lock taken here")])

@script:python depends on report@
ph << pte_sleep.ph;
pa << pte_sleep.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "sleeping lock taken while a pte lock (a spinlock) is held",
	    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << pte_pmd.ph;
pa << pte_pmd.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
	    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << pte_pte.ph;
pa << pte_pte.pa;
@@
mmlock_warn("lock-order", pa[0],
	    "second pte lock taken with pte_offset_map_lock() while a pte lock is held: the two can be the same lock",
	    [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << held_immap.ph;
pa << held_immap.pa;
@@
mmlock_org("lock-order", pa[0], "mmap_lock taken while an i_mmap lock is held", [(ph[0], "i_mmap lock taken here")])

@script:python depends on org@
ph << held_anon.ph;
pa << held_anon.pa;
@@
mmlock_org("lock-order", pa[0], "lock taken while an anon_vma lock is held", [(ph[0], "anon_vma lock taken here")])

@script:python depends on org@
ph << pmd_sleep.ph;
pa << pmd_sleep.pa;
@@
mmlock_org("lock-order", pa[0], "sleeping lock taken while a pmd lock", [(ph[0], "pmd lock taken here")])

@script:python depends on org@
ph << pmd_pte.ph;
pa << pmd_pte.pa;
@@
mmlock_org("lock-order", pa[0], "pte lock taken with plain spin_lock() under a pmd lock", [(ph[0], "pmd lock taken here")])

@script:python depends on org@
ph << pte_sleep.ph;
pa << pte_sleep.pa;
@@
mmlock_org("lock-order", pa[0], "sleeping lock taken while a pte lock", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << pte_pmd.ph;
pa << pte_pmd.pa;
@@
mmlock_org("lock-order", pa[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << pte_pte.ph;
pa << pte_pte.pa;
@@
mmlock_org("lock-order", pa[0], "second pte lock taken with pte_offset_map_lock() while a pte lock is held", [(ph[0], "pte lock taken here")])
