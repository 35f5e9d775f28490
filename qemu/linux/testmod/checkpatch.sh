#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the test module with the kernel's own scripts/checkpatch.pl
# (linux-source-6.12, installed by scripts/checkpatch-setup) in --strict
# mode, as driver/kmod/checkpatch.sh checks the module's glue: any error,
# warning or check fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}

"$top/scripts/checkpatch-setup"
cd "$here"
files="i2ctest_mod.c Kbuild"
# shellcheck disable=SC2086
out=$(perl "$cache/linux-source-6.12/scripts/checkpatch.pl" --no-tree --strict \
	--show-types -f $files 2>&1 || true)
echo "$out" | grep -E '^(ERROR|WARNING|CHECK)|^total:' || true
clean=$(echo "$out" | grep -c '^total: 0 errors, 0 warnings, 0 checks' || true)
if [ "$clean" -ne "$(echo "$files" | wc -w)" ]; then
	echo "$out" >&2
	echo "testmod checkpatch: the test module must be clean under checkpatch.pl --strict" >&2
	exit 1
fi
