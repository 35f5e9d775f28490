// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bring-up example for the HiFive Unleashed (FU540-C000), run by hart 0 (the E51) in
//! M-mode: the sifive-i2c driver on I2C0, from the SoC profile (no `unsafe` here).
//!
//! By default it scans the bus with one-byte reads, which write nothing, and names the
//! devices it knows (`board::KNOWN`). With the `demo` feature it also runs three client
//! drivers from crates.io on the shared bus: eeprom24x for a 24C02 EEPROM at 0x50 (it
//! WRITES "sifive-i2c" at 0xf4), lm75 for a TMP105 at 0x48 and ds1307 for a DS1338 at 0x68
//! (it starts a halted oscillator). It prints on UART0 (115200 baud) and parks.
//!
//! Documentation/bring-up.rst walks through it, on QEMU and on the board.

#![no_std]
#![no_main]

mod board;
#[cfg(feature = "demo")]
mod demo;

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
                let name = board::KNOWN
                    .iter()
                    .find(|(a, _)| *a == address)
                    .map_or("unknown device", |(_, name)| name);
                let _ = writeln!(uart, "scan: {address:#04x} {name}");
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
