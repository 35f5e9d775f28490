// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Integrity soak on the emulated board (scripts/soak-qemu): random transactions on QEMU's
//! AT24C EEPROM while the script sets the model's fault properties over QMP at run time.
//! The EEPROM must equal a reference that applies exactly the writes the driver reported as
//! completed; a write that failed may have stored the bytes acknowledged before it failed,
//! so each byte it addressed must read back old or new.

use core::fmt::Write as _;

use embedded_hal::i2c::Operation;
use sifive_i2c::{BusSpeed, Config, Error};

use crate::board::{self, Uart};
use crate::modes::{Bus, Mode};

const EEPROM: u8 = 0x50;
/// Transactions per boot.
const TRANSACTIONS: u32 = 100;
/// Guest time between transactions.
const PAUSE_US: u32 = 5_000;

/// xorshift32: a reproducible stream of pseudo-random numbers.
struct Rng(u32);

impl Rng {
    fn below(&mut self, n: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 % n
    }
}

/// Reads `buf.len()` bytes at `at`, retrying a failed transfer (faults strike at any time).
fn read_at(bus: &mut Bus, at: u8, buf: &mut [u8]) -> Result<(), Error> {
    let mut last = Ok(());
    for _ in 0..10 {
        last = bus.transaction(EEPROM, &mut [Operation::Write(&[at]), Operation::Read(buf)]);
        if last.is_ok() {
            return last;
        }
        let _ = bus.recover_bus();
    }
    last
}

/// Runs soak boot `suite` (0x1000 + seed); returns the number of failed tests.
pub(crate) fn run(suite: u32) -> u32 {
    let seed = suite & 0xfff;
    let mode = [Mode::Polling, Mode::Interrupt, Mode::AsyncOneshot][(seed % 3) as usize];
    let _ = writeln!(Uart, "KTAP version 1\n1..1");
    let ok = soak(seed, mode);
    let verdict = if ok { "ok" } else { "not ok" };
    let _ = writeln!(Uart, "{verdict} 1 soak_{}", mode.name());
    u32::from(!ok)
}

fn soak(seed: u32, mode: Mode) -> bool {
    let config = Config::new(board::TLCLK_HZ, BusSpeed::Fast).with_poll_budget(5_000);
    let Ok(mut bus) = Bus::new(mode, config) else {
        let _ = writeln!(Uart, "# setup failed");
        return false;
    };
    let mut rng = Rng(0x9e37_79b9 ^ (seed.wrapping_mul(0x85eb_ca6b) | 1));
    // The reference starts as the EEPROM is.
    let mut reference = [0u8; 256];
    for chunk in 0..16u8 {
        let at = chunk * 16;
        let slot = &mut reference[usize::from(at)..usize::from(at) + 16];
        if read_at(&mut bus, at, slot).is_err() {
            let _ = writeln!(Uart, "# the first read-back failed ten times");
            return false;
        }
    }
    let (mut mismatches, mut errors) = (0u32, 0u32);
    for n in 0..TRANSACTIONS {
        // Leave the script time to set faults between transactions.
        board::delay_us(PAUSE_US);
        if rng.below(2) == 0 {
            // A write within one 8-byte page.
            let off = rng.below(8) as u8;
            let word = (rng.below(32) as u8) * 8 + off;
            let len = 1 + rng.below(u32::from(8 - off)) as usize;
            let mut bytes = [0u8; 9];
            bytes[0] = word;
            for b in &mut bytes[1..=len] {
                *b = rng.below(256) as u8;
            }
            match bus.transaction(EEPROM, &mut [Operation::Write(&bytes[..=len])]) {
                Ok(()) => {
                    for (i, &b) in bytes[1..=len].iter().enumerate() {
                        reference[usize::from(word) + i] = b;
                    }
                }
                Err(e) => {
                    errors += 1;
                    let _ = bus.recover_bus();
                    let mut back = [0u8; 8];
                    if read_at(&mut bus, word, &mut back[..len]).is_err() {
                        let _ = writeln!(Uart, "# transaction {n}: read-back after {e:?} failed");
                        return false;
                    }
                    for i in 0..len {
                        let a = usize::from(word) + i;
                        if back[i] == bytes[1 + i] {
                            reference[a] = back[i];
                        } else if back[i] != reference[a] {
                            mismatches += 1;
                            let _ = writeln!(
                                Uart,
                                "# transaction {n}: {a:#04x} reads {:#04x}, neither old nor new",
                                back[i]
                            );
                            reference[a] = back[i];
                        }
                    }
                }
            }
        } else {
            let len = 1 + rng.below(16) as usize;
            let word = rng.below(256 - len as u32) as u8;
            let mut buf = [0u8; 16];
            match bus.transaction(
                EEPROM,
                &mut [Operation::Write(&[word]), Operation::Read(&mut buf[..len])],
            ) {
                Ok(()) => {
                    for (i, &b) in buf[..len].iter().enumerate() {
                        let a = usize::from(word) + i;
                        if b != reference[a] {
                            mismatches += 1;
                            let _ = writeln!(
                                Uart,
                                "# transaction {n}: read {b:#04x} at {a:#04x}, expected {:#04x}",
                                reference[a]
                            );
                        }
                    }
                }
                Err(_) => {
                    errors += 1;
                    let _ = bus.recover_bus();
                }
            }
        }
    }
    // The whole array, once more.
    let mut back = [0u8; 16];
    for chunk in 0..16u8 {
        let at = chunk * 16;
        if read_at(&mut bus, at, &mut back).is_err() {
            let _ = writeln!(Uart, "# the final read-back failed ten times");
            return false;
        }
        for (i, &b) in back.iter().enumerate() {
            if b != reference[usize::from(at) + i] {
                mismatches += 1;
            }
        }
    }
    let _ = writeln!(
        Uart,
        "# soak: {TRANSACTIONS} transactions, {errors} errors, {mismatches} mismatches"
    );
    mismatches == 0
}
