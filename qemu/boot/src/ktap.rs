// SPDX-License-Identifier: GPL-2.0 OR MIT

//! What the scenario and client suites share: their KTAP report, the macros that fail a
//! test with a diagnostic on UART0, and the bus configuration they run at.

use core::fmt::Write as _;

use sifive_i2c::{BusSpeed, Config};

use crate::board::{self, Uart};

/// A test's result; the diagnostic has been printed when it is `Err`.
pub(crate) type Check = Result<(), ()>;

/// Prints a diagnostic and fails the test when `cond` does not hold.
macro_rules! ensure {
    ($cond:expr, $($arg:tt)*) => {
        if !$cond {
            use core::fmt::Write as _;
            let _ = write!($crate::board::Uart, "    # {}:{}: ", file!(), line!());
            let _ = writeln!($crate::board::Uart, $($arg)*);
            return Err(());
        }
    };
}

/// Unwraps a result or fails the test with its error.
macro_rules! check {
    ($result:expr, $what:expr) => {
        match $result {
            Ok(v) => v,
            Err(e) => {
                use core::fmt::Write as _;
                let _ = writeln!(
                    $crate::board::Uart,
                    "    # {}:{}: {}: {:?}",
                    file!(),
                    line!(),
                    $what,
                    e
                );
                return Err(());
            }
        }
    };
}

pub(crate) use {check, ensure};

/// The suites' bus: 400 kHz from the board's clock.
pub(crate) fn config() -> Config {
    Config::new(board::TLCLK_HZ, BusSpeed::Fast)
}

/// KTAP output.
pub(crate) struct Ktap {
    n: u32,
    pub(crate) failed: u32,
}

impl Ktap {
    /// Prints the header and the plan of `n` tests.
    pub(crate) fn plan(n: u32) -> Self {
        let _ = writeln!(Uart, "KTAP version 1");
        let _ = writeln!(Uart, "1..{n}");
        Self { n: 0, failed: 0 }
    }

    /// Prints the result of the next test, `prefix_name` (`name` alone without a prefix).
    pub(crate) fn case(&mut self, prefix: &str, name: &str, check: Check) {
        self.n += 1;
        let sep = if prefix.is_empty() { "" } else { "_" };
        if check.is_ok() {
            let _ = writeln!(Uart, "ok {} {prefix}{sep}{name}", self.n);
        } else {
            self.failed += 1;
            let _ = writeln!(Uart, "not ok {} {prefix}{sep}{name}", self.n);
        }
    }
}

/// Reports a suite number the image does not know; returns its one failure.
pub(crate) fn unknown_suite(suite: u32) -> u32 {
    let _ = writeln!(
        Uart,
        "KTAP version 1\n1..0\nBail out! unknown suite {suite:#x}"
    );
    1
}
