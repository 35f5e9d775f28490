// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The client-driver demo (feature `demo`): it WRITES to the EEPROM at 0x50 and may start
//! the RTC at 0x68. The targets are those of QEMU's sifive_u as this project extends it;
//! on a board, wire yours to I2C0 or change the addresses first.

use core::cell::RefCell;
use core::fmt::Write;

use ds1307::{DateTimeAccess as _, Ds1307};
use eeprom24x::{Eeprom24x, SlaveAddr, Storage};
use embedded_hal_bus::i2c::RefCellDevice;
use embedded_storage::{ReadStorage as _, Storage as _};
use lm75::Lm75;
use sifive_i2c::I2c;
use sifive_i2c_hal::Mmio;

use crate::board;

/// The TMP105's address (A0 tied low).
const TMP105: u8 = 0x48;
/// What the demo writes to the EEPROM: at 0xf4, across the page boundary at 0xf8.
const MESSAGE: &[u8] = b"sifive-i2c";
const MESSAGE_AT: u32 = 0xf4;

/// Runs the three client drivers on `i2c`, printing on `uart`.
pub(crate) fn run(uart: &mut impl Write, i2c: I2c<Mmio>) {
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
}
