/*
 * check_args.c: what kbuild passes to its CHECK program, split three ways.
 *
 * kbuild runs `$(CHECK) $(CHECKFLAGS) $(c_flags) $<`.  CHECKFLAGS are
 * sparse's (-D__linux__ ... -Wbitwise -Wno-return-void --arch=x86
 * -mlittle-endian -m64, and the user's CF=); c_flags are the compiler's
 * and always begin with the dependency option -Wp,-MMD,DIR/.FILE.o.d.
 * So:
 *  - mmlock's own options (--no-sparse, --db=..., see cmd_check.c) are
 *    taken out wherever they are, which lets CF= carry them;
 *  - sparse gets everything else, exactly as it would have as the CHECK;
 *  - gcc gets only what follows -Wp,-MMD,... (kbuild's own compiler flags,
 *    without the dependency file, which is the compiler's job to write),
 *    or, when there is no such option (a hand-made command line), every
 *    flag but sparse's own ones.  -D__CHECKER__ never reaches gcc: it
 *    switches the kernel headers to their annotated forms.
 * gcc runs the plugin in analysis-only mode: -S -o /dev/null, -w (the
 * compile proper has shown gcc's own warnings already), the source last.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../util/util.h"
#include "check.h"

#ifndef MMLOCK_PLUGIN_DEFAULT
#define MMLOCK_PLUGIN_DEFAULT "mmlock_plugin.so"
#endif

/* sparse's -W options gcc does not know (sparse 0.6.4) */
static const char *const sparse_warnings[] = {
	"address-space", "bitwise", "bitwise-pointer", "cast-from-as",
	"cast-to-as", "cast-truncate", "constant-suffix", "constexpr-not-const",
	"context", "decl", "default-bitfield-sign", "do-while", "enum-mismatch",
	"external-function-has-definition", "flexible-array-array",
	"flexible-array-nested", "flexible-array-sizeof", "flexible-array-union",
	"init-cstring", "memcpy-max-count", "non-pointer-null", "newline-eof",
	"old-initializer", "one-bit-signed-bitfield", "override-init-all",
	"paren-string", "past-deep-designator", "ptr-subtraction-blows", "return-void",
	"sizeof-bool", "sparse-all", "sparse-error", "transparent-union", "typesign",
	"union-cast", "universal-initializer", "unknown-attribute", NULL,
};

/* sparse's other own options: exact, prefixes (ending in '='), with a value */
static const char *const sparse_exact[] = {
	"-mlittle-endian", "-mbig-endian", "-msize-long", "-msize-llp64", "-m16",
	"--version", NULL,
};
static const char *const sparse_prefix[] = {
	"--arch=", "--os=", "-fdump-ir", "-fmemcpy-max-count=", "-fmax-warnings=",
	"-fdiagnostic-prefix", "-v", NULL,
};
static const char *const sparse_with_value[] = { "-gcc-base-dir", "-multiarch-dir", NULL };

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

static int has_prefix(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strncmp(s, *list, strlen(*list)))
			return 1;
	return 0;
}

static int starts(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/* Never for gcc, wherever it stands. */
static int never_for_gcc(const char *a)
{
	return starts(a, "-Wp,-MMD,") || starts(a, "-Wp,-MD,") ||
	       !strcmp(a, "-D__CHECKER__") || starts(a, "-D__CHECKER__=") ||
	       !strcmp(a, "-D__CHECK_ENDIAN__");
}

/* A flag of sparse's own (only asked when kbuild did not split them). */
static int sparse_only(const char *a)
{
	if (a[0] == '-' && a[1] == 'W') {
		const char *w = a + 2;

		if (starts(w, "no-"))
			w += 3;
		if (in_list(w, sparse_warnings))
			return 1;
	}
	return in_list(a, sparse_exact) || has_prefix(a, sparse_prefix);
}

/* mmlock's own options: "--name" flags and "--name=value" strings. */
static int own_option(const char *a, struct check_opts *o)
{
	static const struct { const char *name; size_t off; } str[] = {
		{ "--gcc=", offsetof(struct check_opts, gcc) },
		{ "--sparse=", offsetof(struct check_opts, sparse) },
		{ "--plugin=", offsetof(struct check_opts, plugin) },
		{ "--rules=", offsetof(struct check_opts, rules) },
		{ "--enable=", offsetof(struct check_opts, enable) },
		{ "--disable=", offsetof(struct check_opts, disable) },
		{ "--max-states=", offsetof(struct check_opts, max_states) },
		{ "--db=", offsetof(struct check_opts, db) },
		{ "--run-key=", offsetof(struct check_opts, run_key) },
	};
	static const struct { const char *name; size_t off; } flag[] = {
		{ "--no-sparse", offsetof(struct check_opts, no_sparse) },
		{ "--no-db", offsetof(struct check_opts, no_db) },
		{ "--werror", offsetof(struct check_opts, werror) },
		{ "--help", offsetof(struct check_opts, help) },
	};

	for (size_t i = 0; i < sizeof(str) / sizeof(str[0]); i++)
		if (starts(a, str[i].name)) {
			*(const char **)((char *)o + str[i].off) = a + strlen(str[i].name);
			return 1;
		}
	for (size_t i = 0; i < sizeof(flag) / sizeof(flag[0]); i++)
		if (!strcmp(a, flag[i].name)) {
			*(int *)((char *)o + flag[i].off) = 1;
			return 1;
		}
	return 0;
}

/* "-fplugin-arg-mmlock_plugin-KEY=VALUE", malloc'ed and remembered in C */
static char *plugin_arg(struct check_cmd *c, const char *key, const char *value)
{
	const char *pre = "-fplugin-arg-mmlock_plugin-";
	size_t n = strlen(pre) + strlen(key) + (value ? strlen(value) + 1 : 0) + 1;
	char *s = malloc(n);

	if (s) {
		snprintf(s, n, "%s%s%s%s", pre, key, value ? "=" : "", value ? value : "");
		c->owned[c->nowned++] = s;
	}
	return s;
}

static int build_gcc(struct check_cmd *c, char **rest, int nrest)
{
	const struct check_opts *o = &c->o;
	int first = 0, n = 0;
	char **av = calloc(nrest + 16, sizeof(char *));
	char *pl;

	if (!av)
		return -1;
	for (int i = 0; i < nrest - 1; i++)
		if (starts(rest[i], "-Wp,-MMD,") || starts(rest[i], "-Wp,-MD,")) {
			first = i + 1;
			c->kbuild = 1;
			break;
		}
	av[n++] = (char *)o->gcc;
	for (int i = first; i < nrest - 1; i++) {
		if (never_for_gcc(rest[i]))
			continue;
		if (!c->kbuild && in_list(rest[i], sparse_with_value)) {
			i++;
			continue;
		}
		if (!c->kbuild && sparse_only(rest[i]))
			continue;
		av[n++] = rest[i];
	}
	av[n++] = "-w";
	av[n++] = "-S";
	av[n++] = "-o";
	av[n++] = "/dev/null";
	pl = malloc(strlen(o->plugin) + 10);
	if (!pl)
		return -1;
	sprintf(pl, "-fplugin=%s", o->plugin);
	c->owned[c->nowned++] = pl;
	av[n++] = pl;
	av[n++] = plugin_arg(c, "analysis-only", NULL);
	if (o->rules)
		av[n++] = plugin_arg(c, "rules", o->rules);
	if (o->enable)
		av[n++] = plugin_arg(c, "enable", o->enable);
	if (o->disable)
		av[n++] = plugin_arg(c, "disable", o->disable);
	if (o->max_states)
		av[n++] = plugin_arg(c, "max-states", o->max_states);
	av[n++] = rest[nrest - 1];
	av[n] = NULL;
	c->gcc_argv = av;
	return 0;
}

int check_parse_args(int argc, char **argv, struct check_cmd *c, char *err, size_t len)
{
	struct check_opts *o = &c->o;
	char **rest = calloc(argc + 2, sizeof(char *));
	int nrest = 0;

	memset(c, 0, sizeof(*c));
	if (!rest) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	o->gcc = util_env_or("MMLOCK_GCC", "gcc");
	o->sparse = util_env_or("MMLOCK_SPARSE", "sparse");
	o->plugin = util_env_or("MMLOCK_PLUGIN", MMLOCK_PLUGIN_DEFAULT);
	o->db = util_env_or("MMLOCK_DB", NULL);
	for (int i = 0; i < argc; i++)
		if (!own_option(argv[i], o))
			rest[nrest++] = argv[i];
	if (o->help) {
		free(rest);
		return 0;
	}
	if (!nrest || rest[nrest - 1][0] == '-') {
		snprintf(err, len, "no source file: the C file comes last (mmlock check --help)");
		free(rest);
		return -1;
	}
	c->src = rest[nrest - 1];
	if (access(c->src, R_OK)) {
		snprintf(err, len, "%s: cannot read: %s", c->src, strerror(errno));
		free(rest);
		return -1;
	}
	if (!*o->gcc || !*o->sparse || !*o->plugin) {
		snprintf(err, len, "--gcc=, --sparse= and --plugin= need a value");
		free(rest);
		return -1;
	}
	if (o->no_db || (o->db && !*o->db))
		o->db = NULL;
	if (build_gcc(c, rest, nrest)) {
		snprintf(err, len, "out of memory");
		free(rest);
		return -1;
	}
	/* sparse: the same vector, its own program name first */
	memmove(rest + 1, rest, nrest * sizeof(char *));
	rest[0] = (char *)o->sparse;
	rest[nrest + 1] = NULL;
	c->sparse_argv = rest;
	return 0;
}

void check_free_cmd(struct check_cmd *c)
{
	while (c->nowned)
		free(c->owned[--c->nowned]);
	free(c->gcc_argv);
	free(c->sparse_argv);
	memset(c, 0, sizeof(*c));
}
