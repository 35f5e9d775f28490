// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The Rust rules of this tool: each fires on what it is about and stays quiet otherwise.

use checkpatch::{check, Input, Options};

fn kinds(name: &str, src: &str) -> Vec<(&'static str, usize)> {
    let opts = Options {
        strict: true,
        ..Options::default()
    };
    let out = check(&Input::file(name, src.as_bytes().to_vec()), &opts);
    out.shown(&opts).map(|f| (f.kind, f.line)).collect()
}

/// The SPDX line (the tag split so that this line does not hold it) and module docs.
const HEAD: &str = concat!("// SPDX-", "License-Identifier: MIT\n//! A module.\n");

#[test]
fn unsafe_block_needs_a_safety_comment_right_above() {
    let bad = format!("{HEAD}fn f(p: *const u8) -> u8 {{\n    unsafe {{ *p }}\n}}\n");
    assert_eq!(kinds("a.rs", &bad), [("RUST_SAFETY_COMMENT", 4)]);
    let good = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY: The caller passes a valid pointer.\n    unsafe {{ *p }}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &good), []);
    let statement = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY: Valid.\n    let v =\n        unsafe {{ *p }};\n    v\n}}\n"
    );
    assert_eq!(kinds("a.rs", &statement), []);
    let far = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY: Valid.\n    let a = 1;\n    unsafe {{ *p }}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &far), [("RUST_SAFETY_COMMENT", 6)]);
    // In a string or a comment, `unsafe {` is not code.
    let text = format!("{HEAD}const S: &str = \"unsafe {{\"; // unsafe {{\n");
    assert_eq!(kinds("a.rs", &text), []);
}

#[test]
fn unsafe_fn_and_trait_need_a_safety_section() {
    let bad = format!(
        "{HEAD}/// Reads.\npub unsafe fn f() {{}}\n/// A trait.\npub unsafe trait T {{}}\n"
    );
    assert_eq!(
        kinds("a.rs", &bad),
        [("RUST_SAFETY_DOC", 4), ("RUST_SAFETY_DOC", 6)]
    );
    let good = format!(
        "{HEAD}/// Reads.\n///\n/// # Safety\n///\n/// Callers uphold it.\n#[inline]\npub unsafe fn f() {{}}\n"
    );
    assert_eq!(kinds("a.rs", &good), []);
}

#[test]
fn placeholder_safety_comments_are_flagged() {
    let src = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY: TODO\n    unsafe {{ *p }}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &src), [("RUST_SAFETY_PLACEHOLDER", 4)]);
    let empty =
        format!("{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY:\n    unsafe {{ *p }}\n}}\n");
    assert_eq!(kinds("a.rs", &empty), [("RUST_SAFETY_PLACEHOLDER", 4)]);
}

#[test]
fn module_docs_allow_dbg() {
    assert_eq!(
        kinds("a.rs", &HEAD.replace("//! A module.\n", "fn f() {}\n")),
        [("RUST_MISSING_MODULE_DOC", 1)]
    );
    let src = format!("{HEAD}#[allow(dead_code)]\nfn f() {{ dbg!(1); }}\n");
    assert_eq!(
        kinds("a.rs", &src),
        [("RUST_ALLOW_ATTRIBUTE", 3), ("RUST_DBG", 4)]
    );
    let lifetime = format!("{HEAD}fn f<'a>(s: &'a str) -> &'a str {{ s }} // 'quoted'\n");
    assert_eq!(kinds("a.rs", &lifetime), []);
}

#[test]
fn panics_in_no_std_non_test_code() {
    let dir = std::env::temp_dir().join(format!("checkpatch-nostd-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("src")).unwrap();
    std::fs::write(dir.join("Cargo.toml"), "[package]\nname = \"x\"\n").unwrap();
    let lib = format!(
        "{HEAD}#![no_std]\npub fn f(x: Option<u8>) -> u8 {{\n    x.unwrap()\n}}\npub fn g() {{\n    panic!(\"no\");\n}}\n#[cfg(test)]\nmod tests {{\n    fn t() {{\n        Some(1).unwrap();\n    }}\n}}\npub fn h(x: Option<u8>) -> u8 {{\n    x.expect(\"set\")\n}}\n"
    );
    std::fs::write(dir.join("src/lib.rs"), &lib).unwrap();
    let path = dir.join("src/lib.rs");
    let got = kinds(path.to_str().unwrap(), &lib);
    assert_eq!(
        got,
        [("RUST_PANIC", 5), ("RUST_PANIC", 8), ("RUST_PANIC", 17)]
    );
    // The same code in a std crate is fine.
    let std_src = lib.replace("#![no_std]\n", "");
    std::fs::write(dir.join("src/lib.rs"), &std_src).unwrap();
    assert_eq!(kinds(path.to_str().unwrap(), &std_src), []);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn patch_changing_public_api_without_docs() {
    let patch = concat!(
        "From 0 Mon Sep 17 00:00:00 2001\n",
        "From: A <a@example.org>\n",
        "Subject: [PATCH] driver: x\n\n",
        "Why.\n\n",
        "Signed-off-by: A <a@example.org>\n",
        "---\n",
        "diff --git a/driver/src/x.rs b/driver/src/x.rs\n",
        "--- a/driver/src/x.rs\n",
        "+++ b/driver/src/x.rs\n",
        "@@ -1,1 +1,2 @@\n",
        " //! X.\n",
        "+pub fn g() {}\n",
    );
    let opts = Options {
        strict: true,
        ..Options::default()
    };
    let out = check(&Input::patch("p", patch.as_bytes().to_vec()), &opts);
    let k: Vec<_> = out.shown(&opts).map(|f| f.kind).collect();
    assert_eq!(k, ["RUST_DOC_UNCHANGED"]);
    let with_docs = patch.to_string()
        + concat!(
            "diff --git a/Documentation/driver.rst b/Documentation/driver.rst\n",
            "--- a/Documentation/driver.rst\n",
            "+++ b/Documentation/driver.rst\n",
            "@@ -1,1 +1,2 @@\n",
            " Title\n",
            "+More.\n",
        );
    let out = check(&Input::patch("p", with_docs.into_bytes()), &opts);
    assert_eq!(out.shown(&opts).count(), 0);
}
