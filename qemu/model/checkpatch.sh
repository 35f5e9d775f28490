#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Checks the QEMU patches with QEMU's own scripts/checkpatch.pl, taken from the
# same source tarball qemu/model/build.sh builds (fetched by it when missing).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}
version=10.0.2
tarball=$cache/src/qemu_${version}+ds.orig.tar.xz
dest=$cache/qemu-checkpatch-$version

if [ ! -f "$dest/scripts/checkpatch.pl" ]; then
	[ -f "$tarball" ] || "$here/build.sh" >/dev/null
	mkdir -p "$dest"
	tar -C "$dest" -xf "$tarball" --strip-components=1 \
		"qemu-$version/scripts/checkpatch.pl"
fi
perl "$dest/scripts/checkpatch.pl" --no-tree "$here"/patches/*.patch
