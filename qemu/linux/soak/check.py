#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Checks one boot of the load run (scripts/linux-soak).

Usage: check.py LOG --driver MODULE --ops N --cycles N --eeprom ORIG FINAL
                [--max-growth-kb KB] [--min-faults N]

LOG is the console (qemu/linux/soak/host.py), LOG.trace the model's fault
events; ORIG is the EEPROM's backing file before the boot, FINAL after.
Checks, as KTAP lines:

- the init's steps all ran: the load, N operations, N cycles, done;
- marks: the host saw the guest's syncs (soak-begin, sda-stuck N,
  faults-resume, soak-end) in order; between two of them the guest logged
  how many transfers it made and host.py where the trace stood;
- transfers_traced: between two syncs with random faults the trace's
  transfers (from one START to the next) match the guest's one to one,
  except that after a transfer in whose error path a command was stuck
  again (a later fault of the same kind), as many transfers as those
  later stuck commands may fail with its errno before any START: the
  recovery they start with found the bus still held;
- fault_errnos: each transfer with a START failed with the errno
  qemu/linux/fault-errnos gives MODULE for the first fault the model traced
  in it (an arbitration loss, a stuck command; a later one hits the error
  path), every transfer without a traced fault worked, every transfer
  after a stuck SDA (sda-stuck to faults-resume) worked, and none failed
  after soak-end;
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
STUCK = "fault-tip-stuck"
# The command register's bits (shared/reference/ocores-i2c.md).
CR_STA, CR_STO, CR_RD, CR_WR = 0x80, 0x40, 0x20, 0x10


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


def transfers(trace):
    """The fault properties that hit each transfer of TRACE, in order.

    A transfer begins with a command with STA, unless the command before
    it was a plain write (WR without STO: the word address of a
    write-then-read) and no fault came between: that START is a repeated
    START of the same transfer.
    """
    segments = []
    last = 0
    fault_since = False
    for line in trace.splitlines():
        m = re.search(r"ocores_i2c_command command 0x([0-9a-f]+)", line)
        if m:
            cmd = int(m.group(1), 16)
            if cmd & CR_STA and not (last == CR_WR and not fault_since):
                segments.append([])
            if cmd & (CR_STO | CR_RD | CR_WR):
                last = cmd & (CR_STO | CR_RD | CR_WR)
                fault_since = False
            continue
        for event, prop in EVENTS.items():
            if event in line and segments:
                segments[-1].append(prop)
                fault_since = True
    return segments


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
        with open(args.log + ".trace", "rb") as f:
            trace = f.read().decode("utf-8", "replace")
    except FileNotFoundError:
        trace = ""
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
    # The syncs as the host saw them (trace offsets) and as the guest made
    # them (transfers so far): the windows between them.
    host_marks = [(int(m.group(1)), m.group(2)) for m in
                  (re.match(r"# soak-host: trace at (\d+) (.*)$", line)
                   for line in log) if m]
    guest_marks = [(int(m.group(1)), m.group(2)) for m in
                   (re.match(r"soak_mark (\d+) (.*)$", line)
                    for line in lines) if m]
    check("marks", [w for _, w in host_marks] == [w for _, w in guest_marks]
          and len(guest_marks) >= 2,
          f"the host saw the syncs {[w for _, w in host_marks][:5]}..., "
          f"the guest made {[w for _, w in guest_marks][:5]}...")
    errors = {}
    for line in lines:
        words = line.split()
        if words[0] == "soak_err" and len(words) == 4:
            errors[int(words[1])] = (words[2], words[3])
    segments = []
    uncounted = []
    wrong = []
    stuck_ops = 0
    pre_start = 0
    for i in range(min(len(host_marks), len(guest_marks)) - 1):
        (off0, what), (off1, _) = host_marks[i], host_marks[i + 1]
        seq0, seq1 = guest_marks[i][0], guest_marks[i + 1][0]
        window = transfers(trace[off0:off1])
        if what.startswith("sda-stuck"):
            # No random fault here: every transfer must work.
            stuck_ops += 1
            for k in range(seq0 + 1, seq1 + 1):
                if k in errors:
                    wrong.append(f"#{k} {' '.join(errors[k])} after {what}, "
                                 f"want ok")
            if any(window):
                wrong.append(f"#{seq0 + 1} a fault traced after {what}")
            continue
        j = 0
        spare = 0
        for k in range(seq0 + 1, seq1 + 1):
            kind, got = errors.get(k, ("-", "ok"))
            faults = window[j] if j < len(window) else None
            want = "-" if faults is None else table[faults[0]] if faults \
                else "ok"
            if got == want:
                j += 1
                # A stuck command after the first fault hit a recovery
                # command; it may leave the bus to the next transfers'
                # own recovery, which can then fail before their START.
                spare = faults[1:].count(STUCK)
            elif got == table[STUCK] and spare:
                spare -= 1
                pre_start += 1
            else:
                wrong.append(f"#{k} {kind} {got}, faults "
                             f"{faults or 'none'} want {want}")
                break
        if j != len(window):
            uncounted.append(f"#{seq0 + 1}-#{seq1}: {seq1 - seq0} "
                             f"transfers, {len(window)} STARTs, "
                             f"{j} matched")
        segments += window
    check("transfers_traced", not uncounted,
          f"{len(uncounted)} windows whose STARTs do not match the "
          f"transfers: {uncounted[:3]}")
    last = guest_marks[-1][0] if guest_marks else 0
    late = sorted(k for k in errors if k > last)
    check("fault_errnos", not wrong and not late,
          f"{len(wrong)} transfers with another result than their faults "
          f"give, first: {wrong[:3]}; errors after the faults ended: "
          f"{late[:3]}")
    faults = [f for seg in segments for f in seg]
    kinds = {p: faults.count(p) for p in sorted(set(faults))}
    hit = sum(1 for seg in segments if seg)
    multi = sum(1 for seg in segments if len(seg) > 1)
    check("faults_hit", len(faults) >= args.min_faults,
          f"{len(faults)} faults hit a transfer, fewer than {args.min_faults}")
    print(f"    # faults traced: {len(faults)} "
          + " ".join(f"{p}={n}" for p, n in kinds.items())
          + f", in {hit} of {len(segments)} transfers ({multi} with more "
          f"than one); failed transfers: {len(errors)} ({pre_start} before "
          f"their START, after a stuck recovery command); operations on a "
          f"stuck bus: {stuck_ops}")
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
