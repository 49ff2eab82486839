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
/// From 6.5 "pte = pte_offset_map_lock(..., &ptl)" takes no lock when it
/// returns NULL: such a lock is followed on the side of "if (!pte)" that
/// holds it, and a release under "if (pte)" ends it.  A pte lock taken
/// under "if (C)" with C tested again later (6.6+
/// collapse_pte_mapped_thp(): "if (!pml) spin_lock(ptl)") is not followed.
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
# mmlock_warn(), mmlock_org(), mmlock_key(): cocci/mmlock_cocci.py, found
# next to this .cocci (spatch's argument) or in $MMLOCK_COCCI_DIR
import os, sys
sys.dont_write_bytecode = True
sys.path[:0] = [os.path.dirname(os.path.abspath(a)) for a in open("/proc/self/cmdline", "rb").read().decode().split("\0") if a.endswith(".cocci")] + [os.environ.get("MMLOCK_COCCI_DIR", ".")]
from mmlock_cocci import *

def mmlock_same_fn(p, q):
	return p.file == q.file and p.current_element == q.current_element

mmlock_retest = set()
mmlock_pmd_vars = set()

def mmlock_is_pmd_var(p, e):
	return (p.file, p.current_element, str(e)) in mmlock_pmd_vars

// A lock flag ("locked = true", tested later) or a test of the lock
// pointer itself ("if (pvmw->ptl) spin_unlock(pvmw->ptl)") on the way
// means the release may depend on it: such paths are not followed.

// "if (ptl != pml) spin_lock_nested(ptl, ...)": the code knows the two
// can be the same lock.

@guarded@
expression L1, L2;
position pg;
@@

(
if (L1 != L2) \(spin_lock@pg\|spin_lock_nested@pg\)(L1, ...);
|
if (L2 != L1) \(spin_lock@pg\|spin_lock_nested@pg\)(L1, ...);
)

// Page-table lock pointers by where their value comes from.  The same
// expression (vmf->ptl) can hold a pte lock in one function and a pmd lock
// in another: the scripts below only keep findings in the function that
// gave the lock its class (pv, pp).
@pte_var@
expression TL;
position pv;
@@

\(TL = pte_lockptr@pv(...)\|pte_offset_map_nolock@pv(..., &TL)\|pte_offset_map_lock@pv(..., &TL)\|pte_alloc_map_lock@pv(..., &TL)\)

@pmd_var@
expression PL;
position pp;
@@

\(PL = pmd_lockptr@pp(...)\|PL = pmd_lock@pp(...)\)

@script:python@
pp << pmd_var.pp;
PL << pmd_var.PL;
@@
mmlock_pmd_vars.add((pp[0].file, pp[0].current_element, str(PL)))

// Conditional locking: "if (!pml) spin_lock(ptl); ... if (!pml)
// spin_unlock(ptl);" (6.6+ collapse_pte_mapped_thp()): the pte lock is
// held exactly when the condition, tested again later, says so.  Paths
// from it are followed up to that second test (pte_* rules, pi).
@cond_taken exists@
idexpression C;
expression TL;
statement S, S2, S3;
position pg, pi;
@@

(
if (\(C\|!C\)) spin_lock@pg(TL); else S
|
if (\(C\|!C\)) spin_lock@pg(TL);
)
...
if@pi (<+... C ...+>) S2 else S3

@script:python@
pi << cond_taken.pi;
@@
mmlock_retest.add(mmlock_key(pi[0]))

// A pte lock taken by "P = pte_offset_map_lock(..., &ptl)": from 6.5 P is
// NULL when the table went away, and then no lock is held.  These are
// followed by map_held and map_tested below, which know which branch of
// a NULL test holds the lock.
@pte_mapped@
expression P, TL;
position pm;
@@

P = \(pte_offset_map_lock@pm\|pte_alloc_map_lock@pm\)(..., &TL)

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

// A pmd lock held: no sleeping lock, and a pte lock only nested.
@pmd_sleep exists@
expression pmd_var.PL;
expression E, Y;
identifier X =~ "locked$";
statement S1, S2;
position ph, pa;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
statement S1_2;
statement S2_2;
@@

\(PL = pmd_lock@ph(...)\|spin_lock@ph(PL)\)
... when != spin_unlock(PL)
    when != PL = E
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... PL ...+>) S1_2 else S2_2
(
*sleep@pa(Y)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&Y->mmap_sem)
)

@pmd_pte exists@
expression pmd_var.PL;
expression E;
identifier X =~ "locked$";
statement S1, S2;
position ph, pa;
statement S1_2;
statement S2_2;
@@

\(PL = pmd_lock@ph(...)\|spin_lock@ph(PL)\)
... when != spin_unlock(PL)
    when != PL = E
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... PL ...+>) S1_2 else S2_2
*\(pte_offset_map_lock@pa\|pte_alloc_map_lock@pa\)(...)

@pmd_pte2 exists@
expression pmd_var.PL, pte_var.TL;
expression E;
identifier X =~ "locked$";
statement S1, S2;
position ph, pa;
position pn != guarded.pg;
statement S1_2;
statement S2_2;
@@

\(PL = pmd_lock@ph(...)\|spin_lock@ph(PL)\)
... when != spin_unlock(PL)
    when != PL = E
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... PL ...+>) S1_2 else S2_2
*spin_lock@pa@pn(TL)

// A pte lock held: no sleeping lock, no pmd lock, no second pte lock
// through pte_offset_map_lock().
@pte_sleep exists@
expression pte_var.TL;
expression E, Y;
identifier X =~ "locked$";
statement S1, S2;
position ph != pte_mapped.pm;
position pa;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
statement S1_2;
statement S2_2;
position pi : script:python() { mmlock_key(pi[0]) in mmlock_retest };
expression E_r;
statement S_r1, S_r2;
@@

\(pte_offset_map_lock@ph(..., &TL)\|pte_alloc_map_lock@ph(..., &TL)\|spin_lock@ph(TL)\)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
    when != if (<+... X ...+>) S1 else S2
    when != if@pi (E_r) S_r1 else S_r2
    when != if (<+... TL ...+>) S1_2 else S2_2
(
*sleep@pa(Y)
|
*\(down_read@pa\|down_write@pa\|down_read_killable@pa\|down_write_killable@pa\)(&Y->mmap_sem)
)

@pte_pmd exists@
expression pte_var.TL;
expression E;
identifier X =~ "locked$";
statement S1, S2;
position ph != pte_mapped.pm;
position pa;
statement S1_2;
statement S2_2;
position pi : script:python() { mmlock_key(pi[0]) in mmlock_retest };
expression E_r;
statement S_r1, S_r2;
@@

\(pte_offset_map_lock@ph(..., &TL)\|pte_alloc_map_lock@ph(..., &TL)\|spin_lock@ph(TL)\)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
    when != if (<+... X ...+>) S1 else S2
    when != if@pi (E_r) S_r1 else S_r2
    when != if (<+... TL ...+>) S1_2 else S2_2
*pmd_lock@pa(...)

@pte_pmd2 exists@
expression pte_var.TL, pmd_var.PL;
expression E;
identifier X =~ "locked$";
statement S1, S2;
position ph != pte_mapped.pm;
position pa;
statement S1_2;
statement S2_2;
position pi : script:python() { mmlock_key(pi[0]) in mmlock_retest };
expression E_r;
statement S_r1, S_r2;
@@

\(pte_offset_map_lock@ph(..., &TL)\|pte_alloc_map_lock@ph(..., &TL)\|spin_lock@ph(TL)\)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
    when != if (<+... X ...+>) S1 else S2
    when != if@pi (E_r) S_r1 else S_r2
    when != if (<+... TL ...+>) S1_2 else S2_2
*spin_lock@pa(PL)

@pte_pte exists@
expression pte_var.TL;
expression E;
identifier X =~ "locked$";
statement S1, S2;
position ph != pte_mapped.pm;
position pa;
statement S1_2;
statement S2_2;
position pi : script:python() { mmlock_key(pi[0]) in mmlock_retest };
expression E_r;
statement S_r1, S_r2;
@@

\(pte_offset_map_lock@ph(..., &TL)\|pte_alloc_map_lock@ph(..., &TL)\|spin_lock@ph(TL)\)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
    when != if (<+... X ...+>) S1 else S2
    when != if@pi (E_r) S_r1 else S_r2
    when != if (<+... TL ...+>) S1_2 else S2_2
*\(pte_offset_map_lock@pa\|pte_alloc_map_lock@pa\)(...)


// A pte lock taken by "P = pte_offset_map_lock(..., &ptl)", before any
// NULL test of P: a test of P ends the path (its branches are told apart
// by map_tested).
@map_held disable isnt_null1, not_ptr1, not_ptr2, is_null exists@
expression P, TL, E, Y, PL2, E7;
identifier X =~ "locked$";
statement S1, S2, S1_2, S2_2, S3, S4, S5, S6;
position ph, ps, pd, pt, pl;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
@@

P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &TL)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... TL ...+>) S1_2 else S2_2
    when != if (<+... \(!P\|!P++\|P == NULL\|P != NULL\|P && E7\) ...+>) S3 else S4
    when != if (P) S5 else S6
(
*sleep@ps(Y)
|
*\(down_read@ps\|down_write@ps\|down_read_killable@ps\|down_write_killable@ps\)(&Y->mmap_sem)
|
*pmd_lock@pd(...)
|
*\(pte_offset_map_lock@pt\|pte_alloc_map_lock@pt\)(...)
|
*spin_lock@pl(PL2)
)

// The same on the far side of "if (!P) goto/return/break/continue" (or
// "if (!P || !pte_same(...)) goto out"): the path that falls through the
// test holds the lock; the one that leaves does not.
@map_tested disable isnt_null1, not_ptr1, not_ptr2, is_null exists@
expression P, TL, E, Y, PL2, E7;
identifier X =~ "locked$";
statement S1, S2, S1_2, S2_2, S3, S4, S5, S6;
position ph, ps, pd, pt, pl;
identifier sleep = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		    mmap_write_lock_killable, i_mmap_lock_write,
		    i_mmap_lock_read, anon_vma_lock_write, anon_vma_lock_read};
expression E_2, E9;
identifier X_2 =~ "locked$";
statement S, S1_3, S2_3, S1_4, S2_4, S7, S8, S9, S10;
@@

P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &TL)
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... TL ...+>) S1_2 else S2_2
    when != if (<+... \(P != NULL\|P && E9\) ...+>) S7 else S8
    when != if (P) S9 else S10
if (<+... \(!P\|P == NULL\) ...+>) S
... when != spin_unlock(TL)
    when != pte_unmap_unlock(..., TL)
    when != TL = E_2
    when != if (<+... X_2 ...+>) S1_3 else S2_3
    when != if (<+... TL ...+>) S1_4 else S2_4
    when != if (<+... \(!P\|!P++\|P == NULL\|P != NULL\|P && E7\) ...+>) S3 else S4
    when != if (P) S5 else S6
(
*sleep@ps(Y)
|
*\(down_read@ps\|down_write@ps\|down_read_killable@ps\|down_write_killable@ps\)(&Y->mmap_sem)
|
*pmd_lock@pd(...)
|
*\(pte_offset_map_lock@pt\|pte_alloc_map_lock@pt\)(...)
|
*spin_lock@pl(PL2)
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
ph << pmd_sleep.ph;
pa << pmd_sleep.pa;
pp << pmd_var.pp;
@@
if mmlock_same_fn(pa[0], pp[0]):
	mmlock_warn("lock-order", pa[0],
		    "sleeping lock taken while a pmd lock (a spinlock) is held",
		    [(ph[0], "pmd lock taken here")])

@script:python depends on report@
ph << pmd_pte.ph;
pa << pmd_pte.pa;
pp << pmd_var.pp;
@@
if mmlock_same_fn(pa[0], pp[0]):
	mmlock_warn("lock-order", pa[0],
		    "pte lock taken with plain spin_lock() under a pmd lock: without split page-table locks both are mm->page_table_lock (use spin_lock_nested() under 'if (ptl != pml)')",
		    [(ph[0], "pmd lock taken here")])

@script:python depends on report@
ph << pmd_pte2.ph;
pa << pmd_pte2.pa;
pp << pmd_var.pp;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pp[0]) and mmlock_same_fn(pa[0], pv[0]):
	mmlock_warn("lock-order", pa[0],
		    "pte lock taken with plain spin_lock() under a pmd lock: without split page-table locks both are mm->page_table_lock (use spin_lock_nested() under 'if (ptl != pml)')",
		    [(ph[0], "pmd lock taken here")])

@script:python depends on report@
ph << pte_sleep.ph;
pa << pte_sleep.pa;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pv[0]):
	mmlock_warn("lock-order", pa[0],
		    "sleeping lock taken while a pte lock (a spinlock) is held",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << pte_pmd.ph;
pa << pte_pmd.pa;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pv[0]):
	mmlock_warn("lock-order", pa[0],
		    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << pte_pmd2.ph;
pa << pte_pmd2.pa;
pv << pte_var.pv;
pp << pmd_var.pp;
@@
if mmlock_same_fn(pa[0], pv[0]) and mmlock_same_fn(pa[0], pp[0]):
	mmlock_warn("lock-order", pa[0],
		    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << pte_pte.ph;
pa << pte_pte.pa;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pv[0]):
	mmlock_warn("lock-order", pa[0],
		    "second pte lock taken with pte_offset_map_lock() while a pte lock is held: the two can be the same lock",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_held.ph;
ps << map_held.ps;
@@
if True:
	mmlock_warn("lock-order", ps[0],
		    "sleeping lock taken while a pte lock (a spinlock) is held",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_held.ph;
pd << map_held.pd;
@@
if True:
	mmlock_warn("lock-order", pd[0],
		    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_held.ph;
pt << map_held.pt;
@@
if True:
	mmlock_warn("lock-order", pt[0],
		    "second pte lock taken with pte_offset_map_lock() while a pte lock is held: the two can be the same lock",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_held.ph;
pl << map_held.pl;
PL2 << map_held.PL2;
@@
if mmlock_is_pmd_var(pl[0], PL2):
	mmlock_warn("lock-order", pl[0],
		    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_tested.ph;
ps << map_tested.ps;
@@
if True:
	mmlock_warn("lock-order", ps[0],
		    "sleeping lock taken while a pte lock (a spinlock) is held",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_tested.ph;
pd << map_tested.pd;
@@
if True:
	mmlock_warn("lock-order", pd[0],
		    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_tested.ph;
pt << map_tested.pt;
@@
if True:
	mmlock_warn("lock-order", pt[0],
		    "second pte lock taken with pte_offset_map_lock() while a pte lock is held: the two can be the same lock",
		    [(ph[0], "pte lock taken here")])

@script:python depends on report@
ph << map_tested.ph;
pl << map_tested.pl;
PL2 << map_tested.PL2;
@@
if mmlock_is_pmd_var(pl[0], PL2):
	mmlock_warn("lock-order", pl[0],
		    "pmd lock taken while a pte lock is held (order: pmd lock -> pte lock)",
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
pp << pmd_var.pp;
@@
if mmlock_same_fn(pa[0], pp[0]):
	mmlock_org("lock-order", pa[0], "sleeping lock taken while a pmd lock", [(ph[0], "pmd lock taken here")])

@script:python depends on org@
ph << pmd_pte.ph;
pa << pmd_pte.pa;
pp << pmd_var.pp;
@@
if mmlock_same_fn(pa[0], pp[0]):
	mmlock_org("lock-order", pa[0], "pte lock taken with plain spin_lock() under a pmd lock", [(ph[0], "pmd lock taken here")])

@script:python depends on org@
ph << pmd_pte2.ph;
pa << pmd_pte2.pa;
pp << pmd_var.pp;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pp[0]) and mmlock_same_fn(pa[0], pv[0]):
	mmlock_org("lock-order", pa[0], "pte lock taken with plain spin_lock() under a pmd lock", [(ph[0], "pmd lock taken here")])

@script:python depends on org@
ph << pte_sleep.ph;
pa << pte_sleep.pa;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pv[0]):
	mmlock_org("lock-order", pa[0], "sleeping lock taken while a pte lock", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << pte_pmd.ph;
pa << pte_pmd.pa;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pv[0]):
	mmlock_org("lock-order", pa[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << pte_pmd2.ph;
pa << pte_pmd2.pa;
pv << pte_var.pv;
pp << pmd_var.pp;
@@
if mmlock_same_fn(pa[0], pv[0]) and mmlock_same_fn(pa[0], pp[0]):
	mmlock_org("lock-order", pa[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << pte_pte.ph;
pa << pte_pte.pa;
pv << pte_var.pv;
@@
if mmlock_same_fn(pa[0], pv[0]):
	mmlock_org("lock-order", pa[0], "second pte lock taken with pte_offset_map_lock() while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_held.ph;
ps << map_held.ps;
@@
if True:
	mmlock_org("lock-order", ps[0], "sleeping lock taken while a pte lock", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_held.ph;
pd << map_held.pd;
@@
if True:
	mmlock_org("lock-order", pd[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_held.ph;
pt << map_held.pt;
@@
if True:
	mmlock_org("lock-order", pt[0], "second pte lock taken with pte_offset_map_lock() while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_held.ph;
pl << map_held.pl;
PL2 << map_held.PL2;
@@
if mmlock_is_pmd_var(pl[0], PL2):
	mmlock_org("lock-order", pl[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_tested.ph;
ps << map_tested.ps;
@@
if True:
	mmlock_org("lock-order", ps[0], "sleeping lock taken while a pte lock", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_tested.ph;
pd << map_tested.pd;
@@
if True:
	mmlock_org("lock-order", pd[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_tested.ph;
pt << map_tested.pt;
@@
if True:
	mmlock_org("lock-order", pt[0], "second pte lock taken with pte_offset_map_lock() while a pte lock is held", [(ph[0], "pte lock taken here")])

@script:python depends on org@
ph << map_tested.ph;
pl << map_tested.pl;
PL2 << map_tested.PL2;
@@
if mmlock_is_pmd_var(pl[0], PL2):
	mmlock_org("lock-order", pl[0], "pmd lock taken while a pte lock is held", [(ph[0], "pte lock taken here")])
