// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Macros: BIT_MACRO, a `#define` of `1 << N` that BIT(N) says better.

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
