// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C statements: the forms of checkpatch.pl's BRACES and UNNECESSARY_PARENTHESES that are
//! tests of a line and the one before it (the forms that need its statement parser,
//! `ctx_statement_block`, are not implemented: see `rules::NOT_IMPLEMENTED_FORMS`).

use super::c::CLine;
use super::c_types::ident;
use super::*;

/// `$sline`: `$line` with the comment bytes as spaces.
fn sline(body: &[u8]) -> Vec<u8> {
    body.iter()
        .map(|&b| if b == COMMENT_BYTE { b' ' } else { b })
        .collect()
}

fn sp(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_space(b)).count()
}

/// `\s*` then the end of `s`.
fn blank_from(s: &[u8], i: usize) -> bool {
    s[i..].iter().all(|&b| is_space(b))
}

/// `\s*` then `w` at `i`: where `w` ends.
fn after_spaces(s: &[u8], i: usize, w: &[u8]) -> Option<usize> {
    let a = sp(s, i);
    s[a..].starts_with(w).then_some(a + w.len())
}

/// BRACES (CHECK), the line forms: "Unbalanced braces around else statement" (`} else`
/// or `else {` alone on a line), and blank lines after an open brace or before a close
/// brace, checkpatch.pl's "check for single line unbalanced braces" and "check for
/// unnecessary blank lines around braces", on an added line. The fixes delete the blank
/// line, as checkpatch.pl's `fix_delete_line`.
pub(super) fn braces(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let sl = sline(l.body);
    // /^.\s*\}\s*else\s*$/ or /^.\s*else\s*\{\s*$/
    let close_else = after_spaces(&sl, 0, b"}")
        .and_then(|a| after_spaces(&sl, a, b"else"))
        .is_some_and(|b| blank_from(&sl, b));
    let else_open = after_spaces(&sl, 0, b"else")
        .and_then(|a| after_spaces(&sl, a, b"{"))
        .is_some_and(|b| blank_from(&sl, b));
    if close_else || else_open {
        c.report(
            Level::Check,
            "BRACES",
            "Unbalanced braces around else statement".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
    // $line =~ /^.\s*}\s*$/ and $prevrawline =~ /^.\s*$/
    let prev_raw = l.prev_raw();
    let closes = after_spaces(l.body, 0, b"}").is_some_and(|a| blank_from(l.body, a));
    if closes
        && !prev_raw.is_empty()
        && blank_from(prev_raw, 1)
        && c.report(
            Level::Check,
            "BRACES",
            "Blank lines aren't necessary before a close brace '}'".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        )
        && prev_raw.first() == Some(&b'+')
        && c.cur > 0
    {
        c.fix_delete(c.cur - 1);
    }
    // $rawline =~ /^.\s*$/ and $prevline =~ /^..*{\s*$/
    let prev_opens = l.prev_body().is_some_and(|p| {
        !l.prev_raw().is_empty()
            && p.iter()
                .rposition(|&b| !is_space(b))
                .is_some_and(|k| p[k] == b'{')
    });
    if !l.raw.is_empty()
        && blank_from(l.raw, 1)
        && prev_opens
        && c.report(
            Level::Check,
            "BRACES",
            "Blank lines aren't necessary after an open brace '{'".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        )
    {
        c.fix_delete(c.cur);
    }
}

/// `$Ident\s*(?:$Member\s*)+` at `i`: every end (`$Member` is `->$Ident`, `.$Ident` or
/// `[...]`).
fn member_chain(s: &[u8], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut frontier: Vec<usize> = ident(s, i).into_iter().map(|e| sp(s, e)).collect();
    let mut seen = frontier.clone();
    while let Some(p) = frontier.pop() {
        let mut next = Vec::new();
        if let Some(a) = s[p..].strip_prefix(b"->").map(|_| p + 2) {
            next.extend(ident(s, a));
        }
        if s.get(p) == Some(&b'.') {
            next.extend(ident(s, p + 1));
        }
        if s.get(p) == Some(&b'[') {
            if let Some(k) = s[p + 1..].iter().position(|&b| b == b']') {
                next.push(p + 1 + k + 1);
            }
        }
        for e in next {
            // The member's `\s*`: every split is an end, the longest is greedy's.
            for q in e..=sp(s, e) {
                if !out.contains(&q) {
                    out.push(q);
                }
            }
            let q = sp(s, e);
            if !seen.contains(&q) {
                seen.push(q);
                frontier.push(q);
            }
        }
    }
    out.sort_unstable();
    out
}

/// UNNECESSARY_PARENTHESES (CHECK), the line forms: `&(foo->bar)` and `*(foo->bar)`
/// ("check unnecessary parentheses around addressof/dereference single $Lvals") and
/// `(foo->bar)(` ("around function pointer uses"), on an added line of a .c or .h file,
/// with checkpatch.pl's fixes.
pub(super) fn unnecessary_parentheses(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
) {
    let body = l.body;
    if body.len() > 1000 || !body.contains(&b'(') {
        return;
    }
    // $line, with its marker: `[^&]` may be the marker.
    let mut s = Vec::with_capacity(body.len() + 1);
    s.push(l.raw.first().copied().unwrap_or(b'+'));
    s.extend_from_slice(body);
    let s = &s[..];
    // while (/(?:[^&]&\s*|\*)\(\s*($Ident\s*(?:$Member\s*)+)\s*\)/g)
    let mut pos = 0;
    while pos < s.len() {
        let found = (pos..s.len()).find_map(|k| {
            // `[^&]&\s*` first, then `\*`.
            let mut opens = Vec::new();
            if s[k] != b'&' && s.get(k + 1) == Some(&b'&') {
                opens.push(sp(s, k + 2));
            }
            if s[k] == b'*' {
                opens.push(k + 1);
            }
            opens.into_iter().find_map(|open| {
                if s.get(open) != Some(&b'(') {
                    return None;
                }
                let v = sp(s, open + 1);
                let end = member_chain(s, v)
                    .into_iter()
                    .rev()
                    .find(|&e| s.get(sp(s, e)) == Some(&b')'))?;
                Some((v, end, sp(s, end) + 1))
            })
        });
        let Some((v, e, m)) = found else {
            break;
        };
        pos = m;
        let var = s[v..e].to_vec();
        if c.report(
            Level::Check,
            "UNNECESSARY_PARENTHESES",
            format!("Unnecessary parentheses around {}", text(&var)),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        ) {
            if let Some(f) = c.fix_line() {
                // s/\(\s*\Q$var\E\s*\)/$var/
                let at = (0..f.len()).find_map(|k| {
                    if f[k] != b'(' {
                        return None;
                    }
                    let a = sp(f, k + 1);
                    let b = f[a..].starts_with(&var).then_some(a + var.len())?;
                    let d = sp(f, b);
                    (f.get(d) == Some(&b')')).then_some((k, d + 1))
                });
                if let Some((k, d)) = at {
                    f.splice(k..d, var.iter().copied());
                }
            }
        }
    }
    // /(\bif\s*|)(\(\s*$Ident\s*(?:$Member\s*)+\))[ \t]*\(/ && $1 !~ /^if/
    let group = |k: usize| -> Option<usize> {
        if s.get(k) != Some(&b'(') {
            return None;
        }
        let v = sp(s, k + 1);
        member_chain(s, v).into_iter().rev().find_map(|e| {
            (s.get(e) == Some(&b')')).then_some(e + 1).filter(|&g| {
                let t = g + s[g..]
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                s.get(t) == Some(&b'(')
            })
        })
    };
    for k in 0..s.len() {
        let if_first = s[k..].starts_with(b"if")
            && (k == 0 || !is_word(s[k - 1]))
            && group(sp(s, k + 2)).is_some();
        if if_first {
            return;
        }
        if let Some(g) = group(k) {
            let var = &s[k..g];
            let inner: Vec<u8> = var[1..var.len() - 1]
                .iter()
                .copied()
                .filter(|&b| !is_space(b))
                .collect();
            let var = var.to_vec();
            if c.report(
                Level::Check,
                "UNNECESSARY_PARENTHESES",
                format!(
                    "Unnecessary parentheses around function pointer {}",
                    text(&var)
                ),
                &fs.realfile,
                l.report_line,
                l.realline,
                l.curr(here),
            ) {
                if let Some(f) = c.fix_line() {
                    if let Some(at) = memchr::memmem::find(f, &var) {
                        f.splice(at..at + var.len(), inner);
                    }
                }
            }
            return;
        }
    }
}
