// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Register accesses per payload byte on the host model: the cost figure of the driver.
//!
//! Counts do not depend on machine load. Polling costs depend on how long the hardware
//! takes (SR polls per byte), so they are printed for a model that finishes each command
//! by the first poll (the floor) and for one that takes 8 polls.

use std::cell::RefCell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

use embedded_hal::i2c::Operation;
use embedded_hal_async::delay::DelayNs;
use sifive_i2c::{Address, AsyncI2c, BusSpeed, Config, Error, I2c, IrqLine, IrqSignal};
use sifive_i2c_hal::model::{Eeprom24c02, Model};
use sifive_i2c_hal::regs::Cr;
use sifive_i2c_hal::regs::{ReadReg, WriteReg};
use sifive_i2c_hal::Regs;

const EEPROM: u8 = 0x50;
const LEN: usize = 16;

fn config() -> Config {
    Config::new(500_000_000, BusSpeed::Fast)
}

#[derive(Clone)]
struct Shared(Rc<RefCell<Model>>);

impl Shared {
    /// The register reads and writes counted since the last reset.
    fn counts(&self) -> (u32, u32) {
        let m = self.0.borrow();
        (m.reads(), m.writes())
    }
}

impl Regs for Shared {
    fn read(&mut self, reg: ReadReg) -> u8 {
        self.0.borrow_mut().read(reg)
    }
    fn write(&mut self, reg: WriteReg, value: u8) {
        self.0.borrow_mut().write(reg, value);
    }
}

fn model(latency: u32) -> Model {
    let mut m = Model::new();
    m.attach(EEPROM, Eeprom24c02::new());
    m.set_latency(latency);
    m
}

/// The transfers measured: a 16-byte write (after the word address) and a 16-byte read
/// (after a write of the word address).
fn ops<'a>(write: &'a [u8; LEN + 1], read: &'a mut [u8; LEN], is_read: bool) -> Vec<Operation<'a>> {
    if is_read {
        vec![Operation::Write(&write[..1]), Operation::Read(read)]
    } else {
        vec![Operation::Write(write)]
    }
}

fn report(mode: &str, what: &str, reads: u32, writes: u32) {
    let per = |n: u32| f64::from(n) / LEN as f64;
    println!(
        "{mode:<26} {what:<14} reads {reads:>3} writes {writes:>3} total {:>3}  per payload byte: {:.2} (reads {:.2}, writes {:.2})",
        reads + writes,
        per(reads + writes),
        per(reads),
        per(writes)
    );
}

/// Prints the accesses `measure` counts for the 16-byte write and then the 16-byte read,
/// each on a fresh driver and model.
fn write_and_read(mode: &str, mut measure: impl FnMut(&mut [Operation<'_>]) -> (u32, u32)) {
    for (is_read, what) in [(false, "16-byte write"), (true, "16-byte read")] {
        let (w, mut r) = ([0; LEN + 1], [0; LEN]);
        let mut o = ops(&w, &mut r, is_read);
        let (reads, writes) = measure(&mut o);
        report(mode, what, reads, writes);
    }
}

fn polling(latency: u32) {
    write_and_read(&format!("polling, {latency} poll(s)/cmd"), |o| {
        let mut i2c = I2c::new(model(latency), config()).expect("config");
        i2c.regs_mut().reset_counters();
        i2c.transaction(Address::SevenBit(EEPROM), o)
            .expect("transfer");
        (i2c.regs().reads(), i2c.regs().writes())
    });
}

fn isr_driven() {
    write_and_read("interrupt handler", |o| {
        let mut i2c = I2c::new(model(4), config()).expect("config");
        i2c.set_interrupt(true).expect("irq");
        i2c.regs_mut().reset_counters();
        let mut t = i2c.start(Address::SevenBit(EEPROM), o).expect("start");
        loop {
            i2c.regs_mut().tick();
            if i2c.regs().irq_line() {
                if let Poll::Ready(r) = i2c.advance(&mut t) {
                    r.expect("transfer");
                    break;
                }
            }
        }
        (i2c.regs().reads(), i2c.regs().writes())
    });
}

struct NoDelay;

impl DelayNs for NoDelay {
    async fn delay_ns(&mut self, _ns: u32) {
        std::future::pending::<()>().await;
    }
}

/// A delay on the model's clock: a command's wire time is as many ticks as the model's
/// latency (4), so the wire-time estimate is exact for it.
struct ModelDelay {
    regs: Shared,
    ns_per_tick: u32,
}

impl embedded_hal::delay::DelayNs for ModelDelay {
    fn delay_ns(&mut self, ns: u32) {
        for _ in 0..ns.div_ceil(self.ns_per_tick) {
            self.regs.0.borrow_mut().tick();
        }
    }
}

fn polling_with_delay() {
    write_and_read("polling with a delay", |o| {
        let shared = Shared(Rc::new(RefCell::new(model(4))));
        let byte_ns = I2c::new(model(4), config())
            .expect("config")
            .wire_ns(Cr::WR);
        let delay = ModelDelay {
            regs: shared.clone(),
            ns_per_tick: byte_ns.div_ceil(4),
        };
        let mut i2c = I2c::with_delay(shared.clone(), config(), delay).expect("config");
        shared.0.borrow_mut().reset_counters();
        i2c.transaction(Address::SevenBit(EEPROM), o)
            .expect("transfer");
        shared.counts()
    });
}

/// The one-shot protocol's line on the host: the interrupt is held from the handler until
/// the task rearms it.
struct HeldLine(Rc<RefCell<bool>>);

impl IrqLine for HeldLine {
    fn rearm(&mut self) {
        *self.0.borrow_mut() = false;
    }
}

/// Polls the async transfer `fut` to its end, ticking the model between polls and calling
/// `interrupt` while the model's interrupt line is high.
fn block_on(
    shared: &Shared,
    fut: impl Future<Output = Result<(), Error>>,
    mut interrupt: impl FnMut(),
) {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(r) = fut.as_mut().poll(&mut cx) {
            r.expect("transfer");
            break;
        }
        shared.0.borrow_mut().tick();
        let line = shared.0.borrow().irq_line();
        if line {
            interrupt();
        }
    }
}

fn asynchronous_oneshot() {
    write_and_read("async (one-shot)", |o| {
        let shared = Shared(Rc::new(RefCell::new(model(4))));
        let signal = IrqSignal::new();
        let held = Rc::new(RefCell::new(false));
        let i2c = I2c::new(shared.clone(), config()).expect("config");
        let mut i2c = AsyncI2c::with_irq_line(i2c, &signal, NoDelay, HeldLine(held.clone()));
        shared.0.borrow_mut().reset_counters();
        block_on(&shared, i2c.run(Address::SevenBit(EEPROM), o), || {
            if !*held.borrow() {
                *held.borrow_mut() = true;
                signal.on_interrupt_oneshot(&mut shared.clone());
            }
        });
        shared.counts()
    });
}

fn asynchronous() {
    write_and_read("async (interrupt)", |o| {
        let shared = Shared(Rc::new(RefCell::new(model(4))));
        let signal = IrqSignal::new();
        let i2c = I2c::new(shared.clone(), config()).expect("config");
        let mut i2c = AsyncI2c::new(i2c, &signal, NoDelay);
        shared.0.borrow_mut().reset_counters();
        block_on(&shared, i2c.run(Address::SevenBit(EEPROM), o), || {
            signal.on_interrupt(&mut shared.clone());
        });
        shared.counts()
    });
}

fn main() {
    println!("register accesses on the host model (includes address, STOP and BUSY check)");
    polling(1);
    polling(8);
    polling_with_delay();
    isr_driven();
    asynchronous();
    asynchronous_oneshot();
}
