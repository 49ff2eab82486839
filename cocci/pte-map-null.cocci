// SPDX-License-Identifier: GPL-2.0-only
/// Find pte_offset_map*() results used without a NULL check (mmlock rule
/// pte-map-null, kernels 6.5 and later).  Since 6.5 pte_offset_map(),
/// pte_offset_map_lock(), pte_offset_map_nolock() and their *_rw_nolock
/// and *_ro_nolock variants return NULL when the pmd no longer points to
/// a page table (it was cleared, or became huge, under us); the result
/// must be checked before it is dereferenced, unmapped or locked.  Before
/// 6.5 they cannot fail, so the script only reports in files that show
/// they follow the 6.5 API (they call one of the *_nolock variants or
/// __pte_offset_map()), or when run with -D newpte (mmlock cocci does that
/// on a tree whose Makefile says 6.5 or later).  A NULL test alone is not
/// taken as evidence: 6.1 stable has such defensive tests (mm/ksm.c).
/// A test in the same condition guards what is on its far side ("if
/// (!pte || !pte_same(ptep_get(pte), orig))", and the branch of "if (pte
/// && ...)"), as 6.5+ code writes it after a re-map.
///
/// False positives: a table that cannot go away (kernel page tables
/// mapped through pte_offset_map() in arch code; a pmd that this path
/// has just populated under the pmd lock).
///
// Confidence: Moderate
// Comments: mmlock rule pte-map-null; see cocci/README
// Options: --no-includes --include-headers
// Keys: pte_offset_map pte_offset_map_lock pte_offset_map_nolock pte_offset_map_rw_nolock pte_offset_map_ro_nolock

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

// Evidence that this file follows the 6.5 API.

@new_api@
@@

\(pte_offset_map_nolock\|pte_offset_map_rw_nolock\|pte_offset_map_ro_nolock\|__pte_offset_map\|__pte_offset_map_lock\)(...)

// A use on the far side of a NULL test in the same condition, as 6.5+
// code writes it after a re-map: "if (!pte || !pte_same(ptep_get(pte),
// orig))", "if (pte && pte_same(...))".
@guarded depends on newpte || new_api disable isnt_null1, not_ptr1, not_ptr2, is_null@
expression P;
position pg;
@@

(
!P || <+... P@pg ...+>
|
P == NULL || <+... P@pg ...+>
|
P && <+... P@pg ...+>
|
P != NULL && <+... P@pg ...+>
)

@unchecked depends on newpte || new_api disable isnt_null1, not_ptr1, not_ptr2, is_null exists@
expression P, P2, E, E2, E3, E4;
statement S1, S2;
identifier map = {pte_offset_map, pte_offset_map_lock, pte_offset_map_nolock,
		  pte_offset_map_rw_nolock, pte_offset_map_ro_nolock};
identifier f;
position pm, pu;
position pp != guarded.pg;
@@

P = map@pm(...);
... when != P = E
    when != \(!P\|P == NULL\|P != NULL\|P2 = P\)
    when != P && E4
    when != if (P) S1 else S2
(
* *P@pu@pp
|
*P@pu@pp[E2]
|
*f@pu(..., P@pp, ...)
|
*f@pu(..., P@pp + E3, ...)
|
*P@pu@pp++
)

@script:python depends on report@
pm << unchecked.pm;
pu << unchecked.pu;
P << unchecked.P;
map << unchecked.map;
@@
mmlock_warn("pte-map-null", pu[0],
	    "'%s' from %s() used without a NULL check (it fails when the page table went away)" % (P, map),
	    [(pm[0], "'%s' mapped here" % P)])

@script:python depends on org@
pm << unchecked.pm;
pu << unchecked.pu;
@@
mmlock_org("pte-map-null", pu[0], "pte_offset_map*() result used without a NULL check", [(pm[0], "mapped")])
