// SPDX-License-Identifier: GPL-2.0-only
/// Find a vma looked up again after mmap_lock was dropped and re-taken,
/// and then used with no more than a NULL or pointer-equality check (mmlock
/// rule weak-revalidate, RULES.md R2).  "vma = find_vma(mm, addr);
/// if (vma != vma_orig)" does not revalidate: the old vma may have been
/// freed and a new one allocated at the same address, mremap may have moved
/// or resized it, and the mm may be exiting.  A revalidation checks the
/// range (vm_start/vm_end against the address, range_in_vma(),
/// transhuge_vma_suitable(), or a lookup that does it: vma_lookup(),
/// find_vma_intersection()), and in code that handles a foreign mm (the
/// file tests khugepaged_test_exit()/hpage_collapse_test_exit()) also the
/// mm and the vma's suitability (hugepage_vma_check() and friends), or
/// calls a helper that does all of it (hugepage_vma_revalidate()).
///
/// False positives: a range check made through a helper this script does
/// not know; a lookup whose result is only used for something that does
/// not depend on the range (e.g. reading vm_flags to pick an error code).
///
// Confidence: Moderate
// Comments: mmlock rule weak-revalidate; see cocci/README
// Options: --no-includes --include-headers
// Keys: find_vma find_vma_prev
// Keys: mmap_read_unlock mmap_write_unlock mmap_sem handle_mm_fault do_swap_page __collapse_huge_page_swapin userfaultfd_remove

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

import re
# uses on the far side of a range check in their own expression
mmlock_checked_in_expr = set()

// A lookup made after mmap_lock was dropped (explicitly or by a call that
// may drop it) and taken again.

@relookup exists@
idexpression struct vm_area_struct *vma;
expression mm, mm2;
identifier lookup = {find_vma, find_vma_prev};
position pd, pk, pl;
@@

(
mmap_read_unlock@pd(...)
|
mmap_write_unlock@pd(...)
|
up_read@pd(&mm2->mmap_sem)
|
up_write@pd(&mm2->mmap_sem)
|
handle_mm_fault@pd(...)
|
do_swap_page@pd(...)
|
__collapse_huge_page_swapin@pd(...)
|
userfaultfd_remove@pd(...)
)
...
(
mmap_read_lock@pk(mm)
|
mmap_write_lock@pk(mm)
|
mmap_read_lock_killable@pk(mm)
|
mmap_write_lock_killable@pk(mm)
|
mmap_read_trylock@pk(mm)
|
mmap_write_trylock@pk(mm)
|
down_read@pk(&mm->mmap_sem)
|
down_write@pk(&mm->mmap_sem)
|
down_read_killable@pk(&mm->mmap_sem)
|
down_write_killable@pk(&mm->mmap_sem)
)
...
vma = lookup@pl(mm, ...)

// A use on the far side of a range check in the same expression ("vma &&
// vma->vm_start <= addr ? use(vma) : 0", "... && use(vma)"): such uses are
// not reported (mmlock_checked_in_expr).
@checked_in_expr@
idexpression struct vm_area_struct *relookup.vma;
identifier fld, f;
expression E1, E2;
position pc;
@@

(
E1 ? <+... \(vma@pc->fld\|f@pc(...,vma,...)\) ...+> : E2
|
E1 && <+... \(vma@pc->fld\|f@pc(...,vma,...)\) ...+>
)

@script:python@
vma << relookup.vma;
E1 << checked_in_expr.E1;
pc << checked_in_expr.pc;
@@
if re.search(r"\b%s\s*->\s*vm_(start|end)\b" % re.escape(str(vma)), str(E1)):
	mmlock_checked_in_expr.add(mmlock_key(pc[0]))

// The range is never checked before the vma is used.
@norange exists@
idexpression struct vm_area_struct *relookup.vma;
identifier relookup.lookup;
expression E;
identifier fld != {vm_start, vm_end};
identifier f != {range_in_vma, transhuge_vma_suitable, hugepage_vma_revalidate,
		 IS_ERR, IS_ERR_OR_NULL, PTR_ERR, likely, unlikely};
position relookup.pl;
position pu;
@@

vma = lookup@pl(...);
... when != vma->vm_start
    when != vma->vm_end
    when != vma = E
    when != &vma
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

// Code that works on a foreign mm (it tests for the mm exiting elsewhere)
// must re-check the mm and the vma's suitability too.
@foreign@
@@

\(khugepaged_test_exit\|hpage_collapse_test_exit\)(...)

@noexit depends on foreign exists@
idexpression struct vm_area_struct *relookup.vma;
identifier relookup.lookup;
expression E;
identifier fld != {vm_start, vm_end, vm_flags};
identifier f != {range_in_vma, transhuge_vma_suitable, hugepage_vma_revalidate,
		 hugepage_vma_check, thp_vma_allowable_order,
		 thp_vma_allowable_orders, vma_is_anonymous,
		 IS_ERR, IS_ERR_OR_NULL, PTR_ERR, likely, unlikely};
position relookup.pk, relookup.pl;
position pu;
identifier lk;
@@

lk@pk(...)
... when != \(khugepaged_test_exit\|hpage_collapse_test_exit\)(...)
vma = lookup@pl(...);
... when != \(khugepaged_test_exit\|hpage_collapse_test_exit\)(...)
    when != vma = E
    when != &vma
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

@nosuit depends on foreign exists@
idexpression struct vm_area_struct *relookup.vma;
identifier relookup.lookup;
expression E;
identifier fld != {vm_start, vm_end, vm_flags, anon_vma, vm_ops, vm_file};
identifier f != {range_in_vma, transhuge_vma_suitable, hugepage_vma_revalidate,
		 hugepage_vma_check, thp_vma_allowable_order,
		 thp_vma_allowable_orders, vma_is_anonymous,
		 IS_ERR, IS_ERR_OR_NULL, PTR_ERR, likely, unlikely};
position relookup.pl;
position pu;
@@

vma = lookup@pl(...);
... when != \(hugepage_vma_check\|thp_vma_allowable_order\|thp_vma_allowable_orders\|vma_is_anonymous\)(...)
    when != vma->vm_flags
    when != vma->anon_vma
    when != vma = E
    when != &vma
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

@script:python depends on report@
pd << relookup.pd;
pk << relookup.pk;
pl << relookup.pl;
pu << norange.pu;
vma << relookup.vma;
lookup << relookup.lookup;
@@
if mmlock_key(pu[0]) not in mmlock_checked_in_expr:
	mmlock_warn("weak-revalidate", pl[0],
		    "'%s' looked up again with %s() after mmap_lock was re-taken, and used without checking its range" % (vma, lookup),
		    [(pd[0], "mmap_lock dropped here"), (pk[0], "and re-taken here"),
		     (pu[0], "'%s' used here" % vma)])

@script:python depends on report@
pd << relookup.pd;
pk << relookup.pk;
pl << relookup.pl;
pu << noexit.pu;
vma << relookup.vma;
@@
mmlock_warn("weak-revalidate", pl[0],
	    "'%s' looked up again after mmap_lock was re-taken, without re-checking that the mm is not exiting" % vma,
	    [(pd[0], "mmap_lock dropped here"), (pk[0], "and re-taken here"),
	     (pu[0], "'%s' used here" % vma)])

@script:python depends on report@
pd << relookup.pd;
pk << relookup.pk;
pl << relookup.pl;
pu << nosuit.pu;
vma << relookup.vma;
@@
mmlock_warn("weak-revalidate", pl[0],
	    "'%s' looked up again after mmap_lock was re-taken, without re-checking that it is still suitable" % vma,
	    [(pd[0], "mmap_lock dropped here"), (pk[0], "and re-taken here"),
	     (pu[0], "'%s' used here" % vma)])

@script:python depends on org@
pl << relookup.pl;
pu << norange.pu;
@@
if mmlock_key(pu[0]) not in mmlock_checked_in_expr:
	mmlock_org("weak-revalidate", pl[0], "vma looked up again but its range is not checked", [(pu[0], "used")])

@script:python depends on org@
pl << relookup.pl;
pu << noexit.pu;
@@
mmlock_org("weak-revalidate", pl[0], "vma looked up again but the mm is not re-checked", [(pu[0], "used")])

@script:python depends on org@
pl << relookup.pl;
pu << nosuit.pu;
@@
mmlock_org("weak-revalidate", pl[0], "vma looked up again but its suitability is not re-checked", [(pu[0], "used")])
