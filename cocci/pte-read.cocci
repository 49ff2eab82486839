// SPDX-License-Identifier: GPL-2.0-only
/// Find hugetlb entries read without their page-table lock in ->hugetlb_entry
/// page-walk callbacks (mmlock rule pte-read).  walk_hugetlb_range() calls
/// the callback with mmap_lock and (6.2 and later) the hugetlb vma lock
/// held for read and nothing else: that keeps the table from being
/// unshared and freed, not the entry from changing under migration, and a
/// huge entry can span several hardware
/// entries that huge_ptep_get() reads one by one (arm64 contiguous
/// entries).  So every huge_ptep_get() there, even one only tested for
/// none, is made with the lock huge_pte_lock() takes (fixes 9109bd52559b
/// hwpoison_hugetlb_range(), 1623717b057f mincore_hugetlb(), 45d19b4b6c2d
/// smaps_hugetlb_range(), aa5a10b07069 pagemap_hugetlb_range() and
/// gather_hugetlb_stats()).
///
/// A callback is a function named in a ".hugetlb_entry = fn" initializer
/// or assigned to a ".hugetlb_entry" field in the same file.  Both forms
/// of the read are matched: huge_ptep_get(pte) (to 6.11) and
/// huge_ptep_get(mm, addr, pte) (6.12 and later).  Reported: the first
/// read with
/// no huge_pte_lock() (or spin_lock() of a huge_pte_lockptr()) before it
/// on some path through the callback, or after spin_unlock() of that lock
/// with no new huge_pte_lock() in between.
///
/// False positives: a callback whose caller holds the lock (no kernel
/// walker does); a read made only to be re-checked under the lock later.
/// Not seen: reads in helpers the callback calls; reads with ptep_get() or
/// through the pointer itself (*pte, as kernels before huge_ptep_get()
/// and 6.1's prot_none_hugetlb_entry() and smaps_hugetlb_range() write
/// it); callbacks named in another file.
///
// Confidence: High
// Comments: mmlock rule pte-read; see cocci/README
// Options: --no-includes --include-headers
// Keys: hugetlb_entry

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

// The callbacks: named in an initializer of any struct (struct mm_walk_ops
// from 5.4, struct mm_walk before), or assigned to the field.

@cb@
identifier fn, ops;
type T;
expression E;
position pc;
@@

(
T ops = { ..., .hugetlb_entry = fn@pc, ... };
|
E.hugetlb_entry = fn@pc
|
E->hugetlb_entry = fn@pc
)

// A read reached with no huge_pte_lock() on the way.
@unlocked exists@
identifier cb.fn;
expression P, M, A, L;
position pr;
@@

fn(...) {
... when != huge_pte_lock(...)
    when != spin_lock(huge_pte_lockptr(...))
    when != L = huge_pte_lockptr(...)
\(huge_ptep_get@pr(P)\|huge_ptep_get@pr(M, A, P)\)
... when any
}

// A read after the callback released the lock it took.
@released exists@
identifier cb.fn;
expression P, M, A, L, L2;
position pu, pr;
@@

fn(...) {
... when any
(
L = huge_pte_lock(...);
|
L = huge_pte_lockptr(...);
)
... when any
spin_unlock@pu(L);
... when != L2 = huge_pte_lock(...)
    when != spin_lock(L2)
\(huge_ptep_get@pr(P)\|huge_ptep_get@pr(M, A, P)\)
... when any
}

@script:python depends on report@
fn << cb.fn;
pr << unlocked.pr;
P << unlocked.P;
@@
mmlock_warn("pte-read", pr[0],
	    "hugetlb entry '%s' read without huge_pte_lock() in %s(), a ->hugetlb_entry callback: the page walk does not hold it, and the entry can change under the callback (migration)" % (P, fn))

@script:python depends on report@
fn << cb.fn;
pr << released.pr;
pu << released.pu;
P << released.P;
@@
mmlock_warn("pte-read", pr[0],
	    "hugetlb entry '%s' read in ->hugetlb_entry callback %s() after its lock was released" % (P, fn),
	    [(pu[0], "huge_pte_lock() released here")])

@script:python depends on org@
pr << unlocked.pr;
@@
mmlock_org("pte-read", pr[0], "hugetlb entry read without huge_pte_lock()")

@script:python depends on org@
pr << released.pr;
pu << released.pu;
@@
mmlock_org("pte-read", pr[0], "hugetlb entry read after its lock was released", [(pu[0], "released")])

@depends on context exists@
identifier cb.fn;
position unlocked.pr;
@@

* huge_ptep_get@pr(...)
