// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The patch and its commit message: signatures (BAD_SIGN_OFF), the mail headers, diff
//! content in the message, long message lines, file path changes and execute permissions.

use super::*;

pub(super) const SIGNATURE_TAGS: &[&str] = &[
    "signed-off-by:",
    "co-developed-by:",
    "acked-by:",
    "tested-by:",
    "reviewed-by:",
    "reported-by:",
    "suggested-by:",
    "assisted-by:",
    "to:",
    "cc:",
];

pub(super) fn signature(
    c: &mut Checker<'_>,
    s: &str,
    next: Option<&str>,
    author: &str,
    line: usize,
    herecurr: &[Vec<u8>],
    seen: &mut Vec<String>,
) {
    // /^(\s*)([a-z0-9_-]+by:|$signature_tags)(\s*)(.*)/i
    let trimmed = s.trim_start();
    let space_before = &s[..s.len() - trimmed.len()];
    let lower = trimmed.to_ascii_lowercase();
    let tag_len = if let Some(t) = SIGNATURE_TAGS.iter().find(|t| lower.starts_with(**t)) {
        t.len()
    } else {
        let name: String = lower
            .chars()
            .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '-')
            .collect();
        if name.ends_with("by") && lower[name.len()..].starts_with(':') {
            name.len() + 1
        } else {
            return;
        }
    };
    let sign_off = &trimmed[..tag_len];
    let after = &trimmed[tag_len..];
    let email = after.trim_start();
    let space_after = &after[..after.len() - email.len()];
    let lower_tag = sign_off.to_ascii_lowercase();
    let ucfirst = {
        let mut cs = lower_tag.chars();
        cs.next()
            .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
            .unwrap_or_default()
    };
    if !SIGNATURE_TAGS.contains(&lower_tag.as_str()) {
        let suggested = standard_signature(sign_off);
        let msg = match suggested {
            Some(s) => format!("Non-standard signature: '{sign_off}' - perhaps '{s}'?"),
            None => format!("Non-standard signature: {sign_off}"),
        };
        let shown = c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            msg,
            "",
            line,
            line,
            herecurr.to_vec(),
        );
        if let (true, Some(sugg), Some(l)) = (shown, suggested, c.fix_line()) {
            // s/$sign_off/$suggested_signature/
            replace_first(l, sign_off.as_bytes(), sugg.as_bytes(), |_, _, _| true);
        }
    }
    if !space_before.is_empty()
        && c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            format!("Do not use whitespace before {ucfirst}"),
            "",
            line,
            line,
            herecurr.to_vec(),
        )
    {
        if let Some(l) = c.fix_line() {
            *l = format!("{ucfirst} {email}").into_bytes();
        }
    }
    if lower_tag.ends_with("-by:")
        && sign_off != ucfirst
        && c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            format!("'{ucfirst}' is the preferred signature form"),
            "",
            line,
            line,
            herecurr.to_vec(),
        )
    {
        if let Some(l) = c.fix_line() {
            *l = format!("{ucfirst} {email}").into_bytes();
        }
    }
    if space_after != " "
        && c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            format!("Use a single space after {ucfirst}"),
            "",
            line,
            line,
            herecurr.to_vec(),
        )
    {
        if let Some(l) = c.fix_line() {
            *l = format!("{ucfirst} {email}").into_bytes();
        }
    }
    if lower_tag == "assisted-by:" {
        return;
    }
    let valid = email
        .rfind('<')
        .zip(email.rfind('>'))
        .is_some_and(|(a, b)| a < b && email[a + 1..b].contains('@'))
        || (email.contains('@') && !email.contains(' '));
    if !valid {
        c.report(
            Level::Error,
            "BAD_SIGN_OFF",
            format!("Unrecognized email address: '{email}'"),
            "",
            line,
            line,
            herecurr.to_vec(),
        );
    }
    if valid {
        // The name part may carry one (comment); after the address only "# ..." or
        // "(...)" may follow.
        let name = match (email.find('<'), email.rfind('>')) {
            (Some(a), Some(b)) if a < b => &email[..a],
            _ => "",
        };
        if comments(name) > 1 {
            c.report(
                Level::Warning,
                "BAD_SIGN_OFF",
                format!("Use a single name comment in email: '{email}'"),
                "",
                line,
                line,
                herecurr.to_vec(),
            );
        }
    }
    // Duplicates: the whole line without whitespace, ignoring case.
    let key: String = s
        .chars()
        .filter(|ch| !ch.is_whitespace())
        .collect::<String>()
        .to_lowercase();
    if seen.contains(&key) {
        c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            "Duplicate signature".into(),
            "",
            line,
            line,
            herecurr.to_vec(),
        );
    } else {
        seen.push(key);
    }
    if lower_tag == "co-developed-by:" {
        if !author.is_empty() && email == author {
            c.report(
                Level::Warning,
                "BAD_SIGN_OFF",
                format!(
                    "Co-developed-by: should not be used to attribute nominal patch author \
                     '{author}'"
                ),
                "",
                line,
                line,
                herecurr.to_vec(),
            );
        }
        let sob = next.and_then(|n| {
            let lower = n.to_ascii_lowercase();
            lower
                .starts_with("signed-off-by:")
                .then(|| n[14..].trim_start().to_string())
        });
        match (next, sob) {
            (None, _) | (Some(_), None) => {
                let mut ctx = herecurr.to_vec();
                ctx.extend(next.map(|n| n.as_bytes().to_vec()));
                c.report(
                    Level::Warning,
                    "BAD_SIGN_OFF",
                    "Co-developed-by: must be immediately followed by Signed-off-by:".into(),
                    "",
                    line,
                    line,
                    ctx,
                );
            }
            (Some(n), Some(sob)) if sob != email => {
                let mut ctx = herecurr.to_vec();
                ctx.push(n.as_bytes().to_vec());
                c.report(
                    Level::Warning,
                    "BAD_SIGN_OFF",
                    "Co-developed-by and Signed-off-by: name/email do not match".into(),
                    "",
                    line,
                    line,
                    ctx,
                );
            }
            _ => {}
        }
    }
}

/// checkpatch.pl's find_standard_signature: a standard tag within edit distance 2.
pub(super) fn standard_signature(tag: &str) -> Option<&'static str> {
    const STANDARD: &[&str] = &[
        "Signed-off-by:",
        "Co-developed-by:",
        "Acked-by:",
        "Tested-by:",
        "Reviewed-by:",
        "Reported-by:",
        "Suggested-by:",
    ];
    let norm = |s: &str| -> Vec<char> { s.to_lowercase().chars().filter(|&c| c != '-').collect() };
    let a = norm(tag);
    STANDARD.iter().copied().find(|s| {
        let b = norm(s);
        let mut prev: Vec<usize> = (0..=b.len()).collect();
        for (i, ca) in a.iter().enumerate() {
            let mut cur = vec![i + 1];
            for (j, cb) in b.iter().enumerate() {
                let v = if ca == cb {
                    prev[j]
                } else {
                    1 + prev[j].min(prev[j + 1]).min(cur[j])
                };
                cur.push(v);
            }
            prev = cur;
        }
        prev[b.len()] <= 2
    })
}

/// Number of `(...)` comments (`\([^\)]+\)`) in a name.
pub(super) fn comments(name: &str) -> usize {
    let mut n = 0;
    let mut rest = name;
    while let Some(a) = rest.find('(') {
        match rest[a + 1..].find(')') {
            Some(b) if b > 0 => {
                n += 1;
                rest = &rest[a + 1 + b + 1..];
            }
            Some(b) => rest = &rest[a + 1 + b + 1..],
            None => break,
        }
    }
    n
}

pub(super) fn header_line(s: &str) -> bool {
    // /^\s+(?:\S|$)/ or /^(?:commit\b|from\b|[\w-]+:)/i
    if s.starts_with(|ch: char| ch.is_ascii_whitespace()) && !s.is_empty() {
        return true;
    }
    let lower = s.to_ascii_lowercase();
    for w in ["commit", "from"] {
        if let Some(rest) = lower.strip_prefix(w) {
            if !rest.starts_with(|ch: char| ch.is_ascii_alphanumeric() || ch == '_') {
                return true;
            }
        }
    }
    let key: String = s
        .chars()
        .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '-')
        .collect();
    !key.is_empty() && s[key.len()..].starts_with(':')
}

pub(super) fn diff_like(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with("--- a/") || t.starts_with("+++ b/") {
        return true;
    }
    if let Some(rest) = t.strip_prefix("@@ -") {
        let ok = |part: &str| {
            part.split_once(',')
                .is_some_and(|(a, b)| a.parse::<u64>().is_ok() && b.parse::<u64>().is_ok())
        };
        if let Some((a, rest)) = rest.split_once(" +") {
            if let Some((b, _)) = rest.split_once(" @@") {
                return ok(a) && ok(b);
            }
        }
    }
    if s.starts_with(|ch: char| ch.is_ascii_whitespace()) {
        if let Some(pos) = t.find("diff") {
            let after = &t[pos..];
            if let Some(a) = after.find("a/") {
                let path: String = after[a + 2..]
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_' || *ch == '/')
                    .collect();
                return !path.is_empty() && after.contains(&format!("b/{path}"));
            }
        }
    }
    false
}

pub(super) fn long_log_exempt(s: &str) -> bool {
    let t = s.trim_start();
    // File delta changes: "path | 12".
    let name: String = t
        .chars()
        .take_while(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '/' | '.'))
        .collect();
    if !name.is_empty() {
        let rest = t[name.len()..].trim_start();
        if let Some(r) = rest.strip_prefix('|') {
            if r.trim_start().starts_with(|ch: char| ch.is_ascii_digit())
                && rest.len() < t.len() - name.len() + 1
            {
                return true;
            }
        }
    }
    // A path then a colon.
    let path: String = t
        .chars()
        .take_while(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '/' | '.' | '-' | '+'))
        .collect();
    if path.contains('/') && t[path.len()..].starts_with(':') && !path.ends_with('/') {
        return true;
    }
    let lower = t.to_ascii_lowercase();
    lower.starts_with("fixes:")
        || lower.starts_with("link:")
        || lower.starts_with("closes:")
        || SIGNATURE_TAGS.iter().any(|tag| lower.starts_with(tag))
}

pub(super) fn path_change(s: &str) -> bool {
    let mode_line = |rest: &str| {
        let rest = rest.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        !digits.is_empty() && rest[digits.len()..].trim().is_empty()
    };
    // Only these start with `n`, `d` or `r`.
    if !s.starts_with(['n', 'd', 'r']) {
        return s.as_bytes().contains(&b'>') && brace_rename(s);
    }
    if let Some(rest) = s
        .strip_prefix("new file mode")
        .or_else(|| s.strip_prefix("deleted file mode"))
    {
        return mode_line(rest);
    }
    if let Some(rest) = s
        .strip_prefix("rename from ")
        .or_else(|| s.strip_prefix("rename to "))
    {
        let rest = rest.trim_end();
        return !rest.is_empty()
            && rest
                .chars()
                .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '/' | '.' | '-'));
    }
    // `{ a => b }` needs a `>`, which most lines do not have.
    s.as_bytes().contains(&b'>') && brace_rename(s)
}

/// `\{\s*([\w\/\.\-]*)\s*\=\>\s*([\w\/\.\-]*)\s*\}`, as path_change reads it.
pub(super) fn brace_rename(s: &str) -> bool {
    if let Some((a, b)) = s.find('{').and_then(|a| Some((a, s.find('}')?))) {
        if a < b && s[a..b].contains("=>") {
            return s[a + 1..b].split("=>").all(|p| {
                p.trim()
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || matches!(ch, '_' | '/' | '.' | '-'))
            });
        }
    }
    false
}

pub(super) fn executable_mode(mode: &str) -> bool {
    // /^new (file )?mode.*[7531]\d{0,2}$/: one of 7, 5, 3, 1 within the last three digits.
    let digits: Vec<u8> = mode.bytes().rev().take_while(u8::is_ascii_digit).collect();
    digits
        .iter()
        .take(3)
        .any(|d| matches!(d, b'7' | b'5' | b'3' | b'1'))
}

/// checkpatch.pl's "possible stack dump" lines, where commit ids are not checked.
pub(super) fn stack_dump_line(s: &str) -> bool {
    let t = s.trim_start();
    if t.starts_with("WARNING:") || t.starts_with("BUG:") {
        return true;
    }
    if let Some(r) = t.strip_prefix('[') {
        let r = r.trim_start();
        let int: usize = r.bytes().take_while(u8::is_ascii_digit).count();
        if int > 0 && r[int..].starts_with('.') {
            let frac = r[int + 1..].bytes().take_while(u8::is_ascii_digit).count();
            if frac == 6 && r[int + 1 + frac..].trim_start().starts_with(']') {
                return true;
            }
        }
        if let Some(h) = r.strip_prefix('<') {
            let n = h.bytes().take_while(u8::is_ascii_hexdigit).count();
            if n >= 8 && h[n..].starts_with(">]") {
                return true;
            }
        }
    }
    false
}

pub(super) fn is_shebang(raw: &[u8]) -> bool {
    let s = text(raw);
    let Some(rest) = s.strip_prefix('+').or_else(|| s.strip_prefix(' ')) else {
        return false;
    };
    let rest = rest.trim_start();
    rest.strip_prefix("#!")
        .is_some_and(|r| r.trim_start().starts_with('/'))
}

/// Whether a line may be a signature or a sign-off (`^\s*[\w-]+:`), before its $line is
/// built for the checks.
pub(super) fn signature_like(raw: &[u8]) -> bool {
    let i = raw.iter().take_while(|&&b| is_space(b)).count();
    let n = raw[i..]
        .iter()
        .take_while(|&&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        .count();
    n > 0 && raw.get(i + n) == Some(&b':')
}
