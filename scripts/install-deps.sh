#!/bin/bash
# install-deps.sh: the Debian packages mmlock builds, tests and runs with,
# and from npm the SARIF validator the report tests use (Microsoft's SARIF
# Multitool, its self-contained Linux binary: no .NET runtime needed), in
# ${MMLOCK_CACHE:-~/.cache/mmlock}/npm.  Idempotent; uses sudo when not root.
set -eu
pkgs="gcc g++ make gcc-12-plugin-dev libsqlite3-dev sqlite3 sparse coccinelle
      linux-source-6.1 linux-source-6.12 bc flex bison libelf-dev libssl-dev cpio xz-utils perl
      python3 git diffutils ca-certificates hyperfine time clang libclang-rt-14-dev
      gcc-11 chromium distcc iproute2"
command -v npm > /dev/null || pkgs="$pkgs npm"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
missing=$(for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

npmdir=${MMLOCK_CACHE:-$HOME/.cache/mmlock}/npm
tool=$npmdir/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool
if [ ! -x "$tool" ]; then
	mkdir -p "$npmdir"
	npm install --prefix "$npmdir" --no-audit --no-fund --loglevel=error \
		@microsoft/sarif-multitool@5.7.0
	chmod u+x "$tool"	# its postinstall step, which npm may not run
fi
