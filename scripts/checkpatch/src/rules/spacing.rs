// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C spacing: checkpatch.pl's SPACING (its operator loop, `# check for spacing round
//! operators`, on the values `annotate_values()` gives each byte, and the line tests around
//! it: casts, function names, brackets, parentheses, braces, semicolons, function
//! pointers, `#ifdef`), POINTER_LOCATION (`# * goes on variable not on type`) and
//! BRACKET_SPACE, with their fixes.
//!
//! checkpatch.pl learns types and modifiers from the file as it reads it
//! (`possible()`), and a learnt type changes how `*`, `&` and `-` are read after it. This
//! module does not reproduce that statement parsing: it collects every word that
//! checkpatch.pl could learn ([`candidates`]), decides each finding twice, with none of
//! them taken as types and with all of them, and reports only what both decisions report.

use std::rc::Rc;

use super::c_types::{c_type, declare, ident, modifier, nonptr_type, with_learned, Learned};
use super::*;

/// The words checkpatch.pl might learn as types or modifiers from these lines (their
/// `$line`): a superset of what its `possible()` calls can add.
pub(super) fn candidates<'a>(bodies: impl Iterator<Item = &'a [u8]>) -> Rc<Learned> {
    let mut l = Learned::default();
    // Open parentheses of a declaration's argument list, carried across lines.
    let mut decl_depth = 0usize;
    for b in bodies {
        collect_candidates(b, &mut l, &mut decl_depth);
    }
    Rc::new(l)
}

fn word_end(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_word(b)).count()
}

fn skip_space(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_space(b)).count()
}

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// One argument of a declaration, `(?:const\s+)?X(?:\s+$Sparse)*\s*\**\s*Y?`: X.
fn decl_arg(s: &[u8], l: &mut Learned) {
    let mut a = skip_space(s, 0);
    if s[a..].starts_with(b"const") && s.get(a + 5).is_some_and(|&b| is_space(b)) {
        a = skip_space(s, a + 5);
    }
    if s.get(a).is_some_and(|&b| ident_start(b)) {
        let e = word_end(s, a);
        let rest = &s[e..];
        let names = rest
            .split(|&b| !is_word(b))
            .filter(|w| !w.is_empty())
            .filter(|w| {
                !matches!(
                    *w,
                    b"__user"
                        | b"__kernel"
                        | b"__force"
                        | b"__iomem"
                        | b"__must_check"
                        | b"__kprobes"
                        | b"__ref"
                        | b"__refconst"
                        | b"__refdata"
                        | b"__rcu"
                        | b"__private"
                )
            })
            .count();
        if names <= 1 && rest.iter().all(|&b| is_word(b) || is_space(b) || b == b'*') {
            l.types.insert(s[a..e].to_vec());
        }
    }
}

fn collect_candidates(s: &[u8], l: &mut Learned, decl_depth: &mut usize) {
    // A run of words (with `*`s) at the start of a line: a declaration's type words
    // (possible()'s forms A and B).
    let mut i = skip_space(s, 0);
    let mut words: Vec<(usize, usize)> = Vec::new();
    loop {
        if s.get(i).is_some_and(|&b| ident_start(b)) {
            let e = word_end(s, i);
            words.push((i, e));
            i = e;
        } else if s.get(i).is_some_and(|&b| b == b'*' || is_space(b)) {
            i += 1;
        } else {
            break;
        }
    }
    let n = words.len();
    let func_ptr = s.get(i) == Some(&b'(') && s.get(skip_space(s, i + 1)) == Some(&b'*');
    // The type's words: the name (the last word) left out, and the storage class,
    // inline and const in front (which the regex takes apart).
    let lead = words
        .iter()
        .take_while(|&&(a, e)| {
            matches!(
                &s[a..e],
                b"extern"
                    | b"static"
                    | b"asmlinkage"
                    | b"const"
                    | b"inline"
                    | b"__always_inline"
                    | b"noinline"
                    | b"__inline"
                    | b"__inline__"
            )
        })
        .count();
    let take = if func_ptr { n } else { n.saturating_sub(1) };
    if take > lead {
        let tw = &words[lead..take];
        if tw.len() == 1 {
            l.types.insert(s[tw[0].0..tw[0].1].to_vec());
        } else {
            let t = &s[tw[0].0..tw[tw.len() - 1].1];
            let full = |t: &[u8]| {
                with_learned(None, || {
                    maybe_type_start(t, 0) && c_type(t, 0).contains(&t.len())
                })
            };
            if !full(t) {
                for &(a, e) in tw {
                    if !full(&s[a..e]) {
                        l.modifiers.insert(s[a..e].to_vec());
                    }
                }
            }
        }
    }
    // A statement at column 0 that is not a call (form B).
    if let Some(&(a, e)) = words.get(lead).filter(|&&(a, _)| a == 0 || lead > 0) {
        if words[0].0 == 0 && s.get(skip_space(s, e)) != Some(&b'(') {
            l.types.insert(s[a..e].to_vec());
        }
    }
    // `(X *)` and `(X )` (possible()'s form C).
    for p in memchr::memchr_iter(b'(', s) {
        let a = p + 1;
        if !s.get(a).is_some_and(|&b| ident_start(b)) {
            continue;
        }
        let e = word_end(s, a);
        let mut k = e;
        while s.get(k).is_some_and(|&b| is_space(b) || b == b'*') {
            k += 1;
        }
        if k > e && s.get(k) == Some(&b')') {
            l.types.insert(s[a..e].to_vec());
        }
    }
    // The arguments of a declaration `Type name(...)` (form D), on its lines.
    let mut from = 0;
    let statement = words.first().is_some_and(|&(a, e)| {
        matches!(
            &s[a..e],
            b"return" | b"else" | b"case" | b"goto" | b"do" | b"sizeof"
        )
    });
    if *decl_depth == 0 && n >= 2 && s.get(i) == Some(&b'(') && !func_ptr && !statement {
        *decl_depth = 1;
        from = i + 1;
    } else if *decl_depth == 0 {
        return;
    }
    let mut start = from;
    for k in from..s.len() {
        match s[k] {
            b'(' => *decl_depth += 1,
            b')' => {
                *decl_depth -= 1;
                if *decl_depth == 0 {
                    decl_arg(&s[start..k], l);
                    return;
                }
            }
            b',' if *decl_depth == 1 => {
                decl_arg(&s[start..k], l);
                start = k + 1;
            }
            _ => {}
        }
    }
    if *decl_depth == 1 {
        decl_arg(&s[start..], l);
    }
    if s.contains(&b';') || s.contains(&b'{') {
        *decl_depth = 0;
    }
}

/// checkpatch.pl's annotate_values() state (`$av_*`).
#[derive(Clone)]
struct Annotator {
    preprocessor: bool,
    pending: u8,
    paren: Vec<u8>,
    pend_colon: u8,
    /// `$prev_values`.
    prev: u8,
}

impl Default for Annotator {
    fn default() -> Self {
        Annotator {
            preprocessor: false,
            pending: b'_',
            paren: vec![b'E'],
            pend_colon: b'O',
            prev: b'E',
        }
    }
}

/// The per-input state of this module: the annotations, with and without the learnt
/// types, and the candidate words.
pub(super) struct Spacing {
    ann: [Annotator; 2],
    learned: Rc<Learned>,
}

/// A mode: without (`0`) or with (`1`) the candidate words as types.
fn learned_for(sp: &Spacing, mode: usize) -> Option<&Rc<Learned>> {
    (mode == 1).then_some(&sp.learned)
}

/// `$Constant` at `i` (the first alternative that matches, as the regex takes it).
fn constant(s: &[u8], i: usize) -> Option<usize> {
    let digits = |j: usize, f: fn(u8) -> bool| j + s[j..].iter().take_while(|&&b| f(b)).count();
    let dec = |b: u8| b.is_ascii_digit();
    let hex = |b: u8| b.is_ascii_hexdigit();
    let fl = |j: usize| {
        if s.get(j)
            .is_some_and(|b| matches!(b.to_ascii_lowercase(), b'f' | b'l'))
        {
            j + 1
        } else {
            j
        }
    };
    let exp = |j: usize| -> Option<usize> {
        // e-?[0-9]+
        if !s.get(j).is_some_and(|b| b.eq_ignore_ascii_case(&b'e')) {
            return None;
        }
        let mut k = j + 1;
        if s.get(k) == Some(&b'-') {
            k += 1;
        }
        let e = digits(k, dec);
        (e > k).then_some(e)
    };
    let int_type = |j: usize| {
        for t in [&b"llu"[..], b"ull", b"ll", b"lu", b"ul", b"l", b"u"] {
            if s.len() >= j + t.len() && s[j..j + t.len()].eq_ignore_ascii_case(t) {
                return j + t.len();
            }
        }
        j
    };
    let hex_prefix = s.get(i) == Some(&b'0') && s.get(i + 1).is_some_and(|&b| b | 0x20 == b'x');
    // $Float_hex: 0x[0-9a-f]+p-?[0-9]+[fl]?
    if hex_prefix {
        let e = digits(i + 2, hex);
        if e > i + 2 && s.get(e).is_some_and(|&b| b | 0x20 == b'p') {
            let mut k = e + 1;
            if s.get(k) == Some(&b'-') {
                k += 1;
            }
            let d = digits(k, dec);
            if d > k {
                return Some(fl(d));
            }
        }
    }
    // $Float_dec: (?:[0-9]+\.[0-9]*|[0-9]*\.[0-9]+)(?:e-?[0-9]+)?[fl]?
    let d = digits(i, dec);
    if s.get(d) == Some(&b'.') && (d > i || s.get(d + 1).is_some_and(u8::is_ascii_digit)) {
        let f = digits(d + 1, dec);
        let e = exp(f).unwrap_or(f);
        return Some(fl(e));
    }
    // $Float_int: [0-9]+e-?[0-9]+[fl]?
    if d > i {
        if let Some(e) = exp(d) {
            return Some(fl(e));
        }
    }
    // $Binary
    if s.get(i) == Some(&b'0') && s.get(i + 1).is_some_and(|&b| b | 0x20 == b'b') {
        let e = digits(i + 2, |b| b == b'0' || b == b'1');
        if e > i + 2 {
            return Some(int_type(e));
        }
    }
    // $Octal
    if s.get(i) == Some(&b'0') {
        let e = digits(i + 1, |b| (b'0'..=b'7').contains(&b));
        if e > i + 1 {
            return Some(int_type(e));
        }
    }
    // $Hex
    if hex_prefix {
        let e = digits(i + 2, hex);
        if e > i + 2 {
            return Some(int_type(e));
        }
    }
    (d > i).then(|| int_type(d))
}

/// Whether a `$Type` (or `$NonptrType`) may start at `i`: its first word is one that can
/// begin one. A cheap test that the matchers' answer for any other word is none.
pub(super) fn maybe_type_start(s: &[u8], i: usize) -> bool {
    if !s.get(i).is_some_and(|&b| ident_start(b)) {
        return false;
    }
    let e = word_end(s, i);
    let w = &s[i..e];
    if w.starts_with(b"__")
        || w.ends_with(b"_t")
        || w.ends_with(b"_handler")
        || w.ends_with(b"_handler_fn")
    {
        return true;
    }
    if s.get(skip_space(s, e)) == Some(&b'#') {
        return true;
    }
    const WORDS: &[&[u8]] = &[
        b"void",
        b"char",
        b"short",
        b"int",
        b"long",
        b"unsigned",
        b"signed",
        b"float",
        b"double",
        b"bool",
        b"struct",
        b"union",
        b"enum",
        b"const",
        b"volatile",
        b"fastcall",
        b"u_char",
        b"u_short",
        b"u_int",
        b"u_long",
        b"unchar",
        b"ushort",
        b"uint",
        b"ulong",
        b"FILE",
        b"u8",
        b"u16",
        b"u32",
        b"u64",
        b"s8",
        b"s16",
        b"s32",
        b"s64",
        b"be16",
        b"be32",
        b"be64",
        b"le16",
        b"le32",
        b"le64",
        b"be8",
        b"le8",
        b"____cacheline_aligned",
        b"____cacheline_aligned_in_smp",
        b"____cacheline_internodealigned_in_smp",
    ];
    WORDS.contains(&w) || is_learned(w)
}

/// A word of the learnt types or modifiers in effect.
fn is_learned(w: &[u8]) -> bool {
    super::c_types::is_learned(w)
}

/// The longest `$Type` at `i` after which `follow` accepts the rest.
fn type_then(s: &[u8], i: usize, follow: impl Fn(usize) -> bool) -> Option<usize> {
    if !maybe_type_start(s, i) {
        return None;
    }
    let mut ends = c_type(s, i);
    ends.sort_unstable();
    ends.into_iter().rev().find(|&e| follow(e))
}

impl Annotator {
    /// annotate_values($stream, $type): the value of each byte and the variant of each
    /// operator.
    fn annotate(&mut self, s: &[u8], mut ty: u8) -> (Vec<u8>, Vec<u8>) {
        let mut res: Vec<u8> = Vec::with_capacity(s.len());
        let mut var = vec![b'_'; s.len()];
        let mut i = 0;
        while i < s.len() {
            if self.paren.is_empty() {
                self.paren.push(b'E');
            }
            let cur = &s[i..];
            let c0 = cur[0];
            let ws = cur.iter().take_while(|&&b| is_space(b)).count();
            let len;
            if ws > 0 {
                if cur[..ws].contains(&b'\n') && self.preprocessor {
                    ty = self.paren.pop().unwrap_or(b'E');
                    self.preprocessor = false;
                }
                len = ws;
            } else if let Some(l) = (c0 == b'(' && self.pending == b'_')
                .then(|| {
                    let a = skip_space(s, i + 1);
                    type_then(s, a, |e| s.get(skip_space(s, e)) == Some(&b')'))
                        .map(|e| skip_space(s, e) - i)
                })
                .flatten()
            {
                self.paren.push(ty);
                ty = b'c';
                len = l;
            } else if let Some(e) = type_then(s, i, |e| {
                let k = skip_space(s, e);
                k == s.len()
                    || s.get(k)
                        .is_some_and(|&b| ident_start(b) || b"(),".contains(&b))
            }) {
                ty = b'T';
                len = e - i;
            } else if let Some(&m) = (if maybe_modifier(s, i) {
                modifier(s, i)
            } else {
                Vec::new()
            })
            .iter()
            .min()
            {
                ty = b'T';
                len = skip_space(s, m) - i;
            } else if let Some((l, paren)) = preproc(s, i, b"define") {
                self.preprocessor = true;
                self.paren.push(ty);
                if paren {
                    self.pending = b'N';
                }
                ty = b'E';
                len = l;
            } else if let Some((l, _)) = preproc(s, i, b"undef") {
                self.preprocessor = true;
                self.paren.push(ty);
                len = l;
            } else if let Some((l, _)) = preproc(s, i, b"if") {
                self.preprocessor = true;
                self.paren.push(ty);
                self.paren.push(ty);
                ty = b'E';
                len = l;
            } else if let Some((l, _)) = preproc(s, i, b"else") {
                self.preprocessor = true;
                let top = *self.paren.last().unwrap_or(&b'E');
                self.paren.push(top);
                ty = b'E';
                len = l;
            } else if let Some((l, _)) = preproc(s, i, b"endif") {
                self.preprocessor = true;
                self.paren.pop();
                self.paren.push(ty);
                ty = b'E';
                len = l;
            } else if cur.starts_with(b"\\\n") {
                len = 2;
            } else if cur.starts_with(b"__attribute__") {
                self.pending = ty;
                ty = b'N';
                len = 13;
            } else if cur.starts_with(b"sizeof") {
                if s.get(skip_space(s, i + 6)) == Some(&b'(') {
                    self.pending = b'V';
                }
                ty = b'N';
                len = 6;
            } else if let Some(l) = keyword(cur, &[b"if", b"while", b"for"]) {
                self.pending = b'E';
                ty = b'N';
                len = l;
            } else if cur.starts_with(b"case") {
                self.pend_colon = b'C';
                ty = b'N';
                len = 4;
            } else if let Some(l) = keyword(
                cur,
                &[b"return", b"else", b"goto", b"typeof", b"__typeof__"],
            ) {
                ty = b'N';
                len = l;
            } else if c0 == b'(' {
                self.paren.push(self.pending);
                self.pending = b'_';
                ty = b'N';
                len = 1;
            } else if c0 == b')' {
                let new = self.paren.pop().unwrap_or(b'E');
                if new != b'_' {
                    ty = new;
                }
                len = 1;
            } else if let Some(e) = func_name(s, i) {
                ty = b'V';
                self.pending = b'V';
                len = e - i;
            } else if let Some((l, bitfield)) = ident_colon(s, i) {
                if (bitfield && ty == b'C') || ty == b'T' {
                    self.pend_colon = b'B';
                } else if ty == b'E' {
                    self.pend_colon = b'L';
                }
                ty = b'V';
                len = l;
            } else if let Some(e) = ident(s, i).into_iter().max().or_else(|| constant(s, i)) {
                ty = b'V';
                len = e - i;
            } else if let Some(l) = assignment(cur) {
                ty = b'N';
                len = l;
            } else if matches!(c0, b';' | b'{' | b'}') {
                ty = b'E';
                self.pend_colon = b'O';
                len = 1;
            } else if c0 == b',' {
                ty = b'C';
                len = 1;
            } else if c0 == b'?' {
                ty = b'N';
                len = 1;
            } else if c0 == b':' {
                var[res.len()] = self.pend_colon;
                ty = if matches!(self.pend_colon, b'C' | b'L') {
                    b'E'
                } else {
                    b'N'
                };
                self.pend_colon = b'O';
                len = 1;
            } else if c0 == b'[' {
                ty = b'N';
                len = 1;
            } else if let Some(l) = opv(cur) {
                var[res.len()] = if ty == b'V' { b'B' } else { b'U' };
                ty = b'N';
                len = l;
            } else if let Some(l) = operator(cur) {
                if !(cur.starts_with(b"++") || cur.starts_with(b"--")) {
                    ty = b'N';
                }
                len = l;
            } else {
                len = 1;
            }
            res.extend(std::iter::repeat_n(ty, len));
            i += len;
        }
        (res, var)
    }
}

/// `^(\#\s*define\s*$Ident)(\(?)` and the other preprocessor forms of annotate_values:
/// the length and whether a `(` follows (for `define`).
fn preproc(s: &[u8], i: usize, kind: &[u8]) -> Option<(usize, bool)> {
    if s.get(i) != Some(&b'#') {
        return None;
    }
    let a = skip_space(s, i + 1);
    let r = &s[a..];
    match kind {
        b"define" => {
            let b = skip_space(s, r.starts_with(b"define").then_some(a + 6)?);
            let e = ident(s, b).into_iter().max()?;
            Some((e - i, s.get(e) == Some(&b'(')))
        }
        b"undef" => {
            if r.starts_with(b"undef") {
                let b = skip_space(s, a + 5);
                let e = ident(s, b).into_iter().max()?;
                Some((e - i, false))
            } else if r.starts_with(b"include") && !s.get(a + 7).is_some_and(|&b| is_word(b)) {
                Some((a + 7 - i, false))
            } else {
                None
            }
        }
        b"if" => [&b"ifdef"[..], b"ifndef", b"if"]
            .iter()
            .find(|w| r.starts_with(w))
            .map(|w| (a + w.len() - i, false)),
        b"else" => [&b"else"[..], b"elif"]
            .iter()
            .find(|w| r.starts_with(w))
            .map(|w| (a + w.len() - i, false)),
        _ => r.starts_with(b"endif").then_some((a + 5 - i, false)),
    }
}

/// `^(word1|word2...)\b`: the length of the first that matches.
fn keyword(cur: &[u8], words: &[&[u8]]) -> Option<usize> {
    words
        .iter()
        .find(|w| cur.starts_with(w) && !cur.get(w.len()).is_some_and(|&b| is_word(b)))
        .map(|w| w.len())
}

/// `$Ident`'s ends at `i`, without the matcher's work for a plain word.
fn ident_ends(s: &[u8], i: usize) -> Vec<usize> {
    if !s.get(i).is_some_and(|&b| ident_start(b)) {
        return Vec::new();
    }
    let e = word_end(s, i);
    if s.get(skip_space(s, e)) == Some(&b'#') {
        return ident(s, i);
    }
    (i + 1..=e).collect()
}

/// `^($Ident)\s*\(`: the identifier's end.
fn func_name(s: &[u8], i: usize) -> Option<usize> {
    if !s.get(i).is_some_and(|&b| ident_start(b)) {
        return None;
    }
    let e = word_end(s, i);
    if s.get(skip_space(s, e)) != Some(&b'#') {
        return (s.get(skip_space(s, e)) == Some(&b'(')).then_some(e);
    }
    let mut ends = ident(s, i);
    ends.sort_unstable();
    ends.into_iter()
        .rev()
        .find(|&e| s.get(skip_space(s, e)) == Some(&b'('))
}

/// `^($Ident\s*):(?:\s*\d+\s*(,|=|;))?`: the length of `$1` and whether the bitfield
/// width follows.
fn ident_colon(s: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut ends = ident_ends(s, i);
    ends.sort_unstable();
    let e = ends
        .into_iter()
        .rev()
        .find(|&e| s.get(skip_space(s, e)) == Some(&b':'))?;
    let c = skip_space(s, e);
    let a = skip_space(s, c + 1);
    let d = a + s[a..].iter().take_while(|b| b.is_ascii_digit()).count();
    let bitfield = d > a && matches!(s.get(skip_space(s, d)), Some(b',' | b'=' | b';'));
    Some((c - i, bitfield))
}

/// `^($Assignment)`.
fn assignment(cur: &[u8]) -> Option<usize> {
    [
        &b"*="[..],
        b"/=",
        b"%=",
        b"+=",
        b"-=",
        b"<<=",
        b">>=",
        b"&=",
        b"^=",
        b"|=",
        b"=",
    ]
    .iter()
    .find(|w| cur.starts_with(w))
    .map(|w| w.len())
}

/// `^(-(?![->])|\+(?!\+)|\*|\&\&|\&)`.
fn opv(cur: &[u8]) -> Option<usize> {
    match cur {
        [b'-', b'-' | b'>', ..] => None,
        [b'-', ..] => Some(1),
        [b'+', b'+', ..] => None,
        [b'+', ..] | [b'*', ..] => Some(1),
        [b'&', b'&', ..] => Some(2),
        [b'&', ..] => Some(1),
        _ => None,
    }
}

/// `^($Operators)`.
fn operator(cur: &[u8]) -> Option<usize> {
    [
        &b"<="[..],
        b">=",
        b"==",
        b"!=",
        b"=>",
        b"->",
        b"<<",
        b">>",
        b"<",
        b">",
        b"!",
        b"~",
        b"&&",
        b"||",
        b",",
        b"^",
        b"++",
        b"--",
        b"&",
        b"|",
        b"+",
        b"-",
        b"*",
        b"/",
        b"%",
    ]
    .iter()
    .find(|w| cur.starts_with(w))
    .map(|w| w.len())
}

/// The operator loop's `$ops` (and `;`) at the start of `cur`.
fn split_op(cur: &[u8]) -> Option<usize> {
    if !matches!(
        cur.first(),
        Some(b'<' | b'>' | b'=' | b'!' | b'+' | b'-' | b'*' | b'/' | b'%' | b'^' | b'|' | b'&')
            | Some(b'~' | b',' | b'?' | b':' | b';')
    ) {
        return None;
    }
    const OPS: &[&[u8]] = &[
        b"<<=", b">>=", b"<=", b">=", b"==", b"!=", b"+=", b"-=", b"*=", b"/=", b"%=", b"^=",
        b"|=", b"&=", b"=>", b"->", b"<<", b">>", b"<", b">", b"=", b"!", b"~", b"&&", b"||", b",",
        b"^", b"++", b"--", b"&", b"|", b"+", b"-", b"*", b"/", b"%", b"?:", b"?", b":", b";",
    ];
    OPS.iter().find(|w| cur.starts_with(w)).map(|w| w.len())
}

impl Spacing {
    pub(super) fn new(learned: Rc<Learned>) -> Self {
        Spacing {
            ann: [Annotator::default(), Annotator::default()],
            learned,
        }
    }

    /// A hunk header: annotate_reset() and `$prev_values = 'E'`.
    pub(super) fn reset(&mut self) {
        self.ann = [Annotator::default(), Annotator::default()];
    }
}

/// What one operator's checks report, with the fix each applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Verdict {
    SemiAfter,
    ArrowAround,
    CommaBefore,
    CommaAfter,
    UnaryBefore,
    UnaryAfter,
    IncOneSide,
    IncBefore,
    IncAfter,
    Preferred,
    PreferredBefore,
    Consistent,
    ColonBefore,
    Around(bool),
}

struct OpSite<'a> {
    op: &'a [u8],
    var: u8,
    op_type: u8,
    a: u8,
    c: u8,
    ca: &'a [u8],
    cc: &'a [u8],
    has_next: bool,
}

fn ends_with_space(s: &[u8]) -> bool {
    s.last().is_some_and(|&b| is_space(b))
}

/// Whether a `$Modifier` may start at `i` (the first byte of every one, or a learnt word).
fn maybe_modifier(s: &[u8], i: usize) -> bool {
    matches!(s.get(i), Some(b'c' | b'v' | b'_' | b'f'))
        || (s.get(i).is_some_and(|&b| ident_start(b)) && is_learned(&s[i..word_end(s, i)]))
}

/// `$cc =~ /\s*$Modifier\b/`: a modifier anywhere in `cc` with a word boundary after it.
fn has_modifier(cc: &[u8]) -> bool {
    if memchr::memmem::find(cc, b"__aligned").is_some()
        || memchr::memmem::find(cc, b"__alloc_size").is_some()
    {
        return true;
    }
    (0..cc.len()).filter(|&j| maybe_modifier(cc, j)).any(|j| {
        modifier(cc, j)
            .into_iter()
            .any(|e| !cc.get(e).is_some_and(|&b| is_word(b)) && (e == 0 || is_word(cc[e - 1])))
    })
}

/// The checks of one operator, as checkpatch.pl's if/elsif chain.
fn verdicts(o: &OpSite<'_>, strict: bool, lds: bool) -> Vec<Verdict> {
    use Verdict::*;
    let mut v = Vec::new();
    let (a, c, op) = (o.a, o.c, o.op);
    let wec = |x: u8| matches!(x, b'W' | b'E' | b'B' | b'C');
    if o.op_type != b'V'
        && ends_with_space(o.ca)
        && matches!(o.cc.get(skip_space(o.cc, 0)), Some(b',' | b')'))
    {
    } else if op == b";" {
        if !wec(c) && !o.cc.starts_with(b"\\") && !o.cc.starts_with(b";") {
            v.push(SemiAfter);
        }
    } else if op == b":" && o.var == b'B' {
    } else if op == b"->" {
        if a == b'W' || c == b'W' {
            v.push(ArrowAround);
        }
    } else if op == b"," {
        if a == b'W' {
            v.push(CommaBefore);
        }
        if !matches!(c, b'W' | b'E' | b'C') && !o.cc.starts_with(b"}") {
            v.push(CommaAfter);
        }
    } else if op == b"*" && o.var == b'_' {
    } else if op == b"!"
        || op == b"~"
        || (o.var == b'U' && matches!(op, b"*" | b"-" | b"&" | b"&&"))
    {
        let ca_end = [
            &b")"[..],
            b"!",
            b"~",
            b"*",
            b"-",
            b"&",
            b"|",
            b"++",
            b"--",
            b"{",
        ];
        if !wec(a) && !ca_end.iter().any(|e| o.ca.ends_with(e)) {
            v.push(UnaryBefore);
        }
        if op == b"*" && has_modifier(o.cc) {
        } else if c == b'W' {
            v.push(UnaryAfter);
        }
    } else if op == b"++" || op == b"--" {
        let one = matches!(a, b'W' | b'E' | b'O' | b'B' | b'C') && c != b'W';
        let two = a != b'W' && matches!(c, b'W' | b'O' | b'B' | b'E' | b'C');
        if !one && !two {
            v.push(IncOneSide);
        }
        if a == b'W' && (matches!(c, b'B' | b'E') || o.cc.starts_with(b";")) {
            v.push(IncBefore);
        }
        if a == b'E' && c == b'W' {
            v.push(IncAfter);
        }
    } else if matches!(
        op,
        b"<<" | b">>" | b"&" | b"^" | b"|" | b"+" | b"-" | b"*" | b"/" | b"%"
    ) {
        if strict {
            if o.has_next && !(matches!(a, b'E' | b'W') && matches!(c, b'E' | b'W')) {
                v.push(Preferred);
            } else if !(o.has_next || a == b'W' && matches!(c, b'O' | b'E')) {
                v.push(PreferredBefore);
            }
        } else if (a == b'W' && !matches!(c, b'W' | b'C' | b'E'))
            || (!matches!(a, b'W' | b'C' | b'E') && c == b'W')
        {
            v.push(Consistent);
        }
    } else if op == b":" && matches!(o.var, b'C' | b'L') {
        if a == b'W' && !lds {
            v.push(ColonBefore);
        }
    } else if !(matches!(a, b'E' | b'W' | b'C') && matches!(c, b'C' | b'W' | b'E')) {
        let mut ok = false;
        if op == b"<" && email_after(o.cc) {
            ok = true;
        }
        if op == b">" && email_before(o.ca) {
            ok = true;
        }
        if op == b":" && (o.ca.ends_with(b":") || o.cc.starts_with(b":")) {
            ok = true;
        }
        if !ok {
            let chk = matches!(op, b"?:" | b"?" | b":") && a == b'V' && c == b'V';
            v.push(Around(chk));
        }
    }
    v
}

/// `$cc =~ /^\S+\@\S+>/`.
fn email_after(cc: &[u8]) -> bool {
    let n = cc.iter().take_while(|&&b| !is_space(b)).count();
    let t = &cc[..n];
    // \S+ @ \S+ > within the first run of non-space bytes.
    t.iter()
        .enumerate()
        .any(|(k, &b)| b == b'@' && k > 0 && t[k + 1..].iter().skip(1).any(|&x| x == b'>'))
}

/// `$ca =~ /<\S+\@\S+$/`.
fn email_before(ca: &[u8]) -> bool {
    let n = ca.iter().rev().take_while(|&&b| !is_space(b)).count();
    let t = &ca[ca.len() - n..];
    t.iter().enumerate().any(|(k, &b)| {
        b == b'<'
            && t[k + 1..]
                .iter()
                .enumerate()
                .any(|(j, &x)| x == b'@' && j > 0 && k + 1 + j + 1 < t.len())
    })
}

fn trim(s: &[u8]) -> &[u8] {
    ltrim(rtrim(s))
}

fn ltrim(s: &[u8]) -> &[u8] {
    &s[s.iter().take_while(|&&b| is_space(b)).count()..]
}

fn rtrim(s: &[u8]) -> &[u8] {
    &s[..s.len() - s.iter().rev().take_while(|&&b| is_space(b)).count()]
}

/// The line as the C rules here see it.
pub(super) struct Line<'a> {
    pub(super) raw: &'a [u8],
    pub(super) body: &'a [u8],
    pub(super) report_line: usize,
    pub(super) realline: usize,
}

/// Annotates a hunk line of a `.c` or `.h` file (context or added, as checkpatch.pl does
/// for every one) and, for an added line, runs this module's rules in checkpatch.pl's
/// order.
pub(super) fn line(
    c: &mut Checker<'_>,
    sp: &mut Spacing,
    fs: &FileState,
    l: &Line<'_>,
    here: &str,
) {
    let mut opline = Vec::with_capacity(l.body.len() + 2);
    opline.push(b' ');
    opline.extend_from_slice(l.body);
    opline.push(b'\n');
    let mut values: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    let mut vars: [Vec<u8>; 2] = [Vec::new(), Vec::new()];
    for mode in 0..2 {
        let learned = learned_for(sp, mode).cloned();
        let ann = &mut sp.ann[mode];
        let prev = ann.prev;
        let (res, var) = with_learned(learned.as_ref(), || ann.annotate(&opline, prev));
        let mut v = Vec::with_capacity(res.len() + 1);
        v.push(prev);
        v.extend(res);
        ann.prev = *v.last().unwrap_or(&b'E');
        values[mode] = v;
        vars[mode] = var;
    }
    if l.raw.first() != Some(&b'+') {
        return;
    }
    opline.pop();
    let mut line = Vec::with_capacity(l.body.len() + 1);
    line.push(b'+');
    line.extend_from_slice(l.body);
    let curr = || vec![here.as_bytes().to_vec(), l.raw.to_vec()];
    let file = fs.realfile.as_str();

    cast_space(c, l, &line, file, &curr, &sp.learned);
    pointer_location(c, l, &line, file, &curr, &sp.learned);
    function_pointer(c, l, &line, file, &curr, &sp.learned);
    bracket_space(c, l, &line, file, &curr, &sp.learned);
    function_paren(c, l, &line, file, &curr, &sp.learned);
    if !include_line(&line) {
        operators(c, l, &opline, (&values, &vars), file, here, &sp.learned);
    }
    line_tests(c, l, &line, file, &curr, &sp.learned);
}

/// `$line =~ /\#\s*include/`.
fn include_line(line: &[u8]) -> bool {
    memchr::memchr_iter(b'#', line).any(|p| line[skip_space(line, p + 1)..].starts_with(b"include"))
}

type Ctx<'a> = &'a dyn Fn() -> Vec<Vec<u8>>;

/// Whether `f` holds both with and without the learnt words.
fn agree(learned: &Rc<Learned>, f: impl Fn() -> bool) -> bool {
    with_learned(None, &f) && with_learned(Some(learned), &f)
}

/// The same result with and without the learnt words.
fn same<T: PartialEq>(learned: &Rc<Learned>, f: impl Fn() -> T) -> Option<T> {
    let a = with_learned(None, &f);
    let b = with_learned(Some(learned), &f);
    (a == b).then_some(a)
}

/// `(\(\s*$Type\s*\))` at `p`: the end of the `)`.
fn paren_type(s: &[u8], p: usize) -> Option<usize> {
    if s.get(p) != Some(&b'(') {
        return None;
    }
    let a = skip_space(s, p + 1);
    type_then(s, a, |e| s.get(skip_space(s, e)) == Some(&b')')).map(|e| skip_space(s, e) + 1)
}

/// `$Attribute` at `i` (no word boundary after it, as the regex).
fn attribute_at(s: &[u8], i: usize) -> bool {
    const SPARSE_ONLY: &[&[u8]] = &[
        b"__user",
        b"__kernel",
        b"__force",
        b"__iomem",
        b"__must_check",
        b"__ref",
        b"__refconst",
        b"__refdata",
        b"__rcu",
        b"__private",
        b"fastcall",
    ];
    let r = &s[i..];
    if r.starts_with(b"__aligned") || r.starts_with(b"__alloc_size") {
        return true;
    }
    with_learned(None, || modifier(s, i))
        .into_iter()
        .any(|e| !SPARSE_ONLY.contains(&&s[i..e]))
}

/// SPACING (CHECK) "No space is necessary after a cast" (`# check for space after cast`).
fn cast_space(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    line: &[u8],
    file: &str,
    curr: Ctx<'_>,
    learned: &Rc<Learned>,
) {
    if !line.contains(&b')') {
        return;
    }
    let hit = || -> bool {
        // The last `(` (greedy `.*`) where the pattern matches.
        let Some(p) = (1..line.len()).rev().find(|&p| {
            paren_type(line, p).is_some_and(|e| {
                let n = line[e..]
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                let k = e + n;
                n > 0
                    && !matches!(line.get(k), Some(b'=' | b'{'))
                    && (line.get(k) != Some(&b'\\') || k + 1 != line.len())
                    && (k >= line.len() || !attribute_at(line, k))
                    && !line[k..].starts_with(b"__attribute__")
            })
        }) else {
            return false;
        };
        let before = rtrim(&line[1..p]);
        !([&b"sizeof"[..], b"__alignof__"].iter().any(|w| {
            before.ends_with(w)
                && !(before.len() > w.len() && is_word(before[before.len() - w.len() - 1]))
        }))
    };
    // s/(\(\s*$Type\s*\))[ \t]+/$1/: the leftmost cast followed by spaces, which may be
    // another than the one found; reported only when the learnt types do not move it.
    let fix_at = |f: &[u8]| -> Option<(usize, usize)> {
        let p = (0..f.len())
            .find(|&p| paren_type(f, p).is_some_and(|e| matches!(f.get(e), Some(b' ' | b'\t'))))?;
        let e = paren_type(f, p)?;
        let n = f[e..]
            .iter()
            .take_while(|&&b| b == b' ' || b == b'\t')
            .count();
        Some((e, n))
    };
    if agree(learned, hit)
        && same(learned, || fix_at(l.raw)).is_some()
        && c.report(
            Level::Check,
            "SPACING",
            "No space is necessary after a cast".into(),
            file,
            l.report_line,
            l.realline,
            curr(),
        )
    {
        if let Some(f) = c.fix_line() {
            if let Some((e, n)) = with_learned(None, || fix_at(f)) {
                f.drain(e..e + n);
            }
        }
    }
}

/// `$to` for a pointer's `$from`: a space before, none after, `**` together.
fn pointer_to(from: &[u8], modifier_end: bool) -> Vec<u8> {
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
fn pointer_pieces(s: &[u8], k: usize, out: &mut Vec<usize>, depth: usize) {
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
type PtrMatch = (usize, usize, usize, usize);

/// `(\($NonptrType(\s*(?:$Modifier\b\s*|\*\s*)+)\))`, from `from`.
fn ptr_cast_match(s: &[u8], from: usize) -> Option<PtrMatch> {
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

/// Could a `$NonptrType` start at `i`: a cheap test before the matcher.
fn type_start(s: &[u8], i: usize) -> bool {
    (i == 0 || !is_word(s[i - 1])) && maybe_type_start(s, i)
}

/// `(\b$NonptrType(\s*(?:$Modifier\b\s*|\*\s*)+)($Ident))`, from `from`: the match and
/// the identifier's range.
fn ptr_decl_match(s: &[u8], from: usize) -> Option<(PtrMatch, usize)> {
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
type PtrFinding = (String, Vec<u8>, Vec<u8>);

fn pointer_findings(line: &[u8]) -> Vec<PtrFinding> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some((p, end, fs, fe)) = ptr_cast_match(line, from) {
        let f = &line[fs..fe];
        let to = pointer_to(f, false);
        if f != to.as_slice() {
            let whole = &line[p..end];
            out.push((
                format!("\"(foo{})\" should be \"(foo{})\"", text(f), text(&to)),
                whole.to_vec(),
                replace_once(whole, f, &to),
            ));
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
            let whole = &line[p..end];
            out.push((
                format!("\"foo{}bar\" should be \"foo{}bar\"", text(f), text(&to)),
                whole.to_vec(),
                replace_once(whole, f, &to),
            ));
        }
        from = end;
    }
    out
}

fn replace_once(s: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    match memchr::memmem::find(s, from) {
        Some(p) => [&s[..p], to, &s[p + from.len()..]].concat(),
        None => s.to_vec(),
    }
}

/// POINTER_LOCATION (ERROR): `foo* bar`, `foo * bar`, `(foo*)` (`# * goes on variable
/// not on type`).
fn pointer_location(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    line: &[u8],
    file: &str,
    curr: Ctx<'_>,
    learned: &Rc<Learned>,
) {
    if !line.contains(&b'*') && memchr::memmem::find(line, b"const").is_none() {
        return;
    }
    let Some(found) = same(learned, || pointer_findings(line)) else {
        return;
    };
    for (msg, from, to) in found {
        if c.report(
            Level::Error,
            "POINTER_LOCATION",
            msg,
            file,
            l.report_line,
            l.realline,
            curr(),
        ) {
            if let Some(f) = c.fix_line() {
                *f = replace_once(f, &from, &to);
            }
        }
    }
}

/// SPACING (WARNING) on function pointer declarations (`# Function pointer
/// declarations`): `type (*name)(args)` with no other spaces.
fn function_pointer(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    line: &[u8],
    file: &str,
    curr: Ctx<'_>,
    learned: &Rc<Learned>,
) {
    if memchr::memmem::find(line, b"(*").is_none() && memchr::memmem::find(line, b"( ").is_none() {
        return;
    }
    // ^.\s*($Declare)\((\s*)\*(\s*)($Ident)(\s*)\)(\s*)\(
    let parse = |s: &[u8]| -> Option<(usize, usize, [usize; 6], usize, usize)> {
        let a = skip_space(s, 1);
        if !s.get(a).is_some_and(|&b| ident_start(b)) {
            return None;
        }
        let w = &s[a..word_end(s, a)];
        if !matches!(w, b"extern" | b"static" | b"asmlinkage") && !maybe_type_start(s, a) {
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
        shown |= c.report(
            Level::Warning,
            "SPACING",
            m.into(),
            file,
            l.report_line,
            l.realline,
            curr(),
        );
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

/// Whether some `$Type` ends at `e` (exactly, `$Type$` on `s[..e]`), or is followed by
/// `\s+` up to `e` (`$Type\s+$`).
fn type_ends_at(s: &[u8], e: usize, spaces: bool) -> bool {
    let t = &s[..e];
    (0..t.len()).any(|j| {
        maybe_type_start(t, j)
            && c_type(t, j).into_iter().any(|x| {
                if spaces {
                    x < t.len() && t[x..].iter().all(|&b| is_space(b))
                } else {
                    x == t.len()
                }
            })
    })
}

/// BRACKET_SPACE (ERROR): a space before `[` (`# check for spacing round square
/// brackets`).
fn bracket_space(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    line: &[u8],
    file: &str,
    curr: Ctx<'_>,
    learned: &Rc<Learned>,
) {
    let mut from = 0;
    // while ($line =~ /(.*?\s)\[/g)
    while let Some(b) =
        (from..line.len()).find(|&k| line[k] == b'[' && k > from && is_space(line[k - 1]))
    {
        let prefix = &line[from..b];
        let where_ = from;
        let bad = agree(learned, || !type_ends_at(prefix, prefix.len(), true))
            && (where_ != 0 || !(prefix.len() > 1 && prefix[1..].iter().all(|&x| is_space(x))))
            && !matches!(rtrim(prefix).last(), Some(b'{' | b',' | b':'));
        if bad
            && c.report(
                Level::Error,
                "BRACKET_SPACE",
                "space prohibited before open square bracket '['".into(),
                file,
                l.report_line,
                l.realline,
                curr(),
            )
        {
            if let Some(f) = c.fix_line() {
                // s/^(\+.*?)\s+\[/$1\[/
                if f.first() == Some(&b'+') {
                    if let Some(k) = (2..f.len()).find(|&k| f[k] == b'[' && is_space(f[k - 1])) {
                        let mut st = k;
                        while st > 1 && is_space(f[st - 1]) {
                            st -= 1;
                        }
                        f.drain(st..k);
                    }
                }
            }
        }
        from = b + 1;
    }
}

/// SPACING (WARNING) "space prohibited between function name and open parenthesis"
/// (`# check for spaces between functions and their parentheses`).
fn function_paren(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    line: &[u8],
    file: &str,
    curr: Ctx<'_>,
    learned: &Rc<Learned>,
) {
    const ALLOWED: &[&[u8]] = &[
        b"if",
        b"for",
        b"while",
        b"switch",
        b"return",
        b"case",
        b"volatile",
        b"__volatile__",
        b"__attribute__",
        b"format",
        b"__extension__",
        b"asm",
        b"__asm__",
        b"scoped_guard",
    ];
    let mut i = 0;
    while i < line.len() {
        if !ident_start(line[i]) {
            i += 1;
            continue;
        }
        // A match inside a word would also match at its start: go on after the word.
        let Some(e) = ident_ends(line, i).into_iter().max() else {
            i += 1;
            continue;
        };
        let k = skip_space(line, e);
        if k == e || line.get(k) != Some(&b'(') {
            i = word_end(line, i);
            continue;
        }
        let name = &line[i..e];
        let before = &line[..i];
        let skip = ALLOWED.contains(&name)
            || define_before(before)
            || (name == b"elif" && hash_only(before))
            || !agree(learned, || !type_ends_at(line, e, false));
        if !skip
            && c.report(
                Level::Warning,
                "SPACING",
                "space prohibited between function name and open parenthesis '('".into(),
                file,
                l.report_line,
                l.realline,
                curr(),
            )
        {
            let name = name.to_vec();
            if let Some(f) = c.fix_line() {
                // s/\b$name\s+\(/$name\(/
                let hit = (0..f.len()).find(|&p| {
                    f[p..].starts_with(&name)
                        && (p == 0 || !is_word(f[p - 1]) || !is_word(f[p]))
                        && {
                            let q = skip_space(f, p + name.len());
                            q > p + name.len() && f.get(q) == Some(&b'(')
                        }
                });
                if let Some(p) = hit {
                    let q = skip_space(f, p + name.len());
                    f.drain(p + name.len()..q);
                }
            }
        }
        i = k + 1;
    }
}

/// `$ctx_before =~ /^.\s*\#\s*define\s*$/`.
fn define_before(before: &[u8]) -> bool {
    if before.is_empty() {
        return false;
    }
    let a = skip_space(before, 1);
    if before.get(a) != Some(&b'#') {
        return false;
    }
    let b = skip_space(before, a + 1);
    before[b..].starts_with(b"define") && skip_space(before, b + 6) == before.len()
}

/// `^.\s*\#\s*` is all of `before`.
fn hash_only(before: &[u8]) -> bool {
    if before.is_empty() {
        return false;
    }
    let a = skip_space(before, 1);
    before.get(a) == Some(&b'#') && skip_space(before, a + 1) == before.len()
}

/// The operator loop (`# Check operator spacing.`).
fn operators(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    opline: &[u8],
    (values, vars): (&[Vec<u8>; 2], &[Vec<u8>; 2]),
    file: &str,
    here: &str,
    learned: &Rc<Learned>,
) {
    // split(/($ops|;)/, $opline), trailing empty field dropped.
    let mut elements: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < opline.len() {
        if let Some(n) = split_op(&opline[i..]) {
            elements.push((start, i));
            elements.push((i, i + n));
            i += n;
            start = i;
        } else {
            i += 1;
        }
    }
    elements.push((start, opline.len()));
    if elements.last().is_some_and(|&(a, b)| a == b) {
        elements.pop();
    }
    if elements.len() < 2 {
        return;
    }
    let raw = l.raw;
    let mut fix_el: Vec<Vec<u8>> = elements
        .iter()
        .map(|&(a, b)| raw.get(a..b.min(raw.len())).unwrap_or(&[]).to_vec())
        .collect();
    let el = |k: usize| &opline[elements[k].0..elements[k].1];
    let blank = copy_spacing(opline);
    let lds = file.ends_with(".lds.h");
    let mut fixed_line: Vec<u8> = Vec::new();
    let mut line_fixed = false;
    let mut last_after: isize = -1;
    let last = elements.len() - 1;
    let mut n = 0;
    while n < last {
        let mut good = [fix_el[n].as_slice(), fix_el[n + 1].as_slice()].concat();
        let off = elements[n + 1].0;
        let op = el(n + 1);
        let ca = &opline[..off];
        let cc = &opline[(off + op.len()).min(opline.len())..];
        let en = el(n);
        let mut a = b'V';
        if en.is_empty() {
            a = b'O';
        } else {
            if ends_with_space(en) {
                a = b'W';
            }
            if en.last() == Some(&COMMENT_BYTE) {
                a = b'C';
            }
            if matches!(en.last(), Some(b'[' | b'(')) {
                a = b'B';
            }
        }
        if ca.iter().all(|&b| is_space(b)) {
            a = b'E';
        }
        let has_next = n + 2 <= last;
        let cx = if has_next {
            let nx = el(n + 2);
            let mut cx = b'V';
            if nx.is_empty() {
                cx = b'O';
            } else {
                if is_space(nx[0]) {
                    cx = b'W';
                }
                if nx[0] == COMMENT_BYTE {
                    cx = b'C';
                }
                if matches!(nx[0], b')' | b']' | b';') {
                    cx = b'B';
                }
            }
            // ^\s*\\$
            let t = ltrim(nx);
            if t == b"\\" {
                cx = b'E';
            }
            cx
        } else {
            b'E'
        };
        let site = |mode: usize| OpSite {
            op,
            var: vars[mode].get(off).copied().unwrap_or(b'_'),
            op_type: values[mode].get(off + 1).copied().unwrap_or(b'_'),
            a,
            c: cx,
            ca,
            cc,
            has_next,
        };
        let v0 = verdicts(&site(0), c.opts.strict, lds);
        let v1 = with_learned(Some(learned), || verdicts(&site(1), c.opts.strict, lds));
        let found = if v0 == v1 { v0 } else { Vec::new() };
        if found.is_empty() {
            fixed_line.extend_from_slice(&good);
            n += 2;
            continue;
        }
        let at = format!("(ctx:{}x{})", a as char, cx as char);
        let opstr = text(op);
        let ptr = format!("{}^", &blank[..off]);
        let ctx = || {
            vec![
                here.as_bytes().to_vec(),
                raw.to_vec(),
                ptr.clone().into_bytes(),
            ]
        };
        let mut rtrim_before = false;
        let mut space_after = false;
        for v in found {
            use Verdict::*;
            let (level, msg) = match v {
                SemiAfter => (
                    Level::Error,
                    format!("space required after that '{opstr}' {at}"),
                ),
                ArrowAround => (
                    Level::Error,
                    format!("spaces prohibited around that '{opstr}' {at}"),
                ),
                CommaBefore => (
                    Level::Error,
                    format!("space prohibited before that '{opstr}' {at}"),
                ),
                CommaAfter => (
                    Level::Error,
                    format!("space required after that '{opstr}' {at}"),
                ),
                UnaryBefore => (
                    Level::Error,
                    format!("space required before that '{opstr}' {at}"),
                ),
                UnaryAfter => (
                    Level::Error,
                    format!("space prohibited after that '{opstr}' {at}"),
                ),
                IncOneSide => (
                    Level::Error,
                    format!("space required one side of that '{opstr}' {at}"),
                ),
                IncBefore => (
                    Level::Error,
                    format!("space prohibited before that '{opstr}' {at}"),
                ),
                IncAfter => (
                    Level::Error,
                    format!("space prohibited after that '{opstr}' {at}"),
                ),
                Preferred => (
                    Level::Check,
                    format!("spaces preferred around that '{opstr}' {at}"),
                ),
                PreferredBefore => (
                    Level::Check,
                    format!("space preferred before that '{opstr}' {at}"),
                ),
                Consistent => (
                    Level::Error,
                    format!("need consistent spacing around '{opstr}' {at}"),
                ),
                ColonBefore => (
                    Level::Error,
                    format!("space prohibited before that '{opstr}' {at}"),
                ),
                Around(chk) => (
                    if chk { Level::Check } else { Level::Error },
                    format!("spaces required around that '{opstr}' {at}"),
                ),
            };
            if !c.report(
                level,
                "SPACING",
                msg,
                file,
                l.report_line,
                l.realline,
                ctx(),
            ) {
                continue;
            }
            let fe_n = fix_el[n].clone();
            let fe_op = fix_el[n + 1].clone();
            let mut ltrim_next = false;
            match v {
                SemiAfter | IncOneSide => {
                    good = [fe_n.as_slice(), trim(&fe_op), b" "].concat();
                    line_fixed = true;
                }
                ArrowAround => {
                    good = [rtrim(&fe_n), trim(&fe_op)].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                CommaBefore => {
                    line_fixed = true;
                    rtrim_before = true;
                }
                CommaAfter => {
                    line_fixed = true;
                    last_after = n as isize;
                    space_after = true;
                }
                UnaryBefore => {
                    if n as isize != last_after + 2 {
                        good = [fe_n.as_slice(), b" ", ltrim(&fe_op)].concat();
                        line_fixed = true;
                    }
                }
                UnaryAfter => {
                    good = [fe_n.as_slice(), rtrim(&fe_op)].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                IncBefore | ColonBefore => {
                    good = [rtrim(&fe_n), trim(&fe_op)].concat();
                    line_fixed = true;
                }
                IncAfter => {
                    good = [fe_n.as_slice(), trim(&fe_op)].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                Preferred | Consistent | Around(_) => {
                    good = [rtrim(&fe_n), b" ", trim(&fe_op), b" "].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                PreferredBefore => {
                    good = [rtrim(&fe_n), b" ", trim(&fe_op)].concat();
                    line_fixed = true;
                }
            }
            if ltrim_next && n + 2 < fix_el.len() {
                let t = ltrim(&fix_el[n + 2]).to_vec();
                fix_el[n + 2] = t;
            }
        }
        if rtrim_before || space_after {
            good = if rtrim_before {
                [rtrim(&fix_el[n]), trim(&fix_el[n + 1])].concat()
            } else {
                [fix_el[n].as_slice(), trim(&fix_el[n + 1])].concat()
            };
            if space_after {
                good.push(b' ');
            }
        }
        fixed_line.extend_from_slice(&good);
        n += 2;
    }
    if last.is_multiple_of(2) {
        fixed_line.extend_from_slice(&fix_el[last]);
    }
    if line_fixed {
        if let Some(f) = c.fix_line() {
            if *f != fixed_line {
                *f = fixed_line;
            }
        }
    }
}

/// The line tests after the operator loop: semicolons, braces, brackets, parentheses,
/// `if(` and `#ifdef`.
fn line_tests(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    line: &[u8],
    file: &str,
    curr: Ctx<'_>,
    learned: &Rc<Learned>,
) {
    let rep = |c: &mut Checker<'_>, level: Level, msg: &str| {
        c.report(
            level,
            "SPACING",
            msg.into(),
            file,
            l.report_line,
            l.realline,
            curr(),
        )
    };
    // ^\+.*\S\s+;\s*$
    {
        let t = rtrim(line);
        if t.len() > 2 && t.ends_with(b";") {
            let before = &t[..t.len() - 1];
            let r = rtrim(before);
            if r.len() < before.len()
                && r.len() > 1
                && rep(c, Level::Warning, "space prohibited before semicolon")
            {
                if let Some(f) = c.fix_line().filter(|f| f.first() == Some(&b'+')) {
                    // 1 while s/^(\+.*\S)\s+;/$1;/
                    while let Some(q) = (2..f.len()).rev().find(|&q| {
                        f[q] == b';' && is_space(f[q - 1]) && {
                            let st = q - f[..q].iter().rev().take_while(|&&b| is_space(b)).count();
                            st > 1 && !is_space(f[st - 1])
                        }
                    }) {
                        let st = q - f[..q].iter().rev().take_while(|&&b| is_space(b)).count();
                        f.drain(st..q);
                    }
                }
            }
        }
    }
    // (\(.*\)\{ && !\($Type\)\{) || \b(?:else|do)\{
    {
        let paren_brace = memchr::memmem::find(line, b"){").is_some_and(|_| {
            let last = memchr::memmem::rfind(line, b"){").unwrap_or(0);
            line[..last].contains(&b'(')
        });
        let type_brace = || {
            (0..line.len()).any(|p| {
                paren_type(line, p)
                    .is_some_and(|e| line.get(e) == Some(&b'{') && type_exact_paren(line, p, e))
            })
        };
        let else_do = [&b"else{"[..], b"do{"]
            .iter()
            .any(|w| memchr::memmem::find_iter(line, w).any(|p| p == 0 || !is_word(line[p - 1])));
        let hit = else_do || (paren_brace && agree(learned, || !type_brace()));
        if hit && rep(c, Level::Error, "space required before the open brace '{'") {
            if let Some(f) = c.fix_line() {
                // s/^(\+.*(?:do|else|\)))\{/$1 {/
                if f.first() == Some(&b'+') {
                    if let Some(q) = (2..f.len()).rev().find(|&q| {
                        f[q] == b'{'
                            && (f[q - 1] == b')'
                                || f[1..q].ends_with(b"do")
                                || f[1..q].ends_with(b"else"))
                    }) {
                        f.insert(q, b' ');
                    }
                }
            }
        }
    }
    // }(?!(?:,|;|\)|\}))\S
    {
        let hit = (0..line.len()).any(|p| {
            line[p] == b'}'
                && line
                    .get(p + 1)
                    .is_some_and(|&b| !is_space(b) && !b",;)}".contains(&b))
        });
        if hit && rep(c, Level::Error, "space required after that close brace '}'") {
            if let Some(f) = c.fix_line() {
                if let Some(p) = (0..f.len()).find(|&p| {
                    f[p] == b'}'
                        && f.get(p + 1)
                            .is_some_and(|&b| !is_space(b) && !b",;)".contains(&b))
                }) {
                    f.insert(p + 1, b' ');
                }
            }
        }
    }
    // \[\s and not \[\s*$
    {
        let hit = (0..line.len())
            .any(|p| line[p] == b'[' && line.get(p + 1).is_some_and(|&b| is_space(b)))
            && !(0..line.len()).any(|p| line[p] == b'[' && skip_space(line, p + 1) == line.len());
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited after that open square bracket '['",
            )
        {
            if let Some(f) = c.fix_line() {
                if let Some(p) = (0..f.len())
                    .find(|&p| f[p] == b'[' && f.get(p + 1).is_some_and(|&b| is_space(b)))
                {
                    let e = skip_space(f, p + 1);
                    f.drain(p + 1..e);
                }
            }
        }
    }
    // \s\]
    {
        let hit = (1..line.len()).any(|p| line[p] == b']' && is_space(line[p - 1]));
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited before that close square bracket ']'",
            )
        {
            if let Some(f) = c.fix_line() {
                drop_space_before(f, b']');
            }
        }
    }
    // \(\s, not \(\s*(?:\\)?$, not for\s*\(\s+;
    {
        let hit = (0..line.len())
            .any(|p| line[p] == b'(' && line.get(p + 1).is_some_and(|&b| is_space(b)))
            && !(0..line.len()).any(|p| {
                line[p] == b'(' && {
                    let k = skip_space(line, p + 1);
                    k == line.len() || (line[k] == b'\\' && k + 1 == line.len())
                }
            })
            && !for_paren(line, |s, k| {
                let e = skip_space(s, k);
                e > k && s.get(e) == Some(&b';')
            });
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited after that open parenthesis '('",
            )
        {
            if let Some(f) = c.fix_line() {
                if let Some(p) = (0..f.len())
                    .find(|&p| f[p] == b'(' && f.get(p + 1).is_some_and(|&b| is_space(b)))
                {
                    let e = skip_space(f, p + 1);
                    f.drain(p + 1..e);
                }
            }
        }
    }
    // (\s+)\), not ^.\s*\), not for\s*\(.*;\s+\), not :\s+\)
    {
        let hit = (1..line.len()).any(|p| line[p] == b')' && is_space(line[p - 1]))
            && (line.len() <= 1 || line.get(skip_space(line, 1)) != Some(&b')'))
            && !for_paren(line, |s, k| {
                (k..s.len()).any(|q| {
                    s[q] == b';' && {
                        let e = skip_space(s, q + 1);
                        e > q + 1 && s.get(e) == Some(&b')')
                    }
                })
            })
            && !(0..line.len()).any(|p| {
                line[p] == b':' && {
                    let e = skip_space(line, p + 1);
                    e > p + 1 && line.get(e) == Some(&b')')
                }
            });
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited before that close parenthesis ')'",
            )
        {
            if let Some(f) = c.fix_line() {
                drop_space_before(f, b')');
            }
        }
    }
    // \b(if|while|for|switch)\(
    {
        let hit = kw_paren(line).is_some();
        if hit
            && rep(
                c,
                Level::Error,
                "space required before the open parenthesis '('",
            )
        {
            if let Some(f) = c.fix_line() {
                if let Some(p) = kw_paren(f) {
                    f.insert(p, b' ');
                }
            }
        }
    }
    // ^.\s*\#\s*(ifdef|ifndef|elif)\s\s+
    if line.len() > 1 {
        let a = skip_space(line, 1);
        if line.get(a) == Some(&b'#') {
            let b = skip_space(line, a + 1);
            if let Some(w) = [&b"ifdef"[..], b"ifndef", b"elif"]
                .iter()
                .find(|w| line[b..].starts_with(w))
            {
                let k = b + w.len();
                let e = skip_space(line, k);
                if e >= k + 2 {
                    let msg = format!("exactly one space required after that #{}", text(w));
                    if rep(c, Level::Error, &msg) {
                        if let Some(f) = c.fix_line() {
                            if f.len() > 1 {
                                let a = skip_space(f, 1);
                                if f.get(a) == Some(&b'#') {
                                    let b = skip_space(f, a + 1);
                                    if let Some(w) = [&b"ifdef"[..], b"ifndef", b"elif"]
                                        .iter()
                                        .find(|w| f[b..].starts_with(w))
                                    {
                                        let k = b + w.len();
                                        let e = skip_space(f, k);
                                        if e >= k + 2 {
                                            f.splice(k..e, [b' ']);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `\(\s*$Type\s*\)` is `s[p..e]` with nothing but the type and spaces (`\($Type\)\{`
/// takes no spaces: the type's own pieces may end in spaces, not start with them).
fn type_exact_paren(s: &[u8], p: usize, e: usize) -> bool {
    let a = p + 1;
    maybe_type_start(s, a) && c_type(s, a).contains(&(e - 1))
}

/// `s/\s+X/X/` for the first run of spaces before `X`.
fn drop_space_before(f: &mut Vec<u8>, x: u8) {
    if let Some(q) = (1..f.len()).find(|&q| f[q] == x && is_space(f[q - 1])) {
        let st = q - f[..q].iter().rev().take_while(|&&b| is_space(b)).count();
        f.drain(st..q);
    }
}

/// `for\s*\(` then `rest` from after the `(`.
fn for_paren(s: &[u8], rest: impl Fn(&[u8], usize) -> bool) -> bool {
    memchr::memmem::find_iter(s, b"for").any(|p| {
        let k = skip_space(s, p + 3);
        s.get(k) == Some(&b'(') && rest(s, k + 1)
    })
}

/// `\b(if|while|for|switch)\(`: where the `(` is.
fn kw_paren(s: &[u8]) -> Option<usize> {
    if ![&b"if("[..], b"while(", b"for(", b"switch("]
        .iter()
        .any(|w| memchr::memmem::find(s, w).is_some())
    {
        return None;
    }
    (0..s.len()).find_map(|p| {
        if p > 0 && is_word(s[p - 1]) {
            return None;
        }
        [&b"if"[..], b"while", b"for", b"switch"]
            .iter()
            .find(|w| s[p..].starts_with(w) && s.get(p + w.len()) == Some(&b'('))
            .map(|w| p + w.len())
    })
}
