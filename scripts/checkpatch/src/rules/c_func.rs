// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C functions: FUNCTION_ARGUMENTS (a prototype's argument without a name) and
//! EMBEDDED_FUNCTION_NAME (the function's own name in a string), with the function
//! checkpatch.pl believes a line is in (`$context_function`). Neither has a fix in
//! checkpatch.pl.
//!
//! The types are the built-in ones of `c_types` only: an argument of a type that
//! checkpatch.pl learnt from the file is not reported.

use super::c::CLine;
use super::c_types::{balanced_parens, c_type, ident, Ends, INLINE, STORAGE};
use super::*;

/// `\s*` from `i`.
fn sp(s: &[u8], i: usize) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count()
}

/// `$Type` at `i`: its ends, longest first.
fn types(s: &[u8], i: usize) -> Ends {
    let mut t = c_type(s, i);
    t.sort_unstable();
    t.dedup();
    t.reverse();
    t
}

/// `$Ident` at `i`: its ends, longest first.
fn idents(s: &[u8], i: usize) -> Ends {
    let mut t = ident(s, i);
    t.sort_unstable();
    t.reverse();
    t
}

/// The function a line's `{` opens (`$context_function`): `$sline =~ /^\+\{\s*$/` after
/// `$prevline =~ /^\+(?:(?:(?:$Storage|$Inline)\s*)*\s*$Type\s*)?($Ident)\(/`, and none
/// after `$sline =~ /^\+\}\s*$/`.
pub(super) fn context_function(c: &mut Checker<'_>, l: &CLine<'_>) {
    let sl = super::c_stat::sline(l);
    if sl.first() != Some(&b'+') {
        return;
    }
    let only = |ch: u8| sl.get(1) == Some(&ch) && sl[2..].iter().all(|&b| is_space(b));
    if only(b'{') && l.prev_raw().first() == Some(&b'+') {
        if let Some(name) = l.prev_body().and_then(called_function) {
            c.flow.context_function = Some(name);
        }
    }
    if only(b'}') {
        c.flow.context_function = None;
    }
}

/// `(?:(?:(?:$Storage|$Inline)\s*)*\s*$Type\s*)?($Ident)\(` at the start of `s`.
fn called_function(s: &[u8]) -> Option<Vec<u8>> {
    let called = |i: usize| -> Option<Vec<u8>> {
        idents(s, i)
            .into_iter()
            .find(|&e| s.get(e) == Some(&b'('))
            .map(|e| s[i..e].to_vec())
    };
    // The storage and inline words, each followed by \s*.
    let mut starts = vec![0];
    let mut k = 0;
    while k < starts.len() {
        let p = starts[k];
        for w in STORAGE.iter().chain(INLINE) {
            if s[p..].starts_with(w) {
                for q in p + w.len()..=sp(s, p + w.len()) {
                    if !starts.contains(&q) {
                        starts.push(q);
                    }
                }
            }
        }
        k += 1;
    }
    for st in starts {
        for e in types(s, sp(s, st)) {
            if let Some(n) = called(sp(s, e)) {
                return Some(n);
            }
        }
    }
    called(0)
}

/// checkpatch.pl's "check for function definitions": a statement
/// `^.\s*(?:$Storage\s+)?$Type\s*($Ident)\s*$balanced_parens\s*{` makes `$1` the
/// function of the lines after it.
pub(super) fn function_definition(c: &mut Checker<'_>) {
    let Some((stat, _, _)) = &c.flow.stat else {
        return;
    };
    let s = &stat[..];
    if s.is_empty() {
        return;
    }
    // Cheap tests first: the first `(` (a type has none) with nothing but words and
    // pointers before it, and a `{` after its group.
    let Some(open) = memchr::memchr(b'(', s) else {
        return;
    };
    if s[..open]
        .iter()
        .any(|&b| matches!(b, b'=' | b';' | b'{' | b'"'))
        || balanced_parens(s, open).is_none_or(|e| s.get(sp(s, e)) != Some(&b'{'))
    {
        return;
    }
    let mut starts = vec![sp(s, 1)];
    for w in STORAGE {
        if s[starts[0]..].starts_with(w) {
            let a = starts[0] + w.len();
            if sp(s, a) > a {
                starts.push(sp(s, a));
            }
        }
    }
    // Storage first: the optional group is tried before it is skipped.
    starts.reverse();
    let name = starts.into_iter().find_map(|st| {
        types(s, st).into_iter().find_map(|t| {
            let i = sp(s, t);
            idents(s, i).into_iter().find_map(|e| {
                let b = balanced_parens(s, sp(s, e))?;
                (s.get(sp(s, b)) == Some(&b'{')).then(|| s[i..e].to_vec())
            })
        })
    });
    if let Some(n) = name {
        c.flow.context_function = Some(n);
    }
}

/// `(?:$Ident|\(\s*\*\s*$Ident\s*\))\s*\(` at `i`: where the `(` is, longest first.
fn declarator_open(s: &[u8], i: usize) -> Vec<usize> {
    let mut out: Vec<usize> = idents(s, i)
        .into_iter()
        .map(|e| sp(s, e))
        .filter(|&o| s.get(o) == Some(&b'('))
        .collect();
    if s.get(i) == Some(&b'(') {
        let a = sp(s, i + 1);
        if s.get(a) == Some(&b'*') {
            for e in idents(s, sp(s, a + 1)) {
                let b = sp(s, e);
                if s.get(b) == Some(&b')') {
                    let o = sp(s, b + 1);
                    if s.get(o) == Some(&b'(') {
                        out.push(o);
                    }
                }
            }
        }
    }
    out
}

/// FUNCTION_ARGUMENTS (WARNING): each argument of a prototype that is a type alone,
/// checkpatch.pl's `^.\s*(?:extern\s+)?$Type\s*(?:$Ident|\(\s*\*\s*$Ident\s*\))\s*\(\s*
/// ([^{]+)\s*\)\s*;` on the statement, then `\s*($Type\s*(?:$Ident|\(\s*\*\s*$Ident?\s*
/// \)\s*$balanced_parens)?)` over its arguments.
pub(super) fn function_arguments(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let Some((stat, _, _)) = &c.flow.stat else {
        return;
    };
    let s = &stat[..];
    if s.len() > 5000 || memchr::memchr(b';', s).is_none() || s.is_empty() {
        return;
    }
    // Cheap tests first: a `(`, no `=` or `{` before it, `)` and `;` at the end.
    let Some(open) = memchr::memchr(b'(', s) else {
        return;
    };
    let last = s.iter().rposition(|&b| !is_space(b)).unwrap_or(0);
    let before_semi = s[..last].iter().rposition(|&b| !is_space(b));
    if s[last] != b';'
        || before_semi.is_none_or(|k| s[k] != b')')
        || memchr::memchr2(b'=', b'{', &s[..open]).is_some()
    {
        return;
    }
    // A type and a name before the `(`, or a `(*` of a function pointer.
    let head = s[1.min(open)..open].trim_ascii();
    let pointer = s.get(sp(s, open + 1)) == Some(&b'*');
    if !pointer && !head.iter().any(|&b| is_space(b) || b == b'*') {
        return;
    }
    let mut st = sp(s, 1);
    if s[st..].starts_with(b"extern") && sp(s, st + 6) > st + 6 {
        st = sp(s, st + 6);
    }
    // `\)\s*;` and nothing but `[^{]` before it: the last `)` with only spaces and `;`
    // after it.
    let args_of = |open: usize| -> Option<(usize, usize)> {
        let a = sp(s, open + 1);
        (a..s.len()).rev().find_map(|k| {
            if s[k] != b')' || k <= a {
                return None;
            }
            let semi = sp(s, k + 1);
            (s.get(semi) == Some(&b';') && !s[a..k].contains(&b'{')).then_some((a, k))
        })
    };
    let found = types(s, st)
        .into_iter()
        .find_map(|t| declarator_open(s, sp(s, t)).into_iter().find_map(&args_of));
    let Some((a, k)) = found else {
        return;
    };
    if &s[a..k] == b"void" {
        return;
    }
    let args = s[a..k].trim_ascii();
    let mut pos = 0;
    let mut reported = Vec::new();
    while pos < args.len() {
        let Some((from, end)) = (pos..args.len()).find_map(|k| {
            let b = sp(args, k);
            let t = *types(args, b).first()?;
            Some((b, argument_end(args, t)))
        }) else {
            break;
        };
        pos = end.max(from + 1);
        let arg = args[from..end].trim_ascii();
        let whole_type = c_type(arg, 0).contains(&arg.len());
        let enum_ident = arg.starts_with(b"enum") && {
            let b = sp(arg, 4);
            b > 4 && ident(arg, b).contains(&arg.len())
        };
        if whole_type && !enum_ident {
            reported.push(format!(
                "function definition argument '{}' should also have an identifier name",
                text(arg)
            ));
        }
    }
    for msg in reported {
        c.report(
            Level::Warning,
            "FUNCTION_ARGUMENTS",
            msg,
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}

/// After an argument's `$Type` ending at `t`: `\s*(?:$Ident|\(\s*\*\s*$Ident?\s*\)\s*
/// $balanced_parens)?`, where it ends.
fn argument_end(s: &[u8], t: usize) -> usize {
    let a = sp(s, t);
    if let Some(&e) = idents(s, a).first() {
        return e;
    }
    if s.get(a) == Some(&b'(') {
        let b = sp(s, a + 1);
        if s.get(b) == Some(&b'*') {
            let mut c = sp(s, b + 1);
            if let Some(&e) = idents(s, c).first() {
                c = sp(s, e);
            }
            if s.get(c) == Some(&b')') {
                if let Some(e) = balanced_parens(s, sp(s, c + 1)) {
                    return e;
                }
            }
        }
    }
    t
}

/// EMBEDDED_FUNCTION_NAME (WARNING): the first string of an added line holds the name
/// of the function the line is in, as a word, and is not that name alone.
pub(super) fn embedded_function_name(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
) {
    let Some(name) = c.flow.context_function.as_deref() else {
        return;
    };
    let s = l.body;
    // $String: (?:\b[Lu])?"[X\t]*"
    let Some((q0, q1)) = memchr::memchr_iter(b'"', s).find_map(|k| {
        let n = s[k + 1..]
            .iter()
            .take_while(|&&b| b == b'X' || b == b'\t')
            .count();
        (s.get(k + 1 + n) == Some(&b'"')).then_some((k, k + n + 2))
    }) else {
        return;
    };
    let prefixed = q0 > 0 && matches!(s[q0 - 1], b'L' | b'u') && (q0 == 1 || !is_word(s[q0 - 2]));
    let q0 = if prefixed { q0 - 1 } else { q0 };
    let Some(quoted) = l.raw.get(q0 + 1..q1 + 1) else {
        return;
    };
    let named = find_iter_bytes(quoted, name).any(|k| {
        (k == 0 || !is_word(quoted[k - 1]))
            && !quoted.get(k + name.len()).is_some_and(|&b| is_word(b))
    });
    if named && quoted.len() != name.len() + 2 {
        let msg = format!(
            "Prefer using '\"%s...\", __func__' to using '{}', this function's name, in a string",
            text(name)
        );
        c.report(
            Level::Warning,
            "EMBEDDED_FUNCTION_NAME",
            msg,
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}
