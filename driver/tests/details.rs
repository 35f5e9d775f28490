// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Details a user relies on that the scenario tests do not pin down on their own: the
//! configuration's boundaries and messages, the state a finished or aborted transfer
//! reports, and how the async driver shares the CPU.

mod common;

use std::task::Poll;

use common::sim::*;
use common::*;
use embedded_hal::i2c::Operation;
use sifive_i2c::{Address, AsyncI2c, BusSpeed, Config, ConfigError, Error, I2c, IrqSignal};
use sifive_i2c_hal::model::{Eeprom24c02, Event, Fault, Model};

#[test]
fn the_largest_prescaler_and_exactly_ten_percent_slow_are_accepted() {
    // 32.768 MHz at 100 Hz needs PRER = 65535 exactly.
    let t = Config::new(32_768_000, BusSpeed::Custom(100)).timing();
    assert_eq!(t.map(|t| (t.prescaler, t.bus_hz)), Ok((0xffff, 100)));
    // One hertz slower needs 65536: refused.
    assert!(matches!(
        Config::new(32_768_000, BusSpeed::Custom(99)).timing(),
        Err(ConfigError::PrescalerOutOfRange { prescaler: 66_197 })
    ));
    // 40.5 kHz at 1 kHz: PRER 8 gives 900 Hz, exactly 10% slow, which is accepted.
    let t = Config::new(40_500, BusSpeed::Custom(1_000)).timing();
    assert_eq!(t.map(|t| (t.prescaler, t.bus_hz)), Ok((8, 900)));
}

#[test]
fn configuration_errors_say_what_is_wrong() {
    let text = |e: ConfigError| e.to_string();
    assert_eq!(
        text(ConfigError::Zero),
        "input clock and bus speed must be non-zero"
    );
    assert_eq!(
        text(ConfigError::ClockTooSlow {
            max_bus_hz: 800_000
        }),
        "input clock too slow: at most 800000 Hz SCL"
    );
    assert_eq!(
        text(ConfigError::PrescalerOutOfRange { prescaler: 70_000 }),
        "prescaler 70000 out of range (max 65535)"
    );
    assert_eq!(
        text(ConfigError::OutOfTolerance { bus_hz: 85_000 }),
        "closest SCL 85000 Hz is more than 10% below the request"
    );
}

#[test]
fn the_configuration_reads_back() {
    let c = Config::new(33_333_333, BusSpeed::Standard)
        .with_poll_budget(7)
        .with_wait_budget_us(9)
        .with_fu540_c000_erratum(true);
    assert_eq!(c.input_clock_hz(), 33_333_333);
    assert_eq!(c.speed(), BusSpeed::Standard);
    assert_eq!(
        (c.poll_budget(), c.wait_budget_us(), c.fu540_c000_erratum()),
        (7, 9, true)
    );
}

#[test]
fn interrupt_pending_follows_if_except_with_the_erratum() {
    let mut i2c = driver();
    assert!(!i2c.interrupt_pending(), "nothing issued yet");
    let mut ops = [Operation::Write(&[0x10])];
    let mut t = i2c.start(Address::SevenBit(EEPROM), &mut ops).unwrap();
    for _ in 0..10 {
        i2c.regs_mut().tick();
    }
    assert!(i2c.interrupt_pending(), "the address command completed");
    while i2c.advance(&mut t).is_pending() {}
    // The erratum core: IF is set for good, and means nothing.
    let mut m = Model::new_fu540();
    m.attach(EEPROM, Eeprom24c02::new());
    let mut i2c = I2c::new(m, config().with_fu540_c000_erratum(true)).unwrap();
    i2c.write_read_byte();
    assert!(!i2c.interrupt_pending());
}

/// A helper: one completed transfer.
trait Once {
    fn write_read_byte(&mut self);
}

impl Once for I2c<Model> {
    fn write_read_byte(&mut self) {
        let mut buf = [0];
        self.transaction(
            Address::SevenBit(EEPROM),
            &mut [Operation::Write(&[0]), Operation::Read(&mut buf)],
        )
        .unwrap();
    }
}

#[test]
fn a_finished_transfer_stays_finished() {
    let mut i2c = driver();
    let mut ops = [Operation::Write(&[0x10, 1])];
    let mut t = i2c.start(Address::SevenBit(EEPROM), &mut ops).unwrap();
    assert!(!t.is_done());
    let result = loop {
        if let Poll::Ready(r) = i2c.advance(&mut t) {
            break r;
        }
    };
    assert_eq!(result, Ok(()));
    assert!(t.is_done());
    assert!(!t.awaits_interrupt());
    // Advancing or aborting it again touches nothing and changes nothing.
    i2c.regs_mut().reset_counters();
    assert_eq!(i2c.advance(&mut t), Poll::Ready(Ok(())));
    i2c.abort(&mut t, Error::Timeout);
    assert_eq!(i2c.advance(&mut t), Poll::Ready(Ok(())));
    let m = i2c.regs();
    assert_eq!((m.reads(), m.writes()), (0, 0));
}

#[test]
fn abort_while_stopping_ends_at_once_with_the_first_error() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::NackAddress);
    let mut ops = [Operation::Write(&[0x10])];
    let mut t = i2c.start(Address::SevenBit(EEPROM), &mut ops).unwrap();
    // Until the NACK is seen and STOP issued.
    while !i2c.regs().events().contains(&Event::Address {
        byte: EEPROM << 1,
        ack: false,
    }) {
        assert_eq!(i2c.advance(&mut t), Poll::Pending);
    }
    assert_eq!(i2c.advance(&mut t), Poll::Pending, "STOP issued");
    assert!(!t.awaits_interrupt(), "waiting for the bus to go idle");
    let writes = i2c.regs().writes();
    i2c.abort(&mut t, Error::Timeout);
    assert!(t.is_done(), "a second abort ends the transfer at once");
    assert_eq!(i2c.regs().writes(), writes, "no second STOP");
    assert_eq!(i2c.advance(&mut t), Poll::Ready(Err(Error::AddressNack)));
}

#[test]
fn a_transfer_waiting_for_a_busy_bus_awaits_no_interrupt() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::BusyStuck(20));
    let mut ops = [Operation::Write(&[0x10])];
    let mut t = i2c.start(Address::SevenBit(EEPROM), &mut ops).unwrap();
    assert!(!t.awaits_interrupt());
    assert_eq!(i2c.regs().writes(), 0);
    let result = loop {
        if let Poll::Ready(r) = i2c.advance(&mut t) {
            break r;
        }
    };
    assert_eq!(result, Ok(()));
}

#[test]
fn ten_bit_read_segments_after_a_write_turn_around_once() {
    let mut m = model();
    let mut e = Eeprom24c02::new();
    e.memory_mut()[0x20..0x24].copy_from_slice(&[1, 2, 3, 4]);
    m.attach_ten_bit(0x2a5, e);
    let mut i2c = driver_on(m);
    let (mut a, mut b) = ([0; 2], [0; 2]);
    i2c.transaction(
        Address::TenBit(0x2a5),
        &mut [
            Operation::Write(&[0x20]),
            Operation::Read(&mut a),
            Operation::Read(&mut b),
        ],
    )
    .unwrap();
    assert_eq!((a, b), ([1, 2], [3, 4]));
    let log = i2c.regs_mut().take_events();
    // After the write, the read turns around with 11110 10 1 alone: no second low byte.
    assert_eq!(
        log[..5],
        [
            Event::Start,
            Event::Address {
                byte: 0xf4,
                ack: true
            },
            w(0xa5),
            w(0x20),
            Event::RepeatedStart,
        ]
    );
    assert_eq!(
        log[5],
        Event::Address {
            byte: 0xf5,
            ack: true
        }
    );
    assert_eq!(log[6], r(1, true));
}

#[test]
fn async_polling_on_the_fu540_yields_between_polls() {
    let mut m = Model::new_fu540();
    m.attach(EEPROM, Eeprom24c02::new());
    m.set_latency(5);
    let sim = sim_with(m);
    let signal = IrqSignal::new();
    let i2c = I2c::new(sim.regs.clone(), config().with_fu540_c000_erratum(true)).unwrap();
    let mut i2c = AsyncI2c::new(i2c, &signal, Delay(&sim));
    let start = sim.now.get();
    let (r, _) = run(&sim, &signal, i2c.write(EEPROM, &[0x30, 4]));
    r.unwrap();
    // The executor ran between polls: simulated time passed while the task waited.
    assert!(sim.now.get() - start >= 3, "the task never yielded");
}

/// In interrupt-handler mode too, a transfer that found the bus busy starts as soon as it
/// goes idle: no recovery, and no interrupt left up afterwards.
#[test]
fn a_busy_bus_in_interrupt_mode_is_waited_for_not_recovered() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::BusyStuck(20));
    let (r, _) = isr_driven(&mut i2c, &mut [Operation::Write(&[0x10, 1])]);
    r.unwrap();
    let m = i2c.regs_mut();
    assert_eq!(
        m.take_events(),
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x10),
            w(1),
            Event::Stop
        ]
    );
    assert!(
        m.reads() < 100,
        "{} reads: waited out the budget",
        m.reads()
    );
    for _ in 0..10 {
        m.tick();
    }
    assert!(!m.irq_line());
}
