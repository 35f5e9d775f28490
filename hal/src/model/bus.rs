// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The bus: its events, the target interface, and the bus-side half of the model (START,
//! STOP, address and data bytes, who drives SDA).

use std::any::Any;
use std::fmt;

use super::{Fault, Model};

/// Something that happened on the bus, in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A START condition on an idle bus.
    Start,
    /// A START condition while the master holds the bus (repeated START).
    RepeatedStart,
    /// The first byte after a START: address and R/W bit, and the target's answer.
    Address {
        /// The byte as sent (7-bit address in bits 7:1, R/W in bit 0, 1 = read).
        byte: u8,
        /// The target acknowledged it.
        ack: bool,
    },
    /// A byte written by the master, and the target's answer.
    Write {
        /// The byte.
        byte: u8,
        /// The target acknowledged it.
        ack: bool,
    },
    /// A byte read by the master, and the master's answer.
    Read {
        /// The byte.
        byte: u8,
        /// The master acknowledged it (`false`: NACK, the end of a read).
        ack: bool,
    },
    /// The master lost arbitration to another master; the bus stays busy.
    ArbitrationLost,
    /// A STOP condition.
    Stop,
}

/// An I2C target on the model's bus.
pub trait Target: Any + fmt::Debug {
    /// The target is addressed for a read (`read`) or a write; returns whether it ACKs.
    fn start(&mut self, read: bool) -> bool {
        let _ = read;
        true
    }

    /// The master writes `byte`; returns whether the target ACKs it.
    fn write(&mut self, byte: u8) -> bool;

    /// The master reads a byte.
    fn read(&mut self) -> u8;

    /// A STOP condition (or a repeated START addressing another target) ends the access.
    fn stop(&mut self) {}

    /// The target as `Any`, for tests that inspect its state.
    fn as_any(&self) -> &dyn Any;

    /// The target as `Any`, mutably.
    fn as_any_mut(&mut self) -> &mut dyn Any;
}

/// Which target a key names in the model's target table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(super) enum Key {
    Seven(u8),
    Ten(u16),
}

/// The bus as the master sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Bus {
    /// No START since the last STOP.
    Idle,
    /// This master holds the bus.
    Owned,
    /// Another master holds the bus (after arbitration loss).
    Lost,
    /// A transfer was interrupted without its STOP (a host reset with a target stuck
    /// mid-byte): BUSY is set, no target is addressed, byte commands clock the bus.
    Interrupted,
}

/// The transaction phase inside a held bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Phase {
    /// The next byte written is an address byte.
    Address,
    /// The next byte written is the second byte of a 10-bit address with these high bits.
    TenBitLow(u8),
    /// Address phase done: data bytes flow to or from `selected`.
    Data,
}

impl Model {
    /// Whether a target holds SDA low at the next SCL pulse: a stuck target, or a
    /// transmitting target whose next bit is 0 (asked for it now if not yet).
    pub(super) fn sda_low(&mut self) -> bool {
        if self.sda_stuck > 0 {
            return true;
        }
        if !self.owed {
            return false;
        }
        let byte = match self.tx_byte {
            Some(byte) => byte,
            None => {
                let byte = self.fetch();
                self.tx_byte = Some(byte);
                byte
            }
        };
        byte & 0x80 == 0
    }

    /// Asks the addressed target for the byte it transmits next.
    pub(super) fn fetch(&mut self) -> u8 {
        match self.selected.and_then(|key| self.targets.get_mut(&key)) {
            Some(t) => t.read(),
            // Nobody drives SDA: the pull-up reads as ones.
            None => 0xff,
        }
    }

    pub(super) fn lose_arbitration(&mut self) {
        self.owed = false;
        self.tx_byte = None;
        self.al = true;
        self.rxack = false;
        self.events.push(Event::ArbitrationLost);
        if let Some(key) = self.selected.take() {
            if let Some(t) = self.targets.get_mut(&key) {
                t.stop();
            }
        }
        self.bus = Bus::Lost;
    }

    pub(super) fn start_condition(&mut self) {
        self.owed = false;
        self.tx_byte = None;
        if let Some(key) = self.selected.take() {
            if let Some(t) = self.targets.get_mut(&key) {
                t.stop();
            }
        }
        match self.bus {
            Bus::Owned => self.events.push(Event::RepeatedStart),
            Bus::Idle | Bus::Lost | Bus::Interrupted => {
                self.events.push(Event::Start);
                self.bytes_since_start = 0;
                self.data_written = 0;
            }
        }
        self.bus = Bus::Owned;
        self.phase = Phase::Address;
    }

    pub(super) fn stop_condition(&mut self) {
        self.owed = false;
        self.tx_byte = None;
        if self.bus == Bus::Idle {
            return;
        }
        if let Some(key) = self.selected.take() {
            if let Some(t) = self.targets.get_mut(&key) {
                t.stop();
            }
        }
        self.events.push(Event::Stop);
        self.bus = Bus::Idle;
        self.phase = Phase::Address;
    }

    pub(super) fn write_byte(&mut self) {
        let byte = self.shift;
        self.bytes_since_start += 1;
        // The shift register ends rotated by one: 0xa5 reads back 0xd2.
        self.rxr = byte.rotate_right(1);
        let ack = match self.phase {
            Phase::Address => {
                let ack = self.address(byte);
                let ack = ack && !self.take_fault(|f| *f == Fault::NackAddress);
                if !ack {
                    self.selected = None;
                }
                self.events.push(Event::Address { byte, ack });
                ack
            }
            Phase::TenBitLow(high) => {
                let address = (u16::from(high) << 8) | u16::from(byte);
                let key = Key::Ten(address);
                let ack = match self.targets.get_mut(&key) {
                    Some(t) => t.start(false),
                    None => false,
                };
                let ack = ack && !self.take_fault(|f| *f == Fault::NackAddress);
                self.selected = ack.then_some(key);
                self.last_ten_bit = ack.then_some(address);
                self.phase = Phase::Data;
                self.events.push(Event::Write { byte, ack });
                ack
            }
            Phase::Data => {
                let k = self.data_written;
                self.data_written += 1;
                let ack = match self.selected.and_then(|key| self.targets.get_mut(&key)) {
                    Some(t) => t.write(byte),
                    None => false,
                };
                let ack = ack && !self.take_fault(|f| *f == Fault::NackData(k));
                self.events.push(Event::Write { byte, ack });
                ack
            }
        };
        self.rxack = !ack;
    }

    /// Handles an address byte; returns the ACK.
    pub(super) fn address(&mut self, byte: u8) -> bool {
        let read = byte & 1 == 1;
        if byte & 0xf8 == 0xf0 {
            let high = (byte >> 1) & 3;
            if read {
                // 11110xx1 after a repeated START addresses the last 10-bit target again.
                let target = self.last_ten_bit.filter(|a| (a >> 8) as u8 == high);
                self.phase = Phase::Data;
                let key = target.map(Key::Ten);
                let ack = match key.and_then(|k| self.targets.get_mut(&k)) {
                    Some(t) => t.start(true),
                    None => false,
                };
                self.selected = if ack { key } else { None };
                self.read_dir = true;
                self.owed = ack;
                ack
            } else {
                self.phase = Phase::TenBitLow(high);
                self.read_dir = false;
                self.last_ten_bit = None;
                self.targets
                    .keys()
                    .any(|k| matches!(k, Key::Ten(a) if (a >> 8) as u8 == high))
            }
        } else {
            self.phase = Phase::Data;
            let key = Key::Seven(byte >> 1);
            let ack = match self.targets.get_mut(&key) {
                Some(t) => t.start(read),
                None => false,
            };
            self.selected = ack.then_some(key);
            self.read_dir = read;
            self.owed = ack && read;
            ack
        }
    }

    /// A RD; returns false if the master lost arbitration.
    pub(super) fn read_byte(&mut self, master_ack: bool) -> bool {
        self.bytes_since_start += 1;
        if !self.read_dir && self.phase == Phase::Data {
            if let Some(t) = self.selected.and_then(|key| self.targets.get_mut(&key)) {
                // A write target takes the released SDA as a data byte of 0xff and answers
                // it; a NACK from the master against its ACK loses arbitration.
                let ack = t.write(0xff);
                self.rxr = 0xff;
                self.events.push(Event::Write { byte: 0xff, ack });
                if ack && !master_ack {
                    self.lose_to_target();
                    return false;
                }
                self.rxack = !(ack || master_ack);
                return true;
            }
        }
        let byte = match self.tx_byte.take() {
            Some(byte) => byte,
            None => self.fetch(),
        };
        // After an ACK the target transmits the next byte; after a NACK it lets go.
        self.owed = master_ack && self.selected.is_some();
        self.rxr = byte;
        // RxACK samples SDA in the ACK slot, which the master drives.
        self.rxack = !master_ack;
        self.events.push(Event::Read {
            byte,
            ack: master_ack,
        });
        true
    }
}
