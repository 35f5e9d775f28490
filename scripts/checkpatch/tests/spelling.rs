// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Where the misspellings list comes from: the kernel tree the tool runs at the top of, as
//! checkpatch.pl reads its own tree's, else the copy built into the binary, so that
//! TYPO_SPELLING is on with nothing installed.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A fresh directory under the target directory, emptied first.
fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create scratch dir");
    d
}

/// Runs the tool in `dir` on `a.c` with no cache and no home to find anything in, and
/// returns its terse report.
fn report(dir: &Path) -> String {
    let empty = scratch(&format!(
        "{}-empty",
        dir.file_name().unwrap().to_string_lossy()
    ));
    let out = Command::new(env!("CARGO_BIN_EXE_checkpatch"))
        .args([
            "--no-tree",
            "--strict",
            "--terse",
            "--show-types",
            "-f",
            "a.c",
        ])
        .current_dir(dir)
        .env("HOME", &empty)
        .env("SIFIVE_I2C_CACHE", &empty)
        .output()
        .expect("run checkpatch");
    // Nothing on stderr but the note that C is not fully checked.
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.lines()
            .all(|l| l.starts_with("checkpatch: NOTE: C input: ")),
        "{err}"
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// The misspellings, split so that this file holds none.
const BUILT_IN: &str = concat!("abandon", "ning");
const OWN: &str = concat!("sifiv", "ee");

fn source(dir: &Path) {
    // The SPDX tag split, as the misspellings, so that this file holds one only.
    let spdx = concat!("// SPDX-", "License-Identifier: GPL-2.0");
    let text = format!("{spdx}\n/* {BUILT_IN} {OWN} */\n");
    std::fs::write(dir.join("a.c"), text).expect("write a.c");
}

#[test]
fn the_built_in_list_is_used_outside_a_kernel_tree() {
    let d = scratch("spelling-built-in");
    source(&d);
    let r = report(&d);
    assert!(
        r.starts_with(&format!(
            "a.c:2: CHECK:TYPO_SPELLING: '{BUILT_IN}' may be misspelled - perhaps 'abandoning'?\n"
        )),
        "{r}"
    );
    assert!(!r.contains(OWN), "{r}");
}

#[test]
fn a_kernel_tree_s_own_list_is_used_at_its_top() {
    let d = scratch("spelling-tree");
    for f in [
        "COPYING",
        "CREDITS",
        "Kbuild",
        "MAINTAINERS",
        "Makefile",
        "README",
    ] {
        std::fs::write(d.join(f), "").expect("write tree file");
    }
    for f in [
        "Documentation",
        "arch",
        "include",
        "drivers",
        "fs",
        "init",
        "ipc",
        "kernel",
        "lib",
        "scripts",
    ] {
        std::fs::create_dir(d.join(f)).expect("create tree dir");
    }
    std::fs::write(
        d.join("scripts/spelling.txt"),
        format!("# own\n{OWN}||sifive\n"),
    )
    .expect("write spelling.txt");
    source(&d);
    let r = report(&d);
    assert!(
        r.starts_with(&format!(
            "a.c:2: CHECK:TYPO_SPELLING: '{OWN}' may be misspelled - perhaps 'sifive'?\n"
        )),
        "{r}"
    );
    assert!(!r.contains(BUILT_IN), "{r}");
}
