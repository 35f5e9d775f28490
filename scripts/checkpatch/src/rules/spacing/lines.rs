// SPDX-License-Identifier: GPL-2.0 OR MIT

//! SPACING's line tests after the operator loop: semicolons, braces, square brackets,
//! parentheses, `if(` and `#ifdef`, with their fixes.

use super::*;

/// The line tests after the operator loop: semicolons, braces, brackets, parentheses,
/// `if(` and `#ifdef`.
pub(super) fn line_tests(c: &mut Checker<'_>, st: &Site<'_>) {
    let (line, learned) = (st.line, st.learned);
    let rep =
        |c: &mut Checker<'_>, level: Level, msg: &str| st.report(c, level, "SPACING", msg.into());
    // ^\+.*\S\s+;\s*$
    {
        let t = rtrim(line);
        if t.len() > 2 && t.ends_with(b";") {
            let before = &t[..t.len() - 1];
            let r = rtrim(before);
            if r.len() < before.len()
                && r.len() > 1
                && rep(c, Level::Warning, "space prohibited before semicolon")
            {
                if let Some(f) = c.fix_line().filter(|f| f.first() == Some(&b'+')) {
                    // 1 while s/^(\+.*\S)\s+;/$1;/
                    while let Some(q) = (2..f.len()).rev().find(|&q| {
                        f[q] == b';' && is_space(f[q - 1]) && {
                            let st = q - f[..q].iter().rev().take_while(|&&b| is_space(b)).count();
                            st > 1 && !is_space(f[st - 1])
                        }
                    }) {
                        let st = q - f[..q].iter().rev().take_while(|&&b| is_space(b)).count();
                        f.drain(st..q);
                    }
                }
            }
        }
    }
    // (\(.*\)\{ && !\($Type\)\{) || \b(?:else|do)\{
    {
        let paren_brace = line
            .windows(2)
            .rposition(|w| w == b"){")
            .is_some_and(|last| line[..last].contains(&b'('));
        let type_brace = || {
            (0..line.len()).any(|p| {
                paren_type(line, p)
                    .is_some_and(|e| line.get(e) == Some(&b'{') && type_exact_paren(line, p, e))
            })
        };
        let else_do = [&b"else{"[..], b"do{"]
            .iter()
            .any(|w| find_iter_bytes(line, w).any(|p| p == 0 || !is_word(line[p - 1])));
        let hit = else_do || (paren_brace && agree(learned, || !type_brace()));
        if hit && rep(c, Level::Error, "space required before the open brace '{'") {
            if let Some(f) = c.fix_line() {
                // s/^(\+.*(?:do|else|\)))\{/$1 {/
                if f.first() == Some(&b'+') {
                    if let Some(q) = (2..f.len()).rev().find(|&q| {
                        f[q] == b'{'
                            && (f[q - 1] == b')'
                                || f[1..q].ends_with(b"do")
                                || f[1..q].ends_with(b"else"))
                    }) {
                        f.insert(q, b' ');
                    }
                }
            }
        }
    }
    // }(?!(?:,|;|\)|\}))\S
    {
        let hit = (0..line.len()).any(|p| {
            line[p] == b'}'
                && line
                    .get(p + 1)
                    .is_some_and(|&b| !is_space(b) && !b",;)}".contains(&b))
        });
        if hit && rep(c, Level::Error, "space required after that close brace '}'") {
            if let Some(f) = c.fix_line() {
                if let Some(p) = (0..f.len()).find(|&p| {
                    f[p] == b'}'
                        && f.get(p + 1)
                            .is_some_and(|&b| !is_space(b) && !b",;)".contains(&b))
                }) {
                    f.insert(p + 1, b' ');
                }
            }
        }
    }
    // \[\s and not \[\s*$
    {
        let hit = space_after(line, b'[')
            && !(0..line.len()).any(|p| line[p] == b'[' && skip_space(line, p + 1) == line.len());
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited after that open square bracket '['",
            )
        {
            if let Some(f) = c.fix_line() {
                drop_space_after(f, b'[');
            }
        }
    }
    // \s\]
    {
        let hit = (1..line.len()).any(|p| line[p] == b']' && is_space(line[p - 1]));
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited before that close square bracket ']'",
            )
        {
            if let Some(f) = c.fix_line() {
                drop_space_before(f, b']');
            }
        }
    }
    // \(\s, not \(\s*(?:\\)?$, not for\s*\(\s+;
    {
        let hit = space_after(line, b'(')
            && !(0..line.len()).any(|p| {
                line[p] == b'(' && {
                    let k = skip_space(line, p + 1);
                    k == line.len() || (line[k] == b'\\' && k + 1 == line.len())
                }
            })
            && !for_paren(line, |s, k| {
                let e = skip_space(s, k);
                e > k && s.get(e) == Some(&b';')
            });
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited after that open parenthesis '('",
            )
        {
            if let Some(f) = c.fix_line() {
                drop_space_after(f, b'(');
            }
        }
    }
    // (\s+)\), not ^.\s*\), not for\s*\(.*;\s+\), not :\s+\)
    {
        let hit = (1..line.len()).any(|p| line[p] == b')' && is_space(line[p - 1]))
            && (line.len() <= 1 || line.get(skip_space(line, 1)) != Some(&b')'))
            && !for_paren(line, |s, k| {
                (k..s.len()).any(|q| {
                    s[q] == b';' && {
                        let e = skip_space(s, q + 1);
                        e > q + 1 && s.get(e) == Some(&b')')
                    }
                })
            })
            && !(0..line.len()).any(|p| {
                line[p] == b':' && {
                    let e = skip_space(line, p + 1);
                    e > p + 1 && line.get(e) == Some(&b')')
                }
            });
        if hit
            && rep(
                c,
                Level::Error,
                "space prohibited before that close parenthesis ')'",
            )
        {
            if let Some(f) = c.fix_line() {
                drop_space_before(f, b')');
            }
        }
    }
    // \b(if|while|for|switch)\(
    {
        let hit = kw_paren(line).is_some();
        if hit
            && rep(
                c,
                Level::Error,
                "space required before the open parenthesis '('",
            )
        {
            if let Some(f) = c.fix_line() {
                if let Some(p) = kw_paren(f) {
                    f.insert(p, b' ');
                }
            }
        }
    }
    // ^.\s*\#\s*(ifdef|ifndef|elif)\s\s+
    if line.len() > 1 {
        let a = skip_space(line, 1);
        if line.get(a) == Some(&b'#') {
            let b = skip_space(line, a + 1);
            if let Some(w) = [&b"ifdef"[..], b"ifndef", b"elif"]
                .iter()
                .find(|w| line[b..].starts_with(w))
            {
                let k = b + w.len();
                let e = skip_space(line, k);
                if e >= k + 2 {
                    let msg = format!("exactly one space required after that #{}", text(w));
                    if rep(c, Level::Error, &msg) {
                        if let Some(f) = c.fix_line() {
                            if f.len() > 1 {
                                let a = skip_space(f, 1);
                                if f.get(a) == Some(&b'#') {
                                    let b = skip_space(f, a + 1);
                                    if let Some(w) = [&b"ifdef"[..], b"ifndef", b"elif"]
                                        .iter()
                                        .find(|w| f[b..].starts_with(w))
                                    {
                                        let k = b + w.len();
                                        let e = skip_space(f, k);
                                        if e >= k + 2 {
                                            f.splice(k..e, [b' ']);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// `X\s`: an `X` with a space after it.
fn space_after(s: &[u8], x: u8) -> bool {
    (0..s.len()).any(|p| s[p] == x && s.get(p + 1).is_some_and(|&b| is_space(b)))
}

/// `s/X\s+/X/` for the first `X` with spaces after it.
fn drop_space_after(f: &mut Vec<u8>, x: u8) {
    if let Some(p) = (0..f.len()).find(|&p| f[p] == x && f.get(p + 1).is_some_and(|&b| is_space(b)))
    {
        let e = skip_space(f, p + 1);
        f.drain(p + 1..e);
    }
}

/// `s/\s+X/X/` for the first run of spaces before `X`.
pub(super) fn drop_space_before(f: &mut Vec<u8>, x: u8) {
    if let Some(q) = (1..f.len()).find(|&q| f[q] == x && is_space(f[q - 1])) {
        let st = q - f[..q].iter().rev().take_while(|&&b| is_space(b)).count();
        f.drain(st..q);
    }
}

/// `for\s*\(` then `rest` from after the `(`.
pub(super) fn for_paren(s: &[u8], rest: impl Fn(&[u8], usize) -> bool) -> bool {
    memchr::memchr_iter(b'f', s)
        .filter(|&p| s[p..].starts_with(b"for"))
        .any(|p| {
            let k = skip_space(s, p + 3);
            s.get(k) == Some(&b'(') && rest(s, k + 1)
        })
}

/// `\b(if|while|for|switch)\(`: where the `(` is.
pub(super) fn kw_paren(s: &[u8]) -> Option<usize> {
    // One of `if(`, `while(`, `for(` or `switch(` somewhere.
    let any = memchr::memchr_iter(b'(', s).any(|p| {
        [&b"if"[..], b"while", b"for", b"switch"]
            .iter()
            .any(|w| s[..p].ends_with(w))
    });
    if !any {
        return None;
    }
    (0..s.len()).find_map(|p| {
        if p > 0 && is_word(s[p - 1]) {
            return None;
        }
        [&b"if"[..], b"while", b"for", b"switch"]
            .iter()
            .find(|w| s[p..].starts_with(w) && s.get(p + w.len()) == Some(&b'('))
            .map(|w| p + w.len())
    })
}
