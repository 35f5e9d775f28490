// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The embedded-hal 1.0 transaction contract, asserted on the model's bus log.

mod common;

use common::*;
use embedded_hal::i2c::Operation;
use sifive_i2c::{Address, I2c};
use sifive_i2c_hal::model::{Event, Model, Tmp105};

fn run(i2c: &mut I2c<Model>, ops: &mut [Operation<'_>]) -> Vec<Event> {
    i2c.transaction(Address::SevenBit(EEPROM), ops)
        .expect("transaction");
    assert_clean_end(i2c.regs_mut());
    i2c.regs_mut().take_events()
}

#[test]
fn write_is_start_address_bytes_stop() {
    let mut i2c = driver();
    let log = run(&mut i2c, &mut [Operation::Write(&[0x10, 1, 2])]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x10),
            w(1),
            w(2),
            Event::Stop
        ]
    );
    assert_eq!(&eeprom(&i2c)[0x10..0x12], &[1, 2]);
}

#[test]
fn read_nacks_only_the_last_byte() {
    let mut i2c = driver();
    i2c.regs_mut()
        .target_mut::<sifive_i2c_hal::model::Eeprom24c02>(EEPROM)
        .unwrap()
        .memory_mut()[..3]
        .copy_from_slice(&[7, 8, 9]);
    i2c.write(EEPROM, &[0]).unwrap();
    clear(&mut i2c);
    let mut buf = [0; 3];
    let log = run(&mut i2c, &mut [Operation::Read(&mut buf)]);
    assert_eq!(buf, [7, 8, 9]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, true),
            r(7, true),
            r(8, true),
            r(9, false),
            Event::Stop
        ]
    );
}

#[test]
fn write_read_uses_a_repeated_start() {
    let mut i2c = driver();
    i2c.write(EEPROM, &[0x20, 0xaa, 0xbb]).unwrap();
    clear(&mut i2c);
    let mut buf = [0; 2];
    let log = run(
        &mut i2c,
        &mut [Operation::Write(&[0x20]), Operation::Read(&mut buf)],
    );
    assert_eq!(buf, [0xaa, 0xbb]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x20),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(0xaa, true),
            r(0xbb, false),
            Event::Stop,
        ]
    );
}

#[test]
fn adjacent_writes_merge_without_start_or_address() {
    let mut i2c = driver();
    let log = run(
        &mut i2c,
        &mut [
            Operation::Write(&[0x30]),
            Operation::Write(&[]),
            Operation::Write(&[5, 6]),
        ],
    );
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x30),
            w(5),
            w(6),
            Event::Stop
        ]
    );
    assert_eq!(&eeprom(&i2c)[0x30..0x32], &[5, 6]);
}

#[test]
fn adjacent_reads_merge_and_only_the_segment_end_is_nacked() {
    let mut i2c = driver();
    i2c.write(EEPROM, &[0x40, 1, 2, 3, 4]).unwrap();
    clear(&mut i2c);
    let (mut a, mut b) = ([0; 2], [0; 2]);
    let log = run(
        &mut i2c,
        &mut [
            Operation::Write(&[0x40]),
            Operation::Read(&mut a),
            Operation::Read(&mut b),
        ],
    );
    assert_eq!((a, b), ([1, 2], [3, 4]));
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x40),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(1, true),
            r(2, true),
            r(3, true),
            r(4, false),
            Event::Stop,
        ]
    );
}

#[test]
fn every_change_of_kind_gets_a_repeated_start_and_address() {
    let mut i2c = driver();
    i2c.write(EEPROM, &[0x50, 9, 8]).unwrap();
    clear(&mut i2c);
    let (mut a, mut b) = ([0; 1], [0; 1]);
    let log = run(
        &mut i2c,
        &mut [
            Operation::Write(&[0x50]),
            Operation::Read(&mut a),
            Operation::Write(&[0x51]),
            Operation::Read(&mut b),
        ],
    );
    assert_eq!((a, b), ([9], [8]));
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x50),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(9, false),
            Event::RepeatedStart,
            addr(EEPROM, false),
            w(0x51),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(8, false),
            Event::Stop,
        ]
    );
}

#[test]
fn zero_length_write_is_start_address_stop() {
    let mut i2c = driver();
    let log = run(&mut i2c, &mut [Operation::Write(&[])]);
    assert_eq!(log, [Event::Start, addr(EEPROM, false), Event::Stop]);
}

/// A read segment with no bytes still clocks one byte out and NACKs it: after a read address
/// the target owns SDA, and only a NACKed byte makes it let go for the STOP.
#[test]
fn zero_length_read_reads_and_discards_one_nacked_byte() {
    let mut i2c = driver();
    i2c.write(EEPROM, &[0x40, 0x5a]).unwrap();
    i2c.write(EEPROM, &[0x40]).unwrap();
    clear(&mut i2c);
    let log = run(&mut i2c, &mut [Operation::Read(&mut [])]);
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, true),
            r(0x5a, false),
            Event::Stop
        ]
    );
}

#[test]
fn zero_length_read_after_write_still_turns_around() {
    let mut i2c = driver();
    let log = run(
        &mut i2c,
        &mut [Operation::Write(&[0x60]), Operation::Read(&mut [])],
    );
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, false),
            w(0x60),
            Event::RepeatedStart,
            addr(EEPROM, true),
            r(0xff, false),
            Event::Stop,
        ]
    );
}

#[test]
fn zero_length_read_between_segments_lets_go_before_the_repeated_start() {
    let mut i2c = driver();
    let log = run(
        &mut i2c,
        &mut [
            Operation::Read(&mut []),
            Operation::Read(&mut []),
            Operation::Write(&[0x61]),
        ],
    );
    assert_eq!(
        log,
        [
            Event::Start,
            addr(EEPROM, true),
            r(0xff, false),
            Event::RepeatedStart,
            addr(EEPROM, false),
            w(0x61),
            Event::Stop,
        ]
    );
}

#[test]
fn stop_rides_on_the_last_byte_command() {
    let mut i2c = driver();
    i2c.write(EEPROM, &[0x70, 1]).unwrap();
    // START+address, the word address, the last byte with STO: three commands.
    assert_eq!(i2c.regs().writes_of(sifive_i2c_hal::regs::WriteReg::Cr), 3);
}

#[test]
fn ten_bit_write_sends_both_address_bytes() {
    let mut m = Model::new();
    m.attach_ten_bit(0x2a5, sifive_i2c_hal::model::Eeprom24c02::new());
    let mut i2c = driver_on(m);
    embedded_hal::i2c::I2c::<u16>::write(&mut i2c, 0x2a5, &[0x01, 0x5a]).unwrap();
    assert_clean_end(i2c.regs_mut());
    assert_eq!(
        i2c.regs_mut().take_events(),
        [
            Event::Start,
            Event::Address {
                byte: 0xf4,
                ack: true
            },
            w(0xa5),
            w(0x01),
            w(0x5a),
            Event::Stop,
        ]
    );
}

#[test]
fn ten_bit_read_turns_around_with_11110xx1() {
    let mut m = Model::new();
    let mut e = sifive_i2c_hal::model::Eeprom24c02::new();
    e.memory_mut()[0] = 0x77;
    m.attach_ten_bit(0x1c3, e);
    let mut i2c = driver_on(m);
    let mut buf = [0; 1];
    embedded_hal::i2c::I2c::<u16>::read(&mut i2c, 0x1c3, &mut buf).unwrap();
    assert_eq!(buf, [0x77]);
    assert_clean_end(i2c.regs_mut());
    assert_eq!(
        i2c.regs_mut().take_events(),
        [
            Event::Start,
            Event::Address {
                byte: 0xf2,
                ack: true
            },
            w(0xc3),
            Event::RepeatedStart,
            Event::Address {
                byte: 0xf3,
                ack: true
            },
            r(0x77, false),
            Event::Stop,
        ]
    );
    // write_read: the turn-around needs only 11110xx1 after the repeated START.
    let mut buf = [0; 1];
    embedded_hal::i2c::I2c::<u16>::write_read(&mut i2c, 0x1c3, &[0], &mut buf).unwrap();
    assert_eq!(buf, [0x77]);
    assert_eq!(
        i2c.regs_mut().take_events(),
        [
            Event::Start,
            Event::Address {
                byte: 0xf2,
                ack: true
            },
            w(0xc3),
            w(0x00),
            Event::RepeatedStart,
            Event::Address {
                byte: 0xf3,
                ack: true
            },
            r(0x77, false),
            Event::Stop,
        ]
    );
}

#[test]
fn tmp105_temperature_read_with_write_read() {
    let mut i2c = driver();
    let mut buf = [0; 2];
    i2c.write_read(TMP105, &[0], &mut buf).unwrap();
    assert_eq!(i16::from_be_bytes(buf), TEMPERATURE);
    assert_clean_end(i2c.regs_mut());
    i2c.regs_mut()
        .target_mut::<Tmp105>(TMP105)
        .unwrap()
        .set_temperature(-10 * 256);
    i2c.write_read(TMP105, &[0], &mut buf).unwrap();
    assert_eq!(i16::from_be_bytes(buf), -10 * 256);
}

#[test]
fn tmp105_config_register_write_and_read_back() {
    let mut i2c = driver();
    i2c.write(TMP105, &[1, 0x60]).unwrap();
    let mut buf = [0; 1];
    i2c.write_read(TMP105, &[1], &mut buf).unwrap();
    assert_eq!(buf, [0x60]);
    i2c.write(TMP105, &[3, 0x55, 0x80]).unwrap();
    let mut buf = [0; 2];
    i2c.write_read(TMP105, &[3], &mut buf).unwrap();
    assert_eq!(buf, [0x55, 0x80]);
}

#[test]
fn polling_costs_are_bounded_per_byte() {
    // With a one-poll latency, a written byte costs TXR + CR writes and one SR read.
    let mut m = model();
    m.set_latency(1);
    let mut i2c = driver_on(m);
    i2c.write(EEPROM, &[0; 17]).unwrap();
    let m = i2c.regs();
    // Per command one SR read, plus the BUSY check at the start; the SR that shows the last
    // byte done also shows the bus idle.
    assert_eq!(m.writes(), 2 * 18, "TXR+CR for the address and 17 bytes");
    assert_eq!(m.reads(), 1 + 18);
}
