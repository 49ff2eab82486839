# cocci/cocci.mk: the Coccinelle engine's part of the build, included by
# the top Makefile.
#
#   build/mmlock        gets "mmlock cocci" (driver/cmd_cocci.c, cocci_*.c)
#   make bench-cocci    times mmlock cocci on mm/ and on the whole kernel
#                       tree, with and without the file pre-filter, next to
#                       the kernel's own double_lock.cocci over the same
#                       tree; results in build/bench-cocci.txt
#
# The tree is $(COCCI_TREE) (the cached Debian linux-source-6.1, read only).

DRIVER_SRC += driver/cmd_cocci.c driver/cocci_rules.c driver/cocci_files.c \
	      driver/cocci_scan.c driver/cocci_jobs.c driver/cocci_out.c \
	      driver/cocci_util.c

COCCI_TREE ?= $(HOME)/.cache/mmlock/linux-6.1
COCCI_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

bench-cocci: build/mmlock
	@tests/cocci/bench.sh "$(COCCI_TREE)" $(COCCI_JOBS) | tee build/bench-cocci.txt

.PHONY: bench-cocci
