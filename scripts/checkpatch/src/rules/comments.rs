// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Comments and words: SPDX_LICENSE_TAG, TYPO_SPELLING, REPEATED_WORD and
//! EMBEDDED_FILENAME.

use super::*;

/// The SPDX tag, written so that this line does not hold it (checkpatch.pl reports the
/// tag on any line but the first).
pub(super) const SPDX_TAG: &str = concat!("SPDX-", "License-Identifier:");

/// SPDX_LICENSE_TAG on the line where the tag belongs: missing, malformed, or in the
/// wrong comment style.
pub(super) fn spdx_first_line(c: &mut Checker<'_>, fs: &FileState, at: &At<'_>) {
    let raw = at.raw;
    let f = &fs.realfile;
    let ends = |exts: &[&str]| exts.iter().any(|e| f.ends_with(e));
    let comment = if ends(&[".h", ".s", ".S"]) {
        "/*"
    } else if ends(&[".c", ".rs", ".dts", ".dtsi"]) {
        "//"
    } else if fs.checklicenseline == 2 || ends(&[".sh", ".pl", ".py", ".awk", ".tc", ".yaml"]) {
        "#"
    } else if ends(&[".rst"]) {
        ".."
    } else {
        ""
    };
    let s = text(raw);
    if ends(&[".c", ".h", ".s", ".S"]) && s.contains(SPDX_TAG) {
        let rest = s[1..].trim_start();
        if !rest.starts_with(comment) {
            c.report_at(
                at,
                Level::Warning,
                "SPDX_LICENSE_TAG",
                format!("Improper SPDX comment style for '{f}', please use '{comment}' instead"),
                at.herecurr(),
            );
        }
    }
    if !comment.is_empty() && !s.starts_with(&format!("+{comment} {SPDX_TAG} ")) {
        c.report_at(
            at,
            Level::Warning,
            "SPDX_LICENSE_TAG",
            format!(
                "Missing or malformed SPDX-License-Identifier tag in line {}",
                fs.checklicenseline
            ),
            at.herecurr(),
        );
    } else if let Some(p) = s.find(&format!("{SPDX_TAG} ")) {
        dt_binding_licence(c, f, at, &s[p..]);
    }
}

/// SPDX_LICENSE_TAG's DT binding forms, on `license` (the line from the tag on, as
/// checkpatch.pl's regex takes it): a binding document (WARNING, CHECK with `-f`)
/// licensed other than `GPL-2.0(-only) OR BSD-2-Clause`, which the fix makes
/// `(GPL-2.0-only OR BSD-2-Clause)`, and a binding header (WARNING) licensed other than
/// `GPL-2.0(-only) OR` something. (Whether the licence is one of LICENSES/, which
/// checkpatch.pl asks scripts/spdxcheck.py in a kernel tree, is not checked.)
fn dt_binding_licence(c: &mut Checker<'_>, f: &str, at: &At<'_>, license: &str) {
    // /GPL-2\.0(?:-only)? OR $rest/: `rest` tests what follows.
    let gpl_or = |rest: &dyn Fn(&str) -> bool| {
        license.match_indices("GPL-2.0").any(|(k, _)| {
            let r = &license[k + 7..];
            let r = r.strip_prefix("-only").unwrap_or(r);
            r.strip_prefix(" OR ").is_some_and(rest)
        })
    };
    if f.starts_with("Documentation/devicetree/bindings/")
        && !gpl_or(&|r: &str| r.starts_with("BSD-2-Clause"))
    {
        let level = if c.file_mode {
            Level::Check
        } else {
            Level::Warning
        };
        if c.report_at(
            at,
            level,
            "SPDX_LICENSE_TAG",
            "DT binding documents should be licensed (GPL-2.0-only OR BSD-2-Clause)".into(),
            at.herecurr(),
        ) {
            if let Some(l) = c.fix_line() {
                // checkpatch.pl's s/TAG .*/TAG (GPL-2.0-only OR BSD-2-Clause)/, TAG the tag.
                let tag = format!("{SPDX_TAG} ");
                if let Some(k) = memchr::memmem::find(l, tag.as_bytes()) {
                    l.truncate(k + tag.len());
                    l.extend_from_slice(b"(GPL-2.0-only OR BSD-2-Clause)");
                }
            }
        }
    }
    if f.starts_with("include/dt-bindings/")
        && !gpl_or(&|r: &str| r.bytes().next().is_some_and(|b| !is_space(b)))
    {
        c.report_at(
            at,
            Level::Warning,
            "SPDX_LICENSE_TAG",
            "DT binding headers should be licensed (GPL-2.0-only OR .*)".into(),
            at.herecurr(),
        );
    }
}

/// TYPO_SPELLING: the words of checkpatch.pl's misspellings list.
pub(super) fn typos(c: &mut Checker<'_>, at: &At<'_>) {
    let raw = at.raw;
    if c.opts.spelling.is_empty() {
        return;
    }
    // checkpatch.pl's /(?:^|[^\w\-'`])(?i)($misspellings)(?:[^\w\-'`]|$)/g: every run of
    // word bytes is a candidate, but for the one right after a misspelling found, whose
    // separator that match consumed.
    let n = raw.len();
    let mut consumed = None;
    let mut i = 0;
    let spell = |b: u8| CLASS[usize::from(b)] & SPELL != 0;
    while i < n {
        while i < n && !spell(raw[i]) {
            i += 1;
        }
        let start = i;
        // The word and its hash, in one pass.
        let mut h = crate::Spelling::HASH_START;
        while i < n && spell(raw[i]) {
            h = crate::Spelling::hash_byte(h, raw[i]);
            i += 1;
        }
        let end = i;
        if start == end
            || (start > 0 && consumed == Some(start - 1))
            || !c.opts.spelling.may_have(h)
        {
            continue;
        }
        let word = &raw[start..end];
        if let Some(fix) = c.opts.spelling.get_hashed(word, h) {
            let typo = text(word);
            let mut fix = fix.to_string();
            if typo.starts_with(|ch: char| ch.is_ascii_uppercase()) {
                let mut cs = fix.chars();
                fix = cs
                    .next()
                    .map(|f| f.to_ascii_uppercase().to_string() + cs.as_str())
                    .unwrap_or_default();
            }
            if typo.chars().all(|ch| ch.is_ascii_uppercase()) {
                fix = fix.to_ascii_uppercase();
            }
            let ptr = format!("{}{}", &copy_spacing(&raw[..start]), "^".repeat(word.len()));
            let level = c.warn_or_check();
            if c.report_at(
                at,
                level,
                "TYPO_SPELLING",
                format!("'{typo}' may be misspelled - perhaps '{fix}'?"),
                vec![
                    at.here_file().as_bytes().to_vec(),
                    raw.to_vec(),
                    ptr.into_bytes(),
                ],
            ) {
                if let Some(l) = c.fix_line() {
                    // s/(^|[^A-Za-z@])($typo)($|[^A-Za-z@])/$1$typo_fix$3/
                    let other = |b: u8| !(b.is_ascii_alphabetic() || b == b'@');
                    replace_first(l, word, fix.as_bytes(), |l, a, b| {
                        (a == 0 || other(l[a - 1])) && l.get(b).is_none_or(|&x| other(x))
                    });
                }
            }
            // The separator after the typo is consumed by the match.
            consumed = Some(end);
        }
    }
}

/// A word as checkpatch.pl's `\b[A-Z]?[a-z]{2,}\b` sees it: a whole `\w` run.
pub(super) fn word_at(raw: &[u8], i: usize) -> Option<usize> {
    if i > 0 && is_word(raw[i - 1]) {
        return None;
    }
    let mut end = i;
    while end < raw.len() && is_word(raw[end]) {
        end += 1;
    }
    let w = &raw[i..end];
    let lower = if w.first().is_some_and(u8::is_ascii_uppercase) {
        &w[1..]
    } else {
        w
    };
    (lower.len() >= 2 && lower.iter().all(u8::is_ascii_lowercase)).then_some(end)
}

/// REPEATED_WORD: two equal words in a row, in the commit message or an added line.
pub(super) fn repeated_words(c: &mut Checker<'_>, at: &At<'_>, in_commit_log: bool) {
    let raw = at.raw;
    if !equal_neighbours(raw) || ls_listing(raw) {
        return;
    }
    let mut i = if in_commit_log { 0 } else { 1 };
    while i < raw.len() {
        let Some(end1) = word_at(raw, i) else {
            // No match can start inside a word: skip it whole.
            i += 1;
            while i < raw.len() && is_word(raw[i]) && is_word(raw[i - 1]) {
                i += 1;
            }
            continue;
        };
        if raw.get(end1) != Some(&b' ') {
            i = end1.max(i + 1);
            continue;
        }
        let Some(end2) = word_at(raw, end1 + 1) else {
            i = end1 + 1;
            continue;
        };
        let (fb, sb) = (&raw[i..end1], &raw[end1 + 1..end2]);
        let start = i;
        i = end1 + 1;
        if [&b"struct"[..], b"union", b"enum"]
            .iter()
            .any(|k| fb.windows(k.len()).any(|w| w == *k))
        {
            // checkpatch.pl's pos() += length($first) + length($second) + 1, from
            // the end of its match (after the space).
            i += fb.len() + sb.len() + 1;
            continue;
        }
        if !fb.eq_ignore_ascii_case(sb) || fb == b"long" {
            continue;
        }
        let (first, second) = (text(fb), text(sb));
        let min = if in_commit_log { 0 } else { 1 };
        if start > min && !is_space(raw[start - 1]) {
            continue;
        }
        if let Some(&e) = raw.get(end2) {
            if !b" \t.,;?!".contains(&e) {
                continue;
            }
        }
        let hexy = first.len() >= 2 && first.bytes().all(|b| b.is_ascii_hexdigit());
        if hexy && !["add", "added", "bad", "be"].contains(&first.to_ascii_lowercase().as_str()) {
            continue;
        }
        if c.report_at(
            at,
            Level::Warning,
            "REPEATED_WORD",
            format!("Possible repeated word: '{first}'"),
            at.herecurr(),
        ) {
            if let Some(l) = c.fix_line() {
                // s/\b$first $second\b/$first/
                let pair = format!("{first} {second}");
                replace_first(l, pair.as_bytes(), first.as_bytes(), |l, a, b| {
                    (a == 0 || !is_word(l[a - 1])) && l.get(b).is_none_or(|&x| !is_word(x))
                });
            }
        }
    }
}

/// Whether a sanitized line ends in a comment (`/$;+\s*$/`).
pub(super) fn ends_in_comment(line: &[u8]) -> bool {
    line.iter()
        .rposition(|&b| !is_space(b))
        .is_some_and(|i| line[i] == COMMENT_BYTE)
}

/// The last `$word_pattern` word of a line, if the line ends with it (bytes, as Perl
/// reads the line: a byte above 0x7f is not a word character).
pub(super) fn last_word(raw: &[u8]) -> Option<String> {
    let end = raw.iter().rposition(|&b| !is_space(b)).map_or(0, |p| p + 1);
    let t = &raw[..end];
    let start = t.iter().rposition(|&b| !is_word(b)).map_or(0, |p| p + 1);
    let w = &t[start..];
    word_at(w, 0).filter(|&e| e == w.len()).map(|_| text(w))
}

/// Whether two runs of word bytes separated by one space are equal but for case: what
/// a repeated word needs.
pub(super) fn equal_neighbours(raw: &[u8]) -> bool {
    let n = raw.len();
    // The previous run of word bytes, and the current one.
    let mut prev = (0, 0);
    let mut i = 0;
    while i < n {
        if !is_word(raw[i]) {
            i += 1;
            continue;
        }
        let start = i;
        while i < n && is_word(raw[i]) {
            i += 1;
        }
        let (ps, pe) = prev;
        if pe + 1 == start
            && pe > ps
            && raw[pe] == b' '
            && i - start == pe - ps
            && raw[ps..pe].eq_ignore_ascii_case(&raw[start..i])
        {
            return true;
        }
        prev = (start, i);
    }
    false
}

/// checkpatch.pl skips lines like `-rw-r--r-- 1 root root` (`/[bcCdDlMnpPs\?-][rwxsStT-]{9}/`).
pub(super) fn ls_listing(raw: &[u8]) -> bool {
    let perm = |b: u8| CLASS[usize::from(b)] & PERM != 0;
    // A match with its type byte at `p`: `raw[p + 1..=p + 9]` are permission bytes.
    let mut p = 0;
    while p + 9 < raw.len() {
        // The permission bytes that end at p + 9: a byte that is not one rules out
        // every match that would cover it.
        let run = raw[p + 1..=p + 9]
            .iter()
            .rev()
            .take_while(|&&b| perm(b))
            .count();
        if run < 9 {
            p += 9 - run;
        } else if CLASS[usize::from(raw[p])] & PERM_TYPE != 0 {
            return true;
        } else {
            p += 1;
        }
    }
    false
}

/// REPEATED_WORD across lines: the last word of the comment on the line before
/// (`prev_raw`) again at the start of this block comment line (` * WORD `).
pub(super) fn comment_repeat(c: &mut Checker<'_>, at: &At<'_>, prev_raw: &[u8]) {
    let raw = at.raw;
    let Some(word) = last_word(prev_raw) else {
        return;
    };
    let rest = text(raw.get(1..).unwrap_or(&[]));
    let rest = rest.trim_start();
    if raw.first() != Some(&b'+') {
        return;
    }
    if let Some(r) = rest.strip_prefix('*') {
        if r.trim_start()
            .strip_prefix(word.as_str())
            .is_some_and(|t| t.starts_with(' '))
            && c.report_at(
                at,
                Level::Warning,
                "REPEATED_WORD",
                format!("Possible repeated word: '{word}'"),
                vec![
                    at.here_file().as_bytes().to_vec(),
                    prev_raw.to_vec(),
                    raw.to_vec(),
                ],
            )
        {
            if let Some(l) = c.fix_line() {
                fix_comment_repeat(l, word.as_bytes());
            }
        }
    }
}

/// checkpatch.pl's `s/(\+\s*\*\s*)$last_word /$1/`.
pub(super) fn fix_comment_repeat(l: &mut Vec<u8>, word: &[u8]) {
    for p in (0..l.len()).filter(|&p| l[p] == b'+') {
        let i = skip_space(l, p + 1);
        if l.get(i) != Some(&b'*') {
            continue;
        }
        let j = skip_space(l, i + 1);
        if l[j..].starts_with(word) && l.get(j + word.len()) == Some(&b' ') {
            l.drain(j..=j + word.len());
            return;
        }
    }
}

/// Whether `line` (without its leading `+`) contains `word` as checkpatch.pl's
/// `\bWORD\b` would find it.
pub(super) fn contains_bounded(
    line: &[u8],
    word: &memchr::memmem::Finder<'_>,
    from: usize,
) -> bool {
    let w = word.needle();
    let (Some(&first), Some(&last)) = (w.first(), w.last()) else {
        return false;
    };
    let mut i = from;
    while let Some(p) = line.get(i..).and_then(|rest| word.find(rest)) {
        let at = i + p;
        if boundary(line, at, first, true) && boundary(line, at + w.len(), last, false) {
            return true;
        }
        i = at + 1;
    }
    false
}

/// Perl's `\b` between `line[i-1]` and `line[i]`, given the word's edge byte.
pub(super) fn boundary(line: &[u8], i: usize, edge: u8, start: bool) -> bool {
    let other = if start {
        i.checked_sub(1).map(|j| line[j])
    } else {
        line.get(i).copied()
    };
    let other_word = other.is_some_and(is_word);
    is_word(edge) != other_word
}

/// SPDX_LICENSE_TAG: the tag on a line of a source file other than its license line.
/// checkpatch.pl finds the tag on `$rawline`, then means to ask that `$line` has a comment
/// there, but its `substr($line, @-, @+ - @-)` takes the sizes of `@-` and `@+` (1 and 1),
/// compares an empty string and always holds: a tag in code or in a string is reported
/// too.
pub(super) fn misplaced_spdx(c: &mut Checker<'_>, fs: &FileState, at: &At<'_>) {
    let raw = at.raw;
    let tag = SPDX_TAG.as_bytes();
    let found = raw.len() >= tag.len()
        && memchr::memchr_iter(tag[0], raw)
            .any(|p| raw[p..].starts_with(tag) && (p == 0 || !is_word(raw[p - 1])));
    if found {
        c.report_at(
            at,
            Level::Warning,
            "SPDX_LICENSE_TAG",
            format!(
                "Misplaced SPDX-License-Identifier tag - use line {} instead",
                fs.checklicenseline
            ),
            at.herecurr(),
        );
    }
}

/// EMBEDDED_FILENAME: the file's own path (`name`) in an added line, as `\bPATH\b`.
pub(super) fn embedded_filename(
    c: &mut Checker<'_>,
    at: &At<'_>,
    name: &memchr::memmem::Finder<'_>,
) {
    if contains_bounded(at.raw, name, 1) && !at.realfile.is_empty() {
        c.report_at(
            at,
            Level::Warning,
            "EMBEDDED_FILENAME",
            "It's generally not useful to have the filename in the file".into(),
            at.herecurr(),
        );
    }
}

/// [`fsf_address`]'s patterns, each as its words: between two, `\s+`, or a single space
/// for the first (written in words, so that this file does not hold the phrase).
const PATTERNS: &[(&[&[u8]], bool)] = &[
    (&[b"write", b"to", b"the", b"free"], false),
    (&[b"675", b"mass", b"ave"], true),
    (&[b"59", b"temple", b"pl"], true),
    (&[b"51", b"franklin", b"st"], true),
];

/// Whether `input` may hold one of [`fsf_address`]'s patterns: it holds, in any case,
/// the first one whole (its words and single spaces) or the second word of another.
/// Most inputs do not, and then no line is searched.
pub(super) fn fsf_possible(input: &[u8]) -> bool {
    let lower = input.to_ascii_lowercase();
    PATTERNS.iter().any(|&(words, spaced)| {
        let needle = if spaced {
            words[1].to_vec()
        } else {
            words.join(&b' ')
        };
        memchr::memmem::find(&lower, &needle).is_some()
    })
}

/// FSF_MAILING_ADDRESS (ERROR, CHECK with `-f`): the sample GPL notice's paragraph about
/// the FSF's address, on any hunk line of any file (`$rawline`, case ignored):
/// `\bwrite to the Free`, `\b675\s+Mass\s+Ave`, `\b59\s+Temple\s+Pl`,
/// `\b51\s+Franklin\s+St`.
pub(super) fn fsf_address(c: &mut Checker<'_>, at: &At<'_>) {
    let raw = at.raw;
    if !c.fsf_possible {
        return;
    }
    let matches = |i: usize, words: &[&[u8]], spaced: bool| {
        let mut j = i;
        for (k, w) in words.iter().enumerate() {
            if k > 0 {
                let n = if spaced {
                    raw[j..].iter().take_while(|&&b| is_space(b)).count()
                } else {
                    usize::from(raw.get(j) == Some(&b' '))
                };
                if n == 0 {
                    return false;
                }
                j += n;
            }
            if raw.len() < j + w.len() || !raw[j..j + w.len()].eq_ignore_ascii_case(w) {
                return false;
            }
            j += w.len();
        }
        true
    };
    // A match starts with `w`, `6` or `5` (any case): only there is it tried.
    let at_word = |i: usize| i == 0 || !is_word(raw[i - 1]);
    let found = memchr::memchr3_iter(b'w', b'W', b'5', raw)
        .chain(memchr::memchr_iter(b'6', raw))
        .any(|i| at_word(i) && PATTERNS.iter().any(|(w, spaced)| matches(i, w, *spaced)));
    if found {
        let level = if c.file_mode {
            Level::Check
        } else {
            Level::Error
        };
        c.report_at(
            at,
            level,
            "FSF_MAILING_ADDRESS",
            "Do not include the paragraph about writing to the Free Software Foundation's \
             mailing address from the sample GPL notice. The FSF has changed addresses in the \
             past, and may do so again. Linux already includes a copy of the GPL."
                .into(),
            at.here_vet(),
        );
    }
}
