// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bring-up example for the HiFive Unleashed: the sifive-i2c driver on I2C0 at 400 kHz,
//! the bus shared with embedded-hal-bus between three client drivers from crates.io:
//! eeprom24x for a 24C02 EEPROM at 0x50, lm75 for a TMP105 temperature sensor at 0x48 and
//! ds1307 for a DS1338 real-time clock at 0x68. It prints what it reads on UART0 (115200
//! baud) and parks.
//!
//! The targets are those of QEMU's `sifive_u` as this project extends it; on a board,
//! wire yours to I2C0 or change the addresses. Documentation/bring-up.rst walks through it.

#![no_std]
#![no_main]

mod board;

use core::cell::RefCell;
use core::fmt::Write as _;

use ds1307::{DateTimeAccess as _, Ds1307};
use eeprom24x::{Eeprom24x, SlaveAddr, Storage};
use embedded_hal_bus::i2c::RefCellDevice;
use embedded_storage::{ReadStorage as _, Storage as _};
use lm75::Lm75;
use sifive_i2c::{BusSpeed, Config, I2c};

use board::Uart;

/// The TMP105's address (A0 tied low).
const TMP105: u8 = 0x48;
/// What the example writes to the EEPROM: at 0xf4, across the page boundary at 0xf8.
const MESSAGE: &[u8] = b"sifive-i2c";
const MESSAGE_AT: u32 = 0xf4;

#[riscv_rt::entry]
fn main() -> ! {
    let tlclk = board::tlclk_hz();
    let mut uart = Uart::init(tlclk);
    let _ = writeln!(uart, "sifive-i2c on the HiFive Unleashed, tlclk {tlclk} Hz");

    // The driver, at 400 kHz, on the FU540-C000, whose I2C interrupt flag cannot be
    // cleared: the driver then completes on TIP and never enables the interrupt. A clock
    // it cannot divide to the bus speed is refused here, before any register is written.
    let config = Config::new(tlclk, BusSpeed::Fast).with_fu540_c000_erratum(true);
    let i2c = match I2c::new(board::i2c0(), config) {
        Ok(i2c) => i2c,
        Err(e) => {
            let _ = writeln!(uart, "i2c0: {e}");
            board::park()
        }
    };
    let timing = i2c.timing();
    let _ = writeln!(
        uart,
        "i2c0: {} Hz (prescaler {})",
        timing.bus_hz, timing.prescaler
    );

    // One bus, three client drivers, each with its own handle on it.
    let bus = RefCell::new(i2c);

    let eeprom = Eeprom24x::new_24x02(RefCellDevice::new(&bus), SlaveAddr::default());
    let mut eeprom = Storage::new(eeprom, board::delay());
    let mut data = [0u8; 32];
    match eeprom.read(0, &mut data) {
        Ok(()) => {
            let _ = write!(uart, "eeprom 0x00:");
            for b in data {
                let _ = write!(uart, " {b:02x}");
            }
            let _ = writeln!(uart);
        }
        Err(e) => {
            let _ = writeln!(uart, "eeprom read: {e:?}");
        }
    }
    // Storage splits the write at the page boundary and waits out each write cycle.
    let mut back = [0u8; MESSAGE.len()];
    match eeprom
        .write(MESSAGE_AT, MESSAGE)
        .and_then(|()| eeprom.read(MESSAGE_AT, &mut back))
    {
        Ok(()) => {
            let text = core::str::from_utf8(&back).unwrap_or("(not UTF-8)");
            let _ = writeln!(
                uart,
                "eeprom {MESSAGE_AT:#04x}: wrote and read back {text:?}"
            );
        }
        Err(e) => {
            let _ = writeln!(uart, "eeprom write: {e:?}");
        }
    }

    let mut sensor = Lm75::new(RefCellDevice::new(&bus), TMP105);
    match sensor.read_temperature() {
        Ok(t) => {
            let _ = writeln!(uart, "temperature: {t:.1} C");
        }
        Err(e) => {
            let _ = writeln!(uart, "temperature: {e:?}");
        }
    }

    let mut rtc = Ds1307::new(RefCellDevice::new(&bus));
    // The DS1338's registers, the oscillator's halt bit among them, are undefined at its
    // first power-up: start the oscillator if it is halted.
    if let Ok(false) = rtc.running() {
        let _ = writeln!(uart, "rtc: halted, starting it");
        let _ = rtc.set_running();
    }
    match rtc.datetime() {
        Ok(now) => {
            let _ = writeln!(uart, "rtc: {now}");
        }
        Err(e) => {
            let _ = writeln!(uart, "rtc: {e:?}");
        }
    }

    let _ = writeln!(uart, "done");
    board::park()
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    let _ = writeln!(Uart, "panic: {info}");
    board::park()
}
