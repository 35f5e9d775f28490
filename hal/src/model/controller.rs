// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The controller: its registers and the byte controller's commands.

use crate::regs::{Cr, Ctr, ReadReg, Sr, WriteReg};
use crate::Regs;

use super::{Bus, Event, Fault, GuestError, Model};

impl Model {
    pub(super) fn status(&mut self) -> Sr {
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

    pub(super) fn command(&mut self, value: u8) {
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

    /// The command in flight finishes: its bus effects happen, in bus order.
    pub(super) fn complete(&mut self) {
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
