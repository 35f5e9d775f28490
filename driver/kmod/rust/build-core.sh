#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Builds the Rust core of the sifive_i2c module and writes its object to $1.
#
# cargo builds the crate as a staticlib for riscv64imac-unknown-none-elf
# (soft-float, as the kernel; panic=abort, opt-level "s" and LTO from the
# workspace's release profile); the module links the crate's own object out of
# it, not compiler_builtins: the few library calls left (memcpy, memset, ...)
# resolve to the kernel's exports. Linker relaxation is off because the
# kernel's module loader refuses R_RISCV_ALIGN.
set -eu

out=$1
here=$(cd "$(dirname "$0")" && pwd)
target=riscv64imac-unknown-none-elf
tdir="$here/../target"

# Kbuild's environment names the kernel's compilers and flags; none of it
# applies to cargo's own build scripts.
unset CC CFLAGS LD AR NM OBJCOPY KBUILD_CFLAGS

RUSTFLAGS="-C target-feature=-relax" \
	cargo rustc --quiet --release --locked --lib --crate-type staticlib \
	--manifest-path "$here/Cargo.toml" --target "$target" --target-dir "$tdir"

lib="$tdir/$target/release/libsifive_i2c_kmod.a"
member=$(riscv64-linux-gnu-ar t "$lib" | grep '^sifive_i2c_kmod-.*\.o$')
[ "$(echo "$member" | wc -l)" = 1 ] || {
	echo "build-core.sh: expected one sifive_i2c_kmod object in $lib, got: $member" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && riscv64-linux-gnu-ar x "$lib" "$member")
if ! cmp -s "$tmp/$member" "$out"; then
	cp "$tmp/$member" "$out"
fi
