// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C declarations: the rules of checkpatch.pl that look at the types a line declares,
//! with its `$Declare` and `$Ident` (`c_types`): UNSPECIFIED_INT and PREFER_KERNEL_TYPES.
//!
//! A regex reports what its first match captures, and which of a matcher's ends that is
//! depends on the order Perl tries them in; these rules try every end the matcher gives
//! and report only when all the ends that let the regex match say the same, so a line
//! whose verdict depends on that order is not reported.

use super::c::CLine;
use super::c_types::{declare, ident, INLINE, STORAGE};
use super::*;

/// The length of the `\s*` at `i`.
fn sp(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_space(b)).count()
}

/// `\b` before `i` in a regex that starts with a word byte there.
fn word_start(s: &[u8], i: usize) -> bool {
    s.get(i).is_some_and(|&b| is_word(b)) && (i == 0 || !is_word(s[i - 1]))
}

/// Whether `s` holds `w` as a whole word.
fn has_word(s: &[u8], w: &[u8]) -> bool {
    find_iter_bytes(s, w)
        .any(|i| (i == 0 || !is_word(s[i - 1])) && s.get(i + w.len()).is_none_or(|&b| !is_word(b)))
}

/// `$Storage|$Inline|$Attribute` as a whole word of a type (the parenthesized
/// `__aligned(...)` and `__alloc_size(...)` aside, which the matchers never give).
fn storage_inline_attribute(w: &[u8]) -> bool {
    // $Attribute's words.
    const WORDS: &[&[u8]] = &[
        b"const",
        b"volatile",
        b"__percpu",
        b"__nocast",
        b"__safe",
        b"__bitwise",
        b"__packed__",
        b"__packed2__",
        b"__naked",
        b"__maybe_unused",
        b"__always_unused",
        b"__noreturn",
        b"__used",
        b"__cold",
        b"__pure",
        b"__noclone",
        b"__deprecated",
        b"__read_mostly",
        b"__ro_after_init",
        b"__kprobes",
        b"____cacheline_aligned",
        b"____cacheline_aligned_in_smp",
        b"____cacheline_internodealigned_in_smp",
        b"__weak",
    ];
    if STORAGE.contains(&w) || INLINE.contains(&w) || WORDS.contains(&w) {
        return true;
    }
    // $InitAttribute
    let Some(r) = w.strip_prefix(b"__") else {
        return false;
    };
    let r = [&b"mem"[..], b"cpu", b"dev", b"net_"]
        .iter()
        .find_map(|p| r.strip_prefix(*p))
        .unwrap_or(r);
    matches!(r, b"initdata" | b"initconst" | b"init")
}

/// UNSPECIFIED_INT's test of a declared type:
/// `^(?:(?:$Storage|$Inline|$Attribute)\s+)*((?:un)?signed)((?:\s*\*)*)\s*$`, giving the
/// sign and the pointer stars.
fn bare_sign(t: &[u8]) -> Option<(&[u8], &[u8])> {
    let end = t.len() - (t.iter().rev().take_while(|&&b| is_space(b)).count());
    let t = &t[..end];
    // The pointer: a run of `\s*\*` at the end.
    let mut p = t.len();
    loop {
        if p > 0 && t[p - 1] == b'*' {
            p -= 1;
            while p > 0 && is_space(t[p - 1]) {
                p -= 1;
            }
        } else {
            break;
        }
    }
    // The spaces before the first star belong to the pointer only when a star follows.
    let mut q = p;
    while q < t.len() && is_space(t[q]) {
        q += 1;
    }
    let (head, pointer) = if q < t.len() {
        (&t[..p], &t[p..])
    } else {
        (t, &t[t.len()..])
    };
    let sign_at = head.iter().rposition(|&b| is_space(b)).map_or(0, |i| i + 1);
    let sign = &head[sign_at..];
    if sign != b"unsigned" && sign != b"signed" {
        return None;
    }
    let prefix = &head[..sign_at];
    let ok = prefix
        .split(|&b| is_space(b))
        .filter(|w| !w.is_empty())
        .all(storage_inline_attribute);
    ok.then_some((sign, pointer))
}

/// One way `\b($Declare)\s*(?!char\b|short\b|int\b|long\b)\s*($Ident)?\s*[=,;\[\)\(]` may
/// match at a type's end `e`: the identifier (empty for none) and where the match ends.
fn unspecified_rest(s: &[u8], e: usize) -> Option<(usize, usize, usize)> {
    let set = |b: Option<&u8>| matches!(b, Some(b'=' | b',' | b';' | b'[' | b')' | b'('));
    let p = sp(s, e);
    let blocked = p == e
        && [&b"char"[..], b"short", b"int", b"long"]
            .iter()
            .any(|w| s[p..].starts_with(w) && s.get(p + w.len()).is_none_or(|&b| !is_word(b)));
    if !blocked {
        // ($Ident)? greedy: the longest identifier first.
        let mut ids = ident(s, p);
        ids.sort_unstable_by(|a, b| b.cmp(a));
        for g in ids {
            let q = sp(s, g);
            if set(s.get(q)) {
                return Some((p, g, q + 1));
            }
        }
    }
    // No identifier: the spaces, then the delimiter.
    let q = sp(s, e);
    set(s.get(q)).then_some((q, q, q + 1))
}

/// UNSPECIFIED_INT (WARNING): `signed` or `unsigned` declared without `int`, checkpatch.pl's
/// "check for declarations of signed or unsigned without int" on an added line. The fix
/// is checkpatch.pl's `s@\b$sign\s*\Q$pointer\E\s*$var\b@$decl$var@`.
pub(super) fn unspecified_int(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if s.len() > 1000 || !(has_word(s, b"unsigned") || has_word(s, b"signed")) {
        return;
    }
    let mut pos = 0;
    while pos < s.len() {
        let Some(i) = (pos..s.len()).find(|&i| word_start(s, i) && !declare(s, i).is_empty())
        else {
            break;
        };
        // Every type end at i that lets the regex match, and what it reports.
        let mut verdicts = Vec::new();
        let mut ends = declare(s, i);
        ends.sort_unstable_by(|a, b| b.cmp(a));
        let mut match_end = None;
        for e in ends {
            if let Some((v0, v1, m)) = unspecified_rest(s, e) {
                match_end.get_or_insert(m);
                let verdict = bare_sign(&s[i..e])
                    .map(|(sign, ptr)| (sign.to_vec(), ptr.to_vec(), s[v0..v1].to_vec()));
                if !verdicts.contains(&verdict) {
                    verdicts.push(verdict);
                }
            }
        }
        let Some(m) = match_end else {
            pos = i + 1;
            continue;
        };
        pos = m;
        // Only when every way to match says the same (see the module's note).
        let [Some((sign, pointer, var))] = &verdicts[..] else {
            continue;
        };
        // `unsigned pin` where checkpatch.pl may have learnt `pin` as a modifier.
        let (lines, sane, _) = l.after;
        let learned = c.learned_modifiers.get_or_insert_with(|| {
            super::c_types::possible_modifiers((0..lines.len()).filter_map(|i| sane.body(i)))
        });
        if learned.contains(var) {
            continue;
        }
        let sign_s = text(sign);
        let ptr_s = text(pointer);
        if c.report(
            Level::Warning,
            "UNSPECIFIED_INT",
            format!("Prefer '{sign_s} int{ptr_s}' to bare use of '{sign_s}{ptr_s}'"),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        ) {
            if let Some(f) = c.fix_line() {
                fix_unspecified(f, sign, pointer, var);
            }
        }
    }
}

/// `s@\b$sign\s*\Q$pointer\E\s*$var\b@$decl$var@` with checkpatch.pl's `$decl`.
fn fix_unspecified(f: &mut Vec<u8>, sign: &[u8], pointer: &[u8], var: &[u8]) {
    let mut decl = sign.to_vec();
    decl.extend_from_slice(b" int ");
    decl.extend(pointer.iter().filter(|&&b| !is_space(b)));
    if var.is_empty() {
        while decl.last().is_some_and(|&b| is_space(b)) {
            decl.pop();
        }
    }
    for i in 0..f.len() {
        if !f[i..].starts_with(sign) || (i > 0 && is_word(f[i - 1])) {
            continue;
        }
        // \s*\Q$pointer\E\s*$var\b: the spaces give back until the rest matches.
        let bound = |e: usize| {
            let before = e > 0 && is_word(f[e - 1]);
            let after = f.get(e).is_some_and(|&x| is_word(x));
            before != after
        };
        let found = (i + sign.len()..=sp(f, i + sign.len()))
            .rev()
            .filter(|&a| f[a..].starts_with(pointer))
            .find_map(|a| {
                let b = a + pointer.len();
                (b..=sp(f, b)).rev().find_map(|k| {
                    let e = k + var.len();
                    (f[k..].starts_with(var) && bound(e)).then_some(e)
                })
            });
        if let Some(e) = found {
            let mut rep = decl.clone();
            rep.extend_from_slice(var);
            f.splice(i..e, rep);
            return;
        }
    }
}

/// `(?:__)?(?:[us]_?)?int_?(?:8|16|32|64)_t` as a whole word at `i` of `t`: its end.
fn c99_typedef(t: &[u8], i: usize) -> Option<usize> {
    let w = t[i..].iter().take_while(|&&b| is_word(b)).count();
    let word = &t[i..i + w];
    // The regex is tried from i and needs `\b` after it: the whole word, or a prefix
    // that ends at a word boundary, which only the whole word does.
    let x = word.strip_prefix(b"__").unwrap_or(word);
    let x = match x {
        [b'u' | b's', b'_', r @ ..] if r.starts_with(b"int") => r,
        [b'u' | b's', r @ ..] if r.starts_with(b"int") => r,
        _ => x,
    };
    let r = x.strip_prefix(b"int")?;
    let r = r.strip_prefix(b"_").unwrap_or(r);
    let r = r.strip_suffix(b"_t")?;
    matches!(r, b"8" | b"16" | b"32" | b"64").then_some(i + w)
}

/// The first `\b($typeC99Typedefs)\b` of a type.
fn first_c99(t: &[u8]) -> Option<&[u8]> {
    (0..t.len())
        .filter(|&i| is_word(t[i]) && (i == 0 || !is_word(t[i - 1])))
        .find_map(|i| c99_typedef(t, i).map(|e| &t[i..e]))
}

/// PREFER_KERNEL_TYPES (CHECK): a C99 `uintN_t`-style type in a declaration,
/// `/\b($Declare)\s*$Ident\s*[=;,\[]/` then `\b($typeC99Typedefs)\b` in the type, on an
/// added line of a file outside `include/uapi/` and `tools/`. The fix is checkpatch.pl's
/// `s/\b$type\b/$kernel_type/`.
pub(super) fn prefer_kernel_types(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    let path = fs.realfile.as_bytes();
    let under = |d: &[u8]| find_iter_bytes(path, d).any(|i| i == 0 || !is_word(path[i - 1]));
    if s.len() > 1000
        || under(b"include/uapi/")
        || under(b"tools/")
        || find_bytes(s, b"int").is_none()
        || find_bytes(s, b"_t").is_none()
    {
        return;
    }
    let rest = |e: usize| {
        let p = sp(s, e);
        ident(s, p)
            .into_iter()
            .any(|g| matches!(s.get(sp(s, g)), Some(b'=' | b';' | b',' | b'[')))
    };
    // The leftmost start where the regex matches.
    let Some((i, ends)) = (0..s.len()).filter(|&i| word_start(s, i)).find_map(|i| {
        let ends: Vec<usize> = declare(s, i).into_iter().filter(|&e| rest(e)).collect();
        (!ends.is_empty()).then_some((i, ends))
    }) else {
        return;
    };
    let mut found: Vec<Option<&[u8]>> = ends.iter().map(|&e| first_c99(&s[i..e])).collect();
    found.dedup();
    let [Some(ty)] = found[..] else {
        return;
    };
    let signed = ty
        .iter()
        .find(|&&b| b != b'_')
        .is_some_and(|&b| b == b's' || b == b'i');
    let digits: Vec<u8> = ty
        .iter()
        .copied()
        .skip_while(|b| !b.is_ascii_digit())
        .take_while(u8::is_ascii_digit)
        .collect();
    let kernel = format!("{}{}", if signed { 's' } else { 'u' }, text(&digits));
    let ty_s = text(ty);
    if c.report(
        Level::Check,
        "PREFER_KERNEL_TYPES",
        format!("Prefer kernel type '{kernel}' over '{ty_s}'"),
        &fs.realfile,
        l.report_line,
        l.realline,
        l.curr(here),
    ) {
        if let Some(f) = c.fix_line() {
            let at = find_iter_bytes(f, ty).find(|&k| {
                (k == 0 || !is_word(f[k - 1])) && f.get(k + ty.len()).is_none_or(|&b| !is_word(b))
            });
            if let Some(k) = at {
                f.splice(k..k + ty.len(), kernel.bytes());
            }
        }
    }
}

/// `$Attribute|$Sparse` as a word `\b...\b` at `i` of `s`: where it ends.
fn attribute_or_sparse(s: &[u8], i: usize) -> Option<usize> {
    const SPARSE: &[&[u8]] = &[
        b"__user",
        b"__kernel",
        b"__force",
        b"__iomem",
        b"__must_check",
        b"__kprobes",
        b"__ref",
        b"__refconst",
        b"__refdata",
        b"__rcu",
        b"__private",
    ];
    let w = s[i..].iter().take_while(|&&b| is_word(b)).count();
    let word = &s[i..i + w];
    let named =
        !STORAGE.contains(&word) && !INLINE.contains(&word) && storage_inline_attribute(word);
    if named || SPARSE.contains(&word) {
        return Some(i + w);
    }
    // __aligned\s*\(.*\) then `\b`: a `)` right before a word byte.
    if word == b"__aligned" {
        let a = sp(s, i + w);
        if s.get(a) == Some(&b'(') {
            return (a + 1..s.len())
                .rev()
                .find(|&k| s[k] == b')' && s.get(k + 1).is_some_and(|&b| is_word(b)))
                .map(|k| k + 1);
        }
    }
    None
}

/// `s/\b(?:$Attribute|$Sparse)\b//g`.
fn strip_attributes(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        if word_start(s, i) {
            if let Some(e) = attribute_or_sparse(s, i) {
                i = e;
                continue;
            }
            let w = s[i..].iter().take_while(|&&b| is_word(b)).count();
            out.extend_from_slice(&s[i..i + w]);
            i += w;
            continue;
        }
        out.push(s[i]);
        i += 1;
    }
    out
}

/// `$declaration_macros` at `i`.
fn declaration_macro(s: &[u8], i: usize) -> bool {
    let paren = |e: usize| s.get(sp(s, e)) == Some(&b'(');
    let upper = |b: u8| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_';
    for kw in [&b"SKCIPHER_REQUEST"[..], b"SHASH_DESC", b"AHASH_REQUEST"] {
        if s[i..].starts_with(kw)
            && s[i + kw.len()..].starts_with(b"_ON_STACK")
            && paren(i + kw.len() + 9)
        {
            return true;
        }
    }
    let mut starts = vec![i];
    for st in STORAGE {
        if s[i..].starts_with(st) {
            let a = sp(s, i + st.len());
            if a > i + st.len() {
                starts.push(a);
            }
        }
    }
    starts.into_iter().any(|st| {
        let t_len = s[st..].iter().take_while(|&&b| upper(b)).count();
        let t = &s[st..st + t_len];
        let end = st + t_len;
        // [HLP]?LIST_HEAD and XA_STATE(_ORDER)?, each a whole run here or a prefix of it
        // followed by `\s*\(` (which a run of [A-Z0-9_] cannot hold).
        let lh = t
            .strip_prefix(b"H")
            .or(t.strip_prefix(b"L"))
            .or(t.strip_prefix(b"P"));
        if t == b"LIST_HEAD"
            || lh == Some(b"LIST_HEAD")
            || t == b"XA_STATE"
            || t == b"XA_STATE_ORDER"
        {
            return paren(end);
        }
        if !paren(end) {
            return false;
        }
        // (?:[A-Z_][A-Z0-9]*_){0,2}(?:DEFINE|DECLARE)(?:_[A-Z0-9]+){1,6}, the whole run.
        let mut at = vec![0usize];
        let mut p = 0usize;
        for _ in 0..2 {
            if p < t.len() && (t[p].is_ascii_uppercase() || t[p] == b'_') {
                match t[p + 1..].iter().position(|&b| b == b'_') {
                    Some(q) if t[p + 1..p + 1 + q].iter().all(|&b| b != b'_') => {
                        p = p + 1 + q + 1;
                        at.push(p);
                    }
                    _ => break,
                }
            } else {
                break;
            }
        }
        at.into_iter().any(|p| {
            let r = t[p..]
                .strip_prefix(b"DEFINE")
                .or_else(|| t[p..].strip_prefix(b"DECLARE"));
            r.is_some_and(|r| {
                let parts: Vec<&[u8]> = r.split(|&b| b == b'_').collect();
                r.first() == Some(&b'_')
                    && parts.len() >= 2
                    && parts.len() <= 7
                    && parts[1..].iter().all(|x| !x.is_empty())
            })
        })
    })
}

/// `$Operators`, `$Compare` or `$Assignment` ends with one of these.
fn operator_byte(b: u8) -> bool {
    matches!(
        b,
        b'<' | b'>'
            | b'='
            | b'!'
            | b'~'
            | b'&'
            | b'|'
            | b','
            | b'^'
            | b'+'
            | b'-'
            | b'*'
            | b'/'
            | b'%'
    )
}

/// The declaration forms of "check for missing blank lines after declarations", on a
/// line with its marker: `^\+\s+` then `$Declare\s*$Ident\s*[=,;:\[]`, a function
/// pointer, `$Ident $Ident` (with `extra` the `;`/`=` set of the form) or a
/// `$declaration_macros`.
fn declaration_like(s: &[u8]) -> bool {
    if s.first() != Some(&b'+') {
        return false;
    }
    let i = sp(s, 1);
    if i == 1 || i >= s.len() {
        return false;
    }
    let ends = declare(s, i);
    let after_ident = |p: usize, set: &[u8]| {
        ident(s, sp(s, p))
            .into_iter()
            .any(|g| s.get(sp(s, g)).is_some_and(|b| set.contains(b)))
    };
    if ends.iter().any(|&e| after_ident(e, b"=,;:[")) {
        return true;
    }
    // $Declare\s*\(\s*\*\s*$Ident\s*\)\s*[=,;:\[\(]
    let fn_ptr = ends.iter().any(|&e| {
        let a = sp(s, e);
        s.get(a) == Some(&b'(') && {
            let b = sp(s, a + 1);
            s.get(b) == Some(&b'*')
                && ident(s, sp(s, b + 1)).into_iter().any(|g| {
                    let c = sp(s, g);
                    s.get(c) == Some(&b')')
                        && matches!(
                            s.get(sp(s, c + 1)),
                            Some(b'=' | b',' | b';' | b':' | b'[' | b'(')
                        )
                })
        }
    });
    if fn_ptr {
        return true;
    }
    // $Ident(?:\s+|\s*\*\s*)$Ident\s*[=,;\[]
    let two = ident(s, i).into_iter().any(|e| {
        let a = sp(s, e);
        let mut starts = Vec::new();
        if a > e {
            starts.push(a);
        }
        if s.get(a) == Some(&b'*') {
            starts.push(sp(s, a + 1));
        }
        starts.into_iter().any(|st| {
            ident(s, st)
                .into_iter()
                .any(|g| matches!(s.get(sp(s, g)), Some(b'=' | b',' | b';' | b'[')))
        })
    });
    two || declaration_macro(s, i)
}

/// LINE_SPACING (WARNING) "Missing a blank line after declarations": an added line that
/// is not a declaration after one at the same indent, checkpatch.pl's "check for missing
/// blank lines after declarations" with its exceptions. `prev` is `$prevline` with its
/// marker. The fix inserts a blank line before this one, as checkpatch.pl's.
pub(super) fn missing_blank_after_declarations(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
) {
    let Some(prev_body) = l.prev_body() else {
        return;
    };
    let prev_raw = l.prev_raw();
    if prev_raw.is_empty() || l.body.len() > 1000 || prev_body.len() > 1000 {
        return;
    }
    let mut pl = vec![prev_raw[0]];
    pl.extend_from_slice(prev_body);
    let mut sl = vec![l.raw.first().copied().unwrap_or(b' ')];
    sl.extend(
        l.body
            .iter()
            .map(|&b| if b == COMMENT_BYTE { b' ' } else { b }),
    );
    // $prevline =~ /\+(\s+)\S/ and $sline =~ /^\+$1\S/
    let Some(indent) = pl.iter().enumerate().find_map(|(k, &b)| {
        if b != b'+' {
            return None;
        }
        let e = sp(&pl, k + 1);
        (e > k + 1 && e < pl.len()).then(|| pl[k + 1..e].to_vec())
    }) else {
        return;
    };
    if sl.first() != Some(&b'+')
        || !sl[1..].starts_with(&indent)
        || sl.get(1 + indent.len()).is_none_or(|&b| is_space(b))
    {
        return;
    }
    let sl = strip_attributes(&sl);
    let pl = strip_attributes(&pl);
    if !declaration_like(&pl) {
        return;
    }
    // Not `else if` and the like, nor a line that goes on.
    let pi = sp(&pl, 1);
    let kw = pl[pi..].iter().take_while(|&&b| is_word(b)).count();
    let keyword = pi > 1
        && matches!(
            &pl[pi..pi + kw],
            b"do"
                | b"for"
                | b"while"
                | b"if"
                | b"else"
                | b"return"
                | b"goto"
                | b"continue"
                | b"switch"
                | b"default"
                | b"case"
                | b"break"
        );
    let last = pl.iter().rposition(|&b| !is_space(b)).map(|k| pl[k]);
    let goes_on =
        last.is_some_and(operator_byte) || last == Some(b'{') || pl.last() == Some(&b'\\');
    if keyword || goes_on {
        return;
    }
    if declaration_like(&sl) {
        return;
    }
    let si = sp(&sl, 1);
    let r = &sl[si..];
    // (?:static\s+)?(?:const\s+)?(?:union|struct|enum|typedef)\b
    let mut t = r;
    for w in [&b"static"[..], b"const"] {
        if let Some(x) = t.strip_prefix(w) {
            let n = sp(x, 0);
            if n > 0 {
                t = &x[n..];
            }
        }
    }
    let aggregate = [&b"union"[..], b"struct", b"enum", b"typedef"]
        .iter()
        .any(|w| t.starts_with(w) && t.get(w.len()).is_none_or(|&b| !is_word(b)));
    let block = r.is_empty()
        || matches!(
            r[0],
            b'{' | b'}' | b'.' | b'#' | b'"' | b'?' | b':' | b'(' | b'['
        );
    // $Ident\s*:\s*\d+\s*[,;]
    let bitfield = ident(&sl, si).into_iter().any(|e| {
        let a = sp(&sl, e);
        sl.get(a) == Some(&b':') && {
            let b = sp(&sl, a + 1);
            let d = sl[b..].iter().take_while(|x| x.is_ascii_digit()).count();
            d > 0 && matches!(sl.get(sp(&sl, b + d)), Some(b',' | b';'))
        }
    });
    // \(?\s*(?:$Compare|$Assignment|$Operators)
    let op = {
        let a = if r.first() == Some(&b'(') {
            sp(r, 1)
        } else {
            0
        };
        r.get(a).is_some_and(|&b| operator_byte(b))
    };
    if aggregate || block || bitfield || op {
        return;
    }
    if c.report(
        Level::Warning,
        "LINE_SPACING",
        "Missing a blank line after declarations".into(),
        &fs.realfile,
        l.report_line,
        l.realline,
        l.with_prev(here),
    ) {
        c.fix_insert(c.cur, b"+".to_vec());
    }
}
