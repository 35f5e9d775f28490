// SPDX-License-Identifier: GPL-2.0 OR MIT

//! checkpatch.pl's annotate_values(): the value (`T`ype, `V`alue, `N`one, `E`nd,
//! `C`omma, `c`ast, ...) of each byte of a line and the variant of each operator, which
//! the operator loop ([`operators`](mod@super::operators)) reads; and the words
//! checkpatch.pl may learn as types from the input ([`candidates`]).

use super::*;

/// The words checkpatch.pl might learn as types or modifiers from these lines (their
/// `$line`): a superset of what its `possible()` calls can add.
pub(in crate::rules) fn candidates<'a>(bodies: impl Iterator<Item = &'a [u8]>) -> Rc<Learned> {
    let mut l = Learned::default();
    // Open parentheses of a declaration's argument list, carried across lines.
    let mut decl_depth = 0usize;
    for b in bodies {
        collect_candidates(b, &mut l, &mut decl_depth);
    }
    l.seal();
    Rc::new(l)
}

/// One argument of a declaration, `(?:const\s+)?X(?:\s+$Sparse)*\s*\**\s*Y?`: X.
pub(super) fn decl_arg(s: &[u8], l: &mut Learned) {
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

pub(super) fn collect_candidates(s: &[u8], l: &mut Learned, decl_depth: &mut usize) {
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
            let w = &s[a..e];
            STORAGE.contains(&w) || INLINE.contains(&w) || w == b"const"
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
#[derive(PartialEq)]
pub(super) struct Annotator {
    preprocessor: bool,
    pending: u8,
    paren: Vec<u8>,
    pend_colon: u8,
    /// `$prev_values`.
    pub(super) prev: u8,
}

impl Clone for Annotator {
    fn clone(&self) -> Self {
        Annotator {
            paren: self.paren.clone(),
            ..*self
        }
    }

    /// A copy into the stack's buffer (once per line, when the two annotations agree).
    fn clone_from(&mut self, source: &Self) {
        self.preprocessor = source.preprocessor;
        self.pending = source.pending;
        self.paren.clone_from(&source.paren);
        self.pend_colon = source.pend_colon;
        self.prev = source.prev;
    }
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

/// `$Constant` at `i` (the first alternative that matches, as the regex takes it).
pub(super) fn constant(s: &[u8], i: usize) -> Option<usize> {
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

impl Annotator {
    /// annotate_values($stream, $type), `$type` the last of `res`: the value of each byte
    /// of `s`, after those in `res`, and the variant of each operator in `var`.
    ///
    /// The regex tests run in checkpatch.pl's order, but only those that can match the
    /// token's first byte: a word, a `#`, or any other byte.
    pub(super) fn annotate(&mut self, s: &[u8], res: &mut Vec<u8>, var: &mut Vec<u8>) {
        let mut ty = *res.last().unwrap_or(&b'E');
        // `res` holds the values before `s`: a byte's place in `s` is its place in `res`
        // less these.
        let base = res.len();
        var.clear();
        var.resize(s.len(), b'_');
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
            } else if ident_start(c0) {
                len = self.word(s, i, &mut ty);
            } else if c0 == b'#' {
                len = self.preprocessor_line(s, i, &mut ty).unwrap_or(1);
            } else if cur.starts_with(b"\\\n") {
                len = 2;
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
            } else if let Some(e) = constant(s, i) {
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
                var[res.len() - base] = self.pend_colon;
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
                var[res.len() - base] = if ty == b'V' { b'B' } else { b'U' };
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
    }

    /// The tests of [`annotate`](Self::annotate) that can match at a word's first byte
    /// (`$Ident` always does): the token's length.
    fn word(&mut self, s: &[u8], i: usize, ty: &mut u8) -> usize {
        let cur = &s[i..];
        if let Some(e) = type_then(s, i, |e| {
            let k = skip_space(s, e);
            k == s.len()
                || s.get(k)
                    .is_some_and(|&b| ident_start(b) || b"(),".contains(&b))
        }) {
            *ty = b'T';
            return e - i;
        }
        if maybe_modifier(s, i) {
            if let Some(&m) = modifier(s, i).iter().min() {
                *ty = b'T';
                return skip_space(s, m) - i;
            }
        }
        if cur.starts_with(b"__attribute__") {
            self.pending = *ty;
            *ty = b'N';
            return 13;
        }
        if cur.starts_with(b"sizeof") {
            if s.get(skip_space(s, i + 6)) == Some(&b'(') {
                self.pending = b'V';
            }
            *ty = b'N';
            return 6;
        }
        if let Some(l) = keyword(cur, &[b"if", b"while", b"for"]) {
            self.pending = b'E';
            *ty = b'N';
            return l;
        }
        if cur.starts_with(b"case") {
            self.pend_colon = b'C';
            *ty = b'N';
            return 4;
        }
        if let Some(l) = keyword(
            cur,
            &[b"return", b"else", b"goto", b"typeof", b"__typeof__"],
        ) {
            *ty = b'N';
            return l;
        }
        // A word with no `##` after it is the only `$Ident` here that can be followed by
        // `(` or `:` (the ends inside it are followed by a word byte).
        let e = word_end(s, i);
        let k = skip_space(s, e);
        let pasted = s.get(k) == Some(&b'#');
        if let Some(e) = if pasted {
            func_name(s, i)
        } else {
            (s.get(k) == Some(&b'(')).then_some(e)
        } {
            *ty = b'V';
            self.pending = b'V';
            return e - i;
        }
        let colon = if pasted {
            ident_colon(s, i)
        } else {
            (s.get(k) == Some(&b':')).then(|| colon_after(s, i, k))
        };
        if let Some((l, bitfield)) = colon {
            if (bitfield && *ty == b'C') || *ty == b'T' {
                self.pend_colon = b'B';
            } else if *ty == b'E' {
                self.pend_colon = b'L';
            }
            *ty = b'V';
            return l;
        }
        let e = if pasted {
            ident(s, i).into_iter().max().unwrap_or(e)
        } else {
            e
        };
        *ty = b'V';
        e - i
    }

    /// The preprocessor tests of [`annotate`](Self::annotate) at a `#`: the token's
    /// length, if one matches.
    fn preprocessor_line(&mut self, s: &[u8], i: usize, ty: &mut u8) -> Option<usize> {
        if let Some((l, paren)) = preproc(s, i, b"define") {
            self.preprocessor = true;
            self.paren.push(*ty);
            if paren {
                self.pending = b'N';
            }
            *ty = b'E';
            Some(l)
        } else if let Some((l, _)) = preproc(s, i, b"undef") {
            self.preprocessor = true;
            self.paren.push(*ty);
            Some(l)
        } else if let Some((l, _)) = preproc(s, i, b"if") {
            self.preprocessor = true;
            self.paren.push(*ty);
            self.paren.push(*ty);
            *ty = b'E';
            Some(l)
        } else if let Some((l, _)) = preproc(s, i, b"else") {
            self.preprocessor = true;
            let top = *self.paren.last().unwrap_or(&b'E');
            self.paren.push(top);
            *ty = b'E';
            Some(l)
        } else if let Some((l, _)) = preproc(s, i, b"endif") {
            self.preprocessor = true;
            self.paren.pop();
            self.paren.push(*ty);
            *ty = b'E';
            Some(l)
        } else {
            None
        }
    }
}

/// `^(\#\s*define\s*$Ident)(\(?)` and the other preprocessor forms of annotate_values:
/// the length and whether a `(` follows (for `define`).
pub(super) fn preproc(s: &[u8], i: usize, kind: &[u8]) -> Option<(usize, bool)> {
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
pub(super) fn keyword(cur: &[u8], words: &[&[u8]]) -> Option<usize> {
    words
        .iter()
        .find(|w| {
            cur.first() == w.first()
                && cur.starts_with(w)
                && !cur.get(w.len()).is_some_and(|&b| is_word(b))
        })
        .map(|w| w.len())
}

/// `^($Ident)\s*\(`: the identifier's end.
pub(super) fn func_name(s: &[u8], i: usize) -> Option<usize> {
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
pub(super) fn ident_colon(s: &[u8], i: usize) -> Option<(usize, bool)> {
    let mut ends = ident_ends(s, i);
    ends.sort_unstable();
    let e = ends
        .into_iter()
        .rev()
        .find(|&e| s.get(skip_space(s, e)) == Some(&b':'))?;
    Some(colon_after(s, i, skip_space(s, e)))
}

/// [`ident_colon`] once the `:` at `c` is found.
fn colon_after(s: &[u8], i: usize, c: usize) -> (usize, bool) {
    let a = skip_space(s, c + 1);
    let d = a + s[a..].iter().take_while(|b| b.is_ascii_digit()).count();
    let bitfield = d > a && matches!(s.get(skip_space(s, d)), Some(b',' | b'=' | b';'));
    (c - i, bitfield)
}

/// `$Assignment`'s alternatives, in the regex's order.
#[cfg(test)]
pub(super) const ASSIGNMENTS: &[&[u8]] = &[
    b"*=", b"/=", b"%=", b"+=", b"-=", b"<<=", b">>=", b"&=", b"^=", b"|=", b"=",
];

/// `^($Assignment)`: the first of [`ASSIGNMENTS`] that `cur` starts with (no two of
/// them start alike but `=`, which comes last).
pub(super) fn assignment(cur: &[u8]) -> Option<usize> {
    match cur {
        [b'<', b'<', b'=', ..] | [b'>', b'>', b'=', ..] => Some(3),
        [b'*' | b'/' | b'%' | b'+' | b'-' | b'&' | b'^' | b'|', b'=', ..] => Some(2),
        [b'=', ..] => Some(1),
        _ => None,
    }
}

/// `^(-(?![->])|\+(?!\+)|\*|\&\&|\&)`.
pub(super) fn opv(cur: &[u8]) -> Option<usize> {
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
pub(super) fn operator(cur: &[u8]) -> Option<usize> {
    // The alternatives in the regex's order; for each first byte the two-byte ones come
    // before the one-byte one, so the first match is the longest.
    match cur {
        [b'<', b'=' | b'<', ..]
        | [b'>', b'=' | b'>', ..]
        | [b'=', b'=' | b'>', ..]
        | [b'!', b'=', ..]
        | [b'-', b'>' | b'-', ..]
        | [b'&', b'&', ..]
        | [b'|', b'|', ..]
        | [b'+', b'+', ..] => Some(2),
        [b'<' | b'>' | b'!' | b'~' | b',' | b'^' | b'&' | b'|' | b'+' | b'-' | b'*' | b'/', ..]
        | [b'%', ..] => Some(1),
        _ => None,
    }
}
