// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Macros: BIT_MACRO, a `#define` of `1 << N` that BIT(N) says better, and the
//! MACRO_ARG_* checks of a function-like macro's arguments.

use super::c::CLine;
use super::*;

fn spaces(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_space(b)).count()
}

/// `$Ident` at `i` (`[A-Za-z_]\w*(?:\s*##\s*[A-Za-z_]\w*)*`): where it ends.
fn ident(s: &[u8], i: usize) -> Option<usize> {
    let word = |i: usize| {
        s.get(i)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
            .then(|| i + s[i..].iter().take_while(|&&b| is_word(b)).count())
    };
    let mut end = word(i)?;
    loop {
        let j = spaces(s, end);
        if !s[j..].starts_with(b"##") {
            return Some(end);
        }
        match word(spaces(s, j + 2)) {
            Some(e) => end = e,
            None => return Some(end),
        }
    }
}

/// `\(?\s*1\s*([ulUL]*)\s*<<\s*(\d+|$Ident)` at `i`: the suffix, the shift's span, and
/// where the match ends.
fn one_shift(s: &[u8], i: usize) -> Option<(&[u8], (usize, usize))> {
    let mut j = i;
    if s.get(j) == Some(&b'(') {
        j += 1;
    }
    j = spaces(s, j);
    if s.get(j) != Some(&b'1') {
        return None;
    }
    j = spaces(s, j + 1);
    let u = j;
    j += s[j..]
        .iter()
        .take_while(|&&b| matches!(b, b'u' | b'l' | b'U' | b'L'))
        .count();
    let suffix = &s[u..j];
    j = spaces(s, j);
    if !s[j..].starts_with(b"<<") {
        return None;
    }
    j = spaces(s, j + 2);
    let digits = s[j..].iter().take_while(|&&b| b.is_ascii_digit()).count();
    let end = if digits > 0 { j + digits } else { ident(s, j)? };
    Some((suffix, (j, end)))
}

/// `#\s*define\s+\w+\s+\(?\s*1\s*([ulUL]*)\s*\<\<\s*(?:\d+|$Ident)` on `$line`: the suffix.
fn bit_define(s: &[u8]) -> Option<&[u8]> {
    memchr::memchr_iter(b'#', s).find_map(|h| {
        let d = spaces(s, h + 1);
        if !s[d..].starts_with(b"define") {
            return None;
        }
        let n = spaces(s, d + 6);
        if n == d + 6 {
            return None;
        }
        let e = n + s[n..].iter().take_while(|&&b| is_word(b)).count();
        let v = spaces(s, e);
        if e == n || v == e {
            return None;
        }
        one_shift(s, v).map(|(suffix, _)| suffix)
    })
}

/// checkpatch.pl's fix: `s/\(?\s*1\s*[ulUL]*\s*<<\s*(\d+|$Ident)\s*\)?/BIT$ull($1)/` on
/// the line, at the leftmost place it matches (which may take the spaces before the `1`
/// with it, as checkpatch.pl's does).
fn fix_bit(l: &mut Vec<u8>, ull: bool) {
    for i in 0..l.len() {
        if let Some((_, (a, b))) = one_shift(l, i) {
            let mut end = spaces(l, b);
            if l.get(end) == Some(&b')') {
                end += 1;
            }
            let mut with = if ull {
                b"BIT_ULL(".to_vec()
            } else {
                b"BIT(".to_vec()
            };
            with.extend_from_slice(&l[a..b]);
            with.push(b')');
            l.splice(i..end, with);
            return;
        }
    }
}

/// BIT_MACRO (CHECK), on an added line of a `.c` or `.h` file not under include/uapi/.
pub(super) fn bit_macro(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    if fs.realfile.starts_with("include/uapi/") {
        return;
    }
    let Some(suffix) = bit_define(l.body) else {
        return;
    };
    let ull = suffix.windows(2).any(|w| w.eq_ignore_ascii_case(b"ll"));
    if c.report(
        Level::Check,
        "BIT_MACRO",
        format!(
            "Prefer using the BIT{} macro",
            if ull { "_ULL" } else { "" }
        ),
        &fs.realfile,
        l.report_line,
        l.realline,
        vec![here.as_bytes().to_vec(), l.raw.to_vec()],
    ) {
        if let Some(f) = c.fix_line() {
            fix_bit(f, ull);
        }
    }
}

/// A whole word `w` at `i` of `s` (`\bw\b`).
fn word_at(s: &[u8], i: usize, w: &[u8]) -> bool {
    s[i..].starts_with(w)
        && (i == 0 || !is_word(s[i - 1]))
        && s.get(i + w.len()).is_none_or(|&b| !is_word(b))
}

/// `\b` at `i`.
fn boundary(s: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word(s[i - 1]);
    let after = s.get(i).is_some_and(|&b| is_word(b));
    before != after
}

/// After a keyword ending at `k`: `\s*\(*\s*$arg\s*\)*\b`, where the match ends.
fn keyword_arg(s: &[u8], k: usize, arg: &[u8]) -> Option<usize> {
    let a = spaces(s, k);
    let b = a + s[a..].iter().take_while(|&&x| x == b'(').count();
    let c = spaces(s, b);
    if !s[c..].starts_with(arg) {
        return None;
    }
    let d = c + arg.len();
    let e = spaces(s, d);
    let f = e + s[e..].iter().take_while(|&&x| x == b')').count();
    // Greedy: the most spaces, then the most parentheses, that leave a `\b`.
    (d..=e)
        .rev()
        .flat_map(|w| {
            let ps = if w == e { f - e } else { 0 };
            (0..=ps).rev().map(move |n| w + n)
        })
        .find(|&end| boundary(s, end))
}

/// checkpatch.pl's removals before counting an argument's uses:
/// `s/\b(__must_be_array|offsetof|sizeof|sizeof_field|__stringify|typeof|__typeof__|
/// __builtin\w+|typecheck\s*\(\s*$Type\s*,|\#+)\s*\(*\s*$arg\s*\)*\b//g`, then
/// `s/\#+\s*$arg\b//g` and `s/\b$arg\s*\#\#//g`.
fn strip_arg_uses(stmt: &[u8], arg: &[u8]) -> Vec<u8> {
    const WORDS: &[&[u8]] = &[
        b"__must_be_array",
        b"offsetof",
        b"sizeof",
        b"sizeof_field",
        b"__stringify",
        b"typeof",
        b"__typeof__",
    ];
    let first = |s: &[u8], i: usize| -> Option<usize> {
        if !boundary(s, i) {
            return None;
        }
        let mut ends: Vec<usize> = Vec::new();
        for w in WORDS {
            if s[i..].starts_with(w) {
                ends.push(i + w.len());
            }
        }
        // __builtin\w+, the longest first.
        if s[i..].starts_with(b"__builtin") {
            let n = s[i + 9..].iter().take_while(|&&b| is_word(b)).count();
            ends.extend((1..=n).rev().map(|k| i + 9 + k));
        }
        if s[i..].starts_with(b"typecheck") {
            let a = spaces(s, i + 9);
            if s.get(a) == Some(&b'(') {
                let mut t = super::c_types::c_type(s, spaces(s, a + 1));
                t.sort_unstable_by(|x, y| y.cmp(x));
                for e in t {
                    let c = spaces(s, e);
                    if s.get(c) == Some(&b',') {
                        ends.push(c + 1);
                    }
                }
            }
        }
        if s[i] == b'#' {
            ends.push(i + s[i..].iter().take_while(|&&b| b == b'#').count());
        }
        ends.into_iter().find_map(|k| keyword_arg(s, k, arg))
    };
    let second = |s: &[u8], i: usize| -> Option<usize> {
        if s[i] != b'#' {
            return None;
        }
        let h = i + s[i..].iter().take_while(|&&b| b == b'#').count();
        let a = spaces(s, h);
        (s[a..].starts_with(arg) && boundary(s, a + arg.len())).then_some(a + arg.len())
    };
    let third = |s: &[u8], i: usize| -> Option<usize> {
        if !(s[i..].starts_with(arg) && (i == 0 || !is_word(s[i - 1]))) {
            return None;
        }
        let a = spaces(s, i + arg.len());
        s[a..].starts_with(b"##").then_some(a + 2)
    };
    let mut cur = stmt.to_vec();
    for f in [
        &first as &dyn Fn(&[u8], usize) -> Option<usize>,
        &second,
        &third,
    ] {
        let mut out = Vec::with_capacity(cur.len());
        let mut i = 0;
        while i < cur.len() {
            match f(&cur, i) {
                Some(e) if e > i => i = e,
                _ => {
                    out.push(cur[i]);
                    i += 1;
                }
            }
        }
        cur = out;
    }
    cur
}

/// The operator `$Operators` matches first at `i`, if any.
fn operator_at(s: &[u8], i: usize) -> Option<&'static [u8]> {
    const OPS: &[&[u8]] = &[
        b"<=", b">=", b"==", b"!=", b"=>", b"->", b"<<", b">>", b"<", b">", b"!", b"~", b"&&",
        b"||", b",", b"^", b"++", b"--", b"&", b"|", b"+", b"-", b"*", b"/", b"%",
    ];
    OPS.iter().copied().find(|o| s[i..].starts_with(o))
}

/// MACRO_ARG_PRECEDENCE's test: `m/($Operators)?\s*\b$arg\b\s*($Operators)?/`, an
/// operator other than `,` before or after the argument's first use.
fn arg_next_to_operator(s: &[u8], arg: &[u8]) -> bool {
    let Some(q) = (0..s.len()).find(|&i| word_at(s, i, arg)) else {
        return false;
    };
    let w = q - s[..q].iter().rev().take_while(|&&b| is_space(b)).count();
    const TWO: &[&[u8]] = &[
        b"<=", b">=", b"==", b"!=", b"=>", b"->", b"<<", b">>", b"&&", b"||", b"++", b"--",
    ];
    let before: Option<&[u8]> = if w >= 2 && TWO.contains(&&s[w - 2..w]) {
        Some(&s[w - 2..w])
    } else if w >= 1 && b"<>!~,^&|+-*/%".contains(&s[w - 1]) {
        Some(&s[w - 1..w])
    } else {
        None
    };
    let r = spaces(s, q + arg.len());
    let after = (r < s.len()).then(|| operator_at(s, r)).flatten();
    before.is_some_and(|o| o != b",") || after.is_some_and(|o| o != b",")
}

/// MACRO_ARG_REUSE, MACRO_ARG_PRECEDENCE (CHECK) and MACRO_ARG_UNUSED (WARNING): the
/// arguments of a function-like macro an added line defines, on the macro's whole
/// definition (its continuation lines), as checkpatch.pl's "check if any macro arguments
/// are reused", "... may have other precedence issues" and "check if this is an unused
/// argument". A definition with a preprocessor conditional inside is not checked (its
/// statement parser would read it differently).
pub(super) fn macro_args(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if fs.realfile.ends_with("vmlinux.lds.h") {
        return;
    }
    // ^.\s*\#\s*define\s+$Ident(\([^\)]*\))?
    let a = spaces(s, 0);
    if s.get(a) != Some(&b'#') {
        return;
    }
    let b = spaces(s, a + 1);
    if !s[b..].starts_with(b"define") {
        return;
    }
    // The definition: this line and its continuations (ctx_statement_block's `#`
    // statement, which ends at a newline without a backslash before it).
    let (lines, sane, idx) = l.after;
    let mut block: Vec<u8> = Vec::new();
    let mut raws: Vec<&[u8]> = Vec::new();
    let mut i = idx;
    while i < lines.len() && raws.len() < 500 {
        let raw = lines[i].raw;
        i += 1;
        match raw.first() {
            Some(b'-') => continue,
            Some(b'+' | b' ') => {}
            _ => break,
        }
        let Some(body) = sane.body(i - 1) else {
            break;
        };
        block.push(raw[0]);
        block.extend_from_slice(body);
        block.push(b'\n');
        raws.push(raw);
        if body.last() != Some(&b'\\') {
            break;
        }
    }
    // Nested conditionals change where checkpatch.pl's statement ends: not checked.
    let conditional = (1..block.len()).any(|k| {
        block[k] == b'#' && {
            let d = spaces(&block, k + 1);
            let w = block[d..].iter().take_while(|&&x| is_word(x)).count();
            matches!(
                &block[d..d + w],
                b"if" | b"ifdef" | b"ifndef" | b"else" | b"elif" | b"endif"
            )
        }
    });
    if conditional || block.len() > 20_000 {
        return;
    }
    let d = spaces(&block, 1);
    let d = spaces(&block, d + 1);
    let after_define = d + 6;
    let n = spaces(&block, after_define);
    if n == after_define {
        return;
    }
    let Some(name_end) = ident(&block, n) else {
        return;
    };
    let (args, rest) = if block.get(name_end) == Some(&b'(') {
        match block[name_end + 1..].iter().position(|&x| x == b')') {
            Some(k) => (
                Some(&block[name_end + 1..name_end + 1 + k]),
                name_end + 1 + k + 1,
            ),
            None => (None, name_end),
        }
    } else {
        (None, name_end)
    };
    let Some(args) = args else {
        return;
    };
    let rest = spaces(&block, rest);
    // $define_args: no whitespace, no `\` (or `\+` of a continuation), split on `,`.
    let mut flat: Vec<u8> = args.iter().copied().filter(|&x| !is_space(x)).collect();
    while let Some(k) = flat.iter().position(|&x| x == b'\\') {
        let end = if flat.get(k + 1) == Some(&b'+') {
            k + 2
        } else {
            k + 1
        };
        flat.drain(k..end);
    }
    let mut def_args: Vec<&[u8]> = flat.split(|&x| x == b',').collect();
    while def_args.last().is_some_and(|a| a.is_empty()) {
        def_args.pop();
    }
    // $define_stmt: one line, without comments and continuation backslashes.
    let mut stmt: Vec<u8> = Vec::new();
    let mut parts: Vec<&[u8]> = block[rest..].split(|&x| x == b'\n').collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    for (k, p) in parts.iter().enumerate() {
        let p = p.strip_suffix(b"\\").unwrap_or(p);
        if k == 0 {
            stmt.extend_from_slice(p);
        } else if matches!(p.first(), Some(b'+' | b' ')) {
            stmt.extend_from_slice(&p[1..]);
        }
    }
    let mut flat_stmt: Vec<u8> = Vec::with_capacity(stmt.len());
    for &x in stmt.iter().filter(|&&x| x != COMMENT_BYTE) {
        if is_space(x) {
            if flat_stmt.last() != Some(&b' ') {
                flat_stmt.push(b' ');
            }
        } else {
            flat_stmt.push(x);
        }
    }
    let stmt = flat_stmt.trim_ascii();
    let context = || {
        let mut v = vec![here.as_bytes().to_vec()];
        v.extend(raws.iter().map(|r| r.to_vec()));
        v
    };
    for arg in def_args {
        if arg.windows(3).any(|w| w == b"...") || arg.eq_ignore_ascii_case(b"type") {
            continue;
        }
        // Only plain identifiers: checkpatch.pl uses the argument as a regex.
        if arg.is_empty() || !arg.iter().all(|&x| is_word(x)) {
            continue;
        }
        let name = text(arg);
        let tmp = strip_arg_uses(stmt, arg);
        let uses = (0..tmp.len()).filter(|&k| word_at(&tmp, k, arg)).count();
        if uses > 1 {
            c.report(
                Level::Check,
                "MACRO_ARG_REUSE",
                format!("Macro argument reuse '{name}' - possible side-effects?"),
                &fs.realfile,
                l.report_line,
                l.realline,
                context(),
            );
        }
        if arg_next_to_operator(&tmp, arg) {
            c.report(
                Level::Check,
                "MACRO_ARG_PRECEDENCE",
                format!(
                    "Macro argument '{name}' may be better as '({name})' to avoid precedence issues"
                ),
                &fs.realfile,
                l.report_line,
                l.realline,
                context(),
            );
        }
        if !(0..stmt.len()).any(|k| word_at(stmt, k, arg)) {
            c.report(
                Level::Warning,
                "MACRO_ARG_UNUSED",
                format!("Argument '{name}' is not used in function-like macro"),
                &fs.realfile,
                l.report_line,
                l.realline,
                context(),
            );
        }
    }
}
