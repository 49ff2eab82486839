/*
 * Bounded, memoised recursion over SSA values, shared by keys.c
 * (canon_val) and prov.c (prov_val).  Both follow copies, loads and PHIs;
 * a PHI cycle (a loop) is resolved once, from the PHI first asked: values
 * worked out inside it while it is open are provisional and not kept.
 *
 * Irreducible control flow (a web of gotos) makes that re-walk the open
 * cycles again and again, and a long PHI chain makes it recurse deep, so
 * the recursion of a function's analysis shares one work bound (values
 * opened) and one stack bound.  Once either runs out every value not yet
 * worked out is opaque and the function is reported "not analysed"
 * (engine.c): the bound never changes what is found in a function that
 * stays within it.
 */
#include "mmlock.h"
#include <sys/resource.h>

static long work_left, work_all;	/* values the function may still open, of */
static int over;		/* work or stack ran out */
static char *stack_top;		/* the analysis' first frame */
static size_t stack_room;	/* bytes the recursion may use */

void ssawalk_init(void)
{
	struct rlimit rl;
	size_t lim = 8u << 20;

	if (!getrlimit(RLIMIT_STACK, &rl) && rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < lim)
		lim = rl.rlim_cur;
	stack_room = lim / 4;	/* gcc below us and the engine above keep the rest */
}

void ssawalk_begin_function(void)
{
	work_all = work_left = 20000 + 20L * num_ssa_names;
	over = 0;
	stack_top = (char *)__builtin_frame_address(0);
}

int ssawalk_over(void)
{
	return over;
}

long ssawalk_work(void)		/* values opened so far (stats=) */
{
	return work_all - MAX(work_left, 0);
}

void sw_begin(struct ssa_walk *w)
{
	w->n = num_ssa_names;
	w->state = (unsigned char *)xcalloc(w->n ? w->n : 1, 1);
	w->open_depth = (int *)xcalloc(w->n ? w->n : 1, sizeof(int));
	w->depth = 0;
	w->lowest_hit = INT_MAX;
}

void sw_end(struct ssa_walk *w)
{
	free(w->state);
	free(w->open_depth);
	memset(w, 0, sizeof(*w));
}

/* Is V a PHI still being worked out?  If so, the cycle back is noted. */
int sw_back_to_open(struct ssa_walk *w, unsigned v)
{
	if (v >= w->n || w->state[v] != SW_OPEN)
		return 0;
	w->lowest_hit = MIN(w->lowest_hit, w->open_depth[v]);
	return 1;
}

int sw_open(struct ssa_walk *w, unsigned v, int *saved)
{
	char *here = (char *)__builtin_frame_address(0);	/* the stack grows down */

	if (v < w->n && w->state[v] == SW_DONE)
		return SW_DONE;
	if (sw_back_to_open(w, v))
		return SW_OPEN;
	if (over || --work_left < 0 || (here < stack_top && (size_t)(stack_top - here) > stack_room)) {
		over = 1;
		return SW_OVER;
	}
	*saved = w->lowest_hit;
	w->lowest_hit = INT_MAX;
	++w->depth;
	if (v < w->n) {
		w->state[v] = SW_OPEN;
		w->open_depth[v] = w->depth;
	}
	return SW_NEW;
}

int sw_close(struct ssa_walk *w, unsigned v, int saved)
{
	int keep = v < w->n && w->lowest_hit >= w->open_depth[v];

	w->depth--;
	if (v < w->n)
		w->state[v] = keep ? SW_DONE : 0;
	w->lowest_hit = MIN(saved, w->lowest_hit);
	return keep;
}
