// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bring-up example for the HiFive1 Rev B (FE310-G002, one hart, RV32IMAC): the
//! sifive-i2c driver on I2C0 (SDA on GPIO12, SCL on GPIO13, IOF0) at 100 kHz, from the SoC
//! profile (no `unsafe`).
//!
//! It first runs hfclk from the 16 MHz crystal (the ring oscillator's rate is not known
//! well enough for a bus clock), then scans I2C0 with one-byte reads, which write
//! nothing. The board carries no I2C device: what it finds was wired to the header. With
//! the `demo` feature it writes "sifive-i2c" to a 24C02 EEPROM at 0x50 and reads it back.
//! It prints on UART0 (GPIO17, the J-Link's virtual serial port, 115200 baud) and parks.
//!
//! Documentation/bring-up.rst walks through it.

#![no_std]
#![no_main]

use core::fmt::Write as _;

use sifive_i2c::{BusSpeed, Config, I2c};
use sifive_i2c_hal::soc::fe310;

#[riscv_rt::entry]
fn main() -> ! {
    let Some(mut p) = fe310::Peripherals::take() else {
        park()
    };
    let Ok(tlclk) = p.prci.use_hfxosc(fe310::HIFIVE1_REVB_HFXOSC_HZ) else {
        park()
    };
    let mut uart = p.uart0.into_console(tlclk, 115_200);
    let _ = writeln!(uart, "sifive-i2c on the HiFive1 Rev B, tlclk {tlclk} Hz");
    p.i2c0_pins.select_iof0();
    let mut i2c = match I2c::from_instance(p.i2c0, Config::new(tlclk, BusSpeed::Standard)) {
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
                let _ = writeln!(uart, "scan: {address:#04x} (wired to the header)");
            }
            Err(e) => {
                let _ = writeln!(uart, "scan: {address:#04x} {e}");
            }
        }
    }
    let _ = writeln!(uart, "scan: {found} devices");

    #[cfg(feature = "demo")]
    {
        // One 24C02 page write at 0x00 (within the 8-byte page), then the write cycle:
        // the EEPROM NACKs its address until it is done, so poll it.
        const MESSAGE: &[u8] = b"sifive";
        let mut cmd = [0u8; 7];
        cmd[1..].copy_from_slice(MESSAGE);
        let mut back = [0u8; 6];
        let written = i2c.write(0x50, &cmd).and_then(|()| {
            let mut ready = Ok(false);
            for _ in 0..1000 {
                ready = i2c.probe(0x50);
                if ready != Ok(false) {
                    break;
                }
            }
            ready.and_then(|_| i2c.write_read(0x50, &[0x00], &mut back))
        });
        match written {
            Ok(()) => {
                let text = core::str::from_utf8(&back).unwrap_or("(not UTF-8)");
                let _ = writeln!(uart, "eeprom 0x00: wrote and read back {text:?}");
            }
            Err(e) => {
                let _ = writeln!(uart, "eeprom: {e}");
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
