// SPDX-License-Identifier: GPL-2.0 OR MIT

//! checkpatch.pl's statement parser: `ctx_statement_block`, which reads from a line on
//! until the statement that starts there ends (a `;` or the `}` that closes its block at
//! the outermost level, or the end of a `#define`), and the state the line loop keeps
//! around it (`$suppress_statement`, `%suppress_whiletrailers`, `$context_function`).
//! The rules that test a statement (`$stat`) or its condition (`$cond`) use these.

use std::borrow::Cow;

use super::c::CLine;
use super::*;

/// checkpatch.pl's `$lines[i]`: the sanitized line with its diff marker, or the raw
/// line when it sanitizes none.
pub(super) fn pline<'a>(lines: &'a [PLine<'a>], sane: &'a Sanitized, i: usize) -> Cow<'a, [u8]> {
    let raw = lines[i].raw;
    match (sane.body(i), raw.first()) {
        (Some(b), Some(&m)) => {
            let mut v = Vec::with_capacity(b.len() + 1);
            v.push(m);
            v.extend_from_slice(b);
            Cow::Owned(v)
        }
        _ => Cow::Borrowed(raw),
    }
}

/// What `ctx_statement_block` returns.
pub(super) struct Block {
    /// `$blk`: the lines it read, each with its marker and a newline.
    pub(super) blk: Vec<u8>,
    /// Where the statement starts and ends (inclusive) in `blk`.
    soff: usize,
    off: usize,
    /// Where the condition ends (inclusive); `soff - 1` for none.
    coff: isize,
    /// `$line`: the 1-based number of the statement's last line (the next one when the
    /// statement ends with the last byte read).
    pub(super) line_nr_next: usize,
    pub(super) remain_next: usize,
    pub(super) off_next: usize,
    /// Read only to the end of the line where the statement's first block opens (see
    /// [`ctx_statement_block`]): the statement is longer.
    pub(super) truncated: bool,
}

impl Block {
    /// `$statement`.
    pub(super) fn statement(&self) -> &[u8] {
        let end = (self.off + 1).min(self.blk.len());
        &self.blk[self.soff.min(end)..end]
    }

    /// `$condition`.
    pub(super) fn condition(&self) -> &[u8] {
        let end = usize::try_from(self.coff + 1)
            .unwrap_or(0)
            .min(self.blk.len());
        &self.blk[self.soff.min(end)..end]
    }
}

/// The bytes [`ctx_statement_block`] tests: the others only pass by.
const STATEMENT_BYTE: [bool; 256] = {
    let mut t = [false; 256];
    let mut k = 0;
    let bytes = b"#;(){}\ne";
    while k < bytes.len() {
        t[bytes[k] as usize] = true;
        k += 1;
    }
    t
};

/// checkpatch.pl's `ctx_statement_block($linenr, $remain, $off)`, `linenr` 1-based.
/// `shallow` stops at the end of the line where the statement's first `{` block opens
/// (its condition and the rest of that line are complete then, and whether it has a
/// `{`): what the rules but the `do` ... `while` test need, without reading a function's
/// body for each line of it.
pub(super) fn ctx_statement_block(
    lines: &[PLine<'_>],
    sane: &Sanitized,
    linenr: usize,
    mut remain: usize,
    mut off: usize,
    shallow: bool,
) -> Block {
    let mut line = linenr.saturating_sub(1);
    let mut blk: Vec<u8> = Vec::new();
    let soff = off;
    let mut coff = off as isize - 1;
    let mut coff_set = false;
    let mut loff = 0usize;
    let mut ty = 0u8;
    let mut level = 0isize;
    let mut stack: Vec<(u8, isize)> = Vec::new();
    let mut p: Option<u8>;
    let mut c: Option<u8> = None;
    let mut truncated = false;
    loop {
        if stack.is_empty() {
            stack.push((0, 0));
        }
        if off >= blk.len() {
            while remain > 0 {
                if line >= lines.len() {
                    break;
                }
                if lines[line].raw.first() == Some(&b'-') {
                    line += 1;
                    continue;
                }
                remain -= 1;
                loff = blk.len();
                blk.extend_from_slice(&pline(lines, sane, line));
                blk.push(b'\n');
                line += 1;
                break;
            }
            if off >= blk.len() {
                break;
            }
            // /^.\s*#\s*define/
            if level == 0 && blk[off] != b'\n' {
                let a = skip_sp(&blk, off + 1);
                if blk.get(a) == Some(&b'#') && blk[skip_sp(&blk, a + 1)..].starts_with(b"define") {
                    level += 1;
                    ty = b'#';
                }
            }
        }
        // A byte none of the tests below looks at only becomes the previous one: skip
        // the run of them (to the end of what is read, then read on).
        if !STATEMENT_BYTE[usize::from(blk[off])] {
            let run = blk[off..]
                .iter()
                .take_while(|&&b| !STATEMENT_BYTE[usize::from(b)])
                .count();
            off += run;
            c = Some(blk[off - 1]);
            continue;
        }
        p = c;
        let ch = blk[off];
        c = Some(ch);
        if shallow && ch == b'\n' && ty == b'{' && level >= 1 {
            truncated = true;
            break;
        }
        let rem = &blk[off..];
        if ch == b'#' {
            let a = skip_sp(rem, 1);
            let w = word_at(rem, a);
            let after = rem.get(a + w.len());
            if matches!(w, b"ifndef" | b"ifdef" | b"if") && after.is_some_and(|&b| is_space(b)) {
                stack.push((ty, level));
            } else if matches!(w, b"else" | b"elif") {
                let k = if stack.len() >= 2 {
                    stack.len() - 2
                } else {
                    stack.len() - 1
                };
                (ty, level) = stack[k];
            } else if w == b"endif" {
                if let Some(top) = stack.pop() {
                    (ty, level) = top;
                }
            }
        }
        if level == 0 && ch == b';' {
            break;
        }
        // An else is a conditional, but not else if.
        if level == 0
            && !coff_set
            && p.is_none_or(|b| is_space(b) || b == b'}' || b == b'+')
            && rem.starts_with(b"else")
            && rem.get(4).is_some_and(|&b| is_space(b) || b == b'{')
        {
            let a = skip_sp(rem, 4);
            let else_if = a > 4
                && rem[a..].starts_with(b"if")
                && !rem.get(a + 2).is_some_and(|&b| is_word(b));
            if !else_if {
                coff = (off + 3) as isize;
                coff_set = true;
            }
        }
        if (ty == 0 || ty == b'(') && ch == b'(' {
            level += 1;
            ty = b'(';
        }
        if ty == b'(' && ch == b')' {
            level -= 1;
            ty = if level != 0 { b'(' } else { 0 };
            if level == 0 && coff < soff as isize {
                coff = off as isize;
                coff_set = true;
            }
        }
        if (ty == 0 || ty == b'{') && ch == b'{' {
            level += 1;
            ty = b'{';
        }
        if ty == b'{' && ch == b'}' {
            level -= 1;
            ty = if level != 0 { b'{' } else { 0 };
            if level == 0 {
                if blk.get(off + 1) == Some(&b';') {
                    off += 1;
                }
                break;
            }
        }
        if ty == b'#' && ch == b'\n' && p != Some(b'\\') {
            // The level and type drop back to nothing, unused after this.
            off += 1;
            break;
        }
        off += 1;
    }
    if off == blk.len() && !truncated {
        loff = blk.len() + 1;
        line += 1;
        remain = remain.wrapping_sub(1);
    }
    Block {
        soff,
        off,
        coff,
        line_nr_next: line,
        remain_next: remain.wrapping_add(1),
        off_next: (off + 1).wrapping_sub(loff),
        truncated,
        blk,
    }
}

/// `\s*` from `i`: where it ends (`\s` here without the newline a `.` stops at).
fn skip_sp(s: &[u8], i: usize) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| is_space(b))
        .count()
}

fn word_at(s: &[u8], i: usize) -> &[u8] {
    let i = i.min(s.len());
    let n = s[i..].iter().take_while(|&&b| is_word(b)).count();
    &s[i..i + n]
}

/// `s/\n./\n /g`: the markers of the lines after the first as spaces.
pub(super) fn unmark(s: &[u8]) -> Vec<u8> {
    let mut v = s.to_vec();
    for k in 0..v.len().saturating_sub(1) {
        if v[k] == b'\n' && v[k + 1] != b'\n' {
            v[k + 1] = b' ';
        }
    }
    v
}

/// The line loop's statement state, per input.
#[derive(Default)]
pub(crate) struct Flow {
    /// The last line index seen, to find the hunk headers passed since.
    seen: Option<usize>,
    /// `$suppress_statement`.
    suppress_statement: usize,
    /// `%suppress_whiletrailers`.
    suppress_whiletrailers: Vec<usize>,
    /// `$first_line`: the 1-based number of the current hunk's first line.
    pub(super) first_line: usize,
    /// `$context_function`.
    pub(super) context_function: Option<Vec<u8>>,
    /// The current line's `$stat` and `$cond` (with the markers after the first line as
    /// spaces), when computed, and the block they come from.
    pub(super) stat: Option<(Vec<u8>, Vec<u8>, Block)>,
}

/// checkpatch.pl's `$sline`: `$line` with the comments as spaces, with its marker.
pub(super) fn sline(l: &CLine<'_>) -> Vec<u8> {
    let mut v = Vec::with_capacity(l.body.len() + 1);
    v.push(l.raw.first().copied().unwrap_or(b' '));
    v.extend(
        l.body
            .iter()
            .map(|&b| if b == COMMENT_BYTE { b' ' } else { b }),
    );
    v
}

/// The state kept from line to line, for every hunk line of a .c or .h file, at
/// checkpatch.pl's "Check for potential 'bare' types" (after the hunk's resets): the
/// line's `$stat`, and `$suppress_statement`.
pub(super) fn line_start(c: &mut Checker<'_>, l: &CLine<'_>) {
    let (lines, sane, idx) = l.after;
    let from = c.flow.seen.map_or(0, |s| s + 1);
    // A hunk header passed: checkpatch.pl's resets there.
    if let Some(h) = (from..idx.min(lines.len()))
        .rev()
        .find(|&k| super::engine::parse_hunk(lines[k].raw).is_some())
    {
        c.flow.suppress_statement = 0;
        c.flow.first_line = h + 2;
        c.flow.suppress_whiletrailers.clear();
        c.flow.context_function = hunk_context_function(lines[h].raw);
    }
    c.flow.seen = Some(idx);
    c.flow.stat = None;
    let linenr = idx + 1;
    let non_blank = l.body.iter().any(|&b| !is_space(b) && b != COMMENT_BYTE);
    if linenr > c.flow.suppress_statement && l.realcnt != 0 && non_blank {
        let b = ctx_statement_block(lines, sane, linenr, l.realcnt, 0, true);
        let stat = unmark(b.statement());
        let cond = unmark(b.condition());
        let mut frag: &[u8] = &stat;
        while let Some(&last) = frag.last() {
            if is_space(last) {
                frag = &frag[..frag.len() - 1];
            } else {
                break;
            }
        }
        // s/;+\s*$//
        let t = frag.iter().rev().take_while(|&&b| b == b';').count();
        let frag = if t > 0 {
            &frag[..frag.len() - t]
        } else {
            &stat[..]
        };
        if !frag.iter().any(|&b| b == b'{' || b == b';') {
            c.flow.suppress_statement = b.line_nr_next;
        }
        c.flow.stat = Some((stat, cond, b));
    }
}

/// The `$context_function` a hunk header gives: `/\b(\w+)\s*\(/` in what follows the
/// second `@@`.
fn hunk_context_function(raw: &[u8]) -> Option<Vec<u8>> {
    let at = find_bytes(&raw[2..], b"@@")? + 2 + 2;
    let ctx = &raw[at.min(raw.len())..];
    (0..ctx.len()).find_map(|k| {
        if (k > 0 && is_word(ctx[k - 1])) || !is_word(ctx[k]) {
            return None;
        }
        let w = word_at(ctx, k);
        let a = skip_sp(ctx, k + w.len());
        (ctx.get(a) == Some(&b'(')).then(|| w.to_vec())
    })
}

/// The current line's `$stat` and `$cond`, computed now when the top of the line did
/// not (checkpatch.pl's later `ctx_statement_block($linenr, $realcnt, 0) if (!defined
/// $stat)`).
pub(super) fn ensure_stat(c: &mut Checker<'_>, l: &CLine<'_>) {
    if c.flow.stat.is_none() {
        let (lines, sane, idx) = l.after;
        let b = ctx_statement_block(lines, sane, idx + 1, l.realcnt, 0, true);
        c.flow.stat = Some((unmark(b.statement()), unmark(b.condition()), b));
    }
}

/// Whether `%suppress_whiletrailers` holds line `linenr`.
pub(super) fn whiletrailer_suppressed(c: &Checker<'_>, linenr: usize) -> bool {
    c.flow.suppress_whiletrailers.contains(&linenr)
}

/// checkpatch.pl's `do` test before ASSIGN_IN_IF: on a line with `do` not followed by
/// `{`, the statement after this one, when it starts with `while`, is a do-while's
/// trailer, and its line is not checked for trailing statements.
pub(super) fn do_while(c: &mut Checker<'_>, l: &CLine<'_>) {
    // /do\s*(?!{)/
    let s = l.body;
    let has = find_iter(s, b"do").any(|k| skip_sp(s, k + 2) > k + 2 || s.get(k + 2) != Some(&b'{'));
    if !has {
        return;
    }
    ensure_stat(c, l);
    let (lines, sane, idx) = l.after;
    let Some((_, _, b)) = &c.flow.stat else {
        return;
    };
    // Where the statement ends: read it whole.
    let full;
    let b = if b.truncated {
        full = ctx_statement_block(lines, sane, idx + 1, l.realcnt, 0, false);
        &full
    } else {
        b
    };
    let (nr, remain, off) = (b.line_nr_next, b.remain_next, b.off_next);
    let next = ctx_statement_block(lines, sane, nr, remain, off, true);
    let stat_next = unmark(next.statement());
    let a = skip_sp(&stat_next, 0);
    let starts_while =
        stat_next[a..].starts_with(b"while") && !stat_next.get(a + 5).is_some_and(|&b| is_word(b));
    if starts_while {
        // /^((?:\s*\n[+-])*\s*)/s, whose newlines are statement_rawlines - 1 (the
        // markers after a newline are spaces here: the leading white space).
        let ws = &stat_next[..skip_sp_nl(&stat_next, 0)];
        let offset = ws.iter().filter(|&&b| b == b'\n').count();
        c.flow.suppress_whiletrailers.push(nr + offset);
    }
}

/// `\s*` with newlines.
fn skip_sp_nl(s: &[u8], i: usize) -> usize {
    i + s[i.min(s.len())..]
        .iter()
        .take_while(|&&b| is_space(b) || b == b'\n')
        .count()
}

/// Where `w` (not empty) starts in `s`, each place: a scan for its first byte, cheaper
/// than a searcher for the short words the rules look for on each line.
pub(super) fn find_iter<'a>(s: &'a [u8], w: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    memchr::memchr_iter(w[0], s).filter(move |&k| s[k..].starts_with(w))
}
