/*
 * Canonical value keys.  Two values get the same key when the code shows
 * they are the same thing: copies, casts and repeated loads of the same
 * access path ("P0->pmd" is the pmd field of parameter 0, however many
 * times the macro expansion loads it).  Parameters are "P<n>", locals
 * "L<uid>", globals "G:<name>", other SSA values "S<version>".
 */
#include "mmlock.h"

static int *memo;		/* by SSA version, when walk.state says done */
static struct ssa_walk walk;	/* PHI cycles and the work bound: ssawalk.c */

void keys_begin_function(void)
{
	sw_begin(&walk);
	memo = (int *)xcalloc(walk.n ? walk.n : 1, sizeof(int));
}

void keys_end_function(void)
{
	free(memo);
	memo = NULL;
	sw_end(&walk);
}

static int param_index(tree parm)
{
	int i = 0;

	for (tree a = DECL_ARGUMENTS(current_function_decl); a; a = DECL_CHAIN(a), i++)
		if (a == parm)
			return i;
	return -1;
}

static const char *field_name(tree field)
{
	if (TREE_CODE(field) == FIELD_DECL && DECL_NAME(field))
		return IDENTIFIER_POINTER(DECL_NAME(field));
	return "<anon>";
}

/* "#<value>" for any integer constant, however wide. */
static int int_key(tree t)
{
	char buf[WIDE_INT_PRINT_BUFFER_SIZE + 1];

	if (tree_fits_shwi_p(t))
		return key_printf("#%ld", (long)tree_to_shwi(t));
	buf[0] = '#';
	print_dec(wi::to_wide(t), buf + 1, TYPE_SIGN(TREE_TYPE(t)));
	return key_intern(buf);
}

/* The object a pointer value points to: "&L5" -> "L5", "P0" -> "*P0". */
int key_deref(int ptr)
{
	const char *b = key_str(ptr);

	return b[0] == '&' ? key_intern(b + 1) : key_printf("*%s", b);
}

int key_deref_field(int base, const char *field)
{
	const char *b = key_str(base);

	if (b[0] == '&')
		return key_printf("%s.%s", b + 1, field);
	return key_printf("%s->%s", b, field);
}

/* Is TO reachable from FROM: the same value, or a field path below it? */
int key_reaches(int from, int to)
{
	const char *f = key_str(from), *t = key_str(to);
	size_t n = strlen(f);

	if (from == to)
		return 1;
	if (!n || strncmp(f, t, n))
		return 0;
	return !strncmp(t + n, "->", 2) || t[n] == '.';
}

int key_param_rooted(int key)
{
	const char *s = key_str(key);

	if (s[0] == '*')
		s++;
	return s[0] == 'P' && ISDIGIT(s[1]);
}

int key_is_local_addr(int key)
{
	const char *s = key_str(key);

	return s[0] == '&' && s[1] == 'L';
}

int key_is_kernel_mm(int key)
{
	const char *s = key_str(key);

	if (strncmp(s, "&G:", 3))
		return 0;
	for (int i = 0; i < mm_rules_set.nkernel_mms; i++)
		if (!strcmp(s + 3, mm_rules_set.kernel_mms[i]))
			return 1;
	return 0;
}

/* A value read from a kernel mm ("G:init_mm.pgd"): its page tables are
   the kernel's (rules "kernelmm"). */
int key_in_kernel_mm(int key)
{
	const char *s = key_str(key);

	if (s[0] == '&')
		s++;
	if (strncmp(s, "G:", 2))
		return 0;
	for (int i = 0; i < mm_rules_set.nkernel_mms; i++) {
		size_t n = strlen(mm_rules_set.kernel_mms[i]);

		if (!strncmp(s + 2, mm_rules_set.kernel_mms[i], n) &&
		    (!s[2 + n] || s[2 + n] == '.' || s[2 + n] == '-'))
			return 1;
	}
	return 0;
}

static int decl_key(tree d)
{
	if (TREE_CODE(d) == PARM_DECL)
		return key_printf("P%d", param_index(d));
	if (VAR_P(d) && (TREE_STATIC(d) || DECL_EXTERNAL(d)) && DECL_NAME(d))
		return key_printf("G:%s", IDENTIFIER_POINTER(DECL_NAME(d)));
	return key_printf("L%u", DECL_UID(d));
}

int canon_ref(tree ref)
{
	switch (TREE_CODE(ref)) {
	case COMPONENT_REF: {
		tree base = TREE_OPERAND(ref, 0);
		const char *f = field_name(TREE_OPERAND(ref, 1));

		/* members of anonymous structs and unions are spelled as the
		   code spells them: "vma->vm_start", "vmf->vma" (6.12) */
		while (TREE_CODE(base) == COMPONENT_REF && !DECL_NAME(TREE_OPERAND(base, 1)))
			base = TREE_OPERAND(base, 0);

		if (TREE_CODE(base) == MEM_REF && integer_zerop(TREE_OPERAND(base, 1)))
			return key_deref_field(canon_val(TREE_OPERAND(base, 0)), f);
		return key_printf("%s.%s", key_str(canon_ref(base)), f);
	}
	case MEM_REF: {
		int p = canon_val(TREE_OPERAND(ref, 0));
		const char *ps = key_str(p);

		if (!integer_zerop(TREE_OPERAND(ref, 1)))
			return key_printf("*(%s+%s)", ps, key_str(int_key(TREE_OPERAND(ref, 1))));
		if (ps[0] == '&')
			return key_intern(ps + 1);
		return key_printf("*%s", ps);
	}
	case ARRAY_REF:
		return key_printf("%s[%s]", key_str(canon_ref(TREE_OPERAND(ref, 0))),
				  key_str(canon_val(TREE_OPERAND(ref, 1))));
	case VAR_DECL:
	case PARM_DECL:
	case RESULT_DECL:
		return decl_key(ref);
	case SSA_NAME:
		return canon_val(ref);
	default:
		return key_printf("R%p", (void *)ref);	/* unique: never equal */
	}
}

/*
 * An uninitialised local (or its -ftrivial-auto-var-init=zero filler,
 * .DEFERRED_INIT): says nothing about the value on other paths.
 */
int undefined_value(tree t)
{
	for (int i = 0; i < 4 && TREE_CODE(t) == SSA_NAME; i++) {
		gimple *def = SSA_NAME_DEF_STMT(t);

		if (SSA_NAME_IS_DEFAULT_DEF(t)) {
			tree var = SSA_NAME_VAR(t);

			return !var || TREE_CODE(var) != PARM_DECL;
		}
		if (gimple_call_internal_p(def, IFN_DEFERRED_INIT))
			return 1;
		if (!gimple_assign_single_p(def) && !gimple_assign_cast_p(def))
			return 0;
		t = gimple_assign_rhs1(def);
	}
	return 0;
}

static int is_load(gimple *g)
{
	tree rhs;

	if (!gimple_assign_single_p(g))
		return 0;
	rhs = gimple_assign_rhs1(g);
	return TREE_CODE(rhs) == COMPONENT_REF || TREE_CODE(rhs) == MEM_REF ||
	       TREE_CODE(rhs) == ARRAY_REF ||
	       (VAR_P(rhs) && !is_gimple_reg(rhs)) ||
	       (TREE_CODE(rhs) == PARM_DECL && !is_gimple_reg(rhs));
}

static int ssa_key(tree t)
{
	gimple *def = SSA_NAME_DEF_STMT(t);
	tree var = SSA_NAME_VAR(t);

	if (SSA_NAME_IS_DEFAULT_DEF(t)) {
		if (var && TREE_CODE(var) == PARM_DECL)
			return decl_key(var);
		return key_printf("U%u", SSA_NAME_VERSION(t));
	}
	if (is_gimple_assign(def)) {
		enum tree_code code = gimple_assign_rhs_code(def);
		tree rhs = gimple_assign_rhs1(def);

		if (is_load(def))
			return canon_ref(rhs);
		if (code == SSA_NAME || code == ADDR_EXPR || CONVERT_EXPR_CODE_P(code) ||
		    code == INTEGER_CST)
			return canon_val(rhs);
		if (code == VAR_DECL || code == PARM_DECL)
			return canon_val(rhs);
		/* a flag test, "vmf->flags & FAULT_FLAG_VMA_LOCK": the same
		   bits of the same value, however often it is loaded */
		if (code == BIT_AND_EXPR && TREE_CODE(gimple_assign_rhs2(def)) == INTEGER_CST) {
			int k = canon_val(rhs);

			return k ? key_printf("%s&%s", key_str(k),
					      key_str(int_key(gimple_assign_rhs2(def)))) : 0;
		}
	}
	if (gcall *call = dyn_cast<gcall *>(def)) {
		tree fn = gimple_call_fndecl(call);
		const struct mm_op *op = fn ? rules_op(fn, MM_SAME) : NULL;

		if (op && op->src_arg < (int)gimple_call_num_args(call))
			return canon_val(gimple_call_arg(call, op->src_arg));
		/* a predicate of the vma: "userfaultfd_wp(P0)", one value per vma */
		if (fn && gimple_call_num_args(call) > 0 &&
		    mm_rules_vmafact(&mm_rules_set, fn_name(fn), 1))
			return key_printf("%s(%s)", fn_name(fn),
					  key_str(canon_val(gimple_call_arg(call, 0))));
	}
	if (gimple_code(def) == GIMPLE_PHI) {
		gphi *phi = as_a<gphi *>(def);
		int k = 0;

		for (unsigned i = 0; i < gimple_phi_num_args(phi); i++) {
			tree a = gimple_phi_arg_def(phi, i);
			int ak;

			if (a == t || undefined_value(a))
				continue;
			/* a loop back to a PHI still being worked out */
			if (TREE_CODE(a) == SSA_NAME && sw_back_to_open(&walk, SSA_NAME_VERSION(a)))
				continue;
			ak = canon_val(a);
			if (!ak)
				continue;	/* provisional: part of an open cycle */
			if (k && ak != k)
				return key_printf("S%u", SSA_NAME_VERSION(t));
			k = ak;
		}
		return k;	/* 0: nothing concrete (yet) */
	}
	return key_printf("S%u", SSA_NAME_VERSION(t));
}

int canon_val(tree t)
{
	if (!t)
		return 0;
	switch (TREE_CODE(t)) {
	case SSA_NAME: {
		unsigned v = SSA_NAME_VERSION(t);
		int k, saved;

		switch (sw_open(&walk, v, &saved)) {
		case SW_DONE:
			return memo[v];
		case SW_OPEN:	/* a cycle back to a PHI being worked out */
			return 0;
		case SW_OVER:	/* out of work: opaque (the function is not analysed) */
			return key_printf("S%u", v);
		}
		k = ssa_key(t);
		if (sw_close(&walk, v, saved)) {
			if (!k)
				k = key_printf("S%u", v);
			memo[v] = k;
		}
		return k;
	}
	case ADDR_EXPR:
		return key_printf("&%s", key_str(canon_ref(TREE_OPERAND(t, 0))));
	case INTEGER_CST:
		return int_key(t);
	case NOP_EXPR:
	case CONVERT_EXPR:
		return canon_val(TREE_OPERAND(t, 0));
	default:
		return canon_ref(t);
	}
}

/* Rewrite a callee key "P<n>rest" as "<caller's key of arg n>rest". */
int key_map_params(int key, gcall *call)
{
	const char *s = key_str(key), *rest;
	int star = 0, arg, base;
	char *end;

	if (s[0] == '*') {
		star = 1;
		s++;
	}
	if (s[0] != 'P' || !ISDIGIT(s[1]))
		return 0;
	arg = (int)strtol(s + 1, &end, 10);
	rest = end;
	if (arg >= (int)gimple_call_num_args(call))
		return 0;
	base = canon_val(gimple_call_arg(call, arg));
	if (!*rest && !star)
		return base;
	if (star)
		base = key_deref(base);
	if (!strncmp(rest, "->", 2))
		return key_deref_field(base, rest + 2);
	return key_printf("%s%s", key_str(base), rest);
}

/* "P1->anon_vma" or "userfaultfd_wp(P1)": a fact the rule needs. */
int is_vma_fact_key(int key)
{
	const char *k = key_str(key), *arrow = strrchr(k, '>');
	const char *paren = strchr(k, '(');

	if (arrow && arrow > k && arrow[-1] == '-' && mm_rules_vmafact(&mm_rules_set, arrow + 1, 0))
		return 1;
	if (paren) {
		char name[128];

		snprintf(name, sizeof(name), "%.*s", (int)(paren - k), k);
		return mm_rules_vmafact(&mm_rules_set, name, 1) != NULL;
	}
	return 0;
}
