// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The rules, run over a file or a patch line by line as checkpatch.pl's `process()` does.

use std::path::Path;

use crate::lexer::{classify, Class};
use crate::{Finding, Input, Level, Options, Outcome};

/// Every TYPE this tool can report, with a one-line description (`--list-types`).
pub const TYPES: &[(&str, &str)] = &[
    (
        "BAD_FIXES_TAG",
        "A Fixes: tag not in 'Fixes: <12 chars of sha1> (\"<title>\")' form",
    ),
    (
        "BAD_SIGN_OFF",
        "A malformed, non-standard or duplicate signature tag",
    ),
    (
        "COMMIT_LOG_LONG_LINE",
        "A commit message line longer than 75 columns",
    ),
    ("COMMIT_MESSAGE", "A commit without a description"),
    ("DIFF_IN_COMMIT_MSG", "Diff content in the commit message"),
    ("DOS_LINE_ENDINGS", "CR LF line endings"),
    ("EMBEDDED_FILENAME", "The file's own name inside the file"),
    (
        "EXECUTE_PERMISSIONS",
        "A source file added with execute permission",
    ),
    (
        "FILE_PATH_CHANGES",
        "Files added, moved or deleted without a MAINTAINERS update",
    ),
    (
        "GERRIT_CHANGE_ID",
        "A Gerrit Change-Id in the commit message",
    ),
    (
        "GIT_COMMIT_ID",
        "A commit reference not in 'commit <12+ chars> (\"<title>\")' form",
    ),
    ("INVALID_UTF8", "A line that is not valid UTF-8"),
    ("LONG_LINE", "A line longer than --max-line-length"),
    (
        "LONG_LINE_COMMENT",
        "A line made long by a comment that starts within the limit",
    ),
    (
        "LONG_LINE_STRING",
        "A line made long by a string that starts within the limit",
    ),
    ("MISSING_EOF_NEWLINE", "No newline at the end of the file"),
    ("MISSING_SIGN_OFF", "A patch without Signed-off-by"),
    ("NOT_UNIFIED_DIFF", "An input that is not a patch"),
    ("REPEATED_WORD", "The same word twice in a row"),
    (
        "RUST_ALLOW_ATTRIBUTE",
        "#[allow(...)] where #[expect(...)] would work",
    ),
    ("RUST_DBG", "dbg! left in the code"),
    (
        "RUST_DOC_UNCHANGED",
        "A public item of driver/ or hal/ changed without Documentation/",
    ),
    (
        "RUST_MISSING_MODULE_DOC",
        "A Rust file without //! documentation",
    ),
    (
        "RUST_PANIC",
        "unwrap, expect, panic!, todo! or unimplemented! in no_std non-test code",
    ),
    (
        "RUST_SAFETY_COMMENT",
        "An unsafe block without a // SAFETY: comment right above it",
    ),
    (
        "RUST_SAFETY_DOC",
        "An unsafe fn or trait without a # Safety doc section",
    ),
    (
        "RUST_SAFETY_PLACEHOLDER",
        "A SAFETY comment that says nothing (TODO, FIXME, empty)",
    ),
    (
        "SPDX_LICENSE_TAG",
        "A missing, malformed or misplaced SPDX-License-Identifier",
    ),
    ("TRAILING_WHITESPACE", "Whitespace at the end of a line"),
    (
        "TYPO_SPELLING",
        "A word in checkpatch's list of common misspellings",
    ),
    (
        "UNKNOWN_COMMIT_ID",
        "A commit id the repository does not know",
    ),
];

const SIGNATURE_TAGS: &[&str] = &[
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

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c)
}

/// checkpatch.pl's expand_tabs.
fn expand_tabs(s: &[u8], tab: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for &c in s {
        if c == b'\t' {
            out.push(b' ');
            while out.len() % tab != 0 {
                out.push(b' ');
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// checkpatch.pl's cat_vet: control characters as ^X, and a `$` at the end.
fn cat_vet(s: &[u8]) -> String {
    let mut out = String::new();
    for &c in s {
        if c < 0x20 || c == 0x7f {
            out.push('^');
            out.push(char::from(c.wrapping_add(64) & 0x7f));
        } else {
            out.push_str(&String::from_utf8_lossy(&[c]));
        }
    }
    out.push('$');
    out
}

/// checkpatch.pl's copy_spacing: every byte but a tab becomes a space.
fn copy_spacing(s: &[u8]) -> String {
    s.iter()
        .map(|&c| if c == b'\t' { '\t' } else { ' ' })
        .collect()
}

fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// A hunk line for the Rust rules: patch line, file line, raw bytes, added.
pub(crate) type HunkLine = (usize, usize, Vec<u8>, bool);

/// A line of the (pseudo) patch.
struct PLine {
    raw: Vec<u8>,
}

/// The file a hunk line belongs to, and where.
#[derive(Clone, Default)]
struct FileState {
    realfile: String,
    /// A Rust file: the Rust rules apply.
    is_rust: bool,
    is_source: bool,
    checklicenseline: usize,
}

struct Checker<'a> {
    opts: &'a Options,
    file_mode: bool,
    out: Outcome,
}

impl Checker<'_> {
    #[expect(
        clippy::too_many_arguments,
        reason = "checkpatch.pl's report(level, type, msg) plus where the finding is"
    )]
    fn report(
        &mut self,
        level: Level,
        kind: &'static str,
        msg: String,
        file: &str,
        line: usize,
        realline: usize,
        context: Vec<String>,
    ) {
        self.out.findings.push(Finding {
            level,
            kind,
            msg,
            file: file.to_string(),
            line,
            realline,
            context,
        });
    }

    /// WARNING in a patch, CHECK with -f (checkpatch.pl's `$msg_level = \&CHK if ($file)`).
    fn warn_or_check(&self) -> Level {
        if self.file_mode {
            Level::Check
        } else {
            Level::Warning
        }
    }
}

/// Builds the lines checkpatch.pl sees for `-f`: `diff -u /dev/null FILE`.
fn file_as_patch(name: &str, bytes: &[u8]) -> Vec<PLine> {
    let mut lines: Vec<&[u8]> = bytes.split(|&b| b == b'\n').collect();
    let eof_newline = bytes.last() == Some(&b'\n');
    if eof_newline || bytes.is_empty() {
        lines.pop();
    }
    let mut out = vec![
        PLine {
            raw: b"--- /dev/null".to_vec(),
        },
        PLine {
            raw: format!("+++ {name}").into_bytes(),
        },
        PLine {
            raw: format!("@@ -0,0 +1,{} @@", lines.len()).into_bytes(),
        },
    ];
    for l in &lines {
        let mut raw = vec![b'+'];
        raw.extend_from_slice(l);
        out.push(PLine { raw });
    }
    if !eof_newline && !bytes.is_empty() {
        out.push(PLine {
            raw: b"\\ No newline at end of file".to_vec(),
        });
    }
    out
}

/// Runs every rule over `input`.
pub(crate) fn run(input: &Input, opts: &Options) -> Outcome {
    let lines: Vec<PLine> = if input.is_file {
        if input.bytes.is_empty() {
            return Outcome::default();
        }
        file_as_patch(&input.name, &input.bytes)
    } else {
        let mut v: Vec<PLine> = input
            .bytes
            .split(|&b| b == b'\n')
            .map(|l| PLine { raw: l.to_vec() })
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
    };
    process(&mut c, &lines, input);
    c.out
}

/// Whether `line` (without its leading `+`) contains `word` as checkpatch.pl's
/// `\bWORD\b` would find it.
fn contains_bounded(line: &[u8], word: &[u8], from: usize) -> bool {
    if word.is_empty() || line.len() < word.len() {
        return false;
    }
    (from..=line.len() - word.len()).any(|i| {
        line[i..].starts_with(word)
            && boundary(line, i, word[0], true)
            && boundary(line, i + word.len(), word[word.len() - 1], false)
    })
}

/// Perl's `\b` between `line[i-1]` and `line[i]`, given the word's edge byte.
fn boundary(line: &[u8], i: usize, edge: u8, start: bool) -> bool {
    let other = if start {
        i.checked_sub(1).map(|j| line[j])
    } else {
        line.get(i).copied()
    };
    let other_word = other.is_some_and(is_word);
    is_word(edge) != other_word
}

fn process(c: &mut Checker<'_>, lines: &[PLine], input: &Input) {
    let file_mode = c.file_mode;
    // With -f the whole file is lexed at once, so block comments and strings that span
    // lines are known on every line; a patch's lines are lexed one by one.
    let file_classes: Option<Vec<Vec<Class>>> = file_mode.then(|| {
        let classes = classify(&input.bytes);
        let mut per_line = Vec::new();
        let mut start = 0;
        for (i, &b) in input.bytes.iter().enumerate() {
            if b == b'\n' {
                per_line.push(classes[start..i].to_vec());
                start = i + 1;
            }
        }
        if start < input.bytes.len() {
            per_line.push(classes[start..].to_vec());
        }
        per_line
    });
    let mut fs = FileState::default();
    let mut realline = 0usize;
    let mut realcnt = 0usize;
    let mut in_header_lines = !file_mode;
    let mut in_commit_log = false;
    let mut has_commit_log = false;
    let mut commit_log_lines = 0usize;
    let mut commit_log_long_line = false;
    let mut commit_log_has_diff = false;
    let mut has_patch_separator = false;
    let mut reported_maintainer_file = false;
    let mut signoff = 0usize;
    let mut signatures: Vec<String> = Vec::new();
    let mut author = String::new();
    let mut is_patch = file_mode;
    let mut prev_line: Option<Vec<u8>> = None;
    let mut stack_dump = false;
    let mut last_commit_id_line = 0usize;
    // Lines of the current file, in order, for the Rust rules (added and context).
    let mut hunk: Vec<HunkLine> = Vec::new();
    let mut touched_docs = false;
    let mut public_change: Option<(String, usize)> = None;
    let mut files: Vec<(FileState, Vec<HunkLine>)> = Vec::new();

    for (idx, pl) in lines.iter().enumerate() {
        let linenr = idx + 1;
        let raw = &pl.raw[..];
        let rawstr = text(raw);

        if !in_commit_log
            && (rawstr.starts_with("diff --git a/")
                || rawstr.starts_with("rename from ")
                || rawstr.starts_with("rename to "))
        {
            is_patch = true;
        }

        // A hunk header.
        if !in_commit_log && raw.starts_with(b"@@ -") {
            if let Some((start, count)) = parse_hunk(&rawstr) {
                is_patch = true;
                realline = start.saturating_sub(1);
                realcnt = count.saturating_add(1);
                continue;
            }
        } else if realcnt == 1 {
            realcnt = 0;
        }
        // checkpatch.pl counts every line that starts with ' ' or '+' or is empty, in a
        // hunk or not (a finding on a header line shows that count), before it looks
        // for a file name: a `+++ name` line inside a hunk counts too.
        if raw.first() == Some(&b' ') || raw.first() == Some(&b'+') || raw.is_empty() {
            realline = realline.saturating_add(1);
        }
        if realcnt > 1
            && (raw.first() == Some(&b'+') || raw.first() == Some(&b' ') || raw.is_empty())
        {
            realcnt -= 1;
        }
        let hunk_line = realcnt != 0;

        // The file name as it passes.
        let mut found_file = false;
        let starts_file = rawstr.starts_with("diff --git ")
            || (rawstr.starts_with("+++")
                && (rawstr[3..].starts_with(' ') || rawstr[3..].starts_with('\t')));
        if starts_file && !hunk.is_empty() {
            files.push((fs.clone(), std::mem::take(&mut hunk)));
        }
        if let Some(rest) = rawstr.strip_prefix("diff --git ") {
            let name = rest.rsplit(' ').next().unwrap_or("");
            fs.realfile = strip_p1(name, file_mode);
            in_commit_log = false;
            found_file = true;
        } else if let Some(rest) = rawstr.strip_prefix("+++") {
            if rest.starts_with(' ') || rest.starts_with('\t') {
                let name = rest.split_whitespace().next().unwrap_or("");
                fs.realfile = strip_p1(name, file_mode);
                in_commit_log = false;
                found_file = true;
            }
        }
        if found_file {
            fs.checklicenseline = 1;
            fs.is_rust = fs.realfile.ends_with(".rs");
            fs.is_source = is_source(&fs.realfile);
            if fs.realfile.starts_with("Documentation/") {
                touched_docs = true;
            }
            continue;
        }

        let here = if file_mode {
            format!("#{realline}: ")
        } else {
            format!("#{linenr}: ")
        };
        let here_file = if hunk_line || (realcnt != 0) {
            format!("{here}FILE: {}:{realline}:", fs.realfile)
        } else {
            here.clone()
        };
        let herecurr = vec![here_file.clone(), rawstr.clone()];
        let report_line = if file_mode { realline } else { linenr };

        if in_commit_log && !raw.iter().all(|&b| is_space(b)) {
            commit_log_lines += 1;
        } else if !in_commit_log && has_commit_log && commit_log_lines < 2 {
            c.report(
                Level::Warning,
                "COMMIT_MESSAGE",
                "Missing commit description - Add an appropriate one".into(),
                "",
                report_line,
                realline,
                vec![],
            );
            commit_log_lines = 2;
        }

        if in_commit_log && !commit_log_has_diff && diff_like(&rawstr) {
            c.report(
                Level::Error,
                "DIFF_IN_COMMIT_MSG",
                "Avoid using diff content in the commit message - patch(1) might not work".into(),
                &fs.realfile,
                report_line,
                realline,
                herecurr.clone(),
            );
            commit_log_has_diff = true;
        }

        if let Some(mode) = rawstr.strip_prefix("new ") {
            let mode = mode.strip_prefix("file ").unwrap_or(mode);
            if mode.starts_with("mode") && executable_mode(mode) {
                let f = &fs.realfile;
                let script = f.contains("scripts/")
                    || [".py", ".pl", ".awk", ".sh"].iter().any(|e| f.ends_with(e));
                if !script {
                    c.report(
                        Level::Error,
                        "EXECUTE_PERMISSIONS",
                        "do not set execute permissions for source files".into(),
                        f,
                        report_line,
                        realline,
                        vec![format!("{here}FILE: {f}")],
                    );
                }
            }
        }

        if in_header_lines {
            if let Some(a) = rawstr.strip_prefix("From:") {
                author = a.trim().to_string();
            }
        }

        // Signatures.
        let trimmed = rawstr.trim_start();
        if trimmed.to_ascii_lowercase().starts_with("signed-off-by:") {
            signoff += 1;
            in_commit_log = false;
        }
        if rawstr == "---" {
            has_patch_separator = true;
            in_commit_log = false;
        }
        if rawstr.trim_start().starts_with("MAINTAINERS") && rawstr.contains('|') {
            reported_maintainer_file = true;
        }
        if !in_header_lines && fs.realfile.is_empty() {
            let next = lines
                .get(idx + 1)
                .map(|l| std::str::from_utf8(&l.raw).unwrap_or(""));
            signature(
                c,
                &rawstr,
                next,
                &author,
                report_line,
                &herecurr,
                &mut signatures,
            );
        }

        if !in_header_lines {
            if let Some(msg) = git::fixes_tag(&rawstr) {
                c.report(
                    Level::Warning,
                    "BAD_FIXES_TAG",
                    msg,
                    "",
                    report_line,
                    realline,
                    herecurr.clone(),
                );
            }
        }

        if fs.realfile.is_empty()
            && !has_patch_separator
            && trimmed.to_ascii_lowercase().starts_with("change-id:")
        {
            c.report(
                Level::Error,
                "GERRIT_CHANGE_ID",
                "Remove Gerrit Change-Id's before submitting upstream".into(),
                "",
                report_line,
                realline,
                herecurr.clone(),
            );
        }

        if in_commit_log && !commit_log_long_line && raw.len() > 75 && !long_log_exempt(&rawstr) {
            c.report(
                Level::Warning,
                "COMMIT_LOG_LONG_LINE",
                "Prefer a maximum 75 chars per line (possible unwrapped commit description?)"
                    .into(),
                "",
                report_line,
                realline,
                herecurr.clone(),
            );
            commit_log_long_line = true;
        }

        if in_commit_log && !stack_dump && stack_dump_line(&rawstr) {
            stack_dump = true;
        }
        if in_commit_log && stack_dump && rawstr.trim().is_empty() {
            stack_dump = false;
        }
        if in_commit_log && !stack_dump {
            let next: Vec<&str> = lines[idx + 1..]
                .iter()
                .take(2)
                .map(|l| std::str::from_utf8(&l.raw).unwrap_or(""))
                .collect();
            if let Some((msg, extra)) = git::commit_style(&rawstr, &next) {
                if last_commit_id_line == 0 || last_commit_id_line + 1 != linenr {
                    let mut ctx = herecurr.clone();
                    ctx.extend(next.iter().take(extra).map(|l| l.to_string()));
                    c.report(
                        Level::Error,
                        "GIT_COMMIT_ID",
                        msg,
                        "",
                        report_line,
                        realline,
                        ctx,
                    );
                }
            }
            let l = rawstr.to_ascii_lowercase();
            let ends_commit = l.trim_end().ends_with("commit")
                && !l.trim_end().ends_with("_commit")
                && next.first().is_some_and(|n| {
                    n.trim_start()
                        .bytes()
                        .take_while(u8::is_ascii_hexdigit)
                        .count()
                        >= 5
                });
            if ends_commit {
                last_commit_id_line = linenr;
            }
        }

        if !reported_maintainer_file && !in_commit_log && path_change(&rawstr) {
            is_patch = true;
            reported_maintainer_file = true;
            c.report(
                Level::Warning,
                "FILE_PATH_CHANGES",
                "added, moved or deleted file(s), does MAINTAINERS need updating?".into(),
                &fs.realfile,
                report_line,
                realline,
                herecurr.clone(),
            );
        }

        // Invalid UTF-8 in added lines and in the commit message.
        if fs.realfile.is_empty() || (raw.first() == Some(&b'+') && !c.opts.excluded(&fs.realfile))
        {
            if let Err(e) = std::str::from_utf8(raw) {
                let ptr = format!("{}^", &copy_spacing(raw)[..e.valid_up_to()]);
                c.report(
                    Level::Check,
                    "INVALID_UTF8",
                    "Invalid UTF-8, patch and commit message should be encoded in UTF-8".into(),
                    &fs.realfile,
                    report_line,
                    realline,
                    vec![here_file.clone(), rawstr.clone(), ptr],
                );
            }
        }

        // The start of the commit log.
        if in_header_lines && fs.realfile.is_empty() && !header_line(&rawstr) {
            in_header_lines = false;
            in_commit_log = true;
            has_commit_log = true;
        }

        let excluded = !fs.realfile.is_empty() && c.opts.excluded(&fs.realfile);
        if !excluded
            && (in_commit_log
                || raw.first() == Some(&b'+')
                || rawstr.to_ascii_lowercase().starts_with("subject:"))
        {
            typos(c, raw, &fs.realfile, report_line, realline, &here_file);
        }

        if in_commit_log {
            if let Some(msg) = git::unknown_commit(&rawstr) {
                c.report(
                    Level::Warning,
                    "UNKNOWN_COMMIT_ID",
                    msg,
                    "",
                    report_line,
                    realline,
                    herecurr.clone(),
                );
            }
        }

        if !excluded && (raw.first() == Some(&b'+') || in_commit_log) {
            repeated_words(
                c,
                raw,
                in_commit_log,
                &fs.realfile,
                report_line,
                realline,
                &herecurr,
            );
            // A comment's last word repeated at the start of the next line (checkpatch.pl
            // looks for a block comment's ` * WORD `).
            if let Some(prev) = prev_line.as_ref().filter(|p| ends_in_comment(p)) {
                if let Some(word) = last_word(prev) {
                    let rest = text(raw.get(1..).unwrap_or(&[]));
                    let rest = rest.trim_start();
                    if raw.first() == Some(&b'+') {
                        if let Some(r) = rest.strip_prefix('*') {
                            if r.trim_start()
                                .strip_prefix(word.as_str())
                                .is_some_and(|t| t.starts_with(' '))
                            {
                                c.report(
                                    Level::Warning,
                                    "REPEATED_WORD",
                                    format!("Possible repeated word: '{word}'"),
                                    &fs.realfile,
                                    report_line,
                                    realline,
                                    vec![here_file.clone(), text(prev), rawstr.clone()],
                                );
                            }
                        }
                    }
                }
            }
        }
        if hunk_line && raw.first() != Some(&b'-') {
            prev_line = Some(raw.to_vec());
        }

        if !hunk_line || raw.first() == Some(&b'-') || c.opts.excluded(&fs.realfile) {
            continue;
        }
        hunk.push((
            report_line,
            realline,
            raw.to_vec(),
            raw.first() == Some(&b'+'),
        ));

        if raw.first() == Some(&b'+') {
            if raw.contains(&b'\r') {
                c.report(
                    Level::Error,
                    "DOS_LINE_ENDINGS",
                    "DOS line endings".into(),
                    &fs.realfile,
                    report_line,
                    realline,
                    vec![here_file.clone(), cat_vet(raw)],
                );
            } else if raw.len() > 1 && is_space(raw[raw.len() - 1]) {
                c.report(
                    Level::Error,
                    "TRAILING_WHITESPACE",
                    "trailing whitespace".into(),
                    &fs.realfile,
                    report_line,
                    realline,
                    vec![here_file.clone(), cat_vet(raw)],
                );
                c.out.whitespace = true;
            }
        }

        // SPDX on the first line (the second after a #! line).
        if realline == fs.checklicenseline {
            if is_shebang(raw) {
                fs.checklicenseline = 2;
            } else if raw.first() == Some(&b'+') {
                spdx_first_line(c, &fs, raw, report_line, realline, &herecurr);
            }
        }

        if raw.first() == Some(&b'+')
            && contains_bounded(raw, fs.realfile.as_bytes(), 1)
            && !fs.realfile.is_empty()
        {
            c.report(
                Level::Warning,
                "EMBEDDED_FILENAME",
                "It's generally not useful to have the filename in the file".into(),
                &fs.realfile,
                report_line,
                realline,
                herecurr.clone(),
            );
        }

        if !fs.is_source {
            continue;
        }
        if raw.first() == Some(&b'+') {
            let body = &raw[1..];
            let classes = match file_classes
                .as_ref()
                .and_then(|per_line| per_line.get(realline.checked_sub(1)?))
                .filter(|cl| cl.len() == body.len())
            {
                Some(cl) => cl.clone(),
                None => classify(body),
            };
            if realline != fs.checklicenseline {
                if let Some(pos) = find(body, b"SPDX-License-Identifier:") {
                    let bounded = pos == 0 || !is_word(body[pos - 1]);
                    if bounded && classes[pos] == Class::Comment {
                        c.report(
                            Level::Warning,
                            "SPDX_LICENSE_TAG",
                            format!(
                                "Misplaced SPDX-License-Identifier tag - use line {} instead",
                                fs.checklicenseline
                            ),
                            &fs.realfile,
                            report_line,
                            realline,
                            herecurr.clone(),
                        );
                    }
                }
            }
            long_line(c, &fs, raw, &classes, report_line, realline, &herecurr);
            if lines
                .get(idx + 1)
                .is_some_and(|n| n.raw.starts_with(b"\\ No newline at end of file"))
            {
                c.report(
                    Level::Warning,
                    "MISSING_EOF_NEWLINE",
                    "adding a line without newline at end of file".into(),
                    &fs.realfile,
                    report_line,
                    realline,
                    herecurr.clone(),
                );
            }
            if fs.is_rust && !file_mode {
                let t = text(body);
                if (fs.realfile.starts_with("driver/src/") || fs.realfile.starts_with("hal/src/"))
                    && t.trim_start().starts_with("pub ")
                    && public_change.is_none()
                {
                    public_change = Some((fs.realfile.clone(), report_line));
                }
            }
        }
    }
    if !hunk.is_empty() {
        files.push((fs.clone(), hunk));
    }

    c.out.is_patch = is_patch;
    c.out.lines = lines_checked(lines, file_mode);

    for (f, hunk) in &files {
        if f.is_rust {
            crate::rules::rust::check(c, f, hunk, file_mode);
        }
    }

    if !file_mode && is_patch && c.opts.check_docs {
        if let Some((file, line)) = public_change {
            if !touched_docs {
                c.report(
                    Level::Check,
                    "RUST_DOC_UNCHANGED",
                    format!("Public item of {file} changed without a change under Documentation/"),
                    &file,
                    line,
                    line,
                    vec![format!("#{line}: FILE: {file}")],
                );
            }
        }
    }

    if !file_mode && !is_patch {
        c.report(
            Level::Error,
            "NOT_UNIFIED_DIFF",
            "Does not appear to be a unified-diff format patch".into(),
            "",
            lines.len(),
            0,
            vec![],
        );
    }
    if !file_mode && is_patch && has_commit_log && !c.opts.no_signoff && signoff == 0 {
        c.report(
            Level::Error,
            "MISSING_SIGN_OFF",
            "Missing Signed-off-by: line(s)".into(),
            "",
            lines.len(),
            0,
            vec![],
        );
    }
}

/// checkpatch.pl counts the lines of hunks (`$cnt_lines++ if ($realcnt != 0)`).
fn lines_checked(lines: &[PLine], file_mode: bool) -> usize {
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
        let s = text(&l.raw);
        if s == "---" {
            in_log = false;
        }
        if !in_log && s.starts_with("@@ -") {
            if let Some((_, count)) = parse_hunk(&s) {
                realcnt = count.saturating_add(1);
                continue;
            }
        } else if realcnt == 1 {
            realcnt = 0;
        }
        if realcnt != 0 {
            n += 1;
        }
        if realcnt > 1 && (s.starts_with('+') || s.starts_with(' ') || s.is_empty()) {
            realcnt -= 1;
        }
    }
    n
}

fn strip_p1(name: &str, file_mode: bool) -> String {
    if file_mode {
        return name.to_string();
    }
    match name.split_once('/') {
        Some((_, rest)) => rest.to_string(),
        None => name.to_string(),
    }
}

fn parse_hunk(s: &str) -> Option<(usize, usize)> {
    let rest = s.strip_prefix("@@ -")?;
    let (_, rest) = rest.split_once(" +")?;
    let (range, _) = rest.split_once(" @@")?;
    let (start, count) = match range.split_once(',') {
        Some((a, b)) => (a.parse().ok()?, b.parse().ok()?),
        None => (range.parse().ok()?, 1),
    };
    Some((start, count))
}

fn is_source(f: &str) -> bool {
    [".h", ".c", ".rs", ".s", ".S", ".sh", ".dtsi", ".dts"]
        .iter()
        .any(|e| f.ends_with(e))
}

fn is_shebang(raw: &[u8]) -> bool {
    let s = text(raw);
    let Some(rest) = s.strip_prefix('+').or_else(|| s.strip_prefix(' ')) else {
        return false;
    };
    let rest = rest.trim_start();
    rest.strip_prefix("#!")
        .is_some_and(|r| r.trim_start().starts_with('/'))
}

fn executable_mode(mode: &str) -> bool {
    // /^new (file )?mode.*[7531]\d{0,2}$/: one of 7, 5, 3, 1 within the last three digits.
    let digits: Vec<u8> = mode.bytes().rev().take_while(u8::is_ascii_digit).collect();
    digits
        .iter()
        .take(3)
        .any(|d| matches!(d, b'7' | b'5' | b'3' | b'1'))
}

fn header_line(s: &str) -> bool {
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

fn diff_like(s: &str) -> bool {
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

fn long_log_exempt(s: &str) -> bool {
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

fn path_change(s: &str) -> bool {
    let mode_line = |rest: &str| {
        let rest = rest.trim_start();
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        !digits.is_empty() && rest[digits.len()..].trim().is_empty()
    };
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
    if let (Some(a), Some(b)) = (s.find('{'), s.find('}')) {
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

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn spdx_first_line(
    c: &mut Checker<'_>,
    fs: &FileState,
    raw: &[u8],
    report_line: usize,
    realline: usize,
    herecurr: &[String],
) {
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
    if ends(&[".c", ".h", ".s", ".S"]) && s.contains("SPDX-License-Identifier:") {
        let rest = s[1..].trim_start();
        if !rest.starts_with(comment) {
            c.report(
                Level::Warning,
                "SPDX_LICENSE_TAG",
                format!("Improper SPDX comment style for '{f}', please use '{comment}' instead"),
                f,
                report_line,
                realline,
                herecurr.to_vec(),
            );
        }
    }
    if !comment.is_empty() && !s.starts_with(&format!("+{comment} SPDX-License-Identifier: ")) {
        c.report(
            Level::Warning,
            "SPDX_LICENSE_TAG",
            format!(
                "Missing or malformed SPDX-License-Identifier tag in line {}",
                fs.checklicenseline
            ),
            f,
            report_line,
            realline,
            herecurr.to_vec(),
        );
    }
}

fn long_line(
    c: &mut Checker<'_>,
    fs: &FileState,
    raw: &[u8],
    classes: &[Class],
    report_line: usize,
    realline: usize,
    herecurr: &[String],
) {
    let body = &raw[1..];
    let tab = c.opts.tab_size;
    let max = c.opts.max_line_length;
    let length = expand_tabs(body, tab).len();
    if length <= max {
        return;
    }
    let s = text(raw);
    let prefix_fits = |start: usize| expand_tabs(&body[..start], tab).len() <= max;
    let mut kind = "LONG_LINE";

    // Where the last string literal starts, if the line is that string plus an optional
    // `,`, `\`, or `);` (comments count as spaces, as in checkpatch.pl's $sline).
    let string_tail = string_at_end(body, classes);
    let only_string = string_tail.is_some_and(|st| {
        body[..st].iter().all(|&b| is_space(b)) && string_end_ok(body, classes, st, true)
    });
    if only_string
        || s.contains("EFI_GUID")
        || s[1..]
            .split_whitespace()
            .next()
            .is_some_and(|w| w.contains("DEFINE_PER_CPU"))
        || has_url(&s)
    {
        return;
    }
    if comment_at_end(body, classes).is_some_and(prefix_fits) {
        kind = "LONG_LINE_COMMENT";
    } else if let Some(start) = string_tail {
        if string_end_ok(body, classes, start, false) && prefix_fits(start) {
            kind = "LONG_LINE_STRING";
        }
    }
    if !c.opts.shows("LONG_LINE") {
        return;
    }
    let level = c.warn_or_check();
    c.report(
        level,
        kind,
        format!("line length of {length} exceeds {max} columns"),
        &fs.realfile,
        report_line,
        realline,
        herecurr.to_vec(),
    );
}

fn has_url(s: &str) -> bool {
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

/// Start of the trailing comment: the first comment byte after which the line has only
/// comment and whitespace bytes.
fn comment_at_end(body: &[u8], classes: &[Class]) -> Option<usize> {
    let mut start = None;
    for i in (0..body.len()).rev() {
        match classes[i] {
            Class::Comment => start = Some(i),
            _ if is_space(body[i]) => {}
            _ => break,
        }
    }
    start
}

/// Start of the last string literal, if only `,`, `\`, `)`, `;` and whitespace (or
/// comments) follow it.
fn string_at_end(body: &[u8], classes: &[Class]) -> Option<usize> {
    let mut i = body.len();
    while i > 0
        && (classes[i - 1] == Class::Comment
            || is_space(body[i - 1])
            || matches!(body[i - 1], b',' | b'\\' | b')' | b';'))
        && classes[i - 1] != Class::String
    {
        i -= 1;
    }
    if i == 0 || classes[i - 1] != Class::String || body[i - 1] != b'"' {
        return None;
    }
    let mut j = i - 1;
    while j > 0 && classes[j - 1] == Class::String {
        j -= 1;
    }
    // checkpatch.pl's $String is a plain "..." (an L or u prefix allowed).
    (body[j] == b'"').then_some(j)
}

/// Whether what follows the string at `start` is what checkpatch.pl allows: nothing,
/// `,`, `\` or `);` (`only`: the lines-with-only-strings form: nothing, `,` or `);`).
fn string_end_ok(body: &[u8], classes: &[Class], start: usize, only: bool) -> bool {
    let mut end = start;
    while end < body.len() && classes[end] == Class::String {
        end += 1;
    }
    let rest: String = body[end..]
        .iter()
        .zip(&classes[end..])
        .map(|(&b, &cl)| {
            if cl == Class::Comment {
                ' '
            } else {
                char::from(b)
            }
        })
        .collect();
    let r = rest.trim();
    let compact: String = r.chars().filter(|ch| !ch.is_ascii_whitespace()).collect();
    let closes = compact == ");" && r.starts_with(')');
    if only {
        r.is_empty() || r == "," || closes
    } else {
        r.is_empty() || r == "\\" || (r.starts_with(',') && r[1..].trim().is_empty()) || closes
    }
}

fn typos(c: &mut Checker<'_>, raw: &[u8], file: &str, line: usize, realline: usize, here: &str) {
    if c.opts.spelling.is_empty() {
        return;
    }
    let sep = |b: u8| !(is_word(b) || matches!(b, b'-' | b'\'' | b'`'));
    let mut i = 0;
    while i < raw.len() {
        // A candidate starts at the line start or after a separator.
        let start = if i == 0 && !sep(raw[0]) {
            0
        } else if sep(raw[i]) {
            i + 1
        } else {
            i += 1;
            continue;
        };
        let mut end = start;
        while end < raw.len() && !sep(raw[end]) {
            end += 1;
        }
        let word = &raw[start..end];
        let lower = text(word).to_ascii_lowercase();
        if let Some(fix) = c.opts.spelling.get(&lower) {
            let typo = text(word);
            let mut fix = fix.clone();
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
            c.report(
                level,
                "TYPO_SPELLING",
                format!("'{typo}' may be misspelled - perhaps '{fix}'?"),
                file,
                line,
                realline,
                vec![here.to_string(), text(raw), ptr],
            );
            // The separator after the typo is consumed by the match.
            i = end + 1;
            continue;
        }
        if start > i {
            i = start.max(i + 1);
        } else {
            i = end.max(i + 1);
        }
    }
}

/// A word as checkpatch.pl's `\b[A-Z]?[a-z]{2,}\b` sees it: a whole `\w` run.
fn word_at(raw: &[u8], i: usize) -> Option<usize> {
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

fn repeated_words(
    c: &mut Checker<'_>,
    raw: &[u8],
    in_commit_log: bool,
    file: &str,
    line: usize,
    realline: usize,
    herecurr: &[String],
) {
    if ls_listing(raw) {
        return;
    }
    let mut i = if in_commit_log { 0 } else { 1 };
    while i < raw.len() {
        let Some(end1) = word_at(raw, i) else {
            i += 1;
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
        let first = text(&raw[i..end1]);
        let second = text(&raw[end1 + 1..end2]);
        let start = i;
        i = end1 + 1;
        if ["struct", "union", "enum"]
            .iter()
            .any(|k| first.contains(k))
        {
            i += second.len() + 1;
            continue;
        }
        if !first.eq_ignore_ascii_case(&second) || first == "long" {
            continue;
        }
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
        c.report(
            Level::Warning,
            "REPEATED_WORD",
            format!("Possible repeated word: '{first}'"),
            file,
            line,
            realline,
            herecurr.to_vec(),
        );
    }
}

/// Whether a diff line (with its marker) ends in a comment.
fn ends_in_comment(raw: &[u8]) -> bool {
    let body = raw.get(1..).unwrap_or(&[]);
    let classes = classify(body);
    (0..body.len())
        .rev()
        .find(|&i| !is_space(body[i]))
        .is_some_and(|i| classes[i] == Class::Comment)
}

/// The last `$word_pattern` word of a line, if the line ends with it (bytes, as Perl
/// reads the line: a byte above 0x7f is not a word character).
fn last_word(raw: &[u8]) -> Option<String> {
    let end = raw.iter().rposition(|&b| !is_space(b)).map_or(0, |p| p + 1);
    let t = &raw[..end];
    let start = t.iter().rposition(|&b| !is_word(b)).map_or(0, |p| p + 1);
    let w = &t[start..];
    word_at(w, 0).filter(|&e| e == w.len()).map(|_| text(w))
}

/// checkpatch.pl skips lines like `-rw-r--r-- 1 root root` (/[bcCdDlMnpPs\?-][rwxsStT-]{9}/).
fn ls_listing(raw: &[u8]) -> bool {
    raw.windows(10)
        .any(|w| b"bcCdDlMnpPs?-".contains(&w[0]) && w[1..].iter().all(|b| b"rwxsStT-".contains(b)))
}

fn signature(
    c: &mut Checker<'_>,
    s: &str,
    next: Option<&str>,
    author: &str,
    line: usize,
    herecurr: &[String],
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
        let msg = match standard_signature(sign_off) {
            Some(s) => format!("Non-standard signature: '{sign_off}' - perhaps '{s}'?"),
            None => format!("Non-standard signature: {sign_off}"),
        };
        c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            msg,
            "",
            line,
            line,
            herecurr.to_vec(),
        );
    }
    if !space_before.is_empty() {
        c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            format!("Do not use whitespace before {ucfirst}"),
            "",
            line,
            line,
            herecurr.to_vec(),
        );
    }
    if lower_tag.ends_with("-by:") && sign_off != ucfirst {
        c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            format!("'{ucfirst}' is the preferred signature form"),
            "",
            line,
            line,
            herecurr.to_vec(),
        );
    }
    if space_after != " " {
        c.report(
            Level::Warning,
            "BAD_SIGN_OFF",
            format!("Use a single space after {ucfirst}"),
            "",
            line,
            line,
            herecurr.to_vec(),
        );
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
                ctx.extend(next.map(str::to_string));
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
                ctx.push(n.to_string());
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
fn standard_signature(tag: &str) -> Option<&'static str> {
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
fn comments(name: &str) -> usize {
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

pub(crate) mod git;
pub(crate) mod rust;

/// checkpatch.pl's "possible stack dump" lines, where commit ids are not checked.
fn stack_dump_line(s: &str) -> bool {
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
