// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Behavioural model of the controller and of I2C targets on its bus, for host tests.
//!
//! [`Model`] implements [`Regs`] the way the RTL behaves (shared/reference in the repository
//! and the OpenCores `i2c_master_top.v`): a command runs for a number of SR polls with TIP
//! set, then sets IF, which stays set until IACK; the interrupt line is `IF && IEN`; CR
//! writes are ignored while `CTR.EN` is clear; STA/STO/RD/WR clear on completion; AL is sticky
//! until the next STA; BUSY is set by a START and cleared by a STOP; PRER resets to 0xFFFF;
//! reserved bits read as zero.
//!
//! Targets own SDA when the protocol gives it to them, as on a real bus (the contract shared
//! with the QEMU model, Documentation/qemu.rst): after a read address is ACKed the target
//! drives the first bit of its next byte, which the model asks it for when it is needed and
//! keeps for the next RD; a STOP then happens only if that bit is 1, otherwise the command
//! completes with IF and no STOP (BUSY stays set). [`Fault::SdaStuck`] makes a target hold
//! SDA low for a number of SCL pulses, as one left mid-byte by a reset of the host does.
//!
//! Where a driver can tell the RTL from a simpler model, the model follows the RTL, as the
//! QEMU model does (the list, with the RTL sources, is in Documentation/qemu.rst): STA alone
//! does nothing, RD wins over WR and a START without RD sends the TXR byte; RXR is the shift
//! register, loaded from TXR by every command that starts and rotated by one after a write;
//! a CR write while a command is in flight only adds its STO and ACK to the end of that
//! byte (TIP follows CR at once) and a TXR write does not change the byte; arbitration loss
//! clears RxACK; a STOP after a byte the master ACKed fails without AL when the target's
//! next bit is 0; a WR after a read address and a RD with NACK after a write address lose
//! arbitration to the target.
//!
//! Time is counted in SR reads: a command completes after [`Model::set_latency`] status
//! polls (3 by default), so a driver that does not wait for TIP sees a transfer in progress.
//!
//! Everything that happens on the bus is recorded as an [`Event`] log, and every register
//! access is counted, so tests assert on bytes on the bus and on the cost of a transfer.
//! A runaway driver (one that polls for ever) makes the model panic after
//! [`Model::DEFAULT_ACCESS_LIMIT`] accesses since the counters were last reset.
//!
//! Misuse the hardware does not forgive (a command written while TIP is set, a prescaler
//! change while enabled, a command while disabled) is recorded as a [`GuestError`].
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::model::{Eeprom24c02, Event, Model};
//! use sifive_i2c_hal::regs::{Cr, Ctr, ReadReg, Sr, WriteReg};
//! use sifive_i2c_hal::Regs;
//!
//! let mut m = Model::new();
//! m.attach(0x50, Eeprom24c02::new());
//! m.set_ctr(Ctr::EN);
//! m.write(WriteReg::Txr, 0x50 << 1);
//! m.set_cr(Cr::STA | Cr::WR);
//! while m.sr().contains(Sr::TIP) {}
//! assert!(!m.sr().contains(Sr::RXACK));
//! assert_eq!(m.events(), &[Event::Start, Event::Address { byte: 0xa0, ack: true }]);
//! ```

use std::any::Any;
use std::boxed::Box;
use std::collections::BTreeMap;
use std::fmt;
use std::vec::Vec;

use crate::regs::{Cr, Ctr, ReadReg, Sr, WriteReg};
use crate::Regs;

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

/// A register access the real hardware would not have tolerated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuestError {
    /// CR was written while TIP was set (the command in flight is corrupted; erratum 3).
    CommandWhileTip(u8),
    /// A command was written while `CTR.EN` was clear (the hardware ignores it).
    CommandWhileDisabled(u8),
    /// PRER was written while `CTR.EN` was set (erratum 4).
    PrescalerWhileEnabled,
}

/// A fault to inject. One-shot faults disarm themselves when they fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The next address byte is not acknowledged (one-shot).
    NackAddress,
    /// Data byte `k` (0-based, counting the bytes written after the address since the
    /// transaction's START) is not acknowledged (one-shot).
    NackData(usize),
    /// Arbitration is lost at byte `k` (0-based, counting every byte since the START,
    /// address bytes included) (one-shot). Another master then holds the bus until a STOP.
    ArbitrationLoss(usize),
    /// The next read or write command never completes: TIP stays set until another command
    /// replaces it (one-shot).
    TipStuck,
    /// BUSY reads as set for the next `n` SR reads, as if another master held the bus.
    BusyStuck(u32),
    /// IF is set at the next SR read without any command completing (one-shot).
    SpuriousIf,
    /// The addressed target stretches SCL: each byte takes `n` more SR polls, until
    /// [`Model::clear_faults`].
    ClockStretch(u32),
    /// A target left mid-byte holds SDA low for the next `n` SCL pulses the master
    /// generates (each RD or WR command clocks 9); `u32::MAX` never releases. Arming it
    /// sets BUSY, as the controller saw the START of the interrupted transfer. While SDA is
    /// held, a STOP completes with IF but no STOP on the bus, a bit the master sends as 1
    /// (address, data or NACK) loses arbitration, and a RD reads 0 bits. The QEMU model's
    /// `fault-sda-stuck` property is the same fault.
    SdaStuck(u32),
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

/// A 24C02-style EEPROM: 256 bytes, a word address, 8-byte pages.
///
/// The first byte written after the address sets the word address; further bytes are stored
/// with the address wrapping within its 8-byte page, as the real part does. Reads are
/// sequential from the word address and wrap at the end of the array.
#[derive(Clone, Debug)]
pub struct Eeprom24c02 {
    mem: [u8; 256],
    pointer: u8,
    expect_word_address: bool,
}

impl Eeprom24c02 {
    /// Page size in bytes.
    pub const PAGE: usize = 8;

    /// An erased EEPROM (all bytes 0xFF).
    pub fn new() -> Self {
        Self {
            mem: [0xff; 256],
            pointer: 0,
            expect_word_address: false,
        }
    }

    /// The memory array.
    pub fn memory(&self) -> &[u8; 256] {
        &self.mem
    }

    /// The memory array, mutably (to preload contents).
    pub fn memory_mut(&mut self) -> &mut [u8; 256] {
        &mut self.mem
    }
}

impl Default for Eeprom24c02 {
    fn default() -> Self {
        Self::new()
    }
}

impl Target for Eeprom24c02 {
    fn start(&mut self, read: bool) -> bool {
        self.expect_word_address = !read;
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        if self.expect_word_address {
            self.pointer = byte;
            self.expect_word_address = false;
        } else {
            self.mem[usize::from(self.pointer)] = byte;
            let page = self.pointer & !(Self::PAGE as u8 - 1);
            let next = (self.pointer.wrapping_add(1)) & (Self::PAGE as u8 - 1);
            self.pointer = page | next;
        }
        true
    }

    fn read(&mut self) -> u8 {
        let byte = self.mem[usize::from(self.pointer)];
        self.pointer = self.pointer.wrapping_add(1);
        byte
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A TMP105-style temperature sensor.
///
/// The first byte written after the address selects a register (0 temperature, read-only,
/// 16-bit; 1 configuration, 8-bit; 2 T_LOW and 3 T_HIGH, 16-bit); further bytes write it.
/// Reads return the selected register, most significant byte first.
#[derive(Clone, Debug)]
pub struct Tmp105 {
    regs: [u16; 4],
    pointer: u8,
    expect_pointer: bool,
    index: usize,
}

impl Tmp105 {
    /// A sensor reading `celsius_256` / 256 degrees Celsius (12-bit resolution).
    pub fn new(celsius_256: i16) -> Self {
        let mut sensor = Self {
            regs: [0, 0, 0x4b00, 0x5000],
            pointer: 0,
            expect_pointer: false,
            index: 0,
        };
        sensor.set_temperature(celsius_256);
        sensor
    }

    /// Sets the temperature, in 1/256 degree Celsius, rounded down to 1/16 degree.
    pub fn set_temperature(&mut self, celsius_256: i16) {
        self.regs[0] = (celsius_256 as u16) & 0xfff0;
    }

    /// The raw value of register `index` (0..=3).
    pub fn register(&self, index: usize) -> u16 {
        self.regs[index & 3]
    }

    fn width(&self) -> usize {
        if self.pointer == 1 {
            1
        } else {
            2
        }
    }
}

impl Target for Tmp105 {
    fn start(&mut self, read: bool) -> bool {
        self.expect_pointer = !read;
        self.index = 0;
        true
    }

    fn write(&mut self, byte: u8) -> bool {
        if self.expect_pointer {
            self.pointer = byte & 3;
            self.expect_pointer = false;
            self.index = 0;
            return true;
        }
        let reg = usize::from(self.pointer);
        if reg == 0 {
            return true;
        }
        if self.width() == 1 {
            self.regs[reg] = u16::from(byte);
        } else if self.index == 0 {
            self.regs[reg] = (self.regs[reg] & 0x00ff) | (u16::from(byte) << 8);
        } else if self.index == 1 {
            self.regs[reg] = (self.regs[reg] & 0xff00) | u16::from(byte & 0xf0);
        }
        self.index += 1;
        true
    }

    fn read(&mut self) -> u8 {
        let value = self.regs[usize::from(self.pointer)];
        let byte = if self.width() == 1 {
            value.to_be_bytes()[1]
        } else {
            value.to_be_bytes()[self.index % 2]
        };
        self.index += 1;
        byte
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Which target a key names in the model's target table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Key {
    Seven(u8),
    Ten(u16),
}

/// The bus as the master sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Bus {
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
enum Phase {
    /// The next byte written is an address byte.
    Address,
    /// The next byte written is the second byte of a 10-bit address with these high bits.
    TenBitLow(u8),
    /// Address phase done: data bytes flow to or from `selected`.
    Data,
}

/// The behavioural controller model. See the module documentation.
#[derive(Debug)]
pub struct Model {
    prer: u16,
    ctr: Ctr,
    txr: u8,
    /// The shift register, which RXR reads: loaded from TXR when a command starts.
    rxr: u8,
    /// The byte the command in flight sends, latched from TXR when it started.
    shift: u8,
    /// CR's command bits as last written (TIP is RD or WR here).
    cmd: Cr,
    /// The command the byte controller runs, decoded when it started; STO and ACK follow
    /// CR writes until the byte ends.
    run: Cr,
    /// The addressed transfer is a read.
    read_dir: bool,
    rxack: bool,
    al: bool,
    irq_flag: bool,
    /// SR polls left until the command in flight completes; `None` when none is in flight.
    remaining: Option<u32>,
    stuck: bool,
    latency: u32,
    bus: Bus,
    phase: Phase,
    selected: Option<Key>,
    last_ten_bit: Option<u16>,
    bytes_since_start: usize,
    data_written: usize,
    targets: BTreeMap<Key, Box<dyn Target>>,
    faults: Vec<Fault>,
    busy_stuck: u32,
    stretch: u32,
    /// SCL pulses for which a stuck target still holds SDA low.
    sda_stuck: u32,
    /// The addressed target is transmitting: it drives the next byte's bits on SDA.
    owed: bool,
    /// The byte the transmitting target drives, once the model has asked for it.
    tx_byte: Option<u8>,
    /// The START of the command in flight could not happen (SDA held low).
    start_blocked: bool,
    erratum: bool,
    /// SiFive's port of the core: CR writes are accepted while `CTR.EN` is clear.
    sifive_port: bool,
    events: Vec<Event>,
    guest_errors: Vec<GuestError>,
    reads: [u32; 5],
    writes: [u32; 5],
    access_limit: u32,
}

impl Default for Model {
    fn default() -> Self {
        Self::new()
    }
}

impl Model {
    /// A controller out of reset, with no targets.
    pub fn new() -> Self {
        Self {
            prer: 0xffff,
            ctr: Ctr::empty(),
            txr: 0,
            rxr: 0,
            shift: 0,
            cmd: Cr::empty(),
            run: Cr::empty(),
            read_dir: false,
            rxack: false,
            al: false,
            irq_flag: false,
            remaining: None,
            stuck: false,
            latency: 3,
            bus: Bus::Idle,
            phase: Phase::Address,
            selected: None,
            last_ten_bit: None,
            bytes_since_start: 0,
            data_written: 0,
            targets: BTreeMap::new(),
            faults: Vec::new(),
            busy_stuck: 0,
            stretch: 0,
            sda_stuck: 0,
            owed: false,
            tx_byte: None,
            start_blocked: false,
            erratum: false,
            sifive_port: false,
            events: Vec::new(),
            guest_errors: Vec::new(),
            reads: [0; 5],
            writes: [0; 5],
            access_limit: Self::DEFAULT_ACCESS_LIMIT,
        }
    }

    /// Register accesses allowed between two [`Model::reset_counters`] by default.
    pub const DEFAULT_ACCESS_LIMIT: u32 = 2_000_000;

    /// Sets how many register accesses may be made between two [`Model::reset_counters`]
    /// before the model panics: a driver that never stops polling then fails its test at
    /// once instead of hanging it.
    pub fn set_access_limit(&mut self, accesses: u32) {
        self.access_limit = accesses;
    }

    fn count_access(&mut self) {
        let total = self.reads().saturating_add(self.writes());
        assert!(
            total <= self.access_limit,
            "more than {} register accesses since the counters were reset: a runaway driver",
            self.access_limit
        );
    }

    /// A controller as in the FU540-C000: SiFive's port of the core (see
    /// [`Model::set_sifive_port`]) from its 2017 source, whose interrupt erratum keeps IF set
    /// once it is set (IACK does not clear it), so the interrupt line, `IF && IEN`, stays
    /// high once it rises.
    pub fn new_fu540() -> Self {
        Self {
            erratum: true,
            sifive_port: true,
            ..Self::new()
        }
    }

    /// Selects SiFive's port of the core (sifive-blocks I2C.scala, in the FU540, FU740 and
    /// FE310), which accepts CR writes while `CTR.EN` is clear, IACK included, and runs the
    /// command; or, with `false` (the default of [`Model::new`]), the OpenCores Verilog,
    /// which ignores them ([`GuestError::CommandWhileDisabled`]). QEMU's model has the same
    /// switch, its `sifive-port` property (on by default there, as on `sifive_u`).
    pub fn set_sifive_port(&mut self, on: bool) {
        self.sifive_port = on;
    }

    /// Attaches `target` at 7-bit address `address`.
    pub fn attach(&mut self, address: u8, target: impl Target) -> &mut Self {
        self.targets
            .insert(Key::Seven(address & 0x7f), Box::new(target));
        self
    }

    /// Attaches `target` at 10-bit address `address`.
    pub fn attach_ten_bit(&mut self, address: u16, target: impl Target) -> &mut Self {
        self.targets
            .insert(Key::Ten(address & 0x3ff), Box::new(target));
        self
    }

    /// The target of type `T` at 7-bit `address`, if there is one.
    pub fn target<T: Target>(&self, address: u8) -> Option<&T> {
        self.targets
            .get(&Key::Seven(address))?
            .as_any()
            .downcast_ref()
    }

    /// The target of type `T` at 7-bit `address`, mutably.
    pub fn target_mut<T: Target>(&mut self, address: u8) -> Option<&mut T> {
        self.targets
            .get_mut(&Key::Seven(address))?
            .as_any_mut()
            .downcast_mut()
    }

    /// The target of type `T` at 10-bit `address`, if there is one.
    pub fn ten_bit_target<T: Target>(&self, address: u16) -> Option<&T> {
        self.targets
            .get(&Key::Ten(address))?
            .as_any()
            .downcast_ref()
    }

    /// Sets how many SR polls a command takes (at least 1).
    pub fn set_latency(&mut self, polls: u32) {
        self.latency = polls.max(1);
    }

    /// Arms a fault.
    pub fn inject(&mut self, fault: Fault) {
        match fault {
            Fault::BusyStuck(n) => self.busy_stuck = n,
            Fault::ClockStretch(n) => self.stretch = n,
            Fault::SdaStuck(n) => {
                self.sda_stuck = n;
                if n > 0 && self.bus == Bus::Idle {
                    self.bus = Bus::Interrupted;
                }
            }
            other => self.faults.push(other),
        }
    }

    /// Disarms every fault (a stuck target lets go of SDA; BUSY stays set until a STOP).
    pub fn clear_faults(&mut self) {
        self.faults.clear();
        self.busy_stuck = 0;
        self.stretch = 0;
        self.sda_stuck = 0;
    }

    /// SCL pulses for which a stuck target still holds SDA low ([`Fault::SdaStuck`]).
    pub fn sda_stuck(&self) -> u32 {
        self.sda_stuck
    }

    /// The bus event log.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// Returns the bus event log and empties it.
    pub fn take_events(&mut self) -> Vec<Event> {
        core::mem::take(&mut self.events)
    }

    /// Accesses the hardware would not have tolerated, in order.
    pub fn guest_errors(&self) -> &[GuestError] {
        &self.guest_errors
    }

    /// Returns the record of intolerable accesses and empties it.
    pub fn take_guest_errors(&mut self) -> Vec<GuestError> {
        core::mem::take(&mut self.guest_errors)
    }

    /// Register reads since the last [`Model::reset_counters`].
    pub fn reads(&self) -> u32 {
        self.reads.iter().sum()
    }

    /// Register writes since the last [`Model::reset_counters`].
    pub fn writes(&self) -> u32 {
        self.writes.iter().sum()
    }

    /// Reads of one register.
    pub fn reads_of(&self, reg: ReadReg) -> u32 {
        self.reads[reg.index()]
    }

    /// Writes of one register.
    pub fn writes_of(&self, reg: WriteReg) -> u32 {
        self.writes[reg.index()]
    }

    /// Sets the access counters to zero.
    pub fn reset_counters(&mut self) {
        self.reads = [0; 5];
        self.writes = [0; 5];
    }

    /// The prescaler value currently programmed.
    pub fn prescaler(&self) -> u16 {
        self.prer
    }

    /// The interrupt line: `IF && IEN` (with the FU540 erratum it stays high once it rises,
    /// until IEN is cleared).
    pub fn irq_line(&self) -> bool {
        self.irq_flag && self.ctr.contains(Ctr::IEN)
    }

    /// Lets one unit of time pass without a register access (one SR poll's worth): the
    /// command in flight progresses. Interrupt-driven tests call this while they wait for
    /// the interrupt line.
    pub fn tick(&mut self) {
        if let Some(left) = self.remaining {
            if !self.stuck {
                if left <= 1 {
                    self.remaining = None;
                    self.complete();
                } else {
                    self.remaining = Some(left - 1);
                }
            }
        }
    }

    /// Whether the bus is idle (no START without its STOP, no other master).
    pub fn bus_idle(&self) -> bool {
        self.bus == Bus::Idle
    }

    fn status(&mut self) -> Sr {
        if self.faults.contains(&Fault::SpuriousIf) {
            self.faults.retain(|f| *f != Fault::SpuriousIf);
            self.irq_flag = true;
        }
        // Time passes as the driver polls: the command in flight progresses, then SR is
        // sampled.
        self.tick();
        let mut sr = Sr::empty();
        sr.set(Sr::RXACK, self.rxack);
        sr.set(Sr::BUSY, self.bus != Bus::Idle || self.busy_stuck > 0);
        sr.set(Sr::AL, self.al);
        sr.set(Sr::TIP, self.cmd.intersects(Cr::RD | Cr::WR));
        sr.set(Sr::IF, self.irq_flag);
        self.busy_stuck = self.busy_stuck.saturating_sub(1);
        sr
    }

    fn take_fault(&mut self, pred: impl Fn(&Fault) -> bool) -> bool {
        if let Some(pos) = self.faults.iter().position(pred) {
            self.faults.remove(pos);
            true
        } else {
            false
        }
    }

    fn command(&mut self, value: u8) {
        let cr = Cr::from_reg(value);
        if !self.ctr.contains(Ctr::EN) && !self.sifive_port {
            self.guest_errors
                .push(GuestError::CommandWhileDisabled(value));
            return;
        }
        if self.remaining.is_some()
            && !self.run.intersects(Cr::RD | Cr::WR)
            && cr.intersects(Cr::STO | Cr::RD | Cr::WR)
        {
            // A command written while a STOP alone is on the bus: the RTL swallows it, but
            // Linux's polling path starts its next transfer without waiting for BUSY, so
            // the STOP finishes first (as in the QEMU model).
            self.remaining = None;
            self.complete();
        }
        if self.cmd.intersects(Cr::RD | Cr::WR) {
            self.guest_errors.push(GuestError::CommandWhileTip(value));
        }
        if cr.contains(Cr::IACK) && !self.erratum {
            self.irq_flag = false;
        }
        let action = cr & (Cr::STA | Cr::STO | Cr::RD | Cr::WR | Cr::ACK);
        if self.remaining.is_some() {
            if !(self.stuck && action.intersects(Cr::STA | Cr::STO | Cr::RD | Cr::WR)) {
                // As the RTL: CR takes the value (TIP follows it), its RD, WR and STA are
                // swallowed, and its STO and ACK apply when the byte in flight ends.
                self.cmd = action;
                if self.run.intersects(Cr::RD | Cr::WR) {
                    self.run.set(Cr::STO, action.contains(Cr::STO));
                }
                self.run.set(Cr::ACK, action.contains(Cr::ACK));
                return;
            }
            // A command stuck by `Fault::TipStuck` is replaced by the next one.
            self.stuck = false;
            self.remaining = None;
        }
        self.cmd = action;
        // The byte controller starts on RD, WR or STO: STA alone does nothing.
        if !action.intersects(Cr::STO | Cr::RD | Cr::WR) {
            return;
        }
        // RD wins over WR; a START without RD sends the TXR byte (STA|STO included).
        let mut run = action;
        if run.contains(Cr::RD) {
            run.remove(Cr::WR);
        } else if run.contains(Cr::STA) {
            run.insert(Cr::WR);
        }
        self.shift = self.txr;
        self.rxr = self.txr;
        self.start_blocked = false;
        if run.contains(Cr::STA) {
            // The START condition goes out at once; the byte follows it. With SDA held low
            // by a target there is no START: the command ends in arbitration loss.
            self.al = false;
            if self.sda_low() {
                self.start_blocked = true;
            } else {
                self.start_condition();
            }
        }
        self.run = run;
        self.stuck = run.intersects(Cr::RD | Cr::WR) && self.take_fault(|f| *f == Fault::TipStuck);
        let stretch = if run.intersects(Cr::RD | Cr::WR) {
            self.stretch
        } else {
            0
        };
        self.remaining = Some(self.latency.saturating_add(stretch));
    }

    /// Whether a target holds SDA low at the next SCL pulse: a stuck target, or a
    /// transmitting target whose next bit is 0 (asked for it now if not yet).
    fn sda_low(&mut self) -> bool {
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
    fn fetch(&mut self) -> u8 {
        match self.selected.and_then(|key| self.targets.get_mut(&key)) {
            Some(t) => t.read(),
            // Nobody drives SDA: the pull-up reads as ones.
            None => 0xff,
        }
    }

    /// `pulses` SCL pulses pass for a stuck target.
    fn clock_stuck(&mut self, pulses: u32) {
        if self.sda_stuck != u32::MAX {
            self.sda_stuck = self.sda_stuck.saturating_sub(pulses);
        }
    }

    /// The master sent a 1 while a target held SDA low: it loses arbitration and releases
    /// the lines, RxACK cleared; the bus stays busy (no STOP).
    fn lose_to_target(&mut self) {
        self.al = true;
        self.rxack = false;
        self.events.push(Event::ArbitrationLost);
    }

    /// A byte command while a target is stuck: the first 1 bit the master drives while SDA
    /// is held loses arbitration; returns whether it did. A RD drives only its ACK bit.
    fn stuck_byte(&mut self, cmd: Cr, byte: u8) -> bool {
        let n = self.sda_stuck;
        // Bits the master drives as 1, MSB first, then the ninth (ACK) bit.
        let driven = if cmd.contains(Cr::WR) {
            u16::from(byte) << 1
        } else {
            u16::from(cmd.contains(Cr::ACK))
        };
        let conflict = (0..9u32).find(|&i| i < n && driven & (0x100 >> i) != 0);
        match conflict {
            Some(i) => {
                self.clock_stuck(i + 1);
                self.lose_to_target();
                true
            }
            None => false,
        }
    }

    /// The command in flight finishes: its bus effects happen, in bus order.
    fn complete(&mut self) {
        let cmd = self.run;
        self.run = Cr::empty();
        self.cmd = Cr::empty();
        self.irq_flag = true;
        if self.start_blocked {
            self.start_blocked = false;
            let byte = self.shift;
            if !(self.sda_stuck > 0
                && cmd.intersects(Cr::RD | Cr::WR)
                && self.stuck_byte(cmd, byte))
            {
                self.lose_to_target();
            }
            return;
        }
        if cmd.intersects(Cr::RD | Cr::WR) && self.sda_stuck > 0 {
            self.stuck_command(cmd);
            return;
        }
        if cmd.contains(Cr::WR) && self.owed {
            // Driving SDA against a transmitting target: lost at the first bit where the
            // master sends 1 and the target 0.
            let ours = self.shift;
            let theirs = match self.tx_byte.take() {
                Some(b) => b,
                None => self.fetch(),
            };
            self.owed = false;
            if ours & !theirs != 0 {
                self.lose_to_target();
                return;
            }
            self.rxack = true;
            self.rxr = ours.rotate_right(1);
            self.events.push(Event::Write {
                byte: ours,
                ack: false,
            });
            if cmd.contains(Cr::STO) {
                self.stop_condition();
            }
            return;
        }
        if cmd.intersects(Cr::RD | Cr::WR) && !matches!(self.bus, Bus::Owned | Bus::Interrupted) {
            // A byte command without holding the bus: the core loses arbitration.
            self.lose_arbitration();
            return;
        }
        let arbitration = {
            let k = self.bytes_since_start;
            cmd.intersects(Cr::RD | Cr::WR) && self.take_fault(|f| *f == Fault::ArbitrationLoss(k))
        };
        if arbitration {
            self.lose_arbitration();
            return;
        }
        if cmd.contains(Cr::WR) {
            self.write_byte();
        } else if cmd.contains(Cr::RD) && !self.read_byte(!cmd.contains(Cr::ACK)) {
            return;
        }
        if cmd.contains(Cr::STO) && !self.sda_low() {
            self.stop_condition();
        }
    }

    /// A RD or WR while a stuck target holds SDA: 9 pulses, or fewer if the master loses
    /// arbitration; then STO, if any, as usual.
    fn stuck_command(&mut self, cmd: Cr) {
        let n = self.sda_stuck;
        if self.stuck_byte(cmd, self.shift) {
            return;
        }
        self.clock_stuck(9);
        if cmd.contains(Cr::RD) {
            // Held bits read 0, the rest float to 1.
            let byte = (0xffu16 >> n.min(8)) as u8;
            self.rxr = byte;
            self.bytes_since_start += 1;
            self.events.push(Event::Read {
                byte,
                ack: !cmd.contains(Cr::ACK),
            });
        } else {
            // Every 1 bit came after the release; the ninth bit is ACK while still held.
            self.bytes_since_start += 1;
            self.rxack = n < 9;
            self.rxr = self.shift.rotate_right(1);
            self.events.push(Event::Write {
                byte: self.shift,
                ack: n >= 9,
            });
        }
        if cmd.contains(Cr::STO) && !self.sda_low() {
            self.stop_condition();
        }
    }

    fn lose_arbitration(&mut self) {
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

    fn start_condition(&mut self) {
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

    fn stop_condition(&mut self) {
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

    fn write_byte(&mut self) {
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
    fn address(&mut self, byte: u8) -> bool {
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
    fn read_byte(&mut self, master_ack: bool) -> bool {
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

impl Regs for Model {
    fn read(&mut self, reg: ReadReg) -> u8 {
        self.reads[reg.index()] += 1;
        self.count_access();
        match reg {
            ReadReg::PrerLo => self.prer.to_le_bytes()[0],
            ReadReg::PrerHi => self.prer.to_le_bytes()[1],
            ReadReg::Ctr => self.ctr.bits(),
            ReadReg::Rxr => self.rxr,
            ReadReg::Sr => self.status().bits(),
        }
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        self.writes[reg.index()] += 1;
        self.count_access();
        match reg {
            WriteReg::PrerLo | WriteReg::PrerHi => {
                if self.ctr.contains(Ctr::EN) {
                    self.guest_errors.push(GuestError::PrescalerWhileEnabled);
                }
                let mut bytes = self.prer.to_le_bytes();
                bytes[usize::from(reg == WriteReg::PrerHi)] = value;
                self.prer = u16::from_le_bytes(bytes);
            }
            WriteReg::Ctr => self.ctr = Ctr::from_reg(value),
            WriteReg::Txr => {
                if self.cmd.intersects(Cr::RD | Cr::WR) {
                    self.guest_errors.push(GuestError::CommandWhileTip(value));
                }
                self.txr = value;
            }
            WriteReg::Cr => self.command(value),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
