// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The FE310-G002 (HiFive1 Rev B): I2C0 at 0x1001_6000 on PLIC source 52, clocked by tlclk
//! (the core clock, hfclk), with SDA on GPIO12 and SCL on GPIO13 as IOF0; no interrupt
//! erratum.
//!
//! hfclk is read from the PRCI at 0x1000_8000 (FE310-G002 manual, "Clock Generation"):
//! PLLCFG (0x08) selects the PLL path (pllsel, bit 16) or the ring oscillator HFROSC; the
//! PLL's reference is HFXOSC (pllrefsel, bit 17) or HFROSC; the PLL gives
//! `ref / (r + 1) * 2 * (f + 1) / 2^q` (r 2:0, f 9:4, q 11:10) unless bypassed (bit 18);
//! PLLOUTDIV (0x0C) divides the result by `2 * (div + 1)` (div 5:0) unless divby1 (bit 8).
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::soc::fe310;
//!
//! // HFXOSC (16 MHz) through the PLL: 16 MHz / 2 * 64 / 2 = 256 MHz, divided by 8.
//! let pllcfg = (1 << 31) | (1 << 17) | (1 << 16) | (1 << 10) | (31 << 4) | 1;
//! let plloutdiv = 3;
//! let tlclk = fe310::tlclk_hz(fe310::HIFIVE1_REVB_HFXOSC_HZ, pllcfg, plloutdiv)?;
//! assert_eq!(tlclk, 32_000_000);
//! # Ok::<(), sifive_i2c_hal::soc::ClockError>(())
//! ```

use super::{ClockError, Instance};
use crate::Mmio;

/// The HiFive1 Rev B's crystal oscillator (HFXOSC), in Hz.
pub const HIFIVE1_REVB_HFXOSC_HZ: u32 = 16_000_000;

/// The PRCI's base address.
pub const PRCI_BASE: usize = 0x1000_8000;
const PLLCFG: usize = 0x08;
const PLLOUTDIV: usize = 0x0c;
/// GPIO0's base address.
pub const GPIO_BASE: usize = 0x1001_2000;
const IOF_EN: usize = 0x38;
const IOF_SEL: usize = 0x3c;
/// The GPIO pins of I2C0: SDA (12) and SCL (13).
const I2C0_PINS: u32 = (1 << 12) | (1 << 13);
/// The GPIO pins of UART0: RX (16) and TX (17).
const UART0_PINS: u32 = (1 << 16) | (1 << 17);

/// tlclk (= hfclk) from the crystal's rate `hfxosc_hz` and the values of PLLCFG and
/// PLLOUTDIV. A clock derived from HFROSC is refused ([`ClockError::RingOscillator`]).
pub const fn tlclk_hz(hfxosc_hz: u32, pllcfg: u32, plloutdiv: u32) -> Result<u32, ClockError> {
    const SEL: u32 = 1 << 16;
    const REFSEL: u32 = 1 << 17;
    const BYPASS: u32 = 1 << 18;
    const LOCK: u32 = 1 << 31;
    const DIVBY1: u32 = 1 << 8;
    if pllcfg & SEL == 0 || pllcfg & REFSEL == 0 {
        return Err(ClockError::RingOscillator);
    }
    if hfxosc_hz == 0 {
        return Err(ClockError::Zero);
    }
    let pll = if pllcfg & BYPASS != 0 {
        hfxosc_hz as u64
    } else {
        if pllcfg & LOCK == 0 {
            return Err(ClockError::Unlocked);
        }
        let r = (pllcfg & 0x7) as u64;
        let f = ((pllcfg >> 4) & 0x3f) as u64;
        let q = (pllcfg >> 10) & 0x3;
        (hfxosc_hz as u64 / (r + 1) * 2 * (f + 1)) >> q
    };
    let hz = if plloutdiv & DIVBY1 != 0 {
        pll
    } else {
        pll / (2 * ((plloutdiv & 0x3f) as u64 + 1))
    };
    Ok(hz as u32)
}

/// I2C0, the FE310's one I2C controller.
#[derive(Debug)]
pub struct I2c0 {
    _private: (),
}

impl Instance for I2c0 {
    const BASE: usize = 0x1001_6000;
    const PLIC_SOURCE: u16 = 52;
    const FU540_C000_ERRATUM: bool = false;

    fn into_mmio(self) -> Mmio {
        // SAFETY: I2C0 of the FE310 is an OpenCores I2C block with the SiFive layout, and
        // `self` is the one instance `Peripherals::take` handed out.
        unsafe { super::mmio(Self::BASE) }
    }
}

/// GPIO12 and GPIO13, the pins I2C0 can use.
#[derive(Debug)]
pub struct I2c0Pins {
    _private: (),
}

impl I2c0Pins {
    /// Hands GPIO12 (SDA) and GPIO13 (SCL) to I2C0: IOF0 selected (IOF_SEL bits clear),
    /// then the IOF enabled (IOF_EN bits set). The read-modify-writes of the two shared
    /// GPIO registers run in a critical section (the application provides the
    /// `critical-section` implementation, for example the riscv crate's
    /// `critical-section-single-hart` feature); other pins keep their settings.
    pub fn select_iof0(self) {
        critical_section::with(|_| {
            // SAFETY: `self` exists only on an FE310 (`Peripherals`), whose GPIO0 has
            // these registers; the critical section keeps other code of this hart out of
            // the read-modify-writes, and only the bits of GPIO12/13, owned through
            // `self`, change.
            unsafe {
                let sel = (GPIO_BASE + IOF_SEL) as *mut u32;
                sel.write_volatile(sel.read_volatile() & !I2C0_PINS);
                let en = (GPIO_BASE + IOF_EN) as *mut u32;
                en.write_volatile(en.read_volatile() | I2C0_PINS);
            }
        });
    }
}

/// UART0, for a bring-up program's text output.
#[derive(Debug)]
pub struct Uart0 {
    _private: (),
}

impl Uart0 {
    /// The base address.
    pub const BASE: usize = 0x1001_3000;

    /// UART0's transmitter at `baud`, from its clock (tlclk, `clk_hz`), with GPIO17 (TX)
    /// and GPIO16 (RX) set to IOF0.
    pub fn into_console(self, clk_hz: u32, baud: u32) -> super::Console {
        critical_section::with(|_| {
            // SAFETY: `self` exists only on an FE310, whose GPIO0 has these registers; the
            // critical section keeps other code of this hart out of the read-modify-writes,
            // and only the bits of GPIO16/17, UART0's own pins, change.
            unsafe {
                let sel = (GPIO_BASE + IOF_SEL) as *mut u32;
                sel.write_volatile(sel.read_volatile() & !UART0_PINS);
                let en = (GPIO_BASE + IOF_EN) as *mut u32;
                en.write_volatile(en.read_volatile() | UART0_PINS);
            }
        });
        // SAFETY: UART0 is a SiFive UART at `BASE`, owned through `self`.
        unsafe { super::Console::new(Self::BASE, clk_hz, baud) }
    }
}

/// The PRCI, for reading clocks only.
#[derive(Debug)]
pub struct Prci {
    _private: (),
}

impl Prci {
    /// tlclk, the clock of I2C0, from the PRCI's registers and the board's crystal (on
    /// the HiFive1 Rev B [`HIFIVE1_REVB_HFXOSC_HZ`]). Only reads.
    pub fn tlclk_hz(&self, hfxosc_hz: u32) -> Result<u32, ClockError> {
        // SAFETY: `self` exists only on an FE310 (`Peripherals`), whose PRCI has these
        // registers; reading them has no side effects.
        let (pllcfg, plloutdiv) = unsafe {
            (
                super::read32(PRCI_BASE + PLLCFG),
                super::read32(PRCI_BASE + PLLOUTDIV),
            )
        };
        tlclk_hz(hfxosc_hz, pllcfg, plloutdiv)
    }
}

impl Prci {
    /// Runs hfclk (and so tlclk) from the crystal: HFXOSC on, then, with the core on the
    /// ring oscillator (HFROSC, enabled if it was not) while the PLL path changes, the PLL
    /// bypassed with HFXOSC as its reference and the output divider off, then the PLL
    /// path selected again. Unlike [`Prci::tlclk_hz`] this changes the clock of the core
    /// and of every peripheral: call it before setting up anything clocked by tlclk.
    /// Returns the new tlclk, or [`ClockError::Unlocked`] if an oscillator is not ready
    /// after a bounded wait (hfclk is then left on its old source).
    pub fn use_hfxosc(&mut self, hfxosc_hz: u32) -> Result<u32, ClockError> {
        const HFROSCCFG: usize = 0x00;
        const HFXOSCCFG: usize = 0x04;
        const ENABLE: u32 = 1 << 30;
        const READY: u32 = 1 << 31;
        const SEL: u32 = 1 << 16;
        const REFSEL: u32 = 1 << 17;
        const BYPASS: u32 = 1 << 18;
        const DIVBY1: u32 = 1 << 8;
        if hfxosc_hz == 0 {
            return Err(ClockError::Zero);
        }
        let reg = |offset: usize| (PRCI_BASE + offset) as *mut u32;
        // Turns oscillator `offset` on and waits, within a bound, for it to be ready.
        let start = |offset: usize| {
            // SAFETY: `self` exists only on an FE310 (`Peripherals`), whose PRCI has the
            // oscillator registers, and `&mut self` makes this the one writer.
            unsafe {
                reg(offset).write_volatile(reg(offset).read_volatile() | ENABLE);
                (0..1_000_000).any(|_| reg(offset).read_volatile() & READY != 0)
            }
        };
        if !start(HFXOSCCFG) || !start(HFROSCCFG) {
            return Err(ClockError::Unlocked);
        }
        // SAFETY: As above: PRCI registers of the running FE310, one writer. The core
        // runs on HFROSC (now ready) while the PLL path is changed.
        unsafe {
            reg(PLLCFG).write_volatile(reg(PLLCFG).read_volatile() & !SEL);
            reg(PLLCFG).write_volatile(reg(PLLCFG).read_volatile() | REFSEL | BYPASS);
            reg(PLLOUTDIV).write_volatile(DIVBY1);
            reg(PLLCFG).write_volatile(reg(PLLCFG).read_volatile() | SEL);
        }
        self.tlclk_hz(hfxosc_hz)
    }
}

peripherals! {
    soc: "FE310-G002",
    arch: "riscv32",
    /// I2C0.
    i2c0: I2c0,
    /// GPIO12 and GPIO13, for I2C0.
    i2c0_pins: I2c0Pins,
    /// The PRCI (clock reads).
    prci: Prci,
    /// UART0.
    uart0: Uart0,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlclk_follows_the_pll_path() {
        const XOSC: u32 = 16_000_000;
        let pll = (1 << 31) | (1 << 17) | (1 << 16) | (1 << 10) | (31 << 4) | 1;
        assert_eq!(tlclk_hz(XOSC, pll, 1 << 8), Ok(256_000_000));
        assert_eq!(tlclk_hz(XOSC, pll, 0), Ok(128_000_000));
        // The crystal straight through: bypassed PLL, divby1.
        let bypass = (1 << 18) | (1 << 17) | (1 << 16);
        assert_eq!(tlclk_hz(XOSC, bypass, 1 << 8), Ok(16_000_000));
        // QEMU's sifive_e resets to HFROSC (pllsel clear).
        assert_eq!(
            tlclk_hz(XOSC, (1 << 31) | (1 << 18) | (1 << 17), 1 << 8),
            Err(ClockError::RingOscillator)
        );
        assert_eq!(
            tlclk_hz(XOSC, pll & !(1 << 31), 0),
            Err(ClockError::Unlocked)
        );
    }
}
