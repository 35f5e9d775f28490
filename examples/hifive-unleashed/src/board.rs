// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The FU540-C000 devices the example uses besides I2C0: the PRCI, for the clock the
//! controller runs on, UART0 for the output, and the CLINT timer for delays.
//!
//! Reference: SiFive FU540-C000 Manual, chapters "Clocking and Reset" (PRCI), "UART" and
//! "CLINT". No maintained crate covers the FU540's PRCI or UART, so the few registers the
//! example needs are written here; the CLINT is riscv-peripheral's.

use core::fmt;
use core::ptr::NonNull;

use sifive_i2c_hal::{Mmio, MmioConfig};

/// PRCI: COREPLLCFG0.
const PRCI_COREPLLCFG0: usize = 0x1000_0004;
/// PRCI: CORECLKSEL (bit 0 set: the core runs on hfclk, clear: on the core PLL).
const PRCI_CORECLKSEL: usize = 0x1000_0024;
/// The HiFive Unleashed's reference oscillator (hfclk).
const HFCLK_HZ: u64 = 33_333_333;
/// UART0 transmit data register.
const UART0_TXDATA: usize = 0x1001_0000;
/// UART0 transmit control register.
const UART0_TXCTRL: usize = 0x1001_0008;
/// UART0 baud rate divisor.
const UART0_DIV: usize = 0x1001_0018;
/// I2C0 base.
const I2C0: usize = 0x1003_0000;

// The CLINT; mtime counts the 1 MHz rtcclk of the HiFive Unleashed.
riscv_peripheral::clint_codegen!(Clint, base 0x0200_0000, mtime_freq 1_000_000);

fn read32(addr: usize) -> u32 {
    // SAFETY: Callers pass addresses of FU540 PRCI and UART0 registers, which are mapped
    // and accept 32-bit volatile loads.
    unsafe { core::ptr::read_volatile(addr as *const u32) }
}

fn write32(addr: usize, value: u32) {
    // SAFETY: Callers pass addresses of FU540 PRCI and UART0 registers, which are mapped
    // and accept 32-bit volatile stores.
    unsafe { core::ptr::write_volatile(addr as *mut u32, value) }
}

/// The clock of the I2C controller (tlclk, half the core clock), in Hz.
///
/// The first-stage boot loader runs the core on the core PLL; straight out of reset (as
/// under QEMU's `-bios`) the core still runs on hfclk with the PLL locked beside it, and
/// this selects the PLL as the boot loader would. COREPLLCFG0 then gives the rate:
/// hfclk / (divr + 1) * 2 * (divf + 1) / 2^divq.
pub(crate) fn tlclk_hz() -> u32 {
    const LOCK: u32 = 1 << 31;
    let cfg = read32(PRCI_COREPLLCFG0);
    if read32(PRCI_CORECLKSEL) & 1 != 0 {
        if cfg & LOCK == 0 {
            return (HFCLK_HZ / 2) as u32;
        }
        write32(PRCI_CORECLKSEL, 0);
    }
    let divr = u64::from(cfg & 0x3f);
    let divf = u64::from((cfg >> 6) & 0x1ff);
    let divq = (cfg >> 15) & 0x7;
    let core = HFCLK_HZ * 2 * (divf + 1) / ((divr + 1) << divq);
    (core / 2) as u32
}

/// UART0, as a `fmt::Write` sink.
pub(crate) struct Uart;

impl Uart {
    /// Sets 115200 baud on `tlclk_hz` and enables the transmitter.
    pub(crate) fn init(tlclk_hz: u32) -> Self {
        write32(UART0_DIV, tlclk_hz / 115_200 - 1);
        write32(UART0_TXCTRL, 1);
        Self
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

/// I2C0's registers.
pub(crate) fn i2c0() -> Mmio {
    // SAFETY: The FU540 has the OpenCores I2C controller at I2C0 with its 8-bit
    // registers 4 bytes apart (MmioConfig::SIFIVE); the example makes one accessor.
    unsafe { Mmio::new(NonNull::new_unchecked(I2C0 as *mut u8), MmioConfig::SIFIVE) }
}

/// A delay on the CLINT's mtime, for the EEPROM's write cycle.
pub(crate) fn delay() -> impl embedded_hal::delay::DelayNs {
    Clint::new().mtimer()
}

/// Parks the hart.
pub(crate) fn park() -> ! {
    loop {
        riscv::asm::wfi();
    }
}
