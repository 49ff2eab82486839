/*
 * Functions the unit hands to a walker as callbacks (rules "callback
 * STRUCT.FIELD", e.g. mm_walk_ops.hugetlb_entry): found in the initializers
 * of the unit's variables of that struct type.  Their callers are not in
 * the unit (the walker calls through the ops table), so what their reads
 * need is checked in them rather than passed up as a precondition.
 */
#include "gcc-includes.h"
#include "varasm.h"
#include "mmlock.h"

static hash_map<tree, const struct mm_callback *> *found;

static const char *tag_of(tree type)
{
	tree name = TYPE_NAME(TYPE_MAIN_VARIANT(type));

	if (name && TREE_CODE(name) == TYPE_DECL)
		name = DECL_NAME(name);
	return name && TREE_CODE(name) == IDENTIFIER_NODE ? IDENTIFIER_POINTER(name) : NULL;
}

static void scan_init(tree init)
{
	unsigned i;
	tree field, val;
	const char *tag;

	if (!init || TREE_CODE(init) != CONSTRUCTOR)
		return;
	tag = RECORD_OR_UNION_TYPE_P(TREE_TYPE(init)) ? tag_of(TREE_TYPE(init)) : NULL;
	FOR_EACH_CONSTRUCTOR_ELT(CONSTRUCTOR_ELTS(init), i, field, val) {
		STRIP_NOPS(val);
		if (TREE_CODE(val) == CONSTRUCTOR) {
			scan_init(val);	/* an array of ops, a nested struct */
			continue;
		}
		if (!tag || !field || TREE_CODE(field) != FIELD_DECL || !DECL_NAME(field) ||
		    TREE_CODE(val) != ADDR_EXPR ||
		    TREE_CODE(TREE_OPERAND(val, 0)) != FUNCTION_DECL)
			continue;
		for (int c = 0; c < mm_rules_set.ncallbacks; c++) {
			const struct mm_callback *cb = &mm_rules_set.callbacks[c];

			if (!strcmp(cb->strct, tag) &&
			    !strcmp(cb->field, IDENTIFIER_POINTER(DECL_NAME(field))))
				found->put(TREE_OPERAND(val, 0), cb);
		}
	}
}

void callbacks_scan_unit(void)
{
	varpool_node *v;

	delete found;
	found = new hash_map<tree, const struct mm_callback *>;
	if (!mm_rules_set.ncallbacks)
		return;
	FOR_EACH_VARIABLE(v)
		scan_init(DECL_INITIAL(v->decl));
}

/* The callback slot FN was registered in, or NULL. */
const struct mm_callback *callback_slot(tree fn)
{
	const struct mm_callback **cb = found ? found->get(fn) : NULL;

	return cb ? *cb : NULL;
}
