// SPDX-License-Identifier: GPL-2.0 OR MIT

//! MAINTAINERS_STYLE: the added lines of a MAINTAINERS file, as checkpatch.pl checks
//! them: one tab after the entry's type letter, a known type, the types in the
//! preferred order and the file patterns (`F:`, `X:`) in alphabetic order.

use super::*;

/// The entry types in checkpatch.pl's `$preferred_order`.
const PREFERRED_ORDER: &[u8] = b"MRLSWQBCPTFXNK";

/// An entry line, `[+ ]T:` (`prefix` is the first byte checkpatch.pl's pattern allows):
/// its type letter and its value (`T:\s*(.*)`).
fn entry<'a>(raw: &'a [u8], prefix: &[u8]) -> Option<(u8, &'a [u8])> {
    match raw {
        [p, t, b':', rest @ ..] if prefix.contains(p) && t.is_ascii_uppercase() => {
            let n = rest.iter().take_while(|&&b| is_space(b)).count();
            Some((*t, &rest[n..]))
        }
        _ => None,
    }
}

/// Line `at` of a file named MAINTAINERS (`prev_raw`: checkpatch.pl's `$prevrawline`).
pub(super) fn maintainers_style(c: &mut Checker<'_>, at: &At<'_>, prev_raw: &[u8]) {
    if at.realfile != "MAINTAINERS" {
        return;
    }
    let Some((cur, cur_val)) = entry(at.raw, b"+") else {
        return;
    };
    // /^\+[A-Z]:\t\S/: one tab, then the value.
    let one_tab = at.raw.get(3) == Some(&b'\t') && at.raw.get(4).is_some_and(|&b| !is_space(b));
    if !one_tab
        && c.report_at(
            at,
            Level::Warning,
            "MAINTAINERS_STYLE",
            "MAINTAINERS entries use one tab after TYPE:".into(),
            at.herecurr(),
        )
    {
        // s/^(\+[A-Z]):\s*/$1:\t/
        if let Some(line) = c.fix_line() {
            let n = line[3..].iter().take_while(|&&b| is_space(b)).count();
            line.splice(3..3 + n, [b'\t']);
        }
    }

    let Some((prev, prev_val)) = entry(prev_raw, b"+ ") else {
        return;
    };
    let hereprev = || {
        vec![
            at.here_file().as_bytes().to_vec(),
            prev_raw.to_vec(),
            at.raw.to_vec(),
        ]
    };
    let cur_index = PREFERRED_ORDER.iter().position(|&t| t == cur);
    let prev_index = PREFERRED_ORDER.iter().position(|&t| t == prev);
    let Some(cur_index) = cur_index else {
        c.report_at(
            at,
            Level::Warning,
            "MAINTAINERS_STYLE",
            format!("Unknown MAINTAINERS entry type: '{}'", cur as char),
            at.herecurr(),
        );
        return;
    };
    if prev_index.is_some_and(|p| cur_index < p) {
        c.report_at(
            at,
            Level::Warning,
            "MAINTAINERS_STYLE",
            format!(
                "Misordered MAINTAINERS entry - list '{}:' before '{}:'",
                cur as char, prev as char
            ),
            hereprev(),
        );
    } else if cur == prev && (cur == b'F' || cur == b'X') && prev_val > cur_val {
        // Perl's `cmp` on the values: byte order.
        c.report_at(
            at,
            Level::Warning,
            "MAINTAINERS_STYLE",
            "Misordered MAINTAINERS entry - list file patterns in alphabetic order".into(),
            hereprev(),
        );
    }
}
