/*
 * mmlock patch: the scratch trees, TMP/a and TMP/b: a file written there
 * (its directories made), the tree removed at the end.  Running programs
 * is ../util/proc.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "../util/util.h"
#include "patch.h"

/* mkdir -p of PATH's directory */
static int make_dirs(const char *path)
{
	char buf[4096];

	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0700) && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

int patch_write_file(const char *path, const char *buf, size_t len)
{
	FILE *f;
	int rc;

	if (make_dirs(path) || !(f = fopen(path, "wb")))
		return -1;
	rc = fwrite(buf, 1, len, f) == len ? 0 : -1;
	if (fclose(f))
		rc = -1;
	return rc;
}

/* rm -r DIR (only what this command made there) */
void patch_remove_tree(const char *dir)
{
	char *argv[] = { "rm", "-rf", "--", (char *)dir, NULL };

	if (dir && *dir)
		util_wait(util_spawn(argv, NULL, NULL, "/dev/null", NULL));
}
