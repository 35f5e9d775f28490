// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Faults to inject, register accesses the hardware does not tolerate, and a target stuck
//! holding SDA low.

use crate::regs::Cr;

use super::{Bus, Event, Model};

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

impl Model {
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

    pub(super) fn take_fault(&mut self, pred: impl Fn(&Fault) -> bool) -> bool {
        if let Some(pos) = self.faults.iter().position(pred) {
            self.faults.remove(pos);
            true
        } else {
            false
        }
    }

    /// `pulses` SCL pulses pass for a stuck target.
    pub(super) fn clock_stuck(&mut self, pulses: u32) {
        if self.sda_stuck != u32::MAX {
            self.sda_stuck = self.sda_stuck.saturating_sub(pulses);
        }
    }

    /// The master sent a 1 while a target held SDA low: it loses arbitration and releases
    /// the lines, RxACK cleared; the bus stays busy (no STOP).
    pub(super) fn lose_to_target(&mut self) {
        self.al = true;
        self.rxack = false;
        self.events.push(Event::ArbitrationLost);
    }

    /// A byte command while a target is stuck: the first 1 bit the master drives while SDA
    /// is held loses arbitration; returns whether it did. A RD drives only its ACK bit.
    pub(super) fn stuck_byte(&mut self, cmd: Cr, byte: u8) -> bool {
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

    /// A RD or WR while a stuck target holds SDA: 9 pulses, or fewer if the master loses
    /// arbitration; then STO, if any, as usual.
    pub(super) fn stuck_command(&mut self, cmd: Cr) {
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
}
