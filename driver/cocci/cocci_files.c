/*
 * The input files of mmlock cocci: files named on the command line (any
 * name), the .c and .h files under directories named there (hidden
 * directories and symbolic links to directories are skipped, as
 * coccicheck's --dir does), and file lists (--files-from).  Also finds the
 * version of the kernel tree a path is in, from the top Makefile.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "../util/util.h"
#include "cocci.h"

static void add_file(struct cocci_files *fs, const char *path, long size)
{
	struct cocci_file *f;

	if (fs->n == fs->cap) {
		fs->cap = fs->cap ? fs->cap * 2 : 256;
		fs->v = util_xrealloc(fs->v, fs->cap * sizeof(*fs->v));
	}
	f = &fs->v[fs->n++];
	f->path = util_xstrdup(path);
	f->size = size;
	f->rules = 0;
	f->err = 0;
}

static int is_source(const char *name)
{
	size_t n = strlen(name);

	return n > 2 && name[n - 2] == '.' &&
	       (name[n - 1] == 'c' || name[n - 1] == 'h');
}

static void walk(struct cocci_files *fs, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[PATH_MAX];

	if (!d) {	/* cocci_drop_unreadable reports it */
		int e = errno;

		add_file(fs, dir, 0);
		fs->v[fs->n - 1].err = e;
		return;
	}
	while ((de = readdir(d))) {
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		/* "." lists "mm/x.c", as kbuild names files, not "./mm/x.c" */
		if (snprintf(path, sizeof(path), "%s%s%s",
			     strcmp(dir, ".") ? dir : "",
			     strcmp(dir, ".") ? "/" : "", de->d_name) >=
		    (int)sizeof(path))
			continue;
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode))
			walk(fs, path);
		else if (is_source(de->d_name) &&
			 (S_ISREG(st.st_mode) ||
			  (S_ISLNK(st.st_mode) && !stat(path, &st) &&
			   S_ISREG(st.st_mode))))
			add_file(fs, path, st.st_size);
	}
	closedir(d);
}

int cocci_add_path(struct cocci_files *fs, const char *path,
		   char *err, size_t errlen)
{
	struct stat st;
	char clean[PATH_MAX];
	size_t n;

	if (stat(path, &st)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(clean, sizeof(clean), "%s", path);
	n = strlen(clean);
	while (n > 1 && clean[n - 1] == '/')
		clean[--n] = '\0';
	if (S_ISDIR(st.st_mode))
		walk(fs, clean);
	else if (S_ISREG(st.st_mode))
		add_file(fs, clean, st.st_size);
	else {
		snprintf(err, errlen, "%s: not a file or directory", path);
		return -1;
	}
	return 0;
}

int cocci_add_list(struct cocci_files *fs, const char *listfile,
		   char *err, size_t errlen)
{
	FILE *f = strcmp(listfile, "-") ? fopen(listfile, "r") : stdin;
	char line[PATH_MAX + 2];
	int rc = 0;

	if (!f) {
		snprintf(err, errlen, "%s: %s", listfile, strerror(errno));
		return -1;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0])
			rc = cocci_add_path(fs, line, err, errlen);
	}
	if (f != stdin)
		fclose(f);
	return rc;
}

int cocci_drop_unreadable(struct cocci_files *fs, struct cocci_report *rep)
{
	int kept = 0, dropped = 0;

	for (int i = 0; i < fs->n; i++) {
		struct cocci_file *f = &fs->v[i];
		int fd = f->err ? -1 : open(f->path, O_RDONLY);
		char why[256];

		if (fd >= 0) {
			close(fd);
			fs->v[kept++] = *f;
			continue;
		}
		snprintf(why, sizeof(why), "not analysed: %s", strerror(f->err ? f->err : errno));
		cocci_add_bad(rep, f->path, why);
		free(f->path);
		dropped++;
	}
	fs->n = kept;
	return dropped;
}

void cocci_free_files(struct cocci_files *fs)
{
	for (int i = 0; i < fs->n; i++)
		free(fs->v[i].path);
	free(fs->v);
	memset(fs, 0, sizeof(*fs));
}

/* "VERSION = 6" / "PATCHLEVEL = 1" in the first lines of a Makefile. */
static int makefile_version(const char *mk)
{
	FILE *f = fopen(mk, "r");
	char line[256];
	int major = -1, minor = -1, lines = 0;

	if (!f)
		return 0;
	while (lines++ < 16 && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "VERSION = ", 10))
			major = atoi(line + 10);
		else if (!strncmp(line, "PATCHLEVEL = ", 13))
			minor = atoi(line + 13);
	}
	fclose(f);
	return major > 0 && minor >= 0 ? major * 100 + minor : 0;
}

int cocci_kernel_version(const char *path)
{
	char dir[PATH_MAX], mk[PATH_MAX + 16];
	struct stat st;

	if (!realpath(path, dir))
		return 0;
	if (!stat(dir, &st) && !S_ISDIR(st.st_mode)) {
		char *slash = strrchr(dir, '/');

		if (slash)
			*slash = '\0';
	}
	for (;;) {
		char *slash;
		int v;

		snprintf(mk, sizeof(mk), "%s/Makefile", dir);
		v = makefile_version(mk);
		if (v)
			return v;
		slash = strrchr(dir, '/');
		if (!slash || slash == dir)
			return 0;
		*slash = '\0';
	}
}
