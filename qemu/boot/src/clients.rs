// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The client-crate suites: embedded-hal drivers from crates.io (eeprom24x, lm75, ds1307)
//! on our bus, as a board user runs them.
//!
//! In polling mode the clients get the driver itself, through its own embedded-hal `I2c`
//! implementation. The three crates are blocking only, so in the interrupt-handler and
//! async modes they get [`Through`], a blocking `I2c` over the boot tests' [`Bus`]: each
//! transaction is then driven by the interrupt handler calling `advance`, or by
//! `AsyncI2c` woken by the interrupt.

use core::fmt::Write as _;

use ds1307::{DateTimeAccess as _, Ds1307, NaiveDate, NaiveDateTime};
use eeprom24x::{Eeprom24x, SlaveAddr, Storage};
use embedded_hal::i2c::{Error as _, ErrorKind, ErrorType, I2c, NoAcknowledgeSource, Operation};
use embedded_storage::{ReadStorage as _, Storage as _};
use lm75::Lm75;
use sifive_i2c::Error;
use sifive_i2c_hal::regs::Sr;
use sifive_i2c_hal::Regs as _;

use crate::board::{self, Uart};
use crate::ktap::{check, config, ensure, unknown_suite, Check, Ktap};
use crate::modes::{Bus, Mode};

const TMP105: u8 = 0x48;
const ABSENT: u8 = 0x49;
/// The temperature scripts/qemu-test gives the TMP105.
const TEMPERATURE: f32 = 25.5;

/// A blocking embedded-hal bus over a [`Bus`] in any mode.
struct Through<'a>(&'a mut Bus);

impl ErrorType for Through<'_> {
    type Error = Error;
}

impl I2c for Through<'_> {
    fn transaction(&mut self, address: u8, ops: &mut [Operation<'_>]) -> Result<(), Error> {
        self.0.transaction(address, ops)
    }
}

/// The bus is idle and no transfer is in progress.
fn idle() -> Check {
    let sr = board::i2c0().sr();
    ensure!(
        !sr.intersects(Sr::BUSY | Sr::TIP),
        "bus not idle: SR {:?}",
        sr
    );
    Ok(())
}

fn pattern(seed: u8) -> [u8; 8] {
    core::array::from_fn(|i| seed.wrapping_mul(29).wrapping_add(i as u8 * 11))
}

/// A page write and a read back through eeprom24x.
fn eeprom_page<I: I2c<Error = Error>>(i2c: &mut I, seed: u8) -> Check {
    let mut eeprom = Eeprom24x::new_24x02(&mut *i2c, SlaveAddr::default());
    let data = pattern(seed);
    check!(eeprom.write_page(0x88, &data), "write_page");
    // The 24C02's write cycle, which eeprom24x leaves to the caller.
    embedded_hal::delay::DelayNs::delay_ms(&mut board::delay(), 5);
    let mut buf = [0u8; 8];
    check!(eeprom.read_data(0x88, &mut buf), "read_data");
    ensure!(buf == data, "read {:02x?}, wrote {:02x?}", buf, data);
    idle()
}

/// A write across the page boundary at 0xa0, which eeprom24x's `Storage` splits.
fn eeprom_cross_page<I: I2c<Error = Error>>(i2c: &mut I, seed: u8) -> Check {
    let eeprom = Eeprom24x::new_24x02(&mut *i2c, SlaveAddr::default());
    let mut storage = Storage::new(eeprom, board::delay());
    let data = pattern(seed.wrapping_add(0x40));
    check!(storage.write(0x9c, &data), "Storage::write across 0xa0");
    let mut buf = [0u8; 8];
    check!(storage.read(0x9c, &mut buf), "Storage::read");
    ensure!(buf == data, "read {:02x?}, wrote {:02x?}", buf, data);
    idle()
}

/// The temperature through lm75.
fn temperature<I: I2c<Error = Error>>(i2c: &mut I) -> Check {
    let mut sensor = Lm75::new(&mut *i2c, TMP105);
    let t = check!(sensor.read_temperature(), "read_temperature");
    ensure!(t == TEMPERATURE, "{} degrees, expected {}", t, TEMPERATURE);
    idle()
}

fn time(day: u32) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(2025, 6, day)?.and_hms_opt(23, 58, 30)
}

/// Setting the time and reading it back through ds1307.
fn rtc<I: I2c<Error = Error>>(i2c: &mut I, seed: u8) -> Check {
    let mut rtc = Ds1307::new(&mut *i2c);
    let Some(set) = time(10 + u32::from(seed)) else {
        ensure!(false, "bad test date");
        return Err(());
    };
    check!(rtc.set_datetime(&set), "set_datetime");
    let now = check!(rtc.datetime(), "datetime");
    let ahead = (now - set).num_seconds();
    ensure!(
        (0..=2).contains(&ahead),
        "read {}, set {} ({} s apart)",
        now,
        set,
        ahead
    );
    ensure!(check!(rtc.running(), "running"), "the clock is halted");
    idle()
}

const MODES: [Mode; 3] = [Mode::Polling, Mode::Interrupt, Mode::Async];
/// The cases, ds1307 only on a board with the DS1338 (sifive_u).
const CASES: &[&str] = if board::HAS_RTC {
    &["eeprom24x_page", "eeprom24x_cross_page", "lm75", "ds1307"]
} else {
    &["eeprom24x_page", "eeprom24x_cross_page", "lm75"]
};

/// Runs the clients on `i2c`.
fn cases<I: I2c<Error = Error>>(k: &mut Ktap, p: &str, i2c: &mut I, seed: u8) {
    k.case(p, CASES[0], eeprom_page(i2c, seed));
    k.case(p, CASES[1], eeprom_cross_page(i2c, seed));
    k.case(p, CASES[2], temperature(i2c));
    if board::HAS_RTC {
        k.case(p, CASES[3], rtc(i2c, seed));
    }
}

/// The clients in each mode.
fn clients_suite() -> u32 {
    let mut k = Ktap::plan((MODES.len() * CASES.len()) as u32);
    for (i, mode) in MODES.into_iter().enumerate() {
        let p = mode.name();
        let seed = i as u8 + 1;
        match Bus::new(mode, config()) {
            Ok(mut bus) if mode == Mode::Polling => match bus.driver() {
                Some(i2c) => cases(&mut k, p, i2c, seed),
                None => {
                    for &name in CASES {
                        k.case(p, name, Err(()));
                    }
                }
            },
            Ok(mut bus) => cases(&mut k, p, &mut Through(&mut bus), seed),
            Err(e) => {
                let _ = writeln!(Uart, "# {p}: setup failed: {e:?}");
                for &name in CASES {
                    k.case(p, name, Err(()));
                }
            }
        }
    }
    k.failed
}

/// With `fault-al-at=3`: the clients see our errors' kinds as embedded-hal defines them.
fn fault_suite() -> u32 {
    let mut k = Ktap::plan(3);
    let mut bus = Bus::new(Mode::Polling, config()).ok();
    let Some(i2c) = bus.as_mut().and_then(Bus::driver) else {
        for name in ["arbitration_loss", "address_nack", "recovers"] {
            k.case("eeprom24x", name, Err(()));
        }
        return k.failed;
    };
    k.case("eeprom24x", "arbitration_loss", arbitration_loss(i2c));
    k.case("lm75", "address_nack", address_nack(i2c));
    k.case("clients", "recovers", recovers(i2c));
    k.failed
}

/// Arbitration is lost at the second data byte of an eeprom24x page write.
fn arbitration_loss<I: I2c<Error = Error>>(i2c: &mut I) -> Check {
    let mut eeprom = Eeprom24x::new_24x02(&mut *i2c, SlaveAddr::default());
    match eeprom.write_page(0x70, &[1, 2, 3, 4]) {
        Err(eeprom24x::Error::I2C(e)) => ensure!(
            e.kind() == ErrorKind::ArbitrationLoss,
            "{:?} has kind {:?}",
            e,
            e.kind()
        ),
        r => ensure!(false, "write_page gave {:?}", r),
    }
    idle()
}

/// lm75 at an address nobody answers.
fn address_nack<I: I2c<Error = Error>>(i2c: &mut I) -> Check {
    let mut sensor = Lm75::new(&mut *i2c, ABSENT);
    match sensor.read_temperature() {
        Err(lm75::Error::I2C(e)) => ensure!(
            e.kind() == ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address),
            "{:?} has kind {:?}",
            e,
            e.kind()
        ),
        r => ensure!(false, "read_temperature gave {:?}", r),
    }
    idle()
}

/// Every client works after the faults.
fn recovers<I: I2c<Error = Error>>(i2c: &mut I) -> Check {
    eeprom_page(i2c, 7)?;
    temperature(i2c)?;
    if board::HAS_RTC {
        rtc(i2c, 7)?;
    }
    Ok(())
}

/// Runs client suite `suite`: 0x100 the clients in each mode, 0x101 the fault run.
/// Returns the number of failed tests.
pub(crate) fn run(suite: u32) -> u32 {
    match suite {
        0x100 => clients_suite(),
        0x101 => fault_suite(),
        _ => unknown_suite(suite),
    }
}
