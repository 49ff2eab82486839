/*
 * Parser for mmlock rules files.  One directive per line:
 *
 *   class NAME order=N kind=spin|sleep [guards=vma] [role=ROLE]
 *   rule ID "title"
 *   otherrule ID "title"      an id only other engines report (sparse)
 *   about ID "text" / fix ID "text"   a rule's description and help,
 *                             one line each, appended to what came before
 *   lockfield STRUCT.FIELD class=C inst=base|*
 *   kernelmm GLOBAL / mmprivate FUNC
 *   vmafield FIELD anon|file|uffd-wp,  pred FUNC anon|file|uffd-wp
 *   DIR FUNC key=value ... [flag ...]
 *
 * where DIR is acquire, release, downgrade, assert, lockptr, table, walk,
 * needs, detach, same, retract, vmalookup, vmacheck, revalidate, drop,
 * pgtlookup, pgtcheck, requires, recheck or recheckok (rules/mm.rules
 * documents each).  '#' starts a comment.  Every error names FILE:LINE.
 */
#include "rules.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const dir_names[MM_NDIRS] = {
	"acquire", "release", "downgrade", "assert", "lockptr",
	"table", "walk", "needs", "detach", "same", "retract",
	"vmalookup", "vmacheck", "revalidate", "drop", "pgtlookup", "pgtcheck", "requires",
	"recheck", "recheckok", "reads", "nullable", "vmawlock", "vmanew", "unmap",
};

const char *mm_dir_name(enum mm_dir d)
{
	return (unsigned)d < MM_NDIRS ? dir_names[d] : "?";
}

struct parse {
	const char *path;
	int line;
	char *err;
	size_t errlen;
	struct mm_rules *r;
};

static int fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(p->err, p->errlen, "%s:%d: ", p->path, p->line);

	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->errlen)
		vsnprintf(p->err + n, p->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = (char *)malloc(n);

	if (d)
		memcpy(d, s, n);
	return d;
}

/* Grow *ARR (of *N elements of SIZE bytes) by one zeroed element. */
static void *push(void **arr, int *n, size_t size)
{
	char *a = (char *)realloc(*arr, (*n + 1) * size);

	if (!a)
		return NULL;
	*arr = a;
	memset(a + *n * size, 0, size);
	return a + (*n)++ * size;
}

static int is_ident(const char *s)
{
	if (!*s || !(isalpha((unsigned char)*s) || *s == '_'))
		return 0;
	for (; *s; s++)
		if (!(isalnum((unsigned char)*s) || *s == '_' || *s == '-'))
			return 0;
	return 1;
}

/* "argN" -> N, else -1 */
static int parse_arg(const char *v)
{
	char *end;
	long n;

	if (strncmp(v, "arg", 3) || !isdigit((unsigned char)v[3]))
		return -1;
	n = strtol(v + 3, &end, 10);
	if (*end || n > 16)
		return -1;
	return (int)n;
}

int mm_rules_class(const struct mm_rules *r, const char *name)
{
	for (int i = 0; i < r->nclasses; i++)
		if (!strcmp(r->classes[i].name, name))
			return i;
	return -1;
}

int mm_rules_role(const struct mm_rules *r, enum mm_classrole role)
{
	return (unsigned)role < MM_NROLES ? r->role_class[role] : -1;
}

int mm_rules_rule(const struct mm_rules *r, const char *id)
{
	for (int i = 0; i < r->nrules; i++)
		if (!strcmp(r->rules[i].id, id))
			return i;
	return -1;
}

const struct mm_rule *mm_rules_doc(const struct mm_rules *r, const char *id)
{
	int i = mm_rules_rule(r, id);

	if (i >= 0)
		return &r->rules[i];
	for (i = 0; i < r->nothers; i++)
		if (!strcmp(r->others[i].id, id))
			return &r->others[i];
	return NULL;
}

static int parse_class_value(struct parse *p, const char *v, int any_ok)
{
	int c;

	if (any_ok && !strcmp(v, "any"))
		return MM_CLASS_ANY;
	c = mm_rules_class(p->r, v);
	if (c < 0)
		fail(p, "unknown lock class '%s'", v);
	return c < 0 ? -3 : c;
}

/* Split LINE into words; a word may be a "quoted string". */
static int split(struct parse *p, char *line, char **words, int max)
{
	int n = 0;
	char *s = line;

	while (*s) {
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#')
			break;
		if (n == max)
			return fail(p, "too many words");
		if (*s == '"') {
			words[n++] = ++s;
			while (*s && *s != '"')
				s++;
			if (!*s)
				return fail(p, "unterminated string");
			*s++ = 0;
			continue;
		}
		words[n++] = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s)
			*s++ = 0;
	}
	return n;
}

static int parse_classdef(struct parse *p, char **w, int n)
{
	struct mm_class *c;
	int have_order = 0, have_kind = 0;

	if (n < 2 || !is_ident(w[1]))
		return fail(p, "class needs a name");
	if (mm_rules_class(p->r, w[1]) >= 0)
		return fail(p, "class '%s' defined twice", w[1]);
	c = (struct mm_class *)push((void **)&p->r->classes, &p->r->nclasses, sizeof(*c));
	if (!c)
		return fail(p, "out of memory");
	c->name = xstrdup(w[1]);
	c->line = p->line;
	c->role = -1;
	if (p->r->nclasses > MM_MAX_CLASSES)
		return fail(p, "more than %d lock classes", MM_MAX_CLASSES);
	for (int i = 2; i < n; i++) {
		char *end;

		if (!strncmp(w[i], "order=", 6)) {
			c->order = (int)strtol(w[i] + 6, &end, 10);
			if (end == w[i] + 6 || *end)
				return fail(p, "bad order '%s'", w[i] + 6);
			have_order = 1;
		} else if (!strcmp(w[i], "kind=spin") || !strcmp(w[i], "kind=sleep")) {
			c->sleeping = !strcmp(w[i], "kind=sleep");
			have_kind = 1;
		} else if (!strcmp(w[i], "guards=vma")) {
			c->guards_vma = 1;
		} else if (!strncmp(w[i], "role=", 5)) {
			int ro;

			for (ro = 0; ro < MM_NROLES; ro++)
				if (!strcmp(w[i] + 5, mm_role_names[ro]))
					break;
			if (ro == MM_NROLES)
				return fail(p, "unknown class role '%s' (mm, rmap-file, rmap-anon, pmd, pte)",
					    w[i] + 5);
			for (int o = 0; o < p->r->nclasses - 1; o++)
				if (p->r->classes[o].role == ro)
					return fail(p, "role '%s' given to class '%s' already",
						    w[i] + 5, p->r->classes[o].name);
			c->role = ro;
		} else {
			return fail(p, "unknown class attribute '%s'", w[i]);
		}
	}
	if (!have_order || !have_kind)
		return fail(p, "class '%s' needs order= and kind=", w[1]);
	return 0;
}

/* "rule ID title [off]", or (OTHER) "otherrule ID title": a rule id of
 * another engine, kept for its documentation only. */
static int parse_ruledef(struct parse *p, char **w, int n, int other)
{
	struct mm_rule *ru;

	if (other && (n != 3 || !is_ident(w[1])))
		return fail(p, "usage: otherrule ID \"title\"");
	if (n < 3 || n > 5 || !is_ident(w[1]))
		return fail(p, "usage: rule ID \"title\" [off] [if-calls=ID]");
	int off = 0, if_calls = -1;
	for (int i = 3; i < n; i++) {
		if (!strcmp(w[i], "off"))
			off = 1;
		else if (!strncmp(w[i], "if-calls=", 9) && !other && !strcmp(w[i] + 9, w[1]))
			if_calls = p->r->nrules;	/* itself: where its functions are called */
		else if (!strncmp(w[i], "if-calls=", 9) && (if_calls = mm_rules_rule(p->r, w[i] + 9)) >= 0)
			;
		else
			return fail(p, "usage: rule ID \"title\" [off] [if-calls=ID] (ID a rule defined before)");
	}
	if (mm_rules_doc(p->r, w[1]))
		return fail(p, "rule '%s' defined twice", w[1]);
	ru = (struct mm_rule *)(other ? push((void **)&p->r->others, &p->r->nothers, sizeof(*ru)) :
				push((void **)&p->r->rules, &p->r->nrules, sizeof(*ru)));
	if (!ru)
		return fail(p, "out of memory");
	if (!other && p->r->nrules > MM_MAX_RULES)
		return fail(p, "more than %d rules", MM_MAX_RULES);
	ru->id = xstrdup(w[1]);
	ru->title = xstrdup(w[2]);
	ru->off = off;
	ru->if_calls = if_calls;
	ru->line = p->line;
	return 0;
}

/* "about ID text" and "fix ID text": appended to the rule's text. */
static int parse_ruletext(struct parse *p, char **w, int n)
{
	struct mm_rule *ru = (struct mm_rule *)mm_rules_doc(p->r, n == 3 ? w[1] : "");
	char **text, *t;
	size_t old;

	if (n != 3)
		return fail(p, "usage: %s ID \"text\"", w[0]);
	if (!ru)
		return fail(p, "unknown rule '%s'", w[1]);
	text = w[0][0] == 'a' ? &ru->about : &ru->help;
	old = *text ? strlen(*text) : 0;
	t = (char *)realloc(*text, old + strlen(w[2]) + 2);
	if (!t)
		return fail(p, "out of memory");
	if (old)
		t[old++] = ' ';
	strcpy(t + old, w[2]);
	*text = t;
	return 0;
}

static int parse_lockfield(struct parse *p, char **w, int n)
{
	struct mm_lockfield *f;
	char *dot;
	int cls = -3, inst = -1;

	if (n < 2 || !(dot = strchr(w[1], '.')))
		return fail(p, "usage: lockfield STRUCT.FIELD class=C inst=base|*");
	for (int i = 2; i < n; i++) {
		if (!strncmp(w[i], "class=", 6))
			cls = parse_class_value(p, w[i] + 6, 0);
		else if (!strcmp(w[i], "inst=base") || !strcmp(w[i], "inst=*"))
			inst = !strcmp(w[i], "inst=*");
		else
			return fail(p, "unknown lockfield attribute '%s'", w[i]);
		if (cls == -3 && !strncmp(w[i], "class=", 6))
			return -1;
	}
	if (cls < 0 || inst < 0)
		return fail(p, "lockfield needs class= and inst=");
	*dot = 0;
	if (!is_ident(w[1]) || !is_ident(dot + 1))
		return fail(p, "bad lockfield name");
	f = (struct mm_lockfield *)push((void **)&p->r->fields, &p->r->nfields, sizeof(*f));
	if (!f)
		return fail(p, "out of memory");
	f->strct = xstrdup(w[1]);
	f->field = xstrdup(dot + 1);
	f->cls = cls;
	f->wildcard = inst;
	f->line = p->line;
	return 0;
}

static int arg_value(struct parse *p, const char *key, const char *v, int *out)
{
	*out = parse_arg(v);
	if (*out < 0)
		return fail(p, "%s= takes argN, not '%s'", key, v);
	return 0;
}

static int parse_op(struct parse *p, enum mm_dir d, char **w, int n)
{
	struct mm_op *op;

	if (n < 2 || !is_ident(w[1]))
		return fail(p, "%s needs a function name", dir_names[d]);
	op = (struct mm_op *)push((void **)&p->r->ops, &p->r->nops, sizeof(*op));
	if (!op)
		return fail(p, "out of memory");
	op->dir = d;
	op->func = xstrdup(w[1]);
	op->cls = MM_CLASS_NONE;
	op->inst_arg = op->lock_arg = op->out_arg = MM_NO_ARG;
	op->ptr_arg = op->src_arg = op->mm_arg = op->vma_arg = op->flag_arg = MM_NO_ARG;
	op->rule = -1;
	op->line = p->line;

	for (int i = 2; i < n; i++) {
		char *k = w[i], *v = strchr(k, '=');

		if (v)
			*v++ = 0;
		if (!v) {
			if (!strcmp(k, "try"))
				op->is_try = 1;
			else if (!strcmp(k, "nested"))
				op->nested = 1;
			else if (!strcmp(k, "nonnull"))
				op->nonnull = 1;
			else if (!strcmp(k, "maybe"))
				op->maybe = 1;
			else if (!strcmp(k, "checked"))
				op->checked = 1;
			else if (!strcmp(k, "analysed"))
				op->analysed = 1;
			else if (!strcmp(k, "states"))
				op->states = 1;
			else
				return fail(p, "unknown flag '%s'", k);
		} else if (!strcmp(k, "class")) {
			op->cls = parse_class_value(p, v, 1);
			if (op->cls == -3)
				return -1;
		} else if (!strcmp(k, "inst")) {
			char *f = strstr(v, "->");

			if (f) {
				*f = 0;
				if (!is_ident(f + 2))
					return fail(p, "bad field in inst=");
				free(op->inst_field);	/* inst= given twice */
				op->inst_field = xstrdup(f + 2);
			}
			if (!strcmp(v, "*") && !f)
				op->inst_arg = MM_WILDCARD;
			else if (!strcmp(v, "ret") && !f)
				op->inst_arg = MM_RET_ARG;
			else if (arg_value(p, k, v, &op->inst_arg))
				return -1;
		} else if (!strcmp(k, "lock")) {
			char *f = strstr(v, "->");

			if (f) {
				*f = 0;
				if (!is_ident(f + 2))
					return fail(p, "bad field in lock=");
				free(op->lock_field);	/* lock= given twice */
				op->lock_field = xstrdup(f + 2);
			}
			if (arg_value(p, k, v, &op->lock_arg))
				return -1;
		} else if (!strcmp(k, "out")) {
			if (arg_value(p, k, v, &op->out_arg))
				return -1;
		} else if (!strcmp(k, "ptr")) {
			if (arg_value(p, k, v, &op->ptr_arg))
				return -1;
		} else if (!strcmp(k, "mask")) {
			char *end;

			op->mask = strtoul(v, &end, 0);
			if (end == v || *end || !op->mask)
				return fail(p, "mask= takes a number, not '%s'", v);
		} else if (!strcmp(k, "flags")) {
			char *colon = strchr(v, ':'), *end;

			char *f = strstr(v, "->");

			if (colon)
				*colon++ = 0;
			if (f && colon) {	/* flags=argN->FIELD:BITS */
				*f = 0;
				if (!is_ident(f + 2))
					return fail(p, "bad field in flags=");
				free(op->flag_field);
				op->flag_field = xstrdup(f + 2);
			}
			if (!colon || arg_value(p, k, v, &op->flag_arg))
				return colon ? -1 : fail(p, "flags= takes argN[->FIELD]:BITS");
			op->flag_bits = strtoul(colon, &end, 0);
			if (end == colon || *end || !op->flag_bits)
				return fail(p, "flags= takes argN:BITS, not '%s'", colon);
		} else if (!strcmp(k, "args")) {
			char *end;
			long na = strtol(v, &end, 10);

			if (end == v || *end || na < 0 || na > 32)
				return fail(p, "args= takes a number of arguments (0 to 32), not '%s'", v);
			op->nargs = (int)na + 1;
		} else if (!strcmp(k, "test")) {
			if (!is_ident(v) || op->test)
				return fail(p, "test= takes a function name, once");
			op->test = xstrdup(v);
		} else if (!strcmp(k, "ok")) {
			char *end;

			op->ok = strtol(v, &end, 0);
			if (end == v || *end)
				return fail(p, "ok= takes a number, not '%s'", v);
		} else if (!strcmp(k, "vma")) {
			if (arg_value(p, k, v, &op->vma_arg))
				return -1;
		} else if (!strcmp(k, "mm")) {
			if (arg_value(p, k, v, &op->mm_arg))
				return -1;
		} else if (!strcmp(k, "from")) {
			if (arg_value(p, k, v, &op->src_arg))
				return -1;
		} else if (!strcmp(k, "mode")) {
			if (!strcmp(v, "read"))
				op->mode = MM_MODE_READ;
			else if (!strcmp(v, "write"))
				op->mode = MM_MODE_WRITE;
			else
				return fail(p, "mode= is read or write, not '%s'", v);
		} else if (!strcmp(k, "ret")) {
			if (strcmp(v, "lock"))
				return fail(p, "ret= takes 'lock', not '%s'", v);
			op->ret_lock = 1;
		} else if (!strcmp(k, "when")) {
			if (!strcmp(v, "nonzero"))
				op->when = MM_IF_NONZERO;
			else if (!strcmp(v, "zero"))
				op->when = MM_IF_ZERO;
			else
				return fail(p, "when= is nonzero or zero, not '%s'", v);
		} else if (!strcmp(k, "alt")) {
			if (strcmp(v, "exclusive"))
				return fail(p, "alt= takes 'exclusive', not '%s'", v);
			op->alt_exclusive = 1;
		} else if (!strcmp(k, "rule")) {
			op->rule = mm_rules_rule(p->r, v);
			if (op->rule < 0)
				return fail(p, "unknown rule '%s'", v);
		} else {
			return fail(p, "unknown key '%s'", k);
		}
	}

	/* what each directive must say */
	switch (d) {
	case MM_ACQUIRE:
	case MM_RELEASE:
	case MM_ASSERT:
	case MM_DOWNGRADE:
		if (op->lock_arg == MM_NO_ARG &&
		    (op->cls < 0 || op->inst_arg == MM_NO_ARG))
			return fail(p, "%s needs lock=argN or class= and inst=", dir_names[d]);
		break;
	case MM_LOCKPTR:
	case MM_TABLE:
		if (op->cls < 0 || op->inst_arg == MM_NO_ARG)
			return fail(p, "%s needs class= and inst=", dir_names[d]);
		break;
	case MM_WALK:
	case MM_SAME:
		if (op->src_arg == MM_NO_ARG)
			return fail(p, "%s needs from=argN", dir_names[d]);
		break;
	case MM_NEEDS:
	case MM_READS:
		if (op->cls < 0 || op->ptr_arg == MM_NO_ARG || op->rule < 0)
			return fail(p, "%s needs class=, ptr=argN and rule=", dir_names[d]);
		break;
	case MM_NULLABLE:
		if (op->rule < 0)
			return fail(p, "nullable needs rule=");
		break;
	case MM_UNMAP:
		if (op->ptr_arg == MM_NO_ARG || op->rule < 0)
			return fail(p, "unmap needs ptr=argN and rule=");
		break;
	case MM_VMAWLOCK:
		if (op->vma_arg == MM_NO_ARG || op->rule < 0)
			return fail(p, "vmawlock needs vma=argN and rule=");
		break;
	case MM_DETACH:
		if (op->inst_arg < 0)
			return fail(p, "detach needs inst=argN");
		break;
	case MM_VMACHECK:
		if (op->vma_arg == MM_NO_ARG)
			return fail(p, "vmacheck needs vma=argN");
		break;
	case MM_REVALIDATE:
		if (op->vma_arg == MM_NO_ARG && op->out_arg == MM_NO_ARG)
			return fail(p, "revalidate needs vma=argN or out=argN");
		break;
	case MM_DROP:
		if (!op->mask && op->when == MM_ALWAYS)
			return fail(p, "drop needs mask= or when=");
		break;
	case MM_PGTCHECK:
		if (op->ptr_arg == MM_NO_ARG)
			return fail(p, "pgtcheck needs ptr=argN");
		break;
	case MM_REQUIRES:
		if (op->cls < 0 || op->inst_arg == MM_NO_ARG)
			return fail(p, "requires needs class= and inst=");
		break;
	case MM_RECHECK:
		if (!op->test || op->rule < 0)
			return fail(p, "recheck needs test=FUNC and rule=");
		break;
	case MM_RECHECKOK:
		if (op->when == MM_ALWAYS)
			return fail(p, "recheckok needs when=zero or when=nonzero");
		break;
	case MM_RETRACT:
		if (op->vma_arg == MM_NO_ARG || op->ptr_arg == MM_NO_ARG || op->rule < 0)
			return fail(p, "retract needs vma=argN, ptr=argN and rule=");
		break;
	default:
		break;
	}
	return 0;
}

static int cmp_ops(const void *a, const void *b)
{
	const struct mm_op *x = (const struct mm_op *)a, *y = (const struct mm_op *)b;
	int c = strcmp(x->func, y->func);

	return c ? c : x->line - y->line;
}

int mm_rules_load(const char *path, struct mm_rules *r, char *err, size_t errlen)
{
	struct parse p = { path, 0, err, errlen, r };
	char buf[1024];
	FILE *f;
	int rc = 0;

	memset(r, 0, sizeof(*r));
	f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: cannot open rules file: %s", path, strerror(errno));
		return -1;
	}
	r->path = xstrdup(path);
	while (rc == 0 && fgets(buf, sizeof(buf), f)) {
		char *w[32];
		int n, d;

		p.line++;
		if (!strchr(buf, '\n') && !feof(f)) {
			rc = fail(&p, "line too long");
			break;
		}
		n = split(&p, buf, w, 32);
		if (n <= 0) {
			rc = n;
			continue;
		}
		if (!strcmp(w[0], "class")) {
			rc = parse_classdef(&p, w, n);
		} else if (!strcmp(w[0], "rule")) {
			rc = parse_ruledef(&p, w, n, 0);
		} else if (!strcmp(w[0], "otherrule")) {
			rc = parse_ruledef(&p, w, n, 1);
		} else if (!strcmp(w[0], "about") || !strcmp(w[0], "fix")) {
			rc = parse_ruletext(&p, w, n);
		} else if (!strcmp(w[0], "lockfield")) {
			rc = parse_lockfield(&p, w, n);
		} else if (!strcmp(w[0], "vmafield") || !strcmp(w[0], "pred")) {
			static const char *const roles[] = { "anon", "file", "uffd-wp", "range", "locked" };
			struct mm_vmafact *vf;
			int role;

			for (role = 0; n == 3 && role < 5; role++)
				if (!strcmp(w[2], roles[role]))
					break;
			if (n != 3 || !is_ident(w[1]) || role == 5) {
				rc = fail(&p, "usage: %s NAME anon|file|uffd-wp|range|locked", w[0]);
				continue;
			}
			vf = (struct mm_vmafact *)push((void **)&r->vmafacts, &r->nvmafacts, sizeof(*vf));
			vf->name = xstrdup(w[1]);
			vf->is_pred = w[0][0] == 'p';
			vf->role = (enum mm_vmarole)role;
			vf->line = p.line;
		} else if (!strcmp(w[0], "ptetype")) {
			if (n != 2 || !is_ident(w[1]) || r->ptetype) {
				rc = fail(&p, "usage: ptetype TYPE (once)");
				continue;
			}
			r->ptetype = xstrdup(w[1]);
		} else if (!strcmp(w[0], "vmatype")) {
			if (n != 2 || !is_ident(w[1]) || r->vmatype) {
				rc = fail(&p, "usage: vmatype STRUCT (once)");
				continue;
			}
			r->vmatype = xstrdup(w[1]);
		} else if (!strcmp(w[0], "dropfield")) {
			struct mm_dropfield *df;
			char *dot = n == 3 ? strchr(w[1], '.') : NULL, *end;
			unsigned long mask = n == 3 && !strncmp(w[2], "mask=", 5)
						     ? strtoul(w[2] + 5, &end, 0) : 0;

			if (!dot || !mask) {
				rc = fail(&p, "usage: dropfield STRUCT.FIELD mask=BITS");
				continue;
			}
			*dot = 0;
			df = (struct mm_dropfield *)push((void **)&r->dropfields, &r->ndropfields,
							 sizeof(*df));
			df->strct = xstrdup(w[1]);
			df->field = xstrdup(dot + 1);
			df->mask = mask;
			df->line = p.line;
		} else if (!strcmp(w[0], "callback")) {
			char *dot = n == 2 ? strchr(w[1], '.') : NULL;
			struct mm_callback *cb;

			if (!dot || !is_ident(dot + 1)) {
				rc = fail(&p, "usage: callback STRUCT.FIELD");
				continue;
			}
			*dot = 0;
			if (!is_ident(w[1])) {
				rc = fail(&p, "usage: callback STRUCT.FIELD");
				continue;
			}
			cb = (struct mm_callback *)push((void **)&r->callbacks, &r->ncallbacks,
							sizeof(*cb));
			if (!cb) {
				rc = fail(&p, "out of memory");
				continue;
			}
			cb->strct = xstrdup(w[1]);
			cb->field = xstrdup(dot + 1);
			cb->line = p.line;
		} else if (!strcmp(w[0], "distinct")) {
			struct mm_distinct *dc;
			const char *macro = n == 4 && !strncmp(w[3], "if=", 3) ? w[3] + 3 : NULL;
			int a, b;

			if ((n != 3 && !macro) || (macro && !is_ident(macro))) {
				rc = fail(&p, "usage: distinct CLASS CLASS [if=MACRO]");
				continue;
			}
			if ((a = parse_class_value(&p, w[1], 0)) < 0 ||
			    (b = parse_class_value(&p, w[2], 0)) < 0) {
				rc = -1;
				continue;
			}
			dc = (struct mm_distinct *)push((void **)&r->distinct, &r->ndistinct,
							sizeof(*dc));
			if (!dc) {
				rc = fail(&p, "out of memory");
				continue;
			}
			dc->a = a;
			dc->b = b;
			dc->macro = macro ? xstrdup(macro) : NULL;
			dc->line = p.line;
		} else if (!strcmp(w[0], "kernelmm") || !strcmp(w[0], "mmprivate")) {
			int kmm = w[0][0] == 'k';
			char **k;

			if (n != 2 || !is_ident(w[1])) {
				rc = fail(&p, kmm ? "usage: kernelmm GLOBAL" : "usage: mmprivate FUNC");
				continue;
			}
			k = kmm ? (char **)push((void **)&r->kernel_mms, &r->nkernel_mms, sizeof(char *))
				: (char **)push((void **)&r->mmprivate, &r->nmmprivate, sizeof(char *));
			if (!k) {
				rc = fail(&p, "out of memory");
				continue;
			}
			*k = xstrdup(w[1]);
		} else {
			for (d = 0; d < MM_NDIRS; d++)
				if (!strcmp(w[0], dir_names[d]))
					break;
			if (d == MM_NDIRS)
				rc = fail(&p, "unknown directive '%s'", w[0]);
			else
				rc = parse_op(&p, (enum mm_dir)d, w, n);
		}
	}
	if (rc == 0 && ferror(f))
		rc = fail(&p, "read error");
	fclose(f);
	if (rc == 0 && (r->nclasses == 0 || r->nops == 0)) {
		snprintf(err, errlen, "%s: no lock classes or operations defined", path);
		rc = -1;
	}
	if (rc == 0) {
		char why[160];

		for (int ro = 0; ro < MM_NROLES; ro++)
			r->role_class[ro] = -1;
		for (int c = 0; c < r->nclasses; c++)
			if (r->classes[c].role >= 0)
				r->role_class[r->classes[c].role] = c;
		if (mm_rules_unmet(r, why, sizeof(why)))
			rc = fail(&p, "%s", why);
	}
	if (rc) {
		mm_rules_free(r);
		return -1;
	}
	qsort(r->ops, r->nops, sizeof(*r->ops), cmp_ops);
	return 0;
}

void mm_rules_free(struct mm_rules *r)
{
	for (int i = 0; i < r->nclasses; i++)
		free(r->classes[i].name);
	for (int i = 0; i < r->nrules + r->nothers; i++) {
		struct mm_rule *ru = i < r->nrules ? &r->rules[i] : &r->others[i - r->nrules];

		free(ru->id);
		free(ru->title);
		free(ru->about);
		free(ru->help);
	}
	free(r->others);
	for (int i = 0; i < r->nops; i++) {
		free(r->ops[i].func);
		free(r->ops[i].lock_field);
		free(r->ops[i].inst_field);
		free(r->ops[i].flag_field);
		free(r->ops[i].test);
	}
	for (int i = 0; i < r->nfields; i++) {
		free(r->fields[i].strct);
		free(r->fields[i].field);
	}
	for (int i = 0; i < r->nkernel_mms; i++)
		free(r->kernel_mms[i]);
	for (int i = 0; i < r->ndistinct; i++)
		free(r->distinct[i].macro);
	free(r->distinct);
	for (int i = 0; i < r->ncallbacks; i++) {
		free(r->callbacks[i].strct);
		free(r->callbacks[i].field);
	}
	free(r->callbacks);
	for (int i = 0; i < r->nmmprivate; i++)
		free(r->mmprivate[i]);
	free(r->mmprivate);
	for (int i = 0; i < r->nvmafacts; i++)
		free(r->vmafacts[i].name);
	free(r->vmafacts);
	for (int i = 0; i < r->ndropfields; i++) {
		free(r->dropfields[i].strct);
		free(r->dropfields[i].field);
	}
	free(r->dropfields);
	free(r->vmatype);
	free(r->ptetype);
	free(r->kernel_mms);
	free(r->classes);
	free(r->rules);
	free(r->ops);
	free(r->fields);
	free(r->path);
	memset(r, 0, sizeof(*r));
}

const struct mm_op *mm_rules_lookup(const struct mm_rules *r, const char *func)
{
	int lo = 0, hi = r->nops - 1, found = -1;

	while (lo <= hi) {
		int mid = (lo + hi) / 2, c = strcmp(r->ops[mid].func, func);

		if (c == 0) {
			found = mid;
			hi = mid - 1;
		} else if (c < 0) {
			lo = mid + 1;
		} else {
			hi = mid - 1;
		}
	}
	return found < 0 ? NULL : &r->ops[found];
}

const struct mm_op *mm_rules_next(const struct mm_rules *r, const struct mm_op *op)
{
	if (op + 1 < r->ops + r->nops && !strcmp(op[1].func, op->func))
		return op + 1;
	return NULL;
}

const struct mm_vmafact *mm_rules_vmafact(const struct mm_rules *r, const char *name,
					  int is_pred)
{
	for (int i = 0; i < r->nvmafacts; i++)
		if (r->vmafacts[i].is_pred == is_pred && !strcmp(r->vmafacts[i].name, name))
			return &r->vmafacts[i];
	return NULL;
}

int mm_rules_field_role(const struct mm_rules *r, const char *field, enum mm_vmarole role)
{
	for (int i = 0; i < r->nvmafacts; i++)
		if (!r->vmafacts[i].is_pred && r->vmafacts[i].role == role &&
		    !strcmp(r->vmafacts[i].name, field))
			return 1;
	return 0;
}

const struct mm_vmafact *mm_rules_vmarole(const struct mm_rules *r, enum mm_vmarole role)
{
	for (int i = 0; i < r->nvmafacts; i++)
		if (r->vmafacts[i].role == role)
			return &r->vmafacts[i];
	return NULL;
}

const struct mm_lockfield *mm_rules_field(const struct mm_rules *r,
					  const char *strct, const char *field)
{
	for (int i = 0; i < r->nfields; i++)
		if (!strcmp(r->fields[i].field, field) &&
		    (!strct || !strcmp(r->fields[i].strct, strct)))
			return &r->fields[i];
	return NULL;
}

int mm_rules_mmprivate(const struct mm_rules *r, const char *func)
{
	for (int i = 0; func && i < r->nmmprivate; i++)
		if (!strcmp(r->mmprivate[i], func))
			return 1;
	return 0;
}
