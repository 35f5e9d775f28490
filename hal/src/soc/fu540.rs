// SPDX-License-Identifier: GPL-2.0 OR MIT

//! The FU540-C000 (HiFive Unleashed): I2C0 at 0x1003_0000 on PLIC source 50, clocked by
//! tlclk, with the interrupt erratum (its IF cannot be cleared).
//!
//! tlclk is read as Linux's drivers/clk/sifive/ reads it: the core PLL (COREPLLCFG0,
//! 0x1000_0004) from hfclk, divided by 2, or by 1 when CLKMUXSTATUSREG (0x1000_002C)
//! bit 1 (TLCLKSEL) is set. As in Linux, CORECLKSEL is not consulted: the first-stage boot
//! loader runs the core on the PLL before anything else runs.
//!
//! # Examples
//!
//! ```
//! use sifive_i2c_hal::soc::fu540;
//!
//! // The core PLL as the HiFive Unleashed's boot loader sets it: 33.33 MHz * 120 / 4.
//! let corepllcfg0 = (1 << 31) | (2 << 15) | (59 << 6);
//! let tlclk = fu540::tlclk_hz(fu540::HIFIVE_UNLEASHED_HFCLK_HZ, corepllcfg0, 0)?;
//! assert_eq!(tlclk, 499_999_995);
//! # Ok::<(), sifive_i2c_hal::soc::ClockError>(())
//! ```

use super::{ClockError, Instance};
use crate::Mmio;

/// The HiFive Unleashed's reference oscillator (hfclk), in Hz.
pub const HIFIVE_UNLEASHED_HFCLK_HZ: u32 = 33_333_333;

/// The PRCI's base address.
pub const PRCI_BASE: usize = 0x1000_0000;
const COREPLLCFG0: usize = 0x04;
const CLKMUXSTATUSREG: usize = 0x2c;

/// tlclk from hfclk `hfclk_hz` and the values of COREPLLCFG0 and CLKMUXSTATUSREG.
pub const fn tlclk_hz(
    hfclk_hz: u32,
    corepllcfg0: u32,
    clkmuxstatus: u32,
) -> Result<u32, ClockError> {
    let corepll = match super::wrpll_hz(hfclk_hz, corepllcfg0) {
        Ok(hz) => hz,
        Err(e) => return Err(e),
    };
    if clkmuxstatus & (1 << 1) != 0 {
        Ok(corepll)
    } else {
        Ok(corepll / 2)
    }
}

/// I2C0, the FU540's one I2C controller.
#[derive(Debug)]
pub struct I2c0 {
    _private: (),
}

impl Instance for I2c0 {
    const BASE: usize = 0x1003_0000;
    const PLIC_SOURCE: u16 = 50;
    const FU540_C000_ERRATUM: bool = true;

    fn into_mmio(self) -> Mmio {
        // SAFETY: I2C0 of the FU540 is an OpenCores I2C block with the SiFive layout, and
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

    /// UART0's transmitter at `baud`, from its clock (tlclk, `clk_hz`).
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
    /// tlclk, the clock of I2C0, from the PRCI's registers and the board's hfclk (on the
    /// HiFive Unleashed [`HIFIVE_UNLEASHED_HFCLK_HZ`]). Only reads: no clock changes.
    pub fn tlclk_hz(&self, hfclk_hz: u32) -> Result<u32, ClockError> {
        // SAFETY: `self` exists only on an FU540 (`Peripherals`), whose PRCI has these
        // registers; reading them has no side effects.
        let (cfg0, mux) = unsafe {
            (
                super::read32(PRCI_BASE + COREPLLCFG0),
                super::read32(PRCI_BASE + CLKMUXSTATUSREG),
            )
        };
        tlclk_hz(hfclk_hz, cfg0, mux)
    }
}

peripherals! {
    soc: "FU540-C000",
    arch: "riscv64",
    /// I2C0.
    i2c0: I2c0,
    /// The PRCI (clock reads).
    prci: Prci,
    /// UART0.
    uart0: Uart0,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tlclk_follows_the_pll_and_tlclksel() {
        // QEMU's sifive_u resets COREPLLCFG0 to divr 1, divf 31, divq 3, locked.
        let qemu = (1 << 31) | (3 << 15) | (31 << 6) | 1;
        assert_eq!(tlclk_hz(33_333_333, qemu, 0), Ok(66_666_666));
        assert_eq!(tlclk_hz(33_333_333, qemu, 1 << 1), Ok(133_333_332));
        // Bypassed: hfclk itself.
        assert_eq!(tlclk_hz(33_333_333, 1 << 24, 0), Ok(16_666_666));
        assert_eq!(
            tlclk_hz(33_333_333, qemu & !(1 << 31), 0),
            Err(ClockError::Unlocked)
        );
        assert_eq!(tlclk_hz(0, qemu, 0), Err(ClockError::Zero));
    }
}
