#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Builds a riscv64 Linux 6.12 kernel for the patched sifive_u: Debian's
# linux-source-6.12 (bookworm-security), GCC, tinyconfig plus kernel.config,
# then `make Image modules`, so Module.symvers exists for out-of-tree modules
# and certs/signing_key.{pem,x509} and scripts/sign-file can sign them. The
# build is cached under ~/.cache/sifive-i2c/linux/<key>, where the key hashes
# the source package version, kernel.config and this script. The last line of
# output is the kernel build directory (KDIR).
#
# Usage: build.sh              build if needed, print the build directory
#        build.sh --print-path print the directory the current inputs build
#                              to; exit 1 if it is not built yet
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}
package=linux-source-6.12
export DEBIAN_FRONTEND=noninteractive

log() {
	echo "linux-build: $*" >&2
}

mode=build
case "${1:-}" in
"") ;;
--print-path) mode=print ;;
*)
	echo "usage: $0 [--print-path]" >&2
	exit 2
	;;
esac

apt_get() {
	apt-get -o DPkg::Lock::Timeout=600 -y -q "$@"
}

# The cross toolchain and host tools are needed even when the kernel is
# cached: out-of-tree modules build against it and sign-file runs on the host.
pkgs="$package gcc-riscv64-linux-gnu libc6-dev-riscv64-cross bc flex bison
	libssl-dev libelf-dev cpio kmod make xz-utils openssl"

missing() {
	local p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null |
			grep -q "install ok installed" || echo "$p"
	done
}

# linux-source-6.12 is in bookworm-security (and backports); a machine whose
# sources lack both gets bookworm-security added.
add_sources() {
	if apt-cache policy "$package" 2>/dev/null | grep -q '^ *Candidate: [^(]'; then
		return 0
	fi
	local list=/etc/apt/sources.list.d/sifive-i2c-security.sources
	log "adding bookworm-security to the apt sources"
	cat >"$list" <<SRC
Types: deb
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
	apt_get update >/dev/null
}

install_pkgs() {
	local need
	# shellcheck disable=SC2086
	need=$(missing $pkgs)
	[ -z "$need" ] && return 0
	add_sources
	log "installing ${need//$'\n'/ }"
	# shellcheck disable=SC2086
	apt_get install $need >/dev/null || { apt_get update >/dev/null &&
		apt_get install $need >/dev/null; }
}

if [ "$mode" = build ]; then
	install_pkgs
fi
version=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)
if [ -z "$version" ]; then
	echo "linux-build: $package is not installed" >&2
	exit 1
fi

key=$( (echo "$package $version"; cat "$here/kernel.config" "$here/build.sh") |
	sha256sum | cut -c1-16)
out="$cache/linux/$key"
kdir="$out/linux"

if [ "$mode" = print ]; then
	echo "$kdir"
	[ -f "$out/built" ]
	exit
fi

if [ -f "$out/built" ]; then
	echo "$kdir"
	exit 0
fi

# One build at a time: concurrent runs share the cache directory.
mkdir -p "$cache/linux"
exec 9>"$cache/linux/.lock"
if ! flock -n 9; then
	log "waiting for another build to finish"
	flock 9
fi
if [ -f "$out/built" ]; then
	echo "$kdir"
	exit 0
fi

tarball=/usr/src/$package.tar.xz
rm -rf "$out"
mkdir -p "$out"
log "unpacking $tarball ($version) in $out"
tar -C "$out" -xf "$tarball"
mv "$out/$package" "$kdir"

cd "$kdir"
kmake() {
	nice make ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "$@"
}
log "configuring: tinyconfig + kernel.config"
kmake tinyconfig >"$out/config.log" 2>&1
scripts/kconfig/merge_config.sh -m .config "$here/kernel.config" \
	>>"$out/config.log" 2>&1
kmake olddefconfig >>"$out/config.log" 2>&1
# Kconfig drops an option whose dependencies are not met without a word:
# every line of the fragment must have survived.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*) grep -qxF "$line" .config || {
		log "not in .config: $line"
		bad=1
	} ;;
	esac
done <"$here/kernel.config"
[ "$bad" -eq 0 ] || exit 1

log "building Image and modules (about 2 minutes on 2 cores)"
kmake -j"$(nproc)" Image modules >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	exit 1
}
for f in arch/riscv/boot/Image Module.symvers certs/signing_key.pem \
	certs/signing_key.x509 scripts/sign-file usr/gen_init_cpio \
	drivers/i2c/busses/i2c-ocores.ko; do
	[ -e "$f" ] || {
		log "the build did not produce $f"
		exit 1
	}
done
touch "$out/built"
# Keep the three newest builds: another worktree may still build modules
# against an older key.
find "$cache/linux" -mindepth 2 -maxdepth 2 -name built -printf '%T@ %h\n' |
	sort -rn | tail -n +4 | cut -d' ' -f2- | xargs -r rm -rf
log "built $kdir"
echo "$kdir"
