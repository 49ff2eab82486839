/*
 * rmap-lock-retract (RULES.md R3): clearing a pmd that maps a page table
 * must exclude rmap walkers.  Three documented forms are accepted:
 *
 *   6.1:  mmap_lock for write; the anon_vma lock for write unless
 *         vma->anon_vma was seen NULL while mmap_lock (or the anon_vma
 *         lock) was held for write; the i_mmap lock for write when the vma
 *         is file-backed.
 *   6.6+: the pmd lock and the pte lock, with the i_mmap lock (read is
 *         enough) and vma->anon_vma and userfaultfd_wp(vma) re-checked
 *         under the pte lock; or with mmap_lock (read is enough) and
 *         userfaultfd_wp(vma) checked.
 *
 * Facts about the vma come from branches (engine.c), each remembering the
 * locks that protected it when it was learned and still do (its lease,
 * mmlock.h); releasing one takes it out (lease.c).  A function that
 * retracts a table of a vma it was handed, taking none of these locks
 * itself, passes the requirement to its callers (collapse_and_free_pmd).
 */
#include "checker.h"

static int r_retract;
static const struct rule_bind rules[] = { { "rmap-lock-retract", &r_retract }, { NULL, NULL } };

/* The key of a vma fact for VMA, e.g. "P1->anon_vma". */
static int role_key(int vma, enum mm_vmarole role)
{
	const struct mm_vmafact *vf = mm_rules_vmarole(&mm_rules_set, role);

	if (!vf)
		return 0;
	if (vf->is_pred)
		return key_printf("%s(%s)", vf->name, key_str(vma));
	return key_deref_field(vma, vf->name);
}

/* Is "KEY == 0" known true on this path, learned under one of the locks
   in UNDER and kept under it (0: under whatever was held)? */
static int known_null(const struct mstate *s, int key, lease_t under)
{
	const struct fact *f = st_get_fact(s, zero_key(key));

	return f && f->val == 1 && (!under || (f->lease & under));
}

static const struct held *held_class(const struct mstate *s, int c, int write)
{
	for (int i = 0; i < s->nh; i++)
		if (s->h[i].cls == c && !s->h[i].cond &&
		    (!write || s->h[i].mode == MM_MODE_WRITE))
			return &s->h[i];
	return NULL;
}

/* Does this function show the vma is file-backed: vma->vm_file non-NULL
 * on this path, or read at all (its mapping, its lock)? */
static int file_backed(const struct mstate *s, int vma)
{
	int key = role_key(vma, MM_VMA_FILE);
	const struct fact *f;
	basic_block bb;

	if (!key)
		return 0;
	f = st_get_fact(s, zero_key(key));
	if (f)
		return f->val == 0;
	FOR_EACH_BB_FN(bb, cfun)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);

			if (gimple_assign_single_p(g) && !gimple_store_p(g) &&
			    TREE_CODE(gimple_assign_lhs(g)) == SSA_NAME &&
			    canon_val(gimple_assign_lhs(g)) == key)
				return 1;
		}
	return 0;
}

/* The lease guard of a class role */
static lease_t under(enum mm_classrole role)
{
	return L_CLASS(role_class(role));
}

/* What the 6.1 form (mmap_lock for write) still lacks, or "" */
static void missing_61(const struct mstate *s, int vma, char *missing, size_t n)
{
	if (!held_class(s, role_class(MM_ROLE_RMAP_ANON), 1) &&
	    !known_null(s, role_key(vma, MM_VMA_ANON), under(MM_ROLE_MM) | under(MM_ROLE_RMAP_ANON)))
		snprintf(missing, n, "the anon_vma lock: vma->anon_vma may be set "
			 "(not seen NULL under mmap_lock for write)");
	else if (file_backed(s, vma) && !held_class(s, role_class(MM_ROLE_RMAP_FILE), 1))
		snprintf(missing, n, "the i_mmap lock for write of the file");
}

/* ... the 6.6+ forms, both under the pmd lock and the table's pte lock:
   under the i_mmap lock only (retract_page_tables), vma->anon_vma and
   userfaultfd_wp(vma) re-checked under the pte lock; under mmap_lock for
   read (collapse_pte_mapped_thp, 1043173eb5eb: "all racing paths are
   relying on pte_offset_map_lock() and pmd_lock()"), the vma's uffd-wp
   state known, which mmap_lock keeps from changing */
static void missing_66(const struct mstate *s, int vma, int under_mmap, char *missing, size_t n)
{
	int uffd = role_key(vma, MM_VMA_UFFD_WP);

	if (under_mmap) {
		if (uffd && !known_null(s, uffd, 0))
			snprintf(missing, n, "checking userfaultfd_wp(vma) first");
	} else if (!known_null(s, role_key(vma, MM_VMA_ANON), under(MM_ROLE_PTE)))
		snprintf(missing, n, "re-checking vma->anon_vma under the pte lock");
	else if (uffd && !known_null(s, uffd, under(MM_ROLE_PTE)))
		snprintf(missing, n, "re-checking userfaultfd_wp(vma) under the pte lock");
}

static void check_retract(gcall *call, struct mstate *s, int vma, const char *what,
		   location_t oploc, const char *callee, int rule)
{
	int mmap = role_class(MM_ROLE_MM), immap = role_class(MM_ROLE_RMAP_FILE), anon = role_class(MM_ROLE_RMAP_ANON);
	const struct held *mm_w = held_class(s, mmap, 1), *mm_any = held_class(s, mmap, 0);
	int pgt = held_class(s, role_class(MM_ROLE_PMD), 0) && held_class(s, role_class(MM_ROLE_PTE), 0);
	char missing[200] = "", other[200] = "", msg[400];

	if (!vma)
		return;
	if (mm_w)
		missing_61(s, vma, missing, sizeof(missing));
	if (pgt && (mm_any || held_class(s, immap, 0)) && (!mm_w || missing[0])) {
		missing_66(s, vma, mm_any != NULL, other, sizeof(other));
		if (!other[0] || !mm_w)
			snprintf(missing, sizeof(missing), "%s", other);
	}
	if (!mm_w && !pgt)
		snprintf(missing, sizeof(missing), "%s",
			 mm_any ? "mmap_lock for write (it is held for read), or the pmd and pte locks"
				: "mmap_lock for write (or, as from 6.6, the i_mmap, pmd and pte locks)");
	else if (!mm_w && !mm_any && !held_class(s, immap, 0))
		snprintf(missing, sizeof(missing), "mmap_lock or the i_mmap lock");
	if (!missing[0])
		return;

	/* the caller's to provide: a vma handed in, no rmap locking here */
	if (key_param_rooted(vma) && !callee &&
	    !(cur->fn_touch & ((1u << immap) | (1u << anon) | (1u << mmap)))) {
		struct precond p;

		memset(&p, 0, sizeof(p));
		p.cls = -1;
		p.key = vma;
		p.rule = rule;
		p.loc = oploc;
		p.what = what;
		pass_need_on(s, &p, NULL);
		return;
	}
	if (!rule_on(rule))
		return;
	if (callee)
		snprintf(msg, sizeof(msg), "call to %s() retracts a page table (%s) without %s",
			 callee, what, missing);
	else
		snprintf(msg, sizeof(msg), "%s() retracts a page table without %s", what, missing);
	report(rule, gimple_location(call), msg);
	if (callee)
		report_note(oploc, "the retraction in the callee");
	if (mm_any && !mm_w)
		report_note(mm_any->loc, "mmap_lock taken for read here");
}

static void retract_op(gcall *call, struct mstate *s, const struct mm_op *op)
{
	if (op->dir != MM_RETRACT)
		return;
	if (tree a = call_arg(call, op->vma_arg))
		check_retract(call, s, canon_val(a), fn_name(gimple_call_fndecl(call)),
			      gimple_location(call), NULL, op->rule);
}

/* a callee retracts a table of a vma this call hands it: the vma is the key */
static void retract_need(gcall *call, struct mstate *s, const struct need *n)
{
	check_retract(call, s, n->key, n->p->what, n->p->loc, n->callee, n->p->rule);
}

CHECKER(retract_checker) = {
	.name = "retract",
	.rules = rules,
	.op = retract_op,
	.need = retract_need,
};
