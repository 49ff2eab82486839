/*
 * The mmlock rule model: lock classes, rule ids and the kernel functions
 * that acquire, release, assert, locate or need locks, loaded from a
 * rules file (rules/mm.rules).  Plain C that also compiles as C++ so that
 * the GCC plugin and the mmlock driver share one parser.
 */
#ifndef MMLOCK_RULES_H
#define MMLOCK_RULES_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

enum mm_dir {
	MM_ACQUIRE,	/* takes a lock */
	MM_RELEASE,	/* drops a lock */
	MM_DOWNGRADE,	/* write -> read */
	MM_ASSERT,	/* asserts a lock is held: a precondition */
	MM_LOCKPTR,	/* returns (or stores) a pointer to a lock */
	MM_TABLE,	/* returns a pointer into a page table */
	MM_WALK,	/* page-table walk step: result derived from an argument */
	MM_NEEDS,	/* changes a table entry: needs a lock */
	MM_DETACH,	/* makes the tables under a pmd private to this path */
	MM_SAME,	/* returns its argument (a cast or accessor of a lock) */
	MM_RETRACT,	/* clears a pmd that maps a page table (rmap-lock-retract) */
	MM_VMALOOKUP,	/* returns (or stores at out=) a vma found under mmap_lock */
	MM_VMACHECK,	/* checks the vma (its range, its suitability) */
	MM_REVALIDATE,	/* looks the vma up again and checks it (out= or vma=) */
	MM_DROP,	/* may drop mmap_lock, as its result says (mask=, when=) */
	MM_PGTLOOKUP,	/* returns (or stores at out=) a pmd pointer */
	MM_PGTCHECK,	/* re-checks a pmd pointer after mmap_lock was re-taken */
	MM_REQUIRES,	/* needs the lock held (mmap-lock-held) */
	MM_RECHECK,	/* a second scan under the final locks must test each pte (test=) */
	MM_RECHECKOK,	/* ... or learn from this predicate (when=) it needs no test */
	MM_READS,	/* reads a table entry: in a callback, needs the lock (pte-read) */
	MM_NULLABLE,	/* returns NULL when it fails: tested before any use (rule=) */
	MM_VMAWLOCK,	/* write-locks the vma (vma=), or states the caller did (rule=) */
	MM_VMANEW,	/* returns a vma not yet in the tree: no lock needed */
	MM_UNMAP,	/* unmaps the table ptr= points into: the pointer is dead */
	MM_NDIRS
};

#define MM_NO_ARG	(-1)
#define MM_WILDCARD	(-2)	/* inst=*: the lock covers every instance */
#define MM_RET_ARG	(-3)	/* inst=ret: the instance is the returned pointer */
#define MM_CLASS_NONE	(-1)	/* class comes from the lock pointer's provenance */
#define MM_CLASS_ANY	(-2)	/* class=any: some spinlock of unknown class */

enum mm_mode { MM_MODE_NONE, MM_MODE_READ, MM_MODE_WRITE };
enum mm_when { MM_ALWAYS, MM_IF_NONZERO, MM_IF_ZERO };

struct mm_op {
	enum mm_dir dir;
	char *func;
	int cls;		/* class index, MM_CLASS_NONE or MM_CLASS_ANY */
	int inst_arg;		/* argument naming the instance, or MM_WILDCARD */
	char *inst_field;	/* inst=argN->FIELD: the instance is that field */
	int lock_arg;		/* argument that is (or holds) the lock pointer */
	char *lock_field;	/* lock=argN->FIELD: the lock is that field */
	int out_arg;		/* argument receiving a lock pointer */
	int ptr_arg;		/* needs: the entry pointer argument */
	int mm_arg;		/* needs: the mm argument, if the function has one */
	int vma_arg;		/* retract, vmacheck, revalidate: the vma argument */
	unsigned long mask;	/* drop: result bits that mean "dropped" */
	int flag_arg;		/* drop: only if this argument ... */
	unsigned long flag_bits;	/* ... has one of these bits (flags=argN:BITS) */
	char *flag_field;	/* flags=argN->FIELD:BITS: the field of what argN points to */
	int checked;		/* vmalookup: the result is range-checked already */
	int src_arg;		/* walk: the argument the result derives from */
	enum mm_mode mode;
	int ret_lock;		/* returns the lock pointer */
	enum mm_when when;	/* condition on the return value */
	int is_try;
	int nested;
	int alt_exclusive;	/* needs: mmap_lock write + rmap lock suffices */
	int nonnull;		/* table: never returns NULL */
	int maybe;		/* release: may drop the lock (it is then "maybe" held) */
	int analysed;		/* the body is still analysed where it is compiled */
	int states;		/* vmawlock: an assertion that the caller write-locked it */
	int rule;		/* needs: rule index */
	char *test;		/* recheck: the predicate each pte must go through */
	long ok;		/* recheck: the function's "success" result */
	int nargs;		/* args=N: only for the variant with N parameters, + 1 (0: any) */
	int line;
};

/* "role=": what a class is to the checkers, so that no code names a class
   (each role is given to exactly one class; the checkers need them all) */
enum mm_classrole {
	MM_ROLE_MM,		/* role=mm: the address space's lock (mmap_lock) */
	MM_ROLE_RMAP_FILE,	/* role=rmap-file: a file's rmap lock (i_mmap) */
	MM_ROLE_RMAP_ANON,	/* role=rmap-anon: an anon_vma's lock */
	MM_ROLE_PMD,		/* role=pmd: a pmd table's lock */
	MM_ROLE_PTE,		/* role=pte: a pte table's lock */
	MM_NROLES
};
extern const char *const mm_role_names[MM_NROLES];

/* What the engine can hold: more classes or rules are refused on load */
#define MM_MAX_CLASSES	16
#define MM_MAX_RULES	32

struct mm_class {
	char *name;
	int order;
	int sleeping;
	int guards_vma;		/* guards=vma: vma pointers learned under it go
				   stale when it is released */
	int role;		/* enum mm_classrole, or -1 */
	int line;
};

struct mm_lockfield {
	char *strct;		/* struct tag, e.g. mm_struct */
	char *field;		/* field name, e.g. page_table_lock */
	int cls;
	int wildcard;		/* the lock covers every instance of its class */
	int line;
};

/* What the rules need to know of a vma: "vmafield anon_vma anon",
 * "vmafield vm_file file", "pred userfaultfd_wp uffd-wp". */
/* MM_VMA_LOCKED: stores to the field need the vma write lock (vma-write) */
enum mm_vmarole { MM_VMA_ANON, MM_VMA_FILE, MM_VMA_UFFD_WP, MM_VMA_RANGE, MM_VMA_LOCKED };
struct mm_vmafact {
	char *name;		/* a field of struct vm_area_struct, or a predicate function */
	int is_pred;		/* name is a function of the vma (its argument 0) */
	enum mm_vmarole role;
	int line;
};

/* "dropfield vm_operations_struct.fault mask=0x4400": a call through
 * this function pointer may drop mmap_lock, as its result says. */
struct mm_dropfield {
	char *strct, *field;
	unsigned long mask;
	int line;
};

struct mm_rule {
	char *id;
	char *title;
	char *about;		/* "about ID "text"": what the rule finds and why */
	char *help;		/* "fix ID "text"": what to do about a finding */
	int off;		/* "rule ID "title" off": run only when enabled by name */
	int if_calls;		/* if-calls=ID: only in units that call a function the
				   rules tie to rule ID (-1: everywhere) */
	int line;
};

/* "callback STRUCT.FIELD": functions stored in that field of an
   initializer are called back (by a page walker) without the locks their
   reads need: those reads are checked in them */
struct mm_callback {
	char *strct;
	char *field;
	int line;
};

/* "distinct A B [if=MACRO]": a lock of class A is never a lock of class B
   (in a unit where MACRO is defined: a configuration choice) */
struct mm_distinct {
	int a, b;
	char *macro;		/* NULL: always */
	int line;
};

struct mm_rules {
	char *path;
	struct mm_class *classes;
	int nclasses;
	struct mm_rule *rules;
	int nrules;
	struct mm_rule *others;	/* "otherrule": ids only other engines report */
	int nothers;
	struct mm_op *ops;	/* sorted by func after loading */
	int nops;
	struct mm_lockfield *fields;
	int nfields;
	char **kernel_mms;	/* globals whose page tables are the kernel's */
	int nkernel_mms;
	struct mm_vmafact *vmafacts;	/* vma fields and predicates the rules reason on */
	int nvmafacts;
	char *vmatype;		/* the struct tag of a vma (vm_area_struct) */
	char *ptetype;		/* the type name of a pte value (pte_t) */
	struct mm_dropfield *dropfields;	/* indirect calls that may drop mmap_lock */
	int ndropfields;
	char **mmprivate;	/* functions whose mm no one else can see (exit_mmap) */
	int nmmprivate;
	struct mm_distinct *distinct;	/* classes whose locks are never one lock */
	int ndistinct;
	struct mm_callback *callbacks;
	int ncallbacks;
	int role_class[MM_NROLES];	/* the class of each role */
};

/* The rule ids the plugin's checkers report under (rules/required.c): a
   rules file without one of them, or without a class for every role, is
   refused when it loads, by `mmlock rules` and the plugin alike. */
extern const char *const mm_required_rules[];
/* The first requirement RULES does not meet, as a message; NULL if none */
const char *mm_rules_unmet(const struct mm_rules *r, char *buf, size_t n);

/* Load PATH into R.  On error returns -1 and writes "PATH:LINE: message"
 * (or "PATH: message") into ERR. */
int mm_rules_load(const char *path, struct mm_rules *r, char *err, size_t errlen);
void mm_rules_free(struct mm_rules *r);
/* Is FUNC listed by "mmprivate"? */
int mm_rules_mmprivate(const struct mm_rules *r, const char *func);

/* First op for FUNC (ops of one function are adjacent), or NULL. */
const struct mm_op *mm_rules_lookup(const struct mm_rules *r, const char *func);
/* Next op for the same function after OP, or NULL. */
const struct mm_op *mm_rules_next(const struct mm_rules *r, const struct mm_op *op);
int mm_rules_class(const struct mm_rules *r, const char *name);
/* The class with that role (always one in a loaded rules file) */
int mm_rules_role(const struct mm_rules *r, enum mm_classrole role);
int mm_rules_rule(const struct mm_rules *r, const char *id);
/* The rule or other rule ID (its title, about and fix text), or NULL. */
const struct mm_rule *mm_rules_doc(const struct mm_rules *r, const char *id);
const struct mm_lockfield *mm_rules_field(const struct mm_rules *r,
					  const char *strct, const char *field);
const char *mm_dir_name(enum mm_dir d);
const struct mm_vmafact *mm_rules_vmafact(const struct mm_rules *r, const char *name,
					  int is_pred);
/* Does "vmafield FIELD ROLE" say so (a field, not a predicate)? */
int mm_rules_field_role(const struct mm_rules *r, const char *field, enum mm_vmarole role);
const struct mm_vmafact *mm_rules_vmarole(const struct mm_rules *r, enum mm_vmarole role);

#ifdef __cplusplus
}
#endif
#endif
