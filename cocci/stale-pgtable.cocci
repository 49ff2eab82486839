// SPDX-License-Identifier: GPL-2.0-only
/// Find page-table pointers used after they went stale (mmlock rule
/// stale-pgtable, RULES.md R2).  Two cases:
///  - a pmd pointer found while mmap_lock was held (mm_find_pmd(),
///    find_pmd_or_thp_or_none(), pmd_offset()) and used after the lock was
///    dropped (mmap_*_unlock(), up_read()/up_write() of mmap_sem, a fault
///    call such as do_swap_page(), or __collapse_huge_page_swapin()) to map,
///    lock or change the table, without check_pmd_still_valid() or a fresh
///    lookup in between: the page table may have been freed or replaced by
///    a huge pmd meanwhile;
///  - a pte pointer dereferenced after pte_unmap_unlock() or pte_unmap().
///
/// False positives: a pmd of a table that cannot go away for another reason
/// (the caller pins the mm and the range); a pte pointer only used for its
/// value (compared, or as a loop bound) in a way this script takes for a
/// dereference.
///
// Confidence: Moderate
// Comments: mmlock rule stale-pgtable; see cocci/README
// Options: --no-includes --include-headers
// Keys: mmap_read_unlock mmap_write_unlock mmap_sem do_swap_page handle_mm_fault __collapse_huge_page_swapin pte_unmap pte_unmap_unlock

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

// A pmd pointer that held a value when mmap_lock was dropped explicitly,
// used afterwards.

@pmd_stale exists@
typedef pmd_t;
idexpression pmd_t *pmd;
expression E, mm;
identifier f = {pte_offset_map, pte_offset_map_lock, pte_offset_map_nolock,
		pte_offset_map_rw_nolock, pte_offset_map_ro_nolock,
		pte_lockptr, pmd_lock, pmd_lockptr, pmd_trans_huge_lock,
		pte_alloc, pte_alloc_map, pte_alloc_map_lock, pmd_populate,
		pmd_clear, set_pmd_at, pmdp_collapse_flush, pmdp_huge_clear_flush,
		pmdp_huge_get_and_clear, pmdp_invalidate, pmdp_set_wrprotect,
		pmdp_establish, pmd_pgtable, pgtable_trans_huge_deposit,
		pgtable_trans_huge_withdraw, collapse_and_free_pmd, set_huge_pmd,
		pmd_none, pmd_trans_huge, pmd_present};
position pd, pu;
@@

(
mmap_read_unlock@pd(mm)
|
mmap_write_unlock@pd(mm)
|
up_read@pd(&mm->mmap_sem)
|
up_write@pd(&mm->mmap_sem)
)
...
    when != pmd = E
    when != &pmd
    when != check_pmd_still_valid(..., pmd, ...)
(
*f@pu(..., pmd, ...)
|
*\(*pmd@pu\|pmd_read_atomic@pu(pmd)\|pmdp_get_lockless@pu(pmd)\|READ_ONCE@pu(*pmd)\)
)

// The same after a fault call that may have dropped the lock: the pmd is
// used before the result is looked at, in the branch that handles
// VM_FAULT_RETRY, or after that branch re-took the lock and carried on.
@pmd_fault exists@
typedef pmd_t;
idexpression pmd_t *pmd;
expression E, ret;
identifier f = {pte_offset_map, pte_offset_map_lock, pte_offset_map_nolock,
		pte_offset_map_rw_nolock, pte_offset_map_ro_nolock,
		pte_lockptr, pmd_lock, pmd_lockptr, pmd_trans_huge_lock,
		pte_alloc, pte_alloc_map, pte_alloc_map_lock, pmd_populate,
		pmd_clear, set_pmd_at, pmdp_collapse_flush, pmdp_huge_clear_flush,
		pmdp_huge_get_and_clear, pmdp_invalidate, pmdp_set_wrprotect,
		pmdp_establish, pmd_pgtable, pgtable_trans_huge_deposit,
		pgtable_trans_huge_withdraw, collapse_and_free_pmd, set_huge_pmd,
		pmd_none, pmd_trans_huge, pmd_present};
identifier fault = {handle_mm_fault, do_swap_page, __collapse_huge_page_swapin};
position pd, pu;
expression E_2;
expression E_3;
expression E_4;
expression E_5;
expression E_6;
expression E_7;
expression E_8;
expression E_9;
@@

ret = fault@pd(...);
(
...
    when != pmd = E
    when != &pmd
    when != check_pmd_still_valid(..., pmd, ...)
    when != ret
(
*f@pu(..., pmd, ...)
|
*\(*pmd@pu\|pmd_read_atomic@pu(pmd)\|pmdp_get_lockless@pu(pmd)\|READ_ONCE@pu(*pmd)\)
)
|
...
    when != pmd = E_2
    when != &pmd
    when != check_pmd_still_valid(..., pmd, ...)
    when != ret = E_3
if (<+... ret & \(VM_FAULT_RETRY\|VM_FAULT_COMPLETED\) ...+>) {
  ...
      when != pmd = E_4
      when != &pmd
      when != check_pmd_still_valid(..., pmd, ...)
(
*f@pu(..., pmd, ...)
|
*\(*pmd@pu\|pmd_read_atomic@pu(pmd)\|pmdp_get_lockless@pu(pmd)\|READ_ONCE@pu(*pmd)\)
)
  ... when any
}
|
...
    when != pmd = E_5
    when != &pmd
    when != check_pmd_still_valid(..., pmd, ...)
    when != ret = E_6
if (<+... ret & VM_FAULT_RETRY ...+>) {
  ... when != pmd = E_7
      when != &pmd
  \(mmap_read_lock\|mmap_write_lock\|down_read\|down_write\)(...);
  ... when != pmd = E_8
      when != &pmd
}
...
    when != pmd = E_9
    when != &pmd
    when != check_pmd_still_valid(..., pmd, ...)
(
*f@pu(..., pmd, ...)
|
*\(*pmd@pu\|pmd_read_atomic@pu(pmd)\|pmdp_get_lockless@pu(pmd)\|READ_ONCE@pu(*pmd)\)
)
)

// A pte pointer dereferenced after it was unmapped.  "pte_unmap(pte - 1)"
// after a loop unmaps the table that "pte" points into.
@unmap_arith@
idexpression pte;
expression E3, ptl;
position pa;
@@

(
pte_unmap_unlock@pa(\(pte - E3\|pte + E3\), ptl)
|
pte_unmap@pa(\(pte - E3\|pte + E3\))
)

@unmap@
expression pte, ptl;
position pd != unmap_arith.pa;
@@

(
pte_unmap_unlock@pd(pte, ptl)
|
pte_unmap@pd(pte)
)

@pte_dead exists@
expression pte, E, E2, ptl;
identifier f = {ptep_get, ptep_get_lockless, set_pte_at, set_ptes, set_pte,
		pte_clear, ptep_clear, ptep_get_and_clear,
		ptep_get_and_clear_full, ptep_clear_flush, ptep_set_wrprotect,
		ptep_set_access_flags, ptep_modify_prot_start,
		ptep_modify_prot_commit, ptep_test_and_clear_young,
		ptep_clear_flush_young, pte_unmap, pte_unmap_unlock};
position unmap.pd;
position pu;
@@

(
pte_unmap_unlock@pd(pte, ptl)
|
pte_unmap@pd(pte)
)
... when != pte = E
    when != &pte
    when != pte++
    when != ++pte
    when != pte--
    when != --pte
    when != pte += E2
    when != pte -= E2
(
*pte@pu[E2]
|
* *pte@pu
|
*f@pu(..., pte, ...)
)

@pte_dead_arith exists@
idexpression pte;
expression E, E2, E3, ptl;
identifier f = {ptep_get, ptep_get_lockless, set_pte_at, set_ptes, set_pte,
		pte_clear, ptep_clear, ptep_get_and_clear,
		ptep_get_and_clear_full, ptep_clear_flush, ptep_set_wrprotect,
		ptep_set_access_flags, ptep_modify_prot_start,
		ptep_modify_prot_commit, ptep_test_and_clear_young,
		ptep_clear_flush_young, pte_unmap, pte_unmap_unlock};
position unmap_arith.pa;
position pu;
@@

(
pte_unmap_unlock@pa(\(pte - E3\|pte + E3\), ptl)
|
pte_unmap@pa(\(pte - E3\|pte + E3\))
)
... when != pte = E
    when != &pte
    when != pte++
    when != ++pte
    when != pte--
    when != --pte
    when != pte += E2
    when != pte -= E2
(
*pte@pu[E2]
|
* *pte@pu
|
*f@pu(..., pte, ...)
)

@script:python depends on report@
pd << pmd_stale.pd;
pu << pmd_stale.pu;
pmd << pmd_stale.pmd;
@@
mmlock_warn("stale-pgtable", pu[0],
	    "pmd pointer '%s' used after mmap_lock was dropped, without check_pmd_still_valid() or a fresh lookup" % pmd,
	    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pd << pmd_fault.pd;
pu << pmd_fault.pu;
pmd << pmd_fault.pmd;
fault << pmd_fault.fault;
@@
mmlock_warn("stale-pgtable", pu[0],
	    "pmd pointer '%s' used after %s() may have dropped mmap_lock, without check_pmd_still_valid() or a fresh lookup" % (pmd, fault),
	    [(pd[0], "%s() may drop mmap_lock here" % fault)])

@script:python depends on report@
pd << unmap.pd;
pu << pte_dead.pu;
pte << pte_dead.pte;
@@
mmlock_warn("stale-pgtable", pu[0],
	    "pte pointer '%s' used after it was unmapped" % pte,
	    [(pd[0], "'%s' unmapped here" % pte)])

@script:python depends on report@
pd << unmap_arith.pa;
pu << pte_dead_arith.pu;
pte << pte_dead_arith.pte;
@@
mmlock_warn("stale-pgtable", pu[0],
	    "pte pointer '%s' used after its table was unmapped" % pte,
	    [(pd[0], "page table unmapped here")])

@script:python depends on org@
pd << pmd_stale.pd;
pu << pmd_stale.pu;
@@
mmlock_org("stale-pgtable", pu[0], "pmd pointer used after mmap_lock was dropped", [(pd[0], "mmap_lock dropped")])

@script:python depends on org@
pd << pmd_fault.pd;
pu << pmd_fault.pu;
@@
mmlock_org("stale-pgtable", pu[0], "pmd pointer used after a fault call may have dropped mmap_lock", [(pd[0], "fault call")])

@script:python depends on org@
pd << unmap.pd;
pu << pte_dead.pu;
@@
mmlock_org("stale-pgtable", pu[0], "pte pointer used after it was unmapped", [(pd[0], "unmapped")])

@script:python depends on org@
pd << unmap_arith.pa;
pu << pte_dead_arith.pu;
@@
mmlock_org("stale-pgtable", pu[0], "pte pointer used after it was unmapped", [(pd[0], "unmapped")])
