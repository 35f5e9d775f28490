#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0 OR MIT
#
# Builds a riscv64 Linux kernel for the patched sifive_u from Debian's own
# kernel source packages: tinyconfig plus kernel.config plus the variant's
# fragment, then `make Image modules`, so Module.symvers exists for
# out-of-tree modules and certs/signing_key.{pem,x509} and scripts/sign-file
# can sign them. Every variant builds i2c-ocores as a module. The variants:
#
#   gcc-6.12         (default) linux-source-6.12 (bookworm-security), GCC 12
#   gcc-6.1          linux-source-6.1, Debian 12's own kernel series, GCC 12;
#                    kernel-6.1.config
#   clang-6.12-rust  linux-source-6.12 built with clang/lld/llvm 19
#                    (LLVM=-19) and CONFIG_RUST=y (rustc pinned in
#                    rust-toolchain.toml, bindgen-cli 0.73.2); the kernel's
#                    Rust sample samples/rust/rust_minimal.ko as a module;
#                    kernel-clang-rust.config
#   gcc-6.12-debug   gcc-6.12 with lockdep (PROVE_LOCKING), DEBUG_SPINLOCK,
#                    DEBUG_ATOMIC_SLEEP and generic KASAN; kernel-debug.config
#   gcc-6.12-preempt gcc-6.12 with full kernel preemption (CONFIG_PREEMPT);
#                    kernel-preempt.config, for scripts/bench-linux
#
# Each build is cached under ~/.cache/sifive-i2c/linux/<key>, where the key
# hashes the variant, the source package's version, the compilers'
# versions, the fragments and this script. The last line of output is the
# kernel build directory (KDIR); <key>/make-args next to it holds the make
# variables, one per line, that every `make -C KDIR` must be given (ARCH,
# and CROSS_COMPILE or LLVM): Kbuild refuses an out-of-tree module built
# with another compiler than the kernel's.
#
# Usage: build.sh [--kernel NAME]              build if needed, print KDIR
#        build.sh [--kernel NAME] --print-path print the directory the
#                                  current inputs build to; exit 1 if it is
#                                  not built yet
#        build.sh --list           print the variants' names
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
cache=${SIFIVE_I2C_CACHE:-$HOME/.cache/sifive-i2c}
export DEBIAN_FRONTEND=noninteractive
variants="gcc-6.12 gcc-6.1 clang-6.12-rust gcc-6.12-debug gcc-6.12-preempt"

log() {
	echo "linux-build: $*" >&2
}

usage() {
	echo "usage: $0 [--kernel NAME] [--print-path] | --list" >&2
	echo "  NAME: ${variants// / | }" >&2
	exit 2
}

mode=build
name=gcc-6.12
while [ $# -gt 0 ]; do
	case "$1" in
	--print-path) mode=print ;;
	--kernel)
		[ $# -ge 2 ] || usage
		name=$2
		shift
		;;
	--kernel=*) name=${1#--kernel=} ;;
	--list)
		printf '%s\n' $variants
		exit 0
		;;
	*) usage ;;
	esac
	shift
done

# The variant: source package, compiler, fragment over kernel.config and
# the files the build must have produced besides the common ones.
fragment=
extra_outputs=
rust=false
case "$name" in
gcc-6.12) package=linux-source-6.12 cc=gcc ;;
gcc-6.1) package=linux-source-6.1 cc=gcc fragment=kernel-6.1.config ;;
clang-6.12-rust)
	package=linux-source-6.12 cc=clang fragment=kernel-clang-rust.config
	rust=true
	extra_outputs=samples/rust/rust_minimal.ko
	;;
gcc-6.12-debug) package=linux-source-6.12 cc=gcc fragment=kernel-debug.config ;;
gcc-6.12-preempt)
	package=linux-source-6.12 cc=gcc fragment=kernel-preempt.config
	;;
*)
	echo "linux-build: unknown kernel '$name'" >&2
	usage
	;;
esac

apt_get() {
	apt-get -o DPkg::Lock::Timeout=600 -y -q "$@"
}

# The cross toolchain and host tools are needed even when the kernel is
# cached: out-of-tree modules build against it and sign-file runs on the host.
pkgs="$package gcc-riscv64-linux-gnu libc6-dev-riscv64-cross bc flex bison
	libssl-dev libelf-dev cpio kmod make xz-utils openssl"
# LLVM=-19 takes every tool from LLVM 19 (bookworm's clang-19, lld-19,
# llvm-19); bindgen loads libclang-19.
if [ "$cc" = clang ]; then
	pkgs="$pkgs clang-19 lld-19 llvm-19 libclang-19-dev"
fi

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

# The Rust kernel's tools: the toolchain this project pins (with rust-src,
# which scripts/setup installs) and bindgen-cli, the version the kernel's
# Rust support is known to work with, installed by cargo into the cache.
bindgen_version=0.73.2
bindgen_root=$cache/tools/bindgen-cli-$bindgen_version
install_rust_tools() {
	"$top/scripts/setup" >/dev/null
	[ -x "$bindgen_root/bin/bindgen" ] && return 0
	log "installing bindgen-cli $bindgen_version in $bindgen_root"
	mkdir -p "$cache/tools"
	nice cargo install -q --locked --root "$bindgen_root" bindgen-cli \
		--version "$bindgen_version" >&2
}

if [ "$mode" = build ]; then
	install_pkgs
	if $rust; then
		install_rust_tools
	fi
fi
version=$(dpkg-query -W -f='${Version}' "$package" 2>/dev/null || true)
if [ -z "$version" ]; then
	echo "linux-build: $package is not installed" >&2
	exit 1
fi

# The make variables of every build against this kernel.
make_args=(ARCH=riscv)
if [ "$cc" = clang ]; then
	make_args+=(LLVM=-19)
	compiler=$(clang-19 --version 2>/dev/null | head -n 1 || echo none)
else
	make_args+=(CROSS_COMPILE=riscv64-linux-gnu-)
	compiler=$(riscv64-linux-gnu-gcc --version 2>/dev/null | head -n 1 || echo none)
fi
if $rust; then
	channel=$(sed -n 's/^channel = "\(.*\)"/\1/p' "$top/rust-toolchain.toml")
	rustc=$(rustup which --toolchain "$channel" rustc 2>/dev/null || echo rustc)
	rustbin=$(dirname "$rustc")
	make_args+=("RUSTC=$rustc" "HOSTRUSTC=$rustc" "RUSTDOC=$rustbin/rustdoc"
		"RUSTFMT=$rustbin/rustfmt" "CLIPPY_DRIVER=$rustbin/clippy-driver"
		"BINDGEN=$bindgen_root/bin/bindgen"
		LIBCLANG_PATH=/usr/lib/llvm-19/lib)
	compiler="$compiler; $("$rustc" --version 2>/dev/null || echo no rustc)"
	compiler="$compiler; bindgen $bindgen_version"
fi

# The fragments, in order: kernel.config, then the variant's. A variant's
# fragment may name options of kernel.config its kernel does not have, on
# a line "# absent: CONFIG_A CONFIG_B": those lines of kernel.config are
# left out (6.1 names the SoC options differently).
fragments=("$here/kernel.config")
[ -z "$fragment" ] || fragments+=("$here/$fragment")

key=$( (echo "$name $package $version"; echo "$compiler"
	cat "${fragments[@]}" "$here/build.sh") | sha256sum | cut -c1-16)
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

# One build of a variant at a time: concurrent runs share the cache
# directory.
mkdir -p "$cache/linux"
exec 9>"$cache/linux/.lock-$name"
if ! flock -n 9; then
	log "waiting for another build of $name to finish"
	flock 9
fi
if [ -f "$out/built" ]; then
	echo "$kdir"
	exit 0
fi

started=$(date +%s)
tarball=/usr/src/$package.tar.xz
rm -rf "$out"
mkdir -p "$out"
log "unpacking $tarball ($version) in $out"
tar -C "$out" -xf "$tarball"
mv "$out/$package" "$kdir"
printf '%s\n' "${make_args[@]}" >"$out/make-args"
echo "$name" >"$out/variant"

absent=" "
if [ -n "$fragment" ]; then
	absent=" $(sed -n 's/^# absent: *//p' "$here/$fragment" | tr '\n' ' ') "
fi
# The options asked for: each fragment's CONFIG_X=... and "# CONFIG_X is not
# set" lines, less the absent ones; a later fragment's line wins.
asked=$out/fragments.config
for f in "${fragments[@]}"; do
	while IFS= read -r line; do
		opt=$(expr "$line" : '\(CONFIG_[A-Za-z0-9_]*\)=' ||
			expr "$line" : '# \(CONFIG_[A-Za-z0-9_]*\) is not set' || true)
		[ -n "$opt" ] || continue
		case "$absent" in *" $opt "*) continue ;; esac
		echo "$line"
	done <"$f"
done >"$asked"

cd "$kdir"
kmake() {
	nice make "${make_args[@]}" "$@"
}
log "configuring $name: tinyconfig + kernel.config${fragment:+ + $fragment}"
kmake tinyconfig >"$out/config.log" 2>&1
scripts/kconfig/merge_config.sh -m .config "$asked" >>"$out/config.log" 2>&1
kmake olddefconfig >>"$out/config.log" 2>&1
# Kconfig drops an option whose dependencies are not met without a word:
# every option asked for must hold, as the last fragment that names it says.
bad=0
while IFS= read -r opt; do
	want=$(grep -E "^(# )?$opt[= ]" "$asked" | tail -n 1)
	case "$want" in
	"# $opt is not set")
		! grep -q "^$opt=" .config
		;;
	*) grep -qxF "$want" .config ;;
	esac || {
		log "not in .config: $want"
		bad=1
	}
done < <(sed -n 's/^\(# \)\{0,1\}\(CONFIG_[A-Za-z0-9_]*\)[= ].*/\2/p' "$asked" |
	sort -u)
if [ "$bad" -ne 0 ]; then
	if $rust && ! grep -q '^CONFIG_RUST=y' .config; then
		log "CONFIG_RUST did not hold; the kernel's own check says:"
		kmake rustavailable >&2 || true
	fi
	exit 1
fi

log "building $name: Image and modules"
kmake -j"$(nproc)" Image modules >"$out/build.log" 2>&1 || {
	tail -n 40 "$out/build.log" >&2
	exit 1
}
for f in arch/riscv/boot/Image Module.symvers certs/signing_key.pem \
	certs/signing_key.x509 scripts/sign-file usr/gen_init_cpio \
	drivers/i2c/busses/i2c-ocores.ko $extra_outputs; do
	[ -e "$f" ] || {
		log "the build did not produce $f"
		exit 1
	}
done
took=$(($(date +%s) - started))
echo "$took" >"$out/build-seconds"
touch "$out/built"
# Keep the three newest builds of each variant: another worktree may still
# build modules against an older key. A build without a variant file is
# an older build.sh's, which built gcc-6.12 only.
find "$cache/linux" -mindepth 2 -maxdepth 2 -name built -printf '%T@ %h\n' |
	sort -rn | while read -r _ dir; do
	v=gcc-6.12
	[ -f "$dir/variant" ] && v=$(cat "$dir/variant")
	echo "$v $dir"
done | awk '++n[$1] > 3 { print $2 }' | xargs -r rm -rf
log "built $kdir in ${took}s (load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "$kdir"
