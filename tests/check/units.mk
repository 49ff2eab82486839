# units.mk: a build that checks units the way kbuild does
# (scripts/Makefile.build: `$(CHECK) $(CHECKFLAGS) $(c_flags) $<`, with
# CHECKFLAGS from the top Makefile plus CF=).  Used by tests/check/run.sh:
#   make -f tests/check/units.mk -jN CHECK="build/mmlock check" OUT=DIR SRCS="..."
CHECK ?= sparse
CHECKFLAGS := -D__linux__ -Dlinux -D__STDC__ -Dunix -D__unix__ \
	      -Wbitwise -Wno-return-void -Wno-unknown-attribute $(CF) \
	      -D__x86_64__ --arch=x86 -mlittle-endian -m64
OUT ?= /tmp
c_flags = -Wp,-MMD,$(OUT)/.$(basename $(notdir $<)).o.d -O2 -Werror \
	  -DKBUILD_MODNAME='"$(basename $(notdir $<))"'

all: $(patsubst %.c,$(OUT)/%.checked,$(notdir $(SRCS)))

vpath %.c $(sort $(dir $(SRCS)))

$(OUT)/%.checked: %.c
	@set -e; echo '  CHECK   $<'; $(CHECK) $(CHECKFLAGS) $(c_flags) $<
	@touch $@

.PHONY: all
