// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The line loop, checkpatch.pl's `process()`: it follows the input's files and hunks and
//! calls each rule on each line, in checkpatch.pl's order (the order of the findings).
//! The state of the mail headers and the commit message is [`commit::Log`]'s; the rules
//! are in the modules of their family (the table in [`super`]).

use super::commit::{self, Log};
use super::engine::{
    is_source, lines_checked, parse_hunk, sanitized_lines, strip_p1, At, Checker, FileState,
    HunkLine, PLine,
};
use super::*;
use c::CLine;

pub(super) fn process(c: &mut Checker<'_>, lines: &[PLine<'_>]) {
    let file_mode = c.file_mode;
    // checkpatch.pl's $line for each line it sanitizes (the hunk lines), lexed a hunk
    // at a time as it does, by this tool's Rust lexer.
    let sane = sanitized_lines(lines);
    let mut fs = FileState::default();
    // checkpatch.pl's pre-scan leaves $realline at the last hunk's start, less one, and
    // the main loop does not reset it: lines before the first hunk count from there.
    let mut realline = lines
        .iter()
        .rev()
        .find_map(|l| parse_hunk(l.raw))
        .map_or(0, |(start, _)| start.saturating_sub(1));
    let mut realcnt = 0usize;
    // checkpatch.pl's $last_blank_line (LINE_SPACING).
    let mut last_blank_line = 0usize;
    let mut log = Log::new(file_mode);
    // checkpatch.pl's $prevline and $prevrawline, and the line that becomes them.
    let mut prev_line: Option<usize> = None;
    let mut stash_line: Option<usize> = None;
    // Lines of the current file, in order, for the Rust rules (added and context).
    let mut hunk: Vec<HunkLine<'_>> = Vec::new();
    let mut files: Vec<(FileState, Vec<HunkLine<'_>>)> = Vec::new();
    // Finds the file's name in a line (EMBEDDED_FILENAME).
    let mut name_finder = memchr::memmem::Finder::new(b"").into_owned();
    // The operator annotations and the words checkpatch.pl may learn as types (SPACING),
    // made at the first line of a .c or .h file.
    let mut spacing_state: Option<spacing::Spacing> = None;

    for (idx, pl) in lines.iter().enumerate() {
        c.cur = idx;
        let raw = pl.raw;
        let utf8 = std::str::from_utf8(raw);
        let rawstr = match utf8 {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(raw),
        };

        if !log.in_commit_log
            && (rawstr.starts_with("diff --git a/")
                || rawstr.starts_with("rename from ")
                || rawstr.starts_with("rename to "))
        {
            log.is_patch = true;
        }

        // A hunk header.
        if !log.in_commit_log && raw.starts_with(b"@@ -") {
            if let Some((start, count)) = parse_hunk(raw) {
                log.is_patch = true;
                realline = start.saturating_sub(1);
                realcnt = count.saturating_add(1);
                if let Some(sp) = spacing_state.as_mut() {
                    sp.reset();
                }
                continue;
            }
        } else if realcnt == 1 {
            realcnt = 0;
        }
        // checkpatch.pl counts every line that starts with ' ' or '+' or is empty, in a
        // hunk or not (a finding on a header line shows that count), before it looks
        // for a file name: a `+++ name` line inside a hunk counts too.
        let plain = raw.first() == Some(&b' ') || raw.first() == Some(&b'+') || raw.is_empty();
        if plain {
            realline = realline.saturating_add(1);
        }
        if realcnt > 1 && plain {
            realcnt -= 1;
        }
        let hunk_line = realcnt != 0;
        let body = sane.body(idx).unwrap_or(raw.get(1..).unwrap_or(&[]));
        if plain {
            prev_line = stash_line.replace(idx);
        }

        // The file name as it passes.
        let header_name = header_file_name(&rawstr);
        let found_file = header_name.is_some();
        if found_file && !hunk.is_empty() {
            files.push((fs.clone(), std::mem::take(&mut hunk)));
        }
        if let Some(name) = header_name {
            fs.realfile = strip_p1(name, file_mode);
            log.in_commit_log = false;
        }
        if found_file {
            name_finder = memchr::memmem::Finder::new(fs.realfile.as_bytes()).into_owned();
            fs.excluded = c.opts.excluded(&fs.realfile);
            fs.checklicenseline = 1;
            fs.is_rust = fs.realfile.ends_with(".rs");
            fs.is_source = is_source(&fs.realfile);
            if fs.realfile.starts_with("Documentation/") {
                log.touched_docs = true;
            }
            continue;
        }

        let at = At::new(
            raw,
            &rawstr,
            idx,
            realline,
            &fs.realfile,
            file_mode,
            hunk_line,
        );

        log.headers(c, &at);

        // Signatures, on checkpatch.pl's $line: every line, the sanitized one in a hunk
        // (so a context line of a patched .patch file is a signature too, and one in a C
        // comment is not). Built only for a line that may be one: `\s*[\w-]+:`. Not in
        // the lines of a file --exclude names.
        let excluded = !fs.realfile.is_empty() && fs.excluded;
        let sig_line = (!excluded && signature_like(raw)).then(|| match sane.body(idx) {
            Some(b) if !raw.is_empty() => {
                let mut v = Vec::with_capacity(b.len() + 1);
                v.push(raw[0]);
                v.extend_from_slice(b);
                std::borrow::Cow::Owned(String::from_utf8_lossy(&v).into_owned())
            }
            _ => rawstr.clone(),
        });
        let next = lines.get(idx + 1).map(|l| l.raw);
        log.signatures(c, &at, sig_line.as_deref(), next);
        log.message(c, &at, &lines[idx + 1..]);

        // Invalid UTF-8 in added lines and in the commit message.
        if fs.realfile.is_empty() || (raw.first() == Some(&b'+') && !fs.excluded) {
            if let Err(e) = utf8 {
                commit::invalid_utf8(c, &at, e.valid_up_to());
            }
        }

        log.log_start(&at);

        if !excluded
            && (log.in_commit_log
                || raw.first() == Some(&b'+')
                || starts_with_ci(&rawstr, "subject:"))
        {
            typos(c, &at);
        }

        if log.in_commit_log {
            commit::unknown_commit(c, &at);
        }

        if !excluded && (raw.first() == Some(&b'+') || log.in_commit_log) {
            repeated_words(c, &at, log.in_commit_log);
            // A comment's last word repeated at the start of the next line: $prevline
            // ends in a comment, and $rawline is a block comment's ` * WORD `.
            let star = raw.first() == Some(&b'+') && raw[1..].contains(&b'*');
            let prev = prev_line
                .filter(|_| star)
                .map(|p| (sane.body(p).unwrap_or(lines[p].raw), lines[p].raw))
                .filter(|(pl, _)| ends_in_comment(pl) && !ls_listing(raw));
            if let Some((_, prev_raw)) = prev {
                comment_repeat(c, &at, prev_raw);
            }
        }

        if !hunk_line || raw.first() == Some(&b'-') || fs.excluded {
            continue;
        }
        let report_line = at.report_line;
        hunk.push((report_line, realline, raw, raw.first() == Some(&b'+'), idx));

        if raw.first() == Some(&b'+') {
            line_endings(c, &at, body);
        }
        fsf_address(c, &at);
        let prev_raw = prev_line.map_or(&[][..], |p| lines[p].raw);
        maintainers::maintainers_style(c, &at, prev_raw);

        // SPDX on the first line (the second after a #! line).
        if realline == fs.checklicenseline {
            if is_shebang(raw) {
                fs.checklicenseline = 2;
            } else if raw.first() == Some(&b'+') {
                spdx_first_line(c, &fs, &at);
            }
        }

        if raw.first() == Some(&b'+') {
            embedded_filename(c, &at, &name_finder);
        }

        if !fs.is_source {
            continue;
        }
        // A misplaced tag, on context lines too (checkpatch.pl tests $rawline alone).
        if realline != fs.checklicenseline {
            misplaced_spdx(c, &fs, &at);
        }
        // checkpatch.pl's C rules, for the hunk lines of .c, .h, .dts and .dtsi files.
        let c_or_dts = [".h", ".c", ".dtsi", ".dts"]
            .iter()
            .any(|e| fs.realfile.ends_with(e));
        let cl = c_or_dts.then(|| CLine {
            raw,
            body,
            prev: prev_line.map(|p| {
                let r = lines[p].raw;
                (r, sane.body(p).unwrap_or(r.get(1..).unwrap_or(&[])))
            }),
            linenr: at.linenr,
            report_line,
            realline,
            realcnt,
            after: (lines, &sane, idx),
        });
        // The C rules take `$here` as a string: built for C lines only.
        let here_file = if cl.is_some() { at.here_file() } else { "" };
        if raw.first() == Some(&b'+') {
            long_line(c, &at, body);
            let next = lines.get(idx + 1).map(|n| n.raw);
            missing_eof_newline(c, &at, next);
            if let Some(cl) = &cl {
                c::code_indent(c, &fs, cl, here_file);
            }
            space_before_tab(c, &at);
            if fs.is_rust && !file_mode {
                log.public_item(&at);
            }
        }
        if let Some(cl) = &cl {
            c::layout(c, &fs, cl, here_file, &mut last_blank_line);
            let c_file = fs.realfile.ends_with(".c") || fs.realfile.ends_with(".h");
            if c_file {
                c_func::context_function(c, cl);
                c_flow::unnecessary_else(c, &fs, cl, here_file);
                c_stat::line_start(c, cl);
                let sp = spacing_state.get_or_insert_with(|| {
                    spacing::Spacing::new(spacing::candidates(
                        c_file_lines(lines, file_mode).filter_map(|i| sane.body(i)),
                    ))
                });
                let sl = spacing::Line {
                    raw,
                    body,
                    report_line,
                    realline,
                };
                spacing::line(c, sp, &fs, &sl, here_file, |c| {
                    c_decl::unspecified_int(c, &fs, cl, here_file);
                });
            }
            if c_file && raw.first() == Some(&b'+') {
                c_api::calls(c, &fs, cl, here_file);
                c_api::avoid_externs(c, &fs, cl, here_file);
                macros::bit_macro(c, &fs, cl, here_file);
                // Declarations and statements, in checkpatch.pl's order (UNSPECIFIED_INT
                // is in SPACING's, above).
                c_assign::multiple_assignments(c, &fs, cl, here_file);
                c_stmt::unnecessary_parentheses(c, &fs, cl, here_file);
                c_flow::conditionals(c, &fs, cl, here_file);
                c_names::camelcase(c, &fs, cl, here_file);
                macros::macro_args(c, &fs, cl, here_file);
                c_stmt::braces(c, &fs, cl, here_file);
                c_func::embedded_function_name(c, &fs, cl, here_file);
                c_log::tracing_logging(c, &fs, cl, here_file);
                c_log::printf_formats(c, &fs, cl, here_file);
                c_log::logging_continuation(c, &fs, cl, here_file);
                c_api::uncommented_definition(c, &fs, cl, here_file);
                c_api::memory_barrier(c, &fs, cl, here_file);
                c_decl::prefer_kernel_types(c, &fs, cl, here_file);
                c_func::function_arguments(c, &fs, cl, here_file);
                c_func::function_definition(c);
                c_assign::alloc_sizeof_struct(c, &fs, cl, here_file);
            }
        }
    }
    if !hunk.is_empty() {
        files.push((fs.clone(), hunk));
    }

    c.out.is_patch = log.is_patch;
    c.out.lines = lines_checked(lines, file_mode);

    for (f, hunk) in &files {
        if f.is_rust {
            rust::check(c, f, hunk, file_mode, &sane.lexed);
        }
    }

    log.finish(c, lines.len());
}

/// The lines of the `.c` and `.h` files of the input, the only ones where checkpatch.pl
/// learns types (its `possible()` runs after `next if ($realfile !~ /\.(h|c)$/)`): the
/// file's name followed as the line loop above follows it.
fn c_file_lines<'a>(lines: &'a [PLine<'a>], file_mode: bool) -> impl Iterator<Item = usize> + 'a {
    let mut c_file = false;
    lines.iter().enumerate().filter_map(move |(idx, pl)| {
        let line = String::from_utf8_lossy(pl.raw);
        if let Some(name) = header_file_name(&line) {
            let name = strip_p1(name, file_mode);
            c_file = name.ends_with(".c") || name.ends_with(".h");
            return None;
        }
        c_file.then_some(idx)
    })
}

/// The file a `diff --git a/X b/Y` line (its last word) or a `+++ NAME` line (its first)
/// names, before the `-p1` strip; `None` for any other line.
fn header_file_name(line: &str) -> Option<&str> {
    if let Some(rest) = line.strip_prefix("diff --git ") {
        return Some(rest.rsplit(' ').next().unwrap_or(""));
    }
    let rest = line.strip_prefix("+++")?;
    (rest.starts_with(' ') || rest.starts_with('\t'))
        .then(|| rest.split_whitespace().next().unwrap_or(""))
}
