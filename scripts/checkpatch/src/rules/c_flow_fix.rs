// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The --fix of ASSIGN_IN_IF and of the conditional form of TRAILING_STATEMENTS
//! (`c_flow`), checkpatch.pl's: each splits a line in two, by the engine's deleted and
//! inserted lines. Like checkpatch.pl's, the lines they insert carry no diff marker.
//!
//! ASSIGN_IN_IF's fix applies only to the lines its regex matches, which this module
//! follows as a regex engine would, trying each choice in the order Perl does:
//!
//! ```text
//! ^\+(\s+)if\s*\(\s*(\!)?\s*\(\s*(($Lval)\s*=\s*$LvalOrFunc)\s*\)\s*
//!     (?:($Compare)\s*($FuncArg))?\s*\)\s*(\{)?\s*$
//! ```
//!
//! with `$LvalOrFunc` `((?:[\&\*]\s*)?$Lval)\s*($balanced_parens{0,1})\s*` and
//! `$FuncArg` `$Typecast{0,1}($LvalOrFunc|$Constant|$String)`. The cast's type is
//! matched with the built-in types (`c_types`), not the ones checkpatch.pl learns from
//! the file.

use super::c_types::{balanced_parens, lval, nonptr_type};
use super::engine::Checker;
use super::{is_space, is_word};

/// A continuation: the rest of the regex from a place, true when it matched.
type Rest<'k> = &'k mut dyn FnMut(usize) -> bool;

/// `\s*` from `i`: its greedy end.
fn sp(s: &[u8], i: usize) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count()
}

/// `\s*` from `i`, then `k`: the longest run first, as Perl gives it back.
fn spaces_then(s: &[u8], i: usize, k: Rest<'_>) -> bool {
    (i..=sp(s, i)).rev().any(k)
}

/// `$Lval` from `i`, then `k`: the longest first.
fn lval_then(s: &[u8], i: usize, k: Rest<'_>) -> bool {
    if i >= s.len() {
        return false;
    }
    let mut ends = lval(s, i);
    ends.sort_unstable_by(|a, b| b.cmp(a));
    ends.dedup();
    ends.into_iter().any(k)
}

/// `$LvalOrFunc` from `i`, then `k`.
fn lval_or_func_then(s: &[u8], i: usize, k: Rest<'_>) -> bool {
    // ((?:[\&\*]\s*)?$Lval)\s*($balanced_parens{0,1})\s*
    let mut after_lval = |e: usize| {
        spaces_then(s, e, &mut |a| {
            if let Some(b) = balanced_parens(s, a) {
                if spaces_then(s, b, &mut *k) {
                    return true;
                }
            }
            spaces_then(s, a, &mut *k)
        })
    };
    if matches!(s.get(i), Some(b'&' | b'*'))
        && (i + 1..=sp(s, i + 1))
            .rev()
            .any(|p| lval_then(s, p, &mut after_lval))
    {
        return true;
    }
    lval_then(s, i, &mut after_lval)
}

/// checkpatch.pl's `$Int_type` (any case) matches all of `t`.
fn int_type(t: &[u8]) -> bool {
    let t = t.to_ascii_lowercase();
    [&b"llu"[..], b"ull", b"ll", b"lu", b"ul", b"l", b"u"].contains(&&t[..])
}

/// The length of the run of ASCII digits (of radix 16 when `hex`) at the start of `t`.
fn digits(t: &[u8], hex: bool) -> usize {
    t.iter()
        .take_while(|b| {
            if hex {
                b.is_ascii_hexdigit()
            } else {
                b.is_ascii_digit()
            }
        })
        .count()
}

/// `[eE]-?[0-9]+` or `[pP]-?[0-9]+` (the marker `m`) at the start of `t`: its length.
fn exponent(t: &[u8], m: u8) -> Option<usize> {
    if t.first().map(u8::to_ascii_lowercase) != Some(m) {
        return None;
    }
    let sign = usize::from(t.get(1) == Some(&b'-'));
    let n = digits(&t[1 + sign..], false);
    (n > 0).then_some(1 + sign + n)
}

/// `[fl]?` (any case) is all of `t`.
fn float_suffix(t: &[u8]) -> bool {
    t.is_empty() || (t.len() == 1 && matches!(t[0].to_ascii_lowercase(), b'f' | b'l'))
}

/// checkpatch.pl's `$Constant` matches all of `t`.
fn constant(t: &[u8]) -> bool {
    let radix_prefix = |c: u8| t.len() > 2 && t[0] == b'0' && t[1].to_ascii_lowercase() == c;
    // $Float_hex, $Hex: 0x[0-9a-f]+ then p-?[0-9]+[fl]? or $Int_type?
    if radix_prefix(b'x') {
        let n = digits(&t[2..], true);
        if n > 0 {
            let r = &t[2 + n..];
            if r.is_empty() || int_type(r) {
                return true;
            }
            if let Some(e) = exponent(r, b'p') {
                return float_suffix(&r[e..]);
            }
        }
    }
    // $Binary: 0b[01]+$Int_type?
    if radix_prefix(b'b') {
        let n = t[2..]
            .iter()
            .take_while(|&&b| b == b'0' || b == b'1')
            .count();
        let r = &t[2 + n..];
        if n > 0 && (r.is_empty() || int_type(r)) {
            return true;
        }
    }
    // $Float_dec: (?:[0-9]+\.[0-9]*|[0-9]*\.[0-9]+)(?:e-?[0-9]+)?[fl]?
    let n = digits(t, false);
    if t.get(n) == Some(&b'.') {
        let m = digits(&t[n + 1..], false);
        if n + m > 0 {
            let mut r = &t[n + 1 + m..];
            if let Some(e) = exponent(r, b'e') {
                r = &r[e..];
            }
            if float_suffix(r) {
                return true;
            }
        }
    }
    if n == 0 {
        return false;
    }
    // $Float_int: [0-9]+e-?[0-9]+[fl]?; $Octal and $Int: [0-9]+$Int_type? (an octal
    // is an int as well).
    let r = &t[n..];
    if let Some(e) = exponent(r, b'e') {
        if float_suffix(&r[e..]) {
            return true;
        }
    }
    r.is_empty() || int_type(r)
}

/// `$Constant` from `i`, then `k`.
fn constant_then(s: &[u8], i: usize, k: Rest<'_>) -> bool {
    let run = s[i..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-')
        .count();
    (i + 1..=i + run).rev().any(|e| constant(&s[i..e]) && k(e))
}

/// `$String` (`(?:\b[Lu])?"[X\t]*"`) from `i`, then `k`.
fn string_then(s: &[u8], i: usize, k: Rest<'_>) -> bool {
    let quoted = |q: usize| {
        if s.get(q) != Some(&b'"') {
            return None;
        }
        let n = s[q + 1..]
            .iter()
            .take_while(|&&b| b == b'X' || b == b'\t')
            .count();
        (s.get(q + 1 + n) == Some(&b'"')).then_some(q + n + 2)
    };
    let boundary = i == 0 || !is_word(s[i - 1]);
    if matches!(s.get(i), Some(b'L' | b'u')) && boundary {
        if let Some(e) = quoted(i + 1) {
            if k(e) {
                return true;
            }
        }
    }
    quoted(i).is_some_and(k)
}

/// `$FuncArg` from `i` (after the spaces before it), then `k`.
fn func_arg_then(s: &[u8], i: usize, k: Rest<'_>) -> bool {
    let mut alternatives = |t: usize| {
        lval_or_func_then(s, t, &mut *k)
            || constant_then(s, t, &mut *k)
            || string_then(s, t, &mut *k)
    };
    // $Typecast: \s*(\(\s*$NonptrType\s*\)){0,1}\s* : the cast first. The type holds
    // no `)`, so the cast ends at the first one, when a type ends before it.
    if s.get(i) == Some(&b'(') {
        let open = sp(s, i + 1);
        if let Some(close) = s[open..].iter().position(|&b| b == b')') {
            let close = open + close;
            if open < close && nonptr_type(s, open).iter().any(|&e| sp(s, e) == close) {
                // The alternatives cannot start with a space: the spaces are all taken.
                if alternatives(sp(s, close + 1)) {
                    return true;
                }
            }
        }
    }
    alternatives(i)
}

/// The parts of a line ASSIGN_IN_IF's fix rewrites (the regex's `$1`, `$2`, `$3`, `$4`,
/// `$8`, `$9` and `$15`).
struct AssignParts<'a> {
    space: &'a [u8],
    not: bool,
    statement: &'a [u8],
    assigned: &'a [u8],
    test_against: Option<(&'a [u8], &'a [u8])>,
    brace: bool,
}

/// `\s*\)\s*(\{)?\s*$` from `p`: whether it matches, and `$15`.
fn close_then_end(s: &[u8], p: usize) -> Option<bool> {
    let q = sp(s, p);
    if s.get(q) != Some(&b')') {
        return None;
    }
    let r = sp(s, q + 1);
    let brace = s.get(r) == Some(&b'{');
    let end = if brace { sp(s, r + 1) } else { r };
    (end == s.len()).then_some(brace)
}

/// checkpatch.pl's `$Compare` at `i`: its alternatives' ends, in order.
fn compare(s: &[u8], i: usize) -> impl Iterator<Item = usize> + '_ {
    [&b"<="[..], b">=", b"==", b"!=", b"<", b">"]
        .into_iter()
        .filter(move |op| {
            s[i..].starts_with(op) && !(**op == b">"[..] && i > 0 && s[i - 1] == b'-')
        })
        .map(move |op| i + op.len())
}

/// ASSIGN_IN_IF's fix regex on `$rawline` `s`.
fn assign_parts(s: &[u8]) -> Option<AssignParts<'_>> {
    if s.first() != Some(&b'+') {
        return None;
    }
    let space_end = sp(s, 1);
    if space_end == 1 || !s[space_end..].starts_with(b"if") {
        return None;
    }
    let mut i = sp(s, space_end + 2);
    if s.get(i) != Some(&b'(') {
        return None;
    }
    i = sp(s, i + 1);
    let not = s.get(i) == Some(&b'!');
    if not {
        i = sp(s, i + 1);
    }
    if s.get(i) != Some(&b'(') {
        return None;
    }
    let st = sp(s, i + 1);
    let mut found = None;
    lval_then(s, st, &mut |assigned_end| {
        let eq = sp(s, assigned_end);
        if s.get(eq) != Some(&b'=') {
            return false;
        }
        lval_or_func_then(s, sp(s, eq + 1), &mut |statement_end| {
            let close = sp(s, statement_end);
            if s.get(close) != Some(&b')') {
                return false;
            }
            let b = sp(s, close + 1);
            for ce in compare(s, b) {
                let f = sp(s, ce);
                let mut brace = None;
                let mut arg_end = 0;
                if func_arg_then(s, f, &mut |p| {
                    brace = close_then_end(s, p);
                    arg_end = p;
                    brace.is_some()
                }) {
                    found = Some((
                        assigned_end,
                        statement_end,
                        Some((&s[b..ce], &s[f..arg_end])),
                        brace == Some(true),
                    ));
                    return true;
                }
            }
            match close_then_end(s, b) {
                Some(brace) => {
                    found = Some((assigned_end, statement_end, None, brace));
                    true
                }
                None => false,
            }
        })
    });
    let (assigned_end, statement_end, test_against, brace) = found?;
    Some(AssignParts {
        space: &s[1..space_end],
        not,
        statement: &s[st..statement_end],
        assigned: &s[st..assigned_end],
        test_against,
        brace,
    })
}

/// ASSIGN_IN_IF's fix of the current line `raw` (reported): the line deleted, the
/// assignment inserted as a statement of its own, then the `if` on what was assigned.
/// Whether it applied (checkpatch.pl's `$fixed_assign_in_if`).
pub(super) fn fix_assign_in_if(c: &mut Checker<'_>, raw: &[u8]) -> bool {
    if !c.opts.fix {
        return false;
    }
    let Some(p) = assign_parts(raw) else {
        return false;
    };
    let cur = c.cur;
    c.fix_delete(cur);
    let mut statement = [p.space, p.statement, b";"].concat();
    c.fix_insert(cur, std::mem::take(&mut statement));
    let mut line = [p.space, b"if ("].concat();
    let wrap = p.not && p.test_against.is_some();
    if p.not {
        line.push(b'!');
    }
    if wrap {
        line.push(b'(');
    }
    line.extend_from_slice(p.assigned);
    if let Some((test, against)) = p.test_against {
        line.extend_from_slice(&[b" ", test, b" ", against].concat());
    }
    if wrap {
        line.push(b')');
    }
    line.push(b')');
    if p.brace {
        line.extend_from_slice(b" {");
    }
    c.fix_insert(cur + 1, line);
    true
}

/// TRAILING_STATEMENTS' fix of the current line (reported, its condition on one line):
/// `$fixed[$fixlinenr] =~ /^\+(\s*)((?:if|while|for)\s*$balanced_parens)\s*(.*)$/`, and
/// when what follows the condition ends in `;`, it goes to an inserted line indented one
/// tab more.
pub(super) fn fix_trailing_statement(c: &mut Checker<'_>) {
    let cur = c.cur;
    let Some(line) = c.fix_line() else {
        return;
    };
    if line.first() != Some(&b'+') {
        return;
    }
    let indent_end = sp(line, 1);
    let kw = [&b"if"[..], b"while", b"for"]
        .into_iter()
        .find(|w| line[indent_end..].starts_with(w));
    let Some(kw) = kw else {
        return;
    };
    let open = sp(line, indent_end + kw.len());
    let Some(test_end) = balanced_parens(line, open) else {
        return;
    };
    let rest = &line[sp(line, test_end)..];
    let rest = &rest[..rest.len() - rest.iter().rev().take_while(|&&b| is_space(b)).count()];
    if rest.last() != Some(&b';') {
        return;
    }
    let indent = line[1..indent_end].to_vec();
    let inserted = [&indent[..], b"\t", rest].concat();
    line.truncate(test_end);
    c.fix_insert(cur + 1, inserted);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts(s: &str) -> Option<String> {
        assign_parts(s.as_bytes()).map(|p| {
            let t = |b: &[u8]| String::from_utf8_lossy(b).into_owned();
            format!(
                "[{}|{}|{}|{}|{}|{}]",
                t(p.space),
                p.not,
                t(p.statement),
                t(p.assigned),
                p.test_against
                    .map_or("-".into(), |(a, b)| format!("{}~{}", t(a), t(b))),
                p.brace
            )
        })
    }

    #[test]
    fn assign_in_if_fix_regex_captures_as_perl_s() {
        assert_eq!(
            parts("+\tif ((ret = helper(x)) < 0) {").as_deref(),
            Some("[\t|false|ret = helper(x)|ret|<~0|true]")
        );
        assert_eq!(
            parts("+\tif (!(p->q = f(a, (b))))").as_deref(),
            Some("[\t|true|p->q = f(a, (b))|p->q|-|false]")
        );
        // The trailing spaces of $LvalOrFunc are in $3 and $9.
        assert_eq!(
            parts("+ if ((x = *y ) != NULL ) {  ").as_deref(),
            Some("[ |false|x = *y |x|!=~NULL |true]")
        );
        assert_eq!(
            parts("+\tif ((x = y) == (u32)0x10UL)").as_deref(),
            Some("[\t|false|x = y|x|==~(u32)0x10UL|false]")
        );
        assert_eq!(
            parts("+\tif ((x = y) == 1.5e-3f)").as_deref(),
            Some("[\t|false|x = y|x|==~1.5e-3f|false]")
        );
        for no in [
            "+if ((x = y))",
            "+\tif (x = y)",
            "+\tif ((x = y) && z)",
            "+\tif ((x = y)) return;",
            "+\tif ((x = y) == 0x)",
            "+\tif ((x = y) < \"a\")",
            " \tif ((x = y))",
        ] {
            assert_eq!(parts(no), None, "{no}");
        }
    }

    #[test]
    fn constants_are_checkpatch_pl_s() {
        for yes in [
            "0", "10", "10UL", "0x1f", "0X1FllU", "0b101", "017", "1.", ".5", "1.5e-3f", "1e9",
            "0x1p-3", "3u",
        ] {
            assert!(constant(yes.as_bytes()), "{yes}");
        }
        for no in ["", ".", "0x", "1e", "10uu", "1.5q", "0b2", "x1", "1-"] {
            assert!(!constant(no.as_bytes()), "{no}");
        }
    }
}
