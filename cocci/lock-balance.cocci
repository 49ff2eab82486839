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
/// Understood, and not reported:
///  - helpers whose job is to take a lock for their caller: a function that
///    never releases that kind of lock is not checked for leaks, and one
///    that returns the lock (or the anon_vma it locked), stores it or passes
///    it on hands it over;
///  - re-taking a lock the function dropped earlier (the caller holds it on
///    entry: madvise_willneed() and friends);
///  - calls that can release mmap_lock on the caller's behalf
///    (handle_mm_fault() and the fault handlers, userfaultfd_remove(),
///    __collapse_huge_page_swapin());
///  - tests of a lock flag ("if (mmap_locked)", "if (*locked)"), of the lock
///    pointer or locked object ("if (!ptl)", "if (mapping)"), or of the
///    value a pte_*_map_lock() returned, and conditional locking under a
///    condition that is tested again before the release ("if (write)
///    mmap_write_lock(mm) else mmap_read_lock(mm)").
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

// Conditional locking: taken under "if (C)", and C tested again later.
@guarded_acq exists@
expression C, M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, mmap_read_trylock,
		  mmap_write_trylock, i_mmap_lock_write, i_mmap_lock_read,
		  anon_vma_lock_write, anon_vma_lock_read};
statement S, S1, S2, S3;
position pg;
@@

(
if (C) { <+... acq@pg(M) ...+> } else S
|
if (C) S else { <+... acq@pg(M) ...+> }
|
if (C) acq@pg(M);
)
...
if (<+... C ...+>) S2 else S3

// Functions that release each kind of lock somewhere.
@mmap_releaser@
identifier fn;
expression M;
@@

fn(...) {
<+...
\(mmap_read_unlock(M)\|mmap_write_unlock(M)\|up_read(&M->mmap_sem)\|up_write(&M->mmap_sem)\)
...+>
}

@immap_releaser@
identifier fn;
@@

fn(...) {
<+...
\(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
...+>
}

@anon_releaser@
identifier fn;
@@

fn(...) {
<+...
\(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
...+>
}

// mmap_lock taken (on the success path) and a return reached without a
// release.
@mmap_leak exists@
identifier mmap_releaser.fn;
expression M, R;
identifier X =~ "locked$";
identifier fault = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry};
statement S, S1, S2;
position ph != guarded_acq.pg;
position pr;
@@

fn(...) {
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != \(up_read\|up_write\)(&M->mmap_sem)
    when != fault(...)
    when != if (<+... X ...+>) S1 else S2
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
}

// The same for the rmap locks.
@immap_leak exists@
identifier immap_releaser.fn;
expression M;
identifier X =~ "locked$";
statement S1, S2;
position ph != guarded_acq.pg;
position pr;
@@

fn(...) {
... when != \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
\(i_mmap_lock_write@ph\|i_mmap_lock_read@ph\)(M);
... when != \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... M ...+>) S1 else S2
(
return M;
|
*return@pr ...;
)
}

@anon_leak exists@
identifier anon_releaser.fn;
expression M;
identifier X =~ "locked$";
statement S1, S2;
position ph != guarded_acq.pg;
position pr;
@@

fn(...) {
... when != \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
\(anon_vma_lock_write@ph\|anon_vma_lock_read@ph\)(M);
... when != \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... M ...+>) S1 else S2
(
return M;
|
*return@pr ...;
)
}

// A page-table spinlock in a local variable.
@spin_leak exists@
local idexpression L;
expression E, P;
identifier f, X =~ "locked$";
statement S1, S2;
position ph, pr;
@@

(
L = pmd_lock@ph(...)
|
P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)
)
... when != spin_unlock(L)
    when != pte_unmap_unlock(..., L)
    when != L = E
    when != E = L
    when != *E = L
    when != f(..., L, ...)
    when != if (<+... L ...+>) S1 else S2
    when != if (<+... P ...+>) S1 else S2
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
identifier fault = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry};
statement S1, S2;
position ph, pa;
@@

acq@ph(M)
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != fault(...)
    when != if (<+... X ...+>) S1 else S2
*acq2@pa(M)

// Taken for read, released for write, or the other way round.
@mode exists@
expression M;
position ph != guarded_acq.pg;
position pr;
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
ph << immap_leak.ph;
pr << immap_leak.pr;
@@
mmlock_warn("lock-balance", pr[0],
	    "return with the i_mmap lock still held",
	    [(ph[0], "taken here")])

@script:python depends on report@
ph << anon_leak.ph;
pr << anon_leak.pr;
@@
mmlock_warn("lock-balance", pr[0],
	    "return with the anon_vma lock still held",
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
ph << immap_leak.ph;
pr << immap_leak.pr;
@@
mmlock_org("lock-balance", pr[0], "return with the i_mmap lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << anon_leak.ph;
pr << anon_leak.pr;
@@
mmlock_org("lock-balance", pr[0], "return with the anon_vma lock held", [(ph[0], "taken")])

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
