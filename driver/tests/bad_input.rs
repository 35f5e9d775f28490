// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Bad input is refused with a typed error before any register access.

mod common;

use common::*;
use embedded_hal::i2c::Operation;
use sifive_i2c::{Address, Error};

#[test]
fn invalid_addresses_touch_no_register() {
    let mut i2c = driver();
    for a in [0x78u8, 0x7b, 0x7f, 0x80, 0xff] {
        assert_eq!(i2c.write(a, &[1]), Err(Error::InvalidAddress), "{a:#x}");
        let mut buf = [0xee; 2];
        assert_eq!(i2c.read(a, &mut buf), Err(Error::InvalidAddress));
        assert_eq!(buf, [0xee; 2], "buffer untouched");
    }
    for a in [0x400u16, 0x7ff, 0xffff] {
        assert_eq!(
            embedded_hal::i2c::I2c::<u16>::write(&mut i2c, a, &[1]),
            Err(Error::InvalidAddress),
            "{a:#x}"
        );
    }
    let m = i2c.regs();
    assert_eq!((m.reads(), m.writes()), (0, 0));
    assert!(m.events().is_empty());
}

#[test]
fn empty_transaction_touches_no_register() {
    let mut i2c = driver();
    assert_eq!(
        i2c.transaction(Address::SevenBit(EEPROM), &mut []),
        Err(Error::InvalidOperation)
    );
    let m = i2c.regs();
    assert_eq!((m.reads(), m.writes()), (0, 0));
}

#[test]
fn boundary_addresses_are_accepted() {
    let mut i2c = driver();
    // 0x77 is the highest 7-bit address: valid, just nobody there.
    assert_eq!(i2c.write(0x77u8, &[]), Err(Error::AddressNack));
    assert_eq!(
        embedded_hal::i2c::I2c::<u16>::write(&mut i2c, 0x3ff, &[]),
        Err(Error::AddressNack)
    );
    assert_clean_end(i2c.regs_mut());
}

#[test]
fn errors_are_displayed_and_mapped() {
    use embedded_hal::i2c::{Error as _, ErrorKind};
    let all = [
        Error::AddressNack,
        Error::DataNack { op: 1, index: 2 },
        Error::ArbitrationLoss,
        Error::Timeout,
        Error::BusBusy,
        Error::InvalidAddress,
        Error::InvalidOperation,
        Error::Unsupported,
    ];
    let errnos: Vec<i32> = all.iter().map(|e| e.errno()).collect();
    assert_eq!(errnos, [6, 5, 11, 110, 16, 22, 22, 95]);
    assert_eq!(
        Error::DataNack { op: 1, index: 2 }.to_string(),
        "data byte 2 of operation 1 not acknowledged"
    );
    assert_eq!(Error::Timeout.kind(), ErrorKind::Other);
    let _: &dyn core::error::Error = &Error::BusBusy;
    let mut ops = [Operation::Write(&[])];
    assert_eq!(i2c_after(&mut ops), Ok(()));
}

fn i2c_after(ops: &mut [Operation<'_>]) -> Result<(), Error> {
    driver().transaction(Address::SevenBit(EEPROM), ops)
}
