# cocci/cocci.mk: the Coccinelle engine's part of the build, included by
# the top Makefile.
#
#   (build/mmlock's "mmlock cocci" is driver/cocci/, see driver/cocci/cocci.mk)
#   make bench-cocci    times mmlock cocci on mm/ and on the whole kernel
#                       tree, with and without the file pre-filter, next to
#                       the kernel's own double_lock.cocci over the same
#                       tree; results in build/bench-cocci.txt
#
# The tree is $(COCCI_TREE) (the cached Debian linux-source-6.1, read only).

COCCI_TREE ?= $(HOME)/.cache/mmlock/linux-6.1
COCCI_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

bench-cocci: build/mmlock
	@tests/cocci/bench.sh "$(COCCI_TREE)" $(COCCI_JOBS) | tee build/bench-cocci.txt

.PHONY: bench-cocci
