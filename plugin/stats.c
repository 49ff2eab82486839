/*
 * Work done per function, for the bounded-work guarantee: how many blocks,
 * how many state visits (the engine's steps), the most states kept at
 * once, the time taken, and whether the path-sensitive walk finished or
 * fell back to merged paths, and how many SSA values keys.c and prov.c
 * worked out (ssawalk.c).  With stats=PATH each analysed function adds
 * a line to PATH (scripts/worst-functions.sh reads them).
 */
#include "mmlock.h"
#include <time.h>

const char *stats_path;		/* stats=PATH */
long stats_budget;		/* budget=N (testing): steps per walk, 0 = default */

static struct timespec t0;
static int warned;

/* stats=PATH can be written (appended to): 0, or ERR says why. */
int stats_check(char *err, size_t n)
{
	FILE *f = fopen(stats_path, "a");

	if (f && !fclose(f))
		return 0;
	snprintf(err, n, "stats=%s: cannot be written: %s", stats_path, xstrerror(errno));
	return -1;
}

void stats_begin(void)
{
	clock_gettime(CLOCK_MONOTONIC, &t0);
}

void stats_end(tree decl, int nbb, long steps, long peak_states, const char *mode)
{
	struct timespec t1;
	FILE *f;
	long usec;

	if (!stats_path)
		return;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	usec = (t1.tv_sec - t0.tv_sec) * 1000000L + (t1.tv_nsec - t0.tv_nsec) / 1000;
	f = fopen(stats_path, "a");
	if (!f) {	/* a measurement never fails a build: a note, once */
		if (!warned++)
			plugin_note(DECL_SOURCE_LOCATION(decl), "mmlock: stats=%s: cannot be written: %s",
			       stats_path, xstrerror(errno));
		return;
	}
	fprintf(f, "%s\t%s\t%d\t%ld\t%ld\t%ld\t%ld\t%s\t%ld\n", main_input_filename, fn_name(decl),
		nbb, steps, peak_states, peak_states * (long)sizeof(struct mstate), usec, mode,
		ssawalk_work());
	fclose(f);
}
