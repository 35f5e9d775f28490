// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Rules of this tool's own for Rust, from the Rust-for-Linux coding guidelines.

use std::path::Path;

use super::{Checker, FileState, Lexed};
use crate::lexer::{self, Class};
use crate::Level;

/// One line of a file as the Rust rules see it.
struct RLine<'a> {
    report: usize,
    real: usize,
    raw: &'a [u8],
    added: bool,
    /// The line without its diff marker.
    body: &'a [u8],
    /// The code: comments and literals as spaces, one byte for one byte (a non-ASCII
    /// byte, which can only be part of an identifier in code, as `_`).
    code: &'a str,
    /// The comment bytes of the line, lossily decoded.
    comment: &'a str,
}

impl RLine<'_> {
    fn code(&self) -> &str {
        self.code
    }

    fn comment(&self) -> &str {
        self.comment
    }

    /// The line, lossily decoded.
    fn text(&self) -> std::borrow::Cow<'_, str> {
        lossy(self.body)
    }
}

/// `b` as text: borrowed when it is UTF-8, else with U+FFFD for each bad sequence.
fn lossy(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// Where `needle` is in `hay` from `from` on.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let hay = hay.get(from..)?;
    memchr::memchr_iter(first, hay)
        .find(|&p| hay[p + 1..].starts_with(rest))
        .map(|p| from + p)
}

/// `s` without the whitespace at either end (as `str::trim`, for ASCII text: the bytes
/// [`super::is_space`] takes are the ASCII ones `char::is_whitespace` does).
fn trim(s: &str) -> &str {
    let b = s.as_bytes();
    let Some(start) = b.iter().position(|&c| !super::is_space(c)) else {
        return "";
    };
    let end = b
        .iter()
        .rposition(|&c| !super::is_space(c))
        .map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or(s)
}

/// For each line (`spans` of `buf`), whether it holds `needle` (which cannot overlap
/// itself).
fn lines_holding(buf: &[u8], spans: &[(usize, usize)], needle: &[u8]) -> Vec<bool> {
    let mut out = vec![false; spans.len()];
    let mut line = 0;
    for p in memchr::memmem::find_iter(buf, needle) {
        let end = p + needle.len();
        while line < spans.len() && spans[line].1 < end {
            line += 1;
        }
        match spans.get(line) {
            Some(&(s, _)) if s <= p => out[line] = true,
            _ => {}
        }
    }
    out
}

/// Whether `hay` contains `needle`.
fn contains(hay: &str, needle: &str) -> bool {
    find(hay.as_bytes(), needle.as_bytes(), 0).is_some()
}

/// Finds `word` as a whole identifier in `code`.
fn has_token(code: &str, word: &str) -> Option<usize> {
    let b = code.as_bytes();
    let mut from = 0;
    while let Some(at) = find(b, word.as_bytes(), from) {
        let before = at == 0 || !is_ident(b[at - 1]);
        let after = b.get(at + word.len()).is_none_or(|&c| !is_ident(c));
        if before && after {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

fn is_ident(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

pub(super) fn check(
    c: &mut Checker<'_>,
    fs: &FileState,
    hunk: &[super::HunkLine<'_>],
    file_mode: bool,
    lexed: &[Lexed],
) {
    // Classify the lines together so block comments and strings carry across lines: the
    // same lines were lexed for checkpatch.pl's $line when they are one hunk (-f).
    let reuse = lexed
        .iter()
        .find(|l| l.lines.len() == hunk.len() && l.lines.iter().zip(hunk).all(|(&i, h)| i == h.4));
    let mut spans = Vec::with_capacity(hunk.len());
    let mut at = 0;
    for h in hunk {
        let len = h.2.len().saturating_sub(1);
        spans.push((at, at + len));
        at += len + 1;
    }
    let (own_text, own_tokens);
    let (joined, tokens) = match reuse {
        Some(l) => (&l.text, &l.spans),
        None => {
            let mut text = Vec::with_capacity(at);
            for h in hunk {
                text.extend_from_slice(h.2.get(1..).unwrap_or(&[]));
                text.push(b'\n');
            }
            own_tokens = lexer::spans(&text);
            own_text = text;
            (&own_text, &own_tokens)
        }
    };
    // The code of every line, each followed by a space, and the comments, in one buffer
    // each (the code is ASCII: see RLine::code).
    let mut code_all = joined.clone();
    for t in tokens {
        code_all[t.start..t.end].fill(b' ');
    }
    for &(_, e) in &spans {
        code_all[e] = b' ';
    }
    if !code_all.is_ascii() {
        for b in &mut code_all {
            if *b >= 0x80 {
                *b = b'_';
            }
        }
    }
    let code_all = String::from_utf8(code_all).unwrap_or_default();
    // A line's comment is the bytes of the comments that cross it, in order.
    let comments: Vec<(usize, usize)> = tokens
        .iter()
        .filter(|t| t.class == Class::Comment)
        .map(|t| (t.start, t.end))
        .collect();
    // Text that is UTF-8 as a whole is decoded once: the pieces are cut at ASCII bytes
    // (line ends, comment delimiters), so each is UTF-8 too and decodes to itself.
    let utf8 = std::str::from_utf8(joined).is_ok();
    let mut comment_bytes = Vec::new();
    let mut comment_all = String::new();
    let mut comment_at = Vec::with_capacity(spans.len());
    let mut bytes = Vec::new();
    let mut next = 0;
    for &(s, e) in &spans {
        // Comments that end before this line are done with.
        while comments.get(next).is_some_and(|&(_, ce)| ce <= s) {
            next += 1;
        }
        let pieces = comments[next..].iter().take_while(|&&(cs, _)| cs < e);
        if utf8 {
            let start = comment_bytes.len();
            for &(cs, ce) in pieces {
                comment_bytes.extend_from_slice(&joined[cs.max(s)..ce.min(e)]);
            }
            comment_at.push((start, comment_bytes.len()));
            continue;
        }
        let start = comment_all.len();
        bytes.clear();
        for &(cs, ce) in pieces {
            bytes.extend_from_slice(&joined[cs.max(s)..ce.min(e)]);
        }
        if !bytes.is_empty() {
            comment_all.push_str(&lossy(&bytes));
        }
        comment_at.push((start, comment_all.len()));
    }
    if utf8 {
        comment_all = String::from_utf8(comment_bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    }
    let lines: Vec<RLine<'_>> = hunk
        .iter()
        .zip(spans.iter().zip(&comment_at))
        .map(
            |((report, real, raw, added, _), (&(s, e), &(cs, ce)))| RLine {
                report: *report,
                real: *real,
                raw,
                added: *added,
                body: raw.get(1..).unwrap_or(&[]),
                code: code_all.get(s..e).unwrap_or(""),
                comment: comment_all.get(cs..ce).unwrap_or(""),
            },
        )
        .collect();

    let path = Path::new(&fs.realfile);
    let test_file = fs
        .realfile
        .split('/')
        .any(|p| matches!(p, "tests" | "benches" | "examples"))
        || fs.realfile.ends_with("build.rs");
    let no_std = !test_file && super::no_std_crate(path);

    // A whole new file, or -f: it must have //! docs.
    let whole = file_mode || lines.first().is_some_and(|l| l.real == 1 && l.added);
    if whole
        && !lines
            .iter()
            .any(|l| l.text().trim_start().starts_with("//!"))
    {
        if let Some(first) = lines.first() {
            report(
                c,
                fs,
                first,
                Level::Warning,
                "RUST_MISSING_MODULE_DOC",
                "Missing //! module documentation: say in one sentence what the module is".into(),
            );
        }
    }

    let blocks = enclosing_blocks(&code_all, &spans);
    // The lines where each rule's words are, found in one pass over the whole file: a
    // rule looks at a line only when it holds them.
    let code_has = |needle: &str| lines_holding(code_all.as_bytes(), &spans, needle.as_bytes());
    let has_cfg_test = code_has("#[cfg(test)]");
    let has_unsafe = code_has("unsafe");
    let has_allow = code_has("allow(");
    let has_dbg = code_has("dbg!(");
    let has_safety = lines_holding(comment_all.as_bytes(), &comment_at, b"SAFETY:");
    let mut test_depth: Option<i64> = None;
    let mut depth: i64 = 0;
    let mut pending_cfg_test = false;
    // A test-support module compiled into several test crates is the one place
    // where #[expect] cannot work: a lint may fire in some of them only.
    let shared_support = fs.realfile.contains("tests/common/");
    for (i, l) in lines.iter().enumerate() {
        let Enclosing {
            trait_impl: in_trait_impl,
            in_macro,
            in_extern,
            ..
        } = blocks[i];
        let code = l.code();
        // Track `#[cfg(test)] mod ... {` regions.
        if has_cfg_test[i] && trim(code).starts_with("#[cfg(test)]") {
            pending_cfg_test = true;
        }
        let (opens, closes) = (i64::from(blocks[i].opens), i64::from(blocks[i].closes));
        if pending_cfg_test && has_token(code, "mod").is_some() && test_depth.is_none() {
            test_depth = Some(depth);
            pending_cfg_test = false;
        }
        let in_test = test_depth.is_some();
        depth += opens - closes;
        if let Some(d) = test_depth {
            if depth <= d && closes > 0 {
                test_depth = None;
            }
        }

        if !l.added {
            continue;
        }
        // An unsafe block in a doc example needs no `// SAFETY:` comment: clippy does not
        // lint doc examples, and the kernel's coding guidelines show one without (the
        // `unwrap_unchecked` example). A placeholder there is still reported below.
        let comment = l.comment();
        if let Some(p) = has_safety[i]
            .then(|| find(comment.as_bytes(), b"SAFETY:", 0))
            .flatten()
        {
            let rest = comment[p + 7..].trim().trim_end_matches("*/").trim();
            let lower = rest.to_ascii_lowercase();
            // The kernel's bullet-list form: `// SAFETY:` and the justification on the
            // comment lines below.
            let continued = rest.is_empty()
                && lines.get(i + 1).is_some_and(|n| {
                    trim(n.code()).is_empty() && {
                        let t = comment_words(n.comment());
                        !t.is_empty() && !t.starts_with("SAFETY:")
                    }
                });
            if (rest.is_empty() && !continued)
                || ["todo", "fixme", "xxx", "tbd", "..."]
                    .iter()
                    .any(|w| lower.starts_with(w))
            {
                report(
                    c,
                    fs,
                    l,
                    Level::Warning,
                    "RUST_SAFETY_PLACEHOLDER",
                    "SAFETY comment without a justification".into(),
                );
            }
        }
        if let Some(p) = has_unsafe[i].then(|| has_token(code, "unsafe")).flatten() {
            let after = code[p + 6..].trim_start();
            // The block's brace may be on the next code line.
            let brace_below = after.is_empty()
                && lines[i + 1..]
                    .iter()
                    .map(|n| trim(n.code()))
                    .find(|t| !t.is_empty())
                    .is_some_and(|t| t.starts_with('{'));
            let what = if after.starts_with('{') || brace_below {
                Some("block")
            } else if has_token(after, "impl") == Some(0) {
                Some("impl")
            } else {
                None
            };
            if let Some(what) = what {
                if !safety_comment_above(&lines, i, p) {
                    report(
                        c,
                        fs,
                        l,
                        Level::Warning,
                        "RUST_SAFETY_COMMENT",
                        format!("unsafe {what} without a // SAFETY: comment right above it"),
                    );
                }
            } else if let Some(kind) = ["fn", "trait"].iter().find(|k| {
                has_token(after, k) == Some(0)
                    || (after.starts_with("extern") && has_token(after, k).is_some() && **k == "fn")
            }) {
                // A function pointer type (`unsafe extern "C" fn(...)`) declares nothing;
                // a trait impl's method has its contract on the trait's declaration, and a
                // foreign function in an `extern` block is documented where it is defined
                // (as clippy's missing_safety_doc decides: it checks neither).
                let pointer_type = *kind == "fn"
                    && has_token(after, "fn")
                        .is_some_and(|f| after[f + 2..].trim_start().starts_with('('));
                let exempt = pointer_type || (*kind == "fn" && (in_trait_impl || in_extern));
                if !exempt && !safety_doc_above(&lines, i) {
                    report(
                        c,
                        fs,
                        l,
                        Level::Warning,
                        "RUST_SAFETY_DOC",
                        format!("unsafe {kind} without a # Safety section in its documentation"),
                    );
                }
            }
        }
        for attr in ["#[allow(", "#![allow("] {
            // Inside a macro, expansions may trigger the lint in some invocations only:
            // the coding guidelines keep #[allow] there.
            if has_allow[i] && contains(code, attr) && !shared_support && !in_macro {
                report(c, fs, l, Level::Check, "RUST_ALLOW_ATTRIBUTE",
                    "Prefer #[expect(...)] over #[allow(...)]: it warns when the lint no longer fires"
                        .into());
            }
        }
        // `$crate::dbg!` is dbg!'s own definition recursing, not a use.
        if has_dbg[i] && has_token(code, "dbg").is_some_and(|p| !code[..p].ends_with("$crate::")) {
            report(
                c,
                fs,
                l,
                Level::Warning,
                "RUST_DBG",
                "dbg! left in the code".into(),
            );
        }
        if no_std && !in_test {
            let compact: String = code.split_whitespace().collect();
            for (needle, what) in [
                (".unwrap()", "unwrap()"),
                (".expect(", "expect()"),
                ("panic!(", "panic!"),
                ("todo!(", "todo!"),
                ("unimplemented!(", "unimplemented!"),
            ] {
                let hit = if needle.starts_with('.') {
                    compact.contains(needle)
                } else {
                    has_token(code, &needle[..needle.len() - 2]).is_some()
                        && compact.contains(needle)
                };
                if hit {
                    report(
                        c,
                        fs,
                        l,
                        Level::Warning,
                        "RUST_PANIC",
                        format!("{what} can panic: no_std code returns errors instead"),
                    );
                }
            }
        }
    }
}

fn report(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &RLine<'_>,
    level: Level,
    kind: &'static str,
    msg: String,
) {
    let here = if c.file_mode { l.real } else { l.report };
    c.report(
        level,
        kind,
        msg,
        &fs.realfile,
        l.report,
        l.real,
        vec![
            format!("#{here}: FILE: {}:{}:", fs.realfile, l.real).into_bytes(),
            l.raw.to_vec(),
        ],
    );
}

/// The words of a comment line: without its `//`, `///`, `//!`, `*`, `#` markers (a doc
/// example's `/// // ...` or `/// # // ...` too) and a closing `*/`.
fn comment_words(c: &str) -> &str {
    let mut t = c.trim();
    loop {
        let n = t.trim_start_matches(['/', '!', '*', '#']).trim_start();
        if n.len() == t.len() {
            break;
        }
        t = n;
    }
    t.trim_end_matches("*/").trim()
}

/// Where a line is, at its start.
#[derive(Clone, Copy)]
struct Enclosing {
    /// The innermost block is a trait impl (`impl ... for ...`) or has
    /// `#[expect(clippy::missing_safety_doc)]` (or `allow`).
    trait_impl: bool,
    /// A `macro_rules!` body encloses it.
    in_macro: bool,
    /// The innermost block is an `extern` block: its items declare foreign functions.
    in_extern: bool,
    /// The `{` and `}` in the line's code.
    opens: u32,
    closes: u32,
}

/// For each line, where it is (see [`Enclosing`]). `code_all` is the code of the lines,
/// each followed by a space; `spans` where each line's code is in it.
fn enclosing_blocks(code_all: &str, spans: &[(usize, usize)]) -> Vec<Enclosing> {
    #[derive(Clone, Copy, PartialEq)]
    enum Kind {
        TraitImpl,
        Macro,
        Extern,
        Other,
    }
    // Each open block: its kind, and whether missing_safety_doc is expected in it.
    let mut stack: Vec<(Kind, bool)> = Vec::new();
    // The code since the last `{`, `}` or `;` starts here.
    let mut head_start = 0;
    let bytes = code_all.as_bytes();
    let mut out = Vec::with_capacity(spans.len());
    let mut hits = memchr::memchr3_iter(b'{', b'}', b';', bytes).peekable();
    for &(s, e) in spans {
        out.push(Enclosing {
            trait_impl: stack
                .last()
                .is_some_and(|&(k, expected)| k == Kind::TraitImpl || expected),
            in_macro: stack.iter().any(|&(k, _)| k == Kind::Macro),
            in_extern: stack.last().is_some_and(|&(k, _)| k == Kind::Extern),
            opens: 0,
            closes: 0,
        });
        let mut opens = 0;
        let mut closes = 0;
        while let Some(pos) = hits.next_if(|&p| p < e) {
            if pos < s {
                continue;
            }
            match bytes[pos] {
                b'{' => {
                    let head = &code_all[head_start..pos];
                    let for_trait = || {
                        has_token(head, "for")
                            .is_some_and(|f| !head[f + 3..].trim_start().starts_with('<'))
                    };
                    let kind = if has_token(head, "macro_rules").is_some() {
                        Kind::Macro
                    } else if has_token(head, "impl").is_some() && for_trait() {
                        Kind::TraitImpl
                    } else if has_token(head, "extern").is_some()
                        && has_token(head, "fn").is_none()
                        && has_token(head, "crate").is_none()
                    {
                        Kind::Extern
                    } else {
                        Kind::Other
                    };
                    stack.push((kind, contains(head, "missing_safety_doc")));
                    head_start = pos + 1;
                    opens += 1;
                }
                b'}' | b';' => {
                    if bytes[pos] == b'}' {
                        stack.pop();
                        closes += 1;
                    }
                    head_start = pos + 1;
                }
                _ => {}
            }
        }
        if let Some(last) = out.last_mut() {
            (last.opens, last.closes) = (opens, closes);
        }
    }
    out
}

/// A `// SAFETY:` comment on the lines right above line `i` (through attributes and
/// the lines of the same statement), or earlier on the same line.
fn safety_comment_above(lines: &[RLine<'_>], i: usize, col: usize) -> bool {
    if lines[i].comment().contains("SAFETY:")
        && lines[i].body[..col.min(lines[i].body.len())]
            .windows(7)
            .any(|w| w == b"SAFETY:")
    {
        return true;
    }
    let mut j = i;
    while j > 0 {
        j -= 1;
        let l = &lines[j];
        let t = l.text();
        let t = t.trim();
        if t.is_empty() {
            return false;
        }
        let comment = l.comment();
        if !comment.is_empty() && trim(l.code()).is_empty() {
            if comment.contains("SAFETY:") {
                return true;
            }
            continue;
        }
        // Code: keep looking only while it is the same statement or an attribute.
        let code = l.code();
        let code = code.trim_end();
        if code.ends_with(';')
            || code.ends_with('}')
            || code.ends_with('{') && !code.ends_with("= {")
        {
            return false;
        }
    }
    false
}

/// A `# Safety` section in the doc comment above line `i` (skipping attributes and plain
/// comments), or an attribute there that expects clippy's missing_safety_doc.
fn safety_doc_above(lines: &[RLine<'_>], i: usize) -> bool {
    let mut j = i;
    while j > 0 {
        j -= 1;
        let t = lines[j].text();
        let t = t.trim();
        if t.starts_with("#[") {
            if t.contains("missing_safety_doc") {
                return true;
            }
            continue;
        }
        if t.starts_with("//") && !t.starts_with("///") && !t.starts_with("//!") {
            continue;
        }
        if t.starts_with("///") {
            if t.trim_start_matches('/').trim() == "# Safety" {
                return true;
            }
            continue;
        }
        return false;
    }
    false
}
