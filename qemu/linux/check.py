#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Checks one Linux boot of scripts/linux-test against the host's view.

Usage: check.py LOG [OPTION...]

LOG is the console of a boot (qemu/linux/run.py). Options:
  --eeprom BEFORE AFTER    the EEPROM's backing file before and after the boot
  --temperature MILLI      the TMP105's temperature set over QMP
  --reference LOG          another driver's log of the same steps: every line
                           must agree, errnos may differ only as listed in
  --differences FILE       (lines "STEP UPSTREAM-ERRNO OURS-ERRNO")
  --fault-errno NAME       the errno the faulted transfer must return
  --fault-ms MS            the bound on the faulted transfer's time

Prints the checks as a KTAP subtest body (indented) and exits 1 if any
fails. The access counters around the 16-byte transfers are printed as
diagnostics.
"""

import re
import sys
from datetime import datetime, timedelta

WHEN = "%Y-%m-%dT%H:%M:%S"
TARGETS = "48,50,68"
SIG_REFUSED = ("EKEYREJECTED", "ENOKEY")


def parse(path):
    """The init's result lines in order, and the counters run.py added."""
    results = []
    counters = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"# counters (\S+) (\d+) (\d+)$", line)
            if m:
                counters[m.group(1)] = (int(m.group(2)), int(m.group(3)))
                continue
            m = re.search(r"i2ctest: (.*)$", line)
            if m and not m.group(1).startswith("sync "):
                results.append(m.group(1).split(" ", 2))
    return results, counters


def kernel_trouble(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    return [w for w in ("Oops", "BUG:", "WARNING:", "Call Trace", "Kernel panic")
            if w in text]


def options(argv):
    opts = {"log": argv[1]}
    i = 2
    while i < len(argv):
        arg = argv[i]
        if arg == "--eeprom":
            opts["before"], opts["after"] = argv[i + 1], argv[i + 2]
            i += 3
            continue
        key = arg[2:].replace("-", "_")
        if key not in ("temperature", "reference", "differences", "fault_errno",
                       "fault_ms"):
            sys.exit(f"check.py: unknown option {arg}")
        opts[key] = argv[i + 1]
        i += 2
    return opts


class Checks:
    def __init__(self):
        self.points = []

    def add(self, name, ok, why=""):
        self.points.append((name, ok, why))

    def diag(self, text):
        self.points.append((None, None, text))

    def emit(self):
        n = sum(1 for p in self.points if p[0] is not None)
        print("    KTAP version 1")
        print(f"    1..{n}")
        i = 0
        for name, ok, why in self.points:
            if name is None:
                print(f"    # {why}")
                continue
            i += 1
            if not ok and why:
                print(f"    # {name}: {why}")
            print(f"    {'ok' if ok else 'not ok'} {i} {name}")
        return all(p[1] for p in self.points if p[0] is not None)


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    o = options(argv)
    results, counters = parse(o["log"])
    by_step = {}
    for r in results:
        by_step.setdefault(r[0], r)
    c = Checks()

    def status(step):
        r = by_step.get(step)
        return r[1] if r and len(r) > 1 else None

    def data(step):
        r = by_step.get(step)
        return r[2] if r and len(r) > 2 else ""

    def expect_ok(step):
        c.add(step, status(step) == "ok",
              f"{' '.join(by_step[step])}" if step in by_step else "no result")

    c.add("boot", ["start"] in results and ["done"] in results,
          "the init did not start and finish")
    trouble = kernel_trouble(o["log"])
    c.add("kernel_clean", not trouble, "the kernel logged " + ", ".join(trouble))

    if "load_unsigned" in by_step:
        c.add("unsigned_refused", status("load_unsigned") in SIG_REFUSED,
              f"loading the unsigned copy gave {status('load_unsigned')}")
    expect_ok("load")
    expect_ok("adapter")

    before = after = None
    if "before" in o:
        with open(o["before"], "rb") as f:
            before = f.read()
        with open(o["after"], "rb") as f:
            after = f.read()

    if "eeprom_read_00" in by_step and before is not None:
        got = "".join(data(f"eeprom_read_{i:02x}") for i in range(0, 256, 64))
        c.add("eeprom_read_matches_file", got == before[:256].hex(),
              "the at24 eeprom file differs from the backing file")
    elif "eeprom_read" in by_step:
        c.add("eeprom_read_matches_file", False, " ".join(by_step["eeprom_read"]))

    def written(step, readback):
        if step not in by_step:
            return
        ok = status(step) == "ok"
        off, _, want = data(step).partition(" ")
        off = int(off, 16)
        landed = after is not None and after[off:off + 16].hex() == want
        c.add(f"{step}_lands_in_file", ok and landed,
              f"{' '.join(by_step[step])}; file has "
              f"{after[off:off + 16].hex() if after else '?'}")
        if readback:
            c.add(f"{readback}_matches", status(readback) == "ok" and
                  data(readback) == data(step), " ".join(by_step.get(readback, [])))

    written("eeprom_write", "eeprom_readback")

    if "sensor_temp1_input" in by_step and "temperature" in o:
        c.add("sensor_temp1_input", status("sensor_temp1_input") == "ok" and
              data("sensor_temp1_input") == o["temperature"],
              f"{' '.join(by_step['sensor_temp1_input'])}, set {o['temperature']}")

    if "rtc_set" in by_step:
        ok = status("rtc_set") == "ok" and status("rtc_read") == "ok"
        why = f"set {data('rtc_set')}, read {data('rtc_read')}"
        if ok:
            delta = (datetime.strptime(data("rtc_read"), WHEN) -
                     datetime.strptime(data("rtc_set"), WHEN))
            ok = timedelta(0) <= delta <= timedelta(seconds=2)
        c.add("rtc_set_and_read", ok, why)

    if "scan_present" in by_step:
        c.add("scan_finds_the_targets", data("scan_present") == TARGETS,
              f"found {data('scan_present')}, expected {TARGETS}")
        c.add("scan_absent_errno", status("scan_absent") not in (None, "ok", "") and
              "+" not in status("scan_absent"),
              f"absent addresses gave {status('scan_absent')}")
    if "wr_rd_eeprom" in by_step and before is not None:
        c.add("wr_rd_eeprom_matches_file", status("wr_rd_eeprom") == "ok" and
              data("wr_rd_eeprom") == "00 " + before[:16].hex(),
              " ".join(by_step["wr_rd_eeprom"]))
    if "wr_rd_sensor" in by_step and "temperature" in o:
        # The TMP105 at 12 bits, as lm75 sets it: 1/16 degree in bits 15..4.
        raw = (int(o["temperature"]) * 256 // 1000) & 0xfff0
        c.add("wr_rd_sensor_matches", status("wr_rd_sensor") == "ok" and
              data("wr_rd_sensor") == f"{raw:04x}",
              f"{' '.join(by_step['wr_rd_sensor'])}, expected {raw:04x}")
    if "wr_rd_rtc" in by_step:
        expect_ok("wr_rd_rtc")
    for step in ("absent_read", "absent_write"):
        if step in by_step:
            c.add(f"{step}_fails", status(step) not in (None, "ok"),
                  " ".join(by_step[step]))

    if "counts_write16" in by_step:
        written("counts_write16", "counts_read16")
        for what in ("write16", "read16"):
            b, e = counters.get(f"{what}-begin"), counters.get(f"{what}-end")
            if b and e:
                r, w = e[0] - b[0], e[1] - b[1]
                c.diag(f"counts {what}: {r} reads, {w} writes, {r + w} accesses, "
                       f"{(r + w) / 16:.2f} per payload byte")
            c.add(f"counters_{what}", bool(b and e), "no counters from QMP")

    if "fault_xfer" in by_step:
        got = status("fault_xfer")
        ms = data("fault_time")
        c.diag(f"fault: the transfer gave {got} in {ms or '?'} ms")
        if "fault_errno" in o:
            c.add("fault_errno", got == o["fault_errno"],
                  f"got {got}, documented {o['fault_errno']}")
        if "fault_ms" in o:
            c.add("fault_within_timeout", ms.isdigit() and int(ms) <= int(o["fault_ms"]),
                  f"took {ms or '?'} ms, bound {o['fault_ms']} ms")
        c.add("fault_next_transfer_works", status("fault_next") == "ok" and
              before is not None and data("fault_next") == "00 " + before[:16].hex(),
              " ".join(by_step.get("fault_next", [])))

    if "unload" in by_step:
        expect_ok("unload")

    if "reference" in o:
        ref, _ = parse(o["reference"])
        allowed = set()
        if o.get("differences"):
            with open(o["differences"], encoding="utf-8") as f:
                for line in f:
                    line = line.split("#", 1)[0].split()
                    if len(line) == 3:
                        allowed.add(tuple(line))
        mine = [r for r in results if r[0] not in ("fault_time",)]
        ref = [r for r in ref if r[0] not in ("fault_time",)]
        bad = []
        for a, b in zip(ref, mine):
            if a == b:
                continue
            same_step = a[0] == b[0]
            if same_step and a[0] == "rtc_read":
                continue  # checked against the time set, a second may pass
            if same_step and len(a) == 2 and len(b) == 2 and \
                    (a[0], a[1], b[1]) in allowed:
                c.diag(f"listed difference: {a[0]} upstream {a[1]}, ours {b[1]}")
                continue
            bad.append(f"upstream '{' '.join(a)}', ours '{' '.join(b)}'")
        if len(ref) != len(mine):
            bad.append(f"{len(ref)} results upstream, {len(mine)} here")
        for b in bad[:10]:
            c.diag(b)
        c.add("same_as_upstream", not bad, f"{len(bad)} differences")

    return 0 if c.emit() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
