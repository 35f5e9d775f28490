// SPDX-License-Identifier: GPL-2.0 OR MIT

//! C names: CAMELCASE, checkpatch.pl's "Specific variable tests" on the constants and
//! lvalues of an added line.
//!
//! checkpatch.pl reports a CamelCase word once per process (its `%camelcase`, shared by
//! every file it is given); the tool reports it once per input, and the front end drops
//! the findings of words an earlier input reported (main.rs). checkpatch.pl
//! also seeds `%camelcase` with the CamelCase names that `#define`s, typedefs,
//! declarations and `struct`s define: in a patch, those of the patched file when it is
//! there to read (relative to the current directory), and with a kernel tree those of
//! every header of `include/` (cached in a `.checkpatch-camelcase.*` file of the current
//! directory). This tool seeds from the patched file and from such cache files as
//! checkpatch.pl does, and reports nothing when the current directory has an `include/`
//! directory and a `.git` (it does not read the headers).

use super::c::CLine;
use super::c_types::{declare, ident, lval};
use super::*;

/// `[A-Z][a-z]|[a-z][A-Z]` somewhere in `s`.
fn camel(s: &[u8]) -> bool {
    s.windows(2).any(|w| {
        (w[0].is_ascii_uppercase() && w[1].is_ascii_lowercase())
            || (w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
    })
}

/// `$Int_type`, case ignored: `llu|ull|ll|lu|ul|l|u`, the first that matches at `i`.
fn int_type(s: &[u8], i: usize) -> usize {
    for t in [&b"llu"[..], b"ull", b"ll", b"lu", b"ul", b"l", b"u"] {
        if s.len() >= i + t.len() && s[i..i + t.len()].eq_ignore_ascii_case(t) {
            return i + t.len();
        }
    }
    i
}

fn digits(s: &[u8], i: usize, f: fn(&u8) -> bool) -> usize {
    i + s[i..].iter().take_while(|b| f(b)).count()
}

/// `$Constant` at `i` (`$Float|$Binary|$Octal|$Hex|$Int`, in that order): its end.
fn constant(s: &[u8], i: usize) -> Option<usize> {
    let dec = |i: usize| digits(s, i, u8::is_ascii_digit);
    let hex = |i: usize| digits(s, i, u8::is_ascii_hexdigit);
    let at = |i: usize, c: u8| s.get(i).is_some_and(|b| b.eq_ignore_ascii_case(&c));
    let fl = |i: usize| if at(i, b'f') || at(i, b'l') { i + 1 } else { i };
    // (?:e-?[0-9]+)
    let exp = |i: usize| {
        if at(i, b'e') {
            let j = if s.get(i + 1) == Some(&b'-') {
                i + 2
            } else {
                i + 1
            };
            let k = dec(j);
            (k > j).then_some(k)
        } else {
            None
        }
    };
    let x0 = s.get(i) == Some(&b'0') && at(i + 1, b'x');
    // $Float_hex: 0x[0-9a-f]+p-?[0-9]+[fl]?
    if x0 {
        let h = hex(i + 2);
        if h > i + 2 && at(h, b'p') {
            let j = if s.get(h + 1) == Some(&b'-') {
                h + 2
            } else {
                h + 1
            };
            let k = dec(j);
            if k > j {
                return Some(fl(k));
            }
        }
    }
    // $Float_dec: (?:[0-9]+\.[0-9]*|[0-9]*\.[0-9]+)(?:e-?[0-9]+)?[fl]?
    let d = dec(i);
    if s.get(d) == Some(&b'.') {
        let f = dec(d + 1);
        if d > i || f > d + 1 {
            let e = exp(f).unwrap_or(f);
            return Some(fl(e));
        }
    }
    // $Float_int: [0-9]+e-?[0-9]+[fl]?
    if d > i {
        if let Some(e) = exp(d) {
            return Some(fl(e));
        }
    }
    // $Binary: 0b[01]+
    if s.get(i) == Some(&b'0') && at(i + 1, b'b') {
        let b = digits(s, i + 2, |c| *c == b'0' || *c == b'1');
        if b > i + 2 {
            return Some(int_type(s, b));
        }
    }
    // $Octal: 0[0-7]+
    if s.get(i) == Some(&b'0') {
        let o = digits(s, i + 1, |c| (b'0'..=b'7').contains(c));
        if o > i + 1 {
            return Some(int_type(s, o));
        }
    }
    // $Hex
    if x0 {
        let h = hex(i + 2);
        if h > i + 2 {
            return Some(int_type(s, h));
        }
    }
    (d > i).then(|| int_type(s, d))
}

/// `^(?:[a-z0-9_]*|[A-Z0-9_]*)?_?[a-z][A-Z](?:_[a-z0-9_]+|_[A-Z0-9_]+)?$`: an SI-style
/// name (`max_uV`, `RANGE_mA_VALUE`).
fn si_style(v: &[u8]) -> bool {
    let lower = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_';
    let upper = |b: &u8| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_';
    // The `[a-z][A-Z]` pair at k, with a prefix before it and a suffix after it.
    (0..v.len().saturating_sub(1)).any(|k| {
        if !(v[k].is_ascii_lowercase() && v[k + 1].is_ascii_uppercase()) {
            return false;
        }
        let pre = &v[..k];
        let pre = pre.strip_suffix(b"_").map_or(vec![pre], |p| vec![pre, p]);
        let pre_ok = pre
            .iter()
            .any(|p| p.iter().all(lower) || p.iter().all(upper));
        let rest = &v[k + 2..];
        let post_ok = rest.is_empty()
            || (rest[0] == b'_'
                && rest.len() > 1
                && (rest[1..].iter().all(lower) || rest[1..].iter().all(upper)));
        pre_ok && post_ok
    })
}

/// `^(?:[a-z_]*?)_?(?:[KMGT]iB|[KMGT]?Hz)(?:_[a-z_]+)?$`: a name with a unit (`size_MiB`).
fn unit_style(v: &[u8]) -> bool {
    let low = |b: &u8| b.is_ascii_lowercase() || *b == b'_';
    (0..=v.len()).any(|k| {
        if !v[..k].iter().all(low) {
            return false;
        }
        let r = &v[k..];
        let r = r.strip_prefix(b"_").map_or(vec![r], |x| vec![r, x]);
        r.iter().any(|r| {
            let units: Vec<&[u8]> = {
                let mut u = Vec::new();
                if r.len() >= 3 && b"KMGT".contains(&r[0]) && &r[1..3] == b"iB" {
                    u.push(&r[3..]);
                }
                if r.len() >= 3 && b"KMGT".contains(&r[0]) && &r[1..3] == b"Hz" {
                    u.push(&r[3..]);
                }
                if r.starts_with(b"Hz") {
                    u.push(&r[2..]);
                }
                u
            };
            units
                .iter()
                .any(|t| t.is_empty() || (t[0] == b'_' && t.len() > 1 && t[1..].iter().all(low)))
        })
    })
}

/// checkpatch.pl's exceptions for a CamelCase `$var`.
fn exempt(v: &[u8]) -> bool {
    // ^(?:[A-Z]+_){1,5}[A-Z]{1,3}[a-z]
    let generated = {
        let mut p = 0;
        let mut parts = 0;
        let mut ok = false;
        loop {
            let u = v[p..].iter().take_while(|b| b.is_ascii_uppercase()).count();
            if u == 0 {
                break;
            }
            // After `parts` parts, [A-Z]{1,3}[a-z] here?
            if parts >= 1 && u <= 3 && v.get(p + u).is_some_and(u8::is_ascii_lowercase) {
                ok = true;
                break;
            }
            // A shorter [A-Z]{1,3} cannot be followed by [a-z] inside a run of capitals.
            if v.get(p + u) != Some(&b'_') || parts == 5 {
                break;
            }
            p += u + 1;
            parts += 1;
        }
        ok
    };
    let page = [&b"Clear"[..], b"Set", b"TestClear", b"TestSet", b""]
        .iter()
        .any(|pre| {
            v.strip_prefix(*pre)
                .and_then(|r| r.strip_prefix(b"Page"))
                .is_some_and(|r| r.first().is_some_and(u8::is_ascii_uppercase))
        });
    generated || page || v.starts_with(b"ETHTOOL_LINK_MODE_") || si_style(v) || unit_style(v)
}

/// checkpatch.pl's seed_camelcase_file on the lines of a file: the CamelCase names it
/// defines.
pub(crate) fn seed_from(text: &[u8], seen: &mut Vec<Vec<u8>>) {
    let camel_word = |s: &[u8], i: usize| -> Option<usize> {
        let e = i + s[i..].iter().take_while(|&&b| is_word(b)).count();
        (e > i && camel(&s[i..e])).then_some(e)
    };
    for line in text.split(|&b| b == b'\n') {
        if !camel(line) || line.len() > 1000 {
            continue;
        }
        let sp = |i: usize| i + line[i..].iter().take_while(|&&b| is_space(b)).count();
        let tabs = |i: usize| {
            i + line[i..]
                .iter()
                .take_while(|&&b| b == b' ' || b == b'\t')
                .count()
        };
        let mut add = |w: &[u8]| {
            if !seen.iter().any(|s| s == w) {
                seen.push(w.to_vec());
            }
        };
        // ^[ \t]*(?:#[ \t]*define|typedef\s+$Type)\s+(\w*(?:[A-Z][a-z]|[a-z][A-Z])\w*)
        let a = tabs(0);
        let mut heads = Vec::new();
        if line.get(a) == Some(&b'#') {
            let b = tabs(a + 1);
            if line[b..].starts_with(b"define") {
                heads.push(b + 6);
            }
        }
        if line[a..].starts_with(b"typedef") && sp(a + 7) > a + 7 {
            heads.extend(super::c_types::c_type(line, sp(a + 7)));
        }
        let first = heads.into_iter().find_map(|h| {
            let w = sp(h);
            (w > h)
                .then(|| camel_word(line, w).map(|e| &line[w..e]))
                .flatten()
        });
        if let Some(w) = first {
            add(w);
            continue;
        }
        // ^\s*$Declare\s+(\w*(?:[A-Z][a-z]|[a-z][A-Z])\w*)\s*[\(\[,;]
        let a = sp(0);
        let decl = declare(line, a).into_iter().find_map(|e| {
            let w = sp(e);
            let end = camel_word(line, w).filter(|_| w > e)?;
            matches!(line.get(sp(end)), Some(b'(' | b'[' | b',' | b';')).then(|| &line[w..end])
        });
        if let Some(w) = decl {
            add(w);
            continue;
        }
        // ^\s*(?:union|struct|enum)\s+(\w*(?:[A-Z][a-z]|[a-z][A-Z])\w*)\s*[;\{]
        for kw in [&b"union"[..], b"struct", b"enum"] {
            if line[a..].starts_with(kw) {
                let w = sp(a + kw.len());
                if let Some(end) = camel_word(line, w).filter(|_| w > a + kw.len()) {
                    if matches!(line.get(sp(end)), Some(b';' | b'{')) {
                        add(&line[w..end]);
                    }
                }
            }
        }
    }
}

/// The words checkpatch.pl's seed_camelcase_includes gives every input, from the
/// current directory: those of its `.checkpatch-camelcase.*` cache files (all of them: a
/// superset of the one it reads). None when it may seed from the headers of `include/`
/// (an `include/` directory beside a `.git` or a `scripts/checkpatch.pl`): the tool does
/// not read them, and so reports no CamelCase there rather than too much.
fn env_seeds() -> Option<&'static Vec<Vec<u8>>> {
    static SEEDS: std::sync::OnceLock<Option<Vec<Vec<u8>>>> = std::sync::OnceLock::new();
    SEEDS
        .get_or_init(|| {
            let p = std::path::Path::new;
            if p("include").is_dir() && (p(".git").exists() || p("scripts/checkpatch.pl").exists())
            {
                return None;
            }
            let mut out = Vec::new();
            for e in std::fs::read_dir(".").into_iter().flatten().flatten() {
                if e.file_name()
                    .to_string_lossy()
                    .starts_with(".checkpatch-camelcase.")
                {
                    if let Ok(t) = std::fs::read(e.path()) {
                        out.extend(
                            t.split(|&b| b == b'\n')
                                .filter(|w| !w.is_empty())
                                .map(<[u8]>::to_vec),
                        );
                    }
                }
            }
            Some(out)
        })
        .as_ref()
}

/// CAMELCASE (CHECK): a CamelCase word in an lvalue of an added line of a .c or .h file,
/// once per word (`seen` is checkpatch.pl's `%camelcase` for this input).
pub(super) fn camelcase(c: &mut Checker<'_>, fs: &FileState, l: &CLine<'_>, here: &str) {
    let s = l.body;
    if s.len() > 1000 || !camel(s) || !c.opts.strict {
        return;
    }
    let Some(env) = env_seeds() else {
        return;
    };
    // while ($line =~ m{($Constant|$Lval)}g)
    let mut i = 0;
    while i < s.len() {
        if let Some(e) = constant(s, i).filter(|&e| e > i) {
            i = e;
            continue;
        }
        let Some(e) = lval(s, i).into_iter().max() else {
            i += 1;
            continue;
        };
        let var = &s[i..e];
        i = e;
        if !camel(var) || exempt(var) {
            continue;
        }
        // while ($var =~ m{\b($Ident)}g)
        let mut k = 0;
        while k < var.len() {
            let start = (k == 0 || !is_word(var[k - 1])) && is_word(var[k]);
            let Some(end) = start.then(|| ident(var, k).into_iter().max()).flatten() else {
                k += 1;
                continue;
            };
            let word = &var[k..end];
            k = end;
            if !camel(word) {
                continue;
            }
            // seed_camelcase_file($realfile), once per input, in a patch.
            if !c.file_mode && !c.camelcase_file_seeded {
                c.camelcase_file_seeded = true;
                if let Ok(t) = std::fs::read(&fs.realfile) {
                    let mut seeds = std::mem::take(&mut c.out.camelcase_seeds);
                    seed_from(&t, &mut seeds);
                    c.out.camelcase_seeds = seeds;
                }
            }
            let known = |v: &[Vec<u8>]| v.iter().any(|w| w == word);
            if known(env) || known(&c.out.camelcase_seeds) || known(&c.camelcase) {
                continue;
            }
            c.camelcase.push(word.to_vec());
            c.report(
                Level::Check,
                "CAMELCASE",
                format!("Avoid CamelCase: <{}>", text(word)),
                &fs.realfile,
                l.report_line,
                l.realline,
                l.curr(here),
            );
        }
    }
}
