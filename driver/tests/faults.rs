// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Every injected fault gives its error, the bus ends with STOP and the next transfer works.

mod common;

use std::task::Poll;

use common::*;
use embedded_hal::i2c::{Error as _, ErrorKind, NoAcknowledgeSource, Operation};
use sifive_i2c::{Address, Config, Error, I2c};
use sifive_i2c_hal::model::{Event, Fault, GuestError, Model};
use sifive_i2c_hal::regs::WriteReg;

/// The next transfer after a fault works and the bus is clean afterwards.
fn assert_recovers(i2c: &mut I2c<Model>) {
    i2c.regs_mut().take_events();
    i2c.write(EEPROM, &[0x80, 0x11, 0x22])
        .expect("write after the fault");
    let mut buf = [0; 2];
    i2c.write_read(EEPROM, &[0x80], &mut buf)
        .expect("read after the fault");
    assert_eq!(buf, [0x11, 0x22]);
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn absent_address_is_an_address_nack() {
    let mut i2c = driver();
    let err = i2c.write(ABSENT, &[1, 2]).unwrap_err();
    assert_eq!(err, Error::AddressNack);
    assert_eq!(
        err.kind(),
        ErrorKind::NoAcknowledge(NoAcknowledgeSource::Address)
    );
    assert_eq!(err.errno(), 6);
    let m = i2c.regs_mut();
    assert_eq!(
        m.events(),
        &[
            Event::Start,
            Event::Address {
                byte: ABSENT << 1,
                ack: false
            },
            Event::Stop
        ]
    );
    assert_clean_end(m);
    assert_recovers(&mut i2c);
}

#[test]
fn injected_address_nack_on_a_read() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::NackAddress);
    let mut buf = [0; 4];
    assert_eq!(i2c.read(EEPROM, &mut buf), Err(Error::AddressNack));
    assert_eq!(buf, [0; 4], "nothing read");
    assert_clean_end(i2c.regs_mut());
    assert_recovers(&mut i2c);
}

#[test]
fn data_nack_reports_operation_and_byte() {
    let mut i2c = driver();
    // Data bytes: 0x10 (k = 0) in the first operation, then 1, 2, 3 (k = 1..3).
    i2c.regs_mut().inject(Fault::NackData(2));
    let err = i2c
        .transaction(
            sifive_i2c::Address::SevenBit(EEPROM),
            &mut [
                embedded_hal::i2c::Operation::Write(&[0x10]),
                embedded_hal::i2c::Operation::Write(&[1, 2, 3]),
            ],
        )
        .unwrap_err();
    assert_eq!(err, Error::DataNack { op: 1, index: 1 });
    assert_eq!(
        err.kind(),
        ErrorKind::NoAcknowledge(NoAcknowledgeSource::Data)
    );
    let m = i2c.regs_mut();
    assert_eq!(
        m.events(),
        &[
            Event::Start,
            addr(EEPROM, false),
            w(0x10),
            w(1),
            Event::Write {
                byte: 2,
                ack: false
            },
            Event::Stop,
        ],
        "no byte after the NACK"
    );
    assert_clean_end(m);
    assert_recovers(&mut i2c);
}

#[test]
fn data_nack_on_the_last_byte_has_a_single_stop() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::NackData(1));
    assert_eq!(
        i2c.write(EEPROM, &[0x10, 0x99]),
        Err(Error::DataNack { op: 0, index: 1 })
    );
    let m = i2c.regs_mut();
    assert_eq!(m.events().iter().filter(|e| **e == Event::Stop).count(), 1);
    assert_clean_end(m);
    assert_recovers(&mut i2c);
}

#[test]
fn arbitration_loss_on_the_address_data_and_read() {
    for (k, read) in [(0, false), (2, false), (1, true), (3, true)] {
        let mut i2c = driver();
        i2c.regs_mut().inject(Fault::ArbitrationLoss(k));
        let err = if read {
            let mut buf = [0; 4];
            i2c.read(EEPROM, &mut buf).unwrap_err()
        } else {
            i2c.write(EEPROM, &[0x10, 1, 2, 3]).unwrap_err()
        };
        assert_eq!(err, Error::ArbitrationLoss, "byte {k}, read {read}");
        assert_eq!(err.kind(), ErrorKind::ArbitrationLoss);
        assert_eq!(err.errno(), 11);
        let m = i2c.regs_mut();
        let log = m.events().to_vec();
        let lost = log
            .iter()
            .position(|e| *e == Event::ArbitrationLost)
            .expect("lost");
        assert_eq!(
            &log[lost + 1..],
            &[Event::Stop],
            "nothing but STOP after the loss"
        );
        assert_clean_end(m);
        assert_recovers(&mut i2c);
    }
}

#[test]
fn tip_stuck_times_out_with_stop() {
    let mut i2c = I2c::new(model(), config().with_poll_budget(50)).unwrap();
    clear(&mut i2c);
    i2c.regs_mut().inject(Fault::TipStuck);
    let err = i2c.write(EEPROM, &[0x10, 1]).unwrap_err();
    assert_eq!(err, Error::Timeout);
    assert_eq!(err.errno(), 110);
    let m = i2c.regs_mut();
    // The budget is spent on SR polls of the stuck command (plus the BUSY check).
    assert!(
        m.reads() <= 50 + 1 + 50,
        "bounded wait: {} reads",
        m.reads()
    );
    assert_eq!(m.events().last(), Some(&Event::Stop));
    assert!(m.bus_idle());
    // Aborting means overwriting the stuck command: that is the one tolerated misuse.
    assert!(matches!(
        m.take_guest_errors()[..],
        [GuestError::CommandWhileTip(_)]
    ));
    assert_recovers(&mut i2c);
}

/// Another master holding the bus for a while: the transfer waits for it, touching nothing.
#[test]
fn a_busy_bus_is_waited_for_without_a_write() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::BusyStuck(100));
    i2c.write(EEPROM, &[0x10, 1]).unwrap();
    let m = i2c.regs_mut();
    assert_eq!(m.events()[0], Event::Start);
    assert_clean_end(m);
    // The SR reads of the wait, then the transfer's 3 writes per byte command.
    assert!(m.reads() >= 100);
}

/// A bus that stays busy through the wait and the recovery is reported as BusBusy; a command
/// stuck in flight (TIP) is not recovered with more commands.
#[test]
fn a_bus_that_stays_busy_is_bus_busy() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::BusyStuck(u32::MAX));
    assert_eq!(i2c.write(EEPROM, &[0x10, 1]), Err(Error::BusBusy));
    assert_eq!(Error::BusBusy.errno(), 16);
    let m = i2c.regs_mut();
    assert!(!m.events().contains(&Event::Start), "{:?}", m.events());
    assert_eq!(m.guest_errors(), &[]);
    m.clear_faults();
    assert_recovers(&mut i2c);

    let mut i2c = I2c::new(model(), config().with_poll_budget(50)).unwrap();
    clear(&mut i2c);
    i2c.regs_mut().inject(Fault::TipStuck);
    {
        let mut ops = [Operation::Write(&[0x10, 1])];
        let mut t = i2c.start(Address::SevenBit(EEPROM), &mut ops).unwrap();
        for _ in 0..10 {
            assert_eq!(i2c.advance(&mut t), Poll::Pending);
        }
    }
    // The address command never ends; its owner gave up. A second transfer finds TIP set.
    clear(&mut i2c);
    assert_eq!(i2c.write(EEPROM, &[0x10, 1]), Err(Error::BusBusy));
    let m = i2c.regs_mut();
    assert_eq!(m.writes(), 0);
    assert!(m.reads() <= 51, "{} reads", m.reads());
}

#[test]
fn spurious_interrupt_flag_is_ignored_while_a_byte_is_in_flight() {
    let mut i2c = driver();
    i2c.write(EEPROM, &[0x90, 4, 5, 6]).unwrap();
    clear(&mut i2c);
    i2c.regs_mut().inject(Fault::SpuriousIf);
    let mut buf = [0; 3];
    i2c.write_read(EEPROM, &[0x90], &mut buf).unwrap();
    assert_eq!(buf, [4, 5, 6]);
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn clock_stretching_within_the_budget_succeeds() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::ClockStretch(200));
    i2c.write(EEPROM, &[0xa0, 7]).unwrap();
    let mut buf = [0; 1];
    i2c.write_read(EEPROM, &[0xa0], &mut buf).unwrap();
    assert_eq!(buf, [7]);
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn clock_stretching_beyond_the_budget_times_out_and_recovers() {
    let mut i2c = driver();
    i2c.regs_mut().inject(Fault::ClockStretch(5_000));
    assert_eq!(i2c.write(EEPROM, &[0xa0, 7]), Err(Error::Timeout));
    let m = i2c.regs_mut();
    assert_eq!(m.events().last(), Some(&Event::Stop));
    assert!(m.bus_idle());
    // The STOP, and the recovery's commands while the stretched byte still runs, are
    // written while TIP is set; as in the RTL they only add their STO to that byte.
    let errors = m.take_guest_errors();
    assert!(!errors.is_empty());
    assert!(errors
        .iter()
        .all(|e| matches!(e, GuestError::CommandWhileTip(_))));
    m.clear_faults();
    assert_recovers(&mut i2c);
}

#[test]
fn fu540_erratum_polls_tip_and_refuses_interrupts() {
    let mut m = Model::new_fu540();
    m.attach(EEPROM, sifive_i2c_hal::model::Eeprom24c02::new());
    let mut i2c = I2c::new(m, config().with_fu540_c000_erratum(true)).unwrap();
    assert_eq!(i2c.set_interrupt(true), Err(Error::Unsupported));
    assert_eq!(Error::Unsupported.errno(), 95);
    assert!(!i2c.interrupt_pending());
    i2c.write(EEPROM, &[0x10, 1, 2]).unwrap();
    let mut buf = [0; 2];
    i2c.write_read(EEPROM, &[0x10], &mut buf).unwrap();
    assert_eq!(buf, [1, 2]);
    assert_eq!(i2c.write(ABSENT, &[]), Err(Error::AddressNack));
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn the_erratum_setting_is_per_instance() {
    // One FU540 controller and one clean core in the same system.
    let a = I2c::new(
        Model::new_fu540(),
        Config::new(CLOCK_HZ, sifive_i2c::BusSpeed::Fast).with_fu540_c000_erratum(true),
    );
    let b = I2c::new(model(), config());
    let (mut a, mut b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.set_interrupt(true), Err(Error::Unsupported));
    assert_eq!(b.set_interrupt(true), Ok(()));
    assert_eq!(b.regs().writes_of(WriteReg::Ctr), 3);
}
