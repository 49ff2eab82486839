// SPDX-License-Identifier: GPL-2.0-only
/// Find page tables retracted without excluding rmap walkers (mmlock rule
/// rmap-lock-retract, RULES.md R3).  Clearing a pmd that maps a page table
/// (pmdp_collapse_flush(), collapse_and_free_pmd()) must hold the anon_vma
/// lock for write whenever the vma may have an anon_vma, and the i_mmap
/// lock for write for a file vma, with mmap_lock for write (6.1), or the
/// i_mmap lock plus the pmd lock with the anon_vma re-checked under it
/// (6.6's retract_page_tables()).  From 6.6 collapse_pte_mapped_thp()
/// retracts under mmap_lock for read with the pmd lock and the nested pte
/// lock, after clearing every pte of the table under the pte lock:
/// "racing paths are relying on pte_offset_map_lock() and pmd_lock()"
/// (1043173eb5eb), and neither the anon_vma nor the i_mmap lock is
/// needed.  Reported:
///  - a retract reachable with no anon_vma lock taken and vma->anon_vma
///    never looked at on the way (neither tested nor asserted);
///  - the anon_vma lock taken unconditionally on a file vma, whose
///    anon_vma may be NULL ("if (vma->anon_vma) anon_vma_lock_write(...)"
///    is the documented form, commit ab0c3f1251b4);
///  - in a function handling a file vma, a retract reachable with no i_mmap
///    lock at all, or with the i_mmap lock only for read and no pmd lock;
///  - a retract under mmap_lock taken for read only.
/// In patch mode, the missing anon_vma lock is added around the retract,
/// conditional on vma->anon_vma.
///
/// A function that takes neither mmap_lock nor an rmap lock, nor asserts
/// mmap_lock for read only, leaves the anon_vma lock to its callers: its
/// retractions are not judged for it (a helper under the pmd lock alone;
/// 6.1's collapse_and_free_pmd(), which asserts mmap_lock for write).
///
/// False positives: the callers hold the locks (a static helper that
/// takes or asserts some of them); a vma proven anonymous, or proven to
/// have no anon_vma, by a check this script does not know.
///
// Confidence: Moderate
// Comments: mmlock rule rmap-lock-retract; see cocci/README
// Options: --no-includes --include-headers
// Keys: pmdp_collapse_flush collapse_and_free_pmd

virtual patch
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

mmlock_emptied = set()

// The 6.6+ form: the table emptied under its pte lock, and retracted with
// the pte lock nested in the pmd lock (collapse_pte_mapped_thp()).

@emptied_first exists@
expression V, A, P;
position pu;
@@

\(ptep_clear\|pte_clear\|ptep_get_and_clear\|ptep_get_and_clear_full\|ptep_clear_flush\)(...);
...
spin_lock_nested(...);
...
pmdp_collapse_flush@pu(V, A, P)

@emptied_nested exists@
expression V, A, P;
position pu;
@@

spin_lock_nested(...);
...
\(ptep_clear\|pte_clear\|ptep_get_and_clear\|ptep_get_and_clear_full\|ptep_clear_flush\)(...);
...
pmdp_collapse_flush@pu(V, A, P)

@script:python@
pu << emptied_first.pu;
@@
mmlock_emptied.add(mmlock_key(pu[0]))

@script:python@
pu << emptied_nested.pu;
@@
mmlock_emptied.add(mmlock_key(pu[0]))

// The functions whose retractions are judged for the anon_vma lock: those
// that take mmap_lock or an rmap lock themselves, or assert mmap_lock for
// read only (6.6+ collapse_pte_mapped_thp(), retracting under the pmd and
// pte locks).  A function that does neither -- a helper working under the
// pmd lock alone; 6.1 collapse_and_free_pmd(), which asserts mmap_lock for
// write and leaves the rmap locks to its callers -- is its callers' to
// judge (the plugin makes it their precondition).
@judged@
identifier fn;
identifier rl =~ "rmap_locks$";
expression M;
@@

fn(...) {
<+...
(
\(mmap_read_lock\|mmap_write_lock\|mmap_read_trylock\|mmap_write_trylock\|mmap_read_lock_killable\|mmap_write_lock_killable\|mmap_assert_locked\)(...)
|
\(down_read\|down_write\|down_read_trylock\|down_write_trylock\)(&M->mmap_sem)
|
\(i_mmap_lock_write\|i_mmap_lock_read\|anon_vma_lock_write\|anon_vma_lock_read\|anon_vma_trylock_write\|mm_take_all_locks\)(...)
|
\(lockdep_assert_held\|lockdep_assert_held_write\)(...)
|
rl(...)
)
...+>
}

// A retract with no anon_vma lock and no look at vma->anon_vma on the way.
@no_anon exists@
identifier judged.fn;
expression V, MM, A, P;
identifier rl =~ "rmap_locks$";
position pu : script:python() { mmlock_key(pu[0]) not in mmlock_emptied };
@@

fn(...) {
... when != \(anon_vma_lock_write\|anon_vma_trylock_write\|mm_take_all_locks\)(...)
    when != rl(...)
    when != V->anon_vma
(
collapse_and_free_pmd@pu(MM, V, A, P)
|
pmdp_collapse_flush@pu(V, A, P)
)
... when any
}

@depends on context@
position no_anon.pu;
identifier f;
@@

* f@pu(...)

@depends on patch@
expression MM, V, A, P, E;
position no_anon.pu;
@@

(
+ if (V->anon_vma)
+ 	anon_vma_lock_write(V->anon_vma);
  collapse_and_free_pmd@pu(MM, V, A, P);
+ if (V->anon_vma)
+ 	anon_vma_unlock_write(V->anon_vma);
|
+ if (V->anon_vma)
+ 	anon_vma_lock_write(V->anon_vma);
  E = pmdp_collapse_flush@pu(V, A, P);
+ if (V->anon_vma)
+ 	anon_vma_unlock_write(V->anon_vma);
)

// Functions that handle a file vma.
@filefn@
identifier fn;
expression V, M;
@@

fn(...) {
<+...
(
V->vm_file
|
i_mmap_lock_write(M)
|
i_mmap_lock_read(M)
|
M->i_mmap
)
...+>
}

// An anon_vma lock taken unconditionally on a file vma.
@anon_uncond depends on !patch exists@
identifier filefn.fn;
expression V;
position pl;
@@

fn(...) {
... when != V->anon_vma
*anon_vma_lock_write@pl(V->anon_vma);
... when any
\(collapse_and_free_pmd\|pmdp_collapse_flush\)(...);
... when any
}

// A file vma's table retracted without the i_mmap lock.
@no_immap depends on !patch exists@
identifier filefn.fn;
expression V, MM, A, P, M, C;
identifier rl =~ "rmap_locks$";
position pu : script:python() { mmlock_key(pu[0]) not in mmlock_emptied };
@@

fn(...) {
... when != \(i_mmap_lock_write\|i_mmap_lock_read\|mm_take_all_locks\)(...)
    when != M->i_mmap_rwsem
    when != if (C) \(lockdep_assert_held_write\|lockdep_assert_held\)(...);
    when != rl(...)
(
*collapse_and_free_pmd@pu(MM, V, A, P)
|
*pmdp_collapse_flush@pu(V, A, P)
)
... when any
}

// Or with it only for read, and no pmd lock.
@immap_read depends on !patch exists@
expression M, V, MM, A, P;
position pk, pu;
@@

i_mmap_lock_read@pk(M);
... when != \(i_mmap_lock_write\|pmd_lock\|spin_lock\|spin_lock_nested\)(...)
(
*collapse_and_free_pmd@pu(MM, V, A, P)
|
*pmdp_collapse_flush@pu(V, A, P)
)

// Under mmap_lock for read only.
@mmap_read depends on !patch exists@
expression M, V, MM, A, P;
position pk, pu;
@@

(
mmap_read_lock@pk(M)
|
mmap_read_trylock@pk(M)
|
mmap_read_lock_killable@pk(M)
|
down_read@pk(&M->mmap_sem)
)
... when != \(mmap_write_lock\|mmap_write_trylock\|mmap_write_lock_killable\|mmap_read_unlock\|pmd_lock\)(...)
    when != \(down_write\|up_read\)(&M->mmap_sem)
(
*collapse_and_free_pmd@pu(MM, V, A, P)
|
*pmdp_collapse_flush@pu(V, A, P)
)

// One report per place: the lock mode first, it is the first thing wrong.
@script:python depends on report@
pk << mmap_read.pk;
pu << mmap_read.pu;
@@
mmlock_warn("rmap-lock-retract", pu[0],
	    "page table retracted with mmap_lock held only for read",
	    [(pk[0], "mmap_lock taken for read here")])

@script:python depends on report@
pu << no_anon.pu;
V << no_anon.V;
@@
mmlock_warn("rmap-lock-retract", pu[0],
	    "page table retracted without the anon_vma lock while '%s' may have an anon_vma: take anon_vma_lock_write() under 'if (%s->anon_vma)'" % (V, V))

@script:python depends on report@
pl << anon_uncond.pl;
V << anon_uncond.V;
@@
mmlock_warn("rmap-lock-retract", pl[0],
	    "anon_vma lock taken unconditionally on a file vma whose anon_vma may be NULL: use 'if (%s->anon_vma)'" % V)

@script:python depends on report@
pu << no_immap.pu;
@@
mmlock_warn("rmap-lock-retract", pu[0],
	    "page table of a file vma retracted without the i_mmap lock")

@script:python depends on report@
pk << immap_read.pk;
pu << immap_read.pu;
@@
mmlock_warn("rmap-lock-retract", pu[0],
	    "page table retracted with the i_mmap lock held only for read and no pmd lock",
	    [(pk[0], "i_mmap lock taken for read here")])

@script:python depends on org@
pu << no_anon.pu;
@@
mmlock_org("rmap-lock-retract", pu[0], "retract without the anon_vma lock")

@script:python depends on org@
pl << anon_uncond.pl;
@@
mmlock_org("rmap-lock-retract", pl[0], "anon_vma lock taken unconditionally on a file vma")

@script:python depends on org@
pu << no_immap.pu;
@@
mmlock_org("rmap-lock-retract", pu[0], "retract of a file vma's table without the i_mmap lock")

@script:python depends on org@
pk << immap_read.pk;
pu << immap_read.pu;
@@
mmlock_org("rmap-lock-retract", pu[0], "retract under the i_mmap lock for read without the pmd lock", [(pk[0], "i_mmap lock for read")])

@script:python depends on org@
pk << mmap_read.pk;
pu << mmap_read.pu;
@@
mmlock_org("rmap-lock-retract", pu[0], "retract under mmap_lock for read", [(pk[0], "mmap_lock for read")])
