#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Talks QMP to a QEMU started with -qmp unix:SOCKET,server=on,wait=off.

Usage: qmp.py SOCKET [--wait-for FILE PATTERN] COMMAND...

Each COMMAND is a QMP command as JSON ({"execute": ..., "arguments": ...}).
They run in order; the "return" value of each is printed as one JSON line.
"--wait-for FILE PATTERN" (before the commands) first waits until FILE
contains PATTERN. Exits non-zero on an error reply or after 60 seconds.
"""

import json
import os
import socket
import sys
import time

DEADLINE = time.monotonic() + 60


def fail(msg):
    print(f"qmp: {msg}", file=sys.stderr)
    sys.exit(1)


def connect(path):
    while time.monotonic() < DEADLINE:
        try:
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.connect(path)
            return sock
        except OSError:
            time.sleep(0.05)
    fail(f"no QMP socket at {path}")


class Qmp:
    def __init__(self, sock):
        self.file = sock.makefile("rw")
        try:
            self.reply()  # Greeting.
        except OSError as e:
            fail(str(e))
        self.run({"execute": "qmp_capabilities"})

    def reply(self):
        while True:
            line = self.file.readline()
            if not line:
                raise OSError("QEMU closed the connection")
            msg = json.loads(line)
            if "event" not in msg:
                return msg

    def run(self, cmd):
        self.file.write(json.dumps(cmd) + "\n")
        self.file.flush()
        try:
            msg = self.reply()
        except (OSError, SystemExit):
            # After "cont" the guest may finish, and QEMU exit, before the reply
            # is read; after "quit" that is the point.
            if cmd["execute"] in ("cont", "quit"):
                return None
            raise
        if "error" in msg:
            fail(f"{cmd['execute']}: {msg['error'].get('desc')}")
        return msg.get("return")


def wait_for(path, pattern):
    while time.monotonic() < DEADLINE:
        if os.path.exists(path):
            with open(path, encoding="utf-8", errors="replace") as f:
                if pattern in f.read():
                    return
        time.sleep(0.05)
    fail(f"{pattern!r} never appeared in {path}")


def main(argv):
    if len(argv) < 2:
        fail(__doc__)
    qmp = Qmp(connect(argv[1]))
    args = argv[2:]
    if args[:1] == ["--wait-for"]:
        wait_for(args[1], args[2])
        args = args[3:]
    for arg in args:
        try:
            print(json.dumps(qmp.run(json.loads(arg))))
        except OSError as e:
            fail(str(e))


if __name__ == "__main__":
    main(sys.argv)
