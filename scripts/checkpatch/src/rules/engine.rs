// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The engine: the input as checkpatch.pl sees it (a file as a pseudo-patch, the hunks,
//! each line's sanitized `$line`), the [`Checker`] the rules report to, and the --fix
//! output. The line loop that calls the rules is in [`super::process`].

use std::cell::OnceCell;
use std::path::Path;

use super::whitespace::skip_space;
use super::{cat_vet, is_space, process};
use crate::lexer::{self, sanitize, Span};
use crate::{Finding, Input, Level, Options, Outcome};

/// A hunk line for the Rust rules: patch line, file line, raw bytes, added, and its
/// index in the input's lines.
pub(crate) type HunkLine<'a> = (usize, usize, &'a [u8], bool, usize);

/// A line of the (pseudo) patch.
#[derive(Clone, Copy)]
pub(super) struct PLine<'a> {
    pub(super) raw: &'a [u8],
}

/// The file a hunk line belongs to, and where.
#[derive(Clone, Default)]
pub(super) struct FileState {
    pub(super) realfile: String,
    /// A Rust file: the Rust rules apply.
    pub(super) is_rust: bool,
    pub(super) is_source: bool,
    pub(super) checklicenseline: usize,
    /// An `--exclude` glob matches it.
    pub(super) excluded: bool,
}

pub(super) struct Checker<'a> {
    pub(super) opts: &'a Options,
    pub(super) file_mode: bool,
    pub(super) out: Outcome,
    /// checkpatch.pl's @fixed (the lines as --fix rewrites them; empty without --fix).
    pub(super) fixed: Vec<Vec<u8>>,
    /// checkpatch.pl's @fixed_deleted: indexes of lines --fix deletes, in order.
    pub(super) deleted: Vec<usize>,
    /// checkpatch.pl's @fixed_inserted: the lines --fix inserts, each before the line of
    /// the index it names, in the order the rules inserted them.
    pub(super) inserted: Vec<(usize, Vec<u8>)>,
    /// The index of the line being checked ($fixlinenr).
    pub(super) cur: usize,
    /// Words checkpatch.pl may learn as modifiers from the input (`c_decl`), found at
    /// their first use.
    pub(super) learned_modifiers: Option<Vec<Vec<u8>>>,
    /// checkpatch.pl's `%camelcase`: the CamelCase words reported (`c_names`).
    pub(super) camelcase: Vec<Vec<u8>>,
    /// checkpatch.pl's `$camelcase_file_seeded`.
    pub(super) camelcase_file_seeded: bool,
    /// Whether the input may hold the FSF's address at all (`comments::fsf_address`).
    pub(super) fsf_possible: bool,
    /// The statement state of the C rules (`c_stat`).
    pub(super) flow: super::c_stat::Flow,
}

impl Checker<'_> {
    /// The current line as --fix has it so far, when fixing.
    pub(super) fn fix_line(&mut self) -> Option<&mut Vec<u8>> {
        if self.opts.fix {
            self.fixed.get_mut(self.cur)
        } else {
            None
        }
    }

    /// --fix deletes line `idx`.
    pub(super) fn fix_delete(&mut self, idx: usize) {
        if self.opts.fix {
            self.deleted.push(idx);
        }
    }

    /// --fix inserts `line` before line `idx` (checkpatch.pl's fix_insert_line: the line
    /// as given, with no diff marker added).
    pub(super) fn fix_insert(&mut self, idx: usize, line: Vec<u8>) {
        if self.opts.fix {
            self.inserted.push((idx, line));
        }
    }

    #[expect(
        clippy::too_many_arguments,
        reason = "checkpatch.pl's report(level, type, msg) plus where the finding is"
    )]
    pub(super) fn report(
        &mut self,
        level: Level,
        kind: &'static str,
        msg: String,
        file: &str,
        line: usize,
        realline: usize,
        context: Vec<impl Into<Vec<u8>>>,
    ) -> bool {
        let shown = self.opts.shows(kind) && (level != Level::Check || self.opts.strict);
        self.out.findings.push(Finding {
            level,
            kind,
            msg,
            file: file.to_string(),
            line,
            realline,
            context: context.into_iter().map(Into::into).collect(),
        });
        // checkpatch.pl's ERROR/WARN/CHK: whether it was reported (and --fix applies).
        shown
    }

    /// [`Checker::report`] of a finding on line `at` of its file.
    pub(super) fn report_at(
        &mut self,
        at: &At<'_>,
        level: Level,
        kind: &'static str,
        msg: String,
        context: Vec<impl Into<Vec<u8>>>,
    ) -> bool {
        self.report(
            level,
            kind,
            msg,
            at.realfile,
            at.report_line,
            at.realline,
            context,
        )
    }

    /// WARNING in a patch, CHECK with -f (checkpatch.pl's `$msg_level = \&CHK if ($file)`).
    pub(super) fn warn_or_check(&self) -> Level {
        if self.file_mode {
            Level::Check
        } else {
            Level::Warning
        }
    }
}

/// The line being checked and where a finding on it is: checkpatch.pl's `$here`,
/// `$herecurr` and the line numbers a finding carries. The texts are built only for a
/// finding.
pub(super) struct At<'a> {
    pub(super) raw: &'a [u8],
    /// `raw`, as UTF-8 (lossy).
    pub(super) rawstr: &'a str,
    /// Its index in the input's lines.
    pub(super) idx: usize,
    /// Its number in the input.
    pub(super) linenr: usize,
    /// The number a finding reports: the file's line with -f, else the input's.
    pub(super) report_line: usize,
    /// Its line in the file the hunk is of.
    pub(super) realline: usize,
    /// The file it is in (empty before the first).
    pub(super) realfile: &'a str,
    file_mode: bool,
    in_hunk: bool,
    here: OnceCell<String>,
    here_file: OnceCell<String>,
}

impl<'a> At<'a> {
    pub(super) fn new(
        raw: &'a [u8],
        rawstr: &'a str,
        idx: usize,
        realline: usize,
        realfile: &'a str,
        file_mode: bool,
        in_hunk: bool,
    ) -> Self {
        let linenr = idx + 1;
        At {
            raw,
            rawstr,
            idx,
            linenr,
            report_line: if file_mode { realline } else { linenr },
            realline,
            realfile,
            file_mode,
            in_hunk,
            here: OnceCell::new(),
            here_file: OnceCell::new(),
        }
    }

    /// checkpatch.pl's `$here`: `#N: `.
    pub(super) fn here(&self) -> &str {
        self.here.get_or_init(|| {
            let n = if self.file_mode {
                self.realline
            } else {
                self.linenr
            };
            let mut s = String::with_capacity(24);
            s.push('#');
            push_number(&mut s, n);
            s.push_str(": ");
            s
        })
    }

    /// `$here` and, in a hunk, `FILE: name:line:`. Built for every C line (the C rules
    /// take it as a string), so without the formatting machinery.
    pub(super) fn here_file(&self) -> &str {
        self.here_file.get_or_init(|| {
            let here = self.here();
            if !self.in_hunk {
                return here.to_string();
            }
            let mut s = String::with_capacity(here.len() + self.realfile.len() + 30);
            s.push_str(here);
            s.push_str("FILE: ");
            s.push_str(self.realfile);
            s.push(':');
            push_number(&mut s, self.realline);
            s.push(':');
            s
        })
    }

    /// checkpatch.pl's `$herecurr`: where, and the line.
    pub(super) fn herecurr(&self) -> Vec<Vec<u8>> {
        vec![self.here_file().as_bytes().to_vec(), self.raw.to_vec()]
    }

    /// `$here . "\n" . cat_vet($rawline)`: where, and the line with its control
    /// characters shown.
    pub(super) fn here_vet(&self) -> Vec<Vec<u8>> {
        vec![self.here_file().as_bytes().to_vec(), cat_vet(self.raw)]
    }
}

/// Appends `n` in decimal.
fn push_number(s: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    s.extend(digits[i..].iter().map(|&d| char::from(d)));
}

/// Builds the lines checkpatch.pl sees for `-f`, `diff -u /dev/null FILE`, into one
/// buffer: the buffer and where each line is in it.
fn file_as_patch(name: &str, bytes: &[u8]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let eof_newline = bytes.last() == Some(&b'\n');
    let body = if eof_newline {
        &bytes[..bytes.len() - 1]
    } else {
        bytes
    };
    let count = if bytes.is_empty() {
        0
    } else {
        memchr::memchr_iter(b'\n', body).count() + 1
    };
    let mut buf = Vec::with_capacity(bytes.len() + count + name.len() + 64);
    let mut at = Vec::with_capacity(count + 4);
    let mut push = |buf: &mut Vec<u8>, parts: &[&[u8]]| {
        let start = buf.len();
        for p in parts {
            buf.extend_from_slice(p);
        }
        at.push((start, buf.len()));
    };
    push(&mut buf, &[b"--- /dev/null"]);
    push(&mut buf, &[b"+++ ", name.as_bytes()]);
    push(&mut buf, &[format!("@@ -0,0 +1,{count} @@").as_bytes()]);
    if count > 0 {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', body).chain([body.len()]) {
            push(&mut buf, &[b"+", &body[start..end]]);
            start = end + 1;
        }
    }
    if !eof_newline && !bytes.is_empty() {
        push(&mut buf, &[b"\\ No newline at end of file"]);
    }
    (buf, at)
}

/// Runs every rule over `input`.
pub(crate) fn run(input: &Input, opts: &Options) -> Outcome {
    let buf;
    let lines: Vec<PLine<'_>> = if input.is_file {
        if input.bytes.is_empty() {
            return Outcome::default();
        }
        let at;
        (buf, at) = file_as_patch(&input.name, &input.bytes);
        at.iter().map(|&(s, e)| PLine { raw: &buf[s..e] }).collect()
    } else {
        let mut v: Vec<PLine<'_>> = input
            .bytes
            .split(|&b| b == b'\n')
            .map(|l| PLine { raw: l })
            .collect();
        if input.bytes.last() == Some(&b'\n') {
            v.pop();
        }
        v
    };
    let mut c = Checker {
        opts,
        file_mode: input.is_file,
        out: Outcome::default(),
        fixed: if opts.fix {
            lines.iter().map(|l| l.raw.to_vec()).collect()
        } else {
            Vec::new()
        },
        deleted: Vec::new(),
        inserted: Vec::new(),
        cur: 0,
        learned_modifiers: None,
        camelcase: Vec::new(),
        camelcase_file_seeded: false,
        fsf_possible: super::comments::fsf_possible(&input.bytes),
        flow: super::c_stat::Flow::default(),
    };
    process::process(&mut c, &lines);
    if opts.fix {
        let changed = !c.deleted.is_empty()
            || !c.inserted.is_empty()
            || c.fixed.iter().zip(&lines).any(|(f, l)| f[..] != *l.raw);
        if changed {
            c.out.fixed = Some(super::fix_output::fixed_output(
                &c.fixed,
                &c.deleted,
                &c.inserted,
                input.is_file,
            ));
        }
    }
    c.out
}

/// checkpatch.pl counts the lines of hunks (`$cnt_lines++ if ($realcnt != 0)`).
pub(super) fn lines_checked(lines: &[PLine<'_>], file_mode: bool) -> usize {
    if file_mode {
        // The three diff header lines are not hunk lines.
        return lines
            .iter()
            .skip(3)
            .filter(|l| l.raw.first() == Some(&b'+'))
            .count();
    }
    let mut realcnt = 0usize;
    let mut n = 0;
    let mut in_log = true;
    for l in lines {
        let s = l.raw;
        if s == b"---" {
            in_log = false;
        }
        if !in_log && s.starts_with(b"@@ -") {
            if let Some((_, count)) = parse_hunk(s) {
                realcnt = count.saturating_add(1);
                continue;
            }
        } else if realcnt == 1 {
            realcnt = 0;
        }
        if realcnt != 0 {
            n += 1;
        }
        if realcnt > 1 && (s.starts_with(b"+") || s.starts_with(b" ") || s.is_empty()) {
            realcnt -= 1;
        }
    }
    n
}

pub(super) fn strip_p1(name: &str, file_mode: bool) -> String {
    if file_mode {
        return name.to_string();
    }
    match name.split_once('/') {
        Some((_, rest)) => rest.to_string(),
        None => name.to_string(),
    }
}

/// `^@@ -\d+(?:,\d+)? \+(\d+)(,(\d+))? @@`: the new range's start and count (1 when
/// absent); numbers too big for a usize saturate.
pub(super) fn parse_hunk(s: &[u8]) -> Option<(usize, usize)> {
    let num = |i: usize| -> Option<(usize, usize)> {
        let n = s[i.min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (n > 0).then(|| {
            let v = s[i..i + n].iter().fold(0usize, |v, &d| {
                v.saturating_mul(10).saturating_add(usize::from(d - b'0'))
            });
            (v, i + n)
        })
    };
    if !s.starts_with(b"@@ -") {
        return None;
    }
    let (_, mut i) = num(4)?;
    if s.get(i) == Some(&b',') {
        i = num(i + 1)?.1;
    }
    if s.get(i..i + 2) != Some(b" +") {
        return None;
    }
    let (start, mut i) = num(i + 2)?;
    let mut count = 1;
    if s.get(i) == Some(&b',') {
        (count, i) = num(i + 1)?;
    }
    (s.get(i..i + 3) == Some(b" @@")).then_some((start, count))
}

pub(super) fn is_source(f: &str) -> bool {
    [".h", ".c", ".rs", ".s", ".S", ".sh", ".dtsi", ".dts"]
        .iter()
        .any(|e| f.ends_with(e))
}

/// checkpatch.pl's $line of every line it sanitizes, without the diff marker.
pub(super) struct Sanitized {
    /// The sanitized text of each hunk.
    pub(super) bufs: Vec<Vec<u8>>,
    /// Where each line is: its hunk's buffer, and its bytes there.
    pub(super) at: Vec<Option<(usize, usize, usize)>>,
    /// Each hunk that does not start in a comment, lexed, for the Rust rules to reuse.
    pub(super) lexed: Vec<Lexed>,
}

/// Lines lexed together.
pub(crate) struct Lexed {
    /// Their indexes in the input's lines.
    pub(crate) lines: Vec<usize>,
    /// Their bodies (without the diff marker), each with a newline.
    pub(crate) text: Vec<u8>,
    /// The comments and literals in `text`.
    pub(crate) spans: Vec<Span>,
}

impl Sanitized {
    /// Line `i` as checkpatch.pl's `$line` has it, without the diff marker, if it
    /// sanitizes that line.
    pub(super) fn body(&self, i: usize) -> Option<&[u8]> {
        self.at[i].map(|(b, s, e)| &self.bufs[b][s..e])
    }
}

/// checkpatch.pl's $line of every line it sanitizes: the lines of a hunk that start with
/// `+`, ` ` or nothing, lexed together from the hunk's header on (a hunk that seems to
/// start inside a block comment starts inside one). Other lines have none.
pub(super) fn sanitized_lines(lines: &[PLine<'_>]) -> Sanitized {
    let mut out = Sanitized {
        bufs: Vec::new(),
        at: vec![None; lines.len()],
        lexed: Vec::new(),
    };
    let mut seg: Vec<usize> = Vec::new();
    let mut seg_comment = false;
    let flush = |seg: &mut Vec<usize>, in_comment: bool, out: &mut Sanitized| {
        if seg.is_empty() {
            return;
        }
        let mut joined = Vec::new();
        for &i in seg.iter() {
            joined.extend_from_slice(lines[i].raw.get(1..).unwrap_or(&[]));
            joined.push(b'\n');
        }
        let clean = if in_comment {
            sanitize(&joined, true)
        } else {
            let spans = lexer::spans(&joined);
            let clean = lexer::sanitize_spans(&joined, &spans);
            out.lexed.push(Lexed {
                lines: seg.clone(),
                text: joined,
                spans,
            });
            clean
        };
        let b = out.bufs.len();
        let mut at = 0;
        for &i in seg.iter() {
            let len = lines[i].raw.len().saturating_sub(1);
            out.at[i] = Some((b, at, at + len));
            at += len + 1;
        }
        out.bufs.push(clean);
        seg.clear();
    };
    let mut realcnt = 0usize;
    for (i, l) in lines.iter().enumerate() {
        let raw = l.raw;
        let plain = raw.first().is_none_or(|&b| b == b'+' || b == b' ');
        if let Some((_, count)) = parse_hunk(raw) {
            flush(&mut seg, seg_comment, &mut out);
            realcnt = count.saturating_add(1);
            seg_comment = hunk_starts_in_comment(lines, i, realcnt);
        } else if realcnt != 0 && plain {
            seg.push(i);
        }
        if realcnt > 1 {
            if plain {
                realcnt -= 1;
            }
        } else {
            realcnt = 0;
        }
    }
    flush(&mut seg, seg_comment, &mut out);
    out
}

/// checkpatch.pl's guess whether the hunk whose header is line `hdr` starts inside a
/// block comment: the first comment edge in it (outside a quoted string) is `*/`, or,
/// with no edge, its first line looks like a block comment's ` * `.
fn hunk_starts_in_comment(lines: &[PLine<'_>], hdr: usize, realcnt: usize) -> bool {
    let mut cnt = realcnt;
    let mut ln = hdr + 1;
    while cnt > 0 {
        let Some(l) = lines.get(ln) else {
            break;
        };
        ln += 1;
        if l.raw.first() == Some(&b'-') {
            continue;
        }
        cnt -= 1;
        let raw = l.raw;
        // The first `/*` or `*/`: around the first star that has a slash by it.
        let edge = memchr::memchr_iter(b'*', raw).find_map(|q| {
            if q > 0 && raw[q - 1] == b'/' {
                Some(b"/*".to_vec())
            } else {
                (raw.get(q + 1) == Some(&b'/')).then(|| b"*/".to_vec())
            }
        });
        if let Some(edge) = edge {
            // m@"[^"]*(?:/\*|\*/)[^"]*"@: an edge between two consecutive quotes.
            let quotes: Vec<usize> = (0..raw.len()).filter(|&i| raw[i] == b'"').collect();
            let quoted = quotes.windows(2).any(|q| {
                raw[q[0] + 1..q[1]]
                    .windows(2)
                    .any(|w| w == b"/*" || w == b"*/")
            });
            if !quoted {
                return edge == b"*/";
            }
        }
    }
    // m@^.\s*(?:\*\*+| \*)(?:\s|$)@ on the line after the header.
    let Some(next) = lines.get(hdr + 1).map(|l| l.raw) else {
        return false;
    };
    if next.is_empty() {
        return false;
    }
    let i = skip_space(next, 1);
    let stars = next[i..].iter().take_while(|&&b| b == b'*').count();
    let after_ok = next.get(i + stars).is_none_or(|&b| is_space(b));
    (stars >= 2 && after_ok)
        || (stars >= 1
            && i > 1
            && next[i - 1] == b' '
            && next.get(i + 1).is_none_or(|&b| is_space(b)))
}

/// Whether `path`'s crate is `#![no_std]`: the nearest Cargo.toml's src/lib.rs or
/// src/main.rs says so.
pub(crate) fn no_std_crate(path: &Path) -> bool {
    let mut dir = path.parent();
    while let Some(d) = dir {
        if d.join("Cargo.toml").is_file() {
            return ["src/lib.rs", "src/main.rs"].iter().any(|r| {
                std::fs::read_to_string(d.join(r))
                    .is_ok_and(|s| s.lines().any(|l| l.trim() == "#![no_std]"))
            });
        }
        dir = d.parent();
    }
    false
}
