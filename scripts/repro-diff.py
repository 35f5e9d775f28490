#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR MIT
"""Says where two builds of one artifact differ: which ELF sections, how many bytes.

Run by scripts/repro when cmp finds a difference. For ELF files (executables,
relocatable objects such as a .ko) it compares the ELF header, the program
headers and each section by name; for anything else, the bytes. Exits 0 when
the files are identical, 1 when they differ, 2 on bad usage.
"""

import struct
import sys


def elf_sections(data):
    """{name: (type, offset, size)} of a 64- or 32-bit ELF file, or None."""
    if data[:4] != b"\x7fELF" or len(data) < 52:
        return None
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        phoff, shoff = struct.unpack_from(end + "QQ", data, 0x20)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(
            end + "HHHHH", data, 0x36)
        ehsize = 64
    else:
        phoff, shoff = struct.unpack_from(end + "II", data, 0x1C)
        phentsize, phnum, shentsize, shnum, shstrndx = struct.unpack_from(
            end + "HHHHH", data, 0x2A)
        ehsize = 52
    headers = []
    for i in range(shnum):
        base = shoff + i * shentsize
        if is64:
            name, kind, _, _, off, size = struct.unpack_from(end + "IIQQQQ",
                                                             data, base)
        else:
            name, kind, _, _, off, size = struct.unpack_from(end + "IIIIII",
                                                             data, base)
        headers.append((name, kind, off, size))
    if not headers or shstrndx >= len(headers):
        return None
    strtab = headers[shstrndx]
    sections = {
        "(ELF header)": (None, 0, ehsize),
        "(program headers)": (None, phoff, phnum * phentsize),
        "(section headers)": (None, shoff, shnum * shentsize),
    }
    for i, (name, kind, off, size) in enumerate(headers):
        start = strtab[2] + name
        label = data[start:data.index(b"\0", start)].decode(errors="replace")
        label = label or f"(section {i})"
        if label in sections:
            label = f"{label} (section {i})"
        sections[label] = (kind, off, size)
    return sections


def byte_diff(a, b):
    """(differing bytes over the common length, first differing offset)."""
    count, first = 0, None
    for i, (x, y) in enumerate(zip(a, b)):
        if x != y:
            count += 1
            if first is None:
                first = i
    return count, first


def report(path_a, path_b):
    with open(path_a, "rb") as f:
        a = f.read()
    with open(path_b, "rb") as f:
        b = f.read()
    if a == b:
        return []
    lines = []
    if len(a) != len(b):
        lines.append(f"size {len(a)} vs {len(b)} bytes")
    sa, sb = elf_sections(a), elf_sections(b)
    if sa is None or sb is None:
        count, first = byte_diff(a, b)
        lines.append(f"{count} bytes differ, the first at 0x{first or 0:x}"
                     if count else "one is a prefix of the other")
        return lines
    for name in list(sa) + [n for n in sb if n not in sa]:
        if name not in sa or name not in sb:
            lines.append(f"{name}: only in {'the first' if name in sa else 'the second'}")
            continue
        kind_a, off_a, size_a = sa[name]
        kind_b, off_b, size_b = sb[name]
        nobits = 8
        body_a = b"" if kind_a == nobits else a[off_a:off_a + size_a]
        body_b = b"" if kind_b == nobits else b[off_b:off_b + size_b]
        if size_a != size_b:
            lines.append(f"{name}: size 0x{size_a:x} vs 0x{size_b:x}")
        elif body_a != body_b:
            count, first = byte_diff(body_a, body_b)
            lines.append(f"{name}: {count} of {size_a} bytes differ, the first "
                         f"at 0x{first:x} in the section (file offset "
                         f"0x{off_a + first:x})")
        elif off_a != off_b:
            lines.append(f"{name}: same bytes at file offset 0x{off_a:x} vs "
                         f"0x{off_b:x}")
    return lines or ["the bytes between sections differ"]


def main():
    if len(sys.argv) != 3:
        print(f"usage: {sys.argv[0]} FILE-A FILE-B", file=sys.stderr)
        sys.exit(2)
    lines = report(sys.argv[1], sys.argv[2])
    for line in lines:
        print(line)
    sys.exit(1 if lines else 0)


if __name__ == "__main__":
    main()
