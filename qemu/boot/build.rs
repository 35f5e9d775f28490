// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Puts the linker script where the linker finds it.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("link.ld"), include_bytes!("link.ld")).expect("write link.ld");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=link.ld");
}
