// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Shared set-up of the host tests: a model with targets, a configured driver, and a
//! shared-register handle for interrupt tests.

#![allow(dead_code, unreachable_pub)]

pub mod sim;

use std::cell::RefCell;
use std::rc::Rc;

use sifive_i2c::{BusSpeed, Config, I2c};
use sifive_i2c_hal::model::{Eeprom24c02, Event, Model, Tmp105};
use sifive_i2c_hal::regs::{ReadReg, WriteReg};
use sifive_i2c_hal::Regs;

pub const EEPROM: u8 = 0x50;
pub const TMP105: u8 = 0x48;
pub const ABSENT: u8 = 0x23;
/// 25.5 degrees Celsius.
pub const TEMPERATURE: i16 = 25 * 256 + 128;

/// The FU540's bus clock on the HiFive Unleashed.
pub const CLOCK_HZ: u32 = 500_000_000;

pub fn config() -> Config {
    Config::new(CLOCK_HZ, BusSpeed::Fast).with_poll_budget(1_000)
}

pub fn model() -> Model {
    let mut m = Model::new();
    m.attach(EEPROM, Eeprom24c02::new());
    m.attach(TMP105, Tmp105::new(TEMPERATURE));
    m
}

/// A driver over a fresh model, with the counters and the log cleared after init.
pub fn driver() -> I2c<Model> {
    driver_on(model())
}

pub fn driver_on(m: Model) -> I2c<Model> {
    let mut i2c = I2c::new(m, config()).expect("valid configuration");
    clear(&mut i2c);
    i2c
}

pub fn clear(i2c: &mut I2c<Model>) {
    let m = i2c.regs_mut();
    m.reset_counters();
    m.take_events();
}

pub fn eeprom(i2c: &I2c<Model>) -> [u8; 256] {
    *i2c.regs()
        .target::<Eeprom24c02>(EEPROM)
        .expect("eeprom")
        .memory()
}

/// Asserts the bus is idle, the log ends with a STOP, and no access was one the hardware
/// would not have tolerated.
pub fn assert_clean_end(m: &mut Model) {
    assert!(m.bus_idle(), "bus not idle");
    let sr = m.sr();
    assert!(
        !sr.contains(sifive_i2c_hal::regs::Sr::BUSY),
        "SR.BUSY set: {sr:?}"
    );
    assert_eq!(
        m.events().last(),
        Some(&Event::Stop),
        "log: {:?}",
        m.events()
    );
    assert_eq!(
        m.guest_errors(),
        &[],
        "accesses the hardware would not tolerate"
    );
}

pub fn w(byte: u8) -> Event {
    Event::Write { byte, ack: true }
}

pub fn r(byte: u8, ack: bool) -> Event {
    Event::Read { byte, ack }
}

pub fn addr(address: u8, read: bool) -> Event {
    Event::Address {
        byte: (address << 1) | u8::from(read),
        ack: true,
    }
}

/// Registers shared between a driver and a simulated interrupt handler.
#[derive(Clone)]
pub struct Shared(pub Rc<RefCell<Model>>);

impl Shared {
    pub fn new(m: Model) -> Self {
        Self(Rc::new(RefCell::new(m)))
    }
}

impl Regs for Shared {
    fn read(&mut self, reg: ReadReg) -> u8 {
        self.0.borrow_mut().read(reg)
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        self.0.borrow_mut().write(reg, value);
    }
}
