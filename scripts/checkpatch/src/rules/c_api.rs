// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C code's use of the kernel's API and strings, on added lines of `.c` and `.h` files:
//! AVOID_BUG, PRINTK_WITHOUT_KERN_LEVEL, PREFER_PR_LEVEL, ENOSYS, VOLATILE, SPLIT_STRING,
//! USLEEP_RANGE (udelay), LONG_UDELAY and MSLEEP. Each is checkpatch.pl's regex on
//! `$line` (`body`: comments are `$;`, string contents `X`, so neither matches).

use super::c::CLine;
use super::*;

/// The start of each word of `s` (a `\b` before a word byte).
fn word_starts(s: &[u8]) -> impl Iterator<Item = usize> + '_ {
    (0..s.len()).filter(move |&i| is_word(s[i]) && (i == 0 || !is_word(s[i - 1])))
}

/// The end of the word that starts at `i`.
fn word_end(s: &[u8], i: usize) -> usize {
    i + s[i..].iter().take_while(|&&b| is_word(b)).count()
}

/// `\s*\(` at `i`: where the parenthesis is.
fn open_paren(s: &[u8], i: usize) -> Option<usize> {
    let j = i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    (s.get(j) == Some(&b'(')).then_some(j)
}

/// `\bWORD\b` somewhere in `s` (`word` all word bytes, so no place of it that overlaps
/// another can be a whole word).
fn has_word(s: &[u8], word: &[u8]) -> bool {
    find_iter_bytes(s, word).any(|i| {
        (i == 0 || !is_word(s[i - 1])) && s.get(i + word.len()).is_none_or(|&b| !is_word(b))
    })
}

/// checkpatch.pl's `\b(?!AA_|BUILD_|DCCP_|IDA_|KVM_|RWLOCK_|snd_|SPIN_)` then
/// `(?:[a-zA-Z_]*_)?BUG(?:_ON)?(?:_[A-Z_]+)?\s*\(`.
fn bug_call(s: &[u8]) -> bool {
    const NOT: &[&[u8]] = &[
        b"AA_", b"BUILD_", b"DCCP_", b"IDA_", b"KVM_", b"RWLOCK_", b"snd_", b"SPIN_",
    ];
    if find_bytes(s, b"BUG").is_none() {
        return false;
    }
    word_starts(s).any(|i| {
        let end = word_end(s, i);
        let w = &s[i..end];
        if NOT.iter().any(|p| w.starts_with(p))
            || !w.iter().all(|&b| b.is_ascii_alphabetic() || b == b'_')
            || open_paren(s, end).is_none()
        {
            return false;
        }
        (0..w.len().saturating_sub(2)).any(|k| {
            let after = &w[k + 3..];
            &w[k..k + 3] == b"BUG"
                && (k == 0 || w[k - 1] == b'_')
                && (after.is_empty()
                    || (after[0] == b'_'
                        && after.len() > 1
                        && after[1..]
                            .iter()
                            .all(|&b| b.is_ascii_uppercase() || b == b'_')))
        })
    })
}

/// `\bprintk\s*\(\s*(?!KERN_[A-Z]+\b)`: a printk without a level right after `(` (with a
/// space after the parenthesis the regex always matches, as the `\s*` gives it back).
fn printk_without_level(s: &[u8]) -> bool {
    if find_bytes(s, b"printk").is_none() {
        return false;
    }
    word_starts(s).any(|i| {
        if !s[i..].starts_with(b"printk") {
            return false;
        }
        let Some(p) = open_paren(s, i + 6) else {
            return false;
        };
        let a = p + 1;
        if s.get(a).is_some_and(|&b| is_space(b)) {
            return true;
        }
        let Some(rest) = s[a..].strip_prefix(b"KERN_") else {
            return true;
        };
        let up = rest.iter().take_while(|&&b| b.is_ascii_uppercase()).count();
        !(up > 0 && rest.get(up).is_none_or(|&b| !is_word(b)))
    })
}

/// `\b(printk(_once|_ratelimited)?)\s*\(\s*KERN_([A-Z]+)`: the call, its modifier and the
/// level.
fn printk_level(s: &[u8]) -> Option<(&str, &str, &str)> {
    find_bytes(s, b"printk")?;
    word_starts(s).find_map(|i| {
        if !s[i..].starts_with(b"printk") {
            return None;
        }
        let mods: [&[u8]; 3] = [b"_once", b"_ratelimited", b""];
        mods.iter().find_map(|m| {
            let e = i + 6;
            if !s[e..].starts_with(m) {
                return None;
            }
            let p = open_paren(s, e + m.len())?;
            let a = p + 1 + s[p + 1..].iter().take_while(|&&b| is_space(b)).count();
            let rest = s[a..].strip_prefix(b"KERN_")?;
            let up = rest.iter().take_while(|&&b| b.is_ascii_uppercase()).count();
            (up > 0).then(|| {
                let call = std::str::from_utf8(&s[i..e + m.len()]).unwrap_or("");
                let m = std::str::from_utf8(m).unwrap_or("");
                let level = std::str::from_utf8(&rest[..up]).unwrap_or("");
                (call, m, level)
            })
        })
    })
}

/// `\bNAME\s*\(\s*(\d+)` then what must follow: the number, as Perl compares it.
fn call_number(s: &[u8], name: &[u8], close: &[u8], spaced: bool) -> Option<f64> {
    find_bytes(s, name)?;
    word_starts(s).find_map(|i| {
        if !s[i..].starts_with(name) {
            return None;
        }
        let p = open_paren(s, i + name.len())?;
        let skip = |j: usize| {
            if spaced {
                j + s[j..].iter().take_while(|&&b| is_space(b)).count()
            } else {
                j
            }
        };
        let a = skip(p + 1);
        let d = s[a..].iter().take_while(|&&b| b.is_ascii_digit()).count();
        if d == 0 || !s[skip(a + d)..].starts_with(close) {
            return None;
        }
        std::str::from_utf8(&s[a..a + d]).ok()?.parse().ok()
    })
}

/// The rules, in checkpatch.pl's order, on an added line of a `.c` or `.h` file.
pub(super) fn calls(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    let curr = || vec![here.as_bytes().to_vec(), l.raw.to_vec()];
    if bug_call(s) {
        let level = c.warn_or_check();
        c.report(
            level,
            "AVOID_BUG",
            "Do not crash the kernel unless it is absolutely unavoidable--use WARN_ON_ONCE() \
             plus recovery code (if feasible) instead of BUG() or variants"
                .into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            curr(),
        );
    }
    if printk_without_level(s) {
        c.report(
            Level::Warning,
            "PRINTK_WITHOUT_KERN_LEVEL",
            "printk() should include KERN_<LEVEL> facility level".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            curr(),
        );
    }
    if let Some((call, modifier, orig)) = printk_level(s) {
        let mut level = orig.to_ascii_lowercase();
        if level == "warning" {
            level = "warn".into();
        }
        let mut level2 = if level == "debug" {
            "dbg".to_string()
        } else {
            level.clone()
        };
        level.push_str(modifier);
        level2.push_str(modifier);
        c.report(
            Level::Warning,
            "PREFER_PR_LEVEL",
            format!(
                "Prefer [subsystem eg: netdev]_{level2}([subsystem]dev, ... then \
                 dev_{level2}(dev, ... then pr_{level}(...  to {call}(KERN_{orig} ..."
            ),
            &fs.realfile,
            l.report_line,
            l.realline,
            curr(),
        );
    }
    if has_word(s, b"ENOSYS") {
        c.report(
            Level::Warning,
            "ENOSYS",
            "ENOSYS means 'invalid syscall nr' and nothing else".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            curr(),
        );
    }
    if has_word(s, b"volatile") && !asm_volatile(s) {
        c.report(
            Level::Warning,
            "VOLATILE",
            "Use of volatile is usually wrong: see \
             Documentation/process/volatile-considered-harmful.rst"
                .into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            curr(),
        );
    }
    if split_string(l) {
        c.report(
            Level::Warning,
            "SPLIT_STRING",
            "quoted string split across lines".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            vec![
                here.as_bytes().to_vec(),
                l.prev.map_or(&[][..], |(r, _)| r).to_vec(),
                l.raw.to_vec(),
            ],
        );
    }
    comparison_to_null(c, fs, l, here);
    if let Some(delay) = call_number(s, b"udelay", b")", true) {
        if delay >= 10.0 {
            c.report(
                Level::Check,
                "USLEEP_RANGE",
                "usleep_range is preferred over udelay; see \
                 Documentation/timers/timers-howto.rst"
                    .into(),
                &fs.realfile,
                l.report_line,
                l.realline,
                curr(),
            );
        }
        if delay > 2000.0 {
            c.report(
                Level::Warning,
                "LONG_UDELAY",
                "long udelay - prefer mdelay; see arch/arm/include/asm/delay.h".into(),
                &fs.realfile,
                l.report_line,
                l.realline,
                curr(),
            );
        }
    }
    if call_number(s, b"msleep", b");", false).is_some_and(|d| d < 20.0) {
        c.report(
            Level::Warning,
            "MSLEEP",
            "msleep < 20ms can sleep for up to 20ms; see Documentation/timers/timers-howto.rst"
                .into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            curr(),
        );
    }
}

/// `\b(__asm__|asm)\s+(__volatile__|volatile)\b`.
fn asm_volatile(s: &[u8]) -> bool {
    word_starts(s).any(|i| {
        let w = &s[i..word_end(s, i)];
        if w != b"asm" && w != b"__asm__" {
            return false;
        }
        let e = i + w.len();
        let sp = s[e..].iter().take_while(|&&b| is_space(b)).count();
        let j = e + sp;
        sp > 0 && {
            let v = &s[j..word_end(s, j)];
            v == b"volatile" || v == b"__volatile__"
        }
    })
}

/// SPLIT_STRING: `^\+\s*$String` on `$line`, `"\s*$` on `$prevline`, and `$prevrawline`
/// not ending in an escape (`\n`, `\t`, `\r`, octal, hex), `;` or `{` before its `"`.
fn split_string(l: &CLine<'_>) -> bool {
    let s = l.body;
    if l.raw.first() != Some(&b'+') || string_at(s, skip_space(s, 0)).is_none() {
        return false;
    }
    let Some((prev_raw, prev_body)) = l.prev else {
        return false;
    };
    let prev = if prev_raw.is_empty() {
        prev_raw
    } else {
        prev_body
    };
    let trim = |x: &[u8]| x.iter().rposition(|&b| !is_space(b)).map_or(0, |i| i + 1);
    let p = &prev[..trim(prev)];
    // `"\s*$` on $prevline: its marker is `+` or ` `, never the quote.
    if p.last() != Some(&b'"') {
        return false;
    }
    // (?:\\(?:[ntr]|[0-7]{1,3}|x[0-9a-fA-F]{1,2})|;\s*|\{\s*)"\s*$ on $prevrawline.
    let r = &prev_raw[..trim(prev_raw)];
    let Some(q) = r.len().checked_sub(1).filter(|&q| r[q] == b'"') else {
        return true;
    };
    let before = &r[..q];
    let b = &before[..trim(before)];
    if matches!(b.last(), Some(b';' | b'{')) {
        return false;
    }
    // An escape right before the quote.
    let escape = |len: usize| before.len() > len && before[before.len() - len - 1] == b'\\';
    let tail = |n: usize| &before[before.len().saturating_sub(n)..];
    if escape(1) && matches!(tail(1)[0], b'n' | b't' | b'r') {
        return false;
    }
    for n in 1..=3 {
        if escape(n) && before.len() >= n && tail(n).iter().all(|&d| (b'0'..=b'7').contains(&d)) {
            return false;
        }
    }
    for n in 1..=2 {
        if escape(n + 1) && tail(n + 1)[0] == b'x' && tail(n).iter().all(u8::is_ascii_hexdigit) {
            return false;
        }
    }
    true
}

/// AVOID_EXTERNS (CHECK): `^\+\s*(extern\s+)$Type\s*$Ident\s*\(` on an added line of a
/// `.h` file, an extern function prototype. The fix, `s/(.*)\bextern\b\s*(.*)/$1$2/`,
/// drops the line's last `extern` and the spaces after it.
pub(super) fn avoid_externs(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    use super::c_types::{c_type, ident};
    let s = l.body;
    if !fs.realfile.ends_with(".h") || s.len() > 1000 {
        return;
    }
    let sp = |i: usize| i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    let a = sp(0);
    let Some(b) = s[a..].strip_prefix(b"extern").map(|_| a + 6) else {
        return;
    };
    let t = sp(b);
    if t == b {
        return;
    }
    let prototype = c_type(s, t)
        .into_iter()
        .any(|e| (e..=sp(e)).any(|f| ident(s, f).into_iter().any(|g| s.get(sp(g)) == Some(&b'('))));
    if prototype
        && c.report(
            Level::Check,
            "AVOID_EXTERNS",
            "extern prototypes should be avoided in .h files".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            vec![here.as_bytes().to_vec(), l.raw.to_vec()],
        )
    {
        if let Some(f) = c.fix_line() {
            let last = (0..f.len().saturating_sub(5)).rev().find(|&i| {
                f[i..].starts_with(b"extern")
                    && (i == 0 || !is_word(f[i - 1]))
                    && f.get(i + 6).is_none_or(|&x| !is_word(x))
            });
            if let Some(i) = last {
                let end = i + 6 + f[i + 6..].iter().take_while(|&&x| is_space(x)).count();
                f.drain(i..end);
            }
        }
    }
}

/// `$balanced_parens` at `i`: where the group that opens there closes.
fn balanced(s: &[u8], i: usize) -> Option<usize> {
    if s.get(i) != Some(&b'(') {
        return None;
    }
    let mut depth = 0usize;
    for (k, &b) in s[i..].iter().enumerate() {
        match b {
            b'(' => depth += 1,
            b')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + k + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// Perl's `\b` at `i`.
fn perl_boundary(s: &[u8], i: usize) -> bool {
    let before = i > 0 && is_word(s[i - 1]);
    let after = i < s.len() && is_word(s[i]);
    before != after
}

/// `\s*(==|\!=)\s*NULL\b` at `i`: whether it is `==`, and where the match ends.
fn null_compare(s: &[u8], i: usize) -> Option<(bool, usize)> {
    let sp = |i: usize| i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    let o = sp(i);
    let eq = if s[o..].starts_with(b"==") {
        true
    } else if s[o..].starts_with(b"!=") {
        false
    } else {
        return None;
    };
    let n = sp(o + 2);
    let end = n + 4;
    (s[n..].starts_with(b"NULL") && s.get(end).is_none_or(|&b| !is_word(b))).then_some((eq, end))
}

/// Each `\b$LvalOrFunc\s*(==|\!=)\s*NULL\b` of `s`, left to right as Perl's `/g` finds
/// them: `$1` (the lvalue, with a `&` or `*` before it) and whether it is `==`.
fn null_comparisons(s: &[u8]) -> Vec<(Vec<u8>, bool)> {
    use super::c_types::lval;
    let sp = |i: usize| i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    let mut out = Vec::new();
    let mut p = 0;
    while p < s.len() {
        let found = perl_boundary(s, p)
            .then(|| {
                // (?:[\&\*]\s*)? is tried with the operator first.
                let mut starts = Vec::new();
                if matches!(s[p], b'&' | b'*') {
                    starts.push(sp(p + 1));
                }
                starts.push(p);
                starts.into_iter().find_map(|st| {
                    let mut ends = lval(s, st);
                    ends.sort_unstable_by(|a, b| b.cmp(a));
                    ends.into_iter().find_map(|e| {
                        let q = sp(e);
                        // ($balanced_parens{0,1}): the group first.
                        let after = balanced(s, q).map(sp).into_iter().chain([q]);
                        after
                            .into_iter()
                            .find_map(|r| null_compare(s, r))
                            .map(|(eq, end)| (s[p..e].to_vec(), eq, end))
                    })
                })
            })
            .flatten();
        match found {
            Some((val, eq, end)) => {
                out.push((val, eq));
                p = end.max(p + 1);
            }
            None => p += 1,
        }
    }
    out
}

/// The fix: `s/\b\Q$val\E\s*(?:==|\!=)\s*NULL\b/$equal$val/` on the line.
fn fix_null(f: &mut Vec<u8>, val: &[u8], equal: &[u8]) {
    let at = (0..f.len()).find_map(|q| {
        if !perl_boundary(f, q) || !f[q..].starts_with(val) {
            return None;
        }
        null_compare(f, q + val.len()).map(|(_, end)| (q, end))
    });
    if let Some((q, end)) = at {
        let mut with = equal.to_vec();
        with.extend_from_slice(val);
        f.splice(q..end, with);
    }
}

/// COMPARISON_TO_NULL (CHECK): `x == NULL` where `!x` fits, on `$line`, each comparison
/// of the line.
pub(super) fn comparison_to_null(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    if l.body.len() > 1000 || find_bytes(l.body, b"NULL").is_none() {
        return;
    }
    for (val, eq) in null_comparisons(l.body) {
        let equal: &[u8] = if eq { b"!" } else { b"" };
        if c.report(
            Level::Check,
            "COMPARISON_TO_NULL",
            format!(
                "Comparison to NULL could be written \"{}{}\"",
                String::from_utf8_lossy(equal),
                String::from_utf8_lossy(&val)
            ),
            &fs.realfile,
            l.report_line,
            l.realline,
            vec![here.as_bytes().to_vec(), l.raw.to_vec()],
        ) {
            if let Some(f) = c.fix_line() {
                fix_null(f, &val, equal);
            }
        }
    }
}

/// checkpatch.pl's `ctx_has_comment($first_line, $end_line)` (1-based line numbers): a
/// `//` comment on the line (added), the one before or the one after it, a `/* */` at the
/// end of the line, or the line before it inside a block comment that starts at or after
/// the hunk's first line.
fn ctx_has_comment(lines: &[PLine<'_>], first_line: usize, end_line: usize) -> bool {
    let raw = |n: usize| n.checked_sub(1).and_then(|i| lines.get(i)).map(|l| l.raw);
    let slashes = |r: &[u8]| find_bytes(r, b"//").is_some();
    let cur = raw(end_line).unwrap_or(&[]);
    if cur.first() == Some(&b'+') && slashes(&cur[1..]) {
        return true;
    }
    for n in [end_line.checked_sub(1), Some(end_line + 1)]
        .into_iter()
        .flatten()
    {
        if let Some(r) = raw(n) {
            if matches!(r.first(), Some(b'+' | b' ')) && slashes(&r[1..]) {
                return true;
            }
        }
    }
    // m@.*(/\*.*\*/)\s*(?:\\\s*)?$@: the last `*/`, with only spaces and a backslash after it.
    if let Some(j) = memchr::memmem::rfind(cur, b"*/") {
        let rest = &cur[j + 2..];
        let a = rest.iter().take_while(|&&b| is_space(b)).count();
        let a = if rest.get(a) == Some(&b'\\') {
            a + 1
        } else {
            a
        };
        if rest[a..].iter().all(|&b| is_space(b)) && find_bytes(&cur[..j], b"/*").is_some() {
            return true;
        }
    }
    // The block comment state of the line before, from the hunk's first line on.
    let has = |n: usize, w: &[u8]| raw(n).is_some_and(|r| find_bytes(r, w).is_some());
    let Some(mut k) = end_line.checked_sub(1).filter(|&k| k >= first_line) else {
        return false;
    };
    loop {
        if has(k, b"/*") {
            return true;
        }
        if k == first_line {
            // m@^.\s*\*@
            return raw(k).is_some_and(|r| {
                r.len() > 1 && r[1..].iter().find(|&&b| !is_space(b)) == Some(&b'*')
            });
        }
        if has(k - 1, b"*/") {
            return false;
        }
        k -= 1;
    }
}

/// UNCOMMENTED_DEFINITION (CHECK): a `struct mutex` or `spinlock_t` definition, or a
/// `DEFINE_MUTEX(`, without a comment near it (`ctx_has_comment`).
pub(super) fn uncommented_definition(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
) {
    let s = l.body;
    let i = s.iter().take_while(|&&b| is_space(b)).count();
    let sp = |k: usize| {
        k + s[k.min(s.len())..]
            .iter()
            .take_while(|&&b| is_space(b))
            .count()
    };
    // /^.\s*(struct\s+mutex|spinlock_t)\s+\S+;/
    let lock = if s[i..].starts_with(b"struct")
        && sp(i + 6) > i + 6
        && s[sp(i + 6)..].starts_with(b"mutex")
    {
        Some(sp(i + 6) + 5)
    } else if s[i..].starts_with(b"spinlock_t") {
        Some(i + 10)
    } else {
        None
    };
    let which = lock
        .filter(|&e| {
            let a = sp(e);
            let run = s[a..].iter().take_while(|&&b| !is_space(b)).count();
            a > e && s[a..a + run].iter().skip(1).any(|&b| b == b';')
        })
        .map(|e| &s[i..e])
        .or_else(|| {
            // /^.\s*(DEFINE_MUTEX)\s*\(/
            (s[i..].starts_with(b"DEFINE_MUTEX") && s.get(sp(i + 12)) == Some(&b'('))
                .then(|| &s[i..i + 12])
        });
    let Some(which) = which else {
        return;
    };
    let (lines, _, idx) = l.after;
    if !ctx_has_comment(lines, c.flow.first_line, idx + 1) {
        c.report(
            Level::Check,
            "UNCOMMENTED_DEFINITION",
            format!("{} definition without comment", text(which)),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}

/// A barrier's call at `k`: `mb`, `rmb`, `wmb`, or `smp_` or `virt_` then one of them or
/// `mb__before_atomic`, `mb__after_atomic`, `store_release`, `load_acquire`, `store_mb`
/// (`$all_barriers`), or with `underscored` `__smp_` then one of those
/// (`$underscore_smp_barriers`); then `\s*\(`.
fn barrier_at(s: &[u8], k: usize, underscored: bool) -> bool {
    const STEMS: &[&[u8]] = &[
        b"mb__before_atomic",
        b"mb__after_atomic",
        b"store_release",
        b"load_acquire",
        b"store_mb",
        b"mb",
        b"rmb",
        b"wmb",
    ];
    let paren = |e: usize| {
        let a = e + s[e..].iter().take_while(|&&b| is_space(b)).count();
        s.get(a) == Some(&b'(')
    };
    let stem = |p: usize| {
        STEMS
            .iter()
            .any(|w| s[p..].starts_with(w) && paren(p + w.len()))
    };
    let r = &s[k..];
    if underscored {
        return r.starts_with(b"__smp_") && stem(k + 6);
    }
    [&b"mb"[..], b"rmb", b"wmb"]
        .iter()
        .any(|w| r.starts_with(w) && paren(k + w.len()))
        || (r.starts_with(b"smp_") && stem(k + 4))
        || (r.starts_with(b"virt_") && stem(k + 5))
}

/// `\b` then a barrier's call ([`barrier_at`]) anywhere in `s`.
fn barrier_call(s: &[u8], underscored: bool) -> bool {
    (0..s.len()).any(|k| (k == 0 || !is_word(s[k - 1])) && barrier_at(s, k, underscored))
}

/// MEMORY_BARRIER (WARNING): a barrier without a comment near it (`ctx_has_comment`),
/// and an `__smp_` barrier outside include/asm-generic/ and barrier.h, not in its own
/// `#define`.
pub(super) fn memory_barrier(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if !s
        .windows(2)
        .any(|w| w == b"mb" || w == b"_r" || w == b"_a" || w == b"_s")
    {
        return;
    }
    let (lines, _, idx) = l.after;
    if barrier_call(s, false) && !ctx_has_comment(lines, c.flow.first_line, idx + 1) {
        c.report(
            Level::Warning,
            "MEMORY_BARRIER",
            "memory barrier without comment".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
    let f = &fs.realfile;
    if f.starts_with("include/asm-generic/") || f.ends_with("/barrier.h") || !barrier_call(s, true)
    {
        return;
    }
    // m/^.\s*\#\s*define\s+(?:$underscore_smp_barriers)\s*\(/
    let sp = |i: usize| i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    let i = sp(0);
    let defines = s.get(i) == Some(&b'#') && {
        let a = sp(i + 1);
        s[a..].starts_with(b"define") && sp(a + 6) > a + 6 && barrier_at(s, sp(a + 6), true)
    };
    if !defines {
        c.report(
            Level::Warning,
            "MEMORY_BARRIER",
            "__smp memory barriers shouldn't be used outside barrier.h and asm-generic".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}
