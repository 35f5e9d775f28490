// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bring-up example for the HiFive Unmatched (FU740-C000), run by hart 0 (the S7) in
//! M-mode: the sifive-i2c driver on I2C0 at 100 kHz, from the SoC profile (no `unsafe`).
//!
//! By default it scans I2C0 with one-byte reads, which write nothing, and names the
//! devices the board carries (its device tree: a TMP451 at 0x4c, the board-ID 24C02 at
//! 0x54, the DA9063 PMIC at 0x58). With the `demo` feature it also reads the TMP451's
//! local temperature and the first bytes of the board-ID EEPROM, each after writing the
//! register pointer. It never writes to the PMIC. It prints on UART0 (115200 baud) and
//! parks.
//!
//! Documentation/bring-up.rst walks through it.

#![no_std]
#![no_main]

use core::fmt::Write as _;

use sifive_i2c::{BusSpeed, Config, I2c};
use sifive_i2c_hal::soc::fu740;

/// The devices on the HiFive Unmatched's I2C0 (arch/riscv/boot/dts/sifive/
/// hifive-unmatched-a00.dts in Linux).
const KNOWN: &[(u8, &str)] = &[
    (0x4c, "TMP451 temperature sensor"),
    (0x54, "24C02 board-ID EEPROM (read-only)"),
    (0x58, "DA9063 PMIC"),
];

#[riscv_rt::entry]
fn main() -> ! {
    let Some(p) = fu740::Peripherals::take() else {
        park()
    };
    // pclk, read from the PRCI: nothing is written there.
    let Ok(pclk) = p.prci.pclk_hz(fu740::HIFIVE_UNMATCHED_HFCLK_HZ) else {
        park()
    };
    let mut uart = p.uart0.into_console(pclk, 115_200);
    let _ = writeln!(uart, "sifive-i2c on the HiFive Unmatched, pclk {pclk} Hz");
    let mut i2c = match I2c::from_instance(p.i2c0, Config::new(pclk, BusSpeed::Standard)) {
        Ok(i2c) => i2c,
        Err(e) => {
            let _ = writeln!(uart, "i2c0: {e}");
            park()
        }
    };
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
                let name = KNOWN
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
    {
        // TMP451 local temperature: register 0x00 (high byte, degrees C), 0x15 (low).
        let mut high = [0u8];
        let mut low = [0u8];
        match i2c
            .write_read(0x4c, &[0x00], &mut high)
            .and_then(|()| i2c.write_read(0x4c, &[0x15], &mut low))
        {
            Ok(()) => {
                let sixteenths = u32::from(low[0] >> 4) * 625;
                let _ = writeln!(uart, "tmp451: {}.{:04} C", high[0], sixteenths);
            }
            Err(e) => {
                let _ = writeln!(uart, "tmp451: {e}");
            }
        }
        let mut id = [0u8; 16];
        match i2c.write_read(0x54, &[0x00], &mut id) {
            Ok(()) => {
                let _ = write!(uart, "board-id 0x00:");
                for b in id {
                    let _ = write!(uart, " {b:02x}");
                }
                let _ = writeln!(uart);
            }
            Err(e) => {
                let _ = writeln!(uart, "board-id: {e}");
            }
        }
    }

    let _ = writeln!(uart, "done");
    park()
}

/// Parks the hart.
fn park() -> ! {
    loop {
        riscv::asm::wfi();
    }
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    park()
}
