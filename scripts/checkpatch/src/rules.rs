// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The rules, run over a file or a patch line by line as checkpatch.pl's `process()` does.
//!
//! The engine and the rules are apart, each module readable whole:
//!
//! - [`engine`]: the input as checkpatch.pl sees it (a file as a pseudo-patch, the hunks,
//!   each line's sanitized `$line`), the [`engine::Checker`] the rules report to;
//!   [`fix_output`]: the --fix output (deleted and inserted lines, hunk ranges);
//! - [`process`]: the line loop, which follows the files and hunks and calls each rule in
//!   checkpatch.pl's order;
//! - [`types`]: the registry, each TYPE and the module that reports it, and the TYPEs not
//!   implemented;
//! - [`commit`]: the mail headers and the commit message, their state and the checks
//!   that read it; [`patch`] and [`git`]: signatures, the text tests of the headers and
//!   the message, commit references;
//! - [`whitespace`]: whitespace and line length;
//! - [`comments`](mod@comments): comments and spelling (SPDX tags, typos, repeated
//!   words, file names, the FSF address);
//! - [`c`], [`c_stmt`], [`c_decl`], [`c_names`], [`c_api`]: C layout and indentation,
//!   statements, declarations, names, the kernel API; [`c_types`] matches `$Type`,
//!   `$Ident` and the others for them; [`c_stat`] is checkpatch.pl's statement parser,
//!   for [`c_flow`] (control flow, its line-splitting fixes in [`c_flow_fix`]),
//!   [`c_func`] (functions) and [`c_assign`] (assignments); [`c_log`]: logging and
//!   formats;
//! - [`spacing`]: C spacing, with [`spacing::annotate`] (annotate_values),
//!   [`spacing::operators`] (the operator loop), [`spacing::pointer`] (pointers and
//!   function pointers), [`spacing::lines`] (brackets, braces, parentheses);
//! - [`macros`]: C macros;
//! - [`rust`]: the Rust rules.
//!
//! Adding a rule: write it as a function of the module of its family (or a new module of
//! `rules/`, declared below), taking the [`engine::Checker`] and the line ([`engine::At`],
//! or the C rules' [`c::CLine`]), reporting with [`engine::Checker::report`]; call it from
//! [`process::process`] where checkpatch.pl checks it (the order of the findings is
//! checkpatch.pl's); add its TYPE's row to [`TYPES`] (and take it out of
//! [`NOT_IMPLEMENTED`]). Documentation/checkpatch.rst says the same with the tests to add.

use crate::lexer::COMMENT_BYTE;
use crate::Level;

pub(crate) mod c;
pub(crate) mod c_api;
pub(crate) mod c_assign;
pub(crate) mod c_decl;
pub(crate) mod c_flow;
pub(crate) mod c_flow_fix;
pub(crate) mod c_func;
pub(crate) mod c_log;
pub(crate) mod c_names;
pub(crate) mod c_stat;
pub(crate) mod c_stmt;
pub(crate) mod c_types;
pub(crate) mod comments;
pub(crate) mod commit;
pub(crate) mod engine;
pub(crate) mod fix_output;
pub(crate) mod git;
pub(crate) mod macros;
pub(crate) mod maintainers;
pub(crate) mod patch;
pub(crate) mod process;
pub(crate) mod rust;
pub(crate) mod spacing;
pub(crate) mod types;
pub(crate) mod whitespace;

use comments::*;
pub(crate) use engine::{no_std_crate, run, HunkLine, Lexed};
use engine::{At, Checker, FileState, PLine, Sanitized};
use patch::*;
pub use types::{NOT_IMPLEMENTED, NOT_IMPLEMENTED_FORMS, TYPES};
use whitespace::*;

/// Byte classes, one bit each in [`CLASS`].
const WORD: u8 = 1;
const SPACE: u8 = 2;
/// Part of a word of the misspellings check (`[\w\-'`]`).
const SPELL: u8 = 4;
/// `[rwxsStT-]`, of an `ls -l` listing's permissions.
const PERM: u8 = 8;
/// `[bcCdDlMnpPs\?-]`, the file type before them.
const PERM_TYPE: u8 = 16;

/// Whether `set` holds `b` (usable in a constant).
const fn among(b: u8, set: &[u8]) -> bool {
    let mut i = 0;
    while i < set.len() {
        if set[i] == b {
            return true;
        }
        i += 1;
    }
    false
}

/// The classes of each byte.
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if b.is_ascii_alphanumeric() || b == b'_' {
            c |= WORD | SPELL;
        }
        if among(b, b" \t\n\r\x0b\x0c") {
            c |= SPACE;
        }
        if among(b, b"-'`") {
            c |= SPELL;
        }
        if among(b, b"rwxsStT-") {
            c |= PERM;
        }
        if among(b, b"bcCdDlMnpPs?-") {
            c |= PERM_TYPE;
        }
        t[i] = c;
        i += 1;
    }
    t
};

pub(super) fn is_word(b: u8) -> bool {
    CLASS[usize::from(b)] & WORD != 0
}

pub(super) fn is_space(b: u8) -> bool {
    CLASS[usize::from(b)] & SPACE != 0
}

/// The first place of `needle` in `hay`: for the short lines and needles here, cheaper
/// than building a `memmem` searcher for each search.
pub(super) fn find_bytes(hay: &[u8], needle: &[u8]) -> Option<usize> {
    find_iter_bytes(hay, needle).next()
}

/// The places of `needle` in `hay`, each after the end of the one before, as `memmem`'s
/// `find_iter` gives them (an empty needle is at every place).
pub(super) fn find_iter_bytes<'a>(
    hay: &'a [u8],
    needle: &'a [u8],
) -> impl Iterator<Item = usize> + 'a {
    let mut at = 0;
    std::iter::from_fn(move || {
        let Some(&first) = needle.first() else {
            let p = at;
            at += 1;
            return (p <= hay.len()).then_some(p);
        };
        while at + needle.len() <= hay.len() {
            let p = at + memchr::memchr(first, &hay[at..=hay.len() - needle.len()])?;
            if hay[p..].starts_with(needle) {
                at = p + needle.len();
                return Some(p);
            }
            at = p + 1;
        }
        None
    })
}

/// checkpatch.pl's cat_vet: control characters as ^X, and a `$` at the end.
pub(super) fn cat_vet(s: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() + 1);
    for &c in s {
        if c < 0x20 || c == 0x7f {
            // sprintf("^%c", ord + 64): DEL becomes ^ and byte 0xbf.
            out.push(b'^');
            out.push(c.wrapping_add(64));
        } else {
            out.push(c);
        }
    }
    out.push(b'$');
    out
}

/// checkpatch.pl's copy_spacing: every byte but a tab becomes a space.
pub(super) fn copy_spacing(s: &[u8]) -> String {
    s.iter()
        .map(|&c| if c == b'\t' { '\t' } else { ' ' })
        .collect()
}

pub(super) fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// Whether `s` starts with `prefix`, ignoring ASCII case.
pub(super) fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Replaces the first occurrence of `from` for which `fits(line, start, end)` holds.
pub(super) fn replace_first(
    l: &mut Vec<u8>,
    from: &[u8],
    with: &[u8],
    fits: impl Fn(&[u8], usize, usize) -> bool,
) {
    if from.is_empty() || l.len() < from.len() {
        return;
    }
    if let Some(i) =
        (0..=l.len() - from.len()).find(|&i| l[i..].starts_with(from) && fits(l, i, i + from.len()))
    {
        l.splice(i..i + from.len(), with.iter().copied());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry is right: every TYPE is reported where [`TYPES`] says, and once only
    /// in the table.
    #[test]
    fn every_type_is_reported_by_its_module() {
        let modules = [
            ("commit", include_str!("rules/commit.rs")),
            ("c", include_str!("rules/c.rs")),
            ("c_api", include_str!("rules/c_api.rs")),
            ("c_assign", include_str!("rules/c_assign.rs")),
            ("c_decl", include_str!("rules/c_decl.rs")),
            ("c_flow", include_str!("rules/c_flow.rs")),
            ("c_func", include_str!("rules/c_func.rs")),
            ("c_log", include_str!("rules/c_log.rs")),
            ("c_names", include_str!("rules/c_names.rs")),
            ("c_stmt", include_str!("rules/c_stmt.rs")),
            ("comments", include_str!("rules/comments.rs")),
            ("macros", include_str!("rules/macros.rs")),
            ("maintainers", include_str!("rules/maintainers.rs")),
            ("git", include_str!("rules/git.rs")),
            ("patch", include_str!("rules/patch.rs")),
            ("rust", include_str!("rules/rust.rs")),
            ("spacing", include_str!("rules/spacing.rs")),
            (
                "spacing::annotate",
                include_str!("rules/spacing/annotate.rs"),
            ),
            ("spacing::lines", include_str!("rules/spacing/lines.rs")),
            (
                "spacing::operators",
                include_str!("rules/spacing/operators.rs"),
            ),
            ("spacing::pointer", include_str!("rules/spacing/pointer.rs")),
            ("whitespace", include_str!("rules/whitespace.rs")),
        ];
        for (i, (t, m, _)) in TYPES.iter().enumerate() {
            let (_, src) = modules
                .iter()
                .find(|(name, _)| name == m)
                .unwrap_or_else(|| panic!("{t}: no module {m}"));
            let quoted = format!("\"{t}\"");
            assert!(
                src.matches(&quoted).count() >= 1,
                "{t} is not reported in {m}"
            );
            assert!(TYPES[..i].iter().all(|(u, _, _)| u != t), "{t} twice");
        }
    }

    /// Pseudo-random lines, the same on every run: std's hasher with its fixed keys
    /// over a counter.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            use std::hash::{Hash, Hasher};
            let mut h = std::collections::hash_map::DefaultHasher::new();
            self.0 += 1;
            self.0.hash(&mut h);
            h.finish()
        }

        /// A line of up to 40 bytes from `alphabet`.
        fn line(&mut self, alphabet: &[u8]) -> Vec<u8> {
            let n = (self.next() % 41) as usize;
            (0..n)
                .map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize])
                .collect()
        }
    }

    /// The regex, position by position.
    fn ls_listing_reference(raw: &[u8]) -> bool {
        (0..raw.len()).any(|p| {
            raw.len() > p + 9
                && b"bcCdDlMnpPs?-".contains(&raw[p])
                && raw[p + 1..=p + 9].iter().all(|b| b"rwxsStT-".contains(b))
        })
    }

    /// Every pair of whole word runs, one space apart.
    fn equal_neighbours_reference(raw: &[u8]) -> bool {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < raw.len() {
            let s = i;
            while i < raw.len() && is_word(raw[i]) {
                i += 1;
            }
            if i > s {
                runs.push((s, i));
            } else {
                i += 1;
            }
        }
        runs.windows(2).any(|w| {
            let ((a, b), (c, d)) = (w[0], w[1]);
            b + 1 == c && raw[b] == b' ' && raw[a..b].eq_ignore_ascii_case(&raw[c..d])
        })
    }

    #[test]
    fn ls_listing_skips_ahead_without_missing_a_match() {
        let mut rng = Rng(0);
        for _ in 0..200_000 {
            let l = rng.line(b"-rwxsStTbcdl?9 ");
            assert_eq!(ls_listing(&l), ls_listing_reference(&l), "{l:?}");
        }
        assert!(ls_listing(b"+ -rw-r--r-- 1 root root"));
        assert!(!ls_listing(b"+ rw-r--r-- 1 root root"));
    }

    #[test]
    fn equal_neighbours_finds_every_repeated_pair() {
        let mut rng = Rng(1 << 32);
        for _ in 0..200_000 {
            let l = rng.line(b"aAbB _-.");
            assert_eq!(
                equal_neighbours(&l),
                equal_neighbours_reference(&l),
                "{l:?}"
            );
        }
        assert!(equal_neighbours(b"+the The cat"));
        assert!(!equal_neighbours(b"+the  the cat"));
        assert!(!equal_neighbours(b"+the then"));
    }

    #[test]
    fn spelling_replaces_and_finds_in_any_case() {
        let mut s = crate::Spelling::default();
        for n in 0..3000 {
            s.insert(&format!("Word{n}"), &format!("fix{n}"));
        }
        s.insert("WORD7", "again");
        assert_eq!(s.len(), 3000);
        assert_eq!(s.get(b"word7"), Some("again"));
        assert_eq!(s.get(b"wOrD2999"), Some("fix2999"));
        assert_eq!(s.get(b"word3000"), None);
        assert_eq!(s.get(b""), None);
    }

    /// [`find_iter_bytes`] and [`find_bytes`] against `memmem` on every haystack of up
    /// to six bytes of a three-letter alphabet and every needle of up to three.
    #[test]
    fn find_bytes_is_memmem() {
        fn all(n: usize) -> Vec<Vec<u8>> {
            let mut out = vec![Vec::new()];
            for len in 1..=n {
                for k in 0..3usize.pow(u32::try_from(len).unwrap_or(0)) {
                    let mut v = Vec::new();
                    let mut x = k;
                    for _ in 0..len {
                        v.push(b"abc"[x % 3]);
                        x /= 3;
                    }
                    out.push(v);
                }
            }
            out
        }
        for hay in all(6) {
            for needle in all(3) {
                let ours: Vec<usize> = find_iter_bytes(&hay, &needle).collect();
                let theirs: Vec<usize> = memchr::memmem::find_iter(&hay, &needle).collect();
                assert_eq!(ours, theirs, "{hay:?} {needle:?}");
                assert_eq!(
                    find_bytes(&hay, &needle),
                    memchr::memmem::find(&hay, &needle)
                );
            }
        }
    }
}
