// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C logging and formats: PRINTF_L, PRINTF_Z and PRINTF_0XDECIMAL (the conversions of a
//! string that C or the kernel's printk do not have), and LOGGING_CONTINUATION, on an
//! added line (none has a fix in checkpatch.pl).

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
    memchr::memmem::find_iter(s, b"0x%").any(|k| {
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
