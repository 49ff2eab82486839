// SPDX-License-Identifier: GPL-2.0-only
/// Find vma fields changed with no vma write lock (mmlock rule vma-write,
/// kernels with per-VMA locks, 6.4 and later).  A page fault under the
/// per-VMA read lock reads vm_flags, vm_page_prot, vm_policy, anon_vma,
/// anon_name and vm_userfaultfd_ctx without mmap_lock; whoever changes
/// them first hides the vma from such faults with vma_start_write()
/// (under mmap_lock for write).  Setting anon_vma may instead hold
/// mm->page_table_lock (__anon_vma_prepare()).  A vma not yet in the tree
/// (vm_area_alloc(), vm_area_dup() in the function) needs no lock.
/// vm_flags_set(), vm_flags_clear() and vm_flags_mod() take the lock
/// themselves and count as taking it, and so does a call of a function of
/// the same file that write-locks its vma parameter so; vm_flags_reset(),
/// vm_flags_init(), __vm_flags and direct stores do not.
///
/// A store is reported when no vma_start_write(V), no
/// vma_assert_write_locked(V) (the precondition stated by the function)
/// and no allocation of V comes before it on some path through the
/// function, and:
///  - V is a local variable, or a parameter the function assigned before
///    the store (a vma a split or merge returned); or
///  - V is a parameter of a static function and some call of that
///    function in the same file passes a vma the caller found (a local,
///    or a parameter it assigned) with none of these before the call on
///    some path (shown as a note).
/// A parameter of a function called from other files is left to the
/// plugin.  The fixes of the 657b5146955e series ("lock VMA in
/// dup_anon_vma() before setting ->anon_vma", "take VMA lock before
/// replacing policy") are of this shape.
///
/// Runs in files that use the per-VMA write lock (vma_start_write(),
/// vma_assert_write_locked()) or with -D newpte (mmlock cocci passes it on
/// a 6.5+ tree); before 6.4 there is no vma lock to take (6.3 has the
/// vm_flags_*() helpers without it).
///
/// False positives: a lock taken under a condition the call repeats
/// (callers are followed path by path, conditions are not correlated); a
/// vma made private some other way than by allocation; a walk with
/// PGWALK_WRLOCK, which write-locks each vma it visits.
///
// Confidence: Moderate
// Comments: mmlock rule vma-write; see cocci/README
// Options: --no-includes --include-headers
// Keys: vm_policy anon_vma vm_page_prot anon_name vm_userfaultfd_ctx __vm_flags vm_flags_reset vm_flags_reset_once vm_flags_init

virtual report
virtual org
virtual context
virtual newpte

@initialize:python@
@@
# mmlock_warn(), mmlock_org(), mmlock_key(): cocci/mmlock_cocci.py, found
# next to this .cocci (spatch's argument) or in $MMLOCK_COCCI_DIR
import os, sys
sys.dont_write_bytecode = True
sys.path[:0] = [os.path.dirname(os.path.abspath(a)) for a in open("/proc/self/cmdline", "rb").read().decode().split("\0") if a.endswith(".cocci")] + [os.environ.get("MMLOCK_COCCI_DIR", ".")]
from mmlock_cocci import *

# (file, function, vma) -> [(position, field)]: stores with no lock before
stores = {}
# (file, function, parameter): the function's vma parameters
params = set()
# (file, line, column) of vma uses reached after an assignment to the vma
assigned = set()
# the functions with stores, and where their vma is named in a store
storefns = set()
storepv = set()

def is_store(p):
	return any((q.file, q.line, q.column) == (p[0].file, p[0].line, p[0].column)
		   for hits in stores.values() for q, f, r in hits)

def has_store(fn):
	return fn in storefns

def is_store_use(pv):
	return (pv[0].file, pv[0].line, pv[0].column) in storepv

def note_store(fn, V, p, what, pv):
	stores.setdefault((p.file, fn, V), []).append((p, what, pv))
	storefns.add(fn)
	storepv.add((pv.file, pv.line, pv.column))
# (file, function, parameter) -> position of a call passing an unlocked vma
badcalls = {}
# functions of the file that write-lock a vma parameter
wlockers = set()

@initialize:python depends on report@
@@
mode = "report"

@initialize:python depends on org@
@@
mode = "org"

@initialize:python depends on context@
@@
mode = "context"

// Evidence that this file follows the per-VMA lock API.
@vma_api@
@@

\(vma_start_write\|vma_assert_write_locked\)(...)

// Functions of this file that write-lock a vma parameter (vma_start_write(),
// vm_flags_set()/clear()/mod() on it): the lock is held until mmap_lock is
// released, so a call of one locks its vma argument for the caller too.
@wlocker depends on newpte || vma_api@
identifier fn, P;
@@

fn(..., struct vm_area_struct *P, ...) {
<+...
\(vma_start_write(P)\|vm_flags_set(P, ...)\|vm_flags_clear(P, ...)\|vm_flags_mod(P, ...)\)
...+>
}

@script:python@
fn << wlocker.fn;
@@
wlockers.add(fn)

// A store reached with no write lock, no assert and no allocation of the
// vma before it: a field, __vm_flags through ACCESS_PRIVATE(), and the
// vm_flags helpers that do not lock.
@unlocked depends on newpte || vma_api exists@
idexpression struct vm_area_struct *V;
identifier fn;
identifier fld = {vm_policy, vm_page_prot, anon_name, vm_userfaultfd_ctx, __vm_flags};
expression E;
position p, pv;
identifier wl : script:python() { wl in wlockers };
@@

fn(...) {
... when != vma_start_write(V)
    when != vma_assert_write_locked(V)
    when != \(vm_flags_set\|vm_flags_clear\|vm_flags_mod\)(V, ...)
    when != wl(...,V,...)
    when != V = \(vm_area_alloc\|vm_area_dup\)(...)
(
V@pv->fld@p = E
|
V@pv->fld@p |= E
|
V@pv->fld@p &= E
|
WRITE_ONCE(V@pv->fld@p, E)
)
... when any
}

@unlocked_priv depends on newpte || vma_api exists@
idexpression struct vm_area_struct *V;
identifier fn;
expression E;
position p, pv;
identifier wl : script:python() { wl in wlockers };
@@

fn(...) {
... when != vma_start_write(V)
    when != vma_assert_write_locked(V)
    when != \(vm_flags_set\|vm_flags_clear\|vm_flags_mod\)(V, ...)
    when != wl(...,V,...)
    when != V = \(vm_area_alloc\|vm_area_dup\)(...)
(
ACCESS_PRIVATE@p(V@pv, ...) = E
|
ACCESS_PRIVATE@p(V@pv, ...) |= E
|
ACCESS_PRIVATE@p(V@pv, ...) &= E
|
WRITE_ONCE(ACCESS_PRIVATE@p(V@pv, ...), E)
)
... when any
}

@unlocked_reset depends on newpte || vma_api exists@
idexpression struct vm_area_struct *V;
identifier fn;
identifier reset = {vm_flags_reset, vm_flags_reset_once, vm_flags_init};
expression E;
position p, pv;
identifier wl : script:python() { wl in wlockers };
@@

fn(...) {
... when != vma_start_write(V)
    when != vma_assert_write_locked(V)
    when != \(vm_flags_set\|vm_flags_clear\|vm_flags_mod\)(V, ...)
    when != wl(...,V,...)
    when != V = \(vm_area_alloc\|vm_area_dup\)(...)
reset@p(V@pv, E)
... when any
}

// anon_vma: the vma write lock, or mm->page_table_lock.
@unlocked_av depends on newpte || vma_api exists@
idexpression struct vm_area_struct *V;
identifier fn;
identifier fld = anon_vma;
expression E, M;
position p, pv;
identifier wl : script:python() { wl in wlockers };
@@

fn(...) {
... when != vma_start_write(V)
    when != vma_assert_write_locked(V)
    when != \(vm_flags_set\|vm_flags_clear\|vm_flags_mod\)(V, ...)
    when != wl(...,V,...)
    when != V = \(vm_area_alloc\|vm_area_dup\)(...)
    when != spin_lock(&M->page_table_lock)
(
V@pv->fld@p = E
|
WRITE_ONCE(V@pv->fld@p, E)
)
... when any
}

@script:python@
fn << unlocked.fn;
V << unlocked.V;
fld << unlocked.fld;
p << unlocked.p;
pv << unlocked.pv;
@@
note_store(fn, V, p[0], fld, pv[0])

@script:python@
fn << unlocked_priv.fn;
V << unlocked_priv.V;
p << unlocked_priv.p;
pv << unlocked_priv.pv;
@@
note_store(fn, V, p[0], "__vm_flags", pv[0])

@script:python@
fn << unlocked_reset.fn;
V << unlocked_reset.V;
reset << unlocked_reset.reset;
p << unlocked_reset.p;
pv << unlocked_reset.pv;
@@
note_store(fn, V, p[0], "vm_flags (%s())" % reset, pv[0])

@script:python@
fn << unlocked_av.fn;
V << unlocked_av.V;
fld << unlocked_av.fld;
p << unlocked_av.p;
pv << unlocked_av.pv;
@@
note_store(fn, V, p[0], fld, pv[0])

// A parameter the function assigned before the store: a vma it found.
@reassigned depends on unlocked || unlocked_priv || unlocked_reset || unlocked_av exists@
identifier fn : script:python() { has_store(fn) };
idexpression struct vm_area_struct *V;
expression E;
position pv : script:python() { is_store_use(pv) };
@@

fn(...) {
... when any
V = E;
... when any
V@pv
... when any
}

@script:python@
pv << reassigned.pv;
@@
assigned.add((pv[0].file, pv[0].line, pv[0].column))

// The vma parameters of functions; of static ones, their position.
@param depends on unlocked || unlocked_priv || unlocked_reset || unlocked_av@
identifier fn, P;
position pf;
@@

fn@pf(..., struct vm_area_struct *P, ...) { ... }

@script:python@
fn << param.fn;
P << param.P;
pf << param.pf;
@@
params.add((pf[0].file, fn, P))

@sparam depends on unlocked || unlocked_priv || unlocked_reset || unlocked_av@
identifier fn, P;
type T;
parameter list[n] ps;
@@

static T fn(ps, struct vm_area_struct *P, ...) { ... }

// A call of such a static function whose vma argument has no write lock,
// assert or allocation before the call on some path: a vma the caller
// found (a parameter of the caller is its own caller's business, as for
// the ->mmap handlers' helpers, whose vma is not in the tree yet).
@badcall exists@
identifier g, sparam.fn;
expression list[sparam.n] es;
idexpression struct vm_area_struct *A;
position pc;
identifier wl : script:python() { wl in wlockers };
@@

g(...) {
... when != vma_start_write(A)
    when != vma_assert_write_locked(A)
    when != \(vm_flags_set\|vm_flags_clear\|vm_flags_mod\)(A, ...)
    when != wl(...,A,...)
    when != A = \(vm_area_alloc\|vm_area_dup\)(...)
fn@pc(es, A, ...)
... when any
}

// ... or with a vma found again after it was locked.
@badcall_again exists@
identifier sparam.fn;
expression list[sparam.n] es;
idexpression struct vm_area_struct *A;
expression E;
position pc;
identifier wl : script:python() { wl in wlockers };
@@

A = E;
... when != vma_start_write(A)
    when != vma_assert_write_locked(A)
    when != \(vm_flags_set\|vm_flags_clear\|vm_flags_mod\)(A, ...)
    when != wl(...,A,...)
    when != A = \(vm_area_alloc\|vm_area_dup\)(...)
fn@pc(es, A, ...)

@script:python@
fn << sparam.fn;
P << sparam.P;
g << badcall.g;
A << badcall.A;
pc << badcall.pc;
@@
if (pc[0].file, g, A) not in params:
	badcalls.setdefault((pc[0].file, fn, P), pc[0])

@script:python@
fn << sparam.fn;
P << sparam.P;
pc << badcall_again.pc;
E << badcall_again.E;
@@
if not E.startswith("vm_area_alloc") and not E.startswith("vm_area_dup"):
	badcalls.setdefault((pc[0].file, fn, P), pc[0])

@finalize:python@
@@
if mode == "context":
	stores = {}
for (file, fn, V), hits in sorted(stores.items(), key=lambda kv: (kv[0][0], int(kv[1][0][0].line))):
	for p, fld, pv in hits:
		notes = []
		if (file, fn, V) in params and (pv.file, pv.line, pv.column) not in assigned:
			call = badcalls.get((file, fn, V))
			if call is None:
				continue
			notes = [(call, "%s() called here with a vma that was not write-locked" % fn)]
		what = fld
		if fld == "anon_vma":
			need = "vma_start_write(%s) or mm->page_table_lock" % V
		else:
			need = "vma_start_write(%s)" % V
		msg = "%s of vma '%s' changed in %s() without %s: a fault under the per-VMA lock can see it change" % (what, V, fn, need)
		if mode == "org":
			mmlock_org("vma-write", p, msg, notes)
		else:
			mmlock_warn("vma-write", p, msg, notes)

@depends on context exists@
idexpression struct vm_area_struct *V;
identifier fld = {vm_policy, vm_page_prot, anon_name, vm_userfaultfd_ctx, __vm_flags, anon_vma};
identifier reset = {vm_flags_reset, vm_flags_reset_once, vm_flags_init};
position p : script:python() { is_store(p) };
expression E;
@@

(
* V->fld@p = E
|
* WRITE_ONCE(V->fld@p, E)
|
* reset@p(V, E)
)
