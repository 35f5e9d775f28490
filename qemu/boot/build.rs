// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Puts the memory map of the target's machine where riscv-rt's link.x finds it, as
//! memory.x: sifive_u's for riscv64, sifive_e's (the HiFive1 Rev B) for riscv32.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let map: &[u8] = match env::var("CARGO_CFG_TARGET_ARCH").as_deref() {
        Ok("riscv32") => include_bytes!("memory-sifive_e.x"),
        _ => include_bytes!("memory-sifive_u.x"),
    };
    fs::write(out.join("memory.x"), map).expect("write memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=memory-sifive_u.x");
    println!("cargo:rerun-if-changed=memory-sifive_e.x");
}
