/*
 * mmlock cc: a compiler wrapper that brings the plugin's findings home.
 *
 *   make CC="/path/build/mmlock cc distcc mmlock-gcc" mm/      (mmlock-gcc on PATH)
 *   make CC="/path/build/mmlock cc gcc" KCFLAGS="-fplugin=/path/mmlock_plugin.so" mm/
 *   mmlock cc [OPTIONS] COMPILER [ARGS...]
 *
 * Wherever the compile runs -- here, on a distccd host, on an icecream
 * node -- the plugin prints its findings on the compiler's stderr, and
 * distcc (icecc too) returns that stderr to the client.  This wrapper runs
 * on the client, around the whole command: it passes the compiler's
 * diagnostics through unchanged and stores the findings in $MMLOCK_DB
 * itself, one writer of the build's run (check_key.c: one run per make),
 * with the fingerprints a local build gives (check_store.c reads the
 * source here, where the client's tree is).  The remote side never writes
 * a database: a `-fplugin-arg-mmlock_plugin-db=` argument is refused.
 *
 * When the command is distcc's or icecc's (preprocessed here, compiled
 * elsewhere) it also adds -dD: the preprocessed text then keeps the macro
 * definitions, which the plugin asks about (plugin/config.c: rules
 * "distinct ... if=CONFIG_..."); without them a configuration-dependent
 * rule would decide otherwise than in a local build.
 *
 * A command that compiles one C file (-c or -S) with the mmlock plugin
 * (an -fplugin= naming mmlock_plugin, an -fplugin-arg-mmlock_plugin-
 * argument, or the compiler build/mmlock-gcc, which loads it) is a unit;
 * anything else (kbuild's option probes, -E, --version, linking,
 * assembler files) is exec'ed as it is.  For a unit the wrapper adds the
 * plugin argument `receipt`: after the unit's findings the plugin prints
 * one line, "mmlock-receipt: ... findings=N ...", which the wrapper takes
 * out of the output.  A compile that succeeds without a receipt ran
 * without the analysis (a host that dropped the plugin) and fails here,
 * loudly, with its object removed: never an object without its analysis.
 *
 * Options (before COMPILER):
 *   --db=PATH | --no-db   store the findings there (default $MMLOCK_DB) | nowhere
 *   --run-key=KEY         join this run (default $MMLOCK_RUN_KEY, else the make)
 *   --log=FILE            append one line per unit (default $MMLOCK_CC_LOG):
 *                         unit, exit, wall ms, receipts, functions, findings,
 *                         analysis us, gcc, host, CPU ms of the command here
 *                         (tab-separated)
 *
 * Exit status: the compiler's; 2 when a unit compiled without its
 * analysis, when the findings read do not match the receipt's count, when
 * the database could not be written, or for a usage error.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "../util/util.h"
#include "check.h"
#include "../commands.h"

static const char usage_text[] =
	"usage: mmlock cc [--db=PATH|--no-db] [--run-key=KEY] [--log=FILE] COMPILER [ARGS...]\n"
	"   as kbuild's CC: make CC=\"/path/build/mmlock cc distcc mmlock-gcc\" DIR/\n"
	"   (build/mmlock-gcc: gcc with the plugin, on PATH here and on every distcc host)\n"
	"  runs the command; for a C unit compiled with the mmlock plugin, stores the\n"
	"  plugin's findings from the compiler's stderr here, on the client\n"
	"  --db=PATH | --no-db  the database (default $MMLOCK_DB) | none\n"
	"  --run-key=KEY        the run to join (default $MMLOCK_RUN_KEY, else one per make)\n"
	"  --log=FILE           one line per unit (default $MMLOCK_CC_LOG)\n"
	"Exit: the compiler's; 2 when a unit compiled without its analysis, or an error.\n";

static const char receipt_arg[] = "-fplugin-arg-mmlock_plugin-receipt";
static const char receipt_tag[] = "mmlock-receipt: ";

/* Options that take the next word as their value (gcc's, as kbuild uses them). */
static int takes_value(const char *a)
{
	static const char *const with[] = {
		"-o", "-MF", "-MT", "-MQ", "-include", "-imacros", "-x", "-I", "-isystem",
		"-idirafter", "-iquote", "-D", "-U", "--param", "-Xassembler", "-Xlinker",
		"-Xpreprocessor", "-L", "-l", "-aux-info", "-specs",
	};
	for (size_t i = 0; i < sizeof(with) / sizeof(with[0]); i++)
		if (!strcmp(a, with[i]))
			return 1;
	return 0;
}

struct unit {
	const char *src, *out;
	int plugin, compiles, preprocess, receipt, db_arg;
	int apart;	/* distcc, icecc: preprocessed here, compiled elsewhere */
	int dD;		/* -dD given */
};

static void scan(char **av, int n, struct unit *u)
{
	int nsrc = 0;

	memset(u, 0, sizeof(*u));
	for (int i = 0; i < n; i++) {
		const char *a = av[i];
		size_t len = strlen(a);

		if (a[0] != '-') {
			const char *base = strrchr(a, '/') ? strrchr(a, '/') + 1 : a;

			if (!strncmp(base, "mmlock-gcc", 10))
				u->plugin = 1;	/* loads it itself */
			if (!strcmp(base, "distcc") || !strcmp(base, "icecc") || !strcmp(base, "pump"))
				u->apart = 1;
			if (len > 2 && !strcmp(a + len - 2, ".c")) {
				u->src = a;
				nsrc++;
			}
			continue;
		}
		if (!strcmp(a, "-o") && i + 1 < n)
			u->out = av[i + 1];
		if (takes_value(a)) {
			i++;
			continue;
		}
		if (!strncmp(a, "-fplugin=", 9) && strstr(a + 9, "mmlock_plugin"))
			u->plugin = 1;
		else if (!strcmp(a, "-c") || !strcmp(a, "-S"))
			u->compiles = 1;
		else if (!strcmp(a, "-E") || !strcmp(a, "-M") || !strcmp(a, "-MM") ||
			 !strcmp(a, "-fsyntax-only"))
			u->preprocess = 1;
		else if (!strcmp(a, receipt_arg))
			u->receipt = 1;
		else if (!strcmp(a, "-dD"))
			u->dD = 1;
		else if (!strncmp(a, "-fplugin-arg-mmlock_plugin-db=", 30))
			u->db_arg = u->plugin = 1;
		else if (!strncmp(a, "-fplugin-arg-mmlock_plugin-", 27))
			u->plugin = 1;
	}
	if (nsrc != 1)
		u->src = NULL;
}

/* Interrupted (make killed, ^C): stop the compiler, end the run as such. */
static volatile sig_atomic_t stop_sig;
static volatile pid_t child;

static void on_signal(int sig)
{
	stop_sig = sig;
	if (child > 0)
		kill(child, SIGTERM);
}

struct receipt {
	int n;				/* receipts seen (a local retry may add one) */
	long functions, findings;
	long long usec;
	char gcc[32], host[128];
};

static void read_receipt(const char *s, int len, struct receipt *r)
{
	char line[1024], *p;

	snprintf(line, sizeof(line), "%.*s", len, s);
	r->n++;
	if ((p = strstr(line, " functions=")))
		r->functions = strtol(p + 11, NULL, 10);
	if ((p = strstr(line, " findings=")))
		r->findings = strtol(p + 10, NULL, 10);
	if ((p = strstr(line, " usec=")))
		r->usec = strtoll(p + 6, NULL, 10);
	if ((p = strstr(line, " gcc=")))
		sscanf(p + 5, "%31s", r->gcc);
	if ((p = strstr(line, " host=")))
		sscanf(p + 6, "%127s", r->host);
}

/* TEXT without its receipt lines (read into R), in place; returns the length. */
static size_t take_receipts(char *text, size_t len, struct receipt *r)
{
	size_t in = 0, out = 0;

	while (in < len) {
		char *nl = memchr(text + in, '\n', len - in);
		size_t l = nl ? (size_t)(nl - (text + in)) + 1 : len - in;

		if (l >= sizeof(receipt_tag) - 1 &&
		    !memcmp(text + in, receipt_tag, sizeof(receipt_tag) - 1)) {
			read_receipt(text + in, (int)(l - (nl ? 1 : 0)), r);
		} else {
			memmove(text + out, text + in, l);
			out += l;
		}
		in += l;
	}
	text[out] = 0;
	return out;
}

static int same_finding(const struct check_finding *a, const struct check_finding *b)
{
	return a->line == b->line && a->col == b->col && !strcmp(a->rule, b->rule) &&
	       !strcmp(a->file, b->file) && !strcmp(a->message, b->message);
}

/* A retried compile prints its findings again: keep the first of each. */
static void dedupe(struct check_findings *fs)
{
	int n = 0;

	for (int i = 0; i < fs->n; i++) {
		int dup = 0;

		for (int j = 0; j < n && !dup; j++)
			dup = same_finding(&fs->v[j], &fs->v[i]);
		if (dup)
			check_free_finding(&fs->v[i]);
		else
			fs->v[n++] = fs->v[i];
	}
	fs->n = n;
}

static void log_unit(const char *path, const struct unit *u, int status, long ms,
		     const struct receipt *r)
{
	struct rusage ru;
	char line[1024];
	long cpu = 0;
	int fd, n;

	if (!path || !*path)
		return;
	/* the compiler command's CPU time here (the whole compile when it
	   ran here; distcc's client and the preprocessing when it did not) */
	if (!getrusage(RUSAGE_CHILDREN, &ru))
		cpu = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000L +
		      (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000L;
	n = snprintf(line, sizeof(line), "%s\t%d\t%ld\t%d\t%ld\t%ld\t%lld\t%s\t%s\t%ld\n", u->src,
		     status, ms, r->n, r->functions, r->findings, r->usec,
		     r->gcc[0] ? r->gcc : "-", r->host[0] ? r->host : "-", cpu);
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		util_warn("%s: cannot write %s: %s", u->src, path, strerror(errno));
		return;
	}
	if (write(fd, line, n) != n)
		util_warn("%s: cannot write %s", u->src, path);
	close(fd);
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000L + (t1.tv_nsec - t0->tv_nsec) / 1000000L;
}

int cmd_cc(int argc, char **argv)
{
	const char *db = getenv("MMLOCK_DB"), *run_key = NULL, *logp = getenv("MMLOCK_CC_LOG");
	struct check_proc cc = { 0 };
	struct check_findings fs = { 0 };
	struct check_db d = { 0 };
	struct receipt r = { 0 };
	struct timespec t0;
	struct unit u;
	char key[256], derr[1024] = "", why[64];
	char **av;
	char *text;
	size_t len;
	int i, status, rc, db_failed = 0, ok;

	for (i = 0; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
			fputs(usage_text, stdout);
			return 0;
		} else if (!strncmp(a, "--db=", 5)) {
			db = a + 5;
		} else if (!strcmp(a, "--no-db")) {
			db = NULL;
		} else if (!strncmp(a, "--run-key=", 10)) {
			run_key = a + 10;
		} else if (!strncmp(a, "--log=", 6)) {
			logp = a + 6;
		} else if (!strcmp(a, "--")) {
			i++;
			break;
		} else {
			return util_error("unknown option '%s' (mmlock cc --help)", a);
		}
	}
	if (i >= argc)
		return util_error("no compiler given (mmlock cc --help)");
	argv += i;
	argc -= i;
	if (db && !*db)
		db = NULL;
	scan(argv, argc, &u);
	if (!u.plugin || !u.compiles || u.preprocess || !u.src) {
		execvp(argv[0], argv);
		util_warn("cannot run %s: %s", argv[0], strerror(errno));
		return 127;
	}
	if (u.db_arg)
		return util_error("%s: -fplugin-arg-mmlock_plugin-db= would make the plugin write a "
				  "database wherever the compile runs; give mmlock cc --db=PATH "
				  "(or MMLOCK_DB) instead", u.src);

	av = calloc(argc + 3, sizeof(char *));
	if (!av)
		return 2;
	memcpy(av, argv, argc * sizeof(char *));
	i = argc;
	if (!u.receipt)
		av[i++] = (char *)receipt_arg;
	/* Preprocessed here, compiled elsewhere: the .i keeps the macro
	   definitions (-dD), so that the plugin's configuration checks (rules
	   "distinct ... if=MACRO", plugin/config.c) see this unit's
	   configuration, as a local compile does.  The object is the same. */
	if (u.apart && !u.dD)
		av[i++] = "-dD";
	clock_gettime(CLOCK_MONOTONIC, &t0);
	check_catch_signals(on_signal);
	if (db && check_db_begin(&d, db, check_run_key(run_key, key, sizeof(key)), "gcc-plugin",
				 u.src, NULL, derr, sizeof(derr)))
		db_failed = 1;
	if (!stop_sig && check_spawn(&cc, av)) {
		util_warn("cannot run %s: %s", av[0], strerror(cc.spawn_errno));
		check_db_end(&d, NULL, 0, derr, sizeof(derr));
		free(av);
		return 127;
	}
	child = cc.pid;
	if (stop_sig)
		on_signal(stop_sig);
	text = check_wait(&cc, &len);
	child = 0;
	if (text)
		len = take_receipts(text, len, &r);
	if (text)
		util_write_all(2, text, len);
	if (stop_sig)
		return check_die_of(stop_sig, &d);
	status = cc.status;
	rc = util_exit_code(status);
	check_pick_plugin(text, &fs);
	dedupe(&fs);
	ok = rc == 0;
	if (ok && !r.n) {
		util_warn("%s: compiled without the analysis: no receipt from the mmlock plugin "
			  "(%s ran it without -fplugin, or somewhere that dropped it); object removed",
			  u.src, av[0]);
		if (u.out)
			unlink(u.out);
		ok = 0;
		rc = 2;
	} else if (ok && r.findings != fs.n) {
		util_warn("%s: the plugin reported %ld findings, %d were read from the "
			  "compiler's output", u.src, r.findings, fs.n);
		ok = 0;
		rc = 2;
	} else if (!ok) {
		util_warn("%s: not analysed: %s %s", u.src, av[0],
			  check_status_text(status, why, sizeof(why)));
	}
	if (!db_failed && check_db_end(&d, ok ? &fs : NULL, ok, derr, sizeof(derr)))
		db_failed = 1;
	if (db_failed) {
		util_warn("%s: findings not stored: %s", u.src, derr);
		if (!rc)
			rc = 2;
	}
	log_unit(logp, &u, rc, ms_since(&t0), &r);
	check_free_findings(&fs);
	free(text);
	free(av);
	return rc;
}
