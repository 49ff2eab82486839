/*
 * mmlock_plugin: checks the Linux mm locking rules (RULES.md) over GIMPLE.
 *
 * Usage:
 *   gcc -fplugin=build/mmlock_plugin.so [-fplugin-arg-mmlock_plugin-KEY=VALUE ...]
 *
 * Arguments:
 *   rules=PATH        rules file (default: the rules/mm.rules it was built with)
 *   enable=ID,ID      run only these rules (rules marked "off" run only so)
 *   disable=ID,ID     do not run these rules
 *   db=PATH           also store the findings in this mmlock database
 *                     (a run per unit; $MMLOCK_RUN_KEY joins them into one)
 *   werror            findings are errors (the compile fails)
 *   analysis-only     stop after the analysis: no code generated (use with -S)
 *   max-states=N      paths kept per basic block (default 8)
 *   stats=PATH        append the work done per function to PATH
 *   receipt           after the unit's findings print one line on stderr,
 *                     "mmlock-receipt: input=... functions=N findings=N
 *                     usec=N gcc=VERSION host=NAME": proof that the analysis
 *                     ran, wherever the compile ran (mmlock cc reads it)
 *   crash-in=FUNC     testing: fault while analysing FUNC
 *   overflow-in=FUNC  testing: overflow the stack while analysing FUNC
 *   budget=N          testing: steps allowed per path-sensitive walk
 *
 * The pass runs once per translation unit right after GCC has put every
 * function into SSA form, before any inlining: kernel wrappers such as
 * pmd_lock() and spin_lock() are still calls.  It only reads the IL, so the
 * generated code is the same with and without the plugin.
 */
#include "checker.h"
#include "plugin-version.h"
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

int plugin_is_GPL_compatible;

struct mm_rules mm_rules_set;
int mm_trace;
int mmap_cls = -1;

static struct plugin_info mmlock_info = {
	"0.1", "mmlock: Linux mm locking rules (pte/pmd/lock-order/lock-balance)"
};

static int opt_werror, opt_analysis_only, opt_max_states = 8, opt_receipt;
static const char *opt_crash_in, *opt_overflow_in, *opt_db;
static int total_findings;
static char gcc_running[32];	/* the GCC that loaded us */

static void fault_now(void)
{
	volatile int *volatile p = NULL;

	*p = 1;
}

/* testing (overflow-in=FUNC): recurse until the stack runs out */
static int overflow_now(volatile int n)
{
	volatile char pad[256];

	pad[0] = (char)n;
	if (n == INT_MAX)	/* never: the stack runs out long before */
		return 0;
	return overflow_now(n + 1) + pad[0];
}

/* ---- never break the build on an internal error ---- */
static sigjmp_buf recover;
static volatile sig_atomic_t in_analysis;

static void on_fault(int sig)
{
	if (in_analysis) {
		in_analysis = 0;
		siglongjmp(recover, sig);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A stack overflow faults with no stack left to run the handler on. */
static stack_t alt_stack(void)
{
	static char *mem;
	stack_t ss, old;

	if (!mem)
		mem = XNEWVEC(char, 1 << 16);
	ss.ss_sp = mem;
	ss.ss_size = 1 << 16;
	ss.ss_flags = 0;
	if (sigaltstack(&ss, &old))
		old.ss_flags = SS_DISABLE;
	return old;
}

static void analyse_safely(struct cgraph_node *node)
{
	struct sigaction sa, old_segv, old_bus;
	struct function *saved = cfun;
	stack_t old_ss;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_fault;
	sa.sa_flags = SA_ONSTACK;
	sigemptyset(&sa.sa_mask);
	if (!getenv("MMLOCK_NO_RECOVER")) {	/* debugging: let it crash */
		old_ss = alt_stack();
		sigaction(SIGSEGV, &sa, &old_segv);
		sigaction(SIGBUS, &sa, &old_bus);
	}
	report_begin_function();	/* what a failure drops: this function's only */
	if (sigsetjmp(recover, 1) == 0) {
		in_analysis = 1;
		if (opt_crash_in && !strcmp(opt_crash_in, fn_name(node->decl)))
			fault_now();
		if (opt_overflow_in && !strcmp(opt_overflow_in, fn_name(node->decl)))
			overflow_now(0);
		analyse_function(node, opt_max_states);
		in_analysis = 0;
	} else {
		while (cfun != saved && cfun)
			pop_cfun();
		set_cfun(saved);
		report_end_function(0);
		keys_end_function();
		prov_end_function();
		cur = NULL;
		plugin_note(DECL_SOURCE_LOCATION(node->decl),
			    "mmlock: internal error while analysing '%s'; function skipped",
			    fn_name(node->decl));
	}
	if (!getenv("MMLOCK_NO_RECOVER")) {
		sigaction(SIGSEGV, &old_segv, NULL);
		sigaction(SIGBUS, &old_bus, NULL);
		sigaltstack(&old_ss, NULL);
	}
}

/* ---- the translation unit: callees first ---- */
/* named by the rules as a lock primitive (not a function whose body the
   rules make demands on, "recheck", nor one only said to fail with NULL) */
static int is_primitive(tree decl)
{
	for (const struct mm_op *op = fn_ops(decl); op; op = fn_ops_next(decl, op))
		if (op->dir != MM_RECHECK && op->dir != MM_NULLABLE && !op->analysed)
			return 1;
	return 0;
}

static int uses_locks(struct cgraph_node *node)
{
	struct function *fn = DECL_STRUCT_FUNCTION(node->decl);
	basic_block bb;

	if (!fn || !fn->cfg)
		return 0;
	FOR_EACH_BB_FN(bb, fn) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
			tree callee;
			const struct mm_op *op;

			if (chk_relevant(gsi_stmt(gsi)))	/* a checker's, with no call */
				return 1;
			if (!call || !(callee = gimple_call_fndecl(call)))
				continue;
			for (op = fn_ops(callee); op; op = fn_ops_next(callee, op))
				if (op->dir != MM_LOCKPTR && op->dir != MM_TABLE && op->dir != MM_WALK)
					return 1;
			struct summary *sm = summary_get(callee, 0);
			if (sm && !summary_empty(sm))
				return 1;
		}
	}
	return 0;
}

static struct cgraph_node **order;
static int norder;
static hash_set<tree> *visited;

/* The unit's functions a function calls (not lock primitives), in order. */
static void callees(struct cgraph_node *node, vec<cgraph_node *> *out)
{
	struct function *fn = DECL_STRUCT_FUNCTION(node->decl);
	basic_block bb;

	if (!fn || !fn->cfg)
		return;
	FOR_EACH_BB_FN(bb, fn) {
		for (gimple_stmt_iterator gsi = gsi_start_bb(bb); !gsi_end_p(gsi); gsi_next(&gsi)) {
			gcall *call = dyn_cast<gcall *>(gsi_stmt(gsi));
			tree callee;
			struct cgraph_node *cn;

			if (!call || !(callee = gimple_call_fndecl(call)))
				continue;
			cn = cgraph_node::get(callee);
			if (cn && cn->has_gimple_body_p() && !is_primitive(callee))
				out->safe_push(cn);
		}
	}
}

/* Callees first, depth first, with a stack of our own: a call chain can
   be as long as the unit, the process stack is not. */
struct visit_frame {
	struct cgraph_node *node;
	vec<cgraph_node *> calls;
	unsigned next;
};

static void visit(struct cgraph_node *root)
{
	vec<visit_frame> stack = vNULL;
	struct cgraph_node *enter = root;

	for (;;) {
		if (enter && !visited->add(enter->decl)) {
			struct visit_frame f = { enter, vNULL, 0 };

			callees(enter, &f.calls);
			stack.safe_push(f);
		}
		if (stack.is_empty())
			break;
		struct visit_frame *top = &stack.last();

		if (top->next < top->calls.length()) {
			enter = top->calls[top->next++];
			continue;
		}
		order[norder++] = top->node;
		top->calls.release();
		stack.pop();
		enter = NULL;
	}
	stack.release();
}

/* receipt: the analysis ran here, on this unit, with this GCC */
static void print_receipt(int functions, int findings, const struct timespec *t0)
{
	struct timespec t1;
	char host[256] = "";
	long long usec;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	usec = (t1.tv_sec - t0->tv_sec) * 1000000LL + (t1.tv_nsec - t0->tv_nsec) / 1000;
	if (gethostname(host, sizeof(host) - 1) || !host[0])
		snprintf(host, sizeof(host), "unknown");
	for (char *h = host; *h; h++)
		if (*h == ' ' || *h == '\t')
			*h = '_';
	fprintf(stderr, "mmlock-receipt: input=%s functions=%d findings=%d usec=%lld gcc=%s host=%s\n",
		main_input_filename ? main_input_filename : "-", functions, findings, usec,
		gcc_running, host);
	fflush(stderr);
}

static unsigned int mmlock_execute(void)
{
	struct cgraph_node *node;
	struct timespec t0;
	int n = 0, analysed = 0, found;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	FOR_EACH_FUNCTION_WITH_GIMPLE_BODY(node)
		n++;
	order = XNEWVEC(struct cgraph_node *, n + 1);
	norder = 0;
	visited = new hash_set<tree>;
	summaries_reserve(n);
	callbacks_scan_unit();
	rules_scan_unit();
	FOR_EACH_FUNCTION_WITH_GIMPLE_BODY(node)
		if (!is_primitive(node->decl))
			visit(node);
	for (int i = 0; i < norder; i++) {
		summary_get(order[i]->decl, 1);
		if (uses_locks(order[i])) {
			analyse_safely(order[i]);
			analysed++;
		}
	}
	found = report_flush(opt_werror, opt_db);
	total_findings += found;
	if (opt_receipt)
		print_receipt(analysed, found, &t0);
	delete visited;
	XDELETEVEC(order);
	summaries_reset();
	key_reset();
	if (opt_analysis_only) {
		fflush(stdout);
		fflush(stderr);
		exit(opt_werror && total_findings ? 1 : 0);
	}
	if (opt_werror && total_findings)
		error("mmlock: %d finding%s treated as errors", total_findings,
		      total_findings == 1 ? "" : "s");
	return 0;
}

namespace {
const pass_data mmlock_pass_data = {
	SIMPLE_IPA_PASS, "mmlock", OPTGROUP_NONE, TV_NONE,
	PROP_ssa, 0, 0, 0, 0
};

class mmlock_pass : public simple_ipa_opt_pass {
public:
	mmlock_pass(gcc::context *ctx) : simple_ipa_opt_pass(mmlock_pass_data, ctx) {}
	bool gate(function *) final override { return !seen_error(); }
	unsigned int execute(function *) final override { return mmlock_execute(); }
};
}

/* ---- arguments ---- */
/* A count in 1..MAX, all digits: 1; else 0 (no overflow, no junk). */
static int count_arg(const char *v, long max, long *out)
{
	char *end;
	long n;

	if (!v || !ISDIGIT(*v))
		return 0;
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || *end || n < 1 || n > max)
		return 0;
	*out = n;
	return 1;
}

static int set_rules_mask(const char *list, int enable)
{
	char buf[512], *save = NULL;
	unsigned mask = 0;

	if (!list[strspn(list, ",")] || strlen(list) >= sizeof(buf)) {
		error("mmlock: %s=%s: %s", enable ? "enable" : "disable", list,
		      strlen(list) >= sizeof(buf) ? "too long" : "names no rule");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", list);
	for (char *id = strtok_r(buf, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
		int r = rule_index(id);

		if (r < 0) {
			error("mmlock: unknown rule '%s' (rules file %s)", id, mm_rules_set.path);
			return -1;
		}
		mask |= 1u << r;
	}
	enabled_rules = enable ? mask : enabled_rules & ~mask;
	return 0;
}

int plugin_init(struct plugin_name_args *info, struct plugin_gcc_version *version)
{
	const char *rules = MMLOCK_RULES_DEFAULT, *enable = NULL, *disable = NULL;
	char err[512];
	long n;

	if (!plugin_default_version_check(version, &gcc_version)) {
		error("mmlock: this plugin was built for GCC %s and cannot run in GCC %s; "
		      "rebuild the plugin with the plugin headers of this compiler",
		      gcc_version.basever, version->basever);
		return 1;
	}
	snprintf(gcc_running, sizeof(gcc_running), "%s", version->basever);
	for (int i = 0; i < info->argc; i++) {
		const char *k = info->argv[i].key, *v = info->argv[i].value;

		if (!strcmp(k, "rules") && v)
			rules = v;
		else if (!strcmp(k, "enable") && v)
			enable = v;
		else if (!strcmp(k, "disable") && v)
			disable = v;
		else if (!strcmp(k, "werror") && !v)
			opt_werror = 1;
		else if (!strcmp(k, "analysis-only") && !v)
			opt_analysis_only = 1;
		else if (!strcmp(k, "max-states") && count_arg(v, 4096, &n))
			opt_max_states = (int)n;
		else if (!strcmp(k, "crash-in") && v)
			opt_crash_in = v;
		else if (!strcmp(k, "overflow-in") && v)
			opt_overflow_in = v;
		else if (!strcmp(k, "stats") && v)
			stats_path = v;
		else if (!strcmp(k, "budget") && count_arg(v, LONG_MAX, &n))
			stats_budget = n;
		else if (!strcmp(k, "db") && v)
			opt_db = v;
		else if (!strcmp(k, "receipt") && !v)
			opt_receipt = 1;
		else {
			error("mmlock: unknown or malformed plugin argument '%s%s%s'", k,
			      v ? "=" : "", v ? v : "");
			return 1;
		}
	}
	if (stats_path && stats_check(err, sizeof(err))) {
		error("mmlock: %s", err);
		return 1;
	}
	mm_trace = getenv("MMLOCK_TRACE") != NULL;
	ssawalk_init();
	if (mm_rules_load(rules, &mm_rules_set, err, sizeof(err))) {
		error("mmlock: %s", err);
		return 1;
	}
	if (checkers_bind(err, sizeof(err))) {
		error("mmlock: %s", err);
		return 1;
	}
	mmap_cls = role_class(MM_ROLE_MM);
	for (int r = 0; r < mm_rules_set.nrules; r++)
		if (mm_rules_set.rules[r].off)
			enabled_rules &= ~(1u << r);
	if ((enable && set_rules_mask(enable, 1)) || (disable && set_rules_mask(disable, 0)))
		return 1;

	struct register_pass_info pass;
	pass.pass = new mmlock_pass(g);
	pass.reference_pass_name = "build_ssa_passes";
	pass.ref_pass_instance_number = 1;
	pass.pos_op = PASS_POS_INSERT_AFTER;
	register_callback(info->base_name, PLUGIN_INFO, NULL, &mmlock_info);
	register_callback(info->base_name, PLUGIN_PASS_MANAGER_SETUP, NULL, &pass);
	return 0;
}
