// SPDX-License-Identifier: GPL-2.0 OR MIT

//! POINTER_LOCATION (`# * goes on variable not on type`) and the SPACING of function
//! pointer declarations (`# Function pointer declarations`), with their fixes.

use super::*;

/// `$to` for a pointer's `$from`: a space before, none after, `**` together.
pub(super) fn pointer_to(from: &[u8], modifier_end: bool) -> Vec<u8> {
    let mut to = from.to_vec();
    if to.first().is_some_and(|&b| !is_space(b)) {
        to.insert(0, b' ');
    }
    to.truncate(rtrim(&to).len());
    while let Some(p) = (0..to.len()).find(|&p| {
        to[p] == b'*' && {
            let n = to[p + 1..].iter().take_while(|&&b| is_space(b)).count();
            n > 0 && to.get(p + 1 + n) == Some(&b'*')
        }
    }) {
        let n = to[p + 1..].iter().take_while(|&&b| is_space(b)).count();
        to.drain(p + 1..p + 1 + n);
    }
    if modifier_end {
        // s/(\b$Modifier$)/$1 /
        let ends_mod = (0..to.len())
            .any(|j| (j == 0 || !is_word(to[j - 1])) && modifier(&to, j).contains(&to.len()));
        if ends_mod {
            to.push(b' ');
        }
    }
    to
}

/// `(?:$Modifier\b\s*|\*\s*)+` from `k` (after the `\s*`): the ends, in the order a
/// regex tries them.
pub(super) fn pointer_pieces(s: &[u8], k: usize, out: &mut Vec<usize>, depth: usize) {
    if depth > 64 {
        return;
    }
    let mut steps: Vec<usize> = Vec::new();
    let mut m = modifier(s, k);
    m.retain(|&e| !s.get(e).is_some_and(|&b| is_word(b)));
    m.sort_unstable();
    m.dedup();
    steps.extend(m);
    if s.get(k) == Some(&b'*') {
        steps.push(k + 1);
    }
    for st in steps {
        let sp = skip_space(s, st);
        for pe in (st..=sp).rev() {
            pointer_pieces(s, pe, out, depth + 1);
            out.push(pe);
        }
    }
}

/// A POINTER_LOCATION match: (whole match start, end, `$from` range).
pub(super) type PtrMatch = (usize, usize, usize, usize);

/// `(\($NonptrType(\s*(?:$Modifier\b\s*|\*\s*)+)\))`, from `from`.
pub(super) fn ptr_cast_match(s: &[u8], from: usize) -> Option<PtrMatch> {
    for p in from..s.len() {
        if s[p] != b'(' || !maybe_type_start(s, p + 1) {
            continue;
        }
        let mut ends = nonptr_type(s, p + 1);
        ends.sort_unstable();
        ends.dedup();
        for &e in ends.iter().rev() {
            for k in (e..=skip_space(s, e)).rev() {
                let mut out = Vec::new();
                pointer_pieces(s, k, &mut out, 0);
                if let Some(&g) = out.iter().find(|&&g| s.get(g) == Some(&b')')) {
                    return Some((p, g + 1, e, g));
                }
            }
        }
    }
    None
}

/// `(\b$NonptrType(\s*(?:$Modifier\b\s*|\*\s*)+)($Ident))`, from `from`: the match and
/// the identifier's range.
pub(super) fn ptr_decl_match(s: &[u8], from: usize) -> Option<(PtrMatch, usize)> {
    let mut p = from;
    while p < s.len() {
        if type_start(s, p) {
            let mut ends = nonptr_type(s, p);
            ends.sort_unstable();
            ends.dedup();
            for &e in ends.iter().rev() {
                for k in (e..=skip_space(s, e)).rev() {
                    let mut out = Vec::new();
                    pointer_pieces(s, k, &mut out, 0);
                    for g in out {
                        if let Some(ie) = ident(s, g).into_iter().max() {
                            return Some(((p, ie, e, g), g));
                        }
                    }
                }
            }
        }
        p += 1;
    }
    None
}

/// A POINTER_LOCATION finding: the message and the fix's (from, to) strings.
pub(super) type PtrFinding = (String, Vec<u8>, Vec<u8>);

pub(super) fn pointer_findings(line: &[u8]) -> Vec<PtrFinding> {
    let mut out = Vec::new();
    // The finding on `line[p..end]`, whose `$from` is `f`, its `$to` `to`.
    let mut found = |(open, close): (&str, &str), p: usize, end: usize, f: &[u8], to: &[u8]| {
        let whole = &line[p..end];
        out.push((
            format!(
                "\"{open}foo{}{close}\" should be \"{open}foo{}{close}\"",
                text(f),
                text(to)
            ),
            whole.to_vec(),
            replace_once(whole, f, to),
        ));
    };
    let mut from = 0;
    while let Some((p, end, fs, fe)) = ptr_cast_match(line, from) {
        let f = &line[fs..fe];
        let to = pointer_to(f, false);
        if f != to.as_slice() {
            found(("(", ")"), p, end, f, &to);
        }
        from = end;
    }
    let mut from = 0;
    while let Some(((p, end, fs, fe), is)) = ptr_decl_match(line, from) {
        let f = &line[fs..fe];
        let to = pointer_to(f, true);
        let id = &line[is..end];
        let id_is_mod = modifier(id, 0).contains(&id.len());
        if f != to.as_slice() && !id_is_mod {
            found(("", "bar"), p, end, f, &to);
        }
        from = end;
    }
    out
}

pub(super) fn replace_once(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    match find_bytes(s, from) {
        Some(p) => [&s[..p], to, &s[p + from.len()..]].concat(),
        None => s.to_vec(),
    }
}

/// POINTER_LOCATION (ERROR): `foo* bar`, `foo * bar`, `(foo*)` (`# * goes on variable
/// not on type`).
pub(super) fn pointer_location(c: &mut Checker<'_>, st: &Site<'_>) {
    let (line, learned) = (st.line, st.learned);
    if !line.contains(&b'*') && find_bytes(line, b"const").is_none() {
        return;
    }
    let Some(found) = same(learned, || pointer_findings(line)) else {
        return;
    };
    for (msg, from, to) in found {
        if st.report(c, Level::Error, "POINTER_LOCATION", msg) {
            if let Some(f) = c.fix_line() {
                *f = replace_once(f, &from, &to);
            }
        }
    }
}

/// SPACING (WARNING) on function pointer declarations (`# Function pointer
/// declarations`): `type (*name)(args)` with no other spaces.
pub(super) fn function_pointer(c: &mut Checker<'_>, st: &Site<'_>) {
    let (line, learned) = (st.line, st.learned);
    if find_bytes(line, b"(*").is_none() && find_bytes(line, b"( ").is_none() {
        return;
    }
    // ^.\s*($Declare)\((\s*)\*(\s*)($Ident)(\s*)\)(\s*)\(
    let parse = |s: &[u8]| -> Option<(usize, usize, [usize; 6], usize, usize)> {
        let a = skip_space(s, 1);
        if !s.get(a).is_some_and(|&b| ident_start(b)) {
            return None;
        }
        let w = &s[a..word_end(s, a)];
        if !STORAGE.contains(&w) && !maybe_type_start(s, a) {
            return None;
        }
        let mut ends = declare(s, a);
        ends.sort_unstable();
        ends.into_iter().rev().find_map(|e| {
            if s.get(e) != Some(&b'(') {
                return None;
            }
            let p1 = skip_space(s, e + 1);
            if s.get(p1) != Some(&b'*') {
                return None;
            }
            let p2 = skip_space(s, p1 + 1);
            let ie = ident(s, p2).into_iter().max()?;
            let p3 = skip_space(s, ie);
            if s.get(p3) != Some(&b')') {
                return None;
            }
            let p4 = skip_space(s, p3 + 1);
            if s.get(p4) != Some(&b'(') {
                return None;
            }
            Some((a, e, [e + 1, p1, p1 + 1, p2, ie, p3 + 1], p4, p2))
        })
    };
    let Some(m) = same(learned, || {
        parse(line).map(|(a, e, sp, p4, _)| (a, e, sp, p4))
    }) else {
        return;
    };
    let Some((a, e, sp, p4)) = m else {
        return;
    };
    let decl = &line[a..e];
    let decl_trim = rtrim(decl);
    let post_declare = &decl[decl_trim.len()..];
    let mut msgs: Vec<&str> = Vec::new();
    if !decl_trim.ends_with(b"*") && post_declare.is_empty() {
        msgs.push("missing space after return type");
    }
    if sp[1] > sp[0] {
        msgs.push("Unnecessary space after function pointer open parenthesis");
    }
    if sp[3] > sp[2] {
        msgs.push("Unnecessary space before function pointer name");
    }
    if sp[5] - 1 > sp[4] {
        msgs.push("Unnecessary space after function pointer name");
    }
    if p4 > sp[5] {
        msgs.push("Unnecessary space before function pointer arguments");
    }
    let mut shown = false;
    for m in msgs {
        shown |= st.report(c, Level::Warning, "SPACING", m.into());
    }
    if shown && c.opts.shows("SPACING") {
        let post: Vec<u8> = if !decl_trim.ends_with(b"*") && post_declare.is_empty() {
            b" ".to_vec()
        } else {
            post_declare.to_vec()
        };
        let name = line[sp[3]..sp[4]].to_vec();
        let decl_trim = decl_trim.to_vec();
        if let Some(f) = c.fix_line() {
            let m = with_learned(None, || parse(f).map(|(a, _, _, p4, _)| (a, p4)));
            if let Some((a, p4)) = m {
                let mut n = f[..a].to_vec();
                n.extend_from_slice(&decl_trim);
                n.extend_from_slice(&post);
                n.extend_from_slice(b"(*");
                n.extend_from_slice(&name);
                n.extend_from_slice(b")(");
                n.extend_from_slice(&f[p4 + 1..]);
                *f = n;
            }
        }
    }
}
