/*
 * mmlock check: a CHECK program for kbuild, run in sparse's place.
 *
 *   make C=1|C=2 CHECK="/path/to/build/mmlock check" [CF="OPTIONS"] [-jN] [DIR/]
 *   mmlock check [OPTIONS] [SPARSE/GCC FLAGS] FILE.c
 *
 * For one unit it runs, side by side, the GCC plugin in analysis-only
 * mode with the unit's compiler flags (no object, no dependency file, no
 * pass after the analysis) and sparse with everything kbuild gave
 * (check_args.c splits the two).  It prints gcc's then sparse's
 * diagnostics as they are, and stores the plugin's findings (engine
 * gcc-plugin) and sparse's lock-context warnings (engine sparse) in the
 * database $MMLOCK_DB, all units of one make in one run (check_key.c).
 *
 * Options (anywhere; CF= passes them through kbuild):
 *   --no-sparse          run the plugin only
 *   --werror             the plugin's findings make the exit status 1
 *   --db=PATH            the database (default $MMLOCK_DB; none: not stored)
 *   --no-db              do not store, whatever $MMLOCK_DB says
 *   --run-key=KEY        join this run (default $MMLOCK_RUN_KEY, else the make)
 *   --gcc=PROG           the compiler (default $MMLOCK_GCC, else gcc)
 *   --sparse=PROG        sparse (default $MMLOCK_SPARSE, else sparse)
 *   --plugin=PATH        the plugin (default $MMLOCK_PLUGIN, else the built one)
 *   --rules=PATH --enable=IDS --disable=IDS --max-states=N   plugin arguments
 *
 * Exit status, as sparse's so that the build goes on: 0 when it ran, with
 * or without findings; 1 with --werror and findings; sparse's own status
 * when sparse fails (-Wsparse-error); 2, with one line naming the input,
 * when the unit could not be analysed (gcc failed, a program is missing)
 * or the database could not be written.  Killed by SIGINT, SIGTERM or
 * SIGHUP (make interrupted) it stops gcc and sparse, ends its part of the
 * run as interrupted and dies of the same signal.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../util/util.h"
#include "check.h"
#include "../commands.h"

static const char usage_text[] =
	"usage: mmlock check [OPTIONS] [SPARSE/GCC FLAGS] FILE.c\n"
	"   as kbuild's checker: make C=2 CHECK=\"/path/build/mmlock check\" [CF=OPTIONS] DIR/\n"
	"  --no-sparse          run the plugin only\n"
	"  --werror             exit 1 when the plugin has findings\n"
	"  --db=PATH | --no-db  store findings there (default $MMLOCK_DB) | nowhere\n"
	"  --run-key=KEY        the run to join (default $MMLOCK_RUN_KEY, else one per make)\n"
	"  --gcc=PROG --sparse=PROG --plugin=PATH   (or $MMLOCK_GCC, $MMLOCK_SPARSE, $MMLOCK_PLUGIN)\n"
	"  --rules=PATH --enable=IDS --disable=IDS --max-states=N   plugin arguments\n"
	"Exit: 0 checked (findings or not), 1 --werror and findings, 2 not analysed or error.\n";

/* Starts PROG; a failure to start is told in ERR. */
static int start(struct check_proc *p, char **argv, char *err, size_t len)
{
	if (!check_spawn(p, argv))
		return 0;
	snprintf(err, len, "cannot run %s: %s", argv[0], strerror(p->spawn_errno));
	return -1;
}

static int exited_ok(const struct check_proc *p)
{
	return p->pid && WIFEXITED(p->status) && WEXITSTATUS(p->status) == 0;
}

/* Interrupted (make killed, ^C): stop the children, end the run as such. */
static volatile sig_atomic_t stop_sig;
static volatile pid_t child[2];

static void on_signal(int sig)
{
	stop_sig = sig;
	for (int i = 0; i < 2; i++)
		if (child[i] > 0)
			kill(child[i], SIGTERM);
}

int cmd_check(int argc, char **argv)
{
	struct check_proc gcc = { 0 }, sparse = { 0 };
	struct check_findings fs = { 0 };
	struct check_db db = { 0 };
	struct check_cmd c;
	char err[1024] = "", serr[1024] = "", derr[1024] = "", why[64], key[256];
	char *gtext, *stext = NULL;
	size_t glen, slen = 0;
	int nplugin, rc = 0, gcc_ok, sparse_ok = 1, db_failed = 0;

	if (check_parse_args(argc, argv, &c, err, sizeof(err))) {
		fprintf(stderr, "mmlock: %s\n", err);
		return 2;
	}
	if (c.o.help) {
		fputs(usage_text, stdout);
		return 0;
	}
	check_catch_signals(on_signal);
	if (c.o.db && check_db_begin(&db, c.o.db, check_run_key(c.o.run_key, key, sizeof(key)),
				     c.o.no_sparse ? "gcc-plugin" : "gcc-plugin,sparse",
				     c.src, c.o.enable, derr, sizeof(derr)))
		db_failed = 1;
	if (!stop_sig)
		start(&gcc, c.gcc_argv, err, sizeof(err));
	child[0] = gcc.pid;
	if (!c.o.no_sparse && !stop_sig)
		start(&sparse, c.sparse_argv, serr, sizeof(serr));
	child[1] = sparse.pid;
	if (stop_sig)
		on_signal(stop_sig);	/* came before the children did */
	gtext = check_wait(&gcc, &glen);
	if (!c.o.no_sparse)
		stext = check_wait(&sparse, &slen);
	child[0] = child[1] = 0;
	if (gtext)
		util_write_all(2, gtext, glen);
	if (stext)
		util_write_all(2, stext, slen);
	if (stop_sig)
		return check_die_of(stop_sig, &db);

	nplugin = check_pick_plugin(gtext, &fs);
	if (!c.o.no_sparse)
		check_pick_sparse(stext, &fs);
	gcc_ok = exited_ok(&gcc);
	if (!gcc_ok) {
		if (gcc.pid)
			snprintf(err, sizeof(err), "%s %s", c.o.gcc,
				 check_status_text(gcc.status, why, sizeof(why)));
		fprintf(stderr, "mmlock: %s: not analysed: %s\n", c.src, err);
		rc = 2;
	}
	if (!c.o.no_sparse && !exited_ok(&sparse)) {
		sparse_ok = 0;
		if (!sparse.pid) {
			fprintf(stderr, "mmlock: %s: %s (or --no-sparse)\n", c.src, serr);
			rc = 2;
		} else if (WIFSIGNALED(sparse.status)) {
			fprintf(stderr, "mmlock: %s: %s %s\n", c.src, c.o.sparse,
				check_status_text(sparse.status, why, sizeof(why)));
			rc = 2;
		} else if (!rc) {
			rc = WEXITSTATUS(sparse.status);	/* -Wsparse-error */
		}
	}
	if (!db_failed && check_db_end(&db, &fs, gcc_ok && sparse_ok, derr, sizeof(derr)))
		db_failed = 1;
	if (db_failed) {
		fprintf(stderr, "mmlock: %s: findings not stored: %s\n", c.src, derr);
		rc = 2;
	}
	if (!rc && c.o.werror && nplugin)
		rc = 1;
	check_free_findings(&fs);
	free(gtext);
	free(stext);
	check_free_cmd(&c);
	return rc;
}
