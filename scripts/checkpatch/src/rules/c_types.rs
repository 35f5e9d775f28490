// SPDX-License-Identifier: GPL-2.0 OR MIT

//! checkpatch.pl's C type matchers (`$Ident`, `$Type`, `$Declare`, `$Lval`), as sets of
//! the places where a match that starts at a given place may end: a regex backtracks, so
//! a rule that goes on after a type must try each end.
//!
//! checkpatch.pl adds to its types and modifiers the ones it guesses from the file as it
//! reads it (`@typeListFile`, `@modifierListFile`); these matchers know the built-in ones
//! only, and neither `typeof(...)`, `__aligned(...)` and `__alloc_size(...)` nor the
//! misordered C90 types (`char unsigned`). They match a subset of what checkpatch.pl's
//! match, so a rule that needs one to match reports a subset of checkpatch.pl's findings.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::RangeInclusive;
use std::rc::Rc;

use super::is_word;

thread_local! {
    /// Words taken as types and modifiers besides the built-in ones while
    /// [`with_learned`] runs (the rules that must decide as checkpatch.pl would after it
    /// learnt a file's types try both ways).
    static LEARNED: RefCell<Option<Rc<Learned>>> = const { RefCell::new(None) };
    /// Whether a lookup found a learnt word while [`with_learned_hit`] runs.
    static HIT: Cell<bool> = const { Cell::new(false) };
}

/// FNV-1a over a word's bytes: the learnt sets are looked up for nearly every word of a
/// C line, and their keys are a file's own identifiers, so a hash that resists chosen keys
/// (std's SipHash, several times the cost on words this short) buys nothing here.
#[derive(Clone, Copy)]
pub(super) struct WordHasher(u64);

impl Default for WordHasher {
    fn default() -> Self {
        Self(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A set of words hashed with [`WordHasher`].
pub(super) type WordSet = HashSet<Vec<u8>, BuildHasherDefault<WordHasher>>;

/// Words taken as types (checkpatch.pl's `@typeListFile`) and as modifiers
/// (`@modifierListFile`).
#[derive(Default)]
pub(super) struct Learned {
    pub(super) types: WordSet,
    pub(super) modifiers: WordSet,
    /// Both, for the lookups that take either (one hash instead of two): filled by
    /// [`Learned::seal`].
    either: WordSet,
}

impl Learned {
    /// Once the words are all in: drops those checkpatch.pl's `possible()` never learns
    /// (its `$notPermitted`), and fills the set of both kinds.
    pub(super) fn seal(&mut self) {
        self.types.retain(|w| permitted(w));
        self.modifiers.retain(|w| permitted(w));
        self.either = self.types.union(&self.modifiers).cloned().collect();
    }
}

/// Whether `possible()` may learn the word `w`: not a keyword it refuses (`goto`,
/// `return`, `case`, `else`, `asm`, `do`, `typedef`, `struct`, `enum`), a `DEFINE_` word,
/// nor already a `$Modifier`, `$Storage` or `$Type` by itself.
fn permitted(w: &[u8]) -> bool {
    !(matches!(
        w,
        b"goto"
            | b"return"
            | b"case"
            | b"else"
            | b"asm"
            | b"__asm__"
            | b"do"
            | b"typedef"
            | b"struct"
            | b"enum"
            | b"extern"
            | b"static"
            | b"asmlinkage"
    ) || (w.starts_with(b"DEFINE_") && w.len() > 7)
        || with_learned(None, || {
            (matches!(w.first(), Some(b'c' | b'v' | b'_' | b'f'))
                && modifier(w, 0).contains(&w.len()))
                || (super::spacing::maybe_type_start(w, 0) && c_type(w, 0).contains(&w.len()))
        }))
}

/// Runs `f` with `words` also taken as types and modifiers, or with the built-in ones
/// only for `None`.
pub(super) fn with_learned<T>(words: Option<&Rc<Learned>>, f: impl FnOnce() -> T) -> T {
    let old = LEARNED.with(|l| l.replace(words.cloned()));
    let out = f();
    LEARNED.with(|l| *l.borrow_mut() = old);
    out
}

/// [`with_learned`], and whether a lookup found one of the learnt words: when none did,
/// `f` gave what it gives with the built-in words only.
pub(super) fn with_learned_hit<T>(words: Option<&Rc<Learned>>, f: impl FnOnce() -> T) -> (T, bool) {
    let outer = HIT.replace(false);
    let out = with_learned(words, f);
    let hit = HIT.get();
    HIT.set(outer || hit);
    (out, hit)
}

/// Whether `w` is one of the learnt types or modifiers in effect.
pub(super) fn is_learned(w: &[u8]) -> bool {
    let found = LEARNED.with(|l| l.borrow().as_ref().is_some_and(|l| l.either.contains(w)));
    if found {
        HIT.set(true);
    }
    found
}

/// The whole word at `i`, when it is one of the learnt types (or modifiers): its end.
fn learned(s: &[u8], i: usize, modifiers: bool) -> Option<usize> {
    LEARNED.with(|l| {
        let l = l.borrow();
        let l = l.as_ref()?;
        let set = if modifiers { &l.modifiers } else { &l.types };
        if i > 0 && is_word(s[i - 1]) {
            return None;
        }
        let n = s[i..].iter().take_while(|&&b| is_word(b)).count();
        let found = n > 0 && set.contains(&s[i..i + n]);
        if found {
            HIT.set(true);
        }
        found.then_some(i + n)
    })
}

/// The places a match may end.
pub(super) type Ends = Vec<usize>;

fn space(b: u8) -> bool {
    super::is_space(b)
}

/// `\s*` from `i`: every end (a regex gives back what it took), as a range, which the
/// matchers iterate without an allocation.
fn spaces_any(s: &[u8], i: usize) -> RangeInclusive<usize> {
    let n = s[i..].iter().take_while(|&&b| space(b)).count();
    i..=i + n
}

/// `\s+` from `i` (an empty range when no space follows).
fn spaces_some(s: &[u8], i: usize) -> RangeInclusive<usize> {
    let n = s[i..].iter().take_while(|&&b| space(b)).count();
    i + 1..=i + n
}

/// `\b` at `i`.
fn boundary(s: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word(s[i - 1]);
    let after = i < s.len() && is_word(s[i]);
    before != after
}

/// A literal at `i`.
fn lit(s: &[u8], i: usize, w: &[u8]) -> Option<usize> {
    s[i..].starts_with(w).then_some(i + w.len())
}

/// `[A-Za-z_][A-Za-z\d_]*` from `i`: every end.
fn word(s: &[u8], i: usize) -> Ends {
    if !s
        .get(i)
        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
    {
        return Ends::new();
    }
    let n = s[i..].iter().take_while(|&&b| is_word(b)).count();
    (i + 1..=i + n).collect()
}

/// `$Ident`: `[A-Za-z_][A-Za-z\d_]*(?:\s*\#\#\s*[A-Za-z_][A-Za-z\d_]*)*`.
pub(super) fn ident(s: &[u8], i: usize) -> Ends {
    let mut out = word(s, i);
    // The ends inside the word are followed by a word byte, not `\s*##`: without `##`
    // after the whole word, the word's ends are all (the common case).
    if out.last().is_none_or(|&e| {
        let a = e + s[e..].iter().take_while(|&&b| space(b)).count();
        !s[a..].starts_with(b"##")
    }) {
        return out;
    }
    let mut k = 0;
    while k < out.len() {
        let e = out[k];
        for a in spaces_any(s, e) {
            if let Some(b) = lit(s, a, b"##") {
                for c in spaces_any(s, b) {
                    for d in word(s, c) {
                        if !out.contains(&d) {
                            out.push(d);
                        }
                    }
                }
            }
        }
        k += 1;
    }
    out
}

fn one_of(s: &[u8], i: usize, words: &[&[u8]]) -> Ends {
    words.iter().filter_map(|w| lit(s, i, w)).collect()
}

/// `$Modifier` (`$Attribute`, `$Sparse`, `fastcall`) at `i`, but the parenthesized
/// `__aligned(...)` and `__alloc_size(...)`.
pub(super) fn modifier(s: &[u8], i: usize) -> Ends {
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
    if !matches!(s.get(i), Some(b'c' | b'v' | b'_' | b'f')) {
        // No built-in modifier starts here (nor `__init` and the others below).
        return learned(s, i, true).into_iter().collect();
    }
    // Every word here is made of word bytes, so each one that matches is a prefix of the
    // word at `i`; comparing the first and third bytes first keeps most out cheaply.
    let w = &s[i..i + s[i..].iter().take_while(|&&b| is_word(b)).count()];
    let mut out: Ends = WORDS
        .iter()
        .filter(|m| m.len() <= w.len() && m[0] == w[0] && m[2] == w[2] && w.starts_with(m))
        .map(|m| i + m.len())
        .collect();
    out.extend(learned(s, i, true));
    // $InitAttribute: __(?:mem|cpu|dev|net_|)(?:initdata|initconst|init)\b
    if let Some(a) = lit(s, i, b"__") {
        for p in [&b"mem"[..], b"cpu", b"dev", b"net_", b""] {
            if let Some(b) = lit(s, a, p) {
                for t in [&b"initdata"[..], b"initconst", b"init"] {
                    if let Some(c) = lit(s, b, t).filter(|&c| boundary(s, c)) {
                        out.push(c);
                    }
                }
            }
        }
    }
    out
}

/// `$typeTypedefs` at `i`, with the `\b` after it.
fn typedefs(s: &[u8], i: usize) -> Ends {
    let mut out = Ends::new();
    let w = word(s, i);
    let Some(&end) = w.last() else {
        return out;
    };
    // Every word-bounded candidate is a whole word here: these have no `$Ident` inside.
    let t = &s[i..end];
    let bits = |x: &[u8]| matches!(x, b"8" | b"16" | b"32" | b"64");
    let c99 = {
        // (?:__)?(?:[us]_?)?int_?(?:8|16|32|64)_t
        let x = t.strip_prefix(b"__").unwrap_or(t);
        let x = match x.first() {
            Some(b'u' | b's') if x.get(1..).is_some_and(|r| r.starts_with(b"int")) => &x[1..],
            Some(b'u' | b's') if x.get(1..).is_some_and(|r| r.starts_with(b"_int")) => &x[2..],
            _ => x,
        };
        x.strip_prefix(b"int")
            .map(|r| r.strip_prefix(b"_").unwrap_or(r))
            .and_then(|r| r.strip_suffix(b"_t"))
            .is_some_and(bits)
    };
    let other = matches!(
        t,
        b"u_char" | b"u_short" | b"u_int" | b"u_long" | b"unchar" | b"ushort" | b"uint" | b"ulong"
    );
    let kernel = {
        let x = t.strip_prefix(b"__").unwrap_or(t);
        let rest = [&b"be"[..], b"le", b"u", b"s"]
            .iter()
            .find_map(|p| x.strip_prefix(*p).filter(|r| bits(r)));
        rest.is_some() || t == b"atomic_t"
    };
    if c99 || other || kernel || t == b"FILE" {
        out.push(end);
    }
    out
}

/// The words of `@typeList`'s integer types after the optional `(?:un)?signed`, in its
/// order.
const C_INTS: &[&[&[u8]]] = &[
    &[b"char"],
    &[b"short", b"int"],
    &[b"short"],
    &[b"int"],
    &[b"long", b"int"],
    &[b"long", b"long", b"int"],
    &[b"long", b"long"],
    &[b"long"],
];

/// `$all\b`: the built-in `@typeList` but the misordered types, with the `\b` after it.
///
/// Each of its words must be a whole word here (a literal followed by `\s+` or `\b`), so
/// the match is decided on the words from `i`; an `$Ident` with `##` after it takes the
/// regex's way ([`all_types_pasted`]).
fn all_types(s: &[u8], i: usize) -> Ends {
    let mut out = Ends::new();
    if !s
        .get(i)
        .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
    {
        return out;
    }
    // The whole words from `i`, each with its end and the start of the next one (past
    // `\s+`), as far as the longest alternative needs (`unsigned long long int`).
    let mut words: [(&[u8], usize); 4] = [(&[], 0); 4];
    let mut n = 0;
    let mut a = i;
    while n < words.len() {
        let e = a + s[a..].iter().take_while(|&&b| is_word(b)).count();
        if e == a || !(s[a].is_ascii_alphabetic() || s[a] == b'_') {
            break;
        }
        words[n] = (&s[a..e], e);
        n += 1;
        let next = e + s[e..].iter().take_while(|&&b| space(b)).count();
        if next == e {
            break;
        }
        a = next;
    }
    let words = &words[..n];
    let w0 = words[0].0;
    let end0 = words[0].1;
    let pasted = {
        let k = end0 + s[end0..].iter().take_while(|&&b| space(b)).count();
        s[k..].starts_with(b"##")
    };
    if matches!(w0, b"void" | b"float" | b"double" | b"bool") {
        out.push(end0);
    }
    out.extend(learned(s, i, false));
    // (?:(?:un)?signed\s+)? then the words of an integer type.
    let signed = matches!(w0, b"unsigned" | b"signed");
    for from in [0, 1].into_iter().filter(|&k| k == 0 || signed) {
        let rest = &words[from.min(words.len())..];
        for &pattern in C_INTS {
            if rest.len() >= pattern.len() && rest.iter().zip(pattern).all(|(w, p)| w.0 == *p) {
                out.push(rest[pattern.len() - 1].1);
            }
        }
    }
    if signed {
        out.push(end0);
    }
    if matches!(w0, b"struct" | b"union" | b"enum") && words.len() > 1 {
        let b = end0 + s[end0..].iter().take_while(|&&b| space(b)).count();
        out.extend(ident(s, b).into_iter().filter(|&e| boundary(s, e)));
    }
    if pasted {
        out.extend(all_types_pasted(s, i));
    } else if [&b"_t"[..], b"_handler", b"_handler_fn"]
        .iter()
        .any(|x| w0.len() > x.len() && w0.ends_with(x))
    {
        out.push(end0);
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// `$Ident(?:_t|_handler|_handler_fn)\b` at `i`.
fn all_types_pasted(s: &[u8], i: usize) -> Ends {
    let mut out = Ends::new();
    for e in ident(s, i) {
        for suffix in [&b"_t"[..], b"_handler", b"_handler_fn"] {
            out.extend(lit(s, e, suffix).filter(|&x| boundary(s, x)));
        }
    }
    out
}

/// `$NonptrType`.
pub(super) fn nonptr_type(s: &[u8], i: usize) -> Ends {
    // (?:$Modifier\s+|const\s+)*
    let mut starts: Ends = vec![i];
    let mut k = 0;
    while k < starts.len() {
        let p = starts[k];
        for m in modifier(s, p) {
            for e in spaces_some(s, m) {
                if !starts.contains(&e) {
                    starts.push(e);
                }
            }
        }
        k += 1;
    }
    let mut ends = Ends::new();
    for st in starts {
        ends.extend(typedefs(s, st));
        ends.extend(all_types(s, st));
    }
    // (?:\s+$Modifier|\s+const)*
    let mut k = 0;
    while k < ends.len() {
        let p = ends[k];
        for a in spaces_some(s, p) {
            for m in modifier(s, a) {
                if !ends.contains(&m) {
                    ends.push(m);
                }
            }
        }
        k += 1;
    }
    ends
}

/// `$Type`.
pub(super) fn c_type(s: &[u8], i: usize) -> Ends {
    let mut ends = nonptr_type(s, i);
    // (?:(?:\s|\*|\[\])+\s*const|(?:\s|\*\s*(?:const\s*)?|\[\])+|(?:\s*\[\s*\])+){0,4}
    let mut level = ends.clone();
    for _ in 0..4 {
        let mut next = Ends::new();
        for &p in &level {
            next.extend(ptr_piece(s, p));
        }
        next.sort_unstable();
        next.dedup();
        next.retain(|e| !ends.contains(e));
        if next.is_empty() {
            break;
        }
        ends.extend_from_slice(&next);
        level = next;
    }
    // (?:\s+$Inline|\s+$Modifier)*
    let mut k = 0;
    while k < ends.len() {
        let p = ends[k];
        for a in spaces_some(s, p) {
            let mut m = modifier(s, a);
            m.extend(inline(s, a));
            for e in m {
                if !ends.contains(&e) {
                    ends.push(e);
                }
            }
        }
        k += 1;
    }
    ends
}

/// One of `$Type`'s pointer and array pieces.
fn ptr_piece(s: &[u8], i: usize) -> Ends {
    // Each alternative starts with a space, `*` or `[`.
    if !s
        .get(i)
        .is_some_and(|&b| space(b) || b == b'*' || b == b'[')
    {
        return Ends::new();
    }
    // (?:\s|\*|\[\])+ : every end of a run of these.
    let run = |i: usize, star_const: bool| {
        let mut out = Ends::new();
        let mut frontier: Ends = vec![i];
        while let Some(p) = frontier.pop() {
            let mut steps = Ends::new();
            if s.get(p).is_some_and(|&b| space(b)) {
                steps.push(p + 1);
            }
            if s.get(p) == Some(&b'*') {
                steps.push(p + 1);
                if star_const {
                    // \*\s*(?:const\s*)?
                    for a in spaces_any(s, p + 1) {
                        steps.push(a);
                        if let Some(c) = lit(s, a, b"const") {
                            steps.extend(spaces_any(s, c));
                        }
                    }
                }
            }
            if s[p..].starts_with(b"[]") {
                steps.push(p + 2);
            }
            for st in steps {
                if !out.contains(&st) {
                    out.push(st);
                    frontier.push(st);
                }
            }
        }
        out
    };
    let mut out = Ends::new();
    for e in run(i, false) {
        for a in spaces_any(s, e) {
            out.extend(lit(s, a, b"const"));
        }
    }
    out.extend(run(i, true));
    // (?:\s*\[\s*\])+
    let mut frontier: Ends = vec![i];
    while let Some(p) = frontier.pop() {
        for a in spaces_any(s, p) {
            if let Some(b) = lit(s, a, b"[") {
                for c in spaces_any(s, b) {
                    if let Some(d) = lit(s, c, b"]") {
                        if !out.contains(&d) {
                            out.push(d);
                            frontier.push(d);
                        }
                    }
                }
            }
        }
    }
    out
}

/// checkpatch.pl's `$Storage` words.
pub(super) const STORAGE: &[&[u8]] = &[b"extern", b"static", b"asmlinkage"];

/// checkpatch.pl's `$Inline` words.
pub(super) const INLINE: &[&[u8]] = &[
    b"inline",
    b"__always_inline",
    b"noinline",
    b"__inline",
    b"__inline__",
];

/// `$Inline`.
fn inline(s: &[u8], i: usize) -> Ends {
    one_of(s, i, INLINE)
}

/// `$Declare`: `(?:$Storage\s+(?:$Inline\s+)?)?$Type`.
pub(super) fn declare(s: &[u8], i: usize) -> Ends {
    let mut starts: Ends = vec![i];
    for st in one_of(s, i, STORAGE) {
        for a in spaces_some(s, st) {
            starts.push(a);
            for b in inline(s, a) {
                starts.extend(spaces_some(s, b));
            }
        }
    }
    let mut out: Ends = starts.into_iter().flat_map(|st| c_type(s, st)).collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// `$Lval`: `$Ident(?:->$Ident|\.$Ident|\[[^]]*\])*`.
pub(super) fn lval(s: &[u8], i: usize) -> Ends {
    let mut out = ident(s, i);
    let mut k = 0;
    while k < out.len() {
        let p = out[k];
        let mut next = Ends::new();
        for a in lit(s, p, b"->").into_iter().chain(lit(s, p, b".")) {
            next.extend(ident(s, a));
        }
        if s.get(p) == Some(&b'[') {
            if let Some(c) = s[p + 1..].iter().position(|&b| b == b']') {
                // [^]]* is greedy but stops at the first `]`.
                next.push(p + 1 + c + 1);
            }
        }
        for e in next {
            if !out.contains(&e) {
                out.push(e);
            }
        }
        k += 1;
    }
    out
}

/// checkpatch.pl's `$balanced_parens` at `i`: where the group that opens there closes.
pub(super) fn balanced_parens(s: &[u8], i: usize) -> Option<usize> {
    if s.get(i) != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    for (k, &b) in s.iter().enumerate().skip(i) {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// The words checkpatch.pl may learn as modifiers (`possible()`'s `@modifierListFile`)
/// from the sanitized lines: the middle words of a line that starts with three or more
/// identifiers before `;`, `=`, `,` or `(` (`__le16 pin __packed;` teaches it `pin`). A
/// learnt modifier changes what its `$Declare` matches (`unsigned pin` is then a type);
/// checkpatch.pl learns from statements, with its statement parser, and this is a
/// superset of what it can learn that way, so a rule that stays silent on these words
/// reports a subset of its findings.
pub(super) fn possible_modifiers<'a>(bodies: impl Iterator<Item = &'a [u8]>) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = Vec::new();
    for b in bodies {
        let mut words: Vec<&[u8]> = Vec::new();
        let mut i = b.iter().take_while(|&&x| space(x)).count();
        while i < b.len() && (b[i].is_ascii_alphabetic() || b[i] == b'_') {
            let e = i + b[i..].iter().take_while(|&&x| is_word(x)).count();
            words.push(&b[i..e]);
            i = e;
            while i < b.len() && (space(b[i]) || b[i] == b'*') {
                i += 1;
            }
        }
        if words.len() >= 3 && matches!(b.get(i), Some(b';' | b'=' | b',' | b'(')) {
            for w in &words[1..words.len() - 1] {
                if !out.iter().any(|o| o == w) {
                    out.push(w.to_vec());
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keep_boundary(s: &[u8], v: Ends) -> Ends {
        v.into_iter().filter(|&e| boundary(s, e)).collect()
    }

    /// `(?:(?:un)?signed\s+)?` then `rest` words separated by `\s+`.
    fn c_int(s: &[u8], i: usize, words: &[&[u8]]) -> Ends {
        if [
            &b"unsigned"[..],
            b"signed",
            words.first().copied().unwrap_or(b""),
        ]
        .iter()
        .all(|w| lit(s, i, w).is_none())
        {
            // Neither a sign nor the first word: no match (and no allocation).
            return Ends::new();
        }
        let mut starts: Ends = vec![i];
        for sign in [&b"unsigned"[..], b"signed"] {
            if let Some(a) = lit(s, i, sign) {
                starts.extend(spaces_some(s, a));
            }
        }
        let mut out = Ends::new();
        for st in starts {
            let mut ends = vec![st];
            for (k, w) in words.iter().enumerate() {
                let mut next = Ends::new();
                for e in ends {
                    let from = if k == 0 { e..=e } else { spaces_some(s, e) };
                    next.extend(from.filter_map(|f| lit(s, f, w)));
                }
                ends = next;
            }
            out.extend(ends);
        }
        out
    }

    /// [`all_types`] the regex's way, for the test that compares the two:
    /// `$all\b`: the built-in `@typeList` but the misordered types, with the `\b` after it.
    fn all_types_regex(s: &[u8], i: usize) -> Ends {
        let mut out = Ends::new();
        out.extend(one_of(s, i, &[b"void", b"float", b"double", b"bool"]));
        out.extend(learned(s, i, false));
        for &words in C_INTS {
            out.extend(c_int(s, i, words));
        }
        out.extend(one_of(s, i, &[b"unsigned", b"signed"]));
        for kw in [&b"struct"[..], b"union", b"enum"] {
            if let Some(a) = lit(s, i, kw) {
                for b in spaces_some(s, a) {
                    out.extend(ident(s, b));
                }
            }
        }
        for e in ident(s, i) {
            for suffix in [&b"_t"[..], b"_handler", b"_handler_fn"] {
                out.extend(lit(s, e, suffix));
            }
        }
        let mut out = keep_boundary(s, out);
        out.sort_unstable();
        out.dedup();
        out
    }

    fn full(f: fn(&[u8], usize) -> Ends, s: &str) -> bool {
        f(s.as_bytes(), 0).contains(&s.len())
    }

    /// [`all_types`] against the regex's way, at every start, on every run of up to two
    /// words of C types and others with the separators that matter, and on 100,000 runs
    /// of four (a fixed pseudo-random choice).
    #[test]
    fn all_types_matches_the_regex_way() {
        let words = [
            "unsigned",
            "signed",
            "long",
            "int",
            "short",
            "char",
            "struct",
            "union",
            "enum",
            "void",
            "bool",
            "float",
            "double",
            "foo",
            "size_t",
            "_t",
            "irq_handler",
            "x_handler_fn",
            "longer",
            "int8",
            "u32",
            "__le16",
        ];
        let seps = [" ", "  ", "\t", "", "*", " ## ", "##", "x", "(", " \n"];
        let pieces: Vec<String> = words
            .iter()
            .flat_map(|w| seps.iter().map(move |sep| format!("{w}{sep}")))
            .collect();
        let check = |line: &str| {
            let s = line.as_bytes();
            for i in 0..=s.len() {
                assert_eq!(all_types(s, i), all_types_regex(s, i), "{line:?} at {i}");
            }
        };
        for a in &pieces {
            check(a);
            for b in &pieces {
                check(&format!("{a}{b}"));
            }
        }
        let mut x = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            &pieces[(x % pieces.len() as u64) as usize]
        };
        for _ in 0..100_000 {
            let line = format!("{}{}{}{}", next(), next(), next(), next());
            check(&line);
        }
    }

    #[test]
    fn types_match_as_checkpatch_pl_s() {
        for t in [
            "int",
            "unsigned long",
            "unsigned",
            "struct foo *",
            "const struct foo *const",
            "u32",
            "__le16",
            "uint8_t",
            "size_t",
            "irq_handler_t",
            "char **",
            "static inline int",
            "static const char * const",
            "enum x",
            "void __iomem *",
        ] {
            assert!(full(declare, t), "{t}");
        }
        for t in ["foo", "struct", "u33", "intx", "static"] {
            assert!(!full(declare, t), "{t}");
        }
        assert!(full(lval, "a->b.c[i]"));
        assert!(full(ident, "a ## b"));
    }
}
