// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Unit tests of the model.

use super::*;
use crate::regs::Sr;
use crate::Regs;

fn wait(m: &mut Model) -> Sr {
    loop {
        let sr = m.sr();
        if !sr.contains(Sr::TIP) && sr.contains(Sr::IF) {
            return sr;
        }
    }
}

#[test]
fn reset_values() {
    let mut m = Model::new();
    assert_eq!(m.read(ReadReg::PrerLo), 0xff);
    assert_eq!(m.read(ReadReg::PrerHi), 0xff);
    assert_eq!(m.read(ReadReg::Ctr), 0);
    assert_eq!(m.read(ReadReg::Sr), 0);
}

#[test]
fn commands_are_ignored_while_disabled() {
    let mut m = Model::new();
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::WR);
    assert_eq!(m.sr(), Sr::empty());
    assert!(m.events().is_empty());
    assert_eq!(m.guest_errors(), &[GuestError::CommandWhileDisabled(0x90)]);
}

#[test]
fn tip_then_if_held_until_iack_and_irq_line() {
    let mut m = Model::new();
    m.set_latency(2);
    m.set_ctr(Ctr::EN | Ctr::IEN);
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::WR);
    let sr = m.sr();
    assert!(sr.contains(Sr::TIP));
    let sr2 = m.sr();
    assert_eq!(sr2 & (Sr::TIP | Sr::IF), Sr::IF, "{sr:?} then {sr2:?}");
    assert!(sr2.contains(Sr::BUSY | Sr::RXACK), "nobody at 0x50");
    assert!(m.irq_line());
    assert!(m.sr().contains(Sr::IF), "IF is held");
    m.set_cr(Cr::IACK);
    assert!(!m.sr().contains(Sr::IF));
    assert!(!m.irq_line());
    m.set_cr(Cr::STO);
    wait(&mut m);
    assert!(!m.sr().contains(Sr::BUSY));
}

#[test]
fn fu540_erratum_if_cannot_be_cleared() {
    let mut m = Model::new_fu540();
    m.set_ctr(Ctr::EN | Ctr::IEN);
    m.set_cr(Cr::STA | Cr::STO);
    wait(&mut m);
    m.set_cr(Cr::IACK);
    assert!(m.sr().contains(Sr::IF));
    // The line stays high: only clearing IEN lowers it.
    assert!(m.irq_line());
    m.set_ctr(Ctr::EN);
    assert!(!m.irq_line());
}

#[test]
fn sifive_port_accepts_commands_while_disabled() {
    let mut m = Model::new();
    m.attach(0x50, Eeprom24c02::new());
    m.set_sifive_port(true);
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::WR);
    wait(&mut m);
    assert_eq!(m.sr(), Sr::BUSY | Sr::IF);
    // IACK too.
    m.set_cr(Cr::IACK);
    assert_eq!(m.sr(), Sr::BUSY);
    m.set_cr(Cr::STO);
    wait(&mut m);
    assert_eq!(m.sr(), Sr::IF);
    assert!(m.guest_errors().is_empty());
    assert!(m.bus_idle());
}

#[test]
fn arbitration_loss_is_sticky_until_sta() {
    let mut m = Model::new();
    m.attach(0x50, Eeprom24c02::new());
    m.inject(Fault::ArbitrationLoss(0));
    m.set_ctr(Ctr::EN);
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::WR);
    let sr = wait(&mut m);
    assert!(sr.contains(Sr::AL | Sr::BUSY));
    m.set_cr(Cr::STO | Cr::IACK);
    assert!(m.sr().contains(Sr::AL));
    wait(&mut m);
    m.set_cr(Cr::STA | Cr::WR | Cr::IACK);
    assert!(!m.sr().contains(Sr::AL));
}

/// Addresses the EEPROM for reading with `byte` next in line.
fn read_addressed(byte: u8) -> Model {
    let mut m = Model::new();
    let mut e = Eeprom24c02::new();
    e.memory_mut()[0] = byte;
    m.attach(0x50, e);
    m.set_ctr(Ctr::EN);
    m.write(WriteReg::Txr, 0xa1);
    m.set_cr(Cr::STA | Cr::WR);
    assert!(!wait(&mut m).contains(Sr::RXACK));
    m.set_cr(Cr::IACK);
    m
}

#[test]
fn stop_after_a_read_address_fails_when_the_next_bit_is_0() {
    let mut m = read_addressed(0x3c);
    m.set_cr(Cr::STO);
    let sr = wait(&mut m);
    assert!(sr.contains(Sr::BUSY), "no STOP on the bus: {sr:?}");
    assert_eq!(
        m.events().last(),
        Some(&Event::Address {
            byte: 0xa1,
            ack: true
        })
    );
    // A RD clocks the held byte out; after the NACK the STOP succeeds.
    m.set_cr(Cr::RD | Cr::ACK | Cr::STO | Cr::IACK);
    assert!(!wait(&mut m).contains(Sr::BUSY));
    assert_eq!(m.read(ReadReg::Rxr), 0x3c);
    assert_eq!(
        m.events()[2..],
        [
            Event::Read {
                byte: 0x3c,
                ack: false
            },
            Event::Stop
        ]
    );
    assert!(m.bus_idle());
}

#[test]
fn stop_after_a_read_address_succeeds_when_the_next_bit_is_1() {
    let mut m = read_addressed(0x80);
    m.set_cr(Cr::STO);
    assert!(!wait(&mut m).contains(Sr::BUSY));
    assert_eq!(m.events().last(), Some(&Event::Stop));
}

#[test]
fn a_stuck_target_holds_sda_until_clocked() {
    let mut m = Model::new();
    m.attach(0x50, Eeprom24c02::new());
    m.set_ctr(Ctr::EN);
    m.inject(Fault::SdaStuck(12));
    assert!(m.sr().contains(Sr::BUSY));
    // STOP: IF, but no STOP while SDA is held.
    m.set_cr(Cr::STO);
    assert!(wait(&mut m).contains(Sr::BUSY));
    // 9 clocks: the NACK bit is sent as 1 while held, which loses arbitration.
    m.set_cr(Cr::RD | Cr::ACK | Cr::IACK);
    let sr = wait(&mut m);
    assert!(
        sr.contains(Sr::AL | Sr::BUSY) && !sr.contains(Sr::RXACK),
        "{sr:?}"
    );
    assert_eq!(m.sda_stuck(), 3);
    // Three more held bits read 0; the STOP then frees the bus (AL stays until STA).
    m.set_cr(Cr::RD | Cr::ACK | Cr::STO | Cr::IACK);
    let sr = wait(&mut m);
    assert!(!sr.contains(Sr::BUSY), "{sr:?}");
    assert_eq!(m.read(ReadReg::Rxr), 0x1f);
    assert_eq!(
        m.events(),
        &[
            Event::ArbitrationLost,
            Event::Read {
                byte: 0x1f,
                ack: false
            },
            Event::Stop
        ]
    );
}

#[test]
fn an_address_bit_sent_as_1_loses_to_a_stuck_target() {
    let mut m = Model::new();
    m.set_ctr(Ctr::EN);
    m.inject(Fault::SdaStuck(u32::MAX));
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::WR);
    let sr = wait(&mut m);
    assert!(sr.contains(Sr::AL | Sr::BUSY), "{sr:?}");
    assert_eq!(m.events(), &[Event::ArbitrationLost]);
    assert_eq!(m.sda_stuck(), u32::MAX);
}

/// An enabled controller with an EEPROM whose bytes from 0 are `bytes`.
fn with_eeprom(bytes: &[u8]) -> Model {
    let mut m = Model::new();
    let mut e = Eeprom24c02::new();
    e.memory_mut()[..bytes.len()].copy_from_slice(bytes);
    m.attach(0x50, e);
    m.set_ctr(Ctr::EN);
    m
}

/// Writes TXR and CR, then waits for the command.
fn send(m: &mut Model, cr: Cr, byte: u8) -> Sr {
    m.write(WriteReg::Txr, byte);
    m.set_cr(cr | Cr::IACK);
    wait(m)
}

fn eeprom(m: &Model, index: usize) -> Option<u8> {
    m.target::<Eeprom24c02>(0x50).map(|e| e.memory()[index])
}

#[test]
fn sta_alone_does_nothing() {
    let mut m = with_eeprom(&[]);
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA);
    for _ in 0..10 {
        assert_eq!(m.sr(), Sr::empty());
    }
    assert!(m.events().is_empty());
    assert!(send(&mut m, Cr::STA | Cr::WR, 0xa0).contains(Sr::BUSY));
}

#[test]
fn rxr_is_the_shift_register() {
    let mut m = with_eeprom(&[]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    assert_eq!(m.read(ReadReg::Rxr), 0x50);
    send(&mut m, Cr::WR, 0xa5);
    assert_eq!(m.read(ReadReg::Rxr), 0xd2);
    // Any command that starts reloads it from TXR, a STOP alone too.
    m.write(WriteReg::Txr, 0x3c);
    m.set_cr(Cr::STO | Cr::IACK);
    assert_eq!(m.read(ReadReg::Rxr), 0x3c);
    wait(&mut m);
    assert_eq!(m.read(ReadReg::Rxr), 0x3c);
}

#[test]
fn sto_mid_byte_finishes_the_byte_then_stops() {
    let mut m = with_eeprom(&[0x11]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    send(&mut m, Cr::WR, 0x00);
    m.write(WriteReg::Txr, 0x77);
    m.set_cr(Cr::WR | Cr::IACK);
    m.set_cr(Cr::STO | Cr::IACK);
    // TIP follows CR at once; the byte still reaches the target, then the STOP.
    let sr = m.sr();
    assert!(!sr.contains(Sr::TIP) && sr.contains(Sr::BUSY), "{sr:?}");
    assert!(!wait(&mut m).contains(Sr::BUSY));
    assert_eq!(eeprom(&m, 0), Some(0x77));
    assert_eq!(m.events().last(), Some(&Event::Stop));
}

#[test]
fn iack_mid_byte_clears_tip_and_cancels_the_stop() {
    let mut m = with_eeprom(&[]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    m.write(WriteReg::Txr, 0x44);
    m.set_cr(Cr::WR | Cr::STO | Cr::IACK);
    m.set_cr(Cr::IACK);
    assert!(!m.sr().contains(Sr::TIP));
    let sr = wait(&mut m);
    assert!(sr.contains(Sr::BUSY | Sr::IF), "{sr:?}");
    assert_ne!(m.events().last(), Some(&Event::Stop));
    assert!(!send(&mut m, Cr::STO, 0).contains(Sr::BUSY));
}

#[test]
fn a_command_written_during_a_stop_alone_starts_after_it() {
    let mut m = with_eeprom(&[]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    m.set_cr(Cr::STO | Cr::IACK);
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::WR | Cr::IACK);
    assert!(!wait(&mut m).contains(Sr::RXACK));
    assert_eq!(
        m.events()[2..],
        [
            Event::Stop,
            Event::Start,
            Event::Address {
                byte: 0xa0,
                ack: true
            }
        ]
    );
}

#[test]
fn txr_written_mid_byte_is_not_sent() {
    let mut m = with_eeprom(&[]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    send(&mut m, Cr::WR, 0x08);
    m.write(WriteReg::Txr, 0x12);
    m.set_cr(Cr::WR | Cr::STO | Cr::IACK);
    m.write(WriteReg::Txr, 0x34);
    wait(&mut m);
    assert_eq!(eeprom(&m, 8), Some(0x12));
}

#[test]
fn rd_and_wr_both_set_read() {
    let mut m = with_eeprom(&[0x5e]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    send(&mut m, Cr::WR, 0x00);
    send(&mut m, Cr::STA | Cr::WR, 0xa1);
    let sr = send(&mut m, Cr::RD | Cr::WR | Cr::ACK | Cr::STO, 0x00);
    assert_eq!(sr & (Sr::RXACK | Sr::BUSY), Sr::RXACK);
    assert_eq!(m.read(ReadReg::Rxr), 0x5e);
    assert_eq!(eeprom(&m, 0), Some(0x5e));
}

#[test]
fn sta_sto_sends_the_txr_byte_and_sta_rd_reads_without_address() {
    let mut m = with_eeprom(&[]);
    m.write(WriteReg::Txr, 0xa0);
    m.set_cr(Cr::STA | Cr::STO);
    assert!(!m.sr().contains(Sr::TIP));
    assert!(!wait(&mut m).contains(Sr::BUSY | Sr::RXACK));
    assert_eq!(
        m.events(),
        &[
            Event::Start,
            Event::Address {
                byte: 0xa0,
                ack: true
            },
            Event::Stop
        ]
    );
    let sr = send(&mut m, Cr::STA | Cr::RD | Cr::ACK, 0xa0);
    assert!(sr.contains(Sr::BUSY));
    assert_eq!(m.read(ReadReg::Rxr), 0xff);
}

#[test]
fn arbitration_loss_clears_rxack() {
    let mut m = with_eeprom(&[]);
    assert!(send(&mut m, Cr::STA | Cr::WR, 0x20).contains(Sr::RXACK));
    m.inject(Fault::ArbitrationLoss(1));
    let sr = send(&mut m, Cr::WR, 0);
    assert_eq!(sr & (Sr::AL | Sr::RXACK), Sr::AL, "{sr:?}");
}

#[test]
fn stop_after_an_acked_byte_holds_the_bus_without_al() {
    let mut m = with_eeprom(&[0xff, 0x00]);
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    send(&mut m, Cr::WR, 0x00);
    send(&mut m, Cr::STA | Cr::WR, 0xa1);
    send(&mut m, Cr::RD, 0);
    let sr = send(&mut m, Cr::STO, 0);
    assert_eq!(sr & (Sr::AL | Sr::BUSY), Sr::BUSY, "{sr:?}");
    let sr = send(&mut m, Cr::RD | Cr::ACK | Cr::STO, 0);
    assert!(!sr.contains(Sr::BUSY | Sr::AL), "{sr:?}");
    assert_eq!(m.read(ReadReg::Rxr), 0x00);
}

#[test]
fn wrong_direction_loses_arbitration() {
    let mut m = with_eeprom(&[0x0f]);
    // WR after a read address: our 1 against the target's 0.
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    send(&mut m, Cr::WR, 0x00);
    send(&mut m, Cr::STA | Cr::WR, 0xa1);
    assert!(send(&mut m, Cr::WR, 0x80).contains(Sr::AL | Sr::BUSY));
    send(&mut m, Cr::STO, 0);
    // RD with NACK after a write address: the target ACKs a 0xff data byte.
    send(&mut m, Cr::STA | Cr::WR, 0xa0);
    send(&mut m, Cr::WR, 0x01);
    let sr = send(&mut m, Cr::RD | Cr::ACK, 0);
    assert!(sr.contains(Sr::AL | Sr::BUSY), "{sr:?}");
    assert_eq!(m.read(ReadReg::Rxr), 0xff);
    assert!(!send(&mut m, Cr::STO, 0).contains(Sr::BUSY));
    assert_eq!(eeprom(&m, 1), Some(0xff));
}

#[test]
fn eeprom_page_write_wraps_within_the_page() {
    let mut e = Eeprom24c02::new();
    e.start(false);
    for b in [0x06, 1, 2, 3, 4] {
        e.write(b);
    }
    assert_eq!(&e.memory()[0..8], &[3, 4, 0xff, 0xff, 0xff, 0xff, 1, 2]);
}

#[test]
fn tmp105_reads_big_endian() {
    let mut t = Tmp105::new(25 * 256 + 128);
    t.start(false);
    t.write(0);
    t.start(true);
    assert_eq!([t.read(), t.read()], [25, 0x80]);
}
