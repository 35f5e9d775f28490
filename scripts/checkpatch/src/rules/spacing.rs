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

use super::c_types::{
    c_type, declare, ident, modifier, nonptr_type, with_learned, with_learned_hit, Ends, Learned,
    INLINE, STORAGE,
};
use super::*;

pub(crate) mod annotate;
pub(crate) mod lines;
pub(crate) mod operators;
pub(crate) mod pointer;

pub(super) use annotate::candidates;
use annotate::Annotator;
use lines::line_tests;
use operators::operators;
use pointer::{function_pointer, pointer_location};

fn word_end(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_word(b)).count()
}

fn skip_space(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_space(b)).count()
}

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_'
}

/// `^(word1|word2...)`: the length of the first of `words` (none empty) that `cur`
/// starts with, their first bytes compared before the rest.
#[cfg(test)]
fn first_prefix(cur: &[u8], words: &[&[u8]]) -> Option<usize> {
    let c0 = *cur.first()?;
    words
        .iter()
        .find(|w| w[0] == c0 && cur.starts_with(w))
        .map(|w| w.len())
}

/// The per-input state of this module: the annotations, with and without the learnt
/// types, and the candidate words.
pub(super) struct Spacing {
    ann: [Annotator; 2],
    learned: Rc<Learned>,
    /// The buffers of [`line`], kept from line to line.
    bufs: LineBufs,
}

/// A line's `$opline` and `+$line`, and its values and operator variants with and
/// without the learnt words.
#[derive(Default)]
struct LineBufs {
    opline: Vec<u8>,
    line: Vec<u8>,
    values: [Vec<u8>; 2],
    vars: [Vec<u8>; 2],
}

/// A mode: without (`0`) or with (`1`) the candidate words as types.
fn learned_for(learned: &Rc<Learned>, mode: usize) -> Option<&Rc<Learned>> {
    (mode == 1).then_some(learned)
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
    let builtin = matches!(
        w,
        b"void"
            | b"char"
            | b"short"
            | b"int"
            | b"long"
            | b"unsigned"
            | b"signed"
            | b"float"
            | b"double"
            | b"bool"
            | b"struct"
            | b"union"
            | b"enum"
            | b"const"
            | b"volatile"
            | b"fastcall"
            | b"u_char"
            | b"u_short"
            | b"u_int"
            | b"u_long"
            | b"unchar"
            | b"ushort"
            | b"uint"
            | b"ulong"
            | b"FILE"
            | b"u8"
            | b"u16"
            | b"u32"
            | b"u64"
            | b"s8"
            | b"s16"
            | b"s32"
            | b"s64"
            | b"be16"
            | b"be32"
            | b"be64"
            | b"le16"
            | b"le32"
            | b"le64"
            | b"be8"
            | b"le8"
            | b"____cacheline_aligned"
            | b"____cacheline_aligned_in_smp"
            | b"____cacheline_internodealigned_in_smp"
    );
    builtin || is_learned(w)
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

/// `$Ident`'s ends at `i`, without the matcher's work for a plain word.
fn ident_ends(s: &[u8], i: usize) -> Ends {
    if !s.get(i).is_some_and(|&b| ident_start(b)) {
        return Ends::new();
    }
    let e = word_end(s, i);
    if s.get(skip_space(s, e)) == Some(&b'#') {
        return ident(s, i);
    }
    (i + 1..=e).collect()
}

impl Spacing {
    pub(super) fn new(learned: Rc<Learned>) -> Self {
        Spacing {
            ann: [Annotator::default(), Annotator::default()],
            learned,
            bufs: LineBufs::default(),
        }
    }

    /// A hunk header: annotate_reset() and `$prev_values = 'E'`.
    pub(super) fn reset(&mut self) {
        self.ann = [Annotator::default(), Annotator::default()];
    }
}

fn ends_with_space(s: &[u8]) -> bool {
    s.last().is_some_and(|&b| is_space(b))
}

/// Whether a `$Modifier` may start at `i` (the first byte of every one, or a learnt word).
fn maybe_modifier(s: &[u8], i: usize) -> bool {
    matches!(s.get(i), Some(b'c' | b'v' | b'_' | b'f'))
        || (s.get(i).is_some_and(|&b| ident_start(b)) && is_learned(&s[i..word_end(s, i)]))
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
    after_cast: impl FnOnce(&mut Checker<'_>),
) {
    let LineBufs {
        opline,
        line,
        values,
        vars,
    } = &mut sp.bufs;
    opline.clear();
    opline.push(b' ');
    opline.extend_from_slice(l.body);
    opline.push(b'\n');
    let mut learned_hit = true;
    // With the learnt words first: when the two annotations start from the same state
    // and no learnt word was looked up, the other is the same (the common case).
    let same_start = sp.ann[0] == sp.ann[1];
    for mode in [1, 0] {
        if mode == 0 && same_start && !learned_hit {
            let [a0, a1] = &mut sp.ann;
            a0.clone_from(a1);
            let [v0, v1] = values;
            v0.clone_from(v1);
            let [r0, r1] = vars;
            r0.clone_from(r1);
            continue;
        }
        let learned = learned_for(&sp.learned, mode);
        let ann = &mut sp.ann[mode];
        let (v, var) = (&mut values[mode], &mut vars[mode]);
        v.clear();
        v.push(ann.prev);
        let ((), hit) = with_learned_hit(learned, || ann.annotate(opline, v, var));
        ann.prev = *v.last().unwrap_or(&b'E');
        learned_hit = hit;
    }
    if l.raw.first() != Some(&b'+') {
        return;
    }
    opline.pop();
    line.clear();
    line.push(b'+');
    line.extend_from_slice(l.body);
    let (opline, line) = (&opline[..], &line[..]);
    let file = fs.realfile.as_str();
    let st = Site {
        l,
        line,
        file,
        here,
        learned: &sp.learned,
    };

    cast_space(c, &st);
    // The rules checkpatch.pl runs between its cast test and the rest (UNSPECIFIED_INT):
    // the operator loop's fix rebuilds the line from `$rawline`, undoing theirs.
    after_cast(c);
    pointer_location(c, &st);
    function_pointer(c, &st);
    bracket_space(c, &st);
    function_paren(c, &st);
    if !include_line(line) {
        operators(c, l, opline, (values, vars), file, here, &sp.learned);
    }
    line_tests(c, &st);
}

/// `$line =~ /\#\s*include/`.
fn include_line(line: &[u8]) -> bool {
    memchr::memchr_iter(b'#', line).any(|p| line[skip_space(line, p + 1)..].starts_with(b"include"))
}

/// An added line as this module's rules see it (`+` and its `$line`), and what a
/// finding on it needs.
struct Site<'a> {
    l: &'a Line<'a>,
    line: &'a [u8],
    file: &'a str,
    here: &'a str,
    learned: &'a Rc<Learned>,
}

impl Site<'_> {
    /// Reports a finding on the line, with the line as its context: whether it is shown
    /// (and --fix applies).
    fn report(&self, c: &mut Checker<'_>, level: Level, kind: &'static str, msg: String) -> bool {
        c.report(
            level,
            kind,
            msg,
            self.file,
            self.l.report_line,
            self.l.realline,
            vec![self.here.as_bytes().to_vec(), self.l.raw.to_vec()],
        )
    }
}

/// Whether `f` holds both with and without the learnt words.
fn agree(learned: &Rc<Learned>, f: impl Fn() -> bool) -> bool {
    // With the learnt words first: when none was looked up, `f` is the same without.
    let (with, hit) = with_learned_hit(Some(learned), &f);
    with && (!hit || with_learned(None, &f))
}

/// The same result with and without the learnt words.
fn same<T: PartialEq>(learned: &Rc<Learned>, f: impl Fn() -> T) -> Option<T> {
    let (b, hit) = with_learned_hit(Some(learned), &f);
    if !hit {
        return Some(b);
    }
    let a = with_learned(None, &f);
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
fn cast_space(c: &mut Checker<'_>, st: &Site<'_>) {
    let (line, learned) = (st.line, st.learned);
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
        && same(learned, || fix_at(st.l.raw)).is_some()
        && st.report(
            c,
            Level::Check,
            "SPACING",
            "No space is necessary after a cast".into(),
        )
    {
        if let Some(f) = c.fix_line() {
            if let Some((e, n)) = with_learned(None, || fix_at(f)) {
                f.drain(e..e + n);
            }
        }
    }
}

/// Could a `$NonptrType` start at `i`: a cheap test before the matcher.
fn type_start(s: &[u8], i: usize) -> bool {
    (i == 0 || !is_word(s[i - 1])) && maybe_type_start(s, i)
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
fn bracket_space(c: &mut Checker<'_>, st: &Site<'_>) {
    let (line, learned) = (st.line, st.learned);
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
            && st.report(
                c,
                Level::Error,
                "BRACKET_SPACE",
                "space prohibited before open square bracket '['".into(),
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
fn function_paren(c: &mut Checker<'_>, st: &Site<'_>) {
    let (line, learned) = (st.line, st.learned);
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
            && st.report(
                c,
                Level::Warning,
                "SPACING",
                "space prohibited between function name and open parenthesis '('".into(),
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

/// `\(\s*$Type\s*\)` is `s[p..e]` with nothing but the type and spaces (`\($Type\)\{`
/// takes no spaces: the type's own pieces may end in spaces, not start with them).
fn type_exact_paren(s: &[u8], p: usize, e: usize) -> bool {
    let a = p + 1;
    maybe_type_start(s, a) && c_type(s, a).contains(&(e - 1))
}

#[cfg(test)]
mod tests {
    use super::annotate::{assignment, ASSIGNMENTS};
    use super::first_prefix;
    use super::operators::{split_op, OPS};

    /// The operator matchers against their regexes' alternatives, in order, on every
    /// string of up to three of the bytes they hold (and one other).
    #[test]
    fn operator_matchers_take_the_regex_alternative() {
        let bytes = b"<>=!+-*/%^|&~,?:;a";
        let mut cur = Vec::new();
        for &x in bytes {
            for &y in bytes {
                for &z in bytes {
                    for n in 1..=3 {
                        cur.clear();
                        cur.extend_from_slice(&[x, y, z][..n]);
                        assert_eq!(split_op(&cur), first_prefix(&cur, OPS), "{cur:?}");
                        assert_eq!(assignment(&cur), first_prefix(&cur, ASSIGNMENTS), "{cur:?}");
                    }
                }
            }
        }
    }
}
