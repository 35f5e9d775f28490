// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Fuzzing harness of the sifive-i2c driver.
//!
//! One input is one run: its first bytes choose the configuration (FU540 erratum, poll
//! budget), the mode (polling, polling with a delay, interrupt handler, async with the
//! masking or the one-shot protocol, explicit bus recovery), the address (7- or 10-bit,
//! valid or not) and the operation list; every later SR and RXR value the driver reads
//! comes from the rest of the input, and so do the async mode's interrupts and timer
//! expiries. When the input runs out, SR reads as a finished, idle controller. In the
//! polling and interrupt-handler modes, operations whose byte sets any of the segment flag
//! bits make the run a transaction of segments (`I2c::transfer`, `I2c::start_segments`)
//! instead: without START, ignoring NACKs, a STOP after it, a reversed R/W bit, a block
//! read, a raw 7-bit address.
//!
//! Checked on every run, by panicking (which the fuzzer reports as a crash):
//! - the call returns (no panic of the driver, no endless loop) within a bound of register
//!   accesses that follows from the poll budget and the operations;
//! - once a START was issued, the last command written carries STOP;
//! - bad input (an invalid address, no operations, a segment list that is not a
//!   transaction) touches no register.

use core::future::Future;
use core::pin::pin;
use core::task::{Context, Poll, Waker};

use embedded_hal::i2c::Operation;
use sifive_i2c::{
    Address, AsyncI2c, BusSpeed, Bytes, Config, Error, Header, I2c, IrqLine, IrqSignal, Segment,
    BLOCK_MAX, RECOVERY_ROUNDS,
};
use sifive_i2c_hal::regs::{Cr, ReadReg, Sr, WriteReg};
use sifive_i2c_hal::Regs;

/// The fuzzer's input as a stream of bytes; zeros once it runs out.
struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos += 1;
        b
    }

    fn exhausted(&self) -> bool {
        self.pos >= self.data.len()
    }
}

/// A register file whose SR and RXR come from the input; it records every access.
struct FuzzRegs<'a, 'b> {
    input: &'b core::cell::RefCell<Input<'a>>,
    log: &'b core::cell::RefCell<Log>,
    /// The async modes' interrupt handler: its accesses are counted apart, as the
    /// platform decides how often it runs.
    handler: bool,
}

#[derive(Default)]
struct Log {
    reads: u64,
    writes: u64,
    handler_accesses: u64,
    /// Command writes (CR with STA, STO, RD or WR), in order.
    commands: Vec<Cr>,
}

impl Regs for FuzzRegs<'_, '_> {
    fn read(&mut self, reg: ReadReg) -> u8 {
        if self.handler {
            self.log.borrow_mut().handler_accesses += 1;
        } else {
            self.log.borrow_mut().reads += 1;
        }
        let mut input = self.input.borrow_mut();
        match reg {
            ReadReg::Sr if input.exhausted() => Sr::IF.bits(),
            ReadReg::Sr | ReadReg::Rxr => input.byte(),
            _ => 0,
        }
    }

    fn write(&mut self, reg: WriteReg, value: u8) {
        let mut log = self.log.borrow_mut();
        if self.handler {
            log.handler_accesses += 1;
        } else {
            log.writes += 1;
        }
        let cr = Cr::from_reg(value);
        if reg == WriteReg::Cr && cr.intersects(Cr::STA | Cr::STO | Cr::RD | Cr::WR) {
            log.commands.push(cr);
        }
    }
}

/// A delay that never waits: time is the input's to decide.
struct NoWait;

impl embedded_hal::delay::DelayNs for NoWait {
    fn delay_ns(&mut self, _ns: u32) {}
}

/// An async delay that expires when the input says so (or once the input has run out).
struct FuzzTimer<'a, 'b> {
    input: &'b core::cell::RefCell<Input<'a>>,
}

impl embedded_hal_async::delay::DelayNs for FuzzTimer<'_, '_> {
    async fn delay_ns(&mut self, _ns: u32) {
        core::future::poll_fn(|cx| {
            let mut input = self.input.borrow_mut();
            if input.exhausted() || input.byte() & 0x0f == 0 {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
    }
}

struct Line;

impl IrqLine for Line {
    fn rearm(&mut self) {}
}

/// Operations with their buffers, owned, and the segment flags of their byte.
enum Op {
    Read(Vec<u8>, u8),
    Write(Vec<u8>, u8),
}

/// Segment flags in an operation's byte (bits 0x80 and 0x03 are its kind and length).
const NO_START: u8 = 0x04;
const IGNORE_NACK: u8 = 0x08;
const REVERSE_RW: u8 = 0x10;
const BLOCK: u8 = 0x20;
const RAW_ADDRESS: u8 = 0x40;
const SEGMENT_FLAGS: u8 = 0x7c;

/// The segment of an operation.
fn segment<'a>(op: &'a mut Op, address: Address) -> Segment<Bytes<'a>> {
    let flags = match op {
        Op::Read(_, f) | Op::Write(_, f) => *f,
    };
    let address = if flags & RAW_ADDRESS != 0 {
        Address::SevenBitRaw(match address {
            Address::SevenBit(a) | Address::SevenBitRaw(a) => a,
            Address::TenBit(a) => a.to_le_bytes()[0],
        })
    } else {
        address
    };
    let mut seg = match op {
        Op::Read(b, _) => Segment::read(address, b),
        Op::Write(b, _) => Segment::write(address, b),
    };
    // No START and ignore-NACK together stand for a STOP after the segment instead.
    if flags & (NO_START | IGNORE_NACK) == NO_START | IGNORE_NACK {
        seg = seg.stop_after();
    } else if flags & NO_START != 0 {
        seg = seg.no_start();
    }
    if flags & IGNORE_NACK != 0 {
        seg = seg.ignore_nack();
    }
    if flags & REVERSE_RW != 0 {
        seg = seg.reverse_rw();
    }
    if flags & BLOCK != 0 {
        seg = seg.block(flags & 1);
    }
    seg
}

/// Runs one input. Panics when a property does not hold.
pub fn run(data: &[u8]) {
    let input = core::cell::RefCell::new(Input { data, pos: 0 });
    let log = core::cell::RefCell::new(Log::default());
    let (mode, erratum, budget, address, mut ops) = {
        let mut i = input.borrow_mut();
        let flags = i.byte();
        let mode = flags % 7;
        let erratum = flags & 0x80 != 0;
        let budget = u32::from(i.byte() % 16) + 1;
        let a = u16::from_le_bytes([i.byte(), i.byte()]);
        let address = if a & 0x8000 != 0 {
            Address::TenBit(a & 0x7ff)
        } else {
            Address::SevenBit((a & 0xff) as u8)
        };
        let n = usize::from(i.byte() % 5);
        let ops: Vec<Op> = (0..n)
            .map(|_| {
                let b = i.byte();
                let len = usize::from(b & 0x3);
                let flags = b & SEGMENT_FLAGS | (b & 1);
                if b & 0x80 != 0 {
                    // A block read gets room for the largest block, or one byte short.
                    let room = if b & BLOCK != 0 {
                        Header::block_room(b & 1) - usize::from(b & 2 != 0)
                    } else {
                        len
                    };
                    Op::Read(vec![0; room], flags)
                } else {
                    Op::Write((0..len).map(|_| i.byte()).collect(), flags)
                }
            })
            .collect();
        (mode, erratum, budget, address, ops)
    };
    let config = Config::new(500_000_000, BusSpeed::Fast)
        .with_poll_budget(budget)
        .with_wait_budget_us(budget * 10)
        .with_fu540_c000_erratum(erratum);
    let regs = || FuzzRegs {
        input: &input,
        log: &log,
        handler: false,
    };
    let handler_regs = || FuzzRegs {
        input: &input,
        log: &log,
        handler: true,
    };
    let segment_run = matches!(mode, 0 | 2)
        && ops.iter().any(|o| match o {
            Op::Read(_, f) | Op::Write(_, f) => f & SEGMENT_FLAGS != 0,
        });
    if segment_run {
        segment_run_checks(&input, &log, mode, erratum, budget, address, &mut ops);
        return;
    }
    let mut hal_ops: Vec<Operation<'_>> = ops
        .iter_mut()
        .map(|o| match o {
            Op::Read(b, _) => Operation::Read(b),
            Op::Write(b, _) => Operation::Write(b),
        })
        .collect();
    let bytes: usize = hal_ops
        .iter()
        .map(|o| match o {
            Operation::Read(b) => b.len(),
            Operation::Write(b) => b.len(),
        })
        .sum();
    let bad_input = hal_ops.is_empty() || address.validate().is_err();
    let mut i2c = I2c::new(regs(), config).expect("a valid configuration");
    *log.borrow_mut() = Log::default();

    let result = match mode {
        0 => i2c.transaction(address, &mut hal_ops),
        1 => {
            let mut i2c = I2c::with_delay(regs(), config, NoWait).expect("config");
            *log.borrow_mut() = Log::default();
            i2c.transaction(address, &mut hal_ops)
        }
        2 => {
            let _ = i2c.set_interrupt(true);
            *log.borrow_mut() = Log::default();
            handler(&mut i2c, address, &mut hal_ops)
        }
        3 | 4 => {
            let signal = IrqSignal::new();
            let timer = FuzzTimer { input: &input };
            let irq = Interrupts {
                signal: &signal,
                input: &input,
                regs: handler_regs,
                oneshot: mode == 4,
            };
            if irq.oneshot {
                let a = AsyncI2c::with_irq_line(i2c, &signal, timer, Line);
                *log.borrow_mut() = Log::default();
                run_async(a, irq, address, &mut hal_ops)
            } else {
                let a = AsyncI2c::new(i2c, &signal, timer);
                *log.borrow_mut() = Log::default();
                run_async(a, irq, address, &mut hal_ops)
            }
        }
        5 => i2c.recover_bus(),
        _ => {
            // Explicit recovery, then a transfer.
            let _ = i2c.recover_bus();
            i2c.transaction(address, &mut hal_ops)
        }
    };

    check(
        &log.borrow(),
        result,
        bad_input,
        mode,
        budget,
        bytes,
        hal_ops.len(),
    );
}

/// A transaction of segments, polled (mode 0) or from an interrupt handler (mode 2).
fn segment_run_checks(
    input: &core::cell::RefCell<Input<'_>>,
    log: &core::cell::RefCell<Log>,
    mode: u8,
    erratum: bool,
    budget: u32,
    address: Address,
    ops: &mut [Op],
) {
    let config = Config::new(500_000_000, BusSpeed::Fast)
        .timeout_polls(budget)
        .fu540_erratum(erratum);
    let regs = FuzzRegs {
        input,
        log,
        handler: false,
    };
    let mut segs: Vec<Segment<Bytes<'_>>> = ops.iter_mut().map(|o| segment(o, address)).collect();
    // Block reads move at most their largest block on the bus.
    let bytes = segs
        .iter()
        .map(|s| {
            let h = s.header();
            match h.block {
                Some(trailer) => 1 + usize::from(BLOCK_MAX) + usize::from(trailer),
                None => h.len,
            }
        })
        .sum();
    let mut i2c = I2c::new(regs, config).expect("a valid configuration");
    if mode == 2 {
        let _ = i2c.set_interrupt(true);
    }
    *log.borrow_mut() = Log::default();
    let result = if mode == 0 {
        i2c.transfer(&mut segs)
    } else {
        match i2c.start_segments(&mut segs[..]) {
            Ok(mut t) => loop {
                let step = if t.awaits_interrupt() {
                    let sr = i2c.regs_mut().sr();
                    i2c.advance_irq(&mut t, sr)
                } else {
                    i2c.advance(&mut t)
                };
                if let Poll::Ready(r) = step {
                    break r;
                }
            },
            Err(e) => Err(e),
        }
    };
    let refused = matches!(
        result,
        Err(Error::InvalidAddress | Error::InvalidOperation | Error::Unsupported)
    );
    // A block length is only ever reported within range.
    for s in &segs {
        if let Some(len) = s.block_len() {
            assert!((1..=BLOCK_MAX).contains(&len), "block length {len}");
        }
    }
    check(
        &log.borrow(),
        result,
        refused,
        mode,
        budget,
        bytes,
        segs.len(),
    );
}

/// The checks every run ends with.
fn check(
    log: &Log,
    result: Result<(), Error>,
    bad_input: bool,
    mode: u8,
    budget: u32,
    bytes: usize,
    segments: usize,
) {
    if bad_input && mode != 5 {
        if mode != 6 {
            assert!(
                matches!(
                    result,
                    Err(Error::InvalidAddress | Error::InvalidOperation | Error::Unsupported)
                ),
                "bad input gave {result:?}"
            );
            assert_eq!(log.reads + log.writes, 0, "bad input touched a register");
        }
        return;
    }
    // Commands: per byte one, per segment an address (two for 10-bit, three with the
    // turn-around), a discarded byte and a STOP, recovery rounds before and after (and
    // between segments with a STOP after them).
    let segments = segments as u64;
    let commands = bytes as u64 + segments * 5 + 2 + 2 * 2 * u64::from(RECOVERY_ROUNDS) + 4;
    // Each wait costs at most its budget of SR reads (with the erratum too), plus the
    // initial BUSY check and the accesses of each command. With a delay provider (mode 1)
    // a wait's budget is `timeout_us` in back-offs of one bit time (2.5 us at 400 kHz
    // from 500 MHz): 4 per unit of `budget` here.
    let wait_budget = if mode == 1 {
        u64::from(budget) * 4
    } else {
        u64::from(budget)
    };
    let waits = commands + 2;
    let bound = waits * (wait_budget + 2) + commands * 4 + 16;
    // The driver's own accesses; the handler's follow the interrupts the input raised.
    let accesses = log.reads + log.writes;
    assert!(
        accesses <= bound,
        "{accesses} accesses, bound {bound} (budget {budget}, {bytes} bytes, {segments} ops, mode {mode})"
    );
    if log.commands.iter().any(|c| c.contains(Cr::STA)) {
        let last = log.commands.last().copied().unwrap_or(Cr::empty());
        assert!(
            last.contains(Cr::STO),
            "last command {last:?} has no STOP ({result:?}, mode {mode})"
        );
    }
}

/// The interrupt-handler mode: `advance_with` on the SR value the "handler" read, or
/// `advance` while the transfer waits for the bus to go idle.
fn handler<R: Regs>(
    i2c: &mut I2c<R>,
    address: Address,
    ops: &mut [Operation<'_>],
) -> Result<(), Error> {
    let mut t = i2c.start(address, ops)?;
    loop {
        let step = if t.awaits_interrupt() {
            let sr = i2c.regs_mut().sr();
            i2c.advance_with(&mut t, sr)
        } else {
            i2c.advance(&mut t)
        };
        if let Poll::Ready(r) = step {
            return r;
        }
    }
}

/// The async modes' interrupts: raised when the input says so, and handled by `signal`
/// with the masking protocol or, with `oneshot`, the one-shot one.
struct Interrupts<'s, 'a, 'b, F: Fn() -> FuzzRegs<'a, 'b>> {
    signal: &'s IrqSignal,
    input: &'b core::cell::RefCell<Input<'a>>,
    /// The handler's view of the registers.
    regs: F,
    oneshot: bool,
}

fn run_async<'s, 'a, 'b, R, D, L, F>(
    mut a: AsyncI2c<'s, R, D, L>,
    irq: Interrupts<'s, 'a, 'b, F>,
    address: Address,
    ops: &mut [Operation<'_>],
) -> Result<(), Error>
where
    R: Regs,
    D: embedded_hal_async::delay::DelayNs,
    L: IrqLine,
    F: Fn() -> FuzzRegs<'a, 'b>,
    'a: 'b,
{
    let mut fut = pin!(a.run(address, ops));
    let mut cx = Context::from_waker(Waker::noop());
    // The executor's own bound: far beyond what a correct driver needs.
    for _ in 0..1_000_000 {
        if let Poll::Ready(r) = fut.as_mut().poll(&mut cx) {
            return r;
        }
        // An interrupt when the input says so.
        let fire = {
            let mut i = irq.input.borrow_mut();
            !i.exhausted() && i.byte() & 1 == 1
        };
        if fire {
            let mut handler_regs = (irq.regs)();
            if irq.oneshot {
                irq.signal.on_interrupt_oneshot(&mut handler_regs);
            } else {
                irq.signal.on_interrupt(&mut handler_regs);
            }
        }
    }
    panic!("the async transfer never finished");
}

#[cfg(test)]
mod tests {
    // Inputs the fuzzer found that failed a check are kept as they were found, one file
    // each under regressions/ (honggfuzz leaves them as files too), and run here.

    /// Found by the fuzzer: polling with a delay provider on a bus that stays busy. The
    /// harness bounded its waits by the poll budget, but with a delay provider a wait is
    /// bounded by `timeout_us` in bit-time back-offs (4 per poll-budget unit here).
    #[test]
    fn regression_delay_mode_waits_are_bounded_by_time() {
        super::run(include_bytes!("../regressions/delay_wait_bound.bin"));
    }

    /// Found by the fuzzer: the async one-shot mode with the "handler" called far more
    /// often than commands complete (an input reduced from 8192 bytes). Its SR reads are
    /// the platform's, one per interrupt, and the harness counted them against the
    /// driver's bound; the task's own accesses stay within it.
    #[test]
    fn regression_handler_reads_are_not_the_drivers() {
        super::run(include_bytes!("../regressions/async_handler_reads.bin"));
    }

    /// A short run on pseudo-random inputs, without the fuzzer (the test command runs
    /// the fuzzer itself too, scripts/fuzz).
    #[test]
    fn smoke() {
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..20_000 {
            let len = (x % 64) as usize;
            let data: Vec<u8> = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    x as u8
                })
                .collect();
            super::run(&data);
        }
    }

    /// Pseudo-random transactions of segments: the first bytes pick the polling or the
    /// interrupt-handler mode and one to four operations, whose flag bits make them
    /// segments.
    #[test]
    fn smoke_segments() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for _ in 0..20_000 {
            let len = 6 + (next() % 64) as usize;
            let mut data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
            // Modes 0 and 2, with and without the FU540 erratum.
            data[0] = [0, 2, 0x85, 0x87][(next() % 4) as usize];
            data[4] = 1 + (next() % 4) as u8;
            super::run(&data);
        }
    }
}
