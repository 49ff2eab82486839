// SPDX-License-Identifier: GPL-2.0-only
/// Find calls that need mmap_lock made where this function has dropped it,
/// or holds it in the wrong mode (mmlock rule mmap-lock-held, RULES.md).
/// The preconditions come from the callee: find_vma(), vma_lookup(),
/// find_vma_prev(), find_extend_vma() and find_vma_intersection() need
/// mmap_lock; collapse_pte_mapped_thp() needs it for write; and a function
/// of the same file whose body asserts mmap_assert_locked() or
/// mmap_assert_write_locked() needs what it asserts.  Reported:
///  - such a call reached after mmap_*_unlock() (or up_read()/up_write()
///    of mmap_sem) of the same mm, before the lock is taken again;
///  - a call that needs the lock for write reached from a read acquisition
///    (mmap_read_lock(), mmap_read_trylock(), ...) with no write lock taken
///    on the way.
///
/// False positives: a drop and a call on paths that cannot both run (a
/// flag such as mmap_locked tested in between is understood); a lock
/// re-taken through a helper this script does not know.  Calls made with
/// no lock operation in the function are not reported: the callers' state
/// is unknown here.
///
// Confidence: Moderate
// Comments: mmlock rule mmap-lock-held; see cocci/README
// Options: --no-includes --include-headers
// Keys: mmap_read_unlock mmap_write_unlock mmap_sem mmap_read_lock mmap_read_trylock mmap_read_lock_killable
// Keys: find_vma vma_lookup find_vma_prev find_extend_vma find_vma_intersection collapse_pte_mapped_thp mmap_assert_locked mmap_assert_write_locked

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

mmlock_guarded = set()
mmlock_asserts = set()

def mmlock_read_is_enough(p, f):
	return (p.file, "locked", str(f)) in mmlock_asserts and \
	       (p.file, "write", str(f)) not in mmlock_asserts

// Functions of this file that assert the lock: their callers must hold it.

@asserts_locked@
identifier fn;
expression M;
position pf;
@@

fn@pf(...) {
<+...
\(mmap_assert_locked\|mmap_assert_write_locked\)(M);
...+>
}

@asserts_write@
identifier fn;
expression M;
position pf;
@@

fn@pf(...) {
<+...
mmap_assert_write_locked(M);
...+>
}

// A definition in this file that asserts mmap_lock only for read says what
// it needs: from 6.6 collapse_pte_mapped_thp() runs under mmap_read_lock()
// (1043173eb5eb), where 6.1's asserted the write lock.
@script:python@
fn << asserts_locked.fn;
pf << asserts_locked.pf;
@@
mmlock_asserts.add((pf[0].file, "locked", str(fn)))

@script:python@
fn << asserts_write.fn;
pf << asserts_write.pf;
@@
mmlock_asserts.add((pf[0].file, "write", str(fn)))

// "if (err) mmap_write_unlock(mm); ... if (err) goto out;": the drop and
// what follows the second test are on different paths.
@guarded_drop exists@
expression C, M;
identifier rel = {mmap_read_unlock, mmap_write_unlock, up_read, up_write};
statement S2, S3;
position pg;
@@

if (C) rel@pg(M);
...
if (<+... C ...+>) S2 else S3

@script:python@
pg << guarded_drop.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

// Called after the lock was dropped, before it is taken again.
@dropped exists@
expression mm;
identifier X =~ "locked$";
statement S1, S2;
identifier f = {find_vma, vma_lookup, find_vma_prev, find_extend_vma,
		find_vma_intersection, collapse_pte_mapped_thp};
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
... when != \(mmap_read_lock\|mmap_write_lock\|mmap_read_trylock\|mmap_write_trylock\|mmap_read_lock_killable\|mmap_write_lock_killable\)(mm)
    when != \(down_read\|down_write\|down_read_killable\|down_write_killable\|down_read_trylock\|down_write_trylock\)(&mm->mmap_sem)
    when != if (<+... X ...+>) S1 else S2
*f@pu(mm, ...)

@dropped_local exists@
expression mm;
identifier asserts_locked.fn;
identifier X =~ "locked$";
statement S1, S2;
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
... when != \(mmap_read_lock\|mmap_write_lock\|mmap_read_trylock\|mmap_write_trylock\|mmap_read_lock_killable\|mmap_write_lock_killable\)(mm)
    when != \(down_read\|down_write\|down_read_killable\|down_write_killable\|down_read_trylock\|down_write_trylock\)(&mm->mmap_sem)
    when != if (<+... X ...+>) S1 else S2
*fn@pu(...)

// Needs the write lock, holds the read lock.
@read_mode exists@
expression mm;
identifier f = {collapse_pte_mapped_thp};
position pk, pu;
@@

(
mmap_read_lock@pk(mm)
|
mmap_read_trylock@pk(mm)
|
mmap_read_lock_killable@pk(mm)
|
down_read@pk(&mm->mmap_sem)
|
down_read_trylock@pk(&mm->mmap_sem)
)
... when != \(mmap_write_lock\|mmap_write_trylock\|mmap_write_lock_killable\|mmap_read_unlock\)(...)
    when != \(down_write\|up_read\)(...)
*f@pu(...)

@read_mode_local exists@
expression mm;
identifier asserts_write.fn;
position pk, pu;
@@

(
mmap_read_lock@pk(mm)
|
mmap_read_trylock@pk(mm)
|
mmap_read_lock_killable@pk(mm)
|
down_read@pk(&mm->mmap_sem)
|
down_read_trylock@pk(&mm->mmap_sem)
)
... when != \(mmap_write_lock\|mmap_write_trylock\|mmap_write_lock_killable\|mmap_read_unlock\)(...)
    when != \(down_write\|up_read\)(...)
*fn@pu(...)

@script:python depends on report@
pd << dropped.pd;
pu << dropped.pu;
f << dropped.f;
@@
if mmlock_key(pd[0]) not in mmlock_guarded:
	mmlock_warn("mmap-lock-held", pu[0],
		    "%s() needs mmap_lock, which was dropped on the way here" % f,
		    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pd << dropped_local.pd;
pu << dropped_local.pu;
fn << asserts_locked.fn;
@@
if mmlock_key(pd[0]) not in mmlock_guarded:
	mmlock_warn("mmap-lock-held", pu[0],
		    "%s() asserts mmap_lock, which was dropped on the way here" % fn,
		    [(pd[0], "mmap_lock dropped here")])

@script:python depends on report@
pk << read_mode.pk;
pu << read_mode.pu;
f << read_mode.f;
@@
if not mmlock_read_is_enough(pu[0], f):
	mmlock_warn("mmap-lock-held", pu[0],
		    "%s() needs mmap_lock for write, held here only for read" % f,
		    [(pk[0], "mmap_lock taken for read here")])

@script:python depends on report@
pk << read_mode_local.pk;
pu << read_mode_local.pu;
fn << asserts_write.fn;
@@
mmlock_warn("mmap-lock-held", pu[0],
	    "%s() asserts mmap_lock for write, held here only for read" % fn,
	    [(pk[0], "mmap_lock taken for read here")])

@script:python depends on org@
pd << dropped.pd;
pu << dropped.pu;
@@
mmlock_org("mmap-lock-held", pu[0], "call needs mmap_lock, dropped before", [(pd[0], "dropped")])

@script:python depends on org@
pd << dropped_local.pd;
pu << dropped_local.pu;
@@
mmlock_org("mmap-lock-held", pu[0], "call asserts mmap_lock, dropped before", [(pd[0], "dropped")])

@script:python depends on org@
pk << read_mode.pk;
pu << read_mode.pu;
f << read_mode.f;
@@
if not mmlock_read_is_enough(pu[0], f):
	mmlock_org("mmap-lock-held", pu[0], "call needs mmap_lock for write, held for read", [(pk[0], "read lock")])

@script:python depends on org@
pk << read_mode_local.pk;
pu << read_mode_local.pu;
@@
mmlock_org("mmap-lock-held", pu[0], "call asserts mmap_lock for write, held for read", [(pk[0], "read lock")])
