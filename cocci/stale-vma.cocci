// SPDX-License-Identifier: GPL-2.0-only
/// Find a vma used after mmap_lock was dropped and before it was looked up
/// again (mmlock rule stale-vma, RULES.md R2).  A vma found under mmap_lock,
/// or handed in by the caller, can be freed or changed as soon as the lock
/// is released: by mmap_read_unlock() and friends, by up_read()/up_write()
/// of mmap_sem, by a fault call (handle_mm_fault(), do_swap_page(), ...)
/// whose result has VM_FAULT_RETRY or VM_FAULT_COMPLETED, or by
/// userfaultfd_remove() returning false.  Dereferencing the vma, or passing
/// it to a function, before it is assigned again is reported, together with
/// the place where the lock was dropped.  Only the first use on each path is
/// reported.
///
/// An mm being torn down (the path sets MMF_OOM_SKIP, as exit_mmap() does
/// between unmapping and freeing the page tables) keeps its vmas: nobody
/// else can unmap them, so such paths are not followed.
///
/// False positives: the vma is kept alive by other means (a per-vma lock,
/// a reference the callers hold); the drop and the use
/// are on paths that cannot both run, for a reason other than the two
/// idioms understood here (a flag such as mmap_locked set to false after
/// the drop and tested before the use; a drop under "if (err)" followed by
/// a test of err); a callee that only uses the pointer as a cookie.  Only
/// variables declared as struct vm_area_struct * are followed.
///
// Confidence: Moderate
// Comments: mmlock rule stale-vma; see cocci/README
// Options: --no-includes --include-headers
// Keys: mmap_read_unlock mmap_write_unlock mmap_read_unlock_non_owner mmap_sem handle_mm_fault hugetlb_fault __handle_mm_fault do_swap_page __do_fault do_fault do_read_fault do_cow_fault do_shared_fault handle_userfault userfaultfd_remove
// Keys: vm_area_struct

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

# (file, line, column, vma) of the drops a per-VMA-locked vma survives
mmlock_vma_locked = set()

def mmlock_own_lock(p, vma):
	return (p.file, p.line, p.column, str(vma)) in mmlock_vma_locked

// Where mmap_lock is released explicitly.

@drop@
expression mm;
position pd;
@@

(
mmap_read_unlock@pd(mm)
|
mmap_write_unlock@pd(mm)
|
mmap_read_unlock_non_owner@pd(mm)
|
up_read@pd(&mm->mmap_sem)
|
up_write@pd(&mm->mmap_sem)
)

// Idiom 1: a flag records the drop ("mmap_locked = false", "*locked = 0")
// and is tested before the vma is touched again.
@flagged exists@
position drop.pd;
position pf;
identifier rel;
identifier X =~ "lock";
symbol false;
@@

rel@pd@pf(...);
...
(
X = \(false\|0\);
|
*X = \(false\|0\);
)

// Idiom 1b: the flag was cleared at an earlier drop and is still false at
// this one ("mmap_read_unlock(mm); mmap_locked = false; ...;
// mmap_read_lock(mm); ...; mmap_read_unlock(mm); ... if (!mmap_locked)",
// 6.12 khugepaged_scan_mm_slot()).
@flagged_before exists@
position drop.pd;
position pf;
identifier rel;
identifier X =~ "lock";
expression E;
symbol false;
@@

(
X = \(false\|0\);
|
*X = \(false\|0\);
)
... when != X = E
    when != *X = E
rel@pd@pf(...);

// Idiom 3: mmap_lock taken with a trylock and given back ("if
// (mmap_write_trylock(mm)) { ...; mmap_write_unlock(mm); }": 6.1
// retract_page_tables(), __vmf_anon_prepare() under the per-VMA lock).  The
// trylock succeeded, so this function did not hold mmap_lock before it:
// its vmas are kept by something else (the i_mmap lock, the per-VMA lock),
// and giving the lock back ends none of them.
@trylocked exists@
position drop.pd;
position pt;
identifier rel;
@@

(
if (\(mmap_read_trylock\|mmap_write_trylock\|down_read_trylock\|down_write_trylock\)(...))
	rel@pd@pt(...);
|
if (\(mmap_read_trylock\|mmap_write_trylock\|down_read_trylock\|down_write_trylock\)(...)) {
	...
	rel@pd@pt(...);
	...
}
)

// Idiom 2: "if (err) unlock; ... if (err) goto out;".  A drop that idiom
// 1b covers is followed through its flag, not through C; one that idiom 3
// covers is not followed.
@guarded@
position drop.pd;
position pg;
position pn != flagged_before.pf;
position pn2 != trylocked.pt;
identifier rel;
expression C;
@@

(
if (C) rel@pd@pg@pn@pn2(...);
|
if (C) { ... rel@pd@pg@pn@pn2(...); ... }
)

// A vma held by its own lock (lock_vma_under_rcu(): the per-VMA lock) does
// not depend on mmap_lock: a drop of mmap_lock does not end it.
@vma_locked exists@
identifier vma;
expression E;
position drop.pd;
position pv;
identifier rel;
@@

(
struct vm_area_struct *vma = lock_vma_under_rcu(...);
|
vma = lock_vma_under_rcu(...);
)
... when != vma = E
    when != &vma
rel@pd@pv(...);

@script:python@
pv << vma_locked.pv;
vma << vma_locked.vma;
@@
mmlock_vma_locked.add((pv[0].file, pv[0].line, pv[0].column, str(vma)))

@plain@
position drop.pd;
position pp != flagged.pf;
position pp3 != flagged_before.pf;
position pp2 != guarded.pg;
position pp4 != trylocked.pt;
identifier rel;
@@

rel@pd@pp@pp2@pp3@pp4(...)

@after_plain exists@
idexpression struct vm_area_struct *vma;
expression E;
identifier rel, fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
iterator I;
statement S;
position plain.pp;
position pu;
@@

rel@pp(...);
... when != vma = E
    when != &vma
    when != I(...,vma,...) S
    when != MMF_OOM_SKIP
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

@after_flagged exists@
idexpression struct vm_area_struct *vma;
expression E;
identifier rel, fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
identifier flagged.X;
iterator I;
statement S;
position flagged.pf;
position pu;
@@

rel@pf(...);
... when != vma = E
    when != &vma
    when != I(...,vma,...) S
    when != X
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

@after_flagged_before exists@
idexpression struct vm_area_struct *vma;
expression E;
identifier rel, fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
identifier flagged_before.X;
iterator I;
statement S;
position flagged_before.pf;
position pu;
@@

rel@pf(...);
... when != vma = E
    when != &vma
    when != I(...,vma,...) S
    when != X
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

@after_guarded exists@
idexpression struct vm_area_struct *vma;
expression E;
identifier rel, fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
expression guarded.C;
iterator I;
statement S;
position guarded.pg;
position pu;
@@

rel@pg(...);
... when != vma = E
    when != &vma
    when != I(...,vma,...) S
    when != C
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

// A fault call may have dropped the lock: the vma is used before the
// result is looked at, in the branch that handles VM_FAULT_RETRY or
// VM_FAULT_COMPLETED, or after that branch re-took the lock and carried on.
@faulted exists@
idexpression struct vm_area_struct *vma;
expression ret, E;
identifier fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
identifier fault = {handle_mm_fault, hugetlb_fault, __handle_mm_fault,
		    do_swap_page, __do_fault, do_fault, do_read_fault,
		    do_cow_fault, do_shared_fault, handle_userfault};
iterator I;
statement S;
position pd, pu;
expression E_2;
expression E_3;
expression E_4;
iterator I_2;
statement S_2;
expression E_5;
expression E_6;
expression E_7;
expression E_8;
expression E_9;
iterator I_3;
statement S_3;
@@

ret = fault@pd(...);
(
... when != vma = E
    when != &vma
    when != I(...,vma,...) S
    when != ret
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)
|
... when != vma = E_2
    when != &vma
    when != ret = E_3
if (<+... ret & \(VM_FAULT_RETRY\|VM_FAULT_COMPLETED\) ...+>) {
  ... when != vma = E_4
      when != &vma
      when != I_2(...,vma,...) S_2
    when != MMF_OOM_SKIP
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)
  ... when any
}
|
... when != vma = E_5
    when != &vma
    when != ret = E_6
if (<+... ret & VM_FAULT_RETRY ...+>) {
  ... when != vma = E_7
      when != &vma
  \(mmap_read_lock\|mmap_write_lock\|down_read\|down_write\)(...);
  ... when != vma = E_8
      when != &vma
}
... when != vma = E_9
    when != &vma
    when != I_3(...,vma,...) S_3
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)
)

// userfaultfd_remove() returns false when it dropped mmap_lock.
@uffd exists@
idexpression struct vm_area_struct *vma;
expression E;
identifier fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
position pd, pu;
@@

if (!userfaultfd_remove@pd(...)) {
  ... when != vma = E
      when != &vma
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)
  ... when any
}

// ... or the branch re-takes it and carries on with the old vma (the
// shape of madvise_dontneed() before commit 70ccb92fdd90).
@uffd_relock exists@
idexpression struct vm_area_struct *vma;
expression E, E_2, E_3;
identifier fld;
identifier f != {hugepage_vma_revalidate, IS_ERR, IS_ERR_OR_NULL, PTR_ERR,
		 likely, unlikely};
iterator I;
statement S;
position pd, pu;
@@

if (!userfaultfd_remove@pd(...)) {
  ... when != vma = E
      when != &vma
  \(mmap_read_lock\|mmap_write_lock\)(...);
  ... when != vma = E_2
      when != &vma
}
... when != vma = E_3
    when != &vma
    when != I(...,vma,...) S
(
*vma@pu->fld
|
*f@pu(...,vma,...)
)

@script:python depends on report@
pd << plain.pp;
pu << after_plain.pu;
vma << after_plain.vma;
@@
if not mmlock_own_lock(pd[0], vma):
	mmlock_warn("stale-vma", pu[0],
		    "'%s' used after mmap_lock was dropped, before it was looked up again" % vma,
		    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pd << flagged.pf;
pu << after_flagged.pu;
vma << after_flagged.vma;
@@
if not mmlock_own_lock(pd[0], vma):
	mmlock_warn("stale-vma", pu[0],
		    "'%s' used after mmap_lock was dropped, before it was looked up again" % vma,
		    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pd << flagged_before.pf;
pu << after_flagged_before.pu;
vma << after_flagged_before.vma;
@@
if not mmlock_own_lock(pd[0], vma):
	mmlock_warn("stale-vma", pu[0],
		    "'%s' used after mmap_lock was dropped, before it was looked up again" % vma,
		    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pd << guarded.pg;
pu << after_guarded.pu;
vma << after_guarded.vma;
@@
if not mmlock_own_lock(pd[0], vma):
	mmlock_warn("stale-vma", pu[0],
		    "'%s' used after mmap_lock was dropped, before it was looked up again" % vma,
		    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pd << faulted.pd;
pu << faulted.pu;
vma << faulted.vma;
fault << faulted.fault;
@@
mmlock_warn("stale-vma", pu[0],
	    "'%s' used after %s() may have dropped mmap_lock (VM_FAULT_RETRY/COMPLETED)" % (vma, fault),
	    [(pd[0], "%s() may drop mmap_lock here" % fault)])

@script:python depends on report@
pd << uffd.pd;
pu << uffd.pu;
vma << uffd.vma;
@@
mmlock_warn("stale-vma", pu[0],
	    "'%s' used after userfaultfd_remove() dropped mmap_lock" % vma,
	    [(pd[0], "userfaultfd_remove() returned false: mmap_lock dropped")])

@script:python depends on org@
pd << plain.pp;
pu << after_plain.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after mmap_lock was dropped", [(pd[0], "mmap_lock dropped")])

@script:python depends on org@
pd << flagged.pf;
pu << after_flagged.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after mmap_lock was dropped", [(pd[0], "mmap_lock dropped")])

@script:python depends on org@
pd << flagged_before.pf;
pu << after_flagged_before.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after mmap_lock was dropped", [(pd[0], "mmap_lock dropped")])

@script:python depends on org@
pd << guarded.pg;
pu << after_guarded.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after mmap_lock was dropped", [(pd[0], "mmap_lock dropped")])

@script:python depends on org@
pd << faulted.pd;
pu << faulted.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after a fault call may have dropped mmap_lock", [(pd[0], "fault call")])

@script:python depends on report@
pd << uffd_relock.pd;
pu << uffd_relock.pu;
vma << uffd_relock.vma;
@@
mmlock_warn("stale-vma", pu[0],
	    "'%s' used after userfaultfd_remove() dropped mmap_lock and it was re-taken, without a fresh lookup" % vma,
	    [(pd[0], "userfaultfd_remove() returned false: mmap_lock dropped")])

@script:python depends on org@
pd << uffd_relock.pd;
pu << uffd_relock.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after userfaultfd_remove() dropped mmap_lock", [(pd[0], "userfaultfd_remove()")])

@script:python depends on org@
pd << uffd.pd;
pu << uffd.pu;
@@
mmlock_org("stale-vma", pu[0], "vma used after userfaultfd_remove() dropped mmap_lock", [(pd[0], "userfaultfd_remove()")])
