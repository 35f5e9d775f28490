// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The parts of QEMU's sifive_u the tests use: UART0, the CLINT timer, the PLIC and the
//! machine interrupt enables, and I2C0.

use core::fmt;
use core::ptr::NonNull;

use sifive_i2c_hal::{Mmio, MmioConfig};

/// UART0 transmit data register.
const UART0_TXDATA: usize = 0x1001_0000;
/// UART0 transmit control register.
const UART0_TXCTRL: usize = 0x1001_0008;
/// CLINT mtime, counting at 1 MHz on sifive_u.
const CLINT_MTIME: usize = 0x0200_bff8;
/// PLIC base.
const PLIC: usize = 0x0c00_0000;
/// I2C0 base.
pub(crate) const I2C0: usize = 0x1003_0000;
/// I2C0's PLIC source.
pub(crate) const I2C0_IRQ: u32 = 50;
/// The I2C controller's input clock (tlclk): QEMU's PRCI resets the core PLL to
/// 33.333333 MHz * 64 / 2 / 8 and tlclk is half of it.
pub(crate) const TLCLK_HZ: u32 = 66_666_666;

fn write32(addr: usize, value: u32) {
    // SAFETY: Callers pass addresses of sifive_u device registers, which are mapped and
    // accept 32-bit volatile stores.
    unsafe { core::ptr::write_volatile(addr as *mut u32, value) }
}

fn read32(addr: usize) -> u32 {
    // SAFETY: Callers pass addresses of sifive_u device registers, which are mapped and
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
    // SAFETY: mtime is a mapped, 8-byte aligned CLINT register.
    unsafe { core::ptr::read_volatile(CLINT_MTIME as *const u64) }
}

pub(crate) fn delay_us(us: u64) {
    let end = now_us() + us;
    while now_us() < end {
        core::hint::spin_loop();
    }
}

/// I2C0's registers.
pub(crate) fn i2c0() -> Mmio {
    // SAFETY: sifive_u has the OpenCores I2C controller at I2C0 with reg-shift 2 and
    // 8-bit registers. The tests create one accessor for the driver and, in async mode,
    // one for the interrupt handler, which touches only SR and CTR as the driver's
    // interrupt protocol allows.
    unsafe { Mmio::new(NonNull::new_unchecked(I2C0 as *mut u8), MmioConfig::FU540) }
}

/// Routes PLIC source `irq` to hart 0's M-mode context, or stops routing it.
pub(crate) fn plic_route(irq: u32, enable: bool) {
    // Priority of the source, the enable bit in context 0, threshold 0.
    write32(PLIC + 4 * irq as usize, u32::from(enable));
    let word = PLIC + 0x2000 + 4 * (irq as usize / 32);
    let bit = 1 << (irq % 32);
    let old = read32(word);
    write32(word, if enable { old | bit } else { old & !bit });
    write32(PLIC + 0x20_0000, 0);
}

/// Claims the highest-priority pending source of context 0.
pub(crate) fn plic_claim() -> u32 {
    read32(PLIC + 0x20_0004)
}

/// Completes a claimed source.
pub(crate) fn plic_complete(irq: u32) {
    write32(PLIC + 0x20_0004, irq);
}

/// Enables machine external interrupts (mie.MEIE) and interrupts globally (mstatus.MIE).
pub(crate) fn interrupts_on() {
    // SAFETY: Setting MEIE and MIE only allows the trap handler to run; mtvec was set at
    // start-up.
    unsafe {
        core::arch::asm!("csrs mie, {0}", "csrsi mstatus, 8", in(reg) 1usize << 11);
    }
}

/// Disables interrupts globally.
pub(crate) fn interrupts_off() {
    // SAFETY: Clearing mstatus.MIE has no other effect.
    unsafe { core::arch::asm!("csrci mstatus, 8") }
}
