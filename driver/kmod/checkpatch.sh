#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel's own checkpatch.pl --strict (scripts/kernel-checkpatch) over
# the module's C glue, header, assembly and Kbuild files. The Rust core is
# checked by the project's scripts/checkpatch.
set -euo pipefail

cd "$(dirname "$0")"
exec ../../scripts/kernel-checkpatch sifive_i2c_glue.c sifive_i2c.h sifive_i2c_jmp.S \
	sifive_i2c_jmp.h Kbuild Makefile
