/*
 * fuzz_rules: the rules parser (rules/rules.c) on arbitrary input.
 *
 * Each input is a rules file: it is written to a memfd and loaded with
 * mm_rules_load() through /proc/self/fd/N, as the plugin and `mmlock
 * rules` load a file; a file that loads is then queried the way the
 * plugin does (every op's function, class, rule and field looked up).
 * A load that fails must say why ("PATH:LINE: ..." or "PATH: ...").
 *
 * libFuzzer: make fuzz (clang -fsanitize=fuzzer,address,undefined);
 * regression: tests/fuzz/run.sh (gcc -fsanitize=address,undefined and
 * fuzz/regress_main.c).
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "../rules/rules.h"

static int fd = -1;
static char path[64];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mm_rules r;
	char err[512];

	if (fd < 0) {
		fd = memfd_create("mmlock-fuzz-rules", 0);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
		abort();
	err[0] = 0;
	if (mm_rules_load(path, &r, err, sizeof(err))) {
		if (strncmp(err, path, strlen(path)))
			abort();	/* an error that does not name the file */
		return 0;
	}
	for (int i = 0; i < r.nops; i++) {
		const struct mm_op *op = mm_rules_lookup(&r, r.ops[i].func);

		if (!op || strcmp(op->func, r.ops[i].func))
			abort();
		while (op && op != &r.ops[i])
			op = mm_rules_next(&r, op);
		if (op != &r.ops[i])
			abort();	/* every op reachable from its function's first */
		if (op->cls >= r.nclasses || op->rule >= r.nrules)
			abort();
		(void)mm_dir_name(op->dir);
	}
	for (int i = 0; i < r.nclasses; i++)
		if (mm_rules_class(&r, r.classes[i].name) != i)
			abort();
	for (int i = 0; i < r.nrules; i++)
		if (mm_rules_rule(&r, r.rules[i].id) != i)
			abort();
	for (int i = 0; i < r.nfields; i++)
		if (!mm_rules_field(&r, r.fields[i].strct, r.fields[i].field) ||
		    r.fields[i].cls < 0 || r.fields[i].cls >= r.nclasses)
			abort();
	for (int i = 0; i < r.nvmafacts; i++)
		if (!mm_rules_vmafact(&r, r.vmafacts[i].name, r.vmafacts[i].is_pred) ||
		    !mm_rules_vmarole(&r, r.vmafacts[i].role))
			abort();
	mm_rules_free(&r);
	return 0;
}
