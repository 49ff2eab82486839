/*
 * mmlock install-hook: a git pre-commit hook that runs
 * "mmlock patch --staged" and refuses a commit that introduces findings.
 *
 *   mmlock install-hook [--force] [DIR]        (DIR: a git work tree, default .)
 *
 * The hook goes where git looks for hooks (git rev-parse --git-path hooks,
 * so core.hooksPath and worktrees are honoured).  An existing pre-commit
 * hook that is not mmlock's is kept: refused without --force, and with
 * it renamed pre-commit.local and run first by the new hook.  Skipping
 * works as git users expect: git commit --no-verify, or MMLOCK_SKIP=1 (or
 * SKIP=mmlock, the pre-commit framework's variable) in the environment.
 * Triage marks live in $MMLOCK_DB, by default the repository's
 * .git/mmlock.db: the hook's output says how to mark a false positive.
 * An mmlock that cannot check (missing, exit 2) lets the commit through
 * with a message.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../util/util.h"

#define MARKER "mmlock-pre-commit-hook"

static const char hook_text[] =
	"#!/bin/sh\n"
	"# " MARKER ": installed by \"mmlock install-hook\".  Checks the staged change\n"
	"# with \"mmlock patch --staged\"; refuses a commit that introduces mm locking\n"
	"# findings.  Skip it: git commit --no-verify, or MMLOCK_SKIP=1 git commit ...\n"
	"case \"${MMLOCK_SKIP:-}\" in \"\"|0|no|false) ;; *) exit 0 ;; esac\n"
	"case \",${SKIP:-},\" in *,mmlock,*) exit 0 ;; esac\n"
	"hooks=$(dirname \"$0\")\n"
	"if [ -x \"$hooks/pre-commit.local\" ]; then\n"
	"\t\"$hooks/pre-commit.local\" \"$@\" || exit $?\n"
	"fi\n"
	"mmlock=${MMLOCK:-%s}\n"
	"if [ ! -x \"$mmlock\" ]; then\n"
	"\techo \"mmlock pre-commit: $mmlock not found; commit not checked\" >&2\n"
	"\texit 0\n"
	"fi\n"
	"if [ -z \"${MMLOCK_DB:-}\" ]; then\n"
	"\tMMLOCK_DB=$(cd \"$(git rev-parse --git-common-dir)\" && pwd)/mmlock.db\n"
	"\texport MMLOCK_DB\n"
	"fi\n"
	"\"$mmlock\" patch --staged\n"
	"rc=$?\n"
	"case $rc in\n"
	"0) exit 0 ;;\n"
	"1) echo \"mmlock pre-commit: commit refused: it introduces the findings above (skip: git commit --no-verify)\" >&2\n"
	"   exit 1 ;;\n"
	"*) echo \"mmlock pre-commit: the change could not be checked (mmlock exit $rc); commit allowed\" >&2\n"
	"   exit 0 ;;\n"
	"esac\n";

/* S in single quotes for sh */
static char *sh_quote(const char *s)
{
	size_t n = 3;
	char *q, *o;

	for (const char *p = s; *p; p++)
		n += *p == '\'' ? 4 : 1;
	o = q = util_xrealloc(NULL, n);
	*o++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(o, "'\\''", 4);
			o += 4;
		} else {
			*o++ = *p;
		}
	}
	*o++ = '\'';
	*o = 0;
	return q;
}

/* A path of DIR's git directory ("git rev-parse ARG ARG2"), made
 * absolute (to DIR) when git gives it relative. */
static int git_path(const char *dir, const char *arg, const char *arg2, char *buf, size_t len)
{
	char *p = NULL, real[PATH_MAX];

	if (util_git_rev_parse(dir, arg, arg2, &p))
		return -1;
	if (p[0] == '/')
		snprintf(buf, len, "%s", p);
	else
		snprintf(buf, len, "%s/%s", dir, p);
	free(p);
	if (realpath(buf, real))
		snprintf(buf, len, "%s", real);
	return 0;
}

/* The hook's triage database, GIT_COMMON_DIR/mmlock.db, created now so
 * that the false-positive line the hook prints works as printed. */
static int init_db(const char *dir, const char *self)
{
	char db[PATH_MAX + 16], *out = NULL;
	size_t len;
	int rc;

	if (git_path(dir, "--git-common-dir", NULL, db, PATH_MAX))
		return util_error("%s: no git directory", dir);
	strcat(db, "/mmlock.db");
	{
		char *dbargv[] = { (char *)self, "db", "--db", db, "init", NULL };

		rc = util_capture(dbargv, NULL, &out, &len, NULL);
	}
	free(out);
	if (rc)
		return util_error("%s: mmlock db init failed", db);
	printf("triage marks: %s (MMLOCK_DB overrides)\n", db);
	return 0;
}

int cmd_install_hook(int argc, char **argv)
{
	const char *dir = ".";
	char self[PATH_MAX], hook[PATH_MAX], local[PATH_MAX + 8], *quoted, *old;
	int force = 0, ndirs = 0;
	FILE *f;

	for (int i = 0; i < argc; i++) {
		if (!strcmp(argv[i], "--force"))
			force = 1;
		else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			printf("usage: mmlock install-hook [--force] [DIR]\n"
			       "Installs a git pre-commit hook in DIR (default .) running mmlock patch --staged.\n"
			       "--force: keep an existing pre-commit hook as pre-commit.local, run first.\n");
			return 0;
		} else if (argv[i][0] == '-')
			return util_error("unknown option '%s'", argv[i]);
		else if (ndirs++)
			return util_error("one DIR, not also '%s'", argv[i]);
		else
			dir = argv[i];
	}
	if (util_self_exe(self, sizeof(self)))
		return util_error("cannot find this mmlock");
	if (git_path(dir, "--git-path", "hooks", hook, PATH_MAX - 16))
		return util_error("%s: not a git work tree", dir);
	strcat(hook, "/pre-commit");
	snprintf(local, sizeof(local), "%s.local", hook);
	old = util_read_file(hook, NULL);
	if (old && !strstr(old, MARKER)) {
		if (!force) {
			free(old);
			return util_error("%s exists (not mmlock's): --force keeps it as %s, run first",
					  hook, local);
		}
		if (rename(hook, local)) {
			free(old);
			return util_error("%s: %s", local, strerror(errno));
		}
		util_warn("the old hook is now %s, run first", local);
	}
	free(old);
	*strrchr(hook, '/') = 0;
	mkdir(hook, 0777);
	hook[strlen(hook)] = '/';
	quoted = sh_quote(self);
	f = fopen(hook, "w");
	if (!f) {
		free(quoted);
		return util_error("%s: %s", hook, strerror(errno));
	}
	fprintf(f, hook_text, quoted);
	free(quoted);
	if (fclose(f) || chmod(hook, 0755))
		return util_error("%s: %s", hook, strerror(errno));
	printf("installed %s (skip it: git commit --no-verify, or MMLOCK_SKIP=1)\n", hook);
	return init_db(dir, self);
}
