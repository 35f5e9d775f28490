// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Behavioural model of the controller and of I2C targets on its bus, for host tests.
//!
//! [`Model`] implements [`Regs`](crate::Regs) the way the RTL behaves (shared/reference in the repository
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

use std::boxed::Box;
use std::collections::BTreeMap;
use std::vec::Vec;

use crate::regs::{Cr, Ctr, ReadReg, WriteReg};

mod bus;
mod controller;
mod eeprom;
mod faults;
#[cfg(test)]
mod tests;
mod tmp105;

use bus::{Bus, Key, Phase};
pub use bus::{Event, Target};
pub use eeprom::Eeprom24c02;
pub use faults::{Fault, GuestError};
pub use tmp105::Tmp105;

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
}
