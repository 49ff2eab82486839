/*
 * Provenance: where a pointer came from.  A spinlock pointer is classified
 * by its origin (pte_lockptr, pmd_lock, &mm->page_table_lock, the
 * out-parameter of pte_offset_map_lock), never by its name; a pte pointer
 * by the table it points into (the pmd it was mapped from).  Values that
 * pass through memory (vmf->ptl, an addressable local) take the provenance
 * of every store to that location in the function, when they agree.
 */
#include "mmlock.h"

static struct prov *memo;	/* by SSA version, when walk.state says done */
static struct ssa_walk walk;	/* PHI cycles and the work bound: ssawalk.c */

struct memprov {
	int key;
	struct prov p;
	int conflict;
	int vals[4];	/* keys of the values stored there */
	int nvals;
};
static struct memprov *mem;
static int nmem, capmem;

static struct memprov *mem_slot(int key, int create)
{
	for (int i = 0; i < nmem; i++)
		if (mem[i].key == key)
			return &mem[i];
	if (!create)
		return NULL;
	if (nmem == capmem) {
		capmem = capmem ? capmem * 2 : 64;
		mem = (struct memprov *)xrealloc(mem, capmem * sizeof(*mem));
	}
	memset(&mem[nmem], 0, sizeof(mem[0]));
	mem[nmem].key = key;
	return &mem[nmem++];
}

static void mem_merge(int key, struct prov p)
{
	struct memprov *m = mem_slot(key, 1);

	if (m->conflict)
		return;
	if (m->p.kind == PV_NONE && !m->p.param_derived) {
		m->p = p;
		return;
	}
	if (m->p.kind != p.kind || m->p.cls != p.cls || m->p.inst != p.inst)
		m->conflict = 1;
}

static void mem_note_value(int key, int val)
{
	struct memprov *m = mem_slot(key, 1);

	for (int i = 0; i < m->nvals; i++)
		if (m->vals[i] == val)
			return;
	if (m->nvals < 4)
		m->vals[m->nvals++] = val;
}

/* The keys of the values this function stores at KEY (flow-insensitive). */
int prov_mem_values(int key, const int **vals)
{
	struct memprov *m = mem_slot(key, 0);

	*vals = m ? m->vals : NULL;
	return m ? m->nvals : 0;
}

static int arg_key_deref(gcall *call, int argno)
{
	tree a;

	if (argno < 0 || argno >= (int)gimple_call_num_args(call))
		return 0;
	a = gimple_call_arg(call, argno);
	if (TREE_CODE(a) == ADDR_EXPR)
		return canon_ref(TREE_OPERAND(a, 0));
	return key_printf("*%s", key_str(canon_val(a)));
}

static int inst_of(const struct mm_op *op, gcall *call)
{
	if (op->inst_arg == MM_WILDCARD)
		return KEY_WILD;
	if (op->inst_arg < 0 || op->inst_arg >= (int)gimple_call_num_args(call))
		return 0;
	if (op->inst_field)
		return key_deref_field(canon_val(gimple_call_arg(call, op->inst_arg)),
				       op->inst_field);
	return canon_val(gimple_call_arg(call, op->inst_arg));
}

/* Record every store (and out-parameter) to a memory location. */
static void scan_stores(void)
{
	basic_block bb;

	FOR_EACH_BB_FN(bb, cfun) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi);
		     gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);

			if (gimple_clobber_p(g))
				continue;
			if (gimple_assign_single_p(g) && gimple_store_p(g)) {
				tree rhs = gimple_assign_rhs1(g);

				if (integer_zerop(rhs))
					continue;	/* NULL: no provenance */
				mem_merge(canon_ref(gimple_assign_lhs(g)), prov_val(rhs));
				mem_note_value(canon_ref(gimple_assign_lhs(g)), canon_val(rhs));
			} else if (gcall *call = dyn_cast<gcall *>(g)) {
				tree fn = gimple_call_fndecl(call);
				const struct mm_op *op;

				if (!fn)
					continue;
				for (op = fn_ops(fn); op; op = fn_ops_next(fn, op)) {
					struct prov p = {};

					if (op->out_arg < 0 || op->cls < 0)
						continue;
					p.kind = PV_LOCK;
					p.cls = op->cls;
					p.inst = inst_of(op, call);
					p.loc = gimple_location(call);
					mem_merge(arg_key_deref(call, op->out_arg), p);
				}
			}
		}
	}
}

void prov_begin_function(void)
{
	sw_begin(&walk);
	memo = (struct prov *)xcalloc(walk.n ? walk.n : 1, sizeof(*memo));
	nmem = 0;
	scan_stores();
}

void prov_end_function(void)
{
	free(memo);
	memo = NULL;
	sw_end(&walk);
	nmem = 0;
}

/* A caller-visible location (out-parameter) this function stored LOCK to. */
int prov_mem_param_slot(int cls, int inst)
{
	for (int i = 0; i < nmem; i++)
		if (!mem[i].conflict && mem[i].p.kind == PV_LOCK && mem[i].p.cls == cls &&
		    mem[i].p.inst == inst && key_param_rooted(mem[i].key))
			return mem[i].key;
	return 0;
}

struct prov prov_mem(int key)
{
	struct memprov *m = mem_slot(key, 0);
	struct prov none = {};

	if (m && !m->conflict)
		return m->p;
	if (!m && key_param_rooted(key)) {
		none.param_derived = 1;	/* the caller's memory */
		none.root = key;
	}
	return none;
}

static struct prov from_call(gcall *call)
{
	struct prov p = {};
	tree fn = gimple_call_fndecl(call);
	const struct mm_op *op;

	if (!fn)
		return p;
	p.loc = gimple_location(call);
	for (op = fn_ops(fn); op; op = fn_ops_next(fn, op)) {
		switch (op->dir) {
		case MM_LOCKPTR:
			if (op->out_arg >= 0)
				break;	/* the return value is not the lock */
			/* fall through */
		case MM_ACQUIRE:
			if (op->dir == MM_ACQUIRE && !op->ret_lock)
				break;
			p.kind = PV_LOCK;
			p.cls = op->cls;
			p.inst = inst_of(op, call);
			return p;
		case MM_TABLE:
			p.kind = PV_TABLE;
			p.cls = op->cls;
			p.inst = inst_of(op, call);
			p.nonnull = op->nonnull;
			return p;
		case MM_SAME:
			if (op->src_arg < (int)gimple_call_num_args(call))
				return prov_val(gimple_call_arg(call, op->src_arg));
			return p;
		case MM_WALK:
			if (op->src_arg < (int)gimple_call_num_args(call)) {
				struct prov s = prov_val(gimple_call_arg(call, op->src_arg));

				p.param_derived = s.param_derived;
				p.root = s.root;
			}
			return p;
		default:
			break;
		}
	}
	return p;
}

static tree struct_tag(tree type)
{
	tree name = TYPE_NAME(type);

	if (name && TREE_CODE(name) == TYPE_DECL)
		name = DECL_NAME(name);
	return name && TREE_CODE(name) == IDENTIFIER_NODE ? name : NULL_TREE;
}

/* &p->FIELD where FIELD is a lock named in rules data */
static struct prov from_addr(tree ref)
{
	struct prov p = {};

	if (TREE_CODE(ref) == COMPONENT_REF) {
		tree base = TREE_OPERAND(ref, 0), field = TREE_OPERAND(ref, 1);
		tree tag = struct_tag(TREE_TYPE(base));
		const struct mm_lockfield *lf;

		if (!DECL_NAME(field))
			return p;
		lf = mm_rules_field(&mm_rules_set, tag ? IDENTIFIER_POINTER(tag) : "",
				    IDENTIFIER_POINTER(DECL_NAME(field)));
		if (!lf)
			return p;
		p.kind = PV_LOCK;
		p.cls = lf->cls;
		if (lf->wildcard)
			p.inst = KEY_WILD;
		else if (TREE_CODE(base) == MEM_REF)
			p.inst = canon_val(TREE_OPERAND(base, 0));
		else
			p.inst = key_printf("&%s", key_str(canon_ref(base)));
	}
	return p;
}

static struct prov ssa_prov(tree t)
{
	gimple *def = SSA_NAME_DEF_STMT(t);
	struct prov p = {};

	if (SSA_NAME_IS_DEFAULT_DEF(t)) {
		tree var = SSA_NAME_VAR(t);

		p.param_derived = var && TREE_CODE(var) == PARM_DECL;
		if (p.param_derived)
			p.root = canon_val(t);
		return p;
	}
	if (gcall *call = dyn_cast<gcall *>(def))
		return from_call(call);
	if (is_gimple_assign(def)) {
		enum tree_code code = gimple_assign_rhs_code(def);
		tree rhs = gimple_assign_rhs1(def);

		if (code == SSA_NAME || CONVERT_EXPR_CODE_P(code) ||
		    code == POINTER_PLUS_EXPR || code == ADDR_EXPR)
			return prov_val(rhs);
		if (gimple_assign_single_p(def) && !is_gimple_reg(rhs)) {
			p = prov_mem(canon_ref(rhs));
			if (p.kind == PV_NONE && !p.param_derived)
				p.param_derived = key_param_rooted(canon_ref(rhs));
			if (p.param_derived && !p.root && key_param_rooted(canon_ref(rhs)))
				p.root = canon_ref(rhs);
			return p;
		}
		return p;
	}
	if (gphi *phi = dyn_cast<gphi *>(def)) {
		int have = 0, null_arg = 0;

		for (unsigned i = 0; i < gimple_phi_num_args(phi); i++) {
			tree a = gimple_phi_arg_def(phi, i);
			struct prov q;

			if (a == t || undefined_value(a))
				continue;
			/* NULL (also "pml = NULL" kept in an SSA name) names no
			   lock or table, but the PHI may be NULL */
			if (integer_zerop(const_value(a))) {
				null_arg = 1;
				continue;
			}
			if (TREE_CODE(a) == SSA_NAME && sw_back_to_open(&walk, SSA_NAME_VERSION(a)))
				continue;
			q = prov_val(a);
			if (q.pending)
				continue;
			if (!have) {
				p = q;
				have = 1;
			} else if (q.kind != p.kind || q.cls != p.cls || q.inst != p.inst) {
				struct prov none = {};

				none.param_derived = p.param_derived && q.param_derived;
				none.root = p.root == q.root ? p.root : 0;
				return none;
			}
		}
		if (!have)
			p.pending = 1;	/* nothing concrete yet: inside an open cycle */
		if (null_arg)
			p.nonnull = 0;
	}
	return p;
}

struct prov prov_val(tree t)
{
	struct prov none = {};

	if (!t)
		return none;
	switch (TREE_CODE(t)) {
	case SSA_NAME: {
		unsigned v = SSA_NAME_VERSION(t);
		int saved;
		struct prov p;

		switch (sw_open(&walk, v, &saved)) {
		case SW_DONE:
			return memo[v];
		case SW_OPEN:	/* a cycle back to a PHI being worked out */
			none.pending = 1;
			return none;
		case SW_OVER:	/* out of work (the function is not analysed) */
			return none;
		}
		p = ssa_prov(t);
		if (sw_close(&walk, v, saved)) {
			p.pending = 0;
			memo[v] = p;
		}
		return p;
	}
	case ADDR_EXPR:
		return from_addr(TREE_OPERAND(t, 0));
	case NOP_EXPR:
	case CONVERT_EXPR:
		return prov_val(TREE_OPERAND(t, 0));
	case PARM_DECL:
		none.param_derived = 1;
		return none;
	default:
		if (!is_gimple_reg(t) && TREE_CODE(t) != INTEGER_CST)
			return prov_mem(canon_ref(t));
		return none;
	}
}

/* ---- results of the rules' "nullable" functions ---- */

/* The nullable call VAL comes from, through copies, casts, pointer
   arithmetic and PHIs; CHAIN gets the values on the way (VAL first, up
   to the first PHI), so that a test of any of them counts. */
gcall *nullable_origin(tree val, tree *chain, int *n, int depth)
{
	for (int i = 0; i < NULLABLE_CHAIN && val && TREE_CODE(val) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(val);

		if (chain && *n < NULLABLE_CHAIN)
			chain[(*n)++] = val;
		if (gcall *call = dyn_cast<gcall *>(def)) {
			tree fn = gimple_call_fndecl(call);

			return fn && rules_op(fn, MM_NULLABLE) ? call : NULL;
		}
		if (gphi *phi = dyn_cast<gphi *>(def)) {
			if (depth > 2)
				return NULL;
			for (unsigned k = 0; k < gimple_phi_num_args(phi); k++) {
				tree a = gimple_phi_arg_def(phi, k);
				gcall *c;

				if (a != val && (c = nullable_origin(a, NULL, NULL, depth + 1)))
					return c;
			}
			return NULL;
		}
		if (!is_gimple_assign(def))
			return NULL;
		enum tree_code code = gimple_assign_rhs_code(def);

		if (code != SSA_NAME && !CONVERT_EXPR_CODE_P(code) && code != POINTER_PLUS_EXPR)
			return NULL;
		val = gimple_assign_rhs1(def);
	}
	return NULL;
}

/* A value that is NULL when the call it comes from failed: a branch on
   it is remembered (engine.c), its uses checked (nullres.c). */
int nullable_value(tree t)
{
	return TREE_CODE(t) == SSA_NAME && POINTER_TYPE_P(TREE_TYPE(t)) &&
	       nullable_origin(t, NULL, NULL, 0);
}

/* Which lock an acquire/release/assert op names at this call. */
int lock_desc(const struct mm_op *op, gcall *call, struct held *h)
{
	memset(h, 0, sizeof(*h));
	h->loc = gimple_location(call);
	h->mode = op->mode;
	if (op->lock_arg >= 0) {
		tree a = call_arg(call, op->lock_arg);
		struct prov p;

		if (!a)
			return 0;
		if (op->lock_field) {
			h->ptr = key_deref_field(canon_val(a), op->lock_field);
			p = prov_mem(h->ptr);
		} else {
			h->ptr = canon_val(a);
			p = prov_val(a);
		}
		if (p.kind == PV_LOCK) {
			h->cls = p.cls;
			h->inst = p.inst;
		} else if (op->cls == MM_CLASS_ANY) {
			h->cls = MM_CLASS_ANY;
		} else if (op->cls >= 0 && op->lock_field) {
			h->cls = op->cls;	/* a lock handed out in a struct: its class
						   is the rules', its instance unknown */
		} else {
			return 0;	/* a lock the rules do not model */
		}
		return 1;
	}
	h->cls = op->cls;
	if (op->inst_arg == MM_WILDCARD)
		h->inst = KEY_WILD;
	else if (op->inst_arg == MM_RET_ARG)	/* "vma = lock_vma_under_rcu()" */
		h->inst = gimple_call_lhs(call) ? canon_val(gimple_call_lhs(call)) : 0;
	else if (tree a = call_arg(call, op->inst_arg))
		h->inst = op->inst_field ? key_deref_field(canon_val(a), op->inst_field)
					 : canon_val(a);
	if (op->ret_lock && gimple_call_lhs(call))
		h->ptr = canon_val(gimple_call_lhs(call));
	else if (op->out_arg >= 0 && call_arg(call, op->out_arg)) {
		tree o = call_arg(call, op->out_arg);

		h->ptr = TREE_CODE(o) == ADDR_EXPR ? canon_ref(TREE_OPERAND(o, 0))
						   : key_printf("*%s", key_str(canon_val(o)));
	}
	return 1;
}
