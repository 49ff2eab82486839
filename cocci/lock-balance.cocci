// SPDX-License-Identifier: GPL-2.0-only
/// Find mm locks that are not released on every return path, taken twice,
/// or released in the wrong mode (mmlock rule lock-balance).  Followed:
/// mmap_lock (mmap_read_lock() and friends, down_read(&mm->mmap_sem)), the
/// i_mmap and anon_vma locks, and page-table spinlocks held in a local
/// variable (ptl = pmd_lock(...), pte_offset_map_lock(..., &ptl)).
/// Reported:
///  - a return reached after an acquisition with no release of that lock;
///  - a second blocking acquisition of the same mmap_lock with no release
///    in between, or a second release with no acquisition in between;
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
///    __collapse_huge_page_swapin(), expand_stack(), and the munmap calls
///    told to unlock: do_vmi_munmap(..., true) and friends), a return that
///    hands the locked mm to the function it calls ("return
///    __mcopy_atomic_hugetlb(dst_mm, ...)"), and a return of a vma, which
///    is only good under the lock the caller now holds (6.12's
///    uffd_mfill_lock(), nommu's lock_mm_and_find_vma());
///  - a release under a condition ("if (err) mmap_write_unlock(mm)"),
///    taken as a release: the condition is usually tested again;
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
// Keys: mmap_read_lock mmap_write_lock mmap_read_lock_killable mmap_write_lock_killable mmap_read_trylock mmap_write_trylock mmap_read_unlock mmap_write_unlock i_mmap_lock_write i_mmap_lock_read anon_vma_lock_write anon_vma_lock_read pmd_lock pte_offset_map_lock pte_alloc_map_lock mmap_sem

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
mmlock_releasers = set()
mmlock_chained = set()
mmlock_chain_hits = {}

# A chained map "start_pte = pte = pte_offset_map_lock(...)" is followed
# once for each variable: the lock is taken to be leaked at a return when
# neither variable's tests account for it (both bindings report it).
def mmlock_pte_leak(mode, ph, pr, P, L):
	if mmlock_key(ph) in mmlock_guarded:
		return
	if mmlock_key(ph) in mmlock_chained:
		k = (mmlock_key(ph), mmlock_key(pr), mode)
		hit = mmlock_chain_hits.setdefault(k, [set(), ph, pr, L])
		hit[0].add(str(P))
		return
	mmlock_pte_leak_emit(mode, ph, pr, L)

def mmlock_pte_leak_emit(mode, ph, pr, L):
	if mode == "report":
		mmlock_warn("lock-balance", pr,
			    "return with page-table lock '%s' still held" % L,
			    [(ph, "'%s' taken here" % L)])
	else:
		mmlock_org("lock-balance", pr, "return with a page-table lock held", [(ph, "taken")])

def mmlock_releases(p, kind):
	return (p.file, p.current_element, kind) in mmlock_releasers

# Coccinelle follows each #if block on its own: a lock taken in one
# "#ifndef CONFIG_X" block and released in another one with the same
# condition looks like a leak.  The stack of preprocessor conditions around
# each line of a file tells such pairs apart.
mmlock_cpp = {}

def mmlock_cpp_stacks(path):
	if path in mmlock_cpp:
		return mmlock_cpp[path]
	stacks, stack = [[]], []
	try:
		with open(path, errors="replace") as f:
			for ln in f:
				t = ln.strip()
				if t.startswith("#"):
					d = t[1:].strip()
					if d.startswith(("if", "ifdef", "ifndef")):
						stack.append(" ".join(d.split()))
					elif d.startswith("endif") and stack:
						stack.pop()
				stacks.append(list(stack))
	except OSError:
		pass
	mmlock_cpp[path] = stacks
	return stacks

def mmlock_cpp_paired(p_acq, p_ret, release):
	st = mmlock_cpp_stacks(p_acq.file)
	a, r = int(p_acq.line), int(p_ret.line)
	if a >= len(st) or not st[a] or r >= len(st):
		return False
	try:
		with open(p_acq.file, errors="replace") as f:
			lines = f.readlines()
	except OSError:
		return False
	for n in range(a + 1, min(r, len(lines)) + 1):
		if release in lines[n - 1] and st[n] == st[a]:
			return True
	return False

// Conditional locking: taken under "if (flag)" or "if (vma->vm_file)", and
// the same tested again later.  Such acquisitions are remembered and not
// reported.

@guarded_then exists@
idexpression C;
expression M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, mmap_read_trylock,
		  mmap_write_trylock, i_mmap_lock_write, i_mmap_lock_read,
		  anon_vma_lock_write, anon_vma_lock_read};
statement S, S2, S3;
position pg;
@@

if (\(C\|!C\)) { <+... acq@pg(M) ...+> } else S
...
if (<+... C ...+>) S2 else S3

@guarded_else exists@
idexpression C;
expression M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, mmap_read_trylock,
		  mmap_write_trylock, i_mmap_lock_write, i_mmap_lock_read,
		  anon_vma_lock_write, anon_vma_lock_read};
statement S, S2, S3;
position pg;
@@

if (\(C\|!C\)) S else { <+... acq@pg(M) ...+> }
...
if (<+... C ...+>) S2 else S3

@guarded_single exists@
idexpression C;
expression M;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, mmap_read_trylock,
		  mmap_write_trylock, i_mmap_lock_write, i_mmap_lock_read,
		  anon_vma_lock_write, anon_vma_lock_read};
statement S2, S3;
position pg;
@@

if (\(C\|!C\)) acq@pg(M);
...
if (<+... C ...+>) S2 else S3

@guarded_then_field exists@
expression E, M;
identifier fld;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, mmap_read_trylock,
		  mmap_write_trylock, i_mmap_lock_write, i_mmap_lock_read,
		  anon_vma_lock_write, anon_vma_lock_read};
statement S, S2, S3;
position pg;
@@

if (\(E->fld\|!E->fld\)) { <+... acq@pg(M) ...+> } else S
...
if (<+... E->fld ...+>) S2 else S3

@guarded_single_field exists@
expression E, M;
identifier fld;
identifier acq = {mmap_read_lock, mmap_write_lock, mmap_read_lock_killable,
		  mmap_write_lock_killable, mmap_read_trylock,
		  mmap_write_trylock, i_mmap_lock_write, i_mmap_lock_read,
		  anon_vma_lock_write, anon_vma_lock_read};
statement S2, S3;
position pg;
@@

if (\(E->fld\|!E->fld\)) acq@pg(M);
...
if (<+... E->fld ...+>) S2 else S3

@script:python@
pg << guarded_then.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

@script:python@
pg << guarded_else.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

@script:python@
pg << guarded_single.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

@script:python@
pg << guarded_then_field.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

@script:python@
pg << guarded_single_field.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

// Functions that release each kind of lock somewhere (by name, per file).
@mmap_rel@
expression M;
position p;
@@

\(mmap_read_unlock@p(M)\|mmap_write_unlock@p(M)\|up_read@p(&M->mmap_sem)\|up_write@p(&M->mmap_sem)\)

@immap_rel@
position p;
@@

\(i_mmap_unlock_write@p\|i_mmap_unlock_read@p\)(...)

@anon_rel@
position p;
@@

\(anon_vma_unlock_write@p\|anon_vma_unlock_read@p\)(...)

@script:python@
p << mmap_rel.p;
@@
mmlock_releasers.add((p[0].file, p[0].current_element, "mmap"))

@script:python@
p << immap_rel.p;
@@
mmlock_releasers.add((p[0].file, p[0].current_element, "i_mmap"))

@script:python@
p << anon_rel.p;
@@
mmlock_releasers.add((p[0].file, p[0].current_element, "anon_vma"))

// mmap_lock taken (on the success path) and a return reached without a
// release.
@mmap_leak exists@
identifier fn;
struct vm_area_struct *V;
expression M;
identifier X =~ "locked$";
identifier X2 =~ "locked$";
identifier fault = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry, expand_stack};
statement S, S1, S2;
expression C;
identifier f;
position ph, pr;
identifier fault_2 = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry, expand_stack};
statement S1_2;
statement S2_2;
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
)
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != \(up_read\|up_write\)(&M->mmap_sem)
    when != fault_2(...)
    when != \(do_vmi_munmap\|do_vmi_align_munmap\|do_mas_munmap\)(..., true)
    when != if (<+... X2 ...+>) S1_2 else S2_2
    when != if (C) \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...);
(
return f(..., M, ...);
|
return V;
|
*return@pr ...;
)
}

// The same when the result of a killable lock is kept in a variable.
@mmap_leak_ret exists@
identifier fn;
struct vm_area_struct *V;
expression M, R;
identifier X =~ "locked$";
identifier X2 =~ "locked$";
identifier fault = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry, expand_stack};
statement S, S1, S2;
expression C;
identifier f;
position ph, pr;
identifier fault_2 = {handle_mm_fault, fixup_user_fault, do_swap_page,
		    __do_fault, do_fault, do_read_fault, do_cow_fault,
		    do_shared_fault, handle_userfault, userfaultfd_remove,
		    __collapse_huge_page_swapin, folio_lock_or_retry,
		    __folio_lock_or_retry, lock_page_or_retry, expand_stack};
statement S1_2;
statement S2_2;
@@

fn(...) {
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != \(up_read\|up_write\)(&M->mmap_sem)
    when != fault(...)
    when != if (<+... X ...+>) S1 else S2
R = \(mmap_read_lock_killable@ph(M)\|mmap_write_lock_killable@ph(M)\);
if (R) S
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != \(up_read\|up_write\)(&M->mmap_sem)
    when != fault_2(...)
    when != \(do_vmi_munmap\|do_vmi_align_munmap\|do_mas_munmap\)(..., true)
    when != if (<+... X2 ...+>) S1_2 else S2_2
    when != if (C) \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...);
(
return f(..., M, ...);
|
return V;
|
*return@pr ...;
)
}

// The same for the rmap locks.
@immap_leak exists@
identifier fn;
expression M;
identifier X =~ "locked$";
statement S1, S2;
expression C;
position ph, pr;
statement S1_2;
statement S2_2;
@@

fn(...) {
... when != \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
\(i_mmap_lock_write@ph\|i_mmap_lock_read@ph\)(M);
... when != \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...)
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... M ...+>) S1_2 else S2_2
    when != if (C) \(i_mmap_unlock_write\|i_mmap_unlock_read\)(...);
(
return M;
|
*return@pr ...;
)
}

@anon_leak exists@
identifier fn;
expression M;
identifier X =~ "locked$";
statement S1, S2;
expression C;
position ph, pr;
statement S1_2;
statement S2_2;
@@

fn(...) {
... when != \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
\(anon_vma_lock_write@ph\|anon_vma_lock_read@ph\)(M);
... when != \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...)
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... M ...+>) S1_2 else S2_2
    when != if (C) \(anon_vma_unlock_write\|anon_vma_unlock_read\)(...);
(
return M;
|
*return@pr ...;
)
}

// A page-table spinlock in a local variable.
@spin_leak exists@
local idexpression L;
identifier X =~ "locked$";
statement S1, S2;
position ph, pr;
@@

L = pmd_lock@ph(...)
... when != L
    when != if (<+... X ...+>) S1 else S2
(
return L;
|
*return@pr ...;
)

// "start_pte = pte = pte_offset_map_lock(...)" (6.12 madvise, zap and
// remap loops in memory.c): either variable may be tested; pte_leak
// follows both, and reports when both leak (mmlock_pte_leak()).  A copy,
// "pte = pte_offset_map_lock(...); start_pte = pte;", is not followed.
@pte_chain@
expression P, P2;
position pc;
@@

P2 = P = \(pte_offset_map_lock@pc\|pte_alloc_map_lock@pc\)(...)

@script:python@
pc << pte_chain.pc;
@@
mmlock_chained.add(mmlock_key(pc[0]))

@pte_leak disable not_ptr1, not_ptr2, is_null, isnt_null1 exists@
local idexpression L;
expression P, P0, P3;
identifier X =~ "locked$";
statement S1, S2;
position ph, pr;
statement S1_2;
statement S2_2;
@@

\(P = P0 = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)\|P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)\)
... when != L
    when != P3 = P
    when != if (<+... \(!P\|P == NULL\|P != NULL\) ...+>) S1 else S2
    when != if (P) S1 else S2
    when != if (<+... X ...+>) S1_2 else S2_2
(
return L;
|
*return@pr ...;
)

// The same on the side of "if (!P) return/goto/break" that holds the lock.
@pte_leak_tested disable not_ptr1, not_ptr2, is_null, isnt_null1 exists@
local idexpression L;
expression P, P0, P3, P4, E9;
identifier X =~ "locked$";
identifier X2 =~ "locked$";
statement S, S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, S11, S12;
position ph, pr;
@@

\(P = P0 = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)\|P = \(pte_offset_map_lock@ph\|pte_alloc_map_lock@ph\)(..., &L)\)
... when != L
    when != P3 = P
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... \(P != NULL\|P && E9\) ...+>) S9 else S10
    when != if (P) S11 else S12
if (<+... \(!P\|P == NULL\) ...+>) S
... when != L
    when != P4 = P
    when != if (<+... \(!P\|P == NULL\|P != NULL\) ...+>) S3 else S4
    when != if (P) S5 else S6
    when != if (<+... X2 ...+>) S7 else S8
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
		    __folio_lock_or_retry, lock_page_or_retry, expand_stack};
statement S1, S2;
position ph, pa;
@@

acq@ph(M)
... when != \(mmap_read_unlock\|mmap_write_unlock\|mmap_read_unlock_non_owner\)(...)
    when != fault(...)
    when != if (<+... X ...+>) S1 else S2
*acq2@pa(M)

// A release under "if (C)", with C tested again later: the second release
// is on the other branch.
@guarded_rel exists@
expression C, M;
identifier rel = {mmap_read_unlock, mmap_write_unlock, up_read, up_write};
statement S2, S3;
position pg;
@@

if (C) rel@pg(M);
...
if (<+... C ...+>) S2 else S3

@script:python@
pg << guarded_rel.pg;
@@
mmlock_guarded.add(mmlock_key(pg[0]))

// mmap_lock released twice, with no acquisition in between.
// "vma = NULL; mmap_read_unlock(mm); ... if (vma) mmap_read_unlock(mm);"
// (do_get_mempolicy()): a variable cleared before the release records it.
@cleared exists@
idexpression V;
expression M, E;
symbol false;
identifier rel = {mmap_read_unlock, mmap_write_unlock};
position pc;
@@

V = \(NULL\|0\|false\);
... when != V = E
rel@pc(M);

@script:python@
pc << cleared.pc;
@@
mmlock_guarded.add(mmlock_key(pc[0]))

@mmap_double_release exists@
expression M;
identifier X =~ "locked$";
statement S1, S2;
position ph, pa;
@@

(
\(mmap_read_unlock@ph\|mmap_write_unlock@ph\)(M);
|
\(up_read@ph\|up_write@ph\)(&M->mmap_sem);
)
... when != \(mmap_read_lock\|mmap_write_lock\|mmap_read_lock_killable\|mmap_write_lock_killable\|mmap_read_trylock\|mmap_write_trylock\)(...)
    when != \(down_read\|down_write\|down_read_killable\|down_write_killable\|down_read_trylock\|down_write_trylock\)(...)
    when != if (<+... X ...+>) S1 else S2
(
*\(mmap_read_unlock@pa\|mmap_write_unlock@pa\)(M);
|
*\(up_read@pa\|up_write@pa\)(&M->mmap_sem);
)

// The same when the release is recorded in a cleared variable.
@mmap_double_release_cleared exists@
expression M;
idexpression cleared.V;
position cleared.pc;
statement S3, S4;
identifier X =~ "locked$";
statement S1, S2;
position ph, pa;
@@

\(mmap_read_unlock@ph@pc\|mmap_write_unlock@ph@pc\)(M);
... when != \(mmap_read_lock\|mmap_write_lock\|mmap_read_lock_killable\|mmap_write_lock_killable\|mmap_read_trylock\|mmap_write_trylock\)(...)
    when != \(down_read\|down_write\|down_read_killable\|down_write_killable\|down_read_trylock\|down_write_trylock\)(...)
    when != if (<+... X ...+>) S1 else S2
    when != if (<+... V ...+>) S3 else S4
(
*\(mmap_read_unlock@pa\|mmap_write_unlock@pa\)(M);
|
*\(up_read@pa\|up_write@pa\)(&M->mmap_sem);
)

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
down_read@ph(&M->mmap_sem);
... when != \(up_read\|down_write\|down_write_trylock\|down_write_killable\)(&M->mmap_sem)
*up_write@pr(&M->mmap_sem);
|
down_write@ph(&M->mmap_sem);
... when != \(up_write\|downgrade_write\|down_read\|down_read_trylock\|down_read_killable\)(&M->mmap_sem)
*up_read@pr(&M->mmap_sem);
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
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "mmap") and \
   not mmlock_cpp_paired(ph[0], pr[0], "_unlock("):
	mmlock_warn("lock-balance", pr[0],
		    "return with mmap_lock still held",
		    [(ph[0], "mmap_lock taken here")])

@script:python depends on report@
ph << mmap_leak_ret.ph;
pr << mmap_leak_ret.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "mmap") and \
   not mmlock_cpp_paired(ph[0], pr[0], "_unlock("):
	mmlock_warn("lock-balance", pr[0],
		    "return with mmap_lock still held",
		    [(ph[0], "mmap_lock taken here")])

@script:python depends on report@
ph << immap_leak.ph;
pr << immap_leak.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "i_mmap"):
	mmlock_warn("lock-balance", pr[0],
		    "return with the i_mmap lock still held",
		    [(ph[0], "taken here")])

@script:python depends on report@
ph << anon_leak.ph;
pr << anon_leak.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "anon_vma"):
	mmlock_warn("lock-balance", pr[0],
		    "return with the anon_vma lock still held",
		    [(ph[0], "taken here")])

@script:python depends on report@
ph << spin_leak.ph;
pr << spin_leak.pr;
L << spin_leak.L;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_warn("lock-balance", pr[0],
		    "return with page-table lock '%s' still held" % L,
		    [(ph[0], "'%s' taken here" % L)])

@script:python depends on report@
ph << pte_leak.ph;
pr << pte_leak.pr;
P << pte_leak.P;
L << pte_leak.L;
@@
mmlock_pte_leak("report", ph[0], pr[0], P, L)

@script:python depends on report@
ph << pte_leak_tested.ph;
pr << pte_leak_tested.pr;
P << pte_leak_tested.P;
L << pte_leak_tested.L;
@@
mmlock_pte_leak("report", ph[0], pr[0], P, L)

@script:python depends on report@
ph << mmap_double.ph;
pa << mmap_double.pa;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_warn("lock-balance", pa[0],
		    "mmap_lock taken again while already held",
		    [(ph[0], "first taken here")])

@script:python depends on report@
ph << mmap_double_release.ph;
pa << mmap_double_release.pa;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_warn("lock-balance", pa[0],
		    "mmap_lock released again, without being taken in between",
		    [(ph[0], "first released here")])

@script:python depends on report@
ph << mmap_double_release_cleared.ph;
pa << mmap_double_release_cleared.pa;
@@
if True:
	mmlock_warn("lock-balance", pa[0],
		    "mmap_lock released again, without being taken in between",
		    [(ph[0], "first released here")])

@script:python depends on report@
ph << mode.ph;
pr << mode.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_warn("lock-balance", pr[0],
		    "lock released in a different mode (read/write) than it was taken in",
		    [(ph[0], "taken here")])

@script:python depends on org@
ph << mmap_leak.ph;
pr << mmap_leak.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "mmap"):
	mmlock_org("lock-balance", pr[0], "return with mmap_lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << mmap_leak_ret.ph;
pr << mmap_leak_ret.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "mmap"):
	mmlock_org("lock-balance", pr[0], "return with mmap_lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << immap_leak.ph;
pr << immap_leak.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "i_mmap"):
	mmlock_org("lock-balance", pr[0], "return with the i_mmap lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << anon_leak.ph;
pr << anon_leak.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded and \
   mmlock_releases(ph[0], "anon_vma"):
	mmlock_org("lock-balance", pr[0], "return with the anon_vma lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << spin_leak.ph;
pr << spin_leak.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_org("lock-balance", pr[0], "return with a page-table lock held", [(ph[0], "taken")])

@script:python depends on org@
ph << pte_leak.ph;
pr << pte_leak.pr;
P << pte_leak.P;
L << pte_leak.L;
@@
mmlock_pte_leak("org", ph[0], pr[0], P, L)

@script:python depends on org@
ph << pte_leak_tested.ph;
pr << pte_leak_tested.pr;
P << pte_leak_tested.P;
L << pte_leak_tested.L;
@@
mmlock_pte_leak("org", ph[0], pr[0], P, L)

@script:python depends on org@
ph << mmap_double.ph;
pa << mmap_double.pa;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_org("lock-balance", pa[0], "mmap_lock taken twice", [(ph[0], "first")])

@script:python depends on org@
ph << mmap_double_release.ph;
pa << mmap_double_release.pa;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_org("lock-balance", pa[0], "mmap_lock released twice", [(ph[0], "released")])

@script:python depends on org@
ph << mmap_double_release_cleared.ph;
pa << mmap_double_release_cleared.pa;
@@
if True:
	mmlock_org("lock-balance", pa[0], "mmap_lock released twice", [(ph[0], "released")])

@script:python depends on org@
ph << mode.ph;
pr << mode.pr;
@@
if mmlock_key(ph[0]) not in mmlock_guarded:
	mmlock_org("lock-balance", pr[0], "lock released in the wrong mode", [(ph[0], "taken")])

@finalize:python@
@@
for (ka, kr, mode), (names, ph, pr, L) in sorted(mmlock_chain_hits.items()):
	if len(names) > 1:
		mmlock_pte_leak_emit(mode, ph, pr, L)
