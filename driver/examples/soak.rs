// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Integrity soak on the host model: random transactions on a 24C02 EEPROM interleaved with
//! injected faults; after each one the EEPROM must equal a reference that applies exactly
//! the writes the driver reported as completed.
//!
//! A write that failed may have reached the target in part (I2C has no transactions: the
//! bytes acknowledged before a NACK or an arbitration loss are stored). So after a failed
//! write each byte it addressed must hold either its old value or the value the write
//! carried; any other value, any difference elsewhere, a completed write not stored, or a
//! completed read that differs from the reference is a mismatch.
//!
//! Usage: `cargo run --release -p sifive-i2c --example soak -- [TRANSACTIONS] [SEED]`.
//! Prints the counts and the mismatches, and exits non-zero if there is one.

use embedded_hal::i2c::Operation;
use sifive_i2c::{Address, BusSpeed, Config, I2c};
use sifive_i2c_hal::model::{Eeprom24c02, Fault, Model};

const EEPROM: u8 = 0x50;

/// xorshift64: a reproducible stream of pseudo-random numbers.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Where each data byte of a page write to `word` lands (the 24C02 wraps in 8-byte pages).
fn page_addresses(word: u8, n: usize) -> Vec<u8> {
    let page = word & !7;
    (0..n)
        .map(|i| page | (word.wrapping_add(i as u8) & 7))
        .collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let total: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(0x5eed);
    let mut rng = Rng(seed | 1);

    let mut model = Model::new();
    model.attach(EEPROM, Eeprom24c02::new());
    let config = Config::new(500_000_000, BusSpeed::Fast).with_poll_budget(200);
    let mut i2c = I2c::new(model, config).expect("configuration");
    let mut reference = [0xffu8; 256];

    let (mut mismatches, mut faults, mut errors) = (0u64, 0u64, 0u64);
    let (mut writes_ok, mut reads_ok) = (0u64, 0u64);
    for n in 0..total {
        // One fault in three transactions.
        if rng.below(3) == 0 {
            faults += 1;
            let k = rng.below(6) as usize;
            let fault = match rng.below(7) {
                0 => Fault::NackAddress,
                1 => Fault::NackData(k),
                2 => Fault::ArbitrationLoss(k),
                3 => Fault::TipStuck,
                4 => Fault::BusyStuck(rng.below(400) as u32),
                5 => Fault::SpuriousIf,
                _ => Fault::SdaStuck(rng.below(30) as u32),
            };
            i2c.regs_mut().inject(fault);
        }
        let word = rng.below(256) as u8;
        if rng.below(2) == 0 {
            let len = 1 + rng.below(8) as usize;
            let data: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
            let mut bytes = vec![word];
            bytes.extend_from_slice(&data);
            let result = i2c.write(EEPROM, &bytes);
            let targets = page_addresses(word, len);
            let mem = *i2c
                .regs()
                .target::<Eeprom24c02>(EEPROM)
                .expect("eeprom")
                .memory();
            match result {
                Ok(()) => {
                    writes_ok += 1;
                    for (&a, &b) in targets.iter().zip(&data) {
                        reference[usize::from(a)] = b;
                    }
                }
                Err(_) => {
                    errors += 1;
                    // Each addressed byte (at most 8: one page, no address twice) is old or
                    // new.
                    for (&a, &b) in targets.iter().zip(&data) {
                        let a = usize::from(a);
                        if mem[a] == b {
                            reference[a] = b;
                        }
                    }
                }
            }
            for a in 0..mem.len() {
                if mem[a] != reference[a] {
                    mismatches += 1;
                    eprintln!(
                        "transaction {n}: byte {a:#04x} is {:#04x}, expected {:#04x} ({result:?})",
                        mem[a], reference[a]
                    );
                    reference[a] = mem[a];
                }
            }
        } else {
            let len = 1 + rng.below(16) as usize;
            let mut buf = vec![0u8; len];
            let result = i2c.transaction(
                Address::SevenBit(EEPROM),
                &mut [Operation::Write(&[word]), Operation::Read(&mut buf)],
            );
            match result {
                Ok(()) => {
                    reads_ok += 1;
                    for (i, &b) in buf.iter().enumerate() {
                        let a = usize::from(word.wrapping_add(i as u8));
                        if b != reference[a] {
                            mismatches += 1;
                            eprintln!(
                                "transaction {n}: read {b:#04x} at {a:#04x}, expected {:#04x}",
                                reference[a]
                            );
                        }
                    }
                }
                Err(_) => errors += 1,
            }
        }
        // Faults the transaction did not consume do not carry over.
        let m = i2c.regs_mut();
        m.reset_counters();
        m.clear_faults();
        m.take_events();
        m.take_guest_errors();
        if !m.bus_idle() {
            // A target may still hold the bus after BusBusy: free it as a user would.
            let _ = i2c.recover_bus();
        }
    }
    println!(
        "soak: {total} transactions ({writes_ok} writes and {reads_ok} reads completed, {errors} errors), {faults} faults injected, mismatches: {mismatches}"
    );
    if mismatches != 0 {
        std::process::exit(1);
    }
}
