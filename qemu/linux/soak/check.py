#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Checks one boot of the load run (scripts/linux-soak).

Usage: check.py LOG --driver MODULE --ops N --cycles N --eeprom ORIG FINAL
                [--max-growth-kb KB] [--min-faults N]

LOG is the console (qemu/linux/soak/host.py), LOG.trace the model's fault
events; ORIG is the EEPROM's backing file before the boot, FINAL after.
Checks, as KTAP lines:

- the init's steps all ran: the load, N operations, N cycles, done;
- fault_errnos: the errnos of the failed transfers, in order, are those
  qemu/linux/fault-errnos gives MODULE for the faults the model traced, in
  the same order (an arbitration loss, a stuck command): no fault without
  its error, no error without its fault;
- faults_hit: at least N (1) traced faults hit a transfer;
- no_mismatch: every transfer that worked read the shadow's bytes;
- initial: the shadow's first read gave ORIG;
- zero_lost: FINAL equals the shadow (with the reload cycles' writes),
  byte for byte (the bytes past the word address's reach unchanged), and
  the guest's final read after the soak gave the shadow;
- memory: no counter of /proc/meminfo's slab and vmalloc figures (and
  /proc/slabinfo's bytes) grew by more than KB (64) from the first
  sample to the last of the cycles;
- kmemleak (where the kernel has it): no unreferenced object.
"""

import argparse
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
FAULT_ERRNOS = os.path.join(HERE, "..", "fault-errnos")
# The model's trace event of each fault property's effect.
EVENTS = {"ocores_i2c_arbitration_lost": "fault-al-at",
          "ocores_i2c_stuck": "fault-tip-stuck"}
EEPROM_REACH = 256


def fault_errnos(driver):
    """fault-errnos' errno for DRIVER per fault property."""
    key = "upstream" if driver == "i2c-ocores" else "ours"
    table = {}
    with open(FAULT_ERRNOS, encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            words = line.split()
            prop = words[0].split("=")[0]
            fields = dict(w.split("=", 1) for w in words[1:])
            table[prop] = fields[key]
    return table


def image(results, label):
    """The bytes of the lines LABEL_XX ok HEX, in order."""
    data = b""
    for i in range(0, EEPROM_REACH, 64):
        words = results.get(f"{label}_{i:02x}", [])
        if len(words) != 2 or words[0] != "ok":
            return None
        data += bytes.fromhex(words[1])
    return data


def main(argv):
    ap = argparse.ArgumentParser()
    ap.add_argument("log")
    ap.add_argument("--driver", required=True)
    ap.add_argument("--ops", type=int, required=True)
    ap.add_argument("--cycles", type=int, required=True)
    ap.add_argument("--eeprom", nargs=2, required=True)
    ap.add_argument("--max-growth-kb", type=int, default=64)
    ap.add_argument("--min-faults", type=int, default=1)
    args = ap.parse_args(argv[1:])

    with open(args.log, encoding="utf-8", errors="replace") as f:
        log = f.read().splitlines()
    lines = [m.group(1) for m in
             (re.search(r"i2ctest: (.*)$", line) for line in log) if m]
    results = {}
    for line in lines:
        words = line.split()
        results.setdefault(words[0], words[1:])
    try:
        with open(args.log + ".trace", encoding="utf-8",
                  errors="replace") as f:
            trace = f.read().splitlines()
    except FileNotFoundError:
        trace = []
    with open(args.eeprom[0], "rb") as f:
        orig = f.read()
    with open(args.eeprom[1], "rb") as f:
        final = f.read()

    checks = []

    def check(name, good, why=""):
        checks.append((name, good, why))

    for step, want in (("soakload", None), ("soak", f"ops={args.ops}"),
                       ("reload", f"cycles={args.cycles}"),
                       ("soakstop", None), ("done", None)):
        got = results.get(step)
        good = got is not None and (step == "done" or got[:1] == ["ok"])
        good = good and (want is None or want in got)
        check(f"step_{step}", good,
              f"{step}: {' '.join(got) if got is not None else 'missing'}")

    table = fault_errnos(args.driver)
    faults = []
    for line in trace:
        for event, prop in EVENTS.items():
            if event in line:
                faults.append(prop)
    want = [table[p] for p in faults]
    errors = [line.split() for line in lines if line.startswith("soak_err ")]
    got = [w[3] for w in errors]
    first = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b),
                 min(len(want), len(got)))
    why = (f"{len(faults)} faults traced, {len(got)} errors; first "
           f"difference at #{first}: fault "
           f"{faults[first] if first < len(faults) else '-'} wants "
           f"{want[first] if first < len(want) else '-'}, transfer "
           f"{' '.join(errors[first][1:]) if first < len(errors) else '-'}")
    check("fault_errnos", want == got, why)
    check("faults_hit", len(faults) >= args.min_faults,
          f"{len(faults)} faults hit a transfer, fewer than {args.min_faults}")
    kinds = {p: faults.count(p) for p in sorted(set(faults))}
    print(f"    # faults traced: {len(faults)} "
          + " ".join(f"{p}={n}" for p, n in kinds.items())
          + f"; failed transfers: {len(got)}")
    host = [line for line in log if line.startswith("# soak-host: set")]
    if host:
        print(f"    {host[0]}")

    mismatches = [line for line in lines if line.startswith("soak_mismatch")]
    check("no_mismatch", not mismatches,
          f"{len(mismatches)} mismatches, first: "
          f"{mismatches[0] if mismatches else ''}")

    initial = image(results, "soak_initial")
    check("initial", initial == orig[:EEPROM_REACH],
          "the first read is not the EEPROM's backing file")

    shadow = image(results, "soak_shadow")
    if "reload_shadow_00" in results:
        # The cycles' writes came after the soak's.
        shadow = image(results, "reload_shadow")
    if shadow is None:
        lost = EEPROM_REACH
    else:
        lost = sum(a != b for a, b in zip(shadow, final[:EEPROM_REACH]))
    beyond = final[EEPROM_REACH:] == orig[EEPROM_REACH:]
    fin = results.get("soak_final", [])
    print(f"    # bytes lost: {lost} of {EEPROM_REACH}; guest's final read "
          f"{' '.join(fin)}")
    check("zero_lost", shadow is not None and lost == 0 and beyond
          and fin == ["ok", "differing=0"],
          f"{lost} bytes differ from the shadow; beyond {EEPROM_REACH} "
          f"unchanged: {beyond}; final read: {' '.join(fin)}")

    samples = []
    for line in lines:
        m = re.match(r"reload_counters (\d+) (.*)$", line)
        if m:
            samples.append((int(m.group(1)),
                            dict(w.split("=") for w in m.group(2).split())))
    growth = {}
    if len(samples) >= 2:
        (n0, first), (n1, last) = samples[0], samples[-1]
        for key in first:
            try:
                a, b = int(first[key]), int(last[key])
            except ValueError:
                continue
            if key == "slab_objs":
                growth[key] = b - a
                continue
            # Bytes in /proc/slabinfo, kB in /proc/meminfo.
            growth[key] = (b - a) / 1024 if key == "slab_bytes" else b - a
        print(f"    # counters from cycle {n0} to {n1}: " + " ".join(
            f"{k}={first[k]}->{last[k]}" for k in first))
    over = {k: v for k, v in growth.items()
            if k != "slab_objs" and v > args.max_growth_kb}
    check("memory", len(samples) >= 2 and not over,
          f"grew by more than {args.max_growth_kb} kB: {over}"
          if samples else "no counters logged")

    if "reload_kmemleak" in results:
        leaks = results["reload_kmemleak"]
        report = [line[len("kmemleak: "):] for line in lines
                  if line.startswith("kmemleak: ")]
        for line in report[:40]:
            print(f"    # kmemleak: {line}")
        check("kmemleak", leaks == ["ok", "0"],
              f"kmemleak: {' '.join(leaks)} unreferenced objects")

    for step in ("soak", "reload", "soakstop"):
        if step in results:
            print(f"    # {step}: {' '.join(results[step])}")

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
