#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Checks one boot of scripts/linux-stress.

Usage: stress-check.py LOG --transfers N --harts H --eeprom BEFORE AFTER
                       [--reference]

LOG is the console of the boot (qemu/linux/run.py). The init must have
loaded the driver, seen H harts online, run the four workers of its
`stress` step (qemu/linux/init/src/stress.rs) to N transfers in all with no
mismatch and no error, and unloaded the driver; the kernel must have
logged no oops, BUG or WARNING; the EEPROM's backing file AFTER must hold
every byte the writers say they left in their halves, and BEFORE's bytes
where they wrote none (a byte a failed write covered may hold anything).
With --reference (upstream's boots, run for comparison) failed transfers
are reported but not failed; mismatches still fail. Prints the checks as
an indented KTAP subtest body, with the figures, and exits 1 if any fails.
"""

import re
import sys

TROUBLE = ("Oops", "BUG:", "WARNING:", "Call Trace", "Kernel panic")


def cpus_online(text):
    """The number of CPUs in a list such as "0-3" or "0,2-3"."""
    n = 0
    for part in text.split(","):
        a, _, b = part.partition("-")
        n += int(b or a) - int(a) + 1
    return n


def main(argv):
    opts, args = {}, argv[1:]
    log_path = None
    reference = False
    while args:
        a = args.pop(0)
        if a == "--reference":
            reference = True
        elif a == "--eeprom":
            opts["before"], opts["after"] = args.pop(0), args.pop(0)
        elif a in ("--transfers", "--harts"):
            opts[a[2:]] = int(args.pop(0))
        elif log_path is None:
            log_path = a
        else:
            sys.exit(__doc__)
    if log_path is None or len(opts) != 4:
        sys.exit(__doc__)
    with open(log_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    results = {}
    for line in text.splitlines():
        m = re.search(r"i2ctest: (\S+) ?(.*)$", line)
        if m and not m.group(1) == "sync":
            results.setdefault(m.group(1), m.group(2))
    with open(opts["before"], "rb") as f:
        before = f.read()
    with open(opts["after"], "rb") as f:
        after = f.read()

    checks = []

    def check(name, ok, why=""):
        checks.append((name, bool(ok), why))

    def status(step):
        return results.get(step, "no result").split(" ")[0]

    check("boot", "start" in results and "done" in results,
          "the init did not start and finish")
    trouble = [w for w in TROUBLE if w in text]
    check("kernel_clean", not trouble, "the kernel logged " + ", ".join(trouble))
    for step in ("load", "adapter"):
        check(step, status(step) == "ok", f"{step} {results.get(step, 'no result')}")
    cpus = results.get("stress_cpus", "")
    online = cpus.split(" ")[1] if cpus.startswith("ok ") else ""
    check("harts", online and cpus_online(online) == opts["harts"],
          f"online CPUs '{online}', want {opts['harts']}")

    summary = results.get("stress", "no result")
    figures = dict(w.split("=", 1) for w in summary.split()[1:] if "=" in w)
    print(f"    # stress {summary}")
    total = int(figures.get("transfers", -1))
    ms = int(figures.get("ms", 0))
    if ms > 0 and total > 0:
        print(f"    # {total} transfers in {ms} ms: {total * 1000 // ms} per second")
    check("stress_finished", summary.startswith("ok "), summary)
    check("transfers", total == opts["transfers"],
          f"{total} transfers, want {opts['transfers']}")
    check("no_mismatch", figures.get("mismatches") == "0",
          f"mismatches={figures.get('mismatches')}")
    if reference:
        print(f"    # reference: {figures.get('errors')} transfers failed")
    else:
        check("no_error", figures.get("errors") == "0",
              f"errors={figures.get('errors')}")

    # The EEPROM: what the writers left against the backing file.
    bad, written = [], 0
    for k in range(4):
        line = results.get(f"stress_worker_{k}", "")
        first = re.search(r"first=(\S+)", line)
        if first:
            print(f"    # worker {k}: first failure {first.group(1)}")
        m = re.search(r"region=([0-9a-f]+):(\S+)", line)
        if not m:
            continue
        base, region = int(m.group(1), 16), m.group(2)
        for i in range(len(region) // 2):
            want = region[2 * i:2 * i + 2]
            addr = base + i
            if want == "??":
                continue
            if want == "--":
                if after[addr] != before[addr]:
                    bad.append(f"{addr:02x}: {after[addr]:02x}, never written")
                continue
            written += 1
            if after[addr] != int(want, 16):
                bad.append(f"{addr:02x}: {after[addr]:02x}, want {want}")
    regions = sum(1 for k in range(4)
                  if "region=" in results.get(f"stress_worker_{k}", ""))
    check("eeprom_regions", regions == 2, f"{regions} EEPROM workers reported")
    check("eeprom_file", not bad and (written > 0 or reference),
          f"{len(bad)} bytes differ ({', '.join(bad[:4])}), {written} written")
    check("unload", status("unload") == "ok", f"unload {results.get('unload')}")

    n = 0
    ok = True
    for name, good, why in checks:
        n += 1
        if not good:
            print(f"    # {why}")
            ok = False
        print(f"    {'ok' if good else 'not ok'} {n} {name}")
    print(f"    1..{n}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
