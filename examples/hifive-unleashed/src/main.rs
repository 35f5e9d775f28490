// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bring-up example for the HiFive Unleashed (FU540-C000), run by hart 0 (the E51) in
//! M-mode: the sifive-i2c driver on I2C0, from the SoC profile (no `unsafe` here).
//!
//! By default it scans the bus with one-byte reads, which write nothing, and names the
//! devices it knows (`known::KNOWN`). With the `demo` feature it also runs three client
//! drivers from crates.io on the shared bus: eeprom24x for a 24C02 EEPROM at 0x50 (it
//! WRITES "sifive-i2c" at 0xf4), lm75 for a TMP105 at 0x48 and ds1307 for a DS1338 at 0x68
//! (it starts a halted oscillator). It prints on UART0 (115200 baud) and parks.
//!
//! The crate's other binary, `hifive-unleashed-async` (src/async_scan.rs), scans with the
//! driver's async API on embassy-executor, woken by I2C0's interrupt through the PLIC.
//!
//! Documentation/bring-up.rst walks through it, on QEMU and on the board.

#![no_std]
#![no_main]

mod board;
#[cfg(feature = "demo")]
mod demo;
mod known;

use core::fmt::Write as _;

use sifive_i2c::BusSpeed;

#[riscv_rt::entry]
fn main() -> ! {
    let (mut uart, mut i2c) = board::init(BusSpeed::Fast);
    let timing = i2c.timing();
    let _ = writeln!(
        uart,
        "i2c0: {} Hz (prescaler {})",
        timing.bus_hz, timing.prescaler
    );

    let mut found = 0;
    for address in 0x08..=0x77 {
        match i2c.probe(address) {
            Ok(false) => {}
            Ok(true) => {
                found += 1;
                let _ = writeln!(uart, "scan: {address:#04x} {}", known::name(address));
            }
            Err(e) => {
                let _ = writeln!(uart, "scan: {address:#04x} {e}");
            }
        }
    }
    let _ = writeln!(uart, "scan: {found} devices");

    #[cfg(feature = "demo")]
    demo::run(&mut uart, i2c);

    let _ = writeln!(uart, "done");
    board::park()
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    board::park()
}
