// SPDX-License-Identifier: GPL-2.0-only
/// Find ptes changed without the pte lock (mmlock rule pte-lock, RULES.md
/// R1).  set_pte_at(), ptep_get_and_clear(), ptep_clear_flush() and the
/// other pte writers need the ptl of the table.  Two shapes are reported:
///  - the pte pointer was mapped with pte_offset_map() (or one of the
///    *_nolock variants) and the path to the change takes no spinlock and
///    does not even look up the table's lock (pte_lockptr()); "if (ptl
///    != old_ptl) spin_lock_nested(ptl, ...)" (mremap's move_ptes()) holds
///    it on both branches, when the other lock is held;
///  - the pte lock the function took itself (pte_offset_map_lock(...,
///    &ptl), spin_lock(ptl) with ptl from pte_lockptr()) was released with
///    spin_unlock(ptl) and the table is changed again before it is
///    re-taken.
/// A table that this path has detached with pmdp_collapse_flush() (as
/// collapse_huge_page() does) is private, and not reported.
///
/// A table mapped through a pmd_t on the stack (pte_offset_map(&_pmd, ...)
/// after pmd_populate(mm, &_pmd, pgtable), as __split_huge_pmd_locked()
/// does) is not reachable by anyone else yet, and not reported either.
///
/// False positives: other private tables (freshly allocated, not yet
/// populated); kernel page tables (init_mm) reached through pte_offset_map
/// by arch code that needs no lock.  Writers on a pte pointer handed in by
/// the caller are not followed: the caller's locks are unknown here.
///
// Confidence: Moderate
// Comments: mmlock rule pte-lock; see cocci/README
// Options: --no-includes --include-headers
// Keys: pte_offset_map pte_offset_map_nolock pte_offset_map_rw_nolock pte_offset_map_ro_nolock pte_offset_map_lock pte_lockptr
// Keys: set_pte_at set_ptes set_pte pte_clear ptep_clear ptep_get_and_clear ptep_get_and_clear_full ptep_clear_flush ptep_set_wrprotect ptep_set_access_flags ptep_modify_prot_start ptep_modify_prot_commit

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

// A table reached through a pmd_t on the stack ("pmd_populate(mm, &_pmd,
// pgtable); pte = pte_offset_map(&_pmd, addr)", as the THP split does) is
// not in any page table yet: private to this path.

@private_map@
expression pte, E;
identifier map = {pte_offset_map, pte_offset_map_nolock,
		  pte_offset_map_rw_nolock, pte_offset_map_ro_nolock};
position pp;
@@

pte = map@pp(&E, ...)

// Mapped without the lock, changed without ever locking.
@unlocked_map exists@
expression pte, E, E1, E2, E3, E4, E5;
identifier map = {pte_offset_map, pte_offset_map_nolock,
		  pte_offset_map_rw_nolock, pte_offset_map_ro_nolock};
identifier set = {set_pte_at, set_ptes, pte_clear, ptep_clear,
		  ptep_get_and_clear, ptep_get_and_clear_full, ptep_clear_flush,
		  ptep_set_wrprotect, ptep_set_access_flags,
		  ptep_modify_prot_start, ptep_modify_prot_commit};
position pm != private_map.pp;
position pu;
@@

pte = map@pm(...);
... when != pte = E
    when != \(spin_lock\|spin_lock_nested\|spin_trylock\|raw_spin_lock\|double_pt_lock\)(...)
    when != if (E4 != E5) \(spin_lock\|spin_lock_nested\)(E4, ...);
    when != \(pte_lockptr\|pmd_lock\|pmd_lockptr\|pmd_trans_huge_lock\)(...)
    when != pmdp_collapse_flush(...)
(
*set@pu(E1, E2, pte, ...)
|
*set_pte@pu(pte, E3)
)

// The function's own pte lock released, the table changed again.
@ptl_of@
expression pte, ptl, mm, pmd, a;
@@

(
pte = pte_offset_map_lock(mm, pmd, a, &ptl)
|
ptl = pte_lockptr(mm, pmd)
|
pte = pte_offset_map_nolock(mm, pmd, a, &ptl)
)

@relocked exists@
expression ptl_of.ptl, pte, E, E1, E2, E3;
identifier set = {set_pte_at, set_ptes, pte_clear, ptep_clear,
		  ptep_get_and_clear, ptep_get_and_clear_full, ptep_clear_flush,
		  ptep_set_wrprotect, ptep_set_access_flags,
		  ptep_modify_prot_start, ptep_modify_prot_commit};
expression E4;
position pr, pu;
@@

(
spin_unlock@pr(ptl);
|
double_pt_unlock@pr(ptl, E4);
|
double_pt_unlock@pr(E4, ptl);
)
... when != \(spin_lock\|spin_lock_nested\|spin_trylock\)(ptl, ...)
    when != double_pt_lock(...)
    when != ptl = E
    when != &ptl
    when != pmdp_collapse_flush(...)
(
*set@pu(E1, E2, pte, ...)
|
*set_pte@pu(pte, E3)
)

@script:python depends on report@
pm << unlocked_map.pm;
pu << unlocked_map.pu;
pte << unlocked_map.pte;
set << unlocked_map.set;
@@
mmlock_warn("pte-lock", pu[0],
	    "%s() changes a pte of '%s' without the pte lock" % (set, pte),
	    [(pm[0], "'%s' mapped here without taking its lock" % pte)])

@script:python depends on report@
pr << relocked.pr;
pu << relocked.pu;
ptl << ptl_of.ptl;
set << relocked.set;
@@
mmlock_warn("pte-lock", pu[0],
	    "%s() changes a pte after its lock '%s' was released" % (set, ptl),
	    [(pr[0], "'%s' released here" % ptl)])

@script:python depends on org@
pm << unlocked_map.pm;
pu << unlocked_map.pu;
@@
mmlock_org("pte-lock", pu[0], "pte changed without the pte lock", [(pm[0], "mapped without the lock")])

@script:python depends on org@
pr << relocked.pr;
pu << relocked.pu;
@@
mmlock_org("pte-lock", pu[0], "pte changed after the pte lock was released", [(pr[0], "released")])
