#define _GNU_SOURCE
/*
 * regress_main: a fuzz harness without libFuzzer.  Feeds every FILE (or
 * every regular file in a DIR) named on the command line to
 * LLVMFuzzerTestOneInput once, as libFuzzer would replay it; with
 * -fsanitize=address,undefined -fno-sanitize-recover=all any sanitizer
 * report ends the run with a non-zero status.  Prints the number of
 * inputs run.  Used by tests/fuzz/run.sh.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static long ran;

static void run_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f || fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET)) {
		fprintf(stderr, "regress: %s: cannot read\n", path);
		exit(2);
	}
	buf = malloc(n ? n : 1);
	if (!buf || fread(buf, 1, n, f) != (size_t)n) {
		fprintf(stderr, "regress: %s: cannot read\n", path);
		exit(2);
	}
	fclose(f);
	fprintf(stderr, "regress: %s\n", path);	/* names the input a report is about */
	LLVMFuzzerTestOneInput(buf, n);
	free(buf);
	ran++;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++) {
		struct stat sb;
		DIR *d;
		struct dirent *e;
		char **names = NULL;
		int n = 0;

		if (stat(argv[i], &sb)) {
			fprintf(stderr, "regress: %s: no such file\n", argv[i]);
			return 2;
		}
		if (!S_ISDIR(sb.st_mode)) {
			run_file(argv[i]);
			continue;
		}
		d = opendir(argv[i]);
		while (d && (e = readdir(d))) {
			char *p;

			if (e->d_name[0] == '.')
				continue;
			if (asprintf(&p, "%s/%s", argv[i], e->d_name) < 0)
				return 2;
			if (stat(p, &sb) || !S_ISREG(sb.st_mode)) {
				free(p);
				continue;
			}
			names = realloc(names, (n + 1) * sizeof(*names));
			names[n++] = p;
		}
		if (d)
			closedir(d);
		if (n)
			qsort(names, n, sizeof(*names), by_name);
		for (int k = 0; k < n; k++) {
			run_file(names[k]);
			free(names[k]);
		}
		free(names);
	}
	printf("%ld inputs\n", ran);
	return 0;
}
