// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Driver for the SiFive I2C controller (the OpenCores I2C master in the FU540, FU740 and
//! FE310), with the embedded-hal 1.0 blocking and async traits.
//!
//! The driver touches the hardware only through [`sifive_i2c_hal::Regs`], so the same code
//! runs on a board over [`sifive_i2c_hal::Mmio`], inside Linux, in QEMU and on the host
//! against the register model.
//!
//! # Examples
//!
//! ```
//! use embedded_hal::i2c::I2c as _;
//! use sifive_i2c::{BusSpeed, Config, I2c};
//! use sifive_i2c_hal::model::{Eeprom24c02, Model};
//!
//! let mut model = Model::new();
//! model.attach(0x50, Eeprom24c02::new());
//! let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Fast))?;
//! i2c.write(0x50u8, &[0x10, 0xca, 0xfe])?;
//! let mut buf = [0u8; 2];
//! i2c.write_read(0x50u8, &[0x10], &mut buf)?;
//! assert_eq!(buf, [0xca, 0xfe]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The reference manual of the driver follows (Documentation/driver.rst).
#![doc = include_str!("../driver.rst")]
#![no_std]
#![forbid(unsafe_code)]

mod asynch;
mod config;
mod error;
mod transfer;

use core::task::Poll;

use embedded_hal::delay::DelayNs;
use embedded_hal::i2c::{ErrorType, Operation, SevenBitAddress, TenBitAddress};
use sifive_i2c_hal::regs::{Cr, Ctr, ReadReg, Sr, WriteReg};
pub use sifive_i2c_hal::Regs;

pub use asynch::{AsyncI2c, IrqLine, IrqSignal, Masked};
pub use config::{BusSpeed, Config, ConfigError, Timing};
pub use error::Error;
use transfer::Step;
pub use transfer::{Address, Transfer, RECOVERY_ROUNDS};

/// The delay type of an [`I2c`] without a delay provider: it polls, and its waits are
/// bounded by [`Config::timeout_polls`]. It never waits.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct NoDelay;

impl DelayNs for NoDelay {
    fn delay_ns(&mut self, _ns: u32) {}
}

/// One controller instance, with an optional delay provider `D` (see [`I2c::with_delay`]).
///
/// # Invariants
///
/// The prescaler in the hardware is `timing.prescaler`, CTR.EN is set, and CTR.IEN equals
/// `irq` (never set with the FU540 erratum).
#[derive(Debug)]
pub struct I2c<R, D = NoDelay> {
    regs: R,
    config: Config,
    timing: Timing,
    irq: bool,
    delay: Option<D>,
}

impl<R: Regs> I2c<R> {
    /// Programs the prescaler (with the core disabled), enables the core and acknowledges a
    /// stale interrupt (erratum 2: IACK is ignored while EN is clear).
    ///
    /// Without a delay provider, blocking transfers poll SR and every wait is bounded by
    /// [`Config::timeout_polls`]. On a configuration error nothing is written.
    pub fn new(regs: R, config: Config) -> Result<Self, ConfigError> {
        Self::init(regs, config, None)
    }
}

impl<R: Regs, D: DelayNs> I2c<R, D> {
    /// [`I2c::new`] with a delay provider: a blocking transfer then waits each command's
    /// wire time (computed from the prescaler and the input clock, see
    /// Documentation/driver.rst) before it reads SR, and backs off one bit time between
    /// later reads; every wait is bounded by [`Config::timeout_us`].
    pub fn with_delay(regs: R, config: Config, delay: D) -> Result<Self, ConfigError> {
        Self::init(regs, config, Some(delay))
    }

    fn init(mut regs: R, config: Config, delay: Option<D>) -> Result<Self, ConfigError> {
        let timing = config.timing()?;
        let [lo, hi] = timing.prescaler.to_le_bytes();
        regs.set_ctr(Ctr::empty());
        regs.write(WriteReg::PrerLo, lo);
        regs.write(WriteReg::PrerHi, hi);
        regs.set_ctr(Ctr::EN);
        regs.set_cr(Cr::IACK);
        // INVARIANT: The prescaler, EN and IEN were just written as the invariant says.
        Ok(Self {
            regs,
            config,
            timing,
            irq: false,
            delay,
        })
    }

    /// Nanoseconds of `periods` prescaler periods (PRER + 1 input clocks each).
    fn periods_ns(&self, periods: u64) -> u32 {
        let clocks = periods * (u64::from(self.timing.prescaler) + 1);
        let hz = u64::from(self.config.input_clock_hz()).max(1);
        u32::try_from((clocks * 1_000_000_000).div_ceil(hz)).unwrap_or(u32::MAX)
    }

    /// The time command `cr` keeps the wire busy, in nanoseconds, as the RTL's bit
    /// controller (`i2c_master_bit_ctrl.v`) spends it: one prescaler period per state,
    /// one idle state before each bit command, so a START takes 6 periods (idle,
    /// start_a..e), a data or ACK bit 5 (idle, rd_a..d or wr_a..d), a byte 9 * 5 and a
    /// STOP 5 (idle, stop_a..d).
    pub fn wire_ns(&self, cr: Cr) -> u32 {
        let mut periods = 0;
        if cr.contains(Cr::STA) {
            periods += 6;
        }
        if cr.intersects(Cr::RD | Cr::WR) {
            periods += 9 * 5;
        }
        if cr.contains(Cr::STO) {
            periods += 5;
        }
        self.periods_ns(periods)
    }

    /// The back-off between status reads of a polling wait with a delay provider: one bit
    /// time (5 prescaler periods).
    fn backoff_ns(&self) -> u32 {
        self.periods_ns(5).max(1)
    }

    /// The budget of one wait, in calls of [`I2c::advance`] that find it unfinished: the
    /// poll budget, or with a delay provider [`Config::timeout_us`] in back-off steps.
    fn budget(&self) -> u32 {
        if self.delay.is_none() {
            return self.config.polls();
        }
        let steps = u64::from(self.config.wait_us()) * 1000 / u64::from(self.backoff_ns());
        u32::try_from(steps).unwrap_or(u32::MAX).max(1)
    }

    /// Issues command `cr` and records its wire time for a polling wait.
    fn command(&mut self, t: &mut Transfer<'_, '_>, cr: Cr) {
        self.regs.set_cr(cr);
        t.wire_ns = self.wire_ns(cr);
    }

    /// Disables the core and returns the register access.
    pub fn release(mut self) -> R {
        self.regs.set_ctr(Ctr::empty());
        self.regs
    }

    /// The register access (for diagnostics and counters).
    pub fn regs(&self) -> &R {
        &self.regs
    }

    /// The register access, mutably. Writing registers behind the driver's back breaks it.
    pub fn regs_mut(&mut self) -> &mut R {
        &mut self.regs
    }

    /// The configuration in use.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The prescaler and bus speed in use.
    pub fn timing(&self) -> Timing {
        self.timing
    }

    /// Enables or disables the controller's interrupt (CTR.IEN).
    ///
    /// With interrupts on, the final IF of each transfer is acknowledged so the line drops.
    /// Returns [`Error::Unsupported`] on an FU540-C000 (its IF cannot be cleared).
    pub fn set_interrupt(&mut self, enable: bool) -> Result<(), Error> {
        if enable && self.config.has_fu540_erratum() {
            return Err(Error::Unsupported);
        }
        let ctr = if enable { Ctr::EN | Ctr::IEN } else { Ctr::EN };
        self.regs.set_ctr(ctr);
        // INVARIANT: CTR.IEN now equals `enable`.
        self.irq = enable;
        Ok(())
    }

    /// Whether the controller has an interrupt pending that belongs to this driver.
    ///
    /// With the FU540 erratum, IF is meaningless and this is always `false`.
    pub fn interrupt_pending(&mut self) -> bool {
        !self.config.has_fu540_erratum() && self.regs.sr().contains(Sr::IF)
    }

    /// Validates a transaction and issues its first command.
    ///
    /// Bad input ([`Error::InvalidAddress`], [`Error::InvalidOperation`]) is refused before
    /// any register access. A bus found busy (SR.BUSY or SR.TIP) is not touched at once: the
    /// transfer first waits, within the poll budget, for it to go idle (another master
    /// finishing), then recovers it (see [`I2c::recover_bus`]) and only then issues START;
    /// it ends with [`Error::BusBusy`] if the bus stays held.
    pub fn start<'a, 'b>(
        &mut self,
        address: Address,
        ops: &'a mut [Operation<'b>],
    ) -> Result<Transfer<'a, 'b>, Error> {
        address.validate()?;
        if ops.is_empty() {
            return Err(Error::InvalidOperation);
        }
        let mut t = Transfer::new(ops, address, self.budget());
        if self.regs.sr().intersects(Sr::BUSY | Sr::TIP) {
            t.step = Step::WaitIdle;
            return Ok(t);
        }
        self.issue_address(&mut t);
        Ok(t)
    }

    /// Frees a bus held by a target, as the I2C specification's bus clear: a RD with NACK
    /// clocks 9 bits with SDA released (a target stuck mid-byte shifts its bits out and sees
    /// the NACK), then STOP; up to [`RECOVERY_ROUNDS`] times, each wait bounded by the poll
    /// budget.
    ///
    /// Returns `Ok(())` once SR.BUSY is clear (at once, with one SR read, if it already
    /// is), or [`Error::BusBusy`] if the bus is still held after the last round. A command
    /// still in flight (SR.TIP) is first waited for. Transfers run the same recovery on
    /// their own when they find the bus busy at the start or their STOP does not free it;
    /// call this after a reset of the host, or from an OS's bus-recovery hook.
    pub fn recover_bus(&mut self) -> Result<(), Error> {
        let mut t = self.start_recovery();
        self.poll(&mut t)
    }

    /// Drives `t` to its end by polling: with a delay provider, waits each command's wire
    /// time before looking, then one bit time between looks.
    fn poll(&mut self, t: &mut Transfer<'_, '_>) -> Result<(), Error> {
        loop {
            let wait = match core::mem::take(&mut t.wire_ns) {
                0 => self.backoff_ns(),
                ns => ns,
            };
            if let Some(delay) = self.delay.as_mut() {
                delay.delay_ns(wait);
            }
            // Termination: every `Pending` spends budget, and an exhausted budget ends the
            // wait (see `advance_with`); each round costs a bounded number of waits.
            if let Poll::Ready(result) = self.advance(t) {
                return result;
            }
        }
    }

    /// [`I2c::recover_bus`] as a [`Transfer`], for callers that drive it with
    /// [`I2c::advance`] from an interrupt handler or a task.
    pub fn start_recovery(&mut self) -> Transfer<'static, 'static> {
        let mut t = Transfer::new(&mut [], Address::SevenBit(0), self.budget());
        t.started = true;
        let sr = self.regs.sr();
        if sr.contains(Sr::TIP) {
            t.step = Step::WaitIdle;
        } else if sr.contains(Sr::BUSY) {
            self.recover(&mut t, 0);
        } else {
            t.step = Step::Done;
        }
        t
    }

    /// Starts recovery round `round`: 9 clocks with SDA released (RD with NACK).
    fn recover(&mut self, t: &mut Transfer<'_, '_>, round: u8) {
        self.command(t, Cr::RD | Cr::ACK | Cr::IACK);
        t.step = Step::RecoverClock { round };
        t.polls_left = self.budget();
    }

    /// Drives `t` one step: reads SR once and, if the command in flight has completed,
    /// handles its outcome and issues the next command.
    ///
    /// Returns `Ready` with the result once the transfer has ended with the bus idle;
    /// `Pending` otherwise. Each `Pending` spends one poll of the wait budget: when the
    /// budget is spent the driver issues STOP and the transfer ends with [`Error::Timeout`].
    pub fn advance(&mut self, t: &mut Transfer<'_, '_>) -> Poll<Result<(), Error>> {
        if t.is_done() {
            return Poll::Ready(t.result());
        }
        let sr = self.regs.sr();
        self.advance_with(t, sr)
    }

    /// [`I2c::advance`] with an SR value the caller has just read (an interrupt handler
    /// that read SR to find the source passes it on, saving a register read).
    pub fn advance_with(&mut self, t: &mut Transfer<'_, '_>, sr: Sr) -> Poll<Result<(), Error>> {
        if t.is_done() {
            return Poll::Ready(t.result());
        }
        if matches!(
            t.step,
            Step::Stop | Step::WaitIdle | Step::RecoverStop { .. }
        ) {
            return self.wait_idle(t, sr);
        }
        let complete =
            !sr.contains(Sr::TIP) && (sr.contains(Sr::IF) || self.config.has_fu540_erratum());
        if !complete {
            t.polls_left = t.polls_left.saturating_sub(1);
            if t.polls_left == 0 {
                self.abort(t, Error::Timeout);
                if t.is_done() {
                    return Poll::Ready(t.result());
                }
            }
            return Poll::Pending;
        }
        t.polls_left = self.budget();
        if let Step::RecoverClock { round } = t.step {
            // Arbitration lost on the NACK bit only means SDA was still held: STOP anyway.
            self.command(t, Cr::STO | Cr::IACK);
            t.step = Step::RecoverStop { round };
            t.stop_seen = false;
            return Poll::Pending;
        }
        if sr.contains(Sr::AL) {
            self.fail(t, Error::ArbitrationLoss);
            return Poll::Pending;
        }
        match t.step {
            Step::Address | Step::TenBitLow | Step::TenBitRead => {
                if sr.contains(Sr::RXACK) {
                    self.fail(t, Error::AddressNack);
                    return Poll::Pending;
                }
                self.address_done(t);
            }
            Step::Write { op, index, stop } => {
                if sr.contains(Sr::RXACK) {
                    let error = Error::DataNack { op, index };
                    if stop {
                        t.error = Some(error);
                        return self.stopped(t, sr);
                    }
                    self.fail(t, error);
                    return Poll::Pending;
                }
                t.index = index + 1;
                if stop {
                    return self.stopped(t, sr);
                }
                self.next(t);
            }
            Step::Read { op, index, stop } => {
                let byte = self.regs.read(ReadReg::Rxr);
                t.store(op, index, byte);
                t.index = index + 1;
                if stop {
                    return self.stopped(t, sr);
                }
                self.next(t);
            }
            Step::Discard { stop } => {
                // The byte only made the target let go of SDA: nobody asked for it.
                if stop {
                    return self.stopped(t, sr);
                }
                self.end_segment(t);
            }
            Step::Stop
            | Step::WaitIdle
            | Step::RecoverClock { .. }
            | Step::RecoverStop { .. }
            | Step::Done => {}
        }
        Poll::Pending
    }

    /// A command with STO completed: acknowledges its IF at once (the line must not stay up
    /// while the driver polls), then the transfer is over once the bus is idle, which the
    /// same SR value usually shows already (the core clears BUSY when it sees its STOP).
    fn stopped(&mut self, t: &mut Transfer<'_, '_>, sr: Sr) -> Poll<Result<(), Error>> {
        t.step = Step::Stop;
        t.stop_seen = true;
        if self.irq {
            self.regs.set_cr(Cr::IACK);
        }
        if sr.contains(Sr::BUSY) {
            return Poll::Pending;
        }
        t.step = Step::Done;
        Poll::Ready(t.result())
    }

    /// Waits for the bus to go idle: after a STOP ([`Step::Stop`], [`Step::RecoverStop`])
    /// or before the START ([`Step::WaitIdle`]). A STOP's IF is acknowledged as soon as it
    /// is seen. When the budget runs out the bus is recovered, round after round, and the
    /// transfer ends with [`Error::BusBusy`] after the last one.
    fn wait_idle(&mut self, t: &mut Transfer<'_, '_>, sr: Sr) -> Poll<Result<(), Error>> {
        let erratum = self.config.has_fu540_erratum();
        if sr.contains(Sr::IF) && !erratum && t.step != Step::WaitIdle {
            if self.irq {
                self.regs.set_cr(Cr::IACK);
            }
            t.stop_seen = true;
        }
        // With interrupts on, the STOP's IF must have been seen (and acknowledged) too, or
        // it would rise after the driver has returned.
        let stop_done = t.stop_seen || !self.irq || t.step == Step::WaitIdle;
        if stop_done && !sr.intersects(Sr::BUSY | Sr::TIP) {
            t.polls_left = self.budget();
            if t.started {
                t.step = Step::Done;
                return Poll::Ready(t.result());
            }
            self.issue_address(t);
            return Poll::Pending;
        }
        t.polls_left = t.polls_left.saturating_sub(1);
        if t.polls_left > 0 {
            return Poll::Pending;
        }
        match t.step {
            // A command that never ends cannot be recovered by more commands.
            Step::WaitIdle | Step::Stop if sr.contains(Sr::TIP) => {
                let error = if t.started {
                    Error::Timeout
                } else {
                    Error::BusBusy
                };
                t.error.get_or_insert(error);
                self.finish(t);
            }
            Step::WaitIdle => self.recover(t, 0),
            Step::Stop => {
                // The STOP did not free the bus: a target holds SDA.
                t.error.get_or_insert(Error::Timeout);
                self.recover(t, 0);
            }
            Step::RecoverStop { round } if round + 1 < RECOVERY_ROUNDS => {
                self.recover(t, round + 1);
            }
            _ => {
                t.error = Some(Error::BusBusy);
                self.finish(t);
            }
        }
        if t.is_done() {
            return Poll::Ready(t.result());
        }
        Poll::Pending
    }

    /// Ends the transfer in flight with `error`: issues STOP and waits (on later
    /// [`I2c::advance`] calls) for the bus to go idle. While recovery clocks, the clocks are
    /// cut short by its STOP. A second abort, or one while the driver waits for the bus to go
    /// idle, ends the transfer at once.
    pub fn abort(&mut self, t: &mut Transfer<'_, '_>, error: Error) {
        match t.step {
            Step::Done => {}
            Step::Stop | Step::WaitIdle | Step::RecoverStop { .. } => {
                t.error.get_or_insert(error);
                self.finish(t);
            }
            Step::RecoverClock { round } => {
                t.error.get_or_insert(error);
                self.command(t, Cr::STO | Cr::IACK);
                t.step = Step::RecoverStop { round };
                t.stop_seen = false;
                t.polls_left = self.budget();
            }
            _ => self.fail(t, error),
        }
    }

    /// Records `error` and issues STOP.
    fn fail(&mut self, t: &mut Transfer<'_, '_>, error: Error) {
        t.error.get_or_insert(error);
        self.command(t, Cr::STO | Cr::IACK);
        t.step = Step::Stop;
        t.stop_seen = false;
        t.polls_left = self.budget();
    }

    /// Ends the transfer early, leaving no IF up to hold the interrupt line.
    fn finish(&mut self, t: &mut Transfer<'_, '_>) {
        if self.irq {
            self.regs.set_cr(Cr::IACK);
        }
        t.step = Step::Done;
    }

    /// Issues (repeated) START and the first address byte of the current segment.
    fn issue_address(&mut self, t: &mut Transfer<'_, '_>) {
        t.started = true;
        let read = t.segment_is_read();
        let turn_around = matches!(t.address, Address::TenBit(_)) && t.previous_was_write;
        match t.address {
            // A 10-bit read first addresses the target for writing, then turns around.
            Address::TenBit(_) if read && turn_around => {
                self.regs.write(WriteReg::Txr, t.address.first_byte(true));
                t.step = Step::TenBitRead;
            }
            Address::TenBit(_) => {
                self.regs.write(WriteReg::Txr, t.address.first_byte(false));
                t.step = Step::Address;
            }
            Address::SevenBit(_) => {
                self.regs.write(WriteReg::Txr, t.address.first_byte(read));
                t.step = Step::Address;
            }
        }
        self.command(t, Cr::STA | Cr::WR | Cr::IACK);
    }

    fn address_done(&mut self, t: &mut Transfer<'_, '_>) {
        match (t.step, t.address) {
            (Step::Address, Address::TenBit(a)) => {
                self.regs.write(WriteReg::Txr, a.to_le_bytes()[0]);
                self.command(t, Cr::WR | Cr::IACK);
                t.step = Step::TenBitLow;
            }
            (Step::TenBitLow, Address::TenBit(_)) if t.segment_is_read() => {
                self.regs.write(WriteReg::Txr, t.address.first_byte(true));
                self.command(t, Cr::STA | Cr::WR | Cr::IACK);
                t.step = Step::TenBitRead;
            }
            _ => self.next(t),
        }
    }

    /// Issues the command for the next byte, the next segment's address, or STOP.
    fn next(&mut self, t: &mut Transfer<'_, '_>) {
        if let Some((op, index)) = t.seek() {
            let last = t.is_last_in_segment(op, index);
            let stop = last && t.is_final_segment();
            let mut cr = Cr::IACK;
            if stop {
                cr |= Cr::STO;
            }
            if t.segment_is_read() {
                cr |= Cr::RD;
                if last {
                    cr |= Cr::ACK;
                }
                t.step = Step::Read { op, index, stop };
            } else {
                self.regs.write(WriteReg::Txr, t.write_byte(op, index));
                cr |= Cr::WR;
                t.step = Step::Write { op, index, stop };
            }
            self.command(t, cr);
        } else if t.segment_is_read() && t.segment_is_empty() {
            // After a read address the target drives SDA with the first bit of its next
            // byte: neither STOP nor a repeated START is possible until a byte has been
            // clocked out and NACKed.
            let stop = t.is_final_segment();
            let mut cr = Cr::RD | Cr::ACK | Cr::IACK;
            if stop {
                cr |= Cr::STO;
            }
            t.step = Step::Discard { stop };
            self.command(t, cr);
        } else {
            self.end_segment(t);
        }
    }

    /// Issues the next segment's address, or STOP after the last segment.
    fn end_segment(&mut self, t: &mut Transfer<'_, '_>) {
        if !t.is_final_segment() {
            t.enter_segment(t.seg_end);
            self.issue_address(t);
        } else {
            self.command(t, Cr::STO | Cr::IACK);
            t.step = Step::Stop;
            t.stop_seen = false;
            t.polls_left = self.budget();
        }
    }

    /// Runs a transaction to its end by polling SR, each wait bounded by the poll budget.
    pub fn transaction(
        &mut self,
        address: Address,
        ops: &mut [Operation<'_>],
    ) -> Result<(), Error> {
        let mut t = self.start(address, ops)?;
        self.poll(&mut t)
    }
}

impl<R, D> ErrorType for I2c<R, D> {
    type Error = Error;
}

impl<R: Regs, D: DelayNs> embedded_hal::i2c::I2c<SevenBitAddress> for I2c<R, D> {
    fn transaction(
        &mut self,
        address: SevenBitAddress,
        operations: &mut [Operation<'_>],
    ) -> Result<(), Self::Error> {
        I2c::transaction(self, Address::SevenBit(address), operations)
    }
}

impl<R: Regs, D: DelayNs> embedded_hal::i2c::I2c<TenBitAddress> for I2c<R, D> {
    fn transaction(
        &mut self,
        address: TenBitAddress,
        operations: &mut [Operation<'_>],
    ) -> Result<(), Self::Error> {
        I2c::transaction(self, Address::TenBit(address), operations)
    }
}
