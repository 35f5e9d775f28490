// SPDX-License-Identifier: GPL-2.0 OR MIT

//! `--jobs`: the inputs are checked on that many threads and reported in their order, so
//! the report is the same whatever the count; a count that is not a positive number is
//! refused before anything is checked.

use std::path::Path;
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<String> = std::fs::read_dir(&fixtures)
        .expect("read the fixtures")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".c") || n.ends_with(".h") || n.ends_with(".rs"))
        .collect();
    files.sort();
    Command::new(env!("CARGO_BIN_EXE_checkpatch"))
        .args(["--no-tree", "--strict", "-f"])
        .args(args)
        .args(&files)
        .current_dir(&fixtures)
        .output()
        .expect("run checkpatch")
}

#[test]
fn the_report_is_the_same_on_any_number_of_threads() {
    let one = run(&["--jobs", "1"]);
    let text = String::from_utf8_lossy(&one.stdout);
    assert!(
        text.matches("total: ").count() > 20,
        "a report for each fixture: {text}"
    );
    assert_eq!(one.status.code(), Some(1), "the fixtures have findings");
    for args in [
        &[][..],
        &["-j", "2"],
        &["-j3"],
        &["--jobs=8"],
        &["--jobs", "64"],
    ] {
        let other = run(args);
        assert_eq!(other.stdout, one.stdout, "{args:?}");
        assert_eq!(other.status.code(), one.status.code(), "{args:?}");
    }
}

#[test]
fn a_bad_count_is_refused_before_any_check() {
    for args in [
        &["--jobs", "0"][..],
        &["-j0"],
        &["--jobs", "x"],
        &["--jobs=-1"],
    ] {
        let out = run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}: nothing checked");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.starts_with("bad --jobs"), "{args:?}: {err}");
    }
}
