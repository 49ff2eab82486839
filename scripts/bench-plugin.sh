#!/bin/bash
# bench-plugin.sh: the plugin's part of `make bench` (compile time with and
# without -fplugin, mmlock check vs sparse as CHECK, peak memory) -- see
# scripts/bench.sh, which measures and prints it.
exec "$(dirname "$0")/bench.sh" --parts compile,check,memory "$@"
