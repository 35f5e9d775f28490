// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Interrupt-driven async transfers: [`AsyncI2c`] and the [`IrqSignal`] its interrupt
//! handler raises.
//!
//! The task and the interrupt handler share the controller's registers under one of two
//! protocols.
//!
//! One-shot ([`AsyncI2c::with_irq_line`], the interrupt minimum): the interrupt stays
//! enabled (CTR.IEN) for the whole transfer. The handler reads SR, and if IF is set stores the
//! SR value and wakes the task, touching nothing else; the platform keeps the interrupt
//! masked in its interrupt controller (on a PLIC: the source is claimed and not yet
//! completed) until the task calls [`IrqLine::rearm`], as Linux's `IRQF_ONESHOT` does. The
//! task drives the state machine with that SR value, and the next command it issues carries
//! IACK, which drops the line; only then does it rearm. A byte costs the three accesses the
//! programming model needs: the handler's SR read, the task's TXR write or RXR read and CR
//! write.
//!
//! Masking ([`AsyncI2c::new`]), for platforms that cannot hold an interrupt masked: the task
//! unmasks the interrupt (CTR.IEN) and sleeps; the handler reads SR, and if IF is set it
//! masks the interrupt again (so the level-triggered line drops without acknowledging
//! anything), stores the SR value and wakes the task; the task then drives the same state
//! machine as polling ([`crate::I2c::advance_with`]) with that SR value. The handler only
//! ever touches CTR and SR. A byte costs five accesses.
//!
//! Every wait is raced against a delay of [`crate::Config::timeout_us`]; when it expires,
//! the driver issues STOP and the transfer ends with [`crate::Error::Timeout`]. On an
//! FU540-C000 (whose IF cannot be cleared) the task polls instead, yielding to the executor
//! between polls, with the poll budget as the bound.
//!
//! # Examples
//!
//! ```no_run
//! use embedded_hal_async::i2c::I2c as _;
//! use sifive_i2c::{AsyncI2c, BusSpeed, Config, I2c, IrqSignal};
//! use sifive_i2c_hal::{Mmio, MmioConfig};
//!
//! static I2C0_IRQ: IrqSignal = IrqSignal::new();
//!
//! /// The PLIC handler for source 50 calls this with its own view of the registers.
//! fn i2c0_interrupt(regs: &mut Mmio) {
//!     I2C0_IRQ.on_interrupt(regs);
//! }
//!
//! async fn read_temperature<D: embedded_hal_async::delay::DelayNs>(
//!     regs: Mmio,
//!     delay: D,
//! ) -> Result<[u8; 2], sifive_i2c::Error> {
//!     let i2c = I2c::new(regs, Config::new(500_000_000, BusSpeed::Fast)).unwrap();
//!     let mut i2c = AsyncI2c::new(i2c, &I2C0_IRQ, delay);
//!     let mut buf = [0; 2];
//!     i2c.write_read(0x48u8, &[0], &mut buf).await?;
//!     Ok(buf)
//! }
//! ```

use core::future::{poll_fn, Future};
use core::pin::pin;
use core::sync::atomic::{AtomicU16, Ordering};
use core::task::Poll;

use atomic_waker::AtomicWaker;
use embedded_hal::i2c::{ErrorType, Operation, SevenBitAddress, TenBitAddress};
use embedded_hal_async::delay::DelayNs;
use sifive_i2c_hal::regs::{Ctr, Sr};
use sifive_i2c_hal::Regs;

use crate::{Address, Buffer, Error, I2c, Segment, SegmentTransfer, Segments};

/// No SR value is pending in [`IrqSignal`].
const NONE: u16 = 0x100;

/// What an interrupt handler hands to the task waiting for a controller.
///
/// Put one in a `static` per controller instance.
#[derive(Debug)]
pub struct IrqSignal {
    waker: AtomicWaker,
    /// The SR value the handler saw, or [`NONE`].
    status: AtomicU16,
}

impl Default for IrqSignal {
    fn default() -> Self {
        Self::new()
    }
}

impl IrqSignal {
    /// A signal with nothing pending.
    pub const fn new() -> Self {
        Self {
            waker: AtomicWaker::new(),
            status: AtomicU16::new(NONE),
        }
    }

    /// The interrupt handler: call it when the controller's interrupt line fires, with
    /// access to the same registers.
    ///
    /// Returns whether the interrupt was this controller's (SR.IF set). Costs one SR read
    /// and, when it was, one CTR write.
    pub fn on_interrupt<R: Regs + ?Sized>(&self, regs: &mut R) -> bool {
        let sr = regs.sr();
        if !sr.contains(Sr::IF) {
            return false;
        }
        regs.set_ctr(Ctr::EN);
        self.status.store(u16::from(sr.bits()), Ordering::Release);
        self.waker.wake();
        true
    }

    /// The interrupt handler of the one-shot protocol ([`AsyncI2c::with_irq_line`]): reads
    /// SR and, if IF is set, hands it to the task and wakes it, touching no other register.
    ///
    /// Returns whether the interrupt was this controller's. When it was, the platform must
    /// keep the interrupt masked in its interrupt controller (not complete the PLIC claim)
    /// until the task calls [`IrqLine::rearm`]: IF stays set until then.
    pub fn on_interrupt_oneshot<R: Regs + ?Sized>(&self, regs: &mut R) -> bool {
        let sr = regs.sr();
        if !sr.contains(Sr::IF) {
            return false;
        }
        self.status.store(u16::from(sr.bits()), Ordering::Release);
        self.waker.wake();
        true
    }

    fn take(&self) -> Option<Sr> {
        let v = self.status.swap(NONE, Ordering::Acquire);
        (v != NONE).then(|| Sr::from_reg(v.to_le_bytes()[0]))
    }
}

/// Polls `a` and `b` together; returns `true` if `a` finished first.
async fn first<A: Future, B: Future>(a: A, b: B) -> bool {
    let mut a = pin!(a);
    let mut b = pin!(b);
    poll_fn(|cx| {
        if a.as_mut().poll(cx).is_ready() {
            return Poll::Ready(true);
        }
        if b.as_mut().poll(cx).is_ready() {
            return Poll::Ready(false);
        }
        Poll::Pending
    })
    .await
}

/// Returns `Pending` once, waking itself: lets the executor run other tasks.
async fn yield_now() {
    let mut yielded = false;
    poll_fn(|cx| {
        if yielded {
            Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    })
    .await;
}

/// The platform's side of the one-shot protocol: how the task lets the controller's
/// interrupt reach the handler again.
pub trait IrqLine {
    /// Unmasks the controller's interrupt in the interrupt controller after a one-shot
    /// interrupt (on a PLIC: completes the claim). Called only after IF was acknowledged;
    /// calling it while the interrupt is not masked must do no harm.
    fn rearm(&mut self);
}

/// The line of an [`AsyncI2c`] using the masking protocol: the handler masks CTR.IEN, so
/// there is nothing to rearm.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Masked;

impl IrqLine for Masked {
    fn rearm(&mut self) {}
}

/// An interrupt-driven controller implementing `embedded_hal_async::i2c::I2c`.
#[derive(Debug)]
pub struct AsyncI2c<'s, R, D, L = Masked> {
    i2c: I2c<R>,
    signal: &'s IrqSignal,
    delay: D,
    line: L,
    oneshot: bool,
}

impl<'s, R: Regs, D: DelayNs> AsyncI2c<'s, R, D> {
    /// Wraps a configured controller whose interrupt handler calls
    /// [`IrqSignal::on_interrupt`] on `signal`, with `delay` to bound each wait.
    ///
    /// The interrupt stays masked between transfers.
    pub fn new(mut i2c: I2c<R>, signal: &'s IrqSignal, delay: D) -> Self {
        // Masking always succeeds; nothing is pending until a command is issued.
        let _ = i2c.set_interrupt(false);
        signal.take();
        Self {
            i2c,
            signal,
            delay,
            line: Masked,
            oneshot: false,
        }
    }
}

impl<'s, R: Regs, D: DelayNs, L: IrqLine> AsyncI2c<'s, R, D, L> {
    /// Wraps a configured controller for the one-shot protocol (see the module
    /// documentation): its interrupt handler calls [`IrqSignal::on_interrupt_oneshot`] on
    /// `signal` and keeps the interrupt masked until `line` is rearmed; `delay` bounds each
    /// wait. CTR.IEN is set from here on. On an FU540-C000 (no usable interrupt) the task
    /// polls, as with [`AsyncI2c::new`].
    pub fn with_irq_line(mut i2c: I2c<R>, signal: &'s IrqSignal, delay: D, mut line: L) -> Self {
        // Refused only with the FU540 erratum, where the task polls instead.
        let _ = i2c.set_interrupt(true);
        signal.take();
        line.rearm();
        Self {
            i2c,
            signal,
            delay,
            line,
            oneshot: true,
        }
    }

    /// The blocking controller inside.
    pub fn inner(&mut self) -> &mut I2c<R> {
        &mut self.i2c
    }

    /// Unwraps the blocking controller.
    pub fn into_inner(self) -> I2c<R> {
        self.i2c
    }

    /// Runs one transaction, sleeping between commands until the interrupt handler wakes
    /// the task.
    pub async fn run(&mut self, address: Address, ops: &mut [Operation<'_>]) -> Result<(), Error> {
        let t = self.i2c.start(address, ops)?;
        self.drive(t).await
    }

    /// Runs one transaction of segments (see [`crate::Segment`]), sleeping between
    /// commands until the interrupt handler wakes the task.
    pub async fn transfer<B: Buffer>(&mut self, segments: &mut [Segment<B>]) -> Result<(), Error> {
        let t = self.i2c.start_segments(segments)?;
        self.drive(t).await
    }

    /// Frees a bus held by a target, as [`I2c::recover_bus`] does, sleeping until each
    /// recovery command's interrupt.
    pub async fn recover_bus(&mut self) -> Result<(), Error> {
        let t = self.i2c.start_recovery();
        self.drive(t).await
    }

    /// Drives `t` to its end: sleeps until the interrupt while a command is in flight,
    /// polls with yields while the driver waits for the bus to go idle.
    async fn drive<S: Segments>(&mut self, mut t: SegmentTransfer<S>) -> Result<(), Error> {
        let result = self.drive_inner(&mut t).await;
        if self.oneshot && self.signal.take().is_some() {
            // The handler ran after the last wait; the state machine has acknowledged IF.
            self.line.rearm();
        }
        result
    }

    async fn drive_inner<S: Segments>(&mut self, t: &mut SegmentTransfer<S>) -> Result<(), Error> {
        let erratum = self.i2c.config().fu540_c000_erratum();
        let wait_us = self.i2c.config().wait_budget_us();
        // The first command was just issued: wait before looking at SR.
        let mut sr = None;
        loop {
            if let Some(sr) = sr.take() {
                let step = self.i2c.advance_with(t, sr);
                if self.oneshot {
                    // The next command (or the final IACK) has acknowledged IF.
                    self.line.rearm();
                }
                if let Poll::Ready(result) = step {
                    return result;
                }
            }
            if erratum || !t.awaits_interrupt() {
                // Polling with yields: `advance` spends the poll budget, which bounds it.
                if let Poll::Ready(result) = self.i2c.advance(t) {
                    return result;
                }
                yield_now().await;
                continue;
            }
            let signal = self.signal;
            if self.oneshot {
                // A value stored before this command's IACK is stale, and it left the
                // interrupt masked: rearm (if the command has completed, IF is set and the
                // handler runs again).
                if signal.take().is_some() {
                    self.line.rearm();
                    // The value may instead be this command's own (the handler ran after
                    // the rearm above), with IF still set: an interrupt controller that
                    // does not present a line again that stayed high across its claim
                    // (QEMU's sifive_plic) would then never interrupt. SR tells.
                    let now = self.i2c.regs_mut().sr();
                    if now.contains(Sr::IF) && !now.contains(Sr::TIP) {
                        sr = Some(now);
                        continue;
                    }
                }
            } else {
                signal.take();
                // Unmask: if the command already completed, the line rises at once.
                self.i2c.regs_mut().set_ctr(Ctr::EN | Ctr::IEN);
            }
            let irq = poll_fn(|cx| {
                signal.waker.register(cx.waker());
                match signal.take() {
                    Some(sr) => Poll::Ready(sr),
                    None => Poll::Pending,
                }
            });
            let mut seen = None;
            let fired = first(
                async {
                    seen = Some(irq.await);
                },
                self.delay.delay_us(wait_us),
            )
            .await;
            if fired {
                sr = seen;
            } else {
                if !self.oneshot {
                    self.i2c.regs_mut().set_ctr(Ctr::EN);
                }
                self.i2c.abort(t, Error::Timeout);
            }
        }
    }
}

impl<R, D, L> ErrorType for AsyncI2c<'_, R, D, L> {
    type Error = Error;
}

impl<R: Regs, D: DelayNs, L: IrqLine> embedded_hal_async::i2c::I2c<SevenBitAddress>
    for AsyncI2c<'_, R, D, L>
{
    async fn transaction(
        &mut self,
        address: SevenBitAddress,
        operations: &mut [Operation<'_>],
    ) -> Result<(), Self::Error> {
        self.run(Address::SevenBit(address), operations).await
    }
}

impl<R: Regs, D: DelayNs, L: IrqLine> embedded_hal_async::i2c::I2c<TenBitAddress>
    for AsyncI2c<'_, R, D, L>
{
    async fn transaction(
        &mut self,
        address: TenBitAddress,
        operations: &mut [Operation<'_>],
    ) -> Result<(), Self::Error> {
        self.run(Address::TenBit(address), operations).await
    }
}
