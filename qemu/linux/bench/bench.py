#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Boots the benchmark init (qemu/linux/bench) and prints the comparison.

Usage: bench.py --qemu QEMU --firmware FW --work DIR
                --kernel NAME IMAGE INITRD [--kernel ...]
                [--personalities on,off] [--speeds HZ,...] [--shifts 0,3]
                [--transfers N] [--runs N] [--modules A,B]
                [--size MODULE BYTES ...] [--json FILE]

For each kernel, -icount shift, personality (i2c-erratum=on: polling;
off: interrupts) and bus speed, boots the patched sifive_u --runs times;
each boot measures every module of --modules in turn (the first is the
reference, the last the one compared with it). The bus speed is the
device tree's clock-frequency of the I2C node: the machine's own tree
(dumpdtb) with that property set by fdtput.

The init asks over the console ("bench: sync reset M", "bench: sync
stats M"); this script answers over QMP: it clears the model's register
access counters and interrupt service latency statistics before a
module's transfers and reads them after.

Figures (virtual time: under -icount every one of them is independent of
the host's load):
  probe       how late the SCHED_FIFO probe woke while the transfers ran:
              mean / sd / p99 / max, us
  transfer    one I2C_RDWR transfer, mean / sd, us
  cpu         the CPU one transfer takes, us: what the SCHED_IDLE counter
              lost against its rate on the idle bus
  insn        guest instructions per transfer: cpu / (2^shift ns), since
              under -icount each instruction advances the virtual clock by
              2^shift ns and the counter keeps the CPU from ever idling
  acc/B       register accesses (the model's counters) per payload byte
  irq         the model's interrupt service latency: mean / sd / max, us
Exits non-zero if a boot fails.
"""

import argparse
import json
import os
import re
import selectors
import socket
import statistics
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "..", "boot"))
import qmp  # noqa: E402  (qemu/boot/qmp.py)

CONTROLLER = "/machine/soc/i2c0"
I2C_NODE = "/soc/i2c@10030000"
# One transfer's payload: 17 bytes written, or 1 written and 16 read.
PAYLOAD = 17
BOOT_TIMEOUT = 900


def connect(path, proc, deadline):
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"no QMP socket at {path}")


def make_dtb(args, erratum, speed):
    """The machine's device tree with the I2C bus at `speed` Hz."""
    dtb = os.path.join(args.work, f"sifive_u-{erratum}-{speed}.dtb")
    if not os.path.exists(dtb):
        subprocess.run([args.qemu, "-M",
                        f"sifive_u,i2c-erratum={erratum},dumpdtb={dtb}",
                        "-smp", "2", "-m", "256M", "-display", "none",
                        "-bios", args.firmware],
                       check=True, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        subprocess.run(["fdtput", "-t", "u", dtb, I2C_NODE,
                        "clock-frequency", str(speed)], check=True)
    return dtb


def boot(args, kernel, shift, erratum, speed, run):
    """One boot; returns {module: {figure: value}}."""
    name, image, initrd = kernel
    tag = f"{name}-s{shift}-{erratum}-{speed}-r{run}"
    log_path = os.path.join(args.work, tag + ".log")
    sock = os.path.join(args.work, tag + ".sock")
    eeprom = os.path.join(args.work, tag + ".eeprom")
    with open(eeprom, "wb") as f:
        f.write(bytes(512))
    cmd = [args.qemu, "-M",
           f"sifive_u,i2c-erratum={erratum},i2c-eeprom=eeprom",
           "-smp", "2", "-m", "256M", "-display", "none", "-monitor", "none",
           "-serial", "stdio", "-no-reboot",
           "-icount", f"shift={shift},sleep=off", "-S",
           "-qmp", f"unix:{sock},server=on,wait=off",
           "-bios", args.firmware, "-kernel", image, "-initrd", initrd,
           "-dtb", make_dtb(args, erratum, speed),
           "-append", "console=ttySIF0 printk.devkmsg=on panic=-1 "
           f"bench.modules={','.join(args.modules)} "
           f"bench.transfers={args.transfers}",
           "-drive", f"if=none,id=eeprom,file={eeprom},format=raw"]
    deadline = time.monotonic() + BOOT_TIMEOUT
    proc = subprocess.Popen(cmd, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    res = {m: {} for m in args.modules}
    done = False
    try:
        mon = qmp.Qmp(connect(sock, proc, deadline))

        def get(prop):
            return mon.run({"execute": "qom-get", "arguments": {
                "path": CONTROLLER, "property": prop}})

        def put(prop, value):
            mon.run({"execute": "qom-set", "arguments": {
                "path": CONTROLLER, "property": prop, "value": value}})

        mon.run({"execute": "cont"})
        sel = selectors.DefaultSelector()
        sel.register(proc.stdout, selectors.EVENT_READ)
        pending = b""
        with open(log_path, "w", encoding="utf-8", errors="replace") as log:
            while time.monotonic() < deadline:
                if not sel.select(timeout=1.0):
                    continue
                chunk = os.read(proc.stdout.fileno(), 65536)
                if not chunk:
                    break
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for raw in lines:
                    line = raw.decode("utf-8", "replace").rstrip("\r")
                    log.write(line + "\n")
                    m = re.search(r"bench: (.*)$", line)
                    if not m:
                        continue
                    w = m.group(1).split()
                    if w == ["done"]:
                        done = True
                    elif w[0] == "failed":
                        raise RuntimeError(f"{tag}: {m.group(1)}")
                    elif w[:2] == ["sync", "reset"]:
                        for p in ("reads", "writes", "irq-latency-count"):
                            put(p, 0)
                    elif w[:2] == ["sync", "stats"]:
                        r = res[w[2]]
                        r["reads"] = get("reads")
                        r["writes"] = get("writes")
                        for p in ("count", "mean", "stddev", "max"):
                            r["irq_" + p] = get("irq-latency-" + p)
                    elif w[0] in ("idle", "busy", "transfers", "counter",
                                  "counter_busy") and w[1] in res:
                        kv = dict(zip(w[2::2], w[3::2]))
                        for k, v in kv.items():
                            res[w[1]][f"{w[0]}_{k}"] = float(v)
                    if w[:1] == ["sync"]:
                        proc.stdin.write(b"go\n")
                        proc.stdin.flush()
                if done:
                    break
    finally:
        if proc.poll() is None:
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
    if not done:
        raise RuntimeError(f"{tag}: the bench did not finish; see {log_path}")
    ns_per_insn = 1 << shift
    for m, r in res.items():
        n = r["transfers_n"]
        rate = r["counter_loops"] / r["counter_ns"]
        idle_ns = r["counter_busy_loops"] / rate
        cpu_ns = (r["counter_busy_ns"] - idle_ns) / n
        r["cpu_ns"] = cpu_ns
        r["insn"] = cpu_ns / ns_per_insn
        r["acc_per_byte"] = (r["reads"] + r["writes"]) / (n * PAYLOAD)
    return res


def mean(values):
    return statistics.fmean(values) if values else 0.0


def us(ns):
    return ns / 1000.0


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--qemu", required=True)
    ap.add_argument("--firmware", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--kernel", nargs=3, action="append", required=True,
                    metavar=("NAME", "IMAGE", "INITRD"))
    ap.add_argument("--personalities", default="on,off")
    ap.add_argument("--speeds", default="100000,400000,1000000")
    ap.add_argument("--shifts", default="0,3")
    ap.add_argument("--transfers", type=int, default=200)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--modules", default="i2c-ocores,sifive_i2c")
    ap.add_argument("--size", nargs=2, action="append", default=[],
                    metavar=("MODULE", "BYTES"))
    ap.add_argument("--json")
    args = ap.parse_args()
    args.modules = args.modules.split(",")
    ref, ours = args.modules[0], args.modules[-1]
    rows = []
    for kernel in args.kernel:
        for shift in [int(s) for s in args.shifts.split(",")]:
            for erratum in args.personalities.split(","):
                for speed in [int(s) for s in args.speeds.split(",")]:
                    runs = [boot(args, kernel, shift, erratum, speed, r)
                            for r in range(args.runs)]
                    rows.append({"kernel": kernel[0], "shift": shift,
                                 "erratum": erratum, "speed": speed,
                                 "runs": runs})
                    print_row(rows[-1], ref, ours)
                    sys.stdout.flush()
    if args.size:
        sizes = dict((m, int(b)) for m, b in args.size)
        print(f"# module size (text): {ref} {sizes.get(ref, 0)} B, "
              f"{ours} {sizes.get(ours, 0)} B, ratio "
              f"{sizes.get(ours, 0) / max(sizes.get(ref, 1), 1):.2f}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(rows, f, indent=1)


def figures(runs, m):
    """A module's figures over the runs: means, and the worst maximum."""
    def avg(k):
        return mean([r[m][k] for r in runs])
    return {
        "lat": (us(avg("busy_mean_ns")), us(avg("busy_sd_ns")),
                us(avg("busy_p99_ns")),
                us(max(r[m]["busy_max_ns"] for r in runs))),
        "idle": (us(avg("idle_mean_ns")), us(avg("idle_sd_ns")),
                 us(max(r[m]["idle_max_ns"] for r in runs))),
        "xfer": (us(avg("transfers_mean_ns")), us(avg("transfers_sd_ns"))),
        "cpu": us(avg("cpu_ns")),
        "insn": avg("insn"),
        "acc": avg("acc_per_byte"),
        "irq": (us(avg("irq_mean")), us(avg("irq_stddev")),
                us(max(r[m]["irq_max"] for r in runs)), avg("irq_count")),
    }


def ratio(a, b):
    return a / b if b else float("nan")


def print_row(row, ref, ours):
    runs = row["runs"]
    pers = "polling" if row["erratum"] == "on" else "irq"
    head = (f"{row['kernel']} shift={row['shift']} {pers} "
            f"{row['speed'] // 1000} kHz ({len(runs)} run"
            f"{'s' if len(runs) > 1 else ''})")
    print(f"== {head}")
    print(f"  {'driver':<11} {'probe mean/sd/p99/max us':>27} "
          f"{'idle mean/sd/max':>17} {'xfer mean/sd us':>16} "
          f"{'cpu us':>8} {'insn':>8} {'acc/B':>6} {'irq mean/sd/max us':>20}")
    fig = {}
    for m in (ref, ours):
        f = fig[m] = figures(runs, m)
        lat = "/".join(f"{x:.1f}" for x in f["lat"])
        idle = "/".join(f"{x:.1f}" for x in f["idle"])
        xfer = "/".join(f"{x:.0f}" for x in f["xfer"])
        irq = ("/".join(f"{x:.1f}" for x in f["irq"][:3])
               if f["irq"][3] else "-")
        print(f"  {m:<11} {lat:>27} {idle:>17} {xfer:>16} "
              f"{f['cpu']:>8.1f} {f['insn']:>8.0f} {f['acc']:>6.2f} "
              f"{irq:>20}")
    a, b = fig[ours], fig[ref]
    worst_max = max(ratio(r[ours]["busy_max_ns"], r[ref]["busy_max_ns"])
                    for r in runs)
    print(f"  ratio {ours}/{ref}: probe sd {ratio(a['lat'][1], b['lat'][1]):.2f}"
          f" max {ratio(a['lat'][3], b['lat'][3]):.2f}"
          f" (worst run {worst_max:.2f}),"
          f" transfer {ratio(a['xfer'][0], b['xfer'][0]):.2f},"
          f" cpu {ratio(a['cpu'], b['cpu']):.2f},"
          f" insn {ratio(a['insn'], b['insn']):.2f},"
          f" acc/B {ratio(a['acc'], b['acc']):.2f}")


if __name__ == "__main__":
    try:
        main()
    except RuntimeError as e:
        print(f"bench: {e}", file=sys.stderr)
        sys.exit(1)
