// SPDX-License-Identifier: GPL-2.0-only
/// Find decisions taken under locks that were dropped, and not taken again
/// under the final locks (mmlock rule recheck-after-relock, RULES.md R2).
/// Two documented instances:
///  - vma->anon_vma tested before mmap_lock was taken for write (the fault
///    path can set it under mmap_lock for read), and a page table then
///    retracted (collapse_and_free_pmd(), pmdp_collapse_flush()) with no
///    second look at vma->anon_vma and no anon_vma lock after the write lock
///    was taken (CVE-2023-52935, commit 023f47a8250c);
///  - a first scan tests pte_uffd_wp() (hpage_collapse_scan_pmd()), and the
///    second scan that isolates the pages under the final locks
///    (__collapse_huge_page_isolate()) reaches the isolation without
///    testing it again: a pte can be write-protected by userfaultfd between
///    the two scans (commit dd47ac428c3f).
///
/// False positives: a re-check done by a helper this script does not know;
/// an isolating function whose vma cannot be registered for uffd-wp.
///
// Confidence: Moderate
// Comments: mmlock rule recheck-after-relock; see cocci/README
// Options: --no-includes --include-headers
// Keys: collapse_and_free_pmd pmdp_collapse_flush pte_uffd_wp

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

// anon_vma tested, mmap_lock taken for write, table retracted with no
// second look.

@anon_stale exists@
expression V, M, MM, A, P;
position pc, pk, pu;
@@

V->anon_vma@pc
...
(
mmap_write_lock@pk(M)
|
mmap_write_trylock@pk(M)
|
mmap_write_lock_killable@pk(M)
|
down_write@pk(&M->mmap_sem)
)
... when != V->anon_vma
    when != \(anon_vma_lock_write\|anon_vma_trylock_write\)(...)
(
*collapse_and_free_pmd@pu(MM, V, A, P)
|
*pmdp_collapse_flush@pu(V, A, P)
)

// A first scan that tests pte_uffd_wp().
@first_scan@
identifier f1;
position p1;
@@

f1(...) {
<+...
pte_uffd_wp@p1(...)
...+>
}

// A second scan that examines ptes and isolates pages without testing it.
@isolates depends on first_scan exists@
identifier f2;
identifier iso = {isolate_lru_page, folio_isolate_lru, isolate_lru_folio};
position pi;
expression E;
@@

f2(...) {
... when != pte_uffd_wp(...)
    when any
pte_present(E)
... when != pte_uffd_wp(...)
    when any
*iso@pi(...)
... when any
}

@script:python depends on report@
pc << anon_stale.pc;
pk << anon_stale.pk;
pu << anon_stale.pu;
V << anon_stale.V;
@@
mmlock_warn("recheck-after-relock", pu[0],
	    "page table retracted on the strength of a '%s->anon_vma' check made before mmap_lock was taken for write: check it again under the lock" % V,
	    [(pc[0], "'%s->anon_vma' checked here" % V), (pk[0], "mmap_lock taken for write here")])

@script:python depends on report@
p1 << first_scan.p1;
pi << isolates.pi;
f1 << first_scan.f1;
f2 << isolates.f2;
@@
if f1 != f2:
	mmlock_warn("recheck-after-relock", pi[0],
		    "%s() isolates pages for collapse without re-checking pte_uffd_wp() under the final locks (%s() checked it in the first scan)" % (f2, f1),
		    [(p1[0], "first scan checks pte_uffd_wp() here")])

@script:python depends on org@
pc << anon_stale.pc;
pu << anon_stale.pu;
@@
mmlock_org("recheck-after-relock", pu[0], "retract relies on an anon_vma check made before the write lock", [(pc[0], "checked here")])

@script:python depends on org@
p1 << first_scan.p1;
pi << isolates.pi;
f1 << first_scan.f1;
f2 << isolates.f2;
@@
if f1 != f2:
	mmlock_org("recheck-after-relock", pi[0], "pages isolated without re-checking pte_uffd_wp()", [(p1[0], "first scan checks it")])
