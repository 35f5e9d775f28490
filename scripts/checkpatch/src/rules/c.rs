// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C layout: the line rules of checkpatch.pl's "C or perl" section (`.c`, `.h`, `.dts`,
//! `.dtsi`) that need no statement parsing: CODE_INDENT, LEADING_SPACE,
//! LOGICAL_CONTINUATIONS, BLOCK_COMMENT_STYLE, LINE_SPACING (blank lines around
//! declarations' ends, multiple blank lines) and OPEN_ENDED_LINE. Each is checkpatch.pl's
//! regex on the view it uses: `$rawline`, `$line` (`body`, the sanitized line without the
//! diff marker) and the previous line's.

use super::*;

/// The current line and the one before it, as the C rules see them.
pub(super) struct CLine<'a> {
    /// `$rawline`, with its diff marker.
    pub(super) raw: &'a [u8],
    /// `$line` without its diff marker.
    pub(super) body: &'a [u8],
    /// `$prevrawline` and `$prevline` (without its marker), when there is one.
    pub(super) prev: Option<(&'a [u8], &'a [u8])>,
    /// `$linenr`: the line's index in the patch.
    pub(super) linenr: usize,
    pub(super) report_line: usize,
    pub(super) realline: usize,
    /// `$realcnt`: the hunk's lines left, this one included.
    pub(super) realcnt: usize,
    /// The input's lines, their sanitized views and this line's index: for the rules
    /// that read the statement on (a macro's continuation lines).
    pub(super) after: (&'a [PLine<'a>], &'a Sanitized, usize),
}

impl CLine<'_> {
    pub(super) fn prev_raw(&self) -> &[u8] {
        self.prev.map_or(&[], |(r, _)| r)
    }

    pub(super) fn prev_body(&self) -> Option<&[u8]> {
        self.prev.map(|(r, b)| if r.is_empty() { r } else { b })
    }

    /// `$herecurr`.
    pub(super) fn curr(&self, here: &str) -> Vec<Vec<u8>> {
        vec![here.as_bytes().to_vec(), self.raw.to_vec()]
    }

    /// `$herevet`: the line with its whitespace made visible.
    fn vet(&self, here: &str) -> Vec<Vec<u8>> {
        vec![here.as_bytes().to_vec(), cat_vet(self.raw)]
    }

    /// `$hereprev`.
    pub(super) fn with_prev(&self, here: &str) -> Vec<Vec<u8>> {
        vec![
            here.as_bytes().to_vec(),
            self.prev_raw().to_vec(),
            self.raw.to_vec(),
        ]
    }
}

/// The leading run of `\s` of `s`: its length.
fn leading_space(s: &[u8]) -> usize {
    s.iter().take_while(|&&b| is_space(b)).count()
}

/// checkpatch.pl's tabify: a tab for each tab-size run of leading spaces after the tabs,
/// then spaces right before a tab dropped.
fn tabify(lead: &[u8], tab: usize) -> Vec<u8> {
    let mut s = lead.to_vec();
    if tab == 0 {
        return s;
    }
    loop {
        let t = s.iter().take_while(|&&b| b == b'\t').count();
        if s.len() >= t + tab && s[t..t + tab].iter().all(|&b| b == b' ') {
            s.splice(t..t + tab, [b'\t']);
        } else {
            break;
        }
    }
    loop {
        let t = s.iter().take_while(|&&b| b == b'\t').count();
        let sp = s[t..].iter().take_while(|&&b| b == b' ').count();
        if sp >= 1 && sp < tab && s.get(t + sp) == Some(&b'\t') {
            s.drain(t..t + sp);
        } else {
            break;
        }
    }
    s
}

/// The fix of CODE_INDENT and LEADING_SPACE: `s/^\+([ \t]+)/"\+" . tabify($1)/e`.
fn fix_indent(l: &mut Vec<u8>, tab: usize) {
    if l.first() != Some(&b'+') {
        return;
    }
    let n = l[1..]
        .iter()
        .take_while(|&&b| b == b' ' || b == b'\t')
        .count();
    if n > 0 {
        let t = tabify(&l[1..=n], tab);
        l.splice(1..=n, t);
    }
}

/// CODE_INDENT (ERROR): `^\+\s* \t\s*\S` or `^\+\s*        \s*` on `$rawline`: a space
/// before a tab in the indent of a line with code, or eight spaces in a row in it.
pub(super) fn code_indent(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let raw = l.raw;
    if raw.first() != Some(&b'+') {
        return;
    }
    let lead = &raw[1..1 + leading_space(&raw[1..])];
    let code_follows = 1 + lead.len() < raw.len();
    let space_tab = code_follows && lead.windows(2).any(|w| w == b" \t");
    let eight = lead.windows(8).any(|w| w == b"        ");
    if !(space_tab || eight) {
        return;
    }
    c.out.whitespace = true;
    if c.report(
        Level::Error,
        "CODE_INDENT",
        "code indent should use tabs where possible".into(),
        &fs.realfile,
        l.report_line,
        l.realline,
        l.vet(here),
    ) {
        let tab = c.opts.tab_size;
        if let Some(f) = c.fix_line() {
            fix_indent(f, tab);
        }
    }
}

/// The rules after SPACE_BEFORE_TAB in checkpatch.pl's order, for `.c`, `.h`, `.dts` and
/// `.dtsi` files. `last_blank_line` is checkpatch.pl's `$last_blank_line`.
pub(super) fn layout(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
    last_blank_line: &mut usize,
) {
    let raw = l.raw;
    let added = raw.first() == Some(&b'+');
    logical_continuations(c, fs, l, here);
    parenthesis_alignment(c, fs, l, here);
    if added {
        block_comment_style(c, fs, l, here);
    }
    line_spacing(c, fs, l, here, last_blank_line);
    leading_space_rule(c, fs, l, here);
    let c_file = fs.realfile.ends_with(".c") || fs.realfile.ends_with(".h");
    if c_file && added {
        open_ended_line(c, fs, l, here);
    }
}

/// LOGICAL_CONTINUATIONS (CHECK): `^\+\s*(&&|\|\|)` on `$rawline`.
fn logical_continuations(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let raw = l.raw;
    if raw.first() != Some(&b'+') {
        return;
    }
    let rest = &raw[1 + leading_space(&raw[1..])..];
    if (rest.starts_with(b"&&") || rest.starts_with(b"||"))
        && c.report(
            Level::Check,
            "LOGICAL_CONTINUATIONS",
            "Logical continuations should be on the previous line".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        )
        && c.opts.fix
        && l.prev_raw().first() == Some(&b'+')
    {
        fix_logical_continuation(c, l, &rest[..2]);
    }
}

/// LOGICAL_CONTINUATIONS' fix: the operator moved to the end of the previous line,
/// before its trailing spaces and comments (`$prevline =~ /[\s$;]*$/` gives where they
/// start in `$prevrawline`), and dropped with the spaces after it from this line.
fn fix_logical_continuation(c: &mut Checker<'_>, l: &CLine<'_>, op: &[u8]) {
    let (prev_raw, prev) = (l.prev_raw(), l.prev_body().unwrap_or_default());
    // $prevline keeps its marker, which is not a space.
    let tail = prev
        .iter()
        .rev()
        .take_while(|&&b| is_space(b) || b == COMMENT_BYTE)
        .count();
    let line_end = &prev_raw[(1 + prev.len() - tail).min(prev_raw.len())..];
    let cur = c.cur;
    if let Some(p) = cur.checked_sub(1).and_then(|i| c.fixed.get_mut(i)) {
        // s/\Q$line_end\E$/ $operator$line_end/
        if p.ends_with(line_end) {
            let at = p.len() - line_end.len();
            p.splice(at..at, [b" ", op].concat());
        }
    }
    if let Some(f) = c.fix_line() {
        // s/\Q$operator\E\s*//
        if let Some(k) = f.windows(2).position(|w| w == op) {
            let e = k + 2 + f[k + 2..].iter().take_while(|&&b| is_space(b)).count();
            f.drain(k..e);
        }
    }
}

/// `/$;[ \t]*$/`: the sanitized line ends in a comment.
fn ends_in_comment_byte(body: &[u8]) -> bool {
    let t = body
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map(|i| body[i]);
    t == Some(COMMENT_BYTE)
}

/// `/\*\/[ \t]*$/`: the line ends with `*/`, and where that `*/` starts.
fn trailing_comment_end(raw: &[u8]) -> Option<usize> {
    let end = raw
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(0, |i| i + 1);
    (end >= 2 && &raw[end - 2..end] == b"*/").then(|| end - 2)
}

/// `^\+.*?\/\*`: an added line that opens a comment.
fn opens_comment(raw: &[u8]) -> bool {
    raw.first() == Some(&b'+') && raw.windows(2).any(|w| w == b"/*")
}

/// `^\+[ \t]*\*`: an added line whose first non-blank is `*`.
fn leading_star(raw: &[u8]) -> bool {
    raw.first() == Some(&b'+')
        && raw[1..]
            .iter()
            .find(|&&b| b != b' ' && b != b'\t')
            .is_some_and(|&b| b == b'*')
}

/// checkpatch.pl's expand_tabs: the length of `s` with its tabs expanded.
fn expanded(s: &[u8], tab: usize) -> usize {
    expanded_len(s, tab)
}

/// BLOCK_COMMENT_STYLE (WARNING), checkpatch.pl's three tests, on an added line.
fn block_comment_style(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let raw = l.raw;
    let prev_raw = l.prev_raw();
    let prev_comment = l.prev_body().is_some_and(ends_in_comment_byte);
    let prev_opens = opens_comment(prev_raw) && trailing_comment_end(prev_raw).is_none();
    // Block comments use * on subsequent lines.
    if prev_comment && prev_opens && !leading_star(raw) {
        c.report(
            Level::Warning,
            "BLOCK_COMMENT_STYLE",
            "Block comments use * on subsequent lines".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        );
    }
    // Block comments use */ on trailing lines.
    if let Some(e) = trailing_comment_end(raw) {
        let only_end = raw[1..e].iter().all(|&b| b == b' ' || b == b'\t');
        let inline = raw[1..e].windows(2).any(|w| w == b"/*");
        let stars = e >= 2 && raw[e - 1] == b'*';
        if !only_end && !inline && !stars && e >= 2 {
            c.report(
                Level::Warning,
                "BLOCK_COMMENT_STYLE",
                "Block comments use a trailing */ on a separate line".into(),
                &fs.realfile,
                l.report_line,
                l.realline,
                l.curr(here),
            );
        }
    }
    // Block comment * alignment.
    let leading_comment = l.body[leading_tabs_spaces(l.body)..].first() == Some(&COMMENT_BYTE);
    if prev_comment
        && leading_comment
        && leading_star(raw)
        && (prev_opens || leading_star(prev_raw))
    {
        let tab = c.opts.tab_size;
        // m@^\+([ \t]*/?)\*@, else m@^\+(.*/?)\*@ (up to the last `*`).
        let p = &prev_raw[1..];
        let ws = leading_tabs_spaces(p);
        let slash = usize::from(p.get(ws) == Some(&b'/'));
        let old = if p.get(ws + slash) == Some(&b'*') {
            &p[..ws + slash]
        } else {
            &p[..p.iter().rposition(|&b| b == b'*').unwrap_or(0)]
        };
        let new = &raw[1..1 + leading_tabs_spaces(&raw[1..])];
        if expanded(old, tab) != expanded(new, tab) {
            c.report(
                Level::Warning,
                "BLOCK_COMMENT_STYLE",
                "Block comments should align the * on each line".into(),
                &fs.realfile,
                l.report_line,
                l.realline,
                l.with_prev(here),
            );
        }
    }
}

/// The length of the leading `[ \t]*` of `s`.
fn leading_tabs_spaces(s: &[u8]) -> usize {
    s.iter().take_while(|&&b| b == b' ' || b == b'\t').count()
}

/// `^\+\s*`, then `word` (ASCII case ignored when `ci`).
fn starts_after_space(body: &[u8], word: &[u8], ci: bool) -> bool {
    let r = &body[leading_space(body)..];
    r.len() >= word.len()
        && if ci {
            r[..word.len()].eq_ignore_ascii_case(word)
        } else {
            &r[..word.len()] == word
        }
}

/// The lines after a `}` that need no blank line before them (checkpatch.pl's list).
fn after_brace_exempt(body: &[u8]) -> bool {
    let r = &body[leading_space(body)..];
    if r.is_empty()
        || [
            &b"EXPORT_SYMBOL"[..],
            b"early_param",
            b"ALLOW_ERROR_INJECTION",
        ]
        .iter()
        .any(|w| r.starts_with(w))
        || starts_after_space(body, b"MODULE_", true)
        || starts_after_space(body, b"DECLARE", false)
        || starts_after_space(body, b"__setup", false)
    {
        return true;
    }
    // \#\s*(?:end|elif|else)
    if let Some(d) = r.strip_prefix(b"#") {
        let d = &d[leading_space(d)..];
        if d.starts_with(b"end") || d.starts_with(b"elif") || d.starts_with(b"else") {
            return true;
        }
    }
    // ^\+[a-z_]*init
    let lower = body
        .iter()
        .take_while(|&&b| b.is_ascii_lowercase() || b == b'_')
        .count();
    if (0..=lower).any(|k| body[k..].starts_with(b"init")) {
        return true;
    }
    // (?:static\s+)?[A-Z_]*ATTR
    let mut s = r;
    if let Some(t) = s.strip_prefix(b"static") {
        let n = leading_space(t);
        if n > 0 {
            s = &t[n..];
        }
    }
    let upper = s
        .iter()
        .take_while(|&&b| b.is_ascii_uppercase() || b == b'_')
        .count();
    if (0..=upper).any(|k| s[k..].starts_with(b"ATTR")) {
        return true;
    }
    // builtin_[\w_]*driver
    if let Some(t) = r.strip_prefix(b"builtin_") {
        let w = t.iter().take_while(|&&b| is_word(b)).count();
        if (0..=w).any(|k| t[k..].starts_with(b"driver")) {
            return true;
        }
    }
    false
}

/// LINE_SPACING (CHECK): no blank line after a declaration's closing `}`, and two blank
/// lines in a row.
fn line_spacing(
    c: &mut Checker<'_>,
    fs: &FileState,
    l: &CLine<'_>,
    here: &str,
    last_blank_line: &mut usize,
) {
    if l.raw.first() != Some(&b'+') {
        return;
    }
    let Some(prev) = l.prev_body() else {
        return;
    };
    let prev_marker = l.prev_raw().first().copied();
    let prev_marked = matches!(prev_marker, Some(b'+' | b' '));
    // ^[\+ ]};?\s*$
    let closes = prev_marked
        && prev.strip_prefix(b"}").is_some_and(|p| {
            let p = p.strip_prefix(b";").unwrap_or(p);
            p.iter().all(|&b| is_space(b))
        });
    if closes
        && !after_brace_exempt(l.body)
        && c.report(
            Level::Check,
            "LINE_SPACING",
            "Please use a blank line after function/struct/union/enum declarations".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        )
    {
        // An (added) blank line before this one.
        c.fix_insert(c.cur, b"+".to_vec());
    }
    // ^[\+ ]\s*$ then ^\+\s*$
    let prev_blank = prev_marked && prev.iter().all(|&b| is_space(b));
    let blank = l.body.iter().all(|&b| is_space(b));
    if prev_blank && blank && *last_blank_line != l.linenr.wrapping_sub(1) {
        if c.report(
            Level::Check,
            "LINE_SPACING",
            "Please don't use multiple blank lines".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        ) {
            c.fix_delete(c.cur);
        }
        *last_blank_line = l.linenr;
    }
    super::c_decl::missing_blank_after_declarations(c, fs, l, here);
}

/// `$Ident:` at the start of `s`: `[A-Za-z_]\w*(?:\s*##\s*[A-Za-z_]\w*)*:`.
fn ident_label(s: &[u8]) -> bool {
    let word = |s: &[u8], i: usize| {
        if s.get(i)
            .is_some_and(|&b| b.is_ascii_alphabetic() || b == b'_')
        {
            Some(i + s[i..].iter().take_while(|&&b| is_word(b)).count())
        } else {
            None
        }
    };
    let Some(mut end) = word(s, 0) else {
        return false;
    };
    loop {
        if s.get(end) == Some(&b':') {
            return true;
        }
        let i = end + leading_space(&s[end..]);
        if !s[i..].starts_with(b"##") {
            return false;
        }
        let j = i + 2 + leading_space(&s[i + 2..]);
        match word(s, j) {
            Some(e) => end = e,
            None => return false,
        }
    }
}

/// LEADING_SPACE (WARNING): `^\+ ` on `$rawline`, but for a comment, a preprocessor line
/// or a label (`^\+ *(?:$;|#|$Ident:)` on `$line`).
fn leading_space_rule(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    if !l.raw.starts_with(b"+ ") {
        return;
    }
    let spaces = l.body.iter().take_while(|&&b| b == b' ').count();
    let r = &l.body[spaces..];
    if r.first() == Some(&COMMENT_BYTE) || r.first() == Some(&b'#') || ident_label(r) {
        return;
    }
    if c.report(
        Level::Warning,
        "LEADING_SPACE",
        "please, no spaces at the start of a line".into(),
        &fs.realfile,
        l.report_line,
        l.realline,
        l.vet(here),
    ) {
        let tab = c.opts.tab_size;
        if let Some(f) = c.fix_line() {
            fix_indent(f, tab);
        }
    }
}

/// OPEN_ENDED_LINE (CHECK): `^\+.*([\[\(])\s*$` on `$line`.
fn open_ended_line(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let b = l.body;
    let Some(last) = b.iter().rposition(|&x| !is_space(x)) else {
        return;
    };
    if matches!(b[last], b'[' | b'(') {
        c.report(
            Level::Check,
            "OPEN_ENDED_LINE",
            format!("Lines should not end with a '{}'", b[last] as char),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.curr(here),
        );
    }
}

/// A line longer than this is not analysed for PARENTHESIS_ALIGNMENT: the type matchers
/// try every split of a line's spaces, which a line of megabytes would make slow. No
/// kernel line comes near it.
const ALIGNMENT_MAX_LINE: usize = 1000;

/// checkpatch.pl's condition on `$prevline` for PARENTHESIS_ALIGNMENT (without its
/// marker): `^([ \t]*)(G)\(.*(\&\&|\|\||,)\s*$`, where G is one of
/// `$c90_Keywords(?:\s+if)\s*`, `(?:$Declare\s*)?(?:$Ident|\(\s*\*\s*$Ident\s*\))\s*`
/// and `(?:\*\s*)*$Lval\s*=\s*$Ident\s*`:
/// a call, a condition, a declaration or an assignment that opens a parenthesis and
/// ends the line with `&&`, `||` or `,`.
fn opens_multiline_statement(s: &[u8]) -> bool {
    use super::c_types::{declare, ident, lval};
    let sp = |i: usize| i + s[i..].iter().take_while(|&&b| is_space(b)).count();
    // The end: (\&\&|\|\||,)\s*$, and where the operator starts.
    let t = s.iter().rposition(|&b| !is_space(b)).map_or(0, |i| i + 1);
    let op = if s[..t].ends_with(b"&&") || s[..t].ends_with(b"||") {
        t - 2
    } else if s[..t].ends_with(b",") {
        t - 1
    } else {
        return false;
    };
    let a = leading_tabs_spaces(s);
    let mut ends: Vec<usize> = Vec::new();
    // (?:$c90_Keywords(?:\s+if)\s*)
    for k in [
        &b"do"[..],
        b"for",
        b"while",
        b"if",
        b"else",
        b"return",
        b"goto",
        b"continue",
        b"switch",
        b"default",
        b"case",
        b"break",
    ] {
        if s[a..].starts_with(k) {
            let b = a + k.len();
            let c = sp(b);
            if c > b && s[c..].starts_with(b"if") {
                ends.push(sp(c + 2));
            }
        }
    }
    // (?:$Declare\s*)?(?:$Ident|\(\s*\*\s*$Ident\s*\))\s*
    let mut starts = vec![a];
    for d in declare(s, a) {
        starts.extend(d..=sp(d));
    }
    for st in starts {
        for e in ident(s, st) {
            ends.extend(e..=sp(e));
        }
        if s.get(st) == Some(&b'(') {
            let b = sp(st + 1);
            if s.get(b) == Some(&b'*') {
                for e in ident(s, sp(b + 1)) {
                    let f = sp(e);
                    if s.get(f) == Some(&b')') {
                        ends.extend(f + 1..=sp(f + 1));
                    }
                }
            }
        }
    }
    // (?:\*\s*)*$Lval\s*=\s*$Ident\s*
    let mut p = a;
    loop {
        for e in lval(s, p) {
            for f in e..=sp(e) {
                if s.get(f) == Some(&b'=') {
                    for g in ident(s, sp(f + 1)) {
                        ends.extend(g..=sp(g));
                    }
                }
            }
        }
        if s.get(p) == Some(&b'*') {
            p = sp(p + 1);
        } else {
            break;
        }
    }
    ends.iter().any(|&e| s.get(e) == Some(&b'(') && op > e)
}

/// checkpatch.pl's pos_last_openparen: the column after the last parenthesis left open in
/// `rest` (tabs expanded from its start), or `None` when none is (or as many close).
fn last_open_paren(rest: &[u8], tab: usize) -> Option<usize> {
    let opens = rest.iter().filter(|&&b| b == b'(').count();
    let closes = rest.iter().filter(|&&b| b == b')').count();
    if opens == 0 || closes >= opens {
        return None;
    }
    let mut stack = Vec::new();
    for (i, &b) in rest.iter().enumerate() {
        match b {
            b'(' => stack.push(i),
            b')' => {
                stack.pop();
            }
            _ => {}
        }
    }
    let last = stack.last().copied().unwrap_or(0);
    Some(expanded(&rest[..last], tab) + 1)
}

/// PARENTHESIS_ALIGNMENT (CHECK): the line after one that leaves a parenthesis open with
/// `&&`, `||` or `,` at its end is not aligned with that parenthesis, with tabs then
/// spaces or with spaces only after the previous line's tabs. On any hunk line after an
/// added one.
fn parenthesis_alignment(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let tab = c.opts.tab_size;
    let Some((prev_raw, prev)) = l.prev else {
        return;
    };
    if prev_raw.first() != Some(&b'+')
        || tab == 0
        || prev.len() > ALIGNMENT_MAX_LINE
        || !opens_multiline_statement(prev)
    {
        return;
    }
    // ^\+(\t*)(.*)$
    let tabs = prev.iter().take_while(|&&b| b == b'\t').count();
    let rest = &prev[tabs..];
    let Some(pos) = last_open_paren(rest, tab) else {
        return;
    };
    // ^(\+| )([ \t]*) on $line; on an empty line Perl's $2 is still the previous
    // match's: the rest of the previous line.
    let new: &[u8] = if matches!(l.raw.first(), Some(b'+' | b' ')) {
        &l.body[..leading_tabs_spaces(l.body)]
    } else {
        rest
    };
    let mut good_tab = vec![b'\t'; tabs];
    good_tab.extend(std::iter::repeat_n(b'\t', pos / tab));
    good_tab.extend(std::iter::repeat_n(b' ', pos % tab));
    let mut good_space = vec![b'\t'; tabs];
    good_space.extend(std::iter::repeat_n(b' ', pos));
    if new != good_tab.as_slice()
        && new != good_space.as_slice()
        && c.report(
            Level::Check,
            "PARENTHESIS_ALIGNMENT",
            "Alignment should match open parenthesis".into(),
            &fs.realfile,
            l.report_line,
            l.realline,
            l.with_prev(here),
        )
        && l.raw.first() == Some(&b'+')
    {
        if let Some(f) = c.fix_line() {
            let n = 1 + leading_tabs_spaces(&f[1..]);
            let mut with = vec![b'+'];
            with.extend_from_slice(&good_tab);
            f.splice(..n, with);
        }
    }
}
