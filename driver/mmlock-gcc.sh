#!/bin/sh
# mmlock-gcc: gcc with the mmlock plugin loaded, for distributed builds.
#
# distccd (3.3 and later) refuses any command line that has -fplugin= in
# it, so on a distcc host the plugin cannot come with the command: this
# script, installed with the plugin beside it at the same path on the
# client and on every host, loads it instead.  The client runs
#   make CC="/path/build/mmlock cc distcc mmlock-gcc" ...
# and each host's distccd runs mmlock-gcc (allowed by DISTCC_CMDLIST or a
# link in /usr/lib/distcc; README "Distributed builds").
#
# Beside this script (symlinks followed): mmlock_plugin.so, and mm.rules
# (used unless the command gives -fplugin-arg-mmlock_plugin-rules=).
# MMLOCK_REAL_CC: the compiler to run (default gcc; it must be the GCC the
# plugin was built for, or the plugin refuses to load, loudly).
here=$(dirname "$(readlink -f "$0")")
if [ -f "$here/mm.rules" ]; then
	exec "${MMLOCK_REAL_CC:-gcc}" -fplugin="$here/mmlock_plugin.so" \
		-fplugin-arg-mmlock_plugin-rules="$here/mm.rules" "$@"
fi
exec "${MMLOCK_REAL_CC:-gcc}" -fplugin="$here/mmlock_plugin.so" "$@"
