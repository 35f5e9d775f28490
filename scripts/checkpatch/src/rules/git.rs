// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Commit references in commit messages: `Fixes:` tags and `commit <sha1> ("title")`.
//!
//! As in checkpatch.pl, ids are looked up with `git log` in the current directory when it
//! is a git repository (`$GIT_DIR` or `.git`).

use std::path::Path;
use std::process::Command;

/// checkpatch.pl's git_commit_info: `(id, title)` of `commit`, `id` `None` when git says
/// the commit does not exist. Without git or a repository, the defaults come back.
pub(crate) fn commit_info(
    commit: &str,
    id: Option<String>,
    desc: Option<String>,
) -> (Option<String>, Option<String>) {
    let gitroot = std::env::var("GIT_DIR").unwrap_or_else(|_| ".git".into());
    if !Path::new(&gitroot).exists() {
        return (id, desc);
    }
    let Ok(out) = Command::new("git")
        .args(["log", "--no-color", "--format=%H %s", "-1", commit])
        .output()
    else {
        return (id, desc);
    };
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    let first = text.lines().map(str::trim_start).find(|l| !l.is_empty());
    let Some(first) = first else {
        return (id, desc);
    };
    if first.starts_with(&format!("error: short SHA1 {commit} is ambiguous")) {
        (id, desc)
    } else if first.starts_with(&format!(
        "fatal: ambiguous argument '{commit}': unknown revision"
    )) || first.starts_with(&format!("fatal: bad object {commit}"))
    {
        (None, desc)
    } else {
        (
            Some(first.chars().take(12).collect()),
            Some(first.get(41..).unwrap_or("").to_string()),
        )
    }
}

/// End (exclusive) of the balanced parenthesis group starting at `s[start] == '('`.
pub(crate) fn balanced(s: &str, start: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (i, ch) in s[start..].char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(start + i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

fn hex_run(s: &str) -> usize {
    s.bytes().take_while(u8::is_ascii_hexdigit).count()
}

fn word_boundary_after(s: &str, i: usize) -> bool {
    s.as_bytes()
        .get(i)
        .is_none_or(|&b| !(b.is_ascii_alphanumeric() || b == b'_'))
}

fn word_boundary_before(s: &str, i: usize) -> bool {
    i == 0 || !s.as_bytes()[i - 1].is_ascii_alphanumeric() && s.as_bytes()[i - 1] != b'_'
}

/// Finds `\bcommit\s+HEX{min,}\b` (case-insensitive): (start of "commit", hex start, hex len).
fn find_commit(s: &str, min: usize) -> Option<(usize, usize, usize)> {
    let lower = s.to_ascii_lowercase();
    let mut from = 0;
    while let Some(p) = lower[from..].find("commit") {
        let at = from + p;
        from = at + 6;
        if !word_boundary_before(&lower, at) {
            continue;
        }
        let rest = &lower[at + 6..];
        let ws = rest.len() - rest.trim_start().len();
        if ws == 0 {
            continue;
        }
        let h = at + 6 + ws;
        let n = hex_run(&lower[h..]);
        if n >= min && word_boundary_after(&lower, h + n) {
            return Some((at, h, n));
        }
    }
    None
}

/// The Fixes: tag check. Returns the warning message, if any.
pub(crate) fn fixes_tag(line: &str) -> Option<String> {
    // /^\s*(fixes:?)\s*(?:commit\s*)?([0-9a-f]{5,40})(?:\s*($balanced_parens))?/i
    let t = line.trim_start();
    if !t
        .as_bytes()
        .get(..5)
        .is_some_and(|p| p.eq_ignore_ascii_case(b"fixes"))
    {
        return None;
    }
    let lower = t.to_ascii_lowercase();
    let tag_len = if lower[5..].starts_with(':') { 6 } else { 5 };
    let tag = &t[..tag_len];
    let mut rest = t[tag_len..].trim_start();
    if rest.to_ascii_lowercase().starts_with("commit") {
        rest = rest[6..].trim_start();
    }
    let n = hex_run(rest).min(40);
    if n < 5 {
        return None;
    }
    // Perl's greedy {5,40} then the optional group: the hex run may be longer than 40, in
    // which case the match stops at 40 characters.
    let orig = &rest[..n];
    let after = &rest[n..];
    let after_t = after.trim_start();
    let (mut title, mut quoted) = ("commit title".to_string(), false);
    let mut parens = None;
    if after_t.starts_with('(') {
        let start = rest.len() - after_t.len();
        if let Some(end) = balanced(rest, start) {
            parens = Some(&rest[start..end]);
        }
    }
    if let Some(p) = parens {
        let inner = &p[1..p.len() - 1];
        title = inner.to_string();
        if inner.len() >= 2 && inner.starts_with('"') && inner.ends_with('"') {
            title = inner[1..inner.len() - 1].to_string();
            quoted = true;
        }
    }
    let tag_case = tag != "Fixes:";
    // /^fixes:? [0-9a-f]{5,40} ($balanced_parens)/i on the untrimmed line.
    let tag_space = !{
        let l = line.to_ascii_lowercase();
        let r = l.strip_prefix("fixes:").or_else(|| l.strip_prefix("fixes"));
        r.and_then(|r| r.strip_prefix(' ')).is_some_and(|r| {
            let n = hex_run(r);
            (5..=40).contains(&n) && r[n..].starts_with(" (") && balanced(r, n + 1).is_some()
        })
    };
    let id_length = orig.len() != 12;
    let id_case = orig.bytes().any(|b| b.is_ascii_uppercase());
    let (cid, ctitle) = commit_info(orig, Some("0123456789ab".into()), Some(title.clone()));
    let ctitle = ctitle.unwrap_or_default();
    if ctitle != title || tag_case || tag_space || id_length || id_case || !quoted {
        return Some(format!(
            "Please use correct Fixes: style 'Fixes: <12 chars of sha1> (\"<title line>\")' - ie: 'Fixes: {} (\"{}\")'",
            cid.unwrap_or_default(),
            ctitle
        ));
    }
    None
}

/// The unknown commit id check: `(^fixes:|\bcommit)\s+([0-9a-f]{6,40})\b`.
pub(crate) fn unknown_commit(line: &str) -> Option<String> {
    let lower = line.to_ascii_lowercase();
    let id = if let Some(rest) = lower.strip_prefix("fixes:") {
        let ws = rest.len() - rest.trim_start().len();
        let n = hex_run(&rest[ws..]);
        (ws > 0 && (6..=40).contains(&n) && word_boundary_after(rest, ws + n))
            .then(|| rest[ws..ws + n].to_string())
    } else {
        None
    };
    let id = id.or_else(|| {
        let (_, h, n) = find_commit(line, 6)?;
        (n <= 40).then(|| lower[h..h + n].to_string())
    })?;
    let (found, _) = commit_info(&id, None, None);
    found
        .is_none()
        .then(|| format!("Unknown commit id '{id}', maybe rebased or not pulled?"))
}

/// The commit reference style check. `next` are the following raw lines (two at most).
/// Returns the message and how many following lines belong to the context.
pub(crate) fn commit_style(line: &str, next: &[&str]) -> Option<(String, usize)> {
    let lower = line.to_ascii_lowercase();
    let t = lower.trim_start();
    if [
        "link:",
        "patchwork:",
        "http:",
        "https:",
        "buglink:",
        "base-commit:",
    ]
    .iter()
    .any(|p| t.starts_with(p))
    {
        return None;
    }
    if let Some(r) = line.strip_prefix("This reverts commit ") {
        if hex_run(r) >= 7 {
            return None;
        }
    }
    let ends_commit = lower.trim_end().ends_with("commit")
        && word_boundary_before(&lower, lower.trim_end().len() - 6);
    let has_commit = find_commit(line, 5).is_some()
        || (ends_commit && next.first().is_some_and(|n| hex_run(n.trim_start()) >= 5));
    let bare = bare_sha(line);
    if !(has_commit || bare) {
        return None;
    }
    let mut input = line.to_string();
    let mut orig_desc = "commit description".to_string();
    let mut has_quotes = false;
    let mut extra = 0;
    if find_commit(line, 5).is_some() || ends_commit {
        for n in 0..2 {
            if let Some((_, h, len)) = find_commit(&input, 5) {
                let after = &input[h + len..];
                let a = after.trim_start();
                if a.starts_with('(') {
                    let start = input.len() - a.len();
                    if let Some(end) = balanced(&input, start) {
                        let inner = &input[start + 1..end - 1];
                        orig_desc = inner.to_string();
                        if inner.len() >= 2 && inner.starts_with('"') && inner.ends_with('"') {
                            orig_desc = inner[1..inner.len() - 1].to_string();
                            has_quotes = true;
                        }
                        extra = n;
                        break;
                    }
                }
            }
            let Some(l) = next.get(n) else {
                break;
            };
            input.push(' ');
            input.push_str(l.trim());
        }
        if !has_quotes && orig_desc == "commit description" {
            extra = 0;
        }
    }
    let mut init_char = 'c';
    let orig_commit;
    let (mut short, mut long, mut space, mut case) = (true, false, true, true);
    if let Some((at, h, n)) = find_commit(&input, 5) {
        init_char = char::from(input.as_bytes()[at]);
        orig_commit = input[h..h + n].to_ascii_lowercase();
        short = n < 12;
        long = n >= 41;
        space = &input[at + 6..h] != " ";
        // /\b[Cc]ommit\s+[0-9a-f]{5,40}[^A-F]/
        let word = &input[at..at + 6];
        let hex = &input[h..h + n];
        let lower_hex = hex.bytes().all(|b| !b.is_ascii_uppercase());
        let next_ok = input
            .as_bytes()
            .get(h + n)
            .is_some_and(|b| !(b'A'..=b'F').contains(b));
        case = !((word == "commit" || word == "Commit") && lower_hex && n <= 40 && next_ok);
    } else if let Some(sha) = first_sha(&input) {
        orig_commit = sha;
    } else {
        return None;
    }
    let (id, description) = commit_info(
        &orig_commit,
        Some("0123456789ab".into()),
        Some(orig_desc.clone()),
    );
    let id = id?;
    let description = description.unwrap_or_default();
    if short || long || space || case || orig_desc != description || !has_quotes {
        return Some((
            format!(
                "Please use git commit description style 'commit <12+ chars of sha1> (\"<title line>\")' - ie: '{init_char}ommit {id} (\"{description}\")'"
            ),
            if has_quotes || orig_desc != "commit description" { extra } else { 0 },
        ));
    }
    None
}

/// `(?:\s|^)[0-9a-f]{12,40}(?:[\s"'\(\[]|$)`, not in `<...>`/`[...]`, not after `fixes:`.
fn bare_sha(line: &str) -> bool {
    let b = line.as_bytes();
    let lower = line.to_ascii_lowercase();
    let mut found = false;
    let mut i = 0;
    while i < b.len() {
        if (i == 0 || b[i - 1].is_ascii_whitespace()) && b[i].is_ascii_hexdigit() {
            let n = hex_run(&line[i..]);
            let after = b.get(i + n);
            if (12..=40).contains(&n)
                && after.is_none_or(|c| c.is_ascii_whitespace() || b"\"'([".contains(c))
            {
                found = true;
            }
            i += n.max(1);
        } else {
            i += 1;
        }
    }
    if !found {
        return false;
    }
    let bracketed = b.iter().enumerate().any(|(j, &c)| {
        (c == b'<' || c == b'[') && {
            let n = hex_run(&line[j + 1..]);
            (12..=40).contains(&n) && matches!(b.get(j + 1 + n), Some(b'>') | Some(b']'))
        }
    });
    let fixes = lower.match_indices("fixes:").any(|(j, _)| {
        let r = lower[j + 6..].trim_start();
        (12..=40).contains(&hex_run(r)) && word_boundary_before(&lower, j)
    });
    !bracketed && !fixes
}

fn first_sha(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if word_boundary_before(s, i) && b[i].is_ascii_hexdigit() {
            let n = b[i..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
                .count();
            let h = hex_run(&s[i..]);
            if h == n && (12..=40).contains(&n) {
                return Some(s[i..i + n].to_ascii_lowercase());
            }
            i += n.max(1);
        } else {
            i += 1;
        }
    }
    None
}
