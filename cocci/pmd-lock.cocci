// SPDX-License-Identifier: GPL-2.0-only
/// Find pmds changed without the pmd lock (mmlock rule pmd-lock, RULES.md
/// R1).  pmdp_collapse_flush(), pmd_clear(), pmd_populate(), set_pmd_at(),
/// pmdp_huge_clear_flush(), pmdp_huge_get_and_clear(), pmdp_invalidate(),
/// pmdp_set_wrprotect() and pmdp_establish() need the pmd lock of that pmd
/// (pmd_lock(), pmd_trans_huge_lock(), mm->page_table_lock), or all the
/// high-level locks for write (mmap_lock plus the vma's rmap locks, as
/// 6.1's collapse_and_free_pmd() asserts).  Reported:
///  - the function took the pmd lock itself (ptl = pmd_lock(mm, pmd), or
///    pmd_trans_huge_lock()) and changes the same pmd again after
///    spin_unlock(ptl), before re-taking it (spin_lock(), or
///    double_pt_lock() of userfaultfd's moves);
///  - the function took mmap_lock for read, and changes a pmd with no
///    spinlock and no write lock taken on the way.
///
/// False positives: a pmd in a table that is private to the path (a pmd_t
/// on the stack, a freshly allocated table); kernel page tables.  A pmd
/// changed with no lock at all in a function that takes none is not
/// reported: the callers' locks are unknown here (the GCC plugin follows
/// them).
///
// Confidence: Moderate
// Comments: mmlock rule pmd-lock; see cocci/README
// Options: --no-includes --include-headers
// Keys: pmdp_collapse_flush set_pmd_at pmdp_huge_clear_flush pmdp_huge_get_and_clear pmdp_invalidate pmdp_set_wrprotect pmdp_establish pmd_clear pmd_populate
// Keys: pmd_lock pmd_trans_huge_lock __pmd_trans_huge_lock pmd_lockptr mmap_read_lock mmap_read_lock_killable mmap_read_trylock mmap_sem

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

// The pmd lock of a pmd, as this function takes it.

@pmdlock@
expression ptl, mm, pmd, vma;
@@

(
ptl = pmd_lock(mm, pmd)
|
ptl = pmd_trans_huge_lock(pmd, vma)
|
ptl = __pmd_trans_huge_lock(pmd, vma)
|
ptl = pmd_lockptr(mm, pmd)
)

// Released, then the same pmd changed again.
@after_unlock exists@
expression pmdlock.ptl, pmdlock.pmd;
expression E, E1, E2;
identifier set = {pmdp_collapse_flush, set_pmd_at, pmdp_huge_clear_flush,
		  pmdp_huge_get_and_clear, pmdp_invalidate,
		  pmdp_set_wrprotect, pmdp_establish};
position pr, pu;
expression E_2;
@@

spin_unlock@pr(ptl);
... when != \(spin_lock\|spin_lock_nested\|spin_trylock\)(ptl, ...)
    when != double_pt_lock(ptl, ...)
    when != double_pt_lock(E1, ptl)
    when != ptl = E
    when != &ptl
    when != pmd = E_2
    when != &pmd
(
*set@pu(E1, E2, pmd, ...)
|
*pmd_clear@pu(pmd)
|
*pmd_populate@pu(E1, pmd, ...)
)

// Under mmap_lock for read, with no pmd lock on the way.
@read_only exists@
expression mm, pmd, E1, E2;
identifier set = {pmdp_collapse_flush, set_pmd_at, pmdp_huge_clear_flush,
		  pmdp_huge_get_and_clear, pmdp_invalidate,
		  pmdp_set_wrprotect, pmdp_establish};
position pk, pu;
@@

(
mmap_read_lock@pk(mm)
|
mmap_read_lock_killable@pk(mm)
|
mmap_read_trylock@pk(mm)
|
down_read@pk(&mm->mmap_sem)
)
... when != \(spin_lock\|spin_lock_nested\|spin_trylock\|double_pt_lock\)(...)
    when != \(pmd_lock\|pmd_trans_huge_lock\|__pmd_trans_huge_lock\)(...)
    when != \(mmap_write_lock\|mmap_write_trylock\|mmap_write_lock_killable\|mmap_read_unlock\|mmap_assert_write_locked\)(...)
    when != \(down_write\|up_read\)(&mm->mmap_sem)
(
*set@pu(E1, E2, pmd, ...)
|
*pmd_clear@pu(pmd)
|
*pmd_populate@pu(E1, pmd, ...)
)

@script:python depends on report@
pr << after_unlock.pr;
pu << after_unlock.pu;
pmd << pmdlock.pmd;
@@
mmlock_warn("pmd-lock", pu[0],
	    "pmd '%s' changed after its pmd lock was released" % pmd,
	    [(pr[0], "pmd lock released here")])

@script:python depends on report@
pk << read_only.pk;
pu << read_only.pu;
pmd << read_only.pmd;
@@
mmlock_warn("pmd-lock", pu[0],
	    "pmd '%s' changed under mmap_lock for read without the pmd lock" % pmd,
	    [(pk[0], "mmap_lock taken for read here")])

@script:python depends on org@
pr << after_unlock.pr;
pu << after_unlock.pu;
@@
mmlock_org("pmd-lock", pu[0], "pmd changed after its lock was released", [(pr[0], "released")])

@script:python depends on org@
pk << read_only.pk;
pu << read_only.pu;
@@
mmlock_org("pmd-lock", pu[0], "pmd changed under mmap_lock for read without the pmd lock", [(pk[0], "mmap_lock for read")])
