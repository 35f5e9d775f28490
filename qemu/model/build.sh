#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# Builds qemu-system-riscv64 with the OpenCores I2C model wired into sifive_u
# and sifive_e (the RV32 HiFive1 images run on it with -cpu sifive-e31, so no
# second target is built), and (with --build-dir) the qtests of the model and
# of sifive_e's I2C0: Debian's QEMU 10.0.2 source (bookworm-backports) plus
# the patches in patches/, which must pass QEMU's own scripts/checkpatch.pl.
# The binary is cached under ~/.cache/sifive-i2c/qemu/<key>, where the key
# hashes the patches, this script and the source version, and the build tree
# (with the qtest, for QEMU's meson test runner) under
# ~/.cache/sifive-i2c/qemu-build/<key>; the three most recently used build
# trees are kept. A second run only checks the cache. The last line of output
# is the binary's path.
#
# Usage: build.sh              build if needed, print the binary's path
#        build.sh --print-path print the path the current inputs build to;
#                              exit 1 if it is not built yet
#        build.sh --build-dir  build if needed, with the qtest, print the
#                              meson build directory (where `meson test`
#                              runs the qtest)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}
version=10.0.2
tarball=qemu_${version}+ds.orig.tar.xz
# From the bookworm-backports Sources index (apt-get source --print-uris).
tarball_sha256=0901da33844a331bf8b3602b9c1fbd178e60b737c8e3ade678255bd090c9b9f1
export DEBIAN_FRONTEND=noninteractive

log() {
	echo "qemu-build: $*" >&2
}

mode=build
case "${1:-}" in
"") ;;
--print-path) mode=print ;;
--build-dir) mode=build-dir ;;
*)
	echo "usage: $0 [--print-path]" >&2
	exit 2
	;;
esac

key=$( (cat "$here"/patches/*.patch "$here/build.sh"; echo "$version") |
	sha256sum | cut -c1-16)
out="$cache/qemu/$key"
bin="$out/qemu-system-riscv64"
work="$cache/qemu-build/$key"
tree="$work/qemu-$version"
qtest="$tree/build/tests/qtest/ocores-i2c-test"
qtest_e="$tree/build/tests/qtest/sifive-e-i2c-test"

# built: whether what the mode needs is there: the binary, and for
# --build-dir the build tree with the qtest, which the main job does not
# need and so does not wait for.
built() {
	[ -x "$bin" ] || return 1
	[ "$mode" != build-dir ] ||
		{ [ -x "$qtest" ] && [ -x "$qtest_e" ] &&
			[ -x "$tree/build/qemu-system-riscv64" ]; }
}

# done_path: prints what the mode asks for, marking the build tree as used.
done_path() {
	touch "$work"
	if [ "$mode" = build-dir ]; then
		echo "$tree/build"
	else
		echo "$bin"
	fi
}

if [ "$mode" = print ]; then
	echo "$bin"
	[ -x "$bin" ]
	exit
fi

apt_get() {
	apt-get -o DPkg::Lock::Timeout=600 -y -q "$@"
}

# Runtime libraries are needed even when the binary is cached.
runtime_pkgs="libglib2.0-0 libpixman-1-0 libfdt1 device-tree-compiler"
build_pkgs="ninja-build libglib2.0-dev libpixman-1-dev libfdt-dev flex bison
	pkg-config python3-venv bzip2 xz-utils patch perl ccache"
backports_pkgs="meson python3-pycotap"

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || echo "$p"
	done
}

add_sources() {
	local list=/etc/apt/sources.list.d/sifive-i2c-backports.sources
	[ -f "$list" ] && return 0
	local uri
	uri=$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources \
		2>/dev/null | head -n 1)
	uri=${uri:-http://deb.debian.org/debian}
	log "adding bookworm-backports and deb-src sources ($uri)"
	cat >"$list" <<SRC
Types: deb deb-src
URIs: $uri
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: $uri
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_get update >/dev/null
}

install_pkgs() {
	local need
	# shellcheck disable=SC2086
	need=$(missing $runtime_pkgs)
	if [ -n "$need" ]; then
		log "installing $need"
		# shellcheck disable=SC2086
		apt_get install $need >/dev/null || { apt_get update >/dev/null &&
			apt_get install $need >/dev/null; }
	fi
}

if built; then
	install_pkgs
	done_path
	exit 0
fi

add_sources
runtime_pkgs="$runtime_pkgs $build_pkgs"
install_pkgs
# shellcheck disable=SC2086
if [ -n "$(missing $backports_pkgs)" ] ||
	! dpkg --compare-versions "$(dpkg-query -W -f='${Version}' meson)" ge 1.5; then
	log "installing meson and pycotap from bookworm-backports"
	# shellcheck disable=SC2086
	apt_get install -t bookworm-backports $backports_pkgs >/dev/null
fi

# One build at a time: concurrent runs (two worktrees, a test and a helper)
# share the source and build directories.
mkdir -p "$cache/qemu"
exec 9>"$cache/qemu/.lock"
if ! flock -n 9; then
	log "waiting for another build to finish"
	flock 9
fi
if built; then
	done_path
	exit 0
fi
# A build tree without its qtest (the binary was built for the main job):
# build only the qtest in it.
if [ "$mode" = build-dir ] && [ -x "$bin" ] &&
	[ -x "$tree/build/qemu-system-riscv64" ]; then
	log "building the qtests in $tree/build"
	(cd "$tree/build" && nice ninja tests/qtest/ocores-i2c-test \
		tests/qtest/sifive-e-i2c-test >>"$work/build.log" 2>&1) || {
		tail -n 40 "$work/build.log" >&2
		exit 1
	}
	done_path
	exit 0
fi

src="$cache/src"
mkdir -p "$src"
if [ ! -f "$src/$tarball" ]; then
	log "fetching the QEMU source with apt-get source"
	# apt-get source downloads the orig tarball, then exits 100 because the
	# backports .dsc is not on the mirror: only the tarball is used.
	(cd "$src" && apt-get source --download-only -t bookworm-backports qemu \
		>/dev/null 2>&1) || true
	[ -f "$src/$tarball" ] || {
		log "apt-get source did not provide $tarball"
		exit 1
	}
fi
if ! echo "$tarball_sha256  $src/$tarball" | sha256sum -c --status; then
	log "$tarball does not match its SHA256; removing it"
	rm -f "$src/$tarball"
	exit 1
fi

rm -rf "$work"
mkdir -p "$work"
log "unpacking and patching in $work"
tar -C "$work" -xf "$src/$tarball"

# QEMU's own style checker, on the patches as they are kept.
checkpatch() {
	local p result status=0
	for p in "$here"/patches/*.patch; do
		result=$(cd "$tree" && perl scripts/checkpatch.pl "$p" 2>&1 |
			grep '^total:') || true
		log "checkpatch $(basename "$p"): ${result:-no result}"
		case "$result" in
		"total: 0 errors, 0 warnings,"*) ;;
		*) status=1 ;;
		esac
	done
	return $status
}
if ! checkpatch; then
	(cd "$tree" && perl scripts/checkpatch.pl "$here"/patches/*.patch) >&2 || true
	log "the patches do not pass checkpatch.pl"
	exit 1
fi

for p in "$here"/patches/*.patch; do
	patch -d "$tree" -p1 -s <"$p"
done
# The +ds tarball has no edk2 firmware blobs; nothing here needs them.
sed -i 's/^\( *\)unpack_edk2_blobs = bzip2.found()/\1unpack_edk2_blobs = false/' \
	"$tree/meson.build"

# Only the two boards the project runs, sifive_u and sifive_e (which
# qemu-system-riscv64 runs with its 32-bit core too), and the generic
# loader the boot tests' arguments use: a fifth fewer objects to compile
# than the default devices, the virt machine's PCI and virtio among them.
cat >"$tree/configs/devices/riscv64-softmmu/sifive-i2c.mak" <<MAK
CONFIG_SIFIVE_U=y
CONFIG_SIFIVE_E=y
CONFIG_GENERIC_LOADER=y
MAK

# No debug information (-g): nothing here debugs QEMU itself, and a cold
# build (ccache off) took 225 s of user CPU without it against 264 s with
# it (282 s against 320 s with the system time).
mkdir -p "$tree/build"
cd "$tree/build"
# Objects are cached by content, not by the key's directory, so a change to
# one patch recompiles only what it touches.
export CCACHE_BASEDIR="$tree" CCACHE_NOHASHDIR=1
log "configuring"
nice ../configure --target-list=riscv64-softmmu --without-default-features \
	--without-default-devices --with-devices-riscv64=sifive-i2c \
	--enable-fdt=system --enable-tcg --disable-docs --disable-werror \
	--disable-debug-info \
	--disable-download --disable-install-blobs --python=/usr/bin/python3 \
	--cc="ccache gcc" >"$work/configure.log" 2>&1 || {
	tail -n 30 "$work/configure.log" >&2
	exit 1
}
targets=qemu-system-riscv64
[ "$mode" != build-dir ] ||
	targets="$targets tests/qtest/ocores-i2c-test tests/qtest/sifive-e-i2c-test"
log "building $targets (a few minutes on 2 cores)"
# shellcheck disable=SC2086
nice ninja $targets >"$work/build.log" 2>&1 || {
	tail -n 40 "$work/build.log" >&2
	exit 1
}
mkdir -p "$out"
cp qemu-system-riscv64 "$bin.tmp"
mv "$bin.tmp" "$bin"
cd "$cache"
# Keep this build's tree and the two most recently used others (two
# worktrees at different patches); the binaries stay.
touch "$work"
find "$cache/qemu-build" -mindepth 1 -maxdepth 1 -type d -printf '%T@ %p\n' |
	sort -rn | tail -n +4 | cut -d' ' -f2- | while read -r old; do
	[ "$old" = "$work" ] || rm -rf "$old"
done
log "built $bin"
done_path
