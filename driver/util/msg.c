/*
 * driver/util/msg.c: the running command's name and its messages.
 *
 * Every message a command prints about its input is one line on stderr,
 * "mmlock CMD: INPUT: why"; util_cmd is the "mmlock CMD" part, set once
 * by mmlock.c's dispatch.  Also the order of places FILE:LINE:COL that
 * findings are printed in (mmlock cocci, mmlock patch).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util.h"

const char *util_cmd = "mmlock";

void util_set_cmd(const char *name)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "mmlock %s", name);
	util_cmd = buf;
}

static void vwarn(const char *fmt, va_list ap)
{
	char msg[8192];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	fprintf(stderr, "%s: %s\n", util_cmd, msg);
}

void util_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
}

int util_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn(fmt, ap);
	va_end(ap);
	return 2;
}

int util_place_cmp(const char *fa, int la, int ca, const char *fb, int lb, int cb)
{
	int c = strcmp(fa, fb);

	if (c)
		return c;
	if (la != lb)
		return la < lb ? -1 : 1;
	return ca < cb ? -1 : ca > cb;
}
