#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Boots Linux for the load run and injects faults at random times.

Usage: host.py LOG TIMEOUT SEED QEMU-COMMAND...

Starts QEMU-COMMAND (which must have -S, -serial stdio and
-qmp unix:SOCKET,server=on,wait=off), continues it and copies the console
to LOG; the model's fault events (arbitration lost, a command stuck) and
its commands are traced into LOG.trace. Between the init's "i2ctest: sync
soak-begin" and "i2ctest: sync soak-end" it sets one of the controller's
fault properties over QMP after every 1 to 8 STARTs on the bus (which it
counts in the trace, so that the rate per transfer does not depend on the
guest's speed) and 0 to 30 ms more (random choices seeded with SEED):
fault-al-at (arbitration lost at byte 1 to 18 of a later transfer),
fault-busy-stuck (SR.BUSY read as set 1 to 50 times) or, one
time in 25, fault-tip-stuck (a byte command that never ends, which costs
the adapter's timeout). "sync sda-stuck N" stops them, clears the armed
ones (never traced, so never counted) and sets fault-sda-stuck to N;
"sync faults-resume" starts them again. At soak-end it stops, clears
every fault property and logs what it set ("# soak-host: set ..."). At
each sync it logs the trace's length ("# soak-host: trace at N REQUEST"),
then answers on the console, as qemu/linux/run.py does; run.py's other
requests are not served here. Kills QEMU after TIMEOUT seconds. Exits 0
if QEMU exited 0 and the init wrote "i2ctest: done".
"""

import os
import random
import re
import selectors
import sys
import time

# Importing qmp.py must not leave a __pycache__ in the source tree.
sys.dont_write_bytecode = True
here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "boot"))
sys.path.insert(0, os.path.join(here, ".."))
import qmp  # noqa: E402  (qemu/boot/qmp.py)
from run import CONTROLLER, launch, stop  # noqa: E402  (qemu/linux/run.py)

# The model's trace events that mark a fault hitting a transfer, and the
# commands, whose STARTs tell one transfer from the next.
TRACE_EVENTS = ("ocores_i2c_arbitration_lost", "ocores_i2c_stuck",
                "ocores_i2c_command")
FAULT_PROPERTIES = ("fault-al-at", "fault-busy-stuck", "fault-tip-stuck")
# A target holding SDA low, which the init asks for while the bus is idle.
SDA = "fault-sda-stuck"
# STARTs on the bus between two faults, whatever the guest's speed (a
# write-then-read has two), and the milliseconds after the last of them.
GAP_STARTS = (1, 8)
DELAY_MS = (0, 30)


def pick(rng):
    """A fault property and its value."""
    r = rng.random()
    if r < 0.6:
        return "fault-al-at", rng.randint(1, 18)
    if r < 0.96:
        return "fault-busy-stuck", rng.randint(1, 50)
    return "fault-tip-stuck", 1


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    seed = int(argv[3])
    started = launch(argv, TRACE_EVENTS, "host.py")
    if started is None:
        return 2
    proc, sock, log, trace, deadline = started
    try:
        return serve(proc, sock, log, deadline, random.Random(seed), trace)
    finally:
        stop(proc, log)


def trace_size(trace):
    """The trace's length: QEMU writes each event's line at once."""
    try:
        return os.path.getsize(trace)
    except OSError:
        return 0


class StartCounter:
    """Counts the commands with STA in the trace as QEMU writes it."""

    def __init__(self, trace):
        self.trace = trace
        self.offset = 0
        self.starts = 0

    def count(self):
        try:
            with open(self.trace, "rb") as f:
                f.seek(self.offset)
                text = f.read()
        except OSError:
            return self.starts
        end = text.rfind(b"\n") + 1
        self.offset += end
        for m in re.finditer(rb"ocores_i2c_command command 0x([0-9a-f]+)",
                             text[:end]):
            if int(m.group(1), 16) & 0x80:
                self.starts += 1
        return self.starts


def serve(proc, sock, log, deadline, rng, trace):
    mon = qmp.Qmp(qmp.connect(sock))

    def qom_set(prop, value):
        mon.run({"execute": "qom-set",
                 "arguments": {"path": CONTROLLER, "property": prop,
                               "value": value}})

    mon.run({"execute": "cont"})
    done = False
    injecting = False
    starts = StartCounter(trace)
    next_start = 0
    fire_at = None
    counts = {p: 0 for p in FAULT_PROPERTIES}
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    while True:
        now = time.monotonic()
        if now >= deadline:
            log.write("# soak-host: timeout, killing QEMU\n")
            proc.kill()
            break
        seen = starts.count()
        if injecting and fire_at is None and seen >= next_start:
            fire_at = now + rng.uniform(*DELAY_MS) / 1000
        if injecting and fire_at is not None and now >= fire_at:
            prop, value = pick(rng)
            try:
                qom_set(prop, value)
            except SystemExit:
                break  # QEMU has gone; its exit status tells.
            counts[prop] += 1
            next_start = seen + rng.randint(*GAP_STARTS)
            fire_at = None
        wait = deadline - now
        if injecting:
            wait = min(wait, 0.005)
        if not sel.select(timeout=min(wait, 1.0)):
            continue
        chunk = os.read(proc.stdout.fileno(), 65536)
        if not chunk:
            break
        pending += chunk
        *lines, pending = pending.split(b"\n")
        for raw in lines:
            line = raw.decode("utf-8", "replace").rstrip("\r")
            log.write(line + "\n")
            log.flush()
            m = re.search(r"i2ctest: (.*)$", line)
            if not m:
                continue
            words = m.group(1).split()
            if words == ["done"]:
                done = True
            if words[:1] != ["sync"]:
                continue
            log.write(f"# soak-host: trace at {trace_size(trace)} "
                      f"{' '.join(words[1:])}\n")
            if words[1:] in (["soak-begin"], ["faults-resume"]):
                injecting = True
                next_start = starts.count() + rng.randint(*GAP_STARTS)
                fire_at = None
            elif words[1:2] == ["sda-stuck"] and len(words) == 3:
                injecting = False
                for p in FAULT_PROPERTIES:
                    qom_set(p, 0)
                qom_set(SDA, int(words[2], 0))
                counts[SDA] = counts.get(SDA, 0) + 1
            elif words[1:] == ["soak-end"]:
                injecting = False
                left = {p: mon.run({"execute": "qom-get",
                                    "arguments": {"path": CONTROLLER,
                                                  "property": p}})
                        for p in FAULT_PROPERTIES + (SDA,)}
                for p in FAULT_PROPERTIES + (SDA,):
                    qom_set(p, 0)
                log.write("# soak-host: set " + " ".join(
                    f"{p}={n}" for p, n in counts.items()) + "; left armed "
                    + " ".join(f"{p}={v}" for p, v in left.items()) + "\n")
            else:
                log.write(f"# soak-host: unknown request {' '.join(words)}\n")
            log.flush()
            proc.stdin.write(b"go\n")
            proc.stdin.flush()
    rc = proc.wait()
    log.write(f"# soak-host: QEMU exit status {rc}\n")
    return 0 if rc == 0 and done else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
