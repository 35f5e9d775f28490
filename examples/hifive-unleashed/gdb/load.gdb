# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Loads the example into DDR over JTAG and starts it in M-mode on every hart
# (riscv-rt parks harts 1 to 4; hart 0 runs it). The board must have booted
# first, from the SD card or flash (MSEL), so that the first-stage boot loader has
# set the core PLL and trained the DDR: a JTAG reset would undo both.
set confirm off
set pagination off
target extended-remote :3333
# Stop every hart wherever its firmware is, without a reset.
monitor halt
load
# Every hart at the entry point, in M-mode (3), whatever mode its firmware ran in.
thread apply all set $priv = 3
thread apply all set $pc = _start
continue
