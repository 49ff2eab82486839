/*
 * mmlock patch: what a patch does to the mm locking findings.
 *
 *   mmlock patch [--tree DIR] [--kbuild DIR] [--base REV] [OPTIONS] PATCH...
 *   mmlock patch [--tree DIR] [--staged]             (a git tree: the staged change)
 *   mmlock patch [--tree DIR] --base REV[..HEAD]     (a git tree: a branch)
 *
 * PATCH is a unified diff, git diff or `git format-patch` output, a series
 * of them, an mbox or a mailing-list page saved as text ("-": stdin); the
 * patches of several inputs are applied in order, a series by its
 * "[PATCH n/m]" numbers, quoted replies left out (patch_parse.c).
 * The touched files, as they are in DIR (default: here) or at REV, are
 * copied to a scratch tree and patched there (patch_apply.c; the
 * tree is never written), the engines run on both copies (Coccinelle
 * always; the plugin with kbuild's command when DIR is a configured kernel
 * tree that builds the file), and their findings are compared by
 * fingerprint (patch_diff.c).
 *
 * Prints the findings the patch introduces and those it fixes.  Exit
 * status: 0 nothing introduced, 1 findings introduced (not counting those
 * marked false-positive or wont-fix in $MMLOCK_DB / --db), 2 usage or
 * input error, a patch that does not apply (naming the hunk), an engine
 * that failed.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../../db/internal.h"
#include "../util/util.h"
#include "../commands.h"
#include "patch.h"

struct opts {
	const char *tree, *kbuild, *base, *head, *db, *pick, *cocci_rules;
	const char *plugin_args[32];
	int nplugin_args, jobs, staged, no_plugin, no_cocci, keep, verbose;
	char **inputs;
	int ninputs;
};

struct state {
	struct opts o;
	char tmp[1024];
	char self[PATH_MAX];
	char *top;			/* the git work tree, when one is used */
	struct patch_target *t;
	int nt;
};

static struct state *the_state;

static void cleanup(void)
{
	if (the_state && the_state->tmp[0] && !the_state->o.keep)
		patch_remove_tree(the_state->tmp);
}

/* Killed (^C, make's SIGTERM): the scratch tree goes, then the signal's
 * own exit.  Only async-signal-safe calls: fork, execv, waitpid, raise. */
static void on_signal(int sig)
{
	static char *argv[] = { "/bin/rm", "-rf", "--", NULL, NULL };
	pid_t pid;

	if (the_state && the_state->tmp[0] && !the_state->o.keep) {
		argv[3] = the_state->tmp;
		pid = fork();
		if (pid == 0) {
			execv(argv[0], argv);
			_exit(127);
		}
		if (pid > 0)
			waitpid(pid, NULL, 0);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

/* One line on stderr, the scratch tree removed, exit 2. */
static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;
	char msg[4096];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fputs("mmlock patch: ", stderr);
	mmdb_text_str(stderr, msg);	/* names from the input: no raw control bytes */
	fputc('\n', stderr);
	cleanup();
	exit(2);
}

static int usage(void)
{
	printf("usage: mmlock patch [--tree DIR] [--base REV] [OPTIONS] PATCH...\n"
	       "       mmlock patch [--tree DIR] [--staged | --base REV[..HEAD]]\n"
	       "PATCH: a diff, git format-patch output, a series, an mbox or a saved list page; - for stdin\n"
	       "  --tree DIR        the tree the patch applies to (default: .); the plugin runs\n"
	       "                    when DIR is a configured kernel tree that builds the file\n"
	       "  --kbuild DIR      run the plugin with the commands of this configured kernel\n"
	       "                    tree (default: DIR of --tree, when it is configured)\n"
	       "  --base REV        take the files as they are at REV (a git tree); without\n"
	       "                    PATCH: check REV..HEAD (or REV..X)\n"
	       "  --staged          without PATCH (the default there): check the staged change\n"
	       "  --pick N[,N...]   only these patches of a series ([PATCH N/M])\n"
	       "  --db PATH         triage marks (default $MMLOCK_DB): false-positive and\n"
	       "                    wont-fix findings do not count\n"
	       "  --no-plugin, --no-cocci     leave an engine out\n"
	       "  --plugin-arg KEY[=VALUE]    pass -fplugin-arg-mmlock_plugin-KEY=VALUE\n"
	       "  --cocci-rules IDS           only these semantic patches\n"
	       "  -j N              parallel spatch processes (default 2)\n"
	       "  --keep            keep the scratch tree (its path on stderr)\n"
	       "  -v                say how each patch applied\n"
	       "Exit: 0 nothing introduced, 1 findings introduced, 2 error (or a hunk that does not apply)\n");
	return 0;
}

static const char *value(int argc, char **argv, int *i, const char *name)
{
	size_t n = strlen(name);

	if (!strncmp(argv[*i], name, n) && argv[*i][n] == '=')
		return argv[*i] + n + 1;
	if (*i + 1 >= argc)
		die("%s needs a value (see mmlock patch --help)", name);
	return argv[++*i];
}

static int is_opt(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(arg, name, n) && (arg[n] == 0 || arg[n] == '=');
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	int dashdash = 0;

	o->jobs = 2;
	o->inputs = calloc(argc + 1, sizeof(char *));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (dashdash || a[0] != '-' || !strcmp(a, "-")) {
			o->inputs[o->ninputs++] = argv[i];
		} else if (!strcmp(a, "--")) {
			dashdash = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			return 1;
		} else if (is_opt(a, "--tree")) {
			o->tree = value(argc, argv, &i, "--tree");
		} else if (is_opt(a, "--kbuild")) {
			o->kbuild = value(argc, argv, &i, "--kbuild");
		} else if (is_opt(a, "--base")) {
			o->base = value(argc, argv, &i, "--base");
		} else if (is_opt(a, "--db")) {
			o->db = value(argc, argv, &i, "--db");
		} else if (is_opt(a, "--pick")) {
			o->pick = value(argc, argv, &i, "--pick");
		} else if (is_opt(a, "--cocci-rules")) {
			o->cocci_rules = value(argc, argv, &i, "--cocci-rules");
		} else if (is_opt(a, "--plugin-arg")) {
			if (o->nplugin_args >= 32)
				die("too many --plugin-arg");
			o->plugin_args[o->nplugin_args++] = value(argc, argv, &i, "--plugin-arg");
		} else if (is_opt(a, "-j")) {
			o->jobs = atoi(value(argc, argv, &i, "-j"));
		} else if (!strncmp(a, "-j", 2) && isdigit((unsigned char)a[2])) {
			o->jobs = atoi(a + 2);
		} else if (!strcmp(a, "--staged") || !strcmp(a, "--cached")) {
			o->staged = 1;
		} else if (!strcmp(a, "--no-plugin")) {
			o->no_plugin = 1;
		} else if (!strcmp(a, "--no-cocci")) {
			o->no_cocci = 1;
		} else if (!strcmp(a, "--keep")) {
			o->keep = 1;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			o->verbose = 1;
		} else {
			die("unknown option '%s' (see mmlock patch --help)", a);
		}
	}
	if (o->jobs < 1 || o->jobs > 64)
		die("-j: a number from 1 to 64");
	if (o->staged && o->ninputs)
		die("--staged checks the index: give no PATCH with it");
	if (o->staged && o->base)
		die("--staged and --base: one or the other");
	if (!o->db)
		o->db = util_env_or("MMLOCK_DB", NULL);
	if (o->base) {
		const char *dots = strstr(o->base, "..");

		if (dots) {
			char *b = util_xmemdup(o->base, dots - o->base);

			o->head = dots[2] == '.' ? NULL : dots[2] ? dots + 2 : "HEAD";
			if (!o->head || !*b)
				die("--base %s: give REV or REV..HEAD", o->base);
			o->base = b;
		} else {
			o->head = "HEAD";
		}
		if (dots && o->ninputs)
			die("--base %s..%s with PATCH: give only the base REV", o->base, o->head);
	}
	return 0;
}

/* A path a patch may write: relative, without "..", not empty. */
static int safe_path(const char *p)
{
	if (!*p || *p == '/' || strlen(p) > 2048)
		return 0;
	for (const char *s = p; *s; s = strchr(s, '/') ? strchr(s, '/') + 1 : s + strlen(s))
		if (!strncmp(s, "..", 2) && (s[2] == '/' || !s[2]))
			return 0;
	return 1;
}

static int file_exists(const char *dir, const char *path)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", dir, path);
	return util_is_file(buf);
}

/* The file's contents before the patches: in the tree or at --base. */
static int load_before(struct state *s, const char *path, char **buf, size_t *len)
{
	char full[PATH_MAX];

	if (s->o.base)
		return patch_git_show(s->top, s->o.base, path, buf, len);
	snprintf(full, sizeof(full), "%s/%s", s->o.tree, path);
	if (!file_exists(s->o.tree, path))
		return -1;
	*buf = util_read_file(full, len);
	return *buf ? 0 : -1;
}

static int exists_before(struct state *s, const char *path)
{
	char *buf;
	size_t len;

	if (!s->o.base)
		return file_exists(s->o.tree, path);
	if (patch_git_show(s->top, s->o.base, path, &buf, &len))
		return 0;
	free(buf);
	return 1;
}

static struct patch_target *target(struct state *s, const char *path)
{
	for (int i = 0; i < s->nt; i++)
		if (!strcmp(s->t[i].path, path))
			return &s->t[i];
	s->t = util_xrealloc(s->t, (s->nt + 1) * sizeof(*s->t));
	memset(&s->t[s->nt], 0, sizeof(*s->t));
	s->t[s->nt].path = util_xstrdup(path);
	return &s->t[s->nt++];
}

static int picked(const struct opts *o, const struct patch *p, int pos)
{
	const char *q = o->pick;
	int want = p->num ? p->num : pos;

	if (!q)
		return 1;
	while (*q) {
		char *end;
		long n = strtol(q, &end, 10);

		if (end == q)
			die("--pick %s: numbers separated by commas", o->pick);
		if (n == want)
			return 1;
		q = *end == ',' ? end + 1 : end;
	}
	return 0;
}

/* F's NAME as a path: -p1 as git and most patches; the name as written
 * if only that exists before the patch. */
static const char *pick_path(struct state *s, const struct patch_file *f,
			     const char *(*name)(const struct patch_file *, int))
{
	const char *stripped = name(f, 1), *raw = name(f, 0);

	if (strcmp(stripped, raw) && !exists_before(s, stripped) && exists_before(s, raw))
		return raw;
	return stripped;
}

/* Apply one patch file section F of patch P (from INPUT).  A rename or
 * copy is checked at its new name, with the old file as "before". */
static void apply_file(struct state *s, const char *input, const struct patch *p,
		       const struct patch_file *f)
{
	const char *path = pick_path(s, f, patch_file_path), *from = path;
	const char *subject = p->subject ? p->subject : "";
	struct patch_target *t;
	char err[512], *out;
	size_t outlen;
	int how;

	if (f->old_name && f->new_name)
		from = pick_path(s, f, patch_file_source);
	if (!safe_path(path) || !safe_path(from))
		die("%s: %s: refusing the file name '%s'", input, subject,
		    safe_path(path) ? from : path);
	t = target(s, path);
	if (!t->before && !t->after && !t->functions) {
		t->functions = util_xstrdup("");
		if (!load_before(s, from, &t->before, &t->before_len)) {
			t->after = util_xmemdup(t->before, t->before_len);
			t->after_len = t->before_len;
		} else if (f->old_name) {
			die("%s: %s%s%s: no such file in %s (give --tree DIR or --base REV)", input,
			    subject, *subject ? ": " : "", from,
			    s->o.base ? s->o.base : s->o.tree);
		}
	}
	if (f->binary) {
		util_warn("%s: %s: binary change left out", input, path);
		return;
	}
	if (!f->old_name && t->after)
		die("%s: %s%s%s: the patch creates it, but it exists", input, subject,
		    *subject ? ": " : "", path);
	if (f->old_name && !t->after)
		die("%s: %s%s%s: the patch changes it, but an earlier one deleted it", input,
		    subject, *subject ? ": " : "", path);
	if (patch_apply(t->after ? t->after : "", t->after ? t->after_len : 0, f, &out, &outlen,
			&how, err, sizeof(err)))
		die("%s: %s%s%s: %s", input, subject, *subject ? ": " : "", path, err);
	if (how && s->o.verbose)
		util_warn("%s: %s: applied ignoring whitespace or context lines", input, path);
	free(t->after);
	t->after = out;
	t->after_len = outlen;
	if (!f->new_name) {
		free(t->after);
		t->after = NULL;
	}
}

static void from_patches(struct state *s)
{
	int count = 0;

	if (!s->o.tree)
		s->o.tree = ".";
	if (s->o.base && patch_git_toplevel(s->o.tree, &s->top))
		die("--base %s: %s is not a git work tree", s->o.base, s->o.tree);
	for (int i = 0; i < s->o.ninputs; i++) {
		const char *in = s->o.inputs[i];
		struct patchset ps;
		char err[512], *buf;
		size_t len;
		int pos = 0;

		buf = util_read_file(!strcmp(in, "-") ? "/dev/stdin" : in, &len);
		if (!buf)
			die("%s: %s", in, strerror(errno));
		if (patch_parse(buf, len, &ps, err, sizeof(err)))
			die("%s: %s", in, err);
		free(buf);
		if (ps.replies || ps.duplicates || ps.older_versions)
			util_warn("%s: left out: %d diff(s) in replies, %d repeated patch(es), "
				  "%d of older versions", in, ps.replies, ps.duplicates, ps.older_versions);
		for (int k = 0; k < ps.n; k++) {
			if (!picked(&s->o, &ps.v[k], ++pos))
				continue;
			printf("patch: %s%s\n", ps.v[k].subject ? ps.v[k].subject : in,
			       ps.v[k].subject ? "" : " (a diff)");
			for (int j = 0; j < ps.v[k].nfiles; j++)
				apply_file(s, in, &ps.v[k], &ps.v[k].files[j]);
			count++;
		}
		patchset_free(&ps);
	}
	if (!count)
		die("--pick %s: no such patch in the input", s->o.pick);
}

/* The staged change, or --base REV..HEAD, in the git tree. */
static int from_git(struct state *s)
{
	const char *head = s->o.base ? s->o.head : NULL;
	struct patchset ps;
	char err[512], *buf;
	size_t len;

	if (patch_git_toplevel(s->o.tree ? s->o.tree : ".", &s->top))
		die("no PATCH given, and %s is not a git work tree", s->o.tree ? s->o.tree : ".");
	if (!s->o.tree)
		s->o.tree = s->top;
	if (patch_git_diff(s->top, s->tmp, s->o.base, head, !s->o.base, &buf, &len))
		die("cannot read the change from git");
	if (patch_parse(buf, len, &ps, err, sizeof(err))) {
		free(buf);
		printf("mmlock patch: nothing to check (%s)\n",
		       s->o.base ? "no change in that range" : "no staged change");
		return 0;
	}
	free(buf);
	printf("patch: %s\n", s->o.base ? "the branch" : "the staged change");
	for (int k = 0; k < ps.n; k++)
		for (int j = 0; j < ps.v[k].nfiles; j++) {
			const struct patch_file *f = &ps.v[k].files[j];
			const char *path = patch_file_path(f, 1);
			struct patch_target *t;

			if (f->binary || !safe_path(path))
				continue;
			t = target(s, path);
			t->functions = util_xstrdup("");
			if (f->old_name && patch_git_show(s->top, s->o.base ? s->o.base : "HEAD",
							   patch_file_source(f, 1), &t->before,
							   &t->before_len))
				t->before = NULL;
			if (f->new_name && patch_git_show(s->top, head, path, &t->after, &t->after_len))
				die("%s: not in %s", path, head ? head : "the index");
		}
	patchset_free(&ps);
	return 1;
}

static void add_function(struct patch_target *t, const char *fn)
{
	size_t n = strlen(t->functions), k = strlen(fn);
	const char *p = t->functions;

	while ((p = strstr(p, fn))) {
		if ((p == t->functions || p[-1] == ' ') && (p[k] == ',' || !p[k]))
			return;
		p += k;
	}
	t->functions = util_xrealloc(t->functions, n + k + 3);
	snprintf(t->functions + n, k + 3, "%s%s", n ? ", " : "", fn);
}

/* The functions the change touches: diff -U0 of the two copies, each
 * changed line's enclosing function (the database's reading of it). */
static void touched_functions(struct state *s, struct patch_target *t)
{
	char a[PATH_MAX], b[PATH_MAX], adir[PATH_MAX], bdir[PATH_MAX], *out, err[256];
	char *argv[] = { "diff", "-U0", a, b, NULL };
	struct mmdb_src *src = mmdb_src_new();
	struct patchset ps;
	size_t len;

	snprintf(a, sizeof(a), "a/%s", t->path);
	snprintf(b, sizeof(b), "b/%s", t->path);
	snprintf(adir, sizeof(adir), "%s/a", s->tmp);
	snprintf(bdir, sizeof(bdir), "%s/b", s->tmp);
	if (util_capture(argv, s->tmp, &out, &len, NULL) == 1 &&
	    !patch_parse(out, len, &ps, err, sizeof(err))) {
		for (int f = 0; f < ps.n && ps.v[f].nfiles; f++)
			for (int h = 0; h < ps.v[f].files[0].nhunks; h++) {
				const struct patch_hunk *hk = &ps.v[f].files[0].hunks[h];
				long o = hk->old_start, n = hk->new_start;

				for (int k = 0; k < hk->nlines; k++) {
					const char *root = hk->lines[k].op == '-' ? adir : bdir;
					char *fn = NULL, *stmt = NULL;

					mmdb_src_locate(src, root, t->path,
							hk->lines[k].op == '-' ? o++ : n++, &fn, &stmt);
					if (fn)
						add_function(t, fn);
					free(fn);
					free(stmt);
				}
			}
		patchset_free(&ps);
	}
	free(out);
	mmdb_src_free(src);
}

static void write_side(struct state *s, int side, const struct patch_target *t)
{
	char path[PATH_MAX + 1024];
	const char *buf = side ? t->after : t->before;

	if (!buf)
		return;
	snprintf(path, sizeof(path), "%s/%c/%s", s->tmp, side ? 'b' : 'a', t->path);
	if (patch_write_file(path, buf, side ? t->after_len : t->before_len))
		die("%s: cannot write: %s", path, strerror(errno));
}

int cmd_patch(int argc, char **argv)
{
	static struct state s;
	struct patch_run_opts ro = { 0 };
	struct patch_report_opts rep = { 0 };
	struct patch_findings before = { 0 }, after = { 0 };
	const char *tmpdir = util_tmpdir();
	char err[1024];
	int nplugin, introduced, configured;

	if (parse_args(argc, argv, &s.o))
		return usage();
	the_state = &s;
	if (util_self_exe(s.self, sizeof(s.self)))
		die("cannot find this mmlock (/proc/self/exe)");
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	snprintf(s.tmp, sizeof(s.tmp), "%s/mmlock-patch.XXXXXX", tmpdir);
	if (!mkdtemp(s.tmp)) {
		s.tmp[0] = 0;
		die("%s: cannot make a scratch directory: %s", tmpdir, strerror(errno));
	}
	if (s.o.ninputs)
		from_patches(&s);
	else if (!from_git(&s)) {
		cleanup();
		return 0;
	}
	for (int i = 0; i < s.nt; i++) {
		write_side(&s, 0, &s.t[i]);
		write_side(&s, 1, &s.t[i]);
	}
	if (!s.o.kbuild)
		s.o.kbuild = s.o.tree;
	configured = s.o.kbuild && file_exists(s.o.kbuild, ".config");
	for (int i = 0; i < s.nt; i++) {
		struct patch_target *t = &s.t[i];

		touched_functions(&s, t);
		printf("  %s: %s\n", t->path, !t->before ? "new file" : !t->after ? "deleted" :
		       *t->functions ? t->functions : "no function changed");
	}
	ro.self = s.self;
	ro.tmp = s.tmp;
	ro.tree = configured ? s.o.kbuild : NULL;
	ro.cocci_rules = s.o.cocci_rules;
	ro.plugin_args = s.o.plugin_args;
	ro.nplugin_args = s.o.nplugin_args;
	ro.jobs = s.o.jobs;
	ro.no_cocci = s.o.no_cocci;
	ro.no_plugin = s.o.no_plugin;
	fflush(stdout);
	nplugin = patch_run_engines(&ro, s.t, s.nt, &before, &after, err, sizeof(err));
	if (nplugin < 0)
		die("%s", err);
	printf("  engines: %s; plugin: ", s.o.no_cocci ? "no Coccinelle (--no-cocci)" : "Coccinelle");
	if (nplugin)
		printf("%d file(s), with %s's commands\n", nplugin, s.o.kbuild);
	else
		printf("not run (%s)\n", s.o.no_plugin ? "--no-plugin" :
		       configured ? "the tree does not build these files" :
		       "not a configured kernel tree: see --tree");
	rep.db = s.o.db;
	rep.self = s.self;
	introduced = patch_report(&rep, &before, &after, stdout);
	fflush(stdout);
	if (s.o.keep)
		util_warn("scratch tree kept: %s", s.tmp);
	cleanup();
	patch_findings_free(&before);
	patch_findings_free(&after);
	for (int i = 0; i < s.nt; i++) {
		free(s.t[i].path);
		free(s.t[i].before);
		free(s.t[i].after);
		free(s.t[i].functions);
	}
	free(s.t);
	free(s.top);
	free(s.o.inputs);
	return introduced ? 1 : 0;
}
