// SPDX-License-Identifier: GPL-2.0 OR MIT

#![doc = include_str!("../README.md")]
//!
//! # API map
//!
//! - Set-up: [`I2c::new`] over any [`Regs`], [`I2c::from_instance`] over an instance of
//!   a SoC profile ([`sifive_i2c_hal::soc`]), [`I2c::with_delay`] with a delay provider;
//!   [`Config`] (input clock, [`BusSpeed`], wait budgets, the FU540-C000 erratum), whose
//!   [`Timing`] or [`ConfigError`] comes before any register is written.
//! - Blocking transfers: the inherent [`I2c::write`], [`I2c::read`],
//!   [`I2c::write_read`] and [`I2c::transaction`], which take any `impl Into<`[`Address`]`>`;
//!   the `embedded_hal::i2c::I2c` trait for 7-bit and 10-bit addresses; [`I2c::probe`].
//! - Everything the wire can say: [`Segment`]s run by [`I2c::transfer`], over
//!   [`Bytes`] or any [`Buffer`]; a transaction kept in place, [`SegmentTransfer`].
//! - Interrupt handler: [`I2c::set_interrupt`], [`I2c::start`] or
//!   [`I2c::start_segments`], then [`I2c::advance_irq`] from the handler on the
//!   [`Transfer`]; [`IrqSlot`] shares it with the handler, [`I2c::from_instance_with_handler`]
//!   gives the handler its own view of the registers.
//! - Async: [`AsyncI2c`] implements `embedded_hal_async::i2c::I2c`, woken by an
//!   [`IrqSignal`] that the interrupt handler calls, with the one-shot protocol
//!   ([`AsyncI2c::with_irq_line`], [`IrqLine`]) or by masking CTR.IEN ([`AsyncI2c::new`]).
//! - Bus recovery: [`I2c::recover_bus`], [`I2c::start_recovery`], [`AsyncI2c::recover_bus`].
//! - Errors: [`Error`], with [`Error::errno`] and the embedded-hal
//!   `ErrorKind` (table below).
//!
//! The reference manual follows; the repository's Documentation/driver.rst renders the
//! same text, with the project's test harness (the host model, fuzzing, soak and mutation
//! testing).
//!
#![doc = include_str!("../doc/manual.md")]
#![no_std]
#![forbid(unsafe_code)]

mod asynch;
mod config;
mod error;
mod irq;
mod segment;
mod transfer;

use core::task::Poll;

use embedded_hal::delay::DelayNs;
use embedded_hal::i2c::{ErrorType, Operation, SevenBitAddress, TenBitAddress};
use sifive_i2c_hal::regs::{Cr, Ctr, ReadReg, Sr, WriteReg};
use sifive_i2c_hal::soc::{HandlerRegs, Instance};
use sifive_i2c_hal::Mmio;
pub use sifive_i2c_hal::Regs;

pub use asynch::{AsyncI2c, IrqLine, IrqSignal, Masked};
pub use config::{BusSpeed, Config, ConfigError, Timing};
pub use error::Error;
pub use irq::IrqSlot;
pub use segment::{Buffer, Bytes, Header, Ops, Segment, Segments, BLOCK_MAX};
use transfer::Step;
pub use transfer::{Address, SegmentTransfer, Transfer, RECOVERY_ROUNDS};

/// The delay type of an [`I2c`] without a delay provider: it polls, and its waits are
/// bounded by [`Config::with_poll_budget`]. It never waits.
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
/// `irq` (never set with the FU540 erratum). `budget` is what `I2c::wait_budget` computes
/// and `byte_ns` is [`I2c::wire_ns`] of a byte command, for the configuration in use.
#[derive(Debug)]
pub struct I2c<R, D = NoDelay> {
    regs: R,
    config: Config,
    timing: Timing,
    irq: bool,
    /// The budget of one wait (see `I2c::wait_budget`): read on every command.
    budget: u32,
    /// The wire time of a byte command: read on every byte.
    byte_ns: u32,
    delay: Option<D>,
}

impl<R: Regs> I2c<R> {
    /// Programs the prescaler (with the core disabled), enables the core and acknowledges a
    /// stale interrupt (erratum 2: IACK is ignored while EN is clear).
    ///
    /// Without a delay provider, blocking transfers poll SR and every wait is bounded by
    /// [`Config::with_poll_budget`]. On a configuration error nothing is written.
    pub fn new(regs: R, config: Config) -> Result<Self, ConfigError> {
        Self::init(regs, config, None)
    }
}

impl I2c<Mmio> {
    /// A controller on SoC instance `instance` (see `sifive_i2c_hal::soc`), with the
    /// instance's errata applied to `config` (the FU540-C000's interrupt erratum).
    ///
    /// The configuration is checked first: on an error the instance is dropped with no
    /// register written.
    ///
    /// # Examples
    ///
    /// ```no_run
    /// # #[cfg(target_arch = "riscv64")]
    /// # fn main() -> Result<(), Box<dyn core::error::Error>> {
    /// use sifive_i2c::{BusSpeed, Config, I2c};
    /// use sifive_i2c_hal::soc::fu540;
    ///
    /// let p = fu540::Peripherals::take().ok_or("taken")?;
    /// let tlclk = p.prci.tlclk_hz(fu540::HIFIVE_UNLEASHED_HFCLK_HZ)?;
    /// let mut i2c = I2c::from_instance(p.i2c0, Config::new(tlclk, BusSpeed::Fast))?;
    /// let mut id = [0u8; 2];
    /// i2c.write_read(0x48, &[0], &mut id)?;
    /// # Ok(())
    /// # }
    /// # #[cfg(not(target_arch = "riscv64"))]
    /// # fn main() {}
    /// ```
    pub fn from_instance<I: Instance>(instance: I, config: Config) -> Result<Self, ConfigError> {
        let config = config.with_fu540_c000_erratum(I::FU540_C000_ERRATUM);
        config.timing()?;
        Self::new(instance.into_mmio(), config)
    }

    /// [`I2c::from_instance`], also returning the interrupt handler's view of the
    /// registers (for [`IrqSignal::on_interrupt`] and [`IrqSignal::on_interrupt_oneshot`];
    /// share it with the handler through an [`IrqSlot`]).
    pub fn from_instance_with_handler<I: Instance>(
        instance: I,
        config: Config,
    ) -> Result<(Self, HandlerRegs), ConfigError> {
        let config = config.with_fu540_c000_erratum(I::FU540_C000_ERRATUM);
        config.timing()?;
        let (mmio, handler) = instance.split();
        Ok((Self::new(mmio, config)?, handler))
    }
}

impl<R: Regs, D: DelayNs> I2c<R, D> {
    /// [`I2c::new`] with a delay provider: a blocking transfer then waits each command's
    /// wire time (computed from the prescaler and the input clock, see
    /// Documentation/driver.rst) before it reads SR, and backs off one bit time between
    /// later reads; every wait is bounded by [`Config::with_wait_budget_us`].
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
        let mut i2c = Self {
            regs,
            config,
            timing,
            irq: false,
            budget: 0,
            byte_ns: 0,
            delay,
        };
        // INVARIANT: The prescaler, EN and IEN were just written as the invariant says, and
        // the budget and the byte time are computed for this configuration, which an `I2c`
        // keeps for its life.
        i2c.budget = i2c.wait_budget();
        i2c.byte_ns = i2c.wire_ns(Cr::WR);
        Ok(i2c)
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

    /// The budget of one wait (kept in `budget`).
    fn budget(&self) -> u32 {
        self.budget
    }

    /// The budget of one wait, in calls of [`I2c::advance`] that find it unfinished: the
    /// poll budget, or with a delay provider [`Config::with_wait_budget_us`] in back-off steps.
    fn wait_budget(&self) -> u32 {
        if self.delay.is_none() {
            return self.config.poll_budget();
        }
        let steps = u64::from(self.config.wait_budget_us()) * 1000 / u64::from(self.backoff_ns());
        u32::try_from(steps).unwrap_or(u32::MAX).max(1)
    }

    /// Issues command `cr` and records its wire time for a polling wait.
    #[inline(never)]
    fn command<S: Segments>(&mut self, t: &mut SegmentTransfer<S>, cr: Cr) {
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
        if enable && self.config.fu540_c000_erratum() {
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
        !self.config.fu540_c000_erratum() && self.regs.sr().contains(Sr::IF)
    }

    /// Validates an embedded-hal transaction and issues its first command (see
    /// [`I2c::start_segments`]).
    pub fn start<'a, 'b>(
        &mut self,
        address: Address,
        ops: &'a mut [Operation<'b>],
    ) -> Result<Transfer<'a, 'b>, Error> {
        address.validate()?;
        self.start_segments(Ops::new(address, ops))
    }

    /// Validates a transaction of segments and issues its first command.
    ///
    /// Bad input ([`Error::InvalidAddress`], [`Error::InvalidOperation`],
    /// [`Error::Unsupported`]) is refused before any register access. A bus found busy
    /// (SR.BUSY or SR.TIP) is not touched at once: the transfer first waits, within the poll
    /// budget, for it to go idle (another master finishing), then recovers it (see
    /// [`I2c::recover_bus`]) and only then issues START; it ends with [`Error::BusBusy`] if
    /// the bus stays held.
    pub fn start_segments<S: Segments>(&mut self, segs: S) -> Result<SegmentTransfer<S>, Error> {
        transfer::validate(&segs)?;
        let mut t = SegmentTransfer::new(segs, self.budget());
        self.launch(&mut t);
        Ok(t)
    }

    /// [`I2c::start_segments`] in place: starts transfer `t` (finished, or made with
    /// [`SegmentTransfer::idle`]) again over its segments, as they are now. Refuses, with no
    /// register access, a transfer still running ([`Error::InvalidOperation`]) and what
    /// [`I2c::start_segments`] refuses.
    pub fn restart<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) -> Result<(), Error> {
        if !t.is_done() {
            return Err(Error::InvalidOperation);
        }
        transfer::validate(&t.segs)?;
        t.reset(self.budget());
        self.launch(t);
        Ok(())
    }

    /// Issues the first command of a validated transfer, or waits for a busy bus.
    fn launch<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        if self.regs.sr().intersects(Sr::BUSY | Sr::TIP) {
            t.step = Step::WaitIdle;
            return;
        }
        self.issue_address(t);
    }

    /// Runs a transaction of segments to its end by polling SR, each wait bounded by the
    /// poll budget (see [`Segment`] and Documentation/driver.rst, "The transaction model").
    pub fn transfer<B: Buffer>(&mut self, segments: &mut [Segment<B>]) -> Result<(), Error> {
        let mut t = self.start_segments(segments)?;
        self.poll(&mut t)
    }

    /// The time the segments keep the wire busy at the programmed bus speed, in
    /// nanoseconds, counted as [`I2c::wire_ns`] does: each START with its address bytes
    /// (a 10-bit read's turn-around included), each byte (a block read at its largest), the
    /// byte of a read run with no bytes, and each STOP. Clock stretching and the bus free
    /// time between a STOP and the next START are not counted.
    pub fn wire_time_ns<S: Segments + ?Sized>(&self, segs: &S) -> u64 {
        let byte = u64::from(self.wire_ns(Cr::WR));
        let start = u64::from(self.wire_ns(Cr::STA | Cr::WR));
        let mut ns = u64::from(self.wire_ns(Cr::STO));
        let mut run_bytes = 0;
        let mut run_read = false;
        let mut last_write: Option<Address> = None;
        let n = segs.count();
        for i in 0..n {
            let h = segs.header(i);
            if h.start {
                if run_read && run_bytes == 0 && i > 0 {
                    ns += byte;
                }
                ns += start;
                if let Address::TenBit(_) = h.address {
                    let short = h.read && last_write == Some(h.address);
                    if !short {
                        ns += byte;
                        if h.read {
                            ns += start;
                        }
                    }
                }
                last_write = (!h.read).then_some(h.address);
                run_bytes = 0;
                run_read = h.read;
            }
            let len = h.max_len() as u64;
            run_bytes += len;
            ns += len * byte;
            if h.stop && i + 1 < n {
                if run_read && run_bytes == 0 {
                    ns += byte;
                    run_bytes = 1;
                }
                ns += u64::from(self.wire_ns(Cr::STO));
                last_write = None;
            }
        }
        if run_read && run_bytes == 0 && n > 0 {
            ns += byte;
        }
        ns
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
    fn poll<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) -> Result<(), Error> {
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
        let mut t = SegmentTransfer::idle(Ops::new(Address::SevenBit(0), &mut []));
        self.begin_recovery(&mut t);
        t
    }

    /// [`I2c::start_recovery`] in place: runs bus recovery in transfer `t` (finished, or
    /// made with [`SegmentTransfer::idle`]), whose segments it leaves alone. Refuses a
    /// transfer still running ([`Error::InvalidOperation`]), with no register access.
    pub fn restart_recovery<S: Segments>(
        &mut self,
        t: &mut SegmentTransfer<S>,
    ) -> Result<(), Error> {
        if !t.is_done() {
            return Err(Error::InvalidOperation);
        }
        self.begin_recovery(t);
        Ok(())
    }

    fn begin_recovery<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        t.reset(self.budget());
        t.started = true;
        let sr = self.regs.sr();
        if sr.contains(Sr::TIP) {
            t.step = Step::WaitIdle;
        } else if sr.contains(Sr::BUSY) {
            self.recover(t, 0);
        } else {
            t.step = Step::Done;
        }
    }

    /// Starts recovery round `round`: 9 clocks with SDA released (RD with NACK).
    fn recover<S: Segments>(&mut self, t: &mut SegmentTransfer<S>, round: u8) {
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
    pub fn advance<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) -> Poll<Result<(), Error>> {
        if t.is_done() {
            return Poll::Ready(t.result());
        }
        let sr = self.regs.sr();
        self.advance_with(t, sr)
    }

    /// [`I2c::advance`] with an SR value the caller has just read (an interrupt handler
    /// that read SR to find the source passes it on, saving a register read).
    pub fn advance_with<S: Segments>(
        &mut self,
        t: &mut SegmentTransfer<S>,
        sr: Sr,
    ) -> Poll<Result<(), Error>> {
        if t.ready > 0 && self.next_ready(t, sr) {
            return Poll::Pending;
        }
        if t.is_done() {
            return Poll::Ready(t.result());
        }
        if matches!(
            t.step,
            Step::Stop | Step::WaitIdle | Step::RecoverStop { .. }
        ) {
            return self.wait_idle(t, sr, true);
        }
        let complete =
            !sr.contains(Sr::TIP) && (sr.contains(Sr::IF) || self.config.fu540_c000_erratum());
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
                if sr.contains(Sr::RXACK) && !t.run_header().ignore_nack {
                    self.fail(t, Error::AddressNack);
                    return Poll::Pending;
                }
                self.address_done(t);
            }
            Step::Write { seg, index, stop } => {
                if sr.contains(Sr::RXACK) && !t.segs.header(seg).ignore_nack {
                    let error = Error::DataNack { op: seg, index };
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
            Step::Read { seg, index, stop } => {
                let byte = self.regs.read(ReadReg::Rxr);
                t.segs.store(seg, index, byte);
                t.index = index + 1;
                if stop {
                    return self.stopped(t, sr);
                }
                self.next(t);
            }
            Step::BlockCount { seg } => {
                let count = self.regs.read(ReadReg::Rxr);
                if let Err(error) = t.block_count(seg, count) {
                    // The count byte was ACKed, so the target sends another: take it with
                    // NACK, then STOP.
                    t.error.get_or_insert(error);
                    self.command(t, Cr::RD | Cr::ACK | Cr::STO | Cr::IACK);
                    t.step = Step::Discard { stop: true };
                    return Poll::Pending;
                }
                t.index = 1;
                self.next(t);
            }
            Step::Discard { stop } => {
                // The byte only made the target let go of SDA: nobody asked for it.
                if stop {
                    return self.stopped(t, sr);
                }
                self.end_run(t);
            }
            Step::Stop
            | Step::WaitIdle
            | Step::RecoverClock { .. }
            | Step::RecoverStop { .. }
            | Step::Done => {}
        }
        Poll::Pending
    }

    /// The interrupt handler's step: [`I2c::advance_with`] with the SR value the handler
    /// read, except while the transfer waits for the bus to go idle (before the START,
    /// after a STOP), which raises no interrupt of its own. Then an IF that is set (the
    /// STOP's, or a stale one) is acknowledged, so that the level-triggered line drops
    /// instead of firing again, and no poll of the wait's budget is spent: the task's
    /// polling bounds that wait.
    pub fn advance_irq<S: Segments>(
        &mut self,
        t: &mut SegmentTransfer<S>,
        sr: Sr,
    ) -> Poll<Result<(), Error>> {
        // The common case first, without the rest of `advance_with` (which takes it too).
        if t.ready > 0 && self.next_ready(t, sr) {
            return Poll::Pending;
        }
        if t.awaits_interrupt() || t.is_done() {
            return self.advance_with(t, sr);
        }
        self.wait_idle(t, sr, false)
    }

    /// A command with STO completed: acknowledges its IF at once (the line must not stay up
    /// while the driver polls), then the transfer is over once the bus is idle, which the
    /// same SR value usually shows already (the core clears BUSY when it sees its STOP).
    fn stopped<S: Segments>(
        &mut self,
        t: &mut SegmentTransfer<S>,
        sr: Sr,
    ) -> Poll<Result<(), Error>> {
        t.step = Step::Stop;
        t.stop_seen = true;
        if self.irq {
            self.regs.set_cr(Cr::IACK);
        }
        if sr.contains(Sr::BUSY) {
            return Poll::Pending;
        }
        self.after_stop(t)
    }

    /// A STOP has completed and the bus is idle: the transfer is over, unless the STOP was
    /// one a segment asked for ([`Segment::stop_after`]) with more runs to go and no error,
    /// which then begin with a START.
    fn after_stop<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) -> Poll<Result<(), Error>> {
        // Only a STOP the transfer's own runs asked for goes on to the next run: bus recovery
        // (its STOP, or its wait for a command in flight) ends the transaction, whatever
        // segments its storage still holds from the transfer before.
        if t.error.is_some() || t.is_final_run() || t.step != Step::Stop {
            t.step = Step::Done;
            return Poll::Ready(t.result());
        }
        // The STOP ended the target's addressing: a 10-bit read needs its full address.
        t.last_write = None;
        t.enter_run(t.run_end);
        t.polls_left = self.budget();
        self.issue_address(t);
        Poll::Pending
    }

    /// Waits for the bus to go idle: after a STOP ([`Step::Stop`], [`Step::RecoverStop`])
    /// or before the START ([`Step::WaitIdle`]). An IF is acknowledged as soon as it is
    /// seen (for a STOP, it marks the STOP done). When the budget runs out (`spend`: this
    /// call counts as a poll) the bus is recovered, round after round, and the transfer
    /// ends with [`Error::BusBusy`] after the last one.
    fn wait_idle<S: Segments>(
        &mut self,
        t: &mut SegmentTransfer<S>,
        sr: Sr,
        spend: bool,
    ) -> Poll<Result<(), Error>> {
        let erratum = self.config.fu540_c000_erratum();
        // Never a CR write while a command is in flight (erratum 3): an IF seen with TIP
        // set is acknowledged once the command has ended.
        if sr.contains(Sr::IF) && !sr.contains(Sr::TIP) && !erratum {
            if self.irq {
                self.regs.set_cr(Cr::IACK);
            }
            if t.step != Step::WaitIdle {
                t.stop_seen = true;
            }
        }
        // With interrupts on, the STOP's IF must have been seen (and acknowledged) too, or
        // it would rise after the driver has returned.
        let stop_done = t.stop_seen || !self.irq || t.step == Step::WaitIdle;
        if stop_done && !sr.intersects(Sr::BUSY | Sr::TIP) {
            t.polls_left = self.budget();
            if t.started {
                return self.after_stop(t);
            }
            self.issue_address(t);
            return Poll::Pending;
        }
        if !spend {
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
    pub fn abort<S: Segments>(&mut self, t: &mut SegmentTransfer<S>, error: Error) {
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
    fn fail<S: Segments>(&mut self, t: &mut SegmentTransfer<S>, error: Error) {
        t.error.get_or_insert(error);
        self.command(t, Cr::STO | Cr::IACK);
        t.step = Step::Stop;
        t.stop_seen = false;
        t.polls_left = self.budget();
    }

    /// Ends the transfer early, leaving no IF up to hold the interrupt line.
    fn finish<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        if self.irq {
            self.regs.set_cr(Cr::IACK);
        }
        t.step = Step::Done;
    }

    /// Issues (repeated) START and the first address byte of the current run.
    fn issue_address<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        t.started = true;
        let h = t.run_header();
        let byte = match h.address {
            // A 10-bit read right after a write to the same target only turns around; any
            // other first addresses the target for writing, then turns around.
            Address::TenBit(_) if h.read && t.last_write == Some(h.address) => {
                t.step = Step::TenBitRead;
                h.address.first_byte(true)
            }
            Address::TenBit(_) => {
                t.step = Step::Address;
                h.address.first_byte(false)
            }
            Address::SevenBit(_) | Address::SevenBitRaw(_) => {
                t.step = Step::Address;
                h.address.first_byte(h.read != h.reverse_rw)
            }
        };
        self.regs.write(WriteReg::Txr, byte);
        self.command(t, Cr::STA | Cr::WR | Cr::IACK);
    }

    fn address_done<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        let h = t.run_header();
        match (t.step, h.address) {
            (Step::Address, Address::TenBit(a)) => {
                self.regs.write(WriteReg::Txr, a.to_le_bytes()[0]);
                self.command(t, Cr::WR | Cr::IACK);
                t.step = Step::TenBitLow;
            }
            (Step::TenBitLow, Address::TenBit(_)) if h.read => {
                self.regs.write(WriteReg::Txr, h.address.first_byte(true));
                self.command(t, Cr::STA | Cr::WR | Cr::IACK);
                t.step = Step::TenBitRead;
            }
            _ => self.next(t),
        }
    }

    /// What [`I2c::advance_with`] does in its most common case, with no look-up of the
    /// segments (it runs on every interrupt): the byte in flight, not the last of its
    /// segment, has completed (IF, or with the erratum no TIP; no arbitration loss; a
    /// written byte ACKed), and the next byte is in the same segment and not its last
    /// either, so it takes neither NACK nor STOP: `t.ready` counts such bytes when
    /// [`I2c::next`] issues a byte. Stores a byte read, issues the next byte's command and
    /// returns `true`; in every other case does nothing and returns `false`.
    fn next_ready<S: Segments>(&mut self, t: &mut SegmentTransfer<S>, sr: Sr) -> bool {
        let complete = sr.contains(Sr::IF) || self.config.fu540_c000_erratum();
        if !complete || sr.intersects(Sr::TIP | Sr::AL) {
            return false;
        }
        let cr = match t.step {
            Step::Write {
                seg,
                index,
                stop: false,
            } if !sr.contains(Sr::RXACK) => {
                let index = index + 1;
                self.regs.write(WriteReg::Txr, t.segs.byte(seg, index));
                t.step = Step::Write {
                    seg,
                    index,
                    stop: false,
                };
                t.index = index;
                Cr::WR | Cr::IACK
            }
            Step::Read {
                seg,
                index,
                stop: false,
            } => {
                let byte = self.regs.read(ReadReg::Rxr);
                t.segs.store(seg, index, byte);
                let index = index + 1;
                t.step = Step::Read {
                    seg,
                    index,
                    stop: false,
                };
                t.index = index;
                Cr::RD | Cr::IACK
            }
            _ => return false,
        };
        t.ready -= 1;
        t.polls_left = self.budget;
        self.regs.set_cr(cr);
        t.wire_ns = self.byte_ns;
        true
    }

    /// Issues the command for the next byte, the next run's address, or STOP.
    fn next<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        let read = t.run_header().read;
        if let Some((seg, index)) = t.seek() {
            if read && index == 0 && t.segs.header(seg).block.is_some() {
                // The count byte: at least one byte follows, so it is ACKed.
                self.command(t, Cr::RD | Cr::IACK);
                t.step = Step::BlockCount { seg };
                return;
            }
            let len = t.seg_len(seg);
            let last = t.is_last_in_run(seg, index, len);
            let stop = last && t.run_ends_with_stop();
            // The bytes after this one that `next_ready` may issue: not the segment's last.
            t.ready = len.saturating_sub(index + 2);
            let mut cr = Cr::IACK;
            if stop {
                cr |= Cr::STO;
            }
            if read {
                cr |= Cr::RD;
                if last {
                    cr |= Cr::ACK;
                }
                t.step = Step::Read { seg, index, stop };
            } else {
                self.regs.write(WriteReg::Txr, t.segs.byte(seg, index));
                cr |= Cr::WR;
                t.step = Step::Write { seg, index, stop };
            }
            self.command(t, cr);
        } else if read && t.run_is_empty() {
            // After a read address the target drives SDA with the first bit of its next
            // byte: neither STOP nor a repeated START is possible until a byte has been
            // clocked out and NACKed.
            let stop = t.run_ends_with_stop();
            let mut cr = Cr::RD | Cr::ACK | Cr::IACK;
            if stop {
                cr |= Cr::STO;
            }
            t.step = Step::Discard { stop };
            self.command(t, cr);
        } else {
            self.end_run(t);
        }
    }

    /// Issues the next run's address, or STOP after the last run (or a run that asks for
    /// one).
    fn end_run<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) {
        if !t.run_ends_with_stop() {
            t.leave_run();
            t.enter_run(t.run_end);
            self.issue_address(t);
        } else {
            self.command(t, Cr::STO | Cr::IACK);
            t.step = Step::Stop;
            t.stop_seen = false;
            t.polls_left = self.budget();
        }
    }

    /// Runs a transaction to its end by polling SR, each wait bounded by the poll budget.
    ///
    /// `address` is anything that converts into an [`Address`]: a `u8` or an untyped
    /// literal is a 7-bit address, a `u16` a 10-bit one, as in the embedded-hal
    /// `I2c<SevenBitAddress>` and `I2c<TenBitAddress>` implementations, which call this
    /// method (so `i2c.transaction(0x50, ..)`, `i2c.transaction(0x50u8, ..)` and
    /// `i2c.transaction(0x123u16, ..)` all compile).
    pub fn transaction(
        &mut self,
        address: impl Into<Address>,
        ops: &mut [Operation<'_>],
    ) -> Result<(), Error> {
        let mut t = self.start(address.into(), ops)?;
        self.poll(&mut t)
    }

    /// Writes `bytes` to the target at `address` (START, address, bytes, STOP).
    ///
    /// # Examples
    ///
    /// ```
    /// use sifive_i2c::{BusSpeed, Config, I2c};
    /// use sifive_i2c_hal::model::{Eeprom24c02, Model};
    ///
    /// let mut model = Model::new();
    /// model.attach(0x50, Eeprom24c02::new());
    /// let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Fast))?;
    /// let buf = [0x00, 0x12, 0x34];
    /// i2c.write(0x50, &buf)?;
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write(&mut self, address: impl Into<Address>, bytes: &[u8]) -> Result<(), Error> {
        self.transaction(address, &mut [Operation::Write(bytes)])
    }

    /// Reads `buffer.len()` bytes from the target at `address` (START, address, bytes with
    /// the last one NACKed, STOP).
    pub fn read(&mut self, address: impl Into<Address>, buffer: &mut [u8]) -> Result<(), Error> {
        self.transaction(address, &mut [Operation::Read(buffer)])
    }

    /// Whether a target answers at the 7-bit `address`, found with a one-byte read (the
    /// probe `i2cdetect -r` makes; it writes nothing to the target, so a bus scan with it
    /// cannot change an EEPROM or a PMIC register). `Ok(false)` on an address NACK; other
    /// errors, an invalid address among them, are returned.
    ///
    /// # Examples
    ///
    /// ```
    /// use sifive_i2c::{BusSpeed, Config, I2c};
    /// use sifive_i2c_hal::model::{Eeprom24c02, Model};
    ///
    /// let mut model = Model::new();
    /// model.attach(0x50, Eeprom24c02::new());
    /// let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Standard))?;
    /// let found: Vec<u8> = (0x08..=0x77).filter(|&a| i2c.probe(a) == Ok(true)).collect();
    /// assert_eq!(found, [0x50]);
    /// assert!(i2c.probe(0x78).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn probe(&mut self, address: u8) -> Result<bool, Error> {
        match self.read(address, &mut [0]) {
            Ok(()) => Ok(true),
            Err(Error::AddressNack) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Writes `bytes`, then reads into `buffer` after a repeated START, in one transaction.
    ///
    /// # Examples
    ///
    /// ```
    /// use sifive_i2c::{Address, BusSpeed, Config, I2c};
    /// use sifive_i2c_hal::model::{Eeprom24c02, Model};
    ///
    /// let mut model = Model::new();
    /// model.attach(0x50, Eeprom24c02::new());
    /// let mut i2c = I2c::new(model, Config::new(500_000_000, BusSpeed::Fast))?;
    /// i2c.write(0x50, &[0x20, 0xab])?;
    /// let mut byte = [0];
    /// i2c.write_read(0x50u8, &[0x20], &mut byte)?;
    /// assert_eq!(byte, [0xab]);
    /// // Nothing answers at 10-bit address 0x123 here; a `u16` is a 10-bit address.
    /// assert!(i2c.read(Address::TenBit(0x123), &mut byte).is_err());
    /// assert!(i2c.read(0x123u16, &mut byte).is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn write_read(
        &mut self,
        address: impl Into<Address>,
        bytes: &[u8],
        buffer: &mut [u8],
    ) -> Result<(), Error> {
        self.transaction(
            address,
            &mut [Operation::Write(bytes), Operation::Read(buffer)],
        )
    }
}

/// A `u8` is a 7-bit address ([`Address::SevenBit`]), as embedded-hal's `SevenBitAddress`.
impl From<u8> for Address {
    fn from(address: u8) -> Self {
        Self::SevenBit(address)
    }
}

/// A `u16` is a 10-bit address ([`Address::TenBit`]), as embedded-hal's `TenBitAddress`:
/// the inherent methods take what the two embedded-hal implementations take, with the
/// same meaning.
impl From<u16> for Address {
    fn from(address: u16) -> Self {
        Self::TenBit(address)
    }
}

/// An `i32` is a 7-bit address: Rust types an integer literal with no suffix as `i32`
/// when several integer conversions apply, so this is what makes `i2c.write(0x50, ..)`
/// compile. A value outside 0..=0x77 gives an address that the driver refuses with
/// [`Error::InvalidAddress`](crate::Error::InvalidAddress) before any register access.
///
/// ```
/// use sifive_i2c::{Address, Error};
///
/// assert_eq!(Address::from(0x50), Address::SevenBit(0x50));
/// assert_eq!(Address::from(0x50u16), Address::TenBit(0x50));
/// assert_eq!(Address::from(-1).validate(), Err(Error::InvalidAddress));
/// assert_eq!(Address::from(0x1_0050).validate(), Err(Error::InvalidAddress));
/// ```
impl From<i32> for Address {
    fn from(address: i32) -> Self {
        Self::SevenBit(u8::try_from(address).unwrap_or(u8::MAX))
    }
}

impl<R: Regs, D: embedded_hal_async::delay::DelayNs, L: IrqLine> AsyncI2c<'_, R, D, L> {
    /// Runs a transaction, as [`AsyncI2c::run`], with any address that converts into an
    /// [`Address`] (a `u8` is a 7-bit address).
    pub async fn transaction(
        &mut self,
        address: impl Into<Address>,
        ops: &mut [Operation<'_>],
    ) -> Result<(), Error> {
        self.run(address.into(), ops).await
    }

    /// Writes `bytes` to the target at `address`.
    pub async fn write(&mut self, address: impl Into<Address>, bytes: &[u8]) -> Result<(), Error> {
        self.run(address.into(), &mut [Operation::Write(bytes)])
            .await
    }

    /// Reads `buffer.len()` bytes from the target at `address`.
    pub async fn read(
        &mut self,
        address: impl Into<Address>,
        buffer: &mut [u8],
    ) -> Result<(), Error> {
        self.run(address.into(), &mut [Operation::Read(buffer)])
            .await
    }

    /// Writes `bytes`, then reads into `buffer` after a repeated START.
    pub async fn write_read(
        &mut self,
        address: impl Into<Address>,
        bytes: &[u8],
        buffer: &mut [u8],
    ) -> Result<(), Error> {
        self.run(
            address.into(),
            &mut [Operation::Write(bytes), Operation::Read(buffer)],
        )
        .await
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
