// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The three ways the boot tests drive the driver: polling, an interrupt handler that
//! calls the state machine itself, and the async implementation woken by the interrupt.

use core::future::Future;
use core::pin::pin;
use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU8, Ordering};
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use embedded_hal::i2c::Operation;
use embedded_hal_async::delay::DelayNs;
use sifive_i2c::{Address, AsyncI2c, Config, Error, I2c, IrqLine, IrqSignal, Transfer};
use sifive_i2c_hal::regs::{ReadReg, WriteReg};
use sifive_i2c_hal::{Counting, Mmio, Regs};

use crate::board;

/// How a transaction is driven.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Polling,
    Interrupt,
    Async,
    /// Polling with a delay provider: each command's wire time is waited on the CLINT
    /// timer before SR is read.
    PollingDelay,
    /// The async driver with the one-shot protocol: the handler only reads SR, and the
    /// PLIC claim is completed by the task once the next command has acknowledged IF.
    AsyncOneshot,
}

impl Mode {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Polling => "polling",
            Self::Interrupt => "irq",
            Self::Async => "async",
            Self::PollingDelay => "polling_delay",
            Self::AsyncOneshot => "async_oneshot",
        }
    }
}

/// What the trap handler does with I2C0's interrupt.
static IRQ_MODE: AtomicU8 = AtomicU8::new(0);
const IRQ_NONE: u8 = 0;
const IRQ_ADVANCE: u8 = 1;
const IRQ_SIGNAL: u8 = 2;
const IRQ_ONESHOT: u8 = 3;

/// The transfer the interrupt handler advances (IRQ_ADVANCE), type-erased.
static ISR_CTX: AtomicPtr<()> = AtomicPtr::new(ptr::null_mut());
static ISR_DONE: AtomicBool = AtomicBool::new(false);
/// Interrupts taken.
pub(crate) static IRQS: AtomicU32 = AtomicU32::new(0);

/// The async mode's interrupt signal.
static SIGNAL: IrqSignal = IrqSignal::new();
/// Register accesses made by the async mode's interrupt handler.
static ISR_READS: AtomicU32 = AtomicU32::new(0);
static ISR_WRITES: AtomicU32 = AtomicU32::new(0);

/// The interrupt handler's own view of the registers, counting its accesses.
struct HandlerRegs(Mmio);

impl Regs for HandlerRegs {
    fn read(&mut self, reg: ReadReg) -> u8 {
        ISR_READS.fetch_add(1, Ordering::Relaxed);
        self.0.read(reg)
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        ISR_WRITES.fetch_add(1, Ordering::Relaxed);
        self.0.write(reg, value);
    }
}

type Driver = I2c<Counting<Mmio>>;

/// State shared with the interrupt handler while a transfer is driven from it.
struct IsrCtx<'a, 'b, 'c> {
    i2c: &'a mut Driver,
    transfer: Transfer<'b, 'c>,
    result: Option<Result<(), Error>>,
}

/// Called from the trap handler for a claimed I2C0 interrupt; returns whether the handler
/// completes the PLIC claim (`false`: the one-shot task completes it when it rearms).
pub(crate) fn i2c0_interrupt() -> bool {
    IRQS.fetch_add(1, Ordering::Relaxed);
    match IRQ_MODE.load(Ordering::Acquire) {
        IRQ_ADVANCE => {
            let ctx = ISR_CTX.load(Ordering::Acquire).cast::<IsrCtx<'_, '_, '_>>();
            if ctx.is_null() {
                return true;
            }
            // SAFETY: `run_isr` publishes a pointer to its live `IsrCtx` and touches it
            // only with interrupts off until it has unpublished it; the handler runs with
            // interrupts off, so the two never use it at the same time.
            let ctx = unsafe { &mut *ctx };
            if let Poll::Ready(r) = ctx.i2c.advance(&mut ctx.transfer) {
                ctx.result = Some(r);
                ISR_DONE.store(true, Ordering::Release);
            }
        }
        IRQ_SIGNAL => {
            SIGNAL.on_interrupt(&mut HandlerRegs(board::i2c0()));
        }
        IRQ_ONESHOT => {
            // Held until `PlicLine::rearm` when it was ours.
            return !SIGNAL.on_interrupt_oneshot(&mut HandlerRegs(board::i2c0()));
        }
        _ => {}
    }
    true
}

/// The one-shot protocol's line: the I2C0 source stays claimed in the PLIC until the task
/// completes it.
pub(crate) struct PlicLine;

impl IrqLine for PlicLine {
    fn rearm(&mut self) {
        board::plic_complete(board::I2C0_IRQ);
    }
}

/// Why a bus could not be set up.
#[derive(Debug)]
#[expect(dead_code, reason = "the payload is read through Debug in diagnostics")]
pub(crate) enum SetupError {
    /// The configuration was refused.
    Config(sifive_i2c::ConfigError),
    /// The controller refused interrupts.
    Interrupts(Error),
}

enum Driven {
    Blocking(Driver),
    Timed(I2c<Counting<Mmio>, MtimerDelay>),
    Async(AsyncI2c<'static, Counting<Mmio>, MtimeDelay>),
    Oneshot(AsyncI2c<'static, Counting<Mmio>, MtimeDelay, PlicLine>),
}

/// A driver instance in one mode, with its access counters.
pub(crate) struct Bus {
    driven: Driven,
}

/// Wall-clock bound of one transaction in interrupt mode before the test aborts it.
const ISR_TIMEOUT_US: u64 = 50_000;

impl Bus {
    pub(crate) fn new(mode: Mode, config: Config) -> Result<Self, SetupError> {
        board::interrupts_off();
        if mode == Mode::PollingDelay {
            IRQ_MODE.store(IRQ_NONE, Ordering::Release);
            board::plic_route(board::I2C0_IRQ, false);
            let i2c = I2c::with_delay(Counting::new(board::i2c0()), config, MtimerDelay)
                .map_err(SetupError::Config)?;
            return Ok(Self {
                driven: Driven::Timed(i2c),
            });
        }
        let mut i2c = I2c::new(Counting::new(board::i2c0()), config).map_err(SetupError::Config)?;
        let driven = match mode {
            Mode::Polling => {
                IRQ_MODE.store(IRQ_NONE, Ordering::Release);
                Driven::Blocking(i2c)
            }
            Mode::Interrupt => {
                i2c.set_interrupt(true).map_err(SetupError::Interrupts)?;
                IRQ_MODE.store(IRQ_ADVANCE, Ordering::Release);
                Driven::Blocking(i2c)
            }
            // PollingDelay was set up above.
            Mode::Async | Mode::PollingDelay => {
                IRQ_MODE.store(IRQ_SIGNAL, Ordering::Release);
                Driven::Async(AsyncI2c::new(i2c, &SIGNAL, MtimeDelay))
            }
            Mode::AsyncOneshot => {
                IRQ_MODE.store(IRQ_ONESHOT, Ordering::Release);
                Driven::Oneshot(AsyncI2c::with_irq_line(i2c, &SIGNAL, MtimeDelay, PlicLine))
            }
        };
        board::plic_route(board::I2C0_IRQ, mode != Mode::Polling);
        if mode != Mode::Polling {
            board::interrupts_on();
        }
        Ok(Self { driven })
    }

    /// The blocking driver without a delay provider (polling and interrupt-handler modes, and
    /// the driver inside the async modes); `None` in polling-with-delay mode.
    pub(crate) fn driver(&mut self) -> Option<&mut Driver> {
        match &mut self.driven {
            Driven::Blocking(i2c) => Some(i2c),
            Driven::Timed(_) => None,
            Driven::Async(a) => Some(a.inner()),
            Driven::Oneshot(a) => Some(a.inner()),
        }
    }

    /// The driver's (counting) register access.
    pub(crate) fn regs_mut(&mut self) -> &mut Counting<Mmio> {
        match &mut self.driven {
            Driven::Blocking(i2c) => i2c.regs_mut(),
            Driven::Timed(i2c) => i2c.regs_mut(),
            Driven::Async(a) => a.inner().regs_mut(),
            Driven::Oneshot(a) => a.inner().regs_mut(),
        }
    }

    /// The prescaler and bus speed in use.
    pub(crate) fn timing(&mut self) -> sifive_i2c::Timing {
        match &mut self.driven {
            Driven::Blocking(i2c) => i2c.timing(),
            Driven::Timed(i2c) => i2c.timing(),
            Driven::Async(a) => a.inner().timing(),
            Driven::Oneshot(a) => a.inner().timing(),
        }
    }

    /// Register reads and writes since the last reset, interrupt handler included.
    pub(crate) fn counts(&mut self) -> (u32, u32) {
        let regs = &*self.regs_mut();
        (
            regs.reads() + ISR_READS.load(Ordering::Relaxed),
            regs.writes() + ISR_WRITES.load(Ordering::Relaxed),
        )
    }

    pub(crate) fn reset_counts(&mut self) {
        self.regs_mut().reset();
        ISR_READS.store(0, Ordering::Relaxed);
        ISR_WRITES.store(0, Ordering::Relaxed);
    }

    pub(crate) fn transaction(
        &mut self,
        address: u8,
        ops: &mut [Operation<'_>],
    ) -> Result<(), Error> {
        let address = Address::SevenBit(address);
        let interrupt = IRQ_MODE.load(Ordering::Acquire) == IRQ_ADVANCE;
        match &mut self.driven {
            Driven::Blocking(i2c) if interrupt => run_isr(i2c, address, ops),
            Driven::Blocking(i2c) => i2c.transaction(address, ops),
            Driven::Timed(i2c) => i2c.transaction(address, ops),
            Driven::Async(a) => block_on(a.run(address, ops)),
            Driven::Oneshot(a) => block_on(a.run(address, ops)),
        }
    }

    /// Frees a bus held by a target (`recover_bus`), driven in this bus's mode.
    pub(crate) fn recover_bus(&mut self) -> Result<(), Error> {
        let interrupt = IRQ_MODE.load(Ordering::Acquire) == IRQ_ADVANCE;
        match &mut self.driven {
            Driven::Blocking(i2c) if interrupt => {
                board::interrupts_off();
                let transfer = i2c.start_recovery();
                drive_isr(i2c, transfer)
            }
            Driven::Blocking(i2c) => i2c.recover_bus(),
            Driven::Timed(i2c) => i2c.recover_bus(),
            Driven::Async(a) => block_on(a.recover_bus()),
            Driven::Oneshot(a) => block_on(a.recover_bus()),
        }
    }
}

/// Runs a transaction with the interrupt handler calling `advance`.
fn run_isr(i2c: &mut Driver, address: Address, ops: &mut [Operation<'_>]) -> Result<(), Error> {
    board::interrupts_off();
    let transfer = match i2c.start(address, ops) {
        Ok(t) => t,
        Err(e) => {
            board::interrupts_on();
            return Err(e);
        }
    };
    drive_isr(i2c, transfer)
}

/// Drives a started transfer with the interrupt handler calling `advance`; called with
/// interrupts off.
fn drive_isr(i2c: &mut Driver, transfer: Transfer<'_, '_>) -> Result<(), Error> {
    let mut ctx = IsrCtx {
        i2c,
        transfer,
        result: None,
    };
    ISR_DONE.store(false, Ordering::Release);
    ISR_CTX.store((&raw mut ctx).cast(), Ordering::Release);
    board::interrupts_on();
    let deadline = board::now_us() + ISR_TIMEOUT_US;
    while !ISR_DONE.load(Ordering::Acquire) && board::now_us() < deadline {
        // While the driver waits for the bus to go idle no interrupt comes: the waiting
        // thread drives the transfer, with the handler kept out.
        board::interrupts_off();
        if !ISR_DONE.load(Ordering::Acquire) && !ctx.transfer.awaits_interrupt() {
            if let Poll::Ready(r) = ctx.i2c.advance(&mut ctx.transfer) {
                ctx.result = Some(r);
                ISR_DONE.store(true, Ordering::Release);
            }
        }
        board::interrupts_on();
    }
    board::interrupts_off();
    ISR_CTX.store(ptr::null_mut(), Ordering::Release);
    let result = match ctx.result {
        Some(r) => r,
        None => {
            // No interrupt came in time: abort, then poll the STOP to its end.
            ctx.i2c.abort(&mut ctx.transfer, Error::Timeout);
            loop {
                if let Poll::Ready(r) = ctx.i2c.advance(&mut ctx.transfer) {
                    break r;
                }
            }
        }
    };
    board::interrupts_on();
    result
}

/// A blocking delay on the CLINT timer (1 MHz: waits round up to a microsecond).
pub(crate) struct MtimerDelay;

impl embedded_hal::delay::DelayNs for MtimerDelay {
    fn delay_ns(&mut self, ns: u32) {
        board::delay_us(ns.div_ceil(1000));
    }
}

/// An `embedded_hal_async` delay on the CLINT timer: yields until the deadline.
struct MtimeDelay;

impl DelayNs for MtimeDelay {
    async fn delay_ns(&mut self, ns: u32) {
        let end = board::now_us() + u64::from(ns).div_ceil(1000);
        core::future::poll_fn(|cx| {
            if board::now_us() >= end {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
    }
}

static WOKEN: AtomicBool = AtomicBool::new(false);

fn raw_waker() -> RawWaker {
    fn clone(_: *const ()) -> RawWaker {
        raw_waker()
    }
    fn wake(_: *const ()) {
        WOKEN.store(true, Ordering::Release);
    }
    fn drop(_: *const ()) {}
    static VTABLE: RawWakerVTable = RawWakerVTable::new(clone, wake, wake, drop);
    RawWaker::new(ptr::null(), &VTABLE)
}

/// A minimal executor: polls `fut` only when it has been woken.
fn block_on<F: Future>(fut: F) -> F::Output {
    // SAFETY: The vtable functions ignore the data pointer and are thread-safe.
    let waker = unsafe { Waker::from_raw(raw_waker()) };
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    WOKEN.store(true, Ordering::Release);
    loop {
        if WOKEN.swap(false, Ordering::AcqRel) {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return out;
            }
        } else {
            core::hint::spin_loop();
        }
    }
}
