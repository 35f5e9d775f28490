// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Fuzzing: no input makes the checker panic or hang, as files (`-f`) and as patches.
//!
//! A seeded generator builds inputs from the fixtures, from patch and mail skeletons and
//! from random bytes (non-UTF-8 text, NUL bytes, CR, lone continuation bytes, truncated
//! sequences, malformed hunk and mail headers, unterminated comments and strings) and
//! mutates them. `CHECKPATCH_FUZZ_RUNS` sets the number of inputs (a smoke run by
//! default), `CHECKPATCH_FUZZ_SEED` the seed; a failure prints the seed and the input's
//! bytes. The inputs that crashed an earlier version are in tests/crashes/ and are checked
//! on every run.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use checkpatch::{check, Input, Options};

/// xorshift64*: small, seedable, good enough to pick mutations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

/// Fragments the mutator inserts: what the rules look for, and what breaks parsers.
const TOKENS: &[&[u8]] = &[
    b"\n",
    b"\r\n",
    b"\r",
    b"\0",
    b"\t",
    b" \t",
    b"   \n",
    b"\xfc",
    b"M\xfcller",
    b"\x80",
    b"\xbf\xbf",
    b"\xc3",
    b"\xe2\x82",
    b"\xf0\x9f\x98",
    b"\xef\xbb\xbf",
    b"\xc3\xa9",
    b"//",
    b"/*",
    b"*/",
    b"///",
    b"//!",
    b"\"",
    b"'",
    b"'a",
    b"r#\"",
    b"\"#",
    b"b'",
    b"\\",
    b"@@ -",
    b"@@ -1,2 +1,3 @@",
    b"@@ -0,0 +1 @@",
    b"@@ -1,99999999999999999999 +1,3 @@",
    b"@@ -x +y @@",
    b"+++ b/",
    b"+++ ",
    b"--- a/",
    b"diff --git a/x.rs b/x.rs\n",
    b"diff --git ",
    b"new file mode 100755\n",
    b"deleted file mode 100644\n",
    b"rename from a\nrename to b\n",
    b"\\ No newline at end of file",
    b"---\n",
    b"From: ",
    b"From: A <a@b.c>\n",
    b"Subject: [PATCH] x\n",
    b"Signed-off-by: ",
    b"Signed-off-by: A <a@b.c>\n",
    b"Co-developed-by: B <b@c.d>\n",
    b"Fixes: ",
    b"Fixes: 0123456789ab (\"x\")",
    b"commit 0123456789abcdef",
    b"Change-Id: I0123",
    b"[   12.345678]",
    b"WARNING: ",
    // The SPDX tag, split so that these lines do not hold it.
    b"SPDX-\
      License-Identifier: ",
    b"// SPDX-\
      License-Identifier: MIT\n",
    b"#!/bin/sh\n",
    b"unsafe {",
    b"unsafe fn f()",
    b"unsafe impl",
    b"// SAFETY:",
    b"SAFETY: TODO",
    b"/// # Safety",
    b"#[allow(x)]",
    b"#[cfg(test)]",
    b"mod t {",
    b"}",
    b"dbg!(",
    b".unwrap()",
    b"panic!(",
    b"#![no_std]",
    b"pub fn ",
    b"the the ",
    // A misspelling of the list options() gives (written so that it is not one here).
    b"t\x65h ",
    b" * the",
    b"https://x",
    b"EFI_GUID(",
    b"-rw-r--r--",
    b"x.rs",
];

fn seeds() -> Vec<Vec<u8>> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut v: Vec<Vec<u8>> = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    names.sort();
    for p in names {
        v.push(std::fs::read(p).expect("fixture"));
    }
    v.push(Vec::new());
    v.push(b"\n".to_vec());
    v.push(b"// Copyright M\xfcller\n".to_vec());
    v.push(b"+\n@@ -1 +1 @@\n".to_vec());
    v.push(b"---\n+++ x.rs\n@@ -0,0 +1,2 @@\n+a\r\n+/* b */ \r\n".to_vec());
    v
}

fn mutate(rng: &mut Rng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut buf = match rng.below(8) {
        0 => (0..rng.below(512)).map(|_| rng.next() as u8).collect(),
        1 => (0..rng.below(64))
            .flat_map(|_| TOKENS[rng.below(TOKENS.len())].to_vec())
            .collect(),
        _ => seeds[rng.below(seeds.len())].clone(),
    };
    for _ in 0..=rng.below(8) {
        let at = rng.below(buf.len() + 1);
        match rng.below(7) {
            0 => buf.insert(at, rng.next() as u8),
            1 => {
                let t = TOKENS[rng.below(TOKENS.len())];
                buf.splice(at..at, t.iter().copied());
            }
            2 if !buf.is_empty() => {
                let end = (at + rng.below(32)).min(buf.len());
                buf.drain(at.min(end)..end);
            }
            3 if at < buf.len() => buf[at] ^= 1 << rng.below(8),
            4 => buf.truncate(at),
            5 => {
                let other = &seeds[rng.below(seeds.len())];
                let from = rng.below(other.len() + 1);
                let to = (from + rng.below(256)).min(other.len());
                buf.splice(at..at, other[from..to].iter().copied());
            }
            _ => {
                let n = rng.below(300);
                let b = [b' ', b'\t', b'x', b'"', b'/', b'\xfc'][rng.below(6)];
                buf.splice(at..at, std::iter::repeat_n(b, n));
            }
        }
    }
    buf
}

fn options(rng: &mut Rng) -> Options {
    let spelling = [
        (["te", "h"].concat(), "the"),
        (["rec", "ieve"].concat(), "receive"),
    ]
    .into_iter()
    .collect();
    Options {
        strict: rng.below(2) == 0,
        max_line_length: [1, 80, 100][rng.below(3)],
        tab_size: [1, 4, 8][rng.below(3)],
        spelling,
        fix: rng.below(2) == 0,
        ..Options::default()
    }
}

/// Checks `bytes` as a file and as a patch under several names; panics are failures.
fn check_all(bytes: &[u8], opts: &Options) -> Result<(), String> {
    for (name, file) in [
        ("x.rs", true),
        ("x.c", true),
        ("x.h", true),
        ("x.sh", true),
        ("Documentation/x.rst", true),
        ("p.patch", false),
    ] {
        let input = if file {
            Input::file(name, bytes.to_vec())
        } else {
            Input::patch(name, bytes.to_vec())
        };
        let r = catch_unwind(AssertUnwindSafe(|| {
            let out = check(&input, opts);
            // Everything the report prints must be there.
            for f in &out.findings {
                assert!(!f.kind.is_empty() && !f.msg.is_empty());
            }
        }));
        if let Err(e) = r {
            let msg = e
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| e.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default();
            return Err(format!("{name}: panic: {msg}"));
        }
    }
    Ok(())
}

#[test]
fn crash_fixtures_do_not_panic() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/crashes");
    let mut n = 0;
    for e in std::fs::read_dir(&dir).expect("tests/crashes") {
        let p = e.expect("entry").path();
        let bytes = std::fs::read(&p).expect("read");
        let opts = Options {
            strict: true,
            ..Options::default()
        };
        if let Err(e) = check_all(&bytes, &opts) {
            panic!("{}: {e}", p.display());
        }
        n += 1;
    }
    assert!(n > 0);
}

#[test]
fn huge_lines_are_linear() {
    // Lines of megabytes: a quadratic rule would take minutes here.
    let mut big = b"// SPDX-\
                    License-Identifier: MIT\n//! D.\nfn f() { let s = \""
        .to_vec();
    big.extend(std::iter::repeat_n(b'x', 1 << 20));
    big.extend(b"\"; } // ");
    big.extend(std::iter::repeat_n(b'\xfc', 1 << 18));
    big.extend(b"\n");
    big.extend(std::iter::repeat_n(b' ', 1 << 18));
    let opts = Options {
        strict: true,
        ..Options::default()
    };
    check_all(&big, &opts).expect("no panic");
    let out = check(&Input::file("x.rs", big), &opts);
    let kinds: Vec<_> = out.findings.iter().map(|f| (f.kind, f.line)).collect();
    assert!(kinds.contains(&("LONG_LINE", 3)), "{kinds:?}");
    assert!(kinds.contains(&("TRAILING_WHITESPACE", 4)), "{kinds:?}");
    assert!(kinds.contains(&("MISSING_EOF_NEWLINE", 4)), "{kinds:?}");
}

#[test]
fn random_inputs_do_not_panic() {
    let runs: u64 = std::env::var("CHECKPATCH_FUZZ_RUNS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let seed: u64 = std::env::var("CHECKPATCH_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_5fc5_5efe);
    let seeds = seeds();
    let mut rng = Rng(seed | 1);
    let mut failures = Vec::new();
    for i in 0..runs {
        let bytes = mutate(&mut rng, &seeds);
        let opts = options(&mut rng);
        if let Err(e) = check_all(&bytes, &opts) {
            failures.push(format!(
                "input {i}: {e}: {:?}",
                bytes.escape_ascii().to_string()
            ));
            if failures.len() >= 5 {
                break;
            }
        }
    }
    eprintln!(
        "fuzz: {runs} inputs (seed {seed}), {} crashes",
        failures.len()
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
