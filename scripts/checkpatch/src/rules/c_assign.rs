// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C assignments: MULTIPLE_ASSIGNMENTS and ALLOC_SIZEOF_STRUCT, checkpatch.pl's `$Lval`
//! regexes on an added line (neither has a fix in checkpatch.pl).

use super::c::CLine;
use super::c_types::{balanced_parens, lval};
use super::*;

/// `\s*` from `i`.
fn sp(s: &[u8], i: usize) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count()
}

/// MULTIPLE_ASSIGNMENTS (CHECK): `^.\s*$Lval\s*=\s*$Lval\s*=(?!=)`.
pub(super) fn multiple_assignments(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if s.len() > 1000 || memchr::memchr_iter(b'=', s).nth(1).is_none() {
        return;
    }
    let found = lval(s, sp(s, 0)).into_iter().any(|e| {
        let a = sp(s, e);
        s.get(a) == Some(&b'=')
            && lval(s, sp(s, a + 1)).into_iter().any(|f| {
                let b = sp(s, f);
                s.get(b) == Some(&b'=') && s.get(b + 1) != Some(&b'=')
            })
    });
    if found {
        c.report(
            Level::Check,
            "MULTIPLE_ASSIGNMENTS",
            "multiple assignments should be avoided".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}

/// `(?:kv|k|v)[mz]alloc(?:_node)?` at `i`: its ends, longest first.
fn alloc_name(s: &[u8], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    for p in [&b"kv"[..], b"k", b"v"] {
        let r = &s[i..];
        if r.starts_with(p)
            && matches!(r.get(p.len()), Some(b'm' | b'z'))
            && r[p.len() + 1..].starts_with(b"alloc")
        {
            let e = i + p.len() + 6;
            if s[e..].starts_with(b"_node") {
                out.push(e + 5);
            }
            out.push(e);
        }
    }
    out
}

/// `sizeof\s*\(\s*struct\s+$Lval\s*\)` at `i`: where it ends.
fn sizeof_struct(s: &[u8], i: usize) -> Option<usize> {
    if !s[i..].starts_with(b"sizeof") {
        return None;
    }
    let a = sp(s, i + 6);
    if s.get(a) != Some(&b'(') {
        return None;
    }
    let b = sp(s, a + 1);
    if !s[b..].starts_with(b"struct") {
        return None;
    }
    let c = sp(s, b + 6);
    if c == b + 6 {
        return None;
    }
    lval(s, c).into_iter().find_map(|e| {
        let d = sp(s, e);
        (s.get(d) == Some(&b')')).then_some(d + 1)
    })
}

/// ALLOC_SIZEOF_STRUCT (CHECK): `p = kmalloc(sizeof(struct foo), ...)`, checkpatch.pl's
/// `\b($Lval)\s*\=\s*(?:$balanced_parens)?\s*((?:kv|k|v)[mz]alloc(?:_node)?)\s*\(\s*
/// (sizeof\s*\(\s*struct\s+$Lval\s*\))`.
pub(super) fn alloc_sizeof_struct(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if s.len() > 1000 || super::c_stat::find_iter(s, b"alloc").next().is_none() {
        return;
    }
    // After `=`: the allocator's name and the sizeof, when they follow.
    let after_eq = |a: usize| -> Option<(usize, usize, usize, usize)> {
        let mut starts = vec![sp(s, a)];
        if let Some(b) = balanced_parens(s, sp(s, a)) {
            starts.insert(0, sp(s, b));
        }
        starts.into_iter().find_map(|st| {
            alloc_name(s, st).into_iter().find_map(|e| {
                let o = sp(s, e);
                if s.get(o) != Some(&b'(') {
                    return None;
                }
                let z = sp(s, o + 1);
                sizeof_struct(s, z).map(|end| (st, e, z, end))
            })
        })
    };
    let found = (0..s.len()).find_map(|k| {
        if k > 0 && is_word(s[k - 1]) {
            return None;
        }
        let mut ends = lval(s, k);
        ends.sort_unstable();
        ends.into_iter().rev().find_map(|e| {
            let a = sp(s, e);
            if s.get(a) != Some(&b'=') {
                return None;
            }
            after_eq(a + 1).map(|(st, ne, z, end)| (k, e, st, ne, z, end))
        })
    });
    if let Some((k, e, st, ne, z, end)) = found {
        let var = text(&s[k..e]);
        let alloc = text(&s[st..ne]);
        let size = text(&s[z..end]);
        c.report(
            Level::Check,
            "ALLOC_SIZEOF_STRUCT",
            format!("Prefer {alloc}(sizeof(*{var})...) over {alloc}({size}...)"),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}
