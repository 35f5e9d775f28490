// SPDX-License-Identifier: GPL-2.0 OR MIT

//! A checkpatch.pl-compatible, Rust-aware style checker for source files and patches.
//!
//! The interface, the report format and the rules shared with the kernel's
//! `scripts/checkpatch.pl` follow it (same TYPE names, levels and messages); a real Rust
//! tokenizer ([`lexer`]) decides what is code, comment or string, and Rust rules of its own
//! check what the Rust-for-Linux coding guidelines ask. Documentation/checkpatch.rst lists
//! every rule.
//!
//! # Examples
//!
//! ```
//! use checkpatch::{check, Input, Options};
//!
//! let input = Input::file("demo.rs", b"//! Demo.\nfn f() {} \n".to_vec());
//! let result = check(&input, &Options::default());
//! let found: Vec<_> = result.findings.iter().map(|f| (f.kind, f.line)).collect();
//! assert_eq!(found, [("SPDX_LICENSE_TAG", 1), ("TRAILING_WHITESPACE", 2)]);
//! ```

pub mod lexer;
mod rules;

use std::collections::BTreeSet;
use std::fmt;

pub use rules::{NOT_IMPLEMENTED, NOT_IMPLEMENTED_FORMS, TYPES};

/// The level of a finding.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Level {
    /// `ERROR`.
    Error,
    /// `WARNING`.
    Warning,
    /// `CHECK` (shown with `--strict` only).
    Check,
}

impl Level {
    /// The word checkpatch.pl prints.
    pub fn word(self) -> &'static str {
        match self {
            Self::Error => "ERROR",
            Self::Warning => "WARNING",
            Self::Check => "CHECK",
        }
    }
}

/// One reported problem.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// Its level.
    pub level: Level,
    /// Its TYPE, as checkpatch.pl names it.
    pub kind: &'static str,
    /// The message, without the trailing newline.
    pub msg: String,
    /// The file it is in (empty for the commit message).
    pub file: String,
    /// The line in that file (in file mode) or in the patch (in patch mode).
    pub line: usize,
    /// The line in the file, for `--showfile` and `--emacs`.
    pub realline: usize,
    /// The context lines printed under the message (`#N: FILE: ...`, `+line`, ...), as
    /// bytes: a line of the input is printed as it is, as checkpatch.pl prints it.
    pub context: Vec<Vec<u8>>,
}

/// What to check: a file (`-f`) or a patch.
#[derive(Clone, Debug)]
pub struct Input {
    /// The name in the report.
    pub name: String,
    /// The contents.
    pub bytes: Vec<u8>,
    /// Checked as a file, not a patch.
    pub is_file: bool,
}

impl Input {
    /// A source file, checked as checkpatch.pl -f does.
    pub fn file(name: &str, bytes: Vec<u8>) -> Self {
        Self {
            name: name.to_string(),
            bytes,
            is_file: true,
        }
    }

    /// A unified diff or a `git format-patch` mail.
    pub fn patch(name: &str, bytes: Vec<u8>) -> Self {
        Self {
            name: name.to_string(),
            bytes,
            is_file: false,
        }
    }
}

/// A misspelling's hash, and where it and its correction are in [`Spelling`]'s text.
type SpellingEntry = (u64, (usize, usize), (usize, usize));

/// A list of misspellings and their corrections, as checkpatch.pl reads
/// scripts/spelling.txt (`typo||fix`).
///
/// A Bloom filter of the misspellings' hashes, filled as they are inserted, lets most
/// words of the input be passed over without a lookup.
///
/// # Examples
///
/// ```
/// use checkpatch::Spelling;
///
/// // A misspelling, written so that this file does not hold it.
/// let typo = ["Rec", "ieve"].concat();
/// let mut s = Spelling::default();
/// s.insert(&typo, "receive");
/// assert_eq!(s.get(typo.to_uppercase().as_bytes()), Some("receive"));
/// assert_eq!(s.get(b"receive"), None);
/// ```
#[derive(Clone, Default)]
pub struct Spelling {
    /// The misspellings (lower case) and corrections, one after the other.
    text: String,
    /// Each entry: its hash, and where its misspelling and correction are in `text`.
    entries: Vec<SpellingEntry>,
    /// An open-addressing table of the entries (index + 1; 0 is a free slot), a power of
    /// two at least twice as long as `entries`.
    slots: Vec<u32>,
    /// [`Spelling::BLOOM_BITS`] bits, empty while the list is.
    bloom: Vec<u64>,
}

impl fmt::Debug for Spelling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Spelling")
            .field("entries", &self.entries.len())
            .finish()
    }
}

impl Spelling {
    const BLOOM_BITS: u64 = 1 << 16;
    /// FNV-1a's offset basis.
    pub(crate) const HASH_START: u64 = 0xcbf2_9ce4_8422_2325;

    /// One more byte of a word into its hash: FNV-1a of the bytes with bit 5 set, which
    /// folds ASCII case (two words equal but for ASCII case hash the same; the lookup
    /// compares the words themselves).
    pub(crate) fn hash_byte(h: u64, b: u8) -> u64 {
        (h ^ u64::from(b | 0x20)).wrapping_mul(0x0100_0000_01b3)
    }

    fn hash(word: &[u8]) -> u64 {
        word.iter()
            .fold(Self::HASH_START, |h, &b| Self::hash_byte(h, b))
    }

    /// The slot of `word` (hash `h`): the one that holds it, or the free one where it
    /// goes.
    fn slot(&self, word: &[u8], h: u64) -> usize {
        let mask = self.slots.len() - 1;
        // Truncation is the point: the low bits pick the first slot to try.
        #[expect(clippy::cast_possible_truncation, reason = "hash bits")]
        let mut i = (h as usize) & mask;
        loop {
            match self.slots[i] {
                0 => return i,
                e => {
                    let (eh, (ts, te), _) = self.entries[e as usize - 1];
                    if eh == h && self.text.as_bytes()[ts..te].eq_ignore_ascii_case(word) {
                        return i;
                    }
                }
            }
            i = (i + 1) & mask;
        }
    }

    /// Room for `n` misspellings, so that inserting them does not grow the table.
    pub fn reserve(&mut self, n: usize) {
        self.entries.reserve(n);
        let want = ((self.entries.len() + n) * 2).next_power_of_two().max(64);
        if want > self.slots.len() {
            self.slots = vec![0; want];
            for (k, &(eh, (ts, te), _)) in self.entries.iter().enumerate() {
                let i = self.slot(&self.text.as_bytes()[ts..te], eh);
                self.slots[i] = u32::try_from(k + 1).unwrap_or(u32::MAX);
            }
        }
    }

    /// Adds a misspelling (any case) and its correction; a later one for the same
    /// misspelling replaces the earlier.
    pub fn insert(&mut self, typo: &str, fix: &str) {
        if self.bloom.is_empty() {
            self.bloom = vec![0; (Self::BLOOM_BITS / 64) as usize];
        }
        let h = Self::hash(typo.as_bytes());
        let b = h % Self::BLOOM_BITS;
        self.bloom[(b / 64) as usize] |= 1 << (b % 64);
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.slots = vec![0; (self.slots.len() * 2).max(64)];
            for (n, &(eh, (ts, te), _)) in self.entries.iter().enumerate() {
                let i = self.slot(&self.text.as_bytes()[ts..te], eh);
                self.slots[i] = u32::try_from(n + 1).unwrap_or(u32::MAX);
            }
        }
        let ts = self.text.len();
        self.text
            .extend(typo.chars().map(|ch| ch.to_ascii_lowercase()));
        let fs = self.text.len();
        self.text.push_str(fix);
        let entry = (h, (ts, fs), (fs, self.text.len()));
        let i = self.slot(typo.as_bytes(), h);
        match self.slots[i] {
            0 => {
                self.entries.push(entry);
                self.slots[i] = u32::try_from(self.entries.len()).unwrap_or(u32::MAX);
            }
            e => self.entries[e as usize - 1] = entry,
        }
    }

    /// The number of misspellings.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether a word whose hash is `hash` may be in the list (false: it is not).
    pub(crate) fn may_have(&self, hash: u64) -> bool {
        let h = hash % Self::BLOOM_BITS;
        self.bloom
            .get((h / 64) as usize)
            .is_some_and(|w| w & (1 << (h % 64)) != 0)
    }

    /// The correction of `word` (any case), if it is a misspelling.
    pub fn get(&self, word: &[u8]) -> Option<&str> {
        self.get_hashed(word, Self::hash(word))
    }

    /// [`Spelling::get`], given the word's hash.
    pub(crate) fn get_hashed(&self, word: &[u8], h: u64) -> Option<&str> {
        if !self.may_have(h) {
            return None;
        }
        match self.slots[self.slot(word, h)] {
            0 => None,
            e => {
                let (_, _, (fs, fe)) = self.entries[e as usize - 1];
                self.text.get(fs..fe)
            }
        }
    }
}

impl<T: AsRef<str>, F: AsRef<str>> FromIterator<(T, F)> for Spelling {
    fn from_iter<I: IntoIterator<Item = (T, F)>>(iter: I) -> Self {
        let mut s = Self::default();
        for (t, f) in iter {
            s.insert(t.as_ref(), f.as_ref());
        }
        s
    }
}

/// Settings, as the command line and `.checkpatch.conf` give them.
#[derive(Clone, Debug)]
pub struct Options {
    /// `--strict`: report CHECK-level findings.
    pub strict: bool,
    /// `--max-line-length`.
    pub max_line_length: usize,
    /// `--tab-size`.
    pub tab_size: usize,
    /// `--ignore` types (upper case).
    pub ignore: BTreeSet<String>,
    /// `--types` (upper case): only these, when non-empty.
    pub types: BTreeSet<String>,
    /// `--no-signoff`.
    pub no_signoff: bool,
    /// The misspellings checkpatch.pl knows (scripts/spelling.txt).
    pub spelling: Spelling,
    /// Check that public items of driver/src and hal/src change with Documentation/.
    pub check_docs: bool,
    /// `--exclude` globs (`*` matches anything): files not checked.
    pub exclude: Vec<String>,
    /// `--fix`: compute [`Outcome::fixed`].
    pub fix: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            strict: false,
            max_line_length: 100,
            tab_size: 8,
            ignore: BTreeSet::new(),
            types: BTreeSet::new(),
            no_signoff: false,
            spelling: Spelling::default(),
            check_docs: true,
            exclude: Vec::new(),
            fix: false,
        }
    }
}

impl Options {
    /// Whether `path` matches an `--exclude` glob.
    pub fn excluded(&self, path: &str) -> bool {
        self.exclude
            .iter()
            .any(|g| glob(g.as_bytes(), path.as_bytes()))
    }

    /// Whether findings of `kind` are reported (checkpatch.pl's show_type).
    pub fn shows(&self, kind: &str) -> bool {
        if !self.types.is_empty() && !self.types.contains(kind) {
            return false;
        }
        !self.ignore.contains(kind)
    }
}

/// The result of checking one input.
#[derive(Debug, Default)]
pub struct Outcome {
    /// The findings, in report order (CHECKs included even without `--strict`; the
    /// report filters them).
    pub findings: Vec<Finding>,
    /// Lines checked (checkpatch.pl's `$cnt_lines`).
    pub lines: usize,
    /// Whether the input looked like a patch (or was a file).
    pub is_patch: bool,
    /// Whether whitespace errors were found (the cleanpatch NOTE).
    pub whitespace: bool,
    /// With [`Options::fix`], the input as checkpatch.pl's --fix rewrites it, when a fix
    /// changed it.
    pub fixed: Option<Vec<u8>>,
    /// The CamelCase words checkpatch.pl would know from the patched file (its
    /// seed_camelcase_file): they hold for the inputs after this one too.
    pub camelcase_seeds: Vec<Vec<u8>>,
}

impl Outcome {
    /// Findings the report shows under `opts`.
    pub fn shown<'a>(&'a self, opts: &'a Options) -> impl Iterator<Item = &'a Finding> + 'a {
        self.findings
            .iter()
            .filter(move |f| (f.level != Level::Check || opts.strict) && opts.shows(f.kind))
    }
}

/// `*`-only glob matching.
fn glob(pat: &[u8], s: &[u8]) -> bool {
    match pat.split_first() {
        None => s.is_empty(),
        Some((b'*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

/// Checks one input.
pub fn check(input: &Input, opts: &Options) -> Outcome {
    rules::run(input, opts)
}

/// The input as `--fix` rewrites it (`None` when no fix changes it).
///
/// # Examples
///
/// ```
/// use checkpatch::{fix, Input, Options};
///
/// let input = Input::file("a.rs", b"//! Demo.\r\nfn f() {} \n".to_vec());
/// let fixed = fix(&input, &Options::default());
/// // The CR is in a comment: trailing whitespace, which the fix removes.
/// assert_eq!(fixed.as_deref(), Some(&b"//! Demo.\nfn f() {}\n"[..]));
/// ```
pub fn fix(input: &Input, opts: &Options) -> Option<Vec<u8>> {
    let opts = Options {
        fix: true,
        ..opts.clone()
    };
    rules::run(input, &opts).fixed
}
