#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Builds the Rust core of the sifive_i2c module and writes its object to $1.
#
# Usage: build-core.sh OUT.o [--panic-test] [--frame-pointers]
#
# cargo builds the crate as a staticlib for riscv64imac-unknown-none-elf
# (soft-float, as the kernel; panic=abort, opt-level "s" and LTO from the
# workspace's release profile: "z" would save about 550 bytes of code but
# costs 8 % more instructions per interrupt-driven transfer); the module
# links the crate's own object out of it, not compiler_builtins: the few
# library calls left (memcpy, memset, ...) resolve to the kernel's exports.
# Linker relaxation is off because the kernel's module loader refuses
# R_RISCV_ALIGN. --panic-test builds the core with its panic-test feature (a
# panic on request in each entry point, for the landing pad's test); never
# for a module that is shipped.
#
# A build without it must have no panic path: the glue then calls the core
# without a landing pad. The script fails if the object calls anything
# outside itself but memcpy, memmove, memset and memcmp (the panic handler
# calls the glue's sifive_i2c_glue_panic, so a panic that LTO could not
# remove shows as that call) or holds a trap instruction (an abort).
#
# --frame-pointers (Kbuild passes it for a kernel with
# CONFIG_FRAME_POINTER, as the kernel gives its own Rust code frame pointers
# when it has them): the warning of a panic in the core then shows a
# backtrace through it. Without, the code is smaller by about 450 bytes.
#
# The object carries no unwind tables: the kernel never reads .eh_frame, and
# its R_RISCV_32_PCREL relocations are unknown to Linux 6.1's module loader.
# Every relocation type left must be one that 6.1's loader applies (the
# oldest kernel the module supports; newer loaders handle more); otherwise
# the script fails and names the types.
set -eu

out=$1
shift
features=
panic_test=false
flags="-C target-feature=-relax -C force-unwind-tables=no"
for arg; do
	case "$arg" in
	--panic-test)
		features="--features panic-test"
		panic_test=true
		;;
	--frame-pointers) flags="$flags -C force-frame-pointers=yes" ;;
	*)
		echo "usage: build-core.sh OUT.o [--panic-test] [--frame-pointers]" >&2
		exit 2
		;;
	esac
done
here=$(cd "$(dirname "$0")" && pwd)
target=riscv64imac-unknown-none-elf
tdir="$here/../target"

# Kbuild's environment names the kernel's compilers and flags; none of it
# applies to cargo's own build scripts.
unset CC CFLAGS LD AR NM OBJCOPY KBUILD_CFLAGS

# shellcheck disable=SC2086
RUSTFLAGS="$flags" \
	cargo rustc --quiet --release --locked --lib --crate-type staticlib \
	--manifest-path "$here/Cargo.toml" --target "$target" --target-dir "$tdir" \
	$features

lib="$tdir/$target/release/libsifive_i2c_kmod.a"
member=$(riscv64-linux-gnu-ar t "$lib" | grep '^sifive_i2c_kmod-.*\.o$')
[ "$(echo "$member" | wc -l)" = 1 ] || {
	echo "build-core.sh: expected one sifive_i2c_kmod object in $lib, got: $member" >&2
	exit 1
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && riscv64-linux-gnu-ar x "$lib" "$member")
# The functions of the precompiled core library keep their unwind tables
# through LTO: remove what is left.
riscv64-linux-gnu-objcopy --remove-section=.eh_frame --remove-section=.rela.eh_frame \
	"$tmp/$member" "$tmp/core.o"

# The relocation types arch/riscv/kernel/module.c of Linux 6.1 applies
# (R_RISCV_ALIGN is in its table only to be refused).
allowed="R_RISCV_32 R_RISCV_64 R_RISCV_BRANCH R_RISCV_JAL R_RISCV_RVC_BRANCH
	R_RISCV_RVC_JUMP R_RISCV_PCREL_HI20 R_RISCV_PCREL_LO12_I R_RISCV_PCREL_LO12_S
	R_RISCV_HI20 R_RISCV_LO12_I R_RISCV_LO12_S R_RISCV_GOT_HI20 R_RISCV_CALL_PLT
	R_RISCV_CALL R_RISCV_RELAX R_RISCV_ADD32 R_RISCV_ADD64 R_RISCV_SUB32
	R_RISCV_SUB64"
# readelf -rW prints one line per relocation, starting with its offset; the
# type is the third field (a type it does not know reads "unrecognized:").
# The loader skips the relocations of sections not loaded (the debug info of
# the precompiled core library).
bad=$(riscv64-linux-gnu-readelf -rW "$tmp/core.o" | awk -v ok="$allowed" '
	BEGIN { n = split(ok, a); for (i = 1; i <= n; i++) allow[a[i]] = 1 }
	/^Relocation section / { debug = ($3 ~ /^.\.rela?\.debug_/) }
	!debug && /^[0-9a-f]+ +[0-9a-f]+ / && !($3 in allow) { print $3 }' |
	sort -u | tr '\n' ' ')
if [ -n "$bad" ]; then
	echo "build-core.sh: the Rust object has relocation types that Linux 6.1's" \
		"module loader refuses: $bad" >&2
	exit 1
fi
if riscv64-linux-gnu-readelf -SW "$tmp/core.o" | grep -q '\.eh_frame'; then
	echo "build-core.sh: the Rust object still has an .eh_frame section" >&2
	exit 1
fi

# What the object calls outside itself: the kernel's string functions, and in
# the panic test build the glue's panic function.
calls="memcpy memmove memset memcmp"
if $panic_test; then
	calls="$calls sifive_i2c_glue_panic"
fi
bad=$(riscv64-linux-gnu-nm -u "$tmp/core.o" | awk -v ok="$calls" '
	BEGIN { n = split(ok, a); for (i = 1; i <= n; i++) allow[a[i]] = 1 }
	$1 == "U" && !($2 in allow) { print $2 }' | tr '\n' ' ')
if [ -n "$bad" ]; then
	echo "build-core.sh: the Rust object calls outside itself: $bad(a panic path," \
		"sifive_i2c_glue_panic, must not be linked into a build without --panic-test)" >&2
	exit 1
fi
if ! $panic_test && riscv64-linux-gnu-objdump -d "$tmp/core.o" |
	grep -qE '[[:space:]](unimp|ebreak|c\.ebreak)([[:space:]]|$)'; then
	echo "build-core.sh: the Rust object has a trap instruction (an abort path)" >&2
	exit 1
fi

if ! cmp -s "$tmp/core.o" "$out"; then
	cp "$tmp/core.o" "$out"
fi
