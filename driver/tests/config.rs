// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Prescaler computation, refused clocks, and the order of the init writes.

mod common;

use common::*;
use sifive_i2c::{BusSpeed, Config, ConfigError, I2c};
use sifive_i2c_hal::model::Model;
use sifive_i2c_hal::regs::{Cr, Ctr, ReadReg, Sr, WriteReg};
use sifive_i2c_hal::Regs;

/// SCL for a prescaler, from the formula in the OpenCores manual.
fn scl(clk: u32, prer: u16) -> u32 {
    clk / (5 * (u32::from(prer) + 1))
}

#[test]
fn prescaler_table() {
    // (input clock, speed, expected PRER), computed by hand from PRER = ceil(clk/5/scl) - 1.
    let table = [
        (500_000_000, BusSpeed::Standard, 999),
        (500_000_000, BusSpeed::Fast, 249),
        (500_000_000, BusSpeed::FastPlus, 99),
        (33_333_333, BusSpeed::Standard, 66),
        (33_333_333, BusSpeed::Fast, 16),
        (33_333_333, BusSpeed::FastPlus, 6),
        (16_000_000, BusSpeed::Standard, 31),
        (16_000_000, BusSpeed::Fast, 7),
        (130_000_000, BusSpeed::Standard, 259),
        (130_000_000, BusSpeed::Fast, 64),
        (130_000_000, BusSpeed::FastPlus, 25),
        (1_000_000_000, BusSpeed::Custom(10_000), 19_999),
    ];
    for (clk, speed, prer) in table {
        let timing = Config::new(clk, speed).timing().expect("in range");
        assert_eq!(timing.prescaler, prer, "{clk} Hz at {speed:?}");
        assert_eq!(timing.bus_hz, scl(clk, prer));
        assert!(timing.bus_hz <= speed.hz(), "never faster than requested");
        assert!(
            u64::from(timing.bus_hz) * 10 >= u64::from(speed.hz()) * 9,
            "within 10%"
        );
        // One step faster would exceed the request.
        // clk / (5 * prer) > hz, in exact integer arithmetic.
        if prer > 0 {
            assert!(u64::from(clk) > 5 * u64::from(prer) * u64::from(speed.hz()));
        }
    }
}

#[test]
fn refused_clocks() {
    assert_eq!(
        Config::new(16_000_000, BusSpeed::FastPlus).timing(),
        Err(ConfigError::OutOfTolerance { bus_hz: 800_000 })
    );
    assert_eq!(
        Config::new(4_000_000, BusSpeed::FastPlus).timing(),
        Err(ConfigError::ClockTooSlow {
            max_bus_hz: 800_000
        })
    );
    assert_eq!(
        Config::new(1_000_000, BusSpeed::Fast).timing(),
        Err(ConfigError::ClockTooSlow {
            max_bus_hz: 200_000
        })
    );
    assert_eq!(
        Config::new(1_000_000_000, BusSpeed::Custom(1_000)).timing(),
        Err(ConfigError::PrescalerOutOfRange { prescaler: 199_999 })
    );
    assert_eq!(
        Config::new(0, BusSpeed::Fast).timing(),
        Err(ConfigError::Zero)
    );
    assert_eq!(
        Config::new(1_000_000, BusSpeed::Custom(0)).timing(),
        Err(ConfigError::Zero)
    );
}

#[test]
fn a_refused_configuration_writes_nothing() {
    let mut m = Model::new();
    let err = I2c::new(&mut m, Config::new(4_000_000, BusSpeed::FastPlus)).unwrap_err();
    assert!(matches!(err, ConfigError::ClockTooSlow { .. }));
    assert_eq!((m.reads(), m.writes()), (0, 0));
    assert_eq!(m.prescaler(), 0xffff, "reset value untouched");
}

#[test]
fn init_programs_prescaler_disabled_then_enables_then_acks() {
    let mut m = model();
    // Leave a stale interrupt behind with the core disabled, as a boot loader might: the
    // IACK must come after EN or IF survives init (erratum 2).
    m.set_ctr(Ctr::EN);
    m.set_cr(Cr::STA | Cr::STO);
    while !m.sr().contains(Sr::IF) {}
    m.set_ctr(Ctr::empty());
    m.reset_counters();
    let mut i2c = I2c::new(&mut m, config()).unwrap();
    assert_eq!(i2c.timing().prescaler, 249);
    assert_eq!(i2c.regs_mut().read(ReadReg::PrerLo), 249);
    assert_eq!(i2c.regs_mut().read(ReadReg::PrerHi), 0);
    let _ = i2c;
    assert_eq!(m.guest_errors(), &[], "prescaler written with EN clear");
    assert_eq!(Ctr::from_reg(m.read(ReadReg::Ctr)), Ctr::EN);
    assert!(!m.sr().contains(Sr::IF), "stale IF acknowledged");
    assert_eq!(m.writes_of(WriteReg::Cr), 1);
    assert_eq!(m.writes(), 5);
}

#[test]
fn release_disables_the_core() {
    let i2c = driver();
    let mut m = i2c.release();
    assert_eq!(m.read(ReadReg::Ctr), 0);
}
