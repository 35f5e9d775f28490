# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Writes the example to the QSPI flash at 0x20010000 (after the board's boot
# loader, which jumps there) and runs it from reset.
set confirm off
set pagination off
target extended-remote :3333
monitor reset halt
load
monitor reset run
detach
quit
