/*
 * mmlock check: the pieces of the kbuild CHECK program.
 *
 *   check_args.c    split what kbuild passes into mmlock's options, the
 *                   sparse command and the gcc (plugin) command
 *   check_run.c     run a program with its stderr captured
 *   check_diag.c    pick the findings out of captured diagnostics
 *   check_key.c     the run key that joins one build's units into one run
 *   check_store.c   one unit's part of the run in the database
 *   cmd_check.c     the command itself
 *   cmd_cc.c        mmlock cc, the compiler wrapper: the same pieces
 * Writing whole buffers, waiting for a child: ../util/util.h.
 */
#ifndef MMLOCK_CHECK_H
#define MMLOCK_CHECK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* mmlock's own options (also from the environment). */
struct check_opts {
	const char *gcc;		/* --gcc=, $MMLOCK_GCC, "gcc" */
	const char *sparse;		/* --sparse=, $MMLOCK_SPARSE, "sparse" */
	const char *plugin;		/* --plugin=, $MMLOCK_PLUGIN, the built one */
	const char *rules, *enable, *disable, *max_states;	/* plugin arguments */
	const char *db;			/* --db=, $MMLOCK_DB; NULL: no database */
	const char *run_key;		/* --run-key=, $MMLOCK_RUN_KEY, derived */
	int no_sparse, no_db, werror, help;
};

/* One unit to check: the two commands, NULL-terminated argument vectors. */
struct check_cmd {
	struct check_opts o;
	const char *src;		/* the C file (kbuild's $<) */
	char **gcc_argv;
	char **sparse_argv;
	int kbuild;			/* kbuild's -Wp,-MMD,... split the flags */
	char *owned[8];			/* strings made for gcc_argv */
	int nowned;
};

/* Fills C from ARGV; returns 0, or -1 with a one-line reason in ERR. */
int check_parse_args(int argc, char **argv, struct check_cmd *c, char *err, size_t len);
void check_free_cmd(struct check_cmd *c);

/* A child process whose stderr goes to a temporary file. */
struct check_proc {
	const char *prog;
	pid_t pid;			/* 0: could not be started */
	int err_fd;			/* the captured stderr */
	int spawn_errno;
	int status;			/* waitpid() status */
};

int check_spawn(struct check_proc *p, char *const argv[]);
/* Waits for P; returns its stderr (malloc'ed, NUL-terminated) or NULL. */
char *check_wait(struct check_proc *p, size_t *len);
/* "exited with status 1", "was killed by signal 9" */
const char *check_status_text(int status, char *buf, size_t len);

/* Findings of one engine, picked out of its diagnostics. */
struct check_note {
	char *file, *message;
	int line, col;
};

struct check_finding {
	char *rule, *file, *message, *severity;
	const char *engine;
	int line, col;
	struct check_note *notes;
	int nnotes;
};

struct check_findings {
	struct check_finding *v;
	int n, cap;
};

/* The plugin's findings: "[mmlock:RULE]" lines and their path notes. */
int check_pick_plugin(const char *text, struct check_findings *fs);
/* sparse's lock-context warnings ("context imbalance in 'f' - ..."). */
int check_pick_sparse(const char *text, struct check_findings *fs);
void check_free_finding(struct check_finding *f);
void check_catch_signals(void (*handler)(int));
void check_free_findings(struct check_findings *fs);

/* The run key: GIVEN (--run-key=) when not NULL or empty, else
 * $MMLOCK_RUN_KEY, else one per top-level make, else one for this
 * process.  Writes it to BUF; returns BUF. */
char *check_run_key(const char *given, char *buf, size_t len);

/* The database, as one writer of the run KEY (created if missing):
 * joined before the unit is analysed, left with its findings after;
 * COMPLETE 0 marks the run interrupted.  0, or -1 with a one-line
 * message in ERR. */
struct mmdb;
struct check_db {
	struct mmdb *db;
	int64_t run;
};

int check_db_begin(struct check_db *d, const char *path, const char *key,
		   const char *engines, const char *src, const char *rules,
		   char *err, size_t len);
int check_db_end(struct check_db *d, const struct check_findings *fs, int complete,
		 char *err, size_t len);
/* Interrupted by SIG: D's part of the run ends as interrupted, then this
 * process dies of SIG (returns 2 if it does not). */
int check_die_of(int sig, struct check_db *d);

#endif
