// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C logging and formats: TRACING_LOGGING (with checkpatch.pl's fix, the line deleted),
//! PRINTF_L, PRINTF_Z and PRINTF_0XDECIMAL (the conversions of a string that C or the
//! kernel's printk do not have), and LOGGING_CONTINUATION (no fix), on an added line.

use super::c::CLine;
use super::*;

/// `%[\*\d\.\$]*` then `L` (or `Z`) then `[diouxX]` in `s`: the conversion letter.
fn sized_conversion(s: &[u8], size: u8) -> Option<u8> {
    memchr::memchr_iter(b'%', s).find_map(|k| {
        let n = s[k + 1..]
            .iter()
            .take_while(|&&b| b == b'*' || b == b'.' || b == b'$' || b.is_ascii_digit())
            .count();
        let at = k + 1 + n;
        (s.get(at) == Some(&size))
            .then(|| s.get(at + 1).copied())
            .flatten()
            .filter(|b| b"diouxX".contains(b))
    })
}

/// `0x%[\*\d\.\$\Llzth]*[diou]` in `s`.
fn hex_prefixed_decimal(s: &[u8]) -> bool {
    find_iter_bytes(s, b"0x%").any(|k| {
        let n = s[k + 3..]
            .iter()
            .take_while(|&&b| b"*.$Llzth".contains(&b) || b.is_ascii_digit())
            .count();
        s.get(k + 3 + n).is_some_and(|b| b"diou".contains(b))
    })
}

/// PRINTF_L and PRINTF_Z (WARNING, once each per line) and PRINTF_0XDECIMAL (ERROR):
/// checkpatch.pl's `while ($line =~ /(?:^|")([X\t]*)(?:"|$)/g)` over the strings of the
/// line, each read from `$rawline` with `%%` as `__`.
pub(super) fn printf_formats(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if !s.contains(&b'"') {
        return;
    }
    let (mut show_l, mut show_z) = (true, true);
    let mut pos = 0;
    while let Some(q) = memchr::memchr(b'"', &s[pos.min(s.len())..]).map(|k| pos + k) {
        let a = q + 1;
        let n = s[a..]
            .iter()
            .take_while(|&&b| b == b'X' || b == b'\t')
            .count();
        let e = a + n;
        let closed = s.get(e) == Some(&b'"');
        if !closed && e != s.len() {
            pos = q + 1;
            continue;
        }
        pos = if closed { e + 1 } else { e };
        // $rawline has the marker before the body.
        let Some(raw) = l.raw.get(a + 1..e + 1) else {
            break;
        };
        let mut string = raw.to_vec();
        let mut k = 0;
        while k + 1 < string.len() {
            if &string[k..k + 2] == b"%%" {
                string[k] = b'_';
                string[k + 1] = b'_';
                k += 2;
            } else {
                k += 1;
            }
        }
        for (size, show, kind) in [
            (b'L', &mut show_l, "PRINTF_L"),
            (b'Z', &mut show_z, "PRINTF_Z"),
        ] {
            if !*show {
                continue;
            }
            if let Some(conv) = sized_conversion(&string, size) {
                let (conv, size) = (conv as char, size as char);
                let fits = if size == 'L' { "ll" } else { "z" };
                c.report(
                    Level::Warning,
                    kind,
                    format!("%{size}{conv} is non-standard C, use %{fits}{conv}"),
                    &fs.realfile,
                    l.report_line,
                    l.realline,
                    l.curr(here),
                );
                *show = false;
            }
        }
        if hex_prefixed_decimal(&string) {
            c.report(
                Level::Error,
                "PRINTF_0XDECIMAL",
                "Prefixing 0x with decimal output is defective".into(),
                &fs.realfile,
                l.report_line,
                l.realline,
                l.curr(here),
            );
        }
        if !closed {
            break;
        }
    }
}

/// LOGGING_CONTINUATION (WARNING): `\bprintk\s*\(\s*KERN_CONT\b` or `\bpr_cont\s*\(`.
pub(super) fn logging_continuation(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    let sp = |i: usize| i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    let word_at = |k: usize, w: &[u8]| (k == 0 || !is_word(s[k - 1])) && s[k..].starts_with(w);
    let found = super::c_stat::find_iter(s, b"printk").any(|k| {
        if !word_at(k, b"printk") || s.get(sp(k + 6)) != Some(&b'(') {
            return false;
        }
        let a = sp(sp(k + 6) + 1);
        s[a..].starts_with(b"KERN_CONT") && !s.get(a + 9).is_some_and(|&b| is_word(b))
    }) || super::c_stat::find_iter(s, b"pr_cont")
        .any(|k| word_at(k, b"pr_cont") && s.get(sp(k + 7)) == Some(&b'('));
    if found {
        c.report(
            Level::Warning,
            "LOGGING_CONTINUATION",
            "Avoid logging continuation uses where feasible".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}

/// `$tracing_logging_tags{0,max}` matches all of `s` (case-insensitive): `[=-]*>`,
/// `<[=-]*`, `[`, `]`, the words, `[\.\!:\s]*`.
fn tags(s: &[u8], max: usize) -> bool {
    const WORDS: &[&[u8]] = &[
        b"start",
        b"called",
        b"entered",
        b"entry",
        b"enter",
        b"in",
        b"inside",
        b"here",
        b"begin",
        b"exit",
        b"end",
        b"done",
        b"leave",
        b"completed",
        b"out",
        b"return",
    ];
    if s.is_empty() {
        return true;
    }
    if max == 0 {
        return false;
    }
    let mut rests: Vec<usize> = Vec::new();
    // [=-]*>
    let n = s.iter().take_while(|&&b| b == b'=' || b == b'-').count();
    if s.get(n) == Some(&b'>') {
        rests.push(n + 1);
    }
    // <[=-]*
    if s[0] == b'<' {
        let n = s[1..]
            .iter()
            .take_while(|&&b| b == b'=' || b == b'-')
            .count();
        // All of the run or none of it: a split of the run between this tag and a
        // `[=-]*>` after it takes as many tags as none.
        rests.push(1);
        rests.push(1 + n);
    }
    if s[0] == b'[' || s[0] == b']' {
        rests.push(1);
    }
    for w in WORDS {
        if s.len() >= w.len() && s[..w.len()].eq_ignore_ascii_case(w) {
            rests.push(w.len());
        }
    }
    // [\.\!:\s]*
    let n = s
        .iter()
        .take_while(|&&b| matches!(b, b'.' | b'!' | b':') || is_space(b))
        .count();
    // The whole run: no other tag starts with one of these bytes, so a shorter piece
    // only leaves the rest to another such tag.
    if n > 0 {
        rests.push(n);
    }
    rests.into_iter().any(|r| tags(&s[r..], max - 1))
}

/// TRACING_LOGGING (WARNING): a call that logs only the function's name, checkpatch.pl's
/// `^\+.*\([^"]*"$tracing_logging_tags{0,3}%s(?:\s*\(\s*\)\s*)?
/// $tracing_logging_tags{0,3}(?:\\n)?"\s*,\s*__func__\s*\)\s*;` on `$rawline`; the
/// fix deletes the line.
pub(super) fn tracing_logging(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let r = l.raw;
    if r.first() != Some(&b'+') || super::c_stat::find_iter(r, b"__func__").next().is_none() {
        return;
    }
    let sp = |i: usize| {
        i + r[i.min(r.len())..]
            .iter()
            .take_while(|&&b| is_space(b))
            .count()
    };
    let quotes: Vec<usize> = memchr::memchr_iter(b'"', r).collect();
    let found = quotes.iter().enumerate().any(|(n, &q)| {
        let from = if n == 0 { 1 } else { quotes[n - 1] + 1 };
        if !r[from..q].contains(&b'(') {
            return false;
        }
        let Some(&e) = quotes.get(n + 1) else {
            return false;
        };
        // After the string: \s*,\s*__func__\s*\)\s*;
        let a = sp(e + 1);
        let tail = r.get(a) == Some(&b',') && {
            let b = sp(a + 1);
            r[b..].starts_with(b"__func__") && {
                let c = sp(b + 8);
                r.get(c) == Some(&b')') && r.get(sp(c + 1)) == Some(&b';')
            }
        };
        let content = &r[q + 1..e];
        tail && super::c_stat::find_iter(content, b"%s").any(|k| {
            let before = tags(&content[..k], 3);
            let after = &content[k + 2..];
            let after = after
                .strip_suffix(b"\\n")
                .map_or(vec![after], |t| vec![after, t]);
            before
                && after.iter().any(|t| {
                    // (?:\s*\(\s*\)\s*)?
                    let mut opts = vec![*t];
                    let a = t.iter().take_while(|&&b| is_space(b)).count();
                    if t.get(a) == Some(&b'(') {
                        let b = a + 1 + t[a + 1..].iter().take_while(|&&b| is_space(b)).count();
                        if t.get(b) == Some(&b')') {
                            let c = b + 1 + t[b + 1..].iter().take_while(|&&b| is_space(b)).count();
                            opts.push(&t[c..]);
                        }
                    }
                    opts.iter().any(|o| tags(o, 3))
                })
        })
    });
    if found
        && c.report(
            Level::Warning,
            "TRACING_LOGGING",
            "Unnecessary ftrace-like logging - prefer using ftrace".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        )
    {
        c.fix_delete(c.cur);
    }
}
