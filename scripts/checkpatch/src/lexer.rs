// SPDX-License-Identifier: GPL-2.0 OR MIT

//! A Rust tokenizer that classifies every byte of a file as code, comment or string.
//!
//! checkpatch.pl reads every file with C's lexical rules, so the `'` of a lifetime starts a
//! character literal for it and the rest of the line is misread. This lexer knows Rust:
//! line and nested block comments (doc comments included), string, byte string, C string
//! and raw string literals with any number of `#`, character and byte literals, and
//! lifetimes.
//!
//! # Examples
//!
//! ```
//! use checkpatch::lexer::{classify, Class};
//!
//! let src = b"fn f<'a>(s: &'a str) -> &'a str { s } // done\n";
//! let classes = classify(src);
//! assert_eq!(classes[5], Class::Code); // The lifetime is code.
//! assert_eq!(classes[src.len() - 2], Class::Comment);
//! ```

/// What a byte of source belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// Code (also whitespace outside comments and strings).
    Code,
    /// A comment, its delimiters included.
    Comment,
    /// A string or character literal, its delimiters included.
    String,
}

/// A comment or a literal: `src[start..end]`, its contents `src[open..close]` (without
/// the delimiters and prefixes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    pub(crate) class: Class,
    pub(crate) start: usize,
    open: usize,
    close: usize,
    pub(crate) end: usize,
}

/// How the lexer treats a byte where a token may start.
const PLAIN: u8 = 0;
/// An identifier byte that cannot start a literal's prefix.
const IDENT: u8 = 1;
/// `/`, `"`, `'`, and `b`, `c` and `r`, which may start a literal.
const SPECIAL: u8 = 2;

static LEX: [u8; 256] = {
    let mut t = [PLAIN; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if matches!(b, b'/' | b'"' | b'\'' | b'b' | b'c' | b'r') {
            SPECIAL
        } else if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
            IDENT
        } else {
            PLAIN
        };
        i += 1;
    }
    t
};

/// The comments and literals of `src`, in order. Unterminated constructs run to the end
/// of the input.
pub(crate) fn spans(src: &[u8]) -> Vec<Span> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = src.len();
    let at = |i: usize| src.get(i).copied().unwrap_or(0);
    while i < n {
        let c = src[i];
        // Most bytes start nothing: pass over them, and over identifiers, at once.
        match LEX[usize::from(c)] {
            PLAIN => {
                i += 1;
                while i < n && LEX[usize::from(src[i])] == PLAIN {
                    i += 1;
                }
                continue;
            }
            IDENT => {
                i += 1;
                while i < n && is_ident_byte(src[i]) {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        if c == b'/' && at(i + 1) == b'/' {
            let end = src[i..]
                .iter()
                .position(|&b| b == b'\n')
                .map_or(n, |p| i + p);
            out.push(Span {
                class: Class::Comment,
                start: i,
                open: i,
                close: end,
                end,
            });
            i = end;
        } else if c == b'/' && at(i + 1) == b'*' {
            let start = i;
            let mut depth = 0usize;
            while i < n {
                if at(i) == b'/' && at(i + 1) == b'*' {
                    depth += 1;
                    i += 2;
                } else if at(i) == b'*' && at(i + 1) == b'/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
            let end = i.min(n);
            out.push(Span {
                class: Class::Comment,
                start,
                open: start,
                close: end,
                end,
            });
            i = end;
        } else if let Some((open, close, len)) = raw_string(&src[i..]) {
            out.push(Span {
                class: Class::String,
                start: i,
                open: i + open,
                close: i + close,
                end: i + len,
            });
            i += len;
        } else if c == b'"'
            || ((c == b'b' || c == b'c') && at(i + 1) == b'"' && !ident_before(src, i))
        {
            let start = i;
            if c != b'"' {
                i += 1;
            }
            i += 1;
            let open = i;
            while i < n && src[i] != b'"' {
                if src[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            let close = i.min(n);
            let end = (i + 1).min(n);
            out.push(Span {
                class: Class::String,
                start,
                open,
                close,
                end,
            });
            i = end;
        } else if c == b'\'' || (c == b'b' && at(i + 1) == b'\'' && !ident_before(src, i)) {
            let q = if c == b'b' { i + 1 } else { i };
            match char_literal(src, q) {
                Some(end) => {
                    out.push(Span {
                        class: Class::String,
                        start: i,
                        open: q + 1,
                        close: end - 1,
                        end,
                    });
                    i = end;
                }
                // A lifetime or a label: code.
                None => i = q + 1,
            }
        } else if is_ident_byte(c) {
            // Skip a whole identifier so a `b` or `r` inside one is not a prefix.
            while i < n && is_ident_byte(src[i]) {
                i += 1;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// Classifies each byte of `src`. Unterminated constructs run to the end of the input.
pub fn classify(src: &[u8]) -> Vec<Class> {
    classify_spans(src.len(), &spans(src))
}

/// [`classify`], given the spans of the `len` bytes.
pub(crate) fn classify_spans(len: usize, spans: &[Span]) -> Vec<Class> {
    let mut out = vec![Class::Code; len];
    for s in spans {
        out[s.start..s.end].fill(s.class);
    }
    out
}

/// The byte checkpatch.pl's sanitise_line puts in place of a comment byte (Perl's `$;`).
pub const COMMENT_BYTE: u8 = 0x1c;

/// `src` as checkpatch.pl's sanitise_line leaves it (its `$line`), with this lexer deciding
/// what is a comment or a literal: comment bytes, delimiters included, become
/// [`COMMENT_BYTE`], the contents of strings and character literals `X`, tabs and line
/// ends stay, and so does everything else. With `in_comment`, `src` starts inside a block
/// comment (checkpatch.pl's guess at the start of a hunk).
///
/// # Examples
///
/// ```
/// use checkpatch::lexer::sanitize;
///
/// let s = sanitize(b"f(\"a\tb\"); // x\n", false);
/// assert_eq!(s, b"f(\"X\tX\"); \x1c\x1c\x1c\x1c\n");
/// ```
pub fn sanitize(src: &[u8], in_comment: bool) -> Vec<u8> {
    let buf;
    let (text, skip) = if in_comment {
        let mut b = b"/*".to_vec();
        b.extend_from_slice(src);
        buf = b;
        (&buf[..], 2)
    } else {
        (src, 0)
    };
    sanitize_spans(text, &spans(text)).split_off(skip)
}

/// [`sanitize`] of `src` (not in a comment), given its spans.
pub(crate) fn sanitize_spans(src: &[u8], spans: &[Span]) -> Vec<u8> {
    let mut out = src.to_vec();
    for s in spans {
        let (from, to) = if s.class == Class::Comment {
            (s.start, s.end)
        } else {
            (s.open, s.close)
        };
        let fill = if s.class == Class::Comment {
            COMMENT_BYTE
        } else {
            b'X'
        };
        // Every byte but tabs and line ends: fill, then put those back.
        out[from..to].fill(fill);
        for p in memchr::memchr2_iter(b'\t', b'\n', &src[from..to]) {
            out[from + p] = src[from + p];
        }
    }
    out
}

fn is_ident_byte(b: u8) -> bool {
    LEX[usize::from(b)] != PLAIN && !matches!(b, b'/' | b'"' | b'\'')
}

fn ident_before(src: &[u8], i: usize) -> bool {
    i > 0 && is_ident_byte(src[i - 1])
}

/// A raw string literal (`r"..."`, `br#"..."#`, `cr"..."`) at the start of `s`: where its
/// contents start and end, and its length.
fn raw_string(s: &[u8]) -> Option<(usize, usize, usize)> {
    let mut i = 0;
    if s.first() == Some(&b'b') || s.first() == Some(&b'c') {
        i += 1;
    }
    if s.get(i) != Some(&b'r') {
        return None;
    }
    i += 1;
    let hashes = s[i..].iter().take_while(|&&b| b == b'#').count();
    i += hashes;
    if s.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    let open = i;
    while i < s.len() {
        if s[i] == b'"'
            && s.len() >= i + 1 + hashes
            && s[i + 1..i + 1 + hashes].iter().all(|&b| b == b'#')
        {
            return Some((open, i, i + 1 + hashes));
        }
        i += 1;
    }
    Some((open, s.len(), s.len()))
}

/// End of a character literal whose quote is at `q`, or `None` for a lifetime.
fn char_literal(src: &[u8], q: usize) -> Option<usize> {
    let at = |i: usize| src.get(i).copied().unwrap_or(0);
    if at(q + 1) == b'\\' {
        // An escape: runs to the closing quote.
        let mut i = q + 2;
        while i < src.len() && src[i] != b'\'' && src[i] != b'\n' {
            i += 1;
        }
        return (at(i) == b'\'').then_some(i + 1);
    }
    // One character (possibly multi-byte UTF-8), then the closing quote.
    let len = match at(q + 1) {
        0..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    };
    (at(q + 1) != b'\'' && at(q + 1 + len) == b'\'').then_some(q + 2 + len)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(src: &str) -> String {
        classify(src.as_bytes())
            .iter()
            .map(|c| match c {
                Class::Code => 'c',
                Class::Comment => '/',
                Class::String => 's',
            })
            .collect()
    }

    #[test]
    fn lifetimes_are_code_and_chars_are_strings() {
        assert_eq!(show("&'a x 'b' '\\n'"), "ccccccssscssss");
    }

    #[test]
    fn nested_block_comments() {
        assert_eq!(show("a /* x /* y */ z */ b"), "cc/////////////////cc");
    }

    #[test]
    fn raw_and_byte_strings() {
        assert_eq!(show(r##"r#"a"b"# br"x" b"y""##), "sssssssscssssscssss");
        assert_eq!(show("bar\"q\""), "cccsss");
    }

    #[test]
    fn sanitized_as_checkpatch_pl() {
        assert_eq!(
            sanitize(b"x /* a */ r#\"q\"# 'c' // d\r", false),
            b"x \x1c\x1c\x1c\x1c\x1c\x1c\x1c r#\"X\"# 'X' \x1c\x1c\x1c\x1c\x1c"
        );
        assert_eq!(
            sanitize(b" * a */ b\n", true),
            b"\x1c\x1c\x1c\x1c\x1c\x1c\x1c b\n"
        );
        assert_eq!(sanitize(b"\"a\n b\" c", false), b"\"X\nXX\" c");
    }

    #[test]
    fn comment_inside_string_is_string() {
        assert_eq!(show("\"// no\" // yes"), "sssssssc//////");
    }
}
