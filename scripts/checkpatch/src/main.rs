// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The `checkpatch` command: checkpatch.pl's interface over the library.

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::sync::atomic::{AtomicUsize, Ordering};

use checkpatch::{check, Input, Level, Options, Spelling, NOT_IMPLEMENTED, TYPES};

const USAGE: &str = "\
Usage: checkpatch [OPTION]... [FILE]...
Version: 0.32 (checkpatch.pl compatible, Rust-aware)

Options:
  -q, --quiet                quiet
  -v, --verbose              verbose mode
  --no-tree                  run without a kernel tree (accepted; this tool never needs one)
  --no-signoff               do not check for 'Signed-off-by' line
  --patch                    treat FILE as patchfile (default)
  --emacs                    emacs compile window format
  --terse                    one line per report
  --showfile                 emit diffed file position, not input file position
  -g, --git                  treat FILE as a single commit or git revision range
                             single git commit with:
                               <rev>
                               <rev>^
                               <rev>~n
                             multiple git commits with:
                               <rev1>..<rev2>
                               <rev1>...<rev2>
                               <rev>-<count>
                             git merges are ignored
  -f, --file                 treat FILE as regular source file
  --tracked                  check every file git tracks in the current repository
                             (as -f)
  --exclude GLOB             do not check files matching GLOB (* matches anything);
                             repeatable
  --list-types               list the possible message types
  --types TYPE(,TYPE2...)    show only these comma separated message types
  --ignore TYPE(,TYPE2...)   ignore various comma separated message types
  --show-types               show the specific message type in the output
  --max-line-length=n        set the maximum line length, (default 100)
  --tab-size=n               set the number of spaces for tab (default 8)
  --strict                   enable more subjective tests
  --spelling FILE            misspellings list (default: scripts/spelling.txt of the
                             kernel tree the tool runs at the top of, else the
                             kernel 6.12's list built into the tool)
  --no-summary               suppress the per-file summary
  -j, --jobs=n, -jn          check up to n inputs at a time (default: one per core)
  --fix                      EXPERIMENTAL - may create horrible results
                             If correctable single-line errors exist, create
                             \"<inputfile>.EXPERIMENTAL-checkpatch-fixes\"
                             with potential errors corrected to the preferred
                             checkpatch style
  --fix-inplace              EXPERIMENTAL - may create horrible results
                             Is the same as --fix, but overwrites the input
                             file.  It's your fault if there's no backup or git
  -h, --help, --version      display this help and exit

When FILE is - read standard input.
";

struct Args {
    opts: Options,
    quiet: bool,
    verbose: bool,
    terse: bool,
    emacs: bool,
    showfile: bool,
    show_types: bool,
    summary: bool,
    file: bool,
    git: bool,
    tracked: bool,
    list_types: bool,
    fix_inplace: bool,
    spelling: Option<PathBuf>,
    /// How many inputs are checked at a time (`None`: one per core).
    jobs: Option<usize>,
    inputs: Vec<String>,
}

fn split_types(v: &str, into: &mut BTreeSet<String>) {
    for t in v
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
    {
        into.insert(t.to_ascii_uppercase());
    }
}

/// Words of a configuration file `name`, read as checkpatch.pl reads `.checkpatch.conf`:
/// from `.`, `$HOME` and `.scripts`, the first found; `#` starts a comment.
fn conf_args(name: &str) -> Vec<String> {
    let mut dirs = vec![PathBuf::from(".")];
    if let Some(home) = std::env::var_os("HOME") {
        dirs.push(PathBuf::from(home));
    }
    dirs.push(PathBuf::from(".scripts"));
    for d in dirs {
        let p = d.join(name);
        if let Ok(bytes) = std::fs::read(&p) {
            let s = String::from_utf8_lossy(&bytes);
            let mut out = Vec::new();
            for line in s.lines() {
                let line = line.trim();
                if line.starts_with('#') || line.is_empty() {
                    continue;
                }
                for w in line.split_whitespace() {
                    if w.starts_with('#') {
                        break;
                    }
                    out.push(w.to_string());
                }
            }
            return out;
        }
    }
    Vec::new()
}

/// The shared configuration file, which checkpatch.pl reads too: only options it knows.
const SHARED_CONF: &str = ".checkpatch.conf";
/// This tool's own configuration file: options checkpatch.pl does not know (`--exclude`).
const OWN_CONF: &str = ".checkpatch-rs.conf";

/// `--jobs`'s value: a count of threads, at least one.
fn jobs(v: &str) -> Result<usize, String> {
    match v.parse() {
        Ok(0) => Err("bad --jobs: at least 1".into()),
        Ok(n) => Ok(n),
        Err(_) => Err("bad --jobs".into()),
    }
}

fn parse(argv: Vec<String>) -> Result<Args, String> {
    let mut a = Args {
        opts: Options::default(),
        quiet: false,
        verbose: false,
        terse: false,
        emacs: false,
        showfile: false,
        show_types: false,
        summary: true,
        file: false,
        git: false,
        tracked: false,
        list_types: false,
        fix_inplace: false,
        spelling: None,
        jobs: None,
        inputs: Vec::new(),
    };
    let mut it = argv.into_iter();
    while let Some(arg) = it.next() {
        let (name, inline) = match arg.split_once('=') {
            Some((n, v)) if n.starts_with("--") => (n.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let value = |it: &mut std::vec::IntoIter<String>| {
            inline
                .clone()
                .or_else(|| it.next())
                .ok_or(format!("Option {name} requires an argument"))
        };
        match name.as_str() {
            "-q" | "--quiet" => a.quiet = true,
            "-v" | "--verbose" => a.verbose = true,
            "--no-tree" | "--patch" | "--no-color" | "--color" => {}
            "--tree" => {}
            "--no-signoff" => a.opts.no_signoff = true,
            "--signoff" => a.opts.no_signoff = false,
            "--emacs" => a.emacs = true,
            "--terse" => a.terse = true,
            "--showfile" => a.showfile = true,
            "-g" | "--git" => a.git = true,
            "-f" | "--file" => a.file = true,
            "--tracked" => a.tracked = true,
            "--list-types" => a.list_types = true,
            "--show-types" => a.show_types = true,
            "--strict" | "--subjective" => a.opts.strict = true,
            "--no-summary" => a.summary = false,
            "--fix" => a.opts.fix = true,
            "--fix-inplace" => {
                a.opts.fix = true;
                a.fix_inplace = true;
            }
            "--summary" => a.summary = true,
            "--types" => split_types(&value(&mut it)?, &mut a.opts.types),
            "--ignore" => split_types(&value(&mut it)?, &mut a.opts.ignore),
            "--max-line-length" => {
                a.opts.max_line_length = value(&mut it)?
                    .parse()
                    .map_err(|_| "bad --max-line-length".to_string())?;
            }
            "--tab-size" => {
                let n: usize = value(&mut it)?
                    .parse()
                    .map_err(|_| "bad --tab-size".to_string())?;
                a.opts.tab_size = n.max(1);
            }
            "--spelling" => a.spelling = Some(PathBuf::from(value(&mut it)?)),
            "-j" | "--jobs" => a.jobs = Some(jobs(&value(&mut it)?)?),
            s if s.starts_with("-j") && s[2..].bytes().all(|b| b.is_ascii_digit()) => {
                a.jobs = Some(jobs(&s[2..])?);
            }
            "--exclude" => a.opts.exclude.push(value(&mut it)?),
            "-h" | "--help" | "--version" => return Err(String::new()),
            "-" => a.inputs.push(arg),
            s if s.starts_with('-') => {
                return Err(format!("Unknown option: {}", s.trim_start_matches('-')))
            }
            _ => a.inputs.push(arg),
        }
    }
    Ok(a)
}

/// checkpatch.pl's list of misspellings (the kernel 6.12's scripts/spelling.txt, GPL-2.0),
/// built in for when no kernel tree's list is at hand.
const BUILTIN_SPELLING: &[u8] = include_bytes!("../data/spelling.txt");

/// The files and directories checkpatch.pl's top_of_kernel_tree() requires.
const KERNEL_TREE: &[&str] = &[
    "COPYING",
    "CREDITS",
    "Kbuild",
    "MAINTAINERS",
    "Makefile",
    "README",
    "Documentation",
    "arch",
    "include",
    "drivers",
    "fs",
    "init",
    "ipc",
    "kernel",
    "lib",
    "scripts",
];

/// The misspellings list: `--spelling FILE`; else, as checkpatch.pl reads the
/// scripts/spelling.txt of the kernel tree it is part of, that of the kernel tree the tool
/// runs at the top of; else the copy built into the binary. TYPO_SPELLING is off only
/// when `--spelling` names a file that cannot be read.
fn load_spelling(path: Option<&Path>) -> Spelling {
    let s: std::borrow::Cow<'_, [u8]> = if let Some(p) = path {
        match std::fs::read(p) {
            Ok(s) => s.into(),
            Err(e) => {
                eprintln!(
                    "checkpatch: no misspellings list at {} ({e}): TYPO_SPELLING is off",
                    p.display()
                );
                return Spelling::default();
            }
        }
    } else if KERNEL_TREE.iter().all(|f| Path::new(f).exists()) {
        std::fs::read("scripts/spelling.txt").map_or(BUILTIN_SPELLING.into(), Into::into)
    } else {
        BUILTIN_SPELLING.into()
    };
    let mut map = Spelling::default();
    map.reserve(memchr::memchr_iter(b'\n', &s).count());
    for line in String::from_utf8_lossy(&s).lines() {
        let line = line.trim_end();
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        if let Some(p) = line.as_bytes().windows(2).position(|w| w == b"||") {
            map.insert(&line[..p], &line[p + 2..]);
        }
    }
    map
}

fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| format!("git: {e}"))?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).trim().to_string());
    }
    Ok(out.stdout)
}

/// The commits of a -g expression, oldest first, with their subjects.
fn commits(expr: &str) -> Result<Vec<(String, String)>, String> {
    let range: Vec<String> = if let Some((rev, n)) = expr
        .rsplit_once('-')
        .filter(|(_, n)| n.parse::<u32>().is_ok())
    {
        vec![format!("-{n}"), rev.to_string()]
    } else if expr.contains("..") {
        vec![expr.to_string()]
    } else {
        vec!["-1".into(), expr.to_string()]
    };
    let mut args = vec!["log", "--no-color", "--no-merges", "--pretty=format:%H %s"];
    args.extend(range.iter().map(String::as_str));
    let out = String::from_utf8_lossy(&git(&args)?).into_owned();
    let mut v: Vec<(String, String)> = out
        .lines()
        .filter_map(|l| {
            l.split_once(' ')
                .map(|(h, s)| (h.to_string(), s.to_string()))
        })
        .filter(|(h, _)| h.len() == 40)
        .collect();
    v.reverse();
    Ok(v)
}

/// Files the --tracked mode checks: what git tracks, less the --exclude globs.
fn tracked_files(opts: &Options) -> Result<Vec<String>, String> {
    let out = String::from_utf8_lossy(&git(&["ls-files"])?).into_owned();
    Ok(out
        .lines()
        .filter(|f| !opts.excluded(f))
        .filter(|f| Path::new(f).is_file())
        .map(String::from)
        .collect())
}

/// Appends text or bytes to a report.
fn put(out: &mut Vec<u8>, s: impl AsRef<[u8]>) {
    out.extend_from_slice(s.as_ref());
}

fn render(a: &Args, input: &Input, outcome: &checkpatch::Outcome, out: &mut Vec<u8>) -> bool {
    let (clean, fixed) = report(a, input, outcome, out);
    if let Some(fixed) = fixed.filter(|_| !clean) {
        let newfile = if a.fix_inplace {
            input.name.clone()
        } else {
            format!("{}.EXPERIMENTAL-checkpatch-fixes", input.name)
        };
        if let Err(e) = std::fs::write(&newfile, fixed) {
            put(
                out,
                format!("checkpatch: Can't open {newfile} for write: {e}\n"),
            );
            return false;
        }
        if !a.quiet {
            put(
                out,
                format!(
                    "\nWrote EXPERIMENTAL --fix correction(s) to '{newfile}'\n\n\
                 Do _NOT_ trust the results written to this file.\n\
                 Do _NOT_ submit these changes without inspecting them for correctness.\n\n\
                 This EXPERIMENTAL file is simply a convenience to help rewrite patches.\n\
                 No warranties, expressed or implied...\n"
                ),
            );
        }
    }
    if !a.quiet {
        out.push(b'\n');
        if clean {
            put(
                out,
                format!(
                    "{} has no obvious style problems and is ready for submission.\n",
                    input.name
                ),
            );
        } else {
            put(
                out,
                format!("{} has style problems, please review.\n", input.name),
            );
        }
    }
    clean
}

/// The report of one input up to the verdict: whether it is clean, and the --fix output.
fn report<'a>(
    a: &Args,
    input: &Input,
    outcome: &'a checkpatch::Outcome,
    out: &mut Vec<u8>,
) -> (bool, Option<&'a Vec<u8>>) {
    let _ = input;
    let mut errors = 0;
    let mut warnings = 0;
    let mut checks = 0;
    let mut emitted_verbose = BTreeSet::new();
    for f in outcome.shown(&a.opts) {
        match f.level {
            Level::Error => errors += 1,
            Level::Warning => warnings += 1,
            Level::Check => checks += 1,
        }
        let prefix = if a.showfile {
            format!("{}:{}: ", f.file, f.realline)
        } else if a.emacs {
            format!("{}:{}: ", input.name, f.line)
        } else {
            String::new()
        };
        let mut block = format!("{prefix}{}:", f.level.word()).into_bytes();
        if a.show_types {
            put(&mut block, f.kind);
            block.push(b':');
        }
        block.push(b' ');
        put(&mut block, &f.msg);
        block.push(b'\n');
        let mut context = f.context.clone();
        if a.showfile && !context.is_empty() {
            context.remove(0);
        }
        if a.terse {
            put(out, &block);
            continue;
        }
        for l in &context {
            put(&mut block, l);
            block.push(b'\n');
        }
        block.push(b'\n');
        if a.verbose && emitted_verbose.insert(f.kind) {
            if let Some((_, _, d)) = TYPES.iter().find(|(t, _, _)| *t == f.kind) {
                put(&mut block, d);
                put(&mut block, "\n\n");
            }
        }
        put(out, &block);
    }
    let clean = errors + warnings + checks == 0;
    if a.summary && !(clean && a.quiet) {
        put(
            out,
            format!("total: {errors} errors, {warnings} warnings, "),
        );
        if a.opts.strict {
            put(out, format!("{checks} checks, "));
        }
        put(out, format!("{} lines checked\n", outcome.lines));
    }
    if !a.quiet {
        if !clean && !a.opts.fix {
            put(
                out,
                "\nNOTE: For some of the reported defects, checkpatch may be able to\n      \
                 mechanically convert to the typical style using --fix or --fix-inplace.\n",
            );
        }
        if outcome.whitespace && !clean {
            put(
                out,
                "\nNOTE: Whitespace errors detected.\n      \
                 You may wish to use scripts/cleanpatch or scripts/cleanfile\n",
            );
        }
    }
    (clean, outcome.fixed.as_ref())
}

/// `f` of every item, in order, computed on `jobs` threads (or as many as there are
/// cores); the items are taken up in the order `order` gives (largest first balances
/// the load).
fn in_parallel<T: Sync, R: Send + Default>(
    items: &[T],
    order: &[usize],
    jobs: Option<usize>,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let threads = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .min(items.len());
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut done: Vec<(usize, R)> = std::thread::scope(|s| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let n = next.fetch_add(1, Ordering::Relaxed);
                        let Some(&i) = order.get(n) else {
                            break;
                        };
                        let Some(item) = items.get(i) else {
                            break;
                        };
                        mine.push((i, f(item)));
                    }
                    mine
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_default())
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

fn main() -> ExitCode {
    let mut argv = conf_args(SHARED_CONF);
    argv.extend(conf_args(OWN_CONF));
    argv.extend(std::env::args().skip(1));
    let mut a = match parse(argv) {
        Ok(a) => a,
        Err(e) if e.is_empty() => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("{e}");
            eprint!("{USAGE}");
            return ExitCode::from(1);
        }
    };
    if a.list_types {
        println!("#\tMessage type\n");
        for (i, (t, _, d)) in TYPES.iter().enumerate() {
            println!("{}\t{t}", i + 1);
            if a.verbose {
                println!("\t{d}\n");
            }
        }
        return ExitCode::SUCCESS;
    }
    if a.terse {
        a.emacs = true;
        a.quiet = true;
    }
    if a.verbose && a.terse {
        eprintln!("checkpatch: --verbose cannot be used with --terse");
        return ExitCode::from(255);
    }
    if a.git && (a.file || a.opts.fix) {
        eprintln!("checkpatch: --git cannot be used with --file or --fix");
        return ExitCode::from(255);
    }
    a.opts.spelling = load_spelling(a.spelling.as_deref());

    let mut inputs = Vec::new();
    let result: Result<(), String> = (|| {
        if a.tracked {
            for f in tracked_files(&a.opts)? {
                let bytes = std::fs::read(&f).map_err(|e| format!("{f}: {e}"))?;
                inputs.push(Input::file(&f, bytes));
            }
            return Ok(());
        }
        if a.inputs.is_empty() {
            return Err(USAGE.to_string());
        }
        for name in &a.inputs {
            if a.git {
                for (sha, subject) in commits(name)? {
                    let bytes = git(&["format-patch", "-M", "--stdout", "-1", &sha])?;
                    let vname = format!("Commit {} (\"{subject}\")", &sha[..12]);
                    inputs.push(Input::patch(&vname, bytes));
                }
            } else if name == "-" {
                let mut bytes = Vec::new();
                std::io::stdin()
                    .read_to_end(&mut bytes)
                    .map_err(|e| e.to_string())?;
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let vname = text
                    .lines()
                    .find_map(|l| {
                        let lower = l.to_ascii_lowercase();
                        lower
                            .starts_with("subject:")
                            .then(|| format!("\"{}\"", l[8..].trim()))
                    })
                    .unwrap_or_else(|| "Your patch".into());
                inputs.push(Input::patch(&vname, bytes));
            } else {
                let bytes =
                    std::fs::read(name).map_err(|e| format!("{name}: open failed - {e}"))?;
                inputs.push(if a.file {
                    Input::file(name, bytes)
                } else {
                    Input::patch(name, bytes)
                });
            }
        }
        Ok(())
    })();
    if let Err(e) = result {
        eprintln!("checkpatch: {e}");
        return ExitCode::from(1);
    }

    let mut exit = 0u8;
    let stdout = std::io::stdout();
    let mut w = stdout.lock();
    let many = inputs.len() > 1;
    let one = |input: &Input| -> Option<checkpatch::Outcome> {
        (!input.bytes.is_empty()).then(|| check(input, &a.opts))
    };
    // The inputs are checked on every core (or --jobs threads), the largest first, and
    // reported in their order.
    let mut order: Vec<usize> = (0..inputs.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(inputs[i].bytes.len()));
    // checkpatch.pl's %camelcase is one for the whole run: a word is reported by the
    // first input that has it, and one that an earlier input's file defines is not.
    let mut camelcase: std::collections::HashSet<String> = std::collections::HashSet::new();
    for (input, outcome) in inputs.iter().zip(in_parallel(&inputs, &order, a.jobs, one)) {
        let Some(mut outcome) = outcome else {
            continue;
        };
        outcome
            .findings
            .retain(|f| f.kind != "CAMELCASE" || camelcase.insert(f.msg.clone()));
        for w in &outcome.camelcase_seeds {
            camelcase.insert(format!("Avoid CamelCase: <{}>", String::from_utf8_lossy(w)));
        }
        let mut out = Vec::new();
        if many && !a.quiet {
            let bar = "-".repeat(input.name.len());
            out.extend_from_slice(format!("{bar}\n{}\n{bar}\n", input.name).as_bytes());
        }
        if !render(&a, input, &outcome, &mut out) {
            exit = 1;
        }
        let _ = w.write_all(&out);
    }
    // checkpatch.pl's C rules are mostly not implemented: C input is told so, never a
    // silent pass.
    let note = c_note(&inputs, &a.opts);
    if a.quiet {
        if let Some(n) = &note {
            eprintln!("checkpatch: {n}");
        }
    }
    if !a.quiet {
        if let Some(n) = &note {
            let _ = writeln!(w, "\n{n}");
        }
        if !a.opts.types.is_empty() {
            let words: Vec<&str> = a.opts.types.iter().map(String::as_str).collect();
            let _ = writeln!(w, "\nNOTE: Used message types: {}", words.join(" "));
        }
        if !a.opts.ignore.is_empty() {
            let words: Vec<&str> = a.opts.ignore.iter().map(String::as_str).collect();
            let _ = writeln!(w, "\nNOTE: Ignored message types: {}", words.join(" "));
        }
        if exit != 0 {
            let _ = write!(
                w,
                "\nNOTE: If any of the errors are false positives, please report\n      \
                 them to the maintainer, see CHECKPATCH in MAINTAINERS.\n"
            );
        }
    }
    ExitCode::from(exit)
}

/// Whether `name` is C (a `.c` or `.h` file).
fn is_c(name: &[u8]) -> bool {
    name.ends_with(b".c") || name.ends_with(b".h")
}

/// The note for C input: which of checkpatch.pl's message types were not checked (those
/// of `--types` only, when given). `None` when no input is C or all were checked.
fn c_note(inputs: &[Input], opts: &Options) -> Option<String> {
    let c_input = inputs.iter().any(|i| {
        if i.is_file {
            return is_c(i.name.as_bytes());
        }
        // A patch that touches C: a `+++ ` line of a .c or .h file.
        memchr::memmem::find_iter(&i.bytes, b"\n+++ ").any(|p| {
            let line = &i.bytes[p + 5..];
            let end = line
                .iter()
                .position(|&b| b == b'\n' || b == b'\t')
                .unwrap_or(line.len());
            is_c(line[..end].trim_ascii_end())
        })
    });
    if !c_input {
        return None;
    }
    let missing: Vec<&str> = NOT_IMPLEMENTED
        .iter()
        .copied()
        .filter(|t| opts.types.is_empty() || opts.types.contains(*t))
        .filter(|t| !opts.ignore.contains(*t))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let named = if opts.types.is_empty() {
        // The most frequent on kernel C (the C corpus of Documentation/checkpatch.rst,
        // checkpatch.pl's findings per TYPE, most first) that are not implemented.
        const FREQUENT: &[&str] = &[
            "SPACING",
            "UNSPECIFIED_INT",
            "BRACES",
            "POINTER_LOCATION",
            "UNNECESSARY_PARENTHESES",
            "CAMELCASE",
            "PREFER_KERNEL_TYPES",
            "MACRO_ARG_PRECEDENCE",
            "MACRO_ARG_REUSE",
            "FUNCTION_ARGUMENTS",
            "ASSIGN_IN_IF",
            "UNCOMMENTED_DEFINITION",
            "MULTIPLE_ASSIGNMENTS",
            "TRAILING_STATEMENTS",
            "ALLOC_SIZEOF_STRUCT",
            "MACRO_ARG_UNUSED",
            "COMPLEX_MACRO",
            "EMBEDDED_FUNCTION_NAME",
            "UNNECESSARY_ELSE",
            "OPEN_BRACE",
            "EXPORT_SYMBOL",
            "SUSPECT_CODE_INDENT",
            "STATIC_CONST_CHAR_ARRAY",
            "SYMBOLIC_PERMS",
            "UNDOCUMENTED_SETUP",
            "TABSTOP",
            "UNNECESSARY_KERN_LEVEL",
            "NEW_TYPEDEFS",
        ];
        let mut named: Vec<&str> = FREQUENT
            .iter()
            .copied()
            .filter(|t| missing.contains(t))
            .take(7)
            .collect();
        named.push("...");
        named.join(", ")
    } else {
        missing.join(", ")
    };
    Some(format!(
        "NOTE: C input: {} of checkpatch.pl's message types are not implemented by this tool \
         and were not checked ({named}): run the kernel's scripts/checkpatch.pl as well \
         (the C input section of this tool's checkpatch.rst lists them)",
        missing.len()
    ))
}
