// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The mail headers and the commit message, as the line loop passes them: the state
//! checkpatch.pl keeps for them (`$in_header_lines`, `$in_commit_log`, the signatures
//! seen, ...) and the rules that read it: COMMIT_MESSAGE, DIFF_IN_COMMIT_MSG,
//! EXECUTE_PERMISSIONS, BAD_FIXES_TAG, GERRIT_CHANGE_ID, COMMIT_LOG_LONG_LINE,
//! GIT_COMMIT_ID, UNKNOWN_COMMIT_ID, FILE_PATH_CHANGES, INVALID_UTF8, and at the end
//! NOT_UNIFIED_DIFF, MISSING_SIGN_OFF and RUST_DOC_UNCHANGED. The text tests they use
//! are in [`super::patch`] and [`super::git`].

use super::engine::{At, Checker, PLine};
use super::*;

/// checkpatch.pl's state of the headers and the commit message.
#[derive(Default)]
pub(super) struct Log {
    /// `$is_patch`: the input has a diff (always with -f).
    pub(super) is_patch: bool,
    pub(super) in_commit_log: bool,
    in_header_lines: bool,
    has_commit_log: bool,
    commit_log_lines: usize,
    commit_log_long_line: bool,
    commit_log_has_diff: bool,
    has_patch_separator: bool,
    reported_maintainer_file: bool,
    signoff: usize,
    signatures: Vec<String>,
    author: String,
    stack_dump: bool,
    last_commit_id_line: usize,
    /// A file under Documentation/ is changed (RUST_DOC_UNCHANGED).
    pub(super) touched_docs: bool,
    /// The first public item changed in driver/src or hal/src: file and line.
    public_change: Option<(String, usize)>,
    file_mode: bool,
}

impl Log {
    pub(super) fn new(file_mode: bool) -> Self {
        Log {
            is_patch: file_mode,
            in_header_lines: !file_mode,
            file_mode,
            ..Log::default()
        }
    }

    /// The checks before the signatures: COMMIT_MESSAGE, DIFF_IN_COMMIT_MSG,
    /// EXECUTE_PERMISSIONS, and the author from the `From:` header.
    pub(super) fn headers(&mut self, c: &mut Checker<'_>, at: &At<'_>) {
        let (raw, rawstr) = (at.raw, at.rawstr);
        if self.in_commit_log && !raw.iter().all(|&b| is_space(b)) {
            self.commit_log_lines += 1;
        } else if !self.in_commit_log && self.has_commit_log && self.commit_log_lines < 2 {
            c.report(
                Level::Warning,
                "COMMIT_MESSAGE",
                "Missing commit description - Add an appropriate one".into(),
                "",
                at.report_line,
                at.realline,
                Vec::<Vec<u8>>::new(),
            );
            self.commit_log_lines = 2;
        }

        if self.in_commit_log && !self.commit_log_has_diff && diff_like(rawstr) {
            c.report(
                Level::Error,
                "DIFF_IN_COMMIT_MSG",
                "Avoid using diff content in the commit message - patch(1) might not work".into(),
                at.realfile,
                at.report_line,
                at.realline,
                at.herecurr(),
            );
            self.commit_log_has_diff = true;
        }

        if let Some(mode) = rawstr.strip_prefix("new ") {
            let mode = mode.strip_prefix("file ").unwrap_or(mode);
            if mode.starts_with("mode") && executable_mode(mode) {
                let f = at.realfile;
                let script = f.contains("scripts/")
                    || [".py", ".pl", ".awk", ".sh"].iter().any(|e| f.ends_with(e));
                if !script {
                    c.report(
                        Level::Error,
                        "EXECUTE_PERMISSIONS",
                        "do not set execute permissions for source files".into(),
                        f,
                        at.report_line,
                        at.realline,
                        vec![format!("{}FILE: {f}", at.here())],
                    );
                }
            }
        }

        if self.in_header_lines {
            if let Some(a) = rawstr.strip_prefix("From:") {
                self.author = a.trim().to_string();
            }
        }
    }

    /// A signature line (`sig_line`, the line as checkpatch.pl's `$line`, if it may be
    /// one), the patch separator and a MAINTAINERS line of the diffstat.
    pub(super) fn signatures(
        &mut self,
        c: &mut Checker<'_>,
        at: &At<'_>,
        sig_line: Option<&str>,
        next: Option<&[u8]>,
    ) {
        let rawstr = at.rawstr;
        if sig_line.is_some_and(|l| starts_with_ci(l.trim_start(), "signed-off-by:")) {
            self.signoff += 1;
            self.in_commit_log = false;
        }
        if rawstr == "---" {
            self.has_patch_separator = true;
            self.in_commit_log = false;
        }
        if rawstr.trim_start().starts_with("MAINTAINERS") && rawstr.contains('|') {
            self.reported_maintainer_file = true;
        }
        if let Some(sig_line) = sig_line.filter(|_| !self.in_header_lines) {
            let next = next.map(|l| std::str::from_utf8(l).unwrap_or(""));
            signature(
                c,
                sig_line,
                next,
                &self.author,
                at.report_line,
                &at.herecurr(),
                &mut self.signatures,
            );
        }
    }

    /// The commit message's lines: BAD_FIXES_TAG, GERRIT_CHANGE_ID,
    /// COMMIT_LOG_LONG_LINE, GIT_COMMIT_ID (`after`: the lines after this one), and
    /// FILE_PATH_CHANGES.
    pub(super) fn message(&mut self, c: &mut Checker<'_>, at: &At<'_>, after: &[PLine<'_>]) {
        let (raw, rawstr) = (at.raw, at.rawstr);
        if !self.in_header_lines {
            if let Some(msg) = git::fixes_tag(rawstr) {
                c.report(
                    Level::Warning,
                    "BAD_FIXES_TAG",
                    msg,
                    "",
                    at.report_line,
                    at.realline,
                    at.herecurr(),
                );
            }
        }

        if at.realfile.is_empty()
            && !self.has_patch_separator
            && starts_with_ci(rawstr.trim_start(), "change-id:")
            && c.report(
                Level::Error,
                "GERRIT_CHANGE_ID",
                "Remove Gerrit Change-Id's before submitting upstream".into(),
                "",
                at.report_line,
                at.realline,
                at.herecurr(),
            )
        {
            c.fix_delete(at.idx);
        }

        if self.in_commit_log
            && !self.commit_log_long_line
            && raw.len() > 75
            && !long_log_exempt(rawstr)
        {
            c.report(
                Level::Warning,
                "COMMIT_LOG_LONG_LINE",
                "Prefer a maximum 75 chars per line (possible unwrapped commit description?)"
                    .into(),
                "",
                at.report_line,
                at.realline,
                at.herecurr(),
            );
            self.commit_log_long_line = true;
        }

        if self.in_commit_log && !self.stack_dump && stack_dump_line(rawstr) {
            self.stack_dump = true;
        }
        if self.in_commit_log && self.stack_dump && rawstr.trim().is_empty() {
            self.stack_dump = false;
        }
        if self.in_commit_log && !self.stack_dump {
            self.commit_id(c, at, after);
        }

        if !self.reported_maintainer_file && !self.in_commit_log && path_change(rawstr) {
            self.is_patch = true;
            self.reported_maintainer_file = true;
            c.report(
                Level::Warning,
                "FILE_PATH_CHANGES",
                "added, moved or deleted file(s), does MAINTAINERS need updating?".into(),
                at.realfile,
                at.report_line,
                at.realline,
                at.herecurr(),
            );
        }
    }

    /// GIT_COMMIT_ID: a commit reference not in `commit <12+ chars of sha1> ("<title>")`
    /// form, which may continue on the next two lines.
    fn commit_id(&mut self, c: &mut Checker<'_>, at: &At<'_>, after: &[PLine<'_>]) {
        let next: Vec<&str> = after
            .iter()
            .take(2)
            .map(|l| std::str::from_utf8(l.raw).unwrap_or(""))
            .collect();
        if let Some((msg, extra)) = git::commit_style(at.rawstr, &next) {
            if self.last_commit_id_line == 0 || self.last_commit_id_line + 1 != at.linenr {
                let mut ctx = at.herecurr();
                ctx.extend(after.iter().take(extra).map(|l| l.raw.to_vec()));
                c.report(
                    Level::Error,
                    "GIT_COMMIT_ID",
                    msg,
                    "",
                    at.report_line,
                    at.realline,
                    ctx,
                );
            }
        }
        let l = at.rawstr.to_ascii_lowercase();
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
            self.last_commit_id_line = at.linenr;
        }
    }

    /// The start of the commit message: the first line after the headers that is not
    /// one.
    pub(super) fn log_start(&mut self, at: &At<'_>) {
        if self.in_header_lines && at.realfile.is_empty() && !header_line(at.rawstr) {
            self.in_header_lines = false;
            self.in_commit_log = true;
            self.has_commit_log = true;
        }
    }

    /// An added line of a Rust file: the first `pub` item in driver/src or hal/src.
    pub(super) fn public_item(&mut self, at: &At<'_>) {
        let f = at.realfile;
        if (f.starts_with("driver/src/") || f.starts_with("hal/src/"))
            && text(&at.raw[1..]).trim_start().starts_with("pub ")
            && self.public_change.is_none()
        {
            self.public_change = Some((f.to_string(), at.report_line));
        }
    }

    /// After the last line: RUST_DOC_UNCHANGED, NOT_UNIFIED_DIFF and MISSING_SIGN_OFF
    /// (`n`: the number of lines).
    pub(super) fn finish(&self, c: &mut Checker<'_>, n: usize) {
        let file_mode = self.file_mode;
        if !file_mode && self.is_patch && c.opts.check_docs {
            if let Some((file, line)) = &self.public_change {
                if !self.touched_docs {
                    c.report(
                        Level::Check,
                        "RUST_DOC_UNCHANGED",
                        format!(
                            "Public item of {file} changed without a change under Documentation/"
                        ),
                        file,
                        *line,
                        *line,
                        vec![format!("#{line}: FILE: {file}")],
                    );
                }
            }
        }
        if !file_mode && !self.is_patch {
            c.report(
                Level::Error,
                "NOT_UNIFIED_DIFF",
                "Does not appear to be a unified-diff format patch".into(),
                "",
                n,
                0,
                Vec::<Vec<u8>>::new(),
            );
        }
        if !file_mode
            && self.is_patch
            && self.has_commit_log
            && !c.opts.no_signoff
            && self.signoff == 0
        {
            c.report(
                Level::Error,
                "MISSING_SIGN_OFF",
                "Missing Signed-off-by: line(s)".into(),
                "",
                n,
                0,
                Vec::<Vec<u8>>::new(),
            );
        }
    }
}

/// INVALID_UTF8 (CHECK): the line is not UTF-8 from byte `valid` on.
pub(super) fn invalid_utf8(c: &mut Checker<'_>, at: &At<'_>, valid: usize) {
    let ptr = format!("{}^", &copy_spacing(at.raw)[..valid]);
    c.report(
        Level::Check,
        "INVALID_UTF8",
        "Invalid UTF-8, patch and commit message should be encoded in UTF-8".into(),
        at.realfile,
        at.report_line,
        at.realline,
        vec![
            at.here_file().as_bytes().to_vec(),
            at.raw.to_vec(),
            ptr.into_bytes(),
        ],
    );
}

/// UNKNOWN_COMMIT_ID: a commit id in the message that the repository does not know.
pub(super) fn unknown_commit(c: &mut Checker<'_>, at: &At<'_>) {
    if let Some(msg) = git::unknown_commit(at.rawstr) {
        c.report(
            Level::Warning,
            "UNKNOWN_COMMIT_ID",
            msg,
            "",
            at.report_line,
            at.realline,
            at.herecurr(),
        );
    }
}
