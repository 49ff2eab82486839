/*
 * mmlock db: the findings database from the command line.
 *
 *   mmlock db [--db PATH] COMMAND [OPTIONS] [ARGS]     (or MMLOCK_DB=PATH)
 *     init                      create the database, or migrate it
 *     import [--engine E] [--root DIR] [--run-key K] ... FILE|-
 *     list   [FILTERS] [--format text|tsv|csv|json]
 *     stats  [FILTERS] [--by rule,file,run] [--format ...]
 *     diff   OLD NEW [--all] [--allow-incomplete] [--format ...]
 *     triage FINGERPRINT confirmed|false-positive|wont-fix|clear [--note TEXT]
 *     export [FILTERS] [--format sarif|json|csv|tsv|text]
 *     sql    'SELECT ...' [PARAM...] [--format ...]
 *     html   [FILTERS] [--root DIR] OUTDIR
 *   FILTERS: --rule R --file F --function FN --engine E --status S
 *            --run RUN --latest       (RUN: N, latest, latest~K)
 *
 * Exit status: 0 ok; 1 diff: NEW has findings OLD has not (untriaged or
 * confirmed); 2 usage or input error, one line naming the input, and diff
 * of a run that is not complete (unless --allow-incomplete).  The
 * work is done by the db library (db/query.h); this file parses options.
 */
#include <errno.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../db/query.h"
#include "../../rules/rules.h"
#include "../commands.h"

#define MAX_ARGS 64

struct args {
	const char *db, *format, *engine, *root, *kernel_version, *git_rev, *rules;
	const char *run_key, *run, *by, *note;
	int latest, all, force, help, allow_incomplete;
	struct mmdb_filter f;
	char *pos[MAX_ARGS];
	int npos;
};

struct opt {
	const char *name;
	size_t off;		/* of a const char * in struct args */
	int flag;		/* an int flag instead */
};

#define S(name, field) { name, offsetof(struct args, field), 0 }
#define F(name, field) { name, offsetof(struct args, field), 1 }

static const struct opt common_opts[] = {
	S("--db", db), S("--format", format), F("--help", help), { NULL, 0, 0 },
};
static const struct opt import_opts[] = {
	S("--engine", engine), S("--root", root), S("--kernel-version", kernel_version),
	S("--git-rev", git_rev), S("--rules", rules), S("--run-key", run_key), { NULL, 0, 0 },
};
static const struct opt filter_opts[] = {
	S("--rule", f.rule), S("--file", f.file), S("--function", f.function),
	S("--engine", f.engine), S("--status", f.status), S("--run", run),
	F("--latest", latest), S("--by", by), { NULL, 0, 0 },
};
static const struct opt root_opt[] = { S("--root", root), { NULL, 0, 0 } };
static const struct opt diff_opts[] = {
	F("--all", all), F("--allow-incomplete", allow_incomplete), { NULL, 0, 0 },
};
static const struct opt triage_opts[] = {
	S("--note", note), F("--force", force), { NULL, 0, 0 },
};

static const char usage_text[] =
	"usage: mmlock db [--db PATH] COMMAND ...   (or MMLOCK_DB=PATH)\n"
	"  init\n"
	"  import [--engine gcc-plugin|cocci|sparse|smatch|gcc] [--root DIR] [--run-key KEY]\n"
	"         [--kernel-version V] [--git-rev REV] [--rules LIST] FILE|-\n"
	"  list   [FILTERS] [--format text|tsv|csv|json]\n"
	"  stats  [FILTERS] [--by rule,file,run] [--format text|tsv|csv|json]\n"
	"  diff   OLD NEW [--all] [--allow-incomplete] [--format text|tsv|csv|json]\n"
	"  triage FINGERPRINT confirmed|false-positive|wont-fix|clear [--note TEXT] [--force]\n"
	"  export [FILTERS] [--format sarif|json|csv|tsv|text]\n"
	"  sql    'SELECT ...' [PARAM...] [--format tsv|csv|json]\n"
	"  html   [FILTERS] [--root DIR] OUTDIR   a static report (DIR: the analysed tree)\n"
	"FILTERS: --rule R --file F|DIR/|GLOB --function FN --engine E\n"
	"         --status confirmed|false-positive|wont-fix|untriaged --run RUN --latest\n"
	"RUN: N, latest or latest~K.  Exit: 0 ok, 1 diff found new findings, 2 error\n"
	"(diff: also a run not complete, unless --allow-incomplete).\n";

static int usage(const char *fmt, const char *what)
{
	fputs("mmlock db: ", stderr);
	fprintf(stderr, fmt, what);
	fputs(" (mmlock db help)\n", stderr);
	return 2;
}

static const struct opt *find_opt(const struct opt *const *tables, const char *name,
				  size_t len)
{
	for (int t = 0; tables[t]; t++)
		for (const struct opt *o = tables[t]; o->name; o++)
			if (strlen(o->name) == len && !strncmp(o->name, name, len))
				return o;
	return NULL;
}

/* Options anywhere, "--" ends them; "-" and "-N" are arguments. */
static int parse(int argc, char **argv, const struct opt *const *tables, struct args *a)
{
	int dashdash = 0;

	for (int i = 0; i < argc; i++) {
		char *arg = argv[i], *eq;
		const struct opt *o;

		if (dashdash || arg[0] != '-' || !arg[1] ||
		    (arg[1] >= '0' && arg[1] <= '9')) {
			if (a->npos == MAX_ARGS)
				return usage("too many arguments%s", "");
			a->pos[a->npos++] = arg;
			continue;
		}
		if (!strcmp(arg, "--")) {
			dashdash = 1;
			continue;
		}
		if (!strcmp(arg, "-h")) {
			a->help = 1;
			continue;
		}
		eq = strchr(arg, '=');
		o = find_opt(tables, arg, eq ? (size_t)(eq - arg) : strlen(arg));
		if (!o)
			return usage("unknown option '%s'", arg);
		if (o->flag) {
			if (eq)
				return usage("option '%s' takes no value", arg);
			*(int *)((char *)a + o->off) = 1;
		} else if (eq) {
			*(const char **)((char *)a + o->off) = eq + 1;
		} else if (i + 1 < argc) {
			*(const char **)((char *)a + o->off) = argv[++i];
		} else {
			return usage("option '%s' needs a value", arg);
		}
	}
	return 0;
}

/* Format name to format, if the command ALLOWS it (a mask of formats). */
static int format(const struct args *a, int dflt, unsigned allow, int *fmt)
{
	*fmt = a->format ? mmdb_format_parse(a->format) : dflt;
	if (*fmt < 0 || !(allow & 1u << *fmt))
		return usage("format '%s' is not one this command writes", a->format);
	return 0;
}

#define LIST_FORMATS (1u << MMDB_TEXT | 1u << MMDB_TSV | 1u << MMDB_CSV | 1u << MMDB_JSON)

static int fail(struct mmdb *db)
{
	fprintf(stderr, "mmlock: %s\n", mmdb_errmsg(db));
	mmdb_close(db);
	return 2;
}

#define READS 0x100	/* open_db: a command that only reads */

/* Can PATH and its directory (SQLite's -wal and -shm) be written? */
static int writable(const char *path)
{
	char *dir = strdup(path), *slash = dir ? strrchr(dir, '/') : NULL;
	int ok;

	if (!dir)
		return 1;
	if (slash == dir)
		slash[1] = 0;	/* "/x.db": "/" */
	else if (slash)
		*slash = 0;
	ok = !access(path, W_OK) && !access(slash ? dir : ".", W_OK);
	free(dir);
	return ok;
}

static struct mmdb *open_db(const struct args *a, unsigned flags)
{
	char *err;
	struct mmdb *db = mmdb_open(a->db, flags & ~READS, &err);

	/* one that cannot be written (a read-only directory) is read as it is */
	if (!db && (flags & READS) && !writable(a->db)) {
		free(err);
		db = mmdb_open(a->db, MMDB_READONLY, &err);
	}
	if (!db) {
		fprintf(stderr, "mmlock: %s\n", err ? err : "out of memory");
		free(err);
	}
	return db;
}

static int cmd_init(struct args *a)
{
	struct mmdb *db;
	int as;

	if (a->npos)
		return usage("init takes no arguments%s", "");
	db = open_db(a, MMDB_CREATE);
	if (!db)
		return 2;
	as = mmdb_opened_as(db);
	if (as > 0)
		printf("%s: created, schema version %d\n", a->db, as);
	else if (as < 0)
		printf("%s: migrated from schema version %d to %d\n", a->db, -as,
		       MMDB_SCHEMA_VERSION);
	else
		printf("%s: schema version %d, up to date\n", a->db, MMDB_SCHEMA_VERSION);
	mmdb_close(db);
	return 0;
}

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

static int cmd_import(struct args *a)
{
	static const char *const engines[] = { "gcc-plugin", "cocci", "sparse", "smatch", "gcc" };
	struct mmdb_import_opts o = {
		.engine = a->engine, .root = a->root, .kernel_version = a->kernel_version,
		.git_rev = a->git_rev, .rules = a->rules, .key = a->run_key, .stop = &stop,
	};
	struct sigaction sa = { .sa_handler = on_signal };
	struct mmdb_import_result res;
	const char *name;
	struct mmdb *db;
	FILE *in;
	size_t i;
	int rc;

	if (a->npos != 1)
		return usage("import takes one FILE (or - for standard input)%s", "");
	for (i = 0; a->engine && i < sizeof(engines) / sizeof(engines[0]); i++)
		if (!strcmp(a->engine, engines[i]))
			break;
	if (a->engine && i == sizeof(engines) / sizeof(engines[0]))
		return usage("unknown engine '%s'", a->engine);
	name = strcmp(a->pos[0], "-") ? a->pos[0] : "<stdin>";
	in = strcmp(a->pos[0], "-") ? fopen(a->pos[0], "r") : stdin;
	if (!in) {
		fprintf(stderr, "mmlock: %s: cannot read: %s\n", a->pos[0], strerror(errno));
		return 2;
	}
	db = open_db(a, MMDB_CREATE);
	if (!db)
		return 2;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	rc = mmdb_import(db, in, name, &o, &res);
	if (in != stdin)
		fclose(in);
	if (rc)
		return fail(db);
	mmdb_close(db);
	printf("run %lld: %ld findings from %s%s\n", (long long)res.run, res.findings, name,
	       res.interrupted ? " (interrupted)" : "");
	if (res.interrupted) {
		fprintf(stderr, "mmlock: %s: interrupted; run %lld is marked so\n", name,
			(long long)res.run);
		return 2;
	}
	return 0;
}

/* --run/--latest into a->f.run; --status checked. */
/* A run not complete may lack findings: one line on stderr; 1 if so. */
static int incomplete(int64_t run, const char *status)
{
	if (!strcmp(status, "complete"))
		return 0;
	fprintf(stderr, "mmlock db: run %lld is %s: findings may be missing (%s)\n",
		(long long)run, status, !strcmp(status, "interrupted") ?
		"its writer was stopped" : "still being written, or its writer was killed");
	return 1;
}

static int filters(struct mmdb *db, struct args *a)
{
	static const char *const statuses[] = {
		"confirmed", "false-positive", "wont-fix", "untriaged",
	};
	size_t i;

	if (a->f.status) {
		for (i = 0; i < sizeof(statuses) / sizeof(statuses[0]); i++)
			if (!strcmp(a->f.status, statuses[i]))
				break;
		if (i == sizeof(statuses) / sizeof(statuses[0]))
			return usage("unknown triage status '%s'", a->f.status);
	}
	if (a->run && a->latest)
		return usage("--run and --latest%s: choose one", "");
	if ((a->run || a->latest) && mmdb_run_resolve(db, a->run ? a->run : "latest", &a->f.run)) {
		fprintf(stderr, "mmlock: %s\n", mmdb_errmsg(db));
		return 2;
	}
	return 0;
}

/* The rules data's documentation of each rule id ($MMLOCK_RULES or this
 * checkout's rules file); none when it cannot be read. */
static struct mmdb_rule_doc *rule_docs(struct mm_rules *rules, int *n)
{
	struct mmdb_rule_doc *docs = NULL;
#ifdef MMLOCK_RULES_DEFAULT
	const char *path = getenv("MMLOCK_RULES") ? getenv("MMLOCK_RULES") : MMLOCK_RULES_DEFAULT;
	char err[256];

	*n = 0;
	if (!mm_rules_load(path, rules, err, sizeof(err)))
		docs = calloc(rules->nrules + rules->nothers + 1, sizeof(*docs));
	for (int i = 0; docs && i < rules->nrules + rules->nothers; i++) {
		const struct mm_rule *r = i < rules->nrules ? &rules->rules[i] :
					  &rules->others[i - rules->nrules];

		docs[(*n)++] = (struct mmdb_rule_doc){ r->id, r->title, r->about, r->help };
	}
#else
	*n = 0;
#endif
	return docs;
}

/* The database, with --run/--latest resolved and --status checked. */
static struct mmdb *open_filtered(struct args *a)
{
	struct mmdb *db = open_db(a, READS);

	if (db && filters(db, a)) {
		mmdb_close(db);
		return NULL;
	}
	return db;
}

static int cmd_list(struct args *a, int export)
{
	unsigned allow = LIST_FORMATS | (export ? 1u << MMDB_SARIF : 0);
	struct mmdb_rule_doc *docs;
	struct mm_rules rules = { 0 };
	struct mmdb *db;
	int fmt, rc, ndocs = 0;

	if (a->npos)
		return usage("unexpected argument '%s'", a->pos[0]);
	if (a->by)
		return usage("--by is an option of stats%s", "");
	if (format(a, export ? MMDB_SARIF : MMDB_TEXT, allow, &fmt))
		return 2;
	db = open_filtered(a);
	if (!db)
		return 2;
	if (a->f.run) {
		char status[16];

		if (mmdb_run_status(db, a->f.run, status))
			return fail(db);
		incomplete(a->f.run, status);
	}
	setvbuf(stdout, NULL, _IOFBF, 1 << 20);	/* a listing can be 200 MB */
	if (fmt != MMDB_SARIF) {
		rc = mmdb_list(db, &a->f, fmt, stdout, NULL);
		return rc ? fail(db) : (mmdb_close(db), 0);
	}
	docs = rule_docs(&rules, &ndocs);
	rc = mmdb_sarif(db, &a->f, docs, ndocs, stdout);
	free(docs);
	if (rules.rules)
		mm_rules_free(&rules);
	return rc ? fail(db) : (mmdb_close(db), 0);
}

static int cmd_html(struct args *a)
{
	struct mm_rules rules = { 0 };
	struct mmdb_html_opts o = { .root = a->root, .db_path = a->db };
	struct mmdb_html_result res;
	struct mmdb_rule_doc *docs;
	struct mmdb *db;
	int rc;

	if (a->npos != 1)
		return usage("html takes one OUTDIR%s", "");
	if (a->by || a->format)
		return usage("html takes filters, --root and OUTDIR%s", "");
	db = open_filtered(a);
	if (!db)
		return 2;
	docs = rule_docs(&rules, &o.ndocs);
	o.docs = docs;
	rc = mmdb_html(db, &a->f, &o, a->pos[0], &res);
	free(docs);
	if (rules.rules)
		mm_rules_free(&rules);
	if (rc)
		return fail(db);
	mmdb_close(db);
	printf("%s/index.html: %ld findings, %ld pages, %.0f kB\n", a->pos[0], res.findings,
	       res.findings + 1, res.bytes / 1e3);
	return 0;
}

static int cmd_stats(struct args *a)
{
	unsigned by = 0;
	struct mmdb *db;
	int fmt;

	if (a->npos)
		return usage("unexpected argument '%s'", a->pos[0]);
	if (format(a, MMDB_TEXT, LIST_FORMATS, &fmt))
		return 2;
	for (const char *p = a->by; p && *p;) {
		size_t n = strcspn(p, ",");

		if (n == 4 && !strncmp(p, "rule", 4))
			by |= MMDB_BY_RULE;
		else if (n == 4 && !strncmp(p, "file", 4))
			by |= MMDB_BY_FILE;
		else if (n == 3 && !strncmp(p, "run", 3))
			by |= MMDB_BY_RUN;
		else
			return usage("--by takes rule, file and run, not '%s'", a->by);
		p += n + (p[n] == ',');
	}
	db = open_filtered(a);
	if (!db)
		return 2;
	if (mmdb_stats(db, &a->f, by, fmt, stdout))
		return fail(db);
	mmdb_close(db);
	return 0;
}

static int cmd_diff(struct args *a)
{
	struct mmdb_diff_counts c;
	int64_t old_run, new_run;
	struct mmdb *db;
	int fmt;

	if (a->npos != 2)
		return usage("diff takes two runs, OLD and NEW%s", "");
	if (format(a, MMDB_TEXT, LIST_FORMATS, &fmt))
		return 2;
	db = open_db(a, READS);
	if (!db)
		return 2;
	if (mmdb_run_resolve(db, a->pos[0], &old_run) ||
	    mmdb_run_resolve(db, a->pos[1], &new_run) ||
	    mmdb_diff(db, old_run, new_run, a->all, fmt, stdout, &c))
		return fail(db);
	mmdb_close(db);
	if ((incomplete(old_run, c.old_status) | incomplete(new_run, c.new_status)) &&
	    !a->allow_incomplete)
		return 2;
	return c.added_untriaged ? 1 : 0;
}

static int cmd_triage(struct args *a)
{
	char fp[17];
	struct mmdb *db;

	if (a->npos != 2)
		return usage("triage takes a FINGERPRINT and a STATUS%s", "");
	db = open_db(a, 0);
	if (!db)
		return 2;
	if (mmdb_triage(db, a->pos[0], a->pos[1], a->note, a->force, fp))
		return fail(db);
	mmdb_close(db);
	printf("%s: %s\n", fp, a->pos[1]);
	return 0;
}

static int cmd_sql(struct args *a)
{
	struct mmdb *db;
	int fmt;

	if (a->npos < 1)
		return usage("sql takes a statement%s", "");
	if (format(a, MMDB_TSV, LIST_FORMATS, &fmt))
		return 2;
	db = open_db(a, MMDB_READONLY);
	if (!db)
		return 2;
	if (mmdb_sql(db, a->pos[0], a->pos + 1, a->npos - 1, fmt, stdout))
		return fail(db);
	mmdb_close(db);
	return 0;
}

static const struct {
	const char *name;
	const struct opt *opts;
} commands[] = {
	{ "init", NULL }, { "import", import_opts }, { "list", filter_opts },
	{ "stats", filter_opts }, { "diff", diff_opts }, { "triage", triage_opts },
	{ "export", filter_opts }, { "sql", NULL }, { "html", filter_opts }, { "help", NULL },
};

int cmd_db(int argc, char **argv)
{
	struct args a = { 0 };
	const struct opt *tables[4] = { common_opts, NULL, NULL, NULL };
	int i = 0, rc;
	size_t c;

	/* options before the command: --db PATH, --help */
	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		const struct opt *o;
		char *eq = strchr(argv[i], '=');

		o = find_opt(tables, argv[i], eq ? (size_t)(eq - argv[i]) : strlen(argv[i]));
		if (o && o->flag)
			a.help = 1, i++;
		else if (o && eq)
			*(const char **)((char *)&a + o->off) = eq + 1, i++;
		else if (o && i + 1 < argc)
			*(const char **)((char *)&a + o->off) = argv[i + 1], i += 2;
		else
			return usage("unknown option '%s'", argv[i]);
	}
	if (i == argc || a.help || !strcmp(argv[i], "help")) {
		fputs(usage_text, i == argc && !a.help ? stderr : stdout);
		return i == argc && !a.help ? 2 : 0;
	}
	for (c = 0; c < sizeof(commands) / sizeof(commands[0]); c++)
		if (!strcmp(argv[i], commands[c].name))
			break;
	if (c == sizeof(commands) / sizeof(commands[0]))
		return usage("unknown command '%s'", argv[i]);
	tables[1] = commands[c].opts;
	if (!strcmp(commands[c].name, "html"))
		tables[2] = root_opt;
	rc = parse(argc - i - 1, argv + i + 1, tables, &a);
	if (rc)
		return rc;
	if (a.help) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (!a.db)
		a.db = getenv("MMLOCK_DB");
	if (!a.db || !*a.db)
		return usage("no database: give --db PATH or set MMLOCK_DB%s", "");
	switch (c) {
	case 0: return cmd_init(&a);
	case 1: return cmd_import(&a);
	case 2: return cmd_list(&a, 0);
	case 3: return cmd_stats(&a);
	case 4: return cmd_diff(&a);
	case 5: return cmd_triage(&a);
	case 6: return cmd_list(&a, 1);
	case 7: return cmd_sql(&a);
	default: return cmd_html(&a);
	}
}
