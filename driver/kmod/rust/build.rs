// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Generates the Rust declarations of the glue's C ABI from `sifive_i2c.h` with bindgen, and
//! on the host builds the C test of that ABI (`tests/c_abi.c`) with the `cc` crate.

use std::env;
use std::path::PathBuf;

fn main() {
    let header = "../sifive_i2c.h";
    println!("cargo::rerun-if-changed={header}");
    println!("cargo::rerun-if-changed=tests/c_abi.c");

    let bindings = bindgen::Builder::default()
        .header(header)
        .use_core()
        .ctypes_prefix("core::ffi")
        // The header's own freestanding types only: no libc.
        .clang_arg("-ffreestanding")
        // The panic entry never returns: bindgen declares it `-> !`.
        .clang_arg("-D__noreturn=__attribute__((__noreturn__))")
        .allowlist_item("sifive_i2c_.*")
        .allowlist_item("SIFIVE_I2C_.*")
        .layout_tests(false)
        .generate()
        .expect("bindgen could not process sifive_i2c.h");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    bindings
        .write_to_file(out.join("bindings.rs"))
        .expect("could not write bindings.rs");

    // The C side of the ABI test: only for host builds, where the tests run.
    let target_os = env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if target_os != "none" {
        cc::Build::new()
            .file("tests/c_abi.c")
            .include("..")
            .warnings(true)
            .extra_warnings(true)
            .warnings_into_errors(true)
            .compile("sifive_i2c_c_abi_test");
    }
}
