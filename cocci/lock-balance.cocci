// SPDX-License-Identifier: GPL-2.0-only
/// Find mm locks that are not released on every return path, taken twice,
/// or released in the wrong mode (mmlock rule lock-balance).  Followed:
/// mmap_lock (mmap_read_lock() and friends, down_read(&mm->mmap_sem)), the
/// i_mmap and anon_vma locks, and page-table spinlocks held in a local
/// variable (ptl = pmd_lock(...), pte_offset_map_lock(..., &ptl)).
/// Reported:
///  - a return reached after an acquisition with no release of that lock;
///  - a second blocking acquisition of the same mmap_lock with no release
///    in between;
///  - a lock taken for read and released for write, or the other way round
///    (mmap_write_downgrade() is understood).
/// Paths through a call that can release mmap_lock on the caller's behalf
/// (handle_mm_fault() and the fault handlers, userfaultfd_remove(),
/// __collapse_huge_page_swapin()), and through a test of a lock flag
/// ("if (mmap_locked)", "if (*locked)") or of the lock pointer itself
/// ("if (!ptl) return"), are not followed.  Returning the lock, storing it,
/// or passing it to another function hands it over.
///
/// False positives: a function documented to return with the lock held
/// that hands it over in a way not listed above; correlated conditions
/// other than the lock flags.
///
// Confidence: Moderate
// Comments: mmlock rule lock-balance; see cocci/README
// Options: --no-includes --include-headers
// Keys: mmap_read_lock mmap_write_lock mmap_read_lock_killable mmap_write_lock_killable mmap_read_trylock mmap_write_trylock i_mmap_lock_write i_mmap_lock_read anon_vma_lock_write anon_vma_lock_read pmd_lock pte_offset_map_lock pte_alloc_map_lock mmap_sem

virtual report
virtual org
virtual context

@initialize:python@
@@
mmlock_seen = set()

def mmlock_warn(rule, p, msg, notes=()):
	key = (p.file, p.line, p.column, rule)
	if key in mmlock_seen:
		return
	mmlock_seen.add(key)
	print("%s:%s:%d: warning: %s [mmlock:%s]" %
	      (p.file, p.line, int(p.column) + 1, msg, rule))
	for q, m in notes:
		print("%s:%s:%d: note: %s" % (q.file, q.line, int(q.column) + 1, m))

def mmlock_org(rule, p, msg, notes=()):
	cocci.print_main("%s [mmlock:%s]" % (msg, rule), p)
	for q, m in notes:
		cocci.print_secs(m, q)

// mmap_lock taken (on the success path) and a return reached without a
// release.
@mmap_leak exists@
expression M, R;
identifier X =~ "locked$";
identifier fault = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry};
statement S, S1, S2;
position ph, pr;
@@

(
mmap_read_lock@ph(M);
|
mmap_write_lock@ph(M);
|
down_read@ph(&M->mmap_sem);
|
down_write@ph(&M->mmap_sem);
|
if (\(mmap_read_lock_killable@ph(M)\|mmap_write_lock_killable@ph(M)\)) S
|
if (\(!mmap_read_trylock@ph(M)\|!mmap_write_trylock@ph(M)\)) S
|
R = \(mmap_read_lock_killable@ph(M)\|mmap_write_lock_killable@ph(M)\);
if (R) S
)
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != \(up_read\|up_write\)(&M->mmap_sem)
    when != fault(...)
    when != if (<+... X ...+>) S1 else S2
*return@pr ...;

// The same for the rmap locks.
@rmap_leak exists@
expression M;
identifier X =~ "locked$";
statement S1, S2;
position ph, pr;
@@

(
\(i_mmap_lock_write@ph\|i_mmap_lock_read@ph\)(M);
... when != \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
    when != if (<+... X ...+>) S1 else S2
*return@pr ...;
|
\(anon_vma_lock_write@ph\|anon_vma_lock_read@ph\)(M);
... when != \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
    when != if (<+... X ...+>) S1 else S2
*return@pr ...;
)

// A page-table spinlock in a local variable.
@spin_leak exists@
local idexpression L;
expression E;
identifier f, X =~ "locked$";
statement S1, S2;
position ph, pr;
@@

(
L = pmd_lock@ph(...)
|
\(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)
)
... when != spin_unlock(L)
    when != pte_unmap_unlock(..., L)
    when != L = E
    when != E = L
    when != *E = L
    when != f(..., L, ...)
    when != if (<+... L ...+>) S1 else S2
    when != if (<+... X ...+>) S1 else S2
(
return L;
|
*return@pr ...;
)

// mmap_lock taken twice.
@mmap_double exists@
expression M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable};
identifier acq2 = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		   mmap_write_lock_killable};
identifier X =~ "locked$";
statement S1, S2;
position ph, pa;
@@

acq@ph(M)
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != \(handle_mm_fault\|fixup_user_fault\|do_swap_page\|userfaultfd_remove\|__collapse_huge_page_swapin\)(...)
    when != if (<+... X ...+>) S1 else S2
*acq2@pa(M)

// Taken for read, released for write, or the other way round.
@mode exists@
expression M;
position ph, pr;
@@

(
mmap_read_lock@ph(M);
... when != \(mmap_read_unlock\|mmap_write_lock\|mmap_write_trylock\|mmap_write_lock_killable\)(M)
*mmap_write_unlock@pr(M);
|
mmap_write_lock@ph(M);
... when != \(mmap_write_unlock\|mmap_write_downgrade\|mmap_read_lock\|mmap_read_trylock\|mmap_read_lock_killable\)(M)
*mmap_read_unlock@pr(M);
|
i_mmap_lock_read@ph(M);
... when != \(i_mmap_unlock_read\|i_mmap_lock_write\)(M)
*i_mmap_unlock_write@pr(M);
|
i_mmap_lock_write@ph(M);
... when != \(i_mmap_unlock_write\|i_mmap_lock_read\)(M)
*i_mmap_unlock_read@pr(M);
|
anon_vma_lock_read@ph(M);
... when != \(anon_vma_unlock_read\|anon_vma_lock_write\)(M)
*anon_vma_unlock_write@pr(M);
|
anon_vma_lock_write@ph(M);
... when != \(anon_vma_unlock_write\|anon_vma_lock_read\)(M)
*anon_vma_unlock_read@pr(M);
)

@script:python depends on report@
ph << mmap_leak.ph;
pr << mmap_leak.pr;
@@
mmlock_warn("lock-balance", pr[0],
	    "return with mmap_lock still held",
	    [(ph[0], "mmap_lock taken here")])

@script:python depends on report@
ph << rmap_leak.ph;
pr << rmap_leak.pr;
@@
mmlock_warn("lock-balance", pr[0],
	    "return with an rmap lock still held",
	    [(ph[0], "taken here")])

@script:python depends on report@
ph << spin_leak.ph;
pr << spin_leak.pr;
L << spin_leak.L;
@@
mmlock_warn("lock-balance", pr[0],
	    "return with page-table lock '%s' still held" % L,
	    [(ph[0], "'%s' taken here" % L)])

@script:python depends on report@
ph << mmap_double.ph;
pa << mmap_double.pa;
@@
mmlock_warn("lock-balance", pa[0],
	    "mmap_lock taken again while already held",
	    [(ph[0], "first taken here")])

@script:python depends on report@
ph << mode.ph;
pr << mode.pr;
@@
mmlock_warn("lock-balance", pr[0],
	    "lock released in a different mode (read/write) than it was taken in",
	    [(ph[0], "taken here")])

@script:python depends on org@
ph << mmap_leak.ph;
pr << mmap_leak.pr;
@@
mmlock_org("lock-balance", pr[0], "return with mmap_lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << rmap_leak.ph;
pr << rmap_leak.pr;
@@
mmlock_org("lock-balance", pr[0], "return with an rmap lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << spin_leak.ph;
pr << spin_leak.pr;
@@
mmlock_org("lock-balance", pr[0], "return with a page-table lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << mmap_double.ph;
pa << mmap_double.pa;
@@
mmlock_org("lock-balance", pa[0], "mmap_lock taken twice", [(ph[0], "first")])

@script:python depends on org@
ph << mode.ph;
pr << mode.pr;
@@
mmlock_org("lock-balance", pr[0], "lock released in the wrong mode", [(ph[0], "taken")])
