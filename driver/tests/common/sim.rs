// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Interrupt-driven harnesses: an interrupt handler calling `advance` on the model's
//! interrupt line, and a simulated machine (time, timers, interrupt line) for async tests.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

use embedded_hal::i2c::Operation;
use embedded_hal_async::delay::DelayNs;
use sifive_i2c::{Address, Error, I2c, IrqLine, IrqSignal, Transfer};
use sifive_i2c_hal::model::Model;

use super::{model, Shared};

/// Drives `t` as an OS does in interrupt mode: the interrupt handler calls `advance` while
/// the line is high, and the waiting thread calls it while the transfer waits for the bus to
/// go idle (`!awaits_interrupt()`). After every call the line must be low: the driver never
/// leaves an interrupt up that nobody waits for. Returns the result and the interrupts taken.
pub fn isr_drive(i2c: &mut I2c<Model>, mut t: Transfer<'_, '_>) -> (Result<(), Error>, u32) {
    let mut irqs = 0;
    for _ in 0..1_000_000 {
        i2c.regs_mut().tick();
        let line = i2c.regs().irq_line();
        if line || !t.awaits_interrupt() {
            irqs += u32::from(line);
            let done = i2c.advance(&mut t);
            assert!(
                !i2c.regs().irq_line(),
                "interrupt line left high (awaits_interrupt: {})",
                t.awaits_interrupt()
            );
            if let Poll::Ready(result) = done {
                return (result, irqs);
            }
        }
    }
    panic!("no completion");
}

/// Runs `ops` to the EEPROM address with the interrupt handler calling `advance` (as the
/// Linux glue does). Returns the result and the number of interrupts taken.
pub fn isr_driven(i2c: &mut I2c<Model>, ops: &mut [Operation<'_>]) -> (Result<(), Error>, u32) {
    isr_driven_to(i2c, super::EEPROM, ops)
}

/// [`isr_driven`] to any 7-bit address.
pub fn isr_driven_to(
    i2c: &mut I2c<Model>,
    address: u8,
    ops: &mut [Operation<'_>],
) -> (Result<(), Error>, u32) {
    i2c.set_interrupt(true).unwrap();
    let t = i2c.start(Address::SevenBit(address), ops).unwrap();
    isr_drive(i2c, t)
}

/// A simulated machine: time in ticks of 1 us, the model's interrupt line, timers.
pub struct Sim {
    pub regs: Shared,
    pub now: Cell<u64>,
    timers: RefCell<Vec<(u64, Waker)>>,
    /// The one-shot protocol: the handler calls `on_interrupt_oneshot`, and the simulated
    /// interrupt controller holds the interrupt masked until the task rearms it.
    pub oneshot: Cell<bool>,
    /// The interrupt is masked in the interrupt controller (claimed, not completed).
    pub held: Cell<bool>,
    /// Rearms by the task.
    pub rearms: Cell<u32>,
    /// The interrupt controller latches a rising edge of the line and presents it once,
    /// as QEMU's sifive_plic does: a line that stays high across a claim is not presented
    /// again when the claim is completed (a SiFive PLIC's gateway presents it again).
    pub edge: Cell<bool>,
    /// The latched edge (with `edge`), and the line as last seen.
    latched: Cell<bool>,
    line_was: Cell<bool>,
}

impl Sim {
    /// The interrupt controller looks at the line: latches a rising edge. Returns the
    /// line.
    fn sample_line(&self) -> bool {
        let line = self.regs.0.borrow().irq_line();
        if line && !self.line_was.get() {
            self.latched.set(true);
        }
        self.line_was.set(line);
        line
    }

    /// Takes the interrupt if the interrupt controller presents it (one-shot protocol
    /// only): the handler runs and the interrupt is held. Returns whether it was taken.
    pub fn take_oneshot_interrupt(&self, signal: &IrqSignal) -> bool {
        let line = self.sample_line();
        let presented = if self.edge.get() {
            self.latched.get()
        } else {
            line
        };
        if !presented || self.held.get() {
            return false;
        }
        self.held.set(true);
        self.latched.set(false);
        let mut handler_regs = self.regs.clone();
        let ours = signal.on_interrupt_oneshot(&mut handler_regs);
        // Not the controller's: the claim is completed at once.
        self.held.set(ours);
        ours
    }
}

/// A line whose rearm lets the controller finish the command in flight at once, and takes
/// the interrupt before the task goes on: an interrupt taken between the task's rearm and
/// its wait.
pub struct RacyLine<'a>(pub &'a Sim, pub &'a IrqSignal);

impl IrqLine for RacyLine<'_> {
    fn rearm(&mut self) {
        let sim = self.0;
        sim.held.set(false);
        sim.rearms.set(sim.rearms.get() + 1);
        // The line as the task's last register write left it, then the command's end.
        sim.sample_line();
        sim.regs.0.borrow_mut().settle();
        sim.take_oneshot_interrupt(self.1);
    }
}

/// The simulated interrupt controller's side of the one-shot protocol.
pub struct SimLine<'a>(pub &'a Sim);

impl IrqLine for SimLine<'_> {
    fn rearm(&mut self) {
        self.0.held.set(false);
        self.0.rearms.set(self.0.rearms.get() + 1);
    }
}

/// A delay on the simulated machine's clock.
pub struct Delay<'a>(pub &'a Sim);

impl DelayNs for Delay<'_> {
    async fn delay_ns(&mut self, ns: u32) {
        let deadline = self.0.now.get() + u64::from(ns).div_ceil(1000);
        std::future::poll_fn(|cx| {
            if self.0.now.get() >= deadline {
                Poll::Ready(())
            } else {
                self.0
                    .timers
                    .borrow_mut()
                    .push((deadline, cx.waker().clone()));
                Poll::Pending
            }
        })
        .await;
    }
}

struct Flag(AtomicBool);

impl Wake for Flag {
    fn wake(self: Arc<Self>) {
        self.0.store(true, Ordering::SeqCst);
    }
}

/// Polls `fut` only when woken; between polls time passes and the interrupt handler runs
/// when the line is high. Returns the output and the number of interrupts.
pub fn run<F: Future>(sim: &Sim, signal: &IrqSignal, fut: F) -> (F::Output, u32) {
    let flag = Arc::new(Flag(AtomicBool::new(true)));
    let waker = Waker::from(flag.clone());
    let mut cx = Context::from_waker(&waker);
    let mut fut = pin!(fut);
    let mut irqs = 0;
    for _ in 0..1_000_000 {
        if flag.0.swap(false, Ordering::SeqCst) {
            if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
                return (out, irqs);
            }
        }
        sim.regs.0.borrow_mut().tick();
        sim.now.set(sim.now.get() + 1);
        let now = sim.now.get();
        sim.timers.borrow_mut().retain(|(deadline, w)| {
            if *deadline <= now {
                w.wake_by_ref();
                false
            } else {
                true
            }
        });
        if sim.oneshot.get() {
            irqs += u32::from(sim.take_oneshot_interrupt(signal));
        } else if sim.regs.0.borrow().irq_line() {
            let mut handler_regs = sim.regs.clone();
            {
                irqs += 1;
                assert!(signal.on_interrupt(&mut handler_regs));
                assert!(
                    !sim.regs.0.borrow().irq_line(),
                    "handler must drop the line"
                );
            }
        }
    }
    panic!("future never completed");
}

pub fn sim() -> Sim {
    sim_with(model())
}

pub fn sim_with(m: Model) -> Sim {
    Sim {
        regs: Shared::new(m),
        now: Cell::new(0),
        timers: RefCell::new(Vec::new()),
        oneshot: Cell::new(false),
        held: Cell::new(false),
        rearms: Cell::new(0),
        edge: Cell::new(false),
        latched: Cell::new(false),
        line_was: Cell::new(false),
    }
}
