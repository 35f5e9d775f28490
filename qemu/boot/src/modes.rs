// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The three ways the boot tests drive the driver: polling, an interrupt handler that
//! calls the state machine itself, and the async implementation woken by the interrupt.

use core::future::Future;
use core::pin::pin;
use core::ptr;
use core::sync::atomic::{AtomicBool, AtomicU32, AtomicU8, Ordering};
use core::task::{Context, Poll, RawWaker, RawWakerVTable, Waker};

use embedded_hal::i2c::Operation;
use embedded_hal_async::delay::DelayNs;
use sifive_i2c::{
    Address, AsyncI2c, Buffer, Config, Error, Header, I2c, IrqLine, IrqSignal, IrqSlot, Segment,
    SegmentTransfer, Segments,
};
use sifive_i2c_hal::regs::{ReadReg, Sr, WriteReg};
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

/// The driver and the transfer the interrupt handler advances (IRQ_ADVANCE), lent to
/// the handler for the length of one transaction; the task and the handler reach them
/// only inside the slot's critical section.
static ISR: IrqSlot<IsrState> = IrqSlot::new();
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

/// What the interrupt handler works on in interrupt-handler mode.
struct IsrState {
    i2c: Driver,
    transfer: SegmentTransfer<Msgs>,
    result: Option<Result<(), Error>>,
}

/// The most segments and bytes a transaction of the interrupt-handler mode carries: the
/// handler works on its own copy of the messages, so it never borrows the task's.
const MSGS: usize = 8;
const MSG_BYTES: usize = 64;

/// One message's bytes, owned.
struct Owned {
    bytes: [u8; MSG_BYTES],
    len: usize,
}

impl Buffer for Owned {
    fn len(&self) -> usize {
        self.len
    }

    fn get(&self, index: usize) -> u8 {
        self.bytes.get(index).copied().unwrap_or(0)
    }

    fn set(&mut self, index: usize, byte: u8) {
        if let Some(slot) = self.bytes.get_mut(index) {
            *slot = byte;
        }
    }
}

/// A transaction's messages, owned, as the embedded-hal operations map onto segments: a
/// START where the direction changes.
struct Msgs {
    segs: [Option<Segment<Owned>>; MSGS],
    count: usize,
}

impl Msgs {
    const fn empty() -> Self {
        Self {
            segs: [const { None }; MSGS],
            count: 0,
        }
    }

    /// A copy of `ops`, or `None` if they do not fit.
    fn copy(address: Address, ops: &[Operation<'_>]) -> Option<Self> {
        if ops.len() > MSGS {
            return None;
        }
        let mut msgs = Self::empty();
        let mut previous_read = None;
        for (slot, op) in msgs.segs.iter_mut().zip(ops) {
            let (read, len) = match op {
                Operation::Read(buf) => (true, buf.len()),
                Operation::Write(bytes) => (false, bytes.len()),
            };
            if len > MSG_BYTES {
                return None;
            }
            let mut owned = Owned {
                bytes: [0; MSG_BYTES],
                len,
            };
            if let Operation::Write(bytes) = op {
                owned.bytes[..len].copy_from_slice(bytes);
            }
            let mut seg = Segment::new(address, read, owned);
            if previous_read == Some(read) {
                seg = seg.no_start();
            }
            previous_read = Some(read);
            *slot = Some(seg);
        }
        msgs.count = ops.len();
        Some(msgs)
    }

    /// Copies the bytes read back into `ops`.
    fn read_back(&self, ops: &mut [Operation<'_>]) {
        for (seg, op) in self.segs.iter().zip(ops) {
            if let (Some(seg), Operation::Read(buf)) = (seg, op) {
                let len = buf.len().min(seg.buffer().len);
                buf[..len].copy_from_slice(&seg.buffer().bytes[..len]);
            }
        }
    }

    fn seg(&self, seg: usize) -> Option<&Segment<Owned>> {
        self.segs.get(seg).and_then(Option::as_ref)
    }

    fn seg_mut(&mut self, seg: usize) -> Option<&mut Segment<Owned>> {
        self.segs.get_mut(seg).and_then(Option::as_mut)
    }
}

impl Segments for Msgs {
    fn count(&self) -> usize {
        self.count
    }

    fn header(&self, seg: usize) -> Header {
        match self.seg(seg) {
            Some(s) => s.header(),
            // Never asked: `seg` is below `count`, and those are all filled.
            None => Segment::new(
                Address::SevenBit(0),
                false,
                Owned {
                    bytes: [0; MSG_BYTES],
                    len: 0,
                },
            )
            .header(),
        }
    }

    fn byte(&self, seg: usize, index: usize) -> u8 {
        self.seg(seg).map_or(0, |s| s.buffer().get(index))
    }

    fn store(&mut self, seg: usize, index: usize, byte: u8) {
        if let Some(s) = self.seg_mut(seg) {
            core::slice::from_mut(s).store(0, index, byte);
        }
    }

    fn block_len(&mut self, seg: usize, count: u8) {
        if let Some(s) = self.seg_mut(seg) {
            core::slice::from_mut(s).block_len(0, count);
        }
    }
}

/// Called from the trap handler for a claimed I2C0 interrupt; returns whether the handler
/// completes the PLIC claim (`false`: the one-shot task completes it when it rearms).
pub(crate) fn i2c0_interrupt() -> bool {
    IRQS.fetch_add(1, Ordering::Relaxed);
    match IRQ_MODE.load(Ordering::Acquire) {
        IRQ_ADVANCE => {
            ISR.with(|s| {
                if s.result.is_none() {
                    if let Poll::Ready(r) = s.i2c.advance(&mut s.transfer) {
                        s.result = Some(r);
                    }
                }
            });
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
pub(crate) enum SetupError {
    /// The configuration was refused.
    Config(sifive_i2c::ConfigError),
    /// The controller refused interrupts.
    Interrupts(Error),
}

enum Driven {
    Blocking(Driver),
    /// The interrupt-handler mode: the driver is lent to the handler (`ISR`) while a
    /// transaction runs, and is here between transactions.
    Isr(Option<Driver>),
    Timed(I2c<Counting<Mmio>, MtimerDelay>),
    Async(AsyncI2c<'static, Counting<Mmio>, MtimeDelay>),
    Oneshot(AsyncI2c<'static, Counting<Mmio>, MtimeDelay, PlicLine>),
}

/// A driver instance in one mode, with its access counters.
pub(crate) struct Bus {
    driven: Driven,
    timing: sifive_i2c::Timing,
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
                timing: i2c.timing(),
                driven: Driven::Timed(i2c),
            });
        }
        let mut i2c = I2c::new(Counting::new(board::i2c0()), config).map_err(SetupError::Config)?;
        let timing = i2c.timing();
        let driven = match mode {
            Mode::Polling => {
                IRQ_MODE.store(IRQ_NONE, Ordering::Release);
                Driven::Blocking(i2c)
            }
            Mode::Interrupt => {
                i2c.set_interrupt(true).map_err(SetupError::Interrupts)?;
                IRQ_MODE.store(IRQ_ADVANCE, Ordering::Release);
                Driven::Isr(Some(i2c))
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
        Ok(Self { driven, timing })
    }

    /// The blocking driver without a delay provider (polling and interrupt-handler modes, and
    /// the driver inside the async modes); `None` in polling-with-delay mode.
    pub(crate) fn driver(&mut self) -> Option<&mut Driver> {
        match &mut self.driven {
            Driven::Blocking(i2c) => Some(i2c),
            Driven::Isr(i2c) => i2c.as_mut(),
            Driven::Timed(_) => None,
            Driven::Async(a) => Some(a.inner()),
            Driven::Oneshot(a) => Some(a.inner()),
        }
    }

    /// The driver's (counting) register access; `None` only while a transaction runs.
    fn regs_mut(&mut self) -> Option<&mut Counting<Mmio>> {
        match &mut self.driven {
            Driven::Blocking(i2c) => Some(i2c.regs_mut()),
            Driven::Isr(i2c) => i2c.as_mut().map(I2c::regs_mut),
            Driven::Timed(i2c) => Some(i2c.regs_mut()),
            Driven::Async(a) => Some(a.inner().regs_mut()),
            Driven::Oneshot(a) => Some(a.inner().regs_mut()),
        }
    }

    /// SR, read past the driver and its counters.
    pub(crate) fn raw_sr(&mut self) -> Sr {
        board::i2c0().sr()
    }

    /// The prescaler and bus speed in use.
    pub(crate) fn timing(&mut self) -> sifive_i2c::Timing {
        self.timing
    }

    /// Register reads and writes since the last reset, interrupt handler included.
    pub(crate) fn counts(&mut self) -> (u32, u32) {
        let (reads, writes) = self.regs_mut().map_or((0, 0), |r| (r.reads(), r.writes()));
        (
            reads + ISR_READS.load(Ordering::Relaxed),
            writes + ISR_WRITES.load(Ordering::Relaxed),
        )
    }

    pub(crate) fn reset_counts(&mut self) {
        if let Some(regs) = self.regs_mut() {
            regs.reset();
        }
        ISR_READS.store(0, Ordering::Relaxed);
        ISR_WRITES.store(0, Ordering::Relaxed);
    }

    pub(crate) fn transaction(
        &mut self,
        address: u8,
        ops: &mut [Operation<'_>],
    ) -> Result<(), Error> {
        let address = Address::SevenBit(address);
        match &mut self.driven {
            Driven::Isr(i2c) => run_isr(i2c, address, ops),
            Driven::Blocking(i2c) => i2c.transaction(address, ops),
            Driven::Timed(i2c) => i2c.transaction(address, ops),
            Driven::Async(a) => block_on(a.run(address, ops)),
            Driven::Oneshot(a) => block_on(a.run(address, ops)),
        }
    }

    /// Frees a bus held by a target (`recover_bus`), driven in this bus's mode.
    pub(crate) fn recover_bus(&mut self) -> Result<(), Error> {
        match &mut self.driven {
            Driven::Isr(i2c) => drive_isr(i2c, Msgs::empty(), true).1,
            Driven::Blocking(i2c) => i2c.recover_bus(),
            Driven::Timed(i2c) => i2c.recover_bus(),
            Driven::Async(a) => block_on(a.recover_bus()),
            Driven::Oneshot(a) => block_on(a.recover_bus()),
        }
    }
}

/// Runs a transaction with the interrupt handler calling `advance`, on a copy of `ops`
/// the handler owns while it runs; the bytes read are copied back at the end.
fn run_isr(
    i2c: &mut Option<Driver>,
    address: Address,
    ops: &mut [Operation<'_>],
) -> Result<(), Error> {
    address.validate()?;
    // The suites' transactions fit; a larger one is refused before any register access,
    // as the driver refuses what it cannot carry.
    let msgs = Msgs::copy(address, ops).ok_or(Error::InvalidOperation)?;
    let (msgs, result) = drive_isr(i2c, msgs, false);
    if let Some(msgs) = msgs {
        msgs.read_back(ops);
    }
    result
}

/// Starts `msgs` (or bus recovery, `recovery`) on the driver, lends both to the interrupt
/// handler and waits for the result; gives the driver back in `i2c`. Returns the messages
/// with the result, or no messages and the error of a transfer refused at the start.
fn drive_isr(
    i2c: &mut Option<Driver>,
    msgs: Msgs,
    recovery: bool,
) -> (Option<Msgs>, Result<(), Error>) {
    let Some(mut driver) = i2c.take() else {
        return (None, Err(Error::InvalidOperation));
    };
    let mut transfer = SegmentTransfer::idle(msgs);
    let refused = critical_section::with(|_| {
        let started = if recovery {
            driver.restart_recovery(&mut transfer)
        } else {
            driver.restart(&mut transfer)
        };
        match started {
            Ok(()) => {
                // Lent inside the critical section: the handler sees the transfer no
                // earlier than the first command's interrupt can be taken.
                ISR.put(IsrState {
                    i2c: driver,
                    transfer,
                    result: None,
                });
                None
            }
            Err(e) => Some((driver, e)),
        }
    });
    if let Some((driver, e)) = refused {
        *i2c = Some(driver);
        return (None, Err(e));
    }
    wait_isr(i2c)
}

/// Waits, within `ISR_TIMEOUT_US`, for the handler to finish the transfer lent to it,
/// driving it from here while it waits for the bus to go idle (no interrupt comes then);
/// on timeout aborts it and polls the STOP to its end. Takes the driver back.
fn wait_isr(i2c: &mut Option<Driver>) -> (Option<Msgs>, Result<(), Error>) {
    let deadline = board::now_us() + ISR_TIMEOUT_US;
    loop {
        let done = ISR.with(|s| {
            if s.result.is_none() && !s.transfer.awaits_interrupt() {
                if let Poll::Ready(r) = s.i2c.advance(&mut s.transfer) {
                    s.result = Some(r);
                }
            }
            s.result.is_some()
        });
        if done != Some(false) || board::now_us() >= deadline {
            break;
        }
    }
    let Some(mut state) = ISR.take() else {
        return (None, Err(Error::InvalidOperation));
    };
    let result = match state.result {
        Some(r) => r,
        None => {
            // No interrupt came in time: abort, then poll the STOP to its end.
            state.i2c.abort(&mut state.transfer, Error::Timeout);
            loop {
                if let Poll::Ready(r) = state.i2c.advance(&mut state.transfer) {
                    break r;
                }
            }
        }
    };
    *i2c = Some(state.i2c);
    (Some(state.transfer.into_segments()), result)
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
