// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C control flow: UNNECESSARY_ELSE, ASSIGN_IN_IF and TRAILING_STATEMENTS, as
//! checkpatch.pl checks them (the conditions from its statement parser, `c_stat`).
//!
//! checkpatch.pl's fixes of ASSIGN_IN_IF and of the conditional form of
//! TRAILING_STATEMENTS, which split a line in two, are in `c_flow_fix`.

use super::c::CLine;
use super::c_stat::{ensure_stat, sline, whiletrailer_suppressed};
use super::*;

/// `\s*` from `i`.
fn sp(s: &[u8], i: usize) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count()
}

/// The whole word `w` at `i` (`\bw\b`, the `\b` before it checked by the caller).
fn word_is(s: &[u8], i: usize, w: &[u8]) -> bool {
    s[i..].starts_with(w) && !s.get(i + w.len()).is_some_and(|&b| is_word(b))
}

/// `\bkw\s*\(` for one of `kws`, anywhere in `s`.
fn keyword_paren(s: &[u8], kws: &[&[u8]]) -> bool {
    kws.iter().any(|w| {
        super::c_stat::find_iter(s, w)
            .any(|k| (k == 0 || !is_word(s[k - 1])) && s.get(sp(s, k + w.len())) == Some(&b'('))
    })
}

/// `^.\s*#`: a preprocessor line.
fn preprocessor(body: &[u8]) -> bool {
    body.get(sp(body, 0)) == Some(&b'#')
}

/// UNNECESSARY_ELSE (WARNING): a bare `else` (or `} else {`) after a `break`, or after
/// a `return` not followed by another one, indented one tab more.
pub(super) fn unnecessary_else(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    // $sline =~ /^\+([\t]+)(?:}[ \t]*)?else(?:[ \t]*{)?\s*$/
    let sl = sline(l);
    if sl.first() != Some(&b'+') {
        return;
    }
    let tabs = sl[1..].iter().take_while(|&&b| b == b'\t').count();
    if tabs == 0 {
        return;
    }
    let blank = |i: usize| sl[i..].iter().all(|&b| is_space(b));
    let ht = |i: usize| {
        i + sl[i..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count()
    };
    let mut i = 1 + tabs;
    if sl.get(i) == Some(&b'}') {
        i = ht(i + 1);
    }
    if !sl[i..].starts_with(b"else") {
        return;
    }
    i += 4;
    let j = ht(i);
    let bare = blank(i) || (sl.get(j) == Some(&b'{') && blank(j + 1));
    if !bare {
        return;
    }
    let tabs = tabs + 1;
    let (lines, sane, idx) = l.after;
    // $prevline =~ /^\+\t{$tabs,$tabs}(break|return)\b/
    let prev_is = |w: &[u8]| {
        let Some(pb) = l.prev_body() else {
            return false;
        };
        l.prev_raw().first() == Some(&b'+')
            && pb.len() > tabs
            && pb[..tabs].iter().all(|&b| b == b'\t')
            && word_is(pb, tabs, w)
    };
    // defined $lines[$linenr] && $lines[$linenr] !~ /^[ \+]\t{$tabs,$tabs}return/
    let next_not_return = idx + 1 < lines.len() && {
        let n = super::c_stat::pline(lines, sane, idx + 1);
        !(matches!(n.first(), Some(b' ' | b'+'))
            && n.len() > tabs
            && n[1..=tabs].iter().all(|&b| b == b'\t')
            && n[1 + tabs..].starts_with(b"return"))
    };
    if prev_is(b"break") || (prev_is(b"return") && next_not_return) {
        c.report(
            Level::Warning,
            "UNNECESSARY_ELSE",
            "else is not generally useful after a break or return".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        );
    }
}

/// ASSIGN_IN_IF (ERROR) and TRAILING_STATEMENTS (ERROR), checkpatch.pl's "Check for
/// illegal assignment in if conditional -- and check for trailing statements after the
/// conditional", then its line forms (after `else`, `} if`, `case ...:`), on an added
/// line.
pub(super) fn conditionals(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let body = l.body;
    let linenr = l.linenr;
    // The relative indent check computes the statement of such a line.
    let relative_indent = !preprocessor(body)
        && (keyword_paren(body, &[b"if", b"while", b"for"])
            || for_each_paren(body)
            || has_word(body, b"do")
            || has_word(body, b"else"))
        && !close_while(body);
    if relative_indent {
        ensure_stat(c, l);
    }
    super::c_stat::do_while(c, l);
    if !whiletrailer_suppressed(c, linenr)
        && keyword_paren(body, &[b"if", b"while", b"for"])
        && !preprocessor(body)
    {
        if let Some((stat, cond, _)) = &c.flow.stat {
            let (stat, cond) = (stat.clone(), cond.clone());
            // checkpatch.pl's $fixed_assign_in_if.
            let mut fixed_assign = false;
            if assign_in_if(&cond)
                && c.report(
                    Level::Error,
                    "ASSIGN_IN_IF",
                    "do not use assignment in if condition".into(),
                    &fs.realfile,
                    l.report_line,
                    l.realline,
                    l.curr(here),
                )
            {
                fixed_assign = super::c_flow_fix::fix_assign_in_if(c, l.raw);
            }
            trailing_after_condition(c, fs, l, here, (&stat, &cond), fixed_assign);
        }
    }
    trailing_line_forms(c, fs, l, here);
}

/// `\bword\b` anywhere.
fn has_word(s: &[u8], w: &[u8]) -> bool {
    super::c_stat::find_iter(s, w)
        .any(|k| (k == 0 || !is_word(s[k - 1])) && !s.get(k + w.len()).is_some_and(|&b| is_word(b)))
}

/// `\b(?:[a-z_]+|)for_each[a-z_]+\s*\(`.
fn for_each_paren(s: &[u8]) -> bool {
    super::c_stat::find_iter(s, b"for_each").any(|k| {
        let lower = |b: u8| b.is_ascii_lowercase() || b == b'_';
        let mut st = k;
        while st > 0 && lower(s[st - 1]) {
            st -= 1;
        }
        if st > 0 && is_word(s[st - 1]) {
            return false;
        }
        let e = k + 8 + s[k + 8..].iter().take_while(|&&b| lower(b)).count();
        e > k + 8 && s.get(sp(s, e)) == Some(&b'(')
    })
}

/// `\}\s*while\s*`.
fn close_while(s: &[u8]) -> bool {
    memchr::memchr_iter(b'}', s).any(|k| s[sp(s, k + 1)..].starts_with(b"while"))
}

/// `$c =~ /\bif\s*\(.*[^<>!=]=[^=].*/s`.
fn assign_in_if(c: &[u8]) -> bool {
    let Some(open) = (0..c.len()).find(|&k| {
        (k == 0 || !is_word(c[k - 1]))
            && c[k..].starts_with(b"if")
            && c.get(sp(c, k + 2)) == Some(&b'(')
    }) else {
        return false;
    };
    let from = sp(c, open + 2) + 1;
    (from + 1..c.len()).any(|k| {
        c[k] == b'=' && !b"<>!=".contains(&c[k - 1]) && c.get(k + 1).is_some_and(|&b| b != b'=')
    })
}

/// TRAILING_STATEMENTS after a condition: what follows it on its last line is neither
/// nothing nor `{`.
fn trailing_after_condition(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
    (stat, cond): (&[u8], &[u8]),
    fixed_assign: bool,
) {
    if cond.is_empty() {
        return;
    }
    // substr($s, 0, length($c), ''); $s =~ s/\n.*//g; $s =~ s/$;//g;
    let rest = &stat[cond.len().min(stat.len())..];
    let first = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
    let s: Vec<u8> = first
        .iter()
        .copied()
        .filter(|&b| b != COMMENT_BYTE)
        .collect();
    // /^\s*{?\s*\\*\s*$/
    let mut i = sp(&s, 0);
    if s.get(i) == Some(&b'{') {
        i += 1;
    }
    i = sp(&s, i);
    i += s[i..].iter().take_while(|&&b| b == b'\\').count();
    let empty = sp(&s, i) == s.len();
    // $c !~ /}\s*while\s*/
    if empty || close_while(cond) {
        return;
    }
    let cond_lines = cond.iter().filter(|&&b| b == b'\n').count();
    let mut ctx = l.curr(here);
    if cond_lines > 0 {
        if cond_lines > 1 {
            ctx.push(b"[...]".to_vec());
        }
        if let Some(r) = raw_line(l, cond_lines) {
            ctx.push(r.to_vec());
        }
    }
    if c.report(
        Level::Error,
        "TRAILING_STATEMENTS",
        "trailing statements should be on next line".into(),
        &fs.realfile,
        l.report_line,
        l.realline,
        ctx,
    ) && !fixed_assign
        && cond_lines == 0
    {
        super::c_flow_fix::fix_trailing_statement(c);
    }
}

/// checkpatch.pl's `raw_line($linenr, $cnt)`: the `cnt`th line after this one that is
/// not a removed line.
fn raw_line<'a>(l: &CLine<'a>, cnt: usize) -> Option<&'a [u8]> {
    let (lines, _, idx) = l.after;
    lines[idx..]
        .iter()
        .filter(|p| p.raw.first() != Some(&b'-'))
        .nth(cnt)
        .map(|p| p.raw)
}

/// The line forms of TRAILING_STATEMENTS: a statement after `else`, an `if` after a
/// `}`, a statement after `case ...:` or `default:`.
fn trailing_line_forms(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let body = l.body;
    let report = |c: &mut Checker<'_>, msg: &str| {
        c.report(
            Level::Error,
            "TRAILING_STATEMENTS",
            msg.into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    };
    // /^.\s*(?:}\s*)?else\b(.*)/
    let mut i = sp(body, 0);
    if body.get(i) == Some(&b'}') {
        i = sp(body, i + 1);
    }
    if word_is(body, i, b"else") {
        let s: Vec<u8> = body[i + 4..]
            .iter()
            .copied()
            .filter(|&b| b != COMMENT_BYTE)
            .collect();
        // /^\s*(?:\sif|(?:{|)\s*\\?\s*$)/
        let a = sp(&s, 0);
        let else_if = a >= 1 && s[a..].starts_with(b"if");
        let mut j = a;
        if s.get(j) == Some(&b'{') {
            j += 1;
        }
        j = sp(&s, j);
        if s.get(j) == Some(&b'\\') {
            j += 1;
        }
        if !(else_if || sp(&s, j) == s.len()) {
            report(c, "trailing statements should be on next line");
        }
    }
    // /}\s*if\b/
    if memchr::memchr_iter(b'}', body).any(|k| word_is(body, sp(body, k + 1), b"if")) {
        report(
            c,
            "trailing statements should be on next line (or did you mean 'else if'?)",
        );
    }
    // /^.\s*(?:case\s*.*|default\s*):/g, then \G: not (comments, `{`, `\`) to the end,
    // nor `\s*return\s+`.
    let i = sp(body, 0);
    let colon = if body[i..].starts_with(b"case") {
        memchr::memrchr(b':', &body[i + 4..]).map(|k| i + 4 + k)
    } else if body[i..].starts_with(b"default") {
        let k = sp(body, i + 7);
        (body.get(k) == Some(&b':')).then_some(k)
    } else {
        None
    };
    if let Some(k) = colon {
        let s = &body[k + 1..];
        let comments = |j: usize| j + s[j..].iter().take_while(|&&b| b == COMMENT_BYTE).count();
        let mut j = comments(sp(s, 0));
        let a = sp(s, j);
        if s.get(a) == Some(&b'{') {
            j = a + 1;
        }
        j = comments(sp(s, j));
        let a = sp(s, j);
        if s.get(a) == Some(&b'\\') {
            j = a + 1;
        }
        let plain_end = sp(s, j) == s.len();
        let r = sp(s, 0);
        let returns = s[r..].starts_with(b"return") && s.get(r + 6).is_some_and(|&b| is_space(b));
        if !(plain_end || returns) {
            report(c, "trailing statements should be on next line");
        }
    }
}
