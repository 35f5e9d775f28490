#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Checks the test module with the kernel's own checkpatch.pl --strict
# (scripts/kernel-checkpatch), as driver/kmod/checkpatch.sh checks the
# module's glue.
set -euo pipefail

cd "$(dirname "$0")"
exec ../../../scripts/kernel-checkpatch i2ctest_mod.c Kbuild
