# mmlock: static analysis of the Linux mm locking rules.
#   make              build/mmlock_plugin.so and build/mmlock
#   make check        tests that need no kernel tree; ends "N passed, N failed, N skipped"
#   make check-kernel the real-kernel tests on Debian's linux-source-6.1 and 6.12
#                     (and the distcc fault tests on 6.12, tests/distcc/kernel-run.sh)
CC       ?= gcc
HOSTCXX  ?= g++
CFLAGS   ?= -O2 -g -Wall -Wextra -Wno-unused-parameter
PLUGIN_CC := $(HOSTCXX)
GCCPLUGINS_DIR := $(shell $(CC) -print-file-name=plugin)
RULES_DEFAULT := $(CURDIR)/rules/mm.rules

# every file of plugin/ (a new checker is a new file there: README "How
# the plugin works")
PLUGIN_SRC := $(sort $(wildcard plugin/*.c)) rules/rules.c rules/required.c
PLUGIN_OBJ := $(patsubst %.c,build/obj/%.o,$(PLUGIN_SRC))
DRIVER_SRC := driver/mmlock.c rules/rules.c rules/required.c
DRIVER_LDLIBS :=
# components add their sources, libraries and targets here
# (driver/: one folder per command, each with its .mk; driver/commands.h)
DRIVER_MK := $(foreach c,util check cocci patch hook db,driver/$(c)/$(c).mk)
-include db/db.mk cocci/cocci.mk $(DRIVER_MK) fuzz/fuzz.mk
BENCH_TARGETS := $(if $(wildcard db/db.mk),bench-db) $(if $(wildcard cocci/cocci.mk),bench-cocci)
PLUGIN_CXXFLAGS := -O2 -g -fPIC -fno-rtti -fno-exceptions -std=gnu++17 -Wall \
	-Wno-unused-parameter -Wno-missing-field-initializers \
	-I$(GCCPLUGINS_DIR)/include -DMMLOCK_RULES_DEFAULT='"$(RULES_DEFAULT)"'

all: build/mmlock_plugin.so build/mmlock build/mmlock-gcc build/mm.rules

# for distributed builds: gcc with the plugin beside it, and the rules
# (copy build/mmlock-gcc, mmlock_plugin.so, mm.rules to every host)
build/mmlock-gcc: driver/mmlock-gcc.sh
	@mkdir -p build
	cp $< $@ && chmod 755 $@

build/mm.rules: rules/mm.rules
	@mkdir -p build
	cp $< $@

build/obj/%.o: %.c plugin/*.h rules/rules.h db/mmdb.h
	@mkdir -p $(dir $@)
	$(PLUGIN_CC) $(PLUGIN_CXXFLAGS) -x c++ -c -o $@ $<

build/mmlock_plugin.so: $(PLUGIN_OBJ) build/libmmdb.a
	$(PLUGIN_CC) -shared -o $@ $(PLUGIN_OBJ) build/libmmdb.a -lsqlite3

build/mmlock: $(DRIVER_SRC) rules/rules.h $(wildcard driver/*.h driver/*/*.h db/*.h)
	@mkdir -p build
	$(CC) $(CFLAGS) -DMMLOCK_RULES_DEFAULT='"$(RULES_DEFAULT)"' \
		-DMMLOCK_PLUGIN_DEFAULT='"$(CURDIR)/build/mmlock_plugin.so"' \
		-DMMLOCK_HOME='"$(CURDIR)"' -o $@ $(DRIVER_SRC) $(DRIVER_LDLIBS)

check: all
	@tests/run-all.sh

check-kernel: all
	@a=0; for k in 6.1 6.12; do tests/kernel/run.sh $$k || a=1; done; \
	tests/kernel/check-run.sh || a=1; tests/patch/kernel-run.sh || a=1; \
	tests/distcc/kernel-run.sh || a=1; exit $$a

# benchmarks: one table of ratios, measured side by side in one run on the
# prepared 6.1 tree, into build/bench.txt (scripts/bench.sh; README "Measured")
bench: all $(if $(wildcard db/db.mk),build/mmdb-bench)
	@scripts/bench.sh

bench-plugin: all
	@scripts/bench.sh --parts compile,check,memory

# mm/, kernel/ and fs/ of 6.1 through make C=2 (long; not in check-kernel)
analyse-dirs: all
	@scripts/analyse-dirs.sh

# 6.12's mm/ through distcc to two distccd on loopback, the findings
# stored here and compared with a local build (scripts/analyse-distcc.sh)
analyse-distcc: all
	@scripts/analyse-distcc.sh

# local and distributed wall times, per-unit compile and analysis times,
# the projection to N hosts (scripts/bench-distcc.sh; README)
bench-distcc: all
	@scripts/bench-distcc.sh

clean:
	rm -rf build

.PHONY: all check check-kernel clean bench bench-plugin analyse-dirs analyse-distcc bench-distcc
