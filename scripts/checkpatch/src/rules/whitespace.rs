// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Whitespace and line length: LONG_LINE, LONG_LINE_COMMENT, LONG_LINE_STRING and the
//! fixes of TRAILING_WHITESPACE, DOS_LINE_ENDINGS and SPACE_BEFORE_TAB.

use super::*;

/// The length of `expand_tabs(s)`.
pub(super) fn expanded_len(s: &[u8], tab: usize) -> usize {
    if !s.contains(&b'\t') {
        return s.len();
    }
    s.iter().fold(
        0,
        |n, &c| if c == b'\t' { n + tab - n % tab } else { n + 1 },
    )
}

/// LONG_LINE and its forms on an added line (`body`: its `$line`).
pub(super) fn long_line(c: &mut Checker<'_>, at: &At<'_>, body: &[u8]) {
    let raw = at.raw;
    let tab = c.opts.tab_size;
    let max = c.opts.max_line_length;
    // $length is the raw line's, the exemptions look at $line (comments as $;, string
    // contents as X), $sline ($line with comments as spaces) and the URL at $rawline.
    let length = expanded_len(&raw[1..], tab);
    if length <= max {
        return;
    }
    // The exemptions, in checkpatch.pl's order: a logging call that ends in a string
    // starting within the limit, then the rest.
    if log_call_string(body).is_some_and(|start| expanded_len(&body[..start], tab) <= max) {
        return;
    }
    if only_string(body)
        || define_string(body)
        || efi_guid(body)
        || define_per_cpu(body)
        || has_url(&text(raw))
    {
        return;
    }
    let fits = |start: usize| expanded_len(&body[..start], tab) <= max;
    let sline: Vec<u8> = body
        .iter()
        .map(|&b| if b == COMMENT_BYTE { b' ' } else { b })
        .collect();
    let kind = if comment_tail(body).is_some_and(fits) {
        "LONG_LINE_COMMENT"
    } else if string_tail(&sline).is_some_and(fits) {
        "LONG_LINE_STRING"
    } else {
        "LONG_LINE"
    };
    if !c.opts.shows("LONG_LINE") {
        return;
    }
    let level = c.warn_or_check();
    c.report_at(
        at,
        level,
        kind,
        format!("line length of {length} exceeds {max} columns"),
        at.herecurr(),
    );
}

pub(super) fn skip_space(s: &[u8], mut i: usize) -> usize {
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    i
}

/// checkpatch.pl's `$String` (`(?:\b[Lu])?"[X\t]*"`) at `i`: where it ends.
pub(super) fn string_at(s: &[u8], mut i: usize) -> Option<usize> {
    if matches!(s.get(i), Some(b'L' | b'u'))
        && s.get(i + 1) == Some(&b'"')
        && (i == 0 || !is_word(s[i - 1]))
    {
        i += 1;
    }
    if s.get(i) != Some(&b'"') {
        return None;
    }
    i += 1;
    while i < s.len() && matches!(s[i], b'X' | b'\t') {
        i += 1;
    }
    (s.get(i) == Some(&b'"')).then_some(i + 1)
}

/// `^\s*$String\s*(?:\s*|,|\)\s*;)\s*$`: a line that is only a string.
pub(super) fn only_string(s: &[u8]) -> bool {
    string_to_end(s, skip_space(s, 0))
}

/// `$String\s*(?:|,|\)\s*;)\s*$` at `i`: a string that ends the line, but for a comma or
/// a call's `);`.
fn string_to_end(s: &[u8], i: usize) -> bool {
    let Some(mut i) = string_at(s, i) else {
        return false;
    };
    i = skip_space(s, i);
    match s.get(i) {
        Some(b',') => i += 1,
        Some(b')') => {
            i = skip_space(s, i + 1);
            if s.get(i) != Some(&b';') {
                return false;
            }
            i += 1;
        }
        _ => {}
    }
    skip_space(s, i) == s.len()
}

/// `^\s*#\s*define\s+\w+\s+$String$`.
pub(super) fn define_string(s: &[u8]) -> bool {
    let mut i = skip_space(s, 0);
    if s.get(i) != Some(&b'#') {
        return false;
    }
    i = skip_space(s, i + 1);
    if !s[i..].starts_with(b"define") {
        return false;
    }
    let j = skip_space(s, i + 6);
    let k = j + s[j..].iter().take_while(|&&b| is_word(b)).count();
    let l = skip_space(s, k);
    j > i + 6 && k > j && l > k && string_at(s, l) == Some(s.len())
}

/// `\bEFI_GUID\s*\(`.
pub(super) fn efi_guid(s: &[u8]) -> bool {
    let w = b"EFI_GUID";
    (0..s.len().saturating_sub(w.len() - 1)).any(|p| {
        s[p..].starts_with(w)
            && (p == 0 || !is_word(s[p - 1]))
            && s.get(skip_space(s, p + w.len())) == Some(&b'(')
    })
}

/// `^\s*(?:\w+)?\s*DEFINE_PER_CPU`.
pub(super) fn define_per_cpu(s: &[u8]) -> bool {
    let w = b"DEFINE_PER_CPU";
    let i = skip_space(s, 0);
    let word = s[i..].iter().take_while(|&&b| is_word(b)).count();
    (i..=i + word).any(|p| s[p..].starts_with(w)) || s[skip_space(s, i + word)..].starts_with(w)
}

/// `($;[\s$;]*)$`: where the trailing comment starts.
pub(super) fn comment_tail(s: &[u8]) -> Option<usize> {
    let mut start = None;
    for i in (0..s.len()).rev() {
        match s[i] {
            COMMENT_BYTE => start = Some(i),
            b if is_space(b) => {}
            _ => break,
        }
    }
    start
}

/// `\s*($String(?:\s*(?:\\|,\s*|\)\s*;\s*))?)$` on $sline: where the string starts.
pub(super) fn string_tail(s: &[u8]) -> Option<usize> {
    let back_space = |mut i: usize| {
        while i > 0 && is_space(s[i - 1]) {
            i -= 1;
        }
        i
    };
    // The end of the string for each form of what may follow it.
    let mut ends = vec![s.len()];
    if s.last() == Some(&b'\\') {
        ends.push(back_space(s.len() - 1));
    }
    let t = back_space(s.len());
    if t > 0 && s[t - 1] == b',' {
        ends.push(back_space(t - 1));
    }
    if t > 0 && s[t - 1] == b';' {
        let u = back_space(t - 1);
        if u > 0 && s[u - 1] == b')' {
            ends.push(back_space(u - 1));
        }
    }
    ends.into_iter().find_map(|end| {
        if end < 2 || s[end - 1] != b'"' {
            return None;
        }
        let mut o = end - 1;
        while o > 0 && matches!(s[o - 1], b'X' | b'\t') {
            o -= 1;
        }
        if o == 0 || s[o - 1] != b'"' {
            return None;
        }
        let open = o - 1;
        let prefixed =
            open > 0 && matches!(s[open - 1], b'L' | b'u') && (open == 1 || !is_word(s[open - 2]));
        Some(if prefixed { open - 1 } else { open })
    })
}

pub(super) fn has_url(s: &str) -> bool {
    // /\b[a-z][\w\.\+\-]*:\/\/\S+/i
    let b = s.as_bytes();
    let mut i = 0;
    while let Some(p) = s[i..].find("://") {
        let at = i + p;
        let mut j = at;
        while j > 0 && (is_word(b[j - 1]) || matches!(b[j - 1], b'.' | b'+' | b'-')) {
            j -= 1;
        }
        // The scheme must start with a letter at a word boundary.
        let mut k = j;
        while k < at && !b[k].is_ascii_alphabetic() {
            k += 1;
        }
        let starts_ok = k < at && (k == 0 || !is_word(b[k - 1]));
        if starts_ok && b.get(at + 3).is_some_and(|&ch| !is_space(ch)) {
            return true;
        }
        i = at + 3;
    }
    false
}

/// Perl's `s/\s+$//`.
pub(super) fn strip_trailing_space(l: &mut Vec<u8>) {
    while l.last().is_some_and(|&b| is_space(b)) {
        l.pop();
    }
}

/// checkpatch.pl's SPACE_BEFORE_TAB fix: ` {tabsize}\t` becomes two tabs, then ` +\t` one,
/// each from the right, until none is left.
pub(super) fn fix_space_before_tab(l: &mut Vec<u8>, tab: usize) {
    if l.first() != Some(&b'+') {
        return;
    }
    loop {
        let at = (1..l.len())
            .rev()
            .find(|&t| l[t] == b'\t' && t > tab && l[t - tab..t].iter().all(|&b| b == b' '));
        let Some(t) = at else { break };
        l.splice(t - tab..=t, *b"\t\t");
    }
    loop {
        let at = (2..l.len())
            .rev()
            .find(|&t| l[t] == b'\t' && l[t - 1] == b' ');
        let Some(t) = at else { break };
        let mut s = t - 1;
        while s > 1 && l[s - 1] == b' ' {
            s -= 1;
        }
        l.splice(s..=t, *b"\t");
    }
}

/// DOS_LINE_ENDINGS and TRAILING_WHITESPACE on an added line. DOS_LINE_ENDINGS looks at
/// `$line` (`body`), where a CR in a comment or a string is blanked; TRAILING_WHITESPACE
/// at `$rawline`.
pub(super) fn line_endings(c: &mut Checker<'_>, at: &At<'_>, body: &[u8]) {
    let raw = at.raw;
    if body.contains(&b'\r') {
        if c.report_at(
            at,
            Level::Error,
            "DOS_LINE_ENDINGS",
            "DOS line endings".into(),
            at.here_vet(),
        ) {
            c.fix_line().map(strip_trailing_space);
        }
    } else if raw.len() > 1 && is_space(raw[raw.len() - 1]) {
        if c.report_at(
            at,
            Level::Error,
            "TRAILING_WHITESPACE",
            "trailing whitespace".into(),
            at.here_vet(),
        ) {
            c.fix_line().map(strip_trailing_space);
        }
        c.out.whitespace = true;
    }
}

/// MISSING_EOF_NEWLINE: the added line `idx` is followed by `\ No newline at end of file`
/// (`next`); the fix deletes that line.
pub(super) fn missing_eof_newline(c: &mut Checker<'_>, at: &At<'_>, next: Option<&[u8]>) {
    if next.is_some_and(|n| n.starts_with(b"\\ No newline at end of file"))
        && c.report_at(
            at,
            Level::Warning,
            "MISSING_EOF_NEWLINE",
            "adding a line without newline at end of file".into(),
            at.herecurr(),
        )
    {
        c.fix_delete(at.idx + 1);
    }
}

/// SPACE_BEFORE_TAB, in checkpatch.pl's C and perl section (.pl never gets there: it is
/// not a source file of the section before).
pub(super) fn space_before_tab(c: &mut Checker<'_>, at: &At<'_>) {
    let c_like = [".h", ".c", ".dtsi", ".dts"]
        .iter()
        .any(|e| at.realfile.ends_with(e));
    if c_like
        && at.raw.windows(2).any(|w| w == b" \t")
        && c.report_at(
            at,
            Level::Warning,
            "SPACE_BEFORE_TAB",
            "please, no space before tabs".into(),
            at.here_vet(),
        )
    {
        let tab = c.opts.tab_size;
        if let Some(l) = c.fix_line() {
            fix_space_before_tab(l, tab);
        }
    }
}

/// Whether `name` is one of checkpatch.pl's `$logFunctions`: `printk` and its variants,
/// `(?:[a-z0-9]+_){1,2}LEVEL(?:_ratelimited|_once|)` (`pr_err`, `dev_warn_once`,
/// `netdev_dbg`, ...), `TP_printk`, `WARN`, `WARN_RATELIMIT`, `WARN_ONCE`, `panic`,
/// `MODULE_[A-Z_]+`, `seq_vprintf`, `seq_printf`, `seq_puts`.
fn log_function(name: &[u8]) -> bool {
    const LEVELS: &[&[u8]] = &[
        b"printk", b"emerg", b"alert", b"crit", b"err", b"warning", b"warn", b"notice", b"info",
        b"debug", b"dbg", b"vdbg", b"devel", b"cont", b"WARN",
    ];
    let fixed: &[&[u8]] = &[
        b"printk",
        b"printk_ratelimited",
        b"printk_once",
        b"printk_deferred_once",
        b"printk_deferred",
        b"TP_printk",
        b"WARN",
        b"WARN_RATELIMIT",
        b"WARN_ONCE",
        b"panic",
        b"seq_vprintf",
        b"seq_printf",
        b"seq_puts",
    ];
    if fixed.contains(&name) {
        return true;
    }
    if let Some(rest) = name.strip_prefix(b"MODULE_") {
        return !rest.is_empty() && rest.iter().all(|&b| b.is_ascii_uppercase() || b == b'_');
    }
    let parts: Vec<&[u8]> = name.split(|&b| b == b'_').collect();
    let leveled = |p: &[&[u8]]| {
        p.len() >= 2
            && p.len() <= 3
            && LEVELS.contains(&p[p.len() - 1])
            && p[..p.len() - 1].iter().all(|t| {
                !t.is_empty()
                    && t.iter()
                        .all(|&b| b.is_ascii_lowercase() || b.is_ascii_digit())
            })
    };
    leveled(&parts)
        || (parts.len() > 1
            && matches!(parts[parts.len() - 1], b"ratelimited" | b"once")
            && leveled(&parts[..parts.len() - 1]))
}

/// checkpatch.pl's first LONG_LINE exemption on `$line`:
/// `^\+\s*$logFunctions\s*\(\s*(?:(?:KERN_\S+\s*|[^"]*))?($String\s*(?:|,|\)\s*;)\s*)$`,
/// a logging call whose line ends in a string: where that string (`$1`) starts.
pub(super) fn log_call_string(s: &[u8]) -> Option<usize> {
    let i = skip_space(s, 0);
    let name = s[i..].iter().take_while(|&&b| is_word(b)).count();
    if name == 0 || !log_function(&s[i..i + name]) {
        return None;
    }
    let open = skip_space(s, i + name);
    if s.get(open) != Some(&b'(') {
        return None;
    }
    let arg = skip_space(s, open + 1);
    // `KERN_\S+\s*`, tried first, its `\S+` from the longest.
    if s[arg..].starts_with(b"KERN_") {
        let run = s[arg + 5..].iter().take_while(|&&b| !is_space(b)).count();
        for len in (1..=run).rev() {
            let at = skip_space(s, arg + 5 + len);
            if string_to_end(s, at) {
                return Some(at);
            }
        }
    }
    // `[^"]*`: the string must be the first quote's (an `L` or `u` before it is part of
    // the `[^"]*`, as the regex matches the string at the quote first).
    let quote = arg + s[arg..].iter().position(|&b| b == b'"')?;
    string_to_end(s, quote).then_some(quote)
}
