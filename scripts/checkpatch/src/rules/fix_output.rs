// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The --fix output: the lines as the rules left them (`Checker::fixed`), without the
//! deleted lines and with the inserted ones, in the hunk ranges moved as checkpatch.pl's
//! fix_inserted_deleted_lines moves them.

use super::text;

/// The --fix output: checkpatch.pl's fix_inserted_deleted_lines (a deleted line
/// shortens, and an inserted one lengthens, the range of the hunk it is in and moves the
/// later hunks of its file, as there), then every line and a newline, without the `-f`
/// pseudo-patch's three header lines and `+` markers.
///
/// As there, the deletions and insertions are taken in the order the rules made them:
/// one whose line is before the line reached stops the ones after it.
pub(super) fn fixed_output(
    fixed: &[Vec<u8>],
    deleted: &[usize],
    inserted: &[(usize, Vec<u8>)],
    file_mode: bool,
) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = Vec::with_capacity(fixed.len() + inserted.len());
    let mut range_last = 0usize;
    // `$new_linenr`: the lines written (an element Perl makes is not one).
    let mut new_linenr = 0usize;
    let mut delta: i64 = 0;
    let mut next_delete = deleted.iter().copied().peekable();
    let mut next_insert = inserted.iter().peekable();
    // `\$lines[$range_last_linenr]`: Perl makes the element (undef, printed as an empty
    // line) when there is none yet.
    let range_line = |lines: &mut Vec<Vec<u8>>, at: usize| -> usize {
        if lines.len() <= at {
            lines.resize(at + 1, Vec::new());
        }
        at
    };
    for (old, line) in fixed.iter().enumerate() {
        let mut line = line.clone();
        let mut save = true;
        let t = text(&line);
        let is_name = (t.starts_with("+++") || t.starts_with("---"))
            && t[3..].starts_with(|ch: char| ch.is_ascii_whitespace())
            && !t[3..].trim().is_empty();
        if is_name {
            delta = 0;
        } else if hunk_ranges(&line).is_some() {
            range_last = new_linenr;
            fixup_range(&mut line, delta, 0);
        }
        while next_delete.peek() == Some(&old) {
            next_delete.next();
            save = false;
            let at = range_line(&mut lines, range_last);
            fixup_range(&mut lines[at], delta, -1);
            delta -= 1;
        }
        while let Some((_, ins)) = next_insert.next_if(|(at, _)| *at == old) {
            lines.push(ins.clone());
            new_linenr += 1;
            let at = range_line(&mut lines, range_last);
            fixup_range(&mut lines[at], delta, 1);
            delta += 1;
        }
        if save {
            lines.push(line);
            new_linenr += 1;
        }
    }
    let mut out = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        if file_mode {
            if i < 3 {
                continue;
            }
            out.extend_from_slice(l.strip_prefix(b"+").unwrap_or(l));
        } else {
            out.extend_from_slice(l);
        }
        out.push(b'\n');
    }
    out
}

/// `^@@ -\d+,\d+ \+(\d+),(\d+) @@`: where the new start and count are in the line.
fn hunk_ranges(l: &[u8]) -> Option<(usize, usize, usize, usize)> {
    let digits = |i: usize| {
        l[i.min(l.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    if !l.starts_with(b"@@ -") {
        return None;
    }
    let mut i = 4;
    let n = digits(i);
    if n == 0 || l.get(i + n) != Some(&b',') {
        return None;
    }
    i += n + 1;
    let n = digits(i);
    if n == 0 || l.get(i + n..i + n + 2) != Some(b" +") {
        return None;
    }
    i += n + 2;
    let (s0, sn) = (i, digits(i));
    if sn == 0 || l.get(s0 + sn) != Some(&b',') {
        return None;
    }
    let c0 = s0 + sn + 1;
    let cn = digits(c0);
    (cn > 0 && l.get(c0 + cn..c0 + cn + 3) == Some(b" @@")).then_some((s0, sn, c0, cn))
}

/// checkpatch.pl's fixup_current_range: moves a hunk's new start by `offset` and changes
/// its count by `length`.
fn fixup_range(l: &mut Vec<u8>, offset: i64, length: i64) {
    let Some((s0, sn, c0, cn)) = hunk_ranges(l) else {
        return;
    };
    let num = |b: &[u8]| -> i64 { text(b).parse().unwrap_or(i64::MAX) };
    let start = num(&l[s0..s0 + sn]).saturating_add(offset);
    let count = num(&l[c0..c0 + cn]).saturating_add(length);
    let mut out = l[..s0].to_vec();
    out.extend_from_slice(format!("{start},{count}").as_bytes());
    out.extend_from_slice(&l[c0 + cn..]);
    *l = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(v: &[&str]) -> Vec<Vec<u8>> {
        v.iter().map(|l| l.as_bytes().to_vec()).collect()
    }

    /// What checkpatch.pl's fix_inserted_deleted_lines printed for these lines,
    /// insertions and deletions (its two subs run alone): each insertion and deletion
    /// moves the start of the hunk it is in by the offset so far (even the hunk's own
    /// start), the file's next hunks by one, and an insertion out of order (line 2 after
    /// line 13) stops the ones after it.
    #[test]
    fn inserted_and_deleted_lines_move_the_hunks_as_checkpatch_pl_s() {
        let fixed = lines(&[
            "--- a/f.c",
            "+++ b/f.c",
            "@@ -1,3 +1,4 @@",
            " a",
            "+b",
            " c",
            "-d",
            "@@ -10,2 +11,3 @@",
            "+e",
            " f",
            "--- a/g.c",
            "+++ b/g.c",
            "@@ -5,1 +5,2 @@",
            "+g",
            " h",
        ]);
        let inserted: Vec<(usize, Vec<u8>)> = [
            (4, "x"),
            (4, "y"),
            (8, "z"),
            (13, "w"),
            (2, "never"),
            (14, "after"),
        ]
        .iter()
        .map(|&(i, l)| (i, l.as_bytes().to_vec()))
        .collect();
        let out = fixed_output(&fixed, &[5, 9, 14], &inserted, false);
        let want = "--- a/f.c\n+++ b/f.c\n@@ -1,3 +4,5 @@\n a\nx\ny\n+b\n-d\n\
                    @@ -10,2 +15,3 @@\nz\n+e\n--- a/g.c\n+++ b/g.c\n@@ -5,1 +6,2 @@\nw\n+g\n";
        assert_eq!(String::from_utf8_lossy(&out), want);
    }

    #[test]
    fn a_file_loses_the_pseudo_patch_header_and_markers() {
        let fixed = lines(&["--- /dev/null", "+++ b/f.c", "@@ -0,0 +1,2 @@", "+a", "+b"]);
        let out = fixed_output(&fixed, &[3], &[(4, b"\tc".to_vec())], true);
        assert_eq!(out, b"\tc\nb\n");
    }
}
