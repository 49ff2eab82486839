#!/bin/bash
# install-deps.sh: the Debian packages mmlock builds, tests and runs with.
# Idempotent; uses sudo when not root.
set -eu
pkgs="gcc g++ make gcc-12-plugin-dev libsqlite3-dev sqlite3 sparse coccinelle
      linux-source-6.1 linux-source-6.12 bc flex bison libelf-dev libssl-dev cpio xz-utils perl
      python3 git diffutils ca-certificates hyperfine time clang libclang-rt-14-dev
      gcc-11"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo=sudo
missing=$(for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || echo "$p"; done)
if [ -n "$missing" ]; then
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi
