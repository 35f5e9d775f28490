// SPDX-License-Identifier: GPL-2.0 OR MIT

//! Async example for the HiFive Unleashed (FU540-C000), run by hart 0 (the E51) in M-mode:
//! the sifive-i2c driver's async API (`AsyncI2c`) in a task of embassy-executor, woken by
//! I2C0's interrupt through the PLIC, with no `unsafe` here.
//!
//! The interrupt uses the driver's one-shot protocol: the trap handler claims the PLIC
//! source, lets the driver's handler read SR and wake the task (through an `IrqSignal`,
//! with the handler's register view in an `IrqSlot`, a critical-section cell), and holds
//! the claim; the task completes it once its next command has acknowledged the interrupt
//! (the PLIC line from sifive-i2c-hal's `plic` module is the driver's `IrqLine`).
//!
//! It writes nothing: it scans the bus with one-byte reads, names the devices it knows,
//! reads the TMP105's temperature register (the register a TMP105 points at after reset)
//! without writing its pointer, prints the number of I2C interrupts taken and `done`, on
//! UART0 (115200 baud).
//!
//! The FU540-C000's I2C interrupt cannot be cleared (its erratum, which the SoC profile
//! sets): there the driver polls, yielding to the executor between polls, and takes no
//! interrupt. The `no-erratum` feature treats I2C0 as free of it, for QEMU's sifive_u with
//! `i2c-erratum=off`, where the interrupt path runs (scripts/qemu-test boots both).
//!
//! Documentation/bring-up.rst, "Interrupts and async", walks through it.

#![no_std]
#![no_main]

mod known;

use core::fmt::Write as _;
use core::future::poll_fn;
use core::sync::atomic::{AtomicU32, Ordering};
use core::task::Poll;

use embassy_executor::Executor;
use sifive_i2c::{AsyncI2c, BusSpeed, Config, Error, I2c, IrqSignal, IrqSlot};
use sifive_i2c_hal::plic::{self, PlicLine};
use sifive_i2c_hal::soc::{fu540, Console, HandlerRegs};
use sifive_i2c_hal::Mmio;
use static_cell::StaticCell;

// The CLINT; mtime counts the 1 MHz rtcclk of the HiFive Unleashed.
riscv_peripheral::clint_codegen!(Clint, base 0x0200_0000, mtime_freq 1_000_000);

/// The interrupt handler's view of I2C0's registers (SR reads, CTR writes), put here
/// once by `main`; the handler reaches it only inside the slot's critical section.
static I2C0_REGS: IrqSlot<HandlerRegs> = IrqSlot::new();
/// What the handler hands to the task: the SR value, and the wake-up.
static I2C0_IRQ: IrqSignal = IrqSignal::new();
/// I2C0 interrupts taken.
static IRQS: AtomicU32 = AtomicU32::new(0);

static EXECUTOR: StaticCell<Executor> = StaticCell::new();

/// The machine external interrupt: claims each pending PLIC source; I2C0's claim is held
/// for the task when the interrupt was the controller's (the one-shot protocol), any
/// other claim is completed as it drops.
#[riscv_rt::core_interrupt(riscv::interrupt::Interrupt::MachineExternal)]
fn machine_external() {
    // A held source is not presented again until completed: the loop ends.
    while let Some(claim) = plic::claim() {
        if claim.is::<fu540::I2c0>()
            && I2C0_REGS.with(|regs| I2C0_IRQ.on_interrupt_oneshot(regs)) == Some(true)
        {
            IRQS.fetch_add(1, Ordering::Relaxed);
            claim.hold();
        }
    }
}

/// The delay that bounds each of the driver's waits: mtime, checked each time the task is
/// polled (the task wakes itself while it waits, so the executor keeps polling; a delay on
/// the CLINT's timer interrupt would let the hart sleep instead).
struct MtimeDelay;

impl embedded_hal_async::delay::DelayNs for MtimeDelay {
    async fn delay_ns(&mut self, ns: u32) {
        let mtime = Clint::new().mtimer().mtime();
        let end = mtime.read() + u64::from(ns).div_ceil(1000);
        poll_fn(|cx| {
            if mtime.read() >= end {
                Poll::Ready(())
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        })
        .await;
    }
}

/// The async controller of this example.
type AsyncI2c0 = AsyncI2c<'static, Mmio, MtimeDelay, PlicLine>;

#[riscv_rt::entry]
fn main() -> ! {
    let Some(p) = fu540::Peripherals::take() else {
        park()
    };
    // tlclk, read from the PRCI: nothing is written there.
    let Ok(tlclk) = p.prci.tlclk_hz(fu540::HIFIVE_UNLEASHED_HFCLK_HZ) else {
        park()
    };
    let mut uart = p.uart0.into_console(tlclk, 115_200);
    let _ = writeln!(
        uart,
        "sifive-i2c async on the HiFive Unleashed, tlclk {tlclk} Hz"
    );
    let config = Config::new(tlclk, BusSpeed::Fast);
    // The controller and the handler's register view; the profile sets the FU540-C000
    // erratum, and a clock the driver cannot divide to the bus speed is refused here.
    let (i2c, handler) = match I2c::from_instance_with_handler(p.i2c0, config) {
        Ok(pair) => pair,
        Err(e) => {
            let _ = writeln!(uart, "i2c0: {e}");
            park()
        }
    };
    // QEMU's sifive_u with i2c-erratum=off only: the same registers, without the erratum.
    #[cfg(feature = "no-erratum")]
    let i2c = match I2c::new(i2c.release(), config.with_fu540_c000_erratum(false)) {
        Ok(i2c) => i2c,
        Err(e) => {
            let _ = writeln!(uart, "i2c0: {e}");
            park()
        }
    };
    let _ = writeln!(
        uart,
        "i2c0: {} Hz, interrupt {}",
        i2c.timing().bus_hz,
        if i2c.config().fu540_c000_erratum() {
            "unusable (FU540-C000 erratum): polling"
        } else {
            "on PLIC source 50"
        }
    );
    I2C0_REGS.put(handler);
    let mut plic = p.plic;
    let mut line = plic.line::<fu540::I2c0>();
    line.enable();
    plic.enable_interrupts();
    // Sets CTR.IEN (unless the erratum refuses it) and rearms the line.
    let i2c = AsyncI2c::with_irq_line(i2c, &I2C0_IRQ, MtimeDelay, line);

    let executor = EXECUTOR.init(Executor::new());
    executor.run(|spawner| spawner.spawn(scan(uart, i2c).unwrap_or_else(|_| park())))
}

/// Scans the bus with one-byte reads, reads the TMP105's temperature, and reports.
#[embassy_executor::task]
async fn scan(mut uart: Console, mut i2c: AsyncI2c0) {
    let mut found = 0;
    let mut sensor = false;
    for address in 0x08..=0x77u8 {
        let mut byte = [0];
        match i2c.read(address, &mut byte).await {
            Ok(()) => {
                found += 1;
                sensor |= address == 0x48;
                let _ = writeln!(uart, "scan: {address:#04x} {}", known::name(address));
            }
            Err(Error::AddressNack) => {}
            Err(e) => {
                let _ = writeln!(uart, "scan: {address:#04x} {e}");
            }
        }
    }
    let _ = writeln!(uart, "scan: {found} devices");
    if sensor {
        // The temperature register, which a TMP105 points at after reset: a read only.
        let mut raw = [0u8; 2];
        match i2c.read(0x48u8, &mut raw).await {
            Ok(()) => {
                // Twelve-bit two's complement in 1/16 degree, left-aligned.
                let sixteenths = i32::from(i16::from_be_bytes(raw) >> 4);
                let sign = if sixteenths < 0 { "-" } else { "" };
                let abs = sixteenths.unsigned_abs();
                let _ = writeln!(
                    uart,
                    "temperature: {sign}{}.{:04} C",
                    abs / 16,
                    abs % 16 * 625
                );
            }
            Err(e) => {
                let _ = writeln!(uart, "temperature: {e}");
            }
        }
    }
    let _ = writeln!(uart, "irqs: {}", IRQS.load(Ordering::Relaxed));
    let _ = writeln!(uart, "done");
}

/// Parks the hart.
fn park() -> ! {
    loop {
        riscv::asm::wfi();
    }
}

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo<'_>) -> ! {
    park()
}
