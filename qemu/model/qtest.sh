#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Runs the model's qtest (tests/qtest/ocores-i2c-test.c, added by the patches)
# and sifive_e's (tests/qtest/sifive-e-i2c-test.c)
# with QEMU's own test runner, `meson test`, in the build tree build.sh keeps
# (and builds first if needed). Prints the test's TAP and meson's summary;
# exits non-zero if the test fails.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}

dir=$("$here/build.sh" --build-dir | tail -n 1)
# A shared hold on the build lock keeps build.sh from pruning the tree while
# the test runs.
exec 9>"$cache/qemu/.lock"
flock -s 9
for t in ocores-i2c-test sifive-e-i2c-test; do
	[ -x "$dir/tests/qtest/$t" ] || {
		echo "qtest.sh: $dir has no $t" >&2
		exit 1
	}
done
cd "$dir"
./pyvenv/bin/meson test --no-rebuild --print-errorlogs --verbose \
	qtest-riscv64/ocores-i2c-test qtest-riscv64/sifive-e-i2c-test
