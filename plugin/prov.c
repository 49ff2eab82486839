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

const char *fn_name(tree fndecl)
{
	if (!fndecl || !DECL_NAME(fndecl))
		return "";
	return IDENTIFIER_POINTER(DECL_NAME(fndecl));
}

/* Is TYPE called NAME (a struct tag or a typedef), as the rules name it? */
int type_named(tree type, const char *name)
{
	tree n = type && name ? TYPE_NAME(type) : NULL_TREE;

	if (n && TREE_CODE(n) == TYPE_DECL)
		n = DECL_NAME(n);
	return n && TREE_CODE(n) == IDENTIFIER_NODE && !strcmp(IDENTIFIER_POINTER(n), name);
}

/* Does OP (args=N) describe the variant of the function this decl is? */
static int op_fits(const struct mm_op *op, tree fndecl)
{
	int n = 0;

	if (!op->nargs)
		return 1;
	if (!prototype_p(TREE_TYPE(fndecl)))
		return 0;
	for (tree a = TYPE_ARG_TYPES(TREE_TYPE(fndecl)); a && TREE_VALUE(a) != void_type_node;
	     a = TREE_CHAIN(a))
		n++;
	return n == op->nargs - 1;
}

static const struct mm_op *first_fit(tree fndecl, const struct mm_op *op)
{
	while (op && !op_fits(op, fndecl))
		op = mm_rules_next(&mm_rules_set, op);
	return op;
}

/* The rules' operations for the function FNDECL, the variants that do
   not fit its signature left out (a function changes across kernels). */
const struct mm_op *fn_ops(tree fndecl)
{
	return first_fit(fndecl, mm_rules_lookup(&mm_rules_set, fn_name(fndecl)));
}

const struct mm_op *fn_ops_next(tree fndecl, const struct mm_op *op)
{
	return first_fit(fndecl, mm_rules_next(&mm_rules_set, op));
}

/* Argument N of CALL, or NULL_TREE when the call has fewer (the rules name
   an argument of one kernel's signature: hugepage_vma_revalidate). */
tree call_arg(gcall *call, int n)
{
	if (n < 0 || n >= (int)gimple_call_num_args(call))
		return NULL_TREE;
	return gimple_call_arg(call, n);
}

/* flags=argN:BITS: does this call pass one of BITS (1), none (0), or
   something not known here (-1)?  Without flags=: 1. */
/* The one value this function stores in FIELD of the local VAR, if it
   stores one constant there and nothing else ("struct vm_fault vmf = {
   .flags = FAULT_FLAG_ALLOW_RETRY, ... }; do_swap_page(&vmf)"). */
static tree local_field_const(tree var, const char *field)
{
	basic_block bb;
	tree found = NULL_TREE;

	FOR_EACH_BB_FN(bb, cfun)
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gimple *g = gsi_stmt(gsi);
			tree lhs;

			if (!gimple_assign_single_p(g) || gimple_clobber_p(g))
				continue;
			lhs = gimple_assign_lhs(g);
			if (lhs == var && TREE_CODE(gimple_assign_rhs1(g)) == CONSTRUCTOR &&
			    CONSTRUCTOR_NELTS(gimple_assign_rhs1(g)) == 0)
				continue;	/* "= {}": the zero the fields start from */
			if (TREE_CODE(lhs) != COMPONENT_REF || TREE_OPERAND(lhs, 0) != var)
				continue;
			tree f = TREE_OPERAND(lhs, 1);

			if (!DECL_NAME(f) || strcmp(IDENTIFIER_POINTER(DECL_NAME(f)), field))
				continue;
			if (found || TREE_CODE(gimple_assign_rhs1(g)) != INTEGER_CST)
				return NULL_TREE;	/* stored twice, or not a constant */
			found = gimple_assign_rhs1(g);
		}
	return found;
}

int op_flags_on(const struct mm_op *op, gcall *call)
{
	tree f;

	if (op->flag_arg < 0)
		return 1;
	if (op->flag_arg >= (int)gimple_call_num_args(call))
		return -1;
	f = gimple_call_arg(call, op->flag_arg);
	if (op->flag_field) {	/* flags=argN->FIELD: the struct argN points to */
		if (TREE_CODE(f) != ADDR_EXPR || !VAR_P(TREE_OPERAND(f, 0)) ||
		    !(f = local_field_const(TREE_OPERAND(f, 0), op->flag_field)))
			return -1;
		return (TREE_INT_CST_LOW(f) & op->flag_bits) != 0;
	}
	f = const_value(f);
	if (TREE_CODE(f) == SSA_NAME && is_gimple_assign(SSA_NAME_DEF_STMT(f)) &&
	    gimple_assign_rhs_code(SSA_NAME_DEF_STMT(f)) == BIT_IOR_EXPR) {
		/* "flags | FAULT_FLAG_VMA_LOCK": those bits at least */
		tree c = const_value(gimple_assign_rhs2(SSA_NAME_DEF_STMT(f)));

		if (TREE_CODE(c) == INTEGER_CST && (TREE_INT_CST_LOW(c) & op->flag_bits))
			return 1;
	}
	if (TREE_CODE(f) != INTEGER_CST)
		return -1;
	return (TREE_INT_CST_LOW(f) & op->flag_bits) != 0;
}

const struct mm_op *rules_op(tree fndecl, enum mm_dir dir)
{
	const struct mm_op *op = fn_ops(fndecl);

	for (; op; op = fn_ops_next(fndecl, op))
		if (op->dir == dir)
			return op;
	return NULL;
}

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
