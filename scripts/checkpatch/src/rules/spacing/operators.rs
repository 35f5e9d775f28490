// SPDX-License-Identifier: GPL-2.0 OR MIT

//! SPACING: checkpatch.pl's operator loop (`# Check operator spacing.`): each operator's
//! context and the checks of its if/elsif chain, with their fixes.

use super::*;

/// The operator loop's `$ops` (and `;`), in the regex's order.
#[cfg(test)]
pub(super) const OPS: &[&[u8]] = &[
    b"<<=", b">>=", b"<=", b">=", b"==", b"!=", b"+=", b"-=", b"*=", b"/=", b"%=", b"^=", b"|=",
    b"&=", b"=>", b"->", b"<<", b">>", b"<", b">", b"=", b"!", b"~", b"&&", b"||", b",", b"^",
    b"++", b"--", b"&", b"|", b"+", b"-", b"*", b"/", b"%", b"?:", b"?", b":", b";",
];

/// The first of [`OPS`] at the start of `cur`: each comes before every shorter one it
/// starts with, so that is the longest.
pub(super) fn split_op(cur: &[u8]) -> Option<usize> {
    match cur {
        [b'<', b'<', b'=', ..] | [b'>', b'>', b'=', ..] => Some(3),
        [b'<' | b'>' | b'=' | b'!' | b'+' | b'-', b'=', ..]
        | [b'*' | b'/' | b'%' | b'^' | b'|' | b'&', b'=', ..]
        | [b'=' | b'-', b'>', ..]
        | [b'<', b'<', ..]
        | [b'>', b'>', ..]
        | [b'&', b'&', ..]
        | [b'|', b'|', ..]
        | [b'+', b'+', ..]
        | [b'-', b'-', ..]
        | [b'?', b':', ..] => Some(2),
        [b'<' | b'>' | b'=' | b'!' | b'~' | b',' | b'^' | b'&' | b'|' | b'+' | b'-', ..]
        | [b'*' | b'/' | b'%' | b'?' | b':' | b';', ..] => Some(1),
        _ => None,
    }
}

/// What one operator's checks report, with the fix each applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Verdict {
    SemiAfter,
    ArrowAround,
    CommaBefore,
    CommaAfter,
    UnaryBefore,
    UnaryAfter,
    IncOneSide,
    IncBefore,
    IncAfter,
    Preferred,
    PreferredBefore,
    Consistent,
    ColonBefore,
    Around(bool),
}

pub(super) struct OpSite<'a> {
    op: &'a [u8],
    var: u8,
    op_type: u8,
    a: u8,
    c: u8,
    ca: &'a [u8],
    cc: &'a [u8],
    has_next: bool,
}

/// `$cc =~ /\s*$Modifier\b/`: a modifier anywhere in `cc` with a word boundary after it.
pub(super) fn has_modifier(cc: &[u8]) -> bool {
    if find_bytes(cc, b"__aligned").is_some() || find_bytes(cc, b"__alloc_size").is_some() {
        return true;
    }
    (0..cc.len()).filter(|&j| maybe_modifier(cc, j)).any(|j| {
        modifier(cc, j)
            .into_iter()
            .any(|e| !cc.get(e).is_some_and(|&b| is_word(b)) && (e == 0 || is_word(cc[e - 1])))
    })
}

/// The checks of one operator, as checkpatch.pl's if/elsif chain.
pub(super) fn verdicts(o: &OpSite<'_>, strict: bool, lds: bool) -> Vec<Verdict> {
    use Verdict::*;
    let mut v = Vec::new();
    let (a, c, op) = (o.a, o.c, o.op);
    let wec = |x: u8| matches!(x, b'W' | b'E' | b'B' | b'C');
    if o.op_type != b'V'
        && ends_with_space(o.ca)
        && matches!(o.cc.get(skip_space(o.cc, 0)), Some(b',' | b')'))
    {
    } else if op == b";" {
        if !wec(c) && !o.cc.starts_with(b"\\") && !o.cc.starts_with(b";") {
            v.push(SemiAfter);
        }
    } else if op == b":" && o.var == b'B' {
    } else if op == b"->" {
        if a == b'W' || c == b'W' {
            v.push(ArrowAround);
        }
    } else if op == b"," {
        if a == b'W' {
            v.push(CommaBefore);
        }
        if !matches!(c, b'W' | b'E' | b'C') && !o.cc.starts_with(b"}") {
            v.push(CommaAfter);
        }
    } else if op == b"*" && o.var == b'_' {
    } else if op == b"!"
        || op == b"~"
        || (o.var == b'U' && matches!(op, b"*" | b"-" | b"&" | b"&&"))
    {
        let ca_end = [
            &b")"[..],
            b"!",
            b"~",
            b"*",
            b"-",
            b"&",
            b"|",
            b"++",
            b"--",
            b"{",
        ];
        if !wec(a) && !ca_end.iter().any(|e| o.ca.ends_with(e)) {
            v.push(UnaryBefore);
        }
        if op == b"*" && has_modifier(o.cc) {
        } else if c == b'W' {
            v.push(UnaryAfter);
        }
    } else if op == b"++" || op == b"--" {
        let one = matches!(a, b'W' | b'E' | b'O' | b'B' | b'C') && c != b'W';
        let two = a != b'W' && matches!(c, b'W' | b'O' | b'B' | b'E' | b'C');
        if !one && !two {
            v.push(IncOneSide);
        }
        if a == b'W' && (matches!(c, b'B' | b'E') || o.cc.starts_with(b";")) {
            v.push(IncBefore);
        }
        if a == b'E' && c == b'W' {
            v.push(IncAfter);
        }
    } else if matches!(
        op,
        b"<<" | b">>" | b"&" | b"^" | b"|" | b"+" | b"-" | b"*" | b"/" | b"%"
    ) {
        if strict {
            if o.has_next && !(matches!(a, b'E' | b'W') && matches!(c, b'E' | b'W')) {
                v.push(Preferred);
            } else if !(o.has_next || a == b'W' && matches!(c, b'O' | b'E')) {
                v.push(PreferredBefore);
            }
        } else if (a == b'W' && !matches!(c, b'W' | b'C' | b'E'))
            || (!matches!(a, b'W' | b'C' | b'E') && c == b'W')
        {
            v.push(Consistent);
        }
    } else if op == b":" && matches!(o.var, b'C' | b'L') {
        if a == b'W' && !lds {
            v.push(ColonBefore);
        }
    } else if !(matches!(a, b'E' | b'W' | b'C') && matches!(c, b'C' | b'W' | b'E')) {
        let mut ok = false;
        if op == b"<" && email_after(o.cc) {
            ok = true;
        }
        if op == b">" && email_before(o.ca) {
            ok = true;
        }
        if op == b":" && (o.ca.ends_with(b":") || o.cc.starts_with(b":")) {
            ok = true;
        }
        if !ok {
            let chk = matches!(op, b"?:" | b"?" | b":") && a == b'V' && c == b'V';
            v.push(Around(chk));
        }
    }
    v
}

/// `$cc =~ /^\S+\@\S+>/`.
pub(super) fn email_after(cc: &[u8]) -> bool {
    let n = cc.iter().take_while(|&&b| !is_space(b)).count();
    let t = &cc[..n];
    // \S+ @ \S+ > within the first run of non-space bytes.
    t.iter()
        .enumerate()
        .any(|(k, &b)| b == b'@' && k > 0 && t[k + 1..].iter().skip(1).any(|&x| x == b'>'))
}

/// `$ca =~ /<\S+\@\S+$/`.
pub(super) fn email_before(ca: &[u8]) -> bool {
    let n = ca.iter().rev().take_while(|&&b| !is_space(b)).count();
    let t = &ca[ca.len() - n..];
    t.iter().enumerate().any(|(k, &b)| {
        b == b'<'
            && t[k + 1..]
                .iter()
                .enumerate()
                .any(|(j, &x)| x == b'@' && j > 0 && k + 1 + j + 1 < t.len())
    })
}

/// The operator loop (`# Check operator spacing.`).
pub(super) fn operators(
    c: &mut Checker<'_>,
    l: &Line<'_>,
    opline: &[u8],
    (values, vars): (&[Vec<u8>; 2], &[Vec<u8>; 2]),
    file: &str,
    here: &str,
    learned: &Rc<Learned>,
) {
    // split(/($ops|;)/, $opline), trailing empty field dropped.
    let mut elements: Vec<(usize, usize)> = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < opline.len() {
        if let Some(n) = split_op(&opline[i..]) {
            elements.push((start, i));
            elements.push((i, i + n));
            i += n;
            start = i;
        } else {
            i += 1;
        }
    }
    elements.push((start, opline.len()));
    if elements.last().is_some_and(|&(a, b)| a == b) {
        elements.pop();
    }
    if elements.len() < 2 {
        return;
    }
    let raw = l.raw;
    // The fixed line is only built for --fix.
    let fixing = c.opts.fix;
    let mut fix_el: Vec<Vec<u8>> = if fixing {
        elements
            .iter()
            .map(|&(a, b)| raw.get(a..b.min(raw.len())).unwrap_or(&[]).to_vec())
            .collect()
    } else {
        Vec::new()
    };
    let el = |k: usize| &opline[elements[k].0..elements[k].1];
    let lds = file.ends_with(".lds.h");
    let mut fixed_line: Vec<u8> = Vec::new();
    let mut line_fixed = false;
    let mut last_after: isize = -1;
    let last = elements.len() - 1;
    let mut n = 0;
    while n < last {
        let mut good = if fixing {
            [fix_el[n].as_slice(), fix_el[n + 1].as_slice()].concat()
        } else {
            Vec::new()
        };
        let off = elements[n + 1].0;
        let op = el(n + 1);
        let ca = &opline[..off];
        let cc = &opline[(off + op.len()).min(opline.len())..];
        let en = el(n);
        let mut a = b'V';
        if en.is_empty() {
            a = b'O';
        } else {
            if ends_with_space(en) {
                a = b'W';
            }
            if en.last() == Some(&COMMENT_BYTE) {
                a = b'C';
            }
            if matches!(en.last(), Some(b'[' | b'(')) {
                a = b'B';
            }
        }
        if ca.iter().all(|&b| is_space(b)) {
            a = b'E';
        }
        let has_next = n + 2 <= last;
        let cx = if has_next {
            let nx = el(n + 2);
            let mut cx = b'V';
            if nx.is_empty() {
                cx = b'O';
            } else {
                if is_space(nx[0]) {
                    cx = b'W';
                }
                if nx[0] == COMMENT_BYTE {
                    cx = b'C';
                }
                if matches!(nx[0], b')' | b']' | b';') {
                    cx = b'B';
                }
            }
            // ^\s*\\$
            let t = ltrim(nx);
            if t == b"\\" {
                cx = b'E';
            }
            cx
        } else {
            b'E'
        };
        let site = |mode: usize| OpSite {
            op,
            var: vars[mode].get(off).copied().unwrap_or(b'_'),
            op_type: values[mode].get(off + 1).copied().unwrap_or(b'_'),
            a,
            c: cx,
            ca,
            cc,
            has_next,
        };
        let v0 = verdicts(&site(0), c.opts.strict, lds);
        let v1 = with_learned(Some(learned), || verdicts(&site(1), c.opts.strict, lds));
        let found = if v0 == v1 { v0 } else { Vec::new() };
        if found.is_empty() {
            fixed_line.extend_from_slice(&good);
            n += 2;
            continue;
        }
        let at = format!("(ctx:{}x{})", a as char, cx as char);
        let opstr = text(op);
        let ptr = format!("{}^", &copy_spacing(opline)[..off]);
        let ctx = || {
            vec![
                here.as_bytes().to_vec(),
                raw.to_vec(),
                ptr.clone().into_bytes(),
            ]
        };
        let mut rtrim_before = false;
        let mut space_after = false;
        for v in found {
            use Verdict::*;
            let (level, msg) = match v {
                SemiAfter => (
                    Level::Error,
                    format!("space required after that '{opstr}' {at}"),
                ),
                ArrowAround => (
                    Level::Error,
                    format!("spaces prohibited around that '{opstr}' {at}"),
                ),
                CommaBefore => (
                    Level::Error,
                    format!("space prohibited before that '{opstr}' {at}"),
                ),
                CommaAfter => (
                    Level::Error,
                    format!("space required after that '{opstr}' {at}"),
                ),
                UnaryBefore => (
                    Level::Error,
                    format!("space required before that '{opstr}' {at}"),
                ),
                UnaryAfter => (
                    Level::Error,
                    format!("space prohibited after that '{opstr}' {at}"),
                ),
                IncOneSide => (
                    Level::Error,
                    format!("space required one side of that '{opstr}' {at}"),
                ),
                IncBefore => (
                    Level::Error,
                    format!("space prohibited before that '{opstr}' {at}"),
                ),
                IncAfter => (
                    Level::Error,
                    format!("space prohibited after that '{opstr}' {at}"),
                ),
                Preferred => (
                    Level::Check,
                    format!("spaces preferred around that '{opstr}' {at}"),
                ),
                PreferredBefore => (
                    Level::Check,
                    format!("space preferred before that '{opstr}' {at}"),
                ),
                Consistent => (
                    Level::Error,
                    format!("need consistent spacing around '{opstr}' {at}"),
                ),
                ColonBefore => (
                    Level::Error,
                    format!("space prohibited before that '{opstr}' {at}"),
                ),
                Around(chk) => (
                    if chk { Level::Check } else { Level::Error },
                    format!("spaces required around that '{opstr}' {at}"),
                ),
            };
            if !c.report(
                level,
                "SPACING",
                msg,
                file,
                l.report_line,
                l.realline,
                ctx(),
            ) || !fixing
            {
                continue;
            }
            let fe_n = fix_el[n].clone();
            let fe_op = fix_el[n + 1].clone();
            let mut ltrim_next = false;
            match v {
                SemiAfter | IncOneSide => {
                    good = [fe_n.as_slice(), trim(&fe_op), b" "].concat();
                    line_fixed = true;
                }
                ArrowAround => {
                    good = [rtrim(&fe_n), trim(&fe_op)].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                CommaBefore => {
                    line_fixed = true;
                    rtrim_before = true;
                }
                CommaAfter => {
                    line_fixed = true;
                    last_after = n as isize;
                    space_after = true;
                }
                UnaryBefore => {
                    if n as isize != last_after + 2 {
                        good = [fe_n.as_slice(), b" ", ltrim(&fe_op)].concat();
                        line_fixed = true;
                    }
                }
                UnaryAfter => {
                    good = [fe_n.as_slice(), rtrim(&fe_op)].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                IncBefore | ColonBefore => {
                    good = [rtrim(&fe_n), trim(&fe_op)].concat();
                    line_fixed = true;
                }
                IncAfter => {
                    good = [fe_n.as_slice(), trim(&fe_op)].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                Preferred | Consistent | Around(_) => {
                    good = [rtrim(&fe_n), b" ", trim(&fe_op), b" "].concat();
                    ltrim_next = true;
                    line_fixed = true;
                }
                PreferredBefore => {
                    good = [rtrim(&fe_n), b" ", trim(&fe_op)].concat();
                    line_fixed = true;
                }
            }
            if ltrim_next && n + 2 < fix_el.len() {
                let t = ltrim(&fix_el[n + 2]).to_vec();
                fix_el[n + 2] = t;
            }
        }
        if fixing && (rtrim_before || space_after) {
            good = if rtrim_before {
                [rtrim(&fix_el[n]), trim(&fix_el[n + 1])].concat()
            } else {
                [fix_el[n].as_slice(), trim(&fix_el[n + 1])].concat()
            };
            if space_after {
                good.push(b' ');
            }
        }
        fixed_line.extend_from_slice(&good);
        n += 2;
    }
    if fixing && last.is_multiple_of(2) {
        fixed_line.extend_from_slice(&fix_el[last]);
    }
    if line_fixed {
        if let Some(f) = c.fix_line() {
            if *f != fixed_line {
                *f = fixed_line;
            }
        }
    }
}
