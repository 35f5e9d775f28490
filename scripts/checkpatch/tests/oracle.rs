// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The oracle suite: this tool and the kernel's checkpatch.pl on the same inputs must find
//! the same (TYPE, file, line) set for every rule they share.
//!
//! checkpatch.pl comes from Debian's linux-source-6.12, unpacked by scripts/checkpatch-setup
//! into ~/.cache/sifive-i2c/linux-source-6.12 (`$SIFIVE_I2C_CACHE` instead of
//! ~/.cache/sifive-i2c when set; or `$CHECKPATCH_PL`). The tests are `#[ignore]`d, so that
//! a plain `cargo test` passes with nothing installed; scripts/test and
//! scripts/checkpatch-test run them (`cargo test -p checkpatch -- --include-ignored`), and
//! then a missing checkpatch.pl fails them and says so. The inputs are the corpus in
//! tests/fixtures/ and every Rust file of the kernel's rust/ tree.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The rules both tools implement.
const SHARED: &[&str] = &[
    "ALLOC_SIZEOF_STRUCT",
    "ASSIGN_IN_IF",
    "AVOID_BUG",
    "AVOID_EXTERNS",
    "BAD_FIXES_TAG",
    "BAD_SIGN_OFF",
    "BIT_MACRO",
    "BLOCK_COMMENT_STYLE",
    "BRACES",
    "BRACKET_SPACE",
    "CAMELCASE",
    "CODE_INDENT",
    "COMPARISON_TO_NULL",
    "COMMIT_LOG_LONG_LINE",
    "COMMIT_MESSAGE",
    "DIFF_IN_COMMIT_MSG",
    "DOS_LINE_ENDINGS",
    "EMBEDDED_FILENAME",
    "EMAIL_SUBJECT",
    "EMBEDDED_FUNCTION_NAME",
    "ENOSYS",
    "EXECUTE_PERMISSIONS",
    "FILE_PATH_CHANGES",
    "FSF_MAILING_ADDRESS",
    "FUNCTION_ARGUMENTS",
    "GERRIT_CHANGE_ID",
    "GIT_COMMIT_ID",
    "INVALID_UTF8",
    "LEADING_SPACE",
    "LINE_SPACING",
    "LOGICAL_CONTINUATIONS",
    "LONG_LINE",
    "LONG_LINE_COMMENT",
    "LONG_LINE_STRING",
    "LOGGING_CONTINUATION",
    "LONG_UDELAY",
    "MACRO_ARG_PRECEDENCE",
    "MACRO_ARG_REUSE",
    "MACRO_ARG_UNUSED",
    "MAINTAINERS_STYLE",
    "MISSING_EOF_NEWLINE",
    "MISSING_SIGN_OFF",
    "MEMORY_BARRIER",
    "MSLEEP",
    "MULTIPLE_ASSIGNMENTS",
    "NOT_UNIFIED_DIFF",
    "OPEN_ENDED_LINE",
    "PARENTHESIS_ALIGNMENT",
    "POINTER_LOCATION",
    "PREFER_PR_LEVEL",
    "PRINTF_0XDECIMAL",
    "PRINTF_L",
    "PRINTF_Z",
    "PREFER_KERNEL_TYPES",
    "PRINTK_WITHOUT_KERN_LEVEL",
    "REPEATED_WORD",
    "SPACE_BEFORE_TAB",
    "SPACING",
    "SPDX_LICENSE_TAG",
    "SPLIT_STRING",
    "TRACING_LOGGING",
    "TRAILING_STATEMENTS",
    "TRAILING_WHITESPACE",
    "TYPO_SPELLING",
    "UNCOMMENTED_DEFINITION",
    "UNKNOWN_COMMIT_ID",
    "UNNECESSARY_ELSE",
    "UNNECESSARY_PARENTHESES",
    "UNSPECIFIED_INT",
    "USLEEP_RANGE",
    "VOLATILE",
];

fn kernel() -> PathBuf {
    if let Some(p) = std::env::var_os("CHECKPATCH_KERNEL") {
        return PathBuf::from(p);
    }
    // Where scripts/checkpatch-setup unpacks it.
    std::env::var_os("SIFIVE_I2C_CACHE")
        .map_or_else(
            || {
                PathBuf::from(std::env::var_os("HOME").expect("HOME is set"))
                    .join(".cache/sifive-i2c")
            },
            PathBuf::from,
        )
        .join("linux-source-6.12")
}

fn checkpatch_pl() -> PathBuf {
    let p = std::env::var_os("CHECKPATCH_PL")
        .map_or_else(|| kernel().join("scripts/checkpatch.pl"), PathBuf::from);
    assert!(
        p.is_file(),
        "checkpatch.pl not found at {}: run scripts/checkpatch-setup",
        p.display()
    );
    p
}

type Findings = BTreeSet<(String, String, usize)>;

/// Runs a tool with `--terse --show-types --strict` and parses `FILE:LINE: LEVEL:TYPE: msg`.
fn run(cmd: &mut Command, args: &[&str], dir: &Path) -> Findings {
    let out = cmd
        .args(["--terse", "--show-types", "--strict", "--no-summary"])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run checker");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut set = BTreeSet::new();
    for line in text.lines() {
        let mut parts = line.splitn(4, ':');
        let (Some(file), Some(num), Some(level_type)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Ok(num) = num.parse::<usize>() else {
            continue;
        };
        let level = level_type.trim();
        if !["ERROR", "WARNING", "CHECK"].contains(&level) {
            continue;
        }
        let rest = parts.next().unwrap_or("");
        let (kind, msg) = rest.split_once(':').unwrap_or((rest, ""));
        let kind = kind.to_string();
        // The forms of shared TYPEs this tool does not implement: not compared.
        if checkpatch::NOT_IMPLEMENTED_FORMS
            .iter()
            .any(|(t, m)| *t == kind && msg.trim_start().starts_with(m))
        {
            continue;
        }
        if SHARED.contains(&kind.as_str()) {
            set.insert((kind, file.to_string(), num));
        }
    }
    set
}

fn ours() -> Command {
    Command::new(env!("CARGO_BIN_EXE_checkpatch"))
}

fn theirs() -> Command {
    let mut c = Command::new("perl");
    c.arg(checkpatch_pl()).arg("--no-tree");
    c
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn corpus(ext_patch: bool) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixtures())
        .expect("fixtures")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        // Not checkpatch.pl's CamelCase cache (`.checkpatch-camelcase.*`), which it
        // writes where it runs.
        .filter(|n| !n.starts_with('.'))
        .filter(|n| n.ends_with(".patch") == ext_patch)
        .collect();
    v.sort();
    v
}

#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn corpus_files_match_checkpatch_pl() {
    let mut total = 0;
    for f in corpus(false) {
        let a = run(&mut theirs(), &["-f", &f], &fixtures());
        let b = run(&mut ours(), &["-f", &f], &fixtures());
        assert_eq!(
            a, b,
            "{f}: checkpatch.pl (left) and checkpatch (right) differ"
        );
        total += a.len();
    }
    assert!(
        total >= 30,
        "the corpus exercises the rules ({total} findings)"
    );
}

#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn corpus_files_match_with_other_limits() {
    for f in [
        "long_lines.rs",
        "long_lines.c",
        "whitespace.rs",
        "views.rs",
        "views_crlf.rs",
    ] {
        for args in [
            ["--max-line-length=80", "--tab-size=4"],
            ["--max-line-length=120", "--tab-size=8"],
        ] {
            let mut a_args = args.to_vec();
            a_args.extend(["-f", f]);
            let a = run(&mut theirs(), &a_args, &fixtures());
            let b = run(&mut ours(), &a_args, &fixtures());
            assert_eq!(a, b, "{f} {args:?}");
        }
    }
}

#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn corpus_patches_match_checkpatch_pl() {
    let mut kinds = BTreeSet::new();
    for f in corpus(true) {
        let a = run(&mut theirs(), &[&f], &fixtures());
        let b = run(&mut ours(), &[&f], &fixtures());
        assert_eq!(
            a, b,
            "{f}: checkpatch.pl (left) and checkpatch (right) differ"
        );
        kinds.extend(a.into_iter().map(|(k, _, _)| k));
    }
    for k in [
        "BAD_FIXES_TAG",
        "BAD_SIGN_OFF",
        "COMMIT_LOG_LONG_LINE",
        "COMMIT_MESSAGE",
        "DIFF_IN_COMMIT_MSG",
        "EXECUTE_PERMISSIONS",
        "FILE_PATH_CHANGES",
        "GERRIT_CHANGE_ID",
        "GIT_COMMIT_ID",
        "MISSING_EOF_NEWLINE",
        "MISSING_SIGN_OFF",
        "NOT_UNIFIED_DIFF",
        "TRAILING_WHITESPACE",
        "UNKNOWN_COMMIT_ID",
    ] {
        assert!(kinds.contains(k), "no patch in the corpus exercises {k}");
    }
}

/// checkpatch.pl reads Rust with C's lexical rules: after a lifetime's `'` it believes it is
/// inside a character literal until the next `'`, so a `//` comment in that stretch is not a
/// comment to it and a long comment line is LONG_LINE instead of LONG_LINE_COMMENT. That
/// is the one difference allowed, and only on lines that are `//` comments.
#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn kernel_rust_tree_matches_checkpatch_pl() {
    let root = kernel();
    let mut files = Vec::new();
    let mut stack = vec![root.join("rust")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("kernel rust/ tree (scripts/checkpatch-setup)") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(
                    p.strip_prefix(&root)
                        .expect("under root")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    files.sort();
    assert!(files.len() > 50, "rust/ tree present");
    let mut compared = 0;
    let mut lexer_differences = 0;
    for f in &files {
        let a = run(&mut theirs(), &["-f", f], &root);
        let b = run(&mut ours(), &["-f", f], &root);
        let src = std::fs::read_to_string(root.join(f)).expect("read");
        let lines: Vec<&str> = src.lines().collect();
        for (kind, file, line) in a.symmetric_difference(&b) {
            let text = lines.get(line - 1).copied().unwrap_or("");
            let ours_comment = b.contains(&("LONG_LINE_COMMENT".into(), file.clone(), *line));
            let theirs_plain = a.contains(&("LONG_LINE".into(), file.clone(), *line));
            let allowed = text.trim_start().starts_with("//") && ours_comment && theirs_plain;
            assert!(allowed, "{f}:{line}: {kind} differs: {text}");
            if kind == "LONG_LINE" {
                lexer_differences += 1;
            }
        }
        compared += a.len();
    }
    eprintln!(
        "rust/ tree: {} files, {compared} checkpatch.pl findings compared, {lexer_differences} \
         lifetime-lexing differences",
        files.len()
    );
    assert!(compared > 0);
}

#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn help_list_types_and_exit_codes_behave_as_checkpatch_pl() {
    let status = |c: &mut Command, args: &[&str]| {
        c.args(args).current_dir(fixtures()).output().expect("run")
    };
    for args in [&["--help"][..], &["--bogus-option"][..]] {
        let a = status(&mut theirs(), args);
        let b = status(&mut ours(), args);
        assert_eq!(a.status.code(), b.status.code(), "{args:?}");
    }
    let b = status(&mut ours(), &["--help"]);
    assert!(
        String::from_utf8_lossy(&b.stdout).starts_with("Usage: checkpatch [OPTION]... [FILE]...")
    );
    let b = status(&mut ours(), &["--bogus-option"]);
    assert!(String::from_utf8_lossy(&b.stderr).starts_with("Unknown option: bogus-option"));
    // Clean input exits 0, a style problem 1, in both.
    for (args, code) in [
        (&["-f", "spdx_ok.rs"][..], 1),
        (&["-f", "whitespace.rs"][..], 1),
        (&["good.patch"][..], 0),
    ] {
        let a = status(&mut theirs(), args);
        let mut ours_cmd = ours();
        if args[0] == "-f" {
            ours_cmd.args(["--ignore", "RUST_MISSING_MODULE_DOC"]);
        } else {
            ours_cmd.args(["--ignore", "RUST_DOC_UNCHANGED"]);
        }
        let b = status(&mut ours_cmd, args);
        assert_eq!(a.status.code(), b.status.code(), "{args:?}");
        let _ = code;
    }
    let lt = status(&mut ours(), &["--list-types"]);
    let text = String::from_utf8_lossy(&lt.stdout);
    assert!(text.starts_with("#\tMessage type\n\n1\t"), "{text}");
    let theirs_lt = status(&mut theirs(), &["--list-types"]);
    let theirs_text = String::from_utf8_lossy(&theirs_lt.stdout);
    for k in SHARED {
        assert!(text.contains(&format!("\t{k}\n")), "{k} listed by us");
        assert!(
            theirs_text.contains(&format!("\t{k}\n")),
            "{k} listed by checkpatch.pl"
        );
    }
}

#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn full_reports_are_identical_on_the_corpus() {
    // Not only the sets: the whole report, blocks, summary, NOTEs and verdict.
    for (args, ignore) in [
        (vec!["-f", "words.rs"], "RUST_MISSING_MODULE_DOC"),
        (vec!["-f", "whitespace.rs"], "RUST_MISSING_MODULE_DOC"),
        (vec!["-f", "long_lines.rs"], "RUST_MISSING_MODULE_DOC"),
        (vec!["-f", "views_crlf.rs"], "RUST_SAFETY_COMMENT"),
        (vec!["-f", "latin1.rs"], "RUST_MISSING_MODULE_DOC"),
        (vec!["views.patch"], "RUST_DOC_UNCHANGED"),
        (vec!["new_file.patch"], "RUST_MISSING_MODULE_DOC"),
        (vec!["commit_log.patch"], "RUST_DOC_UNCHANGED"),
    ] {
        for mode in [
            &["--strict", "--show-types"][..],
            &[][..],
            &["--emacs"][..],
            &["--showfile"][..],
        ] {
            let a = theirs()
                .args(mode)
                .args(&args)
                .current_dir(fixtures())
                .output()
                .expect("run");
            let b = ours()
                .args(["--quiet"])
                .args(mode)
                .args(["--ignore", ignore])
                .args(&args)
                .current_dir(fixtures())
                .output()
                .expect("run");
            // The report blocks, byte for byte (a line of the input is printed as it
            // is, not as UTF-8): everything before the summary line.
            let blocks = |t: &[u8]| {
                t.split(|&b| b == b'\n')
                    .take_while(|l| !l.starts_with(b"total:"))
                    .collect::<Vec<_>>()
                    .join(&b'\n')
            };
            let (ba, bb) = (blocks(&a.stdout), blocks(&b.stdout));
            assert!(
                ba == bb,
                "{args:?} {mode:?}:\n{}\n---\n{}",
                ba.escape_ascii(),
                bb.escape_ascii()
            );
            assert_eq!(a.status.code(), b.status.code(), "{args:?} {mode:?}");
        }
    }
}

/// The repository's `.checkpatch.conf` is shared: checkpatch.pl reads it too, so it must
/// hold only options checkpatch.pl knows (this tool's own are in `.checkpatch-rs.conf`).
/// checkpatch.pl run at the repository root, without options, gives a normal report that
/// honours the shared ones (`--no-tree`, `--strict`, the `--ignore`d types).
#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn checkpatch_pl_runs_with_the_shared_config_at_the_repository_root() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let file = "scripts/checkpatch/src/lib.rs";
    let a = Command::new("perl")
        .arg(checkpatch_pl())
        .args(["-f", file])
        .current_dir(&root)
        .output()
        .expect("run checkpatch.pl");
    let stdout = String::from_utf8_lossy(&a.stdout);
    let stderr = String::from_utf8_lossy(&a.stderr);
    assert!(stderr.is_empty(), "checkpatch.pl complains: {stderr}");
    assert_eq!(a.status.code(), Some(0), "{stdout}");
    // --strict: the summary counts checks.
    assert!(
        stdout.contains("total: 0 errors, 0 warnings, 0 checks, "),
        "{stdout}"
    );
    assert!(
        stdout.contains(&format!(
            "{file} has no obvious style problems and is ready for submission."
        )),
        "{stdout}"
    );
    assert!(
        stdout.contains("NOTE: Ignored message types: EMAIL_SUBJECT FILE_PATH_CHANGES"),
        "{stdout}"
    );
    // This tool reads the same file and its own: the same summary.
    let b = ours()
        .args(["-f", file])
        .current_dir(&root)
        .output()
        .expect("run checkpatch");
    let ours_out = String::from_utf8_lossy(&b.stdout);
    let total = |t: &str| {
        t.lines()
            .find(|l| l.starts_with("total:"))
            .map(str::to_string)
    };
    assert_eq!(total(&stdout), total(&ours_out), "{ours_out}");
    // And its own options: the deliberately bad fixtures are excluded from --tracked.
    let tracked = ours()
        .args(["--tracked", "--terse"])
        .current_dir(&root)
        .output()
        .expect("run checkpatch --tracked");
    let listed = String::from_utf8_lossy(&tracked.stdout);
    assert!(!listed.contains("tests/fixtures/"), "{listed}");
}

/// The shared rules whose findings --fix corrects, in both tools.
const FIXABLE: &str = "TRAILING_WHITESPACE,DOS_LINE_ENDINGS,SPACE_BEFORE_TAB,TYPO_SPELLING,\
                       REPEATED_WORD,MISSING_EOF_NEWLINE,BAD_SIGN_OFF,GERRIT_CHANGE_ID,\
                       CODE_INDENT,LEADING_SPACE,BIT_MACRO,PARENTHESIS_ALIGNMENT,\
                       AVOID_EXTERNS,COMPARISON_TO_NULL,SPACING,POINTER_LOCATION,\
                       BRACKET_SPACE,BRACES,PREFER_KERNEL_TYPES,UNNECESSARY_PARENTHESES,\
                       UNSPECIFIED_INT,MAINTAINERS_STYLE,ASSIGN_IN_IF,TRAILING_STATEMENTS,\
                       LINE_SPACING,LOGICAL_CONTINUATIONS,SPDX_LICENSE_TAG,TRACING_LOGGING";

/// Runs `cmd` with `--fix` (or `--fix-inplace`) on a copy of fixture `f` in a directory
/// of its own and returns what the directory then holds.
fn fixed_files(cmd: &mut Command, f: &str, inplace: bool, tag: &str) -> Vec<(String, Vec<u8>)> {
    let dir = std::env::temp_dir().join(format!("checkpatch-fix-{}-{tag}-{f}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    std::fs::copy(fixtures().join(f), dir.join(f)).expect("copy fixture");
    let mut args = vec![
        "--strict",
        "-q",
        "--types",
        FIXABLE,
        if inplace { "--fix-inplace" } else { "--fix" },
    ];
    if !f.ends_with(".patch") {
        args.push("-f");
    }
    args.push(f);
    cmd.args(&args)
        .current_dir(&dir)
        .output()
        .expect("run with --fix");
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .expect("read temp dir")
        .map(|e| {
            let p = e.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (name, std::fs::read(&p).expect("read"))
        })
        // checkpatch.pl's CamelCase cache, which it writes where it runs.
        .filter(|(name, _)| !name.starts_with(".checkpatch-camelcase."))
        .collect();
    out.sort();
    std::fs::remove_dir_all(&dir).expect("clean temp dir");
    out
}

/// --fix and --fix-inplace write what checkpatch.pl's write, byte for byte, for every
/// file and patch of the corpus (the fixes of the shared rules).
#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn fix_output_is_checkpatch_pl_s() {
    let mut written = 0;
    for f in corpus(false).into_iter().chain(corpus(true)) {
        for inplace in [false, true] {
            let a = fixed_files(&mut theirs(), &f, inplace, "pl");
            let b = fixed_files(&mut ours(), &f, inplace, "rs");
            let names =
                |v: &[(String, Vec<u8>)]| v.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
            assert_eq!(
                names(&a),
                names(&b),
                "{f} (inplace {inplace}): files written"
            );
            for ((name, x), (_, y)) in a.iter().zip(&b) {
                assert!(
                    x == y,
                    "{f}: {name} differs:\n--- checkpatch.pl\n{}\n--- checkpatch\n{}",
                    x.escape_ascii(),
                    y.escape_ascii()
                );
            }
            if a.len() > 1 {
                written += 1;
            }
        }
    }
    assert!(
        written >= 15,
        "the corpus exercises --fix ({written} fixed outputs)"
    );
}

/// The Rust rules on the kernel's rust/ tree, the Rust-for-Linux style's reference: the
/// findings are exactly those classified in tests/rust_precision.txt.
#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn rust_rules_precision_on_the_kernel_tree() {
    let root = kernel();
    let mut files = Vec::new();
    let mut stack = vec![root.join("rust")];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("kernel rust/ tree (scripts/checkpatch-setup)") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                files.push(
                    p.strip_prefix(&root)
                        .expect("under root")
                        .to_string_lossy()
                        .into_owned(),
                );
            }
        }
    }
    files.sort();
    let out = ours()
        .args(["--terse", "--show-types", "--strict", "--no-summary", "-f"])
        .args(&files)
        .current_dir(&root)
        .output()
        .expect("run checkpatch");
    let mut found = BTreeSet::new();
    for line in String::from_utf8_lossy(&out.stdout).lines() {
        let mut parts = line.splitn(4, ':');
        let (Some(file), Some(num), Some(_), Some(rest)) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let kind = rest.split(':').next().unwrap_or("");
        if kind.starts_with("RUST_") {
            found.insert(format!("{file}:{num} {kind}"));
        }
    }
    let data = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/rust_precision.txt"),
    )
    .expect("tests/rust_precision.txt");
    let mut expected = BTreeSet::new();
    let mut truths = 0;
    for l in data
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let mut w = l.splitn(4, ' ');
        let (Some(at), Some(kind), Some(verdict)) = (w.next(), w.next(), w.next()) else {
            panic!("bad line in tests/rust_precision.txt: {l}");
        };
        assert!(verdict == "true" || verdict == "false", "bad verdict: {l}");
        truths += usize::from(verdict == "true");
        expected.insert(format!("{at} {kind}"));
    }
    let new: Vec<_> = found.difference(&expected).collect();
    let lost: Vec<_> = expected.difference(&found).collect();
    assert!(
        new.is_empty(),
        "findings not classified in tests/rust_precision.txt: {new:#?}"
    );
    assert!(
        lost.is_empty(),
        "classified findings no longer reported: {lost:#?}"
    );
    assert!(truths > 0);
    // Every TODO placeholder among the SAFETY comments of the tree is reported.
    let todos = files
        .iter()
        .flat_map(|f| {
            let src = std::fs::read(root.join(f)).expect("read");
            String::from_utf8_lossy(&src)
                .lines()
                .enumerate()
                .filter(|(_, l)| l.contains("// SAFETY: TODO"))
                .map(|(i, _)| format!("{f}:{} RUST_SAFETY_PLACEHOLDER", i + 1))
                .collect::<Vec<_>>()
        })
        .collect::<Vec<_>>();
    assert!(todos.len() >= 24, "{} TODO placeholders", todos.len());
    for t in &todos {
        assert!(found.contains(t), "{t} not reported");
    }
}

/// The list built into the tool is checkpatch.pl's, unchanged below its header.
#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn built_in_misspellings_are_the_kernel_s() {
    let ours =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/spelling.txt"))
            .expect("data/spelling.txt");
    let marker = "# ---- linux-6.12/scripts/spelling.txt ----\n";
    let copy = &ours[ours.find(marker).expect("marker") + marker.len()..];
    let theirs = std::fs::read_to_string(kernel().join("scripts/spelling.txt"))
        .expect("the kernel's scripts/spelling.txt");
    assert!(
        copy == theirs,
        "data/spelling.txt differs from the kernel's"
    );
}

/// Every message type of checkpatch.pl is either implemented (`--list-types`) or named in
/// `NOT_IMPLEMENTED`, which the note for C input counts; never both.
#[test]
#[ignore = "needs scripts/checkpatch-setup (checkpatch.pl and the kernel's rust/ tree)"]
fn every_checkpatch_pl_type_is_implemented_or_listed_as_not() {
    let src = std::fs::read_to_string(checkpatch_pl()).expect("read checkpatch.pl");
    let mut theirs = BTreeSet::new();
    for call in ["WARN(\"", "ERROR(\"", "CHK(\""] {
        for (i, _) in src.match_indices(call) {
            let rest = &src[i + call.len()..];
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || *c == '_')
                .collect();
            if rest[name.len()..].starts_with('"') && !name.is_empty() {
                theirs.insert(name);
            }
        }
    }
    assert!(theirs.len() > 200, "{} types found", theirs.len());
    let ours: BTreeSet<&str> = checkpatch::TYPES.iter().map(|(t, _, _)| *t).collect();
    for t in &theirs {
        let listed = checkpatch::NOT_IMPLEMENTED.contains(&t.as_str());
        assert!(
            listed != ours.contains(t.as_str()),
            "{t}: implemented {}, listed as not {listed}",
            ours.contains(t.as_str())
        );
    }
    for t in checkpatch::NOT_IMPLEMENTED {
        assert!(theirs.contains(*t), "{t} is not checkpatch.pl's");
    }
}
