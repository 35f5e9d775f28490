#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Checks a boot's kernel log for the reports of a debug kernel, and the
kernel's own Rust sample.

Usage: debug-check.py [--config KCONFIG] [--sample NAME] LOG

LOG is the console of a boot (qemu/linux/run.py). Fails (exit status 1) if
the kernel logged any report of lockdep (every one starts "WARNING: " or
"BUG: ", and lockdep turns itself off after its first: "INFO: lockdep is
turned off" and "turning off the locking correctness validator" fail too),
of DEBUG_ATOMIC_SLEEP ("BUG: sleeping function called from invalid
context", "BUG: scheduling while atomic"), of DEBUG_SPINLOCK ("BUG:
spinlock ..."), of KASAN ("BUG: KASAN: ..."), of RCU ("suspicious RCU
usage"), or any other "WARNING:", "BUG:" or oops. With --config, the
kernel's .config must have the debug options (PROVE_LOCKING, KASAN,
DEBUG_ATOMIC_SLEEP, DEBUG_SPINLOCK) and the log lockdep's banner, so that
a kernel that lost them cannot pass. With --sample NAME, the init must
have loaded and unloaded NAME.ko and the kernel logged the sample's init
and exit lines (samples/rust/rust_minimal.rs).

Prints the checks as indented KTAP lines.
"""

import re
import sys

REPORTS = [
    r"WARNING:",
    r"BUG:",
    r"INFO: lockdep is turned off",
    r"turning off the locking correctness validator",
    r"suspicious RCU usage",
    r"DEBUG_LOCKS_WARN_ON",
    r"Oops",
    r"Kernel panic",
    r"Call Trace",
    r"UBSAN:",
]
DEBUG_OPTIONS = ["CONFIG_PROVE_LOCKING", "CONFIG_DEBUG_SPINLOCK",
                 "CONFIG_DEBUG_ATOMIC_SLEEP", "CONFIG_KASAN",
                 "CONFIG_KASAN_GENERIC"]
LOCKDEP_BANNER = "Lock dependency validator"


def main(argv):
    config = sample = None
    args = argv[1:]
    while len(args) > 1 and args[0] in ("--config", "--sample"):
        if args[0] == "--config":
            config = args[1]
        else:
            sample = args[1]
        args = args[2:]
    if len(args) != 1:
        sys.exit(__doc__)
    with open(args[0], encoding="utf-8", errors="replace") as f:
        log = f.read().splitlines()

    checks = []
    reports = [line for line in log
               if any(re.search(p, line) for p in REPORTS)]
    checks.append(("debug_reports", not reports,
                   f"{len(reports)} report lines, first: "
                   f"{reports[0].strip() if reports else ''}"))
    if config is not None:
        with open(config, encoding="utf-8") as f:
            have = set(line.strip() for line in f)
        missing = [o for o in DEBUG_OPTIONS if f"{o}=y" not in have]
        checks.append(("debug_config", not missing,
                       "not in .config: " + " ".join(missing)))
        checks.append(("lockdep_active",
                       any(LOCKDEP_BANNER in line for line in log),
                       "no lockdep banner in the log"))
    if sample is not None:
        results = [m.group(1) for m in
                   (re.search(r"i2ctest: (.*)$", line) for line in log) if m]
        for step in ("module_load", "module_unload"):
            checks.append((f"sample_{step[7:]}", f"{step} ok {sample}" in results,
                           next((r for r in results if r.startswith(step)),
                                "no result")))
        for what in ("init", "exit"):
            text = f"{sample}: Rust minimal sample ({what})"
            checks.append((f"sample_{what}_logged",
                           any(text in line for line in log),
                           f"no '{text}' in the log"))
    ok = True
    for name, good, why in checks:
        if good:
            print(f"    ok {name}")
        else:
            print(f"    # {why}")
            print(f"    not ok {name}")
            ok = False
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
