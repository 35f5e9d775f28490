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

#[test]
fn safety_comments_over_several_lines_are_justifications() {
    let bullets = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY:\n    // - `p` is valid.\n    // - It is aligned.\n    unsafe {{ *p }}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &bullets), []);
    // Nothing on the line and code below: a placeholder.
    let empty =
        format!("{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY:\n    unsafe {{ *p }}\n}}\n");
    assert_eq!(kinds("a.rs", &empty), [("RUST_SAFETY_PLACEHOLDER", 4)]);
    // A SAFETY: line followed by another SAFETY: line is still empty.
    let twice = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY:\n    // SAFETY: Valid.\n    unsafe {{ *p }}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &twice), [("RUST_SAFETY_PLACEHOLDER", 4)]);
    // In doc examples too: the bullet form is fine, a TODO is not.
    let doc = format!(
        "{HEAD}/// ```\n/// // SAFETY:\n/// // - Valid.\n/// unsafe {{ f() }};\n/// // SAFETY: TODO.\n/// unsafe {{ f() }};\n/// ```\npub fn g() {{}}\n"
    );
    assert_eq!(kinds("a.rs", &doc), [("RUST_SAFETY_PLACEHOLDER", 7)]);
}

#[test]
fn safety_comment_above_the_statement_that_holds_the_block() {
    let chain = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY: Valid.\n    g()\n        .h(unsafe {{ *p }})\n}}\n"
    );
    assert_eq!(kinds("a.rs", &chain), []);
    let mac = format!(
        "{HEAD}fn f(p: *const u8) {{\n    // SAFETY: Valid.\n    m!(\n        unsafe {{ *p }}\n    );\n}}\n"
    );
    assert_eq!(kinds("a.rs", &mac), []);
    // A block whose brace is on the next line.
    let split = format!("{HEAD}fn f(p: *const u8) -> u8 {{\n    unsafe\n    {{ *p }}\n}}\n");
    assert_eq!(kinds("a.rs", &split), [("RUST_SAFETY_COMMENT", 4)]);
    let split_ok = format!(
        "{HEAD}fn f(p: *const u8) -> u8 {{\n    // SAFETY: Valid.\n    unsafe\n    {{ *p }}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &split_ok), []);
}

#[test]
fn unsafe_impl_needs_a_safety_comment_and_its_methods_no_safety_doc() {
    let bad = format!("{HEAD}unsafe impl Send for S {{}}\n");
    assert_eq!(kinds("a.rs", &bad), [("RUST_SAFETY_COMMENT", 3)]);
    let good =
        format!("{HEAD}// SAFETY: `S` holds no pointer.\n#[cfg(x)]\nunsafe impl Send for S {{}}\n");
    assert_eq!(kinds("a.rs", &good), []);
    // A trait impl's unsafe method: the contract is on the trait's declaration.
    let trait_impl = format!(
        "{HEAD}// SAFETY: Sound.\nunsafe impl<T> Tr for S<T>\nwhere\n    T: Send,\n{{\n    unsafe fn f(&self) {{}}\n}}\nimpl Other for S {{\n    unsafe fn g() {{}}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &trait_impl), []);
    // An inherent impl's unsafe method needs # Safety.
    let inherent = format!("{HEAD}impl S {{\n    /// Does.\n    pub unsafe fn f(&self) {{}}\n}}\n");
    assert_eq!(kinds("a.rs", &inherent), [("RUST_SAFETY_DOC", 5)]);
    // A higher-ranked bound's `for<'a>` does not make an impl a trait impl.
    let hrtb = format!(
        "{HEAD}impl<F: for<'a> Fn(&'a u8)> S<F> {{\n    /// Does.\n    pub unsafe fn f(&self) {{}}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &hrtb), [("RUST_SAFETY_DOC", 5)]);
}

#[test]
fn safety_doc_exceptions() {
    // A function pointer type declares nothing.
    let pointer = format!("{HEAD}type F = unsafe extern \"C\" fn(u8) -> u8;\n");
    assert_eq!(kinds("a.rs", &pointer), []);
    // An explicit expectation of clippy's lint, on the item or its impl.
    let expected = format!(
        "{HEAD}#[expect(clippy::missing_safety_doc)]\n#[no_mangle]\nunsafe extern \"C\" fn f() {{}}\n#[expect(clippy::missing_safety_doc)]\nimpl S {{\n    pub unsafe fn g() {{}}\n}}\n"
    );
    assert_eq!(kinds("a.rs", &expected), []);
    // A plain comment between the doc and the function.
    let commented = format!(
        "{HEAD}/// Reads.\n///\n/// # Safety\n///\n/// Valid.\n// Needed by a macro.\n#[inline]\npub unsafe fn f() {{}}\n"
    );
    assert_eq!(kinds("a.rs", &commented), []);
    // unsafe extern "C" fn items need one.
    let ext = format!("{HEAD}/// Called from C.\npub unsafe extern \"C\" fn f() {{}}\n");
    assert_eq!(kinds("a.rs", &ext), [("RUST_SAFETY_DOC", 4)]);
}

#[test]
fn allow_in_macros_and_dbg_definitions() {
    let mac = format!(
        "{HEAD}macro_rules! m {{\n    () => {{\n        #[allow(dead_code)]\n        fn f() {{}}\n    }};\n}}\n#[allow(dead_code)]\nfn g() {{}}\n#[expect(dead_code)]\nfn h() {{}}\n"
    );
    assert_eq!(kinds("a.rs", &mac), [("RUST_ALLOW_ATTRIBUTE", 9)]);
    let dbg = format!(
        "{HEAD}macro_rules! dbg {{\n    ($($v:expr),+) => {{ ($($crate::dbg!($v)),+,) }};\n}}\nfn f() {{ dbg!(1); }}\n"
    );
    assert_eq!(kinds("a.rs", &dbg), [("RUST_DBG", 6)]);
}

#[test]
fn foreign_functions_in_extern_blocks_need_no_safety_section() {
    // clippy's missing_safety_doc checks neither: a foreign function's contract is
    // documented where it is defined.
    let src = format!(
        "{HEAD}unsafe extern \"C\" {{\n    /// Reads.\n    pub unsafe fn read(p: *const u8) -> u8;\n    fn plain(x: i32) -> i32;\n}}\nextern \"C\" {{\n    pub unsafe fn old_style();\n}}\n"
    );
    assert_eq!(kinds("a.rs", &src), []);
    // The extern block itself is not an unsafe block: no SAFETY comment for it.
    let block = format!("{HEAD}unsafe extern \"C\" {{\n    fn f();\n}}\n");
    assert_eq!(kinds("a.rs", &block), []);
    // An `extern "C" fn` with a body is a Rust function: it needs the section.
    let defined = format!("{HEAD}/// Exported.\npub unsafe extern \"C\" fn g() {{}}\n");
    assert_eq!(kinds("a.rs", &defined), [("RUST_SAFETY_DOC", 4)]);
    // A method after the extern block is checked again.
    let after =
        format!("{HEAD}extern \"C\" {{\n    fn f();\n}}\n/// Reads.\npub unsafe fn h() {{}}\n");
    assert_eq!(kinds("a.rs", &after), [("RUST_SAFETY_DOC", 7)]);
}

#[test]
fn doc_examples_need_no_safety_comment_but_a_placeholder_is_reported() {
    // The kernel's coding guidelines document `unwrap_unchecked` with an unsafe block in its
    // example and no SAFETY comment, and clippy does not lint doc examples.
    let example = format!(
        "{HEAD}/// Reads.\n///\n/// ```\n/// let x = Some(1);\n/// assert_eq!(unsafe {{ x.unwrap_unchecked() }}, 1);\n/// ```\npub fn f() {{}}\n"
    );
    assert_eq!(kinds("a.rs", &example), []);
    let todo = format!(
        "{HEAD}/// Reads.\n///\n/// ```\n/// // SAFETY: TODO.\n/// let v = unsafe {{ 1 }};\n/// ```\npub fn f() {{}}\n"
    );
    assert_eq!(kinds("a.rs", &todo), [("RUST_SAFETY_PLACEHOLDER", 6)]);
}
