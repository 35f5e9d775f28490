// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C input is told that most of checkpatch.pl's C rules were not checked: one NOTE line,
//! on stdout as checkpatch.pl's notes (on stderr with --quiet or --terse), never a silent
//! pass.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scratch(name: &str) -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create scratch dir");
    d
}

fn run(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_checkpatch"))
        .args(["--no-tree", "--strict"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run checkpatch")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

const SPDX: &str = concat!("// SPDX-", "License-Identifier: GPL-2.0\n");

#[test]
fn a_c_file_gets_the_note_and_a_rust_file_does_not() {
    let d = scratch("c-note-files");
    std::fs::write(d.join("a.c"), format!("{SPDX}int x;\n")).expect("write");
    std::fs::write(d.join("a.rs"), format!("{SPDX}//! Docs.\n")).expect("write");
    let c = run(&d, &["-f", "a.c"]);
    let out = text(&c.stdout);
    let note = out
        .lines()
        .find(|l| l.starts_with("NOTE: C input: "))
        .unwrap_or_else(|| panic!("no note: {out}"));
    assert!(note.contains("are not implemented by this tool and were not checked ("));
    assert!(note.contains("scripts/checkpatch.pl"), "{note}");
    // The types it names are among those not implemented.
    let named = &note[note.find(" checked (").expect("the names") + 10..];
    let named = &named[..named.find(", ...)").expect("the end of the names")];
    for t in named.split(", ") {
        assert!(
            checkpatch::NOT_IMPLEMENTED.contains(&t),
            "{t} is implemented"
        );
    }
    assert!(c.stderr.is_empty(), "{}", text(&c.stderr));
    // Clean C still exits 0: the note is not a finding.
    assert_eq!(c.status.code(), Some(0));

    let terse = run(&d, &["--terse", "-f", "a.c"]);
    assert!(!text(&terse.stdout).contains("NOTE"));
    assert!(text(&terse.stderr).starts_with("checkpatch: NOTE: C input: "));

    let rust = run(&d, &["-f", "a.rs"]);
    assert!(!text(&rust.stdout).contains("NOTE: C input"));
    assert!(rust.stderr.is_empty());
}

#[test]
fn a_patch_that_touches_c_gets_the_note_naming_the_asked_types() {
    let d = scratch("c-note-patch");
    let patch = "From: A <a@example.com>\nSubject: [PATCH] x\n\nBody.\n\n\
                 Signed-off-by: A <a@example.com>\n---\n\
                 diff --git a/x.h b/x.h\n--- a/x.h\n+++ b/x.h\n@@ -1,1 +1,2 @@\n int a;\n+int b;\n";
    std::fs::write(d.join("c.patch"), patch).expect("write");
    let r = run(
        &d,
        &[
            "--types",
            "TEST_TYPE,TEST_ATTR,TRAILING_WHITESPACE,SPACING",
            "c.patch",
        ],
    );
    let out = text(&r.stdout);
    assert!(
        out.contains(
            "NOTE: C input: 2 of checkpatch.pl's message types are not implemented by this \
             tool and were not checked (TEST_ATTR, TEST_TYPE)"
        ),
        "{out}"
    );
    // Asked only for implemented types: nothing to say.
    let r = run(&d, &["--types", "TRAILING_WHITESPACE", "c.patch"]);
    assert!(!text(&r.stdout).contains("NOTE: C input"));
    let rs = patch.replace("x.h", "x.rs");
    std::fs::write(d.join("rs.patch"), rs).expect("write");
    let r = run(&d, &["rs.patch"]);
    assert!(!text(&r.stdout).contains("NOTE: C input"));
}

/// The documentation lists exactly the types the note counts.
#[test]
fn the_documentation_lists_the_types_not_implemented() {
    let doc = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../Documentation/checkpatch.rst"),
    )
    .expect("Documentation/checkpatch.rst");
    let start = doc
        .find("message types):\n\n")
        .expect("the list's introduction")
        + "message types):\n\n".len();
    let end = start + doc[start..].find(".\n").expect("the list's end");
    let listed: Vec<&str> = doc[start..end]
        .split(',')
        .map(|t| t.trim().trim_matches('`'))
        .collect();
    assert_eq!(listed, checkpatch::NOT_IMPLEMENTED);
    let count = format!("NOTE: C input: {} of", checkpatch::NOT_IMPLEMENTED.len());
    assert!(doc.contains(&count), "{count}");
}
