// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The FU740-C000 (HiFive Unmatched): I2C0 at 0x1003_0000 on PLIC source 52 and I2C1 at
//! 0x1003_1000 on PLIC source 53, both clocked by pclk; no interrupt erratum.
//!
//! pclk is read as Linux's drivers/clk/sifive/ reads it: the hfpclk PLL (HFPCLKPLLCFG0,
//! 0x1000_0050) from hfclk, divided by HFPCLKPLLDIV (0x1000_005C) + 2. The PLL's output
//! gate is HFPCLKPLLCFG1 (0x1000_0054) bit 31.
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::soc::{fu740, ClockError};
//!
//! // An hfpclk PLL of 26 MHz * 2 * 40 / 4 = 520 MHz, enabled, divided by 2 + 2.
//! let cfg0 = (1 << 31) | (2 << 15) | (39 << 6);
//! let pclk = fu740::pclk_hz(fu740::HIFIVE_UNMATCHED_HFCLK_HZ, cfg0, 1 << 31, 2)?;
//! assert_eq!(pclk, 130_000_000);
//! # Ok::<(), ClockError>(())
//! ```

use super::{ClockError, Instance};
use crate::Mmio;

/// The HiFive Unmatched's reference oscillator (hfclk), in Hz.
pub const HIFIVE_UNMATCHED_HFCLK_HZ: u32 = 26_000_000;

/// The PRCI's base address.
pub const PRCI_BASE: usize = 0x1000_0000;
const HFPCLKPLLCFG0: usize = 0x50;
const HFPCLKPLLCFG1: usize = 0x54;
const HFPCLKPLLDIV: usize = 0x5c;

/// pclk from hfclk `hfclk_hz` and the values of HFPCLKPLLCFG0, HFPCLKPLLCFG1 and
/// HFPCLKPLLDIV.
pub const fn pclk_hz(hfclk_hz: u32, cfg0: u32, cfg1: u32, div: u32) -> Result<u32, ClockError> {
    if cfg1 & (1 << 31) == 0 {
        return Err(ClockError::Gated);
    }
    match super::wrpll_hz(hfclk_hz, cfg0) {
        Ok(hz) => Ok((hz as u64 / (div as u64 + 2)) as u32),
        Err(e) => Err(e),
    }
}

/// I2C0.
#[derive(Debug)]
pub struct I2c0 {
    _private: (),
}

/// I2C1.
#[derive(Debug)]
pub struct I2c1 {
    _private: (),
}

impl Instance for I2c0 {
    const BASE: usize = 0x1003_0000;
    const PLIC_SOURCE: u16 = 52;
    const FU540_C000_ERRATUM: bool = false;

    fn into_mmio(self) -> Mmio {
        // SAFETY: I2C0 of the FU740 is an OpenCores I2C block with the SiFive layout, and
        // `self` is the one instance `Peripherals::take` handed out.
        unsafe { super::mmio(Self::BASE) }
    }
}

impl Instance for I2c1 {
    const BASE: usize = 0x1003_1000;
    const PLIC_SOURCE: u16 = 53;
    const FU540_C000_ERRATUM: bool = false;

    fn into_mmio(self) -> Mmio {
        // SAFETY: I2C1 of the FU740 is an OpenCores I2C block with the SiFive layout, and
        // `self` is the one instance `Peripherals::take` handed out.
        unsafe { super::mmio(Self::BASE) }
    }
}

/// UART0, for a bring-up program's text output.
#[derive(Debug)]
pub struct Uart0 {
    _private: (),
}

impl Uart0 {
    /// The base address.
    pub const BASE: usize = 0x1001_0000;

    /// UART0's transmitter at `baud`, from its clock (pclk, `clk_hz`).
    pub fn into_console(self, clk_hz: u32, baud: u32) -> super::Console {
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
    /// pclk, the clock of I2C0 and I2C1, from the PRCI's registers and the board's hfclk
    /// (on the HiFive Unmatched [`HIFIVE_UNMATCHED_HFCLK_HZ`]). Only reads.
    pub fn pclk_hz(&self, hfclk_hz: u32) -> Result<u32, ClockError> {
        // SAFETY: `self` exists only on an FU740 (`Peripherals`), whose PRCI has these
        // registers; reading them has no side effects.
        let (cfg0, cfg1, div) = unsafe {
            (
                super::read32(PRCI_BASE + HFPCLKPLLCFG0),
                super::read32(PRCI_BASE + HFPCLKPLLCFG1),
                super::read32(PRCI_BASE + HFPCLKPLLDIV),
            )
        };
        pclk_hz(hfclk_hz, cfg0, cfg1, div)
    }
}

peripherals! {
    soc: "FU740-C000",
    arch: "riscv64",
    /// I2C0.
    i2c0: I2c0,
    /// I2C1.
    i2c1: I2c1,
    /// The PRCI (clock reads).
    prci: Prci,
    /// UART0.
    uart0: Uart0,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pclk_is_the_pll_over_div_plus_2() {
        let cfg0 = (1 << 31) | (2 << 15) | (39 << 6);
        assert_eq!(pclk_hz(26_000_000, cfg0, 1 << 31, 0), Ok(260_000_000));
        assert_eq!(pclk_hz(26_000_000, cfg0, 1 << 31, 8), Ok(52_000_000));
        // Gated output, unlocked PLL, bypassed PLL.
        assert_eq!(pclk_hz(26_000_000, cfg0, 0, 0), Err(ClockError::Gated));
        assert_eq!(
            pclk_hz(26_000_000, cfg0 & !(1 << 31), 1 << 31, 0),
            Err(ClockError::Unlocked)
        );
        assert_eq!(pclk_hz(26_000_000, 1 << 24, 1 << 31, 0), Ok(13_000_000));
    }
}
