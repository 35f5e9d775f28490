// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The parts of QEMU's sifive_u the tests use: UART0, the CLINT timer, the PLIC and the
//! machine interrupt enables, and I2C0.
//!
//! The CLINT and the PLIC are riscv-peripheral's, the CSRs the riscv crate's. UART0 is the
//! one device written by hand here: no maintained crate drives the SiFive UART at the
//! FU540's address (e310x-hal's serial is bound to the FE310's peripheral access crate),
//! and the tests need only its transmit side, two registers.

use core::fmt;
use core::ptr::NonNull;

use riscv::interrupt::Interrupt;
use sifive_i2c_hal::{Mmio, MmioConfig};

/// UART0 transmit data register.
const UART0_TXDATA: usize = 0x1001_0000;
/// UART0 transmit control register.
const UART0_TXCTRL: usize = 0x1001_0008;
/// I2C0 base.
pub(crate) const I2C0: usize = 0x1003_0000;
/// The I2C controller's input clock (tlclk): QEMU's PRCI resets the core PLL to
/// 33.333333 MHz * 64 / 2 / 8 and tlclk is half of it.
pub(crate) const TLCLK_HZ: u32 = 66_666_666;

// The CLINT, with mtime counting at 1 MHz on sifive_u.
riscv_peripheral::clint_codegen!(Clint, base 0x0200_0000, mtime_freq 1_000_000);
// The PLIC; context 0 is hart 0's M-mode.
riscv_peripheral::plic_codegen!(Plic, base 0x0c00_0000);

/// The PLIC sources the tests route.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[riscv::pac_enum(unsafe ExternalInterruptNumber)]
pub(crate) enum Source {
    /// I2C0 (source 50 on sifive_u).
    I2c0 = 50,
}

/// PLIC priorities: 0 masks a source.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[riscv::pac_enum(unsafe PriorityNumber)]
enum Priority {
    P0 = 0,
    P1 = 1,
}

/// I2C0's PLIC source.
pub(crate) const I2C0_IRQ: Source = Source::I2c0;

fn write32(addr: usize, value: u32) {
    // SAFETY: Callers pass addresses of sifive_u UART0 registers, which are mapped and
    // accept 32-bit volatile stores.
    unsafe { core::ptr::write_volatile(addr as *mut u32, value) }
}

fn read32(addr: usize) -> u32 {
    // SAFETY: Callers pass addresses of sifive_u UART0 registers, which are mapped and
    // accept 32-bit volatile loads.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

/// UART0, as a `fmt::Write` sink.
pub(crate) struct Uart;

impl Uart {
    pub(crate) fn init() {
        write32(UART0_TXCTRL, 1);
    }

    fn put(byte: u8) {
        // Bounded wait for room in the FIFO (bit 31 of txdata is "full").
        for _ in 0..1_000_000 {
            if read32(UART0_TXDATA) & (1 << 31) == 0 {
                break;
            }
        }
        write32(UART0_TXDATA, u32::from(byte));
    }
}

impl fmt::Write for Uart {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        for b in s.bytes() {
            Self::put(b);
        }
        Ok(())
    }
}

/// Microseconds since reset.
pub(crate) fn now_us() -> u64 {
    Clint::new().mtimer().mtime().read()
}

pub(crate) fn delay_us(us: u32) {
    use embedded_hal::delay::DelayNs as _;
    Clint::new().mtimer().delay_us(us);
}

/// A blocking delay on the CLINT's mtime.
pub(crate) fn delay() -> impl embedded_hal::delay::DelayNs {
    Clint::new().mtimer()
}

/// I2C0's registers.
pub(crate) fn i2c0() -> Mmio {
    // SAFETY: sifive_u has the OpenCores I2C controller at I2C0 with reg-shift 2 and
    // 8-bit registers. The tests create one accessor for the driver and, in async mode,
    // one for the interrupt handler, which touches only SR and CTR as the driver's
    // interrupt protocol allows.
    unsafe { Mmio::new(NonNull::new_unchecked(I2C0 as *mut u8), MmioConfig::SIFIVE) }
}

/// Routes PLIC source `irq` to hart 0's M-mode context, or stops routing it.
pub(crate) fn plic_route(irq: Source, enable: bool) {
    let plic = Plic::new();
    let ctx = plic.ctx0();
    if enable {
        // SAFETY: The only handler for I2C0 is the trap handler in main.rs, which is
        // installed before any source is routed.
        unsafe {
            plic.priorities().set_priority(irq, Priority::P1);
            ctx.threshold().set_threshold(Priority::P0);
            ctx.enables().enable(irq);
        }
    } else {
        ctx.enables().disable(irq);
        // SAFETY: Priority 0 masks the source; it unmasks nothing.
        unsafe { plic.priorities().set_priority(irq, Priority::P0) };
    }
}

/// Claims the highest-priority pending source of context 0.
pub(crate) fn plic_claim() -> Option<Source> {
    Plic::new().ctx0().claim().claim()
}

/// Completes a claimed source.
pub(crate) fn plic_complete(irq: Source) {
    Plic::new().ctx0().claim().complete(irq);
}

/// Enables machine external interrupts (mie.MEIE) and interrupts globally (mstatus.MIE).
pub(crate) fn interrupts_on() {
    // SAFETY: Enabling MEIE and MIE only allows the trap handler to run; riscv-rt set
    // mtvec to its trap entry before `main`.
    unsafe {
        riscv::interrupt::enable_interrupt(Interrupt::MachineExternal);
        riscv::interrupt::enable();
    }
}

/// Disables interrupts globally.
pub(crate) fn interrupts_off() {
    riscv::interrupt::disable();
}
