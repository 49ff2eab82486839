# fuzz/: libFuzzer harnesses for the parsers that read outside input,
# included by the top Makefile.
#   make fuzz        builds build/fuzz/<target> (clang -fsanitize=fuzzer,
#                    address,undefined) and runs each for FUZZ_TIME seconds
#                    (default 60) on fuzz/corpus/<target>/ plus the seeds;
#                    new inputs go to build/fuzz/work/<target>/, crashes to
#                    build/fuzz/crash/<target>/ (exit 1 if any)
#   make fuzz-merge  minimises corpus + new inputs into fuzz/corpus/<target>/
# Targets: rules (rules/rules.c), dbimport (db/: import, parse, source,
# tree, exports), patch (driver/patch/patch_parse.c, when it exists).
# The same harnesses replay every corpus file and every crash reproducer
# in fuzz/regress/<target>/ under gcc's sanitizers in `make check`
# (tests/fuzz/run.sh).
ifeq ($(.DEFAULT_GOAL),)
.DEFAULT_GOAL := all
endif
FUZZ_CC     ?= clang
FUZZ_TIME   ?= 60
FUZZ_CFLAGS := -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	       -fno-omit-frame-pointer
FUZZ_TARGETS := rules dbimport \
	$(if $(and $(wildcard driver/patch/patch_parse.c),$(wildcard driver/patch/patch_apply.c),$(wildcard driver/patch/patch.h)),patch)

FUZZ_SRC_rules    := fuzz/fuzz_rules.c rules/rules.c rules/required.c
FUZZ_SRC_dbimport := fuzz/fuzz_dbimport.c $(DB_SRC) $(DB_GEN)
FUZZ_LIBS_dbimport := -lsqlite3
FUZZ_SRC_patch    := fuzz/fuzz_patch.c driver/patch/patch_parse.c driver/patch/patch_names.c driver/patch/patch_apply.c

define fuzz_target
build/fuzz/$(1): $$(FUZZ_SRC_$(1)) $$(wildcard rules/*.h db/*.h driver/patch/patch.h)
	@mkdir -p build/fuzz
	$$(FUZZ_CC) $$(FUZZ_CFLAGS) -o $$@ $$(FUZZ_SRC_$(1)) $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call fuzz_target,$(t))))

fuzz: $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	@FUZZ_TIME=$(FUZZ_TIME) fuzz/run.sh $(FUZZ_TARGETS)

fuzz-merge: $(addprefix build/fuzz/,$(FUZZ_TARGETS))
	@fuzz/run.sh --merge $(FUZZ_TARGETS)

.PHONY: fuzz fuzz-merge

# the same harnesses, gcc's sanitizers and fuzz/regress_main.c: tests/fuzz/run.sh
REGRESS_CFLAGS := -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
define regress_target
build/fuzz-regress/$(1): fuzz/regress_main.c $$(FUZZ_SRC_$(1)) $$(wildcard rules/*.h db/*.h driver/patch/patch.h)
	@mkdir -p build/fuzz-regress
	$$(CC) $$(REGRESS_CFLAGS) -o $$@ fuzz/regress_main.c $$(FUZZ_SRC_$(1)) $$(FUZZ_LIBS_$(1))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call regress_target,$(t))))
fuzz-regress: $(addprefix build/fuzz-regress/,$(FUZZ_TARGETS))
.PHONY: fuzz-regress
