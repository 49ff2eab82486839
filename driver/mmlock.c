/*
 * mmlock: the command-line driver.
 *
 *   mmlock rules [FILE]      check a rules file and list its rules
 *   mmlock gcc GCC-ARGS...   run gcc with the plugin (findings on stderr)
 *   mmlock version
 *   mmlock db|cocci|check|cc|patch ...   see driver/<command>/cmd_*.c
 *   mmlock install-hook [--force] [DIR]   a git pre-commit hook (driver/hook/cmd_hook.c)
 *
 * This file is the one main and its command table; the commands live in
 * one folder each (driver/commands.h lists them).
 *
 * Exit status: 0 ok, 1 findings (gcc with werror), 2 usage or input error.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../rules/rules.h"
#include "commands.h"
#include "util/util.h"

static int usage(FILE *out, int rc)
{
	fprintf(out, "usage: mmlock rules [FILE] | mmlock gcc GCC-ARGS... | mmlock version\n");
	fprintf(out, "       mmlock db|cocci|check|cc|patch|install-hook ... (--help for each)\n");
	return rc;
}

static int is_help(const char *a)
{
	return !strcmp(a, "-h") || !strcmp(a, "--help") || !strcmp(a, "help");
}

static int cmd_rules(int argc, char **argv)
{
	const char *path = argc > 0 ? argv[0] : MMLOCK_RULES_DEFAULT;
	struct mm_rules r;
	char err[512];

	if (argc > 0 && is_help(argv[0])) {
		printf("usage: mmlock rules [FILE]: check a rules file (default %s), list its rules\n",
		       MMLOCK_RULES_DEFAULT);
		return 0;
	}
	if (argc > 1 || (argc == 1 && argv[0][0] == '-' && argv[0][1])) {
		fprintf(stderr, "mmlock rules: %s '%s' (mmlock rules --help)\n",
			argc > 1 ? "one rules file, not also" : "unknown option", argv[argc > 1]);
		return 2;
	}

	if (mm_rules_load(path, &r, err, sizeof(err))) {
		fprintf(stderr, "mmlock: %s\n", err);
		return 2;
	}
	for (int i = 0; i < r.nrules; i++)
		printf("%s\t%s\n", r.rules[i].id, r.rules[i].title);
	fprintf(stderr, "%s: %d classes, %d rules, %d operations, %d lock fields\n",
		path, r.nclasses, r.nrules, r.nops, r.nfields);
	mm_rules_free(&r);
	return 0;
}

static int cmd_gcc(int argc, char **argv)
{
	const char *gcc = getenv("MMLOCK_GCC") ? getenv("MMLOCK_GCC") : "gcc";
	char **av = calloc(argc + 3, sizeof(char *));
	char plugin[4096];

	snprintf(plugin, sizeof(plugin), "-fplugin=%s", MMLOCK_PLUGIN_DEFAULT);
	av[0] = (char *)gcc;
	av[1] = plugin;
	memcpy(av + 2, argv, argc * sizeof(char *));
	execvp(gcc, av);
	fprintf(stderr, "mmlock: cannot run %s\n", gcc);
	return 2;
}

int main(int argc, char **argv)
{
	/* past ulimit -f a write fails (EFBIG) and is reported, not a signal */
	signal(SIGXFSZ, SIG_IGN);
	if (argc < 2)
		return usage(stderr, 2);
	if (is_help(argv[1]))
		return usage(stdout, 0);
	if (!strcmp(argv[1], "rules"))
		return cmd_rules(argc - 2, argv + 2);
	if (!strcmp(argv[1], "gcc"))
		return cmd_gcc(argc - 2, argv + 2);
	static const struct { const char *name; int (*fn)(int, char **); } sub[] = {
		{ "db", cmd_db }, { "cocci", cmd_cocci },
		{ "check", cmd_check }, { "patch", cmd_patch }, { "install-hook", cmd_install_hook },
		{ "cc", cmd_cc },
	};
	for (size_t i = 0; i < sizeof(sub) / sizeof(sub[0]); i++) {
		if (strcmp(argv[1], sub[i].name))
			continue;
		if (!sub[i].fn) {
			fprintf(stderr, "mmlock: '%s' is not built into this mmlock\n", sub[i].name);
			return 2;
		}
		util_set_cmd(sub[i].name);	/* its messages: "mmlock NAME: ..." */
		return sub[i].fn(argc - 2, argv + 2);
	}
	if (!strcmp(argv[1], "version") || !strcmp(argv[1], "--version")) {
		if (argc > 2) {
			fprintf(stderr, "mmlock: version takes no argument ('%s')\n", argv[2]);
			return 2;
		}
		printf("mmlock 0.1\n");
		return 0;
	}
	fprintf(stderr, "mmlock: unknown command '%s'\n", argv[1]);
	return usage(stderr, 2);
}
