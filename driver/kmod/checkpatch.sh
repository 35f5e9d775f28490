#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the module's C glue, header, assembly and Kbuild files with the
# kernel's own scripts/checkpatch.pl (linux-source-6.12, installed by
# scripts/checkpatch-setup) in --strict mode: any error, warning or check
# fails. The Rust core is checked by the project's scripts/checkpatch.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}

"$top/scripts/checkpatch-setup"
cd "$here"
files="sifive_i2c_glue.c sifive_i2c.h sifive_i2c_jmp.S sifive_i2c_jmp.h Kbuild Makefile"
# checkpatch.pl prints a "total:" line per file; every one must be clean.
# shellcheck disable=SC2086
out=$(perl "$cache/linux-source-6.12/scripts/checkpatch.pl" --no-tree --strict \
	--show-types -f $files 2>&1 || true)
echo "$out" | grep -E '^(ERROR|WARNING|CHECK)|^total:' || true
clean=$(echo "$out" | grep -c '^total: 0 errors, 0 warnings, 0 checks' || true)
if [ "$clean" -ne "$(echo "$files" | wc -w)" ]; then
	echo "$out" >&2
	echo "kmod checkpatch: the glue must be clean under checkpatch.pl --strict" >&2
	exit 1
fi
