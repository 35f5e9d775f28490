#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Boots Linux with the init of qemu/linux/init once and serves its requests.

Usage: run.py LOG TIMEOUT TEMPERATURE QEMU-COMMAND...

Starts QEMU-COMMAND (which must have -S, -serial stdio and
-qmp unix:SOCKET,server=on,wait=off; SOCKET is taken from it), sets the
TMP105's temperature (millidegrees) over QMP while the machine is paused,
continues it and copies the console to LOG. For each line
"i2ctest: sync qom-set PROPERTY VALUE" of the init it sets the controller's
property, for "i2ctest: sync counters LABEL" it appends the controller's
register access counters to LOG as "# counters LABEL READS WRITES", for
"i2ctest: sync wire LABEL" the bus events since the last such line as
"# wire LABEL EVENT..."; then it answers the init on the console. Kills QEMU
after TIMEOUT seconds. Exits 0 if QEMU exited 0 and the init wrote
"i2ctest: done".

The bus events are the model's trace events (qemu/model, hw/i2c/trace-events),
which run.py enables with -trace into LOG.trace (-D). Each becomes one word:
"S50w+" a START (or repeated START) and the address byte of target 0x50 with
the write bit, ACKed ("-": NACKed); "w3c+" a byte written, ACKed by the
target; "r3c+" a byte read, ACKed by the master ("-": NACKed); "P" a STOP;
"AL" arbitration lost; "SDA" arbitration lost to SDA held low; "noP" a STOP
that SDA held low kept off the bus.
"""

import os
import re
import selectors
import signal
import subprocess
import sys
import time

# Importing qmp.py must not leave a __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "boot"))
import qmp  # noqa: E402  (qemu/boot/qmp.py)

CONTROLLER = "/machine/soc/i2c0"
# The model's trace events that are bus events.
WIRE_EVENTS = ("ocores_i2c_address", "ocores_i2c_send", "ocores_i2c_recv",
               "ocores_i2c_stop", "ocores_i2c_stop_held",
               "ocores_i2c_sda_lost", "ocores_i2c_arbitration_lost")


def wire_word(line):
    """One trace line of the log backend as a bus event word, or None."""
    m = re.match(r"(?:\d+@[\d.]+:)?(ocores_i2c_\w+) ?(.*)$", line)
    if not m:
        return None
    event, text = m.groups()
    nums = [int(x, 0) for x in re.findall(r"0x[0-9a-f]+|\b\d+\b", text)]
    if event == "ocores_i2c_address":
        a, recv, ack = nums
        return f"S{a:02x}{'r' if recv else 'w'}{'+' if ack else '-'}"
    if event == "ocores_i2c_send":
        v, ack = nums
        return f"w{v:02x}{'+' if ack else '-'}"
    if event == "ocores_i2c_recv":
        v, ack = nums
        return f"r{v:02x}{'+' if ack else '-'}"
    return {"ocores_i2c_stop": "P", "ocores_i2c_stop_held": "noP",
            "ocores_i2c_sda_lost": "SDA",
            "ocores_i2c_arbitration_lost": "AL"}.get(event)


def launch(argv, events, who):
    """Starts QEMU for a runner called as WHO LOG TIMEOUT ARG QEMU-COMMAND...:
    the command with EVENTS traced into LOG.trace. Returns (proc, QMP socket,
    log file, trace path, deadline), or None, with a message, when the
    command has no -qmp unix:SOCKET,server=on."""
    log_path, timeout = argv[1], float(argv[2])
    trace = log_path + ".trace"
    command = argv[4:] + ["-D", trace]
    for event in events:
        command += ["-trace", event]
    sock = None
    for arg in command:
        m = re.match(r"unix:([^,]+),server=on", arg)
        if m:
            sock = m.group(1)
    if sock is None:
        print(f"{who}: no -qmp unix: socket in the command", file=sys.stderr)
        return None

    # timeout(1)'s SIGTERM ends the runner through its finally (stop()).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(124))
    deadline = time.monotonic() + timeout
    log = open(log_path, "w", encoding="utf-8", errors="replace")
    proc = subprocess.Popen(command, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    return proc, sock, log, trace, deadline


def stop(proc, log):
    """Ends a runner's QEMU: a failed QMP command ends the runner
    (qmp.fail), which must never leave QEMU running behind it."""
    if proc.poll() is None:
        proc.kill()
        proc.wait()
    log.close()


def main(argv):
    if len(argv) < 5:
        print(__doc__, file=sys.stderr)
        return 2
    temperature = int(argv[3])
    started = launch(argv, WIRE_EVENTS, "run.py")
    if started is None:
        return 2
    proc, sock, log, trace, deadline = started
    try:
        return serve(proc, sock, log, deadline, temperature, trace)
    finally:
        stop(proc, log)


def serve(proc, sock, log, deadline, temperature, trace):
    mon = qmp.Qmp(qmp.connect(sock))
    # QEMU flushes each trace line (qemu_log_unlock): what the file holds
    # when the init asks is every event before its request.
    trace_at = 0

    def wire():
        nonlocal trace_at
        try:
            with open(trace, "rb") as f:
                f.seek(trace_at)
                text = f.read()
        except FileNotFoundError:
            text = b""
        end = text.rfind(b"\n") + 1
        trace_at += end
        words = (wire_word(line) for line in
                 text[:end].decode("utf-8", "replace").splitlines())
        return " ".join(w for w in words if w)

    def qom_get(prop):
        return mon.run({"execute": "qom-get",
                        "arguments": {"path": CONTROLLER, "property": prop}})

    mon.run({"execute": "qom-set",
             "arguments": {"path": CONTROLLER + "/tmp105",
                           "property": "temperature", "value": temperature}})
    mon.run({"execute": "cont"})

    done = False
    sel = selectors.DefaultSelector()
    sel.register(proc.stdout, selectors.EVENT_READ)
    pending = b""
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            log.write("# run.py: timeout, killing QEMU\n")
            proc.kill()
            break
        if not sel.select(timeout=min(left, 1.0)):
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
            if words[1:2] == ["qom-set"] and len(words) == 4:
                mon.run({"execute": "qom-set",
                         "arguments": {"path": CONTROLLER,
                                       "property": words[2],
                                       "value": int(words[3], 0)}})
            elif words[1:2] == ["wire"] and len(words) == 3:
                log.write(f"# wire {words[2]} {wire()}\n")
            elif words[1:2] == ["counters"] and len(words) == 3:
                log.write(f"# counters {words[2]} {qom_get('reads')} "
                          f"{qom_get('writes')}\n")
            else:
                log.write(f"# run.py: unknown request {' '.join(words)}\n")
            log.flush()
            proc.stdin.write(b"go\n")
            proc.stdin.flush()
    rc = proc.wait()
    log.write(f"# run.py: QEMU exit status {rc}\n")
    return 0 if rc == 0 and done else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
