// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Polling with a delay provider: each command's wire time is waited before SR is read, so
//! a byte costs the three accesses the programming model needs, and every wait's budget is
//! in microseconds.

mod common;

use std::cell::Cell;
use std::rc::Rc;

use common::*;
use embedded_hal::delay::DelayNs;
use sifive_i2c::{Error, I2c};
use sifive_i2c_hal::model::{Fault, Model};
use sifive_i2c_hal::regs::Cr;
use sifive_i2c_hal::Regs;

/// A delay on the model's clock: time passes in ticks of `ns_per_tick`, and the model's
/// command in flight progresses one step per tick.
struct ModelDelay {
    regs: Shared,
    ns_per_tick: u32,
    /// Nanoseconds waited in all.
    elapsed: Rc<Cell<u64>>,
}

impl DelayNs for ModelDelay {
    fn delay_ns(&mut self, ns: u32) {
        self.elapsed.set(self.elapsed.get() + u64::from(ns));
        for _ in 0..ns.div_ceil(self.ns_per_tick) {
            self.regs.0.borrow_mut().tick();
        }
    }
}

/// A driver with a delay provider on a fresh model whose byte takes its latency (3 ticks)
/// of the delay's time: the wire-time estimate is exact for the model.
fn timed(m: Model, config: sifive_i2c::Config) -> (I2c<Shared, ModelDelay>, Shared, Rc<Cell<u64>>) {
    let regs = Shared::new(m);
    let probe = I2c::new(Shared::new(Model::new()), config).unwrap();
    let byte_ns = probe.wire_ns(Cr::WR);
    let elapsed = Rc::new(Cell::new(0));
    let delay = ModelDelay {
        regs: regs.clone(),
        ns_per_tick: byte_ns.div_ceil(3),
        elapsed: elapsed.clone(),
    };
    let i2c = I2c::with_delay(regs.clone(), config, delay).unwrap();
    regs.0.borrow_mut().reset_counters();
    (i2c, regs, elapsed)
}

fn accesses(regs: &Shared) -> u32 {
    let m = regs.0.borrow();
    m.reads() + m.writes()
}

#[test]
fn wire_time_follows_the_rtl_state_machine() {
    // 500 MHz, 400 kHz: PRER = 249, a prescaler period is 250 clocks = 500 ns.
    let i2c = I2c::new(model(), config()).unwrap();
    assert_eq!(i2c.wire_ns(Cr::STA | Cr::WR), (6 + 45) * 500);
    assert_eq!(i2c.wire_ns(Cr::RD | Cr::ACK), 45 * 500);
    assert_eq!(i2c.wire_ns(Cr::WR | Cr::STO), (45 + 5) * 500);
    assert_eq!(i2c.wire_ns(Cr::STO), 5 * 500);
    assert_eq!(i2c.wire_ns(Cr::IACK), 0);
}

#[test]
fn a_byte_costs_three_accesses_with_a_delay() {
    let write_cost = |n: usize| {
        let (mut i2c, regs, _) = timed(model(), config());
        i2c.write(EEPROM, &vec![0x5a; n]).unwrap();
        assert_clean_end(&mut regs.0.borrow_mut());
        accesses(&regs)
    };
    assert_eq!(write_cost(17) - write_cost(16), 3, "TXR, CR, SR");
    let read_cost = |n: usize| {
        let (mut i2c, regs, _) = timed(model(), config());
        let mut buf = vec![0; n];
        i2c.write_read(EEPROM, &[0], &mut buf).unwrap();
        accesses(&regs)
    };
    assert_eq!(read_cost(17) - read_cost(16), 3, "CR, SR, RXR");
    // The whole 16-byte write (address, word address, 15 bytes) and read: at most 4.0 per
    // payload byte, start and STOP included.
    let w = write_cost(16);
    let r = read_cost(16);
    assert!(w <= 64 && r <= 64, "16-byte write {w}, read {r} accesses");
}

#[test]
fn data_is_right_with_a_delay() {
    let (mut i2c, regs, _) = timed(model(), config());
    i2c.write(EEPROM, &[0x30, 1, 2, 3, 4]).unwrap();
    let mut buf = [0; 4];
    i2c.write_read(EEPROM, &[0x30], &mut buf).unwrap();
    assert_eq!(buf, [1, 2, 3, 4]);
    assert_eq!(i2c.read(ABSENT, &mut buf), Err(Error::AddressNack));
    assert_clean_end(&mut regs.0.borrow_mut());
}

#[test]
fn a_stretched_clock_is_polled_with_a_back_off() {
    let (mut i2c, regs, _) = timed(model(), config());
    regs.0.borrow_mut().inject(Fault::ClockStretch(10));
    i2c.write(EEPROM, &[0x30, 7]).unwrap();
    let mut buf = [0; 1];
    i2c.write_read(EEPROM, &[0x30], &mut buf).unwrap();
    assert_eq!(buf, [7]);
}

#[test]
fn the_wait_budget_is_in_microseconds() {
    for timeout_us in [200u32, 1_000] {
        let (mut i2c, regs, elapsed) = timed(model(), config().with_wait_budget_us(timeout_us));
        regs.0.borrow_mut().inject(Fault::TipStuck);
        assert_eq!(i2c.write(EEPROM, &[0x10, 1]), Err(Error::Timeout));
        let waited = elapsed.get();
        // The command's own wire time (25.5 us), then the budget in bit times (2.5 us),
        // then the STOP's.
        let budget = u64::from(timeout_us) * 1000;
        assert!(
            waited >= budget && waited <= budget + 25_500 + 2 * 2_500 + 2_500,
            "waited {waited} ns for a budget of {budget} ns"
        );
        let mut m = regs.0.borrow_mut();
        assert!(m.bus_idle());
        // Backing off one bit time (2.5 us) between looks: about timeout / 2.5 us status
        // reads, not a busy poll.
        let sr_reads = u64::from(m.reads_of(sifive_i2c_hal::regs::ReadReg::Sr));
        assert!(
            sr_reads <= budget / 2_500 + 8,
            "{sr_reads} SR reads in a {timeout_us} us wait"
        );
        m.take_guest_errors();
    }
}

#[test]
fn recovery_works_with_a_delay() {
    let (mut i2c, regs, _) = timed(model(), config().with_wait_budget_us(100));
    regs.0.borrow_mut().inject(Fault::SdaStuck(20));
    i2c.write(EEPROM, &[0x30, 9]).unwrap();
    let mut buf = [0; 1];
    i2c.write_read(EEPROM, &[0x30], &mut buf).unwrap();
    assert_eq!(buf, [9]);
    assert_clean_end(&mut regs.0.borrow_mut());
    assert!(!regs
        .0
        .borrow_mut()
        .sr()
        .contains(sifive_i2c_hal::regs::Sr::BUSY));
}
