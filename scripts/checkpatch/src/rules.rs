// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The rules, run over a file or a patch line by line as checkpatch.pl's `process()` does.

use std::cell::LazyCell;
use std::path::Path;

use crate::lexer::{self, sanitize, Span, COMMENT_BYTE};
use crate::{Finding, Input, Level, Options, Outcome};

pub(crate) mod c;
pub(crate) mod c_api;
pub(crate) mod c_assign;
pub(crate) mod c_decl;
pub(crate) mod c_flow;
pub(crate) mod c_func;
pub(crate) mod c_names;
pub(crate) mod c_stat;
pub(crate) mod c_stmt;
pub(crate) mod c_types;
pub(crate) mod comments;
pub(crate) mod git;
pub(crate) mod macros;
pub(crate) mod patch;
pub(crate) mod rust;
pub(crate) mod spacing;
pub(crate) mod whitespace;

use c::CLine;
use comments::*;
use patch::*;
use whitespace::*;

/// Every TYPE this tool can report: the module of `rules/` that checks it (`driver` for a
/// check that is part of the line loop's state in this file) and a one-line description
/// (`--list-types`). The registry: a new rule adds its row here.
pub const TYPES: &[(&str, &str, &str)] = &[
    // C declarations and statements (c_decl, c_stmt).
    (
        "BRACES",
        "c_stmt",
        "An unbalanced } else or else {, or a blank line inside braces",
    ),
    ("CAMELCASE", "c_names", "A CamelCase name"),
    (
        "MACRO_ARG_PRECEDENCE",
        "macros",
        "A macro argument used next to an operator without parentheses",
    ),
    (
        "MACRO_ARG_REUSE",
        "macros",
        "A macro argument used more than once",
    ),
    (
        "MACRO_ARG_UNUSED",
        "macros",
        "A function-like macro's argument it does not use",
    ),
    (
        "PREFER_KERNEL_TYPES",
        "c_decl",
        "A C99 uintN_t type where the kernel's uN fits",
    ),
    (
        "UNNECESSARY_PARENTHESES",
        "c_stmt",
        "Parentheses around &(foo->bar) or a function pointer",
    ),
    (
        "UNSPECIFIED_INT",
        "c_decl",
        "unsigned or signed without int",
    ),
    ("ASSIGN_IN_IF", "c_flow", "An assignment in an if condition"),
    (
        "TRAILING_STATEMENTS",
        "c_flow",
        "A statement after a condition, else or case on the same line",
    ),
    (
        "UNNECESSARY_ELSE",
        "c_flow",
        "An else after a break or return",
    ),
    ("MULTIPLE_ASSIGNMENTS", "c_assign", "a = b = c"),
    (
        "ALLOC_SIZEOF_STRUCT",
        "c_assign",
        "p = kmalloc(sizeof(struct foo)) where sizeof(*p) fits",
    ),
    (
        "UNCOMMENTED_DEFINITION",
        "c_api",
        "A mutex or spinlock defined without a comment",
    ),
    (
        "FUNCTION_ARGUMENTS",
        "c_func",
        "A prototype's argument without a name",
    ),
    (
        "EMBEDDED_FUNCTION_NAME",
        "c_func",
        "The function's own name in a string, where __func__ fits",
    ),
    // The other rules.
    (
        "AVOID_BUG",
        "c_api",
        "BUG() or a variant: crashing the kernel",
    ),
    (
        "BAD_FIXES_TAG",
        "driver",
        "A Fixes: tag not in 'Fixes: <12 chars of sha1> (\"<title>\")' form",
    ),
    (
        "BAD_SIGN_OFF",
        "patch",
        "A malformed, non-standard or duplicate signature tag",
    ),
    (
        "AVOID_EXTERNS",
        "c_api",
        "An extern function prototype in a .h file",
    ),
    (
        "BIT_MACRO",
        "macros",
        "A #define of 1 << N where BIT(N) fits",
    ),
    (
        "BRACKET_SPACE",
        "spacing",
        "A space before an open square bracket",
    ),
    (
        "BLOCK_COMMENT_STYLE",
        "c",
        "A block comment without * on each line or */ on its own",
    ),
    ("COMPARISON_TO_NULL", "c_api", "x == NULL where !x fits"),
    (
        "POINTER_LOCATION",
        "spacing",
        "A * on the type, not on the variable",
    ),
    (
        "SPACING",
        "spacing",
        "Spaces around C operators, parentheses, brackets, braces and casts",
    ),
    ("CODE_INDENT", "c", "Indentation by spaces where tabs fit"),
    (
        "COMMIT_LOG_LONG_LINE",
        "driver",
        "A commit message line longer than 75 columns",
    ),
    ("COMMIT_MESSAGE", "driver", "A commit without a description"),
    (
        "DIFF_IN_COMMIT_MSG",
        "driver",
        "Diff content in the commit message",
    ),
    ("DOS_LINE_ENDINGS", "whitespace", "CR LF line endings"),
    (
        "EMBEDDED_FILENAME",
        "comments",
        "The file's own name inside the file",
    ),
    ("ENOSYS", "c_api", "ENOSYS outside a syscall"),
    (
        "EXECUTE_PERMISSIONS",
        "driver",
        "A source file added with execute permission",
    ),
    (
        "FILE_PATH_CHANGES",
        "driver",
        "Files added, moved or deleted without a MAINTAINERS update",
    ),
    (
        "FSF_MAILING_ADDRESS",
        "comments",
        "The FSF's mailing address of the sample GPL notice",
    ),
    (
        "GERRIT_CHANGE_ID",
        "driver",
        "A Gerrit Change-Id in the commit message",
    ),
    (
        "GIT_COMMIT_ID",
        "driver",
        "A commit reference not in 'commit <12+ chars> (\"<title>\")' form",
    ),
    ("INVALID_UTF8", "driver", "A line that is not valid UTF-8"),
    ("LEADING_SPACE", "c", "A line that starts with spaces"),
    (
        "LINE_SPACING",
        "c",
        "No blank line after a declaration's }, or blank lines in a row",
    ),
    (
        "LOGICAL_CONTINUATIONS",
        "c",
        "&& or || at the start of a line",
    ),
    (
        "LONG_LINE",
        "whitespace",
        "A line longer than --max-line-length",
    ),
    (
        "LONG_LINE_COMMENT",
        "whitespace",
        "A line made long by a comment that starts within the limit",
    ),
    (
        "LONG_LINE_STRING",
        "whitespace",
        "A line made long by a string that starts within the limit",
    ),
    ("LONG_UDELAY", "c_api", "udelay of more than 2000"),
    (
        "MISSING_EOF_NEWLINE",
        "whitespace",
        "No newline at the end of the file",
    ),
    (
        "MISSING_SIGN_OFF",
        "driver",
        "A patch without Signed-off-by",
    ),
    ("MSLEEP", "c_api", "msleep of less than 20 ms"),
    ("NOT_UNIFIED_DIFF", "driver", "An input that is not a patch"),
    ("OPEN_ENDED_LINE", "c", "A line that ends with ( or ["),
    (
        "PARENTHESIS_ALIGNMENT",
        "c",
        "A continuation line not aligned with the open parenthesis",
    ),
    (
        "PREFER_PR_LEVEL",
        "c_api",
        "printk(KERN_<LEVEL> where pr_<level> fits",
    ),
    (
        "PRINTK_WITHOUT_KERN_LEVEL",
        "c_api",
        "printk without a KERN_<LEVEL>",
    ),
    ("REPEATED_WORD", "comments", "The same word twice in a row"),
    (
        "RUST_ALLOW_ATTRIBUTE",
        "rust",
        "#[allow(...)] where #[expect(...)] would work",
    ),
    ("RUST_DBG", "rust", "dbg! left in the code"),
    (
        "RUST_DOC_UNCHANGED",
        "driver",
        "A public item of driver/ or hal/ changed without Documentation/",
    ),
    (
        "RUST_MISSING_MODULE_DOC",
        "rust",
        "A Rust file without //! documentation",
    ),
    (
        "RUST_PANIC",
        "rust",
        "unwrap, expect, panic!, todo! or unimplemented! in no_std non-test code",
    ),
    (
        "RUST_SAFETY_COMMENT",
        "rust",
        "An unsafe block without a // SAFETY: comment right above it",
    ),
    (
        "RUST_SAFETY_DOC",
        "rust",
        "An unsafe fn or trait without a # Safety doc section",
    ),
    (
        "RUST_SAFETY_PLACEHOLDER",
        "rust",
        "A SAFETY comment that says nothing (TODO, FIXME, empty)",
    ),
    (
        "SPACE_BEFORE_TAB",
        "whitespace",
        "A space before a tab (C files)",
    ),
    (
        "SPDX_LICENSE_TAG",
        "comments",
        "A missing, malformed or misplaced SPDX-License-Identifier",
    ),
    (
        "SPLIT_STRING",
        "c_api",
        "A quoted string split across lines",
    ),
    (
        "TRAILING_WHITESPACE",
        "whitespace",
        "Whitespace at the end of a line",
    ),
    (
        "TYPO_SPELLING",
        "comments",
        "A word in checkpatch's list of common misspellings",
    ),
    (
        "UNKNOWN_COMMIT_ID",
        "driver",
        "A commit id the repository does not know",
    ),
    ("USLEEP_RANGE", "c_api", "udelay where usleep_range fits"),
    ("VOLATILE", "c_api", "volatile outside asm volatile"),
];

/// checkpatch.pl's TYPEs (those of checkpatch.pl 6.12's `WARN`, `ERROR` and `CHK` calls)
/// that this tool does not implement: most are its C rules. For C input the tool says so
/// in one line (`--list-types` lists what it does implement); the oracle suite checks
/// that this list and [`TYPES`] together cover checkpatch.pl's.
pub const NOT_IMPLEMENTED: &[&str] = &[
    "ALLOC_ARRAY_ARGS",
    "ALLOC_WITH_MULTIPLY",
    "ARCH_DEFINES",
    "ARCH_INCLUDE_LINUX",
    "ARRAY_SIZE",
    "ASSIGNMENT_CONTINUATIONS",
    "AVOID_L_PREFIX",
    "BAD_REPORTED_BY_LINK",
    "BAD_STABLE_ADDRESS_STYLE",
    "BOOL_COMPARISON",
    "C99_COMMENTS",
    "COMMIT_COMMENT_SYMBOL",
    "COMMIT_LOG_USE_LINK",
    "COMMIT_LOG_VERSIONING",
    "COMMIT_LOG_WRONG_LINK",
    "COMPLEX_MACRO",
    "CONCATENATED_STRING",
    "CONFIG_DESCRIPTION",
    "CONSIDER_COMPLETION",
    "CONSIDER_KSTRTO",
    "CONSTANT_COMPARISON",
    "CONSTANT_CONVERSION",
    "CONST_CONST",
    "CONST_READ_MOSTLY",
    "CONST_STRUCT",
    "CORRUPTED_PATCH",
    "CVS_KEYWORD",
    "DATA_RACE",
    "DATE_TIME",
    "DEEP_INDENTATION",
    "DEFAULT_NO_BREAK",
    "DEFINE_ARCH_HAS",
    "DEPRECATED_API",
    "DEPRECATED_VARIABLE",
    "DEVICE_ATTR_FUNCTIONS",
    "DEVICE_ATTR_PERMS",
    "DEVICE_ATTR_RO",
    "DEVICE_ATTR_RW",
    "DEVICE_ATTR_WO",
    "DO_WHILE_MACRO_WITH_TRAILING_SEMICOLON",
    "DT_SCHEMA_BINDING_PATCH",
    "DT_SPLIT_BINDING_PATCH",
    "DUPLICATED_SYSCTL_CONST",
    "ELSE_AFTER_BRACE",
    "EMAIL_SUBJECT",
    "ENOTSUPP",
    "EXPORTED_WORLD_WRITABLE",
    "EXPORT_SYMBOL",
    "FLEXIBLE_ARRAY",
    "FROM_SIGN_OFF_MISMATCH",
    "FUNCTION_WITHOUT_ARGS",
    "GLOBAL_INITIALISERS",
    "HEXADECIMAL_BOOLEAN_TEST",
    "HOTPLUG_SECTION",
    "IF_0",
    "IF_1",
    "INCLUDE_LINUX",
    "INDENTED_LABEL",
    "INITIALISED_STATIC",
    "INIT_ATTRIBUTE",
    "INLINE",
    "INLINE_LOCATION",
    "IN_ATOMIC",
    "IS_ENABLED_CONFIG",
    "JIFFIES_COMPARISON",
    "KREALLOC_ARG_REUSE",
    "LIKELY_MISUSE",
    "LINE_CONTINUATIONS",
    "LINUX_VERSION_CODE",
    "LOCKDEP",
    "LOGGING_CONTINUATION",
    "MACRO_WITH_FLOW_CONTROL",
    "MAINTAINERS_STYLE",
    "MALFORMED_INCLUDE",
    "MASK_THEN_SHIFT",
    "MEMORY_BARRIER",
    "MEMSET",
    "MINMAX",
    "MISORDERED_TYPE",
    "MISPLACED_INIT",
    "MISSING_FIXES_TAG",
    "MODIFIED_INCLUDE_ASM",
    "MODULE_LICENSE",
    "MULTILINE_DEREFERENCE",
    "MULTIPLE_DECLARATION",
    "MULTISTATEMENT_MACRO_USE_DO_WHILE",
    "NAKED_SSCANF",
    "NEW_TYPEDEFS",
    "NON_OCTAL_PERMISSIONS",
    "NO_AUTHOR_SIGN_OFF",
    "NR_CPUS",
    "OBSOLETE",
    "ONE_SEMICOLON",
    "OOM_MESSAGE",
    "OPEN_BRACE",
    "PATCH_PREFIX",
    "PREFER_DEFINED_ATTRIBUTE_MACRO",
    "PREFER_DEV_LEVEL",
    "PREFER_ETHER_ADDR_COPY",
    "PREFER_ETHER_ADDR_EQUAL",
    "PREFER_ETHTOOL_PUTS",
    "PREFER_ETH_BROADCAST_ADDR",
    "PREFER_ETH_ZERO_ADDR",
    "PREFER_IS_ENABLED",
    "PREFER_LORE_ARCHIVE",
    "PREFER_SEQ_PUTS",
    "PRINTF_0XDECIMAL",
    "PRINTF_L",
    "PRINTF_Z",
    "PRINTK_RATELIMITED",
    "QUOTED_WHITESPACE_BEFORE_NEWLINE",
    "RCU_TASKS_TRACE",
    "RETURN_PARENTHESES",
    "RETURN_VOID",
    "SELF_ASSIGNMENT",
    "SINGLE_STATEMENT_DO_WHILE_MACRO",
    "SIZEOF_ADDRESS",
    "SIZEOF_PARENTHESIS",
    "SSCANF_TO_KSTRTO",
    "STATIC_CONST",
    "STATIC_CONST_CHAR_ARRAY",
    "STORAGE_CLASS",
    "STRCPY",
    "STRING_FRAGMENTS",
    "STRLCPY",
    "STRNCPY",
    "SUSPECT_CODE_INDENT",
    "SUSPECT_COMMA_SEMICOLON",
    "SWITCH_CASE_INDENT_LEVEL",
    "SYMBOLIC_PERMS",
    "SYSFS_EMIT",
    "TABSTOP",
    "TEST_ATTR",
    "TEST_NOT_ATTR",
    "TEST_NOT_TYPE",
    "TEST_TYPE",
    "TRACE_PRINTK",
    "TRACING_LOGGING",
    "TRAILING_SEMICOLON",
    "TYPECAST_INT_CONSTANT",
    "UAPI_INCLUDE",
    "UNDOCUMENTED_DT_STRING",
    "UNDOCUMENTED_SETUP",
    "UNNECESSARY_BREAK",
    "UNNECESSARY_CASTS",
    "UNNECESSARY_INT",
    "UNNECESSARY_KERN_LEVEL",
    "UNNECESSARY_MODIFIER",
    "USE_DEVICE_INITCALL",
    "USE_FUNC",
    "USE_LOCKDEP",
    "USE_NEGATIVE_ERRNO",
    "USE_RELATIVE_PATH",
    "USE_SPINLOCK_T",
    "UTF8_BEFORE_PATCH",
    "VSPRINTF_SPECIFIER_PX",
    "WAITQUEUE_ACTIVE",
    "WEAK_DECLARATION",
    "WHILE_AFTER_BRACE",
    "WHITESPACE_AFTER_LINE_CONTINUATION",
    "YIELD",
];

/// The forms of implemented TYPEs that this tool does not implement, by the start of
/// their message: they need checkpatch.pl's statement parsing (`ctx_statement_block`,
/// `$stat`) or the types it learns from the file.
pub const NOT_IMPLEMENTED_FORMS: &[(&str, &str)] = &[
    (
        "BRACES",
        "braces {} are not necessary for single statement blocks",
    ),
    (
        "BRACES",
        "braces {} are not necessary for any arm of this statement",
    ),
    (
        "BRACES",
        "braces {} should be used on all arms of this statement",
    ),
    (
        "UNNECESSARY_PARENTHESES",
        "Unnecessary parentheses around '",
    ),
    (
        "USLEEP_RANGE",
        "usleep_range should not use min == max args",
    ),
    ("USLEEP_RANGE", "usleep_range args reversed"),
];

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

fn is_word(b: u8) -> bool {
    CLASS[usize::from(b)] & WORD != 0
}

fn is_space(b: u8) -> bool {
    CLASS[usize::from(b)] & SPACE != 0
}

/// checkpatch.pl's cat_vet: control characters as ^X, and a `$` at the end.
fn cat_vet(s: &[u8]) -> Vec<u8> {
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
fn copy_spacing(s: &[u8]) -> String {
    s.iter()
        .map(|&c| if c == b'\t' { '\t' } else { ' ' })
        .collect()
}

fn text(s: &[u8]) -> String {
    String::from_utf8_lossy(s).into_owned()
}

/// A hunk line for the Rust rules: patch line, file line, raw bytes, added, and its
/// index in the input's lines.
pub(crate) type HunkLine<'a> = (usize, usize, &'a [u8], bool, usize);

/// A line of the (pseudo) patch.
#[derive(Clone, Copy)]
struct PLine<'a> {
    raw: &'a [u8],
}

/// The file a hunk line belongs to, and where.
#[derive(Clone, Default)]
struct FileState {
    realfile: String,
    /// A Rust file: the Rust rules apply.
    is_rust: bool,
    is_source: bool,
    checklicenseline: usize,
    /// An `--exclude` glob matches it.
    excluded: bool,
}

struct Checker<'a> {
    opts: &'a Options,
    file_mode: bool,
    out: Outcome,
    /// checkpatch.pl's @fixed (the lines as --fix rewrites them; empty without --fix).
    fixed: Vec<Vec<u8>>,
    /// checkpatch.pl's @fixed_deleted: indexes of lines --fix deletes, in order.
    deleted: Vec<usize>,
    /// The index of the line being checked ($fixlinenr).
    cur: usize,
    /// Words checkpatch.pl may learn as modifiers from the input (`c_decl`).
    learned_modifiers: Vec<Vec<u8>>,
    /// checkpatch.pl's `%camelcase`: the CamelCase words reported (`c_names`).
    camelcase: Vec<Vec<u8>>,
    /// checkpatch.pl's `$camelcase_file_seeded`.
    camelcase_file_seeded: bool,
    /// The statement state of the C rules (`c_stat`).
    flow: c_stat::Flow,
}

impl Checker<'_> {
    /// The current line as --fix has it so far, when fixing.
    fn fix_line(&mut self) -> Option<&mut Vec<u8>> {
        if self.opts.fix {
            self.fixed.get_mut(self.cur)
        } else {
            None
        }
    }

    /// --fix deletes line `idx`.
    fn fix_delete(&mut self, idx: usize) {
        if self.opts.fix {
            self.deleted.push(idx);
        }
    }

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
        context: Vec<impl Into<Vec<u8>>>,
    ) -> bool {
        let shown = self.opts.shows(kind) && (level != Level::Check || self.opts.strict);
        self.out.findings.push(Finding {
            level,
            kind,
            msg,
            file: file.to_string(),
            line,
            realline,
            context: context.into_iter().map(Into::into).collect(),
        });
        // checkpatch.pl's ERROR/WARN/CHK: whether it was reported (and --fix applies).
        shown
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

/// Builds the lines checkpatch.pl sees for `-f`, `diff -u /dev/null FILE`, into one
/// buffer: the buffer and where each line is in it.
fn file_as_patch(name: &str, bytes: &[u8]) -> (Vec<u8>, Vec<(usize, usize)>) {
    let eof_newline = bytes.last() == Some(&b'\n');
    let body = if eof_newline {
        &bytes[..bytes.len() - 1]
    } else {
        bytes
    };
    let count = if bytes.is_empty() {
        0
    } else {
        memchr::memchr_iter(b'\n', body).count() + 1
    };
    let mut buf = Vec::with_capacity(bytes.len() + count + name.len() + 64);
    let mut at = Vec::with_capacity(count + 4);
    let mut push = |buf: &mut Vec<u8>, parts: &[&[u8]]| {
        let start = buf.len();
        for p in parts {
            buf.extend_from_slice(p);
        }
        at.push((start, buf.len()));
    };
    push(&mut buf, &[b"--- /dev/null"]);
    push(&mut buf, &[b"+++ ", name.as_bytes()]);
    push(&mut buf, &[format!("@@ -0,0 +1,{count} @@").as_bytes()]);
    if count > 0 {
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', body).chain([body.len()]) {
            push(&mut buf, &[b"+", &body[start..end]]);
            start = end + 1;
        }
    }
    if !eof_newline && !bytes.is_empty() {
        push(&mut buf, &[b"\\ No newline at end of file"]);
    }
    (buf, at)
}

/// Runs every rule over `input`.
pub(crate) fn run(input: &Input, opts: &Options) -> Outcome {
    let buf;
    let lines: Vec<PLine<'_>> = if input.is_file {
        if input.bytes.is_empty() {
            return Outcome::default();
        }
        let at;
        (buf, at) = file_as_patch(&input.name, &input.bytes);
        at.iter().map(|&(s, e)| PLine { raw: &buf[s..e] }).collect()
    } else {
        let mut v: Vec<PLine<'_>> = input
            .bytes
            .split(|&b| b == b'\n')
            .map(|l| PLine { raw: l })
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
        fixed: if opts.fix {
            lines.iter().map(|l| l.raw.to_vec()).collect()
        } else {
            Vec::new()
        },
        deleted: Vec::new(),
        cur: 0,
        learned_modifiers: Vec::new(),
        camelcase: Vec::new(),
        camelcase_file_seeded: false,
        flow: c_stat::Flow::default(),
    };
    process(&mut c, &lines);
    if opts.fix {
        let changed =
            !c.deleted.is_empty() || c.fixed.iter().zip(&lines).any(|(f, l)| f[..] != *l.raw);
        if changed {
            c.out.fixed = Some(fixed_output(&c.fixed, &c.deleted, input.is_file));
        }
    }
    c.out
}

/// The --fix output: checkpatch.pl's fix_inserted_deleted_lines (a deleted line also
/// shortens the range of the hunk it is in, as there), then every line and a newline,
/// without the `-f` pseudo-patch's three header lines and `+` markers.
fn fixed_output(fixed: &[Vec<u8>], deleted: &[usize], file_mode: bool) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = Vec::with_capacity(fixed.len());
    let mut range_last = 0usize;
    let mut delta: i64 = 0;
    let mut next_delete = deleted.iter().copied().peekable();
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
            range_last = lines.len();
            fixup_range(&mut line, delta, 0);
        }
        while next_delete.peek() == Some(&old) {
            next_delete.next();
            save = false;
            if let Some(l) = lines.get_mut(range_last) {
                fixup_range(l, delta, -1);
            }
            delta -= 1;
        }
        if save {
            lines.push(line);
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

/// Whether `s` starts with `prefix`, ignoring ASCII case.
fn starts_with_ci(s: &str, prefix: &str) -> bool {
    s.as_bytes()
        .get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix.as_bytes()))
}

/// Replaces the first occurrence of `from` for which `fits(line, start, end)` holds.
fn replace_first(
    l: &mut Vec<u8>,
    from: &[u8],
    to: &[u8],
    fits: impl Fn(&[u8], usize, usize) -> bool,
) {
    if from.is_empty() || l.len() < from.len() {
        return;
    }
    if let Some(i) =
        (0..=l.len() - from.len()).find(|&i| l[i..].starts_with(from) && fits(l, i, i + from.len()))
    {
        l.splice(i..i + from.len(), to.iter().copied());
    }
}

fn process(c: &mut Checker<'_>, lines: &[PLine<'_>]) {
    let file_mode = c.file_mode;
    // checkpatch.pl's $line for each line it sanitizes (the hunk lines), lexed a hunk
    // at a time as it does, by this tool's Rust lexer.
    let sane = sanitized_lines(lines);
    c.learned_modifiers = c_decl::possible_modifiers((0..lines.len()).filter_map(|i| sane.body(i)));
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
    // checkpatch.pl's $prevline and $prevrawline, and the line that becomes them.
    let mut prev_line: Option<usize> = None;
    let mut stash_line: Option<usize> = None;
    let mut stack_dump = false;
    let mut last_commit_id_line = 0usize;
    // Lines of the current file, in order, for the Rust rules (added and context).
    let mut hunk: Vec<HunkLine<'_>> = Vec::new();
    let mut touched_docs = false;
    let mut public_change: Option<(String, usize)> = None;
    let mut files: Vec<(FileState, Vec<HunkLine<'_>>)> = Vec::new();
    // Finds the file's name in a line (EMBEDDED_FILENAME).
    let mut name_finder = memchr::memmem::Finder::new(b"").into_owned();
    // The operator annotations and the words checkpatch.pl may learn as types (SPACING),
    // made at the first line of a .c or .h file.
    let mut spacing_state: Option<spacing::Spacing> = None;

    for (idx, pl) in lines.iter().enumerate() {
        let linenr = idx + 1;
        c.cur = idx;
        let raw = pl.raw;
        let utf8 = std::str::from_utf8(raw);
        let rawstr = match utf8 {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(_) => String::from_utf8_lossy(raw),
        };

        if !in_commit_log
            && (rawstr.starts_with("diff --git a/")
                || rawstr.starts_with("rename from ")
                || rawstr.starts_with("rename to "))
        {
            is_patch = true;
        }

        // A hunk header.
        if !in_commit_log && raw.starts_with(b"@@ -") {
            if let Some((start, count)) = parse_hunk(raw) {
                is_patch = true;
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
        if raw.first() == Some(&b' ') || raw.first() == Some(&b'+') || raw.is_empty() {
            realline = realline.saturating_add(1);
        }
        if realcnt > 1
            && (raw.first() == Some(&b'+') || raw.first() == Some(&b' ') || raw.is_empty())
        {
            realcnt -= 1;
        }
        let hunk_line = realcnt != 0;
        let body = sane.body(idx).unwrap_or(raw.get(1..).unwrap_or(&[]));
        if raw.first() == Some(&b' ') || raw.first() == Some(&b'+') || raw.is_empty() {
            prev_line = stash_line.replace(idx);
        }

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
            name_finder = memchr::memmem::Finder::new(fs.realfile.as_bytes()).into_owned();
            fs.excluded = c.opts.excluded(&fs.realfile);
            fs.checklicenseline = 1;
            fs.is_rust = fs.realfile.ends_with(".rs");
            fs.is_source = is_source(&fs.realfile);
            if fs.realfile.starts_with("Documentation/") {
                touched_docs = true;
            }
            continue;
        }

        let here = LazyCell::new(|| {
            if file_mode {
                format!("#{realline}: ")
            } else {
                format!("#{linenr}: ")
            }
        });
        // Built only for a finding.
        let here_file = LazyCell::new(|| {
            if hunk_line || (realcnt != 0) {
                format!("{}FILE: {}:{realline}:", *here, fs.realfile)
            } else {
                (*here).clone()
            }
        });
        let herecurr = LazyCell::new(|| vec![(*here_file).clone().into_bytes(), raw.to_vec()]);
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
                Vec::<Vec<u8>>::new(),
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
                        vec![format!("{}FILE: {f}", *here)],
                    );
                }
            }
        }

        if in_header_lines {
            if let Some(a) = rawstr.strip_prefix("From:") {
                author = a.trim().to_string();
            }
        }

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
        if sig_line
            .as_deref()
            .is_some_and(|l| starts_with_ci(l.trim_start(), "signed-off-by:"))
        {
            signoff += 1;
            in_commit_log = false;
        }
        let trimmed = rawstr.trim_start();
        if rawstr == "---" {
            has_patch_separator = true;
            in_commit_log = false;
        }
        if rawstr.trim_start().starts_with("MAINTAINERS") && rawstr.contains('|') {
            reported_maintainer_file = true;
        }
        if let Some(sig_line) = sig_line.as_deref().filter(|_| !in_header_lines) {
            let next = lines
                .get(idx + 1)
                .map(|l| std::str::from_utf8(l.raw).unwrap_or(""));
            signature(
                c,
                sig_line,
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
            && starts_with_ci(trimmed, "change-id:")
            && c.report(
                Level::Error,
                "GERRIT_CHANGE_ID",
                "Remove Gerrit Change-Id's before submitting upstream".into(),
                "",
                report_line,
                realline,
                herecurr.clone(),
            )
        {
            c.fix_delete(idx);
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
                .map(|l| std::str::from_utf8(l.raw).unwrap_or(""))
                .collect();
            if let Some((msg, extra)) = git::commit_style(&rawstr, &next) {
                if last_commit_id_line == 0 || last_commit_id_line + 1 != linenr {
                    let mut ctx = herecurr.clone();
                    ctx.extend(lines[idx + 1..].iter().take(extra).map(|l| l.raw.to_vec()));
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
        if fs.realfile.is_empty() || (raw.first() == Some(&b'+') && !fs.excluded) {
            if let Err(e) = utf8 {
                let ptr = format!("{}^", &copy_spacing(raw)[..e.valid_up_to()]);
                c.report(
                    Level::Check,
                    "INVALID_UTF8",
                    "Invalid UTF-8, patch and commit message should be encoded in UTF-8".into(),
                    &fs.realfile,
                    report_line,
                    realline,
                    vec![
                        here_file.clone().into_bytes(),
                        raw.to_vec(),
                        ptr.into_bytes(),
                    ],
                );
            }
        }

        // The start of the commit log.
        if in_header_lines && fs.realfile.is_empty() && !header_line(&rawstr) {
            in_header_lines = false;
            in_commit_log = true;
            has_commit_log = true;
        }

        if !excluded
            && (in_commit_log || raw.first() == Some(&b'+') || starts_with_ci(&rawstr, "subject:"))
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
            // A comment's last word repeated at the start of the next line: $prevline
            // ends in a comment, and $rawline is a block comment's ` * WORD `.
            let star = raw.first() == Some(&b'+') && raw[1..].contains(&b'*');
            let prev = prev_line
                .filter(|_| star)
                .map(|p| (sane.body(p).unwrap_or(lines[p].raw), lines[p].raw))
                .filter(|(pl, _)| ends_in_comment(pl) && !ls_listing(raw));
            if let Some((_, prev_raw)) = prev {
                if let Some(word) = last_word(prev_raw) {
                    let rest = text(raw.get(1..).unwrap_or(&[]));
                    let rest = rest.trim_start();
                    if raw.first() == Some(&b'+') {
                        if let Some(r) = rest.strip_prefix('*') {
                            if r.trim_start()
                                .strip_prefix(word.as_str())
                                .is_some_and(|t| t.starts_with(' '))
                                && c.report(
                                    Level::Warning,
                                    "REPEATED_WORD",
                                    format!("Possible repeated word: '{word}'"),
                                    &fs.realfile,
                                    report_line,
                                    realline,
                                    vec![
                                        here_file.clone().into_bytes(),
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
                }
            }
        }

        if !hunk_line || raw.first() == Some(&b'-') || fs.excluded {
            continue;
        }
        hunk.push((report_line, realline, raw, raw.first() == Some(&b'+'), idx));

        if raw.first() == Some(&b'+') {
            line_endings(c, &fs, raw, body, report_line, realline, &here_file);
        }
        fsf_address(c, &fs, raw, report_line, realline, &here_file);

        // SPDX on the first line (the second after a #! line).
        if realline == fs.checklicenseline {
            if is_shebang(raw) {
                fs.checklicenseline = 2;
            } else if raw.first() == Some(&b'+') {
                spdx_first_line(c, &fs, raw, report_line, realline, &herecurr);
            }
        }

        if raw.first() == Some(&b'+') {
            embedded_filename(c, &fs, raw, &name_finder, report_line, realline, &herecurr);
        }

        if !fs.is_source {
            continue;
        }
        // A misplaced tag, on context lines too (checkpatch.pl tests $rawline alone).
        if realline != fs.checklicenseline {
            misplaced_spdx(c, &fs, raw, report_line, realline, &herecurr);
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
            linenr,
            report_line,
            realline,
            realcnt,
            after: (lines, &sane, idx),
        });
        if raw.first() == Some(&b'+') {
            long_line(c, &fs, raw, body, report_line, realline, &herecurr);
            let next = lines.get(idx + 1).map(|n| n.raw);
            missing_eof_newline(c, &fs, next, idx, report_line, realline, &herecurr);
            if let Some(cl) = &cl {
                c::code_indent(c, &fs, cl, &here_file);
            }
            space_before_tab(c, &fs, raw, report_line, realline, &here_file);
            if fs.is_rust && !file_mode {
                let t = text(&raw[1..]);
                if (fs.realfile.starts_with("driver/src/") || fs.realfile.starts_with("hal/src/"))
                    && t.trim_start().starts_with("pub ")
                    && public_change.is_none()
                {
                    public_change = Some((fs.realfile.clone(), report_line));
                }
            }
        }
        if let Some(cl) = &cl {
            c::layout(c, &fs, cl, &here_file, &mut last_blank_line);
            let c_file = fs.realfile.ends_with(".c") || fs.realfile.ends_with(".h");
            if c_file {
                c_func::context_function(c, cl);
                c_flow::unnecessary_else(c, &fs, cl, &here_file);
                c_stat::line_start(c, cl);
                let sp = spacing_state.get_or_insert_with(|| {
                    spacing::Spacing::new(spacing::candidates(
                        (0..lines.len()).filter_map(|i| sane.body(i)),
                    ))
                });
                let sl = spacing::Line {
                    raw,
                    body,
                    report_line,
                    realline,
                };
                spacing::line(c, sp, &fs, &sl, &here_file);
            }
            if c_file && raw.first() == Some(&b'+') {
                c_api::calls(c, &fs, cl, &here_file);
                c_api::avoid_externs(c, &fs, cl, &here_file);
                macros::bit_macro(c, &fs, cl, &here_file);
                // Declarations and statements, in checkpatch.pl's order.
                c_decl::unspecified_int(c, &fs, cl, &here_file);
                c_assign::multiple_assignments(c, &fs, cl, &here_file);
                c_stmt::unnecessary_parentheses(c, &fs, cl, &here_file);
                c_flow::conditionals(c, &fs, cl, &here_file);
                c_names::camelcase(c, &fs, cl, &here_file);
                macros::macro_args(c, &fs, cl, &here_file);
                c_stmt::braces(c, &fs, cl, &here_file);
                c_func::embedded_function_name(c, &fs, cl, &here_file);
                c_decl::prefer_kernel_types(c, &fs, cl, &here_file);
                c_api::uncommented_definition(c, &fs, cl, &here_file);
                c_func::function_arguments(c, &fs, cl, &here_file);
                c_func::function_definition(c);
                c_assign::alloc_sizeof_struct(c, &fs, cl, &here_file);
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
            crate::rules::rust::check(c, f, hunk, file_mode, &sane.lexed);
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
            Vec::<Vec<u8>>::new(),
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
            Vec::<Vec<u8>>::new(),
        );
    }
}

/// checkpatch.pl counts the lines of hunks (`$cnt_lines++ if ($realcnt != 0)`).
fn lines_checked(lines: &[PLine<'_>], file_mode: bool) -> usize {
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
        let s = l.raw;
        if s == b"---" {
            in_log = false;
        }
        if !in_log && s.starts_with(b"@@ -") {
            if let Some((_, count)) = parse_hunk(s) {
                realcnt = count.saturating_add(1);
                continue;
            }
        } else if realcnt == 1 {
            realcnt = 0;
        }
        if realcnt != 0 {
            n += 1;
        }
        if realcnt > 1 && (s.starts_with(b"+") || s.starts_with(b" ") || s.is_empty()) {
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

/// `^@@ -\d+(?:,\d+)? \+(\d+)(,(\d+))? @@`: the new range's start and count (1 when
/// absent); numbers too big for a usize saturate.
fn parse_hunk(s: &[u8]) -> Option<(usize, usize)> {
    let num = |i: usize| -> Option<(usize, usize)> {
        let n = s[i.min(s.len())..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        (n > 0).then(|| {
            let v = s[i..i + n].iter().fold(0usize, |v, &d| {
                v.saturating_mul(10).saturating_add(usize::from(d - b'0'))
            });
            (v, i + n)
        })
    };
    if !s.starts_with(b"@@ -") {
        return None;
    }
    let (_, mut i) = num(4)?;
    if s.get(i) == Some(&b',') {
        i = num(i + 1)?.1;
    }
    if s.get(i..i + 2) != Some(b" +") {
        return None;
    }
    let (start, mut i) = num(i + 2)?;
    let mut count = 1;
    if s.get(i) == Some(&b',') {
        (count, i) = num(i + 1)?;
    }
    (s.get(i..i + 3) == Some(b" @@")).then_some((start, count))
}

fn is_source(f: &str) -> bool {
    [".h", ".c", ".rs", ".s", ".S", ".sh", ".dtsi", ".dts"]
        .iter()
        .any(|e| f.ends_with(e))
}

/// checkpatch.pl's $line of every line it sanitizes, without the diff marker.
struct Sanitized {
    /// The sanitized text of each hunk.
    bufs: Vec<Vec<u8>>,
    /// Where each line is: its hunk's buffer, and its bytes there.
    at: Vec<Option<(usize, usize, usize)>>,
    /// Each hunk that does not start in a comment, lexed, for the Rust rules to reuse.
    lexed: Vec<Lexed>,
}

/// Lines lexed together.
pub(crate) struct Lexed {
    /// Their indexes in the input's lines.
    pub(crate) lines: Vec<usize>,
    /// Their bodies (without the diff marker), each with a newline.
    pub(crate) text: Vec<u8>,
    /// The comments and literals in `text`.
    pub(crate) spans: Vec<Span>,
}

impl Sanitized {
    /// Line `i` as checkpatch.pl's `$line` has it, without the diff marker, if it
    /// sanitizes that line.
    fn body(&self, i: usize) -> Option<&[u8]> {
        self.at[i].map(|(b, s, e)| &self.bufs[b][s..e])
    }
}

/// checkpatch.pl's $line of every line it sanitizes: the lines of a hunk that start with
/// `+`, ` ` or nothing, lexed together from the hunk's header on (a hunk that seems to
/// start inside a block comment starts inside one). Other lines have none.
fn sanitized_lines(lines: &[PLine<'_>]) -> Sanitized {
    let mut out = Sanitized {
        bufs: Vec::new(),
        at: vec![None; lines.len()],
        lexed: Vec::new(),
    };
    let mut seg: Vec<usize> = Vec::new();
    let mut seg_comment = false;
    let flush = |seg: &mut Vec<usize>, in_comment: bool, out: &mut Sanitized| {
        if seg.is_empty() {
            return;
        }
        let mut joined = Vec::new();
        for &i in seg.iter() {
            joined.extend_from_slice(lines[i].raw.get(1..).unwrap_or(&[]));
            joined.push(b'\n');
        }
        let clean = if in_comment {
            sanitize(&joined, true)
        } else {
            let spans = lexer::spans(&joined);
            let clean = lexer::sanitize_spans(&joined, &spans);
            out.lexed.push(Lexed {
                lines: seg.clone(),
                text: joined,
                spans,
            });
            clean
        };
        let b = out.bufs.len();
        let mut at = 0;
        for &i in seg.iter() {
            let len = lines[i].raw.len().saturating_sub(1);
            out.at[i] = Some((b, at, at + len));
            at += len + 1;
        }
        out.bufs.push(clean);
        seg.clear();
    };
    let mut realcnt = 0usize;
    for (i, l) in lines.iter().enumerate() {
        let raw = l.raw;
        let plain = raw.first().is_none_or(|&b| b == b'+' || b == b' ');
        if let Some((_, count)) = parse_hunk(raw) {
            flush(&mut seg, seg_comment, &mut out);
            realcnt = count.saturating_add(1);
            seg_comment = hunk_starts_in_comment(lines, i, realcnt);
        } else if realcnt != 0 && plain {
            seg.push(i);
        }
        if realcnt > 1 {
            if plain {
                realcnt -= 1;
            }
        } else {
            realcnt = 0;
        }
    }
    flush(&mut seg, seg_comment, &mut out);
    out
}

/// checkpatch.pl's guess whether the hunk whose header is line `hdr` starts inside a
/// block comment: the first comment edge in it (outside a quoted string) is `*/`, or,
/// with no edge, its first line looks like a block comment's ` * `.
fn hunk_starts_in_comment(lines: &[PLine<'_>], hdr: usize, realcnt: usize) -> bool {
    let mut cnt = realcnt;
    let mut ln = hdr + 1;
    while cnt > 0 {
        let Some(l) = lines.get(ln) else {
            break;
        };
        ln += 1;
        if l.raw.first() == Some(&b'-') {
            continue;
        }
        cnt -= 1;
        let raw = l.raw;
        // The first `/*` or `*/`: around the first star that has a slash by it.
        let edge = memchr::memchr_iter(b'*', raw).find_map(|q| {
            if q > 0 && raw[q - 1] == b'/' {
                Some(b"/*".to_vec())
            } else {
                (raw.get(q + 1) == Some(&b'/')).then(|| b"*/".to_vec())
            }
        });
        if let Some(edge) = edge {
            // m@"[^"]*(?:/\*|\*/)[^"]*"@: an edge between two consecutive quotes.
            let quotes: Vec<usize> = (0..raw.len()).filter(|&i| raw[i] == b'"').collect();
            let quoted = quotes.windows(2).any(|q| {
                raw[q[0] + 1..q[1]]
                    .windows(2)
                    .any(|w| w == b"/*" || w == b"*/")
            });
            if !quoted {
                return edge == b"*/";
            }
        }
    }
    // m@^.\s*(?:\*\*+| \*)(?:\s|$)@ on the line after the header.
    let Some(next) = lines.get(hdr + 1).map(|l| l.raw) else {
        return false;
    };
    if next.is_empty() {
        return false;
    }
    let i = skip_space(next, 1);
    let stars = next[i..].iter().take_while(|&&b| b == b'*').count();
    let after_ok = next.get(i + stars).is_none_or(|&b| is_space(b));
    (stars >= 2 && after_ok)
        || (stars >= 1
            && i > 1
            && next[i - 1] == b' '
            && next.get(i + 1).is_none_or(|&b| is_space(b)))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The registry is right: every TYPE is reported where [`TYPES`] says, and once only
    /// in the table.
    #[test]
    fn every_type_is_reported_by_its_module() {
        let modules = [
            ("driver", include_str!("rules.rs")),
            ("c", include_str!("rules/c.rs")),
            ("c_api", include_str!("rules/c_api.rs")),
            ("c_assign", include_str!("rules/c_assign.rs")),
            ("c_decl", include_str!("rules/c_decl.rs")),
            ("c_flow", include_str!("rules/c_flow.rs")),
            ("c_func", include_str!("rules/c_func.rs")),
            ("c_names", include_str!("rules/c_names.rs")),
            ("c_stmt", include_str!("rules/c_stmt.rs")),
            ("comments", include_str!("rules/comments.rs")),
            ("macros", include_str!("rules/macros.rs")),
            ("git", include_str!("rules/git.rs")),
            ("patch", include_str!("rules/patch.rs")),
            ("rust", include_str!("rules/rust.rs")),
            ("spacing", include_str!("rules/spacing.rs")),
            ("whitespace", include_str!("rules/whitespace.rs")),
        ];
        for (i, (t, m, _)) in TYPES.iter().enumerate() {
            let (_, src) = modules
                .iter()
                .find(|(name, _)| name == m)
                .unwrap_or_else(|| panic!("{t}: no module {m}"));
            let quoted = format!("\"{t}\"");
            // The driver holds the table itself: its reports are the other occurrences.
            let min = if *m == "driver" { 2 } else { 1 };
            assert!(
                src.matches(&quoted).count() >= min,
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
}
