/*
 * mmlock patch: the engines on the two scratch trees, TMP/a (before the
 * patch) and TMP/b (after it), and their findings read back with the
 * database's own parser and fingerprint (db/parse.c, db/source.c,
 * db/fingerprint.c): rule, file, function, normalised statement and
 * message, so a finding that only moved keeps its identity.
 *
 * Coccinelle: one "mmlock cocci" over a/FILE and b/FILE together.
 * The plugin: kbuild's exact command for each touched .c file of a
 * configured tree (scripts/kbuild-analyse.sh), on the before and after
 * copies side by side, with the rules the rules file enables.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "../../db/internal.h"
#include "../util/util.h"
#include "patch.h"

/* TREE/DIR/.NAME.o.cmd: kbuild built FILE (a .c file) in TREE. */
int patch_tree_builds(const char *tree, const char *file)
{
	char path[4096];
	const char *slash = strrchr(file, '/');
	size_t n = strlen(file);

	if (!tree || n < 3 || strcmp(file + n - 2, ".c"))
		return 0;
	snprintf(path, sizeof(path), "%s/%.*s.%.*s.o.cmd", tree,
		 slash ? (int)(slash - file + 1) : 0, file,
		 (int)(n - 2 - (slash ? slash - file + 1 : 0)), slash ? slash + 1 : file);
	return util_is_file(path);
}

static void add_finding(struct patch_findings *fs, struct patch_finding *f)
{
	fs->v = util_xrealloc(fs->v, (fs->n + 1) * sizeof(*fs->v));
	fs->v[fs->n++] = *f;
}

static void append(char **text, const char *line)
{
	size_t a = *text ? strlen(*text) : 0, b = strlen(line);

	*text = util_xrealloc(*text, a + b + 2);
	memcpy(*text + a, line, b);
	(*text)[a + b] = '\n';
	(*text)[a + b + 1] = 0;
}

/* The fingerprint of F as the database computes it (db/store.c). */
static void fingerprint(struct mmdb_src *src, struct patch_finding *f, const char *root,
			const char *tree)
{
	char path[4096], *fn = NULL, *stmt = NULL, *msg = mmdb_norm_message(f->message);
	const char *r = root;
	int readable;

	snprintf(path, sizeof(path), "%s/%s", root, f->file);
	if (!util_is_file(path) && tree)
		r = tree;
	readable = !mmdb_src_locate(src, r, f->file, f->line, &fn, &stmt);
	mmdb_fingerprint(f->rule, f->file, readable && fn ? fn : "", readable ? stmt : msg,
			 msg, f->fp);
	f->function = fn;
	free(stmt);
	free(msg);
}

/*
 * Read diagnostics OUT of ENGINE into FS: the findings with an
 * [mmlock:RULE] tag and their notes; file names that start with one of
 * PREFIXES lose it (the scratch tree), so both sides name FILE alike;
 * with ONLY_PREFIXED, lines of other files are not this side's.  -1 (ERR
 * names it) when a line with a tag cannot be read: never a lost finding.
 */
int patch_collect(struct patch_findings *fs, const char *out, const char *const *prefixes,
		  int only_prefixed, const char *engine, const char *root, const char *tree,
		  char *err, size_t errlen)
{
	int rc = 0;

	struct mmdb_src *src = mmdb_src_new();
	struct patch_finding *cur = NULL;
	const char *p = out;

	while (p && *p) {
		size_t n = strcspn(p, "\n");
		char *line = util_xmemdup(p, n), *copy;
		struct mmdb_diag d;

		p += n + (p[n] == '\n');
		int mine = !only_prefixed;

		for (int i = 0; prefixes[i]; i++) {
			size_t k = strlen(prefixes[i]);

			if (!strncmp(line, prefixes[i], k)) {
				memmove(line, line + k, n - k + 1);
				mine = 1;
				break;
			}
		}
		if (!mine) {
			free(line);
			cur = NULL;
			continue;
		}
		copy = util_xstrdup(line);
		memset(&d, 0, sizeof(d));
		switch (mmdb_parse_line(copy, &d)) {
		case DIAG_FINDING:
			cur = NULL;
			if (d.mmlock) {
				struct patch_finding f = { 0 };

				f.rule = util_xstrdup(d.rule);
				f.file = util_xstrdup(d.file);
				f.message = util_xstrdup(d.message);
				f.engine = engine;
				f.line = d.line;
				f.col = d.col;
				append(&f.text, line);
				fingerprint(src, &f, root, tree);
				add_finding(fs, &f);
				cur = &fs->v[fs->n - 1];
			}
			break;
		case DIAG_NOTE:
			if (cur)
				append(&cur->text, line);
			break;
		case DIAG_BAD:
			if (!rc && strstr(line, "[mmlock:")) {
				snprintf(err, errlen, "%s: unreadable line (%s): %.200s", engine, d.why,
					 line);
				rc = -1;
			}
			break;
		default:
			break;
		}
		free(copy);
		free(line);
	}
	mmdb_src_free(src);
	return rc;
}

void patch_findings_free(struct patch_findings *fs)
{
	for (int i = 0; i < fs->n; i++) {
		free(fs->v[i].rule);
		free(fs->v[i].file);
		free(fs->v[i].message);
		free(fs->v[i].function);
		free(fs->v[i].text);
	}
	free(fs->v);
	fs->v = NULL;
	fs->n = 0;
}

/* Lines of the file at PATH that name a scratch file of side B, with
 * the side's directory taken off, to stderr. */
static void pass_on(const char *path, const char *side)
{
	char *text = util_read_file(path, NULL), *p = text;
	size_t k = strlen(side);

	while (p && *p) {
		size_t n = strcspn(p, "\n");

		if (n > k && !strncmp(p, side, k))
			util_warn("%.*s", (int)(n - k), p + k);
		p += n + (p[n] == '\n');
	}
	free(text);
}

static int run_cocci(const struct patch_run_opts *o, const struct patch_target *t, int nt,
		     struct patch_findings *before, struct patch_findings *after, char *err, size_t errlen)
{
	char **argv = util_xrealloc(NULL, (2 * nt + 10) * sizeof(char *));
	char outp[4096], errp[4096], jobs[16], adir[4096], bdir[4096];
	const char *pa[] = { "a/", NULL }, *pb[] = { "b/", NULL };
	int argc = 0, nfiles = 0, rc;
	char *out;

	snprintf(jobs, sizeof(jobs), "%d", o->jobs > 0 ? o->jobs : 2);
	argv[argc++] = (char *)o->self;
	argv[argc++] = "cocci";
	argv[argc++] = "-j";
	argv[argc++] = jobs;
	if (o->cocci_rules) {
		argv[argc++] = "--rules";
		argv[argc++] = (char *)o->cocci_rules;
	}
	for (int side = 0; side < 2; side++)
		for (int i = 0; i < nt; i++) {
			size_t n = strlen(t[i].path);
			char *arg;

			if (!(side ? t[i].after : t[i].before) || n < 2 ||
			    (strcmp(t[i].path + n - 2, ".c") && strcmp(t[i].path + n - 2, ".h")))
				continue;
			arg = util_xrealloc(NULL, n + 3);
			snprintf(arg, n + 3, "%c/%s", side ? 'b' : 'a', t[i].path);
			argv[argc++] = arg;
			nfiles++;
		}
	argv[argc] = NULL;
	if (!nfiles) {
		free(argv);
		return 0;
	}
	snprintf(outp, sizeof(outp), "%s/cocci.out", o->tmp);
	snprintf(errp, sizeof(errp), "%s/cocci.err", o->tmp);
	rc = util_wait(util_spawn(argv, o->tmp, NULL, outp, errp));
	for (int i = argc - nfiles; i < argc; i++)
		free(argv[i]);
	free(argv);
	if (rc != 0 && rc != 1) {
		char *e = util_read_file(errp, NULL);

		snprintf(err, errlen, "the Coccinelle engine failed (mmlock cocci exit %d): %.*s", rc,
			 e ? (int)strcspn(e, "\n") : 0, e ? e : "");
		free(e);
		return -1;
	}
	pass_on(errp, "b/");
	out = util_read_file(outp, NULL);
	snprintf(adir, sizeof(adir), "%s/a", o->tmp);
	snprintf(bdir, sizeof(bdir), "%s/b", o->tmp);
	rc = patch_collect(before, out, pa, 1, "cocci", adir, o->tree, err, errlen) ||
	     patch_collect(after, out, pb, 1, "cocci", bdir, o->tree, err, errlen);
	free(out);
	return rc ? -1 : 0;
}

/* The plugin on both copies of one file; 0, or 1 when a copy does not
 * compile (*why says which), and nothing of the file is kept; -1 when a
 * line of its output with a tag cannot be read (*why). */
static int run_plugin_file(const struct patch_run_opts *o, const char *file,
			   struct patch_findings *before, struct patch_findings *after,
			   char *why, size_t whylen)
{
	char script[4096], src[2][4096], outp[2][4096], pre[2][4096], dir[2][4096];
	struct patch_findings got[2] = { { 0 } };
	int rc[2];
	pid_t pid[2];

	snprintf(script, sizeof(script), "%s/scripts/kbuild-analyse.sh", MMLOCK_HOME);
	for (int s = 0; s < 2; s++) {
		char *argv[64];
		int argc = 0;

		snprintf(dir[s], sizeof(dir[s]), "%s/%c", o->tmp, s ? 'b' : 'a');
		snprintf(src[s], sizeof(src[s]), "%s/%s", dir[s], file);
		snprintf(pre[s], sizeof(pre[s]), "%s/", dir[s]);
		snprintf(outp[s], sizeof(outp[s]), "%s/plugin-%c.out", o->tmp, s ? 'b' : 'a');
		argv[argc++] = script;
		argv[argc++] = (char *)o->tree;
		argv[argc++] = (char *)file;
		argv[argc++] = src[s];
		for (int i = 0; i < o->nplugin_args && argc < 62; i++)
			argv[argc++] = (char *)o->plugin_args[i];
		argv[argc] = NULL;
		pid[s] = util_spawn(argv, NULL, NULL, outp[s], outp[s]);
	}
	for (int s = 0; s < 2; s++)
		rc[s] = util_wait(pid[s]);
	for (int s = 0; s < 2; s++) {
		char *out = util_read_file(outp[s], NULL);
		const char *prefixes[] = { pre[s], NULL };

		if (rc[s] != 0) {
			const char *e = out ? strstr(out, "error:") : NULL;

			snprintf(why, whylen, "%s does not compile %s the patch%s%.*s", file,
				 s ? "after" : "before", e ? ": " : "",
				 e ? (int)strcspn(e, "\n") : 0, e ? e : "");
			free(out);
			patch_findings_free(&got[0]);
			return 1;
		}
		if (patch_collect(&got[s], out, prefixes, 0, "gcc-plugin", dir[s], o->tree, why,
				  whylen)) {
			free(out);
			patch_findings_free(&got[0]);
			patch_findings_free(&got[1]);
			return -1;
		}
		free(out);
	}
	for (int s = 0; s < 2; s++) {
		struct patch_findings *to = s ? after : before;

		for (int i = 0; i < got[s].n; i++)
			add_finding(to, &got[s].v[i]);
		free(got[s].v);
	}
	return 0;
}

int patch_run_engines(const struct patch_run_opts *o, const struct patch_target *t, int nt,
		      struct patch_findings *before, struct patch_findings *after, char *err, size_t errlen)
{
	int plugin_files = 0, plugin_skipped = 0;

	if (!o->no_cocci && run_cocci(o, t, nt, before, after, err, errlen))
		return -1;
	for (int i = 0; o->tree && !o->no_plugin && i < nt; i++) {
		char why[512];

		if (!t[i].before || !t[i].after || !patch_tree_builds(o->tree, t[i].path)) {
			plugin_skipped += t[i].after && strlen(t[i].path) > 2 &&
					  !strcmp(t[i].path + strlen(t[i].path) - 2, ".c");
			continue;
		}
		int r = run_plugin_file(o, t[i].path, before, after, why, sizeof(why));

		if (r < 0) {
			snprintf(err, errlen, "%s", why);
			return -1;
		}
		if (r) {
			util_warn("plugin: %s; Coccinelle only for it", why);
			plugin_skipped++;
			continue;
		}
		plugin_files++;
	}
	return plugin_files;
}
